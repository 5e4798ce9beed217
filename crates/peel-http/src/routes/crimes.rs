//! `/api/crimes`: recorded crimes, the people on them, what victims are owed and are told,
//! evidence, outcomes and cancellation.

use crate::error::answers::{BadRequest, Conflict, Invalid, NotFound, ServerError, Unauthenticated, Unreadable};
use crate::{Actor, ApiError, ApiJson, AppState, Disclosed, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_casework::{
    CancelInput, ContactInput, EventInput, EvidenceInput, FraudTriageInput, FraudTriageResult, OutcomeInput,
    PersonInput, ReallocateInput, ReopenInput, ReviewInput, SecureInput,
};
use peel_domain::field_error::FieldError;
use peel_store::casework::{AuditEntry, Contact, Crime, CrimeFile, Evidence, Obligation, Person, Review};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A crime with everything on it
#[utoipa::path(
    get, path = "/api/crimes/{id}", tag = "crimes", operation_id = "getCrime",
    params(Id),
    responses(
        (status = 200, description = "OK", body = CrimeFile),
        BadRequest, NotFound, ServerError
    )
)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<(Disclosed, Json<CrimeFile>), ApiError> {
    Ok((Disclosed::read("crime", id), Json(state.run(move |store, _| Ok(store.crime(id)?)).await?)))
}

/// Add a victim, suspect or witness
///
/// A victim added later is owed every Victims' Code entitlement, dated from now.
#[utoipa::path(
    post, path = "/api/crimes/{id}/people", tag = "crimes", operation_id = "addPerson",
    params(Id), request_body = PersonInput,
    responses(
        (status = 201, description = "Created", body = Person),
        BadRequest, Unauthenticated, NotFound, Invalid, Unreadable, ServerError
    )
)]
pub async fn add_person(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<(StatusCode, Json<Person>), ApiError> {
    let person = state.run(move |store, now| Ok(peel_casework::add_person(store, id, &input, &actor, now)?)).await?;
    Ok((StatusCode::CREATED, Json(person)))
}

/// The Victims' Code obligations an event created, one per victim.
#[derive(Serialize, ToSchema)]
pub struct EventResult {
    /// The right-6 update owed to each victim.
    pub obligations: Vec<Obligation>,
}

/// Record an investigation event
///
/// Arrest, charge, release…: each victim is owed an update within 5 working days, 1 if
/// enhanced (Victims' Code right 6). Answers the obligations made.
#[utoipa::path(
    post, path = "/api/crimes/{id}/events", tag = "crimes", operation_id = "recordEvent",
    params(Id), request_body = EventInput,
    responses(
        (status = 201, description = "Created", body = EventResult),
        BadRequest, Unauthenticated, NotFound, Invalid, Unreadable, ServerError
    )
)]
pub async fn record_event(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<(StatusCode, Json<EventResult>), ApiError> {
    let obligations =
        state.run(move |store, now| Ok(peel_casework::record_event(store, id, &input, &actor, now)?)).await?;
    Ok((StatusCode::CREATED, Json(EventResult { obligations })))
}

/// Log a contact with a person
///
/// A contact may meet obligations (`meets`); an obligation is met once (409 after).
#[utoipa::path(
    post, path = "/api/crimes/{id}/contacts", tag = "crimes", operation_id = "logContact",
    params(Id), request_body = ContactInput,
    responses(
        (status = 201, description = "Created", body = Contact),
        BadRequest, Unauthenticated, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn log_contact(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<ContactInput>,
) -> Result<(StatusCode, Json<Contact>), ApiError> {
    let contact = state
        .run(move |store, now| {
            // A contact is with someone on the crime.
            let file = store.crime(id)?;
            if !file.people.iter().any(|p| p.person.id == input.person) {
                let message = format!("person {} is not on crime {}", input.person, file.crime.reference);
                return Err(FieldError::new("person", message).into());
            }
            Ok(peel_casework::log_contact(store, id, &input, &actor, now)?)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(contact)))
}

/// Add evidence to secure
#[utoipa::path(
    post, path = "/api/crimes/{id}/evidence", tag = "crimes", operation_id = "addEvidence",
    params(Id), request_body = EvidenceInput,
    responses(
        (status = 201, description = "Created", body = Evidence),
        BadRequest, Unauthenticated, NotFound, Invalid, Unreadable, ServerError
    )
)]
pub async fn add_evidence(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<EvidenceInput>,
) -> Result<(StatusCode, Json<Evidence>), ApiError> {
    let evidence =
        state.run(move |store, now| Ok(peel_casework::add_evidence(store, id, &input, &actor, now)?)).await?;
    Ok((StatusCode::CREATED, Json(evidence)))
}

/// Add an investigation plan or a supervisor's review
///
/// A plan is due within 2 days of recording; a review every 28 days while the crime is
/// open, or on the day the last review set (`next_review_due`, default 28 days on).
#[utoipa::path(
    post, path = "/api/crimes/{id}/reviews", tag = "crimes", operation_id = "addReview",
    params(Id), request_body = ReviewInput,
    responses(
        (status = 201, description = "Created", body = Review),
        BadRequest, Unauthenticated, NotFound, Invalid, Unreadable, ServerError
    )
)]
pub async fn add_review(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<ReviewInput>,
) -> Result<(StatusCode, Json<Review>), ApiError> {
    let review = state.run(move |store, now| Ok(peel_casework::add_review(store, id, &input, &actor, now)?)).await?;
    Ok((StatusCode::CREATED, Json(review)))
}

/// A crime's plans and reviews
///
/// Oldest first.
#[utoipa::path(
    get, path = "/api/crimes/{id}/reviews", tag = "crimes", operation_id = "crimeReviews",
    params(Id),
    responses(
        (status = 200, description = "OK", body = Vec<Review>),
        BadRequest, NotFound, ServerError
    )
)]
pub async fn reviews(State(state): State<AppState>, Id(id): Id) -> Result<(Disclosed, Json<Vec<Review>>), ApiError> {
    Ok((
        Disclosed::read("crime", id),
        Json(
            state
                .run(move |store, _| {
                    store.crime(id)?; // 404 for a crime that is not there, not an empty list
                    Ok(store.reviews(id)?)
                })
                .await?,
        ),
    ))
}

/// Triage a fraud victim for the Victim Care Unit
///
/// Romance fraud, aged 70 or over, or an NDM score above 15 of 35 (seed 002 §10) refers the
/// victim: the referral becomes an obligation due the next working day, with the reasons.
#[utoipa::path(
    post, path = "/api/crimes/{id}/fraud-triage", tag = "crimes", operation_id = "fraudTriage",
    params(Id), request_body = FraudTriageInput,
    responses(
        (status = 200, description = "OK", body = FraudTriageResult),
        BadRequest, Unauthenticated, NotFound, Invalid, Unreadable, ServerError
    )
)]
pub async fn fraud_triage(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<FraudTriageInput>,
) -> Result<Json<FraudTriageResult>, ApiError> {
    Ok(Json(state.run(move |store, now| Ok(peel_casework::fraud_triage(store, id, &input, &actor, now)?)).await?))
}

/// Finalise with a Home Office outcome
///
/// Allowed only if the outcome's rules hold on the facts given (e.g. a charge needs an
/// identified suspect: 422 `suspect_identified`). An outcome closing the case without
/// action owes each victim the right-6 update.
#[utoipa::path(
    post, path = "/api/crimes/{id}/outcome", tag = "crimes", operation_id = "setOutcome",
    params(Id), request_body = OutcomeInput,
    responses(
        (status = 200, description = "OK", body = Crime),
        BadRequest, Unauthenticated, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn set_outcome(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> Result<Json<Crime>, ApiError> {
    Ok(Json(state.run(move |store, now| Ok(peel_casework::set_outcome(store, id, &input, &actor, now)?)).await?))
}

/// Reallocate to a team and officer
///
/// Moves a recorded crime to one of the force's teams and, if given, an active officer's
/// account (422 `team` or `officer` otherwise); without an officer it waits in the team
/// unallocated. The version read must be the crime's (409 otherwise). A supervisor's or
/// administrator's decision; audited with the allocation before and after.
#[utoipa::path(
    post, path = "/api/crimes/{id}/allocation", tag = "crimes", operation_id = "reallocate",
    params(Id), request_body = ReallocateInput,
    responses(
        (status = 200, description = "OK", body = Crime),
        BadRequest, Unauthenticated, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn reallocate(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<ReallocateInput>,
) -> Result<Json<Crime>, ApiError> {
    Ok(Json(state.run(move |store, now| Ok(peel_casework::reallocate(store, id, &input, &actor, now)?)).await?))
}

/// Mark evidence secured
///
/// The item (`evidence`, its id on this crime) is marked secured at `at` (default now; 422
/// `at` in the future), once: 409 `refused` if it is secured already or not this crime's.
#[utoipa::path(
    post, path = "/api/crimes/{id}/evidence/secured", tag = "crimes", operation_id = "secureEvidence",
    params(Id), request_body = SecureInput,
    responses(
        (status = 200, description = "OK", body = Evidence),
        BadRequest, Unauthenticated, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn secure_evidence(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<SecureInput>,
) -> Result<Json<Evidence>, ApiError> {
    Ok(Json(state.run(move |store, now| Ok(peel_casework::secure_evidence(store, id, &input, &actor, now)?)).await?))
}

/// Reopen a finalised crime
///
/// Takes the outcome away so that the investigation goes on (new evidence, or an outcome
/// set in error): 422 `reason` without a reason; 409 `refused` for a crime without an outcome
/// or cancelled, `conflict` on a stale version. The outcome it had and the reason are in the
/// audit trail.
#[utoipa::path(
    post, path = "/api/crimes/{id}/reopen", tag = "crimes", operation_id = "reopen",
    params(Id), request_body = ReopenInput,
    responses(
        (status = 200, description = "OK", body = Crime),
        BadRequest, Unauthenticated, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn reopen(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<ReopenInput>,
) -> Result<Json<Crime>, ApiError> {
    Ok(Json(state.run(move |store, now| Ok(peel_casework::reopen(store, id, &input, &actor, now)?)).await?))
}

/// The cancellation request. `CancelInput` names the canceller in its `actor` field; over
/// HTTP the canceller is the acting user (the signed-in account), so `actor` may be left out, and if
/// given must be that user.
#[derive(Deserialize, ToSchema)]
pub struct CancelBody {
    /// The crime's version as read.
    version: i64,
    /// A cancellation reason of the Counting Rules: additional-verifiable-information,
    /// duplicate, outside-jurisdiction, part-of-another-crime.
    reason: String,
    /// What the reason needs, e.g. the reference of the crime a duplicate repeats.
    detail: String,
    /// The canceller's role: only a designated decision maker (ddm) or the Force Crime
    /// Registrar (fcr) may cancel.
    role: String,
    /// Optional: the canceller, who must be the acting user (the signed-in account).
    #[serde(default)]
    actor: Option<String>,
}

/// Cancel a recorded crime
///
/// Only for a reason in the Crime Recording Rules and only by a designated decision maker
/// or the Force Crime Registrar (`role` ddm or fcr; otherwise 422 `decided_by`). The
/// canceller is the acting user. A request waiting on the crime is answered by the same
/// write.
#[utoipa::path(
    post, path = "/api/crimes/{id}/cancel", tag = "crimes", operation_id = "cancelCrime",
    params(Id), request_body = CancelBody,
    responses(
        (status = 200, description = "OK", body = Crime),
        BadRequest, Unauthenticated, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(body): ApiJson<CancelBody>,
) -> Result<Json<Crime>, ApiError> {
    if let Some(named) = body.actor.as_deref().map(str::trim).filter(|a| !a.is_empty() && *a != actor) {
        return Err(FieldError::new(
            "actor",
            format!("'{named}' is not the acting user '{actor}' (the signed-in account)"),
        )
        .into());
    }
    let input = CancelInput { version: body.version, reason: body.reason, detail: body.detail, role: body.role, actor };
    // A request waiting on the crime is answered by the same write (peel_casework::cancel_crime).
    Ok(Json(state.run(move |store, now| Ok(peel_casework::cancel_crime(store, id, &input, now)?)).await?))
}

/// A crime's audit trail
///
/// Every change to the crime record (`entity` crime), oldest first; 404 for a crime that
/// does not exist.
#[utoipa::path(
    get, path = "/api/crimes/{id}/audit", tag = "crimes", operation_id = "crimeAudit",
    params(Id),
    responses(
        (status = 200, description = "OK", body = Vec<AuditEntry>),
        BadRequest, NotFound, ServerError
    )
)]
pub async fn audit(State(state): State<AppState>, Id(id): Id) -> Result<(Disclosed, Json<Vec<AuditEntry>>), ApiError> {
    let trail = state
        .run(move |store, _| {
            store.crime(id)?;
            Ok(store.audit_trail("crime", id)?)
        })
        .await?;
    Ok((Disclosed::read("crime", id), Json(trail)))
}
