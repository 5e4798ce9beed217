//! The hotspot map's figures: crime and harm in each 250 m British National Grid cell, each
//! cell's local authority, and the outline of a set of cells.
//!
//! No boundary files are imported (police.uk publishes none, and the ONS lookups are tables,
//! not shapes), so an area's outline on the map is the boundary of the cells assigned to it:
//! each cell goes to the local authority with most of its crimes. That outline follows the
//! grid, not the legal boundary, which is honest about what the data can say.
//!
//! Geometry is in cell units: cell (c, r) covers the square from corner (c, r) to corner
//! (c + 1, r + 1), c = ⌊easting / 250⌋, r = ⌊northing / 250⌋, so y (north) grows upwards.

use crate::columns::{Geography, StreetColumns, NONE};
use crate::concentration::grid_cells;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A corner of the grid, in cell units.
pub type Corner = (i32, i32);
/// A directed boundary edge of one cell side, from one corner to the next.
pub type Edge = (Corner, Corner);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub col: i32,
    pub row: i32,
    pub crimes: u64,
    pub harm: f64,
    /// Index into `HotspotGrid::areas` of the local authority with most of the cell's
    /// crimes (ties to the name first in alphabetical order); `NONE` if no crime in it has
    /// an LSOA.
    pub area: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HotspotGrid {
    /// Cells with at least one crime.
    pub cells: Vec<Cell>,
    /// Local authorities named by `Cell::area`, alphabetical.
    pub areas: Vec<String>,
    pub crimes: u64,
    pub harm: f64,
    /// Crimes with no location: counted in the totals, not on the map.
    pub unplaced: u64,
}

/// Crimes (ASB excluded) and harm per 250 m cell over `months` (inclusive `YearMonth::index`
/// range), with each cell's local authority.
pub fn hotspot_grid(
    cols: &StreetColumns,
    geo: &Geography,
    months: std::ops::RangeInclusive<i32>,
    weights: &[f64; 14],
) -> HotspotGrid {
    let (cell_of_point, cells) = grid_cells(&geo.points);
    let mut areas: Vec<String> = geo.lsoas.iter().map(|l| l.local_authority.clone()).collect();
    areas.sort();
    areas.dedup();
    let area_index: HashMap<&str, u32> = areas.iter().enumerate().map(|(i, a)| (a.as_str(), i as u32)).collect();
    let area_of_lsoa: Vec<u32> = geo.lsoas.iter().map(|l| area_index[l.local_authority.as_str()]).collect();

    let mut crimes = vec![0u64; cells.len()];
    let mut harm = vec![0.0f64; cells.len()];
    // (area, crimes) per cell: a cell almost always has one or two areas, so a short list
    // beats a hash map keyed by (cell, area) over hundreds of thousands of crimes.
    let mut votes: Vec<Vec<(u32, u32)>> = vec![Vec::new(); cells.len()];
    let (mut total, mut total_harm, mut unplaced) = (0u64, 0.0f64, 0u64);
    for i in 0..cols.len() {
        let c = cols.category[i];
        if c == 0 || !months.contains(&cols.month[i]) {
            continue;
        }
        total += 1;
        let h = cols.harm_of(i, weights);
        total_harm += h;
        let p = cols.point[i];
        if p == NONE {
            unplaced += 1;
            continue;
        }
        let cell = cell_of_point[p as usize];
        crimes[cell as usize] += 1;
        harm[cell as usize] += h;
        let l = cols.lsoa[i];
        if l != NONE {
            let area = area_of_lsoa[l as usize];
            let v = &mut votes[cell as usize];
            match v.iter_mut().find(|(a, _)| *a == area) {
                Some((_, n)) => *n += 1,
                None => v.push((area, 1)),
            }
        }
    }
    // Most votes; on a tie the lower index, which is the name first alphabetically.
    let winner = |cell: usize| votes[cell].iter().max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0))).map(|w| w.0);
    let cells = cells
        .iter()
        .enumerate()
        .filter(|(i, _)| crimes[*i] > 0)
        .map(|(i, &(col, row))| Cell { col, row, crimes: crimes[i], harm: harm[i], area: winner(i).unwrap_or(NONE) })
        .collect();
    HotspotGrid { cells, areas, crimes: total, harm: total_harm, unplaced }
}

/// The sides of the cells in `cells` that do not touch another cell of the set, directed so
/// that the set lies on the left (outer boundaries run anticlockwise, holes clockwise),
/// sorted.
pub fn boundary_edges(cells: &[(i32, i32)]) -> Vec<Edge> {
    let set: HashSet<(i32, i32)> = cells.iter().copied().collect();
    let mut edges = Vec::new();
    for &(c, r) in &set {
        if !set.contains(&(c, r - 1)) {
            edges.push(((c, r), (c + 1, r)));
        }
        if !set.contains(&(c + 1, r)) {
            edges.push(((c + 1, r), (c + 1, r + 1)));
        }
        if !set.contains(&(c, r + 1)) {
            edges.push(((c + 1, r + 1), (c, r + 1)));
        }
        if !set.contains(&(c - 1, r)) {
            edges.push(((c, r + 1), (c, r)));
        }
    }
    edges.sort();
    edges
}

/// The boundary of `cells` as closed rings of corners, without the corners where the line
/// runs straight on: anticlockwise for an outer boundary, clockwise for a hole. Each ring
/// starts at its lowest corner (smallest x, then y), and the rings are sorted by that corner.
///
/// Where two cells of the set touch only at a corner, the rings are kept apart (each cell's
/// outline turns back into its own cell), so no ring crosses itself.
pub fn boundary_rings(cells: &[(i32, i32)]) -> Vec<Vec<Corner>> {
    let edges = boundary_edges(cells);
    let mut from: HashMap<Corner, Vec<usize>> = HashMap::new();
    for (i, e) in edges.iter().enumerate() {
        from.entry(e.0).or_default().push(i);
    }
    let direction = |e: &Edge| (e.1 .0 - e.0 .0, e.1 .1 - e.0 .1);
    // The edge taken after `e`: the sharpest left turn there is, then straight on, then right.
    // With the set on the left, turning left first at a corner shared by two diagonal cells
    // stays with the cell the ring came from.
    let next = |e: usize| -> usize {
        let (dx, dy) = direction(&edges[e]);
        let left = (-dy, dx);
        let right = (dy, -dx);
        let outgoing = &from[&edges[e].1];
        [left, (dx, dy), right]
            .iter()
            .find_map(|d| outgoing.iter().copied().find(|&o| direction(&edges[o]) == *d))
            .expect("a closed boundary has an edge leaving every corner it reaches")
    };
    let mut used = vec![false; edges.len()];
    let mut rings = Vec::new();
    for start in 0..edges.len() {
        if used[start] {
            continue;
        }
        let mut ring = Vec::new();
        let mut e = start;
        loop {
            used[e] = true;
            let n = next(e);
            if direction(&edges[e]) != direction(&edges[n]) {
                ring.push(edges[e].1);
            }
            if n == start {
                break;
            }
            e = n;
        }
        let lowest = (0..ring.len()).min_by_key(|&i| ring[i]).unwrap_or(0);
        ring.rotate_left(lowest);
        rings.push(ring);
    }
    rings.sort();
    rings
}

/// Spreads each labelled cell's label to the cells without one up to `radius` steps away
/// (across cell sides), nearest first; a cell reached at the same step by several labels
/// takes the lowest. Returns the labelled cells and the ones filled, sorted.
///
/// Why: an area's outline drawn round only the cells that had crime is a ragged line round
/// every isolated cell, with a hole at every park and playing field. Filling the gaps of up
/// to `radius` cells first gives the outline a shape a reader recognises, and the line
/// between two authorities falls half-way between their crimes.
pub fn fill_gaps(labelled: &[((i32, i32), u32)], radius: u32) -> Vec<((i32, i32), u32)> {
    let mut label: HashMap<(i32, i32), u32> = HashMap::new();
    for &(cell, l) in labelled {
        let e = label.entry(cell).or_insert(l);
        *e = (*e).min(l);
    }
    let mut frontier: Vec<((i32, i32), u32)> = label.iter().map(|(c, l)| (*c, *l)).collect();
    for _ in 0..radius {
        let mut next: HashMap<(i32, i32), u32> = HashMap::new();
        for &((c, r), l) in &frontier {
            for n in [(c + 1, r), (c - 1, r), (c, r + 1), (c, r - 1)] {
                if !label.contains_key(&n) {
                    let e = next.entry(n).or_insert(l);
                    *e = (*e).min(l);
                }
            }
        }
        label.extend(next.iter().map(|(c, l)| (*c, *l)));
        frontier = next.into_iter().collect();
    }
    let mut out: Vec<((i32, i32), u32)> = label.into_iter().collect();
    out.sort();
    out
}

/// Twice the signed area of a ring (shoelace): positive anticlockwise, negative clockwise.
pub fn twice_signed_area(ring: &[Corner]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 as i64 * b.1 as i64 - b.0 as i64 * a.1 as i64
        })
        .sum()
}

/// The Ordnance Survey grid reference of a point to 100 m ("SE 298 336"): the two letters of
/// its 100 km square and three digits each of easting and northing within it. `None` outside
/// the grid's 700 km × 1,300 km.
pub fn os_grid_reference(easting: f64, northing: f64) -> Option<String> {
    if !(0.0..700_000.0).contains(&easting) || !(0.0..1_300_000.0).contains(&northing) {
        return None;
    }
    let (e100k, n100k) = ((easting / 100_000.0).floor() as i32, (northing / 100_000.0).floor() as i32);
    // The letters run A-Z without I, in 5 × 5 blocks: the first letter names the 500 km
    // square (false origin at S), the second the 100 km square within it.
    let mut l1 = (19 - n100k) - (19 - n100k) % 5 + (e100k + 10) / 5;
    let mut l2 = ((19 - n100k) * 5) % 25 + e100k % 5;
    if l1 > 7 {
        l1 += 1;
    }
    if l2 > 7 {
        l2 += 1;
    }
    let letter = |l: i32| (b'A' + l as u8) as char;
    let digits = |v: f64| ((v % 100_000.0) / 100.0).floor() as u32;
    Some(format!("{}{} {:03} {:03}", letter(l1), letter(l2), digits(easting), digits(northing)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::Lsoa;
    use peel_domain::{Category, YearMonth};

    #[test]
    fn one_cell_has_four_edges_and_one_square_ring() {
        assert_eq!(
            boundary_edges(&[(0, 0)]),
            vec![((0, 0), (1, 0)), ((0, 1), (0, 0)), ((1, 0), (1, 1)), ((1, 1), (0, 1))]
        );
        assert_eq!(boundary_rings(&[(0, 0)]), vec![vec![(0, 0), (1, 0), (1, 1), (0, 1)]]);
    }

    #[test]
    fn a_domino_drops_the_shared_side_and_the_straight_corners() {
        // Two cells side by side: 6 of their 8 sides are boundary; the ring is the 2 × 1
        // rectangle, its corners at (1, 0) and (1, 1) straight and dropped.
        let cells = [(5, 7), (6, 7)];
        assert_eq!(boundary_edges(&cells).len(), 6);
        assert!(!boundary_edges(&cells).contains(&((6, 7), (6, 8))), "the shared side");
        assert_eq!(boundary_rings(&cells), vec![vec![(5, 7), (7, 7), (7, 8), (5, 8)]]);
    }

    #[test]
    fn an_l_shape_has_a_reflex_corner() {
        // Cells (0,0), (1,0), (0,1): 8 boundary sides; six corners, (1,1) turning right.
        let cells = [(0, 0), (1, 0), (0, 1)];
        assert_eq!(boundary_edges(&cells).len(), 8);
        let rings = boundary_rings(&cells);
        assert_eq!(rings, vec![vec![(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)]]);
        // Area 3 cells: twice the area is 6.
        assert_eq!(twice_signed_area(&rings[0]), 6);
    }

    #[test]
    fn a_ring_of_eight_cells_has_a_clockwise_hole() {
        // 3 × 3 without its centre: 12 outer sides and 4 around the hole.
        let cells: Vec<(i32, i32)> =
            (0..3).flat_map(|c| (0..3).map(move |r| (c, r))).filter(|&cell| cell != (1, 1)).collect();
        assert_eq!(boundary_edges(&cells).len(), 16);
        let rings = boundary_rings(&cells);
        assert_eq!(rings, vec![vec![(0, 0), (3, 0), (3, 3), (0, 3)], vec![(1, 1), (1, 2), (2, 2), (2, 1)]]);
        // Outer +9, hole −1: the 8 cells.
        assert_eq!(twice_signed_area(&rings[0]), 18);
        assert_eq!(twice_signed_area(&rings[1]), -2);
    }

    #[test]
    fn cells_touching_at_a_corner_keep_separate_rings() {
        let rings = boundary_rings(&[(0, 0), (1, 1)]);
        assert_eq!(rings, vec![vec![(0, 0), (1, 0), (1, 1), (0, 1)], vec![(1, 1), (2, 1), (2, 2), (1, 2)]]);
        // Same the other way round, (1,0) and (0,1) meeting at (1,1).
        let rings = boundary_rings(&[(1, 0), (0, 1)]);
        assert_eq!(rings, vec![vec![(0, 1), (1, 1), (1, 2), (0, 2)], vec![(1, 0), (2, 0), (2, 1), (1, 1)]]);
    }

    #[test]
    fn gaps_fill_from_the_nearest_label() {
        // One cell, radius 1: itself and its four side neighbours.
        assert_eq!(
            fill_gaps(&[((0, 0), 7)], 1),
            vec![((-1, 0), 7), ((0, -1), 7), ((0, 0), 7), ((0, 1), 7), ((1, 0), 7)]
        );
        // Two labels two cells apart: (1, 0) is one step from both and takes the lower (0);
        // (0, 0)'s other neighbours are 1's, (2, 0)'s are 0's: 9 cells.
        let filled = fill_gaps(&[((0, 0), 1), ((2, 0), 0)], 1);
        assert_eq!(filled.len(), 9);
        let at = |cell| filled.iter().find(|(c, _)| *c == cell).map(|(_, l)| *l);
        assert_eq!(
            (at((1, 0)), at((-1, 0)), at((0, 1)), at((3, 0)), at((2, -1))),
            (Some(0), Some(1), Some(1), Some(0), Some(0))
        );
        // Radius 2 reaches (0, 2) from (0, 0) in two steps, not (1, 2) (three).
        let filled = fill_gaps(&[((0, 0), 3)], 2);
        assert_eq!(filled.len(), 13);
        assert!(filled.contains(&((0, 2), 3)) && !filled.iter().any(|(c, _)| *c == (1, 2)));
        assert!(fill_gaps(&[], 3).is_empty());
    }

    #[test]
    fn grid_references() {
        // Leeds: 100 km square (4, 4) is SE; 29,800 m and 33,600 m into it.
        assert_eq!(os_grid_reference(429_800.0, 433_600.0).as_deref(), Some("SE 298 336"));
        // London: square (5, 1) is TQ.
        assert_eq!(os_grid_reference(530_050.0, 180_000.0).as_deref(), Some("TQ 300 800"));
        // The grid's false origin: square (0, 0) is SV.
        assert_eq!(os_grid_reference(0.0, 0.0).as_deref(), Some("SV 000 000"));
        assert_eq!(os_grid_reference(-1.0, 0.0), None);
    }

    #[test]
    fn no_cells_no_rings() {
        assert!(boundary_rings(&[]).is_empty());
        assert!(boundary_edges(&[]).is_empty());
    }

    #[test]
    fn cells_count_crimes_and_harm_and_take_the_majority_area() {
        let lsoa = |la: &str| Lsoa { local_authority: la.into(), ..Default::default() };
        let geo = Geography {
            lsoas: vec![lsoa("Leeds"), lsoa("Bradford"), lsoa("Leeds")],
            // Points 0 and 1 in cell (1716, 1734); point 2 in (1720, 1734).
            points: vec![(429_010.0, 433_600.0), (429_240.0, 433_510.0), (430_000.0, 433_600.0)],
        };
        let m = YearMonth::parse("2017-07").unwrap();
        let mut c = StreetColumns::default();
        // Cell (1716, 1734): 2 Bradford burglaries, 1 Leeds robbery → Bradford.
        c.push(m, Category::Burglary, 1, 0, NONE);
        c.push(m, Category::Burglary, 1, 1, NONE);
        c.push(m, Category::Robbery, 0, 0, NONE);
        // Cell (1720, 1734): one Leeds and one Bradford crime: a tie, Bradford first by name.
        c.push(m, Category::Drugs, 2, 2, NONE);
        c.push(m, Category::Drugs, 1, 2, NONE);
        // Not counted: ASB, another month. Counted but not placed: no point.
        c.push(m, Category::AntiSocialBehaviour, 0, 0, NONE);
        c.push(m.plus(-1), Category::Robbery, 0, 0, NONE);
        c.push(m, Category::Robbery, 0, NONE, NONE);
        let w = peel_domain::harm::category_weights();
        let g = hotspot_grid(&c, &geo, m.index()..=m.index(), &w);
        assert_eq!(g.areas, vec!["Bradford".to_string(), "Leeds".to_string()]);
        assert_eq!((g.crimes, g.unplaced), (6, 1));
        assert_eq!(g.cells.len(), 2);
        let a = g.cells.iter().find(|x| (x.col, x.row) == (1716, 1734)).unwrap();
        assert_eq!((a.crimes, a.area), (3, 0));
        let b = w[Category::Burglary.code() as usize];
        assert!((a.harm - (2.0 * b + 365.0)).abs() < 1e-9);
        let d = g.cells.iter().find(|x| (x.col, x.row) == (1720, 1734)).unwrap();
        assert_eq!((d.crimes, d.area), (2, 0));
        assert!((g.harm - (2.0 * b + 365.0 * 2.0 + 2.0 * w[Category::Drugs.code() as usize])).abs() < 1e-9);
    }
}
