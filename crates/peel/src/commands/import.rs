//! `peel import police-uk|home-office|ons|data PATH...`

use super::Refused;
use crate::progress::Bar;
use anyhow::Result;
use peel_ingest::{csv_files, FileReport, ImportError, ImportOptions};
use peel_store::{SqliteStore, Store};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    kind: Kind,
    /// Refuse a whole file if any row in it is malformed (default: store the good rows and
    /// report the bad ones).
    #[arg(long, global = true)]
    strict: bool,
    /// Print at most this many row problems per file (all are counted).
    #[arg(long, global = true, default_value_t = 20)]
    show: usize,
}

#[derive(clap::Subcommand)]
enum Kind {
    /// data.police.uk street-level files (files or folders of them).
    PoliceUk { paths: Vec<PathBuf> },
    /// Home Office police recorded crime by force, quarter and offence code.
    HomeOffice { paths: Vec<PathBuf> },
    /// ONS LSOA population/households/area, and the LSOA → police force lookup.
    Ons { paths: Vec<PathBuf> },
    /// Every CSV under the folders given, each recognised by its header.
    Data { paths: Vec<PathBuf> },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FileKind {
    PoliceUk,
    HomeOffice,
    Ons,
}

/// Recognises a file by its header, for `import data`; `None` for a CSV Peel doesn't import.
fn sniff(path: &Path) -> Option<FileKind> {
    use std::io::BufRead;
    let mut first = String::new();
    std::io::BufReader::new(std::fs::File::open(path).ok()?).read_line(&mut first).ok()?;
    if first.contains("Crime ID") && first.contains("Falls within") {
        Some(FileKind::PoliceUk)
    } else if first.contains("Number_of_Offences") {
        Some(FileKind::HomeOffice)
    } else if first.contains("LSOA Code") && (first.contains("Police_force") || first.contains("Persons")) {
        Some(FileKind::Ons)
    } else {
        None
    }
}

pub fn run(store: &mut SqliteStore, args: Args) -> Result<()> {
    let opts = ImportOptions { strict: args.strict };
    let (paths, fixed) = match &args.kind {
        Kind::PoliceUk { paths } => (paths, Some(FileKind::PoliceUk)),
        Kind::HomeOffice { paths } => (paths, Some(FileKind::HomeOffice)),
        Kind::Ons { paths } => (paths, Some(FileKind::Ons)),
        Kind::Data { paths } => (paths, None),
    };
    if paths.is_empty() {
        anyhow::bail!("give at least one file or folder to import");
    }
    let mut files: Vec<(PathBuf, FileKind)> = Vec::new();
    for f in csv_files(paths)? {
        match fixed.or_else(|| sniff(&f)) {
            Some(k) => files.push((f, k)),
            None => eprintln!("skipped {}: not a police.uk, Home Office or ONS file", f.display()),
        }
    }
    // ONS first, so that police.uk LSOAs meet their population; then the rest in order.
    files.sort_by_key(|(p, k)| (*k != FileKind::Ons, p.clone()));

    let started = Instant::now();
    let (mut rows, mut refused_files, mut problem_rows) = (0u64, 0usize, 0usize);
    let mut bar = Bar::new();
    for (path, kind) in &files {
        let t = Instant::now();
        let store: &mut dyn Store = store;
        let report = match kind {
            FileKind::PoliceUk => peel_ingest::import_police_uk(store, path, &opts, &mut bar),
            FileKind::HomeOffice => peel_ingest::import_home_office(store, path, &opts, &mut bar),
            FileKind::Ons => peel_ingest::import_ons(store, path, &opts, &mut bar),
        };
        let report = match report {
            Ok(r) => r,
            Err(ImportError::File(e)) => {
                eprintln!("refused {e}");
                refused_files += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        rows += report.rows_read;
        problem_rows += report.problems.len();
        refused_files += report.refused() as usize;
        print_report(&report, t.elapsed().as_secs_f64(), args.show);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "imported {} file(s), {rows} rows in {secs:.2} s ({:.0} rows/s){}",
        files.len() - refused_files,
        rows as f64 / secs.max(1e-9),
        if problem_rows > 0 { format!("; {problem_rows} row(s) with problems") } else { String::new() }
    );
    if refused_files > 0 {
        return Err(Refused(format!("{refused_files} file(s) refused; nothing of them was stored")).into());
    }
    Ok(())
}

fn print_report(r: &FileReport, secs: f64, show: usize) {
    for p in r.problems.iter().take(show) {
        eprintln!("{p}");
    }
    if r.problems.len() > show {
        eprintln!("... and {} more problem rows in {}", r.problems.len() - show, r.path.display());
    }
    match r.saved {
        Some(s) => println!(
            "{}: {} rows, {} new, {} already stored{}{} ({:.0} rows/s)",
            r.path.display(),
            r.rows_read,
            s.inserted,
            s.replaced,
            if r.problems.is_empty() { String::new() } else { format!(", {} refused", r.problems.len()) },
            if r.repeated_keys > 0 { format!(", {} merged with an earlier row of the same key", r.repeated_keys) } else { String::new() },
            r.rows_read as f64 / secs.max(1e-9)
        ),
        None => eprintln!(
            "refused {}: {} row(s) with problems and --strict given; nothing of the file was stored",
            r.path.display(),
            r.problems.len()
        ),
    }
}
