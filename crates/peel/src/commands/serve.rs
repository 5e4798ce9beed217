//! `peel serve`: the JSON API (peel-http) on the store `--db` names.

use anyhow::{Context, Result};
use peel_http::{AppState, Pool, StoreFactory};
use peel_store::PostgresStore;
use std::net::SocketAddr;

#[derive(clap::Args)]
pub struct Args {
    /// The address to listen on. Writes are trusted to name their user in the X-Peel-User
    /// header (there are no accounts yet): keep it on loopback or a trusted network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Store connections kept open; requests beyond that wait for one.
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
}

/// Opens one store connection per call, for the pool: whatever `--db` names (a SQLite file
/// in WAL mode: readers and one writer at a time, the others waiting on its busy timeout; or
/// a PostgreSQL connection).
pub fn factory(db: &str) -> StoreFactory {
    let db = db.to_string();
    Box::new(move || peel_store::open(&db))
}

pub fn run(db: &str, args: Args) -> Result<()> {
    let pool = Pool::new(args.connections, factory(db))
        .with_context(|| format!("opening the store {}", PostgresStore::redact_url(db)))?;
    peel_http::serve_blocking(args.addr, AppState::new(pool), |addr| {
        println!("peel: serving the JSON API on http://{addr} (routes: http://{addr}/api/openapi.json)");
    })
    .with_context(|| format!("serving on {}", args.addr))
}
