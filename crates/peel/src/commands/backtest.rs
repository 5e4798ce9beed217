//! `peel backtest --force NAME [--month YYYY-MM] [--months N] [--category NAME] [--cell METRES]
//! [--history-months N] [--promap-metres M] [--promap-weeks N] [--bandwidth M] [--json]`
//!
//! How well would each model have told the force where next month's crime would be? A
//! rolling backtest (peel-analytics `predict`): for each of the `--months` months ending at
//! `--month`, the naive count, retrospective kernel density and prospective ProMap each score
//! every cell from what happened before that month, and the table gives each model's hit
//! rate and predictive accuracy index with 1%, 5% and 10% of the area flagged.
//!
//! Over the force's own crimes when the store holds them (dated by the day recorded), else
//! its police.uk records (dated the 15th of their month, which the answer says: ProMap's
//! weeks are then coarse). The history read before the first month predicted is loaded too;
//! a month predicted without crimes is "no data".

use anyhow::{anyhow, Result};
use peel_analytics::kde::Kernel;
use peel_analytics::predict::{
    backtest, month_periods, month_start, Gathered, Model, Plan, DEFAULT_SHARES, MAX_PROMAP_METRES, MAX_PROMAP_WEEKS,
    PROMAP_METRES, PROMAP_WEEKS,
};
use peel_analytics::surface::placed;
use peel_store::Store;
use serde_json::json;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    period: super::ForcePeriod,
    /// Cell size, metres.
    #[arg(long, default_value_t = 250.0)]
    cell: f64,
    /// Months before each month predicted that count and kde score from.
    #[arg(long, value_name = "N", default_value_t = 12)]
    history_months: i32,
    /// ProMap: how far a crime raises the risk around it, metres.
    #[arg(long, value_name = "M", default_value_t = PROMAP_METRES)]
    promap_metres: f64,
    /// ProMap: how many weeks a crime raises the risk.
    #[arg(long, value_name = "N", default_value_t = PROMAP_WEEKS)]
    promap_weeks: u32,
    /// Kde: the quartic kernel's bandwidth, metres (default: the normal reference rule).
    #[arg(long, value_name = "M")]
    bandwidth: Option<f64>,
    /// One JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(store: &dyn Store, args: Args) -> Result<()> {
    if !(1..=60).contains(&args.history_months) {
        return Err(anyhow!("--history-months: {} is not 1 to 60", args.history_months));
    }
    if !(1.0..=MAX_PROMAP_METRES).contains(&args.promap_metres) {
        return Err(anyhow!("--promap-metres: {} is not 1 to {MAX_PROMAP_METRES}", args.promap_metres));
    }
    if !(1..=MAX_PROMAP_WEEKS).contains(&args.promap_weeks) {
        return Err(anyhow!("--promap-weeks: {} is not 1 to {MAX_PROMAP_WEEKS}", args.promap_weeks));
    }
    let period = args.period.resolve(store)?;
    let super::Period { force, from, to, category } = period;
    // Enough history for the longer of the two memories, and a month over: the history is
    // counted in days (months of 30.4375 days), which may reach into the month before.
    let promap_months = (args.promap_weeks * 7).div_ceil(28) as i32;
    let load_from = from.plus(-(args.history_months.max(promap_months) + 1));
    let facts = store.load_crime_facts(force.code, load_from, to)?;
    let gathered = if facts.is_empty() {
        let (cols, geo) = store.load_street_between(force.code, load_from, to)?;
        let span = (load_from.index(), (to.index() - load_from.index() + 1) as usize);
        Gathered::from_placed(placed(&cols, &geo, span, category.map(|c| c.code()), false), span.0)
    } else {
        Gathered::from_facts(&facts, |i| category.is_none_or(|c| c.code() == facts.category[i]))
    };
    if gathered.x.is_empty() {
        return Err(super::Refused(format!(
            "{} has no placed crimes from {load_from} to {to} in this store: no data, so no backtest",
            force.name
        ))
        .into());
    }
    let area = super::hotspots::study_area(store, force)?;
    let periods = month_periods(from.index(), to.index());
    let models = [
        Model::Count,
        Model::Kde { kernel: Kernel::Quartic, bandwidth: args.bandwidth },
        Model::ProMap { metres: args.promap_metres, weeks: args.promap_weeks },
    ];
    let history_days = (args.history_months as f64 * 30.4375).round() as i32;
    // The first month the store holds the force's data from (its own crimes when it holds any,
    // as the analysis reads them): a month predicted from before it has a short history.
    let h = store.holdings()?;
    let held = if facts.is_empty() { &h.street } else { &h.crime_facts };
    let first_held = held.iter().find(|x| x.force == force.code).map_or(load_from, |x| x.first_month);
    let plan = Plan {
        cell: args.cell,
        periods: &periods,
        models: &models,
        history_days,
        shares: &DEFAULT_SHARES,
        held_from: month_start(first_held.index()),
    };
    let t = backtest(gathered.events(), &area, &plan)
        .map_err(|e| anyhow!("backtest of {} from {from} to {to}: {e}", force.name))?;
    let mut out = crate::out::stdout();
    if args.json {
        return period.print_json(json!({
            "dated_by": if gathered.months_only { "police.uk month (the 15th)" } else { "day recorded" },
            "without_place": gathered.without_place,
            "area_from_postcodes": matches!(area, peel_analytics::boundary::StudyArea::Postcodes(_)),
            "study_area": area.source(),
            "backtest": t,
        }));
    }
    writeln!(
        out,
        "Backtest — {}, {from} to {to}{}: each month predicted from the crimes before it, {} m cells, {} cells in \
         the area{}",
        force.name,
        category.map(|c| format!(", {c}")).unwrap_or_default(),
        t.cell_metres,
        t.area_cells,
        super::hotspots::area_note(&area)
    )?;
    writeln!(
        out,
        "Crimes dated by {}; {} without a place left out. count and kde read the {} months before; promap {} m and \
         {} weeks.",
        if gathered.months_only { "police.uk month (the 15th)" } else { "the day recorded" },
        gathered.without_place,
        args.history_months,
        args.promap_metres,
        args.promap_weeks
    )?;
    writeln!(
        out,
        "\nMean over the months predicted with their whole history (hit rate = share of the month's crimes in the \
         cells flagged):"
    )?;
    writeln!(
        out,
        "{:<8} {:>12} {:>8} {:>12} {:>8} {:>12} {:>8}",
        "model", "hits at 1%", "PAI", "hits at 5%", "PAI", "hits at 10%", "PAI"
    )?;
    for m in &t.models {
        write!(out, "{:<8}", m.model.name())?;
        for s in &m.mean {
            write!(out, " {:>12} {:>8}", percent(s.hit_rate), ratio(s.pai))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "\nMonth by month, hit rate at 1% / 5% / 10% of area:")?;
    write!(out, "{:<8} {:>7}", "month", "crimes")?;
    for m in &t.models {
        write!(out, " {:>22}", m.model.name())?;
    }
    writeln!(out)?;
    for (k, p) in periods.iter().enumerate() {
        let events = t.models[0].periods[k].events;
        write!(out, "{:<8} {:>7}", p.label, if events == 0 { "no data".to_string() } else { events.to_string() })?;
        for m in &t.models {
            let s: Vec<String> = m.periods[k].scores.iter().map(|s| percent(s.hit_rate)).collect();
            // A month without crime: one "no data", not one per share.
            let short = if m.periods[k].full_history { "" } else { " †" };
            write!(out, " {:>22}", if events == 0 { "no data".to_string() } else { s.join(" / ") + short })?;
        }
        writeln!(out)?;
    }
    if t.models.iter().any(|m| m.periods.iter().any(|p| !p.full_history)) {
        writeln!(out, "† the model's history reaches before the data held: shown, but not in the means")?;
    }
    Ok(())
}

fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "no data".into())
}

fn ratio(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "no data".into())
}
