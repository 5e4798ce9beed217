//! The nominal index's interface (issue 10 §1): a person's other names, addresses, phone and
//! warning markers; possible duplicates found as people are entered and by a sweep of the
//! whole index; merges a records officer makes and can undo.
//!
//! A merge leaves both people's rows as they were and points the merged person at the one
//! kept (migration 0020), so that undoing it restores exactly what was there; pages and
//! searches read the kept person with everyone merged into them.

use crate::casework::Person;
use crate::Result;
use peel_domain::date::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// Everything the index holds about one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NominalRecord {
    pub person: Person,
    pub phone: Option<String>,
    /// The person this record was merged into, while the merge stands.
    pub merged_into: Option<i64>,
    pub aliases: Vec<Alias>,
    pub addresses: Vec<Address>,
    /// Markers, current ones first.
    pub markers: Vec<Marker>,
    /// Every merge this person was part of, kept or merged, newest first (undone ones too).
    pub merges: Vec<Merge>,
}

impl NominalRecord {
    /// The people merged into this one while the merges stand.
    pub fn merged_here(&self) -> impl Iterator<Item = &Merge> {
        self.merges.iter().filter(|m| m.kept == self.person.id && m.undone_at.is_none())
    }

    /// The merge that put this person into another, while it stands.
    pub fn merged_away(&self) -> Option<&Merge> {
        self.merges.iter().find(|m| m.merged == self.person.id && m.undone_at.is_none())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alias {
    pub id: i64,
    pub name: String,
    /// The merge that brought the name, if one did.
    pub merge: Option<i64>,
    pub added_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub added_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub id: i64,
    /// Normalised, "B9 5SS".
    pub postcode: String,
    pub line: Option<String>,
    pub added_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub added_at: Timestamp,
}

/// A warning marker as entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMarker {
    /// A word of peel-domain `nominal::WARNING_MARKERS`.
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub noted_on: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub review_due: Date,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Marker {
    pub id: i64,
    #[serde(flatten)]
    pub details: NewMarker,
    pub added_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub added_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub ended_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Merge {
    pub id: i64,
    pub kept: i64,
    pub kept_name: String,
    pub merged: i64,
    pub merged_name: String,
    pub reason: String,
    pub merged_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub merged_at: Timestamp,
    pub undone_by: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub undone_at: Option<Timestamp>,
    pub undo_reason: Option<String>,
}

/// One side of a possible duplicate, as the review list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateSide {
    pub id: i64,
    pub name: String,
    pub date_of_birth: Option<String>,
    pub postcodes: Vec<String>,
    /// Recorded crimes they are on, in any role.
    pub crimes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PossibleDuplicate {
    pub id: i64,
    pub low: DuplicateSide,
    pub high: DuplicateSide,
    /// 0 to 100 (peel-domain `nominal::likeness`).
    pub score: i32,
    pub reasons: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub found_at: Timestamp,
    /// open | merged | distinct
    pub status: String,
}

/// What a sweep of the whole index found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SweepReport {
    /// People compared (businesses and people merged away are not).
    pub people: u64,
    /// Possible duplicates found, whether known before or not.
    pub found: u64,
    /// Of those, the ones not already on the review list or decided.
    pub added: u64,
}

/// What a person is on besides crimes: the reports they made (intelligence among them) and
/// the contacts with them, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonHistory {
    pub reports: Vec<ReportMade>,
    pub contacts: Vec<ContactHad>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportMade {
    pub id: i64,
    pub reference: String,
    /// crime | incident | intelligence
    pub kind: String,
    pub channel: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reported_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactHad {
    pub crime_reference: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Timestamp,
    pub method: String,
    pub by_whom: String,
    pub notes: String,
}

/// The nominal index every store implements.
pub trait NominalIndex {
    /// Everything the index holds about a person.
    fn nominal(&self, person: i64) -> Result<NominalRecord>;
    /// The reports the person made (with anyone merged into them), when `with_reports` (the
    /// roles whose reach is the force: a report is not a team's), and the contacts with them
    /// on crimes within `reach`; newest first, at most `limit` of each.
    fn person_history(
        &self,
        person: i64,
        reach: &crate::casework::Reach,
        with_reports: bool,
        limit: usize,
    ) -> Result<PersonHistory>;
    /// Adds another name the person is known by (indexed for search).
    fn add_alias(&mut self, person: i64, name: &str, actor: &str, at: Timestamp) -> Result<Alias>;
    /// Adds an address (postcode normalised); looks for possible duplicates sharing it.
    fn add_address(
        &mut self,
        person: i64,
        postcode: &str,
        line: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<Address>;
    /// Sets who the person is: date of birth, sex and self-defined ethnicity (an 18+1 code);
    /// audited with what they were, and the name index follows the date of birth.
    fn set_identity(
        &mut self,
        person: i64,
        date_of_birth: Option<Date>,
        sex: Option<&str>,
        ethnicity: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<()>;
    /// Sets or clears the phone number.
    fn set_phone(&mut self, person: i64, phone: Option<&str>, actor: &str, at: Timestamp) -> Result<()>;
    fn add_marker(&mut self, person: i64, marker: &NewMarker, actor: &str, at: Timestamp) -> Result<Marker>;
    /// Ends a marker (it no longer applies); refused if it has ended already.
    fn end_marker(&mut self, person: i64, marker: i64, actor: &str, at: Timestamp) -> Result<Marker>;
    /// The review list: open possible duplicates between people neither merged away, highest
    /// score first, a page at a time, with how many there are.
    fn possible_duplicates(&self, limit: usize, offset: usize) -> Result<(Vec<PossibleDuplicate>, u64)>;
    /// One possible duplicate, whatever its status.
    fn possible_duplicate(&self, id: i64) -> Result<PossibleDuplicate>;
    /// The open possible duplicates a person is part of.
    fn duplicates_of(&self, person: i64) -> Result<Vec<PossibleDuplicate>>;
    /// Compares everyone in the index (peel-domain `nominal::possible_duplicates`) and adds the
    /// pairs not known yet to the review list; a pair decided before stays decided.
    fn sweep_duplicates(&mut self, at: Timestamp) -> Result<SweepReport>;
    /// Merges `merged` into `kept`: refused if either is merged away already, if someone is
    /// merged into `merged` (undo that first, or merge the other way), or for one person.
    fn merge_people(&mut self, kept: i64, merged: i64, reason: &str, actor: &str, at: Timestamp) -> Result<Merge>;
    /// Undoes a merge that stands: the two are two records again, and their pair goes back on
    /// the review list for the decision to be taken again.
    fn undo_merge(&mut self, merge: i64, reason: &str, actor: &str, at: Timestamp) -> Result<Merge>;
    /// Records that an open possible duplicate is two people.
    fn mark_distinct(&mut self, pair: i64, actor: &str, at: Timestamp) -> Result<PossibleDuplicate>;
}
