//! `peel near-repeat` through the real binary: burglaries planted with a near-repeat pattern
//! (a second within 60 m and 3 days of a first) among others spread over a city's 6 km and a
//! year, imported with `peel import crimes`. Every pair's cell is counted here the slow way and
//! must be the table's; the planted cell must stand out; police.uk-only data is refused.

mod common;
use common::*;
use serde_json::Value;

/// (easting, northing, day of 2025 from 0, offence code)
type Planted = Vec<(i64, i64, i64, &'static str)>;

fn plant() -> Planted {
    let mut r = Lcg(2026);
    let mut out = Planted::new();
    for _ in 0..700 {
        out.push((404_000 + r.next(6000) as i64, 286_000 + r.next(6000) as i64, r.next(330) as i64, "28E"));
    }
    for k in 0..120 {
        let (e, n, d, _) = out[k];
        out.push((e + r.next(121) as i64 - 60, n + r.next(121) as i64 - 60, d + r.next(4) as i64, "28E"));
    }
    // Violence at the same places and days: not burglary, so not in a burglary test.
    for k in 0..50 {
        let (e, n, d, _) = out[k];
        out.push((e, n, d, "8N"));
    }
    // Criminal damage piled into one 250 m cell, on Friday nights (2025-01-03 was a Friday).
    for k in 0..60 {
        out.push((404_510 + k % 7 * 30, 287_520 + k / 7 * 20, 2 + 7 * (k % 46), "58A"));
    }
    out
}

fn date(day: i64) -> String {
    let d = peel_domain::date::Date::parse("2025-01-01").unwrap().add_days(day);
    format!("{d}T10:00")
}

#[test]
fn near_repeats_in_the_forces_own_crimes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("peel.db");
    let planted = plant();
    let lines: Vec<String> = planted
        .iter()
        .enumerate()
        .map(|(i, (e, n, d, code))| {
            let at = if *code == "58A" { date(*d).replace("T10:00", "T22:15") } else { date(*d) };
            format!("NR/{i:05},{at},,{code},,{e},{n},,40,F,,,Ladywood NPT")
        })
        .collect();
    let file = dir.path().join("crimes.csv");
    std::fs::write(&file, format!("{CRIMES_HEADER}\n{}\n", lines.join("\n"))).unwrap();
    ok(&peel(&db, &["import", "crimes", "--force", "west-midlands", file.to_str().unwrap()]));

    let args = [
        "near-repeat",
        "--force",
        "west-midlands",
        "--month",
        "2025-11",
        "--category",
        "Burglary",
        "--metres",
        "100",
        "--distance-bands",
        "4",
        "--days",
        "7",
        "--day-bands",
        "3",
        "--permutations",
        "199",
        "--json",
    ];
    let v: Value = serde_json::from_str(&ok(&peel(&db, &args))).unwrap();
    let burglaries: Vec<_> = planted.iter().filter(|p| p.3 == "28E").collect();
    assert_eq!(v["events"], burglaries.len(), "{v}");
    assert_eq!(v["without_place"], 0);
    // Every pair counted here: same place, then 100 m bands to 400 m; weeks to three weeks.
    let mut want = vec![vec![0u64; 4]; 6];
    for i in 0..burglaries.len() {
        for j in i + 1..burglaries.len() {
            let (a, b) = (burglaries[i], burglaries[j]);
            let d = (((a.0 - b.0).pow(2) + (a.1 - b.1).pow(2)) as f64).sqrt();
            let row = if d < 1.0 {
                0
            } else if d >= 400.0 {
                5
            } else {
                1 + (d / 100.0) as usize
            };
            let col = (((a.2 - b.2).abs() / 7) as usize).min(3);
            want[row][col] += 1;
        }
    }
    let got: Vec<Vec<u64>> = v["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|c| c["observed"].as_u64().unwrap()).collect())
        .collect();
    assert_eq!(got, want);
    let near = &v["cells"][1][0];
    assert!(near["ratio"].as_f64().unwrap() > 2.0 && near["p_value"].as_f64().unwrap() <= 0.01, "{near}");
    let far = &v["cells"][5][3];
    assert!((far["ratio"].as_f64().unwrap() - 1.0).abs() < 0.1, "{far}");

    // The table, as the calculator lays it out.
    let text = ok(&peel(&db, &args[..args.len() - 1]));
    assert!(text.contains("Near repeat (Knox test) — West Midlands Police, 2024-12 to 2025-11, Burglary"), "{text}");
    assert!(text.contains("1 to 100 m") && text.contains("21 days or more") && text.contains(")*"), "{text}");

    // Bad bands and a force without records are refused, saying why.
    let bad = peel(&db, &["near-repeat", "--force", "west-midlands", "--month", "2025-11", "--metres", "0"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("a distance band is at least 1 m"), "{bad:?}");
    let none = peel(&db, &["near-repeat", "--force", "west-yorkshire", "--month", "2025-11"]);
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("no data"), "{none:?}");

    // Hotspots: every crime counted in its 250 m cell here, and the table's cells the same.
    let mut cells: std::collections::HashMap<(i64, i64), f64> = Default::default();
    for p in &planted {
        *cells.entry((p.0.div_euclid(250), p.1.div_euclid(250))).or_default() += 1.0;
    }
    let mut want: Vec<((i64, i64), f64)> = cells.into_iter().collect();
    want.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let geojson = dir.path().join("cells.geojson");
    let count: Value = serde_json::from_str(&ok(&peel(
        &db,
        &[
            "hotspots",
            "--force",
            "west-midlands",
            "--month",
            "2025-11",
            "--limit",
            "5",
            "--json",
            "--geojson",
            geojson.to_str().unwrap(),
        ],
    )))
    .unwrap();
    assert_eq!(count["events"], planted.len());
    for (k, cell) in count["cells"].as_array().unwrap().iter().enumerate() {
        let ((c, r), n) = want[k];
        assert_eq!(cell["count"].as_f64().unwrap(), n, "rank {}: {cell}", k + 1);
        assert_eq!(cell["easting"].as_f64().unwrap(), c as f64 * 250.0 + 125.0);
        assert_eq!(cell["northing"].as_f64().unwrap(), r as f64 * 250.0 + 125.0);
        assert!((cell["share"].as_f64().unwrap() - n / planted.len() as f64).abs() < 1e-12);
    }
    assert_eq!(want[0].0, (404_500 / 250, 287_500 / 250), "the planted cell leads");
    let top = &count["cells"][0];
    // Birmingham: about 1.9° west, 52.5° north.
    assert!(
        (top["longitude"].as_f64().unwrap() + 1.87).abs() < 0.1
            && (top["latitude"].as_f64().unwrap() - 52.5).abs() < 0.1,
        "{top}"
    );
    let features: Value = serde_json::from_str(&std::fs::read_to_string(&geojson).unwrap()).unwrap();
    assert_eq!(features["type"], "FeatureCollection");
    assert_eq!(features["features"].as_array().unwrap().len(), want.len(), "every cell with a crime");
    assert_eq!(features["features"][0]["geometry"]["coordinates"][0].as_array().unwrap().len(), 5);
    // Gi* and density find the same place; Gi* says how sure.
    let gi: Value = serde_json::from_str(&ok(&peel(
        &db,
        &[
            "hotspots",
            "--force",
            "west-midlands",
            "--month",
            "2025-11",
            "--method",
            "gistar",
            "--permutations",
            "99",
            "--fdr",
            "--json",
        ],
    )))
    .unwrap();
    let g = &gi["cells"][0];
    assert!(
        (g["easting"].as_f64().unwrap() - 404_625.0).abs() <= 250.0
            && (g["northing"].as_f64().unwrap() - 287_625.0).abs() <= 250.0,
        "{g}"
    );
    assert!(g["p"].as_f64().unwrap() < 1e-6 && g["p_sim"].as_f64().unwrap() <= 0.01, "{g}");
    let kde: Value = serde_json::from_str(&ok(&peel(
        &db,
        &[
            "hotspots",
            "--force",
            "west-midlands",
            "--month",
            "2025-11",
            "--method",
            "kde",
            "--bandwidth",
            "200",
            "--json",
        ],
    )))
    .unwrap();
    let d = &kde["cells"][0];
    assert!(
        (d["easting"].as_f64().unwrap() - 404_600.0).abs() <= 150.0
            && (d["northing"].as_f64().unwrap() - 287_580.0).abs() <= 150.0,
        "{d}"
    );
    assert_eq!(kde["cell_metres"], 100.0);
    let text = ok(&peel(
        &db,
        &["hotspots", "--force", "west-midlands", "--month", "2025-11", "--harm", "--category", "Burglary"],
    ));
    assert!(text.contains("harm (CCHI days) by count in 250 m cells") && text.contains("Burglary"), "{text}");

    // Classed over the twelve months, the planted cell is a hotspot; every cell has a class.
    let classes: Value = serde_json::from_str(&ok(&peel(
        &db,
        &["hotspots", "--force", "west-midlands", "--month", "2025-11", "--classify", "--json", "--limit", "500"],
    )))
    .unwrap();
    // The twelve months to 2025-11 include 2024-12, which holds no record (the crimes start
    // in January): no data, left out, so eleven periods rather than a twelfth without hotspots.
    assert_eq!(classes["periods"], 11);
    let total: u64 = classes["classes"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(total, classes["area_cells"].as_u64().unwrap());
    let planted_cell = classes["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["easting"] == 404_625.0 && c["northing"] == 287_625.0)
        .unwrap_or_else(|| panic!("the planted cell has a pattern: {classes}"))
        .clone();
    assert!(
        ["persistent hotspot", "intermittent hotspot"].contains(&planted_cell["class"].as_str().unwrap()),
        "{planted_cell}"
    );
    let bad = peel(
        &db,
        &["hotspots", "--force", "west-midlands", "--month", "2025-11", "--classify", "--period-months", "13"],
    );
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("--period-months"), "{bad:?}");

    // The patrol list: the hotspot's busiest hour is the planted Friday night.
    let patrols: Value = serde_json::from_str(&ok(&peel(
        &db,
        &["patrols", "--force", "west-midlands", "--month", "2025-11", "--cells", "2", "--windows", "1", "--json"],
    )))
    .unwrap();
    let first = &patrols["cells"][0];
    assert_eq!((first["easting"].as_f64(), first["northing"].as_f64()), (Some(404_625.0), Some(287_625.0)), "{first}");
    assert_eq!(first["windows"][0]["label"], "Friday 22:00-23:00", "{first}");
    assert_eq!(first["windows"][0]["value"].as_f64(), Some(60.0), "{first}");
    assert_eq!(patrols["cells"].as_array().unwrap().len(), 2);
    let text = ok(&peel(&db, &["patrols", "--force", "west-midlands", "--month", "2025-11", "--category", "Burglary"]));
    assert!(text.contains("Patrol list — West Midlands Police") && text.contains("Burglary"), "{text}");
}
