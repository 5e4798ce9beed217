//! `peel audit search|verify`: the audit trail from the command line (see `peel_store::audit`).
//!
//! - `search [--record REF] [--user USERNAME] [--from DATE] [--to DATE] [--limit N] [--json]`:
//!   "who looked at this victim?" (`--record "Alex Synthetic"`, a person's full name: their
//!   entries and those of the crimes they are on) and "what did this user open?"
//!   (`--user officer`), newest first. REF is a reference as people see it (CRM-2026-000123,
//!   RPT-…, INC-…) or a person's name. The search is itself logged, as `search` entries of the
//!   operator (`cli:$USER`), as the auditor's page is.
//! - `verify [--expect HASH] [--json]`: walks the hash chain and exits non-zero naming the
//!   first entry changed, removed or inserted; on success prints the number of entries and the
//!   head hash, to be kept elsewhere (`--expect` it on a later verify).

use crate::out::{self, Limit};
use anyhow::{anyhow, bail, Result};
use peel_casework::CaseStore;
use peel_domain::date::Date;
use peel_store::audit::{Access, AuditQuery};
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
    /// Entries about a record or by a user, newest first.
    Search {
        /// A reference (CRM-2026-000123, RPT-…, INC-…) or a person's full name.
        #[arg(long, value_name = "REF")]
        record: Option<String>,
        /// Entries made by this username.
        #[arg(long, value_name = "USERNAME")]
        user: Option<String>,
        /// From this day, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// To this day (inclusive), YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[command(flatten)]
        limit: Limit,
    },
    /// Walk the hash chain; non-zero exit naming the first entry changed, removed or inserted.
    Verify {
        /// A head hash printed by an earlier verify: the chain must still pass through it.
        #[arg(long, value_name = "HASH")]
        expect: Option<String>,
    },
}

fn day(field: &str, s: Option<&str>) -> Result<Option<Date>> {
    s.map(|s| Date::parse(s).map_err(|e| anyhow!("--{field}: '{s}' is not a day YYYY-MM-DD ({e})"))).transpose()
}

/// The operator as the trail names them: the CLI has no sign-in, so the system user.
pub(crate) fn operator() -> String {
    format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()))
}

pub fn run(store: &mut dyn CaseStore, args: Args) -> Result<()> {
    let mut out = out::stdout();
    match args.command {
        Sub::Search { record, user, from, to, limit } => {
            let (from, to) = (day("from", from.as_deref())?, day("to", to.as_deref())?);
            let records = match record.as_deref() {
                None => None,
                Some(r) => match store.resolve_record(r)? {
                    Some(found) => Some(found.filter()),
                    None => bail!("--record: no crime, report, incident or person is known as '{r}'"),
                },
            };
            let cap = if args.json { limit.json() } else { limit.table() };
            let query = AuditQuery {
                records,
                actor: user.map(|u| u.trim().to_ascii_lowercase()),
                from,
                to,
                before_id: None,
                limit: cap.min(i64::MAX as usize),
            };
            let found = store.audit_search(&query)?;
            let shown: Vec<(&str, i64)> = found.iter().map(|e| ("audit_log", e.id)).collect();
            store.log_access(peel_casework::now(), &operator(), Access::Search, "peel audit search", &shown)?;
            if args.json {
                writeln!(out, "{}", serde_json::to_string_pretty(&found)?)?;
                return Ok(());
            }
            writeln!(out, "{:<16} {:<16} {:<8} {:<34} route", "when", "who", "what", "record")?;
            for e in &found {
                let record = match &e.record {
                    Some(r) => format!("{} {r}", e.entity),
                    None => e.entity.clone(),
                };
                writeln!(
                    out,
                    "{:<16} {:<16} {:<8} {:<34} {}",
                    e.at.to_string(),
                    e.actor,
                    e.action,
                    record,
                    e.route.as_deref().unwrap_or("")
                )?;
            }
            if found.is_empty() {
                writeln!(out, "No entries match.")?;
            }
        }
        Sub::Verify { expect } => {
            let started = std::time::Instant::now();
            let report = store.verify_audit(expect.as_deref())?;
            let secs = started.elapsed().as_secs_f64();
            if args.json {
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            } else if report.failure.is_none() {
                writeln!(out, "The audit trail is intact: {} chained entries.", out::thousands(report.entries))?;
                if report.legacy > 0 {
                    writeln!(
                        out,
                        "{} earlier entries (up to entry {}) were made before the chain began and are not covered by it.",
                        out::thousands(report.legacy),
                        report.genesis
                    )?;
                }
                writeln!(out, "Head: {} (entry {} of the chain)", report.head_hash, report.head_seq)?;
                writeln!(out, "Keep this elsewhere; a later verify must reach it (peel audit verify --expect HASH).")?;
            }
            let rate = report.entries as f64 / secs.max(1e-9);
            eprintln!("peel: walked {} entries in {secs:.2} s ({rate:.0} entries/s)", report.entries);
            if let Some(b) = &report.failure {
                bail!("the audit trail is broken: {} (entry {}, {:?})", b.detail, b.entry, b.kind);
            }
            if report.expected_found == Some(false) {
                bail!(
                    "--expect: the chain does not pass through {}: entries were removed or rewritten",
                    expect.unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}
