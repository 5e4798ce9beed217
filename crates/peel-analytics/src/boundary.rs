//! The study area of every grid analysis (hotspots, density, Gi*, concentration, the
//! backtest), and the LSOA polygons it is cut from (issues 9 and 12: "cells clipped to the
//! force's area (LSOA boundaries)").
//!
//! A cell belongs to the area when its centre lies inside one of the area's LSOA polygons
//! (ONS's super-generalised clipped boundaries, projected to the National Grid); this is the
//! usual raster rule (a cell is in the area it mostly covers, near enough), and it makes a
//! cell's area share its share of cells. Every cell holding a crime is added whatever its
//! centre: a crime is never dropped because the generalised line passes between it and its
//! cell's centre. Without boundaries the area falls back to the cells of the force's postcodes
//! (the gazetteer's grid points), and without those to the crimes' cells and their neighbours;
//! the caller reports which it used ([`StudyArea::describe`]).

use std::collections::HashSet;

/// A closed ring of National Grid (easting, northing) points, metres; the last point may
/// repeat the first.
pub type Ring = Vec<(f64, f64)>;

/// A polygon: its outer ring, then its holes.
pub type Polygon = Vec<Ring>;

/// One LSOA's shape on the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub code: String,
    pub polygons: Vec<Polygon>,
}

/// What a grid analysis takes as its area; see the module docs.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum StudyArea {
    /// Neither boundaries nor postcodes are held: the crimes' cells and their neighbours.
    #[default]
    Crimes,
    /// The grid points of the area's postcodes.
    Postcodes(Vec<(f64, f64)>),
    /// The area's LSOA polygons.
    Boundaries(Vec<Shape>),
}

type Key = (i64, i64);

/// The most cells a study area may hold: a force's LSOAs at 15 m (West Midlands, 900 km²,
/// is 4 million cells of 15 m). Finer cells over a whole force would hold gigabytes of cell
/// keys and scores for no sharper map; the caller is told to choose larger cells.
pub const MAX_AREA_CELLS: f64 = 4_000_000.0;

impl StudyArea {
    /// The area of `shapes`, or, if none has a polygon, of the crimes alone.
    pub fn of_boundaries(shapes: Vec<Shape>) -> StudyArea {
        if shapes.iter().any(|s| !s.polygons.is_empty()) {
            StudyArea::Boundaries(shapes)
        } else {
            StudyArea::Crimes
        }
    }

    /// The area of the postcodes at `points`, or, if there are none, of the crimes alone.
    pub fn of_postcodes(points: Vec<(f64, f64)>) -> StudyArea {
        if points.is_empty() {
            StudyArea::Crimes
        } else {
            StudyArea::Postcodes(points)
        }
    }

    /// The area in the words of a page or a table's note.
    pub fn describe(&self) -> &'static str {
        match self {
            StudyArea::Crimes => {
                "the cells holding crimes and their neighbours (no boundaries or postcodes are imported)"
            }
            StudyArea::Postcodes(_) => {
                "the cells holding the area's postcodes or its crimes (no LSOA boundaries are imported)"
            }
            StudyArea::Boundaries(_) => {
                "the cells whose centre lies inside the area's LSOA boundaries, and every cell holding a crime"
            }
        }
    }

    /// The name of the area's source in JSON answers: `boundaries`, `postcodes` or `crimes`.
    pub fn source(&self) -> &'static str {
        match self {
            StudyArea::Crimes => "crimes",
            StudyArea::Postcodes(_) => "postcodes",
            StudyArea::Boundaries(_) => "boundaries",
        }
    }

    /// The study area's cells of `cell` metres, sorted: those of the area (module docs) and
    /// those of the crimes; with [`StudyArea::Crimes`], the crimes' cells and their neighbours
    /// `dilate` cells around.
    ///
    /// Refused when the boundaries hold more than [`MAX_AREA_CELLS`] cells of this size.
    pub fn cells(&self, cell: f64, crime_cells: impl Iterator<Item = Key>, dilate: i64) -> Result<Vec<Key>, String> {
        if let StudyArea::Boundaries(shapes) = self {
            let square_metres: f64 = shapes.iter().flat_map(|s| &s.polygons).map(polygon_area).sum();
            let about = square_metres / (cell * cell);
            if about > MAX_AREA_CELLS {
                return Err(format!(
                    "the area's {:.0} km² holds about {:.0} cells of {cell} m, more than {:.0}: choose larger cells",
                    square_metres / 1e6,
                    about,
                    MAX_AREA_CELLS
                ));
            }
        }
        let crimes: HashSet<Key> = crime_cells.collect();
        let mut study: HashSet<Key> = match self {
            StudyArea::Crimes => {
                let mut around = HashSet::with_capacity(crimes.len() * 4);
                for &(c, r) in &crimes {
                    for dc in -dilate..=dilate {
                        for dr in -dilate..=dilate {
                            around.insert((c + dc, r + dr));
                        }
                    }
                }
                around
            }
            StudyArea::Postcodes(points) => {
                points.iter().map(|&(e, n)| ((e / cell).floor() as i64, (n / cell).floor() as i64)).collect()
            }
            StudyArea::Boundaries(shapes) => cells_inside(shapes, cell),
        };
        study.extend(crimes);
        let mut keys: Vec<Key> = study.into_iter().collect();
        keys.sort_unstable();
        Ok(keys)
    }
}

/// A polygon's area in square metres: its outer ring's less its holes' (the shoelace sum).
fn polygon_area(polygon: &Polygon) -> f64 {
    let ring_area = |ring: &Ring| {
        let n = ring.len();
        (0..n).map(|i| ring[i].0 * ring[(i + 1) % n].1 - ring[(i + 1) % n].0 * ring[i].1).sum::<f64>().abs() / 2.0
    };
    let mut rings = polygon.iter().map(ring_area);
    let outer = rings.next().unwrap_or(0.0);
    (outer - rings.sum::<f64>()).max(0.0)
}

/// The cells of `cell` metres whose centre lies inside one of `shapes`' polygons (the even-odd
/// rule within a polygon, so holes are left out; the union over polygons).
///
/// A scanline over each polygon: for each row of cell centres across its extent, the
/// crossings of the centre line with the polygon's edges, sorted; the centres between each
/// pair of crossings are inside. rows × edges per polygon, which for a force's 1,700 LSOAs
/// at 100 m is a few million steps.
pub fn cells_inside(shapes: &[Shape], cell: f64) -> HashSet<Key> {
    let mut inside = HashSet::new();
    let mut xs: Vec<f64> = Vec::new();
    for polygon in shapes.iter().flat_map(|s| &s.polygons) {
        let points = polygon.iter().flatten();
        if polygon.iter().flatten().any(|(x, y)| !(x.is_finite() && y.is_finite())) {
            continue;
        }
        let (lo, hi) = points.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, y)| (lo.min(y), hi.max(y)));
        if !(lo.is_finite() && hi.is_finite()) {
            continue;
        }
        // Rows whose centre (r + 0.5) × cell lies in [lo, hi], and one more each side: the
        // crossings decide, so a centre on the extreme by a rounding step is not lost.
        let (r0, r1) = ((lo / cell - 0.5).ceil() as i64 - 1, (hi / cell - 0.5).floor() as i64 + 1);
        for r in r0..=r1 {
            let y = (r as f64 + 0.5) * cell;
            xs.clear();
            for ring in polygon {
                let n = ring.len();
                for i in 0..n {
                    let (x1, y1) = ring[i];
                    let (x2, y2) = ring[(i + 1) % n];
                    // Half-open in y, so a vertex on the line counts once.
                    if (y1 > y) != (y2 > y) {
                        xs.push(x1 + (y - y1) * (x2 - x1) / (y2 - y1));
                    }
                }
            }
            xs.sort_unstable_by(f64::total_cmp);
            for pair in xs.chunks_exact(2) {
                // Columns whose centre (c + 0.5) × cell lies in [a, b).
                let (c0, c1) = ((pair[0] / cell - 0.5).ceil() as i64, (pair[1] / cell - 0.5).ceil() as i64);
                for c in c0..c1 {
                    inside.insert((c, r));
                }
            }
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, side: f64) -> Ring {
        vec![(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side), (x0, y0)]
    }

    /// Whether (x, y) lies inside the polygon by the even-odd rule, one point at a time: the
    /// independent check of the scanline.
    fn contains(polygon: &Polygon, x: f64, y: f64) -> bool {
        let mut odd = false;
        for ring in polygon {
            for (i, &(x1, y1)) in ring.iter().enumerate() {
                let (x2, y2) = ring[(i + ring.len() - 1) % ring.len()];
                if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                    odd = !odd;
                }
            }
        }
        odd
    }

    #[test]
    fn a_square_kilometre_holds_sixteen_cells_of_250_metres() {
        let shapes = [Shape { code: "E01000001".into(), polygons: vec![vec![square(400_000.0, 280_000.0, 1_000.0)]] }];
        let cells = cells_inside(&shapes, 250.0);
        assert_eq!(cells.len(), 16);
        assert!(cells.contains(&(1600, 1120)) && cells.contains(&(1603, 1123)));
        assert!(!cells.contains(&(1604, 1120)) && !cells.contains(&(1599, 1120)));
        // Shifted by half a cell: the centres on the edge at the low side are in (half-open),
        // so still sixteen.
        let shifted = [Shape { code: "x".into(), polygons: vec![vec![square(400_125.0, 280_125.0, 1_000.0)]] }];
        assert_eq!(cells_inside(&shifted, 250.0).len(), 16);
    }

    #[test]
    fn holes_are_left_out_and_the_union_is_taken() {
        // A 1 km square with a 500 m hole in its middle, and a second LSOA overlapping it.
        let holed = vec![square(0.0, 0.0, 1_000.0), square(250.0, 250.0, 500.0)];
        let shapes = [
            Shape { code: "a".into(), polygons: vec![holed] },
            Shape { code: "b".into(), polygons: vec![vec![square(750.0, 0.0, 500.0)]] },
        ];
        let cells = cells_inside(&shapes, 250.0);
        assert!(!cells.contains(&(1, 1)) && !cells.contains(&(2, 2)), "the hole is left out");
        // 16 − 4 in the holed square; the second adds columns 4 (2 cells), column 3 held.
        assert_eq!(cells.len(), 12 + 2);
    }

    #[test]
    fn the_scanline_agrees_with_a_point_test_on_an_irregular_polygon() {
        // A star-like polygon with twelve points and a triangular hole, against the even-odd
        // test of each cell centre in its bounding box.
        let outer: Ring = (0..12)
            .map(|i| {
                let a = i as f64 * std::f64::consts::PI / 6.0;
                let r = if i % 2 == 0 { 3_000.0 } else { 1_400.0 };
                (410_000.0 + r * a.cos(), 290_000.0 + r * a.sin())
            })
            .collect();
        let hole: Ring = vec![(409_800.0, 289_800.0), (410_300.0, 289_900.0), (410_000.0, 290_400.0)];
        let polygon = vec![outer, hole];
        for cell in [50.0, 100.0, 250.0, 333.0] {
            let got = cells_inside(&[Shape { code: "s".into(), polygons: vec![polygon.clone()] }], cell);
            let mut want = HashSet::new();
            for c in ((407_000.0 / cell) as i64 - 2)..((413_000.0 / cell) as i64 + 2) {
                for r in ((287_000.0 / cell) as i64 - 2)..((293_000.0 / cell) as i64 + 2) {
                    if contains(&polygon, (c as f64 + 0.5) * cell, (r as f64 + 0.5) * cell) {
                        want.insert((c, r));
                    }
                }
            }
            assert!(want.len() > 100, "{cell}: {}", want.len());
            assert_eq!(got, want, "cells of {cell} m");
        }
    }

    #[test]
    fn the_study_area_adds_crime_cells_and_falls_back() {
        let shapes = vec![Shape { code: "a".into(), polygons: vec![vec![square(0.0, 0.0, 500.0)]] }];
        let area = StudyArea::Boundaries(shapes);
        // A crime outside the boundary keeps its cell.
        let cells = area.cells(250.0, [(10, 10)].into_iter(), 1).unwrap();
        assert_eq!(cells, vec![(0, 0), (0, 1), (1, 0), (1, 1), (10, 10)]);
        assert_eq!(area.source(), "boundaries");
        let points = StudyArea::Postcodes(vec![(10.0, 10.0), (900.0, 10.0)]);
        assert_eq!(points.cells(250.0, [(0, 0)].into_iter(), 1).unwrap(), vec![(0, 0), (3, 0)]);
        // Nothing held: the crime's cell and its eight neighbours.
        assert_eq!(StudyArea::Crimes.cells(250.0, [(5, 5)].into_iter(), 1).unwrap().len(), 9);
        // An area with no polygon or no postcode is the crimes' alone.
        assert_eq!(StudyArea::of_boundaries(vec![Shape { code: "x".into(), polygons: vec![] }]), StudyArea::Crimes);
        assert_eq!(StudyArea::of_postcodes(vec![]), StudyArea::Crimes);
        // Cells so small that the area would hold more than MAX_AREA_CELLS are refused: a
        // 30 km square is 900 km², 9 million cells of 10 m.
        let big =
            StudyArea::Boundaries(vec![Shape { code: "b".into(), polygons: vec![vec![square(0.0, 0.0, 30_000.0)]] }]);
        let e = big.cells(10.0, std::iter::empty(), 1).unwrap_err();
        assert!(e.contains("900 km²") && e.contains("choose larger cells"), "{e}");
        assert_eq!(big.cells(100.0, std::iter::empty(), 1).unwrap().len(), 90_000);
    }
}
