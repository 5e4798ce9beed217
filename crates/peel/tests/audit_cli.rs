//! `peel audit search` and `peel audit verify` on a store the bulk loader filled (one month of
//! the synthetic force, every record's entry chained), with a read logged as the web
//! application logs it; then the trail edited underneath Peel.

mod common;

use common::*;
use peel_store::audit::Access;
use serde_json::Value;

#[test]
fn search_finds_who_read_a_crime_and_verify_catches_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&peel(&db, &["demo", "--months", "1", "--seed", "5"]));

    // The bulk load's entries are a chain already.
    let verified = ok(&peel(&db, &["audit", "verify"]));
    assert!(verified.contains("The audit trail is intact"), "{verified}");
    let head = verified.lines().find_map(|l| l.strip_prefix("Head: ")).unwrap().split(' ').next().unwrap().to_string();
    assert_eq!(head.len(), 64, "{verified}");

    // A crime page read by the officer, as the access log writes it.
    let due: Value = serde_json::from_str(&ok(&peel(
        &db,
        &["worklist", "obligations", "--on", "2030-01-01", "--json", "--limit", "1"],
    )))
    .unwrap();
    let reference = due[0]["crime_reference"].as_str().unwrap().to_string();
    let crime = due[0]["obligation"]["crime"].as_i64().unwrap();
    {
        let mut store = peel_store::open(db.to_str().unwrap()).unwrap();
        let at = peel_domain::date::Timestamp::parse("2026-11-23T09:05").unwrap();
        store.log_access(at, "officer", Access::Read, "GET /crimes/{id}", &[("crime", crime)]).unwrap();
    }
    let found: Value =
        serde_json::from_str(&ok(&peel(&db, &["audit", "search", "--record", &reference, "--json"]))).unwrap();
    let found = found.as_array().unwrap();
    assert_eq!(found[0]["actor"], "officer", "{found:?}");
    assert_eq!(found[0]["action"], "read");
    assert_eq!(found[0]["route"], "GET /crimes/{id}");
    assert_eq!(found[0]["record"], reference.as_str());
    assert!(found.iter().any(|e| e["action"] == "bulk-load"), "the load made it too: {found:?}");
    let table = ok(&peel(&db, &["audit", "search", "--user", "officer", "--from", "2026-11-23", "--to", "2026-11-23"]));
    assert!(table.contains(&reference) && table.contains("GET /crimes/{id}"), "{table}");
    let err = peel(&db, &["audit", "search", "--record", "CRM-1999-000001"]);
    assert!(!err.status.success());
    assert!(String::from_utf8_lossy(&err.stderr).contains("--record: no crime"), "{err:?}");
    let err = peel(&db, &["audit", "search", "--from", "last week"]);
    assert!(String::from_utf8_lossy(&err.stderr).contains("--from: 'last week' is not a day"), "{err:?}");

    // Searching is logged too, and the chain still reaches the head kept before.
    let again = ok(&peel(&db, &["audit", "verify", "--expect", &head, "--json"]));
    let report: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(report["expected_found"], true);
    assert!(report["failure"].is_null());

    // An entry in the middle edited underneath Peel (the triggers dropped first).
    let raw = rusqlite::Connection::open(&db).unwrap();
    let victim: i64 =
        raw.query_row("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 100", [], |r| r.get(0)).unwrap();
    raw.execute_batch(&format!(
        "DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET entity_id = entity_id + 1 WHERE id = {victim}"
    ))
    .unwrap();
    let broken = peel(&db, &["audit", "verify"]);
    assert!(!broken.status.success(), "an edited trail verified");
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains(&format!("entry {victim} ")) && stderr.contains("changed"), "{stderr}");
}
