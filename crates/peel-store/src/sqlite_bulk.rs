//! Bulk loading of casework into the SQLite store: a whole batch of reports, incidents,
//! crimes, people, contacts, evidence and investigation events (e.g. a month of a synthetic
//! force from `peel demo`) written in one transaction with prepared statements.
//!
//! A batch is column-like: one struct of vectors per table, rows referring to each other by
//! their index in the batch (a crime names its incident by index, an incident its report).
//! The writer assigns every id, continuing after the largest id already stored, and every
//! reference ("CRM-2026-000042") from the same counters `Casework` uses, so casework written
//! later carries on the series.
//!
//! What the writer works out rather than takes, exactly as the casework service does:
//! - each incident's 24-hour recording-decision clock (`recording::recording_decision_due`);
//! - each victim's Victims' Code obligations, from the report's time and the victim's kind
//!   (`victims_code::obligations_at_report`, with the crime's enhanced flag), due dates
//!   written as text as `peel-casework` writes them (a time "YYYY-MM-DDTHH:MM" for `Due::At`,
//!   a date for `Due::By`, NULL where the Code sets none);
//! - the right-6 obligation of each investigation event (`victims_code::obligation_for_event`).
//!
//! Obligations are met by the batch's contacts: a contact's `meets` names entitlements (a
//! bit mask over `victims_code::ENTITLEMENTS`, see [`entitlement_mask`]), and an event may
//! name the contact that told the victim. A contact can only meet what its crime's victim is
//! owed, as in `Casework::log_contact`; anything else refuses the batch.
//!
//! Audit: the casework API appends one audit row per record; a bulk load appends a single
//! row per batch instead — entity `batch.source` (e.g. "demo-load"), id the batch's first
//! crime id, action "bulk-load", actor `batch.actor` — whose `after` names the label, the
//! row counts and the id range of every table, so each loaded record can still be traced to
//! the load that wrote it.
//!
//! Speed (about a million crimes, 23 million rows, a minute on two cores):
//! - multi-row INSERT statements (`ROWS` rows each), OR FAIL and without explicit ids, so
//!   that SQLite keeps no statement journal; the ids it gives are checked against the ones
//!   assigned;
//! - values borrowed from the batch or held inline, not allocated row by row;
//! - `PRAGMA synchronous = OFF` and `PRAGMA foreign_keys = OFF` for the batch's transaction
//!   only, set back afterwards whatever happens. The batch's references are checked by
//!   `CaseworkBulk::validate` instead (every index in range), and
//!   [`SqliteStore::foreign_key_violations`] confirms it after a load. Without the sync, a
//!   power cut mid-load can lose or damage what that load wrote, as SQLite warns: bulk loads
//!   are for what can be loaded again (a demo, a migration into a fresh store);
//! - optionally, checkpoints on another connection and thread
//!   ([`SqliteStore::wal_autocheckpoint`], [`SqliteStore::checkpoint`]), as `peel demo` does.

use crate::casework::NewSite;
use crate::{Result, SqliteStore, StoreError};
use peel_domain::date::{Date, Timestamp};
use peel_domain::recording::recording_decision_due;
use peel_domain::thrive::Thrive;
use peel_domain::victims_code::{self, Due, Event, VictimKind, ENTITLEMENTS};
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};
use rusqlite::{params, OptionalExtension, Statement, Transaction, TransactionBehavior};
use std::collections::HashMap;
use std::io::Write;

/// The people of a batch: victims, suspects, reporters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonColumns {
    pub name: Vec<String>,
    pub date_of_birth: Vec<Option<Date>>,
    pub sex: Vec<Option<String>>,
    pub ethnicity: Vec<Option<String>>,
    pub vulnerabilities: Vec<Vec<String>>,
    pub is_business: Vec<bool>,
}

/// Reports. An incident is opened at its report's time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportColumns {
    /// 999 | 101 | online | partner-portal | officer
    pub channel: Vec<String>,
    /// crime | incident | intelligence
    pub kind: Vec<String>,
    pub reported_at: Vec<Timestamp>,
    /// Index into the batch's people.
    pub reporter: Vec<Option<u32>>,
    /// Index into the batch's sites.
    pub site: Vec<Option<u32>>,
    pub location: Vec<Option<String>>,
    pub account: Vec<String>,
    pub created_by: Vec<String>,
}

/// Incidents: one per report that is not intelligence. The decision is due 24 hours after
/// the report (the writer sets it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentColumns {
    /// Index into the batch's reports.
    pub report: Vec<u32>,
    /// open | crime | non-crime | non-crime-domestic-abuse | hate-incident | transferred …
    pub status: Vec<String>,
    pub decided_at: Vec<Option<Timestamp>>,
    pub decided_by: Vec<Option<String>>,
    pub thrive: Vec<Option<Thrive>>,
    pub grade: Vec<Option<String>>,
    pub team: Vec<Option<String>>,
    pub allocation_reason: Vec<Option<String>>,
}

/// Recorded crimes, one victim each (Counting Rules: one crime per victim).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CrimeColumns {
    /// Index into the batch's incidents; the incident's report dates the obligations.
    pub incident: Vec<u32>,
    pub offence_code: Vec<String>,
    pub recorded_at: Vec<Timestamp>,
    pub recorded_by: Vec<String>,
    pub flags: Vec<Vec<String>>,
    pub team: Vec<Option<String>>,
    pub officer: Vec<Option<String>>,
    /// Home Office outcome type, e.g. "1", "18"; `None` while under investigation.
    pub outcome: Vec<Option<String>>,
    pub outcome_at: Vec<Option<Timestamp>>,
    /// Index into the batch's people.
    pub victim: Vec<u32>,
    pub enhanced: Vec<bool>,
    pub enhanced_reasons: Vec<Vec<String>>,
    /// The victim is a close relative bereaved by the crime (owed the bereaved referral).
    pub bereaved_relative: Vec<bool>,
}

/// Suspects on crimes (crime_person rows with role "suspect").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SuspectColumns {
    /// Index into the batch's crimes.
    pub crime: Vec<u32>,
    /// Index into the batch's people.
    pub person: Vec<u32>,
}

/// Contacts with people on crimes, in crime order (non-decreasing `crime`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactColumns {
    pub crime: Vec<u32>,
    pub person: Vec<u32>,
    pub at: Vec<Timestamp>,
    /// phone | visit | letter | email | sms | video
    pub method: Vec<String>,
    pub by_whom: Vec<String>,
    pub notes: Vec<String>,
    /// The at-report entitlements this contact meets, as a mask ([`entitlement_mask`]).
    pub meets: Vec<u32>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvidenceColumns {
    pub crime: Vec<u32>,
    /// cctv | forensic | statement | digital | other
    pub kind: Vec<String>,
    pub description: Vec<String>,
    pub deadline: Vec<Option<Date>>,
    pub secured_at: Vec<Option<Timestamp>>,
    pub added_by: Vec<String>,
}

/// Right-6 investigation events (arrest, charge, no further action, …): each owes the
/// crime's victim an update (5 working days, 1 if enhanced).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventColumns {
    pub crime: Vec<u32>,
    pub event: Vec<Event>,
    pub at: Vec<Timestamp>,
    /// The contact (index into the batch's contacts, of the same crime and its victim) that
    /// told the victim, meeting the obligation.
    pub told: Vec<Option<u32>>,
}

/// One batch of casework, written in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseworkBulk {
    /// The audit row's entity, e.g. "demo-load".
    pub source: String,
    /// The audit row's actor, e.g. "demo".
    pub actor: String,
    /// When the load happened: the audit row's time.
    pub at: Option<Timestamp>,
    /// What the batch is, for the audit row, e.g. "West Midlands demo 2026-03, seed 1".
    pub label: String,
    /// Sites the reports name; an existing site of the same name and organisation is reused.
    pub sites: Vec<NewSite>,
    pub people: PersonColumns,
    pub reports: ReportColumns,
    pub incidents: IncidentColumns,
    pub crimes: CrimeColumns,
    pub suspects: SuspectColumns,
    pub contacts: ContactColumns,
    pub evidence: EvidenceColumns,
    pub events: EventColumns,
}

/// What a bulk load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkReport {
    pub sites_added: u64,
    pub people: u64,
    pub reports: u64,
    pub incidents: u64,
    pub crimes: u64,
    pub suspects: u64,
    pub obligations: u64,
    /// Obligations met by the batch's contacts.
    pub obligations_met: u64,
    pub contacts: u64,
    pub evidence: u64,
    pub first_crime_id: Option<i64>,
    pub last_crime_id: Option<i64>,
    pub audit_id: i64,
}

impl BulkReport {
    /// Every row written, the audit row included.
    pub fn rows(&self) -> u64 {
        self.sites_added
            + self.people
            + self.reports
            + self.incidents
            + self.crimes * 2 // the crime and its victim's crime_person row
            + self.suspects
            + self.obligations
            + self.contacts
            + self.evidence
            + 1
    }
}

/// The bit of one entitlement key (`victims_code::ENTITLEMENTS`) in a contact's `meets`.
pub fn entitlement_bit(key: &str) -> Option<u32> {
    ENTITLEMENTS.iter().position(|e| e.key == key).map(|i| 1 << i)
}

/// The mask of several entitlement keys; `None` if one is not a key.
pub fn entitlement_mask(keys: &[&str]) -> Option<u32> {
    keys.iter().try_fold(0, |m, k| entitlement_bit(k).map(|b| m | b))
}

/// "YYYY-MM-DD" without the formatting machinery: this runs for millions of rows.
fn date_text(d: Date, buf: &mut [u8; 16]) -> &str {
    let y = d.year().clamp(0, 9999) as u32;
    let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10];
    for (i, v) in digits.iter().enumerate() {
        buf[i] = b'0' + *v as u8;
    }
    buf[4] = b'-';
    buf[5] = b'0' + d.month() / 10;
    buf[6] = b'0' + d.month() % 10;
    buf[7] = b'-';
    buf[8] = b'0' + d.day() / 10;
    buf[9] = b'0' + d.day() % 10;
    std::str::from_utf8(&buf[..10]).expect("ascii")
}

/// "YYYY-MM-DDTHH:MM", as `Timestamp`'s Display writes it.
fn time_text(t: Timestamp, buf: &mut [u8; 16]) -> &str {
    date_text(t.date(), buf);
    let (h, m) = t.time();
    buf[10] = b'T';
    buf[11] = b'0' + h / 10;
    buf[12] = b'0' + h % 10;
    buf[13] = b':';
    buf[14] = b'0' + m / 10;
    buf[15] = b'0' + m % 10;
    std::str::from_utf8(&buf[..]).expect("ascii")
}

fn json_list(v: &[String]) -> String {
    if v.is_empty() {
        "[]".to_string()
    } else {
        serde_json::to_string(v).expect("a list of strings serialises")
    }
}

fn invalid(what: String) -> StoreError {
    StoreError::Invalid(format!("bulk load: {what}"))
}

/// Checks that every column of a table has `n` rows.
fn same_len(table: &str, n: usize, lens: &[(&str, usize)]) -> Result<()> {
    for (col, len) in lens {
        if *len != n {
            return Err(invalid(format!("{table}.{col} has {len} rows, not {n}")));
        }
    }
    Ok(())
}

fn in_range(what: &str, i: u32, n: usize) -> Result<()> {
    if (i as usize) < n {
        Ok(())
    } else {
        Err(invalid(format!("{what} {i} is not in the batch (it has {n})")))
    }
}

impl CaseworkBulk {
    /// Every column the same length, every index pointing into the batch, contacts in crime
    /// order.
    pub fn validate(&self) -> Result<()> {
        let p = &self.people;
        same_len(
            "people",
            p.name.len(),
            &[
                ("date_of_birth", p.date_of_birth.len()),
                ("sex", p.sex.len()),
                ("ethnicity", p.ethnicity.len()),
                ("vulnerabilities", p.vulnerabilities.len()),
                ("is_business", p.is_business.len()),
            ],
        )?;
        let np = p.name.len();
        let r = &self.reports;
        same_len(
            "reports",
            r.channel.len(),
            &[
                ("kind", r.kind.len()),
                ("reported_at", r.reported_at.len()),
                ("reporter", r.reporter.len()),
                ("site", r.site.len()),
                ("location", r.location.len()),
                ("account", r.account.len()),
                ("created_by", r.created_by.len()),
            ],
        )?;
        for &i in r.reporter.iter().flatten() {
            in_range("reporter (person)", i, np)?;
        }
        for &i in r.site.iter().flatten() {
            in_range("site", i, self.sites.len())?;
        }
        let inc = &self.incidents;
        same_len(
            "incidents",
            inc.report.len(),
            &[
                ("status", inc.status.len()),
                ("decided_at", inc.decided_at.len()),
                ("decided_by", inc.decided_by.len()),
                ("thrive", inc.thrive.len()),
                ("grade", inc.grade.len()),
                ("team", inc.team.len()),
                ("allocation_reason", inc.allocation_reason.len()),
            ],
        )?;
        let mut has_incident = vec![false; r.channel.len()];
        for &i in &inc.report {
            in_range("incident's report", i, r.channel.len())?;
            if std::mem::replace(&mut has_incident[i as usize], true) {
                return Err(invalid(format!("report {i} has two incidents")));
            }
        }
        let c = &self.crimes;
        same_len(
            "crimes",
            c.incident.len(),
            &[
                ("offence_code", c.offence_code.len()),
                ("recorded_at", c.recorded_at.len()),
                ("recorded_by", c.recorded_by.len()),
                ("flags", c.flags.len()),
                ("team", c.team.len()),
                ("officer", c.officer.len()),
                ("outcome", c.outcome.len()),
                ("outcome_at", c.outcome_at.len()),
                ("victim", c.victim.len()),
                ("enhanced", c.enhanced.len()),
                ("enhanced_reasons", c.enhanced_reasons.len()),
                ("bereaved_relative", c.bereaved_relative.len()),
            ],
        )?;
        let nc = c.incident.len();
        for (&i, &v) in c.incident.iter().zip(&c.victim) {
            in_range("crime's incident", i, inc.report.len())?;
            in_range("victim (person)", v, np)?;
        }
        let s = &self.suspects;
        same_len("suspects", s.crime.len(), &[("person", s.person.len())])?;
        for (&ci, &pi) in s.crime.iter().zip(&s.person) {
            in_range("suspect's crime", ci, nc)?;
            in_range("suspect (person)", pi, np)?;
        }
        let k = &self.contacts;
        same_len(
            "contacts",
            k.crime.len(),
            &[
                ("person", k.person.len()),
                ("at", k.at.len()),
                ("method", k.method.len()),
                ("by_whom", k.by_whom.len()),
                ("notes", k.notes.len()),
                ("meets", k.meets.len()),
            ],
        )?;
        for (j, (&ci, &pi)) in k.crime.iter().zip(&k.person).enumerate() {
            in_range("contact's crime", ci, nc)?;
            in_range("contact's person", pi, np)?;
            if j > 0 && k.crime[j - 1] > ci {
                return Err(invalid(format!("contacts are not in crime order at contact {j}")));
            }
            if k.meets[j] != 0 && c.victim[ci as usize] != pi {
                return Err(invalid(format!("contact {j} meets obligations but is not with crime {ci}'s victim")));
            }
            if k.meets[j] >> ENTITLEMENTS.len() != 0 {
                return Err(invalid(format!("contact {j} meets an entitlement that does not exist")));
            }
        }
        let e = &self.evidence;
        same_len(
            "evidence",
            e.crime.len(),
            &[
                ("kind", e.kind.len()),
                ("description", e.description.len()),
                ("deadline", e.deadline.len()),
                ("secured_at", e.secured_at.len()),
                ("added_by", e.added_by.len()),
            ],
        )?;
        for &ci in &e.crime {
            in_range("evidence's crime", ci, nc)?;
        }
        let ev = &self.events;
        same_len("events", ev.crime.len(), &[("event", ev.event.len()), ("at", ev.at.len()), ("told", ev.told.len())])?;
        for (j, &ci) in ev.crime.iter().enumerate() {
            in_range("event's crime", ci, nc)?;
            if let Some(t) = ev.told[j] {
                in_range("event's contact", t, k.crime.len())?;
                if k.crime[t as usize] != ci || k.person[t as usize] != c.victim[ci as usize] {
                    return Err(invalid(format!("event {j} is told by contact {t}, not one with crime {ci}'s victim")));
                }
            }
        }
        Ok(())
    }
}

/// Reference numbers of the batch, from the store's counters, written back at the end.
struct References {
    last: HashMap<(&'static str, i32), i64>,
}

impl References {
    /// The next reference, e.g. "CRM-2026-000042", as `next_reference` in sqlite_casework
    /// writes it (inline: no allocation for each of a million rows).
    fn next(&mut self, tx: &Transaction, prefix: &'static str, year: i32) -> Result<Cell<'static>> {
        let last = match self.last.get_mut(&(prefix, year)) {
            Some(n) => n,
            None => {
                let n: i64 = tx
                    .query_row(
                        "SELECT last FROM reference_counter WHERE prefix = ?1 AND year = ?2",
                        params![prefix, year],
                        |r| r.get(0),
                    )
                    .optional()?
                    .unwrap_or(0);
                self.last.entry((prefix, year)).or_insert(n)
            }
        };
        *last += 1;
        let mut buf = [0u8; 24];
        let mut w = &mut buf[..];
        Ok(match write!(w, "{prefix}-{year}-{:06}", *last) {
            Ok(()) => {
                let n = 24 - w.len();
                Cell::Short(buf, n as u8)
            }
            Err(_) => Cell::Own(format!("{prefix}-{year}-{:06}", *last)),
        })
    }

    fn save(&self, tx: &Transaction) -> Result<()> {
        let mut st = tx.prepare(
            "INSERT INTO reference_counter (prefix, year, last) VALUES (?1, ?2, ?3)
             ON CONFLICT (prefix, year) DO UPDATE SET last = excluded.last",
        )?;
        for ((prefix, year), last) in &self.last {
            st.execute(params![prefix, year, last])?;
        }
        Ok(())
    }
}

fn max_id(tx: &Transaction, table: &str) -> Result<i64> {
    Ok(tx.query_row(&format!("SELECT coalesce(max(id), 0) FROM {table}"), [], |r| r.get(0))?)
}

/// Rows are inserted without their id (an explicit id would make SQLite keep a statement
/// journal for every multi-row statement), so SQLite gives each the next id after the
/// table's largest: exactly `first..first + n`, as the writer assigned them, because the
/// load holds the write lock from its first read of the largest id. Checked all the same.
fn check_ids(tx: &Transaction, table: &str, first: i64, n: u64) -> Result<()> {
    let last = max_id(tx, table)?;
    let expected = if n == 0 { first - 1 } else { first + n as i64 - 1 };
    if last != expected {
        return Err(invalid(format!("{table} ids end at {last}, not {expected} as assigned")));
    }
    Ok(())
}

fn site_id(tx: &Transaction, site: &NewSite) -> Result<(i64, bool)> {
    let found: Option<i64> = tx
        .query_row(
            "SELECT s.id FROM site s JOIN organisation o ON o.id = s.organisation WHERE s.name = ?1 AND o.name = ?2
             ORDER BY s.id LIMIT 1",
            params![site.name, site.organisation],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = found {
        return Ok((id, false));
    }
    // The same statements as a site added through the casework service (no audit entry:
    // the bulk loader's sites are the synthetic force's).
    let mut conn = crate::sql::sqlite::SqliteConn(tx);
    let (_, id) = crate::resources::sites::insert(&mut crate::sql::Tx::new(&mut conn), site)?;
    Ok((id, true))
}

/// One value of a row to insert, borrowed from the batch where it can be, inline when short
/// (times, dates, references), so that writing a row allocates as little as possible.
#[derive(Debug, Clone)]
enum Cell<'b> {
    Null,
    Int(i64),
    Str(&'b str),
    Own(String),
    Short([u8; 24], u8),
}

impl ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Cell::Null => ValueRef::Null,
            Cell::Int(i) => ValueRef::Integer(*i),
            Cell::Str(s) => ValueRef::Text(s.as_bytes()),
            Cell::Own(s) => ValueRef::Text(s.as_bytes()),
            Cell::Short(b, n) => ValueRef::Text(&b[..*n as usize]),
        }))
    }
}

fn text(s: &str) -> Cell<'_> {
    Cell::Str(s)
}

fn opt_text(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Null, Cell::Str)
}

/// A short text copied inline (a longer one is allocated).
fn short(s: &str) -> Cell<'static> {
    let mut b = [0u8; 24];
    match b.get_mut(..s.len()) {
        Some(dst) => {
            dst.copy_from_slice(s.as_bytes());
            Cell::Short(b, s.len() as u8)
        }
        None => Cell::Own(s.to_string()),
    }
}

fn opt_short(s: Option<&str>) -> Cell<'static> {
    s.map_or(Cell::Null, short)
}

fn int(i: i64) -> Cell<'static> {
    Cell::Int(i)
}

fn opt_int(i: Option<i64>) -> Cell<'static> {
    i.map_or(Cell::Null, Cell::Int)
}

/// A list as JSON: the empty list without allocating.
fn json_cell(v: &[String]) -> Cell<'static> {
    if v.is_empty() {
        Cell::Str("[]")
    } else {
        Cell::Own(json_list(v))
    }
}

/// Due text exactly as `peel-casework` writes it.
fn due_cell(due: Due, buf: &mut [u8; 16]) -> Cell<'static> {
    match due {
        Due::At(t) => short(time_text(t, buf)),
        Due::By(d) => short(date_text(d, buf)),
        Due::NoDeadline => Cell::Null,
    }
}

/// Rows written through multi-row INSERT statements: SQLite runs one statement for
/// `ROWS` rows, which costs much less per row than one statement each.
struct Rows<'c, 'b> {
    one: Statement<'c>,
    many: Statement<'c>,
    columns: usize,
    buf: Vec<Cell<'b>>,
}

const ROWS: usize = 64;

impl<'c, 'b> Rows<'c, 'b> {
    /// `head` is "INSERT OR FAIL INTO t (a, b, c)"; `row` the VALUES tuple, e.g. "(?, ?, 'x')".
    /// OR FAIL, and no explicit ids: a failing row fails the whole load anyway (the
    /// transaction is rolled back), so SQLite need not keep a statement journal to undo a
    /// statement's earlier rows, which it would for OR ABORT or an explicit rowid.
    fn new(tx: &'c Transaction, head: &str, row: &str) -> Result<Rows<'c, 'b>> {
        let columns = row.matches('?').count();
        let many = format!("{head} VALUES {}", vec![row; ROWS].join(", "));
        Ok(Rows {
            one: tx.prepare(&format!("{head} VALUES {row}"))?,
            many: tx.prepare(&many)?,
            columns,
            buf: Vec::with_capacity(columns * ROWS),
        })
    }

    fn push<const N: usize>(&mut self, row: [Cell<'b>; N]) -> Result<()> {
        debug_assert_eq!(N, self.columns);
        self.buf.extend(row);
        if self.buf.len() == self.columns * ROWS {
            for (i, v) in self.buf.iter().enumerate() {
                self.many.raw_bind_parameter(i + 1, v)?;
            }
            self.many.raw_execute()?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        for row in self.buf.chunks(self.columns) {
            for (i, v) in row.iter().enumerate() {
                self.one.raw_bind_parameter(i + 1, v)?;
            }
            self.one.raw_execute()?;
        }
        Ok(())
    }
}

impl SqliteStore {
    /// Rows of casework the store holds (reports, crimes and people): zero for a store
    /// without casework.
    pub fn casework_rows(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM report) + (SELECT count(*) FROM crime) + (SELECT count(*) FROM person)",
            [],
            |r| r.get(0),
        )?;
        Ok(n as u64)
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

    /// Writes a batch of casework in one transaction (see the module documentation): all of
    /// it or, on any error, none of it.
    pub fn load_casework_bulk(&mut self, batch: &CaseworkBulk) -> Result<BulkReport> {
        batch.validate()?;
        let sync: i64 = self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let keys: i64 = self.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        self.conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF")?;
        let result = self.load_bulk_tx(batch);
        let restored = self.conn.execute_batch(&format!("PRAGMA synchronous = {sync}; PRAGMA foreign_keys = {keys}"));
        let report = result?;
        restored?;
        Ok(report)
    }

    fn load_bulk_tx(&mut self, batch: &CaseworkBulk) -> Result<BulkReport> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = BulkReport::default();
        let mut b1 = [0u8; 16];
        let mut b2 = [0u8; 16];
        let mut b3 = [0u8; 16];

        let mut site_ids = Vec::with_capacity(batch.sites.len());
        for s in &batch.sites {
            let (id, added) = site_id(&tx, s)?;
            site_ids.push(id);
            out.sites_added += added as u64;
        }

        let person0 = max_id(&tx, "person")? + 1;
        let report0 = max_id(&tx, "report")? + 1;
        let incident0 = max_id(&tx, "incident")? + 1;
        let crime0 = max_id(&tx, "crime")? + 1;
        let obligation0 = max_id(&tx, "obligation")? + 1;
        let contact0 = max_id(&tx, "contact")? + 1;
        let evidence0 = max_id(&tx, "evidence")? + 1;
        let mut refs = References { last: HashMap::new() };

        // People.
        let p = &batch.people;
        let mut rows = Rows::new(
            &tx,
            "INSERT OR FAIL INTO person (name, date_of_birth, sex, ethnicity, vulnerabilities, is_business)",
            "(?, ?, ?, ?, ?, ?)",
        )?;
        for i in 0..p.name.len() {
            rows.push([
                text(&p.name[i]),
                opt_short(p.date_of_birth[i].map(|d| date_text(d, &mut b1))),
                opt_text(p.sex[i].as_deref()),
                opt_text(p.ethnicity[i].as_deref()),
                json_cell(&p.vulnerabilities[i]),
                int(p.is_business[i] as i64),
            ])?;
        }
        rows.finish()?;
        out.people = p.name.len() as u64;
        check_ids(&tx, "person", person0, out.people)?;

        // Reports.
        let r = &batch.reports;
        let mut rows = Rows::new(
            &tx,
            "INSERT OR FAIL INTO report (reference, channel, kind, reported_at, reporter, site, location, account, created_by)",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?;
        for i in 0..r.channel.len() {
            let at = r.reported_at[i];
            rows.push([
                refs.next(&tx, "RPT", at.date().year())?,
                text(&r.channel[i]),
                text(&r.kind[i]),
                short(time_text(at, &mut b1)),
                opt_int(r.reporter[i].map(|p| person0 + p as i64)),
                opt_int(r.site[i].map(|s| site_ids[s as usize])),
                opt_text(r.location[i].as_deref()),
                text(&r.account[i]),
                text(&r.created_by[i]),
            ])?;
        }
        rows.finish()?;
        out.reports = r.channel.len() as u64;
        check_ids(&tx, "report", report0, out.reports)?;

        // Incidents.
        let inc = &batch.incidents;
        let mut thrive_json: HashMap<u32, String> = HashMap::new();
        let mut rows = Rows::new(
            &tx,
            "INSERT OR FAIL INTO incident (reference, report, opened_at, decision_due, status, decided_at, decided_by,
                                   thrive, grade, team, allocation_reason)",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?;
        for i in 0..inc.report.len() {
            let opened = batch.reports.reported_at[inc.report[i] as usize];
            let thrive = inc.thrive[i].map(|t| {
                thrive_json
                    .entry(thrive_key(&t))
                    .or_insert_with(|| serde_json::to_string(&t).expect("THRIVE serialises"))
                    .clone()
            });
            rows.push([
                refs.next(&tx, "INC", opened.date().year())?,
                int(report0 + inc.report[i] as i64),
                short(time_text(opened, &mut b1)),
                short(time_text(recording_decision_due(opened), &mut b1)),
                text(&inc.status[i]),
                opt_short(inc.decided_at[i].map(|t| time_text(t, &mut b2))),
                opt_text(inc.decided_by[i].as_deref()),
                thrive.map_or(Cell::Null, Cell::Own),
                opt_text(inc.grade[i].as_deref()),
                opt_text(inc.team[i].as_deref()),
                opt_text(inc.allocation_reason[i].as_deref()),
            ])?;
        }
        rows.finish()?;
        out.incidents = inc.report.len() as u64;
        check_ids(&tx, "incident", incident0, out.incidents)?;

        // Crimes, each with its victim and the victim's obligations at report, met by the
        // crime's contacts where they say so.
        let c = &batch.crimes;
        let k = &batch.contacts;
        let mut crime_rows = Rows::new(
            &tx,
            "INSERT OR FAIL INTO crime (reference, incident, offence_code, status, recorded_at, recorded_by, flags, team,
                                officer, outcome, outcome_at)",
            "(?, ?, ?, 'recorded', ?, ?, ?, ?, ?, ?, ?)",
        )?;
        let mut people_rows = Rows::new(
            &tx,
            "INSERT OR FAIL INTO crime_person (crime, person, role, enhanced, enhanced_reasons)",
            "(?, ?, ?, ?, ?)",
        )?;
        let mut obligation_rows = Rows::new(
            &tx,
            "INSERT OR FAIL INTO obligation (crime, person, entitlement, right_no, description, due, met_at, met_by, created_at)",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?;
        for i in 0..c.incident.len() {
            let recorded = c.recorded_at[i];
            crime_rows.push([
                refs.next(&tx, "CRM", recorded.date().year())?,
                int(incident0 + c.incident[i] as i64),
                text(&c.offence_code[i]),
                short(time_text(recorded, &mut b1)),
                text(&c.recorded_by[i]),
                json_cell(&c.flags[i]),
                opt_text(c.team[i].as_deref()),
                opt_text(c.officer[i].as_deref()),
                opt_text(c.outcome[i].as_deref()),
                opt_short(c.outcome_at[i].map(|t| time_text(t, &mut b2))),
            ])?;
        }
        crime_rows.finish()?;
        out.crimes = c.incident.len() as u64;
        check_ids(&tx, "crime", crime0, out.crimes)?;
        if !c.incident.is_empty() {
            out.first_crime_id = Some(crime0);
            out.last_crime_id = Some(crime0 + c.incident.len() as i64 - 1);
        }

        // Victims.
        for i in 0..c.incident.len() {
            people_rows.push([
                int(crime0 + i as i64),
                int(person0 + c.victim[i] as i64),
                text("victim"),
                int(c.enhanced[i] as i64),
                json_cell(&c.enhanced_reasons[i]),
            ])?;
        }

        // Suspects.
        let s = &batch.suspects;
        for (&ci, &pi) in s.crime.iter().zip(&s.person) {
            people_rows.push([
                int(crime0 + ci as i64),
                int(person0 + pi as i64),
                text("suspect"),
                int(0),
                text("[]"),
            ])?;
        }
        people_rows.finish()?;
        out.suspects = s.crime.len() as u64;

        // Each victim's obligations at report, met by the crime's contacts where they say so.
        let mut next_obligation = obligation0;
        let mut next_contact = 0usize;
        for i in 0..c.incident.len() {
            let crime_id = crime0 + i as i64;
            let victim = c.victim[i] as usize;
            let victim_id = person0 + victim as i64;
            let recorded_text = time_text(c.recorded_at[i], &mut b1).to_string();
            // This crime's contacts: contacts are in crime order.
            while next_contact < k.crime.len() && (k.crime[next_contact] as usize) < i {
                next_contact += 1;
            }
            let first_contact = next_contact;
            let mut end_contact = next_contact;
            while end_contact < k.crime.len() && k.crime[end_contact] as usize == i {
                end_contact += 1;
            }
            let report = batch.incidents.report[c.incident[i] as usize] as usize;
            let reported = batch.reports.reported_at[report];
            let kind = VictimKind {
                enhanced: c.enhanced[i],
                business: batch.people.is_business[victim],
                bereaved_relative: c.bereaved_relative[i],
            };
            let mut owed = 0u32;
            for o in victims_code::obligations_at_report(reported, kind) {
                let bit = entitlement_bit(o.key).expect("obligations are of the Code's entitlements");
                owed |= bit;
                let met = (first_contact..end_contact).find(|&j| k.meets[j] & bit != 0);
                obligation_rows.push([
                    int(crime_id),
                    int(victim_id),
                    text(o.key),
                    int(o.right as i64),
                    Cell::Own(o.description),
                    due_cell(o.due, &mut b3),
                    opt_short(met.map(|j| time_text(k.at[j], &mut b2))),
                    opt_int(met.map(|j| contact0 + j as i64)),
                    short(&recorded_text),
                ])?;
                next_obligation += 1;
                out.obligations_met += met.is_some() as u64;
            }
            if let Some(j) = (first_contact..end_contact).find(|&j| k.meets[j] & !owed != 0) {
                return Err(invalid(format!(
                    "contact {j} meets an entitlement crime {i}'s victim is not owed (mask {:#x}, owed {owed:#x})",
                    k.meets[j]
                )));
            }
        }

        // Right-6 events: an obligation to each crime's victim, met by the contact that told
        // them.
        let ev = &batch.events;
        for j in 0..ev.crime.len() {
            let ci = ev.crime[j] as usize;
            let o = victims_code::obligation_for_event(ev.event[j], ev.at[j].date(), c.enhanced[ci]);
            let told = ev.told[j].map(|t| t as usize);
            obligation_rows.push([
                int(crime0 + ci as i64),
                int(person0 + c.victim[ci] as i64),
                text(o.key),
                int(o.right as i64),
                Cell::Own(o.description),
                due_cell(o.due, &mut b3),
                opt_short(told.map(|t| time_text(k.at[t], &mut b2))),
                opt_int(told.map(|t| contact0 + t as i64)),
                short(time_text(ev.at[j], &mut b1)),
            ])?;
            next_obligation += 1;
            out.obligations_met += told.is_some() as u64;
        }
        obligation_rows.finish()?;
        out.obligations = (next_obligation - obligation0) as u64;
        check_ids(&tx, "obligation", obligation0, out.obligations)?;

        // Contacts.
        let mut rows = Rows::new(
            &tx,
            "INSERT OR FAIL INTO contact (crime, person, at, method, by_whom, notes)",
            "(?, ?, ?, ?, ?, ?)",
        )?;
        for j in 0..k.crime.len() {
            rows.push([
                int(crime0 + k.crime[j] as i64),
                int(person0 + k.person[j] as i64),
                short(time_text(k.at[j], &mut b1)),
                text(&k.method[j]),
                text(&k.by_whom[j]),
                text(&k.notes[j]),
            ])?;
        }
        rows.finish()?;
        out.contacts = k.crime.len() as u64;
        check_ids(&tx, "contact", contact0, out.contacts)?;

        // Evidence.
        let e = &batch.evidence;
        let mut rows = Rows::new(
            &tx,
            "INSERT OR FAIL INTO evidence (crime, kind, description, deadline, secured_at, added_by)",
            "(?, ?, ?, ?, ?, ?)",
        )?;
        for j in 0..e.crime.len() {
            rows.push([
                int(crime0 + e.crime[j] as i64),
                text(&e.kind[j]),
                text(&e.description[j]),
                opt_short(e.deadline[j].map(|d| date_text(d, &mut b1))),
                opt_short(e.secured_at[j].map(|t| time_text(t, &mut b2))),
                text(&e.added_by[j]),
            ])?;
        }
        rows.finish()?;
        out.evidence = e.crime.len() as u64;
        check_ids(&tx, "evidence", evidence0, out.evidence)?;

        refs.save(&tx)?;

        // One audit row for the whole batch.
        let range = |first: i64, n: u64| {
            if n == 0 {
                serde_json::Value::Null
            } else {
                serde_json::json!([first, first + n as i64 - 1])
            }
        };
        let after = serde_json::json!({
            "label": batch.label,
            "ids": {
                "person": range(person0, out.people),
                "report": range(report0, out.reports),
                "incident": range(incident0, out.incidents),
                "crime": range(crime0, out.crimes),
                "obligation": range(obligation0, out.obligations),
                "contact": range(contact0, out.contacts),
                "evidence": range(evidence0, out.evidence),
            },
            "sites_added": out.sites_added,
            "suspects": out.suspects,
            "obligations_met": out.obligations_met,
        });
        let at = match batch.at {
            Some(t) => time_text(t, &mut b1).to_string(),
            None => tx.query_row("SELECT strftime('%Y-%m-%dT%H:%M', 'now')", [], |r| r.get::<_, String>(0))?,
        };
        tx.execute(
            "INSERT INTO audit_log (at, actor, entity, entity_id, action, before, after)
             VALUES (?1, ?2, ?3, ?4, 'bulk-load', NULL, ?5)",
            params![at, batch.actor, batch.source, out.first_crime_id.unwrap_or(0), after.to_string()],
        )?;
        out.audit_id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(out)
    }
}

/// A THRIVE assessment as a small number, to serialise each distinct one once.
fn thrive_key(t: &Thrive) -> u32 {
    (t.threat as u32)
        | (t.harm as u32) << 2
        | (t.risk as u32) << 4
        | (t.investigation as u32) << 6
        | (t.vulnerability as u32) << 7
        | (t.engagement as u32) << 8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casework::Casework;
    use peel_domain::thrive::Level;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn site() -> NewSite {
        NewSite {
            organisation: "Test Hospitals NHS Trust".into(),
            organisation_kind: "hospital".into(),
            name: "Test General Hospital".into(),
            address: None,
            latitude: Some(52.48),
            longitude: Some(-1.81),
            lsoa_code: None,
            neighbourhood_unit: Some("BE".into()),
            impact_area: None,
        }
    }

    /// Two reports: one becomes a crime with a victim, a suspect, two contacts (one meeting
    /// the acknowledgement and recording, one the referral), CCTV and a charge; the other is
    /// a non-crime incident.
    fn batch() -> CaseworkBulk {
        let mut b = CaseworkBulk {
            source: "demo-load".into(),
            actor: "demo".into(),
            at: Some(ts("2026-04-01T00:00")),
            label: "test".into(),
            sites: vec![site()],
            ..Default::default()
        };
        let p = &mut b.people;
        for (name, business) in [("Ava Example", false), ("Sam Suspect", false), ("Example Stores Ltd", true)] {
            p.name.push(name.into());
            p.date_of_birth.push(Date::parse("1990-05-01").ok());
            p.sex.push(Some("female".into()));
            p.ethnicity.push(None);
            p.vulnerabilities.push(vec![]);
            p.is_business.push(business);
        }
        let r = &mut b.reports;
        for (i, t) in ["2026-03-06T10:30", "2026-03-07T11:00"].iter().enumerate() {
            r.channel.push("101".into());
            r.kind.push("crime".into());
            r.reported_at.push(ts(t));
            r.reporter.push(Some(0));
            r.site.push((i == 0).then_some(0));
            r.location.push(Some("Church Road".into()));
            r.account.push("An account".into());
            r.created_by.push("cst:0001".into());
        }
        let inc = &mut b.incidents;
        for (i, status) in ["crime", "non-crime"].iter().enumerate() {
            inc.report.push(i as u32);
            inc.status.push(status.to_string());
            inc.decided_at.push(Some(ts("2026-03-07T12:00")));
            inc.decided_by.push(Some("cst:0001".into()));
            inc.thrive.push(Some(Thrive {
                threat: Level::Low,
                harm: Level::Medium,
                risk: Level::Low,
                investigation: true,
                vulnerability: false,
                engagement: true,
            }));
            inc.grade.push(Some("priority".into()));
            inc.team.push(Some("Local investigation team".into()));
            inc.allocation_reason.push(Some("reason".into()));
        }
        let c = &mut b.crimes;
        c.incident.push(0);
        c.offence_code.push("8N".into());
        c.recorded_at.push(ts("2026-03-07T12:00"));
        c.recorded_by.push("cst:0001".into());
        c.flags.push(vec!["hospital-site".into()]);
        c.team.push(Some("Local investigation team".into()));
        c.officer.push(Some("pc:be0001".into()));
        c.outcome.push(Some("1".into()));
        c.outcome_at.push(Some(ts("2026-03-20T09:00")));
        c.victim.push(0);
        c.enhanced.push(false);
        c.enhanced_reasons.push(vec![]);
        c.bereaved_relative.push(false);
        b.suspects.crime.push(0);
        b.suspects.person.push(1);
        let k = &mut b.contacts;
        let contacts = [
            ("2026-03-07T12:05", entitlement_mask(&["2-recording", "3-acknowledgement"]).unwrap()),
            ("2026-03-09T09:00", entitlement_mask(&["4-referral"]).unwrap()),
            ("2026-03-20T10:00", 0),
        ];
        for (t, mask) in contacts {
            k.crime.push(0);
            k.person.push(0);
            k.at.push(ts(t));
            k.method.push("phone".into());
            k.by_whom.push("pc:be0001".into());
            k.notes.push(String::new());
            k.meets.push(mask);
        }
        let e = &mut b.evidence;
        e.crime.push(0);
        e.kind.push("cctv".into());
        e.description.push("Ward CCTV".into());
        e.deadline.push(Date::parse("2026-04-04").ok());
        e.secured_at.push(Some(ts("2026-03-08T09:00")));
        e.added_by.push("pc:be0001".into());
        b.events.crime.push(0);
        b.events.event.push(Event::Charge);
        b.events.at.push(ts("2026-03-20T09:00"));
        b.events.told.push(Some(2));
        b
    }

    #[test]
    fn a_batch_reads_back_through_the_casework_api() {
        let mut s = SqliteStore::in_memory().unwrap();
        assert_eq!(s.casework_rows().unwrap(), 0);
        let out = s.load_casework_bulk(&batch()).unwrap();
        assert_eq!((out.people, out.reports, out.incidents, out.crimes, out.suspects), (3, 2, 2, 1, 1));
        assert_eq!(out.sites_added, 1);
        // 12 entitlements at report for a private victim, and the charge's right-6 update.
        assert_eq!(out.obligations, 13);
        assert_eq!(out.obligations_met, 4);
        let id = out.first_crime_id.unwrap();
        let file = s.crime(id).unwrap();
        assert_eq!(file.crime.reference, "CRM-2026-000001");
        assert_eq!(file.crime.outcome.as_deref(), Some("1"));
        assert_eq!(file.crime.flags, ["hospital-site"]);
        assert_eq!(file.people.len(), 2);
        assert_eq!(file.people[0].role, "victim");
        assert_eq!(file.people[0].person.details.name, "Ava Example");
        assert_eq!(file.people[1].role, "suspect");
        assert_eq!(file.contacts.len(), 3);
        assert_eq!(file.evidence[0].details.deadline.as_deref(), Some("2026-04-04"));
        // Due dates as peel-casework writes them: recording 24 hours after the report (a
        // time), referral 2 working days after Fri 6 Mar 2026 (a date).
        let due = |k: &str| file.obligations.iter().find(|o| o.entitlement == k).unwrap().clone();
        assert_eq!(due("2-recording").due.as_deref(), Some("2026-03-07T10:30"));
        assert_eq!(due("4-referral").due.as_deref(), Some("2026-03-10"));
        assert_eq!(due("4-referral").met_at.as_deref(), Some("2026-03-09T09:00"));
        assert_eq!(due("4-referral").met_by, Some(file.contacts[1].id));
        assert_eq!(file.contacts[1].details.meets, [due("4-referral").id]);
        assert_eq!(due("9-outcome").due, None);
        let update = due("6-investigation-updates");
        assert_eq!(update.due.as_deref(), Some("2026-03-27"));
        assert!(update.description.contains("suspect charged on 2026-03-20"));
        assert_eq!(update.met_by, Some(file.contacts[2].id));
        // The incident: opened at the report, decision due 24 hours later, THRIVE readable.
        let inc = s.incident(file.crime.incident).unwrap();
        assert_eq!((inc.opened_at.as_str(), inc.decision_due.as_str()), ("2026-03-06T10:30", "2026-03-07T10:30"));
        assert_eq!(inc.thrive.unwrap().harm, Level::Medium);
        assert_eq!(s.report(inc.report).unwrap().reference, "RPT-2026-000001");
        assert_eq!(s.reports_for_site(s.sites().unwrap()[0].id).unwrap().len(), 1);
        // Unmet obligations with a due date are on the worklist.
        assert!(s.obligations_due("2026-03-31", None).unwrap().is_empty(), "every dated obligation was met");
        // One audit row for the batch.
        let trail = s.audit_trail("demo-load", id).unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].actor, "demo");
        assert_eq!(trail[0].action, "bulk-load");
        assert_eq!(trail[0].after.as_ref().unwrap()["ids"]["crime"], serde_json::json!([id, id]));
    }

    #[test]
    fn a_second_batch_continues_ids_and_references_and_reuses_sites() {
        let mut s = SqliteStore::in_memory().unwrap();
        let first = s.load_casework_bulk(&batch()).unwrap();
        let second = s.load_casework_bulk(&batch()).unwrap();
        assert_eq!(second.sites_added, 0);
        assert_eq!(second.first_crime_id, Some(first.first_crime_id.unwrap() + 1));
        assert_eq!(s.crime(second.first_crime_id.unwrap()).unwrap().crime.reference, "CRM-2026-000002");
        assert_eq!(s.sites().unwrap().len(), 1);
        // Casework written afterwards carries on the series.
        let (next,): (i64,) = s
            .conn
            .query_row("SELECT last FROM reference_counter WHERE prefix = 'RPT' AND year = 2026", [], |r| {
                Ok((r.get(0)?,))
            })
            .unwrap();
        assert_eq!(next, 4);
        let sync: i64 = s.conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        assert_ne!(sync, 0, "synchronous is set back after the load");
        let keys: i64 = s.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(keys, 1, "foreign keys are checked again after the load");
        assert_eq!(s.foreign_key_violations().unwrap(), 0);
    }

    #[test]
    fn a_second_connection_checkpoints_while_automatic_checkpoints_are_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bulk.db");
        let mut s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.wal_autocheckpoint(0).unwrap(), 1000);
        let out = s.load_casework_bulk(&batch()).unwrap();
        let other = SqliteStore::open(&path).unwrap();
        other.checkpoint().unwrap();
        assert_eq!(other.crime(out.first_crime_id.unwrap()).unwrap().people.len(), 2);
        assert_eq!(s.wal_autocheckpoint(1000).unwrap(), 0);
    }

    #[test]
    fn a_contact_cannot_meet_what_the_victim_is_not_owed() {
        let mut s = SqliteStore::in_memory().unwrap();
        let mut b = batch();
        b.contacts.meets[0] = entitlement_mask(&["7-business-impact-statement"]).unwrap();
        let e = s.load_casework_bulk(&b).unwrap_err();
        assert!(e.to_string().contains("not owed"), "{e}");
        assert_eq!(s.casework_rows().unwrap(), 0, "nothing of a refused batch is written");
        // A business victim is owed the Business Impact Statement.
        b.crimes.victim[0] = 2;
        b.contacts.person = vec![2, 2, 2];
        let out = s.load_casework_bulk(&b).unwrap();
        assert_eq!(out.obligations, 14);
    }

    #[test]
    fn malformed_batches_are_refused() {
        let mut s = SqliteStore::in_memory().unwrap();
        let mut b = batch();
        b.crimes.victim[0] = 9;
        assert!(s.load_casework_bulk(&b).unwrap_err().to_string().contains("victim (person) 9"));
        let mut b = batch();
        b.people.sex.pop();
        assert!(s.load_casework_bulk(&b).unwrap_err().to_string().contains("people.sex has 2 rows, not 3"));
        let mut b = batch();
        b.contacts.crime.swap(0, 1);
        b.crimes.incident.push(1);
        for v in [&mut b.crimes.offence_code, &mut b.crimes.recorded_by] {
            v.push("x".into());
        }
        assert!(s.load_casework_bulk(&b).is_err());
    }

    #[test]
    fn text_of_dates_and_times() {
        let mut buf = [0u8; 16];
        assert_eq!(time_text(ts("2026-12-24T09:05"), &mut buf), "2026-12-24T09:05");
        assert_eq!(date_text(Date::parse("2021-01-31").unwrap(), &mut buf), "2021-01-31");
        assert_eq!(entitlement_mask(&["1-understand"]), Some(1));
        assert_eq!(entitlement_mask(&["nope"]), None);
    }
}
