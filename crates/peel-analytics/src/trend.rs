//! Year to date, monthly average, rolling twelve months: the comparisons board papers make.

use peel_domain::YearMonth;
use serde::Serialize;

/// Year to date (financial year, April to the given month) against the same months of the
/// year before, as in seed 001 §72 ("0.9% higher year to date than in 2013-14").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearToDate {
    pub financial_year: String,
    pub from: YearMonth,
    pub to: YearMonth,
    pub current: f64,
    pub previous: f64,
    /// `None` when the previous period is zero or has no data: no honest percentage exists.
    pub change_pct: Option<f64>,
    /// Months of the period that have data, this year and last: a partial year is flagged
    /// rather than compared as if complete.
    pub months_in_period: u32,
    pub months_with_data: u32,
    pub previous_months_with_data: u32,
}

/// `series` is one value per month; `has_data(m)` says whether month m was published at all.
pub fn year_to_date(series: &[(YearMonth, f64)], has_data: impl Fn(YearMonth) -> bool, month: YearMonth) -> YearToDate {
    let from = month.financial_year().first_month();
    let n = (month.index() - from.index() + 1) as u32;
    let value = |m: YearMonth| series.iter().find(|(x, _)| *x == m).map_or(0.0, |(_, v)| *v);
    let (mut current, mut previous, mut with, mut prev_with) = (0.0, 0.0, 0, 0);
    for i in 0..n as i32 {
        let m = from.plus(i);
        current += value(m);
        previous += value(m.plus(-12));
        with += has_data(m) as u32;
        prev_with += has_data(m.plus(-12)) as u32;
    }
    YearToDate {
        financial_year: month.financial_year().label(),
        from,
        to: month,
        current,
        previous,
        change_pct: percent_change(previous, current).filter(|_| prev_with > 0),
        months_in_period: n,
        months_with_data: with,
        previous_months_with_data: prev_with,
    }
}

pub fn percent_change(before: f64, after: f64) -> Option<f64> {
    (before != 0.0).then(|| (after - before) / before * 100.0)
}

/// Sum of the twelve months ending at each month; `None` until twelve months exist.
pub fn rolling_12(series: &[(YearMonth, f64)]) -> Vec<(YearMonth, Option<f64>)> {
    let mut sum = 0.0;
    series
        .iter()
        .enumerate()
        .map(|(i, &(m, v))| {
            sum += v;
            if i >= 12 {
                sum -= series[i - 12].1;
            }
            (m, (i >= 11).then_some(sum))
        })
        .collect()
}

/// Mean of the values of the months that have data ("monthly volume remains stable, at an
/// average of 14,771 offences", seed 001 §72).
pub fn monthly_average(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.into_iter().fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Crimes per 1,000 population (HMIC PEEL 2015 figure 1); `None` without a population.
pub fn rate_per_1000(count: f64, population: u64) -> Option<f64> {
    (population > 0).then(|| count / population as f64 * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    fn series(from: &str, values: &[f64]) -> Vec<(YearMonth, f64)> {
        values.iter().enumerate().map(|(i, v)| (ym(from).plus(i as i32), *v)).collect()
    }

    #[test]
    fn ytd_runs_from_april_and_compares_a_year_back() {
        // Apr-Jul 2016: 10+10+10+10; Apr-Jul 2017: 11+11+11+11.
        let mut s = series("2016-04", &[10.0; 12]);
        s.extend(series("2017-04", &[11.0; 4]));
        let y = year_to_date(&s, |_| true, ym("2017-07"));
        assert_eq!(y.financial_year, "2017/18");
        assert_eq!(y.from, ym("2017-04"));
        assert_eq!((y.current, y.previous), (44.0, 40.0));
        assert!((y.change_pct.unwrap() - 10.0).abs() < 1e-12);
        assert_eq!(y.months_in_period, 4);
    }

    #[test]
    fn ytd_in_march_spans_the_whole_year() {
        let s = series("2016-04", &[1.0; 24]);
        let y = year_to_date(&s, |_| true, ym("2018-03"));
        assert_eq!(y.months_in_period, 12);
        assert_eq!((y.current, y.previous), (12.0, 12.0));
        assert_eq!(y.change_pct, Some(0.0));
    }

    #[test]
    fn ytd_without_last_year_has_no_percentage() {
        let s = series("2017-04", &[5.0; 4]);
        let y = year_to_date(&s, |m| m >= ym("2017-04"), ym("2017-07"));
        assert_eq!(y.change_pct, None);
        assert_eq!(y.previous_months_with_data, 0);
    }

    #[test]
    fn rolling_twelve_needs_twelve_months() {
        let s = series("2016-01", &(1..=14).map(f64::from).collect::<Vec<_>>());
        let r = rolling_12(&s);
        assert_eq!(r[10].1, None);
        assert_eq!(r[11].1, Some(78.0)); // 1..=12
        assert_eq!(r[13].1, Some(102.0)); // 3..=14
    }

    #[test]
    fn rates_and_averages() {
        assert_eq!(rate_per_1000(50.0, 10_000), Some(5.0));
        assert_eq!(rate_per_1000(50.0, 0), None);
        assert_eq!(monthly_average([1.0, 2.0, 6.0]), Some(3.0));
        assert_eq!(monthly_average([]), None);
        assert_eq!(percent_change(0.0, 5.0), None);
    }
}
