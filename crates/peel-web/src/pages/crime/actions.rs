//! What the crime page's forms do, besides logging a contact: set the outcome, add evidence
//! and mark it secured, add a person, record an investigation event, reallocate, reopen,
//! cancel the record, ask for it to be cancelled, refuse such a request. Each checks the
//! role and the crime's scope, calls the casework service, and either goes back to the page
//! with a notice or shows the page again with the form's error and what was typed.

use super::{
    can_investigate, can_see, decides_cancellations, failed, failed_with, may_request_cancellation, problem,
    reallocates, reviews_investigations, stale, Failed, Form, Problem, DECISION_MAKER, EVIDENCE_KINDS,
};
use crate::auth::User;
use crate::form::{FormData, PostForm};
use crate::html::Errors;
use crate::pages::{Notice, PathId};
use crate::{WebError, WebState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use peel_casework::{
    CancelInput, CancelRequestInput, CaseError, EventInput, EvidenceInput, OutcomeInput, PersonInput, ReallocateInput,
    ReopenInput, ReviewInput, SecureInput,
};
use peel_domain::date::{Date, Timestamp};
use peel_http::CaseStore;
use peel_store::casework::{CrimeFile, PersonDetails, PersonRef};

/// The crime's version the form was filled in on: every form that changes the crime has it.
fn version(form: &FormData) -> Result<i64, WebError> {
    form.get("version").parse().map_err(|_| WebError::BadRequest("the form has no version of the crime".into()))
}

fn back(id: i64, done: Notice, anchor: &str) -> Response {
    Redirect::to(&format!("/crimes/{id}?done={}#{anchor}", done.key())).into_response()
}

/// Runs a form's write on crime `id` if the crime is in the user's scope (403 if not), then
/// goes back to the page with the notice `done` at `anchor`, or shows the page again with
/// `form` and the problem the write reports.
async fn write_on_crime(
    state: &WebState,
    user: &User,
    id: i64,
    which: Form,
    form: FormData,
    (done, anchor): (Notice, &'static str),
    write: impl FnOnce(&mut dyn CaseStore, &CrimeFile, &User, Timestamp) -> Result<Option<Problem>, WebError>
        + Send
        + 'static,
) -> Result<Response, WebError> {
    let u = user.clone();
    let result = state
        .run(move |store, now| {
            let file = store.crime(id)?;
            if !can_see(store, &u, &file)? {
                return Err(WebError::Forbidden("This crime is not yours or your team's.".into()));
            }
            write(store, &file, &u, now)
        })
        .await?;
    match result {
        None => Ok(back(id, done, anchor)),
        Some(p) => failed(state, user, id, which, form, p).await,
    }
}

/// The service's answer as a form's: done, or the problem it names (see [`problem`]).
fn answered<T>(
    done: Result<T, CaseError>,
    fallback: &str,
    field: impl Fn(&str) -> Option<&'static str>,
) -> Result<Option<Problem>, WebError> {
    match done {
        Ok(_) => Ok(None),
        Err(e) => problem(e, fallback, field).map(Some),
    }
}

pub async fn set_outcome(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !can_investigate(&user) {
        return Err(WebError::Forbidden(
            "Only the investigating officer, a supervisor or an administrator sets a crime's outcome.".into(),
        ));
    }
    let version = version(&form)?;
    let mut errors = Errors::default();
    let outcome = form.get("outcome").trim().to_string();
    if outcome.is_empty() {
        errors.add("outcome", "Choose an outcome");
    } else if outcome == "0" {
        errors.add("outcome", "Outcome 0 means no outcome yet: choose one of 1 to 22");
    }
    let suspect_age = match form.opt("suspect_age") {
        None => None,
        Some(a) => match a.parse::<u32>() {
            Ok(n) if n < 130 => Some(n),
            _ => {
                errors.add("suspect_age", "Enter the age in whole years, for example 17");
                None
            }
        },
    };
    if !errors.is_empty() {
        let failed = Failed { form: Form::Outcome, errors, data: form };
        return failed_with(&state, &user, id, failed, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let input = OutcomeInput {
        version,
        outcome,
        suspect_identified: match form.get("suspect_identified") {
            "yes" => Some(true),
            "no" => Some(false),
            // Left to the service: whether the crime has a suspect on it.
            _ => None,
        },
        suspect_age,
        admission: form.get("admission") == "yes",
    };
    write_on_crime(&state, &user, id, Form::Outcome, form, (Notice::OutcomeSet, "outcome"), move |store, _, u, now| {
        answered(peel_casework::set_outcome(store, id, &input, u.username(), now), "outcome", |f| match f {
            "suspect_identified" => Some("suspect_identified"),
            "suspect_age" => Some("suspect_age"),
            "admission" => Some("admission"),
            _ => None,
        })
    })
    .await
}

pub async fn add_evidence(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !can_investigate(&user) {
        return Err(WebError::Forbidden(
            "Only the investigating officer, a supervisor or an administrator adds evidence to a crime.".into(),
        ));
    }
    let version = version(&form)?;
    let mut errors = Errors::default();
    let kind = form.get("kind").to_string();
    if !EVIDENCE_KINDS.iter().any(|(k, _)| *k == kind) {
        errors.add("kind", "Choose the kind of evidence");
    }
    let description = form.get("description").trim().to_string();
    if description.is_empty() {
        errors.add("description", "Say what the evidence is and where it is");
    }
    let deadline = form.opt("deadline");
    if deadline.as_deref().is_some_and(|d| Date::parse(d).is_err()) {
        errors.add("deadline", "Enter the date as year, month and day, for example 2026-12-21");
    }
    if !errors.is_empty() {
        let failed = Failed { form: Form::Evidence, errors, data: form };
        return failed_with(&state, &user, id, failed, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let input = EvidenceInput { kind, description, deadline };
    write_on_crime(
        &state,
        &user,
        id,
        Form::Evidence,
        form,
        (Notice::EvidenceAdded, "evidence"),
        move |store, file, u, now| {
            if let Some(p) = unchanged(file, version, "description") {
                return Ok(Some(p));
            }
            answered(peel_casework::add_evidence(store, id, &input, u.username(), now), "description", |f| match f {
                "kind" => Some("kind"),
                "deadline" => Some("deadline"),
                _ => None,
            })
        },
    )
    .await
}

/// The decision maker cancels the crime. A request waiting on the crime is answered by the
/// same write, so that it leaves the registrar's list as the crime is cancelled.
pub async fn cancel(State(state): State<WebState>, PathId(id): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !decides_cancellations(&user) {
        // Home Office Counting Rules, General Rules section C: only a designated decision
        // maker cancels a recorded crime.
        return Err(WebError::Forbidden(
            "Only a designated decision maker (the crime registrar) may cancel a crime record. You can ask for it to \
             be cancelled instead: the form is on the crime's page."
                .into(),
        ));
    }
    let version = version(&form)?;
    if form.get("reason").is_empty() {
        let p =
            ("reason".to_string(), "Choose the reason for cancelling".to_string(), StatusCode::UNPROCESSABLE_ENTITY);
        return failed(&state, &user, id, Form::Cancel, form, p).await;
    }
    let input = CancelInput {
        version,
        reason: form.get("reason").to_string(),
        detail: form.get("detail").trim().to_string(),
        role: DECISION_MAKER.to_string(),
        actor: user.username().to_string(),
    };
    write_on_crime(&state, &user, id, Form::Cancel, form, (Notice::CrimeCancelled, "main"), move |store, _, _, now| {
        answered(peel_casework::cancel_crime(store, id, &input, now), "reason", |f| (f == "detail").then_some("detail"))
    })
    .await
}

/// An officer or supervisor asks a decision maker to cancel the crime.
pub async fn request_cancellation(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !may_request_cancellation(&user) {
        return Err(if decides_cancellations(&user) {
            WebError::Forbidden("You decide cancellations: cancel the crime with the form on its page.".into())
        } else {
            WebError::forbidden()
        });
    }
    let version = version(&form)?;
    if form.get("reason").is_empty() {
        let p =
            ("reason".to_string(), "Choose the reason for cancelling".to_string(), StatusCode::UNPROCESSABLE_ENTITY);
        return failed(&state, &user, id, Form::Request, form, p).await;
    }
    let input =
        CancelRequestInput { version, reason: form.get("reason").to_string(), detail: form.get("detail").to_string() };
    write_on_crime(
        &state,
        &user,
        id,
        Form::Request,
        form,
        (Notice::CancellationRequested, "cancellation"),
        move |store, _, u, now| {
            let asked = peel_casework::request_cancellation(store, id, &input, u.username(), now);
            answered(asked, "reason", |f| (f == "detail").then_some("detail"))
        },
    )
    .await
}

/// The decision maker refuses a request; the crime stays recorded.
pub async fn refuse_cancellation(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !decides_cancellations(&user) {
        return Err(WebError::Forbidden("Only a designated decision maker answers a cancellation request.".into()));
    }
    let request: i64 =
        form.get("request").parse().map_err(|_| WebError::BadRequest("the form does not name the request".into()))?;
    if form.get("note").trim().is_empty() {
        let p = (
            "note".to_string(),
            "Say why the request is refused, for the officer who asked".to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
        return failed(&state, &user, id, Form::Refuse, form, p).await;
    }
    let note = form.get("note").to_string();
    write_on_crime(
        &state,
        &user,
        id,
        Form::Refuse,
        form,
        (Notice::CancellationRefused, "cancellation"),
        move |store, _, u, now| {
            // The request named must be this crime's, or the page would answer another crime's.
            if !store.cancel_requests(id)?.iter().any(|r| r.id == request) {
                return Err(WebError::NotFound("This crime has no such cancellation request.".into()));
            }
            let refused =
                peel_casework::refuse_cancellation_request(store, request, DECISION_MAKER, &note, u.username(), now);
            answered(refused, "note", |_| None)
        },
    )
    .await
}

/// An investigation plan (the investigating officer, their supervisor) or a supervisor's
/// review, which sets the next review date. Plans and reviews are added, never changed, so
/// the crime's version is not asked for.
pub async fn add_review(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let kind = form.get("kind").to_string();
    let allowed = match kind.as_str() {
        "review" => reviews_investigations(&user),
        _ => can_investigate(&user),
    };
    if !allowed {
        return Err(WebError::Forbidden(
            "Investigation plans are written by the officer or a supervisor; reviews by a supervisor.".into(),
        ));
    }
    let input = ReviewInput {
        kind: kind.clone(),
        text: form.get("text").to_string(),
        next_review_due: if kind == "review" { form.opt("next_review_due") } else { None },
    };
    let done = if kind == "review" { Notice::ReviewRecorded } else { Notice::PlanRecorded };
    write_on_crime(&state, &user, id, Form::Review, form, (done, "reviews"), move |store, file, u, now| {
        if file.crime.status != "recorded" || file.crime.outcome.is_some() {
            let m = format!("Crime {} is closed: it needs no more plans or reviews.", file.crime.reference);
            return Ok(Some(("text".into(), m, StatusCode::CONFLICT)));
        }
        answered(peel_casework::add_review(store, id, &input, u.username(), now), "text", |f| match f {
            "kind" => Some("kind"),
            "next_review_due" => Some("next_review_due"),
            _ => None,
        })
    })
    .await
}

pub async fn add_person(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !can_investigate(&user) {
        return Err(WebError::Forbidden(
            "Only the investigating officer, a supervisor or an administrator adds people to a crime.".into(),
        ));
    }
    let version = version(&form)?;
    let mut errors = Errors::default();
    let role = form.get("role").to_string();
    if !super::PERSON_ROLES.iter().any(|(r, _)| *r == role) {
        errors.add("role", "Choose whether they are a suspect, a witness or another victim");
    }
    let name = form.get("name").trim().to_string();
    if name.is_empty() {
        errors.add("name", "Enter their full name");
    } else if name.chars().count() > 200 {
        errors.add("name", "Enter the name in at most 200 characters");
    }
    let date_of_birth = form.opt("date_of_birth");
    if date_of_birth.as_deref().is_some_and(|d| Date::parse(d).is_err()) {
        errors.add("date_of_birth", "Enter the date as year, month and day, for example 1990-05-01");
    }
    if !errors.is_empty() {
        let failed = Failed { form: Form::Person, errors, data: form };
        return failed_with(&state, &user, id, failed, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let input = PersonInput {
        person: PersonRef::New(PersonDetails { name, date_of_birth, ..Default::default() }),
        role,
        enhanced: false,
    };
    write_on_crime(
        &state,
        &user,
        id,
        Form::Person,
        form,
        (Notice::PersonAdded, "people"),
        move |store, file, u, now| {
            if let Some(p) = unchanged(file, version, "name") {
                return Ok(Some(p));
            }
            answered(peel_casework::add_person(store, id, &input, u.username(), now), "name", |f| match f {
                "role" => Some("role"),
                "person" => Some("name"),
                _ => None,
            })
        },
    )
    .await
}

pub async fn record_event(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !can_investigate(&user) {
        return Err(WebError::Forbidden(
            "Only the investigating officer, a supervisor or an administrator records investigation events.".into(),
        ));
    }
    let version = version(&form)?;
    let mut errors = Errors::default();
    let event = form.get("event").to_string();
    if peel_domain::victims_code::Event::parse(&event).is_err() {
        errors.add("event", "Choose what happened");
    }
    let on = form.opt("on");
    if on.as_deref().is_some_and(|d| Date::parse(d).is_err()) {
        errors.add("on", "Enter the date as year, month and day, for example 2026-12-21");
    }
    if !errors.is_empty() {
        let failed = Failed { form: Form::Event, errors, data: form };
        return failed_with(&state, &user, id, failed, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let input = EventInput { event, on };
    write_on_crime(
        &state,
        &user,
        id,
        Form::Event,
        form,
        (Notice::EventRecorded, "obligations"),
        move |store, file, u, now| {
            if let Some(p) = unchanged(file, version, "event") {
                return Ok(Some(p));
            }
            if let Some(on) = input.on.as_deref().and_then(|d| Date::parse(d).ok()) {
                if on > now.date() {
                    return Ok(Some(("on".into(), format!("{on} is in the future"), StatusCode::UNPROCESSABLE_ENTITY)));
                }
            }
            answered(peel_casework::record_event(store, id, &input, u.username(), now), "event", |f| match f {
                "on" => Some("on"),
                _ => None,
            })
        },
    )
    .await
}

/// A form that does not change the crime record itself (evidence, a person, an event) still
/// names the version it was filled in on: the store does not check it, the page does, so that
/// nothing is added to a crime finalised or cancelled meanwhile, unseen.
fn unchanged(file: &CrimeFile, version: i64, field: &str) -> Option<Problem> {
    if file.crime.version != version {
        return Some((field.into(), stale(), StatusCode::CONFLICT));
    }
    if file.crime.status != "recorded" {
        return Some((
            field.into(),
            format!("Crime {} is cancelled: nothing more is added to it.", file.crime.reference),
            StatusCode::CONFLICT,
        ));
    }
    None
}

pub async fn reallocate(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !reallocates(&user) {
        return Err(WebError::Forbidden("Only a supervisor or an administrator reallocates a crime.".into()));
    }
    let version = version(&form)?;
    let input = ReallocateInput { version, team: form.get("team").to_string(), officer: form.opt("officer") };
    write_on_crime(
        &state,
        &user,
        id,
        Form::Allocation,
        form,
        (Notice::Reallocated, "allocation"),
        move |store, _, u, now| {
            answered(peel_casework::reallocate(store, id, &input, u.username(), now), "team", |f| match f {
                "team" => Some("team"),
                "officer" => Some("officer"),
                _ => None,
            })
        },
    )
    .await
}

pub async fn reopen(State(state): State<WebState>, PathId(id): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !reallocates(&user) {
        return Err(WebError::Forbidden("Only a supervisor or an administrator reopens a finalised crime.".into()));
    }
    let version = version(&form)?;
    let input = ReopenInput { version, reason: form.get("reason").to_string() };
    write_on_crime(&state, &user, id, Form::Reopen, form, (Notice::Reopened, "outcome"), move |store, _, u, now| {
        answered(peel_casework::reopen(store, id, &input, u.username(), now), "reason", |f| match f {
            "reason" => Some("reason"),
            _ => None,
        })
    })
    .await
}

pub async fn secure_evidence(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !can_investigate(&user) {
        return Err(WebError::Forbidden(
            "Only the investigating officer, a supervisor or an administrator marks evidence secured.".into(),
        ));
    }
    let evidence: i64 =
        form.get("evidence").parse().map_err(|_| WebError::BadRequest("the form names no evidence".into()))?;
    let input = SecureInput { evidence, at: None };
    write_on_crime(
        &state,
        &user,
        id,
        Form::Evidence,
        form,
        (Notice::EvidenceSecured, "evidence"),
        move |store, _, u, now| {
            answered(peel_casework::secure_evidence(store, id, &input, u.username(), now), "description", |_| None)
        },
    )
    .await
}

/// Sets a task on the crime (issue 10 §4); the owner is told.
pub async fn add_task(State(state): State<WebState>, PathId(id): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !can_investigate(&user) {
        return Err(WebError::Forbidden("Only those who work the crime set its tasks.".into()));
    }
    let task = match crate::pages::tasks::task_of(&form, Some(id), None) {
        Ok(t) => t,
        Err(errors) => {
            let failed = Failed { form: Form::Task, errors, data: form };
            return failed_with(&state, &user, id, failed, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let u = user.clone();
    let refused = state
        .run(move |store, now| {
            let file = store.crime(id)?;
            if !can_see(store, &u, &file)? {
                return Err(WebError::Forbidden("This crime is not yours or your team's.".into()));
            }
            if let Some(errors) = crate::pages::tasks::check_owner(store, &task)? {
                return Ok(Some(errors));
            }
            match store.add_task(&task, u.username(), now) {
                Ok(_) => Ok(None),
                Err(e) => crate::pages::tasks::refused(e).map(Some),
            }
        })
        .await?;
    match refused {
        None => Ok(back(id, Notice::TaskSet, "tasks")),
        Some(errors) => {
            let failed = Failed { form: Form::Task, errors, data: form };
            failed_with(&state, &user, id, failed, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
