//! Crime outcomes: the Home Office outcome types 0-22, their groups, and the "Last outcome
//! category" strings police.uk publishes, mapped to the same groups.
//!
//! Source: Home Office Counting Rules for Recorded Crime, "Crime outcomes" (outcome framework
//! introduced April 2014; outcome 21 added 2016, outcome 22 added 2019). Outcome 0 is the
//! Home Office outcomes tables' "not yet assigned an outcome" (investigation ongoing).
//! The police.uk strings come from data.police.uk's outcome list and the files themselves.

use serde::{Deserialize, Serialize};

/// The groups a force reports outcomes in (HMIC PEEL 2015 figure 4 and the Home Office
/// outcomes tables): charged/summonsed; out-of-court formal (2, 3, 6); out-of-court informal
/// (7, 8); taken into consideration (4); diversionary (22); and the rest by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OutcomeGroup {
    ChargedSummonsed,
    OutOfCourtFormal,
    OutOfCourtInformal,
    TakenIntoConsideration,
    Diversionary,
    Prevented,
    PublicInterest,
    EvidentialDifficulties,
    NoSuspect,
    OtherBody,
    NotYetAssigned,
    /// police.uk "Status update unavailable" and any string not in its published list.
    Unknown,
}

impl OutcomeGroup {
    pub const ALL: [OutcomeGroup; 12] = [
        OutcomeGroup::ChargedSummonsed,
        OutcomeGroup::OutOfCourtFormal,
        OutcomeGroup::OutOfCourtInformal,
        OutcomeGroup::TakenIntoConsideration,
        OutcomeGroup::Diversionary,
        OutcomeGroup::Prevented,
        OutcomeGroup::PublicInterest,
        OutcomeGroup::EvidentialDifficulties,
        OutcomeGroup::NoSuspect,
        OutcomeGroup::OtherBody,
        OutcomeGroup::NotYetAssigned,
        OutcomeGroup::Unknown,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OutcomeGroup::ChargedSummonsed => "Charged/summonsed",
            OutcomeGroup::OutOfCourtFormal => "Out-of-court (formal)",
            OutcomeGroup::OutOfCourtInformal => "Out-of-court (informal)",
            OutcomeGroup::TakenIntoConsideration => "Taken into consideration",
            OutcomeGroup::Diversionary => "Diversionary, educational or intervention",
            OutcomeGroup::Prevented => "Prosecution prevented or not possible",
            OutcomeGroup::PublicInterest => "Not in the public interest",
            OutcomeGroup::EvidentialDifficulties => "Evidential difficulties",
            OutcomeGroup::NoSuspect => "Investigation complete - no suspect identified",
            OutcomeGroup::OtherBody => "Action by another body",
            OutcomeGroup::NotYetAssigned => "Not yet assigned an outcome",
            OutcomeGroup::Unknown => "Outcome not known",
        }
    }

    /// "Positive outcome" as forces report it: outcome types 1-4 and 6-8 (charge or summons,
    /// cautions, TICs, penalty notices, cannabis/khat warnings, community resolutions).
    /// Outcome 22 is reported beside it by the Home Office, not inside it, so Peel does the
    /// same; a force that counts 22 as positive can add the Diversionary group itself.
    pub fn is_positive(self) -> bool {
        matches!(
            self,
            OutcomeGroup::ChargedSummonsed
                | OutcomeGroup::OutOfCourtFormal
                | OutcomeGroup::OutOfCourtInformal
                | OutcomeGroup::TakenIntoConsideration
        )
    }
}

/// One Home Office outcome type. `code` is as the rules write it ("1A" is a sub-type of 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OutcomeType {
    pub code: &'static str,
    pub title: &'static str,
    pub group: OutcomeGroup,
}

use OutcomeGroup as G;

/// Home Office outcome types 0-22 (Counting Rules, crime outcomes annex).
pub const OUTCOME_TYPES: &[OutcomeType] = &[
    OutcomeType { code: "0", title: "Not yet assigned an outcome", group: G::NotYetAssigned },
    OutcomeType { code: "1", title: "Charged/summonsed", group: G::ChargedSummonsed },
    OutcomeType { code: "1A", title: "Charged/summonsed - alternative offence", group: G::ChargedSummonsed },
    OutcomeType { code: "2", title: "Caution - youth", group: G::OutOfCourtFormal },
    OutcomeType { code: "3", title: "Caution - adult", group: G::OutOfCourtFormal },
    OutcomeType { code: "4", title: "Taken into consideration", group: G::TakenIntoConsideration },
    OutcomeType { code: "5", title: "The offender has died", group: G::Prevented },
    OutcomeType { code: "6", title: "Penalty Notice for Disorder", group: G::OutOfCourtFormal },
    OutcomeType { code: "7", title: "Cannabis/khat warning", group: G::OutOfCourtInformal },
    OutcomeType { code: "8", title: "Community resolution", group: G::OutOfCourtInformal },
    OutcomeType { code: "9", title: "Prosecution not in the public interest (CPS)", group: G::PublicInterest },
    OutcomeType {
        code: "10",
        title: "Formal action against the offender not in the public interest (police decision)",
        group: G::PublicInterest,
    },
    OutcomeType {
        code: "11",
        title: "Prosecution prevented - suspect below the age of criminal responsibility",
        group: G::Prevented,
    },
    OutcomeType { code: "12", title: "Prosecution prevented - suspect too ill to prosecute", group: G::Prevented },
    OutcomeType {
        code: "13",
        title: "Prosecution prevented - victim or key witness dead or too ill",
        group: G::Prevented,
    },
    OutcomeType {
        code: "14",
        title: "Evidential difficulties - suspect not identified; victim does not support further action",
        group: G::EvidentialDifficulties,
    },
    OutcomeType {
        code: "15",
        title: "Evidential difficulties - suspect identified; victim supports action",
        group: G::EvidentialDifficulties,
    },
    OutcomeType {
        code: "16",
        title: "Evidential difficulties - suspect identified; victim does not support further action",
        group: G::EvidentialDifficulties,
    },
    OutcomeType { code: "17", title: "Prosecution time limit expired", group: G::Prevented },
    OutcomeType { code: "18", title: "Investigation complete - no suspect identified", group: G::NoSuspect },
    OutcomeType { code: "19", title: "National Fraud Intelligence Bureau filed", group: G::OtherBody },
    OutcomeType { code: "20", title: "Further action undertaken by another body or agency", group: G::OtherBody },
    OutcomeType {
        code: "21",
        title: "Further investigation not in the public interest (police decision)",
        group: G::PublicInterest,
    },
    OutcomeType {
        code: "22",
        title: "Diversionary, educational or intervention activity undertaken",
        group: G::Diversionary,
    },
];

pub fn outcome_type(code: &str) -> Option<&'static OutcomeType> {
    let code = code.trim();
    OUTCOME_TYPES.iter().find(|o| o.code.eq_ignore_ascii_case(code))
}

/// police.uk "Last outcome category" → outcome group. Court disposals all follow a charge or
/// summons, so they sit in ChargedSummonsed whatever the verdict: the group records what the
/// police achieved, not what the court decided.
const POLICE_UK_OUTCOMES: &[(&str, OutcomeGroup)] = &[
    ("Under investigation", G::NotYetAssigned),
    ("Awaiting court outcome", G::ChargedSummonsed),
    ("Court result unavailable", G::ChargedSummonsed),
    ("Court case unable to proceed", G::ChargedSummonsed),
    ("Defendant found not guilty", G::ChargedSummonsed),
    ("Defendant sent to Crown Court", G::ChargedSummonsed),
    ("Offender sent to prison", G::ChargedSummonsed),
    ("Offender given suspended prison sentence", G::ChargedSummonsed),
    ("Offender given community sentence", G::ChargedSummonsed),
    ("Offender fined", G::ChargedSummonsed),
    ("Offender given conditional discharge", G::ChargedSummonsed),
    ("Offender given absolute discharge", G::ChargedSummonsed),
    ("Offender ordered to pay compensation", G::ChargedSummonsed),
    ("Offender deprived of property", G::ChargedSummonsed),
    ("Offender otherwise dealt with", G::ChargedSummonsed),
    ("Suspect charged as part of another case", G::ChargedSummonsed),
    ("Offender given a caution", G::OutOfCourtFormal),
    ("Offender given penalty notice", G::OutOfCourtFormal),
    ("Offender given a drugs possession warning", G::OutOfCourtInformal),
    ("Local resolution", G::OutOfCourtInformal),
    ("Formal action is not in the public interest", G::PublicInterest),
    ("Further investigation is not in the public interest", G::PublicInterest),
    ("Further action is not in the public interest", G::PublicInterest),
    ("Unable to prosecute suspect", G::EvidentialDifficulties),
    ("Investigation complete; no suspect identified", G::NoSuspect),
    ("Action to be taken by another organisation", G::OtherBody),
    ("Status update unavailable", G::Unknown),
];

/// How police.uk words a Home Office outcome type in its "Last outcome category" (`None`, no
/// outcome yet, is "Under investigation"), so that a force's own crimes read as its published
/// ones do. police.uk has fewer words than there are types: charge (1) shows as awaiting
/// court until a court result; TIC (4) as charged as part of another case; the prevented and
/// evidential-difficulty types (5, 11-17) as "Unable to prosecute suspect"; the other
/// bodies' (19, 20) as action by another organisation; diversion (22) as local resolution,
/// the out-of-court disposal police.uk shows it under. `None` for a code that is not a type.
pub fn police_uk_wording(outcome_type: Option<u8>) -> Option<&'static str> {
    Some(match outcome_type {
        None | Some(0) => "Under investigation",
        Some(1) => "Awaiting court outcome",
        Some(2 | 3) => "Offender given a caution",
        Some(4) => "Suspect charged as part of another case",
        Some(5 | 11..=17) => "Unable to prosecute suspect",
        Some(6) => "Offender given penalty notice",
        Some(7) => "Offender given a drugs possession warning",
        Some(8 | 22) => "Local resolution",
        Some(9 | 10) => "Formal action is not in the public interest",
        Some(18) => "Investigation complete; no suspect identified",
        Some(19 | 20) => "Action to be taken by another organisation",
        Some(21) => "Further investigation is not in the public interest",
        Some(_) => return None,
    })
}

/// The group of a police.uk outcome string; `None` for an empty string (ASB rows carry no
/// outcome). A string police.uk may add later maps to `Unknown` rather than failing the row:
/// the text itself is still stored and counted under its own name.
pub fn police_uk_outcome_group(text: &str) -> Option<OutcomeGroup> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(POLICE_UK_OUTCOMES.iter().find(|(s, _)| s.eq_ignore_ascii_case(text)).map(|(_, g)| *g).unwrap_or(G::Unknown))
}

pub fn is_known_police_uk_outcome(text: &str) -> bool {
    POLICE_UK_OUTCOMES.iter().any(|(s, _)| s.eq_ignore_ascii_case(text.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_types_cover_0_to_22_once_each() {
        for n in 0..=22 {
            let code = n.to_string();
            assert_eq!(OUTCOME_TYPES.iter().filter(|o| o.code == code).count(), 1, "type {n}");
        }
        assert_eq!(OUTCOME_TYPES.len(), 24, "0-22 plus 1A");
    }

    #[test]
    fn groups_as_the_issue_and_counting_rules_define_them() {
        let g = |c| outcome_type(c).unwrap().group;
        assert_eq!(g("1"), G::ChargedSummonsed);
        assert_eq!(g("1a"), G::ChargedSummonsed);
        for c in ["2", "3", "6"] {
            assert_eq!(g(c), G::OutOfCourtFormal);
        }
        for c in ["7", "8"] {
            assert_eq!(g(c), G::OutOfCourtInformal);
        }
        assert_eq!(g("4"), G::TakenIntoConsideration);
        assert_eq!(g("22"), G::Diversionary);
        assert_eq!(g("18"), G::NoSuspect);
        assert!(outcome_type("23").is_none());
    }

    #[test]
    fn positive_outcomes_are_1_to_4_and_6_to_8() {
        let positive: Vec<_> = OUTCOME_TYPES.iter().filter(|o| o.group.is_positive()).map(|o| o.code).collect();
        assert_eq!(positive, ["1", "1A", "2", "3", "4", "6", "7", "8"]);
    }

    #[test]
    fn every_outcome_type_has_a_police_uk_wording_police_uk_knows() {
        for n in 0..=22u8 {
            let w = police_uk_wording(Some(n)).unwrap_or_else(|| panic!("type {n}"));
            assert!(is_known_police_uk_outcome(w), "{n}: {w}");
        }
        assert_eq!(police_uk_wording(None), Some("Under investigation"));
        assert_eq!(police_uk_wording(Some(18)), Some("Investigation complete; no suspect identified"));
        assert_eq!(police_uk_wording(Some(23)), None);
        // Positive outcomes stay positive on police.uk's words.
        for n in [1u8, 2, 3, 6, 7, 8] {
            assert!(police_uk_outcome_group(police_uk_wording(Some(n)).unwrap()).unwrap().is_positive(), "{n}");
        }
    }

    #[test]
    fn police_uk_strings_map_to_groups() {
        assert_eq!(police_uk_outcome_group(""), None);
        assert_eq!(police_uk_outcome_group("Investigation complete; no suspect identified"), Some(G::NoSuspect));
        assert_eq!(police_uk_outcome_group("Offender given a caution"), Some(G::OutOfCourtFormal));
        assert_eq!(police_uk_outcome_group("Local resolution"), Some(G::OutOfCourtInformal));
        assert_eq!(police_uk_outcome_group("Defendant found not guilty"), Some(G::ChargedSummonsed));
        assert_eq!(police_uk_outcome_group("Something new"), Some(G::Unknown));
        assert!(!is_known_police_uk_outcome("Something new"));
        assert!(is_known_police_uk_outcome("Status update unavailable"));
    }
}
