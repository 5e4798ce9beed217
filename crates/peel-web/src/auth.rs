//! Roles, passwords, sessions and the signed-in user.

use crate::{WebError, WebState};
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use blake2::{Blake2b512, Digest};
use peel_store::accounts::Account;
use std::fmt::Write;
use std::sync::LazyLock;

/// The session cookie's name.
pub const COOKIE: &str = "peel_session";

/// What an account may do. Partners and liaison officers are scoped to a site; officers and
/// supervisors to a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Partner reporter, e.g. hospital staff: reports from their site, sees their site's reports.
    Partner,
    /// Hospital liaison officer: all crime at their site.
    Liaison,
    /// Crime registrar: recording decisions.
    Registrar,
    /// Investigating officer: their crimes and the victims' obligations.
    Officer,
    /// Supervisor: the daily management meeting, their team.
    Supervisor,
    /// Victim care: obligations due across the force, enhanced victims.
    VictimCare,
    /// Analyst and command team: performance and the board paper.
    Analyst,
    /// Accounts and sites.
    Admin,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Partner,
        Role::Liaison,
        Role::Registrar,
        Role::Officer,
        Role::Supervisor,
        Role::VictimCare,
        Role::Analyst,
        Role::Admin,
    ];

    /// The word stored on the account.
    pub fn word(self) -> &'static str {
        match self {
            Role::Partner => "partner",
            Role::Liaison => "liaison",
            Role::Registrar => "registrar",
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::VictimCare => "victim-care",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    pub fn parse(word: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.word() == word)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Partner => "partner reporter",
            Role::Liaison => "hospital liaison officer",
            Role::Registrar => "crime registrar",
            Role::Officer => "investigating officer",
            Role::Supervisor => "supervisor",
            Role::VictimCare => "victim care",
            Role::Analyst => "analyst",
            Role::Admin => "administrator",
        }
    }

    /// Whether the role is scoped to a site (and must have one).
    pub fn site_scoped(self) -> bool {
        matches!(self, Role::Partner | Role::Liaison)
    }

    /// Whether the role is scoped to a team (and must have one).
    pub fn team_scoped(self) -> bool {
        matches!(self, Role::Officer | Role::Supervisor)
    }

    /// The role's start page.
    pub fn home(self) -> &'static str {
        match self {
            Role::Partner => "/partner",
            Role::Liaison => "/site",
            Role::Registrar => "/registrar",
            Role::Officer => "/officer",
            Role::Supervisor => "/supervisor",
            Role::VictimCare => "/victim-care",
            Role::Analyst => "/analyst",
            Role::Admin => "/admin",
        }
    }

    /// The links in the header for this role.
    pub fn nav(self, _user: &User) -> Vec<(String, &'static str)> {
        let mut v: Vec<(String, &'static str)> = match self {
            Role::Partner => vec![("/partner".into(), "Report and my site's reports")],
            Role::Liaison => vec![("/site".into(), "My site")],
            Role::Registrar => vec![("/registrar".into(), "Recording decisions")],
            Role::Officer => vec![("/officer".into(), "My crimes and victims")],
            Role::Supervisor => vec![("/supervisor".into(), "Daily meeting"), ("/sites".into(), "Sites")],
            Role::VictimCare => vec![
                ("/victim-care".into(), "Obligations due"),
                ("/victim-care/enhanced".into(), "Enhanced service"),
                ("/victim-care/fraud".into(), "Fraud triage"),
            ],
            Role::Analyst => vec![("/analyst".into(), "Analysis"), ("/sites".into(), "Sites")],
            Role::Admin => vec![("/admin".into(), "Accounts and sites"), ("/sites".into(), "Sites")],
        };
        v.dedup();
        v
    }
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
}

impl User {
    /// 403 unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), WebError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(WebError::forbidden())
        }
    }

    pub fn username(&self) -> &str {
        &self.account.username
    }
}

impl FromRequestParts<WebState> for User {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, WebError> {
        let Some(token) = cookie(&parts.headers, COOKIE) else { return Err(WebError::SignIn) };
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(WebError::SignIn);
        }
        let token_hash = hash_token(&token);
        let key = token_hash.clone();
        let found = state.run(move |store, now| Ok(store.find_session(&key, &now.to_string())?)).await?;
        let Some((session, account)) = found else { return Err(WebError::SignIn) };
        let role = Role::parse(&account.role).ok_or_else(|| {
            WebError::Forbidden(format!("the account's role '{}' is not one Peel knows", account.role))
        })?;
        Ok(User { account, role, csrf: session.csrf, token_hash })
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

/// `n` random bytes from the operating system, as hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The store's key for a session token: its BLAKE2b-512 hash, hex.
pub fn hash_token(token: &str) -> String {
    hex(&Blake2b512::digest(token.as_bytes()))
}

/// An Argon2id PHC string for `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("Argon2id with default parameters").to_string()
}

/// Whether `password` matches the PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the username is unknown, so that a failed sign-in takes
/// as long whether or not the account exists.
pub static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("no account has this password"));

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// False when the request's `Origin` names an origin other than this host (a form posted
/// from another site); true when it matches or is absent (not sent by a browser).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    origin == format!("http://{host}") || origin == format!("https://{host}")
}

/// In front of the JSON API when it is mounted with the pages: the API acts as the signed-in
/// user. `X-Peel-User` from the client is dropped and set from the session; without a session
/// the API answers 401; then the API's access policy ([`crate::api_access`]) checks the
/// user's role and scope for the route (403 outside them, and for any route it does not know).
pub async fn api_gate(State(web): State<WebState>, mut req: Request, next: Next) -> Response {
    req.headers_mut().remove(peel_http::USER_HEADER);
    let path = req.uri().path();
    if !path.starts_with("/api/") || path == "/api/openapi.json" {
        return next.run(req).await;
    }
    if req.method() != Method::GET && !same_origin(req.headers()) {
        return api_error(StatusCode::FORBIDDEN, "forbidden", "the request came from another site");
    }
    let (mut parts, body) = req.into_parts();
    match User::from_request_parts(&mut parts, &web).await {
        Ok(user) => {
            let body = match crate::api_access::authorise(&web, &user, &parts, body).await {
                Ok(body) => body,
                Err(refused) => return refused,
            };
            match HeaderValue::from_str(user.username()) {
                Ok(v) => {
                    parts.headers.insert(peel_http::USER_HEADER, v);
                }
                Err(_) => return api_error(StatusCode::FORBIDDEN, "forbidden", "the username is not visible ASCII"),
            }
            next.run(Request::from_parts(parts, body)).await
        }
        Err(WebError::SignIn) => api_error(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in first: POST /login, then send the peel_session cookie",
        ),
        Err(e) => e.into_response(),
    }
}

fn api_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({"error": message, "code": code}))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(hash_password("correct horse"), h, "a fresh salt each time");
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (random_hex(32), random_hex(32));
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), a);
    }

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
