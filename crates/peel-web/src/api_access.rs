//! The JSON API's gate, as the HTTP side of the access policy: [`authorise`] reads what a
//! route's check needs from the request (the path's id, the query, the body) and asks
//! `peel-access`'s policy ([`peel_access::policy`], which has the table, role by route, and
//! the scope rules the pages apply too). [`auth::api_gate`](crate::auth::api_gate) signs the
//! caller in from the session first.
//!
//! Answers: without a session 401 `unauthenticated` (before anything else); a role not in the
//! route's row, or a record outside the scope, 403 `forbidden`; a record the scope check
//! looks up that does not exist, 404 `not_found`. **Deny by default**: a request whose method
//! and path match no row is refused 403 `forbidden` without reaching the API. A path id that
//! is not a number is refused 400 here. Every error body is `{"error": MESSAGE, "code":
//! CODE}`, as the API's own.

use crate::auth::User;
use crate::form::FormData;
use crate::{WebError, WebState};
use axum::body::Body;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use peel_access::policy::{self, find, Scope};

/// The largest body the gate reads to check it: the API's own limit (axum's default).
const MAX_BODY: usize = 2 * 1024 * 1024;

/// Whether `user` may make this request: `Ok` with the body (read and put back if the check
/// needed it), or the refusal to send.
pub async fn authorise(web: &WebState, user: &User, parts: &Parts, body: Body) -> Result<Body, Response> {
    let path = parts.uri.path();
    let Some((rule, id)) = find(parts.method.as_str(), path) else {
        return Err(refuse(&format!(
            "{} {path} is not in the API's access policy, so it is refused: see /api/openapi.json for the routes",
            parts.method
        )));
    };
    // The id is checked as the path has it, plain digits only: the router would decode
    // `%35` to `5` after this gate, so an id the gate could not read must go no further.
    if let Some(seg) = id {
        if !seg.bytes().all(|b| b.is_ascii_digit()) || seg.len() > 18 {
            return Err(json_error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                &format!("the id in the path, '{seg}', is not a record's number"),
            ));
        }
    }
    let who = user.principal();
    if !rule.roles.contains(&who.role) {
        return Err(refuse(&format!("a {} account may not call {} {}", who.role.label(), rule.method, rule.path)));
    }
    let q = FormData::parse(parts.uri.query().unwrap_or("").as_bytes());
    if let Some(refusal) = policy::query_refusal(&who, rule.scope, &q.all("officer"), &q.all("team")) {
        return Err(refuse(&refusal));
    }
    match rule.scope {
        // Only a partner's report is checked for its site: the body is read for theirs alone.
        Scope::NewReport if who.role == peel_access::Role::Partner => {
            let (bytes, v) = json_body(body).await?;
            let site = v.get("site").and_then(serde_json::Value::as_i64);
            match policy::new_report_refusal(&who, site) {
                Some(refusal) => Err(refuse(&refusal)),
                None => Ok(Body::from(bytes)),
            }
        }
        Scope::Site | Scope::Report | Scope::Incident | Scope::Crime | Scope::CrimeReview => {
            // Checked above to be digits; a route without an id has no record to check.
            let Some(id) = id.and_then(|s| s.parse::<i64>().ok()) else { return Ok(body) };
            let (scope, u) = (rule.scope, user.clone());
            let refusal = web.run(move |store, _| Ok(policy::record_refusal(store, &u.principal(), scope, id)?)).await;
            match refusal {
                // An officer's plan is read for its kind and date; anyone else's goes through.
                Ok(None) if scope == Scope::CrimeReview && who.role == peel_access::Role::Officer => {
                    let (bytes, v) = json_body(body).await?;
                    let kind = v.get("kind").and_then(serde_json::Value::as_str);
                    let dated = v.get("next_review_due").is_some_and(|d| !d.is_null());
                    match policy::review_refusal(&who, kind, dated) {
                        Some(refusal) => Err(refuse(refusal)),
                        None => Ok(Body::from(bytes)),
                    }
                }
                Ok(None) => Ok(body),
                Ok(Some(refusal)) => Err(refuse(refusal)),
                Err(WebError::NotFound(m)) => Err(json_error(StatusCode::NOT_FOUND, "not_found", &m)),
                Err(WebError::Unavailable(_)) => Err(json_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "no store connection came free in time",
                )),
                Err(e) => {
                    eprintln!("peel-web: API access check: {e}");
                    Err(json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the access check failed"))
                }
            }
        }
        Scope::NewReport | Scope::None | Scope::OwnWork | Scope::OwnTeam | Scope::ForceWide => Ok(body),
    }
}

/// The request's body, read whole (up to [`MAX_BODY`]) and parsed as JSON for a check.
async fn json_body(body: Body) -> Result<(axum::body::Bytes, serde_json::Value), Response> {
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| json_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the body is over 2 MB"))?;
    let v = serde_json::from_slice(&bytes)
        .map_err(|e| json_error(StatusCode::BAD_REQUEST, "bad_request", &format!("the body is not JSON: {e}")))?;
    Ok((bytes, v))
}

fn refuse(message: &str) -> Response {
    json_error(StatusCode::FORBIDDEN, "forbidden", message)
}

fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({"error": message, "code": code}))).into_response()
}
