//! The one error every handler returns, and the status code and JSON body each kind gets.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use peel_casework::CaseError;
use peel_domain::field_error::FieldError;
use peel_store::StoreError;
use serde_json::{json, Value};

/// Why a request was not done. Every kind answers with a JSON body
/// `{"error": MESSAGE, "code": KIND, "field": FIELD}` (`field` only where one is at fault).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 422 `invalid`: the request was well-formed but breaks a rule; `field` names the input
    /// field at fault, as the casework service spells it (snake_case).
    #[error("{}", .0.message)]
    Invalid(FieldError),
    /// 400 `bad_request`: the body is not JSON, or not the shape the route takes (with the
    /// path of the field at fault where serde gives one, e.g. `victims[0].person`); or an id
    /// in the path or a query parameter is not what the route takes.
    #[error("{message}")]
    BadRequest { message: String, field: Option<String> },
    /// 401 `unauthenticated`: a write without the `X-Peel-User` header.
    #[error("{0}")]
    Unauthenticated(String),
    /// 404 `not_found`: the record named in the path (or in the body) does not exist.
    #[error("{0}")]
    NotFound(String),
    /// 404 `no_route`: no such route; 405 `method_not_allowed` for a route without that method.
    #[error("{1}")]
    NoRoute(StatusCode, String),
    /// 409 `conflict`: the record was changed since the version the request names: reload it.
    #[error("{0}")]
    Conflict(String),
    /// 409 `refused`: the request does not fit the record's state (deciding an incident
    /// already decided, meeting an obligation already met, changing a cancelled crime).
    #[error("{0}")]
    Refused(String),
    /// 413 `payload_too_large`, 415 `unsupported_media_type`: the body could not be read as
    /// a JSON body at all.
    #[error("{1}")]
    Unreadable(StatusCode, String),
    /// 503 `unavailable`: no store connection came free in time, or the store does not answer.
    #[error("{0}")]
    Unavailable(String),
    /// 500 `internal`: anything else. The detail is logged to stderr, never sent.
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::NoRoute(status, _) | ApiError::Unreadable(status, _) => *status,
            ApiError::Conflict(_) | ApiError::Refused(_) => StatusCode::CONFLICT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `code` of the JSON body: one word per kind, for clients to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Invalid(_) => "invalid",
            ApiError::BadRequest { .. } => "bad_request",
            ApiError::Unauthenticated(_) => "unauthenticated",
            ApiError::NotFound(_) => "not_found",
            ApiError::NoRoute(status, _) if *status == StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            ApiError::NoRoute(..) => "no_route",
            ApiError::Conflict(_) => "conflict",
            ApiError::Refused(_) => "refused",
            ApiError::Unreadable(status, _) if *status == StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            ApiError::Unreadable(..) => "unsupported_media_type",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            ApiError::Invalid(e) => Some(e.field),
            ApiError::BadRequest { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Whether the error may mean the store connection is broken: the connection is then
    /// dropped rather than returned to the pool.
    pub(crate) fn is_internal(&self) -> bool {
        matches!(self, ApiError::Internal(_))
    }

    pub(crate) fn body(&self) -> Value {
        let message = match self {
            ApiError::Internal(_) => "internal error; the detail is in the server's log".to_string(),
            other => other.to_string(),
        };
        let mut body = json!({ "error": message, "code": self.code() });
        if let Some(field) = self.field() {
            body["field"] = json!(field);
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            eprintln!("peel-http: internal error: {detail}");
        }
        (self.status(), Json(self.body())).into_response()
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Invalid(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => ApiError::NotFound(e.to_string()),
            StoreError::Conflict { .. } => ApiError::Conflict(e.to_string()),
            StoreError::Refused(message) => ApiError::Refused(message),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<CaseError> for ApiError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::Invalid(e) => ApiError::Invalid(e),
            CaseError::Store(e) => e.into(),
        }
    }
}
