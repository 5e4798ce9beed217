//! `peel demo [--months N] [--seed S] [--append]`: fills the store with a synthetic force
//! shaped like West Midlands Police (peel-demo): N months of reports, incidents, crimes,
//! victims, suspects, contacts, evidence and outcomes, ending with the last full month.
//! The same seed gives the same force. One month is generated while the one before it is
//! written, each month in one transaction (on SQLite, checkpointed into the database file
//! while the next is written). Either store: a SQLite file or a PostgreSQL URL.
//!
//! On real ground: when the store holds the postcode gazetteer (`peel import data
//! ../shared/data/geography`, which the README's main command runs first), each crime's
//! point of the demo's layout is put at the nearest West Midlands postcode, with that
//! postcode's grid point, LSOA, MSOA, ward and authority and the force's NPU and Impact Area
//! ([`Placer`]); the force's areas are Peel's default West Midlands definition, stored if the
//! store has none. Without a gazetteer the crimes keep their coordinates only, and say so.
//!
//! The force's history: of the N months, the last `--recorded-months` (12 by default) are
//! recorded in Peel in full; the months before are the force's history from its previous
//! system, generated alike and written as the crimes file `peel import crimes` takes, then
//! imported through it (peel-demo `history` says why and what a line carries). A force of
//! 70 months is then a million crimes for the analysis in about 36 s, where recording every
//! month in full took three and a half minutes (BENCHMARKS.md).

use anyhow::{bail, Context, Result};
use peel_domain::date::{Date, Timestamp};
use peel_store::{BulkReport, CaseStore, CaseworkBulk, PostgresStore, SqliteStore};
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Months of the force's crimes, ending with the last full month.
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    /// The random seed: the same seed gives the same force.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Add to a store that already holds casework (by default peel demo refuses to).
    #[arg(long)]
    pub append: bool,
    /// The last N months recorded in full; earlier ones come as imported history.
    ///
    /// Recorded in full: reports, victims, Victims' Code obligations, contacts. The months
    /// before are the force's history from its previous system, imported as `peel import
    /// crimes` imports one.
    #[arg(long, default_value_t = 12, value_name = "N")]
    pub recorded_months: u32,
}

use crate::out::thousands;
use peel_casework::now;
use std::io::Write;

/// The store the demo writes: a SQLite file, whose writer connection also takes the
/// checkpoint settings, or PostgreSQL.
// One per run: the size of the larger variant costs nothing.
#[allow(clippy::large_enum_variant)]
enum Opened {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Opened {
    fn store(&mut self) -> &mut dyn CaseStore {
        match self {
            Opened::Sqlite(s) => s,
            Opened::Postgres(s) => s,
        }
    }

    fn sqlite(&self) -> Option<&SqliteStore> {
        match self {
            Opened::Sqlite(s) => Some(s),
            Opened::Postgres(_) => None,
        }
    }
}

/// The casework rows a store holds (reports, crimes, people): zero for one without casework.
/// Puts the layout's points on real ground: the nearest gazetteer postcode (within the
/// import's reach, `peel_ingest::crimes::NEAREST_WITHIN_M`) and its areas, as
/// `peel_casework::locate` places a report given coordinates; the point itself is kept.
pub struct Placer {
    gaz: peel_ingest::crimes::Gazetteer,
    map: peel_domain::force_area::AreaMap,
    grid: peel_domain::bng::BritishNationalGrid,
    /// NPU and Impact Area names of each postcode row looked up so far.
    areas: std::collections::HashMap<u32, (Option<String>, Option<String>)>,
}

impl Placer {
    /// `None` when the store holds no gazetteer. Stores Peel's default West Midlands areas
    /// when the store has no NPUs defined, so that the demo force has its units and Impact
    /// Areas everywhere the analysis looks.
    fn of(store: &mut dyn CaseStore, at: Timestamp) -> Result<Option<Placer>> {
        let rows = store.gazetteer()?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut map = store.area_map()?;
        if !map.defined(peel_domain::force_area::AreaKind::Npu) {
            let areas = peel_domain::force_area::west_midlands::areas();
            let kinds = peel_domain::force_area::AreaKind::ALL;
            store.replace_force_areas(&kinds, &areas, "peel-demo", at).context("storing the default areas")?;
            eprintln!("peel demo: stored Peel's default West Midlands NPUs and Impact Areas");
            map = store.area_map()?;
        }
        let gaz = peel_ingest::crimes::Gazetteer::new(rows);
        Ok(Some(Placer { gaz, map, grid: peel_domain::bng::BritishNationalGrid::new(), areas: Default::default() }))
    }

    /// A point of the layout as the force's previous system would have kept it: the nearest
    /// gazetteer postcode and the point in whole grid metres (peel-demo `history`).
    fn located(&self, place: &peel_store::casework::Place) -> peel_demo::history::Located {
        let (Some(lat), Some(lon)) = (place.latitude, place.longitude) else { return None };
        let (e, n) = self.grid.project(lon, lat)?;
        let (e, n) = (e.round() as i64, n.round() as i64);
        // As a recorded crime: the point kept even with no postcode near it.
        let postcode = self.gaz.nearest(e as i32, n as i32).map(|i| self.gaz.row(i).postcode.clone());
        Some((postcode, e, n))
    }

    fn place(&mut self, place: &mut peel_store::casework::Place) {
        let (Some(lat), Some(lon)) = (place.latitude, place.longitude) else { return };
        let Some((e, n)) = self.grid.project(lon, lat) else { return };
        place.easting = Some(e);
        place.northing = Some(n);
        let Some(i) = self.gaz.nearest(e.round() as i32, n.round() as i32) else { return };
        let row = self.gaz.row(i);
        let map = &self.map;
        let (npu, impact) = self.areas.entry(i).or_insert_with(|| {
            let (l, w, a) = (Some(row.lsoa_code.as_str()), row.ward_code.as_deref(), row.la_code.as_deref());
            (map.npu(l, w, a).map(|x| x.name.clone()), map.impact_area(l, w, a).map(|x| x.name.clone()))
        });
        place.postcode = Some(row.postcode.clone());
        place.lsoa_code = Some(row.lsoa_code.clone());
        place.msoa_code = row.msoa_code.clone();
        place.ward_code = row.ward_code.clone();
        place.la_code = row.la_code.clone();
        place.neighbourhood_unit = npu.clone();
        place.impact_area = impact.clone();
    }
}

fn casework_rows(store: &dyn CaseStore) -> Result<u64> {
    let c = store.casework_counts()?;
    Ok(c.reports + c.crimes + c.people)
}

pub fn run(db: &str, args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    if args.months == 0 {
        bail!("--months: give at least 1");
    }
    if args.recorded_months == 0 {
        bail!("--recorded-months: give at least 1 (the months recorded in Peel in full)");
    }
    let postgres = peel_store::is_postgres_url(db);
    let opening = || format!("opening the store {}", PostgresStore::redact_url(db));
    let mut opened = if postgres {
        Opened::Postgres(PostgresStore::open(db).with_context(opening)?)
    } else {
        Opened::Sqlite(SqliteStore::open(Path::new(db)).with_context(opening)?)
    };
    let held = casework_rows(opened.store())?;
    let force = super::force("west-midlands")?;
    if held == 0 && !args.append && opened.store().holds_own_crimes(force.code)? {
        bail!(
            "the store {} already holds crimes of West Midlands Police (imported or recorded): peel demo adds a \
             whole synthetic force, so it refuses to mix one into them. Use a new --db, or --append to add to it \
             anyway.",
            PostgresStore::redact_url(db)
        );
    }
    if held > 0 && !args.append {
        bail!(
            "the store {} already holds casework ({} reports, crimes and people): peel demo adds a whole \
             synthetic force, so it refuses to mix one into existing records. Use a new --db, or --append to add \
             to it anyway.",
            PostgresStore::redact_url(db),
            thousands(held)
        );
    }
    // Everything is dated up to midnight this morning (local time): runs on the same day
    // with the same seed give the same force, and the data ends where today's work starts.
    let today: Date = now().date();
    let as_of = Timestamp::new(today, 0, 0).expect("midnight is a time");
    let mut months = peel_demo::months_ending(peel_demo::last_full_month(today), args.months);
    let (first, last) = (months[0], months[months.len() - 1]);
    let n = months.len();
    let plural = if n == 1 { "" } else { "s" };
    eprintln!("peel demo: West Midlands, {first} to {last} ({n} month{plural}), seed {}", args.seed);
    let history: Vec<_> = months.drain(..n.saturating_sub(args.recorded_months as usize)).collect();

    let placer = Placer::of(opened.store(), as_of)?;
    match &placer {
        Some(p) => eprintln!(
            "peel demo: crimes placed at the nearest of {} gazetteer postcodes",
            thousands(p.gaz.len() as u64)
        ),
        None => eprintln!(
            "peel demo: the store holds no postcode gazetteer, so crimes keep coordinates only (import \
             ../shared/data/geography first to place them at real postcodes, LSOAs, wards, NPUs and Impact Areas)"
        ),
    }
    let started = Instant::now();
    let imported = match history.is_empty() {
        true => None,
        false => Some(import_history(opened.store(), force.code, &history, args.seed, as_of, placer.as_ref())?),
    };
    // One thread generates (and places), this one writes: a month is made while the last is
    // stored.
    let (tx, rx) = mpsc::sync_channel(2);
    let seed = args.seed;
    let generator = std::thread::spawn(move || {
        let mut placer = placer;
        for m in months {
            let mut batch = peel_demo::generate_month(seed, m, as_of);
            batch.at = Some(as_of);
            if let Some(p) = placer.as_mut() {
                for place in batch.reports.place.iter_mut() {
                    p.place(place);
                }
                for site in batch.sites.iter_mut() {
                    p.place(&mut site.place);
                }
            }
            if tx.send((m, batch)).is_err() {
                break;
            }
        }
    });
    // A third takes each written month: it frees it (a month is millions of small strings)
    // and, on SQLite, checkpoints the write-ahead log into the database file on a connection
    // of its own while the next month is written. The writer does neither itself.
    let auto = opened.sqlite().map(|s| s.wal_autocheckpoint(0)).transpose()?;
    let (done, batches_done) = mpsc::channel::<CaseworkBulk>();
    let path = (!postgres).then(|| db.to_string());
    let checkpointer = std::thread::spawn(move || {
        // Best effort: without it the writer's own checkpoint at the end does the work.
        let store = path.and_then(|p| SqliteStore::open(Path::new(&p)).ok());
        while let Ok(batch) = batches_done.recv() {
            drop(batch);
            while let Ok(batch) = batches_done.try_recv() {
                drop(batch);
            }
            if let Some(s) = &store {
                let _ = s.checkpoint();
            }
        }
    });
    let mut total = BulkReport::default();
    let mut first_crime = None;
    let result = (|| -> Result<()> {
        for (m, batch) in rx {
            let r = opened.store().load_casework_bulk(&batch).with_context(|| format!("loading {m}"))?;
            let _ = done.send(batch);
            first_crime = first_crime.or(r.first_crime_id);
            total.sites_added += r.sites_added;
            total.people += r.people;
            total.reports += r.reports;
            total.incidents += r.incidents;
            total.crimes += r.crimes;
            total.suspects += r.suspects;
            total.obligations += r.obligations;
            total.obligations_met += r.obligations_met;
            total.contacts += r.contacts;
            total.evidence += r.evidence;
            total.last_crime_id = r.last_crime_id.or(total.last_crime_id);
            eprintln!("  {m}: {} crimes", thousands(r.crimes));
        }
        Ok(())
    })();
    // On an error the receiver is gone and the generator stops at its next send.
    drop(done);
    let generated = generator.join();
    let _ = checkpointer.join();
    if let (Some(s), Some(auto)) = (opened.sqlite(), auto) {
        s.wal_autocheckpoint(auto)?;
        s.checkpoint()?;
    }
    generated.map_err(|_| anyhow::anyhow!("the generator thread panicked"))?;
    result?;
    opened.store().refresh_statistics().context("refreshing the planner's statistics")?;
    let secs = started.elapsed().as_secs_f64();
    let t = &total;
    // The recorded months' own time, for their rows a second.
    let recording = secs - imported.as_ref().map_or(0.0, |h| h.secs);
    writeln!(out, "reports      {:>12}", thousands(t.reports))?;
    writeln!(out, "incidents    {:>12}", thousands(t.incidents))?;
    writeln!(out, "crimes       {:>12}", thousands(t.crimes))?;
    writeln!(out, "people       {:>12}", thousands(t.people))?;
    writeln!(out, "suspects     {:>12}", thousands(t.suspects))?;
    writeln!(out, "obligations  {:>12}  ({} met)", thousands(t.obligations), thousands(t.obligations_met))?;
    writeln!(out, "contacts     {:>12}", thousands(t.contacts))?;
    writeln!(out, "evidence     {:>12}", thousands(t.evidence))?;
    writeln!(out, "sites added  {:>12}", thousands(t.sites_added))?;
    if let (Some(a), Some(b)) = (first_crime, t.last_crime_id) {
        writeln!(out, "crime ids    {a}..={b}")?;
    }
    if let Some(h) = &imported {
        writeln!(
            out,
            "history      {:>12}  crimes of {} to {} from the previous system, imported in {:.1} s",
            thousands(h.crimes),
            h.first,
            h.last,
            h.secs
        )?;
    }
    let all = t.crimes + imported.as_ref().map_or(0, |h| h.crimes);
    writeln!(
        out,
        "{} crimes in {secs:.1} s: {} crimes/s ({} rows/s recorded in {recording:.1} s)",
        thousands(all),
        thousands((all as f64 / secs) as u64),
        thousands((t.rows() as f64 / recording) as u64)
    )?;
    // Fraud comes to the force from Action Fraud, through the casework service.
    let fraud = peel_demo::fraud::disseminate(opened.store(), as_of, seed).context("disseminating the demo's fraud")?;
    writeln!(out,
        "fraud        {:>12}  Action Fraud disseminations in the last 28 days: {} referred to the Victim Care Unit, {} \
         called",
        fraud.crimes, fraud.referred, fraud.contacted
    )?;
    // The recorded crimes into the analysis data (as `peel import recorded`, and as a server
    // does every minute), so that stats, areas, report and the analyst pages read the whole
    // force, history and recorded months alike, from the start.
    let projected_at = Instant::now();
    let (projected, _) = opened
        .store()
        .project_recorded_crimes(force.code)
        .context("bringing the recorded crimes into the analysis data")?;
    writeln!(
        out,
        "analysis     {:>12}  recorded crimes brought into the analysis data in {:.1} s (peel import recorded)",
        thousands(projected),
        projected_at.elapsed().as_secs_f64()
    )?;
    // The people loaded in bulk were not compared as they went in: the nominal index's
    // sweep finds the repeat victims recorded twice (peel-demo `RECORDED_AGAIN`).
    let swept_at = std::time::Instant::now();
    let sweep = opened.store().sweep_duplicates(as_of).context("sweeping the nominal index for duplicates")?;
    writeln!(
        out,
        "duplicates   {:>12}  possible duplicate people among {}, found in {:.1} s (peel people duplicates)",
        thousands(sweep.found),
        thousands(sweep.people),
        swept_at.elapsed().as_secs_f64()
    )?;
    Ok(())
}

/// What importing the history did.
struct Imported {
    crimes: u64,
    first: peel_domain::YearMonth,
    last: peel_domain::YearMonth,
    secs: f64,
}

/// The force's history (`months`) as its previous system's crimes file, imported: the months
/// generated on every core (each is independent of the others) and written in month order
/// to a file in the system's temporary folder, which `peel import crimes`'s path then reads
/// while it writes, as a force's own file would be. The file is removed afterwards.
fn import_history(
    store: &mut dyn CaseStore,
    force: u16,
    months: &[peel_domain::YearMonth],
    seed: u64,
    as_of: Timestamp,
    placer: Option<&Placer>,
) -> Result<Imported> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let started = Instant::now();
    // A new file of this run's own (never one already there, nor what a link points to),
    // removed however the import ends.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let path = std::env::temp_dir().join(format!("peel-demo-history-{}-{nanos}.csv", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    struct Remove<'a>(&'a Path);
    impl Drop for Remove<'_> {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(self.0);
        }
    }
    let _remove = Remove(&path);
    let mut file = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(file, "{}", peel_demo::history::HEADER)?;
    let locate = |p: &peel_store::casework::Place| placer.and_then(|pl| pl.located(p));
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(months.len());
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = mpsc::sync_channel::<(usize, String)>(workers * 2);
        for _ in 0..workers {
            let (tx, next, locate) = (tx.clone(), &next, &locate);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&m) = months.get(i) else { return };
                let batch = peel_demo::generate_month(seed, m, as_of);
                let mut text = String::with_capacity(batch.crimes.offence_code.len() * 110);
                peel_demo::history::crime_lines(&batch, seed, m, locate, &mut text);
                if tx.send((i, text)).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        // Months come as they are made; they are written in order.
        let (mut waiting, mut due) = (std::collections::BTreeMap::new(), 0);
        for (i, text) in rx {
            waiting.insert(i, text);
            while let Some(text) = waiting.remove(&due) {
                file.write_all(text.as_bytes())?;
                due += 1;
            }
        }
        Ok(())
    })?;
    file.flush()?;
    drop(file);
    // Strict: the file is Peel's own making, so a line it would not take is a fault here,
    // and nothing of a faulty history is kept.
    let options = peel_ingest::ImportOptions { strict: true, ..Default::default() };
    let r = peel_ingest::import_crimes(store, &path, force, &options, &mut peel_ingest::NoProgress)
        .context("importing the demo force's history")?;
    if let Some(p) = r.problems.first() {
        bail!("the demo's history file has a line Peel will not import: {p}");
    }
    let secs = started.elapsed().as_secs_f64();
    let (first, last) = (months[0], months[months.len() - 1]);
    eprintln!(
        "peel demo: {} crimes of {first} to {last} imported as the force's history ({secs:.1} s)",
        thousands(r.rows_read)
    );
    Ok(Imported { crimes: r.rows_read, first, last, secs })
}

#[cfg(test)]
mod tests {
    use super::{run, Args};
    use peel_store::SqliteStore;

    #[test]
    fn refuses_a_store_with_casework_unless_appending() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let db = path.to_str().unwrap();
        run(db, Args { months: 1, seed: 5, append: false, recorded_months: 12 }).unwrap();
        let held = SqliteStore::open(&path).unwrap().casework_rows().unwrap();
        assert!(held > 30_000, "{held}");
        let e = run(db, Args { months: 1, seed: 5, append: false, recorded_months: 12 }).unwrap_err();
        assert!(e.to_string().contains("already holds casework"), "{e}");
        assert_eq!(SqliteStore::open(&path).unwrap().casework_rows().unwrap(), held, "nothing added");
        run(db, Args { months: 1, seed: 5, append: true, recorded_months: 12 }).unwrap();
        assert_eq!(SqliteStore::open(&path).unwrap().casework_rows().unwrap(), 2 * held, "the same month again");
        assert!(run(db, Args { months: 0, seed: 1, append: true, recorded_months: 12 }).is_err());
        assert!(run(db, Args { months: 2, seed: 1, append: true, recorded_months: 0 }).is_err());
    }

    #[test]
    fn refuses_a_store_holding_the_forces_imported_crimes_unless_appending() {
        use peel_store::{CrimeFactBatch, ImportedCrime, Store, NONE};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let force = crate::commands::force("west-midlands").unwrap().code;
        let crime = ImportedCrime {
            line: 2,
            reference: "OLD/1".into(),
            recorded_at: "2020-01-01T10:00".into(),
            occurred_at: None,
            offence_code: "8N",
            category: peel_domain::Category::ViolenceAndSexualOffences.code(),
            harm_days: None,
            flags: 0,
            postcode: None,
            easting: None,
            northing: None,
            place: NONE,
            victim_age: None,
            victim_sex: None,
            outcome_type: None,
            outcome_date: None,
            team: None,
        };
        let batch = CrimeFactBatch { force, rows: vec![crime], ..Default::default() };
        SqliteStore::open(&path).unwrap().save_crime_facts(&batch).unwrap();
        let db = path.to_str().unwrap();
        let e = run(db, Args { months: 1, seed: 5, append: false, recorded_months: 12 }).unwrap_err();
        assert!(e.to_string().contains("already holds crimes of West Midlands Police"), "{e}");
        assert_eq!(SqliteStore::open(&path).unwrap().casework_rows().unwrap(), 0, "nothing added");
    }
}
