//! Changing what a crime is as its investigation moves, as JSON (issue 10 §3): its flags, its
//! offence (asked for with a Counting Rules reason and decided by the registrar) and its links
//! to other crimes. The crime page does the same (`peel-web` `pages::crime::changes`), through
//! the same store calls, so that a machine client and a person meet the same rules.
//!
//! Who (peel-access `policy`): those who work the crime and the registrar change flags, ask
//! for a reclassification and link crimes, within the crime scope; only the registrar and the
//! administrator decide a reclassification (the Force Crime Registrar is the final arbiter of
//! classification under the Counting Rules), and theirs takes effect at once.

use crate::error::answers::{BadRequest, Conflict, Invalid, NotFound, ServerError, Unreadable};
use crate::extract::Id;
use crate::{Actor, ApiError, ApiJson, AppState, Disclosed};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_casework::ReclassifyInput;
use peel_domain::field_error::FieldError;
use peel_domain::role::Role;
use peel_store::casework::Crime;
use peel_store::changes::{CrimeLink, Reclassification};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A crime's flags, replaced.
#[derive(Deserialize, ToSchema)]
pub struct FlagsInput {
    /// The crime's version as read.
    pub version: i64,
    /// Every flag the crime is to have (peel-domain `flags`: `domestic-abuse`,
    /// `hate-race` … `hate-transgender`, the Sentinel themes, `business-crime`,
    /// `retail-worker`, `emergency-worker-assault` …); an empty list clears them.
    pub flags: Vec<String>,
}

/// Change a crime's flags
///
/// Replaces the flags of a recorded crime with those given, at the version read (409
/// `conflict` otherwise); 422 `flags` for a flag that is not one. Audited with the flags
/// before and after.
#[utoipa::path(
    post, path = "/api/crimes/{id}/flags", tag = "crimes", operation_id = "setFlags", params(Id),
    request_body = FlagsInput,
    responses((status = 200, description = "OK", body = Crime), BadRequest, NotFound, Conflict, Invalid, Unreadable, ServerError)
)]
pub async fn set_flags(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<FlagsInput>,
) -> Result<Json<Crime>, ApiError> {
    let crime = state
        .run(move |store, now| {
            store.set_flags(id, input.version, &input.flags, &actor, now).map_err(|e| ApiError::at_field(e, &["flags"]))
        })
        .await?;
    Ok(Json(crime))
}

/// Read a crime's reclassifications
///
/// Every change of offence asked for on the crime, oldest first: pending, approved or
/// refused, with who asked, why, and who decided.
#[utoipa::path(
    get, path = "/api/crimes/{id}/reclassifications", tag = "crimes", operation_id = "reclassifications",
    params(Id),
    responses((status = 200, description = "OK", body = Vec<Reclassification>), BadRequest, NotFound, ServerError)
)]
pub async fn reclassifications(
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<(Disclosed, Json<Vec<Reclassification>>), ApiError> {
    let found = state
        .run(move |store, _| {
            store.crime(id)?;
            Ok(store.reclassifications(id)?)
        })
        .await?;
    Ok((Disclosed::read("crime", id), Json(found)))
}

/// Reclassify a crime
///
/// Asks for the crime's offence to be changed, with a Counting Rules reason
/// (`additional-verifiable-information`, `classification-error`, `injury-now-known`,
/// `victim-died`, `principal-crime`) and what it rests on: 422 `to_code`, `reason` or
/// `detail` otherwise; 409 `refused` if one is waiting already or for the offence it has.
/// The registrar's own (or an administrator's) is approved at once and the crime takes the new
/// offence; anyone else's waits for the registrar (`GET /api/reclassifications`).
#[utoipa::path(
    post, path = "/api/crimes/{id}/reclassifications", tag = "crimes", operation_id = "reclassify", params(Id),
    request_body = ReclassifyInput,
    responses(
        (status = 201, description = "Created", body = Reclassification),
        BadRequest, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn reclassify(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<ReclassifyInput>,
) -> Result<(StatusCode, Json<Reclassification>), ApiError> {
    let made = state
        .run(move |store, now| {
            let decides = decides(store.find_account(&actor)?.map(|a| a.role));
            peel_casework::reclassify(store, id, &input, &actor, decides, now).map_err(|e| match e {
                peel_casework::CaseError::Store(e) => ApiError::at_field(e, &["to_code", "reason", "detail"]),
                e => e.into(),
            })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// Whether an account of this role decides reclassifications (its own take effect at once).
fn decides(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Registrar | Role::Admin))
}

/// Reclassifications waiting for the registrar
///
/// Every reclassification asked for and not yet decided, oldest first.
#[utoipa::path(
    get, path = "/api/reclassifications", tag = "crimes", operation_id = "pendingReclassifications",
    responses((status = 200, description = "OK", body = Vec<Reclassification>), ServerError)
)]
pub async fn pending(State(state): State<AppState>) -> Result<(Disclosed, Json<Vec<Reclassification>>), ApiError> {
    let found = state.run(move |store, _| Ok(store.pending_reclassifications()?)).await?;
    Ok((Disclosed::list("crime", found.iter().map(|r| r.details.crime)), Json(found)))
}

/// The registrar's decision on a reclassification.
#[derive(Deserialize, ToSchema)]
pub struct DecisionInput {
    /// Approved: the crime takes the new offence; refused: it keeps its own.
    pub approve: bool,
    /// Why (required when refusing: the officer who asked is told).
    #[serde(default)]
    pub note: String,
}

/// The crime and its reclassification, once decided.
#[derive(Serialize, ToSchema)]
pub struct DecisionAnswer {
    pub reclassification: Reclassification,
    pub crime: Crime,
}

/// Decide a reclassification
///
/// The registrar approves (the crime takes the new offence: a new version, audited) or
/// refuses it; the one who asked is told either way. 409 `refused` for one decided already;
/// 422 `note` for a refusal without a reason.
#[utoipa::path(
    post, path = "/api/reclassifications/{id}/decision", tag = "crimes", operation_id = "decideReclassification",
    params(Id), request_body = DecisionInput,
    responses(
        (status = 200, description = "OK", body = DecisionAnswer),
        BadRequest, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<DecisionAnswer>, ApiError> {
    let note = input.note.trim().to_string();
    if !input.approve && note.is_empty() {
        return Err(FieldError::new("note", "say why the reclassification is refused").into());
    }
    if note.chars().count() > 2000 {
        return Err(FieldError::new("note", "say it in at most 2,000 characters").into());
    }
    let (reclassification, crime) = state
        .run(move |store, now| {
            store
                .decide_reclassification(id, input.approve, &note, &actor, now)
                .map_err(|e| ApiError::at_field(e, &["note"]))
        })
        .await?;
    Ok(Json(DecisionAnswer { reclassification, crime }))
}

/// A crime's links and the series they make.
#[derive(Serialize, ToSchema)]
pub struct LinksAnswer {
    /// The links that stand from this crime, newest first.
    pub links: Vec<CrimeLink>,
    /// Every crime joined to this one through links, itself included, by reference (whoever
    /// is allocated them: the reference alone discloses nothing of another team's crime).
    pub series: Vec<String>,
}

/// Read a crime's links
///
/// The links that stand from the crime (series, duplicate, same offender) and the whole
/// series they join it to, by reference.
#[utoipa::path(
    get, path = "/api/crimes/{id}/links", tag = "crimes", operation_id = "links", params(Id),
    responses((status = 200, description = "OK", body = LinksAnswer), BadRequest, NotFound, ServerError)
)]
pub async fn links(State(state): State<AppState>, Id(id): Id) -> Result<(Disclosed, Json<LinksAnswer>), ApiError> {
    let answer = state.run(move |store, _| links_of(store, id)).await?;
    Ok((Disclosed::read("crime", id), Json(answer)))
}

fn links_of(store: &dyn peel_store::CaseStore, id: i64) -> Result<LinksAnswer, ApiError> {
    store.crime(id)?;
    let links = store.links_of(id)?;
    let mut series = Vec::new();
    for other in store.linked_series(id)? {
        series.push(store.crime(other)?.crime.reference);
    }
    series.sort();
    Ok(LinksAnswer { links, series })
}

/// A link to another crime.
#[derive(Deserialize, ToSchema)]
pub struct LinkInput {
    /// The other crime's reference, e.g. CRM-2026-000123.
    pub other: String,
    /// series | duplicate | same-offender
    pub kind: String,
    /// What joins them (optional).
    #[serde(default)]
    pub note: Option<String>,
}

/// Link a crime to another
///
/// 422 `other` for a reference that is no crime, `kind` for a kind of link that is not one;
/// 409 `refused` for a crime with itself or a link of that kind that stands. Audited.
#[utoipa::path(
    post, path = "/api/crimes/{id}/links", tag = "crimes", operation_id = "linkCrimes", params(Id),
    request_body = LinkInput,
    responses(
        (status = 201, description = "Created", body = CrimeLink),
        BadRequest, NotFound, Conflict, Invalid, Unreadable, ServerError
    )
)]
pub async fn link(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<LinkInput>,
) -> Result<(StatusCode, Json<CrimeLink>), ApiError> {
    let Some(reference) = peel_casework::search::reference_of(&input.other).filter(|r| r.starts_with("CRM-")) else {
        return Err(FieldError::new("other", "the other crime's reference, for example CRM-2026-000123").into());
    };
    let made = state
        .run(move |store, now| {
            store.crime(id)?;
            let Some(("crime", other)) = store.find_reference(&reference)? else {
                return Err(FieldError::new("other", format!("there is no crime {reference}")).into());
            };
            let note = input.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
            store
                .link_crimes(id, other, &input.kind, note, &actor, now)
                .map_err(|e| ApiError::at_field(e, &["kind", "other", "note"]))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// A link removed.
#[derive(Deserialize, ToSchema)]
pub struct UnlinkInput {
    /// The link's id (from `GET /api/crimes/{id}/links`).
    pub link: i64,
}

/// Remove a link
///
/// Removes a link that stands from this crime (it stays in the audit trail); 404 for a link
/// this crime does not have. Answers the links and series as they are after.
#[utoipa::path(
    post, path = "/api/crimes/{id}/unlink", tag = "crimes", operation_id = "unlinkCrimes", params(Id),
    request_body = UnlinkInput,
    responses((status = 200, description = "OK", body = LinksAnswer), BadRequest, NotFound, Invalid, Unreadable, ServerError)
)]
pub async fn unlink(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<UnlinkInput>,
) -> Result<Json<LinksAnswer>, ApiError> {
    let answer = state
        .run(move |store, now| {
            if !store.links_of(id)?.iter().any(|l| l.id == input.link) {
                return Err(ApiError::NotFound(format!("crime {id} has no link {}", input.link)));
            }
            store.unlink_crimes(input.link, &actor, now)?;
            links_of(store, id)
        })
        .await?;
    Ok(Json(answer))
}
