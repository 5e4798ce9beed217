//! Concurrent writers lose no updates: several connections to one store (a SQLite file, a
//! PostgreSQL schema), each writing to the same crime at once. Appends (contacts) all land;
//! read-modify-write changes (allocation) either land on the version they read or fail with
//! a conflict and are retried — never silently overwrite one another. The test runs on both
//! stores: `sqlite::NAME` and `postgres::NAME`.

use peel_casework::*;
use peel_domain::date::Timestamp;
use peel_store::casework::*;
use peel_store::StoreError;

mod support;
use support::Place;

const WRITERS: usize = 6;
const EACH: usize = 20;

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn setup(s: &mut dyn CaseStore) -> (i64, i64) {
    let report = ReportInput {
        channel: "101".into(),
        kind: "crime".into(),
        reported_at: Some("2026-11-23T09:00".into()),
        occurred_at: None,
        reporter: None,
        site: None,
        location: None,
        place: Default::default(),
        account: "Shed broken into, bicycle taken.".into(),
    };
    let r = submit_report(s, &report, "cst:lee", at("2026-11-23T09:00")).unwrap();
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
    let (_, crimes) = record_decision(s, inc.id, &decision, "registrar:sam", at("2026-11-23T10:00")).unwrap();
    let file = s.crime(crimes[0].id).unwrap();
    (file.crime.id, file.people[0].person.id)
}

/// `open` opens one more connection to the store under test.
fn concurrent_writers_lose_no_updates<S: CaseStore>(open: impl Fn() -> S + Sync) {
    let (crime, victim) = setup(&mut open());

    let conflicts: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let open = &open;
                scope.spawn(move || {
                    let mut s = open();
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
                            match s.allocate(
                                crime,
                                version,
                                None,
                                Some(&officer),
                                "sgt:ash",
                                peel_domain::date::Timestamp::parse("2026-11-24T10:00").unwrap(),
                            ) {
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

    let s = open();
    let file = s.crime(crime).unwrap();
    assert_eq!(file.contacts.len(), WRITERS * EACH, "every contact landed");
    // Recorded at version 1; every successful allocation added exactly one.
    assert_eq!(file.crime.version, 1 + (WRITERS * EACH) as i64);
    let allocations = s.audit_trail("crime", crime).unwrap().iter().filter(|a| a.action == "allocate").count();
    assert_eq!(allocations, WRITERS * EACH, "every allocation is in the audit log once");
    eprintln!("{conflicts} conflicts detected and retried");
}

/// Writers racing to meet the same obligations, each with one contact meeting all of them
/// in an order of its own (so that, on a server, they lock them in opposite orders): one
/// contact meets them all, every other is refused whole; none is lost to a deadlock.
fn an_obligation_is_met_once_whoever_races_for_it<S: CaseStore>(open: impl Fn() -> S + Sync) {
    for round in 0..5 {
        let (crime, victim) = setup(&mut open());
        let open_obligations: Vec<i64> =
            open().crime(crime).unwrap().obligations.iter().filter(|o| o.met_at.is_none()).map(|o| o.id).collect();
        assert!(open_obligations.len() >= 2, "{open_obligations:?}");
        let results: Vec<Result<Contact>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..WRITERS)
                .map(|w| {
                    let (open, mut meets) = (&open, open_obligations.clone());
                    if w % 2 == 1 {
                        meets.reverse();
                    }
                    scope.spawn(move || {
                        let mut s = open();
                        let contact = ContactInput {
                            person: victim,
                            method: "phone".into(),
                            at: Some("2026-11-24T10:00".into()),
                            notes: format!("round {round}, writer {w}"),
                            meets,
                        };
                        log_contact(&mut s, crime, &contact, &format!("pc:{w}"), at("2026-11-24T10:00"))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let won: Vec<&Contact> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(won.len(), 1, "one contact meets the obligations: {results:?}");
        for r in &results {
            assert!(matches!(r, Ok(_) | Err(CaseError::Store(StoreError::Refused(_)))), "{r:?}");
        }
        let file = open().crime(crime).unwrap();
        assert_eq!(file.contacts.len(), 1, "the refused contacts were not stored");
        for o in file.obligations.iter().filter(|o| open_obligations.contains(&o.id)) {
            assert_eq!(o.met_by, Some(won[0].id), "obligation {} met by the winner", o.id);
        }
    }
}

mod sqlite {
    use super::*;

    #[test]
    fn concurrent_writers_lose_no_updates() {
        let place = Place::sqlite_file();
        super::concurrent_writers_lose_no_updates(|| place.open_sqlite());
    }

    #[test]
    fn an_obligation_is_met_once_whoever_races_for_it() {
        let place = Place::sqlite_file();
        super::an_obligation_is_met_once_whoever_races_for_it(|| place.open_sqlite());
    }
}

mod postgres {
    use super::*;

    /// Each writer its own `PostgresStore` (its own connection) on the test's schema.
    #[test]
    fn concurrent_writers_lose_no_updates() {
        let place = Place::postgres_schema();
        super::concurrent_writers_lose_no_updates(|| place.open_postgres());
    }

    #[test]
    fn an_obligation_is_met_once_whoever_races_for_it() {
        let place = Place::postgres_schema();
        super::an_obligation_is_met_once_whoever_races_for_it(|| place.open_postgres());
    }
}
