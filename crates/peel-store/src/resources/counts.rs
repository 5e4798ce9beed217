//! What the casework holds, counted in the database (`peel status`).

use crate::casework::CaseworkCounts;
use crate::sql::{args, Conn};
use crate::Result;

/// One statement, one count per table: each `count(*)` is an index or table scan in the
/// database, never rows carried to Peel.
pub(crate) fn casework(c: &mut dyn Conn) -> Result<CaseworkCounts> {
    let r = c.query_one(
        "SELECT (SELECT count(*) FROM report),
                (SELECT count(*) FROM report WHERE kind = 'intelligence'),
                (SELECT count(*) FROM incident),
                (SELECT count(*) FROM incident WHERE status = 'open'),
                (SELECT count(*) FROM crime),
                (SELECT count(*) FROM crime WHERE status = 'cancelled'),
                (SELECT count(*) FROM crime WHERE status = 'recorded' AND outcome IS NOT NULL),
                (SELECT count(*) FROM person),
                (SELECT count(DISTINCT person) FROM crime_person WHERE role = 'victim'),
                (SELECT count(*) FROM obligation o JOIN crime c ON c.id = o.crime WHERE c.status = 'recorded'),
                (SELECT count(*) FROM obligation o JOIN crime c ON c.id = o.crime
                 WHERE c.status = 'recorded' AND o.met_at IS NOT NULL),
                (SELECT count(*) FROM contact),
                (SELECT count(*) FROM evidence),
                (SELECT count(*) FROM site),
                (SELECT count(*) FROM account),
                (SELECT count(*) FROM audit_log)",
        args![],
    )?;
    Ok(CaseworkCounts {
        reports: r.get(0)?,
        intelligence: r.get(1)?,
        incidents: r.get(2)?,
        incidents_awaiting_decision: r.get(3)?,
        crimes: r.get(4)?,
        cancelled: r.get(5)?,
        with_outcome: r.get(6)?,
        people: r.get(7)?,
        victims: r.get(8)?,
        obligations: r.get(9)?,
        obligations_met: r.get(10)?,
        contacts: r.get(11)?,
        evidence: r.get(12)?,
        sites: r.get(13)?,
        accounts: r.get(14)?,
        audit_entries: r.get(15)?,
    })
}
