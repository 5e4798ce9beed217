//! `peel bench-crimes`: times `peel import crimes` on a synthetic history of a force (issue
//! 9): `--lines` crimes written as a force's previous system would export them, placed at
//! real postcodes of the gazetteer in `../shared/data/geography` (public Code-Point Open
//! positions; no person's name or detail is in the data), imported into a fresh store.
//!
//! The generator is deterministic (a fixed-seed xorshift), so every run times the same file.
//! The lines mix what an export holds: most crimes with a postcode, some with a grid point
//! only (placed through the nearest-postcode search), some with neither; flags, victims,
//! outcomes and teams on a share of them.

use anyhow::{bail, Result};
use peel_domain::date::{Date, Timestamp};
use peel_domain::Force;
use peel_ingest::{FileKind, ImportOptions, NoProgress};
use peel_store::{normalise_postcode, SqliteStore, Store};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Crimes to generate and import.
    #[arg(long, default_value_t = 1_000_000)]
    lines: u64,
    /// Folder with the real data (geography/ as in ../shared/data).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Working folder for the generated file and the store.
    #[arg(long, default_value = "target/bench-crimes")]
    work: PathBuf,
    /// Also time the import into this PostgreSQL store (a URL; a schema of its own there is
    /// advised: `?options=-csearch_path%3Dname`).
    #[arg(long)]
    postgres: Option<String>,
}

/// A fixed-seed xorshift: the same file every run, without a dependency.
pub struct Draw(u64);

impl Draw {
    pub fn new(seed: u64) -> Draw {
        Draw(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Offence codes a force records most, with how often in 100 (roughly a force's mix).
const OFFENCES: &[(&str, u64)] = &[
    ("8N", 14),
    ("8L", 10),
    ("3A", 9),
    ("58A", 8),
    ("46", 8),
    ("49", 7),
    ("28E", 5),
    ("30C", 5),
    ("45", 5),
    ("9A", 4),
    ("34B", 4),
    ("92A", 4),
    ("37.2", 4),
    ("28A", 3),
    ("48", 3),
    ("58C", 3),
    ("17A", 2),
    ("19C", 2),
];

const FLAGS: &[&str] = &["domestic-abuse", "business-crime", "hate-crime:race", "retail-worker-assault"];
const OUTCOMES: &[u8] = &[18, 14, 16, 1, 8, 2, 3, 6, 21, 15, 20, 22];
const TEAMS: &[&str] = &[
    "Birmingham East NPT",
    "Birmingham West NPT",
    "Coventry NPT",
    "Dudley NPT",
    "Sandwell NPT",
    "Solihull NPT",
    "Walsall NPT",
    "Wolverhampton NPT",
    "Public Protection Unit",
    "Force CID",
];

pub const HEADER: &str = "reference,recorded_at,occurred_at,offence_code,postcode,easting,northing,flags,victim_age,victim_sex,outcome_type,outcome_date,team";

/// Writes `lines` synthetic crimes (the header first) recorded from 2024-04-01 over a year,
/// placed at the `postcodes` given (postcode, easting, northing). Numbered in the order
/// recorded, as a records system issues its numbers (until 2026-12-06 the times were drawn
/// apart from the numbers, an export no system writes; BENCHMARKS.md gives both files'
/// rates for that day's change).
pub fn generate(out: &mut impl Write, lines: u64, postcodes: &[(String, i32, i32)], seed: u64) -> std::io::Result<()> {
    let mut d = Draw::new(seed);
    let start = Timestamp::new(Date::new(2024, 4, 1).expect("a date"), 0, 0).expect("a time").minutes_since_epoch();
    let total: u64 = OFFENCES.iter().map(|o| o.1).sum();
    let mut times: Vec<i64> = (0..lines).map(|_| start + d.below(365 * 24 * 60) as i64).collect();
    times.sort_unstable();
    writeln!(out, "{HEADER}")?;
    for (i, minutes) in times.into_iter().enumerate() {
        let recorded = Timestamp::from_minutes(minutes);
        let occurred = match d.below(5) {
            0 => String::new(),
            _ => recorded.add_minutes(-(d.below(72 * 60) as i64)).to_string(),
        };
        let mut pick = d.below(total);
        let offence = OFFENCES
            .iter()
            .find(|o| {
                pick < o.1 || {
                    pick -= o.1;
                    false
                }
            })
            .map_or("8N", |o| o.0);
        let (pc, e, n) = &postcodes[d.below(postcodes.len() as u64) as usize];
        let place = match d.below(10) {
            0 => String::from(",,"),
            1 => format!(",{},{}", e + d.below(300) as i32, n + d.below(300) as i32),
            _ => format!("{pc},,"),
        };
        let flags = match d.below(20) {
            0 | 1 => FLAGS[0].to_string(),
            2 => format!("{};{}", FLAGS[1], FLAGS[3]),
            3 => FLAGS[2].to_string(),
            _ => String::new(),
        };
        let (age, sex) = match d.below(10) {
            0..=6 => ((16 + d.below(75)).to_string(), ["F", "M", "U"][d.below(3) as usize]),
            _ => (String::new(), ""),
        };
        let outcome = match d.below(10) {
            0..=5 => {
                let t = OUTCOMES[d.below(OUTCOMES.len() as u64) as usize];
                format!("{t},{}", recorded.date().add_days(d.below(90) as i64))
            }
            _ => String::from(","),
        };
        let team = TEAMS[d.below(TEAMS.len() as u64) as usize];
        writeln!(out, "WMP-H-{i:08},{recorded},{occurred},{offence},{place},{flags},{age},{sex},{outcome},{team}",)?;
    }
    Ok(())
}

/// The West Midlands postcodes of the gazetteer file (postcode, easting, northing).
fn postcodes(path: &Path) -> Result<Vec<(String, i32, i32)>> {
    let mut out = Vec::new();
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines().skip(1) {
        let line = line?;
        let f: Vec<&str> = line.split(',').collect();
        if f.len() >= 12 && f[11] == "West Midlands" {
            if let (Some(pc), Ok(e), Ok(n)) = (normalise_postcode(f[0]), f[1].parse(), f[2].parse()) {
                out.push((pc, e, n));
            }
        }
    }
    Ok(out)
}

fn time_import(store: &mut dyn Store, file: &Path, lines: u64) -> Result<(f64, peel_ingest::CrimesReport)> {
    let t = Instant::now();
    let force = Force::find("west-midlands").expect("a force").code;
    let r = peel_ingest::import_crimes(store, file, force, &ImportOptions::default(), &mut NoProgress)?;
    let secs = t.elapsed().as_secs_f64();
    if r.rows_read != lines || !r.problems.is_empty() || r.saved.inserted + r.saved.replaced != lines {
        bail!(
            "the import did not store every line: {} read, {:?}, {} problems",
            r.rows_read,
            r.saved,
            r.problems.len()
        );
    }
    Ok((secs, r))
}

pub fn run(args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    let gazetteer = args.data.join("geography/postcodes-west-midlands-west-yorkshire.csv");
    if !gazetteer.exists() {
        bail!("{} not found: give --data the folder holding geography/", gazetteer.display());
    }
    let _ = std::fs::remove_dir_all(&args.work);
    std::fs::create_dir_all(&args.work)?;
    let file = args.work.join("crimes.csv");
    let t = Instant::now();
    let places = postcodes(&gazetteer)?;
    generate(&mut std::io::BufWriter::new(std::fs::File::create(&file)?), args.lines, &places, 9)?;
    let bytes = std::fs::metadata(&file)?.len();
    writeln!(
        out,
        "generated {} crimes ({:.0} MB) in {:.1} s",
        args.lines,
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    )?;

    let mut stores: Vec<(&str, Box<dyn Store>)> =
        vec![("SQLite", Box::new(SqliteStore::open(&args.work.join("store.db"))?))];
    if let Some(url) = &args.postgres {
        stores.push(("PostgreSQL", Box::new(peel_store::PostgresStore::open(url)?)));
    }
    for (name, mut store) in stores {
        peel_ingest::import_file(
            store.as_mut(),
            FileKind::Postcodes,
            &gazetteer,
            &ImportOptions::default(),
            &mut NoProgress,
        )?;
        if name == "SQLite" {
            // Where the time goes: loading the gazetteer and reading the file, without the store.
            let t = Instant::now();
            let g = peel_ingest::crimes::Gazetteer::new(store.gazetteer()?);
            let loaded = t.elapsed().as_secs_f64();
            let p = peel_ingest::crimes::parse_file(&file, 1, &g, &mut NoProgress)?;
            let read = t.elapsed().as_secs_f64() - loaded;
            writeln!(
                out,
                "gazetteer loaded in {loaded:.2} s; file read, checked and placed in {read:.2} s = {:.0} lines/s ({} placed by postcode or nearest postcode)",
                p.read.rows_read as f64 / read,
                p.batch.rows.iter().filter(|r| r.place != peel_store::NONE).count()
            )?;
        }
        for (run, what) in [("first import", "new"), ("same file again", "replaced")] {
            let (secs, r) = time_import(store.as_mut(), &file, args.lines)?;
            let n = if what == "new" { r.saved.inserted } else { r.saved.replaced };
            writeln!(
                out,
                "{name}: {run} {} crimes in {secs:.2} s = {:.0} crimes/s ({n} {what}; gazetteer {} postcodes)",
                args.lines,
                args.lines as f64 / secs,
                r.gazetteer_postcodes
            )?;
        }
    }
    Ok(())
}
