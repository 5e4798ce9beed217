//! Backups of a whole store, taken while Peel serves from it, and restores of them.
//!
//! One file format for both stores: UTF-8 lines,
//!
//! ```text
//! {"#peel-backup":1,"store":"sqlite","schema_version":14}
//! {"#table":"site","columns":["id","organisation",…]}
//! {"id":1,"organisation":"…",…}                      one JSON object a row
//! …
//! {"#end":true,"tables":31,"rows":52714,"sha256":"…"}
//! ```
//!
//! where `sha256` is over every byte before the end line, so a file cut short or changed is
//! refused whole. Every table the store holds is written (its tables, listed from the
//! database itself, so a migration's new table is never left out), except
//! `schema_migration`, whose version travels in the first line, and the name search index,
//! which is rebuilt from the people restored.
//!
//! Consistent while the server writes: the whole backup is read in one transaction on one
//! snapshot (SQLite: one read transaction in WAL mode, which writers do not block;
//! PostgreSQL: one REPEATABLE READ, READ ONLY transaction).
//!
//! A restore is all or nothing: one write transaction that empties the target (only with
//! `force`; otherwise a target holding any row is refused), inserts every row in an order
//! that keeps each reference after what it references, checks the count and checksum at the
//! end, and only then commits. The database's own triggers (the audit log's append-only
//! guard, and any that compute values on insert) are set aside for the copy, so that rows
//! come back exactly as they were, and put back before the commit. On PostgreSQL the
//! identity sequences are moved past the highest id restored.
//!
//! Each store restores its own kind: the values of the two kinds differ in type (a time is
//! `timestamptz` on PostgreSQL, text on SQLite), so a backup of one is refused by the other,
//! naming both.

use crate::migrations;
use crate::sql::{args, Conn, Dialect, Engine};
use crate::{PostgresStore, Result, SqliteStore, StoreError};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};

/// The format's version, in the first line.
const FORMAT: i64 = 1;
/// Rows inserted per statement on restore.
const ROWS_PER_STATEMENT: usize = 500;

/// What a backup holds, or what a restore put back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub store: &'static str,
    pub schema_version: i64,
    /// Rows per table, by name.
    pub rows: BTreeMap<String, u64>,
}

impl Summary {
    pub fn total_rows(&self) -> u64 {
        self.rows.values().sum()
    }
}

/// A table as the backup reads and writes it.
struct Table {
    name: String,
    columns: Vec<String>,
    /// Columns kept as bytes (SQLite BLOB), written as hex text.
    bytes: BTreeSet<String>,
}

/// Backs up the store `db` names (a SQLite path or a PostgreSQL URL, as `--db` takes) into
/// `out`.
pub fn backup(db: &str, out: &mut dyn Write) -> Result<Summary> {
    if crate::is_postgres_url(db) {
        let store = PostgresStore::open(db)?;
        store.read(|c| dump(c, Dialect::Postgres, out))
    } else {
        let store = SqliteStore::open(std::path::Path::new(db))?;
        store.conn(|c| {
            // One read transaction: every table from the same snapshot.
            c.execute("BEGIN", &[])?;
            let out = dump(c, Dialect::Sqlite, out);
            c.execute("COMMIT", &[])?;
            out
        })
    }
}

/// Restores `input` (a backup) into the store `db` names, which must be empty unless
/// `force` (then everything it holds is replaced). Nothing is changed unless the whole
/// backup is read, checked and written.
/// Tables that a new, empty store already holds a row in, so that they do not make it "not
/// empty": the audit chain's head (migration 0011) and the audit index's cursor (0016),
/// replaced by the backup's.
const BOOKKEEPING: &[&str] = &["audit_head", "audit_shown_cursor"];

pub fn restore(db: &str, input: &mut dyn BufRead, force: bool) -> Result<Summary> {
    let mut ran = false;
    let mut once = |c: &mut dyn Conn| {
        // A write the database undoes is not made again: the input has been read.
        if std::mem::replace(&mut ran, true) {
            return Err(StoreError::Retry("the restore met a concurrent write: run it again".into()));
        }
        if c.dialect() == Dialect::Sqlite {
            // References are checked at the commit, once every table is back.
            c.execute("PRAGMA defer_foreign_keys = ON", &[])?;
        }
        load(c, input, force)
    };
    if crate::is_postgres_url(db) {
        PostgresStore::open(db)?.write(|tx| once(tx))
    } else {
        SqliteStore::open(std::path::Path::new(db))?.write(|tx| once(tx))
    }
}

fn store_name(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgres",
    }
}

fn schema_version(c: &mut dyn Conn) -> Result<i64> {
    c.query_one("SELECT coalesce(max(version), 0) FROM schema_migration", &[])?.get(0)
}

/// The name search index (migration 0019) and, on SQLite, FTS5's own tables under it: derived
/// from `person`, left out of a backup and rebuilt when the restored store is next opened.
const DERIVED_INDEX: &str = "person_words";

/// Every table of the store but `schema_migration` and the derived index, each after the
/// tables it references.
fn tables(c: &mut dyn Conn) -> Result<Vec<Table>> {
    let d = c.dialect();
    let (names, edges, columns) = match d {
        Dialect::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            "SELECT m.name, f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
            "SELECT name, upper(type) = 'BLOB' FROM pragma_table_info($1) ORDER BY cid",
        ),
        Dialect::Postgres => (
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
            "SELECT t.relname::text, r.relname::text FROM pg_constraint k
             JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
             WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace",
            "SELECT column_name::text, false FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        ),
    };
    let names: Vec<String> = c
        .query(names, &[])?
        .iter()
        .map(|r| r.get::<String>(0))
        .filter(|n| !matches!(n, Ok(n) if n == "schema_migration" || n.starts_with(DERIVED_INDEX)))
        .collect::<Result<_>>()?;
    let mut references: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in c.query(edges, &[])? {
        let (from, to): (String, String) = (row.get(0)?, row.get(1)?);
        if from != to {
            references.entry(from).or_default().insert(to);
        }
    }
    // Each table once every table it references is placed (names sorted, so the order is
    // the same from run to run).
    let mut placed: Vec<String> = Vec::new();
    while placed.len() < names.len() {
        let next = names.iter().find(|n| {
            !placed.contains(n)
                && references.get(*n).is_none_or(|refs| refs.iter().all(|r| placed.contains(r) || !names.contains(r)))
        });
        match next {
            Some(n) => placed.push(n.clone()),
            None => return Err(StoreError::Invalid("the tables' references go round in a circle".into())),
        }
    }
    placed
        .into_iter()
        .map(|name| {
            let rows = c.query(columns, args![name])?;
            let mut table = Table { name, columns: Vec::new(), bytes: BTreeSet::new() };
            for r in rows {
                let column: String = r.get(0)?;
                if r.get::<bool>(1)? {
                    table.bytes.insert(column.clone());
                }
                table.columns.push(column);
            }
            Ok(table)
        })
        .collect()
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Every column, first to last: the order rows are written in, so that two backups of the
/// same rows are the same file (and a row referring to an earlier one of its table, by a
/// smaller id, comes after it).
fn order(t: &Table, alias: &str) -> String {
    t.columns.iter().map(|c| format!("{alias}{}", quote(c))).collect::<Vec<_>>().join(", ")
}

/// The statement reading `t`'s rows as one JSON object each, in [`order`].
fn select_rows(d: Dialect, t: &Table) -> String {
    match d {
        Dialect::Sqlite => {
            let pairs: Vec<String> = t
                .columns
                .iter()
                .map(|col| {
                    let value = if t.bytes.contains(col) { format!("hex({})", quote(col)) } else { quote(col) };
                    format!("'{}', {value}", col.replace('\'', "''"))
                })
                .collect();
            format!("SELECT json_object({}) FROM {} ORDER BY {}", pairs.join(", "), quote(&t.name), order(t, ""))
        }
        Dialect::Postgres => {
            format!("SELECT row_to_json(t)::text FROM {} AS t ORDER BY {}", quote(&t.name), order(t, "t."))
        }
    }
}

/// Writes lines and keeps the checksum of what was written.
struct Lines<'a> {
    out: &'a mut dyn Write,
    hash: Sha256,
}

impl Lines<'_> {
    fn line(&mut self, s: &str) -> Result<()> {
        self.hash.update(s.as_bytes());
        self.hash.update(b"\n");
        self.out.write_all(s.as_bytes()).and_then(|_| self.out.write_all(b"\n")).map_err(io)
    }
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Invalid(format!("the backup file: {e}"))
}

fn dump(c: &mut dyn Conn, d: Dialect, out: &mut dyn Write) -> Result<Summary> {
    let version = schema_version(c)?;
    let mut summary = Summary { store: store_name(d), schema_version: version, rows: BTreeMap::new() };
    let mut w = Lines { out, hash: Sha256::new() };
    w.line(
        &serde_json::json!({"#peel-backup": FORMAT, "store": summary.store, "schema_version": version}).to_string(),
    )?;
    let tables = tables(c)?;
    for t in &tables {
        w.line(&serde_json::json!({"#table": t.name, "columns": t.columns}).to_string())?;
        let mut n = 0u64;
        c.for_each_row(&select_rows(d, t), &[], &mut |row| {
            n += 1;
            w.line(&row.get::<String>(0)?)
        })?;
        summary.rows.insert(t.name.clone(), n);
    }
    let sha = hex(&w.hash.clone().finalize());
    let end = serde_json::json!({"#end": true, "tables": tables.len(), "rows": summary.total_rows(), "sha256": sha});
    w.out.write_all(format!("{end}\n").as_bytes()).and_then(|_| w.out.flush()).map_err(io)?;
    Ok(summary)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn refused(what: impl std::fmt::Display) -> StoreError {
    StoreError::Refused(format!("the backup cannot be restored: {what}; the store was not changed"))
}

/// Reads the next line into `line` (without its end); false at the end of the file.
fn next_line(input: &mut dyn BufRead, line: &mut String) -> Result<bool> {
    line.clear();
    let n = input.read_line(line).map_err(|e| refused(format!("reading it: {e}")))?;
    if n == 0 {
        return Ok(false);
    }
    if !line.ends_with('\n') {
        return Err(refused("it ends in the middle of a line (cut short?)"));
    }
    line.pop();
    Ok(true)
}

fn load(c: &mut dyn Conn, input: &mut dyn BufRead, force: bool) -> Result<Summary> {
    let d = c.dialect();
    let mut hash = Sha256::new();
    let mut line = String::new();
    if !next_line(input, &mut line)? || !line.starts_with("{\"#peel-backup\"") {
        return Err(refused("it is not a Peel backup (no peel-backup first line)"));
    }
    let head: serde_json::Value = serde_json::from_str(&line).map_err(|e| refused(format!("line 1: {e}")))?;
    hash.update(line.as_bytes());
    hash.update(b"\n");
    if head["#peel-backup"].as_i64() != Some(FORMAT) {
        return Err(refused(format!("it is in backup format {}, this Peel reads {FORMAT}", head["#peel-backup"])));
    }
    let from = head["store"].as_str().unwrap_or("?");
    if from != store_name(d) {
        return Err(refused(format!(
            "it is a backup of a {from} store and this is a {} store: restore it into a {from} store",
            store_name(d)
        )));
    }
    let version = head["schema_version"].as_i64().unwrap_or(-1);
    let ours = schema_version(c)?;
    if version != ours || ours != migrations::latest() {
        return Err(refused(format!(
            "it was made at schema version {version} and this Peel's store is at {ours}: restore it with the Peel \
             release that made it (whose store is at {version}), then upgrade"
        )));
    }
    let tables: BTreeMap<String, Table> = tables(c)?.into_iter().map(|t| (t.name.clone(), t)).collect();
    let mut held = Vec::new();
    for name in tables.keys().filter(|n| !BOOKKEEPING.contains(&n.as_str())) {
        if c.query_opt(&format!("SELECT 1 FROM {} LIMIT 1", quote(name)), &[])?.is_some() {
            held.push(name.clone());
        }
    }
    let triggers = set_triggers_aside(c)?;
    if !held.is_empty() {
        if !force {
            return Err(refused(format!(
                "the store is not empty ({} hold rows): restore into a new store, or give --force to replace \
                 everything it holds",
                held.join(", ")
            )));
        }
        // The derived name index first (it references person), then the referencing tables
        // before those they reference: reverse of the order the backup wrote them in.
        c.execute(&format!("DELETE FROM {DERIVED_INDEX}"), &[])?;
        let order = self::tables(c)?;
        for t in order.iter().rev() {
            c.execute(&format!("DELETE FROM {}", quote(&t.name)), &[])?;
        }
    } else {
        // An empty store's own bookkeeping row gives way to the backup's.
        for name in BOOKKEEPING.iter().filter(|n| tables.contains_key(**n)) {
            c.execute(&format!("DELETE FROM {}", quote(name)), &[])?;
        }
    }

    let mut summary = Summary { store: store_name(d), schema_version: version, rows: BTreeMap::new() };
    let mut current: Option<&Table> = None;
    let mut batch: Vec<String> = Vec::new();
    let mut line_no = 1u64;
    loop {
        line_no += 1;
        if !next_line(input, &mut line)? {
            return Err(refused("it ends before its end line (cut short?)"));
        }
        if line.starts_with("{\"#end\"") {
            if let Some(t) = current {
                insert(c, t, &batch)?;
            }
            let end: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| refused(format!("line {line_no}: {e}")))?;
            let sha = hex(&hash.clone().finalize());
            if end["sha256"].as_str() != Some(sha.as_str()) {
                return Err(refused("its checksum does not match its contents (changed or damaged)"));
            }
            if end["rows"].as_u64() != Some(summary.total_rows()) {
                return Err(refused(format!(
                    "its end line counts {} rows, it holds {}",
                    end["rows"],
                    summary.total_rows()
                )));
            }
            break;
        }
        hash.update(line.as_bytes());
        hash.update(b"\n");
        if line.starts_with("{\"#table\"") {
            if let Some(t) = current {
                insert(c, t, &batch)?;
                batch.clear();
            }
            let head: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| refused(format!("line {line_no}: {e}")))?;
            let name = head["#table"].as_str().unwrap_or("");
            let t =
                tables.get(name).ok_or_else(|| refused(format!("line {line_no}: this store has no table '{name}'")))?;
            let columns: Vec<&str> =
                head["columns"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
            if columns != t.columns.iter().map(String::as_str).collect::<Vec<_>>() {
                return Err(refused(format!("line {line_no}: table {name}'s columns are not this store's")));
            }
            summary.rows.insert(name.to_string(), 0);
            current = Some(t);
            continue;
        }
        let t = current.ok_or_else(|| refused(format!("line {line_no}: a row before any table")))?;
        if !line.starts_with('{') {
            return Err(refused(format!("line {line_no}: not a row")));
        }
        *summary.rows.get_mut(&t.name).expect("counted from its table line") += 1;
        batch.push(std::mem::take(&mut line));
        if batch.len() == ROWS_PER_STATEMENT {
            insert(c, t, &batch)?;
            batch.clear();
        }
    }
    put_triggers_back(c, triggers)?;
    if d == Dialect::Postgres {
        move_sequences(c)?;
    }
    // The name search index, rebuilt from the people restored, in the same transaction.
    crate::resources::search::catch_up(c)?;
    Ok(summary)
}

/// Inserts rows (JSON objects) into `t` in one statement.
fn insert(c: &mut dyn Conn, t: &Table, rows: &[String]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let array = format!("[{}]", rows.join(","));
    let sql = match c.dialect() {
        Dialect::Sqlite => {
            let columns: Vec<String> = t.columns.iter().map(|col| quote(col)).collect();
            let values: Vec<String> = t
                .columns
                .iter()
                .map(|col| {
                    let v = format!("json_extract(value, '$.{}')", quote(col).replace('\'', "''"));
                    if t.bytes.contains(col) {
                        format!("unhex({v})")
                    } else {
                        v
                    }
                })
                .collect();
            format!(
                "INSERT INTO {} ({}) SELECT {} FROM json_each($1) ORDER BY key",
                quote(&t.name),
                columns.join(", "),
                values.join(", ")
            )
        }
        Dialect::Postgres => format!(
            "INSERT INTO {0} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::{0}, $1::json)",
            quote(&t.name)
        ),
    };
    c.execute(&sql, args![array]).map_err(|e| refused(format!("table {}: {e}", t.name)))?;
    Ok(())
}

/// The triggers set aside for the copy: SQLite's are dropped (and made again from their
/// text), PostgreSQL's user triggers disabled per table; all inside the restore's transaction.
enum Triggers {
    Sqlite(Vec<String>),
    Postgres(Vec<String>),
}

fn set_triggers_aside(c: &mut dyn Conn) -> Result<Triggers> {
    match c.dialect() {
        Dialect::Sqlite => {
            let rows = c.query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'", &[])?;
            let mut texts = Vec::new();
            for r in rows {
                let (name, sql): (String, String) = (r.get(0)?, r.get(1)?);
                c.execute(&format!("DROP TRIGGER {}", quote(&name)), &[])?;
                texts.push(sql);
            }
            Ok(Triggers::Sqlite(texts))
        }
        Dialect::Postgres => {
            let rows = c.query(
                "SELECT DISTINCT c.relname::text FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
                 WHERE NOT g.tgisinternal AND c.relnamespace = current_schema()::regnamespace",
                &[],
            )?;
            let mut tables = Vec::new();
            for r in rows {
                let table: String = r.get(0)?;
                c.execute(&format!("ALTER TABLE {} DISABLE TRIGGER USER", quote(&table)), &[])?;
                tables.push(table);
            }
            Ok(Triggers::Postgres(tables))
        }
    }
}

fn put_triggers_back(c: &mut dyn Conn, triggers: Triggers) -> Result<()> {
    match triggers {
        Triggers::Sqlite(texts) => texts.iter().try_for_each(|sql| c.execute(sql, &[]).map(|_| ())),
        Triggers::Postgres(tables) => tables
            .iter()
            .try_for_each(|t| c.execute(&format!("ALTER TABLE {} ENABLE TRIGGER USER", quote(t)), &[]).map(|_| ())),
    }
}

/// Each identity column's sequence moved past the highest id restored.
fn move_sequences(c: &mut dyn Conn) -> Result<()> {
    let rows = c.query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
        &[],
    )?;
    for r in rows {
        let (table, column): (String, String) = (r.get(0)?, r.get(1)?);
        c.query(
            &format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max({col}) FROM {tab}), 0) + 1, false)",
                col = quote(&column),
                tab = quote(&table)
            ),
            args![quote(&table), column],
        )?;
    }
    Ok(())
}
