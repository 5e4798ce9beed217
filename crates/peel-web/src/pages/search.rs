//! The search box's page (issue 10 §2): what the records hold that the user may see, found
//! from one line of text (peel-casework `search`). Every person and crime shown is in the
//! access log (Data Protection Act 2018 s.62). A person's page is `people`.

use super::crime_filter::{officer_choices, CrimeFilter, WhoChoices};
use super::render;
use crate::auth::User;
use crate::html::{self, Attrs, Errors};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, Render};
use peel_casework::search::{self, CrimeHit, SearchResults, CRIMES_PER_PAGE};
use peel_report::format::int;
use peel_store::casework::Reach;
use std::collections::HashMap;

#[derive(serde::Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    page: Option<usize>,
}

pub(super) fn reach_of(user: &User) -> Result<Reach, WebError> {
    peel_access::policy::reach(&user.principal())
        .ok_or_else(|| WebError::Forbidden("Your account does not search the records.".into()))
}

pub(super) fn page_of(page: Option<usize>) -> usize {
    page.unwrap_or(1).clamp(1, super::victim_care::MAX_PAGE)
}

/// The search typed, checked: at most `MAX_QUERY_CHARS`.
fn typed(q: &SearchQuery) -> Result<String, WebError> {
    let text = q.q.trim().to_string();
    if text.chars().count() > search::MAX_QUERY_CHARS {
        return Err(WebError::BadRequest(format!("q: a search is at most {} characters", search::MAX_QUERY_CHARS)));
    }
    Ok(text)
}

pub async fn page(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<SearchQuery>,
    Query(filter): Query<CrimeFilter>,
) -> Result<Response, WebError> {
    let reach = reach_of(&user)?;
    let page = page_of(q.page);
    let text = typed(&q)?;
    let narrowing = filter.narrowing()?;
    let t = text.clone();
    let (results, officers, choices) = state
        .run(move |store, _| {
            let results = search::search_narrowed(store, &t, &reach, &narrowing, page)?;
            let officers = officer_names(store, results.crimes.iter())?;
            let choices = officer_choices(store, reach.team.as_deref().filter(|_| reach.officer.is_none()))?;
            Ok((results, officers, choices))
        })
        .await?;
    // A crime's reference answers with the crime itself.
    if let Some(hit) = results.record.as_ref().filter(|h| h.kind == "crime") {
        return Ok(Redirect::to(&format!("/crimes/{}", hit.reference)).into_response());
    }
    let shown = peel_http::search_disclosed(&results).by(user.username());
    let body = html! {
        h1 { "Search" }
        (search_form(&text))
        @if text.is_empty() {
            p { "Type a crime, report or incident reference (CRM-2026-000123), a person's name (with their date of birth \
                 if you know it), a postcode, an offence or an officer." }
        } @else if results.is_empty() && results.crimes_found_by.is_none() {
            p class="lead" { "Nothing found for “" (text) "” that you can see." }
            p { "A name is found however it is spelt if it sounds alike; try fewer words, or the first letters of the \
                 surname." }
        } @else {
            (record(&results))
            (people(&results))
            (crimes(&results, &officers, &text, &filter, &choices))
        }
    };
    Ok((shown, render(&user, "Search", body)).into_response())
}

fn search_form(text: &str) -> Markup {
    let errors = Errors::default();
    html! {
        form method="get" action="/search" role="search" {
            (errors.input("search", "q", "Search the records", "", text, Attrs::NONE))
            button type="submit" { "Search" }
        }
    }
}

fn record(r: &SearchResults) -> Markup {
    let Some(hit) = &r.record else { return html! {} };
    let href = match hit.kind.as_str() {
        "report" => format!("/reports/{}", hit.id),
        "incident" => format!("/registrar/incidents/{}", hit.id),
        _ => format!("/crimes/{}", hit.reference),
    };
    html! {
        h2 { "Record" }
        p { a href=(href) { (hit.reference) } " (" (hit.kind) ")" }
    }
}

fn people(r: &SearchResults) -> Markup {
    if r.people.is_empty() {
        return html! {};
    }
    let rows: Vec<Vec<Markup>> = r
        .people
        .iter()
        .map(|p| {
            vec![
                html! { a href={ "/people/" (p.id) } { (p.name) } @if p.is_business { " (business)" } },
                p.date_of_birth.as_deref().map(html::when).unwrap_or_else(|| "not known".into()).render(),
                int(p.crimes).render(),
            ]
        })
        .collect();
    html! {
        h2 { "People" }
        @if r.people_found > r.people.len() {
            p { "The " (r.people.len()) " closest of " (int(r.people_found as u64)) " found: add a first name or a date of birth to narrow it." }
        } @else {
            p { (r.people.len()) @if r.people.len() == 1 { " person" } @else { " people" } ", closest name first." }
        }
        (html::table("People found", &["Name", "Date of birth", "Crimes you can see"], &rows, ""))
    }
}

fn crimes(
    r: &SearchResults,
    officers: &HashMap<String, String>,
    text: &str,
    filter: &CrimeFilter,
    choices: &[(String, String)],
) -> Markup {
    let Some(found_by) = &r.crimes_found_by else { return html! {} };
    let total = if r.crimes_capped { format!("{} or more", int(r.crimes_total)) } else { int(r.crimes_total) };
    let q = html::url_encode(text);
    let and = filter.and_query();
    let who = WhoChoices { teams: &peel_casework::TEAMS, officers: choices };
    html! {
        h2 id="crimes" { "Crimes" }
        p {
            (total) " " (found_by) " that you can see"
            @if filter.query().is_empty() { ", newest first." } @else { ", filtered." }
        }
        (filter.form(("Filter the crimes found", "/search#crimes", &format!("/search?q={q}#crimes")), &[("q", text)], Some(who)))
        p { a href={ "/search.csv?q=" (q) (and) } download { "Download the crimes found as CSV" } }
        (crime_table("Crimes found", &r.crimes, officers, false))
        (html::pager("Pages of the crimes found", |n| format!("/search?q={q}{and}&page={n}"), r.page, CRIMES_PER_PAGE, r.crimes_total as usize))
    }
}

/// The most crimes a CSV of search results holds: the count's cap, so that the file holds
/// every crime the page counts.
const CSV_CRIMES: usize = peel_store::SEARCH_COUNT_CAP as usize;

/// The crimes a search finds, filtered as on the page, as CSV: every one (up to the count's
/// cap), each by its reference, the officer by name and collar number. In the access log as
/// an export.
pub async fn csv(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<SearchQuery>,
    Query(filter): Query<CrimeFilter>,
) -> Result<Response, WebError> {
    let reach = reach_of(&user)?;
    let text = typed(&q)?;
    let narrowing = filter.narrowing()?;
    let (hits, officers) = state
        .run(move |store, _| {
            let Some((m, _)) = search::crimes_matching(store, &text)? else { return Ok((vec![], HashMap::new())) };
            let (found, _) = store.find_crimes_narrowed(&m, &reach, &narrowing, CSV_CRIMES, 0)?;
            let hits: Vec<CrimeHit> = found.iter().map(|(c, role)| CrimeHit::of(c, role.clone())).collect();
            let officers = officer_names(store, hits.iter())?;
            Ok((hits, officers))
        })
        .await?;
    Ok(crimes_csv("crimes-found.csv", &hits, &officers, &user, None))
}

/// Crimes as a CSV download, each by its reference, with the officer by name; in the access
/// log as an export, with the `person` whose crimes they are if they are one's.
pub(super) fn crimes_csv(
    filename: &str,
    hits: &[CrimeHit],
    officers: &HashMap<String, String>,
    user: &User,
    person: Option<i64>,
) -> Response {
    let with_role = hits.iter().any(|h| h.role.is_some());
    let rows = hits.iter().map(|c| {
        let mut row = vec![c.reference.clone()];
        if with_role {
            row.push(c.role.clone().unwrap_or_default());
        }
        row.extend([
            c.offence_code.clone(),
            c.offence.clone(),
            c.recorded_at.clone(),
            c.team.clone().unwrap_or_default(),
            c.officer.as_ref().map(|o| officers.get(o).cloned().unwrap_or_else(|| o.clone())).unwrap_or_default(),
            c.outcome.as_deref().map(peel_casework::outcome_label).unwrap_or_else(|| "open".into()),
        ]);
        row
    });
    let header = if with_role {
        "reference,role,offence_code,offence,recorded,team,officer,outcome"
    } else {
        "reference,offence_code,offence,recorded,team,officer,outcome"
    };
    let download = super::audit::csv_download(filename, header, rows);
    let shown =
        crate::access_log::Disclosed::new(peel_store::audit::Access::Export, "crime", hits.iter().map(|c| c.id))
            .and("person", person)
            .by(user.username());
    (shown, download).into_response()
}

/// Crimes as a table, each by its reference, with the officer by name.
pub(super) fn crime_table(
    caption: &str,
    crimes: &[CrimeHit],
    officers: &HashMap<String, String>,
    with_role: bool,
) -> Markup {
    let rows: Vec<Vec<Markup>> = crimes
        .iter()
        .map(|c| {
            let mut row = vec![html! { a href={ "/crimes/" (c.reference) } { (c.reference) } }];
            if with_role {
                row.push(c.role.as_deref().map(super::account::capitalised).unwrap_or_default().render());
            }
            row.extend([
                html! { (c.offence_code) " " (c.offence) },
                html::when(&c.recorded_at).render(),
                c.team.as_deref().unwrap_or("unallocated").render(),
                c.officer
                    .as_ref()
                    .map(|o| officers.get(o).cloned().unwrap_or_else(|| o.clone()))
                    .unwrap_or_default()
                    .render(),
                c.outcome.as_deref().map(peel_casework::outcome_label).unwrap_or_else(|| "open".into()).render(),
            ]);
            row
        })
        .collect();
    let mut headers = vec!["Reference"];
    if with_role {
        headers.push("Role");
    }
    headers.extend(["Offence", "Recorded", "Team", "Officer", "Outcome"]);
    html::table(caption, &headers, &rows, "No crimes.")
}

/// Each officer on the crimes by name and collar number (`who`), looked up once.
pub(super) fn officer_names<'a>(
    store: &dyn peel_http::CaseStore,
    crimes: impl Iterator<Item = &'a CrimeHit>,
) -> Result<HashMap<String, String>, WebError> {
    super::names_of(store, crimes.filter_map(|c| c.officer.as_deref()))
}
