//! `peel serve`: the JSON API (peel-http) on the store `--db` names; with `--demo`, the web
//! application (peel-web: pages, accounts, sessions) and the API on one router, with a demo
//! account for each role.

use anyhow::{Context, Result};
use peel_http::{AppState, Pool, StoreFactory};
use peel_store::PostgresStore;
use std::io::Write;
use std::net::SocketAddr;

#[derive(clap::Args)]
pub struct Args {
    /// The address to listen on. Without --demo the bare API trusts writes to name their user
    /// in the X-Peel-User header: keep it on loopback or a trusted network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Store connections kept open; requests beyond that wait for one.
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
    /// Serve the web application (pages and the API behind sign-in) and, if the store has no
    /// accounts, create a demo account for each role, with its password printed here. Plain
    /// http: for loopback only.
    #[arg(long)]
    pub demo: bool,
    /// With --demo: months of synthetic force loaded into an empty store first
    /// (`peel demo`; about 15,000 crimes a month). 0 loads none.
    #[arg(long, default_value_t = 12)]
    pub demo_months: u32,
    /// Import these files or folders of public data first (police.uk street files, Home
    /// Office tables, ONS LSOA files, each recognised by its header), as `peel import data`
    /// does: what the analyst's pages and the board paper are drawn from. Files already
    /// imported are not stored twice.
    #[arg(long = "import", value_name = "PATH")]
    pub import: Vec<std::path::PathBuf>,
}

/// Opens one store connection per call, for the pool: whatever `--db` names (a SQLite file
/// in WAL mode: readers and one writer at a time, the others waiting on its busy timeout; or
/// a PostgreSQL connection).
pub fn factory(db: &str) -> StoreFactory {
    let db = db.to_string();
    Box::new(move || peel_store::open(&db))
}

pub fn run(db: &str, args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    if args.demo && args.demo_months > 0 {
        let c = peel_store::open(db)
            .with_context(|| format!("opening the store {}", PostgresStore::redact_url(db)))?
            .casework_counts()?;
        if c.reports + c.crimes + c.people == 0 {
            super::demo::run(db, super::demo::Args { months: args.demo_months, seed: 1, append: false })?;
        }
    }
    if !args.import.is_empty() {
        let mut store =
            peel_store::open(db).with_context(|| format!("opening the store {}", PostgresStore::redact_url(db)))?;
        let opts = peel_ingest::ImportOptions { strict: false };
        super::import::import_paths(store.as_mut(), &args.import, None, &opts, 5)?;
    }
    let pool = Pool::new(args.connections, factory(db))
        .with_context(|| format!("opening the store {}", PostgresStore::redact_url(db)))?;
    if args.demo {
        return run_demo(pool, args);
    }
    peel_http::serve_blocking(args.addr, AppState::new(pool), |addr| {
        // A server keeps serving when no one reads its standard output any more.
        let _ = writeln!(out, "peel: serving the JSON API on http://{addr} (routes: http://{addr}/api/openapi.json)");
    })
    .with_context(|| format!("serving on {}", args.addr))
}

/// `peel serve --demo`: the web application with demo accounts.
fn run_demo(pool: Pool, args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    let state = AppState::new(pool);
    {
        let mut store = state.pool.get().context("opening a store connection")?;
        // An empty embedded store was filled with the synthetic force by `run` above.
        let created =
            peel_web::demo::ensure_accounts(&mut *store, state.now()).context("creating the demo accounts")?;
        match created {
            Some(_) => writeln!(out, "peel: created the demo accounts"),
            None => {
                writeln!(out, "peel: the store already has accounts; the demo ones below work if they are still there")
            }
        }?;
    }
    let addr = args.addr;
    let config = peel_web::WebConfig::default();
    peel_web::serve_blocking(addr, state, config, |addr| {
        // A server keeps serving when no one reads its standard output any more.
        let _ = (|| -> std::io::Result<()> {
            writeln!(out, "peel: serving the web application and the JSON API on http://{addr}")?;
            writeln!(
                out,
                "peel: plain http, cookies not Secure: for loopback only. Demo accounts (synthetic people):"
            )?;
            for a in peel_web::demo::accounts() {
                writeln!(out, "  {:<26} username {:<11} password {}", a.role.label(), a.username, a.password)?;
            }
            Ok(())
        })();
    })
    .with_context(|| format!("serving on {addr}"))
}
