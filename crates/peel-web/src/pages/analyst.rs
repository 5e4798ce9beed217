//! The analyst and command team: casework performance at a glance, and where the board
//! paper comes from.

use super::render;
use crate::auth::{Role, User};
use crate::html::{self, esc};
use crate::{WebError, WebState};
use axum::extract::Query;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use peel_analytics::paper::board_paper;
use peel_casework::performance;
use peel_domain::{Force, YearMonth};

pub async fn page(State(state): State<WebState>, user: User) -> Result<Response, WebError> {
    user.require(&[Role::Analyst, Role::Supervisor, Role::Admin])?;
    let (rates, compliance, holdings) = state
        .run(|store, now| {
            let today = now.date();
            let from = today.add_days(-365).to_string();
            let facts = store.crime_facts(&from, &today.to_string())?;
            let rates = performance::positive_outcome_rates(&facts);
            let obligations = store.obligation_facts(&from, &today.to_string())?;
            Ok((rates, performance::compliance(&obligations, today), store.holdings()?.street))
        })
        .await?;
    let papers: Vec<Vec<String>> = holdings
        .iter()
        .filter_map(|h| {
            let force = Force::by_code(h.force)?;
            let link = |m: YearMonth| {
                format!(
                    "<a href=\"/analyst/board-paper?force={}&amp;month={m}\">{}</a>",
                    esc(force.slug),
                    esc(&format!("{}, {}", force.name, m))
                )
            };
            let earlier = (1..=2).map(|k| h.last_month.plus(-k)).filter(|m| *m >= h.first_month).map(link);
            Some(vec![
                esc(force.name),
                format!("{} to {}", h.first_month, h.last_month),
                std::iter::once(link(h.last_month)).chain(earlier).collect::<Vec<_>>().join("<br>"),
            ])
        })
        .collect();
    let papers = html::table(
        "Board papers",
        &["Force", "Months held", "Board paper"],
        &papers,
        "The store holds no police.uk data yet: import some with peel import data DIR.",
    );
    let rows: Vec<Vec<String>> = rates
        .iter()
        .map(|(category, r)| {
            vec![
                esc(category),
                r.crimes.to_string(),
                r.positive.to_string(),
                r.rate.map_or("—".into(), |x| format!("{:.1}%", x * 100.0)),
            ]
        })
        .collect();
    let rate = compliance.overall.rate().map_or("—".to_string(), |r| format!("{:.0}%", r * 100.0));
    let body = format!(
        "<h1>Analysis</h1><h2>Positive outcomes, last 12 months</h2>{}\
         <h2>Victims' Code compliance, last 12 months</h2><p>{rate} of obligations met on time ({} due, {} not met).</p>\
         <h2>Board paper</h2><p>The board paper for the force's board: the trend with SPC limits and signals, outcomes, \
         harm by area and how concentrated crime and harm are, from the police.uk, Home Office and ONS data the store \
         holds (<code>peel import data DIR</code>).</p>{papers}",
        html::table(
            "Positive outcome rates",
            &["Category", "Crimes", "Positive outcomes", "Rate"],
            &rows,
            "No crimes recorded in the last 12 months."
        ),
        compliance.overall.due,
        compliance.overall.unmet,
        papers = papers,
    );
    Ok(render(&user, "Analysis", &body).into_response())
}

#[derive(serde::Deserialize)]
pub struct PaperQuery {
    force: String,
    month: String,
}

/// The board paper for a force and month, as `peel report` writes it: HTML with its charts
/// as inline SVG.
pub async fn board_paper_page(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<PaperQuery>,
) -> Result<Response, WebError> {
    user.require(&[Role::Analyst, Role::Supervisor, Role::Admin])?;
    let force = Force::find(&q.force).ok_or_else(|| WebError::NotFound(format!("There is no force '{}'.", q.force)))?;
    let month = YearMonth::parse(&q.month).map_err(|e| WebError::BadRequest(format!("month: {e}")))?;
    let html = state
        .run(move |store, now| {
            // The trend's months, and eleven before them for the first rolling year.
            let from = month.plus(-(peel_analytics::paper::TREND_MONTHS + 11));
            let (cols, geo) = store.load_street_between(force.code, from, month)?;
            if cols.is_empty() {
                return Err(WebError::NotFound(format!(
                    "The store holds no police.uk data for {} up to {month}.",
                    force.name
                )));
            }
            let paper = board_paper(force.name, &cols, &geo, month, &peel_domain::harm::category_weights());
            let meta = peel_report::PaperMeta {
                title: format!("{}: crime and harm, {}", force.name, month),
                generated_at: format!("{} {:02}:{:02}", now.date(), now.time().0, now.time().1),
                sources: vec![format!(
                    "data.police.uk street-level crime and anti-social behaviour for {}: {} rows",
                    force.name,
                    cols.len()
                )],
            };
            Ok(peel_report::render_html(&paper, &meta))
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}
