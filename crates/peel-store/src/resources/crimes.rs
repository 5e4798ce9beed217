//! Recorded crimes: the crime's file (people, obligations, contacts, evidence), allocation,
//! outcome and cancellation, each a versioned write.

use super::{check_version, contacts, evidence, json, obligations, people};
use crate::casework::{Crime, CrimeFile, NewCrime};
use crate::sql::{args, Conn, Row, Tx};
use crate::{Result, StoreError};
use peel_domain::date::Timestamp;
use serde_json::Value;

pub(crate) const FIELDS: &str =
    "id, reference, incident, offence_code, status, recorded_at, recorded_by, flags, team, \
     officer, outcome, outcome_at, cancellation, version";

pub(crate) fn crime_row(row: &Row) -> Result<Crime> {
    let r = row.record("crime", FIELDS, 0);
    Ok(Crime {
        id: r.get(0)?,
        reference: r.get(1)?,
        incident: r.get(2)?,
        offence_code: r.get(3)?,
        status: r.get(4)?,
        recorded_at: r.get(5)?,
        recorded_by: r.get(6)?,
        flags: r.json(7)?,
        team: r.get(8)?,
        officer: r.get(9)?,
        outcome: r.get(10)?,
        outcome_at: r.get(11)?,
        cancellation: r.json_opt(12)?,
        version: r.get(13)?,
    })
}

pub(crate) fn get(c: &mut dyn Conn, id: i64) -> Result<Crime> {
    match c.query_opt(&format!("SELECT {FIELDS} FROM crime WHERE id = $1"), args![id])? {
        Some(row) => crime_row(&row),
        None => Err(StoreError::NotFound { entity: "crime", id }),
    }
}

/// The crime a write is about to change, locked until the write ends, if it is at
/// `version` (else `Conflict`).
pub(crate) fn lock(tx: &mut Tx, id: i64, version: i64) -> Result<Crime> {
    let lock = tx.dialect().lock_rows();
    let row = tx
        .query_opt(&format!("SELECT {FIELDS} FROM crime WHERE id = $1{lock}"), args![id])?
        .ok_or(StoreError::NotFound { entity: "crime", id })?;
    let crime = crime_row(&row)?;
    check_version("crime", id, version, crime.version)?;
    Ok(crime)
}

/// Inserts a crime recorded on `incident` (the caller adds its victim and audit entry).
pub(crate) fn record(
    tx: &mut Tx,
    reference: &str,
    incident: i64,
    c: &NewCrime,
    actor: &str,
    at: Timestamp,
) -> Result<Crime> {
    crime_row(&tx.query_one(
        &format!(
            "INSERT INTO crime (reference, incident, offence_code, status, recorded_at, recorded_by, flags, team, officer)
             VALUES ($1, $2, $3, 'recorded', $4, $5, $6, $7, $8) RETURNING {FIELDS}"
        ),
        args![reference, incident, c.offence_code, at, actor, json(&c.flags), c.team, c.officer],
    )?)
}

/// A crime with everything on it, read on one snapshot.
pub(crate) fn file(c: &mut dyn Conn, id: i64) -> Result<CrimeFile> {
    let crime = get(c, id)?;
    let people = people::of_crime(c, id)?;
    let obligations = obligations::of_crime(c, id)?;
    let mut contacts = contacts::of_crime(c, id)?;
    for contact in &mut contacts {
        contact.details.meets = obligations.iter().filter(|o| o.met_by == Some(contact.id)).map(|o| o.id).collect();
    }
    let evidence = evidence::of_crime(c, id)?;
    Ok(CrimeFile { crime, people, obligations, contacts, evidence })
}

pub(crate) fn for_incident(c: &mut dyn Conn, incident: i64) -> Result<Vec<Crime>> {
    let rows = c.query(&format!("SELECT {FIELDS} FROM crime WHERE incident = $1 ORDER BY id"), args![incident])?;
    rows.iter().map(crime_row).collect()
}

/// Allocates a crime: `None` keeps the team or officer it has.
#[allow(clippy::too_many_arguments)]
pub(crate) fn allocate(
    tx: &mut Tx,
    crime: i64,
    version: i64,
    team: Option<&str>,
    officer: Option<&str>,
    actor: &str,
    at: Timestamp,
) -> Result<Crime> {
    let before = lock(tx, crime, version)?;
    let team = team.map(str::to_string).or(before.team.clone());
    let officer = officer.map(str::to_string).or(before.officer.clone());
    write_allocation(tx, before, team.as_deref(), officer.as_deref(), actor, at)
}

/// [`allocate`] with both parts set exactly: a crime moved to another team leaves its officer
/// behind unless it names a new one.
#[allow(clippy::too_many_arguments)]
pub(crate) fn reallocate(
    tx: &mut Tx,
    crime: i64,
    version: i64,
    team: &str,
    officer: Option<&str>,
    actor: &str,
    at: Timestamp,
) -> Result<Crime> {
    let before = lock(tx, crime, version)?;
    write_allocation(tx, before, Some(team), officer, actor, at)
}

/// Writes a locked crime's team and officer, audited with the allocation before and after.
fn write_allocation(
    tx: &mut Tx,
    before: Crime,
    team: Option<&str>,
    officer: Option<&str>,
    actor: &str,
    at: Timestamp,
) -> Result<Crime> {
    let after = crime_row(&tx.query_one(
        &format!("UPDATE crime SET team = $1, officer = $2, version = version + 1 WHERE id = $3 RETURNING {FIELDS}"),
        args![team, officer, before.id],
    )?)?;
    tx.audit(at, actor, "crime", before.id, "allocate", Some(json(&before)), Some(json(&after)));
    super::tasks::allocated(tx, &after, before.officer.as_deref(), actor, at)?;
    Ok(after)
}

pub(crate) fn set_outcome(
    tx: &mut Tx,
    crime: i64,
    version: i64,
    outcome: &str,
    actor: &str,
    at: Timestamp,
) -> Result<Crime> {
    let before = lock(tx, crime, version)?;
    if before.status == "cancelled" {
        return Err(StoreError::Refused(format!("crime {} is cancelled: it takes no outcome", before.reference)));
    }
    let after = crime_row(&tx.query_one(
        &format!(
            "UPDATE crime SET outcome = $1, outcome_at = $2, version = version + 1 WHERE id = $3 RETURNING {FIELDS}"
        ),
        args![outcome, at, crime],
    )?)?;
    tx.audit(at, actor, "crime", crime, "outcome", Some(json(&before)), Some(json(&after)));
    super::tasks::report_finalised(tx, &after, at)?;
    Ok(after)
}

/// Takes a finalised crime's outcome away, so that the investigation goes on; the audit entry
/// keeps the outcome it had and the reason.
pub(crate) fn reopen(tx: &mut Tx, crime: i64, version: i64, reason: &str, actor: &str, at: Timestamp) -> Result<Crime> {
    let before = lock(tx, crime, version)?;
    if before.status == "cancelled" {
        return Err(StoreError::Refused(format!("crime {} is cancelled: it is not reopened", before.reference)));
    }
    if before.outcome.is_none() {
        return Err(StoreError::Refused(format!("crime {} has no outcome: it is open already", before.reference)));
    }
    let after = crime_row(&tx.query_one(
        &format!("UPDATE crime SET outcome = NULL, outcome_at = NULL, version = version + 1 WHERE id = $1 RETURNING {FIELDS}"),
        args![crime],
    )?)?;
    let record = serde_json::json!({"crime": after, "reason": reason});
    tx.audit(at, actor, "crime", crime, "reopen", Some(json(&before)), Some(json(&record)));
    Ok(after)
}

/// Cancels a crime read at `version`, with its audit entry: the one write behind a
/// cancellation and a cancellation on request.
pub(crate) fn cancel(
    tx: &mut Tx,
    crime: i64,
    version: i64,
    cancellation: &Value,
    actor: &str,
    at: Timestamp,
) -> Result<Crime> {
    let before = lock(tx, crime, version)?;
    if before.status == "cancelled" {
        return Err(StoreError::Refused(format!("crime {} is already cancelled", before.reference)));
    }
    let after = crime_row(&tx.query_one(
        &format!(
            "UPDATE crime SET status = 'cancelled', cancellation = $1, version = version + 1
             WHERE id = $2 RETURNING {FIELDS}"
        ),
        args![cancellation.to_string(), crime],
    )?)?;
    tx.audit(at, actor, "crime", crime, "cancel", Some(json(&before)), Some(json(&after)));
    // A request that came in meanwhile is answered by the same write, not left pending on
    // a cancelled crime.
    tx.execute(
        "UPDATE cancellation_request SET status = 'cancelled', decided_by = $1, decided_at = $2
         WHERE crime = $3 AND status = 'pending'",
        args![actor, at, crime],
    )?;
    Ok(after)
}
