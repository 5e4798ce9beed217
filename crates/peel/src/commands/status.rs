//! `peel status [--limit N]`: what the store holds: the public data imported (files, LSOAs,
//! Home Office rows, police.uk rows force by force) and the casework (crimes, victims,
//! Victims' Code obligations met and unmet, incidents awaiting a decision, sites, accounts,
//! audit entries), each counted in the database.

use crate::out::{self, thousands, Limit};
use anyhow::Result;
use peel_domain::Force;
use peel_store::{CaseStore, ForceHoldings};
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// Print at most N forces in the police.uk table (default 100; 0 prints them all); the
    /// table ends by saying how many it left out.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
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
    // What the analyses read instead of police.uk for these forces (Store::load_street_between).
    writeln!(
        out,
        "  the forces' own crimes          {:>12}  (analysed in place of police.uk)",
        thousands(h.crime_facts.iter().map(|f| f.rows).sum())
    )?;
    forces(&mut out, &h.street, "rows", &args)?;
    forces(&mut out, &h.crime_facts, "own crimes", &args)?;

    // Counted in the database, one count per table (milliseconds on the million-crime force).
    let c = store.casework_counts()?;
    writeln!(out, "\nCasework")?;
    writeln!(
        out,
        "  reports                         {:>12}  ({} intelligence)",
        thousands(c.reports),
        thousands(c.intelligence)
    )?;
    writeln!(out, "  incidents                       {:>12}", thousands(c.incidents))?;
    writeln!(out, "  incidents awaiting a decision   {:>12}", thousands(c.incidents_awaiting_decision))?;
    writeln!(
        out,
        "  crimes                          {:>12}  ({} cancelled, {} with an outcome)",
        thousands(c.crimes),
        thousands(c.cancelled),
        thousands(c.with_outcome)
    )?;
    writeln!(out, "  people on the records           {:>12}", thousands(c.people))?;
    writeln!(out, "  victims (people, businesses)    {:>12}", thousands(c.victims))?;
    writeln!(
        out,
        "  Victims' Code obligations       {:>12}  ({} met, {} unmet; crimes not cancelled)",
        thousands(c.obligations),
        thousands(c.obligations_met),
        thousands(c.obligations - c.obligations_met)
    )?;
    writeln!(out, "  contacts with victims           {:>12}", thousands(c.contacts))?;
    writeln!(out, "  evidence items                  {:>12}", thousands(c.evidence))?;
    writeln!(out, "  partner sites                   {:>12}", thousands(c.sites))?;
    writeln!(out, "  accounts                        {:>12}", thousands(c.accounts))?;
    writeln!(out, "  audit entries                   {:>12}", thousands(c.audit_entries))?;
    Ok(())
}

/// A table of what the store holds force by force, if anything.
fn forces(out: &mut out::Out, held: &[ForceHoldings], what: &str, args: &Args) -> Result<()> {
    if held.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n  {:<32} {:>12}  {:<7}  to", "force", what, "from")?;
    out::rows(out, held, Limit { limit: args.limit }.table(), |out, f| {
        let name = Force::by_code(f.force).map_or("?", |f| f.name);
        writeln!(out, "  {name:<32} {:>12}  {:<7}  {}", thousands(f.rows), f.first_month, f.last_month)
    })?;
    Ok(())
}
