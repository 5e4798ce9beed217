//! Crime recording rules: the 24-hour recording decision, what a decision can be, when a
//! recorded crime may be cancelled and by whom, one crime per victim and the principal
//! crime, and which outcome types an investigation's facts allow.
//!
//! Source: Home Office Counting Rules for Recorded Crime (now the Crime Recording Rules for
//! frontline officers and staff), General Rules: section A (whether and when to record: the
//! decision within 24 hours of the report), section C (removing recorded crimes), section D
//! (one crime per victim), section F (principal crime rule), section H (recorded crime
//! outcomes); the National Crime Recording Standard (NCRS); and the Home Office non-crime
//! incident categories. Seed 001 §23-28 (WMP crime data integrity audit: late recording,
//! non-crime categories in the PPU, additional verifiable information for "no crimes").

use crate::date::Timestamp;
use crate::field_error::{parse_word, FieldError};
use crate::harm::subgroup_weight;
use crate::offence::{self, Offence};
use crate::outcome::{outcome_type, OutcomeType};
use serde::{Deserialize, Serialize};
use std::fmt;

// ---------------------------------------------------------------------------------------
// The recording decision and its 24 hours
// ---------------------------------------------------------------------------------------

/// Hours from the report to the crime-recording decision (HOCR General Rules, section A).
pub const RECORDING_DECISION_HOURS: i64 = 24;

pub fn recording_decision_due(reported: Timestamp) -> Timestamp {
    reported.add_hours(RECORDING_DECISION_HOURS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecordingTimeliness {
    pub due: Timestamp,
    /// Decided at or before `due` (exactly 24 hours is on time).
    pub on_time: bool,
    /// Minutes after `due`; 0 when on time.
    pub minutes_late: i64,
}

/// Whether a recording decision made at `decided` met the 24 hours from `reported`.
pub fn recording_timeliness(reported: Timestamp, decided: Timestamp) -> Result<RecordingTimeliness, FieldError> {
    if decided < reported {
        return Err(FieldError::new(
            "decided_at",
            format!("the decision ({decided}) is before the report ({reported})"),
        ));
    }
    let due = recording_decision_due(reported);
    let late = due.minutes_until(decided).max(0);
    Ok(RecordingTimeliness { due, on_time: late == 0, minutes_late: late })
}

/// Incidents recorded, but not as crimes, under their own Home Office categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NonCrimeType {
    /// A non-crime incident with no particular category.
    Incident,
    /// Domestic abuse incident where no notifiable crime occurred.
    DomesticAbuse,
    /// Female genital mutilation concern without a crime.
    FgmConcern,
    /// Child sexual exploitation concern without a crime.
    CseConcern,
    /// Non-crime hate incident.
    HateIncident,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordingDecision {
    /// Recorded as a notifiable crime (NCRS: on the balance of probabilities a crime
    /// occurred and there is no credible evidence to the contrary).
    Crime,
    NonCrime(NonCrimeType),
    /// Committed in another force's area: transferred to that force (HOCR General Rules,
    /// Annex A protocol).
    Transferred,
}

impl RecordingDecision {
    pub const WORDS: &'static [(&'static str, RecordingDecision)] = &[
        ("crime", RecordingDecision::Crime),
        ("non-crime", RecordingDecision::NonCrime(NonCrimeType::Incident)),
        ("non-crime-domestic-abuse", RecordingDecision::NonCrime(NonCrimeType::DomesticAbuse)),
        ("fgm-concern", RecordingDecision::NonCrime(NonCrimeType::FgmConcern)),
        ("cse-concern", RecordingDecision::NonCrime(NonCrimeType::CseConcern)),
        ("hate-incident", RecordingDecision::NonCrime(NonCrimeType::HateIncident)),
        ("transferred", RecordingDecision::Transferred),
    ];

    pub fn parse(s: &str) -> Result<RecordingDecision, FieldError> {
        parse_word("decision", "a recording decision", Self::WORDS, s)
    }

    pub fn word(self) -> &'static str {
        Self::WORDS.iter().find(|(_, d)| *d == self).map(|(w, _)| *w).unwrap()
    }
}

impl fmt::Display for RecordingDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

// ---------------------------------------------------------------------------------------
// Cancellation
// ---------------------------------------------------------------------------------------

/// The only reasons a recorded crime may be cancelled (HOCR General Rules, section C).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CancellationReason {
    /// Additional verifiable information (AVI) shows that no notifiable crime occurred.
    AdditionalVerifiableInformation,
    /// A duplicate of a crime already recorded.
    Duplicate,
    /// Committed outside this force's jurisdiction and transferred to the force concerned.
    OutsideJurisdiction,
    /// Part of a crime already recorded: recorded in error as a separate crime.
    PartOfAnotherCrime,
}

/// (CLI word, reason, what the rules say, what `detail` must hold).
pub const CANCELLATION_REASONS: &[(&str, CancellationReason, &str, &str)] = &[
    (
        "additional-verifiable-information",
        CancellationReason::AdditionalVerifiableInformation,
        "Additional verifiable information determines that no notifiable crime has been committed",
        "the additional verifiable information and where it is recorded",
    ),
    (
        "duplicate",
        CancellationReason::Duplicate,
        "Duplicate record of a crime already recorded",
        "the reference of the crime it duplicates",
    ),
    (
        "outside-jurisdiction",
        CancellationReason::OutsideJurisdiction,
        "Crime committed outside the jurisdiction of the force in which it was recorded, transferred to the force concerned",
        "the force it was transferred to",
    ),
    (
        "part-of-another-crime",
        CancellationReason::PartOfAnotherCrime,
        "Part of a crime already recorded, recorded in error as a separate crime",
        "the reference of the crime it is part of",
    ),
];

impl CancellationReason {
    pub fn parse(s: &str) -> Result<CancellationReason, FieldError> {
        let words: Vec<_> = CANCELLATION_REASONS.iter().map(|(w, r, _, _)| (*w, *r)).collect();
        parse_word("reason", "a cancellation reason in the Home Office Counting Rules", &words, s)
    }

    fn row(self) -> &'static (&'static str, CancellationReason, &'static str, &'static str) {
        CANCELLATION_REASONS.iter().find(|(_, r, _, _)| *r == self).unwrap()
    }

    pub fn word(self) -> &'static str {
        self.row().0
    }

    pub fn description(self) -> &'static str {
        self.row().2
    }
}

/// Who makes a decision on a crime record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Officer,
    Supervisor,
    /// Designated decision maker: appointed by the Force Crime Registrar to make
    /// cancellation decisions.
    DesignatedDecisionMaker,
    /// The Force Crime Registrar, final arbiter of the Counting Rules in the force.
    ForceCrimeRegistrar,
}

impl Role {
    pub const WORDS: &'static [(&'static str, Role)] = &[
        ("officer", Role::Officer),
        ("supervisor", Role::Supervisor),
        ("ddm", Role::DesignatedDecisionMaker),
        ("designated-decision-maker", Role::DesignatedDecisionMaker),
        ("fcr", Role::ForceCrimeRegistrar),
        ("force-crime-registrar", Role::ForceCrimeRegistrar),
    ];

    pub fn parse(s: &str) -> Result<Role, FieldError> {
        parse_word("decided_by", "a role", Self::WORDS, s)
    }
}

/// Roles that may cancel a recorded crime. The rules give the decision to a designated
/// decision maker; Peel also lets the Force Crime Registrar decide, since the registrar
/// appoints the DDMs and is the final arbiter above them.
pub const CANCELLING_ROLES: &[Role] = &[Role::DesignatedDecisionMaker, Role::ForceCrimeRegistrar];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationRequest {
    pub reason: CancellationReason,
    pub decided_by: Role,
    /// What the reason rests on: the AVI, the duplicated crime, the receiving force.
    pub detail: String,
}

/// Accepts a cancellation only for a reason in the rules, made by a DDM (or the FCR), and
/// with the detail the reason rests on.
pub fn validate_cancellation(req: &CancellationRequest) -> Result<(), FieldError> {
    if !CANCELLING_ROLES.contains(&req.decided_by) {
        return Err(FieldError::new(
            "decided_by",
            format!(
                "a crime can be cancelled only by a designated decision maker (or the Force Crime Registrar), not by {}",
                match req.decided_by {
                    Role::Officer => "an officer",
                    Role::Supervisor => "a supervisor",
                    _ => "this role",
                }
            ),
        ));
    }
    if req.detail.trim().is_empty() {
        return Err(FieldError::new(
            "detail",
            format!("cancelling as '{}' needs {}", req.reason.word(), req.reason.row().3),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// One crime per victim and the principal crime
// ---------------------------------------------------------------------------------------

/// How serious an offence is for the principal crime rule: the CCHI days of its Home Office
/// subgroup (`harm::subgroup_weight`); 0 for fraud, which has no CCHI weight.
///
/// Peel's decision: the rules' own Annex C look-up table ranks offence pairs; Peel uses the
/// harm index it already holds, which orders the same way in the common cases (homicide >
/// rape > robbery and violence with injury > burglary > other sexual offences > arson >
/// weapons > violence without injury > criminal damage > theft). Equal weights keep the
/// offence listed first, so the officer's order decides a tie.
pub fn seriousness(o: &Offence) -> f64 {
    subgroup_weight(o.subgroup).unwrap_or(0.0)
}

fn lookup(code: &str) -> Result<Offence, FieldError> {
    offence::by_code(code)
        .ok_or_else(|| FieldError::new("offences", format!("'{code}' is not a Home Office offence code")))
}

/// The principal (most serious) of the offences in one incident against one victim: the one
/// crime that is recorded.
pub fn principal_offence(codes: &[&str]) -> Result<Offence, FieldError> {
    let mut best: Option<Offence> = None;
    for code in codes {
        let o = lookup(code)?;
        // Strictly greater: on a tie the offence listed first stays.
        match best {
            Some(b) if seriousness(&o) <= seriousness(&b) => {}
            _ => best = Some(o),
        }
    }
    best.ok_or_else(|| FieldError::new("offences", "no offence given"))
}

/// One crime per victim: from (victim, offence code) pairs of one incident, the crime to
/// record for each victim — its principal offence — in the order victims first appear.
pub fn crimes_to_record<V: Clone + PartialEq>(offences: &[(V, &str)]) -> Result<Vec<(V, Offence)>, FieldError> {
    let mut victims: Vec<V> = Vec::new();
    for (v, _) in offences {
        if !victims.contains(v) {
            victims.push(v.clone());
        }
    }
    victims
        .into_iter()
        .map(|v| {
            let codes: Vec<&str> = offences.iter().filter(|(x, _)| *x == v).map(|(_, c)| *c).collect();
            principal_offence(&codes).map(|o| (v, o))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Outcome validity
// ---------------------------------------------------------------------------------------

/// What must be true of an investigation for an outcome type to be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Requirement {
    SuspectIdentified,
    NoSuspectIdentified,
    /// The offender admitted the offence.
    Admission,
    SuspectUnder18,
    SuspectAged18OrOver,
    /// Below the age of criminal responsibility, 10 (Children and Young Persons Act 1933
    /// s.50).
    SuspectUnder10,
    /// A fraud recorded by the National Fraud Intelligence Bureau (Action Fraud).
    RecordedByNfib,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OutcomeRule {
    pub codes: &'static [&'static str],
    pub requirement: Requirement,
    pub source: &'static str,
}

/// Outcome validity rules, as data. Source: HOCR General Rules section H and the outcome
/// definitions (outcome.rs); each line's own source names the rest.
pub const OUTCOME_RULES: &[OutcomeRule] = &[
    OutcomeRule {
        codes: &["1", "1A", "2", "3", "4", "6", "7", "8", "15", "16", "5", "11", "12", "13", "17"],
        requirement: Requirement::SuspectIdentified,
        source: "HOCR section H: charge/summons, cautions, TIC, PND, cannabis/khat warning, community resolution, evidential difficulties with suspect identified and prosecution prevented all need an identified suspect",
    },
    OutcomeRule {
        codes: &["14", "18"],
        requirement: Requirement::NoSuspectIdentified,
        source: "HOCR section H: 18 is 'investigation complete - no suspect identified'; 14 is for a suspect not identified (with a suspect identified it is 16)",
    },
    OutcomeRule {
        codes: &["2", "3"],
        requirement: Requirement::Admission,
        source: "Cautions need a clear and reliable admission of the offence (Ministry of Justice simple cautions guidance; youth cautions, Crime and Disorder Act 1998 s.66ZA)",
    },
    OutcomeRule {
        codes: &["4"],
        requirement: Requirement::Admission,
        source: "An offence is taken into consideration only when the offender admits it and asks for it to be (HOCR section H, outcome 4)",
    },
    OutcomeRule {
        codes: &["2"],
        requirement: Requirement::SuspectUnder18,
        source: "Outcome 2 is the youth caution: an offender aged 10-17 (Crime and Disorder Act 1998 s.66ZA)",
    },
    OutcomeRule {
        codes: &["3"],
        requirement: Requirement::SuspectAged18OrOver,
        source: "Outcome 3 is the adult caution: an offender aged 18 or over",
    },
    OutcomeRule {
        codes: &["11"],
        requirement: Requirement::SuspectUnder10,
        source: "Outcome 11: suspect below the age of criminal responsibility, 10 (Children and Young Persons Act 1933 s.50)",
    },
    OutcomeRule {
        codes: &["19"],
        requirement: Requirement::RecordedByNfib,
        source: "Outcome 19 is for frauds recorded by Action Fraud and filed by the National Fraud Intelligence Bureau",
    },
];

/// Why a recorded crime's offence is changed, each a ground the Home Office Counting Rules
/// accept (General Rules: a crime is reclassified when additional verifiable information
/// shows another offence, or its classification was wrong; the Force Crime Registrar is the
/// final arbiter). (word, what it means.)
pub const RECLASSIFICATION_REASONS: &[(&str, &str)] = &[
    ("additional-verifiable-information", "Additional verifiable information shows another offence was committed"),
    ("classification-error", "The offence was classified in error when it was recorded"),
    ("injury-now-known", "The extent of the injury is now known (for example common assault to assault with injury)"),
    ("victim-died", "The victim has died of the injuries (for example wounding to homicide)"),
    ("principal-crime", "The principal crime was chosen wrongly (one crime is recorded: the most serious)"),
];

/// How two crimes are linked (issue 10 §3). (word, what it means.)
pub const LINK_KINDS: &[(&str, &str)] = &[
    ("series", "Part of a series"),
    ("duplicate", "The same crime recorded twice"),
    ("same-offender", "Committed by the same offender"),
];

/// Whether a crime of this offence is recorded by the National Fraud Intelligence Bureau
/// rather than by the force: fraud (the Home Office "Fraud offences" group: Action Fraud,
/// CIFAS, UK Finance) has been recorded centrally since April 2013 (Home Office Counting
/// Rules, Fraud and Computer Misuse section), so only such a crime may take outcome 19.
pub fn recorded_by_nfib(offence_code: &str) -> bool {
    crate::offence::by_code(offence_code).is_some_and(|o| o.group == "Fraud offences")
}

/// The facts of an investigation that outcome validity depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OutcomeFacts {
    pub suspect_identified: bool,
    /// The suspect's age at the time of the offence, if known.
    pub suspect_age: Option<u32>,
    pub admission: bool,
    pub recorded_by_nfib: bool,
}

fn check(o: &OutcomeType, req: Requirement, f: &OutcomeFacts) -> Result<(), FieldError> {
    let name = format!("outcome {} ({})", o.code, o.title);
    let need_age = |test: fn(u32) -> bool, what: &str| match f.suspect_age {
        None => Err(FieldError::new("suspect_age", format!("{name} needs the suspect's age ({what})"))),
        Some(a) if !test(a) => {
            Err(FieldError::new("suspect_age", format!("{name} needs a suspect {what}; the suspect is {a}")))
        }
        Some(_) => Ok(()),
    };
    match req {
        Requirement::SuspectIdentified if !f.suspect_identified => {
            Err(FieldError::new("suspect_identified", format!("{name} needs an identified suspect")))
        }
        Requirement::NoSuspectIdentified if f.suspect_identified => Err(FieldError::new(
            "suspect_identified",
            format!("{name} means no suspect was identified, but a suspect is identified"),
        )),
        Requirement::Admission if !f.admission => {
            Err(FieldError::new("admission", format!("{name} needs the offender's admission of the offence")))
        }
        Requirement::SuspectUnder18 => need_age(|a| a < 18, "under 18"),
        Requirement::SuspectAged18OrOver => need_age(|a| a >= 18, "aged 18 or over"),
        Requirement::SuspectUnder10 => need_age(|a| a < 10, "under 10"),
        Requirement::RecordedByNfib if !f.recorded_by_nfib => Err(FieldError::new(
            "recorded_by_nfib",
            format!("{name} is only for fraud recorded by the National Fraud Intelligence Bureau"),
        )),
        _ => Ok(()),
    }
}

/// Checks that outcome `code` may be given on `facts`; returns the outcome type, or the
/// first rule broken, naming the field at fault.
pub fn validate_outcome(code: &str, facts: &OutcomeFacts) -> Result<&'static OutcomeType, FieldError> {
    let o = outcome_type(code).ok_or_else(|| {
        FieldError::new("outcome", format!("'{}' is not a Home Office outcome type 0-22", code.trim()))
    })?;
    for rule in OUTCOME_RULES.iter().filter(|r| r.codes.contains(&o.code)) {
        check(o, rule.requirement, facts)?;
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::OUTCOME_TYPES;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    #[test]
    fn recording_decision_within_24_hours() {
        let reported = ts("2026-12-24T22:15");
        assert_eq!(recording_decision_due(reported), ts("2026-12-25T22:15"));
        let on = recording_timeliness(reported, ts("2026-12-25T22:15")).unwrap();
        assert!(on.on_time, "exactly 24 hours is on time");
        assert_eq!(on.minutes_late, 0);
        let late = recording_timeliness(reported, ts("2026-12-26T00:00")).unwrap();
        assert!(!late.on_time);
        assert_eq!(late.minutes_late, 105, "22:15 to midnight");
        let e = recording_timeliness(reported, ts("2026-12-24T22:00")).unwrap_err();
        assert_eq!(e.field, "decided_at");
    }

    #[test]
    fn decisions_parse() {
        for (w, d) in RecordingDecision::WORDS {
            assert_eq!(RecordingDecision::parse(w).unwrap(), *d);
            assert_eq!(d.to_string(), *w);
        }
        assert_eq!(
            RecordingDecision::parse("hate-incident").unwrap(),
            RecordingDecision::NonCrime(NonCrimeType::HateIncident)
        );
        assert_eq!(RecordingDecision::parse("no-crime").unwrap_err().field, "decision");
    }

    fn cancel(reason: CancellationReason, by: Role, detail: &str) -> Result<(), FieldError> {
        validate_cancellation(&CancellationRequest { reason, decided_by: by, detail: detail.into() })
    }

    #[test]
    fn a_cancelled_crime_without_a_ddm_is_refused() {
        let e = cancel(CancellationReason::Duplicate, Role::Officer, "20/123456/26").unwrap_err();
        assert_eq!(e.field, "decided_by");
        assert_eq!(
            e.to_string(),
            "field 'decided_by': a crime can be cancelled only by a designated decision maker (or the Force Crime Registrar), not by an officer"
        );
        assert_eq!(
            cancel(CancellationReason::AdditionalVerifiableInformation, Role::Supervisor, "CCTV").unwrap_err().field,
            "decided_by"
        );
    }

    #[test]
    fn a_ddm_cancels_for_a_reason_in_the_rules_with_its_detail() {
        assert!(cancel(CancellationReason::Duplicate, Role::DesignatedDecisionMaker, "20/123456/26").is_ok());
        assert!(
            cancel(CancellationReason::OutsideJurisdiction, Role::ForceCrimeRegistrar, "Staffordshire Police").is_ok()
        );
        let e = cancel(CancellationReason::AdditionalVerifiableInformation, Role::DesignatedDecisionMaker, "  ")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "field 'detail': cancelling as 'additional-verifiable-information' needs the additional verifiable information and where it is recorded"
        );
    }

    #[test]
    fn only_the_four_reasons_parse() {
        assert_eq!(CANCELLATION_REASONS.len(), 4);
        for (w, r, _, _) in CANCELLATION_REASONS {
            assert_eq!(CancellationReason::parse(w).unwrap(), *r);
            assert_eq!(r.word(), *w);
        }
        let e = CancellationReason::parse("victim-withdrew").unwrap_err();
        assert_eq!(e.field, "reason");
        assert!(e.message.contains("expected one of: additional-verifiable-information, duplicate, outside-jurisdiction, part-of-another-crime"));
        assert_eq!(Role::parse("DDM").unwrap(), Role::DesignatedDecisionMaker);
        assert_eq!(Role::parse("sergeant").unwrap_err().field, "decided_by");
    }

    #[test]
    fn principal_crime_is_the_most_harmful() {
        // Burglary residential (273.5 days) with criminal damage to the dwelling (2) and an
        // assault without injury (10): the burglary is recorded.
        assert_eq!(principal_offence(&["58A", "28E", "105A"]).unwrap().code, "28E");
        // Rape (2555) over robbery (365).
        assert_eq!(principal_offence(&["34B", "19C"]).unwrap().code, "19C");
        // Tie (robbery 365 and attempted murder, violence with injury 365): first listed.
        assert_eq!(principal_offence(&["34B", "2"]).unwrap().code, "34B");
        assert_eq!(principal_offence(&["2", "34B"]).unwrap().code, "2");
        // Fraud has no CCHI weight: anything weighted outranks it.
        assert_eq!(principal_offence(&["CIFAS", "58D"]).unwrap().code, "58D");
        assert_eq!(principal_offence(&["cifas"]).unwrap().code, "CIFAS");
        assert_eq!(principal_offence(&[]).unwrap_err().to_string(), "field 'offences': no offence given");
        assert_eq!(
            principal_offence(&["28E", "ZZ9"]).unwrap_err().to_string(),
            "field 'offences': 'ZZ9' is not a Home Office offence code"
        );
    }

    #[test]
    fn one_crime_per_victim() {
        // A robbery of two people in which one is also assaulted: two crimes, one each.
        let incident = [("Ann", "34B"), ("Bob", "34B"), ("Bob", "105A"), ("Ann", "8L")];
        let crimes = crimes_to_record(&incident).unwrap();
        let got: Vec<_> = crimes.iter().map(|(v, o)| (*v, o.code)).collect();
        assert_eq!(got, [("Ann", "34B"), ("Bob", "34B")]);
        assert!(crimes_to_record::<&str>(&[]).unwrap().is_empty());
    }

    fn facts(suspect: bool, age: Option<u32>, admission: bool) -> OutcomeFacts {
        OutcomeFacts { suspect_identified: suspect, suspect_age: age, admission, recorded_by_nfib: false }
    }

    #[test]
    fn a_charge_without_a_suspect_is_refused() {
        let e = validate_outcome("1", &facts(false, None, false)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "field 'suspect_identified': outcome 1 (Charged/summonsed) needs an identified suspect"
        );
        assert_eq!(validate_outcome("1A", &facts(false, None, false)).unwrap_err().field, "suspect_identified");
        assert_eq!(validate_outcome("1", &facts(true, None, false)).unwrap().code, "1");
    }

    #[test]
    fn every_suspect_outcome_needs_a_suspect() {
        for code in ["1", "1A", "2", "3", "4", "5", "6", "7", "8", "11", "12", "13", "15", "16", "17"] {
            let e = validate_outcome(code, &facts(false, Some(30), true)).unwrap_err();
            assert_eq!(e.field, "suspect_identified", "{code}");
        }
    }

    #[test]
    fn eighteen_means_no_suspect() {
        assert!(validate_outcome("18", &facts(false, None, false)).is_ok());
        let e = validate_outcome("18", &facts(true, None, false)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "field 'suspect_identified': outcome 18 (Investigation complete - no suspect identified) means no suspect was identified, but a suspect is identified"
        );
        assert_eq!(validate_outcome("14", &facts(true, None, false)).unwrap_err().field, "suspect_identified");
    }

    #[test]
    fn cautions_need_an_admission_and_the_right_age() {
        // Youth caution: suspect 15 who admits.
        assert!(validate_outcome("2", &facts(true, Some(15), true)).is_ok());
        assert_eq!(validate_outcome("2", &facts(true, Some(15), false)).unwrap_err().field, "admission");
        let e = validate_outcome("2", &facts(true, Some(18), true)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "field 'suspect_age': outcome 2 (Caution - youth) needs a suspect under 18; the suspect is 18"
        );
        // Adult caution.
        assert!(validate_outcome("3", &facts(true, Some(18), true)).is_ok());
        assert_eq!(validate_outcome("3", &facts(true, Some(17), true)).unwrap_err().field, "suspect_age");
        let e = validate_outcome("3", &facts(true, None, true)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "field 'suspect_age': outcome 3 (Caution - adult) needs the suspect's age (aged 18 or over)"
        );
        // TIC needs an admission too.
        assert_eq!(validate_outcome("4", &facts(true, Some(30), false)).unwrap_err().field, "admission");
    }

    #[test]
    fn below_the_age_of_criminal_responsibility() {
        assert!(validate_outcome("11", &facts(true, Some(9), false)).is_ok());
        assert_eq!(validate_outcome("11", &facts(true, Some(10), false)).unwrap_err().field, "suspect_age");
    }

    #[test]
    fn nineteen_only_for_nfib_fraud() {
        let nfib = OutcomeFacts { recorded_by_nfib: true, ..Default::default() };
        assert!(validate_outcome("19", &nfib).is_ok());
        assert!(recorded_by_nfib("AF") && recorded_by_nfib("CIFAS"));
        assert!(!recorded_by_nfib("8N") && !recorded_by_nfib("nonsense"));
        let e = validate_outcome("19", &OutcomeFacts::default()).unwrap_err();
        assert_eq!(e.field, "recorded_by_nfib");
    }

    #[test]
    fn unconstrained_outcomes_and_unknown_codes() {
        for code in ["0", "9", "10", "20", "21", "22"] {
            assert!(validate_outcome(code, &OutcomeFacts::default()).is_ok(), "{code}");
        }
        assert_eq!(
            validate_outcome("23", &OutcomeFacts::default()).unwrap_err().to_string(),
            "field 'outcome': '23' is not a Home Office outcome type 0-22"
        );
    }

    #[test]
    fn rule_codes_are_real_outcome_types() {
        for rule in OUTCOME_RULES {
            for code in rule.codes {
                assert!(OUTCOME_TYPES.iter().any(|o| o.code == *code), "{code}");
            }
        }
    }
}
