//! Sign in and sign out.

use crate::auth::{self, User};
use crate::form::{FormData, PostForm};
use crate::html::{self, Attrs, Errors};
use crate::{WebError, WebState};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use peel_access::lockout::{self, Gate};
use peel_domain::date::Timestamp;
use peel_http::CaseStore;
use peel_store::accounts::{Account, NewSession};

#[derive(serde::Deserialize, Default)]
pub struct LoginQuery {
    out: Option<String>,
}

fn login_page(errors: &Errors, username: &str, signed_out: bool) -> Markup {
    html! {
        @if signed_out {
            div class="notice" role="status" { p { "You have signed out." } }
        }
        (errors.summary())
        h1 { "Sign in to Peel" }
        form method="post" action="/login" novalidate {
            (errors.input(
                "text",
                "username",
                "Username",
                "",
                username,
                Attrs {
                    autocomplete: Some("username"),
                    autocapitalize: Some("none"),
                    spellcheck: Some("false"),
                    ..Attrs::NONE
                },
            ))
            (errors.input(
                "password",
                "password",
                "Password",
                "",
                "",
                Attrs { autocomplete: Some("current-password"), ..Attrs::NONE },
            ))
            button type="submit" { "Sign in" }
        }
    }
}

pub async fn form(user: Result<User, WebError>, Query(q): Query<LoginQuery>) -> Response {
    if let Ok(u) = user {
        return Redirect::to(u.role.home()).into_response();
    }
    html::page_html("Sign in", None, login_page(&Errors::default(), "", q.out.is_some())).into_response()
}

pub async fn submit(State(state): State<WebState>, headers: HeaderMap, body: Bytes) -> Result<Response, WebError> {
    if !auth::same_origin(&headers) {
        return Err(WebError::Forbidden("The form was sent from another site.".into()));
    }
    let form = FormData::parse(&body);
    let username = form.get("username").trim().to_lowercase();
    let password = form.get("password").to_string();
    let mut errors = Errors::default();
    if username.is_empty() {
        errors.add("username", "Enter your username");
    }
    if password.is_empty() {
        errors.add("password", "Enter your password");
    }
    if !errors.is_empty() {
        let page = html::page_html("Sign in", None, login_page(&errors, &username, false));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let hours = state.config.session_hours;
    let name = username.clone();
    let account = state.run(move |store, _| Ok(store.find_account(&name)?)).await?;
    // Too many recent failures: answered before any hash is computed (peel_access::lockout).
    if let Some(a) = &account {
        match lockout::gate(a, state.now()) {
            Gate::Open => {}
            Gate::Locked => return Ok(locked(&username)),
            Gate::Wait { .. } => {
                // The attempt counts (a guess is a guess), so the wait it is told is the one
                // after counting it.
                let id = a.id;
                let after = state.run(move |store, now| Ok(lockout::gate(&failed(store, id, now)?, now))).await?;
                return Ok(match after {
                    Gate::Wait { seconds } => wait(&username, seconds),
                    _ => locked(&username),
                });
            }
        }
    }
    // Hash either way, so a wrong username takes as long as a wrong password; at most one
    // hash a core at once, without holding a store connection while it waits its turn.
    // (The dummy is made on first use, on the blocking thread: a hash has no place on the
    // async workers.)
    let hash = account.as_ref().map(|a| a.password_hash.clone());
    let verified = tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| auth::DUMMY_HASH.clone());
        peel_access::secrets::verify_password_bounded(&password, &hash, peel_access::secrets::HASH_WAIT)
    })
    .await
    .map_err(|e| WebError::Internal(format!("the password check did not finish: {e}")))?;
    let ok = verified.map_err(|_| {
        WebError::Unavailable("Too many people are signing in at this moment: try again in a few seconds.".into())
    })?;
    match account {
        // A disabled account is refused as a wrong password is: the page does not say which.
        Some(account) if ok && account.disabled_at.is_none() => {
            let token = state
                .run(move |store, now| {
                    store.delete_expired_sessions(now)?;
                    let token = auth::random_hex(32);
                    store.create_session(&NewSession {
                        token: auth::hash_token(&token),
                        account: account.id,
                        csrf: auth::random_hex(32),
                        created_at: now,
                        expires_at: now.add_hours(hours),
                    })?;
                    Ok(token)
                })
                .await?;
            let home = account.role.home();
            let cookie = auth::session_cookie(&token, hours * 3600, state.config.secure_cookies);
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(home)).into_response())
        }
        Some(account) if !ok => {
            let id = account.id;
            let now_locked = state.run(move |store, now| Ok(failed(store, id, now)?.locked_at.is_some())).await?;
            Ok(if now_locked { locked(&username) } else { wrong(&username) })
        }
        _ => Ok(wrong(&username)),
    }
}

/// Counts a failed attempt for an account that exists, under the lockout rules.
fn failed(store: &mut dyn CaseStore, id: i64, now: Timestamp) -> Result<Account, WebError> {
    Ok(store.record_sign_in_failure(id, lockout::run_since(now), lockout::LOCK_AFTER, now)?)
}

fn refusal(status: StatusCode, username: &str, message: &str) -> Response {
    let mut errors = Errors::default();
    errors.add("username", message);
    (status, html::page_html("Sign in", None, login_page(&errors, username, false))).into_response()
}

fn wrong(username: &str) -> Response {
    refusal(StatusCode::UNAUTHORIZED, username, "The username or password is not right")
}

/// 429 with `Retry-After`: too many failures, the password was not checked.
fn wait(username: &str, seconds: i64) -> Response {
    let minutes = (seconds + 59) / 60;
    let message = format!(
        "There have been too many failed sign-ins to this account: wait {minutes} minute{} and try again",
        if minutes == 1 { "" } else { "s" }
    );
    let mut res = refusal(StatusCode::TOO_MANY_REQUESTS, username, &message);
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    res
}

/// 423: locked until an administrator unlocks it.
fn locked(username: &str) -> Response {
    refusal(
        StatusCode::LOCKED,
        username,
        "This account is locked after too many failed sign-ins: ask an administrator to unlock it",
    )
}

pub async fn logout(State(state): State<WebState>, post: PostForm) -> Result<Response, WebError> {
    let token = post.user.token_hash.clone();
    state.run(move |store, now| Ok(store.delete_session(&token, "sign-out", now)?)).await?;
    let cookie = auth::clear_cookie(state.config.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login?out=1")).into_response())
}
