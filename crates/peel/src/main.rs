//! `peel`: the thin command-line front of Peel. Each subcommand lives in its own file under
//! `commands/`; this file only parses arguments and opens the store.

mod commands;
mod out;
mod progress;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "peel",
    version,
    about = "Peel: open crime recording, victim care and harm analysis for a police force"
)]
struct Cli {
    /// The store: a SQLite file, created on first use, or a PostgreSQL URL
    /// (postgres://USER@HOST/DB; add ?options=-csearch_path%3DSCHEMA to keep it in a schema
    /// of its own, created on first use).
    #[arg(long, global = true, env = "PEEL_DB", default_value = "peel.db")]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import public data: police.uk street files, Home Office tables, ONS LSOA files, the
    /// postcode gazetteer and LSOA boundaries.
    Import(commands::import::Args),
    /// Headline figures for one force and month.
    Stats(commands::stats::Args),
    /// Publish the force's own crimes: a month as data.police.uk's street-level file.
    Export(commands::export::Args),
    /// Crimes, harm and rates by local authority, MSOA or LSOA.
    Areas(commands::areas::Args),
    /// Where crime or harm concentrates: counts, kernel density or Gi* per grid cell, ranked.
    Hotspots(commands::hotspots::Args),
    /// The fewest grid cells holding a share of crime or harm, and how they hold month to month.
    Concentration(commands::concentration::Args),
    /// The patrol list: each NPU's top cells and their busiest hours (own crimes).
    Patrols(commands::patrols::Args),
    /// Near repeats in the force's own crimes: the Knox test by distance and time band.
    NearRepeat(commands::near_repeat::Args),
    /// How well count, kernel density and ProMap would have predicted each month's crime.
    Backtest(commands::backtest::Args),
    /// Write the board paper for one force and month (HTML, optionally PDF).
    Report(commands::report::Args),
    /// What the store holds: public data imported, and casework.
    Status(commands::status::Args),
    /// Worklists: recording decisions due, Victims' Code obligations due, the daily
    /// management meeting, outstanding suspects.
    Worklist(commands::worklist::Args),
    /// Compliance, outcome rates, the monthly outcome return, the audit dip sample.
    Performance(commands::performance::Args),
    /// The audit trail: who consulted or changed a record (search), and whether the trail is
    /// intact (verify its hash chain).
    Audit(commands::audit::Args),
    /// Where a postcode is: grid position, LSOA, MSOA, ward, local authority, force.
    Place(commands::place::Args),
    /// Victims' Code calculators (right 6 due dates).
    VictimsCode(commands::victims_code::Args),
    /// Time import, stats and board paper against a pandas script doing the same work.
    Bench(commands::bench::Args),
    /// API latency under load (p50/p99) on SQLite and PostgreSQL.
    BenchApi(commands::bench_api::Args),
    /// Time `peel import crimes` on a synthetic year of a force's crimes (BENCHMARKS.md).
    BenchCrimes(commands::bench_crimes::Args),
    /// Mixed read/write load through the authenticated API at a fixed rate (open loop), on
    /// the embedded store and PostgreSQL: errors, p50/p99, peak memory (BENCHMARKS.md).
    BenchLoad(commands::bench_load::Args),
    /// Page-load server time of the web application's dashboards and worklists on the store.
    BenchPages(commands::bench_pages::Args),
    /// Serve the web application and the JSON API, behind sign-in (https with --tls-cert/--tls-key or
    /// behind a proxy with --public-url; plain http on loopback only).
    Serve(commands::serve::Args),
    /// Fill the store with a synthetic force shaped like West Midlands Police.
    Demo(commands::demo::Args),
    /// Back up the whole store to one file, consistently, while Peel serves from it.
    Backup(commands::backup::BackupArgs),
    /// Restore a backup into an empty store (or replace a store's contents with --force).
    Restore(commands::backup::RestoreArgs),
    /// Accounts of the web application and their API tokens: add, list, disable, enable,
    /// unlock, reset a password, make and revoke tokens.
    Accounts(commands::accounts::Args),
    /// The nominal index: possible duplicates to review (and a sweep of everyone for them).
    People(commands::people::Args),
}

fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(cli) {
        // `peel … | head`: the reader has what it wanted.
        if out::is_closed(&e) {
            std::process::exit(0);
        }
        eprintln!("peel: {e:#}");
        std::process::exit(match e.downcast_ref::<commands::Refused>() {
            Some(_) => 2,
            None => 1,
        });
    }
}

/// The server's log: one line per event on stderr (stdout stays the CLI's), each request's
/// lines carrying its id and route (peel-web's `request_log`). `PEEL_LOG_FORMAT` is
/// `compact` (the default: text for a person or journald) or `json` (one object a line, for
/// a log collector); `PEEL_LOG` (or `RUST_LOG`) filters as `RUST_LOG` does, default `info`
/// (e.g. `PEEL_LOG=warn`, `PEEL_LOG=info,peel_http=debug`).
fn init_logs() -> Result<()> {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("PEEL_LOG").or_else(|_| std::env::var("RUST_LOG")).unwrap_or_else(|_| "info".into());
    let filter = EnvFilter::try_new(&filter).with_context(|| format!("PEEL_LOG: '{filter}' is not a log filter"))?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false);
    let installed = match std::env::var("PEEL_LOG_FORMAT").as_deref() {
        Ok("json") => builder.json().with_current_span(true).with_span_list(false).try_init(),
        Ok("compact") | Err(_) => builder.compact().try_init(),
        Ok(other) => anyhow::bail!("PEEL_LOG_FORMAT: '{other}' is not a log format; expected compact or json"),
    };
    installed.map_err(|e| anyhow::anyhow!("starting the log: {e}"))
}

fn run(cli: Cli) -> Result<()> {
    // Commands that need no store.
    let command = match cli.command {
        Command::Bench(args) => return commands::bench::run(args),
        Command::BenchApi(args) => return commands::bench_api::run(args),
        Command::BenchCrimes(args) => return commands::bench_crimes::run(args),
        Command::BenchLoad(args) => return commands::bench_load::run(args),
        Command::VictimsCode(args) => return commands::victims_code::run(args),
        // Opens a pool of its own on the store.
        Command::Serve(args) => {
            init_logs()?;
            return commands::serve::run(&cli.db, args);
        }
        Command::BenchPages(args) => return commands::bench_pages::run(&cli.db, args),
        // Bulk-loads the SQLite store it opens itself.
        Command::Demo(args) => return commands::demo::run(&cli.db, args),
        // Each reads or writes the store in one transaction of its own.
        Command::Backup(args) => return commands::backup::backup(&cli.db, args),
        Command::Restore(args) => return commands::backup::restore(&cli.db, args),
        other => other,
    };
    let mut store = peel_store::open(&cli.db)
        .with_context(|| format!("opening the store {}", peel_store::PostgresStore::redact_url(&cli.db)))?;
    match command {
        Command::Import(args) => commands::import::run(store.as_mut(), args),
        Command::Stats(args) => commands::stats::run(store.as_ref(), args),
        Command::Export(args) => commands::export::run(store.as_mut(), args),
        Command::Areas(args) => commands::areas::run(store.as_ref(), args),
        Command::Report(args) => commands::report::run(store.as_ref(), &cli.db, args),
        Command::Status(args) => commands::status::run(store.as_ref(), args),
        Command::Place(args) => commands::place::run(store.as_ref(), args),
        Command::Worklist(args) => commands::worklist::run(store.as_ref(), args),
        Command::Performance(args) => commands::performance::run(store.as_ref(), args),
        Command::Audit(args) => commands::audit::run(store.as_mut(), args),
        Command::Accounts(args) => commands::accounts::run(store.as_mut(), args),
        Command::People(args) => commands::people::run(store.as_mut(), args),
        Command::Hotspots(args) => commands::hotspots::run(store.as_ref(), args),
        Command::Patrols(args) => commands::patrols::run(store.as_ref(), args),
        Command::NearRepeat(args) => commands::near_repeat::run(store.as_ref(), args),
        Command::Backtest(args) => commands::backtest::run(store.as_ref(), args),
        Command::Concentration(args) => commands::concentration::run(store.as_ref(), args),
        Command::Bench(_)
        | Command::BenchApi(_)
        | Command::BenchCrimes(_)
        | Command::BenchLoad(_)
        | Command::BenchPages(_)
        | Command::VictimsCode(_)
        | Command::Serve(_)
        | Command::Demo(_)
        | Command::Backup(_)
        | Command::Restore(_) => {
            unreachable!("handled above")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every subcommand, option, positional argument and possible value, with its path
    /// ("peel worklist obligations --officer"), if it has no help text.
    fn missing_help(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            let name = arg.get_long().map_or_else(|| format!("<{id}>"), |l| format!("--{l}"));
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {name}"));
            }
            for v in arg.get_possible_values() {
                if v.get_help().is_none() && !arg.is_hide_possible_values_set() && arg.get_action().takes_values() {
                    missing.push(format!("{path} {name} {}", v.get_name()));
                }
            }
        }
        for sub in cmd.get_subcommands() {
            let sub_path = format!("{path} {}", sub.get_name());
            if sub.get_name() != "help" && sub.get_about().is_none() && sub.get_long_about().is_none() {
                missing.push(sub_path.clone());
            }
            missing_help(sub, &sub_path, missing);
        }
    }

    #[test]
    fn every_subcommand_and_option_has_help() {
        let cmd = Cli::command();
        cmd.clone().debug_assert();
        let mut missing = Vec::new();
        missing_help(&cmd, "peel", &mut missing);
        assert!(missing.is_empty(), "no help text for:\n{}", missing.join("\n"));
    }
}
