//! The force's crimes as analysis data (`crime_fact`, migration 15): what both stores' writers
//! share (the columns, the upsert, which references an import may not take), and the reads,
//! written once: the gazetteer an import resolves places with, a force's crimes as
//! [`CrimeFacts`], and those as police.uk street columns for every existing analysis.

use crate::records::{CrimeFactBatch, PostcodeRecord};
use crate::resources::street::force_lsoas_and;
use crate::sql::{args, Conn, Dialect, ToParam, Tx};
use crate::{Result, StoreError};
use peel_analytics::{CrimeFacts, Lsoa};
use peel_domain::date::{Date, Timestamp};
use peel_domain::YearMonth;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The columns a re-import may change, in the order both writers bind them after
/// `reference` and `origin`.
const UPDATED: [&str; 19] = [
    "force",
    "recorded_at",
    "occurred_at",
    "offence_code",
    "category",
    "harm_days",
    "flags",
    "postcode",
    "easting",
    "northing",
    "lsoa_code",
    "msoa_code",
    "ward_code",
    "la_code",
    "victim_age",
    "victim_sex",
    "outcome_type",
    "outcome_date",
    "team",
];

/// The columns an import writes, in the order both writers bind them (`origin` is
/// 'imported', `crime` and `source_version` NULL: they belong to recorded crimes).
pub(crate) static IMPORTED_COLUMNS: LazyLock<String> =
    LazyLock::new(|| format!("reference, origin, {}", UPDATED.join(", ")));

/// A re-imported reference replaces the imported row; a recorded crime's row is never
/// touched (the writer sees no change, and [`IMPORTED_REFUSED`] says why). A row the import
/// would leave as it is, is not written at all: importing the same history again (a migration
/// run twice, a monthly file that repeats the months before) rewrote every row and every index
/// entry, four times the work of comparing them (a million crimes: 5.4 s against 1.3 s).
pub(crate) static IMPORTED_UPSERT: LazyLock<String> = LazyLock::new(|| {
    let each = |f: &dyn Fn(&str) -> String| UPDATED.iter().map(|c| f(c)).collect::<Vec<_>>().join(", ");
    format!(
        "ON CONFLICT (reference) DO UPDATE SET {}
 WHERE crime_fact.origin = 'imported'
   AND ({}) IS DISTINCT FROM ({})",
        each(&|c| format!("{c} = excluded.{c}")),
        each(&|c| format!("crime_fact.{c}")),
        each(&|c| format!("excluded.{c}")),
    )
});

/// Whether a reference the upsert did not write is a crime recorded in Peel (refused) rather
/// than an imported crime already as the line says.
pub(crate) const IMPORTED_REFUSED: &str = "SELECT 1 FROM crime_fact WHERE reference = $1 AND origin <> 'imported'";

/// The line of the batch's row with `reference`, if the batch has one (rows are sorted by
/// reference).
pub(crate) fn line_of(batch: &CrimeFactBatch, reference: &str) -> Option<u32> {
    batch.rows.binary_search_by(|r| r.reference.as_str().cmp(reference)).ok().map(|i| batch.rows[i].line)
}

/// Every postcode of the gazetteer, for an import to resolve places in memory.
pub(crate) fn gazetteer(c: &mut dyn Conn) -> Result<Vec<PostcodeRecord>> {
    let mut out = Vec::new();
    c.for_each_row(
        "SELECT postcode, easting, northing, lsoa_code, msoa_code, ward_code, la_code, force FROM postcode",
        args![],
        &mut |r| {
            out.push(PostcodeRecord {
                postcode: r.get(0)?,
                easting: r.get(1)?,
                northing: r.get(2)?,
                quality: 0,
                lsoa_code: r.get(3)?,
                msoa_code: r.get(4)?,
                msoa_name: None,
                ward_code: r.get(5)?,
                ward_name: None,
                la_code: r.get(6)?,
                la_name: None,
                force: r.get(7)?,
            });
            Ok(())
        },
    )?;
    Ok(out)
}

/// Counts one change to the force's analysis data (`crime_fact_change`, migration 26), in the
/// transaction that made it or just after: what a reader that keeps the data in memory
/// compares to know it must load it again.
pub(crate) fn changed(c: &mut dyn Conn, force: u16) -> Result<()> {
    c.execute(
        "INSERT INTO crime_fact_change (force, changes) VALUES ($1, 1)
         ON CONFLICT (force) DO UPDATE SET changes = crime_fact_change.changes + 1",
        args![i64::from(force)],
    )?;
    Ok(())
}

/// Whether the store holds any of the force's crimes.
pub(crate) fn holds(c: &mut dyn Conn, force: u16) -> Result<bool> {
    Ok(c.query_opt("SELECT 1 FROM crime_fact WHERE force = $1 LIMIT 1", args![i64::from(force)])?.is_some())
}

fn bad(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("crime_fact {what}: {e}"))
}

/// As [`load_between`], a long stretch read as two halves at once where the store can
/// (`Engine::read_parts`): the board paper reads four years, 700,000 crimes of the demo
/// force, and their reading was most of its time. Under two years is read whole.
pub(crate) fn load_in_parts<E: crate::sql::Engine>(
    store: &E,
    force: u16,
    from: YearMonth,
    to: YearMonth,
) -> Result<CrimeFacts> {
    const SPLIT_FROM_MONTHS: i32 = 24;
    let months = to.index() - from.index() + 1;
    let parts = if months >= SPLIT_FROM_MONTHS {
        let middle = from.plus(months / 2);
        vec![(from, middle.plus(-1)), (middle, to)]
    } else {
        vec![(from, to)]
    };
    let mut read = store.read_parts(&parts, &|c, &(a, b)| load_between(c, force, a, b))?.into_iter();
    let mut facts = read.next().unwrap_or_default();
    for later in read {
        facts.append(later);
    }
    Ok(facts)
}

/// A force's crimes recorded from `from` to `to` inclusive, as columns.
pub(crate) fn load_between(c: &mut dyn Conn, force: u16, from: YearMonth, to: YearMonth) -> Result<CrimeFacts> {
    let mut f = CrimeFacts::default();
    // Times are text "YYYY-MM-DDTHH:MM": a month's crimes sort between "YYYY-MM" and the
    // next month's "YYYY-MM".
    c.for_each_row(
        "SELECT recorded_at, category, offence_code, harm_days, flags, lsoa_code, ward_code, la_code,
                easting, northing, victim_age, victim_sex, outcome_type, outcome_date, team
         FROM crime_fact WHERE force = $1 AND recorded_at >= $2 AND recorded_at < $3",
        args![i64::from(force), from.to_string(), to.plus(1).to_string()],
        &mut |r| {
            let at: Timestamp = r.get(0)?;
            let (hour, _) = at.time();
            let date = at.date();
            f.recorded.push(at.minutes_since_epoch());
            f.month.push(YearMonth { year: date.year(), month: date.month() }.index());
            f.hour.push(hour);
            f.weekday.push(date.weekday() as u8);
            // Text is borrowed from the row and looked up in the dictionaries: nothing is
            // allocated per row but the dictionaries' new entries.
            f.category.push(r.get(1)?);
            f.offence.push(f.offences.code(r.text(2)?));
            f.harm.push(r.get(3)?);
            f.flags.push(r.get::<i64>(4)? as u64);
            f.lsoa.push(f.lsoas.code(r.text(5)?));
            f.ward.push(f.wards.code(r.text(6)?));
            f.local_authority.push(f.local_authorities.code(r.text(7)?));
            f.easting.push(r.get(8)?);
            f.northing.push(r.get(9)?);
            f.victim_age.push(r.get(10)?);
            f.victim_sex.push(r.text(11)?.and_then(|s| s.bytes().next()));
            f.outcome_type.push(r.get(12)?);
            let outcome: Option<Date> = r.get(13)?;
            f.outcome_month.push(outcome.map(|d| YearMonth { year: d.year(), month: d.month() }.index()));
            f.team.push(f.teams.code(r.text(14)?));
            Ok(())
        },
    )
    .map_err(|e| bad("rows", e))?;
    Ok(f)
}

/// A month of the force's crimes as police.uk publishes them (see `PublishedCrime`).
pub(crate) fn published(c: &mut dyn Conn, force: u16, month: YearMonth) -> Result<Vec<crate::PublishedCrime>> {
    let mut out = Vec::new();
    c.for_each_row(
        "SELECT f.reference, f.category, f.postcode, f.easting, f.northing, f.lsoa_code,
                coalesce(b.name, (SELECT l.name FROM lsoa l WHERE l.code = f.lsoa_code)), f.outcome_type
         FROM crime_fact f LEFT JOIN lsoa_boundary b ON b.code = f.lsoa_code
         WHERE f.force = $1 AND f.recorded_at >= $2 AND f.recorded_at < $3
         ORDER BY f.reference",
        args![i64::from(force), month.to_string(), month.plus(1).to_string()],
        &mut |r| {
            out.push(crate::PublishedCrime {
                reference: r.get(0)?,
                category: r.get(1)?,
                postcode: r.get(2)?,
                easting: r.get(3)?,
                northing: r.get(4)?,
                lsoa_code: r.get(5)?,
                lsoa_name: r.get(6)?,
                outcome_type: r.get(7)?,
            });
            Ok(())
        },
    )
    .map_err(|e| bad("rows", e))?;
    Ok(out)
}

/// A text list parameter (JSON) as a one-column table `alias(value)`.
fn text_list(d: Dialect, n: usize, alias: &str) -> String {
    match d {
        Dialect::Sqlite => format!("json_each(${n}) AS {alias}"),
        Dialect::Postgres => format!("json_array_elements_text(${n}::json) AS {alias}(value)"),
    }
}

/// The LSOAs `codes` names, in order, then the rest of the force's by the ONS lookup (which
/// may have no crime but still have people and area). An LSOA the ONS tables have not been
/// imported for takes its name from the boundaries; one in neither is its code alone.
pub(crate) fn lsoa_details(c: &mut dyn Conn, force: u16, codes: &[String]) -> Result<Vec<Lsoa>> {
    let d = c.dialect();
    let list = serde_json::to_string(codes).expect("strings serialise");
    let mut by_code: HashMap<String, Lsoa> = HashMap::new();
    let mut extra = Vec::new();
    let also = format!("code IN (SELECT l.value FROM {})", text_list(d, 2, "l"));
    for (_, lsoa) in force_lsoas_and(c, force, &also, list.to_param())? {
        if !codes.contains(&lsoa.code) {
            extra.push(lsoa.code.clone());
        }
        by_code.insert(lsoa.code.clone(), lsoa);
    }
    let mut boundary_names: HashMap<String, (String, Option<u16>)> = HashMap::new();
    for r in c.query(
        &format!(
            "SELECT code, name, force FROM lsoa_boundary WHERE code IN (SELECT l.value FROM {})",
            text_list(d, 1, "l")
        ),
        args![list],
    )? {
        boundary_names.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
    }
    Ok(codes
        .iter()
        .chain(extra.iter())
        .map(|code| {
            by_code.remove(code).unwrap_or_else(|| {
                let (name, in_force) = match boundary_names.remove(code) {
                    Some((name, f)) => (name, f == Some(force)),
                    None => (code.clone(), false),
                };
                let (local_authority, msoa_name) = Lsoa::areas_from_name(&name);
                Lsoa { code: code.clone(), name, msoa_name, local_authority, in_force, ..Lsoa::default() }
            })
        })
        .collect())
}

/// The crimes recorded in Peel, brought into `crime_fact` (origin 'recorded') for `force`:
/// each crime whose projected version is not its current one (new, allocated, given an
/// outcome) is written again, a cancelled crime is taken out; a crime whose row is current is
/// left alone, so a projection run again writes nothing. Returns (written, removed).
///
/// What a recorded crime gives: its offence (category, exact harm), flags (as bits; a word
/// the vocabulary does not know is left out), team, outcome (its Home Office type and date);
/// the victim's age on the day recorded and sex; the LSOA its report or the report's partner
/// site was placed in, with its postcode, grid point, MSOA, ward and local authority as
/// `peel_casework::locate` derived them (a report placed before those were kept: the MSOA,
/// ward and local authority of a gazetteer postcode in its LSOA, and no grid point).
pub(crate) fn project_recorded(tx: &mut Tx, force: u16, after: i64, most: usize) -> Result<Projected> {
    // Only what needs work: crimes with no fact or a stale one, and cancelled crimes that still
    // have one (a cancelled crime without a fact is done, and is not visited again). From the
    // cursor on, in crime order, so that a caller's batches always move forward.
    // The report's own place, or (a report with none) its partner site's, whole: a report
    // placed before postcodes were kept has an LSOA only, and takes no grid point from its site.
    let placed = ["postcode", "easting", "northing", "msoa_code", "ward_code", "la_code"]
        .map(|f| format!("CASE WHEN r.lsoa_code IS NULL AND r.easting IS NULL THEN s.{f} ELSE r.{f} END"))
        .join(", ");
    let rows = tx.query(
        &format!(
            "SELECT c.id, c.reference, c.version, c.status, c.recorded_at, c.offence_code, c.flags, c.team,
                c.outcome, c.outcome_at, coalesce(r.lsoa_code, s.lsoa_code), p.date_of_birth, p.sex,
                {placed}
         FROM crime c
         JOIN incident i ON i.id = c.incident
         JOIN report r ON r.id = i.report
         LEFT JOIN site s ON s.id = r.site
         LEFT JOIN crime_person cp ON cp.crime = c.id AND cp.role = 'victim'
         LEFT JOIN person p ON p.id = cp.person
         LEFT JOIN crime_fact f ON f.reference = c.reference
         WHERE c.id > $1
           AND CASE WHEN c.status = 'cancelled' THEN f.reference IS NOT NULL AND f.origin = 'recorded'
                    ELSE f.reference IS NULL OR f.origin <> 'recorded' OR f.source_version <> c.version END
         ORDER BY c.id
         LIMIT $2"
        ),
        args![after, most as i64],
    )?;
    let (mut written, mut removed, mut last) = (0, 0, None);
    let last_id = match rows.last() {
        Some(r) => Some(r.get::<i64>(0)?),
        None => None,
    };
    for r in &rows {
        let id: i64 = r.get(0)?;
        // One row per crime: a second victim's row (the Counting Rules record one crime per
        // victim, so there is none unless added by hand) is not a second crime.
        if last.replace(id) == Some(id) {
            continue;
        }
        let reference: String = r.get(1)?;
        if r.get::<String>(3)? == "cancelled" {
            removed += tx.execute("DELETE FROM crime_fact WHERE reference = $1", args![reference])?;
            continue;
        }
        let recorded_at: Timestamp = r.get(4)?;
        let code: String = r.get(5)?;
        let Some(offence) = peel_domain::offence::by_code(&code) else { continue };
        let words: Vec<String> = r.json(6)?;
        let flags = words.iter().filter_map(|w| peel_domain::flags::bit(w).ok()).fold(0u64, |a, b| a | b);
        let outcome_type: Option<i64> =
            r.get::<Option<String>>(8)?.and_then(|o| o.trim().trim_end_matches(['A', 'a']).parse().ok());
        let outcome_date: Option<String> =
            r.get::<Option<Timestamp>>(9)?.map(|t| t.date().to_string()).filter(|_| outcome_type.is_some());
        let lsoa: Option<String> = r.get(10)?;
        let age = r.get::<Option<Date>>(11)?.map(|dob| {
            let on = recorded_at.date();
            let had_birthday = (on.month(), on.day()) >= (dob.month(), dob.day());
            i64::from(on.year() - dob.year()) - i64::from(!had_birthday)
        });
        let sex = r.get::<Option<String>>(12)?.and_then(|s| match s.trim().to_ascii_lowercase().as_str() {
            "f" | "female" => Some("F"),
            "m" | "male" => Some("M"),
            "x" | "other" => Some("X"),
            "" => None,
            _ => Some("U"),
        });
        // Grid metres, whole (as imported crimes keep them).
        let metres = |i: usize| -> Result<Option<i64>> { Ok(r.get::<Option<f64>>(i)?.map(|x| x.round() as i64)) };
        tx.execute(
            "INSERT INTO crime_fact (reference, origin, crime, source_version, force, recorded_at, offence_code,
                 category, harm_days, flags, lsoa_code, msoa_code, ward_code, la_code, victim_age, victim_sex,
                 outcome_type, outcome_date, team, postcode, easting, northing)
             SELECT $1, 'recorded', $2, $3, $4, $5, $6, $7, $8, $9, $10,
                 coalesce($19, (SELECT msoa_code FROM postcode WHERE lsoa_code = $10 ORDER BY postcode LIMIT 1)),
                 coalesce($20, (SELECT ward_code FROM postcode WHERE lsoa_code = $10 ORDER BY postcode LIMIT 1)),
                 coalesce($21, (SELECT la_code FROM postcode WHERE lsoa_code = $10 ORDER BY postcode LIMIT 1)),
                 $11, $12, $13, $14, $15, $16, $17, $18
             ON CONFLICT (reference) DO UPDATE SET origin = excluded.origin, crime = excluded.crime,
                 source_version = excluded.source_version, force = excluded.force,
                 recorded_at = excluded.recorded_at, occurred_at = NULL, offence_code = excluded.offence_code,
                 category = excluded.category, harm_days = excluded.harm_days, flags = excluded.flags,
                 postcode = excluded.postcode, easting = excluded.easting, northing = excluded.northing,
                 lsoa_code = excluded.lsoa_code,
                 msoa_code = excluded.msoa_code, ward_code = excluded.ward_code, la_code = excluded.la_code,
                 victim_age = excluded.victim_age, victim_sex = excluded.victim_sex,
                 outcome_type = excluded.outcome_type, outcome_date = excluded.outcome_date, team = excluded.team",
            args![
                reference,
                id,
                r.get::<i64>(2)?,
                i64::from(force),
                recorded_at,
                offence.code,
                i64::from(offence.category.code()),
                peel_domain::harm::subgroup_weight(offence.subgroup),
                flags as i64,
                lsoa,
                age,
                sex,
                outcome_type,
                outcome_date,
                r.get::<Option<String>>(7)?,
                r.get::<Option<String>>(13)?,
                metres(14)?,
                metres(15)?,
                r.get::<Option<String>>(16)?,
                r.get::<Option<String>>(17)?,
                r.get::<Option<String>>(18)?
            ],
        )?;
        written += 1;
    }
    if written + removed > 0 {
        changed(tx, force)?;
    }
    Ok(Projected { written, removed, last: last_id.filter(|_| rows.len() == most) })
}

/// What one batch of [`project_recorded`] did; `last`: the crime to go on after, when the
/// batch was full (there may be more).
pub(crate) struct Projected {
    pub written: u64,
    pub removed: u64,
    pub last: Option<i64>,
}
