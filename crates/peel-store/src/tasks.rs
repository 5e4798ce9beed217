//! Tasks and notifications' interface (issue 10 §4, migration 0021).
//!
//! Notifications are written by the writes that cause them, in the same transaction (a crime
//! allocated, a task set, a cancellation request answered, a partner's report recorded or
//! finalised), and by [`Tasks::notify_due`] for deadlines (a victim owed something tomorrow,
//! CCTV about to be overwritten), which the server runs every minute. Each is written once per
//! account and event, with a row in the outbox for a sender of e-mail or SMS to come.

use crate::Result;
use peel_domain::date::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// A task as set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTask {
    pub crime: Option<i64>,
    pub person: Option<i64>,
    /// A word of peel-domain `notification::TASK_KINDS`.
    pub kind: String,
    pub description: String,
    /// The username of the account that is to do it.
    pub owner: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub due: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: i64,
    #[serde(flatten)]
    pub details: NewTask,
    /// The crime's reference, for showing.
    pub crime_reference: Option<String>,
    /// The person's name, for showing.
    pub person_name: Option<String>,
    pub set_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub set_at: Timestamp,
    pub result: Option<String>,
    pub done_by: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub done_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub body: String,
    /// The page it is about.
    pub link: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub read_at: Option<Timestamp>,
}

/// A notification waiting for a sender.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxItem {
    pub id: i64,
    pub notification: i64,
    pub channel: String,
    pub recipient: String,
    pub body: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

/// A decision or action recorded against a crime at the daily management meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingDecision {
    pub id: i64,
    pub crime: i64,
    pub decision: String,
    pub decided_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub decided_at: Timestamp,
}

/// When a meeting was held, and where the trail and the crimes stood then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingMark {
    pub held_at: Timestamp,
    /// The audit trail's highest id then: later entries are changes since.
    pub last_audit: i64,
    /// The highest crime id then: later crimes are new since.
    pub last_crime: i64,
}

/// Tasks, notifications, and the daily management meeting's own record.
pub trait Tasks {
    /// Sets a task; the owner is told unless they set it themselves. Refused for a task on
    /// no record, or on a crime or person that is not there.
    fn add_task(&mut self, task: &NewTask, actor: &str, at: Timestamp) -> Result<Task>;
    /// Records a task's result; refused if it is done already.
    fn complete_task(&mut self, id: i64, result: &str, actor: &str, at: Timestamp) -> Result<Task>;
    fn task(&self, id: i64) -> Result<Task>;
    /// A crime's tasks, open ones first, soonest due first.
    fn tasks_of_crime(&self, crime: i64) -> Result<Vec<Task>>;
    /// A person's tasks, open ones first, soonest due first.
    fn tasks_of_person(&self, person: i64) -> Result<Vec<Task>>;
    /// An account's open tasks, soonest due first.
    fn open_tasks_of(&self, owner: &str) -> Result<Vec<Task>>;
    /// An account's notifications, newest first, a page at a time, with how many there are.
    fn notifications(&self, account: &str, limit: usize, offset: usize) -> Result<(Vec<Notification>, u64)>;
    fn unread_notifications(&self, account: &str) -> Result<u64>;
    /// Marks every unread notification of the account read; how many were.
    fn mark_notifications_read(&mut self, account: &str, at: Timestamp) -> Result<u64>;
    /// Tells each officer of what falls due: obligations of their crimes due tomorrow, CCTV
    /// overwritten within 48 hours. Each once, however often it runs; how many were new.
    fn notify_due(&mut self, now: Timestamp) -> Result<u64>;
    /// Outbox rows waiting for a sender, oldest first.
    fn pending_outbox(&self, limit: usize) -> Result<Vec<OutboxItem>>;
    /// When `team`'s meeting was last held ("" for the force), if ever.
    fn last_meeting(&self, team: &str) -> Result<Option<MeetingMark>>;
    /// Records that `team`'s meeting is held now: what changes after is new to the next.
    fn hold_meeting(&mut self, team: &str, actor: &str, at: Timestamp) -> Result<()>;
    /// Records a decision or action against a crime (audited on the crime).
    fn record_meeting_decision(
        &mut self,
        crime: i64,
        decision: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<MeetingDecision>;
    /// The latest decision on each of these crimes that has one.
    fn latest_meeting_decisions(&self, crimes: &[i64]) -> Result<Vec<MeetingDecision>>;
    /// Of these crimes, those changed after the audit entry `since` (any write about the
    /// crime, its evidence, contacts or obligations; not a read).
    fn changed_since(&self, crimes: &[i64], since: i64) -> Result<Vec<i64>>;
}
