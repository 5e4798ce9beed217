//! The police forces of England and Wales, with every spelling the published data uses.
//!
//! Sources: data.police.uk force list ("Reported by"/"Falls within" columns, e.g. "West
//! Yorkshire Police"); Home Office police recorded crime tables ("Force_Name", e.g. "West
//! Yorkshire", "London, City of"); ONS LSOA → police force area lookup ("City of London").
//! The slug is data.police.uk's force id. British Transport Police and the national fraud
//! reporting bodies appear in Home Office tables, so they are listed too, marked
//! non-territorial: they have no LSOAs and so no population.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Force {
    /// Stable small code used in the store.
    pub code: u16,
    pub slug: &'static str,
    /// data.police.uk's name.
    pub name: &'static str,
    /// Other spellings: Home Office and ONS names.
    pub aliases: &'static [&'static str],
    pub territorial: bool,
}

macro_rules! forces {
    ($( $code:literal $slug:literal $name:literal [$($alias:literal),*] $terr:literal ;)*) => {
        pub const FORCES: &[Force] = &[
            $( Force { code: $code, slug: $slug, name: $name, aliases: &[$($alias),*], territorial: $terr }, )*
        ];
    };
}

forces! {
    1 "avon-and-somerset" "Avon and Somerset Constabulary" ["Avon and Somerset"] true;
    2 "bedfordshire" "Bedfordshire Police" ["Bedfordshire"] true;
    3 "cambridgeshire" "Cambridgeshire Constabulary" ["Cambridgeshire"] true;
    4 "cheshire" "Cheshire Constabulary" ["Cheshire"] true;
    5 "city-of-london" "City of London Police" ["City of London", "London, City of"] true;
    6 "cleveland" "Cleveland Police" ["Cleveland"] true;
    7 "cumbria" "Cumbria Constabulary" ["Cumbria"] true;
    8 "derbyshire" "Derbyshire Constabulary" ["Derbyshire"] true;
    9 "devon-and-cornwall" "Devon & Cornwall Police" ["Devon and Cornwall", "Devon & Cornwall"] true;
    10 "dorset" "Dorset Police" ["Dorset"] true;
    11 "durham" "Durham Constabulary" ["Durham"] true;
    12 "dyfed-powys" "Dyfed-Powys Police" ["Dyfed-Powys"] true;
    13 "essex" "Essex Police" ["Essex"] true;
    14 "gloucestershire" "Gloucestershire Constabulary" ["Gloucestershire"] true;
    15 "greater-manchester" "Greater Manchester Police" ["Greater Manchester"] true;
    16 "gwent" "Gwent Police" ["Gwent"] true;
    17 "hampshire" "Hampshire Constabulary" ["Hampshire"] true;
    18 "hertfordshire" "Hertfordshire Constabulary" ["Hertfordshire"] true;
    19 "humberside" "Humberside Police" ["Humberside"] true;
    20 "kent" "Kent Police" ["Kent"] true;
    21 "lancashire" "Lancashire Constabulary" ["Lancashire"] true;
    22 "leicestershire" "Leicestershire Police" ["Leicestershire"] true;
    23 "lincolnshire" "Lincolnshire Police" ["Lincolnshire"] true;
    24 "merseyside" "Merseyside Police" ["Merseyside"] true;
    25 "metropolitan" "Metropolitan Police Service" ["Metropolitan Police"] true;
    26 "norfolk" "Norfolk Constabulary" ["Norfolk"] true;
    27 "north-wales" "North Wales Police" ["North Wales"] true;
    28 "north-yorkshire" "North Yorkshire Police" ["North Yorkshire"] true;
    29 "northamptonshire" "Northamptonshire Police" ["Northamptonshire"] true;
    30 "northumbria" "Northumbria Police" ["Northumbria"] true;
    31 "nottinghamshire" "Nottinghamshire Police" ["Nottinghamshire"] true;
    32 "south-wales" "South Wales Police" ["South Wales"] true;
    33 "south-yorkshire" "South Yorkshire Police" ["South Yorkshire"] true;
    34 "staffordshire" "Staffordshire Police" ["Staffordshire"] true;
    35 "suffolk" "Suffolk Constabulary" ["Suffolk"] true;
    36 "surrey" "Surrey Police" ["Surrey"] true;
    37 "sussex" "Sussex Police" ["Sussex"] true;
    38 "thames-valley" "Thames Valley Police" ["Thames Valley"] true;
    39 "warwickshire" "Warwickshire Police" ["Warwickshire"] true;
    40 "west-mercia" "West Mercia Police" ["West Mercia"] true;
    41 "west-midlands" "West Midlands Police" ["West Midlands", "WMP"] true;
    42 "west-yorkshire" "West Yorkshire Police" ["West Yorkshire"] true;
    43 "wiltshire" "Wiltshire Police" ["Wiltshire"] true;
    44 "btp" "British Transport Police" ["BTP"] false;
    45 "action-fraud" "Action Fraud" [] false;
    46 "cifas" "CIFAS" [] false;
    47 "uk-finance" "UK Finance" [] false;
    48 "financial-fraud-action-uk" "Financial Fraud Action UK" [] false;
}

/// Each force's most similar forces, by slug, for the board paper's comparison (seed 001 §73:
/// "fewer crimes per 1,000 residents than … its most similar force areas").
///
/// HMICFRS's most similar groups are computed from each force area's demography and are not
/// in the data Peel reads. Peel's default pairs the six metropolitan county forces outside
/// London with one another — Greater Manchester, Merseyside, Northumbria, South Yorkshire,
/// West Midlands, West Yorkshire — as the nearest public stand-in for the two forces Peel
/// ships areas for; other forces have none until configured (`peel report --similar`).
pub const MOST_SIMILAR: &[(&str, &[&str])] = &[
    ("west-midlands", &["greater-manchester", "merseyside", "northumbria", "south-yorkshire", "west-yorkshire"]),
    ("west-yorkshire", &["greater-manchester", "merseyside", "northumbria", "south-yorkshire", "west-midlands"]),
    ("greater-manchester", &["merseyside", "northumbria", "south-yorkshire", "west-midlands", "west-yorkshire"]),
    ("merseyside", &["greater-manchester", "northumbria", "south-yorkshire", "west-midlands", "west-yorkshire"]),
    ("northumbria", &["greater-manchester", "merseyside", "south-yorkshire", "west-midlands", "west-yorkshire"]),
    ("south-yorkshire", &["greater-manchester", "merseyside", "northumbria", "west-midlands", "west-yorkshire"]),
];

/// Normalises a spelling for comparison: case, "&"/"and", hyphens and spaces don't matter.
fn normalise(s: &str) -> String {
    s.trim()
        .to_ascii_lowercase()
        .replace('&', " and ")
        .split(|c: char| c.is_whitespace() || c == '-' || c == ',')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Force {
    /// Finds a force by its police.uk name, Home Office or ONS name, or slug.
    pub fn find(name: &str) -> Option<&'static Force> {
        let n = normalise(name);
        if n.is_empty() {
            return None;
        }
        FORCES
            .iter()
            .find(|f| normalise(f.name) == n || normalise(f.slug) == n || f.aliases.iter().any(|a| normalise(a) == n))
    }

    pub fn by_code(code: u16) -> Option<&'static Force> {
        FORCES.iter().find(|f| f.code == code)
    }

    pub fn territorial() -> impl Iterator<Item = &'static Force> {
        FORCES.iter().filter(|f| f.territorial)
    }

    /// The force's most similar forces ([`MOST_SIMILAR`]); none where Peel has no default.
    pub fn most_similar(&self) -> Vec<&'static Force> {
        let slugs = MOST_SIMILAR.iter().find(|(f, _)| *f == self.slug).map_or(&[][..], |(_, s)| *s);
        slugs.iter().filter_map(|s| Force::find(s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forty_three_territorial_forces() {
        assert_eq!(Force::territorial().count(), 43);
    }

    #[test]
    fn most_similar_forces_are_forces_and_never_the_force_itself() {
        for (slug, similar) in MOST_SIMILAR {
            let f = Force::find(slug).unwrap();
            assert_eq!(f.most_similar().len(), similar.len(), "{slug}");
            assert!(f.most_similar().iter().all(|s| s.code != f.code && s.territorial));
        }
        assert!(Force::find("dorset").unwrap().most_similar().is_empty());
    }

    #[test]
    fn codes_and_slugs_are_unique() {
        let mut codes: Vec<_> = FORCES.iter().map(|f| f.code).collect();
        let mut slugs: Vec<_> = FORCES.iter().map(|f| f.slug).collect();
        codes.sort();
        codes.dedup();
        slugs.sort();
        slugs.dedup();
        assert_eq!(codes.len(), FORCES.len());
        assert_eq!(slugs.len(), FORCES.len());
    }

    #[test]
    fn every_source_spelling_finds_the_same_force() {
        for s in ["West Yorkshire Police", "West Yorkshire", "west-yorkshire", " WEST YORKSHIRE "] {
            assert_eq!(Force::find(s).unwrap().slug, "west-yorkshire", "{s}");
        }
        for s in ["City of London Police", "London, City of", "City of London"] {
            assert_eq!(Force::find(s).unwrap().slug, "city-of-london", "{s}");
        }
        assert_eq!(Force::find("Devon and Cornwall").unwrap().name, "Devon & Cornwall Police");
        assert_eq!(Force::find("Metropolitan Police").unwrap().slug, "metropolitan");
        assert!(Force::find("West").is_none());
        assert!(Force::find("").is_none());
    }

    #[test]
    fn no_two_forces_share_a_spelling() {
        let mut all: Vec<String> = FORCES
            .iter()
            .flat_map(|f| {
                [f.name, f.slug]
                    .into_iter()
                    .chain(f.aliases.iter().copied())
                    .map(normalise)
                    .collect::<std::collections::BTreeSet<_>>()
            })
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}
