//! `peel victims-code due`: the engine's calculator, checked on dates worked by hand.

mod common;
use common::*;
use serde_json::Value;

fn due(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec!["victims-code", "due"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(&peel(&dir.path().join("unused.db"), &all))).unwrap()
}

#[test]
fn christmas_2026_arrest() {
    // Thu 24 Dec 2026. Fri 25 (Christmas), Sat 26, Sun 27, Mon 28 (Boxing Day substitute)
    // are not working days. Enhanced: 1 working day → Tue 29 Dec. Standard: 5 working days
    // → Tue 29, Wed 30, Thu 31, (Fri 1 Jan holiday, weekend) Mon 4, Tue 5 Jan 2027.
    let v = due(&["--event", "arrest", "--at", "2026-12-24", "--enhanced"]);
    assert_eq!(v["due"], "2026-12-29");
    assert_eq!(v["working_days"], 1);
    assert_eq!(v["enhanced"], true);
    let v = due(&["--event", "arrest", "--at", "2026-12-24"]);
    assert_eq!(v["due"], "2027-01-05");
    assert_eq!(v["working_days"], 5);
    assert_eq!(v["event"], "arrest");
    assert_eq!(v["at"], "2026-12-24");
}

#[test]
fn an_ordinary_week_skips_the_weekend() {
    // Charge on Fri 20 Nov 2026: Mon 23 .. Fri 27 are the five working days.
    assert_eq!(due(&["--event", "charge", "--at", "2026-11-20"])["due"], "2026-11-27");
    // Aliases name the same event.
    assert_eq!(due(&["--event", "rui", "--at", "2026-11-20", "--enhanced"])["event"], "bail");
}

#[test]
fn bad_words_and_dates_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unused.db");
    let out = peel(&db, &["victims-code", "due", "--event", "arrst", "--at", "2026-12-24"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--event: 'arrst' is not an investigation event") && err.contains("arrest, interview"),
        "{err}"
    );
    let out = peel(&db, &["victims-code", "due", "--event", "arrest", "--at", "2026-02-30"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--at: '2026-02-30' is not a date"));
    assert!(!db.exists(), "a calculator needs no store and creates none");
}
