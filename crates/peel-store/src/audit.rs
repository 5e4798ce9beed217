//! The audit trail as the law asks for it, and as evidence that it was not altered.
//!
//! # What is logged (Data Protection Act 2018 Part 3 s.62)
//!
//! Section 62 asks a controller to log, for automated processing, every *collection,
//! alteration, consultation, disclosure, combination and erasure* of personal data, with
//! the justification, date and time of consultations and disclosures and, as far as
//! possible, who consulted or disclosed. The trail (`audit_log`) holds both halves:
//!
//! - **writes** (collection, alteration, erasure): every casework write appends its entries
//!   in its own transaction ([`crate::sql::Tx::audit`]), with the record before and after;
//! - **reads** (consultation, disclosure): every answer that shows a record holding personal
//!   data appends an entry ([`AuditTrail::log_access`]; see "Lists" below): action `read` (one
//!   record: a crime, report, incident or person page, an API read), `list` (the rows of a
//!   worklist or queue page), `export` (the rows of a CSV), `search` (the rows a search
//!   found). Each names the actor (the signed-in username), the time, the record (entity and
//!   id) and the route it went through as its template (`GET /crimes/{id}`), never the query
//!   string, which may itself hold personal data. `peel-web`'s access-log middleware writes
//!   them before the answer leaves, and answers 503 instead if it cannot (fail closed).
//!
//! # Lists: one entry per answer
//!
//! An answer that shows one record makes one entry naming it (entity, entity_id). An answer
//! that shows several — a worklist, a queue, an export, a search — makes **one** entry for
//! all of them (migration 0016): entity the records' kind (`records` when kinds are mixed),
//! entity_id 0, and the records in `after` as JSON, `{"shown":{"person":[12,13],"crime":[7]}}`
//! ([`Shown`]). Why: one entry per row made a worklist of 80 victims 80 chained inserts at
//! 80 places in two indexes, and under load that was most of what the server wrote
//! (BENCHMARKS.md, issue 8). The list is in the chained encoding, so it is as tamper-evident
//! as any entry.
//!
//! "Who looked at this victim?" reads the entries naming the record
//! (`audit_entity (entity, entity_id)`) and the lists showing it: `audit_shown` holds, per
//! record, user and day, the first and last of that user's list entries showing it; the
//! server's indexer ([`AuditTrail::index_shown`]) keeps it a few seconds behind the answers,
//! up to `audit_shown_cursor` (an officer reloading a worklist all day costs the index one
//! row per record that day, moved forward in place). A search reads each such user's entries
//! between the two ids and keeps the lists naming the record, and reads the lists past the
//! cursor directly, so it never misses an answer however far behind the indexer is. "What did this user open?" is
//! `audit_actor (actor, id)`. [`AuditTrail::audit_search`] answers both, one row per record
//! shown (a list entry gives a row for each of its records, or for each that was searched for).
//!
//! # The chain
//!
//! Each entry written since migration 0011 carries `seq` (its place in the chain: 1, 2, 3 …
//! without a gap) and `hash`, where
//!
//! ```text
//! hash(n) = SHA-256( hash(n-1) ‖ encode(entry n) )      hash(0) = 32 zero bytes
//! ```
//!
//! stored as 64 lower-case hex digits (the raw 32 bytes are what is chained). `encode` is
//! the tag `peel-audit/1` (12 bytes) followed by the fields in this order, each encoded by its
//! kind, so that no two different entries encode alike:
//!
//! | # | field | kind |
//! |---|---|---|
//! | 1 | id | integer |
//! | 2 | seq | integer |
//! | 3 | at ("YYYY-MM-DDTHH:MM", as stored) | text |
//! | 4 | actor | text |
//! | 5 | entity | text |
//! | 6 | entity_id | integer |
//! | 7 | action | text |
//! | 8 | route | text or null |
//! | 9 | before (JSON text, as stored) | text or null |
//! | 10 | after (JSON text, as stored) | text or null |
//!
//! - integer: the byte `i` (0x69), then 8 bytes, big-endian two's complement;
//! - text: the byte `t` (0x74), then the length in bytes as 4 bytes big-endian, then the
//!   UTF-8 bytes;
//! - null: the byte `n` (0x6E) alone.
//!
//! The one-row table `audit_head` holds the last link (`seq`, `hash`) and the `genesis`.
//! Appending takes the head first — on SQLite the writer holds the database already
//! (`BEGIN IMMEDIATE`), on PostgreSQL `SELECT … FOR UPDATE` on the head row queues the
//! writers — then gives the entries their ids (SQLite: after the largest; PostgreSQL: from
//! the table's identity sequence, while holding the head), links them in id order, inserts
//! them and moves the head, all in the write's transaction. So the chain cannot fork, and a
//! write undone for a serialization failure and tried again links afresh.
//!
//! **Legacy entries.** A store upgraded from schema 10 already has entries made before the
//! chain. They stay as they were (no `seq`, no `hash`); the migration records the last of
//! them as the `genesis` (a trigger keeps it from moving), and the chain starts after it.
//! [`AuditTrail::verify_audit`] says how many legacy entries precede the chain; any entry
//! after the genesis without a link is a failure.
//!
//! **What verification proves.** [`AuditTrail::verify_audit`] walks every entry after the
//! genesis in id order, streaming, and recomputes each link; it names the first entry that
//! was changed (its link does not match its content), removed (a gap in `seq`, or the chain
//! ends before the head) or inserted (no link, or a `seq` already passed). Someone able to
//! rewrite the whole chain from a point on (and the head) can make it consistent again: so
//! keep the head hash it reports somewhere else (a later verify must reach it, and
//! `--expect` checks that it does).

use crate::Result;
use peel_domain::date::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// What an answer did with the records it showed: the entry's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// One record shown: a crime, report, incident or person page, an API read.
    Read,
    /// A row of a worklist, queue or list page.
    List,
    /// A row of a download (CSV).
    Export,
    /// A row a search found.
    Search,
}

impl Access {
    pub const ALL: [Access; 4] = [Access::Read, Access::List, Access::Export, Access::Search];

    /// The action word in the trail.
    pub fn word(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::List => "list",
            Access::Export => "export",
            Access::Search => "search",
        }
    }
}

/// What to look for in the trail; every filter narrows. Newest entries first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Entries about any of these records (entity, ids): one record, or every person of a
    /// name and the crimes they are on ([`AuditTrail::resolve_record`]).
    pub records: Option<Vec<(String, Vec<i64>)>>,
    /// Entries made by this username.
    pub actor: Option<String>,
    /// From this day (inclusive).
    pub from: Option<Date>,
    /// To this day (inclusive).
    pub to: Option<Date>,
    /// Only entries older than this id (the next page).
    pub before_id: Option<i64>,
    pub limit: usize,
}

/// One entry as an auditor sees it: the record named as people name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub entity: String,
    /// The record's reference (CRM-2026-000123), a person's name, an account's username,
    /// a site's name; for an obligation, contact or evidence, its crime's reference.
    pub record: Option<String>,
    pub route: Option<String>,
}

/// The records a reference or a name stands for in a search: a crime, report or incident;
/// or the people of a name with the crimes they are on (the crime page shows its victims,
/// so "who looked at this victim?" includes who opened their crimes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    pub records: Vec<(&'static str, Vec<i64>)>,
}

impl RecordRef {
    /// As a search's filter.
    pub fn filter(&self) -> Vec<(String, Vec<i64>)> {
        self.records.iter().map(|(e, ids)| (e.to_string(), ids.clone())).collect()
    }
}

/// The records one list entry showed (see "Lists" in the module documentation), by kind in
/// the order first shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shown {
    pub records: Vec<(String, Vec<i64>)>,
}

impl Shown {
    /// The records of an answer, each once.
    pub fn of(records: &[(&str, i64)]) -> Shown {
        let mut shown = Shown::default();
        let mut seen = std::collections::HashSet::with_capacity(records.len());
        for &(entity, id) in records {
            if !seen.insert((entity, id)) {
                continue;
            }
            match shown.records.iter_mut().find(|(e, _)| e == entity) {
                Some((_, ids)) => ids.push(id),
                None => shown.records.push((entity.to_string(), vec![id])),
            }
        }
        shown
    }

    /// The entry's entity: the one kind shown, or `records`.
    pub fn entity(&self) -> &str {
        match self.records.as_slice() {
            [(entity, _)] => entity,
            _ => "records",
        }
    }

    /// `{"shown":{"person":[12,13],"crime":[7]}}`: kinds in the order first shown (kinds
    /// are the store's table names, which need no escaping).
    pub fn to_json(&self) -> String {
        let mut s = String::from("{\"shown\":{");
        for (i, (entity, ids)) in self.records.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&serde_json::to_string(entity).unwrap_or_default());
            s.push_str(":[");
            for (j, id) in ids.iter().enumerate() {
                if j > 0 {
                    s.push(',');
                }
                s.push_str(&id.to_string());
            }
            s.push(']');
        }
        s.push_str("}}");
        s
    }

    /// The list an entry's `after` holds; `None` if it holds none (a write's record copy).
    pub fn parse(after: &str) -> Option<Shown> {
        let v: serde_json::Value = serde_json::from_str(after).ok()?;
        let map = v.as_object()?.get("shown")?.as_object()?;
        let mut shown = Shown::default();
        for (entity, ids) in map {
            let ids = ids.as_array()?.iter().map(|i| i.as_i64()).collect::<Option<Vec<i64>>>()?;
            shown.records.push((entity.clone(), ids));
        }
        Some(shown)
    }

    /// Every (entity, id) shown.
    pub fn each(&self) -> impl Iterator<Item = (&str, i64)> {
        self.records.iter().flat_map(|(e, ids)| ids.iter().map(move |&id| (e.as_str(), id)))
    }
}

/// Why verification failed: the first entry found changed, removed or inserted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Break {
    /// The entry's content no longer matches its link.
    Changed,
    /// One or more entries before this one (or, at the end, after it) are missing.
    Removed,
    /// The entry is not one the chain made.
    Inserted,
}

/// The first break in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainBreak {
    pub kind: Break,
    /// The entry named (the last entry found, for entries removed at the end).
    pub entry: i64,
    pub detail: String,
}

/// What [`AuditTrail::verify_audit`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    /// Entries made before the chain (schema 10 and earlier), not covered by it.
    pub legacy: u64,
    /// The id of the last legacy entry (0 if none).
    pub genesis: i64,
    /// Chained entries walked.
    pub entries: u64,
    /// The last entry's seq and hash: keep the hash elsewhere.
    pub head_seq: i64,
    pub head_hash: String,
    /// Whether `expect` (a head kept from an earlier verify) was found in the chain.
    pub expected_found: Option<bool>,
    pub failure: Option<ChainBreak>,
}

impl ChainReport {
    pub fn ok(&self) -> bool {
        self.failure.is_none() && self.expected_found != Some(false)
    }
}

/// One answer's access entries, for [`AuditTrail::log_accesses`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub at: Timestamp,
    pub actor: String,
    pub access: Access,
    pub route: String,
    pub records: Vec<(&'static str, i64)>,
}

/// The trail's reads and the access log, as every store does them.
pub trait AuditTrail {
    /// Appends the entries of several answers in one transaction, all or none: a server's
    /// group commit (peel-web's access log), which writes what many requests showed for the
    /// cost of one commit.
    fn log_accesses(&mut self, answers: &[AccessEntry]) -> Result<()>;
    /// Indexes the records of the list entries past `audit_shown_cursor`, at most `most`
    /// entries, and moves the cursor past them; how many list entries it indexed (fewer than
    /// `most`: it has caught up). The server runs it every few seconds on a thread of its own
    /// (see "Lists" in the module documentation); nothing depends on its having run.
    fn index_shown(&mut self, most: usize) -> Result<usize>;
    /// Appends the entry for an answer that showed `records` (entity and id; see "Lists"),
    /// in one transaction, chained like every other entry.
    fn log_access(
        &mut self,
        at: Timestamp,
        actor: &str,
        access: Access,
        route: &str,
        records: &[(&str, i64)],
    ) -> Result<()>;
    /// The records a reference or name points to: CRM-…, RPT-…, INC-… (a crime, report,
    /// incident), else the people of that name (exact, case ignored) and their crimes.
    /// `None` if nothing.
    fn resolve_record(&self, reference: &str) -> Result<Option<RecordRef>>;
    /// Entries as `query` selects, newest first.
    fn audit_search(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>>;
    /// Walks the chain (see the module documentation). `expect`: a head hash kept from an
    /// earlier verify, which the chain must still pass through.
    fn verify_audit(&self, expect: Option<&str>) -> Result<ChainReport>;
}
