//! `peel concentration --force NAME [--month YYYY-MM] [--months N] [--category NAME] [--harm]
//! [--cell METRES] [--share PERCENT]... [--json]`
//!
//! How concentrated the force's crime (or harm) is on a grid of any cell size
//! (peel-analytics `concentration::cell_concentration`): the fewest cells holding each
//! `--share` (default 50%, and 25% and 80%) with their share of the area, the concentration
//! curve, and, month by month, how many of one month's top cells (its smallest set holding the
//! first share) are the next month's, and what share of the next month's crime they held.
//! The area is the study area of `peel hotspots`: the cells inside the force's LSOA
//! boundaries (else those of its postcodes) and those of its crimes.

use anyhow::{anyhow, Result};
use peel_analytics::concentration::{cell_concentration, Weighted};
use peel_store::Store;
use serde_json::json;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    period: super::ForcePeriod,
    /// Weigh each crime by its Cambridge Crime Harm Index days instead of counting it.
    #[arg(long)]
    harm: bool,
    /// Cell size, metres.
    #[arg(long, default_value_t = 250.0)]
    cell: f64,
    /// Share of crime (or harm) to find the fewest cells for, per cent; repeat for more.
    #[arg(long, value_name = "PERCENT", default_values_t = [50.0, 25.0, 80.0])]
    share: Vec<f64>,
    /// One JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(store: &dyn Store, args: Args) -> Result<()> {
    if let Some(s) = args.share.iter().find(|s| !(s.is_finite() && **s > 0.0 && **s <= 100.0)) {
        return Err(anyhow!("--share: {s} is not more than 0 and at most 100 per cent"));
    }
    let period = args.period.resolve(store)?;
    let super::Period { force, from, to, category } = period;
    let p = super::hotspots::placed(store, force, from, to, category, args.harm)?;
    let area = super::hotspots::study_area(store, force)?;
    let labels: Vec<String> =
        (from.index()..=to.index()).map(|m| peel_domain::YearMonth::from_index(m).to_string()).collect();
    let shares: Vec<f64> = args.share.iter().map(|s| s / 100.0).collect();
    let events = Weighted { x: &p.x, y: &p.y, weights: &p.w, month: &p.month };
    let c = cell_concentration(events, &labels, &area, args.cell, &shares)
        .map_err(|e| anyhow!("concentration of {} from {from} to {to}: {e}", force.name))?;
    let what = if args.harm { "harm" } else { "crimes" };
    let mut out = crate::out::stdout();
    if args.json {
        return period.print_json(json!({
            "measure": if args.harm { "harm (CCHI days)" } else { "crimes" },
            "without_place": p.unplaced,
            "area_from_postcodes": matches!(area, peel_analytics::boundary::StudyArea::Postcodes(_)),
            "study_area": area.source(),
            "concentration": c,
        }));
    }
    writeln!(
        out,
        "Concentration — {}, {from} to {to}{}: {} crimes placed{} ({} without a place), {} m cells, {} cells in \
         the area{}",
        force.name,
        category.map(|c| format!(", {c}")).unwrap_or_default(),
        c.events,
        if args.harm { format!(", {:.0} days of harm", c.total) } else { String::new() },
        p.unplaced,
        c.cell_metres,
        c.area_cells,
        super::hotspots::area_note(&area)
    )?;
    for s in &c.sets {
        writeln!(
            out,
            "  {:.1}% of the area ({} cell{}) holds {:.1}% of {what} (asked: {}%)",
            s.area_share * 100.0,
            s.cells,
            if s.cells == 1 { "" } else { "s" },
            s.value_share * 100.0,
            // Rounded, so that 29% does not print as 28.999999999999996%.
            (s.share * 100.0 * 1e4).round() / 1e4
        )?;
    }
    writeln!(
        out,
        "\nMonth to month: each month's top cells (the fewest holding {}% of its {what}) against the next month's",
        shares[0] * 100.0
    )?;
    writeln!(
        out,
        "{:<8} {:>7} {:>7} {:>6} {:>8} {:>22}",
        "month", "before", "after", "both", "Jaccard", "next month's in before"
    )?;
    let pc = |v: Option<f64>| v.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "no data".into());
    for s in &c.stability {
        writeln!(
            out,
            "{:<8} {:>7} {:>7} {:>6} {:>8} {:>22}",
            s.label,
            s.before,
            s.after,
            s.both,
            s.jaccard.map(|j| format!("{j:.2}")).unwrap_or_else(|| "no data".into()),
            pc(s.carried)
        )?;
    }
    Ok(())
}
