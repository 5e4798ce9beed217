//! The synthetic force against the seeds: volumes, rates, places and people of one month,
//! determinism, and a month loaded into a SQLite store and read back through `Casework`.

use peel_demo::force::{self, Group, HOSPITALS, IMPACT_AREAS, NPUS, OFFENCE_MIX};
use peel_demo::{generate_month, names};
use peel_domain::date::Timestamp;
use peel_domain::outcome::outcome_type;
use peel_domain::YearMonth;
use peel_store::casework::Casework;
use peel_store::{BulkLoad, CaseworkBulk, SqliteStore};
use std::collections::HashSet;
use std::sync::OnceLock;

/// September 2024: a 30-day month of average season, long finished by `AS_OF`, so that
/// every crime has its outcome.
const MONTH: YearMonth = YearMonth { year: 2024, month: 9 };
const AS_OF: &str = "2026-11-01T00:00";

fn as_of() -> Timestamp {
    Timestamp::parse(AS_OF).unwrap()
}

fn month() -> &'static CaseworkBulk {
    static BATCH: OnceLock<CaseworkBulk> = OnceLock::new();
    BATCH.get_or_init(|| generate_month(1, MONTH, as_of()))
}

fn group_of(code: &str) -> Group {
    OFFENCE_MIX.iter().find(|o| o.0 == code).unwrap().2
}

fn is_positive(outcome: &Option<String>) -> bool {
    outcome.as_deref().is_some_and(|o| outcome_type(o).unwrap().group.is_positive())
}

fn within(what: &str, value: f64, target: f64, tolerance: f64) {
    assert!((value - target).abs() <= tolerance, "{what}: {value} is not within {tolerance} of {target}");
}

#[test]
fn the_same_seed_gives_the_same_month_and_another_seed_another() {
    let again = generate_month(1, MONTH, as_of());
    assert!(month() == &again, "seed 1 twice");
    let other = generate_month(2, MONTH, as_of());
    let n = 100;
    assert_ne!(month().people.name[..n], other.people.name[..n]);
    assert_ne!(month().reports.reported_at[..n], other.reports.reported_at[..n]);
    assert_ne!(month().crimes.offence_code[..n], other.crimes.offence_code[..n]);
    // A month does not depend on the months generated with it: the next month is another.
    let next = generate_month(1, MONTH.plus(1), as_of());
    assert_ne!(month().people.name[..n], next.people.name[..n]);
}

#[test]
fn a_month_has_the_seeds_volumes_and_rates() {
    let b = month();
    let c = &b.crimes;
    let crimes = c.incident.len() as f64;
    // Seed 001 §72: about 14,800 crimes a month.
    within("crimes", crimes, force::CRIMES_PER_MONTH, force::CRIMES_PER_MONTH * 0.05);
    // Seed 001 §80: domestic abuse about 1,460 a month.
    let da = c.flags.iter().filter(|f| f.iter().any(|x| x == "domestic-abuse")).count() as f64;
    within("domestic abuse", da, force::DOMESTIC_ABUSE_PER_MONTH, force::DOMESTIC_ABUSE_PER_MONTH * 0.10);
    // Seed 002 §32: burglary positive outcome rate about 7%.
    let burglary: Vec<usize> = (0..c.incident.len()).filter(|&i| group_of(&c.offence_code[i]).is_burglary()).collect();
    assert!(burglary.len() > 1000, "{} burglaries", burglary.len());
    let positive = burglary.iter().filter(|&&i| is_positive(&c.outcome[i])).count() as f64;
    within("burglary positive outcome rate", positive / burglary.len() as f64, 0.07, 0.02);
    // Every crime has its outcome by AS_OF, two years on.
    assert!(c.outcome.iter().all(Option::is_some));
    // Seed 002 §67: about 80% of victims answering the SMS survey are satisfied (8-10).
    let surveys: Vec<&String> =
        b.contacts.notes.iter().filter(|n| n.starts_with("Victim satisfaction survey")).collect();
    assert!(surveys.len() > 500, "{} surveys", surveys.len());
    let satisfied = surveys.iter().filter(|n| n.ends_with(", satisfied.")).count() as f64;
    within("satisfaction", satisfied / surveys.len() as f64, 0.80, 0.04);
    // Some obligations are met by contacts, some by nobody (the worklist is not empty).
    let meeting = b.contacts.meets.iter().filter(|m| **m != 0).count();
    assert!(meeting as f64 > crimes * 1.5, "{meeting} contacts meet obligations");
    let untold = b.events.told.iter().filter(|t| t.is_none()).count();
    assert!(untold > 0 && (untold as f64) < b.events.told.len() as f64 * 0.2);
    // Reports beyond crimes: non-crime incidents and intelligence.
    assert!(b.reports.kind.iter().any(|k| k == "intelligence"));
    assert!(b.incidents.status.iter().any(|s| s == "non-crime-domestic-abuse"));
    assert!(!b.suspects.crime.is_empty() && !b.evidence.crime.is_empty());
}

#[test]
fn every_unit_and_impact_area_has_crime_and_the_areas_are_hot() {
    let b = month();
    let locations: Vec<&str> = b.reports.location.iter().flatten().map(String::as_str).collect();
    for n in NPUS {
        let tag = format!(", {} (", n.code);
        let count = locations.iter().filter(|l| l.contains(&tag)).count();
        assert!(count > 300, "{}: {count}", n.name);
    }
    let mut in_areas = 0;
    for a in IMPACT_AREAS {
        let tag = format!(", {}, {} (", a.name, a.npu);
        let count = locations.iter().filter(|l| l.contains(&tag)).count();
        assert!(count > 0, "{}", a.name);
        in_areas += count;
    }
    // A fifth of the crime in the Impact Areas, and Birmingham City Centre the hottest.
    within("share in Impact Areas", in_areas as f64 / locations.len() as f64, force::IMPACT_AREA_SHARE, 0.03);
    let centre = locations.iter().filter(|l| l.contains(", Birmingham City Centre, BW (")).count();
    let willenhall = locations.iter().filter(|l| l.contains(", Willenhall, WS (")).count();
    assert!(centre > 20 * willenhall, "{centre} vs {willenhall}");
    // Hot streets: the commonest street of the city centre holds many of its crimes.
    let mut streets = std::collections::HashMap::new();
    for l in locations.iter().filter(|l| l.contains(", Birmingham City Centre, BW (")) {
        *streets.entry(l.split(", ").next().unwrap()).or_insert(0) += 1;
    }
    let top = streets.values().max().unwrap();
    assert!(*top as f64 > centre as f64 * 0.1, "top street {top} of {centre}");
}

#[test]
fn hospitals_are_sites_with_crime_and_intelligence() {
    let b = month();
    let names: Vec<&str> = b.sites.iter().map(|s| s.name.as_str()).collect();
    for h in ["Heartlands Hospital", "Queen Elizabeth Hospital", "Good Hope Hospital"] {
        assert!(names.contains(&h), "{h}");
    }
    assert_eq!(b.sites.len(), HOSPITALS.len());
    let heartlands = names.iter().position(|n| *n == "Heartlands Hospital").unwrap() as u32;
    let reports: Vec<usize> = (0..b.reports.site.len()).filter(|&i| b.reports.site[i] == Some(heartlands)).collect();
    assert!(reports.iter().any(|&i| b.reports.kind[i] == "intelligence"));
    let crimes = reports.iter().filter(|&&i| b.reports.kind[i] == "crime").count();
    assert!((20..=80).contains(&crimes), "{crimes} crimes at Heartlands");
    let flagged = b.crimes.flags.iter().filter(|f| f.iter().any(|x| x == "hospital-site")).count();
    assert!(flagged > 150, "{flagged}");
}

#[test]
fn people_are_synthetic() {
    let b = month();
    let given: HashSet<&str> = names::GIVEN_FEMALE.iter().chain(names::GIVEN_MALE).copied().collect();
    let surnames: HashSet<&str> = names::SURNAMES.iter().copied().collect();
    let trusts: HashSet<&str> = HOSPITALS.iter().map(|h| h.organisation).collect();
    let p = &b.people;
    let mut again = 0;
    for i in 0..p.name.len() {
        let name = p.name[i].as_str();
        if p.is_business[i] {
            let business = names::BUSINESS_SUFFIXES
                .iter()
                .any(|s| name.strip_suffix(s).and_then(|n| n.strip_suffix(' ')).is_some_and(|n| surnames.contains(n)));
            assert!(business || trusts.contains(name) || name == names::STATE_VICTIM, "business {name}");
        } else {
            let (g, s) = name.split_once(' ').unwrap();
            // A repeat victim recorded again has their surname typed with one slip.
            let typed_again = surnames.iter().any(|k| one_slip(k, s));
            assert!(given.contains(g) && (surnames.contains(s) || typed_again), "{name}");
            if !surnames.contains(s) {
                again += 1;
            }
        }
    }
    let individuals = p.is_business.iter().filter(|b| !**b).count();
    assert!(again > 0 && again * 50 < individuals, "{again} of {individuals} recorded again");
}

/// One letter changed, dropped, added or swapped with its neighbour, or an "e" added.
fn one_slip(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    match a.len() as i64 - b.len() as i64 {
        0 => {
            let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            diff.len() == 1
                || (diff.len() == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]])
        }
        1 | -1 => {
            let (long, short) = if a.len() > b.len() { (&a, &b) } else { (&b, &a) };
            (0..long.len()).any(|i| {
                let mut l = long.clone();
                l.remove(i);
                &l == short
            })
        }
        _ => false,
    }
}

#[test]
fn names_are_not_in_the_seeds() {
    // The seeds are shared/seeds beside the checkout (or PEEL_SEEDS): without them this test
    // fails rather than pass having checked nothing.
    let dir = std::env::var_os("PEEL_SEEDS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds"));
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the seed documents are not at {} ({e}): set PEEL_SEEDS", dir.display()));
    let mut text = String::new();
    for e in entries.flatten() {
        if e.path().extension().is_some_and(|x| x == "txt") {
            text.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
        }
    }
    assert!(text.len() > 10_000, "no seed text found in {}", dir.display());
    let words: HashSet<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
    for n in names::GIVEN_FEMALE.iter().chain(names::GIVEN_MALE).chain(names::SURNAMES) {
        assert!(!words.contains(n), "{n} appears in the seeds: pick another name");
    }
    // Nor any slip of a surname a person recorded again may have.
    let mut found: Vec<String> =
        names::SURNAMES.iter().flat_map(|s| names::slips(s)).filter(|w| words.contains(w.as_str())).collect();
    found.sort();
    found.dedup();
    assert!(found.is_empty(), "{found:?} appear in the seeds: add them to names::AVOID");
}

#[test]
fn a_month_loads_into_the_store_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("demo.db")).unwrap();
    let b = month();
    let out = store.load_casework_bulk(b).unwrap();
    assert_eq!(out.crimes as usize, b.crimes.incident.len());
    assert_eq!(out.sites_added as usize, HOSPITALS.len());
    assert!(out.obligations > out.crimes * 12, "{} obligations", out.obligations);
    assert!(out.obligations_met > out.crimes * 5);
    assert_eq!(store.foreign_key_violations().unwrap(), 0);
    let (first, last) = (out.first_crime_id.unwrap(), out.last_crime_id.unwrap());
    // A few crimes spread over the month: each has its victim and the Code's obligations.
    for id in [first, first + 4321, (first + last) / 2, last - 17, last] {
        let file = store.crime(id).unwrap();
        let victims: Vec<_> = file.people.iter().filter(|p| p.role == "victim").collect();
        assert_eq!(victims.len(), 1, "crime {id}");
        assert!(file.obligations.len() >= 12, "crime {id}");
        assert!(file.obligations.iter().any(|o| o.entitlement == "4-referral" && o.due.is_some()));
        assert!(file.crime.reference.starts_with("CRM-2024-"), "{}", file.crime.reference);
        let inc = store.incident(file.crime.incident).unwrap();
        assert_eq!(inc.status, "crime");
        assert!(inc.thrive.is_some());
        let report = store.report(inc.report).unwrap();
        assert!(report.location.is_some());
        assert!(!store.crimes_for_incident(inc.id).unwrap().is_empty());
    }
    // The worklist: obligations left unmet, oldest first.
    let due = store
        .obligations_due(peel_domain::date::Date::parse("2024-10-31").unwrap(), &peel_store::casework::Scope::default())
        .unwrap();
    assert!(!due.is_empty());
    assert!(due.iter().any(|d| d.overdue));
    assert!(due.iter().all(|d| d.obligation.met_at.is_none()));
    assert!(due.windows(2).all(|w| w[0].obligation.due <= w[1].obligation.due));
    let officer = due[0].officer.clone().unwrap();
    assert!(store
        .obligations_due(
            peel_domain::date::Date::parse("2024-10-31").unwrap(),
            &peel_store::casework::Scope::officer(&officer)
        )
        .unwrap()
        .iter()
        .all(|d| d.officer.as_deref() == Some(officer.as_str())));
    // Hospitals are the store's sites, with their reports.
    let sites = store.sites().unwrap();
    let heartlands = sites.iter().find(|s| s.details.name == "Heartlands Hospital").unwrap();
    assert!(!store.reports_for_site(heartlands.id).unwrap().is_empty());
    // One audit row for the batch.
    let trail = store.audit_trail(peel_demo::SOURCE, first).unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor, peel_demo::ACTOR);
    assert!(store.casework_rows().unwrap() > 0);
    // The next month continues the ids.
    let next = store.load_casework_bulk(&generate_month(1, MONTH.plus(1), as_of())).unwrap();
    assert_eq!(next.first_crime_id, Some(last + 1));
    assert_eq!(next.sites_added, 0);
}

/// The board paper's compliance is counted by the store, each obligation classified in SQL
/// and the classes added up as they stream (`CaseStore::obligation_compliance`); it must agree, right by right, team by team and
/// officer by officer, with the rule applied to each obligation in Rust
/// (`performance::compliance`), on a demo month's obligations met on time, late, not yet and
/// never, on SQLite and on PostgreSQL, on days before, during and after their due dates.
#[test]
fn the_stores_compliance_counts_agree_with_the_rule_obligation_by_obligation() {
    use peel_casework::performance::{compliance, compliance_by_right_and_team};
    use peel_domain::date::Date;
    use peel_store::casework::Due;
    let url =
        std::env::var("PEEL_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("peel_demo_compliance_{}", std::process::id());
    // The schema is dropped however the test ends.
    struct DropSchema(String, String);
    impl Drop for DropSchema {
        fn drop(&mut self) {
            let _ = peel_store::PostgresStore::drop_schema(&self.0, &self.1);
        }
    }
    let _guard = DropSchema(url.clone(), schema.clone());
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(&dir.path().join("demo.db")).unwrap();
    let postgres = peel_store::PostgresStore::open_in_schema(&url, &schema)
        .unwrap_or_else(|e| panic!("PostgreSQL at {url} (bash .ci/run starts it): {e}"));
    let mut stores: Vec<Box<dyn peel_store::CaseStore>> = vec![Box::new(sqlite), Box::new(postgres)];
    let (from, to) = (Date::parse("2024-09-01").unwrap(), Date::parse("2024-09-30").unwrap());
    for store in stores.iter_mut() {
        store.load_casework_bulk(month()).unwrap();
        let facts = store.obligation_facts(from, to).unwrap();
        assert!(facts.len() > 100_000, "{} obligations", facts.len());
        // Both forms of due (a minute, a day) are among them.
        let at = |f: &&peel_store::casework::ObligationFact| matches!(f.obligation.due, Some(Due::At(_)));
        let by = |f: &&peel_store::casework::ObligationFact| matches!(f.obligation.due, Some(Due::By(_)));
        let (minute, day) = (facts.iter().filter(at).count(), facts.iter().filter(by).count());
        assert!(minute > 1_000 && day > 1_000, "{minute} due at a minute, {day} by a day");
        for day in ["2024-09-09", "2024-09-30", "2024-10-15", "2026-12-31"] {
            let as_of = Date::parse(day).unwrap();
            let (want, got) =
                (compliance(&facts, as_of), compliance_by_right_and_team(&**store, from, to, as_of).unwrap());
            assert!(
                want.overall.met_late > 0 && want.overall.unmet > 0 && want.overall.met_on_time > 0,
                "{day}: {:?}",
                want.overall
            );
            if day == "2024-09-09" {
                // Early in the month many are neither due nor met: pending, counted nowhere.
                let with_due = facts.iter().filter(|f| f.obligation.due.is_some()).count() as u64;
                assert!(
                    with_due > want.overall.due + 1_000,
                    "{with_due} with a due time, {} counted",
                    want.overall.due
                );
            }
            assert_eq!(got.overall, want.overall, "{day}");
            assert_eq!(got.by_right, want.by_right, "{day}");
            assert_eq!(got.by_team, want.by_team, "{day}");
            assert_eq!(got.by_officer, want.by_officer, "{day}");
        }
    }
    drop(stores);
}
