//! `peel serve`: the web application (peel-web: pages, sign-in, sessions) and the JSON API
//! (peel-http) on one router, always behind sign-in — the only way Peel serves.
//!
//! # What it refuses, and why
//!
//! - **No administrator, no server.** A store without an enabled admin account could never be
//!   given accounts from the pages, so `peel serve` stops and prints the
//!   `peel accounts add … --role admin` line to run first.
//! - **Plain http only on loopback.** Passwords and session cookies must not cross a network
//!   in clear: off loopback, serve https here (`--tls-cert`/`--tls-key`, rustls) or behind a
//!   reverse proxy that terminates TLS (`--public-url https://…`). Either way the session
//!   cookie is `Secure` and pages send HSTS.
//! - **`--demo` only on loopback.** Its accounts' passwords are printed and written in the
//!   README, so a demo server must not be reachable from another machine.

use anyhow::{bail, Context, Result};
use peel_http::{AppState, Pool, PooledStore};
use peel_store::wal::{WalKeeper, WalKeeping};
use peel_store::{PostgresStore, SqliteStore};
use peel_web::{Transport, WebConfig};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// The address to listen on. Plain http is served on a loopback address only; elsewhere
    /// give --tls-cert and --tls-key, or --public-url behind a TLS-terminating proxy.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Store connections kept open; requests beyond that wait for one.
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
    /// The force whose crimes recorded here feed its analyses (trend, areas, board paper):
    /// while serving, new and changed crimes are brought into the analysis data every
    /// --analysis-seconds.
    #[arg(long, default_value = "west-midlands")]
    pub force: String,
    /// How often recorded crimes are brought into the analysis data, in seconds: how stale
    /// the analyses may be (at most this plus the time one update takes).
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub analysis_seconds: u64,
    /// Serve https with this PEM certificate chain (with --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// The https address users reach Peel at, when a reverse proxy in front terminates TLS
    /// (e.g. https://peel.force.example). Cookies are then Secure and pages send HSTS.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Minutes without a request after which a session ends (sessions also end 10 hours after
    /// sign-in, whatever their use).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=600))]
    pub idle_minutes: i64,
    /// The board the board papers are for, printed above their titles (e.g. "Strategic
    /// Policing and Crime Board"); default PEEL_BOARD, else "Crime and harm report".
    #[arg(long, value_name = "NAME", env = "PEEL_BOARD")]
    pub board: Option<String>,
    /// A demonstration on loopback: the synthetic force and a demo account for each role,
    /// created if the store has no accounts, with their passwords printed here.
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
    pub import: Vec<PathBuf>,
}

/// The server's store connections: a pool of `connections` over whatever `--db` names (a
/// SQLite file in WAL mode: readers and one writer at a time, the others waiting on its busy
/// timeout; or PostgreSQL connections), and for SQLite the keeper of its write-ahead log
/// (`peel_store::wal`: under a server's continuous load SQLite never restarts the log itself),
/// which must live as long as the pool. The pool's SQLite connections leave checkpoints to
/// the keeper, so that their own do not crowd it out.
pub fn store_pool(db: &str, connections: usize, keeping: WalKeeping) -> Result<(Pool, Option<WalKeeper>)> {
    let shown = PostgresStore::redact_url(db);
    if peel_store::is_postgres_url(db) {
        let db = db.to_string();
        let pool = Pool::new(connections, move || peel_store::open(&db))
            .with_context(|| format!("opening the store {shown}"))?;
        return Ok((pool, None));
    }
    let path = PathBuf::from(db);
    let opened = path.clone();
    let pool = Pool::new(connections, move || {
        let store = SqliteStore::open(&opened)?;
        store.wal_autocheckpoint(0)?;
        Ok(Box::new(store) as PooledStore)
    })
    .with_context(|| format!("opening the store {shown}"))?;
    let keeper = WalKeeper::start(&path, keeping).with_context(|| format!("keeping the write-ahead log of {shown}"))?;
    Ok((pool, Some(keeper)))
}

/// Brings the crimes recorded while serving into the analysis data (`crime_fact`) every
/// `every`, on a thread of its own, for as long as the pool lives. Why not in each write: a
/// crime's analysis row needs its victim, place and outcome, which arrive in many writes
/// (recording, adding the victim, the outcome, a cancellation); one pass over what changed
/// since (each crime's version against its fact's) costs one indexed anti-join per interval
/// and adds nothing to an officer's request.
fn keep_analysis_current(pool: &Arc<Pool>, force: u16, every: Duration) {
    let pool = Arc::downgrade(pool);
    let _ = std::thread::Builder::new().name("peel-analysis-data".into()).spawn(move || loop {
        std::thread::sleep(every);
        let Some(pool) = pool.upgrade() else { return };
        let done = pool.get().map_err(|e| e.to_string()).and_then(|mut store| {
            let r = store.project_recorded_crimes(force).map_err(|e| e.to_string());
            if r.is_err() {
                store.discard();
            }
            r
        });
        match done {
            Ok((0, 0)) => {}
            Ok((written, removed)) => {
                tracing::info!(written, removed, "recorded crimes brought into the analysis data")
            }
            Err(e) => tracing::warn!("bringing recorded crimes into the analysis data: {e}"),
        }
    });
}

/// Tells officers of what falls due (peel-store `Tasks::notify_due`: obligations due
/// tomorrow, CCTV overwritten within 48 hours) every `every`, on a thread of its own, for as
/// long as the pool lives: at most that late, and each told once however often it runs.
fn tell_what_falls_due(pool: &Arc<Pool>, every: Duration) {
    let pool = Arc::downgrade(pool);
    let _ = std::thread::Builder::new().name("peel-notifications".into()).spawn(move || loop {
        let Some(strong) = pool.upgrade() else { return };
        let done = strong.get().map_err(|e| e.to_string()).and_then(|mut store| {
            let r = store.notify_due(peel_casework::now()).map_err(|e| e.to_string());
            if r.is_err() {
                store.discard();
            }
            r
        });
        drop(strong);
        match done {
            Ok(0) => {}
            Ok(told) => tracing::info!(told, "notifications of what falls due"),
            Err(e) => tracing::warn!("notifying what falls due: {e}"),
        }
        std::thread::sleep(every);
    });
}

/// How the server is reached, from the flags: refused when it would send passwords in clear.
fn transport(args: &Args) -> Result<(Transport, Option<String>)> {
    let public = match &args.public_url {
        Some(url) => {
            let trimmed = url.trim_end_matches('/');
            let host = trimmed.strip_prefix("https://").unwrap_or("");
            if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
                bail!("--public-url: '{url}' is not an https origin such as https://peel.force.example");
            }
            Some(trimmed.to_string())
        }
        None => None,
    };
    let transport = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Transport::Tls { cert: cert.clone(), key: key.clone() },
        _ => Transport::Plain,
    };
    let loopback = args.addr.ip().is_loopback();
    if args.demo && !loopback {
        bail!(
            "--demo listens on a loopback address only (127.0.0.1 or [::1]), not {}: its accounts' \
             passwords are printed and published, so no other machine may reach it",
            args.addr
        );
    }
    if matches!(transport, Transport::Plain) && public.is_none() && !loopback {
        bail!(
            "plain http on {} would carry passwords and session cookies unencrypted: serve https with \
             --tls-cert FILE --tls-key FILE, or put Peel behind a reverse proxy that terminates TLS and give \
             its address with --public-url https://…, or listen on 127.0.0.1",
            args.addr
        );
    }
    Ok((transport, public))
}

pub fn run(db: &str, args: Args) -> Result<()> {
    let (transport, public) = transport(&args)?;
    let shown = PostgresStore::redact_url(db);
    // The public data first: the demo force is placed at real postcodes when the gazetteer
    // is in the store (`peel demo` says so).
    if !args.import.is_empty() {
        let mut store = peel_store::open(db).with_context(|| format!("opening the store {shown}"))?;
        let opts = peel_ingest::ImportOptions::default();
        super::import::import_paths(store.as_mut(), &args.import, None, &opts, 5)?;
    }
    if args.demo && args.demo_months > 0 {
        let store = peel_store::open(db).with_context(|| format!("opening the store {shown}"))?;
        let c = store.casework_counts()?;
        // Only an empty store is filled: not one with casework, nor one holding the force's
        // crimes imported from its previous system.
        let own = store.holds_own_crimes(super::force("west-midlands")?.code)?;
        drop(store);
        if c.reports + c.crimes + c.people == 0 && !own {
            super::demo::run(
                db,
                super::demo::Args { months: args.demo_months, seed: 1, append: false, recorded_months: 12 },
            )?;
        }
    }
    let force = super::force(&args.force)?;
    let (pool, _log) = store_pool(db, args.connections, WalKeeping::default())?;
    let state = AppState::new(pool);
    keep_analysis_current(&state.pool, force.code, Duration::from_secs(args.analysis_seconds));
    tell_what_falls_due(&state.pool, Duration::from_secs(60));
    let mut out = crate::out::stdout();
    {
        let mut store = state.pool.get().context("opening a store connection")?;
        if args.demo {
            // An empty embedded store was filled with the synthetic force above.
            let created =
                peel_web::demo::ensure_accounts(&mut *store, state.now()).context("creating the demo accounts")?;
            match created {
                Some(_) => writeln!(out, "peel: created the demo accounts"),
                None => writeln!(
                    out,
                    "peel: the store already has accounts; the demo ones below work if they are still there"
                ),
            }?;
        }
        let admins = store.accounts()?.into_iter().filter(|a| a.role == peel_domain::role::Role::Admin).count();
        if admins == 0 {
            bail!(
                "the store {shown} has no administrator, so no one could sign in to give out accounts. Make one \
                 first:\n  peel --db {shown} accounts add USERNAME --role admin --name \"Full Name\" --password-stdin\n\
                 (the password is read from standard input: at least 12 characters)"
            );
        }
    }
    let secure = public.is_some() || matches!(transport, Transport::Tls { .. });
    let config = WebConfig {
        secure_cookies: secure,
        idle_minutes: args.idle_minutes,
        board: args.board.clone().filter(|b| !b.trim().is_empty()),
        ..WebConfig::default()
    };
    let scheme = if matches!(transport, Transport::Tls { .. }) { "https" } else { "http" };
    let demo = args.demo;
    peel_web::serve_blocking(args.addr, state, config, transport, |addr| {
        // A server keeps serving when no one reads its standard output any more.
        let _ = (|| -> std::io::Result<()> {
            writeln!(out, "peel: serving the web application and the JSON API on {scheme}://{addr}")?;
            if let Some(public) = &public {
                writeln!(out, "peel: users reach it at {public} (the proxy in front terminates TLS)")?;
            }
            writeln!(out, "peel: API clients send Authorization: Bearer TOKEN (peel accounts token USERNAME)")?;
            if demo {
                writeln!(out, "peel: a demonstration, on loopback only. Demo accounts (synthetic people):")?;
                for a in peel_web::demo::accounts() {
                    writeln!(out, "  {:<26} username {:<11} password {}", a.role.label(), a.username, a.password)?;
                }
            } else if !secure {
                writeln!(out, "peel: plain http on loopback: cookies are not Secure (development only)")?;
            }
            Ok(())
        })();
    })
    .with_context(|| format!("serving on {}", args.addr))
}
