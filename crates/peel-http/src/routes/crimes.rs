//! `/api/crimes`: recorded crimes, the people on them, what victims are owed and are told,
//! evidence, outcomes and cancellation.

use crate::{Actor, ApiError, ApiJson, AppState, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_casework::{
    CancelInput, ContactInput, EventInput, EvidenceInput, FraudTriageInput, FraudTriageResult, OutcomeInput,
    PersonInput, ReviewInput,
};
use peel_domain::field_error::FieldError;
use peel_store::casework::{AuditEntry, Contact, Crime, CrimeFile, Evidence, Obligation, Person, Review};
use serde::{Deserialize, Serialize};

pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Json<CrimeFile>, ApiError> {
    Ok(Json(state.run(move |store, _| Ok(store.crime(id)?)).await?))
}

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
#[derive(Serialize)]
pub struct EventResult {
    pub obligations: Vec<Obligation>,
}

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

pub async fn add_review(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<ReviewInput>,
) -> Result<(StatusCode, Json<Review>), ApiError> {
    let review = state.run(move |store, now| Ok(peel_casework::add_review(store, id, &input, &actor, now)?)).await?;
    Ok((StatusCode::CREATED, Json(review)))
}

pub async fn reviews(State(state): State<AppState>, Id(id): Id) -> Result<Json<Vec<Review>>, ApiError> {
    Ok(Json(
        state
            .run(move |store, _| {
                store.crime(id)?; // 404 for a crime that is not there, not an empty list
                Ok(store.reviews(id)?)
            })
            .await?,
    ))
}

pub async fn fraud_triage(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<FraudTriageInput>,
) -> Result<Json<FraudTriageResult>, ApiError> {
    Ok(Json(state.run(move |store, now| Ok(peel_casework::fraud_triage(store, id, &input, &actor, now)?)).await?))
}

pub async fn set_outcome(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> Result<Json<Crime>, ApiError> {
    Ok(Json(state.run(move |store, now| Ok(peel_casework::set_outcome(store, id, &input, &actor, now)?)).await?))
}

/// The cancellation request. `CancelInput` names the canceller in its `actor` field; over
/// HTTP the canceller is the acting user (`X-Peel-User`), so `actor` may be left out, and if
/// given must be that user.
#[derive(Deserialize)]
pub struct CancelBody {
    version: i64,
    reason: String,
    detail: String,
    role: String,
    #[serde(default)]
    actor: Option<String>,
}

pub async fn cancel(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(body): ApiJson<CancelBody>,
) -> Result<Json<Crime>, ApiError> {
    if let Some(named) = body.actor.as_deref().map(str::trim).filter(|a| !a.is_empty() && *a != actor) {
        return Err(
            FieldError::new("actor", format!("'{named}' is not the acting user '{actor}' (X-Peel-User)")).into()
        );
    }
    let input = CancelInput { version: body.version, reason: body.reason, detail: body.detail, role: body.role, actor };
    // A request waiting on the crime is answered by the same write (peel_casework::cancel_crime).
    Ok(Json(state.run(move |store, now| Ok(peel_casework::cancel_crime(store, id, &input, now)?)).await?))
}

/// The crime record's own audit trail (`entity` "crime"), oldest first; 404 for a crime
/// that does not exist.
pub async fn audit(State(state): State<AppState>, Id(id): Id) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let trail = state
        .run(move |store, _| {
            store.crime(id)?;
            Ok(store.audit_trail("crime", id)?)
        })
        .await?;
    Ok(Json(trail))
}
