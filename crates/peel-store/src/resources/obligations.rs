//! Victims' Code obligations: every entitlement owed to a victim, dated, met by a contact;
//! the worklists of those due.

use super::{count, json, prefixed};
use crate::casework::{
    NewObligation, Obligation, ObligationDue, Scope, Worklist, WorklistOrder, WorklistQuery, WORKLIST_COUNT_CAP,
};
use crate::sql::{args, Conn, Param, Row, ToParam, Tx};
use crate::{Result, StoreError};
use peel_domain::date::{Date, Timestamp};

pub(crate) const FIELDS: &str = "id, crime, person, entitlement, right_no, description, due, met_at, met_by";

pub(crate) fn obligation_row(row: &Row) -> Result<Obligation> {
    let r = row.record("obligation", FIELDS, 0);
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

/// A worklist line: the obligation's columns, then the crime's reference, officer and team
/// and the victim's name; overdue if due before the day `on`.
fn due_row(r: &Row, on: Date) -> Result<ObligationDue> {
    let obligation = obligation_row(r)?;
    let overdue = obligation.due.is_some_and(|d| d.date() < on);
    Ok(ObligationDue {
        obligation,
        crime_reference: r.get(9)?,
        officer: r.get(10)?,
        team: r.get(11)?,
        victim_name: r.get(12)?,
        overdue,
    })
}

/// Obligations per statement when a victim's are inserted together: 4 parameters each,
/// well under both databases' limits.
const ROWS_PER_STATEMENT: usize = 1_000;

/// Inserts what a victim is owed, in few statements; returns them as stored, in their order.
pub(crate) fn insert(
    tx: &mut Tx,
    crime: i64,
    person: i64,
    obligations: &[NewObligation],
    actor: &str,
    at: Timestamp,
) -> Result<Vec<Obligation>> {
    let mut out = Vec::with_capacity(obligations.len());
    for chunk in obligations.chunks(ROWS_PER_STATEMENT) {
        let values = (0..chunk.len())
            .map(|i| {
                let n = 5 * i + 4;
                format!("($1, $2, ${}, ${}, ${}, ${}, ${}, $3)", n, n + 1, n + 2, n + 3, n + 4)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut params: Vec<Param> = vec![crime.to_param(), person.to_param(), at.to_param()];
        for o in chunk {
            params.extend([
                o.entitlement.to_param(),
                o.right_no.to_param(),
                o.description.to_param(),
                o.due.to_param(),
                o.met_at.to_param(),
            ]);
        }
        let rows = tx.query(
            &format!(
                "INSERT INTO obligation (crime, person, entitlement, right_no, description, due, met_at, created_at)
                 VALUES {values} RETURNING {FIELDS}"
            ),
            &params,
        )?;
        // Rows are inserted in the order given, so ids rise in that order; RETURNING's own
        // order is not promised.
        let mut stored = rows.iter().map(obligation_row).collect::<Result<Vec<_>>>()?;
        stored.sort_by_key(|o| o.id);
        if stored.len() != chunk.len() {
            return Err(StoreError::Invalid(format!("{} obligations stored of {}", stored.len(), chunk.len())));
        }
        out.extend(stored);
    }
    for (stored, o) in out.iter().zip(obligations) {
        tx.audit(at, actor, "obligation", stored.id, "create", None, Some(json(o)));
    }
    Ok(out)
}

pub(crate) fn of_crime(c: &mut dyn Conn, crime: i64) -> Result<Vec<Obligation>> {
    let rows = c.query(&format!("SELECT {FIELDS} FROM obligation WHERE crime = $1 ORDER BY id"), args![crime])?;
    rows.iter().map(obligation_row).collect()
}

/// Unmet obligations of recorded crimes due by the end of day `on`, the force's or one
/// officer's.
pub(crate) fn due(c: &mut dyn Conn, on: Date, scope: &Scope) -> Result<Vec<ObligationDue>> {
    // `due` is a date or a date-time; anything up to "<on>T99:99" is due by the end of that
    // day (bytewise: PostgreSQL's columns are COLLATE "C"), and the plain comparison lets the
    // (met_at, due) index serve the range. An officer's or a team's list starts from their
    // crimes instead (crime_officer, crime_team indexes), in an order SQLite's planner,
    // without statistics, would otherwise turn round to scan every unmet obligation of the force.
    let d = c.dialect();
    let columns = prefixed("o", FIELDS);
    let sql = if scope.officer.is_none() && scope.team.is_none() {
        format!(
            "SELECT {columns}, c.reference, c.officer, c.team, p.name
             FROM obligation o JOIN crime c ON c.id = o.crime JOIN person p ON p.id = o.person
             WHERE o.met_at IS NULL AND o.due <= $1 || 'T99:99' AND c.status = 'recorded' AND {whose}
             ORDER BY o.due, o.id",
            whose = scope.condition(2),
        )
    } else {
        format!(
            "SELECT {columns}, c.reference, c.officer, c.team, p.name
             FROM crime c {join} obligation o{index} ON o.crime = c.id JOIN person p ON p.id = o.person
             WHERE {whose} AND c.status = 'recorded' AND o.met_at IS NULL AND o.due <= $1 || 'T99:99'
             ORDER BY o.due, o.id",
            join = d.ordered_join(),
            index = d.indexed_by("obligation_crime"),
            whose = scope.condition(2),
        )
    };
    let rows = c.query(&sql, args![on, scope.officer, scope.team])?;
    rows.iter().map(|r| due_row(r, on)).collect()
}

/// A page of a worklist, with its length counted up to [`WORKLIST_COUNT_CAP`].
pub(crate) fn worklist(c: &mut dyn Conn, q: &WorklistQuery) -> Result<Worklist> {
    // Two plans, spelled out for SQLite, whose planner has no statistics to choose them: an
    // officer's list starts from their crimes (crime_officer index) and looks up each crime's
    // obligations; every other list walks the unmet obligations by due date (obligation_due
    // index) and checks each one's crime, which is what a force-wide or team queue is. One
    // entitlement's queue (the fraud referrals) has a partial index of its own. PostgreSQL
    // gets the same statement without the hints and picks the plan from its statistics. The
    // count runs the same filter under a cap, so it stops early on a long queue.
    let d = c.dialect();
    let from = match (&q.scope.officer, &q.entitlement) {
        (Some(_), _) => {
            format!("crime c {} obligation o{} ON o.crime = c.id", d.ordered_join(), d.indexed_by("obligation_crime"))
        }
        (None, Some(_)) => format!(
            "obligation o{} {} crime c ON c.id = o.crime",
            d.indexed_by("obligation_unmet_entitlement"),
            d.ordered_join()
        ),
        (None, None) => {
            format!("obligation o{} {} crime c ON c.id = o.crime", d.indexed_by("obligation_due"), d.ordered_join())
        }
    };
    // Written out rather than `($4 IS NULL OR …)`, so that the entitlement's index serves it.
    let entitlement = if q.entitlement.is_some() { "o.entitlement = $4" } else { "$4 IS NULL" };
    let filter = format!(
        "o.met_at IS NULL AND o.due <= $1 || 'T99:99' AND c.status = 'recorded' AND {scope}
         AND {entitlement}
         AND (NOT $5 OR EXISTS (SELECT 1 FROM crime_person cp WHERE cp.crime = o.crime AND cp.person = o.person
                                AND cp.role = 'victim' AND cp.enhanced))",
        scope = q.scope.condition(2)
    );
    let total: u64 = c
        .query_one(
            &format!("SELECT count(*) FROM (SELECT 1 FROM {from} WHERE {filter} LIMIT {WORKLIST_COUNT_CAP}) capped"),
            args![q.until, q.scope.officer, q.scope.team, q.entitlement, q.enhanced_only],
        )?
        .get(0)?;
    let rows = c.query(
        &format!(
            "SELECT {}, c.reference, c.officer, c.team, p.name
             FROM {from} JOIN person p ON p.id = o.person
             WHERE {filter} ORDER BY {order} LIMIT $6 OFFSET $7",
            prefixed("o", FIELDS),
            order = match q.order {
                WorklistOrder::OldestDue => "o.due, o.id",
                WorklistOrder::LatestDue => "o.due DESC, o.id DESC",
                // Unallocated last on both stores (their NULLs sort apart).
                WorklistOrder::Officer => "c.officer IS NULL, c.officer, o.due, o.id",
                WorklistOrder::Right => "o.right_no, o.due, o.id",
            }
        ),
        args![
            q.until,
            q.scope.officer,
            q.scope.team,
            q.entitlement,
            q.enhanced_only,
            count(q.limit)?,
            count(q.offset)?
        ],
    )?;
    let on = q.until;
    Ok(Worklist { lines: rows.iter().map(|r| due_row(r, on)).collect::<Result<_>>()?, total })
}
