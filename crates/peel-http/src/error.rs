//! The one error every handler returns, and the status code and JSON body each kind gets.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use peel_casework::CaseError;
use peel_domain::field_error::FieldError;
use peel_store::StoreError;
use serde::Serialize;
use utoipa::{IntoResponses, ToSchema};

/// Why a request was not done. Every kind answers with a JSON body, [`ErrorBody`]:
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
    /// 401 `unauthenticated`: no signed-in account (no session cookie or Bearer token).
    #[error("{0}")]
    Unauthenticated(String),
    /// 403 `forbidden`: the account may not do this (the gate refuses most such requests
    /// before the API; a handler refuses what only it can see, such as a search without a
    /// reach).
    #[error("{0}")]
    Forbidden(String),
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
    /// 500 `internal`: anything else. The detail is logged (tracing), never sent.
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::NoRoute(status, _) | ApiError::Unreadable(status, _) => *status,
            ApiError::Conflict(_) | ApiError::Refused(_) => StatusCode::CONFLICT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `code` of the JSON body: one word per kind, for clients to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Invalid(_) => ErrorCode::Invalid,
            ApiError::BadRequest { .. } => ErrorCode::BadRequest,
            ApiError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::NoRoute(status, _) if *status == StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
            ApiError::NoRoute(..) => ErrorCode::NoRoute,
            ApiError::Conflict(_) => ErrorCode::Conflict,
            ApiError::Refused(_) => ErrorCode::Refused,
            ApiError::Unreadable(status, _) if *status == StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            ApiError::Unreadable(..) => ErrorCode::UnsupportedMediaType,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
            ApiError::Internal(_) => ErrorCode::Internal,
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

    pub(crate) fn body(&self) -> ErrorBody {
        let error = match self {
            ApiError::Internal(_) => "internal error; the detail is in the server's log".to_string(),
            other => other.to_string(),
        };
        ErrorBody { error, code: self.code(), field: self.field().map(str::to_string) }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(detail = %detail, "internal error");
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

impl ApiError {
    /// A store error with its refusals of input put on a field: the store says what is wrong
    /// with a value as "FIELD: message" (`StoreError::Invalid`), which is the client's 422 at
    /// FIELD if it is one of the route's `fields`, else at the first of them; anything else
    /// as `From`.
    pub fn at_field(e: StoreError, fields: &[&'static str]) -> ApiError {
        match e {
            StoreError::Invalid(m) => {
                let named =
                    m.split_once(": ").and_then(|(f, rest)| fields.iter().find(|x| **x == f).map(|x| (*x, rest)));
                let (field, message) = named.map_or((fields[0], m.as_str()), |(f, rest)| (f, rest));
                ApiError::Invalid(FieldError::new(field, message))
            }
            other => other.into(),
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

/// The JSON body of every error answer (and the `ErrorBody` schema of the API document).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What is wrong, for a person to read.
    pub error: String,
    pub code: ErrorCode,
    /// The input field at fault (422), or serde's path to it (400); absent where no one field is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The kind of error, for clients to branch on: one per kind of `ApiError`, and two for
/// the kinds that answer with two statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthenticated,
    Forbidden,
    NotFound,
    NoRoute,
    MethodNotAllowed,
    Conflict,
    Refused,
    PayloadTooLarge,
    UnsupportedMediaType,
    Invalid,
    Internal,
    Unavailable,
    /// 409: a write with the same `Idempotency-Key` is being made: ask again for its answer.
    InProgress,
    /// 409: the write with this `Idempotency-Key` was made but its answer was lost (the server
    /// stopped in between): read the record rather than writing again.
    AnswerLost,
}

/// The error answers as the API document lists them, one per status, each with an
/// [`ErrorBody`]: each route's `#[utoipa::path(responses(...))]` names those its handler
/// gives. They describe; nothing builds them.
#[allow(dead_code)]
pub(crate) mod answers {
    use super::{ErrorBody, IntoResponses};

    #[derive(IntoResponses)]
    #[response(
        status = 400,
        description = "Bad request (`bad_request`): the body is not JSON or not the route's shape (`field` is the path to the field at fault), or a path id or query parameter is malformed."
    )]
    pub struct BadRequest(ErrorBody);

    #[derive(IntoResponses)]
    #[response(status = 401, description = "Unauthenticated (`unauthenticated`): no session cookie or Bearer token.")]
    pub struct Unauthenticated(ErrorBody);

    #[derive(IntoResponses)]
    #[response(status = 404, description = "Not found (`not_found`): the record does not exist.")]
    pub struct NotFound(ErrorBody);

    #[derive(IntoResponses)]
    #[response(
        status = 409,
        description = "Conflict: `conflict`, the version named is stale (reload and retry); `refused`, the action does not fit the record's state."
    )]
    pub struct Conflict(ErrorBody);

    #[derive(IntoResponses)]
    #[response(
        status = 422,
        description = "Invalid (`invalid`): the input breaks a rule; `field` names the field at fault."
    )]
    pub struct Invalid(ErrorBody);

    /// A body that could not be read as JSON at all.
    #[derive(IntoResponses)]
    pub enum Unreadable {
        #[response(status = 413, description = "Payload too large (`payload_too_large`): over 2 MB.")]
        PayloadTooLarge(ErrorBody),
        #[response(
            status = 415,
            description = "Unsupported media type (`unsupported_media_type`): send Content-Type: application/json."
        )]
        UnsupportedMediaType(ErrorBody),
    }

    /// What any route that reaches the store may answer.
    #[derive(IntoResponses)]
    pub enum ServerError {
        #[response(status = 500, description = "Internal error (`internal`): the detail is in the server's log.")]
        Internal(ErrorBody),
        #[response(
            status = 503,
            description = "Unavailable (`unavailable`): no store connection came free in time, or the store is not answering."
        )]
        Unavailable(ErrorBody),
    }
}
