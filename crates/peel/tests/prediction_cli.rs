//! `peel backtest` and `peel concentration` through the real binary, on burglaries imported
//! with `peel import crimes`: two years of crimes spread over a city's 6 km, with a quarter of
//! each month's piled at one spot, and one month (2025-09) with no crime at all. The count
//! model's hit rates and the concentration figures are worked out here from the lines written;
//! the planted spot must be found by every model; the empty month must be "no data".

mod common;
use common::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// (easting, northing, day since 1970-01-01, month index as `YearMonth::index`)
type Crime = (i64, i64, i64, i32);

fn month_start(m: i32) -> i64 {
    peel_domain::date::Date::new(m.div_euclid(12), (m.rem_euclid(12) + 1) as u8, 1).unwrap().days_since_epoch()
}

fn plant() -> Vec<Crime> {
    let mut r = Lcg(12);
    let first = peel_domain::YearMonth::parse("2024-01").unwrap().index();
    let empty = peel_domain::YearMonth::parse("2025-09").unwrap().index();
    let mut out = vec![];
    for m in first..first + 24 {
        if m == empty {
            continue;
        }
        let days = month_start(m + 1) - month_start(m);
        for _ in 0..60 {
            out.push((
                404_000 + r.next(6000) as i64,
                286_000 + r.next(6000) as i64,
                month_start(m) + r.next(days as u64) as i64,
                m,
            ));
        }
        for _ in 0..20 {
            out.push((
                405_000 + r.next(50) as i64,
                287_000 + r.next(50) as i64,
                month_start(m) + r.next(days as u64) as i64,
                m,
            ));
        }
    }
    out
}

fn store_with(crimes: &[Crime]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("peel.db");
    let lines: Vec<String> = crimes
        .iter()
        .enumerate()
        .map(|(i, (e, n, d, _))| {
            let day = peel_domain::date::Date::from_days_since_epoch(*d);
            format!("PR/{i:05},{day}T14:00,,28E,,{e},{n},,40,F,,,Ladywood NPT")
        })
        .collect();
    let file = dir.path().join("crimes.csv");
    std::fs::write(&file, format!("{CRIMES_HEADER}\n{}\n", lines.join("\n"))).unwrap();
    ok(&peel(&db, &["import", "crimes", "--force", "west-midlands", file.to_str().unwrap()]));
    (dir, db)
}

type Cell = (i64, i64);

fn cell(c: &Crime) -> Cell {
    (c.0.div_euclid(250), c.1.div_euclid(250))
}

/// The hit rate of flagging `k` of `area` cells ranked by `score`, ties at the cut taking
/// their share of the hits: the rule the backtest documents, worked here by brute force.
fn hit_rate(score: &HashMap<Cell, f64>, area: &HashSet<Cell>, actual: &HashMap<Cell, f64>, k: usize, n: f64) -> f64 {
    let mut values: Vec<f64> = area.iter().map(|c| score.get(c).copied().unwrap_or(0.0)).collect();
    values.sort_by(|a, b| b.total_cmp(a));
    let cut = values[k - 1];
    let above: Vec<&Cell> = area.iter().filter(|c| score.get(c).copied().unwrap_or(0.0) > cut).collect();
    let tied: Vec<&Cell> = area.iter().filter(|c| score.get(c).copied().unwrap_or(0.0) == cut).collect();
    let hits = |cells: &[&Cell]| cells.iter().map(|c| actual.get(c).copied().unwrap_or(0.0)).sum::<f64>();
    (hits(&above) + hits(&tied) * (k - above.len()) as f64 / tied.len() as f64) / n
}

#[test]
fn backtest_and_concentration_of_the_forces_own_crimes() {
    let crimes = plant();
    let (_dir, db) = store_with(&crimes);
    let idx = |s: &str| peel_domain::YearMonth::parse(s).unwrap().index();

    // Six months predicted, 2025-07 to 2025-12.
    let args = ["backtest", "--force", "west-midlands", "--month", "2025-12", "--months", "6", "--json"];
    let v: Value = serde_json::from_str(&ok(&peel(&db, &args))).unwrap();
    let t = &v["backtest"];
    assert_eq!(v["dated_by"], "day recorded");
    // The study area without a gazetteer: the loaded crimes' cells and their neighbours. The
    // history is 365 days, so the months loaded run from 13 before the first predicted.
    let loaded: Vec<&Crime> = crimes.iter().filter(|c| c.3 >= idx("2024-06")).collect();
    let mut area: HashSet<Cell> = HashSet::new();
    for c in &loaded {
        let (x, y) = cell(c);
        for dx in -1..=1 {
            for dy in -1..=1 {
                area.insert((x + dx, y + dy));
            }
        }
    }
    assert_eq!(t["area_cells"], area.len());
    let models = t["models"].as_array().unwrap();
    assert_eq!(models.iter().map(|m| m["model"].as_str().unwrap()).collect::<Vec<_>>(), ["count", "kde", "promap"]);
    let count = &models[0];
    for (k, m) in (idx("2025-07")..=idx("2025-12")).enumerate() {
        let period = &count["periods"][k];
        let (start, end) = (month_start(m), month_start(m + 1));
        let actual: Vec<&&Crime> = loaded.iter().filter(|c| (start..end).contains(&c.2)).collect();
        assert_eq!(period["events"], actual.len(), "{}", period["label"]);
        if actual.is_empty() {
            // 2025-09: no data, not a hit rate of 0.
            assert_eq!(period["label"], "2025-09");
            assert!(period["scores"].as_array().unwrap().iter().all(|s| s["hit_rate"].is_null() && s["pai"].is_null()));
            continue;
        }
        let mut score: HashMap<Cell, f64> = HashMap::new();
        for c in loaded.iter().filter(|c| (start - 365..start).contains(&c.2)) {
            *score.entry(cell(c)).or_default() += 1.0;
        }
        let mut here: HashMap<Cell, f64> = HashMap::new();
        for c in &actual {
            *here.entry(cell(c)).or_default() += 1.0;
        }
        for (s, share) in [0.01, 0.05, 0.10].iter().enumerate() {
            let k = ((share * area.len() as f64).round() as usize).max(1);
            let want = hit_rate(&score, &area, &here, k, actual.len() as f64);
            let got = &period["scores"][s];
            assert_eq!(got["cells"], k);
            assert!((got["hit_rate"].as_f64().unwrap() - want).abs() < 1e-12, "{m} at {share}: {got} against {want}");
            let pai = want / (k as f64 / area.len() as f64);
            assert!((got["pai"].as_f64().unwrap() - pai).abs() < 1e-9);
        }
    }
    // Every model finds the planted spot: a quarter of each month's crimes in one cell of
    // about 600, so with 1% of the area flagged the PAI is far above 1.
    for m in models {
        let one = &m["mean"][0];
        assert!(one["hit_rate"].as_f64().unwrap() > 0.25, "{m}");
        assert!(one["pai"].as_f64().unwrap() > 15.0, "{m}");
    }

    // The table: each model's means, and the month without crime as no data.
    let text = ok(&peel(&db, &args[..args.len() - 1]));
    assert!(text.contains("Backtest — West Midlands Police, 2025-07 to 2025-12"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("promap ")), "{text}");
    // One "no data" for the crimes and one for each model.
    assert!(text.lines().any(|l| l.starts_with("2025-09") && l.matches("no data").count() == 4), "{text}");

    // Concentration over the 12 months to 2025-12: the planted cell alone holds 20%.
    let args = [
        "concentration",
        "--force",
        "west-midlands",
        "--month",
        "2025-12",
        "--share",
        "20",
        "--share",
        "100",
        "--json",
    ];
    let v: Value = serde_json::from_str(&ok(&peel(&db, &args))).unwrap();
    let c = &v["concentration"];
    let year: Vec<&Crime> = crimes.iter().filter(|c| c.3 >= idx("2025-01")).collect();
    let mut by_cell: HashMap<Cell, f64> = HashMap::new();
    for x in &year {
        *by_cell.entry(cell(x)).or_default() += 1.0;
    }
    let mut area: HashSet<Cell> = HashSet::new();
    for x in &year {
        let (a, b) = cell(x);
        for dx in -1..=1 {
            for dy in -1..=1 {
                area.insert((a + dx, b + dy));
            }
        }
    }
    let top = by_cell.values().copied().fold(0.0, f64::max);
    assert_eq!(c["area_cells"], area.len());
    assert_eq!(c["events"], year.len());
    assert_eq!(c["sets"][0]["cells"], 1);
    assert!((c["sets"][0]["value_share"].as_f64().unwrap() - top / year.len() as f64).abs() < 1e-12);
    assert_eq!(c["sets"][1]["cells"], by_cell.len());
    assert!((c["sets"][1]["area_share"].as_f64().unwrap() - by_cell.len() as f64 / area.len() as f64).abs() < 1e-12);
    // Month to month: the planted cell is each month's top and the next's; after the empty
    // month, and into it, no data.
    let stability = c["stability"].as_array().unwrap();
    assert_eq!(stability.len(), 11);
    let spot = (405_000i64 / 250, 287_000i64 / 250);
    for s in stability {
        let m = idx(s["label"].as_str().unwrap());
        if m == idx("2025-09") || m == idx("2025-10") {
            assert!(s["jaccard"].is_null(), "{s}");
            continue;
        }
        assert_eq!(s["jaccard"], 1.0, "{s}");
        let month: Vec<&&Crime> = year.iter().filter(|c| c.3 == m).collect();
        let in_spot = month.iter().filter(|c| cell(c) == spot).count() as f64;
        assert!((s["carried"].as_f64().unwrap() - in_spot / month.len() as f64).abs() < 1e-12, "{s}");
    }
    let text = ok(&peel(&db, &args[..args.len() - 1]));
    assert!(text.contains("(1 cell) holds"), "{text}");
    assert!(text.contains("holds 100.0% of crimes (asked: 100%)"), "{text}");

    // With the LSOA boundaries imported, the study area is the cells inside the force's LSOAs:
    // about the force's area (the sum of its LSOAs' areas in the file) over a cell's.
    assert_eq!(v["study_area"], "crimes");
    let boundaries = shared_data().join("geography/lsoa-2011-boundaries-west-midlands-west-yorkshire.geojson");
    ok(&peel(&db, &["import", "data", boundaries.to_str().unwrap()]));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&boundaries).unwrap()).unwrap();
    let square_metres: f64 = json["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["police_force"] == "West Midlands")
        .map(|f| f["properties"]["area_m2"].as_f64().unwrap())
        .sum();
    let v: Value = serde_json::from_str(&ok(&peel(&db, &args))).unwrap();
    assert_eq!(v["study_area"], "boundaries", "{v}");
    let c = &v["concentration"];
    let cells = c["area_cells"].as_f64().unwrap();
    let expected = square_metres / (250.0 * 250.0);
    assert!((cells / expected - 1.0).abs() < 0.02, "{cells} cells against {expected:.0} from the LSOAs' areas");
    let text = ok(&peel(&db, &args[..args.len() - 1]));
    assert!(text.contains("(inside the force's LSOA boundaries)"), "{text}");

    // Nonsense refused, saying which option.
    let bad = peel(&db, &["backtest", "--force", "west-midlands", "--month", "2025-12", "--promap-weeks", "0"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--promap-weeks: 0"), "{bad:?}");
    let bad = peel(&db, &["concentration", "--force", "west-midlands", "--month", "2025-12", "--share", "120"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--share: 120"), "{bad:?}");
}
