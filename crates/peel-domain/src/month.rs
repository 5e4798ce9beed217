//! Calendar months and police financial years.
//!
//! police.uk publishes by month only ("YYYY-MM"); forces report year to date over the
//! financial year, 1 April to 31 March (seed 001 §72: "0.9% higher year to date than in
//! 2013-14"), so both live here.

use serde::{Deserialize, Serialize};
use std::fmt;

pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar month. Ordered; `index()` gives a dense integer for arithmetic and storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthError(pub String);

impl fmt::Display for MonthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
impl std::error::Error for MonthError {}

impl YearMonth {
    pub fn new(year: i32, month: u8) -> Result<Self, MonthError> {
        if !(1..=12).contains(&month) {
            return Err(MonthError(format!("month {month} is not 1-12")));
        }
        if !(1900..=2999).contains(&year) {
            return Err(MonthError(format!("year {year} is out of range 1900-2999")));
        }
        Ok(YearMonth { year, month })
    }

    /// Parses police.uk's "YYYY-MM" (exactly that shape: "2016-7" or "July 2016" are refused
    /// so that a mis-saved spreadsheet is caught rather than guessed at).
    pub fn parse(s: &str) -> Result<Self, MonthError> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 7 || b[4] != b'-' || !digits(0..4) || !digits(5..7) {
            return Err(MonthError(format!("'{s}' is not a month in the form YYYY-MM")));
        }
        YearMonth::new(s[0..4].parse().unwrap(), s[5..7].parse().unwrap())
            .map_err(|e| MonthError(format!("'{s}': {e}")))
    }

    /// Months since January of year 0: dense, so consecutive months differ by one.
    pub fn index(self) -> i32 {
        self.year * 12 + (self.month as i32 - 1)
    }

    pub fn from_index(i: i32) -> Self {
        YearMonth { year: i.div_euclid(12), month: (i.rem_euclid(12) + 1) as u8 }
    }

    pub fn plus(self, months: i32) -> Self {
        Self::from_index(self.index() + months)
    }

    pub fn financial_year(self) -> FinancialYear {
        FinancialYear { start_year: if self.month >= 4 { self.year } else { self.year - 1 } }
    }

    /// Short label for charts and tables, e.g. "Jul-16" as the seed papers write it.
    pub fn short_label(self) -> String {
        format!("{}-{:02}", &MONTH_NAMES[self.month as usize - 1][..3], self.year.rem_euclid(100))
    }

    /// "July 2017", as a paper's text writes it.
    pub fn long_label(self) -> String {
        format!("{} {}", MONTH_NAMES[self.month as usize - 1], self.year)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A police financial year, April to March, named by the year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FinancialYear {
    pub start_year: i32,
}

impl FinancialYear {
    pub fn first_month(self) -> YearMonth {
        YearMonth { year: self.start_year, month: 4 }
    }

    /// The Home Office spelling, "2017/18".
    pub fn label(self) -> String {
        format!("{}/{:02}", self.start_year, (self.start_year + 1).rem_euclid(100))
    }

    /// Parses "2017/18" (Home Office tables) or "2017-18" (board papers).
    pub fn parse(s: &str) -> Result<Self, MonthError> {
        let bad = || MonthError(format!("'{s}' is not a financial year like 2017/18"));
        let (a, b) = s.trim().split_once(['/', '-']).ok_or_else(bad)?;
        let start: i32 = a.parse().map_err(|_| bad())?;
        let end: i32 = b.parse().map_err(|_| bad())?;
        if a.len() != 4 || b.len() != 2 || (start + 1).rem_euclid(100) != end {
            return Err(bad());
        }
        Ok(FinancialYear { start_year: start })
    }

    /// First month of quarter 1-4 (Q1 = April-June).
    pub fn quarter_start(self, quarter: u8) -> Option<YearMonth> {
        (1..=4).contains(&quarter).then(|| self.first_month().plus(3 * (quarter as i32 - 1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_police_uk_months() {
        assert_eq!(YearMonth::parse("2016-07").unwrap(), YearMonth { year: 2016, month: 7 });
        for bad in ["2016-7", "2016-13", "2016-00", "16-07", "2016/07", "July 2016", "", "２016-07"] {
            assert!(YearMonth::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn index_is_dense_across_years() {
        let dec = YearMonth::parse("2016-12").unwrap();
        assert_eq!(dec.plus(1), YearMonth::parse("2017-01").unwrap());
        assert_eq!(dec.plus(-12), YearMonth::parse("2015-12").unwrap());
        assert_eq!(YearMonth::from_index(dec.index()), dec);
    }

    #[test]
    fn financial_year_runs_april_to_march() {
        let fy = |s| YearMonth::parse(s).unwrap().financial_year().label();
        assert_eq!(fy("2017-04"), "2017/18");
        assert_eq!(fy("2018-03"), "2017/18");
        assert_eq!(fy("2017-03"), "2016/17");
        assert_eq!(fy("1999-12"), "1999/00");
    }

    #[test]
    fn financial_year_quarters() {
        let fy = FinancialYear::parse("2017/18").unwrap();
        assert_eq!(fy.quarter_start(1).unwrap().to_string(), "2017-04");
        assert_eq!(fy.quarter_start(4).unwrap().to_string(), "2018-01");
        assert!(fy.quarter_start(5).is_none());
        assert!(FinancialYear::parse("2017/19").is_err());
        assert_eq!(FinancialYear::parse("2013-14").unwrap().start_year, 2013);
    }

    #[test]
    fn short_labels_match_the_seed_papers() {
        assert_eq!(YearMonth::parse("2021-09").unwrap().short_label(), "Sep-21");
        assert_eq!(YearMonth::parse("2017-07").unwrap().long_label(), "July 2017");
    }
}
