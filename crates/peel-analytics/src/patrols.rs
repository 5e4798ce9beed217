//! Patrol targeting (issue 12; seed 004 §27, Targeted Guardian Patrols: the few cells that
//! hold most serious violence, patrolled for at most an hour at the times most likely to
//! disrupt it). For each of the top cells by crime or harm, the hours of the week — a weekday
//! and a clock hour, one hour each — that hold most of its crime or harm, from the force's own
//! records (police.uk has no times).
//!
//! Decisions: a window is one clock hour of one weekday (168 in a week), the seed's "at most
//! an hour"; a cell's windows are ranked by what they hold, ties to the earlier in the week.
//! The times are the records' recording times (the analysis facts keep those); where crime is
//! recorded as it is reported, that is close to when it happened. The top cells are ranked
//! within each local authority — West Midlands Police's neighbourhood policing units are its
//! local authorities, but for Birmingham's two — so that every unit gets its own list.

use crate::facts::CrimeFacts;
use peel_domain::force_area::{AreaKind, AreaMap};
use serde::Serialize;
use std::collections::HashMap;

const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    /// Monday first.
    pub weekday: &'static str,
    /// The hour it starts, 0-23.
    pub hour: u8,
    /// "Friday 22:00-23:00".
    pub label: String,
    /// Crimes (or harm) of the cell in the window.
    pub value: f64,
    /// As a share of the cell's.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatrolCell {
    pub area: String,
    /// Rank within the area.
    pub rank: usize,
    pub easting: f64,
    pub northing: f64,
    pub crimes: u64,
    /// Crimes or harm, as asked.
    pub value: f64,
    /// The best windows, best first.
    pub windows: Vec<Window>,
}

/// Which crimes: `keep(i)` says whether fact `i` counts; `harm` weighs by CCHI days.
pub struct PatrolQuery<'a> {
    pub keep: &'a dyn Fn(usize) -> bool,
    pub harm: bool,
    pub cell: f64,
    /// Top cells per area.
    pub cells_per_area: usize,
    /// Windows per cell.
    pub windows: usize,
    /// Where crime `i` is policed (its NPU, or its local authority: [`policing_area`]);
    /// `None` where its place is unknown.
    pub area_of: &'a dyn Fn(usize) -> Option<String>,
}

/// Each crime's neighbourhood policing unit where the force's areas define one (`map`, seed
/// 004 §27: patrols are planned by NPU), else its local authority by name (`la_names`: ONS
/// code to name; the code itself where the gazetteer has no name).
pub fn policing_area<'a>(
    f: &'a CrimeFacts,
    map: &'a AreaMap,
    la_names: &'a HashMap<String, String>,
) -> impl Fn(usize) -> Option<String> + 'a {
    move |i| {
        let la = f.local_authorities.name(f.local_authority[i]);
        let npu = map.area(AreaKind::Npu, f.lsoas.name(f.lsoa[i]), f.wards.name(f.ward[i]), la);
        match npu {
            Some(a) => Some(format!("{} NPU", a.name)),
            None => la.map(|c| la_names.get(c).cloned().unwrap_or_else(|| c.to_string())),
        }
    }
}

/// The patrol list: for each policing area (`q.area_of`), its top cells and their best hours.
pub fn patrol_list(f: &CrimeFacts, q: &PatrolQuery) -> Vec<PatrolCell> {
    type Key = (i64, i64);
    struct Acc {
        crimes: u64,
        value: f64,
        hours: [f64; 168],
        areas: HashMap<Option<String>, u64>,
    }
    let mut cells: HashMap<Key, Acc> = HashMap::new();
    for i in 0..f.len() {
        if !(q.keep)(i) {
            continue;
        }
        let (Some(e), Some(n)) = (f.easting[i], f.northing[i]) else { continue };
        let w = if q.harm { f.harm[i].unwrap_or(0.0) } else { 1.0 };
        let k = ((e as f64 / q.cell).floor() as i64, (n as f64 / q.cell).floor() as i64);
        let a =
            cells.entry(k).or_insert_with(|| Acc { crimes: 0, value: 0.0, hours: [0.0; 168], areas: HashMap::new() });
        a.crimes += 1;
        a.value += w;
        a.hours[f.weekday[i] as usize * 24 + f.hour[i] as usize] += w;
        *a.areas.entry((q.area_of)(i)).or_default() += 1;
    }
    // Each cell in the area most of its crimes are in (ties to the name first in order; a
    // known area before an unknown one).
    let mut by_area: HashMap<String, Vec<(Key, Acc)>> = HashMap::new();
    for (k, a) in cells {
        let area =
            a.areas.iter().max_by(|x, y| x.1.cmp(y.1).then(x.0.is_some().cmp(&y.0.is_some())).then(y.0.cmp(x.0)));
        let name = area.and_then(|(l, _)| l.clone()).unwrap_or_else(|| "place unknown".to_string());
        by_area.entry(name).or_default().push((k, a));
    }
    let mut areas: Vec<String> = by_area.keys().cloned().collect();
    areas.sort();
    let mut out = Vec::new();
    for area in areas {
        let mut list = by_area.remove(&area).unwrap_or_default();
        list.sort_by(|a, b| b.1.value.total_cmp(&a.1.value).then(a.0.cmp(&b.0)));
        for (rank, (k, a)) in list.into_iter().take(q.cells_per_area).enumerate() {
            let mut hours: Vec<usize> = (0..168).filter(|h| a.hours[*h] > 0.0).collect();
            hours.sort_by(|x, y| a.hours[*y].total_cmp(&a.hours[*x]).then(x.cmp(y)));
            let windows = hours
                .into_iter()
                .take(q.windows)
                .map(|h| {
                    let (day, hour) = (DAYS[h / 24], (h % 24) as u8);
                    Window {
                        weekday: day,
                        hour,
                        label: format!("{day} {hour:02}:00-{:02}:00", (hour + 1) % 24),
                        value: a.hours[h],
                        share: if a.value > 0.0 { a.hours[h] / a.value } else { 0.0 },
                    }
                })
                .collect();
            out.push(PatrolCell {
                area: area.clone(),
                rank: rank + 1,
                easting: (k.0 as f64 + 0.5) * q.cell,
                northing: (k.1 as f64 + 0.5) * q.cell,
                crimes: a.crimes,
                value: a.value,
                windows,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use peel_domain::force_area::{AreaMember, ForceArea, Gazetteer, MemberKind};

    /// Facts of `n` crimes at random places and hours in one authority, and `planted` more in
    /// one cell on Fridays at 22:00.
    fn facts(n: usize, planted: usize) -> CrimeFacts {
        let mut f = CrimeFacts::default();
        let la = f.local_authorities.code(Some("E08000025"));
        let mut rng = crate::near_repeat::SplitMix(8);
        let mut push = |e: i32, nn: i32, weekday: u8, hour: u8| {
            f.recorded.push(0);
            f.month.push(0);
            f.hour.push(hour);
            f.weekday.push(weekday);
            f.category.push(3);
            f.offence.push(0);
            f.harm.push(Some(10.0));
            f.flags.push(0);
            f.lsoa.push(crate::NONE);
            f.ward.push(crate::NONE);
            f.local_authority.push(la);
            f.easting.push(Some(e));
            f.northing.push(Some(nn));
            f.victim_age.push(None);
            f.victim_sex.push(None);
            f.outcome_type.push(None);
            f.outcome_month.push(None);
            f.team.push(crate::NONE);
        };
        for _ in 0..n {
            let (e, nn) = (400_000 + rng.below(5000) as i32, 280_000 + rng.below(5000) as i32);
            push(e, nn, rng.below(7) as u8, rng.below(24) as u8);
        }
        for k in 0..planted {
            // The cell (1616, 1128) at 250 m; most on Friday 22:00, a few on Saturday 01:00.
            let (weekday, hour) = if k % 5 == 0 { (5, 1) } else { (4, 22) };
            push(404_010 + (k % 10) as i32 * 20, 282_010 + (k / 10) as i32 * 20, weekday, hour);
        }
        f
    }

    #[test]
    fn a_planted_recurring_hour_is_the_top_cells_patrol_window() {
        let f = facts(4000, 60);
        let names: HashMap<String, String> = [("E08000025".to_string(), "Birmingham".to_string())].into();
        let none = AreaMap::new(vec![], Gazetteer::default());
        let by_authority = policing_area(&f, &none, &names);
        let q = PatrolQuery {
            keep: &|_| true,
            harm: false,
            cell: 250.0,
            cells_per_area: 3,
            windows: 2,
            area_of: &by_authority,
        };
        let list = patrol_list(&f, &q);
        assert_eq!(list.len(), 3);
        let top = &list[0];
        assert_eq!((top.area.as_str(), top.rank), ("Birmingham", 1));
        assert_eq!((top.easting, top.northing), (404_125.0, 282_125.0), "{top:?}");
        assert_eq!(top.windows[0].label, "Friday 22:00-23:00");
        assert_eq!(top.windows[1].label, "Saturday 01:00-02:00");
        assert!(top.windows[0].value >= 48.0 && top.windows[0].share > 0.6, "{top:?}");
        // By harm the same (each crime weighs the same here), values ten times.
        let by_harm = patrol_list(&f, &PatrolQuery { harm: true, ..q });
        assert_eq!(by_harm[0].windows[0].label, "Friday 22:00-23:00");
        assert!((by_harm[0].value - 10.0 * by_harm[0].crimes as f64).abs() < 1e-9);
        // Only crimes kept count.
        let nothing = patrol_list(&f, &PatrolQuery { keep: &|_| false, ..q });
        assert!(nothing.is_empty());
        // Where the force defines NPUs, by NPU.
        let npu = ForceArea {
            kind: AreaKind::Npu,
            code: "BW".into(),
            name: "Birmingham West".into(),
            npu: None,
            source: "test".into(),
            members: vec![AreaMember { kind: MemberKind::La, code: "E08000025".into() }],
        };
        let map = AreaMap::new(vec![npu], Gazetteer::default());
        let by_npu = policing_area(&f, &map, &names);
        let list = patrol_list(&f, &PatrolQuery { area_of: &by_npu, ..q });
        assert_eq!(list[0].area, "Birmingham West NPU");
        // Without a name for the authority, its code; without a place, "place unknown".
        let unnamed = HashMap::new();
        let by_code = policing_area(&f, &none, &unnamed);
        assert_eq!(patrol_list(&f, &PatrolQuery { area_of: &by_code, ..q })[0].area, "E08000025");
        assert_eq!(patrol_list(&f, &PatrolQuery { area_of: &|_| None, ..q })[0].area, "place unknown");
    }
}
