//! Everyone's own account: changing their password (the current one, then the new one
//! twice), under the one password rule of `peel_access::passwords`.

use super::{notice, render, Notice};
use crate::auth::User;
use crate::form::{FormData, PostForm};
use crate::html::{Attrs, Errors};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use peel_access::{passwords, secrets};
use peel_store::accounts::AccountChange;

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

fn form_page(user: &User, errors: &Errors, banner: Option<&str>) -> Markup {
    let hint = format!(
        "At least {} characters: a few unrelated words make a long password that is easy to remember. \
         Not one of the commonest passwords, and not your username.",
        passwords::MIN_CHARS
    );
    let new = Attrs { autocomplete: Some("new-password"), ..Attrs::NONE };
    html! {
        h1 { "Change your password" }
        (notice(banner))
        (errors.summary())
        form method="post" action="/account/password" novalidate {
            (crate::html::csrf_input(user))
            (errors.input("password", "current", "Your current password", "", "", Attrs { autocomplete: Some("current-password"), ..Attrs::NONE }))
            (errors.input("password", "new", "New password", &hint, "", new))
            (errors.input("password", "confirm", "The new password again", "", "", new))
            button type="submit" { "Change the password" }
        }
    }
}

pub async fn page(user: User, Query(q): Query<Done>) -> Response {
    let banner =
        q.done.as_deref().and_then(Notice::parse).filter(|n| *n == Notice::PasswordChanged).map(|n| n.text(None));
    render(&user, "Change your password", form_page(&user, &Errors::default(), banner.as_deref())).into_response()
}

pub async fn change(State(state): State<WebState>, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let errors = check(&state, &user, &form).await?;
    if !errors.is_empty() {
        let page = render(&user, "Change your password", form_page(&user, &errors, None));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let new = form.get("new").to_string();
    let (id, me, keep) = (user.account.id, user.username().to_string(), user.token_hash.clone());
    let hash = hash_new(new).await?;
    // The session it was changed in stays; every other session of the account ends.
    let change = AccountChange::Password { hash, keep_session: Some(keep) };
    state.run(move |store, now| Ok(store.change_account(id, &change, &me, now)?)).await?;
    Ok(Redirect::to(&format!("/account/password?done={}", Notice::PasswordChanged.key())).into_response())
}

/// The form's mistakes, field by field; the current password is checked last (a hash).
async fn check(state: &WebState, user: &User, form: &FormData) -> Result<Errors, WebError> {
    let mut errors = Errors::default();
    let (current, new) = (form.get("current").to_string(), form.get("new"));
    if current.is_empty() {
        errors.add("current", "Enter your current password");
    }
    if let Err(why) = passwords::check(new, user.username()) {
        errors.add("new", capitalised(&why));
    } else if form.get("confirm") != new {
        errors.add("confirm", "The two new passwords are not the same");
    }
    if errors.is_empty() {
        let id = user.account.id;
        let phc = state.run(move |store, _| Ok(store.account(id)?.password_hash)).await?;
        if !verify(current, phc).await? {
            errors.add("current", "Your current password is not right");
        }
    }
    Ok(errors)
}

/// Checks a password on a blocking thread, in a turn of the bounded hashing pool.
pub(crate) async fn verify(password: String, phc: String) -> Result<bool, WebError> {
    tokio::task::spawn_blocking(move || secrets::verify_password_bounded(&password, &phc, secrets::HASH_WAIT))
        .await
        .map_err(|e| WebError::Internal(format!("the password check did not finish: {e}")))?
        .map_err(|_| WebError::Unavailable("too many passwords are being checked".into()))
}

/// Hashes a new password on a blocking thread, in a turn of the pool.
pub(crate) async fn hash_new(password: String) -> Result<String, WebError> {
    tokio::task::spawn_blocking(move || secrets::hash_password(&password))
        .await
        .map_err(|e| WebError::Internal(format!("the password hash did not finish: {e}")))
}

/// A rule's words as an error message: the first letter capitalised.
pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
