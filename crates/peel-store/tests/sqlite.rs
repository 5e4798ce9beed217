//! The SQLite store on its own: migrations, atomic batches, merging ONS fields, loading
//! columns back with their geography.

use peel_domain::{Category, YearMonth};
use peel_store::*;

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

#[test]
fn migrations_run_once_and_the_schema_is_numbered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 1);
    drop(s);
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 1);
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
fn street_batch_round_trips_into_columns() {
    let mut s = SqliteStore::in_memory().unwrap();
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

#[test]
fn the_same_batch_twice_replaces_rather_than_adds() {
    let mut s = SqliteStore::in_memory().unwrap();
    s.save_street_batch(&batch()).unwrap();
    let r = s.save_street_batch(&batch()).unwrap();
    assert_eq!(r, SaveReport { inserted: 0, replaced: 3 });
    assert_eq!(s.holdings().unwrap().street[0].rows, 3);
    assert_eq!(s.holdings().unwrap().files, 1);
}

#[test]
fn asb_rows_from_another_file_are_other_rows() {
    let mut s = SqliteStore::in_memory().unwrap();
    s.save_street_batch(&batch()).unwrap();
    let mut other = batch();
    other.file_name = "another.csv".into();
    let r = s.save_street_batch(&other).unwrap();
    // The crimes share Crime IDs (replaced); the ASB row is keyed by file and line (new).
    assert_eq!(r, SaveReport { inserted: 1, replaced: 2 });
}

#[test]
fn ons_files_fill_in_each_others_fields() {
    let mut s = SqliteStore::in_memory().unwrap();
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

#[test]
fn recorded_crime_counts_are_replaced_on_reimport() {
    let mut s = SqliteStore::in_memory().unwrap();
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
