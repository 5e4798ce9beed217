//! `peel bench-load`: a mixed read/write load through the authenticated API at a fixed rate,
//! on the embedded store and on PostgreSQL (issue 8's deployment figure: 500 requests/s for
//! 10 minutes on 2 cores; target no errors and p99 under 100 ms).
//!
//! The server runs in this process (the same router, gate and pool as `peel serve`) on a
//! loopback port. The store is first given `--crimes` crimes over `--officers` officers
//! (`pc-0` …, team Birmingham East), each officer an account of its own; then `--clients`
//! client threads, each signed in as an officer on its own keep-alive connection, send the
//! requests of an **open-loop** schedule: request *i* is due at `i / rate` seconds, and its
//! latency is measured from when it was due, not from when it was sent, so a server that
//! falls behind shows it in the latencies (no coordinated omission). The mix, by request
//! number: 2 in 10 write a report (POST /api/reports), 4 in 10 read one of the officer's own
//! crimes (GET /api/crimes/{id}), 4 in 10 read the officer's obligations worklist. An error
//! is any answer other than the one expected (201, 200), or a failed connection.
//! Peak memory is the process's high-water mark (VmHWM): server and clients together.
//! On SQLite the server keeps its write-ahead log bounded as `peel serve` does
//! (`peel_store::wal`); the largest log it saw is the last column.

use super::bench_api::{credential, on_each_store, seed, NOW};
use anyhow::{Context, Result};
use peel_domain::date::Timestamp;
use peel_http::AppState;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Stores to measure: "sqlite" (a fresh file under --work) and/or a PostgreSQL URL (a
    /// fresh schema, dropped afterwards), comma-separated.
    #[arg(long, default_value = "sqlite,postgres://postgres@127.0.0.1:5432/test")]
    stores: String,
    /// Requests per second, the schedule's rate.
    #[arg(long, default_value_t = 500)]
    rate: u32,
    /// How long the load runs on each store, in seconds.
    #[arg(long, default_value_t = 600)]
    seconds: u32,
    /// Client threads, each on its own keep-alive connection.
    #[arg(long, default_value_t = 32)]
    clients: usize,
    /// Crimes recorded on each store before the load.
    #[arg(long, default_value_t = 2000)]
    crimes: usize,
    /// Officers the crimes are allocated among; each is a client account.
    #[arg(long, default_value_t = 20)]
    officers: usize,
    /// Store connections in the server's pool.
    #[arg(long, default_value_t = 8)]
    connections: usize,
    /// The SQLite write-ahead log's size past which the server's keeper truncates it, in MiB
    /// (`peel serve` uses 64).
    #[arg(long, value_name = "MIB", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=65536))]
    wal_limit_mb: u64,
    /// Working folder for the SQLite store.
    #[arg(long, default_value = "target/bench-load")]
    work: std::path::PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    writeln!(
        out,
        "| store | rate (req/s) | seconds | requests | errors | p50 | p99 | max | achieved req/s | peak memory | largest WAL |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    on_each_store(&args.stores, &args.work, |db, label| {
        let crimes = seed(db, args.crimes, args.officers)?;
        measure(db, label, &args, &crimes)
    })
}

struct Client {
    header: String,
    officer: String,
    crimes: Vec<i64>,
}

fn measure(db: &str, label: &str, args: &Args, crimes: &[(i64, String)]) -> Result<()> {
    let (pool, log) = super::serve::store_pool(
        db,
        args.connections,
        peel_store::wal::WalKeeping { limit_bytes: args.wal_limit_mb << 20, ..Default::default() },
    )?;
    let state = AppState::new(pool).with_clock(|| Timestamp::parse(NOW).unwrap());
    let mut officers: Vec<Client> = Vec::new();
    {
        let mut store = state.pool.get()?;
        for k in 0..args.officers {
            let officer = format!("pc-{k}");
            let header = credential(&mut *store, &officer, peel_domain::role::Role::Officer, Some("Birmingham East"))?;
            let mine = crimes.iter().filter(|(_, o)| *o == officer).map(|(id, _)| *id).collect();
            officers.push(Client { header, officer, crimes: mine });
        }
    }
    let (tx, rx) = std::sync::mpsc::channel();
    // The server thread lives until the process ends: the benchmark is the last thing run.
    std::thread::spawn(move || {
        let config = peel_web::WebConfig::default();
        let _ =
            peel_web::serve_blocking("127.0.0.1:0".parse().unwrap(), state, config, peel_web::Transport::Plain, |a| {
                let _ = tx.send(a);
            });
    });
    let addr = rx.recv_timeout(Duration::from_secs(30)).context("the server did not start")?;
    let total = args.rate as u64 * args.seconds as u64;
    let errors = AtomicU64::new(0);
    let first_error = std::sync::Mutex::new(None::<String>);
    let start = Instant::now() + Duration::from_millis(200);
    let latencies: Vec<Vec<(usize, Duration)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..args.clients)
            .map(|c| {
                let client = &officers[c % officers.len()];
                let (errors, first_error) = (&errors, &first_error);
                scope.spawn(move || client_thread(addr, client, c, args, total, start, errors, first_error))
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("client thread")).collect()
    });
    let wall = start.elapsed();
    let tagged: Vec<(usize, Duration)> = latencies.into_iter().flatten().collect();
    // Each kind of request apart, on stderr: where the tail is.
    for (k, kind) in KINDS.iter().enumerate() {
        let mut of: Vec<Duration> = tagged.iter().filter(|t| t.0 == k).map(|t| t.1).collect();
        of.sort();
        if let Some(last) = of.last() {
            let at = |p: f64| of[((of.len() as f64 * p) as usize).min(of.len() - 1)].as_secs_f64() * 1000.0;
            eprintln!(
                "  {kind}: {} requests, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
                of.len(),
                at(0.5),
                at(0.99),
                last.as_secs_f64() * 1000.0
            );
        }
    }
    let mut all: Vec<Duration> = tagged.into_iter().map(|t| t.1).collect();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))];
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let errors = errors.load(Ordering::Relaxed);
    let mut out = crate::out::stdout();
    writeln!(
        out,
        "| {label} | {} | {} | {} | {errors} | {} | {} | {} | {:.0} | {} | {} |",
        args.rate,
        args.seconds,
        all.len(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*all.last().unwrap_or(&Duration::ZERO)),
        all.len() as f64 / wall.as_secs_f64(),
        peak_memory().unwrap_or_else(|| "unknown".into()),
        match &log {
            Some(k) => {
                let s = k.stats();
                format!("{} MB ({} truncations, {} missed)", s.largest_seen >> 20, s.truncated, s.missed)
            }
            None => "(PostgreSQL)".into(),
        },
    )?;
    if let Some(e) = first_error.into_inner().unwrap() {
        eprintln!("first error: {e}");
    }
    Ok(())
}

/// The kinds of request in the mix, as the per-kind lines name them.
const KINDS: [&str; 3] = ["POST /api/reports", "GET /api/crimes/{id}", "GET /api/worklists/obligations"];

/// One client: requests c, c + clients, c + 2 × clients … of the schedule, each sent when due
/// (or at once, if the client is behind) and timed from when it was due.
#[allow(clippy::too_many_arguments)]
fn client_thread(
    addr: SocketAddr,
    client: &Client,
    c: usize,
    args: &Args,
    total: u64,
    start: Instant,
    errors: &AtomicU64,
    first_error: &std::sync::Mutex<Option<String>>,
) -> Vec<(usize, Duration)> {
    let report = r#"{"channel":"online","kind":"crime","account":"Wallet taken from a bag on the bus (synthetic).","reported_at":"2026-11-23T11:00"}"#;
    let worklist = format!("/api/worklists/obligations?on=2026-11-30&officer={}", client.officer);
    let headers = [client.header.clone(), "Content-Type: application/json".to_string()];
    let mut conn = super::loopback::Connection::open(addr).ok();
    let mut out = Vec::with_capacity((total / args.clients as u64 + 1) as usize);
    let mut i = c as u64;
    while i < total {
        let due = start + Duration::from_secs_f64(i as f64 / args.rate as f64);
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        let (kind, method, path, body, expect) = match i % 10 {
            0 | 1 => (0, "POST", "/api/reports".to_string(), report, 201),
            2..=5 => {
                let id = client.crimes[(i as usize / 10) % client.crimes.len().max(1)];
                (1, "GET", format!("/api/crimes/{id}"), "", 200)
            }
            _ => (2, "GET", worklist.clone(), "", 200),
        };
        let answer = match conn.as_mut() {
            Some(k) => k.request(method, &path, &headers, body).map_err(|e| e.to_string()),
            None => Err("no connection".to_string()),
        };
        out.push((kind, due.elapsed()));
        match answer {
            Ok(reply) if reply.status == expect => {}
            other => {
                errors.fetch_add(1, Ordering::Relaxed);
                let what = match other {
                    Ok(reply) => format!("{method} {path}: {} {}", reply.status, String::from_utf8_lossy(&reply.body)),
                    Err(e) => format!("{method} {path}: {e}"),
                };
                first_error.lock().unwrap().get_or_insert(what);
                // A broken connection is replaced, as a real client's would be.
                conn = super::loopback::Connection::open(addr).ok();
            }
        }
        i += args.clients as u64;
    }
    out
}

/// The process's peak resident memory (VmHWM), as "123 MB".
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{} MB", kb / 1024))
}
