//! Counts, harm and rates by area: local authority, MSOA or LSOA, for any run of months.

use crate::columns::{Geography, StreetColumns, NONE};
use crate::counts;
use crate::trend;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AreaLevel {
    LocalAuthority,
    Msoa,
    Lsoa,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaRow {
    pub name: String,
    pub crimes: u64,
    pub harm: f64,
    /// ONS 2011 persons in the area's LSOAs that the lookup places in the force.
    pub population: u64,
    pub rate_per_1000: Option<f64>,
    pub harm_share: f64,
}

/// Crimes (ASB excluded), harm, population and rate per 1,000 for each area with crime in
/// `months` (an inclusive range of `YearMonth::index`), highest harm first.
pub fn area_table(
    cols: &StreetColumns,
    geo: &Geography,
    level: AreaLevel,
    months: std::ops::RangeInclusive<i32>,
    weights: &[f64; 14],
) -> Vec<AreaRow> {
    let mut names: Vec<&str> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let area_of_lsoa: Vec<usize> = geo
        .lsoas
        .iter()
        .map(|l| {
            let name = match level {
                AreaLevel::LocalAuthority => l.local_authority.as_str(),
                AreaLevel::Msoa => l.msoa_name.as_str(),
                AreaLevel::Lsoa => l.name.as_str(),
            };
            *index.entry(name).or_insert_with(|| {
                names.push(name);
                names.len() - 1
            })
        })
        .collect();
    let mut population = vec![0u64; names.len()];
    for (l, &a) in geo.lsoas.iter().zip(&area_of_lsoa) {
        if l.in_force {
            population[a] += l.persons;
        }
    }
    let units = counts::by_unit(cols, months, weights, names.len(), |i| {
        let l = cols.lsoa[i];
        (l != NONE).then(|| area_of_lsoa[l as usize])
    });
    let total_harm: f64 = units.iter().map(|u| u.1).sum();
    let mut rows: Vec<AreaRow> = names
        .into_iter()
        .zip(units)
        .zip(population)
        .filter(|((_, (n, _)), _)| *n > 0)
        .map(|((name, (crimes, harm)), population)| AreaRow {
            name: name.to_string(),
            crimes,
            harm,
            population,
            rate_per_1000: trend::rate_per_1000(crimes as f64, population),
            harm_share: if total_harm > 0.0 { harm / total_harm } else { 0.0 },
        })
        .collect();
    rows.sort_by(|a, b| b.harm.total_cmp(&a.harm).then_with(|| a.name.cmp(&b.name)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::Lsoa;
    use peel_domain::{Category, YearMonth};

    #[test]
    fn areas_at_each_level() {
        let lsoa = |code: &str, name: &str, la: &str, persons| Lsoa {
            code: code.into(),
            name: name.into(),
            msoa_name: name[..name.len() - 1].into(),
            local_authority: la.into(),
            persons,
            in_force: true,
            ..Default::default()
        };
        let geo = Geography {
            lsoas: vec![
                lsoa("E01000001", "Leeds 001A", "Leeds", 1000),
                lsoa("E01000002", "Leeds 001B", "Leeds", 3000),
                lsoa("E01000003", "Leeds 002A", "Leeds", 1000),
                lsoa("E01000004", "Bradford 001A", "Bradford", 2000),
            ],
            points: vec![],
        };
        let m = YearMonth::parse("2017-07").unwrap();
        let mut c = StreetColumns::default();
        c.push(m, Category::Shoplifting, 0, NONE, NONE);
        c.push(m, Category::Shoplifting, 1, NONE, NONE);
        c.push(m, Category::Shoplifting, 2, NONE, NONE);
        c.push(m, Category::Robbery, 3, NONE, NONE);
        c.push(m, Category::AntiSocialBehaviour, 3, NONE, NONE);
        c.push(m.plus(-1), Category::Robbery, 0, NONE, NONE);
        let w = peel_domain::harm::category_weights();
        let r = m.index()..=m.index();

        let la = area_table(&c, &geo, AreaLevel::LocalAuthority, r.clone(), &w);
        assert_eq!(la.len(), 2);
        assert_eq!((la[0].name.as_str(), la[0].crimes, la[0].harm), ("Bradford", 1, 365.0));
        assert_eq!((la[1].name.as_str(), la[1].crimes, la[1].population), ("Leeds", 3, 5000));
        assert_eq!(la[1].rate_per_1000, Some(0.6));
        assert!((la[0].harm_share - 365.0 / 368.0).abs() < 1e-12);

        let msoa = area_table(&c, &geo, AreaLevel::Msoa, r.clone(), &w);
        let leeds001 = msoa.iter().find(|a| a.name == "Leeds 001").unwrap();
        assert_eq!((leeds001.crimes, leeds001.population), (2, 4000));

        let lsoas = area_table(&c, &geo, AreaLevel::Lsoa, r, &w);
        assert_eq!(lsoas.len(), 4);
        // Two months: the robbery of June joins Leeds 001A.
        let two = area_table(&c, &geo, AreaLevel::Lsoa, m.plus(-1).index()..=m.index(), &w);
        assert_eq!(two.iter().find(|a| a.name == "Leeds 001A").unwrap().crimes, 2);
    }
}
