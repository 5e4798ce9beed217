//! Incidents: the 24-hour recording-decision clock, THRIVE triage, and the decision that
//! records one crime per victim (or none).

use super::{check_version, json, next_reference, obligations, people, prefixed};
use crate::casework::{Crime, Decision, Incident, Triage};
use crate::sql::{args, Conn, Row, Tx};
use crate::{Result, StoreError};
use peel_domain::date::Timestamp;

const FIELDS: &str = "id, reference, report, opened_at, decision_due, status, decided_at, decided_by, \
     thrive, grade, team, allocation_reason, version";

fn incident_row(row: &Row) -> Result<Incident> {
    let r = row.record("incident", FIELDS, 0);
    Ok(Incident {
        id: r.get(0)?,
        reference: r.get(1)?,
        report: r.get(2)?,
        opened_at: r.get(3)?,
        decision_due: r.get(4)?,
        status: r.get(5)?,
        decided_at: r.get(6)?,
        decided_by: r.get(7)?,
        thrive: r.json_opt(8)?,
        grade: r.get(9)?,
        team: r.get(10)?,
        allocation_reason: r.get(11)?,
        version: r.get(12)?,
    })
}

pub(crate) fn get(c: &mut dyn Conn, id: i64) -> Result<Incident> {
    match c.query_opt(&format!("SELECT {FIELDS} FROM incident WHERE id = $1"), args![id])? {
        Some(row) => incident_row(&row),
        None => Err(StoreError::NotFound { entity: "incident", id }),
    }
}

/// The incident a write is about to change, locked until the write ends, if it is at
/// `version` (else `Conflict`).
fn lock(tx: &mut Tx, id: i64, version: i64) -> Result<Incident> {
    let lock = tx.dialect().lock_rows();
    let row = tx
        .query_opt(&format!("SELECT {FIELDS} FROM incident WHERE id = $1{lock}"), args![id])?
        .ok_or(StoreError::NotFound { entity: "incident", id })?;
    let incident = incident_row(&row)?;
    check_version("incident", id, version, incident.version)?;
    Ok(incident)
}

pub(crate) fn triage(
    tx: &mut Tx,
    incident: i64,
    version: i64,
    triage: &Triage,
    actor: &str,
    at: Timestamp,
) -> Result<Incident> {
    let before = lock(tx, incident, version)?;
    let after = incident_row(&tx.query_one(
        &format!(
            "UPDATE incident SET thrive = $1, grade = $2, team = $3, allocation_reason = $4, version = version + 1
             WHERE id = $5 RETURNING {FIELDS}"
        ),
        args![json(&triage.thrive), triage.grade, triage.team, triage.allocation_reason, incident],
    )?)?;
    tx.audit(at, actor, "incident", incident, "triage", Some(json(&before)), Some(json(&after)));
    Ok(after)
}

pub(crate) fn decide(
    tx: &mut Tx,
    incident: i64,
    version: i64,
    decision: &Decision,
    actor: &str,
    at: Timestamp,
) -> Result<(Incident, Vec<Crime>)> {
    let before = lock(tx, incident, version)?;
    if before.status != "open" {
        return Err(StoreError::Refused(format!(
            "incident {} was already decided ({}) by {} at {}",
            before.reference,
            before.status,
            before.decided_by.clone().unwrap_or_default(),
            before.decided_at.map(|t| t.to_string()).unwrap_or_default()
        )));
    }
    let after = incident_row(&tx.query_one(
        &format!(
            "UPDATE incident SET status = $1, decided_at = $2, decided_by = $3, version = version + 1
             WHERE id = $4 RETURNING {FIELDS}"
        ),
        args![decision.status, at, actor, incident],
    )?)?;
    let mut crimes = Vec::with_capacity(decision.crimes.len());
    for c in &decision.crimes {
        let victim = people::id_of(tx, &c.victim, actor, at)?;
        let reference = next_reference(tx, "CRM", at)?;
        let crime = super::crimes::record(tx, &reference, incident, c, actor, at)?;
        tx.execute(
            "INSERT INTO crime_person (crime, person, role, enhanced, enhanced_reasons) VALUES ($1, $2, 'victim', $3, $4)",
            args![crime.id, victim, c.enhanced, json(&c.enhanced_reasons)],
        )?;
        obligations::insert(tx, crime.id, victim, &c.obligations, actor, at)?;
        tx.audit(at, actor, "crime", crime.id, "record", None, Some(json(c)));
        super::tasks::allocated(tx, &crime, None, actor, at)?;
        crimes.push(crime);
    }
    tx.audit(at, actor, "incident", incident, "decide", Some(json(&before)), Some(json(&after)));
    super::tasks::report_decided(tx, incident, crimes.len(), at)?;
    Ok((after, crimes))
}

/// Incidents waiting for a recording decision, the soonest due first.
pub(crate) fn decisions_due(c: &mut dyn Conn) -> Result<Vec<Incident>> {
    let rows = c.query(
        &format!(
            "SELECT {} FROM incident i WHERE i.status = 'open' ORDER BY i.decision_due, i.id",
            prefixed("i", FIELDS)
        ),
        args![],
    )?;
    rows.iter().map(incident_row).collect()
}
