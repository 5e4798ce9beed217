//! The supervisor: the daily management meeting list for their team, the investigation
//! plans and reviews due, and the team's Victims' Code compliance.

use super::render;
use crate::auth::{Role, User};
use crate::html::{self, esc};
use crate::{WebError, WebState};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use peel_casework::performance;
use peel_domain::victims_code::PERSISTENTLY_TARGETED;
use peel_store::casework::Scope;

/// Lines shown of the meeting list and of the reviews due (the count above says how many
/// there are in all).
const MEETING_LINES: usize = 300;

pub async fn page(State(state): State<WebState>, user: User) -> Result<Response, WebError> {
    user.require(&[Role::Supervisor, Role::Admin])?;
    let team = user.account.team.clone();
    // Three independent reads, each on a store connection of its own, at the same time: the
    // team's open crimes (the crime_open indexes: the meeting is about crimes still being
    // investigated), the repeat victims among their victims (each victim's crimes across the
    // force in the same twelve months), and the plans and reviews due. The page waits for
    // the slowest.
    let window = |now: peel_domain::date::Timestamp| {
        let today = now.date();
        (today.add_days(-365).to_string(), today.to_string())
    };
    let scope = team.as_deref().map(Scope::team).unwrap_or_default();
    let sc = scope.clone();
    let facts = state.run(move |store, now| {
        let (from, to) = window(now);
        Ok(store.open_crime_facts_in(&from, &to, &sc)?)
    });
    let sc = scope.clone();
    let repeat = state.run(move |store, now| {
        let (from, to) = window(now);
        Ok(store.open_crime_repeat_victims(&from, &to, &sc, PERSISTENTLY_TARGETED.crimes as usize)?)
    });
    let t = team.clone();
    let reviews = state.run(move |store, now| {
        // What falls due this week, overdue first.
        let today = now.date();
        let today_text = today.to_string();
        Ok(peel_casework::reviews_due(&*store, t.as_deref(), today.add_days(7))?
            .iter()
            .take(MEETING_LINES)
            .map(|d| {
                vec![
                    format!("<a href=\"/crimes/{}\">{}</a>", d.status.crime, esc(&d.status.reference)),
                    esc(&d.what),
                    format!("{}{}", esc(&d.due), if d.due < today_text { " <strong>overdue</strong>" } else { "" }),
                    esc(d.status.officer.as_deref().unwrap_or("unallocated")),
                ]
            })
            .collect::<Vec<_>>())
    });
    let (facts, repeat, reviews) = tokio::join!(facts, repeat, reviews);
    let (facts, repeat, reviews) = (facts?, repeat?, reviews?);
    let (rows, meeting_total) = {
        // The meeting takes the crimes with most reasons first (risk, vulnerability,
        // repetition, an outstanding suspect together), then the newest.
        let mut items = performance::daily_meeting(&facts, &repeat);
        items.sort_by(|a, b| b.reasons.len().cmp(&a.reasons.len()).then(b.crime.cmp(&a.crime)));
        let total = items.len();
        let rows: Vec<Vec<String>> = items
            .iter()
            .take(MEETING_LINES)
            .map(|i| {
                vec![
                    format!("<a href=\"/crimes/{}\">{}</a>", i.crime, esc(&i.reference)),
                    esc(&peel_casework::offence_label(&i.offence_code)),
                    esc(i.team.as_deref().unwrap_or("unallocated")),
                    esc(&i.reasons.join("; ")),
                ]
            })
            .collect();
        (rows, total)
    };
    // Compliance over twelve months is a summary, not a worklist (see crate::summary).
    // The force's summary holds every team's figures (by_team), so one summary serves all.
    let summary = crate::summary::get(&state).await?;
    let compliance = match &team {
        Some(t) => summary.compliance.by_team.get(t).cloned().unwrap_or_default(),
        None => summary.compliance.overall.clone(),
    };
    let scope = team.as_deref().unwrap_or("the force");
    let rate = compliance.rate().map_or("—".to_string(), |r| format!("{:.0}%", r * 100.0));
    let body = format!(
        "<h1>Daily management meeting</h1><p class=\"lead\">{scope}: open crimes with a high-risk THRIVE, a vulnerable \
         victim, a repeat victim, or a domestic abuse suspect outstanding.</p>\
         <div class=\"cards\"><div class=\"card\"><span class=\"big\">{n}</span>crimes for the meeting</div>\
         <div class=\"card\"><span class=\"big\">{rate}</span>Victims' Code obligations met on time (last 12 months)</div>\
         <div class=\"card\"><span class=\"big\">{unmet}</span>obligations past due and not met</div></div>\
         <p class=\"caption\">{as_at}</p>{table}\
         <h2>Investigation plans and reviews due</h2><p>Due in the next seven days or overdue: a plan within 2 days of \
         recording; a review every 28 days, or on the day the last review set.</p>{reviews}",
        scope = esc(scope),
        n = meeting_total,
        unmet = compliance.unmet,
        as_at = esc(&crate::summary::as_at(&summary, state.config.summary_minutes)),
        table = format!(
            "{}{}",
            if meeting_total > MEETING_LINES {
                format!("<p>The first {MEETING_LINES} of {meeting_total}: most reasons first, then the newest.</p>")
            } else {
                String::new()
            },
            html::table("Daily meeting", &["Crime", "Offence", "Team", "Why"], &rows, "Nothing for the meeting today.")
        ),
        reviews = html::table("Plans and reviews due", &["Crime", "What", "Due", "Officer"], &reviews, "No plans or reviews due."),
    );
    Ok(render(&user, "Daily meeting", &body).into_response())
}
