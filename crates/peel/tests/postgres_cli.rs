//! The real public files in ../shared/data imported through the real binary into PostgreSQL,
//! and `peel stats` giving the same figures as on SQLite (see real_data.rs).
//!
//! The store is a schema of its own in the database at `PEEL_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`), named in the `--db` URL the standard libpq way,
//! `?options=-csearch_path%3DSCHEMA`: Peel creates it on first use. It is dropped afterwards.

mod common;
use common::*;
use serde_json::Value;

#[test]
fn import_and_stats_on_postgres_match_sqlite() {
    let pg = PgSchema::new("peel_cli_test");
    let db = pg.db.clone();

    let data = shared_data();
    let out = peel_db(&db, &["import", "data", data.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("cannot connect to PostgreSQL"),
        "{stderr}\nThis test needs PostgreSQL running: start the local server with\n    \
         pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n\
         (`bash .ci/run` installs and starts it if missing), or set PEEL_TEST_DATABASE_URL."
    );
    let out = ok(&out);
    // police.uk (2), Home Office (1), ONS (2) and the geography (gazetteer and boundaries).
    assert!(out.contains("imported 7 file(s)"), "{out}");
    let place: Value = serde_json::from_str(&ok(&peel_db(&db, &["place", "b11ay", "--json"]))).unwrap();
    assert_eq!(place["postcode"], "B1 1AY");
    assert_eq!((place["easting"].as_u64(), place["northing"].as_u64()), (Some(406_523), Some(286_448)));
    assert_eq!(place["lsoa_code"], "E01033625");
    assert_eq!(place["ward"], "Ladywood");
    assert_eq!(place["force"], "West Midlands Police");

    let s: Value = serde_json::from_str(&ok(&peel_db(
        &db,
        &["stats", "--force", "West Yorkshire", "--month", "2017-07", "--json"],
    )))
    .unwrap();
    assert_eq!(s["force"], "West Yorkshire Police");
    assert_eq!(s["crimes"], 22_582);
    assert_eq!(s["asb"], 5_955);
    assert_eq!(s["population"], 2_226_058);
    assert_eq!(s["households"], 922_452);
    let rate = s["rate_per_1000"].as_f64().unwrap();
    assert!((rate - 10.144389768820039).abs() < 1e-9, "{rate}");
    let harm = s["harm"].as_f64().unwrap();
    assert!((harm - 2_207_534.829918).abs() < 1e-3, "{harm}");

    // Importing again stores nothing new.
    let again = ok(&peel_db(&db, &["import", "police-uk", data.join("police-uk").to_str().unwrap()]));
    assert!(again.contains(" 0 new, "), "{again}");
    let status = ok(&peel_db(&db, &["status"]));
    let wy = status.lines().find(|l| l.trim_start().starts_with("West Yorkshire Police")).unwrap_or("");
    assert_eq!(wy.split_whitespace().nth(3), Some("55,713"), "{status}");
}
