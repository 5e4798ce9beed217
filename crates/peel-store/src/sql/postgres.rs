//! The PostgreSQL driver of [`Conn`](super::Conn), over the synchronous `postgres` client.
//!
//! Each statement is prepared once per connection with its parameters' types and kept
//! ([`Statements`]), not parsed and planned again at every call (`query_typed`): at 500
//! API requests a second that planning was what queued the writers (BENCHMARKS.md). A
//! statement of many parameters (a multi-row insert, whose text changes with its row
//! count) still goes unprepared, in one round trip, and is not kept. A foreign key naming a record
//! that does not exist comes back as `NotFound`; a deadlock or serialization failure as
//! `Retry`, on which [`Engine::write`] tries the whole write again.
//!
//! Transactions. Every write is one READ COMMITTED transaction with its audit entries. A
//! write to a versioned record (incident, crime) first reads it with [`Dialect::lock_rows`]
//! (`FOR NO KEY UPDATE`): a second writer of the same record waits there until the first
//! commits, then reads the version the first wrote, and fails with `Conflict` rather than
//! overwrite it. An obligation is met by `UPDATE … WHERE met_at IS NULL`, which READ COMMITTED
//! checks again on the latest row after waiting for a concurrent writer: it is met once.
//! Reads of more than one statement share one snapshot (REPEATABLE READ, READ ONLY).

use super::{Conn, Dialect, Engine, Kind, Param, Row, Tx, Value};
use crate::postgres::describe;
use crate::{PostgresStore, Result, StoreError};
use postgres::error::SqlState;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{GenericClient, IsolationLevel};

/// How many times a write is tried when PostgreSQL undoes it for a deadlock or a
/// serialization failure.
const ATTEMPTS: usize = 5;

fn kind_type(k: Kind) -> Type {
    match k {
        Kind::Int => Type::INT8,
        Kind::Real => Type::FLOAT8,
        Kind::Text => Type::TEXT,
        Kind::Bool => Type::BOOL,
        Kind::Ints => Type::INT8_ARRAY,
        Kind::Bytes => Type::BYTEA,
    }
}

fn param_type(p: &Param) -> Type {
    kind_type(match p {
        Param::Null(k) => *k,
        Param::Int(_) => Kind::Int,
        Param::Real(_) => Kind::Real,
        Param::Text(_) | Param::Short(_) => Kind::Text,
        Param::Bool(_) => Kind::Bool,
        Param::Ints(_) => Kind::Ints,
        Param::Bytes(_) => Kind::Bytes,
    })
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Param::Null(_) => Ok(IsNull::Yes),
            Param::Int(i) => i.to_sql(ty, out),
            Param::Real(r) => r.to_sql(ty, out),
            Param::Text(s) => s.to_sql(ty, out),
            Param::Short(s) => s.as_str().to_sql(ty, out),
            Param::Bool(b) => b.to_sql(ty, out),
            Param::Ints(ids) => ids.to_sql(ty, out),
            Param::Bytes(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// A foreign key naming a record that does not exist, as `NotFound`. PostgreSQL details it
/// as `Key (person)=(99) is not present in table "person".`
fn missing_reference(e: &postgres::Error) -> Option<StoreError> {
    let db = e.as_db_error()?;
    if db.code() != &SqlState::FOREIGN_KEY_VIOLATION {
        return None;
    }
    let detail = db.detail()?;
    let id = detail.split_once(")=(")?.1.split_once(')')?.0.parse().ok()?;
    let table = detail.rsplit_once("table \"")?.1.trim_end_matches(['.', '"']);
    let entity = ["organisation", "site", "person", "report", "incident", "crime", "account"]
        .into_iter()
        .find(|t| *t == table)?;
    Some(StoreError::NotFound { entity, id })
}

fn store_error(e: postgres::Error) -> StoreError {
    if matches!(e.code(), Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE)
    {
        return StoreError::Retry(describe(&e));
    }
    missing_reference(&e).unwrap_or_else(|| e.into())
}

/// The statements prepared on one connection, by their text and their parameters' types
/// (a statement prepared outside a transaction or in one that failed stays prepared: they
/// are not transactional). At most [`Statements::MOST`]: past it all are let go (a statement
/// whose text is built per call would otherwise keep adding).
#[derive(Default)]
pub(crate) struct Statements {
    by_text: std::collections::HashMap<String, Vec<(Vec<Type>, postgres::Statement)>>,
    held: usize,
}

impl Statements {
    const MOST: usize = 1024;
    /// More parameters than this: a one-off, sent unprepared.
    const MOST_PARAMETERS: usize = 32;

    fn get<C: GenericClient>(
        &mut self,
        client: &mut C,
        sql: &str,
        types: &[Type],
    ) -> std::result::Result<postgres::Statement, postgres::Error> {
        if let Some((_, st)) = self.by_text.get(sql).and_then(|v| v.iter().find(|(t, _)| t == types)) {
            return Ok(st.clone());
        }
        if self.held >= Self::MOST {
            self.by_text.clear();
            self.held = 0;
        }
        let st = client.prepare_typed(sql, types)?;
        self.by_text.entry(sql.to_string()).or_default().push((types.to_vec(), st.clone()));
        self.held += 1;
        Ok(st)
    }
}

/// Parameters with their types, for a statement sent unprepared.
fn typed<'p>(args: &'p [Param<'p>]) -> Vec<(&'p (dyn ToSql + Sync), Type)> {
    args.iter().map(|p| (p as &(dyn ToSql + Sync), param_type(p))).collect()
}

/// A PostgreSQL client or transaction as a [`Conn`], with the connection's statements.
pub(crate) struct PgConn<'a, C: GenericClient>(pub(crate) &'a mut C, pub(crate) &'a mut Statements);

impl<C: GenericClient> PgConn<'_, C> {
    /// The statement of `sql` for `args`' types, and `args` as the client takes them.
    fn prepared<'p>(
        &mut self,
        sql: &str,
        args: &'p [Param<'p>],
    ) -> Result<(postgres::Statement, Vec<&'p (dyn ToSql + Sync)>)> {
        let types: Vec<Type> = args.iter().map(param_type).collect();
        let st = self.1.get(self.0, sql, &types).map_err(store_error)?;
        Ok((st, args.iter().map(|p| p as &(dyn ToSql + Sync)).collect()))
    }
}

impl<C: GenericClient> Conn for PgConn<'_, C> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, sql: &str, args: &[Param]) -> Result<u64> {
        if args.len() > Statements::MOST_PARAMETERS {
            return self.0.execute_typed(sql, &typed(args)).map_err(store_error);
        }
        let (st, params) = self.prepared(sql, args)?;
        self.0.execute(&st, &params).map_err(store_error)
    }

    fn query(&mut self, sql: &str, args: &[Param]) -> Result<Vec<Row>> {
        let rows = if args.len() > Statements::MOST_PARAMETERS {
            self.0.query_typed(sql, &typed(args)).map_err(store_error)?
        } else {
            let (st, params) = self.prepared(sql, args)?;
            self.0.query(&st, &params).map_err(store_error)?
        };
        rows.iter().map(read_row).collect()
    }

    fn for_each_row(&mut self, sql: &str, args: &[Param], each: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut rows = if args.len() > Statements::MOST_PARAMETERS {
            self.0.query_typed_raw(sql, typed(args)).map_err(store_error)?
        } else {
            let (st, params) = self.prepared(sql, args)?;
            self.0.query_raw(&st, params).map_err(store_error)?
        };
        while let Some(r) = rows.next().map_err(store_error)? {
            each(&read_row(&r)?)?;
        }
        Ok(())
    }
}

fn read_row(r: &postgres::Row) -> Result<Row> {
    let mut values = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let ty = col.type_();
        let v = if *ty == Type::INT8 {
            r.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *ty == Type::INT4 {
            r.try_get::<_, Option<i32>>(i)?.map(|v| Value::Int(v.into()))
        } else if *ty == Type::INT2 {
            r.try_get::<_, Option<i16>>(i)?.map(|v| Value::Int(v.into()))
        } else if *ty == Type::FLOAT8 {
            r.try_get::<_, Option<f64>>(i)?.map(Value::Real)
        } else if *ty == Type::FLOAT4 {
            r.try_get::<_, Option<f32>>(i)?.map(|v| Value::Real(v.into()))
        } else if *ty == Type::BOOL {
            r.try_get::<_, Option<bool>>(i)?.map(Value::Bool)
        } else if [Type::TEXT, Type::VARCHAR, Type::NAME, Type::BPCHAR].contains(ty) {
            r.try_get::<_, Option<String>>(i)?.map(Value::Text)
        } else if *ty == Type::BYTEA {
            r.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Bytes)
        } else {
            return Err(StoreError::Invalid(format!(
                "column {i} ({}): type {ty} is not read by the store",
                col.name()
            )));
        };
        values.push(v.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

impl Engine for PostgresStore {
    /// Runs `op` in one READ COMMITTED transaction and commits it; an attempt PostgreSQL
    /// undoes for a deadlock or a serialization failure is made again from the start.
    fn write<T>(&mut self, mut op: impl FnMut(&mut Tx) -> Result<T>) -> Result<T> {
        let client = self.client.get_mut();
        let statements = self.statements.get_mut();
        let claims = &mut self.claims;
        let mut attempt = 1;
        loop {
            let result = (|| -> Result<T> {
                let mut tx = client
                    .build_transaction()
                    .isolation_level(IsolationLevel::ReadCommitted)
                    .start()
                    .map_err(store_error)?;
                let out = {
                    let mut conn = PgConn(&mut tx, statements);
                    if let Some(claim) = claims.pending() {
                        crate::resources::idempotency::claim(&mut conn, claim)?;
                    }
                    let mut t = Tx::new(&mut conn);
                    let out = op(&mut t)?;
                    t.finish()?;
                    out
                };
                tx.commit().map_err(store_error)?;
                claims.committed();
                Ok(out)
            })();
            match result {
                Err(StoreError::Retry(_)) if attempt < ATTEMPTS => attempt += 1,
                other => return other,
            }
        }
    }

    fn read<T>(&self, op: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        let mut client = self.client.borrow_mut();
        let mut statements = self.statements.borrow_mut();
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(store_error)?;
        let out = op(&mut PgConn(&mut tx, &mut statements))?;
        tx.commit().map_err(store_error)?;
        Ok(out)
    }

    fn conn<T>(&self, op: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        op(&mut PgConn(&mut *self.client.borrow_mut(), &mut self.statements.borrow_mut()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::args;

    /// A statement run again and again is prepared once on its connection (PostgreSQL lists
    /// a connection's named prepared statements in `pg_prepared_statements`; a statement
    /// parsed at every call, as before, is never there).
    #[test]
    fn a_statement_is_prepared_once_per_connection() {
        let url = std::env::var("PEEL_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let schema = format!("peel_statements_{}", std::process::id());
        struct DropSchema(String, String);
        impl Drop for DropSchema {
            fn drop(&mut self) {
                let _ = PostgresStore::drop_schema(&self.0, &self.1);
            }
        }
        let _guard = DropSchema(url.clone(), schema.clone());
        let store = PostgresStore::open_in_schema(&url, &schema)
            .unwrap_or_else(|e| panic!("PostgreSQL at {url} (bash .ci/run starts it): {e}"));
        let sql = "SELECT $1::bigint + 1";
        for i in 0..3i64 {
            let n: i64 = store.read(|c| c.query_one(sql, args![i])?.get(0)).unwrap();
            assert_eq!(n, i + 1);
        }
        let held: i64 = store
            .conn(|c| {
                c.query_one("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", args![sql])?.get(0)
            })
            .unwrap();
        assert_eq!(held, 1);
        // A statement of many parameters (a multi-row insert) runs unprepared and is not kept.
        let many = format!("SELECT {}", (1..=40).map(|i| format!("${i}::bigint")).collect::<Vec<_>>().join(" + "));
        let ones: Vec<crate::sql::Param> = (0..40).map(|_| crate::sql::Param::Int(1)).collect();
        let n: i64 = store.read(|c| c.query_one(&many, &ones)?.get(0)).unwrap();
        assert_eq!(n, 40);
        let kept: i64 = store
            .conn(|c| {
                c.query_one("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", args![many])?.get(0)
            })
            .unwrap();
        assert_eq!(kept, 0);
    }
}
