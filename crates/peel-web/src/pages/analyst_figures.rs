//! The analysis pages that are tables and charts of one force (or local authority) and
//! month: performance, outcomes, harm by area, Impact Area status, concentration.

use super::analyst::{analysis_page, blocking, paper, select, AnalystQuery, Selection, ROLES};
use super::tag;
use crate::auth::User;
use crate::html::esc;
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::response::Response;
use peel_analytics::areas::{area_table, AreaLevel, AreaRow};
use peel_analytics::impact::{msoa_status_table, ImpactTable, Status, IMPACT_AREAS, WINDOW_MONTHS};
use peel_analytics::outcomes::{outcome_table, OutcomeTable};
use peel_analytics::paper::{ConcentrationFigures, TOP_SHARES};
use peel_analytics::spc::Direction;
use peel_analytics::trend::{percent_change, rate_per_1000};
use peel_report::charts::{self, Bar, Curve};
use peel_report::format::{area_share_label, average, int, num, pct, period, signed_pct, whole};
use std::fmt::Write;

fn weights() -> [f64; 14] {
    peel_domain::harm::category_weights()
}

fn na(x: Option<String>) -> String {
    x.unwrap_or_else(|| "n/a".into())
}

/// One headline figure: label, figure, a line under it.
fn card(label: &str, figure: &str, sub: &str) -> String {
    format!(
        "<div class=\"card\"><span class=\"label\">{}</span><span class=\"big\">{}</span>{}</div>",
        esc(label),
        esc(figure),
        esc(sub)
    )
}

/// A chart in a figure with its caption, or a sentence saying why it could not be drawn.
fn figure(svg: Result<String, Box<dyn std::error::Error>>, caption: &str) -> String {
    match svg {
        Ok(svg) => format!("<figure>{svg}<figcaption>{}</figcaption></figure>", esc(caption)),
        Err(e) => format!("<p>The chart ({}) could not be drawn: {}.</p>", esc(caption), esc(&e.to_string())),
    }
}

macro_rules! analysis_handler {
    ($name:ident, $path:literal, $title:literal, $body:ident) => {
        pub async fn $name(
            State(state): State<WebState>,
            user: User,
            Query(q): Query<AnalystQuery>,
        ) -> Result<Response, WebError> {
            user.require(&ROLES)?;
            let sel = select(&state, &q).await?;
            let s = sel.clone();
            let body = blocking(move || Ok($body(&s))).await?;
            Ok(analysis_page(&user, &sel, $path, $title, &body))
        }
    };
}

analysis_handler!(performance, "/analyst/performance", "Performance", performance_body);
analysis_handler!(outcomes, "/analyst/outcomes", "Outcomes", outcomes_body);
analysis_handler!(areas, "/analyst/areas", "Harm by area", areas_body);
analysis_handler!(impact_areas, "/analyst/impact-areas", "Impact Area status", impact_body);
analysis_handler!(concentration, "/analyst/concentration", "Concentration", concentration_body);

/// Performance: headline comparisons, then the XmR chart and its signals.
fn performance_body(sel: &Selection) -> String {
    let p = paper(sel);
    let s = &p.stats;
    let y = &s.ytd;
    let month = sel.month;
    let rolling_at = |m| p.trend.iter().find(|t| t.month == m).and_then(|t| t.rolling_12);
    let (rolling, rolling_before) = (rolling_at(month), rolling_at(month.plus(-12)));
    let population = s.population;

    let mut out = String::from("<h2 id=\"headline\">Headline figures</h2><div class=\"cards\">");
    out.push_str(&card(
        "Crimes recorded",
        &int(s.crimes),
        &format!("{}; anti-social behaviour excluded ({} incidents)", month.long_label(), int(s.asb)),
    ));
    out.push_str(&card(
        &format!("Year to date {}", y.financial_year),
        &whole(y.current),
        &match y.change_pct {
            Some(c) => format!(
                "{} against {} in {}",
                signed_pct(c),
                whole(y.previous),
                period(y.from.plus(-12), y.to.plus(-12))
            ),
            None => "no comparison: last year's months are not held".into(),
        },
    ));
    out.push_str(&card(
        "Rolling 12 months",
        &na(rolling.map(whole)),
        &match (rolling, rolling_before) {
            (Some(r), Some(b)) => format!(
                "{} against {} in the 12 months to {}",
                na(percent_change(b, r).map(signed_pct)),
                whole(b),
                month.plus(-12).long_label()
            ),
            (Some(_), None) => "no comparison: the year before is not fully held".into(),
            _ => "needs 12 months of published data".into(),
        },
    ));
    out.push_str(&card(
        "Crimes per 1,000 population",
        &na(rolling.and_then(|r| rate_per_1000(r, population)).map(|r| num(r, 1))),
        &if population > 0 {
            format!(
                "over the rolling 12 months; {} in {} alone (ONS 2011 population {})",
                na(s.rate_per_1000.map(|r| num(r, 2))),
                month.long_label(),
                int(population)
            )
        } else {
            "ONS population not imported".into()
        },
    ));
    out.push_str(&card("Crime harm", &whole(s.harm), &format!("CCHI days, {}", month.long_label())));
    out.push_str("</div>");
    if y.months_with_data < y.months_in_period || y.previous_months_with_data < y.months_in_period {
        let _ = write!(
            out,
            "<p>Year to date compares {} of {} months this year with {} of {} last year: months not published are \
             missing, not zero.</p>",
            y.months_with_data, y.months_in_period, y.previous_months_with_data, y.months_in_period
        );
    }

    out.push_str("<h2 id=\"trend\">Monthly trend with SPC limits</h2>");
    if p.trend.is_empty() {
        out.push_str("<p>No month up to this one has data, so there is no trend to show.</p>");
        return out;
    }
    let span = period(p.trend[0].month, p.trend[p.trend.len() - 1].month);
    let limits = p.spc.as_ref().filter(|c| c.enough_points);
    let desc = format!(
        "Line chart of crimes recorded per month, {span}{}.",
        limits.map_or(String::new(), |c| format!(
            ", with the mean of {} and control limits of {} and {}",
            average(c.mean),
            whole(c.lower_limit_floored),
            whole(c.upper_limit)
        ))
    );
    let title = format!("Crimes recorded per month, {}, {span}", sel.name());
    out.push_str(&figure(
        charts::trend_chart(&p, "trend-chart", &title, &desc),
        &format!("{title}: an XmR chart; each special-cause signal is marked by its rule's shape and colour."),
    ));
    match (&p.spc, limits) {
        (_, Some(c)) => {
            let _ = write!(
                out,
                "<p>Over {} months the mean is {} crimes a month and the mean moving range {}; the control limits are \
                 the mean ± 2.66 × the mean moving range: {} to {}.</p>",
                c.points,
                average(c.mean),
                average(c.mean_moving_range),
                whole(c.lower_limit_floored),
                whole(c.upper_limit)
            );
        }
        (Some(c), None) => {
            let _ = write!(
                out,
                "<p>Only {} months of data up to {}: at least {} are needed before control limits can be relied on, so \
                 none are drawn.</p>",
                c.points,
                month.long_label(),
                peel_analytics::spc::MIN_POINTS
            );
        }
        (None, None) => out.push_str("<p>Too few months for SPC control limits.</p>"),
    }
    out.push_str("<h3 id=\"signals\">Signals</h3>");
    let signals: Vec<String> = limits
        .map(|c| {
            c.signals
                .iter()
                .filter(|s| s.index < p.trend.len())
                .map(|s| {
                    let t = &p.trend[s.index];
                    format!(
                        "<li>{}: {} crimes, {} ({}).</li>",
                        esc(&t.month.long_label()),
                        whole(t.crimes),
                        esc(s.rule.describe()),
                        if s.direction == Direction::High { "high" } else { "low" }
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if signals.is_empty() {
        out.push_str("<p>No special-cause signal: the months vary within what the process itself produces.</p>");
    } else {
        let _ = write!(out, "<ul>{}</ul>", signals.join(""));
    }
    out.push_str(
        "<details><summary>The trend as a table</summary><div class=\"table-wrap\"><table><caption>Crimes per month, \
         rolling 12 months and signals</caption><thead><tr><th scope=\"col\">Month</th><th scope=\"col\" \
         class=\"num\">Crimes</th><th scope=\"col\" class=\"num\">Rolling 12 months</th><th \
         scope=\"col\">Signals</th></tr></thead><tbody>",
    );
    for t in p.trend.iter().rev() {
        let rules: Vec<&str> = t.signals.iter().map(|r| r.describe()).collect();
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&t.month.long_label()),
            whole(t.crimes),
            na(t.rolling_12.map(whole)),
            esc(&rules.join("; "))
        );
    }
    out.push_str("</tbody></table></div></details>");
    out
}

/// Outcomes as HMIC PEEL 2015 figure 4 (seed 003): groups with their types, number and rate.
fn outcomes_body(sel: &Selection) -> String {
    let t = sel.streets.memo(&sel.key("outcomes"), || outcome_table(&sel.data.cols, sel.month.plus(-11), sel.month));
    outcome_html(&t, sel)
}

fn outcome_html(t: &OutcomeTable, sel: &Selection) -> String {
    let span = period(t.from, t.to);
    let mut out = format!(
        "<h2 id=\"figure-4\">Outcomes of crimes recorded, {span}</h2><p>As HMIC's PEEL figure 4: each outcome group \
         with the outcomes in it, as a number and as a rate per 100 crimes recorded in the same 12 months. police.uk \
         gives each crime's latest outcome so far, so these are the crimes recorded in the 12 months by where they \
         stand now, not the outcomes recorded in the 12 months as the Home Office counts them; recent months have more \
         crimes still under investigation.</p>"
    );
    if t.crimes == 0 {
        let _ = write!(out, "<p>No crimes were recorded in {} from {span}.</p>", esc(&sel.whose()));
        return out;
    }
    let rate = |n: u64| na(t.rate(n).map(|r| num(r, 1)));
    let _ = write!(
        out,
        "<div class=\"table-wrap\"><table><caption>Outcomes of the {} crimes recorded in {} from {span}, by outcome \
         group and police.uk outcome</caption><thead><tr><th scope=\"col\">Outcome type/group</th><th scope=\"col\" \
         class=\"num\">Number of outcomes</th><th scope=\"col\" class=\"num\">Rate per 100 crimes</th></tr></thead><tbody>",
        int(t.crimes),
        esc(&sel.name())
    );
    for g in &t.groups {
        let _ = write!(
            out,
            "<tr class=\"group\"><th scope=\"row\"><strong>{}</strong>{}</th><td class=\"num\"><strong>{}</strong></td>\
             <td class=\"num\"><strong>{}</strong></td></tr>",
            esc(g.group.label()),
            if g.group.is_positive() { " (positive)" } else { "" },
            int(g.crimes),
            rate(g.crimes)
        );
        for ty in &g.types {
            let _ = write!(
                out,
                "<tr><th scope=\"row\" style=\"padding-left:1.5rem;font-weight:400\">{}</th><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td></tr>",
                esc(&ty.outcome),
                int(ty.crimes),
                rate(ty.crimes)
            );
        }
    }
    if t.no_outcome > 0 {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">No outcome published</th><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            int(t.no_outcome),
            rate(t.no_outcome)
        );
    }
    let _ = write!(
        out,
        "<tr class=\"total\"><th scope=\"row\">Crimes recorded</th><td class=\"num\">{}</td><td \
         class=\"num\">100.0</td></tr></tbody></table></div>",
        int(t.crimes)
    );
    let positive = t.positive();
    let _ = write!(
        out,
        "<p>Positive outcomes (charged or summonsed, taken into consideration, out-of-court formal and informal): {} \
         crimes, {} per 100 crimes recorded.</p>",
        int(positive),
        rate(positive)
    );
    out
}

/// Harm by area over the 12 months to the month: local authorities of the force, or the
/// MSOAs of one local authority.
fn areas_body(sel: &Selection) -> String {
    let level = if sel.area.is_some() { AreaLevel::Msoa } else { AreaLevel::LocalAuthority };
    let from = sel.month.plus(-11);
    let rows = sel.streets.memo(&sel.key("areas"), || {
        area_table(&sel.data.cols, &sel.data.geo, level, from.index()..=sel.month.index(), &weights())
    });
    let (unit, unit_in_text) =
        if level == AreaLevel::Msoa { ("MSOA", "MSOA") } else { ("Local authority", "local authority") };
    let span = period(from, sel.month);
    let mut out = format!(
        "<h2 id=\"harm-by-area\">Crime harm by {}, {span}</h2><p>Harm is the Cambridge Crime Harm Index: each crime \
         weighted by the days of custody its offence's sentencing starting point carries (CCHI days), so one robbery \
         counts for more than many thefts. Rates are per 1,000 residents over the 12 months (ONS 2011 population of \
         the area's LSOAs in the force).</p>",
        esc(unit_in_text)
    );
    if rows.is_empty() {
        let _ = write!(out, "<p>No crime with a location in {} from {span}.</p>", esc(&sel.whose()));
        return out;
    }
    out.push_str(&area_chart(&rows, unit_in_text, &span));
    let _ = write!(
        out,
        "<div class=\"table-wrap\"><table><caption>Crimes, harm and rates by {}, {}, {span}</caption><thead><tr>\
         <th scope=\"col\">{unit}</th><th scope=\"col\" class=\"num\">Crimes</th><th scope=\"col\" class=\"num\">Harm \
         (CCHI days)</th><th scope=\"col\" class=\"num\">Share of harm</th><th scope=\"col\" \
         class=\"num\">Population</th><th scope=\"col\" class=\"num\">Crimes per 1,000</th><th scope=\"col\" \
         class=\"num\">Harm per 1,000</th></tr></thead><tbody>",
        esc(unit_in_text),
        esc(&sel.name())
    );
    for r in rows.iter() {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.name),
            int(r.crimes),
            whole(r.harm),
            pct(r.harm_share),
            if r.population > 0 { int(r.population) } else { "n/a".into() },
            na(r.rate_per_1000.map(|x| num(x, 1))),
            na(rate_per_1000(r.harm, r.population).map(whole))
        );
    }
    let crimes: u64 = rows.iter().map(|r| r.crimes).sum();
    let harm: f64 = rows.iter().map(|r| r.harm).sum();
    let _ = write!(
        out,
        "<tr class=\"total\"><th scope=\"row\">All areas</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td \
         class=\"num\">100.0%</td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td></tr>\
         </tbody></table></div>",
        int(crimes),
        whole(harm)
    );
    if level == AreaLevel::LocalAuthority && rows.iter().any(|r| r.population == 0) {
        out.push_str(
            "<p>Areas without a population are neighbouring authorities: police.uk places a few of a force's crimes \
             just over its boundary.</p>",
        );
    }
    out
}

/// The twelve areas with most harm as bars (the table has every area).
fn area_chart(rows: &[AreaRow], unit: &str, span: &str) -> String {
    let bars: Vec<Bar> = rows
        .iter()
        .take(12)
        .map(|r| Bar {
            label: r.name.clone(),
            value: r.harm,
            value_label: format!("{} ({})", whole(r.harm), pct(r.harm_share)),
            color: charts::BLUE,
        })
        .collect();
    let desc = format!(
        "Bar chart of crime harm by {unit}, {span}: {}.",
        bars.iter().map(|b| format!("{} {} days", b.label, whole(b.value))).collect::<Vec<_>>().join(", ")
    );
    let title = format!("Crime harm by {unit}, {span}");
    figure(
        charts::bar_chart(&bars, &[], "Crime harm (CCHI days)", &|v| whole(*v), "area-chart", &title, &desc),
        &format!("{title}: the {} with most harm (CCHI days, share of all harm).", bars.len()),
    )
}

fn status_tag(s: Status) -> String {
    let class = match s {
        Status::Outstanding => "green",
        Status::Good => "",
        Status::NeedsImprovement => "amber",
        Status::Poor => "red",
    };
    tag(class, s.label())
}

/// Impact Area status as seed 004 table 3, over the highest-harm MSOAs (see
/// `peel_analytics::impact` for why MSOAs and how the status is read).
fn impact_body(sel: &Selection) -> String {
    let t = sel.streets.memo(&sel.key("impact"), || {
        msoa_status_table(&sel.data.cols, &sel.data.geo, sel.month, &weights(), IMPACT_AREAS)
    });
    impact_html(&t, sel)
}

fn impact_html(t: &ImpactTable, sel: &Selection) -> String {
    let mut out = format!(
        "<h2 id=\"status\">Change in crime harm in each Impact Area</h2><p>As the force's Impact Area table (seed \
         004, table 3): rolling 12-month crime harm at four successive month-ends, the change each month, and a status. \
         The force's own Impact Area boundaries are not published, so Peel takes the {IMPACT_AREAS} MSOAs (Middle Layer \
         Super Output Areas) of {} with the most harm over the latest 12 months — the force describes its Impact Areas \
         as {IMPACT_AREAS} areas with a disproportionate amount of crime, demand, deprivation and harm — each shown with \
         its local authority in place of the neighbourhood policing unit.</p>",
        esc(&sel.whose())
    );
    if !t.months_missing.is_empty() {
        let months: Vec<String> = t.months_missing.iter().map(|m| m.long_label()).collect();
        let _ = write!(
            out,
            "<div class=\"notice\" role=\"status\"><p>No status is given: the store has no data for {} of the {} \
             months these rolling years need ({}), and a missing month would read as a fall in harm. Import those \
             months' police.uk files to complete the table.</p></div>",
            t.months_missing.len(),
            WINDOW_MONTHS + 3,
            esc(&months.join(", "))
        );
    }
    if t.rows.is_empty() {
        let _ = write!(out, "<p>No crime with a location in {} over the latest 12 months.</p>", esc(&sel.whose()));
        return out;
    }
    let _ = write!(
        out,
        "<div class=\"table-wrap\"><table class=\"impact\"><caption>Change in crime harm (CCHI days) in the {} MSOAs \
         of {} with most harm, {} to {}</caption><thead><tr><th scope=\"col\">Local authority</th><th \
         scope=\"col\">Area (MSOA)</th>",
        t.rows.len(),
        esc(&sel.name()),
        esc(&period(t.windows[0].0, t.windows[0].1)),
        esc(&period(t.windows[t.windows.len() - 1].0, t.windows[t.windows.len() - 1].1)),
    );
    for (i, (from, to)) in t.windows.iter().enumerate() {
        let _ = write!(out, "<th scope=\"col\" class=\"num\">{}: crime harm</th>", esc(&period(*from, *to)));
        if i > 0 {
            out.push_str("<th scope=\"col\" class=\"num\">% dif.</th>");
        }
    }
    out.push_str("<th scope=\"col\">Status</th></tr></thead><tbody>");
    for r in &t.rows {
        let _ = write!(out, "<tr><td>{}</td><th scope=\"row\">{}</th>", esc(&r.local_authority), esc(&r.area));
        for (i, h) in r.harm.iter().enumerate() {
            let _ = write!(out, "<td class=\"num\">{}</td>", num(*h, 1));
            if i > 0 {
                let _ = write!(
                    out,
                    "<td class=\"num\">{}</td>",
                    na(r.change_pct[i - 1].map(|c| format!("{}%", num(c, 2))))
                );
            }
        }
        let _ = write!(out, "<td>{}</td></tr>", r.status.map_or("n/a".into(), status_tag));
    }
    out.push_str("</tbody></table></div>");
    out.push_str(
        "<h3 id=\"legend\">How the status is given</h3><div class=\"table-wrap\"><table><caption>Status legend (seed \
         004, table 3) and Peel's reading of it</caption><thead><tr><th scope=\"col\">Status</th><th \
         scope=\"col\">The force's legend</th><th scope=\"col\">Of the last three monthly changes</th></tr></thead>\
         <tbody>",
    );
    for (s, rule) in
        Status::ALL.iter().zip(["3 are reductions", "2 are reductions", "1 is a reduction", "none is a reduction"])
    {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            status_tag(*s),
            esc(s.legend()),
            rule
        );
    }
    out.push_str(
        "</tbody></table></div><p>The legend's ranges overlap over three changes (one reduction and two increases is \
         both \"reducing 1 month\" and \"increasing 2 months\"), so Peel counts the reductions. A change of exactly \
         zero is not a reduction.</p>",
    );
    out
}

fn share_in(f: &ConcentrationFigures, area: f64) -> String {
    f.share_in_top.iter().find(|(a, _)| (a - area).abs() < 1e-9).map_or("n/a".into(), |(_, v)| pct(*v))
}

/// Concentration curves and the shares a board quotes ("1.4 per cent of the force's
/// geography but 18.4 per cent of harm", seed 004 §26).
fn concentration_body(sel: &Selection) -> String {
    let p = paper(sel);
    let c = &p.concentration;
    let span = period(c.from, c.to);
    let mut out = format!("<h2 id=\"curves\">Concentration of crime and harm, {span}</h2>");
    if c.figures.iter().all(|f| f.units_with_value == 0) {
        let _ = write!(out, "<p>No crime from {span} has a location, so its concentration cannot be measured.</p>");
        return out;
    }
    let find =
        |grid: bool, measure: &str| c.figures.iter().find(|f| f.unit.contains("grid") == grid && f.measure == measure);
    let sentence = |f: &ConcentrationFigures| {
        format!(
            "{} of the area holds half the {}; the densest 1.4% holds {}",
            pct(f.area_holding_50),
            f.measure,
            share_in(f, 0.014)
        )
    };
    let mut paras = Vec::new();
    if let Some(f) = find(true, "harm") {
        paras.push(format!("On 250 m grid cells, {}.", sentence(f)));
    }
    if let Some(f) = find(true, "crime") {
        paras.push(format!("Counting crimes rather than harm, {}.", sentence(f)));
    }
    if let Some(f) = find(false, "harm") {
        paras.push(format!("By LSOA, {}.", sentence(f)));
    }
    for para in &paras {
        let _ = write!(out, "<p>{}</p>", esc(para));
    }
    let _ = write!(
        out,
        "<p>Over the {} months {span} ({} with published data). Basis of area: {}.</p>",
        peel_analytics::paper::CONCENTRATION_MONTHS,
        c.months_with_data,
        esc(&c.area_basis)
    );
    let mut curves = Vec::new();
    if let Some(f) = find(true, "harm") {
        curves.push(Curve {
            label: "Harm, 250 m grid cells".into(),
            points: &f.curve,
            color: charts::BLUE,
            dashed: false,
        });
    }
    if let Some(f) = find(true, "crime") {
        curves.push(Curve {
            label: "Crime, 250 m grid cells".into(),
            points: &f.curve,
            color: charts::GREEN,
            dashed: true,
        });
    }
    if let Some(f) = find(false, "harm") {
        curves.push(Curve { label: "Harm, LSOAs".into(), points: &f.curve, color: charts::ORANGE, dashed: true });
    }
    let title = format!("Concentration curves, {}, {span}", sel.name());
    let desc = format!("Concentration curves: {}", paras.join(" "));
    out.push_str(&figure(
        charts::concentration_chart(&curves, "Cumulative share of crime or harm", "concentration-chart", &title, &desc),
        &format!(
            "{title}: the share of crime or harm (up) in the densest share of the area (across); the diagonal is an \
             even spread."
        ),
    ));
    out.push_str(
        "<div class=\"table-wrap\"><table><caption>Share of crime and harm in the densest parts of the area</caption>\
         <thead><tr><th scope=\"col\">Unit</th><th scope=\"col\">Measure</th>",
    );
    for s in TOP_SHARES {
        let _ = write!(out, "<th scope=\"col\" class=\"num\">In the densest {}</th>", area_share_label(s));
    }
    out.push_str(
        "<th scope=\"col\" class=\"num\">Area holding half</th><th scope=\"col\" class=\"num\">Area holding a \
         quarter</th><th scope=\"col\" class=\"num\">Units with crime</th></tr></thead><tbody>",
    );
    for f in &c.figures {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th><td>{}</td>", esc(f.unit), esc(f.measure));
        for s in TOP_SHARES {
            let _ = write!(out, "<td class=\"num\">{}</td>", share_in(f, s));
        }
        let _ = write!(
            out,
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            pct(f.area_holding_50),
            pct(f.area_holding_25),
            int(f.units_with_value as u64)
        );
    }
    out.push_str("</tbody></table></div>");
    out
}
