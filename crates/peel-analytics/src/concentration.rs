//! Where crime and harm concentrate: the concentration curve over areas, and the figures a
//! board asks for from it — "1.4 per cent of the force's geography but 19 per cent of serious
//! youth violence and 18.4 per cent of harm" (seed 004 §26).
//!
//! Units (LSOAs, 250 m grid cells) are ranked by density, value per unit of area, highest
//! first; the curve plots the cumulative share of area against the cumulative share of the
//! value. Area the data never touches (cells with no crime) is still part of the force's
//! geography, so the caller passes the force's total area and the curve ends flat over it.
//! Within one unit the value is taken as spread evenly, so shares between unit boundaries
//! are interpolated linearly.

use serde::Serialize;
use std::collections::HashMap;

/// Side of the hotspot grid cell, metres (British National Grid).
pub const GRID_CELL_M: f64 = 250.0;
/// Hectares in one grid cell: 250 m × 250 m = 62,500 m² = 6.25 ha.
pub const GRID_CELL_HA: f64 = GRID_CELL_M * GRID_CELL_M / 10_000.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcentrationCurve {
    /// (cumulative share of area, cumulative share of value), from (0, 0) to (1, 1).
    pub points: Vec<(f64, f64)>,
    pub total_value: f64,
    pub total_area: f64,
    pub units_with_value: usize,
}

/// `units` are (value, area) pairs; `total_area` is at least the sum of their areas.
pub fn concentration(units: &[(f64, f64)], total_area: f64) -> ConcentrationCurve {
    let mut ranked: Vec<(f64, f64)> = units.iter().copied().filter(|&(v, a)| v > 0.0 && a > 0.0).collect();
    ranked.sort_by(|x, y| (y.0 / y.1).total_cmp(&(x.0 / x.1)));
    let total_value: f64 = ranked.iter().map(|u| u.0).sum();
    let used_area: f64 = units.iter().map(|u| u.1).sum();
    let total_area = total_area.max(used_area);
    let mut points = Vec::with_capacity(ranked.len() + 2);
    points.push((0.0, 0.0));
    let (mut a, mut v) = (0.0, 0.0);
    if total_value > 0.0 && total_area > 0.0 {
        for &(value, area) in &ranked {
            a += area;
            v += value;
            points.push((a / total_area, v / total_value));
        }
    }
    if points.last() != Some(&(1.0, 1.0)) {
        points.push((1.0, if total_value > 0.0 { 1.0 } else { 0.0 }));
    }
    ConcentrationCurve { points, total_value, total_area, units_with_value: ranked.len() }
}

impl ConcentrationCurve {
    /// Share of the value found in the densest `area_share` of the geography.
    pub fn value_share_in_top(&self, area_share: f64) -> f64 {
        interpolate(&self.points, area_share, |p| p.0, |p| p.1)
    }

    /// Smallest share of the geography that holds `value_share` of the value.
    pub fn area_share_holding(&self, value_share: f64) -> f64 {
        interpolate(&self.points, value_share, |p| p.1, |p| p.0)
    }

    /// At most `n` points for drawing, always keeping the ends.
    pub fn thinned(&self, n: usize) -> Vec<(f64, f64)> {
        if self.points.len() <= n || n < 2 {
            return self.points.clone();
        }
        let step = (self.points.len() - 1) as f64 / (n - 1) as f64;
        (0..n).map(|i| self.points[((i as f64 * step).round() as usize).min(self.points.len() - 1)]).collect()
    }
}

/// Linear interpolation along a monotone curve: y at x.
fn interpolate(points: &[(f64, f64)], x: f64, fx: impl Fn(&(f64, f64)) -> f64, fy: impl Fn(&(f64, f64)) -> f64) -> f64 {
    let x = x.clamp(0.0, 1.0);
    for w in points.windows(2) {
        let (x0, x1) = (fx(&w[0]), fx(&w[1]));
        if x <= x1 && x1 > x0 {
            let t = ((x - x0) / (x1 - x0)).clamp(0.0, 1.0);
            return fy(&w[0]) + t * (fy(&w[1]) - fy(&w[0]));
        }
        if x <= x1 {
            return fy(&w[0]);
        }
    }
    points.last().map_or(0.0, fy)
}

/// Assigns each point to a 250 m British National Grid cell; returns the cell index of each
/// point (into the returned list of cells, given by (column, row) = ⌊E/250⌋, ⌊N/250⌋).
pub fn grid_cells(points: &[(f64, f64)]) -> (Vec<u32>, Vec<(i32, i32)>) {
    let mut index: HashMap<(i32, i32), u32> = HashMap::new();
    let mut cells = Vec::new();
    let ids = points
        .iter()
        .map(|&(e, n)| {
            let key = ((e / GRID_CELL_M).floor() as i32, (n / GRID_CELL_M).floor() as i32);
            *index.entry(key).or_insert_with(|| {
                cells.push(key);
                (cells.len() - 1) as u32
            })
        })
        .collect();
    (ids, cells)
}

/// The smallest set of equal cells holding a share of the value (issue 12): how many of the
/// area's cells, and what share of the area, hold `share` of the crime or harm.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SmallestSet {
    /// The share asked for (0.5 for half).
    pub share: f64,
    pub cells: usize,
    /// `cells` ÷ the area's cells.
    pub area_share: f64,
    /// The share those cells actually hold (at least `share`: cells are whole).
    pub value_share: f64,
}

/// The fewest of `area_cells` equal cells whose `values` (one per cell with any; order free)
/// reach `share` of their total: the densest first. `None` when there is no value.
pub fn smallest_set(values: &[f64], area_cells: usize, share: f64) -> Option<SmallestSet> {
    let mut v: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    let total: f64 = v.iter().sum();
    if total <= 0.0 || area_cells == 0 {
        return None;
    }
    v.sort_unstable_by(|a, b| b.total_cmp(a));
    let (mut sum, mut cells) = (0.0, 0);
    for x in &v {
        // A relative tolerance, so that 0.1 + 0.2 of a total of 0.3 counts as all of it.
        if sum >= share * total * (1.0 - 1e-12) {
            break;
        }
        sum += x;
        cells += 1;
    }
    Some(SmallestSet {
        share,
        cells,
        area_share: cells as f64 / area_cells.max(cells) as f64,
        value_share: sum / total,
    })
}

/// How the top cells of one month carry into the next (issue 12: "month-to-month stability of
/// the top cells"). Each month's top cells are its smallest set holding `share` of its value,
/// ties at the cut going to the lower (column, row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stability {
    /// The later month's label.
    pub label: String,
    /// Top cells in the earlier and the later month.
    pub before: usize,
    pub after: usize,
    /// Cells in both.
    pub both: usize,
    /// Jaccard's index: both ÷ cells in either; `None` where a month has no value.
    pub jaccard: Option<f64>,
    /// The share of the later month's value that fell in the earlier month's top cells (the
    /// hit rate of "last month's hotspots" as a prediction).
    pub carried: Option<f64>,
}

/// Stability between each month and the next; `months` are (label, cells with their values).
/// One month's crime (or harm) by grid cell (column, row).
pub type MonthCells = (String, HashMap<(i64, i64), f64>);

pub fn stability(months: &[MonthCells], share: f64) -> Vec<Stability> {
    let top = |m: &HashMap<(i64, i64), f64>| -> std::collections::HashSet<(i64, i64)> {
        let mut cells: Vec<((i64, i64), f64)> = m.iter().filter(|(_, v)| **v > 0.0).map(|(k, v)| (*k, *v)).collect();
        cells.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let values: Vec<f64> = cells.iter().map(|c| c.1).collect();
        let n = smallest_set(&values, cells.len(), share).map_or(0, |s| s.cells);
        cells.into_iter().take(n).map(|c| c.0).collect()
    };
    months
        .windows(2)
        .map(|w| {
            let (a, b) = (top(&w[0].1), top(&w[1].1));
            let both = a.intersection(&b).count();
            let either = a.len() + b.len() - both;
            let total: f64 = w[1].1.values().filter(|v| **v > 0.0).sum();
            let carried: f64 = a.iter().filter_map(|k| w[1].1.get(k)).filter(|v| **v > 0.0).sum();
            Stability {
                label: w[1].0.clone(),
                before: a.len(),
                after: b.len(),
                both,
                jaccard: (!a.is_empty() && !b.is_empty()).then(|| both as f64 / either as f64),
                carried: (!a.is_empty() && total > 0.0).then(|| carried / total),
            }
        })
        .collect()
}

/// Concentration of crime (or harm) over grid cells of any size (issue 12, `peel
/// concentration`): the smallest sets holding the asked shares, the curve, and month-to-month
/// stability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellConcentration {
    pub cell_metres: f64,
    /// Cells of the study area ([`crate::surface`]): the denominator of every area share.
    pub area_cells: usize,
    pub events: usize,
    pub total: f64,
    pub sets: Vec<SmallestSet>,
    /// At most 101 points of the curve, (share of area, share of value).
    pub curve: Vec<(f64, f64)>,
    pub stability: Vec<Stability>,
}

/// Events at (`x`, `y`) with `weights`, each in month `month[i]`.
#[derive(Debug, Clone, Copy)]
pub struct Weighted<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    pub weights: &'a [f64],
    pub month: &'a [usize],
}

/// `events` (months index `labels`), over
/// the study `area` (`crate::boundary`) and the events' cells, `cell` metres. Stability uses
/// the first of `shares`.
pub fn cell_concentration(
    events: Weighted,
    labels: &[String],
    area: &crate::boundary::StudyArea,
    cell: f64,
    shares: &[f64],
) -> Result<CellConcentration, String> {
    let Weighted { x, y, weights, month } = events;
    if !(cell.is_finite() && (10.0..=10_000.0).contains(&cell)) {
        return Err(format!("a cell of {cell} m: cells are 10 to 10,000 m"));
    }
    if x.is_empty() || x.len() != y.len() || x.len() != weights.len() || x.len() != month.len() {
        return Err("no crimes with a place in the period".into());
    }
    if shares.is_empty() || shares.iter().any(|s| !(s.is_finite() && *s > 0.0 && *s <= 1.0)) {
        return Err("shares are more than 0% and at most 100%".into());
    }
    if month.iter().any(|m| *m >= labels.len()) {
        return Err("an event's month is outside the months given".into());
    }
    let key = |i: usize| ((x[i] / cell).floor() as i64, (y[i] / cell).floor() as i64);
    let area_cells = area.cells(cell, (0..x.len()).map(key), 1)?.len();
    let mut all: HashMap<(i64, i64), f64> = HashMap::new();
    let mut monthly: Vec<MonthCells> = labels.iter().map(|l| (l.clone(), HashMap::new())).collect();
    for i in 0..x.len() {
        *all.entry(key(i)).or_default() += weights[i];
        *monthly[month[i]].1.entry(key(i)).or_default() += weights[i];
    }
    let values: Vec<f64> = all.values().copied().collect();
    let sets = shares.iter().filter_map(|&s| smallest_set(&values, area_cells, s)).collect();
    let units: Vec<(f64, f64)> = values.iter().map(|v| (*v, 1.0)).collect();
    let curve = concentration(&units, area_cells as f64);
    Ok(CellConcentration {
        cell_metres: cell,
        area_cells,
        events: x.len(),
        total: weights.iter().sum(),
        sets,
        curve: curve.thinned(101),
        stability: stability(&monthly, shares[0]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_concentration_counts_the_area_and_the_months() {
        // Three crimes in one 100 m cell, one in another 1 km away; months 0, 0, 1, 1.
        let x = [50.0, 60.0, 70.0, 1050.0];
        let y = [50.0, 50.0, 50.0, 50.0];
        let labels = vec!["2026-01".to_string(), "2026-02".to_string()];
        let ev = |month: &'static [usize]| Weighted { x: &x, y: &y, weights: &[1.0; 4], month };
        let c = cell_concentration(ev(&[0, 0, 1, 1]), &labels, &crate::boundary::StudyArea::Crimes, 100.0, &[0.5, 1.0])
            .unwrap();
        // No boundaries or postcodes: the two cells and their eight neighbours each.
        assert_eq!(c.area_cells, 18);
        assert_eq!((c.sets[0].cells, c.sets[0].value_share), (1, 0.75));
        assert_eq!(c.sets[1].cells, 2);
        assert!((c.sets[1].area_share - 2.0 / 18.0).abs() < 1e-12);
        assert_eq!(c.stability.len(), 1);
        // January's top: (0,0). February's: one crime each in (0,0) and (10,0), half each:
        // (0,0) alone holds half.
        assert_eq!(c.stability[0].jaccard, Some(1.0));
        assert_eq!(c.stability[0].carried, Some(0.5));
        assert_eq!(c.curve.first(), Some(&(0.0, 0.0)));
        assert!(
            cell_concentration(ev(&[0, 0, 1, 2]), &labels, &crate::boundary::StudyArea::Crimes, 100.0, &[0.5]).is_err()
        );
        assert!(cell_concentration(ev(&[0; 4]), &labels, &crate::boundary::StudyArea::Crimes, 100.0, &[0.0]).is_err());
    }

    #[test]
    fn the_smallest_set_takes_the_densest_cells_first() {
        // 50, 30, 15, 5 in four cells of a 20-cell area.
        let v = [15.0, 50.0, 5.0, 30.0];
        let s = smallest_set(&v, 20, 0.5).unwrap();
        assert_eq!((s.cells, s.area_share, s.value_share), (1, 0.05, 0.5));
        let s = smallest_set(&v, 20, 0.8).unwrap();
        assert_eq!((s.cells, s.value_share), (2, 0.8));
        let s = smallest_set(&v, 20, 0.81).unwrap();
        assert_eq!((s.cells, s.value_share), (3, 0.95));
        assert_eq!(smallest_set(&v, 20, 1.0).unwrap().cells, 4);
        assert_eq!(smallest_set(&[0.0], 20, 0.5), None);
    }

    #[test]
    fn stability_compares_each_month_with_the_next() {
        let m = |cells: &[((i64, i64), f64)]| cells.iter().copied().collect::<HashMap<_, _>>();
        let months = vec![
            ("a".to_string(), m(&[((0, 0), 8.0), ((1, 0), 1.0), ((2, 0), 1.0)])),
            ("b".to_string(), m(&[((0, 0), 4.0), ((1, 0), 4.0), ((2, 0), 2.0)])),
            ("c".to_string(), m(&[])),
        ];
        let s = stability(&months, 0.5);
        // a's top (half of 10): (0,0). b's top: (0,0) alone holds 4 of 10, so (0,0) and (1,0)
        // (the tie at 4 goes to the lower column).
        assert_eq!((s[0].before, s[0].after, s[0].both), (1, 2, 1));
        assert_eq!(s[0].jaccard, Some(0.5));
        assert_eq!(s[0].carried, Some(0.4));
        assert_eq!(s[1].label, "c");
        assert_eq!((s[1].jaccard, s[1].carried), (None, None));
    }

    #[test]
    fn equal_areas_rank_by_value() {
        // Four equal cells holding 50, 30, 20, 0 of the value; force is the four cells.
        let c = concentration(&[(20.0, 1.0), (50.0, 1.0), (0.0, 1.0), (30.0, 1.0)], 4.0);
        assert_eq!(c.points, vec![(0.0, 0.0), (0.25, 0.5), (0.5, 0.8), (0.75, 1.0), (1.0, 1.0)]);
        assert_eq!(c.value_share_in_top(0.25), 0.5);
        assert!((c.value_share_in_top(0.125) - 0.25).abs() < 1e-12);
        assert_eq!(c.area_share_holding(0.5), 0.25);
        assert!((c.area_share_holding(0.25) - 0.125).abs() < 1e-12);
        assert_eq!(c.units_with_value, 3);
    }

    #[test]
    fn untouched_area_counts_in_the_denominator() {
        // One cell of 100 in a force of 100 cells: 1% of the area holds all the harm.
        let c = concentration(&[(7.0, 1.0)], 100.0);
        assert!((c.area_share_holding(1.0) - 0.01).abs() < 1e-12);
        assert_eq!(c.value_share_in_top(0.5), 1.0);
    }

    #[test]
    fn density_not_value_decides_rank_when_areas_differ() {
        // A small dense LSOA (10 in 1 ha) ranks above a big one (20 in 10 ha).
        let c = concentration(&[(20.0, 10.0), (10.0, 1.0)], 11.0);
        assert!((c.points[1].0 - 1.0 / 11.0).abs() < 1e-12);
        assert!((c.points[1].1 - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn no_value_gives_a_flat_curve() {
        let c = concentration(&[(0.0, 1.0)], 1.0);
        assert_eq!(c.value_share_in_top(1.0), 0.0);
        assert_eq!(c.total_value, 0.0);
    }

    #[test]
    fn grid_cells_are_250m_squares() {
        let (ids, cells) = grid_cells(&[(429_100.0, 433_900.0), (429_249.9, 433_750.0), (429_250.0, 433_900.0)]);
        assert_eq!(ids, vec![0, 0, 1]);
        assert_eq!(cells, vec![(1716, 1735), (1717, 1735)]);
    }

    #[test]
    fn thinning_keeps_the_ends() {
        let c = concentration(&(1..=1000).map(|i| (i as f64, 1.0)).collect::<Vec<_>>(), 1000.0);
        let t = c.thinned(50);
        assert_eq!(t.len(), 50);
        assert_eq!(t[0], (0.0, 0.0));
        assert_eq!(*t.last().unwrap(), (1.0, 1.0));
    }
}
