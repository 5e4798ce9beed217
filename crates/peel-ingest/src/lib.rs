//! Importers: the files analysts already download, read into Peel's store.
//!
//! Every importer follows the same contract:
//! - a file is parsed whole before anything is written, then written in one transaction, so
//!   it is never left half-imported;
//! - a malformed row is never silently dropped: it is reported with file, line and field,
//!   and either the rest of the file is stored or (`strict`) the whole file is refused;
//! - importing the same file twice stores it once (police.uk rows keyed by Crime ID, ASB rows
//!   by file and line; Home Office rows by force, quarter and offence code; ONS by LSOA).

pub mod bng;
pub mod csvfile;
pub mod home_office;
pub mod ons;
pub mod police_uk;
mod problem;

pub use problem::{FileError, RowProblem};

use peel_store::{SaveReport, Store, StoreError};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Refuse a whole file if any row in it is malformed.
    pub strict: bool,
}

/// Told of progress as a file is read, so a terminal can show rows per second.
pub trait Progress {
    fn file_started(&mut self, _name: &str, _bytes: u64) {}
    fn rows_read(&mut self, _rows: u64, _bytes_read: u64) {}
    fn file_finished(&mut self) {}
}

pub struct NoProgress;
impl Progress for NoProgress {}

/// What happened to one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: PathBuf,
    pub rows_read: u64,
    /// `None` when the file was refused.
    pub saved: Option<SaveReport>,
    pub problems: Vec<RowProblem>,
    /// Rows that shared their key with an earlier row of the same file and were merged into
    /// it: a repeated police.uk Crime ID (the later row is kept) or a Home Office force,
    /// quarter and offence code (the counts add).
    pub repeated_keys: u64,
}

impl FileReport {
    pub fn refused(&self) -> bool {
        self.saved.is_none()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Expands folders into the `.csv` files beneath them, sorted so that imports are repeatable.
pub fn csv_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, FileError> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), FileError> {
        let entries = std::fs::read_dir(dir).map_err(|e| FileError::io(dir, e))?;
        let mut paths: Vec<PathBuf> =
            entries.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().map_err(|e| FileError::io(dir, e))?;
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(FileError::io(p, std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder")));
        }
    }
    Ok(out)
}

/// Saves a parsed file unless `strict` forbids it; the shared tail of every importer.
fn finish<B>(
    path: &Path,
    rows_read: u64,
    batch: B,
    problems: Vec<RowProblem>,
    repeated_keys: u64,
    options: &ImportOptions,
    save: impl FnOnce(B) -> Result<SaveReport, StoreError>,
) -> Result<FileReport, ImportError> {
    let saved = if options.strict && !problems.is_empty() { None } else { Some(save(batch)?) };
    Ok(FileReport { path: path.to_path_buf(), rows_read, saved, problems, repeated_keys })
}

pub fn import_police_uk(
    store: &mut dyn Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn Progress,
) -> Result<FileReport, ImportError> {
    let parsed = police_uk::parse_file(path, progress)?;
    finish(path, parsed.rows_read, parsed.batch, parsed.problems, parsed.repeated_keys, options, |b| {
        store.save_street_batch(&b)
    })
}

pub fn import_home_office(
    store: &mut dyn Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn Progress,
) -> Result<FileReport, ImportError> {
    let parsed = home_office::parse_file(path, progress)?;
    finish(path, parsed.rows_read, parsed.batch, parsed.problems, parsed.repeated_keys, options, |b| {
        store.save_recorded_crime(&b)
    })
}

pub fn import_ons(
    store: &mut dyn Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn Progress,
) -> Result<FileReport, ImportError> {
    let parsed = ons::parse_file(path, progress)?;
    finish(path, parsed.rows_read, parsed.batch, parsed.problems, parsed.repeated_keys, options, |b| {
        store.save_lsoas(&b)
    })
}
