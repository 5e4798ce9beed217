//! Changing a crime as its investigation moves (issue 10 §3, migration 0022): its flags, its
//! offence (asked for with a Counting Rules reason and decided by the registrar), and its
//! links to other crimes (a series, a duplicate record, the same offender).

use crate::casework::Crime;
use crate::Result;
use peel_domain::date::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReclassification {
    pub crime: i64,
    pub to_code: String,
    /// A word of peel-domain `recording::RECLASSIFICATION_REASONS`.
    pub reason: String,
    /// What the reason rests on.
    pub detail: String,
    pub requested_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reclassification {
    pub id: i64,
    #[serde(flatten)]
    pub details: NewReclassification,
    pub from_code: String,
    pub crime_reference: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub requested_at: Timestamp,
    /// pending | approved | refused
    pub status: String,
    pub decided_by: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub decided_at: Option<Timestamp>,
    pub note: Option<String>,
}

/// A link as one crime's page shows it: the other crime and how they are linked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrimeLink {
    pub id: i64,
    /// series | duplicate | same-offender
    pub kind: String,
    pub note: Option<String>,
    pub other: i64,
    pub other_reference: String,
    pub linked_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub linked_at: Timestamp,
}

pub trait CrimeChanges {
    /// Replaces a recorded crime's flags, at `version`; audited with the flags before and after.
    fn set_flags(&mut self, crime: i64, version: i64, flags: &[String], actor: &str, at: Timestamp) -> Result<Crime>;
    /// Asks for a recorded crime's offence to be changed, on the crime as read at `version`.
    /// Refused if one is waiting already, or for the offence it has.
    fn request_reclassification(
        &mut self,
        request: &NewReclassification,
        version: i64,
        at: Timestamp,
    ) -> Result<Reclassification>;
    /// The registrar's decision: approved, the crime takes the new offence (a new version,
    /// audited); refused, it keeps its own. The one who asked is told either way.
    fn decide_reclassification(
        &mut self,
        id: i64,
        approve: bool,
        note: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<(Reclassification, Crime)>;
    /// The registrar's own reclassification: asked and approved in one transaction, so that a
    /// refusal of either leaves nothing behind.
    fn reclassify_now(
        &mut self,
        request: &NewReclassification,
        version: i64,
        note: &str,
        at: Timestamp,
    ) -> Result<Reclassification>;
    /// A crime's reclassifications, oldest first.
    fn reclassifications(&self, crime: i64) -> Result<Vec<Reclassification>>;
    /// Those waiting for the registrar, oldest first.
    fn pending_reclassifications(&self) -> Result<Vec<Reclassification>>;
    /// Links two crimes; refused for a crime with itself, or a link of that kind that stands.
    fn link_crimes(
        &mut self,
        crime: i64,
        other: i64,
        kind: &str,
        note: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<CrimeLink>;
    /// Removes a link that stands (it stays in the trail).
    fn unlink_crimes(&mut self, link: i64, actor: &str, at: Timestamp) -> Result<()>;
    /// The links that stand from a crime, newest first.
    fn links_of(&self, crime: i64) -> Result<Vec<CrimeLink>>;
    /// Every crime joined to this one through links that stand (the series), itself
    /// included, by id.
    fn linked_series(&self, crime: i64) -> Result<Vec<i64>>;
}
