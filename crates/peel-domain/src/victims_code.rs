//! The Victims' Code as dated obligations, who is owed the enhanced service, the WMP
//! five-step contact standard, and the fraud victim triage.
//!
//! Source: Code of Practice for Victims of Crime in England and Wales (Victims' Code),
//! Ministry of Justice, in force 1 April 2021, issued under s.32 Domestic Violence, Crime
//! and Victims Act 2004: its 12 rights, the timeliness it sets for the police, and its
//! eligibility for enhanced rights. Where the Code names no time, Peel sets none; where Peel
//! chooses (the 24-hour recording decision, persistent targeting), the line says so.
//! Seed 002 (WMP, 2022) §29 for the five-step standard and §10-11 for the fraud triage;
//! seed 001 §125 for the enhanced-service flag on the crime record.

use crate::calendar::add_working_days;
use crate::date::{Date, Timestamp};
use crate::field_error::{parse_word, FieldError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the Code's 12 rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Right {
    pub number: u8,
    pub title: &'static str,
}

/// The 12 rights of the Victims' Code 2021, in the Code's order and words (seed 002 §68
/// lists rights 5-12 the same way).
pub const RIGHTS: [Right; 12] = [
    Right { number: 1, title: "To be able to understand and to be understood" },
    Right { number: 2, title: "To have the details of the crime recorded without unjustified delay" },
    Right { number: 3, title: "To be provided with information when reporting the crime" },
    Right {
        number: 4,
        title: "To be referred to services that support victims and have services and support tailored to your needs",
    },
    Right { number: 5, title: "To be provided with information about compensation" },
    Right { number: 6, title: "To be provided with information about the investigation and prosecution" },
    Right { number: 7, title: "To make a Victim Personal Statement" },
    Right { number: 8, title: "To be given information about the trial, trial process and your role as a witness" },
    Right { number: 9, title: "To be given information about the outcome of the case and any appeals" },
    Right { number: 10, title: "To be paid expenses and have property returned" },
    Right { number: 11, title: "To be given information about the offender following a conviction" },
    Right { number: 12, title: "To make a complaint about your rights not being met" },
];

pub fn right(number: u8) -> Option<&'static Right> {
    RIGHTS.iter().find(|r| r.number == number)
}

/// How long the force has to meet an entitlement, counted from its trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Deadline {
    /// The Code sets no time ("when you report", "as soon as possible" or a later stage).
    None,
    /// Clock hours from the report (the 24-hour recording decision).
    Hours(u32),
    /// Working days after the trigger (the trigger day is day 0), fewer for victims
    /// eligible for enhanced rights.
    WorkingDays { standard: u32, enhanced: u32 },
    /// Calendar days after the trigger: the WMP five-step standard counts in "days".
    CalendarDays(u32),
}

/// What starts an entitlement's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Trigger {
    /// The crime is reported.
    Report,
    /// One of the investigation events of right 6 (`Event`).
    InvestigationEvent,
    /// Charge, trial or conviction: met by the Witness Care Unit, CPS, courts, prisons or
    /// probation, recorded by Peel for information only.
    CourtStage,
}

/// Which victims an entitlement is owed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Applies {
    AllVictims,
    /// A business (the Code: a legal person with a named point of contact).
    Businesses,
    /// Close relatives bereaved by criminal conduct.
    BereavedRelatives,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Entitlement {
    /// Stable key for storage and the API, e.g. "6-investigation-updates".
    pub key: &'static str,
    pub right: u8,
    pub description: &'static str,
    pub trigger: Trigger,
    pub deadline: Deadline,
    pub applies: Applies,
    pub source: &'static str,
}

/// Working days to tell a victim of a right-6 event: 5, or 1 for enhanced rights.
pub const RIGHT_6_WORKING_DAYS: (u32, u32) = (5, 1);
/// Working days to refer a victim to support services (right 4).
pub const REFERRAL_WORKING_DAYS: u32 = 2;
/// Hours from report to the crime-recording decision (right 2 as Peel applies it).
const RECORDING_DECISION_HOURS: u32 = crate::recording::RECORDING_DECISION_HOURS as u32;

/// Every entitlement the police owe, as data. Source: Victims' Code 2021, the right named
/// on each line; right 2's 24 hours: Home Office Counting Rules, General Rules section A.
pub const ENTITLEMENTS: &[Entitlement] = &[
    Entitlement {
        key: "1-understand",
        right: 1,
        description: "Interpretation and translation free of charge when reporting, in interview and for key documents if the victim does not understand or speak English; help to communicate where needed",
        trigger: Trigger::Report,
        deadline: Deadline::None,
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 1",
    },
    Entitlement {
        key: "2-recording",
        right: 2,
        description: "Crime recorded without unjustified delay: the recording decision is made within 24 hours of the report",
        trigger: Trigger::Report,
        deadline: Deadline::Hours(RECORDING_DECISION_HOURS),
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 2; the 24 hours are the Home Office Counting Rules' (General Rules, section A), which Peel adopts as right 2's measure",
    },
    Entitlement {
        key: "3-acknowledgement",
        right: 3,
        description: "Written acknowledgement of the report with the crime reference number and the basic details of the offence",
        trigger: Trigger::Report,
        deadline: Deadline::None,
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 3",
    },
    Entitlement {
        key: "3-what-to-expect",
        right: 3,
        description: "Basic information on what to expect from the criminal justice process, the Code's rights and how updates will be given",
        trigger: Trigger::Report,
        deadline: Deadline::None,
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 3",
    },
    Entitlement {
        key: "4-referral",
        right: 4,
        description: "Needs assessment, and referral to services that support victims within 2 working days of reporting, with the victim's consent",
        trigger: Trigger::Report,
        deadline: Deadline::WorkingDays { standard: REFERRAL_WORKING_DAYS, enhanced: REFERRAL_WORKING_DAYS },
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 4",
    },
    Entitlement {
        key: "4-bereaved-referral",
        right: 4,
        description: "Automatic referral of close relatives bereaved by criminal conduct to the homicide support service, without waiting for consent; Peel applies right 4's 2 working days",
        trigger: Trigger::Report,
        deadline: Deadline::WorkingDays { standard: REFERRAL_WORKING_DAYS, enhanced: REFERRAL_WORKING_DAYS },
        applies: Applies::BereavedRelatives,
        source: "Victims' Code 2021, right 4 (bereaved close relatives are referred automatically)",
    },
    Entitlement {
        key: "5-compensation",
        right: 5,
        description: "Information about compensation: the Criminal Injuries Compensation Scheme and court compensation orders",
        trigger: Trigger::Report,
        deadline: Deadline::None,
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 5",
    },
    Entitlement {
        key: "6-investigation-updates",
        right: 6,
        description: "Told of each key investigation event (arrest, interview under caution, release without charge, release on bail or under investigation, change to bail conditions, charge, out-of-court disposal, decision not to investigate or to end the investigation) within 5 working days, 1 working day if eligible for enhanced rights",
        trigger: Trigger::InvestigationEvent,
        deadline: Deadline::WorkingDays { standard: RIGHT_6_WORKING_DAYS.0, enhanced: RIGHT_6_WORKING_DAYS.1 },
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 6",
    },
    Entitlement {
        key: "7-victim-personal-statement",
        right: 7,
        description: "Offered the chance to make a Victim Personal Statement, when giving a witness statement or later",
        trigger: Trigger::Report,
        deadline: Deadline::None,
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 7",
    },
    Entitlement {
        key: "7-business-impact-statement",
        right: 7,
        description: "A business victim may make a Business Impact Statement through its named point of contact",
        trigger: Trigger::Report,
        deadline: Deadline::None,
        applies: Applies::Businesses,
        source: "Victims' Code 2021, right 7; seed 001 §123-125 (WMP Business Impact Statements)",
    },
    Entitlement {
        key: "8-trial",
        right: 8,
        description: "Information about the trial, the trial process and the victim's role as a witness",
        trigger: Trigger::CourtStage,
        deadline: Deadline::None,
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 8 (Witness Care Unit; information only in Peel)",
    },
    Entitlement {
        key: "9-outcome",
        right: 9,
        description: "Information about the outcome of the case and any appeals",
        trigger: Trigger::CourtStage,
        deadline: Deadline::None,
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 9 (Witness Care Unit and CPS; information only in Peel)",
    },
    Entitlement {
        key: "10-expenses-property",
        right: 10,
        description: "Expenses for attending court paid, and property taken as evidence returned",
        trigger: Trigger::CourtStage,
        deadline: Deadline::None,
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 10 (information only in Peel)",
    },
    Entitlement {
        key: "11-offender",
        right: 11,
        description: "Information about the offender following a conviction (Victim Contact Scheme)",
        trigger: Trigger::CourtStage,
        deadline: Deadline::None,
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 11 (probation; information only in Peel)",
    },
    Entitlement {
        key: "12-complaint",
        right: 12,
        description: "Able to complain when these rights are not met",
        trigger: Trigger::CourtStage,
        deadline: Deadline::None,
        applies: Applies::AllVictims,
        source: "Victims' Code 2021, right 12 (information only in Peel)",
    },
];

/// Entitlements met by the crime-recording decision itself, not by contact with the victim:
/// right 2 is the crime "recorded without unjustified delay" (Victims' Code 2021, right 2),
/// so the decision to record meets it, on time within the 24 hours or late after them.
pub const MET_BY_THE_RECORDING_DECISION: &[&str] = &["2-recording"];

pub fn entitlement(key: &str) -> Option<&'static Entitlement> {
    ENTITLEMENTS.iter().find(|e| e.key == key)
}

/// A right-6 investigation event. The CLI words are the kebab-case names in `Event::WORDS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Event {
    Arrest,
    /// Suspect interviewed under caution (including a voluntary interview).
    Interview,
    /// Suspect released without charge (no further action against that suspect).
    Release,
    /// Suspect released on police bail or released under investigation.
    Bail,
    /// Suspect's bail conditions changed or cancelled.
    BailChange,
    Charge,
    /// Out-of-court disposal: caution, conditional caution, community resolution, PND.
    Caution,
    /// The police decide not to investigate, or to end the investigation.
    NoFurtherAction,
}

impl Event {
    pub const ALL: [Event; 8] = [
        Event::Arrest,
        Event::Interview,
        Event::Release,
        Event::Bail,
        Event::BailChange,
        Event::Charge,
        Event::Caution,
        Event::NoFurtherAction,
    ];

    /// Accepted words: the canonical one first for each event, then aliases.
    pub const WORDS: &'static [(&'static str, Event)] = &[
        ("arrest", Event::Arrest),
        ("interview", Event::Interview),
        ("release", Event::Release),
        ("bail", Event::Bail),
        ("bail-change", Event::BailChange),
        ("charge", Event::Charge),
        ("caution", Event::Caution),
        ("no-further-action", Event::NoFurtherAction),
        ("released-under-investigation", Event::Bail),
        ("rui", Event::Bail),
        ("out-of-court-disposal", Event::Caution),
        ("nfa", Event::NoFurtherAction),
        ("decision-not-to-investigate", Event::NoFurtherAction),
        ("investigation-closed", Event::NoFurtherAction),
    ];

    pub fn parse(s: &str) -> Result<Event, FieldError> {
        parse_word("event", "an investigation event", Self::WORDS, s)
    }

    /// The canonical CLI word.
    pub fn word(self) -> &'static str {
        Self::WORDS.iter().find(|(_, e)| *e == self).map(|(w, _)| *w).unwrap()
    }

    pub fn description(self) -> &'static str {
        match self {
            Event::Arrest => "suspect arrested",
            Event::Interview => "suspect interviewed under caution",
            Event::Release => "suspect released without charge",
            Event::Bail => "suspect released on bail or under investigation",
            Event::BailChange => "suspect's bail conditions changed",
            Event::Charge => "suspect charged",
            Event::Caution => "suspect given an out-of-court disposal",
            Event::NoFurtherAction => "decision not to investigate or to end the investigation",
        }
    }
}

impl Event {
    /// The right-6 event a Home Office outcome is, when it finalises a crime: a charge or
    /// summons (outcomes 1, 1A, and 4, the offence taken into consideration at court) is a
    /// charge; a caution, community resolution, penalty notice or diversion (outcomes 2, 3, 6,
    /// 7, 8, 22) an out-of-court disposal; every outcome that closes the case without action
    /// against a suspect, or hands it to another body (outcomes 5, 9–21), a
    /// decision to end the investigation. Source: Victims' Code 2021, right 6 (the events
    /// victims must be told of); the Home Office outcome groups in `outcome`.
    pub fn for_outcome(group: crate::outcome::OutcomeGroup) -> Option<Event> {
        use crate::outcome::OutcomeGroup as G;
        match group {
            G::ChargedSummonsed | G::TakenIntoConsideration => Some(Event::Charge),
            G::OutOfCourtFormal | G::OutOfCourtInformal | G::Diversionary => Some(Event::Caution),
            G::NoSuspect | G::EvidentialDifficulties | G::PublicInterest | G::Prevented | G::OtherBody => {
                Some(Event::NoFurtherAction)
            }
            G::NotYetAssigned | G::Unknown => None,
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

impl std::str::FromStr for Event {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Event::parse(s)
    }
}

/// When the victim must be told of `event` that happened on `at`: (due date, working days
/// allowed). Right 6: 5 working days, 1 if eligible for enhanced rights.
pub fn due_date(event: Event, at: Date, enhanced: bool) -> (Date, u32) {
    let _ = event; // every right-6 event has the same clock; kept for the record and the API
    let n = if enhanced { RIGHT_6_WORKING_DAYS.1 } else { RIGHT_6_WORKING_DAYS.0 };
    (add_working_days(at, n), n)
}

/// When an obligation falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Due {
    /// By this minute (the 24-hour recording decision).
    At(Timestamp),
    /// By the end of this day.
    By(Date),
    NoDeadline,
}

/// An entitlement made concrete for one victim: what is owed and by when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Obligation {
    pub key: &'static str,
    pub right: u8,
    pub description: String,
    pub due: Due,
}

/// The kind of victim, for which entitlements apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VictimKind {
    pub enhanced: bool,
    pub business: bool,
    pub bereaved_relative: bool,
}

fn due_from(deadline: Deadline, at: Timestamp, enhanced: bool) -> Due {
    match deadline {
        Deadline::None => Due::NoDeadline,
        Deadline::Hours(h) => Due::At(at.add_hours(h as i64)),
        Deadline::WorkingDays { standard, enhanced: e } => {
            Due::By(add_working_days(at.date(), if enhanced { e } else { standard }))
        }
        Deadline::CalendarDays(n) => Due::By(at.date().add_days(n as i64)),
    }
}

fn applies(e: &Entitlement, victim: VictimKind) -> bool {
    match e.applies {
        Applies::AllVictims => true,
        Applies::Businesses => victim.business,
        Applies::BereavedRelatives => victim.bereaved_relative,
    }
}

/// Every entitlement owed from the moment of the report, dated. Right 6 is left out: it is
/// owed per event (`obligation_for_event`). Court-stage rights are listed without a date.
pub fn obligations_at_report(reported: Timestamp, victim: VictimKind) -> Vec<Obligation> {
    ENTITLEMENTS
        .iter()
        .filter(|e| e.trigger != Trigger::InvestigationEvent && applies(e, victim))
        .map(|e| Obligation {
            key: e.key,
            right: e.right,
            description: e.description.to_string(),
            due: if e.trigger == Trigger::Report {
                due_from(e.deadline, reported, victim.enhanced)
            } else {
                Due::NoDeadline
            },
        })
        .collect()
}

/// The right-6 obligation created by one investigation event.
pub fn obligation_for_event(event: Event, at: Date, enhanced: bool) -> Obligation {
    let (due, n) = due_date(event, at, enhanced);
    Obligation {
        key: "6-investigation-updates",
        right: 6,
        description: format!(
            "Tell the victim: {} on {} (within {n} working day{})",
            event.description(),
            at,
            if n == 1 { "" } else { "s" }
        ),
        due: Due::By(due),
    }
}

// ---------------------------------------------------------------------------------------
// WMP five-step victim contact standard
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ContactStep {
    pub step: u8,
    pub description: &'static str,
    /// What starts the clock, if the step has one.
    pub from: Option<&'static str>,
    pub deadline: Deadline,
}

/// WMP's five-step victim contact standard (High Harm Team, applied to neighbourhood crime).
/// Source: seed 002 (WMP Economic and neighbourhood crime, 2022) §29. The seed says "seven
/// days" and "five days", not working days, so Peel counts calendar days: never later than
/// the Code's own right-6 deadline of 5 working days, which runs beside it.
pub const FIVE_STEP_STANDARD: [ContactStep; 5] = [
    ContactStep { step: 1, description: "Victim aware a report is being filed", from: None, deadline: Deadline::None },
    ContactStep {
        step: 2,
        description: "Victim aware of the investigating officer within seven days of the crime being recorded",
        from: Some("crime recorded"),
        deadline: Deadline::CalendarDays(7),
    },
    ContactStep {
        step: 3,
        description: "Contact plan established with the victim and compliance monitored",
        from: None,
        deadline: Deadline::None,
    },
    ContactStep {
        step: 4,
        description: "Victim informed within five days of any arrest, charge or caution",
        from: Some("arrest, charge or caution"),
        deadline: Deadline::CalendarDays(5),
    },
    ContactStep {
        step: 5,
        description: "Details of relevant organisations who can offer support provided to the victim",
        from: None,
        deadline: Deadline::None,
    },
];

/// The due date of five-step `step` whose clock started on `at`; `None` for a step without
/// a deadline or a step number outside 1-5.
pub fn five_step_due(step: u8, at: Date) -> Option<Date> {
    match FIVE_STEP_STANDARD.iter().find(|s| s.step == step)?.deadline {
        Deadline::CalendarDays(n) => Some(at.add_days(n as i64)),
        _ => None,
    }
}

/// Which events start step 4's clock.
pub fn five_step_4_applies(event: Event) -> bool {
    matches!(event, Event::Arrest | Event::Charge | Event::Caution)
}

// ---------------------------------------------------------------------------------------
// Enhanced rights
// ---------------------------------------------------------------------------------------

/// The Code's "victims of the most serious crime" (Victims' Code 2021, eligibility for
/// enhanced rights). Bereaved close relatives are a flag on the victim, not an offence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SeriousCrime {
    DomesticAbuse,
    HateCrime,
    Terrorism,
    SexualOffence,
    HumanTrafficking,
    AttemptedMurder,
    Kidnap,
    FalseImprisonment,
    ArsonWithIntentToEndangerLife,
    WoundingOrGbhWithIntent,
}

impl SeriousCrime {
    /// (CLI word, crime, the Code's wording).
    pub const TABLE: &'static [(&'static str, SeriousCrime, &'static str)] = &[
        ("domestic-abuse", SeriousCrime::DomesticAbuse, "domestic abuse"),
        ("hate-crime", SeriousCrime::HateCrime, "hate crime"),
        ("terrorism", SeriousCrime::Terrorism, "terrorism"),
        ("sexual-offence", SeriousCrime::SexualOffence, "sexual offences"),
        ("human-trafficking", SeriousCrime::HumanTrafficking, "human trafficking"),
        ("attempted-murder", SeriousCrime::AttemptedMurder, "attempted murder"),
        ("kidnap", SeriousCrime::Kidnap, "kidnap"),
        ("false-imprisonment", SeriousCrime::FalseImprisonment, "false imprisonment"),
        ("arson-endangering-life", SeriousCrime::ArsonWithIntentToEndangerLife, "arson with intent to endanger life"),
        (
            "wounding-with-intent",
            SeriousCrime::WoundingOrGbhWithIntent,
            "wounding or causing grievous bodily harm with intent",
        ),
    ];

    pub fn parse(s: &str) -> Result<SeriousCrime, FieldError> {
        let words: Vec<_> = Self::TABLE.iter().map(|(w, c, _)| (*w, *c)).collect();
        parse_word("themes", "a most-serious-crime theme", &words, s)
    }

    pub fn label(self) -> &'static str {
        Self::TABLE.iter().find(|(_, c, _)| *c == self).map(|(_, _, l)| *l).unwrap()
    }

    /// Complainants of these are intimidated witnesses without further assessment:
    /// sexual offences (Youth Justice and Criminal Evidence Act 1999 s.17(4)) and modern
    /// slavery / human trafficking (s.17(4A), inserted by the Modern Slavery Act 2015).
    pub fn complainant_is_intimidated(self) -> bool {
        matches!(self, SeriousCrime::SexualOffence | SeriousCrime::HumanTrafficking)
    }
}

/// Peel's definition of "persistently targeted", which the Code leaves to the force.
/// Peel's decision: a victim of 3 or more crimes (this one included) in the 12 months up to
/// and including this crime — the repeat-victim definition many forces use nationally.
/// A force can change the two numbers here; the reasons shown quote them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RepeatVictimRule {
    pub crimes: u32,
    pub months: u32,
}

pub const PERSISTENTLY_TARGETED: RepeatVictimRule = RepeatVictimRule { crimes: 3, months: 12 };

/// Crimes against the victim in the window of `PERSISTENTLY_TARGETED`: dates `d` with
/// `at` − 12 months < d ≤ `at` (`at` is this crime's date; it should be among `dates`).
/// Months are calendar months; a day missing from the earlier month (31 → 30, 29 Feb → 28)
/// takes that month's last day.
pub fn crimes_in_window(dates: &[Date], at: Date) -> u32 {
    let back = PERSISTENTLY_TARGETED.months as i32;
    let months = at.year() * 12 + at.month() as i32 - 1 - back;
    let (year, month) = (months.div_euclid(12), (months.rem_euclid(12) + 1) as u8);
    let start = Date::ymd(year, month, at.day().min(crate::date::days_in_month(year, month)));
    dates.iter().filter(|d| **d > start && **d <= at).count() as u32
}

/// What is known about a victim when the enhanced-rights question is asked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VictimCircumstances {
    /// Age at the time of the offence; `None` if not known.
    pub age_at_offence: Option<u32>,
    pub themes: Vec<SeriousCrime>,
    /// A close relative bereaved by criminal conduct.
    pub bereaved_close_relative: bool,
    /// Mental disorder within the meaning of the Mental Health Act 1983.
    pub mental_disorder: bool,
    pub significant_impairment_of_intelligence_and_social_functioning: bool,
    pub physical_disability_or_disorder: bool,
    /// Fear or distress about testifying.
    pub fear_or_distress_about_testifying: bool,
    /// Crimes against this victim in the last 12 months, this one included
    /// (`crimes_in_window` counts them from dates).
    pub crimes_in_last_12_months: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum EnhancedCategory {
    MostSeriousCrime,
    PersistentlyTargeted,
    Vulnerable,
    Intimidated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnhancedReason {
    pub category: EnhancedCategory,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    pub enhanced: bool,
    /// Every reason that applies, in the Code's order; empty when not eligible.
    pub reasons: Vec<EnhancedReason>,
}

/// Whether the victim is eligible for enhanced rights under the Victims' Code 2021, and
/// every reason why. Any one reason suffices; all are listed so that the officer sees them.
pub fn enhanced_eligibility(v: &VictimCircumstances) -> Eligibility {
    use EnhancedCategory::*;
    let mut reasons = Vec::new();
    let mut add = |category, reason: String| reasons.push(EnhancedReason { category, reason });

    for theme in SeriousCrime::TABLE.iter().map(|(_, c, _)| *c).filter(|c| v.themes.contains(c)) {
        add(MostSeriousCrime, format!("victim of the most serious crime: {}", theme.label()));
    }
    if v.bereaved_close_relative {
        add(MostSeriousCrime, "close relative bereaved by criminal conduct".into());
    }
    let rule = PERSISTENTLY_TARGETED;
    if v.crimes_in_last_12_months >= rule.crimes {
        add(
            PersistentlyTargeted,
            format!(
                "persistently targeted: victim of {} crimes in the last {} months (Peel: {} or more)",
                v.crimes_in_last_12_months, rule.months, rule.crimes
            ),
        );
    }
    if let Some(age) = v.age_at_offence.filter(|a| *a < 18) {
        add(Vulnerable, format!("vulnerable: aged {age} at the time of the offence (under 18)"));
    }
    if v.mental_disorder {
        add(Vulnerable, "vulnerable: mental disorder (Mental Health Act 1983)".into());
    }
    if v.significant_impairment_of_intelligence_and_social_functioning {
        add(Vulnerable, "vulnerable: significant impairment of intelligence and social functioning".into());
    }
    if v.physical_disability_or_disorder {
        add(Vulnerable, "vulnerable: physical disability or physical disorder".into());
    }
    if v.fear_or_distress_about_testifying {
        add(Intimidated, "intimidated: fear or distress about testifying".into());
    }
    for theme in v.themes.iter().filter(|t| t.complainant_is_intimidated()) {
        add(Intimidated, format!("intimidated: complainant of {}", theme.label()));
    }
    Eligibility { enhanced: !reasons.is_empty(), reasons }
}

// ---------------------------------------------------------------------------------------
// Fraud triage to the Economic Crime Victim Care Unit
// ---------------------------------------------------------------------------------------

/// WMP's filter for fraud victims referred to the Economic Crime Victim Care Unit.
/// Source: seed 002 §10-11: romance fraud; aged 70+; NDM score (five CoLP questions, scored
/// out of 35) "15+" — and WMP "will receive victim care data on a victim with a score above
/// 15". The seed says both; Peel follows the issue and the data-sharing wording: above 15.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FraudTriageRule {
    pub min_age: u32,
    /// Refer when the score is strictly above this.
    pub ndm_above: u32,
    pub ndm_max: u32,
}

pub const FRAUD_TRIAGE: FraudTriageRule = FraudTriageRule { min_age: 70, ndm_above: 15, ndm_max: 35 };

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FraudVictim {
    pub romance_fraud: bool,
    pub age: Option<u32>,
    /// National Decision Model / vulnerability score from City of London Police, 0-35.
    pub ndm_score: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FraudTriage {
    pub refer: bool,
    pub reasons: Vec<String>,
}

pub fn fraud_triage(v: &FraudVictim) -> Result<FraudTriage, FieldError> {
    let rule = FRAUD_TRIAGE;
    let mut reasons = Vec::new();
    if v.romance_fraud {
        reasons.push("romance fraud".to_string());
    }
    if let Some(age) = v.age.filter(|a| *a >= rule.min_age) {
        reasons.push(format!("aged {age} ({} or over)", rule.min_age));
    }
    if let Some(score) = v.ndm_score {
        if score > rule.ndm_max {
            return Err(FieldError::new(
                "ndm_score",
                format!("{score} is above the maximum NDM score of {}", rule.ndm_max),
            ));
        }
        if score > rule.ndm_above {
            reasons.push(format!("NDM score {score} of {} (above {})", rule.ndm_max, rule.ndm_above));
        }
    }
    Ok(FraudTriage { refer: !reasons.is_empty(), reasons })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::d;

    #[test]
    fn twelve_rights_in_order() {
        assert_eq!(RIGHTS.len(), 12);
        for (i, r) in RIGHTS.iter().enumerate() {
            assert_eq!(r.number as usize, i + 1);
        }
        assert_eq!(right(7).unwrap().title, "To make a Victim Personal Statement");
        assert!(right(13).is_none());
    }

    #[test]
    fn every_right_has_an_entitlement_and_keys_are_unique() {
        for r in RIGHTS {
            assert!(ENTITLEMENTS.iter().any(|e| e.right == r.number), "right {}", r.number);
        }
        for e in ENTITLEMENTS {
            assert_eq!(ENTITLEMENTS.iter().filter(|x| x.key == e.key).count(), 1, "{}", e.key);
            assert!(e.key.starts_with(&format!("{}-", e.right)), "{}", e.key);
            assert!(e.source.starts_with("Victims' Code 2021"), "{}", e.key);
        }
        assert_eq!(
            entitlement("6-investigation-updates").unwrap().deadline,
            Deadline::WorkingDays { standard: 5, enhanced: 1 }
        );
        assert_eq!(entitlement("2-recording").unwrap().deadline, Deadline::Hours(24));
        assert_eq!(entitlement("4-referral").unwrap().deadline, Deadline::WorkingDays { standard: 2, enhanced: 2 });
    }

    #[test]
    fn events_parse_from_cli_words() {
        for e in Event::ALL {
            assert_eq!(Event::parse(e.word()).unwrap(), e);
            assert_eq!(e.to_string().parse::<Event>().unwrap(), e);
        }
        assert_eq!(Event::parse("bail-change").unwrap(), Event::BailChange);
        assert_eq!(Event::parse("No-Further-Action").unwrap(), Event::NoFurtherAction);
        assert_eq!(Event::parse("decision-not-to-investigate").unwrap(), Event::NoFurtherAction);
        assert_eq!(Event::parse("rui").unwrap(), Event::Bail);
        assert_eq!(Event::parse("out-of-court-disposal").unwrap(), Event::Caution);
        let err = Event::parse("sentenced").unwrap_err();
        assert_eq!(err.field, "event");
        assert!(err.message.starts_with("'sentenced' is not an investigation event; expected one of: arrest, interview, release, bail, bail-change"), "{err}");
    }

    #[test]
    fn arrest_on_christmas_eve_2026() {
        // Arrest Thu 24 Dec 2026 (day 0). Fri 25 Christmas Day, Sat 26, Sun 27, Mon 28
        // Boxing Day substitute: none is a working day.
        // Enhanced, 1 working day: Tue 29 Dec (1).
        let eve = d("2026-12-24");
        assert_eq!(due_date(Event::Arrest, eve, true), (d("2026-12-29"), 1));
        // Standard, 5 working days: Tue 29 (1), Wed 30 (2), Thu 31 (3); Fri 1 Jan 2027 New
        // Year's Day, Sat 2, Sun 3; Mon 4 Jan (4), Tue 5 Jan (5). Not Thu 31 Dec: that is
        // only the third working day.
        assert_eq!(due_date(Event::Arrest, eve, false), (d("2027-01-05"), 5));
        assert_eq!(d("2027-01-05").long_label(), "Tue 5 Jan 2027");
    }

    #[test]
    fn right_6_over_an_ordinary_weekend() {
        // Charge on Fri 6 Mar 2026: enhanced → Mon 9 Mar; standard → Fri 13 Mar.
        assert_eq!(due_date(Event::Charge, d("2026-03-06"), true).0, d("2026-03-09"));
        assert_eq!(due_date(Event::Charge, d("2026-03-06"), false).0, d("2026-03-13"));
        // Bail on Sat 7 Mar: day 0 is the Saturday; Mon 9 is day 1.
        assert_eq!(due_date(Event::Bail, d("2026-03-07"), true).0, d("2026-03-09"));
    }

    #[test]
    fn obligations_for_an_event_read_well() {
        let o = obligation_for_event(Event::Arrest, d("2026-12-24"), true);
        assert_eq!(o.due, Due::By(d("2026-12-29")));
        assert_eq!(o.description, "Tell the victim: suspect arrested on 2026-12-24 (within 1 working day)");
    }

    #[test]
    fn obligations_at_report_are_dated() {
        // Reported Wed 23 Dec 2026 at 18:00.
        let t = Timestamp::parse("2026-12-23T18:00").unwrap();
        let obs = obligations_at_report(t, VictimKind::default());
        let due = |k: &str| obs.iter().find(|o| o.key == k).map(|o| o.due);
        // Recording decision 24 hours later, Christmas Eve 18:00.
        assert_eq!(due("2-recording"), Some(Due::At(Timestamp::parse("2026-12-24T18:00").unwrap())));
        // Referral: 2 working days from Wed 23 Dec: Thu 24 (1), then Fri 25 to Mon 28 are
        // holidays or weekend, Tue 29 (2).
        assert_eq!(due("4-referral"), Some(Due::By(d("2026-12-29"))));
        assert_eq!(due("3-acknowledgement"), Some(Due::NoDeadline));
        assert_eq!(due("9-outcome"), Some(Due::NoDeadline));
        assert_eq!(due("6-investigation-updates"), None, "owed per event");
        assert_eq!(due("7-business-impact-statement"), None, "not a business");
        assert_eq!(due("4-bereaved-referral"), None);
        let business = VictimKind { business: true, ..Default::default() };
        assert!(obligations_at_report(t, business).iter().any(|o| o.key == "7-business-impact-statement"));
        let bereaved = VictimKind { bereaved_relative: true, enhanced: true, ..Default::default() };
        assert!(obligations_at_report(t, bereaved).iter().any(|o| o.key == "4-bereaved-referral"));
    }

    #[test]
    fn five_step_standard() {
        assert_eq!(FIVE_STEP_STANDARD.len(), 5);
        // Recorded Thu 24 Dec 2026: investigating officer known by Thu 31 Dec (7 calendar days).
        assert_eq!(five_step_due(2, d("2026-12-24")), Some(d("2026-12-31")));
        // Arrest Thu 24 Dec 2026: 5 calendar days → Tue 29 Dec, earlier than the Code's
        // 5 working days (Tue 5 Jan 2027).
        assert_eq!(five_step_due(4, d("2026-12-24")), Some(d("2026-12-29")));
        assert_eq!(five_step_due(1, d("2026-12-24")), None);
        assert_eq!(five_step_due(6, d("2026-12-24")), None);
        assert!(five_step_4_applies(Event::Caution));
        assert!(!five_step_4_applies(Event::Interview));
    }

    fn eligibility(v: VictimCircumstances) -> Eligibility {
        enhanced_eligibility(&v)
    }

    #[test]
    fn a_youth_victim_is_always_enhanced() {
        // A 17-year-old victim of a theft: nothing else applies, under 18 suffices.
        let e = eligibility(VictimCircumstances {
            age_at_offence: Some(17),
            crimes_in_last_12_months: 1,
            ..Default::default()
        });
        assert!(e.enhanced);
        assert_eq!(e.reasons.len(), 1);
        assert_eq!(e.reasons[0].category, EnhancedCategory::Vulnerable);
        assert_eq!(e.reasons[0].reason, "vulnerable: aged 17 at the time of the offence (under 18)");
        // Age at the offence counts, so a victim of 18 today who was 16 then is still enhanced.
        assert!(eligibility(VictimCircumstances { age_at_offence: Some(0), ..Default::default() }).enhanced);
        assert!(
            !eligibility(VictimCircumstances {
                age_at_offence: Some(18),
                crimes_in_last_12_months: 1,
                ..Default::default()
            })
            .enhanced
        );
    }

    #[test]
    fn an_adult_victim_of_a_volume_crime_is_not_enhanced() {
        let e = eligibility(VictimCircumstances {
            age_at_offence: Some(45),
            crimes_in_last_12_months: 2,
            ..Default::default()
        });
        assert_eq!(e, Eligibility { enhanced: false, reasons: vec![] });
    }

    #[test]
    fn most_serious_crime_and_sexual_offence_complainants() {
        let e = eligibility(VictimCircumstances {
            age_at_offence: Some(30),
            themes: vec![SeriousCrime::SexualOffence, SeriousCrime::DomesticAbuse],
            crimes_in_last_12_months: 1,
            ..Default::default()
        });
        let reasons: Vec<_> = e.reasons.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "victim of the most serious crime: domestic abuse",
                "victim of the most serious crime: sexual offences",
                "intimidated: complainant of sexual offences",
            ]
        );
    }

    #[test]
    fn persistently_targeted_is_three_crimes_in_twelve_months() {
        let at = d("2026-06-01");
        let dates = [d("2025-06-01"), d("2025-06-02"), d("2026-01-15"), at];
        // 2025-06-01 is exactly 12 months before: outside the window (start exclusive).
        assert_eq!(crimes_in_window(&dates, at), 3);
        // A crime after `at` is not counted; 29 Feb 2024 looks back to 28 Feb 2023.
        assert_eq!(crimes_in_window(&[d("2026-06-02"), at], at), 1);
        let leap = d("2024-02-29");
        assert_eq!(crimes_in_window(&[d("2023-02-28"), d("2023-03-01"), leap], leap), 2);
        let e = eligibility(VictimCircumstances { crimes_in_last_12_months: 3, ..Default::default() });
        assert_eq!(e.reasons[0].category, EnhancedCategory::PersistentlyTargeted);
        assert_eq!(
            e.reasons[0].reason,
            "persistently targeted: victim of 3 crimes in the last 12 months (Peel: 3 or more)"
        );
        assert!(!eligibility(VictimCircumstances { crimes_in_last_12_months: 2, ..Default::default() }).enhanced);
    }

    #[test]
    fn every_reason_is_listed() {
        let e = eligibility(VictimCircumstances {
            age_at_offence: Some(15),
            themes: vec![SeriousCrime::HumanTrafficking],
            bereaved_close_relative: true,
            mental_disorder: true,
            significant_impairment_of_intelligence_and_social_functioning: true,
            physical_disability_or_disorder: true,
            fear_or_distress_about_testifying: true,
            crimes_in_last_12_months: 4,
        });
        let cats: Vec<_> = e.reasons.iter().map(|r| r.category).collect();
        use EnhancedCategory::*;
        assert_eq!(
            cats,
            [
                MostSeriousCrime,
                MostSeriousCrime,
                PersistentlyTargeted,
                Vulnerable,
                Vulnerable,
                Vulnerable,
                Vulnerable,
                Intimidated,
                Intimidated,
            ]
        );
    }

    #[test]
    fn serious_crime_words() {
        for (w, c, _) in SeriousCrime::TABLE {
            assert_eq!(SeriousCrime::parse(w).unwrap(), *c);
        }
        assert_eq!(SeriousCrime::TABLE.len(), 10);
        assert_eq!(SeriousCrime::parse("burglary").unwrap_err().field, "themes");
    }

    #[test]
    fn fraud_triage_reasons() {
        let t = |v: FraudVictim| fraud_triage(&v).unwrap();
        assert_eq!(t(FraudVictim { romance_fraud: true, ..Default::default() }).reasons, ["romance fraud"]);
        assert_eq!(t(FraudVictim { age: Some(70), ..Default::default() }).reasons, ["aged 70 (70 or over)"]);
        assert!(!t(FraudVictim { age: Some(69), ..Default::default() }).refer);
        // Above 15: 16 refers, 15 does not.
        assert_eq!(
            t(FraudVictim { ndm_score: Some(16), ..Default::default() }).reasons,
            ["NDM score 16 of 35 (above 15)"]
        );
        assert!(!t(FraudVictim { ndm_score: Some(15), age: Some(40), ..Default::default() }).refer);
        let all = t(FraudVictim { romance_fraud: true, age: Some(82), ndm_score: Some(35) });
        assert!(all.refer);
        assert_eq!(all.reasons.len(), 3);
        let err = fraud_triage(&FraudVictim { ndm_score: Some(36), ..Default::default() }).unwrap_err();
        assert_eq!(err.to_string(), "field 'ndm_score': 36 is above the maximum NDM score of 35");
    }
}
