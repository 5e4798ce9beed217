//! Crime harm: the Cambridge Crime Harm Index (CCHI).
//!
//! A crime's harm is the number of days of custody that the sentencing guidelines give as the
//! starting point for a first offender (Sherman, Neyroud & Neyroud 2016). Peel weighs counts
//! by these days: harm = count × weight. Seed 004 table 3 reports Impact Area harm this way.
//!
//! Source: Cambridge CHI 2026 table (github isthisben/cbl-realcrime, data/cchi_weights.csv)
//! as the median weight of each Home Office recorded-crime subgroup, with the national count
//! of each subgroup in 2024/25 (shared/data/harm/cchi-weights-by-prc-subgroup.csv).

use crate::category::Category;

/// (Home Office subgroup as CCHI names it, CCHI days, national count 2024/25).
pub const CCHI_SUBGROUPS: &[(&str, f64, u64)] = &[
    ("Homicide", 5475.0, 524),
    ("Violence with injury", 365.0, 516757),
    ("Violence without injury", 10.0, 804983),
    ("Stalking and harassment", 10.0, 598830),
    ("Death or serious injury - unlawful driving", 365.0, 2244),
    ("Rape offences", 2555.0, 71509),
    ("Other sexual offences", 182.25, 135333),
    ("Public order offences", 7.5, 440119),
    ("Criminal damage", 2.0, 432167),
    ("Arson", 185.0, 22837),
    ("Shoplifting", 1.0, 525833),
    ("Other theft offences", 2.0, 428808),
    ("Vehicle offences", 5.0, 348282),
    ("Residential burglary", 273.5, 166316),
    ("Non-residential burglary", 183.5, 78332),
    ("Possession of drugs", 3.0, 135651),
    ("Trafficking of drugs", 5.0, 66504),
    ("Theft from the person", 2.0, 137217),
    ("Robbery of business property", 365.0, 15322),
    ("Robbery of personal property", 365.0, 62281),
    ("Possession of weapons offences", 273.75, 56830),
    ("Bicycle theft", 2.0, 55820),
    ("Miscellaneous crimes against society", 10.0, 122978),
];

/// The CCHI table names some subgroups differently from the Home Office offence-code lookup
/// (which uses the 2017/18 names): "Domestic burglary" became "Residential burglary" in
/// 2022, and the three vehicle subgroups are one "Vehicle offences" line in the CCHI table.
const SUBGROUP_ALIASES: &[(&str, &str)] = &[
    ("Domestic burglary", "Residential burglary"),
    ("Non-domestic burglary", "Non-residential burglary"),
    ("Theft of a motor vehicle", "Vehicle offences"),
    ("Theft from a vehicle", "Vehicle offences"),
    ("Vehicle interference", "Vehicle offences"),
    ("Miscellaneous crimes", "Miscellaneous crimes against society"),
];

/// CCHI days for one Home Office subgroup. Fraud subgroups have no CCHI weight (the index
/// covers crimes with a sentencing starting point in custody days; fraud is recorded by
/// Action Fraud, not by forces) and get `None`: Peel leaves them out of harm and says so.
pub fn subgroup_weight(subgroup: &str) -> Option<f64> {
    let s = subgroup.trim();
    let s = SUBGROUP_ALIASES.iter().find(|(from, _)| from.eq_ignore_ascii_case(s)).map(|(_, to)| *to).unwrap_or(s);
    CCHI_SUBGROUPS.iter().find(|(name, _, _)| name.eq_ignore_ascii_case(s)).map(|(_, w, _)| *w)
}

/// CCHI days for one police.uk category.
///
/// Method: police.uk publishes only the category, not the offence, so a category's weight is
/// the mean of its subgroups' CCHI days weighted by each subgroup's national count (2024/25):
/// the expected harm of one crime of that category drawn at random nationally. Robbery, for
/// instance, is (365 × 15,322 + 365 × 62,281) / 77,603 = 365 days. Anti-social behaviour is
/// not a crime and has no CCHI weight: 0.
pub fn category_weight(category: Category) -> f64 {
    let (days, count) = CCHI_SUBGROUPS
        .iter()
        .filter(|(name, _, _)| subgroup_category(name) == Some(category))
        .fold((0.0, 0u64), |(d, c), (_, w, n)| (d + w * *n as f64, c + n));
    if count == 0 {
        0.0
    } else {
        days / count as f64
    }
}

/// The police.uk category of a CCHI subgroup line (as the CCHI table's first column says).
fn subgroup_category(subgroup: &str) -> Option<Category> {
    use Category::*;
    Some(match subgroup {
        "Homicide"
        | "Violence with injury"
        | "Violence without injury"
        | "Stalking and harassment"
        | "Death or serious injury - unlawful driving"
        | "Rape offences"
        | "Other sexual offences" => ViolenceAndSexualOffences,
        "Public order offences" => PublicOrder,
        "Criminal damage" | "Arson" => CriminalDamageAndArson,
        "Shoplifting" => Shoplifting,
        "Other theft offences" => OtherTheft,
        "Vehicle offences" => VehicleCrime,
        "Residential burglary" | "Non-residential burglary" => Burglary,
        "Possession of drugs" | "Trafficking of drugs" => Drugs,
        "Theft from the person" => TheftFromThePerson,
        "Robbery of business property" | "Robbery of personal property" => Robbery,
        "Possession of weapons offences" => PossessionOfWeapons,
        "Bicycle theft" => BicycleTheft,
        "Miscellaneous crimes against society" => OtherCrime,
        _ => return None,
    })
}

/// Weights for all 14 categories, indexed by `Category::code()`: the form the analytics use.
pub fn category_weights() -> [f64; 14] {
    Category::ALL.map(category_weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cchi_line_belongs_to_a_crime_category() {
        for (name, _, _) in CCHI_SUBGROUPS {
            let c = subgroup_category(name).unwrap_or_else(|| panic!("{name} unmapped"));
            assert!(!c.is_asb());
        }
        assert_eq!(CCHI_SUBGROUPS.len(), 23);
    }

    #[test]
    fn single_subgroup_categories_take_its_weight() {
        assert_eq!(category_weight(Category::Shoplifting), 1.0);
        assert_eq!(category_weight(Category::Robbery), 365.0);
        assert_eq!(category_weight(Category::PossessionOfWeapons), 273.75);
        assert_eq!(category_weight(Category::AntiSocialBehaviour), 0.0);
    }

    #[test]
    fn burglary_is_weighted_by_national_counts() {
        // (273.5 × 166,316 + 183.5 × 78,332) / (166,316 + 78,332), worked by hand.
        let expected = (273.5 * 166316.0 + 183.5 * 78332.0) / 244648.0;
        assert!((category_weight(Category::Burglary) - expected).abs() < 1e-9);
        assert!((expected - 244.683).abs() < 0.001);
    }

    #[test]
    fn every_crime_category_has_a_positive_weight() {
        for c in Category::crimes() {
            assert!(category_weight(c) > 0.0, "{c}");
        }
    }

    #[test]
    fn home_office_subgroups_resolve_through_aliases() {
        assert_eq!(subgroup_weight("Domestic burglary"), Some(273.5));
        assert_eq!(subgroup_weight("Vehicle interference"), Some(5.0));
        assert_eq!(subgroup_weight("Fraud: action fraud"), None);
        // Every non-fraud subgroup in the offence-code table has a weight.
        for o in crate::offence::all().filter(|o| o.group != "Fraud offences") {
            assert!(subgroup_weight(o.subgroup).is_some(), "{}", o.subgroup);
        }
    }
}
