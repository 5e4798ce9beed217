//! `peel stats --force NAME --month YYYY-MM [--json]`
//!
//! For a force whose own crimes the store holds, two more figures police.uk cannot give:
//! serious youth violence (under-25 violence with injury, seed 004 §24) and the month's
//! crimes by weekday and hour (JSON keys `serious_youth_violence` and `hour_weekday`, rows
//! Monday to Sunday, columns 00:00 to 23:00); police.uk data keeps the keys it always had.

use anyhow::Result;
use peel_analytics::own;
use peel_analytics::paper::month_stats;
use peel_analytics::{CrimeFacts, MonthStats};
use peel_domain::{Force, YearMonth};
use peel_store::Store;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    at: super::ForceMonth,
    /// One JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// The month's figures, and the force's own crimes of the month (empty for police.uk data).
pub fn compute(store: &dyn Store, force: &Force, month: YearMonth) -> Result<(MonthStats, CrimeFacts)> {
    // Year to date needs this financial year and the one before; nothing older.
    let (cols, geo) = store.load_street_between(force.code, month.financial_year().first_month().plus(-12), month)?;
    let mut stats = month_stats(force.name, &cols, &geo, month, &peel_domain::harm::category_weights());
    // The force's own crimes (what the store loads when it holds any) name their offence, so
    // their harm is each offence's own subgroup weight rather than the category's national
    // average that police.uk's categories allow.
    // (A force with own crimes but none this month has no street rows this month either.)
    let own = store.load_crime_facts(force.code, month, month)?;
    if !own.is_empty() {
        stats.harm = own.harm_in(month.index());
    }
    Ok((stats, own))
}

pub fn run(store: &dyn Store, args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    let (force, month) = args.at.resolve(store)?;
    let (s, own) = compute(store, force, month)?;
    let m = month.index()..=month.index();
    let youth = (!own.is_empty()).then(|| own::serious_youth_violence(&own, m.clone()));
    if args.json {
        let mut v = serde_json::to_value(&s)?;
        if let Some(y) = &youth {
            v["serious_youth_violence"] = serde_json::to_value(y)?;
            v["hour_weekday"] = serde_json::to_value(own::hour_by_weekday(&own, m, None))?;
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    writeln!(out, "{} — {}", s.force, s.month)?;
    writeln!(out, "  crimes (ASB excluded)   {:>12}", s.crimes)?;
    writeln!(out, "  anti-social behaviour   {:>12}", s.asb)?;
    match s.rate_per_1000 {
        Some(r) => writeln!(out, "  per 1,000 population    {:>12.2}   (population {})", r, s.population),
        None => writeln!(out, "  per 1,000 population    {:>12}   (ONS population not imported)", "n/a"),
    }?;
    writeln!(out, "  crime harm (CCHI days)  {:>12.0}", s.harm)?;
    if let Some(y) = &youth {
        writeln!(
            out,
            "  serious youth violence  {:>12}   (under-25 violence with injury; {} more with the victim's age unknown)",
            y.crimes, y.victim_age_unknown
        )?;
    }
    match s.ytd.change_pct {
        Some(p) => writeln!(
            out,
            "  year to date {}     {:>12.0}   {:+.1}% on {:.0} ({} of {} months with data)",
            s.ytd.financial_year, s.ytd.current, p, s.ytd.previous, s.ytd.months_with_data, s.ytd.months_in_period
        ),
        None => writeln!(
            out,
            "  year to date {}     {:>12.0}   no data for the year before",
            s.ytd.financial_year, s.ytd.current
        ),
    }?;
    writeln!(out, "\n  {:<32} {:>8}", "category", "crimes")?;
    for (c, n) in &s.by_category {
        writeln!(out, "  {c:<32} {n:>8}")?;
    }
    writeln!(out, "\n  {:<52} {:>8}", "last outcome", "crimes")?;
    let mut outcomes: Vec<_> = s.outcomes.iter().collect();
    outcomes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (o, n) in outcomes {
        writeln!(out, "  {o:<52} {n:>8}")?;
    }
    Ok(())
}
