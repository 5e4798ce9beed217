//! Counts, harm and rates by area, for any run of months: local authority, MSOA or LSOA (from
//! each LSOA's ONS names), or the force's own areas — neighbourhood policing units and Impact
//! Areas — given as the area each LSOA falls in ([`AreaGrouping`]).

use crate::columns::{Geography, StreetColumns, NONE};
use crate::counts;
use crate::trend;
use peel_domain::force_area::{AreaKind, AreaMap};
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
    /// The area's code where it has one here: an LSOA's ONS code, the force's own code for an
    /// NPU or Impact Area.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub name: String,
    pub crimes: u64,
    pub harm: f64,
    /// ONS 2011 persons in the area's LSOAs that the lookup places in the force.
    pub population: u64,
    pub rate_per_1000: Option<f64>,
    pub harm_share: f64,
}

/// Areas given by which LSOA lies in which: `of_lsoa[i]` is the area of `geo.lsoas[i]`
/// (an index into `codes` and `names`), `None` outside every area.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AreaGrouping {
    pub codes: Vec<Option<String>>,
    pub names: Vec<String>,
    /// What each area sits in, as the force names it: an MSOA's or LSOA's local authority,
    /// an Impact Area's NPU; empty where nothing.
    pub parents: Vec<String>,
    pub of_lsoa: Vec<Option<usize>>,
}

impl AreaGrouping {
    /// The areas of `level`, from each LSOA's ONS names.
    pub fn of_level(geo: &Geography, level: AreaLevel) -> AreaGrouping {
        let mut g = AreaGrouping::default();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for l in &geo.lsoas {
            let name = match level {
                AreaLevel::LocalAuthority => l.local_authority.as_str(),
                AreaLevel::Msoa => l.msoa_name.as_str(),
                AreaLevel::Lsoa => l.name.as_str(),
            };
            let area = *index.entry(name).or_insert_with(|| {
                g.names.push(name.to_string());
                g.codes.push((level == AreaLevel::Lsoa).then(|| l.code.clone()));
                g.parents.push(if level == AreaLevel::LocalAuthority {
                    String::new()
                } else {
                    l.local_authority.clone()
                });
                g.names.len() - 1
            });
            g.of_lsoa.push(Some(area));
        }
        g
    }
}

impl AreaGrouping {
    /// The force's own areas of `kind` (NPUs, Impact Areas) over `geo`'s LSOAs: each LSOA in
    /// the area that lists it, or else the one its home ward and local authority (those of
    /// most of its postcodes) fall in ([`AreaMap::area`]). Why by LSOA and not each crime's own
    /// ward: police.uk rows carry only an LSOA, and one rule for both kinds of data keeps their
    /// tables comparable; an LSOA split by an area's edge counts whole on the side most of it
    /// lies. An Impact Area's parent is its NPU's name.
    pub fn of_force_areas(geo: &Geography, map: &AreaMap, kind: AreaKind) -> AreaGrouping {
        let npu_name = |code: &str| -> String {
            let npu = map.areas().iter().find(|a| a.kind == AreaKind::Npu && a.code == code);
            npu.map_or(code, |a| a.name.as_str()).to_string()
        };
        let mut g = AreaGrouping::default();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for l in &geo.lsoas {
            let area = map.area(kind, Some(&l.code), None, None).map(|a| {
                *index.entry(a.code.as_str()).or_insert_with(|| {
                    g.codes.push(Some(a.code.clone()));
                    g.names.push(a.name.clone());
                    g.parents.push(a.npu.as_deref().map(npu_name).unwrap_or_default());
                    g.names.len() - 1
                })
            });
            g.of_lsoa.push(area);
        }
        g
    }
}

impl AreaGrouping {
    /// Wards over `geo`'s LSOAs: each LSOA in its home ward (`homes`: LSOA code → ward code,
    /// the ward most of its postcodes are in, as the gazetteer gives it), named from `names`
    /// (ward code → name). By LSOA, for the reason [`AreaGrouping::of_force_areas`] gives; an
    /// LSOA without a home ward is in no ward.
    pub fn of_wards(
        geo: &Geography,
        homes: &HashMap<String, Option<String>>,
        names: &HashMap<String, String>,
    ) -> AreaGrouping {
        let mut g = AreaGrouping::default();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for l in &geo.lsoas {
            let ward = homes.get(&l.code).and_then(|w| w.as_deref()).map(|w| {
                *index.entry(w).or_insert_with(|| {
                    g.codes.push(Some(w.to_string()));
                    g.names.push(names.get(w).cloned().unwrap_or_else(|| w.to_string()));
                    g.parents.push(l.local_authority.clone());
                    g.names.len() - 1
                })
            });
            g.of_lsoa.push(ward);
        }
        g
    }
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
    grouped_area_table(cols, geo, &AreaGrouping::of_level(geo, level), months, weights)
}

/// As [`area_table`], over any grouping of LSOAs (the force's own areas). Crimes in no area
/// (an LSOA outside them, or no place) are not in any row.
pub fn grouped_area_table(
    cols: &StreetColumns,
    geo: &Geography,
    grouping: &AreaGrouping,
    months: std::ops::RangeInclusive<i32>,
    weights: &[f64; 14],
) -> Vec<AreaRow> {
    let n = grouping.names.len();
    let mut population = vec![0u64; n];
    for (l, a) in geo.lsoas.iter().zip(&grouping.of_lsoa) {
        if let (true, Some(a)) = (l.in_force, a) {
            population[*a] += l.persons;
        }
    }
    let units = counts::by_unit(cols, months, weights, n, |i| {
        let l = cols.lsoa[i];
        if l == NONE {
            None
        } else {
            grouping.of_lsoa.get(l as usize).copied().flatten()
        }
    });
    let total_harm: f64 = units.iter().map(|u| u.1).sum();
    let mut rows: Vec<AreaRow> = grouping
        .codes
        .iter()
        .zip(&grouping.names)
        .zip(units)
        .zip(population)
        .filter(|((_, (n, _)), _)| *n > 0)
        .map(|(((code, name), (crimes, harm)), population)| AreaRow {
            code: code.clone(),
            name: name.clone(),
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

        let lsoas = area_table(&c, &geo, AreaLevel::Lsoa, r.clone(), &w);
        assert_eq!(lsoas.len(), 4);
        assert_eq!(lsoas.iter().find(|a| a.name == "Bradford 001A").unwrap().code.as_deref(), Some("E01000004"));
        assert!(la.iter().all(|a| a.code.is_none()), "local authorities have no code here");

        // The force's own areas: an NPU of the first two Leeds LSOAs and Bradford's, the third
        // in no area (its shoplifting in no row).
        let own = AreaGrouping {
            codes: vec![Some("N1".into())],
            names: vec!["North".into()],
            parents: vec![String::new()],
            of_lsoa: vec![Some(0), Some(0), None, Some(0)],
        };
        let npus = grouped_area_table(&c, &geo, &own, r.clone(), &w);
        assert_eq!(npus.len(), 1);
        assert_eq!((npus[0].code.as_deref(), npus[0].crimes, npus[0].population), (Some("N1"), 3, 6000));
        assert_eq!(npus[0].harm_share, 1.0);
        // Two months: the robbery of June joins Leeds 001A.
        let two = area_table(&c, &geo, AreaLevel::Lsoa, m.plus(-1).index()..=m.index(), &w);
        assert_eq!(two.iter().find(|a| a.name == "Leeds 001A").unwrap().crimes, 2);
    }
}
