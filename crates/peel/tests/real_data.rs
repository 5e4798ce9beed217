//! The real public files in ../shared/data, imported through the real binary, and the figures
//! `peel stats` gives for West Yorkshire in July 2016 and July 2017.
//!
//! Every expected figure here was computed independently of Peel, with Python's standard
//! `csv` module over the same files (no pandas, no Peel code):
//!
//! ```python
//! import csv, collections
//! wy = {r['LSOA Code'] for r in csv.DictReader(open('ons/lsoa-2011-to-police-force.csv'))
//!       if r['Police_force'] == 'West Yorkshire'}
//! rows = list(csv.reader(open('ons/lsoa-2011-population-households.csv', newline='')))
//! pop = sum(int(r[9].replace(',', '')) for r in rows[1:] if r[6] in wy)        # 2,226,058
//! rs = list(csv.DictReader(open('police-uk/2017-07-west-yorkshire-street.csv', newline='')))
//! crimes = [r for r in rs if r['Crime type'] != 'Anti-social behaviour']      # 22,582
//! collections.Counter(r['Crime type'] for r in rs)                             # by category
//! collections.Counter(r['Last outcome category'] for r in crimes)              # outcomes
//! len(crimes) / pop * 1000                                                     # 10.1443897...
//! w = {}  # CCHI: per category, sum(days × national count) / sum(national count)
//! sum(w[r['Crime type']] for r in crimes)                                      # 2,207,534.83
//! ```

mod common;
use common::*;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

/// One store with everything in ../shared/data imported, shared by the tests in this file.
fn store() -> &'static PathBuf {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("peel.db");
        let data = shared_data();
        let out = ok(&peel(&db, &["import", "data", data.to_str().unwrap()]));
        assert!(out.contains("imported 7 file(s)"), "{out}");
        (dir, db)
    })
    .1
}

fn stats(month: &str) -> Value {
    let out = ok(&peel(store(), &["stats", "--force", "West Yorkshire", "--month", month, "--json"]));
    serde_json::from_str(&out).unwrap()
}

#[test]
fn july_2017_headline_figures() {
    let s = stats("2017-07");
    assert_eq!(s["force"], "West Yorkshire Police");
    assert_eq!(s["month"], "2017-07");
    assert_eq!(s["crimes"], 22_582);
    assert_eq!(s["asb"], 5_955);
    assert_eq!(s["population"], 2_226_058);
    assert_eq!(s["households"], 922_452);
    let rate = s["rate_per_1000"].as_f64().unwrap();
    assert!((rate - 10.144389768820039).abs() < 1e-9, "{rate}");
    let harm = s["harm"].as_f64().unwrap();
    assert!((harm - 2_207_534.829918).abs() < 1e-3, "{harm}");
}

#[test]
fn july_2017_by_category() {
    let s = stats("2017-07");
    let expected = [
        ("Violence and sexual offences", 7503),
        ("Criminal damage and arson", 2714),
        ("Other theft", 2399),
        ("Burglary", 2231),
        ("Vehicle crime", 2096),
        ("Public order", 2091),
        ("Shoplifting", 1561),
        ("Other crime", 526),
        ("Drugs", 480),
        ("Theft from the person", 333),
        ("Robbery", 247),
        ("Bicycle theft", 243),
        ("Possession of weapons", 158),
    ];
    let by = s["by_category"].as_object().unwrap();
    assert_eq!(by.len(), 13, "13 crime categories, ASB apart");
    for (c, n) in expected {
        assert_eq!(by[c], n, "{c}");
    }
    assert!(by.get("Anti-social behaviour").is_none());
}

#[test]
fn july_2016_figures() {
    let s = stats("2016-07");
    assert_eq!(s["crimes"], 19_747);
    assert_eq!(s["asb"], 7_429);
    let rate = s["rate_per_1000"].as_f64().unwrap();
    assert!((rate - 8.870838046448027).abs() < 1e-9, "{rate}");
    let by = &s["by_category"];
    for (c, n) in [
        ("Violence and sexual offences", 6000),
        ("Criminal damage and arson", 2683),
        ("Other theft", 2262),
        ("Burglary", 2131),
        ("Vehicle crime", 1990),
        ("Public order", 1440),
        ("Shoplifting", 1388),
        ("Other crime", 467),
        ("Drugs", 448),
        ("Theft from the person", 370),
        ("Bicycle theft", 254),
        ("Robbery", 189),
        ("Possession of weapons", 125),
    ] {
        assert_eq!(by[c], n, "{c}");
    }
    assert_eq!(s["outcomes"]["Investigation complete; no suspect identified"], 8_602);
    assert_eq!(s["outcomes"]["Offender given a drugs possession warning"], 1);
}

#[test]
fn july_2017_outcomes() {
    let s = stats("2017-07");
    let expected = [
        ("Action to be taken by another organisation", 186),
        ("Awaiting court outcome", 32),
        ("Court case unable to proceed", 96),
        ("Court result unavailable", 607),
        ("Defendant found not guilty", 283),
        ("Defendant sent to Crown Court", 2),
        ("Formal action is not in the public interest", 38),
        ("Further investigation is not in the public interest", 303),
        ("Investigation complete; no suspect identified", 9447),
        ("Local resolution", 546),
        ("Offender deprived of property", 11),
        ("Offender fined", 100),
        ("Offender given a caution", 318),
        ("Offender given absolute discharge", 8),
        ("Offender given community sentence", 290),
        ("Offender given conditional discharge", 98),
        ("Offender given penalty notice", 1),
        ("Offender given suspended prison sentence", 137),
        ("Offender ordered to pay compensation", 11),
        ("Offender otherwise dealt with", 50),
        ("Offender sent to prison", 375),
        ("Status update unavailable", 1643),
        ("Suspect charged as part of another case", 24),
        ("Unable to prosecute suspect", 7976),
    ];
    let o = s["outcomes"].as_object().unwrap();
    assert_eq!(o.len(), expected.len());
    for (k, n) in expected {
        assert_eq!(o[k], n, "{k}");
    }
    // Every crime has an outcome string in these files, so the groups add to the crimes.
    let groups: u64 = s["outcome_groups"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(groups, 22_582);
}

#[test]
fn year_to_date_compares_july_with_july() {
    let s = stats("2017-07");
    let y = &s["ytd"];
    assert_eq!(y["financial_year"], "2017/18");
    assert_eq!((y["current"].as_f64(), y["previous"].as_f64()), (Some(22_582.0), Some(19_747.0)));
    let pct = y["change_pct"].as_f64().unwrap();
    assert!((pct - (22_582.0 - 19_747.0) / 19_747.0 * 100.0).abs() < 1e-9);
    // Only July was published of April-July in either year, and the figures say so.
    assert_eq!((y["months_with_data"].as_u64(), y["months_in_period"].as_u64()), (Some(1), Some(4)));
}

#[test]
fn home_office_and_ons_are_stored_whole() {
    use peel_store::{SqliteStore, Store};
    let s = SqliteStore::open(store()).unwrap();
    let h = s.holdings().unwrap();
    // 23,068 rows, of which the homicide line is split in four under one code: 22,540 keys.
    assert_eq!(h.recorded_crime_rows, 22_540);
    // ONS: 34,753 LSOAs with population; the police.uk files add none outside them.
    assert_eq!(h.lsoas, 34_753);
    assert_eq!(h.lsoas_with_population, 34_753);
    // West Yorkshire 2017/18, sum of Number_of_Offences over its 524 rows.
    let wy: i64 = s.recorded_crime(42).unwrap().iter().map(|r| r.offences).sum();
    assert_eq!(wy, 265_520);
    let street = &h.street;
    assert_eq!(street.len(), 1);
    assert_eq!(street[0].rows, 27_176 + 28_537);
}

#[test]
fn importing_again_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("again.db");
    let file = shared_data().join("police-uk/2016-07-west-yorkshire-street.csv");
    let first = ok(&peel(&db, &["import", "police-uk", file.to_str().unwrap()]));
    assert!(first.contains("27176 rows, 27176 new, 0 already stored"), "{first}");
    let second = ok(&peel(&db, &["import", "police-uk", file.to_str().unwrap()]));
    assert!(second.contains("27176 rows, 0 new, 27176 already stored"), "{second}");
    let s: Value = serde_json::from_str(&ok(&peel(&db, &["stats", "--force", "west-yorkshire", "--json"]))).unwrap();
    assert_eq!(s["crimes"], 19_747);
    assert_eq!(s["month"], "2016-07", "the latest month held is the default");
    assert_eq!(s["population"], 0, "no ONS data imported");
    assert!(s["rate_per_1000"].is_null());
}

#[test]
fn unknown_force_is_a_clear_error() {
    let out = peel(store(), &["stats", "--force", "Gotham", "--month", "2017-07"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--force: 'Gotham' is not a force"), "{err}");
    let out = peel(store(), &["stats", "--force", "West Yorkshire", "--month", "July"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--month: 'July' is not a month"));
}

#[test]
fn board_paper_from_real_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("paper.html");
    ok(&peel(
        store(),
        &["report", "--force", "West Yorkshire Police", "--month", "2017-07", "--out", out.to_str().unwrap()],
    ));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Contains public sector information licensed under the Open Government Licence v3.0."));
    assert!(html.contains("West Yorkshire Police"));
    assert!(html.contains("22,582"), "headline crimes with a thousands separator");
    assert!(html.matches("<svg").count() >= 3);
    assert!(!html.contains("<script"), "no JavaScript needed to read the paper");
}

#[test]
fn local_authorities_of_west_yorkshire() {
    // Independently: Python csv, LSOA code → ONS "Local authority name", crimes of July 2017
    // per authority; population = ONS persons of the authority's West Yorkshire LSOAs.
    let out =
        ok(&peel(store(), &["areas", "--force", "West Yorkshire", "--month", "2017-07", "--level", "la", "--json"]));
    let rows: Value = serde_json::from_str(&out).unwrap();
    let find = |name: &str| rows.as_array().unwrap().iter().find(|r| r["name"] == name).cloned().unwrap();
    for (la, crimes, population) in [
        ("Leeds", 7664, 751_485),
        ("Bradford", 5514, 522_452),
        ("Kirklees", 3215, 422_458),
        ("Wakefield", 2828, 325_837),
        ("Calderdale", 1856, 203_826),
    ] {
        let r = find(la);
        assert_eq!(r["crimes"], crimes, "{la}");
        assert_eq!(r["population"], population, "{la}");
        let rate = r["rate_per_1000"].as_f64().unwrap();
        assert!((rate - crimes as f64 / population as f64 * 1000.0).abs() < 1e-9, "{la}");
    }
    // A crime snapped just over the border counts where it happened, with no WY population.
    assert_eq!(find("Barnsley")["population"], 0);
}

#[test]
fn the_areas_table_has_a_header_row_and_a_limit() {
    let args = ["areas", "--force", "West Yorkshire", "--month", "2017-07", "--level", "lsoa"];
    let all: Value = serde_json::from_str(&ok(&peel(store(), &[&args[..], &["--json"]].concat()))).unwrap();
    let all = all.as_array().unwrap();
    assert!(all.len() > 1000, "every LSOA with crime in JSON: {}", all.len());
    let out = ok(&peel(store(), &[&args[..], &["--limit", "4"]].concat()));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "West Yorkshire Police — 2017-07 to 2017-07");
    let header: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(header, ["area", "crimes", "harm", "share", "population", "per", "1,000"], "{out}");
    assert_eq!(lines.len(), 2 + 4 + 1, "{out}");
    for (line, row) in lines[2..6].iter().zip(all) {
        assert!(line.starts_with(row["name"].as_str().unwrap()), "highest harm first: {line}");
    }
    let left_out = all.len() - 4;
    let more = format!("… {},{:03} more (use --limit", left_out / 1000, left_out % 1000);
    assert!(lines[6].starts_with(&more), "{}, not {more}", lines[6]);
    // 100 rows unless told; --top N, as before, and --limit 0 for all of them.
    assert_eq!(ok(&peel(store(), &args)).lines().count(), 2 + 100 + 1);
    assert_eq!(ok(&peel(store(), &[&args[..], &["--top", "2"]].concat())).lines().count(), 2 + 2 + 1);
    assert_eq!(ok(&peel(store(), &[&args[..], &["--limit", "0"]].concat())).lines().count(), 2 + all.len());
    let cut: Value =
        serde_json::from_str(&ok(&peel(store(), &[&args[..], &["--json", "--top", "3"]].concat()))).unwrap();
    assert_eq!(cut.as_array().unwrap().len(), 3);
}

#[test]
fn piped_into_a_reader_that_stops_early() {
    // `peel stats … --json | head -1`, and the reader gone before the first line.
    let stats = ["stats", "--force", "West Yorkshire", "--month", "2017-07", "--json"];
    // The LSOA table is larger than a pipe holds: peel has lines left to write.
    let areas = ["areas", "--force", "West Yorkshire", "--month", "2017-07", "--level", "lsoa", "--json"];
    assert!(ok(&peel(store(), &areas)).len() > 64 * 1024);
    for args in [&stats[..], &areas, &["status"]] {
        for read in [1, 0] {
            let (status, stderr) = close_early(store(), args, read);
            assert!(!stderr.contains("panicked"), "peel {args:?}, reader closed after {read} line(s):\n{stderr}");
            assert!(status.success(), "peel {args:?}, reader closed after {read} line(s): {status}\n{stderr}");
        }
    }
}

/// The board paper's comparison with England and Wales (issue 9 §5), worked out here from
/// the Home Office table's own `Offence_Group` column and the ONS files, not from Peel's
/// offence lookup: crimes per 1,000 people of 2017/18 for West Yorkshire, for its most similar
/// forces pooled (Greater Manchester, Merseyside, Northumbria, South Yorkshire, West
/// Midlands: Peel's default, peel-domain `MOST_SIMILAR`), and for every territorial force
/// pooled, each over the ONS 2011 residents of the LSOAs the ONS lookup places in it.
#[test]
fn board_paper_compares_with_england_and_wales() {
    use std::collections::HashMap;
    let data = shared_data();
    let mut force_of_lsoa: HashMap<String, String> = HashMap::new();
    let mut r = csv::Reader::from_path(data.join("ons/lsoa-2011-to-police-force.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let (lsoa_col, force_col) =
        (h.iter().position(|x| x == "LSOA Code").unwrap(), h.iter().position(|x| x == "Police_force").unwrap());
    for rec in r.records() {
        let rec = rec.unwrap();
        force_of_lsoa.insert(rec[lsoa_col].to_string(), rec[force_col].to_string());
    }
    let mut people: HashMap<String, f64> = HashMap::new();
    let mut r = csv::Reader::from_path(data.join("ons/lsoa-2011-population-households.csv")).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        if let Some(f) = force_of_lsoa.get(&rec[6]) {
            *people.entry(f.clone()).or_default() += rec[9].replace(',', "").parse::<f64>().unwrap();
        }
    }
    // Offences by (force, group), and in all groups, over the four quarters.
    let mut offences: HashMap<(String, String), f64> = HashMap::new();
    let mut r = csv::Reader::from_path(data.join("home-office/prc-pfa-2017-18.csv")).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        let (force, group, n) = (rec[3].to_string(), rec[5].to_string(), rec[8].parse::<f64>().unwrap());
        *offences.entry((force.clone(), group)).or_default() += n;
        *offences.entry((force, "All offences".into())).or_default() += n;
    }
    // The Home Office's and the ONS's spellings differ for the City of London only.
    let ons_name = |ho: &str| if ho == "London, City of" { "City of London".to_string() } else { ho.to_string() };
    let rate = |forces: &[&str], group: &str| -> f64 {
        let n: f64 =
            forces.iter().map(|f| offences.get(&(f.to_string(), group.to_string())).copied().unwrap_or(0.0)).sum();
        let p: f64 = forces.iter().map(|f| people[&ons_name(f)]).sum();
        n * 1000.0 / p
    };
    let similar = ["Greater Manchester", "Merseyside", "Northumbria", "South Yorkshire", "West Midlands"];
    let territorial: Vec<String> =
        offences.keys().map(|(f, _)| f.clone()).filter(|f| people.contains_key(&ons_name(f))).collect();
    let mut territorial: Vec<&str> = territorial.iter().map(String::as_str).collect();
    territorial.sort();
    territorial.dedup();
    // The ONS files hold English LSOAs only: the four Welsh forces have no residents here, and
    // Peel's pool is the 39 English forces (the paper says so).
    assert_eq!(territorial.len(), 39, "{territorial:?}");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("paper.html");
    let board = "West Yorkshire Police and Crime Panel";
    ok(&peel(
        store(),
        &[
            "report",
            "--force",
            "west-yorkshire",
            "--month",
            "2017-07",
            "--board",
            board,
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains(&format!("<p class=\"kicker\">{board}</p>")), "the configured board heads the paper");
    assert!(!html.contains("Strategic Policing and Crime Board"), "no board the user did not name");
    let section = &html[html.find("id=\"h-comparison\"").expect("a comparison section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("2017/18"), "{section}");
    assert!(
        section.contains("pools the 39 forces")
            && ["Dyfed-Powys Police", "Gwent Police", "North Wales Police", "South Wales Police"]
                .iter()
                .all(|f| section.contains(f)),
        "the Welsh forces left out are named: {section}"
    );
    for group in ["Robbery", "Sexual offences", "Theft offences", "All offences"] {
        let row = section.split("<tr").find(|r| r.contains(&format!(">{group}</th>"))).unwrap_or_else(|| {
            panic!("no row for {group} in {section}");
        });
        for (who, want) in [
            ("force", rate(&["West Yorkshire"], group)),
            ("similar", rate(&similar, group)),
            ("England and Wales", rate(&territorial, group)),
        ] {
            let cell = format!("{want:.2}");
            assert!(row.contains(&format!(">{cell}</td>")), "{group}, {who}: {cell} not in {row}");
        }
    }
    // The same without --board: a neutral heading, no board named.
    ok(&peel(store(), &["report", "--force", "west-yorkshire", "--month", "2017-07", "--out", out.to_str().unwrap()]));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<p class=\"kicker\">Crime and harm report</p>"));
    // police.uk data: none of the sections only the force's own records give.
    for id in ["outcome-rates", "vulnerability", "victims-code"] {
        assert!(!html.contains(&format!("id=\"h-{id}\"")), "{id} in a police.uk paper");
    }
}
