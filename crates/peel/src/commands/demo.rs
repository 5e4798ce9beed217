//! `peel demo [--months N] [--seed S] [--append]`: fills the store with a synthetic force
//! shaped like West Midlands Police (peel-demo): N months of reports, incidents, crimes,
//! victims, suspects, contacts, evidence and outcomes, ending with the last full month.
//! The same seed gives the same force. One month is generated while the one before it is
//! written, each month in one transaction.

use anyhow::{bail, Context, Result};
use peel_domain::date::{Date, Timestamp};
use peel_store::{BulkReport, SqliteStore};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

#[derive(clap::Args)]
pub struct Args {
    /// Months of casework, ending with the last full month.
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    /// The random seed: the same seed gives the same force.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Add to a store that already holds casework (by default peel demo refuses to).
    #[arg(long)]
    pub append: bool,
}

fn now() -> Timestamp {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Timestamp::from_minutes((secs / 60) as i64)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn run(db: &str, args: Args) -> Result<()> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        bail!("peel demo loads the embedded SQLite store only; give --db a file path");
    }
    if args.months == 0 {
        bail!("--months: give at least 1");
    }
    let mut store = SqliteStore::open(Path::new(db)).with_context(|| format!("opening the store {db}"))?;
    let held = store.casework_rows()?;
    if held > 0 && !args.append {
        bail!(
            "the store {db} already holds casework ({held} reports, crimes and people): peel demo adds a whole \
             synthetic force, so it refuses to mix one into existing records. Use a new --db, or --append to add \
             to it anyway."
        );
    }
    let as_of = now();
    let today: Date = as_of.date();
    let months = peel_demo::months_ending(peel_demo::last_full_month(today), args.months);
    let (first, last) = (months[0], months[months.len() - 1]);
    eprintln!("peel demo: West Midlands, {first} to {last} ({} months), seed {}", months.len(), args.seed);

    let started = Instant::now();
    // One thread generates, this one writes: a month is made while the last is stored.
    let (tx, rx) = mpsc::sync_channel(2);
    let seed = args.seed;
    let generator = std::thread::spawn(move || {
        for m in months {
            let mut batch = peel_demo::generate_month(seed, m, as_of);
            batch.at = Some(as_of);
            if tx.send((m, batch)).is_err() {
                break;
            }
        }
    });
    let mut total = BulkReport::default();
    let mut first_crime = None;
    let result = (|| -> Result<()> {
        for (m, batch) in rx {
            let r = store.load_casework_bulk(&batch).with_context(|| format!("loading {m}"))?;
            first_crime = first_crime.or(r.first_crime_id);
            total.sites_added += r.sites_added;
            total.people += r.people;
            total.reports += r.reports;
            total.incidents += r.incidents;
            total.crimes += r.crimes;
            total.suspects += r.suspects;
            total.obligations += r.obligations;
            total.obligations_met += r.obligations_met;
            total.contacts += r.contacts;
            total.evidence += r.evidence;
            total.last_crime_id = r.last_crime_id.or(total.last_crime_id);
            eprintln!("  {m}: {} crimes", thousands(r.crimes));
        }
        Ok(())
    })();
    // On an error the receiver is gone and the generator stops at its next send.
    generator.join().map_err(|_| anyhow::anyhow!("the generator thread panicked"))?;
    result?;
    let secs = started.elapsed().as_secs_f64();
    let t = &total;
    println!("reports      {:>12}", thousands(t.reports));
    println!("incidents    {:>12}", thousands(t.incidents));
    println!("crimes       {:>12}", thousands(t.crimes));
    println!("people       {:>12}", thousands(t.people));
    println!("suspects     {:>12}", thousands(t.suspects));
    println!("obligations  {:>12}  ({} met)", thousands(t.obligations), thousands(t.obligations_met));
    println!("contacts     {:>12}", thousands(t.contacts));
    println!("evidence     {:>12}", thousands(t.evidence));
    println!("sites added  {:>12}", thousands(t.sites_added));
    if let (Some(a), Some(b)) = (first_crime, t.last_crime_id) {
        println!("crime ids    {a}..={b}");
    }
    println!(
        "{} crimes in {secs:.1} s: {} crimes/s ({} rows/s)",
        thousands(t.crimes),
        thousands((t.crimes as f64 / secs) as u64),
        thousands((t.rows() as f64 / secs) as u64)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
