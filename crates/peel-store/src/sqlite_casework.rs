//! Casework on the embedded SQLite store.

use crate::casework::*;
use crate::{Result, SqliteStore, StoreError};
use rusqlite::{params, OptionalExtension, Row, Transaction, TransactionBehavior};
use serde_json::Value;

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("serialisable")
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Invalid(format!("stored JSON '{s}': {e}")))
}

/// Next reference of a series, e.g. "CRM-2026-000042": one counter per prefix and year,
/// bumped inside the caller's transaction so that two writers never share a number.
fn next_reference(tx: &Transaction, prefix: &str, at: &str) -> Result<String> {
    let year: i64 =
        at.get(0..4).and_then(|y| y.parse().ok()).ok_or_else(|| StoreError::Invalid(format!("time '{at}'")))?;
    let n: i64 = tx.query_row(
        "INSERT INTO reference_counter (prefix, year, last) VALUES (?1, ?2, 1)
         ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1 RETURNING last",
        params![prefix, year],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}-{year}-{n:06}"))
}

#[allow(clippy::too_many_arguments)]
fn audit(
    tx: &Transaction,
    at: &str,
    actor: &str,
    entity: &str,
    id: i64,
    action: &str,
    before: Option<String>,
    after: Option<String>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_log (at, actor, entity, entity_id, action, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![at, actor, entity, id, action, before, after],
    )?;
    Ok(())
}

fn insert_person(tx: &Transaction, p: &PersonDetails, actor: &str, at: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO person (name, date_of_birth, sex, ethnicity, vulnerabilities, is_business)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![p.name, p.date_of_birth, p.sex, p.ethnicity, json(&p.vulnerabilities), p.is_business],
    )?;
    let id = tx.last_insert_rowid();
    audit(tx, at, actor, "person", id, "create", None, Some(json(p)))?;
    Ok(id)
}

fn person_id(tx: &Transaction, p: &PersonRef, actor: &str, at: &str) -> Result<i64> {
    match p {
        PersonRef::New(d) => insert_person(tx, d, actor, at),
        PersonRef::Existing(id) => {
            let found: Option<i64> =
                tx.query_row("SELECT id FROM person WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            found.ok_or(StoreError::NotFound { entity: "person", id: *id })
        }
    }
}

fn insert_obligations(
    tx: &Transaction,
    crime: i64,
    person: i64,
    obligations: &[NewObligation],
    actor: &str,
    at: &str,
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(obligations.len());
    for o in obligations {
        tx.execute(
            "INSERT INTO obligation (crime, person, entitlement, right_no, description, due, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![crime, person, o.entitlement, o.right_no, o.description, o.due, at],
        )?;
        let id = tx.last_insert_rowid();
        audit(tx, at, actor, "obligation", id, "create", None, Some(json(o)))?;
        ids.push(id);
    }
    Ok(ids)
}

/// Adds a site, and its organisation if new (found by name); returns (organisation, site).
/// Shared with the bulk loader, which adds the demo's hospitals the same way.
pub(crate) fn insert_site(tx: &Transaction, site: &NewSite) -> Result<(i64, i64)> {
    let org: Option<i64> =
        tx.query_row("SELECT id FROM organisation WHERE name = ?1", [&site.organisation], |r| r.get(0)).optional()?;
    let org = match org {
        Some(id) => id,
        None => {
            tx.execute(
                "INSERT INTO organisation (name, kind) VALUES (?1, ?2)",
                params![site.organisation, site.organisation_kind],
            )?;
            tx.last_insert_rowid()
        }
    };
    tx.execute(
        "INSERT INTO site (organisation, name, address, latitude, longitude, lsoa_code, neighbourhood_unit, impact_area)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            org,
            site.name,
            site.address,
            site.latitude,
            site.longitude,
            site.lsoa_code,
            site.neighbourhood_unit,
            site.impact_area
        ],
    )?;
    Ok((org, tx.last_insert_rowid()))
}

/// Fails with `NotFound` unless the person exists (as PostgreSQL's foreign key would).
fn require_person(tx: &Transaction, id: i64) -> Result<()> {
    let found: Option<i64> = tx.query_row("SELECT id FROM person WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    found.map(|_| ()).ok_or(StoreError::NotFound { entity: "person", id })
}

/// Fails with `Conflict` unless the record is at `expected`; returns the record as it was.
fn check_version(tx: &Transaction, table: &'static str, id: i64, expected: i64) -> Result<()> {
    let found: Option<i64> =
        tx.query_row(&format!("SELECT version FROM {table} WHERE id = ?1"), [id], |r| r.get(0)).optional()?;
    match found {
        None => Err(StoreError::NotFound { entity: table, id }),
        Some(v) if v != expected => Err(StoreError::Conflict { entity: table, id, expected, found: v }),
        Some(_) => Ok(()),
    }
}

const REPORT_COLUMNS: &str = "r.id, r.reference, r.channel, r.kind, r.reported_at, r.reporter, r.site, r.location, \
     r.account, r.created_by, (SELECT i.id FROM incident i WHERE i.report = r.id), r.latitude, r.longitude, r.lsoa_code, \
     r.neighbourhood_unit, r.impact_area";

fn report_row(r: &Row) -> rusqlite::Result<Report> {
    Ok(Report {
        id: r.get(0)?,
        reference: r.get(1)?,
        channel: r.get(2)?,
        kind: r.get(3)?,
        reported_at: r.get(4)?,
        reporter: r.get(5)?,
        site: r.get(6)?,
        location: r.get(7)?,
        account: r.get(8)?,
        created_by: r.get(9)?,
        incident: r.get(10)?,
        place: Place {
            latitude: r.get(11)?,
            longitude: r.get(12)?,
            lsoa_code: r.get(13)?,
            neighbourhood_unit: r.get(14)?,
            impact_area: r.get(15)?,
        },
    })
}

const INCIDENT_COLUMNS: &str = "id, reference, report, opened_at, decision_due, status, decided_at, decided_by, \
     thrive, grade, team, allocation_reason, version";

fn incident_row(r: &Row) -> rusqlite::Result<(Incident, Option<String>)> {
    Ok((
        Incident {
            id: r.get(0)?,
            reference: r.get(1)?,
            report: r.get(2)?,
            opened_at: r.get(3)?,
            decision_due: r.get(4)?,
            status: r.get(5)?,
            decided_at: r.get(6)?,
            decided_by: r.get(7)?,
            thrive: None,
            grade: r.get(9)?,
            team: r.get(10)?,
            allocation_reason: r.get(11)?,
            version: r.get(12)?,
        },
        r.get(8)?,
    ))
}

fn finish_incident((mut i, thrive): (Incident, Option<String>)) -> Result<Incident> {
    i.thrive = thrive.as_deref().map(from_json).transpose()?;
    Ok(i)
}

const CRIME_COLUMNS: &str = "id, reference, incident, offence_code, status, recorded_at, recorded_by, flags, team, \
     officer, outcome, outcome_at, cancellation, version";

fn crime_row(r: &Row) -> rusqlite::Result<(Crime, String, Option<String>)> {
    Ok((
        Crime {
            id: r.get(0)?,
            reference: r.get(1)?,
            incident: r.get(2)?,
            offence_code: r.get(3)?,
            status: r.get(4)?,
            recorded_at: r.get(5)?,
            recorded_by: r.get(6)?,
            flags: vec![],
            team: r.get(8)?,
            officer: r.get(9)?,
            outcome: r.get(10)?,
            outcome_at: r.get(11)?,
            cancellation: None,
            version: r.get(13)?,
        },
        r.get(7)?,
        r.get(12)?,
    ))
}

fn finish_crime((mut c, flags, cancellation): (Crime, String, Option<String>)) -> Result<Crime> {
    c.flags = from_json(&flags)?;
    c.cancellation = cancellation.as_deref().map(from_json).transpose()?;
    Ok(c)
}

const OBLIGATION_COLUMNS: &str =
    "o.id, o.crime, o.person, o.entitlement, o.right_no, o.description, o.due, o.met_at, o.met_by";

/// A worklist line: the obligation's columns, then the crime's reference, officer and team
/// and the victim's name; overdue if due before the day `on`.
fn obligation_due_row(r: &Row, on: &str) -> rusqlite::Result<ObligationDue> {
    let obligation = obligation_row(r)?;
    let overdue = obligation.due.as_deref().is_some_and(|d| &d[..10.min(d.len())] < on);
    Ok(ObligationDue {
        obligation,
        crime_reference: r.get(9)?,
        officer: r.get(10)?,
        team: r.get(11)?,
        victim_name: r.get(12)?,
        overdue,
    })
}

fn obligation_row(r: &Row) -> rusqlite::Result<Obligation> {
    Ok(Obligation {
        id: r.get(0)?,
        crime: r.get(1)?,
        person: r.get(2)?,
        entitlement: r.get(3)?,
        right_no: r.get(4)?,
        description: r.get(5)?,
        due: r.get(6)?,
        met_at: r.get(7)?,
        met_by: r.get(8)?,
    })
}

fn get_incident(conn: &rusqlite::Connection, id: i64) -> Result<Incident> {
    let row = conn
        .query_row(&format!("SELECT {INCIDENT_COLUMNS} FROM incident WHERE id = ?1"), [id], incident_row)
        .optional()?
        .ok_or(StoreError::NotFound { entity: "incident", id })?;
    finish_incident(row)
}

fn get_crime(conn: &rusqlite::Connection, id: i64) -> Result<Crime> {
    let row = conn
        .query_row(&format!("SELECT {CRIME_COLUMNS} FROM crime WHERE id = ?1"), [id], crime_row)
        .optional()?
        .ok_or(StoreError::NotFound { entity: "crime", id })?;
    finish_crime(row)
}

impl SqliteStore {
    /// Writers take the lock at the start (IMMEDIATE), so two writers queue on the busy
    /// timeout instead of one failing when it tries to upgrade a read lock.
    fn write(&mut self) -> Result<Transaction<'_>> {
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}

impl Casework for SqliteStore {
    fn add_site(&mut self, site: &NewSite, actor: &str, at: &str) -> Result<Site> {
        let tx = self.write()?;
        let (org, id) = insert_site(&tx, site)?;
        audit(&tx, at, actor, "site", id, "create", None, Some(json(site)))?;
        tx.commit()?;
        Ok(Site { id, organisation_id: org, details: site.clone() })
    }

    fn sites(&self) -> Result<Vec<Site>> {
        let mut st = self.conn.prepare(
            "SELECT s.id, s.organisation, o.name, o.kind, s.name, s.address, s.latitude, s.longitude, s.lsoa_code,
                    s.neighbourhood_unit, s.impact_area
             FROM site s JOIN organisation o ON o.id = s.organisation ORDER BY s.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Site {
                id: r.get(0)?,
                organisation_id: r.get(1)?,
                details: NewSite {
                    organisation: r.get(2)?,
                    organisation_kind: r.get(3)?,
                    name: r.get(4)?,
                    address: r.get(5)?,
                    latitude: r.get(6)?,
                    longitude: r.get(7)?,
                    lsoa_code: r.get(8)?,
                    neighbourhood_unit: r.get(9)?,
                    impact_area: r.get(10)?,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn create_report(&mut self, report: &NewReport) -> Result<Report> {
        let tx = self.write()?;
        let at = report.reported_at.as_str();
        if let Some(site) = report.site {
            let found: Option<i64> =
                tx.query_row("SELECT id FROM site WHERE id = ?1", [site], |r| r.get(0)).optional()?;
            found.ok_or(StoreError::NotFound { entity: "site", id: site })?;
        }
        let reporter = report.reporter.as_ref().map(|p| insert_person(&tx, p, &report.created_by, at)).transpose()?;
        let reference = next_reference(&tx, "RPT", at)?;
        tx.execute(
            "INSERT INTO report (reference, channel, kind, reported_at, reporter, site, location, account, created_by,
                                 latitude, longitude, lsoa_code, neighbourhood_unit, impact_area)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
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
        )?;
        let id = tx.last_insert_rowid();
        audit(&tx, at, &report.created_by, "report", id, "create", None, Some(json(report)))?;
        if let Some(due) = &report.decision_due {
            let inc_ref = next_reference(&tx, "INC", at)?;
            tx.execute(
                "INSERT INTO incident (reference, report, opened_at, decision_due, status) VALUES (?1, ?2, ?3, ?4, 'open')",
                params![inc_ref, id, at, due],
            )?;
            let inc = tx.last_insert_rowid();
            audit(&tx, at, &report.created_by, "incident", inc, "open", None, Some(json(&(&inc_ref, due))))?;
        }
        let out = tx.query_row(&format!("SELECT {REPORT_COLUMNS} FROM report r WHERE r.id = ?1"), [id], report_row)?;
        tx.commit()?;
        Ok(out)
    }

    fn report(&self, id: i64) -> Result<Report> {
        self.conn
            .query_row(&format!("SELECT {REPORT_COLUMNS} FROM report r WHERE r.id = ?1"), [id], report_row)
            .optional()?
            .ok_or(StoreError::NotFound { entity: "report", id })
    }

    fn reports_for_site(&self, site: i64) -> Result<Vec<Report>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {REPORT_COLUMNS} FROM report r WHERE r.site = ?1 ORDER BY r.reported_at, r.id"
        ))?;
        let rows = st.query_map([site], report_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn site_reports(&self, site: i64, intelligence: bool, limit: usize, offset: usize) -> Result<Vec<Report>> {
        let kind = if intelligence { "r.kind = 'intelligence'" } else { "r.kind <> 'intelligence'" };
        let mut st = self.conn.prepare(&format!(
            "SELECT {REPORT_COLUMNS} FROM report r WHERE r.site = ?1 AND {kind}
             ORDER BY r.reported_at DESC, r.id DESC LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = st.query_map(params![site, limit as i64, offset as i64], report_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn site_counts(&self, site: i64, since: &str) -> Result<SiteCounts> {
        // One pass over the site's reports (report_site index), each with its incident
        // (incident_report) and crimes (crime_incident).
        let (reports, intelligence, open_incidents, crimes): (i64, i64, i64, i64) =
            self.conn.query_row(SITE_COUNTS_SQL, [site], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        let mut st = self.conn.prepare(SITE_MONTHS_SQL)?;
        let per_month = st
            .query_map(params![site, since], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?
            .collect::<Result<_, _>>()?;
        Ok(SiteCounts {
            reports: reports as u64,
            intelligence: intelligence as u64,
            open_incidents: open_incidents as u64,
            crimes: crimes as u64,
            per_month,
        })
    }

    fn incident(&self, id: i64) -> Result<Incident> {
        get_incident(&self.conn, id)
    }

    fn triage(&mut self, incident: i64, version: i64, triage: &Triage, actor: &str, at: &str) -> Result<Incident> {
        let tx = self.write()?;
        check_version(&tx, "incident", incident, version)?;
        let before = get_incident(&tx, incident)?;
        tx.execute(
            "UPDATE incident SET thrive = ?1, grade = ?2, team = ?3, allocation_reason = ?4, version = version + 1
             WHERE id = ?5",
            params![json(&triage.thrive), triage.grade, triage.team, triage.allocation_reason, incident],
        )?;
        let after = get_incident(&tx, incident)?;
        audit(&tx, at, actor, "incident", incident, "triage", Some(json(&before)), Some(json(&after)))?;
        tx.commit()?;
        Ok(after)
    }

    fn decide(
        &mut self,
        incident: i64,
        version: i64,
        decision: &Decision,
        actor: &str,
        at: &str,
    ) -> Result<(Incident, Vec<Crime>)> {
        let tx = self.write()?;
        check_version(&tx, "incident", incident, version)?;
        let before = get_incident(&tx, incident)?;
        if before.status != "open" {
            return Err(StoreError::Refused(format!(
                "incident {} was already decided ({}) by {} at {}",
                before.reference,
                before.status,
                before.decided_by.clone().unwrap_or_default(),
                before.decided_at.clone().unwrap_or_default()
            )));
        }
        tx.execute(
            "UPDATE incident SET status = ?1, decided_at = ?2, decided_by = ?3, version = version + 1 WHERE id = ?4",
            params![decision.status, at, actor, incident],
        )?;
        let mut crime_ids = Vec::new();
        for c in &decision.crimes {
            let victim = person_id(&tx, &c.victim, actor, at)?;
            let reference = next_reference(&tx, "CRM", at)?;
            tx.execute(
                "INSERT INTO crime (reference, incident, offence_code, status, recorded_at, recorded_by, flags, team, officer)
                 VALUES (?1, ?2, ?3, 'recorded', ?4, ?5, ?6, ?7, ?8)",
                params![reference, incident, c.offence_code, at, actor, json(&c.flags), c.team, c.officer],
            )?;
            let crime = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO crime_person (crime, person, role, enhanced, enhanced_reasons) VALUES (?1, ?2, 'victim', ?3, ?4)",
                params![crime, victim, c.enhanced, json(&c.enhanced_reasons)],
            )?;
            insert_obligations(&tx, crime, victim, &c.obligations, actor, at)?;
            audit(&tx, at, actor, "crime", crime, "record", None, Some(json(c)))?;
            crime_ids.push(crime);
        }
        let after = get_incident(&tx, incident)?;
        audit(&tx, at, actor, "incident", incident, "decide", Some(json(&before)), Some(json(&after)))?;
        let crimes = crime_ids.iter().map(|&id| get_crime(&tx, id)).collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok((after, crimes))
    }

    fn crime(&self, id: i64) -> Result<CrimeFile> {
        let crime = get_crime(&self.conn, id)?;
        let mut st = self.conn.prepare(
            "SELECT p.id, p.name, p.date_of_birth, p.sex, p.ethnicity, p.vulnerabilities, p.is_business,
                    cp.role, cp.enhanced, cp.enhanced_reasons
             FROM crime_person cp JOIN person p ON p.id = cp.person WHERE cp.crime = ?1 ORDER BY cp.role DESC, p.id",
        )?;
        let mut people = Vec::new();
        let mut q = st.query([id])?;
        while let Some(r) = q.next()? {
            people.push(CrimePerson {
                person: Person {
                    id: r.get(0)?,
                    details: PersonDetails {
                        name: r.get(1)?,
                        date_of_birth: r.get(2)?,
                        sex: r.get(3)?,
                        ethnicity: r.get(4)?,
                        vulnerabilities: from_json(&r.get::<_, String>(5)?)?,
                        is_business: r.get(6)?,
                    },
                },
                role: r.get(7)?,
                enhanced: r.get(8)?,
                enhanced_reasons: from_json(&r.get::<_, String>(9)?)?,
            });
        }
        let mut st = self
            .conn
            .prepare(&format!("SELECT {OBLIGATION_COLUMNS} FROM obligation o WHERE o.crime = ?1 ORDER BY o.id"))?;
        let obligations = st.query_map([id], obligation_row)?.collect::<Result<Vec<_>, _>>()?;
        let mut st = self.conn.prepare(
            "SELECT id, crime, person, at, method, by_whom, notes FROM contact WHERE crime = ?1 ORDER BY at, id",
        )?;
        let mut contacts = st
            .query_map([id], |r| {
                Ok(Contact {
                    id: r.get(0)?,
                    details: NewContact {
                        crime: r.get(1)?,
                        person: r.get(2)?,
                        at: r.get(3)?,
                        method: r.get(4)?,
                        by_whom: r.get(5)?,
                        notes: r.get(6)?,
                        meets: vec![],
                    },
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for c in &mut contacts {
            c.details.meets = obligations.iter().filter(|o| o.met_by == Some(c.id)).map(|o| o.id).collect();
        }
        let mut st = self.conn.prepare(
            "SELECT id, crime, kind, description, deadline, secured_at, added_by FROM evidence WHERE crime = ?1 ORDER BY id",
        )?;
        let evidence = st
            .query_map([id], |r| {
                Ok(Evidence {
                    id: r.get(0)?,
                    details: NewEvidence {
                        crime: r.get(1)?,
                        kind: r.get(2)?,
                        description: r.get(3)?,
                        deadline: r.get(4)?,
                        secured_at: r.get(5)?,
                        added_by: r.get(6)?,
                    },
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CrimeFile { crime, people, obligations, contacts, evidence })
    }

    fn crimes_for_incident(&self, incident: i64) -> Result<Vec<Crime>> {
        let mut st =
            self.conn.prepare(&format!("SELECT {CRIME_COLUMNS} FROM crime WHERE incident = ?1 ORDER BY id"))?;
        let rows = st.query_map([incident], crime_row)?.collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(finish_crime).collect()
    }

    fn cancel_crime(&mut self, crime: i64, version: i64, cancellation: &Value, actor: &str, at: &str) -> Result<Crime> {
        let tx = self.write()?;
        let after = cancel_in(&tx, crime, version, cancellation, actor, at)?;
        tx.commit()?;
        Ok(after)
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
        let tx = self.write()?;
        check_version(&tx, "crime", crime, version)?;
        let before = get_crime(&tx, crime)?;
        tx.execute(
            "UPDATE crime SET team = coalesce(?1, team), officer = coalesce(?2, officer), version = version + 1 WHERE id = ?3",
            params![team, officer, crime],
        )?;
        let after = get_crime(&tx, crime)?;
        audit(&tx, at, actor, "crime", crime, "allocate", Some(json(&before)), Some(json(&after)))?;
        tx.commit()?;
        Ok(after)
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
        let tx = self.write()?;
        get_crime(&tx, crime)?;
        let id = person_id(&tx, person, actor, at)?;
        tx.execute(
            "INSERT INTO crime_person (crime, person, role, enhanced, enhanced_reasons) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (crime, person, role) DO NOTHING",
            params![crime, id, role, enhanced, json(&enhanced_reasons)],
        )?;
        insert_obligations(&tx, crime, id, obligations, actor, at)?;
        audit(&tx, at, actor, "crime", crime, &format!("add-{role}"), None, Some(json(&(id, role))))?;
        let p = tx.query_row(
            "SELECT id, name, date_of_birth, sex, ethnicity, vulnerabilities, is_business FROM person WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, bool>(6)?,
                ))
            },
        )?;
        tx.commit()?;
        Ok(Person {
            id: p.0,
            details: PersonDetails {
                name: p.1,
                date_of_birth: p.2,
                sex: p.3,
                ethnicity: p.4,
                vulnerabilities: from_json(&p.5)?,
                is_business: p.6,
            },
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
        let tx = self.write()?;
        get_crime(&tx, crime)?;
        require_person(&tx, person)?;
        let ids = insert_obligations(&tx, crime, person, obligations, actor, at)?;
        let mut out = Vec::new();
        for id in ids {
            out.push(tx.query_row(
                &format!("SELECT {OBLIGATION_COLUMNS} FROM obligation o WHERE o.id = ?1"),
                [id],
                obligation_row,
            )?);
        }
        tx.commit()?;
        Ok(out)
    }

    fn log_contact(&mut self, contact: &NewContact, actor: &str) -> Result<Contact> {
        let tx = self.write()?;
        get_crime(&tx, contact.crime)?;
        require_person(&tx, contact.person)?;
        tx.execute(
            "INSERT INTO contact (crime, person, at, method, by_whom, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![contact.crime, contact.person, contact.at, contact.method, contact.by_whom, contact.notes],
        )?;
        let id = tx.last_insert_rowid();
        for &o in &contact.meets {
            // Only an open obligation of this crime and person can be met, and only once.
            let n = tx.execute(
                "UPDATE obligation SET met_at = ?1, met_by = ?2
                 WHERE id = ?3 AND crime = ?4 AND person = ?5 AND met_at IS NULL",
                params![contact.at, id, o, contact.crime, contact.person],
            )?;
            if n == 0 {
                return Err(StoreError::Refused(format!(
                    "obligation {o} is not an open obligation to person {} on crime {}",
                    contact.person, contact.crime
                )));
            }
            audit(&tx, &contact.at, actor, "obligation", o, "met", None, Some(json(&id)))?;
        }
        audit(&tx, &contact.at, actor, "contact", id, "create", None, Some(json(contact)))?;
        tx.commit()?;
        Ok(Contact { id, details: contact.clone() })
    }

    fn add_evidence(&mut self, evidence: &NewEvidence, at: &str) -> Result<Evidence> {
        let tx = self.write()?;
        get_crime(&tx, evidence.crime)?;
        tx.execute(
            "INSERT INTO evidence (crime, kind, description, deadline, secured_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                evidence.crime,
                evidence.kind,
                evidence.description,
                evidence.deadline,
                evidence.secured_at,
                evidence.added_by
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit(&tx, at, &evidence.added_by, "evidence", id, "create", None, Some(json(evidence)))?;
        tx.commit()?;
        Ok(Evidence { id, details: evidence.clone() })
    }

    fn set_outcome(&mut self, crime: i64, version: i64, outcome: &str, actor: &str, at: &str) -> Result<Crime> {
        let tx = self.write()?;
        check_version(&tx, "crime", crime, version)?;
        let before = get_crime(&tx, crime)?;
        if before.status == "cancelled" {
            return Err(StoreError::Refused(format!("crime {} is cancelled: it takes no outcome", before.reference)));
        }
        tx.execute(
            "UPDATE crime SET outcome = ?1, outcome_at = ?2, version = version + 1 WHERE id = ?3",
            params![outcome, at, crime],
        )?;
        let after = get_crime(&tx, crime)?;
        audit(&tx, at, actor, "crime", crime, "outcome", Some(json(&before)), Some(json(&after)))?;
        tx.commit()?;
        Ok(after)
    }

    fn decisions_due(&self) -> Result<Vec<Incident>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {INCIDENT_COLUMNS} FROM incident WHERE status = 'open' ORDER BY decision_due, id"
        ))?;
        let rows = st.query_map([], incident_row)?.collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(finish_incident).collect()
    }

    fn obligations_due(&self, on: &str, officer: Option<&str>) -> Result<Vec<ObligationDue>> {
        // `due` is a date or a date-time; anything up to "<on>T99:99" is due by the end of
        // that day, and the plain comparison lets the (met_at, due) index serve the range.
        // An officer's own list starts from their crimes instead (crime_officer index): CROSS
        // JOIN and INDEXED BY are SQLite's way to fix that plan, which its planner, without statistics,
        // would otherwise turn round to scan every unmet obligation of the force.
        let sql = match officer {
            None => format!(
                "SELECT {OBLIGATION_COLUMNS}, c.reference, c.officer, c.team, p.name
                 FROM obligation o JOIN crime c ON c.id = o.crime JOIN person p ON p.id = o.person
                 WHERE o.met_at IS NULL AND o.due <= ?1 || 'T99:99' AND c.status = 'recorded' AND ?2 IS NULL
                 ORDER BY o.due, o.id"
            ),
            Some(_) => format!(
                "SELECT {OBLIGATION_COLUMNS}, c.reference, c.officer, c.team, p.name
                 FROM crime c CROSS JOIN obligation o INDEXED BY obligation_crime ON o.crime = c.id JOIN person p ON p.id = o.person
                 WHERE c.officer = ?2 AND c.status = 'recorded' AND o.met_at IS NULL AND o.due <= ?1 || 'T99:99'
                 ORDER BY o.due, o.id"
            ),
        };
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(params![on, officer], |r| obligation_due_row(r, on))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn obligation_worklist(&self, q: &WorklistQuery) -> Result<Worklist> {
        // Two plans, chosen here because SQLite's planner has no statistics to choose them:
        // an officer's list starts from their crimes (crime_officer index) and looks up each
        // crime's obligations; every other list walks the unmet obligations by due date
        // (obligation_due index) and checks each one's crime, which is what a force-wide or
        // team queue is. The count runs the same filter under a cap (WORKLIST_COUNT_CAP),
        // so it stops early on a long queue.
        // One entitlement's queue (the fraud referrals) has a partial index of its own.
        let from = match (&q.scope.officer, &q.entitlement) {
            (Some(_), _) => "crime c CROSS JOIN obligation o INDEXED BY obligation_crime ON o.crime = c.id",
            (None, Some(_)) => {
                "obligation o INDEXED BY obligation_unmet_entitlement CROSS JOIN crime c ON c.id = o.crime"
            }
            (None, None) => "obligation o INDEXED BY obligation_due CROSS JOIN crime c ON c.id = o.crime",
        };
        let entitlement = if q.entitlement.is_some() { "o.entitlement = ?4" } else { "?4 IS NULL" };
        let filter = format!(
            "o.met_at IS NULL AND o.due <= ?1 || 'T99:99' AND c.status = 'recorded' AND {scope}
             AND {entitlement}
             AND (?5 = 0 OR EXISTS (SELECT 1 FROM crime_person cp WHERE cp.crime = o.crime AND cp.person = o.person
                                    AND cp.role = 'victim' AND cp.enhanced = 1))",
            scope = q.scope.condition(2, false)
        );
        let args = params![q.until, q.scope.officer, q.scope.team, q.entitlement, q.enhanced_only];
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM (SELECT 1 FROM {from} WHERE {filter} LIMIT {WORKLIST_COUNT_CAP})"),
            args,
            |r| r.get(0),
        )?;
        let mut st = self.conn.prepare(&format!(
            "SELECT {OBLIGATION_COLUMNS}, c.reference, c.officer, c.team, p.name
             FROM {from} JOIN person p ON p.id = o.person
             WHERE {filter} ORDER BY o.due, o.id LIMIT {} OFFSET {}",
            q.limit, q.offset
        ))?;
        let on = q.until.as_str();
        let rows = st.query_map(args, |r| obligation_due_row(r, on))?;
        Ok(Worklist { lines: rows.collect::<Result<_, _>>()?, total: total as u64 })
    }

    fn victim_crime_dates(&self, person: i64) -> Result<Vec<String>> {
        let mut st = self.conn.prepare(
            "SELECT substr(c.recorded_at, 1, 10) FROM crime_person cp JOIN crime c ON c.id = cp.crime
             WHERE cp.person = ?1 AND cp.role = 'victim' AND c.status = 'recorded' ORDER BY c.recorded_at",
        )?;
        let rows = st.query_map([person], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn audit_trail(&self, entity: &str, id: i64) -> Result<Vec<AuditEntry>> {
        let mut st = self.conn.prepare(
            "SELECT id, at, actor, entity, entity_id, action, before, after FROM audit_log
             WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
        )?;
        let mut out = Vec::new();
        let mut q = st.query(params![entity, id])?;
        while let Some(r) = q.next()? {
            let parse = |s: Option<String>| s.as_deref().map(from_json::<Value>).transpose();
            out.push(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                entity: r.get(3)?,
                entity_id: r.get(4)?,
                action: r.get(5)?,
                before: parse(r.get(6)?)?,
                after: parse(r.get(7)?)?,
            });
        }
        Ok(out)
    }

    fn obligation_facts_in(&self, from: &str, to: &str, scope: &Scope) -> Result<Vec<ObligationFact>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {OBLIGATION_COLUMNS}, c.reference, c.recorded_at, c.offence_code, c.team, c.officer
             FROM obligation o JOIN crime c ON c.id = o.crime
             WHERE c.status = 'recorded' AND c.recorded_at BETWEEN ?1 AND ?2 || 'T99:99' AND {}
             ORDER BY o.id",
            scope.condition(3, false)
        ))?;
        let rows = st.query_map(params![from, to, scope.officer, scope.team], |r| {
            Ok(ObligationFact {
                obligation: obligation_row(r)?,
                crime_reference: r.get(9)?,
                recorded_at: r.get(10)?,
                offence_code: r.get(11)?,
                team: r.get(12)?,
                officer: r.get(13)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
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
        let mut st = self.conn.prepare(&OPEN_REPEAT_VICTIMS_SQL.replace("{scope}", &scope.condition(3, false)))?;
        let rows = st.query_map(params![from, to, scope.officer, scope.team, at_least as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as usize))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn victim_crime_counts(&self, from: &str, to: &str, persons: &[i64]) -> Result<Vec<(i64, usize)>> {
        let mut st = self.conn.prepare(
            "SELECT count(*) FROM person p JOIN crime_person cp ON cp.person = p.id JOIN crime c ON c.id = cp.crime
             WHERE p.id = ?1 AND NOT p.is_business AND cp.role = 'victim' AND c.status = 'recorded'
               AND c.recorded_at BETWEEN ?2 AND ?3 || 'T99:99'",
        )?;
        let mut out = Vec::with_capacity(persons.len());
        for &p in persons {
            let n: i64 = st.query_row(params![p, from, to], |r| r.get(0))?;
            out.push((p, n as usize));
        }
        Ok(out)
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
        let tx = self.write()?;
        get_crime(&tx, crime)?;
        tx.execute(
            "INSERT INTO crime_review (crime, kind, text, author, at, next_review_due) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![crime, kind, text, author, at, next_review_due],
        )?;
        let review = Review {
            id: tx.last_insert_rowid(),
            crime,
            kind: kind.to_string(),
            text: text.to_string(),
            author: author.to_string(),
            at: at.to_string(),
            next_review_due: next_review_due.map(str::to_string),
        };
        audit(&tx, at, author, "crime", crime, &format!("add-{kind}"), None, Some(json(&review)))?;
        tx.commit()?;
        Ok(review)
    }

    fn reviews(&self, crime: i64) -> Result<Vec<Review>> {
        let mut st = self.conn.prepare(
            "SELECT id, crime, kind, text, author, at, next_review_due FROM crime_review WHERE crime = ?1 ORDER BY at, id",
        )?;
        let rows = st.query_map([crime], |r| {
            Ok(Review {
                id: r.get(0)?,
                crime: r.get(1)?,
                kind: r.get(2)?,
                text: r.get(3)?,
                author: r.get(4)?,
                at: r.get(5)?,
                next_review_due: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn review_status(&self, team: Option<&str>) -> Result<Vec<ReviewStatus>> {
        let mut st = self.conn.prepare(&review_status_sql(team.is_some()))?;
        let rows = st.query_map(params![team], |r| {
            Ok(ReviewStatus {
                crime: r.get(0)?,
                reference: r.get(1)?,
                officer: r.get(2)?,
                team: r.get(3)?,
                recorded_at: r.get(4)?,
                plan_at: r.get(5)?,
                next_review_due: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn request_cancellation(&mut self, request: &NewCancelRequest, version: i64, at: &str) -> Result<CancelRequest> {
        let tx = self.write()?;
        check_version(&tx, "crime", request.crime, version)?;
        let crime = get_crime(&tx, request.crime)?;
        if crime.status == "cancelled" {
            return Err(StoreError::Refused(format!("crime {} is already cancelled", crime.reference)));
        }
        if pending_request_of(&tx, request.crime)?.is_some() {
            return Err(StoreError::Refused(format!(
                "crime {} already has a cancellation request waiting for a decision maker",
                crime.reference
            )));
        }
        tx.execute(
            "INSERT INTO cancellation_request (crime, reason, detail, requested_by, requested_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![request.crime, request.reason, request.detail, request.requested_by, at],
        )?;
        let stored = get_cancel_request(&tx, tx.last_insert_rowid())?;
        audit(
            &tx,
            at,
            &request.requested_by,
            "crime",
            request.crime,
            "request-cancellation",
            None,
            Some(json(&stored)),
        )?;
        tx.commit()?;
        Ok(stored)
    }

    fn cancel_requests(&self, crime: i64) -> Result<Vec<CancelRequest>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {CANCEL_REQUEST_COLUMNS} FROM cancellation_request r WHERE r.crime = ?1 ORDER BY r.id"
        ))?;
        let rows = st.query_map([crime], cancel_request_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn pending_cancel_requests(&self) -> Result<Vec<PendingCancelRequest>> {
        let mut st = self.conn.prepare(PENDING_CANCEL_REQUESTS_SQL)?;
        let rows = st.query_map([], |r| {
            Ok(PendingCancelRequest {
                request: cancel_request_row(r)?,
                crime_reference: r.get(10)?,
                offence_code: r.get(11)?,
                team: r.get(12)?,
                officer: r.get(13)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn decide_cancel_request(
        &mut self,
        request: i64,
        decision: &CancelRequestDecision,
        note: &str,
        actor: &str,
        at: &str,
    ) -> Result<(CancelRequest, Crime)> {
        let tx = self.write()?;
        let before = get_cancel_request(&tx, request)?;
        if before.status != "pending" {
            return Err(StoreError::Refused(format!(
                "the cancellation request was already answered ({}) by {}",
                before.status,
                before.decided_by.as_deref().unwrap_or("someone else")
            )));
        }
        let crime = before.details.crime;
        let status = match decision {
            CancelRequestDecision::Cancel { version, cancellation } => {
                // The same write as cancel_crime, so a cancellation reads the same whichever way it came.
                cancel_in(&tx, crime, *version, cancellation, actor, at)?;
                "cancelled"
            }
            CancelRequestDecision::Refuse => "refused",
        };
        tx.execute(
            "UPDATE cancellation_request SET status = ?1, decided_by = ?2, decided_at = ?3, note = ?4 WHERE id = ?5",
            params![status, actor, at, note, request],
        )?;
        let after = get_cancel_request(&tx, request)?;
        let action = if status == "cancelled" { "grant-cancellation-request" } else { "refuse-cancellation-request" };
        audit(&tx, at, actor, "crime", crime, action, Some(json(&before)), Some(json(&after)))?;
        let crime = get_crime(&tx, crime)?;
        tx.commit()?;
        Ok((after, crime))
    }
}

/// Open crimes with their first plan and the latest review's next date; the same text on
/// both stores (`?1`/`$1` aside).
pub(crate) const REVIEW_STATUS_SQL: &str = "SELECT c.id, c.reference, c.officer, c.team, c.recorded_at,
        (SELECT min(r.at) FROM crime_review r WHERE r.crime = c.id AND r.kind = 'plan'),
        (SELECT r.next_review_due FROM crime_review r WHERE r.crime = c.id AND r.next_review_due IS NOT NULL
         ORDER BY r.at DESC, r.id DESC LIMIT 1)
     FROM crime c WHERE c.status = 'recorded' AND c.outcome IS NULL AND TEAM
     ORDER BY c.id";

/// [`REVIEW_STATUS_SQL`] for one team (`c.team = ?1`) or the force (`?1 IS NULL`): written
/// out rather than `(?1 IS NULL OR c.team = ?1)`, which no index serves, so that a team's
/// open crimes come from the crime_open_team index instead of a scan of every crime.
pub(crate) fn review_status_sql(team: bool) -> String {
    REVIEW_STATUS_SQL.replace("TEAM", if team { "c.team = ?1" } else { "?1 IS NULL" })
}

const CANCEL_REQUEST_COLUMNS: &str = "r.id, r.crime, r.reason, r.detail, r.requested_by, r.requested_at, r.status, \
     r.decided_by, r.decided_at, r.note";

fn cancel_request_row(r: &Row) -> rusqlite::Result<CancelRequest> {
    Ok(CancelRequest {
        id: r.get(0)?,
        details: NewCancelRequest { crime: r.get(1)?, reason: r.get(2)?, detail: r.get(3)?, requested_by: r.get(4)? },
        requested_at: r.get(5)?,
        status: r.get(6)?,
        decided_by: r.get(7)?,
        decided_at: r.get(8)?,
        note: r.get(9)?,
    })
}

fn get_cancel_request(conn: &rusqlite::Connection, id: i64) -> Result<CancelRequest> {
    conn.query_row(
        &format!("SELECT {CANCEL_REQUEST_COLUMNS} FROM cancellation_request r WHERE r.id = ?1"),
        [id],
        cancel_request_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound { entity: "cancellation_request", id })
}

fn pending_request_of(conn: &rusqlite::Connection, crime: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM cancellation_request WHERE crime = ?1 AND status = 'pending'", [crime], |r| r.get(0))
        .optional()?)
}

/// Pending requests of crimes still recorded, oldest first; the same text on both stores. A
/// crime cancelled some other way (through the API) no longer needs its request decided.
pub(crate) const PENDING_CANCEL_REQUESTS_SQL: &str = "SELECT r.id, r.crime, r.reason, r.detail, r.requested_by,
        r.requested_at, r.status, r.decided_by, r.decided_at, r.note, c.reference, c.offence_code, c.team, c.officer
     FROM cancellation_request r JOIN crime c ON c.id = r.crime
     WHERE r.status = 'pending' AND c.status = 'recorded'
     ORDER BY r.requested_at, r.id";

impl SqliteStore {
    /// Crime facts of the days `from..=to` within `scope`; with `open_only`, only crimes still
    /// open (recorded, no outcome), which the crime_open partial indexes find without reading
    /// the closed ones.
    fn crime_facts_where(&self, from: &str, to: &str, scope: &Scope, open_only: bool) -> Result<Vec<CrimeFact>> {
        // The open condition is written out, not parameterised: SQLite uses a partial index only
        // when the query's own terms imply the index's WHERE.
        let open = if open_only { "AND c.status = 'recorded' AND c.outcome IS NULL" } else { "" };
        let mut st = self.conn.prepare(&format!(
            "SELECT c.id, c.reference, c.recorded_at, c.offence_code, c.status, c.team, c.officer, c.outcome, c.flags,
                    i.thrive, r.site, c.outcome_at,
                    (SELECT count(*) FROM crime_person s WHERE s.crime = c.id AND s.role = 'suspect')
             FROM crime c JOIN incident i ON i.id = c.incident JOIN report r ON r.id = i.report
             WHERE c.recorded_at BETWEEN ?1 AND ?2 || 'T99:99' AND {} {open} ORDER BY c.id",
            scope.condition(3, false)
        ))?;
        let mut facts = Vec::new();
        let mut q = st.query(params![from, to, scope.officer, scope.team])?;
        while let Some(r) = q.next()? {
            facts.push(CrimeFact {
                id: r.get(0)?,
                reference: r.get(1)?,
                recorded_at: r.get(2)?,
                offence_code: r.get(3)?,
                status: r.get(4)?,
                team: r.get(5)?,
                officer: r.get(6)?,
                outcome: r.get(7)?,
                flags: from_json(&r.get::<_, String>(8)?)?,
                thrive: r.get::<_, Option<String>>(9)?.as_deref().map(from_json).transpose()?,
                site: r.get(10)?,
                outcome_at: r.get(11)?,
                suspects: r.get(12)?,
                victims: vec![],
            });
        }
        // Victims in one pass over the period's crimes rather than a query per crime.
        let mut st = self.conn.prepare(&format!(
            "SELECT cp.crime, cp.person, cp.enhanced FROM crime_person cp JOIN crime c ON c.id = cp.crime
             WHERE cp.role = 'victim' AND c.recorded_at BETWEEN ?1 AND ?2 || 'T99:99' AND {} {open} ORDER BY cp.crime",
            scope.condition(3, false)
        ))?;
        let mut q = st.query(params![from, to, scope.officer, scope.team])?;
        let index: std::collections::HashMap<i64, usize> = facts.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        while let Some(r) = q.next()? {
            if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
                facts[i].victims.push((r.get(1)?, r.get(2)?));
            }
        }
        Ok(facts)
    }
}

/// A site's reports counted (see `site_counts`); the same text on both stores.
pub(crate) const SITE_COUNTS_SQL: &str = "SELECT count(*), CAST(coalesce(sum(CASE WHEN r.kind = 'intelligence' THEN 1 ELSE 0 END), 0) AS BIGINT),
        CAST(coalesce(sum(CASE WHEN i.status = 'open' THEN 1 ELSE 0 END), 0) AS BIGINT),
        CAST(coalesce(sum((SELECT count(*) FROM crime c WHERE c.incident = i.id AND c.status = 'recorded')), 0) AS BIGINT)
     FROM report r LEFT JOIN incident i ON i.report = r.id WHERE r.site = ?1";

/// A site's reports per month from a month on (`?2`, YYYY-MM).
pub(crate) const SITE_MONTHS_SQL: &str = "SELECT substr(r.reported_at, 1, 7), count(*) FROM report r
     WHERE r.site = ?1 AND r.reported_at >= ?2 GROUP BY 1 ORDER BY 1";

/// Cancels a crime read at `version` inside the caller's transaction, with its audit entry:
/// the one write behind `cancel_crime` and a cancellation on request.
fn cancel_in(tx: &Transaction, crime: i64, version: i64, cancellation: &Value, actor: &str, at: &str) -> Result<Crime> {
    check_version(tx, "crime", crime, version)?;
    let before = get_crime(tx, crime)?;
    if before.status == "cancelled" {
        return Err(StoreError::Refused(format!("crime {} is already cancelled", before.reference)));
    }
    tx.execute(
        "UPDATE crime SET status = 'cancelled', cancellation = ?1, version = version + 1 WHERE id = ?2",
        params![cancellation.to_string(), crime],
    )?;
    let after = get_crime(tx, crime)?;
    audit(tx, at, actor, "crime", crime, "cancel", Some(json(&before)), Some(json(&after)))?;
    // A request that came in meanwhile is answered by the same write, not left pending on
    // a cancelled crime.
    tx.execute(
        "UPDATE cancellation_request SET status = 'cancelled', decided_by = ?1, decided_at = ?2
         WHERE crime = ?3 AND status = 'pending'",
        params![actor, at, crime],
    )?;
    Ok(after)
}

/// The repeat victims of a scope's open crimes (`open_crime_repeat_victims`), the same text on
/// both stores: `{scope}` is the scope's condition. The victims are found first (individuals
/// only), then each one's crimes counted once, so a business's hundreds of crimes are never read.
pub(crate) const OPEN_REPEAT_VICTIMS_SQL: &str = "WITH o AS MATERIALIZED (
                SELECT DISTINCT cp.person FROM crime c JOIN crime_person cp ON cp.crime = c.id AND cp.role = 'victim'
                JOIN person p ON p.id = cp.person AND NOT p.is_business
                WHERE c.recorded_at BETWEEN ?1 AND ?2 || 'T99:99' AND {scope} AND c.status = 'recorded' AND c.outcome IS NULL)
             SELECT cp2.person, count(*) AS n FROM o JOIN crime_person cp2 ON cp2.person = o.person AND cp2.role = 'victim'
             JOIN crime c2 ON c2.id = cp2.crime
             WHERE c2.status = 'recorded' AND c2.recorded_at BETWEEN ?1 AND ?2 || 'T99:99'
             GROUP BY cp2.person HAVING count(*) >= ?5 ORDER BY n DESC, cp2.person";
