//! The audit trail: every change and every read of a record, who and when, chained (see
//! [`crate::audit`] for what is logged, the encoding and the chain). Entries are made by the
//! writes themselves ([`crate::sql::Tx::audit`]) and by the access log; they reach the table
//! only through [`append`], which links them. The trail is append-only (the migrations'
//! triggers refuse UPDATE and DELETE).

use crate::audit::{AuditQuery, AuditRecord, Break, ChainBreak, ChainReport, RecordRef};
use crate::casework::AuditEntry;
use crate::sql::{args, values, Conn, Dialect, Param, Pending, Row, ShortText, ToParam, Value};
use crate::{Result, StoreError};
use sha2::{Digest, Sha256};

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

/// The encoding's leading tag: a later encoding gets another.
const TAG: &[u8; 12] = b"peel-audit/1";

/// One entry's fields as the chain encodes them (see [`crate::audit`]).
pub(crate) struct Link<'a> {
    pub id: i64,
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    pub action: &'a str,
    pub route: Option<&'a str>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

fn put_int(h: &mut Sha256, v: i64) {
    h.update(b"i");
    h.update(v.to_be_bytes());
}

fn put_text(h: &mut Sha256, v: Option<&str>) {
    match v {
        None => h.update(b"n"),
        Some(s) => {
            h.update(b"t");
            // An entry's text is far below 4 GiB (a request body is capped at 2 MB).
            h.update((s.len() as u32).to_be_bytes());
            h.update(s.as_bytes());
        }
    }
}

/// hash(n) = SHA-256(hash(n-1) ‖ encode(entry n)).
pub(crate) fn link(prev: &[u8; 32], e: &Link) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(TAG);
    put_int(&mut h, e.id);
    put_int(&mut h, e.seq);
    put_text(&mut h, Some(e.at));
    put_text(&mut h, Some(e.actor));
    put_text(&mut h, Some(e.entity));
    put_int(&mut h, e.entity_id);
    put_text(&mut h, Some(e.action));
    put_text(&mut h, e.route);
    put_text(&mut h, e.before);
    put_text(&mut h, e.after);
    h.finalize().into()
}

pub(crate) fn hex(bytes: &[u8; 32]) -> String {
    let mut s = String::with_capacity(64);
    for b in bytes {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    s
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in b.chunks(2).enumerate() {
        let d = |c: u8| (c as char).to_digit(16).map(|v| v as u8);
        out[i] = d(pair[0])? << 4 | d(pair[1])?;
    }
    Some(out)
}

/// An entry waiting to be linked, borrowed from [`Pending`].
struct Entry<'a> {
    at: ShortText,
    actor: &'a str,
    entity: &'a str,
    entity_id: i64,
    action: &'a str,
    route: Option<&'a str>,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

fn entries(pending: &[Pending]) -> impl Iterator<Item = Entry<'_>> {
    pending.iter().flat_map(|p| -> Box<dyn Iterator<Item = Entry<'_>> + '_> {
        match p {
            Pending::One(a) => Box::new(std::iter::once(Entry {
                at: ShortText::display(&a.at),
                actor: &a.actor,
                entity: &a.entity,
                entity_id: a.entity_id,
                action: &a.action,
                route: a.route.as_deref(),
                before: a.before.as_deref(),
                after: a.after.as_deref(),
            })),
            Pending::Created { at, actor, entity, action, ids } => {
                let at = ShortText::display(at);
                Box::new(ids.iter().map(move |&id| Entry {
                    at,
                    actor,
                    entity,
                    entity_id: id,
                    action,
                    route: None,
                    before: None,
                    after: None,
                }))
            }
        }
    })
}

const COLUMNS: usize = 11;

/// Links `pending` into the chain after its head and appends it, in the caller's
/// transaction; the last entry's id.
pub(crate) fn append(c: &mut dyn Conn, pending: &[Pending]) -> Result<Option<i64>> {
    let total: usize = pending
        .iter()
        .map(|p| match p {
            Pending::One(_) => 1,
            Pending::Created { ids, .. } => ids.len(),
        })
        .sum();
    if total == 0 {
        return Ok(None);
    }
    let d = c.dialect();
    // The head first: on PostgreSQL the row lock queues every other appender here until this
    // transaction ends, so ids and links are given in one order.
    let lock = if d == Dialect::Postgres { " FOR UPDATE" } else { "" };
    let head = c.query_one(&format!("SELECT seq, hash FROM audit_head WHERE one = 1{lock}"), &[])?;
    let mut seq: i64 = head.get(0)?;
    let hash: String = head.get(1)?;
    let mut prev =
        unhex(&hash).ok_or_else(|| StoreError::Invalid(format!("audit_head: hash '{hash}' is not a hash")))?;
    let per_statement = match d {
        Dialect::Sqlite => 100,
        Dialect::Postgres => 1_000,
    };
    let mut next_id = match d {
        Dialect::Sqlite => c.query_one("SELECT coalesce(max(id), 0) FROM audit_log", &[])?.get::<i64>(0)? + 1,
        Dialect::Postgres => 0,
    };
    let mut last = None;
    let mut it = entries(pending).peekable();
    let mut chunk: Vec<Entry> = Vec::with_capacity(per_statement.min(total));
    let mut full_sql: Option<String> = None;
    while it.peek().is_some() {
        chunk.clear();
        chunk.extend(it.by_ref().take(per_statement));
        let ids: Vec<i64> = match d {
            Dialect::Sqlite => {
                let ids = (next_id..next_id + chunk.len() as i64).collect();
                next_id += chunk.len() as i64;
                ids
            }
            // Drawn while holding the head, so they rise with the chain.
            Dialect::Postgres => {
                let mut ids = c
                    .query(
                        "SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) FROM generate_series(1, $1)",
                        args![chunk.len() as i64],
                    )?
                    .iter()
                    .map(|r| r.get::<i64>(0))
                    .collect::<Result<Vec<_>>>()?;
                ids.sort_unstable();
                ids
            }
        };
        let mut seqs = Vec::with_capacity(chunk.len());
        let mut hashes = Vec::with_capacity(chunk.len());
        for (e, &id) in chunk.iter().zip(&ids) {
            seq += 1;
            prev = link(
                &prev,
                &Link {
                    id,
                    seq,
                    at: e.at.as_str(),
                    actor: e.actor,
                    entity: e.entity,
                    entity_id: e.entity_id,
                    action: e.action,
                    route: e.route,
                    before: e.before,
                    after: e.after,
                },
            );
            seqs.push(seq);
            hashes.push(hex(&prev));
        }
        let mut params: Vec<Param> = Vec::with_capacity(chunk.len() * COLUMNS);
        for (i, e) in chunk.iter().enumerate() {
            params.push(Param::Int(ids[i]));
            params.push(Param::Int(seqs[i]));
            params.push(Param::Short(e.at));
            params.push(Param::Text(e.actor));
            params.push(Param::Text(e.entity));
            params.push(Param::Int(e.entity_id));
            params.push(Param::Text(e.action));
            params.push(e.route.to_param());
            params.push(e.before.to_param());
            params.push(e.after.to_param());
            params.push(Param::Text(&hashes[i]));
        }
        let sql_for = |rows: usize| {
            let overriding = if d == Dialect::Postgres { " OVERRIDING SYSTEM VALUE" } else { "" };
            format!(
                "INSERT INTO audit_log (id, seq, at, actor, entity, entity_id, action, route, before, after, hash){overriding} VALUES {}",
                values(d, rows, COLUMNS)
            )
        };
        if chunk.len() == per_statement {
            let sql = full_sql.get_or_insert_with(|| sql_for(per_statement));
            c.execute(sql, &params)?;
        } else {
            c.execute(&sql_for(chunk.len()), &params)?;
        }
        last = ids.last().copied();
    }
    c.execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE one = 1", args![seq, hex(&prev)])?;
    Ok(last)
}

/// The record a reference names; else the people of that name.
pub(crate) fn resolve(c: &mut dyn Conn, reference: &str) -> Result<Option<RecordRef>> {
    let reference = reference.trim();
    let table = match reference.get(..4).map(str::to_ascii_uppercase).as_deref() {
        Some("CRM-") => Some("crime"),
        Some("RPT-") => Some("report"),
        Some("INC-") => Some("incident"),
        _ => None,
    };
    let ids = |rows: Vec<Row>| rows.iter().map(|r| r.get::<i64>(0)).collect::<Result<Vec<i64>>>();
    let records = match table {
        Some(t) => {
            let found = ids(
                c.query(&format!("SELECT id FROM {t} WHERE reference = $1"), args![reference.to_ascii_uppercase()])?
            )?;
            vec![(t, found)]
        }
        None => {
            let people =
                ids(c.query("SELECT id FROM person WHERE lower(name) = lower($1) ORDER BY id", args![reference])?)?;
            let crimes = ids(c.query(
                &format!(
                    "SELECT DISTINCT crime FROM crime_person WHERE person IN (SELECT value FROM {}) ORDER BY crime",
                    c.dialect().id_list(1, "p")
                ),
                args![people],
            )?)?;
            vec![("person", people), ("crime", crimes)]
        }
    };
    let records: Vec<_> = records.into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
    Ok((!records.is_empty()).then_some(RecordRef { records }))
}

/// One row of the index: (entity, entity_id, actor, day) → first and last entry.
pub(crate) type ShownRow = (String, i64, String, String, i64, i64);

/// The list entries the indexer has still to cover, as index rows sorted by key.
pub(crate) struct PendingShown {
    pub lists: usize,
    pub rows: Vec<ShownRow>,
    /// The cursor's next place: every entry up to it is covered once `rows` are written.
    pub through: i64,
}

/// The list entries past the cursor (at most `most`), or `None` when there is nothing past it.
pub(crate) fn shown_past_cursor(c: &mut dyn Conn, most: usize) -> Result<Option<PendingShown>> {
    let cursor: i64 = c.query_one("SELECT entry FROM audit_shown_cursor WHERE one = 1", &[])?.get(0)?;
    // The horizon, read in a statement of its own: on PostgreSQL entries get their ids while
    // holding the chain's head and commit before the next writer draws any, so once an id is
    // visible every smaller one is committed (or was never written): nothing up to the
    // horizon can appear later.
    let horizon: i64 = c.query_one("SELECT coalesce(max(id), 0) FROM audit_log", &[])?.get(0)?;
    if horizon <= cursor {
        return Ok(None);
    }
    let lists = c.query(
        "SELECT id, actor, at, after FROM audit_log
         WHERE id > $1 AND id <= $2 AND entity_id = 0 AND route IS NOT NULL AND after IS NOT NULL
         ORDER BY id LIMIT $3",
        args![cursor, horizon, super::count(most)?],
    )?;
    let through = match lists.last() {
        Some(last) if lists.len() == most => last.get::<i64>(0)?,
        _ => horizon,
    };
    let mut rows: std::collections::BTreeMap<(String, i64, String, String), (i64, i64)> = Default::default();
    for row in &lists {
        let entry: i64 = row.get(0)?;
        let actor: String = row.get(1)?;
        let at: String = row.get(2)?;
        let day = at.get(..10).unwrap_or(&at).to_string();
        let after: String = row.get(3)?;
        if let Some(shown) = crate::audit::Shown::parse(&after) {
            for (e, id) in shown.each() {
                let span = rows.entry((e.to_string(), id, actor.clone(), day.clone())).or_insert((entry, entry));
                span.0 = span.0.min(entry);
                span.1 = span.1.max(entry);
            }
        }
    }
    let rows = rows.into_iter().map(|((e, id, actor, day), (first, last))| (e, id, actor, day, first, last)).collect();
    Ok(Some(PendingShown { lists: lists.len(), rows, through }))
}

/// Writes index rows: a new (record, user, day) as given, one already there with its last
/// entry moved forward (a pass repeated after a crash, or by a second server, changes
/// nothing).
pub(crate) fn insert_shown(c: &mut dyn Conn, rows: &[ShownRow]) -> Result<()> {
    let d = c.dialect();
    for chunk in rows.chunks(500) {
        let mut params: Vec<Param> = Vec::with_capacity(chunk.len() * 6);
        for (entity, id, actor, day, first, last) in chunk {
            params.push(Param::Text(entity));
            params.push(Param::Int(*id));
            params.push(Param::Text(actor));
            params.push(Param::Text(day));
            params.push(Param::Int(*first));
            params.push(Param::Int(*last));
        }
        c.execute(
            &format!(
                "INSERT INTO audit_shown (entity, entity_id, actor, day, first_entry, last_entry) VALUES {}
                 ON CONFLICT (entity, entity_id, actor, day) DO UPDATE SET last_entry = excluded.last_entry
                 WHERE excluded.last_entry > audit_shown.last_entry",
                values(d, chunk.len(), 6)
            ),
            &params,
        )?;
    }
    Ok(())
}

/// Moves the cursor forward to `through` (never back: a second indexer may be ahead).
pub(crate) fn move_shown_cursor(c: &mut dyn Conn, through: i64) -> Result<()> {
    c.execute("UPDATE audit_shown_cursor SET entry = $1 WHERE one = 1 AND entry < $1", args![through])?;
    Ok(())
}

/// How each kind of record is named to people: (entity, key, label, from). A crime, report
/// or incident by its reference, a person by name, an account by username, a site by name;
/// an obligation, contact or evidence by its crime's reference.
const LABELS: [(&str, &str, &str, &str); 9] = [
    ("crime", "x.id", "x.reference", "crime x"),
    ("report", "x.id", "x.reference", "report x"),
    ("incident", "x.id", "x.reference", "incident x"),
    ("person", "x.id", "x.name", "person x"),
    ("account", "x.id", "x.username", "account x"),
    ("site", "x.id", "x.name", "site x"),
    ("obligation", "o.id", "c.reference", "obligation o JOIN crime c ON c.id = o.crime"),
    ("contact", "o.id", "c.reference", "contact o JOIN crime c ON c.id = o.crime"),
    ("evidence", "o.id", "c.reference", "evidence o JOIN crime c ON c.id = o.crime"),
];

/// The record of a one-record entry as people name it (SQL over `a`).
fn record_label() -> String {
    let mut sql = String::from("CASE a.entity");
    for (entity, key, label, from) in LABELS {
        sql.push_str(&format!(" WHEN '{entity}' THEN (SELECT {label} FROM {from} WHERE {key} = a.entity_id)"));
    }
    sql.push_str(" END");
    sql
}

/// The names of `ids` of `entity` (those that exist and have one).
fn labels(c: &mut dyn Conn, entity: &str, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>> {
    let Some((_, key, label, from)) = LABELS.iter().find(|l| l.0 == entity) else { return Ok(Default::default()) };
    let sql = format!(
        "SELECT {key}, {label} FROM {from} WHERE {key} IN (SELECT value FROM {})",
        c.dialect().id_list(1, "ids")
    );
    c.query(&sql, args![ids.to_vec()])?
        .iter()
        .filter_map(|r| match (r.get::<i64>(0), r.get::<Option<String>>(1)) {
            (Ok(id), Ok(Some(name))) => Some(Ok((id, name))),
            (Err(e), _) | (_, Err(e)) => Some(Err(e)),
            _ => None,
        })
        .collect()
}

pub(crate) fn search(c: &mut dyn Conn, q: &AuditQuery) -> Result<Vec<AuditRecord>> {
    let d = c.dialect();
    let mut filters = Vec::new();
    let mut params: Vec<Param> = Vec::new();
    let from = q.from.map(|f| f.to_string());
    let to = q.to.map(|t| format!("{t}T23:59"));
    // The list entries that showed a record searched for: through the index, each user's
    // entries of a day between the first and last it names; past the indexer's cursor, every
    // list; each kept only if its list names the record.
    let mut lists: Vec<i64> = Vec::new();
    if let Some(records) = &q.records {
        let names_one = |row: &Row| -> Result<bool> {
            Ok(text(row, 1)?.and_then(crate::audit::Shown::parse).is_some_and(|shown| {
                shown.each().any(|(e, id)| records.iter().any(|(re, ids)| re == e && ids.contains(&id)))
            }))
        };
        let mut keep = |row: &Row| -> Result<()> {
            if names_one(row)? {
                lists.push(row.get(0)?);
            }
            Ok(())
        };
        let cursor: i64 = c.query_one("SELECT entry FROM audit_shown_cursor WHERE one = 1", &[])?.get(0)?;
        let mut spans: Vec<(String, i64, i64)> = Vec::new();
        for (entity, ids) in records {
            let rows = c.query(
                &format!(
                    "SELECT actor, first_entry, last_entry FROM audit_shown
                     WHERE entity = $1 AND entity_id IN (SELECT value FROM {})",
                    d.id_list(2, "ids")
                ),
                args![entity.as_str(), ids.clone()],
            )?;
            for r in &rows {
                spans.push((r.get(0)?, r.get(1)?, r.get(2)?));
            }
        }
        spans.sort_unstable();
        spans.dedup();
        for (actor, first, last) in &spans {
            c.for_each_row(
                "SELECT id, after FROM audit_log
                 WHERE actor = $1 AND id >= $2 AND id <= $3 AND entity_id = 0 AND route IS NOT NULL AND after IS NOT NULL",
                args![actor.as_str(), *first, *last],
                &mut keep,
            )?;
        }
        c.for_each_row(
            "SELECT id, after FROM audit_log
             WHERE id > $1 AND entity_id = 0 AND route IS NOT NULL AND after IS NOT NULL",
            args![cursor],
            &mut keep,
        )?;
        lists.sort_unstable();
        lists.dedup();
    }
    if let Some(records) = &q.records {
        let mut any = Vec::new();
        for (entity, ids) in records {
            params.push(Param::Text(entity));
            params.push(Param::Ints(ids));
            let n = params.len();
            any.push(format!(
                "(a.entity = ${} AND a.entity_id IN (SELECT value FROM {}))",
                n - 1,
                d.id_list(n, &format!("ids{n}"))
            ));
        }
        if !lists.is_empty() {
            params.push(Param::Ints(&lists));
            any.push(format!("a.id IN (SELECT value FROM {})", d.id_list(params.len(), "lists")));
        }
        if any.is_empty() {
            any.push("false".into());
        }
        filters.push(format!("({})", any.join(" OR ")));
    }
    if let Some(actor) = &q.actor {
        params.push(Param::Text(actor));
        filters.push(format!("a.actor = ${}", params.len()));
    }
    if let Some(from) = &from {
        params.push(Param::Text(from));
        filters.push(format!("a.at >= ${}", params.len()));
    }
    if let Some(to) = &to {
        params.push(Param::Text(to));
        filters.push(format!("a.at <= ${}", params.len()));
    }
    if let Some(before) = q.before_id {
        params.push(Param::Int(before));
        filters.push(format!("a.id < ${}", params.len()));
    }
    let limit = super::count(q.limit)?;
    params.push(Param::Int(limit));
    let filter = if filters.is_empty() { String::new() } else { format!("WHERE {}", filters.join(" AND ")) };
    let sql = format!(
        "SELECT a.id, a.at, a.actor, a.action, a.entity, {}, a.route, a.entity_id, a.after
         FROM audit_log a {filter} ORDER BY a.id DESC LIMIT ${}",
        record_label(),
        params.len()
    );
    let rows = c.query(&sql, &params)?;
    // One row per record shown: a list entry gives one for each of its records (or each
    // searched for), named as people name them.
    let mut out = Vec::with_capacity(rows.len());
    let mut lists: Vec<(usize, crate::audit::Shown)> = Vec::new();
    for row in &rows {
        let r = row.record("audit_log", "id, at, actor, action, entity, record, route, entity_id, after", 0);
        let record = AuditRecord {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            record: r.get(5)?,
            route: r.get(6)?,
        };
        let entity_id: i64 = r.get(7)?;
        let shown = match (entity_id, &record.route, text(row, 8)?) {
            (0, Some(_), Some(after)) => crate::audit::Shown::parse(after),
            _ => None,
        };
        if let Some(shown) = shown {
            // Its place, filled below with a row per record.
            lists.push((out.len(), shown));
        }
        out.push(vec![record]);
    }
    let searched_for =
        |e: &str, id: i64| q.records.as_ref().is_none_or(|rs| rs.iter().any(|(re, ids)| re == e && ids.contains(&id)));
    // Names for every listed record, one query per kind.
    let mut wanted: Vec<(String, Vec<i64>)> = Vec::new();
    for (_, shown) in &lists {
        for (e, id) in shown.each() {
            if !searched_for(e, id) {
                continue;
            }
            match wanted.iter_mut().find(|(we, _)| we == e) {
                Some((_, ids)) => ids.push(id),
                None => wanted.push((e.to_string(), vec![id])),
            }
        }
    }
    let mut names = std::collections::HashMap::new();
    for (e, mut ids) in wanted {
        ids.sort_unstable();
        ids.dedup();
        for (id, name) in labels(c, &e, &ids)? {
            names.insert((e.clone(), id), name);
        }
    }
    for (at, shown) in lists {
        let Some(entry) = out[at].pop() else { continue };
        for (e, id) in shown.each() {
            if !searched_for(e, id) {
                continue;
            }
            out[at].push(AuditRecord {
                entity: e.to_string(),
                record: names.get(&(e.to_string(), id)).cloned(),
                ..entry.clone()
            });
        }
    }
    Ok(out.into_iter().flatten().collect())
}

/// Column `i` as text borrowed from the row (NULL as `None`): the walk reads millions of
/// rows, and copying each of their texts again would be most of its time.
fn text(row: &Row, i: usize) -> Result<Option<&str>> {
    match row.0.get(i) {
        Some(Value::Text(s)) => Ok(Some(s)),
        Some(Value::Null) => Ok(None),
        other => Err(StoreError::Invalid(format!("audit_log: column {i}: expected text, found {other:?}"))),
    }
}

/// Walks the chain (see [`crate::audit`]), streaming.
pub(crate) fn verify(c: &mut dyn Conn, expect: Option<&str>) -> Result<ChainReport> {
    let head = c.query_one("SELECT genesis, seq, hash FROM audit_head WHERE one = 1", &[])?;
    let (genesis, head_seq, head_hash): (i64, i64, String) = (head.get(0)?, head.get(1)?, head.get(2)?);
    let legacy: u64 = c.query_one("SELECT count(*) FROM audit_log WHERE id <= $1", args![genesis])?.get(0)?;
    let expect = expect.map(str::to_ascii_lowercase);
    let mut report = ChainReport {
        legacy,
        genesis,
        entries: 0,
        head_seq: 0,
        head_hash: hex(&[0; 32]),
        expected_found: expect.as_ref().map(|_| false),
        failure: None,
    };
    let mut prev = [0u8; 32];
    let mut prev_seq = 0i64;
    let mut last_id = genesis;
    let walked = c.for_each_row(
        "SELECT id, seq, at, actor, entity, entity_id, action, route, before, after, hash
         FROM audit_log WHERE id > $1 ORDER BY id",
        args![genesis],
        &mut |row: &Row| {
            let r =
                row.record("audit_log", "id, seq, at, actor, entity, entity_id, action, route, before, after, hash", 0);
            let id: i64 = r.get(0)?;
            let seq: Option<i64> = r.get(1)?;
            let hash = text(row, 10)?;
            let fail = |report: &mut ChainReport, kind, detail: String| {
                report.failure = Some(ChainBreak { kind, entry: id, detail });
                Err(StoreError::Invalid(format!("audit entry {id}: the chain is broken")))
            };
            let (Some(seq), Some(stored)) = (seq, hash.and_then(unhex)) else {
                return fail(&mut report, Break::Inserted, format!("entry {id} is not linked into the chain"));
            };
            if seq <= prev_seq {
                return fail(
                    &mut report,
                    Break::Inserted,
                    format!("entry {id} repeats place {seq} of the chain (the entry before is at {prev_seq})"),
                );
            }
            if seq > prev_seq + 1 {
                let n = seq - prev_seq - 1;
                return fail(
                    &mut report,
                    Break::Removed,
                    format!(
                        "{n} entr{} removed between entry {last_id} and entry {id}",
                        if n == 1 { "y was" } else { "ies were" }
                    ),
                );
            }
            let required =
                |i| text(row, i)?.ok_or_else(|| StoreError::Invalid(format!("audit entry {id}: column {i} is NULL")));
            let (at, actor, entity, action) = (required(2)?, required(3)?, required(4)?, required(6)?);
            let (route, before, after) = (text(row, 7)?, text(row, 8)?, text(row, 9)?);
            let computed =
                link(&prev, &Link { id, seq, at, actor, entity, entity_id: r.get(5)?, action, route, before, after });
            if computed != stored {
                return fail(
                    &mut report,
                    Break::Changed,
                    format!(
                        "entry {id} ({action} of {entity} by {actor} at {at}) does not match its link: it was changed"
                    ),
                );
            }
            if seq == head_seq && hash != Some(head_hash.as_str()) {
                return fail(&mut report, Break::Changed, format!("entry {id} is not the head the store recorded"));
            }
            if expect.as_deref().is_some_and(|e| Some(e) == hash) {
                report.expected_found = Some(true);
            }
            prev = stored;
            prev_seq = seq;
            last_id = id;
            report.entries += 1;
            Ok(())
        },
    );
    // A break stops the walk with an error; the report holds what it found.
    if report.failure.is_some() {
        return Ok(report);
    }
    walked?;
    report.head_seq = prev_seq;
    report.head_hash = hex(&prev);
    if prev_seq < head_seq {
        let n = head_seq - prev_seq;
        report.failure = Some(ChainBreak {
            kind: Break::Removed,
            entry: last_id,
            detail: format!(
                "the chain ends at place {prev_seq} (entry {last_id}) but the store's head is at place {head_seq}: {n} entr{} after it removed",
                if n == 1 { "y was" } else { "ies were" }
            ),
        });
    }
    Ok(report)
}
