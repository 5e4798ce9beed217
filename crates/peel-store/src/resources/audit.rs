//! The audit trail: every change, who made it and when, with the record before and after.
//! Entries are made by the writes themselves ([`crate::sql::Tx::audit`]); the trail is
//! append-only (the migrations' triggers refuse UPDATE and DELETE).

use crate::casework::AuditEntry;
use crate::sql::{args, Conn};
use crate::Result;

pub(crate) fn trail(c: &mut dyn Conn, entity: &str, id: i64) -> Result<Vec<AuditEntry>> {
    let rows = c.query(
        "SELECT id, at, actor, entity, entity_id, action, before, after FROM audit_log
         WHERE entity = $1 AND entity_id = $2 ORDER BY id",
        args![entity, id],
    )?;
    rows.iter()
        .map(|row| {
            let r = row.record("audit_log", "id, at, actor, entity, entity_id, action, before, after", 0);
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                entity: r.get(3)?,
                entity_id: r.get(4)?,
                action: r.get(5)?,
                before: r.json_opt(6)?,
                after: r.json_opt(7)?,
            })
        })
        .collect()
}
