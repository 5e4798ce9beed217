//! Tasks and notifications on both stores (issue 10 §4): who is told what, once, with an
//! outbox row each; a task set, done and refused when done twice; deadlines told by the job
//! however often it runs.

use peel_domain::date::{Date, Timestamp};
use peel_domain::role::Role;
use peel_store::accounts::NewAccount;
use peel_store::casework::*;
use peel_store::tasks::{NewTask, Tasks};
use peel_store::{CaseStore, StoreError};

#[macro_use]
mod support;

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn account(s: &mut dyn CaseStore, username: &str, name: &str, role: Role, site: Option<i64>) {
    let a = NewAccount {
        username: username.into(),
        display_name: name.into(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
        site,
        team: Some("Sandwell CID".into()),
        collar: None,
    };
    s.create_account(&a, "admin", at("2026-11-01T09:00")).unwrap();
}

/// A partner's report decided as one crime (offence 8N), allocated to `officer`.
fn partner_crime(s: &mut dyn CaseStore, site: i64, officer: Option<&str>) -> (Report, Crime) {
    let report = s
        .create_report(&NewReport {
            channel: "partner-portal".into(),
            kind: "crime".into(),
            reported_at: at("2026-11-23T09:00"),
            occurred_at: None,
            reporter: None,
            site: Some(site),
            location: Some("Ward 4".into()),
            place: Default::default(),
            account: "A patient hit a nurse.".into(),
            created_by: "nurse".into(),
            decision_due: Some(at("2026-11-24T09:00")),
        })
        .unwrap();
    let crime = NewCrime {
        victim: PersonRef::New(PersonDetails { name: "Robin Testcase".into(), ..Default::default() }),
        offence_code: "8N".into(),
        flags: vec![],
        team: Some("Sandwell CID".into()),
        officer: officer.map(Into::into),
        enhanced: false,
        enhanced_reasons: vec![],
        obligations: vec![NewObligation {
            entitlement: "6-investigation-updates".into(),
            right_no: 6,
            description: "Tell the victim of the suspect's arrest".into(),
            due: Some(Due::By(Date::parse("2026-11-25").unwrap())),
            met_at: None,
        }],
    };
    let decision = Decision { status: "crime".into(), crimes: vec![crime] };
    let (_, crimes) = s.decide(report.incident.unwrap(), 1, &decision, "registrar", at("2026-11-23T10:00")).unwrap();
    (s.report(report.id).unwrap(), crimes.into_iter().next().unwrap())
}

fn site(s: &mut dyn CaseStore) -> i64 {
    s.add_site(
        &NewSite {
            organisation: "Example Hospitals Trust".into(),
            organisation_kind: "hospital".into(),
            name: "Example Hospital".into(),
            address: None,
            place: Default::default(),
        },
        "admin",
        at("2026-11-01T09:00"),
    )
    .unwrap()
    .id
}

fn bodies(s: &dyn CaseStore, who: &str) -> Vec<String> {
    s.notifications(who, 50, 0).unwrap().0.into_iter().map(|n| n.body).collect()
}

on_every_store! {
    fn the_officer_and_the_partner_are_told_once_each_with_an_outbox_row(s) {
        let site = site(&mut s);
        account(&mut s, "officer", "Morgan Example", Role::Officer, None);
        account(&mut s, "other", "Casey Example", Role::Officer, None);
        account(&mut s, "nurse", "Avery Example", Role::Partner, Some(site));
        let (report, crime) = partner_crime(&mut s, site, Some("officer"));
        assert_eq!(bodies(&s, "officer"), [format!("{} (8N Assault with injury) is allocated to you by registrar.", crime.reference)]);
        assert_eq!(
            bodies(&s, "nurse"),
            [format!("Your report {} has been recorded as a crime and passed to officers to investigate.", report.reference)]
        );
        // Reallocated: the new officer is told; allocating to oneself tells no one.
        let moved = s.reallocate(crime.id, crime.version, "Sandwell CID", Some("other"), "supervisor", at("2026-11-23T11:00")).unwrap();
        assert_eq!(s.unread_notifications("other").unwrap(), 1);
        let back = s.reallocate(crime.id, moved.version, "Sandwell CID", Some("officer"), "officer", at("2026-11-23T12:00")).unwrap();
        assert_eq!(s.notifications("officer", 50, 0).unwrap().1, 1, "taking it back oneself is not told");
        // The outcome, to the partner in plain words.
        s.set_outcome(crime.id, back.version, "1", "officer", at("2026-12-01T10:00")).unwrap();
        let told = bodies(&s, "nurse");
        assert_eq!(told[0], format!("The investigation of your report {} has finished: someone has been charged or summonsed to court.", report.reference));
        assert!(!told[0].contains("outcome") && !told[0].contains(&crime.reference), "no police codes: {}", told[0]);
        // Every notification has its outbox row, waiting for a sender.
        let outbox = s.pending_outbox(100).unwrap();
        let total: u64 = ["officer", "other", "nurse"].iter().map(|w| s.notifications(w, 50, 0).unwrap().1).sum();
        assert_eq!(outbox.len() as u64, total);
        assert_eq!(total, 4, "allocated, reallocated, and the partner's two (the officer's own move is not told)");
        assert!(outbox.iter().all(|o| o.channel == "email"));
        // Read.
        assert_eq!(s.mark_notifications_read("nurse", at("2026-12-01T11:00")).unwrap(), 2);
        assert_eq!(s.unread_notifications("nurse").unwrap(), 0);
    }

    fn deadlines_are_told_once_however_often_the_job_runs(s) {
        let site = site(&mut s);
        account(&mut s, "officer", "Morgan Example", Role::Officer, None);
        let (_, crime) = partner_crime(&mut s, site, Some("officer"));
        s.mark_notifications_read("officer", at("2026-11-23T10:00")).unwrap();
        s.add_evidence(&NewEvidence {
            crime: crime.id,
            kind: "cctv".into(),
            description: "Car park camera 3".into(),
            deadline: Some(Date::parse("2026-11-26").unwrap()),
            secured_at: None,
            added_by: "officer".into(),
        }, at("2026-11-23T10:30")).unwrap();
        // Two days before the update is due: nothing yet.
        assert_eq!(s.notify_due(at("2026-11-23T12:00")).unwrap(), 0);
        // The day before: the update; the CCTV's day is within 48 hours.
        assert_eq!(s.notify_due(at("2026-11-24T08:00")).unwrap(), 2);
        assert_eq!(s.notify_due(at("2026-11-24T08:01")).unwrap(), 0, "each once");
        let told = bodies(&s, "officer");
        assert!(told.iter().any(|b| b == &format!("Due tomorrow (2026-11-25) on {}: Tell the victim of the suspect's arrest for Robin Testcase.", crime.reference)), "{told:?}");
        assert!(told.iter().any(|b| b.starts_with(&format!("CCTV on {} is overwritten on 2026-11-26", crime.reference))), "{told:?}");
        assert_eq!(s.unread_notifications("officer").unwrap(), 2);
    }

    fn a_task_is_set_told_done_and_not_done_twice(s) {
        let site = site(&mut s);
        account(&mut s, "officer", "Morgan Example", Role::Officer, None);
        account(&mut s, "supervisor", "Sam Example", Role::Supervisor, None);
        let (_, crime) = partner_crime(&mut s, site, Some("officer"));
        let victim = s.crime(crime.id).unwrap().people[0].person.id;
        let task = NewTask {
            crime: Some(crime.id),
            person: None,
            kind: "arrest-attempt".into(),
            description: "Attend the suspect's home address".into(),
            owner: "officer".into(),
            due: Date::parse("2026-11-25").unwrap(),
        };
        let t = s.add_task(&task, "supervisor", at("2026-11-23T12:00")).unwrap();
        assert_eq!(t.crime_reference.as_deref(), Some(crime.reference.as_str()));
        let told = bodies(&s, "officer");
        assert_eq!(told[0], format!("Sam Example set you a task on {}, due 2026-11-25: Arrest attempt: Attend the suspect's home address", crime.reference));
        let on_person = s.add_task(&NewTask { crime: None, person: Some(victim), kind: "call".into(), owner: "officer".into(), ..task.clone() }, "officer", at("2026-11-23T12:05")).unwrap();
        assert_eq!(on_person.person_name.as_deref(), Some("Robin Testcase"));
        assert_eq!(s.notifications("officer", 50, 0).unwrap().1, 2, "a task one sets oneself is not told");
        assert_eq!(s.open_tasks_of("officer").unwrap().len(), 2);
        // Refusals name the field.
        for (bad, field) in [
            (NewTask { kind: "raid".into(), ..task.clone() }, "kind:"),
            (NewTask { owner: "nobody".into(), ..task.clone() }, "owner:"),
            (NewTask { description: " ".into(), ..task.clone() }, "description:"),
            (NewTask { crime: None, ..task.clone() }, "crime:"),
        ] {
            match s.add_task(&bad, "supervisor", at("2026-11-23T12:00")) {
                Err(StoreError::Invalid(m)) => assert!(m.starts_with(field), "{m}"),
                other => panic!("{field} {other:?}"),
            }
        }
        let done = s.complete_task(t.id, "Not at home; neighbour says he moved", "officer", at("2026-11-24T09:00")).unwrap();
        assert_eq!(done.done_by.as_deref(), Some("officer"));
        assert!(matches!(s.complete_task(t.id, "again", "officer", at("2026-11-24T09:01")), Err(StoreError::Refused(_))));
        assert_eq!(s.open_tasks_of("officer").unwrap().len(), 1);
        let on_crime = s.tasks_of_crime(crime.id).unwrap();
        assert_eq!(on_crime.len(), 1);
        assert_eq!(on_crime[0].result.as_deref(), Some("Not at home; neighbour says he moved"));
        assert_eq!(s.tasks_of_person(victim).unwrap().len(), 1);
        let actions: Vec<String> = s.audit_trail("crime", crime.id).unwrap().into_iter().map(|e| e.action).collect();
        assert!(actions.contains(&"add-task".to_string()) && actions.contains(&"complete-task".to_string()), "{actions:?}");
    }

    fn a_cancellation_request_answered_tells_the_officer_who_asked(s) {
        let site = site(&mut s);
        account(&mut s, "officer", "Morgan Example", Role::Officer, None);
        let (_, crime) = partner_crime(&mut s, site, Some("officer"));
        let request = s.request_cancellation(&NewCancelRequest {
            crime: crime.id,
            reason: "duplicate".into(),
            detail: "Recorded twice: the same assault is CRM-2026-000999".into(),
            requested_by: "officer".into(),
        }, crime.version, at("2026-11-24T09:00")).unwrap();
        s.decide_cancel_request(request.id, &CancelRequestDecision::Refuse, "Two assaults, not one", "registrar", at("2026-11-24T10:00")).unwrap();
        let told = bodies(&s, "officer");
        assert_eq!(told[0], format!("Your request to cancel {} was refused by registrar: the crime stays recorded.", crime.reference));
    }
}
