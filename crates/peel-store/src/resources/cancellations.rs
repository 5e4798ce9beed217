//! Cancellation requests: an officer asks, a designated decision maker cancels or refuses
//! (Home Office Counting Rules, section on cancelling recorded crime).

use super::{crimes, json, prefixed};
use crate::casework::{CancelRequest, CancelRequestDecision, Crime, NewCancelRequest, PendingCancelRequest};
use crate::sql::{args, Conn, Row, Tx};
use crate::{Result, StoreError};
use peel_domain::date::Timestamp;

const FIELDS: &str = "id, crime, reason, detail, requested_by, requested_at, status, decided_by, decided_at, note";

fn request_row(row: &Row) -> Result<CancelRequest> {
    let r = row.record("cancellation_request", FIELDS, 0);
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

pub(crate) fn request(tx: &mut Tx, request: &NewCancelRequest, version: i64, at: Timestamp) -> Result<CancelRequest> {
    // The crime's lock queues two requesters of one crime, so the second finds the first's request.
    let crime = crimes::lock(tx, request.crime, version)?;
    if crime.status == "cancelled" {
        return Err(StoreError::Refused(format!("crime {} is already cancelled", crime.reference)));
    }
    let pending = tx.query_opt(
        "SELECT id FROM cancellation_request WHERE crime = $1 AND status = 'pending'",
        args![request.crime],
    )?;
    if pending.is_some() {
        return Err(StoreError::Refused(format!(
            "crime {} already has a cancellation request waiting for a decision maker",
            crime.reference
        )));
    }
    let stored = request_row(&tx.query_one(
        &format!(
            "INSERT INTO cancellation_request (crime, reason, detail, requested_by, requested_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING {FIELDS}"
        ),
        args![request.crime, request.reason, request.detail, request.requested_by, at],
    )?)?;
    tx.audit(at, &request.requested_by, "crime", request.crime, "request-cancellation", None, Some(json(&stored)));
    Ok(stored)
}

pub(crate) fn of_crime(c: &mut dyn Conn, crime: i64) -> Result<Vec<CancelRequest>> {
    let rows =
        c.query(&format!("SELECT {FIELDS} FROM cancellation_request WHERE crime = $1 ORDER BY id"), args![crime])?;
    rows.iter().map(request_row).collect()
}

/// Pending requests of crimes still recorded, oldest first. A crime cancelled some other way
/// (through the API) no longer needs its request decided.
pub(crate) fn pending(c: &mut dyn Conn) -> Result<Vec<PendingCancelRequest>> {
    let rows = c.query(
        &format!(
            "SELECT {}, c.reference, c.offence_code, c.team, c.officer
             FROM cancellation_request r JOIN crime c ON c.id = r.crime
             WHERE r.status = 'pending' AND c.status = 'recorded'
             ORDER BY r.requested_at, r.id",
            prefixed("r", FIELDS)
        ),
        args![],
    )?;
    rows.iter()
        .map(|r| {
            Ok(PendingCancelRequest {
                request: request_row(r)?,
                crime_reference: r.get(10)?,
                offence_code: r.get(11)?,
                team: r.get(12)?,
                officer: r.get(13)?,
            })
        })
        .collect()
}

pub(crate) fn decide(
    tx: &mut Tx,
    request: i64,
    decision: &CancelRequestDecision,
    note: &str,
    actor: &str,
    at: Timestamp,
) -> Result<(CancelRequest, Crime)> {
    // Locked, so that two decision makers answering at once are answered in turn and the
    // second finds the request answered.
    let lock = tx.dialect().lock_rows();
    let row = tx
        .query_opt(&format!("SELECT {FIELDS} FROM cancellation_request WHERE id = $1{lock}"), args![request])?
        .ok_or(StoreError::NotFound { entity: "cancellation_request", id: request })?;
    let before = request_row(&row)?;
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
            // The same write as a cancellation, so it reads the same whichever way it came.
            crimes::cancel(tx, crime, *version, cancellation, actor, at)?;
            "cancelled"
        }
        CancelRequestDecision::Refuse => "refused",
    };
    let after = request_row(&tx.query_one(
        &format!(
            "UPDATE cancellation_request SET status = $1, decided_by = $2, decided_at = $3, note = $4
             WHERE id = $5 RETURNING {FIELDS}"
        ),
        args![status, actor, at, note, request],
    )?)?;
    let action = if status == "cancelled" { "grant-cancellation-request" } else { "refuse-cancellation-request" };
    tx.audit(at, actor, "crime", crime, action, Some(json(&before)), Some(json(&after)));
    let crime = crimes::get(tx, crime)?;
    super::tasks::cancellation_decided(tx, &after, &crime, actor, at)?;
    Ok((after, crime))
}
