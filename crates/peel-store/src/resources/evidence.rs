//! Evidence on a crime: CCTV, forensics, statements, with the deadline by which it must be
//! secured.

use super::{json, require};
use crate::casework::{Evidence, NewEvidence};
use crate::sql::{args, Conn, Row, Tx};
use crate::Result;
use peel_domain::date::Timestamp;

pub(crate) fn add(tx: &mut Tx, evidence: &NewEvidence, at: Timestamp) -> Result<Evidence> {
    require(tx, "crime", evidence.crime)?;
    let id: i64 = tx
        .query_one(
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
        .get(0)?;
    tx.audit(at, &evidence.added_by, "evidence", id, "create", None, Some(json(evidence)));
    Ok(Evidence { id, details: evidence.clone() })
}

/// Marks an item of a crime's evidence secured at `secured_at`, once: an item secured already
/// keeps the time it was, and the second marking is refused.
pub(crate) fn secure(
    tx: &mut Tx,
    crime: i64,
    id: i64,
    secured_at: Timestamp,
    actor: &str,
    at: Timestamp,
) -> Result<Evidence> {
    let row = tx
        .query_opt(
            "UPDATE evidence SET secured_at = $1 WHERE id = $2 AND crime = $3 AND secured_at IS NULL
             RETURNING id, crime, kind, description, deadline, secured_at, added_by",
            args![secured_at, id, crime],
        )?
        .ok_or_else(|| {
            crate::StoreError::Refused(format!("evidence {id} is not unsecured evidence on crime {crime}"))
        })?;
    let e = evidence_row(&row)?;
    tx.audit(at, actor, "evidence", id, "secure", None, Some(json(&e.details)));
    Ok(e)
}

fn evidence_row(row: &Row) -> Result<Evidence> {
    let r = row.record("evidence", "id, crime, kind, description, deadline, secured_at, added_by", 0);
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
}

pub(crate) fn of_crime(c: &mut dyn Conn, crime: i64) -> Result<Vec<Evidence>> {
    let rows = c.query(
        "SELECT id, crime, kind, description, deadline, secured_at, added_by FROM evidence WHERE crime = $1 ORDER BY id",
        args![crime],
    )?;
    rows.iter().map(evidence_row).collect()
}
