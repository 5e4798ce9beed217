//! `peel import areas` and the NPU and Impact Area of `peel place`, through the real binary,
//! on SQLite and on PostgreSQL (a schema of its own in the database at
//! `PEEL_TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`, dropped
//! afterwards): a CSV and a GeoJSON definition made in the test over a small gazetteer made
//! in the test, every bad line named, a bad file storing nothing; and West Midlands' default
//! definition over the real gazetteer (`../shared/data/geography`).

mod common;
use common::*;
use peel_ingest::bng::BritishNationalGrid;
use serde_json::Value;
use std::process::Output;

fn pg_url() -> String {
    std::env::var("PEEL_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn run(db: &str, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_peel")).arg("--db").arg(db).args(args).output().expect("run peel")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A store for one test: a SQLite file in a temporary folder, or a PostgreSQL schema.
struct Db {
    url: String,
    dir: tempfile::TempDir,
    pg_schema: Option<String>,
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some(schema) = &self.pg_schema {
            let _ = peel_store::PostgresStore::drop_schema(&pg_url(), schema);
        }
    }
}

impl Db {
    fn sqlite() -> Db {
        let dir = tempfile::tempdir().unwrap();
        Db { url: dir.path().join("peel.db").to_str().unwrap().to_string(), dir, pg_schema: None }
    }

    fn postgres() -> Db {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let schema = format!("peel_areas_test_{}_{nanos}", std::process::id());
        let url = pg_url();
        let sep = if url.contains('?') { '&' } else { '?' };
        let db = Db {
            url: format!("{url}{sep}options=-csearch_path%3D{schema}"),
            dir: tempfile::tempdir().unwrap(),
            pg_schema: Some(schema),
        };
        let out = run(&db.url, &["status"]);
        assert!(
            out.status.success(),
            "{}\nThis test needs PostgreSQL running: start the local server with\n    \
             pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n\
             or set PEEL_TEST_DATABASE_URL.",
            stderr(&out)
        );
        db
    }

    fn peel(&self, args: &[&str]) -> Output {
        run(&self.url, args)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn place(&self, postcode: &str) -> Value {
        serde_json::from_str(&ok(&self.peel(&["place", postcode, "--json"]))).unwrap()
    }

    /// (NPU code, Impact Area code) of a postcode.
    fn areas_of(&self, postcode: &str) -> (Value, Value) {
        let p = self.place(postcode);
        (p["npu"]["code"].clone(), p["impact_area"]["code"].clone())
    }
}

/// Four LSOAs on the grid, each the centroid of its boundary, placed at these (longitude,
/// latitude): A and B in Birmingham's Ladywood ward, C in Erdington, D in Coventry.
const LSOAS: [(&str, f64, f64, &str, &str, &str); 4] = [
    ("E01033620", -1.9000, 52.4800, "E05011151", "E08000025", "B1 1BB"),
    ("E01033615", -1.8900, 52.4760, "E05011151", "E08000025", "B1 1BA"),
    ("E01009007", -1.8390, 52.5230, "E05011135", "E08000025", "B23 6AA"),
    ("E01009641", -1.4980, 52.4130, "E05001228", "E08000026", "CV1 2AA"),
];

/// A gazetteer and boundaries of those four LSOAs, imported as `peel import data` reads
/// the real ones.
fn small_geography(db: &Db) {
    let bng = BritishNationalGrid::new();
    let mut csv = String::from(
        "postcode,eastings,northings,positional_quality,lsoa11_code,msoa11_code,msoa11_name,\
         local_authority_code,local_authority,ward_code,ward,police_force\n",
    );
    let mut features = Vec::new();
    for (lsoa, lon, lat, ward, la, postcode) in LSOAS {
        let (e, n) = bng.project(lon, lat).unwrap();
        csv.push_str(&format!("{postcode},{e:.0},{n:.0},10,{lsoa},,,{la},,{ward},,West Midlands\n"));
        let d = 0.001;
        features.push(serde_json::json!({
            "type": "Feature",
            "properties": {"lsoa11_code": lsoa, "lsoa11_name": format!("Test {lsoa}"), "police_force": "West Midlands",
                           "centroid_eastings": e, "centroid_northings": n, "area_m2": 10000.0},
            "geometry": {"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat - d]]]}
        }));
    }
    let geo = db.dir.path().join("geography");
    std::fs::create_dir(&geo).unwrap();
    std::fs::write(geo.join("postcodes.csv"), csv).unwrap();
    std::fs::write(
        geo.join("boundaries.geojson"),
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    let out = ok(&db.peel(&["import", "data", geo.to_str().unwrap()]));
    assert!(out.contains("imported 2 file(s)"), "{out}");
}

/// (The last code is in lower case, as a spreadsheet may leave it: read as upper.)
const GOOD_CSV: &str = "kind,code,name,npu,member_kind,member_code
npu,BW,Birmingham West,,ward,E05011151
npu,BE,Birmingham East,,ward,E05011135
npu,CV,Coventry,,la,E08000026
impact_area,city-centre,Birmingham City Centre,BW,lsoa,E01033620
impact_area,hillfields,Hillfields,CV,ward,e05001228
";

fn csv_round_trip_and_a_bad_file_stores_nothing(db: Db) {
    small_geography(&db);
    // Nothing defined: said, not left blank.
    let text = ok(&db.peel(&["place", "B1 1BB"]));
    assert!(text.contains("NPU               — (no areas defined"), "{text}");
    let p = db.place("B1 1BB");
    assert_eq!((p["npu"].clone(), p["npus_defined"].clone()), (Value::Null, Value::Bool(false)));

    let good = db.file("areas.csv", GOOD_CSV);
    let out = ok(&db.peel(&["import", "areas", &good]));
    assert!(out.contains("NPUs: stored 3 with 3 member(s), replacing 0"), "{out}");
    assert!(out.contains("Impact Areas: stored 2 with 2 member(s), replacing 0"), "{out}");
    assert_eq!(db.areas_of("B1 1BB"), ("BW".into(), "city-centre".into()));
    // The other Ladywood LSOA: in BW by its ward, in no Impact Area.
    assert_eq!(db.areas_of("B1 1BA"), ("BW".into(), Value::Null));
    assert_eq!(db.areas_of("B23 6AA"), ("BE".into(), Value::Null));
    assert_eq!(db.areas_of("CV1 2AA"), ("CV".into(), "hillfields".into()));
    let text = ok(&db.peel(&["place", "B1 1BA"]));
    assert!(text.contains("NPU               BW Birmingham West"), "{text}");
    assert!(text.contains("Impact Area       — (in no Impact Area)"), "{text}");

    // Every bad line named with its field; nothing stored.
    let bad = db.file(
        "bad.csv",
        "kind,code,name,npu,member_kind,member_code
npu,BW,Birmingham West,,ward,E05011151
npu,BE,Birmingham East,,ward,E05099999
npu,BE,Birmingham Eastern,,ward,E05011135
npu,CV,Coventry,,la,E08000026
impact_area,city-centre,Birmingham City Centre,BE,lsoa,E01033620
impact_area,hillfields,Hillfields,CV,ward,E05001228
impact_area,hillfields,Hillfields,CV,ward,E05001228
sector,S1,Sector,,ward,E05011151
npu,CV,Coventry,,msoa,E02001
npu,XX,Extra,,ward,E05011151
",
    );
    let out = db.peel(&["import", "areas", &bad]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        format!("{bad}:3: field 'member_code': ward 'E05099999' is not in the gazetteer"),
        format!("{bad}:4: field 'name': 'Birmingham Eastern' here, but 'Birmingham East' on line 3"),
        format!("{bad}:6: field 'member_code': lsoa 'E01033620' lies in NPU 'BW', not in this Impact Area's NPU 'BE'"),
        format!("{bad}:8: field 'member_code': repeats line 7"),
        format!("{bad}:9: field 'kind': 'sector' is not a kind of area"),
        format!("{bad}:10: field 'member_kind': 'msoa' is not la, ward or lsoa"),
        format!("{bad}:11: field 'member_code': ward 'E05011151' is already in npu 'BW'"),
        "7 problem(s); nothing stored, the areas stored before are kept".to_string(),
    ] {
        assert!(err.contains(&expected), "missing «{expected}» in:\n{err}");
    }
    assert_eq!(db.areas_of("B1 1BB"), ("BW".into(), "city-centre".into()));
    assert_eq!(db.areas_of("B23 6AA"), ("BE".into(), Value::Null));

    // --kind: a file of the other kind is refused; the kind given is the only one replaced.
    let out = db.peel(&["import", "areas", &good, "--kind", "impact-area"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(":2: field 'kind': 'npu', but --kind impact_area was given"), "{}", stderr(&out));
    let ias = db.file(
        "ias.csv",
        "kind,code,name,npu,member_kind,member_code\nimpact_area,erdington,Erdington,BE,ward,E05011135\n",
    );
    let out = ok(&db.peel(&["import", "areas", &ias, "--kind", "impact-area"]));
    assert!(out.contains("Impact Areas: stored 1 with 1 member(s), replacing 2") && !out.contains("NPUs"), "{out}");
    assert_eq!(db.areas_of("B23 6AA"), ("BE".into(), "erdington".into()));
    assert_eq!(db.areas_of("B1 1BB"), ("BW".into(), Value::Null));
}

fn geojson_areas_are_the_lsoas_whose_centroid_each_holds(db: Db) {
    small_geography(&db);
    ok(&db.peel(&["import", "areas", &db.file("areas.csv", GOOD_CSV)]));
    let square = |lon: f64, lat: f64, d: f64| serde_json::json!({"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]]});
    let feature = |props: Value, geometry: Value| serde_json::json!({"type": "Feature", "properties": props, "geometry": geometry});
    let collection =
        |features: Vec<Value>| serde_json::json!({"type": "FeatureCollection", "features": features}).to_string();
    // Around A's centroid only (B is 0.01° east), and around D's.
    let good = db.file(
        "areas.geojson",
        &collection(vec![
            feature(
                serde_json::json!({"code": "core", "name": "City Core", "npu": "BW"}),
                square(-1.9000, 52.4800, 0.002),
            ),
            feature(
                serde_json::json!({"code": "hill", "name": "Hillfields", "npu": "CV", "kind": "impact_area"}),
                square(-1.4980, 52.4130, 0.002),
            ),
        ]),
    );
    let out = ok(&db.peel(&["import", "areas", &good, "--kind", "impact-area"]));
    assert!(out.contains("Impact Areas: stored 2 with 2 member(s), replacing 2"), "{out}");
    assert_eq!(db.areas_of("B1 1BB"), ("BW".into(), "core".into()));
    assert_eq!(db.areas_of("B1 1BA"), ("BW".into(), Value::Null));
    assert_eq!(db.areas_of("CV1 2AA"), ("CV".into(), "hill".into()));

    // A feature holding no centroid, one not a polygon, one with no kind: each named by its
    // number; nothing stored.
    let bad = db.file(
        "bad.geojson",
        &collection(vec![
            feature(serde_json::json!({"code": "core", "name": "Core", "npu": "BW"}), square(-1.9000, 52.4800, 0.002)),
            feature(serde_json::json!({"code": "sea", "name": "Sea", "npu": "BW"}), square(-1.0, 50.0, 0.01)),
            feature(
                serde_json::json!({"code": "pt", "name": "Point", "npu": "BW"}),
                serde_json::json!({"type": "Point", "coordinates": [-1.9, 52.48]}),
            ),
        ]),
    );
    let out = db.peel(&["import", "areas", &bad]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("{bad}:1: field 'kind': feature 1: missing")), "{err}");
    assert!(err.contains(&format!("{bad}:2: field 'kind'")), "{err}");
    let out = db.peel(&["import", "areas", &bad, "--kind", "impact-area"]);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{bad}:2: field 'geometry': feature 2: holds no LSOA's population-weighted centroid")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{bad}:3: field 'geometry': feature 3: a \"Point\" where a Polygon or MultiPolygon belongs"
        )),
        "{err}"
    );
    assert!(err.contains("2 problem(s); nothing stored"), "{err}");
    assert_eq!(db.areas_of("CV1 2AA"), ("CV".into(), "hill".into()));
}

macro_rules! on_both_stores {
    ($($name:ident),*) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(super::Db::sqlite());
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                super::$name(super::Db::postgres());
            })*
        }
    };
}

on_both_stores!(csv_round_trip_and_a_bad_file_stores_nothing, geojson_areas_are_the_lsoas_whose_centroid_each_holds);

#[test]
fn the_default_west_midlands_areas_over_the_real_gazetteer() {
    let db = Db::sqlite();
    let geography = shared_data().join("geography");
    ok(&db.peel(&["import", "data", geography.to_str().unwrap()]));
    let out = ok(&db.peel(&["import", "areas", "--default", "west-midlands"]));
    assert!(out.contains("NPUs: stored 8 with 75 member(s), replacing 0"), "{out}");
    assert!(out.contains("Impact Areas: stored 19 with 24 member(s), replacing 0"), "{out}");
    let text = ok(&db.peel(&["place", "B1 1AY"]));
    assert!(text.contains("NPU               BW Birmingham West"), "{text}");
    assert!(text.contains("Impact Area       birmingham-city-centre Birmingham City Centre"), "{text}");
    let p = db.place("WS1 4AA");
    assert_eq!(p["npu"]["name"], "Walsall");
    // A Lozells postcode, and one of Erdington: each in its NPU's Impact Area; one of
    // Gravelly Hill, in BE and no Impact Area.
    assert_eq!(db.areas_of("B19 1AA"), ("BW".into(), "lozells".into()));
    assert_eq!(db.areas_of("B23 3AG"), ("BE".into(), "erdington".into()));
    assert_eq!(db.areas_of("B23 6AA"), ("BE".into(), Value::Null));
    // Installing again replaces, and a single kind replaces only that kind.
    let out = ok(&db.peel(&["import", "areas", "--default", "west-midlands", "--kind", "npu"]));
    assert!(out.contains("NPUs: stored 8 with 75 member(s), replacing 8") && !out.contains("Impact Areas"), "{out}");
}
