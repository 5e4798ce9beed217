//! `peel backup FILE` and `peel restore FILE [--force]`: the whole store, SQLite or
//! PostgreSQL, to one file and back, while `peel serve` keeps serving from it.
//!
//! The backup is read on one snapshot (one read transaction), so it is consistent however
//! many writes land meanwhile; it is written beside FILE and renamed into place only once
//! whole, so a failed run never leaves a partial FILE. A restore goes into an empty store
//! (or, with `--force`, replaces everything a store holds) in one transaction, after
//! checking the file's checksum and that it was made at this Peel's schema version: a file
//! cut short, changed or from another release changes nothing. The format and the rules are
//! peel-store's `backup` module.

use crate::out::{self, thousands};
use anyhow::{Context, Result};
use peel_store::backup::{self, Summary};
use peel_store::PostgresStore;
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The file to write (replaced if it exists, once the new backup is whole).
    file: PathBuf,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// A file `peel backup` wrote.
    file: PathBuf,
    /// Replace everything the store holds (without it, a store holding any row is refused).
    #[arg(long)]
    force: bool,
}

pub fn backup(db: &str, args: BackupArgs) -> Result<()> {
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let partial = args.file.with_file_name(format!(".{name}.partial"));
    let file = std::fs::File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
    let mut out = BufWriter::new(file);
    let summary = backup::backup(db, &mut out)
        .and_then(|s| {
            out.flush().map_err(|e| peel_store::StoreError::Invalid(e.to_string()))?;
            out.get_ref().sync_all().map_err(|e| peel_store::StoreError::Invalid(e.to_string()))?;
            Ok(s)
        })
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })
        .with_context(|| format!("backing up {}", PostgresStore::redact_url(db)))?;
    std::fs::rename(&partial, &args.file).with_context(|| format!("moving the backup to {}", args.file.display()))?;
    report("backed up", &summary, &args.file)
}

pub fn restore(db: &str, args: RestoreArgs) -> Result<()> {
    let file = std::fs::File::open(&args.file).with_context(|| format!("opening {}", args.file.display()))?;
    let summary = backup::restore(db, &mut BufReader::new(file), args.force)
        .with_context(|| format!("restoring {} into {}", args.file.display(), PostgresStore::redact_url(db)))?;
    report("restored", &summary, &args.file)
}

fn report(done: &str, s: &Summary, file: &std::path::Path) -> Result<()> {
    let mut out = out::stdout();
    writeln!(
        out,
        "{done} {} rows in {} tables ({} store, schema version {}): {}",
        thousands(s.total_rows()),
        s.rows.len(),
        s.store,
        s.schema_version,
        file.display()
    )?;
    Ok(())
}
