//! `/api/cancellation-requests` and `/api/crimes/{id}/cancellation-requests`: an officer's
//! or supervisor's request that a decision maker cancel a crime, and the decision maker's
//! list and refusal (Home Office Counting Rules, General Rules section C: only a designated
//! decision maker or the Force Crime Registrar cancels). Cancelling on a request is
//! `POST /api/crimes/{id}/cancel`, which answers the crime's pending request in the same write.

use crate::{Actor, ApiError, ApiJson, AppState, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_casework::CancelRequestInput;
use peel_store::casework::{CancelRequest, PendingCancelRequest};
use serde::Deserialize;

/// Asks a decision maker to cancel the crime; one request waits at a time (409 for another).
pub async fn request(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<CancelRequestInput>,
) -> Result<(StatusCode, Json<CancelRequest>), ApiError> {
    let made =
        state.run(move |store, now| Ok(peel_casework::request_cancellation(store, id, &input, &actor, now)?)).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// Requests waiting for a decision maker, oldest first.
pub async fn pending(State(state): State<AppState>) -> Result<Json<Vec<PendingCancelRequest>>, ApiError> {
    Ok(Json(state.run(|store, _| Ok(store.pending_cancel_requests()?)).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefuseBody {
    /// The refuser's role: a designated decision maker (ddm) or the Force Crime Registrar (fcr).
    role: String,
    /// Why: the officer sees it on the crime.
    note: String,
}

/// The decision maker refuses the request: the crime stays recorded.
pub async fn refuse(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(body): ApiJson<RefuseBody>,
) -> Result<Json<CancelRequest>, ApiError> {
    Ok(Json(
        state
            .run(move |store, now| {
                Ok(peel_casework::refuse_cancellation_request(store, id, &body.role, &body.note, &actor, now)?)
            })
            .await?,
    ))
}
