//! `peel place POSTCODE [--json]` (or `--grid EASTING,NORTHING`): where a postcode is — its
//! grid position and the areas it lies in (LSOA, MSOA, ward, local authority, force, and the
//! force's NPU and Impact Area) — from the gazetteer `peel import data` loads from
//! `geography/` and the areas `peel import areas` defines. The lookup every report's place
//! starts from.

use crate::out;
use anyhow::{anyhow, Result};
use peel_domain::force_area::AreaKind;
use peel_domain::Force;
use peel_store::{AreaRef, CaseStore, GRID_REACH_M};
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// The postcode, written any way ("b11ay", "B1 1AY").
    #[arg(required_unless_present = "grid", conflicts_with = "grid")]
    postcode: Option<String>,
    /// A National Grid point instead, "EASTING,NORTHING" in metres: placed by the nearest
    /// gazetteer postcode (within 5 km), whose distance is shown as the answer's error bound.
    #[arg(long, value_name = "EASTING,NORTHING")]
    grid: Option<String>,
    /// One JSON document instead of lines.
    #[arg(long)]
    json: bool,
}

pub fn run(store: &dyn CaseStore, args: Args) -> Result<()> {
    let map = store.area_map()?;
    let place = match (&args.postcode, &args.grid) {
        (Some(postcode), _) => store.place_of_postcode(&map, postcode)?.ok_or_else(|| {
            anyhow!(
                "{} is not in the store's gazetteer: import it with `peel import data ../shared/data/geography`, \
                 or the postcode is outside the forces it covers",
                peel_store::normalise_postcode(postcode).unwrap_or_else(|| postcode.clone())
            )
        })?,
        (None, Some(grid)) => {
            let (e, n) = grid
                .split_once(',')
                .and_then(|(e, n)| Some((e.trim().parse::<f64>().ok()?, n.trim().parse::<f64>().ok()?)))
                .ok_or_else(|| anyhow!("--grid: '{grid}' is not EASTING,NORTHING in metres"))?;
            store
                .place_of_grid(&map, e, n)?
                .ok_or_else(|| anyhow!("--grid: no gazetteer postcode within {GRID_REACH_M} m of {e} E, {n} N"))?
        }
        (None, None) => unreachable!("clap requires a postcode or --grid"),
    };
    let p = store.postcode(&place.postcode)?.ok_or_else(|| anyhow!("{} left the gazetteer", place.postcode))?;
    let force = p.force.and_then(Force::by_code).map(|f| f.name);
    let mut out = out::stdout();
    if args.json {
        let mut v = serde_json::json!({
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
            "npu": place.npu,
            "impact_area": place.impact_area,
            // null above means "in none" only where the kind is defined.
            "npus_defined": map.defined(AreaKind::Npu),
            "impact_areas_defined": map.defined(AreaKind::ImpactArea),
        });
        if args.grid.is_some() {
            v["grid_point"] = serde_json::json!({
                "easting": place.easting, "northing": place.northing, "distance_m": place.distance_m
            });
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    let or = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let area = |a: &Option<AreaRef>, kind: AreaKind| match a {
        Some(a) => format!("{} {}", a.code, a.name),
        None if map.defined(kind) => format!("— (in no {})", &kind.label()[..kind.label().len() - 1]),
        None => format!("— ({})", peel_store::none_defined(Some(kind))),
    };
    writeln!(out, "postcode          {}", p.postcode)?;
    if args.grid.is_some() {
        writeln!(
            out,
            "grid point        {} E, {} N: nearest postcode {:.0} m away",
            place.easting, place.northing, place.distance_m
        )?;
    }
    writeln!(out, "grid position     {} E, {} N (quality {})", p.easting, p.northing, p.quality)?;
    writeln!(out, "LSOA              {}", p.lsoa_code)?;
    writeln!(out, "MSOA              {} {}", or(&p.msoa_code), or(&p.msoa_name))?;
    writeln!(out, "ward              {} {}", or(&p.ward_code), or(&p.ward_name))?;
    writeln!(out, "local authority   {} {}", or(&p.la_code), or(&p.la_name))?;
    writeln!(out, "force             {}", force.unwrap_or("—"))?;
    writeln!(out, "NPU               {}", area(&place.npu, AreaKind::Npu))?;
    writeln!(out, "Impact Area       {}", area(&place.impact_area, AreaKind::ImpactArea))?;
    Ok(())
}
