//! The connection layer under every resource of the store: each statement is written once,
//! here in PostgreSQL's placeholder style (`$1`, `$2` …), and run by one of two real drivers,
//! `sqlite` (rusqlite) and `postgres` (the synchronous `postgres` client).
//!
//! Why this shape. Until this layer, every casework statement existed twice, once per store,
//! with its column list and row mapper; the two copies drifted. A statement now lives in its
//! resource's module (`crate::resources`) and sees only [`Conn`]: `execute`, `query` and the
//! [`Dialect`] for the few places where the two databases genuinely differ (row locks, a
//! planner hint SQLite needs because it keeps no statistics, a list of ids bound as one
//! parameter, a lock that serialises writers on a name). Transactions belong to the store
//! ([`Engine`]): SQLite takes the write lock up front (`BEGIN IMMEDIATE`), PostgreSQL runs a
//! write at READ COMMITTED and tries it again when the server undoes it for a deadlock or a
//! serialization failure ([`crate::StoreError::Retry`]).
//!
//! Values cross the boundary as [`Param`] (borrowed, typed, so that PostgreSQL is told each
//! parameter's type and needs no round trip to prepare) and come back as [`Row`]s of
//! [`Value`], read with [`Row::get`] into Rust types; a value of the wrong kind is an error
//! naming its column, never a silent default.

pub(crate) mod postgres;
pub(crate) mod sqlite;

use crate::{Result, StoreError};
use peel_domain::date::{Date, Timestamp};

/// Where the two databases differ, as the fragments a statement splices in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Appended to a `SELECT` of a record a write is about to change. PostgreSQL locks the
    /// row (`NO KEY UPDATE`, so rows that point at it can still be added meanwhile); a SQLite
    /// writer already holds the whole database.
    pub fn lock_rows(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR NO KEY UPDATE",
        }
    }

    /// A join whose order the planner must keep. SQLite has no statistics and would turn some
    /// plans round (`CROSS JOIN` keeps the written order); PostgreSQL chooses well itself.
    pub fn ordered_join(self) -> &'static str {
        match self {
            Dialect::Sqlite => "CROSS JOIN",
            Dialect::Postgres => "JOIN",
        }
    }

    /// `INDEXED BY index` on SQLite, for the same reason as [`Dialect::ordered_join`]; nothing
    /// on PostgreSQL.
    pub fn indexed_by(self, index: &str) -> String {
        match self {
            Dialect::Sqlite => format!(" INDEXED BY {index}"),
            Dialect::Postgres => String::new(),
        }
    }

    /// A list of ids bound as the one parameter `$n` ([`Param::Ints`]), as a table `alias`
    /// with one column `value`.
    pub fn id_list(self, n: usize, alias: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_each(${n}) AS {alias}"),
            Dialect::Postgres => format!("unnest(${n}::bigint[]) AS {alias}(value)"),
        }
    }

    /// The aggregate joining a text column's values with spaces (a person's other names, for
    /// the name index).
    pub fn joined(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => format!("group_concat({column}, ' ')"),
            Dialect::Postgres => format!("string_agg({column}, ' ')"),
        }
    }
}

/// The kind of a parameter, which PostgreSQL is told with it (also for a NULL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Real,
    Text,
    Bool,
    Ints,
    /// Bytes: a column chunk of police.uk records (`crate::street_chunk`).
    Bytes,
}

/// A statement's parameter, borrowed from the caller.
#[derive(Debug, Clone, PartialEq)]
pub enum Param<'a> {
    Null(Kind),
    Int(i64),
    Real(f64),
    Text(&'a str),
    /// Short text made for the statement (a date or a time as the store keeps it), held in
    /// the parameter itself.
    Short(ShortText),
    Bool(bool),
    /// A list of ids, read by the statement through [`Dialect::id_list`].
    Ints(&'a [i64]),
    Bytes(&'a [u8]),
}

/// Text of at most 16 bytes, held inline: a [`Date`] ("YYYY-MM-DD") or a [`Timestamp`]
/// ("YYYY-MM-DDTHH:MM") as a parameter, without an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortText {
    bytes: [u8; 16],
    len: u8,
}

impl ShortText {
    /// `s` if it fits, else `None`.
    pub fn new(s: &str) -> Option<ShortText> {
        let mut bytes = [0u8; 16];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(ShortText { bytes, len: s.len() as u8 })
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len as usize]).expect("copied from a str")
    }

    pub(crate) fn display(v: &impl std::fmt::Display) -> ShortText {
        use std::io::Write;
        let mut bytes = [0u8; 16];
        let mut w = &mut bytes[..];
        write!(w, "{v}").expect("a date or a time fits 16 bytes");
        let len = (16 - w.len()) as u8;
        ShortText { bytes, len }
    }
}

/// What can be a parameter.
pub trait ToParam {
    const KIND: Kind;
    fn to_param(&self) -> Param<'_>;
}

impl ToParam for i64 {
    const KIND: Kind = Kind::Int;
    fn to_param(&self) -> Param<'_> {
        Param::Int(*self)
    }
}

impl ToParam for i32 {
    const KIND: Kind = Kind::Int;
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}

impl ToParam for u8 {
    const KIND: Kind = Kind::Int;
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}

impl ToParam for f64 {
    const KIND: Kind = Kind::Real;
    fn to_param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}

impl ToParam for bool {
    const KIND: Kind = Kind::Bool;
    fn to_param(&self) -> Param<'_> {
        Param::Bool(*self)
    }
}

impl ToParam for str {
    const KIND: Kind = Kind::Text;
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for String {
    const KIND: Kind = Kind::Text;
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

/// Kept as "YYYY-MM-DD".
impl ToParam for Date {
    const KIND: Kind = Kind::Text;
    fn to_param(&self) -> Param<'_> {
        Param::Short(ShortText::display(self))
    }
}

/// Kept as "YYYY-MM-DDTHH:MM".
impl ToParam for Timestamp {
    const KIND: Kind = Kind::Text;
    fn to_param(&self) -> Param<'_> {
        Param::Short(ShortText::display(self))
    }
}

impl ToParam for peel_domain::ContactMethod {
    const KIND: Kind = Kind::Text;
    fn to_param(&self) -> Param<'_> {
        Param::Text(self.word())
    }
}

impl ToParam for peel_domain::role::Role {
    const KIND: Kind = Kind::Text;
    fn to_param(&self) -> Param<'_> {
        Param::Text(self.word())
    }
}

impl ToParam for [i64] {
    const KIND: Kind = Kind::Ints;
    fn to_param(&self) -> Param<'_> {
        Param::Ints(self)
    }
}

impl ToParam for [u8] {
    const KIND: Kind = Kind::Bytes;
    fn to_param(&self) -> Param<'_> {
        Param::Bytes(self)
    }
}

impl ToParam for Vec<u8> {
    const KIND: Kind = Kind::Bytes;
    fn to_param(&self) -> Param<'_> {
        Param::Bytes(self)
    }
}

impl ToParam for Vec<i64> {
    const KIND: Kind = Kind::Ints;
    fn to_param(&self) -> Param<'_> {
        Param::Ints(self)
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    const KIND: Kind = T::KIND;
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}

impl<T: ToParam> ToParam for Option<T> {
    const KIND: Kind = T::KIND;
    fn to_param(&self) -> Param<'_> {
        match self {
            Some(v) => v.to_param(),
            None => Param::Null(T::KIND),
        }
    }
}

/// A statement's parameters: `args![a, b, c]` for `$1`, `$2`, `$3`.
macro_rules! args {
    ($($e:expr),* $(,)?) => {
        &[$($crate::sql::ToParam::to_param(&$e)),*]
    };
}
pub(crate) use args;

/// A value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
    Bytes(Vec<u8>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "an integer",
            Value::Real(_) => "a real number",
            Value::Text(_) => "text",
            Value::Bool(_) => "a boolean",
            Value::Bytes(_) => "bytes",
        }
    }
}

/// One row of a result, its values in the statement's column order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub(crate) Vec<Value>);

impl Row {
    /// Column `i` as a `T`; an error naming the column if it holds something else.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        self.read(i).map_err(|e| StoreError::Invalid(format!("column {i}: {e}")))
    }

    /// Column `i` as text or NULL, borrowed from the row: for scans that look a value up
    /// (a dictionary, a parse) rather than keep it.
    pub fn text(&self, i: usize) -> Result<Option<&str>> {
        match self.0.get(i) {
            Some(Value::Text(t)) => Ok(Some(t)),
            Some(Value::Null) => Ok(None),
            Some(v) => Err(StoreError::Invalid(format!("column {i}: expected text, found {}", v.kind()))),
            None => Err(StoreError::Invalid(format!("column {i}: the row has {} columns", self.0.len()))),
        }
    }

    /// Column `i` as bytes, borrowed (a column chunk is read without a copy).
    pub fn bytes(&self, i: usize) -> Result<&[u8]> {
        match self.0.get(i) {
            Some(Value::Bytes(b)) => Ok(b),
            Some(v) => Err(StoreError::Invalid(format!("column {i}: expected bytes, found {}", v.kind()))),
            None => Err(StoreError::Invalid(format!("column {i}: the row has {} columns", self.0.len()))),
        }
    }

    /// Column `i` as text holding JSON, parsed.
    pub fn json<T: serde::de::DeserializeOwned>(&self, i: usize) -> Result<T> {
        self.read_json(i).map_err(|e| StoreError::Invalid(format!("column {i}: {e}")))
    }

    /// Column `i`, NULL or text holding JSON.
    pub fn json_opt<T: serde::de::DeserializeOwned>(&self, i: usize) -> Result<Option<T>> {
        self.read_json_opt(i).map_err(|e| StoreError::Invalid(format!("column {i}: {e}")))
    }

    /// The row read as a record of `table`, whose columns are `fields` (the statement's
    /// column list) from column `from` on, its key first: an error reading a column names
    /// the table, the record's key and the column ("crime 42: column recorded_at: …"), so a
    /// row that cannot be read is found, not guessed at.
    pub fn record<'r>(&'r self, table: &'static str, fields: &'static str, from: usize) -> Record<'r> {
        Record { row: self, table, fields, from }
    }

    fn read<T: FromValue>(&self, i: usize) -> std::result::Result<T, String> {
        let v = self.0.get(i).ok_or_else(|| format!("the row has {} columns", self.0.len()))?;
        T::from_value(v).ok_or_else(|| format!("expected {}, found {} ({v:?})", T::EXPECTED, v.kind()))
    }

    fn read_json<T: serde::de::DeserializeOwned>(&self, i: usize) -> std::result::Result<T, String> {
        let s: String = self.read(i)?;
        serde_json::from_str(&s).map_err(|e| format!("stored JSON '{s}': {e}"))
    }

    fn read_json_opt<T: serde::de::DeserializeOwned>(&self, i: usize) -> std::result::Result<Option<T>, String> {
        match self.read::<Option<String>>(i)? {
            None => Ok(None),
            Some(s) => serde_json::from_str(&s).map(Some).map_err(|e| format!("stored JSON '{s}': {e}")),
        }
    }
}

/// A row read as one table's record ([`Row::record`]): the same reads as [`Row`], by the
/// row's column numbers, with errors that say which record and which column.
#[derive(Debug, Clone, Copy)]
pub struct Record<'r> {
    row: &'r Row,
    table: &'static str,
    fields: &'static str,
    from: usize,
}

impl Record<'_> {
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        self.row.read(i).map_err(|e| self.error(i, e))
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self, i: usize) -> Result<T> {
        self.row.read_json(i).map_err(|e| self.error(i, e))
    }

    pub fn json_opt<T: serde::de::DeserializeOwned>(&self, i: usize) -> Result<Option<T>> {
        self.row.read_json_opt(i).map_err(|e| self.error(i, e))
    }

    fn error(&self, i: usize, e: String) -> StoreError {
        let key = match self.row.0.get(self.from) {
            Some(Value::Int(id)) => id.to_string(),
            Some(Value::Text(k)) => format!("'{k}'"),
            _ => "?".to_string(),
        };
        let column = i
            .checked_sub(self.from)
            .and_then(|k| self.fields.split(',').nth(k))
            .map_or_else(|| i.to_string(), |name| name.trim().to_string());
        StoreError::Invalid(format!("{} {key}: column {column}: {e}", self.table))
    }
}

/// What a column can be read as.
pub trait FromValue: Sized {
    const EXPECTED: &'static str;
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_value(v: &Value) -> Option<i64> {
        match v {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}

impl FromValue for i32 {
    const EXPECTED: &'static str = "an integer (32-bit)";
    fn from_value(v: &Value) -> Option<i32> {
        i64::from_value(v).and_then(|i| i32::try_from(i).ok())
    }
}

impl FromValue for u32 {
    const EXPECTED: &'static str = "a count (32-bit)";
    fn from_value(v: &Value) -> Option<u32> {
        i64::from_value(v).and_then(|i| u32::try_from(i).ok())
    }
}

impl FromValue for u16 {
    const EXPECTED: &'static str = "a code (0-65535)";
    fn from_value(v: &Value) -> Option<u16> {
        i64::from_value(v).and_then(|i| u16::try_from(i).ok())
    }
}

impl FromValue for u64 {
    const EXPECTED: &'static str = "a count";
    fn from_value(v: &Value) -> Option<u64> {
        i64::from_value(v).and_then(|i| u64::try_from(i).ok())
    }
}

impl FromValue for usize {
    const EXPECTED: &'static str = "a count";
    fn from_value(v: &Value) -> Option<usize> {
        i64::from_value(v).and_then(|i| usize::try_from(i).ok())
    }
}

impl FromValue for u8 {
    const EXPECTED: &'static str = "a small number (0-255)";
    fn from_value(v: &Value) -> Option<u8> {
        i64::from_value(v).and_then(|i| u8::try_from(i).ok())
    }
}

impl FromValue for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_value(v: &Value) -> Option<f64> {
        match v {
            Value::Real(r) => Some(*r),
            // SQLite keeps a REAL column's whole numbers as integers when it can.
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}

impl FromValue for bool {
    const EXPECTED: &'static str = "a boolean";
    fn from_value(v: &Value) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            // SQLite keeps booleans as 0 and 1.
            Value::Int(0) => Some(false),
            Value::Int(1) => Some(true),
            _ => None,
        }
    }
}

impl FromValue for String {
    const EXPECTED: &'static str = "text";
    fn from_value(v: &Value) -> Option<String> {
        match v {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl FromValue for Date {
    const EXPECTED: &'static str = "a date YYYY-MM-DD";
    fn from_value(v: &Value) -> Option<Date> {
        match v {
            Value::Text(s) => Date::parse(s).ok(),
            _ => None,
        }
    }
}

impl FromValue for Timestamp {
    const EXPECTED: &'static str = "a date and time YYYY-MM-DDTHH:MM";
    fn from_value(v: &Value) -> Option<Timestamp> {
        match v {
            Value::Text(s) => Timestamp::parse(s).ok(),
            _ => None,
        }
    }
}

impl FromValue for peel_domain::ContactMethod {
    const EXPECTED: &'static str = "a contact method (phone, visit, letter, email, sms, video)";
    fn from_value(v: &Value) -> Option<peel_domain::ContactMethod> {
        match v {
            Value::Text(s) => peel_domain::ContactMethod::parse(s),
            _ => None,
        }
    }
}

impl FromValue for peel_domain::role::Role {
    const EXPECTED: &'static str =
        "a role (partner, liaison, registrar, officer, supervisor, victim-care, analyst, admin, auditor)";
    fn from_value(v: &Value) -> Option<peel_domain::role::Role> {
        match v {
            Value::Text(s) => peel_domain::role::Role::parse(s),
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_value(v: &Value) -> Option<Option<T>> {
        match v {
            Value::Null => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// A connection, or a transaction on one: what a resource's statements run on.
pub trait Conn {
    fn dialect(&self) -> Dialect;
    /// Runs a statement that returns no rows; how many rows it changed.
    fn execute(&mut self, sql: &str, args: &[Param]) -> Result<u64>;
    /// Runs a statement and reads all its rows.
    fn query(&mut self, sql: &str, args: &[Param]) -> Result<Vec<Row>>;

    /// Runs a statement and hands its rows to `each` one at a time, as they come, in one
    /// reused [`Row`]: for reads of millions of rows (a force's street records), which are
    /// never held whole.
    fn for_each_row(&mut self, sql: &str, args: &[Param], each: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()>;

    /// The first row, if any.
    fn query_opt(&mut self, sql: &str, args: &[Param]) -> Result<Option<Row>> {
        Ok(self.query(sql, args)?.into_iter().next())
    }

    /// The one row a statement must return.
    fn query_one(&mut self, sql: &str, args: &[Param]) -> Result<Row> {
        self.query_opt(sql, args)?.ok_or_else(|| StoreError::Invalid(format!("no row from: {}", first_line(sql))))
    }
}

fn first_line(sql: &str) -> &str {
    sql.trim().lines().next().unwrap_or("")
}

/// The VALUES rows of a multi-row INSERT: `rows` tuples of `columns` placeholders, numbered
/// from `$1` in row order — `($1, $2), ($3, $4)` — or, on SQLite, bare `?`s, which it
/// numbers in the same order (a shorter text to parse and to cache).
pub fn values(dialect: Dialect, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 6);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            match dialect {
                Dialect::Sqlite => sql.push('?'),
                Dialect::Postgres => {
                    let _ = std::fmt::Write::write_fmt(&mut sql, format_args!("${}", r * columns + c + 1));
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// An audit entry made inside a write, appended when the write commits.
pub(crate) struct AuditRow {
    pub(crate) at: Timestamp,
    pub(crate) actor: String,
    pub(crate) entity: String,
    pub(crate) entity_id: i64,
    pub(crate) action: String,
    pub(crate) route: Option<String>,
    pub(crate) before: Option<String>,
    pub(crate) after: Option<String>,
}

/// Entries waiting for the chain: one at a time, or a run of records a bulk load created
/// (one id each, the rest shared), kept as ids so that a load of millions holds 8 bytes an
/// entry until it commits.
pub(crate) enum Pending {
    One(AuditRow),
    Created { at: Timestamp, actor: String, entity: &'static str, action: &'static str, ids: Vec<i64> },
}

/// A write's transaction: its statements, and the audit entries it makes, which are linked
/// into the chain and appended just before it commits (see [`crate::audit`]): a few
/// statements however many entries a write makes.
pub struct Tx<'a> {
    conn: &'a mut dyn Conn,
    audit: Vec<Pending>,
}

impl<'a> Tx<'a> {
    pub(crate) fn new(conn: &'a mut dyn Conn) -> Tx<'a> {
        Tx { conn, audit: Vec::new() }
    }

    /// Records an audit entry of this write.
    #[allow(clippy::too_many_arguments)]
    pub fn audit(
        &mut self,
        at: Timestamp,
        actor: &str,
        entity: &str,
        id: i64,
        action: &str,
        before: Option<String>,
        after: Option<String>,
    ) {
        self.audit.push(Pending::One(AuditRow {
            at,
            actor: actor.to_string(),
            entity: entity.to_string(),
            entity_id: id,
            action: action.to_string(),
            route: None,
            before,
            after,
        }));
    }

    /// Records that `actor` was shown `records` through `route`: one access entry for the
    /// answer. One record is named by the entry itself (entity, id); several are listed in the
    /// entry's `after` (see [`crate::audit`], "Lists") and indexed behind it.
    pub fn audit_access(&mut self, at: Timestamp, actor: &str, action: &str, route: &str, records: &[(&str, i64)]) {
        let (entity, entity_id, after) = match records {
            [] => return,
            [(entity, id)] => (entity.to_string(), *id, None),
            _ => {
                let shown = crate::audit::Shown::of(records);
                (shown.entity().to_string(), 0, Some(shown.to_json()))
            }
        };
        self.audit.push(Pending::One(AuditRow {
            at,
            actor: actor.to_string(),
            entity,
            entity_id,
            action: action.to_string(),
            route: Some(route.to_string()),
            before: None,
            after,
        }));
    }

    /// Records one entry per id of `entity`, all with the same time, actor and action, and no
    /// record copies: a bulk load's entries.
    pub(crate) fn audit_created(
        &mut self,
        at: Timestamp,
        actor: &str,
        entity: &'static str,
        action: &'static str,
        ids: &[i64],
    ) {
        if !ids.is_empty() {
            self.audit.push(Pending::Created { at, actor: actor.to_string(), entity, action, ids: ids.to_vec() });
        }
    }

    /// Links the entries made so far into the chain and appends them; the id of the last one
    /// written, if any. The store calls it just before committing; a write may call it
    /// earlier to learn an entry's id (the bulk load's own entry).
    pub(crate) fn flush_audit(&mut self) -> Result<Option<i64>> {
        let pending = std::mem::take(&mut self.audit);
        crate::resources::audit::append(&mut *self.conn, &pending)
    }

    /// Appends the audit entries made so far; the store calls it just before committing.
    pub(crate) fn finish(&mut self) -> Result<()> {
        self.flush_audit().map(|_| ())
    }
}

impl Conn for Tx<'_> {
    fn dialect(&self) -> Dialect {
        self.conn.dialect()
    }
    fn execute(&mut self, sql: &str, args: &[Param]) -> Result<u64> {
        self.conn.execute(sql, args)
    }
    fn query(&mut self, sql: &str, args: &[Param]) -> Result<Vec<Row>> {
        self.conn.query(sql, args)
    }
    fn for_each_row(&mut self, sql: &str, args: &[Param], each: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        self.conn.for_each_row(sql, args, each)
    }
}

/// How a store runs a resource's statements: a write in one transaction (committed with its
/// audit entries, or not at all), a read of several statements on one snapshot, or a single
/// statement on the connection as it is.
pub trait Engine {
    fn write<T>(&mut self, op: impl FnMut(&mut Tx) -> Result<T>) -> Result<T>;
    fn read<T>(&self, op: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T>;
    fn conn<T>(&self, op: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T>;
    /// `part` run for each of `parts` and their results in order: one after another on this
    /// connection, or, where the engine can open more connections onto the same records (a
    /// SQLite file), each on a reading connection of its own at the same time. For reads
    /// of many rows that split cleanly (a stretch of months each); each part sees the records
    /// as they stand when it starts, so parts must not depend on each other.
    fn read_parts<P: Sync, T: Send>(
        &self,
        parts: &[P],
        part: &(dyn Fn(&mut dyn Conn, &P) -> Result<T> + Sync),
    ) -> Result<Vec<T>> {
        parts.iter().map(|p| self.read(|c| part(c, p))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_of_the_wrong_kind_is_an_error_naming_its_column() {
        let row = Row(vec![Value::Int(3), Value::Text("x".into()), Value::Null, Value::Int(300)]);
        assert_eq!(row.get::<i64>(0).unwrap(), 3);
        let e = row.get::<i64>(1).unwrap_err().to_string();
        assert!(e.contains("column 1") && e.contains("expected an integer") && e.contains("text"), "{e}");
        assert_eq!(row.get::<Option<String>>(2).unwrap(), None);
        assert!(row.get::<String>(2).is_err(), "NULL is not text");
        assert!(row.get::<u8>(3).is_err(), "300 does not fit a right number");
        assert!(row.get::<i64>(9).is_err());
    }

    #[test]
    fn a_record_read_wrong_names_its_table_key_and_column() {
        let row = Row(vec![Value::Text("x".into()), Value::Int(42), Value::Text("2026-13-01T10:00".into())]);
        let r = row.record("crime", "id, recorded_at", 1);
        let e = r.get::<Timestamp>(2).unwrap_err().to_string();
        assert!(
            e.contains("crime 42: column recorded_at: expected a date and time") && e.contains("2026-13-01T10:00"),
            "{e}"
        );
        let e = r.get::<i64>(0).unwrap_err().to_string();
        assert!(e.starts_with("store: crime 42: column 0: expected an integer"), "{e}");
        assert!(row.get::<Date>(2).is_err());
    }

    #[test]
    fn dates_and_times_are_parameters_and_columns_as_the_same_text() {
        let t = Timestamp::parse("2026-01-05T09:30").unwrap();
        let d = Date::parse("2026-01-05").unwrap();
        assert_eq!(t.to_param(), Param::Short(ShortText::new("2026-01-05T09:30").unwrap()));
        assert_eq!(d.to_param(), Param::Short(ShortText::new("2026-01-05").unwrap()));
        assert_eq!(Some(d).to_param(), Param::Short(ShortText::new("2026-01-05").unwrap()));
        assert_eq!(None::<Date>.to_param(), Param::Null(Kind::Text));
        let row = Row(vec![Value::Text("2026-01-05T09:30".into()), Value::Text("2026-01-05".into()), Value::Null]);
        assert_eq!(row.get::<Timestamp>(0).unwrap(), t);
        assert_eq!(row.get::<Date>(1).unwrap(), d);
        assert_eq!(row.get::<Option<Date>>(2).unwrap(), None);
        assert!(row.get::<Date>(0).is_err(), "a time is not a date");
        assert!(row.get::<Timestamp>(1).is_err(), "a date is not a time");
    }

    #[test]
    fn values_are_numbered_in_row_order() {
        assert_eq!(values(Dialect::Postgres, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(values(Dialect::Sqlite, 2, 2), "(?, ?), (?, ?)");
    }

    #[test]
    fn booleans_and_reals_read_from_sqlite_integers() {
        let row = Row(vec![Value::Int(1), Value::Int(0), Value::Int(2), Value::Int(7)]);
        assert!(row.get::<bool>(0).unwrap());
        assert!(!row.get::<bool>(1).unwrap());
        assert!(row.get::<bool>(2).is_err());
        assert_eq!(row.get::<f64>(3).unwrap(), 7.0);
    }
}
