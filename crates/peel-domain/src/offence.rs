//! Home Office offence codes (the classification every recorded crime carries) with their
//! offence group, subgroup and police.uk category. The table itself is in `offence_table.rs`.

use crate::category::Category;
use crate::offence_table::OFFENCE_CODES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offence {
    pub code: &'static str,
    pub description: &'static str,
    pub group: &'static str,
    pub subgroup: &'static str,
    pub category: Category,
}

pub fn all() -> impl Iterator<Item = Offence> {
    OFFENCE_CODES.iter().map(|&(code, description, group, subgroup, category)| Offence {
        code,
        description,
        group,
        subgroup,
        category,
    })
}

/// Looks a code up as the Home Office writes it ("8N", "3A", "4.9"); trims and ignores case.
pub fn by_code(code: &str) -> Option<Offence> {
    let code = code.trim();
    all().find(|o| o.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_the_132_codes_with_unique_codes() {
        let codes: Vec<_> = all().map(|o| o.code).collect();
        assert_eq!(codes.len(), 132);
        let mut dedup = codes.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), 132);
    }

    #[test]
    fn no_offence_code_is_anti_social_behaviour() {
        assert!(all().all(|o| !o.category.is_asb()));
    }

    #[test]
    fn known_codes() {
        let o = by_code("17a").unwrap();
        assert_eq!(o.subgroup, "Other sexual offences");
        assert_eq!(o.category, Category::ViolenceAndSexualOffences);
        assert_eq!(by_code("AF").unwrap().group, "Fraud offences");
        assert!(by_code("ZZ9").is_none());
    }
}
