//! The board paper's sections that only the force's own records can give (issue 9 §5), and
//! the comparison with England and Wales that any force's paper can carry:
//!
//! - positive outcome rates by crime type, year to date, beside the rates the force last
//!   reported to its board ([`REPORTED_OUTCOME_RATES`]);
//! - domestic abuse, hate crime by strand and business crime, month and year to date;
//! - serious youth violence (seed 004 §24), month and year to date;
//! - Victims' Code compliance by right and team ([`VictimsCode`], measured by the caller,
//!   which holds the obligations);
//! - crime per 1,000 people by offence group against England and Wales and the most similar
//!   forces, from the Home Office recorded-crime table ([`home_office_comparison`]).
//!
//! Harm by neighbourhood policing unit and the Impact Area table are the existing area
//! functions over the force's own areas; the caller adds them (it holds the area map).

use crate::facts::CrimeFacts;
use crate::own::{self, YouthViolence};
use crate::paper::{TrendPoint, TREND_MONTHS};
use crate::spc::{self, XmrChart};
use crate::trend::{self, YearToDate};
use peel_domain::outcome::OUTCOME_TYPES;
use peel_domain::{flags, Category, YearMonth};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The positive outcome rates year to date that West Midlands Police reported to its board,
/// shown beside the live figure for the same crime type: (category, rate, where it is said).
pub const REPORTED_OUTCOME_RATES: &[(Category, f64, &str)] = &[
    (Category::Burglary, 0.073, "seed 002 §32: \"Current outcome rate YTD is 7.3%\""),
    (Category::Robbery, 0.092, "seed 002 §39: robbery \"outcome rate is currently 9.2%\""),
];

/// One crime type's positive outcome rate over the year to date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeRateRow {
    pub category: Category,
    /// Crimes recorded in the year to date.
    pub crimes: u64,
    /// Of those, crimes with a positive outcome assigned by the end of the paper's month.
    pub positive: u64,
    pub rate: Option<f64>,
    /// The rate the force reported to its board, where it did ([`REPORTED_OUTCOME_RATES`]).
    pub reported: Option<f64>,
    pub reported_source: Option<&'static str>,
}

/// A flagged kind of crime: the month's count and the year to date against the year before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlagRow {
    /// "Domestic abuse", "Hate crime: race", ...
    pub label: String,
    /// The flag as recorded: "domestic-abuse", "hate-crime:race"; "hate-crime" for every strand.
    pub flag: String,
    pub month: u64,
    pub ytd: YearToDate,
}

/// Serious youth violence in the month and the year to date, and the same months a year before.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct YouthRow {
    pub month: YouthViolence,
    pub ytd: YouthViolence,
    pub previous_ytd: YouthViolence,
}

/// One flag's crimes month by month over the trend's months, on an XmR chart: a trend with
/// SPC signals per flag (issue 9 §3), as the paper's trend is for all crime.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlagTrend {
    pub label: String,
    pub flag: String,
    /// Months the force holds records for, up to the paper's month (at most
    /// `paper::TREND_MONTHS`); a month not held is left out, not read as zero.
    pub trend: Vec<TrendPoint>,
    pub spc: Option<XmrChart>,
}

/// The Home Office subgroup of residential burglary, rated per 1,000 households, not persons
/// (the Home Office's and the forces' measure: a dwelling is what is burgled).
pub const RESIDENTIAL_BURGLARY_SUBGROUP: &str = "Domestic burglary";

/// Residential burglary in the month and the year to date against last year; the rate per
/// 1,000 households is the caller's (it holds the households).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResidentialBurglary {
    pub month: u64,
    pub ytd: YearToDate,
}

/// The figures of [`live_figures`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveFigures {
    /// First and last month of the year to date.
    pub ytd_from: YearMonth,
    pub ytd_to: YearMonth,
    pub outcome_rates: Vec<OutcomeRateRow>,
    pub flags: Vec<FlagRow>,
    pub youth_violence: YouthRow,
    /// Domestic abuse, hate crime (all strands) and business crime as monthly trends.
    pub flag_trends: Vec<FlagTrend>,
    pub residential_burglary: ResidentialBurglary,
    /// Crimes recorded in the month with no usable place (no LSOA): in every total, on no map
    /// and in no area.
    pub place_unknown: u64,
}

/// One row of Victims' Code compliance: obligations due, and met on time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplianceRow {
    pub name: String,
    pub due: u64,
    pub met_on_time: u64,
    pub rate: Option<f64>,
}

/// Victims' Code compliance for the crimes recorded in a period, as it stood on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VictimsCode {
    /// "1 April 2025 to 31 July 2025, as at 2 December 2026".
    pub period: String,
    pub overall: ComplianceRow,
    pub by_right: Vec<ComplianceRow>,
    pub by_team: Vec<ComplianceRow>,
}

/// The month's count and year to date of the crimes satisfying `pick`, from `f`'s rows in
/// `inside` (all when `None`); months with data are the force's (`has_data`), so an area with
/// no crime in a month the force holds counts 0 there, and a month the force does not hold
/// is missing on both sides.
fn ytd_of(
    f: &CrimeFacts,
    month: YearMonth,
    inside: &dyn Fn(usize) -> bool,
    has_data: &dyn Fn(YearMonth) -> bool,
    pick: &dyn Fn(usize) -> bool,
) -> (u64, YearToDate) {
    let from = month.financial_year().first_month().plus(-12).index();
    let mut by_month: BTreeMap<i32, f64> = BTreeMap::new();
    for i in 0..f.len() {
        let m = f.month[i];
        if m >= from && m <= month.index() && inside(i) && pick(i) {
            *by_month.entry(m).or_insert(0.0) += 1.0;
        }
    }
    let series: Vec<(YearMonth, f64)> = by_month.iter().map(|(m, n)| (YearMonth::from_index(*m), *n)).collect();
    let this_month = by_month.get(&month.index()).copied().unwrap_or(0.0) as u64;
    (this_month, trend::year_to_date(&series, has_data, month))
}

/// The live sections for the crimes of `f` whose LSOA `inside_lsoa` holds (indexes of
/// `f.lsoas`; every crime, placed or not, when `None`), for the paper of `month`.
pub fn live_figures(f: &CrimeFacts, month: YearMonth, inside_lsoa: Option<&[bool]>) -> LiveFigures {
    let inside = |i: usize| match inside_lsoa {
        None => true,
        Some(set) => set.get(f.lsoa[i] as usize).copied().unwrap_or(false),
    };
    let held: std::collections::HashSet<i32> = f.month.iter().copied().collect();
    let has_data = |m: YearMonth| held.contains(&m.index());
    let ytd_from = month.financial_year().first_month();
    let in_ytd = |m: i32| m >= ytd_from.index() && m <= month.index();

    // Positive outcomes: Home Office types whose group counts as positive, assigned by the
    // end of the paper's month (a paper for an earlier month does not see later outcomes).
    let positive_type: Vec<bool> =
        (0..=22u8).map(|t| OUTCOME_TYPES.iter().any(|o| o.code == t.to_string() && o.group.is_positive())).collect();
    let mut rates: BTreeMap<u8, (u64, u64)> = BTreeMap::new();
    for i in (0..f.len()).filter(|&i| in_ytd(f.month[i]) && inside(i)) {
        let r = rates.entry(f.category[i]).or_default();
        r.0 += 1;
        let positive = f.outcome_type[i].is_some_and(|t| positive_type.get(t as usize).copied().unwrap_or(false));
        if positive && f.outcome_month[i].is_none_or(|m| m <= month.index()) {
            r.1 += 1;
        }
    }
    let outcome_rates = Category::crimes()
        .filter_map(|c| {
            let (crimes, positive) = rates.get(&c.code()).copied()?;
            let reported = REPORTED_OUTCOME_RATES.iter().find(|r| r.0 == c);
            Some(OutcomeRateRow {
                category: c,
                crimes,
                positive,
                rate: (crimes > 0).then(|| positive as f64 / crimes as f64),
                reported: reported.map(|r| r.1),
                reported_source: reported.map(|r| r.2),
            })
        })
        .collect();

    // Flags: domestic abuse, hate crime (every strand, then each), business crime.
    let bit = |flag: &str| flags::bit(flag).expect("a flag of the vocabulary");
    let hate_all: u64 = flags::HATE_STRANDS.iter().map(|s| bit(&format!("hate-crime:{s}"))).fold(0, |a, b| a | b);
    let mut wanted: Vec<(String, String, u64)> = vec![
        ("Domestic abuse".into(), "domestic-abuse".into(), bit("domestic-abuse")),
        ("Hate crime (all strands)".into(), "hate-crime".into(), hate_all),
    ];
    for s in flags::HATE_STRANDS {
        let flag = format!("hate-crime:{s}");
        wanted.push((format!("Hate crime: {}", s.replace('-', " ")), flag.clone(), bit(&flag)));
    }
    wanted.push(("Business crime".into(), "business-crime".into(), bit("business-crime")));
    let trend_months: Vec<i32> = {
        let mut m: Vec<i32> =
            held.iter().copied().filter(|m| *m <= month.index() && *m > month.index() - TREND_MONTHS).collect();
        m.sort_unstable();
        m
    };
    let flag_trends = wanted
        .iter()
        .filter(|(_, flag, _)| ["domestic-abuse", "hate-crime", "business-crime"].contains(&flag.as_str()))
        .map(|(label, flag, mask)| {
            let mut counts: HashMap<i32, f64> = HashMap::new();
            for i in (0..f.len()).filter(|&i| f.flags[i] & mask != 0 && inside(i)) {
                *counts.entry(f.month[i]).or_insert(0.0) += 1.0;
            }
            let values: Vec<f64> = trend_months.iter().map(|m| counts.get(m).copied().unwrap_or(0.0)).collect();
            let spc = spc::xmr(&values);
            let trend = trend_months
                .iter()
                .enumerate()
                .map(|(i, &m)| TrendPoint {
                    month: YearMonth::from_index(m),
                    crimes: values[i],
                    rolling_12: None,
                    signals: spc.as_ref().map_or(vec![], |c| c.signals_at(i).map(|s| s.rule).collect()),
                })
                .collect();
            FlagTrend { label: label.clone(), flag: flag.clone(), trend, spc }
        })
        .collect();
    let flag_rows = wanted
        .into_iter()
        .map(|(label, flag, mask)| {
            let (n, ytd) = ytd_of(f, month, &inside, &has_data, &|i| f.flags[i] & mask != 0);
            FlagRow { label, flag, month: n, ytd }
        })
        .collect();

    let scoped_youth =
        |from: YearMonth, to: YearMonth| own::serious_youth_violence_where(f, from.index()..=to.index(), &inside);
    let youth_violence = YouthRow {
        month: scoped_youth(month, month),
        ytd: scoped_youth(ytd_from, month),
        previous_ytd: scoped_youth(ytd_from.plus(-12), month.plus(-12)),
    };
    let residential: Vec<bool> = f
        .offences
        .names
        .iter()
        .map(|code| peel_domain::offence::by_code(code).is_some_and(|o| o.subgroup == RESIDENTIAL_BURGLARY_SUBGROUP))
        .collect();
    let (burglary_month, burglary_ytd) =
        ytd_of(f, month, &inside, &has_data, &|i| residential.get(f.offence[i] as usize).copied().unwrap_or(false));
    let residential_burglary = ResidentialBurglary { month: burglary_month, ytd: burglary_ytd };
    let place_unknown = (0..f.len())
        .filter(|&i| f.month[i] == month.index() && f.lsoa[i] == crate::NONE && inside_lsoa.is_none())
        .count() as u64;
    LiveFigures {
        ytd_from,
        ytd_to: month,
        outcome_rates,
        flags: flag_rows,
        youth_violence,
        flag_trends,
        residential_burglary,
        place_unknown,
    }
}

/// One offence group's crimes per 1,000 people: the force, its most similar forces together,
/// and England and Wales.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// The Home Office offence group ("Violence against the person"), or "All offences".
    pub group: String,
    pub force: Option<f64>,
    pub similar: Option<f64>,
    pub england_and_wales: Option<f64>,
}

/// The force against England and Wales and its most similar forces, from the Home Office
/// police recorded crime table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// "2017/18".
    pub financial_year: String,
    pub similar_forces: Vec<String>,
    /// Offence groups, highest force rate first, then "All offences".
    pub rows: Vec<ComparisonRow>,
    /// Quarters of the year the table holds for the force (4 for a whole year).
    pub quarters: u32,
    /// Forces pooled as England and Wales: territorial, with people and a whole year.
    pub forces_pooled: usize,
    /// Territorial forces left out of the pool for want of people or of a whole year (the
    /// ONS lookup in ../shared/data covers English LSOAs only, so the four Welsh forces).
    pub forces_left_out: Vec<String>,
}

/// Recorded crime of one force in one financial year quarter, as the store holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedOffences {
    pub force: u16,
    pub financial_year: i32,
    pub quarter: u8,
    pub offence_code: String,
    pub offences: i64,
}

/// Crimes per 1,000 people by Home Office offence group in the latest financial year the
/// table holds for `force`: the force, the `similar` forces pooled (their offences over their
/// people), and every territorial force with a population pooled as England and Wales.
/// `population` is people per force (ONS 2011 Census usual residents by LSOA, summed by the
/// LSOA → force lookup). Only forces with all four quarters of the year count in the pools;
/// `None` where there is no population. Non-territorial bodies (Action Fraud, British
/// Transport Police) have no population and are left out everywhere. The offence group is
/// the Home Office lookup's for each code (peel-domain `offence`); a code it lacks is
/// counted under "Other offence codes".
pub fn home_office_comparison(
    force: u16,
    rows: &[RecordedOffences],
    population: &HashMap<u16, u64>,
    similar: &[u16],
) -> Option<Comparison> {
    let year = rows.iter().filter(|r| r.force == force).map(|r| r.financial_year).max()?;
    let rows: Vec<&RecordedOffences> = rows.iter().filter(|r| r.financial_year == year).collect();
    let mut quarters: HashMap<u16, std::collections::BTreeSet<u8>> = HashMap::new();
    for r in &rows {
        quarters.entry(r.force).or_default().insert(r.quarter);
    }
    let whole_year = |f: u16| quarters.get(&f).is_some_and(|q| q.len() == 4);
    // offences[group][force]
    let mut offences: BTreeMap<String, HashMap<u16, i64>> = BTreeMap::new();
    for r in &rows {
        let group = peel_domain::offence::by_code(&r.offence_code).map_or("Other offence codes", |o| o.group);
        *offences.entry(group.to_string()).or_default().entry(r.force).or_insert(0) += r.offences;
    }
    let rate_of = |by_force: &HashMap<u16, i64>, forces: &[u16]| -> Option<f64> {
        let people: u64 = forces.iter().filter_map(|f| population.get(f)).sum();
        let n: i64 = forces.iter().filter_map(|f| by_force.get(f)).sum();
        (people > 0).then(|| n as f64 * 1000.0 / people as f64)
    };
    let everyone: Vec<u16> = peel_domain::Force::territorial()
        .map(|f| f.code)
        .filter(|c| population.get(c).is_some_and(|p| *p > 0) && whole_year(*c))
        .collect();
    let similar: Vec<u16> = similar.iter().copied().filter(|c| whole_year(*c)).collect();
    let row = |group: String, by_force: &HashMap<u16, i64>| ComparisonRow {
        force: rate_of(by_force, &[force]),
        similar: if similar.is_empty() { None } else { rate_of(by_force, &similar) },
        england_and_wales: rate_of(by_force, &everyone),
        group,
    };
    let mut out: Vec<ComparisonRow> = offences.iter().map(|(g, by_force)| row(g.clone(), by_force)).collect();
    out.sort_by(|a, b| b.force.unwrap_or(0.0).total_cmp(&a.force.unwrap_or(0.0)).then(a.group.cmp(&b.group)));
    let mut all: HashMap<u16, i64> = HashMap::new();
    for by_force in offences.values() {
        for (f, n) in by_force {
            *all.entry(*f).or_insert(0) += n;
        }
    }
    out.push(row("All offences".into(), &all));
    let forces_left_out =
        peel_domain::Force::territorial().filter(|f| !everyone.contains(&f.code)).map(|f| f.name.to_string()).collect();
    Some(Comparison {
        forces_pooled: everyone.len(),
        forces_left_out,
        financial_year: format!("{}/{:02}", year, (year + 1) % 100),
        similar_forces: similar
            .iter()
            .filter_map(|c| peel_domain::Force::by_code(*c))
            .map(|f| f.name.to_string())
            .collect(),
        rows: out,
        quarters: quarters.get(&force).map_or(0, |q| q.len() as u32),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Dictionary;

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    /// A crime as (month, offence code, flags, lsoa code, outcome type, outcome month, victim age).
    type Row<'a> = (&'a str, &'a str, &'a [&'a str], Option<&'a str>, Option<u8>, Option<&'a str>, Option<u8>);

    fn facts(rows: &[Row]) -> CrimeFacts {
        let mut f = CrimeFacts { offences: Dictionary::default(), ..CrimeFacts::default() };
        for &(m, code, fl, lsoa, outcome, outcome_month, age) in rows {
            let o = peel_domain::offence::by_code(code).unwrap();
            f.month.push(ym(m).index());
            f.offence.push(f.offences.code(Some(code)));
            f.category.push(o.category.code());
            f.flags.push(fl.iter().map(|x| flags::bit(x).unwrap()).fold(0, |a, b| a | b));
            f.lsoa.push(f.lsoas.code(lsoa));
            f.outcome_type.push(outcome);
            f.outcome_month.push(outcome_month.map(|m| ym(m).index()));
            f.victim_age.push(age);
            f.harm.push(peel_domain::harm::subgroup_weight(o.subgroup));
        }
        f
    }

    #[test]
    fn outcome_rates_count_positive_outcomes_assigned_by_the_months_end() {
        // Financial year 2025/26 from April; the paper is for June 2025.
        let f = facts(&[
            ("2025-04", "28E", &[], Some("E1"), Some(1), Some("2025-05"), None), // charged: positive
            ("2025-05", "28E", &[], Some("E1"), Some(8), Some("2025-07"), None), // after June: not yet
            ("2025-06", "28E", &[], Some("E2"), Some(14), Some("2025-06"), None), // not positive
            ("2025-06", "28E", &[], Some("E2"), None, None, None),
            ("2025-03", "28E", &[], Some("E1"), Some(1), Some("2025-03"), None), // last year
            ("2025-06", "34B", &[], Some("E1"), Some(3), Some("2025-06"), None), // robbery, caution
        ]);
        let live = live_figures(&f, ym("2025-06"), None);
        // 28E is residential burglary: two in June, four in the year to date, none in April to
        // June 2024 (the March 2025 one is of the year before).
        let rb = &live.residential_burglary;
        assert_eq!((rb.month, rb.ytd.current, rb.ytd.previous), (2, 4.0, 0.0));
        let burglary = live.outcome_rates.iter().find(|r| r.category == Category::Burglary).unwrap();
        assert_eq!((burglary.crimes, burglary.positive), (4, 1));
        assert_eq!(burglary.rate, Some(0.25));
        assert_eq!(burglary.reported, Some(0.073));
        let robbery = live.outcome_rates.iter().find(|r| r.category == Category::Robbery).unwrap();
        assert_eq!((robbery.crimes, robbery.positive, robbery.reported), (1, 1, Some(0.092)));
        // Only the first LSOA: two burglaries, one positive.
        let inside = [true, false]; // f.lsoas: E1 first, then E2
        let scoped = live_figures(&f, ym("2025-06"), Some(&inside));
        let b = scoped.outcome_rates.iter().find(|r| r.category == Category::Burglary).unwrap();
        assert_eq!((b.crimes, b.positive), (2, 1));
    }

    #[test]
    fn flags_count_the_month_and_the_year_to_date_against_last_year() {
        let f = facts(&[
            ("2025-05", "8N", &["domestic-abuse"], Some("E1"), None, None, Some(30)),
            ("2025-06", "8N", &["domestic-abuse", "hate-crime:race"], Some("E1"), None, None, Some(19)),
            ("2025-06", "105A", &["hate-crime:religion"], Some("E1"), None, None, Some(40)),
            ("2024-05", "8N", &["domestic-abuse"], Some("E1"), None, None, Some(22)),
            ("2024-06", "28E", &["business-crime"], Some("E1"), None, None, None),
        ]);
        let live = live_figures(&f, ym("2025-06"), None);
        let row = |flag: &str| live.flags.iter().find(|r| r.flag == flag).unwrap();
        let da = row("domestic-abuse");
        assert_eq!((da.month, da.ytd.current, da.ytd.previous), (1, 2.0, 1.0));
        assert_eq!(da.ytd.change_pct, Some(100.0));
        assert_eq!(row("hate-crime").month, 2);
        assert_eq!(row("hate-crime:race").month, 1);
        assert_eq!(row("hate-crime:disability").ytd.current, 0.0);
        assert_eq!((row("business-crime").ytd.current, row("business-crime").ytd.previous), (0.0, 1.0));
        // April 2024 and 2025 hold no crime: two of three months on each side.
        assert_eq!((da.ytd.months_with_data, da.ytd.previous_months_with_data), (2, 2));
        // Domestic abuse as a monthly trend over the months held (April 2025 and 2024 hold
        // nothing, so they are not points): May-24, May-25, Jun-25; Jun-24 holds business crime.
        let trend = &live.flag_trends.iter().find(|t| t.flag == "domestic-abuse").unwrap().trend;
        let points: Vec<(String, f64)> = trend.iter().map(|p| (p.month.to_string(), p.crimes)).collect();
        assert_eq!(
            points,
            [("2024-05".into(), 1.0), ("2024-06".into(), 0.0), ("2025-05".into(), 1.0), ("2025-06".into(), 1.0)]
        );
        // Serious youth violence: 8N against a victim under 25.
        assert_eq!(live.youth_violence.month.crimes, 1);
        assert_eq!(live.youth_violence.ytd.crimes, 1);
        assert_eq!(live.youth_violence.previous_ytd.crimes, 1);
    }

    #[test]
    fn comparison_pools_offences_over_people() {
        let wm = peel_domain::Force::find("West Midlands").unwrap().code;
        let gm = peel_domain::Force::find("Greater Manchester").unwrap().code;
        let wy = peel_domain::Force::find("West Yorkshire").unwrap().code;
        let mut rows = Vec::new();
        for q in 1..=4 {
            for (force, burglary, robbery) in [(wm, 100, 10), (gm, 300, 30), (wy, 50, 0)] {
                rows.push(RecordedOffences {
                    force,
                    financial_year: 2017,
                    quarter: q,
                    offence_code: "28E".into(),
                    offences: burglary,
                });
                rows.push(RecordedOffences {
                    force,
                    financial_year: 2017,
                    quarter: q,
                    offence_code: "34B".into(),
                    offences: robbery,
                });
            }
        }
        // West Yorkshire lacks a quarter of another year: ignored, the latest year is 2017.
        let population: HashMap<u16, u64> = [(wm, 200_000), (gm, 400_000), (wy, 100_000)].into_iter().collect();
        let c = home_office_comparison(wm, &rows, &population, &[gm]).unwrap();
        assert_eq!(c.financial_year, "2017/18");
        assert_eq!(c.quarters, 4);
        // 28E (residential burglary) is in the Home Office's "Theft offences" group.
        let burglary = c.rows.iter().find(|r| r.group == "Theft offences").unwrap();
        assert_eq!(burglary.force, Some(2.0)); // 400 / 200,000 × 1,000
        assert_eq!(burglary.similar, Some(3.0)); // 1,200 / 400,000
        assert_eq!(burglary.england_and_wales, Some(1800.0 / 700.0)); // (400 + 1,200 + 200) / 700,000
        let all = c.rows.last().unwrap();
        assert_eq!(all.group, "All offences");
        assert_eq!(all.force, Some(2.2));
        // A force with three quarters is left out of the pools.
        rows.retain(|r| !(r.force == gm && r.quarter == 4));
        let c = home_office_comparison(wm, &rows, &population, &[gm]).unwrap();
        assert!(c.similar_forces.is_empty());
        // England and Wales is then West Midlands' 440 and West Yorkshire's 200 over 300,000.
        assert_eq!(c.rows.last().unwrap().england_and_wales, Some(640.0 / 300.0));
    }
}
