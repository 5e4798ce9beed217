//! The partner reporter (hospital staff): report an incident or crime, or submit
//! intelligence, from their site; see their site's reports and what happens next.

use super::{can_see_site, is_reference, notice, render, report_status, tag, Notice, PathId};
use crate::access_log::Disclosed;
use crate::auth::{Role, User};
use crate::form::{FormData, PostForm};
use crate::html::{self, Attrs, Errors};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, Render};
use peel_casework::{CaseError, ReportInput};
use peel_store::casework::PersonDetails;

fn kinds() -> Vec<(String, String, String)> {
    vec![
        (
            "crime".into(),
            "A crime".into(),
            "Someone was assaulted, threatened or harassed, or something was stolen or damaged.".into(),
        ),
        (
            "incident".into(),
            "Something you are not sure is a crime".into(),
            "For example abusive or intimidating behaviour. The police decide whether it is a crime.".into(),
        ),
        (
            "intelligence".into(),
            "Information for the police (intelligence)".into(),
            "For example drug dealing on the grounds, or a vehicle seen repeatedly. Nobody needs to be contacted."
                .into(),
        ),
    ]
}

fn report_form(user: &User, errors: &Errors, f: &FormData, now: &str) -> Markup {
    let name = if f.0.is_empty() { user.account.display_name.clone() } else { f.get("reporter_name").to_string() };
    let kind = f.get("kind");
    html! {
        h2 id="report" { "Report an incident or crime, or give information" }
        p { "In an emergency, or if someone is in danger now, call 999." }
        (errors.summary())
        form method="post" action="/partner/reports" novalidate {
            (html::csrf_input(user))
            (errors.choices("radio", "kind", "What are you reporting?", &kinds(), &[kind]))
            (errors.input(
                "datetime-local",
                "occurred_at",
                "When did it happen?",
                "Leave blank if it is happening now or has just happened.",
                f.get("occurred_at"),
                Attrs { max: Some(now), ..Attrs::NONE },
            ))
            (errors.input(
                "text",
                "location",
                "Where on the site?",
                "For example: A&E waiting area, ward 12, car park B.",
                f.get("location"),
                Attrs::NONE,
            ))
            (errors.input(
                "text",
                "postcode",
                "Postcode, if it happened away from the site",
                "Leave blank if it happened at the site: the report then takes the site's own place.",
                f.get("postcode"),
                Attrs { autocomplete: Some("postal-code"), ..Attrs::NONE },
            ))
            (errors.textarea(
                "account",
                "What happened?",
                "Who was involved, what they did or said, any injuries or damage, and whether there is CCTV.",
                f.get("account"),
            ))
            (errors.input(
                "text",
                "reporter_name",
                "Your name",
                "So that the police can contact you about the report.",
                &name,
                Attrs { autocomplete: Some("name"), ..Attrs::NONE },
            ))
            button type="submit" { "Send the report" }
        }
    }
}

/// How many of the site's newest reports (crime and incidents) and intelligence the partner sees.
const RECENT_REPORTS: usize = 50;
const RECENT_INTELLIGENCE: usize = 20;

/// The site's name, the rows of its newest reports, and their ids (what the page discloses).
async fn site_reports(state: &WebState, site: i64) -> Result<(String, Vec<Vec<Markup>>, Vec<i64>), WebError> {
    state
        .run(move |store, _| {
            let name = store.sites()?.into_iter().find(|s| s.id == site).map(|s| s.details.name).unwrap_or_default();
            // The newest reports and intelligence, not the site's whole history: what a member of
            // staff follows up is what they reported lately; the liaison officer's page has the rest.
            let mut reports = store.site_reports(site, false, RECENT_REPORTS, 0)?;
            reports.extend(store.site_reports(site, true, RECENT_INTELLIGENCE, 0)?);
            reports.sort_by(|a, b| b.reported_at.cmp(&a.reported_at).then(b.id.cmp(&a.id)));
            let mut rows = Vec::new();
            for r in &reports {
                let (class, headline, next) = report_status(store, r)?;
                rows.push(vec![
                    html! { a href={ "/reports/" (r.id) } { (r.reference) } },
                    kind_label(&r.kind).render(),
                    html::when(r.reported_at).render(),
                    r.location.as_deref().unwrap_or("").render(),
                    html! { (tag(class, &headline)) span class="hint" { (next) } },
                ]);
            }
            Ok((name, rows, reports.iter().map(|r| r.id).collect()))
        })
        .await
}

pub(crate) fn kind_label(kind: &str) -> String {
    match kind {
        "crime" => "Crime".into(),
        "incident" => "Incident".into(),
        "intelligence" => "Intelligence".into(),
        other => other.to_string(),
    }
}

async fn render_page(
    state: &WebState,
    user: &User,
    errors: &Errors,
    f: &FormData,
    done: Option<&str>,
) -> Result<(Markup, Disclosed), WebError> {
    let site = user.account.site.ok_or_else(|| WebError::Forbidden("Your account has no site.".into()))?;
    let (site_name, rows, shown) = site_reports(state, site).await?;
    let shown = Disclosed::list("report", shown).by(user.username());
    let now = state.now().to_string();
    let page = html! {
        h1 { (site_name) }
        (notice(done))
        (report_form(user, errors, f, &now))
        h2 id="reports" { "Reports from " (site_name) }
        (html::table(
            "Reports from the site",
            &["Reference", "Kind", "When", "Where", "Status"],
            &rows,
            "No reports from the site yet."
        ))
        p {
            "What the statuses mean: the police first decide whether a report is a crime (within 24 hours). A crime \
             is investigated; it can end at court (a charge), be resolved out of court (a caution or community \
             resolution), or be closed if there is not enough evidence."
        }
    };
    Ok((page, shown))
}

/// `?done=report-sent&ref=RPT-2026-000123`: the reference is shown only if it has the form of one.
#[derive(serde::Deserialize, Default)]
pub struct Sent {
    done: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
}

pub async fn page(State(state): State<WebState>, user: User, Query(q): Query<Sent>) -> Result<Response, WebError> {
    let done = match q.done.as_deref().and_then(Notice::parse) {
        Some(n @ Notice::ReportSent) => Some(n.text(q.reference.as_deref().filter(|r| is_reference(r)))),
        _ => None,
    };
    let (body, shown) = render_page(&state, &user, &Errors::default(), &FormData::default(), done.as_deref()).await?;
    Ok((shown, render(&user, "Report and my site's reports", body)).into_response())
}

pub async fn submit(State(state): State<WebState>, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let site = user.account.site.ok_or_else(|| WebError::Forbidden("Your account has no site.".into()))?;
    let mut errors = Errors::default();
    let kind = form.get("kind").to_string();
    if !["crime", "incident", "intelligence"].contains(&kind.as_str()) {
        errors.add("kind", "Choose what you are reporting");
    }
    if form.get("account").trim().is_empty() {
        errors.add("account", "Say what happened");
    }
    if errors.is_empty() {
        let input = ReportInput {
            channel: "partner-portal".into(),
            kind,
            // Received now: the recording clock starts as the partner sends it, whenever it
            // happened.
            reported_at: None,
            occurred_at: form.opt("occurred_at"),
            reporter: form.opt("reporter_name").map(|name| PersonDetails { name, ..Default::default() }),
            site: Some(site),
            location: form.opt("location"),
            place: peel_store::casework::Place { postcode: form.opt("postcode"), ..Default::default() },
            account: form.get("account").to_string(),
        };
        let actor = user.username().to_string();
        let result = state
            .run(move |store, now| match peel_casework::submit_report(store, &input, &actor, now) {
                Ok(r) => Ok(Ok(r.reference)),
                Err(CaseError::Invalid(f)) => Ok(Err(f)),
                Err(e) => Err(e.into()),
            })
            .await?;
        match result {
            Ok(reference) => {
                let to = format!("/partner?done={}&ref={}", Notice::ReportSent.key(), html::url_encode(&reference));
                return Ok(Redirect::to(&to).into_response());
            }
            Err(f) => {
                let field = match f.field {
                    "reporter" => "reporter_name",
                    "channel" => "kind",
                    other => other,
                };
                errors.add(field, f.message);
            }
        }
    }
    let (body, shown) = render_page(&state, &user, &errors, &form, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, shown, render(&user, "Report and my site's reports", body)).into_response())
}

/// One report with its status and what happens next. Partners and liaison officers see
/// only their own site's reports (403 for any other); officers only reports that became a
/// crime of theirs or their team's.
pub async fn report(State(state): State<WebState>, user: User, PathId(id): PathId) -> Result<Response, WebError> {
    let u = user.clone();
    let body = state
        .run(move |store, _| {
            let r = store.report(id)?;
            let mut allowed = can_see_site(&u, r.site);
            if u.role == Role::Officer {
                if let Some(inc) = r.incident {
                    allowed = store.crimes_for_incident(inc)?.iter().any(|c| {
                        c.officer.as_deref() == Some(u.username()) || (c.team.is_some() && c.team == u.account.team)
                    });
                }
            }
            if !allowed {
                return Err(WebError::Forbidden("This report is not from your site, so you cannot see it.".into()));
            }
            let site = match r.site {
                Some(s) => store.sites()?.into_iter().find(|x| x.id == s).map(|x| x.details.name),
                None => None,
            };
            let (class, headline, next) = report_status(store, &r)?;
            let crimes = match r.incident {
                Some(inc) => store.crimes_for_incident(inc)?,
                None => Vec::new(),
            };
            Ok(html! {
                h1 { "Report " (r.reference) }
                p class="lead" { (tag(class, &headline)) }
                p { (next) }
                dl class="summary" {
                    dt { "Kind" } dd { (kind_label(&r.kind)) }
                    dt { "Sent" } dd { (html::when(r.reported_at)) }
                    @if let Some(at) = r.occurred_at { dt { "Happened" } dd { (html::when(at)) } }
                    dt { "Site" } dd { (site.as_deref().unwrap_or("—")) }
                    dt { "Where" } dd { (r.location.as_deref().unwrap_or("—")) }
                    dt { "Sent by" } dd { (super::who(store, &r.created_by)?) }
                    @for c in &crimes {
                        dt { "Crime" }
                        dd {
                            @if matches!(u.role, Role::Partner) {
                                (c.reference)
                            } @else {
                                a href={ "/crimes/" (c.id) } { (c.reference) }
                            }
                            ": " (peel_casework::offence_label(&c.offence_code))
                        }
                    }
                }
                h2 { "What was reported" }
                p { (html::lines(&r.account)) }
            })
        })
        .await?;
    let page = html! {
        (body)
        @match user.role {
            Role::Partner => p { a href="/partner" { "Back to my site's reports" } },
            Role::Liaison => p { a href="/site" { "Back to my site" } },
            _ => {},
        }
    };
    Ok((Disclosed::read("report", id).by(user.username()), render(&user, "Report", page)).into_response())
}
