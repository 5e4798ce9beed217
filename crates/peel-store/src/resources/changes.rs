//! Flags, reclassifications and links (issue 10 §3, migration 0022).

use super::crimes::{crime_row, lock, FIELDS as CRIME_FIELDS};
use super::{json, require};
use crate::casework::Crime;
use crate::changes::*;
use crate::sql::{args, Conn, Row, Tx};
use crate::{Result, StoreError};
use peel_domain::date::Timestamp;
use peel_domain::notification::Event;

pub(crate) fn set_flags(
    tx: &mut Tx,
    crime: i64,
    version: i64,
    flags: &[String],
    actor: &str,
    at: Timestamp,
) -> Result<Crime> {
    for f in flags {
        peel_domain::flags::check(f).map_err(|e| StoreError::Invalid(format!("{}: {}", e.field, e.message)))?;
    }
    let before = lock(tx, crime, version)?;
    if before.status != "recorded" {
        return Err(StoreError::Refused(format!(
            "crime {} is cancelled: its flags stay as they were",
            before.reference
        )));
    }
    let mut flags = flags.to_vec();
    flags.sort();
    flags.dedup();
    let after = crime_row(&tx.query_one(
        &format!("UPDATE crime SET flags = $1, version = version + 1 WHERE id = $2 RETURNING {CRIME_FIELDS}"),
        args![json(&flags), crime],
    )?)?;
    tx.audit(at, actor, "crime", crime, "flags", Some(json(&before.flags)), Some(json(&after.flags)));
    Ok(after)
}

const RECLASS: &str = "r.id, r.crime, r.to_code, r.reason, r.detail, r.requested_by, r.from_code, c.reference,
    r.requested_at, r.status, r.decided_by, r.decided_at, r.note";

fn reclass_row(r: &Row) -> Result<Reclassification> {
    Ok(Reclassification {
        id: r.get(0)?,
        details: NewReclassification {
            crime: r.get(1)?,
            to_code: r.get(2)?,
            reason: r.get(3)?,
            detail: r.get(4)?,
            requested_by: r.get(5)?,
        },
        from_code: r.get(6)?,
        crime_reference: r.get(7)?,
        requested_at: r.get(8)?,
        status: r.get(9)?,
        decided_by: r.get(10)?,
        decided_at: r.get(11)?,
        note: r.get(12)?,
    })
}

fn reclassifications_where(c: &mut dyn Conn, condition: &str, key: crate::sql::Param) -> Result<Vec<Reclassification>> {
    let rows = c.query(
        &format!(
            "SELECT {RECLASS} FROM reclassification r JOIN crime c ON c.id = r.crime WHERE {condition}
             ORDER BY r.requested_at, r.id"
        ),
        &[key],
    )?;
    rows.iter().map(reclass_row).collect()
}

pub(crate) fn of_crime(c: &mut dyn Conn, crime: i64) -> Result<Vec<Reclassification>> {
    use crate::sql::ToParam;
    reclassifications_where(c, "r.crime = $1", crime.to_param())
}

pub(crate) fn pending(c: &mut dyn Conn) -> Result<Vec<Reclassification>> {
    use crate::sql::ToParam;
    reclassifications_where(c, "r.status = $1 AND c.status = 'recorded'", "pending".to_param())
}

fn reclassification(c: &mut dyn Conn, id: i64) -> Result<Reclassification> {
    use crate::sql::ToParam;
    reclassifications_where(c, "r.id = $1", id.to_param())?
        .pop()
        .ok_or(StoreError::NotFound { entity: "reclassification", id })
}

pub(crate) fn request(tx: &mut Tx, r: &NewReclassification, version: i64, at: Timestamp) -> Result<Reclassification> {
    let crime = lock(tx, r.crime, version)?;
    if crime.status != "recorded" {
        return Err(StoreError::Refused(format!("crime {} is cancelled: it is not reclassified", crime.reference)));
    }
    if crime.offence_code == r.to_code {
        return Err(StoreError::Invalid(format!("to_code: the crime is {} already", r.to_code)));
    }
    if tx.query_opt("SELECT 1 FROM reclassification WHERE crime = $1 AND status = 'pending'", args![r.crime])?.is_some()
    {
        return Err(StoreError::Refused(format!(
            "a reclassification of {} is waiting for the registrar already",
            crime.reference
        )));
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO reclassification (crime, from_code, to_code, reason, detail, requested_by, requested_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            args![r.crime, crime.offence_code, r.to_code, r.reason, r.detail, r.requested_by, at],
        )?
        .get(0)?;
    let made = reclassification(tx, id)?;
    tx.audit(at, &r.requested_by, "crime", r.crime, "request-reclassification", None, Some(json(&made)));
    Ok(made)
}

pub(crate) fn decide(
    tx: &mut Tx,
    id: i64,
    approve: bool,
    note: &str,
    actor: &str,
    at: Timestamp,
) -> Result<(Reclassification, Crime)> {
    let lock_rows = tx.dialect().lock_rows();
    tx.query_opt(&format!("SELECT id FROM reclassification WHERE id = $1{lock_rows}"), args![id])?
        .ok_or(StoreError::NotFound { entity: "reclassification", id })?;
    let before = reclassification(tx, id)?;
    if before.status != "pending" {
        return Err(StoreError::Refused(format!(
            "this reclassification was {} already by {}",
            before.status,
            before.decided_by.as_deref().unwrap_or("someone else")
        )));
    }
    let crime = super::crimes::get(tx, before.details.crime)?;
    if approve && crime.status != "recorded" {
        return Err(StoreError::Refused(format!("{} is cancelled: it is not reclassified", crime.reference)));
    }
    let crime = if approve {
        if crime.offence_code != before.from_code {
            return Err(StoreError::Refused(format!(
                "{} is {} now, not {} as when this was asked: ask again",
                crime.reference, crime.offence_code, before.from_code
            )));
        }
        let locked = lock(tx, crime.id, crime.version)?;
        let after = crime_row(&tx.query_one(
            &format!(
                "UPDATE crime SET offence_code = $1, version = version + 1 WHERE id = $2 RETURNING {CRIME_FIELDS}"
            ),
            args![before.details.to_code, crime.id],
        )?)?;
        let record =
            serde_json::json!({"crime": after, "reason": before.details.reason, "detail": before.details.detail});
        tx.audit(at, actor, "crime", crime.id, "reclassify", Some(json(&locked)), Some(json(&record)));
        after
    } else {
        crime
    };
    let status = if approve { "approved" } else { "refused" };
    tx.execute(
        "UPDATE reclassification SET status = $1, decided_by = $2, decided_at = $3, note = $4 WHERE id = $5",
        args![status, actor, at, note, id],
    )?;
    let after = reclassification(tx, id)?;
    tx.audit(
        at,
        actor,
        "crime",
        crime.id,
        &format!("{status}-reclassification"),
        Some(json(&before)),
        Some(json(&after)),
    );
    if before.details.requested_by != actor {
        let by = super::tasks::who(tx, actor)?;
        let event = Event::ReclassificationDecided {
            crime: &crime.reference,
            to: &before.details.to_code,
            approved: approve,
            by: &by,
        };
        let link = format!("/crimes/{}", crime.reference);
        super::tasks::notify(
            tx,
            &before.details.requested_by,
            &event,
            &format!("reclassification:{id}"),
            Some(&link),
            at,
        )?;
    }
    Ok((after, crime))
}

pub(crate) fn link(
    tx: &mut Tx,
    crime: i64,
    other: i64,
    kind: &str,
    note: Option<&str>,
    actor: &str,
    at: Timestamp,
) -> Result<CrimeLink> {
    if crime == other {
        return Err(StoreError::Invalid("other: a crime is not linked to itself".into()));
    }
    if !peel_domain::recording::LINK_KINDS.iter().any(|(k, _)| *k == kind) {
        return Err(StoreError::Invalid(format!(
            "kind: {kind:?} is not a kind of link (series, duplicate, same-offender)"
        )));
    }
    require(tx, "crime", crime)?;
    require(tx, "crime", other)?;
    let (low, high) = (crime.min(other), crime.max(other));
    if tx
        .query_opt(
            "SELECT 1 FROM crime_link WHERE low = $1 AND high = $2 AND kind = $3 AND removed_at IS NULL",
            args![low, high, kind],
        )?
        .is_some()
    {
        return Err(StoreError::Refused("These crimes are linked so already.".into()));
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let id: i64 = tx
        .query_one(
            "INSERT INTO crime_link (low, high, kind, note, linked_by, linked_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            args![low, high, kind, note, actor, at],
        )?
        .get(0)?;
    for (a, b) in [(crime, other), (other, crime)] {
        tx.audit(
            at,
            actor,
            "crime",
            a,
            "link",
            None,
            Some(json(&serde_json::json!({"link": id, "with": b, "kind": kind}))),
        );
    }
    links(tx, crime)?.into_iter().find(|l| l.id == id).ok_or(StoreError::NotFound { entity: "crime link", id })
}

pub(crate) fn unlink(tx: &mut Tx, link: i64, actor: &str, at: Timestamp) -> Result<()> {
    let row = tx
        .query_opt("SELECT low, high, removed_at FROM crime_link WHERE id = $1", args![link])?
        .ok_or(StoreError::NotFound { entity: "crime link", id: link })?;
    let (low, high, removed): (i64, i64, Option<Timestamp>) = (row.get(0)?, row.get(1)?, row.get(2)?);
    if removed.is_some() {
        return Err(StoreError::Refused("This link was removed already.".into()));
    }
    tx.execute("UPDATE crime_link SET removed_by = $1, removed_at = $2 WHERE id = $3", args![actor, at, link])?;
    for c in [low, high] {
        tx.audit(at, actor, "crime", c, "unlink", None, Some(json(&link)));
    }
    Ok(())
}

pub(crate) fn links(c: &mut dyn Conn, crime: i64) -> Result<Vec<CrimeLink>> {
    let rows = c.query(
        "SELECT l.id, l.kind, l.note, o.id, o.reference, l.linked_by, l.linked_at
         FROM crime_link l JOIN crime o ON o.id = CASE WHEN l.low = $1 THEN l.high ELSE l.low END
         WHERE (l.low = $1 OR l.high = $1) AND l.removed_at IS NULL ORDER BY l.linked_at DESC, l.id DESC",
        args![crime],
    )?;
    rows.iter()
        .map(|r| {
            Ok(CrimeLink {
                id: r.get(0)?,
                kind: r.get(1)?,
                note: r.get(2)?,
                other: r.get(3)?,
                other_reference: r.get(4)?,
                linked_by: r.get(5)?,
                linked_at: r.get(6)?,
            })
        })
        .collect()
}

/// The most crimes a series is followed to: a series of thousands is a data problem, and the
/// page must still answer.
const SERIES_CAP: usize = 1000;

pub(crate) fn series(c: &mut dyn Conn, crime: i64) -> Result<Vec<i64>> {
    let mut seen = vec![crime];
    let mut next = vec![crime];
    while let Some(at) = next.pop() {
        for l in links(c, at)? {
            if !seen.contains(&l.other) && seen.len() < SERIES_CAP {
                seen.push(l.other);
                next.push(l.other);
            }
        }
    }
    seen.sort_unstable();
    Ok(seen)
}
