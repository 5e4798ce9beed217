//! `peel victims-code due --event EVENT --at YYYY-MM-DD [--enhanced]`: the calculator the
//! Victims' Code engine uses, for trainers and auditors to check a date by hand.

use anyhow::{anyhow, Result};
use peel_domain::date::Date;
use peel_domain::victims_code::{due_date, Event};
use serde::Serialize;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// When a victim must be told of an investigation event (Victims' Code 2021, right 6).
    Due {
        /// arrest, interview, release, bail, bail-change, charge, caution, no-further-action
        #[arg(long)]
        event: String,
        /// The day the event happened, YYYY-MM-DD.
        #[arg(long)]
        at: String,
        /// The victim is eligible for enhanced rights (1 working day instead of 5).
        #[arg(long)]
        enhanced: bool,
    },
}

#[derive(Serialize)]
struct DueDate {
    event: &'static str,
    at: Date,
    enhanced: bool,
    due: Date,
    working_days: u32,
}

pub fn run(args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    let What::Due { event, at, enhanced } = args.what;
    let event = Event::parse(&event).map_err(|e| anyhow!("--event: {}", e.message))?;
    let at = Date::parse(&at).map_err(|e| anyhow!("--at: {e}"))?;
    let (due, working_days) = due_date(event, at, enhanced);
    let due = DueDate { event: event.word(), at, enhanced, due, working_days };
    writeln!(out, "{}", serde_json::to_string(&due)?)?;
    Ok(())
}
