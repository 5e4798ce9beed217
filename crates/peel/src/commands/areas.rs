//! `peel areas --force NAME --month YYYY-MM [--months N] [--level la|msoa|lsoa|ward|npu|impact-area] [--limit N] [--json]`
//!
//! The force's own levels (neighbourhood policing units and Impact Areas, `peel import areas`)
//! are counted by LSOA (`AreaGrouping::of_force_areas` says why).

use crate::out;
use anyhow::Result;
use peel_analytics::areas::{area_table, grouped_area_table, AreaGrouping, AreaLevel};
use peel_analytics::Geography;
use peel_domain::force_area::AreaKind;
use peel_store::CaseStore;
use std::io::Write;

#[derive(Clone, Copy, clap::ValueEnum)]
enum Level {
    /// Local authority (district, unitary or metropolitan borough).
    La,
    /// Middle layer super output area (about 7,000 people).
    Msoa,
    /// Lower layer super output area (about 1,500 people).
    Lsoa,
    /// Electoral ward (each LSOA counted in the ward most of its postcodes are in; needs the
    /// postcode gazetteer, `peel import data`).
    Ward,
    /// The force's neighbourhood policing units (`peel import areas`).
    Npu,
    /// The force's Impact Areas (`peel import areas`).
    ImpactArea,
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

/// The force's areas of `kind` as a grouping of `geo`'s LSOAs; refused when none are defined.
pub fn own_areas(store: &dyn CaseStore, geo: &Geography, kind: AreaKind) -> Result<AreaGrouping> {
    let map = store.area_map()?;
    if !map.defined(kind) {
        anyhow::bail!(
            "--level: no {} defined in this store: import them (peel import areas FILE, or peel import areas \
             --default west-midlands for Peel's approximation of West Midlands Police's)",
            kind.label()
        );
    }
    Ok(AreaGrouping::of_force_areas(geo, &map, kind))
}

/// The gazetteer's wards as a grouping of `geo`'s LSOAs; refused without a gazetteer.
fn wards(store: &dyn CaseStore, geo: &Geography) -> Result<AreaGrouping> {
    let gazetteer = store.area_gazetteer()?;
    let names: std::collections::HashMap<String, String> = store.ward_names()?.into_iter().collect();
    if names.is_empty() {
        anyhow::bail!(
            "--level ward: the store holds no postcode gazetteer to place LSOAs in wards: import it with peel import \
             data DIR (../shared/data/geography)"
        );
    }
    let homes = gazetteer.lsoas.into_iter().map(|(l, (ward, _))| (l, ward)).collect();
    Ok(AreaGrouping::of_wards(geo, &homes, &names))
}

pub fn run(store: &dyn CaseStore, args: Args) -> Result<()> {
    let (force, month) = args.at.resolve(store)?;
    if args.months < 1 {
        anyhow::bail!("--months: must be 1 or more");
    }
    let from = month.plus(1 - args.months);
    let (cols, geo) = store.load_street_between(force.code, from, month)?;
    let (months, weights) = (from.index()..=month.index(), peel_domain::harm::category_weights());
    let mut rows = match args.level {
        Level::La => area_table(&cols, &geo, AreaLevel::LocalAuthority, months, &weights),
        Level::Msoa => area_table(&cols, &geo, AreaLevel::Msoa, months, &weights),
        Level::Lsoa => area_table(&cols, &geo, AreaLevel::Lsoa, months, &weights),
        Level::Ward => grouped_area_table(&cols, &geo, &wards(store, &geo)?, months, &weights),
        Level::Npu => grouped_area_table(&cols, &geo, &own_areas(store, &geo, AreaKind::Npu)?, months, &weights),
        Level::ImpactArea => {
            grouped_area_table(&cols, &geo, &own_areas(store, &geo, AreaKind::ImpactArea)?, months, &weights)
        }
    };
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
