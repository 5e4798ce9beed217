//! A crime with everything on it, and what may be done to it from its page (at its id or its
//! reference, `/crimes/CRM-2026-000123`). Each action is a
//! form that works without script and carries the session's CSRF token; the forms that
//! change the crime also carry the version of the crime they were filled in on.
//!
//! - Log a contact with a victim, meeting Victims' Code obligations (officers, supervisors,
//!   victim care, admin).
//! - Set the Home Office outcome (officers, supervisors, admin): see [`actions`].
//! - Add evidence to secure, with its deadline, and mark it secured (officers, supervisors,
//!   admin).
//! - Add a suspect, witness or further victim, and record an arrest, interview, bail, charge
//!   or other event, each owing the victims their right-6 update (officers, supervisors,
//!   admin).
//! - Reallocate to a team and officer, and reopen a finalised crime with the reason
//!   (supervisors, admin).
//! - Cancel the crime record, or refuse a request to (the crime registrar and admin, acting as
//!   the designated decision maker); or ask for it to be cancelled (officers, supervisors),
//!   which puts the crime on the registrar's list of cancellations needing a decision maker.
//!
//! A form that fails is shown again with the error beside its field and what was typed kept.
//! One filled in on a version of the crime someone has since changed is refused (409) with the
//! page as the crime now stands, so that sending it again acts on what the user has seen.

mod actions;
mod changes;

pub use actions::{
    add_evidence, add_person, add_review, add_task, cancel, reallocate, record_event, refuse_cancellation, reopen,
    request_cancellation, secure_evidence, set_outcome,
};
pub(crate) use changes::reclassification_reason;
pub use changes::{decide_reclassification, link, reclassify, series, set_flags, unlink};

use super::{crime_status, render, tag, Notice, PathId};
use crate::access_log::Disclosed;
use crate::auth::{Role, User};
use crate::form::{FormData, PostForm};
use crate::html::{self, Attrs, Errors};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, Render};
use peel_casework::{CaseError, ContactInput};
use peel_domain::date::{Date, Timestamp};
use peel_domain::outcome::OUTCOME_TYPES;
use peel_domain::recording::{CancellationReason, CANCELLATION_REASONS};
use peel_domain::victims_code::Event;
use peel_domain::ContactMethod;
use peel_http::CaseStore;
use peel_store::casework::{CancelRequest, CrimeFile, Due};
use peel_store::StoreError;

/// Whether the user may see the crime: officers and supervisors their own or their team's;
/// registrar, victim care and admin every crime; a liaison officer the crimes at their site.
pub(crate) fn can_see(store: &dyn CaseStore, user: &User, file: &CrimeFile) -> Result<bool, WebError> {
    match user.role {
        Role::Partner | Role::Analyst => Ok(false),
        // One rule for the pages and the API (peel-access), so that the two agree.
        _ => Ok(peel_access::policy::crime_in_scope(store, &user.principal(), &file.crime)?),
    }
}

/// Whether the user may log contacts on a crime they can see.
fn can_contact(user: &User) -> bool {
    matches!(user.role, Role::Officer | Role::Supervisor | Role::VictimCare | Role::Admin)
}

/// Whether the user investigates: sets outcomes and adds evidence on a crime they can see.
/// Victim care contacts victims but does not run the investigation.
pub(crate) fn can_investigate(user: &User) -> bool {
    matches!(user.role, Role::Officer | Role::Supervisor | Role::Admin)
}

/// Whether the user decides cancellations: the crime registrar (and admin) act as the
/// designated decision maker, the only role that may cancel a recorded crime (Home Office
/// Counting Rules, General Rules section C).
fn decides_cancellations(user: &User) -> bool {
    matches!(user.role, Role::Registrar | Role::Admin)
}

/// Whether the user may ask a decision maker to cancel a crime they can see.
fn may_request_cancellation(user: &User) -> bool {
    matches!(user.role, Role::Officer | Role::Supervisor)
}

/// The decision maker's role word for the casework service: the registrar's accounts act as
/// DDMs (the Force Crime Registrar appoints them; Peel has no separate DDM account).
const DECISION_MAKER: &str = "ddm";

/// The contact form's methods, in the order the form offers them (peel-domain's one list).
const METHODS: [ContactMethod; 6] = [
    ContactMethod::Phone,
    ContactMethod::Visit,
    ContactMethod::Video,
    ContactMethod::Email,
    ContactMethod::Letter,
    ContactMethod::Sms,
];

/// Evidence kinds the casework service takes, in words.
const EVIDENCE_KINDS: [(&str, &str); 5] = [
    ("cctv", "CCTV"),
    ("forensic", "Forensic"),
    ("statement", "Statement"),
    ("digital", "Digital (phone, computer, online)"),
    ("other", "Other"),
];

/// The forms on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Contact,
    Outcome,
    Evidence,
    Person,
    Event,
    Allocation,
    Reopen,
    Cancel,
    Request,
    Refuse,
    Review,
    Task,
    Flags,
    Reclassify,
    Link,
}

/// A form that failed, to show again with its errors and what was typed.
pub(crate) struct Failed {
    pub form: Form,
    pub errors: Errors,
    pub data: FormData,
}

impl Failed {
    /// The errors and values of `form`: the failed form's own, or none for the others.
    pub(crate) fn of(failed: &Option<Failed>, form: Form) -> (Errors, FormData) {
        match failed {
            Some(f) if f.form == form => (f.errors.clone(), f.data.clone()),
            _ => (Errors::default(), FormData::default()),
        }
    }
}

/// What a form's failure shows: the field at fault, the message, and the status.
pub(crate) type Problem = (String, String, StatusCode);

/// A casework error as a problem on a form, or an error page for what no form can fix.
/// `field` maps the service's field names to the form's; `fallback` takes what maps to none.
pub(crate) fn problem(
    e: CaseError,
    fallback: &str,
    field: impl Fn(&str) -> Option<&'static str>,
) -> Result<Problem, WebError> {
    match e {
        CaseError::Invalid(f) => {
            let name = field(f.field).unwrap_or(fallback).to_string();
            Ok((name, super::account::capitalised(&f.message), StatusCode::UNPROCESSABLE_ENTITY))
        }
        CaseError::Store(StoreError::Conflict { .. }) => Ok((fallback.to_string(), stale(), StatusCode::CONFLICT)),
        CaseError::Store(StoreError::Refused(m)) => {
            Ok((fallback.to_string(), super::account::capitalised(&m), StatusCode::CONFLICT))
        }
        CaseError::Store(e) => Err(e.into()),
    }
}

/// The message for a form filled in on a version of the crime changed since.
pub(crate) fn stale() -> String {
    "Someone else changed this crime after you opened the page, so nothing was saved. The page now shows the crime as \
     it is: check it, then send the form again."
        .to_string()
}

fn obligation_state(o: &peel_store::casework::Obligation, today: Date) -> Markup {
    let late = |at: &Timestamp, due: &Due| match due {
        Due::At(t) => at > t,
        Due::By(d) => at.date() > *d,
    };
    match (&o.met_at, &o.due) {
        (Some(at), Some(d)) if late(at, d) => tag("amber", &format!("Met late {}", html::when(at))),
        (Some(at), _) => tag("green", &format!("Met {}", html::when(at))),
        (None, Some(d)) if d.date() < today => tag("red", "Overdue"),
        (None, Some(d)) if d.date() == today => tag("amber", "Due today"),
        (None, Some(_)) => tag("", "Due"),
        (None, None) => tag("", "When it applies"),
    }
}

fn reason_label(word: &str) -> String {
    CancellationReason::parse(word).map_or(word.to_string(), |r| r.description().to_string())
}

/// The reasons the rules allow, as radio choices, each with what its detail must hold.
fn reason_choices() -> Vec<(String, String, String)> {
    CANCELLATION_REASONS
        .iter()
        .map(|(word, _, description, detail)| {
            (word.to_string(), description.to_string(), format!("Detail needed: {detail}."))
        })
        .collect()
}

pub(crate) async fn render_page(
    state: &WebState,
    user: &User,
    id: i64,
    failed: Option<Failed>,
    done: Option<Notice>,
    meet: Option<String>,
) -> Result<Markup, WebError> {
    let u = user.clone();
    state
        .run(move |store, now| {
            let file = store.crime(id)?;
            if !can_see(store, &u, &file)? {
                return Err(WebError::Forbidden(
                    "This crime is not yours or your team's, so you cannot see it.".into(),
                ));
            }
            let today = now.date();
            let c = &file.crime;
            let inc = store.incident(c.incident)?;
            let requests = store.cancel_requests(id)?;
            let reviews = store.reviews(id)?;
            let (class, headline, next) = crime_status(&c.status, c.outcome.as_deref());
            // Everyone the page names, by name and collar number rather than username.
            let staff = super::names_of(
                store,
                std::iter::once(c.recorded_by.as_str())
                    .chain(c.officer.as_deref())
                    .chain(file.contacts.iter().map(|k| k.details.by_whom.as_str()))
                    .chain(file.evidence.iter().map(|e| e.details.added_by.as_str()))
                    .chain(reviews.iter().map(|r| r.author.as_str())),
            )?;
            let named = |u: &str| super::named(&staff, u).to_string();
            let mut people = Vec::new();
            let searcher = peel_access::policy::SEARCHERS.contains(&u.role);
            for p in &file.people {
                people.push(vec![
                    html! {
                        @if searcher {
                            a href={ "/people/" (p.person.id) } { (p.person.details.name) }
                        } @else {
                            (p.person.details.name)
                        }
                    },
                    p.role.render(),
                    html! {
                        @if p.enhanced {
                            (tag("amber", "Enhanced rights")) br; (p.enhanced_reasons.join("; "))
                        }
                    },
                ]);
            }
            let names: std::collections::HashMap<i64, String> =
                file.people.iter().map(|p| (p.person.id, p.person.details.name.clone())).collect();
            let mut obligations = Vec::new();
            for o in &file.obligations {
                obligations.push(vec![
                    html! { span id={ "obligation-" (o.id) } { (super::officer::right_label(o.right_no)) } },
                    o.description.render(),
                    names.get(&o.person).map_or("", String::as_str).render(),
                    o.due.map(html::when).unwrap_or_else(|| "—".into()).render(),
                    obligation_state(o, today),
                ]);
            }
            let contacts: Vec<Vec<Markup>> = file
                .contacts
                .iter()
                .map(|k| {
                    vec![
                        html::when(k.details.at).render(),
                        names.get(&k.details.person).map_or("", String::as_str).render(),
                        k.details.method.word().render(),
                        named(&k.details.by_whom).render(),
                        k.details.notes.render(),
                    ]
                })
                .collect();
            let (ce, cf) = Failed::of(&failed, Form::Contact);
            let contact_form = contact_form(&u, &file, &ce, &cf, meet, now.to_string());
            let (oe, of) = Failed::of(&failed, Form::Outcome);
            let (ee, ef) = Failed::of(&failed, Form::Evidence);
            let (xe, xf) = Failed::of(&failed, Form::Reopen);
            let outcome = html! {
                (outcome_section(&u, &file, &oe, &of))
                (reopen_form(&u, &file, &xe, &xf))
            };
            let evidence = evidence_section(&u, &file, &ee, &ef, today, &staff);
            let (pe, pf) = Failed::of(&failed, Form::Person);
            let (ve, vf) = Failed::of(&failed, Form::Event);
            let investigation = investigation_forms(&u, &file, (&pe, &pf), (&ve, &vf), today);
            let (ae, af) = Failed::of(&failed, Form::Allocation);
            let allocation = if reallocates(&u) && c.status == "recorded" {
                let officers: Vec<(String, String)> =
                    std::iter::once((String::new(), "Not allocated to an officer".to_string()))
                        .chain(store.accounts()?.into_iter().filter(|a| a.role == Role::Officer && a.active()).map(
                            |a| {
                                let label = super::named(&staff, &a.username).to_string();
                                let label = if label == a.username { a.display_name.clone() } else { label };
                                (a.username.clone(), format!("{label} ({})", a.team.unwrap_or_default()))
                            },
                        ))
                        .collect();
                allocation_form(&u, &file, &ae, &af, &officers)
            } else {
                html! {}
            };
            let tasks = if can_investigate(&u) {
                let list = store.tasks_of_crime(id)?;
                let names = super::tasks::owner_names(store, &list)?;
                let owners = super::tasks::owners(store, &u, Some(id), None)?;
                let (te, tf) = Failed::of(&failed, Form::Task);
                let action = format!("/crimes/{id}/tasks");
                super::tasks::section(&u, &list, &action, &owners, &names, &te, &tf, today)
            } else {
                html! {}
            };
            let changes = if c.status == "recorded" || !file.crime.flags.is_empty() {
                let reclassifications = store.reclassifications(id)?;
                let links = store.links_of(id)?;
                let more = super::names_of(
                    store,
                    reclassifications
                        .iter()
                        .flat_map(|r| std::iter::once(r.details.requested_by.as_str()).chain(r.decided_by.as_deref()))
                        .chain(links.iter().map(|l| l.linked_by.as_str())),
                )?;
                let mut all = staff.clone();
                all.extend(more);
                changes::section(&u, &file, &reclassifications, &links, &all, &failed)
            } else {
                html! {}
            };
            let (re, rf) = Failed::of(&failed, Form::Review);
            let reviews = review_section(&u, &file, &reviews, &re, &rf, now.date(), &staff);
            let cancellation = cancellation_section(&u, &file, &requests, &failed);
            let cancelled = match &c.cancellation {
                Some(record) if c.status == "cancelled" => {
                    let field = |k: &str| record.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
                    html! {
                        dt { "Cancelled" }
                        dd {
                            (reason_label(&field("reason"))) ": " (field("detail"))
                            " (by " (field("decided_by")) ", " (html::when(field("at"))) ")"
                        }
                    }
                }
                _ => html! {},
            };
            // The summary leads the page: the form that failed may be far down it, or gone (a
            // crime cancelled meanwhile shows no outcome form), and the message must still be seen.
            let body = html! {
                // Government Security Classifications 2023: personal data of victims and
                // suspects is OFFICIAL, marked OFFICIAL-SENSITIVE for its need-to-know handling.
                p class="marking" { "OFFICIAL-SENSITIVE" }
                h1 { "Crime " (c.reference) }
                p class="print-only" {
                    "Case summary printed " (html::when(now)) " by " (named(u.username())) ". Handle as OFFICIAL-SENSITIVE: \
                     personal data, need to know only."
                }
                p class="no-print hint" { "Printed, this page is the case summary: without its forms, marked and numbered." }
                @if let Some(f) = &failed { (f.errors.summary()) }
                (super::notice(done.map(|n| n.text(None)).as_deref()))
                p class="lead" { (peel_casework::offence_label(&c.offence_code)) }
                p { (tag(class, &headline)) }
                p { (next) }
                dl class="summary" {
                    dt { "Incident" }
                    dd { (inc.reference) " (report " a href={ "/reports/" (inc.report) } { (inc.report) } ")" }
                    dt { "Recorded" } dd { (html::when(c.recorded_at)) " by " (named(&c.recorded_by)) }
                    dt { "Team" } dd { (c.team.as_deref().unwrap_or("—")) }
                    dt { "Officer" } dd { (c.officer.as_deref().map(named).unwrap_or_else(|| "not allocated".into())) }
                    dt { "Outcome" }
                    dd { (c.outcome.as_deref().map(peel_casework::outcome_label).unwrap_or_else(|| "none yet".into())) }
                    dt { "Flags" } dd { (if c.flags.is_empty() { "—".to_string() } else { c.flags.join(", ") }) }
                    (cancelled)
                }
                (allocation)
                (changes)
                h2 id="people" { "People" }
                (html::table("People", &["Name", "Role", "Victims' Code"], &people, "Nobody on the crime."))
                (investigation)
                h2 id="obligations" { "Victims' Code obligations" }
                (html::table(
                    "Victims' Code obligations",
                    &["Right", "What the victim is owed", "Victim", "Due", "Status"],
                    &obligations,
                    "No obligations."
                ))
                (tasks)
                h2 { "Contacts" }
                (html::table("Contacts", &["When", "Victim", "How", "By", "Notes"], &contacts, "No contacts yet."))
                (contact_form)
                (outcome)
                (evidence)
                (reviews)
                (cancellation)
                @if decides_cancellations(&u) {
                    p { a href="/registrar" { "Back to the registrar's lists" } }
                }
            };
            Ok(body)
        })
        .await
}

/// The hidden fields every form that changes the crime carries.
pub(crate) fn hidden(user: &User, version: i64) -> Markup {
    html! {
        (html::csrf_input(user))
        input type="hidden" name="version" value=(version);
    }
}

fn contact_form(
    user: &User,
    file: &CrimeFile,
    errors: &Errors,
    f: &FormData,
    meet: Option<String>,
    now: String,
) -> Markup {
    let c = &file.crime;
    let names: std::collections::HashMap<i64, &str> =
        file.people.iter().map(|p| (p.person.id, p.person.details.name.as_str())).collect();
    let victims: Vec<(String, String)> = file
        .people
        .iter()
        .filter(|p| p.role == "victim")
        .map(|p| (p.person.id.to_string(), p.person.details.name.clone()))
        .collect();
    if !can_contact(user) || c.status != "recorded" || victims.is_empty() {
        return html! {};
    }
    let unmet: Vec<(String, String, String)> = file
        .obligations
        .iter()
        .filter(|o| o.met_at.is_none())
        .map(|o| {
            let due = o.due.map(|d| format!("due {}", html::when(d))).unwrap_or_else(|| "no set time".into());
            (
                o.id.to_string(),
                format!("{}: {}", super::officer::right_label(o.right_no), o.description),
                format!("{} — {due}", names.get(&o.person).copied().unwrap_or("")),
            )
        })
        .collect();
    let fresh = f.0.is_empty();
    let person = if fresh { victims[0].0.clone() } else { f.get("person").to_string() };
    let method = if fresh { "phone".to_string() } else { f.get("method").to_string() };
    let ticked: Vec<&str> = if fresh { meet.as_deref().into_iter().collect() } else { f.all("meets") };
    html! {
        h2 id="contact" { "Log a contact with the victim" }
        form method="post" action={ "/crimes/" (c.id) "/contacts" } novalidate {
            (html::csrf_input(user))
            (errors.select("person", "Victim", &victims, &person))
            (errors.select(
                "method",
                "How",
                &METHODS.iter().map(|m| (m.word().to_string(), m.label().to_string())).collect::<Vec<_>>(),
                &method
            ))
            (errors.input("datetime-local", "at", "When", "Leave blank for now.", f.get("at"), Attrs {
                max: Some(&now),
                ..Attrs::NONE
            }))
            @if unmet.is_empty() {
                p { "Every obligation is met." }
            } @else {
                (errors.choices("checkbox", "meets", "This contact meets", &unmet, &ticked))
            }
            (errors.textarea("notes", "Notes", "What was said or agreed.", f.get("notes")))
            button type="submit" { "Log the contact" }
        }
    }
}

/// The outcome form: a Home Office outcome type 1-22 and the facts its rules depend on.
fn outcome_section(user: &User, file: &CrimeFile, errors: &Errors, f: &FormData) -> Markup {
    let c = &file.crime;
    if !can_investigate(user) || c.status != "recorded" {
        return html! {};
    }
    let fresh = f.0.is_empty();
    let chosen = if fresh { c.outcome.clone().unwrap_or_default() } else { f.get("outcome").trim().to_string() };
    // Outcome 0 is "not yet assigned": the state before an outcome, not one to give.
    let mut options = vec![(String::new(), "Choose an outcome".to_string())];
    options.extend(
        OUTCOME_TYPES.iter().filter(|o| o.code != "0").map(|o| (o.code.to_string(), format!("{} {}", o.code, o.title))),
    );
    if !options.iter().any(|(v, _)| *v == chosen) {
        // Whatever was sent is shown as sent, so the error beside it makes sense.
        options.insert(1, (chosen.clone(), chosen.clone()));
    }
    let suspect = if fresh {
        if file.people.iter().any(|p| p.role == "suspect") {
            "yes"
        } else {
            "no"
        }
    } else {
        f.get("suspect_identified")
    };
    let heading = if c.outcome.is_some() { "Change the outcome" } else { "Set the outcome" };
    html! {
        h2 id="outcome" { (heading) }
        p {
            "Home Office outcome types 1 to 22 (Counting Rules, crime outcomes annex). Each outcome is checked \
             against the facts its rules depend on."
        }
        form method="post" action={ "/crimes/" (c.id) "/outcome" } novalidate {
            (hidden(user, c.version))
            (errors.select("outcome", "Outcome", &options, &chosen))
            (errors.choices(
                "radio",
                "suspect_identified",
                "Is a suspect identified?",
                &[
                    ("yes".to_string(), "Yes, a suspect is identified".to_string(), String::new()),
                    ("no".to_string(), "No suspect is identified".to_string(), String::new()),
                ],
                &[suspect],
            ))
            (errors.input(
                "text",
                "suspect_age",
                "The suspect's age at the offence (if known)",
                "In whole years. Needed for a caution (2 youth, 3 adult) and for outcome 11.",
                f.get("suspect_age"),
                Attrs { inputmode: Some("numeric"), autocomplete: Some("off"), ..Attrs::NONE },
            ))
            (errors.choices(
                "checkbox",
                "admission",
                "Admission",
                &[(
                    "yes".to_string(),
                    "The offender admitted the offence".to_string(),
                    "Needed for a caution (2, 3) and for 4, taken into consideration.".to_string()
                )],
                &f.all("admission"),
            ))
            button type="submit" { (heading) }
        }
    }
}

/// The crime's evidence, with deadlines, and the form to add an item.
/// Whether the user moves crimes between teams and officers: a supervisor (within their
/// scope) or an administrator.
pub(crate) fn reallocates(user: &User) -> bool {
    matches!(user.role, Role::Supervisor | Role::Admin)
}

/// The supervisor's form to reopen a finalised crime, with the reason.
fn reopen_form(user: &User, file: &CrimeFile, errors: &Errors, f: &FormData) -> Markup {
    let c = &file.crime;
    if !(reallocates(user) && c.status == "recorded" && c.outcome.is_some()) {
        return html! {};
    }
    html! {
        h3 id="reopen" { "Reopen the investigation" }
        p { "New evidence or information, or an outcome set in error: the outcome is taken away and the investigation goes on. The outcome it had and your reason stay in the audit trail." }
        form method="post" action={ "/crimes/" (c.id) "/reopen" } novalidate {
            (hidden(user, c.version))
            (errors.textarea("reason", "Why it is reopened", "", f.get("reason")))
            button type="submit" { "Reopen" }
        }
    }
}

/// The supervisor's form to move the crime to another team or officer.
fn allocation_form(
    user: &User,
    file: &CrimeFile,
    errors: &Errors,
    f: &FormData,
    officers: &[(String, String)],
) -> Markup {
    let c = &file.crime;
    let team = if f.0.is_empty() { c.team.clone().unwrap_or_default() } else { f.get("team").to_string() };
    let officer = if f.0.is_empty() { c.officer.clone().unwrap_or_default() } else { f.get("officer").to_string() };
    let teams: Vec<(String, String)> = peel_casework::TEAMS.iter().map(|t| (t.to_string(), t.to_string())).collect();
    html! {
        details id="allocation" open[!errors.is_empty()] {
            summary { "Reallocate the crime" }
            form method="post" action={ "/crimes/" (c.id) "/allocation" } novalidate {
                (hidden(user, c.version))
                (errors.select("team", "Team", &teams, &team))
                (errors.select("officer", "Investigating officer", officers, &officer))
                button type="submit" { "Reallocate" }
            }
        }
    }
}

/// The roles a person may be added to a crime in, with the words the form shows.
pub(crate) const PERSON_ROLES: [(&str, &str); 3] =
    [("suspect", "Suspect"), ("witness", "Witness"), ("victim", "Another victim (owed the Victims' Code from today)")];

/// The investigators' forms under the people: add a suspect, witness or victim; record an
/// arrest, interview, bail, charge or other event, which owes each victim an update (right 6).
fn investigation_forms(
    user: &User,
    file: &CrimeFile,
    (pe, pf): (&Errors, &FormData),
    (ve, vf): (&Errors, &FormData),
    today: Date,
) -> Markup {
    let c = &file.crime;
    if !(can_investigate(user) && c.status == "recorded") {
        return html! {};
    }
    let role = if pf.0.is_empty() { "suspect".to_string() } else { pf.get("role").to_string() };
    let events: Vec<(String, String)> =
        Event::ALL.iter().map(|e| (e.word().to_string(), super::account::capitalised(e.description()))).collect();
    let event = if vf.0.is_empty() { "arrest".to_string() } else { vf.get("event").to_string() };
    let on = if vf.0.is_empty() { today.to_string() } else { vf.get("on").to_string() };
    html! {
        h3 id="add-person" { "Add a person" }
        form method="post" action={ "/crimes/" (c.id) "/people" } novalidate {
            (hidden(user, c.version))
            (pe.choices(
                "radio",
                "role",
                "As",
                &PERSON_ROLES.iter().map(|(v, l)| (v.to_string(), l.to_string(), String::new())).collect::<Vec<_>>(),
                &[role.as_str()]
            ))
            (pe.input("text", "name", "Full name", "", pf.get("name"), Attrs::NONE))
            (pe.input(
                "date",
                "date_of_birth",
                "Date of birth (if known)",
                "",
                pf.get("date_of_birth"),
                Attrs { max: Some(&today.to_string()), ..Attrs::NONE }
            ))
            button type="submit" { "Add the person" }
        }
        h3 id="event" { "Record an investigation event" }
        p { "Each victim is owed news of it within 5 working days, 1 if they have enhanced rights (Victims' Code right 6)." }
        form method="post" action={ "/crimes/" (c.id) "/events" } novalidate {
            (hidden(user, c.version))
            (ve.select("event", "What happened", &events, &event))
            (ve.input("date", "on", "On", "", &on, Attrs { max: Some(&today.to_string()), ..Attrs::NONE }))
            button type="submit" { "Record the event" }
        }
    }
}

fn evidence_section(
    user: &User,
    file: &CrimeFile,
    errors: &Errors,
    f: &FormData,
    today: Date,
    staff: &std::collections::HashMap<String, String>,
) -> Markup {
    let c = &file.crime;
    let kind_label =
        |k: &str| EVIDENCE_KINDS.iter().find(|(v, _)| *v == k).map_or(k.to_string(), |(_, l)| l.to_string());
    let rows: Vec<Vec<Markup>> = file
        .evidence
        .iter()
        .map(|e| {
            let d = &e.details;
            let deadline = match (&d.secured_at, d.deadline) {
                (Some(at), _) => tag("green", &format!("Secured {}", html::when(at))),
                (None, Some(dl)) if dl < today => html! { (html::when(dl)) br; (tag("red", "Passed")) },
                (None, Some(dl)) if dl == today => html! { (html::when(dl)) br; (tag("amber", "Today")) },
                (None, Some(dl)) => html::when(dl).render(),
                (None, None) => "—".render(),
            };
            let secure = html! {
                @if d.secured_at.is_none() && can_investigate(user) && c.status == "recorded" {
                    form method="post" action={ "/crimes/" (c.id) "/evidence-secured" } {
                        (html::csrf_input(user))
                        input type="hidden" name="evidence" value=(e.id);
                        button type="submit" class="secondary" aria-label={ "Mark secured: " (d.description) } { "Mark secured" }
                    }
                }
            };
            vec![
                kind_label(&d.kind).render(),
                d.description.render(),
                deadline,
                super::named(staff, &d.added_by).render(),
                secure,
            ]
        })
        .collect();
    let table =
        html::table("Evidence", &["Kind", "What", "Secure by", "Added by", ""], &rows, "No evidence recorded yet.");
    let kind = if f.0.is_empty() { "cctv".to_string() } else { f.get("kind").to_string() };
    html! {
        h2 id="evidence" { "Evidence" }
        (table)
        @if can_investigate(user) && c.status == "recorded" {
            h3 { "Add evidence" }
            form method="post" action={ "/crimes/" (c.id) "/evidence" } novalidate {
                (hidden(user, c.version))
                (errors.select(
                    "kind",
                    "Kind",
                    &EVIDENCE_KINDS.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect::<Vec<_>>(),
                    &kind
                ))
                (errors.textarea(
                    "description",
                    "What it is and where",
                    "For example: CCTV of the car park, camera 3, held by the hospital's security office.",
                    f.get("description")
                ))
                (errors.input(
                    "date",
                    "deadline",
                    "Secure it by (if there is a deadline)",
                    "For CCTV, the day the system overwrites the footage: ask the owner how long it is kept.",
                    f.get("deadline"),
                    Attrs::NONE
                ))
                button type="submit" { "Add the evidence" }
            }
        }
    }
}

/// Whether the user reviews investigations: supervisors (and admin) set the next review
/// date (seed 003: investigation plans, supervisors' reviews).
fn reviews_investigations(user: &User) -> bool {
    matches!(user.role, Role::Supervisor | Role::Admin)
}

/// The investigation plan and the supervisor's reviews: what has been written, what is due
/// next (a plan within `PLAN_WITHIN_DAYS` of recording, then a review every
/// `REVIEW_EVERY_DAYS` or on the day the last review set), and the forms the role allows.
fn review_section(
    user: &User,
    file: &CrimeFile,
    reviews: &[peel_store::casework::Review],
    errors: &Errors,
    f: &FormData,
    today: peel_domain::date::Date,
    staff: &std::collections::HashMap<String, String>,
) -> Markup {
    let c = &file.crime;
    let rows: Vec<Vec<Markup>> = reviews
        .iter()
        .map(|r| {
            vec![
                html::when(r.at).render(),
                (if r.kind == "plan" { "Investigation plan" } else { "Supervisor's review" }).render(),
                super::named(staff, &r.author).render(),
                r.text.render(),
                r.next_review_due.map(html::when).unwrap_or_default().render(),
            ]
        })
        .collect();
    let table = html::table(
        "Investigation plan and reviews",
        &["When", "What", "By", "Text", "Next review"],
        &rows,
        "No investigation plan yet.",
    );
    let open = c.status == "recorded" && c.outcome.is_none();
    // The same rule as the supervisor's list (peel_casework::review_due).
    let plan_at = reviews.iter().find(|r| r.kind == "plan").map(|r| r.at);
    let next = reviews.iter().rev().find(|r| r.kind == "review").and_then(|r| r.next_review_due);
    let due = match peel_casework::review_due(c.recorded_at, plan_at, next) {
        (what, due) if open => {
            let what = if what == "investigation plan" {
                "The investigation plan is due by"
            } else {
                "The next supervisor's review is due by"
            };
            html! { p { (what) " " (html::when(due.to_string())) @if due < today { " " (tag("red", "Overdue")) } "." } }
        }
        _ => html! {},
    };
    let mut forms = html! {};
    if open && can_investigate(user) {
        let kinds: Vec<(String, String, String)> = std::iter::once((
            "plan".to_string(),
            "Investigation plan".to_string(),
            "The lines of enquiry, the evidence to secure and the victim's needs.".to_string(),
        ))
        .chain(reviews_investigations(user).then(|| {
            (
                "review".to_string(),
                "Supervisor's review".to_string(),
                "Progress against the plan, and what is to be done before the next review.".to_string(),
            )
        }))
        .collect();
        let kind = if f.0.is_empty() { "plan" } else { f.get("kind") };
        let next_hint = format!("Leave empty for {} days from today.", peel_casework::REVIEW_EVERY_DAYS);
        forms = html! {
            h3 { "Write a plan or review" }
            form method="post" action={ "/crimes/" (c.id) "/reviews" } novalidate {
                (html::csrf_input(user))
                (errors.choices("radio", "kind", "What it is", &kinds, &[kind]))
                (errors.textarea("text", "Text", "", f.get("text")))
                @if reviews_investigations(user) {
                    (errors.input(
                        "date",
                        "next_review_due",
                        "Next review by (for a review)",
                        &next_hint,
                        f.get("next_review_due"),
                        Attrs::NONE,
                    ))
                }
                button type="submit" { "Record it" }
            }
        };
    }
    html! {
        h2 id="reviews" { "Investigation plan and reviews" }
        (due)
        (table)
        (forms)
    }
}

/// Requests to cancel the crime, and the form the user's role allows: the decision maker's
/// cancel (and refuse) forms, or an officer's request.
fn cancellation_section(user: &User, file: &CrimeFile, requests: &[CancelRequest], failed: &Option<Failed>) -> Markup {
    let c = &file.crime;
    let pending = requests.iter().find(|r| r.status == "pending" && c.status == "recorded");
    let rows: Vec<Vec<Markup>> = requests
        .iter()
        .map(|r| {
            let by = r.decided_by.as_deref().unwrap_or("");
            let at = r.decided_at.map(html::when).unwrap_or_default();
            let answer = match r.status.as_str() {
                "pending" if c.status == "recorded" => tag("amber", "Waiting for a decision maker"),
                "pending" => tag("", "Not needed: cancelled otherwise"),
                "cancelled" => html! { (tag("", "Cancelled")) br; "by " (by) ", " (at) },
                _ => html! { (tag("red", "Refused")) br; "by " (by) ", " (at) ": " (r.note.as_deref().unwrap_or("")) },
            };
            vec![
                html! { (r.details.requested_by) br; (html::when(r.requested_at)) },
                reason_label(&r.details.reason).render(),
                r.details.detail.render(),
                answer,
            ]
        })
        .collect();
    let history = html! {
        @if !rows.is_empty() {
            h2 id="cancellation" { "Requests to cancel" }
            (html::table("Requests to cancel", &["Asked by", "Reason", "Detail", "Decision"], &rows, ""))
        }
    };
    let rules = "A recorded crime is cancelled only for one of the reasons below, and only by a designated decision \
                 maker (Home Office Counting Rules, General Rules section C).";
    let form = if c.status != "recorded" {
        html! {}
    } else if decides_cancellations(user) {
        let (errors, f) = Failed::of(failed, Form::Cancel);
        let (reason, detail) = match (f.0.is_empty(), pending) {
            (true, Some(p)) => (p.details.reason.clone(), p.details.detail.clone()),
            _ => (f.get("reason").to_string(), f.get("detail").to_string()),
        };
        html! {
            h2 id="cancel" { "Cancel this crime record" }
            p { (rules) " You decide as the designated decision maker." }
            @if let Some(p) = pending {
                p {
                    (p.details.requested_by) " asked for this on " (html::when(p.requested_at)) "; the reason and \
                     detail they gave are filled in. You may change them, or refuse the request below."
                }
            }
            form method="post" action={ "/crimes/" (c.id) "/cancel" } novalidate {
                (hidden(user, c.version))
                (errors.choices("radio", "reason", "Reason", &reason_choices(), &[reason.as_str()]))
                (errors.textarea("detail", "Detail", "What the reason rests on.", &detail))
                button type="submit" { "Cancel the crime record" }
            }
            @if let Some(p) = pending {
                @let (re, rf) = Failed::of(failed, Form::Refuse);
                h3 { "Refuse the request" }
                form method="post" action={ "/crimes/" (c.id) "/cancellation-request/refuse" } novalidate {
                    (html::csrf_input(user))
                    input type="hidden" name="request" value=(p.id);
                    (re.textarea(
                        "note",
                        "Why the request is refused",
                        "The officer who asked sees this on the crime's page.",
                        rf.get("note")
                    ))
                    button type="submit" class="secondary" { "Refuse the request" }
                }
            }
        }
    } else if may_request_cancellation(user) && pending.is_none() {
        let (errors, f) = Failed::of(failed, Form::Request);
        html! {
            h2 id="cancel" { "Ask for this crime record to be cancelled" }
            p {
                (rules) " Your request goes on the crime registrar's list, and the decision maker's answer shows here."
            }
            form method="post" action={ "/crimes/" (c.id) "/cancellation-request" } novalidate {
                (hidden(user, c.version))
                (errors.choices("radio", "reason", "Reason", &reason_choices(), &[f.get("reason")]))
                (errors.textarea("detail", "Detail", "What the reason rests on.", f.get("detail")))
                button type="submit" { "Ask for cancellation" }
            }
        }
    } else {
        html! {}
    };
    html! { (history) (form) }
}

#[derive(serde::Deserialize, Default)]
pub struct Logged {
    logged: Option<String>,
    done: Option<String>,
    /// An obligation to tick in the contact form (the worklist's link).
    meet: Option<i64>,
}

pub async fn page(
    State(state): State<WebState>,
    user: User,
    super::CrimeId(id): super::CrimeId,
    Query(q): Query<Logged>,
) -> Result<Response, WebError> {
    // Only the crime page's own notices: a key of another page's shows no banner here.
    let done = match (q.logged, q.done.as_deref().and_then(Notice::parse)) {
        (Some(_), _) => Some(Notice::ContactLogged),
        (
            None,
            Some(
                n @ (Notice::ContactLogged
                | Notice::OutcomeSet
                | Notice::EvidenceAdded
                | Notice::PersonAdded
                | Notice::EventRecorded
                | Notice::Reallocated
                | Notice::Reopened
                | Notice::EvidenceSecured
                | Notice::PlanRecorded
                | Notice::ReviewRecorded
                | Notice::CrimeCancelled
                | Notice::CancellationRequested
                | Notice::CancellationRefused),
            ),
        ) => Some(n),
        _ => None,
    };
    let meet = q.meet.map(|m| m.to_string());
    let body = render_page(&state, &user, id, None, done, meet).await?;
    Ok((Disclosed::read("crime", id).by(user.username()), render(&user, "Crime", body)).into_response())
}

/// The page again with `form` failed: `field` at fault, what was typed kept.
pub(crate) async fn failed(
    state: &WebState,
    user: &User,
    id: i64,
    form: Form,
    data: FormData,
    (field, message, status): Problem,
) -> Result<Response, WebError> {
    let mut errors = Errors::default();
    errors.add(&field, message);
    failed_with(state, user, id, Failed { form, errors, data }, status).await
}

pub(crate) async fn failed_with(
    state: &WebState,
    user: &User,
    id: i64,
    failed: Failed,
    status: StatusCode,
) -> Result<Response, WebError> {
    let body = render_page(state, user, id, Some(failed), None, None).await?;
    Ok((status, render(user, "Crime", body)).into_response())
}

pub async fn log_contact(
    State(state): State<WebState>,
    PathId(id): PathId,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    if !can_contact(&user) {
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
                    Err(CaseError::Store(e @ (StoreError::Refused(_) | StoreError::Conflict { .. }))) => {
                        Ok(Err(("meets", e.to_string())))
                    }
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
    failed_with(&state, &user, id, Failed { form: Form::Contact, errors, data: form }, StatusCode::UNPROCESSABLE_ENTITY)
        .await
}
