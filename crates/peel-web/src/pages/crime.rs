//! A crime with everything on it, and the form to log a contact with a victim that meets
//! Victims' Code obligations.

use super::{crime_status, notice, render, tag, PathId};
use crate::auth::{Role, User};
use crate::form::{FormData, PostForm};
use crate::html::{self, esc, Errors};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use peel_casework::{CaseError, ContactInput};
use peel_http::CaseStore;
use peel_store::casework::CrimeFile;
use std::fmt::Write;

/// Whether the user may see the crime: officers and supervisors their own or their team's;
/// registrar, victim care and admin every crime; a liaison officer the crimes at their site.
fn can_see(store: &dyn CaseStore, user: &User, file: &CrimeFile) -> Result<bool, WebError> {
    let c = &file.crime;
    Ok(match user.role {
        Role::Officer => {
            c.officer.as_deref() == Some(user.username()) || (c.team.is_some() && c.team == user.account.team)
        }
        Role::Supervisor => user.account.team.is_none() || c.team == user.account.team,
        Role::Registrar | Role::VictimCare | Role::Admin => true,
        Role::Liaison => {
            let inc = store.incident(c.incident)?;
            let r = store.report(inc.report)?;
            r.site.is_some() && r.site == user.account.site
        }
        Role::Partner | Role::Analyst => false,
    })
}

/// Whether the user may log contacts on a crime they can see.
fn can_write(user: &User) -> bool {
    matches!(user.role, Role::Officer | Role::Supervisor | Role::VictimCare | Role::Admin)
}

const METHODS: [(&str, &str); 6] = [
    ("phone", "Phone"),
    ("visit", "Visit"),
    ("video", "Video call"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("sms", "Text message"),
];

fn obligation_state(o: &peel_store::casework::Obligation, today: &str) -> String {
    match (&o.met_at, &o.due) {
        (Some(at), _) => tag("green", &format!("Met {}", html::when(at))),
        (None, Some(d)) if &d[..10.min(d.len())] < today => tag("red", "Overdue"),
        (None, Some(d)) if &d[..10.min(d.len())] == today => tag("amber", "Due today"),
        (None, Some(_)) => tag("", "Due"),
        (None, None) => tag("", "When it applies"),
    }
}

async fn render_page(
    state: &WebState,
    user: &User,
    id: i64,
    errors: Errors,
    f: FormData,
    done: Option<String>,
    meet: Option<String>,
) -> Result<String, WebError> {
    let u = user.clone();
    state
        .run(move |store, now| {
            let file = store.crime(id)?;
            if !can_see(store, &u, &file)? {
                return Err(WebError::Forbidden("This crime is not yours or your team's, so you cannot see it.".into()));
            }
            let today = now.date().to_string();
            let c = &file.crime;
            let inc = store.incident(c.incident)?;
            let (class, headline, next) = crime_status(&c.status, c.outcome.as_deref());
            let mut people = Vec::new();
            for p in &file.people {
                people.push(vec![
                    esc(&p.person.details.name),
                    esc(&p.role),
                    if p.enhanced {
                        format!("{}<br>{}", tag("amber", "Enhanced rights"), esc(&p.enhanced_reasons.join("; ")))
                    } else {
                        String::new()
                    },
                ]);
            }
            let names: std::collections::HashMap<i64, String> =
                file.people.iter().map(|p| (p.person.id, p.person.details.name.clone())).collect();
            let mut obligations = Vec::new();
            for o in &file.obligations {
                obligations.push(vec![
                    format!("<span id=\"obligation-{}\">{}</span>", o.id, super::officer::right_label(o.right_no)),
                    esc(&o.description),
                    esc(names.get(&o.person).map_or("", String::as_str)),
                    esc(&o.due.as_deref().map(html::when).unwrap_or_else(|| "—".into())),
                    obligation_state(o, &today),
                ]);
            }
            let contacts: Vec<Vec<String>> = file
                .contacts
                .iter()
                .map(|k| {
                    vec![
                        esc(&html::when(&k.details.at)),
                        esc(names.get(&k.details.person).map_or("", String::as_str)),
                        esc(&k.details.method),
                        esc(&k.details.by_whom),
                        esc(&k.details.notes),
                    ]
                })
                .collect();
            let victims: Vec<(String, String)> = file
                .people
                .iter()
                .filter(|p| p.role == "victim")
                .map(|p| (p.person.id.to_string(), p.person.details.name.clone()))
                .collect();
            let unmet: Vec<(String, String, String)> = file
                .obligations
                .iter()
                .filter(|o| o.met_at.is_none())
                .map(|o| {
                    let due = o.due.as_deref().map(|d| format!("due {}", html::when(d))).unwrap_or_else(|| "no set time".into());
                    (
                        o.id.to_string(),
                        format!("{}: {}", super::officer::right_label(o.right_no), o.description),
                        format!("{} — {due}", names.get(&o.person).map_or("", String::as_str)),
                    )
                })
                .collect();
            let form = if can_write(&u) && c.status == "recorded" && !victims.is_empty() {
                let fresh = f.0.is_empty();
                let person = if fresh { victims[0].0.clone() } else { f.get("person").to_string() };
                let method = if fresh { "phone".to_string() } else { f.get("method").to_string() };
                format!(
                    "<h2 id=\"contact\">Log a contact with the victim</h2>{summary}\
                     <form method=\"post\" action=\"/crimes/{id}/contacts\" novalidate>{csrf}{person}{method}{at}{meets}{notes}\
                     <button type=\"submit\">Log the contact</button></form>",
                    summary = errors.summary(),
                    csrf = html::csrf_input(&u),
                    person = errors.select("person", "Victim", &victims, &person),
                    method = errors.select(
                        "method",
                        "How",
                        &METHODS.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect::<Vec<_>>(),
                        &method
                    ),
                    at = errors.input(
                        "datetime-local",
                        "at",
                        "When",
                        "Leave blank for now.",
                        f.get("at"),
                        &format!(" max=\"{now}\"")
                    ),
                    meets = if unmet.is_empty() {
                        "<p>Every obligation is met.</p>".to_string()
                    } else {
                        let ticked: Vec<&str> = if fresh { meet.as_deref().into_iter().collect() } else { f.all("meets") };
                        errors.choices("checkbox", "meets", "This contact meets", &unmet, &ticked)
                    },
                    notes = errors.textarea("notes", "Notes", "What was said or agreed.", f.get("notes")),
                )
            } else {
                String::new()
            };
            let mut body = String::new();
            let _ = write!(
                body,
                "<h1>Crime {cref}</h1>{notice}<p class=\"lead\">{offence}</p><p>{tag}</p><p>{next}</p>\
                 <dl class=\"summary\"><dt>Incident</dt><dd>{iref} (report <a href=\"/reports/{rid}\">{rid}</a>)</dd>\
                 <dt>Recorded</dt><dd>{rec} by {by}</dd><dt>Team</dt><dd>{team}</dd><dt>Officer</dt><dd>{officer}</dd>\
                 <dt>Outcome</dt><dd>{outcome}</dd><dt>Flags</dt><dd>{flags}</dd></dl>\
                 <h2>People</h2>{people}<h2 id=\"obligations\">Victims' Code obligations</h2>{obligations}\
                 <h2>Contacts</h2>{contacts}{form}",
                cref = esc(&c.reference),
                notice = notice(done.as_deref()),
                offence = esc(&peel_casework::offence_label(&c.offence_code)),
                tag = tag(class, &headline),
                next = esc(&next),
                iref = esc(&inc.reference),
                rid = inc.report,
                rec = esc(&html::when(&c.recorded_at)),
                by = esc(&c.recorded_by),
                team = esc(c.team.as_deref().unwrap_or("—")),
                officer = esc(c.officer.as_deref().unwrap_or("not allocated")),
                outcome = esc(&c.outcome.as_deref().map(peel_casework::outcome_label).unwrap_or_else(|| "none yet".into())),
                flags = esc(&if c.flags.is_empty() { "—".to_string() } else { c.flags.join(", ") }),
                people = html::table("People", &["Name", "Role", "Victims' Code"], &people, "Nobody on the crime."),
                obligations = html::table(
                    "Victims' Code obligations",
                    &["Right", "What the victim is owed", "Victim", "Due", "Status"],
                    &obligations,
                    "No obligations."
                ),
                contacts = html::table("Contacts", &["When", "Victim", "How", "By", "Notes"], &contacts, "No contacts yet."),
            );
            Ok(body)
        })
        .await
}

#[derive(serde::Deserialize, Default)]
pub struct Logged {
    logged: Option<String>,
    /// An obligation to tick in the contact form (the worklist's link).
    meet: Option<i64>,
}

pub async fn page(
    State(state): State<WebState>,
    user: User,
    PathId(id): PathId,
    Query(q): Query<Logged>,
) -> Result<Response, WebError> {
    let done = q.logged.map(|_| "Contact logged.".to_string());
    let meet = q.meet.map(|m| m.to_string());
    let body = render_page(&state, &user, id, Errors::default(), FormData::default(), done, meet).await?;
    Ok(render(&user, "Crime", &body).into_response())
}

pub async fn log_contact(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !can_write(&user) {
        return Err(WebError::forbidden());
    }
    let mut errors = Errors::default();
    let person: Option<i64> = form.get("person").parse().ok();
    if person.is_none() {
        errors.add("person", "Choose the victim");
    }
    let meets: Result<Vec<i64>, _> = form.all("meets").into_iter().map(str::parse).collect();
    let Ok(meets) = meets else { return Err(WebError::BadRequest("the obligations are not ids".into())) };
    if errors.is_empty() {
        let u = user.clone();
        let input = ContactInput {
            person: person.unwrap_or_default(),
            method: form.get("method").to_string(),
            at: form.opt("at"),
            notes: form.get("notes").to_string(),
            meets,
        };
        let result = state
            .run(move |store, now| {
                let file = store.crime(id)?;
                if !can_see(store, &u, &file)? {
                    return Err(WebError::Forbidden("This crime is not yours or your team's.".into()));
                }
                // Only this crime's obligations, owed to the victim contacted.
                if input.meets.iter().any(|m| !file.obligations.iter().any(|o| o.id == *m && o.person == input.person))
                {
                    return Ok(Err(("meets", "Tick only obligations owed to the victim you contacted".to_string())));
                }
                match peel_casework::log_contact(store, id, &input, u.username(), now) {
                    Ok(_) => Ok(Ok(())),
                    Err(CaseError::Invalid(f)) => Ok(Err((f.field, f.message))),
                    Err(CaseError::Store(
                        e @ (peel_store::StoreError::Refused(_) | peel_store::StoreError::Conflict { .. }),
                    )) => Ok(Err(("meets", e.to_string()))),
                    Err(e) => Err(e.into()),
                }
            })
            .await?;
        match result {
            Ok(()) => return Ok(Redirect::to(&format!("/crimes/{id}?logged=1#obligations")).into_response()),
            Err((field, message)) => errors
                .add(if field == "person" || field == "method" || field == "at" { field } else { "meets" }, message),
        }
    }
    let body = render_page(&state, &user, id, errors, form, None, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&user, "Crime", &body)).into_response())
}
