//! The board paper as one self-contained HTML document: inline CSS, inline SVG, no script,
//! nothing fetched at view time. Laid out like a force's performance paper to its Strategic
//! Policing and Crime Board: headed sections, numbered paragraphs in plain sentences, tables
//! with captions, figures with captions.

use crate::charts::{self, Bar, Curve, Marker};
use crate::format::{self, escape, int, month_long_str, pct, period, signed_pct, whole};
use crate::PaperMeta;
use peel_analytics::paper::{ConcentrationFigures, TrendPoint};
use peel_analytics::spc::{Direction, Rule, XmrChart};
use peel_analytics::BoardPaper;
use peel_domain::YearMonth;
use std::fmt::Write;

mod live;
pub use live::LIVE_SECTIONS;

/// The line the Open Government Licence requires of anyone reusing police.uk and ONS data.
pub const OGL_LINE: &str = "Contains public sector information licensed under the Open Government Licence v3.0.";

/// Section headings, in order (tests and the table of contents use them).
pub const SECTIONS: [(&str, &str); 7] = [
    ("summary", "Summary"),
    ("trend", "Crime trend"),
    ("categories", "Crime by category"),
    ("outcomes", "Outcomes"),
    ("local-authorities", "Harm by local authority"),
    ("concentration", "Concentration of crime and harm"),
    ("notes", "Notes and sources"),
];

/// Most bars the local-authority chart shows; the rest are pooled into one bar (crimes
/// snapped just over the force boundary can add many small neighbouring areas). The table
/// lists every area.
const MAX_AREA_BARS: usize = 12;

const CSS: &str = r#"
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
:root { --ink: #1b1b1b; --muted: #4d4d4d; --brand: #1f3a5f; --rule: #c9d1db; --band: #eef2f7; --zebra: #f7f9fb; }
* { box-sizing: border-box; }
html { background: #e9ecef; color: var(--ink); }
body { margin: 0; font-family: Arial, "Liberation Sans", "Helvetica Neue", Helvetica, "DejaVu Sans", sans-serif;
       font-size: 11pt; line-height: 1.45; }
main.paper { background: #fff; max-width: 200mm; margin: 8mm auto; padding: 14mm 15mm 16mm; box-shadow: 0 1px 4px rgba(0,0,0,.18); }
header.masthead { border-bottom: 3px solid var(--brand); padding-bottom: 4mm; margin-bottom: 5mm; }
.kicker { margin: 0; font-size: 9.5pt; letter-spacing: .06em; text-transform: uppercase; color: var(--brand); font-weight: 700; }
h1 { font-size: 20pt; line-height: 1.2; margin: 1.5mm 0 3mm; color: var(--brand); }
h2 { font-size: 14pt; color: var(--brand); margin: 8mm 0 2.5mm; padding-bottom: 1mm; border-bottom: 1px solid var(--rule); }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .5mm 5mm; margin: 0; font-size: 10pt; }
dl.meta dt { font-weight: 700; color: var(--muted); }
dl.meta dd { margin: 0; }
.headline { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0; border: 2px solid var(--brand); margin: 3mm 0 5mm; }
.headline div { padding: 3mm 4mm; background: var(--band); border-right: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
.headline div:nth-child(3n) { border-right: 0; }
.headline div:nth-last-child(-n+3) { border-bottom: 0; }
.headline dt { font-size: 9pt; font-weight: 700; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.headline dd { margin: 0; }
.headline .figure { display: block; font-size: 18pt; font-weight: 700; color: var(--brand); line-height: 1.25; font-variant-numeric: tabular-nums; }
.headline .sub { display: block; font-size: 9pt; color: var(--muted); }
p.para { display: grid; grid-template-columns: 9mm 1fr; margin: 0 0 2.5mm; }
p.para .pn { font-weight: 700; color: var(--brand); }
ul.signals { margin: 0 0 3mm 9mm; padding-left: 5mm; }
ul.signals li { margin-bottom: 1mm; }
figure { margin: 3mm 0 5mm; }
figcaption { font-size: 9.5pt; color: var(--muted); margin-top: 1.5mm; }
figcaption strong { color: var(--ink); }
svg.chart { display: block; width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 2mm 0 5mm; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 700; padding-bottom: 1.5mm; font-size: 10pt; }
th, td { padding: 1.2mm 2mm; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
thead th { background: var(--brand); color: #fff; font-weight: 700; vertical-align: bottom; }
tbody tr:nth-child(even) { background: var(--zebra); }
tbody th { font-weight: 400; }
.n { text-align: right; }
td.n { white-space: nowrap; }
tbody th { white-space: nowrap; }
.nowrap { white-space: nowrap; }
td.na { color: var(--muted); }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid var(--brand); background: var(--band); }
.positive { color: #1e6b3c; font-weight: 700; }
.notes li { margin-bottom: 1.5mm; }
p.licence { font-weight: 700; margin-top: 4mm; }
footer { margin-top: 6mm; padding-top: 2mm; border-top: 1px solid var(--rule); font-size: 9pt; color: var(--muted); }
.key { display: inline-block; width: .8em; height: .8em; margin-right: .3em; vertical-align: -.05em; }
@media print {
  html { background: #fff; }
  body { font-size: 10.5pt; }
  main.paper { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  figure, .headline, tr, p.para { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .headline div, thead th, tr.total th, tr.total td, tbody tr:nth-child(even) { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Accumulates the document, numbering paragraphs, tables and figures as it goes.
struct Doc {
    out: String,
    para: u32,
    table: u32,
    figure: u32,
}

impl Doc {
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// A numbered paragraph; `html` is already escaped.
    fn para(&mut self, html: &str) {
        self.para += 1;
        let _ = writeln!(self.out, "<p class=\"para\"><span class=\"pn\">{}.</span><span>{html}</span></p>", self.para);
    }

    fn section(&mut self, index: usize) {
        self.section_id(SECTIONS[index].0);
    }

    /// Opens the section `id` of [`SECTIONS`] or [`LIVE_SECTIONS`].
    fn section_id(&mut self, id: &str) {
        let (id, title) = SECTIONS.iter().chain(&LIVE_SECTIONS).find(|s| s.0 == id).expect("a section of the paper");
        let _ = writeln!(self.out, "<section aria-labelledby=\"h-{id}\">\n<h2 id=\"h-{id}\">{}</h2>", escape(title));
    }

    fn end_section(&mut self) {
        self.out.push_str("</section>\n");
    }

    /// A figure holding a chart, or a sentence saying why there is none.
    fn figure(&mut self, caption: &str, chart: impl FnOnce(&str, &str) -> Result<String, Box<dyn std::error::Error>>) {
        self.figure += 1;
        let id = format!("figure-{}", self.figure);
        let title = format!("Figure {}: {caption}", self.figure);
        match chart(&id, &title) {
            Ok(svg) => {
                let _ = writeln!(
                    self.out,
                    "<figure>\n{svg}<figcaption><strong>Figure {}:</strong> {}</figcaption>\n</figure>",
                    self.figure,
                    escape(caption)
                );
            }
            Err(e) => {
                let _ = writeln!(
                    self.out,
                    "<p class=\"chart-missing\">Figure {} ({}) could not be drawn: {}.</p>",
                    self.figure,
                    escape(caption),
                    escape(&e.to_string())
                );
            }
        }
    }

    fn table_open(&mut self, caption: &str, headers: &[(&str, bool)]) {
        self.table += 1;
        let _ = write!(self.out, "<table>\n<caption>Table {}: {}</caption>\n<thead><tr>", self.table, escape(caption));
        for (h, numeric) in headers {
            let class = if *numeric { " class=\"n\"" } else { "" };
            let _ = write!(self.out, "<th scope=\"col\"{class}>{}</th>", escape(h));
        }
        self.out.push_str("</tr></thead>\n<tbody>\n");
    }

    /// A body row: the first cell is the row header; cells are (escaped html, numeric).
    fn row(&mut self, class: &str, head: &str, cells: &[(String, bool)]) {
        let class = if class.is_empty() { String::new() } else { format!(" class=\"{class}\"") };
        let _ = write!(self.out, "<tr{class}><th scope=\"row\">{head}</th>");
        for (c, numeric) in cells {
            let cls = match (numeric, c.as_str()) {
                (true, "n/a") => " class=\"n na\"",
                (true, _) => " class=\"n\"",
                _ => "",
            };
            let _ = write!(self.out, "<td{cls}>{c}</td>");
        }
        self.out.push_str("</tr>\n");
    }

    fn table_close(&mut self) {
        self.out.push_str("</tbody>\n</table>\n");
    }
}

fn na_or(x: Option<String>) -> String {
    x.unwrap_or_else(|| "n/a".into())
}

fn paper_month(paper: &BoardPaper) -> Option<YearMonth> {
    YearMonth::parse(&paper.stats.month).ok()
}

/// "Apr-17 to Jul-17 vs Apr-16 to Jul-16", as HTML with each period kept on one line.
fn ytd_periods_html(paper: &BoardPaper) -> String {
    let y = &paper.stats.ytd;
    format!(
        "<span class=\"nowrap\">{}</span> vs <span class=\"nowrap\">{}</span>",
        escape(&period(y.from, y.to)),
        escape(&period(y.from.plus(-12), y.to.plus(-12)))
    )
}

fn previous_fy(paper: &BoardPaper) -> String {
    paper.stats.ytd.from.plus(-12).financial_year().label()
}

/// "higher" / "lower" sentence for a change in percent.
fn change_words(change: f64) -> String {
    let rounded = format::num(change.abs(), 1);
    if rounded == "0.0" {
        "unchanged (0.0%)".to_string()
    } else if change > 0.0 {
        format!("{rounded}% higher")
    } else {
        format!("{rounded}% lower")
    }
}

pub fn render(paper: &BoardPaper, meta: &PaperMeta) -> String {
    let mut doc = Doc { out: String::with_capacity(256 * 1024), para: 0, table: 0, figure: 0 };
    let month_name = month_long_str(&paper.stats.month);
    let force = escape(&paper.stats.force);
    let _ = write!(
        doc.out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"Peel\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main class=\"paper\">\n",
        escape(&meta.title)
    );
    // Masthead.
    let _ = write!(
        doc.out,
        "<header class=\"masthead\">\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n\
         <dl class=\"meta\"><dt>Force</dt><dd>{force}</dd><dt>Month</dt><dd>{}</dd><dt>Generated</dt><dd>{}</dd></dl>\n</header>\n",
        escape(meta.board.as_deref().unwrap_or("Crime and harm report")),
        escape(&meta.title),
        escape(&month_name),
        escape(&meta.generated_at)
    );
    summary(&mut doc, paper, &month_name);
    trend(&mut doc, paper);
    categories(&mut doc, paper, &month_name);
    outcomes(&mut doc, paper, &month_name);
    local_authorities(&mut doc, paper, &month_name);
    concentration(&mut doc, paper);
    if let Some(month) = paper_month(paper) {
        live::sections(&mut doc, paper, month);
    }
    notes(&mut doc, paper, meta);
    let _ = write!(
        doc.out,
        "<footer>Produced by Peel on {}.</footer>\n</main>\n</body>\n</html>\n",
        escape(&meta.generated_at)
    );
    doc.out
}

fn summary(doc: &mut Doc, paper: &BoardPaper, month_name: &str) {
    let s = &paper.stats;
    let y = &s.ytd;
    doc.section(0);
    // (label, figure, sub-line); the sub-line is escaped here because the year-to-date one
    // keeps each period on one line.
    let mut cards: Vec<(String, String, String)> = vec![
        ("Crimes recorded".into(), int(s.crimes), escape(&format!("{month_name}, anti-social behaviour excluded"))),
        if paper.own_records {
            // Not a crime, so not in the force's crime records: no data, never a zero tile.
            ("Anti-social behaviour".into(), "n/a".into(), "not in the force's crime records".into())
        } else {
            ("Anti-social behaviour".into(), int(s.asb), "incidents in the month".into())
        },
    ];
    cards.push(match s.rate_per_1000 {
        Some(r) => ("Crime rate".into(), format::num(r, 2), "crimes per 1,000 population".into()),
        None => ("Crime rate".into(), "n/a".into(), "population not imported".into()),
    });
    cards.push(("Crime harm".into(), whole(s.harm), "CCHI days".into()));
    cards.push((
        format!("Year to date {}", y.financial_year),
        na_or(y.change_pct.map(signed_pct)),
        ytd_periods_html(paper),
    ));
    cards.push((
        "Positive outcome rate".into(),
        na_or(paper.positive_outcome_rate.map(pct)),
        "of crimes recorded in the month, so far".into(),
    ));
    doc.raw("<div role=\"group\" aria-label=\"Headline figures\">\n<dl class=\"headline\">\n");
    for (label, figure, sub) in &cards {
        let _ = writeln!(
            doc.out,
            "<div><dt>{}</dt><dd><span class=\"figure\">{}</span><span class=\"sub\">{}</span></dd></div>",
            escape(label),
            escape(figure),
            sub
        );
    }
    doc.raw("</dl>\n</div>\n");

    if paper.own_records {
        doc.para(&format!(
            "In {} {} recorded {} crimes (anti-social behaviour is not crime and is not in these records).",
            escape(month_name),
            escape(&s.force),
            int(s.crimes)
        ));
    } else {
        doc.para(&format!(
            "In {} {} recorded {} crimes, anti-social behaviour excluded, and {} incidents of anti-social behaviour.",
            escape(month_name),
            escape(&s.force),
            int(s.crimes),
            int(s.asb)
        ));
    }
    let fy_prev = previous_fy(paper);
    let months = period(y.from, y.to);
    let ytd_sentence = match y.change_pct {
        Some(c) => format!(
            "Total recorded crime is {} year to date ({months}) than in {fy_prev}: {} crimes against {}.",
            change_words(c),
            whole(y.current),
            whole(y.previous)
        ),
        None if y.previous_months_with_data == 0 => format!(
            "Year to date ({months}) the force has recorded {} crimes; no comparison with {fy_prev} can be made because \
             no data for the same months of {fy_prev} has been imported.",
            whole(y.current)
        ),
        None => format!(
            "Year to date ({months}) the force has recorded {} crimes; the same months of {fy_prev} recorded none, so no \
             percentage change can be given.",
            whole(y.current)
        ),
    };
    let average = paper
        .monthly_average_ytd
        .map(|a| format!(" The monthly volume averages {} crimes in {} so far.", format::average(a), y.financial_year))
        .unwrap_or_default();
    doc.para(&(escape(&ytd_sentence) + &escape(&average)));
    match s.rate_per_1000 {
        Some(r) => doc.para(&format!(
            "The force recorded {} crimes per 1,000 residents in the month (ONS 2011 usual residents: {}).",
            format::num(r, 2),
            int(s.population)
        )),
        None => doc.para(
            "A rate per 1,000 population cannot be given: ONS population data has not been imported for the force.",
        ),
    }
    doc.para(&format!(
        "Crime in the month carries {} days of harm by the Cambridge Crime Harm Index (CCHI): each crime is weighted by \
         the days of custody the sentencing guidelines give as the starting point for its offence.",
        whole(s.harm)
    ));
    doc.end_section();
}

/// One sentence per signal; a shift or trend (a run of months) is one signal.
pub(crate) fn signal_sentences(trend: &[TrendPoint], c: &XmrChart) -> Vec<String> {
    struct Event {
        start: usize,
        end: usize,
        rule: Rule,
        dir: Direction,
    }
    let mut events: Vec<Event> = Vec::new();
    for rule in [Rule::OutsideLimits, Rule::TwoOfThreeBeyondTwoSigma, Rule::Shift, Rule::Trend] {
        let mut sigs: Vec<_> = c.signals.iter().filter(|s| s.rule == rule && s.index < trend.len()).collect();
        sigs.sort_by_key(|s| s.index);
        for s in sigs {
            let runs = matches!(rule, Rule::Shift | Rule::Trend);
            match events.last_mut() {
                Some(e) if runs && e.rule == rule && e.dir == s.direction && e.end + 1 == s.index => e.end = s.index,
                _ => events.push(Event { start: s.index, end: s.index, rule, dir: s.direction }),
            }
        }
    }
    events.sort_by_key(|e| (e.start, e.rule as u8));
    events
        .iter()
        .map(|e| {
            let m0 = trend[e.start].month.short_label();
            let m1 = trend[e.end].month.short_label();
            let v = whole(trend[e.start].crimes);
            let high = e.dir == Direction::High;
            match e.rule {
                Rule::OutsideLimits => format!(
                    "{m0}: {v} crimes, {} the {} control limit of {} (special cause: outside the control limits).",
                    if high { "above" } else { "below" },
                    if high { "upper" } else { "lower" },
                    whole(if high { c.upper_limit } else { c.lower_limit })
                ),
                Rule::TwoOfThreeBeyondTwoSigma => format!(
                    "{m0}: {v} crimes, more than two sigma {} the mean, with another of three consecutive months \
                     (special cause: 2 of 3 beyond two sigma).",
                    if high { "above" } else { "below" }
                ),
                Rule::Shift => format!(
                    "{m0} to {m1}: {} months in a row {} the mean (shift: a new baseline).",
                    e.end - e.start + 1,
                    if high { "above" } else { "below" }
                ),
                Rule::Trend => format!(
                    "{m0} to {m1}: {} months in a row each {} than the one before (trend).",
                    e.end - e.start + 1,
                    if high { "higher" } else { "lower" }
                ),
            }
        })
        .collect()
}

fn trend(doc: &mut Doc, paper: &BoardPaper) {
    doc.section(1);
    let t = &paper.trend;
    if t.is_empty() {
        doc.para("No month up to the paper's month has data, so there is no trend to show.");
        doc.end_section();
        return;
    }
    let span = period(t[0].month, t[t.len() - 1].month);
    let limits = paper.spc.as_ref().filter(|c| c.enough_points);
    match limits {
        Some(c) => doc.para(&format!(
            "Figure {} shows the crimes recorded each month from {span} on an XmR (statistical process control) chart. \
             The mean is {} crimes a month; the control limits, within which months vary by chance alone, are {} and {}.",
            doc.figure + 1,
            format::average(c.mean),
            whole(c.lower_limit_floored),
            whole(c.upper_limit)
        )),
        None => {
            let reason = paper
                .notes
                .iter()
                .find(|n| n.contains("SPC"))
                .cloned()
                .unwrap_or_else(|| "Too few months of data for SPC control limits.".into());
            doc.para(&format!(
                "Figure {} shows the crimes recorded each month from {span}. {} No control limits are drawn and no \
                 signals are tested.",
                doc.figure + 1,
                escape(&reason)
            ));
        }
    }
    let desc = format!(
        "Line chart of crimes recorded per month, {span}: {}.",
        t.iter().map(|p| format!("{} {}", p.month.short_label(), whole(p.crimes))).collect::<Vec<_>>().join(", ")
    );
    doc.figure(&format!("Crimes recorded per month, {span}, with SPC mean and control limits"), |id, title| {
        charts::trend_chart(paper, id, title, &desc)
    });
    if let Some(c) = limits {
        let sentences = signal_sentences(t, c);
        if sentences.is_empty() {
            doc.para(
                "No month breaks an SPC rule: the variation is common-cause variation, and no month should be read as a \
                 real change.",
            );
        } else {
            doc.para(&format!(
                "The chart shows {} signal{} of special-cause variation, marked by rule:",
                sentences.len(),
                if sentences.len() == 1 { "" } else { "s" }
            ));
            doc.raw("<ul class=\"signals\">\n");
            for s in &sentences {
                let _ = writeln!(doc.out, "<li class=\"signal\">{}</li>", escape(s));
            }
            doc.raw("</ul>\n");
        }
    }
    if let Some(last) = t.last() {
        if let Some(r) = last.rolling_12 {
            let year_before = last.month.plus(-12);
            let before = t.iter().find(|p| p.month == year_before).and_then(|p| p.rolling_12);
            let comparison = match before.and_then(|b| peel_analytics::trend::percent_change(b, r).map(|c| (b, c))) {
                Some((b, c)) => {
                    format!(", {} than the 12 months to {} ({})", change_words(c), year_before.short_label(), whole(b))
                }
                None => String::new(),
            };
            doc.para(&escape(&format!(
                "The rolling 12-month total to {} is {} crimes{comparison}.",
                last.month.short_label(),
                whole(r)
            )));
        }
    }
    doc.end_section();
}

fn categories(doc: &mut Doc, paper: &BoardPaper, month_name: &str) {
    let s = &paper.stats;
    let y = &s.ytd;
    doc.section(2);
    let month_label = paper_month(paper).map_or_else(|| s.month.clone(), |m| m.short_label());
    let fy_prev = previous_fy(paper);
    doc.para(&escape(&format!(
        "Table {} sets out crimes in {month_name} by police.uk category, with the year to date ({}) against the same \
         months of {fy_prev}, the monthly average so far this year, and the harm of the month's crimes.",
        doc.table + 1,
        period(y.from, y.to)
    )));
    if let Some(top) = paper.categories.iter().max_by(|a, b| a.harm.total_cmp(&b.harm)).filter(|r| r.harm > 0.0) {
        let share = if s.harm > 0.0 { top.harm / s.harm } else { 0.0 };
        doc.para(&escape(&format!(
            "{} carries the most harm in the month: {} days, {} of the total, from {} crimes.",
            top.category.name(),
            whole(top.harm),
            pct(share),
            int(top.month)
        )));
    }
    doc.table_open(
        &format!("Crimes by category, {month_name}, and year to date {} against {fy_prev}", y.financial_year),
        &[
            ("Category", false),
            (&month_label, true),
            (&format!("YTD {}", y.financial_year), true),
            (&format!("YTD {fy_prev}"), true),
            ("Change", true),
            ("Monthly average (YTD)", true),
            ("Harm (CCHI days)", true),
        ],
    );
    for r in &paper.categories {
        doc.row(
            "",
            &escape(r.category.name()),
            &[
                (int(r.month), true),
                (whole(r.ytd.current), true),
                (whole(r.ytd.previous), true),
                (na_or(r.ytd.change_pct.map(signed_pct)), true),
                (na_or(r.monthly_average.map(format::average)), true),
                (whole(r.harm), true),
            ],
        );
    }
    doc.row(
        "total",
        "All crime",
        &[
            (int(s.crimes), true),
            (whole(y.current), true),
            (whole(y.previous), true),
            (na_or(y.change_pct.map(signed_pct)), true),
            (na_or(paper.monthly_average_ytd.map(format::average)), true),
            (whole(s.harm), true),
        ],
    );
    doc.table_close();
    doc.end_section();
}

fn outcomes(doc: &mut Doc, paper: &BoardPaper, month_name: &str) {
    doc.section(3);
    let s = &paper.stats;
    match paper.positive_outcome_rate {
        Some(r) => doc.para(&escape(&format!(
            "Of the {} crimes recorded in {month_name}, {} have a positive outcome so far: a charge or summons, an \
             out-of-court disposal, or an offence taken into consideration. Outcomes are police.uk's latest for each \
             crime and rise as investigations finish.",
            int(s.crimes),
            pct(r)
        ))),
        None => doc.para(&escape(&format!("No crimes were recorded in {month_name}, so there is no outcome rate."))),
    }
    if paper.outcome_groups.is_empty() {
        doc.para("No outcomes have been published for the month's crimes.");
        doc.end_section();
        return;
    }
    let total: u64 = paper.outcome_groups.iter().map(|r| r.crimes).sum();
    let mut rows: Vec<_> = paper.outcome_groups.iter().collect();
    rows.sort_by(|a, b| b.crimes.cmp(&a.crimes).then(a.group.cmp(&b.group)));
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: r.label.to_string(),
            value: r.share,
            value_label: pct(r.share),
            color: if r.group.is_positive() { charts::GREEN } else { charts::SLATE },
        })
        .collect();
    let legend = [
        (Marker::Bar(charts::GREEN), "Positive outcome".to_string()),
        (Marker::Bar(charts::SLATE), "Other outcome".to_string()),
    ];
    let desc = format!(
        "Bar chart of the share of crimes in each outcome group: {}.",
        rows.iter().map(|r| format!("{} {}", r.label, pct(r.share))).collect::<Vec<_>>().join(", ")
    );
    doc.figure(&format!("Outcomes of crimes recorded in {month_name}, share by outcome group"), |id, title| {
        charts::bar_chart(
            &bars,
            &legend,
            "Share of crimes with an outcome",
            &|v| format!("{:.0}%", v * 100.0),
            id,
            title,
            &desc,
        )
    });
    doc.table_open(
        &format!("Outcomes of crimes recorded in {month_name}, by outcome group"),
        &[("Outcome group", false), ("Crimes", true), ("Share", true), ("Positive", false)],
    );
    for r in &paper.outcome_groups {
        let positive = if r.group.is_positive() { "<span class=\"positive\">Yes</span>" } else { "No" };
        doc.row("", &escape(r.label), &[(int(r.crimes), true), (pct(r.share), true), (positive.into(), false)]);
    }
    doc.row("total", "All outcomes", &[(int(total), true), (pct(1.0), true), (String::new(), false)]);
    doc.table_close();
    doc.end_section();
}

fn local_authorities(doc: &mut Doc, paper: &BoardPaper, month_name: &str) {
    doc.section(4);
    let rows = &paper.harm_by_local_authority;
    if rows.is_empty() {
        doc.para(&escape(&format!("No crime in {month_name} has a location, so harm cannot be placed by area.")));
        doc.end_section();
        return;
    }
    let top = &rows[0];
    doc.para(&escape(&format!(
        "{} carries the largest share of the month's harm: {} ({} days from {} crimes). Figure {} and Table {} show \
         each local authority; rates use ONS 2011 usual residents of the force's LSOAs in each.",
        top.name,
        pct(top.harm_share),
        whole(top.harm),
        int(top.crimes),
        doc.figure + 1,
        doc.table + 1
    )));
    let mut bars: Vec<Bar> = rows
        .iter()
        .take(if rows.len() > MAX_AREA_BARS { MAX_AREA_BARS - 1 } else { MAX_AREA_BARS })
        .map(|r| Bar {
            label: r.name.clone(),
            value: r.harm,
            value_label: format!("{} ({})", whole(r.harm), pct(r.harm_share)),
            color: charts::BLUE,
        })
        .collect();
    if rows.len() > MAX_AREA_BARS {
        let rest = &rows[MAX_AREA_BARS - 1..];
        let harm: f64 = rest.iter().map(|r| r.harm).sum();
        let share: f64 = rest.iter().map(|r| r.harm_share).sum();
        bars.push(Bar {
            label: format!("{} other areas", rest.len()),
            value: harm,
            value_label: format!("{} ({})", whole(harm), pct(share)),
            color: charts::SLATE,
        });
    }
    let desc = format!(
        "Bar chart of crime harm by local authority, {month_name}: {}.",
        bars.iter().map(|b| format!("{} {} days", b.label, whole(b.value))).collect::<Vec<_>>().join(", ")
    );
    doc.figure(
        &format!("Crime harm by local authority, {month_name} (CCHI days, share of the force's harm)"),
        |id, title| charts::bar_chart(&bars, &[], "Crime harm (CCHI days)", &|v| whole(*v), id, title, &desc),
    );
    doc.table_open(
        &format!("Crime and harm by local authority, {month_name}"),
        &[
            ("Local authority", false),
            ("Crimes", true),
            ("Harm (CCHI days)", true),
            ("Share of harm", true),
            ("Population", true),
            ("Crimes per 1,000", true),
        ],
    );
    for r in rows {
        doc.row(
            "",
            &escape(&r.name),
            &[
                (int(r.crimes), true),
                (whole(r.harm), true),
                (pct(r.harm_share), true),
                (if r.population > 0 { int(r.population) } else { "n/a".into() }, true),
                (na_or(r.rate_per_1000.map(|x| format::num(x, 2))), true),
            ],
        );
    }
    let crimes: u64 = rows.iter().map(|r| r.crimes).sum();
    let harm: f64 = rows.iter().map(|r| r.harm).sum();
    let share: f64 = rows.iter().map(|r| r.harm_share).sum();
    let population: u64 = rows.iter().map(|r| r.population).sum();
    doc.row(
        "total",
        "All areas with a location",
        &[
            (int(crimes), true),
            (whole(harm), true),
            (pct(share), true),
            (if population > 0 { int(population) } else { "n/a".into() }, true),
            (na_or(peel_analytics::trend::rate_per_1000(crimes as f64, population).map(|x| format::num(x, 2))), true),
        ],
    );
    doc.table_close();
    doc.end_section();
}

fn find_figure<'a>(paper: &'a BoardPaper, grid: bool, measure: &str) -> Option<&'a ConcentrationFigures> {
    paper.concentration.figures.iter().find(|f| f.unit.contains("grid") == grid && f.measure == measure)
}

fn share_at(f: &ConcentrationFigures, area: f64) -> Option<f64> {
    f.share_in_top.iter().find(|(a, _)| (a - area).abs() < 1e-9).map(|(_, v)| *v)
}

/// "X% of the force's geography holds 50% of harm; the densest 1.4% holds Y%."
pub(crate) fn concentration_sentence(f: &ConcentrationFigures, whose: &str) -> String {
    let mut s = format!("{} of {whose} holds 50% of {}", pct(f.area_holding_50), f.measure);
    if let Some(y) = share_at(f, 0.014) {
        let _ = write!(s, "; the densest 1.4% holds {}", pct(y));
    }
    s.push('.');
    s
}

fn concentration(doc: &mut Doc, paper: &BoardPaper) {
    doc.section(5);
    let c = &paper.concentration;
    let span = period(c.from, c.to);
    if c.figures.iter().all(|f| f.units_with_value == 0) {
        doc.para(&escape(&format!("No crime from {span} has a location, so its concentration cannot be measured.")));
        doc.end_section();
        return;
    }
    if let Some(f) = find_figure(paper, true, "harm") {
        doc.para(&escape(&format!(
            "Over the {} months {span}{}, {} Measured on 250 m grid cells; harm is the CCHI days of the crimes in each \
             cell.",
            peel_analytics::paper::CONCENTRATION_MONTHS,
            if c.months_with_data < peel_analytics::paper::CONCENTRATION_MONTHS as u32 {
                format!(" (of which {} with published data)", c.months_with_data)
            } else {
                String::new()
            },
            concentration_sentence(f, "the force's geography")
        )));
    }
    if let Some(f) = find_figure(paper, false, "harm") {
        doc.para(&escape(&format!("By LSOA, {}", concentration_sentence(f, "the force's area"))));
    }
    let crime = find_figure(paper, true, "crime");
    if let Some(f) = crime {
        doc.para(&escape(&format!("Counting crimes rather than harm, {}", concentration_sentence(f, "the geography"))));
    }
    doc.para(&format!("Basis of area: {}.", escape(&c.area_basis)));

    let mut curves = Vec::new();
    if let Some(f) = find_figure(paper, true, "harm") {
        curves.push(Curve {
            label: "Harm, 250 m grid cells".into(),
            points: &f.curve,
            color: charts::BLUE,
            dashed: false,
        });
    }
    if let Some(f) = find_figure(paper, false, "harm") {
        curves.push(Curve { label: "Harm, LSOAs".into(), points: &f.curve, color: charts::ORANGE, dashed: true });
    }
    if !curves.is_empty() {
        let desc = format!(
            "Concentration curves of harm, {span}: {}.",
            paper
                .concentration
                .figures
                .iter()
                .filter(|f| f.measure == "harm")
                .map(|f| format!("by {}, {}", f.unit, concentration_sentence(f, "the area").trim_end_matches('.')))
                .collect::<Vec<_>>()
                .join("; ")
        );
        doc.figure(
            &format!("Concentration of harm, {span}: cumulative share of harm against share of area"),
            |id, title| charts::concentration_chart(&curves, "Cumulative share of harm", id, title, &desc),
        );
    }
    let tops: Vec<f64> =
        c.figures.first().map(|f| f.share_in_top.iter().map(|(a, _)| *a).collect()).unwrap_or_default();
    let top_headers: Vec<String> = tops.iter().map(|a| format!("Densest {}", format::area_share_label(*a))).collect();
    let mut headers: Vec<(&str, bool)> = vec![("Measure and unit", false)];
    headers.extend(top_headers.iter().map(|h| (h.as_str(), true)));
    headers.extend([("Area for 50%", true), ("Area for 25%", true), ("Units with crime", true)]);
    doc.para(&escape(&format!(
        "Table {} gives the share of crime and harm in the densest 1%, 1.4%, 5% and 10% of the force's area, and the \
         smallest share of the area that holds half and a quarter of each.",
        doc.table + 1
    )));
    doc.table_open(
        &format!("Concentration of crime and harm, {span}: share held by the densest part of the area"),
        &headers,
    );
    for f in &c.figures {
        let mut cells: Vec<(String, bool)> = tops.iter().map(|a| (na_or(share_at(f, *a).map(pct)), true)).collect();
        cells.push((pct(f.area_holding_50), true));
        cells.push((pct(f.area_holding_25), true));
        cells.push((int(f.units_with_value as u64), true));
        let unit = if f.unit.ends_with('s') { f.unit.to_string() } else { format!("{}s", f.unit) };
        doc.row("", &escape(&format!("{} by {unit}", capitalise(f.measure))), &cells);
    }
    doc.table_close();
    doc.end_section();
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

fn notes(doc: &mut Doc, paper: &BoardPaper, meta: &PaperMeta) {
    doc.section(6);
    doc.raw("<h3>Notes</h3>\n<ol class=\"notes\">\n");
    for n in &paper.notes {
        let _ = writeln!(doc.out, "<li>{}</li>", escape(n));
    }
    let source = if paper.own_records {
        "Crimes are the force's own records, each counted in the month it was recorded; anti-social behaviour is not \
         crime and is not in them."
    } else {
        "Crimes are police.uk street-level records; anti-social behaviour is reported apart and never counted as crime."
    };
    let harm = if paper.own_records {
        "Harm is the Cambridge Crime Harm Index: days of custody at the sentencing starting point for a first offender, \
         for each crime's own Home Office subgroup (fraud, which the index does not weigh, counts no harm)."
    } else {
        "Harm is the Cambridge Crime Harm Index: days of custody at the sentencing starting point for a first offender, \
         weighted to each police.uk category by the national mix of its Home Office offence groups."
    };
    let method = [
        source,
        "SPC: XmR chart after NHS England's \"Making Data Count\": limits are the mean \u{b1} 2.66 \u{d7} the mean moving \
         range; signals are a month outside the limits, 7 months in a row on one side of the mean (shift), 7 months in a \
         row rising or falling (trend), and 2 of 3 months beyond two sigma on one side.",
        harm,
        "Percentages are rounded to one decimal place and may not sum to 100%.",
    ];
    for m in method {
        let _ = writeln!(doc.out, "<li>{}</li>", escape(m));
    }
    doc.raw("</ol>\n<h3>Data sources</h3>\n");
    if meta.sources.is_empty() {
        doc.raw("<p>No source files were recorded for this paper.</p>\n");
    } else {
        doc.raw("<ul class=\"sources\">\n");
        for s in &meta.sources {
            let _ = writeln!(doc.out, "<li>{}</li>", escape(s));
        }
        doc.raw("</ul>\n");
    }
    let months = &paper.months_with_data;
    if let (Some(first), Some(last)) = (months.first(), months.last()) {
        let _ =
            writeln!(doc.out, "<p>Months with data: {} ({} months).</p>", escape(&period(*first, *last)), months.len());
    }
    let _ = writeln!(doc.out, "<p class=\"licence\">{}</p>", escape(OGL_LINE));
    doc.end_section();
}
