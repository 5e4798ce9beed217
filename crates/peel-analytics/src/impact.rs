//! Impact Area status: rolling twelve-month crime harm at four successive month-ends, the
//! change each month, and a status word, as in seed 004 §23 table 3 ("Change in Crime harm
//! in each Impact Area").
//!
//! # The status rule
//!
//! The seed's legend reads OUTSTANDING "Reducing 3 months", GOOD "Reducing 1-2 months",
//! NEEDS IMPROVEMENT "Increasing 1-2 months", POOR "Increasing 3 months". Over three monthly
//! changes those overlap (one reduction and two increases is both "reducing 1 month" and
//! "increasing 2 months"), and the extracted table keeps only arrows, not the colours that
//! carried the status. Peel reads the legend by the number of the last three changes that
//! are reductions: 3 → Outstanding, 2 → Good, 1 → Needs improvement, 0 → Poor. A change of
//! exactly zero is not a reduction. The changes are judged on the harm figures themselves,
//! so a zero starting figure (no percentage) still has a direction.
//!
//! # Which areas
//!
//! [`status_table`] runs over any areas made of LSOAs: the force's own Impact Areas where the
//! store defines them (`peel import areas`; each labelled with its NPU), a crime counted in
//! the area its LSOA falls in. Where none are defined (police.uk data of another force),
//! [`msoa_status_table`] stands in: seed 004 §21 describes Impact Areas as 19 areas with a
//! disproportionate amount of crime, demand, deprivation and harm, so it takes the force's 19
//! MSOAs (2011 Middle Layer Super Output Areas) with the most harm over the latest twelve
//! months, each labelled with its local authority in place of the NPU.

use crate::areas::{AreaGrouping, AreaLevel};
use crate::columns::{Geography, StreetColumns, NONE};
use peel_domain::YearMonth;
use serde::Serialize;

/// Areas in the table: seed 004 §21, "19 geographical areas".
pub const IMPACT_AREAS: usize = 19;
/// Month-ends in the table: seed 004 table 3 shows four rolling years.
pub const WINDOWS: usize = 4;
/// Months in each rolling window.
pub const WINDOW_MONTHS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    Outstanding,
    Good,
    NeedsImprovement,
    Poor,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Outstanding, Status::Good, Status::NeedsImprovement, Status::Poor];

    pub fn label(self) -> &'static str {
        match self {
            Status::Outstanding => "Outstanding",
            Status::Good => "Good",
            Status::NeedsImprovement => "Needs improvement",
            Status::Poor => "Poor",
        }
    }

    /// The seed's legend line under each status word.
    pub fn legend(self) -> &'static str {
        match self {
            Status::Outstanding => "Reducing 3 months",
            Status::Good => "Reducing 1-2 months",
            Status::NeedsImprovement => "Increasing 1-2 months",
            Status::Poor => "Increasing 3 months",
        }
    }

    /// The status of a run of month-end figures, oldest first: the last three changes decide
    /// (see the module docs). `None` with fewer than four figures.
    pub fn of(values: &[f64]) -> Option<Status> {
        if values.len() < WINDOWS {
            return None;
        }
        let last = &values[values.len() - WINDOWS..];
        let reductions = last.windows(2).filter(|w| w[1] < w[0]).count();
        Some(match reductions {
            3 => Status::Outstanding,
            2 => Status::Good,
            1 => Status::NeedsImprovement,
            _ => Status::Poor,
        })
    }
}

/// Percentage change from each figure to the next (seed 004's "% Dif."); `None` where the
/// earlier figure is zero.
pub fn percent_changes(values: &[f64]) -> Vec<Option<f64>> {
    values.windows(2).map(|w| (w[0] != 0.0).then(|| (w[1] - w[0]) / w[0] * 100.0)).collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactRow {
    /// The area's name ("Lozells", or an MSOA's: "Leeds 111").
    pub area: String,
    /// What it sits in: an Impact Area's NPU, an MSOA's local authority.
    pub local_authority: String,
    /// Rolling twelve-month harm (CCHI days) at each month-end, oldest first.
    pub harm: Vec<f64>,
    /// Change from the month-end before, in percent: one fewer than `harm`.
    pub change_pct: Vec<Option<f64>>,
    /// Crimes in the latest twelve months.
    pub crimes: u64,
    /// `None` when a window has months with no published data: a missing month would read
    /// as a fall in harm.
    pub status: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactTable {
    /// (first, last) month of each rolling window, oldest first.
    pub windows: Vec<(YearMonth, YearMonth)>,
    pub rows: Vec<ImpactRow>,
    /// Months inside the windows with no published data at all.
    pub months_missing: Vec<YearMonth>,
    /// Areas with any crime in the latest twelve months, of which `rows` are the top.
    pub areas_with_crime: usize,
}

/// The status table over the `areas` MSOAs with the most harm in the twelve months to
/// `month`, from the rolling harm at `month` and the three month-ends before it.
pub fn msoa_status_table(
    cols: &StreetColumns,
    geo: &Geography,
    month: YearMonth,
    weights: &[f64; 14],
    areas: usize,
) -> ImpactTable {
    status_table(cols, geo, month, weights, &AreaGrouping::of_level(geo, AreaLevel::Msoa), areas)
}

/// The status table over `grouping`'s areas (the `top` with the most harm in the twelve
/// months to `month`), from the rolling harm at `month` and the three month-ends before it.
pub fn status_table(
    cols: &StreetColumns,
    geo: &Geography,
    month: YearMonth,
    weights: &[f64; 14],
    grouping: &AreaGrouping,
    top: usize,
) -> ImpactTable {
    let span = WINDOW_MONTHS + WINDOWS - 1;
    let first = month.plus(-(span as i32 - 1));
    let (lo, hi) = (first.index(), month.index());
    debug_assert_eq!(grouping.of_lsoa.len(), geo.lsoas.len());
    let n = grouping.names.len();

    // Crimes per area, month and category, in whole numbers: a window's harm is then
    // Σ category count × weight, so two windows holding the same crimes have exactly the same
    // harm. Summing each month's harm in floating point instead leaves rounding differences
    // of a billionth of a day that the status rule would read as a reduction or increase.
    //
    // The force's own crimes carry each crime's own harm (`StreetColumns::harm`), summed here
    // per area and month instead: the CCHI subgroup weights are all multiples of a quarter of
    // a day, so those sums are exact in floating point whatever their order.
    let own_harm = !cols.harm.is_empty();
    let mut counts = vec![[0u32; 14]; n * span];
    let mut harm = if own_harm { vec![0.0f64; n * span] } else { Vec::new() };
    let mut crimes = vec![0u64; n];
    let mut has_data = vec![false; span];
    let latest_from = hi - WINDOW_MONTHS as i32 + 1;
    for i in 0..cols.len() {
        let m = cols.month[i];
        if m < lo || m > hi {
            continue;
        }
        let k = (m - lo) as usize;
        has_data[k] = true;
        let (c, l) = (cols.category[i], cols.lsoa[i]);
        if c == 0 || l == NONE {
            continue;
        }
        let Some(a) = grouping.of_lsoa.get(l as usize).copied().flatten() else { continue };
        counts[a * span + k][c as usize] += 1;
        if own_harm {
            harm[a * span + k] += cols.harm[i];
        }
        if m >= latest_from {
            crimes[a] += 1;
        }
    }
    let window_harm = |a: usize, first: usize| -> f64 {
        if own_harm {
            return harm[a * span + first..a * span + first + WINDOW_MONTHS].iter().sum();
        }
        let mut by_category = [0u64; 14];
        for month in &counts[a * span + first..a * span + first + WINDOW_MONTHS] {
            for (total, n) in by_category.iter_mut().zip(month) {
                *total += *n as u64;
            }
        }
        by_category.iter().zip(weights).map(|(n, w)| *n as f64 * w).sum()
    };
    let months_missing: Vec<YearMonth> = (0..span).filter(|&k| !has_data[k]).map(|k| first.plus(k as i32)).collect();
    let complete = months_missing.is_empty();

    let mut rows: Vec<ImpactRow> = grouping
        .names
        .iter()
        .zip(&grouping.parents)
        .enumerate()
        .filter(|(a, _)| crimes[*a] > 0)
        .map(|(a, (name, la))| {
            let series: Vec<f64> = (0..WINDOWS).map(|w| window_harm(a, w)).collect();
            ImpactRow {
                area: name.to_string(),
                local_authority: la.to_string(),
                change_pct: percent_changes(&series),
                status: if complete { Status::of(&series) } else { None },
                harm: series,
                crimes: crimes[a],
            }
        })
        .collect();
    let areas_with_crime = rows.len();
    rows.sort_by(|x, y| {
        let (hx, hy) = (x.harm.last().copied().unwrap_or(0.0), y.harm.last().copied().unwrap_or(0.0));
        hy.total_cmp(&hx).then_with(|| x.area.cmp(&y.area))
    });
    rows.truncate(top);
    let windows = (0..WINDOWS as i32).map(|w| (first.plus(w), first.plus(w + WINDOW_MONTHS as i32 - 1))).collect();
    ImpactTable { windows, rows, months_missing, areas_with_crime }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::Lsoa;
    use peel_domain::Category;

    /// Seed 004 table 3 (Sep-21 to Aug-22 … Dec-21 to Nov-22): the four rolling-year harm
    /// figures of every Impact Area and the three "% Dif." the seed prints.
    const TABLE_3: [(&str, [f64; 4], [f64; 3]); 19] = [
        ("Bordesley Green", [533951.0, 518832.0, 511992.5, 498532.5], [-2.83, -1.32, -2.63]),
        ("Erdington", [582346.5, 589159.0, 587427.5, 584366.0], [1.17, -0.29, -0.52]),
        ("Sparkbrook and Sparkhill", [757484.0, 742281.5, 763281.0, 755214.5], [-2.01, 2.83, -1.06]),
        ("Birmingham City Centre", [2655679.0, 2592193.0, 2576668.5, 2580001.5], [-2.39, -0.60, 0.13]),
        ("Lozells", [617542.0, 617946.0, 614950.5, 623289.5], [0.07, -0.48, 1.36]),
        ("Three Estates", [200451.5, 207410.5, 193361.5, 201894.5], [3.47, -6.77, 4.41]),
        ("Hillfields", [456828.0, 469347.5, 469454.5, 471793.5], [2.74, 0.02, 0.50]),
        ("Wood End and Bell Green", [148751.0, 152592.0, 148387.5, 152626.0], [2.58, -2.76, 2.86]),
        ("Brierley Hill", [246857.5, 247732.5, 244706.0, 244936.5], [0.35, -1.22, 0.09]),
        ("Dudley Central", [496557.5, 492536.0, 491005.5, 464298.5], [-0.81, -0.31, -5.44]),
        ("Princes End", [199450.0, 205693.5, 203393.0, 204071.0], [3.13, -1.12, 0.33]),
        ("Smethwick Soho and Victoria", [203164.0, 208917.0, 214284.0, 227712.0], [2.83, 2.57, 6.27]),
        ("West Bromwich Central", [210047.0, 195846.5, 189932.0, 192939.5], [-6.76, -3.02, 1.58]),
        ("Chelmsley Town", [381274.5, 375001.5, 370230.5, 377215.0], [-1.65, -1.27, 1.89]),
        ("Smiths Wood", [153884.0, 156674.0, 156961.0, 156509.0], [1.81, 0.18, -0.29]),
        ("St Matthews Caldmore", [415834.5, 412819.0, 406952.5, 399605.0], [-0.73, -1.42, -1.81]),
        ("Willenhall", [43068.0, 45183.0, 44635.5, 43939.5], [4.91, -1.21, -1.56]),
        ("Bilston", [79640.0, 84698.0, 88955.0, 89339.0], [6.35, 5.03, 0.43]),
        ("Whitmore Reans", [327710.0, 333866.5, 341525.0, 331849.5], [1.88, 2.29, -2.83]),
    ];

    #[test]
    fn seed_004_table_3_percentages_to_two_decimals() {
        for (name, harm, seed) in TABLE_3 {
            let ours = percent_changes(&harm);
            for (o, s) in ours.iter().zip(seed) {
                let rounded = (o.unwrap() * 100.0).round() / 100.0;
                assert_eq!(rounded, s, "{name}: {ours:?}");
            }
        }
    }

    #[test]
    fn seed_004_table_3_statuses() {
        let status = |name: &str| {
            let (_, harm, _) = TABLE_3.iter().find(|r| r.0 == name).unwrap();
            Status::of(harm).unwrap()
        };
        // Three reductions: -2.83, -1.32, -2.63.
        assert_eq!(status("Bordesley Green"), Status::Outstanding);
        assert_eq!(status("St Matthews Caldmore"), Status::Outstanding);
        // Two: +1.17, -0.29, -0.52.
        assert_eq!(status("Erdington"), Status::Good);
        assert_eq!(status("Birmingham City Centre"), Status::Good);
        // One: +0.07, -0.48, +1.36.
        assert_eq!(status("Lozells"), Status::NeedsImprovement);
        assert_eq!(status("Whitmore Reans"), Status::NeedsImprovement);
        // None: +2.83, +2.57, +6.27; Hillfields' +0.02 is still an increase.
        assert_eq!(status("Smethwick Soho and Victoria"), Status::Poor);
        assert_eq!(status("Hillfields"), Status::Poor);
        // The whole table: 3 Outstanding (Bordesley Green, Dudley Central, St Matthews
        // Caldmore), 6 Good, 7 Needs improvement, 3 Poor, counted by hand from the seed's signs.
        let counts: Vec<usize> =
            Status::ALL.iter().map(|s| TABLE_3.iter().filter(|r| Status::of(&r.1) == Some(*s)).count()).collect();
        assert_eq!(counts, vec![3, 6, 7, 3]);
    }

    #[test]
    fn a_change_of_zero_is_not_a_reduction() {
        assert_eq!(Status::of(&[10.0, 10.0, 9.0, 8.0]), Some(Status::Good));
        assert_eq!(Status::of(&[10.0, 10.0, 10.0, 10.0]), Some(Status::Poor));
        // From zero there is no percentage, but the direction still counts.
        assert_eq!(percent_changes(&[0.0, 5.0]), vec![None]);
        assert_eq!(Status::of(&[0.0, 5.0, 4.0, 3.0]), Some(Status::Good));
        assert_eq!(Status::of(&[1.0, 2.0, 3.0]), None);
        // Only the last four figures count.
        assert_eq!(Status::of(&[1.0, 9.0, 8.0, 7.0, 6.0]), Some(Status::Outstanding));
    }

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    #[test]
    fn windows_holding_the_same_crimes_have_the_same_harm() {
        // Months alternate a burglary and a drugs offence: every window of twelve holds six
        // of each, so the harm never changes and nothing is a reduction (summed month by
        // month in floating point, the same crimes in another order can differ in the last
        // bits, which the rule would read as a change).
        let geo = Geography {
            lsoas: vec![Lsoa { msoa_name: "Leeds 001".into(), local_authority: "Leeds".into(), ..Default::default() }],
            points: vec![],
        };
        let month = ym("2017-07");
        let mut c = StreetColumns::default();
        for k in 0..15 {
            let category = if k % 2 == 0 { Category::Burglary } else { Category::Drugs };
            c.push(month.plus(-k), category, 0, NONE, NONE);
        }
        let t = msoa_status_table(&c, &geo, month, &peel_domain::harm::category_weights(), 19);
        let h = &t.rows[0].harm;
        assert!(h.iter().all(|x| x == &h[0]), "{h:?}");
        assert_eq!(t.rows[0].change_pct, vec![Some(0.0); 3]);
        assert_eq!(t.rows[0].status, Some(Status::Poor));
    }

    #[test]
    fn table_from_columns_ranks_msoas_by_latest_harm() {
        let lsoa = |name: &str, msoa: &str, la: &str| Lsoa {
            name: name.into(),
            msoa_name: msoa.into(),
            local_authority: la.into(),
            in_force: true,
            ..Default::default()
        };
        let geo = Geography {
            lsoas: vec![
                lsoa("Leeds 001A", "Leeds 001", "Leeds"),
                lsoa("Leeds 001B", "Leeds 001", "Leeds"),
                lsoa("Bradford 002A", "Bradford 002", "Bradford"),
                lsoa("Wakefield 003A", "Wakefield 003", "Wakefield"),
            ],
            points: vec![],
        };
        let w = peel_domain::harm::category_weights();
        let (burglary, robbery) = (Category::Burglary, Category::Robbery);
        let month = ym("2017-07");
        let mut c = StreetColumns::default();
        // Fifteen months, 2016-05 to 2017-07, every month published (an ASB row each).
        for k in 0..15 {
            c.push(month.plus(-14 + k), Category::AntiSocialBehaviour, 3, NONE, NONE);
        }
        // Leeds 001: one burglary a month in each of its LSOAs, plus one more in 2017-07.
        for k in 0..15 {
            c.push(month.plus(-14 + k), burglary, 0, NONE, NONE);
            c.push(month.plus(-14 + k), burglary, 1, NONE, NONE);
        }
        c.push(month, burglary, 1, NONE, NONE);
        // Bradford 002: one robbery in 2016-05 only: in the first window, gone by the second.
        c.push(ym("2016-05"), robbery, 2, NONE, NONE);
        // Before the windows: ignored.
        c.push(ym("2016-01"), robbery, 2, NONE, NONE);
        let t = msoa_status_table(&c, &geo, month, &w, 19);
        assert_eq!(t.windows[0], (ym("2016-05"), ym("2017-04")));
        assert_eq!(t.windows[3], (ym("2016-08"), ym("2017-07")));
        assert!(t.months_missing.is_empty());
        // Bradford 002 has no crime in the latest twelve months, Wakefield 003 only ASB.
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.areas_with_crime, 1);
        let leeds = &t.rows[0];
        assert_eq!((leeds.area.as_str(), leeds.local_authority.as_str()), ("Leeds 001", "Leeds"));
        let b = w[burglary.code() as usize];
        // 24 burglaries a window, 25 in the last (the extra one in 2017-07).
        for (got, burglaries) in leeds.harm.iter().zip([24.0, 24.0, 24.0, 25.0]) {
            assert!((got - burglaries * b).abs() < 1e-6, "{:?}", leeds.harm);
        }
        assert_eq!(leeds.crimes, 25);
        assert_eq!(leeds.change_pct[2].map(|p| (p * 100.0).round() / 100.0), Some(4.17));
        assert_eq!(leeds.status, Some(Status::Poor));

        // Take 2017-03's data away: the windows are incomplete and no status is given.
        let keep: Vec<usize> = (0..c.len()).filter(|&i| c.month[i] != ym("2017-03").index()).collect();
        let mut gap = StreetColumns::default();
        for i in keep {
            gap.month.push(c.month[i]);
            gap.category.push(c.category[i]);
            gap.lsoa.push(c.lsoa[i]);
            gap.point.push(c.point[i]);
            gap.outcome.push(c.outcome[i]);
        }
        let t = msoa_status_table(&gap, &geo, month, &w, 19);
        assert_eq!(t.months_missing, vec![ym("2017-03")]);
        assert_eq!(t.rows[0].status, None);

        // Twelve robberies in Bradford 002 in the latest month bring it into the table.
        for _ in 0..12 {
            c.push(month, robbery, 2, NONE, NONE);
        }
        let t = msoa_status_table(&c, &geo, month, &w, 19);
        // 12 robberies × 365 days = 4,380 against 25 burglaries × 244.7 = 6,117: Leeds still
        // first; with only one area allowed, only Leeds is listed.
        assert_eq!(t.rows.iter().map(|r| r.area.as_str()).collect::<Vec<_>>(), vec!["Leeds 001", "Bradford 002"]);
        assert_eq!(msoa_status_table(&c, &geo, month, &w, 1).rows.len(), 1);
    }
}
