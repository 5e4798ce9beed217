//! The crime registrar: the recording-decision queue with the 24-hour clock, the decision
//! form — a crime with its offence code and victim, or a non-crime — and the cancellations
//! needing a decision maker: officers' requests to cancel a crime, which the registrar, as
//! the designated decision maker, decides on the crime's page.

use super::{notice, render, Notice, PathId};
use crate::access_log::Disclosed;
use crate::auth::User;
use crate::form::{FormData, PostForm};
use crate::html::{self, Attrs, Errors};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, Render};
use peel_casework::{CaseError, DecisionInput, VictimOffences};
use peel_domain::offence;
use peel_store::casework::{PersonDetails, PersonRef};

use peel_casework::TEAMS;

fn left(minutes: i64) -> String {
    let m = minutes.abs();
    let text = if m >= 60 { format!("{} h {} min", m / 60, m % 60) } else { format!("{m} min") };
    if minutes < 0 {
        format!("overdue by {text}")
    } else {
        format!("{text} left")
    }
}

/// Lines on a page of the recording-decision queue.
const QUEUE_LINES: usize = 100;
/// The most lines the queue's CSV holds.
const QUEUE_CSV_LINES: usize = 10_000;

/// `?done=decided&incident=ID`: the banner names the incident and its crimes as the store has
/// them. The rest narrows and orders the queue (issue 10 §5): `overdue=yes`, `channel=`,
/// `kind=`, `site=` (a site's id), `sort=newest` (newest report first; soonest due
/// otherwise), `page=`.
#[derive(serde::Deserialize, Default)]
pub struct Decided {
    done: Option<String>,
    incident: Option<String>,
    page: Option<usize>,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    sort: String,
}

impl Decided {
    fn filters(&self) -> String {
        html::query_tail(&[
            ("overdue", &self.overdue),
            ("channel", &self.channel),
            ("kind", &self.kind),
            ("site", &self.site),
            ("sort", &self.sort),
        ])
    }

    /// The queue's incidents kept by the filters, each with its report, in the order asked.
    fn lines(
        &self,
        store: &dyn peel_http::CaseStore,
        due: Vec<peel_casework::DecisionDue>,
    ) -> Result<Vec<(peel_casework::DecisionDue, peel_store::casework::Report)>, WebError> {
        let site: Option<i64> = match self.site.trim() {
            "" => None,
            s => Some(s.parse().map_err(|_| WebError::BadRequest(format!("site: '{s}' is not a site")))?),
        };
        let mut out = Vec::new();
        for d in due {
            if self.overdue == "yes" && !d.overdue {
                continue;
            }
            let r = store.report(d.incident.report)?;
            let keep = (self.channel.is_empty() || r.channel == self.channel)
                && (self.kind.is_empty() || r.kind == self.kind)
                && (site.is_none() || r.site == site);
            if keep {
                out.push((d, r));
            }
        }
        if self.sort == "newest" {
            // Stable: the same report time keeps the soonest-due order.
            out.sort_by_key(|(_, r)| std::cmp::Reverse(r.reported_at));
        }
        Ok(out)
    }

    fn form(&self, sites: &[(i64, String)]) -> Markup {
        let e = Errors::default();
        let mut site_options = vec![(String::new(), "Every site, and none".to_string())];
        site_options.extend(sites.iter().map(|(id, name)| (id.to_string(), name.clone())));
        let mut channels = vec![(String::new(), "Every channel".to_string())];
        channels.extend(peel_casework::CHANNELS.iter().map(|c| (c.to_string(), c.to_string())));
        html! {
            details open[!self.filters().is_empty()] {
                summary { "Filter or sort the queue" }
                form method="get" action="/registrar" {
                    (e.select("overdue", "When", &html::options(&[("", "Every decision due"), ("yes", "Overdue only")]), &self.overdue))
                    (e.select("channel", "Channel", &channels, &self.channel))
                    (e.select("kind", "Kind", &html::options(&[("", "Every kind"), ("crime", "Crime"), ("incident", "Incident")]), &self.kind))
                    (e.select("site", "Site", &site_options, &self.site))
                    (e.select("sort", "Order", &html::options(&[("", "Soonest due first"), ("newest", "Newest report first")]), &self.sort))
                    button type="submit" { "Filter" }
                    " " a href="/registrar" { "Clear the filters" }
                }
            }
        }
    }
}

/// The recording-decision queue as CSV, filtered as on the page: references, no ids.
pub async fn queue_csv(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<Decided>,
) -> Result<Response, WebError> {
    let (lines, sites) = state
        .run(move |store, now| {
            let lines = q.lines(store, peel_casework::decisions_due(store, now)?)?;
            let sites: std::collections::HashMap<i64, String> =
                store.sites()?.into_iter().map(|s| (s.id, s.details.name)).collect();
            Ok((lines, sites))
        })
        .await?;
    let lines = &lines[..lines.len().min(QUEUE_CSV_LINES)];
    let rows = lines.iter().map(|(d, r)| {
        [
            d.incident.reference.clone(),
            r.reference.clone(),
            r.reported_at.to_string(),
            d.incident.decision_due.to_string(),
            if d.overdue { "yes".into() } else { "no".into() },
            r.kind.clone(),
            r.channel.clone(),
            r.site.and_then(|s| sites.get(&s).cloned()).unwrap_or_default(),
        ]
    });
    let download = super::audit::csv_download(
        "recording-decisions-due.csv",
        "incident,report,reported,decision_due,overdue,kind,channel,site",
        rows,
    );
    let shown = Disclosed::new(peel_store::audit::Access::Export, "incident", lines.iter().map(|(d, _)| d.incident.id))
        .by(user.username());
    Ok((shown, download).into_response())
}

pub async fn queue(State(state): State<WebState>, user: User, Query(q): Query<Decided>) -> Result<Response, WebError> {
    let decided = match q.done.as_deref().and_then(Notice::parse) {
        Some(Notice::DecisionRecorded) => Some(q.incident.as_deref().and_then(|i| i.parse::<i64>().ok())),
        _ => None,
    };
    let page = q.page.unwrap_or(1).clamp(1, super::victim_care::MAX_PAGE);
    let (filters, q) = (q.filters(), std::sync::Arc::new(q));
    let query = q.clone();
    let supervised = user.account.team.clone().filter(|_| user.role == crate::auth::Role::Supervisor);
    let rows = state
        .run(move |store, now| {
            let banner = match decided {
                Some(Some(id)) => {
                    let what = match store.incident(id) {
                        Ok(inc) if inc.status != "open" => {
                            let crimes: Vec<String> =
                                store.crimes_for_incident(id)?.into_iter().map(|c| c.reference).collect();
                            Some(if crimes.is_empty() {
                                inc.reference
                            } else {
                                format!("{} recorded as crime {}", inc.reference, crimes.join(", "))
                            })
                        }
                        Ok(_) | Err(peel_store::StoreError::NotFound { .. }) => None,
                        Err(e) => return Err(e.into()),
                    };
                    Some(Notice::DecisionRecorded.text(what.as_deref()))
                }
                Some(None) => Some(Notice::DecisionRecorded.text(None)),
                None => None,
            };
            let due = query.lines(store, peel_casework::decisions_due(store, now)?)?;
            let all_sites: Vec<(i64, String)> = store.sites()?.into_iter().map(|s| (s.id, s.details.name)).collect();
            let sites: std::collections::HashMap<i64, String> = all_sites.iter().cloned().collect();
            let total = due.len();
            let due: Vec<_> = due.into_iter().skip((page - 1) * QUEUE_LINES).take(QUEUE_LINES).collect();
            let mut rows = Vec::new();
            for (d, r) in &due {
                let clock = if d.overdue {
                    super::tag("red", &left(d.minutes_left))
                } else if d.minutes_left < 4 * 60 {
                    super::tag("amber", &left(d.minutes_left))
                } else {
                    super::tag("", &left(d.minutes_left))
                };
                rows.push(vec![
                    html! { a href={ "/registrar/incidents/" (d.incident.id) } { (d.incident.reference) } },
                    html! { a href={ "/reports/" (r.id) } { (r.reference) } br; (html::when(r.reported_at)) },
                    html! { (html::when(d.incident.decision_due)) br; (clock) },
                    r.kind.render(),
                    r.channel.render(),
                    r.site.and_then(|s| sites.get(&s).cloned()).as_deref().unwrap_or("").render(),
                ]);
            }
            // Requests to cancel, oldest first: each waits on the decision maker, and the
            // crime stays counted meanwhile.
            let mut cancellations = Vec::new();
            let mut shown = Disclosed::list("incident", due.iter().map(|(d, _)| d.incident.id));
            // A team supervisor sees their team's requests only (need to know), as below.
            let pending: Vec<_> = store
                .pending_cancel_requests()?
                .into_iter()
                .filter(|p| supervised.is_none() || p.team == supervised)
                .collect();
            let askers = super::names_of(store, pending.iter().map(|p| p.request.details.requested_by.as_str()))?;
            for p in pending {
                shown = shown.and("crime", [p.request.details.crime]);
                let r = &p.request;
                cancellations.push(vec![
                    html! { a href={ "/crimes/" (r.details.crime) "#cancel" } { (p.crime_reference) } },
                    peel_casework::offence_label(&p.offence_code).render(),
                    peel_domain::recording::CancellationReason::parse(&r.details.reason)
                        .map_or(r.details.reason.clone(), |x| x.description().to_string())
                        .render(),
                    r.details.detail.render(),
                    html! { (super::named(&askers, &r.details.requested_by)) br; (html::when(r.requested_at)) },
                    p.team.as_deref().unwrap_or("").render(),
                ]);
            }
            // Reclassifications waiting for the registrar, oldest first (issue 10 §3).
            let mut reclassifications = Vec::new();
            // A team supervisor sees their team's only (need to know); the registrar the force's.
            let team = supervised.clone();
            for r in store.pending_reclassifications()? {
                if let Some(t) = &team {
                    if store.crime(r.details.crime)?.crime.team.as_ref() != Some(t) {
                        continue;
                    }
                }
                shown = shown.and("crime", [r.details.crime]);
                reclassifications.push(vec![
                    html! { a href={ "/crimes/" (r.crime_reference) "#reclassify" } { (r.crime_reference) } },
                    html! { (peel_casework::offence_label(&r.from_code)) " → " (peel_casework::offence_label(&r.details.to_code)) },
                    html! { (super::crime::reclassification_reason(&r.details.reason)) ": " (r.details.detail) },
                    html! { (super::named(&super::names_of(store, [r.details.requested_by.as_str()])?, &r.details.requested_by)) br; (html::when(r.requested_at)) },
                ]);
            }
            Ok((rows, total, cancellations, banner, shown, reclassifications, all_sites))
        })
        .await?;
    let (rows, total, cancellations, banner, shown, reclassifications, sites) = rows;
    let body = html! {
        h1 { "Recording decisions due" }
        (notice(banner.as_deref()))
        p {
            "Every report of a crime or incident needs a recording decision within 24 hours (Crime Recording \
             Rules). " (total) " awaiting a decision"
            @if filters.is_empty() { ", soonest due first." } @else { ", filtered." }
        }
        (q.form(&sites))
        p { a href={ "/registrar.csv?" (filters.trim_start_matches('&')) } download { "Download the queue as CSV" } }
        (html::table(
            "Recording decisions due",
            &["Incident", "Report", "Decision due", "Kind", "Channel", "Site"],
            &rows,
            "Nothing is waiting for a decision."
        ))
        (html::pager("Pages of the recording decisions due", |n| format!("/registrar?page={n}{filters}"), page, QUEUE_LINES, total))
        h2 id="cancellations" { "Cancellations needing a decision maker" }
        p {
            "Officers' requests to cancel a recorded crime. Only a designated decision maker cancels, and only for a \
             reason the Home Office Counting Rules allow (General Rules, section C): open the crime to cancel it or \
             to refuse the request with a note. " (cancellations.len()) " waiting, oldest first."
        }
        (html::table(
            "Cancellations needing a decision maker",
            &["Crime", "Offence", "Reason", "Detail", "Asked by", "Team"],
            &cancellations,
            "No cancellation is waiting for a decision."
        ))
        h2 id="reclassifications" { "Reclassifications waiting for the registrar" }
        p { "Changes of offence asked for by officers, with their Counting Rules reason: open the crime to approve or refuse. " (reclassifications.len()) " waiting, oldest first." }
        (html::table(
            "Reclassifications waiting for the registrar",
            &["Crime", "From → to", "Why", "Asked by"],
            &reclassifications,
            "No reclassification is waiting."
        ))
    };
    Ok((shown.by(user.username()), render(&user, "Recording decisions", body)).into_response())
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

/// The recording form's flag choices: the whole of the domain's vocabulary
/// (`peel_domain::flags`), hate crime once per strand, so that every choice offered is one the
/// recording rules accept (the form once offered a "retail-worker" word they refused).
pub(crate) fn flag_choices() -> Vec<(String, String, String)> {
    let mut choices: Vec<(String, String, String)> = peel_domain::flags::all_flags()
        .map(|(word, label)| (word.to_string(), super::account::capitalised(label), String::new()))
        .collect();
    for strand in peel_domain::flags::HATE_STRANDS {
        choices.push((
            format!("hate-crime:{strand}"),
            format!("Hate crime: {}", strand.replace('-', " ")),
            String::new(),
        ));
    }
    choices
}

async fn render_form(
    state: &WebState,
    user: &User,
    id: i64,
    errors: Errors,
    f: FormData,
) -> Result<(Markup, bool), WebError> {
    let u = user.clone();
    state
        .run(move |store, now| {
            let inc = store.incident(id)?;
            let r = store.report(inc.report)?;
            let site = match r.site {
                Some(s) => store.sites()?.into_iter().find(|x| x.id == s).map(|x| x.details.name),
                None => None,
            };
            // Who sent it, by name and site or collar number, not by username.
            let sent_by = super::who(store, &r.created_by)?;
            let officers: Vec<(String, String)> =
                std::iter::once((String::new(), "Not yet allocated".to_string()))
                    .chain(
                        store.accounts()?.into_iter().filter(|a| a.role == peel_access::Role::Officer).map(|a| {
                            (a.username.clone(), format!("{} ({})", a.display_name, a.team.unwrap_or_default()))
                        }),
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
            let decided = inc.status != "open";
            let minutes = now.minutes_until(inc.decision_due);
            let form = (!decided).then(|| html! {
                h2 { "Recording decision" }
                (errors.summary())
                form method="post" action={ "/registrar/incidents/" (id) } novalidate {
                    (html::csrf_input(&u))
                    input type="hidden" name="version" value=(inc.version);
                    (errors.choices("radio", "decision", "Decision", &decisions(), &[f.get("decision")]))
                    h3 { "If a crime: the victim and the offence" }
                    (errors.input(
                        "text",
                        "offence_code",
                        "Home Office offence code",
                        "For example 8N (assault with injury), 105A (assault without injury), 8L (harassment), 49 \
                         (other theft), 58D (other criminal damage).",
                        f.get("offence_code"),
                        Attrs {
                            list: Some("offence-codes"),
                            autocomplete: Some("off"),
                            spellcheck: Some("false"),
                            ..Attrs::NONE
                        }
                    ))
                    (errors.input("text", "victim_name", "Victim's name", "", f.get("victim_name"), Attrs::NONE))
                    (errors.input(
                        "date",
                        "date_of_birth",
                        "Victim's date of birth (if known)",
                        "Under 18s are owed the enhanced service.",
                        f.get("date_of_birth"),
                        Attrs::NONE
                    ))
                    (errors.choices(
                        "checkbox",
                        "vulnerabilities",
                        "Is the victim vulnerable or intimidated?",
                        &VULNERABILITIES
                            .iter()
                            .map(|(v, l)| (v.to_string(), l.to_string(), String::new()))
                            .collect::<Vec<_>>(),
                        &f.all("vulnerabilities"),
                    ))
                    (errors.choices(
                        "checkbox",
                        "is_business",
                        "Business victim",
                        &[("yes".to_string(), "The victim is a business or organisation".to_string(), String::new())],
                        &f.all("is_business"),
                    ))
                    (errors.choices(
                        "checkbox",
                        "flags",
                        "Flags",
                        &flag_choices(),
                        &flags_on,
                    ))
                    (errors.select("team", "Team", &teams, &team))
                    (errors.select("officer", "Investigating officer", &officers, f.get("officer")))
                    button type="submit" { "Record the decision" }
                }
                datalist id="offence-codes" {
                    @for o in offence::all() {
                        option value=(o.code) { (o.code) " — " (o.description) }
                    }
                }
            });
            Ok((
                html! {
                    h1 { "Incident " (inc.reference) }
                    @if decided {
                        div class="notice" {
                            p {
                                "Decided: " (inc.status) " by " (inc.decided_by.as_deref().unwrap_or(""))
                                " at " (inc.decided_at.map(html::when).unwrap_or_default()) "."
                            }
                        }
                    } @else {
                        p class="lead" { "Decision due by " (html::when(inc.decision_due)) " (" (left(minutes)) ")." }
                    }
                    dl class="summary" {
                        dt { "Report" } dd { a href={ "/reports/" (r.id) } { (r.reference) } }
                        dt { "Received" } dd { (html::when(r.reported_at)) }
                        @if let Some(at) = r.occurred_at { dt { "Happened" } dd { (html::when(at)) } }
                        dt { "Sent by" } dd { (sent_by) }
                        dt { "Kind" } dd { (r.kind) }
                        dt { "Channel" } dd { (r.channel) }
                        dt { "Site" } dd { (site.as_deref().unwrap_or("—")) }
                        dt { "Where" } dd { (r.location.as_deref().unwrap_or("—")) }
                    }
                    h2 { "What was reported" }
                    p { (html::lines(&r.account)) }
                    (thrive_section(&u, &inc))
                    @if let Some(form) = form { (form) }
                },
                decided,
            ))
        })
        .await
}

#[derive(serde::Deserialize, Default)]
pub struct IncidentPage {
    done: Option<String>,
}

pub async fn form(
    State(state): State<WebState>,
    user: User,
    PathId(id): PathId,
    axum::extract::Query(q): axum::extract::Query<IncidentPage>,
) -> Result<Response, WebError> {
    let (body, _) = render_form(&state, &user, id, Errors::default(), FormData::default()).await?;
    let done = q.done.as_deref().and_then(super::Notice::parse).filter(|n| *n == super::Notice::Triaged);
    let body = html! { (super::notice(done.map(|n| n.text(None)).as_deref())) (body) };
    Ok((Disclosed::read("incident", id).by(user.username()), render(&user, "Recording decision", body)).into_response())
}

pub async fn decide(State(state): State<WebState>, PathId(id): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
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
                Ok(_) => Ok(Ok(())),
                Err(CaseError::Invalid(f)) => Ok(Err((f.field, f.message))),
                Err(CaseError::Store(
                    e @ (peel_store::StoreError::Conflict { .. } | peel_store::StoreError::Refused(_)),
                )) => Ok(Err(("decision", e.to_string()))),
                Err(e) => Err(e.into()),
            })
            .await?;
        match result {
            Ok(()) => {
                let to = format!("/registrar?done={}&incident={id}", Notice::DecisionRecorded.key());
                return Ok(Redirect::to(&to).into_response());
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
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&user, "Recording decision", body)).into_response())
}

/// THRIVE on the incident (seed 001: threat, harm, risk, investigation, vulnerability,
/// engagement): what the last assessment gave, and while the incident is open the form to
/// assess it again, whose grade and team come from the rule tables (peel-domain `thrive`).
fn thrive_section(user: &User, inc: &peel_store::casework::Incident) -> Markup {
    let levels: Vec<(String, String)> =
        ["low", "medium", "high"].iter().map(|l| (l.to_string(), super::account::capitalised(l))).collect();
    let word = |l: peel_domain::thrive::Level| format!("{l:?}").to_lowercase();
    let (threat, harm, risk) = match &inc.thrive {
        Some(t) => (word(t.threat), word(t.harm), word(t.risk)),
        None => ("low".to_string(), "low".to_string(), "low".to_string()),
    };
    let ticked: Vec<&str> = match &inc.thrive {
        Some(t) => {
            [("investigation", t.investigation), ("vulnerability", t.vulnerability), ("engagement", t.engagement)]
                .iter()
                .filter(|(_, on)| *on)
                .map(|(w, _)| *w)
                .collect()
        }
        None => vec![],
    };
    let errors = Errors::default();
    html! {
        h2 id="thrive" { "THRIVE" }
        @if let (Some(grade), Some(team)) = (&inc.grade, &inc.team) {
            dl class="summary" {
                dt { "Threat, harm, risk" } dd { (threat) ", " (harm) ", " (risk) }
                dt { "Response" } dd { (grade) }
                dt { "Allocated to" } dd { (team) }
                dt { "Why" } dd { (inc.allocation_reason.as_deref().unwrap_or("")) }
            }
        } @else {
            p { "Not yet assessed." }
        }
        @if inc.status == "open" {
            form method="post" action={ "/registrar/incidents/" (inc.id) "/triage" } novalidate {
                (html::csrf_input(user))
                input type="hidden" name="version" value=(inc.version);
                (errors.select("threat", "Threat", &levels, &threat))
                (errors.select("harm", "Harm", &levels, &harm))
                (errors.select("risk", "Risk", &levels, &risk))
                (errors.choices(
                    "checkbox",
                    "factors",
                    "Also",
                    &[
                        ("investigation".to_string(), "Investigative opportunities that attendance would secure".to_string(), String::new()),
                        ("vulnerability".to_string(), "The victim or another person involved is vulnerable".to_string(), String::new()),
                        ("engagement".to_string(), "The victim needs or asks to be seen in person".to_string(), String::new()),
                    ],
                    &ticked,
                ))
                (errors.choices(
                    "checkbox",
                    "themes",
                    "Case themes",
                    &peel_domain::thrive::CaseTheme::WORDS
                        .iter()
                        .map(|(w, _)| (w.to_string(), super::account::capitalised(&w.replace('-', " ")), String::new()))
                        .collect::<Vec<_>>(),
                    &[],
                ))
                button type="submit" { "Assess" }
            }
        }
    }
}

/// The THRIVE form: grade and allocation by the rules, then back to the incident.
pub async fn triage(State(state): State<WebState>, PathId(id): PathId, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let version: i64 =
        form.get("version").parse().map_err(|_| WebError::BadRequest("the form has no version".into()))?;
    let level = |field: &'static str| {
        peel_domain::thrive::Level::parse(field, form.get(field)).map_err(|e| WebError::BadRequest(e.message))
    };
    let factors = form.all("factors");
    let thrive = peel_domain::thrive::Thrive {
        threat: level("threat")?,
        harm: level("harm")?,
        risk: level("risk")?,
        investigation: factors.contains(&"investigation"),
        vulnerability: factors.contains(&"vulnerability"),
        engagement: factors.contains(&"engagement"),
    };
    let input = peel_casework::TriageInput {
        version,
        thrive,
        themes: form.all("themes").into_iter().map(str::to_string).collect(),
    };
    let actor = user.username().to_string();
    state
        .run(move |store, now| match peel_casework::triage(store, id, &input, &actor, now) {
            Ok(_) => Ok(()),
            Err(CaseError::Invalid(f)) => Err(WebError::BadRequest(format!("{}: {}", f.field, f.message))),
            Err(e) => Err(e.into()),
        })
        .await?;
    Ok(Redirect::to(&format!("/registrar/incidents/{id}?done={}#thrive", super::Notice::Triaged.key())).into_response())
}
