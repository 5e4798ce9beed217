//! `peel bench`: times Peel's whole pipeline (import, stats, board paper) on real police.uk
//! rows replicated to a force-sized history, and runs a pandas script doing the same work on
//! the same files in the same run (`bench/peers/pandas_pipeline.py`).
//!
//! The replicated data: each real West Yorkshire file is copied month after month (Crime IDs
//! made unique per copy, Month rewritten) for `--months` months ending July 2017, and the
//! same again for a second force, West Midlands, over twelve months, so that the store holds
//! several forces and the board paper's force alone has `--months` × ~27,900 rows.

use super::stats;
use anyhow::{bail, Context, Result};
use peel_domain::{Force, YearMonth};
use peel_ingest::{FileKind, ImportOptions, NoProgress};
use peel_store::{SqliteStore, Store};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Folder with the real data (police-uk/, ons/ as in ../shared/data).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Months of West Yorkshire history to build (54 × ~27,900 ≈ 1.5 million rows).
    #[arg(long, default_value_t = 54)]
    months: i32,
    /// Working folder for generated files, the store and outputs.
    #[arg(long, default_value = "target/bench")]
    work: PathBuf,
    /// Python with pandas for the peer (see bench/run); the peer is skipped without one.
    #[arg(long)]
    python: Option<PathBuf>,
    /// The peer script.
    #[arg(long, default_value = "bench/peers/pandas_pipeline.py")]
    peer: PathBuf,
}

const LAST_MONTH: &str = "2017-07";

pub fn run(args: Args) -> Result<()> {
    let real = [
        args.data.join("police-uk/2016-07-west-yorkshire-street.csv"),
        args.data.join("police-uk/2017-07-west-yorkshire-street.csv"),
    ];
    let ons = [
        args.data.join("ons/lsoa-2011-population-households.csv"),
        args.data.join("ons/lsoa-2011-to-police-force.csv"),
    ];
    for p in real.iter().chain(&ons) {
        if !p.exists() {
            bail!("{} not found: give --data the folder holding police-uk/ and ons/", p.display());
        }
    }
    let streets = args.work.join("police-uk");
    let _ = std::fs::remove_dir_all(&args.work);
    std::fs::create_dir_all(&streets)?;
    let last = YearMonth::parse(LAST_MONTH)?;
    let t = Instant::now();
    let mut rows = 0u64;
    let plan: Vec<(&Force, i32)> =
        vec![(Force::find("west-yorkshire").unwrap(), args.months), (Force::find("west-midlands").unwrap(), 12)];
    for (force, months) in &plan {
        for k in 0..*months {
            let month = last.plus(-k);
            // July files as themselves; other months alternate the two real files.
            let source = &real[(month.year as usize + k as usize) % 2];
            let out = streets.join(format!("{month}-{}-street.csv", force.slug));
            rows += replicate(source, &out, month, force, k as u32 + 1000 * force.code as u32)?;
        }
    }
    println!(
        "generated {rows} police.uk rows in {} files ({:.1} s)",
        plan.iter().map(|p| p.1).sum::<i32>(),
        t.elapsed().as_secs_f64()
    );

    // Peel: import (police.uk and ONS), stats, board paper, from a fresh store.
    let db = args.work.join("bench.db");
    let mut store = SqliteStore::open(&db)?;
    let t_import = Instant::now();
    let opts = ImportOptions::default();
    for f in &ons {
        peel_ingest::import_file(&mut store, FileKind::Ons, f, &opts, &mut NoProgress)?;
    }
    let ons_secs = t_import.elapsed().as_secs_f64();
    let t_street = Instant::now();
    let files: Vec<_> =
        peel_ingest::csv_files(&[streets.clone()])?.into_iter().map(|f| (f, FileKind::PoliceUk)).collect();
    let mut failure = None;
    peel_ingest::import_files(&mut store, &files, &opts, &mut NoProgress, |r| match r {
        Ok(r) if r.problems.is_empty() => {}
        Ok(r) => failure = Some(r.problems[0].to_string()),
        Err(e) => failure = Some(e.to_string()),
    })?;
    if let Some(f) = failure {
        bail!("a generated file had problems: {f}");
    }
    let street_secs = t_street.elapsed().as_secs_f64();
    let import_secs = t_import.elapsed().as_secs_f64();

    let t_stats = Instant::now();
    let s = stats::compute(&store, "West Yorkshire Police", Some(LAST_MONTH))?;
    let stats_secs = t_stats.elapsed().as_secs_f64();
    let wy_rows = store.load_street(42)?.0.len();

    let t_report = Instant::now();
    let html = super::report::render(&store, Force::find("west-yorkshire").unwrap(), last)?;
    let html_path = args.work.join("peel-board-paper.html");
    std::fs::write(&html_path, &html)?;
    let report_secs = t_report.elapsed().as_secs_f64();
    let peel_total = import_secs + stats_secs + report_secs;
    let json_path = args.work.join("peel-stats.json");
    std::fs::write(&json_path, serde_json::to_string_pretty(&s)?)?;

    println!("\n| step | Peel | notes |\n|---|---:|---|");
    println!("| import ONS (2 files, 67,597 rows) | {ons_secs:.2} s | |");
    println!(
        "| import police.uk ({rows} rows) | {street_secs:.2} s | {:.0} rows/s into the store |",
        rows as f64 / street_secs
    );
    println!("| stats, West Yorkshire {LAST_MONTH} ({wy_rows} rows) | {stats_secs:.3} s | |");
    println!(
        "| board paper, West Yorkshire {LAST_MONTH} ({wy_rows} rows) | {report_secs:.3} s | HTML {} KB |",
        html.len() / 1024
    );
    println!("| **whole pipeline** | **{peel_total:.2} s** | |");

    let Some(python) = &args.python else {
        println!("\npandas peer skipped: no --python given (bench/run sets one up)");
        return Ok(());
    };
    let peer_json = args.work.join("pandas-stats.json");
    let t_peer = Instant::now();
    let out = std::process::Command::new(python)
        .arg(&args.peer)
        .arg("--police-uk")
        .arg(&streets)
        .arg("--ons-population")
        .arg(&ons[0])
        .arg("--ons-lookup")
        .arg(&ons[1])
        .arg("--harm")
        .arg(args.data.join("harm/cchi-weights-by-prc-subgroup.csv"))
        .args(["--force", "West Yorkshire Police", "--month", LAST_MONTH])
        .arg("--out-html")
        .arg(args.work.join("pandas-board-paper.html"))
        .arg("--out-json")
        .arg(&peer_json)
        .output()
        .with_context(|| format!("running {}", python.display()))?;
    let peer_secs = t_peer.elapsed().as_secs_f64();
    if !out.status.success() {
        bail!("pandas peer failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let peer: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&peer_json)?)?;
    let ours: serde_json::Value = serde_json::to_value(&s)?;
    let mut disagreements = Vec::new();
    for key in ["crimes", "asb", "population", "by_category", "outcomes"] {
        if peer[key] != ours[key] {
            disagreements.push(key);
        }
    }
    let harm_gap = (peer["harm"].as_f64().unwrap_or(f64::NAN) - s.harm).abs();
    if !(harm_gap < 1e-6 * s.harm.max(1.0)) {
        disagreements.push("harm");
    }
    println!("| pandas peer, same files, whole pipeline | {peer_secs:.2} s | {} |", python.display());
    println!("| **Peel speed-up** | **{:.1}×** | |", peer_secs / peel_total);
    if disagreements.is_empty() {
        println!("\nPeel and pandas agree on crimes, ASB, population, categories, outcomes and harm.");
        Ok(())
    } else {
        bail!("Peel and pandas disagree on {disagreements:?}: see {} and {}", json_path.display(), peer_json.display())
    }
}

/// Copies a real street file as `month` of `force`, making each Crime ID unique to the copy.
fn replicate(source: &Path, out: &Path, month: YearMonth, force: &Force, copy: u32) -> Result<u64> {
    let mut r = csv::ReaderBuilder::new().from_path(source)?;
    let mut w = csv::Writer::from_path(out)?;
    w.write_byte_record(r.byte_headers()?)?;
    let month = month.to_string();
    let prefix = format!("{copy:08x}");
    let mut rec = csv::ByteRecord::new();
    let mut n = 0;
    while r.read_byte_record(&mut rec)? {
        let id = &rec[0];
        let new_id: Vec<u8> = if id.is_empty() { vec![] } else { [prefix.as_bytes(), &id[8..]].concat() };
        let mut row = csv::ByteRecord::new();
        row.push_field(&new_id);
        row.push_field(month.as_bytes());
        row.push_field(force.name.as_bytes());
        row.push_field(force.name.as_bytes());
        for f in rec.iter().skip(4) {
            row.push_field(f);
        }
        w.write_byte_record(&row)?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}
