//! What a user sends for each action (the JSON API's request bodies, the CLI's arguments).

use peel_domain::thrive::Thrive;
use peel_store::casework::{Incident, PersonDetails, PersonRef};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportInput {
    /// 999 | 101 | online | partner-portal | officer
    pub channel: String,
    /// crime | incident | intelligence
    pub kind: String,
    /// When the report was received, YYYY-MM-DDTHH:MM; default now. The 24-hour recording
    /// clock starts here.
    #[serde(default)]
    pub reported_at: Option<String>,
    /// When the incident happened, YYYY-MM-DDTHH:MM, if the reporter says; it may be days
    /// before the report and does not move the recording clock.
    #[serde(default)]
    pub occurred_at: Option<String>,
    #[serde(default)]
    pub reporter: Option<PersonDetails>,
    #[serde(default)]
    pub site: Option<i64>,
    #[serde(default)]
    pub location: Option<String>,
    /// Coordinates, LSOA, neighbourhood policing unit, Impact Area, where known.
    #[serde(default)]
    pub place: peel_store::casework::Place,
    pub account: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageInput {
    /// The incident's version as read.
    pub version: i64,
    pub thrive: Thrive,
    /// Case themes for allocation: serious-sexual-offence, domestic-abuse, cse, child-abuse,
    /// complex-fraud, series, … (peel-domain `thrive::CaseTheme`).
    #[serde(default)]
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VictimOffences {
    pub person: PersonRef,
    /// Home Office offence codes of every offence against this victim; the most serious is
    /// recorded.
    pub offence_codes: Vec<String>,
    /// Victims' Code "most serious crime" themes: domestic-abuse, hate-crime, sexual-offence, …
    #[serde(default)]
    pub themes: Vec<String>,
    /// Flags on the crime: domestic-abuse, hate-crime:<strand>, business-crime, retail-worker,
    /// hospital-site, and the hidden-harm themes.
    #[serde(default)]
    pub flags: Vec<String>,
    /// Age at the offence when no date of birth is known.
    #[serde(default)]
    pub age_at_offence: Option<u32>,
    #[serde(default)]
    pub bereaved_close_relative: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionInput {
    pub version: i64,
    /// crime | non-crime-domestic-abuse | non-crime-fgm | non-crime-cse | hate-incident |
    /// transferred (peel-domain `recording::RecordingDecision`)
    pub decision: String,
    #[serde(default)]
    pub victims: Vec<VictimOffences>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub officer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CancelInput {
    pub version: i64,
    /// no-crime-avi | duplicate | transferred | part-of-another-crime (…)
    pub reason: String,
    pub detail: String,
    /// The decider's role: ddm | fcr (officer and supervisor are refused)
    pub role: String,
    pub actor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonInput {
    pub person: PersonRef,
    /// victim | suspect | witness
    pub role: String,
    #[serde(default)]
    pub enhanced: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventInput {
    /// arrest | interview | release | bail | bail-change | charge | caution | no-further-action
    pub event: String,
    /// YYYY-MM-DD; default today.
    #[serde(default)]
    pub on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactInput {
    pub person: i64,
    /// phone | visit | letter | email | sms | video
    pub method: String,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub notes: String,
    /// Obligations the contact meets.
    #[serde(default)]
    pub meets: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceInput {
    /// cctv | forensic | statement | digital | other
    pub kind: String,
    pub description: String,
    /// YYYY-MM-DD, e.g. when CCTV is overwritten.
    #[serde(default)]
    pub deadline: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeInput {
    pub version: i64,
    /// Home Office outcome type 0-22 ("1", "1A", "18", …).
    pub outcome: String,
    /// Default: whether the crime has a suspect on it.
    #[serde(default)]
    pub suspect_identified: Option<bool>,
    #[serde(default)]
    pub suspect_age: Option<u32>,
    #[serde(default)]
    pub admission: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionDue {
    pub incident: Incident,
    pub minutes_left: i64,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewInput {
    /// plan | review
    pub kind: String,
    pub text: String,
    /// YYYY-MM-DD; default `REVIEW_EVERY_DAYS` from now.
    #[serde(default)]
    pub next_review_due: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewDue {
    pub status: peel_store::casework::ReviewStatus,
    /// "investigation plan" or "supervisor review"
    pub what: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub due: peel_domain::date::Date,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FraudTriageInput {
    /// The victim (a person on the crime).
    pub person: i64,
    #[serde(flatten)]
    pub victim: peel_domain::victims_code::FraudVictim,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FraudTriageResult {
    pub refer: bool,
    pub reasons: Vec<String>,
    /// The referral to the Victim Care Unit, owed from now, when the triage refers.
    pub referral: Option<peel_store::casework::Obligation>,
}

/// A crime moved to a team and officer (`reallocate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReallocateInput {
    /// The crime's version as read.
    pub version: i64,
    /// One of `TEAMS`.
    pub team: String,
    /// The investigating officer's username; none leaves the crime unallocated in the team.
    #[serde(default)]
    pub officer: Option<String>,
}

/// A finalised crime reopened (`reopen`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReopenInput {
    /// The crime's version as read.
    pub version: i64,
    /// Why: the new evidence or information, or the error in the outcome.
    pub reason: String,
}

/// A change of offence asked for (`reclassify`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReclassifyInput {
    /// The crime's version as read.
    pub version: i64,
    /// The Home Office offence code it should have, e.g. "8N".
    pub to_code: String,
    /// A word of `RECLASSIFICATION_REASONS` (peel-domain `recording`).
    pub reason: String,
    /// What the reason rests on.
    pub detail: String,
}

/// An item of evidence marked secured (`secure_evidence`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecureInput {
    /// The evidence item's id on the crime.
    pub evidence: i64,
    /// When it was secured, YYYY-MM-DDTHH:MM; default now.
    #[serde(default)]
    pub at: Option<String>,
}
