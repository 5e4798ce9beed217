//! The `Idempotency-Key` header on API writes: a client that sends a write, loses the answer
//! and sends it again with the same key gets the first answer again, and the write is made
//! once.
//!
//! How (a layer round every route, acting only on a `POST` that carries the header):
//! 1. the key (1–255 visible ASCII characters) of the acting user is looked up: a key used
//!    for another route or another body is 422 naming the header; a key with its answer kept
//!    replays it (same status and body, plus `Idempotent-Replayed: true`); a key whose write
//!    is committing is 409 `in_progress`;
//! 2. otherwise the handler runs with the key as a *claim*: the first store write of the
//!    request claims the key in the same transaction ([`peel_store::Idempotency`]), so a
//!    key exists exactly when its write committed. A concurrent duplicate's write finds the
//!    key taken and is undone before it writes anything; it is then answered as in 1;
//! 3. once the handler answers, its status and body are kept with the key, in a second short
//!    transaction, and keys over a day old are purged.
//!
//! A process that dies between the write's commit and step 3 leaves the key with no answer:
//! the write happened, what it answered is lost. A retry is then answered 409 `answer_lost`
//! (once the key is older than [`ANSWER_LOST_AFTER_MINUTES`], which no write takes) and
//! never writes again; the client finds what it made by reading (its site's reports, the
//! crime's audit trail). A write that fails without committing leaves no key, so a retry is
//! simply made again.

use crate::error::{ErrorBody, ErrorCode};
use crate::{Actor, ApiError, AppState};
use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use peel_domain::field_error::FieldError;
use peel_store::{IdempotencyClaim, IdempotencyRecord};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The request header a client names its write with.
pub const KEY_HEADER: &str = "idempotency-key";
/// The header on a replayed answer.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
/// The largest request body the API reads (axum's default limit, which the handlers have).
const BODY_LIMIT: usize = 2 * 1024 * 1024;
/// A key still without its answer this long after its claim lost it (no write takes a
/// minute: a store checkout waits 30 s at most).
pub const ANSWER_LOST_AFTER_MINUTES: i64 = 2;

/// The claim a request's store work makes with its first write, and whether one committed.
#[derive(Clone)]
pub(crate) struct Claim {
    pub claim: IdempotencyClaim,
    pub committed: Arc<AtomicBool>,
}

tokio::task_local! {
    /// The claim of the request this task is answering, for [`AppState::run`].
    static CLAIM: Claim;
}

/// The claim of the request being answered, if it carries a key and no write made it yet.
pub(crate) fn current_claim() -> Option<Claim> {
    CLAIM.try_with(Claim::clone).ok().filter(|c| !c.committed.load(Ordering::SeqCst))
}

/// The key from the header: 1–255 visible ASCII characters (RFC 9110 `VCHAR`).
fn parse_key(value: &HeaderValue) -> Result<String, ApiError> {
    let bytes = value.as_bytes();
    if bytes.is_empty() || bytes.len() > 255 || !bytes.iter().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::BadRequest {
            message: "the Idempotency-Key header must be 1 to 255 visible ASCII characters (no spaces)".into(),
            field: Some("Idempotency-Key".into()),
        });
    }
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The layer: see the module docs.
pub(crate) async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(value) = req.headers().get(KEY_HEADER) else { return next.run(req).await };
    let key = match parse_key(value) {
        Ok(key) => key,
        Err(e) => return e.into_response(),
    };
    let (mut parts, body) = req.into_parts();
    let actor = match Actor::from_request_parts(&mut parts, &state).await {
        Ok(Actor(actor)) => actor,
        Err(e) => return e.into_response(),
    };
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return ApiError::Unreadable(StatusCode::PAYLOAD_TOO_LARGE, "the body is over 2 MB".into()).into_response()
        }
    };
    let claim = IdempotencyClaim {
        actor,
        key,
        route: format!("POST {}", parts.uri.path()),
        request_hash: sha256_hex(&bytes),
        at: state.now(),
    };
    if let Some(answer) = answer_from_store(&state, &claim).await {
        return answer;
    }
    let committed = Arc::new(AtomicBool::new(false));
    let request = Request::from_parts(parts, Body::from(bytes));
    let response = CLAIM.scope(Claim { claim: claim.clone(), committed: committed.clone() }, next.run(request)).await;
    if committed.load(Ordering::SeqCst) {
        return keep(&state, &claim, response).await;
    }
    if response.status() == StatusCode::CONFLICT {
        // Perhaps a concurrent duplicate took the key and this write was undone for it.
        if let Some(answer) = answer_from_store(&state, &claim).await {
            return answer;
        }
    }
    response
}

/// What the stored key answers, if the key is held: a replay, 422 or 409.
async fn answer_from_store(state: &AppState, claim: &IdempotencyClaim) -> Option<Response> {
    let (actor, key, now) = (claim.actor.clone(), claim.key.clone(), claim.at);
    let found = state.run(move |store, _| Ok(store.idempotency_key(&actor, &key, now)?)).await;
    match found {
        Ok(None) => None,
        Ok(Some(record)) => Some(answer(&record, claim)),
        Err(e) => Some(e.into_response()),
    }
}

fn answer(record: &IdempotencyRecord, claim: &IdempotencyClaim) -> Response {
    if record.route != claim.route || record.request_hash != claim.request_hash {
        let what = if record.route != claim.route { "another route" } else { "another body" };
        return ApiError::Invalid(FieldError::new(
            "Idempotency-Key",
            format!("this key was used for {what} ({}): use a new key for a new request", record.route),
        ))
        .into_response();
    }
    match &record.answer {
        Some((status, body)) => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::OK);
            let mut response = (status, body.clone()).into_response();
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
            response
        }
        None if record.created_at.minutes_until(claim.at) >= ANSWER_LOST_AFTER_MINUTES => busy(
            ErrorCode::AnswerLost,
            "the write with this Idempotency-Key was made, but the server stopped before answering it: \
             read the record rather than sending the write again",
        ),
        None => busy(
            ErrorCode::InProgress,
            "a write with this Idempotency-Key is in progress: try again in a moment for its answer",
        ),
    }
}

fn busy(code: ErrorCode, message: &str) -> Response {
    (StatusCode::CONFLICT, Json(ErrorBody { error: message.into(), code, field: Some("Idempotency-Key".into()) }))
        .into_response()
}

/// Keeps the handler's answer with the key, and sends it.
async fn keep(state: &AppState, claim: &IdempotencyClaim, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => return ApiError::Internal(format!("reading the answer to keep: {e}")).into_response(),
    };
    if let Ok(text) = std::str::from_utf8(&bytes) {
        let (actor, key, status, text, now) =
            (claim.actor.clone(), claim.key.clone(), parts.status.as_u16(), text.to_string(), claim.at);
        let kept = state.run(move |store, _| Ok(store.keep_answer(&actor, &key, status, &text, now)?)).await;
        if let Err(e) = kept {
            // The write stands; a retry will be told its answer was lost.
            tracing::warn!(error = %e, "the answer to an idempotent write was not kept");
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The `Idempotency-Key` header as a parameter of every `POST` in the API document.
pub(crate) struct Documented;

impl utoipa::Modify for Documented {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use std::collections::btree_map::Entry;
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Type};
        let parameter = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Makes a retried write safe: 1 to 255 visible ASCII characters, new for each new write \
                 (a UUID will do), kept a day per acting user. The same key with the same route and body \
                 answers what the first answered (same status and body, with `Idempotent-Replayed: true`) \
                 and writes nothing; with another route or body, 422 naming the header; while the first is \
                 being written, 409 `in_progress`; if the server stopped between the write and its answer, \
                 409 `answer_lost` (the write was made: read the record).",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(255))))
            .build();
        let answers = [
            ("409", "Conflict: `in_progress`, a write with this Idempotency-Key is being made (ask again); `answer_lost`, it was made but its answer was lost (read the record)."),
            ("422", "Invalid: this Idempotency-Key was used for another route or body (`field` is `Idempotency-Key`)."),
        ];
        for item in openapi.paths.paths.values_mut() {
            let Some(post) = item.post.as_mut() else { continue };
            post.parameters.get_or_insert_with(Vec::new).push(parameter.clone());
            for (status, description) in answers {
                match post.responses.responses.entry(status.to_string()) {
                    Entry::Occupied(mut listed) => {
                        if let RefOr::T(response) = listed.get_mut() {
                            response.description = format!("{} Or {}", response.description, description);
                        }
                    }
                    Entry::Vacant(missing) => {
                        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
                        let response = ResponseBuilder::new()
                            .description(description)
                            .content("application/json", content)
                            .build();
                        missing.insert(RefOr::T(response));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_one_to_255_visible_ascii_characters() {
        assert_eq!(parse_key(&HeaderValue::from_static("3f2a-01")).unwrap(), "3f2a-01");
        assert!(parse_key(&HeaderValue::from_str(&"k".repeat(255)).unwrap()).is_ok());
        for bad in ["", "two words", &"k".repeat(256)] {
            let e = parse_key(&HeaderValue::from_str(bad).unwrap()).unwrap_err();
            assert!(matches!(&e, ApiError::BadRequest { field: Some(f), .. } if f == "Idempotency-Key"), "{bad}: {e}");
        }
        assert!(parse_key(&HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap()).is_err());
    }

    #[test]
    fn the_body_hash_is_sha256() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
