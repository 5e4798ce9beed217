//! Why a page could not be shown: each kind with its status and a page that says so.

use crate::html;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use peel_casework::CaseError;
use peel_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No live session: go to the sign-in page.
    #[error("sign in first")]
    SignIn,
    /// 403: signed in, but the role or the scope does not allow it (or the CSRF token is wrong).
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("{0}")]
    NotFound(String),
    /// 400: a request no form of ours sends.
    #[error("{0}")]
    BadRequest(String),
    /// 409: the record changed or is in another state.
    #[error("{0}")]
    Conflict(String),
    /// 503: no store connection came free in time.
    #[error("{0}")]
    Unavailable(String),
    /// 500: the detail goes to stderr.
    #[error("{0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => WebError::NotFound(e.to_string()),
            StoreError::Conflict { .. } | StoreError::Refused(_) => WebError::Conflict(e.to_string()),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<peel_cache::CacheError> for WebError {
    fn from(e: peel_cache::CacheError) -> Self {
        match e {
            peel_cache::CacheError::Store(e) => e.into(),
            peel_cache::CacheError::Unavailable(m) => WebError::Unavailable(m),
            peel_cache::CacheError::Internal(m) => WebError::Internal(m),
        }
    }
}

impl From<CaseError> for WebError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::Invalid(f) => WebError::BadRequest(format!("{}: {}", f.field, f.message)),
            CaseError::Store(s) => s.into(),
        }
    }
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::SignIn => StatusCode::SEE_OTHER,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn forbidden() -> WebError {
        WebError::Forbidden("Your account does not give access to this page.".into())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (title, message) = match &self {
            WebError::SignIn => return Redirect::to("/login").into_response(),
            WebError::Forbidden(m) => ("Not allowed", m.clone()),
            WebError::NotFound(m) => ("Not found", m.clone()),
            WebError::BadRequest(m) => ("Something was wrong with the request", m.clone()),
            WebError::Conflict(m) => ("Someone else changed this first", m.clone()),
            WebError::Unavailable(_) => ("Busy", "The service is busy: try again in a moment.".to_string()),
            WebError::Internal(detail) => {
                tracing::error!(detail = %detail, "internal error");
                (
                    "Something went wrong",
                    "Something went wrong on our side. Try again, or tell the service desk.".to_string(),
                )
            }
        };
        let body = maud::html! {
            h1 { (title) }
            p { (message) }
            p { a href="/" { "Back to your start page" } }
        };
        (status, html::page_html(title, None, body)).into_response()
    }
}
