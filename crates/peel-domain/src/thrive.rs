//! THRIVE: the assessment recorded on every incident, and what it decides — the response
//! grade and which team investigates.
//!
//! Source: seed 003 (HMIC PEEL effectiveness, WMP, 2015), "How well does the force initially
//! investigate and allocate cases?": "decisions about the allocation of police resources
//! are based on the THRIVE (Threat, Risk, Harm, Investigation, Vulnerability, Engagement)
//! model. The force allocates crimes to an appropriate level of investigative resource
//! based upon identified vulnerabilities and the risks associated with the perpetrators
//! rather than solely relying on the type of crime committed"; "for more complex crime,
//! such as serious sexual offences and serious assaults, and for any crimes committed
//! against vulnerable people, cases are generally allocated to specialist units"; and the
//! force-wide child sexual exploitation team. Seed 002 (WMP, 2022) §7 and §63 for the
//! Economic Crime Unit and volume fraud, §27-28 for the High Harm and Vulnerability Teams
//! and linked series offences.
//!
//! The seeds give the principles, not a table. The two tables below (grade, allocation)
//! are Peel's rules built on them, each line with its reason; the first matching line wins.

use crate::field_error::{parse_word, FieldError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Serialised in lower case like every other word Peel exchanges ("low", "medium",
/// "high"); the capitalised forms are accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[serde(alias = "Low")]
    Low,
    #[serde(alias = "Medium")]
    Medium,
    #[serde(alias = "High")]
    High,
}

impl Level {
    const WORDS: &'static [(&'static str, Level)] =
        &[("low", Level::Low), ("medium", Level::Medium), ("high", Level::High)];

    /// Parses "low", "medium" or "high"; `field` names the THRIVE element in the error.
    pub fn parse(field: &'static str, s: &str) -> Result<Level, FieldError> {
        parse_word(field, "a level", Self::WORDS, s)
    }

    pub fn word(self) -> &'static str {
        Self::WORDS[self as usize].0
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// One incident's THRIVE assessment as the call taker or crime service team records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Thrive {
    /// Threat: is anyone under threat now (an offender present, a threat to life)?
    pub threat: Level,
    /// Harm: how much harm has been or may be done.
    pub harm: Level,
    /// Risk: how likely further harm is if the police do not act.
    pub risk: Level,
    /// Investigation: there are investigative opportunities that attendance would secure
    /// (a scene, CCTV, a suspect nearby, forensic material).
    pub investigation: bool,
    /// Vulnerability: the victim or another person involved is vulnerable.
    pub vulnerability: bool,
    /// Engagement: the victim needs or asks to be seen in person.
    pub engagement: bool,
}

/// The response grade. Peel's names for the usual four-tier call grading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Grade {
    /// Immediate attendance, blue lights.
    Emergency,
    /// Attendance as soon as possible, the same shift.
    Priority,
    /// Attendance by appointment.
    Scheduled,
    /// Dealt with without deploying: by telephone, online or the crime service team.
    ResolvedWithoutDeployment,
}

impl Grade {
    pub fn label(self) -> &'static str {
        match self {
            Grade::Emergency => "emergency",
            Grade::Priority => "priority",
            Grade::Scheduled => "scheduled",
            Grade::ResolvedWithoutDeployment => "resolved without deployment",
        }
    }
}

/// One line of the grading table.
pub struct GradeRule {
    pub condition: &'static str,
    pub applies: fn(&Thrive) -> bool,
    pub grade: Grade,
    pub reason: &'static str,
}

/// Peel's grading table, first match wins. The grade follows the most pressing element:
/// a live threat or high risk needs someone there now; serious harm, any medium element or
/// a vulnerable person needs someone the same shift; an investigative opportunity or a
/// victim who wants to be seen needs an appointment; otherwise no deployment is needed.
pub const GRADE_RULES: &[GradeRule] = &[
    GradeRule {
        condition: "threat high or risk high",
        applies: |t| t.threat == Level::High || t.risk == Level::High,
        grade: Grade::Emergency,
        reason: "a high threat or high risk of further harm needs immediate attendance",
    },
    GradeRule {
        condition: "harm high",
        applies: |t| t.harm == Level::High,
        grade: Grade::Priority,
        reason: "high harm without a live threat needs attendance the same shift",
    },
    GradeRule {
        condition: "vulnerability",
        applies: |t| t.vulnerability,
        grade: Grade::Priority,
        reason: "a vulnerable person needs attendance the same shift (seed 003: vulnerability is identified at the earliest opportunity)",
    },
    GradeRule {
        condition: "threat, harm or risk medium",
        applies: |t| t.threat == Level::Medium || t.harm == Level::Medium || t.risk == Level::Medium,
        grade: Grade::Priority,
        reason: "a medium threat, harm or risk needs attendance the same shift",
    },
    GradeRule {
        condition: "investigation or engagement",
        applies: |t| t.investigation || t.engagement,
        grade: Grade::Scheduled,
        reason: "low threat, harm and risk, but evidence to secure or a victim to see: attend by appointment",
    },
    GradeRule {
        condition: "otherwise",
        applies: |_| true,
        grade: Grade::ResolvedWithoutDeployment,
        reason: "low threat, harm and risk, no vulnerability, nothing attendance would add",
    },
];

/// What an incident is about, beyond THRIVE, for allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseTheme {
    SeriousSexualOffence,
    DomesticAbuse,
    ChildSexualExploitation,
    ChildAbuse,
    /// Linked series offences (one offender or group, many crimes).
    SeriesCrime,
    /// Fraud the Economic Crime Unit's triage classes as complex and protracted.
    ComplexFraud,
    /// Any other fraud.
    Fraud,
}

impl CaseTheme {
    pub const WORDS: &'static [(&'static str, CaseTheme)] = &[
        ("serious-sexual-offence", CaseTheme::SeriousSexualOffence),
        ("domestic-abuse", CaseTheme::DomesticAbuse),
        ("child-sexual-exploitation", CaseTheme::ChildSexualExploitation),
        ("child-abuse", CaseTheme::ChildAbuse),
        ("series-crime", CaseTheme::SeriesCrime),
        ("complex-fraud", CaseTheme::ComplexFraud),
        ("fraud", CaseTheme::Fraud),
    ];

    pub fn parse(s: &str) -> Result<CaseTheme, FieldError> {
        parse_word("themes", "a case theme", Self::WORDS, s)
    }
}

/// The three investigative tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Tier {
    Specialist,
    Complex,
    Volume,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Team {
    /// Public Protection Unit: rape and serious sexual offences.
    SeriousSexualOffences,
    /// Public Protection Unit: high-risk domestic abuse.
    HighRiskDomesticAbuse,
    /// The force-wide child sexual exploitation team.
    ChildSexualExploitation,
    /// Public Protection Unit: child abuse.
    ChildAbuse,
    /// Public Protection Unit: other crimes against vulnerable people.
    PublicProtection,
    /// Force CID Economic Crime Unit: complex fraud, cyber, money laundering.
    EconomicCrimeUnit,
    /// Force CID High Harm and Vulnerability Team: linked series offences.
    HighHarmAndVulnerability,
    /// Local investigation team (volume crime with lines of enquiry).
    LocalInvestigation,
    /// Neighbourhood team: victim care and prevention for volume crime without them.
    Neighbourhood,
}

impl Team {
    pub fn tier(self) -> Tier {
        match self {
            Team::SeriousSexualOffences
            | Team::HighRiskDomesticAbuse
            | Team::ChildSexualExploitation
            | Team::ChildAbuse
            | Team::PublicProtection => Tier::Specialist,
            Team::EconomicCrimeUnit | Team::HighHarmAndVulnerability => Tier::Complex,
            Team::LocalInvestigation | Team::Neighbourhood => Tier::Volume,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Team::SeriousSexualOffences => "Public Protection Unit - serious sexual offences",
            Team::HighRiskDomesticAbuse => "Public Protection Unit - high-risk domestic abuse",
            Team::ChildSexualExploitation => "Child sexual exploitation team",
            Team::ChildAbuse => "Public Protection Unit - child abuse",
            Team::PublicProtection => "Public Protection Unit",
            Team::EconomicCrimeUnit => "Economic Crime Unit",
            Team::HighHarmAndVulnerability => "High Harm and Vulnerability Team",
            Team::LocalInvestigation => "Local investigation team",
            Team::Neighbourhood => "Neighbourhood team",
        }
    }
}

/// What the allocation rules look at: the THRIVE assessment and the case themes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationInput {
    pub thrive: Thrive,
    pub themes: Vec<CaseTheme>,
}

impl AllocationInput {
    fn has(&self, theme: CaseTheme) -> bool {
        self.themes.contains(&theme)
    }
}

pub struct AllocationRule {
    pub condition: &'static str,
    pub applies: fn(&AllocationInput) -> bool,
    pub team: Team,
    pub source: &'static str,
}

/// Peel's allocation table, first match wins: specialist before complex before volume, so
/// that a vulnerable victim is never left with a volume team because the crime is common.
pub const ALLOCATION_RULES: &[AllocationRule] = &[
    AllocationRule {
        condition: "serious sexual offence",
        applies: |i| i.has(CaseTheme::SeriousSexualOffence),
        team: Team::SeriousSexualOffences,
        source: "seed 003: serious sexual offences are allocated to specialist units",
    },
    AllocationRule {
        condition: "child sexual exploitation",
        applies: |i| i.has(CaseTheme::ChildSexualExploitation),
        team: Team::ChildSexualExploitation,
        source: "seed 003: a force-wide team investigates complex and organised child sexual exploitation",
    },
    AllocationRule {
        condition: "child abuse",
        applies: |i| i.has(CaseTheme::ChildAbuse),
        team: Team::ChildAbuse,
        source: "seed 003: child abuse is among the hidden crimes against vulnerable people (Operation Sentinel) handled by specialist units",
    },
    AllocationRule {
        condition: "domestic abuse with risk high",
        applies: |i| i.has(CaseTheme::DomesticAbuse) && i.thrive.risk == Level::High,
        team: Team::HighRiskDomesticAbuse,
        source: "seed 003: allocation by the risks posed by the perpetrator, not the crime type; high-risk domestic abuse goes to the Public Protection Unit",
    },
    AllocationRule {
        condition: "vulnerability",
        applies: |i| i.thrive.vulnerability,
        team: Team::PublicProtection,
        source: "seed 003: any crimes committed against vulnerable people are generally allocated to specialist units",
    },
    AllocationRule {
        condition: "complex fraud",
        applies: |i| i.has(CaseTheme::ComplexFraud),
        team: Team::EconomicCrimeUnit,
        source: "seed 002 §7, §63: complex and protracted fraud stays with the Economic Crime Unit",
    },
    AllocationRule {
        condition: "series crime",
        applies: |i| i.has(CaseTheme::SeriesCrime),
        team: Team::HighHarmAndVulnerability,
        source: "seed 002 §28: High Harm and Vulnerability Teams focus on linked series offences",
    },
    AllocationRule {
        condition: "investigative opportunities (including non-complex fraud)",
        applies: |i| i.thrive.investigation || i.has(CaseTheme::Fraud),
        team: Team::LocalInvestigation,
        source: "seed 003: dedicated teams investigate less complex volume crime where the victim is not vulnerable; seed 002 §63: fraud not classed as complex goes to volume investigation teams",
    },
    AllocationRule {
        condition: "otherwise",
        applies: |_| true,
        team: Team::Neighbourhood,
        source: "Peel: volume crime without lines of enquiry stays with the neighbourhood team for victim care and prevention (seed 002 §23 follow-up visits)",
    },
];

/// THRIVE's decision for one incident: the grade and the team, each with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub grade: Grade,
    pub grade_reason: &'static str,
    pub team: Team,
    pub tier: Tier,
    pub allocation_condition: &'static str,
    pub allocation_source: &'static str,
}

pub fn grade(thrive: &Thrive) -> (Grade, &'static str) {
    // The last line matches everything, so a line always matches.
    let rule = GRADE_RULES.iter().find(|r| (r.applies)(thrive)).expect("grade table ends in 'otherwise'");
    (rule.grade, rule.reason)
}

pub fn allocate(input: &AllocationInput) -> &'static AllocationRule {
    ALLOCATION_RULES.iter().find(|r| (r.applies)(input)).expect("allocation table ends in 'otherwise'")
}

pub fn assess(input: &AllocationInput) -> Assessment {
    let (grade, grade_reason) = grade(&input.thrive);
    let rule = allocate(input);
    Assessment {
        grade,
        grade_reason,
        team: rule.team,
        tier: rule.team.tier(),
        allocation_condition: rule.condition,
        allocation_source: rule.source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Level::*;

    fn t(threat: Level, harm: Level, risk: Level) -> Thrive {
        Thrive { threat, harm, risk, investigation: false, vulnerability: false, engagement: false }
    }

    fn input(thrive: Thrive, themes: &[CaseTheme]) -> AllocationInput {
        AllocationInput { thrive, themes: themes.to_vec() }
    }

    #[test]
    fn levels_parse_and_name_the_field() {
        assert_eq!(Level::parse("threat", "High").unwrap(), High);
        assert_eq!(Level::Medium.to_string(), "medium");
        let e = Level::parse("risk", "extreme").unwrap_err();
        assert_eq!(e.to_string(), "field 'risk': 'extreme' is not a level; expected one of: low, medium, high");
    }

    #[test]
    fn grades() {
        assert_eq!(grade(&t(High, Low, Low)).0, Grade::Emergency);
        assert_eq!(grade(&t(Low, Low, High)).0, Grade::Emergency);
        assert_eq!(grade(&t(Low, High, Low)).0, Grade::Priority);
        assert_eq!(grade(&t(Medium, Low, Low)).0, Grade::Priority);
        assert_eq!(grade(&t(Low, Low, Medium)).0, Grade::Priority);
        assert_eq!(grade(&Thrive { vulnerability: true, ..t(Low, Low, Low) }).0, Grade::Priority);
        assert_eq!(grade(&Thrive { investigation: true, ..t(Low, Low, Low) }).0, Grade::Scheduled);
        assert_eq!(grade(&Thrive { engagement: true, ..t(Low, Low, Low) }).0, Grade::Scheduled);
        let (g, why) = grade(&t(Low, Low, Low));
        assert_eq!(g, Grade::ResolvedWithoutDeployment);
        assert!(why.contains("nothing attendance would add"));
    }

    #[test]
    fn first_match_wins_in_grading() {
        // High threat with everything else set is still an emergency.
        let all = Thrive { investigation: true, vulnerability: true, engagement: true, ..t(High, High, High) };
        assert_eq!(grade(&all).0, Grade::Emergency);
    }

    #[test]
    fn every_thrive_combination_gets_a_grade_and_a_team() {
        let levels = [Low, Medium, High];
        for &threat in &levels {
            for &harm in &levels {
                for &risk in &levels {
                    for bits in 0..8u8 {
                        let thrive = Thrive {
                            threat,
                            harm,
                            risk,
                            investigation: bits & 1 != 0,
                            vulnerability: bits & 2 != 0,
                            engagement: bits & 4 != 0,
                        };
                        let a = assess(&input(thrive, &[]));
                        // Never resolved without deployment when anything is above low.
                        if threat > Low || harm > Low || risk > Low || thrive.vulnerability {
                            assert!(a.grade < Grade::Scheduled, "{thrive:?}");
                        }
                        assert_eq!(a.tier, a.team.tier());
                    }
                }
            }
        }
    }

    #[test]
    fn specialist_allocations() {
        let low = t(Low, Low, Low);
        assert_eq!(allocate(&input(low, &[CaseTheme::SeriousSexualOffence])).team, Team::SeriousSexualOffences);
        assert_eq!(allocate(&input(low, &[CaseTheme::ChildSexualExploitation])).team, Team::ChildSexualExploitation);
        assert_eq!(allocate(&input(low, &[CaseTheme::ChildAbuse])).team, Team::ChildAbuse);
        assert_eq!(
            allocate(&input(t(Medium, Medium, High), &[CaseTheme::DomesticAbuse])).team,
            Team::HighRiskDomesticAbuse
        );
        // Standard-risk domestic abuse with nothing else is a volume investigation.
        let da = input(Thrive { investigation: true, ..t(Low, Medium, Medium) }, &[CaseTheme::DomesticAbuse]);
        assert_eq!(allocate(&da).team, Team::LocalInvestigation);
        // Any vulnerable victim goes to a specialist unit, whatever the crime.
        let burglary_vulnerable = input(Thrive { vulnerability: true, investigation: true, ..low }, &[]);
        assert_eq!(allocate(&burglary_vulnerable).team, Team::PublicProtection);
        assert_eq!(Team::PublicProtection.tier(), Tier::Specialist);
    }

    #[test]
    fn first_match_wins_in_allocation() {
        // A serious sexual offence that is also part of a series goes to the specialist team.
        let i = input(t(Low, High, Medium), &[CaseTheme::SeriesCrime, CaseTheme::SeriousSexualOffence]);
        let r = allocate(&i);
        assert_eq!(r.team, Team::SeriousSexualOffences);
        assert_eq!(r.condition, "serious sexual offence");
        // A vulnerable victim of complex fraud: specialist before complex.
        let i = input(Thrive { vulnerability: true, ..t(Low, Medium, Low) }, &[CaseTheme::ComplexFraud]);
        assert_eq!(allocate(&i).team, Team::PublicProtection);
    }

    #[test]
    fn complex_and_volume_allocations() {
        let low = t(Low, Low, Low);
        let a = assess(&input(low, &[CaseTheme::ComplexFraud]));
        assert_eq!((a.team, a.tier), (Team::EconomicCrimeUnit, Tier::Complex));
        assert!(a.allocation_source.contains("Economic Crime Unit"));
        assert_eq!(allocate(&input(low, &[CaseTheme::SeriesCrime])).team, Team::HighHarmAndVulnerability);
        assert_eq!(allocate(&input(low, &[CaseTheme::Fraud])).team, Team::LocalInvestigation);
        assert_eq!(allocate(&input(Thrive { investigation: true, ..low }, &[])).team, Team::LocalInvestigation);
        let a = assess(&input(low, &[]));
        assert_eq!((a.grade, a.team, a.tier), (Grade::ResolvedWithoutDeployment, Team::Neighbourhood, Tier::Volume));
    }

    #[test]
    fn a_worked_burglary() {
        // Dwelling burglary reported next morning: offender gone (threat low), harm medium,
        // risk low, a scene to examine, victim not vulnerable → priority, local investigation.
        let a = assess(&input(Thrive { investigation: true, engagement: true, ..t(Low, Medium, Low) }, &[]));
        assert_eq!(a.grade, Grade::Priority);
        assert_eq!(a.team, Team::LocalInvestigation);
    }

    #[test]
    fn tables_end_in_a_catch_all_and_words_parse() {
        assert_eq!(GRADE_RULES.last().unwrap().condition, "otherwise");
        assert_eq!(ALLOCATION_RULES.last().unwrap().condition, "otherwise");
        for (w, theme) in CaseTheme::WORDS {
            assert_eq!(CaseTheme::parse(w).unwrap(), *theme);
        }
        assert_eq!(CaseTheme::parse("murder").unwrap_err().field, "themes");
        assert_eq!(Grade::ResolvedWithoutDeployment.label(), "resolved without deployment");
    }
}
