//! The store's records, one module per resource, each statement written once over the
//! connection layer ([`crate::sql`]) and run by both stores.
//!
//! A resource module holds the resource's column list, its row reader and its statements, as
//! functions over [`Conn`] (reads) or [`Tx`] (writes, which also make the audit entries). The
//! [`Casework`], [`Accounts`] and [`crate::Store`] interfaces are implemented here once, for
//! every store that is an [`Engine`] (and, for `Store`, has its own [`crate::FileWrites`]):
//! `SqliteStore` and `PostgresStore`.

mod accounts;
pub(crate) mod audit;
pub(crate) mod bulk;
mod cancellations;
mod changes;
mod contacts;
mod counts;
pub(crate) mod crime_facts;
mod crimes;
mod evidence;
mod facts;
pub(crate) mod force_areas;
pub(crate) mod idempotency;
mod incidents;
mod nominal;
mod obligations;
mod people;
pub(crate) mod places;
mod reports;
mod reviews;
pub(crate) mod search;
pub(crate) mod sites;
pub(crate) mod street;
pub(crate) mod tasks;

use crate::accounts::*;
use crate::casework::*;
use crate::sql::{args, Conn, Dialect, Engine, Tx};
use crate::{Result, StoreError};
use peel_domain::date::{Date, Timestamp};
use serde_json::Value;

pub(crate) fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("serialisable")
}

/// `fields` ("id, name, …") each prefixed with `alias.`, for a statement that joins.
pub(crate) fn prefixed(alias: &str, fields: &str) -> String {
    fields.split(',').map(|f| format!("{alias}.{}", f.trim())).collect::<Vec<_>>().join(", ")
}

/// Next reference of a series, e.g. "CRM-2026-000042": one counter per prefix and year,
/// bumped inside the caller's transaction; the counter's row stays locked until the
/// transaction ends, so two writers never share a number.
pub(crate) fn next_reference(tx: &mut Tx, prefix: &str, at: Timestamp) -> Result<String> {
    let year = i64::from(at.date().year());
    let n: i64 = tx
        .query_one(
            "INSERT INTO reference_counter (prefix, year, last) VALUES ($1, $2, 1)
             ON CONFLICT (prefix, year) DO UPDATE SET last = reference_counter.last + 1 RETURNING last",
            args![prefix, year],
        )?
        .get(0)?;
    Ok(format!("{prefix}-{year}-{n:06}"))
}

/// Makes the writers of one `name` in a `series` queue, so that a check-then-insert (is this
/// username taken? is this organisation known?) cannot race. A SQLite writer holds the whole
/// database already; PostgreSQL takes a transaction-scoped advisory lock on the name, in the
/// store's schema.
pub(crate) fn queue_writers_on(tx: &mut Tx, series: &str, name: &str) -> Result<()> {
    if tx.dialect() == Dialect::Postgres {
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext($1 || ':' || current_schema() || ':' || $2))",
            args![series, name],
        )?;
    }
    Ok(())
}

/// A count or position (a page's limit and offset, a threshold) as the stores' integer,
/// refused rather than wrapped if too large.
pub(crate) fn count(n: usize) -> Result<i64> {
    i64::try_from(n).map_err(|_| StoreError::Invalid(format!("{n} is too large a count")))
}

/// Fails with `NotFound` unless row `id` of `table` exists.
pub(crate) fn require(c: &mut dyn Conn, table: &'static str, id: i64) -> Result<()> {
    match c.query_opt(&format!("SELECT 1 FROM {table} WHERE id = $1"), args![id])? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound { entity: table, id }),
    }
}

/// Fails with `Conflict` unless the record's version is `expected`. Called on the row read
/// (with [`Dialect::lock_rows`]) at the start of a write.
pub(crate) fn check_version(table: &'static str, id: i64, expected: i64, found: i64) -> Result<()> {
    if found != expected {
        return Err(StoreError::Conflict { entity: table, id, expected, found });
    }
    Ok(())
}

impl<E: Engine> Casework for E {
    fn casework_counts(&self) -> Result<CaseworkCounts> {
        self.read(counts::casework)
    }

    fn add_site(&mut self, site: &NewSite, actor: &str, at: Timestamp) -> Result<Site> {
        self.write(|tx| sites::add(tx, site, actor, at))
    }

    fn sites(&self) -> Result<Vec<Site>> {
        self.conn(sites::all)
    }

    fn create_report(&mut self, report: &NewReport) -> Result<Report> {
        self.write(|tx| reports::create(tx, report))
    }

    fn report(&self, id: i64) -> Result<Report> {
        self.conn(|c| reports::get(c, id))
    }

    fn reports_for_site(&self, site: i64) -> Result<Vec<Report>> {
        self.conn(|c| reports::for_site(c, site))
    }

    fn site_reports(&self, site: i64, intelligence: bool, limit: usize, offset: usize) -> Result<Vec<Report>> {
        self.conn(|c| reports::site_page(c, site, intelligence, limit, offset))
    }

    fn site_counts(&self, site: i64, since: &str) -> Result<SiteCounts> {
        self.read(|c| reports::site_counts(c, site, since))
    }

    fn incident(&self, id: i64) -> Result<Incident> {
        self.conn(|c| incidents::get(c, id))
    }

    fn triage(&mut self, incident: i64, version: i64, triage: &Triage, actor: &str, at: Timestamp) -> Result<Incident> {
        self.write(|tx| incidents::triage(tx, incident, version, triage, actor, at))
    }

    fn decide(
        &mut self,
        incident: i64,
        version: i64,
        decision: &Decision,
        actor: &str,
        at: Timestamp,
    ) -> Result<(Incident, Vec<Crime>)> {
        self.write(|tx| incidents::decide(tx, incident, version, decision, actor, at))
    }

    fn crime(&self, id: i64) -> Result<CrimeFile> {
        self.read(|c| crimes::file(c, id))
    }

    fn crimes_for_incident(&self, incident: i64) -> Result<Vec<Crime>> {
        self.conn(|c| crimes::for_incident(c, incident))
    }

    fn cancel_crime(
        &mut self,
        crime: i64,
        version: i64,
        cancellation: &Value,
        actor: &str,
        at: Timestamp,
    ) -> Result<Crime> {
        self.write(|tx| crimes::cancel(tx, crime, version, cancellation, actor, at))
    }

    fn reallocate(
        &mut self,
        crime: i64,
        version: i64,
        team: &str,
        officer: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<Crime> {
        self.write(|tx| crimes::reallocate(tx, crime, version, team, officer, actor, at))
    }

    fn allocate(
        &mut self,
        crime: i64,
        version: i64,
        team: Option<&str>,
        officer: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<Crime> {
        self.write(|tx| crimes::allocate(tx, crime, version, team, officer, actor, at))
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
        at: Timestamp,
    ) -> Result<Person> {
        self.write(|tx| {
            people::add_to_crime(tx, crime, person, role, enhanced, enhanced_reasons, obligations, actor, at)
        })
    }

    fn add_obligations(
        &mut self,
        crime: i64,
        person: i64,
        obligations: &[NewObligation],
        actor: &str,
        at: Timestamp,
    ) -> Result<Vec<Obligation>> {
        self.write(|tx| {
            require(tx, "crime", crime)?;
            require(tx, "person", person)?;
            obligations::insert(tx, crime, person, obligations, actor, at)
        })
    }

    fn log_contact(&mut self, contact: &NewContact, actor: &str) -> Result<Contact> {
        self.write(|tx| contacts::log(tx, contact, actor))
    }

    fn add_evidence(&mut self, evidence: &NewEvidence, at: Timestamp) -> Result<Evidence> {
        self.write(|tx| evidence::add(tx, evidence, at))
    }

    fn secure_evidence(
        &mut self,
        crime: i64,
        id: i64,
        secured_at: Timestamp,
        actor: &str,
        at: Timestamp,
    ) -> Result<Evidence> {
        self.write(|tx| evidence::secure(tx, crime, id, secured_at, actor, at))
    }

    fn reopen(&mut self, crime: i64, version: i64, reason: &str, actor: &str, at: Timestamp) -> Result<Crime> {
        self.write(|tx| crimes::reopen(tx, crime, version, reason, actor, at))
    }

    fn set_outcome(&mut self, crime: i64, version: i64, outcome: &str, actor: &str, at: Timestamp) -> Result<Crime> {
        self.write(|tx| crimes::set_outcome(tx, crime, version, outcome, actor, at))
    }

    fn decisions_due(&self) -> Result<Vec<Incident>> {
        self.conn(incidents::decisions_due)
    }

    fn obligations_due(&self, on: Date, scope: &Scope) -> Result<Vec<ObligationDue>> {
        self.conn(|c| obligations::due(c, on, scope))
    }

    fn obligation_worklist(&self, query: &WorklistQuery) -> Result<Worklist> {
        self.read(|c| obligations::worklist(c, query))
    }

    fn find_people(
        &self,
        q: &peel_domain::name_search::NameQuery,
        reach: &Reach,
        limit: usize,
    ) -> Result<Vec<FoundPerson>> {
        self.conn(|c| search::people(c, q, reach, limit))
    }

    fn find_reference(&self, reference: &str) -> Result<Option<(&'static str, i64)>> {
        self.conn(|c| search::reference(c, reference))
    }

    fn find_crimes_narrowed(
        &self,
        m: &CrimeMatch,
        reach: &Reach,
        narrowing: &CrimeNarrowing,
        limit: usize,
        offset: usize,
    ) -> Result<CrimesFound> {
        self.conn(|c| search::crimes(c, m, reach, narrowing, limit, offset))
    }

    fn person(&self, id: i64) -> Result<Person> {
        self.conn(|c| people::get(c, id))
    }

    fn victim_crime_dates(&self, person: i64) -> Result<Vec<Date>> {
        self.conn(|c| facts::victim_crime_dates(c, person))
    }

    fn audit_trail(&self, entity: &str, id: i64) -> Result<Vec<AuditEntry>> {
        self.conn(|c| audit::trail(c, entity, id))
    }

    fn obligation_facts_in(&self, from: Date, to: Date, scope: &Scope) -> Result<Vec<ObligationFact>> {
        self.conn(|c| facts::obligations(c, from, to, scope))
    }

    fn obligation_compliance(
        &self,
        from: Date,
        to: Date,
        as_of: Date,
    ) -> Result<Vec<crate::casework::ComplianceGroup>> {
        self.read(|c| facts::obligation_compliance(c, from, to, as_of))
    }

    fn crime_facts_in(&self, from: Date, to: Date, scope: &Scope) -> Result<Vec<CrimeFact>> {
        self.read(|c| facts::crimes(c, from, to, scope, false))
    }

    fn open_crime_facts_in(&self, from: Date, to: Date, scope: &Scope) -> Result<Vec<CrimeFact>> {
        self.read(|c| facts::crimes(c, from, to, scope, true))
    }

    fn victim_crime_counts(&self, from: Date, to: Date, persons: &[i64]) -> Result<Vec<(i64, usize)>> {
        self.conn(|c| facts::victim_crime_counts(c, from, to, persons))
    }

    fn open_crime_repeat_victims(
        &self,
        from: Date,
        to: Date,
        scope: &Scope,
        at_least: usize,
    ) -> Result<Vec<(i64, usize)>> {
        self.conn(|c| facts::open_crime_repeat_victims(c, from, to, scope, at_least))
    }

    fn add_review(
        &mut self,
        crime: i64,
        kind: &str,
        text: &str,
        author: &str,
        at: Timestamp,
        next_review_due: Option<Date>,
    ) -> Result<Review> {
        self.write(|tx| reviews::add(tx, crime, kind, text, author, at, next_review_due))
    }

    fn reviews(&self, crime: i64) -> Result<Vec<Review>> {
        self.conn(|c| reviews::of_crime(c, crime))
    }

    fn review_status(&self, team: Option<&str>) -> Result<Vec<ReviewStatus>> {
        self.conn(|c| reviews::status(c, team))
    }

    fn request_cancellation(
        &mut self,
        request: &NewCancelRequest,
        version: i64,
        at: Timestamp,
    ) -> Result<CancelRequest> {
        self.write(|tx| cancellations::request(tx, request, version, at))
    }

    fn cancel_requests(&self, crime: i64) -> Result<Vec<CancelRequest>> {
        self.conn(|c| cancellations::of_crime(c, crime))
    }

    fn pending_cancel_requests(&self) -> Result<Vec<PendingCancelRequest>> {
        self.conn(cancellations::pending)
    }

    fn decide_cancel_request(
        &mut self,
        request: i64,
        decision: &CancelRequestDecision,
        note: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<(CancelRequest, Crime)> {
        self.write(|tx| cancellations::decide(tx, request, decision, note, actor, at))
    }
}

impl<E: Engine> crate::nominal::NominalIndex for E {
    fn nominal(&self, person: i64) -> Result<crate::nominal::NominalRecord> {
        self.read(|c| nominal::record(c, person))
    }

    fn person_history(
        &self,
        person: i64,
        reach: &Reach,
        with_reports: bool,
        limit: usize,
    ) -> Result<crate::nominal::PersonHistory> {
        self.read(|c| nominal::history(c, person, reach, with_reports, limit))
    }

    fn add_alias(&mut self, person: i64, name: &str, actor: &str, at: Timestamp) -> Result<crate::nominal::Alias> {
        self.write(|tx| nominal::add_alias(tx, person, name, actor, at))
    }

    fn add_address(
        &mut self,
        person: i64,
        postcode: &str,
        line: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<crate::nominal::Address> {
        self.write(|tx| nominal::add_address(tx, person, postcode, line, actor, at))
    }

    fn set_identity(
        &mut self,
        person: i64,
        date_of_birth: Option<Date>,
        sex: Option<&str>,
        ethnicity: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<()> {
        self.write(|tx| nominal::set_identity(tx, person, date_of_birth, sex, ethnicity, actor, at))
    }

    fn set_phone(&mut self, person: i64, phone: Option<&str>, actor: &str, at: Timestamp) -> Result<()> {
        self.write(|tx| nominal::set_phone(tx, person, phone, actor, at))
    }

    fn add_marker(
        &mut self,
        person: i64,
        marker: &crate::nominal::NewMarker,
        actor: &str,
        at: Timestamp,
    ) -> Result<crate::nominal::Marker> {
        self.write(|tx| nominal::add_marker(tx, person, marker, actor, at))
    }

    fn end_marker(&mut self, person: i64, marker: i64, actor: &str, at: Timestamp) -> Result<crate::nominal::Marker> {
        self.write(|tx| nominal::end_marker(tx, person, marker, actor, at))
    }

    fn possible_duplicates(
        &self,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<crate::nominal::PossibleDuplicate>, u64)> {
        self.read(|c| nominal::review_list(c, limit, offset))
    }

    fn possible_duplicate(&self, id: i64) -> Result<crate::nominal::PossibleDuplicate> {
        self.read(|c| nominal::pair(c, id))
    }

    fn duplicates_of(&self, person: i64) -> Result<Vec<crate::nominal::PossibleDuplicate>> {
        self.read(|c| nominal::of_person(c, person))
    }

    fn sweep_duplicates(&mut self, at: Timestamp) -> Result<crate::nominal::SweepReport> {
        // Read everyone outside the write (a million people take a second to read), then add
        // what was found in one write; a pair whose person was merged away meanwhile is left
        // off the review list by its query.
        let people = self.read(nominal::everyone)?;
        self.write(|tx| nominal::sweep(tx, &people, at))
    }

    fn merge_people(
        &mut self,
        kept: i64,
        merged: i64,
        reason: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<crate::nominal::Merge> {
        self.write(|tx| nominal::merge(tx, kept, merged, reason, actor, at))
    }

    fn undo_merge(&mut self, merge: i64, reason: &str, actor: &str, at: Timestamp) -> Result<crate::nominal::Merge> {
        self.write(|tx| nominal::undo(tx, merge, reason, actor, at))
    }

    fn mark_distinct(&mut self, pair: i64, actor: &str, at: Timestamp) -> Result<crate::nominal::PossibleDuplicate> {
        self.write(|tx| nominal::distinct(tx, pair, actor, at))
    }
}

impl<E: Engine> crate::changes::CrimeChanges for E {
    fn set_flags(&mut self, crime: i64, version: i64, flags: &[String], actor: &str, at: Timestamp) -> Result<Crime> {
        self.write(|tx| changes::set_flags(tx, crime, version, flags, actor, at))
    }

    fn request_reclassification(
        &mut self,
        request: &crate::changes::NewReclassification,
        version: i64,
        at: Timestamp,
    ) -> Result<crate::changes::Reclassification> {
        self.write(|tx| changes::request(tx, request, version, at))
    }

    fn decide_reclassification(
        &mut self,
        id: i64,
        approve: bool,
        note: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<(crate::changes::Reclassification, Crime)> {
        self.write(|tx| changes::decide(tx, id, approve, note, actor, at))
    }

    fn reclassify_now(
        &mut self,
        request: &crate::changes::NewReclassification,
        version: i64,
        note: &str,
        at: Timestamp,
    ) -> Result<crate::changes::Reclassification> {
        self.write(|tx| {
            let made = changes::request(tx, request, version, at)?;
            Ok(changes::decide(tx, made.id, true, note, &request.requested_by, at)?.0)
        })
    }

    fn reclassifications(&self, crime: i64) -> Result<Vec<crate::changes::Reclassification>> {
        self.conn(|c| changes::of_crime(c, crime))
    }

    fn pending_reclassifications(&self) -> Result<Vec<crate::changes::Reclassification>> {
        self.conn(changes::pending)
    }

    fn link_crimes(
        &mut self,
        crime: i64,
        other: i64,
        kind: &str,
        note: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<crate::changes::CrimeLink> {
        self.write(|tx| changes::link(tx, crime, other, kind, note, actor, at))
    }

    fn unlink_crimes(&mut self, link: i64, actor: &str, at: Timestamp) -> Result<()> {
        self.write(|tx| changes::unlink(tx, link, actor, at))
    }

    fn links_of(&self, crime: i64) -> Result<Vec<crate::changes::CrimeLink>> {
        self.conn(|c| changes::links(c, crime))
    }

    fn linked_series(&self, crime: i64) -> Result<Vec<i64>> {
        self.read(|c| changes::series(c, crime))
    }
}

impl<E: Engine> crate::tasks::Tasks for E {
    fn add_task(&mut self, task: &crate::tasks::NewTask, actor: &str, at: Timestamp) -> Result<crate::tasks::Task> {
        self.write(|tx| tasks::add(tx, task, actor, at))
    }

    fn complete_task(&mut self, id: i64, result: &str, actor: &str, at: Timestamp) -> Result<crate::tasks::Task> {
        self.write(|tx| tasks::complete(tx, id, result, actor, at))
    }

    fn task(&self, id: i64) -> Result<crate::tasks::Task> {
        self.conn(|c| tasks::get(c, id))
    }

    fn tasks_of_crime(&self, crime: i64) -> Result<Vec<crate::tasks::Task>> {
        self.conn(|c| tasks::of_crime(c, crime))
    }

    fn tasks_of_person(&self, person: i64) -> Result<Vec<crate::tasks::Task>> {
        self.conn(|c| tasks::of_person(c, person))
    }

    fn open_tasks_of(&self, owner: &str) -> Result<Vec<crate::tasks::Task>> {
        self.conn(|c| tasks::open_of(c, owner))
    }

    fn notifications(
        &self,
        account: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<crate::tasks::Notification>, u64)> {
        self.read(|c| tasks::notifications(c, account, limit, offset))
    }

    fn unread_notifications(&self, account: &str) -> Result<u64> {
        self.conn(|c| tasks::unread(c, account))
    }

    fn mark_notifications_read(&mut self, account: &str, at: Timestamp) -> Result<u64> {
        self.write(|tx| tasks::mark_read(tx, account, at))
    }

    fn notify_due(&mut self, now: Timestamp) -> Result<u64> {
        self.write(|tx| tasks::due(tx, now))
    }

    fn pending_outbox(&self, limit: usize) -> Result<Vec<crate::tasks::OutboxItem>> {
        self.conn(|c| tasks::pending_outbox(c, limit))
    }

    fn last_meeting(&self, team: &str) -> Result<Option<crate::tasks::MeetingMark>> {
        self.conn(|c| tasks::last_meeting(c, team))
    }

    fn hold_meeting(&mut self, team: &str, actor: &str, at: Timestamp) -> Result<()> {
        self.write(|tx| tasks::hold_meeting(tx, team, actor, at))
    }

    fn record_meeting_decision(
        &mut self,
        crime: i64,
        decision: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<crate::tasks::MeetingDecision> {
        self.write(|tx| tasks::record_decision(tx, crime, decision, actor, at))
    }

    fn latest_meeting_decisions(&self, crimes: &[i64]) -> Result<Vec<crate::tasks::MeetingDecision>> {
        self.conn(|c| tasks::latest_decisions(c, crimes))
    }

    fn changed_since(&self, crimes: &[i64], since: i64) -> Result<Vec<i64>> {
        self.conn(|c| tasks::changed_since(c, crimes, since))
    }
}

impl<E: Engine + crate::FileWrites> crate::Store for E {
    fn save_street_parts(
        &mut self,
        parts: &mut dyn Iterator<Item = crate::StreetPart<'_>>,
    ) -> Result<Option<crate::SaveReport>> {
        self.write_street_parts(parts)
    }

    fn save_recorded_crime(&mut self, batch: &crate::RecordedCrimeBatch) -> Result<crate::SaveReport> {
        self.write_recorded_crime(batch)
    }

    fn save_lsoas(&mut self, batch: &crate::LsoaBatch) -> Result<crate::SaveReport> {
        self.write_lsoas(batch)
    }

    fn load_street_between(
        &self,
        force: u16,
        from: peel_domain::YearMonth,
        to: peel_domain::YearMonth,
    ) -> Result<(peel_analytics::StreetColumns, peel_analytics::Geography)> {
        // The force's own crimes as the board paper reads them (a long stretch in halves at
        // once: the hotspot commands read up to seventy months), else its police.uk records.
        if let Some((_, cols, geo)) = crate::Store::load_own_records(self, force, from, to)? {
            return Ok((cols, geo));
        }
        self.read(|c| street::load_between(c, force, from, to))
    }

    fn save_crime_fact_parts(
        &mut self,
        parts: &mut dyn Iterator<Item = crate::CrimeFactPart<'_>>,
    ) -> Result<Option<crate::CrimeFactReport>> {
        let mut forces = Vec::new();
        let mut parts = parts.inspect(|p| {
            if let crate::CrimeFactPart::Rows(b) = p {
                if !forces.contains(&b.force) {
                    forces.push(b.force);
                }
            }
        });
        let report = self.write_crime_fact_parts(&mut parts)?;
        // Counted after the import's own transaction (each engine writes it its own way): a
        // failure here leaves the data stored and a memory copy reloaded at its next age.
        if report.as_ref().is_some_and(|r| r.stored && r.inserted + r.replaced > 0) {
            for force in forces {
                self.write(|tx| crime_facts::changed(tx, force))?;
            }
        }
        Ok(report)
    }

    fn project_recorded_crimes(&mut self, force: u16) -> Result<(u64, u64)> {
        // Batches of a few thousand crimes, each its own transaction: the first projection of
        // a large store must not hold the (SQLite: only) writer's lock for a minute while a
        // server's requests wait.
        const BATCH: usize = 5_000;
        let (mut written, mut removed, mut after) = (0, 0, 0);
        loop {
            let p = self.write(|tx| crime_facts::project_recorded(tx, force, after, BATCH))?;
            written += p.written;
            removed += p.removed;
            match p.last {
                Some(last) => after = last,
                None => return Ok((written, removed)),
            }
        }
    }

    fn holds_own_crimes(&self, force: u16) -> Result<bool> {
        self.conn(|c| crime_facts::holds(c, force))
    }

    fn gazetteer(&self) -> Result<Vec<crate::PostcodeRecord>> {
        self.conn(crime_facts::gazetteer)
    }

    fn load_own_records(
        &self,
        force: u16,
        from: peel_domain::YearMonth,
        to: peel_domain::YearMonth,
    ) -> Result<Option<(peel_analytics::CrimeFacts, peel_analytics::StreetColumns, peel_analytics::Geography)>> {
        if !self.read(|c| crime_facts::holds(c, force))? {
            return Ok(None);
        }
        let facts = crime_facts::load_in_parts(self, force, from, to)?;
        self.read(|c| {
            let lsoas = crime_facts::lsoa_details(c, force, &facts.lsoas.names)?;
            let (cols, geo) = facts.to_street(lsoas);
            Ok(Some((facts, cols, geo)))
        })
    }

    fn load_crime_facts(
        &self,
        force: u16,
        from: peel_domain::YearMonth,
        to: peel_domain::YearMonth,
    ) -> Result<peel_analytics::CrimeFacts> {
        crime_facts::load_in_parts(self, force, from, to)
    }

    fn refresh_statistics(&mut self) -> Result<()> {
        self.conn(|c| match c.dialect() {
            crate::sql::Dialect::Postgres => c.execute("ANALYZE", &[]).map(|_| ()),
            crate::sql::Dialect::Sqlite => Ok(()),
        })
    }

    fn published_crimes(&self, force: u16, month: peel_domain::YearMonth) -> Result<Vec<crate::PublishedCrime>> {
        self.read(|c| crime_facts::published(c, force, month))
    }

    fn holdings(&self) -> Result<crate::Holdings> {
        self.read(street::holdings)
    }

    fn recorded_crime(&self, force: u16) -> Result<Vec<crate::RecordedCrime>> {
        self.conn(|c| street::recorded_crime(c, force))
    }

    fn force_populations(&self) -> Result<Vec<(u16, u64)>> {
        self.conn(street::force_populations)
    }

    fn save_postcodes(&mut self, batch: &crate::PostcodeBatch) -> Result<crate::SaveReport> {
        self.write(|tx| places::save_postcodes(tx, batch))
    }

    fn save_lsoa_boundaries(&mut self, batch: &crate::BoundaryBatch) -> Result<crate::SaveReport> {
        self.write(|tx| places::save_boundaries(tx, batch))
    }

    fn postcode(&self, postcode: &str) -> Result<Option<crate::PostcodeRecord>> {
        self.conn(|c| places::postcode(c, postcode))
    }

    fn lsoa_boundaries(&self, force: u16) -> Result<Vec<crate::LsoaBoundary>> {
        self.conn(|c| places::boundaries(c, force))
    }
}

impl<E: Engine> Accounts for E {
    fn create_account(&mut self, account: &NewAccount, actor: &str, at: Timestamp) -> Result<Account> {
        self.write(|tx| accounts::create(tx, account, actor, at))
    }

    fn account(&self, id: i64) -> Result<Account> {
        self.conn(|c| accounts::get(c, id))
    }

    fn find_account(&self, username: &str) -> Result<Option<Account>> {
        self.conn(|c| accounts::find(c, username))
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        self.conn(accounts::all)
    }

    fn change_account(&mut self, id: i64, change: &AccountChange, actor: &str, at: Timestamp) -> Result<Account> {
        self.write(|tx| accounts::change(tx, id, change, actor, at))
    }

    fn record_sign_in_failure(&mut self, id: i64, since: Timestamp, lock_after: i64, at: Timestamp) -> Result<Account> {
        self.write(|tx| accounts::record_failure(tx, id, since, lock_after, at))
    }

    fn create_session(&mut self, session: &NewSession) -> Result<Session> {
        self.write(|tx| accounts::create_session(tx, session))
    }

    fn find_session(&self, token: &str, now: Timestamp) -> Result<Option<(Session, Account)>> {
        self.conn(|c| accounts::find_session(c, token, now))
    }

    fn touch_session(&mut self, token: &str, now: Timestamp) -> Result<()> {
        self.conn(|c| {
            c.execute("UPDATE account_session SET last_seen_at = $2 WHERE token = $1", args![token, now]).map(|_| ())
        })
    }

    fn delete_session(&mut self, token: &str, action: &str, at: Timestamp) -> Result<bool> {
        self.write(|tx| accounts::delete_session(tx, token, action, at))
    }

    fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64> {
        self.write(|tx| tx.execute("DELETE FROM account_session WHERE expires_at <= $1", args![now]))
    }

    fn create_api_token(&mut self, token: &NewApiToken, actor: &str, at: Timestamp) -> Result<ApiToken> {
        self.write(|tx| accounts::create_token(tx, token, actor, at))
    }

    fn api_tokens(&self, account: i64) -> Result<Vec<ApiToken>> {
        self.conn(|c| accounts::tokens(c, account))
    }

    fn revoke_api_tokens(&mut self, account: i64, token: Option<i64>, actor: &str, at: Timestamp) -> Result<u64> {
        self.write(|tx| accounts::revoke_tokens(tx, account, token, actor, at))
    }

    fn find_api_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<Account>> {
        self.conn(|c| accounts::find_token(c, token_hash, now))
    }
}

impl<E: Engine> crate::audit::AuditTrail for E {
    fn log_access(
        &mut self,
        at: Timestamp,
        actor: &str,
        access: crate::audit::Access,
        route: &str,
        records: &[(&str, i64)],
    ) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            tx.audit_access(at, actor, access.word(), route, records);
            Ok(())
        })
    }

    fn log_accesses(&mut self, answers: &[crate::audit::AccessEntry]) -> Result<()> {
        if answers.iter().all(|a| a.records.is_empty()) {
            return Ok(());
        }
        self.write(|tx| {
            for a in answers {
                tx.audit_access(a.at, &a.actor, a.access.word(), &a.route, &a.records);
            }
            Ok(())
        })
    }

    fn index_shown(&mut self, most: usize) -> Result<usize> {
        let pending = self.read(|c| audit::shown_past_cursor(c, most))?;
        let Some(pending) = pending else { return Ok(0) };
        let lists = pending.lists;
        let rows = pending.rows;
        // One row per record, user and day (see migration 0016), sorted by key, in runs of
        // at most this many a transaction so that no run holds the writer long.
        const ROWS_PER_WRITE: usize = 5_000;
        for run in rows.chunks(ROWS_PER_WRITE) {
            self.write(|tx| audit::insert_shown(tx, run))?;
        }
        self.write(|tx| audit::move_shown_cursor(tx, pending.through))?;
        Ok(lists)
    }

    fn resolve_record(&self, reference: &str) -> Result<Option<crate::audit::RecordRef>> {
        self.conn(|c| audit::resolve(c, reference))
    }

    fn audit_search(&self, query: &crate::audit::AuditQuery) -> Result<Vec<crate::audit::AuditRecord>> {
        self.conn(|c| audit::search(c, query))
    }

    fn verify_audit(&self, expect: Option<&str>) -> Result<crate::audit::ChainReport> {
        self.read(|c| audit::verify(c, expect))
    }
}
