//! `peel performance compliance|outcomes|outcome-return|dip-sample`: Victims' Code
//! compliance, positive outcome rates, the monthly outcome return (CSV) and the audit dip
//! sample, over crimes recorded in a period.

use anyhow::{anyhow, Result};
use peel_casework::performance::{compliance, dip_sample, outcome_return_csv, positive_outcome_rates};
use peel_casework::CaseStore;
use peel_domain::date::Date;
use peel_domain::YearMonth;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Victims' Code compliance by right, team, offence group and month, as JSON.
    Compliance {
        /// First day of recording, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day of recording, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// Measure as it stood on this day; default today.
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Positive outcome rate by police.uk category, as JSON.
    Outcomes {
        /// First day of recording, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day of recording, YYYY-MM-DD.
        #[arg(long)]
        to: String,
    },
    /// The monthly outcome return, CSV on standard output.
    OutcomeReturn {
        /// The month the outcomes were assigned in, YYYY-MM.
        #[arg(long)]
        month: String,
        /// The force named in the return.
        #[arg(long, default_value = "West Midlands Police")]
        force: String,
    },
    /// N crimes recorded in the month from each team and each offence type within it, drawn
    /// at random for audit; the same month and seed give the same sample.
    DipSample {
        /// The month the crimes were recorded in, YYYY-MM.
        #[arg(long)]
        month: String,
        /// Crimes drawn for each team and offence type (police.uk category).
        #[arg(long, visible_alias = "per-team", default_value_t = 10)]
        per_group: usize,
        /// The random seed: the same month and seed give the same sample.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn date(field: &str, s: &str) -> Result<Date> {
    Date::parse(s).map_err(|e| anyhow!("--{field}: {e}"))
}

fn month_days(field: &str, s: &str) -> Result<(Date, Date)> {
    let m = YearMonth::parse(s).map_err(|e| anyhow!("--{field}: {e}"))?;
    let first = Date::new(m.year, m.month, 1).map_err(|e| anyhow!("--{field}: {e}"))?;
    let last = Date::new(m.plus(1).year, m.plus(1).month, 1).map_err(|e| anyhow!("--{field}: {e}"))?.add_days(-1);
    Ok((first, last))
}

pub fn run(store: &dyn CaseStore, args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    match args.what {
        What::Compliance { from, to, as_of } => {
            let (from, to) = (date("from", &from)?, date("to", &to)?);
            let as_of = match as_of {
                Some(d) => date("as-of", &d)?,
                None => super::worklist::now().date(),
            };
            let facts = store.obligation_facts(from, to)?;
            writeln!(out, "{}", serde_json::to_string_pretty(&compliance(&facts, as_of))?)?;
        }
        What::Outcomes { from, to } => {
            let (from, to) = (date("from", &from)?, date("to", &to)?);
            let facts = store.crime_facts(from, to)?;
            writeln!(out, "{}", serde_json::to_string_pretty(&positive_outcome_rates(&facts))?)?;
        }
        What::OutcomeReturn { month, force } => {
            // Outcomes given in the month, to crimes recorded at any time before it.
            let (_, last) = month_days("month", &month)?;
            let facts = store.crime_facts(Date::new(1900, 1, 1)?, last)?;
            write!(out, "{}", outcome_return_csv(&facts, &force, &month))?;
        }
        What::DipSample { month, per_group, seed } => {
            let (first, last) = month_days("month", &month)?;
            let facts = store.crime_facts(first, last)?;
            writeln!(out, "{}", serde_json::to_string_pretty(&dip_sample(&facts, &month, per_group, seed))?)?;
        }
    }
    Ok(())
}
