//! Facts for the dashboards and the daily management meeting: obligations and crimes of a
//! period within a scope, repeat victims.

use super::obligations::{obligation_row, FIELDS as OBLIGATION_FIELDS};
use super::prefixed;
use crate::casework::{CrimeFact, ObligationFact, Scope};
use crate::sql::{args, Conn, Dialect};
use crate::Result;
use peel_analytics::Dictionary;
use peel_domain::date::Date;
use std::borrow::Cow;
use std::collections::HashMap;

/// Everyone who is one person with `${n}` (migration 0020): the record kept and every record
/// merged into it, whichever of them `${n}` is.
fn one_person(n: usize) -> String {
    format!(
        "SELECT m.id FROM person m, person x WHERE x.id = ${n}
           AND (m.id = coalesce(x.merged_into, x.id) OR m.merged_into = coalesce(x.merged_into, x.id))"
    )
}

/// The recorded dates (YYYY-MM-DD) of a person's crimes as victim, oldest first, counting
/// the records merged with theirs (each crime once).
pub(crate) fn victim_crime_dates(c: &mut dyn Conn, person: i64) -> Result<Vec<Date>> {
    let rows = c.query(
        &format!(
            "SELECT DISTINCT c.id, substr(c.recorded_at, 1, 10), c.recorded_at FROM crime_person cp
             JOIN crime c ON c.id = cp.crime JOIN person p ON p.id = cp.person AND NOT p.is_business
             WHERE cp.person IN ({}) AND cp.role = 'victim' AND c.status = 'recorded' ORDER BY c.recorded_at",
            one_person(1)
        ),
        args![person],
    )?;
    rows.iter().map(|r| r.record("crime", "id, recorded_at", 0).get(1)).collect()
}

/// Obligations of the crimes recorded on the days `from..=to` within `scope`.
pub(crate) fn obligations(c: &mut dyn Conn, from: Date, to: Date, scope: &Scope) -> Result<Vec<ObligationFact>> {
    let rows = c.query(
        &format!(
            "SELECT {}, c.reference, c.recorded_at, c.offence_code, c.team, c.officer
             FROM obligation o JOIN crime c ON c.id = o.crime
             WHERE c.status = 'recorded' AND c.recorded_at BETWEEN $1 AND $2 || 'T99:99' AND {}
             ORDER BY o.id",
            prefixed("o", OBLIGATION_FIELDS),
            scope.condition(3)
        ),
        args![from, to, scope.officer, scope.team],
    )?;
    rows.iter()
        .map(|row| {
            let r = row.record("obligation", OBLIGATION_FIELDS, 0);
            Ok(ObligationFact {
                obligation: obligation_row(row)?,
                crime_reference: r.get(9)?,
                recorded_at: r.get(10)?,
                offence_code: r.get(11)?,
                team: r.get(12)?,
                officer: r.get(13)?,
            })
        })
        .collect()
}

/// See [`crate::casework::Casework::obligation_compliance`]. The rule is peel-casework
/// `performance::state_of`'s, over the text the store keeps: a due time ("YYYY-MM-DDTHH:MM")
/// is met on time by that minute, a due date ("YYYY-MM-DD") by the end of that day; unmet and
/// due before `as_of` is a breach; unmet and not yet due is not counted. Times and dates
/// compare as text (fixed width, C collation).
///
/// SQLite has no hash aggregate: its `GROUP BY` sorted every obligation of the year (361,000
/// on the million-crime demo force: 1.05 s, of which 0.24 s reading them), most of the board
/// paper's time. There the store classifies each obligation (three 0/1 columns) and Peel adds
/// them up as they stream, the team and officer interned so that no string is kept per
/// obligation. PostgreSQL adds up the same rows itself (a hash aggregate, a few hundred rows
/// sent rather than every obligation): one statement for both, wrapped in a `GROUP BY` there.
pub(crate) fn obligation_compliance(
    c: &mut dyn Conn,
    from: Date,
    to: Date,
    as_of: Date,
) -> Result<Vec<crate::casework::ComplianceGroup>> {
    const EACH: &str = "SELECT o.right_no, c.team, c.officer,
                CASE WHEN o.met_at IS NOT NULL AND (CASE WHEN length(o.due) > 10 THEN o.met_at <= o.due
                                                        ELSE substr(o.met_at, 1, 10) <= o.due END)
                     THEN 1 ELSE 0 END AS on_time,
                CASE WHEN o.met_at IS NOT NULL THEN 1 ELSE 0 END AS met,
                CASE WHEN o.met_at IS NULL AND substr(o.due, 1, 10) < $3 THEN 1 ELSE 0 END AS unmet
         FROM obligation o JOIN crime c ON c.id = o.crime
         WHERE c.status = 'recorded' AND c.recorded_at BETWEEN $1 AND $2 || 'T99:99' AND o.due IS NOT NULL";
    let sql = match c.dialect() {
        Dialect::Sqlite => Cow::Borrowed(EACH),
        Dialect::Postgres => Cow::Owned(format!(
            "SELECT right_no, team, officer, sum(on_time), sum(met), sum(unmet) FROM ({EACH}) o GROUP BY 1, 2, 3"
        )),
    };
    let (mut teams, mut officers) = (Dictionary::default(), Dictionary::default());
    // (right, team, officer) -> (on time, met, unmet)
    let mut counts: HashMap<(u8, u32, u32), (u64, u64, u64)> = HashMap::new();
    c.for_each_row(&sql, args![from, to, as_of], &mut |r| {
        let (team, officer) = (teams.code(r.text(1)?), officers.code(r.text(2)?));
        let (on_time, met, unmet): (u64, u64, u64) = (r.get(3)?, r.get(4)?, r.get(5)?);
        let n = counts.entry((r.get(0)?, team, officer)).or_default();
        n.0 += on_time;
        n.1 += met;
        n.2 += unmet;
        Ok(())
    })?;
    let mut out: Vec<_> = counts
        .into_iter()
        .map(|((right_no, team, officer), (on_time, met, unmet))| crate::casework::ComplianceGroup {
            right_no,
            team: teams.name(team).map(str::to_string),
            officer: officers.name(officer).map(str::to_string),
            met_on_time: on_time,
            met_late: met.saturating_sub(on_time),
            unmet,
        })
        .collect();
    // In the order the GROUP BY gave (NULL first, as SQL sorts it).
    out.sort_by(|a, b| (a.right_no, &a.team, &a.officer).cmp(&(b.right_no, &b.team, &b.officer)));
    Ok(out)
}

/// Crime facts of the days `from..=to` within `scope`; with `open_only`, only crimes still
/// open (recorded, no outcome), which the crime_open partial indexes find without reading
/// the closed ones.
pub(crate) fn crimes(c: &mut dyn Conn, from: Date, to: Date, scope: &Scope, open_only: bool) -> Result<Vec<CrimeFact>> {
    // The open condition is written out, not a parameter: SQLite uses a partial index only
    // when the query's own terms imply the index's WHERE.
    let open = if open_only { "AND c.status = 'recorded' AND c.outcome IS NULL" } else { "" };
    let condition = format!("{} {open}", scope.condition(3));
    let rows = c.query(
        &format!(
            "SELECT c.id, c.reference, c.recorded_at, c.offence_code, c.status, c.team, c.officer, c.outcome, c.flags,
                    i.thrive, r.site, c.outcome_at,
                    (SELECT count(*) FROM crime_person s WHERE s.crime = c.id AND s.role = 'suspect')
             FROM crime c JOIN incident i ON i.id = c.incident JOIN report r ON r.id = i.report
             WHERE c.recorded_at BETWEEN $1 AND $2 || 'T99:99' AND {condition} ORDER BY c.id"
        ),
        args![from, to, scope.officer, scope.team],
    )?;
    let mut facts = rows
        .iter()
        .map(|row| {
            let r = row.record(
                "crime",
                "id, reference, recorded_at, offence_code, status, team, officer, outcome, flags, thrive, site, outcome_at",
                0,
            );
            Ok(CrimeFact {
                id: r.get(0)?,
                reference: r.get(1)?,
                recorded_at: r.get(2)?,
                offence_code: r.get(3)?,
                status: r.get(4)?,
                team: r.get(5)?,
                officer: r.get(6)?,
                outcome: r.get(7)?,
                flags: r.json(8)?,
                thrive: r.json_opt(9)?,
                site: r.get(10)?,
                outcome_at: r.get(11)?,
                suspects: r.get(12)?,
                victims: vec![],
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // Victims in one pass over the period's crimes rather than a query per crime.
    let victims = c.query(
        &format!(
            "SELECT cp.crime, cp.person, cp.enhanced FROM crime_person cp JOIN crime c ON c.id = cp.crime
             WHERE cp.role = 'victim' AND c.recorded_at BETWEEN $1 AND $2 || 'T99:99' AND {condition}
             ORDER BY cp.crime, cp.person"
        ),
        args![from, to, scope.officer, scope.team],
    )?;
    let index: HashMap<i64, usize> = facts.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
    for r in &victims {
        if let Some(&i) = index.get(&r.get::<i64>(0)?) {
            facts[i].victims.push((r.get(1)?, r.get(2)?));
        }
    }
    Ok(facts)
}

/// Each person's crimes as victim recorded on the days `from..=to` (individuals only: a
/// business counts none), in the order the persons are given.
pub(crate) fn victim_crime_counts(
    c: &mut dyn Conn,
    from: Date,
    to: Date,
    persons: &[i64],
) -> Result<Vec<(i64, usize)>> {
    let rows = c.query(
        &format!(
            "SELECT l.value, (SELECT count(DISTINCT c.id) FROM crime_person cp JOIN crime c ON c.id = cp.crime
                              JOIN person b ON b.id = cp.person
                              WHERE cp.person IN (SELECT m.id FROM person m, person x WHERE x.id = l.value
                                  AND (m.id = coalesce(x.merged_into, x.id) OR m.merged_into = coalesce(x.merged_into, x.id)))
                                AND NOT b.is_business AND cp.role = 'victim'
                                AND c.status = 'recorded' AND c.recorded_at BETWEEN $2 AND $3 || 'T99:99')
             FROM {}",
            c.dialect().id_list(1, "l")
        ),
        args![persons, from, to],
    )?;
    let counted = rows.iter().map(|r| Ok((r.get(0)?, r.get(1)?))).collect::<Result<HashMap<i64, usize>>>()?;
    Ok(persons.iter().map(|p| (*p, counted.get(p).copied().unwrap_or(0))).collect())
}

/// The repeat victims of a scope's open crimes: each victim (individuals only) of an open
/// crime recorded on the days `from..=to`, with their crimes as victim in that period (their
/// merged records' too, each crime once), if at
/// least `at_least`; most crimes first. The victims are found first, then each one's crimes
/// counted once, so a business's hundreds of crimes are never read.
pub(crate) fn open_crime_repeat_victims(
    c: &mut dyn Conn,
    from: Date,
    to: Date,
    scope: &crate::casework::Scope,
    at_least: usize,
) -> Result<Vec<(i64, usize)>> {
    let rows = c.query(
        &format!(
            "WITH o AS MATERIALIZED (
                SELECT DISTINCT cp.person, coalesce(p.merged_into, p.id) AS master
                FROM crime c JOIN crime_person cp ON cp.crime = c.id AND cp.role = 'victim'
                JOIN person p ON p.id = cp.person AND NOT p.is_business
                WHERE c.recorded_at BETWEEN $1 AND $2 || 'T99:99' AND {} AND c.status = 'recorded' AND c.outcome IS NULL)
             SELECT o.person, count(DISTINCT c2.id) AS n FROM o
             JOIN person g ON g.id = o.master OR g.merged_into = o.master
             JOIN crime_person cp2 ON cp2.person = g.id AND cp2.role = 'victim'
             JOIN crime c2 ON c2.id = cp2.crime
             WHERE c2.status = 'recorded' AND c2.recorded_at BETWEEN $1 AND $2 || 'T99:99'
             GROUP BY o.person HAVING count(DISTINCT c2.id) >= $5 ORDER BY n DESC, o.person",
            scope.condition(3)
        ),
        args![from, to, scope.officer, scope.team, super::count(at_least)?],
    )?;
    rows.iter().map(|r| Ok((r.get(0)?, r.get(1)?))).collect()
}
