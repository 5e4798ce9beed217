//! The hospital liaison officer's site page: all crime at the site — recording decisions,
//! outcomes, victim-contact status, reports per month, and the site's intelligence. Also the
//! list of sites for the force-wide roles.

use super::{can_see_site, crime_status, render, report_status, tag, PathId};
use crate::access_log::Disclosed;
use crate::auth::{Role, User};
use crate::html;
use crate::pages::partner::kind_label;
use crate::{WebError, WebState};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, Render};
use peel_domain::YearMonth;
use peel_report::format::int;
use std::collections::BTreeMap;

/// A liaison officer's (or partner's) own site.
pub async fn mine(user: User) -> Result<Response, WebError> {
    match user.account.site {
        Some(s) if user.role == Role::Liaison => Ok(Redirect::to(&format!("/sites/{s}")).into_response()),
        Some(_) => Ok(Redirect::to("/partner").into_response()),
        None => Err(WebError::Forbidden("Your account has no site.".into())),
    }
}

pub async fn list(State(state): State<WebState>, user: User) -> Result<Response, WebError> {
    if user.role == Role::Liaison {
        return mine(user).await;
    }
    let rows = state
        .run(|store, _| {
            Ok(store
                .sites()?
                .into_iter()
                .map(|s| {
                    vec![
                        html! { a href={ "/sites/" (s.id) } { (s.details.name) } },
                        s.details.organisation.render(),
                        s.details.organisation_kind.render(),
                        s.details.place.postcode.as_deref().unwrap_or("").render(),
                        s.details.place.neighbourhood_unit.as_deref().unwrap_or("").render(),
                        s.details.place.impact_area.as_deref().unwrap_or("").render(),
                    ]
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let body = html! {
        h1 { "Sites" }
        p { "Partner sites that report crime to the police." }
        (html::table("Sites", &["Site", "Organisation", "Kind", "Postcode", "Neighbourhood unit", "Impact Area"], &rows, "No sites yet."))
    };
    Ok(render(&user, "Sites", body).into_response())
}

/// Reports of crime and incidents on one page of the site's table; intelligence shown.
const REPORT_LINES: usize = 100;
const INTELLIGENCE_LINES: usize = 50;

#[derive(serde::Deserialize, Default)]
pub struct SitePage {
    page: Option<usize>,
}

pub async fn page(
    State(state): State<WebState>,
    user: User,
    PathId(id): PathId,
    axum::extract::Query(q): axum::extract::Query<SitePage>,
) -> Result<Response, WebError> {
    if user.role == Role::Partner || !can_see_site(&user, Some(id)) {
        return Err(WebError::Forbidden("This is not your site, so you cannot see its page.".into()));
    }
    // Clamped: a page past the 10,000th would ask the store for an offset it cannot take.
    let page = q.page.unwrap_or(1).clamp(1, super::victim_care::MAX_PAGE);
    let (body, shown) = state
        .run(move |store, now| {
            let site = store
                .sites()?
                .into_iter()
                .find(|s| s.id == id)
                .ok_or_else(|| WebError::NotFound("There is no such site.".into()))?;
            // Counted in the store over all the site's reports; the table shows a page of the
            // newest (a site reports thousands over the years).
            let today = now.date();
            let this_month = YearMonth { year: now.date().year(), month: now.date().month() };
            let months: Vec<YearMonth> = (0..12).rev().map(|k| this_month.plus(-k)).collect();
            let counts = store.site_counts(id, &months[0].to_string())?;
            let reports = store.site_reports(id, false, REPORT_LINES, (page - 1) * REPORT_LINES)?;
            let intelligence = store.site_reports(id, true, INTELLIGENCE_LINES, 0)?;

            // Reports per month, the last twelve months (months without reports are zero).
            let mut per_month: BTreeMap<String, u64> = months.iter().map(|m| (m.to_string(), 0)).collect();
            for (m, n) in &counts.per_month {
                if let Some(x) = per_month.get_mut(m) {
                    *x = *n;
                }
            }
            let bars: Vec<(String, u64)> = months
                .iter()
                .map(|m| {
                    let label = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
                        [m.month as usize - 1]
                        .to_string();
                    (label, per_month[&m.to_string()])
                })
                .collect();
            let first = months[0];
            let chart = html::bar_chart_svg(
                "reports-per-month",
                &format!("Reports from {} per month", site.details.name),
                &format!(
                    "Reports per month from {} to {}: {}",
                    first,
                    this_month,
                    months.iter().map(|m| format!("{m} {}", per_month[&m.to_string()])).collect::<Vec<_>>().join(", ")
                ),
                &bars,
            );

            let mut crime_rows = Vec::new();
            let intel_rows: Vec<Vec<Markup>> = intelligence
                .iter()
                .map(|r| {
                    let mut text: String = r.account.chars().take(160).collect();
                    if r.account.chars().count() > 160 {
                        text.push('…');
                    }
                    vec![
                        html! { a href={ "/reports/" (r.id) } { (r.reference) } },
                        html::when(r.reported_at).render(),
                        r.location.as_deref().unwrap_or("").render(),
                        text.render(),
                    ]
                })
                .collect();
            for r in &reports {
                let Some(inc) = r.incident else { continue };
                let incident = store.incident(inc)?;
                let crimes = if incident.status == "crime" { store.crimes_for_incident(inc)? } else { vec![] };
                let report_link = html! { a href={ "/reports/" (r.id) } { (r.reference) } };
                if crimes.is_empty() {
                    let (class, headline, _) = report_status(store, r)?;
                    crime_rows.push(vec![
                        report_link.clone(),
                        html::when(r.reported_at).render(),
                        kind_label(&r.kind).render(),
                        tag(class, &headline),
                        html! {},
                        html! {},
                    ]);
                }
                for c in crimes {
                    let file = store.crime(c.id)?;
                    let met = file.obligations.iter().filter(|o| o.met_at.is_some()).count();
                    let overdue = file
                        .obligations
                        .iter()
                        .filter(|o| o.met_at.is_none() && o.due.is_some_and(|d| d.date() < today))
                        .count();
                    let contact = if overdue > 0 {
                        tag("red", &format!("{met} of {} met; {overdue} overdue", file.obligations.len()))
                    } else {
                        tag("green", &format!("{met} of {} met; none overdue", file.obligations.len()))
                    };
                    let (class, headline, _) = crime_status(&c.status, c.outcome.as_deref());
                    let outcome = match &c.outcome {
                        Some(o) => html! { (tag(class, &headline)) br; (peel_casework::outcome_label(o)) },
                        None => tag(class, &headline),
                    };
                    crime_rows.push(vec![
                        report_link.clone(),
                        html::when(r.reported_at).render(),
                        html! {
                            a href={ "/crimes/" (c.reference) } { (c.reference) }
                            br;
                            (peel_casework::offence_label(&c.offence_code))
                        },
                        "Recorded as a crime".render(),
                        outcome,
                        contact,
                    ]);
                }
            }
            let body = html! {
                h1 { (site.details.name) }
                p class="lead" {
                    "All crime and intelligence reported at " (site.details.name) " (" (site.details.organisation) ")."
                }
                // The four cards after the first add up to it: every report is intelligence,
                // waiting for a decision, or decided one way or the other.
                div class="cards" {
                    div class="card" { span class="big" { (int(counts.reports)) } "reports in all" }
                    div class="card" {
                        span class="big" { (int(counts.decided_crime)) }
                        "recorded as crime (" (int(counts.crimes)) (if counts.crimes == 1 { " crime" } else { " crimes" }) ")"
                    }
                    div class="card" { span class="big" { (int(counts.decided_other)) } "not a crime, or transferred" }
                    div class="card" { span class="big" { (int(counts.open_incidents)) } "awaiting a recording decision" }
                    div class="card" { span class="big" { (int(counts.intelligence)) } "intelligence" }
                }
                p class="caption" {
                    (int(counts.reports)) " reports = " (int(counts.decided_crime)) " recorded as crime + "
                    (int(counts.decided_other)) " not a crime or transferred + " (int(counts.open_incidents))
                    " awaiting a decision + " (int(counts.intelligence)) " intelligence. A report may record more \
                     than one crime (one for each victim); cancelled crimes are not counted."
                }
                h2 { "Reports per month" }
                p {
                    "Is reporting rising? Reports of crime, incidents and intelligence from the site, month by month."
                }
                (chart)
                h2 { "Crimes and incidents" }
                p { a href={ "/sites/" (id) "/reports.csv" } download { "Download the site's reports as CSV" } }
                (html::table(
                    "Crimes and incidents at the site",
                    &["Report", "Reported", "Recorded as", "Decision", "Outcome", "Victim contact"],
                    &crime_rows,
                    "No crimes or incidents reported from the site yet."
                ))
                (pager(id, page, reports.len(), counts.reports - counts.intelligence))
                h2 { "Intelligence" }
                @if counts.intelligence > INTELLIGENCE_LINES as u64 {
                    p { "The newest " (INTELLIGENCE_LINES) " of " (counts.intelligence) " intelligence reports." }
                }
                (html::table(
                    "Intelligence from the site",
                    &["Reference", "When", "Where", "What"],
                    &intel_rows,
                    "No intelligence from the site yet."
                ))
            };
            Ok((body, reports.iter().chain(&intelligence).map(|r| r.id).collect::<Vec<_>>()))
        })
        .await?;
    Ok((Disclosed::list("report", shown).by(user.username()), render(&user, "Site", body)).into_response())
}

/// The most reports a site's CSV holds, newest first.
const CSV_REPORTS: usize = 10_000;

/// A site's reports of crime and incidents as CSV, newest first: each with its recording
/// decision and the crimes recorded from it (references, offences, outcomes), for the liaison
/// officer's own returns. In the access log as an export.
pub async fn reports_csv(State(state): State<WebState>, user: User, PathId(id): PathId) -> Result<Response, WebError> {
    if user.role == Role::Partner || !can_see_site(&user, Some(id)) {
        return Err(WebError::Forbidden("This is not your site, so you cannot download its reports.".into()));
    }
    let (rows, ids) = state
        .run(move |store, _| {
            if !store.sites()?.iter().any(|s| s.id == id) {
                return Err(WebError::NotFound("There is no such site.".into()));
            }
            let reports = store.site_reports(id, false, CSV_REPORTS, 0)?;
            let mut rows = Vec::with_capacity(reports.len());
            for r in &reports {
                let (_, decision, _) = report_status(store, r)?;
                // As the page: the crimes of an incident recorded as crime.
                let crimes = match r.incident {
                    Some(inc) if store.incident(inc)?.status == "crime" => store.crimes_for_incident(inc)?,
                    _ => vec![],
                };
                let joined = |f: &dyn Fn(&peel_store::casework::Crime) -> String| {
                    crimes.iter().map(f).collect::<Vec<_>>().join("; ")
                };
                rows.push([
                    r.reference.clone(),
                    r.reported_at.to_string(),
                    kind_label(&r.kind),
                    decision,
                    joined(&|c| c.reference.clone()),
                    joined(&|c| peel_casework::offence_label(&c.offence_code)),
                    joined(&|c| crime_status(&c.status, c.outcome.as_deref()).1),
                ]);
            }
            Ok((rows, reports.iter().map(|r| r.id).collect::<Vec<_>>()))
        })
        .await?;
    let download = super::audit::csv_download(
        &format!("site-{id}-reports.csv"),
        "report,reported,kind,decision,crimes,offences,status",
        rows,
    );
    let shown = Disclosed::new(peel_store::audit::Access::Export, "report", ids).by(user.username());
    Ok((shown, download).into_response())
}

/// Page links under the site's reports: newer and older.
fn pager(site: i64, page: usize, shown: usize, total: u64) -> Markup {
    let first = (page - 1) * REPORT_LINES;
    if shown == 0 || total <= REPORT_LINES as u64 {
        return html! {};
    }
    let mut links = Vec::new();
    if page > 1 {
        links.push(html! { a href={ "/sites/" (site) "?page=" (page - 1) } rel="prev" { "Newer reports" } });
    }
    if ((first + shown) as u64) < total {
        links.push(html! { a href={ "/sites/" (site) "?page=" (page + 1) } rel="next" { "Older reports" } });
    }
    html! {
        nav aria-label="Pages of the site's reports" {
            p {
                "Reports " (first + 1) " to " (first + shown) " of " (total) ", newest first. "
                (html::joined(&links, " · "))
            }
        }
    }
}
