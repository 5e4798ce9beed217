//! The partner reporter (hospital staff): report an incident or crime, or submit
//! intelligence, from their site; see their site's reports and what happens next.

use super::{can_see_site, notice, render, report_status, tag, Done, PathId};
use crate::auth::{Role, User};
use crate::form::{FormData, PostForm};
use crate::html::{self, esc, Errors};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use peel_casework::{CaseError, ReportInput};
use peel_store::casework::PersonDetails;
use std::fmt::Write;

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

fn report_form(user: &User, errors: &Errors, f: &FormData, now: &str) -> String {
    let name = if f.0.is_empty() { user.account.display_name.clone() } else { f.get("reporter_name").to_string() };
    let kind = f.get("kind");
    format!(
        "<h2 id=\"report\">Report an incident or crime, or give information</h2>\
         <p>In an emergency, or if someone is in danger now, call 999.</p>\
         {summary}<form method=\"post\" action=\"/partner/reports\" novalidate>{csrf}{kind}{when}{where_}{account}{name}\
         <button type=\"submit\">Send the report</button></form>",
        summary = errors.summary(),
        csrf = html::csrf_input(user),
        kind = errors.choices("radio", "kind", "What are you reporting?", &kinds(), &[kind]),
        when = errors.input(
            "datetime-local",
            "reported_at",
            "When did it happen?",
            "Leave blank if it is happening now or has just happened.",
            f.get("reported_at"),
            &format!(" max=\"{now}\""),
        ),
        where_ = errors.input(
            "text",
            "location",
            "Where on the site?",
            "For example: A&E waiting area, ward 12, car park B.",
            f.get("location"),
            ""
        ),
        account = errors.textarea(
            "account",
            "What happened?",
            "Who was involved, what they did or said, any injuries or damage, and whether there is CCTV.",
            f.get("account"),
        ),
        name = errors.input(
            "text",
            "reporter_name",
            "Your name",
            "So that the police can contact you about the report.",
            &name,
            " autocomplete=\"name\""
        ),
    )
}

/// How many of the site's newest reports (crime and incidents) and intelligence the partner sees.
const RECENT_REPORTS: usize = 50;
const RECENT_INTELLIGENCE: usize = 20;

async fn site_reports(state: &WebState, site: i64) -> Result<(String, Vec<Vec<String>>), WebError> {
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
                    format!("<a href=\"/reports/{}\">{}</a>", r.id, esc(&r.reference)),
                    esc(&kind_label(&r.kind)),
                    esc(&html::when(&r.reported_at)),
                    esc(r.location.as_deref().unwrap_or("")),
                    format!("{}<span class=\"hint\">{}</span>", tag(class, &headline), esc(&next)),
                ]);
            }
            Ok((name, rows))
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
) -> Result<String, WebError> {
    let site = user.account.site.ok_or_else(|| WebError::Forbidden("Your account has no site.".into()))?;
    let (site_name, rows) = site_reports(state, site).await?;
    let now = state.now().to_string();
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>{}</h1>{}{}<h2 id=\"reports\">Reports from {}</h2>{}\
         <p>What the statuses mean: the police first decide whether a report is a crime (within 24 hours). A crime is \
         investigated; it can end at court (a charge), be resolved out of court (a caution or community \
         resolution), or be closed if there is not enough evidence.</p>",
        esc(&site_name),
        notice(done),
        report_form(user, errors, f, &now),
        esc(&site_name),
        html::table(
            "Reports from the site",
            &["Reference", "Kind", "When", "Where", "Status"],
            &rows,
            "No reports from the site yet."
        )
    );
    Ok(body)
}

pub async fn page(State(state): State<WebState>, user: User, Query(q): Query<Done>) -> Result<Response, WebError> {
    user.require(&[Role::Partner])?;
    let done = q.done.map(|r| format!("Thank you: your report {r} has been sent."));
    let body = render_page(&state, &user, &Errors::default(), &FormData::default(), done.as_deref()).await?;
    Ok(render(&user, "Report and my site's reports", &body).into_response())
}

pub async fn submit(State(state): State<WebState>, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    user.require(&[Role::Partner])?;
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
            reported_at: form.opt("reported_at"),
            reporter: form.opt("reporter_name").map(|name| PersonDetails { name, ..Default::default() }),
            site: Some(site),
            location: form.opt("location"),
            place: Default::default(),
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
                return Ok(Redirect::to(&format!("/partner?done={}", html::url_encode(&reference))).into_response())
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
    let body = render_page(&state, &user, &errors, &form, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&user, "Report and my site's reports", &body)).into_response())
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
            let mut crimes = String::new();
            if let Some(inc) = r.incident {
                for c in store.crimes_for_incident(inc)? {
                    let link = if matches!(u.role, Role::Partner) {
                        esc(&c.reference)
                    } else {
                        format!("<a href=\"/crimes/{}\">{}</a>", c.id, esc(&c.reference))
                    };
                    let _ = write!(
                        crimes,
                        "<dt>Crime</dt><dd>{link}: {}</dd>",
                        esc(&peel_casework::offence_label(&c.offence_code))
                    );
                }
            }
            Ok(format!(
                "<h1>Report {ref_}</h1><p class=\"lead\">{tag}</p><p>{next}</p>\
                 <dl class=\"summary\"><dt>Kind</dt><dd>{kind}</dd><dt>When</dt><dd>{when}</dd>\
                 <dt>Site</dt><dd>{site}</dd><dt>Where</dt><dd>{loc}</dd><dt>Sent by</dt><dd>{by}</dd>{crimes}</dl>\
                 <h2>What was reported</h2><p>{account}</p>",
                ref_ = esc(&r.reference),
                tag = tag(class, &headline),
                next = esc(&next),
                kind = esc(&kind_label(&r.kind)),
                when = esc(&html::when(&r.reported_at)),
                site = esc(site.as_deref().unwrap_or("—")),
                loc = esc(r.location.as_deref().unwrap_or("—")),
                by = esc(&r.created_by),
                account = esc(&r.account).replace('\n', "<br>"),
            ))
        })
        .await?;
    let back = match user.role {
        Role::Partner => "<p><a href=\"/partner\">Back to my site's reports</a></p>",
        Role::Liaison => "<p><a href=\"/site\">Back to my site</a></p>",
        _ => "",
    };
    Ok(render(&user, "Report", &format!("{body}{back}")).into_response())
}
