//! `peel report --force NAME --month YYYY-MM [--area NPU|IMPACT-AREA] [--board NAME] --out FILE.html [--pdf FILE.pdf]`

use anyhow::{Context, Result};
use peel_casework::board::{build, build_but_victims_code, victims_code_section, PaperRequest};
use peel_domain::Force;
use peel_report::PaperMeta;
use peel_store::CaseStore;
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
    /// The paper for one of the force's neighbourhood policing units or Impact Areas (its
    /// code or name, as `peel import areas` stored it) instead of the whole force.
    #[arg(long, value_name = "AREA")]
    area: Option<String>,
    /// The board the paper is for, printed above its title (e.g. "Strategic Policing and
    /// Crime Board"); default PEEL_BOARD, else a neutral "Crime and harm report".
    #[arg(long, value_name = "NAME", env = "PEEL_BOARD")]
    board: Option<String>,
    /// The forces the comparison with England and Wales pools as most similar, comma
    /// separated (any spelling --force takes); default Peel's list for the force.
    #[arg(long, value_name = "FORCES", value_delimiter = ',')]
    similar: Option<Vec<String>>,
    /// Also print it to PDF through headless Chromium.
    #[arg(long)]
    pdf: Option<PathBuf>,
}

/// What a paper is asked for, beyond the force and month.
#[derive(Default)]
pub struct Options {
    pub since: Option<peel_domain::YearMonth>,
    pub area: Option<String>,
    pub board: Option<String>,
    pub similar: Option<Vec<&'static Force>>,
}

/// Builds the paper's HTML from the store: shared by `report` and `bench`. With `second`, the
/// store's address, Victims' Code compliance is counted on a second connection to it meanwhile
/// (not for an in-memory SQLite store, whose second connection would be another, empty store).
pub fn render(
    (store, second): (&dyn CaseStore, Option<&str>),
    force: &'static Force,
    month: peel_domain::YearMonth,
    options: &Options,
) -> Result<String> {
    let request = PaperRequest {
        force,
        month,
        since: options.since,
        area: options.area.as_deref(),
        similar: options.similar.clone(),
        today: peel_casework::now().date(),
    };
    // Only a force with its own records has a Victims' Code section to count, and only a
    // store on a file or a server opens a second connection onto the same records (an
    // in-memory or URI-named SQLite store would open another, empty one).
    let shareable = |db: &str| !(db.is_empty() || db.contains(":memory:") || db.starts_with("file:"));
    let second = match second {
        Some(db) if shareable(db) && store.holds_own_crimes(force.code)? => Some(db),
        _ => None,
    };
    let built = match second {
        None => build(store, &request)?,
        // Victims' Code compliance (a grouped count over a year's obligations, most of a large
        // force's paper) on a second connection while the rest is read on this one.
        Some(db) => std::thread::scope(|scope| -> Result<_> {
            // A store that will not open a second connection leaves the count to this one.
            let counting = scope.spawn(|| {
                let other = peel_store::open(db).ok()?;
                Some(victims_code_section(other.as_ref(), request.month, request.today))
            });
            let mut built = build_but_victims_code(store, &request)?;
            let counted = counting.join().map_err(|_| anyhow::anyhow!("counting Victims' Code compliance panicked"))?;
            if built.paper.own_records {
                built.paper.victims_code = match counted {
                    Some(section) => section?,
                    None => victims_code_section(store, request.month, request.today)?,
                };
            }
            Ok(built)
        })?,
    };
    let paper = &built.paper;
    // Whether ONS populations are held: from the LSOA table, not `holdings()`, which counts
    // every street record (a scan of the whole table, a tenth of a second on 1.5 million rows,
    // for one yes or no).
    let populations = !store.force_populations()?.is_empty();
    let what = if paper.own_records {
        format!("The force's own crime records (recorded in Peel and imported) for {}", built.name)
    } else {
        format!("data.police.uk street-level crime and anti-social behaviour for {}", built.name)
    };
    let mut sources = vec![format!(
        "{what}: {} rows over {} months, {} to {}",
        built.rows,
        paper.months_with_data.len(),
        paper.months_with_data.first().map_or(String::new(), |m| m.to_string()),
        month
    )];
    if populations {
        sources.push(
            "ONS 2011 Census population, households and area by LSOA; ONS LSOA to police force area lookup".into(),
        );
    }
    if let Some(c) = &paper.comparison {
        sources.push(format!("Home Office police recorded crime by police force area, {}", c.financial_year));
    }
    if let Some(a) = &built.area {
        sources.push(format!("{}: {}", a.label, a.source.as_deref().unwrap_or("the force's own area")));
    }
    sources.push(if paper.own_records {
        "Cambridge Crime Harm Index weights by Home Office subgroup, each crime weighed by its own offence's".into()
    } else {
        "Cambridge Crime Harm Index weights by Home Office subgroup, weighted by national counts per police.uk category"
            .into()
    });
    let meta = PaperMeta {
        title: format!("{}: crime and harm, {}", built.name, month.long_label()),
        board: options.board.clone().filter(|b| !b.trim().is_empty()),
        generated_at: now_utc(),
        sources,
    };
    Ok(peel_report::render_html(paper, &meta))
}

pub fn run(store: &dyn CaseStore, db: &str, args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    let (force, month) = args.at.resolve(store)?;
    let since = args
        .since
        .as_deref()
        .map(peel_domain::YearMonth::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--since: {e}"))?;
    if let Some(since) = since.filter(|s| *s > month) {
        return Err(super::Refused(format!(
            "--since {since} is after the paper's month {month}: the paper looks back from its month"
        ))
        .into());
    }
    let similar = args
        .similar
        .map(|names| names.iter().map(|n| super::force(n.trim()).context("--similar")).collect::<Result<Vec<_>>>())
        .transpose()?;
    let options = Options { since, area: args.area, board: args.board, similar };
    let html = render((store, Some(db)), force, month, &options)?;
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
