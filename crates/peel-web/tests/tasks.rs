//! Tasks and notifications over real HTTP (issue 10 §4): the supervisor sets the officer a
//! task on a crime, the officer is told (the header counts it), finds it under "My tasks"
//! and records its result; a task without what is to be done is refused by name; the
//! partner who sent a report is told in plain words when it is recorded; notifications are
//! each account's own.

mod support;

use support::{Client, Server, NOW};

const TEAM: &str = peel_web::demo::TEAM;

fn signed_in(s: &Server, user: &str) -> Client {
    let mut c = s.client();
    c.login(user);
    c
}

/// The unread count in the header, if any.
fn unread(body: &str) -> Option<u64> {
    let at = body.find("class=\"count\">")? + "class=\"count\">".len();
    body[at..].split('<').next()?.trim().parse().ok()
}

#[test]
fn the_supervisor_sets_a_task_the_officer_is_told_and_records_its_result() {
    tasks_on(Server::start());
}

#[test]
fn the_supervisor_sets_a_task_the_officer_is_told_and_records_its_result_on_postgres() {
    tasks_on(Server::start_postgres());
}

fn tasks_on(s: Server) {
    let reference = s.crime_against(("Robin Example", Some("1990-01-02")), "8N", "B9 5SS", TEAM, Some("officer"));
    let mut officer = signed_in(&s, "officer");
    let home = officer.get("/officer");
    assert_eq!(unread(&home.body), Some(1), "allocated by the recording decision: {}", home.body);
    assert!(home.body.contains("No open tasks."));

    let mut supervisor = signed_in(&s, "supervisor");
    let page = supervisor.get(&format!("/crimes/{reference}"));
    assert!(page.body.contains("id=\"tasks\""), "{}", page.body);
    let csrf = page.csrf();
    let crime_id = {
        let found = s.case_store().find_reference(&reference).unwrap().unwrap();
        found.1
    };
    let path = format!("/crimes/{crime_id}/tasks");
    let empty = supervisor
        .post(&path, &[("_csrf", &csrf), ("task_kind", "visit"), ("owner", "officer"), ("task_due", "2026-11-30")]);
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Say what is to be done"), "{}", empty.body);
    let nobody = supervisor.post(
        &path,
        &[
            ("_csrf", &csrf),
            ("task_kind", "visit"),
            ("task_description", "Visit"),
            ("owner", "nobody"),
            ("task_due", "2026-11-30"),
        ],
    );
    assert_eq!(nobody.status, 422);
    assert!(nobody.body.contains("No account is named"), "{}", nobody.body);
    let set = supervisor.post(
        &path,
        &[
            ("_csrf", &csrf),
            ("task_kind", "arrest-attempt"),
            ("task_description", "Attend the suspect's address before 8am"),
            ("owner", "officer"),
            ("task_due", "2026-11-25"),
        ],
    );
    assert_eq!(set.status, 303, "{}", set.body);

    // The officer: told, and the task under "My tasks".
    let home = officer.get("/officer");
    assert_eq!(unread(&home.body), Some(2));
    assert!(
        home.body.contains("Attend the suspect&#39;s address before 8am")
            || home.body.contains("Attend the suspect's address before 8am"),
        "{}",
        home.body
    );
    // The same through the JSON API.
    let api = officer.get("/api/notifications").json();
    assert_eq!(api["unread"], 2, "{api}");
    assert_eq!(api["notifications"][0]["kind"], "task", "{api}");
    let mine = officer.get("/api/tasks").json();
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine[0]["crime_reference"], reference.as_str());
    let bad = officer.json(
        "POST",
        &format!("/api/crimes/{crime_id}/tasks"),
        &serde_json::json!({"kind": "call", "description": "Call", "owner": "nobody", "due": "2026-11-30"}),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.json()["field"], "owner");
    let made = officer.json("POST", &format!("/api/crimes/{crime_id}/tasks"), &serde_json::json!({"kind": "call", "description": "Call the witness back", "owner": "officer", "due": "2026-11-30"}));
    assert_eq!(made.status, 201, "{}", made.body);
    let victim = s.case_store().crime(crime_id).unwrap().people[0].person.id;
    let person = officer.get(&format!("/api/people/{victim}")).json();
    assert_eq!(person["record"]["person"]["name"], "Robin Example", "{person}");
    assert_eq!(person["crimes_total"], 1);
    let told = officer.get("/notifications");
    assert!(told.body.contains("set you a task on"), "{}", told.body);
    assert!(told.body.contains(&format!("{reference} (8N Assault with injury) is allocated to you")), "{}", told.body);
    let csrf = told.csrf();
    assert_eq!(officer.post("/notifications/read", &[("_csrf", &csrf)]).status, 303);
    assert_eq!(unread(&officer.get("/officer").body), None);
    // Notifications are each account's own: the supervisor has none of these.
    assert!(!supervisor.get("/notifications").body.contains("set you a task"));

    let task = s
        .case_store()
        .open_tasks_of("officer")
        .unwrap()
        .into_iter()
        .find(|t| t.details.kind == "arrest-attempt")
        .unwrap()
        .id;
    let done = officer.post(&format!("/tasks/{task}/done"), &[("_csrf", &csrf), ("result", "Arrested at 07:10")]);
    assert_eq!(done.status, 303, "{}", done.body);
    let page = officer.get(&format!("/crimes/{reference}"));
    assert!(page.body.contains("Arrested at 07:10"), "{}", page.body);
    assert!(!officer.get("/officer").body.contains("Arrested at 07:10"), "done tasks leave my list");
    // Someone else's task: not theirs to close.
    let other = s
        .case_store()
        .add_task(
            &peel_store::tasks::NewTask {
                crime: Some(crime_id),
                person: None,
                kind: "call".into(),
                description: "Call the witness".into(),
                owner: "supervisor".into(),
                due: peel_domain::date::Date::parse("2026-11-26").unwrap(),
            },
            "supervisor",
            peel_domain::date::Timestamp::parse(NOW).unwrap(),
        )
        .unwrap();
    assert_eq!(officer.post(&format!("/tasks/{}/done", other.id), &[("_csrf", &csrf), ("result", "x")]).status, 403);
}

#[test]
fn the_partner_is_told_in_plain_words_when_their_report_is_recorded() {
    let s = Server::start();
    let site = s.demo_site();
    let mut partner = signed_in(&s, "partner");
    let form = partner.get("/partner");
    let csrf = form.csrf();
    let sent = partner.post(
        "/partner/reports",
        &[
            ("_csrf", &csrf),
            ("kind", "crime"),
            ("account", "A visitor punched a porter in the main entrance."),
            ("location", "Main entrance"),
        ],
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    let report = s.case_store().reports_for_site(site).unwrap().into_iter().next_back().unwrap();
    assert_eq!(unread(&partner.get("/partner").body), None);
    // The registrar records it as a crime.
    let mut store = s.case_store();
    let decision = peel_casework::DecisionInput {
        version: 1,
        decision: "crime".into(),
        victims: vec![peel_casework::VictimOffences {
            person: peel_store::casework::PersonRef::New(peel_store::casework::PersonDetails {
                name: "Casey Porter".into(),
                ..Default::default()
            }),
            offence_codes: vec!["8N".into()],
            themes: vec![],
            flags: vec![],
            age_at_offence: None,
            bereaved_close_relative: false,
        }],
        team: Some(TEAM.into()),
        officer: None,
    };
    let now = peel_domain::date::Timestamp::parse(NOW).unwrap();
    peel_casework::record_decision(&mut *store, report.incident.unwrap(), &decision, "registrar", now).unwrap();
    drop(store);
    let page = partner.get("/partner");
    assert_eq!(unread(&page.body), Some(1));
    let told = partner.get("/notifications").body;
    assert!(
        told.contains(&format!(
            "Your report {} has been recorded as a crime and passed to officers to investigate.",
            report.reference
        )),
        "{told}"
    );
    assert!(!told.contains("CRM-"), "no police references for the partner: {told}");
}

#[test]
fn a_task_goes_only_to_someone_whose_work_the_record_is_in() {
    let s = Server::start();
    let reference = s.crime_against(("Robin Example", Some("1990-01-02")), "8N", "B9 5SS", TEAM, Some("officer"));
    let crime = s.case_store().find_reference(&reference).unwrap().unwrap().1;
    let victim = s.case_store().crime(crime).unwrap().people[0].person.id;
    // Another team's officer and supervisor.
    let now = peel_domain::date::Timestamp::parse(NOW).unwrap();
    for (username, role) in
        [("elsewhere", peel_domain::role::Role::Officer), ("boss", peel_domain::role::Role::Supervisor)]
    {
        let a = peel_store::accounts::NewAccount {
            username: username.into(),
            display_name: format!("Sam {username}"),
            role,
            password_hash: peel_access::secrets::hash_password(&format!("peel-demo-{username}")),
            site: None,
            team: Some("Another team".into()),
            collar: None,
        };
        s.case_store().create_account(&a, "admin", now).unwrap();
    }
    let mut supervisor = signed_in(&s, "supervisor");
    let page = supervisor.get(&format!("/crimes/{reference}"));
    assert!(page.body.contains("<option value=\"officer\">Demo Investigating Officer</option>"), "{}", page.body);
    assert!(
        !page.body.contains("<option value=\"elsewhere\">Sam elsewhere</option>"),
        "not offered: the crime is outside their work"
    );
    let csrf = page.csrf();
    for owner in ["elsewhere", "partner"] {
        let r = supervisor.post(
            &format!("/crimes/{crime}/tasks"),
            &[
                ("_csrf", &csrf),
                ("task_kind", "visit"),
                ("task_description", "Visit"),
                ("owner", owner),
                ("task_due", "2026-11-30"),
            ],
        );
        assert_eq!(r.status, 422, "{owner}: {}", r.body);
        assert!(r.body.contains("cannot be given this task"), "{owner}: {}", r.body);
    }
    let api = supervisor.json(
        "POST",
        &format!("/api/crimes/{crime}/tasks"),
        &serde_json::json!({"kind": "visit", "description": "Visit", "owner": "elsewhere", "due": "2026-11-30"}),
    );
    assert_eq!(api.status, 422, "{}", api.body);
    assert!(s.case_store().open_tasks_of("elsewhere").unwrap().is_empty());
    assert!(s.case_store().notifications("elsewhere", 10, 0).unwrap().0.is_empty(), "no name leaked by a notification");

    // A task on the person, closed only by someone whose reach the person is in.
    let task = s
        .case_store()
        .add_task(
            &peel_store::tasks::NewTask {
                crime: None,
                person: Some(victim),
                kind: "call".into(),
                description: "Call the victim".into(),
                owner: "officer".into(),
                due: peel_domain::date::Date::parse("2026-11-30").unwrap(),
            },
            "supervisor",
            now,
        )
        .unwrap();
    let mut boss = signed_in(&s, "boss");
    let csrf = boss.get("/supervisor").csrf();
    assert_eq!(boss.post(&format!("/tasks/{}/done", task.id), &[("_csrf", &csrf), ("result", "x")]).status, 403);
    // Nor is the person's record theirs to read through the API.
    assert_eq!(boss.get(&format!("/api/people/{victim}")).status, 403);
    assert!(s.case_store().task(task.id).unwrap().done_at.is_none());
}
