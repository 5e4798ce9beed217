//! The JSON API's access policy (`peel_web::api_access`) with real sign-ins: each role
//! reaches the routes of its work and, on routes naming a record, only the records in its
//! scope; routes the policy does not know are refused.

mod support;

use serde_json::json;
use support::{Client, Server};

const TEAM: &str = peel_web::demo::TEAM;

fn signed_in(s: &Server, user: &str) -> Client {
    let mut c = s.client();
    c.login(user);
    c
}

/// A refusal: 403 with the API's JSON error, code `forbidden`.
fn assert_forbidden(r: &support::Response, what: &str) {
    assert_eq!(r.status, 403, "{what}: {}", r.body);
    assert_eq!(r.json()["code"], "forbidden", "{what}: {}", r.body);
    assert!(r.json()["error"].as_str().is_some_and(|e| !e.is_empty()), "{what}: says why");
}

fn report(site: Option<i64>) -> serde_json::Value {
    json!({"channel": "partner-portal", "kind": "crime", "site": site, "account": "A porter was pushed over (synthetic)."})
}

#[test]
fn a_partner_reports_and_reads_for_their_own_site_only() {
    a_partner_reports_and_reads_for_their_own_site_only_on(Server::start());
}

#[test]
fn a_partner_reports_and_reads_for_their_own_site_only_on_postgres() {
    a_partner_reports_and_reads_for_their_own_site_only_on(Server::start_postgres());
}

fn a_partner_reports_and_reads_for_their_own_site_only_on(s: Server) {
    let own = s.demo_site();
    let (other_site, other_report) = s.other_site_report();
    let mut partner = signed_in(&s, "partner");
    let r = partner.json("POST", "/api/reports", &report(Some(own)));
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    assert_eq!((created["site"].as_i64(), created["created_by"].as_str()), (Some(own), Some("partner")));
    assert_forbidden(&partner.json("POST", "/api/reports", &report(Some(other_site))), "another site's report");
    assert_forbidden(&partner.json("POST", "/api/reports", &report(None)), "a report naming no site");
    let bad = partner.send("POST", "/api/reports", &[("Content-Type", "application/json")], "{\"site\": ");
    assert_eq!(bad.status, 400, "a body that is not JSON cannot be checked: {}", bad.body);
    assert_eq!(partner.get(&format!("/api/reports/{}", created["id"])).status, 200);
    assert_forbidden(&partner.get(&format!("/api/reports/{other_report}")), "another site's report");
    let listed = partner.get(&format!("/api/sites/{own}/reports"));
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json().as_array().map(Vec::len), Some(1));
    assert_forbidden(&partner.get(&format!("/api/sites/{other_site}/reports")), "another site's list");
    for path in ["/api/worklists/decisions", "/api/worklists/obligations", "/api/worklists/meeting", "/api/sites"] {
        assert_forbidden(&partner.get(path), path);
    }
    // Only one report was stored, the partner's own.
    assert_eq!(
        s.client_as("registrar").get(&format!("/api/sites/{other_site}/reports")).json().as_array().unwrap().len(),
        1
    );
}

#[test]
fn a_liaison_officer_reads_their_sites_reports_incidents_and_crimes() {
    a_liaison_officer_reads_their_sites_reports_incidents_and_crimes_on(Server::start());
}

#[test]
fn a_liaison_officer_reads_their_sites_reports_incidents_and_crimes_on_postgres() {
    a_liaison_officer_reads_their_sites_reports_incidents_and_crimes_on(Server::start_postgres());
}

fn a_liaison_officer_reads_their_sites_reports_incidents_and_crimes_on(s: Server) {
    let (report, crime) = s.recorded_crime(TEAM, Some("officer"), Some(s.demo_site()));
    let (_, other_report) = s.other_site_report();
    let (_, elsewhere) = s.recorded_crime(TEAM, Some("officer"), None);
    let mut liaison = signed_in(&s, "liaison");
    let r = liaison.get(&format!("/api/reports/{report}"));
    assert_eq!(r.status, 200, "{}", r.body);
    let incident = r.json()["incident"].as_i64().unwrap();
    assert_eq!(liaison.get(&format!("/api/incidents/{incident}")).status, 200);
    let r = liaison.get(&format!("/api/crimes/{crime}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["crime"]["id"].as_i64(), Some(crime));
    assert_forbidden(&liaison.get(&format!("/api/reports/{other_report}")), "another site's report");
    assert_forbidden(&liaison.get(&format!("/api/crimes/{elsewhere}")), "a crime from no site of theirs");
    // Reading is all: no writes.
    assert_forbidden(
        &liaison.json("POST", &format!("/api/crimes/{crime}/outcome"), &json!({"version": 1, "outcome": "18"})),
        "a liaison officer's write",
    );
    assert_forbidden(&liaison.json("POST", "/api/reports", &report_body()), "a liaison officer's report");
}

fn report_body() -> serde_json::Value {
    json!({"channel": "101", "kind": "crime", "account": "A phone stolen (synthetic)."})
}

#[test]
fn an_officer_reaches_only_their_teams_crimes() {
    an_officer_reaches_only_their_teams_crimes_on(Server::start());
}

#[test]
fn an_officer_reaches_only_their_teams_crimes_on_postgres() {
    an_officer_reaches_only_their_teams_crimes_on(Server::start_postgres());
}

fn an_officer_reaches_only_their_teams_crimes_on(s: Server) {
    let (_, ours) = s.recorded_crime(TEAM, None, None);
    let (theirs_report, theirs) = s.recorded_crime("Economic Crime Unit", Some("someone-else"), None);
    let mut officer = signed_in(&s, "officer");
    let r = officer.get(&format!("/api/crimes/{ours}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_forbidden(&officer.get(&format!("/api/crimes/{theirs}")), "another team's crime");
    assert_forbidden(&officer.get(&format!("/api/crimes/{theirs}/audit")), "another team's crime's audit");
    assert_forbidden(&officer.get(&format!("/api/reports/{theirs_report}")), "the report of another team's crime");
    let outcome = json!({"version": 1, "outcome": "18", "suspect_identified": false});
    let r = officer.json("POST", &format!("/api/crimes/{ours}/outcome"), &outcome);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["outcome"], "18");
    let r = officer.json("POST", &format!("/api/crimes/{theirs}/outcome"), &outcome);
    assert_forbidden(&r, "an outcome on another team's crime");
    assert!(s.client_as("admin").get(&format!("/api/crimes/{theirs}")).json()["crime"]["outcome"].is_null());
    // Cancelling is the decision maker's, not the officer's.
    let cancel = json!({"version": 2, "reason": "duplicate", "detail": "CRM-1", "role": "ddm"});
    assert_forbidden(&officer.json("POST", &format!("/api/crimes/{ours}/cancel"), &cancel), "an officer cancelling");
    // Their own obligations worklist only.
    assert_eq!(officer.get("/api/worklists/obligations?officer=officer").status, 200);
    assert_forbidden(&officer.get("/api/worklists/obligations"), "the force's obligations");
    assert_forbidden(&officer.get("/api/worklists/obligations?officer=supervisor"), "someone else's obligations");
    // A crime that does not exist is not found, not forbidden.
    let r = officer.get("/api/crimes/999999");
    assert_eq!((r.status, r.json()["code"].as_str()), (404, Some("not_found")), "{}", r.body);
    // The registrar, as decision maker, may cancel.
    let r = s.client_as("registrar").json("POST", &format!("/api/crimes/{ours}/cancel"), &cancel);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "cancelled");
}

#[test]
fn an_analyst_reads_performance_and_writes_nothing() {
    an_analyst_reads_performance_and_writes_nothing_on(Server::start());
}

#[test]
fn an_analyst_reads_performance_and_writes_nothing_on_postgres() {
    an_analyst_reads_performance_and_writes_nothing_on(Server::start_postgres());
}

fn an_analyst_reads_performance_and_writes_nothing_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let mut analyst = signed_in(&s, "analyst");
    let r = analyst.get("/api/performance/outcomes?from=2026-01-01&to=2026-12-31");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json().is_object());
    assert_eq!(analyst.get("/api/performance/compliance?from=2026-01-01&to=2026-12-31").status, 200);
    assert_forbidden(&analyst.json("POST", "/api/reports", &report_body()), "an analyst's report");
    assert_forbidden(
        &analyst.json("POST", &format!("/api/crimes/{crime}/outcome"), &json!({"version": 1, "outcome": "18"})),
        "an analyst's outcome",
    );
    assert_forbidden(&analyst.get(&format!("/api/crimes/{crime}")), "a crime file");
    assert_forbidden(&analyst.get("/api/worklists/decisions"), "the registrar's queue");
}

#[test]
fn a_supervisor_with_a_team_gets_their_teams_lists() {
    a_supervisor_with_a_team_gets_their_teams_lists_on(Server::start());
}

#[test]
fn a_supervisor_with_a_team_gets_their_teams_lists_on_postgres() {
    a_supervisor_with_a_team_gets_their_teams_lists_on(Server::start_postgres());
}

fn a_supervisor_with_a_team_gets_their_teams_lists_on(s: Server) {
    let mut supervisor = signed_in(&s, "supervisor");
    let team = support::form(&[("team", TEAM)]);
    assert_eq!(supervisor.get(&format!("/api/worklists/reviews?{team}")).status, 200);
    assert_forbidden(&supervisor.get("/api/worklists/reviews"), "every team's reviews");
    assert_forbidden(&supervisor.get("/api/worklists/reviews?team=Economic+Crime+Unit"), "another team's reviews");
    assert_forbidden(&supervisor.get("/api/worklists/meeting"), "the force-wide meeting list");
    assert_eq!(s.client_as("admin").get("/api/worklists/meeting").status, 200, "admin is force-wide");
    assert_eq!(supervisor.get("/api/worklists/decisions").status, 200, "as the /registrar page");
    let mut vc = signed_in(&s, "victimcare");
    assert_eq!(vc.get("/api/worklists/obligations").status, 200, "victim care works the force's obligations");
    assert_forbidden(&vc.get("/api/worklists/reviews"), "victim care and reviews");
}

#[test]
fn requests_the_policy_does_not_know_are_refused_and_the_open_routes_stay_open() {
    requests_the_policy_does_not_know_are_refused_and_the_open_routes_stay_open_on(Server::start());
}

#[test]
fn requests_the_policy_does_not_know_are_refused_and_the_open_routes_stay_open_on_postgres() {
    requests_the_policy_does_not_know_are_refused_and_the_open_routes_stay_open_on(Server::start_postgres());
}

fn requests_the_policy_does_not_know_are_refused_and_the_open_routes_stay_open_on(s: Server) {
    let mut anonymous = s.client();
    assert_eq!(anonymous.get("/healthz").status, 200);
    assert_eq!(anonymous.get("/api/openapi.json").status, 200);
    assert_eq!(anonymous.get("/api/no-such-route").status, 401, "sign-in comes first");
    let mut admin = signed_in(&s, "admin");
    assert_forbidden(&admin.get("/api/no-such-route"), "an unknown route");
    assert_forbidden(&admin.send("DELETE", "/api/crimes/1", &[], ""), "a method the route does not take");
    assert_forbidden(&admin.get("/api/crimes/1/"), "a path that is not the route's");
    let r = admin.get("/api/crimes/x");
    assert_eq!(r.status, 400, "a path id that is no number reaches the API: {}", r.body);
    assert_eq!(admin.get("/api/sites").status, 200);
}

/// Every route the API serves has a row in the policy: a route added without one would be
/// refused to everyone, and this says which.
#[test]
fn every_api_route_has_a_row_in_the_access_policy() {
    every_api_route_has_a_row_in_the_access_policy_on(Server::start());
}

#[test]
fn every_api_route_has_a_row_in_the_access_policy_on_postgres() {
    every_api_route_has_a_row_in_the_access_policy_on(Server::start_postgres());
}

fn every_api_route_has_a_row_in_the_access_policy_on(s: Server) {
    let doc = s.client().get("/api/openapi.json").json();
    let paths = doc["paths"].as_object().expect("paths");
    let mut checked = 0;
    for (path, ops) in paths {
        if path == "/healthz" || path == "/api/openapi.json" {
            continue;
        }
        for method in ops.as_object().unwrap().keys() {
            let probe = path.replace("{id}", "1");
            let found = peel_access::policy::find(&method.to_uppercase(), &probe);
            assert_eq!(found.map(|(r, _)| r.path), Some(path.as_str()), "{method} {path} has no row");
            checked += 1;
        }
    }
    assert_eq!(checked, peel_access::policy::POLICY.len(), "and the policy has no row for a route not served");
}

#[test]
fn cancellation_requests_go_from_the_officer_to_the_decision_maker_through_the_api() {
    cancellation_requests_go_from_the_officer_to_the_decision_maker_through_the_api_on(Server::start());
}

#[test]
fn cancellation_requests_go_from_the_officer_to_the_decision_maker_through_the_api_on_postgres() {
    cancellation_requests_go_from_the_officer_to_the_decision_maker_through_the_api_on(Server::start_postgres());
}

fn cancellation_requests_go_from_the_officer_to_the_decision_maker_through_the_api_on(s: Server) {
    let (_, ours) = s.recorded_crime(TEAM, Some("officer"), None);
    let (_, theirs) = s.recorded_crime("Economic Crime Unit", Some("someone-else"), None);
    let mut officer = signed_in(&s, "officer");
    let mut registrar = signed_in(&s, "registrar");
    let ask = json!({"version": 1, "reason": "duplicate", "detail": "The same assault as CRM-2026-000001."});
    let r = officer.json("POST", &format!("/api/crimes/{ours}/cancellation-requests"), &ask);
    assert_eq!(r.status, 201, "{}", r.body);
    let first = r.json();
    assert_eq!((first["status"].as_str(), first["requested_by"].as_str()), (Some("pending"), Some("officer")));
    assert_forbidden(
        &officer.json("POST", &format!("/api/crimes/{theirs}/cancellation-requests"), &ask),
        "a request on another team's crime",
    );
    let r = officer.json("POST", &format!("/api/crimes/{ours}/cancellation-requests"), &ask);
    assert_eq!(r.status, 409, "one request waits at a time: {}", r.body);
    assert_forbidden(&officer.get("/api/cancellation-requests"), "the decision makers' list");
    assert_forbidden(&signed_in(&s, "partner").get("/api/cancellation-requests"), "a partner");

    // The registrar's list has it; a refusal with a note sends it back.
    let list = registrar.get("/api/cancellation-requests");
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.json()[0]["request"]["id"], first["id"]);
    let refuse = json!({"role": "fcr", "note": "Not the same assault: a different victim."});
    let id = first["id"].as_i64().unwrap();
    assert_forbidden(
        &officer.json("POST", &format!("/api/cancellation-requests/{id}/refuse"), &refuse),
        "an officer refusing",
    );
    let r = registrar.json("POST", &format!("/api/cancellation-requests/{id}/refuse"), &refuse);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!((r.json()["status"].as_str(), r.json()["decided_by"].as_str()), (Some("refused"), Some("registrar")));
    assert_eq!(registrar.get("/api/cancellation-requests").json(), json!([]));

    // Asked again; the registrar cancels the crime, which answers the request in the same write.
    let r = officer.json("POST", &format!("/api/crimes/{ours}/cancellation-requests"), &ask);
    assert_eq!(r.status, 201, "{}", r.body);
    let cancel =
        json!({"version": 1, "reason": "duplicate", "detail": "The same assault as CRM-2026-000001.", "role": "ddm"});
    let r = registrar.json("POST", &format!("/api/crimes/{ours}/cancel"), &cancel);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "cancelled");
    assert_eq!(registrar.get("/api/cancellation-requests").json(), json!([]));
    let page = signed_in(&s, "officer").get(&format!("/crimes/{ours}"));
    assert!(page.body.contains("Crime record cancelled"), "{}", page.body);
}

/// The gate checks the path's id as the path has it: an id the router would decode
/// (`%35` for 5) is refused there, not let through to the API unchecked.
#[test]
fn an_encoded_id_is_refused_not_passed_round_the_scope_check() {
    let s = Server::start();
    let (_, theirs) = s.recorded_crime("Economic Crime Unit", Some("someone-else"), None);
    let encoded: String = theirs.to_string().bytes().map(|b| format!("%{b:02X}")).collect();
    let mut officer = signed_in(&s, "officer");
    let outcome = json!({"version": 1, "outcome": "18", "suspect_identified": false});
    let r = officer.json("POST", &format!("/api/crimes/{encoded}/outcome"), &outcome);
    assert_eq!((r.status, r.json()["code"].as_str()), (400, Some("bad_request")), "{}", r.body);
    let r = officer.get(&format!("/api/crimes/%2B{theirs}"));
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(s.client_as("admin").get(&format!("/api/crimes/{theirs}")).json()["crime"]["outcome"].is_null());
    let r = signed_in(&s, "partner").get(&format!("/api/sites/%3{}/reports", s.demo_site() + 1));
    assert_eq!(r.status, 400, "{}", r.body);
}

/// An officer writes investigation plans through the API; a review, which sets the next
/// review date, is a supervisor's.
#[test]
fn an_officer_writes_plans_and_a_supervisor_reviews() {
    let s = Server::start();
    let (_, ours) = s.recorded_crime(TEAM, Some("officer"), None);
    let path = format!("/api/crimes/{ours}/reviews");
    let mut officer = signed_in(&s, "officer");
    let r = officer.json("POST", &path, &json!({"kind": "review", "text": "x", "next_review_due": "2099-01-01"}));
    assert_forbidden(&r, "an officer's review");
    let r = officer.json("POST", &path, &json!({"kind": "plan", "text": "x", "next_review_due": "2099-01-01"}));
    assert_forbidden(&r, "an officer's plan that sets a review date");
    let r = officer.json("POST", &path, &json!({"kind": "plan", "text": "CCTV; house-to-house."}));
    assert_eq!(r.status, 201, "{}", r.body);
    let r = signed_in(&s, "supervisor").json("POST", &path, &json!({"kind": "review", "text": "Good."}));
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["next_review_due"], "2026-12-21", "28 days from the review");
}
