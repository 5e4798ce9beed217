//! `GET /healthz` and `GET /api/openapi.json`: the service itself.

use crate::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use peel_store::StoreError;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// The service is up.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`: a service that is not answers 503.
    #[schema(example = "ok")]
    status: &'static str,
}

/// Is the service up?
///
/// Answers `{"status": "ok"}` once a store connection has answered a query; 503 if none does.
/// The cheapest question every store answers is a primary-key lookup: incident 0 never
/// exists, so "not found" is the healthy answer.
#[utoipa::path(
    get, path = "/healthz", tag = "service", operation_id = "health",
    responses(
        (status = 200, description = "OK", body = Health),
        (status = 503, description = "Unavailable (`unavailable`): the store is not answering.", body = crate::ErrorBody)
    )
)]
pub async fn check(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let answered = state
        .run(|store, _| match store.incident(0) {
            Ok(_) | Err(StoreError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        })
        .await;
    match answered {
        Ok(()) => Ok(Json(Health { status: "ok" })),
        Err(ApiError::Internal(detail)) => {
            tracing::error!(detail = %detail, "health check: the store is not answering");
            Err(ApiError::Unavailable("the store is not answering".into()))
        }
        Err(e) => Err(e),
    }
}

/// This document
///
/// The OpenAPI description of every route, generated from the handlers and the types they
/// take and answer.
#[utoipa::path(
    get, path = "/api/openapi.json", tag = "service", operation_id = "openapi",
    responses((status = 200, description = "OK", body = Object))
)]
pub async fn openapi_json() -> Json<Value> {
    Json(super::document())
}
