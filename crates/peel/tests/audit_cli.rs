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

/// kill -9 during audited reads: `peel audit search` writes one entry listing the entries it
/// shows, linked into the chain; killed at random moments, twenty times over, it leaves a
/// trail that still verifies, with each search's list there whole or not at all.
#[test]
fn kill_9_during_audited_reads_keeps_the_chain_valid() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reads.db");
    {
        let mut store = peel_store::open(db.to_str().unwrap()).unwrap();
        let at = peel_domain::date::Timestamp::parse("2026-11-23T09:05").unwrap();
        let rows: Vec<(&str, i64)> = (1..=2_000).map(|i| ("person", i)).collect();
        store.log_access(at, "victimcare", Access::List, "GET /victim-care", &rows).unwrap();
    }
    let (mut killed, mut finished) = (0, 0);
    for i in 0..20u64 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_peel"))
            .arg("--db")
            .arg(&db)
            .args(["audit", "search", "--limit", "3000", "--json"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Spread over the run: opening, searching, appending, committing. The first waits
        // 2 ms, less than a process takes to open the store, so at least one run is killed
        // however fast the machine (a faster one once finished all twenty).
        std::thread::sleep(std::time::Duration::from_millis(2 + (i * 37) % 400));
        match child.try_wait().unwrap() {
            Some(_) => finished += 1,
            None => {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                killed += 1;
            }
        }
    }
    assert!(killed > 0, "no run was killed: make the searches longer");
    let report: Value = serde_json::from_str(&ok(&peel(&db, &["audit", "verify", "--json"]))).unwrap();
    assert!(report["failure"].is_null(), "{report}");
    let entries = report["entries"].as_u64().unwrap();
    // The list, then one entry per search that committed, each listing every entry there was
    // before it (all under the limit): the j-th lists j, so n searches give n(n+1)/2 rows.
    let n = entries - 1;
    let operator = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    let searches: Value =
        serde_json::from_str(&ok(&peel(&db, &["audit", "search", "--user", &operator, "--limit", "3000", "--json"])))
            .unwrap();
    let rows = searches.as_array().unwrap();
    assert!(rows.iter().all(|r| r["action"] == "search" && r["entity"] == "audit_log"), "{searches}");
    assert_eq!(
        rows.len() as u64,
        n * (n + 1) / 2,
        "{n} searches committed, but their lists are not whole ({killed} killed, {finished} finished)"
    );
}
