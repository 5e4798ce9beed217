//! Investigation plans and supervisors' reviews, and which open crimes need one.

use super::{json, require};
use crate::casework::{Review, ReviewStatus};
use crate::sql::{args, Conn, Tx};
use crate::Result;
use peel_domain::date::{Date, Timestamp};

#[allow(clippy::too_many_arguments)]
pub(crate) fn add(
    tx: &mut Tx,
    crime: i64,
    kind: &str,
    text: &str,
    author: &str,
    at: Timestamp,
    next_review_due: Option<Date>,
) -> Result<Review> {
    require(tx, "crime", crime)?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO crime_review (crime, kind, text, author, at, next_review_due)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            args![crime, kind, text, author, at, next_review_due],
        )?
        .get(0)?;
    let review = Review {
        id,
        crime,
        kind: kind.to_string(),
        text: text.to_string(),
        author: author.to_string(),
        at,
        next_review_due,
    };
    tx.audit(at, author, "crime", crime, &format!("add-{kind}"), None, Some(json(&review)));
    Ok(review)
}

pub(crate) fn of_crime(c: &mut dyn Conn, crime: i64) -> Result<Vec<Review>> {
    let rows = c.query(
        "SELECT id, crime, kind, text, author, at, next_review_due FROM crime_review WHERE crime = $1 ORDER BY at, id",
        args![crime],
    )?;
    rows.iter()
        .map(|row| {
            let r = row.record("crime_review", "id, crime, kind, text, author, at, next_review_due", 0);
            Ok(Review {
                id: r.get(0)?,
                crime: r.get(1)?,
                kind: r.get(2)?,
                text: r.get(3)?,
                author: r.get(4)?,
                at: r.get(5)?,
                next_review_due: r.get(6)?,
            })
        })
        .collect()
}

/// Open crimes with their first plan and the latest review's next date, of one team or the
/// force. The team's condition is written out rather than `($1 IS NULL OR c.team = $1)`,
/// which no index serves, so that a team's open crimes come from the crime_open_team index
/// instead of a scan of every crime.
pub(crate) fn status(c: &mut dyn Conn, team: Option<&str>) -> Result<Vec<ReviewStatus>> {
    let team_condition = if team.is_some() { "c.team = $1" } else { "$1 IS NULL" };
    let rows = c.query(
        &format!(
            "SELECT c.id, c.reference, c.officer, c.team, c.recorded_at,
                    (SELECT min(r.at) FROM crime_review r WHERE r.crime = c.id AND r.kind = 'plan'),
                    (SELECT r.next_review_due FROM crime_review r WHERE r.crime = c.id AND r.next_review_due IS NOT NULL
                     ORDER BY r.at DESC, r.id DESC LIMIT 1)
             FROM crime c WHERE c.status = 'recorded' AND c.outcome IS NULL AND {team_condition}
             ORDER BY c.id"
        ),
        args![team],
    )?;
    rows.iter()
        .map(|row| {
            let r = row.record("crime", "id, reference, officer, team, recorded_at, plan_at, next_review_due", 0);
            Ok(ReviewStatus {
                crime: r.get(0)?,
                reference: r.get(1)?,
                officer: r.get(2)?,
                team: r.get(3)?,
                recorded_at: r.get(4)?,
                plan_at: r.get(5)?,
                next_review_due: r.get(6)?,
            })
        })
        .collect()
}
