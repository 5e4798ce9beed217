//! What handlers take from a request: who is acting, the id in the path, a JSON body and a
//! query string, each failing with an [`ApiError`] (so with Peel's JSON error body).

use crate::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

/// Who is acting: the signed-in account's username, which the gate in front of the API
/// (`peel-web`: a session cookie or an `Authorization: Bearer` token) puts in the request's
/// extensions after checking the account's role and scope. The API itself never reads who is
/// acting from anything the client sends: a request that reached a handler without the gate
/// having signed it in is answered 401, so the API cannot be served open by mistake.
/// Recorded in the audit log as the actor and as the author of what the write creates.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        match parts.extensions.get::<Actor>() {
            Some(actor) => Ok(actor.clone()),
            None => Err(ApiError::Unauthenticated(
                "sign in first: send a session cookie or an Authorization: Bearer token".into(),
            )),
        }
    }
}

/// The crimes the acting account may see (`peel_access::policy::reach`), which the gate puts
/// in the request beside the [`Actor`] for the routes that narrow what they answer by it
/// (search). Missing, the request is refused: the API never widens a search by default.
#[derive(Debug, Clone)]
pub struct ActorReach(pub peel_store::casework::Reach);

impl<S: Send + Sync> FromRequestParts<S> for ActorReach {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        match parts.extensions.get::<ActorReach>() {
            Some(reach) => Ok(reach.clone()),
            None => Err(ApiError::Forbidden("this account does not search the records".into())),
        }
    }
}

/// The record id in the path (`/api/crimes/{id}`).
#[derive(Debug, Clone, Copy, IntoParams)]
#[into_params(names("id"), parameter_in = Path)]
pub struct Id(
    /// The id of the record the path names (in `/api/crimes/{id}`, a crime's).
    pub i64,
);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<i64>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(Id(id)),
            Err(e) => Err(ApiError::BadRequest {
                message: format!("the id in the path: {}", e.body_text()),
                field: Some("id".into()),
            }),
        }
    }
}

/// A query string, deserialized; 400 naming the parameter when it does not fit.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(q)) => Ok(ApiQuery(q)),
            Err(e) => Err(ApiError::BadRequest { message: e.body_text(), field: None }),
        }
    }
}

/// A JSON request body. Unlike `axum::Json`, a body that does not fit the route's input
/// type is answered 400 with serde's message *and* the path of the field at fault (`field`:
/// `thrive.threat`, `victims[0].offence_codes`, or the name of a missing field), so that a
/// form can mark the field.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(ApiError::Unreadable(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the body must be JSON, sent with Content-Type: application/json".into(),
            ));
        }
        let bytes =
            Bytes::from_request(req, state).await.map_err(|e| ApiError::Unreadable(e.status(), e.body_text()))?;
        parse_json(&bytes).map(ApiJson)
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses a JSON body into `T`, keeping the path to the field at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        bad_json(&path, e.into_inner())
    })?;
    de.end().map_err(|e| bad_json(".", e))?;
    Ok(value)
}

fn bad_json(path: &str, e: serde_json::Error) -> ApiError {
    let message = format!("the body is not valid: {e}");
    if !e.is_data() {
        // Syntax or end of input: no field is at fault.
        return ApiError::BadRequest { message, field: None };
    }
    let at = (path != "." && !path.is_empty()).then(|| path.to_string());
    // serde reports a missing field at its parent, naming it only in the message.
    let missing = e.to_string().strip_prefix("missing field `").and_then(|m| m.split('`').next().map(str::to_string));
    let field = match (at, missing) {
        (Some(at), Some(name)) => Some(format!("{at}.{name}")),
        (None, Some(name)) => Some(name),
        (at, None) => at,
    };
    ApiError::BadRequest { message, field }
}

#[cfg(test)]
mod tests {
    use super::*;
    use peel_casework::{ReportInput, TriageInput};

    fn field_of<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> Option<String> {
        match parse_json::<T>(body.as_bytes()) {
            Err(ApiError::BadRequest { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_the_field_at_fault() {
        assert_eq!(field_of::<ReportInput>(r#"{"channel": "101", "kind": "crime"}"#).as_deref(), Some("account"));
        assert_eq!(
            field_of::<ReportInput>(r#"{"channel": 101, "kind": "crime", "account": "x"}"#).as_deref(),
            Some("channel")
        );
        let thrive = r#"{"version": 1, "thrive": {"threat": "Severe", "harm": "Low", "risk": "Low",
            "investigation": true, "vulnerability": false, "engagement": true}}"#;
        assert_eq!(field_of::<TriageInput>(thrive).as_deref(), Some("thrive.threat"));
        assert_eq!(
            field_of::<TriageInput>(r#"{"version": 1, "thrive": {"threat": "Low"}}"#).as_deref(),
            Some("thrive.harm")
        );
        assert_eq!(field_of::<ReportInput>(r#"{"channel": "101","#), None);
        assert_eq!(field_of::<ReportInput>(r#"{"channel": "101", "kind": "crime", "account": "x"} trailing"#), None);
    }
}
