//! Near repeat: the Knox test over distance and time bands, as Ratcliffe's Near Repeat
//! Calculator tabulates it (issue 12; seeds 001 §94–100 and 004 §21–27 ask where and when
//! crime is likely next). Every pair of crimes is counted in the cell of its distance band and
//! its time band; the counts are then compared with what the same places would give if the
//! days were shuffled among them (Monte-Carlo permutation, 999 by default): a cell that holds
//! many more pairs than the shuffles do says that crime near here follows crime here within
//! that time — a near repeat (or, in the first row, a repeat at the same place).
//!
//! Definitions, as the calculator's:
//! - distance bands: "same location" (the same grid point: Peel's points are whole metres, so
//!   under 1 m), then bands of `metres` each — the first from 1 m up to `metres`, the next from
//!   `metres` up to twice that, … — and "more than" the last;
//! - time bands: whole days between the two crimes, `days` a band — 0 to `days`−1, `days` to
//!   2×`days`−1, … — and "more than" the last (the calculator's "0 to 7 days" is `days` = 8);
//! - expected: the mean count of a cell over the permutations; ratio: observed ÷ expected;
//!   p-value: (1 + permutations with a count at least the observed) ÷ (1 + permutations).
//!
//! Why it is fast: a permutation moves days, never places, so the pairs close in space are
//! found once (a grid of cells as wide as the farthest band) and each permutation only re-bins
//! their day differences; the pairs beyond the last distance band are every pair's time bands
//! (which no shuffle of the same days changes) less the close pairs'. Permutations run on every
//! core, each from its own seed, so the answer is the same on any machine.

use serde::Serialize;
use std::collections::HashMap;

/// Crimes closer than this are at the same place.
pub const SAME_PLACE_METRES: f64 = 1.0;
/// The most pairs close in space the test holds (8 bytes each, up to twice that while a
/// vector grows): more means bands too wide for the events (narrow them, or take fewer
/// months).
pub const MAX_CLOSE_PAIRS: usize = 200_000_000;

/// The bands of the table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KnoxBands {
    /// Width of a distance band, metres (the calculator's spatial bandwidth).
    pub metres: f64,
    /// Distance bands after "same location", before "more than".
    pub distance_bands: usize,
    /// Width of a time band, whole days.
    pub days: u32,
    /// Time bands before "more than".
    pub day_bands: usize,
}

impl Default for KnoxBands {
    /// 200 m bands to 1 km and week-long bands to four weeks: the scale at which burglary's
    /// near repeats are reported (Johnson and Bowers; Ratcliffe's calculator examples).
    fn default() -> Self {
        KnoxBands { metres: 200.0, distance_bands: 5, days: 7, day_bands: 4 }
    }
}

/// One band, as the table's row or column heading says it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub label: String,
    /// From (inclusive) and to (exclusive; none for "more than"), metres or days.
    pub from: f64,
    pub to: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnoxCell {
    pub observed: u64,
    /// Mean count over the permutations.
    pub expected: f64,
    /// Observed ÷ expected; none where nothing is expected.
    pub ratio: Option<f64>,
    pub p_value: f64,
}

/// The Knox table: rows distance bands, columns time bands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnoxTable {
    pub events: usize,
    /// Every pair of events.
    pub pairs: u64,
    /// Pairs within the last distance band.
    pub close_pairs: u64,
    pub permutations: usize,
    pub seed: u64,
    pub bands: KnoxBands,
    pub distance_bands: Vec<Band>,
    pub day_bands: Vec<Band>,
    /// `[distance band][time band]`.
    pub cells: Vec<Vec<KnoxCell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum KnoxError {
    /// Fewer than two events: no pair to count.
    TooFewEvents(usize),
    /// The bands make no sense (zero or negative widths, no bands, or too many).
    Bands(String),
    /// More close pairs than [`MAX_CLOSE_PAIRS`].
    TooManyPairs,
    /// A coordinate that is not a number.
    NotANumber(usize),
}

impl std::fmt::Display for KnoxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KnoxError::TooFewEvents(n) => write!(f, "{n} events: the test needs at least two"),
            KnoxError::Bands(m) => write!(f, "{m}"),
            KnoxError::TooManyPairs => write!(
                f,
                "more than {MAX_CLOSE_PAIRS} pairs of events fall within the distance bands: narrow the bands or \
                 take fewer events"
            ),
            KnoxError::NotANumber(i) => write!(f, "event {i} has a coordinate that is not a number"),
        }
    }
}

impl std::error::Error for KnoxError {}

/// The events as columns: grid metres (British National Grid) and a day number each.
#[derive(Debug, Clone, Copy)]
pub struct Events<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    pub day: &'a [i32],
}

impl KnoxBands {
    fn check(&self) -> Result<(), KnoxError> {
        let ok = self.metres.is_finite()
            && self.metres >= SAME_PLACE_METRES
            && (1..=50).contains(&self.distance_bands)
            && (1..=3650).contains(&self.days)
            && (1..=52).contains(&self.day_bands)
            && self.metres * self.distance_bands as f64 <= 100_000.0;
        if ok {
            Ok(())
        } else {
            Err(KnoxError::Bands(format!(
                "bands of {} m × {} and {} days × {}: a distance band is at least 1 m, with 1 to 50 bands reaching \
                 at most 100 km; a time band is 1 to 3,650 days, with 1 to 52 bands",
                self.metres, self.distance_bands, self.days, self.day_bands
            )))
        }
    }

    fn rows(&self) -> usize {
        self.distance_bands + 2
    }

    fn cols(&self) -> usize {
        self.day_bands + 1
    }

    /// The farthest distance of the last band.
    fn reach(&self) -> f64 {
        self.metres * self.distance_bands as f64
    }

    /// The row of a distance under [`Self::reach`].
    fn row(&self, d: f64) -> u8 {
        if d < SAME_PLACE_METRES {
            0
        } else {
            (1 + ((d / self.metres) as usize).min(self.distance_bands - 1)) as u8
        }
    }

    fn headings(&self) -> (Vec<Band>, Vec<Band>) {
        let m = |v: f64| thousands(v);
        let mut rows = vec![Band { label: "Same location".into(), from: 0.0, to: Some(SAME_PLACE_METRES) }];
        for k in 0..self.distance_bands {
            let (from, to) = ((k as f64 * self.metres).max(SAME_PLACE_METRES), (k + 1) as f64 * self.metres);
            rows.push(Band { label: format!("{} to {} m", m(from), m(to)), from, to: Some(to) });
        }
        rows.push(Band { label: format!("{} m or more", m(self.reach())), from: self.reach(), to: None });
        let mut cols = Vec::new();
        for k in 0..self.day_bands as u32 {
            let (from, to) = (k * self.days, (k + 1) * self.days);
            let label = if self.days == 1 { format!("{from} days") } else { format!("{from} to {} days", to - 1) };
            cols.push(Band { label, from: from as f64, to: Some(to as f64) });
        }
        let last = self.days * self.day_bands as u32;
        cols.push(Band { label: format!("{last} days or more"), from: last as f64, to: None });
        (rows, cols)
    }
}

/// A whole number with thousands separators, for band labels.
fn thousands(v: f64) -> String {
    let s = format!("{}", v.round() as i64);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 && c != '-' {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The pairs of events within the bands' reach (i < j), grouped by distance row as they are
/// found: each row's pairs as two columns (i, j), in (i, j) order.
fn close_pairs(e: &Events, bands: &KnoxBands) -> Result<ByRow, KnoxError> {
    let reach = bands.reach();
    let cell_of = |k: usize| ((e.x[k] / reach).floor() as i64, (e.y[k] / reach).floor() as i64);
    let mut cells: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for k in 0..e.x.len() {
        cells.entry(cell_of(k)).or_default().push(k as u32);
    }
    let mut out = ByRow { rows: vec![(vec![], vec![]); bands.rows() - 1], pairs: 0 };
    let reach2 = reach * reach;
    for a in 0..e.x.len() {
        let (cx, cy) = cell_of(a);
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(list) = cells.get(&(cx + dx, cy + dy)) else { continue };
                for &b in list {
                    if (b as usize) <= a {
                        continue;
                    }
                    let (ddx, ddy) = (e.x[a] - e.x[b as usize], e.y[a] - e.y[b as usize]);
                    let d2 = ddx * ddx + ddy * ddy;
                    if d2 < reach2 {
                        if out.pairs == MAX_CLOSE_PAIRS {
                            return Err(KnoxError::TooManyPairs);
                        }
                        let row = &mut out.rows[bands.row(d2.sqrt()) as usize];
                        row.0.push(a as u32);
                        row.1.push(b);
                        out.pairs += 1;
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Pairs (i < j) of sorted `days` less than `d` days apart.
fn pairs_within(sorted: &[i32], d: i64) -> u64 {
    let mut count = 0u64;
    let mut hi = 0usize;
    for i in 0..sorted.len() {
        hi = hi.max(i + 1);
        while hi < sorted.len() && (sorted[hi] as i64 - sorted[i] as i64) < d {
            hi += 1;
        }
        count += (hi - i - 1) as u64;
    }
    count
}

/// Every pair's time band, counted: what no permutation of the days changes.
fn all_pairs_by_day_band(days: &[i32], bands: &KnoxBands) -> Vec<u64> {
    let mut sorted = days.to_vec();
    sorted.sort_unstable();
    let n = sorted.len() as u64;
    let total = n * n.saturating_sub(1) / 2;
    let mut below = vec![0u64];
    for k in 1..=bands.day_bands {
        below.push(pairs_within(&sorted, k as i64 * bands.days as i64));
    }
    let mut out: Vec<u64> = below.windows(2).map(|w| w[1] - w[0]).collect();
    out.push(total - below[bands.day_bands]);
    out
}

/// A small, fast, seedable generator (SplitMix64): the permutations need speed and
/// reproducibility, not cryptographic strength.
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift, its tiny bias irrelevant here).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }
}

/// Permutations counted in one pass over the close pairs.
const LANES: usize = 16;

/// The close pairs grouped by distance row (all rows but the last, "more than"), each group in
/// (i, j) order: a row's pairs are counted by time band with one set of counters.
struct ByRow {
    /// Row r's pairs: the first events and the second.
    rows: Vec<(Vec<u32>, Vec<u32>)>,
    pairs: usize,
}

impl ByRow {
    /// For each lane, the close pairs' table (row-major, `cols` wide; the last row left for
    /// the caller): a pair is below bound k when its days differ by less than `bounds[k]`.
    fn count(&self, lanes: &[[i16; LANES]], bounds: &[i16], rows: usize, cols: usize) -> Vec<Vec<u64>> {
        let mut out = vec![vec![0u64; rows * cols]; LANES];
        for (r, (i, j)) in self.rows.iter().enumerate() {
            let below = below_bounds(i, j, lanes, bounds);
            let all = i.len() as u64;
            for (l, table) in out.iter_mut().enumerate() {
                let mut before = 0u64;
                for (k, counts) in below.iter().enumerate() {
                    let under = u64::from(counts[l]);
                    table[r * cols + k] = under - before;
                    before = under;
                }
                table[r * cols + cols - 1] = all - before;
            }
        }
        out
    }
}

/// For pairs (`i`, `j`) and each bound k, how many pairs' days differ by less than
/// `bounds[k]`, lane by lane. The hot loop of the test: written so that the lanes are one
/// vector operation, and compiled twice — for AVX2 where the processor has it (chosen at run
/// time), and for the baseline x86-64 or other target otherwise.
fn below_bounds(i: &[u32], j: &[u32], lanes: &[[i16; LANES]], bounds: &[i16]) -> Vec<[u32; LANES]> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2 (checked just above), the one requirement of a
            // function compiled with it enabled; the function itself is safe code.
            return unsafe { below_bounds_avx2(i, j, lanes, bounds) };
        }
    }
    below_bounds_portable(i, j, lanes, bounds)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn below_bounds_avx2(i: &[u32], j: &[u32], lanes: &[[i16; LANES]], bounds: &[i16]) -> Vec<[u32; LANES]> {
    below_bounds_portable(i, j, lanes, bounds)
}

#[inline(always)]
fn below_bounds_portable(i: &[u32], j: &[u32], lanes: &[[i16; LANES]], bounds: &[i16]) -> Vec<[u32; LANES]> {
    // The usual four time bands with their counters held in registers; any other number
    // through the same code with the number known at compile time, up to eight.
    match bounds.len() {
        1 => below_k::<1>(i, j, lanes, bounds),
        2 => below_k::<2>(i, j, lanes, bounds),
        3 => below_k::<3>(i, j, lanes, bounds),
        4 => below_k::<4>(i, j, lanes, bounds),
        5 => below_k::<5>(i, j, lanes, bounds),
        6 => below_k::<6>(i, j, lanes, bounds),
        7 => below_k::<7>(i, j, lanes, bounds),
        8 => below_k::<8>(i, j, lanes, bounds),
        _ => {
            let mut below = vec![[0u32; LANES]; bounds.len()];
            for (k, b) in bounds.iter().enumerate() {
                below[k] = below_k::<1>(i, j, lanes, &[*b])[0];
            }
            below
        }
    }
}

/// [`below_bounds_portable`] for `K` bounds. A pair adds 0 or 1 to a 16-bit counter per lane
/// and bound (a compare and a subtract of its mask: one vector instruction each), and the
/// counters are added into 32-bit sums every 65,535 pairs, before they could overflow:
/// counting straight into 32-bit sums took widening each mask into two vectors first, three
/// times the instructions of the loop.
#[inline(always)]
fn below_k<const K: usize>(i: &[u32], j: &[u32], lanes: &[[i16; LANES]], bounds: &[i16]) -> Vec<[u32; LANES]> {
    let mut below = vec![[0u32; LANES]; K];
    let mut bound = [0i16; K];
    bound.copy_from_slice(&bounds[..K]);
    for (i, j) in i.chunks(u16::MAX as usize).zip(j.chunks(u16::MAX as usize)) {
        let mut acc = [[0u16; LANES]; K];
        for (a, b) in i.iter().zip(j) {
            let (a, b) = (&lanes[*a as usize], &lanes[*b as usize]);
            let mut d = [0i16; LANES];
            for l in 0..LANES {
                // No overflow: every day is 0..=i16::MAX after the first (checked in `knox`).
                d[l] = (a[l] - b[l]).abs();
            }
            for k in 0..K {
                for l in 0..LANES {
                    acc[k][l] += u16::from(d[l] < bound[k]);
                }
            }
        }
        for k in 0..K {
            for l in 0..LANES {
                below[k][l] += u32::from(acc[k][l]);
            }
        }
    }
    below
}

/// Counts the close pairs into `cells` (row-major, `cols` wide) by their day difference.
fn count_close(pairs: &ByRow, days: &[i32], band_of: &[u8], last: u8, cols: usize, cells: &mut [u64]) {
    for (r, (i, j)) in pairs.rows.iter().enumerate() {
        for (a, b) in i.iter().zip(j) {
            let d = (days[*a as usize] - days[*b as usize]).unsigned_abs() as usize;
            let col = band_of.get(d).copied().unwrap_or(last) as usize;
            cells[r * cols + col] += 1;
        }
    }
}

/// The Knox test of `events` over `bands`, with `permutations` shuffles of the days (0 for
/// the observed counts alone) from `seed`.
pub fn knox(events: Events, bands: KnoxBands, permutations: usize, seed: u64) -> Result<KnoxTable, KnoxError> {
    bands.check()?;
    let n = events.x.len();
    assert!(events.y.len() == n && events.day.len() == n, "event columns of one length");
    if n < 2 {
        return Err(KnoxError::TooFewEvents(n));
    }
    if let Some(k) = (0..n).find(|&k| !events.x[k].is_finite() || !events.y[k].is_finite()) {
        return Err(KnoxError::NotANumber(k));
    }
    let (lo, hi) = (events.day.iter().min().copied().unwrap_or(0), events.day.iter().max().copied().unwrap_or(0));
    if hi as i64 - lo as i64 >= i16::MAX as i64 {
        return Err(KnoxError::Bands(format!(
            "the events span {} days: the test takes at most {} (89 years)",
            hi as i64 - lo as i64,
            i16::MAX
        )));
    }
    let (rows, cols) = (bands.rows(), bands.cols());
    let pairs = close_pairs(&events, &bands)?;
    let all = all_pairs_by_day_band(events.day, &bands);
    // The band of each day difference under the last band's end, looked up, not divided.
    let band_of: Vec<u8> =
        (0..bands.days as usize * bands.day_bands).map(|d| (d / bands.days as usize) as u8).collect();
    let last = bands.day_bands as u8;
    // A table from the close pairs' counts: the last row is every pair's less the close ones'.
    let table = |close: &[u64]| -> Vec<u64> {
        let mut t = close.to_vec();
        for c in 0..cols {
            let near: u64 = (0..rows - 1).map(|r| close[r * cols + c]).sum();
            t[(rows - 1) * cols + c] = all[c] - near;
        }
        t
    };
    let mut close = vec![0u64; rows * cols];
    count_close(&pairs, events.day, &band_of, last, cols, &mut close);
    let observed = table(&close);

    // Each permutation k shuffles the days from its own seed: the same answer on any number
    // of threads. Permutations go in batches of LANES, their days side by side per event, so
    // that one pass over the close pairs serves the whole batch (the pairs are tens of
    // megabytes; the batch's days a megabyte) and the lanes' sums are vector instructions.
    // Each thread keeps its own sums and counts of "at least the observed".
    let batches = permutations.div_ceil(LANES);
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get()).min(batches.max(1));
    // Days relative to the first, in 16 bits: twice the lanes in a vector and half the memory
    // of the batch's days. A bound past the span is the span (every pair is under it).
    let first = *events.day.iter().min().expect("two events at least");
    let bounds: Vec<i16> =
        (1..=bands.day_bands as i64).map(|k| (k * bands.days as i64).min(i16::MAX as i64) as i16).collect();
    let (sum, at_least) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (by_row, observed, table, bounds) = (&pairs, &observed, &table, &bounds);
                scope.spawn(move || {
                    let mut sum = vec![0u64; rows * cols];
                    let mut at_least = vec![0u64; rows * cols];
                    let mut days = events.day.to_vec();
                    let mut lanes = vec![[0i16; LANES]; n];
                    for b in (t..batches).step_by(threads) {
                        let ks: Vec<usize> = (b * LANES..((b + 1) * LANES).min(permutations)).collect();
                        for (lane, &k) in ks.iter().enumerate() {
                            days.copy_from_slice(events.day);
                            let mut rng = SplitMix(seed ^ (k as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
                            for i in (1..n).rev() {
                                days.swap(i, rng.below(i + 1));
                            }
                            for (e, d) in days.iter().enumerate() {
                                lanes[e][lane] = (*d - first) as i16;
                            }
                        }
                        let counts = by_row.count(&lanes, bounds, rows, cols);
                        for close in counts.iter().take(ks.len()) {
                            for (c, v) in table(close).into_iter().enumerate() {
                                sum[c] += v;
                                at_least[c] += u64::from(v >= observed[c]);
                            }
                        }
                    }
                    (sum, at_least)
                })
            })
            .collect();
        let mut sum = vec![0u64; rows * cols];
        let mut at_least = vec![0u64; rows * cols];
        for h in handles {
            let (s, a) = h.join().expect("a permutation thread");
            for c in 0..rows * cols {
                sum[c] += s[c];
                at_least[c] += a[c];
            }
        }
        (sum, at_least)
    });

    let cells = (0..rows)
        .map(|r| {
            (0..cols)
                .map(|c| {
                    let i = r * cols + c;
                    let expected = if permutations == 0 { 0.0 } else { sum[i] as f64 / permutations as f64 };
                    KnoxCell {
                        observed: observed[i],
                        expected,
                        ratio: (expected > 0.0).then(|| observed[i] as f64 / expected),
                        p_value: (1 + at_least[i]) as f64 / (1 + permutations) as f64,
                    }
                })
                .collect()
        })
        .collect();
    let (distance_bands, day_bands) = bands.headings();
    let n64 = n as u64;
    Ok(KnoxTable {
        events: n,
        pairs: n64 * (n64 - 1) / 2,
        close_pairs: pairs.pairs as u64,
        permutations,
        seed,
        bands,
        distance_bands,
        day_bands,
        cells,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Events from a seeded generator: `n` uniform over `side` metres square and `span` days.
    fn uniform(n: usize, side: f64, span: i32, seed: u64) -> (Vec<f64>, Vec<f64>, Vec<i32>) {
        let mut rng = SplitMix(seed);
        let mut x = vec![];
        let mut y = vec![];
        let mut d = vec![];
        for _ in 0..n {
            x.push((rng.next() % 1_000_000) as f64 / 1_000_000.0 * side);
            y.push((rng.next() % 1_000_000) as f64 / 1_000_000.0 * side);
            d.push(rng.below(span as usize) as i32);
        }
        (x, y, d)
    }

    /// Every pair counted the slow way: the table's observed counts must be these.
    fn brute_force(x: &[f64], y: &[f64], d: &[i32], b: &KnoxBands) -> Vec<Vec<u64>> {
        let mut t = vec![vec![0u64; b.cols()]; b.rows()];
        for i in 0..x.len() {
            for j in i + 1..x.len() {
                let dist = ((x[i] - x[j]).powi(2) + (y[i] - y[j]).powi(2)).sqrt();
                let row = if dist >= b.reach() { b.rows() - 1 } else { b.row(dist) as usize };
                let days = (d[i] - d[j]).unsigned_abs() / b.days;
                t[row][(days as usize).min(b.day_bands)] += 1;
            }
        }
        t
    }

    #[test]
    fn observed_counts_are_every_pairs_band_counted_directly() {
        let (mut x, mut y, mut d) = uniform(1500, 3000.0, 200, 7);
        // Some at the very same place, and on the band edges.
        x.extend([100.0, 100.0, 300.0]);
        y.extend([100.0, 100.0, 100.0]);
        d.extend([10, 17, 24]);
        let bands = KnoxBands { metres: 200.0, distance_bands: 4, days: 7, day_bands: 3 };
        let t = knox(Events { x: &x, y: &y, day: &d }, bands, 0, 1).unwrap();
        let observed: Vec<Vec<u64>> = t.cells.iter().map(|r| r.iter().map(|c| c.observed).collect()).collect();
        assert_eq!(observed, brute_force(&x, &y, &d, &bands));
        assert_eq!(observed.iter().flatten().sum::<u64>(), t.pairs);
        assert!(observed[0].iter().sum::<u64>() >= 1, "the two at one place: {observed:?}");
    }

    #[test]
    fn a_planted_near_repeat_pattern_is_found_at_its_band() {
        // 3,000 burglaries over 10 km and a year; after 300 of them a second within 150 m and
        // 5 days.
        let (mut x, mut y, mut d) = uniform(3000, 10_000.0, 365, 11);
        let mut rng = SplitMix(99);
        for k in 0..300 {
            x.push(x[k] + (rng.below(200) as f64 - 100.0));
            y.push(y[k] + (rng.below(200) as f64 - 100.0));
            d.push(d[k] + rng.below(6) as i32);
        }
        let t = knox(Events { x: &x, y: &y, day: &d }, KnoxBands::default(), 999, 3).unwrap();
        let near = &t.cells[1][0];
        assert!(near.ratio.unwrap() > 1.8 && near.p_value <= 0.002, "{near:?}");
        // It is the strongest cell of the table, and the only one so strong.
        let strongest = t.cells[1..].iter().flatten().filter_map(|c| c.ratio).fold(0.0, f64::max);
        assert_eq!(near.ratio.unwrap(), strongest, "{:?}", t.cells);
        let strong = t.cells[1..].iter().flatten().filter(|c| c.ratio.is_some_and(|r| r > 1.5)).count();
        assert_eq!(strong, 1, "{:?}", t.cells);
        // Far away or long after, nothing out of the ordinary.
        let far = &t.cells[5][3];
        assert!((0.5..2.0).contains(&far.ratio.unwrap()) && far.p_value > 0.01, "{far:?}");
        assert_eq!(t.distance_bands[1].label, "1 to 200 m");
        assert_eq!(t.day_bands[0].label, "0 to 6 days");
        assert_eq!(t.day_bands[4].label, "28 days or more");
        assert_eq!(t.distance_bands[6].label, "1,000 m or more");
    }

    #[test]
    fn with_no_pattern_the_ratios_are_about_one() {
        let (x, y, d) = uniform(4000, 5000.0, 365, 5);
        let t = knox(Events { x: &x, y: &y, day: &d }, KnoxBands::default(), 199, 8).unwrap();
        let mut significant = 0;
        for row in &t.cells[1..] {
            for c in row {
                if c.expected >= 100.0 {
                    assert!((0.85..1.15).contains(&c.ratio.unwrap()), "{c:?} in {:?}", t.cells);
                }
                significant += usize::from(c.p_value <= 0.01);
            }
        }
        assert!(significant <= 2, "by chance alone at most a cell or two: {:?}", t.cells);
    }

    #[test]
    fn the_batched_permutations_are_each_shuffle_counted_alone() {
        // 21 permutations: a full batch and a part batch.
        let (x, y, d) = uniform(700, 1500.0, 60, 12);
        let bands = KnoxBands { metres: 100.0, distance_bands: 3, days: 5, day_bands: 3 };
        let t = knox(Events { x: &x, y: &y, day: &d }, bands, 21, 9).unwrap();
        // The slow way: each shuffle on its own, every pair of events binned.
        let observed: Vec<u64> = t.cells.iter().flatten().map(|c| c.observed).collect();
        let (mut sum, mut at_least) = (vec![0u64; observed.len()], vec![0u64; observed.len()]);
        for k in 0..21u64 {
            let mut days = d.clone();
            let mut rng = SplitMix(9 ^ k.wrapping_mul(0xD1B5_4A32_D192_ED03));
            for i in (1..days.len()).rev() {
                days.swap(i, rng.below(i + 1));
            }
            for (c, v) in brute_force(&x, &y, &days, &bands).into_iter().flatten().enumerate() {
                sum[c] += v;
                at_least[c] += u64::from(v >= observed[c]);
            }
        }
        for (c, cell) in t.cells.iter().flatten().enumerate() {
            assert!((cell.expected - sum[c] as f64 / 21.0).abs() < 1e-12, "cell {c}: {cell:?}");
            assert!((cell.p_value - (1 + at_least[c]) as f64 / 22.0).abs() < 1e-12, "cell {c}: {cell:?}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_table_and_another_a_close_one() {
        let (x, y, d) = uniform(800, 2000.0, 100, 2);
        let e = Events { x: &x, y: &y, day: &d };
        let a = knox(e, KnoxBands::default(), 99, 42).unwrap();
        assert_eq!(a, knox(e, KnoxBands::default(), 99, 42).unwrap());
        let b = knox(e, KnoxBands::default(), 99, 43).unwrap();
        assert_ne!(a.cells, b.cells);
    }

    #[test]
    fn the_counters_carry_past_sixteen_bits() {
        // 200,000 pairs in one row, over three flushes of the 16-bit counters, every lane and
        // bound counted as a direct count does; and with nine bounds (past the kernels kept
        // in registers).
        let mut rng = SplitMix(7);
        let n = 500;
        let lanes: Vec<[i16; LANES]> = (0..n).map(|_| std::array::from_fn(|_| rng.below(60) as i16)).collect();
        let (i, j): (Vec<u32>, Vec<u32>) = (0..200_000).map(|_| (rng.below(n) as u32, rng.below(n) as u32)).unzip();
        for bounds in [vec![7i16, 14, 21, 28], (1..=9).map(|k| k * 6).collect::<Vec<i16>>()] {
            let got = below_bounds(&i, &j, &lanes, &bounds);
            for (k, b) in bounds.iter().enumerate() {
                for l in 0..LANES {
                    let want = i
                        .iter()
                        .zip(&j)
                        .filter(|(a, c)| (lanes[**a as usize][l] - lanes[**c as usize][l]).abs() < *b)
                        .count() as u32;
                    assert_eq!(got[k][l], want, "bound {b}, lane {l}");
                }
            }
        }
    }

    #[test]
    fn bad_input_is_refused_by_what_is_wrong() {
        let e = Events { x: &[1.0], y: &[1.0], day: &[1] };
        assert_eq!(knox(e, KnoxBands::default(), 9, 1), Err(KnoxError::TooFewEvents(1)));
        let e = Events { x: &[1.0, f64::NAN], y: &[1.0, 2.0], day: &[1, 2] };
        assert_eq!(knox(e, KnoxBands::default(), 9, 1), Err(KnoxError::NotANumber(1)));
        let e = Events { x: &[1.0, 2.0], y: &[1.0, 2.0], day: &[0, 40_000] };
        assert!(matches!(knox(e, KnoxBands::default(), 9, 1), Err(KnoxError::Bands(m)) if m.contains("89 years")));
        let e = Events { x: &[1.0, 2.0], y: &[1.0, 2.0], day: &[1, 2] };
        for bad in [
            KnoxBands { metres: 0.0, ..KnoxBands::default() },
            KnoxBands { days: 0, ..KnoxBands::default() },
            KnoxBands { distance_bands: 0, ..KnoxBands::default() },
            KnoxBands { metres: 50_000.0, distance_bands: 3, ..KnoxBands::default() },
        ] {
            assert!(matches!(knox(e, bad, 9, 1), Err(KnoxError::Bands(_))), "{bad:?}");
        }
    }
}
