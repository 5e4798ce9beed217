//! The geography files: the real gazetteer and boundaries of ../shared/data/geography read
//! whole (counts checked against the files with Python's csv and json modules:
//! `python3 -c "import csv; print(sum(1 for _ in csv.DictReader(open(P))))"` gives 120,183;
//! the GeoJSON has 3,068 features), and bad rows refused by line and field.

use peel_ingest::geography::{parse_boundaries, parse_postcodes};
use peel_ingest::{FileKind, NoProgress};
use std::path::PathBuf;

fn shared() -> PathBuf {
    std::env::var_os("PEEL_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
        .join("geography")
}

#[test]
fn the_real_gazetteer_and_boundaries_are_read_whole() {
    let pc = shared().join("postcodes-west-midlands-west-yorkshire.csv");
    assert_eq!(FileKind::sniff(&pc), Some(FileKind::Postcodes), "{}", pc.display());
    let p = parse_postcodes(&pc, &mut NoProgress).unwrap_or_else(|e| panic!("{e} (set PEEL_SHARED_DATA)"));
    assert!(p.problems.is_empty(), "{:?}", &p.problems[..p.problems.len().min(3)]);
    assert_eq!(p.batch.rows.len(), 120_183);
    let b11ay = p.batch.rows.iter().find(|r| r.postcode == "B1 1AY").unwrap();
    assert_eq!((b11ay.easting, b11ay.northing), (406_523, 286_448));
    assert_eq!(b11ay.lsoa_code, "E01033625");
    assert_eq!(b11ay.ward_name.as_deref(), Some("Ladywood"));
    assert_eq!(b11ay.force, Some(peel_domain::Force::find("West Midlands").unwrap().code));
    // Four postcodes of the file have no ward: kept, with none.
    assert_eq!(p.batch.rows.iter().filter(|r| r.ward_code.is_none()).count(), 4);

    let geo = shared().join("lsoa-2011-boundaries-west-midlands-west-yorkshire.geojson");
    assert_eq!(FileKind::sniff(&geo), Some(FileKind::LsoaBoundaries));
    let b = parse_boundaries(&geo, &mut NoProgress).unwrap();
    assert!(b.problems.is_empty(), "{:?}", &b.problems[..b.problems.len().min(3)]);
    assert_eq!(b.batch.rows.len(), 3_068);
    let first = &b.batch.rows[0];
    assert_eq!((first.code.as_str(), first.name.as_str()), ("E01008881", "Birmingham 067A"));
    assert_eq!((first.centroid_easting, first.centroid_northing, first.area_m2), (412_690.0, 285_442.0, 350_731.9));
    assert!(
        first.polygon.starts_with(r#"{"coordinates":[[[-1.809457,52.470086],[-1.807933,52.465102]"#),
        "{}",
        &first.polygon[..80]
    );
    assert!(first.polygon.ends_with(r#"]]],"type":"Polygon"}"#));
}

#[test]
fn bad_postcode_rows_and_features_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let header = "postcode,eastings,northings,positional_quality,lsoa11_code,msoa11_code,msoa11_name,local_authority_code,local_authority,ward_code,ward,police_force";
    let rows = [
        "B1 1AY,406523,286448,10,E01033625,E02006899,Birmingham 138,E08000025,Birmingham,E05011151,Ladywood,West Midlands",
        "NOT A CODE,406523,286448,10,E01033625,,,,,,,West Midlands",
        "B1 1BA,9999999,286448,10,E01033625,,,,,,,West Midlands",
        "B1 1BB,406523,286448,7,E01033625,,,,,,,West Midlands",
        "B1 1BD,406523,286448,10,X01033625,,,,,,,West Midlands",
        "B1 1BE,406523,286448,10,E01033625,,,,,,,Gotham",
    ];
    let path = dir.path().join("postcodes.csv");
    std::fs::write(&path, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    let p = parse_postcodes(&path, &mut NoProgress).unwrap();
    let said: Vec<String> = p.problems.iter().map(|p| p.to_string()).collect();
    let fields = ["postcode", "eastings", "positional_quality", "lsoa11_code", "police_force"];
    assert_eq!(said.len(), fields.len(), "{said:#?}");
    for (i, field) in fields.iter().enumerate() {
        assert!(said[i].contains(&format!("postcodes.csv:{}: field '{field}'", i + 3)), "{}", said[i]);
    }
    assert_eq!(p.batch.rows.len(), 1);

    let geo = dir.path().join("b.geojson");
    std::fs::write(
        &geo,
        r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"lsoa11_code":"E01008881","lsoa11_name":"A","police_force":"West Midlands","centroid_eastings":412690,"centroid_northings":285442,"area_m2":1.5},"geometry":{"type":"Polygon","coordinates":[[[-1.8,52.4],[-1.7,52.4],[-1.7,52.5],[-1.8,52.4]]]}},
            {"type":"Feature","properties":{"lsoa11_code":"E01008882","lsoa11_name":"B","police_force":"West Midlands","centroid_eastings":412690,"centroid_northings":285442,"area_m2":0},"geometry":{"type":"Polygon","coordinates":[[[-1.8,52.4],[-1.7,52.4],[-1.7,52.5],[-1.8,52.4]]]}},
            {"type":"Feature","properties":{"lsoa11_code":"E01008883","lsoa11_name":"C","police_force":"West Midlands","centroid_eastings":412690,"centroid_northings":285442,"area_m2":5},"geometry":{"type":"Point","coordinates":[-1.8,52.4]}},
            {"type":"Feature","properties":{"lsoa11_code":"E01008884","lsoa11_name":"D","police_force":"West Midlands","centroid_eastings":412690,"centroid_northings":285442,"area_m2":5},"geometry":{"type":"Polygon","coordinates":[[[-1.8,95],[-1.7,52.4],[-1.7,52.5],[-1.8,52.4]]]}}
        ]}"#,
    )
    .unwrap();
    let b = parse_boundaries(&geo, &mut NoProgress).unwrap();
    let said: Vec<String> = b.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(said.len(), 3, "{said:#?}");
    assert!(said[0].contains("b.geojson:2: field 'area_m2'"), "{}", said[0]);
    assert!(said[1].contains("b.geojson:3: field 'geometry'") && said[1].contains("Point"), "{}", said[1]);
    assert!(said[2].contains("b.geojson:4: field 'geometry'"), "{}", said[2]);
    assert_eq!(b.batch.rows.len(), 1);
    // Not GeoJSON at all: the file is refused, saying where.
    std::fs::write(&geo, "{\"type\": \"FeatureCollection\", \"features\": [").unwrap();
    assert!(parse_boundaries(&geo, &mut NoProgress).unwrap_err().to_string().contains("not GeoJSON"));
}
