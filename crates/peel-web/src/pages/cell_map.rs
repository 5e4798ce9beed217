//! A map of grid cells in classes, drawn as SVG on the server: the density and Gi* maps
//! (issue 12). As the hotspot map (`analyst_map`), no basemap (no tiles are reachable from a
//! force network as Peel is deployed), north up, a scale bar and a legend; each class is one
//! path, and every class differs in lightness as well as hue so that the order reads in
//! greyscale. The map is framed on the bulk of the cells (`analyst_map::frame`).

use super::analyst_map::{frame, scale_km, INK, MARGIN, MAX_MAP_H, VIEW_W};
use maud::{html, Markup};
use peel_report::format::num;
use std::fmt::Write;

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
    cell_metres: f64,
    classes: &[Class],
    legend_title: &str,
    title: &str,
    desc: &str,
) -> (Markup, usize) {
    let drawn: Vec<&Drawn> = cells.iter().filter(|c| c.class.is_some()).collect();
    if drawn.is_empty() {
        return (html! {}, 0);
    }
    let (min_c, max_c) = frame(drawn.iter().map(|c| c.col as i32).collect());
    let (min_r, max_r) = frame(drawn.iter().map(|c| c.row as i32).collect());
    let (min_c, max_c, min_r, max_r) = (min_c as i64, max_c as i64, min_r as i64, max_r as i64);
    let inside: Vec<&&Drawn> =
        drawn.iter().filter(|c| (min_c..=max_c).contains(&c.col) && (min_r..=max_r).contains(&c.row)).collect();
    let outside = drawn.len() - inside.len();
    let (w, h) = ((max_c - min_c + 1) as f64, (max_r - min_r + 1) as f64);
    let s = ((VIEW_W - 2.0 * MARGIN) / w).min(MAX_MAP_H / h).min(24.0);
    let (map_w, map_h) = (w * s, h * s);
    let ox = MARGIN + (VIEW_W - 2.0 * MARGIN - map_w) / 2.0;
    let oy = MARGIN + 24.0;
    let legend_y = oy + map_h + 28.0;
    let view_h = legend_y + 30.0 + 26.0 * classes.len() as f64 + 10.0;
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
    let km_per_px = cell_metres / 1000.0 / s;
    let km = scale_km(map_w / 4.0 * km_per_px);
    let bar = km / km_per_px;
    let (bx, by) = (MARGIN, legend_y - 6.0);
    let svg = html! {
        svg class="map" viewBox={ "0 0 " (VIEW_W) " " (f0(view_h)) } width=(VIEW_W) height=(f0(view_h))
            style="max-width:100%;height:auto" xmlns="http://www.w3.org/2000/svg" role="img"
            aria-labelledby="map-title map-desc" {
            title id="map-title" { (title) }
            desc id="map-desc" { (desc) }
            rect x="0" y="0" width=(VIEW_W) height=(f0(view_h)) fill="#ffffff" {}
            g transform={ "translate(" (format!("{:.2} {:.2}", ox, oy)) ") scale(" (format!("{s:.4}")) ")" }
                shape-rendering="crispEdges" {
                @for (colour, d) in &paths {
                    path fill=(colour) d=(d) {}
                }
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
    fn each_class_is_one_path_and_unclassed_cells_are_not_drawn() {
        let cells = [
            Drawn { col: 10, row: 20, class: Some(0) },
            Drawn { col: 11, row: 20, class: Some(1) },
            Drawn { col: 12, row: 21, class: Some(1) },
            Drawn { col: 13, row: 21, class: None },
        ];
        let classes =
            [Class { colour: "#7f0000", label: "hot".into() }, Class { colour: "#fdd9a8", label: "warm".into() }];
        let (svg, outside) = cell_map(&cells, 250.0, &classes, "Classes", "T", "D");
        let svg = svg.into_string();
        assert_eq!(outside, 0);
        // North up: row 21 is the top row (y 0), row 20 below it.
        assert!(svg.contains("<path fill=\"#7f0000\" d=\"M0 1h1v1h-1z\">"), "{svg}");
        assert!(svg.contains("<path fill=\"#fdd9a8\" d=\"M1 1h1v1h-1zM2 0h1v1h-1z\">"), "{svg}");
        assert!(!svg.contains("M3 0h1"), "the unclassed cell is drawn: {svg}");
        assert!(svg.contains(">hot</text>") && svg.contains(">warm</text>"));
        assert_eq!(cell_map(&cells[3..], 250.0, &classes, "", "", "").0.into_string(), "");
    }
}
