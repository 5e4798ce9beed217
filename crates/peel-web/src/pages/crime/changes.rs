//! Changing what a crime is as its investigation moves (issue 10 §3): its flags, its offence
//! (asked for with a Counting Rules reason, decided by the registrar) and its links to other
//! crimes, with the page of a linked series.
//!
//! Who: those who work the crime (officers, supervisors) and the registrar change flags, ask
//! for a reclassification and link crimes; only the registrar (and the administrator)
//! decides a reclassification: the Force Crime Registrar is the final arbiter of
//! classification under the Counting Rules.

use super::{can_see, failed_with, hidden, Failed, Form};
use crate::auth::{Role, User};
use crate::form::PostForm;
use crate::html::{self, Attrs, Errors};
use crate::pages::{render, CrimeId, Notice, PathId};
use crate::{WebError, WebState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, Render};
use peel_domain::recording::{LINK_KINDS, RECLASSIFICATION_REASONS};
use peel_http::CaseStore;
use peel_store::casework::CrimeFile;
use peel_store::changes::{CrimeLink, Reclassification};
use peel_store::StoreError;
use std::collections::HashMap;

/// Whether the user changes a crime's flags, asks for its reclassification and links it.
pub(crate) fn changes_crimes(user: &User) -> bool {
    matches!(user.role, Role::Officer | Role::Supervisor | Role::Registrar | Role::Admin)
}

/// Whether the user decides reclassifications.
pub(crate) fn decides_reclassification(user: &User) -> bool {
    matches!(user.role, Role::Registrar | Role::Admin)
}

/// A reason's words.
pub(crate) fn reclassification_reason(word: &str) -> &str {
    RECLASSIFICATION_REASONS.iter().find(|(w, _)| *w == word).map_or(word, |(_, d)| d)
}

fn link_label(kind: &str) -> &str {
    LINK_KINDS.iter().find(|(k, _)| *k == kind).map_or(kind, |(_, l)| l)
}

/// The crime page's section: flags, offence and links, with their forms.
#[allow(clippy::too_many_arguments)]
pub(crate) fn section(
    user: &User,
    file: &CrimeFile,
    reclassifications: &[Reclassification],
    links: &[CrimeLink],
    staff: &HashMap<String, String>,
    failed: &Option<Failed>,
) -> Markup {
    let c = &file.crime;
    let may = changes_crimes(user) && c.status == "recorded";
    let (fe, ff) = Failed::of(failed, Form::Flags);
    let (re, rf) = Failed::of(failed, Form::Reclassify);
    let (le, lf) = Failed::of(failed, Form::Link);
    let flags_on: Vec<&str> =
        if ff.0.is_empty() { c.flags.iter().map(String::as_str).collect() } else { ff.all("flags") };
    let pending = reclassifications.iter().find(|r| r.status == "pending");
    let reasons: Vec<(String, String)> = std::iter::once((String::new(), "Choose the reason".to_string()))
        .chain(RECLASSIFICATION_REASONS.iter().map(|(w, d)| (w.to_string(), d.to_string())))
        .collect();
    let kinds: Vec<(String, String, String)> =
        LINK_KINDS.iter().map(|(k, l)| (k.to_string(), l.to_string(), String::new())).collect();
    let kind = if lf.0.is_empty() { "series".to_string() } else { lf.get("kind").to_string() };
    let named = |u: &str| crate::pages::named(staff, u).to_string();
    html! {
        h2 id="links" { "Linked crimes" }
        @if links.is_empty() {
            p { "Not linked to another crime." }
        } @else {
            p { a href={ "/crimes/" (c.reference) "/links" } { "The whole series of linked crimes" } }
            (html::table(
                "Linked crimes",
                &["Crime", "Link", "Note", "Linked by", ""],
                &links.iter().map(|l| vec![
                    html! { a href={ "/crimes/" (l.other_reference) } { (l.other_reference) } },
                    link_label(&l.kind).render(),
                    l.note.as_deref().unwrap_or("").render(),
                    html! { (named(&l.linked_by)) br; (html::when(l.linked_at)) },
                    if may {
                        html! {
                            form method="post" action={ "/crimes/" (c.id) "/links/remove" } {
                                (html::csrf_input(user))
                                input type="hidden" name="link" value=(l.id);
                                button type="submit" class="small secondary" { "Remove link" span class="skip" { " to " (l.other_reference) } }
                            }
                        }
                    } else { html! {} },
                ]).collect::<Vec<_>>(),
                "",
            ))
        }
        @if may {
            details id="link" open[!le.is_empty()] {
                summary { "Link to another crime" }
                form method="post" action={ "/crimes/" (c.id) "/links" } novalidate {
                    (html::csrf_input(user))
                    (le.input("text", "other", "The other crime's reference", "For example CRM-2026-000123", lf.get("other"), Attrs { autocapitalize: Some("characters"), ..Attrs::NONE }))
                    (le.choices("radio", "kind", "How they are linked", &kinds, &[kind.as_str()]))
                    (le.input("text", "note", "Note", "Optional: what links them", lf.get("note"), Attrs::NONE))
                    button type="submit" { "Link the crimes" }
                }
            }
        }
        h2 id="reclassify" { "Offence" }
        @for r in reclassifications {
            p {
                (match r.status.as_str() { "pending" => "Waiting for the registrar: ", "approved" => "Reclassified: ", _ => "Refused: " })
                (peel_casework::offence_label(&r.from_code)) " → " (peel_casework::offence_label(&r.details.to_code))
                " (" (reclassification_reason(&r.details.reason)) ": " (r.details.detail) "; asked by " (named(&r.details.requested_by))
                ", " (html::when(r.requested_at))
                @if let (Some(by), Some(at)) = (&r.decided_by, r.decided_at) { "; decided by " (named(by)) ", " (html::when(at)) }
                @if let Some(n) = r.note.as_deref().filter(|n| !n.is_empty()) { ": " (n) }
                ")"
            }
        }
        @if let Some(p) = pending.filter(|_| decides_reclassification(user)) {
            form method="post" action={ "/crimes/" (c.id) "/reclassification/decision" } {
                (html::csrf_input(user))
                input type="hidden" name="reclassification" value=(p.id);
                (re.input("text", "note", "Your note", "Optional", "", Attrs::NONE))
                button type="submit" name="decision" value="approve" { "Approve the reclassification" }
                " "
                button type="submit" name="decision" value="refuse" class="secondary" { "Refuse it" }
            }
        }
        @if may && pending.is_none() {
            details id="reclassify-form" open[!re.is_empty()] {
                summary { "Reclassify the offence" }
                form method="post" action={ "/crimes/" (c.id) "/reclassification" } novalidate {
                    (hidden(user, c.version))
                    (re.input("text", "to_code", "The offence it should be", "The Home Office offence code, for example 8N", rf.get("to_code"), Attrs { autocapitalize: Some("characters"), ..Attrs::NONE }))
                    (re.select("reason", "Why (Counting Rules)", &reasons, rf.get("reason")))
                    (re.input("text", "detail", "What it rests on", "", rf.get("detail"), Attrs::NONE))
                    button type="submit" { @if decides_reclassification(user) { "Reclassify" } @else { "Ask the registrar" } }
                }
            }
        }
        @if may {
            details id="flags" open[!fe.is_empty()] {
                summary { "Change the flags" }
                form method="post" action={ "/crimes/" (c.id) "/flags" } novalidate {
                    (hidden(user, c.version))
                    (fe.choices("checkbox", "flags", "Flags", &crate::pages::registrar::flag_choices(), &flags_on))
                    button type="submit" { "Save the flags" }
                }
            }
        }
    }
}

/// A store refusal as the form's problem, or an error page.
fn problem_of(e: StoreError, field: &str) -> Result<(String, String), WebError> {
    match e {
        StoreError::Invalid(m) => {
            let (f, m) =
                m.split_once(": ").map_or((field.to_string(), m.clone()), |(f, m)| (f.to_string(), m.to_string()));
            Ok((f, m))
        }
        StoreError::Refused(m) => Ok((field.to_string(), m)),
        StoreError::Conflict { .. } => Ok((
            field.to_string(),
            "Someone else changed this crime since you opened it: reload the page and try again.".into(),
        )),
        other => Err(other.into()),
    }
}

/// Runs a change on crime `id` if the user may see it; back to the page at `anchor` with
/// `done`, or the page again with the form's problem.
async fn change(
    state: &WebState,
    user: &User,
    id: i64,
    (which, field): (Form, &'static str),
    form: crate::form::FormData,
    (done, anchor): (Notice, &'static str),
    write: impl FnOnce(&mut dyn CaseStore, &User, peel_domain::date::Timestamp) -> Answer + Send + 'static,
) -> Result<Response, WebError> {
    if !changes_crimes(user) {
        return Err(WebError::Forbidden("Your account does not change crimes.".into()));
    }
    let u = user.clone();
    let answer = state
        .run(move |store, now| {
            let file = store.crime(id)?;
            if !can_see(store, &u, &file)? {
                return Err(WebError::Forbidden("This crime is not yours or your team's.".into()));
            }
            Ok(write(store, &u, now)?.err().map(|(f, m)| (if f.is_empty() { field.to_string() } else { f }, m)))
        })
        .await?;
    match answer {
        None => Ok(Redirect::to(&format!("/crimes/{id}?done={}#{anchor}", done.key())).into_response()),
        Some((f, m)) => {
            let mut errors = Errors::default();
            errors.add(&f, m);
            failed_with(state, user, id, Failed { form: which, errors, data: form }, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
    }
}

/// What a change's write answers: done, or the form's problem (field, message); an error
/// page for what no form can fix.
type Answer = Result<Result<(), (String, String)>, WebError>;

/// A store error as the form's problem at `field`, or an error page.
fn refused(e: StoreError, field: &str) -> Answer {
    problem_of(e, field).map(Err)
}

fn written<T>(r: Result<T, StoreError>, field: &str) -> Answer {
    match r {
        Ok(_) => Ok(Ok(())),
        Err(e) => refused(e, field),
    }
}

fn said(field: &str, message: impl Into<String>) -> Answer {
    Ok(Err((field.to_string(), message.into())))
}

pub async fn set_flags(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let flags: Vec<String> = form.all("flags").into_iter().map(str::to_string).collect();
    let v = form.get("version").parse::<i64>().unwrap_or(-1);
    change(&state, &user, id, (Form::Flags, "flags"), form, (Notice::FlagsChanged, "flags"), move |store, u, now| {
        written(store.set_flags(id, v, &flags, u.username(), now), "flags")
    })
    .await
}

pub async fn reclassify(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let input = peel_casework::ReclassifyInput {
        version: form.get("version").parse().unwrap_or(-1),
        to_code: form.get("to_code").trim().to_string(),
        reason: form.get("reason").to_string(),
        detail: form.get("detail").to_string(),
    };
    let decides = decides_reclassification(&user);
    let done = if decides { Notice::Reclassified } else { Notice::ReclassificationAsked };
    change(&state, &user, id, (Form::Reclassify, "to_code"), form, (done, "reclassify"), move |store, u, now| {
        match peel_casework::reclassify(store, id, &input, u.username(), decides, now) {
            Ok(_) => Ok(Ok(())),
            Err(peel_casework::CaseError::Invalid(f)) => said(f.field, f.message),
            Err(peel_casework::CaseError::Store(e)) => refused(e, "to_code"),
        }
    })
    .await
}

pub async fn decide_reclassification(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !decides_reclassification(&user) {
        return Err(WebError::Forbidden("Only the crime registrar decides a reclassification.".into()));
    }
    let which: i64 = form
        .get("reclassification")
        .parse()
        .map_err(|_| WebError::BadRequest("the form names no reclassification".into()))?;
    let approve = match form.get("decision") {
        "approve" => true,
        "refuse" => false,
        _ => return Err(WebError::BadRequest("decision: approve or refuse".into())),
    };
    let note = form.get("note").trim().to_string();
    change(
        &state,
        &user,
        id,
        (Form::Reclassify, "note"),
        form,
        (Notice::Reclassified, "reclassify"),
        move |store, u, now| {
            let r = store.reclassifications(id)?.into_iter().find(|r| r.id == which);
            if r.is_none() {
                return Err(WebError::NotFound("There is no such reclassification of this crime.".into()));
            }
            written(store.decide_reclassification(which, approve, &note, u.username(), now), "note")
        },
    )
    .await
}

pub async fn link(State(state): State<WebState>, PathId(id): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let other = form.get("other").trim().to_string();
    let kind = form.get("kind").to_string();
    let note = form.opt("note");
    change(&state, &user, id, (Form::Link, "other"), form, (Notice::Linked, "links"), move |store, u, now| {
        let Some(reference) = peel_casework::search::reference_of(&other).filter(|r| r.starts_with("CRM-")) else {
            return said("other", "Enter the other crime's reference, for example CRM-2026-000123");
        };
        let Some(("crime", other_id)) = store.find_reference(&reference)? else {
            return said("other", format!("There is no crime {reference}"));
        };
        written(store.link_crimes(id, other_id, &kind, note.as_deref(), u.username(), now), "other")
    })
    .await
}

pub async fn unlink(State(state): State<WebState>, PathId(id): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let link: i64 = form.get("link").parse().map_err(|_| WebError::BadRequest("the form names no link".into()))?;
    change(&state, &user, id, (Form::Link, "other"), form, (Notice::Unlinked, "links"), move |store, u, now| {
        if !store.links_of(id)?.iter().any(|l| l.id == link) {
            return Err(WebError::NotFound("This crime has no such link.".into()));
        }
        written(store.unlink_crimes(link, u.username(), now), "other")
    })
    .await
}

/// The series page: every crime joined to this one by links, within the user's scope in full,
/// others by reference only.
pub async fn series(State(state): State<WebState>, user: User, CrimeId(id): CrimeId) -> Result<Response, WebError> {
    let u = user.clone();
    let (reference, rows, shown) = state
        .run(move |store, _| {
            let file = store.crime(id)?;
            if !can_see(store, &u, &file)? {
                return Err(WebError::Forbidden("This crime is not yours or your team's, so you cannot see it.".into()));
            }
            let mut rows = Vec::new();
            let mut shown = Vec::new();
            let mut people = Vec::new();
            for other in store.linked_series(id)? {
                let f = store.crime(other)?;
                let c = &f.crime;
                if can_see(store, &u, &f)? {
                    shown.push(other);
                    let victims: Vec<&str> =
                        f.people.iter().filter(|p| p.role == "victim").map(|p| p.person.details.name.as_str()).collect();
                    people.extend(f.people.iter().filter(|p| p.role == "victim").map(|p| p.person.id));
                    rows.push(vec![
                        html! { a href={ "/crimes/" (c.reference) } { (c.reference) } @if other == id { " (this crime)" } },
                        peel_casework::offence_label(&c.offence_code).render(),
                        html::when(c.recorded_at).render(),
                        victims.join(", ").render(),
                        c.team.as_deref().unwrap_or("").render(),
                        c.outcome.as_deref().map(peel_casework::outcome_label).unwrap_or_else(|| "open".into()).render(),
                    ]);
                } else {
                    rows.push(vec![
                        c.reference.render(),
                        html! { span class="hint" { "Another team's crime: ask its officer" } },
                        html!{}, html!{}, c.team.as_deref().unwrap_or("").render(), html!{},
                    ]);
                }
            }
            Ok((file.crime.reference, rows, (shown, people)))
        })
        .await?;
    let body = html! {
        h1 { "Crimes linked to " (reference) }
        p { "Every crime joined to " a href={ "/crimes/" (reference) } { (reference) } " by links (a series, a duplicate, the same offender), directly or through another, oldest record first." }
        (html::table("The linked crimes", &["Crime", "Offence", "Recorded", "Victims", "Team", "Outcome"], &rows, "No linked crimes."))
    };
    let (crimes, people) = shown;
    let shown = crate::access_log::Disclosed::list("crime", crimes).and("person", people).by(user.username());
    Ok((shown, render(&user, &format!("Crimes linked to {reference}"), body)).into_response())
}
