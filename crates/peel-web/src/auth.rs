//! Sessions and the signed-in user of a request; the gate in front of the JSON API. Roles,
//! passwords, tokens and the access policy are `peel-access`'s, shared with the API.

use crate::{WebError, WebState};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
pub use peel_access::secrets::{constant_time_eq, hash_password, hash_token, random_hex, verify_password, DUMMY_HASH};
use peel_access::Principal;
pub use peel_access::Role;
use peel_store::accounts::Account;

/// The session cookie's name.
pub const COOKIE: &str = "peel_session";

/// The links in the header for a role.
pub fn nav(role: Role) -> Vec<(String, &'static str)> {
    let mut v: Vec<(String, &'static str)> = match role {
        Role::Partner => vec![("/partner".into(), "Report and my site's reports")],
        Role::Liaison => vec![("/site".into(), "My site")],
        Role::Registrar => {
            vec![("/registrar".into(), "Recording decisions"), ("/people/duplicates".into(), "Possible duplicates")]
        }
        Role::Officer => vec![("/officer".into(), "My crimes and victims")],
        Role::Supervisor => vec![("/supervisor".into(), "Daily meeting"), ("/sites".into(), "Sites")],
        Role::VictimCare => vec![
            ("/victim-care".into(), "Obligations due"),
            ("/victim-care/enhanced".into(), "Enhanced service"),
            ("/victim-care/fraud".into(), "Fraud triage"),
        ],
        Role::Analyst => vec![("/analyst".into(), "Analysis"), ("/sites".into(), "Sites")],
        Role::Admin => vec![
            ("/admin".into(), "Accounts and sites"),
            ("/sites".into(), "Sites"),
            ("/people/duplicates".into(), "Possible duplicates"),
        ],
        Role::Auditor => vec![("/audit".into(), "Audit trail")],
    };
    if role != Role::Auditor {
        v.push(("/notifications".into(), "Notifications"));
    }
    v.push(("/account/password".into(), "Change password"));
    v.dedup();
    v
}

/// The signed-in user of a request, from the session cookie.
#[derive(Debug, Clone)]
pub struct User {
    pub account: Account,
    pub role: Role,
    /// The session's CSRF token: every form carries it.
    pub csrf: String,
    /// The hash of the session token (the store's key for the session).
    pub token_hash: String,
    /// Notifications not yet read, for the header (0 for an API token's user).
    pub unread: u64,
}

impl User {
    pub fn username(&self) -> &str {
        &self.account.username
    }

    /// The account and role, as the access policy sees them.
    pub fn principal(&self) -> Principal<'_> {
        Principal { account: &self.account, role: self.role }
    }
}

impl FromRequestParts<WebState> for User {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, WebError> {
        // Signed in already by the pages' gate for this request.
        if let Some(user) = parts.extensions.get::<User>() {
            return Ok(user.clone());
        }
        let Some(token) = cookie(&parts.headers, COOKIE) else { return Err(WebError::SignIn) };
        if token.len() != TOKEN_HEX || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(WebError::SignIn);
        }
        let token_hash = hash_token(&token);
        let key = token_hash.clone();
        let idle = state.config.idle_minutes;
        let found = state
            .run(move |store, now| {
                // The store refuses a disabled or locked account's sessions; idleness is judged
                // here, by the configured limit, from the use noted at most once a minute.
                let Some((session, account)) = store.find_session(&key, now)? else { return Ok(None) };
                if session.last_seen_at.add_minutes(idle) <= now {
                    store.delete_session(&key, "idle", now)?;
                    return Ok(None);
                }
                if session.last_seen_at < now {
                    store.touch_session(&key, now)?;
                }
                let unread = store.unread_notifications(&account.username)?;
                Ok(Some((session, account, unread)))
            })
            .await?;
        let Some((session, account, unread)) = found else { return Err(WebError::SignIn) };
        let role = account.role;
        Ok(User { account, role, csrf: session.csrf, token_hash, unread })
    }
}

impl User {
    /// The account an API token acts as (`peel accounts token`): 401 for a token that is
    /// unknown, revoked or expired, or whose account is disabled or locked. A token user has
    /// no session, so no CSRF token: the API takes no forms.
    pub async fn from_token(web: &WebState, token: &str) -> Result<User, WebError> {
        let token_hash = hash_token(token);
        let key = token_hash.clone();
        let found: Option<Account> = web.run(move |store, now| Ok(store.find_api_token(&key, now)?)).await?;
        let Some(account) = found else { return Err(WebError::SignIn) };
        Ok(User { role: account.role, account, csrf: String::new(), token_hash, unread: 0 })
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
    ))
    .expect("a token is hex")
}

/// The `Set-Cookie` value that ends one.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")).expect("ascii")
}

/// False when the request's `Origin` names an origin other than this host (a form posted
/// from another site); true when it matches or is absent (not sent by a browser).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    origin == format!("http://{host}") || origin == format!("https://{host}")
}

/// In front of the JSON API: every `/api/` call but the document is signed in — by the
/// session cookie, or by an API token in `Authorization: Bearer` — then checked against the
/// API's access policy ([`crate::api_access`]: the user's role and scope for the route, 403
/// outside them and for any route it does not know), and handed to the API with the
/// account's username as its [`peel_http::Actor`]. Without either, 401. A cookie-signed write
/// from another origin is refused (a token is not sent by browsers on their own, so it needs
/// no such check).
pub async fn api_gate(State(web): State<WebState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.starts_with("/api/") || path == "/api/openapi.json" {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let user = match bearer(&parts.headers) {
        Some(Ok(token)) => User::from_token(&web, token).await,
        Some(Err(message)) => return api_error(StatusCode::UNAUTHORIZED, "unauthenticated", message),
        None => {
            if parts.method != Method::GET && !same_origin(&parts.headers) {
                return api_error(StatusCode::FORBIDDEN, "forbidden", "the request came from another site");
            }
            User::from_request_parts(&mut parts, &web).await
        }
    };
    match user {
        Ok(user) => {
            let body = match crate::api_access::authorise(&web, &user, &parts, body).await {
                Ok(body) => body,
                Err(refused) => return refused,
            };
            parts.extensions.insert(peel_http::Actor(user.username().to_string()));
            if let Some(reach) = peel_access::policy::reach(&user.principal()) {
                parts.extensions.insert(peel_http::ActorReach(reach));
            }
            next.run(Request::from_parts(parts, body)).await
        }
        Err(WebError::SignIn) => api_error(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in first: send Authorization: Bearer TOKEN (peel accounts token USERNAME), or the peel_session \
             cookie from POST /login",
        ),
        Err(e) => e.into_response(),
    }
}

/// The token of an `Authorization: Bearer` header: `None` without the header, an error for
/// a header that is not a well-formed bearer token.
fn bearer(headers: &HeaderMap) -> Option<Result<&str, &'static str>> {
    let value = headers.get(header::AUTHORIZATION)?;
    let Some(token) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim) else {
        return Some(Err("the Authorization header must be 'Bearer TOKEN'"));
    };
    if token.len() != TOKEN_HEX || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(Err("the bearer token is not one Peel made (64 hex digits)"));
    }
    Some(Ok(token))
}

/// The length of a session or API token: 32 random bytes as hex.
pub const TOKEN_HEX: usize = 64;

fn api_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({"error": message, "code": code}))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_origins() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; peel_session=abc; b=2"));
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert_eq!(cookie(&h, COOKIE).as_deref(), Some("abc"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(!same_origin(&h));
        let c = session_cookie("abc", 60, true);
        assert_eq!(c.to_str().unwrap(), "peel_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure");
    }
}
