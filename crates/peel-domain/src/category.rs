//! The 14 crime categories that data.police.uk publishes street-level data under.
//!
//! Source: data.police.uk "About" page, crime categories (the list in effect since May 2013,
//! when "Other theft" was split into bicycle theft, shoplifting, theft from the person and
//! other theft). Anti-social behaviour is published in the same files but is *not* a
//! notifiable crime: every count of "crimes" in Peel excludes it and reports it apart.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    AntiSocialBehaviour,
    BicycleTheft,
    Burglary,
    CriminalDamageAndArson,
    Drugs,
    OtherTheft,
    PossessionOfWeapons,
    PublicOrder,
    Robbery,
    Shoplifting,
    TheftFromThePerson,
    VehicleCrime,
    ViolenceAndSexualOffences,
    OtherCrime,
}

impl Category {
    /// All categories in police.uk's published order; the index is the stored code.
    pub const ALL: [Category; 14] = [
        Category::AntiSocialBehaviour,
        Category::BicycleTheft,
        Category::Burglary,
        Category::CriminalDamageAndArson,
        Category::Drugs,
        Category::OtherTheft,
        Category::PossessionOfWeapons,
        Category::PublicOrder,
        Category::Robbery,
        Category::Shoplifting,
        Category::TheftFromThePerson,
        Category::VehicleCrime,
        Category::ViolenceAndSexualOffences,
        Category::OtherCrime,
    ];

    /// The 13 crime categories, anti-social behaviour left out.
    pub fn crimes() -> impl Iterator<Item = Category> {
        Self::ALL.into_iter().filter(|c| !c.is_asb())
    }

    /// The name exactly as police.uk spells it in the "Crime type" column.
    pub fn name(self) -> &'static str {
        match self {
            Category::AntiSocialBehaviour => "Anti-social behaviour",
            Category::BicycleTheft => "Bicycle theft",
            Category::Burglary => "Burglary",
            Category::CriminalDamageAndArson => "Criminal damage and arson",
            Category::Drugs => "Drugs",
            Category::OtherTheft => "Other theft",
            Category::PossessionOfWeapons => "Possession of weapons",
            Category::PublicOrder => "Public order",
            Category::Robbery => "Robbery",
            Category::Shoplifting => "Shoplifting",
            Category::TheftFromThePerson => "Theft from the person",
            Category::VehicleCrime => "Vehicle crime",
            Category::ViolenceAndSexualOffences => "Violence and sexual offences",
            Category::OtherCrime => "Other crime",
        }
    }

    pub fn is_asb(self) -> bool {
        self == Category::AntiSocialBehaviour
    }

    /// Stable small code used by the store and the analytics columns.
    pub fn code(self) -> u8 {
        Self::ALL.iter().position(|c| *c == self).expect("in ALL") as u8
    }

    pub fn from_code(code: u8) -> Option<Category> {
        Self::ALL.get(code as usize).copied()
    }

    /// Parses a category name. Case-insensitive because the Home Office tables write
    /// "Violence and Sexual Offences" where police.uk writes "Violence and sexual offences";
    /// "Theft from the Person" and "Other Theft" likewise.
    pub fn parse(name: &str) -> Option<Category> {
        let name = name.trim();
        Self::ALL.into_iter().find(|c| c.name().eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourteen_categories_thirteen_crimes() {
        assert_eq!(Category::ALL.len(), 14);
        assert_eq!(Category::crimes().count(), 13);
        assert!(Category::crimes().all(|c| !c.is_asb()));
    }

    #[test]
    fn codes_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::from_code(c.code()), Some(c));
        }
        assert_eq!(Category::from_code(14), None);
    }

    #[test]
    fn parses_both_spellings() {
        assert_eq!(Category::parse("Violence and Sexual Offences"), Some(Category::ViolenceAndSexualOffences));
        assert_eq!(Category::parse(" Anti-social behaviour"), Some(Category::AntiSocialBehaviour));
        assert_eq!(Category::parse("Theft from the Person"), Some(Category::TheftFromThePerson));
        assert_eq!(Category::parse("Fraud"), None);
    }
}
