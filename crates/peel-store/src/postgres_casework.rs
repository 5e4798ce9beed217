//! Casework on the PostgreSQL store: the same operations, with the same answers, as
//! `sqlite_casework.rs` (same statements, same orderings, same audit entries).
//!
//! Transactions. Every write is one READ COMMITTED transaction with its audit entries. A
//! write to a versioned record (incident, crime) first reads it `FOR NO KEY UPDATE`: a second
//! writer of the same record waits there until the first commits, then reads the version the
//! first wrote, and fails with `Conflict` rather than overwrite it. (`NO KEY UPDATE`, not
//! `UPDATE`, so that rows pointing at the record — contacts, evidence, people — can still be
//! added meanwhile: their foreign-key checks take `KEY SHARE`, which it does not block.)
//! An obligation is met by `UPDATE … WHERE met_at IS NULL`, which READ COMMITTED checks again
//! on the latest row after waiting for a concurrent writer: it is met once. A contact meeting
//! several obligations locks them first in id order, so that two contacts naming the same
//! ones in opposite orders queue rather than deadlock. Reference numbers come from
//! `reference_counter`, whose row lock queues the writers of one series. Should PostgreSQL
//! still undo an operation for a deadlock or a serialization failure, it is tried again from
//! the start, a few times.
//! Reads of more than one statement share one snapshot (REPEATABLE READ, READ ONLY).
//!
//! Round trips. Each statement goes with its parameter types (`query_typed`): parse, bind and
//! execute in one round trip, with no prepared statement left to close; inserts and updates
//! return what they wrote (`RETURNING`) instead of reading it back; a victim's obligations
//! are inserted in one statement, and a write's audit entries are appended in one statement
//! just before it commits, in the order made (so in id order, as in SQLite).

use crate::casework::*;
use crate::{PostgresStore, Result, StoreError};
use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, GenericClient, IsolationLevel, Row, Transaction};
use serde_json::Value;

/// A failure inside an operation. The client's error is kept whole until the operation
/// ends, so that a deadlock can be retried and a missing foreign key named.
enum Fail {
    Pg(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for Fail {
    fn from(e: postgres::Error) -> Fail {
        Fail::Pg(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Fail {
        Fail::Store(e)
    }
}

impl From<Fail> for StoreError {
    fn from(f: Fail) -> StoreError {
        match f {
            Fail::Store(e) => e,
            Fail::Pg(e) => missing_reference(&e).unwrap_or_else(|| e.into()),
        }
    }
}

type R<T> = std::result::Result<T, Fail>;

/// A foreign key naming a record that does not exist, as `NotFound`. PostgreSQL details it
/// as `Key (person)=(99) is not present in table "person".`
fn missing_reference(e: &postgres::Error) -> Option<StoreError> {
    let db = e.as_db_error()?;
    if db.code() != &SqlState::FOREIGN_KEY_VIOLATION {
        return None;
    }
    let detail = db.detail()?;
    let id = detail.split_once(")=(")?.1.split_once(')')?.0.parse().ok()?;
    let table = detail.rsplit_once("table \"")?.1.trim_end_matches(['.', '"']);
    let entity = ["organisation", "site", "person", "report", "incident", "crime"].into_iter().find(|t| *t == table)?;
    Some(StoreError::NotFound { entity, id })
}

/// How many times an operation is tried when PostgreSQL undoes it for a deadlock or a
/// serialization failure.
const ATTEMPTS: usize = 5;

fn retryable(e: &postgres::Error) -> bool {
    matches!(e.code(), Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE)
}

/// A parameter with the PostgreSQL type it is sent as.
trait Param: ToSql + Sync {
    const TYPE: Type;
}

impl Param for i64 {
    const TYPE: Type = Type::INT8;
}
impl Param for i32 {
    const TYPE: Type = Type::INT4;
}
impl Param for bool {
    const TYPE: Type = Type::BOOL;
}
impl Param for f64 {
    const TYPE: Type = Type::FLOAT8;
}
impl Param for String {
    const TYPE: Type = Type::TEXT;
}
impl Param for &str {
    const TYPE: Type = Type::TEXT;
}
impl<T: Param> Param for Option<T> {
    const TYPE: Type = T::TYPE;
}
impl Param for Vec<i64> {
    const TYPE: Type = Type::INT8_ARRAY;
}
impl Param for Vec<i32> {
    const TYPE: Type = Type::INT4_ARRAY;
}
impl Param for Vec<String> {
    const TYPE: Type = Type::TEXT_ARRAY;
}
impl Param for Vec<Option<String>> {
    const TYPE: Type = Type::TEXT_ARRAY;
}

fn type_of<T: Param>(_: &T) -> Type {
    T::TYPE
}

/// Statement parameters with their types, for `query_typed`: `args![a, b]`.
macro_rules! args {
    ($($e:expr),* $(,)?) => {
        &[$((&$e as &(dyn ToSql + Sync), type_of(&$e))),*]
    };
}

type Args<'a> = [(&'a (dyn ToSql + Sync), Type)];

/// What statements run on: a connection, a transaction, or a write's [`Tx`].
trait Query {
    fn client(&mut self) -> &mut impl GenericClient;
}

impl Query for Client {
    fn client(&mut self) -> &mut impl GenericClient {
        self
    }
}

impl Query for Transaction<'_> {
    fn client(&mut self) -> &mut impl GenericClient {
        self
    }
}

/// A write's transaction, with the audit entries it makes: they are appended in one
/// statement, in the order made, just before it commits.
struct Tx<'c> {
    tx: Transaction<'c>,
    audit: AuditRows,
}

impl Query for Tx<'_> {
    fn client(&mut self) -> &mut impl GenericClient {
        &mut self.tx
    }
}

/// Audit entries as columns, for one `INSERT … SELECT FROM unnest(…)`.
#[derive(Default)]
struct AuditRows {
    at: Vec<String>,
    actor: Vec<String>,
    entity: Vec<String>,
    entity_id: Vec<i64>,
    action: Vec<String>,
    before: Vec<Option<String>>,
    after: Vec<Option<String>>,
}

impl Tx<'_> {
    fn commit(mut self) -> R<()> {
        let a = &self.audit;
        if !a.at.is_empty() {
            exec(
                &mut self.tx,
                "INSERT INTO audit_log (at, actor, entity, entity_id, action, before, after)
                 SELECT at, actor, entity, entity_id, action, before, after
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::text[], $7::text[])
                      WITH ORDINALITY AS a (at, actor, entity, entity_id, action, before, after, n)
                 ORDER BY n",
                args![a.at, a.actor, a.entity, a.entity_id, a.action, a.before, a.after],
            )?;
        }
        Ok(self.tx.commit()?)
    }
}

fn exec(c: &mut impl Query, sql: &str, args: &Args) -> R<u64> {
    Ok(c.client().execute_typed(sql, args)?)
}

fn one(c: &mut impl Query, sql: &str, args: &Args) -> R<Row> {
    Ok(c.client().query_typed_one(sql, args)?)
}

fn opt(c: &mut impl Query, sql: &str, args: &Args) -> R<Option<Row>> {
    Ok(c.client().query_typed_opt(sql, args)?)
}

fn all(c: &mut impl Query, sql: &str, args: &Args) -> R<Vec<Row>> {
    Ok(c.client().query_typed(sql, args)?)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("serialisable")
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Invalid(format!("stored JSON '{s}': {e}")))
}

fn right_no(v: i32) -> R<u8> {
    u8::try_from(v).map_err(|_| StoreError::Invalid(format!("stored right number {v} out of range")).into())
}

/// Next reference of a series, e.g. "CRM-2026-000042": one counter per prefix and year,
/// bumped inside the caller's transaction; its row stays locked until the transaction ends,
/// so two writers never share a number.
fn next_reference(tx: &mut Tx, prefix: &str, at: &str) -> R<String> {
    let year: i32 =
        at.get(0..4).and_then(|y| y.parse().ok()).ok_or_else(|| StoreError::Invalid(format!("time '{at}'")))?;
    let n: i64 = one(
        tx,
        "INSERT INTO reference_counter (prefix, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (prefix, year) DO UPDATE SET last = reference_counter.last + 1 RETURNING last",
        args![prefix, year],
    )?
    .try_get(0)?;
    Ok(format!("{prefix}-{year}-{n:06}"))
}

/// An audit entry of the write `tx`, appended when it commits.
#[allow(clippy::too_many_arguments)]
fn audit(
    tx: &mut Tx,
    at: &str,
    actor: &str,
    entity: &str,
    id: i64,
    action: &str,
    before: Option<String>,
    after: Option<String>,
) -> R<()> {
    let a = &mut tx.audit;
    a.at.push(at.to_string());
    a.actor.push(actor.to_string());
    a.entity.push(entity.to_string());
    a.entity_id.push(id);
    a.action.push(action.to_string());
    a.before.push(before);
    a.after.push(after);
    Ok(())
}

fn insert_person(tx: &mut Tx, p: &PersonDetails, actor: &str, at: &str) -> R<i64> {
    let id: i64 = one(
        tx,
        "INSERT INTO person (name, date_of_birth, sex, ethnicity, vulnerabilities, is_business)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        args![p.name, p.date_of_birth, p.sex, p.ethnicity, json(&p.vulnerabilities), p.is_business],
    )?
    .try_get(0)?;
    audit(tx, at, actor, "person", id, "create", None, Some(json(p)))?;
    Ok(id)
}

fn person_id(tx: &mut Tx, p: &PersonRef, actor: &str, at: &str) -> R<i64> {
    match p {
        PersonRef::New(d) => insert_person(tx, d, actor, at),
        &PersonRef::Existing(id) => match opt(tx, "SELECT id FROM person WHERE id = $1", args![id])? {
            Some(_) => Ok(id),
            None => Err(StoreError::NotFound { entity: "person", id }.into()),
        },
    }
}

const OBLIGATION_FIELDS: &str = "id, crime, person, entitlement, right_no, description, due, met_at, met_by";
const OBLIGATION_COLUMNS: &str =
    "o.id, o.crime, o.person, o.entitlement, o.right_no, o.description, o.due, o.met_at, o.met_by";

/// A worklist line, as SQLite's `obligation_due_row`.
fn obligation_due_row(r: &Row, on: &str) -> R<ObligationDue> {
    let obligation = obligation_row(r)?;
    let overdue = obligation.due.as_deref().is_some_and(|d| &d[..10.min(d.len())] < on);
    Ok(ObligationDue {
        obligation,
        crime_reference: r.try_get(9)?,
        officer: r.try_get(10)?,
        team: r.try_get(11)?,
        victim_name: r.try_get(12)?,
        overdue,
    })
}

fn obligation_row(r: &Row) -> R<Obligation> {
    Ok(Obligation {
        id: r.try_get(0)?,
        crime: r.try_get(1)?,
        person: r.try_get(2)?,
        entitlement: r.try_get(3)?,
        right_no: right_no(r.try_get(4)?)?,
        description: r.try_get(5)?,
        due: r.try_get(6)?,
        met_at: r.try_get(7)?,
        met_by: r.try_get(8)?,
    })
}

/// Inserts `obligations` in one statement; returns them as stored, in their order.
fn insert_obligations(
    tx: &mut Tx,
    crime: i64,
    person: i64,
    obligations: &[NewObligation],
    actor: &str,
    at: &str,
) -> R<Vec<Obligation>> {
    if obligations.is_empty() {
        return Ok(Vec::new());
    }
    let entitlement: Vec<String> = obligations.iter().map(|o| o.entitlement.clone()).collect();
    let right: Vec<i32> = obligations.iter().map(|o| i32::from(o.right_no)).collect();
    let description: Vec<String> = obligations.iter().map(|o| o.description.clone()).collect();
    let due: Vec<Option<String>> = obligations.iter().map(|o| o.due.clone()).collect();
    let rows = all(
        tx,
        &format!(
            "INSERT INTO obligation (crime, person, entitlement, right_no, description, due, created_at)
             SELECT $1, $2, entitlement, right_no, description, due, $7
             FROM unnest($3::text[], $4::int4[], $5::text[], $6::text[])
                  WITH ORDINALITY AS o (entitlement, right_no, description, due, n)
             ORDER BY n
             RETURNING {OBLIGATION_FIELDS}"
        ),
        args![crime, person, entitlement, right, description, due, at],
    )?;
    // Rows are inserted in the order given, so ids rise in that order; RETURNING's own
    // order is not promised.
    let mut out = rows.iter().map(obligation_row).collect::<R<Vec<_>>>()?;
    out.sort_by_key(|o| o.id);
    if out.len() != obligations.len() {
        return Err(StoreError::Invalid(format!("{} obligations stored of {}", out.len(), obligations.len())).into());
    }
    for (stored, o) in out.iter().zip(obligations) {
        audit(tx, at, actor, "obligation", stored.id, "create", None, Some(json(o)))?;
    }
    Ok(out)
}

const REPORT_COLUMNS: &str = "r.id, r.reference, r.channel, r.kind, r.reported_at, r.reporter, r.site, r.location, \
     r.account, r.created_by, (SELECT i.id FROM incident i WHERE i.report = r.id), r.latitude, r.longitude, r.lsoa_code, \
     r.neighbourhood_unit, r.impact_area";

fn report_row(r: &Row) -> R<Report> {
    Ok(Report {
        id: r.try_get(0)?,
        reference: r.try_get(1)?,
        channel: r.try_get(2)?,
        kind: r.try_get(3)?,
        reported_at: r.try_get(4)?,
        reporter: r.try_get(5)?,
        site: r.try_get(6)?,
        location: r.try_get(7)?,
        account: r.try_get(8)?,
        created_by: r.try_get(9)?,
        incident: r.try_get(10)?,
        place: Place {
            latitude: r.try_get(11)?,
            longitude: r.try_get(12)?,
            lsoa_code: r.try_get(13)?,
            neighbourhood_unit: r.try_get(14)?,
            impact_area: r.try_get(15)?,
        },
    })
}

const INCIDENT_COLUMNS: &str = "id, reference, report, opened_at, decision_due, status, decided_at, decided_by, \
     thrive, grade, team, allocation_reason, version";

fn incident_row(r: &Row) -> R<Incident> {
    Ok(Incident {
        id: r.try_get(0)?,
        reference: r.try_get(1)?,
        report: r.try_get(2)?,
        opened_at: r.try_get(3)?,
        decision_due: r.try_get(4)?,
        status: r.try_get(5)?,
        decided_at: r.try_get(6)?,
        decided_by: r.try_get(7)?,
        thrive: r.try_get::<_, Option<&str>>(8)?.map(from_json).transpose()?,
        grade: r.try_get(9)?,
        team: r.try_get(10)?,
        allocation_reason: r.try_get(11)?,
        version: r.try_get(12)?,
    })
}

const CRIME_COLUMNS: &str = "id, reference, incident, offence_code, status, recorded_at, recorded_by, flags, team, \
     officer, outcome, outcome_at, cancellation, version";

fn crime_row(r: &Row) -> R<Crime> {
    Ok(Crime {
        id: r.try_get(0)?,
        reference: r.try_get(1)?,
        incident: r.try_get(2)?,
        offence_code: r.try_get(3)?,
        status: r.try_get(4)?,
        recorded_at: r.try_get(5)?,
        recorded_by: r.try_get(6)?,
        flags: from_json(r.try_get(7)?)?,
        team: r.try_get(8)?,
        officer: r.try_get(9)?,
        outcome: r.try_get(10)?,
        outcome_at: r.try_get(11)?,
        cancellation: r.try_get::<_, Option<&str>>(12)?.map(from_json).transpose()?,
        version: r.try_get(13)?,
    })
}

fn person_row(r: &Row) -> R<Person> {
    Ok(Person {
        id: r.try_get(0)?,
        details: PersonDetails {
            name: r.try_get(1)?,
            date_of_birth: r.try_get(2)?,
            sex: r.try_get(3)?,
            ethnicity: r.try_get(4)?,
            vulnerabilities: from_json(r.try_get(5)?)?,
            is_business: r.try_get(6)?,
        },
    })
}

fn get_incident(c: &mut impl Query, id: i64) -> R<Incident> {
    match opt(c, &format!("SELECT {INCIDENT_COLUMNS} FROM incident WHERE id = $1"), args![id])? {
        Some(row) => incident_row(&row),
        None => Err(StoreError::NotFound { entity: "incident", id }.into()),
    }
}

fn get_crime(c: &mut impl Query, id: i64) -> R<Crime> {
    match opt(c, &format!("SELECT {CRIME_COLUMNS} FROM crime WHERE id = $1"), args![id])? {
        Some(row) => crime_row(&row),
        None => Err(StoreError::NotFound { entity: "crime", id }.into()),
    }
}

/// Fails with `NotFound` unless the crime exists.
fn crime_exists(tx: &mut Tx, id: i64) -> R<()> {
    match opt(tx, "SELECT 1 FROM crime WHERE id = $1", args![id])? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound { entity: "crime", id }.into()),
    }
}

/// Fails with `Conflict` unless the record is at version `expected`; locks it until the
/// transaction ends (a concurrent writer waits, then sees the new version) and returns it.
fn lock_version(tx: &mut Tx, table: &'static str, columns: &str, id: i64, expected: i64) -> R<Row> {
    let sql = format!("SELECT {columns} FROM {table} WHERE id = $1 FOR NO KEY UPDATE");
    let row = opt(tx, &sql, args![id])?.ok_or(StoreError::NotFound { entity: table, id })?;
    let found: i64 = row.try_get("version")?;
    if found != expected {
        return Err(StoreError::Conflict { entity: table, id, expected, found }.into());
    }
    Ok(row)
}

fn lock_incident(tx: &mut Tx, id: i64, expected: i64) -> R<Incident> {
    incident_row(&lock_version(tx, "incident", INCIDENT_COLUMNS, id, expected)?)
}

fn lock_crime(tx: &mut Tx, id: i64, expected: i64) -> R<Crime> {
    crime_row(&lock_version(tx, "crime", CRIME_COLUMNS, id, expected)?)
}

impl PostgresStore {
    /// Runs `op` in one READ COMMITTED transaction and commits it; an attempt PostgreSQL
    /// undoes for a deadlock or a serialization failure is made again from the start.
    fn write<T>(&mut self, mut op: impl FnMut(&mut Tx) -> R<T>) -> Result<T> {
        let client = self.client.get_mut();
        let mut attempt = 1;
        loop {
            let result = (|| -> R<T> {
                let tx = client.build_transaction().isolation_level(IsolationLevel::ReadCommitted).start()?;
                let mut tx = Tx { tx, audit: AuditRows::default() };
                let out = op(&mut tx)?;
                tx.commit()?;
                Ok(out)
            })();
            match result {
                Err(Fail::Pg(ref e)) if attempt < ATTEMPTS && retryable(e) => attempt += 1,
                other => return Ok(other?),
            }
        }
    }

    /// Runs the statements of `op` on one snapshot.
    fn read<T>(&self, op: impl FnOnce(&mut Transaction) -> R<T>) -> Result<T> {
        let mut client = self.client.borrow_mut();
        let mut tx =
            client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start()?;
        let out = op(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// One statement's rows.
    fn rows(&self, sql: &str, args: &Args) -> Result<Vec<Row>> {
        Ok(all(&mut *self.client.borrow_mut(), sql, args)?)
    }
}

impl Casework for PostgresStore {
    fn add_site(&mut self, site: &NewSite, actor: &str, at: &str) -> Result<Site> {
        self.write(|tx| {
            // Two writers adding the first site of one organisation at once would both find
            // it missing: they queue on its name instead, as SQLite's writers queue on the file.
            exec(
                tx,
                "SELECT pg_advisory_xact_lock(hashtext('peel-organisation:' || current_schema() || ':' || $1))",
                args![site.organisation],
            )?;
            let known = opt(tx, "SELECT id FROM organisation WHERE name = $1 ORDER BY id LIMIT 1", args![site.organisation])?;
            let org = match known {
                Some(row) => row.try_get(0)?,
                None => one(
                    tx,
                    "INSERT INTO organisation (name, kind) VALUES ($1, $2) RETURNING id",
                    args![site.organisation, site.organisation_kind],
                )?
                .try_get(0)?,
            };
            let id: i64 = one(
                tx,
                "INSERT INTO site (organisation, name, address, latitude, longitude, lsoa_code, neighbourhood_unit, impact_area)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                args![
                    org,
                    site.name,
                    site.address,
                    site.latitude,
                    site.longitude,
                    site.lsoa_code,
                    site.neighbourhood_unit,
                    site.impact_area
                ],
            )?
            .try_get(0)?;
            audit(tx, at, actor, "site", id, "create", None, Some(json(site)))?;
            Ok(Site { id, organisation_id: org, details: site.clone() })
        })
    }

    fn sites(&self) -> Result<Vec<Site>> {
        let rows = self.rows(
            "SELECT s.id, s.organisation, o.name, o.kind, s.name, s.address, s.latitude, s.longitude, s.lsoa_code,
                    s.neighbourhood_unit, s.impact_area
             FROM site s JOIN organisation o ON o.id = s.organisation ORDER BY s.id",
            args![],
        )?;
        let site = |r: &Row| -> R<Site> {
            Ok(Site {
                id: r.try_get(0)?,
                organisation_id: r.try_get(1)?,
                details: NewSite {
                    organisation: r.try_get(2)?,
                    organisation_kind: r.try_get(3)?,
                    name: r.try_get(4)?,
                    address: r.try_get(5)?,
                    latitude: r.try_get(6)?,
                    longitude: r.try_get(7)?,
                    lsoa_code: r.try_get(8)?,
                    neighbourhood_unit: r.try_get(9)?,
                    impact_area: r.try_get(10)?,
                },
            })
        };
        Ok(rows.iter().map(site).collect::<R<_>>()?)
    }

    fn create_report(&mut self, report: &NewReport) -> Result<Report> {
        self.write(|tx| {
            let at = report.reported_at.as_str();
            if let Some(site) = report.site {
                if opt(tx, "SELECT id FROM site WHERE id = $1", args![site])?.is_none() {
                    return Err(StoreError::NotFound { entity: "site", id: site }.into());
                }
            }
            let reporter = match &report.reporter {
                Some(p) => Some(insert_person(tx, p, &report.created_by, at)?),
                None => None,
            };
            let reference = next_reference(tx, "RPT", at)?;
            let id: i64 = one(
                tx,
                "INSERT INTO report (reference, channel, kind, reported_at, reporter, site, location, account, created_by,
                                     latitude, longitude, lsoa_code, neighbourhood_unit, impact_area)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                args![
                    reference,
                    report.channel,
                    report.kind,
                    report.reported_at,
                    reporter,
                    report.site,
                    report.location,
                    report.account,
                    report.created_by,
                    report.place.latitude,
                    report.place.longitude,
                    report.place.lsoa_code,
                    report.place.neighbourhood_unit,
                    report.place.impact_area
                ],
            )?
            .try_get(0)?;
            audit(tx, at, &report.created_by, "report", id, "create", None, Some(json(report)))?;
            let mut incident = None;
            if let Some(due) = &report.decision_due {
                let inc_ref = next_reference(tx, "INC", at)?;
                let inc: i64 = one(
                    tx,
                    "INSERT INTO incident (reference, report, opened_at, decision_due, status)
                     VALUES ($1, $2, $3, $4, 'open') RETURNING id",
                    args![inc_ref, id, at, *due],
                )?
                .try_get(0)?;
                audit(tx, at, &report.created_by, "incident", inc, "open", None, Some(json(&(&inc_ref, due))))?;
                incident = Some(inc);
            }
            // What was just written, as `report` would read it back.
            Ok(Report {
                id,
                reference,
                channel: report.channel.clone(),
                kind: report.kind.clone(),
                reported_at: report.reported_at.clone(),
                reporter,
                site: report.site,
                location: report.location.clone(),
                place: report.place.clone(),
                account: report.account.clone(),
                created_by: report.created_by.clone(),
                incident,
            })
        })
    }

    fn report(&self, id: i64) -> Result<Report> {
        let rows = self.rows(&format!("SELECT {REPORT_COLUMNS} FROM report r WHERE r.id = $1"), args![id])?;
        match rows.first() {
            Some(row) => Ok(report_row(row)?),
            None => Err(StoreError::NotFound { entity: "report", id }),
        }
    }

    fn reports_for_site(&self, site: i64) -> Result<Vec<Report>> {
        let rows = self.rows(
            &format!("SELECT {REPORT_COLUMNS} FROM report r WHERE r.site = $1 ORDER BY r.reported_at, r.id"),
            args![site],
        )?;
        Ok(rows.iter().map(report_row).collect::<R<_>>()?)
    }

    fn site_reports(&self, site: i64, intelligence: bool, limit: usize, offset: usize) -> Result<Vec<Report>> {
        let kind = if intelligence { "r.kind = 'intelligence'" } else { "r.kind <> 'intelligence'" };
        let rows = self.rows(
            &format!(
                "SELECT {REPORT_COLUMNS} FROM report r WHERE r.site = $1 AND {kind}
                 ORDER BY r.reported_at DESC, r.id DESC LIMIT $2 OFFSET $3"
            ),
            args![site, limit as i64, offset as i64],
        )?;
        Ok(rows.iter().map(report_row).collect::<R<_>>()?)
    }

    fn site_counts(&self, site: i64, since: &str) -> Result<SiteCounts> {
        use crate::sqlite_casework::{SITE_COUNTS_SQL, SITE_MONTHS_SQL};
        let counts = self.rows(&SITE_COUNTS_SQL.replace("?1", "$1"), args![site])?;
        let c = |i: usize| -> R<u64> { Ok(counts[0].try_get::<_, i64>(i)? as u64) };
        let months = self.rows(&SITE_MONTHS_SQL.replace("?1", "$1").replace("?2", "$2"), args![site, since])?;
        Ok(SiteCounts {
            reports: c(0)?,
            intelligence: c(1)?,
            open_incidents: c(2)?,
            crimes: c(3)?,
            per_month: months
                .iter()
                .map(|r| Ok((r.try_get::<_, String>(0)?, r.try_get::<_, i64>(1)? as u64)))
                .collect::<R<_>>()?,
        })
    }

    fn incident(&self, id: i64) -> Result<Incident> {
        Ok(get_incident(&mut *self.client.borrow_mut(), id)?)
    }

    fn triage(&mut self, incident: i64, version: i64, triage: &Triage, actor: &str, at: &str) -> Result<Incident> {
        self.write(|tx| {
            let before = lock_incident(tx, incident, version)?;
            let after = incident_row(&one(
                tx,
                &format!(
                    "UPDATE incident SET thrive = $1, grade = $2, team = $3, allocation_reason = $4, version = version + 1
                     WHERE id = $5 RETURNING {INCIDENT_COLUMNS}"
                ),
                args![json(&triage.thrive), triage.grade, triage.team, triage.allocation_reason, incident],
            )?)?;
            audit(tx, at, actor, "incident", incident, "triage", Some(json(&before)), Some(json(&after)))?;
            Ok(after)
        })
    }

    fn decide(
        &mut self,
        incident: i64,
        version: i64,
        decision: &Decision,
        actor: &str,
        at: &str,
    ) -> Result<(Incident, Vec<Crime>)> {
        self.write(|tx| {
            let before = lock_incident(tx, incident, version)?;
            if before.status != "open" {
                return Err(StoreError::Refused(format!(
                    "incident {} was already decided ({}) by {} at {}",
                    before.reference,
                    before.status,
                    before.decided_by.clone().unwrap_or_default(),
                    before.decided_at.clone().unwrap_or_default()
                ))
                .into());
            }
            let after = incident_row(&one(
                tx,
                &format!(
                    "UPDATE incident SET status = $1, decided_at = $2, decided_by = $3, version = version + 1
                     WHERE id = $4 RETURNING {INCIDENT_COLUMNS}"
                ),
                args![decision.status, at, actor, incident],
            )?)?;
            let mut crimes = Vec::with_capacity(decision.crimes.len());
            for c in &decision.crimes {
                let victim = person_id(tx, &c.victim, actor, at)?;
                let reference = next_reference(tx, "CRM", at)?;
                let crime = crime_row(&one(
                    tx,
                    &format!(
                        "INSERT INTO crime (reference, incident, offence_code, status, recorded_at, recorded_by, flags, team, officer)
                         VALUES ($1, $2, $3, 'recorded', $4, $5, $6, $7, $8) RETURNING {CRIME_COLUMNS}"
                    ),
                    args![reference, incident, c.offence_code, at, actor, json(&c.flags), c.team, c.officer],
                )?)?;
                exec(
                    tx,
                    "INSERT INTO crime_person (crime, person, role, enhanced, enhanced_reasons) VALUES ($1, $2, 'victim', $3, $4)",
                    args![crime.id, victim, c.enhanced, json(&c.enhanced_reasons)],
                )?;
                insert_obligations(tx, crime.id, victim, &c.obligations, actor, at)?;
                audit(tx, at, actor, "crime", crime.id, "record", None, Some(json(c)))?;
                crimes.push(crime);
            }
            audit(tx, at, actor, "incident", incident, "decide", Some(json(&before)), Some(json(&after)))?;
            Ok((after, crimes))
        })
    }

    fn crime(&self, id: i64) -> Result<CrimeFile> {
        self.read(|tx| {
            let crime = get_crime(tx, id)?;
            let people = all(
                tx,
                "SELECT p.id, p.name, p.date_of_birth, p.sex, p.ethnicity, p.vulnerabilities, p.is_business,
                        cp.role, cp.enhanced, cp.enhanced_reasons
                 FROM crime_person cp JOIN person p ON p.id = cp.person WHERE cp.crime = $1 ORDER BY cp.role DESC, p.id",
                args![id],
            )?
            .iter()
            .map(|r| {
                Ok(CrimePerson {
                    person: person_row(r)?,
                    role: r.try_get(7)?,
                    enhanced: r.try_get(8)?,
                    enhanced_reasons: from_json(r.try_get(9)?)?,
                })
            })
            .collect::<R<Vec<_>>>()?;
            let obligations = all(
                tx,
                &format!("SELECT {OBLIGATION_COLUMNS} FROM obligation o WHERE o.crime = $1 ORDER BY o.id"),
                args![id],
            )?
            .iter()
            .map(obligation_row)
            .collect::<R<Vec<_>>>()?;
            let contacts = all(
                tx,
                "SELECT id, crime, person, at, method, by_whom, notes FROM contact WHERE crime = $1 ORDER BY at, id",
                args![id],
            )?
            .iter()
            .map(|r| {
                let id: i64 = r.try_get(0)?;
                Ok(Contact {
                    id,
                    details: NewContact {
                        crime: r.try_get(1)?,
                        person: r.try_get(2)?,
                        at: r.try_get(3)?,
                        method: r.try_get(4)?,
                        by_whom: r.try_get(5)?,
                        notes: r.try_get(6)?,
                        meets: obligations.iter().filter(|o| o.met_by == Some(id)).map(|o| o.id).collect(),
                    },
                })
            })
            .collect::<R<Vec<_>>>()?;
            let evidence = all(
                tx,
                "SELECT id, crime, kind, description, deadline, secured_at, added_by FROM evidence WHERE crime = $1 ORDER BY id",
                args![id],
            )?
            .iter()
            .map(|r| {
                Ok(Evidence {
                    id: r.try_get(0)?,
                    details: NewEvidence {
                        crime: r.try_get(1)?,
                        kind: r.try_get(2)?,
                        description: r.try_get(3)?,
                        deadline: r.try_get(4)?,
                        secured_at: r.try_get(5)?,
                        added_by: r.try_get(6)?,
                    },
                })
            })
            .collect::<R<Vec<_>>>()?;
            Ok(CrimeFile { crime, people, obligations, contacts, evidence })
        })
    }

    fn crimes_for_incident(&self, incident: i64) -> Result<Vec<Crime>> {
        let rows =
            self.rows(&format!("SELECT {CRIME_COLUMNS} FROM crime WHERE incident = $1 ORDER BY id"), args![incident])?;
        Ok(rows.iter().map(crime_row).collect::<R<_>>()?)
    }

    fn cancel_crime(&mut self, crime: i64, version: i64, cancellation: &Value, actor: &str, at: &str) -> Result<Crime> {
        self.write(|tx| cancel_in(tx, crime, version, cancellation, actor, at))
    }

    fn allocate(
        &mut self,
        crime: i64,
        version: i64,
        team: Option<&str>,
        officer: Option<&str>,
        actor: &str,
        at: &str,
    ) -> Result<Crime> {
        self.write(|tx| {
            let before = lock_crime(tx, crime, version)?;
            let after = crime_row(&one(
                tx,
                &format!(
                    "UPDATE crime SET team = coalesce($1, team), officer = coalesce($2, officer), version = version + 1
                     WHERE id = $3 RETURNING {CRIME_COLUMNS}"
                ),
                args![team, officer, crime],
            )?)?;
            audit(tx, at, actor, "crime", crime, "allocate", Some(json(&before)), Some(json(&after)))?;
            Ok(after)
        })
    }

    fn add_person(
        &mut self,
        crime: i64,
        person: &PersonRef,
        role: &str,
        enhanced: bool,
        enhanced_reasons: &[String],
        obligations: &[NewObligation],
        actor: &str,
        at: &str,
    ) -> Result<Person> {
        self.write(|tx| {
            crime_exists(tx, crime)?;
            let id = person_id(tx, person, actor, at)?;
            exec(
                tx,
                "INSERT INTO crime_person (crime, person, role, enhanced, enhanced_reasons) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (crime, person, role) DO NOTHING",
                args![crime, id, role, enhanced, json(&enhanced_reasons)],
            )?;
            insert_obligations(tx, crime, id, obligations, actor, at)?;
            audit(tx, at, actor, "crime", crime, &format!("add-{role}"), None, Some(json(&(id, role))))?;
            person_row(&one(
                tx,
                "SELECT id, name, date_of_birth, sex, ethnicity, vulnerabilities, is_business FROM person WHERE id = $1",
                args![id],
            )?)
        })
    }

    fn add_obligations(
        &mut self,
        crime: i64,
        person: i64,
        obligations: &[NewObligation],
        actor: &str,
        at: &str,
    ) -> Result<Vec<Obligation>> {
        self.write(|tx| {
            crime_exists(tx, crime)?;
            insert_obligations(tx, crime, person, obligations, actor, at)
        })
    }

    fn log_contact(&mut self, contact: &NewContact, actor: &str) -> Result<Contact> {
        self.write(|tx| {
            crime_exists(tx, contact.crime)?;
            let id: i64 = one(
                tx,
                "INSERT INTO contact (crime, person, at, method, by_whom, notes) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                args![contact.crime, contact.person, contact.at, contact.method, contact.by_whom, contact.notes],
            )?
            .try_get(0)?;
            if contact.meets.len() > 1 {
                // Lock the obligations to meet in one order, whatever order the contact names
                // them in: two contacts meeting the same ones then queue instead of deadlocking.
                exec(
                    tx,
                    "SELECT id FROM obligation WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE",
                    args![contact.meets.clone()],
                )?;
            }
            for &o in &contact.meets {
                // Only an open obligation of this crime and person can be met, and only once.
                let n = exec(
                    tx,
                    "UPDATE obligation SET met_at = $1, met_by = $2
                     WHERE id = $3 AND crime = $4 AND person = $5 AND met_at IS NULL",
                    args![contact.at, id, o, contact.crime, contact.person],
                )?;
                if n == 0 {
                    return Err(StoreError::Refused(format!(
                        "obligation {o} is not an open obligation to person {} on crime {}",
                        contact.person, contact.crime
                    ))
                    .into());
                }
                audit(tx, &contact.at, actor, "obligation", o, "met", None, Some(json(&id)))?;
            }
            audit(tx, &contact.at, actor, "contact", id, "create", None, Some(json(contact)))?;
            Ok(Contact { id, details: contact.clone() })
        })
    }

    fn add_evidence(&mut self, evidence: &NewEvidence, at: &str) -> Result<Evidence> {
        self.write(|tx| {
            crime_exists(tx, evidence.crime)?;
            let id: i64 = one(
                tx,
                "INSERT INTO evidence (crime, kind, description, deadline, secured_at, added_by)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                args![
                    evidence.crime,
                    evidence.kind,
                    evidence.description,
                    evidence.deadline,
                    evidence.secured_at,
                    evidence.added_by
                ],
            )?
            .try_get(0)?;
            audit(tx, at, &evidence.added_by, "evidence", id, "create", None, Some(json(evidence)))?;
            Ok(Evidence { id, details: evidence.clone() })
        })
    }

    fn set_outcome(&mut self, crime: i64, version: i64, outcome: &str, actor: &str, at: &str) -> Result<Crime> {
        self.write(|tx| {
            let before = lock_crime(tx, crime, version)?;
            if before.status == "cancelled" {
                return Err(StoreError::Refused(format!(
                    "crime {} is cancelled: it takes no outcome",
                    before.reference
                ))
                .into());
            }
            let after = crime_row(&one(
                tx,
                &format!(
                    "UPDATE crime SET outcome = $1, outcome_at = $2, version = version + 1
                     WHERE id = $3 RETURNING {CRIME_COLUMNS}"
                ),
                args![outcome, at, crime],
            )?)?;
            audit(tx, at, actor, "crime", crime, "outcome", Some(json(&before)), Some(json(&after)))?;
            Ok(after)
        })
    }

    fn decisions_due(&self) -> Result<Vec<Incident>> {
        let rows = self.rows(
            &format!("SELECT {INCIDENT_COLUMNS} FROM incident WHERE status = 'open' ORDER BY decision_due, id"),
            args![],
        )?;
        Ok(rows.iter().map(incident_row).collect::<R<_>>()?)
    }

    fn obligations_due(&self, on: &str, officer: Option<&str>) -> Result<Vec<ObligationDue>> {
        // `due` is a date or a date-time; anything up to "<on>T99:99" is due by the end of
        // that day (bytewise: the column is COLLATE "C"), and the plain comparison lets the
        // (met_at, due) index serve the range. An officer's own list starts from their crimes
        // (crime_officer index). The same statements as SQLite's.
        let sql = match officer {
            None => format!(
                "SELECT {OBLIGATION_COLUMNS}, c.reference, c.officer, c.team, p.name
                 FROM obligation o JOIN crime c ON c.id = o.crime JOIN person p ON p.id = o.person
                 WHERE o.met_at IS NULL AND o.due <= $1 || 'T99:99' AND c.status = 'recorded' AND $2 IS NULL
                 ORDER BY o.due, o.id"
            ),
            Some(_) => format!(
                "SELECT {OBLIGATION_COLUMNS}, c.reference, c.officer, c.team, p.name
                 FROM crime c JOIN obligation o ON o.crime = c.id JOIN person p ON p.id = o.person
                 WHERE c.officer = $2 AND c.status = 'recorded' AND o.met_at IS NULL AND o.due <= $1 || 'T99:99'
                 ORDER BY o.due, o.id"
            ),
        };
        let rows = self.rows(&sql, args![on, officer])?;
        Ok(rows.iter().map(|r| obligation_due_row(r, on)).collect::<R<_>>()?)
    }

    fn obligation_worklist(&self, q: &WorklistQuery) -> Result<Worklist> {
        // The same filter as SQLite's; PostgreSQL's planner, with statistics, picks between
        // starting from the officer's crimes and walking unmet obligations by due date.
        let filter = format!(
            "o.met_at IS NULL AND o.due <= $1 || 'T99:99' AND c.status = 'recorded' AND {scope}
             AND ($4::text IS NULL OR o.entitlement = $4)
             AND (NOT $5 OR EXISTS (SELECT 1 FROM crime_person cp WHERE cp.crime = o.crime AND cp.person = o.person
                                    AND cp.role = 'victim' AND cp.enhanced))",
            scope = q.scope.condition(2, true)
        );
        let args = args![q.until, q.scope.officer, q.scope.team, q.entitlement, q.enhanced_only];
        let total: i64 = self.rows(
            &format!(
                "SELECT count(*) FROM (SELECT 1 FROM obligation o JOIN crime c ON c.id = o.crime WHERE {filter}
                 LIMIT {WORKLIST_COUNT_CAP}) capped"
            ),
            args,
        )?[0]
            .try_get(0)?;
        let rows = self.rows(
            &format!(
                "SELECT {OBLIGATION_COLUMNS}, c.reference, c.officer, c.team, p.name
                 FROM obligation o JOIN crime c ON c.id = o.crime JOIN person p ON p.id = o.person
                 WHERE {filter} ORDER BY o.due, o.id LIMIT {} OFFSET {}",
                q.limit, q.offset
            ),
            args,
        )?;
        let on = q.until.as_str();
        Ok(Worklist { lines: rows.iter().map(|r| obligation_due_row(r, on)).collect::<R<_>>()?, total: total as u64 })
    }

    fn victim_crime_dates(&self, person: i64) -> Result<Vec<String>> {
        let rows = self.rows(
            "SELECT substr(c.recorded_at, 1, 10) FROM crime_person cp JOIN crime c ON c.id = cp.crime
             WHERE cp.person = $1 AND cp.role = 'victim' AND c.status = 'recorded' ORDER BY c.recorded_at",
            args![person],
        )?;
        Ok(rows.iter().map(|r| r.try_get(0).map_err(Fail::from)).collect::<R<_>>()?)
    }

    fn audit_trail(&self, entity: &str, id: i64) -> Result<Vec<AuditEntry>> {
        let rows = self.rows(
            "SELECT id, at, actor, entity, entity_id, action, before, after FROM audit_log
             WHERE entity = $1 AND entity_id = $2 ORDER BY id",
            args![entity, id],
        )?;
        let entry = |r: &Row| -> R<AuditEntry> {
            let parse = |s: Option<&str>| s.map(from_json::<Value>).transpose();
            Ok(AuditEntry {
                id: r.try_get(0)?,
                at: r.try_get(1)?,
                actor: r.try_get(2)?,
                entity: r.try_get(3)?,
                entity_id: r.try_get(4)?,
                action: r.try_get(5)?,
                before: parse(r.try_get(6)?)?,
                after: parse(r.try_get(7)?)?,
            })
        };
        Ok(rows.iter().map(entry).collect::<R<_>>()?)
    }

    fn obligation_facts_in(&self, from: &str, to: &str, scope: &Scope) -> Result<Vec<ObligationFact>> {
        let rows = self.rows(
            &format!(
                "SELECT {OBLIGATION_COLUMNS}, c.reference, c.recorded_at, c.offence_code, c.team, c.officer
                 FROM obligation o JOIN crime c ON c.id = o.crime
                 WHERE c.status = 'recorded' AND c.recorded_at BETWEEN $1 AND $2 || 'T99:99' AND {}
                 ORDER BY o.id",
                scope.condition(3, true)
            ),
            args![from, to, scope.officer, scope.team],
        )?;
        let fact = |r: &Row| -> R<ObligationFact> {
            Ok(ObligationFact {
                obligation: obligation_row(r)?,
                crime_reference: r.try_get(9)?,
                recorded_at: r.try_get(10)?,
                offence_code: r.try_get(11)?,
                team: r.try_get(12)?,
                officer: r.try_get(13)?,
            })
        };
        Ok(rows.iter().map(fact).collect::<R<_>>()?)
    }

    fn crime_facts_in(&self, from: &str, to: &str, scope: &Scope) -> Result<Vec<CrimeFact>> {
        self.crime_facts_where(from, to, scope, false)
    }

    fn open_crime_facts_in(&self, from: &str, to: &str, scope: &Scope) -> Result<Vec<CrimeFact>> {
        self.crime_facts_where(from, to, scope, true)
    }

    fn open_crime_repeat_victims(
        &self,
        from: &str,
        to: &str,
        scope: &Scope,
        at_least: usize,
    ) -> Result<Vec<(i64, usize)>> {
        let sql = crate::sqlite_casework::OPEN_REPEAT_VICTIMS_SQL
            .replace("{scope}", &scope.condition(3, true))
            .replace("?1", "$1")
            .replace("?2", "$2")
            .replace("?5", "$5");
        let rows = self.rows(&sql, args![from, to, scope.officer, scope.team, at_least as i64])?;
        Ok(rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get::<_, i64>(1)? as usize))).collect::<R<_>>()?)
    }

    fn victim_crime_counts(&self, from: &str, to: &str, persons: &[i64]) -> Result<Vec<(i64, usize)>> {
        let rows = self.rows(
            "SELECT p.person, (SELECT count(*) FROM crime_person cp JOIN crime c ON c.id = cp.crime
                               JOIN person b ON b.id = cp.person
                               WHERE cp.person = p.person AND NOT b.is_business AND cp.role = 'victim'
                                 AND c.status = 'recorded' AND c.recorded_at BETWEEN $2 AND $3 || 'T99:99')
             FROM unnest($1::bigint[]) AS p(person)",
            args![persons.to_vec(), from, to],
        )?;
        Ok(rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get::<_, i64>(1)? as usize))).collect::<R<_>>()?)
    }

    fn add_review(
        &mut self,
        crime: i64,
        kind: &str,
        text: &str,
        author: &str,
        at: &str,
        next_review_due: Option<&str>,
    ) -> Result<Review> {
        self.write(|tx| {
            crime_exists(tx, crime)?;
            let id: i64 = one(
                tx,
                "INSERT INTO crime_review (crime, kind, text, author, at, next_review_due)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                args![crime, kind, text, author, at, next_review_due],
            )?
            .try_get(0)?;
            let review = Review {
                id,
                crime,
                kind: kind.to_string(),
                text: text.to_string(),
                author: author.to_string(),
                at: at.to_string(),
                next_review_due: next_review_due.map(str::to_string),
            };
            audit(tx, at, author, "crime", crime, &format!("add-{kind}"), None, Some(json(&review)))?;
            Ok(review)
        })
    }

    fn reviews(&self, crime: i64) -> Result<Vec<Review>> {
        let rows = self.rows(
            "SELECT id, crime, kind, text, author, at, next_review_due FROM crime_review WHERE crime = $1 ORDER BY at, id",
            args![crime],
        )?;
        let review = |r: &Row| -> R<Review> {
            Ok(Review {
                id: r.try_get(0)?,
                crime: r.try_get(1)?,
                kind: r.try_get(2)?,
                text: r.try_get(3)?,
                author: r.try_get(4)?,
                at: r.try_get(5)?,
                next_review_due: r.try_get(6)?,
            })
        };
        Ok(rows.iter().map(review).collect::<R<_>>()?)
    }

    fn review_status(&self, team: Option<&str>) -> Result<Vec<ReviewStatus>> {
        let sql = crate::sqlite_casework::review_status_sql(team.is_some()).replace("?1", "$1::text");
        let rows = self.rows(&sql, args![team])?;
        let status = |r: &Row| -> R<ReviewStatus> {
            Ok(ReviewStatus {
                crime: r.try_get(0)?,
                reference: r.try_get(1)?,
                officer: r.try_get(2)?,
                team: r.try_get(3)?,
                recorded_at: r.try_get(4)?,
                plan_at: r.try_get(5)?,
                next_review_due: r.try_get(6)?,
            })
        };
        Ok(rows.iter().map(status).collect::<R<_>>()?)
    }

    fn request_cancellation(&mut self, request: &NewCancelRequest, version: i64, at: &str) -> Result<CancelRequest> {
        self.write(|tx| {
            // The crime's lock queues two requesters of one crime, so the second finds the first's request.
            let crime = lock_crime(tx, request.crime, version)?;
            if crime.status == "cancelled" {
                return Err(StoreError::Refused(format!("crime {} is already cancelled", crime.reference)).into());
            }
            let pending = opt(
                tx,
                "SELECT id FROM cancellation_request WHERE crime = $1 AND status = 'pending'",
                args![request.crime],
            )?;
            if pending.is_some() {
                return Err(StoreError::Refused(format!(
                    "crime {} already has a cancellation request waiting for a decision maker",
                    crime.reference
                ))
                .into());
            }
            let stored = cancel_request_row(&one(
                tx,
                &format!(
                    "INSERT INTO cancellation_request AS r (crime, reason, detail, requested_by, requested_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING {CANCEL_REQUEST_COLUMNS}"
                ),
                args![request.crime, request.reason, request.detail, request.requested_by, at],
            )?)?;
            audit(
                tx,
                at,
                &request.requested_by,
                "crime",
                request.crime,
                "request-cancellation",
                None,
                Some(json(&stored)),
            )?;
            Ok(stored)
        })
    }

    fn cancel_requests(&self, crime: i64) -> Result<Vec<CancelRequest>> {
        let rows = self.rows(
            &format!("SELECT {CANCEL_REQUEST_COLUMNS} FROM cancellation_request r WHERE r.crime = $1 ORDER BY r.id"),
            args![crime],
        )?;
        Ok(rows.iter().map(cancel_request_row).collect::<R<_>>()?)
    }

    fn pending_cancel_requests(&self) -> Result<Vec<PendingCancelRequest>> {
        let rows = self.rows(crate::sqlite_casework::PENDING_CANCEL_REQUESTS_SQL, args![])?;
        let pending = |r: &Row| -> R<PendingCancelRequest> {
            Ok(PendingCancelRequest {
                request: cancel_request_row(r)?,
                crime_reference: r.try_get(10)?,
                offence_code: r.try_get(11)?,
                team: r.try_get(12)?,
                officer: r.try_get(13)?,
            })
        };
        Ok(rows.iter().map(pending).collect::<R<_>>()?)
    }

    fn decide_cancel_request(
        &mut self,
        request: i64,
        decision: &CancelRequestDecision,
        note: &str,
        actor: &str,
        at: &str,
    ) -> Result<(CancelRequest, Crime)> {
        self.write(|tx| {
            // Locked, so that two decision makers answering at once are answered in turn and
            // the second finds the request answered.
            let row = opt(
                tx,
                &format!("SELECT {CANCEL_REQUEST_COLUMNS} FROM cancellation_request r WHERE r.id = $1 FOR UPDATE"),
                args![request],
            )?
            .ok_or(StoreError::NotFound { entity: "cancellation_request", id: request })?;
            let before = cancel_request_row(&row)?;
            if before.status != "pending" {
                return Err(StoreError::Refused(format!(
                    "the cancellation request was already answered ({}) by {}",
                    before.status,
                    before.decided_by.as_deref().unwrap_or("someone else")
                ))
                .into());
            }
            let crime = before.details.crime;
            let status = match decision {
                CancelRequestDecision::Cancel { version, cancellation } => {
                    // The same write as cancel_crime, so a cancellation reads the same whichever way it came.
                    cancel_in(tx, crime, *version, cancellation, actor, at)?;
                    "cancelled"
                }
                CancelRequestDecision::Refuse => "refused",
            };
            let after = cancel_request_row(&one(
                tx,
                &format!(
                    "UPDATE cancellation_request AS r SET status = $1, decided_by = $2, decided_at = $3, note = $4
                     WHERE r.id = $5 RETURNING {CANCEL_REQUEST_COLUMNS}"
                ),
                args![status, actor, at, note, request],
            )?)?;
            let action =
                if status == "cancelled" { "grant-cancellation-request" } else { "refuse-cancellation-request" };
            audit(tx, at, actor, "crime", crime, action, Some(json(&before)), Some(json(&after)))?;
            Ok((after, get_crime(tx, crime)?))
        })
    }
}

const CANCEL_REQUEST_COLUMNS: &str = "r.id, r.crime, r.reason, r.detail, r.requested_by, r.requested_at, r.status, \
     r.decided_by, r.decided_at, r.note";

fn cancel_request_row(r: &Row) -> R<CancelRequest> {
    Ok(CancelRequest {
        id: r.try_get(0)?,
        details: NewCancelRequest {
            crime: r.try_get(1)?,
            reason: r.try_get(2)?,
            detail: r.try_get(3)?,
            requested_by: r.try_get(4)?,
        },
        requested_at: r.try_get(5)?,
        status: r.try_get(6)?,
        decided_by: r.try_get(7)?,
        decided_at: r.try_get(8)?,
        note: r.try_get(9)?,
    })
}

impl PostgresStore {
    /// Crime facts of the days `from..=to` within `scope`; with `open_only`, only crimes still
    /// open (recorded, no outcome), found through the crime_open partial indexes.
    fn crime_facts_where(&self, from: &str, to: &str, scope: &Scope, open_only: bool) -> Result<Vec<CrimeFact>> {
        let open = if open_only { "AND c.status = 'recorded' AND c.outcome IS NULL" } else { "" };
        let condition = format!("{} {open}", scope.condition(3, true));
        self.read(|tx| {
            let rows = all(
                tx,
                &format!(
                    "SELECT c.id, c.reference, c.recorded_at, c.offence_code, c.status, c.team, c.officer, c.outcome,
                            c.flags, i.thrive, r.site, c.outcome_at,
                            (SELECT count(*) FROM crime_person s WHERE s.crime = c.id AND s.role = 'suspect')
                     FROM crime c JOIN incident i ON i.id = c.incident JOIN report r ON r.id = i.report
                     WHERE c.recorded_at BETWEEN $1 AND $2 || 'T99:99' AND {condition} ORDER BY c.id"
                ),
                args![from, to, scope.officer, scope.team],
            )?;
            let mut facts = rows
                .iter()
                .map(|r| {
                    Ok(CrimeFact {
                        id: r.try_get(0)?,
                        reference: r.try_get(1)?,
                        recorded_at: r.try_get(2)?,
                        offence_code: r.try_get(3)?,
                        status: r.try_get(4)?,
                        team: r.try_get(5)?,
                        officer: r.try_get(6)?,
                        outcome: r.try_get(7)?,
                        flags: from_json(r.try_get(8)?)?,
                        thrive: r.try_get::<_, Option<&str>>(9)?.map(from_json).transpose()?,
                        site: r.try_get(10)?,
                        outcome_at: r.try_get(11)?,
                        suspects: r.try_get(12)?,
                        victims: vec![],
                    })
                })
                .collect::<R<Vec<_>>>()?;
            // Victims in one pass over the period's crimes rather than a query per crime.
            let victims = all(
                tx,
                &format!(
                    "SELECT cp.crime, cp.person, cp.enhanced FROM crime_person cp JOIN crime c ON c.id = cp.crime
                     WHERE cp.role = 'victim' AND c.recorded_at BETWEEN $1 AND $2 || 'T99:99' AND {condition}
                     ORDER BY cp.crime, cp.person"
                ),
                args![from, to, scope.officer, scope.team],
            )?;
            let index: std::collections::HashMap<i64, usize> =
                facts.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
            for r in &victims {
                if let Some(&i) = index.get(&r.try_get::<_, i64>(0)?) {
                    facts[i].victims.push((r.try_get(1)?, r.try_get(2)?));
                }
            }
            Ok(facts)
        })
    }
}

/// Cancels a crime read at `version` inside the caller's transaction, with its audit entry:
/// the one write behind `cancel_crime` and a cancellation on request.
fn cancel_in(tx: &mut Tx, crime: i64, version: i64, cancellation: &Value, actor: &str, at: &str) -> R<Crime> {
    let before = lock_crime(tx, crime, version)?;
    if before.status == "cancelled" {
        return Err(StoreError::Refused(format!("crime {} is already cancelled", before.reference)).into());
    }
    let after = crime_row(&one(
        tx,
        &format!(
            "UPDATE crime SET status = 'cancelled', cancellation = $1, version = version + 1
             WHERE id = $2 RETURNING {CRIME_COLUMNS}"
        ),
        args![cancellation.to_string(), crime],
    )?)?;
    audit(tx, at, actor, "crime", crime, "cancel", Some(json(&before)), Some(json(&after)))?;
    // A request that came in meanwhile is answered by the same write, not left pending on
    // a cancelled crime.
    exec(
        tx,
        "UPDATE cancellation_request SET status = 'cancelled', decided_by = $1, decided_at = $2
         WHERE crime = $3 AND status = 'pending'",
        args![actor, at, crime],
    )?;
    Ok(after)
}
