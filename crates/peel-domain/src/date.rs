//! Civil dates and minute timestamps: just enough calendar for dated obligations.
//!
//! The Victims' Code counts in working days and the Home Office Counting Rules in hours, so
//! Peel needs a date it can add days to and ask the weekday of, and a timestamp it can add
//! 24 hours to. Both are proleptic Gregorian and carry no time zone: a `Timestamp` is the
//! wall-clock minute as written (the store keeps UTC; converting is the caller's business).
//!
//! Method: days since 1970-01-01 ↔ year/month/day by Howard Hinnant's `days_from_civil` and
//! `civil_from_days` algorithms ("chrono-Compatible Low-Level Date Algorithms", 2013), which
//! are exact for every Gregorian date; 1970-01-01 was a Thursday.

use crate::month::MONTH_NAMES;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Years a parsed or constructed date may fall in, as `YearMonth` allows: wide enough for
/// any crime, dates of birth and due dates, narrow enough to catch a mistyped year.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2999;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
impl std::error::Error for DateError {}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1-12) of `year`; 0 for a month outside 1-12.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }

    /// "Mon", "Tue", … as letters and papers write them.
    pub fn short_name(self) -> &'static str {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self as usize]
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// A calendar date. Fields are private so that every `Date` is a real one; ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DateError(format!("year {year} is out of range {MIN_YEAR}-{MAX_YEAR}")));
        }
        if !(1..=12).contains(&month) {
            return Err(DateError(format!("month {month} is not 1-12")));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(DateError(format!(
                "day {day} is not in {} {year}, which has {last} days",
                MONTH_NAMES[month as usize - 1]
            )));
        }
        Ok(Date { year, month, day })
    }

    /// For the crate's own tables of known-good dates (checked by their tests).
    pub(crate) const fn ymd(year: i32, month: u8, day: u8) -> Self {
        Date { year, month, day }
    }

    /// Parses exactly "YYYY-MM-DD" (ISO 8601 calendar date). "2026-1-5", "05/01/2026" and
    /// "2026-02-30" are refused with the reason, never guessed at.
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return Err(DateError(format!("'{s}' is not a date in the form YYYY-MM-DD")));
        }
        // The shape check above makes these parses infallible.
        Date::new(s[0..4].parse().unwrap(), s[5..7].parse().unwrap(), s[8..10].parse().unwrap())
            .map_err(|e| DateError(format!("'{s}' is not a date: {e}")))
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it): the dense day number for arithmetic.
    pub fn days_since_epoch(self) -> i64 {
        let y = self.year as i64 - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400; // [0, 399]
        let mp = (self.month as i64 + 9) % 12; // March = 0
        let doy = (153 * mp + 2) / 5 + self.day as i64 - 1; // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01. Arithmetic may leave `MIN_YEAR..=MAX_YEAR`; only
    /// `new` and `parse` check the range.
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Day of the year, 1 January = 1 (the ordinal date of ISO 8601).
    pub fn day_of_year(self) -> u16 {
        (self.days_since_epoch() - Date::ymd(self.year, 1, 1).days_since_epoch() + 1) as u16
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 (day 0) was a Thursday, index 3 counting Monday as 0.
        Weekday::ALL[(self.days_since_epoch() + 3).rem_euclid(7) as usize]
    }

    pub fn add_days(self, days: i64) -> Self {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// Days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// The same day `years` later; 29 February becomes 28 February in a common year.
    pub fn add_years(self, years: i32) -> Self {
        let year = self.year + years;
        Date { year, month: self.month, day: self.day.min(days_in_month(year, self.month)) }
    }

    /// "Thu 24 Dec 2026": the spelling letters to victims use.
    pub fn long_label(self) -> String {
        format!(
            "{} {} {} {}",
            self.weekday().short_name(),
            self.day,
            &MONTH_NAMES[self.month as usize - 1][..3],
            self.year
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, DateError> {
        Date::parse(s)
    }
}

/// Serialised as "YYYY-MM-DD", the form the API and the CLI both use.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A wall-clock minute: minutes since 1970-01-01T00:00. Enough for "within 24 hours".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const MINUTES_PER_DAY: i64 = 24 * 60;

    /// Wall-clock time in England and Wales for a moment given as seconds since the Unix
    /// epoch (UTC). Peel's times have no zone: they are the local time officers and victims
    /// live by, so that "today" and due dates turn over at local midnight. British Summer
    /// Time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
    /// of October (Summer Time Order 2002).
    pub fn from_unix_london(seconds: i64) -> Self {
        let utc = Timestamp(seconds.div_euclid(60));
        let year = utc.date().year();
        let last_sunday = |month: u8| {
            let last = Date::ymd(year, month, days_in_month(year, month));
            last.add_days(-((last.weekday() as i64 + 1) % 7))
        };
        let starts = Timestamp(last_sunday(3).days_since_epoch() * Self::MINUTES_PER_DAY + 60);
        let ends = Timestamp(last_sunday(10).days_since_epoch() * Self::MINUTES_PER_DAY + 60);
        if utc >= starts && utc < ends {
            utc.add_minutes(60)
        } else {
            utc
        }
    }

    pub fn from_minutes(minutes_since_epoch: i64) -> Self {
        Timestamp(minutes_since_epoch)
    }

    pub fn new(date: Date, hour: u8, minute: u8) -> Result<Self, DateError> {
        if hour > 23 || minute > 59 {
            return Err(DateError(format!("{hour:02}:{minute:02} is not a time of day 00:00-23:59")));
        }
        Ok(Timestamp(date.days_since_epoch() * Self::MINUTES_PER_DAY + hour as i64 * 60 + minute as i64))
    }

    /// Parses exactly "YYYY-MM-DDTHH:MM" (ISO 8601, minutes, no zone).
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let b = s.as_bytes();
        let bad = || DateError(format!("'{s}' is not a date and time in the form YYYY-MM-DDTHH:MM"));
        if b.len() != 16 || b[10] != b'T' || b[13] != b':' {
            return Err(bad());
        }
        if !b[11..13].iter().chain(&b[14..16]).all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let date = Date::parse(&s[..10]).map_err(|e| DateError(format!("'{s}': {e}")))?;
        Timestamp::new(date, s[11..13].parse().unwrap(), s[14..16].parse().unwrap())
            .map_err(|e| DateError(format!("'{s}': {e}")))
    }

    pub fn minutes_since_epoch(self) -> i64 {
        self.0
    }

    pub fn date(self) -> Date {
        Date::from_days_since_epoch(self.0.div_euclid(Self::MINUTES_PER_DAY))
    }

    /// (hour, minute) of the day.
    pub fn time(self) -> (u8, u8) {
        let m = self.0.rem_euclid(Self::MINUTES_PER_DAY);
        ((m / 60) as u8, (m % 60) as u8)
    }

    pub fn add_minutes(self, minutes: i64) -> Self {
        Timestamp(self.0 + minutes)
    }

    pub fn add_hours(self, hours: i64) -> Self {
        Timestamp(self.0 + hours * 60)
    }

    /// Minutes from `self` to `later` (negative if `later` is earlier).
    pub fn minutes_until(self, later: Timestamp) -> i64 {
        later.0 - self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m) = self.time();
        write!(f, "{}T{h:02}:{m:02}", self.date())
    }
}

impl FromStr for Timestamp {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, DateError> {
        Timestamp::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
pub(crate) fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_dates_and_refuses_everything_else() {
        let x = d("2026-12-24");
        assert_eq!((x.year(), x.month(), x.day()), (2026, 12, 24));
        assert_eq!(x.to_string(), "2026-12-24");
        assert_eq!("2024-02-29".parse::<Date>().unwrap().to_string(), "2024-02-29");
        for bad in [
            "2026-1-05",
            "24/12/2026",
            "2026/12/24",
            "20261224",
            "",
            "2026-12-24 ",
            "２026-12-24",
            "2026-13-01",
            "2026-00-10",
            "2026-12-00",
            "2026-12-32",
            "2025-02-29",
            "1900-02-29",
            "1899-12-31",
            "3000-01-01",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} accepted");
        }
        assert!(Date::parse("2000-02-29").is_ok(), "2000 is a leap year (divisible by 400)");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            Date::parse("2026-02-30").unwrap_err().to_string(),
            "'2026-02-30' is not a date: day 30 is not in February 2026, which has 28 days"
        );
        assert_eq!(
            Date::parse("30/02/2026").unwrap_err().to_string(),
            "'30/02/2026' is not a date in the form YYYY-MM-DD"
        );
        assert_eq!(
            Date::parse("2026-13-01").unwrap_err().to_string(),
            "'2026-13-01' is not a date: month 13 is not 1-12"
        );
    }

    #[test]
    fn day_numbers_at_known_points() {
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("1970-01-02").days_since_epoch(), 1);
        assert_eq!(d("1969-12-31").days_since_epoch(), -1);
        // 30 years of 365 days plus the 7 leap days 1972..1996 = 10,957.
        assert_eq!(d("2000-01-01").days_since_epoch(), 10_957);
        // 2026-12-24: 56 years → 20,454 days (56 × 365 + 14 leap days 1972..2024) to
        // 2026-01-01, plus 357 days (day of year 358) = 20,811.
        assert_eq!(d("2026-01-01").days_since_epoch(), 20_454);
        assert_eq!(d("2026-12-24").day_of_year(), 358);
        assert_eq!(d("2026-12-24").days_since_epoch(), 20_811);
        assert_eq!(Date::from_days_since_epoch(20_811), d("2026-12-24"));
    }

    #[test]
    fn round_trips_every_day_1900_to_2100() {
        let start = d("1900-01-01").days_since_epoch();
        let end = Date::ymd(2100, 12, 31).days_since_epoch();
        let mut expected = d("1900-01-01");
        for n in start..=end {
            let date = Date::from_days_since_epoch(n);
            assert_eq!(date, expected, "day {n}");
            assert_eq!(date.days_since_epoch(), n);
            // Next date by hand: day + 1, rolling month and year.
            expected = if expected.day < days_in_month(expected.year, expected.month) {
                Date::ymd(expected.year, expected.month, expected.day + 1)
            } else if expected.month < 12 {
                Date::ymd(expected.year, expected.month + 1, 1)
            } else {
                Date::ymd(expected.year + 1, 1, 1)
            };
        }
    }

    #[test]
    fn london_time_follows_british_summer_time() {
        let unix = |s: &str| Timestamp::parse(s).unwrap().minutes_since_epoch() * 60;
        // 2026: BST from Sun 29 Mar 01:00 UTC to Sun 25 Oct 01:00 UTC.
        assert_eq!(Timestamp::from_unix_london(unix("2026-01-15T12:00")).to_string(), "2026-01-15T12:00");
        assert_eq!(Timestamp::from_unix_london(unix("2026-03-29T00:59")).to_string(), "2026-03-29T00:59");
        assert_eq!(Timestamp::from_unix_london(unix("2026-03-29T01:00")).to_string(), "2026-03-29T02:00");
        assert_eq!(Timestamp::from_unix_london(unix("2026-07-01T23:30")).to_string(), "2026-07-02T00:30");
        assert_eq!(Timestamp::from_unix_london(unix("2026-10-25T00:59")).to_string(), "2026-10-25T01:59");
        assert_eq!(Timestamp::from_unix_london(unix("2026-10-25T01:00")).to_string(), "2026-10-25T01:00");
        // 2027: last Sundays are 28 Mar and 31 Oct.
        assert_eq!(Timestamp::from_unix_london(unix("2027-03-28T01:00")).to_string(), "2027-03-28T02:00");
        assert_eq!(Timestamp::from_unix_london(unix("2027-10-30T12:00")).to_string(), "2027-10-30T13:00");
        assert_eq!(Timestamp::from_unix_london(unix("2027-10-31T01:00")).to_string(), "2027-10-31T01:00");
    }

    #[test]
    fn weekdays() {
        assert_eq!(d("1970-01-01").weekday(), Weekday::Thursday);
        assert_eq!(d("1969-12-29").weekday(), Weekday::Monday);
        assert_eq!(d("2026-12-24").weekday(), Weekday::Thursday);
        assert_eq!(d("2026-12-25").weekday(), Weekday::Friday);
        assert_eq!(d("2026-12-26").weekday(), Weekday::Saturday);
        assert_eq!(d("2024-02-29").weekday(), Weekday::Thursday);
        assert_eq!(d("2000-01-01").weekday(), Weekday::Saturday);
        assert_eq!(d("1900-01-01").weekday(), Weekday::Monday);
        assert!(d("2026-12-27").weekday().is_weekend());
        assert!(!d("2026-12-28").weekday().is_weekend());
    }

    #[test]
    fn ordinal_days() {
        assert_eq!(d("2026-01-01").day_of_year(), 1);
        assert_eq!(d("2026-12-31").day_of_year(), 365);
        assert_eq!(d("2024-12-31").day_of_year(), 366);
        assert_eq!(d("2024-03-01").day_of_year(), 61);
    }

    #[test]
    fn adding_days_crosses_months_years_and_leap_days() {
        assert_eq!(d("2026-12-24").add_days(8), d("2027-01-01"));
        assert_eq!(d("2024-02-28").add_days(1), d("2024-02-29"));
        assert_eq!(d("2025-02-28").add_days(1), d("2025-03-01"));
        assert_eq!(d("2027-01-05").add_days(-12), d("2026-12-24"));
        assert_eq!(d("2026-12-24").days_until(d("2027-01-05")), 12);
        assert_eq!(d("2024-02-29").add_years(1), d("2025-02-28"));
        assert_eq!(d("2024-02-29").add_years(-4), d("2020-02-29"));
    }

    #[test]
    fn long_labels() {
        assert_eq!(d("2026-12-24").long_label(), "Thu 24 Dec 2026");
        assert_eq!(d("2027-01-05").long_label(), "Tue 5 Jan 2027");
    }

    #[test]
    fn timestamps() {
        let t = Timestamp::parse("2026-12-24T23:30").unwrap();
        assert_eq!(t.minutes_since_epoch(), 20_811 * 1440 + 23 * 60 + 30);
        assert_eq!(t.date(), d("2026-12-24"));
        assert_eq!(t.time(), (23, 30));
        assert_eq!(t.to_string(), "2026-12-24T23:30");
        assert_eq!(t.add_hours(24).to_string(), "2026-12-25T23:30");
        assert_eq!(t.add_minutes(31).to_string(), "2026-12-25T00:01");
        assert_eq!(t.minutes_until(t.add_hours(24)), 1440);
        let before_epoch = Timestamp::parse("1969-12-31T23:59").unwrap();
        assert_eq!(before_epoch.minutes_since_epoch(), -1);
        assert_eq!(before_epoch.to_string(), "1969-12-31T23:59");
        for bad in [
            "2026-12-24",
            "2026-12-24 23:30",
            "2026-12-24T24:00",
            "2026-12-24T23:60",
            "2026-12-24T9:30",
            "2026-02-30T10:00",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            Timestamp::parse("2026-12-24T24:00").unwrap_err().to_string(),
            "'2026-12-24T24:00': 24:00 is not a time of day 00:00-23:59"
        );
    }

    #[test]
    fn deserialises_from_iso_strings() {
        let de: Result<Date, serde::de::value::Error> =
            Date::deserialize(serde::de::value::StrDeserializer::new("2026-12-24"));
        assert_eq!(de.unwrap(), d("2026-12-24"));
        let de: Result<Date, serde::de::value::Error> =
            Date::deserialize(serde::de::value::StrDeserializer::new("2026-02-30"));
        assert!(de.is_err());
    }
}
