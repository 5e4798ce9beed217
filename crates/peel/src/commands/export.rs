//! `peel export police-uk --force NAME --month YYYY-MM --out FILE.csv`: a month of the
//! force's own crimes as data.police.uk's street-level file (peel-ingest's `publish` module
//! says how each column is made and how locations are anonymised).
//!
//! The force's analysis data is brought up to date with its recorded crimes first, so the
//! file holds what Peel holds now. A month with no crimes is refused, not written as an
//! empty file: an empty month on police.uk reads as "no crime", and a month Peel holds
//! nothing for is "no data". The file is written beside its destination and renamed into
//! place, so a failed export leaves no half-written file.

use anyhow::{bail, Context, Result};
use peel_ingest::crimes::Gazetteer;
use peel_store::CaseStore;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(clap::Subcommand)]
enum Format {
    /// The month's street-level file in data.police.uk's 12-column layout.
    PoliceUk {
        /// The force, as police.uk, the Home Office or ONS spell it.
        #[arg(long)]
        force: String,
        /// The month recorded, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// The CSV file to write (replaced if it exists).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

pub fn run(store: &mut dyn CaseStore, args: Args) -> Result<()> {
    let Format::PoliceUk { force, month, out } = args.format;
    let force = super::force(&force)?;
    let month = peel_domain::YearMonth::parse(&month).map_err(|e| anyhow::anyhow!("--month: {e}"))?;
    store.project_recorded_crimes(force.code)?;
    let crimes = store.published_crimes(force.code, month)?;
    if crimes.is_empty() {
        bail!(
            "{} has no crimes recorded in {month} in this store: no data, so no file is written \
             (record crimes, or bring the force's history in with peel import crimes)",
            force.name
        );
    }
    let gazetteer = Gazetteer::new(store.gazetteer()?);
    let name = out.file_name().with_context(|| format!("--out: {} names no file", out.display()))?;
    let partial = out.with_file_name(format!(".{}.partial", name.to_string_lossy()));
    let written = (|| -> Result<_> {
        let file = std::fs::File::create(&partial)?;
        let mut w = std::io::BufWriter::new(file);
        let published = peel_ingest::publish::write_month(&mut w, force, month, &crimes, &gazetteer)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&partial, &out)?;
        Ok(published)
    })();
    let published = match written {
        Ok(p) => p,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e.context(format!("writing {}", out.display())));
        }
    };
    writeln!(
        crate::out::stdout(),
        "{} crime(s) of {} recorded in {month} written to {} ({} without a place, as \"No location\")",
        published.rows,
        force.name,
        out.display(),
        published.unplaced
    )?;
    Ok(())
}
