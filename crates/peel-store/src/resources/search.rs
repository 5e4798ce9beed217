//! Search (issue 10 §2): people by name (the full-text index of migration 0019), records by
//! reference, and crimes by offence, postcode, officer or person, newest first, each within
//! the reach of whoever asks (`Reach`: the crimes they may see).
//!
//! The name index is kept as people are written (`index_person`, and the bulk loader's own
//! rows) and caught up on open for a store written before it (`catch_up`).

use super::count;
use super::crimes::{crime_row, FIELDS};
use crate::casework::{CrimeMatch, CrimeNarrowing, CrimeOrder, CrimesFound, FoundPerson, Reach};
use crate::sql::{args, Conn, Dialect, Param, ToParam};
use crate::Result;
use peel_domain::name_search::{index_words, NameQuery};

/// A count past which a search says "or more" rather than counting on (a search for a common
/// offence on a million crimes).
pub const SEARCH_COUNT_CAP: u64 = 10_000;

/// The statement that adds one person's words to the index (`$1` the person, `$2` the words).
pub(crate) fn insert_words(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "INSERT INTO person_words (rowid, words) VALUES ($1, $2)",
        // Two connections catching up at once (the pool opening) may both index a person.
        Dialect::Postgres => "INSERT INTO person_words (person, words) VALUES ($1, $2) ON CONFLICT (person) DO NOTHING",
    }
}

/// The index's table and column list for the bulk loader's multi-row insert.
pub(crate) fn bulk_columns(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "person_words (rowid, words)",
        Dialect::Postgres => "person_words (person, words)",
    }
}

/// Indexes one person as they are written.
pub(crate) fn index_person(c: &mut dyn Conn, id: i64, name: &str, date_of_birth: Option<&str>) -> Result<()> {
    let d = c.dialect();
    c.execute(insert_words(d), args![id, index_words(name, date_of_birth)])?;
    Ok(())
}

/// Indexes a person again under their name and every other name they are known by: their
/// aliases and the names of everyone merged into them (an alias added, a merge made or
/// undone; a merged name is found as the person kept whatever happens to another merge).
pub(crate) fn reindex_person(c: &mut dyn Conn, id: i64) -> Result<()> {
    let d = c.dialect();
    let row = c.query_one(
        &format!(
            "SELECT p.name, p.date_of_birth,
                    (SELECT {} FROM (SELECT a.name FROM person_alias a WHERE a.person = p.id
                                     UNION ALL SELECT m.name FROM person m WHERE m.merged_into = p.id) AS n)
             FROM person p WHERE p.id = $1",
            d.joined("n.name")
        ),
        args![id],
    )?;
    let (name, dob, aliases): (String, Option<String>, Option<String>) = (row.get(0)?, row.get(1)?, row.get(2)?);
    match d {
        Dialect::Sqlite => c.execute("DELETE FROM person_words WHERE rowid = $1", args![id])?,
        Dialect::Postgres => c.execute("DELETE FROM person_words WHERE person = $1", args![id])?,
    };
    let all = match aliases {
        Some(a) => format!("{name} {a}"),
        None => name,
    };
    index_person(c, id, &all, dob.as_deref())
}

/// People (not `except`, nor businesses, nor anyone merged away) whose indexed words hold
/// every word of `name`, each as itself or by its sound (not by its beginning: this is for
/// comparing whole names), and the date of birth if given; at most `limit`.
pub(crate) fn same_name(
    c: &mut dyn Conn,
    name: &str,
    date_of_birth: Option<&str>,
    except: i64,
    limit: usize,
) -> Result<Vec<i64>> {
    let Some(mut q) = NameQuery::parse(name) else { return Ok(vec![]) };
    for w in &mut q.words {
        w.prefix = false;
    }
    q.date_of_birth = date_of_birth.map(String::from);
    let d = c.dialect();
    let (from, key) = match d {
        Dialect::Sqlite => ("person_words w JOIN person p ON p.id = w.rowid WHERE person_words MATCH $1", "w.rowid"),
        Dialect::Postgres => {
            ("person_words w JOIN person p ON p.id = w.person WHERE w.tsv @@ to_tsquery('simple', $1)", "w.person")
        }
    };
    let rows = c.query(
        &format!(
            "SELECT p.id FROM {from} AND p.id <> $2 AND p.merged_into IS NULL AND NOT p.is_business ORDER BY {key} LIMIT $3"
        ),
        args![match_expression(d, &q), except, count(limit)?],
    )?;
    rows.iter().map(|r| r.get(0)).collect()
}

/// Indexes every person the index does not hold yet (a store from before migration 0019, or
/// one restored from a backup, which leaves the index out): people are only ever added, so
/// those past the highest id indexed. Returns how many were indexed.
pub(crate) fn catch_up(c: &mut dyn Conn) -> Result<u64> {
    let mut from = highest_indexed(c)?;
    let mut done = 0u64;
    // A person's other names (migration 0020) are indexed with their name.
    let names = format!(
        "SELECT p.id, p.name, p.date_of_birth,
                (SELECT {} FROM (SELECT a.name FROM person_alias a WHERE a.person = p.id
                                 UNION ALL SELECT m.name FROM person m WHERE m.merged_into = p.id) AS n)
         FROM person p WHERE p.id > $1 ORDER BY p.id LIMIT 5000",
        c.dialect().joined("n.name")
    );
    loop {
        let rows = c.query(&names, args![from])?;
        if rows.is_empty() {
            return Ok(done);
        }
        for r in &rows {
            let (id, name, dob, aliases): (i64, String, Option<String>, Option<String>) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let all = match aliases {
                Some(a) => format!("{name} {a}"),
                None => name,
            };
            index_person(c, id, &all, dob.as_deref())?;
            from = id;
            done += 1;
        }
    }
}

/// On opening a store: indexes whoever is missing (see [`catch_up`]), in one write, only if
/// anyone is.
pub(crate) fn catch_up_on_open<E: crate::sql::Engine>(store: &mut E) -> Result<()> {
    if store.conn(behind)? {
        store.write(|tx| catch_up(tx).map(|_| ()))?;
    }
    Ok(())
}

/// The highest person id the index holds (0 for none).
fn highest_indexed(c: &mut dyn Conn) -> Result<i64> {
    let highest = match c.dialect() {
        Dialect::Sqlite => "SELECT rowid FROM person_words ORDER BY rowid DESC LIMIT 1",
        Dialect::Postgres => "SELECT person FROM person_words ORDER BY person DESC LIMIT 1",
    };
    Ok(c.query_opt(highest, &[])?.map(|r| r.get(0)).transpose()?.unwrap_or(0))
}

/// Whether anyone is missing from the index: two cheap reads, so that opening a store that
/// needs nothing costs no write.
pub(crate) fn behind(c: &mut dyn Conn) -> Result<bool> {
    let from = highest_indexed(c)?;
    Ok(c.query_opt("SELECT 1 FROM person WHERE id > $1 LIMIT 1", args![from])?.is_some())
}

/// The index query for `q`: every word typed, as itself, a word it begins or a word with its
/// sound; and the date of birth, if typed.
fn match_expression(d: Dialect, q: &NameQuery) -> String {
    let (or, and) = match d {
        Dialect::Sqlite => (" OR ", " AND "),
        Dialect::Postgres => (" | ", " & "),
    };
    // Words and keys are ASCII letters and digits only (name_search folds them), so they
    // need no quoting in either language beyond FTS5's double quotes.
    let term = |w: &str| match d {
        Dialect::Sqlite => format!("\"{w}\""),
        Dialect::Postgres => w.to_string(),
    };
    let prefix = |w: &str| match d {
        Dialect::Sqlite => format!("\"{w}\"*"),
        Dialect::Postgres => format!("{w}:*"),
    };
    let mut all: Vec<String> = q
        .words
        .iter()
        .map(|a| {
            let mut any = vec![if a.prefix { prefix(&a.word) } else { term(&a.word) }];
            any.extend(a.sounds.iter().map(|s| term(s)));
            format!("({})", any.join(or))
        })
        .collect();
    if let Some(d) = q.date_word() {
        all.push(term(&d));
    }
    all.join(and)
}

/// The condition that crime `c` is within `reach`, with its officer and team as `$n`, `$n+1`.
fn within(n: usize) -> String {
    format!("((${n} IS NULL AND ${m} IS NULL) OR c.officer = ${n} OR c.team = ${m})", m = n + 1)
}

/// The person `p` and everyone merged into them (migration 0020): one person to a reader.
const ONE_PERSON: &str = "SELECT m.id FROM person m WHERE m.id = p.id OR m.merged_into = p.id";

/// People whose indexed words answer `q`, at most `limit`, each with their crimes within
/// `reach` (a person with none is left out, unless the reach is the whole force). The reach
/// is applied before the limit, so that an officer's own people are never crowded out by the
/// force's others of the same name; a person on one crime in two roles counts it once.
pub(crate) fn people(c: &mut dyn Conn, q: &NameQuery, reach: &Reach, limit: usize) -> Result<Vec<FoundPerson>> {
    let d = c.dialect();
    let (from, key) = match d {
        Dialect::Sqlite => ("person_words w JOIN person p ON p.id = w.rowid WHERE person_words MATCH $1", "w.rowid"),
        Dialect::Postgres => {
            ("person_words w JOIN person p ON p.id = w.person WHERE w.tsv @@ to_tsquery('simple', $1)", "w.person")
        }
    };
    let rows = c.query(
        &format!(
            "SELECT p.id, p.name, p.date_of_birth, p.is_business,
                    (SELECT count(DISTINCT cp.crime) FROM crime_person cp JOIN crime c ON c.id = cp.crime
                     WHERE cp.person IN ({same}) AND c.status = 'recorded' AND {scope}) AS crimes
             FROM {from} AND p.merged_into IS NULL
               AND (($2 IS NULL AND $3 IS NULL)
                    OR EXISTS (SELECT 1 FROM crime_person cp JOIN crime c ON c.id = cp.crime
                               WHERE cp.person IN ({same}) AND c.status = 'recorded' AND {scope}))
             ORDER BY {key} LIMIT $4",
            same = ONE_PERSON,
            scope = within(2),
        ),
        args![match_expression(d, q), reach.officer, reach.team, count(limit)?],
    )?;
    let everyone = reach.officer.is_none() && reach.team.is_none();
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let crimes: i64 = r.get(4)?;
        if crimes > 0 || everyone {
            out.push(FoundPerson {
                id: r.get(0)?,
                name: r.get(1)?,
                date_of_birth: r.get(2)?,
                is_business: r.get(3)?,
                crimes: crimes as u64,
            });
        }
    }
    Ok(out)
}

/// The record a reference names: ("crime" | "report" | "incident", id).
pub(crate) fn reference(c: &mut dyn Conn, reference: &str) -> Result<Option<(&'static str, i64)>> {
    for table in ["crime", "report", "incident"] {
        if let Some(row) = c.query_opt(&format!("SELECT id FROM {table} WHERE reference = $1"), args![reference])? {
            return Ok(Some((table, row.get(0)?)));
        }
    }
    Ok(None)
}

/// Recorded crimes that `m` selects within `reach`, newest first: a page of them and how many
/// there are (counted up to [`SEARCH_COUNT_CAP`]).
pub(crate) fn crimes(
    c: &mut dyn Conn,
    m: &CrimeMatch,
    reach: &Reach,
    narrowing: &CrimeNarrowing,
    limit: usize,
    offset: usize,
) -> Result<CrimesFound> {
    // One condition for each way of matching; the parameters are the same whichever is used.
    let (join, condition, role) = match m {
        CrimeMatch::Offences(_) => {
            ("", format!("c.offence_code IN (SELECT value FROM {})", text_list(c.dialect(), 3)), "NULL")
        }
        CrimeMatch::Postcode(_) => {
            ("JOIN incident i ON i.id = c.incident JOIN report r ON r.id = i.report", "r.postcode = $3".into(), "NULL")
        }
        CrimeMatch::Officer(_) => ("", "c.officer = $3".into(), "NULL"),
        CrimeMatch::Person(_) => (
            "JOIN crime_person cp ON cp.crime = c.id",
            "cp.person IN (SELECT m.id FROM person m WHERE m.id = $3 OR m.merged_into = $3)".into(),
            "cp.role",
        ),
    };
    let codes: String;
    let key: Param = match m {
        CrimeMatch::Offences(list) => {
            codes = serde_json::to_string(list).map_err(|e| crate::StoreError::Invalid(e.to_string()))?;
            Param::Text(&codes)
        }
        CrimeMatch::Postcode(p) | CrimeMatch::Officer(p) => p.to_param(),
        CrimeMatch::Person(id) => id.to_param(),
    };
    let narrowed = Narrowed::of(c.dialect(), narrowing, 4)?;
    let mut params = vec![reach.officer.to_param(), reach.team.to_param(), key];
    params.extend(narrowed.params());
    let fields: String = FIELDS.split(", ").map(|f| format!("c.{f}")).collect::<Vec<_>>().join(", ");
    let base =
        format!("FROM crime c {join} WHERE c.status = 'recorded' AND {condition} AND {}{}", within(1), narrowed.sql);
    let order = match narrowing.order {
        CrimeOrder::Newest => "c.recorded_at DESC, c.id DESC",
        CrimeOrder::Oldest => "c.recorded_at ASC, c.id ASC",
        CrimeOrder::Offence => "c.offence_code, c.recorded_at DESC, c.id DESC",
    };
    let (n, o) = (params.len() + 1, params.len() + 2);
    let mut page = params.clone();
    let (limit, offset, cap) = (count(limit)?, count(offset)?, SEARCH_COUNT_CAP as i64);
    page.extend([limit.to_param(), offset.to_param()]);
    // A crime a person and a record merged into theirs are both on, in one role, is one line.
    let rows =
        c.query(&format!("SELECT DISTINCT {fields}, {role} {base} ORDER BY {order} LIMIT ${n} OFFSET ${o}"), &page)?;
    let found = rows.iter().map(|r| Ok((crime_row(r)?, r.get::<Option<String>>(14)?))).collect::<Result<Vec<_>>>()?;
    params.push(cap.to_param());
    let total: i64 = c
        .query_one(
            &format!("SELECT count(*) FROM (SELECT DISTINCT c.id, {role} {base} LIMIT ${n}) AS capped"),
            &params,
        )?
        .get(0)?;
    Ok((found, total as u64))
}

/// A [`CrimeNarrowing`] as conditions on `crime c`, with their parameters numbered from
/// `first`. Each value is a parameter, never spliced into the statement.
struct Narrowed {
    sql: String,
    values: Vec<String>,
}

impl Narrowed {
    fn of(d: Dialect, n: &CrimeNarrowing, first: usize) -> Result<Narrowed> {
        let mut out = Narrowed { sql: String::new(), values: vec![] };
        let add = |out: &mut Narrowed, condition: &dyn Fn(usize) -> String, value: String| {
            let at = first + out.values.len();
            out.sql.push_str(" AND ");
            out.sql.push_str(&condition(at));
            out.values.push(value);
        };
        if let Some(team) = &n.team {
            add(&mut out, &|i| format!("c.team = ${i}"), team.clone());
        }
        if let Some(officer) = &n.officer {
            add(&mut out, &|i| format!("c.officer = ${i}"), officer.clone());
        }
        if let Some(codes) = &n.offences {
            let list = serde_json::to_string(codes).map_err(|e| crate::StoreError::Invalid(e.to_string()))?;
            add(&mut out, &|i| format!("c.offence_code IN (SELECT value FROM {})", text_list(d, i)), list);
        }
        if let Some(flag) = &n.flag {
            // Flags are kept as a JSON list of words: a word is found with its quotes, a hate
            // crime of any strand by its prefix. The word is checked against the vocabulary
            // first, so that it holds no LIKE wildcard.
            let pattern = if flag == "hate-crime" {
                "%\"hate-crime:%".to_string()
            } else {
                peel_domain::flags::check(flag)
                    .map_err(|e| crate::StoreError::Invalid(format!("flag: {}", e.message)))?;
                format!("%\"{flag}\"%")
            };
            add(&mut out, &|i| format!("c.flags LIKE ${i}"), pattern);
        }
        match n.finalised {
            Some(true) => out.sql.push_str(" AND c.outcome IS NOT NULL"),
            Some(false) => out.sql.push_str(" AND c.outcome IS NULL"),
            None => {}
        }
        // Recorded times are text, YYYY-MM-DDTHH:MM: a day's bounds compare as text.
        if let Some(from) = n.from {
            add(&mut out, &|i| format!("c.recorded_at >= ${i}"), from.to_string());
        }
        if let Some(to) = n.to {
            add(&mut out, &|i| format!("c.recorded_at < ${i}"), to.add_days(1).to_string());
        }
        Ok(out)
    }

    fn params(&self) -> impl Iterator<Item = Param<'_>> {
        self.values.iter().map(|t| Param::Text(t))
    }
}

/// A JSON array of text bound as `$n`, read as a table with one column `value`.
fn text_list(d: Dialect, n: usize) -> String {
    match d {
        Dialect::Sqlite => format!("json_each(${n})"),
        Dialect::Postgres => format!("json_array_elements_text(${n}::json) AS v(value)"),
    }
}
