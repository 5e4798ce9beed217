//! `peel patrols --force NAME [--month YYYY-MM] [--months 12] [--category NAME] [--harm]
//! [--cell METRES] [--cells N] [--windows N] [--json]`
//!
//! The patrol list of seed 004 §27 (peel-analytics `patrols`): in each neighbourhood policing
//! unit (each local authority where the store defines no NPUs), the cells holding most crime
//! (or harm) and, for each, the hours of the week — at most an hour
//! each — that hold most of it. From the force's own records, which have times; police.uk
//! data, which has months only, is refused with the reason.

use super::Refused;
use anyhow::{anyhow, Result};
use peel_analytics::patrols::{patrol_list, policing_area, PatrolQuery};
use peel_domain::bng::BritishNationalGrid;
use peel_store::CaseStore;
use serde_json::json;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    period: super::ForcePeriod,
    /// Rank cells and hours by Cambridge Crime Harm Index days instead of crimes.
    #[arg(long)]
    harm: bool,
    /// Cell size, metres.
    #[arg(long, default_value_t = 250.0)]
    cell: f64,
    /// Top cells in each NPU (or local authority).
    #[arg(long, default_value_t = 5)]
    cells: usize,
    /// Hours listed for each cell.
    #[arg(long, default_value_t = 3)]
    windows: usize,
    /// One JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(store: &dyn CaseStore, args: Args) -> Result<()> {
    if !(10.0..=10_000.0).contains(&args.cell) {
        return Err(anyhow!("--cell: {} m is not 10 to 10,000", args.cell));
    }
    if !(1..=100).contains(&args.cells) || !(1..=168).contains(&args.windows) {
        return Err(anyhow!("--cells is 1 to 100 and --windows 1 to 168"));
    }
    let period = args.period.resolve(store)?;
    let super::Period { force, from, to, category } = period;
    let facts = store.load_crime_facts(force.code, from, to)?;
    if facts.is_empty() {
        return Err(Refused(format!(
            "{} has only police.uk data from {from} to {to}: police.uk gives months, not times of day, so there \
             are no patrol hours to find — the patrol list runs on the force's own crimes",
            force.name
        ))
        .into());
    }
    let keep = |i: usize| category.is_none_or(|c| c.code() == facts.category[i]);
    let map = store.area_map()?;
    let la_names = store.local_authority_names()?.into_iter().collect();
    let area_of = policing_area(&facts, &map, &la_names);
    let list = patrol_list(
        &facts,
        &PatrolQuery {
            keep: &keep,
            harm: args.harm,
            cell: args.cell,
            cells_per_area: args.cells,
            windows: args.windows,
            area_of: &area_of,
        },
    );
    let bng = BritishNationalGrid::new();
    let mut out = crate::out::stdout();
    let what = if args.harm { "harm (CCHI days)" } else { "crimes" };
    if args.json {
        let cells: Vec<serde_json::Value> = list
            .iter()
            .map(|c| {
                let (lon, lat) = bng.unproject(c.easting, c.northing).unwrap_or((f64::NAN, f64::NAN));
                let mut v = serde_json::to_value(c).unwrap_or_default();
                v["longitude"] = json!((lon * 1e6).round() / 1e6);
                v["latitude"] = json!((lat * 1e6).round() / 1e6);
                v
            })
            .collect();
        return period.print_json(json!({
            "measure": what, "cell_metres": args.cell, "cells": cells,
        }));
    }
    writeln!(
        out,
        "Patrol list — {}, {from} to {to}{}: the top {} cells of {} m by {what} in each NPU (or local authority), and their \
         busiest hours",
        force.name,
        category.map(|c| format!(", {c}")).unwrap_or_default(),
        args.cells,
        args.cell
    )?;
    let mut area = "";
    for c in &list {
        if c.area != area {
            area = &c.area;
            writeln!(out, "\n{area}")?;
        }
        let (lon, lat) = bng.unproject(c.easting, c.northing).unwrap_or((f64::NAN, f64::NAN));
        let hours: Vec<String> = c.windows.iter().map(|w| format!("{} ({:.0}%)", w.label, w.share * 100.0)).collect();
        writeln!(
            out,
            "  {:>2}. {lat:.5}, {lon:.5}  {:>6} crimes{}  {}",
            c.rank,
            c.crimes,
            if args.harm { format!(", {:.0} days", c.value) } else { String::new() },
            hours.join("; ")
        )?;
    }
    Ok(())
}
