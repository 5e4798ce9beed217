//! The life of a crime on its page (issue 10 §3), over real HTTP with real sign-ins, on both
//! stores: the officer adds a suspect and a witness, records the suspect's arrest, and the
//! victim's right-6 update appears on the crime and, when due, on the officer's list; a
//! charge set as the outcome owes another; a bad form is shown again with its error.

mod support;

use support::{Client, Server};

const TEAM: &str = peel_web::demo::TEAM;

fn signed_in(s: &Server, user: &str) -> Client {
    let mut c = s.client();
    c.login(user);
    c
}

#[test]
fn a_suspect_is_added_and_arrested_and_the_victim_is_owed_the_news() {
    a_suspect_is_added_and_arrested_and_the_victim_is_owed_the_news_on(Server::start());
}

#[test]
fn a_suspect_is_added_and_arrested_and_the_victim_is_owed_the_news_on_postgres() {
    a_suspect_is_added_and_arrested_and_the_victim_is_owed_the_news_on(Server::start_postgres());
}

fn a_suspect_is_added_and_arrested_and_the_victim_is_owed_the_news_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let mut officer = signed_in(&s, "officer");
    let path = format!("/crimes/{crime}");
    let page = officer.get(&path);
    assert!(page.body.contains("Add a person") && page.body.contains("Record an investigation event"), "{}", page.body);

    // A suspect without a name is refused beside the field, what was chosen kept.
    let r = officer.post(
        &format!("{path}/people"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("role", "suspect"), ("name", " ")],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"name-error\">Error: Enter their full name"), "{}", r.body);
    assert!(r.body.contains("value=\"suspect\" checked"), "{}", r.body);

    for (role, name) in [("suspect", "Casey Placeholder"), ("witness", "Robin Witness")] {
        let page = officer.get(&path);
        let r = officer.post(
            &format!("{path}/people"),
            &[
                ("_csrf", &page.csrf()),
                ("version", &page.version()),
                ("role", role),
                ("name", name),
                ("date_of_birth", "1985-01-01"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.header("location"), Some(format!("{path}?done=person#people").as_str()));
    }
    let page = officer.get(&format!("{path}?done=person"));
    assert!(page.body.contains("Person added to the crime."));
    assert!(page.body.contains(">Casey Placeholder</a>") && page.body.contains(">suspect<"), "{}", page.body);
    assert!(page.body.contains(">Robin Witness</a>") && page.body.contains(">witness<"));

    // Arrested today (Mon 23 Nov 2026): the victim is owed the news by Mon 30 Nov.
    let before = page.body.matches(">Right 6</span>").count();
    let r = officer.post(
        &format!("{path}/events"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("event", "arrest"), ("on", "2026-11-23")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = officer.get(r.header("location").unwrap());
    assert!(page.body.contains("Investigation event recorded"), "{}", page.body);
    assert_eq!(page.body.matches(">Right 6</span>").count(), before + 1, "{}", page.body);
    assert!(page.body.contains("Tell the victim: suspect arrested on 2026-11-23 (within 5 working days)"));
    assert!(page.body.contains("Five-step standard, step 4"), "the force's own standard too");
    // An event in the future is refused.
    let r = officer.post(
        &format!("{path}/events"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("event", "charge"), ("on", "2027-01-01")],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"on-error\">Error: 2027-01-01 is in the future"), "{}", r.body);

    // On the day it is due, the update is on the officer's list.
    s.set_now("2026-11-30T09:00");
    let mut officer = signed_in(&s, "officer");
    let mine = officer.get("/officer");
    assert!(mine.body.contains("suspect arrested on 2026-11-23"), "{}", mine.body);

    // Charged: the outcome owes the victim the news of the charge as well.
    let page = officer.get(&path);
    let r = officer.post(
        &format!("{path}/outcome"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("outcome", "1"), ("suspect_identified", "yes")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = officer.get(&path);
    assert!(page.body.contains("Tell the victim: suspect charged on 2026-11-30"), "{}", page.body);
}

#[test]
fn a_supervisor_reallocates_a_crime_to_another_team() {
    a_supervisor_reallocates_a_crime_to_another_team_on(Server::start());
}

#[test]
fn a_supervisor_reallocates_a_crime_to_another_team_on_postgres() {
    a_supervisor_reallocates_a_crime_to_another_team_on(Server::start_postgres());
}

fn a_supervisor_reallocates_a_crime_to_another_team_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let path = format!("/crimes/{crime}");
    let mut officer = signed_in(&s, "officer");
    let page = officer.get(&path);
    assert!(!page.body.contains("Reallocate the crime"), "an officer does not reallocate");
    let refused = officer.post(
        &format!("{path}/allocation"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("team", "Neighbourhood team")],
    );
    assert_eq!(refused.status, 403);

    let mut supervisor = signed_in(&s, "supervisor");
    let page = supervisor.get(&path);
    assert!(page.body.contains("Reallocate the crime"), "{}", page.body);
    // A team that is not one of the force's is refused beside the field.
    let r = supervisor.post(
        &format!("{path}/allocation"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("team", "Nobody's team"), ("officer", "")],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"team-error\">Error: "), "{}", r.body);
    let r = supervisor.post(
        &format!("{path}/allocation"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("team", "Neighbourhood team"), ("officer", "")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let c = s.case_store().crime(crime).unwrap().crime;
    assert_eq!((c.team.as_deref(), c.officer.as_deref()), (Some("Neighbourhood team"), None));
    // The same form again, on the version it was read at: someone else's change stands.
    let stale = supervisor.post(
        &format!("{path}/allocation"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("team", TEAM), ("officer", "officer")],
    );
    assert_eq!(stale.status, 403, "the crime has left the supervisor's team: {}", stale.status);
    // It has left the officer's work and the team's, and the move is audited.
    assert_eq!(officer.get(&path).status, 403);
    let trail = s.case_store().audit_trail("crime", crime).unwrap();
    let moved = trail.iter().find(|e| e.action == "allocate").expect("an allocate entry");
    assert_eq!(moved.actor, "supervisor");
    assert_eq!(moved.before.as_ref().unwrap()["officer"], "officer");
    assert!(moved.after.as_ref().unwrap()["officer"].is_null());
    // Through the API as well: the administrator gives it back to the officer.
    let mut admin = signed_in(&s, "admin");
    let body = serde_json::json!({"version": c.version, "team": TEAM, "officer": "officer"});
    let r = admin.json("POST", &format!("/api/crimes/{crime}/allocation"), &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!((r.json()["team"].as_str(), r.json()["officer"].as_str()), (Some(TEAM), Some("officer")));
    let again = admin.json("POST", &format!("/api/crimes/{crime}/allocation"), &body);
    assert_eq!(again.status, 409, "the same version again: {}", again.body);
    assert_eq!(officer.get(&path).status, 200, "back in the officer's work");
}

#[test]
fn a_supervisor_reopens_a_closed_crime() {
    let s = Server::start();
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let path = format!("/crimes/{crime}");
    let mut officer = signed_in(&s, "officer");
    let page = officer.get(&path);
    let r = officer.post(
        &format!("{path}/outcome"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("outcome", "18"), ("suspect_identified", "no")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!officer.get(&path).body.contains("Reopen the investigation"), "an officer does not reopen");
    let mut supervisor = signed_in(&s, "supervisor");
    let page = supervisor.get(&path);
    assert!(page.body.contains("Reopen the investigation"), "{}", page.body);
    let r = supervisor
        .post(&format!("{path}/reopen"), &[("_csrf", &page.csrf()), ("version", &page.version()), ("reason", "")]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"reason-error\">Error: Say why the crime is reopened"), "{}", r.body);
    let r = supervisor.post(
        &format!("{path}/reopen"),
        &[
            ("_csrf", &page.csrf()),
            ("version", &page.version()),
            ("reason", "Forensic match from the car window (synthetic)."),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = supervisor.get(r.header("location").unwrap());
    assert!(page.body.contains("Crime reopened: the investigation goes on."), "{}", page.body);
    assert!(page.body.contains("<dt>Outcome</dt><dd>none yet</dd>"), "{}", page.body);
    assert!(!page.body.contains("Reopen the investigation"), "open again, nothing to reopen");
}

#[test]
fn evidence_is_marked_secured_once() {
    evidence_is_marked_secured_once_on(Server::start());
}

#[test]
fn evidence_is_marked_secured_once_on_postgres() {
    evidence_is_marked_secured_once_on(Server::start_postgres());
}

fn evidence_is_marked_secured_once_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let path = format!("/crimes/{crime}");
    let mut officer = signed_in(&s, "officer");
    let page = officer.get(&path);
    let r = officer.post(
        &format!("{path}/evidence"),
        &[
            ("_csrf", &page.csrf()),
            ("version", &page.version()),
            ("kind", "cctv"),
            ("description", "Car park camera 3 (synthetic)"),
            ("deadline", "2026-11-22"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = officer.get(&path);
    assert!(page.body.contains("Passed"), "the deadline has passed: {}", page.body);
    let at = page.body.find("name=\"evidence\" value=\"").expect("a Mark secured form") + 23;
    let evidence: String = page.body[at..].split('"').next().unwrap().to_string();
    let form = [("_csrf", page.csrf()), ("evidence", evidence.clone())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = officer.post(&format!("{path}/evidence-secured"), &form);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = officer.get(r.header("location").unwrap());
    assert!(page.body.contains("Evidence marked secured."), "{}", page.body);
    assert!(page.body.contains("Secured 23 Nov 2026 09:05"), "{}", page.body);
    assert!(!page.body.contains("name=\"evidence\" value=\""), "no form for what is secured");
    // Twice is refused, and the first time stands.
    let again = officer.post(&format!("{path}/evidence-secured"), &form);
    assert_eq!(again.status, 409, "{}", again.body);
    let id: i64 = evidence.parse().unwrap();
    let file = s.case_store().crime(crime).unwrap();
    let e = file.evidence.iter().find(|e| e.id == id).unwrap();
    assert_eq!(e.details.secured_at.map(|t| t.to_string()).as_deref(), Some("2026-11-23T09:05"));
    let trail = s.case_store().audit_trail("evidence", id).unwrap();
    assert!(trail.iter().any(|e| e.action == "secure" && e.actor == "officer"), "{trail:?}");
}
