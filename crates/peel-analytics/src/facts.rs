//! The force's own crimes as columns (the store's `crime_fact` rows: crimes recorded in Peel
//! and crimes imported from the force's previous system), and the same crimes as police.uk
//! street-level columns, so that every analysis written for published data runs on them.

use crate::columns::{Geography, Lsoa, StreetColumns, NONE};
use peel_domain::outcome::police_uk_wording;
use std::collections::HashMap;

/// Strings of one column, each kept once, rows holding indexes into `names`. Looked up once
/// per crime and column as the store's rows are read (five columns of 700,000 crimes for a
/// board paper): hashed with foldhash rather than the standard library's SipHash, which
/// resists crafted keys Peel's own columns never hold and costs several times as much.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    pub names: Vec<String>,
    index: HashMap<String, u32, foldhash::fast::RandomState>,
}

impl Dictionary {
    /// The index of `name` (added if new); `NONE` for no value.
    pub fn code(&mut self, name: Option<&str>) -> u32 {
        let Some(name) = name else { return NONE };
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }

    /// The name at `i`; `None` for `NONE`.
    pub fn name(&self, i: u32) -> Option<&str> {
        self.names.get(i as usize).map(String::as_str)
    }
}

/// A force's crimes, one entry per crime in every vector.
#[derive(Debug, Clone, Default)]
pub struct CrimeFacts {
    /// When recorded: minutes since 1970-01-01T00:00, local time (peel-domain `Timestamp`).
    pub recorded: Vec<i64>,
    /// `YearMonth::index()` of the month recorded.
    pub month: Vec<i32>,
    /// Hour of the day recorded, 0-23.
    pub hour: Vec<u8>,
    /// Day of the week recorded, 0 = Monday (peel-domain `Weekday as u8`).
    pub weekday: Vec<u8>,
    /// `Category::code()`.
    pub category: Vec<u8>,
    /// Index into `offences` (Home Office codes).
    pub offence: Vec<u32>,
    pub offences: Dictionary,
    /// Cambridge Crime Harm Index days of the offence's exact subgroup; `None` where the
    /// index weighs none (fraud).
    pub harm: Vec<Option<f64>>,
    /// Flag bit set (peel-domain `flags::bit`).
    pub flags: Vec<u64>,
    /// Indexes into `lsoas`, `wards` and `local_authorities` (ONS codes), or `NONE` where the
    /// place is unknown.
    pub lsoa: Vec<u32>,
    pub lsoas: Dictionary,
    pub ward: Vec<u32>,
    pub wards: Dictionary,
    pub local_authority: Vec<u32>,
    pub local_authorities: Dictionary,
    /// British National Grid metres.
    pub easting: Vec<Option<i32>>,
    pub northing: Vec<Option<i32>>,
    pub victim_age: Vec<Option<u8>>,
    /// 'F', 'M', 'X' (other) or 'U' (not known), as an ASCII byte.
    pub victim_sex: Vec<Option<u8>>,
    /// Home Office outcome type 0-22; `None` while there is none.
    pub outcome_type: Vec<Option<u8>>,
    /// `YearMonth::index()` of the outcome's month.
    pub outcome_month: Vec<Option<i32>>,
    /// Index into `teams`, or `NONE`.
    pub team: Vec<u32>,
    pub teams: Dictionary,
}

impl CrimeFacts {
    pub fn len(&self) -> usize {
        self.month.len()
    }

    pub fn is_empty(&self) -> bool {
        self.month.is_empty()
    }

    /// `later`'s crimes after these (read from two stretches of months at once, say): its
    /// dictionary indexes mapped into these dictionaries.
    pub fn append(&mut self, later: CrimeFacts) {
        fn remap(into: &mut Dictionary, from: &Dictionary, codes: &[u32], out: &mut Vec<u32>) {
            let map: Vec<u32> = from.names.iter().map(|n| into.code(Some(n))).collect();
            out.extend(codes.iter().map(|&c| if c == NONE { NONE } else { map[c as usize] }));
        }
        remap(&mut self.offences, &later.offences, &later.offence, &mut self.offence);
        remap(&mut self.lsoas, &later.lsoas, &later.lsoa, &mut self.lsoa);
        remap(&mut self.wards, &later.wards, &later.ward, &mut self.ward);
        remap(&mut self.local_authorities, &later.local_authorities, &later.local_authority, &mut self.local_authority);
        remap(&mut self.teams, &later.teams, &later.team, &mut self.team);
        self.recorded.extend(later.recorded);
        self.month.extend(later.month);
        self.hour.extend(later.hour);
        self.weekday.extend(later.weekday);
        self.category.extend(later.category);
        self.harm.extend(later.harm);
        self.flags.extend(later.flags);
        self.easting.extend(later.easting);
        self.northing.extend(later.northing);
        self.victim_age.extend(later.victim_age);
        self.victim_sex.extend(later.victim_sex);
        self.outcome_type.extend(later.outcome_type);
        self.outcome_month.extend(later.outcome_month);
    }

    /// The crimes `keep` keeps, in order (the dictionaries whole, so indexes stay valid).
    pub fn only(&self, keep: impl Fn(usize) -> bool) -> CrimeFacts {
        let rows: Vec<usize> = (0..self.len()).filter(|&i| keep(i)).collect();
        fn pick<T: Copy>(v: &[T], rows: &[usize]) -> Vec<T> {
            rows.iter().map(|&i| v[i]).collect()
        }
        CrimeFacts {
            recorded: pick(&self.recorded, &rows),
            month: pick(&self.month, &rows),
            hour: pick(&self.hour, &rows),
            weekday: pick(&self.weekday, &rows),
            category: pick(&self.category, &rows),
            offence: pick(&self.offence, &rows),
            offences: self.offences.clone(),
            harm: pick(&self.harm, &rows),
            flags: pick(&self.flags, &rows),
            lsoa: pick(&self.lsoa, &rows),
            lsoas: self.lsoas.clone(),
            ward: pick(&self.ward, &rows),
            wards: self.wards.clone(),
            local_authority: pick(&self.local_authority, &rows),
            local_authorities: self.local_authorities.clone(),
            easting: pick(&self.easting, &rows),
            northing: pick(&self.northing, &rows),
            victim_age: pick(&self.victim_age, &rows),
            victim_sex: pick(&self.victim_sex, &rows),
            outcome_type: pick(&self.outcome_type, &rows),
            outcome_month: pick(&self.outcome_month, &rows),
            team: pick(&self.team, &rows),
            teams: self.teams.clone(),
        }
    }

    /// Crime harm of the crimes recorded in `month` (a `YearMonth::index()`), from each
    /// offence's own subgroup weight, not its category's average.
    pub fn harm_in(&self, month: i32) -> f64 {
        self.month.iter().zip(&self.harm).filter(|(m, _)| **m == month).filter_map(|(_, h)| *h).sum()
    }

    /// The crimes as police.uk street-level columns with their geography: month = month
    /// recorded; LSOA from the crime's LSOA code; one point per crime with a grid position
    /// (there is no snapping to police.uk's anonymised points: the force's own data is
    /// exact); outcome in police.uk's "Last outcome category" words for its Home Office
    /// type (`police_uk_wording`). `lsoa_details` describes `lsoas.names` in order, then any
    /// further LSOAs of the force (which may have no crime but have population).
    pub fn to_street(&self, lsoa_details: Vec<Lsoa>) -> (StreetColumns, Geography) {
        debug_assert!(lsoa_details.len() >= self.lsoas.names.len());
        let mut cols = StreetColumns {
            month: self.month.clone(),
            category: self.category.clone(),
            lsoa: self.lsoa.clone(),
            harm: self.harm.iter().map(|h| h.unwrap_or(0.0)).collect(),
            ..StreetColumns::default()
        };
        let mut points = Vec::new();
        cols.point = self
            .easting
            .iter()
            .zip(&self.northing)
            .map(|(e, n)| match (e, n) {
                (Some(e), Some(n)) => {
                    points.push((f64::from(*e), f64::from(*n)));
                    points.len() as u32 - 1
                }
                _ => NONE,
            })
            .collect();
        let mut outcomes = Dictionary::default();
        cols.outcome = self.outcome_type.iter().map(|t| outcomes.code(police_uk_wording(*t))).collect();
        cols.outcome_names = outcomes.names;
        (cols, Geography { lsoas: lsoa_details, points })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use peel_domain::{Category, YearMonth};

    fn facts() -> CrimeFacts {
        let mut f = CrimeFacts::default();
        let m = YearMonth { year: 2025, month: 3 }.index();
        let rows = [
            (Category::Burglary, Some("E01000001"), Some((406_523, 286_448)), Some(273.5), None),
            (Category::Robbery, None, None, Some(365.0), Some(18)),
            (Category::OtherCrime, Some("E01000001"), Some((406_000, 286_000)), None, Some(1)),
        ];
        for (c, lsoa, en, harm, outcome) in rows {
            f.month.push(m);
            f.category.push(c.code());
            f.lsoa.push(f.lsoas.code(lsoa));
            f.easting.push(en.map(|p: (i32, i32)| p.0));
            f.northing.push(en.map(|p| p.1));
            f.harm.push(harm);
            f.outcome_type.push(outcome);
        }
        f
    }

    #[test]
    fn crimes_read_as_street_columns() {
        let f = facts();
        let (cols, geo) = f.to_street(vec![Lsoa { code: "E01000001".into(), ..Default::default() }]);
        assert_eq!(cols.len(), 3);
        assert_eq!(cols.lsoa, [0, NONE, 0]);
        assert_eq!(cols.point, [0, NONE, 1]);
        assert_eq!(geo.points, [(406_523.0, 286_448.0), (406_000.0, 286_000.0)]);
        // Each row keeps its own harm; fraud's none is no harm, not its category's weight.
        assert_eq!(cols.harm, [273.5, 365.0, 0.0]);
        let names: Vec<&str> = cols.outcome.iter().map(|&o| cols.outcome_names[o as usize].as_str()).collect();
        assert_eq!(
            names,
            ["Under investigation", "Investigation complete; no suspect identified", "Awaiting court outcome"]
        );
    }

    #[test]
    fn two_stretches_appended_read_as_one() {
        // Rows of names (offence, LSOA, ward, team), split after `cut`, each part with
        // dictionaries of its own: appended, every row names what it named before.
        let rows = [
            ("28E", Some("E01000002"), Some("E05001"), Some("CID")),
            ("8N", Some("E01000001"), None, None),
            ("28E", None, Some("E05002"), Some("Response")),
            ("105A", Some("E01000001"), Some("E05001"), Some("CID")),
        ];
        type Line<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
        type Named = (String, Option<String>, Option<String>, Option<String>);
        let read = |rows: &[Line]| {
            let mut f = CrimeFacts::default();
            for (i, (offence, lsoa, ward, team)) in rows.iter().enumerate() {
                f.month.push(i as i32);
                f.offence.push(f.offences.code(Some(offence)));
                f.lsoa.push(f.lsoas.code(*lsoa));
                f.ward.push(f.wards.code(*ward));
                f.local_authority.push(f.local_authorities.code(None));
                f.team.push(f.teams.code(*team));
            }
            f
        };
        let names = |f: &CrimeFacts| -> Vec<Named> {
            (0..f.len())
                .map(|i| {
                    let s = |d: &Dictionary, c: u32| d.name(c).map(str::to_string);
                    (
                        s(&f.offences, f.offence[i]).unwrap(),
                        s(&f.lsoas, f.lsoa[i]),
                        s(&f.wards, f.ward[i]),
                        s(&f.teams, f.team[i]),
                    )
                })
                .collect()
        };
        let whole = read(&rows);
        for cut in 0..=rows.len() {
            let mut first = read(&rows[..cut]);
            first.append(read(&rows[cut..]));
            assert_eq!(names(&first), names(&whole), "cut at {cut}");
            assert_eq!(first.len(), whole.len());
            assert_eq!(first.offences.names.len(), 3, "each offence once");
        }
    }

    #[test]
    fn harm_is_the_exact_subgroups() {
        let f = facts();
        assert_eq!(f.harm_in(YearMonth { year: 2025, month: 3 }.index()), 273.5 + 365.0);
        assert_eq!(f.harm_in(YearMonth { year: 2025, month: 4 }.index()), 0.0);
    }
}
