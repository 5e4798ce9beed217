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

#[cfg(test)]
mod tests {
    use super::*;

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
