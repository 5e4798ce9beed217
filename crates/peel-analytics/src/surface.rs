//! A force's crime (or harm) as a surface of grid cells clipped to its area, by one of three
//! methods, ranked (issue 12, `peel hotspots`): counts per cell, kernel density
//! ([`crate::kde`]) at each cell's centre, or Getis-Ord Gi* ([`crate::gi_star`]) over the
//! cells' counts.
//!
//! The study area ([`crate::boundary::StudyArea`]): the cells whose centre lies inside the
//! area's LSOA boundaries, or failing those the cells of its postcodes, together with every
//! cell holding a crime. Gi* compares a cell with the mean of this area, empty cells
//! included, and density is reported only inside it. With neither, the area is the cells
//! holding a crime and their neighbours within the Gi* band (the caller says which it used).

use crate::boundary::StudyArea;
use crate::gi_star::{fdr_adjust, gi_star};
use crate::kde::{density, normal_reference_bandwidth, Grid, Kernel};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Method {
    Count,
    Kde {
        kernel: Kernel,
        /// Metres; none for the normal reference rule.
        bandwidth: Option<f64>,
    },
    #[serde(rename = "gistar")]
    GiStar {
        /// Neighbours within this many cells, centre to centre (1.5: the eight around).
        band: f64,
        /// Draws for permutation p-values (0 for none).
        permutations: usize,
        seed: u64,
        /// Benjamini–Hochberg adjusted p-values.
        fdr: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurfaceCell {
    /// Grid column and row: ⌊easting / cell⌋, ⌊northing / cell⌋.
    pub col: i64,
    pub row: i64,
    /// The cell's centre, British National Grid metres.
    pub easting: f64,
    pub northing: f64,
    /// Crimes (or harm) in the cell.
    pub count: f64,
    /// What the cells are ranked by: the count, the density per km², or Gi*'s z.
    pub value: f64,
    /// The cell's count as a share of all placed crimes (or harm).
    pub share: f64,
    /// Gi* only: two-sided normal p, adjusted if asked, and the permutation p.
    pub p: Option<f64>,
    pub p_sim: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Surface {
    pub cell_metres: f64,
    pub method: Method,
    /// The bandwidth used by kernel density, metres.
    pub bandwidth: Option<f64>,
    /// Crimes placed on the grid, and their harm or count total.
    pub events: usize,
    pub total: f64,
    /// Cells of the study area.
    pub area_cells: usize,
    /// Every cell of the study area with something to show (a count, a density, a z), best
    /// first.
    pub cells: Vec<SurfaceCell>,
}

/// The crimes of a period placed on the grid, as every grid analysis reads them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placed {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    /// 1 each, or the crime's harm.
    pub w: Vec<f64>,
    /// Months after the period's first.
    pub month: Vec<usize>,
    /// Crimes of the period without a place.
    pub unplaced: u64,
    /// Which months of the period hold any row (a month without is no data, not a month
    /// without crime).
    pub held: Vec<bool>,
}

/// Which of the `months` months from `first` (a `YearMonth::index()`) hold any row of `cols`.
pub fn held_months(cols: &crate::StreetColumns, first: i32, months: usize) -> Vec<bool> {
    let mut held = vec![false; months];
    for m in &cols.month {
        if let Some(h) = usize::try_from(m - first).ok().and_then(|k| held.get_mut(k)) {
            *h = true;
        }
    }
    held
}

/// The crimes of `cols` in the `months` months from `first` with a place, of `category`
/// (`Category::code()`) if given; anti-social behaviour is not crime and is left out.
/// Weighted by harm (the category's CCHI days) when `harm`.
pub fn placed(
    cols: &crate::StreetColumns,
    geo: &crate::Geography,
    (first, months): (i32, usize),
    category: Option<u8>,
    harm: bool,
) -> Placed {
    let weights = peel_domain::harm::category_weights();
    let mut p = Placed { held: held_months(cols, first, months), ..Placed::default() };
    for i in 0..cols.len() {
        let c = cols.category[i];
        let month = cols.month[i] - first;
        if c == 0 || category.is_some_and(|k| k != c) || !(0..months as i32).contains(&month) {
            continue;
        }
        let point = cols.point[i];
        if point == crate::NONE {
            p.unplaced += 1;
            continue;
        }
        let (e, n) = geo.points[point as usize];
        p.x.push(e);
        p.y.push(n);
        p.w.push(if harm { cols.harm_of(i, &weights) } else { 1.0 });
        p.month.push(month as usize);
    }
    p
}

type Key = (i64, i64);

fn key(x: f64, y: f64, size: f64) -> Key {
    ((x / size).floor() as i64, (y / size).floor() as i64)
}

/// The surface of events at (`x`, `y`) with `weights` (1 each for counts, harm for harm) over
/// the study `area` and the events' own cells, `cell` metres.
pub fn surface(
    x: &[f64],
    y: &[f64],
    weights: &[f64],
    area: &StudyArea,
    cell: f64,
    method: Method,
) -> Result<Surface, String> {
    if !(cell.is_finite() && (10.0..=10_000.0).contains(&cell)) {
        return Err(format!("a cell of {cell} m: cells are 10 to 10,000 m"));
    }
    if x.is_empty() {
        return Err("no crimes with a place in the period".into());
    }
    if let Method::GiStar { band, .. } = method {
        // Checked before the study area is grown by the band below.
        if !(band.is_finite() && (1.0..=crate::gi_star::MAX_BAND).contains(&band)) {
            return Err(crate::gi_star::GiError::Band(band).to_string());
        }
    }
    let mut counts: HashMap<Key, f64> = HashMap::new();
    for i in 0..x.len() {
        *counts.entry(key(x[i], y[i], cell)).or_default() += weights[i];
    }
    let dilate = match method {
        Method::GiStar { band, .. } => band.floor() as i64,
        _ => 1,
    };
    let keys = area.cells(cell, counts.keys().copied(), dilate)?;
    let total: f64 = weights.iter().sum();
    let share = |v: f64| if total > 0.0 { v / total } else { 0.0 };
    let centre = |k: Key| ((k.0 as f64 + 0.5) * cell, (k.1 as f64 + 0.5) * cell);
    let mut bandwidth = None;
    let mut cells: Vec<SurfaceCell> = match method {
        Method::Count => keys
            .iter()
            .filter_map(|k| counts.get(k).map(|v| (*k, *v)))
            .map(|(k, v)| SurfaceCell {
                col: k.0,
                row: k.1,
                easting: centre(k).0,
                northing: centre(k).1,
                count: v,
                value: v,
                share: share(v),
                p: None,
                p_sim: None,
            })
            .collect(),
        Method::Kde { kernel, bandwidth: h } => {
            let h = match h {
                Some(h) => h,
                None => normal_reference_bandwidth(x, y),
            };
            bandwidth = Some(h);
            let (c0, c1) = (keys.iter().map(|k| k.0).min().unwrap(), keys.iter().map(|k| k.0).max().unwrap());
            let (r0, r1) = (keys.iter().map(|k| k.1).min().unwrap(), keys.iter().map(|k| k.1).max().unwrap());
            let grid = Grid {
                x0: c0 as f64 * cell,
                y0: r0 as f64 * cell,
                size: cell,
                cols: (c1 - c0 + 1) as usize,
                rows: (r1 - r0 + 1) as usize,
            };
            let d = density(&grid, x, y, Some(weights), kernel, h).map_err(|e| e.to_string())?;
            keys.iter()
                .filter_map(|&k| {
                    let v = d[(k.1 - r0) as usize * grid.cols + (k.0 - c0) as usize];
                    (v > 0.0).then(|| {
                        let count = counts.get(&k).copied().unwrap_or(0.0);
                        SurfaceCell {
                            col: k.0,
                            row: k.1,
                            easting: centre(k).0,
                            northing: centre(k).1,
                            count,
                            value: v,
                            share: share(count),
                            p: None,
                            p_sim: None,
                        }
                    })
                })
                .collect()
        }
        Method::GiStar { band, permutations, seed, fdr } => {
            // Gi* on the study area's cells; grid indexes fit i32 for any British grid.
            let lattice: Vec<(i32, i32)> = keys.iter().map(|k| (k.0 as i32, k.1 as i32)).collect();
            let values: Vec<f64> = keys.iter().map(|k| counts.get(k).copied().unwrap_or(0.0)).collect();
            let g = gi_star(&lattice, &values, band, permutations, seed).map_err(|e| e.to_string())?;
            let p = if fdr { fdr_adjust(&g.p_norm) } else { g.p_norm.clone() };
            keys.iter()
                .enumerate()
                .map(|(i, &k)| SurfaceCell {
                    col: k.0,
                    row: k.1,
                    easting: centre(k).0,
                    northing: centre(k).1,
                    count: values[i],
                    value: g.z[i],
                    share: share(values[i]),
                    p: Some(p[i]),
                    p_sim: g.p_sim.as_ref().map(|s| s[i]),
                })
                .collect()
        }
    };
    cells.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.col.cmp(&b.col)).then(a.row.cmp(&b.row)));
    Ok(Surface { cell_metres: cell, method, bandwidth, events: x.len(), total, area_cells: keys.len(), cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_method_ranks_the_planted_cluster_first() {
        let mut rng = crate::near_repeat::SplitMix(21);
        let (mut x, mut y) = (vec![], vec![]);
        for _ in 0..3000 {
            x.push(400_000.0 + (rng.next() % 8000) as f64);
            y.push(280_000.0 + (rng.next() % 8000) as f64);
        }
        for k in 0..150 {
            x.push(403_610.0 + (k % 10) as f64 * 3.0);
            y.push(284_620.0 + (k / 10) as f64 * 3.0);
        }
        let w = vec![1.0; x.len()];
        // Postcodes every 100 m over the square: the study area.
        let area: Vec<(f64, f64)> = (0..80)
            .flat_map(|i| (0..80).map(move |j| (400_050.0 + i as f64 * 100.0, 280_050.0 + j as f64 * 100.0)))
            .collect();
        let area = StudyArea::Postcodes(area);
        for method in [
            Method::Count,
            Method::Kde { kernel: Kernel::Quartic, bandwidth: Some(300.0) },
            Method::GiStar { band: 1.5, permutations: 99, seed: 1, fdr: true },
        ] {
            let s = surface(&x, &y, &w, &area, 250.0, method).unwrap();
            let top = &s.cells[0];
            let planted = (403_610 / 250, 284_620 / 250);
            if let Method::GiStar { .. } = method {
                // Every cell around the cluster has it in its neighbourhood: the top is it or
                // one of the eight, and the cluster's own cell is as significant.
                assert!((top.col - planted.0).abs() <= 1 && (top.row - planted.1).abs() <= 1, "{top:?}");
                let own = s.cells.iter().find(|c| (c.col, c.row) == planted).unwrap();
                assert!(own.p.unwrap() < 1e-6, "{own:?}");
            } else {
                assert_eq!((top.col, top.row), planted, "{method:?}: {top:?}");
            }
            assert_eq!(s.area_cells, 32 * 32, "{method:?}");
            assert_eq!(s.events, 3150);
            if let Method::GiStar { .. } = method {
                assert!(top.p.unwrap() < 1e-6 && top.p_sim.unwrap() <= 0.01, "{top:?}");
                assert_eq!(s.cells.len(), 32 * 32, "every cell of the area has a z");
            }
        }
        let counted = surface(&x, &y, &w, &area, 250.0, Method::Count).unwrap();
        assert!((counted.cells.iter().map(|c| c.share).sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(surface(&x, &y, &w, &area, 5.0, Method::Count).is_err());
        assert!(surface(&[], &[], &[], &area, 250.0, Method::Count).is_err());
    }
}

/// A cell's class over the periods, with its crimes in all of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassifiedCell {
    pub col: i64,
    pub row: i64,
    pub easting: f64,
    pub northing: f64,
    pub count: f64,
    pub class: crate::gi_star::SpotClass,
}

/// Each cell of the study area classed by its Gi* over `periods` periods (`period[i]` the
/// period of event i, 0 first), as sfhotspot's `hotspot_classify` with its defaults: a cell
/// is significant in a period where its two-sided normal p is under 0.05 (no correction,
/// sfhotspot's default). Cells with a pattern first, persistent hotspots leading, then by
/// crimes.
pub fn classify_cells(
    x: &[f64],
    y: &[f64],
    period: &[usize],
    periods: usize,
    area: &StudyArea,
    cell: f64,
    band: f64,
) -> Result<Vec<ClassifiedCell>, String> {
    if periods < 2 {
        return Err(format!("{periods} period: classes need at least two (one older, one recent)"));
    }
    if !(cell.is_finite() && (10.0..=10_000.0).contains(&cell)) {
        return Err(format!("a cell of {cell} m: cells are 10 to 10,000 m"));
    }
    if x.is_empty() {
        return Err("no crimes with a place in the period".into());
    }
    if !(band.is_finite() && (1.0..=crate::gi_star::MAX_BAND).contains(&band)) {
        return Err(crate::gi_star::GiError::Band(band).to_string());
    }
    let mut per_period: Vec<HashMap<Key, f64>> = vec![HashMap::new(); periods];
    for i in 0..x.len() {
        if let Some(p) = per_period.get_mut(period[i]) {
            *p.entry(key(x[i], y[i], cell)).or_default() += 1.0;
        }
    }
    let crime_cells = (0..x.len()).map(|i| key(x[i], y[i], cell));
    let keys = area.cells(cell, crime_cells, band.floor() as i64)?;
    let lattice: Vec<(i32, i32)> = keys.iter().map(|k| (k.0 as i32, k.1 as i32)).collect();
    let mut results = Vec::with_capacity(periods);
    for counts in &per_period {
        let values: Vec<f64> = keys.iter().map(|k| counts.get(k).copied().unwrap_or(0.0)).collect();
        let g = match gi_star(&lattice, &values, band, 0, 1) {
            Ok(g) => g,
            // A period with no crime, or the same count everywhere: nothing stands out in it.
            Err(crate::gi_star::GiError::NoVariation) => {
                results.push(vec![(0.0, 1.0); keys.len()]);
                continue;
            }
            Err(e) => return Err(e.to_string()),
        };
        results.push(g.z.iter().zip(&g.p_norm).map(|(z, p)| (*z, *p)).collect());
    }
    let classes =
        crate::gi_star::classify(&results, crate::gi_star::ClassifyParams::default()).map_err(|e| e.to_string())?;
    let mut out: Vec<ClassifiedCell> = keys
        .iter()
        .zip(classes)
        .map(|(k, class)| ClassifiedCell {
            col: k.0,
            row: k.1,
            easting: (k.0 as f64 + 0.5) * cell,
            northing: (k.1 as f64 + 0.5) * cell,
            count: per_period.iter().filter_map(|p| p.get(k)).sum(),
            class,
        })
        .collect();
    out.sort_by(|a, b| {
        (a.class as u8)
            .cmp(&(b.class as u8))
            .then(b.count.total_cmp(&a.count))
            .then((a.col, a.row).cmp(&(b.col, b.row)))
    });
    Ok(out)
}

#[cfg(test)]
mod classify_tests {
    use super::*;
    use crate::gi_star::SpotClass;

    #[test]
    fn planted_persistent_and_emerging_hotspots_are_classed_so() {
        // Ten periods of background crime over a 6 km square; a cluster in every period at one
        // place, another only in the last two periods at another.
        let mut rng = crate::near_repeat::SplitMix(4);
        let (mut x, mut y, mut period) = (vec![], vec![], vec![]);
        for p in 0..10 {
            for _ in 0..600 {
                x.push(400_000.0 + (rng.next() % 6000) as f64);
                y.push(280_000.0 + (rng.next() % 6000) as f64);
                period.push(p);
            }
            for k in 0..25 {
                x.push(401_010.0 + (k % 5) as f64 * 40.0);
                y.push(281_010.0 + (k / 5) as f64 * 40.0);
                period.push(p);
                if p >= 8 {
                    x.push(404_510.0 + (k % 5) as f64 * 40.0);
                    y.push(284_510.0 + (k / 5) as f64 * 40.0);
                    period.push(p);
                }
            }
        }
        let area: Vec<(f64, f64)> = (0..24)
            .flat_map(|i| (0..24).map(move |j| (400_125.0 + i as f64 * 250.0, 280_125.0 + j as f64 * 250.0)))
            .collect();
        let area = StudyArea::Postcodes(area);
        let cells = classify_cells(&x, &y, &period, 10, &area, 250.0, 1.5).unwrap();
        let class_of = |e: f64, n: f64| {
            cells.iter().find(|c| c.col == (e / 250.0) as i64 && c.row == (n / 250.0) as i64).unwrap().class
        };
        assert_eq!(class_of(401_100.0, 281_100.0), SpotClass::PersistentHotspot);
        assert_eq!(class_of(404_600.0, 284_600.0), SpotClass::EmergingHotspot);
        assert_eq!(cells[0].class, SpotClass::PersistentHotspot, "persistent first");
        let patterned = cells.iter().filter(|c| c.class != SpotClass::NoPattern).count();
        assert!(patterned < cells.len() / 4, "most of the area has no pattern: {patterned} of {}", cells.len());
        assert!(classify_cells(&x, &y, &period, 1, &area, 250.0, 1.5).is_err());
    }
}
