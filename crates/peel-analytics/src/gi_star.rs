//! Getis-Ord Gi* hotspots on a grid (issue 12): for each cell, how far the crime (or harm)
//! in it and its neighbours stands above or below what the whole area's mean would put there,
//! as a z-score; p-values by the normal approximation and, if asked, by conditional
//! permutation; false-discovery-rate correction (Benjamini–Hochberg); and the classification
//! of cells over periods as R's sfhotspot `hotspot_classify` makes it (persistent, emerging,
//! former, intermittent hot and cold spots).
//!
//! The statistic (Getis and Ord 1995, with binary weights, the cell itself included):
//!
//! ```text
//! Gi* = (Σⱼ wᵢⱼ xⱼ − X̄ Wᵢ) / (S √((n Wᵢ − Wᵢ²) / (n − 1)))
//! ```
//!
//! with Wᵢ the number of cells within the distance band of cell i (itself included), X̄ and S
//! the mean and standard deviation (divisor n) of all n cells' values. The cells are the whole
//! study area, empty ones included (a hotspot is relative to the area, so the caller says what
//! the area is). p-values by the normal approximation are two-sided, as sfhotspot's.
//!
//! Permutation (conditional randomisation, as PySAL's `esda`): the cell keeps its value and
//! its Wᵢ − 1 neighbours' values are drawn at random from the other cells. Cells with the same
//! number of neighbours share one set of draws — the draws for a cell differ from those for
//! another only by the one value each excludes, a difference of order 1/n (under 1e-5 on a
//! force's 100,000-odd cells) — so the cost is the permutations times the distinct
//! neighbourhood sizes, not times the cells. p_sim is folded, as esda's: the share of draws
//! at least as extreme on the side the observed sum lies.

use serde::Serialize;
use std::collections::HashMap;

/// What the classification of cells over periods takes (sfhotspot `hotspot_classify_params`
/// defaults).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassifyParams {
    /// The least share of periods (or of the older periods, for a former spot) a cell must be
    /// significant in to be a spot of any kind.
    pub hotspot_prop: f64,
    /// The least share of periods for a persistent spot.
    pub persistent_prop: f64,
    /// The share of periods, the last ones, that are recent; and the least share of recent
    /// periods an emerging spot is significant in.
    pub recent_prop: f64,
    /// p below this is significant.
    pub critical_p: f64,
}

impl Default for ClassifyParams {
    fn default() -> Self {
        ClassifyParams { hotspot_prop: 0.1, persistent_prop: 0.8, recent_prop: 0.2, critical_p: 0.05 }
    }
}

/// A cell's class over the periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpotClass {
    PersistentHotspot,
    EmergingHotspot,
    FormerHotspot,
    IntermittentHotspot,
    PersistentColdspot,
    EmergingColdspot,
    FormerColdspot,
    IntermittentColdspot,
    /// Both a hot and a cold class in different periods.
    MixedHotColdspot,
    NoPattern,
}

impl SpotClass {
    pub fn label(self) -> &'static str {
        match self {
            SpotClass::PersistentHotspot => "persistent hotspot",
            SpotClass::EmergingHotspot => "emerging hotspot",
            SpotClass::FormerHotspot => "former hotspot",
            SpotClass::IntermittentHotspot => "intermittent hotspot",
            SpotClass::PersistentColdspot => "persistent coldspot",
            SpotClass::EmergingColdspot => "emerging coldspot",
            SpotClass::FormerColdspot => "former coldspot",
            SpotClass::IntermittentColdspot => "intermittent coldspot",
            SpotClass::MixedHotColdspot => "mixed hot/coldspot",
            SpotClass::NoPattern => "no pattern",
        }
    }
}

/// Gi* of every cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GiStar {
    pub z: Vec<f64>,
    /// Two-sided, by the normal approximation.
    pub p_norm: Vec<f64>,
    /// Folded, by conditional permutation (none without permutations).
    pub p_sim: Option<Vec<f64>>,
    /// Each cell's number of cells within the band, itself included.
    pub neighbours: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum GiError {
    /// Fewer than two cells, or cells and values of different lengths.
    Cells(String),
    /// A distance band under one cell.
    Band(f64),
    /// Every cell has the same value: nothing stands out, and z is undefined.
    NoVariation,
    /// A value that is not a finite number.
    NotANumber(usize),
}

impl std::fmt::Display for GiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GiError::Cells(m) => write!(f, "{m}"),
            GiError::Band(b) => {
                write!(
                    f,
                    "a distance band of {b} cells: it is 1 (the next cell) to {MAX_BAND} cells, in cells, not metres"
                )
            }
            GiError::NoVariation => write!(f, "every cell has the same value: no cell stands out"),
            GiError::NotANumber(i) => write!(f, "cell {i}'s value is not a number"),
        }
    }
}

impl std::error::Error for GiError {}

/// The widest distance band, in cells: a neighbourhood of about 7,850 cells.
pub const MAX_BAND: f64 = 50.0;
/// The most permutations (esda's and the Near Repeat Calculator's 999 is usual).
pub const MAX_PERMUTATIONS: usize = 99_999;

/// The offsets (in cells) within `band` cells, centre to centre, the cell itself included.
fn offsets(band: f64) -> Vec<(i32, i32)> {
    let r = band.floor() as i32;
    let mut out = Vec::new();
    for dc in -r..=r {
        for dr in -r..=r {
            if ((dc * dc + dr * dr) as f64) <= band * band + 1e-9 {
                out.push((dc, dr));
            }
        }
    }
    out
}

/// Gi* of the `cells` (grid column and row) with their `values`, neighbours within `band`
/// cells (1.5 takes the eight around; sfhotspot's default is √2), `permutations` draws for
/// p_sim (0 for none) from `seed`.
pub fn gi_star(
    cells: &[(i32, i32)],
    values: &[f64],
    band: f64,
    permutations: usize,
    seed: u64,
) -> Result<GiStar, GiError> {
    let n = cells.len();
    if n != values.len() {
        return Err(GiError::Cells(format!("{n} cells but {} values", values.len())));
    }
    if n < 2 {
        return Err(GiError::Cells(format!("{n} cells: Gi* compares a cell with the rest, so it needs two")));
    }
    if !(band.is_finite() && (1.0..=MAX_BAND).contains(&band)) {
        return Err(GiError::Band(band));
    }
    if permutations > MAX_PERMUTATIONS {
        return Err(GiError::Cells(format!("{permutations} permutations: at most {MAX_PERMUTATIONS}")));
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(GiError::NotANumber(i));
    }
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / nf;
    if var <= 0.0 {
        return Err(GiError::NoVariation);
    }
    let s = var.sqrt();
    let index: HashMap<(i32, i32), u32> = cells.iter().enumerate().map(|(i, c)| (*c, i as u32)).collect();
    let offs = offsets(band);
    let mut lag = vec![0.0f64; n];
    let mut neighbours = vec![0u32; n];
    for (i, &(c, r)) in cells.iter().enumerate() {
        let (mut sum, mut w) = (0.0, 0u32);
        for &(dc, dr) in &offs {
            if let Some(&j) = index.get(&(c + dc, r + dr)) {
                sum += values[j as usize];
                w += 1;
            }
        }
        lag[i] = sum;
        neighbours[i] = w;
    }
    let z_of = |sum: f64, w: u32| {
        let w = w as f64;
        let denom = s * ((nf * w - w * w) / (nf - 1.0)).sqrt();
        if denom > 0.0 {
            (sum - mean * w) / denom
        } else {
            0.0
        }
    };
    let z: Vec<f64> = (0..n).map(|i| z_of(lag[i], neighbours[i])).collect();
    let p_norm = z.iter().map(|&z| 2.0 * normal_upper_tail(z.abs())).collect();
    let p_sim = (permutations > 0).then(|| permutation_p(values, &lag, &neighbours, permutations, seed));
    Ok(GiStar { z, p_norm, p_sim, neighbours })
}

/// Folded permutation p-values: for each distinct neighbourhood size w, `permutations` sums of
/// w − 1 values drawn without replacement from all cells, sorted; each cell's p from where its
/// neighbours' sum (its lag less its own value) falls among its size's sums.
fn permutation_p(values: &[f64], lag: &[f64], neighbours: &[u32], permutations: usize, seed: u64) -> Vec<f64> {
    let n = values.len();
    let mut sizes: Vec<u32> = neighbours.to_vec();
    sizes.sort_unstable();
    sizes.dedup();
    let mut pool = values.to_vec();
    let mut rng = crate::near_repeat::SplitMix(seed);
    let mut sums_by_size: HashMap<u32, Vec<f64>> = HashMap::new();
    for &w in &sizes {
        let k = (w as usize).saturating_sub(1).min(n - 1);
        let mut sums = Vec::with_capacity(permutations);
        for _ in 0..permutations {
            // A partial Fisher-Yates shuffle: the first k of the pool are a random draw.
            let mut sum = 0.0;
            for i in 0..k {
                let j = i + rng.below(n - i);
                pool.swap(i, j);
                sum += pool[i];
            }
            sums.push(sum);
        }
        sums.sort_by(f64::total_cmp);
        sums_by_size.insert(w, sums);
    }
    (0..n)
        .map(|i| {
            let sums = &sums_by_size[&neighbours[i]];
            let observed = lag[i] - values[i];
            let mean = sums.iter().sum::<f64>() / sums.len() as f64;
            // At least as extreme, on the side the observed lies (1e-9: sums of the same
            // values in another order differ in the last bits).
            let extreme = if observed >= mean {
                sums.len() - sums.partition_point(|s| *s < observed - 1e-9)
            } else {
                sums.partition_point(|s| *s <= observed + 1e-9)
            };
            (1 + extreme) as f64 / (1 + permutations) as f64
        })
        .collect()
}

/// Benjamini–Hochberg adjusted p-values (R's `p.adjust(p, "BH")`).
pub fn fdr_adjust(p: &[f64]) -> Vec<f64> {
    let n = p.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| p[*b].total_cmp(&p[*a]));
    let mut out = vec![0.0; n];
    let mut running = 1.0f64;
    for (rank_from_top, &i) in order.iter().enumerate() {
        let rank = n - rank_from_top;
        running = running.min(p[i] * n as f64 / rank as f64);
        out[i] = running.min(1.0);
    }
    out
}

/// P(Z > z) for a standard normal Z: erfc by W. J. Cody's rational approximations (relative
/// error under 1e-14), so that p-values are right far into the tail.
pub fn normal_upper_tail(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

// Cody's coefficients as published (more digits than an f64 holds, left as printed so that
// they can be checked against the paper).
#[allow(clippy::excessive_precision)]
fn erfc(x: f64) -> f64 {
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 0.5 {
        return 1.0 - erf_small(x);
    }
    if x > 27.0 {
        return 0.0;
    }
    // Cody (1969), erfc for 0.5 <= x <= 4 and x > 4.
    if x <= 4.0 {
        const P: [f64; 9] = [
            5.641_884_969_886_700_9e-1,
            8.883_149_794_388_375_9,
            6.611_919_063_714_162_9e1,
            2.986_351_381_974_001_3e2,
            8.819_522_212_417_690_9e2,
            1.712_047_612_634_070_6e3,
            2.051_078_377_826_071_5e3,
            1.230_339_354_797_997_3e3,
            2.153_115_354_744_038_5e-8,
        ];
        const Q: [f64; 8] = [
            1.574_492_611_070_983_5e1,
            1.176_939_508_913_125e2,
            5.371_811_018_620_098_6e2,
            1.621_389_574_566_690_2e3,
            3.290_799_235_733_459_6e3,
            4.362_619_090_143_247e3,
            3.439_367_674_143_721_6e3,
            1.230_339_354_803_749_4e3,
        ];
        let mut num = P[8] * x;
        let mut den = x;
        for i in 0..7 {
            num = (num + P[i]) * x;
            den = (den + Q[i]) * x;
        }
        let r = (num + P[7]) / (den + Q[7]);
        return r * (-x * x).exp();
    }
    const P: [f64; 6] = [
        3.053_266_349_612_323_4e-1,
        3.603_448_999_498_044_4e-1,
        1.257_817_261_112_292_5e-1,
        1.608_378_514_874_227_7e-2,
        6.587_491_615_298_378_3e-4,
        1.631_538_713_730_709_6e-2,
    ];
    const Q: [f64; 5] = [
        2.568_520_192_289_822_4,
        1.872_952_849_923_460_4,
        5.279_051_029_514_284_1e-1,
        6.051_834_131_244_131_9e-2,
        2.335_204_976_268_691_9e-3,
    ];
    let z = 1.0 / (x * x);
    let mut num = P[5] * z;
    let mut den = z;
    for i in 0..4 {
        num = (num + P[i]) * z;
        den = (den + Q[i]) * z;
    }
    let r = z * (num + P[4]) / (den + Q[4]);
    let r = (1.0 / std::f64::consts::PI.sqrt() - r) / x;
    r * (-x * x).exp()
}

/// erf for |x| < 0.5 (Cody's first interval).
#[allow(clippy::excessive_precision)]
fn erf_small(x: f64) -> f64 {
    const A: [f64; 5] = [
        3.161_123_743_870_565_6,
        1.138_641_541_510_501_6e2,
        3.774_852_376_853_020_2e2,
        3.209_377_589_138_469_5e3,
        1.857_777_061_846_031_5e-1,
    ];
    const B: [f64; 4] =
        [2.360_129_095_234_412_1e1, 2.440_246_379_344_441_7e2, 1.282_616_526_077_372_3e3, 2.844_236_833_439_170_6e3];
    let z = x * x;
    let mut num = A[4] * z;
    let mut den = z;
    for i in 0..3 {
        num = (num + A[i]) * z;
        den = (den + B[i]) * z;
    }
    x * (num + A[3]) / (den + B[3])
}

/// Each cell's class from its Gi* in each period (`periods[t][cell] = (z, p)`), as sfhotspot's
/// `hotspot_classify` (periods oldest first). One difference, on purpose: sfhotspot counts the
/// last `recent` + 1 periods as recent while dividing by `recent`; here the recent periods are
/// the last ⌊recent_prop × periods⌋ (at least one), counted and divided alike.
pub fn classify(periods: &[Vec<(f64, f64)>], params: ClassifyParams) -> Result<Vec<SpotClass>, GiError> {
    let t = periods.len();
    let Some(first) = periods.first() else { return Err(GiError::Cells("no periods to classify".into())) };
    let n = first.len();
    if periods.iter().any(|p| p.len() != n) {
        return Err(GiError::Cells("every period must hold the same cells".into()));
    }
    let recent = ((params.recent_prop * t as f64).floor() as usize).max(1);
    if t - recent.min(t) < 1 {
        return Err(GiError::Cells(format!(
            "{t} periods: classification needs at least one recent and one older period"
        )));
    }
    let older = t - recent;
    Ok((0..n)
        .map(|c| {
            let sig = |p: &Vec<(f64, f64)>, hot: bool| {
                let (z, pv) = p[c];
                pv < params.critical_p && if hot { z > 0.0 } else { z <= 0.0 }
            };
            let class = |hot: bool| {
                let all = periods.iter().filter(|p| sig(p, hot)).count() as f64 / t as f64;
                let old = periods[..older].iter().filter(|p| sig(p, hot)).count() as f64 / older as f64;
                let new = periods[older..].iter().filter(|p| sig(p, hot)).count() as f64 / recent as f64;
                if all >= params.persistent_prop {
                    Some(0)
                } else if old < params.hotspot_prop && new >= params.recent_prop {
                    Some(1)
                } else if old >= params.hotspot_prop && new < params.hotspot_prop {
                    Some(2)
                } else if all >= params.hotspot_prop {
                    Some(3)
                } else {
                    None
                }
            };
            use SpotClass::*;
            match (class(true), class(false)) {
                (Some(_), Some(_)) => MixedHotColdspot,
                (Some(k), None) => [PersistentHotspot, EmergingHotspot, FormerHotspot, IntermittentHotspot][k],
                (None, Some(k)) => [PersistentColdspot, EmergingColdspot, FormerColdspot, IntermittentColdspot][k],
                (None, None) => NoPattern,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(side: i32) -> Vec<(i32, i32)> {
        (0..side).flat_map(|c| (0..side).map(move |r| (c, r))).collect()
    }

    /// Gi* written out the slow way: every pair of cells.
    fn direct(cells: &[(i32, i32)], x: &[f64], band: f64) -> Vec<f64> {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let s = (x.iter().map(|v| v * v).sum::<f64>() / n - mean * mean).sqrt();
        cells
            .iter()
            .map(|a| {
                let (mut sum, mut w) = (0.0, 0.0);
                for (b, v) in cells.iter().zip(x) {
                    let d = (((a.0 - b.0).pow(2) + (a.1 - b.1).pow(2)) as f64).sqrt();
                    if d <= band {
                        sum += v;
                        w += 1.0;
                    }
                }
                (sum - mean * w) / (s * ((n * w - w * w) / (n - 1.0)).sqrt())
            })
            .collect()
    }

    fn values(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = crate::near_repeat::SplitMix(seed);
        (0..n).map(|_| rng.below(6) as f64).collect()
    }

    #[test]
    fn z_scores_are_the_formula_written_out() {
        let cells = square(30);
        let x = values(cells.len(), 4);
        for band in [1.0, 1.5, 2.0, 3.2] {
            let g = gi_star(&cells, &x, band, 0, 1).unwrap();
            for (a, b) in g.z.iter().zip(direct(&cells, &x, band)) {
                assert!((a - b).abs() < 1e-9, "band {band}: {a} against {b}");
            }
        }
        let g = gi_star(&cells, &x, 1.5, 0, 1).unwrap();
        assert_eq!(g.neighbours[0], 4, "a corner has three around it and itself");
        assert_eq!(g.neighbours[31], 9);
    }

    #[test]
    fn a_planted_cluster_is_the_top_hotspot_and_significant() {
        let cells = square(40);
        let mut x = values(cells.len(), 9);
        // Crime piled into a 3 × 3 block around (20, 20).
        for (i, c) in cells.iter().enumerate() {
            if (19..=21).contains(&c.0) && (19..=21).contains(&c.1) {
                x[i] += 12.0;
            }
        }
        let g = gi_star(&cells, &x, 1.5, 999, 7).unwrap();
        let top = (0..cells.len()).max_by(|a, b| g.z[*a].total_cmp(&g.z[*b])).unwrap();
        assert_eq!(cells[top], (20, 20));
        assert!(g.p_norm[top] < 1e-10, "{}", g.p_norm[top]);
        let sim = g.p_sim.as_ref().unwrap();
        assert!((sim[top] - 0.001).abs() < 1e-12, "no draw reaches it: {}", sim[top]);
        // Far from the block, nothing much.
        let far = cells.iter().position(|c| *c == (5, 5)).unwrap();
        assert!(g.z[far].abs() < 3.0 && sim[far] > 0.01, "{} {}", g.z[far], sim[far]);
        // With the false discovery rate controlled, fewer cells are significant, the block's still.
        let adjusted = fdr_adjust(&g.p_norm);
        assert!(adjusted[top] < 1e-8);
        let before = g.p_norm.iter().filter(|p| **p < 0.05).count();
        let after = adjusted.iter().filter(|p| **p < 0.05).count();
        assert!(after <= before && after >= 9, "{before} {after}");
    }

    #[test]
    fn permutation_p_values_are_conditional_randomisation_cell_by_cell() {
        let cells = square(50);
        let x = values(cells.len(), 3);
        let g = gi_star(&cells, &x, 1.5, 999, 5).unwrap();
        let sim = g.p_sim.as_ref().unwrap();
        // The slow way for a sample of cells: each cell's own draws, from every cell but itself.
        let mut rng = crate::near_repeat::SplitMix(77);
        let (mut total, mut worst, mut checked) = (0.0, 0.0f64, 0);
        for i in (0..cells.len()).step_by(13) {
            let others: Vec<f64> = (0..cells.len()).filter(|j| *j != i).map(|j| x[j]).collect();
            let k = g.neighbours[i] as usize - 1;
            let observed = (0..cells.len())
                .filter(|j| *j != i && ((cells[i].0 - cells[*j].0).pow(2) + (cells[i].1 - cells[*j].1).pow(2)) <= 2)
                .map(|j| x[j])
                .sum::<f64>();
            let mut sums = vec![];
            for _ in 0..4999 {
                let mut pool = others.clone();
                let mut s = 0.0;
                for a in 0..k {
                    let b = a + rng.below(pool.len() - a);
                    pool.swap(a, b);
                    s += pool[a];
                }
                sums.push(s);
            }
            let mean = sums.iter().sum::<f64>() / sums.len() as f64;
            let extreme = if observed >= mean {
                sums.iter().filter(|s| **s >= observed - 1e-9).count()
            } else {
                sums.iter().filter(|s| **s <= observed + 1e-9).count()
            };
            let slow = (1 + extreme) as f64 / (1 + sums.len()) as f64;
            total += (slow - sim[i]).abs();
            worst = worst.max((slow - sim[i]).abs());
            checked += 1;
        }
        // Within the Monte-Carlo error of 999 draws (a standard error of at most 0.016).
        let mean = total / checked as f64;
        assert!(mean < 0.02 && worst < 0.08, "mean {mean} worst {worst}");
        let significant = g.p_norm.iter().filter(|p| **p < 0.05).count() as f64 / cells.len() as f64;
        assert!(significant < 0.09, "about 5% by chance: {significant}");
    }

    #[test]
    fn benjamini_hochberg_as_r_gives_it() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH") = 0.025 0.05 0.05 0.025 0.5
        let got = fdr_adjust(&[0.01, 0.04, 0.03, 0.005, 0.5]);
        for (a, b) in got.iter().zip([0.025, 0.05, 0.05, 0.025, 0.5]) {
            assert!((a - b).abs() < 1e-12, "{got:?}");
        }
    }

    #[test]
    fn the_normal_tail_is_right_far_out() {
        // Φ(-1.959964) = 0.025; Φ(-3) = 0.0013498980316301; Φ(-8) = 6.22096057427178e-16.
        assert!((normal_upper_tail(1.959_963_984_540_054) - 0.025).abs() < 1e-15);
        assert!((normal_upper_tail(3.0) / 0.001_349_898_031_630_094_6 - 1.0).abs() < 1e-12);
        assert!((normal_upper_tail(8.0) / 6.220_960_574_271_784e-16 - 1.0).abs() < 1e-10);
        assert!((normal_upper_tail(0.3) - (1.0 - normal_upper_tail(-0.3))).abs() < 1e-15);
        assert!((normal_upper_tail(0.0) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn cells_are_classified_as_sfhotspot_does() {
        // Ten periods of four cells: (z, p) each.
        let hot = (3.0, 0.001);
        let cold = (-3.0, 0.001);
        let none = (0.2, 0.8);
        let periods: Vec<Vec<(f64, f64)>> = (0..10)
            .map(|t| {
                vec![
                    hot,                                        // persistent
                    if t >= 8 { hot } else { none },            // emerging: only the last two
                    if t < 3 { hot } else { none },             // former
                    if t == 1 || t == 9 { cold } else { none }, // intermittent cold
                    if t == 0 {
                        hot
                    } else if t == 9 {
                        cold
                    } else {
                        none
                    }, // mixed
                ]
            })
            .collect();
        let got = classify(&periods, ClassifyParams::default()).unwrap();
        use SpotClass::*;
        assert_eq!(
            got,
            vec![PersistentHotspot, EmergingHotspot, FormerHotspot, IntermittentColdspot, MixedHotColdspot]
        );
        assert!(classify(&periods[..1], ClassifyParams::default()).is_err(), "one period has no older one");
    }

    #[test]
    fn bad_input_is_refused() {
        assert!(matches!(gi_star(&[(0, 0)], &[1.0], 1.5, 0, 1), Err(GiError::Cells(_))));
        assert_eq!(gi_star(&[(0, 0), (0, 1)], &[1.0, 1.0], 1.5, 0, 1), Err(GiError::NoVariation));
        assert_eq!(gi_star(&[(0, 0), (0, 1)], &[1.0, 2.0], 0.5, 0, 1), Err(GiError::Band(0.5)));
        assert_eq!(gi_star(&[(0, 0), (0, 1)], &[1.0, 2.0], 250.0, 0, 1), Err(GiError::Band(250.0)));
        assert!(matches!(gi_star(&[(0, 0), (0, 1)], &[1.0, 2.0], 1.5, 1_000_000, 1), Err(GiError::Cells(_))));
        assert_eq!(gi_star(&[(0, 0), (0, 1)], &[1.0, f64::NAN], 1.5, 0, 1), Err(GiError::NotANumber(1)));
    }
}
