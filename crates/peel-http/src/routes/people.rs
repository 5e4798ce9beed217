//! The nominal index, tasks and notifications as JSON (issue 10 §1, §4): a person's record
//! within the caller's reach, the caller's own notifications and open tasks, and a task set
//! on a crime. The pages do the same (`peel-web` `pages::people`, `pages::tasks`).

use crate::error::answers::{BadRequest, Invalid, NotFound, ServerError, Unreadable};
use crate::extract::Id;
use crate::{Actor, ActorReach, ApiError, ApiJson, ApiQuery, AppState, Disclosed};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use peel_casework::search::{CrimeHit, CRIMES_PER_PAGE};
use peel_domain::field_error::FieldError;
use peel_store::casework::CrimeMatch;
use peel_store::nominal::{NominalRecord, PersonHistory};
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
            if total == 0 && !reach.is_force() {
                return Err(ApiError::Forbidden("this person is on no crime within your work".into()));
            }
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
    match store.add_task(task, actor, now) {
        Ok(t) => Ok(t),
        // "owner: no account is named …": the store's refusal, on the field it names.
        Err(peel_store::StoreError::Invalid(m)) => {
            let (field, message) = m.split_once(": ").unwrap_or(("description", m.as_str()));
            let field = ["kind", "description", "owner"].into_iter().find(|f| *f == field).unwrap_or("description");
            Err(FieldError::new(field, message.to_string()).into())
        }
        Err(e) => Err(e.into()),
    }
}
