//! The JSON API's access policy: who may call each `/api` route, and on which records. The
//! web application's gate (`peel-web`'s `auth::api_gate` and `api_access::authorise`) signs
//! the caller in, finds the route's row here ([`find`]), checks the role, then the scope with
//! the checks below; the API's handlers themselves know no accounts (they act as the user
//! the gate names).
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
//! | POST | `/api/crimes/{id}/people`, `/events`, `/evidence`, `/evidence/secured`, `/outcome` | officer, supervisor, admin | crime |
//! | POST | `/api/crimes/{id}/reviews` | officer, supervisor, admin | crime; an officer's is a plan, with no review date |
//! | POST | `/api/crimes/{id}/contacts`, `/fraud-triage` | officer, supervisor, victim care, admin | crime |
//! | POST | `/api/crimes/{id}/allocation`, `/reopen` | supervisor, admin | crime |
//! | POST | `/api/crimes/{id}/cancel` | registrar, admin (the designated decision maker) | — |
//! | POST | `/api/crimes/{id}/cancellation-requests` | officer, supervisor, admin | crime |
//! | GET | `/api/cancellation-requests` | registrar, admin | — |
//! | POST | `/api/cancellation-requests/{id}/refuse` | registrar, admin | — |
//! | GET | `/api/crimes/{id}/reviews`, `/audit` | registrar, officer, supervisor, admin | crime |
//! | GET | `/api/worklists/decisions` | registrar, supervisor, admin | — |
//! | GET | `/api/worklists/obligations` | officer, supervisor, victim care, admin | an officer asks for `officer=` themselves, a supervisor with a team for `team=` theirs |
//! | GET | `/api/worklists/reviews` | supervisor, admin | a supervisor with a team asks for `team=` their team |
//! | GET | `/api/worklists/meeting`, `/suspects` | supervisor, admin | force-wide: refused to a supervisor with a team |
//! | GET | `/api/performance/compliance`, `/outcomes` | analyst, supervisor, admin | — |
//! | POST | `/api/crimes/{id}/flags`, `/reclassifications`, `/links`, `/unlink` | registrar, officer, supervisor, admin | crime |
//! | GET | `/api/crimes/{id}/reclassifications`, `/links` | registrar, officer, supervisor, admin | crime |
//! | GET | `/api/reclassifications` | registrar, admin | — |
//! | POST | `/api/reclassifications/{id}/decision` | registrar, admin | — |
//! | GET | `/api/search` | registrar, officer, supervisor, victim care, admin | reach: what is found is within [`reach`] |
//! | GET | `/api/people/{id}`; POST `/markers`, `/markers/end` | registrar, officer, supervisor, victim care, admin | reach: a person on a crime within [`reach`] |
//! | GET | `/api/people/duplicates`; POST `/api/people/duplicates/{id}/distinct`, `/api/people/merges`, `/api/people/merges/{id}/undo` | registrar, admin | — |
//! | GET | `/api/notifications` | everyone signed in | their own |
//! | GET | `/api/tasks` | registrar, officer, supervisor, victim care, admin | their own |
//! | POST | `/api/crimes/{id}/tasks` | officer, supervisor, admin | crime; the owner's own scope covers it |
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

use crate::{Principal, Role};
use peel_store::casework::{Crime, Reach};
use peel_store::{CaseStore, StoreError};
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
    /// `?officer=` / `?team=`: an officer asks for their own worklist only, a supervisor with a
    /// team for their team's (a team supervisor must not see other teams' victims).
    OwnWork,
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
    rule("POST", "/api/crimes/{id}/allocation", &[Supervisor, Admin], Scope::Crime),
    rule("POST", "/api/crimes/{id}/reopen", &[Supervisor, Admin], Scope::Crime),
    rule("POST", "/api/crimes/{id}/evidence/secured", &[Officer, Supervisor, Admin], Scope::Crime),
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
    // Flags, offence and links: those who work the crime and the registrar; the registrar
    // (final arbiter of classification under the Counting Rules) decides reclassifications.
    rule("POST", "/api/crimes/{id}/flags", CHANGERS, Scope::Crime),
    rule("GET", "/api/crimes/{id}/reclassifications", CHANGERS, Scope::Crime),
    rule("POST", "/api/crimes/{id}/reclassifications", CHANGERS, Scope::Crime),
    rule("GET", "/api/reclassifications", &[Registrar, Admin], Scope::None),
    rule("POST", "/api/reclassifications/{id}/decision", &[Registrar, Admin], Scope::None),
    rule("GET", "/api/crimes/{id}/links", CHANGERS, Scope::Crime),
    rule("POST", "/api/crimes/{id}/links", CHANGERS, Scope::Crime),
    rule("POST", "/api/crimes/{id}/unlink", CHANGERS, Scope::Crime),
    // Worklists.
    rule("GET", "/api/worklists/decisions", &[Registrar, Supervisor, Admin], Scope::None),
    rule("GET", "/api/worklists/obligations", &[Officer, Supervisor, VictimCare, Admin], Scope::OwnWork),
    rule("GET", "/api/worklists/reviews", &[Supervisor, Admin], Scope::OwnTeam),
    rule("GET", "/api/worklists/meeting", &[Supervisor, Admin], Scope::ForceWide),
    rule("GET", "/api/worklists/suspects", &[Supervisor, Admin], Scope::ForceWide),
    // Performance: read-only figures, as on /analyst.
    rule("GET", "/api/performance/compliance", &[Analyst, Supervisor, Admin], Scope::None),
    rule("GET", "/api/performance/outcomes", &[Analyst, Supervisor, Admin], Scope::None),
    // Search: every answer within the searcher's reach (the handler narrows by it).
    rule("GET", "/api/search", SEARCHERS, Scope::None),
    // A person within the searcher's reach (the handler narrows, as the person's page does);
    // everyone's own notifications and tasks; tasks set by those who work the crime.
    // The review list of possible duplicates and merges are the records role's; these rows
    // come before `/api/people/{id}`, which would otherwise take "duplicates" for an id.
    rule("GET", "/api/people/duplicates", &[Registrar, Admin], Scope::None),
    rule("POST", "/api/people/duplicates/{id}/distinct", &[Registrar, Admin], Scope::None),
    rule("POST", "/api/people/merges", &[Registrar, Admin], Scope::None),
    rule("POST", "/api/people/merges/{id}/undo", &[Registrar, Admin], Scope::None),
    rule("GET", "/api/people/{id}", SEARCHERS, Scope::None),
    rule("POST", "/api/people/{id}/markers", SEARCHERS, Scope::None),
    rule("POST", "/api/people/{id}/markers/end", SEARCHERS, Scope::None),
    rule("GET", "/api/notifications", &Role::ALL, Scope::None),
    rule("GET", "/api/tasks", SEARCHERS, Scope::None),
    rule("POST", "/api/crimes/{id}/tasks", &[Officer, Supervisor, Admin], Scope::Crime),
];

/// The roles that change a crime's flags, ask for its reclassification and link it (within
/// the crime scope), as on the crime page (issue 10 §3).
pub const CHANGERS: &[Role] = &[Registrar, Officer, Supervisor, Admin];

/// The roles that search the force's records and open a person's page: those whose work is
/// the records themselves. Partners and liaison officers have their site's pages; the analyst
/// works with figures, not people; the auditor reads the trail about records, not the records.
pub const SEARCHERS: &[Role] = &[Registrar, Officer, Supervisor, VictimCare, Admin];

/// The crimes a search or a person's page may show the user: an officer's own and their
/// team's; a team supervisor's team's; every crime for a supervisor without a team, the
/// registrar, victim care and the administrator (the crime page's rule, [`crime_in_scope`]).
/// `None` for the roles that do not search ([`SEARCHERS`]).
pub fn reach(user: &Principal) -> Option<Reach> {
    if !SEARCHERS.contains(&user.role) {
        return None;
    }
    Some(match user.role {
        Officer => Reach { officer: Some(user.username().to_string()), team: user.account.team.clone() },
        Supervisor => Reach { officer: None, team: user.account.team.clone() },
        _ => Reach::force(),
    })
}

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
pub fn crime_in_scope(store: &dyn CaseStore, user: &Principal, c: &Crime) -> Result<bool, StoreError> {
    Ok(match user.role {
        Officer => c.officer.as_deref() == Some(user.username()) || (c.team.is_some() && c.team == user.account.team),
        Supervisor => user.account.team.is_none() || c.team == user.account.team,
        Liaison | Partner => {
            let inc = store.incident(c.incident)?;
            let r = store.report(inc.report)?;
            r.site.is_some() && r.site == user.account.site
        }
        Registrar | VictimCare | Analyst | Admin => true,
        // The auditor reads the trail about records, never the records themselves.
        Auditor => false,
    })
}

/// Whether `owner` may be given a task on a crime or a person (issue 10 §4): an active
/// officer or supervisor whose own scope covers the crime, or whose reach covers the person
/// (a person on a crime within it, or a force-wide reach). A task names its record and,
/// through its notification and "my tasks", the person: it goes to no one who could not
/// open the record themselves.
pub fn may_own_task(
    store: &dyn CaseStore,
    owner: &peel_store::accounts::Account,
    crime: Option<i64>,
    person: Option<i64>,
) -> Result<bool, StoreError> {
    if !matches!(owner.role, Officer | Supervisor) || !owner.active() {
        return Ok(false);
    }
    let principal = Principal { account: owner, role: owner.role };
    if let Some(c) = crime {
        return crime_in_scope(store, &principal, &store.crime(c)?.crime);
    }
    if let Some(p) = person {
        let Some(reach) = reach(&principal) else { return Ok(false) };
        return Ok(
            reach.is_force() || store.find_crimes(&peel_store::casework::CrimeMatch::Person(p), &reach, 1, 0)?.1 > 0
        );
    }
    Ok(false)
}

/// A report in the user's scope: a partner's or liaison officer's if from their site (as
/// the report page); an officer's if it became their or their team's crime.
pub fn report_in_scope(store: &dyn CaseStore, user: &Principal, id: i64) -> Result<bool, StoreError> {
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
        Auditor => false,
    })
}

/// An incident in the user's scope: a partner's or liaison officer's if from their site's
/// report; every other role's.
pub fn incident_in_scope(store: &dyn CaseStore, user: &Principal, id: i64) -> Result<bool, StoreError> {
    if !user.role.site_scoped() {
        return Ok(true);
    }
    let inc = store.incident(id)?;
    Ok(store.report(inc.report)?.site.is_some_and(|s| user.account.site == Some(s)))
}

/// The record checks of [`Scope::Site`], [`Scope::Report`], [`Scope::Incident`],
/// [`Scope::Crime`] and [`Scope::CrimeReview`] for record `id`: `Ok(None)` if in scope (or
/// the scope checks no record), else the refusal's words. `NotFound` if the record is not
/// there.
pub fn record_refusal(
    store: &dyn CaseStore,
    user: &Principal,
    scope: Scope,
    id: i64,
) -> Result<Option<&'static str>, StoreError> {
    let (allowed, refusal) = match scope {
        Scope::Site => (!user.role.site_scoped() || user.account.site == Some(id), "the site is not yours"),
        Scope::Report => {
            (report_in_scope(store, user, id)?, "the report is not from your site or of your team's crimes")
        }
        Scope::Incident => (incident_in_scope(store, user, id)?, "the incident is not from your site"),
        Scope::Crime | Scope::CrimeReview => {
            let crime = store.crime(id)?.crime;
            (crime_in_scope(store, user, &crime)?, "the crime is not yours, your team's or your site's")
        }
        Scope::None | Scope::NewReport | Scope::OwnWork | Scope::OwnTeam | Scope::ForceWide => (true, ""),
    };
    Ok((!allowed).then_some(refusal))
}

/// The checks that look at the request's query, not a record: an officer's own worklist
/// (`officers`: the `officer=` values asked for), a supervisor's own team's (`teams`), a
/// force-wide list not for a supervisor with a team. The refusal's words, if refused.
pub fn query_refusal(user: &Principal, scope: Scope, officers: &[&str], teams: &[&str]) -> Option<String> {
    match scope {
        Scope::ForceWide if user.role == Supervisor && user.account.team.is_some() => Some(
            "this list is force-wide and cannot be narrowed to your team: your team's list is the /supervisor page"
                .into(),
        ),
        Scope::OwnWork if user.role == Officer => (officers != [user.username()])
            .then(|| format!("an officer asks for their own worklist: add officer={}", user.username())),
        Scope::OwnTeam | Scope::OwnWork => match &user.account.team {
            Some(team) if user.role.team_scoped() && teams != [team.as_str()] => {
                Some(format!("a supervisor asks for their own team's list: add team={team}"))
            }
            _ => None,
        },
        _ => None,
    }
}

/// A new report's check ([`Scope::NewReport`]): a partner's names their own site (`site`,
/// the body's). The refusal's words, if refused.
pub fn new_report_refusal(user: &Principal, site: Option<i64>) -> Option<String> {
    if user.role != Partner || (site.is_some() && site == user.account.site) {
        return None;
    }
    Some(format!(
        "a partner reports for their own site: send \"site\": {}",
        user.account.site.map_or("your site".to_string(), |s| s.to_string())
    ))
}

/// An officer's plan or review body ([`Scope::CrimeReview`]): a plan, setting no review date.
pub fn review_refusal(user: &Principal, kind: Option<&str>, dated: bool) -> Option<&'static str> {
    (user.role == Officer && (kind != Some("plan") || dated))
        .then_some("an officer writes investigation plans; a supervisor reviews and sets the next review date")
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

    fn account(role: &str, site: Option<i64>, team: Option<&str>) -> peel_store::accounts::Account {
        peel_store::accounts::Account {
            id: 1,
            username: "pc:jo".into(),
            display_name: "Jo".into(),
            role: Role::parse(role).expect("a role word"),
            password_hash: String::new(),
            site,
            team: team.map(str::to_string),
            created_at: peel_domain::date::Timestamp::parse("2026-12-01T09:00").unwrap(),
            collar: None,
            disabled_at: None,
            locked_at: None,
            password_changed_at: None,
            last_sign_in_at: None,
            failed_sign_ins: 0,
            last_failed_at: None,
        }
    }

    #[test]
    fn scopes_read_from_the_request_refuse_outside_the_users_own() {
        let officer = account("officer", None, Some("CID"));
        let me = Principal { account: &officer, role: Officer };
        assert!(query_refusal(&me, Scope::OwnWork, &["pc:jo"], &[]).is_none());
        assert!(query_refusal(&me, Scope::OwnWork, &[], &[]).unwrap().contains("officer=pc:jo"));
        assert!(query_refusal(&me, Scope::OwnWork, &["pc:jo", "pc:other"], &[]).is_some());
        assert!(review_refusal(&me, Some("plan"), false).is_none());
        assert!(review_refusal(&me, Some("plan"), true).is_some(), "an officer sets no review date");
        assert!(review_refusal(&me, Some("review"), false).is_some());
        let sup = account("supervisor", None, Some("CID"));
        let sup = Principal { account: &sup, role: Supervisor };
        assert!(query_refusal(&sup, Scope::OwnTeam, &[], &["CID"]).is_none());
        assert!(query_refusal(&sup, Scope::OwnTeam, &[], &["Burglary"]).is_some());
        assert!(query_refusal(&sup, Scope::ForceWide, &[], &[]).is_some());
        // A team supervisor's obligations worklist is their team's: never every team's victims.
        assert!(query_refusal(&sup, Scope::OwnWork, &[], &[]).unwrap().contains("team=CID"));
        assert!(query_refusal(&sup, Scope::OwnWork, &["pc:jo"], &[]).is_some());
        assert!(query_refusal(&sup, Scope::OwnWork, &[], &["CID"]).is_none());
        assert!(query_refusal(&me, Scope::OwnWork, &["pc:jo"], &["Burglary"]).is_none(), "officer=me is enough");
        assert!(review_refusal(&sup, Some("review"), true).is_none());
        let partner = account("partner", Some(7), None);
        let partner = Principal { account: &partner, role: Partner };
        assert!(new_report_refusal(&partner, Some(7)).is_none());
        assert!(new_report_refusal(&partner, Some(8)).unwrap().contains("\"site\": 7"));
        assert!(new_report_refusal(&partner, None).is_some());
        assert!(new_report_refusal(&sup, None).is_none(), "the police report for any site");
    }
}
