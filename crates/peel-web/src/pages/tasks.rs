//! Tasks and notifications (issue 10 §4): a crime's or a person's tasks with the form that
//! sets one, the result recorded by whoever does it, "my tasks" beside "my obligations", and
//! the notifications page with its unread count in the header.
//!
//! Who sets a task: whoever works the crime (the investigators) or may see the person. Who
//! records its result: its owner, or a supervisor or administrator (their team's work). A
//! task's owner is chosen from the officers and supervisors, shown by name and collar number.

use super::{named, names_of, notice, render, Notice, PathId};
use crate::auth::{Role, User};
use crate::form::{FormData, PostForm};
use crate::html::{self, csrf_input, Attrs, Errors};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, Render};
use peel_domain::date::Date;
use peel_domain::notification::{task_label, TASK_KINDS};
use peel_http::CaseStore;
use peel_store::tasks::{NewTask, Task};
use peel_store::StoreError;
use std::collections::HashMap;

/// Notifications on a page.
pub const NOTIFICATIONS_PER_PAGE: usize = 25;

/// The accounts a task on this crime or person may be given to: officers and supervisors
/// whose own scope covers it (`peel_access::policy::may_own_task`), by name and collar, the
/// user first when they may.
pub(crate) fn owners(
    store: &dyn CaseStore,
    user: &User,
    crime: Option<i64>,
    person: Option<i64>,
) -> Result<Vec<(String, String)>, WebError> {
    let mut out = Vec::new();
    if peel_access::policy::may_own_task(store, &user.account, crime, person)? {
        out.push((user.username().to_string(), format!("Me ({})", user.account.display_name)));
    }
    for a in store.accounts()? {
        if a.username != user.username() && peel_access::policy::may_own_task(store, &a, crime, person)? {
            let label = match &a.collar {
                Some(c) => format!("{} ({c})", a.display_name),
                None => a.display_name.clone(),
            };
            out.push((a.username.clone(), label));
        }
    }
    Ok(out)
}

/// A record's tasks and the form that sets one (`action` is where it posts).
#[allow(clippy::too_many_arguments)]
pub(crate) fn section(
    user: &User,
    tasks: &[Task],
    action: &str,
    owners: &[(String, String)],
    names: &HashMap<String, String>,
    errors: &Errors,
    typed: &FormData,
    today: Date,
) -> Markup {
    let rows: Vec<Vec<Markup>> = tasks
        .iter()
        .map(|t| {
            vec![
                html! { (task_label(&t.details.kind).unwrap_or(&t.details.kind)) },
                t.details.description.render(),
                named(names, &t.details.owner).render(),
                html! {
                    (html::when(t.details.due))
                    @if t.done_at.is_none() && t.details.due < today { " " (super::tag("red", "overdue")) }
                },
                match (&t.result, t.done_at) {
                    (Some(r), Some(at)) => html! { (r) br; span class="hint" { (html::when(at)) } },
                    _ => result_form(user, t),
                },
            ]
        })
        .collect();
    let value = |f: &str| typed.get(f).to_string();
    let kinds: Vec<(String, String)> = TASK_KINDS.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect();
    let owner = if typed.get("owner").is_empty() {
        owners.first().map(|o| o.0.clone()).unwrap_or_default()
    } else {
        value("owner")
    };
    html! {
        h2 id="tasks" { "Tasks" }
        (html::table("Tasks, open first", &["Task", "What", "Who", "Due", "Result"], &rows, "No tasks."))
        details id="add-task" open[!errors.is_empty()] {
            summary { "Set a task" }
            form method="post" action=(action) {
                (csrf_input(user))
                (errors.select("task_kind", "Kind of task", &kinds, &value("task_kind")))
                (errors.input("text", "task_description", "What is to be done", "", &value("task_description"), Attrs::NONE))
                (errors.select("owner", "Who is to do it", owners, &owner))
                (errors.input("date", "task_due", "Due by", "", &if typed.get("task_due").is_empty() { today.add_days(7).to_string() } else { value("task_due") }, Attrs::NONE))
                button type="submit" { "Set the task" }
            }
        }
    }
}

fn result_form(user: &User, t: &Task) -> Markup {
    if !may_complete(user, t) {
        return html! { "open" };
    }
    html! {
        form method="post" action={ "/tasks/" (t.id) "/done" } {
            (csrf_input(user))
            label for={ "result-" (t.id) } { "Result" }
            input type="text" id={ "result-" (t.id) } name="result" required;
            button type="submit" class="small" { "Done" }
        }
    }
}

/// The owner records a task's result, or a supervisor or administrator for them.
fn may_complete(user: &User, t: &Task) -> bool {
    t.details.owner == user.username() || matches!(user.role, Role::Supervisor | Role::Admin)
}

/// The task from a form: its fields checked, named where wrong.
pub(crate) fn task_of(form: &FormData, crime: Option<i64>, person: Option<i64>) -> Result<NewTask, Errors> {
    let mut errors = Errors::default();
    let kind = form.get("task_kind").to_string();
    if task_label(&kind).is_none() {
        errors.add("task_kind", "Choose the kind of task");
    }
    let description = form.get("task_description").trim().to_string();
    if description.is_empty() {
        errors.add("task_description", "Say what is to be done");
    } else if description.chars().count() > 1000 {
        errors.add("task_description", "Say it in at most 1,000 characters");
    }
    let owner = form.get("owner").trim().to_string();
    if owner.is_empty() {
        errors.add("owner", "Choose who is to do it");
    }
    let due = Date::parse(form.get("task_due").trim());
    if due.is_err() {
        errors.add("task_due", "Enter the day it is due, for example 2026-12-01");
    }
    match due {
        Ok(due) if errors.is_empty() => Ok(NewTask { crime, person, kind, description, owner, due }),
        _ => Err(errors),
    }
}

/// Refuses a task for an owner who could not open its record (see [`owners`]).
pub(crate) fn check_owner(store: &dyn CaseStore, task: &NewTask) -> Result<Option<Errors>, WebError> {
    let Some(owner) = store.find_account(&task.owner)? else {
        let mut e = Errors::default();
        e.add("owner", format!("No account is named {:?}", task.owner));
        return Ok(Some(e));
    };
    if peel_access::policy::may_own_task(store, &owner, task.crime, task.person)? {
        return Ok(None);
    }
    let mut e = Errors::default();
    e.add("owner", format!("{} cannot be given this task: the record is outside their work", owner.display_name));
    Ok(Some(e))
}

/// A store refusal as a form's error, where it names a field of the form.
pub(crate) fn refused(e: StoreError) -> Result<Errors, WebError> {
    let mut errors = Errors::default();
    match e {
        StoreError::Invalid(m) => {
            let (field, message) = m.split_once(": ").unwrap_or(("task_description", m.as_str()));
            let field = match field {
                "owner" => "owner",
                "kind" => "task_kind",
                _ => "task_description",
            };
            errors.add(field, message);
            Ok(errors)
        }
        other => Err(other.into()),
    }
}

/// Records a task's result: its owner, or a supervisor or administrator of its crime's scope.
pub async fn complete(State(state): State<WebState>, PathId(id): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let result = form.get("result").trim().to_string();
    if result.is_empty() {
        return Err(WebError::BadRequest("result: say what came of the task".into()));
    }
    let u = user.clone();
    let back = state
        .run(move |store, now| {
            let t = store.task(id)?;
            if !may_complete(&u, &t) {
                return Err(WebError::Forbidden("Only the task's owner, or a supervisor, records its result.".into()));
            }
            if let Some(crime) = t.details.crime {
                let file = store.crime(crime)?;
                if !super::crime::can_see(store, &u, &file)? {
                    return Err(WebError::Forbidden("This crime is not yours or your team's.".into()));
                }
            } else if let Some(person) = t.details.person {
                super::people::in_reach(store, &u, person)?;
            }
            store.complete_task(id, &result, u.username(), now)?;
            Ok(match (&t.crime_reference, t.details.person) {
                (Some(r), _) => format!("/crimes/{r}#tasks"),
                (None, Some(p)) => format!("/people/{p}#tasks"),
                (None, None) => "/officer".into(),
            })
        })
        .await?;
    Ok(Redirect::to(&back).into_response())
}

/// "My tasks": the user's open tasks, soonest due first.
pub(crate) fn mine(tasks: &[Task], user: &User, today: Date) -> Markup {
    let rows: Vec<Vec<Markup>> = tasks
        .iter()
        .map(|t| {
            let on = match (&t.crime_reference, t.details.person, &t.person_name) {
                (Some(r), _, _) => html! { a href={ "/crimes/" (r) "#tasks" } { (r) } },
                (None, Some(p), Some(name)) => html! { a href={ "/people/" (p) "#tasks" } { (name) } },
                _ => html! {},
            };
            vec![
                html! {
                    (html::when(t.details.due))
                    @if t.details.due < today { " " (super::tag("red", "overdue")) }
                },
                html! { (task_label(&t.details.kind).unwrap_or(&t.details.kind)) },
                t.details.description.render(),
                on,
                result_form(user, t),
            ]
        })
        .collect();
    html! {
        h2 id="my-tasks" { "My tasks" }
        (html::table("My open tasks, soonest due first", &["Due", "Task", "What", "On", "Result"], &rows, "No open tasks."))
    }
}

#[derive(serde::Deserialize, Default)]
pub struct NotificationsPage {
    page: Option<usize>,
    done: Option<String>,
}

/// The user's notifications, newest first, unread ones marked.
pub async fn notifications(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<NotificationsPage>,
) -> Result<Response, WebError> {
    let page = q.page.unwrap_or(1).clamp(1, super::victim_care::MAX_PAGE);
    let me = user.username().to_string();
    let (list, total) = state
        .run(move |store, _| {
            Ok(store.notifications(&me, NOTIFICATIONS_PER_PAGE, (page - 1) * NOTIFICATIONS_PER_PAGE)?)
        })
        .await?;
    let done = q.done.as_deref().and_then(Notice::parse).map(|n| n.text(None));
    let rows: Vec<Vec<Markup>> = list
        .iter()
        .map(|n| {
            vec![
                html! { (html::when(n.created_at)) @if n.read_at.is_none() { " " (super::tag("amber", "new")) } },
                match &n.link {
                    Some(l) => html! { a href=(l) { (n.body) } },
                    None => n.body.render(),
                },
            ]
        })
        .collect();
    let body = html! {
        h1 { "Notifications" }
        (notice(done.as_deref()))
        @if user.unread > 0 {
            form method="post" action="/notifications/read" {
                (csrf_input(&user))
                button type="submit" class="secondary" { "Mark all as read" }
            }
        }
        (html::table("Notifications, newest first", &["When", "What"], &rows, "No notifications."))
        (html::pager("Pages of notifications", |n| format!("/notifications?page={n}"), page, NOTIFICATIONS_PER_PAGE, total as usize))
    };
    Ok(render(&user, "Notifications", body).into_response())
}

pub async fn mark_read(State(state): State<WebState>, post: PostForm) -> Result<Response, WebError> {
    let me = post.user.username().to_string();
    state.run(move |store, now| Ok(store.mark_notifications_read(&me, now)?)).await?;
    Ok(Redirect::to(&format!("/notifications?done={}", Notice::NotificationsRead.key())).into_response())
}

/// The names of the tasks' owners, by name and collar.
pub(crate) fn owner_names(store: &dyn CaseStore, tasks: &[Task]) -> Result<HashMap<String, String>, WebError> {
    names_of(store, tasks.iter().map(|t| t.details.owner.as_str()))
}
