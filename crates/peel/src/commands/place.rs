//! `peel place POSTCODE [--json]`: where a postcode is — its grid position and the areas it
//! lies in (LSOA, MSOA, ward, local authority, force) — from the gazetteer `peel import data`
//! loads from `geography/`. The lookup every report's place starts from.

use crate::out;
use anyhow::{anyhow, Result};
use peel_domain::Force;
use peel_store::Store;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// The postcode, written any way ("b11ay", "B1 1AY").
    postcode: String,
    /// One JSON document instead of lines.
    #[arg(long)]
    json: bool,
}

pub fn run(store: &dyn Store, args: Args) -> Result<()> {
    let p = store.postcode(&args.postcode)?.ok_or_else(|| {
        anyhow!(
            "{} is not in the store's gazetteer: import it with `peel import data ../shared/data/geography`, \
             or the postcode is outside the forces it covers",
            peel_store::normalise_postcode(&args.postcode).unwrap_or_else(|| args.postcode.clone())
        )
    })?;
    let force = p.force.and_then(Force::by_code).map(|f| f.name);
    let mut out = out::stdout();
    if args.json {
        let v = serde_json::json!({
            "postcode": p.postcode,
            "easting": p.easting,
            "northing": p.northing,
            "positional_quality": p.quality,
            "lsoa_code": p.lsoa_code,
            "msoa_code": p.msoa_code,
            "msoa_name": p.msoa_name,
            "local_authority_code": p.la_code,
            "local_authority": p.la_name,
            "ward_code": p.ward_code,
            "ward": p.ward_name,
            "force": force,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    let or = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    writeln!(out, "postcode          {}", p.postcode)?;
    writeln!(out, "grid position     {} E, {} N (quality {})", p.easting, p.northing, p.quality)?;
    writeln!(out, "LSOA              {}", p.lsoa_code)?;
    writeln!(out, "MSOA              {} {}", or(&p.msoa_code), or(&p.msoa_name))?;
    writeln!(out, "ward              {} {}", or(&p.ward_code), or(&p.ward_name))?;
    writeln!(out, "local authority   {} {}", or(&p.la_code), or(&p.la_name))?;
    writeln!(out, "force             {}", force.unwrap_or("—"))?;
    Ok(())
}
