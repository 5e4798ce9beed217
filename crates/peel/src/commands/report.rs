//! `peel report --force NAME --month YYYY-MM --out FILE.html [--pdf FILE.pdf]`

use anyhow::{Context, Result};
use peel_analytics::paper::board_paper;
use peel_domain::Force;
use peel_report::PaperMeta;
use peel_store::Store;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    at: super::ForceMonth,
    /// Where to write the HTML board paper.
    #[arg(long, default_value = "board-paper.html")]
    out: PathBuf,
    /// Read history from this month (YYYY-MM); default the 48 months the trend and rolling
    /// year need. The paper's trend still shows the last 36 months.
    #[arg(long)]
    since: Option<String>,
    /// Also print it to PDF through headless Chromium.
    #[arg(long)]
    pdf: Option<PathBuf>,
}

/// Builds the paper's HTML from the store: shared by `report` and `bench`.
pub fn render(
    store: &dyn Store,
    force: &'static Force,
    month: peel_domain::YearMonth,
    since: Option<peel_domain::YearMonth>,
) -> Result<String> {
    // The trend's months, and eleven before them for the first rolling year.
    let from = since.unwrap_or(month.plus(-(peel_analytics::paper::TREND_MONTHS + 11)));
    let (cols, geo) = store.load_street_between(force.code, from, month)?;
    let paper = board_paper(force.name, &cols, &geo, month, &peel_domain::harm::category_weights());
    let h = store.holdings()?;
    let mut sources = vec![format!(
        "data.police.uk street-level crime and anti-social behaviour for {}: {} rows over {} months, {} to {}",
        force.name,
        cols.len(),
        paper.months_with_data.len(),
        paper.months_with_data.first().map_or(String::new(), |m| m.to_string()),
        month
    )];
    if h.lsoas_with_population > 0 {
        sources.push(
            "ONS 2011 Census population, households and area by LSOA; ONS LSOA to police force area lookup".into(),
        );
    }
    sources.push("Cambridge Crime Harm Index weights by Home Office subgroup, weighted by national counts per police.uk category".into());
    let meta =
        PaperMeta { title: format!("{}: crime and harm, {}", force.name, month), generated_at: now_utc(), sources };
    Ok(peel_report::render_html(&paper, &meta))
}

pub fn run(store: &dyn Store, args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    let (force, month) = args.at.resolve(store)?;
    let since = args
        .since
        .as_deref()
        .map(peel_domain::YearMonth::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--since: {e}"))?;
    let html = render(store, force, month, since)?;
    std::fs::write(&args.out, html).with_context(|| format!("writing {}", args.out.display()))?;
    writeln!(out, "wrote {}", args.out.display())?;
    if let Some(pdf) = &args.pdf {
        peel_report::print_pdf(&args.out, pdf)?;
        writeln!(out, "wrote {}", pdf.display())?;
    }
    Ok(())
}

/// The time now as "2026-11-23 05:40 UTC".
fn now_utc() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let day = peel_domain::date::Date::from_days_since_epoch(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!("{day} {:02}:{:02} UTC", rem / 3600, rem % 3600 / 60)
}
