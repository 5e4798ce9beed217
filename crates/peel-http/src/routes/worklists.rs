//! `/api/worklists`: what is due.

use crate::error::answers::{BadRequest, Invalid, ServerError};
use crate::{ApiError, ApiQuery, AppState};
use axum::extract::State;
use axum::Json;
use peel_casework::{DecisionDue, ReviewDue};
use peel_domain::date::Date;
use peel_domain::field_error::FieldError;
use peel_store::casework::ObligationDue;
use peel_store::casework::Scope;
use serde::Deserialize;
use utoipa::IntoParams;

/// Incidents awaiting a recording decision
///
/// Open incidents, soonest decision first, with the minutes left on the 24-hour clock.
#[utoipa::path(
    get, path = "/api/worklists/decisions", tag = "worklists", operation_id = "decisionsDue",
    responses((status = 200, description = "OK", body = Vec<DecisionDue>), ServerError)
)]
pub async fn decisions(State(state): State<AppState>) -> Result<Json<Vec<DecisionDue>>, ApiError> {
    Ok(Json(state.run(|store, now| Ok(peel_casework::decisions_due(&*store, now)?)).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObligationsQuery {
    /// Day of the worklist, YYYY-MM-DD; default today (422 `on` if not a date).
    #[param(format = Date, example = "2026-11-23")]
    on: Option<String>,
    /// Only crimes allocated to this officer (an officer must ask for their own).
    officer: Option<String>,
    /// Only crimes allocated to this team (a supervisor with a team must ask for theirs).
    team: Option<String>,
}

/// Victims' Code obligations due
///
/// Unmet obligations due on or before `on`, oldest first, for one officer or team if given.
#[utoipa::path(
    get, path = "/api/worklists/obligations", tag = "worklists", operation_id = "obligationsDue",
    params(ObligationsQuery),
    responses((status = 200, description = "OK", body = Vec<ObligationDue>), BadRequest, Invalid, ServerError)
)]
pub async fn obligations(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ObligationsQuery>,
) -> Result<Json<Vec<ObligationDue>>, ApiError> {
    let on = match q.on.as_deref() {
        Some(on) => Some(Date::parse(on).map_err(|e| FieldError::new("on", e.to_string()))?),
        None => None,
    };
    let scope =
        Scope { officer: q.officer.filter(|o| !o.trim().is_empty()), team: q.team.filter(|t| !t.trim().is_empty()) };
    let due = state.run(move |store, now| Ok(store.obligations_due(on.unwrap_or(now.date()), &scope)?)).await?;
    Ok(Json(due))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewsQuery {
    /// YYYY-MM-DD; default today (422 `on` if not a date).
    #[param(format = Date, example = "2026-11-23")]
    on: Option<String>,
    /// Only crimes allocated to this team.
    team: Option<String>,
}

/// Investigation plans and supervisor reviews due
///
/// Open crimes whose plan or next review is due on or before `on`, for one team if given,
/// soonest first.
#[utoipa::path(
    get, path = "/api/worklists/reviews", tag = "worklists", operation_id = "reviewsDue", params(ReviewsQuery),
    responses((status = 200, description = "OK", body = Vec<ReviewDue>), BadRequest, Invalid, ServerError)
)]
pub async fn reviews(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ReviewsQuery>,
) -> Result<Json<Vec<ReviewDue>>, ApiError> {
    let on = match q.on.as_deref() {
        Some(on) => Some(Date::parse(on).map_err(|e| FieldError::new("on", e.to_string()))?),
        None => None,
    };
    let team = q.team.filter(|t| !t.trim().is_empty());
    let due = state
        .run(move |store, now| Ok(peel_casework::reviews_due(&*store, team.as_deref(), on.unwrap_or(now.date()))?))
        .await?;
    Ok(Json(due))
}
