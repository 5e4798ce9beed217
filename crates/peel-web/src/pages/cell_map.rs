//! A map of grid cells in classes, drawn as SVG on the server: the density and Gi* maps
//! (issue 12). As the hotspot map (`analyst_map`), no basemap (no tiles are reachable from a
//! force network as Peel is deployed), north up, a scale bar and a legend; each class is one
//! path, and every class differs in lightness as well as hue so that the order reads in
//! greyscale. The map is framed on the bulk of the cells (`analyst_map::frame`).

use maud::{html, Markup};
use peel_analytics::boundary::Shape;
use peel_report::format::num;
use std::fmt::Write;

pub(crate) const INK: &str = "#0b0c0c";

/// Pixel width of the map's drawing (the SVG's viewBox), and the most height it may take.
pub(crate) const VIEW_W: f64 = 800.0;
pub(crate) const MAX_MAP_H: f64 = 720.0;
pub(crate) const MARGIN: f64 = 20.0;

/// Where a map of grid cells sits in its drawing, north up: the columns and rows framed, the
/// pixels a cell takes, the map's top-left corner and size, and where its legend (of
/// `legend_rows` rows) starts and the drawing ends.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub min_c: i32,
    pub max_c: i32,
    pub min_r: i32,
    pub max_r: i32,
    pub s: f64,
    pub ox: f64,
    pub oy: f64,
    pub map_w: f64,
    pub map_h: f64,
    pub legend_y: f64,
    pub view_h: f64,
}

impl Frame {
    /// The frame of cells at `cols` and `rows` (one each per cell; not empty).
    pub fn around(cols: Vec<i32>, rows: Vec<i32>, legend_rows: usize) -> Frame {
        let (min_c, max_c) = frame(cols);
        let (min_r, max_r) = frame(rows);
        let (w, h) = ((max_c - min_c + 1) as f64, (max_r - min_r + 1) as f64);
        // Pixels per cell: fill the width unless that makes the map too tall; a small area's
        // cells are not blown up past 24 px.
        let s = ((VIEW_W - 2.0 * MARGIN) / w).min(MAX_MAP_H / h).min(24.0);
        let (map_w, map_h) = (w * s, h * s);
        let ox = MARGIN + (VIEW_W - 2.0 * MARGIN - map_w) / 2.0;
        let oy = MARGIN + 24.0;
        let legend_y = oy + map_h + 28.0;
        let view_h = legend_y + 30.0 + 26.0 * legend_rows as f64 + 10.0;
        Frame { min_c, max_c, min_r, max_r, s, ox, oy, map_w, map_h, legend_y, view_h }
    }

    pub fn holds(&self, col: i32, row: i32) -> bool {
        (self.min_c..=self.max_c).contains(&col) && (self.min_r..=self.max_r).contains(&row)
    }

    /// The scale bar: a round length about a quarter of the map's width, as (pixels, km),
    /// for cells of `cell_metres`.
    pub fn scale_bar(&self, cell_metres: f64) -> (f64, f64) {
        let km_per_px = cell_metres / 1000.0 / self.s;
        let km = scale_km(self.map_w / 4.0 * km_per_px);
        (km / km_per_px, km)
    }
}

/// 1, 2 or 5 × a power of ten kilometres: the longest that fits in `max_km`.
pub(crate) fn scale_km(max_km: f64) -> f64 {
    let mut best = 0.25;
    for p in [0.1, 1.0, 10.0, 100.0] {
        for m in [1.0, 2.0, 5.0] {
            if m * p <= max_km {
                best = m * p;
            }
        }
    }
    best
}

/// The columns (or rows) the map frames: from the 0.5th to the 99.5th percentile of the
/// cells, widened by a tenth of that span and two cells each side. A handful of police.uk
/// locations are tens of kilometres from the force (mis-geocoded snap points); framing them
/// would shrink the force to a corner of the map.
pub(crate) fn frame(mut values: Vec<i32>) -> (i32, i32) {
    values.sort_unstable();
    let n = values.len();
    let k = n * 5 / 1000;
    let (lo, hi) = (values[k], values[n - 1 - k]);
    let pad = (hi - lo) / 10 + 2;
    ((lo - pad).max(values[0]), (hi + pad).min(values[n - 1]))
}

/// One class of the legend: its colour and what it means.
pub(crate) struct Class {
    pub colour: &'static str,
    pub label: String,
}

/// A cell to draw: grid column and row (⌊easting / cell⌋, ⌊northing / cell⌋) and its class
/// (an index into the legend's classes; cells of no class are not drawn).
pub(crate) struct Drawn {
    pub col: i64,
    pub row: i64,
    pub class: Option<usize>,
}

/// The map, and how many cells lie outside its frame.
pub(crate) fn cell_map(
    cells: &[Drawn],
    (cell_metres, lsoas): (f64, &[Shape]),
    classes: &[Class],
    legend_title: &str,
    title: &str,
    desc: &str,
) -> (Markup, usize) {
    let drawn: Vec<&Drawn> = cells.iter().filter(|c| c.class.is_some()).collect();
    if drawn.is_empty() {
        return (html! {}, 0);
    }
    let frame = Frame::around(
        drawn.iter().map(|c| c.col as i32).collect(),
        drawn.iter().map(|c| c.row as i32).collect(),
        classes.len(),
    );
    let inside: Vec<&&Drawn> = drawn.iter().filter(|c| frame.holds(c.col as i32, c.row as i32)).collect();
    let outside = drawn.len() - inside.len();
    let Frame { s, ox, oy, map_w, map_h, legend_y, view_h, .. } = frame;
    let (min_c, max_r) = (frame.min_c as i64, frame.max_r as i64);
    let f0 = |x: f64| format!("{x:.0}");
    let f1 = |x: f64| format!("{x:.1}");
    let paths: Vec<(&str, String)> = classes
        .iter()
        .enumerate()
        .map(|(k, class)| {
            let mut d = String::new();
            for c in inside.iter().filter(|c| c.class == Some(k)) {
                let _ = write!(d, "M{} {}h1v1h-1z", c.col - min_c, max_r - c.row);
            }
            (class.colour, d)
        })
        .filter(|(_, d)| !d.is_empty())
        .collect();
    let (nx, ny) = (VIEW_W - MARGIN - 14.0, MARGIN + 4.0);
    let (bar, km) = frame.scale_bar(cell_metres);
    let (bx, by) = (MARGIN, legend_y - 6.0);
    let lsoa_lines = lsoa_path(lsoas, &frame, cell_metres);
    let svg = html! {
        svg class="map" viewBox={ "0 0 " (VIEW_W) " " (f0(view_h)) } width=(VIEW_W) height=(f0(view_h))
            style="max-width:100%;height:auto" xmlns="http://www.w3.org/2000/svg" role="img"
            aria-labelledby="map-title map-desc" {
            title id="map-title" { (title) }
            desc id="map-desc" {
                (desc)
                @if !lsoa_lines.is_empty() { " The LSOA boundaries are drawn over the cells." }
            }
            rect x="0" y="0" width=(VIEW_W) height=(f0(view_h)) fill="#ffffff" {}
            g transform={ "translate(" (format!("{:.2} {:.2}", ox, oy)) ") scale(" (format!("{s:.4}")) ")" }
                shape-rendering="crispEdges" {
                @for (colour, d) in &paths {
                    path fill=(colour) d=(d) {}
                }
                (lsoa_outline(&lsoa_lines, &frame))
            }
            rect x=(f1(ox)) y=(f1(oy)) width=(f1(map_w)) height=(f1(map_h)) fill="none" stroke=(INK) stroke-width="1" {}
            (north_and_scale((nx, ny), (bx, by), bar, km))
            text x=(MARGIN) y=(f1(legend_y + 22.0)) font-family="sans-serif" font-size="14" font-weight="700"
                fill=(INK) { (legend_title) }
            @for (row, class) in classes.iter().enumerate() {
                @let y = legend_y + 34.0 + 26.0 * row as f64;
                rect x=(MARGIN) y=(f1(y)) width="28" height="18" fill=(class.colour) stroke=(INK) stroke-width="1" {}
                text x=(f1(MARGIN + 38.0)) y=(f1(y + 14.0)) font-family="sans-serif" font-size="13" fill=(INK) {
                    (class.label)
                }
            }
        }
    };
    (svg, outside)
}

/// The LSOA boundaries over the cells, thin enough to read the cells through: one path in
/// the cell units of the map's scaled group (x = easting ÷ cell − first column, y = last
/// row + 1 − northing ÷ cell, north up), a tenth of a cell's precision, a stroke that does
/// not scale with the group. Boundaries wholly outside the frame are left out.
pub(crate) fn lsoa_path(lsoas: &[Shape], frame: &Frame, cell: f64) -> String {
    let (min_c, max_r) = (frame.min_c as f64, frame.max_r as f64);
    let (w, h) = ((frame.max_c - frame.min_c + 1) as f64, (frame.max_r - frame.min_r + 1) as f64);
    let mut d = String::new();
    for ring in lsoas.iter().flat_map(|s| &s.polygons).flatten() {
        let points: Vec<(f64, f64)> = ring.iter().map(|&(e, n)| (e / cell - min_c, max_r + 1.0 - n / cell)).collect();
        let outside = points.iter().all(|p| p.0 < 0.0)
            || points.iter().all(|p| p.0 > w)
            || points.iter().all(|p| p.1 < 0.0)
            || points.iter().all(|p| p.1 > h);
        if outside || points.len() < 3 {
            continue;
        }
        let mut last = (i64::MIN, i64::MIN);
        for (i, (x, y)) in points.iter().enumerate() {
            let at = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
            if at == last {
                continue;
            }
            let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, at.0 as f64 / 10.0, at.1 as f64 / 10.0);
            last = at;
        }
        d.push('Z');
    }
    d
}

/// The path of [`lsoa_path`], drawn inside the map's frame only (the frame holds the bulk of
/// the cells; a boundary running past it would cross the legend); nothing when there are no
/// boundaries. One map to a page, so one clip id.
pub(crate) fn lsoa_outline(d: &str, frame: &Frame) -> Markup {
    let (w, h) = (frame.max_c - frame.min_c + 1, frame.max_r - frame.min_r + 1);
    html! {
        @if !d.is_empty() {
            clipPath id="lsoa-clip" { rect x="0" y="0" width=(w) height=(h) {} }
            path class="lsoa" d=(d) fill="none" stroke="#505a5f" stroke-opacity="0.7" stroke-width="0.6"
                vector-effect="non-scaling-stroke" shape-rendering="geometricPrecision" clip-path="url(#lsoa-clip)" {}
        }
    }
}

/// The north arrow with its top at `north`, and a scale bar of `bar` pixels standing for `km`
/// with its left end at `scale`.
pub(crate) fn north_and_scale(north: (f64, f64), scale: (f64, f64), bar: f64, km: f64) -> Markup {
    let ((nx, ny), (bx, by)) = (north, scale);
    let f1 = |x: f64| format!("{x:.1}");
    html! {
        g aria-hidden="true" {
            path d={ "M" (nx) " " (ny) " l9 26 l-9 -7 l-9 7 z" } fill=(INK) {}
            text x=(nx) y=(format!("{:.0}", ny + 42.0)) text-anchor="middle" font-family="sans-serif" font-size="14"
                font-weight="700" fill=(INK) { "N" }
        }
        g {
            path d={ "M" (bx) " " (by) "v-6h" (f1(bar)) "v6" } fill="none" stroke=(INK) stroke-width="2" {}
            text x=(f1(bx + bar + 8.0)) y=(f1(by)) font-family="sans-serif" font-size="13" fill=(INK) {
                (if km < 1.0 { num(km, 2) } else { num(km, 0) }) " km"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_leaves_out_stray_cells() {
        // 1,000 cells in columns 0..=99 and one stray at 5,000: the 0.5th and 99.5th
        // percentiles are columns 0 and 99; widened by 99 / 10 + 2 = 11 each side.
        let mut cols: Vec<i32> = (0..1000).map(|i| i % 100).collect();
        cols.push(5000);
        assert_eq!(frame(cols), (0, 110));
        // A few cells: nothing is left out, and the frame does not run past them.
        assert_eq!(frame(vec![3, 7, 5]), (3, 7));
    }

    #[test]
    fn scale_bars_are_round() {
        assert_eq!(scale_km(13.0), 10.0);
        assert_eq!(scale_km(4.9), 2.0);
        assert_eq!(scale_km(0.7), 0.5);
        assert_eq!(scale_km(0.05), 0.25);
    }

    #[test]
    fn lsoa_boundaries_are_drawn_in_cell_units_north_up() {
        let frame = Frame::around(vec![10, 11, 10, 11], vec![20, 20, 21, 21], 1);
        let square =
            |x0: f64, y0: f64| vec![(x0, y0), (x0 + 500.0, y0), (x0 + 500.0, y0 + 500.0), (x0, y0 + 500.0), (x0, y0)];
        let shapes = [
            Shape { code: "E01000001".into(), polygons: vec![vec![square(2_500.0, 5_000.0)]] },
            Shape { code: "far".into(), polygons: vec![vec![square(90_000.0, 5_000.0)]] },
        ];
        // Columns 10 to 11 and rows 20 to 21: easting 2,500 is x 0, northing 5,000 (the foot
        // of row 20) is y 2, the top of row 21 y 0; the far square is left out.
        assert_eq!(lsoa_path(&shapes, &frame, 250.0), "M0 2L2 2L2 0L0 0L0 2Z");
        let cells = [Drawn { col: 10, row: 20, class: Some(0) }];
        let classes = [Class { colour: "#7f0000", label: "hot".into() }];
        let svg = cell_map(&cells, (250.0, &shapes), &classes, "", "", "").0.into_string();
        assert!(svg.contains("class=\"lsoa\" d=\"M0 1L2 1L2 -1L0 -1L0 1Z\""), "{svg}");
        let bare = cell_map(&cells, (250.0, &[]), &classes, "", "", "").0.into_string();
        assert!(!bare.contains("lsoa"), "{bare}");
    }

    #[test]
    fn each_class_is_one_path_and_unclassed_cells_are_not_drawn() {
        let cells = [
            Drawn { col: 10, row: 20, class: Some(0) },
            Drawn { col: 11, row: 20, class: Some(1) },
            Drawn { col: 12, row: 21, class: Some(1) },
            Drawn { col: 13, row: 21, class: None },
        ];
        let classes =
            [Class { colour: "#7f0000", label: "hot".into() }, Class { colour: "#fdd9a8", label: "warm".into() }];
        let (svg, outside) = cell_map(&cells, (250.0, &[]), &classes, "Classes", "T", "D");
        let svg = svg.into_string();
        assert_eq!(outside, 0);
        // North up: row 21 is the top row (y 0), row 20 below it.
        assert!(svg.contains("<path fill=\"#7f0000\" d=\"M0 1h1v1h-1z\">"), "{svg}");
        assert!(svg.contains("<path fill=\"#fdd9a8\" d=\"M1 1h1v1h-1zM2 0h1v1h-1z\">"), "{svg}");
        assert!(!svg.contains("M3 0h1"), "the unclassed cell is drawn: {svg}");
        assert!(svg.contains(">hot</text>") && svg.contains(">warm</text>"));
        assert_eq!(cell_map(&cells[3..], (250.0, &[]), &classes, "", "", "").0.into_string(), "");
    }
}
