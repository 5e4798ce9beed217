//! Victim care: the force-wide obligations due, the enhanced-service queue and the fraud
//! triage queue (seed 002 §10: the Victim Care Unit takes fraud victims triaged to it).
//!
//! Each is a worklist read live from the store a page at a time
//! (`Casework::obligation_worklist`): the queue's first lines, oldest due first, and how
//! long it is, so a page costs the same however far behind the force is.

use super::officer::obligation_rows;
use super::render;
use crate::access_log::Disclosed;
use crate::auth::{Role, User};
use crate::html::{self, joined};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use peel_casework::VICTIM_CARE_REFERRAL;
use peel_report::format::int;
use peel_store::casework::{Scope, Worklist, WorklistOrder, WorklistQuery, WORKLIST_COUNT_CAP};

/// Lines on one page of a queue.
pub const PAGE_LINES: usize = 100;
/// The last page a link may ask for: past it, the first million lines are behind you and
/// the offset would be more than the stores take.
pub const MAX_PAGE: usize = 10_000;
/// How far ahead the enhanced-service queue looks: a victim eligible for enhanced rights is
/// owed news of an investigation event within one working day (Victims' Code 2021, right 6),
/// so the unit plans the next few days, not only what is already due.
const ENHANCED_AHEAD_DAYS: i64 = 3;

#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    page: Option<usize>,
    /// Narrow the queue to a team's crimes (a team supervisor's is always their team).
    #[serde(default)]
    team: String,
    /// Narrow it to an officer's crimes (username).
    #[serde(default)]
    officer: String,
    /// The order: "" (oldest due first), "latest", "officer" or "right".
    #[serde(default)]
    sort: String,
}

/// The order asked for, or a bad request naming `sort`.
fn order_of(sort: &str) -> Result<WorklistOrder, WebError> {
    WorklistOrder::parse(sort)
        .ok_or_else(|| WebError::BadRequest(format!("sort: '{sort}' is not an order (latest, officer or right)")))
}

impl PageQuery {
    /// The filters as a query string's tail ("&team=…&officer=…&sort=…").
    fn filters(&self) -> String {
        html::query_tail(&[("team", &self.team), ("officer", &self.officer), ("sort", &self.sort)])
    }
}

impl PageQuery {
    fn page(&self) -> usize {
        self.page.unwrap_or(1).clamp(1, MAX_PAGE)
    }
}

/// Which queue a page shows.
struct Queue {
    /// The queue's word in the CSV's address.
    key: &'static str,
    title: &'static str,
    path: &'static str,
    lead: &'static str,
    ahead_days: i64,
    enhanced_only: bool,
    entitlement: Option<&'static str>,
    empty: &'static str,
}

const DUE: Queue = Queue {
    key: "due",
    title: "Victims' Code obligations due",
    path: "/victim-care",
    lead: "Every unmet obligation due today or overdue across the force, oldest first.",
    ahead_days: 0,
    enhanced_only: false,
    entitlement: None,
    empty: "Nothing is due.",
};

const ENHANCED: Queue = Queue {
    key: "enhanced",
    title: "Enhanced service",
    path: "/victim-care/enhanced",
    lead: "Obligations owed to victims eligible for enhanced rights (victims of the most serious crime, the \
           persistently targeted, the vulnerable or intimidated, and every victim under 18), due in the next three \
           days or overdue, oldest first.",
    ahead_days: ENHANCED_AHEAD_DAYS,
    enhanced_only: true,
    entitlement: None,
    empty: "No enhanced-service obligations are due.",
};

const FRAUD: Queue = Queue {
    key: "fraud",
    title: "Fraud triage: referrals to the Victim Care Unit",
    path: "/victim-care/fraud",
    lead: "Fraud victims triaged to the Victim Care Unit (romance fraud, aged 70 or over, or a National Decision \
           Model score above 15 of 35), not yet contacted, oldest first. Each referral is due the next working day; \
           log the contact on the crime to take it off the queue.",
    ahead_days: 30,
    enhanced_only: false,
    entitlement: Some(VICTIM_CARE_REFERRAL),
    empty: "No fraud victims are waiting for the Victim Care Unit.",
};

/// Need to know: a supervisor with a team sees their team's victims only; victim care,
/// admin and a supervisor without a team (force-wide) see the force's, narrowed to a team or
/// an officer if they ask.
fn scope_of(user: &User, team: &str, officer: &str) -> Scope {
    let (team, officer) = (team.trim(), officer.trim());
    match (&user.role, &user.account.team) {
        (Role::Supervisor, Some(own)) => {
            Scope { team: Some(own.clone()), officer: (!officer.is_empty()).then(|| officer.to_string()) }
        }
        _ => Scope {
            team: (!team.is_empty()).then(|| team.to_string()),
            officer: (!officer.is_empty()).then(|| officer.to_string()),
        },
    }
}

fn filters_form(path: &str, q: &PageQuery, user: &User, officers: &[(String, String)]) -> Markup {
    let errors = html::Errors::default();
    let mut teams = vec![(String::new(), "Every team".to_string())];
    teams.extend(peel_casework::TEAMS.iter().map(|t| (t.to_string(), t.to_string())));
    let mut officer_options = vec![(String::new(), "Every officer".to_string())];
    officer_options.extend(officers.iter().cloned());
    let sorts = html::options(&[
        ("", "Oldest due first"),
        ("latest", "Latest due first"),
        ("officer", "By officer"),
        ("right", "By the right owed"),
    ]);
    let fixed = user.role == Role::Supervisor && user.account.team.is_some();
    html! {
        details open[!q.filters().is_empty()] {
            summary { "Filter or sort the queue" }
            form method="get" action=(path) {
                @if !fixed { (errors.select("team", "Team", &teams, &q.team)) }
                (errors.select("officer", "Officer", &officer_options, &q.officer))
                (errors.select("sort", "Order", &sorts, &q.sort))
                button type="submit" { "Filter" }
                " " a href=(path) { "Clear the filters" }
            }
        }
    }
}

/// The most lines a queue's CSV holds (the queue's oldest first): a download is for working
/// a queue, not for copying the force's records.
const CSV_LINES: usize = 10_000;

#[derive(serde::Deserialize, Default)]
pub struct CsvQuery {
    /// due | enhanced | fraud
    #[serde(default)]
    queue: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    officer: String,
    #[serde(default)]
    sort: String,
}

/// A queue as CSV, oldest due first: references and names, no database ids.
pub async fn csv(State(state): State<WebState>, user: User, Query(q): Query<CsvQuery>) -> Result<Response, WebError> {
    let queue = match q.queue.as_str() {
        "" | "due" => DUE,
        "enhanced" => ENHANCED,
        "fraud" => FRAUD,
        other => return Err(WebError::BadRequest(format!("queue: '{other}' is not a queue (due, enhanced, fraud)"))),
    };
    let scope = scope_of(&user, &q.team, &q.officer);
    let order = order_of(&q.sort)?;
    let (list, names) = state
        .run(move |store, now| {
            let list = store.obligation_worklist(&WorklistQuery {
                scope,
                enhanced_only: queue.enhanced_only,
                entitlement: queue.entitlement.map(str::to_string),
                limit: CSV_LINES,
                offset: 0,
                order,
                ..WorklistQuery::until(now.date().add_days(queue.ahead_days))
            })?;
            let names = super::names_of(store, list.lines.iter().filter_map(|d| d.officer.as_deref()))?;
            Ok((list, names))
        })
        .await?;
    let rows = list.lines.iter().map(|d| {
        [
            d.obligation.due.map(|x| x.to_string()).unwrap_or_default(),
            if d.overdue { "yes".into() } else { "no".into() },
            d.crime_reference.clone(),
            d.victim_name.clone(),
            d.obligation.right_no.to_string(),
            d.obligation.description.clone(),
            d.officer.as_deref().map(|o| super::named(&names, o).to_string()).unwrap_or_default(),
            d.team.clone().unwrap_or_default(),
        ]
    });
    let download = super::audit::csv_download(
        "victim-care.csv",
        "due,overdue,crime,victim,right,what_the_victim_is_owed,officer,team",
        rows,
    );
    let shown =
        Disclosed::new(peel_store::audit::Access::Export, "person", list.lines.iter().map(|d| d.obligation.person))
            .by(user.username());
    Ok((shown, download).into_response())
}

async fn show(state: WebState, user: User, queue: Queue, q: PageQuery) -> Result<Response, WebError> {
    let page = q.page();
    let scope = scope_of(&user, &q.team, &q.officer);
    let order = order_of(&q.sort)?;
    let own_team = scope.team.clone().filter(|_| user.role == Role::Supervisor);
    let (list, today, officers) = state
        .run(move |store, now| {
            let today = now.date();
            let list = store.obligation_worklist(&WorklistQuery {
                scope,
                enhanced_only: queue.enhanced_only,
                entitlement: queue.entitlement.map(str::to_string),
                limit: PAGE_LINES,
                offset: (page - 1) * PAGE_LINES,
                order,
                ..WorklistQuery::until(today.add_days(queue.ahead_days))
            })?;
            let officers = super::crime_filter::officer_choices(store, own_team.as_deref())?;
            Ok((list, today, officers))
        })
        .await?;
    let rows = obligation_rows(&list.lines, today, true);
    let body = html! {
        h1 { (queue.title) }
        p class="lead" { (queue.lead) }
        (filters_form(queue.path, &q, &user, &officers))
        p {
            strong { (total_text(&list)) } " in the queue. "
            a href={ "/victim-care.csv?queue=" (queue.key) (q.filters()) } download { "Download the queue as CSV" }
        }
        (html::table(
            queue.title,
            &["Due", "Crime", "Victim", "What the victim is owed", "", "Officer"],
            &rows,
            queue.empty
        ))
        (pager(queue.path, page, &list, &q.filters()))
    };
    let shown = Disclosed::list("person", list.lines.iter().map(|d| d.obligation.person)).by(user.username());
    Ok((shown, render(&user, queue.title, body)).into_response())
}

/// The queue's length in words: "234", or "1,000 or more" at the store's counting cap.
fn total_text(list: &Worklist) -> String {
    if list.total >= WORKLIST_COUNT_CAP {
        format!("{} or more", int(WORKLIST_COUNT_CAP))
    } else {
        int(list.total)
    }
}

/// Previous and next links under a queue.
fn pager(path: &str, page: usize, list: &Worklist, filters: &str) -> Markup {
    let shown_to = (page - 1) * PAGE_LINES + list.lines.len();
    let mut links = Vec::new();
    if page > 1 {
        links.push(html! { a href={ (path) "?page=" (page - 1) (filters) } rel="prev" { "Previous " (PAGE_LINES) } });
    }
    // A full page may have more after it even where the count stopped at its cap.
    if list.lines.len() == PAGE_LINES && ((shown_to as u64) < list.total || list.total >= WORKLIST_COUNT_CAP) {
        links.push(html! { a href={ (path) "?page=" (page + 1) (filters) } rel="next" { "Next " (PAGE_LINES) } });
    }
    html! {
        @if !(list.lines.is_empty() && page == 1) {
            nav aria-label="Pages of the queue" {
                p { "Lines " ((page - 1) * PAGE_LINES + 1) " to " (shown_to) ". " (joined(&links, " · ")) }
            }
        }
    }
}

pub async fn due(State(state): State<WebState>, user: User, Query(q): Query<PageQuery>) -> Result<Response, WebError> {
    show(state, user, DUE, q).await
}

pub async fn enhanced(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    show(state, user, ENHANCED, q).await
}

pub async fn fraud(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    show(state, user, FRAUD, q).await
}
