//! The crime registrar: the recording-decision queue with the 24-hour clock, the decision
//! form — a crime with its offence code and victim, or a non-crime — and the cancellations
//! needing a decision maker: officers' requests to cancel a crime, which the registrar, as
//! the designated decision maker, decides on the crime's page.

use super::{notice, render, Done, PathId};
use crate::auth::{Role, User};
use crate::form::{FormData, PostForm};
use crate::html::{self, esc, Errors};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use peel_casework::{CaseError, DecisionInput, VictimOffences};
use peel_domain::offence;
use peel_store::casework::{PersonDetails, PersonRef};
use std::fmt::Write;

const ROLES: [Role; 3] = [Role::Registrar, Role::Supervisor, Role::Admin];

const TEAMS: [&str; 9] = [
    "Local investigation team",
    "Neighbourhood team",
    "Public Protection Unit",
    "Public Protection Unit - high-risk domestic abuse",
    "Public Protection Unit - serious sexual offences",
    "Public Protection Unit - child abuse",
    "Child sexual exploitation team",
    "Economic Crime Unit",
    "High Harm and Vulnerability Team",
];

fn left(minutes: i64) -> String {
    let m = minutes.abs();
    let text = if m >= 60 { format!("{} h {} min", m / 60, m % 60) } else { format!("{m} min") };
    if minutes < 0 {
        format!("overdue by {text}")
    } else {
        format!("{text} left")
    }
}

pub async fn queue(State(state): State<WebState>, user: User, Query(q): Query<Done>) -> Result<Response, WebError> {
    user.require(&ROLES)?;
    let rows = state
        .run(|store, now| {
            let due = peel_casework::decisions_due(store, now)?;
            let sites: std::collections::HashMap<i64, String> =
                store.sites()?.into_iter().map(|s| (s.id, s.details.name)).collect();
            let mut rows = Vec::new();
            for d in due.iter().take(300) {
                let r = store.report(d.incident.report)?;
                let clock = if d.overdue {
                    super::tag("red", &left(d.minutes_left))
                } else if d.minutes_left < 4 * 60 {
                    super::tag("amber", &left(d.minutes_left))
                } else {
                    super::tag("", &left(d.minutes_left))
                };
                rows.push(vec![
                    format!("<a href=\"/registrar/incidents/{}\">{}</a>", d.incident.id, esc(&d.incident.reference)),
                    format!(
                        "<a href=\"/reports/{}\">{}</a><br>{}",
                        r.id,
                        esc(&r.reference),
                        esc(&html::when(&r.reported_at))
                    ),
                    format!("{}<br>{clock}", esc(&html::when(&d.incident.decision_due))),
                    esc(&r.kind),
                    esc(&r.channel),
                    esc(r.site.and_then(|s| sites.get(&s).cloned()).as_deref().unwrap_or("")),
                ]);
            }
            // Requests to cancel, oldest first: each waits on the decision maker, and the
            // crime stays counted meanwhile.
            let mut cancellations = Vec::new();
            for p in store.pending_cancel_requests()? {
                let r = &p.request;
                cancellations.push(vec![
                    format!("<a href=\"/crimes/{}#cancel\">{}</a>", r.details.crime, esc(&p.crime_reference)),
                    esc(&peel_casework::offence_label(&p.offence_code)),
                    esc(&peel_domain::recording::CancellationReason::parse(&r.details.reason)
                        .map_or(r.details.reason.clone(), |x| x.description().to_string())),
                    esc(&r.details.detail),
                    format!("{}<br>{}", esc(&r.details.requested_by), esc(&html::when(&r.requested_at))),
                    esc(p.team.as_deref().unwrap_or("")),
                ]);
            }
            Ok((rows, due.len(), cancellations))
        })
        .await?;
    let (rows, total, cancellations) = rows;
    let done = q.done.map(|d| format!("Decision recorded: {d}."));
    let body = format!(
        "<h1>Recording decisions due</h1>{}<p>Every report of a crime or incident needs a recording decision within 24 \
         hours (Crime Recording Rules). {total} awaiting a decision, soonest due first.</p>{}",
        notice(done.as_deref()),
        html::table(
            "Recording decisions due",
            &["Incident", "Report", "Decision due", "Kind", "Channel", "Site"],
            &rows,
            "Nothing is waiting for a decision."
        )
    );
    let body = format!(
        "{body}<h2 id=\"cancellations\">Cancellations needing a decision maker</h2><p>Officers' requests to cancel a \
         recorded crime. Only a designated decision maker cancels, and only for a reason the Home Office Counting Rules \
         allow (General Rules, section C): open the crime to cancel it or to refuse the request with a note. {n} \
         waiting, oldest first.</p>{table}",
        n = cancellations.len(),
        table = html::table(
            "Cancellations needing a decision maker",
            &["Crime", "Offence", "Reason", "Detail", "Asked by", "Team"],
            &cancellations,
            "No cancellation is waiting for a decision."
        )
    );
    Ok(render(&user, "Recording decisions", &body).into_response())
}

fn decisions() -> Vec<(String, String, String)> {
    [
        ("crime", "Record a crime", "On the balance of probabilities a crime took place."),
        ("non-crime", "Non-crime incident", ""),
        ("non-crime-domestic-abuse", "Non-crime domestic abuse incident", ""),
        ("hate-incident", "Non-crime hate incident", ""),
        ("fgm-concern", "FGM concern (non-crime)", ""),
        ("cse-concern", "Child sexual exploitation concern (non-crime)", ""),
        ("transferred", "Transfer to another force", "It happened in another force's area."),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect()
}

const VULNERABILITIES: [(&str, &str); 4] = [
    ("mental-disorder", "Mental disorder"),
    ("learning-disability", "Learning disability or impaired intelligence"),
    ("physical-disability", "Physical disability or disorder"),
    ("intimidated", "Afraid or distressed about giving evidence"),
];

const FLAGS: [(&str, &str); 4] = [
    ("hospital-site", "On a hospital site"),
    ("domestic-abuse", "Domestic abuse"),
    ("business-crime", "Business crime"),
    ("retail-worker", "Against a retail worker"),
];

async fn render_form(
    state: &WebState,
    user: &User,
    id: i64,
    errors: Errors,
    f: FormData,
) -> Result<(String, bool), WebError> {
    let u = user.clone();
    state
        .run(move |store, now| {
            let inc = store.incident(id)?;
            let r = store.report(inc.report)?;
            let site = match r.site {
                Some(s) => store.sites()?.into_iter().find(|x| x.id == s).map(|x| x.details.name),
                None => None,
            };
            let officers: Vec<(String, String)> = std::iter::once((String::new(), "Not yet allocated".to_string()))
                .chain(
                    store
                        .accounts()?
                        .into_iter()
                        .filter(|a| a.role == "officer")
                        .map(|a| (a.username.clone(), format!("{} ({})", a.display_name, a.team.unwrap_or_default()))),
                )
                .collect();
            let fresh = f.0.is_empty();
            let team_default = inc.team.clone().unwrap_or_else(|| TEAMS[0].to_string());
            let team = if fresh { team_default } else { f.get("team").to_string() };
            let mut teams: Vec<(String, String)> = TEAMS.iter().map(|t| (t.to_string(), t.to_string())).collect();
            if !TEAMS.contains(&team.as_str()) && !team.is_empty() {
                teams.insert(0, (team.clone(), team.clone()));
            }
            let flags_on: Vec<&str> = if fresh {
                if r.site.is_some() {
                    vec!["hospital-site"]
                } else {
                    vec![]
                }
            } else {
                f.all("flags")
            };
            let mut codes = String::from("<datalist id=\"offence-codes\">");
            for o in offence::all() {
                let _ = write!(codes, "<option value=\"{}\">{} — {}</option>", esc(o.code), esc(o.code), esc(o.description));
            }
            codes.push_str("</datalist>");
            let decided = inc.status != "open";
            let status = if decided {
                format!(
                    "<div class=\"notice\"><p>Decided: {} by {} at {}.</p></div>",
                    esc(&inc.status),
                    esc(inc.decided_by.as_deref().unwrap_or("")),
                    esc(&html::when(inc.decided_at.as_deref().unwrap_or("")))
                )
            } else {
                let minutes = now.minutes_until(peel_domain::date::Timestamp::parse(&inc.decision_due).unwrap_or(now));
                format!(
                    "<p class=\"lead\">Decision due by {} ({}).</p>",
                    esc(&html::when(&inc.decision_due)),
                    esc(&left(minutes))
                )
            };
            let form = if decided {
                String::new()
            } else {
                format!(
                    "<h2>Recording decision</h2>{summary}<form method=\"post\" action=\"/registrar/incidents/{id}\" novalidate>{csrf}\
                     <input type=\"hidden\" name=\"version\" value=\"{version}\">{decision}\
                     <h3>If a crime: the victim and the offence</h3>{offence}{victim}{dob}{vuln}{business}{flags}{team}{officer}\
                     <button type=\"submit\">Record the decision</button></form>{codes}",
                    summary = errors.summary(),
                    csrf = html::csrf_input(&u),
                    version = inc.version,
                    decision = errors.choices("radio", "decision", "Decision", &decisions(), &[f.get("decision")]),
                    offence = errors.input(
                        "text",
                        "offence_code",
                        "Home Office offence code",
                        "For example 8N (assault with injury), 105A (assault without injury), 8L (harassment), 49 (other theft), 58D (other criminal damage).",
                        f.get("offence_code"),
                        " list=\"offence-codes\" autocomplete=\"off\" spellcheck=\"false\""
                    ),
                    victim = errors.input("text", "victim_name", "Victim's name", "", f.get("victim_name"), ""),
                    dob = errors.input(
                        "date",
                        "date_of_birth",
                        "Victim's date of birth (if known)",
                        "Under 18s are owed the enhanced service.",
                        f.get("date_of_birth"),
                        ""
                    ),
                    vuln = errors.choices(
                        "checkbox",
                        "vulnerabilities",
                        "Is the victim vulnerable or intimidated?",
                        &VULNERABILITIES.iter().map(|(v, l)| (v.to_string(), l.to_string(), String::new())).collect::<Vec<_>>(),
                        &f.all("vulnerabilities"),
                    ),
                    business = errors.choices(
                        "checkbox",
                        "is_business",
                        "Business victim",
                        &[("yes".to_string(), "The victim is a business or organisation".to_string(), String::new())],
                        &f.all("is_business"),
                    ),
                    flags = errors.choices(
                        "checkbox",
                        "flags",
                        "Flags",
                        &FLAGS.iter().map(|(v, l)| (v.to_string(), l.to_string(), String::new())).collect::<Vec<_>>(),
                        &flags_on,
                    ),
                    team = errors.select("team", "Team", &teams, &team),
                    officer = errors.select("officer", "Investigating officer", &officers, f.get("officer")),
                )
            };
            Ok((
                format!(
                    "<h1>Incident {iref}</h1>{status}<dl class=\"summary\"><dt>Report</dt><dd><a href=\"/reports/{rid}\">{rref}</a></dd>\
                     <dt>Reported</dt><dd>{when}</dd><dt>Kind</dt><dd>{kind}</dd><dt>Channel</dt><dd>{channel}</dd>\
                     <dt>Site</dt><dd>{site}</dd><dt>Where</dt><dd>{loc}</dd></dl><h2>What was reported</h2><p>{account}</p>{form}",
                    iref = esc(&inc.reference),
                    rid = r.id,
                    rref = esc(&r.reference),
                    when = esc(&html::when(&r.reported_at)),
                    kind = esc(&r.kind),
                    channel = esc(&r.channel),
                    site = esc(site.as_deref().unwrap_or("—")),
                    loc = esc(r.location.as_deref().unwrap_or("—")),
                    account = esc(&r.account).replace('\n', "<br>"),
                ),
                decided,
            ))
        })
        .await
}

pub async fn form(State(state): State<WebState>, user: User, PathId(id): PathId) -> Result<Response, WebError> {
    user.require(&ROLES)?;
    let (body, _) = render_form(&state, &user, id, Errors::default(), FormData::default()).await?;
    Ok(render(&user, "Recording decision", &body).into_response())
}

pub async fn decide(State(state): State<WebState>, PathId(id): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    user.require(&ROLES)?;
    let mut errors = Errors::default();
    let decision = form.get("decision").to_string();
    let version: i64 =
        form.get("version").parse().map_err(|_| WebError::BadRequest("the form has no version".into()))?;
    if decision.is_empty() {
        errors.add("decision", "Choose a decision");
    }
    let crime = decision == "crime";
    if crime {
        if form.get("offence_code").trim().is_empty() {
            errors.add("offence_code", "Enter the offence code");
        } else if offence::by_code(form.get("offence_code")).is_none() {
            errors.add(
                "offence_code",
                format!("'{}' is not a Home Office offence code", form.get("offence_code").trim()),
            );
        }
        if form.get("victim_name").trim().is_empty() {
            errors.add("victim_name", "Enter the victim's name");
        }
    }
    if errors.is_empty() {
        let victims = if crime {
            vec![VictimOffences {
                person: PersonRef::New(PersonDetails {
                    name: form.get("victim_name").trim().to_string(),
                    date_of_birth: form.opt("date_of_birth"),
                    vulnerabilities: form.all("vulnerabilities").into_iter().map(str::to_string).collect(),
                    is_business: form.get("is_business") == "yes",
                    ..Default::default()
                }),
                offence_codes: vec![
                    offence::by_code(form.get("offence_code")).map_or(String::new(), |o| o.code.to_string())
                ],
                themes: vec![],
                flags: form.all("flags").into_iter().map(str::to_string).collect(),
                age_at_offence: None,
                bereaved_close_relative: false,
            }]
        } else {
            vec![]
        };
        let input = DecisionInput {
            version,
            decision,
            victims,
            team: if crime { form.opt("team") } else { None },
            officer: if crime { form.opt("officer") } else { None },
        };
        let actor = user.username().to_string();
        let result = state
            .run(move |store, now| match peel_casework::record_decision(store, id, &input, &actor, now) {
                Ok((inc, crimes)) => {
                    Ok(Ok((inc.reference, crimes.into_iter().map(|c| c.reference).collect::<Vec<_>>())))
                }
                Err(CaseError::Invalid(f)) => Ok(Err((f.field, f.message))),
                Err(CaseError::Store(
                    e @ (peel_store::StoreError::Conflict { .. } | peel_store::StoreError::Refused(_)),
                )) => Ok(Err(("decision", e.to_string()))),
                Err(e) => Err(e.into()),
            })
            .await?;
        match result {
            Ok((inc, crimes)) => {
                let done =
                    if crimes.is_empty() { inc } else { format!("{inc} recorded as crime {}", crimes.join(", ")) };
                return Ok(Redirect::to(&format!("/registrar?done={}", html::url_encode(&done))).into_response());
            }
            Err((field, message)) => {
                let field = match field {
                    "victims" => "victim_name",
                    "offence_codes" => "offence_code",
                    "date_of_birth" => "date_of_birth",
                    _ => "decision",
                };
                errors.add(field, message);
            }
        }
    }
    let (body, _) = render_form(&state, &user, id, errors, form).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&user, "Recording decision", &body)).into_response())
}
