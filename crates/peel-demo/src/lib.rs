//! A realistic synthetic force for demonstrations and load tests: West Midlands Police in
//! shape — its eight neighbourhood policing units, its 19 Impact Areas, its hospitals, its
//! crime mix and volumes, its outcome rates and victim satisfaction, each from the seeds
//! with the source beside the number (`force`) — filled with made-up people.
//!
//! `generate_month(seed, month, as_of)` gives one month as a `peel_store::CaseworkBulk`
//! batch: reports, incidents, crimes, victims, suspects, contacts (some meeting Victims'
//! Code obligations, some satisfaction surveys), evidence and investigation events, with
//! outcomes as far as `as_of`. The same seed gives the same month, byte for byte, on any
//! machine; a month does not depend on which other months are generated with it.

pub mod force;
pub mod fraud;
pub mod generate;
pub mod history;
pub mod names;
pub mod place;
pub mod rng;

pub use generate::{generate_month, sites, ACTOR, SOURCE};

use peel_domain::date::Date;
use peel_domain::YearMonth;

/// The last month that has ended by `today`.
pub fn last_full_month(today: Date) -> YearMonth {
    YearMonth { year: today.year(), month: today.month() }.plus(-1)
}

/// The `n` months ending with `last`, oldest first.
pub fn months_ending(last: YearMonth, n: u32) -> Vec<YearMonth> {
    (0..n as i32).rev().map(|k| last.plus(-k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_end_with_the_last_full_month() {
        let last = last_full_month(Date::parse("2026-01-15").unwrap());
        assert_eq!(last, YearMonth { year: 2025, month: 12 });
        let m = months_ending(last, 3);
        assert_eq!(m.iter().map(|m| m.to_string()).collect::<Vec<_>>(), ["2025-10", "2025-11", "2025-12"]);
        assert!(months_ending(last, 0).is_empty());
    }
}
