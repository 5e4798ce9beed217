//! `/api/reports`: reports from the public, partners and officers.

use crate::error::answers::{BadRequest, Invalid, NotFound, ServerError, Unauthenticated, Unreadable};
use crate::{Actor, ApiError, ApiJson, AppState, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_casework::ReportInput;
use peel_store::casework::Report;

/// Submit a report
///
/// A report from the public, a partner or an officer. Opens an incident with its 24-hour
/// recording-decision clock, unless it is intelligence.
#[utoipa::path(
    post, path = "/api/reports", tag = "reports", operation_id = "submitReport",
    request_body = ReportInput,
    responses(
        (status = 201, description = "Created", body = Report),
        BadRequest, Unauthenticated, NotFound, Invalid, Unreadable, ServerError
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<(StatusCode, Json<Report>), ApiError> {
    let report = state.run(move |store, now| Ok(peel_casework::submit_report(store, &input, &actor, now)?)).await?;
    Ok((StatusCode::CREATED, Json(report)))
}

/// A report
#[utoipa::path(
    get, path = "/api/reports/{id}", tag = "reports", operation_id = "getReport", params(Id),
    responses((status = 200, description = "OK", body = Report), BadRequest, NotFound, ServerError)
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Json<Report>, ApiError> {
    Ok(Json(state.run(move |store, _| Ok(store.report(id)?)).await?))
}

/// Reports from a site
///
/// Every report made from the site; 404 for a site that does not exist (rather than an
/// empty list that would hide a wrong id).
#[utoipa::path(
    get, path = "/api/sites/{id}/reports", tag = "sites", operation_id = "siteReports", params(Id),
    responses((status = 200, description = "OK", body = Vec<Report>), BadRequest, NotFound, ServerError)
)]
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
