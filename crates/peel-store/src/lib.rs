//! Peel's store: the interfaces ([`Store`] for the public data, [`casework::Casework`],
//! [`accounts::Accounts`], [`BulkLoad`]) over the places Peel keeps its data: the embedded
//! SQLite store ([`SqliteStore`], the default: a single file, created on first use) and
//! PostgreSQL ([`PostgresStore`], for a multi-user deployment).
//!
//! How it is laid out, so that each statement is written once:
//! - `sql`: the connection layer, [`sql::Conn`] with two real drivers (rusqlite, postgres)
//!   and [`sql::Dialect`] for the few genuine differences; transactions per store
//!   ([`sql::Engine`]);
//! - `resources/`: one module per resource (reports, incidents, crimes, people, obligations,
//!   contacts, evidence, reviews, cancellations, accounts, audit, street data, places, the
//!   force's areas ([`ForceAreas`]: NPUs and Impact Areas), the bulk loader), each holding
//!   its columns, row reader and statements; the interfaces are implemented there once for
//!   every store;
//! - [`audit`]: the audit trail's reads and access log (Data Protection Act 2018 s.62) and its
//!   SHA-256 hash chain, linked in every write's transaction ([`sql::Tx`]) and walked by
//!   [`audit::AuditTrail::verify_audit`];
//! - `migrations/NNNN_*.sql`: one set, rendered for each database (`migrations.rs`);
//! - `sqlite.rs`, `postgres.rs`: opening, migrating, and each store's fastest way to write an
//!   imported file's rows (prepared inserts; arrays and binary COPY); police.uk records
//!   themselves go as column chunks through statements written once (`street_chunk.rs` has
//!   the format, `resources/street.rs` the statements). Every write of an imported file is
//!   one transaction, so a file is stored whole or not at all;
//! - `wal.rs`: the embedded store's write-ahead log kept bounded under a server's load.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod casework;
pub mod changes;
mod dense;
mod migrations;
pub mod nominal;
pub mod tasks;
/// The schema version this Peel migrates a store to (the last migration it knows).
pub use migrations::latest as schema_version;
mod postgres;
mod records;
mod resources;
pub mod sql;
mod sqlite;
mod street_chunk;
pub mod wal;

pub use crate::postgres::PostgresStore;
pub use records::*;
pub use resources::bulk::{
    entitlement_bit, entitlement_mask, BulkLoad, BulkReport, CaseworkBulk, ContactColumns, CrimeColumns, EventColumns,
    EvidenceColumns, IncidentColumns, PersonColumns, ReportColumns, SuspectColumns,
};
pub use resources::force_areas::{none_defined, AreaRef, AreasReplaced, ForceAreas, Place, GRID_REACH_M};
pub use resources::idempotency::{Idempotency, IdempotencyClaim, IdempotencyRecord};
pub use resources::places::{normalise_postcode, normalise_postcode_inline};
pub use resources::search::SEARCH_COUNT_CAP;
pub use sqlite::SqliteStore;

use peel_analytics::{Geography, StreetColumns};
use peel_domain::YearMonth;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("store: {0}")]
    Invalid(String),
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: i64 },
    /// Someone else changed the record since the writer read it: nothing was written.
    #[error("{entity} {id} was changed by someone else (version {found}, not {expected}): reload and try again")]
    Conflict { entity: &'static str, id: i64, expected: i64, found: i64 },
    /// The operation does not fit the record's state (e.g. deciding an incident already decided).
    #[error("{0}")]
    Refused(String),
    /// The database undid the write for a deadlock or a serialization failure: nothing was
    /// written, and the same write may be tried again (PostgreSQL's writes are, a few times,
    /// before this reaches the caller).
    #[error("store busy, try again: {0}")]
    Retry(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Whether `db` names a PostgreSQL server (a `postgres://` or `postgresql://` URL) rather
/// than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// Opens the store `db` names: a `postgres://` or `postgresql://` URL opens [`PostgresStore`]
/// (`?options=-csearch_path%3Dname` keeps it in schema `name`, created on first use), anything
/// else is the path of a [`SqliteStore`] file, created on first use.
pub fn open(db: &str) -> Result<Box<dyn CaseStore>> {
    if is_postgres_url(db) {
        Ok(Box::new(PostgresStore::open(db)?))
    } else {
        Ok(Box::new(SqliteStore::open(std::path::Path::new(db))?))
    }
}

/// A store with everything Peel keeps: the public data it analyses ([`Store`]), casework
/// ([`casework::Casework`]) and the web application's accounts and sessions
/// ([`accounts::Accounts`]), as [`SqliteStore`] and [`PostgresStore`] all are; `Send`, so that
/// a server can hand a store from one thread to another.
pub trait CaseStore:
    Store
    + casework::Casework
    + accounts::Accounts
    + BulkLoad
    + Idempotency
    + audit::AuditTrail
    + ForceAreas
    + nominal::NominalIndex
    + tasks::Tasks
    + changes::CrimeChanges
    + Send
{
}
impl<
        T: Store
            + casework::Casework
            + accounts::Accounts
            + BulkLoad
            + Idempotency
            + audit::AuditTrail
            + ForceAreas
            + nominal::NominalIndex
            + tasks::Tasks
            + changes::CrimeChanges
            + Send,
    > CaseStore for T
{
}

/// What a save did: rows new to the store, and rows that replaced ones already there (the
/// same Crime ID, or the same file and line, imported again).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaveReport {
    pub inserted: u64,
    pub replaced: u64,
}

/// How a store writes an imported file: each store's own fastest path (SQLite's prepared
/// inserts, PostgreSQL's arrays and binary COPY) for what it writes row by row, the one place
/// the two stores keep statements of their own (a police.uk file's records themselves go as
/// column chunks through `resources/street.rs`, written once). Everything else of [`Store`] is written once, for every store that has this and an
/// [`sql::Engine`] (`resources/street.rs`, `resources/places.rs`).
pub trait FileWrites {
    /// The parts of one police.uk file, in one transaction: nothing of the file is stored if
    /// a part is [`StreetPart::Abandon`] (then `None`) or a write fails.
    fn write_street_parts(&mut self, parts: &mut dyn Iterator<Item = StreetPart<'_>>) -> Result<Option<SaveReport>>;
    fn write_recorded_crime(&mut self, batch: &RecordedCrimeBatch) -> Result<SaveReport>;
    fn write_lsoas(&mut self, batch: &LsoaBatch) -> Result<SaveReport>;
    /// The parts of one file of a force's crimes, in one transaction: `None`, with nothing
    /// stored, if a part is [`CrimeFactPart::Abandon`].
    fn write_crime_fact_parts(
        &mut self,
        parts: &mut dyn Iterator<Item = CrimeFactPart<'_>>,
    ) -> Result<Option<CrimeFactReport>>;
}

/// Runs `write` on each part of a police.uk file with the file's rows and refused rows so far
/// (the last part's call has the whole file's), summing what the parts did; `None` as soon as
/// a part says the file is abandoned (the caller then drops its transaction).
pub(crate) fn each_street_part(
    parts: &mut dyn Iterator<Item = StreetPart<'_>>,
    mut write: impl FnMut(&StreetBatch, u64, u64) -> Result<SaveReport>,
) -> Result<Option<SaveReport>> {
    let (mut report, mut rows, mut refused) = (SaveReport::default(), 0u64, 0u64);
    for part in parts {
        let batch = match part {
            StreetPart::Abandon => return Ok(None),
            StreetPart::Rows(b) => b,
        };
        rows += batch.rows.len() as u64;
        refused += batch.refused;
        let r = write(batch.as_ref(), rows, refused)?;
        report.inserted += r.inserted;
        report.replaced += r.replaced;
    }
    Ok(Some(report))
}

/// The interface every store implements. Methods take whole batches: an implementation
/// writes a batch in one transaction or not at all.
pub trait Store {
    /// Street-level records of one police.uk file.
    fn save_street_batch(&mut self, batch: &StreetBatch) -> Result<SaveReport> {
        let mut one = std::iter::once(StreetPart::Rows(std::borrow::Cow::Borrowed(batch)));
        // A single part is never abandoned.
        Ok(self.save_street_parts(&mut one)?.unwrap_or_default())
    }
    /// One police.uk file read in parts (a large file is parsed while the part before is
    /// written, and memory holds three parts, whatever the file's size), all in one
    /// transaction; `None`, with nothing stored, when a part says the file was abandoned.
    fn save_street_parts(&mut self, parts: &mut dyn Iterator<Item = StreetPart<'_>>) -> Result<Option<SaveReport>>;
    /// Home Office recorded crime rows of one file.
    fn save_recorded_crime(&mut self, batch: &RecordedCrimeBatch) -> Result<SaveReport>;
    /// ONS LSOA rows of one file; fields a file does not carry are left as they are.
    fn save_lsoas(&mut self, batch: &LsoaBatch) -> Result<SaveReport>;
    /// A force's crimes of one file (`peel import crimes`), each replacing the crime imported
    /// before under its reference, in one transaction; a reference of a crime recorded in Peel
    /// is refused, never overwritten.
    fn save_crime_facts(&mut self, batch: &CrimeFactBatch) -> Result<CrimeFactReport> {
        let mut one = std::iter::once(CrimeFactPart::Rows(std::borrow::Cow::Borrowed(batch)));
        // A single part is never abandoned.
        Ok(self.save_crime_fact_parts(&mut one)?.unwrap_or_default())
    }
    /// As [`Store::save_crime_facts`], the file read in parts (each written while the next
    /// is read); `None`, with nothing stored, when a part says the file was abandoned.
    fn save_crime_fact_parts(
        &mut self,
        parts: &mut dyn Iterator<Item = CrimeFactPart<'_>>,
    ) -> Result<Option<CrimeFactReport>>;
    /// Brings the crimes recorded in Peel into the force's analysis data (`crime_fact`): new
    /// and changed crimes written, cancelled ones taken out, current ones left alone; returns
    /// (crimes written, crimes taken out).
    fn project_recorded_crimes(&mut self, force: u16) -> Result<(u64, u64)>;
    /// Every postcode of the gazetteer with its grid point and area codes (names left out),
    /// for an import to resolve its places in memory.
    fn gazetteer(&self) -> Result<Vec<PostcodeRecord>>;
    /// Whether the store holds any of the force's own crimes (`crime_fact`): one index probe.
    fn holds_own_crimes(&self, force: u16) -> Result<bool>;
    /// A force's own crimes (`crime_fact`) recorded from `from` to `to` inclusive, as columns.
    fn load_crime_facts(&self, force: u16, from: YearMonth, to: YearMonth) -> Result<peel_analytics::CrimeFacts>;
    /// As [`Store::load_street_between`] for a force with its own crimes, with the crimes
    /// themselves read once for both (the board paper wants both); `None` when the store
    /// holds none of the force's own crimes.
    fn load_own_records(
        &self,
        force: u16,
        from: YearMonth,
        to: YearMonth,
    ) -> Result<Option<(peel_analytics::CrimeFacts, StreetColumns, Geography)>>;
    /// Brings the database's planner statistics up to date after a bulk load. PostgreSQL:
    /// `ANALYZE` (autovacuum would, a minute or more later; until then a freshly loaded
    /// table is planned as if nearly empty, and the obligations worklist took 50 ms instead
    /// of 1 under `peel bench-load`). SQLite: nothing — Peel's statements name the indexes
    /// its planner, which keeps no statistics unless asked, should use.
    fn refresh_statistics(&mut self) -> Result<()>;
    /// A force's own crimes recorded in `month`, as police.uk publishes them (`peel export
    /// police-uk`), in reference order.
    fn published_crimes(&self, force: u16, month: YearMonth) -> Result<Vec<PublishedCrime>>;
    /// A force's records from `from` to `to` inclusive, in column form with their geography
    /// (which covers the force's LSOAs whatever the months).
    ///
    /// Which records: the force's own crimes (`crime_fact`, as police.uk columns) when the
    /// store holds any for the force, else its police.uk street-level records. The whole
    /// force switches, not month by month: its own record is complete where police.uk's is
    /// a published subset (locations snapped, outcomes lagging, some offences withheld), and
    /// a series that changed source mid-way would show the change as a trend. Own crimes
    /// carry no anti-social behaviour (not a crime; no offence code).
    fn load_street_between(&self, force: u16, from: YearMonth, to: YearMonth) -> Result<(StreetColumns, Geography)>;
    /// A force's street-level records, all months.
    fn load_street(&self, force: u16) -> Result<(StreetColumns, Geography)> {
        self.load_street_between(force, YearMonth { year: 1900, month: 1 }, YearMonth { year: 2999, month: 12 })
    }
    /// What the store holds, force by force.
    fn holdings(&self) -> Result<Holdings>;
    /// Home Office recorded crime of one force.
    fn recorded_crime(&self, force: u16) -> Result<Vec<RecordedCrime>>;
    /// People per force (`Force::code`): ONS 2011 usual residents of the LSOAs the ONS lookup
    /// places in it; forces without any are not listed.
    fn force_populations(&self) -> Result<Vec<(u16, u64)>>;
    /// Postcodes of one gazetteer file, each replacing what the store held for it.
    fn save_postcodes(&mut self, batch: &PostcodeBatch) -> Result<SaveReport>;
    /// LSOA boundaries of one file, each replacing what the store held for it.
    fn save_lsoa_boundaries(&mut self, batch: &BoundaryBatch) -> Result<SaveReport>;
    /// A postcode's place, however the postcode is written (`Invalid` if it is not one;
    /// `None` if the store has no such postcode).
    fn postcode(&self, postcode: &str) -> Result<Option<PostcodeRecord>>;
    /// A force's LSOA boundaries, by code.
    fn lsoa_boundaries(&self, force: u16) -> Result<Vec<LsoaBoundary>>;
}
