//! Statistical process control: the XmR (individuals and moving range) chart that force
//! performance teams use to tell a real change from month-to-month noise.
//!
//! Rules as data, after NHS England / NHSI "Making Data Count" (2019), which is the SPC
//! guidance UK public services, forces included, follow:
//! - limits: mean ± 2.66 × mean moving range (2.66 = 3 / d2, d2 = 1.128 for n = 2);
//! - one point outside the limits;
//! - a run of 7 points on one side of the mean: a shift, and the start of a new baseline;
//! - a run of 7 points each higher (or each lower) than the one before: a trend;
//! - 2 of 3 consecutive points beyond two sigma (sigma = mean moving range / 1.128) on the
//!   same side of the mean.
//!
//! The lower limit is reported as computed (it may be negative) and `lower_limit_floored` is
//! what a count chart draws: a count cannot go below zero.

use serde::Serialize;

/// Points needed before limits are worth drawing; fewer and the chart says so.
pub const MIN_POINTS: usize = 12;
pub const RUN_LENGTH: usize = 7;
const LIMIT_FACTOR: f64 = 2.66;
const D2: f64 = 1.128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Rule {
    OutsideLimits,
    Shift,
    Trend,
    TwoOfThreeBeyondTwoSigma,
}

impl Rule {
    pub fn describe(self) -> &'static str {
        match self {
            Rule::OutsideLimits => "outside the control limits",
            Rule::Shift => "7 in a row on one side of the mean (shift: new baseline)",
            Rule::Trend => "7 in a row rising or falling",
            Rule::TwoOfThreeBeyondTwoSigma => "2 of 3 beyond two sigma",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    High,
    Low,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    /// Index of the point in the series.
    pub index: usize,
    pub rule: Rule,
    pub direction: Direction,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct XmrChart {
    pub mean: f64,
    pub mean_moving_range: f64,
    pub upper_limit: f64,
    pub lower_limit: f64,
    pub lower_limit_floored: f64,
    pub sigma: f64,
    pub points: usize,
    pub enough_points: bool,
    pub signals: Vec<Signal>,
}

impl XmrChart {
    /// Signals at one point (a point can break several rules).
    pub fn signals_at(&self, index: usize) -> impl Iterator<Item = &Signal> {
        self.signals.iter().filter(move |s| s.index == index)
    }
}

/// Builds the XmR chart of `values`; `None` for fewer than two points (no moving range).
pub fn xmr(values: &[f64]) -> Option<XmrChart> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let mr = values.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (n - 1) as f64;
    let upper = mean + LIMIT_FACTOR * mr;
    let lower = mean - LIMIT_FACTOR * mr;
    let sigma = mr / D2;
    let mut signals = Vec::new();
    let side = |v: f64| {
        if v > mean {
            Some(Direction::High)
        } else if v < mean {
            Some(Direction::Low)
        } else {
            None
        }
    };

    for (i, &v) in values.iter().enumerate() {
        if v > upper {
            signals.push(Signal { index: i, rule: Rule::OutsideLimits, direction: Direction::High });
        } else if v < lower {
            signals.push(Signal { index: i, rule: Rule::OutsideLimits, direction: Direction::Low });
        }
    }

    // Runs on one side of the mean. A point on the mean breaks the run.
    flag_runs(n, |i| side(values[i]), Rule::Shift, &mut signals);
    // Runs of rising / falling points: point i belongs to a rising run if it is above i-1.
    let step = |i: usize| {
        if i == 0 {
            return None;
        }
        match values[i].partial_cmp(&values[i - 1]) {
            Some(std::cmp::Ordering::Greater) => Some(Direction::High),
            Some(std::cmp::Ordering::Less) => Some(Direction::Low),
            _ => None,
        }
    };
    // A run of 7 points has 6 steps; the first point of the run has no step of its own.
    let mut i = 1;
    while i < n {
        let Some(d) = step(i) else {
            i += 1;
            continue;
        };
        let start = i;
        while i < n && step(i) == Some(d) {
            i += 1;
        }
        if i - start + 1 >= RUN_LENGTH {
            for j in start - 1..i {
                signals.push(Signal { index: j, rule: Rule::Trend, direction: d });
            }
        }
    }

    // Two of three beyond two sigma, same side.
    if sigma > 0.0 {
        let beyond = |i: usize| {
            let v = values[i];
            if v > mean + 2.0 * sigma {
                Some(Direction::High)
            } else if v < mean - 2.0 * sigma {
                Some(Direction::Low)
            } else {
                None
            }
        };
        let mut flagged = vec![false; n];
        for start in 0..n.saturating_sub(2) {
            for d in [Direction::High, Direction::Low] {
                let hits: Vec<usize> = (start..start + 3).filter(|&j| beyond(j) == Some(d)).collect();
                if hits.len() >= 2 {
                    for j in hits {
                        if !flagged[j] {
                            flagged[j] = true;
                            signals.push(Signal { index: j, rule: Rule::TwoOfThreeBeyondTwoSigma, direction: d });
                        }
                    }
                }
            }
        }
    }

    signals.sort_by_key(|s| (s.index, s.rule as u8));
    Some(XmrChart {
        mean,
        mean_moving_range: mr,
        upper_limit: upper,
        lower_limit: lower,
        lower_limit_floored: lower.max(0.0),
        sigma,
        points: n,
        enough_points: n >= MIN_POINTS,
        signals,
    })
}

fn flag_runs(n: usize, class: impl Fn(usize) -> Option<Direction>, rule: Rule, out: &mut Vec<Signal>) {
    let mut i = 0;
    while i < n {
        let Some(d) = class(i) else {
            i += 1;
            continue;
        };
        let start = i;
        while i < n && class(i) == Some(d) {
            i += 1;
        }
        if i - start >= RUN_LENGTH {
            out.extend((start..i).map(|index| Signal { index, rule, direction: d }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(c: &XmrChart, rule: Rule) -> Vec<usize> {
        c.signals.iter().filter(|s| s.rule == rule).map(|s| s.index).collect()
    }

    #[test]
    fn limits_are_mean_plus_minus_2_66_mean_moving_range() {
        // Mean 11, moving ranges 2,2,2 → mean MR 2 → limits 11 ± 5.32.
        let c = xmr(&[10.0, 12.0, 10.0, 12.0]).unwrap();
        assert_eq!(c.mean, 11.0);
        assert_eq!(c.mean_moving_range, 2.0);
        assert!((c.upper_limit - 16.32).abs() < 1e-12);
        assert!((c.lower_limit - 5.68).abs() < 1e-12);
        assert!(c.signals.is_empty());
        assert!(!c.enough_points);
    }

    #[test]
    fn a_spike_outside_the_limits_is_flagged() {
        let mut v = vec![100.0, 102.0, 98.0, 101.0, 99.0, 100.0, 102.0, 98.0, 101.0, 99.0, 100.0, 101.0];
        v.push(160.0);
        let c = xmr(&v).unwrap();
        assert_eq!(rules(&c, Rule::OutsideLimits), vec![12]);
        assert_eq!(c.signals_at(12).next().unwrap().direction, Direction::High);
    }

    #[test]
    fn seven_on_one_side_is_a_shift_six_is_not() {
        let six = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0];
        assert!(rules(&xmr(&six).unwrap(), Rule::Shift).is_empty());
        let seven = [1.0, 1.0, 1.0, 1.0, 1.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0];
        // Mean 10/3+… = (5 + 35)/12 = 3.33: the last seven are high, the first five low.
        assert_eq!(rules(&xmr(&seven).unwrap(), Rule::Shift), (5..12).collect::<Vec<_>>());
    }

    #[test]
    fn seven_rising_is_a_trend() {
        let v = [5.0, 4.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 3.0];
        let c = xmr(&v).unwrap();
        assert_eq!(rules(&c, Rule::Trend), (2..9).collect::<Vec<_>>());
        let six = [5.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 2.0];
        assert!(rules(&xmr(&six).unwrap(), Rule::Trend).is_empty());
    }

    #[test]
    fn two_of_three_beyond_two_sigma() {
        // Mean MR is large enough that the points stay inside 3 sigma but beyond 2.
        // Mean 10.74, mean MR 1.136: two sigma 12.75, upper limit 13.76 (worked in Python).
        let mut v: Vec<f64> = [10.0, 11.0].repeat(10);
        v.extend([13.0, 11.0, 13.0]);
        let c = xmr(&v).unwrap();
        assert!(rules(&c, Rule::OutsideLimits).is_empty(), "{:?}", c);
        assert_eq!(rules(&c, Rule::TwoOfThreeBeyondTwoSigma), vec![20, 22]);
    }

    #[test]
    fn too_short_for_a_chart() {
        assert!(xmr(&[3.0]).is_none());
        assert!(xmr(&[]).is_none());
    }
}
