//! Where crime happens: places clustered as real crime is. A fifth of the force's crime
//! falls in the 19 Impact Areas (each in proportion to its harm in seed 004 table 3),
//! concentrated on a few hot streets in each; the rest spreads around each unit's centre
//! with a long tail, a quarter of it on the unit's own hot places (high streets, estates,
//! retail parks). Shops and firms that are victims sit on the same places, so that the
//! same shops are victims again and again.
//!
//! The layout (hot places, shops, officers) is the force's shape, not the run's: it is
//! drawn once from a fixed seed, whatever `--seed` says.

use crate::force::{self, ImpactArea, Npu, HOSPITALS, IMPACT_AREAS, NPUS};
use crate::names;
use crate::rng::{Rng, Weighted};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Hot streets per Impact Area and their share of the area's crime.
const AREA_HOT_STREETS: usize = 4;
const AREA_HOT_SHARE: f64 = 0.40;
/// Hot places per unit outside its Impact Areas and their share of that crime.
const NPU_HOT_PLACES: usize = 30;
const NPU_HOT_SHARE: f64 = 0.25;
/// Shops and firms per unit (outside Impact Areas) and per Impact Area.
const NPU_BUSINESSES: usize = 160;
const AREA_BUSINESSES: usize = 30;
/// Officers per unit's neighbourhood team and local investigation team; per force-wide team.
const NPU_OFFICERS: usize = 120;
const NPU_DETECTIVES: usize = 60;
const FORCE_TEAM_OFFICERS: usize = 40;

/// The seed of the layout: fixed, so that the force is the same force in every run.
const LAYOUT_SEED: u64 = 0x5745_5354_4D49_444C; // "WESTMIDL"

#[derive(Debug, Clone, PartialEq)]
pub struct HotPlace {
    pub street: String,
    pub point: (f64, f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Business {
    pub name: String,
    pub street: String,
    pub point: (f64, f64),
}

/// An area crime is placed in: an Impact Area or the rest of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    Impact(usize),
    Npu(usize),
}

/// Where one crime happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub npu: usize,
    pub impact_area: Option<usize>,
    pub hospital: Option<usize>,
    pub point: (f64, f64),
    /// "12 Church Road", "Khan Convenience Store, Market Street", "Heartlands Hospital".
    pub street: String,
    /// The business at the place, an index into the area's businesses.
    pub business: Option<(Area, usize)>,
}

impl Place {
    /// The report's location text: "street, area, NPU (lat, lon)", the area being the
    /// Impact Area or else the unit's local authority.
    pub fn text(&self) -> String {
        let area = match self.impact_area {
            Some(a) => IMPACT_AREAS[a].name,
            None => NPUS[self.npu].local_authority,
        };
        format!("{}, {}, {} ({:.5}, {:.5})", self.street, area, NPUS[self.npu].code, self.point.0, self.point.1)
    }
}

pub struct Layout {
    areas: Weighted,
    area_list: Vec<Area>,
    area_hot: Vec<(Vec<HotPlace>, Weighted)>,
    npu_hot: Vec<(Vec<HotPlace>, Weighted)>,
    area_businesses: Vec<(Vec<Business>, Weighted)>,
    npu_businesses: Vec<(Vec<Business>, Weighted)>,
    /// Collar numbers: per unit (neighbourhood, detectives), and per force-wide team.
    pub npu_officers: Vec<Vec<u16>>,
    pub npu_detectives: Vec<Vec<u16>>,
    pub force_officers: Vec<u16>,
}

fn street_name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(names::STREET_STEMS), rng.pick(names::STREET_SUFFIXES))
}

/// Zipf weights 1/rank: a few places take most of the crime.
fn zipf(n: usize) -> Weighted {
    Weighted::new((1..=n).map(|r| 1.0 / r as f64))
}

/// A point of a unit's diffuse crime: around the centre, with a long tail (one point in six
/// spread twice as far).
fn diffuse(rng: &mut Rng, npu: &Npu) -> (f64, f64) {
    let sd = if rng.chance(1.0 / 6.0) { npu.spread_km * 2.0 } else { npu.spread_km };
    force::scatter(rng, npu.centre, sd)
}

fn hot_places(rng: &mut Rng, n: usize, mut point: impl FnMut(&mut Rng) -> (f64, f64)) -> (Vec<HotPlace>, Weighted) {
    let mut seen = HashSet::new();
    let mut places = Vec::with_capacity(n);
    while places.len() < n {
        let street = street_name(rng);
        if seen.insert(street.clone()) {
            places.push(HotPlace { street, point: point(rng) });
        }
    }
    (places, zipf(n))
}

fn businesses(rng: &mut Rng, n: usize, hot: &[HotPlace]) -> (Vec<Business>, Weighted) {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let name = format!("{} {}", rng.pick(names::SURNAMES), rng.pick(names::BUSINESS_SUFFIXES));
        if seen.insert(name.clone()) {
            let h = rng.pick(hot);
            let point = force::offset(h.point, rng.normal() * 0.08, rng.normal() * 0.08);
            out.push(Business { name, street: h.street.clone(), point });
        }
    }
    (out, zipf(n))
}

fn collars(rng: &mut Rng, n: usize, used: &mut HashSet<u16>) -> Vec<u16> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let c = rng.range(1000, 9999) as u16;
        if used.insert(c) {
            out.push(c);
        }
    }
    out
}

impl Layout {
    pub fn get() -> &'static Layout {
        static LAYOUT: OnceLock<Layout> = OnceLock::new();
        LAYOUT.get_or_init(Layout::new)
    }

    fn new() -> Layout {
        let mut rng = Rng::new(LAYOUT_SEED);
        let npu_w = force::npu_weights();
        let npu_total: f64 = npu_w.iter().sum();
        let area_shares = force::impact_area_shares();
        let mut area_list = Vec::new();
        let mut weights = Vec::new();
        for (i, s) in area_shares.iter().enumerate() {
            area_list.push(Area::Impact(i));
            weights.push(*s);
        }
        for (i, n) in NPUS.iter().enumerate() {
            let in_areas: f64 =
                IMPACT_AREAS.iter().zip(&area_shares).filter(|(a, _)| a.npu == n.code).map(|(_, s)| s).sum();
            area_list.push(Area::Npu(i));
            weights.push(npu_w[i] / npu_total - in_areas);
        }
        let area_hot: Vec<_> = IMPACT_AREAS
            .iter()
            .map(|a| hot_places(&mut rng, AREA_HOT_STREETS, |r| force::scatter(r, a.centre, a.radius_km * 0.6)))
            .collect();
        let npu_hot: Vec<_> = NPUS.iter().map(|n| hot_places(&mut rng, NPU_HOT_PLACES, |r| diffuse(r, n))).collect();
        let area_businesses = area_hot.iter().map(|(hot, _)| businesses(&mut rng, AREA_BUSINESSES, hot)).collect();
        let npu_businesses = npu_hot.iter().map(|(hot, _)| businesses(&mut rng, NPU_BUSINESSES, hot)).collect();
        let mut used = HashSet::new();
        let npu_officers = NPUS.iter().map(|_| collars(&mut rng, NPU_OFFICERS, &mut used)).collect();
        let npu_detectives = NPUS.iter().map(|_| collars(&mut rng, NPU_DETECTIVES, &mut used)).collect();
        let force_officers = collars(&mut rng, FORCE_TEAM_OFFICERS * 8, &mut used);
        Layout {
            areas: Weighted::new(weights),
            area_list,
            area_hot,
            npu_hot,
            area_businesses,
            npu_businesses,
            npu_officers,
            npu_detectives,
            force_officers,
        }
    }

    /// A force-wide team's officers: the `team`-th slice of the force pool.
    pub fn team_officers(&self, team: usize) -> &[u16] {
        let t = team % 8;
        &self.force_officers[t * FORCE_TEAM_OFFICERS..(t + 1) * FORCE_TEAM_OFFICERS]
    }

    /// Draws the area of one crime.
    pub fn area(&self, rng: &mut Rng) -> Area {
        self.area_list[self.areas.sample(rng)]
    }

    pub fn npu_of(area: Area) -> usize {
        match area {
            Area::Npu(n) => n,
            Area::Impact(a) => {
                NPUS.iter().position(|n| n.code == IMPACT_AREAS[a].npu).expect("every Impact Area has its unit")
            }
        }
    }

    /// A street place in `area`; `dwelling` gives it a house number.
    pub fn street_place(&self, rng: &mut Rng, area: Area, dwelling: bool) -> Place {
        let npu = Self::npu_of(area);
        let (street, point, impact_area) = match area {
            Area::Impact(a) => {
                let ia: &ImpactArea = &IMPACT_AREAS[a];
                let (hot, w) = &self.area_hot[a];
                if rng.chance(AREA_HOT_SHARE) {
                    let h = &hot[w.sample(rng)];
                    (h.street.clone(), force::offset(h.point, rng.normal() * 0.025, rng.normal() * 0.025), Some(a))
                } else {
                    (street_name(rng), force::scatter(rng, ia.centre, ia.radius_km), Some(a))
                }
            }
            Area::Npu(n) => {
                let (hot, w) = &self.npu_hot[n];
                if rng.chance(NPU_HOT_SHARE) {
                    let h = &hot[w.sample(rng)];
                    (h.street.clone(), force::offset(h.point, rng.normal() * 0.04, rng.normal() * 0.04), None)
                } else {
                    (street_name(rng), diffuse(rng, &NPUS[n]), None)
                }
            }
        };
        let street = if dwelling { format!("{} {street}", rng.range(1, 240)) } else { street };
        Place { npu, impact_area, hospital: None, point, street, business: None }
    }

    /// A shop or firm in `area`, the busiest drawn most often.
    pub fn business_place(&self, rng: &mut Rng, area: Area) -> Place {
        let npu = Self::npu_of(area);
        let ((list, w), impact_area) = match area {
            Area::Impact(a) => (&self.area_businesses[a], Some(a)),
            Area::Npu(n) => (&self.npu_businesses[n], None),
        };
        let i = w.sample(rng);
        let b = &list[i];
        Place {
            npu,
            impact_area,
            hospital: None,
            point: b.point,
            street: format!("{}, {}", b.name, b.street),
            business: Some((area, i)),
        }
    }

    pub fn business(&self, area: Area, i: usize) -> &Business {
        match area {
            Area::Impact(a) => &self.area_businesses[a].0[i],
            Area::Npu(n) => &self.npu_businesses[n].0[i],
        }
    }

    /// A place on a hospital's site.
    pub fn hospital_place(&self, rng: &mut Rng, h: usize) -> Place {
        let site = &HOSPITALS[h];
        let npu = NPUS.iter().position(|n| n.code == site.npu).expect("every hospital has its unit");
        const WHERE: &[&str] = &["Emergency Department", "main entrance", "car park", "ward", "outpatients"];
        Place {
            npu,
            impact_area: None,
            hospital: Some(h),
            point: force::offset(site.centre, rng.normal() * 0.06, rng.normal() * 0.06),
            street: format!("{}, {}", site.name, rng.pick(WHERE)),
            business: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_fixed_and_clustered() {
        let l = Layout::get();
        assert_eq!(l.area_hot.len(), 19);
        assert_eq!(l.npu_hot.len(), 8);
        let mut rng = Rng::new(1);
        let n = 100_000;
        let mut in_areas = 0;
        let mut on_top_street = 0;
        for _ in 0..n {
            let area = l.area(&mut rng);
            if let Area::Impact(_) = area {
                in_areas += 1;
            }
            let p = l.street_place(&mut rng, area, false);
            if let (Some(a), Area::Impact(_)) = (p.impact_area, area) {
                on_top_street += (p.street == l.area_hot[a].0[0].street) as u32;
            }
        }
        let share = in_areas as f64 / n as f64;
        assert!((share - force::IMPACT_AREA_SHARE).abs() < 0.01, "{share}");
        // The top hot street of each area takes about 40% × 1/H(4) ≈ 19% of its crime.
        let top = on_top_street as f64 / in_areas as f64;
        assert!(top > 0.15 && top < 0.23, "{top}");
        // Officers' collar numbers are unique across the force.
        let mut all: Vec<u16> = l.npu_officers.iter().chain(&l.npu_detectives).flatten().copied().collect();
        all.extend(&l.force_officers);
        let before = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), before);
    }

    #[test]
    fn place_text_names_the_area_and_unit() {
        let l = Layout::get();
        let mut rng = Rng::new(2);
        let p = l.street_place(&mut rng, Area::Impact(4), true);
        let t = p.text();
        assert!(t.contains(", Lozells, BW ("), "{t}");
        let p = l.street_place(&mut rng, Area::Npu(2), false);
        assert!(p.text().contains(", Coventry, CV ("), "{}", p.text());
        let p = l.hospital_place(&mut rng, 0);
        assert!(p.text().starts_with("Heartlands Hospital, "), "{}", p.text());
    }
}
