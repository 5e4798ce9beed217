//! Importers: the files analysts already download, read into Peel's store.
//!
//! Every importer follows the same contract:
//! - a file is written in one transaction, so it is never left half-imported: a small file
//!   is parsed whole first; a police.uk file or a force's crimes file is read in parts of
//!   [`police_uk::PART_ROWS`] rows, each written as the next is read (memory holds three
//!   parts, whatever the file's size; PostgreSQL gathers a crimes file whole), and the
//!   transaction is abandoned if the file cannot be read to its end;
//! - a malformed row is never silently dropped: it is reported with file, line and field,
//!   and either the rest of the file is stored or (`strict`) the whole file is refused;
//! - importing the same file twice stores it once (police.uk rows keyed by Crime ID, ASB rows
//!   by file and line; Home Office rows by force, quarter and offence code; ONS by LSOA).

pub mod areas;
/// The grid projection lives in peel-domain (reports, sites and imports all place by it).
pub use peel_domain::bng;
pub mod crimes;
pub mod csvfile;
pub mod geography;
pub mod home_office;
pub mod ons;
pub mod police_uk;
mod problem;
pub mod publish;

pub use problem::{FileError, RowProblem};

use peel_store::{SaveReport, Store, StoreError};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Refuse a whole file if any row in it is malformed.
    pub strict: bool,
    /// Rows in one part of a police.uk or crimes file ([`police_uk::PART_ROWS`] by default:
    /// three parts in memory at once, read, waiting and written, stay near 100 MB for crimes
    /// into SQLite; smaller in tests, to read small files in many parts).
    pub part_rows: usize,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions { strict: false, part_rows: police_uk::PART_ROWS }
    }
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

/// Expands folders into the `.csv` (and `.geojson`) files beneath them, sorted so that imports are repeatable.
pub fn csv_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, FileError> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), FileError> {
        let entries = std::fs::read_dir(dir).map_err(|e| FileError::io(dir, e))?;
        let mut paths: Vec<PathBuf> =
            entries.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().map_err(|e| FileError::io(dir, e))?;
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("geojson"))
            {
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

/// The kinds of file Peel imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    Ons,
    HomeOffice,
    PoliceUk,
    /// The postcode gazetteer (`geography/postcodes-….csv`).
    Postcodes,
    /// LSOA boundaries (`geography/lsoa-2011-boundaries-….geojson`).
    LsoaBoundaries,
}

impl FileKind {
    /// Recognises a file by its header line; `None` for a CSV Peel doesn't import.
    pub fn sniff(path: &Path) -> Option<FileKind> {
        use std::io::BufRead;
        let mut first = String::new();
        std::io::BufReader::new(std::fs::File::open(path).ok()?).read_line(&mut first).ok()?;
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("geojson")) {
            // GeoJSON is one JSON document: the feature collection's first line names it.
            return (first.contains("FeatureCollection") || first.trim_start().starts_with('{'))
                .then_some(FileKind::LsoaBoundaries);
        }
        if first.starts_with("postcode,") && first.contains("eastings") && first.contains("lsoa11_code") {
            Some(FileKind::Postcodes)
        } else if first.contains("Crime ID") && first.contains("Falls within") {
            Some(FileKind::PoliceUk)
        } else if first.contains("Number_of_Offences") {
            Some(FileKind::HomeOffice)
        } else if first.contains("LSOA Code") && (first.contains("Police_force") || first.contains("Persons")) {
            Some(FileKind::Ons)
        } else {
            None
        }
    }
}

/// A file parsed and ready to save.
enum Parsed {
    Street(police_uk::ParsedFile),
    RecordedCrime(home_office::ParsedFile),
    Lsoas(ons::ParsedFile),
    Postcodes(geography::ParsedPostcodes),
    Boundaries(geography::ParsedBoundaries),
}

fn parse(kind: FileKind, path: &Path, progress: &mut dyn Progress) -> Result<Parsed, FileError> {
    Ok(match kind {
        FileKind::PoliceUk => Parsed::Street(police_uk::parse_file(path, progress)?),
        FileKind::HomeOffice => Parsed::RecordedCrime(home_office::parse_file(path, progress)?),
        FileKind::Ons => Parsed::Lsoas(ons::parse_file(path, progress)?),
        FileKind::Postcodes => Parsed::Postcodes(geography::parse_postcodes(path, progress)?),
        FileKind::LsoaBoundaries => Parsed::Boundaries(geography::parse_boundaries(path, progress)?),
    })
}

/// Saves a parsed file unless `strict` forbids it.
fn save(
    store: &mut dyn Store,
    path: &Path,
    parsed: Parsed,
    options: &ImportOptions,
) -> Result<FileReport, ImportError> {
    let (rows_read, problems, repeated_keys) = match &parsed {
        Parsed::Street(p) => (p.rows_read, p.problems.clone(), p.repeated_keys),
        Parsed::RecordedCrime(p) => (p.rows_read, p.problems.clone(), p.repeated_keys),
        Parsed::Lsoas(p) => (p.rows_read, p.problems.clone(), p.repeated_keys),
        Parsed::Postcodes(p) => (p.rows_read, p.problems.clone(), p.repeated_keys),
        Parsed::Boundaries(p) => (p.rows_read, p.problems.clone(), 0),
    };
    let saved = if options.strict && !problems.is_empty() {
        None
    } else {
        Some(match &parsed {
            Parsed::Street(p) => store.save_street_batch(&p.batch)?,
            Parsed::RecordedCrime(p) => store.save_recorded_crime(&p.batch)?,
            Parsed::Lsoas(p) => store.save_lsoas(&p.batch)?,
            Parsed::Postcodes(p) => store.save_postcodes(&p.batch)?,
            Parsed::Boundaries(p) => store.save_lsoa_boundaries(&p.batch)?,
        })
    };
    Ok(FileReport { path: path.to_path_buf(), rows_read, saved, problems, repeated_keys })
}

/// Imports one file of a known kind.
pub fn import_file(
    store: &mut dyn Store,
    kind: FileKind,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn Progress,
) -> Result<FileReport, ImportError> {
    let parsed = parse(kind, path, progress)?;
    save(store, path, parsed, options)
}

pub fn import_police_uk(
    store: &mut dyn Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn Progress,
) -> Result<FileReport, ImportError> {
    import_file(store, FileKind::PoliceUk, path, options, progress)
}

/// What importing a force's crimes did.
#[derive(Debug)]
pub struct CrimesReport {
    pub path: PathBuf,
    pub rows_read: u64,
    /// What the store did; `stored` false when nothing was (strict, and a line was bad).
    pub saved: peel_store::CrimeFactReport,
    /// Bad lines, each reported with file, line and field; with the lines the store refused
    /// (a reference of a crime recorded in Peel) after them.
    pub problems: Vec<RowProblem>,
    pub repeated_keys: u64,
    pub unknown_postcodes: u64,
    pub unplaced: u64,
    pub no_place: u64,
    /// Postcodes in the gazetteer the import resolved places with.
    pub gazetteer_postcodes: usize,
}

/// Imports a force's crimes (`force`: peel-domain `Force::code`) from one file of the
/// [`crimes::COLUMNS`] form: the gazetteer loaded from the store once, the file read in parts
/// of `options.part_rows` lines (100,000 by default) on a second thread while the store takes
/// the part before (SQLite writes each part as it comes; PostgreSQL gathers the file and merges
/// it in one statement, so holds it whole in memory), all in one transaction, every crime
/// upserted by its reference (a reference on two lines: the later line wins, in one part or
/// across two).
/// With `strict`, nothing is stored if any line is bad (the parser's or the store's); the file
/// is still read to its end, so that every bad line is reported. A file that cannot be read to
/// its end stores nothing.
pub fn import_crimes(
    store: &mut dyn Store,
    path: &Path,
    force: u16,
    options: &ImportOptions,
    progress: &mut (dyn Progress + Send),
) -> Result<CrimesReport, ImportError> {
    use peel_store::CrimeFactPart;
    let gazetteer = crimes::Gazetteer::new(store.gazetteer()?);
    let strict = options.strict;
    let part_rows = options.part_rows.max(1);
    let (read, saved) = std::thread::scope(|scope| {
        // As `import_files`: one part waits while one is written and the next read.
        let (tx, rx) = std::sync::mpsc::sync_channel::<CrimeFactPart<'static>>(1);
        let gazetteer = &gazetteer;
        let reader = std::thread::Builder::new().name("crimes-reader".into()).spawn_scoped(scope, move || {
            // The store takes the channel's end for the file's: a reader that panics says
            // abandon first, or the parts before would be committed as the whole file.
            struct AbandonOnPanic(std::sync::mpsc::SyncSender<CrimeFactPart<'static>>);
            impl Drop for AbandonOnPanic {
                fn drop(&mut self) {
                    if std::thread::panicking() {
                        let _ = self.0.send(CrimeFactPart::Abandon);
                    }
                }
            }
            let _guard = AbandonOnPanic(tx.clone());
            let (mut bad, mut abandoned) = (0u64, false);
            let read = crimes::parse_parts(path, force, gazetteer, part_rows, progress, &mut |mut part| {
                bad += part.refused;
                if strict && bad > 0 {
                    // Nothing more to store; the rest is read for its problems only.
                    if !abandoned {
                        abandoned = true;
                        let _ = tx.send(CrimeFactPart::Abandon);
                    }
                    return true;
                }
                part.all_or_nothing = strict;
                tx.send(CrimeFactPart::Rows(std::borrow::Cow::Owned(part))).is_ok()
            });
            // Parts already written are undone: a file is stored whole or not at all.
            if read.is_err() && !abandoned {
                let _ = tx.send(CrimeFactPart::Abandon);
            }
            read
        });
        let reader = match reader {
            Ok(reader) => reader,
            Err(e) => return (Err(FileError::io(path, e)), Ok(None)),
        };
        let saved = store.save_crime_fact_parts(&mut rx.iter());
        // A store that stopped early (an error) stops the reader at its next part.
        drop(rx);
        (reader.join().expect("the crimes file's reader panicked"), saved)
    });
    let saved = saved?.unwrap_or_default();
    let read = read?;
    let mut problems = read.problems;
    problems.extend(saved.refused.iter().map(|(line, reference)| RowProblem {
        file: path.to_path_buf(),
        line: u64::from(*line),
        field: "reference".into(),
        message: format!("'{reference}' is a crime recorded in Peel: an import does not overwrite it"),
    }));
    let report = CrimesReport {
        path: path.to_path_buf(),
        rows_read: read.rows_read,
        saved,
        problems,
        repeated_keys: read.repeated_keys,
        unknown_postcodes: read.unknown_postcodes,
        unplaced: read.unplaced,
        no_place: read.no_place,
        gazetteer_postcodes: gazetteer.len(),
    };
    // Freeing the gazetteer's hundred thousand postcodes takes a tenth of a second that the
    // caller need not wait for (a command ending frees them with the process). Should the
    // thread not start, the gazetteer is freed here, as before.
    let _ = std::thread::Builder::new().name("gazetteer-free".into()).spawn(move || drop(gazetteer));
    Ok(report)
}

/// Imports many files, parsing the next file (or the next part of a police.uk file) on a
/// second thread while the store writes the one before: on two cores that hides parsing
/// behind writing. Files are saved in the order
/// given; `on_report` hears of each (a file refused whole arrives as its `FileError`). A
/// store error stops the run and is returned.
pub fn import_files(
    store: &mut dyn Store,
    files: &[(PathBuf, FileKind)],
    options: &ImportOptions,
    progress: &mut (dyn Progress + Send),
    mut on_report: impl FnMut(Result<FileReport, FileError>),
) -> Result<(), StoreError> {
    /// What the reading thread sends the writing one.
    enum Read {
        /// A part of the police.uk file being read.
        Part(peel_store::StreetBatch),
        /// A police.uk file read to its end, its parts all sent before this (none if it
        /// could not be read from its start).
        End(PathBuf, Result<police_uk::PartsRead, FileError>),
        /// Any other file, read whole.
        Whole(PathBuf, Result<Parsed, FileError>),
    }
    std::thread::scope(|scope| {
        // One part (or small file) waits while the writer writes one and the reader reads
        // the next: memory holds three parts, whatever the files' sizes. (Handing over only
        // when the writer asks, two parts, measured a fifth slower: the wait absorbs the
        // difference between one part's parse and another's write.)
        let (tx, rx) = std::sync::mpsc::sync_channel::<Read>(1);
        scope.spawn(move || {
            for (path, kind) in files {
                let sent = if *kind == FileKind::PoliceUk {
                    let read = police_uk::parse_parts(path, options.part_rows.max(1), progress, &mut |part| {
                        tx.send(Read::Part(part)).is_ok()
                    });
                    tx.send(Read::End(path.clone(), read))
                } else {
                    tx.send(Read::Whole(path.clone(), parse(*kind, path, progress)))
                };
                if sent.is_err() {
                    return;
                }
            }
        });
        while let Ok(read) = rx.recv() {
            match read {
                Read::Whole(_, Err(e)) | Read::End(_, Err(e)) => on_report(Err(e)),
                Read::Whole(path, Ok(p)) => match save(store, &path, p, options) {
                    Ok(r) => on_report(Ok(r)),
                    Err(ImportError::Store(e)) => return Err(e),
                    Err(ImportError::File(e)) => on_report(Err(e)),
                },
                Read::End(path, Ok(read)) => {
                    // Cannot happen (a file's end follows its parts), but would be a file of
                    // nothing: reported as read, nothing stored.
                    on_report(Ok(FileReport {
                        path,
                        rows_read: read.rows_read,
                        saved: None,
                        problems: read.problems,
                        repeated_keys: read.repeated_keys,
                    }))
                }
                Read::Part(first) => {
                    // The parts of one police.uk file, up to its end, written in one
                    // transaction as they come; abandoned if the file cannot be read to its
                    // end, or is refused whole (strict, and a row was bad).
                    let mut first = Some(first);
                    let mut end: Option<(PathBuf, Result<police_uk::PartsRead, FileError>)> = None;
                    let mut parts = std::iter::from_fn(|| {
                        if let Some(b) = first.take() {
                            return Some(peel_store::StreetPart::Rows(std::borrow::Cow::Owned(b)));
                        }
                        if end.is_some() {
                            return None;
                        }
                        match rx.recv() {
                            Ok(Read::Part(b)) => Some(peel_store::StreetPart::Rows(std::borrow::Cow::Owned(b))),
                            Ok(Read::End(path, read)) => {
                                let abandon = match &read {
                                    Err(_) => true,
                                    Ok(r) => options.strict && !r.problems.is_empty(),
                                };
                                end = Some((path, read));
                                abandon.then_some(peel_store::StreetPart::Abandon)
                            }
                            // The reader sends a file's end before the next file.
                            Ok(Read::Whole(..)) | Err(_) => Some(peel_store::StreetPart::Abandon),
                        }
                    });
                    let saved = store.save_street_parts(&mut parts)?;
                    match end {
                        Some((_, Err(e))) => on_report(Err(e)),
                        Some((path, Ok(read))) => on_report(Ok(FileReport {
                            path,
                            rows_read: read.rows_read,
                            saved,
                            problems: read.problems,
                            repeated_keys: read.repeated_keys,
                        })),
                        None => {
                            return Err(StoreError::Invalid("the file's reader stopped before its end".into()));
                        }
                    }
                }
            }
        }
        Ok(())
    })
}
