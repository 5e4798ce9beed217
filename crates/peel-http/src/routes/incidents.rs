//! `/api/incidents`: triage and the recording decision.

use crate::error::answers::{BadRequest, Conflict, Invalid, NotFound, ServerError, Unauthenticated, Unreadable};
use crate::{Actor, ApiError, ApiJson, AppState, Id};
use axum::extract::State;
use axum::Json;
use peel_casework::{DecisionInput, TriageInput};
use peel_store::casework::{Crime, Incident};
use serde::Serialize;
use utoipa::ToSchema;

/// An incident
#[utoipa::path(
    get, path = "/api/incidents/{id}", tag = "incidents", operation_id = "getIncident", params(Id),
    responses((status = 200, description = "OK", body = Incident), BadRequest, NotFound, ServerError)
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Json<Incident>, ApiError> {
    Ok(Json(state.run(move |store, _| Ok(store.incident(id)?)).await?))
}

/// Triage an incident
///
/// THRIVE assessment → response grade and allocation, by the rule tables.
#[utoipa::path(
    post, path = "/api/incidents/{id}/triage", tag = "incidents", operation_id = "triageIncident",
    params(Id), request_body = TriageInput,
    responses(
        (status = 200, description = "OK", body = Incident),
        BadRequest, Unauthenticated, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn triage(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<TriageInput>,
) -> Result<Json<Incident>, ApiError> {
    let incident = state.run(move |store, now| Ok(peel_casework::triage(store, id, &input, &actor, now)?)).await?;
    Ok(Json(incident))
}

/// The incident as decided and the crimes recorded (none for a non-crime decision).
#[derive(Serialize, ToSchema)]
pub struct DecisionResult {
    pub incident: Incident,
    /// One per victim; none for a non-crime decision.
    pub crimes: Vec<Crime>,
}

/// Record the recording decision
///
/// For a crime: one crime per victim, with the principal (most serious) offence, enhanced
/// eligibility and every Victims' Code entitlement dated from the report. Refused (409) if
/// the incident is already decided.
#[utoipa::path(
    post, path = "/api/incidents/{id}/decision", tag = "incidents", operation_id = "decideIncident",
    params(Id), request_body = DecisionInput,
    responses(
        (status = 200, description = "OK", body = DecisionResult),
        BadRequest, Unauthenticated, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<DecisionResult>, ApiError> {
    let (incident, crimes) =
        state.run(move |store, now| Ok(peel_casework::record_decision(store, id, &input, &actor, now)?)).await?;
    Ok(Json(DecisionResult { incident, crimes }))
}
