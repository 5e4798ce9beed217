//! People: victims, suspects, witnesses and reporters, and their place on a crime.

use super::{json, obligations, require};
use crate::casework::{CrimePerson, NewObligation, Person, PersonDetails, PersonRef};
use crate::sql::{args, Conn, Row, Tx};
use crate::Result;
use peel_domain::date::Timestamp;

const FIELDS: &str = "id, name, date_of_birth, sex, ethnicity, vulnerabilities, is_business";

/// A person's columns from `from` on.
fn person_at(row: &Row, from: usize) -> Result<Person> {
    let r = row.record("person", FIELDS, from);
    Ok(Person {
        id: r.get(from)?,
        details: PersonDetails {
            name: r.get(from + 1)?,
            date_of_birth: r.get(from + 2)?,
            sex: r.get(from + 3)?,
            ethnicity: r.get(from + 4)?,
            vulnerabilities: r.json(from + 5)?,
            is_business: r.get(from + 6)?,
        },
    })
}

pub(crate) fn insert(tx: &mut Tx, p: &PersonDetails, actor: &str, at: Timestamp) -> Result<i64> {
    let id: i64 = tx
        .query_one(
            "INSERT INTO person (name, date_of_birth, sex, ethnicity, vulnerabilities, is_business)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            args![p.name, p.date_of_birth, p.sex, p.ethnicity, json(&p.vulnerabilities), p.is_business],
        )?
        .get(0)?;
    tx.audit(at, actor, "person", id, "create", None, Some(json(p)));
    super::search::index_person(tx, id, &p.name, p.date_of_birth.as_deref())?;
    // Found as they are entered (issue 10 §1): the review list has them at once.
    super::nominal::note_duplicates(tx, id, at)?;
    Ok(id)
}

pub(crate) fn get(c: &mut dyn Conn, id: i64) -> Result<Person> {
    match c.query_opt(&format!("SELECT {FIELDS} FROM person WHERE id = $1"), args![id])? {
        Some(row) => person_at(&row, 0),
        None => Err(crate::StoreError::NotFound { entity: "person", id }),
    }
}

/// The id of a person named by reference (who must exist) or added now.
pub(crate) fn id_of(tx: &mut Tx, p: &PersonRef, actor: &str, at: Timestamp) -> Result<i64> {
    match p {
        PersonRef::New(d) => insert(tx, d, actor, at),
        &PersonRef::Existing(id) => {
            require(tx, "person", id)?;
            Ok(id)
        }
    }
}

/// The people on a crime: victims first (roles in descending order), then by person.
pub(crate) fn of_crime(c: &mut dyn Conn, crime: i64) -> Result<Vec<CrimePerson>> {
    let rows = c.query(
        "SELECT p.id, p.name, p.date_of_birth, p.sex, p.ethnicity, p.vulnerabilities, p.is_business,
                cp.role, cp.enhanced, cp.enhanced_reasons
         FROM crime_person cp JOIN person p ON p.id = cp.person WHERE cp.crime = $1 ORDER BY cp.role DESC, p.id",
        args![crime],
    )?;
    rows.iter()
        .map(|r| {
            Ok(CrimePerson {
                person: person_at(r, 0)?,
                role: r.get(7)?,
                enhanced: r.get(8)?,
                enhanced_reasons: r.json(9)?,
            })
        })
        .collect()
}

/// Puts a person on a crime in a role (once per role), with what they are owed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn add_to_crime(
    tx: &mut Tx,
    crime: i64,
    person: &PersonRef,
    role: &str,
    enhanced: bool,
    enhanced_reasons: &[String],
    owed: &[NewObligation],
    actor: &str,
    at: Timestamp,
) -> Result<Person> {
    require(tx, "crime", crime)?;
    let id = id_of(tx, person, actor, at)?;
    tx.execute(
        "INSERT INTO crime_person (crime, person, role, enhanced, enhanced_reasons) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (crime, person, role) DO NOTHING",
        args![crime, id, role, enhanced, json(&enhanced_reasons)],
    )?;
    obligations::insert(tx, crime, id, owed, actor, at)?;
    tx.audit(at, actor, "crime", crime, &format!("add-{role}"), None, Some(json(&(id, role))));
    person_at(&tx.query_one(&format!("SELECT {FIELDS} FROM person WHERE id = $1"), args![id])?, 0)
}
