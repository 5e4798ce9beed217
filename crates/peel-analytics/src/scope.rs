//! One local authority of a force: its rows and its geography, for figures over part of a
//! force (the analyst's "area" choice).

use crate::columns::{Geography, StreetColumns, NONE};

/// The local authorities a force's figures can be restricted to: those of the LSOAs the ONS
/// lookup places in the force or, without ONS data, those holding at least 1% of the
/// located rows, so the few crimes police.uk snaps just over the boundary do not make a
/// neighbouring authority a choice. Alphabetical.
pub fn local_authorities(cols: &StreetColumns, geo: &Geography) -> Vec<String> {
    let mut names: Vec<String> = if geo.lsoas.iter().any(|l| l.in_force) {
        geo.lsoas.iter().filter(|l| l.in_force).map(|l| l.local_authority.clone()).collect()
    } else {
        let mut rows = vec![0u64; geo.lsoas.len()];
        for &l in &cols.lsoa {
            if l != NONE {
                rows[l as usize] += 1;
            }
        }
        let mut by_la: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
        for (l, n) in geo.lsoas.iter().zip(&rows) {
            *by_la.entry(l.local_authority.as_str()).or_insert(0) += n;
        }
        let located: u64 = rows.iter().sum();
        by_la.into_iter().filter(|(_, n)| *n > 0 && *n * 100 >= located).map(|(la, _)| la.to_string()).collect()
    };
    names.sort();
    names.dedup();
    names
}

/// The rows of `cols` whose LSOA is in `local_authority`, and the geography with only that
/// authority's LSOAs counted as in the force (for population and area). LSOA and point
/// indexes are kept, so the geography still fits the rows. Rows with no LSOA cannot be
/// placed in any authority and are left out.
pub fn local_authority(cols: &StreetColumns, geo: &Geography, local_authority: &str) -> (StreetColumns, Geography) {
    let inside: Vec<bool> = geo.lsoas.iter().map(|l| l.local_authority == local_authority).collect();
    lsoas(cols, geo, &inside)
}

/// The rows of `cols` whose LSOA `inside` marks (`inside[i]` for `geo.lsoas[i]`: a local
/// authority's, an NPU's, an Impact Area's), and the geography with only those LSOAs counted
/// as in the force, as [`local_authority`] does.
pub fn lsoas(cols: &StreetColumns, geo: &Geography, inside: &[bool]) -> (StreetColumns, Geography) {
    let keep = |i: usize| cols.lsoa[i] != NONE && inside.get(cols.lsoa[i] as usize).copied().unwrap_or(false);
    let out = cols.select(keep);
    let mut g = geo.clone();
    // Without the ONS lookup no LSOA is marked in the force, and the area's LSOAs are the
    // best available stand-in.
    let any_in_force = geo.lsoas.iter().any(|l| l.in_force);
    for (l, &inside) in g.lsoas.iter_mut().zip(inside) {
        l.in_force = inside && (l.in_force || !any_in_force);
    }
    (out, g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::Lsoa;
    use peel_domain::{Category, YearMonth};

    fn geo(in_force: bool) -> Geography {
        let l = |la: &str, persons| Lsoa { local_authority: la.into(), persons, in_force, ..Default::default() };
        Geography { lsoas: vec![l("Leeds", 1000), l("Bradford", 2000), l("Leeds", 3000)], points: vec![(0.0, 0.0)] }
    }

    fn cols() -> StreetColumns {
        let m = YearMonth::parse("2017-07").unwrap();
        let mut c = StreetColumns::default();
        c.push(m, Category::Burglary, 0, 0, NONE);
        c.push(m, Category::Robbery, 1, 0, NONE);
        c.push(m, Category::Drugs, 2, NONE, NONE);
        c.push(m, Category::Drugs, NONE, NONE, NONE);
        c
    }

    #[test]
    fn rows_and_population_of_one_authority() {
        let (c, g) = local_authority(&cols(), &geo(true), "Leeds");
        assert_eq!(c.len(), 2);
        assert_eq!(c.lsoa, vec![0, 2]);
        assert_eq!(g.population(), 4000);
        assert_eq!(g.lsoas.len(), 3, "indexes kept");
        // Without ONS data the authority's LSOAs stand in for the force's.
        let (_, g) = local_authority(&cols(), &geo(false), "Bradford");
        assert_eq!(g.population(), 2000);
    }

    #[test]
    fn choices_come_from_the_lookup_or_the_rows() {
        assert_eq!(local_authorities(&cols(), &geo(true)), vec!["Bradford".to_string(), "Leeds".to_string()]);
        let mut c = cols();
        // 200 Leeds rows against Bradford's 1: Bradford falls under 1% of located rows.
        for _ in 0..200 {
            c.push(YearMonth::parse("2017-07").unwrap(), Category::Drugs, 0, NONE, NONE);
        }
        assert_eq!(local_authorities(&c, &geo(false)), vec!["Leeds".to_string()]);
    }
}
