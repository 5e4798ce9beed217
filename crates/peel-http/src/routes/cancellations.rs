//! `/api/cancellation-requests` and `/api/crimes/{id}/cancellation-requests`: an officer's
//! or supervisor's request that a decision maker cancel a crime, and the decision maker's
//! list and refusal (Home Office Counting Rules, General Rules section C: only a designated
//! decision maker or the Force Crime Registrar cancels). Cancelling on a request is
//! `POST /api/crimes/{id}/cancel`, which answers the crime's pending request in the same write.

use crate::error::answers::{BadRequest, Conflict, Invalid, NotFound, ServerError, Unauthenticated, Unreadable};
use crate::{Actor, ApiError, ApiJson, AppState, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_casework::CancelRequestInput;
use peel_store::casework::{CancelRequest, PendingCancelRequest};
use serde::Deserialize;
use utoipa::ToSchema;

/// Ask a decision maker to cancel the crime
///
/// An officer's or supervisor's request, with a Counting Rules reason and its detail; it
/// waits on the decision makers' list until one cancels the crime (POST
/// /api/crimes/{id}/cancel) or refuses it. One request waits at a time (409).
#[utoipa::path(
    post, path = "/api/crimes/{id}/cancellation-requests", tag = "crimes", operation_id = "requestCancellation",
    params(Id), request_body = CancelRequestInput,
    responses(
        (status = 201, description = "Created", body = CancelRequest),
        BadRequest, Unauthenticated, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
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

/// Cancellations needing a decision maker
///
/// Requests waiting for a decision, oldest first, with their crimes.
#[utoipa::path(
    get, path = "/api/cancellation-requests", tag = "cancellation-requests", operation_id = "pendingCancellations",
    responses(
        (status = 200, description = "OK", body = Vec<PendingCancelRequest>),
        ServerError
    )
)]
pub async fn pending(State(state): State<AppState>) -> Result<Json<Vec<PendingCancelRequest>>, ApiError> {
    Ok(Json(state.run(|store, _| Ok(store.pending_cancel_requests()?)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefuseBody {
    /// The refuser's role: a designated decision maker (ddm) or the Force Crime Registrar (fcr).
    role: String,
    /// Why: the officer sees it on the crime.
    note: String,
}

/// Refuse a cancellation request
///
/// The crime stays recorded; the note is the requester's answer. Only a designated decision
/// maker (ddm) or the Force Crime Registrar (fcr).
#[utoipa::path(
    post, path = "/api/cancellation-requests/{id}/refuse", tag = "cancellation-requests", operation_id = "refuseCancellation",
    params(Id), request_body = RefuseBody,
    responses(
        (status = 200, description = "OK", body = CancelRequest),
        BadRequest, Unauthenticated, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
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
