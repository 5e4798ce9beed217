//! Bulk loading of casework: a whole batch of reports, incidents, crimes, people, contacts,
//! evidence and investigation events (e.g. a month of a synthetic force from `peel demo`)
//! written in one transaction, on either store, through the same connection layer as every
//! other write ([`crate::sql`]), with an audit entry for every record it creates.
//!
//! A batch is column-like: one struct of vectors per table, rows referring to each other by
//! their index in the batch (a crime names its incident by index, an incident its report).
//! The database gives every row its id (multi-row `INSERT … RETURNING id`), and references
//! ("CRM-2026-000042") come from the same counters the casework writes use, held locked for
//! the load, so casework written later (or meanwhile, on PostgreSQL, which waits) carries on
//! the series.
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
//! Audit: every record the load creates (site, person, report, incident, crime, obligation,
//! contact, evidence) has its own entry — entity and id of the record, action "bulk-load",
//! actor `batch.actor`, time `batch.at` — so `audit_trail` answers for a loaded record as for
//! one written through the service; and one entry for the batch (entity `batch.source`, e.g.
//! "demo-load", id the first crime's) whose `after` names the label, the counts and the id
//! ranges of every table. A bulk entry carries no `after` copy of the record: the record is
//! the load's, whole, and the batch entry says what the load was.
//!
//! Speed: multi-row INSERT statements (64 rows each on SQLite, which prepares each shape once;
//! up to 1,000 on PostgreSQL, where each statement is a round trip), values borrowed from the
//! batch or held inline rather than allocated row by row. The store adds what it can do for a
//! load that can simply be run again: SQLite turns off `synchronous` and foreign-key checks for
//! the transaction ([`crate::SqliteStore::load_casework_bulk`]: the batch's references are
//! checked by [`CaseworkBulk::validate`] instead), PostgreSQL `synchronous_commit`.

use crate::casework::{NewSite, Place};
use crate::sql::{args, Conn, Dialect, Kind, Param, Tx};
use crate::{Result, StoreError};
use peel_domain::date::{Date, Timestamp};
use peel_domain::name_search::index_words;
use peel_domain::recording::recording_decision_due;
use peel_domain::thrive::Thrive;
use peel_domain::victims_code::{self, Due, Event, VictimKind, ENTITLEMENTS};
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
    /// Where it happened, as `peel_casework::locate` would place it (the demo places its
    /// crimes at real postcodes itself: one look-up per report through the store would
    /// take longer than generating the force).
    pub place: Vec<Place>,
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
    pub method: Vec<peel_domain::ContactMethod>,
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
                ("place", r.place.len()),
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

/// Reference numbers of the batch. Each series' counter row is read (and, on PostgreSQL,
/// locked) the first time the batch needs it, and written back at the end.
struct References {
    last: HashMap<(&'static str, i32), i64>,
}

impl References {
    /// The next reference, e.g. "CRM-2026-000042", as the casework writes it (inline: no
    /// allocation for each of a million rows).
    fn next(&mut self, tx: &mut Tx, prefix: &'static str, year: i32) -> Result<Cell<'static>> {
        let last = match self.last.get_mut(&(prefix, year)) {
            Some(n) => n,
            None => {
                // The same upsert as a casework write's, adding nothing: it makes the row
                // if the series is new and holds it until the load commits.
                let n: i64 = tx
                    .query_one(
                        "INSERT INTO reference_counter (prefix, year, last) VALUES ($1, $2, 0)
                         ON CONFLICT (prefix, year) DO UPDATE SET last = reference_counter.last RETURNING last",
                        args![prefix, year],
                    )?
                    .get(0)?;
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

    fn save(&self, tx: &mut Tx) -> Result<()> {
        for ((prefix, year), last) in &self.last {
            tx.execute(
                "UPDATE reference_counter SET last = $3 WHERE prefix = $1 AND year = $2",
                args![prefix, year, last],
            )?;
        }
        Ok(())
    }
}

/// The site a report names: an existing one of the same name and organisation, or added.
fn site_id(tx: &mut Tx, site: &NewSite) -> Result<(i64, bool)> {
    let found = tx.query_opt(
        "SELECT s.id FROM site s JOIN organisation o ON o.id = s.organisation WHERE s.name = $1 AND o.name = $2
         ORDER BY s.id LIMIT 1",
        args![site.name, site.organisation],
    )?;
    if let Some(row) = found {
        return Ok((row.get(0)?, false));
    }
    // The same statements as a site added through the casework service.
    let (_, id) = super::sites::insert(tx, site)?;
    Ok((id, true))
}

/// One value of a row to insert, borrowed from the batch where it can be, inline when short
/// (times, dates, references), so that writing a row allocates as little as possible.
#[derive(Debug, Clone)]
enum Cell<'b> {
    Null(Kind),
    Int(i64),
    Real(f64),
    Bool(bool),
    Str(&'b str),
    Own(String),
    Short([u8; 24], u8),
}

impl Cell<'_> {
    fn param(&self) -> Param<'_> {
        match self {
            Cell::Null(k) => Param::Null(*k),
            Cell::Int(i) => Param::Int(*i),
            Cell::Real(x) => Param::Real(*x),
            Cell::Bool(b) => Param::Bool(*b),
            Cell::Str(s) => Param::Text(s),
            Cell::Own(s) => Param::Text(s),
            Cell::Short(b, n) => Param::Text(std::str::from_utf8(&b[..*n as usize]).expect("copied from a str")),
        }
    }
}

fn text(s: &str) -> Cell<'_> {
    Cell::Str(s)
}

fn opt_text(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Null(Kind::Text), Cell::Str)
}

/// A short text copied inline (a time, a date); longer ones are allocated.
fn short(s: &str) -> Cell<'static> {
    if s.len() <= 24 {
        let mut b = [0u8; 24];
        b[..s.len()].copy_from_slice(s.as_bytes());
        Cell::Short(b, s.len() as u8)
    } else {
        Cell::Own(s.to_string())
    }
}

fn opt_short(s: Option<&str>) -> Cell<'static> {
    s.map_or(Cell::Null(Kind::Text), short)
}

fn int(i: i64) -> Cell<'static> {
    Cell::Int(i)
}

fn opt_real(x: Option<f64>) -> Cell<'static> {
    x.map_or(Cell::Null(Kind::Real), Cell::Real)
}

fn opt_int(i: Option<i64>) -> Cell<'static> {
    i.map_or(Cell::Null(Kind::Int), Cell::Int)
}

fn json_cell(v: &[String]) -> Cell<'static> {
    if v.is_empty() {
        Cell::Str("[]")
    } else {
        Cell::Own(json_list(v))
    }
}

/// A due date as the casework writes it: a time, a date, or NULL.
fn due_cell(due: Due, buf: &mut [u8; 16]) -> Cell<'static> {
    match due {
        Due::At(t) => short(time_text(t, buf)),
        Due::By(d) => short(date_text(d, buf)),
        Due::NoDeadline => Cell::Null(Kind::Text),
    }
}

/// Rows of one table written through multi-row INSERT statements, which return the ids the
/// database gives (in the order of the rows: ids rise within a statement).
struct Inserter<'b> {
    dialect: Dialect,
    /// "t (a, b, c)": the table and its columns.
    head: &'static str,
    columns: usize,
    per_statement: usize,
    returning: bool,
    full: Option<String>,
    buf: Vec<Cell<'b>>,
    ids: Vec<i64>,
}

impl<'b> Inserter<'b> {
    fn new(dialect: Dialect, head: &'static str, columns: usize, returning: bool) -> Inserter<'b> {
        // SQLite prepares each shape once and runs it in process: 64 rows a statement was its
        // best. PostgreSQL pays a round trip a statement: as many rows as 60,000 parameters
        // allow, up to 1,000.
        let per_statement = match dialect {
            Dialect::Sqlite => 64,
            Dialect::Postgres => (60_000 / columns).min(1_000),
        };
        Inserter {
            dialect,
            head,
            columns,
            per_statement,
            returning,
            full: None,
            buf: Vec::with_capacity(columns * per_statement),
            ids: Vec::new(),
        }
    }

    fn sql(&self, rows: usize) -> String {
        let mut sql = String::with_capacity(self.head.len() + rows * self.columns * 6);
        // OR FAIL on SQLite: a failing row fails the whole load anyway (the transaction is
        // rolled back), so SQLite need not keep a statement journal to undo a statement's
        // earlier rows, as it would for the default OR ABORT.
        sql.push_str(match self.dialect {
            Dialect::Sqlite => "INSERT OR FAIL INTO ",
            Dialect::Postgres => "INSERT INTO ",
        });
        sql.push_str(self.head);
        sql.push_str(" VALUES ");
        sql.push_str(&crate::sql::values(self.dialect, rows, self.columns));
        if self.returning {
            sql.push_str(" RETURNING id");
        }
        sql
    }

    fn push<const N: usize>(&mut self, tx: &mut Tx, row: [Cell<'b>; N]) -> Result<()> {
        debug_assert_eq!(N, self.columns);
        self.buf.extend(row);
        if self.buf.len() == self.columns * self.per_statement {
            self.flush(tx)?;
        }
        Ok(())
    }

    fn flush(&mut self, tx: &mut Tx) -> Result<()> {
        let rows = self.buf.len() / self.columns;
        if rows == 0 {
            return Ok(());
        }
        let partial;
        let sql = if rows == self.per_statement {
            if self.full.is_none() {
                self.full = Some(self.sql(rows));
            }
            self.full.as_deref().expect("made above")
        } else {
            partial = self.sql(rows);
            &partial
        };
        let params: Vec<Param> = self.buf.iter().map(Cell::param).collect();
        if self.returning {
            let mut ids = tx.query(sql, &params)?.iter().map(|r| r.get::<i64>(0)).collect::<Result<Vec<_>>>()?;
            if ids.len() != rows {
                return Err(invalid(format!("{} ids returned for {rows} rows: {}", ids.len(), self.head)));
            }
            ids.sort_unstable();
            self.ids.extend(ids);
        } else {
            tx.execute(sql, &params)?;
        }
        self.buf.clear();
        Ok(())
    }

    /// Writes what is left; the ids given, in row order.
    fn finish(mut self, tx: &mut Tx) -> Result<Vec<i64>> {
        self.flush(tx)?;
        Ok(self.ids)
    }
}

/// The audit entries of a load: one per record created, linked into the chain with the
/// load's own entry when it ends ([`Tx::flush_audit`]).
struct AuditRows<'b> {
    at: Timestamp,
    actor: &'b str,
}

impl AuditRows<'_> {
    fn created(&mut self, tx: &mut Tx, entity: &'static str, ids: &[i64]) -> Result<()> {
        tx.audit_created(self.at, self.actor, entity, "bulk-load", ids);
        Ok(())
    }
}

/// Bulk loading, as every store does it.
pub trait BulkLoad {
    /// Writes a batch of casework in one transaction (see the module documentation): all of
    /// it or, on any error, none of it.
    fn load_casework_bulk(&mut self, batch: &CaseworkBulk) -> Result<BulkReport>;
}

/// Writes a batch of casework inside the store's write transaction `tx` (see the module
/// documentation): all of it or, on any error, none of it.
pub(crate) fn load(tx: &mut Tx, batch: &CaseworkBulk) -> Result<BulkReport> {
    batch.validate()?;
    let d = tx.dialect();
    let mut out = BulkReport::default();
    let mut b1 = [0u8; 16];
    let mut b2 = [0u8; 16];
    let mut b3 = [0u8; 16];
    let at = batch.at.unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Timestamp::from_unix_london(now as i64)
    });
    let mut audit = AuditRows { at, actor: &batch.actor };

    let mut site_ids = Vec::with_capacity(batch.sites.len());
    for s in &batch.sites {
        let (id, added) = site_id(tx, s)?;
        site_ids.push(id);
        out.sites_added += added as u64;
        if added {
            audit.created(tx, "site", &[id])?;
        }
    }
    let mut refs = References { last: HashMap::new() };

    // People.
    let p = &batch.people;
    let mut rows =
        Inserter::new(d, "person (name, date_of_birth, sex, ethnicity, vulnerabilities, is_business)", 6, true);
    for i in 0..p.name.len() {
        rows.push(
            tx,
            [
                text(&p.name[i]),
                opt_short(p.date_of_birth[i].map(|d| date_text(d, &mut b1))),
                opt_text(p.sex[i].as_deref()),
                opt_text(p.ethnicity[i].as_deref()),
                json_cell(&p.vulnerabilities[i]),
                Cell::Bool(p.is_business[i]),
            ],
        )?;
    }
    let person_ids = rows.finish(tx)?;
    out.people = person_ids.len() as u64;
    audit.created(tx, "person", &person_ids)?;
    // Each person into the name search index (migration 0019), as people::insert does.
    let mut words = Inserter::new(d, super::search::bulk_columns(d), 2, false);
    for (i, id) in person_ids.iter().enumerate() {
        let dob = p.date_of_birth[i].map(|d| d.to_string());
        words.push(tx, [Cell::Int(*id), Cell::Own(index_words(&p.name[i], dob.as_deref()))])?;
    }
    words.finish(tx)?;

    // Reports.
    let r = &batch.reports;
    let mut rows = Inserter::new(
        d,
        "report (reference, channel, kind, reported_at, reporter, site, location, account, created_by, postcode,
                 latitude, longitude, easting, northing, lsoa_code, msoa_code, ward_code, la_code,
                 neighbourhood_unit, impact_area)",
        20,
        true,
    );
    for i in 0..r.channel.len() {
        let at = r.reported_at[i];
        let reference = refs.next(tx, "RPT", at.date().year())?;
        rows.push(
            tx,
            [
                reference,
                text(&r.channel[i]),
                text(&r.kind[i]),
                short(time_text(at, &mut b1)),
                opt_int(r.reporter[i].map(|p| person_ids[p as usize])),
                opt_int(r.site[i].map(|s| site_ids[s as usize])),
                opt_text(r.location[i].as_deref()),
                text(&r.account[i]),
                text(&r.created_by[i]),
                opt_text(r.place[i].postcode.as_deref()),
                opt_real(r.place[i].latitude),
                opt_real(r.place[i].longitude),
                opt_real(r.place[i].easting),
                opt_real(r.place[i].northing),
                opt_text(r.place[i].lsoa_code.as_deref()),
                opt_text(r.place[i].msoa_code.as_deref()),
                opt_text(r.place[i].ward_code.as_deref()),
                opt_text(r.place[i].la_code.as_deref()),
                opt_text(r.place[i].neighbourhood_unit.as_deref()),
                opt_text(r.place[i].impact_area.as_deref()),
            ],
        )?;
    }
    let report_ids = rows.finish(tx)?;
    out.reports = report_ids.len() as u64;
    audit.created(tx, "report", &report_ids)?;

    // Incidents.
    let inc = &batch.incidents;
    let mut thrive_json: HashMap<u32, String> = HashMap::new();
    let mut rows = Inserter::new(
        d,
        "incident (reference, report, opened_at, decision_due, status, decided_at, decided_by,
                               thrive, grade, team, allocation_reason)",
        11,
        true,
    );
    for i in 0..inc.report.len() {
        let opened = batch.reports.reported_at[inc.report[i] as usize];
        let thrive = inc.thrive[i].map(|t| {
            thrive_json
                .entry(thrive_key(&t))
                .or_insert_with(|| serde_json::to_string(&t).expect("THRIVE serialises"))
                .clone()
        });
        let reference = refs.next(tx, "INC", opened.date().year())?;
        rows.push(
            tx,
            [
                reference,
                int(report_ids[inc.report[i] as usize]),
                short(time_text(opened, &mut b1)),
                short(time_text(recording_decision_due(opened), &mut b1)),
                text(&inc.status[i]),
                opt_short(inc.decided_at[i].map(|t| time_text(t, &mut b2))),
                opt_text(inc.decided_by[i].as_deref()),
                thrive.map_or(Cell::Null(Kind::Text), Cell::Own),
                opt_text(inc.grade[i].as_deref()),
                opt_text(inc.team[i].as_deref()),
                opt_text(inc.allocation_reason[i].as_deref()),
            ],
        )?;
    }
    let incident_ids = rows.finish(tx)?;
    out.incidents = incident_ids.len() as u64;
    audit.created(tx, "incident", &incident_ids)?;

    // Crimes.
    let c = &batch.crimes;
    let mut rows = Inserter::new(
        d,
        "crime (reference, incident, offence_code, status, recorded_at, recorded_by, flags, team,
                            officer, outcome, outcome_at)",
        11,
        true,
    );
    for i in 0..c.incident.len() {
        let recorded = c.recorded_at[i];
        let reference = refs.next(tx, "CRM", recorded.date().year())?;
        rows.push(
            tx,
            [
                reference,
                int(incident_ids[c.incident[i] as usize]),
                text(&c.offence_code[i]),
                text("recorded"),
                short(time_text(recorded, &mut b1)),
                text(&c.recorded_by[i]),
                json_cell(&c.flags[i]),
                opt_text(c.team[i].as_deref()),
                opt_text(c.officer[i].as_deref()),
                opt_text(c.outcome[i].as_deref()),
                opt_short(c.outcome_at[i].map(|t| time_text(t, &mut b2))),
            ],
        )?;
    }
    let crime_ids = rows.finish(tx)?;
    out.crimes = crime_ids.len() as u64;
    out.first_crime_id = crime_ids.first().copied();
    out.last_crime_id = crime_ids.last().copied();
    audit.created(tx, "crime", &crime_ids)?;

    // Victims and suspects.
    let mut rows = Inserter::new(d, "crime_person (crime, person, role, enhanced, enhanced_reasons)", 5, false);
    for i in 0..c.incident.len() {
        rows.push(
            tx,
            [
                int(crime_ids[i]),
                int(person_ids[c.victim[i] as usize]),
                text("victim"),
                Cell::Bool(c.enhanced[i]),
                json_cell(&c.enhanced_reasons[i]),
            ],
        )?;
    }
    let s = &batch.suspects;
    for (&ci, &pi) in s.crime.iter().zip(&s.person) {
        rows.push(
            tx,
            [int(crime_ids[ci as usize]), int(person_ids[pi as usize]), text("suspect"), Cell::Bool(false), text("[]")],
        )?;
    }
    rows.finish(tx)?;
    out.suspects = s.crime.len() as u64;

    // Contacts, before the obligations they meet.
    let k = &batch.contacts;
    let mut rows = Inserter::new(d, "contact (crime, person, at, method, by_whom, notes)", 6, true);
    for j in 0..k.crime.len() {
        rows.push(
            tx,
            [
                int(crime_ids[k.crime[j] as usize]),
                int(person_ids[k.person[j] as usize]),
                short(time_text(k.at[j], &mut b1)),
                text(k.method[j].word()),
                text(&k.by_whom[j]),
                text(&k.notes[j]),
            ],
        )?;
    }
    let contact_ids = rows.finish(tx)?;
    out.contacts = contact_ids.len() as u64;
    audit.created(tx, "contact", &contact_ids)?;

    // Each victim's obligations at report, met by the crime's contacts where they say so.
    let mut rows = Inserter::new(
        d,
        "obligation (crime, person, entitlement, right_no, description, due, met_at, met_by, created_at)",
        9,
        true,
    );
    let mut next_contact = 0usize;
    for (i, &crime_id) in crime_ids.iter().enumerate() {
        let victim = c.victim[i] as usize;
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
            rows.push(
                tx,
                [
                    int(crime_id),
                    int(person_ids[victim]),
                    text(o.key),
                    int(o.right as i64),
                    Cell::Own(o.description),
                    due_cell(o.due, &mut b3),
                    opt_short(met.map(|j| time_text(k.at[j], &mut b2))),
                    opt_int(met.map(|j| contact_ids[j])),
                    short(&recorded_text),
                ],
            )?;
            out.obligations_met += met.is_some() as u64;
        }
        if let Some(j) = (first_contact..end_contact).find(|&j| k.meets[j] & !owed != 0) {
            return Err(invalid(format!(
                "contact {j} meets an entitlement crime {i}'s victim is not owed (mask {:#x}, owed {owed:#x})",
                k.meets[j]
            )));
        }
    }
    // Right-6 events: an obligation to each crime's victim, met by the contact that told them.
    let ev = &batch.events;
    for j in 0..ev.crime.len() {
        let ci = ev.crime[j] as usize;
        let o = victims_code::obligation_for_event(ev.event[j], ev.at[j].date(), c.enhanced[ci]);
        let told = ev.told[j].map(|t| t as usize);
        rows.push(
            tx,
            [
                int(crime_ids[ci]),
                int(person_ids[c.victim[ci] as usize]),
                text(o.key),
                int(o.right as i64),
                Cell::Own(o.description),
                due_cell(o.due, &mut b3),
                opt_short(told.map(|t| time_text(k.at[t], &mut b2))),
                opt_int(told.map(|t| contact_ids[t])),
                short(time_text(ev.at[j], &mut b1)),
            ],
        )?;
        out.obligations_met += told.is_some() as u64;
    }
    let obligation_ids = rows.finish(tx)?;
    out.obligations = obligation_ids.len() as u64;
    audit.created(tx, "obligation", &obligation_ids)?;

    // Evidence.
    let e = &batch.evidence;
    let mut rows = Inserter::new(d, "evidence (crime, kind, description, deadline, secured_at, added_by)", 6, true);
    for j in 0..e.crime.len() {
        rows.push(
            tx,
            [
                int(crime_ids[e.crime[j] as usize]),
                text(&e.kind[j]),
                text(&e.description[j]),
                opt_short(e.deadline[j].map(|d| date_text(d, &mut b1))),
                opt_short(e.secured_at[j].map(|t| time_text(t, &mut b2))),
                text(&e.added_by[j]),
            ],
        )?;
    }
    let evidence_ids = rows.finish(tx)?;
    out.evidence = evidence_ids.len() as u64;
    audit.created(tx, "evidence", &evidence_ids)?;

    refs.save(tx)?;

    // One entry for the whole batch.
    let range = |ids: &[i64]| match (ids.first(), ids.last()) {
        (Some(a), Some(b)) => serde_json::json!([a, b]),
        _ => serde_json::Value::Null,
    };
    let after = serde_json::json!({
        "label": batch.label,
        "ids": {
            "person": range(&person_ids),
            "report": range(&report_ids),
            "incident": range(&incident_ids),
            "crime": range(&crime_ids),
            "obligation": range(&obligation_ids),
            "contact": range(&contact_ids),
            "evidence": range(&evidence_ids),
        },
        "sites_added": out.sites_added,
        "suspects": out.suspects,
        "obligations_met": out.obligations_met,
    });
    tx.audit(
        at,
        &batch.actor,
        &batch.source,
        out.first_crime_id.unwrap_or(0),
        "bulk-load",
        None,
        Some(after.to_string()),
    );
    out.audit_id = tx.flush_audit()?.ok_or_else(|| invalid("the load's audit entry was not written".to_string()))?;
    Ok(out)
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
    use crate::SqliteStore;
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
            place: crate::casework::Place {
                latitude: Some(52.48),
                longitude: Some(-1.81),
                neighbourhood_unit: Some("BE".into()),
                ..Default::default()
            },
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
            r.place.push(Place { postcode: Some("B1 1AY".into()), easting: Some(406_523.0), ..Place::default() });
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
            k.method.push(peel_domain::ContactMethod::Phone);
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
        assert_eq!(file.evidence[0].details.deadline.map(|x| x.to_string()).as_deref(), Some("2026-04-04"));
        // Due dates as peel-casework writes them: recording 24 hours after the report (a
        // time), referral 2 working days after Fri 6 Mar 2026 (a date).
        let due = |k: &str| file.obligations.iter().find(|o| o.entitlement == k).unwrap().clone();
        assert_eq!(due("2-recording").due.map(|x| x.to_string()).as_deref(), Some("2026-03-07T10:30"));
        assert_eq!(due("4-referral").due.map(|x| x.to_string()).as_deref(), Some("2026-03-10"));
        assert_eq!(due("4-referral").met_at.map(|x| x.to_string()).as_deref(), Some("2026-03-09T09:00"));
        assert_eq!(due("4-referral").met_by, Some(file.contacts[1].id));
        assert_eq!(file.contacts[1].details.meets, [due("4-referral").id]);
        assert_eq!(due("9-outcome").due, None);
        let update = due("6-investigation-updates");
        assert_eq!(update.due.map(|x| x.to_string()).as_deref(), Some("2026-03-27"));
        assert!(update.description.contains("suspect charged on 2026-03-20"));
        assert_eq!(update.met_by, Some(file.contacts[2].id));
        // The incident: opened at the report, decision due 24 hours later, THRIVE readable.
        let inc = s.incident(file.crime.incident).unwrap();
        assert_eq!(
            (inc.opened_at.to_string().as_str(), inc.decision_due.to_string().as_str()),
            ("2026-03-06T10:30", "2026-03-07T10:30")
        );
        assert_eq!(inc.thrive.unwrap().harm, Level::Medium);
        assert_eq!(s.report(inc.report).unwrap().reference, "RPT-2026-000001");
        assert_eq!(s.reports_for_site(s.sites().unwrap()[0].id).unwrap().len(), 1);
        // Unmet obligations with a due date are on the worklist.
        assert!(
            s.obligations_due(
                peel_domain::date::Date::parse("2026-03-31").unwrap(),
                &crate::casework::Scope::default()
            )
            .unwrap()
            .is_empty(),
            "every dated obligation was met"
        );
        // One audit entry for the batch, and one for every record it created.
        let trail = s.audit_trail("demo-load", id).unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].actor, "demo");
        assert_eq!(trail[0].action, "bulk-load");
        assert_eq!(trail[0].after.as_ref().unwrap()["ids"]["crime"], serde_json::json!([id, id]));
        for (entity, id) in [("crime", id), ("incident", file.crime.incident), ("person", file.people[1].person.id)]
            .into_iter()
            .chain(file.obligations.iter().map(|o| ("obligation", o.id)))
            .chain(file.contacts.iter().map(|c| ("contact", c.id)))
            .chain(file.evidence.iter().map(|e| ("evidence", e.id)))
        {
            let trail = s.audit_trail(entity, id).unwrap();
            assert_eq!(trail.len(), 1, "{entity} {id}");
            assert_eq!(
                (trail[0].action.as_str(), trail[0].actor.as_str(), trail[0].at.to_string().as_str()),
                ("bulk-load", "demo", "2026-04-01T00:00")
            );
        }
        let counts = s.casework_counts().unwrap();
        // 1 site, 3 people, 2 reports, 2 incidents, 1 crime, 13 obligations, 3 contacts, 1
        // evidence item, and the batch's own entry.
        assert_eq!(counts.audit_entries, 1 + 3 + 2 + 2 + 1 + 13 + 3 + 1 + 1);
    }

    /// The same batch on PostgreSQL (the database at `PEEL_TEST_DATABASE_URL`, in a schema of
    /// its own) reads back exactly as on SQLite: the same statements wrote it.
    #[test]
    fn postgres_stores_the_same_batch_alike() {
        let url = std::env::var("PEEL_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let schema = format!("peel_bulk_test_{}", std::process::id());
        let mut pg = crate::PostgresStore::open_in_schema(&url, &schema)
            .unwrap_or_else(|e| panic!("PostgreSQL at {url} (run tools/provision): {e}"));
        let mut lite = SqliteStore::in_memory().unwrap();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let a = lite.load_casework_bulk(&batch()).unwrap();
            let b = pg.load_casework_bulk(&batch()).unwrap();
            assert_eq!((a.crimes, a.obligations, a.obligations_met), (b.crimes, b.obligations, b.obligations_met));
            let id = b.first_crime_id.unwrap();
            assert_eq!(lite.crime(id).unwrap(), pg.crime(id).unwrap());
            assert_eq!(lite.casework_counts().unwrap(), pg.casework_counts().unwrap());
            let trail = pg.audit_trail("crime", id).unwrap();
            assert_eq!(trail.len(), 1);
            assert_eq!(trail[0].action, "bulk-load");
            // A second batch carries on the series, on PostgreSQL too.
            let c = pg.load_casework_bulk(&batch()).unwrap();
            assert_eq!(pg.crime(c.first_crime_id.unwrap()).unwrap().crime.reference, "CRM-2026-000002");
            // A refused batch leaves nothing behind.
            let before = pg.casework_counts().unwrap();
            let mut bad = batch();
            bad.contacts.meets[0] = entitlement_mask(&["7-business-impact-statement"]).unwrap();
            assert!(pg.load_casework_bulk(&bad).is_err());
            assert_eq!(pg.casework_counts().unwrap(), before);
        }));
        drop(pg);
        let _ = crate::PostgresStore::drop_schema(&url, &schema);
        if let Err(e) = result {
            std::panic::resume_unwind(e);
        }
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
