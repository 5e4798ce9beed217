//! `peel areas --force NAME --month YYYY-MM [--months N] [--level la|msoa|lsoa] [--limit N] [--json]`

use crate::out;
use anyhow::Result;
use peel_analytics::areas::{area_table, AreaLevel};
use peel_store::Store;
use std::io::Write;

#[derive(Clone, Copy, clap::ValueEnum)]
enum Level {
    /// Local authority (district, unitary or metropolitan borough).
    La,
    /// Middle layer super output area (about 7,000 people).
    Msoa,
    /// Lower layer super output area (about 1,500 people).
    Lsoa,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    at: super::ForceMonth,
    /// Months in the period, ending at --month.
    #[arg(long, default_value_t = 1)]
    months: i32,
    /// The areas to count by.
    #[arg(long, value_enum, default_value = "la")]
    level: Level,
    /// Show only the first N areas, highest harm first (default 100 in the table, all in
    /// JSON; 0 shows all); the table ends by saying how many it left out.
    #[arg(long, visible_alias = "top", value_name = "N")]
    limit: Option<usize>,
    /// One JSON list instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(store: &dyn Store, args: Args) -> Result<()> {
    let (force, month) = args.at.resolve(store)?;
    if args.months < 1 {
        anyhow::bail!("--months: must be 1 or more");
    }
    let from = month.plus(1 - args.months);
    let (cols, geo) = store.load_street_between(force.code, from, month)?;
    let level = match args.level {
        Level::La => AreaLevel::LocalAuthority,
        Level::Msoa => AreaLevel::Msoa,
        Level::Lsoa => AreaLevel::Lsoa,
    };
    let mut rows = area_table(&cols, &geo, level, from.index()..=month.index(), &peel_domain::harm::category_weights());
    let limit = out::Limit { limit: args.limit };
    let mut out = out::stdout();
    if args.json {
        out::cut(&mut rows, limit.json());
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(());
    }
    writeln!(out, "{} — {} to {}", force.name, from, month)?;
    writeln!(
        out,
        "{:<36} {:>8} {:>12} {:>7} {:>10} {:>9}",
        "area", "crimes", "harm", "share", "population", "per 1,000"
    )?;
    out::rows(&mut out, rows, limit.table(), |out, r| {
        writeln!(
            out,
            "{:<36} {:>8} {:>12.0} {:>6.1}% {:>10} {:>9}",
            r.name,
            r.crimes,
            r.harm,
            r.harm_share * 100.0,
            r.population,
            r.rate_per_1000.map_or("n/a".into(), |v| format!("{v:.2}"))
        )
    })?;
    Ok(())
}
