//! The nominal index (issue 10 §1, migration 0020): aliases, addresses, phone, markers,
//! possible duplicates and merges. Statements written once, for both stores.

use super::{json, queue_writers_on, require, search};
use crate::nominal::*;
use crate::sql::{args, Conn, Row, Tx};
use crate::{Result, StoreError};
use peel_domain::date::Timestamp;
use peel_domain::nominal::{likeness, possible_duplicates, Nominal, POSSIBLE_DUPLICATE};

/// People compared with a person as they are entered: at most this many of the same name (the
/// rest are found by the sweep), and of those with the same date of birth.
const CANDIDATES_BY_NAME: usize = 200;
const CANDIDATES_BY_BIRTH: usize = 50;

pub(crate) fn record(c: &mut dyn Conn, id: i64) -> Result<NominalRecord> {
    let person = super::people::get(c, id)?;
    let row = c.query_one("SELECT phone, merged_into FROM person WHERE id = $1", args![id])?;
    let (phone, merged_into) = (row.get(0)?, row.get(1)?);
    let aliases = c
        .query("SELECT id, name, merge, added_by, added_at FROM person_alias WHERE person = $1 ORDER BY id", args![id])?
        .iter()
        .map(|r| {
            Ok(Alias { id: r.get(0)?, name: r.get(1)?, merge: r.get(2)?, added_by: r.get(3)?, added_at: r.get(4)? })
        })
        .collect::<Result<_>>()?;
    let addresses = c
        .query(
            "SELECT id, postcode, line, added_by, added_at FROM person_address WHERE person = $1 ORDER BY id DESC",
            args![id],
        )?
        .iter()
        .map(|r| {
            Ok(Address {
                id: r.get(0)?,
                postcode: r.get(1)?,
                line: r.get(2)?,
                added_by: r.get(3)?,
                added_at: r.get(4)?,
            })
        })
        .collect::<Result<_>>()?;
    let markers = c
        .query(
            &format!("SELECT {MARKER} FROM person_marker WHERE person = $1 ORDER BY ended_at IS NOT NULL, noted_on DESC, id DESC"),
            args![id],
        )?
        .iter()
        .map(marker_row)
        .collect::<Result<_>>()?;
    let merges = c
        .query(
            &format!("{MERGE_SELECT} WHERE m.kept = $1 OR m.merged = $1 ORDER BY m.merged_at DESC, m.id DESC"),
            args![id],
        )?
        .iter()
        .map(merge_row)
        .collect::<Result<_>>()?;
    Ok(NominalRecord { person, phone, merged_into, aliases, addresses, markers, merges })
}

const MARKER: &str = "id, kind, noted_on, review_due, note, added_by, added_at, ended_at";

fn marker_row(r: &Row) -> Result<Marker> {
    Ok(Marker {
        id: r.get(0)?,
        details: NewMarker { kind: r.get(1)?, noted_on: r.get(2)?, review_due: r.get(3)?, note: r.get(4)? },
        added_by: r.get(5)?,
        added_at: r.get(6)?,
        ended_at: r.get(7)?,
    })
}

const MERGE_SELECT: &str = "SELECT m.id, m.kept, k.name, m.merged, g.name, m.reason, m.merged_by, m.merged_at,
        m.undone_by, m.undone_at, m.undo_reason
 FROM person_merge m JOIN person k ON k.id = m.kept JOIN person g ON g.id = m.merged";

fn merge_row(r: &Row) -> Result<Merge> {
    Ok(Merge {
        id: r.get(0)?,
        kept: r.get(1)?,
        kept_name: r.get(2)?,
        merged: r.get(3)?,
        merged_name: r.get(4)?,
        reason: r.get(5)?,
        merged_by: r.get(6)?,
        merged_at: r.get(7)?,
        undone_by: r.get(8)?,
        undone_at: r.get(9)?,
        undo_reason: r.get(10)?,
    })
}

/// Refuses a change to a person merged away: the record to change is the one kept.
fn require_current(c: &mut dyn Conn, person: i64) -> Result<()> {
    require(c, "person", person)?;
    let into: Option<i64> = c.query_one("SELECT merged_into FROM person WHERE id = $1", args![person])?.get(0)?;
    if into.is_some() {
        return Err(StoreError::Refused(
            "This record was merged into another: change the record kept, or undo the merge first.".into(),
        ));
    }
    Ok(())
}

pub(crate) fn add_alias(tx: &mut Tx, person: i64, name: &str, actor: &str, at: Timestamp) -> Result<Alias> {
    require_current(tx, person)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid("an alias needs a name".into()));
    }
    let id = insert_alias(tx, person, name, None, actor, at)?;
    tx.audit(at, actor, "person", person, "add-alias", None, Some(json(&name)));
    search::reindex_person(tx, person)?;
    note_duplicates(tx, person, at)?;
    Ok(Alias { id, name: name.to_string(), merge: None, added_by: actor.to_string(), added_at: at })
}

fn insert_alias(tx: &mut Tx, person: i64, name: &str, merge: Option<i64>, actor: &str, at: Timestamp) -> Result<i64> {
    tx.query_one(
        "INSERT INTO person_alias (person, name, merge, added_by, added_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        args![person, name, merge, actor, at],
    )?
    .get(0)
}

pub(crate) fn add_address(
    tx: &mut Tx,
    person: i64,
    postcode: &str,
    line: Option<&str>,
    actor: &str,
    at: Timestamp,
) -> Result<Address> {
    require_current(tx, person)?;
    let postcode = super::places::normalise_postcode(postcode)
        .ok_or_else(|| StoreError::Invalid(format!("postcode: {postcode:?} is not a UK postcode")))?;
    let line = line.map(str::trim).filter(|l| !l.is_empty());
    let id: i64 = tx
        .query_one(
            "INSERT INTO person_address (person, postcode, line, added_by, added_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            args![person, postcode, line, actor, at],
        )?
        .get(0)?;
    tx.audit(at, actor, "person", person, "add-address", None, Some(json(&(&postcode, line))));
    note_duplicates(tx, person, at)?;
    Ok(Address { id, postcode, line: line.map(String::from), added_by: actor.to_string(), added_at: at })
}

/// The sexes a record takes (as the casework's forms: the person's own answer, or none).
const SEXES: [&str; 3] = ["female", "male", "other"];

pub(crate) fn set_identity(
    tx: &mut Tx,
    person: i64,
    date_of_birth: Option<peel_domain::date::Date>,
    sex: Option<&str>,
    ethnicity: Option<&str>,
    actor: &str,
    at: Timestamp,
) -> Result<()> {
    require_current(tx, person)?;
    if let Some(s) = sex.filter(|s| !SEXES.contains(s)) {
        return Err(StoreError::Invalid(format!("sex: {s:?} is not one of female, male, other")));
    }
    if let Some(e) = ethnicity.filter(|e| !peel_domain::nominal::ETHNICITIES.iter().any(|(c, _)| c == e)) {
        return Err(StoreError::Invalid(format!("ethnicity: {e:?} is not an 18+1 code")));
    }
    if date_of_birth.is_some_and(|d| d > at.date()) {
        return Err(StoreError::Invalid("date_of_birth: a date of birth is not in the future".into()));
    }
    let before = super::people::get(tx, person)?.details;
    let dob = date_of_birth.map(|d| d.to_string());
    tx.execute(
        "UPDATE person SET date_of_birth = $1, sex = $2, ethnicity = $3 WHERE id = $4",
        args![dob, sex, ethnicity, person],
    )?;
    let after = super::people::get(tx, person)?.details;
    tx.audit(at, actor, "person", person, "set-identity", Some(json(&before)), Some(json(&after)));
    search::reindex_person(tx, person)?;
    note_duplicates(tx, person, at)?;
    Ok(())
}

pub(crate) fn set_phone(tx: &mut Tx, person: i64, phone: Option<&str>, actor: &str, at: Timestamp) -> Result<()> {
    require_current(tx, person)?;
    let phone = phone.map(str::trim).filter(|p| !p.is_empty());
    if let Some(p) = phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if !(7..=15).contains(&digits) || !p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) {
            return Err(StoreError::Invalid(format!(
                "phone: {p:?} is not a telephone number (7 to 15 digits, with spaces, +, - or brackets)"
            )));
        }
    }
    let before: Option<String> = tx.query_one("SELECT phone FROM person WHERE id = $1", args![person])?.get(0)?;
    tx.execute("UPDATE person SET phone = $1 WHERE id = $2", args![phone, person])?;
    tx.audit(at, actor, "person", person, "set-phone", Some(json(&before)), Some(json(&phone)));
    Ok(())
}

pub(crate) fn add_marker(tx: &mut Tx, person: i64, m: &NewMarker, actor: &str, at: Timestamp) -> Result<Marker> {
    require_current(tx, person)?;
    if peel_domain::nominal::marker_label(&m.kind).is_none() {
        let known: Vec<&str> = peel_domain::nominal::WARNING_MARKERS.iter().map(|(w, _)| *w).collect();
        return Err(StoreError::Invalid(format!("kind: {:?} is not a warning marker ({})", m.kind, known.join(", "))));
    }
    if m.review_due < m.noted_on {
        return Err(StoreError::Invalid(format!(
            "review_due: {} is before the marker was noted ({})",
            m.review_due, m.noted_on
        )));
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO person_marker (person, kind, noted_on, review_due, note, added_by, added_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            args![person, m.kind, m.noted_on, m.review_due, m.note, actor, at],
        )?
        .get(0)?;
    tx.audit(at, actor, "person", person, "add-marker", None, Some(json(m)));
    Ok(Marker { id, details: m.clone(), added_by: actor.to_string(), added_at: at, ended_at: None })
}

pub(crate) fn end_marker(tx: &mut Tx, person: i64, marker: i64, actor: &str, at: Timestamp) -> Result<Marker> {
    let lock = tx.dialect().lock_rows();
    let row = tx
        .query_opt(
            &format!("SELECT {MARKER} FROM person_marker WHERE id = $1 AND person = $2{lock}"),
            args![marker, person],
        )?
        .ok_or(StoreError::NotFound { entity: "marker", id: marker })?;
    let mut m = marker_row(&row)?;
    if m.ended_at.is_some() {
        return Err(StoreError::Refused("This marker has ended already.".into()));
    }
    tx.execute("UPDATE person_marker SET ended_at = $1 WHERE id = $2", args![at, marker])?;
    tx.audit(at, actor, "person", person, "end-marker", None, Some(json(&(marker, &m.details.kind))));
    m.ended_at = Some(at);
    Ok(m)
}

/// A person as compared: name, date of birth, postcodes.
type Compared = (String, Option<String>, Vec<String>);

/// A person as compared; `None` for a business or someone merged away.
fn comparable(c: &mut dyn Conn, id: i64) -> Result<Option<Compared>> {
    let Some(r) = c.query_opt(
        "SELECT name, date_of_birth FROM person WHERE id = $1 AND merged_into IS NULL AND NOT is_business",
        args![id],
    )?
    else {
        return Ok(None);
    };
    let postcodes = c
        .query("SELECT DISTINCT postcode FROM person_address WHERE person = $1 ORDER BY postcode", args![id])?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<_>>()?;
    Ok(Some((r.get(0)?, r.get(1)?, postcodes)))
}

/// Looks for possible duplicates of a person just entered or changed, among the people of
/// the same name (as the search finds them: spelt or sounding alike) and, for a common name,
/// those with the same date of birth too; adds each one found to the review list.
pub(crate) fn note_duplicates(tx: &mut Tx, person: i64, at: Timestamp) -> Result<u64> {
    let Some((name, dob, postcodes)) = comparable(tx, person)? else { return Ok(0) };
    let mut ids = search::same_name(tx, &name, None, person, CANDIDATES_BY_NAME)?;
    if dob.is_some() {
        for id in search::same_name(tx, &name, dob.as_deref(), person, CANDIDATES_BY_BIRTH)? {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let me = Nominal { name: &name, date_of_birth: dob.as_deref(), postcodes: &postcodes };
    let mut added = 0;
    for other in ids {
        let Some((oname, odob, opost)) = comparable(tx, other)? else { continue };
        let them = Nominal { name: &oname, date_of_birth: odob.as_deref(), postcodes: &opost };
        if let Some(l) = likeness(&me, &them).filter(|l| l.score >= POSSIBLE_DUPLICATE) {
            added += insert_pair(tx, person.min(other), person.max(other), l.score, &l.reasons, at)?;
        }
    }
    Ok(added)
}

/// Adds a pair to the review list unless it is there (or decided) already; 1 if added.
fn insert_pair(tx: &mut Tx, low: i64, high: i64, score: i32, reasons: &[String], at: Timestamp) -> Result<u64> {
    tx.execute(
        "INSERT INTO person_duplicate (low, high, score, reasons, found_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (low, high) DO NOTHING",
        args![low, high, score, json(reasons), at],
    )
}

/// Everyone comparable, with their postcodes, for the sweep: read a row at a time (a
/// million people are never held twice, once as rows and once as records).
pub(crate) fn everyone(c: &mut dyn Conn) -> Result<Vec<(i64, Compared)>> {
    let mut people: Vec<(i64, Compared)> = Vec::new();
    c.for_each_row(
        "SELECT id, name, date_of_birth FROM person WHERE merged_into IS NULL AND NOT is_business ORDER BY id",
        &[],
        &mut |r| {
            people.push((r.get(0)?, (r.get(1)?, r.get(2)?, Vec::new())));
            Ok(())
        },
    )?;
    c.for_each_row("SELECT person, postcode FROM person_address ORDER BY person", &[], &mut |r| {
        let (id, postcode): (i64, String) = (r.get(0)?, r.get(1)?);
        if let Ok(i) = people.binary_search_by_key(&id, |p| p.0) {
            let postcodes = &mut people[i].1 .2;
            if !postcodes.contains(&postcode) {
                postcodes.push(postcode);
            }
        }
        Ok(())
    })?;
    Ok(people)
}

pub(crate) fn sweep(tx: &mut Tx, people: &[(i64, Compared)], at: Timestamp) -> Result<SweepReport> {
    let nominals: Vec<(i64, Nominal)> = people
        .iter()
        .map(|(id, (name, dob, pcs))| (*id, Nominal { name, date_of_birth: dob.as_deref(), postcodes: pcs }))
        .collect();
    let found = possible_duplicates(&nominals);
    let mut added = 0;
    for (low, high, l) in &found {
        added += insert_pair(tx, *low, *high, l.score, &l.reasons, at)?;
    }
    Ok(SweepReport { people: people.len() as u64, found: found.len() as u64, added })
}

const PAIR_SELECT: &str =
    "SELECT d.id, d.low, d.high, d.score, d.reasons, d.found_at, d.status FROM person_duplicate d";

fn pairs(c: &mut dyn Conn, rows: &[Row]) -> Result<Vec<PossibleDuplicate>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let (low, high): (i64, i64) = (r.get(1)?, r.get(2)?);
        out.push(PossibleDuplicate {
            id: r.get(0)?,
            low: side(c, low)?,
            high: side(c, high)?,
            score: r.get(3)?,
            reasons: r.json(4)?,
            found_at: r.get(5)?,
            status: r.get(6)?,
        });
    }
    Ok(out)
}

fn side(c: &mut dyn Conn, id: i64) -> Result<DuplicateSide> {
    let p = super::people::get(c, id)?;
    let postcodes = c
        .query("SELECT DISTINCT postcode FROM person_address WHERE person = $1 ORDER BY postcode", args![id])?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<_>>()?;
    let crimes: i64 = c
        .query_one(
            "SELECT count(DISTINCT cp.crime) FROM crime_person cp JOIN crime c ON c.id = cp.crime
             WHERE cp.person = $1 AND c.status = 'recorded'",
            args![id],
        )?
        .get(0)?;
    Ok(DuplicateSide {
        id,
        name: p.details.name,
        date_of_birth: p.details.date_of_birth,
        postcodes,
        crimes: crimes as u64,
    })
}

/// Open pairs whose people are both still their own records.
const OPEN: &str = "d.status = 'open'
    AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id IN (d.low, d.high) AND p.merged_into IS NOT NULL)";

pub(crate) fn review_list(c: &mut dyn Conn, limit: usize, offset: usize) -> Result<(Vec<PossibleDuplicate>, u64)> {
    let rows = c.query(
        &format!("{PAIR_SELECT} WHERE {OPEN} ORDER BY d.score DESC, d.id LIMIT $1 OFFSET $2"),
        args![super::count(limit)?, super::count(offset)?],
    )?;
    let list = pairs(c, &rows)?;
    let total: i64 = c.query_one(&format!("SELECT count(*) FROM person_duplicate d WHERE {OPEN}"), &[])?.get(0)?;
    Ok((list, total as u64))
}

pub(crate) fn pair(c: &mut dyn Conn, id: i64) -> Result<PossibleDuplicate> {
    let rows = c.query(&format!("{PAIR_SELECT} WHERE d.id = $1"), args![id])?;
    pairs(c, &rows)?.pop().ok_or(StoreError::NotFound { entity: "possible duplicate", id })
}

pub(crate) fn of_person(c: &mut dyn Conn, person: i64) -> Result<Vec<PossibleDuplicate>> {
    let rows = c.query(
        &format!("{PAIR_SELECT} WHERE (d.low = $1 OR d.high = $1) AND {OPEN} ORDER BY d.score DESC, d.id"),
        args![person],
    )?;
    pairs(c, &rows)
}

pub(crate) fn merge(tx: &mut Tx, kept: i64, merged: i64, reason: &str, actor: &str, at: Timestamp) -> Result<Merge> {
    // One merge at a time: two records officers merging A into B and B into A at once must
    // not make a loop.
    queue_writers_on(tx, "person-merge", "index")?;
    if kept == merged {
        return Err(StoreError::Refused("A person cannot be merged into themselves.".into()));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid("reason: say why these are one person".into()));
    }
    for id in [kept, merged] {
        require(tx, "person", id)?;
    }
    let lock = tx.dialect().lock_rows();
    let state = |tx: &mut Tx, id: i64| -> Result<(String, Option<i64>)> {
        let r = tx.query_one(&format!("SELECT name, merged_into FROM person WHERE id = $1{lock}"), args![id])?;
        Ok((r.get(0)?, r.get(1)?))
    };
    let (kept_name, kept_into) = state(tx, kept)?;
    let (merged_name, merged_into) = state(tx, merged)?;
    if kept_into.is_some() || merged_into.is_some() {
        return Err(StoreError::Refused(
            "One of these records is merged into another already: merge into the record kept.".into(),
        ));
    }
    if tx.query_opt("SELECT 1 FROM person WHERE merged_into = $1 LIMIT 1", args![merged])?.is_some() {
        return Err(StoreError::Refused(format!(
            "Others are merged into {merged_name}: merge the other way, or undo those merges first."
        )));
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO person_merge (kept, merged, reason, merged_by, merged_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            args![kept, merged, reason, actor, at],
        )?
        .get(0)?;
    tx.execute("UPDATE person SET merged_into = $1 WHERE id = $2", args![kept, merged])?;
    // The merged record's names become the kept record's other names, so that a search for
    // them finds the person kept.
    let mut names = vec![merged_name.clone()];
    for r in tx.query("SELECT name FROM person_alias WHERE person = $1", args![merged])? {
        names.push(r.get(0)?);
    }
    let known = known_names(tx, kept, &kept_name)?;
    for n in names.iter().filter(|n| !known.contains(&n.to_lowercase())) {
        insert_alias(tx, kept, n, Some(id), actor, at)?;
    }
    search::reindex_person(tx, kept)?;
    tx.execute(
        "UPDATE person_duplicate SET status = 'merged', decided_by = $1, decided_at = $2
         WHERE low = $3 AND high = $4 AND status = 'open'",
        args![actor, at, kept.min(merged), kept.max(merged)],
    )?;
    let detail = json(&serde_json::json!({"merge": id, "kept": kept, "merged": merged, "reason": reason}));
    tx.audit(at, actor, "person", kept, "merge-keep", None, Some(detail.clone()));
    tx.audit(at, actor, "person", merged, "merge-into", None, Some(detail));
    Ok(Merge {
        id,
        kept,
        kept_name,
        merged,
        merged_name,
        reason: reason.to_string(),
        merged_by: actor.to_string(),
        merged_at: at,
        undone_by: None,
        undone_at: None,
        undo_reason: None,
    })
}

fn known_names(c: &mut dyn Conn, person: i64, name: &str) -> Result<Vec<String>> {
    let mut known = vec![name.to_lowercase()];
    for r in c.query("SELECT name FROM person_alias WHERE person = $1", args![person])? {
        known.push(r.get::<String>(0)?.to_lowercase());
    }
    Ok(known)
}

pub(crate) fn undo(tx: &mut Tx, merge: i64, reason: &str, actor: &str, at: Timestamp) -> Result<Merge> {
    queue_writers_on(tx, "person-merge", "index")?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid("reason: say why the merge is undone".into()));
    }
    let row = tx
        .query_opt(&format!("{MERGE_SELECT} WHERE m.id = $1"), args![merge])?
        .ok_or(StoreError::NotFound { entity: "merge", id: merge })?;
    let mut m = merge_row(&row)?;
    if m.undone_at.is_some() {
        return Err(StoreError::Refused("This merge has been undone already.".into()));
    }
    tx.execute(
        "UPDATE person_merge SET undone_by = $1, undone_at = $2, undo_reason = $3 WHERE id = $4",
        args![actor, at, reason, merge],
    )?;
    tx.execute("UPDATE person SET merged_into = NULL WHERE id = $1", args![m.merged])?;
    tx.execute("DELETE FROM person_alias WHERE merge = $1", args![merge])?;
    search::reindex_person(tx, m.kept)?;
    tx.execute(
        "UPDATE person_duplicate SET status = 'open', decided_by = NULL, decided_at = NULL
         WHERE low = $1 AND high = $2 AND status = 'merged'",
        args![m.kept.min(m.merged), m.kept.max(m.merged)],
    )?;
    let detail = json(&serde_json::json!({"merge": merge, "kept": m.kept, "merged": m.merged, "reason": reason}));
    tx.audit(at, actor, "person", m.kept, "merge-undo", None, Some(detail.clone()));
    tx.audit(at, actor, "person", m.merged, "merge-undo", None, Some(detail));
    m.undone_by = Some(actor.to_string());
    m.undone_at = Some(at);
    m.undo_reason = Some(reason.to_string());
    Ok(m)
}

pub(crate) fn distinct(tx: &mut Tx, id: i64, actor: &str, at: Timestamp) -> Result<PossibleDuplicate> {
    let p = pair(tx, id)?;
    if p.status != "open" {
        return Err(StoreError::Refused(format!("This possible duplicate was decided already ({}).", p.status)));
    }
    tx.execute(
        "UPDATE person_duplicate SET status = 'distinct', decided_by = $1, decided_at = $2 WHERE id = $3",
        args![actor, at, id],
    )?;
    tx.audit(at, actor, "person", p.low.id, "not-a-duplicate", None, Some(json(&(p.low.id, p.high.id))));
    pair(tx, id)
}

/// See [`NominalIndex::person_history`].
pub(crate) fn history(
    c: &mut dyn Conn,
    person: i64,
    reach: &crate::casework::Reach,
    with_reports: bool,
    limit: usize,
) -> Result<PersonHistory> {
    let limit = super::count(limit)?;
    let mut h = PersonHistory::default();
    if with_reports {
        for r in c.query(
            "SELECT id, reference, kind, channel, reported_at FROM report
             WHERE reporter IN (SELECT m.id FROM person m WHERE m.id = $1 OR m.merged_into = $1)
             ORDER BY reported_at DESC, id DESC LIMIT $2",
            args![person, limit],
        )? {
            h.reports.push(ReportMade {
                id: r.get(0)?,
                reference: r.get(1)?,
                kind: r.get(2)?,
                channel: r.get(3)?,
                reported_at: r.get(4)?,
            });
        }
    }
    for r in c.query(
        "SELECT c.reference, k.at, k.method, k.by_whom, k.notes FROM contact k JOIN crime c ON c.id = k.crime
         WHERE k.person IN (SELECT m.id FROM person m WHERE m.id = $1 OR m.merged_into = $1)
           AND (($2 IS NULL AND $3 IS NULL) OR c.officer = $2 OR c.team = $3)
         ORDER BY k.at DESC, k.id DESC LIMIT $4",
        args![person, reach.officer, reach.team, limit],
    )? {
        h.contacts.push(ContactHad {
            crime_reference: r.get(0)?,
            at: r.get(1)?,
            method: r.get(2)?,
            by_whom: r.get(3)?,
            notes: r.get(4)?,
        });
    }
    Ok(h)
}
