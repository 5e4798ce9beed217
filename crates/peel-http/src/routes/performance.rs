//! `/api/worklists/meeting`, `/api/worklists/suspects`, `/api/performance/*`: what
//! supervisors and the command team look at (peel-casework `performance`).

use crate::{ApiError, ApiQuery, AppState};
use axum::extract::State;
use axum::Json;
use peel_casework::performance::{self, ComplianceReport, MeetingItem, OutcomeRate, OutstandingSuspect};
use peel_domain::date::Date;
use peel_domain::field_error::FieldError;
use peel_domain::victims_code::PERSISTENTLY_TARGETED;
use serde::Deserialize;
use std::collections::BTreeMap;

fn day(field: &'static str, s: Option<&str>) -> Result<Option<Date>, ApiError> {
    s.map(|d| Date::parse(d).map_err(|e| FieldError::new(field, e.to_string()).into())).transpose()
}

#[derive(Deserialize)]
pub struct On {
    on: Option<String>,
}

pub async fn meeting(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<On>,
) -> Result<Json<Vec<MeetingItem>>, ApiError> {
    let on = day("on", q.on.as_deref())?;
    let list = state
        .run(move |store, now| {
            let on = on.unwrap_or(now.date());
            let facts = store.crime_facts(&on.add_years(-1).to_string(), &on.to_string())?;
            let repeat = performance::repeat_victims(&facts, PERSISTENTLY_TARGETED.crimes as usize);
            Ok(performance::daily_meeting(&facts, &repeat))
        })
        .await?;
    Ok(Json(list))
}

pub async fn suspects(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<On>,
) -> Result<Json<Vec<OutstandingSuspect>>, ApiError> {
    let on = day("on", q.on.as_deref())?;
    let list = state
        .run(move |store, now| {
            let on = on.unwrap_or(now.date());
            let facts = store.crime_facts(&on.add_years(-1).to_string(), &on.to_string())?;
            Ok(performance::outstanding_suspects(&facts, on))
        })
        .await?;
    Ok(Json(list))
}

#[derive(Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
    as_of: Option<String>,
}

/// `from` and `to` are required; the error names the one missing.
fn period(q: &Period) -> Result<(Date, Date), ApiError> {
    let from = day("from", q.from.as_deref())?.ok_or_else(|| FieldError::new("from", "is required (YYYY-MM-DD)"))?;
    let to = day("to", q.to.as_deref())?.ok_or_else(|| FieldError::new("to", "is required (YYYY-MM-DD)"))?;
    if to < from {
        return Err(FieldError::new("to", format!("{to} is before {from}")).into());
    }
    Ok((from, to))
}

pub async fn compliance(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Period>,
) -> Result<Json<ComplianceReport>, ApiError> {
    let (from, to) = period(&q)?;
    let as_of = day("as_of", q.as_of.as_deref())?;
    let report = state
        .run(move |store, now| {
            let facts = store.obligation_facts(&from.to_string(), &to.to_string())?;
            Ok(performance::compliance(&facts, as_of.unwrap_or(now.date())))
        })
        .await?;
    Ok(Json(report))
}

pub async fn outcomes(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Period>,
) -> Result<Json<BTreeMap<String, OutcomeRate>>, ApiError> {
    let (from, to) = period(&q)?;
    let rates = state
        .run(move |store, _| {
            let facts = store.crime_facts(&from.to_string(), &to.to_string())?;
            Ok(performance::positive_outcome_rates(&facts))
        })
        .await?;
    Ok(Json(rates))
}
