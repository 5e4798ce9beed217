//! `peel people duplicates` on a month of the synthetic force: the demo's repeat victims
//! recorded again (their surname typed with one slip) are found by the sweep `peel demo`
//! runs, each pair with its reasons; a second sweep adds nothing; the list read is logged.

mod common;

use common::*;
use peel_domain::nominal::{likeness, Nominal, POSSIBLE_DUPLICATE};
use serde_json::Value;

#[test]
fn the_demos_people_recorded_twice_are_on_the_list_with_their_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let said = ok(&peel(&db, &["demo", "--months", "1", "--seed", "5"]));
    let line = said.lines().find(|l| l.starts_with("duplicates")).unwrap_or_else(|| panic!("{said}"));
    let found: u64 = line.split_whitespace().nth(1).unwrap().replace(',', "").parse().unwrap();
    assert!(found > 20, "{said}");

    let listed: Value = serde_json::from_str(&ok(&peel(&db, &["people", "duplicates", "--json"]))).unwrap();
    assert_eq!(listed["total"].as_u64(), Some(found));
    let pairs = listed["pairs"].as_array().unwrap();
    assert_eq!(pairs.len() as u64, found, "--json lists them all unless --limit");
    let mut slips = 0;
    for p in pairs {
        let (a, b) = (&p["low"], &p["high"]);
        let name = |s: &Value| s["name"].as_str().unwrap().to_string();
        let dob = |s: &Value| s["date_of_birth"].as_str().map(String::from);
        // Each pair's score is the domain's likeness of the two records, as listed.
        let (na, nb, da, db_) = (name(a), name(b), dob(a), dob(b));
        let l = likeness(
            &Nominal { name: &na, date_of_birth: da.as_deref(), postcodes: &[] },
            &Nominal { name: &nb, date_of_birth: db_.as_deref(), postcodes: &[] },
        )
        .unwrap();
        assert_eq!(p["score"].as_i64(), Some(l.score as i64), "{p}");
        assert!(l.score >= POSSIBLE_DUPLICATE);
        assert_eq!(p["reasons"].as_array().unwrap().len(), l.reasons.len());
        // The demo records a person again with their surname typed with a slip, or their
        // date of birth with day and month swapped (or, where the slip changes nothing, as
        // they were); other pairs are people alike by chance (one surname and birthday).
        let surname_slip = na.split(' ').next() == nb.split(' ').next() && na != nb && da == db_;
        let date_slip = na == nb && da != db_;
        let as_they_were = na == nb && da == db_;
        if surname_slip || date_slip || as_they_were {
            slips += 1;
        }
    }
    assert!(slips * 10 >= pairs.len() * 9, "{slips} of {} are a slip", pairs.len());

    let again = ok(&peel(&db, &["people", "duplicates", "--sweep", "--limit", "3"]));
    assert!(again.contains(&format!("{found} possible duplicates, 0 new to the list")), "{again}");
    assert!(again.contains("more (--limit 0 prints them all)"), "{again}");

    // The list read is in the trail as the operator's.
    let trail: Value = serde_json::from_str(&ok(&peel(&db, &["audit", "search", "--limit", "5", "--json"]))).unwrap();
    assert!(trail.as_array().unwrap().iter().any(|e| e["route"] == "peel people duplicates"), "{trail}");
}
