//! A person's page and the nominal index's work (issue 10 §1): who the person is, their
//! warning markers first, other names, addresses and phone; the records merged into theirs;
//! every recorded crime they are on within the user's reach, newest first. The records role
//! (the registrar's office, [`peel_access::pages::RECORDS`]) works the list of possible
//! duplicates, merges two records into one and undoes a merge.
//!
//! Whoever may see a person may add what is known of them; a person on no crime within the
//! user's reach is not theirs to see or change (unless their reach is the force). Every
//! person and crime shown is in the access log (Data Protection Act 2018 s.62), and every
//! change in the audit trail with who made it.

use super::crime_filter::CrimeFilter;
use super::search::{crime_table, officer_names, page_of, reach_of};
use super::{named, names_of, notice, render, tag, Notice, PathId};
use crate::access_log::Disclosed;
use crate::auth::User;
use crate::form::{FormData, PostForm};
use crate::html::{self, csrf_input, Attrs, Errors};
use crate::{WebError, WebState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, Render};
use peel_casework::search::{CrimeHit, CRIMES_PER_PAGE};
use peel_domain::date::{Date, Timestamp};
use peel_domain::nominal::{ethnicity_label, marker_label, MARKER_REVIEW_DAYS, WARNING_MARKERS};
use peel_http::CaseStore;
use peel_report::format::int;
use peel_store::casework::{CrimeMatch, PersonRef};
use peel_store::nominal::{NewMarker, NominalRecord, PossibleDuplicate};
use peel_store::StoreError;
use std::collections::HashMap;

/// The reports and contacts a person's page lists, newest first.
const HISTORY_SHOWN: usize = 50;

/// Possible duplicates on a page of the review list.
pub const DUPLICATES_PER_PAGE: usize = 25;
/// The most rows a CSV of the review list holds.
const CSV_ROWS: usize = 10_000;

fn records_role(user: &User) -> bool {
    peel_access::pages::RECORDS.contains(&user.role)
}

fn person_id(id: &str) -> Result<i64, WebError> {
    id.parse().map_err(|_| WebError::NotFound("There is no such person.".into()))
}

/// Refuses a person on no crime within the user's reach (unless it is the force).
pub(crate) fn in_reach(store: &dyn CaseStore, user: &User, id: i64) -> Result<(), WebError> {
    let reach = reach_of(user)?;
    store.person(id)?;
    if !reach.is_force() && store.find_crimes(&CrimeMatch::Person(id), &reach, 1, 0)?.1 == 0 {
        return Err(WebError::Forbidden("This person is on no crime within your work, so you cannot see them.".into()));
    }
    Ok(())
}

#[derive(serde::Deserialize, Default)]
pub struct PersonPage {
    page: Option<usize>,
    done: Option<String>,
}

/// A form on the person's page that failed: which form, its errors and what was typed.
struct Failed {
    form: &'static str,
    errors: Errors,
    data: FormData,
}

impl Failed {
    fn of(form: &'static str, field: &str, message: impl Into<String>, data: FormData) -> Failed {
        let mut errors = Errors::default();
        errors.add(field, message);
        Failed { form, errors, data }
    }
}

pub async fn person(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Query(q): Query<PersonPage>,
    Query(filter): Query<CrimeFilter>,
) -> Result<Response, WebError> {
    let id = person_id(&id)?;
    let done = q.done.as_deref().and_then(Notice::parse);
    show(&state, &user, id, (page_of(q.page), &filter), done, None).await
}

/// Everything the person's page shows, read in one go.
struct Shown {
    record: NominalRecord,
    crimes: Vec<CrimeHit>,
    total: u64,
    officers: HashMap<String, String>,
    duplicates: Vec<PossibleDuplicate>,
    names: HashMap<String, String>,
    today: Date,
    tasks: Vec<peel_store::tasks::Task>,
    owners: Vec<(String, String)>,
    history: peel_store::nominal::PersonHistory,
    /// Where each address's postcode is (ward, local authority), from the gazetteer.
    places: HashMap<String, String>,
}

async fn show(
    state: &WebState,
    user: &User,
    id: i64,
    (page, filter): (usize, &CrimeFilter),
    done: Option<Notice>,
    failed: Option<Failed>,
) -> Result<Response, WebError> {
    let reach = reach_of(user)?;
    let records = records_role(user);
    let narrowing = filter.narrowing()?;
    let u = user.clone();
    let s = state
        .run(move |store, now| {
            let record = store.nominal(id)?;
            let (found, total) = store.find_crimes_narrowed(
                &CrimeMatch::Person(id),
                &reach,
                &narrowing,
                CRIMES_PER_PAGE,
                (page - 1) * CRIMES_PER_PAGE,
            )?;
            // Whether the person is within reach is asked of all their crimes, not the filtered.
            let within = total > 0 || store.find_crimes(&CrimeMatch::Person(id), &reach, 1, 0)?.1 > 0;
            if !within && !reach.is_force() {
                return Err(WebError::Forbidden(
                    "This person is on no crime within your work, so you cannot see them.".into(),
                ));
            }
            let crimes: Vec<CrimeHit> = found.iter().map(|(c, role)| CrimeHit::of(c, role.clone())).collect();
            let officers = officer_names(store, crimes.iter())?;
            let duplicates = if records { store.duplicates_of(id)? } else { vec![] };
            let mut who: Vec<&str> = record.markers.iter().map(|m| m.added_by.as_str()).collect();
            who.extend(record.addresses.iter().map(|a| a.added_by.as_str()));
            who.extend(record.merges.iter().map(|m| m.merged_by.as_str()));
            let tasks = store.tasks_of_person(id)?;
            who.extend(tasks.iter().map(|t| t.details.owner.as_str()));
            let history = store.person_history(id, &reach, reach.is_force(), HISTORY_SHOWN)?;
            who.extend(history.contacts.iter().map(|k| k.by_whom.as_str()));
            let names = names_of(store, who)?;
            let owners = super::tasks::owners(store, &u, None, Some(id))?;
            let mut places = HashMap::new();
            for a in &record.addresses {
                if let Some(p) = store.postcode(&a.postcode)? {
                    let words: Vec<String> = [p.ward_name, p.la_name].into_iter().flatten().collect();
                    places.insert(a.postcode.clone(), words.join(", "));
                }
            }
            Ok(Shown {
                record,
                crimes,
                total,
                officers,
                duplicates,
                names,
                today: now.date(),
                tasks,
                owners,
                history,
                places,
            })
        })
        .await?;
    let status = if failed.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let body = person_body(user, id, (page, filter), &s, done, failed.as_ref());
    let others = s.duplicates.iter().map(|d| if d.low.id == id { d.high.id } else { d.low.id });
    let merged = s.record.merges.iter().map(|m| if m.kept == id { m.merged } else { m.kept });
    let shown = Disclosed::read("person", id)
        .and("crime", s.crimes.iter().map(|c| c.id))
        .and("report", s.history.reports.iter().map(|r| r.id))
        .and("person", others.chain(merged).collect::<Vec<_>>())
        .by(user.username());
    Ok((status, shown, render(user, &s.record.person.details.name, body)).into_response())
}

fn person_body(
    user: &User,
    id: i64,
    (page, filter): (usize, &CrimeFilter),
    s: &Shown,
    done: Option<Notice>,
    failed: Option<&Failed>,
) -> Markup {
    let r = &s.record;
    let d = &r.person.details;
    let records = records_role(user);
    let current: Vec<_> = r.markers.iter().filter(|m| m.ended_at.is_none()).collect();
    let ended: Vec<_> = r.markers.iter().filter(|m| m.ended_at.is_some()).collect();
    let errors_of = |form: &str| failed.filter(|f| f.form == form).map(|f| f.errors.clone()).unwrap_or_default();
    let typed = |form: &str, field: &str| {
        failed.filter(|f| f.form == form).map(|f| f.data.get(field).to_string()).unwrap_or_default()
    };
    html! {
        h1 { (d.name) }
        (notice(done.map(|n| n.text(None)).as_deref()))
        @if let Some(f) = failed { (f.errors.summary()) }
        @if let Some(m) = r.merged_away() {
            div class="notice" role="status" {
                p {
                    "This record was merged into " a href={ "/people/" (m.kept) } { (m.kept_name) }
                    " on " (html::when(m.merged_at)) " by " (named(&s.names, &m.merged_by)) ": " (m.reason)
                    ". Its crimes are shown on that record too."
                }
            }
            @if records { (undo_form(user, m.id, id, &errors_of("undo"), &typed("undo", "undo_reason"))) }
        }
        section aria-labelledby="markers" {
            h2 id="markers" { "Warning markers" }
            @if current.is_empty() {
                p { "No current warning markers." }
            } @else {
                ul class="markers" {
                    @for m in &current {
                        li {
                            strong { (marker_label(&m.details.kind).unwrap_or(&m.details.kind)) }
                            " — noted " (html::when(m.details.noted_on)) ", review due " (html::when(m.details.review_due))
                            @if m.details.review_due < s.today { " " (tag("red", "review overdue")) }
                            @if let Some(n) = &m.details.note { ": " (n) }
                            " (" (named(&s.names, &m.added_by)) ")"
                            form method="post" action={ "/people/" (id) "/markers/end" } class="inline" {
                                (csrf_input(user))
                                input type="hidden" name="marker" value=(m.id);
                                button type="submit" class="small secondary" { "End this marker" }
                            }
                        }
                    }
                }
            }
            @if !ended.is_empty() {
                details {
                    summary { (ended.len()) " ended " @if ended.len() == 1 { "marker" } @else { "markers" } }
                    ul {
                        @for m in &ended {
                            li { (marker_label(&m.details.kind).unwrap_or(&m.details.kind)) ", noted " (html::when(m.details.noted_on))
                                 @if let Some(e) = m.ended_at { ", ended " (html::when(e)) } }
                        }
                    }
                }
            }
        }
        dl class="summary" {
            dt { "Date of birth" } dd { (d.date_of_birth.as_deref().map(html::when).unwrap_or_else(|| "not known".into())) }
            dt { "Sex" } dd { (d.sex.as_deref().unwrap_or("not stated")) }
            dt { "Ethnicity (self-defined)" } dd { (d.ethnicity.as_deref().map(ethnicity_label).unwrap_or("not stated")) }
            dt { "Phone" } dd { (r.phone.as_deref().unwrap_or("not known")) }
            dt { "Other names" } dd {
                @if r.aliases.is_empty() { "none known" }
                @else { (r.aliases.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join("; ")) }
            }
            @if d.is_business { dt { "Kind" } dd { "A business or organisation" } }
            @if !d.vulnerabilities.is_empty() { dt { "Vulnerabilities" } dd { (d.vulnerabilities.join(", ")) } }
        }
        h2 { "Addresses" }
        (html::table(
            "Addresses, newest first",
            &["Postcode", "Address", "Where", "Added"],
            &r.addresses.iter().map(|a| vec![
                a.postcode.render(),
                a.line.as_deref().unwrap_or("").render(),
                s.places.get(&a.postcode).map_or("not in the gazetteer", String::as_str).render(),
                html! { (html::when(a.added_at)) " by " (named(&s.names, &a.added_by)) },
            ]).collect::<Vec<_>>(),
            "No address known.",
        ))
        @if r.merged_here().next().is_some() {
            h2 id="merged" { "Also recorded as" }
            p { "These records were merged into this one: their crimes are listed below with this person's." }
            (html::table(
                "Records merged into this one",
                &["Record", "Merged", "Why", ""],
                &r.merged_here().map(|m| vec![
                    html! { a href={ "/people/" (m.merged) } { (m.merged_name) } },
                    html! { (html::when(m.merged_at)) " by " (named(&s.names, &m.merged_by)) },
                    m.reason.render(),
                    if records { undo_form(user, m.id, id, &errors_of("undo"), &typed("undo", "undo_reason")) } else { html! {} },
                ]).collect::<Vec<_>>(),
                "",
            ))
        }
        @if records && r.merged_into.is_none() {
            h2 id="duplicates" { "Possible duplicates" }
            @if s.duplicates.is_empty() {
                p { "None found." }
            } @else {
                (duplicate_table(&s.duplicates, Some(id)))
            }
        }
        @if r.merged_into.is_none() {
            @let (te, tf) = failed.filter(|f| f.form == "task").map(|f| (f.errors.clone(), f.data.clone())).unwrap_or_default();
            (super::tasks::section(user, &s.tasks, &format!("/people/{id}/tasks"), &s.owners, &s.names, &te, &tf, s.today))
        }
        h2 id="crimes" { "Crimes" }
        p {
            (int(s.total)) @if s.total == 1 { " recorded crime" } @else { " recorded crimes" } " you can see"
            @if filter.query().is_empty() { ", newest first." } @else { ", filtered." }
        }
        (filter.form(("Filter this person's crimes", &format!("/people/{id}#crimes"), &format!("/people/{id}#crimes")), &[], None))
        p { a href={ "/people/" (id) "/crimes.csv?" (filter.query()) } download { "Download this person's crimes as CSV" } }
        (crime_table("Crimes this person is on", &s.crimes, &s.officers, true))
        (html::pager("Pages of this person's crimes", |n| format!("/people/{id}?page={n}{}#crimes", filter.and_query()), page, CRIMES_PER_PAGE, s.total as usize))
        @if !s.history.reports.is_empty() {
            h2 id="reports" { "Reports made" }
            (html::table(
                "Reports this person made, newest first",
                &["Report", "Kind", "How", "Received"],
                &s.history.reports.iter().map(|r| vec![
                    html! { a href={ "/reports/" (r.id) } { (r.reference) } },
                    (if r.kind == "intelligence" { "intelligence" } else { r.kind.as_str() }).render(),
                    r.channel.render(),
                    html::when(r.reported_at).render(),
                ]).collect::<Vec<_>>(),
                "",
            ))
        }
        @if !s.history.contacts.is_empty() {
            h2 id="contacts" { "Contacts" }
            (html::table(
                "Contacts with this person, newest first",
                &["When", "Crime", "How", "By", "Notes"],
                &s.history.contacts.iter().map(|k| vec![
                    html::when(k.at).render(),
                    html! { a href={ "/crimes/" (k.crime_reference) } { (k.crime_reference) } },
                    k.method.render(),
                    named(&s.names, &k.by_whom).render(),
                    k.notes.render(),
                ]).collect::<Vec<_>>(),
                "",
            ))
        }
        @if r.merged_into.is_none() && super::crime::can_investigate(user) {
            @let e = errors_of("crime");
            form method="post" action={ "/people/" (id) "/crimes" } id="crime-form" {
                h2 { "Add to a crime" }
                p { "As a suspect, a witness or another victim of a crime you work on: this record, not a new one." }
                (csrf_input(user))
                (e.input("text", "crime_reference", "The crime's reference", "For example CRM-2026-000123", &typed("crime", "crime_reference"), Attrs { autocapitalize: Some("characters"), ..Attrs::NONE }))
                @let role = if failed.is_some_and(|f| f.form == "crime") { typed("crime", "role") } else { "suspect".to_string() };
                (e.choices("radio", "role", "As", &super::crime::PERSON_ROLES.iter().map(|(r, l)| (r.to_string(), l.to_string(), String::new())).collect::<Vec<_>>(), &[role.as_str()]))
                button type="submit" { "Add to the crime" }
            }
        }
        @if r.merged_into.is_none() {
            h2 { "Add to this record" }
            div class="forms" {
                form method="post" action={ "/people/" (id) "/markers" } id="marker-form" {
                    h3 { "A warning marker" }
                    (csrf_input(user))
                    @let e = errors_of("marker");
                    @let noted_on = if failed.is_some_and(|f| f.form == "marker") { typed("marker", "marker_noted_on") } else { s.today.to_string() };
                    (e.select("marker_kind", "Marker", &marker_options(), &typed("marker", "marker_kind")))
                    (e.input("date", "marker_noted_on", "Noted on", "", &noted_on, Attrs::NONE))
                    (e.input("date", "marker_review_due", "Review by", "Leave empty for a year from when it was noted.", &typed("marker", "marker_review_due"), Attrs::NONE))
                    (e.textarea("marker_note", "What it rests on", "", &typed("marker", "marker_note")))
                    button type="submit" { "Add marker" }
                }
                form method="post" action={ "/people/" (id) "/aliases" } id="alias-form" {
                    h3 { "Another name" }
                    (csrf_input(user))
                    (errors_of("alias").input("text", "alias_name", "Name they are also known by", "", &typed("alias", "alias_name"), Attrs { autocomplete: Some("off"), ..Attrs::NONE }))
                    button type="submit" { "Add name" }
                }
                form method="post" action={ "/people/" (id) "/addresses" } id="address-form" {
                    h3 { "An address" }
                    (csrf_input(user))
                    @let e = errors_of("address");
                    (e.input("text", "address_line", "Address", "House and street", &typed("address", "address_line"), Attrs::NONE))
                    (e.input("text", "address_postcode", "Postcode", "", &typed("address", "address_postcode"), Attrs { autocapitalize: Some("characters"), ..Attrs::NONE }))
                    button type="submit" { "Add address" }
                }
                form method="post" action={ "/people/" (id) "/identity" } id="identity-form" {
                    h3 { "Who they are" }
                    (csrf_input(user))
                    @let e = errors_of("identity");
                    @let again = failed.is_some_and(|f| f.form == "identity");
                    @let dob = if again { typed("identity", "date_of_birth") } else { d.date_of_birth.clone().unwrap_or_default() };
                    @let sex = if again { typed("identity", "sex") } else { d.sex.clone().unwrap_or_default() };
                    @let eth = if again { typed("identity", "ethnicity") } else { d.ethnicity.clone().unwrap_or_default() };
                    (e.input("date", "date_of_birth", "Date of birth", "", &dob, Attrs { max: Some(&s.today.to_string()), ..Attrs::NONE }))
                    (e.select("sex", "Sex", &[("".into(), "Not recorded".into()), ("female".into(), "Female".into()), ("male".into(), "Male".into()), ("other".into(), "Other".into())], &sex))
                    (e.select("ethnicity", "Ethnicity, as they define it", &ethnicity_options(), &eth))
                    button type="submit" { "Save" }
                }
                form method="post" action={ "/people/" (id) "/phone" } id="phone-form" {
                    h3 { "Phone" }
                    (csrf_input(user))
                    @let value = if failed.is_some_and(|f| f.form == "phone") { typed("phone", "phone") } else { r.phone.clone().unwrap_or_default() };
                    (errors_of("phone").input("tel", "phone", "Phone number", "Leave empty to remove it.", &value, Attrs { inputmode: Some("tel"), ..Attrs::NONE }))
                    button type="submit" { "Save phone" }
                }
            }
        }
    }
}

fn ethnicity_options() -> Vec<(String, String)> {
    let mut o = vec![(String::new(), "Not recorded".to_string())];
    o.extend(peel_domain::nominal::ETHNICITIES.iter().map(|(c, l)| (c.to_string(), format!("{c}: {l}"))));
    o
}

fn marker_options() -> Vec<(String, String)> {
    let mut o = vec![(String::new(), "Choose a marker".to_string())];
    o.extend(WARNING_MARKERS.iter().map(|(w, l)| (w.to_string(), l.to_string())));
    o
}

fn undo_form(user: &User, merge: i64, back: i64, errors: &Errors, reason: &str) -> Markup {
    html! {
        form method="post" action={ "/people/merges/" (merge) "/undo" } class="undo" {
            (csrf_input(user))
            input type="hidden" name="back" value=(back);
            (errors.input("text", "undo_reason", "Why undo the merge", "", reason, Attrs::NONE))
            button type="submit" { "Undo merge" }
        }
    }
}

/// The pairs as a table, each linking to its review; on a person's page (`of`), the other
/// person only.
fn duplicate_table(pairs: &[PossibleDuplicate], of: Option<i64>) -> Markup {
    let side = |s: &peel_store::nominal::DuplicateSide| {
        html! {
            a href={ "/people/" (s.id) } { (s.name) } br;
            span class="hint" {
                "born " (s.date_of_birth.as_deref().map(html::when).unwrap_or_else(|| "not known".into()))
                @if !s.postcodes.is_empty() { ", " (s.postcodes.join(", ")) }
                ", " (int(s.crimes)) @if s.crimes == 1 { " crime" } @else { " crimes" }
            }
        }
    };
    let rows: Vec<Vec<Markup>> = pairs
        .iter()
        .map(|p| {
            let mut row = Vec::new();
            match of {
                Some(id) => row.push(side(if p.low.id == id { &p.high } else { &p.low })),
                None => {
                    row.push(side(&p.low));
                    row.push(side(&p.high));
                }
            }
            row.push(html! { (p.score) });
            row.push(html! { (p.reasons.join("; ")) });
            row.push(html! { a href={ "/people/duplicates/" (p.id) } { "Review" span class="skip" { " this pair" } } });
            row
        })
        .collect();
    let headers: &[&str] =
        if of.is_some() { &["Person", "Score", "Why", ""] } else { &["Person", "Person", "Score", "Why", ""] };
    html::table("Possible duplicates, highest score first", headers, &rows, "None found.")
}

#[derive(serde::Deserialize, Default)]
pub struct ListPage {
    page: Option<usize>,
    done: Option<String>,
}

/// The review list: open possible duplicates, highest score first.
/// The most crimes a CSV of a person's crimes holds.
const CSV_CRIMES: usize = 10_000;

/// A person's crimes within the user's reach, filtered as on their page, as CSV (each with
/// the person's role on it); in the access log as an export.
pub async fn crimes_csv(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Query(filter): Query<CrimeFilter>,
) -> Result<Response, WebError> {
    let id = person_id(&id)?;
    let reach = reach_of(&user)?;
    let narrowing = filter.narrowing()?;
    let u = user.clone();
    let (hits, officers) = state
        .run(move |store, _| {
            in_reach(store, &u, id)?;
            let (found, _) = store.find_crimes_narrowed(&CrimeMatch::Person(id), &reach, &narrowing, CSV_CRIMES, 0)?;
            let hits: Vec<CrimeHit> = found.iter().map(|(c, role)| CrimeHit::of(c, role.clone())).collect();
            let officers = officer_names(store, hits.iter())?;
            Ok((hits, officers))
        })
        .await?;
    Ok(super::search::crimes_csv(&format!("person-{id}-crimes.csv"), &hits, &officers, &user, Some(id)))
}

pub async fn duplicates(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<ListPage>,
) -> Result<Response, WebError> {
    let page = page_of(q.page);
    let (pairs, total) = state
        .run(move |store, _| Ok(store.possible_duplicates(DUPLICATES_PER_PAGE, (page - 1) * DUPLICATES_PER_PAGE)?))
        .await?;
    let done = q.done.as_deref().and_then(Notice::parse).map(|n| n.text(None));
    let body = html! {
        h1 { "Possible duplicates" }
        (notice(done.as_deref()))
        p {
            "People who may be recorded twice, found as records are entered and by the nightly sweep: names that sound or \
             are spelt alike, with the same date of birth or address. A name alone is never enough. Review each pair: \
             merge them (the merge can be undone) or record that they are two people."
        }
        p { (int(total)) @if total == 1 { " pair" } @else { " pairs" } " to review. "
            a href="/people/duplicates.csv" download { "Download as CSV" } }
        (duplicate_table(&pairs, None))
        (html::pager("Pages of possible duplicates", |n| format!("/people/duplicates?page={n}"), page, DUPLICATES_PER_PAGE, total as usize))
    };
    let shown = Disclosed::list("person", pairs.iter().flat_map(|p| [p.low.id, p.high.id])).by(user.username());
    Ok((shown, render(&user, "Possible duplicates", body)).into_response())
}

/// The review list as CSV (names, dates of birth, postcodes: no database ids).
pub async fn duplicates_csv(State(state): State<WebState>, user: User) -> Result<Response, WebError> {
    let (pairs, _) = state.run(move |store, _| Ok(store.possible_duplicates(CSV_ROWS, 0)?)).await?;
    let rows = pairs.iter().map(|p| {
        [
            p.score.to_string(),
            p.low.name.clone(),
            p.low.date_of_birth.clone().unwrap_or_default(),
            p.low.postcodes.join(" "),
            p.low.crimes.to_string(),
            p.high.name.clone(),
            p.high.date_of_birth.clone().unwrap_or_default(),
            p.high.postcodes.join(" "),
            p.high.crimes.to_string(),
            p.reasons.join("; "),
            p.found_at.to_string(),
        ]
    });
    let download = super::audit::csv_download(
        "possible-duplicates.csv",
        "score,first_name,first_date_of_birth,first_postcodes,first_crimes,second_name,second_date_of_birth,\
         second_postcodes,second_crimes,reasons,found_at",
        rows,
    );
    let shown =
        Disclosed::new(peel_store::audit::Access::Export, "person", pairs.iter().flat_map(|p| [p.low.id, p.high.id]))
            .by(user.username());
    Ok((shown, download).into_response())
}

/// One pair, side by side, with the merge and "two people" forms.
pub async fn pair(State(state): State<WebState>, user: User, PathId(id): PathId) -> Result<Response, WebError> {
    show_pair(&state, &user, id, None).await
}

async fn show_pair(state: &WebState, user: &User, id: i64, failed: Option<Failed>) -> Result<Response, WebError> {
    let p = state.run(move |store, _| Ok(store.possible_duplicate(id)?)).await?;
    let errors = failed.as_ref().map(|f| f.errors.clone()).unwrap_or_default();
    let typed = |field: &str| failed.as_ref().map(|f| f.data.get(field).to_string()).unwrap_or_default();
    let keep = typed("keep");
    let side = |s: &peel_store::nominal::DuplicateSide| {
        html! {
            dl class="summary" {
                dt { "Name" } dd { a href={ "/people/" (s.id) } { (s.name) } }
                dt { "Date of birth" } dd { (s.date_of_birth.as_deref().map(html::when).unwrap_or_else(|| "not known".into())) }
                dt { "Postcodes" } dd { @if s.postcodes.is_empty() { "none known" } @else { (s.postcodes.join(", ")) } }
                dt { "Recorded crimes" } dd { (int(s.crimes)) }
            }
        }
    };
    let body = html! {
        h1 { "Possible duplicate: " (p.low.name) " and " (p.high.name) }
        (errors.summary())
        p { "Score " strong { (p.score) } " of 100: " (p.reasons.join("; ")) "." }
        div class="pair" {
            section { h2 { "First record" } (side(&p.low)) }
            section { h2 { "Second record" } (side(&p.high)) }
        }
        @if p.status == "open" {
            form method="post" action="/people/merges" id="merge-form" {
                h2 { "Merge them" }
                p { "The record kept shows both records' crimes and keeps the other name as an alias. Nothing is deleted, \
                     and the merge can be undone from either person's page." }
                (csrf_input(user))
                input type="hidden" name="pair" value=(p.id);
                (errors.choices("radio", "keep", "Which record to keep", &[
                    (p.low.id.to_string(), format!("Keep {}", p.low.name), "the first record".into()),
                    (p.high.id.to_string(), format!("Keep {}", p.high.name), "the second record".into()),
                ], &[keep.as_str()]))
                (errors.input("text", "reason", "Why they are one person", "For example: same date of birth and address, confirmed with them by phone", &typed("reason"), Attrs::NONE))
                button type="submit" { "Merge the records" }
            }
            form method="post" action={ "/people/duplicates/" (p.id) "/distinct" } {
                (csrf_input(user))
                button type="submit" class="secondary" { "They are two people" }
            }
        } @else {
            p { "Decided: " (if p.status == "merged" { "merged" } else { "two people" }) "." }
        }
    };
    let status = if failed.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let shown = Disclosed::read("person", p.low.id).and("person", [p.high.id]).by(user.username());
    Ok((status, shown, render(user, "Possible duplicate", body)).into_response())
}

pub async fn distinct(State(state): State<WebState>, PathId(id): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, .. } = post;
    let u = user.username().to_string();
    state.run(move |store, now| Ok(store.mark_distinct(id, &u, now)?)).await?;
    Ok(Redirect::to(&format!("/people/duplicates?done={}", Notice::NotDuplicates.key())).into_response())
}

pub async fn merge(State(state): State<WebState>, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let pair: i64 = form.get("pair").parse().map_err(|_| WebError::BadRequest("the form names no pair".into()))?;
    let reason = form.get("reason").trim().to_string();
    let keep: Option<i64> = form.get("keep").parse().ok();
    let u = user.username().to_string();
    let outcome = state
        .run(move |store, now| {
            let p = store.possible_duplicate(pair)?;
            let mut errors = Errors::default();
            if p.status != "open" {
                errors.add("keep", format!("This pair was decided already ({}).", p.status));
                return Ok(Err(errors));
            }
            let kept = keep.filter(|k| *k == p.low.id || *k == p.high.id);
            if kept.is_none() {
                errors.add("keep", "Choose which record to keep");
            }
            if reason.is_empty() {
                errors.add("reason", "Say why they are one person");
            } else if reason.chars().count() > 500 {
                errors.add("reason", "Say why in at most 500 characters");
            }
            let Some(kept) = kept.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
            let merged = if kept == p.low.id { p.high.id } else { p.low.id };
            match store.merge_people(kept, merged, &reason, &u, now) {
                Ok(_) => Ok(Ok(kept)),
                Err(StoreError::Refused(m)) => {
                    errors.add("keep", m);
                    Ok(Err(errors))
                }
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    match outcome {
        Ok(kept) => Ok(Redirect::to(&format!("/people/{kept}?done={}#merged", Notice::Merged.key())).into_response()),
        Err(errors) => show_pair(&state, &user, pair, Some(Failed { form: "merge", errors, data: form })).await,
    }
}

pub async fn undo(State(state): State<WebState>, PathId(merge): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let back: i64 = form.get("back").parse().map_err(|_| WebError::BadRequest("the form names no person".into()))?;
    let reason = form.get("undo_reason").trim().to_string();
    if reason.is_empty() {
        let failed = Failed::of("undo", "undo_reason", "Say why the merge is undone", form);
        return again(&state, &user, back, failed).await;
    }
    let u = user.username().to_string();
    state.run(move |store, now| Ok(store.undo_merge(merge, &reason, &u, now)?)).await?;
    Ok(Redirect::to(&format!("/people/{back}?done={}", Notice::MergeUndone.key())).into_response())
}

/// The person's page again, with the form that failed.
async fn again(state: &WebState, user: &User, id: i64, failed: Failed) -> Result<Response, WebError> {
    show(state, user, id, (1, &CrimeFilter::default()), None, Some(failed)).await
}

/// Runs a change to person `id` if they are within the user's reach: back to the page with
/// `done`, or the page again with the store's objection at `field` of form `which`.
async fn change(
    state: &WebState,
    user: User,
    id: i64,
    (which, field): (&'static str, &'static str),
    form: FormData,
    done: Notice,
    write: impl FnOnce(&mut dyn CaseStore, &str, Timestamp) -> Result<(), StoreError> + Send + 'static,
) -> Result<Response, WebError> {
    let u = user.clone();
    let answer = state
        .run(move |store, now| {
            in_reach(store, &u, id)?;
            match write(store, u.username(), now) {
                Ok(()) => Ok(None),
                // "postcode: … is not a UK postcode": the store's message after its field.
                Err(StoreError::Invalid(m)) => Ok(Some(m.split_once(": ").map_or(m.clone(), |(_, m)| m.to_string()))),
                Err(StoreError::Refused(m)) => Ok(Some(m)),
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    match answer {
        None => Ok(Redirect::to(&format!("/people/{id}?done={}", done.key())).into_response()),
        Some(message) => {
            let failed = Failed::of(which, field, super::account::capitalised(&message), form);
            show(state, &user, id, (1, &CrimeFilter::default()), None, Some(failed)).await
        }
    }
}

pub async fn add_alias(
    State(state): State<WebState>,
    Path(id): Path<String>,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let id = person_id(&id)?;
    let name = form.get("alias_name").trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        let failed = Failed::of("alias", "alias_name", "Enter the other name, in at most 200 characters", form);
        return again(&state, &user, id, failed).await;
    }
    change(&state, user, id, ("alias", "alias_name"), form, Notice::AliasAdded, move |s, who, now| {
        s.add_alias(id, &name, who, now).map(|_| ())
    })
    .await
}

pub async fn add_address(
    State(state): State<WebState>,
    Path(id): Path<String>,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let id = person_id(&id)?;
    let postcode = form.get("address_postcode").trim().to_string();
    let line = form.opt("address_line");
    if postcode.is_empty() {
        let failed = Failed::of("address", "address_postcode", "Enter the postcode, for example B9 5SS", form);
        return again(&state, &user, id, failed).await;
    }
    change(&state, user, id, ("address", "address_postcode"), form, Notice::AddressAdded, move |s, who, now| {
        s.add_address(id, &postcode, line.as_deref(), who, now).map(|_| ())
    })
    .await
}

pub async fn set_identity(
    State(state): State<WebState>,
    Path(id): Path<String>,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let id = person_id(&id)?;
    let dob = match form.opt("date_of_birth") {
        None => None,
        Some(t) => match Date::parse(&t) {
            Ok(d) => Some(d),
            Err(_) => {
                let failed = Failed::of(
                    "identity",
                    "date_of_birth",
                    "Enter the date as year, month and day, for example 1990-05-01",
                    form,
                );
                return again(&state, &user, id, failed).await;
            }
        },
    };
    let (sex, ethnicity) = (form.opt("sex"), form.opt("ethnicity"));
    change(&state, user, id, ("identity", "date_of_birth"), form, Notice::IdentitySet, move |s, who, now| {
        s.set_identity(id, dob, sex.as_deref(), ethnicity.as_deref(), who, now)
    })
    .await
}

pub async fn set_phone(
    State(state): State<WebState>,
    Path(id): Path<String>,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let id = person_id(&id)?;
    let phone = form.opt("phone");
    change(&state, user, id, ("phone", "phone"), form, Notice::PhoneSet, move |s, who, now| {
        s.set_phone(id, phone.as_deref(), who, now)
    })
    .await
}

pub async fn add_marker(
    State(state): State<WebState>,
    Path(id): Path<String>,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let id = person_id(&id)?;
    let mut errors = Errors::default();
    let kind = form.get("marker_kind").to_string();
    if marker_label(&kind).is_none() {
        errors.add("marker_kind", "Choose the marker");
    }
    let noted_on = Date::parse(form.get("marker_noted_on").trim());
    if noted_on.is_err() {
        errors.add("marker_noted_on", "Enter the date it was noted, for example 2026-11-24");
    }
    let review_due = match form.opt("marker_review_due") {
        None => noted_on.as_ref().ok().map(|d| d.add_days(MARKER_REVIEW_DAYS)),
        Some(t) => match Date::parse(&t) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add("marker_review_due", "Enter the review date, for example 2027-11-24, or leave it empty");
                None
            }
        },
    };
    let note = form.opt("marker_note");
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        errors.add("marker_note", "Say what it rests on in at most 2,000 characters");
    }
    let (Ok(noted_on), Some(review_due), true) = (noted_on, review_due, errors.is_empty()) else {
        return again(&state, &user, id, Failed { form: "marker", errors, data: form }).await;
    };
    let marker = NewMarker { kind, noted_on, review_due, note };
    change(&state, user, id, ("marker", "marker_review_due"), form, Notice::MarkerAdded, move |s, who, now| {
        s.add_marker(id, &marker, who, now).map(|_| ())
    })
    .await
}

pub async fn end_marker(
    State(state): State<WebState>,
    Path(id): Path<String>,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let id = person_id(&id)?;
    let marker: i64 =
        form.get("marker").parse().map_err(|_| WebError::BadRequest("the form names no marker".into()))?;
    change(&state, user, id, ("marker", "marker_kind"), form, Notice::MarkerEnded, move |s, who, now| {
        s.end_marker(id, marker, who, now).map(|_| ())
    })
    .await
}

/// Sets a task on the person (issue 10 §4); the owner is told.
pub async fn add_task(
    State(state): State<WebState>,
    Path(id): Path<String>,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let id = person_id(&id)?;
    let task = match super::tasks::task_of(&form, None, Some(id)) {
        Ok(t) => t,
        Err(errors) => return again(&state, &user, id, Failed { form: "task", errors, data: form }).await,
    };
    let u = user.clone();
    let refused = state
        .run(move |store, now| {
            in_reach(store, &u, id)?;
            if let Some(errors) = super::tasks::check_owner(store, &task)? {
                return Ok(Some(errors));
            }
            match store.add_task(&task, u.username(), now) {
                Ok(_) => Ok(None),
                Err(e) => super::tasks::refused(e).map(Some),
            }
        })
        .await?;
    match refused {
        None => Ok(Redirect::to(&format!("/people/{id}?done={}#tasks", Notice::TaskSet.key())).into_response()),
        Some(errors) => again(&state, &user, id, Failed { form: "task", errors, data: form }).await,
    }
}

/// Puts this person (the record itself, not a new one) on a crime the user works on.
pub async fn add_to_crime(
    State(state): State<WebState>,
    Path(id): Path<String>,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let id = person_id(&id)?;
    if !super::crime::can_investigate(&user) {
        return Err(WebError::Forbidden("Only those who work a crime add people to it.".into()));
    }
    let typed = form.get("crime_reference").trim().to_string();
    let role = form.get("role").to_string();
    let u = user.clone();
    let answer = state
        .run(move |store, now| {
            in_reach(store, &u, id)?;
            let Some(reference) = peel_casework::search::reference_of(&typed).filter(|r| r.starts_with("CRM-")) else {
                return Ok(Err((
                    "crime_reference",
                    "Enter the crime's reference, for example CRM-2026-000123".to_string(),
                )));
            };
            let Some(("crime", crime)) = store.find_reference(&reference)? else {
                return Ok(Err(("crime_reference", format!("There is no crime {reference}"))));
            };
            let file = store.crime(crime)?;
            if !super::crime::can_see(store, &u, &file)? {
                return Ok(Err(("crime_reference", format!("{reference} is not yours or your team's"))));
            }
            let input = peel_casework::PersonInput { person: PersonRef::Existing(id), role, enhanced: false };
            match peel_casework::add_person(store, crime, &input, u.username(), now) {
                Ok(_) => Ok(Ok(reference)),
                Err(peel_casework::CaseError::Invalid(f)) => {
                    Ok(Err((if f.field == "role" { "role" } else { "crime_reference" }, f.message)))
                }
                Err(peel_casework::CaseError::Store(StoreError::Refused(m))) => Ok(Err(("crime_reference", m))),
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    match answer {
        Ok(reference) => {
            Ok(Redirect::to(&format!("/crimes/{reference}?done={}#people", Notice::PersonAdded.key())).into_response())
        }
        Err((field, message)) => {
            again(&state, &user, id, Failed::of("crime", field, super::account::capitalised(&message), form)).await
        }
    }
}
