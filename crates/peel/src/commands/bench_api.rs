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
use peel_http::AppState;
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

pub(crate) const NOW: &str = "2026-11-23T12:00";

pub fn run(args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    writeln!(out, "| store | endpoint | requests | concurrency | p50 | p99 | max | requests/s |")?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|")?;
    on_each_store(&args.stores, &args.work, |db, label| {
        seed(db, args.crimes, args.officers)?;
        measure(db, label, &args)
    })
}

/// Runs `work` on each store `stores` names ("sqlite": a fresh file under `work_dir`; a
/// PostgreSQL URL: a fresh schema, dropped afterwards), with the store's name and label.
pub(crate) fn on_each_store(
    stores: &str,
    work_dir: &std::path::Path,
    mut work: impl FnMut(&str, &str) -> Result<()>,
) -> Result<()> {
    std::fs::create_dir_all(work_dir)?;
    for store in stores.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (db, label, schema) = if store == "sqlite" {
            let path = work_dir.join("api.db");
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
        let result = work(&db, &label);
        if let Some((url, schema)) = schema {
            peel_store::PostgresStore::drop_schema(&url, &schema)?;
        }
        result?;
    }
    Ok(())
}

/// The same casework on every store: crimes recorded through the service, allocated in turn
/// to officers `pc-0` … in the team "Birmingham East". Returns each crime's id and officer.
pub(crate) fn seed(db: &str, crimes: usize, officers: usize) -> Result<Vec<(i64, String)>> {
    let mut store =
        peel_store::open(db).with_context(|| format!("opening {}", peel_store::PostgresStore::redact_url(db)))?;
    let t = Instant::now();
    let mut made = Vec::with_capacity(crimes);
    for i in 0..crimes {
        let when = Timestamp::parse("2026-11-01T08:00").unwrap().add_minutes((i * 17) as i64);
        let report = ReportInput {
            channel: "101".into(),
            kind: "crime".into(),
            reported_at: Some(when.to_string()),
            occurred_at: None,
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
            officer: Some(format!("pc-{}", i % officers)),
        };
        let (_, recorded) = record_decision(store.as_mut(), inc.id, &decision, "bench", when.add_hours(2))?;
        made.extend(recorded.into_iter().map(|c| (c.id, format!("pc-{}", i % officers))));
    }
    store.refresh_statistics()?;
    eprintln!("seeded {crimes} crimes in {:.1} s", t.elapsed().as_secs_f64());
    Ok(made)
}

fn measure(db: &str, label: &str, args: &Args) -> Result<()> {
    let (pool, _log) = super::serve::store_pool(db, args.connections, Default::default())?;
    let state = AppState::new(pool).with_clock(|| Timestamp::parse(NOW).unwrap());
    let cookie = {
        let mut store = state.pool.get()?;
        credential(&mut *store, "bench", peel_domain::role::Role::Admin, None)?
    };
    let (tx, rx) = std::sync::mpsc::channel();
    // The server thread lives until the process ends: the benchmark is the last thing run.
    std::thread::spawn(move || {
        let config = peel_web::WebConfig::default();
        let _ = peel_web::serve_blocking(
            "127.0.0.1:0".parse().unwrap(),
            state,
            config,
            peel_web::Transport::Plain,
            |addr| {
                let _ = tx.send(addr);
            },
        );
    });
    let addr = rx.recv_timeout(Duration::from_secs(30)).context("the server did not start")?;

    let body = r#"{"channel":"online","kind":"crime","account":"Wallet taken from a bag on the bus.","reported_at":"2026-11-23T11:00"}"#;
    let cookie = cookie.as_str();
    let create = run_load(addr, args, cookie, |_| ("POST", "/api/reports".to_string(), Some(body.to_string())), 201)?;
    print_row(label, "POST /api/reports", args, &create)?;
    let officers = args.officers;
    let worklist = run_load(
        addr,
        args,
        cookie,
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

fn run_load(
    addr: SocketAddr,
    args: &Args,
    cookie: &str,
    request: impl Fn(usize) -> Request + Sync,
    expect: u16,
) -> Result<Load> {
    let per_client = args.requests.div_ceil(args.concurrency);
    let started = Instant::now();
    let results: Vec<Result<Vec<Duration>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..args.concurrency)
            .map(|c| {
                let request = &request;
                scope.spawn(move || -> Result<Vec<Duration>> {
                    let mut conn = Connection::open(addr, cookie)?;
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

/// The header that signs a benchmark client in as `username` (created with `role` and
/// `team` if the store lacks it): an API token, as a machine client sends it
/// (`Authorization: Bearer`), so the requests go through the same gate, token look-up, role
/// and scope checks as any client's.
pub(crate) fn credential(
    store: &mut dyn peel_http::CaseStore,
    username: &str,
    role: peel_domain::role::Role,
    team: Option<&str>,
) -> Result<String> {
    let now = Timestamp::parse(NOW).unwrap();
    let account = match store.find_account(username)? {
        Some(a) => a,
        None => store.create_account(
            &peel_store::accounts::NewAccount {
                username: username.into(),
                display_name: format!("Benchmark client {username}"),
                role,
                password_hash: peel_access::secrets::DUMMY_HASH.clone(),
                site: None,
                team: team.map(str::to_string),
                collar: None,
            },
            "bench",
            now,
        )?,
    };
    let token = peel_access::secrets::random_hex(32);
    let new = peel_store::accounts::NewApiToken {
        account: account.id,
        token_hash: peel_access::secrets::hash_token(&token),
        label: "bench".into(),
        expires_at: None,
    };
    store.create_api_token(&new, "bench", now)?;
    Ok(format!("Authorization: Bearer {token}"))
}

/// A keep-alive connection signed in as the benchmark's account.
struct Connection(super::loopback::Connection, String);

impl Connection {
    fn open(addr: SocketAddr, cookie: &str) -> Result<Connection> {
        Ok(Connection(super::loopback::Connection::open(addr)?, cookie.to_string()))
    }

    fn send(&mut self, method: &str, path: &str, body: Option<&str>) -> Result<u16> {
        let headers = [self.1.clone(), "Content-Type: application/json".to_string()];
        Ok(self.0.request(method, path, &headers, body.unwrap_or(""))?.status)
    }
}
