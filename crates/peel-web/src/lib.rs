//! Peel's web application: server-rendered pages over the casework service, with accounts,
//! sessions, roles and scopes, mounted on one router beside the JSON API (`peel-http`).
//!
//! # Who may do what
//!
//! Every account has one [`Role`]: partner, liaison (hospital liaison officer), registrar
//! (crime registrar), officer (investigating officer), supervisor, victim-care, analyst,
//! admin, auditor (the audit trail at `/audit`, and no casework record itself). Partners and liaison officers are scoped to a site, officers and supervisors to a
//! team. Every handler checks the role and the scope on the server, from the session; a page
//! or action outside them is answered 403 (a partner opening another site's report, an officer
//! another team's crime). Writes go through `peel-casework`, never straight to the store.
//!
//! # Sign-in, sessions, CSRF
//!
//! - Passwords are hashed with Argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes, one
//!   lane, a random 16-byte salt), kept as PHC strings. A failed sign-in says only that the
//!   username or password is wrong, and an unknown username costs the same hash as a known one.
//! - A session is a random 256-bit token in the cookie `peel_session` (`HttpOnly`,
//!   `SameSite=Strict`, `Path=/`; `Secure` when [`WebConfig::secure_cookies`] is on, which it
//!   must be whenever the application is served over https). The store keeps only the token's
//!   BLAKE2b hash, so a copy of the database does not sign anyone in. Sessions last
//!   [`WebConfig::session_hours`] (a shift, 10 hours by default) from sign-in, and end sooner
//!   after [`WebConfig::idle_minutes`] unused (30 by default; the use is noted at most once a
//!   minute); logging out deletes the session on the server. Disabling or locking an account,
//!   or changing its password, ends its sessions at once.
//! - Sign-in is throttled and then locked per account after failed attempts
//!   ([`peel_access::lockout`]: 429 with `Retry-After` from the 6th failure in a run, locked at
//!   the 10th until an administrator unlocks it), and password hashing is bounded in time and
//!   memory ([`peel_access::secrets::hashes_at_once`]): at most N = cores hashes at once, each
//!   in one of N Argon2 buffers allocated once, so no number of concurrent sign-ins takes the
//!   server past its memory at start + N × 19 MiB + 64 MiB (tested with 64 at once). Every sign-in, failure, lockout, unlock,
//!   sign-out and password change is an audit entry on the account.
//!   `peel serve` serves plain http on loopback for development: there the cookie cannot be
//!   `Secure`, and that is the only setting in which it should be off.
//! - Every POST form carries the session's CSRF token in a hidden `_csrf` field; a POST
//!   without it, or with another, is answered 403 and nothing is done. A POST whose `Origin`
//!   header names another origin is refused too (this also covers the sign-in form).
//! - Responses carry a Content-Security-Policy with no script at all, `frame-ancestors 'none'`,
//!   `nosniff` and `Referrer-Policy: same-origin`; every answer but the style sheet carries
//!   `Cache-Control: no-store` (pages and API answers hold personal data, which must not be
//!   kept in a browser's or proxy's cache); served over https, `Strict-Transport-Security`.
//!
//! # Transport
//!
//! `peel serve` serves https itself with `--tls-cert`/`--tls-key` (rustls, [`Transport::Tls`]),
//! or plain http behind a reverse proxy that terminates TLS (`--public-url https://…`); either
//! way [`WebConfig::secure_cookies`] is on, so the cookie is `Secure` and pages send HSTS.
//! Plain http without a proxy is for loopback only, and `peel serve` refuses anything else.
//!
//! # Every read is logged (Data Protection Act 2018 s.62)
//!
//! Page and API handlers attach what they showed of records holding personal data
//! ([`access_log::Disclosed`]: the crime page its crime, a worklist each row's victim, an API
//! read its record); one middleware, [`access_log`], writes an audit entry per record — who,
//! when, which record, the route's template — before a 2xx answer leaves, and answers 503 if
//! it cannot, so nothing is disclosed unlogged. The trail is a hash chain (`peel-store`'s
//! `audit` module); the auditor's page `/audit` (auditor and admin) searches it by record, user
//! and days, pages it and downloads it as CSV, and is logged itself.
//!
//! # The JSON API on the same router
//!
//! [`app`] merges `peel_http::routes_of` behind [`auth::api_gate`], the only way the API is
//! served. The gate signs every call in — the session cookie, or an API token sent as
//! `Authorization: Bearer TOKEN` (`peel accounts token USERNAME`; stored hashed, revocable)
//! — and hands the API the account's username as the acting user; nothing the client sends
//! names the actor, and a call with neither is answered 401. Then every call is checked against
//! the API's access policy, [`api_access`]: a table, route by route, of the roles that may
//! call it and the scope check it gets (a partner reports for and reads only their own site;
//! a liaison officer reads their site's reports, incidents and crimes; officers and
//! supervisors reach only their team's crimes; the force-wide roles the routes of their
//! work), the same rules as the pages. Outside them the answer is 403, and so is any route
//! the table does not list (deny by default). `/healthz` and `/api/openapi.json` stay open.
//!
//! # Pages
//!
//! See [`pages`]: login; partner report form and the site's reports in plain words; the
//! liaison officer's site page; the registrar's decision queue, decision form and the
//! cancellations needing a decision maker; the officer's crimes and Victims' Code
//! obligations; the crime page with its contact, outcome, evidence and cancellation forms;
//! the supervisor's daily management meeting, plans and reviews due and team compliance;
//! victim care's obligations due, enhanced-service and fraud-triage queues; the analyst's
//! casework figures and pages over police.uk data (trend with SPC, outcomes as PEEL figure 4,
//! harm by area, Impact Area status, concentration, hotspot map, board paper as HTML and
//! PDF) for any force, area and month; admin's accounts and sites. No page needs JavaScript.
//!
//! # HTML: maud templates, escaped automatically
//!
//! Every page, the layout and the form pieces ([`html`]) are maud `html!` templates returning
//! `Markup`. Maud was chosen because the markup is checked by the Rust compiler, every value
//! interpolated into it is escaped (text and attribute values alike) unless wrapped in
//! `PreEscaped`, there are no template files to keep in step with the code, and it adds one
//! small proc-macro crate to the build (askama would add template files and a larger
//! build). No page assembles markup from strings: `format!` builds URLs, numbers and plain
//! text only, which the templates then escape. The one `PreEscaped` is the SVG of
//! peel-report's charts (plotters), which escapes its own titles and labels; it is commented
//! where it is used. The hotspot map's SVG is a maud template like the pages.
//!
//! A banner after a successful form ("Outcome set.") is chosen by code from a fixed list,
//! [`pages::Notice`], by the key in `?done=` (`?done=outcome`); a key not in the list shows no
//! banner, and no text from the URL is ever shown as the banner. A reference it names is a
//! parameter of its own, shown only if it has the form of a reference (the partner's
//! `?done=report-sent&ref=RPT-2026-000123`), or is looked up in the store (the registrar's
//! incident and crimes, the admin's new account or site).
//!
//! # The page-load budget
//!
//! Dashboards and worklists answer within 100 ms of server time on the synthetic force of a
//! million crimes (`peel bench-pages`; every answer carries `Server-Timing`). Worklists are
//! read a page at a time with capped counts; the twelve-month figures come from
//! [`summary`], refreshed in the background; police.uk data is held per force in
//! [`street_cache`].

/// The caches the pages read, kept apart from them (`peel-cache`).
pub use peel_cache::{street as street_cache, summary};
pub mod access_log;
pub mod api_access;
pub mod auth;
pub mod demo;
mod error;
pub mod form;
pub mod html;
pub mod pages;
pub mod request_log;

pub use auth::{Role, User};
pub use error::WebError;

use axum::extract::Request;
use axum::handler::Handler;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use peel_domain::date::Timestamp;
use peel_http::{AppState, CaseStore};
use std::sync::Arc;

/// How the web application is served.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The application is reached over https (served with TLS, or behind a proxy that
    /// terminates it): the session cookie is marked `Secure` and every answer carries
    /// `Strict-Transport-Security`. Off only for plain http on loopback in development.
    pub secure_cookies: bool,
    /// How long a session lasts from sign-in, however busy (a shift: 10 hours).
    pub session_hours: i64,
    /// How long a session lasts unused (`peel serve --idle-minutes`; 30 by default).
    pub idle_minutes: i64,
    /// How old the dashboards' twelve-month summary may grow before a page that reads it
    /// starts a fresh one in the background (see [`summary`]).
    pub summary_minutes: i64,
    /// The browser that prints board papers to PDF. `None` finds it as `peel report --pdf`
    /// does (`PEEL_CHROMIUM`, else `chromium` and its kin on the PATH); a path names it.
    pub chromium: Option<std::path::PathBuf>,
    /// The board the board papers are for, printed above their titles (`peel serve --board`).
    pub board: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            session_hours: 10,
            idle_minutes: 30,
            summary_minutes: summary::MAX_AGE_MINUTES,
            chromium: None,
            board: None,
        }
    }
}

/// What every page handler shares: the API's state (store pool, clock) and the config.
#[derive(Clone)]
pub struct WebState {
    pub api: AppState,
    pub config: Arc<WebConfig>,
    /// The dashboards' twelve-month figures (see [`summary`]).
    pub summaries: Arc<summary::Summaries>,
    /// Police.uk street data per force for the analyst pages (see [`street_cache`]).
    pub streets: Arc<street_cache::StreetCache>,
    /// The writer of the access log's entries (see [`access_log`]).
    pub access_log: access_log::AccessLog,
}

impl WebState {
    pub fn now(&self) -> Timestamp {
        self.api.now()
    }

    /// Runs blocking store work on a blocking thread with a store from the pool.
    pub async fn run<T, F>(&self, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn CaseStore, Timestamp) -> Result<T, WebError> + Send + 'static,
    {
        let now = self.now();
        let pool = self.api.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = pool.get().map_err(|e| WebError::Unavailable(e.to_string()))?;
            let result = work(&mut *store, now);
            if matches!(&result, Err(WebError::Internal(_))) {
                store.discard();
            }
            result
        })
        .await
        .map_err(|e| WebError::Internal(format!("store work did not finish: {e}")))?
    }
}

/// The pages and the JSON API on one router, served over plain http (cookies not `Secure`):
/// see [`app_with`].
pub fn app(state: AppState) -> Router {
    app_with(state, WebConfig::default())
}

/// The pages and the JSON API on one router.
pub fn app_with(state: AppState, config: WebConfig) -> Router {
    routes(web_state(state, config))
}

fn web_state(state: AppState, config: WebConfig) -> WebState {
    WebState::new(state, config)
}

impl WebState {
    /// The shared state over `state`'s pool; starts the access log's writer.
    pub fn new(state: AppState, config: WebConfig) -> WebState {
        let access_log = access_log::AccessLog::start(state.pool.clone());
        WebState {
            api: state,
            config: Arc::new(config),
            summaries: Default::default(),
            streets: Default::default(),
            access_log,
        }
    }
}

fn routes(web: WebState) -> Router {
    let api = peel_http::routes_of(web.api.clone()).layer(middleware::from_fn_with_state(web.clone(), auth::api_gate));
    let https = web.config.secure_cookies;
    pages::router()
        .route_layer(middleware::from_fn_with_state(web.clone(), pages::gate))
        .with_state(web.clone())
        .merge(api)
        // Through the API's gate, so that an unknown /api route asks for sign-in first and is
        // refused by the policy like any route it does not know (pages pass straight through).
        .fallback(no_such_address.layer(middleware::from_fn_with_state(web.clone(), auth::api_gate)))
        .layer(middleware::from_fn_with_state(web, access_log::record))
        .layer(middleware::from_fn(move |req, next| security_headers(https, req, next)))
        .layer(middleware::from_fn(request_log::layer))
}

/// An address that is neither a page nor an API route: the API's JSON error under /api, a
/// page saying so everywhere else (a person who mistypes an address reads a page, not JSON).
async fn no_such_address(uri: axum::http::Uri) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return peel_http::no_route().await.into_response();
    }
    WebError::NotFound(format!("There is no page at {path}. Check the address, or start again from your start page."))
        .into_response()
}

/// Security headers on every response. Pages have no script, so none is allowed at all;
/// the board paper carries its own inline style, so styles may be inline.
/// Every answer also says how long the server took over it (`Server-Timing: app;dur=MS`),
/// which `peel bench-pages` reads for the page-load budget.
///
/// `Cache-Control: no-store` on everything that does not set its own (only the style sheet
/// does): pages, API answers, CSV exports and board papers all carry personal data or figures
/// from it. HSTS for a year when the application is reached over https.
async fn security_headers(https: bool, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={:.2}", started.elapsed().as_secs_f64() * 1000.0)) {
        h.insert("server-timing", v);
    }
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    ));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    res
}

/// How the server talks to its clients.
#[derive(Debug, Clone)]
pub enum Transport {
    /// Plain http: on loopback for development, or behind a reverse proxy that terminates TLS.
    Plain,
    /// https served here with rustls, from a PEM certificate chain and private key.
    Tls { cert: std::path::PathBuf, key: std::path::PathBuf },
}

/// Serves the pages and the API on `listener` until the process ends.
/// The force's twelve-month summary is computed as the server starts, so the first analyst
/// to open a dashboard does not wait for it (see [`summary`]).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState, config: WebConfig) -> std::io::Result<()> {
    let web = web_state(state, config);
    summary::warm(web.api.clone(), web.summaries.clone());
    axum::serve(listener, routes(web)).await
}

/// Serves the pages and the API on `addr` on a runtime of its own, blocking the calling
/// thread; `listening` is told the bound address once the socket is bound (and, for TLS, the
/// certificate and key have been read: a file that cannot be read or parsed is an error
/// before anything listens).
pub fn serve_blocking(
    addr: std::net::SocketAddr,
    state: AppState,
    config: WebConfig,
    transport: Transport,
    listening: impl FnOnce(std::net::SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        match transport {
            Transport::Plain => {
                listening(local);
                serve(listener, state, config).await
            }
            Transport::Tls { cert, key } => {
                let tls =
                    axum_server::tls_rustls::RustlsConfig::from_pem_chain_file(&cert, &key).await.map_err(|e| {
                        std::io::Error::new(
                            e.kind(),
                            format!("reading the TLS certificate {} and key {}: {e}", cert.display(), key.display()),
                        )
                    })?;
                let web = web_state(state, config);
                summary::warm(web.api.clone(), web.summaries.clone());
                listening(local);
                axum_server::from_tcp_rustls(listener.into_std()?, tls)?.serve(routes(web).into_make_service()).await
            }
        }
    })
}
