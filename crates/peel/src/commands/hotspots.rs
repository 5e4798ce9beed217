//! `peel hotspots --force NAME [--month YYYY-MM] [--months N] [--cell METRES]
//! [--method count|kde|gistar] [--harm] [--category NAME] [--limit N] [--geojson FILE] [--json]`
//!
//! Where crime (or harm) concentrates, cell by cell over the force's area
//! (peel-analytics `surface`): counts, kernel density or Getis-Ord Gi*, the cells ranked,
//! each with its centre as longitude and latitude, its value and its share of the whole. Over
//! the force's own crimes when the store holds them, else its police.uk records (as every
//! analysis; `Store::load_street_between`). The study area is the cells inside the force's
//! LSOA boundaries (`peel import data`; else the cells of its postcodes) and those of its
//! crimes ([`study_area`]).
//!
//! `--geojson FILE` writes every cell of the surface as a polygon in longitude/latitude
//! (RFC 7946; QGIS and ArcGIS read it) with its values.

use anyhow::{anyhow, Result};
use peel_analytics::boundary::StudyArea;
use peel_analytics::kde::Kernel;
use peel_analytics::surface::{surface, Method, Placed, Surface};
use peel_domain::bng::BritishNationalGrid;
use peel_domain::Category;
use peel_store::Store;
use serde::Serialize;
use serde_json::json;
use std::io::Write;

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum MethodArg {
    /// Crimes (or harm) in each cell.
    Count,
    /// Kernel density at each cell's centre, per km².
    Kde,
    /// Getis-Ord Gi* z-score of each cell and its neighbours.
    Gistar,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum KernelArg {
    /// The quartic (biweight) kernel: nothing beyond the bandwidth.
    Quartic,
    /// The Gaussian kernel (evaluated to 6.5 bandwidths).
    Gaussian,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    period: super::ForcePeriod,
    /// Cell size, metres (default 250 for counts and Gi*, 100 for density).
    #[arg(long)]
    cell: Option<f64>,
    /// How cells are valued and ranked.
    #[arg(long, value_enum, default_value = "count")]
    method: MethodArg,
    /// Weigh each crime by its Cambridge Crime Harm Index days instead of counting it.
    #[arg(long)]
    harm: bool,
    /// Density: the kernel.
    #[arg(long, value_enum, default_value = "quartic")]
    kernel: KernelArg,
    /// Density: the bandwidth, metres (default: the normal reference rule).
    #[arg(long)]
    bandwidth: Option<f64>,
    /// Gi*: neighbours within this many cells, centre to centre (1.5: the eight around).
    #[arg(long, default_value_t = 1.5)]
    band: f64,
    /// Gi*: draws for permutation p-values (0: the normal approximation only).
    #[arg(long, value_name = "N", default_value_t = 0)]
    permutations: usize,
    /// Gi*: seed of the permutation draws (the same seed, the same p-values).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Gi*: adjust p-values for the false discovery rate (Benjamini–Hochberg).
    #[arg(long)]
    fdr: bool,
    /// Gi*: class each cell over periods of --period-months as R's sfhotspot does
    /// (persistent, emerging, former or intermittent hot or cold spot, or no pattern).
    #[arg(long)]
    classify: bool,
    /// The length of a period for --classify, months.
    #[arg(long, value_name = "N", default_value_t = 1)]
    period_months: i32,
    /// Cells listed (the GeoJSON file holds them all).
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Write every cell as GeoJSON polygons to this file.
    #[arg(long, value_name = "FILE")]
    geojson: Option<std::path::PathBuf>,
    /// Also write the crimes placed (easting, northing, weight) to this CSV file, for another
    /// tool to check the surface against.
    #[arg(long, value_name = "FILE")]
    points_csv: Option<std::path::PathBuf>,
    /// One JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Listed {
    rank: usize,
    longitude: f64,
    latitude: f64,
    easting: f64,
    northing: f64,
    count: f64,
    value: f64,
    share: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p_sim: Option<f64>,
}

/// The force's crimes (its own, else police.uk's; `Store::load_street_between`) of `from` to
/// `to` in `category` with a place (peel-analytics `surface::placed`).
pub(super) fn placed(
    store: &dyn Store,
    force: &peel_domain::Force,
    from: peel_domain::YearMonth,
    to: peel_domain::YearMonth,
    category: Option<Category>,
    harm: bool,
) -> Result<Placed> {
    let (cols, geo) = store.load_street_between(force.code, from, to)?;
    let months = (to.index() - from.index() + 1).max(0) as usize;
    Ok(peel_analytics::surface::placed(&cols, &geo, (from.index(), months), category.map(Category::code), harm))
}

/// The study area of every grid analysis (`peel_analytics::boundary`): the force's LSOA
/// boundaries if the store holds them, else its postcodes' grid points (the gazetteer), else
/// none (the crimes' own cells).
pub(super) fn study_area(store: &dyn Store, force: &peel_domain::Force) -> Result<StudyArea> {
    let boundaries = store.lsoa_boundaries(force.code)?;
    if !boundaries.is_empty() {
        let bng = BritishNationalGrid::new();
        return Ok(StudyArea::of_boundaries(boundaries.iter().map(|b| b.shape(&bng)).collect()));
    }
    let points: Vec<(f64, f64)> = store
        .gazetteer()?
        .into_iter()
        .filter(|p| p.force == Some(force.code))
        .map(|p| (p.easting as f64, p.northing as f64))
        .collect();
    Ok(StudyArea::of_postcodes(points))
}

/// The note after "N cells in the area": where the area came from.
pub(super) fn area_note(area: &StudyArea) -> &'static str {
    match area {
        StudyArea::Crimes => " (no boundaries or gazetteer: the crimes' cells and their neighbours)",
        StudyArea::Postcodes(_) => " (the force's postcodes; no LSOA boundaries imported)",
        StudyArea::Boundaries(_) => " (inside the force's LSOA boundaries)",
    }
}

pub fn run(store: &dyn Store, args: Args) -> Result<()> {
    if args.permutations > peel_analytics::gi_star::MAX_PERMUTATIONS {
        return Err(anyhow!(
            "--permutations: {} is more than {}",
            args.permutations,
            peel_analytics::gi_star::MAX_PERMUTATIONS
        ));
    }
    let asked = args.period.resolve(store)?;
    let super::Period { force, from, to, category } = asked;
    let Placed { x, y, w, month, unplaced, held } = placed(store, force, from, to, category, args.harm)?;
    // Periods are made of the months held, in order: a month without records is left out
    // rather than counted as a month without hotspots.
    let rank: Vec<usize> = held
        .iter()
        .scan(0, |n, h| {
            *n += usize::from(*h);
            Some(n.saturating_sub(1))
        })
        .collect();
    let period: Vec<usize> = month.iter().map(|m| rank[*m] / args.period_months.max(1) as usize).collect();
    let months_held = held.iter().filter(|h| **h).count();
    if let Some(path) = &args.points_csv {
        let mut out = csv::Writer::from_path(path).map_err(|e| anyhow!("--points-csv {}: {e}", path.display()))?;
        out.write_record(["easting", "northing", "weight"])?;
        for k in 0..x.len() {
            out.write_record([x[k].to_string(), y[k].to_string(), w[k].to_string()])?;
        }
        out.flush().map_err(|e| anyhow!("--points-csv {}: {e}", path.display()))?;
    }
    let area = study_area(store, force)?;
    if args.classify {
        if !(1..=args.period.months).contains(&args.period_months) {
            return Err(anyhow!(
                "--period-months: {} is not 1 to --months ({})",
                args.period_months,
                args.period.months
            ));
        }
        let periods = months_held.div_ceil(args.period_months as usize);
        let cell = args.cell.unwrap_or(250.0);
        let classed = peel_analytics::surface::classify_cells(&x, &y, &period, periods, &area, cell, args.band)
            .map_err(|e| anyhow!("hotspot classes of {} from {from} to {to}: {e}", force.name))?;
        return print_classes(&classed, (force.name, from, to, periods, cell), &args);
    }
    let method = match args.method {
        MethodArg::Count => Method::Count,
        MethodArg::Kde => Method::Kde {
            kernel: match args.kernel {
                KernelArg::Quartic => Kernel::Quartic,
                KernelArg::Gaussian => Kernel::Gaussian,
            },
            bandwidth: args.bandwidth,
        },
        MethodArg::Gistar => {
            Method::GiStar { band: args.band, permutations: args.permutations, seed: args.seed, fdr: args.fdr }
        }
    };
    let cell = args.cell.unwrap_or(if args.method == MethodArg::Kde { 100.0 } else { 250.0 });
    let s = surface(&x, &y, &w, &area, cell, method)
        .map_err(|e| anyhow!("hotspots of {} from {from} to {to}: {e}", force.name))?;
    let bng = BritishNationalGrid::new();
    if let Some(path) = &args.geojson {
        write_geojson(path, &s, &bng)?;
    }
    let listed: Vec<Listed> = s
        .cells
        .iter()
        .take(args.limit)
        .enumerate()
        .map(|(k, c)| {
            let (longitude, latitude) = bng.unproject(c.easting, c.northing).unwrap_or((f64::NAN, f64::NAN));
            Listed {
                rank: k + 1,
                longitude: round(longitude, 6),
                latitude: round(latitude, 6),
                easting: c.easting,
                northing: c.northing,
                count: c.count,
                value: c.value,
                share: c.share,
                p: c.p,
                p_sim: c.p_sim,
            }
        })
        .collect();
    let mut out = crate::out::stdout();
    let what = if args.harm { "harm (CCHI days)" } else { "crimes" };
    if args.json {
        return asked.print_json(json!({
            "measure": what,
            "method": s.method,
            "cell_metres": s.cell_metres,
            "bandwidth_metres": s.bandwidth,
            "events": s.events,
            "without_place": unplaced,
            "total": s.total,
            "area_cells": s.area_cells,
            "area_from_postcodes": matches!(area, StudyArea::Postcodes(_)),
            "study_area": area.source(),
            "cells": listed,
        }));
    }
    writeln!(
        out,
        "Hotspots — {}, {from} to {to}{}: {} by {} in {} m cells",
        force.name,
        category.map(|c| format!(", {c}")).unwrap_or_default(),
        what,
        match args.method {
            MethodArg::Count => "count",
            MethodArg::Kde => "kernel density",
            MethodArg::Gistar => "Getis-Ord Gi*",
        },
        s.cell_metres
    )?;
    writeln!(
        out,
        "{} crimes placed ({unplaced} without a place), {} cells in the area{}{}",
        s.events,
        s.area_cells,
        area_note(&area),
        s.bandwidth.map(|h| format!("; bandwidth {h:.0} m")).unwrap_or_default()
    )?;
    let value_head = match args.method {
        MethodArg::Count => "value",
        MethodArg::Kde => "per km²",
        MethodArg::Gistar => "z",
    };
    writeln!(
        out,
        "{:>4}  {:>10} {:>10}  {:>10} {:>12} {:>8}  p",
        "rank", "longitude", "latitude", "count", value_head, "share"
    )?;
    for c in &listed {
        writeln!(
            out,
            "{:>4}  {:>10.5} {:>10.5}  {:>10.1} {:>12.3} {:>7.2}%  {}",
            c.rank,
            c.longitude,
            c.latitude,
            c.count,
            c.value,
            c.share * 100.0,
            c.p.map(|p| format!("{p:.2e}")).unwrap_or_default()
        )?;
    }
    Ok(())
}

/// The classes: how many cells of each, then the cells with a pattern (persistent hotspots
/// first), each at its centre's longitude and latitude.
fn print_classes(
    cells: &[peel_analytics::surface::ClassifiedCell],
    (force, from, to, periods, cell): (&str, peel_domain::YearMonth, peel_domain::YearMonth, usize, f64),
    args: &Args,
) -> Result<()> {
    use peel_analytics::gi_star::SpotClass;
    let bng = BritishNationalGrid::new();
    let mut counts: Vec<(SpotClass, usize)> = Vec::new();
    for c in cells {
        match counts.iter_mut().find(|(k, _)| *k == c.class) {
            Some((_, n)) => *n += 1,
            None => counts.push((c.class, 1)),
        }
    }
    let listed: Vec<serde_json::Value> = cells
        .iter()
        .filter(|c| c.class != SpotClass::NoPattern)
        .take(args.limit)
        .map(|c| {
            let (lon, lat) = bng.unproject(c.easting, c.northing).unwrap_or((f64::NAN, f64::NAN));
            json!({
                "class": c.class.label(), "longitude": round(lon, 6), "latitude": round(lat, 6),
                "easting": c.easting, "northing": c.northing, "count": c.count,
            })
        })
        .collect();
    let mut out = crate::out::stdout();
    if args.json {
        let classes: serde_json::Map<String, serde_json::Value> =
            counts.iter().map(|(k, n)| (k.label().to_string(), json!(n))).collect();
        let v = json!({
            "force": force, "from": from.to_string(), "to": to.to_string(), "periods": periods,
            "period_months": args.period_months, "cell_metres": cell, "area_cells": cells.len(),
            "classes": classes, "cells": listed,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "Hotspot classes — {force}, {from} to {to}: Gi* in {periods} periods of {} month(s), {cell} m cells",
        args.period_months
    )?;
    for (k, n) in &counts {
        writeln!(out, "  {:<24} {n:>8} cells", k.label())?;
    }
    for c in &listed {
        writeln!(
            out,
            "  {:<24} {:>10.5} {:>10.5} {:>8} crimes",
            c["class"].as_str().unwrap_or(""),
            c["latitude"].as_f64().unwrap_or(f64::NAN),
            c["longitude"].as_f64().unwrap_or(f64::NAN),
            c["count"]
        )?;
    }
    Ok(())
}

fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

/// Every cell as a GeoJSON polygon (longitude, latitude; corners projected from the grid),
/// written a feature at a time: a force's 100 m surface is tens of thousands of cells.
fn write_geojson(path: &std::path::Path, s: &Surface, bng: &BritishNationalGrid) -> Result<()> {
    let failed = |e: &dyn std::fmt::Display| anyhow!("--geojson {}: {e}", path.display());
    let file = std::fs::File::create(path).map_err(|e| failed(&e))?;
    let mut out = std::io::BufWriter::new(file);
    let half = s.cell_metres / 2.0;
    let corner = |e: f64, n: f64| {
        let (lon, lat) = bng.unproject(e, n).unwrap_or((f64::NAN, f64::NAN));
        [round(lon, 7), round(lat, 7)]
    };
    out.write_all(br#"{"type":"FeatureCollection","features":["#).map_err(|e| failed(&e))?;
    for (k, c) in s.cells.iter().enumerate() {
        if k > 0 {
            out.write_all(b",").map_err(|e| failed(&e))?;
        }
        let (w, e, so, no) = (c.easting - half, c.easting + half, c.northing - half, c.northing + half);
        let feature = json!({
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[corner(w, so), corner(e, so), corner(e, no), corner(w, no), corner(w, so)]],
            },
            "properties": {
                "rank": k + 1,
                "easting": c.easting,
                "northing": c.northing,
                "count": c.count,
                "value": c.value,
                "share": c.share,
                "p": c.p,
                "p_sim": c.p_sim,
            },
        });
        serde_json::to_writer(&mut out, &feature).map_err(|e| failed(&e))?;
    }
    out.write_all(b"]}").map_err(|e| failed(&e))?;
    out.flush().map_err(|e| failed(&e))?;
    Ok(())
}
