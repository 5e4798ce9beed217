//! The PostgreSQL store: the same [`Store`] as the embedded SQLite one, for a force that
//! keeps its data on a server.
//!
//! `PostgresStore::open("postgres://user@host/db")` connects and migrates the tables in the
//! connection's current schema. A store can live in a schema of its own, created on first use:
//! either [`PostgresStore::open_in_schema`], or the standard libpq way in the URL itself,
//! `postgres://user@host/db?options=-csearch_path%3Dname`: when no schema on the search path
//! exists yet, the first one named is created. (The CLI's `--db` takes such a URL.)
//!
//! Semantics follow `SqliteStore` exactly: police.uk records keyed by (force, month, record
//! key) replace the ones stored under the same key, ONS fields a file does not carry keep what
//! is stored, and every batch is one transaction. What differs is how rows travel, since each
//! statement is a round trip: a police.uk file's dictionaries (LSOAs, snap points, outcomes)
//! go as arrays, a few statements per part; its records go as column chunks, a few
//! statements per force and month of a part, through the statements both stores share
//! (`resources/street.rs`); an import of a force's crimes goes by binary COPY into a staging
//! table merged with one `INSERT ... ON CONFLICT DO UPDATE`.

use crate::migrations::{self, MIGRATIONS};
use crate::records::*;
use crate::resources::idempotency::{ClaimSlot, HasClaimSlot};
use crate::sql::Dialect;
use crate::{Result, SaveReport, StoreError};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Transaction};
use std::cell::RefCell;
use std::collections::HashMap;

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        StoreError::Invalid(format!("postgres: {}", describe(&e)))
    }
}

/// The client's error with its causes: `Display` alone gives only "db error".
pub(crate) fn describe(e: &postgres::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

/// `url` with any password replaced by `***`, for messages.
fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else { return url.to_string() };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => {
            format!("{}{}:***{}", &url[..scheme_end], &authority[..colon], &rest[at..])
        }
        _ => url.to_string(),
    }
}

/// An identifier quoted for SQL: `"name"`, inner quotes doubled.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The first schema a `search_path` setting names, as PostgreSQL reads it: unquoted names
/// fold to lower case, `$user` is skipped.
fn first_schema(search_path: &str) -> Option<String> {
    let name = search_path.split(',').map(str::trim).find(|s| !s.is_empty() && *s != "$user" && *s != "\"$user\"")?;
    Some(match name.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => name.to_lowercase(),
    })
}

fn connect(url: &str) -> Result<Client> {
    Client::connect(url, NoTls).map_err(|e| {
        StoreError::Invalid(format!("cannot connect to PostgreSQL at {}: {}", redact_url(url), describe(&e)))
    })
}

/// Creates `schema` unless it exists (two stores opening it at once may race to create it).
fn create_schema(client: &mut Client, schema: &str) -> Result<()> {
    if let Err(e) = client.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(schema))) {
        let exists = client.query_opt("SELECT 1 FROM pg_namespace WHERE nspname = $1", &[&schema])?.is_some();
        if !exists {
            return Err(e.into());
        }
    }
    Ok(())
}

fn int(v: u32, what: &str) -> Result<i32> {
    i32::try_from(v).map_err(|_| StoreError::Invalid(format!("{what} {v} is too large for the store")))
}

pub struct PostgresStore {
    /// `Store`'s readers take `&self`; the client needs `&mut` for every statement.
    pub(crate) client: RefCell<Client>,
    /// The statements prepared on `client` (`sql::postgres::Statements`).
    pub(crate) statements: RefCell<crate::sql::postgres::Statements>,
    /// An idempotency key the next write claims (peel-http's API writes).
    pub(crate) claims: ClaimSlot,
}

impl HasClaimSlot for PostgresStore {
    fn claim_slot(&mut self) -> &mut ClaimSlot {
        &mut self.claims
    }
}

impl PostgresStore {
    /// `db` (a URL or a path) as it may be shown: any password in a URL replaced by `***`.
    pub fn redact_url(db: &str) -> String {
        redact_url(db)
    }

    /// Connects to `url` and brings the schema up to date. The tables live in the
    /// connection's current schema; when its search path names only schemas that do not
    /// exist yet (`?options=-csearch_path%3Dname`), the first is created.
    pub fn open(url: &str) -> Result<PostgresStore> {
        let mut client = connect(url)?;
        let current: Option<String> = client.query_one("SELECT current_schema()", &[])?.get(0);
        if current.is_none() {
            let path: String = client.query_one("SELECT current_setting('search_path')", &[])?.get(0);
            let schema = first_schema(&path).ok_or_else(|| {
                StoreError::Invalid(format!("PostgreSQL at {}: the search path names no schema", redact_url(url)))
            })?;
            create_schema(&mut client, &schema)?;
        }
        Self::init(client)
    }

    /// Connects to `url` and keeps the store in `schema`, created if missing: one database
    /// can hold several stores (a test's, a training copy).
    pub fn open_in_schema(url: &str, schema: &str) -> Result<PostgresStore> {
        let mut client = connect(url)?;
        create_schema(&mut client, schema)?;
        client.batch_execute(&format!("SET search_path TO {}", quote_ident(schema)))?;
        Self::init(client)
    }

    /// Drops `schema` and everything in it: for tests and tear-down.
    pub fn drop_schema(url: &str, schema: &str) -> Result<()> {
        let mut client = connect(url)?;
        client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", quote_ident(schema)))?;
        Ok(())
    }

    fn init(client: Client) -> Result<PostgresStore> {
        let mut store = PostgresStore {
            client: RefCell::new(client),
            statements: RefCell::default(),
            claims: ClaimSlot::default(),
        };
        store.migrate()?;
        crate::resources::search::catch_up_on_open(&mut store)?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let client = self.client.get_mut();
        // One Peel migrates a schema at a time: another opening it now waits here, then
        // finds the work done.
        let lock = "SELECT pg_advisory_xact_lock(hashtext('peel-migrate:' || current_schema()))";
        let mut tx = client.transaction()?;
        tx.execute(lock, &[])?;
        // Only when missing: PostgreSQL checks CREATE on the schema even for IF NOT EXISTS,
        // and the service's runtime role has none (deploy/postgres-roles.sql).
        let exists: bool = tx.query_one("SELECT to_regclass('schema_migration') IS NOT NULL", &[])?.get(0);
        if !exists {
            tx.batch_execute(
                "CREATE TABLE schema_migration (
                    version bigint PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())",
            )?;
        }
        let current = current_version(&mut tx)?;
        let applied: Vec<i64> =
            tx.query("SELECT version FROM schema_migration", &[])?.iter().map(|r| r.get(0)).collect();
        tx.commit()?;
        let latest = migrations::latest();
        if current > latest {
            return Err(StoreError::Invalid(format!(
                "the store is at schema version {current}, newer than this Peel knows ({latest}): upgrade Peel"
            )));
        }
        // Each migration not yet applied, not only those above the highest: two branches'
        // migrations (e.g. 14 and 15) land in either order.
        for &(version, name, sql) in MIGRATIONS.iter().filter(|m| !applied.contains(&m.0)) {
            let mut tx = client.transaction()?;
            tx.execute(lock, &[])?;
            // Another Peel may have applied it meanwhile.
            if tx.query_opt("SELECT 1 FROM schema_migration WHERE version = $1", &[&version])?.is_some() {
                continue;
            }
            tx.batch_execute(&migrations::render(sql, Dialect::Postgres))?;
            tx.execute("INSERT INTO schema_migration (version, name) VALUES ($1, $2)", &[&version, &name])?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The schema version the store is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.client.borrow_mut().query_one("SELECT max(version) FROM schema_migration", &[])?.get(0))
    }
}

fn current_version(tx: &mut Transaction) -> Result<i64> {
    Ok(tx.query_one("SELECT coalesce(max(version), 0) FROM schema_migration", &[])?.get(0))
}

/// Registers (or finds) a source file and records its row counts; returns its id.
fn source_file(tx: &mut Transaction, kind: &str, name: &str, stored: u64, refused: u64) -> Result<i64> {
    let existing = tx.query_opt(
        "UPDATE source_file SET rows_stored = $3, rows_refused = $4, imported_at = now()
         WHERE kind = $1 AND name = $2 RETURNING id",
        &[&kind, &name, &(stored as i64), &(refused as i64)],
    )?;
    if let Some(row) = existing {
        return Ok(row.get(0));
    }
    Ok(tx
        .query_one(
            "INSERT INTO source_file (kind, name, rows_stored, rows_refused) VALUES ($1, $2, $3, $4)
             ON CONFLICT (kind, name) DO UPDATE SET rows_stored = excluded.rows_stored,
                 rows_refused = excluded.rows_refused, imported_at = excluded.imported_at
             RETURNING id",
            &[&kind, &name, &(stored as i64), &(refused as i64)],
        )?
        .get(0))
}

/// Ids for each value of a dictionary, in its order. The stored values are looked up, then
/// the others inserted and looked up in turn: three statements for a new file, one for a file
/// seen before, and no identity numbers burnt on values that exist. `lookup` returns
/// `(position in the slice it is given, id)` for the values there that are stored;
/// `insert` inserts the values at the positions given.
fn dictionary_ids(
    tx: &mut Transaction,
    len: usize,
    mut lookup: impl FnMut(&mut Transaction, &[usize]) -> Result<Vec<(usize, i64)>>,
    insert: impl FnOnce(&mut Transaction, &[usize]) -> Result<()>,
) -> Result<Vec<i64>> {
    let mut ids = vec![None; len];
    if len == 0 {
        return Ok(Vec::new());
    }
    let all: Vec<usize> = (0..len).collect();
    for (at, id) in lookup(tx, &all)? {
        ids[at] = Some(id);
    }
    let missing: Vec<usize> = (0..len).filter(|&i| ids[i].is_none()).collect();
    if !missing.is_empty() {
        insert(tx, &missing)?;
        for (at, id) in lookup(tx, &missing)? {
            ids[missing[at]] = Some(id);
        }
    }
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| {
            id.ok_or_else(|| StoreError::Invalid(format!("dictionary value {i} not found after inserting it")))
        })
        .collect()
}

/// `(position, id)` pairs from a lookup query's `(ordinal from 1, id)` rows.
fn positions(rows: Vec<postgres::Row>) -> Result<Vec<(usize, i64)>> {
    rows.iter().map(|r| Ok((r.try_get::<_, i64>(0)? as usize - 1, r.try_get(1)?))).collect()
}

/// Per-LSOA fields of an ONS row, as columns for `unnest`.
#[derive(Default)]
struct LsoaColumns {
    code: Vec<String>,
    name: Vec<Option<String>>,
    msoa_code: Vec<Option<String>>,
    msoa_name: Vec<Option<String>>,
    la_code: Vec<Option<String>>,
    la_name: Vec<Option<String>>,
    region_name: Vec<Option<String>>,
    force: Vec<Option<i32>>,
    persons: Vec<Option<i64>>,
    households: Vec<Option<i64>>,
    hectares: Vec<Option<f64>>,
}

const LSOA_FIELDS: [&str; 10] = [
    "name",
    "msoa_code",
    "msoa_name",
    "la_code",
    "la_name",
    "region_name",
    "force",
    "persons",
    "households",
    "hectares",
];

const LSOA_UNNEST: &str = "unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                  $7::text[], $8::int4[], $9::int8[], $10::int8[], $11::float8[])
    AS u(code, name, msoa_code, msoa_name, la_code, la_name, region_name, force, persons, households, hectares)";

/// Binary COPY of an import's crimes into the session's staging table, with their lines.
fn copy_crime_facts(tx: &mut Transaction, batch: &CrimeFactBatch) -> Result<(), postgres::Error> {
    use crate::resources::crime_facts::IMPORTED_COLUMNS;
    let columns = IMPORTED_COLUMNS.as_str();
    let sink = tx.copy_in(&format!("COPY peel_crime_in ({columns}, line) FROM STDIN (FORMAT binary)"))?;
    let (t, i4) = (Type::TEXT, Type::INT4);
    let types = [
        t.clone(),
        t.clone(),
        i4.clone(),
        t.clone(),
        t.clone(),
        t.clone(),
        i4.clone(),
        Type::FLOAT8,
        Type::INT8,
        t.clone(),
        i4.clone(),
        i4.clone(),
        t.clone(),
        t.clone(),
        t.clone(),
        t.clone(),
        i4.clone(),
        t.clone(),
        i4.clone(),
        t.clone(),
        t,
        i4,
    ];
    let mut writer = BinaryCopyInWriter::new(sink, &types);
    let force = i32::from(batch.force);
    for r in &batch.rows {
        let place = batch.places.get(r.place as usize);
        let small = |v: Option<u8>| v.map(i32::from);
        writer.write(&[
            &r.reference.as_str(),
            &"imported",
            &force,
            &r.recorded_at.as_str(),
            &r.occurred_at.as_deref(),
            &r.offence_code,
            &i32::from(r.category),
            &r.harm_days,
            &(r.flags as i64),
            &r.postcode.as_deref(),
            &r.easting,
            &r.northing,
            &place.map(|p| p.lsoa_code.as_str()),
            &place.and_then(|p| p.msoa_code.as_deref()),
            &place.and_then(|p| p.ward_code.as_deref()),
            &place.and_then(|p| p.la_code.as_deref()),
            &small(r.victim_age),
            &r.victim_sex,
            &small(r.outcome_type),
            &r.outcome_date.as_deref(),
            &r.team.as_deref(),
            &(r.line as i32),
        ])?;
    }
    writer.finish()?;
    Ok(())
}

/// One part of a police.uk file, in the file's transaction.
fn write_street_part(
    tx: &mut Transaction,
    statements: &mut crate::sql::postgres::Statements,
    state: &mut crate::resources::street::StreetFileWrite,
    file_id: i64,
    batch: &StreetBatch,
) -> Result<SaveReport> {
    // Dictionaries first, each value sent once as an element of an array.
    let lsoa_ids = {
        let codes = |at: &[usize]| -> Vec<&str> { at.iter().map(|&i| batch.lsoas[i].0.as_str()).collect() };
        let names = |at: &[usize]| -> Vec<&str> { at.iter().map(|&i| batch.lsoas[i].1.as_str()).collect() };
        let mut unnamed = Vec::new();
        let ids = dictionary_ids(
            tx,
            batch.lsoas.len(),
            |tx, at| {
                let rows = tx.query(
                    "SELECT u.i, l.id, l.name IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS u(code, i)
                         JOIN lsoa l ON l.code = u.code",
                    &[&codes(at)],
                )?;
                unnamed
                    .extend(rows.iter().filter(|r| r.get::<_, bool>(2)).map(|r| at[r.get::<_, i64>(0) as usize - 1]));
                positions(rows)
            },
            |tx, at| {
                tx.execute(
                    "INSERT INTO lsoa (code, name) SELECT * FROM unnest($1::text[], $2::text[])
                         ON CONFLICT (code) DO NOTHING",
                    &[&codes(at), &names(at)],
                )?;
                Ok(())
            },
        )?;
        // police.uk names an LSOA only where the store has no name for it yet.
        if !unnamed.is_empty() {
            tx.execute(
                "UPDATE lsoa SET name = u.name FROM unnest($1::text[], $2::text[]) AS u(code, name)
                     WHERE lsoa.code = u.code AND lsoa.name IS NULL",
                &[&codes(&unnamed), &names(&unnamed)],
            )?;
        }
        ids
    };

    let point_ids = {
        let floats =
            |at: &[usize], f: fn(&SnapPoint) -> f64| -> Vec<f64> { at.iter().map(|&i| f(&batch.points[i])).collect() };
        let locations = |at: &[usize]| -> Vec<&str> { at.iter().map(|&i| batch.points[i].location.as_str()).collect() };
        dictionary_ids(
            tx,
            batch.points.len(),
            |tx, at| {
                positions(tx.query(
                    "SELECT u.i, p.id FROM unnest($1::float8[], $2::float8[], $3::text[])
                             WITH ORDINALITY AS u(lon, lat, loc, i)
                         JOIN point p ON p.longitude = u.lon AND p.latitude = u.lat AND p.location = u.loc",
                    &[&floats(at, |p| p.longitude), &floats(at, |p| p.latitude), &locations(at)],
                )?)
            },
            |tx, at| {
                tx.execute(
                    "INSERT INTO point (longitude, latitude, location, easting, northing)
                         SELECT * FROM unnest($1::float8[], $2::float8[], $3::text[], $4::float8[], $5::float8[])
                         ON CONFLICT DO NOTHING",
                    &[
                        &floats(at, |p| p.longitude),
                        &floats(at, |p| p.latitude),
                        &locations(at),
                        &floats(at, |p| p.easting),
                        &floats(at, |p| p.northing),
                    ],
                )?;
                Ok(())
            },
        )?
    };

    let outcome_ids = {
        let names = |at: &[usize]| -> Vec<&str> { at.iter().map(|&i| batch.outcomes[i].as_str()).collect() };
        dictionary_ids(
            tx,
            batch.outcomes.len(),
            |tx, at| {
                positions(tx.query(
                    "SELECT u.i, o.id FROM unnest($1::text[]) WITH ORDINALITY AS u(name, i)
                         JOIN outcome_category o ON o.name = u.name",
                    &[&names(at)],
                )?)
            },
            |tx, at| {
                tx.execute(
                    "INSERT INTO outcome_category (name) SELECT * FROM unnest($1::text[])
                         ON CONFLICT (name) DO NOTHING",
                    &[&names(at)],
                )?;
                Ok(())
            },
        )?
    };

    let mut conn = crate::sql::postgres::PgConn(tx, statements);
    crate::resources::street::write_chunks(&mut conn, state, file_id, batch, &lsoa_ids, &point_ids, &outcome_ids)
}

impl crate::FileWrites for PostgresStore {
    /// The file's parts gathered into one batch, COPY into a session-local staging table, the
    /// rows whose reference is a recorded crime taken out (and reported), then one merging
    /// INSERT: one statement merges the whole file, faster here than a merge per part.
    fn write_crime_fact_parts(
        &mut self,
        parts: &mut dyn Iterator<Item = CrimeFactPart<'_>>,
    ) -> Result<Option<CrimeFactReport>> {
        use crate::resources::crime_facts::{IMPORTED_COLUMNS, IMPORTED_UPSERT};
        let mut read = Vec::new();
        for part in parts {
            match part {
                CrimeFactPart::Abandon => return Ok(None),
                CrimeFactPart::Rows(b) => read.push(b.into_owned()),
            }
        }
        let batch = &CrimeFactBatch::gather(read);
        let client = self.client.get_mut();
        let mut tx = client.transaction()?;
        tx.batch_execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS peel_crime_in (LIKE crime_fact, line integer)
                 ON COMMIT DELETE ROWS;
             TRUNCATE peel_crime_in",
        )?;
        copy_crime_facts(&mut tx, batch)?;
        let mut refused: Vec<(u32, String)> = tx
            .query(
                "DELETE FROM peel_crime_in t
                 WHERE EXISTS (SELECT 1 FROM crime_fact f WHERE f.reference = t.reference AND f.origin <> 'imported')
                    OR EXISTS (SELECT 1 FROM crime c WHERE c.reference = t.reference)
                 RETURNING line, reference",
                &[],
            )?
            .iter()
            .map(|r| (r.get::<_, i32>(0) as u32, r.get(1)))
            .collect();
        refused.sort();
        if batch.all_or_nothing && !refused.is_empty() {
            tx.rollback()?;
            return Ok(Some(CrimeFactReport { refused, stored: false, ..CrimeFactReport::default() }));
        }
        let before: i64 = tx.query_one("SELECT count(*) FROM crime_fact", &[])?.get(0);
        let (columns, upsert) = (IMPORTED_COLUMNS.as_str(), IMPORTED_UPSERT.as_str());
        tx.execute(
            &format!(
                "INSERT INTO crime_fact ({columns}) SELECT {columns} FROM peel_crime_in
                 {upsert}"
            ),
            &[],
        )?;
        let after: i64 = tx.query_one("SELECT count(*) FROM crime_fact", &[])?.get(0);
        let written = batch.rows.len() as u64 - refused.len() as u64;
        source_file(&mut tx, "crimes", &batch.file_name, written, batch.refused + refused.len() as u64)?;
        tx.commit()?;
        let inserted = (after - before) as u64;
        Ok(Some(CrimeFactReport { inserted, replaced: written - inserted, refused, stored: true }))
    }

    fn write_street_parts(&mut self, parts: &mut dyn Iterator<Item = StreetPart<'_>>) -> Result<Option<SaveReport>> {
        let client = self.client.get_mut();
        let statements = self.statements.get_mut();
        let mut tx = client.transaction()?;
        let mut state = crate::resources::street::StreetFileWrite::default();
        let report = crate::each_street_part(parts, |batch, rows, refused| {
            // The file's counts so far: the last part leaves the whole file's.
            let file_id = source_file(&mut tx, "police-uk", &batch.file_name, rows, refused)?;
            write_street_part(&mut tx, statements, &mut state, file_id, batch)
        })?;
        // Abandoned: dropping the transaction undoes every part written.
        let Some(report) = report else { return Ok(None) };
        tx.commit()?;
        Ok(Some(report))
    }

    fn write_recorded_crime(&mut self, batch: &RecordedCrimeBatch) -> Result<SaveReport> {
        let client = self.client.get_mut();
        let mut tx = client.transaction()?;
        let file_id = source_file(&mut tx, "home-office", &batch.file_name, batch.rows.len() as u64, batch.refused)?;
        // A key repeated within the file: the later row wins, as row-by-row upserts would.
        let mut latest: HashMap<(u16, i32, u8, &str), usize> = HashMap::new();
        for (i, r) in batch.rows.iter().enumerate() {
            latest.insert((r.force, r.financial_year, r.quarter, r.offence_code.as_str()), i);
        }
        let mut chosen: Vec<usize> = latest.into_values().collect();
        chosen.sort_unstable();
        let rows: Vec<&RecordedCrime> = chosen.iter().map(|&i| &batch.rows[i]).collect();
        let force: Vec<i32> = rows.iter().map(|r| r.force.into()).collect();
        let year: Vec<i32> = rows.iter().map(|r| r.financial_year).collect();
        let quarter: Vec<i16> = rows.iter().map(|r| r.quarter.into()).collect();
        let code: Vec<&str> = rows.iter().map(|r| r.offence_code.as_str()).collect();
        let offences: Vec<i64> = rows.iter().map(|r| r.offences).collect();
        let line: Vec<i32> = rows.iter().map(|r| int(r.line, "line")).collect::<Result<_>>()?;

        let before: i64 = tx.query_one("SELECT count(*) FROM recorded_crime", &[])?.get(0);
        tx.execute(
            "INSERT INTO recorded_crime (force, financial_year, quarter, offence_code, offences, file, line)
             SELECT force, financial_year, quarter, offence_code, offences, $7, line
             FROM unnest($1::int4[], $2::int4[], $3::int2[], $4::text[], $5::int8[], $6::int4[])
                 AS u(force, financial_year, quarter, offence_code, offences, line)
             ON CONFLICT (force, financial_year, quarter, offence_code) DO UPDATE SET
                 offences = excluded.offences, file = excluded.file, line = excluded.line",
            &[&force, &year, &quarter, &code, &offences, &line, &file_id],
        )?;
        let after: i64 = tx.query_one("SELECT count(*) FROM recorded_crime", &[])?.get(0);
        tx.commit()?;
        let inserted = (after - before) as u64;
        Ok(SaveReport { inserted, replaced: batch.rows.len() as u64 - inserted })
    }

    fn write_lsoas(&mut self, batch: &LsoaBatch) -> Result<SaveReport> {
        let client = self.client.get_mut();
        let mut tx = client.transaction()?;
        source_file(&mut tx, "ons", &batch.file_name, batch.rows.len() as u64, batch.refused)?;

        // Rows of one code merge first, a later row's fields over an earlier's, as
        // row-by-row upserts would leave them; then one UPDATE and one INSERT.
        let mut merged: Vec<LsoaRecord> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for r in &batch.rows {
            match at.get(r.code.as_str()) {
                None => {
                    at.insert(&r.code, merged.len());
                    merged.push(r.clone());
                }
                Some(&i) => {
                    let m = &mut merged[i];
                    let over = |old: &mut Option<String>, new: &Option<String>| {
                        if new.is_some() {
                            old.clone_from(new)
                        }
                    };
                    over(&mut m.name, &r.name);
                    over(&mut m.msoa_code, &r.msoa_code);
                    over(&mut m.msoa_name, &r.msoa_name);
                    over(&mut m.la_code, &r.la_code);
                    over(&mut m.la_name, &r.la_name);
                    over(&mut m.region_name, &r.region_name);
                    m.force = r.force.or(m.force);
                    m.persons = r.persons.or(m.persons);
                    m.households = r.households.or(m.households);
                    m.hectares = r.hectares.or(m.hectares);
                }
            }
        }
        let mut c = LsoaColumns::default();
        for r in merged {
            c.code.push(r.code);
            c.name.push(r.name);
            c.msoa_code.push(r.msoa_code);
            c.msoa_name.push(r.msoa_name);
            c.la_code.push(r.la_code);
            c.la_name.push(r.la_name);
            c.region_name.push(r.region_name);
            c.force.push(r.force.map(i32::from));
            c.persons.push(r.persons.map(|v| v as i64));
            c.households.push(r.households.map(|v| v as i64));
            c.hectares.push(r.hectares);
        }
        let params: [&(dyn ToSql + Sync); 11] = [
            &c.code,
            &c.name,
            &c.msoa_code,
            &c.msoa_name,
            &c.la_code,
            &c.la_name,
            &c.region_name,
            &c.force,
            &c.persons,
            &c.households,
            &c.hectares,
        ];

        let before: i64 = tx.query_one("SELECT count(*) FROM lsoa", &[])?.get(0);
        // A field the file does not carry (NULL) keeps what the store already has; an LSOA
        // the file leaves as it is gets no new row version.
        let set: Vec<String> = LSOA_FIELDS.iter().map(|f| format!("{f} = coalesce(u.{f}, lsoa.{f})")).collect();
        let old: Vec<String> = LSOA_FIELDS.iter().map(|f| format!("lsoa.{f}")).collect();
        let new: Vec<String> = LSOA_FIELDS.iter().map(|f| format!("coalesce(u.{f}, lsoa.{f})")).collect();
        tx.execute(
            &format!(
                "UPDATE lsoa SET {} FROM {LSOA_UNNEST}
                 WHERE lsoa.code = u.code AND ({}) IS DISTINCT FROM ({})",
                set.join(", "),
                old.join(", "),
                new.join(", ")
            ),
            &params,
        )?;
        let excluded: Vec<String> =
            LSOA_FIELDS.iter().map(|f| format!("{f} = coalesce(excluded.{f}, lsoa.{f})")).collect();
        tx.execute(
            &format!(
                "INSERT INTO lsoa (code, {fields}) SELECT code, {fields} FROM {LSOA_UNNEST}
                 WHERE NOT EXISTS (SELECT 1 FROM lsoa l WHERE l.code = u.code)
                 ON CONFLICT (code) DO UPDATE SET {}",
                excluded.join(", "),
                fields = LSOA_FIELDS.join(", ")
            ),
            &params,
        )?;
        let after: i64 = tx.query_one("SELECT count(*) FROM lsoa", &[])?.get(0);
        tx.commit()?;
        let inserted = (after - before) as u64;
        Ok(SaveReport { inserted, replaced: batch.rows.len() as u64 - inserted })
    }
}

impl crate::BulkLoad for PostgresStore {
    /// The load's transaction commits without waiting for its WAL to reach the disk
    /// (`synchronous_commit = off`, for this transaction only): a crash just after can lose the
    /// load, never corrupt the store, and a bulk load is for what can be loaded again.
    fn load_casework_bulk(&mut self, batch: &crate::CaseworkBulk) -> Result<crate::BulkReport> {
        use crate::sql::{Conn, Engine};
        batch.validate()?;
        self.write(|tx| {
            tx.execute("SET LOCAL synchronous_commit = off", &[])?;
            crate::resources::bulk::load(tx, batch)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(redact_url("postgres://u:secret@h:5432/db?x=1"), "postgres://u:***@h:5432/db?x=1");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("postgres://h:5432/db"), "postgres://h:5432/db");
        assert_eq!(redact_url("peel.db"), "peel.db");
    }

    #[test]
    fn the_first_schema_of_a_search_path() {
        assert_eq!(first_schema("test_xyz").as_deref(), Some("test_xyz"));
        assert_eq!(first_schema("\"$user\", Peel, public").as_deref(), Some("peel"));
        assert_eq!(first_schema("\"My \"\"Store\"\"\"").as_deref(), Some("My \"Store\""));
        assert_eq!(first_schema(" ").as_deref(), None);
    }
}
