//! England and Wales bank holidays and working days.
//!
//! Victims' Code deadlines run in working days: Monday to Friday, not a bank holiday in
//! England and Wales.
//!
//! Source: GOV.UK "UK bank holidays" (England and Wales); Banking and Financial Dealings Act
//! 1971, Schedule 1 (Easter Monday, last Monday in May, last Monday in August, 26 December
//! if not a Sunday, 27 December in a year in which 25 or 26 December is a Sunday) and the
//! royal proclamations made each year under section 1(2)-(3) of that Act for New Year's Day,
//! the early May bank holiday and substitute days. Good Friday and Christmas Day are common
//! law holidays. The substitute-day rule GOV.UK applies: a holiday on a Saturday or Sunday
//! moves to the next weekday that is not already a holiday.
//!
//! The standing days are derived by rule for every year; the one-off changes made by
//! proclamation are data (`ONE_OFFS`), known from 2020 to 2030 (`FIRST_YEAR..=LAST_YEAR`).
//! A year outside that range still gets the standing days, but a one-off proclaimed for it
//! would be missing: `is_covered` says whether the table vouches for a year.

use crate::date::Date;
use serde::Serialize;

pub const FIRST_YEAR: i32 = 2020;
pub const LAST_YEAR: i32 = 2030;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BankHoliday {
    pub date: Date,
    /// As GOV.UK names it, e.g. "Boxing Day (substitute day)".
    pub name: &'static str,
}

/// A change to the standing bank holidays made by royal proclamation for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OneOff {
    pub date: Date,
    pub name: &'static str,
    /// The standing holiday this one replaces (it moved), or `None` for an extra day.
    pub replaces: Option<Date>,
    pub source: &'static str,
}

/// One-off bank holidays in England and Wales, 2020-2030 (none is proclaimed after 2023 as
/// of writing). Source: GOV.UK bank holidays and the proclamations named on each line.
pub const ONE_OFFS: &[OneOff] = &[
    OneOff {
        date: Date::ymd(2020, 5, 8),
        name: "Early May bank holiday (VE day)",
        replaces: Some(Date::ymd(2020, 5, 4)),
        source:
            "Royal proclamation (1971 Act s.1(3)): early May bank holiday moved from Mon 4 to Fri 8 May 2020, 75th anniversary of VE Day",
    },
    OneOff {
        date: Date::ymd(2022, 6, 2),
        name: "Spring bank holiday",
        replaces: Some(Date::ymd(2022, 5, 30)),
        source: "Royal proclamation: spring bank holiday moved from Mon 30 May to Thu 2 June 2022 for the Platinum Jubilee",
    },
    OneOff {
        date: Date::ymd(2022, 6, 3),
        name: "Platinum Jubilee bank holiday",
        replaces: None,
        source: "Royal proclamation: extra bank holiday Fri 3 June 2022 for the Platinum Jubilee",
    },
    OneOff {
        date: Date::ymd(2022, 9, 19),
        name: "Bank Holiday for the State Funeral of Queen Elizabeth II",
        replaces: None,
        source: "Royal proclamation: extra bank holiday Mon 19 September 2022 for the State Funeral of Queen Elizabeth II",
    },
    OneOff {
        date: Date::ymd(2023, 5, 8),
        name: "Bank holiday for the coronation of King Charles III",
        replaces: None,
        source: "Royal proclamation: extra bank holiday Mon 8 May 2023 for the coronation of King Charles III",
    },
];

/// Whether `year`'s list is vouched for by the one-off table (2020-2030).
pub fn is_covered(year: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

/// Easter Sunday by the anonymous Gregorian algorithm ("Meeus/Jones/Butcher"; Nature 1876,
/// Butcher's Ecclesiastical Calendar), valid for every Gregorian year.
pub fn easter_sunday(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::ymd(year, month as u8, day as u8)
}

fn first_monday(year: i32, month: u8) -> Date {
    let first = Date::ymd(year, month, 1);
    first.add_days((7 - first.weekday() as i64) % 7)
}

fn last_monday(year: i32, month: u8) -> Date {
    let last = Date::ymd(year, month, crate::date::days_in_month(year, month));
    last.add_days(-(last.weekday() as i64))
}

/// The standing days of `year` (before one-offs), in date order. Each weekend holiday moves
/// to the next weekday not already taken, which gives the GOV.UK pairs: Christmas on a
/// Saturday → Mon 27 and Tue 28; on a Sunday → Boxing Day Mon 26, Christmas Tue 27; on a
/// Friday → Boxing Day Mon 28.
fn standing_days(year: i32) -> Vec<BankHoliday> {
    let easter = easter_sunday(year);
    let mut days = vec![
        BankHoliday { date: Date::ymd(year, 1, 1), name: "New Year's Day" },
        BankHoliday { date: easter.add_days(-2), name: "Good Friday" },
        BankHoliday { date: easter.add_days(1), name: "Easter Monday" },
        BankHoliday { date: first_monday(year, 5), name: "Early May bank holiday" },
        BankHoliday { date: last_monday(year, 5), name: "Spring bank holiday" },
        BankHoliday { date: last_monday(year, 8), name: "Summer bank holiday" },
        BankHoliday { date: Date::ymd(year, 12, 25), name: "Christmas Day" },
        BankHoliday { date: Date::ymd(year, 12, 26), name: "Boxing Day" },
    ];
    // Substitute days: weekday holidays keep their day; weekend ones (New Year, Christmas,
    // Boxing Day) take the next free weekday, in that order, so Christmas is placed first.
    let (fixed, weekend): (Vec<_>, Vec<_>) = days.drain(..).partition(|h| !h.date.weekday().is_weekend());
    days = fixed;
    for h in weekend {
        let mut date = h.date;
        while date.weekday().is_weekend() || days.iter().any(|x| x.date == date) {
            date = date.add_days(1);
        }
        let name = match h.name {
            "New Year's Day" => "New Year's Day (substitute day)",
            "Christmas Day" => "Christmas Day (substitute day)",
            "Boxing Day" => "Boxing Day (substitute day)",
            other => other,
        };
        days.push(BankHoliday { date, name });
    }
    days.sort_by_key(|h| h.date);
    days
}

/// Bank holidays in England and Wales in `year`, in date order, one-offs applied.
pub fn bank_holidays(year: i32) -> Vec<BankHoliday> {
    let mut days = standing_days(year);
    for o in ONE_OFFS.iter().filter(|o| o.date.year() == year) {
        if let Some(old) = o.replaces {
            days.retain(|h| h.date != old);
        }
        days.push(BankHoliday { date: o.date, name: o.name });
    }
    days.sort_by_key(|h| h.date);
    days
}

pub fn is_bank_holiday(date: Date) -> bool {
    bank_holidays(date.year()).iter().any(|h| h.date == date)
}

/// Monday to Friday and not a bank holiday in England and Wales.
pub fn is_working_day(date: Date) -> bool {
    !date.weekday().is_weekend() && !is_bank_holiday(date)
}

/// The date `n` working days after `date`: the event day itself is day 0 (whether or not it
/// is a working day), the first working day after it is day 1. `n = 0` gives `date`.
///
/// E.g. an arrest on Thu 24 Dec 2026 with a 1-working-day deadline is due Tue 29 Dec 2026:
/// Fri 25 Christmas, Sat 26 and Sun 27 weekend, Mon 28 Boxing Day substitute.
pub fn add_working_days(date: Date, n: u32) -> Date {
    let mut d = date;
    let mut left = n;
    // Walk a year's holidays at a time instead of rebuilding them for every day.
    let mut year = d.year();
    let mut holidays = bank_holidays(year);
    while left > 0 {
        d = d.add_days(1);
        if d.year() != year {
            year = d.year();
            holidays = bank_holidays(year);
        }
        if !d.weekday().is_weekend() && !holidays.iter().any(|h| h.date == d) {
            left -= 1;
        }
    }
    d
}

/// Working days in the half-open range (from, to], so that
/// `working_days_between(d, add_working_days(d, n)) == n`. When `to` is before `from` the
/// count of (to, from] is returned negated: from a due date to the day the duty was met,
/// -2 means two working days early and +2 two working days late.
pub fn working_days_between(from: Date, to: Date) -> i64 {
    if to < from {
        return -working_days_between(to, from);
    }
    let mut count = 0;
    let mut d = from;
    while d < to {
        d = d.add_days(1);
        if is_working_day(d) {
            count += 1;
        }
    }
    count
}

/// The first working day on or after `date`.
pub fn next_working_day_from(date: Date) -> Date {
    let mut d = date;
    while !is_working_day(d) {
        d = d.add_days(1);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::d;

    fn dates(year: i32) -> Vec<String> {
        bank_holidays(year).iter().map(|h| h.date.to_string()).collect()
    }

    #[test]
    fn easter_sundays() {
        // Known Easter Sundays (Church of England tables): the algorithm's own check.
        for (y, e) in [
            (2019, "2019-04-21"),
            (2020, "2020-04-12"),
            (2021, "2021-04-04"),
            (2022, "2022-04-17"),
            (2023, "2023-04-09"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2028, "2028-04-16"),
            (2029, "2029-04-01"),
            (2030, "2030-04-21"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"),
            (1943, "1943-04-25"),
        ] {
            assert_eq!(easter_sunday(y), d(e), "{y}");
        }
    }

    // GOV.UK England and Wales lists, checked line by line.
    #[test]
    fn gov_uk_2024() {
        assert_eq!(
            dates(2024),
            [
                "2024-01-01",
                "2024-03-29",
                "2024-04-01",
                "2024-05-06",
                "2024-05-27",
                "2024-08-26",
                "2024-12-25",
                "2024-12-26",
            ]
        );
    }

    #[test]
    fn gov_uk_2025() {
        assert_eq!(
            dates(2025),
            [
                "2025-01-01",
                "2025-04-18",
                "2025-04-21",
                "2025-05-05",
                "2025-05-26",
                "2025-08-25",
                "2025-12-25",
                "2025-12-26",
            ]
        );
    }

    #[test]
    fn gov_uk_2026_with_boxing_day_substitute() {
        // 25 Dec 2026 is a Friday, 26 Dec a Saturday → substitute Mon 28 Dec.
        assert_eq!(
            dates(2026),
            [
                "2026-01-01",
                "2026-04-03",
                "2026-04-06",
                "2026-05-04",
                "2026-05-25",
                "2026-08-31",
                "2026-12-25",
                "2026-12-28",
            ]
        );
        let names: Vec<_> = bank_holidays(2026).iter().map(|h| h.name).collect();
        assert_eq!(names[7], "Boxing Day (substitute day)");
    }

    #[test]
    fn gov_uk_2027_christmas_on_saturday() {
        // 25 Dec 2027 Saturday, 26 Sunday → Mon 27 and Tue 28 both substitute days.
        assert_eq!(
            dates(2027),
            [
                "2027-01-01",
                "2027-03-26",
                "2027-03-29",
                "2027-05-03",
                "2027-05-31",
                "2027-08-30",
                "2027-12-27",
                "2027-12-28",
            ]
        );
        let h = bank_holidays(2027);
        assert_eq!(h[6].name, "Christmas Day (substitute day)");
        assert_eq!(h[7].name, "Boxing Day (substitute day)");
    }

    #[test]
    fn gov_uk_2020_ve_day() {
        assert_eq!(
            dates(2020),
            [
                "2020-01-01",
                "2020-04-10",
                "2020-04-13",
                "2020-05-08",
                "2020-05-25",
                "2020-08-31",
                "2020-12-25",
                "2020-12-28",
            ]
        );
        assert!(!is_bank_holiday(d("2020-05-04")), "the early May holiday moved to the 8th");
    }

    #[test]
    fn gov_uk_2021() {
        assert_eq!(
            dates(2021),
            [
                "2021-01-01",
                "2021-04-02",
                "2021-04-05",
                "2021-05-03",
                "2021-05-31",
                "2021-08-30",
                "2021-12-27",
                "2021-12-28",
            ]
        );
    }

    #[test]
    fn gov_uk_2022_jubilee_funeral_and_christmas_on_sunday() {
        // 1 Jan Saturday → Mon 3 Jan. 25 Dec Sunday → Boxing Day Mon 26, Christmas Tue 27.
        assert_eq!(
            dates(2022),
            [
                "2022-01-03",
                "2022-04-15",
                "2022-04-18",
                "2022-05-02",
                "2022-06-02",
                "2022-06-03",
                "2022-08-29",
                "2022-09-19",
                "2022-12-26",
                "2022-12-27",
            ]
        );
        let h = bank_holidays(2022);
        assert_eq!(h[0].name, "New Year's Day (substitute day)");
        assert_eq!(h[8].name, "Boxing Day");
        assert_eq!(h[9].name, "Christmas Day (substitute day)");
        assert!(!is_bank_holiday(d("2022-05-30")), "spring holiday moved to 2 June");
    }

    #[test]
    fn gov_uk_2023_coronation() {
        // 1 Jan Sunday → Mon 2 Jan.
        assert_eq!(
            dates(2023),
            [
                "2023-01-02",
                "2023-04-07",
                "2023-04-10",
                "2023-05-01",
                "2023-05-08",
                "2023-05-29",
                "2023-08-28",
                "2023-12-25",
                "2023-12-26",
            ]
        );
    }

    #[test]
    fn derived_2028_to_2030() {
        // By the standing rules (no one-off proclaimed): 1 Jan 2028 is a Saturday → Mon 3.
        assert_eq!(
            dates(2028),
            [
                "2028-01-03",
                "2028-04-14",
                "2028-04-17",
                "2028-05-01",
                "2028-05-29",
                "2028-08-28",
                "2028-12-25",
                "2028-12-26",
            ]
        );
        assert_eq!(
            dates(2029),
            [
                "2029-01-01",
                "2029-03-30",
                "2029-04-02",
                "2029-05-07",
                "2029-05-28",
                "2029-08-27",
                "2029-12-25",
                "2029-12-26",
            ]
        );
        assert_eq!(
            dates(2030),
            [
                "2030-01-01",
                "2030-04-19",
                "2030-04-22",
                "2030-05-06",
                "2030-05-27",
                "2030-08-26",
                "2030-12-25",
                "2030-12-26",
            ]
        );
    }

    #[test]
    fn every_covered_holiday_is_a_weekday_and_unique() {
        for y in FIRST_YEAR..=LAST_YEAR {
            let h = bank_holidays(y);
            assert!(h.len() >= 8, "{y}");
            assert!(h.iter().all(|x| !x.date.weekday().is_weekend()), "{y}");
            assert!(h.windows(2).all(|w| w[0].date < w[1].date), "{y}");
            assert!(is_covered(y));
        }
        assert!(!is_covered(2031));
    }

    #[test]
    fn one_offs_are_valid_weekdays_and_replace_real_standing_days() {
        for o in ONE_OFFS {
            assert!(is_covered(o.date.year()));
            assert_eq!(Date::parse(&o.date.to_string()).unwrap(), o.date);
            assert!(!o.date.weekday().is_weekend());
            if let Some(old) = o.replaces {
                assert!(standing_days(old.year()).iter().any(|h| h.date == old), "{old}");
            }
        }
    }

    #[test]
    fn working_days() {
        assert!(is_working_day(d("2026-12-24")));
        assert!(!is_working_day(d("2026-12-25")), "Christmas Day");
        assert!(!is_working_day(d("2026-12-26")), "Saturday");
        assert!(!is_working_day(d("2026-12-28")), "Boxing Day substitute");
        assert!(is_working_day(d("2026-12-29")));
        assert!(!is_working_day(d("2027-01-01")), "New Year's Day");
    }

    #[test]
    fn adding_working_days_over_a_weekend() {
        // Fri 6 Mar 2026 + 1 → Mon 9 Mar; + 5 → Fri 13 Mar.
        assert_eq!(add_working_days(d("2026-03-06"), 1), d("2026-03-09"));
        assert_eq!(add_working_days(d("2026-03-06"), 5), d("2026-03-13"));
        // From a Saturday the Saturday is day 0: + 1 → Mon 9 Mar.
        assert_eq!(add_working_days(d("2026-03-07"), 1), d("2026-03-09"));
        assert_eq!(add_working_days(d("2026-03-07"), 0), d("2026-03-07"));
    }

    #[test]
    fn adding_working_days_over_easter_2026() {
        // Thu 2 Apr 2026 + 1: Fri 3 Good Friday, Sat, Sun, Mon 6 Easter Monday → Tue 7 Apr.
        assert_eq!(add_working_days(d("2026-04-02"), 1), d("2026-04-07"));
        // + 2 (Victims' Code referral): Tue 7 (1), Wed 8 (2).
        assert_eq!(add_working_days(d("2026-04-02"), 2), d("2026-04-08"));
    }

    #[test]
    fn adding_working_days_over_christmas_2026() {
        // Thu 24 Dec 2026. Fri 25 Christmas, Sat 26, Sun 27, Mon 28 Boxing Day substitute.
        // Day 1 Tue 29, 2 Wed 30, 3 Thu 31; Fri 1 Jan 2027 New Year's Day, Sat 2, Sun 3;
        // 4 Mon 4 Jan, 5 Tue 5 Jan.
        let eve = d("2026-12-24");
        assert_eq!(add_working_days(eve, 1), d("2026-12-29"));
        assert_eq!(add_working_days(eve, 3), d("2026-12-31"));
        assert_eq!(add_working_days(eve, 4), d("2027-01-04"));
        assert_eq!(add_working_days(eve, 5), d("2027-01-05"));
    }

    #[test]
    fn counting_working_days_inverts_adding_them() {
        let eve = d("2026-12-24");
        assert_eq!(working_days_between(eve, d("2027-01-05")), 5);
        assert_eq!(working_days_between(d("2027-01-05"), eve), -5);
        assert_eq!(working_days_between(eve, eve), 0);
        assert_eq!(working_days_between(eve, d("2026-12-28")), 0, "only holidays and weekend");
        let mut day = d("2025-12-01");
        while day < d("2027-02-01") {
            for n in [0, 1, 2, 5, 7, 20] {
                assert_eq!(working_days_between(day, add_working_days(day, n)), n as i64, "{day} + {n}");
            }
            day = day.add_days(1);
        }
        // 2026 has 261 weekdays (52 weeks + Thu 1 Jan) less 8 weekday bank holidays = 253.
        assert_eq!(working_days_between(d("2025-12-31"), d("2026-12-31")), 253);
    }

    #[test]
    fn next_working_day() {
        assert_eq!(next_working_day_from(d("2026-12-25")), d("2026-12-29"));
        assert_eq!(next_working_day_from(d("2026-12-29")), d("2026-12-29"));
    }
}
