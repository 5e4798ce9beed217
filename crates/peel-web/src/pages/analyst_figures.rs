//! The analysis pages that are tables and charts of one force (or local authority) and
//! month: performance, outcomes, harm by area, Impact Area status, concentration.

use super::analyst::{analysis_page, blocking, paper, select, AnalystQuery, Body, Selection};
use super::tag;
use crate::auth::User;
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use peel_analytics::areas::{area_table, AreaGrouping, AreaLevel, AreaRow};
use peel_analytics::impact::{msoa_status_table, status_table, ImpactTable, Status, IMPACT_AREAS, WINDOW_MONTHS};
use peel_analytics::outcomes::{outcome_table, OutcomeTable};
use peel_analytics::paper::{ConcentrationFigures, TOP_SHARES};
use peel_analytics::spc::Direction;
use peel_analytics::trend::{percent_change, rate_per_1000};
use peel_domain::force_area::{AreaKind, AreaMap};
use peel_report::charts::{self, Bar, Curve};
use peel_report::format::{area_share_label, average, int, num, pct, period, signed_pct, whole};

fn weights() -> [f64; 14] {
    peel_domain::harm::category_weights()
}

fn na(x: Option<String>) -> String {
    x.unwrap_or_else(|| "n/a".into())
}

/// One headline figure: label, figure, a line under it.
fn card(label: &str, figure: &str, sub: &str) -> Markup {
    html! {
        div class="card" { span class="label" { (label) } span class="big" { (figure) } (sub) }
    }
}

/// A chart in a figure with its caption, or a sentence saying why it could not be drawn.
fn figure(svg: Result<String, Box<dyn std::error::Error>>, caption: &str) -> Markup {
    html! {
        @match svg {
            // The SVG is peel-report's charting (plotters), whose titles, descriptions and
            // labels that code escapes itself (charts::finish, format::escape): markup made
            // there, not text from a request.
            Ok(svg) => figure { (PreEscaped(svg)) figcaption { (caption) } },
            Err(e) => p { "The chart (" (caption) ") could not be drawn: " (e.to_string()) "." },
        }
    }
}

macro_rules! analysis_handler {
    ($name:ident, $path:literal, $title:literal, $body:ident) => {
        pub async fn $name(
            State(state): State<WebState>,
            user: User,
            Query(q): Query<AnalystQuery>,
        ) -> Result<Response, WebError> {
            let sel = select(&state, &q).await?;
            let s = sel.clone();
            let body = blocking(move || Ok($body(&s))).await?;
            Ok(analysis_page(&user, &sel, $path, $title, body))
        }
    };
}

analysis_handler!(performance, "/analyst/performance", "Performance", performance_body);
analysis_handler!(outcomes, "/analyst/outcomes", "Outcomes", outcomes_body);
analysis_handler!(areas, "/analyst/areas", "Harm by area", areas_body);

/// Impact Area status: over the force's own Impact Areas when the store defines them (`peel
/// import areas`), else over its highest-harm MSOAs. The definitions are read on each request
/// (they change only by an administrator's import, and the page is the one that needs them).
pub async fn impact_areas(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<AnalystQuery>,
) -> Result<Response, WebError> {
    let sel = select(&state, &q).await?;
    let map = state.run(|store, _| Ok(store.area_map()?)).await?;
    let s = sel.clone();
    let body = blocking(move || Ok(impact_body(&s, &map))).await?;
    Ok(analysis_page(&user, &sel, "/analyst/impact-areas", "Impact Area status", body))
}
analysis_handler!(concentration, "/analyst/concentration", "Concentration", concentration_body);

/// Performance: headline comparisons, then the XmR chart and its signals.
fn performance_body(sel: &Selection) -> (Body, Markup) {
    let p = paper(sel);
    let s = &p.stats;
    let y = &s.ytd;
    let month = sel.month;
    let rolling_at = |m| p.trend.iter().find(|t| t.month == m).and_then(|t| t.rolling_12);
    let (rolling, rolling_before) = (rolling_at(month), rolling_at(month.plus(-12)));
    let population = s.population;
    let mut body = Body::default();

    let cards = html! {
        div class="cards" {
            (card(
                "Crimes recorded",
                &int(s.crimes),
                &format!("{}; anti-social behaviour excluded ({} incidents)", month.long_label(), int(s.asb)),
            ))
            (card(
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
            ))
            (card(
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
            ))
            (card(
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
            ))
            (card("Crime harm", &whole(s.harm), &format!("CCHI days, {}", month.long_label())))
        }
    };
    let headline = html! {
        (body.h2("headline", "Headline figures"))
        (cards)
        @if y.months_with_data < y.months_in_period || y.previous_months_with_data < y.months_in_period {
            p {
                "Year to date compares " (y.months_with_data) " of " (y.months_in_period) " months this year with "
                (y.previous_months_with_data) " of " (y.months_in_period) " last year: months not published are \
                 missing, not zero."
            }
        }
    };
    let trend_heading = body.h2("trend", "Monthly trend with SPC limits");
    if p.trend.is_empty() {
        let markup = html! {
            (headline)
            (trend_heading)
            p { "No month up to this one has data, so there is no trend to show." }
        };
        return (body, markup);
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
    let signals: Vec<_> = limits
        .map(|c| c.signals.iter().filter(|s| s.index < p.trend.len()).map(|s| (&p.trend[s.index], s)).collect())
        .unwrap_or_default();
    let markup = html! {
        (headline)
        (trend_heading)
        (figure(
            charts::trend_chart(&p, "trend-chart", &title, &desc),
            &format!("{title}: an XmR chart; each special-cause signal is marked by its rule's shape and colour."),
        ))
        @match (&p.spc, limits) {
            (_, Some(c)) => p {
                "Over " (c.points) " months the mean is " (average(c.mean)) " crimes a month and the mean moving \
                 range " (average(c.mean_moving_range)) "; the control limits are the mean ± 2.66 × the mean moving \
                 range: " (whole(c.lower_limit_floored)) " to " (whole(c.upper_limit)) "."
            },
            (Some(c), None) => p {
                "Only " (c.points) " months of data up to " (month.long_label()) ": at least "
                (peel_analytics::spc::MIN_POINTS) " are needed before control limits can be relied on, so none are \
                 drawn."
            },
            (None, None) => p { "Too few months for SPC control limits." },
        }
        h3 id="signals" { "Signals" }
        @if signals.is_empty() {
            p { "No special-cause signal: the months vary within what the process itself produces." }
        } @else {
            ul {
                @for (t, s) in &signals {
                    li {
                        (t.month.long_label()) ": " (whole(t.crimes)) " crimes, " (s.rule.describe()) " ("
                        (if s.direction == Direction::High { "high" } else { "low" }) ")."
                    }
                }
            }
        }
        details {
            summary { "The trend as a table" }
            div class="table-wrap" {
                table {
                    caption { "Crimes per month, rolling 12 months and signals" }
                    thead {
                        tr {
                            th scope="col" { "Month" }
                            th scope="col" class="num" { "Crimes" }
                            th scope="col" class="num" { "Rolling 12 months" }
                            th scope="col" { "Signals" }
                        }
                    }
                    tbody {
                        @for t in p.trend.iter().rev() {
                            tr {
                                th scope="row" { (t.month.long_label()) }
                                td class="num" { (whole(t.crimes)) }
                                td class="num" { (na(t.rolling_12.map(whole))) }
                                td { (t.signals.iter().map(|r| r.describe()).collect::<Vec<_>>().join("; ")) }
                            }
                        }
                    }
                }
            }
        }
    };
    (body, markup)
}

/// Outcomes as HMIC PEEL 2015 figure 4 (seed 003): groups with their types, number and rate.
fn outcomes_body(sel: &Selection) -> (Body, Markup) {
    let t = sel.streets.memo(&sel.key("outcomes"), || outcome_table(&sel.data.cols, sel.month.plus(-11), sel.month));
    outcome_html(&t, sel)
}

fn outcome_html(t: &OutcomeTable, sel: &Selection) -> (Body, Markup) {
    let span = period(t.from, t.to);
    let mut body = Body::default();
    let rate = |n: u64| na(t.rate(n).map(|r| num(r, 1)));
    let markup = html! {
        (body.h2("figure-4", format!("Outcomes of crimes recorded, {span}")))
        p {
            "As HMIC's PEEL figure 4: each outcome group with the outcomes in it, as a number and as a rate per 100 \
             crimes recorded in the same 12 months. police.uk gives each crime's latest outcome so far, so these are \
             the crimes recorded in the 12 months by where they stand now, not the outcomes recorded in the 12 months \
             as the Home Office counts them; recent months have more crimes still under investigation."
        }
        @if t.crimes == 0 {
            p { "No crimes were recorded in " (sel.whose()) " from " (span) "." }
        } @else {
            div class="table-wrap" {
                table {
                    caption {
                        "Outcomes of the " (int(t.crimes)) " crimes recorded in " (sel.name()) " from " (span)
                        ", by outcome group and police.uk outcome"
                    }
                    thead {
                        tr {
                            th scope="col" { "Outcome type/group" }
                            th scope="col" class="num" { "Number of outcomes" }
                            th scope="col" class="num" { "Rate per 100 crimes" }
                        }
                    }
                    tbody {
                        @for g in &t.groups {
                            tr class="group" {
                                th scope="row" {
                                    strong { (g.group.label()) }
                                    @if g.group.is_positive() { " (positive)" }
                                }
                                td class="num" { strong { (int(g.crimes)) } }
                                td class="num" { strong { (rate(g.crimes)) } }
                            }
                            @for ty in &g.types {
                                tr {
                                    th scope="row" style="padding-left:1.5rem;font-weight:400" { (ty.outcome) }
                                    td class="num" { (int(ty.crimes)) }
                                    td class="num" { (rate(ty.crimes)) }
                                }
                            }
                        }
                        @if t.no_outcome > 0 {
                            tr {
                                th scope="row" { "No outcome published" }
                                td class="num" { (int(t.no_outcome)) }
                                td class="num" { (rate(t.no_outcome)) }
                            }
                        }
                        tr class="total" {
                            th scope="row" { "Crimes recorded" }
                            td class="num" { (int(t.crimes)) }
                            td class="num" { "100.0" }
                        }
                    }
                }
            }
            p {
                "Positive outcomes (charged or summonsed, taken into consideration, out-of-court formal and \
                 informal): " (int(t.positive())) " crimes, " (rate(t.positive())) " per 100 crimes recorded."
            }
        }
    };
    (body, markup)
}

/// Harm by area over the 12 months to the month: local authorities of the force, or the
/// MSOAs of one local authority.
fn areas_body(sel: &Selection) -> (Body, Markup) {
    let level = if sel.area.is_some() { AreaLevel::Msoa } else { AreaLevel::LocalAuthority };
    let from = sel.month.plus(-11);
    let rows = sel.streets.memo(&sel.key("areas"), || {
        area_table(&sel.data.cols, &sel.data.geo, level, from.index()..=sel.month.index(), &weights())
    });
    let (unit, unit_in_text) =
        if level == AreaLevel::Msoa { ("MSOA", "MSOA") } else { ("Local authority", "local authority") };
    let span = period(from, sel.month);
    let mut body = Body::default();
    let crimes: u64 = rows.iter().map(|r| r.crimes).sum();
    let harm: f64 = rows.iter().map(|r| r.harm).sum();
    let markup = html! {
        (body.h2("harm-by-area", format!("Crime harm by {unit_in_text}, {span}")))
        p {
            "Harm is the Cambridge Crime Harm Index: each crime weighted by the days of custody its offence's \
             sentencing starting point carries (CCHI days), so one robbery counts for more than many thefts. Rates \
             are per 1,000 residents over the 12 months (ONS 2011 population of the area's LSOAs in the force)."
        }
        @if rows.is_empty() {
            p { "No crime with a location in " (sel.whose()) " from " (span) "." }
        } @else {
            (area_chart(&rows, unit_in_text, &span))
            div class="table-wrap" {
                table {
                    caption { "Crimes, harm and rates by " (unit_in_text) ", " (sel.name()) ", " (span) }
                    thead {
                        tr {
                            th scope="col" { (unit) }
                            th scope="col" class="num" { "Crimes" }
                            th scope="col" class="num" { "Harm (CCHI days)" }
                            th scope="col" class="num" { "Share of harm" }
                            th scope="col" class="num" { "Population" }
                            th scope="col" class="num" { "Crimes per 1,000" }
                            th scope="col" class="num" { "Harm per 1,000" }
                        }
                    }
                    tbody {
                        @for r in rows.iter() {
                            tr {
                                th scope="row" { (r.name) }
                                td class="num" { (int(r.crimes)) }
                                td class="num" { (whole(r.harm)) }
                                td class="num" { (pct(r.harm_share)) }
                                td class="num" { (if r.population > 0 { int(r.population) } else { "n/a".into() }) }
                                td class="num" { (na(r.rate_per_1000.map(|x| num(x, 1)))) }
                                td class="num" { (na(rate_per_1000(r.harm, r.population).map(whole))) }
                            }
                        }
                        tr class="total" {
                            th scope="row" { "All areas" }
                            td class="num" { (int(crimes)) }
                            td class="num" { (whole(harm)) }
                            td class="num" { "100.0%" }
                            td class="num" {}
                            td class="num" {}
                            td class="num" {}
                        }
                    }
                }
            }
            @if level == AreaLevel::LocalAuthority && rows.iter().any(|r| r.population == 0) {
                p {
                    "Areas without a population are neighbouring authorities: police.uk places a few of a force's \
                     crimes just over its boundary."
                }
            }
        }
    };
    (body, markup)
}

/// The twelve areas with most harm as bars (the table has every area).
fn area_chart(rows: &[AreaRow], unit: &str, span: &str) -> Markup {
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

fn status_tag(s: Status) -> Markup {
    let class = match s {
        Status::Outstanding => "green",
        Status::Good => "",
        Status::NeedsImprovement => "amber",
        Status::Poor => "red",
    };
    tag(class, s.label())
}

/// Impact Area status as seed 004 table 3, over the force's Impact Areas if defined, else the
/// highest-harm MSOAs (see `peel_analytics::impact` for why MSOAs and how the status is read).
fn impact_body(sel: &Selection, map: &AreaMap) -> (Body, Markup) {
    if map.defined(AreaKind::ImpactArea) {
        let own = AreaGrouping::of_force_areas(&sel.data.geo, map, AreaKind::ImpactArea);
        let all = own.names.len();
        let t = status_table(&sel.data.cols, &sel.data.geo, sel.month, &weights(), &own, all);
        return impact_html(&t, sel, true);
    }
    let t = sel.streets.memo(&sel.key("impact"), || {
        msoa_status_table(&sel.data.cols, &sel.data.geo, sel.month, &weights(), IMPACT_AREAS)
    });
    impact_html(&t, sel, false)
}

/// `own`: the rows are the force's Impact Areas (with their NPUs), not MSOAs.
fn impact_html(t: &ImpactTable, sel: &Selection, own: bool) -> (Body, Markup) {
    let mut body = Body::default();
    let missing: Vec<String> = t.months_missing.iter().map(|m| m.long_label()).collect();
    let markup = html! {
        (body.h2("status", "Change in crime harm in each Impact Area"))
        @if own {
            p {
                "As the force's Impact Area table (seed 004, table 3): rolling 12-month crime harm at four \
                 successive month-ends, the change each month, and a status, for each Impact Area the store \
                 defines (peel import areas) with its neighbourhood policing unit. A crime counts in the Impact \
                 Area its LSOA lies in."
            }
        } @else {
            p {
                "As the force's Impact Area table (seed 004, table 3): rolling 12-month crime harm at four successive \
                 month-ends, the change each month, and a status. The store defines no Impact Areas (an \
                 administrator imports them with peel import areas), so Peel takes the " (IMPACT_AREAS) " MSOAs \
                 (Middle Layer Super Output Areas) of "
                (sel.whose()) " with the most harm over the latest 12 months — the force describes its Impact Areas as "
                (IMPACT_AREAS) " areas with a disproportionate amount of crime, demand, deprivation and harm — each \
                 shown with its local authority in place of the neighbourhood policing unit."
            }
        }
        @if !missing.is_empty() {
            div class="notice" role="status" {
                p {
                    "No status is given: the store has no data for " (missing.len()) " of the " (WINDOW_MONTHS + 3)
                    " months these rolling years need (" (missing.join(", ")) "), and a missing month would read as \
                     a fall in harm. Import those months' police.uk files to complete the table."
                }
            }
        }
        @if t.rows.is_empty() {
            p { "No crime with a location in " (sel.whose()) " over the latest 12 months." }
        } @else {
            div class="table-wrap" {
                table class="impact" {
                    caption {
                        "Change in crime harm (CCHI days) in the " (t.rows.len())
                        @if own { " Impact Areas of " (sel.name()) " with crime, " } @else { " MSOAs of " (sel.name()) " with most harm, " } (period(t.windows[0].0, t.windows[0].1)) " to "
                        (period(t.windows[t.windows.len() - 1].0, t.windows[t.windows.len() - 1].1))
                    }
                    thead {
                        tr {
                            th scope="col" { @if own { "NPU" } @else { "Local authority" } }
                            th scope="col" { @if own { "Impact Area" } @else { "Area (MSOA)" } }
                            @for (i, (from, to)) in t.windows.iter().enumerate() {
                                th scope="col" class="num" { (period(*from, *to)) ": crime harm" }
                                @if i > 0 { th scope="col" class="num" { "% dif." } }
                            }
                            th scope="col" { "Status" }
                        }
                    }
                    tbody {
                        @for r in &t.rows {
                            tr {
                                td { (r.local_authority) }
                                th scope="row" { (r.area) }
                                @for (i, h) in r.harm.iter().enumerate() {
                                    td class="num" { (num(*h, 1)) }
                                    @if i > 0 {
                                        td class="num" { (na(r.change_pct[i - 1].map(|c| format!("{}%", num(c, 2))))) }
                                    }
                                }
                                td {
                                    @match r.status {
                                        Some(s) => (status_tag(s)),
                                        None => "n/a",
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h3 id="legend" { "How the status is given" }
            div class="table-wrap" {
                table {
                    caption { "Status legend (seed 004, table 3) and Peel's reading of it" }
                    thead {
                        tr {
                            th scope="col" { "Status" }
                            th scope="col" { "The force's legend" }
                            th scope="col" { "Of the last three monthly changes" }
                        }
                    }
                    tbody {
                        @for (s, rule) in Status::ALL.iter().zip(["3 are reductions", "2 are reductions", "1 is a reduction", "none is a reduction"]) {
                            tr {
                                th scope="row" { (status_tag(*s)) }
                                td { (s.legend()) }
                                td { (rule) }
                            }
                        }
                    }
                }
            }
            p {
                "The legend's ranges overlap over three changes (one reduction and two increases is both \"reducing 1 \
                 month\" and \"increasing 2 months\"), so Peel counts the reductions. A change of exactly zero is not a \
                 reduction."
            }
        }
    };
    (body, markup)
}

fn share_in(f: &ConcentrationFigures, area: f64) -> String {
    f.share_in_top.iter().find(|(a, _)| (a - area).abs() < 1e-9).map_or("n/a".into(), |(_, v)| pct(*v))
}

/// Concentration curves and the shares a board quotes ("1.4 per cent of the force's
/// geography but 18.4 per cent of harm", seed 004 §26).
fn concentration_body(sel: &Selection) -> (Body, Markup) {
    let p = paper(sel);
    let c = &p.concentration;
    let span = period(c.from, c.to);
    let mut body = Body::default();
    let heading = body.h2("curves", format!("Concentration of crime and harm, {span}"));
    if c.figures.iter().all(|f| f.units_with_value == 0) {
        let markup = html! {
            (heading)
            p { "No crime from " (span) " has a location, so its concentration cannot be measured." }
        };
        return (body, markup);
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
    let markup = html! {
        (heading)
        @for para in &paras { p { (para) } }
        p {
            "Over the " (peel_analytics::paper::CONCENTRATION_MONTHS) " months " (span) " (" (c.months_with_data)
            " with published data). Basis of area: " (c.area_basis) "."
        }
        (figure(
            charts::concentration_chart(&curves, "Cumulative share of crime or harm", "concentration-chart", &title, &desc),
            &format!(
                "{title}: the share of crime or harm (up) in the densest share of the area (across); the diagonal is \
                 an even spread."
            ),
        ))
        div class="table-wrap" {
            table {
                caption { "Share of crime and harm in the densest parts of the area" }
                thead {
                    tr {
                        th scope="col" { "Unit" }
                        th scope="col" { "Measure" }
                        @for s in TOP_SHARES { th scope="col" class="num" { "In the densest " (area_share_label(s)) } }
                        th scope="col" class="num" { "Area holding half" }
                        th scope="col" class="num" { "Area holding a quarter" }
                        th scope="col" class="num" { "Units with crime" }
                    }
                }
                tbody {
                    @for f in &c.figures {
                        tr {
                            th scope="row" { (f.unit) }
                            td { (f.measure) }
                            @for s in TOP_SHARES { td class="num" { (share_in(f, s)) } }
                            td class="num" { (pct(f.area_holding_50)) }
                            td class="num" { (pct(f.area_holding_25)) }
                            td class="num" { (int(f.units_with_value as u64)) }
                        }
                    }
                }
            }
        }
    };
    (body, markup)
}
