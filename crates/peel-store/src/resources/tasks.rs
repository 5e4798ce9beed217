//! Tasks, notifications and the outbox (issue 10 §4, migration 0021). `notify` is called by
//! the writes that cause a notification, inside their transaction.

use super::{count, json, require};
use crate::sql::{args, Conn, Row, ToParam, Tx};
use crate::tasks::*;
use crate::tasks::{MeetingDecision, MeetingMark};
use crate::{Result, StoreError};
use peel_domain::date::Timestamp;
use peel_domain::notification::{task_label, Event, CCTV_WARNING_HOURS};

/// Tells `account` of `event`, once per `key`; with its outbox row. Whether it was new.
pub(crate) fn notify(
    tx: &mut Tx,
    account: &str,
    event: &Event,
    key: &str,
    link: Option<&str>,
    at: Timestamp,
) -> Result<bool> {
    let row = tx.query_opt(
        "INSERT INTO notification (account, kind, body, link, key, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (account, key) DO NOTHING RETURNING id",
        args![account, event.kind(), event.text(), link, key, at],
    )?;
    let Some(row) = row else { return Ok(false) };
    let id: i64 = row.get(0)?;
    tx.execute(
        "INSERT INTO outbox (notification, channel, recipient, created_at) VALUES ($1, 'email', $2, $3)",
        args![id, account, at],
    )?;
    Ok(true)
}

/// An account as a notification names it: "Sam Example (4521)", or the username.
pub(crate) fn who(c: &mut dyn Conn, username: &str) -> Result<String> {
    let row = c.query_opt("SELECT display_name, collar FROM account WHERE username = $1", args![username])?;
    Ok(match row {
        Some(r) => match (r.get::<String>(0)?, r.get::<Option<String>>(1)?) {
            (name, Some(collar)) => format!("{name} ({collar})"),
            (name, None) => name,
        },
        None => username.to_string(),
    })
}

/// Tells the officer a crime is now theirs (not when they allocated it to themselves).
pub(crate) fn allocated(
    tx: &mut Tx,
    crime: &crate::casework::Crime,
    before: Option<&str>,
    actor: &str,
    at: Timestamp,
) -> Result<()> {
    let Some(officer) = crime.officer.as_deref() else { return Ok(()) };
    if Some(officer) == before || officer == actor {
        return Ok(());
    }
    let offence = peel_domain::offence::by_code(&crime.offence_code)
        .map_or(crime.offence_code.clone(), |o| format!("{} {}", o.code, o.description));
    let by = who(tx, actor)?;
    let event = Event::Allocated { crime: &crime.reference, offence: &offence, by: &by };
    let link = format!("/crimes/{}", crime.reference);
    notify(tx, officer, &event, &format!("allocated:{}:{}", crime.id, crime.version), Some(&link), at)?;
    Ok(())
}

/// The partner account that sent the report an incident came from, with the report's id and
/// reference; `None` unless it came through the partner portal.
fn partner_of_incident(c: &mut dyn Conn, incident: i64) -> Result<Option<(String, i64, String)>> {
    let row = c.query_opt(
        "SELECT r.created_by, r.id, r.reference FROM incident i JOIN report r ON r.id = i.report
         WHERE i.id = $1 AND r.channel = 'partner-portal'",
        args![incident],
    )?;
    row.map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).transpose()
}

/// Tells the partner who sent the report what the recording decision was.
pub(crate) fn report_decided(tx: &mut Tx, incident: i64, crimes: usize, at: Timestamp) -> Result<()> {
    if let Some((partner, report, reference)) = partner_of_incident(tx, incident)? {
        let event = Event::ReportRecorded { report: &reference, crimes };
        notify(tx, &partner, &event, &format!("decided:{incident}"), Some(&format!("/reports/{report}")), at)?;
    }
    Ok(())
}

/// Tells the partner who sent the report that a crime from it has its outcome.
pub(crate) fn report_finalised(tx: &mut Tx, crime: &crate::casework::Crime, at: Timestamp) -> Result<()> {
    let Some(outcome) = crime.outcome.as_deref() else { return Ok(()) };
    if let Some((partner, report, reference)) = partner_of_incident(tx, crime.incident)? {
        let event = Event::ReportFinalised { report: &reference, outcome };
        let key = format!("finalised:{}:{}", crime.id, crime.version);
        notify(tx, &partner, &event, &key, Some(&format!("/reports/{report}")), at)?;
    }
    Ok(())
}

/// Tells the officer who asked that their cancellation request is answered.
pub(crate) fn cancellation_decided(
    tx: &mut Tx,
    request: &crate::casework::CancelRequest,
    crime: &crate::casework::Crime,
    actor: &str,
    at: Timestamp,
) -> Result<()> {
    let by = who(tx, actor)?;
    let event = Event::CancellationDecided { crime: &crime.reference, agreed: request.status == "cancelled", by: &by };
    let link = format!("/crimes/{}", crime.reference);
    notify(tx, &request.details.requested_by, &event, &format!("cancellation:{}", request.id), Some(&link), at)?;
    Ok(())
}

const FIELDS: &str = "t.id, t.crime, t.person, t.kind, t.description, t.owner, t.due, t.set_by, t.set_at, t.result,
    t.done_by, t.done_at, c.reference, p.name";
const FROM: &str = "task t LEFT JOIN crime c ON c.id = t.crime LEFT JOIN person p ON p.id = t.person";

fn task_row(r: &Row) -> Result<Task> {
    Ok(Task {
        id: r.get(0)?,
        details: NewTask {
            crime: r.get(1)?,
            person: r.get(2)?,
            kind: r.get(3)?,
            description: r.get(4)?,
            owner: r.get(5)?,
            due: r.get(6)?,
        },
        set_by: r.get(7)?,
        set_at: r.get(8)?,
        result: r.get(9)?,
        done_by: r.get(10)?,
        done_at: r.get(11)?,
        crime_reference: r.get(12)?,
        person_name: r.get(13)?,
    })
}

pub(crate) fn get(c: &mut dyn Conn, id: i64) -> Result<Task> {
    let row = c
        .query_opt(&format!("SELECT {FIELDS} FROM {FROM} WHERE t.id = $1"), args![id])?
        .ok_or(StoreError::NotFound { entity: "task", id })?;
    task_row(&row)
}

pub(crate) fn add(tx: &mut Tx, t: &NewTask, actor: &str, at: Timestamp) -> Result<Task> {
    if t.crime.is_none() && t.person.is_none() {
        return Err(StoreError::Invalid("crime: a task is set on a crime or a person".into()));
    }
    if task_label(&t.kind).is_none() {
        return Err(StoreError::Invalid(format!("kind: {:?} is not a kind of task", t.kind)));
    }
    let description = t.description.trim();
    if description.is_empty() {
        return Err(StoreError::Invalid("description: say what is to be done".into()));
    }
    if let Some(crime) = t.crime {
        require(tx, "crime", crime)?;
    }
    if let Some(person) = t.person {
        require(tx, "person", person)?;
    }
    if tx.query_opt("SELECT 1 FROM account WHERE username = $1", args![t.owner])?.is_none() {
        return Err(StoreError::Invalid(format!("owner: no account is named {:?}", t.owner)));
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO task (crime, person, kind, description, owner, due, set_by, set_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            args![t.crime, t.person, t.kind, description, t.owner, t.due, actor, at],
        )?
        .get(0)?;
    let task = get(tx, id)?;
    match (t.crime, t.person) {
        (Some(crime), _) => tx.audit(at, actor, "crime", crime, "add-task", None, Some(json(&task))),
        (None, Some(person)) => tx.audit(at, actor, "person", person, "add-task", None, Some(json(&task))),
        (None, None) => {}
    }
    if t.owner != actor {
        let on = task.crime_reference.clone().or(task.person_name.clone()).unwrap_or_default();
        let by = who(tx, actor)?;
        let what = format!("{}: {description}", task_label(&t.kind).unwrap_or(&t.kind));
        let event = Event::TaskSet { crime_or_person: &on, task: &what, due: t.due, by: &by };
        let link = match (&task.crime_reference, t.person) {
            (Some(r), _) => format!("/crimes/{r}#tasks"),
            (None, Some(p)) => format!("/people/{p}#tasks"),
            (None, None) => String::new(),
        };
        notify(tx, &t.owner, &event, &format!("task:{id}"), Some(&link), at)?;
    }
    Ok(task)
}

pub(crate) fn complete(tx: &mut Tx, id: i64, result: &str, actor: &str, at: Timestamp) -> Result<Task> {
    let lock = tx.dialect().lock_rows();
    tx.query_opt(&format!("SELECT id FROM task WHERE id = $1{lock}"), args![id])?
        .ok_or(StoreError::NotFound { entity: "task", id })?;
    let before = get(tx, id)?;
    if before.done_at.is_some() {
        return Err(StoreError::Refused("This task is done already.".into()));
    }
    let result = result.trim();
    if result.is_empty() {
        return Err(StoreError::Invalid("result: say what came of it".into()));
    }
    tx.execute("UPDATE task SET result = $1, done_by = $2, done_at = $3 WHERE id = $4", args![result, actor, at, id])?;
    let after = get(tx, id)?;
    let (entity, record) = match (after.details.crime, after.details.person) {
        (Some(c), _) => ("crime", c),
        (None, Some(p)) => ("person", p),
        (None, None) => ("task", id),
    };
    tx.audit(at, actor, entity, record, "complete-task", Some(json(&before)), Some(json(&after)));
    Ok(after)
}

fn list(c: &mut dyn Conn, condition: &str, key: crate::sql::Param) -> Result<Vec<Task>> {
    let rows = c.query(
        &format!("SELECT {FIELDS} FROM {FROM} WHERE {condition} ORDER BY t.done_at IS NOT NULL, t.due, t.id"),
        &[key],
    )?;
    rows.iter().map(task_row).collect()
}

pub(crate) fn of_crime(c: &mut dyn Conn, crime: i64) -> Result<Vec<Task>> {
    list(c, "t.crime = $1", crime.to_param())
}

pub(crate) fn of_person(c: &mut dyn Conn, person: i64) -> Result<Vec<Task>> {
    list(c, "t.person = $1", person.to_param())
}

pub(crate) fn open_of(c: &mut dyn Conn, owner: &str) -> Result<Vec<Task>> {
    list(c, "t.owner = $1 AND t.done_at IS NULL", owner.to_param())
}

pub(crate) fn notifications(
    c: &mut dyn Conn,
    account: &str,
    limit: usize,
    offset: usize,
) -> Result<(Vec<Notification>, u64)> {
    let rows = c.query(
        "SELECT id, kind, body, link, created_at, read_at FROM notification WHERE account = $1
         ORDER BY id DESC LIMIT $2 OFFSET $3",
        args![account, count(limit)?, count(offset)?],
    )?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(Notification {
                id: r.get(0)?,
                kind: r.get(1)?,
                body: r.get(2)?,
                link: r.get(3)?,
                created_at: r.get(4)?,
                read_at: r.get(5)?,
            })
        })
        .collect::<Result<_>>()?;
    let total: i64 = c.query_one("SELECT count(*) FROM notification WHERE account = $1", args![account])?.get(0)?;
    Ok((list, total as u64))
}

pub(crate) fn unread(c: &mut dyn Conn, account: &str) -> Result<u64> {
    let n: i64 = c
        .query_one("SELECT count(*) FROM notification WHERE account = $1 AND read_at IS NULL", args![account])?
        .get(0)?;
    Ok(n as u64)
}

pub(crate) fn mark_read(tx: &mut Tx, account: &str, at: Timestamp) -> Result<u64> {
    tx.execute("UPDATE notification SET read_at = $1 WHERE account = $2 AND read_at IS NULL", args![at, account])
}

/// See [`Tasks::notify_due`].
pub(crate) fn due(tx: &mut Tx, now: Timestamp) -> Result<u64> {
    let tomorrow = now.date().add_days(1);
    let after = tomorrow.add_days(1);
    let rows = tx.query(
        "SELECT o.id, o.description, c.reference, c.officer, p.name, o.due
         FROM obligation o JOIN crime c ON c.id = o.crime JOIN person p ON p.id = o.person
         WHERE o.met_at IS NULL AND o.due >= $1 AND o.due < $2 AND c.status = 'recorded' AND c.officer IS NOT NULL",
        args![tomorrow.to_string(), after.to_string()],
    )?;
    let mut told = 0;
    for r in &rows {
        let (id, what, crime, officer, victim): (i64, String, String, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let event = Event::DueTomorrow { crime: &crime, victim: &victim, what: &what, due: tomorrow };
        let link = format!("/crimes/{crime}");
        told += u64::from(notify(tx, &officer, &event, &format!("due:{id}"), Some(&link), now)?);
    }
    // A deadline is a day: told from the moment it is within 48 hours of its start.
    let until = now.add_minutes(CCTV_WARNING_HOURS * 60).date();
    let rows = tx.query(
        "SELECT e.id, e.description, e.deadline, c.reference, c.officer
         FROM evidence e JOIN crime c ON c.id = e.crime
         WHERE e.kind = 'cctv' AND e.secured_at IS NULL AND e.deadline >= $1 AND e.deadline <= $2
           AND c.status = 'recorded' AND c.officer IS NOT NULL",
        args![now.date(), until],
    )?;
    for r in &rows {
        let (id, item, deadline, crime, officer): (i64, String, peel_domain::date::Date, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let event = Event::CctvDeadline { crime: &crime, item: &item, deadline };
        let link = format!("/crimes/{crime}#evidence");
        told += u64::from(notify(tx, &officer, &event, &format!("cctv:{id}"), Some(&link), now)?);
    }
    Ok(told)
}

pub(crate) fn pending_outbox(c: &mut dyn Conn, limit: usize) -> Result<Vec<OutboxItem>> {
    let rows = c.query(
        "SELECT o.id, o.notification, o.channel, o.recipient, n.body, o.created_at
         FROM outbox o JOIN notification n ON n.id = o.notification WHERE o.status = 'pending' ORDER BY o.id LIMIT $1",
        args![count(limit)?],
    )?;
    rows.iter()
        .map(|r| {
            Ok(OutboxItem {
                id: r.get(0)?,
                notification: r.get(1)?,
                channel: r.get(2)?,
                recipient: r.get(3)?,
                body: r.get(4)?,
                created_at: r.get(5)?,
            })
        })
        .collect()
}

pub(crate) fn last_meeting(c: &mut dyn Conn, team: &str) -> Result<Option<MeetingMark>> {
    c.query_opt(
        "SELECT held_at, last_audit, last_crime FROM meeting WHERE team = $1 ORDER BY id DESC LIMIT 1",
        args![team],
    )?
    .map(|r| Ok(MeetingMark { held_at: r.get(0)?, last_audit: r.get(1)?, last_crime: r.get(2)? }))
    .transpose()
}

pub(crate) fn hold_meeting(tx: &mut Tx, team: &str, actor: &str, at: Timestamp) -> Result<()> {
    let last_audit: i64 = tx.query_one("SELECT coalesce(max(id), 0) FROM audit_log", &[])?.get(0)?;
    let last_crime: i64 = tx.query_one("SELECT coalesce(max(id), 0) FROM crime", &[])?.get(0)?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO meeting (team, held_by, held_at, last_audit, last_crime) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            args![team, actor, at, last_audit, last_crime],
        )?
        .get(0)?;
    tx.audit(at, actor, "meeting", id, "hold", None, Some(json(&team)));
    Ok(())
}

pub(crate) fn record_decision(
    tx: &mut Tx,
    crime: i64,
    decision: &str,
    actor: &str,
    at: Timestamp,
) -> Result<MeetingDecision> {
    require(tx, "crime", crime)?;
    let decision = decision.trim();
    if decision.is_empty() {
        return Err(StoreError::Invalid("decision: say what was decided".into()));
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO meeting_decision (crime, decision, decided_by, decided_at) VALUES ($1, $2, $3, $4) RETURNING id",
            args![crime, decision, actor, at],
        )?
        .get(0)?;
    tx.audit(at, actor, "crime", crime, "meeting-decision", None, Some(json(&decision)));
    Ok(MeetingDecision { id, crime, decision: decision.to_string(), decided_by: actor.to_string(), decided_at: at })
}

pub(crate) fn latest_decisions(c: &mut dyn Conn, crimes: &[i64]) -> Result<Vec<MeetingDecision>> {
    let rows = c.query(
        &format!(
            "SELECT d.id, d.crime, d.decision, d.decided_by, d.decided_at FROM meeting_decision d
             WHERE d.crime IN (SELECT l.value FROM {}) AND NOT EXISTS (SELECT 1 FROM meeting_decision e
               WHERE e.crime = d.crime AND (e.decided_at > d.decided_at OR (e.decided_at = d.decided_at AND e.id > d.id)))",
            c.dialect().id_list(1, "l")
        ),
        args![crimes],
    )?;
    rows.iter()
        .map(|r| {
            Ok(MeetingDecision {
                id: r.get(0)?,
                crime: r.get(1)?,
                decision: r.get(2)?,
                decided_by: r.get(3)?,
                decided_at: r.get(4)?,
            })
        })
        .collect()
}

/// The audit actions that only read: consultations logged for s.62, not changes.
const READS: &str = "('read', 'list', 'search', 'export')";

pub(crate) fn changed_since(c: &mut dyn Conn, crimes: &[i64], since: i64) -> Result<Vec<i64>> {
    let list = format!("SELECT l.value FROM {}", c.dialect().id_list(1, "l"));
    // Writes about the crime itself, and about its evidence, contacts and obligations (each
    // audited under its own entity: an arrest owes the victims an update, a contact meets
    // it). Each branch starts from the crimes' own rows (CROSS JOIN keeps SQLite's join in
    // that order): started from the trail, it read every obligation's entry of the force,
    // 9.4 s for a force-wide meeting on the million-crime store, against 45 ms this way.
    let branch = |table: &str, entity: &str| {
        format!(
            "SELECT x.crime FROM {table} x CROSS JOIN audit_log a
             WHERE x.crime IN ({list}) AND a.entity = '{entity}' AND a.entity_id = x.id AND a.id > $2
               AND a.action NOT IN {READS}"
        )
    };
    let rows = c.query(
        &format!(
            "SELECT a.entity_id FROM audit_log a
             WHERE a.entity = 'crime' AND a.id > $2 AND a.action NOT IN {READS} AND a.entity_id IN ({list})
             UNION {} UNION {} UNION {} ORDER BY 1",
            branch("evidence", "evidence"),
            branch("contact", "contact"),
            branch("obligation", "obligation"),
        ),
        args![crimes, since],
    )?;
    rows.iter().map(|r| r.get(0)).collect()
}
