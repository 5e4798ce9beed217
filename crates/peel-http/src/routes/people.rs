//! The nominal index, tasks and notifications as JSON (issue 10 §1, §4): a person's record
//! within the caller's reach, the caller's own notifications and open tasks, and a task set
//! on a crime. The pages do the same (`peel-web` `pages::people`, `pages::tasks`).

use crate::error::answers::{BadRequest, Conflict, Invalid, NotFound, ServerError, Unreadable};
use crate::extract::Id;
use crate::{Actor, ActorReach, ApiError, ApiJson, ApiQuery, AppState, Disclosed};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_casework::search::{CrimeHit, CRIMES_PER_PAGE};
use peel_domain::field_error::FieldError;
use peel_store::casework::{CrimeMatch, Reach};
use peel_store::nominal::{Marker, Merge, NewMarker, NominalRecord, PersonHistory, PossibleDuplicate};
use peel_store::tasks::{NewTask, Notification, Task};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A person as the caller may see them.
#[derive(Serialize, ToSchema)]
pub struct PersonAnswer {
    pub record: NominalRecord,
    /// Their recorded crimes within the caller's reach, newest first (the first 25).
    pub crimes: Vec<CrimeHit>,
    /// How many there are within reach.
    pub crimes_total: u64,
    /// Contacts with them within reach; the reports they made, for the force-wide roles.
    pub history: PersonHistory,
}

/// Read a person
///
/// Their record in the nominal index (other names, addresses, phone, warning markers, merges),
/// their crimes and contacts within the caller's reach, and (for the force-wide roles) the
/// reports they made. A person on no crime within reach is refused, unless the reach is the
/// force.
#[utoipa::path(
    get, path = "/api/people/{id}", tag = "people", operation_id = "getPerson", params(Id),
    responses((status = 200, description = "OK", body = PersonAnswer), BadRequest, NotFound, ServerError)
)]
pub async fn get(
    State(state): State<AppState>,
    Id(id): Id,
    ActorReach(reach): ActorReach,
) -> Result<(Disclosed, Json<PersonAnswer>), ApiError> {
    let answer = state
        .run(move |store, _| {
            let record = store.nominal(id)?;
            let (found, total) = store.find_crimes(&CrimeMatch::Person(id), &reach, CRIMES_PER_PAGE, 0)?;
            refuse_beyond(total, &reach)?;
            let crimes = found.iter().map(|(c, role)| CrimeHit::of(c, role.clone())).collect();
            let history = store.person_history(id, &reach, reach.is_force(), 50)?;
            Ok(PersonAnswer { record, crimes, crimes_total: total, history })
        })
        .await?;
    let shown = Disclosed::read("person", id)
        .and("crime", answer.crimes.iter().map(|c| c.id))
        .and("report", answer.history.reports.iter().map(|r| r.id));
    Ok((shown, Json(answer)))
}

/// Refuses a person on none of `crimes_within_reach` crimes, unless the reach is the force:
/// the rule of the person's page.
fn refuse_beyond(crimes_within_reach: u64, reach: &Reach) -> Result<(), ApiError> {
    if crimes_within_reach == 0 && !reach.is_force() {
        return Err(ApiError::Forbidden("this person is on no crime within your work".into()));
    }
    Ok(())
}

/// Refuses person `id` beyond `reach` (404 for no such person).
fn within_reach(store: &dyn peel_store::CaseStore, id: i64, reach: &Reach) -> Result<(), ApiError> {
    store.person(id)?;
    refuse_beyond(store.find_crimes(&CrimeMatch::Person(id), reach, 1, 0)?.1, reach)
}

/// A warning marker as a client enters it.
#[derive(Deserialize, ToSchema)]
pub struct MarkerInput {
    /// violence | weapons | self-harm | mental-health | vulnerable-adult | child (peel-domain
    /// `nominal::WARNING_MARKERS`).
    pub kind: String,
    /// When it was noted, YYYY-MM-DD.
    pub noted_on: String,
    /// When it is to be reviewed, YYYY-MM-DD; default a year after it was noted.
    #[serde(default)]
    pub review_due: Option<String>,
    /// What it rests on.
    #[serde(default)]
    pub note: Option<String>,
}

fn day(field: &'static str, text: &str) -> Result<peel_domain::date::Date, ApiError> {
    peel_domain::date::Date::parse(text.trim())
        .map_err(|_| FieldError::new(field, format!("'{text}' is not a day YYYY-MM-DD")).into())
}

/// Add a warning marker
///
/// A warning marker on a person within the caller's reach (violence, weapons, self-harm,
/// mental health, vulnerable adult, child), with the day it was noted and its review day.
/// 422 `kind`, `noted_on`, `review_due` (before it was noted) or `note` (over 2,000
/// characters). Audited.
#[utoipa::path(
    post, path = "/api/people/{id}/markers", tag = "people", operation_id = "addMarker", params(Id),
    request_body = MarkerInput,
    responses((status = 201, description = "Created", body = Marker), BadRequest, NotFound, Invalid, Unreadable, ServerError)
)]
pub async fn add_marker(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ActorReach(reach): ActorReach,
    ApiJson(input): ApiJson<MarkerInput>,
) -> Result<(StatusCode, Json<Marker>), ApiError> {
    let noted_on = day("noted_on", &input.noted_on)?;
    let review_due = match &input.review_due {
        Some(t) => day("review_due", t)?,
        None => noted_on.add_days(peel_domain::nominal::MARKER_REVIEW_DAYS),
    };
    let note = input.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(FieldError::new("note", "say what it rests on in at most 2,000 characters").into());
    }
    let marker = NewMarker { kind: input.kind.trim().to_string(), noted_on, review_due, note };
    let made = state
        .run(move |store, now| {
            within_reach(store, id, &reach)?;
            store.add_marker(id, &marker, &actor, now).map_err(|e| ApiError::at_field(e, &["kind", "review_due"]))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// A marker ended.
#[derive(Deserialize, ToSchema)]
pub struct EndMarkerInput {
    /// The marker's id (from `GET /api/people/{id}`).
    pub marker: i64,
}

/// End a warning marker
///
/// The marker no longer applies: it stays on the record, ended. 404 for a marker the person
/// does not have; 409 `refused` for one ended already.
#[utoipa::path(
    post, path = "/api/people/{id}/markers/end", tag = "people", operation_id = "endMarker", params(Id),
    request_body = EndMarkerInput,
    responses((status = 200, description = "OK", body = Marker), BadRequest, NotFound, Conflict, Unreadable, ServerError)
)]
pub async fn end_marker(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ActorReach(reach): ActorReach,
    ApiJson(input): ApiJson<EndMarkerInput>,
) -> Result<Json<Marker>, ApiError> {
    let ended = state
        .run(move |store, now| {
            within_reach(store, id, &reach)?;
            Ok(store.end_marker(id, input.marker, &actor, now)?)
        })
        .await?;
    Ok(Json(ended))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The page, from 1 (25 a page); default 1.
    page: Option<usize>,
}

/// The review list of possible duplicates.
#[derive(Serialize, ToSchema)]
pub struct DuplicatesAnswer {
    /// All the open pairs.
    pub total: u64,
    pub page: usize,
    /// Highest score first, each with the reasons it scored.
    pub pairs: Vec<PossibleDuplicate>,
}

/// Possible duplicate people
///
/// The records role's review list: pairs of people in the index who may be one person,
/// highest score first, each with the reasons it scored (names alike in sound or spelling,
/// date of birth, postcode), 25 a page.
#[utoipa::path(
    get, path = "/api/people/duplicates", tag = "people", operation_id = "possibleDuplicates", params(PageQuery),
    responses((status = 200, description = "OK", body = DuplicatesAnswer), BadRequest, ServerError)
)]
pub async fn duplicates(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<(Disclosed, Json<DuplicatesAnswer>), ApiError> {
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let (pairs, total) = state.run(move |store, _| Ok(store.possible_duplicates(25, (page - 1) * 25)?)).await?;
    let shown = Disclosed::list("person", pairs.iter().flat_map(|p| [p.low.id, p.high.id]));
    Ok((shown, Json(DuplicatesAnswer { total, page, pairs })))
}

/// Mark a possible duplicate as two people
///
/// The pair leaves the review list, decided (a later sweep does not bring it back).
/// 409 `refused` for a pair decided already.
#[utoipa::path(
    post, path = "/api/people/duplicates/{id}/distinct", tag = "people", operation_id = "markDistinct", params(Id),
    responses((status = 200, description = "OK", body = PossibleDuplicate), BadRequest, NotFound, Conflict, ServerError)
)]
pub async fn distinct(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
) -> Result<Json<PossibleDuplicate>, ApiError> {
    Ok(Json(state.run(move |store, now| Ok(store.mark_distinct(id, &actor, now)?)).await?))
}

/// Two records found to be one person.
#[derive(Deserialize, ToSchema)]
pub struct MergeInput {
    /// The possible duplicate (from `GET /api/people/duplicates`).
    pub pair: i64,
    /// The person of the pair whose record is kept; the other is merged into it.
    pub keep: i64,
    /// Why they are one person (at most 500 characters).
    pub reason: String,
}

/// Merge two people
///
/// The records role's decision that a possible duplicate is one person: both records stay
/// and read as one (crimes, search, repeat victims); audited and reversible (`undo`).
/// 422 `keep` for a person not of the pair, `reason` without one; 409 `refused` for a pair
/// decided already or a record merged away.
#[utoipa::path(
    post, path = "/api/people/merges", tag = "people", operation_id = "mergePeople",
    request_body = MergeInput,
    responses((status = 201, description = "Created", body = Merge), BadRequest, NotFound, Conflict, Invalid, Unreadable, ServerError)
)]
pub async fn merge(
    State(state): State<AppState>,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<MergeInput>,
) -> Result<(StatusCode, Json<Merge>), ApiError> {
    let reason = input.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(FieldError::new("reason", "say why they are one person, in at most 500 characters").into());
    }
    let made = state
        .run(move |store, now| {
            let p = store.possible_duplicate(input.pair)?;
            if p.status != "open" {
                return Err(ApiError::Refused(format!("this pair was decided already ({})", p.status)));
            }
            let merged = match input.keep {
                k if k == p.low.id => p.high.id,
                k if k == p.high.id => p.low.id,
                _ => return Err(FieldError::new("keep", "keep one of the pair's two people").into()),
            };
            Ok(store.merge_people(input.keep, merged, &reason, &actor, now)?)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// Why a merge is undone.
#[derive(Deserialize, ToSchema)]
pub struct UndoInput {
    pub reason: String,
}

/// Undo a merge
///
/// The two are two records again, exactly as before, and their pair goes back on the review
/// list. 422 `reason` without one; 409 `refused` for a merge undone already.
#[utoipa::path(
    post, path = "/api/people/merges/{id}/undo", tag = "people", operation_id = "undoMerge", params(Id),
    request_body = UndoInput,
    responses((status = 200, description = "OK", body = Merge), BadRequest, NotFound, Conflict, Invalid, Unreadable, ServerError)
)]
pub async fn undo_merge(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<UndoInput>,
) -> Result<Json<Merge>, ApiError> {
    let reason = input.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(FieldError::new("reason", "say why the merge is undone, in at most 500 characters").into());
    }
    Ok(Json(state.run(move |store, now| Ok(store.undo_merge(id, &reason, &actor, now)?)).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationsQuery {
    /// The page, from 1 (25 a page); default 1.
    page: Option<usize>,
}

/// The caller's notifications.
#[derive(Serialize, ToSchema)]
pub struct NotificationsAnswer {
    pub unread: u64,
    pub total: u64,
    /// Newest first.
    pub notifications: Vec<Notification>,
}

/// The caller's notifications
///
/// What the caller has been told (a crime or task given them, an update due tomorrow, CCTV
/// overwritten within 48 hours, a request answered, a report recorded or finished), newest
/// first, 25 a page, with how many are unread. Reading them does not mark them read.
#[utoipa::path(
    get, path = "/api/notifications", tag = "people", operation_id = "notifications", params(NotificationsQuery),
    responses((status = 200, description = "OK", body = NotificationsAnswer), BadRequest, ServerError)
)]
pub async fn notifications(
    State(state): State<AppState>,
    Actor(actor): Actor,
    ApiQuery(q): ApiQuery<NotificationsQuery>,
) -> Result<Json<NotificationsAnswer>, ApiError> {
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let answer = state
        .run(move |store, _| {
            let (notifications, total) = store.notifications(&actor, 25, (page - 1) * 25)?;
            Ok(NotificationsAnswer { unread: store.unread_notifications(&actor)?, total, notifications })
        })
        .await?;
    Ok(Json(answer))
}

/// The caller's open tasks
///
/// Tasks set for the caller and not yet done, soonest due first.
#[utoipa::path(
    get, path = "/api/tasks", tag = "people", operation_id = "myTasks",
    responses((status = 200, description = "OK", body = Vec<Task>), ServerError)
)]
pub async fn tasks(
    State(state): State<AppState>,
    Actor(actor): Actor,
) -> Result<(Disclosed, Json<Vec<Task>>), ApiError> {
    let tasks = state.run(move |store, _| Ok(store.open_tasks_of(&actor)?)).await?;
    let shown = Disclosed::list("crime", tasks.iter().filter_map(|t| t.details.crime))
        .and("person", tasks.iter().filter_map(|t| t.details.person));
    Ok((shown, Json(tasks)))
}

/// A task set on a crime.
#[derive(Deserialize, ToSchema)]
pub struct TaskInput {
    /// enquiry | arrest-attempt | visit | call | other
    pub kind: String,
    pub description: String,
    /// The username of the account that is to do it.
    pub owner: String,
    /// YYYY-MM-DD.
    pub due: String,
}

/// Set a task on a crime
///
/// The owner is told (unless they set it themselves). Refused for a kind of task that is not
/// one, an owner who is no account, a due day that is not a day.
#[utoipa::path(
    post, path = "/api/crimes/{id}/tasks", tag = "people", operation_id = "addTask", params(Id),
    request_body = TaskInput,
    responses((status = 201, description = "Created", body = Task), BadRequest, NotFound, Invalid, Unreadable, ServerError)
)]
pub async fn add_task(
    State(state): State<AppState>,
    Id(id): Id,
    Actor(actor): Actor,
    ApiJson(input): ApiJson<TaskInput>,
) -> Result<(StatusCode, Json<Task>), ApiError> {
    let due = peel_domain::date::Date::parse(input.due.trim())
        .map_err(|_| FieldError::new("due", format!("'{}' is not a day YYYY-MM-DD", input.due)))?;
    let task = NewTask {
        crime: Some(id),
        person: None,
        kind: input.kind,
        description: input.description,
        owner: input.owner.trim().to_ascii_lowercase(),
        due,
    };
    let made = state
        .run(move |store, now| {
            // A task goes to no one who could not open its crime (peel-access `may_own_task`).
            let Some(owner) = store.find_account(&task.owner)? else {
                return Err(FieldError::new("owner", format!("no account is named {:?}", task.owner)).into());
            };
            if !peel_access::policy::may_own_task(&*store, &owner, task.crime, task.person)? {
                return Err(FieldError::new(
                    "owner",
                    "the crime is outside their work: they cannot be given this task",
                )
                .into());
            }
            add(store, &task, &actor, now)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

fn add(
    store: &mut dyn peel_store::CaseStore,
    task: &NewTask,
    actor: &str,
    now: peel_domain::date::Timestamp,
) -> Result<Task, ApiError> {
    // "owner: no account is named …": the store's refusal, on the field it names.
    store.add_task(task, actor, now).map_err(|e| ApiError::at_field(e, &["description", "kind", "owner"]))
}
