//! Concurrent writers lose no updates: several connections to one store file, each writing
//! to the same crime at once. Appends (contacts) all land; read-modify-write changes
//! (allocation) either land on the version they read or fail with a conflict and are
//! retried — never silently overwrite one another.

use peel_casework::*;
use peel_domain::date::Timestamp;
use peel_store::casework::*;
use peel_store::{SqliteStore, StoreError};
use std::path::Path;

const WRITERS: usize = 6;
const EACH: usize = 20;

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn setup(path: &Path) -> (i64, i64) {
    let mut s = SqliteStore::open(path).unwrap();
    let report = ReportInput {
        channel: "101".into(),
        kind: "crime".into(),
        reported_at: Some("2026-11-23T09:00".into()),
        reporter: None,
        site: None,
        location: None,
        account: "Shed broken into, bicycle taken.".into(),
    };
    let r = submit_report(&mut s, &report, "cst:lee", at("2026-11-23T09:00")).unwrap();
    let inc = s.incident(r.incident.unwrap()).unwrap();
    let decision = DecisionInput {
        version: inc.version,
        decision: "crime".into(),
        victims: vec![VictimOffences {
            person: PersonRef::New(PersonDetails { name: "Robin Testcase".into(), ..Default::default() }),
            offence_codes: vec!["28E".into()],
            themes: vec![],
            flags: vec![],
            age_at_offence: None,
            bereaved_close_relative: false,
        }],
        team: None,
        officer: None,
    };
    let (_, crimes) = record_decision(&mut s, inc.id, &decision, "registrar:sam", at("2026-11-23T10:00")).unwrap();
    let file = s.crime(crimes[0].id).unwrap();
    (file.crime.id, file.people[0].person.id)
}

#[test]
fn concurrent_writers_lose_no_updates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("peel.db");
    let (crime, victim) = setup(&path);

    let conflicts: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let path = path.clone();
                scope.spawn(move || {
                    let mut s = SqliteStore::open(&path).unwrap();
                    let mut conflicts = 0;
                    for k in 0..EACH {
                        let contact = ContactInput {
                            person: victim,
                            method: "phone".into(),
                            at: Some("2026-11-24T10:00".into()),
                            notes: format!("writer {w} call {k}"),
                            meets: vec![],
                        };
                        log_contact(&mut s, crime, &contact, &format!("pc:{w}"), at("2026-11-24T10:00")).unwrap();
                        // Read-modify-write: allocate on the version read; retry on conflict.
                        loop {
                            let version = s.crime(crime).unwrap().crime.version;
                            let officer = format!("pc:{w}-{k}");
                            match s.allocate(crime, version, None, Some(&officer), "sgt:ash", "2026-11-24T10:00") {
                                Ok(_) => break,
                                Err(StoreError::Conflict { .. }) => conflicts += 1,
                                Err(e) => panic!("{e}"),
                            }
                        }
                    }
                    conflicts
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });

    let s = SqliteStore::open(&path).unwrap();
    let file = s.crime(crime).unwrap();
    assert_eq!(file.contacts.len(), WRITERS * EACH, "every contact landed");
    // Recorded at version 1; every successful allocation added exactly one.
    assert_eq!(file.crime.version, 1 + (WRITERS * EACH) as i64);
    let allocations = s.audit_trail("crime", crime).unwrap().iter().filter(|a| a.action == "allocate").count();
    assert_eq!(allocations, WRITERS * EACH, "every allocation is in the audit log once");
    eprintln!("{conflicts} conflicts detected and retried");
}
