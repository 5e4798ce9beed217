//! What Peel tells its users without being asked (issue 10 §4), in the words each reader
//! uses: an officer reads references and rights; a partner (a hospital's staff under
//! Operation Nexo) reads plain words about the report they sent, with no police codes.
//! Tasks are the work set on a crime or a person.

use crate::date::Date;
use crate::outcome::{outcome_type, OutcomeGroup};

/// The kinds of task an investigation sets (issue 10 §4).
pub const TASK_KINDS: [(&str, &str); 5] = [
    ("enquiry", "Enquiry"),
    ("arrest-attempt", "Arrest attempt"),
    ("visit", "Visit"),
    ("call", "Call"),
    ("other", "Other"),
];

/// A task kind's label; `None` for a word that is not one.
pub fn task_label(kind: &str) -> Option<&'static str> {
    TASK_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, l)| *l)
}

/// How far ahead a CCTV retention deadline is told: 48 hours (issue 10 §4; most systems
/// overwrite in 28 to 31 days, and the last two days are when it is lost).
pub const CCTV_WARNING_HOURS: i64 = 48;

/// Something an account is told.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// A crime is allocated to the officer.
    Allocated { crime: &'a str, offence: &'a str, by: &'a str },
    /// A task is set for the officer.
    TaskSet { crime_or_person: &'a str, task: &'a str, due: Date, by: &'a str },
    /// A victim is owed something tomorrow (Victims' Code).
    DueTomorrow { crime: &'a str, victim: &'a str, what: &'a str, due: Date },
    /// CCTV on the crime is overwritten soon.
    CctvDeadline { crime: &'a str, item: &'a str, deadline: Date },
    /// The officer's request to cancel a crime is answered.
    CancellationDecided { crime: &'a str, agreed: bool, by: &'a str },
    /// The officer's request to reclassify a crime is decided.
    ReclassificationDecided { crime: &'a str, to: &'a str, approved: bool, by: &'a str },
    /// A partner's report has been recorded as crimes (or not).
    ReportRecorded { report: &'a str, crimes: usize },
    /// A crime from a partner's report has its outcome.
    ReportFinalised { report: &'a str, outcome: &'a str },
}

impl Event<'_> {
    /// The kind, as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Allocated { .. } => "allocated",
            Event::TaskSet { .. } => "task",
            Event::DueTomorrow { .. } => "due-tomorrow",
            Event::CctvDeadline { .. } => "cctv-deadline",
            Event::CancellationDecided { .. } => "cancellation-decided",
            Event::ReclassificationDecided { .. } => "reclassification-decided",
            Event::ReportRecorded { .. } => "report-recorded",
            Event::ReportFinalised { .. } => "report-finalised",
        }
    }

    /// The words shown.
    pub fn text(&self) -> String {
        match self {
            Event::Allocated { crime, offence, by } => format!("{crime} ({offence}) is allocated to you by {by}."),
            Event::TaskSet { crime_or_person, task, due, by } => {
                format!("{by} set you a task on {crime_or_person}, due {due}: {task}")
            }
            Event::DueTomorrow { crime, victim, what, due } => {
                format!("Due tomorrow ({due}) on {crime}: {what} for {victim}.")
            }
            Event::CctvDeadline { crime, item, deadline } => {
                format!("CCTV on {crime} is overwritten on {deadline} unless secured: {item}.")
            }
            Event::CancellationDecided { crime, agreed: true, by } => {
                format!("Your request to cancel {crime} was agreed by {by}: the record is cancelled.")
            }
            Event::CancellationDecided { crime, agreed: false, by } => {
                format!("Your request to cancel {crime} was refused by {by}: the crime stays recorded.")
            }
            Event::ReclassificationDecided { crime, to, approved: true, by } => {
                format!("{by} approved your reclassification of {crime} to {to}.")
            }
            Event::ReclassificationDecided { crime, to, approved: false, by } => {
                format!("{by} refused your reclassification of {crime} to {to}: it keeps its offence.")
            }
            Event::ReportRecorded { report, crimes: 0 } => format!(
                "Your report {report} has been looked at by the police. It was not recorded as a crime; \
                 it stays on record."
            ),
            Event::ReportRecorded { report, crimes: 1 } => {
                format!("Your report {report} has been recorded as a crime and passed to officers to investigate.")
            }
            Event::ReportRecorded { report, crimes } => format!(
                "Your report {report} has been recorded as {crimes} crimes and passed to officers to investigate."
            ),
            Event::ReportFinalised { report, outcome } => {
                format!("The investigation of your report {report} has finished: {}.", plain_outcome(outcome))
            }
        }
    }
}

/// An outcome type in words for someone outside the police (a partner who reported).
pub fn plain_outcome(code: &str) -> &'static str {
    match (code, outcome_type(code).map(|o| o.group)) {
        ("2" | "3", _) => "the offender has been given a caution",
        ("6", _) => "the offender was given a penalty notice",
        ("7", _) => "the offender was given a warning",
        ("8", _) => "it was resolved with the offender out of court",
        ("5", _) => "no one can be prosecuted because the offender has died",
        (_, Some(OutcomeGroup::ChargedSummonsed)) => "someone has been charged or summonsed to court",
        (_, Some(OutcomeGroup::OutOfCourtFormal | OutcomeGroup::OutOfCourtInformal)) => {
            "it was dealt with out of court"
        }
        (_, Some(OutcomeGroup::TakenIntoConsideration)) => "an offender admitted it, to be taken into account at court",
        (_, Some(OutcomeGroup::Diversionary)) => "the offender was referred to a course or programme",
        (_, Some(OutcomeGroup::Prevented)) => "no one can be prosecuted",
        (_, Some(OutcomeGroup::PublicInterest)) => "no one will be prosecuted",
        (_, Some(OutcomeGroup::EvidentialDifficulties)) => "it was closed because there was not enough evidence",
        (_, Some(OutcomeGroup::NoSuspect)) => "it was closed because no suspect could be identified",
        (_, Some(OutcomeGroup::OtherBody)) => "it was passed to another organisation to deal with",
        (_, Some(OutcomeGroup::NotYetAssigned | OutcomeGroup::Unknown) | None) => "it has been closed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_type_has_plain_words_for_a_partner() {
        for t in crate::outcome::OUTCOME_TYPES {
            let words = plain_outcome(t.code);
            assert!(!words.is_empty() && !words.contains("outcome"), "{}: {words}", t.code);
        }
        assert_eq!(plain_outcome("1"), "someone has been charged or summonsed to court");
        let e = Event::ReportFinalised { report: "RPT-2026-000001", outcome: "18" };
        assert_eq!(
            e.text(),
            "The investigation of your report RPT-2026-000001 has finished: it was closed because no suspect could be identified."
        );
        assert_eq!(
            Event::ReportRecorded { report: "R", crimes: 2 }.text(),
            "Your report R has been recorded as 2 crimes and passed to officers to investigate."
        );
        assert_eq!(task_label("visit"), Some("Visit"));
        assert_eq!(task_label("raid"), None);
    }
}
