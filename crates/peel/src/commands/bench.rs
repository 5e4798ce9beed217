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
use std::io::Write;
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
    let mut out = crate::out::stdout();
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
    writeln!(
        out,
        "generated {rows} police.uk rows in {} files ({:.1} s)",
        plan.iter().map(|p| p.1).sum::<i32>(),
        t.elapsed().as_secs_f64()
    )?;

    // Cold: a fresh store; import ONS and every police.uk file, then stats, then the paper.
    let db = args.work.join("bench.db");
    let mut store = SqliteStore::open(&db)?;
    let t_ons = Instant::now();
    let opts = ImportOptions::default();
    for f in &ons {
        peel_ingest::import_file(&mut store, FileKind::Ons, f, &opts, &mut NoProgress)?;
    }
    let ons_secs = t_ons.elapsed().as_secs_f64();
    let files = peel_ingest::csv_files(std::slice::from_ref(&streets))?;
    let cold = pipeline(&mut store, &files, last, &args.work.join("peel-board-paper.html"))?;
    let cold_total = ons_secs + cold.total();
    let wy_rows = store.load_street(42)?.0.len();
    let paper_rows =
        store.load_street_between(42, last.plus(-(peel_analytics::paper::TREND_MONTHS + 11)), last)?.0.len();

    // The board paper over the force's whole history, every row of it read and analysed.
    let t = Instant::now();
    let first = store.holdings()?.street.iter().find(|h| h.force == 42).map(|h| h.first_month).unwrap_or(last);
    let whole = super::report::render(
        (&store, None),
        Force::find("west-yorkshire").unwrap(),
        last,
        &super::report::Options { since: Some(first), ..Default::default() },
    )?;
    std::fs::write(args.work.join("peel-board-paper-whole-history.html"), whole)?;
    let whole_secs = t.elapsed().as_secs_f64();

    // Monthly: the store already holds the history; next month's file arrives.
    let next = last.plus(1);
    let wy = Force::find("west-yorkshire").unwrap();
    let next_file = streets.join(format!("{next}-{}-street.csv", wy.slug));
    let next_rows = replicate(&real[1], &next_file, next, wy, 999)?;
    let monthly = pipeline(&mut store, &[next_file], next, &args.work.join("peel-board-paper-next.html"))?;

    writeln!(out, "\n| step | Peel | notes |\n|---|---:|---|")?;
    writeln!(out, "| import ONS (2 files, 67,597 rows) | {ons_secs:.2} s | |")?;
    writeln!(
        out,
        "| import police.uk ({rows} rows, {} files) | {:.2} s | {:.0} rows/s into the store |",
        files.len(),
        cold.import,
        rows as f64 / cold.import
    )?;
    writeln!(out,
        "| stats, West Yorkshire {last} (force holds {wy_rows} rows) | {:.3} s | loads the 2 financial years it needs |",
        cold.stats
    )?;
    writeln!(out,
        "| board paper, West Yorkshire {last} (force holds {wy_rows} rows) | {:.3} s | loads, analyses and renders the {paper_rows} rows of its 48 months |",
        cold.report
    )?;
    writeln!(out, "| **cold pipeline: all of the above** | **{cold_total:.2} s** | |")?;
    writeln!(out,
        "| board paper over the whole history ({wy_rows} rows, `--since {first}`) | {whole_secs:.3} s | every row loaded and analysed |"
    )?;
    writeln!(
        out,
        "| monthly: import {next} ({next_rows} rows) | {:.3} s | history already in the store |",
        monthly.import
    )?;
    writeln!(out, "| monthly: stats + board paper {next} | {:.3} s | |", monthly.stats + monthly.report)?;
    writeln!(out, "| **monthly pipeline** | **{:.2} s** | |", monthly.total())?;

    let Some(python) = &args.python else {
        writeln!(out, "\npandas peer skipped: no --python given (bench/run sets one up)")?;
        return Ok(());
    };
    let peer_cold = run_peer(python, &args, &streets, &ons, last, "pandas-cold")?;
    check_agreement(&peer_cold.1, &cold.stats_json)?;
    let peer_monthly = run_peer(python, &args, &streets, &ons, next, "pandas-monthly")?;
    check_agreement(&peer_monthly.1, &monthly.stats_json)?;
    writeln!(out, "| pandas, cold: same files, same work for {last} | {:.2} s | {} |", peer_cold.0, python.display())?;
    writeln!(out, "| pandas, monthly: same work for {next} (re-reads every file) | {:.2} s | |", peer_monthly.0)?;
    writeln!(out, "| **Peel speed-up, cold** | **{:.1}×** | |", peer_cold.0 / cold_total)?;
    writeln!(out, "| **Peel speed-up, monthly** | **{:.1}×** | |", peer_monthly.0 / monthly.total())?;
    writeln!(
        out,
        "\nPeel and pandas agree on crimes, ASB, population, categories, outcomes and harm for {last} and {next}."
    )?;
    Ok(())
}

struct Timings {
    import: f64,
    stats: f64,
    report: f64,
    stats_json: serde_json::Value,
}

impl Timings {
    fn total(&self) -> f64 {
        self.import + self.stats + self.report
    }
}

/// Import the files, then stats and the board paper for West Yorkshire, each step timed as
/// the CLI would run it (each loads from the store afresh).
fn pipeline(store: &mut SqliteStore, files: &[PathBuf], month: YearMonth, html: &Path) -> Result<Timings> {
    let t = Instant::now();
    let kinds: Vec<_> = files.iter().map(|f| (f.clone(), FileKind::PoliceUk)).collect();
    let mut failure = None;
    peel_ingest::import_files(store, &kinds, &ImportOptions::default(), &mut NoProgress, |r| match r {
        Ok(r) if r.problems.is_empty() => {}
        Ok(r) => failure = Some(r.problems[0].to_string()),
        Err(e) => failure = Some(e.to_string()),
    })?;
    if let Some(f) = failure {
        bail!("a generated file had problems: {f}");
    }
    let import = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (s, _) = stats::compute(store, Force::find("west-yorkshire").unwrap(), month)?;
    let stats = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let paper =
        super::report::render((store, None), Force::find("west-yorkshire").unwrap(), month, &Default::default())?;
    std::fs::write(html, paper)?;
    let report = t.elapsed().as_secs_f64();
    Ok(Timings { import, stats, report, stats_json: serde_json::to_value(&s)? })
}

fn run_peer(
    python: &Path,
    args: &Args,
    streets: &Path,
    ons: &[PathBuf; 2],
    month: YearMonth,
    name: &str,
) -> Result<(f64, serde_json::Value)> {
    let json = args.work.join(format!("{name}.json"));
    let t = Instant::now();
    let out = std::process::Command::new(python)
        .arg(&args.peer)
        .arg("--police-uk")
        .arg(streets)
        .arg("--ons-population")
        .arg(&ons[0])
        .arg("--ons-lookup")
        .arg(&ons[1])
        .arg("--harm")
        .arg(args.data.join("harm/cchi-weights-by-prc-subgroup.csv"))
        .args(["--force", "West Yorkshire Police", "--month", &month.to_string()])
        .arg("--out-html")
        .arg(args.work.join(format!("{name}.html")))
        .arg("--out-json")
        .arg(&json)
        .output()
        .with_context(|| format!("running {}", python.display()))?;
    let secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        bail!("pandas peer failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok((secs, serde_json::from_str(&std::fs::read_to_string(&json)?)?))
}

/// The peer must have computed the same figures, or the timing compares different work.
fn check_agreement(peer: &serde_json::Value, ours: &serde_json::Value) -> Result<()> {
    let mut disagreements = Vec::new();
    for key in ["crimes", "asb", "population", "by_category", "outcomes"] {
        if peer[key] != ours[key] {
            disagreements.push(key);
        }
    }
    let (a, b) = (peer["harm"].as_f64().unwrap_or(f64::NAN), ours["harm"].as_f64().unwrap_or(0.0));
    // A NaN (the peer gave no harm) agrees with nothing.
    let harm_agrees = (a - b).abs() < 1e-6 * b.max(1.0);
    if !harm_agrees {
        disagreements.push("harm");
    }
    if disagreements.is_empty() {
        Ok(())
    } else {
        bail!("Peel and pandas disagree for {} on {disagreements:?}", ours["month"])
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
