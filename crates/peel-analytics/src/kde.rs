//! Kernel density on a grid (issue 12): how much crime (or harm) is expected per square
//! kilometre at the centre of each cell, smoothed from the points around it.
//!
//! Kernels (Silverman 1986), with bandwidth h:
//! - quartic (biweight), the one crime mappers use (Chainey): K(d) = 3/(π h²) (1 − d²/h²)² for
//!   d < h, nothing beyond;
//! - Gaussian: K(d) = 1/(2π h²) exp(−d²/(2h²)), evaluated out to 6.5 h, past which it is under
//!   1e-9 of its peak (so the grid is the direct sum to 1e-9 of the largest value).
//!
//! Bandwidth, unless given: the normal reference rule for two dimensions (Scott), h = σ̄ n^(−1/6),
//! σ̄ the mean of the points' standard deviations east and north. Density is per square metre
//! of the kernel; the grid reports it per square kilometre (× 10⁶) so that values read as
//! "crimes per km²" over the period. With weights (harm), each point counts its weight.
//!
//! Speed: each point adds its kernel to the cells within reach, rows of the grid split among
//! threads by point (each thread its own grid, summed at the end), so the cost is points ×
//! cells in reach, whatever the grid's size.

use serde::Serialize;

/// Which kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kernel {
    Quartic,
    Gaussian,
}

/// How far the Gaussian kernel is evaluated, in bandwidths.
pub const GAUSSIAN_REACH: f64 = 6.5;

/// A regular grid of cells `size` metres square, its lower-left corner at (`x0`, `y0`)
/// (British National Grid metres), `cols` × `rows` cells, row-major from the south-west.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Grid {
    pub x0: f64,
    pub y0: f64,
    pub size: f64,
    pub cols: usize,
    pub rows: usize,
}

impl Grid {
    /// The grid of `size` cells covering `x` and `y` (cells aligned to multiples of `size`).
    pub fn covering(x: &[f64], y: &[f64], size: f64) -> Option<Grid> {
        let (minx, maxx) = x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        let (miny, maxy) = y.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        if !(minx.is_finite() && miny.is_finite() && size > 0.0) {
            return None;
        }
        let x0 = (minx / size).floor() * size;
        let y0 = (miny / size).floor() * size;
        Some(Grid {
            x0,
            y0,
            size,
            cols: ((maxx - x0) / size).floor() as usize + 1,
            rows: ((maxy - y0) / size).floor() as usize + 1,
        })
    }

    pub fn cells(&self) -> usize {
        self.cols * self.rows
    }

    /// The centre of cell (col, row).
    pub fn centre(&self, col: usize, row: usize) -> (f64, f64) {
        (self.x0 + (col as f64 + 0.5) * self.size, self.y0 + (row as f64 + 0.5) * self.size)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum KdeError {
    NoPoints,
    Bandwidth(f64),
    /// The grid would hold more cells than [`MAX_CELLS`].
    TooManyCells(usize),
    NotANumber(usize),
}

/// The widest bandwidth, metres: wider smooths a force into one blur (and visits every cell
/// from every point).
pub const MAX_BANDWIDTH: f64 = 20_000.0;

/// The most cells a density grid holds (a 100 m grid over 200 km square).
pub const MAX_CELLS: usize = 4_000_000;

impl std::fmt::Display for KdeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KdeError::NoPoints => write!(f, "no points to smooth"),
            KdeError::Bandwidth(h) => write!(f, "a bandwidth of {h} m: it is 1 to {MAX_BANDWIDTH} m"),
            KdeError::TooManyCells(n) => {
                write!(f, "{n} cells: more than {MAX_CELLS}; take larger cells or a smaller area")
            }
            KdeError::NotANumber(i) => write!(f, "point {i} has a coordinate or weight that is not a number"),
        }
    }
}

impl std::error::Error for KdeError {}

/// The normal reference bandwidth (Scott's rule in two dimensions): σ̄ n^(−1/6), metres; at
/// least 1 m.
pub fn normal_reference_bandwidth(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let sd = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / n;
        (v.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt()
    };
    ((sd(x) + sd(y)) / 2.0 * n.powf(-1.0 / 6.0)).max(1.0)
}

/// Density per km² at each cell centre of `grid`, from points (`x`, `y`) with optional
/// `weights`, by `kernel` with bandwidth `h` metres. Row-major, south-west first.
pub fn density(
    grid: &Grid,
    x: &[f64],
    y: &[f64],
    weights: Option<&[f64]>,
    kernel: Kernel,
    h: f64,
) -> Result<Vec<f64>, KdeError> {
    if x.is_empty() {
        return Err(KdeError::NoPoints);
    }
    if !(h.is_finite() && (1.0..=MAX_BANDWIDTH).contains(&h)) {
        return Err(KdeError::Bandwidth(h));
    }
    if grid.cells() > MAX_CELLS {
        return Err(KdeError::TooManyCells(grid.cells()));
    }
    let bad =
        (0..x.len()).find(|&i| !x[i].is_finite() || !y[i].is_finite() || weights.is_some_and(|w| !w[i].is_finite()));
    if let Some(i) = bad {
        return Err(KdeError::NotANumber(i));
    }
    let reach = match kernel {
        Kernel::Quartic => h,
        Kernel::Gaussian => GAUSSIAN_REACH * h,
    };
    let (h2, reach2) = (h * h, reach * reach);
    let scale = 1e6
        * match kernel {
            Kernel::Quartic => 3.0 / (std::f64::consts::PI * h2),
            Kernel::Gaussian => 1.0 / (2.0 * std::f64::consts::PI * h2),
        };
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get()).min(x.len().div_ceil(10_000)).max(1);
    let chunk = x.len().div_ceil(threads);
    let g = *grid;
    let grids: Vec<Vec<f64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut out = vec![0.0f64; g.cells()];
                    let mut dy2 = Vec::new();
                    for i in t * chunk..((t + 1) * chunk).min(x.len()) {
                        let w = weights.map_or(1.0, |w| w[i]);
                        if w == 0.0 {
                            continue;
                        }
                        // The columns and rows whose centres may be within reach.
                        let c0 = (((x[i] - reach - g.x0) / g.size - 0.5).ceil().max(0.0)) as usize;
                        let c1 = (((x[i] + reach - g.x0) / g.size - 0.5).floor()).min(g.cols as f64 - 1.0);
                        let r0 = (((y[i] - reach - g.y0) / g.size - 0.5).ceil().max(0.0)) as usize;
                        let r1 = (((y[i] + reach - g.y0) / g.size - 0.5).floor()).min(g.rows as f64 - 1.0);
                        if c1 < 0.0 || r1 < 0.0 {
                            continue;
                        }
                        let (c1, r1) = (c1 as usize, r1 as usize);
                        if c0 > c1 || r0 > r1 {
                            continue;
                        }
                        dy2.clear();
                        dy2.extend((r0..=r1).map(|r| {
                            let d = g.y0 + (r as f64 + 0.5) * g.size - y[i];
                            d * d
                        }));
                        for c in c0..=c1 {
                            let dx = g.x0 + (c as f64 + 0.5) * g.size - x[i];
                            let dx2 = dx * dx;
                            if dx2 >= reach2 {
                                continue;
                            }
                            for (k, r) in (r0..=r1).enumerate() {
                                let d2 = dx2 + dy2[k];
                                if d2 >= reach2 {
                                    continue;
                                }
                                let v = match kernel {
                                    Kernel::Quartic => {
                                        let u = 1.0 - d2 / h2;
                                        u * u
                                    }
                                    Kernel::Gaussian => (-d2 / (2.0 * h2)).exp(),
                                };
                                out[r * g.cols + c] += w * v;
                            }
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a density thread")).collect()
    });
    let mut total = vec![0.0f64; grid.cells()];
    for part in grids {
        for (a, b) in total.iter_mut().zip(part) {
            *a += b;
        }
    }
    total.iter_mut().for_each(|v| *v *= scale);
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = crate::near_repeat::SplitMix(seed);
        let mut x = vec![];
        let mut y = vec![];
        for _ in 0..n {
            x.push(400_000.0 + (rng.next() % 5_000_000) as f64 / 1000.0);
            y.push(280_000.0 + (rng.next() % 3_000_000) as f64 / 1000.0);
        }
        (x, y)
    }

    /// The density at one place summed over every point, no reach cut.
    fn direct(px: f64, py: f64, x: &[f64], y: &[f64], w: Option<&[f64]>, kernel: Kernel, h: f64) -> f64 {
        let mut s = 0.0;
        for i in 0..x.len() {
            let d2 = (px - x[i]).powi(2) + (py - y[i]).powi(2);
            let v = match kernel {
                Kernel::Quartic if d2 < h * h => 3.0 / (std::f64::consts::PI * h * h) * (1.0 - d2 / (h * h)).powi(2),
                Kernel::Quartic => 0.0,
                Kernel::Gaussian => (-d2 / (2.0 * h * h)).exp() / (2.0 * std::f64::consts::PI * h * h),
            };
            s += w.map_or(1.0, |w| w[i]) * v;
        }
        s * 1e6
    }

    #[test]
    fn the_grid_is_the_direct_sum_at_every_cell_centre() {
        let (x, y) = points(3000, 1);
        let weights: Vec<f64> = (0..x.len()).map(|i| (i % 7) as f64 * 10.0 + 0.5).collect();
        let grid = Grid::covering(&x, &y, 100.0).unwrap();
        for (kernel, h, w) in [
            (Kernel::Quartic, 400.0, None),
            (Kernel::Gaussian, 250.0, None),
            (Kernel::Gaussian, 250.0, Some(weights.as_slice())),
            (Kernel::Quartic, 333.0, Some(weights.as_slice())),
        ] {
            let d = density(&grid, &x, &y, w, kernel, h).unwrap();
            let peak = d.iter().cloned().fold(0.0, f64::max);
            for cell in (0..grid.cells()).step_by(37) {
                let (c, r) = (cell % grid.cols, cell / grid.cols);
                let (px, py) = grid.centre(c, r);
                let want = direct(px, py, &x, &y, w, kernel, h);
                assert!((d[cell] - want).abs() <= 1e-9 * peak, "{kernel:?} {h}: {} against {want}", d[cell]);
            }
        }
    }

    #[test]
    fn the_density_integrates_to_the_points_counted() {
        // Every point well inside the grid: density × cell area summed is the number of points.
        let (x, y) = points(2000, 2);
        let mut grid = Grid::covering(&x, &y, 50.0).unwrap();
        grid.x0 -= 3000.0;
        grid.y0 -= 3000.0;
        grid.cols += 120;
        grid.rows += 120;
        for kernel in [Kernel::Quartic, Kernel::Gaussian] {
            let d = density(&grid, &x, &y, None, kernel, 300.0).unwrap();
            let mass: f64 = d.iter().sum::<f64>() * (50.0 * 50.0) / 1e6;
            assert!((mass / 2000.0 - 1.0).abs() < 0.01, "{kernel:?}: {mass}");
        }
    }

    #[test]
    fn a_planted_cluster_is_the_densest_place() {
        let (mut x, mut y) = points(5000, 3);
        for k in 0..400 {
            x.push(402_000.0 + (k % 20) as f64 * 5.0);
            y.push(281_500.0 + (k / 20) as f64 * 5.0);
        }
        let grid = Grid::covering(&x, &y, 100.0).unwrap();
        let h = normal_reference_bandwidth(&x, &y);
        assert!(h > 100.0 && h < 1000.0, "{h}");
        let d = density(&grid, &x, &y, None, Kernel::Quartic, 200.0).unwrap();
        let top = (0..d.len()).max_by(|a, b| d[*a].total_cmp(&d[*b])).unwrap();
        let (px, py) = grid.centre(top % grid.cols, top / grid.cols);
        assert!((px - 402_050.0).abs() <= 100.0 && (py - 281_550.0).abs() <= 100.0, "{px} {py}");
    }

    #[test]
    fn bad_input_is_refused() {
        let grid = Grid { x0: 0.0, y0: 0.0, size: 100.0, cols: 10, rows: 10 };
        assert_eq!(density(&grid, &[], &[], None, Kernel::Quartic, 100.0), Err(KdeError::NoPoints));
        assert_eq!(density(&grid, &[1.0], &[1.0], None, Kernel::Quartic, 0.0), Err(KdeError::Bandwidth(0.0)));
        assert_eq!(density(&grid, &[1.0], &[1.0], None, Kernel::Quartic, 1e-170), Err(KdeError::Bandwidth(1e-170)));
        assert_eq!(density(&grid, &[1.0], &[1.0], None, Kernel::Quartic, 5e4), Err(KdeError::Bandwidth(5e4)));
        assert_eq!(density(&grid, &[f64::NAN], &[1.0], None, Kernel::Quartic, 10.0), Err(KdeError::NotANumber(0)));
        let huge = Grid { cols: 5000, rows: 5000, ..grid };
        assert!(matches!(density(&huge, &[1.0], &[1.0], None, Kernel::Quartic, 10.0), Err(KdeError::TooManyCells(_))));
    }
}
