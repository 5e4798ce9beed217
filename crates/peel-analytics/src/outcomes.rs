//! Outcomes over a run of months in the shape of HMIC PEEL 2015 figure 4 (seed 003, "Outcomes
//! recorded in the 12 months to 30 June 2015"): each outcome group with the outcome types in
//! it, as a number and as a rate per 100 crimes recorded.
//!
//! police.uk publishes each crime's last outcome so far, not the outcomes recorded in the
//! period, so here the crimes recorded in the months are counted by where they stand now;
//! the outcome "types" are police.uk's own outcome strings, grouped by the Home Office group
//! each maps to (`peel_domain::outcome`).

use crate::columns::{StreetColumns, NONE};
use peel_domain::outcome::police_uk_outcome_group;
use peel_domain::{OutcomeGroup, YearMonth};
use serde::Serialize;

/// Figure 4's order: the positive groups as HMIC lists them, then the rest as the Home Office
/// outcome framework orders them.
pub const FIGURE_4_ORDER: [OutcomeGroup; 12] = [
    OutcomeGroup::ChargedSummonsed,
    OutcomeGroup::TakenIntoConsideration,
    OutcomeGroup::OutOfCourtFormal,
    OutcomeGroup::OutOfCourtInformal,
    OutcomeGroup::Diversionary,
    OutcomeGroup::Prevented,
    OutcomeGroup::PublicInterest,
    OutcomeGroup::EvidentialDifficulties,
    OutcomeGroup::NoSuspect,
    OutcomeGroup::OtherBody,
    OutcomeGroup::NotYetAssigned,
    OutcomeGroup::Unknown,
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeTypeRow {
    /// police.uk "Last outcome category".
    pub outcome: String,
    pub crimes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeGroupRow {
    pub group: OutcomeGroup,
    pub crimes: u64,
    /// Most crimes first.
    pub types: Vec<OutcomeTypeRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeTable {
    pub from: YearMonth,
    pub to: YearMonth,
    /// Crimes recorded in the months (ASB excluded): the rate's denominator.
    pub crimes: u64,
    /// Groups with at least one crime, in `FIGURE_4_ORDER`.
    pub groups: Vec<OutcomeGroupRow>,
    /// Crimes published with no outcome at all.
    pub no_outcome: u64,
}

impl OutcomeTable {
    /// Per 100 crimes recorded, as figure 4's "Rate" (its footnote 4: outcomes divided by
    /// offences recorded in the same 12 months); `None` with no crimes.
    pub fn rate(&self, n: u64) -> Option<f64> {
        (self.crimes > 0).then(|| n as f64 / self.crimes as f64 * 100.0)
    }

    /// Crimes with a positive outcome (`OutcomeGroup::is_positive`).
    pub fn positive(&self) -> u64 {
        self.groups.iter().filter(|g| g.group.is_positive()).map(|g| g.crimes).sum()
    }
}

/// The outcome table of the crimes recorded from `from` to `to` inclusive.
pub fn outcome_table(cols: &StreetColumns, from: YearMonth, to: YearMonth) -> OutcomeTable {
    let (lo, hi) = (from.index(), to.index());
    let mut by_name = vec![0u64; cols.outcome_names.len()];
    let (mut crimes, mut no_outcome) = (0u64, 0u64);
    for i in 0..cols.len() {
        let m = cols.month[i];
        if m < lo || m > hi || cols.category[i] == 0 {
            continue;
        }
        crimes += 1;
        match cols.outcome[i] {
            NONE => no_outcome += 1,
            o => by_name[o as usize] += 1,
        }
    }
    let mut groups: Vec<OutcomeGroupRow> =
        FIGURE_4_ORDER.iter().map(|&group| OutcomeGroupRow { group, crimes: 0, types: vec![] }).collect();
    for (name, &n) in cols.outcome_names.iter().zip(&by_name) {
        if n == 0 {
            continue;
        }
        let Some(group) = police_uk_outcome_group(name) else {
            no_outcome += n;
            continue;
        };
        let row = groups.iter_mut().find(|g| g.group == group).expect("every group is in figure 4's order");
        row.crimes += n;
        match row.types.iter_mut().find(|t| t.outcome == *name) {
            Some(t) => t.crimes += n,
            None => row.types.push(OutcomeTypeRow { outcome: name.clone(), crimes: n }),
        }
    }
    groups.retain(|g| g.crimes > 0);
    for g in &mut groups {
        g.types.sort_by(|a, b| b.crimes.cmp(&a.crimes).then_with(|| a.outcome.cmp(&b.outcome)));
    }
    OutcomeTable { from, to, crimes, groups, no_outcome }
}

#[cfg(test)]
mod tests {
    use super::*;
    use peel_domain::Category;

    #[test]
    fn groups_in_figure_4_order_with_their_types() {
        let m = YearMonth::parse("2017-07").unwrap();
        let mut c = StreetColumns {
            outcome_names: vec![
                "Investigation complete; no suspect identified".into(),
                "Offender given a caution".into(),
                "Awaiting court outcome".into(),
                "Offender given penalty notice".into(),
                "".into(),
            ],
            ..Default::default()
        };
        for _ in 0..5 {
            c.push(m, Category::Burglary, NONE, NONE, 0);
        }
        c.push(m, Category::Shoplifting, NONE, NONE, 1);
        c.push(m, Category::Shoplifting, NONE, NONE, 1);
        c.push(m, Category::Robbery, NONE, NONE, 2);
        c.push(m.plus(-1), Category::Drugs, NONE, NONE, 3);
        c.push(m, Category::Drugs, NONE, NONE, 3);
        c.push(m, Category::Drugs, NONE, NONE, 4);
        c.push(m, Category::Drugs, NONE, NONE, NONE);
        // ASB and a month outside the table are not counted.
        c.push(m, Category::AntiSocialBehaviour, NONE, NONE, NONE);
        c.push(m.plus(-12), Category::Robbery, NONE, NONE, 2);
        let t = outcome_table(&c, m.plus(-11), m);
        // 5 + 2 + 1 + 2 + 2 = 12 crimes; 2 with no outcome (an empty string and none at all).
        assert_eq!((t.crimes, t.no_outcome), (12, 2));
        let groups: Vec<(OutcomeGroup, u64)> = t.groups.iter().map(|g| (g.group, g.crimes)).collect();
        assert_eq!(
            groups,
            vec![
                (OutcomeGroup::ChargedSummonsed, 1),
                (OutcomeGroup::OutOfCourtFormal, 4),
                (OutcomeGroup::NoSuspect, 5),
            ]
        );
        let formal = &t.groups[1].types;
        assert_eq!(formal[0], OutcomeTypeRow { outcome: "Offender given a caution".into(), crimes: 2 });
        assert_eq!(formal[1], OutcomeTypeRow { outcome: "Offender given penalty notice".into(), crimes: 2 });
        assert_eq!(t.positive(), 5);
        // 5 positive of 12 recorded: 41.67 per 100.
        assert!((t.rate(t.positive()).unwrap() - 500.0 / 12.0).abs() < 1e-9);
        assert_eq!(outcome_table(&StreetColumns::default(), m, m).rate(0), None);
    }
}
