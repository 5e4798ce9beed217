//! The hotspot map: 250 m British National Grid cells coloured by crime or harm over the 12
//! months to the month, drawn as SVG on the server.
//!
//! No map tiles are reachable from a force network as Peel is deployed, and none is
//! configured, so there is no basemap: the cells are drawn on white with the outline of each
//! local authority (the boundary of the cells assigned to it, `peel_analytics::hotspot`) and
//! the LSOA boundaries when they are imported, north up, with a scale bar and a legend. The ten cells with most of the measure are listed
//! in a table beside the map, which is what keyboard and screen-reader users read.

use super::analyst::{analysis_page_with, blocking, select, AnalystQuery, Body, Selection};
use super::analyst_patterns::outlines;
use super::cell_map::{lsoa_outline, lsoa_path, Frame, INK, MARGIN, VIEW_W};
use crate::auth::User;
use crate::html::Errors;
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use peel_analytics::boundary::Shape;
use peel_analytics::concentration::GRID_CELL_M;
use peel_analytics::hotspot::{boundary_rings, fill_gaps, hotspot_grid, os_grid_reference, Cell, HotspotGrid};
use peel_analytics::NONE;
use peel_report::format::{int, pct, period, whole};
use std::collections::BTreeMap;
use std::fmt::Write;

/// What the cells are coloured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Measure {
    Crime,
    Harm,
}

impl Measure {
    fn parse(s: Option<&str>) -> Result<Measure, WebError> {
        match s.map(str::trim) {
            None | Some("") | Some("crime") => Ok(Measure::Crime),
            Some("harm") => Ok(Measure::Harm),
            Some(other) => Err(WebError::BadRequest(format!("measure: '{other}' is not crime or harm"))),
        }
    }

    fn key(self) -> &'static str {
        match self {
            Measure::Crime => "crime",
            Measure::Harm => "harm",
        }
    }

    fn of(self, c: &Cell) -> f64 {
        match self {
            Measure::Crime => c.crimes as f64,
            Measure::Harm => c.harm,
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Measure::Crime => "crimes",
            Measure::Harm => "CCHI days of harm",
        }
    }

    fn show(self, v: f64) -> String {
        match self {
            Measure::Crime => int(v as u64),
            Measure::Harm => whole(v),
        }
    }
}

/// Classes by rank, densest first: the top 1%, 1-5%, 5-10%, 10-25% of the cells with crime,
/// then the rest. Ranks rather than equal value steps, because crime per cell is so skewed
/// that equal steps put almost every cell in the lowest class.
const CLASS_SHARES: [f64; 5] = [0.01, 0.05, 0.10, 0.25, 1.0];
const CLASS_NAMES: [&str; 5] = ["Top 1% of cells", "Next 4%", "Next 5%", "Next 15%", "Other cells with crime"];
/// ColorBrewer OrRd, darkest for the top class; every class also differs in lightness, so
/// the order reads in greyscale.
const CLASS_COLOURS: [&str; 5] = ["#7f0000", "#c0392b", "#e3643b", "#f59e62", "#fdd9a8"];

pub async fn hotspots(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<AnalystQuery>,
) -> Result<Response, WebError> {
    let measure = Measure::parse(q.measure.as_deref())?;
    let sel = select(&state, &q).await?;
    let area = super::analyst_patterns::study_area(&state, &sel).await?;
    let s = sel.clone();
    let body = blocking(move || Ok(map_body(&s, measure, outlines(&area)))).await?;
    let choices = [
        ("crime".to_string(), "Crimes".to_string(), "How many crimes were recorded in the cell".to_string()),
        (
            "harm".to_string(),
            "Crime harm".to_string(),
            "The crimes weighted by the Cambridge Crime Harm Index (CCHI days)".to_string(),
        ),
    ];
    let extra = Errors::default().choices("radio", "measure", "Colour cells by", &choices, &[measure.key()]);
    Ok(analysis_page_with(&user, &sel, "/analyst/hotspots", "Hotspot map", extra, body))
}

fn map_body(sel: &Selection, measure: Measure, lsoas: &[Shape]) -> (Body, Markup) {
    let from = sel.month.plus(-11);
    let grid = sel.streets.memo(&sel.key("grid"), || {
        hotspot_grid(
            &sel.data.cols,
            &sel.data.geo,
            from.index()..=sel.month.index(),
            &peel_domain::harm::category_weights(),
        )
    });
    let span = period(from, sel.month);
    let mut body = Body::default();
    let what = match measure {
        Measure::Crime => "Crimes",
        Measure::Harm => "Crime harm",
    };
    let heading = body.h2("map", format!("{what} per 250 m cell, {span}"));
    if grid.cells.is_empty() {
        let markup = html! {
            (heading)
            p { "No crime in " (sel.whose()) " from " (span) " has a location to map." }
        };
        return (body, markup);
    }
    let map =
        sel.streets.memo(&sel.key(&format!("map-{}", measure.key())), || map_svg(&grid, measure, sel, (&span, lsoas)));
    let (svg, outside) = (&map.0, map.1);
    let top = top_cells(&grid, measure, &mut body);
    let markup = html! {
        (heading)
        p {
            "Each square is a 250 m cell of the British National Grid holding at least one crime over the 12 months, \
             coloured by its rank. The thick lines outline the local authorities: each cell belongs to the \
             authority with most of its crimes, and cells without crime within 500 m of one are joined to the \
             nearest, so that an outline follows the built-up area rather than every single cell. The thin lines, \
             where the LSOA boundaries are imported, are the LSOAs (ONS's generalised boundaries). No basemap is \
             drawn (no map tiles are configured). The table after the map lists the ten cells with most " (measure.unit()) "."
        }
        figure class="map" {
            (svg)
            figcaption {
                (int(grid.cells.len() as u64)) " cells with crime"
                @if outside > 0 {
                    ", of which " (int(outside as u64)) " lie far outside the rest and are left off the map (they are \
                     in the table if they rank there)"
                }
                "; " (int(grid.unplaced)) " crimes with no location are not mapped."
            }
        }
        (top)
    };
    (body, markup)
}

/// The class of each cell (index into `CLASS_SHARES`), by rank of the measure, and each
/// class's range of values. Cells of equal value (as the legend shows it: whole days of harm)
/// share the class of the first of them, so that no value is in two classes and the legend's
/// bands never overlap ("1 to 3" above "1" would leave a reader unable to place a cell of 1);
/// a class may then hold more than its share of cells, or none.
fn classes(cells: &[Cell], measure: Measure) -> (Vec<usize>, Vec<Option<(f64, f64)>>) {
    let shown = |i: usize| match measure {
        Measure::Crime => measure.of(&cells[i]),
        Measure::Harm => measure.of(&cells[i]).round(),
    };
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by(|&a, &b| shown(b).total_cmp(&shown(a)).then(a.cmp(&b)));
    let n = cells.len();
    let bounds: Vec<usize> = CLASS_SHARES.iter().map(|s| (n as f64 * s - 1e-9).ceil() as usize).collect();
    let mut class = vec![0; n];
    let mut ranges: Vec<Option<(f64, f64)>> = vec![None; CLASS_SHARES.len()];
    let mut previous: Option<(f64, usize)> = None;
    for (rank, &i) in order.iter().enumerate() {
        let v = shown(i);
        let k = match previous {
            Some((p, k)) if p == v => k,
            _ => bounds.iter().position(|&b| rank < b).unwrap_or(CLASS_SHARES.len() - 1),
        };
        previous = Some((v, k));
        class[i] = k;
        ranges[k] = Some(ranges[k].map_or((v, v), |(lo, hi): (f64, f64)| (lo.min(v), hi.max(v))));
    }
    (class, ranges)
}

/// Cells with crime within 500 m of each other are joined when outlining an authority.
const OUTLINE_FILL_CELLS: u32 = 2;

fn map_svg(grid: &HotspotGrid, measure: Measure, sel: &Selection, (span, lsoas): (&str, &[Shape])) -> (Markup, usize) {
    let frame = Frame::around(
        grid.cells.iter().map(|c| c.col).collect(),
        grid.cells.iter().map(|c| c.row).collect(),
        CLASS_SHARES.len(),
    );
    let framed: Vec<Cell> = grid.cells.iter().filter(|c| frame.holds(c.col, c.row)).cloned().collect();
    let outside = grid.cells.len() - framed.len();
    let cells = &framed;
    let Frame { min_c, max_r, s, ox, oy, legend_y, view_h, .. } = frame;
    // Cell corner (col, row) → pixels, north up.
    let px = |c: i32| ox + (c - min_c) as f64 * s;
    let py = |r: i32| oy + (max_r + 1 - r) as f64 * s;
    // Numbers as the attributes take them.
    let f0 = |x: f64| format!("{x:.0}");
    let f1 = |x: f64| format!("{x:.1}");

    let (class, ranges) = classes(cells, measure);
    let title = format!(
        "Hotspot map: {} per 250 m cell, {}, {span}",
        match measure {
            Measure::Crime => "crimes",
            Measure::Harm => "crime harm",
        },
        sel.name()
    );
    let top = cells.iter().map(|c| measure.of(c)).fold(0.0, f64::max);
    let desc = format!(
        "{} cells with crime, coloured in five classes by rank of {}; the highest cell has {} {}. Local authority \
         outlines drawn from the cells{}. The ten highest cells are listed in the table after the map.",
        cells.len(),
        measure.unit(),
        measure.show(top),
        measure.unit(),
        if lsoas.is_empty() { "" } else { ", and the LSOA boundaries" }
    );
    // One path per class: a square per cell in cell units, scaled once. The path data is
    // numbers and letters, an attribute value like any other.
    let class_paths: Vec<(&str, String)> = CLASS_COLOURS
        .iter()
        .enumerate()
        .map(|(k, colour)| {
            let mut d = String::new();
            for (c, _) in cells.iter().zip(&class).filter(|(_, &k2)| k2 == k) {
                let _ = write!(d, "M{} {}h1v1h-1z", c.col - min_c, max_r - c.row);
            }
            (*colour, d)
        })
        .filter(|(_, d)| !d.is_empty())
        .collect();

    // Outlines: each local authority's cells, a white casing under a dark line so the line
    // shows on the darkest cells too.
    let mut by_area: BTreeMap<u32, Vec<(i32, i32)>> = BTreeMap::new();
    for c in cells.iter().filter(|c| c.area != NONE) {
        by_area.entry(c.area).or_default().push((c.col, c.row));
    }
    let labelled: Vec<((i32, i32), u32)> =
        cells.iter().filter(|c| c.area != NONE).map(|c| ((c.col, c.row), c.area)).collect();
    let mut outlined: BTreeMap<u32, Vec<(i32, i32)>> = BTreeMap::new();
    for (cell, area) in fill_gaps(&labelled, OUTLINE_FILL_CELLS) {
        outlined.entry(area).or_default().push(cell);
    }
    let mut outline = String::new();
    for area_cells in outlined.values() {
        for ring in boundary_rings(area_cells) {
            for (i, &(x, y)) in ring.iter().enumerate() {
                let _ = write!(outline, "{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, px(x), py(y));
            }
            outline.push('Z');
        }
    }
    // Authority names at the centre of their cells, if they hold a fair share of the map.
    let names: Vec<(f64, f64, &str)> = by_area
        .iter()
        .filter(|(_, area_cells)| area_cells.len() * 50 >= cells.len())
        .map(|(&area, area_cells)| {
            let n = area_cells.len() as f64;
            let cx = area_cells.iter().map(|c| c.0 as f64 + 0.5).sum::<f64>() / n;
            let cy = area_cells.iter().map(|c| c.1 as f64 + 0.5).sum::<f64>() / n;
            (ox + (cx - min_c as f64) * s, oy + (max_r as f64 + 1.0 - cy) * s, grid.areas[area as usize].as_str())
        })
        .collect();
    // North arrow, top right.
    let (nx, ny) = (VIEW_W - MARGIN - 14.0, MARGIN + 4.0);
    let (bar, km) = frame.scale_bar(GRID_CELL_M);
    let (bx, by) = (MARGIN, legend_y - 6.0);
    // Legend: the classes that have cells, with their range of values.
    let legend: Vec<(usize, String)> = ranges
        .iter()
        .enumerate()
        .filter_map(|(k, range)| {
            let (lo, hi) = (*range)?;
            let values = if measure.show(lo) == measure.show(hi) {
                measure.show(lo)
            } else {
                format!("{} to {}", measure.show(lo), measure.show(hi))
            };
            Some((k, values))
        })
        .collect();
    // SVG elements are closed explicitly (`<path></path>`): in HTML, a start tag inside
    // `<svg>` is not void.
    let svg = html! {
        svg class="map" viewBox={ "0 0 " (VIEW_W) " " (f0(view_h)) } width=(VIEW_W) height=(f0(view_h))
            style="max-width:100%;height:auto" xmlns="http://www.w3.org/2000/svg" role="img"
            aria-labelledby="map-title map-desc" {
            title id="map-title" { (title) }
            desc id="map-desc" { (desc) }
            rect x="0" y="0" width=(VIEW_W) height=(f0(view_h)) fill="#ffffff" {}
            g transform={ "translate(" (format!("{:.2} {:.2}", px(min_c), py(max_r + 1))) ") scale(" (format!("{s:.4}")) ")" }
                shape-rendering="crispEdges" {
                @for (colour, d) in &class_paths {
                    path fill=(colour) d=(d) {}
                }
                (lsoa_outline(&lsoa_path(lsoas, &frame, GRID_CELL_M), &frame))
            }
            @if !outline.is_empty() {
                path d=(outline) fill="none" stroke="#ffffff" stroke-width="3.5" stroke-linejoin="round" {}
                path d=(outline) fill="none" stroke=(INK) stroke-width="1.5" stroke-linejoin="round" {}
            }
            @for (x, y, name) in &names {
                text x=(f1(*x)) y=(f1(*y)) text-anchor="middle" font-family="sans-serif" font-size="14"
                    font-weight="700" fill=(INK) stroke="#ffffff" stroke-width="3" paint-order="stroke" { (name) }
            }
            (super::cell_map::north_and_scale((nx, ny), (bx, by), bar, km))
            text x=(MARGIN) y=(f1(legend_y + 22.0)) font-family="sans-serif" font-size="14" font-weight="700"
                fill=(INK) {
                (match measure {
                    Measure::Crime => "Crimes",
                    Measure::Harm => "Crime harm (CCHI days)",
                })
                " per cell, " (span)
            }
            @for (row, (k, values)) in legend.iter().enumerate() {
                @let y = legend_y + 34.0 + 26.0 * row as f64;
                rect x=(MARGIN) y=(f1(y)) width="28" height="18" fill=(CLASS_COLOURS[*k]) stroke=(INK)
                    stroke-width="1" {}
                text x=(f1(MARGIN + 38.0)) y=(f1(y + 14.0)) font-family="sans-serif" font-size="13" fill=(INK) {
                    (CLASS_NAMES[*k]) ": " (values)
                }
            }
        }
    };
    (svg, outside)
}

/// The ten cells with most of the measure, as a table: what the map shows, for readers who
/// cannot see it.
fn top_cells(grid: &HotspotGrid, measure: Measure, body: &mut Body) -> Markup {
    let mut order: Vec<&Cell> = grid.cells.iter().collect();
    order.sort_by(|a, b| measure.of(b).total_cmp(&measure.of(a)).then((a.col, a.row).cmp(&(b.col, b.row))));
    let total = match measure {
        Measure::Crime => grid.crimes as f64,
        Measure::Harm => grid.harm,
    };
    let unit = measure.unit();
    html! {
        (body.h2("top-cells", format!("The ten cells with most {unit}")))
        div class="table-wrap" {
            table {
                caption {
                    "The 250 m cells with most " (unit) ": grid reference of the cell's south-west corner, local \
                     authority, crimes, harm and share of the area's " (unit)
                }
                thead {
                    tr {
                        th scope="col" class="num" { "Rank" }
                        th scope="col" { "Cell (OS grid reference)" }
                        th scope="col" { "Easting, northing" }
                        th scope="col" { "Local authority" }
                        th scope="col" class="num" { "Crimes" }
                        th scope="col" class="num" { "Harm (CCHI days)" }
                        th scope="col" class="num" {
                            "Share of "
                            (match measure {
                                Measure::Crime => "crimes",
                                Measure::Harm => "harm",
                            })
                        }
                    }
                }
                tbody {
                    @for (rank, c) in order.iter().take(10).enumerate() {
                        @let (e, n) = (c.col as f64 * GRID_CELL_M, c.row as f64 * GRID_CELL_M);
                        tr {
                            td class="num" { (rank + 1) }
                            th scope="row" { (os_grid_reference(e, n).unwrap_or_else(|| "n/a".into())) }
                            td { (int(e as u64)) ", " (int(n as u64)) }
                            td { (if c.area == NONE { "n/a" } else { grid.areas[c.area as usize].as_str() }) }
                            td class="num" { (int(c.crimes)) }
                            td class="num" { (whole(c.harm)) }
                            td class="num" { (if total > 0.0 { pct(measure.of(c) / total) } else { "n/a".into() }) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(crimes: u64) -> Cell {
        Cell { col: 0, row: 0, crimes, harm: crimes as f64 * 2.0, area: 0 }
    }

    #[test]
    fn classes_by_rank() {
        // 200 cells with 1..=200 crimes: top 1% = 2 cells, next 4% = 8, next 5% = 10,
        // next 15% = 30, the other 150.
        let cells: Vec<Cell> = (1..=200).map(cell).collect();
        let (class, ranges) = classes(&cells, Measure::Crime);
        let count = |k| class.iter().filter(|&&c| c == k).count();
        assert_eq!((count(0), count(1), count(2), count(3), count(4)), (2, 8, 10, 30, 150));
        assert_eq!(ranges[0], Some((199.0, 200.0)));
        assert_eq!(ranges[4], Some((1.0, 150.0)));
        assert_eq!(class[199], 0);
        // Three cells: the top 1% rounds up to one cell, and the 5%, 10% and 25% marks fall
        // at that same cell, so the other two are in the last class.
        let (class, ranges) = classes(&[cell(5), cell(9), cell(1)], Measure::Harm);
        assert_eq!(class, vec![4, 0, 4]);
        assert_eq!((ranges[0], ranges[3], ranges[4]), (Some((18.0, 18.0)), None, Some((2.0, 10.0))));
    }

    #[test]
    fn legend_bands_never_overlap() {
        // Crime per cell as it is: most cells hold one crime, so the 25% mark falls among
        // the ones. The ones all go to one class, and no value is in two classes' ranges.
        let counts: Vec<u64> = (0..1000)
            .map(|i| {
                if i < 700 {
                    1
                } else if i < 900 {
                    2
                } else {
                    3 + i % 40
                }
            })
            .collect();
        let cells: Vec<Cell> = counts.iter().map(|&c| cell(c)).collect();
        for measure in [Measure::Crime, Measure::Harm] {
            let (class, ranges) = classes(&cells, measure);
            let bands: Vec<(f64, f64)> = ranges.iter().flatten().copied().collect();
            for w in bands.windows(2) {
                assert!(w[0].0 > w[1].1, "{measure:?}: band {:?} overlaps {:?}", w[0], w[1]);
            }
            // Equal cells are in one class.
            let ones: std::collections::BTreeSet<usize> =
                cells.iter().zip(&class).filter(|(c, _)| c.crimes == 1).map(|(_, k)| *k).collect();
            assert_eq!(ones.len(), 1, "{measure:?}");
        }
        // Harm shown in whole days: 10.2 and 10.4 are both "10", so they share a class.
        let mut a = cell(1);
        a.harm = 10.2;
        let mut b = cell(1);
        b.harm = 10.4;
        let (class, _) = classes(&[a, b, cell(0), cell(0), cell(0)], Measure::Harm);
        assert_eq!(class[0], class[1]);
    }

    #[test]
    fn measures_parse() {
        assert_eq!(Measure::parse(None).unwrap(), Measure::Crime);
        assert_eq!(Measure::parse(Some("harm")).unwrap(), Measure::Harm);
        assert!(Measure::parse(Some("colour")).is_err());
    }
}
