//! `peel status [--limit N]`: what the store holds: the public data imported (files, LSOAs,
//! Home Office rows, police.uk rows force by force) and the casework (crimes, victims,
//! Victims' Code obligations met and unmet, incidents awaiting a decision, sites, accounts).

use crate::out::{self, thousands, Limit};
use anyhow::Result;
use peel_domain::date::days_in_month;
use peel_domain::Force;
use peel_store::CaseStore;
use std::collections::HashSet;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// Print at most N forces in the police.uk table (default 100; 0 prints them all); the
    /// table ends by saying how many it left out.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
}

/// The casework the store holds, counted through the store's interface.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Casework {
    pub crimes: u64,
    pub cancelled: u64,
    /// Recorded crimes with an outcome.
    pub with_outcome: u64,
    /// People and businesses who are the victim of at least one crime.
    pub victims: u64,
    /// Obligations of the crimes not cancelled.
    pub obligations: u64,
    pub obligations_met: u64,
    pub incidents_awaiting_decision: u64,
    pub sites: u64,
    pub accounts: u64,
}

/// Day ranges (YYYY-MM-DD, inclusive) that cover every day the store accepts: the 20th
/// century in one, each year from 2000 to next year, and the rest in one. Each range of a
/// single year is read a month at a time, so that a force's history is never held in memory
/// at once.
fn periods(this_year: i32) -> Vec<(String, String)> {
    let mut p = vec![("1900-01-01".to_string(), "1999-12-31".to_string())];
    p.extend((2000..=this_year + 1).map(|y| (format!("{y}-01-01"), format!("{y}-12-31"))));
    p.push((format!("{}-01-01", this_year + 2), "2999-12-31".to_string()));
    p
}

fn months_of(from: &str, to: &str) -> Vec<(String, String)> {
    match from.get(..4).filter(|y| Some(*y) == to.get(..4)).and_then(|y| y.parse::<i32>().ok()) {
        Some(y) => {
            (1..=12).map(|m| (format!("{y}-{m:02}-01"), format!("{y}-{m:02}-{:02}", days_in_month(y, m)))).collect()
        }
        None => vec![(from.to_string(), to.to_string())],
    }
}

/// Counts the casework through the store's interface. Crimes and obligations are read a year
/// (obligations a month) at a time: the interface has facts by recording day, not counts.
pub fn casework(store: &dyn CaseStore, this_year: i32) -> Result<Casework> {
    let mut c = Casework::default();
    let mut victims = HashSet::new();
    for (from, to) in periods(this_year) {
        let facts = store.crime_facts(&from, &to)?;
        if facts.is_empty() {
            continue;
        }
        for f in &facts {
            c.crimes += 1;
            if f.status == "cancelled" {
                c.cancelled += 1;
            } else if f.outcome.is_some() {
                c.with_outcome += 1;
            }
            victims.extend(f.victims.iter().map(|v| v.0));
        }
        drop(facts);
        for (from, to) in months_of(&from, &to) {
            for o in store.obligation_facts(&from, &to)? {
                c.obligations += 1;
                c.obligations_met += o.obligation.met_at.is_some() as u64;
            }
        }
    }
    c.victims = victims.len() as u64;
    c.incidents_awaiting_decision = store.decisions_due()?.len() as u64;
    c.sites = store.sites()?.len() as u64;
    c.accounts = store.accounts()?.len() as u64;
    Ok(c)
}

pub fn run(store: &dyn CaseStore, args: Args) -> Result<()> {
    let mut out = out::stdout();
    let h = store.holdings()?;
    writeln!(out, "Public data")?;
    writeln!(out, "  files imported                  {:>12}", thousands(h.files))?;
    writeln!(
        out,
        "  LSOAs                           {:>12}  ({} with ONS population)",
        thousands(h.lsoas),
        thousands(h.lsoas_with_population)
    )?;
    writeln!(out, "  Home Office recorded crime rows {:>12}", thousands(h.recorded_crime_rows))?;
    writeln!(out, "  police.uk street-level rows     {:>12}", thousands(h.street.iter().map(|f| f.rows).sum()))?;
    if !h.street.is_empty() {
        writeln!(out, "\n  {:<32} {:>12}  {:<7}  to", "force", "rows", "from")?;
        out::rows(&mut out, &h.street, Limit { limit: args.limit }.table(), |out, f| {
            let name = Force::by_code(f.force).map_or("?", |f| f.name);
            writeln!(out, "  {name:<32} {:>12}  {:<7}  {}", thousands(f.rows), f.first_month, f.last_month)
        })?;
    }

    let c = casework(store, peel_casework::now().date().year())?;
    writeln!(out, "\nCasework")?;
    writeln!(
        out,
        "  crimes                          {:>12}  ({} cancelled, {} with an outcome)",
        thousands(c.crimes),
        thousands(c.cancelled),
        thousands(c.with_outcome)
    )?;
    writeln!(out, "  victims (people, businesses)    {:>12}", thousands(c.victims))?;
    writeln!(
        out,
        "  Victims' Code obligations       {:>12}  ({} met, {} unmet; crimes not cancelled)",
        thousands(c.obligations),
        thousands(c.obligations_met),
        thousands(c.obligations - c.obligations_met)
    )?;
    writeln!(out, "  incidents awaiting a decision   {:>12}", thousands(c.incidents_awaiting_decision))?;
    writeln!(out, "  partner sites                   {:>12}", thousands(c.sites))?;
    writeln!(out, "  accounts                        {:>12}", thousands(c.accounts))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_periods_cover_every_day_once() {
        let p = periods(2026);
        assert_eq!(p[0], ("1900-01-01".into(), "1999-12-31".into()));
        assert_eq!(p[1], ("2000-01-01".into(), "2000-12-31".into()));
        assert_eq!(p[p.len() - 2], ("2027-01-01".into(), "2027-12-31".into()));
        assert_eq!(p[p.len() - 1], ("2028-01-01".into(), "2999-12-31".into()));
        for w in p.windows(2) {
            assert!(w[0].1 < w[1].0);
        }
        let m = months_of("2026-01-01", "2026-12-31");
        assert_eq!(m.len(), 12);
        assert_eq!(m[1], ("2026-02-01".into(), "2026-02-28".into()));
        assert_eq!(m[11], ("2026-12-01".into(), "2026-12-31".into()));
        assert_eq!(months_of("1900-01-01", "1999-12-31").len(), 1);
    }
}
