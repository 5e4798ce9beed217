//! Every store on the same tests: migrations, atomic batches, merging ONS fields, loading
//! columns back with their geography. Each test of `each_store!` runs twice, as
//! `sqlite::NAME` on an in-memory SQLite store and as `postgres::NAME` on a PostgreSQL store
//! in a schema of its own (dropped afterwards) of the database at `PEEL_TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`). PostgreSQL must be running: the
//! tests fail, saying how to start it, rather than skip.

use peel_domain::{Category, YearMonth};
use peel_store::*;
use std::borrow::Cow;

fn ym(s: &str) -> YearMonth {
    YearMonth::parse(s).unwrap()
}

fn record(line: u32, id: &str, category: Category, lsoa: u32, point: u32, outcome: u32) -> StreetRecord {
    StreetRecord {
        line,
        key: RecordKey::from_crime_id(id),
        month: ym("2017-07"),
        force: 42,
        reported_by: 42,
        category,
        lsoa,
        point,
        outcome,
    }
}

fn batch() -> StreetBatch {
    StreetBatch {
        file_name: "2017-07-west-yorkshire-street.csv".into(),
        refused: 0,
        lsoas: vec![("E01007426".into(), "Barnsley 027D".into()), ("E01011111".into(), "Leeds 001A".into())],
        points: vec![SnapPoint {
            longitude: -1.706334,
            latitude: 53.549364,
            location: "On or near Brown'S Edge Road".into(),
            easting: 419_000.0,
            northing: 405_000.0,
        }],
        outcomes: vec!["Local resolution".into()],
        rows: vec![
            record(2, "aa", Category::Burglary, 0, 0, 0),
            record(3, "bb", Category::Robbery, 1, NONE, 0),
            record(4, "", Category::AntiSocialBehaviour, 1, 0, NONE),
        ],
    }
}

// ---- the stores under test: tests/support ---------------------------------------------------

mod support;
use support::*;

/// Drops a schema when a test that opens stores itself ends, passing or failing.
struct DropSchema(String);
impl Drop for DropSchema {
    fn drop(&mut self) {
        let _ = PostgresStore::drop_schema(&pg_url(), &self.0);
    }
}

// ---- on every store ----------------------------------------------------------------------

fn postcode(pc: &str, lsoa: &str, ward: Option<&str>, force: Option<u16>) -> PostcodeRecord {
    PostcodeRecord {
        postcode: pc.into(),
        easting: 406_523,
        northing: 286_448,
        quality: 10,
        lsoa_code: lsoa.into(),
        msoa_code: Some("E02006899".into()),
        msoa_name: Some("Birmingham 138".into()),
        la_code: Some("E08000025".into()),
        la_name: Some("Birmingham".into()),
        ward_code: ward.map(|_| "E05011151".to_string()),
        ward_name: ward.map(str::to_string),
        force,
    }
}

fn boundary(code: &str, force: Option<u16>) -> LsoaBoundary {
    LsoaBoundary {
        code: code.into(),
        name: format!("Test {code}"),
        force,
        centroid_easting: 412_690.0,
        centroid_northing: 285_442.0,
        area_m2: 350_731.9,
        polygon: r#"{"type":"Polygon","coordinates":[[[-1.8,52.4],[-1.7,52.4],[-1.7,52.5],[-1.8,52.4]]]}"#.into(),
    }
}

each_store! { sqlite_store, postgres_store;
    fn postcodes_and_boundaries_are_kept_and_found_however_written(s) {
        let batch = |rows| PostcodeBatch { file_name: "postcodes.csv".into(), refused: 0, rows };
        let r = s.save_postcodes(&batch(vec![
            postcode("B1 1AY", "E01033625", Some("Ladywood"), Some(41)),
            postcode("B1 1BA", "E01033615", None, None),
        ]))
        .unwrap();
        assert_eq!(r, SaveReport { inserted: 2, replaced: 0 });
        let found = s.postcode("b11ay").unwrap().unwrap();
        assert_eq!(found, postcode("B1 1AY", "E01033625", Some("Ladywood"), Some(41)));
        assert_eq!(s.postcode(" B1  1BA ").unwrap().unwrap().ward_name, None);
        assert_eq!(s.postcode("LS1 1UR").unwrap(), None, "a postcode the store has not got");
        assert!(s.postcode("nope").unwrap_err().to_string().contains("not a postcode"));
        // A newer file replaces what an older one said of a postcode.
        let r = s.save_postcodes(&batch(vec![postcode("B1 1AY", "E01033620", Some("Ladywood"), Some(41))])).unwrap();
        assert_eq!(r, SaveReport { inserted: 0, replaced: 1 });
        assert_eq!(s.postcode("B1 1AY").unwrap().unwrap().lsoa_code, "E01033620");

        let r = s.save_lsoa_boundaries(&BoundaryBatch {
            file_name: "b.geojson".into(),
            refused: 0,
            rows: vec![boundary("E01008881", Some(41)), boundary("E01011111", Some(42)), boundary("E01008880", Some(41))],
        })
        .unwrap();
        assert_eq!(r.inserted, 3);
        let wm = s.lsoa_boundaries(41).unwrap();
        assert_eq!(wm.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(), ["E01008880", "E01008881"]);
        assert_eq!(wm[1], boundary("E01008881", Some(41)));
        assert!(s.lsoa_boundaries(7).unwrap().is_empty());
    }

    fn street_batch_round_trips_into_columns(s) {
        let r = s.save_street_batch(&batch()).unwrap();
        assert_eq!(r, SaveReport { inserted: 3, replaced: 0 });
        let (cols, geo) = s.load_street(42).unwrap();
        assert_eq!(cols.len(), 3);
        assert_eq!(cols.month_range(), Some((ym("2017-07"), ym("2017-07"))));
        let burglary = cols.category.iter().position(|&c| c == Category::Burglary.code()).unwrap();
        let l = cols.lsoa[burglary] as usize;
        assert_eq!(geo.lsoas[l].code, "E01007426");
        // No ONS data: the local authority comes from the LSOA name.
        assert_eq!(geo.lsoas[l].local_authority, "Barnsley");
        assert_eq!(geo.points[cols.point[burglary] as usize], (419_000.0, 405_000.0));
        assert_eq!(cols.outcome_names[cols.outcome[burglary] as usize], "Local resolution");
        let robbery = cols.category.iter().position(|&c| c == Category::Robbery.code()).unwrap();
        assert_eq!(cols.point[robbery], NONE);
        assert!(s.load_street(41).unwrap().0.is_empty());
    }

    fn a_file_in_parts_is_one_transaction(s) {
        // Two parts of one file, each with dictionaries of its own (the second's LSOA 0 is
        // the first's LSOA 1), written whole; the file's counts are the sum of the parts'.
        let mut first = batch();
        first.rows.truncate(2);
        first.refused = 1;
        let mut second = batch();
        second.lsoas.reverse();
        second.rows = vec![record(6, "cc", Category::Burglary, 0, 0, 0), record(7, "", Category::AntiSocialBehaviour, 1, 0, NONE)];
        second.refused = 2;
        let mut parts = vec![StreetPart::Rows(Cow::Borrowed(&first)), StreetPart::Rows(Cow::Borrowed(&second))].into_iter();
        let r = s.save_street_parts(&mut parts).unwrap();
        assert_eq!(r, Some(SaveReport { inserted: 4, replaced: 0 }));
        let (cols, geo) = s.load_street(42).unwrap();
        assert_eq!(cols.len(), 4);
        let leeds: Vec<usize> = (0..4).filter(|&i| geo.lsoas[cols.lsoa[i] as usize].code == "E01011111").collect();
        assert_eq!(leeds.len(), 2, "the second part's LSOA 0 is the first part's LSOA 1");
        assert_eq!(s.holdings().unwrap().files, 1);
        // A file abandoned after two parts stores nothing of them, and what was stored stays.
        let mut other = second.clone();
        other.file_name = "abandoned.csv".into();
        other.rows = vec![record(2, "dd", Category::Robbery, 0, 0, 0)];
        let mut parts = vec![StreetPart::Rows(Cow::Borrowed(&other)), StreetPart::Rows(Cow::Borrowed(&other)), StreetPart::Abandon].into_iter();
        assert_eq!(s.save_street_parts(&mut parts).unwrap(), None);
        assert_eq!(s.load_street(42).unwrap().0.len(), 4);
        assert_eq!(s.holdings().unwrap().files, 1, "no trace of the abandoned file");
    }

    fn the_same_batch_twice_replaces_rather_than_adds(s) {
        s.save_street_batch(&batch()).unwrap();
        let r = s.save_street_batch(&batch()).unwrap();
        assert_eq!(r, SaveReport { inserted: 0, replaced: 3 });
        assert_eq!(s.holdings().unwrap().street[0].rows, 3);
        assert_eq!(s.holdings().unwrap().files, 1);
    }

    fn a_months_asb_rows_come_again_with_its_file_under_any_name_or_lines(s) {
        s.save_street_batch(&batch()).unwrap();
        let mut other = batch();
        other.file_name = "another.csv".into();
        let r = s.save_street_batch(&other).unwrap();
        // The crimes share Crime IDs; the ASB row, which has none, is the month's ASB of its
        // reporting force again: replaced, not added.
        assert_eq!(r, SaveReport { inserted: 0, replaced: 3 });
        assert_eq!(s.holdings().unwrap().street[0].rows, 3);
        // Another reporting force's ASB in the force's month is its own.
        let mut btp = batch();
        btp.file_name = "btp.csv".into();
        btp.rows = vec![record(2, "", Category::AntiSocialBehaviour, 1, 0, NONE), record(3, "", Category::AntiSocialBehaviour, 0, 0, NONE)];
        for r in &mut btp.rows {
            r.reported_by = 30;
        }
        assert_eq!(s.save_street_batch(&btp).unwrap(), SaveReport { inserted: 2, replaced: 0 });
        assert_eq!(s.holdings().unwrap().street[0].rows, 5);
        // The month's file again with a row added at its top (every line moved down one): its
        // ASB row replaces the one stored, whatever its line.
        let mut moved = batch();
        for r in &mut moved.rows {
            r.line += 1;
        }
        assert_eq!(s.save_street_batch(&moved).unwrap(), SaveReport { inserted: 0, replaced: 3 });
        assert_eq!(s.holdings().unwrap().street[0].rows, 5);
        let (cols, _) = s.load_street(42).unwrap();
        let asb = cols.category.iter().filter(|&&c| c == Category::AntiSocialBehaviour.code()).count();
        assert_eq!(asb, 3, "the force's one ASB row and the other reporting force's two");
    }

    fn a_files_asb_rows_in_two_parts_are_all_kept(s) {
        // The second part's ASB rows of the month do not take out the first part's: only
        // those stored before the file.
        let mut first = batch();
        first.rows = vec![record(2, "", Category::AntiSocialBehaviour, 0, 0, NONE), record(3, "aa", Category::Burglary, 0, 0, 0)];
        let mut second = batch();
        second.rows = vec![record(4, "", Category::AntiSocialBehaviour, 1, 0, NONE)];
        let mut parts = vec![StreetPart::Rows(Cow::Borrowed(&first)), StreetPart::Rows(Cow::Borrowed(&second))].into_iter();
        assert_eq!(s.save_street_parts(&mut parts).unwrap(), Some(SaveReport { inserted: 3, replaced: 0 }));
        let mut parts = vec![StreetPart::Rows(Cow::Borrowed(&first)), StreetPart::Rows(Cow::Borrowed(&second))].into_iter();
        assert_eq!(s.save_street_parts(&mut parts).unwrap(), Some(SaveReport { inserted: 0, replaced: 3 }));
        assert_eq!(s.holdings().unwrap().street[0].rows, 3);
    }

    fn a_reimport_takes_the_new_values_and_keeps_the_dictionaries(s) {
        s.save_street_batch(&batch()).unwrap();
        let mut again = batch();
        // The same crime, now in another LSOA with a new outcome; a new point too.
        again.outcomes.push("Under investigation".into());
        again.points.push(SnapPoint {
            longitude: -1.5,
            latitude: 53.8,
            location: "On or near Park Lane".into(),
            easting: 430_000.0,
            northing: 433_000.0,
        });
        again.rows[0] = record(2, "aa", Category::Burglary, 1, 1, 1);
        assert_eq!(s.save_street_batch(&again).unwrap(), SaveReport { inserted: 0, replaced: 3 });
        let (cols, geo) = s.load_street(42).unwrap();
        assert_eq!(cols.len(), 3);
        let burglary = cols.category.iter().position(|&c| c == Category::Burglary.code()).unwrap();
        assert_eq!(geo.lsoas[cols.lsoa[burglary] as usize].code, "E01011111");
        assert_eq!(geo.points[cols.point[burglary] as usize], (430_000.0, 433_000.0));
        assert_eq!(cols.outcome_names[cols.outcome[burglary] as usize], "Under investigation");
        // Two LSOAs and no more: the known ones were found, not added again.
        assert_eq!(s.holdings().unwrap().lsoas, 2);
    }

    fn a_key_repeated_within_a_batch_is_one_row(s) {
        let mut b = batch();
        b.rows.push(record(5, "aa", Category::Burglary, 1, 0, 0));
        assert_eq!(s.save_street_batch(&b).unwrap(), SaveReport { inserted: 3, replaced: 1 });
        assert_eq!(s.holdings().unwrap().street[0].rows, 3);
    }

    fn months_and_forces_load_apart(s) {
        let mut b = batch();
        b.rows[1].month = ym("2017-08");
        b.rows[2].force = 41;
        s.save_street_batch(&b).unwrap();
        assert_eq!(s.load_street_between(42, ym("2017-07"), ym("2017-07")).unwrap().0.len(), 1);
        assert_eq!(s.load_street_between(42, ym("2017-07"), ym("2017-08")).unwrap().0.len(), 2);
        assert_eq!(s.load_street(41).unwrap().0.len(), 1);
        let h = s.holdings().unwrap();
        assert_eq!(h.street.len(), 2);
        assert_eq!((h.street[0].force, h.street[0].rows), (41, 1));
        assert_eq!((h.street[1].force, h.street[1].first_month, h.street[1].last_month), (42, ym("2017-07"), ym("2017-08")));
    }

    fn ons_files_fill_in_each_others_fields(s) {
        s.save_street_batch(&batch()).unwrap();
        let population = LsoaBatch {
            file_name: "pop.csv".into(),
            refused: 0,
            rows: vec![LsoaRecord {
                code: "E01007426".into(),
                la_name: Some("Barnsley".into()),
                persons: Some(1563),
                households: Some(666),
                hectares: Some(650.0),
                ..Default::default()
            }],
        };
        let lookup = LsoaBatch {
            file_name: "lookup.csv".into(),
            refused: 0,
            rows: vec![
                LsoaRecord { code: "E01007426".into(), force: Some(42), ..Default::default() },
                LsoaRecord { code: "E01099999".into(), force: Some(42), persons: Some(1000), ..Default::default() },
            ],
        };
        assert_eq!(s.save_lsoas(&population).unwrap(), SaveReport { inserted: 0, replaced: 1 });
        assert_eq!(s.save_lsoas(&lookup).unwrap(), SaveReport { inserted: 1, replaced: 1 });
        let (_, geo) = s.load_street(42).unwrap();
        let l = geo.lsoas.iter().find(|l| l.code == "E01007426").unwrap();
        assert_eq!((l.persons, l.households, l.hectares, l.in_force), (1563, 666, 650.0, true));
        // An LSOA of the force with no crime still brings its people.
        assert!(geo.lsoas.iter().any(|l| l.code == "E01099999" && l.in_force));
        assert_eq!(geo.population(), 2563);
        let h = s.holdings().unwrap();
        assert_eq!((h.lsoas, h.lsoas_with_population), (3, 2));
    }

    fn rows_of_one_lsoa_in_one_file_merge_in_order(s) {
        let b = LsoaBatch {
            file_name: "twice.csv".into(),
            refused: 0,
            rows: vec![
                LsoaRecord { code: "E01000001".into(), persons: Some(10), la_name: Some("A".into()), ..Default::default() },
                LsoaRecord { code: "E01000001".into(), persons: Some(20), force: Some(42), ..Default::default() },
            ],
        };
        assert_eq!(s.save_lsoas(&b).unwrap(), SaveReport { inserted: 1, replaced: 1 });
        let (_, geo) = s.load_street(42).unwrap();
        assert_eq!(geo.lsoas.len(), 1);
        assert_eq!((geo.lsoas[0].persons, geo.lsoas[0].local_authority.as_str()), (20, "A"));
    }

    fn recorded_crime_counts_are_replaced_on_reimport(s) {
        let row = |n| RecordedCrime {
            line: 2,
            force: 42,
            financial_year: 2017,
            quarter: 1,
            offence_code: "28E".into(),
            offences: n,
        };
        let b = RecordedCrimeBatch { file_name: "prc.csv".into(), refused: 0, rows: vec![row(10)] };
        assert_eq!(s.save_recorded_crime(&b).unwrap().inserted, 1);
        let b2 = RecordedCrimeBatch { rows: vec![row(-1)], ..b };
        assert_eq!(s.save_recorded_crime(&b2).unwrap().replaced, 1);
        assert_eq!(s.recorded_crime(42).unwrap()[0].offences, -1);
    }

    fn an_empty_batch_registers_its_file(s) {
        let b = StreetBatch { file_name: "empty.csv".into(), refused: 2, ..Default::default() };
        assert_eq!(s.save_street_batch(&b).unwrap(), SaveReport { inserted: 0, replaced: 0 });
        assert_eq!(s.save_lsoas(&LsoaBatch { file_name: "e.csv".into(), ..Default::default() }).unwrap().inserted, 0);
        let h = s.holdings().unwrap();
        assert_eq!((h.files, h.street.len()), (2, 0));
    }
}

// ---- migrations, store by store -----------------------------------------------------------

#[test]
fn migrations_run_once_and_the_schema_is_numbered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    // 0001 street-level data, 0002 casework, 0003 accounts, 0004 investigation plans and reviews,
    // 0005 report lookups, 0006 report place, 0007 evidence lookups, 0008 cancellation requests,
    // 0009 worklist lookups, 0010 places, 0011 audit chain and reads, 0012 sign-in,
    // 0013 idempotency keys, 0014 force areas, 0015 crime facts, 0016 audit index of lists
    // shown, 0017 places by postcode, 0018 received and right 2, 0019 search.
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 27);
    drop(s);
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 27);
}

#[test]
fn postgres_migrations_run_once_and_the_schema_is_numbered() {
    let (url, schema) = (pg_url(), unique_schema());
    let _drop = DropSchema(schema.clone());
    // 0001 street-level data, 0002 casework, 0003 accounts, 0004 investigation plans and reviews,
    // 0005 report lookups, 0006 report place, 0007 evidence lookups, 0008 cancellation requests,
    // 0009 worklist lookups, 0010 places, 0011 audit chain and reads, 0012 sign-in,
    // 0013 idempotency keys, 0014 force areas, 0015 crime facts, 0016 audit index of lists
    // shown, 0017 places by postcode, 0018 received and right 2, 0019 search.
    let s = PostgresStore::open_in_schema(&url, &schema).unwrap_or_else(|e| pg_failed(&url, e));
    assert_eq!(s.schema_version().unwrap(), 27);
    drop(s);
    let s = PostgresStore::open_in_schema(&url, &schema).unwrap();
    assert_eq!(s.schema_version().unwrap(), 27);
}

#[test]
fn a_store_from_a_newer_peel_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(SqliteStore::open(&path).unwrap());
    // A later Peel has migrated this file further than this one knows.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("INSERT INTO schema_migration (version, name) VALUES (99, 'future')", [])
        .unwrap();
    let err = SqliteStore::open(&path).err().unwrap().to_string();
    assert!(err.contains("newer than this Peel knows"), "{err}");
}

#[test]
fn a_postgres_schema_from_a_newer_peel_is_refused() {
    let (url, schema) = (pg_url(), unique_schema());
    let _drop = DropSchema(schema.clone());
    drop(PostgresStore::open_in_schema(&url, &schema).unwrap_or_else(|e| pg_failed(&url, e)));
    // A later Peel has migrated this schema further than this one knows.
    let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("INSERT INTO \"{schema}\".schema_migration (version, name) VALUES (99, 'future')"))
        .unwrap();
    let err = PostgresStore::open_in_schema(&url, &schema).err().unwrap().to_string();
    assert!(err.contains("newer than this Peel knows"), "{err}");
}

// ---- the audit log is append-only, whoever writes to it ------------------------------------

/// One audit entry, written through the casework interface: adding a site.
fn one_audit_entry(store: &mut dyn casework::Casework) -> i64 {
    let site = casework::NewSite {
        organisation: "Heartlands Hospital Trust".into(),
        organisation_kind: "hospital".into(),
        name: "Heartlands Hospital, emergency department".into(),
        address: None,
        place: Default::default(),
    };
    let id =
        store.add_site(&site, "admin", peel_domain::date::Timestamp::parse("2026-12-01T09:00").unwrap()).unwrap().id;
    let trail = store.audit_trail("site", id).unwrap();
    assert_eq!(trail.len(), 1);
    id
}

/// The entry as it was written, whatever raw SQL was tried on it.
fn audit_entry_is_intact(store: &dyn casework::Casework, site: i64) {
    let trail = store.audit_trail("site", site).unwrap();
    assert_eq!(trail.len(), 1, "the entry is still there");
    assert_eq!((trail[0].actor.as_str(), trail[0].action.as_str()), ("admin", "create"));
}

#[test]
fn sqlite_audit_log_refuses_update_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let site = one_audit_entry(&mut store);
    // Raw SQL on another connection to the file, past the store's interface.
    let raw = rusqlite::Connection::open(&path).unwrap();
    for sql in
        ["UPDATE audit_log SET actor = 'someone-else'", "DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = 1"]
    {
        let err = raw.execute(sql, []).err().unwrap_or_else(|| panic!("{sql} was allowed")).to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    audit_entry_is_intact(&store, site);
}

#[test]
fn postgres_audit_log_refuses_update_delete_and_truncate() {
    let (url, schema) = (pg_url(), unique_schema());
    let _drop = DropSchema(schema.clone());
    let mut store = PostgresStore::open_in_schema(&url, &schema).unwrap_or_else(|e| pg_failed(&url, e));
    let site = one_audit_entry(&mut store);
    // Raw SQL on another connection, past the store's interface.
    let mut raw = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    for sql in [
        "UPDATE {s}.audit_log SET actor = 'someone-else'",
        "DELETE FROM {s}.audit_log",
        "DELETE FROM {s}.audit_log WHERE id = 1",
        "TRUNCATE {s}.audit_log",
    ] {
        let sql = sql.replace("{s}", &format!("\"{schema}\""));
        let err = raw.batch_execute(&sql).err().unwrap_or_else(|| panic!("{sql} was allowed"));
        let db = err.as_db_error().unwrap_or_else(|| panic!("{sql}: {err}"));
        assert!(db.message().contains("append-only"), "{sql}: {}", db.message());
    }
    audit_entry_is_intact(&store, site);
}

/// PostgreSQL enforces the foreign keys both schemas declare: a contact with a person who
/// is not in the store is refused as `NotFound`, and nothing of it is stored.
#[test]
fn postgres_a_record_that_is_not_there_is_not_found() {
    let (url, schema) = (pg_url(), unique_schema());
    let _drop = DropSchema(schema.clone());
    let mut store = PostgresStore::open_in_schema(&url, &schema).unwrap_or_else(|e| pg_failed(&url, e));
    a_record_that_is_not_there_is_not_found(&mut store);
}

#[test]
fn sqlite_a_record_that_is_not_there_is_not_found() {
    a_record_that_is_not_there_is_not_found(&mut SqliteStore::in_memory().unwrap());
}

fn a_record_that_is_not_there_is_not_found(store: &mut dyn CaseStore) {
    use casework::*;
    let report = store
        .create_report(&NewReport {
            channel: "101".into(),
            kind: "crime".into(),
            reported_at: peel_domain::date::Timestamp::parse("2026-11-23T09:00").unwrap(),
            occurred_at: None,
            reporter: None,
            site: None,
            location: None,
            place: Default::default(),
            account: "Shed broken into.".into(),
            created_by: "cst:lee".into(),
            decision_due: Some(peel_domain::date::Timestamp::parse("2026-11-24T09:00").unwrap()),
        })
        .unwrap();
    let crime = NewCrime {
        victim: PersonRef::New(PersonDetails { name: "Robin Testcase".into(), ..Default::default() }),
        offence_code: "28E".into(),
        flags: vec![],
        team: None,
        officer: None,
        enhanced: false,
        enhanced_reasons: vec![],
        obligations: vec![],
    };
    let decision = Decision { status: "crime".into(), crimes: vec![crime] };
    let (_, crimes) = store
        .decide(
            report.incident.unwrap(),
            1,
            &decision,
            "registrar:sam",
            peel_domain::date::Timestamp::parse("2026-11-23T10:00").unwrap(),
        )
        .unwrap();
    let contact = NewContact {
        crime: crimes[0].id,
        person: 999,
        at: peel_domain::date::Timestamp::parse("2026-11-23T11:00").unwrap(),
        method: peel_domain::ContactMethod::Phone,
        by_whom: "pc:morgan".into(),
        notes: String::new(),
        meets: vec![],
    };
    let err = store.log_contact(&contact, "pc:morgan").err().unwrap();
    assert!(matches!(err, StoreError::NotFound { entity: "person", id: 999 }), "{err:?}");
    assert!(store.crime(crimes[0].id).unwrap().contacts.is_empty());
    let err = store.add_person(
        12345,
        &PersonRef::Existing(1),
        "witness",
        false,
        &[],
        &[],
        "pc:x",
        peel_domain::date::Timestamp::parse("2026-11-23T12:00").unwrap(),
    );
    assert!(matches!(err, Err(StoreError::NotFound { entity: "crime", id: 12345 })), "{err:?}");
}

// ---- opening PostgreSQL ---------------------------------------------------------------------

/// `url` with `?options=-csearch_path%3Dschema` (libpq's way to name the schema).
fn url_in_schema(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-csearch_path%3D{schema}")
}

#[test]
fn open_picks_the_store_by_its_name_and_a_url_may_name_the_schema() {
    let (url, schema) = (pg_url(), unique_schema());
    let _drop = DropSchema(schema.clone());
    let in_schema = url_in_schema(&url, &schema);
    let mut pg = open(&in_schema).unwrap_or_else(|e| pg_failed(&url, e));
    pg.save_street_batch(&batch()).unwrap();
    drop(pg);
    // The schema was created and holds the store; the same URL opens it again.
    let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    let rows: i64 =
        client.query_one(&format!("SELECT sum(rows)::bigint FROM \"{schema}\".street_chunk"), &[]).unwrap().get(0);
    assert_eq!(rows, 3);
    assert_eq!(open(&in_schema).unwrap().holdings().unwrap().street[0].rows, 3);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut lite = open(path.to_str().unwrap()).unwrap();
    assert!(lite.holdings().unwrap().street.is_empty());
    lite.save_street_batch(&batch()).unwrap();
    assert!(path.exists());
}

#[test]
fn a_server_that_is_not_there_is_a_clear_error() {
    let err = PostgresStore::open("postgres://nobody:secret@127.0.0.1:1/none").err().unwrap().to_string();
    assert!(err.contains("cannot connect to PostgreSQL at postgres://nobody:***@127.0.0.1:1/none"), "{err}");
    assert!(!err.contains("secret"), "{err}");
}

#[test]
fn stores_can_move_between_threads() {
    fn send<T: Send>() {}
    send::<SqliteStore>();
    send::<PostgresStore>();
    send::<Box<dyn Store + Send>>();
    send::<Box<dyn CaseStore>>();
}

// ---- cancellation requests wait for a decision maker ------------------------------------------

#[test]
fn sqlite_a_cancellation_request_waits_for_a_decision_maker() {
    a_cancellation_request_waits_for_a_decision_maker(&mut *sqlite_store());
}

#[test]
fn postgres_a_cancellation_request_waits_for_a_decision_maker() {
    a_cancellation_request_waits_for_a_decision_maker(&mut *postgres_store());
}

/// A recorded crime of one victim, for the cancellation tests.
fn one_crime(store: &mut dyn CaseStore, account: &str) -> casework::Crime {
    use casework::*;
    let report = store
        .create_report(&NewReport {
            channel: "101".into(),
            kind: "crime".into(),
            reported_at: peel_domain::date::Timestamp::parse("2026-11-23T09:00").unwrap(),
            occurred_at: None,
            reporter: None,
            site: None,
            location: None,
            place: Default::default(),
            account: account.into(),
            created_by: "cst:lee".into(),
            decision_due: Some(peel_domain::date::Timestamp::parse("2026-11-24T09:00").unwrap()),
        })
        .unwrap();
    let crime = NewCrime {
        victim: PersonRef::New(PersonDetails { name: "Robin Testcase".into(), ..Default::default() }),
        offence_code: "49".into(),
        flags: vec![],
        team: Some("Local investigation team".into()),
        officer: Some("pc:morgan".into()),
        enhanced: false,
        enhanced_reasons: vec![],
        obligations: vec![],
    };
    let decision = Decision { status: "crime".into(), crimes: vec![crime] };
    store
        .decide(
            report.incident.unwrap(),
            1,
            &decision,
            "registrar:sam",
            peel_domain::date::Timestamp::parse("2026-11-23T10:00").unwrap(),
        )
        .unwrap()
        .1
        .remove(0)
}

fn a_cancellation_request_waits_for_a_decision_maker(store: &mut dyn CaseStore) {
    use casework::*;
    let first = one_crime(store, "Bicycle taken from the rack (synthetic).");
    let second = one_crime(store, "The same bicycle, reported again (synthetic).");
    let ask = |crime: &Crime| NewCancelRequest {
        crime: crime.id,
        reason: "duplicate".into(),
        detail: format!("the same theft as {}", first.reference),
        requested_by: "pc:morgan".into(),
    };
    // A request on a crime read at an old version is a conflict, and nothing is stored.
    let err = store
        .request_cancellation(
            &ask(&second),
            second.version + 1,
            peel_domain::date::Timestamp::parse("2026-11-23T11:00").unwrap(),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { entity: "crime", .. }), "{err:?}");
    assert!(store.cancel_requests(second.id).unwrap().is_empty());

    let asked = store
        .request_cancellation(
            &ask(&second),
            second.version,
            peel_domain::date::Timestamp::parse("2026-11-23T11:00").unwrap(),
        )
        .unwrap();
    assert_eq!((asked.status.as_str(), asked.details.reason.as_str()), ("pending", "duplicate"));
    assert_eq!(store.crime(second.id).unwrap().crime.version, second.version, "asking does not change the crime");
    // One request waits at a time.
    let err = store
        .request_cancellation(
            &ask(&second),
            second.version,
            peel_domain::date::Timestamp::parse("2026-11-23T11:05").unwrap(),
        )
        .unwrap_err();
    assert!(matches!(&err, StoreError::Refused(m) if m.contains("already has a cancellation request")), "{err:?}");
    let other = store
        .request_cancellation(
            &ask(&first),
            first.version,
            peel_domain::date::Timestamp::parse("2026-11-23T11:10").unwrap(),
        )
        .unwrap();

    let pending = store.pending_cancel_requests().unwrap();
    assert_eq!(pending.iter().map(|p| p.request.id).collect::<Vec<_>>(), [asked.id, other.id], "oldest first");
    assert_eq!(pending[0].crime_reference, second.reference);
    assert_eq!(pending[0].team.as_deref(), Some("Local investigation team"));

    // Refused: the crime stays recorded and the request leaves the list.
    let (refused, crime) = store
        .decide_cancel_request(
            other.id,
            &CancelRequestDecision::Refuse,
            "not a duplicate",
            "ddm:patel",
            peel_domain::date::Timestamp::parse("2026-11-23T12:00").unwrap(),
        )
        .unwrap();
    assert_eq!((refused.status.as_str(), refused.note.as_deref()), ("refused", Some("not a duplicate")));
    assert_eq!(crime.status, "recorded");
    let err = store
        .decide_cancel_request(
            other.id,
            &CancelRequestDecision::Refuse,
            "again",
            "ddm:patel",
            peel_domain::date::Timestamp::parse("2026-11-23T12:01").unwrap(),
        )
        .unwrap_err();
    assert!(matches!(&err, StoreError::Refused(m) if m.contains("already answered")), "{err:?}");

    // Granted at a stale version: a conflict, and the request still waits.
    let record = serde_json::json!({"reason": "duplicate", "detail": "as asked", "decided_by": "ddm:patel"});
    let stale = CancelRequestDecision::Cancel { version: second.version + 5, cancellation: record.clone() };
    let err = store
        .decide_cancel_request(
            asked.id,
            &stale,
            "as asked",
            "ddm:patel",
            peel_domain::date::Timestamp::parse("2026-11-23T12:10").unwrap(),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { entity: "crime", .. }), "{err:?}");
    assert_eq!(store.cancel_requests(second.id).unwrap()[0].status, "pending");

    let grant = CancelRequestDecision::Cancel { version: second.version, cancellation: record.clone() };
    let (granted, crime) = store
        .decide_cancel_request(
            asked.id,
            &grant,
            "as asked",
            "ddm:patel",
            peel_domain::date::Timestamp::parse("2026-11-23T12:15").unwrap(),
        )
        .unwrap();
    assert_eq!((granted.status.as_str(), granted.decided_by.as_deref()), ("cancelled", Some("ddm:patel")));
    assert_eq!((crime.status.as_str(), crime.version), ("cancelled", second.version + 1));
    assert_eq!(crime.cancellation, Some(record));
    assert!(store.pending_cancel_requests().unwrap().is_empty());
    // A cancelled crime takes no more requests.
    let err = store
        .request_cancellation(
            &ask(&second),
            crime.version,
            peel_domain::date::Timestamp::parse("2026-11-23T13:00").unwrap(),
        )
        .unwrap_err();
    assert!(matches!(&err, StoreError::Refused(m) if m.contains("already cancelled")), "{err:?}");

    // Every step is in the crime's audit trail, with who did it.
    let trail: Vec<(String, String)> =
        store.audit_trail("crime", second.id).unwrap().into_iter().map(|e| (e.action, e.actor)).collect();
    let expected =
        [("request-cancellation", "pc:morgan"), ("cancel", "ddm:patel"), ("grant-cancellation-request", "ddm:patel")];
    for (action, actor) in expected {
        assert!(trail.iter().any(|(a, b)| a == action && b == actor), "{action} by {actor} in {trail:?}");
    }
    let refused_trail = store.audit_trail("crime", first.id).unwrap();
    assert!(refused_trail.iter().any(|e| e.action == "refuse-cancellation-request" && e.actor == "ddm:patel"));
}

// ---- a force's crimes imported in parts ------------------------------------------------------

const WMP: u16 = 41;

fn imported(line: u32, reference: &str, recorded_at: &str) -> ImportedCrime {
    ImportedCrime {
        line,
        reference: reference.into(),
        recorded_at: recorded_at.into(),
        occurred_at: None,
        offence_code: "8N",
        category: Category::ViolenceAndSexualOffences.code(),
        harm_days: Some(365.0),
        flags: 0,
        postcode: None,
        easting: None,
        northing: None,
        place: NONE,
        victim_age: None,
        victim_sex: None,
        outcome_type: None,
        outcome_date: None,
        team: None,
    }
}

fn crimes_part(rows: Vec<ImportedCrime>, repeated_before: u64, all_or_nothing: bool) -> CrimeFactPart<'static> {
    CrimeFactPart::Rows(Cow::Owned(CrimeFactBatch {
        file_name: "history.csv".into(),
        force: WMP,
        repeated_before,
        all_or_nothing,
        rows,
        ..Default::default()
    }))
}

/// Minutes since 1970 of the crimes held for March 2025, sorted.
fn march_held(store: &dyn CaseStore) -> Vec<i64> {
    let mut held = store.load_crime_facts(WMP, ym("2025-03"), ym("2025-03")).unwrap().recorded;
    held.sort();
    held
}

fn minutes(t: &str) -> i64 {
    peel_domain::date::Timestamp::parse(t).unwrap().minutes_since_epoch()
}

/// A file in parts, as `peel import crimes` hands it over: a reference in two parts is one
/// crime with the later line's values, counted once; a part that says abandon undoes the
/// parts before it; a reference of a crime recorded in Peel, in a later part, is refused by
/// its line (and under all-or-nothing nothing is stored).
fn crimes_in_parts(store: &mut dyn CaseStore) {
    let mut parts = vec![
        crimes_part(
            vec![
                imported(2, "H/1", "2025-03-01T10:00"),
                imported(3, "H/2", "2025-03-02T10:00"),
                imported(4, "H/3", "2025-03-03T10:00"),
            ],
            0,
            false,
        ),
        crimes_part(vec![imported(5, "H/2", "2025-03-20T10:00"), imported(6, "H/4", "2025-03-04T10:00")], 1, false),
    ]
    .into_iter();
    let r = store.save_crime_fact_parts(&mut parts).unwrap().unwrap();
    assert_eq!((r.inserted, r.replaced, r.refused.len(), r.stored), (4, 0, 0, true));
    let want: Vec<i64> =
        ["2025-03-01T10:00", "2025-03-03T10:00", "2025-03-04T10:00", "2025-03-20T10:00"].map(minutes).to_vec();
    assert_eq!(march_held(store), want, "H/2 as its later line says");

    // Abandoned after a part was written: nothing of the file stays.
    let mut parts =
        vec![crimes_part(vec![imported(2, "H/5", "2025-03-05T10:00")], 0, false), CrimeFactPart::Abandon].into_iter();
    assert_eq!(store.save_crime_fact_parts(&mut parts).unwrap(), None);
    assert_eq!(march_held(store), want);

    // A recorded crime's reference in the second part: refused by its line, the rest stored
    // (or, all or nothing, none of it).
    let recorded = one_crime(store, "Phone taken from a table (synthetic).").reference;
    for all_or_nothing in [true, false] {
        let mut parts = vec![
            crimes_part(vec![imported(2, "H/6", "2025-03-06T10:00")], 0, all_or_nothing),
            crimes_part(vec![imported(3, &recorded, "2025-03-07T10:00")], 0, all_or_nothing),
        ]
        .into_iter();
        let r = store.save_crime_fact_parts(&mut parts).unwrap().unwrap();
        assert_eq!(r.refused, vec![(3, recorded.clone())]);
        assert_eq!((r.inserted, r.stored), if all_or_nothing { (0, false) } else { (1, true) });
        assert_eq!(march_held(store).len(), if all_or_nothing { 4 } else { 5 });
    }
    // The recorded crime's reference on lines of two parts: refused once, by its later line.
    let mut parts = vec![
        crimes_part(vec![imported(2, &recorded, "2025-03-07T10:00")], 0, false),
        crimes_part(vec![imported(3, &recorded, "2025-03-08T10:00")], 1, false),
    ]
    .into_iter();
    let r = store.save_crime_fact_parts(&mut parts).unwrap().unwrap();
    assert_eq!((r.inserted, r.replaced, r.refused.clone()), (0, 0, vec![(3, recorded.clone())]));
    assert_eq!(march_held(store).len(), 5);
    // Every crime again in one part: all replaced, none new.
    let again: Vec<ImportedCrime> = ["H/1", "H/2", "H/3", "H/4", "H/6"]
        .iter()
        .enumerate()
        .map(|(i, r)| imported(i as u32 + 2, r, "2025-03-10T10:00"))
        .collect();
    let r = store.save_crime_fact_parts(&mut vec![crimes_part(again.clone(), 0, false)].into_iter()).unwrap().unwrap();
    assert_eq!((r.inserted, r.replaced), (0, 5));
    assert_eq!(march_held(store), vec![minutes("2025-03-10T10:00"); 5]);
    // The same again, the rows already as the lines say (not written): still each counted
    // once, and once the recorded crime is in the analysis data as its own row, a line
    // naming it is refused by that row.
    let changes = |store: &dyn CaseStore| store.holdings().unwrap().crime_facts[0].changes;
    let before = changes(store);
    assert!(before > 0, "the imports were counted");
    assert_eq!(store.project_recorded_crimes(WMP).unwrap().0, 1, "the recorded crime is West Midlands'");
    assert_eq!(changes(store), before + 1, "the projection that wrote a row is counted");
    assert_eq!(store.project_recorded_crimes(WMP).unwrap(), (0, 0));
    assert_eq!(changes(store), before + 1, "one that wrote nothing is not");
    let mut with_recorded = again;
    with_recorded.push(imported(7, &recorded, "2025-03-10T10:00"));
    with_recorded.sort_by(|a, b| a.reference.cmp(&b.reference));
    let r = store.save_crime_fact_parts(&mut vec![crimes_part(with_recorded, 0, false)].into_iter()).unwrap().unwrap();
    assert_eq!((r.inserted, r.replaced, r.refused), (0, 5, vec![(7, recorded)]));
    assert_eq!(march_held(store), vec![minutes("2025-03-10T10:00"); 5]);
}

#[test]
fn sqlite_crimes_in_parts_and_the_indexes_built_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("peel.db");
    let indexes = || -> Vec<String> {
        let raw = rusqlite::Connection::open(&path).unwrap();
        let mut st = raw
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crime_fact' AND sql IS NOT NULL ORDER BY name")
            .unwrap();
        st.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    };
    let mut store = SqliteStore::open(&path).unwrap();
    let declared = indexes();
    assert!(!declared.is_empty(), "crime_fact has a secondary index to drop and build again");
    // Into an empty table, the first import drops the indexes and builds them again.
    crimes_in_parts(&mut store);
    drop(store);
    assert_eq!(indexes(), declared, "the indexes as the migrations declared them");
}

/// A store made before migration 25 kept `crime_fact` clustered on the reference (WITHOUT
/// ROWID); the upgrade copies every row into the table kept in time order, and the reference
/// stays one crime: a line repeating it replaces the row, not a second one.
#[test]
fn sqlite_crime_facts_kept_through_the_upgrade_to_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("peel.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let rows = vec![
        imported(2, "H/1", "2025-03-09T10:00"),
        imported(3, "H/2", "2025-03-01T10:00"),
        imported(4, "H/3", "2025-03-05T23:59"),
    ];
    store.save_crime_fact_parts(&mut vec![crimes_part(rows, 0, false)].into_iter()).unwrap().unwrap();
    drop(store);
    // Back to schema 24's table: the same columns and rows, clustered on the reference.
    let raw = rusqlite::Connection::open(&path).unwrap();
    let strings = |raw: &rusqlite::Connection, sql: &str| -> Vec<String> {
        raw.prepare(sql).unwrap().query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    };
    let columns = strings(&raw, "SELECT name FROM pragma_table_info('crime_fact') ORDER BY cid");
    let list = columns.join(", ");
    let declared =
        columns.iter().map(|c| if c == "reference" { "reference text PRIMARY KEY".to_string() } else { c.clone() });
    raw.execute_batch(&format!(
        "CREATE TABLE old_fact ({}) WITHOUT ROWID;
         INSERT INTO old_fact ({list}) SELECT {list} FROM crime_fact;
         DROP TABLE crime_fact;
         ALTER TABLE old_fact RENAME TO crime_fact;
         CREATE INDEX crime_fact_force_recorded ON crime_fact (force, recorded_at);
         DELETE FROM schema_migration WHERE version = 25;",
        declared.collect::<Vec<_>>().join(", ")
    ))
    .unwrap();
    let clustered = |raw: &rusqlite::Connection| -> bool {
        raw.query_row("SELECT sql FROM sqlite_master WHERE name = 'crime_fact'", [], |r| r.get::<_, String>(0))
            .unwrap()
            .contains("WITHOUT ROWID")
    };
    assert!(clustered(&raw));
    drop(raw);
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 27);
    assert_eq!(
        march_held(&store),
        vec![minutes("2025-03-01T10:00"), minutes("2025-03-05T23:59"), minutes("2025-03-09T10:00")]
    );
    let raw = rusqlite::Connection::open(&path).unwrap();
    assert!(!clustered(&raw), "the upgraded table keeps its row numbers");
    // In time order: the row numbers follow the recorded times, not the references.
    assert_eq!(strings(&raw, "SELECT reference FROM crime_fact ORDER BY rowid"), ["H/2", "H/3", "H/1"]);
    drop(raw);
    let again = vec![imported(2, "H/1", "2025-03-10T10:00")];
    let r = store.save_crime_fact_parts(&mut vec![crimes_part(again, 0, false)].into_iter()).unwrap().unwrap();
    assert_eq!((r.inserted, r.replaced), (0, 1));
    assert_eq!(march_held(&store).len(), 3);
    assert!(
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(
                "INSERT INTO crime_fact (reference, origin, force, recorded_at, offence_code, category)
                  VALUES ('H/1', 'imported', 41, '2025-03-11T10:00', '8N', 1)",
                []
            )
            .is_err(),
        "a reference is one crime"
    );
}

#[test]
fn postgres_crimes_in_parts() {
    crimes_in_parts(&mut *postgres_store());
}

/// A long stretch of months is read in two halves at once (on a SQLite file, each on a
/// connection of its own) and comes back as the months read one by one: the same crimes,
/// each with its own offence, team and month, whichever half read it.
fn a_long_stretch_reads_as_its_months(store: &mut dyn CaseStore) {
    let (first, months) = (ym("2023-01"), 30);
    let mut rows = Vec::new();
    for k in 0..months {
        let m = first.plus(k);
        for d in 0..=(k % 3) {
            let mut c = imported(rows.len() as u32 + 2, &format!("S/{k}/{d}"), &format!("{m}-{:02}T10:00", d + 1));
            // Offences and teams first seen in the later half, and some in both.
            c.offence_code = ["8N", "28E", "105A"][((k + d) % 3) as usize];
            c.team = Some(format!("team {}", (k / 7) % 3).into());
            rows.push(c);
        }
    }
    let all = rows.len();
    store.save_crime_fact_parts(&mut vec![crimes_part(rows, 0, false)].into_iter()).unwrap().unwrap();
    let named = |f: &peel_analytics::CrimeFacts| -> Vec<(i64, String, Option<String>)> {
        let mut v: Vec<_> = (0..f.len())
            .map(|i| {
                let team = f.teams.name(f.team[i]).map(str::to_string);
                (f.recorded[i], f.offences.name(f.offence[i]).unwrap().to_string(), team)
            })
            .collect();
        v.sort();
        v
    };
    let whole = store.load_crime_facts(WMP, first, first.plus(months - 1)).unwrap();
    assert_eq!(whole.len(), all);
    let mut by_month = Vec::new();
    for k in 0..months {
        let one = store.load_crime_facts(WMP, first.plus(k), first.plus(k)).unwrap();
        assert_eq!(one.len() as i32, k % 3 + 1);
        by_month.extend(named(&one));
    }
    by_month.sort();
    assert_eq!(named(&whole), by_month);
    // The paper's read, with its street columns: one LSOA-less row per crime still.
    let (facts, cols, _) = store.load_own_records(WMP, first, first.plus(months - 1)).unwrap().unwrap();
    assert_eq!((facts.len(), cols.len()), (all, all));
}

#[test]
fn sqlite_a_long_stretch_reads_as_its_months() {
    let dir = tempfile::tempdir().unwrap();
    a_long_stretch_reads_as_its_months(&mut SqliteStore::open(&dir.path().join("peel.db")).unwrap());
    a_long_stretch_reads_as_its_months(&mut SqliteStore::in_memory().unwrap());
}

#[test]
fn postgres_a_long_stretch_reads_as_its_months() {
    a_long_stretch_reads_as_its_months(&mut *postgres_store());
}

/// What a force's street records say, in an order of their own: (month, category, LSOA code,
/// point, outcome), for comparing two loads whatever order each reads in.
type StreetFact = (i32, u8, String, Option<(f64, f64)>, String);

fn street_summary(store: &dyn Store, force: u16) -> Vec<StreetFact> {
    let (cols, geo) = store.load_street(force).unwrap();
    let mut out: Vec<_> = (0..cols.len())
        .map(|i| {
            let lsoa = cols.lsoa[i];
            let point = cols.point[i];
            let outcome = cols.outcome[i];
            (
                cols.month[i],
                cols.category[i],
                if lsoa == NONE { String::new() } else { geo.lsoas[lsoa as usize].code.clone() },
                (point != NONE).then(|| geo.points[point as usize]),
                if outcome == NONE { String::new() } else { cols.outcome_names[outcome as usize].clone() },
            )
        })
        .collect();
    out.sort_by(|a, b| a.partial_cmp(b).unwrap());
    out
}

/// The rows of batch() as schema 26 kept them (one row per record in `street_record`),
/// written by SQL where `blob` turns hex into the database's bytes; `file` is the file's id.
fn legacy_street_rows(blob: fn(&str) -> String, file: i64) -> String {
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02X}")).collect::<String>();
    let key = |id: &str, line: u32| hex(&RecordKey::from_crime_id(id).bytes(file, line));
    let month = ym("2017-07").index();
    let lsoa = |code: &str| format!("(SELECT id FROM lsoa WHERE code = '{code}')");
    let point = "(SELECT min(id) FROM point)";
    let outcome = "(SELECT id FROM outcome_category WHERE name = 'Local resolution')";
    let row = |id: &str, line: u32, category: Category, lsoa: String, point: &str, outcome: &str| {
        format!(
            "INSERT INTO street_record VALUES (42, {month}, {}, {}, {lsoa}, {point}, {outcome}, 42, {file}, {line});",
            blob(&key(id, line)),
            category.code()
        )
    };
    [
        row("aa", 2, Category::Burglary, lsoa("E01007426"), point, outcome),
        row("bb", 3, Category::Robbery, lsoa("E01011111"), "NULL", outcome),
        row("", 4, Category::AntiSocialBehaviour, lsoa("E01011111"), point, "NULL"),
    ]
    .concat()
}

/// A store made before migration 27 kept a row per police.uk record; the upgrade moves them
/// into chunks, and they read back as they were and are replaced, not doubled, by the same
/// file imported again.
fn street_records_kept_through_the_upgrade_to_chunks(
    store: Box<dyn CaseStore>,
    raw: &mut dyn FnMut(&str),
    reopen: &dyn Fn() -> Box<dyn CaseStore>,
    blob: fn(&str) -> String,
    record_key_type: &str,
) {
    let mut store = store;
    store.save_street_batch(&batch()).unwrap();
    let before = street_summary(&*store, 42);
    assert_eq!(before.len(), 3);
    drop(store);
    raw(&format!(
        "DROP TABLE street_chunk;
         CREATE TABLE street_record (force integer NOT NULL, month integer NOT NULL,
             record_key {record_key_type} NOT NULL, category smallint NOT NULL, lsoa bigint, point bigint,
             outcome bigint, reported_by integer NOT NULL, file bigint NOT NULL, line integer NOT NULL,
             PRIMARY KEY (force, month, record_key));
         {}
         DELETE FROM schema_migration WHERE version = 27;",
        legacy_street_rows(blob, 1)
    ));
    let mut store = reopen();
    assert_eq!(street_summary(&*store, 42), before, "the records read as they did before the upgrade");
    assert_eq!(store.holdings().unwrap().street[0].rows, 3);
    // Their keys came through: the same file again replaces all three, the ASB row included.
    assert_eq!(store.save_street_batch(&batch()).unwrap(), SaveReport { inserted: 0, replaced: 3 });
    assert_eq!(street_summary(&*store, 42), before);
}

#[test]
fn sqlite_street_records_kept_through_the_upgrade_to_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("peel.db");
    let store: Box<dyn CaseStore> = Box::new(SqliteStore::open(&path).unwrap());
    let reopen = || -> Box<dyn CaseStore> { Box::new(SqliteStore::open(&path).unwrap()) };
    let mut raw = |sql: &str| rusqlite::Connection::open(&path).unwrap().execute_batch(sql).unwrap();
    street_records_kept_through_the_upgrade_to_chunks(store, &mut raw, &reopen, |h| format!("X'{h}'"), "BLOB");
}

#[test]
fn postgres_street_records_kept_through_the_upgrade_to_chunks() {
    let (url, schema) = (pg_url(), unique_schema());
    let _drop = DropSchema(schema.clone());
    let store: Box<dyn CaseStore> =
        Box::new(PostgresStore::open_in_schema(&url, &schema).unwrap_or_else(|e| pg_failed(&url, e)));
    let reopen = || -> Box<dyn CaseStore> { Box::new(PostgresStore::open_in_schema(&url, &schema).unwrap()) };
    let mut raw = |sql: &str| {
        let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
        c.batch_execute(&format!("SET search_path TO \"{schema}\"; {sql}")).unwrap();
    };
    street_records_kept_through_the_upgrade_to_chunks(
        store,
        &mut raw,
        &reopen,
        |h| format!("'\\x{h}'::bytea"),
        "bytea",
    );
}
