//! Casework: reports, incidents, recorded crimes, the people on them, Victims' Code
//! obligations, contacts, evidence and outcomes — the records officers work in.
//!
//! The store keeps them and keeps them consistent; it does not decide anything. What an
//! operation means under the rules (which crimes to record, which entitlements are owed and
//! by when, whether an outcome or a cancellation is allowed) is worked out by the casework
//! service from the rules in `peel-domain`, and handed to the store whole. Every operation
//! is one transaction that also appends to the audit log. Records that change carry a
//! `version`: a writer names the version it read, and a write against a record changed
//! since fails with `StoreError::Conflict` instead of silently overwriting it.

use crate::Result;
use peel_domain::date::{Date, Timestamp};
use peel_domain::thrive::Thrive;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDetails {
    pub name: String,
    /// YYYY-MM-DD.
    pub date_of_birth: Option<String>,
    pub sex: Option<String>,
    /// Self-defined ethnicity.
    pub ethnicity: Option<String>,
    /// Vulnerability markers, e.g. "mental-disorder", "physical-disability".
    #[serde(default)]
    pub vulnerabilities: Vec<String>,
    /// A business or organisation as victim (Business Impact Statement, not VPS).
    #[serde(default)]
    pub is_business: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: i64,
    #[serde(flatten)]
    pub details: PersonDetails,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSite {
    pub organisation: String,
    /// hospital | business | partner | other
    pub organisation_kind: String,
    pub name: String,
    pub address: Option<String>,
    /// Where the site is: give its `postcode`; Peel places it from the gazetteer
    /// (`peel_casework::locate`). An object as a report's `place` is.
    #[serde(default)]
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    pub id: i64,
    pub organisation_id: i64,
    #[serde(flatten)]
    pub details: NewSite,
}

/// Where a report places what happened (beyond its free-text location), or where a partner
/// site is.
///
/// Given: a `postcode`, or `latitude` and `longitude`. Peel derives the rest from the postcode
/// gazetteer and the force's areas (`peel_casework::locate`): the grid point, LSOA, MSOA,
/// ward, local authority, neighbourhood policing unit and Impact Area. A postcode the
/// gazetteer does not hold is kept as given and the place is unknown; nothing is refused for
/// it. Without a gazetteer (a store that has not imported one), an LSOA, NPU and Impact Area
/// given by the caller are kept as given.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Place {
    /// As Royal Mail writes it ("B1 1AY") when the gazetteer holds it, else as given.
    pub postcode: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// British National Grid metres (derived).
    pub easting: Option<f64>,
    pub northing: Option<f64>,
    /// 2011 LSOA code.
    pub lsoa_code: Option<String>,
    /// 2011 MSOA, ward and local authority codes (derived).
    pub msoa_code: Option<String>,
    pub ward_code: Option<String>,
    pub la_code: Option<String>,
    pub neighbourhood_unit: Option<String>,
    pub impact_area: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewReport {
    /// 999 | 101 | online | partner-portal | officer
    pub channel: String,
    /// crime | incident | intelligence
    pub kind: String,
    /// When the report was received: the 24-hour recording clock starts here.
    pub reported_at: Timestamp,
    /// When the incident happened, where the reporter said (it may be days before the report).
    #[serde(default)]
    pub occurred_at: Option<Timestamp>,
    pub reporter: Option<PersonDetails>,
    pub site: Option<i64>,
    pub location: Option<String>,
    #[serde(default)]
    pub place: Place,
    pub account: String,
    pub created_by: String,
    /// When the recording decision is due; `None` for intelligence (no incident opened).
    pub decision_due: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub id: i64,
    pub reference: String,
    pub channel: String,
    pub kind: String,
    /// When the report was received: the 24-hour recording clock starts here.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reported_at: Timestamp,
    /// When the incident happened, where the reporter said.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub occurred_at: Option<Timestamp>,
    pub reporter: Option<i64>,
    pub site: Option<i64>,
    pub location: Option<String>,
    pub place: Place,
    pub account: String,
    pub created_by: String,
    pub incident: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: i64,
    pub reference: String,
    pub report: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub opened_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub decision_due: Timestamp,
    /// `open` | `crime` | `non-crime:TYPE` | `transferred`
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub decided_at: Option<Timestamp>,
    pub decided_by: Option<String>,
    pub thrive: Option<Thrive>,
    pub grade: Option<String>,
    pub team: Option<String>,
    pub allocation_reason: Option<String>,
    pub version: i64,
}

/// A THRIVE assessment with the grade and allocation the rules gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Triage {
    pub thrive: Thrive,
    pub grade: String,
    pub team: String,
    pub allocation_reason: String,
}

/// When an obligation is due: by a minute (the 24-hour recording decision) or by the end of
/// a day. Kept, and sent, as the text of either ("YYYY-MM-DDTHH:MM" or "YYYY-MM-DD"), which
/// sort together by the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Due {
    At(Timestamp),
    By(Date),
}

impl Due {
    /// "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD".
    pub fn parse(s: &str) -> std::result::Result<Due, peel_domain::date::DateError> {
        if s.len() == 10 {
            Date::parse(s).map(Due::By)
        } else {
            Timestamp::parse(s).map(Due::At)
        }
    }

    /// The day it is due on.
    pub fn date(self) -> Date {
        match self {
            Due::At(t) => t.date(),
            Due::By(d) => d,
        }
    }

    /// The obligation's due time as the Victims' Code rules give it; `None` where they set none.
    pub fn of(due: peel_domain::victims_code::Due) -> Option<Due> {
        match due {
            peel_domain::victims_code::Due::At(t) => Some(Due::At(t)),
            peel_domain::victims_code::Due::By(d) => Some(Due::By(d)),
            peel_domain::victims_code::Due::NoDeadline => None,
        }
    }
}

/// In the order of the text the store keeps and sorts by: by day, and on one day a date
/// before any time of it.
impl Ord for Due {
    fn cmp(&self, other: &Due) -> std::cmp::Ordering {
        let key = |d: &Due| match *d {
            Due::At(t) => (t.date(), Some(t.time())),
            Due::By(d) => (d, None),
        };
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Due) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Due {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Due::At(t) => t.fmt(f),
            Due::By(d) => d.fmt(f),
        }
    }
}

impl Serialize for Due {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Due {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Due::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl crate::sql::ToParam for Due {
    const KIND: crate::sql::Kind = crate::sql::Kind::Text;
    fn to_param(&self) -> crate::sql::Param<'_> {
        match self {
            Due::At(t) => t.to_param(),
            Due::By(d) => d.to_param(),
        }
    }
}

impl crate::sql::FromValue for Due {
    const EXPECTED: &'static str = "a date YYYY-MM-DD or a date and time YYYY-MM-DDTHH:MM";
    fn from_value(v: &crate::sql::Value) -> Option<Due> {
        match v {
            crate::sql::Value::Text(s) => Due::parse(s).ok(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewObligation {
    /// The Victims' Code entitlement key (peel-domain `victims_code`).
    pub entitlement: String,
    pub right_no: u8,
    pub description: String,
    /// Date or time due; `None` where the Code sets no time.
    pub due: Option<Due>,
    /// Met as it is created: right 2 is met by the recording decision itself (victims_code
    /// `MET_BY_THE_RECORDING_DECISION`), not by a later contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PersonRef {
    Existing(i64),
    New(PersonDetails),
}

/// One crime to record: one per victim (Counting Rules), with what that victim is owed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCrime {
    pub victim: PersonRef,
    pub offence_code: String,
    pub flags: Vec<String>,
    pub team: Option<String>,
    pub officer: Option<String>,
    pub enhanced: bool,
    pub enhanced_reasons: Vec<String>,
    pub obligations: Vec<NewObligation>,
}

/// A recording decision on an incident: `status` "crime" with the crimes to record, or
/// "non-crime:TYPE" / "transferred" with none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub status: String,
    pub crimes: Vec<NewCrime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrimePerson {
    pub person: Person,
    pub role: String,
    pub enhanced: bool,
    pub enhanced_reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Obligation {
    pub id: i64,
    pub crime: i64,
    pub person: i64,
    pub entitlement: String,
    pub right_no: u8,
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub due: Option<Due>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub met_at: Option<Timestamp>,
    /// The contact that met it: the evidence.
    pub met_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewContact {
    pub crime: i64,
    pub person: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Timestamp,
    /// How the victim was contacted (peel-domain's one list).
    pub method: peel_domain::ContactMethod,
    pub by_whom: String,
    pub notes: String,
    /// Obligations this contact meets.
    pub meets: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: i64,
    #[serde(flatten)]
    pub details: NewContact,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEvidence {
    pub crime: i64,
    /// cctv | forensic | statement | digital | other
    pub kind: String,
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub deadline: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub secured_at: Option<Timestamp>,
    pub added_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    pub id: i64,
    #[serde(flatten)]
    pub details: NewEvidence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Crime {
    pub id: i64,
    pub reference: String,
    pub incident: i64,
    pub offence_code: String,
    /// recorded | cancelled
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub recorded_at: Timestamp,
    pub recorded_by: String,
    pub flags: Vec<String>,
    pub team: Option<String>,
    pub officer: Option<String>,
    pub outcome: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub outcome_at: Option<Timestamp>,
    pub cancellation: Option<serde_json::Value>,
    pub version: i64,
}

/// A crime with everything on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrimeFile {
    pub crime: Crime,
    pub people: Vec<CrimePerson>,
    pub obligations: Vec<Obligation>,
    pub contacts: Vec<Contact>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Timestamp,
    pub actor: String,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A site's reports counted: what the liaison officer's page shows at its head.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteCounts {
    /// Every report from the site: `intelligence + open_incidents + decided_crime +
    /// decided_other`, always.
    pub reports: u64,
    pub intelligence: u64,
    /// Incidents still waiting for a recording decision.
    pub open_incidents: u64,
    /// Reports decided to be crime (one or more crimes recorded from each).
    pub decided_crime: u64,
    /// Reports decided to be no crime (a non-crime incident) or transferred to another force.
    pub decided_other: u64,
    /// Crimes recorded (not cancelled) from the site's reports.
    pub crimes: u64,
    /// (YYYY-MM, reports), months with reports only, oldest first.
    pub per_month: Vec<(String, u64)>,
}

/// One line of an obligations worklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObligationDue {
    pub obligation: Obligation,
    pub crime_reference: String,
    pub officer: Option<String>,
    pub team: Option<String>,
    pub victim_name: String,
    /// Due before the worklist's day: overdue.
    pub overdue: bool,
}

/// Which unmet obligations a worklist shows: due on or before a day, within a scope,
/// optionally only those owed to victims eligible for enhanced rights or of one entitlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorklistQuery {
    /// Due on or before this day, to the end of it.
    pub until: Date,
    pub scope: Scope,
    /// Only obligations owed to victims eligible for enhanced rights (Victims' Code 2021,
    /// the enhanced service).
    pub enhanced_only: bool,
    /// Only this entitlement (e.g. the Victim Care Unit referral of a fraud victim).
    pub entitlement: Option<String>,
    /// At most this many lines, in `order`, after skipping `offset` (paging).
    pub limit: usize,
    pub offset: usize,
    pub order: WorklistOrder,
}

/// The order of a worklist's lines (issue 10 §5: a queue sorts on demand).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WorklistOrder {
    /// Oldest due first: the queue's own order, which the due-date index serves.
    #[default]
    OldestDue,
    /// Latest due first.
    LatestDue,
    /// By the crime's officer (username), oldest due first within each.
    Officer,
    /// By the Victims' Code right owed, oldest due first within each.
    Right,
}

impl WorklistOrder {
    /// The words of `?sort=`: "" (oldest due), "latest", "officer" or "right".
    pub fn parse(word: &str) -> Option<WorklistOrder> {
        Some(match word {
            "" => WorklistOrder::OldestDue,
            "latest" => WorklistOrder::LatestDue,
            "officer" => WorklistOrder::Officer,
            "right" => WorklistOrder::Right,
            _ => return None,
        })
    }
}

impl WorklistQuery {
    /// The force's whole list of obligations due by the end of `until`, no page yet
    /// (`limit` 0): the other fields are set from here.
    pub fn until(until: Date) -> WorklistQuery {
        WorklistQuery {
            until,
            scope: Scope::default(),
            enhanced_only: false,
            entitlement: None,
            limit: 0,
            offset: 0,
            order: WorklistOrder::OldestDue,
        }
    }
}

/// How many lines a worklist counts at most: a queue longer than this says "or more"
/// rather than counting every line, so a force-wide queue costs the same however far
/// behind the force is (on the demo force of a million crimes, 189,000 obligations are
/// overdue; counting the enhanced ones among them took 0.2 s, counting to this cap 10 ms).
/// The size of a backlog is the analyst's compliance figure, not the worklist's.
pub const WORKLIST_COUNT_CAP: u64 = 1_000;

/// A page of a worklist and how many lines it has in all (exact up to
/// [`WORKLIST_COUNT_CAP`], which stands for "at least that many").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Worklist {
    pub lines: Vec<ObligationDue>,
    pub total: u64,
}

/// An obligation with what compliance is measured by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObligationFact {
    pub obligation: Obligation,
    pub crime_reference: String,
    pub recorded_at: Timestamp,
    pub offence_code: String,
    pub team: Option<String>,
    pub officer: Option<String>,
}

/// Victims' Code compliance of one right, team and officer ([`Casework::obligation_compliance`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceGroup {
    pub right_no: u8,
    pub team: Option<String>,
    pub officer: Option<String>,
    pub met_on_time: u64,
    pub met_late: u64,
    /// Not met and due before the day asked about: the breaches.
    pub unmet: u64,
}

/// A recorded crime with what performance and the daily meeting look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrimeFact {
    pub id: i64,
    pub reference: String,
    pub recorded_at: Timestamp,
    pub offence_code: String,
    pub status: String,
    pub team: Option<String>,
    pub officer: Option<String>,
    pub outcome: Option<String>,
    pub outcome_at: Option<Timestamp>,
    pub flags: Vec<String>,
    /// (person id, enhanced) of each victim.
    pub victims: Vec<(i64, bool)>,
    pub suspects: i64,
    pub thrive: Option<Thrive>,
    pub site: Option<i64>,
}

/// An investigation plan or a supervisor's review on a crime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub id: i64,
    pub crime: i64,
    /// plan | review
    pub kind: String,
    pub text: String,
    pub author: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Timestamp,
    /// The day the next supervisor review is due.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub next_review_due: Option<Date>,
}

/// Where an open crime stands on plans and reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewStatus {
    pub crime: i64,
    pub reference: String,
    pub officer: Option<String>,
    pub team: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub recorded_at: Timestamp,
    /// When the first investigation plan was written, if one has been.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub plan_at: Option<Timestamp>,
    /// The next review date the latest review set.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub next_review_due: Option<Date>,
}

/// Whose crimes a query covers: the whole force, one officer's, or one team's. Each narrows
/// the query in the database (the crime_officer and crime_team indexes), not afterwards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub officer: Option<String>,
    pub team: Option<String>,
}

impl Scope {
    pub fn officer(officer: &str) -> Scope {
        Scope { officer: Some(officer.to_string()), team: None }
    }

    pub fn team(team: &str) -> Scope {
        Scope { officer: None, team: Some(team.to_string()) }
    }

    /// The condition on crime `c`, with the officer and team as parameters `$n` and
    /// `$n+1`. An absent one still names its parameter, so the parameter list is the same
    /// whatever the scope.
    pub(crate) fn condition(&self, n: usize) -> String {
        let officer = match self.officer {
            Some(_) => format!("c.officer = ${n}"),
            None => format!("${n} IS NULL"),
        };
        let team = match self.team {
            Some(_) => format!("c.team = ${}", n + 1),
            None => format!("${} IS NULL", n + 1),
        };
        format!("{officer} AND {team}")
    }
}

/// The crimes a person may see, for search and the person page: those allocated to
/// `officer` or to `team` (either); with neither, every crime (a force-wide role). Unlike
/// [`Scope`], whose two parts narrow together, an officer reaches their own crimes and their
/// team's (`peel_access::policy::crime_in_scope`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub officer: Option<String>,
    pub team: Option<String>,
}

impl Reach {
    pub fn force() -> Reach {
        Reach::default()
    }
    pub fn is_force(&self) -> bool {
        self.officer.is_none() && self.team.is_none()
    }

    /// Whether crime `c` is within reach (the rule `resources::search` writes in SQL).
    pub fn covers(&self, c: &Crime) -> bool {
        self.is_force()
            || (self.officer.is_some() && c.officer == self.officer)
            || (self.team.is_some() && c.team == self.team)
    }
}

/// A person a name search found, with their crimes within the searcher's reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FoundPerson {
    pub id: i64,
    pub name: String,
    pub date_of_birth: Option<String>,
    pub is_business: bool,
    /// Recorded crimes they are on (as victim, suspect or witness) within reach.
    pub crimes: u64,
}

/// A page of the crimes a search found, each with the person's role on it where the search
/// was for a person, and how many there are in all (counted up to `SEARCH_COUNT_CAP`).
pub type CrimesFound = (Vec<(Crime, Option<String>)>, u64);

/// A list of crimes narrowed as its reader asks (issue 10 §5: every list can be filtered and
/// sorted): each field left `None` keeps every crime. Applied in the store, before the page
/// is cut and the total counted, so that the total is the narrowed list's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrimeNarrowing {
    /// Allocated to this team.
    pub team: Option<String>,
    /// Allocated to this officer (username).
    pub officer: Option<String>,
    /// Of one of these Home Office offence codes (an offence group's, say).
    pub offences: Option<Vec<String>>,
    /// Carrying this flag (peel-domain `flags`; `hate-crime` alone for any strand).
    pub flag: Option<String>,
    /// Finalised (with an outcome), or open.
    pub finalised: Option<bool>,
    /// Recorded on or after this day.
    pub from: Option<Date>,
    /// Recorded on or before this day.
    pub to: Option<Date>,
    pub order: CrimeOrder,
}

/// The order of a list of crimes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CrimeOrder {
    /// Newest recorded first.
    #[default]
    Newest,
    Oldest,
    /// By offence code, newest first within each.
    Offence,
}

impl CrimeNarrowing {
    /// Whether it narrows at all.
    pub fn is_empty(&self) -> bool {
        *self == CrimeNarrowing::default()
    }
}

/// What a crime search selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrimeMatch {
    /// Any of these Home Office offence codes.
    Offences(Vec<String>),
    /// Reported at this postcode (normalised, "B9 5SS").
    Postcode(String),
    /// Allocated to this officer (username).
    Officer(String),
    /// With this person on it, in any role (the role comes back with each crime).
    Person(i64),
}

/// What the casework holds, counted (`peel status`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseworkCounts {
    pub reports: u64,
    /// Of the reports, intelligence (which opens no incident).
    pub intelligence: u64,
    pub incidents: u64,
    /// Incidents still waiting for a recording decision.
    pub incidents_awaiting_decision: u64,
    pub crimes: u64,
    pub cancelled: u64,
    /// Recorded (not cancelled) crimes with an outcome.
    pub with_outcome: u64,
    /// Everyone on the nominal records: victims, suspects, witnesses, reporters.
    pub people: u64,
    /// People and businesses who are the victim of at least one crime.
    pub victims: u64,
    /// Obligations of the crimes not cancelled, and of those, the ones met.
    pub obligations: u64,
    pub obligations_met: u64,
    pub contacts: u64,
    pub evidence: u64,
    pub sites: u64,
    pub accounts: u64,
    pub audit_entries: u64,
}

/// The casework interface every store implements.
pub trait Casework {
    /// What the casework holds, counted in the database.
    fn casework_counts(&self) -> Result<CaseworkCounts>;
    fn add_site(&mut self, site: &NewSite, actor: &str, at: Timestamp) -> Result<Site>;
    fn sites(&self) -> Result<Vec<Site>>;
    /// Stores a report; opens its incident unless it is intelligence.
    fn create_report(&mut self, report: &NewReport) -> Result<Report>;
    fn report(&self, id: i64) -> Result<Report>;
    fn reports_for_site(&self, site: i64) -> Result<Vec<Report>>;
    /// A site's reports newest first, a page at a time: its intelligence, or everything else.
    fn site_reports(&self, site: i64, intelligence: bool, limit: usize, offset: usize) -> Result<Vec<Report>>;
    /// What a site's page counts over all its reports, with reports per month from `since`
    /// (YYYY-MM) on.
    fn site_counts(&self, site: i64, since: &str) -> Result<SiteCounts>;
    fn incident(&self, id: i64) -> Result<Incident>;
    fn triage(&mut self, incident: i64, version: i64, triage: &Triage, actor: &str, at: Timestamp) -> Result<Incident>;
    /// Records the decision; for a crime decision, the crimes with their victims and
    /// obligations. Refused if the incident is no longer open.
    fn decide(
        &mut self,
        incident: i64,
        version: i64,
        decision: &Decision,
        actor: &str,
        at: Timestamp,
    ) -> Result<(Incident, Vec<Crime>)>;
    fn crime(&self, id: i64) -> Result<CrimeFile>;
    fn crimes_for_incident(&self, incident: i64) -> Result<Vec<Crime>>;
    fn cancel_crime(
        &mut self,
        crime: i64,
        version: i64,
        cancellation: &serde_json::Value,
        actor: &str,
        at: Timestamp,
    ) -> Result<Crime>;
    /// Sets a recorded crime's team and officer, both exactly (`None`: no officer), at
    /// `version`; audited with the allocation before and after.
    fn reallocate(
        &mut self,
        crime: i64,
        version: i64,
        team: &str,
        officer: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<Crime>;
    fn allocate(
        &mut self,
        crime: i64,
        version: i64,
        team: Option<&str>,
        officer: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<Crime>;
    #[allow(clippy::too_many_arguments)]
    fn add_person(
        &mut self,
        crime: i64,
        person: &PersonRef,
        role: &str,
        enhanced: bool,
        enhanced_reasons: &[String],
        obligations: &[NewObligation],
        actor: &str,
        at: Timestamp,
    ) -> Result<Person>;
    fn add_obligations(
        &mut self,
        crime: i64,
        person: i64,
        obligations: &[NewObligation],
        actor: &str,
        at: Timestamp,
    ) -> Result<Vec<Obligation>>;
    fn log_contact(&mut self, contact: &NewContact, actor: &str) -> Result<Contact>;
    fn add_evidence(&mut self, evidence: &NewEvidence, at: Timestamp) -> Result<Evidence>;
    /// Marks item `id` of crime `crime`'s evidence secured at `secured_at`; refused if it is
    /// not that crime's, or is secured already.
    fn secure_evidence(
        &mut self,
        crime: i64,
        id: i64,
        secured_at: Timestamp,
        actor: &str,
        at: Timestamp,
    ) -> Result<Evidence>;
    fn set_outcome(&mut self, crime: i64, version: i64, outcome: &str, actor: &str, at: Timestamp) -> Result<Crime>;
    /// Takes a finalised crime's outcome away (the investigation goes on), with the reason in
    /// the audit entry; refused for a crime without an outcome or cancelled.
    fn reopen(&mut self, crime: i64, version: i64, reason: &str, actor: &str, at: Timestamp) -> Result<Crime>;
    /// Open incidents, soonest decision first.
    fn decisions_due(&self) -> Result<Vec<Incident>>;
    /// Unmet obligations due on or before `on` (a date), oldest first, of the crimes `scope`
    /// covers (one officer's, one team's, or the force's).
    fn obligations_due(&self, on: Date, scope: &Scope) -> Result<Vec<ObligationDue>>;
    /// A worklist page: unmet obligations of recorded crimes as `query` selects, oldest due
    /// first, with the count of all of them (capped at [`WORKLIST_COUNT_CAP`]).
    fn obligation_worklist(&self, query: &WorklistQuery) -> Result<Worklist>;
    /// People whose name (and date of birth, if given) answers a name search, at most
    /// `limit`, in no particular order (the caller ranks them), each with their crimes
    /// within `reach`; a person with none within reach is left out unless it is the force.
    fn find_people(
        &self,
        q: &peel_domain::name_search::NameQuery,
        reach: &Reach,
        limit: usize,
    ) -> Result<Vec<FoundPerson>>;
    /// The record a reference names: ("crime" | "report" | "incident", id).
    fn find_reference(&self, reference: &str) -> Result<Option<(&'static str, i64)>>;
    /// Recorded crimes `m` selects within `reach`, newest first, a page at a time, with the
    /// person's role on each for [`CrimeMatch::Person`]; and how many in all, counted up to
    /// `SEARCH_COUNT_CAP`.
    fn find_crimes(&self, m: &CrimeMatch, reach: &Reach, limit: usize, offset: usize) -> Result<CrimesFound> {
        self.find_crimes_narrowed(m, reach, &CrimeNarrowing::default(), limit, offset)
    }
    /// `find_crimes`, narrowed and ordered as `narrowing` asks.
    fn find_crimes_narrowed(
        &self,
        m: &CrimeMatch,
        reach: &Reach,
        narrowing: &CrimeNarrowing,
        limit: usize,
        offset: usize,
    ) -> Result<CrimesFound>;
    /// One person's details.
    fn person(&self, id: i64) -> Result<Person>;
    /// Days of the crimes a person is a victim of: for repeat victimisation. None for a
    /// business: being persistently targeted is an individual's (Victims' Code 2021, enhanced
    /// rights), as repeat victims are individuals everywhere in Peel.
    fn victim_crime_dates(&self, person: i64) -> Result<Vec<Date>>;
    fn audit_trail(&self, entity: &str, id: i64) -> Result<Vec<AuditEntry>>;
    /// Obligations of the crimes recorded on days `from..=to` (YYYY-MM-DD) within `scope`,
    /// cancelled crimes left out.
    fn obligation_facts_in(&self, from: Date, to: Date, scope: &Scope) -> Result<Vec<ObligationFact>>;
    /// Victims' Code compliance on `as_of` of the obligations of the crimes recorded on days
    /// `from..=to` over the whole force (cancelled crimes left out), counted by the store by
    /// right, the crime's team and its officer. A year of a large force is hundreds of
    /// thousands of obligations: the store classifies each in SQL and they are added up
    /// without an obligation record being built (by PostgreSQL; on SQLite, which sorts to
    /// group, by Peel as the classes stream: the board paper).
    fn obligation_compliance(&self, from: Date, to: Date, as_of: Date) -> Result<Vec<ComplianceGroup>>;
    /// Crimes recorded on days `from..=to` within `scope`, cancelled ones included (status
    /// says so).
    fn crime_facts_in(&self, from: Date, to: Date, scope: &Scope) -> Result<Vec<CrimeFact>>;
    /// `crime_facts_in` for the crimes still open (recorded, no outcome): what the daily
    /// management meeting looks at, without reading the closed ones.
    fn open_crime_facts_in(&self, from: Date, to: Date, scope: &Scope) -> Result<Vec<CrimeFact>>;
    /// For each person, how many recorded crimes recorded on days `from..=to` they are a
    /// victim of (repeat victimisation); 0 for a business. Repeat victimisation is about people:
    /// the Victims' Code's enhanced rights for the persistently targeted are an individual's
    /// (Victims' Code 2021, "Eligibility for enhanced rights"), and a shop's hundreds of
    /// shoplifting crimes a year are business crime, with a Business Impact Statement of its
    /// own (right 7), not a person for the daily meeting.
    fn victim_crime_counts(&self, from: Date, to: Date, persons: &[i64]) -> Result<Vec<(i64, usize)>>;
    /// The repeat victims among the victims of the open crimes `open_crime_facts_in` reads:
    /// each person (individuals only, as [`Casework::victim_crime_counts`]) with the number of
    /// recorded crimes of the same days they are a victim of, where that is at least
    /// `at_least`. One read, independent of the facts, so that the two can run side by side.
    fn open_crime_repeat_victims(
        &self,
        from: Date,
        to: Date,
        scope: &Scope,
        at_least: usize,
    ) -> Result<Vec<(i64, usize)>>;
    /// `obligation_facts_in` over the whole force.
    fn obligation_facts(&self, from: Date, to: Date) -> Result<Vec<ObligationFact>> {
        self.obligation_facts_in(from, to, &Scope::default())
    }
    /// `crime_facts_in` over the whole force.
    fn crime_facts(&self, from: Date, to: Date) -> Result<Vec<CrimeFact>> {
        self.crime_facts_in(from, to, &Scope::default())
    }
    /// Adds an investigation plan or a supervisor's review.
    #[allow(clippy::too_many_arguments)]
    fn add_review(
        &mut self,
        crime: i64,
        kind: &str,
        text: &str,
        author: &str,
        at: Timestamp,
        next_review_due: Option<Date>,
    ) -> Result<Review>;
    fn reviews(&self, crime: i64) -> Result<Vec<Review>>;
    /// Open crimes (recorded, no outcome), for one team if given, with their plan and next
    /// review dates.
    fn review_status(&self, team: Option<&str>) -> Result<Vec<ReviewStatus>>;
    /// Records a request that a decision maker cancel the crime, made on the crime as read at
    /// `version` (a crime changed since is a `Conflict`; the crime itself is not changed).
    /// Refused if the crime is cancelled or already has a request waiting for a decision.
    fn request_cancellation(
        &mut self,
        request: &NewCancelRequest,
        version: i64,
        at: Timestamp,
    ) -> Result<CancelRequest>;
    /// A crime's cancellation requests, oldest first.
    fn cancel_requests(&self, crime: i64) -> Result<Vec<CancelRequest>>;
    /// Requests waiting for a decision on crimes still recorded, oldest first: the decision
    /// maker's list.
    fn pending_cancel_requests(&self) -> Result<Vec<PendingCancelRequest>>;
    /// Answers a pending request: cancels the crime (in the same transaction, exactly as
    /// `cancel_crime` does) or refuses the request. Refused if the request is not pending.
    /// Returns the request as answered and the crime as it now stands.
    fn decide_cancel_request(
        &mut self,
        request: i64,
        decision: &CancelRequestDecision,
        note: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<(CancelRequest, Crime)>;
}

/// A request that a recorded crime be cancelled. Only a designated decision maker (or the
/// Force Crime Registrar) may cancel, and only for a reason the rules list (Home Office
/// Counting Rules, General Rules section C), so an officer or supervisor who finds such a
/// reason asks, and the request waits for the decision maker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCancelRequest {
    pub crime: i64,
    /// The reason's word (peel-domain `recording::CANCELLATION_REASONS`).
    pub reason: String,
    /// What the reason rests on: the information, the duplicated crime, the receiving force.
    pub detail: String,
    pub requested_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelRequest {
    pub id: i64,
    #[serde(flatten)]
    pub details: NewCancelRequest,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub requested_at: Timestamp,
    /// pending | cancelled | refused
    pub status: String,
    pub decided_by: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub decided_at: Option<Timestamp>,
    /// The decision maker's note: why the request was refused, or what the cancellation rests on.
    pub note: Option<String>,
}

/// A pending request with the crime it is about, for the decision maker's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingCancelRequest {
    pub request: CancelRequest,
    pub crime_reference: String,
    pub offence_code: String,
    pub team: Option<String>,
    pub officer: Option<String>,
}

/// A decision maker's answer to a cancellation request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CancelRequestDecision {
    /// Cancel the crime, read at `version`, with this cancellation record (as `cancel_crime`
    /// keeps it).
    Cancel { version: i64, cancellation: serde_json::Value },
    /// Refuse: the crime stays recorded.
    Refuse,
}
