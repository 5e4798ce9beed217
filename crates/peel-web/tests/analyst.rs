//! The analyst and command-team pages over HTTP, on the real police.uk and ONS files in
//! `../shared/data` (or `PEEL_SHARED_DATA`): each page's figures are checked against the
//! same figure worked out here straight from the CSV files.

mod support;
use peel_web::WebConfig;

use peel_ingest::NoProgress;
use peel_report::format::{int, num, whole};
use std::collections::{BTreeMap, HashMap, HashSet};
use support::{shared_data, Response, Server};

const JULY_2017: &str = "police-uk/2017-07-west-yorkshire-street.csv";
const JULY_2016: &str = "police-uk/2016-07-west-yorkshire-street.csv";
const ONS: [&str; 2] = ["ons/lsoa-2011-population-households.csv", "ons/lsoa-2011-to-police-force.csv"];

/// One CSV line split into fields (police.uk quotes fields that hold commas).
fn split_csv(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// A CSV file as rows of (column name → value).
fn read_csv(file: &str) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(shared_data().join(file)).unwrap();
    let mut lines = text.lines();
    let header = split_csv(lines.next().unwrap());
    lines.filter(|l| !l.is_empty()).map(|l| header.iter().cloned().zip(split_csv(l)).collect()).collect()
}

/// The crime rows (anti-social behaviour left out) of a police.uk file.
fn crimes(file: &str) -> Vec<HashMap<String, String>> {
    read_csv(file).into_iter().filter(|r| r["Crime type"] != "Anti-social behaviour").collect()
}

/// LSOA code → (local authority, MSOA name), from the ONS lookup.
fn lsoa_lookup() -> HashMap<String, (String, String)> {
    read_csv(ONS[1])
        .into_iter()
        .map(|r| (r["LSOA Code"].clone(), (r["Local authority name"].clone(), r["MSOA Name"].clone())))
        .collect()
}

fn weight(category: &str) -> f64 {
    let c = peel_domain::Category::parse(category).unwrap_or_else(|| panic!("category {category}"));
    peel_domain::harm::category_weights()[c.code() as usize]
}

/// The `<tr>` of a table whose text contains `marker`.
fn row_with<'a>(body: &'a str, marker: &str) -> &'a str {
    let at = body.find(marker).unwrap_or_else(|| panic!("no row with {marker}"));
    let start = body[..at].rfind("<tr").unwrap();
    let end = at + body[at..].find("</tr>").unwrap();
    &body[start..end]
}

/// The first row of the first table's body, without its closing tag.
fn first_body_row(body: &str) -> &str {
    let rest = &body[body.find("<tbody>").expect("a table") + 7..];
    &rest[..rest.find("</tr>").unwrap()]
}

/// ((local authority, MSOA), harm) of the crimes, most harm first (ties by MSOA name).
fn msoa_harm(
    crimes: &[HashMap<String, String>],
    lookup: &HashMap<String, (String, String)>,
) -> Vec<((String, String), f64)> {
    let mut harm: BTreeMap<(String, String), f64> = BTreeMap::new();
    for r in crimes {
        if let Some(areas) = lookup.get(&r["LSOA code"]) {
            *harm.entry(areas.clone()).or_default() += weight(&r["Crime type"]);
        }
    }
    let mut ranked: Vec<((String, String), f64)> = harm.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0 .1.cmp(&b.0 .1)));
    ranked
}

fn ok(r: &Response, what: &str) {
    assert_eq!(r.status, 200, "{what}: {}", r.body);
}

#[test]
fn analyst_pages_on_real_west_yorkshire_data() {
    let s = Server::start();
    let mut files: Vec<&str> = ONS.to_vec();
    files.extend([JULY_2016, JULY_2017]);
    s.import(&files);
    let mut c = s.client();
    c.login("analyst");
    let lookup = lsoa_lookup();
    let july = crimes(JULY_2017);
    let july_2016 = crimes(JULY_2016);
    let la_of = |r: &HashMap<String, String>| lookup.get(&r["LSOA code"]).map(|x| x.0.clone());

    // The start page lists the force held and links to its analysis.
    let r = c.get("/analyst");
    ok(&r, "/analyst");
    assert!(r.body.contains("href=\"/analyst/performance?force=west-yorkshire\""), "{}", r.body);
    assert!(r.body.contains("2016-07 to 2017-07"));

    let q = "force=west-yorkshire&month=2017-07";

    // A month between the two held has no data: no page of zeros, and no paper.
    for page in ["/analyst/performance", "/analyst/areas", "/analyst/board-paper"] {
        let r = c.get(&format!("{page}?force=west-yorkshire&month=2017-01"));
        assert_eq!(r.status, 404, "{page}: {}", r.body);
        assert!(r.body.contains("no records of West Yorkshire Police for January 2017"), "{}", r.body);
        assert!(r.body.contains("The nearest months held are July 2016 and July 2017."), "{}", r.body);
        assert!(!r.body.contains("<span class=\"big\">0</span>"), "a zero tile");
    }

    // Performance: July's crimes, and the year to date against last year's July (the only
    // month of either financial year held).
    let r = c.get(&format!("/analyst/performance?{q}"));
    ok(&r, "performance");
    assert!(r.body.contains(&format!("<span class=\"big\">{}</span>", int(july.len() as u64))), "{}", r.body);
    let change = (july.len() as f64 - july_2016.len() as f64) / july_2016.len() as f64 * 100.0;
    assert!(
        r.body.contains(&format!("{:+.1}% against {}", change, int(july_2016.len() as u64))),
        "year to date {change:+.1}%: {}",
        r.body
    );
    assert!(r.body.contains("<svg class=\"chart\" id=\"trend-chart\""), "the SPC chart");
    assert!(r.body.contains("Only 2 months of data up to July 2017"), "no limits on two months");
    // The choice form: force, the force's local authorities, the months held.
    assert!(r.body.contains("<option value=\"west-yorkshire\" selected>West Yorkshire Police</option>"));
    assert!(r.body.contains("<option value=\"Leeds\">Leeds</option>"));
    assert!(r.body.contains("<option value=\"2017-07\" selected>July 2017</option>"));
    assert!(r.body.contains("<option value=\"2016-07\">July 2016</option>"));
    assert!(r.body.contains("<form method=\"get\" action=\"/analyst/performance\""));
    assert!(r.body.contains("aria-current=\"page\""));

    // One local authority: Leeds's own crimes.
    let leeds = july.iter().filter(|r| la_of(r).as_deref() == Some("Leeds")).count() as u64;
    assert!(leeds > 5000, "Leeds is most of West Yorkshire's crime: {leeds}");
    let r = c.get(&format!("/analyst/performance?{q}&area=Leeds"));
    ok(&r, "performance, Leeds");
    assert!(r.body.contains("Leeds (West Yorkshire Police), July 2017"));
    assert!(r.body.contains(&format!("<span class=\"big\">{}</span>", int(leeds))), "{}", r.body);

    // Outcomes as PEEL figure 4: every crime of the 12 months (only July 2017 is held), and
    // the cautions among them.
    let r = c.get(&format!("/analyst/outcomes?{q}"));
    ok(&r, "outcomes");
    let total = row_with(&r.body, ">Crimes recorded</th>");
    assert!(total.contains(&format!("<td class=\"num\">{}</td>", int(july.len() as u64))), "{total}");
    let cautions = july.iter().filter(|r| r["Last outcome category"] == "Offender given a caution").count() as u64;
    assert!(cautions > 0);
    let row = row_with(&r.body, ">Offender given a caution</th>");
    assert!(row.contains(&format!("<td class=\"num\">{}</td>", int(cautions))), "{row}");
    let rate = cautions as f64 / july.len() as f64 * 100.0;
    assert!(row.contains(&format!("<td class=\"num\">{}</td>", num(rate, 1))), "rate {rate}: {row}");
    assert!(
        r.body.find("Charged/summonsed").unwrap() < r.body.find("Out-of-court (formal)").unwrap(),
        "figure 4's order"
    );

    // Harm by area: Leeds's row of the local authority table.
    let r = c.get(&format!("/analyst/areas?{q}"));
    ok(&r, "areas");
    let row = row_with(&r.body, "<th scope=\"row\">Leeds</th>");
    assert!(row.contains(&format!("<th scope=\"row\">Leeds</th><td class=\"num\">{}</td>", int(leeds))), "{row}");
    let leeds_harm: f64 =
        july.iter().filter(|r| la_of(r).as_deref() == Some("Leeds")).map(|r| weight(&r["Crime type"])).sum();
    assert!(row.contains(&format!("<td class=\"num\">{}</td>", whole(leeds_harm))), "harm {leeds_harm}: {row}");
    assert!(r.body.contains("id=\"area-chart\""));
    // For one authority, its MSOAs.
    let r = c.get(&format!("/analyst/areas?{q}&area=Leeds"));
    ok(&r, "areas, Leeds");
    assert!(r.body.contains("<th scope=\"col\">MSOA</th>"));
    let top_leeds = msoa_harm(&july, &lookup).into_iter().find(|((la, _), _)| la == "Leeds").unwrap();
    let first = first_body_row(&r.body);
    assert!(first.contains(&format!("<th scope=\"row\">{}</th>", top_leeds.0 .1)), "{top_leeds:?}: {first}");

    // Impact Area status: the MSOA with most harm over the latest 12 months heads the table;
    // with 2016-08 to 2017-06 not held, no status is given.
    let ranked = msoa_harm(&july, &lookup);
    let ((top_la, top_msoa), top_harm) = &ranked[0];
    let r = c.get(&format!("/analyst/impact-areas?{q}"));
    ok(&r, "impact areas");
    let first_row = first_body_row(&r.body);
    assert!(
        first_row.contains(&format!("<td>{}</td><th scope=\"row\">{}</th>", top_la, top_msoa)),
        "top MSOA {top_msoa} ({top_harm}): {first_row}"
    );
    // The latest window holds only July 2017, the one before it only July 2016.
    let before: f64 = july_2016
        .iter()
        .filter(|r| lookup.get(&r["LSOA code"]).is_some_and(|x| x.1 == *top_msoa))
        .map(|r| weight(&r["Crime type"]))
        .sum();
    let change = (top_harm - before) / before * 100.0;
    assert!(
        first_row.ends_with(&format!("<td class=\"num\">{}%</td><td>n/a</td>", num(change, 2))),
        "{change}: {first_row}"
    );
    assert!(first_row.contains(&format!("<td class=\"num\">{}</td>", num(*top_harm, 1))), "{first_row}");
    assert_eq!(r.body.matches("<th scope=\"row\">").count() - 4, 19, "19 areas and the 4 legend rows");
    assert!(r.body.contains("No status is given"), "months are missing");
    for word in ["Outstanding", "Good", "Needs improvement", "Poor", "Reducing 3 months", "Increasing 3 months"] {
        assert!(r.body.contains(word), "the legend: {word}");
    }

    // Once the store defines the force's own Impact Areas (here one, of the top MSOA's LSOAs,
    // in an NPU of the same LSOAs), the table is theirs: the same harm, under its own name
    // and its NPU's.
    s.import(&["geography/postcodes-west-midlands-west-yorkshire.csv"]);
    let members: Vec<peel_domain::force_area::AreaMember> = lookup
        .iter()
        .filter(|(_, (_, msoa))| msoa == top_msoa)
        .map(|(code, _)| peel_domain::force_area::AreaMember {
            kind: peel_domain::force_area::MemberKind::Lsoa,
            code: code.clone(),
        })
        .collect();
    let area = |kind, code: &str, name: &str, npu: Option<&str>| peel_domain::force_area::ForceArea {
        kind,
        code: code.into(),
        name: name.into(),
        npu: npu.map(Into::into),
        source: "the test".into(),
        members: members.clone(),
    };
    use peel_domain::force_area::AreaKind;
    let areas = [
        area(AreaKind::Npu, "TN", "Test Unit", None),
        area(AreaKind::ImpactArea, "test-ia", "Test Impact Area", Some("TN")),
    ];
    let at = peel_domain::date::Timestamp::parse("2026-11-23T09:00").unwrap();
    s.case_store().replace_force_areas(&AreaKind::ALL, &areas, "admin", at).unwrap();
    let r = c.get(&format!("/analyst/impact-areas?{q}"));
    ok(&r, "impact areas, the force's own");
    assert!(r.body.contains("for each Impact Area the store defines"), "{}", r.body);
    let own_row = first_body_row(&r.body);
    assert!(own_row.contains("<td>Test Unit</td><th scope=\"row\">Test Impact Area</th>"), "{own_row}");
    assert!(own_row.contains(&format!("<td class=\"num\">{}</td>", num(*top_harm, 1))), "{own_row}");
    assert_eq!(r.body.matches("<th scope=\"row\">").count() - 4, 1, "one Impact Area and the 4 legend rows");
    // The board paper of that unit (`area=unit:CODE`, as `peel report --area`): the crimes of
    // July 2017 in its LSOAs, counted here from the file.
    let in_unit = july.iter().filter(|r| lookup.get(&r["LSOA code"]).is_some_and(|x| x.1 == *top_msoa)).count();
    let r = c.get("/analyst/board-paper?force=west-yorkshire&area=unit%3ATN&month=2017-07");
    ok(&r, "the unit's board paper");
    assert!(r.body.contains("Test Unit NPU (West Yorkshire Police): crime and harm, July 2017"), "{}", r.body);
    assert!(
        r.body.contains(&format!("<dt>Crimes recorded</dt><dd><span class=\"figure\">{}</span>", int(in_unit as u64))),
        "{in_unit} crimes in the unit"
    );
    // The figure pages for that unit too, offered in the choice of area as soon as it is
    // defined (the pages above were read before it was).
    let r = c.get("/analyst/performance?force=west-yorkshire&area=unit%3ATN&month=2017-07");
    ok(&r, "the unit's performance");
    assert!(r.body.contains("<option value=\"unit:TN\" selected>Test Unit NPU</option>"), "{}", r.body);
    assert!(r.body.contains("<option value=\"unit:test-ia\">Test Impact Area Impact Area</option>"));
    assert!(r.body.contains("Test Unit NPU (West Yorkshire Police)"));
    assert!(r.body.contains(&format!("<span class=\"big\">{}</span>", int(in_unit as u64))), "{in_unit}: {}", r.body);
    let r = c.get("/analyst/areas?force=west-yorkshire&area=unit%3Anowhere&month=2017-07");
    ok(&r, "a unit that is not one");
    assert!(r.body.contains("nowhere is not a neighbourhood policing unit or Impact Area of West Yorkshire Police"));
    let r = c.get("/analyst/board-paper?force=west-yorkshire&area=unit%3Anowhere&month=2017-07");
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(
        r.body.contains("&#39;nowhere&#39; is not an area of this store")
            || r.body.contains("'nowhere' is not an area")
    );

    // Concentration: the curves, and the count of 250 m cells and LSOAs with crime.
    let bng = peel_ingest::bng::BritishNationalGrid::new();
    let cell_of = |r: &HashMap<String, String>| {
        let (lon, lat) = (r["Longitude"].parse::<f64>().ok()?, r["Latitude"].parse::<f64>().ok()?);
        let (e, n) = bng.project(lon, lat)?;
        Some(((e / 250.0).floor() as i32, (n / 250.0).floor() as i32))
    };
    let cells: HashSet<(i32, i32)> = july.iter().filter_map(cell_of).collect();
    let lsoas: HashSet<&str> = july.iter().map(|r| r["LSOA code"].as_str()).filter(|l| !l.is_empty()).collect();
    let r = c.get(&format!("/analyst/concentration?{q}"));
    ok(&r, "concentration");
    assert!(r.body.contains("id=\"concentration-chart\""));
    let row = row_with(&r.body, "<th scope=\"row\">250 m grid cell</th><td>crime</td>");
    assert!(
        row.ends_with(&format!("<td class=\"num\">{}</td>", int(cells.len() as u64))),
        "{} cells: {row}",
        cells.len()
    );
    let row = row_with(&r.body, "<th scope=\"row\">LSOA</th><td>crime</td>");
    assert!(
        row.ends_with(&format!("<td class=\"num\">{}</td>", int(lsoas.len() as u64))),
        "{} LSOAs: {row}",
        lsoas.len()
    );

    // The hotspot map: cells drawn, outlines, and the top cell in the table.
    let mut per_cell: HashMap<(i32, i32), (u64, BTreeMap<String, u64>)> = HashMap::new();
    for r in &july {
        if let Some(cell) = cell_of(r) {
            let e = per_cell.entry(cell).or_default();
            e.0 += 1;
            if let Some(la) = la_of(r) {
                *e.1.entry(la).or_default() += 1;
            }
        }
    }
    let (top_cell, (top_crimes, top_las)) =
        per_cell.iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(a.0))).unwrap();
    // Most votes; a tie goes to the name first in alphabetical order.
    let top_la = top_las.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).unwrap().0;
    let (e, n) = (top_cell.0 as f64 * 250.0, top_cell.1 as f64 * 250.0);
    let r = c.get(&format!("/analyst/hotspots?{q}"));
    ok(&r, "hotspots");
    assert!(r.body.contains("<svg class=\"map\""));
    assert!(r.body.contains("h1v1h-1z"), "cells");
    assert!(r.body.contains("stroke=\"#0b0c0c\" stroke-width=\"1.5\""), "outlines");
    assert!(r.body.contains(">N</text>") && r.body.contains(" km</text>"), "north arrow and scale bar");
    assert!(r.body.contains(&format!("{} cells with crime", int(cells.len() as u64))));
    let expected = format!(
        "<tr><td class=\"num\">1</td><th scope=\"row\">{}</th><td>{}, {}</td><td>{}</td><td class=\"num\">{}</td>",
        peel_analytics::hotspot::os_grid_reference(e, n).unwrap(),
        int(e as u64),
        int(n as u64),
        top_la,
        int(*top_crimes)
    );
    assert!(r.body.contains(&expected), "{expected}\n{}", &r.body[r.body.find("top-cells").unwrap()..]);
    assert!(r.body.contains("<input type=\"radio\" id=\"measure\" name=\"measure\" value=\"crime\" checked>"));
    let r = c.get(&format!("/analyst/hotspots?{q}&measure=harm"));
    ok(&r, "hotspots by harm");
    assert!(r.body.contains("Crime harm per 250 m cell"));
    assert!(r.body.contains("value=\"harm\" checked>"));

    // The board paper for one local authority.
    let r = c.get(&format!("/analyst/board-paper?{q}&area=Leeds"));
    ok(&r, "board paper, Leeds");
    assert!(r.body.contains("<title>Leeds (West Yorkshire Police): crime and harm, July 2017</title>"));
    assert!(r.body.contains(&format!("recorded {} crimes", int(leeds))), "Leeds's crimes in the paper");
    assert!(r.body.contains("<svg"));
}

/// The status and SPC limits need a run of months: the synthetic two years of the support
/// module, every month held. The status is worked out here from the rows as the helper
/// writes them.
#[test]
fn status_words_and_control_limits_on_two_years_of_data() {
    let s = Server::start();
    s.street_data();
    let mut c = s.client();
    c.login("analyst");
    // As `Server::street_data` writes them: month k (0 = 2015-08) holds 2 + (c + k) % 5 rows
    // of the c-th category, all in MSOA "Leeds 001".
    let w = peel_domain::harm::category_weights();
    let harm = |k: usize| -> f64 {
        peel_domain::Category::ALL
            .iter()
            .enumerate()
            .filter(|(_, cat)| !cat.is_asb())
            .map(|(i, cat)| (2 + (i + k) % 5) as f64 * w[cat.code() as usize])
            .sum()
    };
    let windows: Vec<f64> = (20..24).map(|end| (end - 11..=end).map(harm).sum()).collect();
    let reductions = windows.windows(2).filter(|p| p[1] < p[0]).count();
    let status = ["Poor", "Needs improvement", "Good", "Outstanding"][reductions];
    let r = c.get("/analyst/impact-areas?force=west-yorkshire&month=2017-07");
    ok(&r, "impact areas");
    assert!(!r.body.contains("No status is given"));
    let row = row_with(&r.body, "<th scope=\"row\">Leeds 001</th>");
    assert!(row.contains(&format!(">{status}</span></td>")), "{windows:?} → {status}: {row}");
    let last = (windows[3] - windows[2]) / windows[2] * 100.0;
    assert!(row.contains(&format!("<td class=\"num\">{}%</td>", num(last, 2))), "{last}: {row}");
    assert!(row.contains(&format!("<td class=\"num\">{}</td>", num(windows[0], 1))), "{row}");

    let r = c.get("/analyst/performance?force=west-yorkshire&month=2017-07");
    ok(&r, "performance");
    assert!(r.body.contains("the control limits are the mean ± 2.66 × the mean moving range"), "{}", r.body);
    assert!(r.body.contains("Over 24 months"));
}

/// The board paper printed by this machine's Chromium (installed by `tools/provision`; the
/// test fails, saying so, without it).
#[test]
fn the_board_paper_prints_to_pdf_with_chromium() {
    if let Err(e) = peel_report::find_chromium() {
        panic!("{e}\n(run tools/provision to install Chromium for the tests)");
    }
    let s = Server::start();
    s.street_data();
    let mut c = s.client();
    c.login("analyst");
    let r = c.get("/analyst/board-paper.pdf?force=west-yorkshire&month=2017-07");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"board-paper-west-yorkshire-2017-07.pdf\"")
    );
    assert!(r.body.starts_with("%PDF"), "{}", &r.body[..r.body.len().min(200)]);
}

/// A server without a browser answers 503 with a page that says so and links the HTML paper,
/// whatever this machine has: the server is given a browser path where there is none.
#[test]
fn without_chromium_the_pdf_is_a_clear_503() {
    let s = Server::start_with(WebConfig { chromium: Some("/nonexistent/chromium".into()), ..Default::default() });
    s.street_data();
    let mut c = s.client();
    c.login("analyst");
    let r = c.get("/analyst/board-paper.pdf?force=west-yorkshire&month=2017-07");
    assert_eq!(r.status, 503);
    assert!(r.body.contains("no Chromium"), "{}", r.body);
    assert!(r.body.contains("href=\"/analyst/board-paper?force=west-yorkshire&amp;area=&amp;month=2017-07\""));
}

/// The download itself, with a stand-in browser that writes a PDF where it is told to.
#[test]
fn the_pdf_download_is_named_for_its_force_area_and_month() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake-chromium");
    std::fs::write(
        &fake,
        "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --print-to-pdf=*) printf '%%PDF-1.4\\n%% stand-in\\n' > \"${a#--print-to-pdf=}\";; esac; done\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let s = Server::start_with(WebConfig { chromium: Some(fake), ..Default::default() });
    s.street_data();
    let mut c = s.client();
    c.login("analyst");
    let r = c.get("/analyst/board-paper.pdf?force=west-yorkshire&area=Leeds&month=2017-06");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"board-paper-west-yorkshire-leeds-2017-06.pdf\"")
    );
    assert!(r.body.starts_with("%PDF-1.4\n% stand-in"), "{}", r.body);
}

#[test]
fn only_analysts_supervisors_and_admin_see_the_analysis() {
    let s = Server::start();
    s.street_data();
    let q = "?force=west-yorkshire&month=2017-07";
    let pages = [
        "/analyst",
        "/analyst/performance",
        "/analyst/outcomes",
        "/analyst/areas",
        "/analyst/impact-areas",
        "/analyst/concentration",
        "/analyst/hotspots",
        "/analyst/density",
        "/analyst/gi-star",
        "/analyst/near-repeat",
        "/analyst/backtest",
        "/analyst/patrols",
        "/analyst/hours",
        "/analyst/board-paper",
        "/analyst/board-paper.pdf",
    ];
    for who in ["officer", "partner", "registrar"] {
        let mut c = s.client();
        c.login(who);
        for p in pages {
            assert_eq!(c.get(&format!("{p}{q}")).status, 403, "{who} on {p}");
        }
    }
    for who in ["supervisor", "admin"] {
        let mut c = s.client();
        c.login(who);
        let r = c.get(&format!("/analyst/hotspots{q}"));
        assert_eq!(r.status, 200, "{who}: {}", r.body);
        assert!(r.body.contains("<svg class=\"map\""));
    }
    // Not signed in: sent to sign in.
    assert_eq!(s.client().get(&format!("/analyst/outcomes{q}")).status, 303);
}

#[test]
fn choices_that_cannot_be_followed_are_answered_plainly() {
    let s = Server::start();
    s.street_data();
    let mut c = s.client();
    c.login("analyst");
    let r = c.get("/analyst/performance?force=atlantis");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("There is no force"));
    let r = c.get("/analyst/performance?force=merseyside");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("no police.uk data for Merseyside Police"), "{}", r.body);
    assert_eq!(c.get("/analyst/outcomes?force=west-yorkshire&month=2017-13").status, 400);
    let r = c.get("/analyst/outcomes?force=west-yorkshire&month=2019-01");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("from August 2015 to July 2017"), "{}", r.body);
    assert_eq!(c.get("/analyst/hotspots?measure=colour").status, 400);
    // An area of another force: the whole force, and a notice saying so.
    let r = c.get("/analyst/areas?force=west-yorkshire&area=Liverpool");
    ok(&r, "another force's area");
    assert!(r.body.contains("Liverpool is not a local authority of West Yorkshire Police: showing the whole force."));
    // No choice at all: the force with most data, its latest month.
    let r = c.get("/analyst/outcomes");
    ok(&r, "no choice");
    assert!(r.body.contains("West Yorkshire Police, July 2017"));
}

/// Server time of each page on a force of about 1.5 million rows (54 months made from the
/// two real West Yorkshire files, as `peel bench` does), after the street cache is warm.
/// Slow to set up (a release build is advised):
/// `cargo test --release -p peel-web --test analyst -- --ignored --nocapture`; with
/// `PEEL_PAGES_OUT=DIR` each page is also written to DIR, to look at.
#[test]
#[ignore]
fn page_times_on_a_large_force() {
    use peel_store::{RecordKey, Store};
    let s = Server::start();
    s.import(&ONS);
    let real = [
        peel_ingest::police_uk::parse_file(&shared_data().join(JULY_2016), &mut NoProgress).unwrap(),
        peel_ingest::police_uk::parse_file(&shared_data().join(JULY_2017), &mut NoProgress).unwrap(),
    ];
    let last = peel_domain::YearMonth::parse("2017-07").unwrap();
    let mut store = s.store();
    let started = std::time::Instant::now();
    let mut rows = 0;
    for k in 0..54u32 {
        let month = last.plus(-(k as i32));
        let mut batch = real[(k % 2) as usize].batch.clone();
        batch.file_name = format!("{month}-copy-{k}.csv");
        for r in &mut batch.rows {
            r.month = month;
            if let RecordKey::Hash(h) = &mut r.key {
                h[..4].copy_from_slice(&k.to_be_bytes());
            }
        }
        rows += batch.rows.len();
        store.save_street_batch(&batch).unwrap();
    }
    println!("stored {rows} rows in {:.1} s", started.elapsed().as_secs_f64());
    let mut c = s.client();
    c.login("analyst");
    let server_ms = |r: &Response| -> f64 {
        r.header("server-timing").and_then(|v| v.strip_prefix("app;dur=")).and_then(|v| v.parse().ok()).unwrap()
    };
    let pages = [
        "/analyst/performance",
        "/analyst/outcomes",
        "/analyst/areas",
        "/analyst/impact-areas",
        "/analyst/concentration",
        "/analyst/hotspots",
        "/analyst/board-paper",
    ];
    for area in ["", "Leeds"] {
        for month in ["2017-07", "2017-06"] {
            for p in pages {
                let url = format!("{p}?force=west-yorkshire&area={area}&month={month}");
                let first = c.get(&url);
                ok(&first, &url);
                let again = c.get(&url);
                if let Ok(dir) = std::env::var("PEEL_PAGES_OUT") {
                    let name = format!("{}-{area}-{month}.html", p.trim_start_matches("/analyst/"));
                    std::fs::write(std::path::PathBuf::from(dir).join(name), &again.body).unwrap();
                }
                println!(
                    "{url}: first {:.1} ms, again {:.1} ms, {} KB",
                    server_ms(&first),
                    server_ms(&again),
                    again.body.len() / 1024
                );
            }
        }
    }
}
