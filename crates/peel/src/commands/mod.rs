pub mod accounts;
pub mod areas;
pub mod audit;
pub mod backtest;
pub mod backup;
pub mod bench;
pub mod bench_api;
pub mod bench_crimes;
pub mod bench_load;
pub mod bench_pages;
pub mod concentration;
pub mod demo;
pub mod export;
pub mod hotspots;
pub mod import;
pub mod loopback;
pub mod near_repeat;
pub mod patrols;
pub mod people;
pub mod performance;
pub mod place;
pub mod report;
pub mod serve;
pub mod stats;
pub mod status;
pub mod victims_code;
pub mod worklist;

use anyhow::{anyhow, Result};
use peel_domain::{Force, YearMonth};
use peel_store::Store;

/// Marks a run that refused input (strict import): exit code 2 rather than 1.
#[derive(Debug)]
pub struct Refused(pub String);
impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Refused {}

/// The `--force` and `--month` every analysis command takes.
#[derive(clap::Args)]
pub struct ForceMonth {
    /// Force, as police.uk, the Home Office or ONS spell it ("West Yorkshire Police",
    /// "West Yorkshire", "west-yorkshire").
    #[arg(long)]
    pub force: String,
    /// YYYY-MM; default the latest month the store holds for the force.
    #[arg(long)]
    pub month: Option<String>,
}

impl ForceMonth {
    /// The force and month, refused when the store holds no record of the force in that
    /// month: a month without data is "no data", never 0 (issue 9) — no figures, no paper.
    pub fn resolve(&self, store: &dyn Store) -> Result<(&'static Force, YearMonth)> {
        let force = force(&self.force)?;
        let month = month(store, force, self.month.as_deref())?;
        let (held, _) = store.load_street_between(force.code, month, month)?;
        if held.is_empty() {
            let h = store.holdings()?;
            let own = h.crime_facts.iter().find(|h| h.force == force.code);
            let holds = match own.or_else(|| h.street.iter().find(|h| h.force == force.code)) {
                Some(h) => format!("it holds {} to {}", h.first_month, h.last_month),
                None => "it holds nothing for the force".to_string(),
            };
            return Err(Refused(format!(
                "{} has no data for {month} in this store ({holds}): a month without records is no data, \
                 not 0, so there are no figures for it",
                force.name
            ))
            .into());
        }
        Ok((force, month))
    }
}

/// A force, a run of months ending at `--month`, and a crime category: what the hotspot,
/// near-repeat and patrol analyses take.
#[derive(clap::Args)]
pub struct ForcePeriod {
    #[command(flatten)]
    pub at: ForceMonth,
    /// Months of crimes, ending at --month.
    #[arg(long, default_value_t = 12)]
    pub months: i32,
    /// Only this police.uk category ("Burglary", "Violence and sexual offences", ...); default
    /// every crime.
    #[arg(long)]
    pub category: Option<String>,
}

/// A [`ForcePeriod`] resolved against the store.
#[derive(Clone, Copy)]
pub struct Period {
    pub force: &'static Force,
    pub from: YearMonth,
    pub to: YearMonth,
    pub category: Option<peel_domain::Category>,
}

impl Period {
    /// Prints the answer as one JSON object: the force, months and category, then the
    /// fields of `rest` (an object).
    pub fn print_json(&self, rest: serde_json::Value) -> Result<()> {
        use std::io::Write;
        let mut v = serde_json::json!({
            "force": self.force.name,
            "from": self.from.to_string(),
            "to": self.to.to_string(),
            "category": self.category.map(peel_domain::Category::name),
        });
        if let (Some(head), serde_json::Value::Object(rest)) = (v.as_object_mut(), rest) {
            head.extend(rest);
        }
        writeln!(crate::out::stdout(), "{}", serde_json::to_string_pretty(&v)?)?;
        Ok(())
    }
}

impl ForcePeriod {
    /// The force, months and category; refused for months outside 1 to 120, a category that
    /// is not one, or a last month without data (as [`ForceMonth::resolve`]).
    pub fn resolve(&self, store: &dyn Store) -> Result<Period> {
        use peel_domain::Category;
        if !(1..=120).contains(&self.months) {
            return Err(anyhow!("--months: {} is not 1 to 120", self.months));
        }
        let category = match &self.category {
            None => None,
            Some(name) => Some(Category::parse(name).ok_or_else(|| {
                let names: Vec<&str> = Category::crimes().map(Category::name).collect();
                anyhow!("--category: '{name}' is not a police.uk category ({})", names.join(", "))
            })?),
        };
        let (force, to) = self.at.resolve(store)?;
        Ok(Period { force, from: to.plus(-(self.months - 1)), to, category })
    }
}

/// `--force` accepts any spelling a source uses ("West Yorkshire Police", "West Yorkshire",
/// "west-yorkshire").
pub fn force(name: &str) -> Result<&'static Force> {
    Force::find(name).ok_or_else(|| {
        anyhow!(
            "--force: '{name}' is not a force of England and Wales; try a name as police.uk, the Home Office or ONS spell it, e.g. 'West Midlands Police', 'West Midlands' or 'west-midlands'"
        )
    })
}

/// `--month`, or the latest month the store holds for the force.
pub fn month(store: &dyn Store, force: &Force, month: Option<&str>) -> Result<YearMonth> {
    if let Some(m) = month {
        return YearMonth::parse(m).map_err(|e| anyhow!("--month: {e}"));
    }
    // The force's own crimes when the store holds any, as the analyses read them.
    let h = store.holdings()?;
    let own = h.crime_facts.iter().find(|h| h.force == force.code);
    own.or_else(|| h.street.iter().find(|h| h.force == force.code)).map(|h| h.last_month).ok_or_else(|| {
        anyhow!("the store holds no police.uk data for {}: import some first (peel import police-uk FILE)", force.name)
    })
}
