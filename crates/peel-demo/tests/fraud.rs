//! The demo's Action Fraud disseminations: recorded through the casework service, triaged by
//! the domain's rule, and on the Victim Care Unit's queue until the unit calls.

use peel_casework::VICTIM_CARE_REFERRAL;
use peel_domain::date::Timestamp;
use peel_store::casework::{Casework, WorklistQuery};
use peel_store::SqliteStore;

fn run(seed: u64) -> (peel_demo::fraud::FraudDemo, SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("fraud.db")).unwrap();
    let now = Timestamp::parse("2026-11-23T00:00").unwrap();
    let made = peel_demo::fraud::disseminate(&mut store, now, seed).unwrap();
    (made, store, dir)
}

#[test]
fn disseminated_fraud_is_triaged_and_queued_for_the_victim_care_unit() {
    let (made, store, _dir) = run(7);
    assert_eq!(made.crimes, peel_demo::fraud::REPORTS);
    assert!(made.referred > 0 && made.referred < made.crimes, "{made:?}");
    assert!(made.contacted > 0 && made.contacted < made.referred, "{made:?}");
    // The queue holds the referrals not yet called, each with the triage's reasons.
    let queue = store
        .obligation_worklist(&WorklistQuery {
            entitlement: Some(VICTIM_CARE_REFERRAL.into()),
            limit: 100,
            ..WorklistQuery::until(peel_domain::date::Date::parse("2026-12-31").unwrap())
        })
        .unwrap();
    assert_eq!(queue.total as usize, made.referred - made.contacted);
    for line in &queue.lines {
        let d = &line.obligation.description;
        assert!(
            d.contains("romance fraud") || d.contains("70") || d.contains("NDM") || d.contains("score"),
            "a referral says why: {d}"
        );
        assert_eq!(line.team.as_deref(), Some("Economic Crime Unit"));
    }
    // The crimes are Action Fraud's, recorded within the last four weeks.
    let facts = store
        .crime_facts(
            peel_domain::date::Date::parse("2026-10-26").unwrap(),
            peel_domain::date::Date::parse("2026-11-23").unwrap(),
        )
        .unwrap();
    assert_eq!(facts.len(), peel_demo::fraud::REPORTS);
    assert!(facts.iter().all(|f| f.offence_code == "AF"));
}

#[test]
fn the_same_seed_disseminates_the_same_fraud() {
    assert_eq!(run(3).0, run(3).0);
}
