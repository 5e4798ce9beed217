//! Renders papers built by `peel_analytics::paper::board_paper` from synthetic forces.

use crate::charts;
use crate::{find_chromium, print_pdf, render_html, PaperMeta, OGL_LINE, SECTIONS};
use peel_analytics::paper::board_paper;
use peel_analytics::{BoardPaper, Geography, Lsoa, StreetColumns, NONE};
use peel_domain::{Category, YearMonth};
use std::path::PathBuf;

fn ym(s: &str) -> YearMonth {
    YearMonth::parse(s).unwrap()
}

/// Crimes per month from Aug-15 to Jul-17. Apr-Jul 2016 sum to 1,200 and Apr-Jul 2017 to
/// 1,290, so total recorded crime is 90 / 1,200 = 7.5% higher year to date. Nov-16 (450)
/// is the planted spike: the mean moving range is about 20, so the upper limit is about
/// 311 + 2.66 × 20 ≈ 364 and Nov-16 lies far outside it.
const MONTHLY_CRIMES: [u32; 24] = [
    300, 310, 305, 298, 290, 302, 296, 308, // Aug-15 .. Mar-16
    300, 295, 305, 300, // Apr-16 .. Jul-16: 1,200
    302, 298, 310, 450, 296, 300, 304, 298, // Aug-16 .. Mar-17, spike in Nov-16
    320, 325, 318, 327, // Apr-17 .. Jul-17: 1,290
];
const FIRST_MONTH: &str = "2015-08";
const PAPER_MONTH: &str = "2017-07";
const SPIKE_MONTH: &str = "Nov-16";

/// Share of crimes per category, per mille, in `Category::crimes()` order: bicycle theft,
/// burglary, criminal damage, drugs, other theft, weapons, public order, robbery,
/// shoplifting, theft from the person, vehicle crime, violence and sexual offences, other.
const CATEGORY_MIX: [u32; 13] = [15, 85, 100, 25, 80, 12, 90, 12, 70, 12, 75, 394, 30];

/// police.uk outcome strings, cycled through 20 slots: 5 of 20 are positive (25%).
const OUTCOMES: [&str; 20] = [
    "Investigation complete; no suspect identified",
    "Investigation complete; no suspect identified",
    "Investigation complete; no suspect identified",
    "Investigation complete; no suspect identified",
    "Investigation complete; no suspect identified",
    "Investigation complete; no suspect identified",
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Unable to prosecute suspect",
    "Unable to prosecute suspect",
    "Under investigation",
    "Under investigation",
    "Awaiting court outcome",
    "Awaiting court outcome",
    "Offender given a caution",
    "Local resolution",
    "Action to be taken by another organisation",
    "Further investigation is not in the public interest",
    "Status update unavailable",
    "Offender sent to prison",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, good enough to scatter synthetic crimes.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const POINTS_PER_LSOA: usize = 4;
const LSOAS_PER_LA: usize = 8;

/// A force of five local authorities of eight LSOAs each plus one neighbouring LSOA outside
/// the force; crime piles up in the first (city-centre) LSOAs. `scale` multiplies the
/// monthly crimes; `jitter` adds noise so the sample paper does not show round numbers.
fn fixture(local_authorities: [&str; 5], scale: u32, jitter: bool, months: usize) -> (StreetColumns, Geography) {
    let mut lsoas = Vec::new();
    let mut points = Vec::new();
    for (a, la) in local_authorities.iter().enumerate() {
        for j in 0..LSOAS_PER_LA {
            let k = a * LSOAS_PER_LA + j;
            let persons = (1400 + (k as u64 * 53) % 500) * scale as u64;
            lsoas.push(Lsoa {
                code: format!("E0101{k:04}"),
                name: format!("{la} {:03}A", j + 1),
                msoa_name: format!("{la} {:03}", j + 1),
                local_authority: la.to_string(),
                persons,
                households: persons * 10 / 24,
                hectares: if j < 3 { 25.0 + 10.0 * j as f64 } else { 60.0 + 90.0 * j as f64 + 40.0 * a as f64 },
                in_force: true,
            });
            for p in 0..POINTS_PER_LSOA {
                points.push((
                    400_000.0 + a as f64 * 12_000.0 + j as f64 * 1_100.0 + p as f64 * 300.0,
                    430_000.0 + j as f64 * 700.0,
                ));
            }
        }
    }
    let outside = lsoas.len();
    lsoas.push(Lsoa {
        code: "E01099999".into(),
        name: "Harrogate 001A".into(),
        msoa_name: "Harrogate 001".into(),
        local_authority: "Harrogate".into(),
        persons: 1600 * scale as u64,
        households: 700 * scale as u64,
        hectares: 2000.0,
        in_force: false,
    });
    let outside_point = points.len();
    points.push((420_000.0, 455_000.0));
    let located_points = outside * POINTS_PER_LSOA;

    let mut cols =
        StreetColumns { outcome_names: OUTCOMES.iter().map(|s| s.to_string()).collect(), ..Default::default() };
    let crimes: Vec<Category> = Category::crimes().collect();
    let first = ym(FIRST_MONTH);
    let skip = MONTHLY_CRIMES.len() - months;
    for (i, &base) in MONTHLY_CRIMES.iter().enumerate().skip(skip) {
        let month = first.plus(i as i32);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ ((i as u64 + 1) * 0x1000_0001));
        let mut total = base * scale;
        if jitter {
            total = total + (rng.next() % (scale as u64 * 6)) as u32 - scale * 3;
        }
        for j in 0..total {
            let mut r = (rng.next() % 1000) as u32;
            let mut category = crimes[crimes.len() - 1];
            for (c, share) in crimes.iter().zip(CATEGORY_MIX) {
                if r < share {
                    category = *c;
                    break;
                }
                r -= share;
            }
            let (lsoa, point) = if j % 200 == 199 {
                (NONE, NONE)
            } else if j % 150 == 149 {
                (outside as u32, outside_point as u32)
            } else {
                let p = ((rng.unit().powf(2.5)) * located_points as f64) as usize;
                ((p / POINTS_PER_LSOA) as u32, p as u32)
            };
            cols.push(month, category, lsoa, point, (rng.next() % OUTCOMES.len() as u64) as u32);
        }
        for _ in 0..total * 3 / 10 {
            let p = (rng.unit().powf(1.5) * located_points as f64) as usize;
            cols.push(month, Category::AntiSocialBehaviour, (p / POINTS_PER_LSOA) as u32, p as u32, NONE);
        }
    }
    (cols, Geography { lsoas, points })
}

const ODD_FORCE: &str = "Avon & Somerset <Test> Police";
const ODD_LAS: [&str; 5] =
    ["Bath & North East Somerset", "Bristol", "North Somerset", "Somerset <West>", "South Gloucestershire"];

fn paper_of(force: &str, las: [&str; 5], scale: u32, jitter: bool, months: usize) -> BoardPaper {
    let (cols, geo) = fixture(las, scale, jitter, months);
    board_paper(force, &cols, &geo, ym(PAPER_MONTH), &peel_domain::harm::category_weights())
}

fn meta(force: &str) -> PaperMeta {
    PaperMeta {
        title: format!("{force}: performance, July 2017"),
        board: Some("Strategic Policing and Crime Board".into()),
        generated_at: "2017-09-01 09:30".into(),
        sources: vec![
            "police.uk street-level crime and outcomes, Aug-15 to Jul-17 (synthetic test data)".into(),
            "ONS 2011 Census usual residents and LSOA areas (synthetic test data)".into(),
        ],
    }
}

fn odd_html() -> (BoardPaper, String) {
    let paper = paper_of(ODD_FORCE, ODD_LAS, 1, false, 24);
    let html = render_html(&paper, &meta(ODD_FORCE));
    (paper, html)
}

#[test]
fn html_has_every_section_and_the_licence_line() {
    let (_, html) = odd_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for (id, title) in SECTIONS {
        assert!(html.contains(&format!("<h2 id=\"h-{id}\">{title}</h2>")), "missing section {title}");
    }
    assert!(html.contains("Contains public sector information licensed under the Open Government Licence v3.0."));
    assert_eq!(OGL_LINE, "Contains public sector information licensed under the Open Government Licence v3.0.");
    assert!(html.contains("Strategic Policing and Crime Board"));
    // Headline box.
    for label in ["Crimes recorded", "Anti-social behaviour", "Crime rate", "Crime harm", "Positive outcome rate"] {
        assert!(html.contains(label), "headline {label}");
    }
    // Tables are captioned and headed for screen readers.
    assert!(html.matches("<caption>Table ").count() >= 4);
    assert!(html.contains("<th scope=\"col\""));
    assert!(html.contains("<th scope=\"row\">All crime</th>"));
}

#[test]
fn force_and_area_names_are_escaped() {
    let (_, html) = odd_html();
    assert!(html.contains("Avon &amp; Somerset &lt;Test&gt; Police"));
    assert!(!html.contains("<Test>"));
    assert!(html.contains("Bath &amp; North East Somerset"));
    assert!(html.contains("Somerset &lt;West&gt;"));
    assert!(!html.contains("<West>"));
    assert!(!html.contains("& N"), "a raw ampersand slipped through");
}

#[test]
fn charts_are_inline_accessible_svg() {
    let (_, html) = odd_html();
    let svgs = html.matches("<svg").count();
    assert!(svgs >= 3, "{svgs} charts");
    assert_eq!(html.matches("role=\"img\"").count(), svgs);
    assert_eq!(html.matches("<title>Figure ").count(), svgs);
    assert_eq!(html.matches("<figcaption>").count(), svgs);
    assert!(!html.contains("<?xml"));
    for svg in html.split("<svg").skip(1) {
        let open = &svg[..svg.find('>').unwrap()];
        assert!(open.contains("viewBox=\"0 0 800 "), "{open}");
        assert!(!open.contains("width="), "fixed size left on {open}");
    }
}

#[test]
fn nothing_is_fetched_at_view_time() {
    let (_, html) = odd_html();
    let stripped = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!stripped.contains("http://"), "http reference left");
    assert!(!stripped.contains("https://"), "https reference left");
    for bad in ["<script", "<link", "<img", "<iframe", "url(", "@import", "src="] {
        assert!(!html.contains(bad), "{bad}");
    }
    assert!(html.contains("@media print") && html.contains("size: A4"));
}

#[test]
fn spc_signal_is_marked_and_described() {
    let (paper, html) = odd_html();
    let spc = paper.spc.as_ref().unwrap();
    assert!(spc.enough_points);
    let spike = paper.trend.iter().position(|p| p.month.short_label() == SPIKE_MONTH).unwrap();
    assert!(paper.trend[spike].signals.contains(&peel_analytics::spc::Rule::OutsideLimits));
    // The marker: the signal colour drawn in the trend chart, and its legend entry.
    let trend_svg = html.split("<svg").nth(1).unwrap();
    assert!(trend_svg.contains(&format!("fill=\"{}\"", charts::hex(charts::SIGNAL_RED))));
    assert!(trend_svg.contains("Signal: outside the control limits"));
    assert!(trend_svg.contains("Control limits"));
    // One sentence for the signal.
    assert!(
        html.contains("<li class=\"signal\">Nov-16: 450 crimes, above the upper control limit of"),
        "signal sentence missing"
    );
    assert!(html.contains("The mean is "));
}

#[test]
fn ytd_change_matches_hand_computation() {
    let (paper, html) = odd_html();
    // 1,290 crimes Apr-Jul 2017 against 1,200 Apr-Jul 2016: +7.5%.
    assert_eq!((paper.stats.ytd.current, paper.stats.ytd.previous), (1290.0, 1200.0));
    assert!(html.contains("+7.5%"));
    assert!(html.contains("Total recorded crime is 7.5% higher year to date (Apr-17 to Jul-17) than in 2016/17: 1,290 crimes against 1,200."));
    assert!(html.contains("Apr-17 to Jul-17</span> vs <span class=\"nowrap\">Apr-16 to Jul-16"));
    // Monthly average year to date: 1,290 / 4 = 322.5 → "322" (whole from 100 up).
    assert!(html.contains("The monthly volume averages 322 crimes in 2017/18 so far."));
}

#[test]
fn concentration_is_stated_in_the_seed_style() {
    let (paper, html) = odd_html();
    let grid = &paper.concentration.figures[0];
    let expected = format!(
        "{} of the force&#39;s geography holds 50% of harm; the densest 1.4% holds {}.",
        crate::format::pct(grid.area_holding_50),
        crate::format::pct(grid.share_in_top[1].1)
    );
    assert!(html.contains(&expected), "{expected}");
    assert!(html.contains("Aug-16 to Jul-17"));
    assert!(html.contains("Basis of area: share of the force"));
    assert!(html.contains("Densest 1.4%"));
}

#[test]
fn local_authority_table_shows_rates_and_missing_population() {
    let (paper, html) = odd_html();
    assert!(paper.harm_by_local_authority.iter().any(|r| r.name == "Harrogate" && r.population == 0));
    let row = html.split("<th scope=\"row\">Harrogate</th>").nth(1).unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains(">n/a</td>"), "{row}");
    assert!(html.contains("Crimes per 1,000"));
}

#[test]
fn a_short_history_says_plainly_there_are_no_limits() {
    let paper = paper_of("Tiny Force", ODD_LAS, 1, false, 3);
    assert!(!matches!(paper.spc, Some(ref c) if c.enough_points));
    let html = render_html(&paper, &meta("Tiny Force"));
    assert!(html.contains("at least 12 are needed"), "SPC note missing");
    assert!(html.contains("No control limits are drawn"));
    assert!(!html.contains("class=\"signal\""));
    // No data a year back: year-to-date changes cannot be given.
    assert!(html.contains("class=\"n na\">n/a</td>"));
    assert!(html.contains("no comparison with 2016/17 can be made"));
}

#[test]
fn an_empty_force_still_renders() {
    let paper = board_paper(
        "Empty",
        &StreetColumns::default(),
        &Geography::default(),
        ym(PAPER_MONTH),
        &peel_domain::harm::category_weights(),
    );
    let html = render_html(&paper, &PaperMeta::default());
    for (_, title) in SECTIONS {
        assert!(html.contains(title));
    }
    assert!(html.contains(OGL_LINE));
    assert!(html.contains("population not imported"));
    assert!(html.trim_end().ends_with("</html>"));
}

fn target_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Chromium, which the PDF tests need: installed by `tools/provision`. A machine without it
/// fails these tests, saying how to get it; the missing-browser error itself is tested with
/// a stand-in path in `pdf::tests`.
fn chromium() {
    if let Err(e) = find_chromium() {
        panic!("{e}\n(run tools/provision to install Chromium for the tests)");
    }
}

#[test]
fn print_pdf_prints_the_paper_with_chromium() {
    chromium();
    let dir = target_dir().join("peel-report-test-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let html_path = dir.join("paper with space.html");
    let pdf_path = dir.join("paper.pdf");
    let _ = std::fs::remove_file(&pdf_path);
    let (_, html) = odd_html();
    std::fs::write(&html_path, html).unwrap();
    print_pdf(&html_path, &pdf_path).unwrap();
    let bytes = std::fs::read(&pdf_path).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(bytes.len() > 10_000, "suspiciously small PDF: {} bytes", bytes.len());
}

/// Writes the realistic-scale sample to target/board-paper-sample.html and .pdf for a person
/// to look at.
#[test]
fn sample_paper_for_review() {
    let las = ["Leeds", "Bradford", "Kirklees", "Wakefield", "Calderdale"];
    let paper = paper_of("West Yorkshire Police", las, 40, true, 24);
    let mut m = meta("West Yorkshire Police");
    m.sources = vec![
        "police.uk street-level crime and outcomes: synthetic sample, Aug-15 to Jul-17".into(),
        "ONS 2011 Census usual residents and LSOA areas: synthetic sample".into(),
    ];
    let html = render_html(&paper, &m);
    let path = target_dir().join("board-paper-sample.html");
    std::fs::write(&path, &html).unwrap();
    assert!(html.matches("<svg").count() >= 4);
    chromium();
    print_pdf(&path, &target_dir().join("board-paper-sample.pdf")).unwrap();
}
