//! The supervisor: the daily management meeting list for their team, the investigation
//! plans and reviews due, and the team's Victims' Code compliance.

use super::render;
use crate::access_log::Disclosed;
use crate::auth::User;
use crate::html;
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, Render};
use peel_casework::performance;
use peel_domain::victims_code::PERSISTENTLY_TARGETED;
use peel_store::casework::Scope;

/// Lines on one page of the meeting list and of the reviews due (each says how many there
/// are in all and links to the next page).
const PAGE_LINES: usize = 100;

/// `?meeting=N&reviews=M`: the page of each list, from 1.
#[derive(serde::Deserialize, Default)]
pub struct Pages {
    meeting: Option<usize>,
    reviews: Option<usize>,
}

impl Pages {
    fn meeting(&self) -> usize {
        self.meeting.unwrap_or(1).clamp(1, super::victim_care::MAX_PAGE)
    }
    fn reviews(&self) -> usize {
        self.reviews.unwrap_or(1).clamp(1, super::victim_care::MAX_PAGE)
    }
    /// The address of this page with one list's page changed, the other's kept.
    fn href(&self, meeting: usize, reviews: usize) -> String {
        format!("/supervisor?meeting={meeting}&reviews={reviews}")
    }
}

pub async fn page(State(state): State<WebState>, user: User, Query(pages): Query<Pages>) -> Result<Response, WebError> {
    let (meeting_page, reviews_page) = (pages.meeting(), pages.reviews());
    let team = user.account.team.clone();
    // Three independent reads, each on a store connection of its own, at the same time: the
    // team's open crimes (the crime_open indexes: the meeting is about crimes still being
    // investigated), the repeat victims among their victims (each victim's crimes across the
    // force in the same twelve months), and the plans and reviews due. The page waits for
    // the slowest.
    let window = |now: peel_domain::date::Timestamp| {
        let today = now.date();
        (today.add_days(-performance::MEETING_WINDOW_DAYS), today)
    };
    let scope = team.as_deref().map(Scope::team).unwrap_or_default();
    let sc = scope.clone();
    let facts = state.run(move |store, now| {
        let (from, to) = window(now);
        Ok(store.open_crime_facts_in(from, to, &sc)?)
    });
    let sc = scope.clone();
    let repeat = state.run(move |store, now| {
        let (from, to) = window(now);
        Ok(store.open_crime_repeat_victims(from, to, &sc, PERSISTENTLY_TARGETED.crimes as usize)?)
    });
    let t = team.clone();
    let reviews = state.run(move |store, now| {
        // What falls due this week, by due date (overdue first), a page at a time.
        let today = now.date();
        let due = peel_casework::reviews_due(&*store, t.as_deref(), today.add_days(7))?;
        let total = due.len();
        let page: Vec<_> = due.into_iter().skip((reviews_page - 1) * PAGE_LINES).take(PAGE_LINES).collect();
        let ids: Vec<i64> = page.iter().map(|d| d.status.crime).collect();
        let rows = page
            .iter()
            .map(|d| {
                vec![
                    html! { a href={ "/crimes/" (d.status.crime) } { (d.status.reference) } },
                    d.what.render(),
                    html! {
                        (d.due)
                        @if d.due < today { " " strong { "overdue" } }
                    },
                    d.status.officer.as_deref().unwrap_or("unallocated").render(),
                ]
            })
            .collect::<Vec<_>>();
        Ok((rows, ids, total))
    });
    let (facts, repeat, reviews) = tokio::join!(facts, repeat, reviews);
    let (facts, repeat, (reviews, reviewed, reviews_total)) = (facts?, repeat?, reviews?);
    let (rows, meeting_total, shown) = {
        // The meeting takes the crimes with most reasons first (risk, vulnerability,
        // repetition, an outstanding suspect together), then the newest.
        let mut items = performance::daily_meeting(&facts, &repeat);
        performance::meeting_order(&mut items);
        let total = items.len();
        let page: Vec<_> = items.into_iter().skip((meeting_page - 1) * PAGE_LINES).take(PAGE_LINES).collect();
        let rows: Vec<Vec<Markup>> = page
            .iter()
            .map(|i| {
                vec![
                    html! { a href={ "/crimes/" (i.crime) } { (i.reference) } },
                    peel_casework::offence_label(&i.offence_code).render(),
                    i.team.as_deref().unwrap_or("unallocated").render(),
                    i.reasons.join("; ").render(),
                ]
            })
            .collect();
        // Both tables show crimes: the meeting's and the plans and reviews due.
        let shown = page.iter().map(|i| i.crime).chain(reviewed);
        (rows, total, Disclosed::list("crime", shown))
    };
    // Compliance over twelve months is a summary, not a worklist (see crate::summary).
    // The force's summary holds every team's figures (by_team), so one summary serves all.
    let summary = crate::summary::get(&state.api, &state.summaries, state.config.summary_minutes).await?;
    let compliance = match &team {
        Some(t) => summary.compliance.by_team.get(t).cloned().unwrap_or_default(),
        None => summary.compliance.overall.clone(),
    };
    let scope = team.as_deref().unwrap_or("the force");
    let rate = compliance.rate().map_or("—".to_string(), |r| format!("{:.0}%", r * 100.0));
    let body = html! {
        h1 { "Daily management meeting" }
        p class="lead" {
            (scope) ": open crimes with a high-risk THRIVE, a vulnerable victim, a repeat victim, or a domestic \
             abuse suspect outstanding."
        }
        div class="cards" {
            div class="card" { span class="big" { (meeting_total) } "crimes for the meeting" }
            div class="card" {
                span class="big" { (rate) }
                "Victims' Code obligations met on time (last 12 months)"
            }
            div class="card" { span class="big" { (compliance.unmet) } "obligations past due and not met" }
        }
        p class="caption" { (crate::summary::as_at(&summary, state.config.summary_minutes)) }
        p { "Most reasons first, then the newest." }
        (html::table("Daily meeting", &["Crime", "Offence", "Team", "Why"], &rows, "Nothing for the meeting today."))
        (html::pager("Pages of the meeting list", |n| pages.href(n, reviews_page), meeting_page, PAGE_LINES, meeting_total))
        h2 { "Investigation plans and reviews due" }
        p {
            "Due in the next seven days or overdue: a plan within 2 days of recording; a review every 28 days, or on \
             the day the last review set."
        }
        (html::table("Plans and reviews due", &["Crime", "What", "Due", "Officer"], &reviews, "No plans or reviews due."))
        (html::pager("Pages of the plans and reviews due", |n| pages.href(meeting_page, n), reviews_page, PAGE_LINES, reviews_total))
    };
    Ok((shown.by(user.username()), render(&user, "Daily meeting", body)).into_response())
}
