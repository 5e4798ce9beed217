//! Contacts with a victim: a call, a visit, a letter; each may meet obligations.

use super::{json, require};
use crate::casework::{Contact, NewContact};
use crate::sql::{args, Conn, Tx};
use crate::{Result, StoreError};

pub(crate) fn log(tx: &mut Tx, contact: &NewContact, actor: &str) -> Result<Contact> {
    require(tx, "crime", contact.crime)?;
    require(tx, "person", contact.person)?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO contact (crime, person, at, method, by_whom, notes) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            args![contact.crime, contact.person, contact.at, contact.method, contact.by_whom, contact.notes],
        )?
        .get(0)?;
    if contact.meets.len() > 1 {
        // Lock the obligations to meet in one order, whatever order the contact names them
        // in: two contacts meeting the same ones then queue instead of deadlocking. (On
        // SQLite the writer holds the database already and this reads them alone.)
        let sql = format!(
            "SELECT id FROM obligation WHERE id IN (SELECT l.value FROM {}) ORDER BY id{}",
            tx.dialect().id_list(1, "l"),
            tx.dialect().lock_rows()
        );
        tx.query(&sql, args![contact.meets])?;
    }
    for &o in &contact.meets {
        // Only an open obligation of this crime and person can be met, and only once.
        let n = tx.execute(
            "UPDATE obligation SET met_at = $1, met_by = $2
             WHERE id = $3 AND crime = $4 AND person = $5 AND met_at IS NULL",
            args![contact.at, id, o, contact.crime, contact.person],
        )?;
        if n == 0 {
            return Err(StoreError::Refused(format!(
                "obligation {o} is not an open obligation to person {} on crime {}",
                contact.person, contact.crime
            )));
        }
        tx.audit(contact.at, actor, "obligation", o, "met", None, Some(json(&id)));
    }
    tx.audit(contact.at, actor, "contact", id, "create", None, Some(json(contact)));
    Ok(Contact { id, details: contact.clone() })
}

/// A crime's contacts in time order; which obligations each met is filled in by the caller.
pub(crate) fn of_crime(c: &mut dyn Conn, crime: i64) -> Result<Vec<Contact>> {
    let rows = c.query(
        "SELECT id, crime, person, at, method, by_whom, notes FROM contact WHERE crime = $1 ORDER BY at, id",
        args![crime],
    )?;
    rows.iter()
        .map(|row| {
            let r = row.record("contact", "id, crime, person, at, method, by_whom, notes", 0);
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
        })
        .collect()
}
