//! `peel import police-uk|home-office|ons|data PATH...`, `peel import crimes FILE [--force NAME]`,
//! `peel import recorded [--force NAME]`,
//! and `peel import areas FILE` (or `--default west-midlands`): the force's NPUs and Impact Areas.
//!
//! Why the areas are not installed by `peel import data` of the geography: they are the
//! force's own definition, not public data. Importing the gazetteer again must not overwrite
//! a definition the force imported from its own file, so the default is installed only when
//! asked for, by the same audited replacement as a file.

use super::Refused;
use crate::progress::Bar;
use anyhow::Result;
use peel_domain::force_area::{west_midlands, AreaKind};
use peel_ingest::{csv_files, FileKind, FileReport, ImportOptions};
use peel_store::{CaseStore, Store};
use std::io::Write;
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
    PoliceUk {
        /// Files, or folders searched for CSV files.
        paths: Vec<PathBuf>,
    },
    /// Home Office police recorded crime by force, quarter and offence code.
    HomeOffice {
        /// Files, or folders searched for CSV files.
        paths: Vec<PathBuf>,
    },
    /// ONS LSOA population/households/area, and the LSOA → police force lookup.
    Ons {
        /// Files, or folders searched for CSV files.
        paths: Vec<PathBuf>,
    },
    /// The force's own crimes from its previous system, one per line:
    /// reference,recorded_at,occurred_at,offence_code,postcode,easting,northing,flags,victim_age,victim_sex,outcome_type,outcome_date,team
    /// (import the postcode gazetteer first: `peel import data` of the geography folder).
    Crimes {
        /// The CSV file.
        file: PathBuf,
        /// Whose crimes they are.
        #[arg(long, default_value = "west-midlands")]
        force: String,
    },
    /// The crimes recorded in Peel, brought into the force's analysis data (new and changed
    /// ones written, cancelled ones taken out), so that stats, areas and the board paper count
    /// them with the imported history.
    Recorded {
        /// Whose crimes they are.
        #[arg(long, default_value = "west-midlands")]
        force: String,
    },
    /// Every CSV under the folders given, each recognised by its header.
    Data {
        /// Folders (or files) searched for CSV files.
        paths: Vec<PathBuf>,
    },
    /// The force's NPUs and Impact Areas, replacing those of the kinds the file defines (or
    /// --kind), whole: nothing is stored if any line is wrong. CSV, one row per member:
    /// `kind,code,name,npu,member_kind,member_code` (kind npu|impact_area; npu: an Impact
    /// Area's NPU code; member_kind la|ward|lsoa; optional column `source`); or a GeoJSON
    /// FeatureCollection of polygons (WGS84) with properties `code`, `name`, `npu` and
    /// optionally `kind`, whose members are the LSOAs whose population-weighted centroid each
    /// holds.
    Areas {
        /// The CSV or GeoJSON (.geojson, .json) file.
        #[arg(required_unless_present = "default", conflicts_with = "default")]
        file: Option<PathBuf>,
        /// Replace only this kind (the file may define no other).
        #[arg(long, value_enum)]
        kind: Option<KindOfArea>,
        /// Install Peel's approximation of a force's areas instead of a file.
        #[arg(long, value_enum)]
        default: Option<DefaultAreas>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum KindOfArea {
    /// Neighbourhood policing units.
    Npu,
    /// Impact Areas, each within an NPU.
    ImpactArea,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DefaultAreas {
    /// West Midlands Police's 8 NPUs and 19 Impact Areas, drawn from wards and local
    /// authorities (peel-domain force_area::west_midlands says how each was drawn).
    WestMidlands,
}

pub fn run(store: &mut dyn CaseStore, args: Args) -> Result<()> {
    let opts = ImportOptions { strict: args.strict, ..Default::default() };
    let (paths, fixed) = match &args.kind {
        Kind::Areas { file, kind, default } => {
            let kind = kind.map(|k| match k {
                KindOfArea::Npu => AreaKind::Npu,
                KindOfArea::ImpactArea => AreaKind::ImpactArea,
            });
            return import_areas(store, file.as_deref(), kind, default.is_some());
        }
        Kind::PoliceUk { paths } => (paths, Some(FileKind::PoliceUk)),
        Kind::HomeOffice { paths } => (paths, Some(FileKind::HomeOffice)),
        Kind::Ons { paths } => (paths, Some(FileKind::Ons)),
        Kind::Data { paths } => (paths, None),
        Kind::Crimes { file, force } => return import_crimes(store, file, force, &opts, args.show),
        Kind::Recorded { force } => {
            let force = super::force(force)?;
            let (written, removed) = store.project_recorded_crimes(force.code)?;
            writeln!(
                crate::out::stdout(),
                "{written} recorded crime(s) of {} brought into the analysis data, {removed} cancelled taken out",
                force.name
            )?;
            return Ok(());
        }
    };
    import_paths(store, paths, fixed, &opts, args.show)
}

/// Imports the files and folders given, each of kind `fixed` or recognised by its header;
/// prints each file's report and the problem rows (at most `show` per file).
pub fn import_paths(
    store: &mut dyn Store,
    paths: &[PathBuf],
    fixed: Option<FileKind>,
    opts: &ImportOptions,
    show: usize,
) -> Result<()> {
    let mut out = crate::out::stdout();
    if paths.is_empty() {
        anyhow::bail!("give at least one file or folder to import");
    }
    let mut files: Vec<(PathBuf, FileKind)> = Vec::new();
    for f in csv_files(paths)? {
        match fixed.or_else(|| FileKind::sniff(&f)) {
            Some(k) => files.push((f, k)),
            None => eprintln!("skipped {}: not a police.uk, Home Office or ONS file", f.display()),
        }
    }
    // ONS first, so that police.uk LSOAs meet their population; then the rest in order.
    files.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));

    let started = Instant::now();
    let (mut rows, mut refused_files, mut problem_rows) = (0u64, 0usize, 0usize);
    let mut last = Instant::now();
    // The import goes on if standard output fails (its reader gone): each file is stored
    // whole or not at all, and an import stopped half-way would only have to be run again.
    let mut print_error = None;
    peel_ingest::import_files(store, &files, opts, &mut Bar::new(), |report| match report {
        Err(e) => {
            eprintln!("refused {e}");
            refused_files += 1;
        }
        Ok(report) => {
            // Rows of files stored: a file refused whole (--strict) stored none.
            if !report.refused() {
                rows += report.rows_read;
            }
            problem_rows += report.problems.len();
            refused_files += report.refused() as usize;
            if let Err(e) = print_report(&mut out, &report, last.elapsed().as_secs_f64(), show) {
                print_error.get_or_insert(e);
            }
            last = Instant::now();
        }
    })?;
    let secs = started.elapsed().as_secs_f64();
    let printed = writeln!(
        out,
        "imported {} file(s), {rows} rows in {secs:.2} s ({:.0} rows/s){}",
        files.len() - refused_files,
        rows as f64 / secs.max(1e-9),
        if problem_rows > 0 { format!("; {problem_rows} row(s) with problems") } else { String::new() }
    );
    // Refused input is the exit code that matters, whoever reads the output.
    if refused_files > 0 {
        return Err(Refused(format!("{refused_files} file(s) refused; nothing of them was stored")).into());
    }
    match print_error {
        Some(e) => Err(e.into()),
        None => Ok(printed?),
    }
}

/// The first `show` problems of a file on standard error, and how many more there are.
fn print_problems(problems: &[peel_ingest::RowProblem], show: usize, path: &Path) {
    for p in problems.iter().take(show) {
        eprintln!("{p}");
    }
    if problems.len() > show {
        eprintln!("... and {} more problem rows in {}", problems.len() - show, path.display());
    }
}

fn print_report(out: &mut crate::out::Out, r: &FileReport, secs: f64, show: usize) -> std::io::Result<()> {
    print_problems(&r.problems, show, &r.path);
    match r.saved {
        Some(s) => writeln!(
            out,
            "{}: {} rows, {} new, {} already stored{}{} ({:.0} rows/s)",
            r.path.display(),
            r.rows_read,
            s.inserted,
            s.replaced,
            if r.problems.is_empty() { String::new() } else { format!(", {} refused", r.problems.len()) },
            if r.repeated_keys > 0 {
                format!(", {} merged with an earlier row of the same key", r.repeated_keys)
            } else {
                String::new()
            },
            r.rows_read as f64 / secs.max(1e-9)
        )?,
        None => eprintln!(
            "refused {}: {} row(s) with problems and --strict given; nothing of the file was stored",
            r.path.display(),
            r.problems.len()
        ),
    }
    Ok(())
}

/// `peel import areas`: the file (or the default definition) checked whole against the
/// store's gazetteer and the areas it keeps, every problem printed at its line, and then
/// stored in one transaction, or nothing stored.
fn import_areas(
    store: &mut dyn CaseStore,
    file: Option<&std::path::Path>,
    kind: Option<AreaKind>,
    default: bool,
) -> Result<()> {
    let (areas, kinds, from) = match file {
        Some(path) if !default => {
            let centroids = store.lsoa_centroids()?;
            let mut parsed = peel_ingest::areas::parse_areas(path, kind, &centroids, &mut Bar::new())?;
            let kept: Vec<AreaKind> = AreaKind::ALL.into_iter().filter(|k| !parsed.kinds.contains(k)).collect();
            let mut kept_areas = Vec::new();
            for k in kept {
                // None stored of a kind is no problem here: the file need not define both.
                if let Ok(areas) = store.force_areas(Some(k)) {
                    kept_areas.extend(areas);
                }
            }
            let gazetteer = store.area_gazetteer()?;
            if gazetteer.lsoas.is_empty() {
                anyhow::bail!(
                    "the store holds no postcode gazetteer to check the areas against: import it first \
                     (peel import data ../shared/data/geography)"
                );
            }
            parsed.check(path, &kept_areas, &gazetteer);
            if !parsed.problems.is_empty() {
                for p in &parsed.problems {
                    eprintln!("{p}");
                }
                return Err(Refused(format!(
                    "{}: {} problem(s); nothing stored, the areas stored before are kept",
                    path.display(),
                    parsed.problems.len()
                ))
                .into());
            }
            (parsed.areas, parsed.kinds, path.display().to_string())
        }
        _ => {
            let areas: Vec<_> =
                west_midlands::areas().into_iter().filter(|a| kind.is_none_or(|k| a.kind == k)).collect();
            let kinds = kind.map_or_else(|| AreaKind::ALL.to_vec(), |k| vec![k]);
            (areas, kinds, format!("Peel's default {} definition", west_midlands::NAME))
        }
    };
    let report = store.replace_force_areas(&kinds, &areas, &super::accounts::actor(), peel_casework::now())?;
    let mut out = crate::out::stdout();
    for (kind, (stored, members, removed)) in &report.kinds {
        writeln!(out, "{}: stored {stored} with {members} member(s), replacing {removed}", kind.label())?;
    }
    writeln!(out, "areas from {from} stored")?;
    Ok(())
}

/// `peel import crimes`: one file of the force's crimes, with what became of every line.
fn import_crimes(store: &mut dyn Store, file: &Path, force: &str, opts: &ImportOptions, show: usize) -> Result<()> {
    let force = super::force(force)?;
    let mut out = crate::out::stdout();
    let started = Instant::now();
    let r = peel_ingest::import_crimes(store, file, force.code, opts, &mut Bar::new())?;
    let secs = started.elapsed().as_secs_f64();
    print_problems(&r.problems, show, file);
    if !r.saved.stored {
        return Err(Refused(format!(
            "refused {}: {} bad line(s) and --strict given; nothing of the file was stored",
            file.display(),
            r.problems.len()
        ))
        .into());
    }
    let s = &r.saved;
    writeln!(
        out,
        "{}: {} crimes of {}, {} new, {} replaced an earlier import{}{}",
        file.display(),
        r.rows_read,
        force.name,
        s.inserted,
        s.replaced,
        if r.problems.is_empty() { String::new() } else { format!(", {} bad line(s) not stored", r.problems.len()) },
        if r.repeated_keys > 0 {
            format!(", {} line(s) repeated a reference (the later kept)", r.repeated_keys)
        } else {
            String::new()
        },
    )?;
    if r.gazetteer_postcodes == 0 {
        writeln!(out, "  the store holds no postcode gazetteer: every place is unknown (import the geography folder with peel import data)")?;
    }
    if r.unknown_postcodes > 0 {
        writeln!(out, "  {} postcode(s) not in the gazetteer: kept as given", r.unknown_postcodes)?;
    }
    if r.unplaced + r.no_place > 0 {
        writeln!(
            out,
            "  place unknown (no LSOA, ward or local authority) for {} crime(s): {} with a postcode or point the gazetteer cannot place, {} with none",
            r.unplaced + r.no_place,
            r.unplaced,
            r.no_place
        )?;
    }
    writeln!(
        out,
        "imported {} crimes in {secs:.2} s ({:.0} crimes/s)",
        s.inserted + s.replaced,
        r.rows_read as f64 / secs.max(1e-9)
    )?;
    Ok(())
}
