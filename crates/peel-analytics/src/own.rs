//! Figures only the force's own records can give, because police.uk's street files have no
//! times, no victims and no exact offence: serious youth violence and the hour × weekday
//! table.

use crate::facts::CrimeFacts;
use serde::Serialize;
use std::ops::RangeInclusive;

/// The Home Office subgroup that serious youth violence is counted in: seed 004 §24, "the focus
/// nationally is worded 'under 25 Violence with Injury'".
pub const YOUTH_VIOLENCE_SUBGROUP: &str = "Violence with injury";
/// Victims younger than this, on the day the crime was recorded (seed 004 §24: "under 25").
pub const YOUTH_AGE_UNDER: u8 = 25;

/// Serious youth violence over some months.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct YouthViolence {
    /// Violence with injury whose victim was under 25.
    pub crimes: u64,
    /// Their harm (CCHI days of each offence's own subgroup).
    pub harm: f64,
    /// Violence with injury whose victim's age is not known: not counted above, and said, so
    /// that a force whose records lack ages does not read a low figure as a low count.
    pub victim_age_unknown: u64,
}

/// Serious youth violence among the crimes recorded in `months` (`YearMonth::index()`s).
pub fn serious_youth_violence(f: &CrimeFacts, months: RangeInclusive<i32>) -> YouthViolence {
    serious_youth_violence_where(f, months, &|_| true)
}

/// As [`serious_youth_violence`], over the crimes `i` for which `inside(i)` holds (an area's).
pub fn serious_youth_violence_where(
    f: &CrimeFacts,
    months: RangeInclusive<i32>,
    inside: &dyn Fn(usize) -> bool,
) -> YouthViolence {
    let violent: Vec<bool> = f
        .offences
        .names
        .iter()
        .map(|code| peel_domain::offence::by_code(code).is_some_and(|o| o.subgroup == YOUTH_VIOLENCE_SUBGROUP))
        .collect();
    let mut y = YouthViolence::default();
    for i in 0..f.len() {
        if !months.contains(&f.month[i]) || !violent.get(f.offence[i] as usize).copied().unwrap_or(false) || !inside(i)
        {
            continue;
        }
        match f.victim_age[i] {
            Some(age) if age < YOUTH_AGE_UNDER => {
                y.crimes += 1;
                y.harm += f.harm[i].unwrap_or(0.0);
            }
            Some(_) => {}
            None => y.victim_age_unknown += 1,
        }
    }
    y
}

/// Crimes recorded in `months` by weekday (Monday first) and hour of the day, for one police.uk
/// category (`Category::code()`) or all: where and when patrols find most (seed 004 §27).
pub fn hour_by_weekday(f: &CrimeFacts, months: RangeInclusive<i32>, category: Option<u8>) -> [[u64; 24]; 7] {
    let mut t = [[0u64; 24]; 7];
    for i in 0..f.len() {
        if months.contains(&f.month[i]) && category.is_none_or(|c| f.category[i] == c) {
            t[f.weekday[i] as usize % 7][f.hour[i] as usize % 24] += 1;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Dictionary;

    /// A crime as (month, weekday, hour, offence code, victim age, harm).
    type Row<'a> = (i32, u8, u8, &'a str, Option<u8>, Option<f64>);

    fn facts(rows: &[Row]) -> CrimeFacts {
        let mut f = CrimeFacts { offences: Dictionary::default(), ..CrimeFacts::default() };
        for &(m, wd, h, code, age, harm) in rows {
            f.month.push(m);
            f.weekday.push(wd);
            f.hour.push(h);
            f.offence.push(f.offences.code(Some(code)));
            f.category.push(peel_domain::offence::by_code(code).unwrap().category.code());
            f.victim_age.push(age);
            f.harm.push(harm);
        }
        f
    }

    #[test]
    fn youth_violence_is_violence_with_injury_against_victims_under_25() {
        // 8N (assault with injury) is violence with injury; 105A (assault without injury) and
        // 28E (burglary) are not.
        let f = facts(&[
            (10, 4, 23, "8N", Some(19), Some(365.0)),
            (10, 5, 1, "8N", Some(24), Some(365.0)),
            (10, 5, 2, "8N", Some(25), Some(365.0)), // 25 is not under 25
            (10, 5, 3, "8N", None, Some(365.0)),     // age unknown: said apart
            (10, 0, 9, "105A", Some(17), Some(10.0)),
            (10, 0, 9, "28E", Some(17), Some(273.5)),
            (9, 4, 23, "8N", Some(18), Some(365.0)), // the month before
        ]);
        assert_eq!(
            serious_youth_violence(&f, 10..=10),
            YouthViolence { crimes: 2, harm: 730.0, victim_age_unknown: 1 }
        );
        assert_eq!(serious_youth_violence(&f, 9..=10).crimes, 3);
    }

    #[test]
    fn hours_by_weekday_count_each_crime_once_in_its_cell() {
        let f = facts(&[
            (10, 4, 23, "8N", None, None),
            (10, 4, 23, "8N", None, None),
            (10, 5, 1, "28E", None, None),
            (9, 5, 1, "28E", None, None),
        ]);
        let all = hour_by_weekday(&f, 10..=10, None);
        assert_eq!((all[4][23], all[5][1]), (2, 1));
        assert_eq!(all.iter().flatten().sum::<u64>(), 3);
        let burglary = peel_domain::offence::by_code("28E").unwrap().category.code();
        let b = hour_by_weekday(&f, 9..=10, Some(burglary));
        assert_eq!((b[5][1], b[4][23]), (2, 0));
    }
}
