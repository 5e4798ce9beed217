//! The investigating officer: my crimes, and the Victims' Code obligations due today,
//! overdue and coming up.

use super::crime_filter::CrimeFilter;
use super::{render, tag};
use crate::access_log::Disclosed;
use crate::auth::User;
use crate::html;
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, Render};
use peel_domain::date::Date;
use peel_store::casework::ObligationDue;
use peel_store::casework::Scope;

/// How far ahead "coming up" looks.
const AHEAD_DAYS: i64 = 14;
/// How far back "my crimes" looks.
const CRIMES_DAYS: i64 = 365;

/// "Right 4", or the force's contact standard (right 0 in the domain's table).
pub(crate) fn right_label(right: u8) -> String {
    if right == 0 {
        "Contact standard".to_string()
    } else {
        format!("Right {right}")
    }
}

pub(crate) fn obligation_rows(due: &[ObligationDue], today: Date, with_officer: bool) -> Vec<Vec<Markup>> {
    due.iter()
        .map(|d| {
            let o = &d.obligation;
            let day = o.due.map(|d| d.date());
            let overdue = day.is_some_and(|w| w < today);
            let state = if overdue {
                tag("red", "Overdue")
            } else if day == Some(today) {
                tag("amber", "Due today")
            } else {
                tag("", "Due")
            };
            let mut row = vec![
                html! { (o.due.map(html::when).unwrap_or_default()) br; (state) },
                html! { a href={ "/crimes/" (o.crime) } { (d.crime_reference) } },
                d.victim_name.render(),
                html! { (right_label(o.right_no)) ": " (o.description) },
                html! {
                    a href={ "/crimes/" (o.crime) "?meet=" (o.id) "#contact" } {
                        "Log a contact"
                        span class="skip" { " with " (d.victim_name) " for " (d.crime_reference) }
                    }
                },
            ];
            if with_officer {
                row.push(d.officer.as_deref().unwrap_or("not allocated").render());
            }
            row
        })
        .collect()
}

pub async fn page(
    State(state): State<WebState>,
    user: User,
    Query(filter): Query<CrimeFilter>,
) -> Result<Response, WebError> {
    let me = user.username().to_string();
    let keep = filter.clone();
    let (due_now, ahead, crimes, shown, tasks, today) = state
        .run(move |store, now| {
            let today = now.date();
            let tasks = store.open_tasks_of(&me)?;
            let due = store.obligations_due(today.add_days(AHEAD_DAYS), &peel_store::casework::Scope::officer(&me))?;
            let (due_now, ahead): (Vec<_>, Vec<_>) =
                due.into_iter().partition(|d| d.obligation.due.is_some_and(|x| x.date() <= today));
            let facts = store.crime_facts_in(today.add_days(-CRIMES_DAYS), today, &Scope::officer(&me))?;
            let mine: Vec<&peel_store::casework::CrimeFact> = facts
                .iter()
                .filter(|f| f.officer.as_deref() == Some(me.as_str()) && f.status == "recorded" && keep.keeps(f))
                .collect();
            let mine = keep.order(mine);
            let mut crimes: Vec<Vec<Markup>> = mine
                .iter()
                .map(|f| {
                    let (class, headline, _) = super::crime_status(&f.status, f.outcome.as_deref());
                    vec![
                        html! { a href={ "/crimes/" (f.id) } { (f.reference) } },
                        peel_casework::offence_label(&f.offence_code).render(),
                        html::when(f.recorded_at).render(),
                        if f.victims.iter().any(|v| v.1) { tag("amber", "Enhanced") } else { "Standard".render() },
                        tag(class, &headline),
                    ]
                })
                .collect();
            crimes.truncate(300);
            let shown = Disclosed::list("person", due_now.iter().chain(&ahead).map(|d| d.obligation.person))
                .and("crime", mine.iter().take(300).map(|f| f.id));
            Ok((
                obligation_rows(&due_now, today, false),
                obligation_rows(&ahead, today, false),
                crimes,
                shown,
                tasks,
                today,
            ))
        })
        .await?;
    let headers = ["Due", "Crime", "Victim", "What the victim is owed", ""];
    let body = html! {
        h1 { "My crimes and victims" }
        h2 id="due" { "Victims' Code obligations due today and overdue" }
        (html::table("Obligations due today and overdue", &headers, &due_now, "Nothing due today or overdue."))
        h2 id="ahead" { "Coming up in the next " (AHEAD_DAYS) " days" }
        (html::table("Obligations coming up", &headers, &ahead, "Nothing coming up."))
        (super::tasks::mine(&tasks, &user, today))
        h2 id="crimes" { "My crimes" }
        (filter.form(("Filter my crimes", "/officer#crimes", "/officer#crimes"), &[], None))
        p { a href={ "/officer/crimes.csv?" (filter.query()) } download { "Download my crimes as CSV" } }
        (html::table(
            "My crimes",
            &["Crime", "Offence", "Recorded", "Victims' Code service", "Status"],
            &crimes,
            "No crimes allocated to you in the last year."
        ))
    };
    Ok((shown.by(user.username()), render(&user, "My crimes and victims", body)).into_response())
}

/// "My crimes" as CSV: the crimes of the last year allocated to the officer, newest first,
/// each by its reference.
pub async fn crimes_csv(
    State(state): State<WebState>,
    user: User,
    Query(filter): Query<CrimeFilter>,
) -> Result<Response, WebError> {
    let me = user.username().to_string();
    let facts = state
        .run(move |store, now| {
            let today = now.date();
            Ok(store.crime_facts_in(today.add_days(-CRIMES_DAYS), today, &Scope::officer(&me))?)
        })
        .await?;
    let mine = filter.order(
        facts
            .iter()
            .filter(|f| f.officer.as_deref() == Some(user.username()) && f.status == "recorded" && filter.keeps(f))
            .collect(),
    );
    let rows = mine.iter().map(|f| {
        let (_, headline, _) = super::crime_status(&f.status, f.outcome.as_deref());
        [
            f.reference.clone(),
            peel_casework::offence_label(&f.offence_code),
            f.recorded_at.to_string(),
            if f.victims.iter().any(|v| v.1) { "enhanced".into() } else { "standard".into() },
            headline,
            f.outcome.as_deref().map(peel_casework::outcome_label).unwrap_or_default(),
        ]
    });
    let download = super::audit::csv_download(
        "my-crimes.csv",
        "reference,offence,recorded,victims_code_service,status,outcome",
        rows,
    );
    let shown =
        Disclosed::new(peel_store::audit::Access::Export, "crime", mine.iter().map(|f| f.id)).by(user.username());
    Ok((shown, download).into_response())
}
