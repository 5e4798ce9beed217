//! `/api/reports`: reports from the public, partners and officers.

use crate::{Actor, ApiError, ApiJson, AppState, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_casework::ReportInput;
use peel_store::casework::Report;

pub async fn create(
    State(state): State<AppState>,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<(StatusCode, Json<Report>), ApiError> {
    let report = state.run(move |store, now| Ok(peel_casework::submit_report(store, &input, &actor, now)?)).await?;
    Ok((StatusCode::CREATED, Json(report)))
}

pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Json<Report>, ApiError> {
    Ok(Json(state.run(move |store, _| Ok(store.report(id)?)).await?))
}

/// `GET /api/sites/{id}/reports`: 404 for a site that does not exist (rather than an empty
/// list that would hide a wrong id).
pub async fn for_site(State(state): State<AppState>, Id(site): Id) -> Result<Json<Vec<Report>>, ApiError> {
    let reports = state
        .run(move |store, _| {
            if !store.sites()?.iter().any(|s| s.id == site) {
                return Err(ApiError::NotFound(format!("site {site} not found")));
            }
            Ok(store.reports_for_site(site)?)
        })
        .await?;
    Ok(Json(reports))
}
