//! `peel near-repeat --force NAME [--month YYYY-MM] [--months N] [--category NAME] [--metres M]
//! [--distance-bands N] [--days D] [--day-bands N] [--permutations N] [--seed N] [--json]`
//!
//! The Knox test of the force's own crimes (peel-analytics `near_repeat`): does crime near a
//! crime follow it within days, more than the same places and days shuffled would give? The
//! table is Ratcliffe's Near Repeat Calculator's: distance bands down, time bands across, each
//! cell's observed ÷ expected ratio and p-value.
//!
//! Decisions: the crimes are the force's own (`crime_fact`), placed on the grid and dated by
//! the day they were recorded (the facts keep recording, not commission, times; a crime
//! recorded days after it happened moves by those days). police.uk data gives months and
//! snapped points only, so it is refused with the reason. Crimes without a place are left out
//! and counted in the answer.

use super::Refused;
use anyhow::{anyhow, Result};
use peel_analytics::near_repeat::{knox, Events, KnoxBands, KnoxTable};
use peel_domain::Category;
use peel_store::Store;
use serde::Serialize;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    period: super::ForcePeriod,
    /// Width of a distance band, metres.
    #[arg(long, default_value_t = 200.0)]
    metres: f64,
    /// Distance bands after "same location".
    #[arg(long, value_name = "N", default_value_t = 5)]
    distance_bands: usize,
    /// Width of a time band, days.
    #[arg(long, default_value_t = 7)]
    days: u32,
    /// Time bands before "more than".
    #[arg(long, value_name = "N", default_value_t = 4)]
    day_bands: usize,
    /// Shuffles of the days for the expected counts and p-values (the calculator's 999).
    #[arg(long, value_name = "N", default_value_t = 999)]
    permutations: usize,
    /// Seed of the shuffles: the same seed gives the same table.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also write the events tested to this CSV file (easting, northing, day as YYYY-MM-DD),
    /// for QGIS or another tool to check the table against.
    #[arg(long, value_name = "FILE")]
    events_csv: Option<std::path::PathBuf>,
    /// One JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Answer<'a> {
    force: &'a str,
    from: String,
    to: String,
    category: Option<&'a str>,
    /// Crimes of the period (and category) without a place: not in the test.
    without_place: usize,
    #[serde(flatten)]
    table: KnoxTable,
}

pub fn run(store: &dyn Store, args: Args) -> Result<()> {
    if !(0..=99_999).contains(&args.permutations) {
        return Err(anyhow!("--permutations: {} is more than 99,999", args.permutations));
    }
    let super::Period { force, from, to, category } = args.period.resolve(store)?;
    let facts = store.load_crime_facts(force.code, from, to)?;
    if facts.is_empty() {
        let (street, _) = store.load_street_between(force.code, from, to)?;
        return Err(Refused(if street.is_empty() {
            format!("{} has no crimes from {from} to {to} in this store: no data, so no test", force.name)
        } else {
            format!(
                "{} has only police.uk data from {from} to {to}: police.uk gives the month and a snapped point, and \
                 near repeats need the day and the place — the test runs on the force's own crimes (peel import \
                 crimes, or those recorded in Peel)",
                force.name
            )
        })
        .into());
    }
    let (mut x, mut y, mut day) = (vec![], vec![], vec![]);
    let mut without_place = 0;
    for k in 0..facts.len() {
        if category.is_some_and(|c| c.code() != facts.category[k]) {
            continue;
        }
        match (facts.easting[k], facts.northing[k]) {
            (Some(e), Some(n)) => {
                x.push(e as f64);
                y.push(n as f64);
                day.push(facts.recorded[k].div_euclid(24 * 60) as i32);
            }
            _ => without_place += 1,
        }
    }
    if let Some(path) = &args.events_csv {
        write_events(path, &x, &y, &day)?;
    }
    let bands = KnoxBands {
        metres: args.metres,
        distance_bands: args.distance_bands,
        days: args.days,
        day_bands: args.day_bands,
    };
    let table = knox(Events { x: &x, y: &y, day: &day }, bands, args.permutations, args.seed)
        .map_err(|e| anyhow!("near repeat of {} from {from} to {to}: {e}", force.name))?;
    let answer = Answer {
        force: force.name,
        from: from.to_string(),
        to: to.to_string(),
        category: category.map(Category::name),
        without_place,
        table,
    };
    let mut out = crate::out::stdout();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&answer)?)?;
        return Ok(());
    }
    print(&mut out, &answer)?;
    Ok(())
}

fn write_events(path: &std::path::Path, x: &[f64], y: &[f64], day: &[i32]) -> Result<()> {
    let mut w = csv::Writer::from_path(path).map_err(|e| anyhow!("--events-csv {}: {e}", path.display()))?;
    w.write_record(["easting", "northing", "day"])?;
    for k in 0..x.len() {
        let d = peel_domain::date::Date::from_days_since_epoch(day[k] as i64);
        w.write_record([format!("{}", x[k]), format!("{}", y[k]), d.to_string()])?;
    }
    w.flush().map_err(|e| anyhow!("--events-csv {}: {e}", path.display()))?;
    Ok(())
}

fn print(out: &mut impl Write, a: &Answer) -> Result<()> {
    let t = &a.table;
    writeln!(
        out,
        "Near repeat (Knox test) — {}, {} to {}{}",
        a.force,
        a.from,
        a.to,
        a.category.map(|c| format!(", {c}")).unwrap_or_default()
    )?;
    writeln!(
        out,
        "{} crimes placed ({} without a place left out), {} pairs, {} within {} m; {} permutations, seed {}",
        t.events,
        a.without_place,
        t.pairs,
        t.close_pairs,
        t.bands.metres * t.bands.distance_bands as f64,
        t.permutations,
        t.seed
    )?;
    writeln!(out, "Each cell: observed ÷ expected pairs, and the p-value; * where p ≤ 0.05 and more than expected.")?;
    let width = 20;
    write!(out, "{:<18}", "")?;
    for b in &t.day_bands {
        write!(out, "{:>width$}", b.label)?;
    }
    writeln!(out)?;
    for (band, row) in t.distance_bands.iter().zip(&t.cells) {
        write!(out, "{:<18}", band.label)?;
        for c in row {
            let ratio = c.ratio.map_or("—".to_string(), |r| format!("{r:.2}"));
            let star = if c.p_value <= 0.05 && c.ratio.is_some_and(|r| r > 1.0) { "*" } else { " " };
            write!(out, "{:>width$}", format!("{ratio} (p {:.3}){star}", c.p_value))?;
        }
        writeln!(out)?;
    }
    Ok(())
}
