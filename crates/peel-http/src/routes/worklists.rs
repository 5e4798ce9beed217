//! `/api/worklists`: what is due.

use crate::{ApiError, ApiQuery, AppState};
use axum::extract::State;
use axum::Json;
use peel_casework::DecisionDue;
use peel_domain::date::Date;
use peel_domain::field_error::FieldError;
use peel_store::casework::ObligationDue;
use serde::Deserialize;

pub async fn decisions(State(state): State<AppState>) -> Result<Json<Vec<DecisionDue>>, ApiError> {
    Ok(Json(state.run(|store, now| Ok(peel_casework::decisions_due(&*store, now)?)).await?))
}

#[derive(Deserialize)]
pub struct ObligationsQuery {
    /// YYYY-MM-DD; default today.
    on: Option<String>,
    officer: Option<String>,
}

pub async fn obligations(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ObligationsQuery>,
) -> Result<Json<Vec<ObligationDue>>, ApiError> {
    let on = match q.on.as_deref() {
        Some(on) => Some(Date::parse(on).map_err(|e| FieldError::new("on", e.to_string()))?),
        None => None,
    };
    let officer = q.officer.filter(|o| !o.trim().is_empty());
    let due = state
        .run(move |store, now| {
            let on = on.unwrap_or(now.date()).to_string();
            Ok(store.obligations_due(&on, officer.as_deref())?)
        })
        .await?;
    Ok(Json(due))
}

#[derive(Deserialize)]
pub struct ReviewsQuery {
    /// YYYY-MM-DD; default today.
    on: Option<String>,
    team: Option<String>,
}

pub async fn reviews(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ReviewsQuery>,
) -> Result<Json<Vec<peel_casework::ReviewDue>>, ApiError> {
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
