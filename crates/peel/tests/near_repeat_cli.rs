//! `peel near-repeat` through the real binary: burglaries planted with a near-repeat pattern
//! (a second within 60 m and 3 days of a first) among others spread over a city's 6 km and a
//! year, imported with `peel import crimes`. Every pair's cell is counted here the slow way and
//! must be the table's; the planted cell must stand out; police.uk-only data is refused.

mod common;
use common::*;
use serde_json::Value;

const HEADER: &str = "reference,recorded_at,occurred_at,offence_code,postcode,easting,northing,flags,victim_age,victim_sex,outcome_type,outcome_date,team";

/// A small seeded generator, the test's own.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

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
        .map(|(i, (e, n, d, code))| format!("NR/{i:05},{},,{code},,{e},{n},,40,F,,,Ladywood NPT", date(*d)))
        .collect();
    let file = dir.path().join("crimes.csv");
    std::fs::write(&file, format!("{HEADER}\n{}\n", lines.join("\n"))).unwrap();
    ok(&peel(&db, &["import", "crimes", "--force", "west-midlands", file.to_str().unwrap()]));

    let args = [
        "near-repeat",
        "--force",
        "west-midlands",
        "--month",
        "2025-12",
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
    assert!(text.contains("Near repeat (Knox test) — West Midlands Police, 2025-01 to 2025-12, Burglary"), "{text}");
    assert!(text.contains("1 to 100 m") && text.contains("21 days or more") && text.contains(")*"), "{text}");

    // Bad bands and a force without records are refused, saying why.
    let bad = peel(&db, &["near-repeat", "--force", "west-midlands", "--month", "2025-12", "--metres", "0"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("a distance band is at least 1 m"), "{bad:?}");
    let none = peel(&db, &["near-repeat", "--force", "west-yorkshire", "--month", "2025-12"]);
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("no crimes"), "{none:?}");
}
