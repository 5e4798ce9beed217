//! The column-oriented form of police.uk street-level records.

use peel_domain::{Category, YearMonth};

/// Marks "no value" in a dictionary-encoded column (a row with no location, no outcome).
pub const NONE: u32 = u32::MAX;

/// Street-level records of one force, one entry per row in every vector.
#[derive(Debug, Clone, Default)]
pub struct StreetColumns {
    /// `YearMonth::index()` of the row's month.
    pub month: Vec<i32>,
    /// `Category::code()`.
    pub category: Vec<u8>,
    /// Index into `Geography::lsoas`, or `NONE`.
    pub lsoa: Vec<u32>,
    /// Index into `Geography::points`, or `NONE`.
    pub point: Vec<u32>,
    /// Index into `outcome_names`, or `NONE` (ASB rows).
    pub outcome: Vec<u32>,
    /// The police.uk "Last outcome category" strings the `outcome` column refers to.
    pub outcome_names: Vec<String>,
    /// Each row's crime harm where the records say exactly which offence it was: the force's
    /// own crimes, weighed by the Cambridge Crime Harm Index days of their Home Office
    /// subgroup (0 where the index weighs none, as fraud). Empty for police.uk rows, whose
    /// category is all that is known and whose harm is the category's weight.
    pub harm: Vec<f64>,
}

impl StreetColumns {
    pub fn len(&self) -> usize {
        self.month.len()
    }

    pub fn is_empty(&self) -> bool {
        self.month.is_empty()
    }

    pub fn push(&mut self, month: YearMonth, category: Category, lsoa: u32, point: u32, outcome: u32) {
        self.month.push(month.index());
        self.category.push(category.code());
        self.lsoa.push(lsoa);
        self.point.push(point);
        self.outcome.push(outcome);
    }

    /// Row `i`'s crime harm: its own where known, else its category's weight.
    pub fn harm_of(&self, i: usize, weights: &[f64; 14]) -> f64 {
        match self.harm.get(i) {
            Some(h) => *h,
            None => weights[self.category[i] as usize],
        }
    }

    /// The rows for which `keep` holds, in order, with every column (the outcome names whole,
    /// so indexes still fit).
    pub fn select(&self, keep: impl Fn(usize) -> bool) -> StreetColumns {
        let rows: Vec<usize> = (0..self.len()).filter(|&i| keep(i)).collect();
        let pick = |col: &[u32]| rows.iter().map(|&i| col[i]).collect::<Vec<u32>>();
        StreetColumns {
            month: rows.iter().map(|&i| self.month[i]).collect(),
            category: rows.iter().map(|&i| self.category[i]).collect(),
            lsoa: pick(&self.lsoa),
            point: pick(&self.point),
            outcome: pick(&self.outcome),
            outcome_names: self.outcome_names.clone(),
            harm: if self.harm.is_empty() { Vec::new() } else { rows.iter().map(|&i| self.harm[i]).collect() },
        }
    }

    /// First and last month present, if any rows.
    pub fn month_range(&self) -> Option<(YearMonth, YearMonth)> {
        let min = *self.month.iter().min()?;
        let max = *self.month.iter().max()?;
        Some((YearMonth::from_index(min), YearMonth::from_index(max)))
    }
}

/// One LSOA (2011 Lower Layer Super Output Area) and the areas above it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lsoa {
    pub code: String,
    pub name: String,
    pub msoa_name: String,
    pub local_authority: String,
    /// ONS 2011 Census usual residents; 0 when ONS data has not been imported.
    pub persons: u64,
    pub households: u64,
    /// Area in hectares; 0 when unknown.
    pub hectares: f64,
    /// Whether the ONS lookup places this LSOA in the force being analysed.
    pub in_force: bool,
}

impl Lsoa {
    /// Local authority and MSOA from the LSOA name alone ("Barnsley 005C" → "Barnsley",
    /// "Barnsley 005"): ONS names every LSOA this way, so police.uk data can be grouped by
    /// local authority even before the ONS lookup is imported.
    pub fn areas_from_name(name: &str) -> (String, String) {
        let name = name.trim();
        match name.rsplit_once(' ') {
            Some((la, code)) if code.len() >= 4 && code[..3].bytes().all(|b| b.is_ascii_digit()) => {
                (la.to_string(), format!("{la} {}", &code[..3]))
            }
            _ => (name.to_string(), name.to_string()),
        }
    }
}

/// The places a force's records refer to.
#[derive(Debug, Clone, Default)]
pub struct Geography {
    pub lsoas: Vec<Lsoa>,
    /// British National Grid easting and northing (metres) of each police.uk snap point.
    pub points: Vec<(f64, f64)>,
}

impl Geography {
    /// Persons in the force's LSOAs by the ONS lookup (0 without ONS data).
    pub fn population(&self) -> u64 {
        self.lsoas.iter().filter(|l| l.in_force).map(|l| l.persons).sum()
    }

    pub fn households(&self) -> u64 {
        self.lsoas.iter().filter(|l| l.in_force).map(|l| l.households).sum()
    }

    /// The force's area in hectares from its LSOAs (0 without ONS data).
    pub fn hectares(&self) -> f64 {
        self.lsoas.iter().filter(|l| l.in_force).map(|l| l.hectares).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_authority_from_lsoa_name() {
        assert_eq!(Lsoa::areas_from_name("Barnsley 005C"), ("Barnsley".into(), "Barnsley 005".into()));
        assert_eq!(
            Lsoa::areas_from_name("Kingston upon Hull 010A"),
            ("Kingston upon Hull".into(), "Kingston upon Hull 010".into())
        );
        assert_eq!(Lsoa::areas_from_name("Odd"), ("Odd".into(), "Odd".into()));
    }

    #[test]
    fn population_counts_only_the_forces_lsoas() {
        let g = Geography {
            lsoas: vec![
                Lsoa { persons: 1500, in_force: true, hectares: 10.0, ..Default::default() },
                Lsoa { persons: 900, in_force: false, hectares: 99.0, ..Default::default() },
                Lsoa { persons: 1600, in_force: true, hectares: 5.0, ..Default::default() },
            ],
            points: vec![],
        };
        assert_eq!(g.population(), 3100);
        assert_eq!(g.hectares(), 15.0);
    }
}
