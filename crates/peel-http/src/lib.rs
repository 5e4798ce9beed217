//! Peel's JSON API: the casework service (`peel-casework`) over HTTP, with axum.
//!
//! Every write goes through the casework service, which checks it against the rules and
//! writes it through the store in one transaction with its audit entry; this crate only
//! turns requests into service calls and results into JSON. `GET /api/openapi.json`
//! describes every route with its request and response schemas; it is generated (utoipa)
//! from each handler's `#[utoipa::path]` and the types it takes and answers, and the router
//! registers the same handlers from the same list (`routes/mod.rs`), so a route cannot be
//! served undocumented and a schema cannot drift from what serde sends.
//!
//! # Who is acting: always a signed-in account
//!
//! This crate has no way to serve itself: it is mounted by `peel-web` behind the gate that
//! signs every `/api/` request in (a session cookie from the sign-in page, or an
//! `Authorization: Bearer` token made with `peel accounts token`), checks the account's role
//! and scope for the route, and only then hands the request on with the account's username
//! as the [`Actor`]. Nothing a client sends names the actor; a request that arrives here
//! without the gate's [`Actor`] is answered 401.
//!
//! # Time
//!
//! Handlers act at the current time in UTC, to the minute ([`Timestamp`]); tests fix the
//! clock with [`AppState::with_clock`]. Times in requests and responses are
//! `YYYY-MM-DDTHH:MM` without a zone, dates `YYYY-MM-DD`.
//!
//! # Errors
//!
//! Every error is answered with `{"error": MESSAGE, "code": KIND}`, plus `"field"` where one
//! input field is at fault. The status codes ([`ApiError`]):
//!
//! | status | code | when |
//! |---|---|---|
//! | 400 | `bad_request` | the body is not JSON or not the route's shape (`field` is serde's path to the field at fault, e.g. `thrive.threat`, or the missing field); a path id or query parameter of the wrong type |
//! | 401 | `unauthenticated` | no session or token (the gate answers it first) |
//! | 404 | `not_found` / `no_route` | the record does not exist / no such route |
//! | 405 | `method_not_allowed` | the route exists without that method |
//! | 409 | `conflict` | the request names a version of the record older than the stored one: reload and retry |
//! | 409 | `refused` | the action does not fit the record's state (an incident already decided, an obligation already met, a cancelled crime) |
//! | 413 / 415 | `payload_too_large` / `unsupported_media_type` | a body over 2 MB / not sent as `application/json` |
//! | 422 | `invalid` | the input breaks a rule; `field` names it (`channel`, `suspect_identified`, `decided_by`, …) |
//! | 409 | `in_progress` / `answer_lost` | a write with the same `Idempotency-Key` is being made / was made but its answer was lost (see below) |
//! | 500 | `internal` | anything else; the detail goes to the log, the client gets a generic message |
//! | 503 | `unavailable` | no store connection came free in time, or the store is not answering |
//!
//! A store refusal is 409 rather than 422: the request is valid in itself and would succeed
//! on a record in another state, which is what 409 (conflict with the resource's current
//! state) says; 422 is kept for input that is wrong whatever the record's state, and always
//! names a field.
//!
//! # Retrying a write: the `Idempotency-Key` header
//!
//! Every `POST` takes an optional `Idempotency-Key` header (1–255 visible ASCII characters,
//! new for each new write, e.g. a UUID). A retry with the same key, route and body gets the
//! first answer again with `Idempotent-Replayed: true`, and writes nothing; the key is
//! claimed in the write's own transaction, so concurrent retries write once. See the
//! `idempotency` module for the states a key can be in and what a crash leaves.
//!
//! # What a read disclosed
//!
//! Every read of a record holding personal data (a crime, report, incident, a worklist's
//! rows) attaches a [`Disclosed`] to its answer, naming the records shown; the router names
//! the acting user on it. The web application's access-log middleware (`peel-web`) turns it
//! into audit entries before the answer leaves (Data Protection Act 2018 s.62).
//!
//! # Stores
//!
//! Store work is blocking, so each request checks a store out of a small [`Pool`] on one of
//! tokio's blocking threads (`spawn_blocking`) and returns it after. The pool is built from a
//! factory closure, so it serves SQLite (N connections to one file, in WAL mode) and
//! PostgreSQL alike.

mod disclosed;
mod error;
mod extract;
mod idempotency;
mod pool;
mod routes;

pub use disclosed::{Access, Disclosed};
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use extract::{parse_json, Actor, ActorReach, ApiJson, ApiQuery, Id};
pub use idempotency::{ANSWER_LOST_AFTER_MINUTES, KEY_HEADER, REPLAYED_HEADER};
pub use peel_casework::CaseStore;
pub use pool::{Lease, Pool, PoolError, PooledStore, StoreFactory};
pub use routes::search::disclosed as search_disclosed;

use axum::Router;
use peel_domain::date::Timestamp;
use std::sync::Arc;

/// The clock handlers act at.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// What every handler shares: the store pool and the clock.
#[derive(Clone)]
pub struct AppState {
    pub pool: Arc<Pool>,
    pub clock: Clock,
}

impl AppState {
    /// Serves from `pool`, at the current UTC time.
    pub fn new(pool: Pool) -> AppState {
        AppState { pool: Arc::new(pool), clock: Arc::new(peel_casework::now) }
    }

    /// Acts at the time `clock` gives instead of the system clock (for tests).
    pub fn with_clock(mut self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> AppState {
        self.clock = Arc::new(clock);
        self
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// Runs blocking store work on a blocking thread with a store from the pool, at the
    /// time the request arrived.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn CaseStore, Timestamp) -> Result<T, ApiError> + Send + 'static,
    {
        let now = self.now();
        let pool = self.pool.clone();
        // A write sent with an Idempotency-Key claims the key in its own transaction.
        let claim = idempotency::current_claim();
        tokio::task::spawn_blocking(move || {
            let mut store = pool.get()?;
            store.claim_with_next_write(claim.as_ref().map(|c| c.claim.clone()));
            let result = work(&mut *store, now);
            if store.take_claim_committed() {
                if let Some(c) = &claim {
                    c.committed.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            }
            if matches!(&result, Err(e) if e.is_internal()) {
                store.discard();
            }
            result
        })
        .await
        .map_err(|e| ApiError::Internal(format!("store work did not finish: {e}")))?
    }
}

impl From<PoolError> for ApiError {
    fn from(e: PoolError) -> Self {
        match e {
            PoolError::Timeout(_) => ApiError::Unavailable(e.to_string()),
            PoolError::Open(_) => ApiError::Internal(e.to_string()),
        }
    }
}

/// The API's router, with its state, answering an unknown route with [`no_route`].
pub fn router(state: AppState) -> Router {
    routes_of(state).fallback(no_route)
}

/// The API's routes without a fallback, for a server that answers unknown addresses itself
/// (the web application: JSON under /api, an HTML page elsewhere).
pub fn routes_of(state: AppState) -> Router {
    let idempotent = axum::middleware::from_fn_with_state(state.clone(), idempotency::layer);
    routes::api()
        .into_router()
        .layer(idempotent)
        .with_state(state)
        .layer(axum::middleware::from_fn(disclosed::name_the_actor))
}

/// Peel's JSON answer to an address that is no route of the API.
pub async fn no_route() -> ApiError {
    ApiError::NoRoute(axum::http::StatusCode::NOT_FOUND, "no such route: see /api/openapi.json".into())
}

/// Every route the router serves, as (method, path) with axum's `{id}` path syntax, which is
/// also OpenAPI's.
pub fn routes() -> Vec<(String, String)> {
    routes::api().ops.into_iter().map(|(m, path)| (m.to_string(), path)).collect()
}

/// The OpenAPI document (3.1, generated by utoipa) served at `/api/openapi.json`.
pub fn openapi() -> serde_json::Value {
    routes::document()
}
