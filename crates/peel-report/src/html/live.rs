//! The paper's sections from the force's own records (outcome rates by crime type, domestic
//! abuse and hate crime, serious youth violence, harm by NPU, the Impact Area table, Victims'
//! Code compliance) and the comparison with England and Wales. Each is written only when the
//! paper has its figures: a police.uk paper has none of the first six.

use super::{na_or, Doc};
use crate::format::{self, escape, int, month_long, pct, period, signed_pct, whole};
use peel_analytics::live::{ComplianceRow, FlagRow};
use peel_analytics::BoardPaper;
use peel_domain::YearMonth;

/// The optional sections, in the order they follow the fixed ones (before the notes).
pub const LIVE_SECTIONS: [(&str, &str); 7] = [
    ("burglary", "Residential burglary"),
    ("outcome-rates", "Positive outcome rates by crime type"),
    ("vulnerability", "Domestic abuse, hate crime and serious youth violence"),
    ("npus", "Harm by neighbourhood policing unit"),
    ("impact-areas", "Impact Areas"),
    ("victims-code", "Victims' Code compliance"),
    ("comparison", "Comparison with England and Wales"),
];

pub(super) fn sections(doc: &mut Doc, paper: &BoardPaper, month: YearMonth) {
    burglary(doc, paper, month);
    outcome_rates(doc, paper);
    vulnerability(doc, paper, month);
    npus(doc, paper, month);
    impact_areas(doc, paper);
    victims_code(doc, paper);
    comparison(doc, paper);
}

/// Residential burglary per 1,000 households (ONS 2011 households of the paper's LSOAs), the
/// measure the Home Office and forces rate it by, with the year to date.
fn burglary(doc: &mut Doc, paper: &BoardPaper, month: YearMonth) {
    let Some(live) = &paper.live else { return };
    let b = &live.residential_burglary;
    doc.section_id("burglary");
    let households = paper.stats.households;
    let rate = (households > 0).then(|| b.month as f64 * 1000.0 / households as f64);
    let rate_text = match rate {
        Some(r) => format!("{} per 1,000 households ({} households, ONS 2011)", format::num(r, 2), int(households)),
        None => "no rate: ONS households are not imported".to_string(),
    };
    doc.para(&escape(&format!(
        "{} residential burglaries were recorded in {}: {rate_text}. Year to date, {} against {} in the same months \
         last year ({}).",
        int(b.month),
        month_long(month),
        whole(b.ytd.current),
        whole(b.ytd.previous),
        change(b.ytd.previous, b.ytd.current)
    )));
    doc.end_section();
}

fn change(previous: f64, current: f64) -> String {
    na_or(peel_analytics::trend::percent_change(previous, current).map(signed_pct))
}

fn outcome_rates(doc: &mut Doc, paper: &BoardPaper) {
    let Some(live) = &paper.live else { return };
    doc.section_id("outcome-rates");
    let ytd = period(live.ytd_from, live.ytd_to);
    doc.para(&escape(&format!(
        "Of the crimes recorded in {ytd}, the share with a positive outcome (a charge or summons, a caution, an \
         offence taken into consideration, a penalty notice, a cannabis or khat warning or a community resolution) \
         assigned by the end of {}, by crime type. Where the force last reported a rate to the board, it stands \
         beside the live figure.",
        month_long(live.ytd_to)
    )));
    doc.table_open(
        &format!("Positive outcome rate by crime type, crimes recorded {ytd}"),
        &[
            ("Crime type", false),
            ("Crimes", true),
            ("Positive outcomes", true),
            ("Rate", true),
            ("Last reported", true),
        ],
    );
    let (mut crimes, mut positive) = (0, 0);
    for r in &live.outcome_rates {
        crimes += r.crimes;
        positive += r.positive;
        doc.row(
            "",
            &escape(r.category.name()),
            &[
                (int(r.crimes), true),
                (int(r.positive), true),
                (na_or(r.rate.map(pct)), true),
                (na_or(r.reported.map(pct)), true),
            ],
        );
    }
    let rate = (crimes > 0).then(|| positive as f64 / crimes as f64);
    doc.row(
        "total",
        "All crime",
        &[(int(crimes), true), (int(positive), true), (na_or(rate.map(pct)), true), (String::new(), true)],
    );
    doc.table_close();
    for r in live.outcome_rates.iter().filter(|r| r.reported.is_some()) {
        doc.para(&escape(&format!(
            "{}: {} now against {} last reported ({}).",
            r.category.name(),
            na_or(r.rate.map(pct)),
            na_or(r.reported.map(pct)),
            r.reported_source.unwrap_or("")
        )));
    }
    doc.end_section();
}

fn flag_cells(r: &FlagRow) -> Vec<(String, bool)> {
    vec![
        (int(r.month), true),
        (whole(r.ytd.current), true),
        (whole(r.ytd.previous), true),
        (change(r.ytd.previous, r.ytd.current), true),
    ]
}

fn vulnerability(doc: &mut Doc, paper: &BoardPaper, month: YearMonth) {
    let Some(live) = &paper.live else { return };
    doc.section_id("vulnerability");
    let ytd = period(live.ytd_from, live.ytd_to);
    let last_year = period(live.ytd_from.plus(-12), live.ytd_to.plus(-12));
    if let Some(da) = live.flags.iter().find(|r| r.flag == "domestic-abuse") {
        doc.para(&escape(&format!(
            "{} domestic abuse crimes were recorded in {}; {} in {ytd} against {} in {last_year} ({}).",
            int(da.month),
            month_long(month),
            whole(da.ytd.current),
            whole(da.ytd.previous),
            change(da.ytd.previous, da.ytd.current)
        )));
        if da.ytd.months_with_data < da.ytd.months_in_period
            || da.ytd.previous_months_with_data < da.ytd.months_in_period
        {
            doc.para(&escape(&format!(
                "The year to date holds {} of {} months this year and {} last year: months with no records are \
                 missing, not zero.",
                da.ytd.months_with_data, da.ytd.months_in_period, da.ytd.previous_months_with_data
            )));
        }
    }
    doc.table_open(
        &format!("Flagged crime: {}, and {ytd} against {last_year}", month_long(month)),
        &[("Flag", false), ("Month", true), ("Year to date", true), ("Last year", true), ("Change", true)],
    );
    for r in &live.flags {
        doc.row("", &escape(&r.label), &flag_cells(r));
    }
    doc.table_close();
    for t in live.flag_trends.iter().filter(|t| t.trend.iter().any(|p| p.crimes > 0.0)) {
        let (first, last) = (t.trend[0].month, t.trend[t.trend.len() - 1].month);
        let span = period(first, last);
        let desc = format!(
            "Line chart of {} crimes per month, {span}: {}.",
            t.label.to_lowercase(),
            t.trend
                .iter()
                .map(|p| format!("{} {}", p.month.short_label(), whole(p.crimes)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        doc.figure(
            &format!("{} crimes recorded per month, {span}, with SPC mean and control limits", t.label),
            |id, title| crate::charts::series_chart(&t.trend, t.spc.as_ref(), id, title, &desc),
        );
        match t.spc.as_ref().filter(|c| c.enough_points) {
            Some(c) => {
                let sentences = super::signal_sentences(&t.trend, c);
                if sentences.is_empty() {
                    doc.para(&escape(&format!("{}: no month breaks an SPC rule.", t.label)));
                } else {
                    doc.para(&escape(&format!("{}: {}", t.label, sentences.join(" "))));
                }
            }
            None => doc.para(&escape(&format!(
                "{}: {} month(s) of records, too few for control limits; no signals are tested.",
                t.label,
                t.trend.len()
            ))),
        }
    }
    let y = &live.youth_violence;
    doc.para(&escape(&format!(
        "Serious youth violence (violence with injury against a victim under 25, seed 004 §24): {} crimes in {} \
         ({} days of harm); {} in {ytd} against {} in {last_year} ({}).",
        int(y.month.crimes),
        month_long(month),
        whole(y.month.harm),
        int(y.ytd.crimes),
        int(y.previous_ytd.crimes),
        change(y.previous_ytd.crimes as f64, y.ytd.crimes as f64)
    )));
    if y.ytd.victim_age_unknown > 0 {
        doc.para(&escape(&format!(
            "{} crimes of violence with injury in {ytd} have no victim's age recorded and are not counted as youth \
             violence.",
            int(y.ytd.victim_age_unknown)
        )));
    }
    doc.end_section();
}

fn npus(doc: &mut Doc, paper: &BoardPaper, month: YearMonth) {
    if paper.harm_by_npu.is_empty() {
        return;
    }
    doc.section_id("npus");
    doc.para(&escape(&format!(
        "Crime and harm in {} by neighbourhood policing unit, as the force defines its units (a crime counts in the \
         unit its LSOA lies in).",
        month_long(month)
    )));
    doc.table_open(
        &format!("Crime and harm by neighbourhood policing unit, {}", month_long(month)),
        &[
            ("NPU", false),
            ("Crimes", true),
            ("Harm (CCHI days)", true),
            ("Share of harm", true),
            ("Crimes per 1,000", true),
        ],
    );
    for r in &paper.harm_by_npu {
        doc.row(
            "",
            &escape(&r.name),
            &[
                (int(r.crimes), true),
                (whole(r.harm), true),
                (pct(r.harm_share), true),
                (na_or(r.rate_per_1000.map(|x| format::num(x, 2))), true),
            ],
        );
    }
    doc.table_close();
    doc.end_section();
}

fn impact_areas(doc: &mut Doc, paper: &BoardPaper) {
    let Some(t) = &paper.impact_areas else { return };
    doc.section_id("impact-areas");
    if let Some(missing) = t.months_missing.first() {
        doc.para(&escape(&format!(
            "The four rolling years need every month from {}; {} month(s) have no records (the first {}), so no \
             status is given: a missing month would read as a fall in harm.",
            month_long(t.windows[0].0),
            t.months_missing.len(),
            month_long(*missing)
        )));
    } else {
        doc.para(&escape(
            "Rolling 12-month crime harm in each Impact Area at four month-ends, the change each month and the \
             status, in the shape of the force's Impact Area table (seed 004 table 3): Outstanding when harm fell \
             all three months, Good one or two, Needs improvement rose two of three, Poor rose all three.",
        ));
    }
    let mut headers: Vec<String> = vec!["Impact Area".into(), "NPU".into()];
    for (i, (from, to)) in t.windows.iter().enumerate() {
        headers.push(period(*from, *to));
        if i > 0 {
            headers.push("% Dif.".into());
        }
    }
    headers.push("Status".into());
    let header_refs: Vec<(&str, bool)> =
        headers.iter().enumerate().map(|(i, h)| (h.as_str(), i >= 2 && h != "Status")).collect();
    doc.table_open("Impact Area status: rolling 12-month crime harm (CCHI days)", &header_refs);
    for r in &t.rows {
        let mut cells = vec![(escape(&r.local_authority), false)];
        for (i, h) in r.harm.iter().enumerate() {
            cells.push((whole(*h), true));
            if i > 0 {
                cells.push((na_or(r.change_pct[i - 1].map(signed_pct)), true));
            }
        }
        cells.push((r.status.map_or("n/a".into(), |s| s.label().to_string()), false));
        doc.row("", &escape(&r.area), &cells);
    }
    doc.table_close();
    doc.end_section();
}

fn compliance_row(r: &ComplianceRow) -> Vec<(String, bool)> {
    vec![(int(r.due), true), (int(r.met_on_time), true), (na_or(r.rate.map(pct)), true)]
}

fn victims_code(doc: &mut Doc, paper: &BoardPaper) {
    let Some(v) = &paper.victims_code else { return };
    doc.section_id("victims-code");
    doc.para(&escape(&format!(
        "Victims' Code entitlements owed to the victims of crimes recorded {}: {} of {} due were met on time ({}).",
        v.period,
        int(v.overall.met_on_time),
        int(v.overall.due),
        na_or(v.overall.rate.map(pct))
    )));
    let headers = [("Due", true), ("Met on time", true), ("Compliance", true)];
    let mut with_name = vec![("Right", false)];
    with_name.extend(headers);
    doc.table_open("Victims' Code compliance by right", &with_name);
    for r in &v.by_right {
        doc.row("", &escape(&r.name), &compliance_row(r));
    }
    doc.row("total", "All rights", &compliance_row(&v.overall));
    doc.table_close();
    let mut with_team = vec![("Team", false)];
    with_team.extend(headers);
    doc.table_open("Victims' Code compliance by team", &with_team);
    for r in &v.by_team {
        doc.row("", &escape(&r.name), &compliance_row(r));
    }
    doc.table_close();
    doc.end_section();
}

fn comparison(doc: &mut Doc, paper: &BoardPaper) {
    let Some(c) = &paper.comparison else { return };
    doc.section_id("comparison");
    let similar = if c.similar_forces.is_empty() {
        "No most similar forces are set for this force, so only England and Wales is shown.".to_string()
    } else {
        format!("Most similar forces, pooled: {}.", c.similar_forces.join(", "))
    };
    let all = c.rows.last();
    let lead = match all.and_then(|a| Some((a.force?, a.england_and_wales?))) {
        Some((f, ew)) => format!(
            "In {} the force recorded {} crimes per 1,000 people against {} in England and Wales.",
            c.financial_year,
            format::num(f, 1),
            format::num(ew, 1)
        ),
        None => format!("The Home Office table for {} has no population to rate the force by.", c.financial_year),
    };
    doc.para(&escape(&format!(
        "{lead} {similar} Rates are the Home Office's police recorded crime for the financial year over ONS 2011 \
         Census residents; the latest year the store holds{}.",
        if c.quarters < 4 { format!(" ({} of 4 quarters for the force)", c.quarters) } else { String::new() }
    )));
    if !c.forces_left_out.is_empty() {
        doc.para(&escape(&format!(
            "England and Wales pools the {} forces the store has residents and a whole year for; left out for want \
             of them: {}.",
            c.forces_pooled,
            c.forces_left_out.join(", ")
        )));
    }
    doc.table_open(
        &format!("Crimes per 1,000 people by offence group, {}", c.financial_year),
        &[("Offence group", false), ("Force", true), ("Most similar forces", true), ("England and Wales", true)],
    );
    let n = c.rows.len();
    for (i, r) in c.rows.iter().enumerate() {
        let f = |x: Option<f64>| na_or(x.map(|v| format::num(v, 2)));
        doc.row(
            if i + 1 == n { "total" } else { "" },
            &escape(&r.group),
            &[(f(r.force), true), (f(r.similar), true), (f(r.england_and_wales), true)],
        );
    }
    doc.table_close();
    doc.end_section();
}
