//! `peel worklist decisions|obligations|meeting|suspects [--limit N] [--json]`: the lists
//! officers, registrars and supervisors work from, as tables (a header row, at most `--limit`
//! rows, and how many were left out) or JSON.

use crate::out::{self, Limit};
use anyhow::{anyhow, Result};
use peel_casework::performance::{meeting_list, outstanding_suspects};
use peel_casework::CaseStore;
use peel_domain::date::{Date, Timestamp};
use std::io::Write;

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
        #[command(flatten)]
        limit: Limit,
    },
    /// Victims' Code obligations due on or before a day, overdue first.
    Obligations {
        /// YYYY-MM-DD; default today.
        #[arg(long)]
        on: Option<String>,
        /// Only the obligations of this officer's crimes (as the crime's officer field holds it).
        #[arg(long)]
        officer: Option<String>,
        #[command(flatten)]
        limit: Limit,
    },
    /// The daily management meeting list: high risk, vulnerable or repeat victims, suspects
    /// outstanding in domestic abuse cases, over crimes recorded in the last 12 months.
    Meeting {
        /// The day of the meeting, YYYY-MM-DD; default today.
        #[arg(long)]
        on: Option<String>,
        #[command(flatten)]
        limit: Limit,
    },
    /// Crimes with a suspect and no outcome, ranked (score documented in peel-casework).
    Suspects {
        /// The day to rank on, YYYY-MM-DD; default today.
        #[arg(long)]
        on: Option<String>,
        /// The N highest-ranked suspects (0: all), in the table and in JSON; the table ends by
        /// saying how many it left out.
        #[arg(long, visible_alias = "top", value_name = "N", default_value_t = 50)]
        limit: usize,
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
    let mut out = out::stdout();
    match args.list {
        List::Decisions { at, limit } => {
            let at = match at {
                Some(t) => Timestamp::parse(&t).map_err(|e| anyhow!("--at: {e}"))?,
                None => now(),
            };
            let mut due = peel_casework::decisions_due(store, at)?;
            if args.json {
                out::cut(&mut due, limit.json());
                writeln!(out, "{}", serde_json::to_string_pretty(&due)?)?;
                return Ok(());
            }
            writeln!(out, "{:<18} {:<18} {:>10}  status", "incident", "decision due", "time left")?;
            out::rows(&mut out, due, limit.table(), |out, d| {
                let left = if d.overdue {
                    format!("-{}h{:02}", -d.minutes_left / 60, -d.minutes_left % 60)
                } else {
                    format!("{}h{:02}", d.minutes_left / 60, d.minutes_left % 60)
                };
                writeln!(
                    out,
                    "{:<18} {:<18} {:>10}  {}",
                    d.incident.reference,
                    d.incident.decision_due,
                    left,
                    if d.overdue { "OVERDUE" } else { "due" }
                )
            })?;
        }
        List::Obligations { on, officer, limit } => {
            let on = day("on", on.as_deref())?;
            let mut due = store.obligations_due(
                on,
                &peel_store::casework::Scope { officer: officer.as_deref().map(str::to_string), team: None },
            )?;
            if args.json {
                out::cut(&mut due, limit.json());
                writeln!(out, "{}", serde_json::to_string_pretty(&due)?)?;
                return Ok(());
            }
            writeln!(out, "{:<16} {:<16} {:>5} {:<20} description", "crime", "due", "right", "victim")?;
            out::rows(&mut out, due, limit.table(), |out, d| {
                writeln!(
                    out,
                    "{:<16} {:<16} {:>5} {:<20} {}{}",
                    d.crime_reference,
                    d.obligation.due.map(|d| d.to_string()).unwrap_or_default(),
                    d.obligation.right_no,
                    d.victim_name,
                    if d.overdue { "OVERDUE: " } else { "" },
                    d.obligation.description
                )
            })?;
        }
        List::Meeting { on, limit } => {
            let on = day("on", on.as_deref())?;
            let mut list = meeting_list(store, on, &peel_store::casework::Scope::default())?;
            if args.json {
                out::cut(&mut list, limit.json());
                writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
                return Ok(());
            }
            writeln!(out, "{:<16} {:<7} reasons", "crime", "offence")?;
            out::rows(&mut out, list, limit.table(), |out, i| {
                writeln!(out, "{:<16} {:<7} {}", i.reference, i.offence_code, i.reasons.join("; "))
            })?;
        }
        List::Suspects { on, limit } => {
            let on = day("on", on.as_deref())?;
            let facts = store.crime_facts(on.add_years(-1), on)?;
            let mut ranked = outstanding_suspects(&facts, on);
            if args.json {
                out::cut(&mut ranked, out::cap(limit));
                writeln!(out, "{}", serde_json::to_string_pretty(&ranked)?)?;
                return Ok(());
            }
            writeln!(out, "{:<16} {:>6}  why", "crime", "score")?;
            out::rows(&mut out, ranked, out::cap(limit), |out, s| {
                writeln!(out, "{:<16} {:>6.1}  {}", s.reference, s.score, s.why)
            })?;
        }
    }
    Ok(())
}
