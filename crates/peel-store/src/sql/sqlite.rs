//! The SQLite driver of [`Conn`](super::Conn), over rusqlite.
//!
//! Statements are written with `$1`-style placeholders; SQLite would read `$1` as a *named*
//! parameter, numbered by first appearance, so each `$N` becomes `?N` before it is prepared.
//! Prepared statements are cached per connection (rusqlite's statement cache), keyed by the
//! translated text.

use super::{Conn, Dialect, Engine, Param, Row, Tx, Value};
use crate::{Result, SqliteStore};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior};
use std::borrow::Cow;

/// `$N` placeholders as `?N`, outside quoted text and identifiers.
pub(crate) fn translate(sql: &str) -> Cow<'_, str> {
    if !sql.contains('$') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        match (quote, ch) {
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(ch);
                out.push(ch);
            }
            (None, '$') if chars.peek().is_some_and(char::is_ascii_digit) => out.push('?'),
            (None, c) => out.push(c),
        }
    }
    Cow::Owned(out)
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Param::Null(_) => ToSqlOutput::Borrowed(ValueRef::Null),
            Param::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Param::Real(r) => ToSqlOutput::Borrowed(ValueRef::Real(*r)),
            Param::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Param::Short(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_str().as_bytes())),
            Param::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
            // Read by the statement through json_each (Dialect::id_list).
            Param::Ints(ids) => ToSqlOutput::Owned(rusqlite::types::Value::Text(
                serde_json::to_string(ids).expect("a list of integers is JSON"),
            )),
            Param::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

/// A SQLite connection (or a transaction, which derefs to one) as a [`Conn`].
pub(crate) struct SqliteConn<'a>(pub(crate) &'a Connection);

impl Conn for SqliteConn<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&mut self, sql: &str, args: &[Param]) -> Result<u64> {
        let mut st = self.0.prepare_cached(&translate(sql))?;
        Ok(st.execute(rusqlite::params_from_iter(args.iter()))? as u64)
    }

    fn query(&mut self, sql: &str, args: &[Param]) -> Result<Vec<Row>> {
        let mut out = Vec::new();
        self.for_each_row(sql, args, &mut |r| {
            out.push(r.clone());
            Ok(())
        })?;
        Ok(out)
    }

    fn for_each_row(&mut self, sql: &str, args: &[Param], each: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        let mut st = self.0.prepare_cached(&translate(sql))?;
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
        // One row, its values overwritten in place: a text column reuses the previous row's
        // buffer, so a scan of a million rows does not allocate a string per value.
        let mut row = Row(vec![Value::Null; n]);
        while let Some(r) = rows.next()? {
            for (i, slot) in row.0.iter_mut().enumerate() {
                match r.get_ref(i)? {
                    ValueRef::Null => *slot = Value::Null,
                    ValueRef::Integer(i) => *slot = Value::Int(i),
                    ValueRef::Real(f) => *slot = Value::Real(f),
                    ValueRef::Text(t) => {
                        let t = std::str::from_utf8(t)
                            .map_err(|e| crate::StoreError::Invalid(format!("column {i}: text is not UTF-8: {e}")))?;
                        match slot {
                            Value::Text(buffer) => {
                                buffer.clear();
                                buffer.push_str(t);
                            }
                            _ => *slot = Value::Text(t.to_string()),
                        }
                    }
                    ValueRef::Blob(b) => match slot {
                        Value::Bytes(buffer) => {
                            buffer.clear();
                            buffer.extend_from_slice(b);
                        }
                        _ => *slot = Value::Bytes(b.to_vec()),
                    },
                }
            }
            each(&row)?;
        }
        Ok(())
    }
}

impl Engine for SqliteStore {
    /// Writers take the lock at the start (IMMEDIATE), so two writers queue on the busy
    /// timeout instead of one failing when it tries to upgrade a read lock.
    fn write<T>(&mut self, mut op: impl FnMut(&mut Tx) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = {
            let mut conn = SqliteConn(&tx);
            if let Some(claim) = self.claims.pending() {
                crate::resources::idempotency::claim(&mut conn, claim)?;
            }
            let mut t = Tx::new(&mut conn);
            let out = op(&mut t)?;
            t.finish()?;
            out
        };
        tx.commit()?;
        self.claims.committed();
        Ok(out)
    }

    /// SQLite reads outside a transaction, as the store always has: WAL gives each statement
    /// a consistent view, and the writer never waits for readers.
    fn read<T>(&self, op: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        op(&mut SqliteConn(&self.conn))
    }

    fn conn<T>(&self, op: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        op(&mut SqliteConn(&self.conn))
    }

    /// Two parts or more: each on a read-only connection of its own (a file store; an
    /// in-memory one reads them in turn on this connection), the first on this thread and
    /// each other on a thread of its own. The first too: a reader maps the file into memory
    /// (see [`crate::sqlite::reader`]), where this connection copies every page it has not
    /// cached through a system call, and a command's connection has cached none (the CLI
    /// board paper, median of nine runs: 1.17 s with the first half read here, 1.08 s on a
    /// reader). One part is read here, on a connection whose cache and statements are warm
    /// (a page's month or year; opening a reader reads the schema afresh).
    fn read_parts<P: Sync, T: Send>(
        &self,
        parts: &[P],
        part: &(dyn Fn(&mut dyn Conn, &P) -> Result<T> + Sync),
    ) -> Result<Vec<T>> {
        let path = self.conn.path().filter(|p| !p.is_empty()).map(str::to_string);
        let (Some(path), [first, rest @ ..]) = (path, parts) else {
            return parts.iter().map(|p| self.read(|c| part(c, p))).collect();
        };
        if rest.is_empty() {
            return Ok(vec![self.read(|c| part(c, first))?]);
        }
        std::thread::scope(|scope| {
            let others: Vec<_> = rest
                .iter()
                .map(|p| {
                    let path = path.as_str();
                    scope.spawn(move || -> Result<T> {
                        let conn = crate::sqlite::reader(std::path::Path::new(path))?;
                        part(&mut SqliteConn(&conn), p)
                    })
                })
                .collect();
            // Every thread joined before any error is returned: a panic is an error too.
            let mut out =
                vec![crate::sqlite::reader(std::path::Path::new(&path))
                    .and_then(|conn| part(&mut SqliteConn(&conn), first))];
            for other in others {
                out.push(
                    other
                        .join()
                        .unwrap_or_else(|_| Err(crate::StoreError::Invalid("a reading thread panicked".into()))),
                );
            }
            out.into_iter().collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_sqlites_outside_quotes() {
        assert_eq!(
            translate("SELECT $1, '$2', \"$3\", $10 || 'it''s $4'"),
            "SELECT ?1, '$2', \"$3\", ?10 || 'it''s $4'"
        );
        assert!(matches!(translate("SELECT 1"), Cow::Borrowed(_)));
    }

    #[test]
    fn parameters_bind_by_number_whatever_their_order() {
        let conn = Connection::open_in_memory().unwrap();
        let mut c = SqliteConn(&conn);
        let rows = c.query("SELECT $2, $1, $2 || 'x'", &[Param::Text("a"), Param::Text("b")]).unwrap();
        assert_eq!(rows[0].0, vec![Value::Text("b".into()), Value::Text("a".into()), Value::Text("bx".into())]);
        let ids = [3, 1, 2];
        let rows = c
            .query(&format!("SELECT sum(value) FROM {}", Dialect::Sqlite.id_list(1, "v")), &[Param::Ints(&ids)])
            .unwrap();
        assert_eq!(rows[0].get::<i64>(0).unwrap(), 6);
    }
}
