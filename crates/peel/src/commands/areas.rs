//! `peel areas --force NAME --month YYYY-MM [--months N] [--level la|msoa|lsoa] [--json]`

use anyhow::Result;
use peel_analytics::areas::{area_table, AreaLevel};
use peel_store::Store;

#[derive(Clone, Copy, clap::ValueEnum)]
enum Level {
    /// Local authority (district, unitary or metropolitan borough).
    La,
    Msoa,
    Lsoa,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    at: super::ForceMonth,
    /// Months in the period, ending at --month.
    #[arg(long, default_value_t = 1)]
    months: i32,
    #[arg(long, value_enum, default_value = "la")]
    level: Level,
    /// Show only the first N areas (highest harm first).
    #[arg(long)]
    top: Option<usize>,
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
    rows.truncate(args.top.unwrap_or(usize::MAX));
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    println!("{} — {} to {}", force.name, from, month);
    println!("{:<36} {:>8} {:>12} {:>7} {:>10} {:>9}", "area", "crimes", "harm", "share", "population", "per 1,000");
    for r in rows {
        println!(
            "{:<36} {:>8} {:>12.0} {:>6.1}% {:>10} {:>9}",
            r.name,
            r.crimes,
            r.harm,
            r.harm_share * 100.0,
            r.population,
            r.rate_per_1000.map_or("n/a".into(), |v| format!("{v:.2}"))
        );
    }
    Ok(())
}
