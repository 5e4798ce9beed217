//! `peel bench-pages`: the web application's page-load budget (issue 4: dashboards and
//! worklists under 100 ms of server time on the demo force of a million crimes).
//!
//! The web application runs in this process on a loopback port over the store `--db`
//! (fill one first with `peel --db big.db demo --months 70`), with the demo accounts
//! (created, with the demo officer's caseload, if the store has no accounts). Each demo
//! account signs in and opens each of its pages `--rounds` times, one request at a time.
//! Server time is read from the `Server-Timing` header the application sets on every answer
//! (the handler's time, store work included); the first load of each page after the
//! server starts is reported apart, since it is the one that fills the street-data cache or
//! the twelve-month summary.

use super::loopback::{Connection, Reply};
use anyhow::{bail, Context, Result};
use peel_http::AppState;
use std::io::Write;
use std::net::SocketAddr;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Loads of each page after the first.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
    /// Store connections in the server's pool.
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// The month of the analyst's street-data pages (YYYY-MM); without it, the analyst
    /// pages that need police.uk data are left out.
    #[arg(long)]
    street_month: Option<String>,
    /// The force of those pages.
    #[arg(long, default_value = "west-yorkshire")]
    street_force: String,
}

/// A crime of the demo officer's, to open and search for: its id, reference and postcode.
struct Sample {
    id: i64,
    reference: String,
    postcode: Option<String>,
}

/// Each demo account's pages: the dashboards and worklists the budget is about, and the
/// searches (issue 10 §2: p95 under 100 ms on the million-crime force) — a misspelt name in
/// an officer's reach and force-wide, a common surname alone, an offence, a postcode, an
/// officer, and a crime opened at its reference.
fn pages(args: &Args, crime: Option<&Sample>) -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = vec![
        ("partner", "/partner".into()),
        ("liaison", "/site".into()),
        ("registrar", "/registrar".into()),
        ("officer", "/officer".into()),
        ("supervisor", "/supervisor".into()),
        ("victimcare", "/victim-care".into()),
        ("victimcare", "/victim-care/enhanced".into()),
        ("victimcare", "/victim-care/fraud".into()),
        ("analyst", "/analyst".into()),
    ];
    if let Some(c) = crime {
        v.push(("officer", format!("/crimes/{}", c.id)));
        v.push(("officer", format!("/crimes/{}", c.reference)));
        if let Some(pc) = &c.postcode {
            v.push(("registrar", format!("/search?q={}", pc.replace(' ', "+"))));
        }
    }
    v.push(("officer", "/search?q=olivia+smyth".into()));
    v.push(("victimcare", "/search?q=olivia+smyth".into()));
    v.push(("victimcare", "/search?q=smith".into()));
    v.push(("registrar", "/search?q=robbery".into()));
    v.push(("supervisor", "/search?q=Demo+Investigating+Officer".into()));
    if let Some(month) = &args.street_month {
        let f = &args.street_force;
        let pages = [
            "performance",
            "outcomes",
            "areas",
            "impact-areas",
            "concentration",
            "hotspots",
            "density",
            "gi-star",
            "near-repeat",
            "backtest",
            "patrols",
            "hours",
            "board-paper",
        ];
        for page in pages {
            v.push(("analyst", format!("/analyst/{page}?force={f}&month={month}")));
        }
    }
    v
}

pub fn run(db: &str, args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    let (pool, _log) = super::serve::store_pool(db, args.connections, Default::default())?;
    let state = AppState::new(pool);
    let crime = {
        let mut store = state.pool.get().context("opening a store connection")?;
        peel_web::demo::ensure_accounts(&mut *store, state.now()).context("creating the demo accounts")?;
        let due =
            store.obligations_due(state.now().date().add_days(30), &peel_store::casework::Scope::officer("officer"))?;
        match due.first() {
            Some(d) => {
                let file = store.crime(d.obligation.crime)?;
                let report = store.report(store.incident(file.crime.incident)?.report)?;
                Some(Sample { id: file.crime.id, reference: file.crime.reference, postcode: report.place.postcode })
            }
            None => None,
        }
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let addr: SocketAddr = "127.0.0.1:0".parse().expect("an address");
        let r =
            peel_web::serve_blocking(addr, state, peel_web::WebConfig::default(), peel_web::Transport::Plain, |a| {
                let _ = tx.send(a);
            });
        if let Err(e) = r {
            eprintln!("peel bench-pages: the server stopped: {e}");
        }
    });
    let addr = rx.recv().context("the server did not start")?;
    // The server computes the force's twelve-month summary as it starts; the dashboards read
    // it. Wait for it (the analyst's page waits for it), so that it is not measured as load
    // on every other page, and say how long it took.
    let started = Instant::now();
    let analyst = sign_in(addr, "analyst")?;
    check(&Connection::open(addr)?.request("GET", "/analyst", &analyst, "")?, "/analyst")?;
    writeln!(
        out,
        "The twelve-month summary was ready {:.1} s after the server started.\n",
        started.elapsed().as_secs_f64()
    )?;
    writeln!(out, "| page | account | first load (ms) | server p50 (ms) | server p95 (ms) | server max (ms) | client p50 (ms) | bytes |")?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|")?;
    let mut sessions: Vec<(&str, Vec<String>)> = Vec::new();
    for (account, path) in pages(&args, crime.as_ref()) {
        let headers = match sessions.iter().find(|(a, _)| *a == account) {
            Some((_, h)) => h.clone(),
            None => {
                let h = sign_in(addr, account)?;
                sessions.push((account, h.clone()));
                h
            }
        };
        let mut c = Connection::open(addr)?;
        // A page that is a redirect (the liaison officer's /site to their site's page) is
        // measured where it leads.
        let mut first = c.request("GET", &path, &headers, "")?;
        let mut path = path;
        if first.status == 303 {
            path = first.header("location").context("a redirect without a Location")?.to_string();
            first = c.request("GET", &path, &headers, "")?;
        }
        check(&first, &path)?;
        let mut server = Vec::with_capacity(args.rounds);
        let mut client = Vec::with_capacity(args.rounds);
        let mut bytes = first.body.len();
        for _ in 0..args.rounds {
            let t = Instant::now();
            let r = c.request("GET", &path, &headers, "")?;
            client.push(t.elapsed().as_secs_f64() * 1000.0);
            check(&r, &path)?;
            server.push(server_ms(&r).context("no Server-Timing header")?);
            bytes = r.body.len();
        }
        server.sort_by(f64::total_cmp);
        client.sort_by(f64::total_cmp);
        let q = |v: &[f64], p: f64| v.get(((v.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(f64::NAN);
        writeln!(
            out,
            "| `{path}` | {account} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {bytes} |",
            server_ms(&first).unwrap_or(f64::NAN),
            q(&server, 0.5),
            q(&server, 0.95),
            q(&server, 1.0),
            q(&client, 0.5),
        )?;
    }
    Ok(())
}

fn check(r: &Reply, path: &str) -> Result<()> {
    if r.status != 200 {
        bail!(
            "GET {path} answered {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body).chars().take(300).collect::<String>()
        );
    }
    Ok(())
}

/// `app;dur=12.3` → 12.3.
fn server_ms(r: &Reply) -> Option<f64> {
    r.header("server-timing")?.split(';').find_map(|p| p.trim().strip_prefix("dur="))?.parse().ok()
}

/// Signs a demo account in; returns the headers that carry its session.
fn sign_in(addr: SocketAddr, username: &str) -> Result<Vec<String>> {
    let mut c = Connection::open(addr)?;
    let body = format!("username={username}&password=peel-demo-{username}");
    let r = c.request("POST", "/login", &["Content-Type: application/x-www-form-urlencoded".to_string()], &body)?;
    let cookie = r
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .find_map(|(_, v)| v.split(';').next().filter(|c| c.starts_with("peel_session=")))
        .with_context(|| format!("signing in as {username} gave no session (status {})", r.status))?;
    Ok(vec![format!("Cookie: {cookie}")])
}
