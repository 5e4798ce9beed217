//! The role × action × scope matrix, walked: every page route (`peel_access::pages::PAGES`)
//! and every API route (`peel_access::policy::POLICY`), for every demo account, over real
//! HTTP, on SQLite and on PostgreSQL. Each answer must be the table's: 403 where the role is not in the row or the record
//! is outside the user's scope, anything but 403 (and never a server error) where it is.
//! Then the lists: no row outside the user's scope appears in any worklist, with a
//! force-wide role's list as the control that the other team's row exists to be left out.
//!
//! The records: "ours", a crime reported from the demo site (Heartlands Hospital) and
//! allocated to the demo officer in the demo supervisor's team; "theirs", a crime of
//! another team and officer, reported by phone, and another site with a report of its own.

mod support;

use peel_access::pages::{PageScope, PAGES};
use peel_access::policy::{Scope, POLICY};
use peel_access::Role;
use peel_store::audit::AuditQuery;
use peel_web::demo::TEAM;
use serde_json::json;
use support::{form, Client, Server};

struct Records {
    site_ours: i64,
    site_theirs: i64,
    report_ours: i64,
    report_theirs: i64,
    incident_ours: i64,
    crime_ours: i64,
    crime_theirs: i64,
    person_ours: i64,
    person_theirs: i64,
    reference_ours: String,
    reference_theirs: String,
}

fn records(s: &Server) -> Records {
    let site_ours = s.demo_site();
    // Recorded three weeks ago, so their victims' first obligations are overdue and listed.
    let at = "2026-11-02T10:00";
    let (report_ours, crime_ours) = s.recorded_crime_at(TEAM, Some("officer"), Some(site_ours), at);
    let (report_theirs, crime_theirs) = s.recorded_crime_at("Burglary team", Some("pc:other"), None, at);
    let (site_theirs, _) = s.other_site_report();
    let store = s.case_store();
    let incident_ours = store.report(report_ours).unwrap().incident.unwrap();
    let reference_ours = store.crime(crime_ours).unwrap().crime.reference;
    let reference_theirs = store.crime(crime_theirs).unwrap().crime.reference;
    let person_ours = store.crime(crime_ours).unwrap().people[0].person.id;
    let person_theirs = store.crime(crime_theirs).unwrap().people[0].person.id;
    Records {
        site_ours,
        site_theirs,
        report_ours,
        report_theirs,
        incident_ours,
        crime_ours,
        crime_theirs,
        person_ours,
        person_theirs,
        reference_ours,
        reference_theirs,
    }
}

/// A signed-in client per demo account, with its session's CSRF token.
fn clients(s: &Server) -> Vec<(Role, String, Client, String)> {
    peel_web::demo::accounts()
        .into_iter()
        .map(|a| {
            let mut c = s.client_as(a.username);
            let mut home = c.get(a.role.home());
            if home.status == 303 {
                let to = home.header("location").unwrap().to_string();
                home = c.get(&to);
            }
            assert_eq!(home.status, 200, "{} home {}", a.username, a.role.home());
            let csrf = home.csrf();
            (a.role, a.username.to_string(), c, csrf)
        })
        .collect()
}

/// The page path with `{id}` filled in with our record (in every allowed role's scope) or
/// theirs.
fn page_path(template: &str, scope: PageScope, r: &Records, ours: bool) -> String {
    let id = match (scope, template) {
        (_, t) if t.starts_with("/crimes/") => {
            if ours {
                r.crime_ours
            } else {
                r.crime_theirs
            }
        }
        (_, t) if t.starts_with("/reports/") => {
            if ours {
                r.report_ours
            } else {
                r.report_theirs
            }
        }
        (_, t) if t.starts_with("/sites/") => {
            if ours {
                r.site_ours
            } else {
                r.site_theirs
            }
        }
        (_, t) if t.starts_with("/registrar/incidents/") => r.incident_ours,
        (_, t) if t.starts_with("/people/") => {
            if ours {
                r.person_ours
            } else {
                r.person_theirs
            }
        }
        _ => 0,
    };
    template.replace("{id}", &id.to_string()).replace("{username}", "officer")
}

#[test]
fn every_page_answers_every_role_as_the_table_says() {
    every_page_answers_every_role_as_the_table_says_on(Server::start());
}

#[test]
fn every_page_answers_every_role_as_the_table_says_on_postgres() {
    every_page_answers_every_role_as_the_table_says_on(Server::start_postgres());
}

fn every_page_answers_every_role_as_the_table_says_on(s: Server) {
    let r = records(&s);
    let mut clients = clients(&s);
    let mut checked = 0;
    for rule in PAGES {
        // Signing in and out are walked by the sign-in tests; posting them here would end sessions.
        if matches!(rule.path, "/login" | "/logout") {
            continue;
        }
        for (role, username, client, csrf) in clients.iter_mut() {
            let path = page_path(rule.path, rule.scope, &r, true);
            let answer = match rule.method {
                "GET" => client.get(&path),
                // A form sent empty: the handler refuses it as incomplete, never acts on it.
                _ => client.send("POST", &path, &[], &form(&[("_csrf", csrf)])),
            };
            let allowed = rule.allows(*role);
            assert_eq!(
                answer.status == 403,
                !allowed,
                "{} {path} as {username}: {} (the table {} it)\n{}",
                rule.method,
                answer.status,
                if allowed { "allows" } else { "refuses" },
                &answer.body[..answer.body.len().min(400)]
            );
            assert!(answer.status < 500, "{} {path} as {username}: {}", rule.method, answer.status);
            checked += 1;
            // The same route on the other team's, or the other site's, record: refused to the
            // roles whose scope is their own.
            let scoped = match rule.scope {
                PageScope::Crime => matches!(role, Role::Officer | Role::Supervisor | Role::Liaison),
                PageScope::Report => matches!(role, Role::Officer | Role::Partner | Role::Liaison),
                PageScope::Site => *role == Role::Liaison,
                PageScope::Person => matches!(role, Role::Officer | Role::Supervisor),
                PageScope::None | PageScope::OwnWork => false,
            };
            if allowed && scoped && rule.method == "GET" && rule.path.contains("{id}") {
                let theirs = page_path(rule.path, rule.scope, &r, false);
                let answer = client.get(&theirs);
                assert_eq!(answer.status, 403, "GET {theirs} as {username}: out of scope");
            }
        }
    }
    assert!(checked >= 8 * 35, "{checked}");
    // Deny by default: a page with no row is refused to everyone, the administrator included.
    let admin = &mut clients.iter_mut().find(|c| c.0 == Role::Admin).unwrap().2;
    assert_eq!(admin.get("/crimes/1/nothing").status, 404, "not a route at all");
}

/// The API path and body for a route, as a role would call it within its own scope.
fn api_call(rule_path: &str, role: Role, r: &Records) -> (String, serde_json::Value) {
    let id = if rule_path.starts_with("/api/sites/") {
        r.site_ours
    } else if rule_path.starts_with("/api/reports/") {
        r.report_ours
    } else if rule_path.starts_with("/api/incidents/") {
        r.incident_ours
    } else if rule_path.starts_with("/api/crimes/") {
        r.crime_ours
    } else {
        999_999
    };
    let mut path = rule_path.replace("{id}", &id.to_string());
    let team = TEAM.replace(' ', "%20");
    match (rule_path, role) {
        ("/api/worklists/obligations", Role::Officer) => path.push_str("?officer=officer"),
        ("/api/worklists/obligations" | "/api/worklists/reviews", Role::Supervisor) => {
            path.push_str(&format!("?team={team}"))
        }
        _ => {}
    }
    let body = match rule_path {
        "/api/reports" => json!({"site": r.site_ours}),
        "/api/crimes/{id}/reviews" => json!({"kind": "plan"}),
        _ => json!({}),
    };
    (path, body)
}

#[test]
fn every_api_route_answers_every_role_as_the_table_says() {
    every_api_route_answers_every_role_as_the_table_says_on(Server::start());
}

#[test]
fn every_api_route_answers_every_role_as_the_table_says_on_postgres() {
    every_api_route_answers_every_role_as_the_table_says_on(Server::start_postgres());
}

fn every_api_route_answers_every_role_as_the_table_says_on(s: Server) {
    let r = records(&s);
    let mut clients = clients(&s);
    for rule in POLICY {
        for (role, username, client, _) in clients.iter_mut() {
            let (path, body) = api_call(rule.path, *role, &r);
            let answer = match rule.method {
                "GET" => client.get(&path),
                _ => client.json("POST", &path, &body),
            };
            // The table's roles, less the force-wide lists a team supervisor cannot narrow.
            let allowed = rule.roles.contains(role) && !(rule.scope == Scope::ForceWide && *role == Role::Supervisor);
            assert_eq!(
                answer.status == 403,
                !allowed,
                "{} {path} as {username}: {} {}",
                rule.method,
                answer.status,
                &answer.body[..answer.body.len().min(300)]
            );
            assert!(answer.status < 500, "{} {path} as {username}: {}", rule.method, answer.status);
            if allowed && matches!(rule.scope, Scope::Crime | Scope::CrimeReview) && rule.method == "GET" {
                let theirs = path.replace(&format!("/{}", r.crime_ours), &format!("/{}", r.crime_theirs));
                let answer = client.get(&theirs);
                let scoped = matches!(role, Role::Officer | Role::Supervisor | Role::Liaison);
                assert_eq!(answer.status == 403, scoped, "GET {theirs} as {username}: {}", answer.status);
            }
        }
    }
    // Anonymous: 401 on every route but the document.
    let mut anonymous = s.client();
    for rule in POLICY {
        let (path, body) = api_call(rule.path, Role::Admin, &r);
        let answer = match rule.method {
            "GET" => anonymous.get(&path),
            _ => anonymous.json("POST", &path, &body),
        };
        assert_eq!(answer.status, 401, "{} {path} anonymously", rule.method);
    }
}

fn pick(clients: &mut [(Role, String, Client, String)], role: Role) -> &mut Client {
    &mut clients.iter_mut().find(|c| c.0 == role).unwrap().2
}

#[test]
fn no_list_shows_a_row_outside_the_users_scope() {
    no_list_shows_a_row_outside_the_users_scope_on(Server::start());
}

#[test]
fn no_list_shows_a_row_outside_the_users_scope_on_postgres() {
    no_list_shows_a_row_outside_the_users_scope_on(Server::start_postgres());
}

fn no_list_shows_a_row_outside_the_users_scope_on(s: Server) {
    let r = records(&s);
    let mut clients = clients(&s);
    let until = "2027-01-31";
    // The control: victim care's force-wide queue and API list hold both teams' victims.
    let all = pick(&mut clients, Role::VictimCare).get("/victim-care?page=1");
    assert!(all.body.contains(&r.reference_ours) && all.body.contains(&r.reference_theirs), "{}", all.body);
    let all = pick(&mut clients, Role::VictimCare).get(&format!("/api/worklists/obligations?on={until}")).json();
    let teams: Vec<&str> = all.as_array().unwrap().iter().map(|o| o["team"].as_str().unwrap()).collect();
    assert!(teams.contains(&TEAM) && teams.contains(&"Burglary team"), "{teams:?}");

    // A team supervisor: their team's victims only, on the page and through the API.
    let page = pick(&mut clients, Role::Supervisor).get("/victim-care");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&r.reference_ours), "their team's victim is listed");
    assert!(!page.body.contains(&r.reference_theirs), "another team's victim is not");
    for queue in ["/victim-care/enhanced", "/victim-care/fraud", "/supervisor"] {
        let page = pick(&mut clients, Role::Supervisor).get(queue);
        assert_eq!(page.status, 200, "{queue}");
        assert!(!page.body.contains(&r.reference_theirs), "{queue} shows another team's crime");
    }
    let refused = pick(&mut clients, Role::Supervisor).get(&format!("/api/worklists/obligations?on={until}"));
    assert_eq!(refused.status, 403, "a team supervisor cannot ask for every team's victims");
    let team = TEAM.replace(' ', "%20");
    let mine =
        pick(&mut clients, Role::Supervisor).get(&format!("/api/worklists/obligations?on={until}&team={team}")).json();
    let rows = mine.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|o| o["team"] == TEAM), "{mine}");

    // The officer: their own crimes' victims only.
    let page = pick(&mut clients, Role::Officer).get("/officer");
    assert!(page.body.contains(&r.reference_ours) && !page.body.contains(&r.reference_theirs));
    let mine =
        pick(&mut clients, Role::Officer).get(&format!("/api/worklists/obligations?on={until}&officer=officer")).json();
    assert!(mine.as_array().unwrap().iter().all(|o| o["officer"] == "officer"), "{mine}");
    let refused =
        pick(&mut clients, Role::Officer).get(&format!("/api/worklists/obligations?on={until}&officer=pc:other"));
    assert_eq!(refused.status, 403);

    // The liaison officer's and partner's site page: their site's reports only.
    let site = pick(&mut clients, Role::Liaison).get(&format!("/sites/{}", r.site_ours));
    assert_eq!(site.status, 200);
    let their_site = pick(&mut clients, Role::Liaison).get(&format!("/sites/{}", r.site_theirs));
    assert_eq!(their_site.status, 403);
    let reports = pick(&mut clients, Role::Partner).get(&format!("/api/sites/{}/reports", r.site_theirs));
    assert_eq!(reports.status, 403);

    // Search: both crimes' victims are "Alex Synthetic"; a force-wide role finds both, the
    // officer and the team supervisor only the one on their own team's crime, by name and by
    // reference, on the page and through the API.
    let found = |c: &mut Client, q: &str| c.get(&format!("/api/search?q={}", q.replace(' ', "%20"))).json();
    let all = found(pick(&mut clients, Role::VictimCare), "Alex Synthetic");
    let ids: Vec<i64> = all["people"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&r.person_ours) && ids.contains(&r.person_theirs), "{all}");
    for role in [Role::Officer, Role::Supervisor] {
        let mine = found(pick(&mut clients, role), "Alex Synthetic");
        let ids: Vec<i64> = mine["people"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
        assert!(ids.contains(&r.person_ours) && !ids.contains(&r.person_theirs), "{role:?}: {mine}");
        assert!(found(pick(&mut clients, role), &r.reference_theirs)["record"].is_null(), "{role:?}");
        assert!(!found(pick(&mut clients, role), &r.reference_ours)["record"].is_null(), "{role:?}");
        let page = pick(&mut clients, role).get("/search?q=Alex+Synthetic");
        assert_eq!(page.status, 200);
        assert!(page.body.contains(&format!("/people/{}", r.person_ours)), "{}", page.body);
        assert!(!page.body.contains(&format!("/people/{}", r.person_theirs)), "{role:?} sees another team's victim");
        let page = pick(&mut clients, role).get(&format!("/crimes/{}", r.reference_theirs));
        assert_eq!(page.status, 403, "{role:?}: another team's crime by its reference");
    }

    // Every list shown is in the access log, row by row (Data Protection Act 2018 s.62): the
    // partner's own reports and the supervisor's meeting and plans-and-reviews tables too.
    assert_eq!(pick(&mut clients, Role::Partner).get("/partner").status, 200);
    let report_ours = s.case_store().report(r.report_ours).unwrap().reference;
    for (who, route, record) in
        [("partner", "GET /partner", &report_ours), ("supervisor", "GET /supervisor", &r.reference_ours)]
    {
        let q = AuditQuery { actor: Some(who.into()), limit: 1000, ..Default::default() };
        let logged = s.case_store().audit_search(&q).unwrap();
        assert!(
            logged.iter().any(|e| e.route.as_deref() == Some(route) && e.record.as_deref() == Some(record.as_str())),
            "{who}'s {route} did not log {record}: {logged:?}"
        );
    }
}
