//! `peel worklist decisions|obligations|meeting|suspects`: the lists officers, registrars and
//! supervisors work from, as tables or JSON.

use anyhow::{anyhow, Result};
use peel_casework::performance::{daily_meeting, outstanding_suspects, repeat_victims};
use peel_casework::CaseStore;
use peel_domain::date::{Date, Timestamp};
use peel_domain::victims_code::PERSISTENTLY_TARGETED;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    list: List,
    /// One JSON document instead of a table.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(clap::Subcommand)]
enum List {
    /// Incidents awaiting a recording decision, with the 24-hour clock.
    Decisions {
        /// The time to measure against, YYYY-MM-DDTHH:MM; default now.
        #[arg(long)]
        at: Option<String>,
    },
    /// Victims' Code obligations due on or before a day, overdue first.
    Obligations {
        /// YYYY-MM-DD; default today.
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        officer: Option<String>,
    },
    /// The daily management meeting list: high risk, vulnerable or repeat victims, suspects
    /// outstanding in domestic abuse cases, over crimes recorded in the last 12 months.
    Meeting {
        #[arg(long)]
        on: Option<String>,
    },
    /// Crimes with a suspect and no outcome, ranked (score documented in peel-casework).
    Suspects {
        #[arg(long)]
        on: Option<String>,
        #[arg(long, default_value_t = 50)]
        top: usize,
    },
}

pub use peel_casework::now;

fn day(field: &str, s: Option<&str>) -> Result<Date> {
    match s {
        Some(s) => Date::parse(s).map_err(|e| anyhow!("--{field}: {e}")),
        None => Ok(now().date()),
    }
}

pub fn run(store: &dyn CaseStore, args: Args) -> Result<()> {
    match args.list {
        List::Decisions { at } => {
            let at = match at {
                Some(t) => Timestamp::parse(&t).map_err(|e| anyhow!("--at: {e}"))?,
                None => now(),
            };
            let due = peel_casework::decisions_due(store, at)?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&due)?);
                return Ok(());
            }
            println!("{:<18} {:<18} {:>10}  status", "incident", "decision due", "time left");
            for d in due {
                let left = if d.overdue {
                    format!("-{}h{:02}", -d.minutes_left / 60, -d.minutes_left % 60)
                } else {
                    format!("{}h{:02}", d.minutes_left / 60, d.minutes_left % 60)
                };
                println!(
                    "{:<18} {:<18} {:>10}  {}",
                    d.incident.reference,
                    d.incident.decision_due,
                    left,
                    if d.overdue { "OVERDUE" } else { "due" }
                );
            }
        }
        List::Obligations { on, officer } => {
            let on = day("on", on.as_deref())?;
            let due = store.obligations_due(&on.to_string(), officer.as_deref())?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&due)?);
                return Ok(());
            }
            println!("{:<16} {:<12} {:>5} {:<20} description", "crime", "due", "right", "victim");
            for d in due {
                println!(
                    "{:<16} {:<12} {:>5} {:<20} {}{}",
                    d.crime_reference,
                    d.obligation.due.as_deref().unwrap_or(""),
                    d.obligation.right_no,
                    d.victim_name,
                    if d.overdue { "OVERDUE: " } else { "" },
                    d.obligation.description
                );
            }
        }
        List::Meeting { on } => {
            let on = day("on", on.as_deref())?;
            let facts = store.crime_facts(&on.add_years(-1).to_string(), &on.to_string())?;
            let repeat = repeat_victims(&facts, PERSISTENTLY_TARGETED.crimes as usize);
            let list = daily_meeting(&facts, &repeat);
            if args.json {
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            for i in list {
                println!("{:<16} {:<6} {}", i.reference, i.offence_code, i.reasons.join("; "));
            }
        }
        List::Suspects { on, top } => {
            let on = day("on", on.as_deref())?;
            let facts = store.crime_facts(&on.add_years(-1).to_string(), &on.to_string())?;
            let mut ranked = outstanding_suspects(&facts, on);
            ranked.truncate(top);
            if args.json {
                println!("{}", serde_json::to_string_pretty(&ranked)?);
                return Ok(());
            }
            for s in ranked {
                println!("{:<16} {:>6.1}  {}", s.reference, s.score, s.why);
            }
        }
    }
    Ok(())
}
