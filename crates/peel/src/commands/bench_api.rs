//! `peel bench-api`: API latency under load, on the embedded store and on PostgreSQL.
//!
//! The server runs in this process (the same router and pool as `peel serve`) on a loopback
//! port. The store is first given the same casework on either backend — `--crimes` crimes
//! recorded through the casework service, spread over `--officers` officers — then
//! `--concurrency` clients, each on its own keep-alive connection, send requests as fast as
//! answers come back: first creating reports (POST /api/reports, a write with its incident
//! and audit rows), then reading an officer's obligations worklist
//! (GET /api/worklists/obligations). Latency is measured per request at the client.

use anyhow::{bail, Context, Result};
use peel_casework::{record_decision, submit_report, DecisionInput, ReportInput, VictimOffences};
use peel_domain::date::Timestamp;
use peel_http::{AppState, Pool};
use peel_store::casework::{PersonDetails, PersonRef};
use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Stores to measure: "sqlite" (a fresh file under --work) and/or a PostgreSQL URL
    /// (a fresh schema is used and dropped), comma-separated.
    #[arg(long, default_value = "sqlite,postgres://postgres@127.0.0.1:5432/test")]
    stores: String,
    /// Clients sending requests at the same time.
    #[arg(long, default_value_t = 200)]
    concurrency: usize,
    /// Requests per endpoint.
    #[arg(long, default_value_t = 4000)]
    requests: usize,
    /// Crimes recorded through the casework service on each store before the load.
    #[arg(long, default_value_t = 2000)]
    crimes: usize,
    /// Officers the seeded crimes are allocated among, in turn.
    #[arg(long, default_value_t = 50)]
    officers: usize,
    /// Store connections in the server's pool.
    #[arg(long, default_value_t = 8)]
    connections: usize,
    /// Working folder for the SQLite store.
    #[arg(long, default_value = "target/bench-api")]
    work: std::path::PathBuf,
}

const NOW: &str = "2026-11-23T12:00";

pub fn run(args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    std::fs::create_dir_all(&args.work)?;
    writeln!(out, "| store | endpoint | requests | concurrency | p50 | p99 | max | requests/s |")?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|")?;
    for store in args.stores.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (db, label, schema) = if store == "sqlite" {
            let path = args.work.join("api.db");
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
            }
            (path.display().to_string(), "SQLite (embedded)".to_string(), None)
        } else {
            let schema = format!("peel_bench_{}", std::process::id());
            let sep = if store.contains('?') { '&' } else { '?' };
            (
                format!("{store}{sep}options=-csearch_path%3D{schema}"),
                "PostgreSQL".to_string(),
                Some((store.to_string(), schema)),
            )
        };
        seed(&db, &args)?;
        let result = measure(&db, &label, &args);
        if let Some((url, schema)) = schema {
            peel_store::PostgresStore::drop_schema(&url, &schema)?;
        }
        result?;
    }
    Ok(())
}

/// The same casework on every store: crimes recorded through the service.
fn seed(db: &str, args: &Args) -> Result<()> {
    let mut store =
        peel_store::open(db).with_context(|| format!("opening {}", peel_store::PostgresStore::redact_url(db)))?;
    let t = Instant::now();
    for i in 0..args.crimes {
        let when = Timestamp::parse("2026-11-01T08:00").unwrap().add_minutes((i * 17) as i64);
        let report = ReportInput {
            channel: "101".into(),
            kind: "crime".into(),
            reported_at: Some(when.to_string()),
            reporter: None,
            site: None,
            location: None,
            place: Default::default(),
            account: "Bicycle stolen from outside the library.".into(),
        };
        let r = submit_report(store.as_mut(), &report, "bench", when)?;
        let inc = store.incident(r.incident.unwrap())?;
        let decision = DecisionInput {
            version: inc.version,
            decision: "crime".into(),
            victims: vec![VictimOffences {
                person: PersonRef::New(PersonDetails { name: format!("Victim {i}"), ..Default::default() }),
                offence_codes: vec!["44".into()],
                themes: vec![],
                flags: vec![],
                age_at_offence: None,
                bereaved_close_relative: false,
            }],
            team: Some("Birmingham East".into()),
            officer: Some(format!("pc-{}", i % args.officers)),
        };
        record_decision(store.as_mut(), inc.id, &decision, "bench", when.add_hours(2))?;
    }
    eprintln!("seeded {} crimes in {:.1} s", args.crimes, t.elapsed().as_secs_f64());
    Ok(())
}

fn measure(db: &str, label: &str, args: &Args) -> Result<()> {
    let pool = Pool::new(args.connections, super::serve::factory(db))?;
    let state = AppState::new(pool).with_clock(|| Timestamp::parse(NOW).unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    // The server thread lives until the process ends: the benchmark is the last thing run.
    std::thread::spawn(move || {
        let _ = peel_http::serve_blocking("127.0.0.1:0".parse().unwrap(), state, |addr| {
            let _ = tx.send(addr);
        });
    });
    let addr = rx.recv_timeout(Duration::from_secs(30)).context("the server did not start")?;

    let body = r#"{"channel":"online","kind":"crime","account":"Wallet taken from a bag on the bus.","reported_at":"2026-11-23T11:00"}"#;
    let create = run_load(addr, args, |_| ("POST", "/api/reports".to_string(), Some(body.to_string())), 201)?;
    print_row(label, "POST /api/reports", args, &create)?;
    let officers = args.officers;
    let worklist = run_load(
        addr,
        args,
        move |i| ("GET", format!("/api/worklists/obligations?on=2026-11-30&officer=pc-{}", i % officers), None),
        200,
    )?;
    print_row(label, "GET /api/worklists/obligations", args, &worklist)?;
    Ok(())
}

struct Load {
    latencies: Vec<Duration>,
    wall: Duration,
}

fn print_row(label: &str, endpoint: &str, args: &Args, l: &Load) -> std::io::Result<()> {
    let mut out = crate::out::stdout();
    let pct = |p: f64| l.latencies[((l.latencies.len() as f64 * p) as usize).min(l.latencies.len() - 1)];
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    writeln!(
        out,
        "| {label} | `{endpoint}` | {} | {} | {} | {} | {} | {:.0} |",
        l.latencies.len(),
        args.concurrency,
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*l.latencies.last().unwrap()),
        l.latencies.len() as f64 / l.wall.as_secs_f64()
    )
}

type Request = (&'static str, String, Option<String>);

fn run_load(addr: SocketAddr, args: &Args, request: impl Fn(usize) -> Request + Sync, expect: u16) -> Result<Load> {
    let per_client = args.requests.div_ceil(args.concurrency);
    let started = Instant::now();
    let results: Vec<Result<Vec<Duration>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..args.concurrency)
            .map(|c| {
                let request = &request;
                scope.spawn(move || -> Result<Vec<Duration>> {
                    let mut conn = Connection::open(addr)?;
                    let mut out = Vec::with_capacity(per_client);
                    for k in 0..per_client {
                        let (method, path, body) = request(c * per_client + k);
                        let t = Instant::now();
                        let status = conn.send(method, &path, body.as_deref())?;
                        out.push(t.elapsed());
                        if status != expect {
                            bail!("{method} {path} answered {status}, expected {expect}");
                        }
                    }
                    Ok(out)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("client thread")).collect()
    });
    let wall = started.elapsed();
    let mut latencies = Vec::new();
    for r in results {
        latencies.extend(r?);
    }
    latencies.sort();
    Ok(Load { latencies, wall })
}

/// A keep-alive connection that names the API's user, as a trusted client of the bare API.
struct Connection(super::loopback::Connection);

impl Connection {
    fn open(addr: SocketAddr) -> Result<Connection> {
        Ok(Connection(super::loopback::Connection::open(addr)?))
    }

    fn send(&mut self, method: &str, path: &str, body: Option<&str>) -> Result<u16> {
        let headers = ["X-Peel-User: bench".to_string(), "Content-Type: application/json".to_string()];
        Ok(self.0.request(method, path, &headers, body.unwrap_or(""))?.status)
    }
}
