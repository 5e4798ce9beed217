//! The JSON API's access policy: who may call each `/api` route when the API is mounted with
//! the pages, and on which records. [`auth::api_gate`](crate::auth::api_gate) signs the
//! caller in from the session and then asks [`authorise`]; the API's handlers themselves
//! know no accounts (they act as the user the gate names).
//!
//! Every page and every API call checks the role and the scope on the server (issue 4). The
//! rule is the pages' own: what a role may see or do on a page it may see or do through the
//! API, and no more. The table is data ([`POLICY`]): one row per route, method and path as
//! `peel-http` serves them, with the roles that may call it and the scope check the route
//! gets. Each role's scope:
//!
//! - partner and liaison officer: their site. A partner reports only for their own site and
//!   reads only its reports; a liaison officer reads its reports, and the incidents and
//!   crimes that came from them (through the report's site);
//! - officer: their own crimes and their team's, the reports that became one, and their own
//!   obligations worklist;
//! - supervisor: their team's crimes and reviews worklist (every team's for a supervisor
//!   without a team). The daily meeting and outstanding-suspects lists are force-wide, with no
//!   team to narrow them to, so a supervisor with a team is refused them (their team's
//!   meeting list is the `/supervisor` page);
//! - registrar, victim care, analyst, admin: force-wide, each to the routes of their work.
//!
//! | method | path | roles | scope |
//! |---|---|---|---|
//! | GET | `/healthz`, `/api/openapi.json` | anyone, signed in or not | — |
//! | GET | `/api/sites` | registrar, supervisor, victim care, analyst, admin | — |
//! | POST | `/api/sites` | admin | — |
//! | GET | `/api/sites/{id}/reports` | partner, liaison, registrar, supervisor, victim care, analyst, admin | site: partner, liaison their own |
//! | POST | `/api/reports` | partner, registrar, officer, supervisor, admin | body: a partner's `site` is their own |
//! | GET | `/api/reports/{id}` | partner, liaison, registrar, officer, supervisor, victim care, analyst, admin | report: partner, liaison their site's; officer one that became their or their team's crime |
//! | GET | `/api/incidents/{id}` | liaison, registrar, supervisor, admin | incident: liaison, of their site's report |
//! | POST | `/api/incidents/{id}/triage`, `/decision` | registrar, supervisor, admin | — |
//! | GET | `/api/crimes/{id}` | liaison, registrar, officer, supervisor, victim care, admin | crime |
//! | POST | `/api/crimes/{id}/people`, `/events`, `/evidence`, `/outcome` | officer, supervisor, admin | crime |
//! | POST | `/api/crimes/{id}/reviews` | officer, supervisor, admin | crime; an officer's is a plan, with no review date |
//! | POST | `/api/crimes/{id}/contacts`, `/fraud-triage` | officer, supervisor, victim care, admin | crime |
//! | POST | `/api/crimes/{id}/cancel` | registrar, admin (the designated decision maker) | — |
//! | POST | `/api/crimes/{id}/cancellation-requests` | officer, supervisor, admin | crime |
//! | GET | `/api/cancellation-requests` | registrar, admin | — |
//! | POST | `/api/cancellation-requests/{id}/refuse` | registrar, admin | — |
//! | GET | `/api/crimes/{id}/reviews`, `/audit` | registrar, officer, supervisor, admin | crime |
//! | GET | `/api/worklists/decisions` | registrar, supervisor, admin | — |
//! | GET | `/api/worklists/obligations` | officer, supervisor, victim care, admin | an officer asks for `officer=` themselves |
//! | GET | `/api/worklists/reviews` | supervisor, admin | a supervisor with a team asks for `team=` their team |
//! | GET | `/api/worklists/meeting`, `/suspects` | supervisor, admin | force-wide: refused to a supervisor with a team |
//! | GET | `/api/performance/compliance`, `/outcomes` | analyst, supervisor, admin | — |
//!
//! "crime": an officer their own or their team's crimes, a supervisor their team's, a liaison
//! officer those reported from their site (the crime page's rule, [`crime_in_scope`]).
//!
//! Answers: without a session 401 `unauthenticated` (before anything else); a role not in the
//! route's row, or a record outside the scope, 403 `forbidden`; a record the scope check
//! looks up that does not exist, 404 `not_found`. **Deny by default**: a request whose method
//! and path match no row is refused 403 `forbidden` without reaching the API, whether the
//! route does not exist or exists without a row (the gate cannot tell the two apart, and a
//! route added to the API without a row must not be open); `/api/openapi.json` lists the
//! routes. A path id that is not a number reaches the API, which answers 400 for it. Every
//! error body is `{"error": MESSAGE, "code": CODE}`, as the API's own.

use crate::auth::{Role, User};
use crate::form::FormData;
use crate::{WebError, WebState};
use axum::body::Body;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use peel_http::CaseStore;
use peel_store::casework::Crime;
use Role::*;

/// What a route's scope check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Nothing: the role decides alone.
    None,
    /// `{id}` is a site: partners and liaison officers their own only.
    Site,
    /// `{id}` is a report: partners and liaison officers their site's; officers one that
    /// became their or their team's crime.
    Report,
    /// `{id}` is an incident: liaison officers one from their site's report.
    Incident,
    /// `{id}` is a crime: [`crime_in_scope`].
    Crime,
    /// `{id}` is a crime, as [`Scope::Crime`], and the body a plan or review: an officer
    /// writes investigation plans only; reviews, which set the next review date, are a
    /// supervisor's (seed 003: supervisors review investigations).
    CrimeReview,
    /// The body is a new report: a partner's names their own site.
    NewReport,
    /// `?officer=`: an officer asks for their own worklist only.
    OwnOfficer,
    /// `?team=`: a supervisor with a team asks for their team's only.
    OwnTeam,
    /// A force-wide list that cannot be narrowed to a team: not for a supervisor with one.
    ForceWide,
}

/// One route's row: method, path as the API writes it (`{id}` for the record's id), the
/// roles that may call it, and its scope check.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub method: &'static str,
    pub path: &'static str,
    pub roles: &'static [Role],
    pub scope: Scope,
}

const fn rule(method: &'static str, path: &'static str, roles: &'static [Role], scope: Scope) -> Rule {
    Rule { method, path, roles, scope }
}

/// The API's access policy, route by route (the module docs have it as a table).
pub static POLICY: &[Rule] = &[
    // Sites: the list as the /sites page shows it; adding one is the administrator's.
    rule("GET", "/api/sites", &[Registrar, Supervisor, VictimCare, Analyst, Admin], Scope::None),
    rule("POST", "/api/sites", &[Admin], Scope::None),
    rule(
        "GET",
        "/api/sites/{id}/reports",
        &[Partner, Liaison, Registrar, Supervisor, VictimCare, Analyst, Admin],
        Scope::Site,
    ),
    // Reports: partners report for their own site; the police take reports too.
    rule("POST", "/api/reports", &[Partner, Registrar, Officer, Supervisor, Admin], Scope::NewReport),
    rule(
        "GET",
        "/api/reports/{id}",
        &[Partner, Liaison, Registrar, Officer, Supervisor, VictimCare, Analyst, Admin],
        Scope::Report,
    ),
    // Incidents and the recording decision: the registrar's work, as on /registrar.
    rule("GET", "/api/incidents/{id}", &[Liaison, Registrar, Supervisor, Admin], Scope::Incident),
    rule("POST", "/api/incidents/{id}/triage", &[Registrar, Supervisor, Admin], Scope::None),
    rule("POST", "/api/incidents/{id}/decision", &[Registrar, Supervisor, Admin], Scope::None),
    // Crimes: read as the crime page is; investigated by the officer's team.
    rule("GET", "/api/crimes/{id}", &[Liaison, Registrar, Officer, Supervisor, VictimCare, Admin], Scope::Crime),
    rule("POST", "/api/crimes/{id}/people", &[Officer, Supervisor, Admin], Scope::Crime),
    rule("POST", "/api/crimes/{id}/events", &[Officer, Supervisor, Admin], Scope::Crime),
    rule("POST", "/api/crimes/{id}/contacts", &[Officer, Supervisor, VictimCare, Admin], Scope::Crime),
    rule("POST", "/api/crimes/{id}/evidence", &[Officer, Supervisor, Admin], Scope::Crime),
    rule("POST", "/api/crimes/{id}/outcome", &[Officer, Supervisor, Admin], Scope::Crime),
    // Only a designated decision maker cancels a recorded crime (Home Office Counting Rules,
    // General Rules section C); the registrar's accounts act as one.
    rule("POST", "/api/crimes/{id}/cancel", &[Registrar, Admin], Scope::None),
    // Officers and supervisors ask; the decision maker lists and answers.
    rule("POST", "/api/crimes/{id}/cancellation-requests", &[Officer, Supervisor, Admin], Scope::Crime),
    rule("GET", "/api/cancellation-requests", &[Registrar, Admin], Scope::None),
    rule("POST", "/api/cancellation-requests/{id}/refuse", &[Registrar, Admin], Scope::None),
    rule("POST", "/api/crimes/{id}/reviews", &[Officer, Supervisor, Admin], Scope::CrimeReview),
    rule("POST", "/api/crimes/{id}/fraud-triage", &[Officer, Supervisor, VictimCare, Admin], Scope::Crime),
    rule("GET", "/api/crimes/{id}/reviews", &[Registrar, Officer, Supervisor, Admin], Scope::Crime),
    rule("GET", "/api/crimes/{id}/audit", &[Registrar, Officer, Supervisor, Admin], Scope::Crime),
    // Worklists.
    rule("GET", "/api/worklists/decisions", &[Registrar, Supervisor, Admin], Scope::None),
    rule("GET", "/api/worklists/obligations", &[Officer, Supervisor, VictimCare, Admin], Scope::OwnOfficer),
    rule("GET", "/api/worklists/reviews", &[Supervisor, Admin], Scope::OwnTeam),
    rule("GET", "/api/worklists/meeting", &[Supervisor, Admin], Scope::ForceWide),
    rule("GET", "/api/worklists/suspects", &[Supervisor, Admin], Scope::ForceWide),
    // Performance: read-only figures, as on /analyst.
    rule("GET", "/api/performance/compliance", &[Analyst, Supervisor, Admin], Scope::None),
    rule("GET", "/api/performance/outcomes", &[Analyst, Supervisor, Admin], Scope::None),
];

/// The row for a request, with the path's `{id}` segment if the route has one. HEAD is
/// answered by the GET route, so it gets the GET row.
pub fn find<'p>(method: &str, path: &'p str) -> Option<(&'static Rule, Option<&'p str>)> {
    let method = if method == "HEAD" { "GET" } else { method };
    POLICY.iter().filter(|r| r.method == method).find_map(|r| {
        let mut id = None;
        let mut want = r.path.split('/');
        let mut got = path.split('/');
        loop {
            match (want.next(), got.next()) {
                (None, None) => return Some((r, id)),
                (Some("{id}"), Some(seg)) if !seg.is_empty() => id = Some(seg),
                (Some(w), Some(g)) if w == g => {}
                _ => return None,
            }
        }
    })
}

/// Whether a crime lies within the user's scope, for the roles that have one: an officer's
/// own or their team's crimes; a supervisor's team's (every team's for a supervisor without
/// one); for a liaison officer or partner, the crimes reported from their site. Roles without
/// a scope are in scope everywhere: their role decides. The crime page uses the same rule.
pub(crate) fn crime_in_scope(store: &dyn CaseStore, user: &User, c: &Crime) -> Result<bool, WebError> {
    Ok(match user.role {
        Officer => c.officer.as_deref() == Some(user.username()) || (c.team.is_some() && c.team == user.account.team),
        Supervisor => user.account.team.is_none() || c.team == user.account.team,
        Liaison | Partner => {
            let inc = store.incident(c.incident)?;
            let r = store.report(inc.report)?;
            r.site.is_some() && r.site == user.account.site
        }
        Registrar | VictimCare | Analyst | Admin => true,
    })
}

/// The largest body the gate reads to check it: the API's own limit (axum's default).
const MAX_BODY: usize = 2 * 1024 * 1024;

/// Whether `user` may make this request: `Ok` with the body (read and put back if the check
/// needed it), or the refusal to send.
pub async fn authorise(web: &WebState, user: &User, parts: &Parts, body: Body) -> Result<Body, Response> {
    let path = parts.uri.path();
    let Some((rule, id)) = find(parts.method.as_str(), path) else {
        return Err(refuse(&format!(
            "{} {path} is not in the API's access policy, so it is refused: see /api/openapi.json for the routes",
            parts.method
        )));
    };
    // The id is checked as the path has it, plain digits only: the router would decode
    // `%35` to `5` after this gate, so an id the gate could not read must go no further.
    if let Some(seg) = id {
        if !seg.bytes().all(|b| b.is_ascii_digit()) || seg.len() > 18 {
            return Err(json_error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                &format!("the id in the path, '{seg}', is not a record's number"),
            ));
        }
    }
    if !rule.roles.contains(&user.role) {
        return Err(refuse(&format!("a {} account may not call {} {}", user.role.label(), rule.method, rule.path)));
    }
    let site_scoped = user.role.site_scoped();
    match rule.scope {
        Scope::None => Ok(body),
        Scope::ForceWide => {
            if user.role == Supervisor && user.account.team.is_some() {
                return Err(refuse(
                    "this list is force-wide and cannot be narrowed to your team: your team's list is the /supervisor page",
                ));
            }
            Ok(body)
        }
        Scope::OwnOfficer => {
            let q = FormData::parse(parts.uri.query().unwrap_or("").as_bytes());
            if user.role == Officer && q.all("officer") != [user.username()] {
                return Err(refuse(&format!(
                    "an officer asks for their own worklist: add officer={}",
                    user.username()
                )));
            }
            Ok(body)
        }
        Scope::OwnTeam => {
            let q = FormData::parse(parts.uri.query().unwrap_or("").as_bytes());
            match &user.account.team {
                Some(team) if user.role.team_scoped() && q.all("team") != [team.as_str()] => {
                    Err(refuse(&format!("a supervisor asks for their own team's list: add team={team}")))
                }
                _ => Ok(body),
            }
        }
        Scope::NewReport => {
            if user.role != Partner {
                return Ok(body);
            }
            let bytes = axum::body::to_bytes(body, MAX_BODY)
                .await
                .map_err(|_| json_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the body is over 2 MB"))?;
            let site = match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(v) => v.get("site").and_then(serde_json::Value::as_i64),
                Err(e) => {
                    return Err(json_error(
                        StatusCode::BAD_REQUEST,
                        "bad_request",
                        &format!("the body is not JSON: {e}"),
                    ))
                }
            };
            if site.is_none() || site != user.account.site {
                return Err(refuse(&format!(
                    "a partner reports for their own site: send \"site\": {}",
                    user.account.site.map_or("your site".to_string(), |s| s.to_string())
                )));
            }
            Ok(Body::from(bytes))
        }
        Scope::Site | Scope::Report | Scope::Incident | Scope::Crime | Scope::CrimeReview => {
            // Checked above to be digits; a route without an id has no record to check.
            let Some(id) = id.and_then(|s| s.parse::<i64>().ok()) else { return Ok(body) };
            let scope = rule.scope;
            if scope == Scope::Site {
                return if !site_scoped || user.account.site == Some(id) {
                    Ok(body)
                } else {
                    Err(refuse("the site is not yours"))
                };
            }
            let u = user.clone();
            let allowed = web
                .run(move |store, _| match scope {
                    Scope::Report => report_in_scope(store, &u, id),
                    Scope::Incident => {
                        if !site_scoped {
                            return Ok(true);
                        }
                        let inc = store.incident(id)?;
                        Ok(store.report(inc.report)?.site.is_some_and(|s| u.account.site == Some(s)))
                    }
                    _ => {
                        let crime = store.crime(id)?.crime;
                        crime_in_scope(store, &u, &crime)
                    }
                })
                .await;
            match allowed {
                Ok(true) if scope == Scope::CrimeReview && user.role == Officer => plans_only(body).await,
                Ok(true) => Ok(body),
                Ok(false) => Err(refuse(match scope {
                    Scope::Report => "the report is not from your site or of your team's crimes",
                    Scope::Incident => "the incident is not from your site",
                    _ => "the crime is not yours, your team's or your site's",
                })),
                Err(WebError::NotFound(m)) => Err(json_error(StatusCode::NOT_FOUND, "not_found", &m)),
                Err(WebError::Unavailable(_)) => Err(json_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "no store connection came free in time",
                )),
                Err(e) => {
                    eprintln!("peel-web: API access check: {e}");
                    Err(json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the access check failed"))
                }
            }
        }
    }
}

/// An officer's plan or review body: a plan, setting no review date, or refused.
async fn plans_only(body: Body) -> Result<Body, Response> {
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| json_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the body is over 2 MB"))?;
    let v: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| json_error(StatusCode::BAD_REQUEST, "bad_request", &format!("the body is not JSON: {e}")))?;
    let plan = v.get("kind").and_then(serde_json::Value::as_str) == Some("plan");
    let dated = v.get("next_review_due").is_some_and(|d| !d.is_null());
    if !plan || dated {
        return Err(refuse(
            "an officer writes investigation plans; a supervisor reviews and sets the next review date",
        ));
    }
    Ok(Body::from(bytes))
}

/// A report in the user's scope: a partner's or liaison officer's if from their site (as
/// the report page); an officer's if it became their or their team's crime.
fn report_in_scope(store: &dyn CaseStore, user: &User, id: i64) -> Result<bool, WebError> {
    let r = store.report(id)?;
    Ok(match user.role {
        Partner | Liaison => r.site.is_some() && r.site == user.account.site,
        Officer => match r.incident {
            Some(inc) => {
                let mut any = false;
                for c in store.crimes_for_incident(inc)? {
                    any |= crime_in_scope(store, user, &c)?;
                }
                any
            }
            None => false,
        },
        Registrar | Supervisor | VictimCare | Analyst | Admin => true,
    })
}

fn refuse(message: &str) -> Response {
    json_error(StatusCode::FORBIDDEN, "forbidden", message)
}

fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({"error": message, "code": code}))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_their_rows_and_nothing_else() {
        let (r, id) = find("POST", "/api/crimes/42/outcome").unwrap();
        assert_eq!((r.path, id), ("/api/crimes/{id}/outcome", Some("42")));
        assert_eq!(find("HEAD", "/api/crimes/42").unwrap().0.path, "/api/crimes/{id}");
        assert!(find("GET", "/api/crimes/42/outcome").is_none(), "the outcome is written, not read");
        assert!(find("GET", "/api/crimes//audit").is_none(), "an empty id is no id");
        assert!(find("GET", "/api/crimes/42/").is_none(), "a trailing slash is another path");
        assert!(find("DELETE", "/api/crimes/42").is_none());
        assert!(find("GET", "/api/admin/everything").is_none());
        assert_eq!(find("GET", "/api/crimes/x").unwrap().1, Some("x"), "a bad id reaches the API's 400");
    }

    #[test]
    fn every_row_is_one_route_and_admin_may_call_each() {
        for (i, r) in POLICY.iter().enumerate() {
            assert!(r.roles.contains(&Admin), "{} {}", r.method, r.path);
            let probe = r.path.replace("{id}", "1");
            assert_eq!(find(r.method, &probe).map(|(x, _)| x.path), Some(r.path));
            assert!(!POLICY[..i].iter().any(|o| o.method == r.method && o.path == r.path), "{} twice", r.path);
        }
    }
}
