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

/// `?meeting=N&reviews=M`: the page of each list, from 1; and the meeting list's filters.
#[derive(serde::Deserialize, Default, Clone)]
pub struct Pages {
    meeting: Option<usize>,
    reviews: Option<usize>,
    /// An officer's username.
    #[serde(default)]
    officer: String,
    /// A Home Office offence group.
    #[serde(default)]
    group: String,
    /// A flag word.
    #[serde(default)]
    flag: String,
    /// Words a reason holds ("high risk", "repeat victim").
    #[serde(default)]
    why: String,
    /// The order: "" (the meeting's: new and changed first, then most reasons, then newest),
    /// "newest", "oldest", "officer" or "offence".
    #[serde(default)]
    sort: String,
    /// The plans and reviews due narrowed (the officer filter narrows them too): "plan" or
    /// "review".
    #[serde(default)]
    what: String,
    /// "yes": only those overdue.
    #[serde(default)]
    overdue: String,
    /// Their order: "" (soonest due first, so overdue first), "officer" or "recorded".
    #[serde(default)]
    rsort: String,
}

impl Pages {
    fn meeting(&self) -> usize {
        self.meeting.unwrap_or(1).clamp(1, super::victim_care::MAX_PAGE)
    }
    fn reviews(&self) -> usize {
        self.reviews.unwrap_or(1).clamp(1, super::victim_care::MAX_PAGE)
    }
    /// The filters as a query string.
    fn filters(&self) -> String {
        html::query_tail(&[
            ("officer", &self.officer),
            ("group", &self.group),
            ("flag", &self.flag),
            ("why", &self.why),
            ("sort", &self.sort),
            ("what", &self.what),
            ("overdue", &self.overdue),
            ("rsort", &self.rsort),
        ])
    }
    /// The address of this page with one list's page changed, the other's and the filters kept.
    fn href(&self, meeting: usize, reviews: usize) -> String {
        format!("/supervisor?meeting={meeting}&reviews={reviews}{}", self.filters())
    }
    /// The plans and reviews due, narrowed and ordered as asked.
    fn reviews_kept(
        &self,
        mut due: Vec<peel_casework::ReviewDue>,
        today: peel_domain::date::Date,
    ) -> Vec<peel_casework::ReviewDue> {
        due.retain(|d| {
            (self.officer.is_empty() || d.status.officer.as_deref() == Some(self.officer.as_str()))
                && match self.what.as_str() {
                    "plan" => d.what.contains("plan"),
                    "review" => d.what.contains("review"),
                    _ => true,
                }
                && (self.overdue != "yes" || d.due < today)
        });
        // Each sort is stable over the soonest-due order reviews_due gives.
        match self.rsort.as_str() {
            "officer" => due.sort_by(|a, b| a.status.officer.cmp(&b.status.officer)),
            "recorded" => due.sort_by_key(|d| std::cmp::Reverse(d.status.recorded_at)),
            _ => {}
        }
        due
    }

    fn keeps(&self, item: &Line) -> bool {
        (self.officer.is_empty() || item.officer.as_deref() == Some(self.officer.as_str()))
            && (self.group.is_empty() || item.group == self.group)
            && (self.flag.is_empty() || item.flags.contains(&self.flag))
            && (self.why.is_empty() || item.reasons.iter().any(|r| r.to_lowercase().contains(&self.why.to_lowercase())))
    }
}

/// One crime on the meeting list, with what the page shows and filters by.
#[derive(Debug, Clone)]
struct Line {
    crime: i64,
    reference: String,
    offence_code: String,
    group: String,
    team: Option<String>,
    officer: Option<String>,
    flags: Vec<String>,
    reasons: Vec<String>,
    /// Recorded since the last meeting, or changed since (neither: `None`).
    since: Option<&'static str>,
}

/// The team's key for its meetings: "" for a supervisor without a team (the force).
fn team_key(user: &User) -> String {
    user.account.team.clone().unwrap_or_default()
}

/// The meeting list, filtered, new and changed since the last meeting first, then by the
/// meeting's own order (most reasons, then newest); with when the last meeting was held.
async fn meeting_lines(
    state: &WebState,
    user: &User,
    q: &Pages,
) -> Result<(Vec<Line>, Option<peel_domain::date::Timestamp>), WebError> {
    let team = user.account.team.clone();
    let scope = team.as_deref().map(Scope::team).unwrap_or_default();
    let (sc, key) = (scope.clone(), team_key(user));
    let facts = state.run(move |store, now| {
        let today = now.date();
        let facts = store.open_crime_facts_in(today.add_days(-performance::MEETING_WINDOW_DAYS), today, &sc)?;
        let last = store.last_meeting(&key)?;
        Ok((facts, last))
    });
    let repeat = state.run(move |store, now| {
        let today = now.date();
        let from = today.add_days(-performance::MEETING_WINDOW_DAYS);
        Ok(store.open_crime_repeat_victims(from, today, &scope, PERSISTENTLY_TARGETED.crimes as usize)?)
    });
    let (facts, repeat) = tokio::join!(facts, repeat);
    let ((facts, last), repeat) = (facts?, repeat?);
    let mut items = performance::daily_meeting(&facts, &repeat);
    performance::meeting_order(&mut items);
    let by_id: std::collections::HashMap<i64, &peel_store::casework::CrimeFact> =
        facts.iter().map(|f| (f.id, f)).collect();
    let mut lines: Vec<Line> = items
        .into_iter()
        .map(|i| {
            let f = by_id.get(&i.crime);
            Line {
                group: peel_domain::offence::by_code(&i.offence_code).map_or("unknown", |o| o.group).to_string(),
                officer: f.and_then(|f| f.officer.clone()),
                flags: f.map(|f| f.flags.clone()).unwrap_or_default(),
                crime: i.crime,
                reference: i.reference,
                offence_code: i.offence_code,
                team: i.team,
                reasons: i.reasons,
                since: None,
            }
        })
        .filter(|l| q.keeps(l))
        .collect();
    if let Some(mark) = last {
        let ids: Vec<i64> = lines.iter().map(|l| l.crime).collect();
        let changed = state.run(move |store, _| Ok(store.changed_since(&ids, mark.last_audit)?)).await?;
        let changed: std::collections::HashSet<i64> = changed.into_iter().collect();
        for l in &mut lines {
            l.since = if l.crime > mark.last_crime {
                Some("new")
            } else if changed.contains(&l.crime) {
                Some("changed")
            } else {
                None
            };
        }
        // New, then changed, then the rest; each in the meeting's own order (the sort is stable).
        lines.sort_by_key(|l| match l.since {
            Some("new") => 0,
            Some(_) => 1,
            None => 2,
        });
    }
    // Another order if asked for (each sort is stable: ties keep the meeting's order).
    match q.sort.as_str() {
        "newest" => lines.sort_by_key(|l| std::cmp::Reverse(l.crime)),
        "oldest" => lines.sort_by_key(|l| l.crime),
        "officer" => lines.sort_by(|a, b| a.officer.cmp(&b.officer)),
        "offence" => lines.sort_by(|a, b| a.offence_code.cmp(&b.offence_code)),
        _ => {}
    }
    Ok((lines, last.map(|m| m.held_at)))
}

pub async fn page(State(state): State<WebState>, user: User, Query(pages): Query<Pages>) -> Result<Response, WebError> {
    let (meeting_page, reviews_page) = (pages.meeting(), pages.reviews());
    let team = user.account.team.clone();
    let t = team.clone();
    let q = pages.clone();
    let reviews = state.run(move |store, now| {
        // What falls due this week, by due date (overdue first), a page at a time.
        let today = now.date();
        let due = q.reviews_kept(peel_casework::reviews_due(&*store, t.as_deref(), today.add_days(7))?, today);
        let total = due.len();
        let page: Vec<_> = due.into_iter().skip((reviews_page - 1) * PAGE_LINES).take(PAGE_LINES).collect();
        let ids: Vec<i64> = page.iter().map(|d| d.status.crime).collect();
        let names = super::names_of(store, page.iter().filter_map(|d| d.status.officer.as_deref()))?;
        let rows = page
            .iter()
            .map(|d| {
                vec![
                    html! { a href={ "/crimes/" (d.status.reference) } { (d.status.reference) } },
                    d.what.render(),
                    html! {
                        (d.due)
                        @if d.due < today { " " strong { "overdue" } }
                    },
                    d.status
                        .officer
                        .as_deref()
                        .map_or_else(|| "unallocated".to_string(), |o| super::named(&names, o).to_string())
                        .render(),
                ]
            })
            .collect::<Vec<_>>();
        Ok((rows, ids, total))
    });
    let (lines, reviews) = tokio::join!(meeting_lines(&state, &user, &pages), reviews);
    let ((lines, last), (reviews, reviewed, reviews_total)) = (lines?, reviews?);
    let meeting_total = lines.len();
    let page: Vec<Line> = lines.into_iter().skip((meeting_page - 1) * PAGE_LINES).take(PAGE_LINES).collect();
    let ids: Vec<i64> = page.iter().map(|l| l.crime).collect();
    let officers_here: Vec<String> = page.iter().filter_map(|l| l.officer.clone()).collect();
    let t = team.clone();
    let (decisions, names, team_officers) = state
        .run(move |store, _| {
            let decisions: std::collections::HashMap<i64, peel_store::tasks::MeetingDecision> =
                store.latest_meeting_decisions(&ids)?.into_iter().map(|d| (d.crime, d)).collect();
            let team_officers = super::crime_filter::officer_choices(store, t.as_deref())?;
            let mut who: Vec<&str> = officers_here.iter().map(String::as_str).collect();
            who.extend(decisions.values().map(|d| d.decided_by.as_str()));
            let names = super::names_of(store, who)?;
            Ok((decisions, names, team_officers))
        })
        .await?;
    let rows: Vec<Vec<Markup>> = page
        .iter()
        .map(|l| {
            vec![
                html! {
                    a href={ "/crimes/" (l.reference) } { (l.reference) }
                    @if let Some(s) = l.since { " " (super::tag(if s == "new" { "green" } else { "amber" }, s)) }
                },
                peel_casework::offence_label(&l.offence_code).render(),
                l.officer.as_deref().map(|o| super::named(&names, o).to_string()).unwrap_or_else(|| "unallocated".into()).render(),
                l.reasons.join("; ").render(),
                html! {
                    @if let Some(d) = decisions.get(&l.crime) {
                        (d.decision) br; span class="hint" { (super::named(&names, &d.decided_by)) ", " (html::when(d.decided_at)) }
                    }
                    form method="post" action="/supervisor/decisions" class="decision" {
                        (html::csrf_input(&user))
                        input type="hidden" name="crime" value=(l.crime);
                        label for={ "decision-" (l.crime) } class="skip" { "Decision or action on " (l.reference) }
                        input type="text" id={ "decision-" (l.crime) } name="decision" placeholder="Decision or action";
                        button type="submit" class="small" { "Record" }
                    }
                },
            ]
        })
        .collect();
    let shown = Disclosed::list("crime", page.iter().map(|l| l.crime).chain(reviewed));
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
        (filters_form(&pages, &team_officers))
        p {
            @match last {
                Some(t) => { "Last meeting held " (html::when(t)) ": what is new or changed since comes first, then most reasons, then the newest. " }
                None => { "Most reasons first, then the newest. " }
            }
            a href={ "/supervisor/meeting.csv?" (pages.filters().trim_start_matches('&')) } download { "Download the list as CSV" }
        }
        (html::table("Daily meeting", &["Crime", "Offence", "Officer", "Why", "Decision or action"], &rows, "Nothing for the meeting today."))
        (html::pager("Pages of the meeting list", |n| pages.href(n, reviews_page), meeting_page, PAGE_LINES, meeting_total))
        form method="post" action="/supervisor/meetings" {
            (html::csrf_input(&user))
            button type="submit" class="secondary" { "The meeting is held: show what changes after it as new" }
        }
        h2 id="officers" { "Victims' Code compliance by officer" }
        p { "Obligations of the last 12 months' crimes, met on time of those due, for each officer of " (scope) "." }
        (html::table(
            "Compliance by officer",
            &["Officer", "Due", "Met on time", "Met late", "Not met", "On time"],
            &team_officers.iter().map(|(u, label)| {
                let c = summary.compliance.by_officer.get(u).cloned().unwrap_or_default();
                vec![
                    label.render(),
                    c.due.render(),
                    c.met_on_time.render(),
                    c.met_late.render(),
                    c.unmet.render(),
                    c.rate().map_or("no data".to_string(), |r| format!("{:.0}%", r * 100.0)).render(),
                ]
            }).collect::<Vec<_>>(),
            "No officers in the team.",
        ))
        h2 id="reviews" { "Investigation plans and reviews due" }
        p {
            "Due in the next seven days or overdue: a plan within 2 days of recording; a review every 28 days, or on \
             the day the last review set."
        }
        (reviews_form(&pages))
        p { a href={ "/supervisor/reviews.csv?" (pages.filters().trim_start_matches('&')) } download { "Download the plans and reviews due as CSV" } }
        (html::table("Plans and reviews due", &["Crime", "What", "Due", "Officer"], &reviews, "No plans or reviews due."))
        (html::pager("Pages of the plans and reviews due", |n| pages.href(meeting_page, n), reviews_page, PAGE_LINES, reviews_total))
    };
    Ok((shown.by(user.username()), render(&user, "Daily meeting", body)).into_response())
}

fn filters_form(q: &Pages, officers: &[(String, String)]) -> Markup {
    let errors = crate::html::Errors::default();
    let mut officer_options = vec![(String::new(), "Every officer".to_string())];
    officer_options.extend(officers.iter().cloned());
    let (group_options, flag_options) = (super::crime_filter::group_options(), super::crime_filter::flag_options());
    html! {
        details open[!q.filters().is_empty()] {
            summary { "Filter the list" }
            form method="get" action="/supervisor" class="filters" {
                (errors.select("officer", "Officer", &officer_options, &q.officer))
                (errors.select("group", "Offence group", &group_options, &q.group))
                (errors.select("flag", "Flag", &flag_options, &q.flag))
                (errors.input("text", "why", "Why it is on the list", "Words of the reason, for example: repeat victim", &q.why, crate::html::Attrs::NONE))
                (errors.select("sort", "Order", &[
                    (String::new(), "The meeting's: new and changed first, then most reasons".to_string()),
                    ("newest".to_string(), "Newest first".to_string()),
                    ("oldest".to_string(), "Oldest first".to_string()),
                    ("officer".to_string(), "By officer".to_string()),
                    ("offence".to_string(), "By offence".to_string()),
                ], &q.sort))
                button type="submit" { "Filter" }
                " " a href="/supervisor" { "Clear the filters" }
            }
        }
    }
}

fn reviews_form(q: &Pages) -> Markup {
    let e = crate::html::Errors::default();
    let narrowed = !(q.what.is_empty() && q.overdue.is_empty() && q.rsort.is_empty());
    html! {
        details open[narrowed] {
            summary { "Filter the plans and reviews" }
            form method="get" action="/supervisor#reviews" class="filters" {
                // The meeting's filters stay as they are; the officer filter narrows both lists.
                @for (name, value) in [("officer", &q.officer), ("group", &q.group), ("flag", &q.flag), ("why", &q.why), ("sort", &q.sort)] {
                    @if !value.is_empty() { input type="hidden" name=(name) value=(value); }
                }
                (e.select("what", "What is due", &html::options(&[("", "Plans and reviews"), ("plan", "Investigation plans"), ("review", "Supervisor reviews")]), &q.what))
                (e.select("overdue", "When", &html::options(&[("", "Due this week or overdue"), ("yes", "Overdue only")]), &q.overdue))
                (e.select("rsort", "Order", &html::options(&[("", "Soonest due first"), ("officer", "By officer"), ("recorded", "Newest crime first")]), &q.rsort))
                button type="submit" { "Filter" }
                " " a href="/supervisor#reviews" { "Clear the filters" }
            }
        }
    }
}

/// The plans and reviews due as CSV, filtered as on the page: references and names.
pub async fn reviews_csv(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<Pages>,
) -> Result<Response, WebError> {
    let team = user.account.team.clone();
    let (due, names, today) = state
        .run(move |store, now| {
            let today = now.date();
            let due = q.reviews_kept(peel_casework::reviews_due(&*store, team.as_deref(), today.add_days(7))?, today);
            let names = super::names_of(store, due.iter().filter_map(|d| d.status.officer.as_deref()))?;
            Ok((due, names, today))
        })
        .await?;
    let rows = due.iter().map(|d| {
        [
            d.status.reference.clone(),
            d.what.clone(),
            d.due.to_string(),
            if d.due < today { "yes".into() } else { "no".into() },
            d.status.team.clone().unwrap_or_default(),
            d.status.officer.as_deref().map(|o| super::named(&names, o).to_string()).unwrap_or_default(),
        ]
    });
    let download =
        super::audit::csv_download("plans-and-reviews-due.csv", "reference,what,due,overdue,team,officer", rows);
    let shown = Disclosed::new(peel_store::audit::Access::Export, "crime", due.iter().map(|d| d.status.crime))
        .by(user.username());
    Ok((shown, download).into_response())
}

/// The meeting list as CSV, with the page's filters: references and names, no database ids.
pub async fn meeting_csv(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<Pages>,
) -> Result<Response, WebError> {
    let (lines, _) = meeting_lines(&state, &user, &q).await?;
    let ids: Vec<i64> = lines.iter().map(|l| l.crime).collect();
    let officers: Vec<String> = lines.iter().filter_map(|l| l.officer.clone()).collect();
    let (decisions, names) = state
        .run(move |store, _| {
            let decisions: std::collections::HashMap<i64, String> =
                store.latest_meeting_decisions(&ids)?.into_iter().map(|d| (d.crime, d.decision)).collect();
            let names = super::names_of(store, officers.iter().map(String::as_str))?;
            Ok((decisions, names))
        })
        .await?;
    let rows = lines.iter().map(|l| {
        [
            l.reference.clone(),
            peel_casework::offence_label(&l.offence_code),
            l.team.clone().unwrap_or_default(),
            l.officer.as_deref().map(|o| super::named(&names, o).to_string()).unwrap_or_default(),
            l.reasons.join("; "),
            l.since.unwrap_or("").to_string(),
            decisions.get(&l.crime).cloned().unwrap_or_default(),
        ]
    });
    let download = super::audit::csv_download(
        "daily-meeting.csv",
        "reference,offence,team,officer,why,since_last_meeting,latest_decision",
        rows,
    );
    let shown =
        Disclosed::new(peel_store::audit::Access::Export, "crime", lines.iter().map(|l| l.crime)).by(user.username());
    Ok((shown, download).into_response())
}

/// Records a decision or action against a crime on the meeting list (the supervisor's team's).
pub async fn record_decision(State(state): State<WebState>, post: crate::form::PostForm) -> Result<Response, WebError> {
    let crate::form::PostForm { user, form } = post;
    let crime: i64 = form.get("crime").parse().map_err(|_| WebError::BadRequest("the form names no crime".into()))?;
    let decision = form.get("decision").trim().to_string();
    if decision.is_empty() || decision.chars().count() > 1000 {
        return Err(WebError::BadRequest("decision: say what was decided, in at most 1,000 characters".into()));
    }
    let u = user.clone();
    state
        .run(move |store, now| {
            let file = store.crime(crime)?;
            if !super::crime::can_see(store, &u, &file)? {
                return Err(WebError::Forbidden("This crime is not your team's.".into()));
            }
            Ok(store.record_meeting_decision(crime, &decision, u.username(), now)?)
        })
        .await?;
    Ok(axum::response::Redirect::to("/supervisor#meeting").into_response())
}

/// Records that the meeting is held: what changes after it is new to the next.
pub async fn hold_meeting(State(state): State<WebState>, post: crate::form::PostForm) -> Result<Response, WebError> {
    let user = post.user;
    let (key, me) = (team_key(&user), user.username().to_string());
    state.run(move |store, now| Ok(store.hold_meeting(&key, &me, now)?)).await?;
    Ok(axum::response::Redirect::to("/supervisor").into_response())
}
