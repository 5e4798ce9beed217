//! `/api/incidents`: triage and the recording decision.

use crate::{Actor, ApiError, ApiJson, AppState, Id};
use axum::extract::State;
use axum::Json;
use peel_casework::{DecisionInput, TriageInput};
use peel_store::casework::{Crime, Incident};
use serde::Serialize;

pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Json<Incident>, ApiError> {
    Ok(Json(state.run(move |store, _| Ok(store.incident(id)?)).await?))
}

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
#[derive(Serialize)]
pub struct DecisionResult {
    pub incident: Incident,
    pub crimes: Vec<Crime>,
}

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
