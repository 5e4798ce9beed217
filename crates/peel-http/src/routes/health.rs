//! `GET /healthz`.

use crate::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use peel_store::StoreError;
use serde_json::{json, Value};

/// Up if a store connection answers a query. The cheapest question every store answers is a
/// primary-key lookup: incident 0 never exists, so "not found" is the healthy answer.
pub async fn check(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let answered = state
        .run(|store, _| match store.incident(0) {
            Ok(_) | Err(StoreError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        })
        .await;
    match answered {
        Ok(()) => Ok(Json(json!({ "status": "ok" }))),
        Err(ApiError::Internal(detail)) => {
            eprintln!("peel-http: health check: {detail}");
            Err(ApiError::Unavailable("the store is not answering".into()))
        }
        Err(e) => Err(e),
    }
}
