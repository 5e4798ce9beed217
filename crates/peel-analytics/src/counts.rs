//! Counts by month × category, by area, by outcome: the cube every other figure starts from.

use crate::columns::{StreetColumns, NONE};
use peel_domain::{Category, YearMonth};
use std::collections::BTreeMap;

/// Rows per month and category over a continuous run of months (gaps are zero rows).
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyCounts {
    pub first: YearMonth,
    /// `by_category[i][c]`: rows in month `first + i` with `Category::code() == c`.
    pub by_category: Vec<[u64; 14]>,
    /// Whether any row at all was published for the month (a gap in the data, not a zero).
    pub has_data: Vec<bool>,
    /// `harm[i][c]`: the rows' own harm summed, where the columns carry it
    /// (`StreetColumns::harm`); empty for police.uk rows, weighed by category instead.
    pub harm: Vec<[f64; 14]>,
}

impl MonthlyCounts {
    pub fn from_columns(cols: &StreetColumns) -> Option<MonthlyCounts> {
        let (first, last) = cols.month_range()?;
        let n = (last.index() - first.index() + 1) as usize;
        let mut by_category = vec![[0u64; 14]; n];
        let base = first.index();
        for (&m, &c) in cols.month.iter().zip(&cols.category) {
            by_category[(m - base) as usize][c as usize] += 1;
        }
        let mut harm = Vec::new();
        if !cols.harm.is_empty() {
            harm = vec![[0.0f64; 14]; n];
            for ((&m, &c), &h) in cols.month.iter().zip(&cols.category).zip(&cols.harm) {
                harm[(m - base) as usize][c as usize] += h;
            }
        }
        let has_data = by_category.iter().map(|row| row.iter().any(|&x| x > 0)).collect();
        Some(MonthlyCounts { first, by_category, has_data, harm })
    }

    pub fn months(&self) -> impl Iterator<Item = YearMonth> + '_ {
        (0..self.by_category.len()).map(|i| self.first.plus(i as i32))
    }

    pub fn last(&self) -> YearMonth {
        self.first.plus(self.by_category.len() as i32 - 1)
    }

    fn offset(&self, month: YearMonth) -> Option<usize> {
        let i = month.index() - self.first.index();
        (i >= 0 && (i as usize) < self.by_category.len()).then_some(i as usize)
    }

    pub fn has_data(&self, month: YearMonth) -> bool {
        self.offset(month).is_some_and(|i| self.has_data[i])
    }

    pub fn count(&self, month: YearMonth, category: Category) -> u64 {
        self.offset(month).map_or(0, |i| self.by_category[i][category.code() as usize])
    }

    /// Crimes in a month: every category but anti-social behaviour.
    pub fn crimes(&self, month: YearMonth) -> u64 {
        Category::crimes().map(|c| self.count(month, c)).sum()
    }

    pub fn asb(&self, month: YearMonth) -> u64 {
        self.count(month, Category::AntiSocialBehaviour)
    }

    /// CCHI harm of a month's crimes of one category: the rows' own harm where known, else
    /// count × the category's weight.
    pub fn category_harm(&self, month: YearMonth, category: Category, weights: &[f64; 14]) -> f64 {
        let c = category.code() as usize;
        match self.offset(month) {
            None => 0.0,
            Some(i) if !self.harm.is_empty() => self.harm[i][c],
            Some(i) => self.by_category[i][c] as f64 * weights[c],
        }
    }

    /// CCHI harm of a month's crimes: Σ over categories of [`Self::category_harm`].
    pub fn harm(&self, month: YearMonth, weights: &[f64; 14]) -> f64 {
        Category::crimes().map(|c| self.category_harm(month, c, weights)).sum()
    }

    /// The monthly series of one measure, one value per month from `first` to `last`.
    pub fn series(&self, measure: impl Fn(&Self, YearMonth) -> f64) -> Vec<(YearMonth, f64)> {
        self.months().map(|m| (m, measure(self, m))).collect()
    }
}

/// Crimes (ASB excluded) in one month by police.uk "Last outcome category".
pub fn outcomes(cols: &StreetColumns, month: YearMonth) -> BTreeMap<String, u64> {
    let m = month.index();
    let mut counts = vec![0u64; cols.outcome_names.len()];
    for i in 0..cols.len() {
        if cols.month[i] == m && cols.outcome[i] != NONE && cols.category[i] != 0 {
            counts[cols.outcome[i] as usize] += 1;
        }
    }
    cols.outcome_names.iter().zip(counts).filter(|(_, n)| *n > 0).map(|(name, n)| (name.clone(), n)).collect()
}

/// Crime count and harm per unit (LSOA, grid cell, local authority…) for the months in
/// `months` (inclusive index range), crimes only. `unit_of_row` gives the unit index of a row
/// or `None` to skip it (no location). Returns (count, harm) per unit.
pub fn by_unit(
    cols: &StreetColumns,
    months: std::ops::RangeInclusive<i32>,
    weights: &[f64; 14],
    units: usize,
    unit_of_row: impl Fn(usize) -> Option<usize>,
) -> Vec<(u64, f64)> {
    let mut out = vec![(0u64, 0.0f64); units];
    for i in 0..cols.len() {
        let c = cols.category[i];
        if c == 0 || !months.contains(&cols.month[i]) {
            continue;
        }
        if let Some(u) = unit_of_row(i) {
            out[u].0 += 1;
            out[u].1 += cols.harm_of(i, weights);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::NONE;

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    fn sample() -> StreetColumns {
        let mut c = StreetColumns { outcome_names: vec!["A".into(), "B".into()], ..Default::default() };
        c.push(ym("2017-01"), Category::Burglary, 0, 0, 0);
        c.push(ym("2017-01"), Category::AntiSocialBehaviour, 0, 0, NONE);
        c.push(ym("2017-03"), Category::Robbery, 1, NONE, 1);
        c.push(ym("2017-03"), Category::Robbery, NONE, NONE, 1);
        c
    }

    #[test]
    fn cube_spans_gaps_and_separates_asb() {
        let m = MonthlyCounts::from_columns(&sample()).unwrap();
        assert_eq!(m.by_category.len(), 3);
        assert_eq!(m.crimes(ym("2017-01")), 1);
        assert_eq!(m.asb(ym("2017-01")), 1);
        assert_eq!(m.crimes(ym("2017-02")), 0);
        assert!(!m.has_data(ym("2017-02")));
        assert_eq!(m.crimes(ym("2017-03")), 2);
        assert_eq!(m.crimes(ym("2018-03")), 0);
        assert_eq!(m.last(), ym("2017-03"));
    }

    #[test]
    fn harm_weighs_each_category() {
        let m = MonthlyCounts::from_columns(&sample()).unwrap();
        let mut w = [0.0; 14];
        w[Category::Robbery.code() as usize] = 365.0;
        w[Category::AntiSocialBehaviour.code() as usize] = 1000.0; // must be ignored
        assert_eq!(m.harm(ym("2017-03"), &w), 730.0);
        assert_eq!(m.harm(ym("2017-01"), &w), 0.0);
    }

    #[test]
    fn outcomes_count_crimes_only() {
        let o = outcomes(&sample(), ym("2017-03"));
        assert_eq!(o.get("B"), Some(&2));
        assert_eq!(o.get("A"), None);
    }

    #[test]
    fn by_unit_skips_rows_without_a_unit() {
        let c = sample();
        let w = [1.0; 14];
        let m = ym("2017-01").index()..=ym("2017-03").index();
        let u = by_unit(&c, m, &w, 2, |i| (c.lsoa[i] != NONE).then(|| c.lsoa[i] as usize));
        assert_eq!(u, vec![(1, 1.0), (1, 1.0)]);
    }
}
