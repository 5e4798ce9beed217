//! `/api/worklists/meeting`, `/api/worklists/suspects`, `/api/performance/*`: what
//! supervisors and the command team look at (peel-casework `performance`).

use crate::error::answers::{BadRequest, Invalid, ServerError};
use crate::{ApiError, ApiQuery, AppState, Disclosed};
use axum::extract::State;
use axum::Json;
use peel_casework::performance::{self, ComplianceReport, MeetingItem, OutcomeRate, OutstandingSuspect};
use peel_domain::date::Date;
use peel_domain::field_error::FieldError;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::IntoParams;

fn day(field: &'static str, s: Option<&str>) -> Result<Option<Date>, ApiError> {
    s.map(|d| Date::parse(d).map_err(|e| FieldError::new(field, e.to_string()).into())).transpose()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct On {
    /// The day, YYYY-MM-DD; default today (422 `on` if not a date).
    #[param(format = Date, example = "2026-11-23")]
    on: Option<String>,
}

/// The daily management meeting list
///
/// Open crimes recorded in the 12 months to `on` with a high-risk THRIVE, a vulnerable
/// (enhanced) victim, a repeat victim, or a suspect outstanding in a domestic abuse case;
/// each with its reasons.
#[utoipa::path(
    get, path = "/api/worklists/meeting", tag = "worklists", operation_id = "dailyMeeting", params(On),
    responses((status = 200, description = "OK", body = Vec<MeetingItem>), BadRequest, Invalid, ServerError)
)]
pub async fn meeting(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<On>,
) -> Result<(Disclosed, Json<Vec<MeetingItem>>), ApiError> {
    let on = day("on", q.on.as_deref())?;
    let list = state
        .run(move |store, now| {
            let on = on.unwrap_or(now.date());
            Ok(performance::meeting_list(store, on, &peel_store::casework::Scope::default())?)
        })
        .await?;
    Ok((Disclosed::list("crime", list.iter().map(|m| m.crime)), Json(list)))
}

/// Outstanding suspects, ranked
///
/// Crimes with a suspect and no outcome, recorded in the 12 months to `on`, highest score
/// first (the score is described in the schema).
#[utoipa::path(
    get, path = "/api/worklists/suspects", tag = "worklists", operation_id = "outstandingSuspects", params(On),
    responses((status = 200, description = "OK", body = Vec<OutstandingSuspect>), BadRequest, Invalid, ServerError)
)]
pub async fn suspects(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<On>,
) -> Result<(Disclosed, Json<Vec<OutstandingSuspect>>), ApiError> {
    let on = day("on", q.on.as_deref())?;
    let list = state
        .run(move |store, now| {
            let on = on.unwrap_or(now.date());
            let facts = store.crime_facts(on.add_years(-1), on)?;
            Ok(performance::outstanding_suspects(&facts, on))
        })
        .await?;
    Ok((Disclosed::list("crime", list.iter().map(|m| m.crime)), Json(list)))
}

/// Crimes recorded from `from` to `to`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day of recording, YYYY-MM-DD (required: 422 `from` without it).
    #[param(format = Date, example = "2026-11-01")]
    from: Option<String>,
    /// Last day of recording, YYYY-MM-DD (required: 422 `to` without it).
    #[param(format = Date, example = "2026-11-30")]
    to: Option<String>,
}

/// A period, and the day the compliance report stands on.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompliancePeriod {
    /// First day of recording, YYYY-MM-DD (required: 422 `from` without it).
    #[param(format = Date, example = "2026-11-01")]
    from: Option<String>,
    /// Last day of recording, YYYY-MM-DD (required: 422 `to` without it).
    #[param(format = Date, example = "2026-11-30")]
    to: Option<String>,
    /// The day obligations are judged on, YYYY-MM-DD; default today.
    #[param(format = Date, example = "2026-12-01")]
    as_of: Option<String>,
}

/// `from` and `to` are required; the error names the one missing.
fn period(from: Option<&str>, to: Option<&str>) -> Result<(Date, Date), ApiError> {
    let from = day("from", from)?.ok_or_else(|| FieldError::new("from", "is required (YYYY-MM-DD)"))?;
    let to = day("to", to)?.ok_or_else(|| FieldError::new("to", "is required (YYYY-MM-DD)"))?;
    if to < from {
        return Err(FieldError::new("to", format!("{to} is before {from}")).into());
    }
    Ok((from, to))
}

/// Victims' Code compliance
///
/// Obligations of crimes recorded from `from` to `to`: due, met on time, met late, unmet,
/// by right, team, offence group and month, as they stood on `as_of` (default today).
#[utoipa::path(
    get, path = "/api/performance/compliance", tag = "performance", operation_id = "compliance",
    params(CompliancePeriod),
    responses((status = 200, description = "OK", body = ComplianceReport), BadRequest, Invalid, ServerError)
)]
pub async fn compliance(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CompliancePeriod>,
) -> Result<Json<ComplianceReport>, ApiError> {
    let (from, to) = period(q.from.as_deref(), q.to.as_deref())?;
    let as_of = day("as_of", q.as_of.as_deref())?;
    let report = state
        .run(move |store, now| {
            let facts = store.obligation_facts(from, to)?;
            Ok(performance::compliance(&facts, as_of.unwrap_or(now.date())))
        })
        .await?;
    Ok(Json(report))
}

/// Positive outcome rate by police.uk category
///
/// Crimes recorded from `from` to `to`; positive: Home Office outcome types 1-4 and 6-8.
#[utoipa::path(
    get, path = "/api/performance/outcomes", tag = "performance", operation_id = "outcomeRates", params(Period),
    responses(
        (status = 200, description = "OK: by police.uk category", body = BTreeMap<String, OutcomeRate>),
        BadRequest, Invalid, ServerError
    )
)]
pub async fn outcomes(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Period>,
) -> Result<Json<BTreeMap<String, OutcomeRate>>, ApiError> {
    let (from, to) = period(q.from.as_deref(), q.to.as_deref())?;
    let rates = state
        .run(move |store, _| {
            let facts = store.crime_facts(from, to)?;
            Ok(performance::positive_outcome_rates(&facts))
        })
        .await?;
    Ok(Json(rates))
}
