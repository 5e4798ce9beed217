//! `peel people duplicates [--sweep] [--limit N] [--json]`: the nominal index's list of
//! possible duplicates (issue 10 §1), highest score first, each with the reasons it scored.
//! `--sweep` first compares everyone in the index (peel-domain `nominal::possible_duplicates`:
//! blocking by the family name's sound with the date of birth or a postcode, then scoring
//! each pair) and adds the pairs not known yet; a pair decided before stays decided. A force
//! runs it after bringing its history in (`peel import`, `peel demo`) and nightly: people
//! entered one at a time are compared as they are entered. Reading the list is logged, as
//! the registrar's page is (Data Protection Act 2018 s.62).

use crate::out::{self, Limit};
use anyhow::Result;
use peel_casework::CaseStore;
use peel_store::audit::Access;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
    /// One JSON document instead of a table.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Possible duplicates to review, highest score first.
    Duplicates {
        /// Compare everyone in the index first, adding the pairs not known yet.
        #[arg(long)]
        sweep: bool,
        #[command(flatten)]
        limit: Limit,
    },
}

pub fn run(store: &mut dyn CaseStore, args: Args) -> Result<()> {
    let mut out = out::stdout();
    let Sub::Duplicates { sweep, limit } = args.command;
    let swept = if sweep {
        let started = std::time::Instant::now();
        let report = store.sweep_duplicates(peel_casework::now())?;
        Some((report, started.elapsed().as_secs_f64()))
    } else {
        None
    };
    let cap = if args.json { limit.json() } else { limit.table() };
    let (pairs, total) = store.possible_duplicates(cap.min(i64::MAX as usize), 0)?;
    let shown: Vec<(&str, i64)> = pairs.iter().flat_map(|p| [("person", p.low.id), ("person", p.high.id)]).collect();
    store.log_access(
        peel_casework::now(),
        &super::audit::operator(),
        Access::List,
        "peel people duplicates",
        &shown,
    )?;
    if args.json {
        let v = serde_json::json!({
            "sweep": swept.map(|(r, secs)| serde_json::json!({
                "people": r.people, "found": r.found, "added": r.added, "seconds": secs
            })),
            "total": total,
            "pairs": pairs,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    if let Some((r, secs)) = swept {
        writeln!(
            out,
            "Compared {} people in {secs:.1} s: {} possible duplicates, {} new to the list.",
            out::thousands(r.people),
            out::thousands(r.found),
            out::thousands(r.added)
        )?;
    }
    writeln!(out, "{:>5}  {:<30} {:<30} why", "score", "first record", "second record")?;
    for p in &pairs {
        let side = |s: &peel_store::nominal::DuplicateSide| {
            format!("{} ({})", s.name, s.date_of_birth.as_deref().unwrap_or("born ?"))
        };
        writeln!(out, "{:>5}  {:<30} {:<30} {}", p.score, side(&p.low), side(&p.high), p.reasons.join("; "))?;
    }
    if pairs.is_empty() {
        writeln!(out, "No possible duplicates to review.")?;
    } else if total as usize > pairs.len() {
        writeln!(out, "… and {} more (--limit 0 prints them all).", out::thousands(total - pairs.len() as u64))?;
    }
    Ok(())
}
