//! The embedded SQLite store: the default, one file beside the analyst's work.

use crate::migrations::{self, MIGRATIONS};
use crate::records::*;
use crate::resources::idempotency::{ClaimSlot, HasClaimSlot};
use crate::sql::Dialect;
use crate::{Result, SaveReport, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::BTreeSet;
use std::path::Path;

pub struct SqliteStore {
    pub(crate) conn: Connection,
    /// An idempotency key the next write claims (peel-http's API writes).
    pub(crate) claims: ClaimSlot,
}

impl HasClaimSlot for SqliteStore {
    fn claim_slot(&mut self) -> &mut ClaimSlot {
        &mut self.claims
    }
}

/// How long a connection waits for another's write to finish before its own fails as busy.
pub const BUSY_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

thread_local! {
    /// When the current wait for the writer began (the busy handler runs on the waiting thread).
    static WAITING_SINCE: std::cell::Cell<std::time::Instant> = std::cell::Cell::new(std::time::Instant::now());
}

/// The busy handler of every connection: tries again after 50 µs, doubling to at most 1 ms,
/// for [`BUSY_PATIENCE`]. SQLite's own (`busy_timeout`) sleeps 1, 2, 5, 10 … up to 100 ms
/// between tries; a server's writes take a millisecond or two each, so a writer that missed
/// the lock slept far past its turn and others took it meanwhile: under `peel bench-load` at
/// 500 requests/s that made the p99 (280 ms against a median of 8 ms).
fn wait_for_the_writer(tries: i32) -> bool {
    let now = std::time::Instant::now();
    if tries == 0 {
        WAITING_SINCE.with(|s| s.set(now));
    }
    if now.duration_since(WAITING_SINCE.with(|s| s.get())) >= BUSY_PATIENCE {
        return false;
    }
    let pause = (50u64 << tries.clamp(0, 5)).min(1_000);
    std::thread::sleep(std::time::Duration::from_micros(pause));
    true
}

/// Statements the store runs again and again stay prepared.
///
/// The query planner's stability guarantee (QPSG) on: without it, SQLite marks a statement
/// whose plan a bound value might change (an equality filter on a parameter is enough) to be
/// prepared again whenever its bindings are cleared, and rusqlite's statement cache clears
/// them each time a statement goes back into the cache — so such a statement was parsed and
/// planned anew at every use: `peel import recorded` spent 40% of its time in the parser
/// (179,180 crimes: 10.4 s). Peel's statements name the indexes they want and the store keeps
/// no planner statistics, so a plan that ignores the values bound loses nothing.
///
/// And a cache of 256 statements rather than rusqlite's 16: a page's reads and a bulk
/// load's inserts are more than 16 distinct statements, and one evicted is prepared again.
fn keep_statements_prepared(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(256);
    Ok(())
}

/// How much of the store file a reader maps: the most the bundled SQLite maps
/// (`SQLITE_MAX_MMAP_SIZE`, 0x7fff0000: it lowers a larger request to this), address space
/// rather than memory on a 64-bit machine. The million-crime demo store is 2.0 GB and fits;
/// beyond it, pages past the mapped part are read as an unmapped connection reads them.
const READER_MAP_BYTES: u64 = 0x7fff_0000;

/// A read-only connection onto the store at `path`, already migrated by the store that asks
/// (for [`Engine::read_parts`](crate::sql::Engine::read_parts)): its page cache the default,
/// its statements kept prepared, and the file mapped into memory (`mmap_size`, up to
/// [`READER_MAP_BYTES`]): it reads a long stretch of a table once, and a mapped page is read
/// where the operating system holds it rather than copied into SQLite's cache by a system
/// call (a fresh `sqlite3` shell read the board paper's 717,000 crimes in 0.77 s mapped, 1.09 s
/// not). Only these short-lived readers map the file: SQLite's mapped pages count in a
/// process's resident memory, which the long-lived connections and the imports keep to a
/// budget. SQLite's one caveat, an I/O error on a mapped page arriving as a signal rather
/// than an error code, is a failing disk either way.
pub(crate) fn reader(path: &Path) -> Result<Connection> {
    use rusqlite::OpenFlags;
    let open_err = |source| StoreError::Open { path: path.display().to_string(), source };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let mut conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
    conn.busy_handler(Some(wait_for_the_writer)).map_err(open_err)?;
    keep_statements_prepared(&conn).map_err(open_err)?;
    conn.execute_batch(&format!("PRAGMA mmap_size = {READER_MAP_BYTES}")).map_err(open_err)?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let open_err = |source| StoreError::Open { path: path.display().to_string(), source };
        let mut conn = Connection::open(path).map_err(open_err)?;
        // WAL: readers (the web app, a report) never block the importer, and a crash mid-
        // import leaves the last committed state. NORMAL sync is durable at each checkpoint,
        // which is the trade SQLite recommends with WAL.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -262144;
             PRAGMA foreign_keys = ON;",
        )
        .map_err(open_err)?;
        conn.busy_handler(Some(wait_for_the_writer)).map_err(open_err)?;
        keep_statements_prepared(&conn).map_err(open_err)?;
        let mut store = SqliteStore { conn, claims: ClaimSlot::default() };
        store.migrate()?;
        crate::resources::search::catch_up_on_open(&mut store)?;
        Ok(store)
    }

    /// An in-memory store, for tests and one-off analyses.
    pub fn in_memory() -> Result<SqliteStore> {
        let conn = Connection::open_in_memory()?;
        // As on disk: the casework tables' REFERENCES are enforced, as PostgreSQL enforces them.
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        keep_statements_prepared(&conn)?;
        let mut store = SqliteStore { conn, claims: ClaimSlot::default() };
        store.migrate()?;
        crate::resources::search::catch_up_on_open(&mut store)?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        self.conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migration (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
        )?;
        let current: i64 =
            self.conn.query_row("SELECT coalesce(max(version), 0) FROM schema_migration", [], |r| r.get(0))?;
        let latest = migrations::latest();
        if current > latest {
            return Err(StoreError::Invalid(format!(
                "the store is at schema version {current}, newer than this Peel knows ({latest}): upgrade Peel"
            )));
        }
        // Each migration not yet applied, not only those above the highest: two branches'
        // migrations (e.g. 14 and 15) land in either order, and a store that ran 15 first
        // still runs 14 when it arrives.
        let applied: BTreeSet<i64> = self
            .conn
            .prepare("SELECT version FROM schema_migration")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for &(version, name, sql) in MIGRATIONS.iter().filter(|m| !applied.contains(&m.0)) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(&migrations::render(sql, Dialect::Sqlite))?;
            tx.execute("INSERT INTO schema_migration (version, name) VALUES (?1, ?2)", params![version, name])?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT max(version) FROM schema_migration", [], |r| r.get(0))?)
    }
}

/// Registers (or finds) a source file and records its row counts; returns its id.
fn source_file(tx: &Transaction, kind: &str, name: &str, stored: u64, refused: u64) -> Result<i64> {
    Ok(tx.query_row(
        "INSERT INTO source_file (kind, name, rows_stored, rows_refused) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (kind, name) DO UPDATE SET rows_stored = excluded.rows_stored,
             rows_refused = excluded.rows_refused, imported_at = excluded.imported_at
         RETURNING id",
        params![kind, name, stored as i64, refused as i64],
        |r| r.get(0),
    )?)
}

/// The ids of the LSOAs, snap points and outcomes a police.uk file's parts have stored or
/// found so far, kept for the file's transaction: each part has dictionaries of its own, and
/// a file's parts share most of their values (a month's snap points recur every month), so
/// each value is asked of the store once a file rather than once a part.
#[derive(Default)]
struct KnownIds {
    lsoas: std::collections::HashMap<String, i64, foldhash::fast::RandomState>,
    /// Coordinates' bits → the locations there and their ids.
    points: std::collections::HashMap<(u64, u64), Vec<(String, i64)>, foldhash::fast::RandomState>,
    outcomes: std::collections::HashMap<String, i64, foldhash::fast::RandomState>,
}

/// The page cache a police.uk import keeps to, KiB (as `PRAGMA cache_size` takes it: negative).
const IMPORT_CACHE_KIB: i64 = -65_536;

impl crate::FileWrites for SqliteStore {
    fn write_street_parts(&mut self, parts: &mut dyn Iterator<Item = StreetPart<'_>>) -> Result<Option<SaveReport>> {
        // A file's import appends its chunks, so it gains little from the store's large page
        // cache, which a big enough file would otherwise fill (256 MB): the import keeps to
        // 64 MB of it, and the cache is given back after.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.execute_batch(&format!("PRAGMA cache_size = {IMPORT_CACHE_KIB}"))?;
        let written = self.write_street_parts_in(parts);
        // The file is stored (or not) whatever happens here: a cache size left smaller costs
        // speed, not data, so a failure to give it back does not turn a stored file into an
        // error (the next connection starts with the store's own size).
        let _ = self.conn.execute_batch(&format!("PRAGMA cache_size = {cache}"));
        written
    }

    fn write_recorded_crime(&mut self, batch: &RecordedCrimeBatch) -> Result<SaveReport> {
        let tx = self.conn.transaction()?;
        let file_id = source_file(&tx, "home-office", &batch.file_name, batch.rows.len() as u64, batch.refused)?;
        let before: i64 = tx.query_row("SELECT count(*) FROM recorded_crime", [], |r| r.get(0))?;
        {
            let mut st = tx.prepare(
                "INSERT INTO recorded_crime (force, financial_year, quarter, offence_code, offences, file, line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (force, financial_year, quarter, offence_code) DO UPDATE SET
                     offences = excluded.offences, file = excluded.file, line = excluded.line",
            )?;
            for r in &batch.rows {
                st.execute(params![r.force, r.financial_year, r.quarter, r.offence_code, r.offences, file_id, r.line])?;
            }
        }
        let after: i64 = tx.query_row("SELECT count(*) FROM recorded_crime", [], |r| r.get(0))?;
        tx.commit()?;
        let inserted = (after - before) as u64;
        Ok(SaveReport { inserted, replaced: batch.rows.len() as u64 - inserted })
    }

    /// Each part upserted as it comes, in one transaction. An import larger than the table
    /// it goes into (a force's history into a new store) drops the table's secondary indexes
    /// once its rows outnumber the table's and builds them again at the end, in the same
    /// transaction: an index entry put in one by one, in recorded order while the rows come in
    /// reference order, costs about twice what a sorted build costs (measured on a million
    /// crimes: 4.1 s with the index against 1.7 s without and 1.3 s to build it after). Readers
    /// meanwhile see the table as it was, indexes and all; a failure or `--strict` undoes the
    /// drop with the rest. The index on the reference is declared with its column (UNIQUE,
    /// migration 25: no statement of its own in `sqlite_master`) and is never dropped: the
    /// upsert finds a repeated reference through it, and rows coming sorted by reference
    /// enter it front to back.
    ///
    /// The transaction begins once the first part has been read, and takes the write lock at
    /// once (`BEGIN IMMEDIATE`, which waits for another writer): a deferred transaction that
    /// read first would meet another connection's commit while the part was read as
    /// SQLITE_BUSY on its first write, without waiting.
    fn write_crime_fact_parts(
        &mut self,
        parts: &mut dyn Iterator<Item = CrimeFactPart<'_>>,
    ) -> Result<Option<CrimeFactReport>> {
        let first = parts.next();
        let parts = first.into_iter().chain(parts);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let before: i64 = tx.query_row("SELECT count(*) FROM crime_fact", [], |r| r.get(0))?;
        // As the migrations wrote them: built again from the same statements.
        let indexes: Vec<(String, String)> = tx
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crime_fact' AND sql IS NOT NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut dropped = false;
        let (mut rows, mut repeated, mut parser_refused) = (0u64, 0u64, 0u64);
        let (mut file_name, mut all_or_nothing) = (String::new(), false);
        let mut refused = Vec::new();
        for part in parts {
            let batch = match part {
                // Dropping the transaction undoes every part written.
                CrimeFactPart::Abandon => return Ok(None),
                CrimeFactPart::Rows(b) => b,
            };
            if !dropped && !indexes.is_empty() && rows + batch.rows.len() as u64 > before as u64 {
                for (name, _) in &indexes {
                    tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
                }
                dropped = true;
            }
            Self::write_crime_fact_part(&tx, &batch, &mut refused)?;
            rows += batch.rows.len() as u64;
            repeated += batch.repeated_before;
            parser_refused += batch.refused;
            file_name.clone_from(&batch.file_name);
            all_or_nothing = batch.all_or_nothing;
        }
        // A reference refused on lines of two parts: its later line, as a repeated reference
        // is counted everywhere else (and as PostgreSQL, which merges the whole file, says).
        refused.sort();
        keep_last_by(&mut refused, |a, b| a.1.cmp(&b.1));
        refused.sort();
        if all_or_nothing && !refused.is_empty() {
            return Ok(Some(CrimeFactReport { refused, stored: false, ..CrimeFactReport::default() }));
        }
        if dropped {
            // SQLite sorts an index's entries on helper threads when the connection allows
            // (only when they outgrow the sorter's memory, which follows the page cache; a
            // smaller cache for the build was measured slower: the transaction's pages spill).
            let threads: i64 = tx.query_row("PRAGMA threads", [], |r| r.get(0))?;
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            tx.pragma_update(None, "threads", cores as i64)?;
            let built = indexes.iter().try_for_each(|(_, sql)| tx.execute_batch(sql));
            tx.pragma_update(None, "threads", threads)?;
            built?;
        }
        let after: i64 = tx.query_row("SELECT count(*) FROM crime_fact", [], |r| r.get(0))?;
        let written = rows.saturating_sub(repeated).saturating_sub(refused.len() as u64);
        source_file(&tx, "crimes", &file_name, written, parser_refused + refused.len() as u64)?;
        tx.commit()?;
        // Fewer rows than before when an older import's row under a reference now recorded in
        // Peel was replaced and then taken out: nothing new.
        let inserted = u64::try_from(after - before).unwrap_or(0);
        Ok(Some(CrimeFactReport { inserted, replaced: written.saturating_sub(inserted), refused, stored: true }))
    }

    fn write_lsoas(&mut self, batch: &LsoaBatch) -> Result<SaveReport> {
        let tx = self.conn.transaction()?;
        source_file(&tx, "ons", &batch.file_name, batch.rows.len() as u64, batch.refused)?;
        let before: i64 = tx.query_row("SELECT count(*) FROM lsoa", [], |r| r.get(0))?;
        {
            // A field the file does not carry (None) keeps what the store already has.
            let mut st = tx.prepare(
                "INSERT INTO lsoa (code, name, msoa_code, msoa_name, la_code, la_name, region_name,
                                   force, persons, households, hectares)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (code) DO UPDATE SET
                     name = coalesce(excluded.name, lsoa.name),
                     msoa_code = coalesce(excluded.msoa_code, lsoa.msoa_code),
                     msoa_name = coalesce(excluded.msoa_name, lsoa.msoa_name),
                     la_code = coalesce(excluded.la_code, lsoa.la_code),
                     la_name = coalesce(excluded.la_name, lsoa.la_name),
                     region_name = coalesce(excluded.region_name, lsoa.region_name),
                     force = coalesce(excluded.force, lsoa.force),
                     persons = coalesce(excluded.persons, lsoa.persons),
                     households = coalesce(excluded.households, lsoa.households),
                     hectares = coalesce(excluded.hectares, lsoa.hectares)",
            )?;
            for r in &batch.rows {
                st.execute(params![
                    r.code,
                    r.name,
                    r.msoa_code,
                    r.msoa_name,
                    r.la_code,
                    r.la_name,
                    r.region_name,
                    r.force,
                    r.persons.map(|v| v as i64),
                    r.households.map(|v| v as i64),
                    r.hectares,
                ])?;
            }
        }
        let after: i64 = tx.query_row("SELECT count(*) FROM lsoa", [], |r| r.get(0))?;
        tx.commit()?;
        let inserted = (after - before) as u64;
        Ok(SaveReport { inserted, replaced: batch.rows.len() as u64 - inserted })
    }
}

/// Where the crimes an import wrote, between two references, belong to crimes recorded in
/// Peel that `crime_fact` does not yet hold: scanned from `crime` over the range of its
/// reference index (the smaller table, `CROSS JOIN` keeping that order).
const IMPORTED_OVER_RECORDED: &str = "SELECT f.reference FROM crime c CROSS JOIN crime_fact f
     ON f.reference = c.reference WHERE c.reference BETWEEN ?1 AND ?2 AND f.origin = 'imported'";

impl SqliteStore {
    fn write_street_parts_in(&mut self, parts: &mut dyn Iterator<Item = StreetPart<'_>>) -> Result<Option<SaveReport>> {
        let tx = self.conn.transaction()?;
        let mut known = KnownIds::default();
        let mut state = crate::resources::street::StreetFileWrite::default();
        let report = crate::each_street_part(parts, |batch, rows, refused| {
            // The file's counts so far: the last part leaves the whole file's.
            let file_id = source_file(&tx, "police-uk", &batch.file_name, rows, refused)?;
            Self::write_street_part(&tx, file_id, batch, &mut known, &mut state)
        })?;
        // Abandoned: dropping the transaction undoes every part written.
        let Some(report) = report else { return Ok(None) };
        tx.commit()?;
        Ok(Some(report))
    }

    /// One part of a police.uk file, in the file's transaction; `known` holds the ids of the
    /// dictionary values the file's earlier parts stored or found.
    fn write_street_part(
        tx: &Transaction,
        file_id: i64,
        batch: &StreetBatch,
        known: &mut KnownIds,
        state: &mut crate::resources::street::StreetFileWrite,
    ) -> Result<SaveReport> {
        // Dictionaries first: one statement per distinct value in the file.
        let mut lsoa_ids = Vec::with_capacity(batch.lsoas.len());
        {
            let mut st = tx.prepare_cached(
                "INSERT INTO lsoa (code, name) VALUES (?1, ?2)
                 ON CONFLICT (code) DO UPDATE SET name = coalesce(lsoa.name, excluded.name)
                 RETURNING id",
            )?;
            for (code, name) in &batch.lsoas {
                // Known: stored with its name by an earlier part, which a later name does
                // not change (the name is set only where there was none).
                let id = match known.lsoas.get(code.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = st.query_row(params![code, name], |r| r.get::<_, i64>(0))?;
                        known.lsoas.insert(code.clone(), id);
                        id
                    }
                };
                lsoa_ids.push(id);
            }
        }
        let mut point_ids = Vec::with_capacity(batch.points.len());
        {
            let mut find =
                tx.prepare_cached("SELECT id FROM point WHERE longitude = ?1 AND latitude = ?2 AND location = ?3")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO point (longitude, latitude, location, easting, northing) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for p in &batch.points {
                let at = (p.longitude.to_bits(), p.latitude.to_bits());
                if let Some(&id) =
                    known.points.get(&at).and_then(|v| v.iter().find(|(l, _)| *l == p.location).map(|(_, id)| id))
                {
                    point_ids.push(id);
                    continue;
                }
                let id = match find
                    .query_row(params![p.longitude, p.latitude, p.location], |r| r.get::<_, i64>(0))
                    .optional()?
                {
                    Some(id) => id,
                    None => {
                        insert.execute(params![p.longitude, p.latitude, p.location, p.easting, p.northing])?;
                        tx.last_insert_rowid()
                    }
                };
                known.points.entry(at).or_default().push((p.location.clone(), id));
                point_ids.push(id);
            }
        }
        let mut outcome_ids = Vec::with_capacity(batch.outcomes.len());
        {
            let mut st = tx.prepare_cached(
                "INSERT INTO outcome_category (name) VALUES (?1)
                 ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
            )?;
            for o in &batch.outcomes {
                let id = match known.outcomes.get(o.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = st.query_row(params![o], |r| r.get::<_, i64>(0))?;
                        known.outcomes.insert(o.clone(), id);
                        id
                    }
                };
                outcome_ids.push(id);
            }
        }

        let mut conn = crate::sql::sqlite::SqliteConn(tx);
        crate::resources::street::write_chunks(&mut conn, state, file_id, batch, &lsoa_ids, &point_ids, &outcome_ids)
    }

    /// One part of a crimes file (sorted by reference), its refused rows (references of crimes
    /// recorded in Peel) added to `refused`.
    fn write_crime_fact_part(tx: &Transaction, batch: &CrimeFactBatch, refused: &mut Vec<(u32, String)>) -> Result<()> {
        use crate::resources::crime_facts::{line_of, IMPORTED_COLUMNS, IMPORTED_REFUSED, IMPORTED_UPSERT};
        {
            let mut is_recorded = tx.prepare_cached(&IMPORTED_REFUSED.replace('$', "?"))?;
            let (columns, upsert) = (IMPORTED_COLUMNS.as_str(), IMPORTED_UPSERT.as_str());
            let mut st = tx.prepare_cached(&format!(
                "INSERT INTO crime_fact ({columns}) VALUES
                     (?1, 'imported', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
                 {upsert}"
            ))?;
            let force = i64::from(batch.force);
            // Rows come sorted by reference: its index fills front to back, the table's rows
            // are appended.
            for r in &batch.rows {
                let place = batch.places.get(r.place as usize);
                // Bound one by one (see write_street_batch): this runs once per crime.
                st.raw_bind_parameter(1, r.reference.as_str())?;
                st.raw_bind_parameter(2, force)?;
                st.raw_bind_parameter(3, r.recorded_at.as_str())?;
                st.raw_bind_parameter(4, r.occurred_at.as_deref())?;
                st.raw_bind_parameter(5, r.offence_code)?;
                st.raw_bind_parameter(6, r.category)?;
                st.raw_bind_parameter(7, r.harm_days)?;
                st.raw_bind_parameter(8, r.flags as i64)?;
                st.raw_bind_parameter(9, r.postcode.as_deref())?;
                st.raw_bind_parameter(10, r.easting)?;
                st.raw_bind_parameter(11, r.northing)?;
                st.raw_bind_parameter(12, place.map(|p| p.lsoa_code.as_str()))?;
                st.raw_bind_parameter(13, place.and_then(|p| p.msoa_code.as_deref()))?;
                st.raw_bind_parameter(14, place.and_then(|p| p.ward_code.as_deref()))?;
                st.raw_bind_parameter(15, place.and_then(|p| p.la_code.as_deref()))?;
                st.raw_bind_parameter(16, r.victim_age)?;
                st.raw_bind_parameter(17, r.victim_sex)?;
                st.raw_bind_parameter(18, r.outcome_type)?;
                st.raw_bind_parameter(19, r.outcome_date.as_deref())?;
                st.raw_bind_parameter(20, r.team.as_deref())?;
                // No change: the row is as the line says, or a recorded crime's, which the
                // upsert leaves and the import refuses.
                if st.raw_execute()? == 0 && is_recorded.exists(params![r.reference.as_str()])? {
                    refused.push((r.line, r.reference.to_string()));
                }
            }
        }
        let (Some(first), Some(last)) = (batch.rows.first(), batch.rows.last()) else { return Ok(()) };
        let over: Vec<String> = tx
            .prepare_cached(IMPORTED_OVER_RECORDED)?
            .query_map(params![first.reference.as_str(), last.reference.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut delete = tx.prepare_cached("DELETE FROM crime_fact WHERE reference = ?1")?;
        // Only this part's: an older import's row is not this import's to judge, and another
        // part's is judged with that part.
        for reference in over {
            if let Some(line) = line_of(batch, &reference) {
                delete.execute(params![reference])?;
                refused.push((line, reference));
            }
        }
        Ok(())
    }
}

impl crate::BulkLoad for SqliteStore {
    /// The load runs with `synchronous = OFF` and foreign-key checks off for its transaction
    /// only, set back afterwards whatever happens: a bulk load is for what can be loaded
    /// again (a demo, a migration into a fresh store), its references are checked by
    /// [`crate::CaseworkBulk::validate`] instead, and [`SqliteStore::foreign_key_violations`]
    /// confirms it after a load. Without the sync, a power cut mid-load can lose or damage
    /// what that load wrote, as SQLite warns.
    fn load_casework_bulk(&mut self, batch: &crate::CaseworkBulk) -> Result<crate::BulkReport> {
        use crate::sql::Engine;
        batch.validate()?;
        let sync: i64 = self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let keys: i64 = self.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        self.conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF")?;
        let result = self.write(|tx| crate::resources::bulk::load(tx, batch));
        let restored = self.conn.execute_batch(&format!("PRAGMA synchronous = {sync}; PRAGMA foreign_keys = {keys}"));
        let report = result?;
        restored?;
        Ok(report)
    }
}

impl SqliteStore {
    /// Rows of casework the store holds (reports, crimes and people): zero for a store
    /// without casework.
    pub fn casework_rows(&self) -> Result<u64> {
        use crate::casework::Casework;
        let c = self.casework_counts()?;
        Ok(c.reports + c.crimes + c.people)
    }

    /// Rows whose foreign keys point nowhere (`PRAGMA foreign_key_check`): zero after any
    /// bulk load, which checks its references itself instead of through SQLite.
    pub fn foreign_key_violations(&self) -> Result<u64> {
        let mut st = self.conn.prepare("PRAGMA foreign_key_check")?;
        let mut rows = st.query([])?;
        let mut n = 0;
        while rows.next()?.is_some() {
            n += 1;
        }
        Ok(n)
    }

    /// Sets how many pages in the write-ahead log make a commit checkpoint it into the
    /// database file (SQLite's default is 1,000; 0 turns automatic checkpoints off), and
    /// returns the setting it replaces. A bulk loader turns them off while another
    /// connection checkpoints ([`SqliteStore::checkpoint`]) on another thread, so that the
    /// writer does not copy every page twice itself; it must turn them back on.
    pub fn wal_autocheckpoint(&self, pages: i64) -> Result<i64> {
        let old: i64 = self.conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?;
        let _: i64 = self.conn.query_row(&format!("PRAGMA wal_autocheckpoint = {}", pages.max(0)), [], |r| r.get(0))?;
        Ok(old)
    }

    /// Copies what the write-ahead log holds into the database file as far as it can
    /// without waiting for or blocking anyone (a PASSIVE checkpoint).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cached statement with an equality filter on a parameter, run three times: how often
    /// SQLite prepared it again.
    fn reprepared(conn: &Connection) -> i32 {
        conn.execute_batch("CREATE TABLE IF NOT EXISTS t (a integer PRIMARY KEY, b text, c text)").unwrap();
        let sql = "INSERT INTO t (b, c) SELECT ?1, (SELECT c FROM t WHERE b = ?1 ORDER BY a LIMIT 1)";
        for b in ["x", "y", "z"] {
            let mut st = conn.prepare_cached(sql).unwrap();
            st.execute([b]).unwrap();
        }
        let st = conn.prepare_cached(sql).unwrap();
        st.get_status(rusqlite::StatementStatus::RePrepare)
    }

    #[test]
    fn parts_of_a_file_store_are_read_at_once_and_in_order() {
        use crate::sql::Engine;
        let on = |store: &SqliteStore| {
            let read = store.read_parts(&[1, 2, 3], &|c, p| {
                let n: i64 = c.query(&format!("SELECT {p} * 10"), &[])?[0].get(0)?;
                Ok((n, std::thread::current().id()))
            });
            read.unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let read = on(&SqliteStore::open(&dir.path().join("s.db")).unwrap());
        assert_eq!(read.iter().map(|r| r.0).collect::<Vec<_>>(), [10, 20, 30]);
        // The first on the caller's thread, each other on one of its own.
        let threads: std::collections::HashSet<_> = read.iter().map(|r| r.1).collect();
        assert_eq!((read[0].1, threads.len()), (std::thread::current().id(), 3));
        // In memory there is no second connection onto the same records: in turn, here.
        let read = on(&SqliteStore::in_memory().unwrap());
        assert_eq!(read.iter().map(|r| r.0).collect::<Vec<_>>(), [10, 20, 30]);
        assert!(read.iter().all(|r| r.1 == std::thread::current().id()));
        // A part that fails is the read's error, after every part has ended.
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let e = store.read_parts(&[1, 2], &|c, p| c.query(&format!("SELECT nothing_{p}"), &[]).map(|_| ()));
        assert!(e.is_err());
    }

    #[test]
    fn a_cached_statement_is_not_prepared_again_at_each_use() {
        // Without the setting SQLite prepares such a statement at every use (the test would
        // pass vacuously if it did not).
        assert!(reprepared(&Connection::open_in_memory().unwrap()) >= 2);
        let store = SqliteStore::in_memory().unwrap();
        assert_eq!(reprepared(&store.conn), 0);
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        assert_eq!(reprepared(&store.conn), 0);
    }
}
