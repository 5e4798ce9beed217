//! `peel import crimes` end to end, through the real binary, on SQLite and on PostgreSQL (a
//! schema of its own in the database at `PEEL_TEST_DATABASE_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`, dropped afterwards).
//!
//! Crimes are planted at real postcodes of `../shared/data/geography` (the rows of two
//! postcode districts, imported with `peel import data`), with known offence codes, times,
//! flags and outcomes. What the test expects is worked out here from the planted lines and
//! the gazetteer file read by the test itself: counts by category and LSOA, harm from the
//! weights of each offence's Home Office subgroup as the Cambridge Crime Harm Index gives
//! them (written out below by hand, not taken from Peel), the lines refused with file, line
//! and field, `--strict` storing nothing, importing twice storing each crime once, a recorded
//! crime's reference refused, and `peel stats` for the planted month.

mod common;
use common::*;
use peel_domain::YearMonth;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The districts of the gazetteer the test imports.
const DISTRICTS: [&str; 2] = ["B1 ", "CV1 "];

/// One gazetteer row as the test reads it: (postcode, easting, northing, LSOA code).
type Gaz = Vec<(String, i64, i64, String)>;

/// Writes the gazetteer rows of `DISTRICTS` into `dir`, and returns them.
fn gazetteer_subset(dir: &Path) -> Gaz {
    let real = shared_data().join("geography/postcodes-west-midlands-west-yorkshire.csv");
    let text =
        std::fs::read_to_string(&real).unwrap_or_else(|e| panic!("{}: {e} (set PEEL_SHARED_DATA)", real.display()));
    let mut lines = text.lines();
    let mut out = vec![lines.next().unwrap().to_string()];
    let mut rows = Vec::new();
    for l in lines.filter(|l| DISTRICTS.iter().any(|d| l.starts_with(d))) {
        let f: Vec<&str> = l.split(',').collect();
        rows.push((f[0].to_string(), f[1].parse().unwrap(), f[2].parse().unwrap(), f[4].to_string()));
        out.push(l.to_string());
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("postcodes-test.csv"), out.join("\n") + "\n").unwrap();
    rows
}

fn lsoa_of(gaz: &Gaz, postcode: &str) -> String {
    gaz.iter().find(|r| r.0 == postcode).unwrap_or_else(|| panic!("{postcode} not in the test gazetteer")).3.clone()
}

/// The LSOA of the gazetteer postcode nearest the point (brute force, first of equals).
fn nearest_lsoa(gaz: &Gaz, e: i64, n: i64) -> String {
    gaz.iter().min_by_key(|r| (r.1 - e).pow(2) + (r.2 - n).pow(2)).unwrap().3.clone()
}

/// Cambridge Crime Harm Index days of each planted offence's Home Office subgroup, from the
/// CCHI table (shared/data/harm): 8N violence with injury, 28E residential (domestic)
/// burglary, 34B robbery of personal property, 58A criminal damage, 92A trafficking of
/// drugs; AF (Action Fraud) has none.
fn cchi_days(code: &str) -> Option<f64> {
    match code {
        "8N" => Some(365.0),
        "28E" => Some(273.5),
        "34B" => Some(365.0),
        "58A" => Some(2.0),
        "92A" => Some(5.0),
        "AF" => None,
        _ => panic!("no weight written for {code}"),
    }
}

/// police.uk category of each planted code, as the Home Office lookup gives it.
fn category(code: &str) -> &'static str {
    match code {
        "8N" => "Violence and sexual offences",
        "28E" => "Burglary",
        "34B" => "Robbery",
        "58A" => "Criminal damage and arson",
        "92A" => "Drugs",
        "AF" => "Other crime",
        _ => panic!("{code}"),
    }
}

/// A planted crime.
struct Plant {
    reference: String,
    recorded_at: &'static str,
    code: &'static str,
    postcode: &'static str,
    point: Option<(i64, i64)>,
    flags: &'static str,
    outcome: Option<(u8, &'static str)>,
    /// The LSOA the test expects (None: place unknown).
    lsoa: Option<String>,
}

impl Plant {
    fn line(&self) -> String {
        let (e, n) = self.point.map_or((String::new(), String::new()), |(e, n)| (e.to_string(), n.to_string()));
        let (t, d) = self.outcome.map_or((String::new(), ""), |(t, d)| (t.to_string(), d));
        format!(
            "{},{},,{},{},{e},{n},{},{},F,{t},{d},Ladywood NPT",
            self.reference,
            self.recorded_at,
            self.code,
            self.postcode,
            self.flags,
            self.victim_age()
        )
    }

    /// The night-time crimes (02:00) have a victim of 19, the rest of 34.
    fn victim_age(&self) -> u8 {
        if self.recorded_at.ends_with("T02:00") {
            19
        } else {
            34
        }
    }
}

const HEADER: &str = "reference,recorded_at,occurred_at,offence_code,postcode,easting,northing,flags,victim_age,victim_sex,outcome_type,outcome_date,team";

fn plants(gaz: &Gaz) -> Vec<Plant> {
    let mut out = Vec::new();
    let mut add = |recorded_at, code, postcode: &'static str, point, flags, outcome, lsoa: Option<String>| {
        let reference = format!("LEGACY/{:04}", out.len() + 1);
        out.push(Plant { reference, recorded_at, code, postcode, point, flags, outcome, lsoa });
    };
    let b11ay = Some(lsoa_of(gaz, "B1 1AY"));
    let b11ba = Some(lsoa_of(gaz, "B1 1BA"));
    let cv11ah = Some(lsoa_of(gaz, "CV1 1AH"));
    let cv11aj = Some(lsoa_of(gaz, "CV1 1AJ"));
    // March 2025.
    add("2025-03-01T08:10", "28E", "B1 1AY", None, "domestic-abuse", None, b11ay.clone());
    add("2025-03-02T23:45", "28E", "B1 1AY", None, "", None, b11ay.clone());
    add("2025-03-31T23:59", "28E", "B1 1AY", None, "", Some((1, "2025-04-02")), b11ay.clone());
    // Written as people type postcodes: normalised to "B1 1BA".
    add("2025-03-05T14:00", "34B", "b11ba", None, "", Some((18, "2025-03-20")), b11ba.clone());
    add("2025-03-06T15:00", "34B", " B1 1BA ", None, "", Some((18, "2025-03-21")), b11ba);
    add("2025-03-10T02:00", "8N", "CV1 1AH", None, "", None, cv11ah.clone());
    add("2025-03-11T02:00", "8N", "CV1 1AH", None, "", None, cv11ah.clone());
    add("2025-03-12T02:00", "8N", "CV1 1AH", None, "", None, cv11ah.clone());
    add("2025-03-13T02:00", "8N", "CV1 1AH", None, "hate-crime:race;domestic-abuse", None, cv11ah);
    // A grid point only: the nearest gazetteer postcode's areas.
    add("2025-03-14T12:00", "58A", "", Some((406_880, 286_390)), "", None, Some(nearest_lsoa(gaz, 406_880, 286_390)));
    add("2025-03-15T12:00", "AF", "CV1 1AJ", None, "", None, cv11aj);
    // A postcode the gazetteer does not hold: kept, place unknown; and no place at all.
    add("2025-03-16T12:00", "92A", "B99 9ZZ", None, "", None, None);
    add("2025-03-17T12:00", "8N", "", None, "", None, None);
    // February 2025.
    add("2025-02-27T10:00", "28E", "B1 1AY", None, "", None, b11ay.clone());
    add("2025-02-28T10:00", "28E", "B1 1AY", None, "", None, b11ay);
    // A robbery resolved in March by community resolution (outcome 8, positive).
    add("2025-02-26T10:00", "34B", "B1 1BA", None, "", Some((8, "2025-03-10")), Some(lsoa_of(gaz, "B1 1BA")));
    out
}

/// Bad lines: (line text, field the problem names).
fn bad_lines() -> Vec<(String, &'static str)> {
    vec![
        ("BAD/1,2025-03-01T10:00,,99Z,B1 1AY,,,,34,F,,,".to_string(), "offence_code"),
        ("BAD/2,2025-02-30T10:00,,8N,B1 1AY,,,,34,F,,,".to_string(), "recorded_at"),
        ("BAD/3,2025-03-01T10:00,,8N,B1 1AY,,,,34,F,23,2025-03-02,".to_string(), "outcome_type"),
        ("BAD/4,2025-03-01T10:00,,8N,B1 1AY,,,,34,F,18,,".to_string(), "outcome_date"),
        ("BAD/5,2025-03-01T10:00,,8N,B1 1AY,,,,121,F,,,".to_string(), "victim_age"),
        ("BAD/6,2025-03-01T10:00,,8N,,800000,286390,,34,F,,,".to_string(), "easting"),
        ("BAD/7,2025-03-01T10:00,,8N,B1 1AY,,,gang,34,F,,,".to_string(), "flags"),
    ]
}

fn write_file(path: &Path, lines: &[String]) {
    std::fs::write(path, format!("{HEADER}\n{}\n", lines.join("\n"))).unwrap();
}

fn stats(db: &str, month: &str) -> Value {
    serde_json::from_str(&ok(&peel_db(db, &["stats", "--force", "west-midlands", "--month", month, "--json"]))).unwrap()
}

fn ym(s: &str) -> YearMonth {
    YearMonth::parse(s).unwrap()
}

fn wmp() -> u16 {
    peel_domain::Force::find("west-midlands").unwrap().code
}

/// Crimes by (month, category name).
type ByCategory = BTreeMap<(String, String), u64>;
/// Crimes by LSOA code (None: place unknown).
type ByLsoa = BTreeMap<Option<String>, u64>;

/// (crimes by month and category, crimes by LSOA code, harm of March) as the store holds them.
fn held(db: &str) -> (ByCategory, ByLsoa, f64) {
    let store = peel_store::open(db).unwrap();
    let f = store.load_crime_facts(wmp(), ym("2025-01"), ym("2025-04")).unwrap();
    let mut by_cat = BTreeMap::new();
    let mut by_lsoa = BTreeMap::new();
    for i in 0..f.len() {
        let c = peel_domain::Category::from_code(f.category[i]).unwrap().name().to_string();
        *by_cat.entry((YearMonth::from_index(f.month[i]).to_string(), c)).or_insert(0) += 1;
        *by_lsoa.entry(f.lsoas.name(f.lsoa[i]).map(str::to_string)).or_insert(0) += 1;
    }
    (by_cat, by_lsoa, f.harm_in(ym("2025-03").index()))
}

fn the_import(db: &str, dir: &Path) {
    let gaz = gazetteer_subset(&dir.join("geography"));
    ok(&peel_db(db, &["import", "data", dir.join("geography").to_str().unwrap()]));
    let plants = plants(&gaz);
    let bad = bad_lines();
    // Good and bad lines interleaved: bad line k after good line 2k.
    let mut lines = Vec::new();
    let mut bad_at = Vec::new();
    for (i, p) in plants.iter().enumerate() {
        lines.push(p.line());
        if i % 2 == 1 && i / 2 < bad.len() {
            lines.push(bad[i / 2].0.clone());
            bad_at.push((lines.len() + 1, bad[i / 2].1)); // +1: the header is line 1
        }
    }
    assert_eq!(bad_at.len(), bad.len());
    let file = dir.join("history.csv");
    write_file(&file, &lines);

    let out = peel_db(db, &["import", "crimes", file.to_str().unwrap(), "--force", "west-midlands"]);
    let stdout = ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (line, field) in &bad_at {
        let want = format!("{}:{line}: field '{field}'", file.display());
        assert!(stderr.contains(&want), "{want} missing from:\n{stderr}");
    }
    assert_eq!(stderr.lines().filter(|l| l.contains(": field '")).count(), bad.len(), "{stderr}");
    let want = format!(
        "{} crimes of West Midlands Police, {} new, 0 replaced an earlier import, {} bad line(s) not stored",
        plants.len() + bad.len(),
        plants.len(),
        bad.len()
    );
    assert!(stdout.contains(&want), "{want}\n{stdout}");
    assert!(stdout.contains("1 postcode(s) not in the gazetteer"), "{stdout}");

    // What the test expects, from the planted lines.
    let mut by_cat = BTreeMap::new();
    let mut by_lsoa = BTreeMap::new();
    let mut harm = 0.0;
    for p in &plants {
        *by_cat.entry((p.recorded_at[..7].to_string(), category(p.code).to_string())).or_insert(0u64) += 1;
        *by_lsoa.entry(p.lsoa.clone()).or_insert(0u64) += 1;
        if p.recorded_at.starts_with("2025-03") {
            harm += cchi_days(p.code).unwrap_or(0.0);
        }
    }
    let (cats, lsoas, held_harm) = held(db);
    assert_eq!(cats, by_cat);
    assert_eq!(lsoas, by_lsoa);
    assert!((held_harm - harm).abs() < 1e-9, "harm {held_harm}, planted {harm}");
    // The flags as planted: two domestic abuse, one racially aggravated.
    let store = peel_store::open(db).unwrap();
    let f = store.load_crime_facts(wmp(), ym("2025-03"), ym("2025-03")).unwrap();
    let da = peel_domain::flags::bit("domestic-abuse").unwrap();
    let race = peel_domain::flags::bit("hate-crime:race").unwrap();
    assert_eq!(f.flags.iter().filter(|b| *b & da != 0).count(), 2);
    assert_eq!(f.flags.iter().filter(|b| *b & race != 0).count(), 1);
    drop(store);

    own_areas(db, dir, &gaz, &plants);
    board_paper(db, dir, &gaz, &plants);

    // `peel stats` for the planted month reads the force's own crimes.
    let march: Vec<&Plant> = plants.iter().filter(|p| p.recorded_at.starts_with("2025-03")).collect();
    let s = stats(db, "2025-03");
    assert_eq!(s["crimes"], march.len() as u64, "{s}");
    assert_eq!(s["asb"], 0);
    // Harm from each offence's own subgroup, as planted.
    assert!((s["harm"].as_f64().unwrap() - harm).abs() < 1e-9, "{s}");
    for ((month, cat), n) in &by_cat {
        if month == "2025-03" {
            assert_eq!(s["by_category"][cat], *n, "{cat}: {s}");
        }
    }
    assert_eq!(s["outcomes"]["Investigation complete; no suspect identified"], 2, "{s}");
    assert_eq!(s["outcomes"]["Awaiting court outcome"], 1, "{s}");
    assert_eq!(s["outcomes"]["Under investigation"], march.len() as u64 - 3, "{s}");
    // Serious youth violence (seed 004 §24: under-25 violence with injury; of the planted
    // codes only 8N, assault with injury, is violence with injury), and the weekday × hour
    // table: 1 March 2025 was a Saturday, so day d of the month is weekday (5 + d - 1) % 7
    // counting Monday as 0.
    let youth: Vec<&&Plant> = march.iter().filter(|p| p.code == "8N" && p.victim_age() < 25).collect();
    assert_eq!(s["serious_youth_violence"]["crimes"], youth.len() as u64, "{s}");
    assert!((s["serious_youth_violence"]["harm"].as_f64().unwrap() - 365.0 * youth.len() as f64).abs() < 1e-9);
    assert_eq!(s["serious_youth_violence"]["victim_age_unknown"], 0);
    let mut table = [[0u64; 24]; 7];
    for p in &march {
        let day: usize = p.recorded_at[8..10].parse().unwrap();
        let hour: usize = p.recorded_at[11..13].parse().unwrap();
        table[(5 + day - 1) % 7][hour] += 1;
    }
    assert_eq!(s["hour_weekday"], serde_json::to_value(table).unwrap(), "{s}");
    let february = plants.iter().filter(|p| p.recorded_at.starts_with("2025-02")).count();
    assert_eq!(stats(db, "2025-02")["crimes"], february as u64);
    // Without --month: the latest month of the force's own crimes.
    let latest: Value =
        serde_json::from_str(&ok(&peel_db(db, &["stats", "--force", "west-midlands", "--json"]))).unwrap();
    assert_eq!(latest["month"], "2025-03");

    let status = ok(&peel_db(db, &["status"]));
    let own = status.lines().find(|l| l.contains("the forces' own crimes")).unwrap_or("");
    assert_eq!(own.split_whitespace().nth(4), Some(plants.len().to_string().as_str()), "{status}");

    // The same file again: each crime once, the imported rows replaced.
    let again = ok(&peel_db(db, &["import", "crimes", file.to_str().unwrap()]));
    assert!(again.contains(&format!(" 0 new, {} replaced an earlier import", plants.len())), "{again}");
    assert_eq!(held(db).0, by_cat);
    assert_eq!(stats(db, "2025-03")["crimes"], march.len() as u64);

    // --strict: one bad line, and nothing of the file is stored.
    let strict = dir.join("strict.csv");
    write_file(
        &strict,
        &[
            "NEW/1,2025-03-20T10:00,,8N,B1 1AY,,,,,,,,".to_string(),
            "NEW/2,2025-03-20T11:00,,8N,B1 1AY,,,,,,,,".to_string(),
            bad[0].0.clone(),
        ],
    );
    let out = peel_db(db, &["import", "crimes", strict.to_str().unwrap(), "--strict"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{}:4: field 'offence_code'", strict.display())));
    assert_eq!(stats(db, "2025-03")["crimes"], march.len() as u64);

    // A crime recorded in Peel keeps its reference: an import naming it is refused, by line.
    let crime = record_a_crime(db);
    let recorded = crime.reference.clone();
    let clash = dir.join("clash.csv");
    write_file(
        &clash,
        &[
            format!("{recorded},2025-03-21T10:00,,8N,B1 1AY,,,,,,,,"),
            "NEW/3,2025-03-21T11:00,,8N,B1 1AY,,,,,,,,".to_string(),
        ],
    );
    let out = peel_db(db, &["import", "crimes", clash.to_str().unwrap(), "--strict"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:2: field 'reference': '{recorded}' is a crime recorded in Peel", clash.display())),
        "{stderr}"
    );
    assert_eq!(stats(db, "2025-03")["crimes"], march.len() as u64, "--strict stored part of a refused file");
    let out = peel_db(db, &["import", "crimes", clash.to_str().unwrap()]);
    assert!(ok(&out).contains("1 new, 0 replaced an earlier import, 1 bad line(s) not stored"));
    assert_eq!(stats(db, "2025-03")["crimes"], march.len() as u64 + 1);

    // The recorded crime brought into the analysis data: counted in its month (November
    // 2026), once however often projected; an import naming it is still refused, now by its
    // own row.
    let said = ok(&peel_db(db, &["import", "recorded"]));
    assert!(said.starts_with("1 recorded crime(s) of West Midlands Police brought"), "{said}");
    assert!(ok(&peel_db(db, &["import", "recorded"])).starts_with("0 recorded crime(s)"));
    // The paper of November 2026 carries the recorded crime's Victims' Code compliance, as
    // `peel performance compliance` measures it for the same crimes and day.
    let paper = dir.join("november.html");
    ok(&peel_db(db, &["report", "--force", "west-midlands", "--month", "2026-11", "--out", paper.to_str().unwrap()]));
    let html = std::fs::read_to_string(&paper).unwrap();
    let measured: Value = serde_json::from_str(&ok(&peel_db(
        db,
        &["performance", "compliance", "--from", "2026-04-01", "--to", "2026-11-30", "--as-of", "2026-11-30"],
    )))
    .unwrap();
    let by_right = measured["by_right"].as_object().unwrap();
    assert!(!by_right.is_empty(), "{measured}");
    for (right, c) in by_right {
        let n: u8 = right.parse().unwrap();
        let head = match peel_domain::victims_code::right(n) {
            Some(r) => format!("Right {n}: {}", r.title),
            None => "Five-step contact standard".to_string(),
        };
        let row = paper_row(&html, "victims-code", &head.replace('\'', "&#39;"));
        assert_eq!(row[..2], [c["due"].to_string(), c["met_on_time"].to_string()], "{head}");
    }
    let all = paper_row(&html, "victims-code", "All rights");
    assert_eq!(all[..2], [measured["overall"]["due"].to_string(), measured["overall"]["met_on_time"].to_string()]);
    let november = stats(db, "2026-11");
    assert_eq!(november["crimes"], 1, "{november}");
    // Its place, from the postcode: the gazetteer row's grid point, LSOA, ward and authority.
    let row = gaz.iter().find(|r| r.0 == "B1 1AY").unwrap();
    let store = peel_store::open(db).unwrap();
    let f = store.load_crime_facts(wmp(), ym("2026-11"), ym("2026-11")).unwrap();
    assert_eq!((f.easting[0], f.northing[0]), (Some(row.1 as i32), Some(row.2 as i32)));
    assert_eq!(f.lsoas.name(f.lsoa[0]), Some(row.3.as_str()));
    assert_eq!(f.wards.name(f.ward[0]), Some("E05011151"), "Ladywood, as the gazetteer file says");
    assert_eq!(f.local_authorities.name(f.local_authority[0]), Some("E08000025"));
    drop(store);
    assert_eq!(november["by_category"]["Burglary"], 1, "{november}");
    assert!((november["harm"].as_f64().unwrap() - 273.5).abs() < 1e-9, "{november}");
    let out = peel_db(db, &["import", "crimes", clash.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:2: field 'reference': '{recorded}' is a crime recorded in Peel", clash.display())),
        "{stderr}"
    );
    assert!(ok(&out).contains("0 new, 1 replaced an earlier import, 1 bad line(s) not stored"));
    assert_eq!(stats(db, "2026-11")["crimes"], 1);

    // Its outcome changes its version: projected again, with the outcome; cancelled, taken out.
    let at = peel_domain::date::Timestamp::parse("2026-11-30T10:00").unwrap();
    let mut store = peel_store::open(db).unwrap();
    let crime = store.set_outcome(crime.id, crime.version, "18", "oic:test", at).unwrap();
    drop(store);
    assert!(ok(&peel_db(db, &["import", "recorded"])).starts_with("1 recorded crime(s)"));
    let november = stats(db, "2026-11");
    assert_eq!(november["outcomes"]["Investigation complete; no suspect identified"], 1, "{november}");
    let mut store = peel_store::open(db).unwrap();
    store.cancel_crime(crime.id, crime.version, &serde_json::json!({"reason": "C"}), "registrar:test", at).unwrap();
    drop(store);
    let said = ok(&peel_db(db, &["import", "recorded"]));
    assert!(said.contains(" 1 cancelled taken out"), "{said}");
    // November now holds nothing of the force's: no data, not 0 — refused, and no paper.
    let out = peel_db(db, &["stats", "--force", "west-midlands", "--month", "2026-11", "--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("has no data for 2026-11") && said.contains("no data, not 0"), "{said}");
    // Likewise a month between two held (April 2025: the planted crimes are February and March).
    let paper = dir.join("april.html");
    let out =
        peel_db(db, &["report", "--force", "west-midlands", "--month", "2025-04", "--out", paper.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!paper.exists(), "a paper was written for a month without data");
    assert_eq!(stats(db, "2025-03")["crimes"], march.len() as u64 + 1);
}

/// `peel serve` brings what is recorded while it runs into the analysis data by itself, within
/// `--analysis-seconds` (1 here): a crime recorded, then its outcome, then its cancellation,
/// each seen by `peel stats` without `peel import recorded`.
#[test]
fn serve_keeps_the_analysis_data_current() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let db = db.to_str().unwrap();
    let out =
        peel_stdin(db, &["accounts", "add", "admin", "--role", "admin", "--password-stdin"], "a long admin password 1");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _server = serve(db, &["--analysis-seconds", "1"]);
    let within = |what: &str, ok: &dyn Fn(&Value) -> bool| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let out = peel_db(db, &["stats", "--force", "west-midlands", "--month", "2026-11", "--json"]);
            if out.status.success() {
                let v: Value = serde_json::from_slice(&out.stdout).unwrap();
                if ok(&v) {
                    return;
                }
            }
            assert!(std::time::Instant::now() < deadline, "{what}: not in the analysis data after 20 s");
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    };
    let crime = record_a_crime(db);
    within("the recorded crime", &|v| v["crimes"] == 1 && v["by_category"]["Burglary"] == 1);
    let at = peel_domain::date::Timestamp::parse("2026-11-30T10:00").unwrap();
    let mut store = peel_store::open(db).unwrap();
    let crime = store.set_outcome(crime.id, crime.version, "18", "oic:test", at).unwrap();
    drop(store);
    within("its outcome", &|v| v["outcomes"]["Investigation complete; no suspect identified"] == 1);
    let mut store = peel_store::open(db).unwrap();
    store.cancel_crime(crime.id, crime.version, &serde_json::json!({"reason": "C"}), "registrar:test", at).unwrap();
    drop(store);
    // No crime of the force left in its analysis data (so `peel stats` would now say it has none).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !peel_store::open(db).unwrap().load_crime_facts(wmp(), ym("2026-11"), ym("2026-11")).unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "the cancelled crime still in the analysis data after 20 s");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// `peel areas --level npu|impact-area` over the imported crimes: two NPUs from a file (the
/// ward of B1 1AY and the city of Coventry by its local-authority code, both read from the
/// gazetteer file here), an Impact Area of that ward; each planted crime of March 2025 is
/// expected in the NPU of the district its LSOA's postcodes are in (the test's gazetteer holds
/// B1 and CV1 only, so an LSOA is in one or the other), crimes without a place in none.
fn own_areas(db: &str, dir: &Path, gaz: &Gaz, plants: &[Plant]) {
    let real = shared_data().join("geography/postcodes-west-midlands-west-yorkshire.csv");
    let text = std::fs::read_to_string(real).unwrap();
    let field = |postcode: &str, k: usize| {
        let line = text.lines().find(|l| l.starts_with(&format!("{postcode},"))).unwrap();
        line.split(',').nth(k).unwrap().to_string()
    };
    let (ward, coventry) = (field("B1 1AY", 9), field("CV1 1AH", 7));
    let file = dir.join("areas.csv");
    std::fs::write(
        &file,
        format!(
            "kind,code,name,npu,member_kind,member_code\nnpu,BW,Birmingham West,,ward,{ward}\n\
             npu,CV,Coventry,,la,{coventry}\nimpact_area,city-centre,City Centre,BW,ward,{ward}\n"
        ),
    )
    .unwrap();
    let said = ok(&peel_db(db, &["import", "areas", file.to_str().unwrap()]));
    assert!(said.contains("stored"), "{said}");
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    for p in plants.iter().filter(|p| p.recorded_at.starts_with("2025-03")) {
        let Some(lsoa) = &p.lsoa else { continue };
        let district = gaz.iter().find(|r| &r.3 == lsoa).unwrap().0.split(' ').next().unwrap().to_string();
        *want.entry(if district == "B1" { "BW" } else { "CV" }.to_string()).or_default() += 1;
    }
    let rows = |level: &str| -> BTreeMap<String, u64> {
        let out =
            ok(&peel_db(db, &["areas", "--force", "west-midlands", "--month", "2025-03", "--level", level, "--json"]));
        let v: Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["code"].as_str().unwrap().to_string(), r["crimes"].as_u64().unwrap()))
            .collect()
    };
    assert_eq!(rows("npu"), want);
    assert_eq!(rows("impact-area"), BTreeMap::from([("city-centre".to_string(), want["BW"])]));

    // Wards: each LSOA counts in the ward most of its postcodes (of the gazetteer imported,
    // the two districts) are in, ties to the smaller code; worked out here from the file.
    let mut votes: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (postcode, _, _, lsoa) in gaz {
        *votes.entry(lsoa.clone()).or_default().entry(field(postcode, 9)).or_default() += 1;
    }
    let home = |lsoa: &str| -> String {
        let v = &votes[lsoa];
        let most = v.values().max().unwrap();
        v.iter().find(|(_, n)| *n == most).unwrap().0.clone()
    };
    let mut by_ward: BTreeMap<String, u64> = BTreeMap::new();
    for p in plants.iter().filter(|p| p.recorded_at.starts_with("2025-03")) {
        if let Some(lsoa) = &p.lsoa {
            *by_ward.entry(home(lsoa)).or_default() += 1;
        }
    }
    assert!(by_ward.len() >= 2, "{by_ward:?}");
    assert_eq!(rows("ward"), by_ward);
    // Each ward row is named as the gazetteer names it.
    let out =
        ok(&peel_db(db, &["areas", "--force", "west-midlands", "--month", "2025-03", "--level", "ward", "--json"]));
    let v: Value = serde_json::from_str(&out).unwrap();
    for r in v.as_array().unwrap() {
        let code = r["code"].as_str().unwrap();
        let named = text.lines().find(|l| l.split(',').nth(9) == Some(code)).unwrap().split(',').nth(10).unwrap();
        assert_eq!(r["name"], named, "{r}");
    }
}

/// The cells of the body row headed `head` in the section `id` of a board paper.
fn paper_row(html: &str, id: &str, head: &str) -> Vec<String> {
    let section = &html[html.find(&format!("id=\"h-{id}\"")).unwrap_or_else(|| panic!("no section {id}"))..];
    let section = &section[..section.find("</section>").unwrap()];
    let row = section
        .split("<tr")
        .find(|r| r.contains(&format!(">{head}</th>")))
        .unwrap_or_else(|| panic!("no row {head} in {id}: {section}"));
    row.split("<td").skip(1).map(|c| c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()].to_string()).collect()
}

/// `peel report` on the force's own records (issue 9 §5), for March 2025 (financial year
/// 2024/25, so the year to date is April 2024 to March 2025, and last year's is empty): each
/// figure counted here from the planted lines. Positive outcomes are types 1-4 and 6-8
/// assigned by the end of March: the February robbery's community resolution (8, 10 March)
/// counts, the burglary charged on 2 April does not.
fn board_paper(db: &str, dir: &Path, gaz: &Gaz, plants: &[Plant]) {
    let out = dir.join("paper.html");
    let board = "Test Strategic Board";
    ok(&peel_db(
        db,
        &["report", "--force", "west-midlands", "--month", "2025-03", "--board", board, "--out", out.to_str().unwrap()],
    ));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains(&format!("<p class=\"kicker\">{board}</p>")));
    let ytd: Vec<&Plant> = plants.iter().filter(|p| &p.recorded_at[..7] <= "2025-03").collect();
    let positive = |p: &&&Plant| p.outcome.is_some_and(|(t, d)| matches!(t, 1..=4 | 6..=8) && d <= "2025-03-31");
    for (code, name, reported) in [("28E", "Burglary", "7.3%"), ("34B", "Robbery", "9.2%")] {
        let crimes = ytd.iter().filter(|p| p.code == code).count();
        let pos = ytd.iter().filter(|p| p.code == code).filter(positive).count();
        let rate = format!("{:.1}%", pos as f64 * 100.0 / crimes as f64);
        assert_eq!(
            paper_row(&html, "outcome-rates", name),
            [crimes.to_string(), pos.to_string(), rate, reported.to_string()],
            "{name}"
        );
    }
    // Residential burglary (28E), March and the year to date; no households without ONS data.
    let rb = ytd.iter().filter(|p| p.code == "28E" && p.recorded_at.starts_with("2025-03")).count();
    let rb_ytd = ytd.iter().filter(|p| p.code == "28E").count();
    assert!(
        html.contains(&format!(
            "{rb} residential burglaries were recorded in March 2025: no rate: ONS households are not imported. Year \
             to date, {rb_ytd} against 0"
        )),
        "residential burglary"
    );
    // Flags: the month, the year to date, last year's (none: "n/a" change).
    let march: Vec<&Plant> = plants.iter().filter(|p| p.recorded_at.starts_with("2025-03")).collect();
    for (flag, head) in [("domestic-abuse", "Domestic abuse"), ("hate-crime:race", "Hate crime: race")] {
        let n = ytd.iter().filter(|p| p.flags.split(';').any(|f| f == flag)).count();
        let m = march.iter().filter(|p| p.flags.split(';').any(|f| f == flag)).count();
        assert_eq!(paper_row(&html, "vulnerability", head), [m.to_string(), n.to_string(), "0".into(), "n/a".into()]);
    }
    // Each flag's monthly trend: the months held (February and March 2025), the counts of
    // each, and too few months for control limits.
    let feb_da =
        plants.iter().filter(|p| p.recorded_at.starts_with("2025-02") && p.flags.contains("domestic-abuse")).count();
    let mar_da = march.iter().filter(|p| p.flags.contains("domestic-abuse")).count();
    assert!(
        html.contains(&format!(
            "Line chart of domestic abuse crimes per month, Feb-25 to Mar-25: Feb-25 {feb_da}, Mar-25 {mar_da}."
        )),
        "the domestic abuse trend"
    );
    assert!(html.contains("Domestic abuse: 2 month(s) of records, too few for control limits"));
    let youth = march.iter().filter(|p| p.code == "8N" && p.victim_age() < 25).count();
    assert!(
        html.contains(&format!(
            "seed 004 §24): {youth} crimes in March 2025 ({} days of harm)",
            thousands(youth as u64 * 365)
        )),
        "serious youth violence"
    );
    // Harm by NPU, as `peel areas --level npu` counts it: BW holds the B1 crimes, CV the CV1.
    let npu_of = |p: &&&Plant| {
        let lsoa = p.lsoa.as_ref()?;
        let district = gaz.iter().find(|r| &r.3 == lsoa).unwrap().0.split(' ').next().unwrap().to_string();
        Some(if district == "B1" { "Birmingham West" } else { "Coventry" })
    };
    for npu in ["Birmingham West", "Coventry"] {
        let here: Vec<&&Plant> = march.iter().filter(|p| npu_of(p) == Some(npu)).collect();
        let harm: f64 = here.iter().map(|p| cchi_days(p.code).unwrap_or(0.0)).sum();
        let row = paper_row(&html, "npus", npu);
        assert_eq!(row[0], here.len().to_string(), "{npu}");
        // Whole days as Rust's formatting rounds them (a half to even), as the paper prints.
        assert_eq!(row[1], thousands(format!("{harm:.0}").parse().unwrap()), "{npu}");
    }
    // The Impact Area table over the force's own Impact Areas: the windows need fifteen
    // months the store does not hold, so no status rather than a false fall.
    let impact = paper_row(&html, "impact-areas", "City Centre");
    assert_eq!(impact.first().map(String::as_str), Some("Birmingham West"));
    assert_eq!(impact.last().map(String::as_str), Some("n/a"));
    // Harm in the headline: each crime's own subgroup, not its category's average.
    let harm: f64 = march.iter().map(|p| cchi_days(p.code).unwrap_or(0.0)).sum();
    let harm_text = thousands(format!("{harm:.0}").parse().unwrap());
    assert!(
        html.contains(&format!("<dt>Crime harm</dt><dd><span class=\"figure\">{harm_text}</span>")),
        "headline harm {harm_text}"
    );
    // Crimes with no usable place are counted, and said.
    let unknown = march.iter().filter(|p| p.lsoa.is_none()).count();
    assert!(unknown > 0);
    assert!(html.contains(&format!("{unknown} crime(s) recorded in March 2025 have no usable place")), "place unknown");
    // Anti-social behaviour is not in the force's crime records: no zero tile.
    assert!(html.contains("<dt>Anti-social behaviour</dt><dd><span class=\"figure\">n/a</span>"));

    // One NPU's paper: its crimes only, no NPU table, the Impact Areas inside it.
    ok(&peel_db(
        db,
        &["report", "--force", "west-midlands", "--month", "2025-03", "--area", "bw", "--out", out.to_str().unwrap()],
    ));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Birmingham West NPU (West Midlands Police): crime and harm, March 2025"));
    assert!(!html.contains("id=\"h-npus\""));
    assert_eq!(paper_row(&html, "impact-areas", "City Centre")[0], "Birmingham West");
    let bw = march.iter().filter(|p| npu_of(p) == Some("Birmingham West")).count();
    let bw_burglary = ytd.iter().filter(|p| p.code == "28E" && npu_of(p) == Some("Birmingham West")).count();
    assert_eq!(paper_row(&html, "outcome-rates", "Burglary")[0], bw_burglary.to_string());
    assert!(
        html.contains(&format!("<dt>Crimes recorded</dt><dd><span class=\"figure\">{bw}</span>")),
        "the NPU's {bw} crimes in the headline"
    );
    // An area the store does not define: refused, naming the ones it does.
    let said = peel_db(
        db,
        &[
            "report",
            "--force",
            "west-midlands",
            "--month",
            "2025-03",
            "--area",
            "Atlantis",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(!said.status.success());
    let err = String::from_utf8_lossy(&said.stderr);
    assert!(err.contains("'Atlantis' is not an area") && err.contains("Birmingham West (BW)"), "{err}");
}

/// Records a crime through the casework service, as the force does.
fn record_a_crime(db: &str) -> peel_store::casework::Crime {
    use peel_casework::{DecisionInput, ReportInput};
    use serde_json::json;
    let mut store = peel_store::open(db).unwrap();
    let now = peel_domain::date::Timestamp::parse("2026-11-23T09:00").unwrap();
    let report: ReportInput = serde_json::from_value(json!({
        "channel": "101", "kind": "crime", "reported_at": "2026-11-23T09:00",
        "account": "Synthetic account: a shed broken into.",
        // Placed by its postcode, written as people type it; the LSOA sent is Peel's to derive.
        "place": {"postcode": "b11ay", "lsoa_code": "E01000001"},
    }))
    .unwrap();
    let report = peel_casework::submit_report(store.as_mut(), &report, "cst:test", now).unwrap();
    let incident = store.incident(report.incident.unwrap()).unwrap();
    let decision: DecisionInput = serde_json::from_value(json!({
        "version": incident.version, "decision": "crime",
        "victims": [{"person": {"New": {"name": "Test Victim One"}}, "offence_codes": ["28E"], "flags": []}],
    }))
    .unwrap();
    let (_, crimes) =
        peel_casework::record_decision(store.as_mut(), incident.id, &decision, "registrar:test", now).unwrap();
    crimes[0].clone()
}

#[test]
fn sqlite_import_crimes_places_counts_harm_strict_and_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("store.db");
    the_import(db.to_str().unwrap(), dir.path());
}

#[test]
fn postgres_import_crimes_places_counts_harm_strict_and_idempotent() {
    let pg = PgSchema::new("peel_crimes_test");
    let dir = tempfile::tempdir().unwrap();
    the_import(&pg.db, dir.path());
}

/// police.uk's wording of the planted outcomes, written out from data.police.uk's list (not
/// taken from Peel): charge (1) shows as awaiting court, 18 as no suspect identified.
fn police_uk_outcome(outcome: Option<(u8, &str)>) -> &'static str {
    match outcome.map(|o| o.0) {
        None => "Under investigation",
        Some(1) => "Awaiting court outcome",
        Some(18) => "Investigation complete; no suspect identified",
        Some(t) => panic!("no wording written for outcome {t}"),
    }
}

/// Splits a CSV line of the export (quoted fields may hold commas; none holds a quote).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// `peel export police-uk` of the planted March (after `the_import` on `db`): the 12-column
/// layout, a row per crime with a stable 64-hex Crime ID, categories, LSOAs and outcome
/// wordings as planted, every location moved to a postcode centroid (the nearest postcode's
/// for the crime placed by grid point) and named by its sector only, the unplaceable ones as
/// "No location"; and the file imported into the empty store `empty` gives the same counts by
/// category and LSOA.
fn the_export(db: &str, empty: &str, dir: &Path) {
    let gaz = gazetteer_subset(&dir.join("geography"));
    let mut march: Vec<Plant> = plants(&gaz).into_iter().filter(|p| p.recorded_at.starts_with("2025-03")).collect();
    // And the one line of the clashing file `the_import` stored.
    march.push(Plant {
        reference: "NEW/3".into(),
        recorded_at: "2025-03-21T11:00",
        code: "8N",
        postcode: "B1 1AY",
        point: None,
        flags: "",
        outcome: None,
        lsoa: Some(lsoa_of(&gaz, "B1 1AY")),
    });
    let file = dir.join("2025-03-west-midlands-street.csv");
    let export = |out: &Path| {
        ok(&peel_db(
            db,
            &[
                "export",
                "police-uk",
                "--force",
                "West Midlands Police",
                "--month",
                "2025-03",
                "--out",
                out.to_str().unwrap(),
            ],
        ))
    };
    let said = export(&file);
    assert!(said.contains(&format!("{} crime(s) of West Midlands Police recorded in 2025-03", march.len())), "{said}");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
    );
    let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    assert_eq!(rows.len(), march.len());
    assert!(rows.iter().all(|r| r.len() == 12), "{rows:?}");
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids.len(), rows.len(), "Crime IDs are distinct");
    assert!(ids.iter().all(|id| id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())), "{ids:?}");
    assert!(rows.iter().all(|r| r[1] == "2025-03"
        && r[2] == "West Midlands Police"
        && r[3] == "West Midlands Police"
        && r[11].is_empty()));

    // By category, LSOA and outcome, as planted.
    let count = |it: Vec<String>| {
        it.into_iter().fold(BTreeMap::new(), |mut m, k| {
            *m.entry(k).or_insert(0u64) += 1;
            m
        })
    };
    let want_cat = count(march.iter().map(|p| category(p.code).to_string()).collect());
    assert_eq!(count(rows.iter().map(|r| r[9].clone()).collect()), want_cat);
    // A crime the gazetteer cannot place is published without a place, as police.uk does.
    let want_lsoa = count(march.iter().map(|p| p.lsoa.clone().unwrap_or_default()).collect());
    assert_eq!(count(rows.iter().map(|r| r[7].clone()).collect()), want_lsoa);
    let want_outcome = count(march.iter().map(|p| police_uk_outcome(p.outcome).to_string()).collect());
    assert_eq!(count(rows.iter().map(|r| r[10].clone()).collect()), want_outcome);
    assert!(rows
        .iter()
        .filter(|r| r[7].is_empty())
        .all(|r| r[6] == "No location" && r[4].is_empty() && r[5].is_empty()));
    assert!(rows.iter().filter(|r| r[7].is_empty()).count() == 2);

    // Each placed crime sits on a postcode centroid of its own LSOA: the point converted back
    // to the grid lies within 2 m of one (projection round trip), and the Location names
    // that postcode's sector, not the postcode.
    let bng = peel_ingest::bng::BritishNationalGrid::new();
    for r in rows.iter().filter(|r| !r[7].is_empty()) {
        let (lon, lat): (f64, f64) = (r[4].parse().unwrap(), r[5].parse().unwrap());
        let (e, n) = bng.project(lon, lat).unwrap();
        let on = gaz
            .iter()
            .find(|g| ((g.1 as f64 - e).powi(2) + (g.2 as f64 - n).powi(2)).sqrt() < 2.0)
            .unwrap_or_else(|| panic!("{r:?} is on no postcode centroid ({e:.1}, {n:.1})"));
        assert_eq!(on.3, r[7], "{r:?}");
        let sector = &on.0[..on.0.len() - 2];
        assert_eq!(r[6], format!("On or near {sector}"), "{r:?}");
    }
    // The crime placed by grid point is moved off it.
    let (pe, pn) = (406_880.0, 286_390.0);
    assert!(rows.iter().filter(|r| !r[4].is_empty()).all(|r| {
        let (e, n) = bng.project(r[4].parse().unwrap(), r[5].parse().unwrap()).unwrap();
        ((e - pe).powi(2) + (n - pn).powi(2)).sqrt() > 1.0
    }));

    // Stable: the same file again, byte for byte.
    let again = dir.join("again.csv");
    export(&again);
    assert_eq!(std::fs::read(&again).unwrap(), text.as_bytes());
    // A month without crimes is "no data": refused, and no file.
    let none = dir.join("2025-06.csv");
    let out = peel_db(
        db,
        &["export", "police-uk", "--force", "west-midlands", "--month", "2025-06", "--out", none.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no data"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!none.exists());

    // Read back by police.uk's importer into an empty store: the same counts.
    ok(&peel_db(empty, &["import", "data", file.to_str().unwrap()]));
    let store = peel_store::open(empty).unwrap();
    let (cols, geo) = store.load_street_between(wmp(), ym("2025-03"), ym("2025-03")).unwrap();
    let cats = count(
        (0..cols.len())
            .map(|i| peel_domain::Category::from_code(cols.category[i]).unwrap().name().to_string())
            .collect(),
    );
    assert_eq!(cats, want_cat);
    let lsoas = count(
        (0..cols.len())
            .map(|i| geo.lsoas.get(cols.lsoa[i] as usize).map(|l| l.code.clone()).unwrap_or_default())
            .collect(),
    );
    assert_eq!(lsoas, want_lsoa);
}

#[test]
fn sqlite_export_police_uk_publishes_the_month_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let (db, empty) = (dir.path().join("store.db"), dir.path().join("published.db"));
    the_import(db.to_str().unwrap(), dir.path());
    the_export(db.to_str().unwrap(), empty.to_str().unwrap(), dir.path());
}

#[test]
fn postgres_export_police_uk_publishes_the_month_and_reads_back() {
    let (pg, empty) = (PgSchema::new("peel_export_test"), PgSchema::new("peel_published_test"));
    let dir = tempfile::tempdir().unwrap();
    the_import(&pg.db, dir.path());
    the_export(&pg.db, &empty.db, dir.path());
}
