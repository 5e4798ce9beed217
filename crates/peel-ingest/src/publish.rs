//! The police.uk street-level file, written: `peel export police-uk` publishes a month of the
//! force's own crimes in data.police.uk's 12-column layout (the layout [`crate::police_uk`]
//! reads), so that the force can send its monthly upload from Peel and anyone's police.uk
//! tooling — Peel's own `peel import data` included — reads it back.
//!
//! The rules, decided here (police.uk describes its own at data.police.uk/about):
//!
//! - **Crime ID**: SHA-256 of `peel-police-uk/1`, the force's slug and the crime's reference
//!   (each followed by a zero byte), as 64 lower-case hex digits, the form police.uk's IDs
//!   take. Stable: the same crime has the same ID in every month's export as its outcome
//!   changes, as on police.uk; and the reference cannot be read back from it without the list
//!   of references.
//! - **Month**: the month the crime was recorded. **Reported by**, **Falls within**: the
//!   force's police.uk name.
//! - **Location, anonymised to a map point.** police.uk moves each crime to the centre of a
//!   street or place covering at least eight postal addresses. Peel's places are postcodes
//!   (a unit averages about fifteen addresses), so the map point is the centroid of the
//!   crime's postcode — or, for a crime placed by grid point, of the nearest gazetteer
//!   postcode within [`crate::crimes::NEAREST_WITHIN_M`] — never the point recorded.
//!   Longitude and latitude are that centroid's (WGS84, 6 decimals); **Location** is
//!   `On or near <postcode sector>` (`On or near B1 1`): police.uk names the street, which
//!   Peel does not hold, and the full postcode would say no more than the point does.
//!   A crime that cannot be placed has blank coordinates and LSOA and Location
//!   `No location`, as police.uk writes such crimes.
//! - **LSOA code and name**: the crime's (from its place; the name from the boundaries or
//!   ONS lookup imported, blank if neither is).
//! - **Crime type**: the police.uk category of the offence.
//! - **Last outcome category**: police.uk's wording of the crime's Home Office outcome type
//!   ([`peel_domain::outcome::police_uk_wording`]); `Under investigation` while it has none.
//! - **Context**: blank (police.uk's is nearly always blank).

use crate::crimes::Gazetteer;
use peel_domain::bng::BritishNationalGrid;
use peel_domain::{outcome, Category, Force, YearMonth};
use peel_store::PublishedCrime;
use sha2::{Digest, Sha256};
use std::io::Write;

/// data.police.uk's header, in its order (the one [`crate::police_uk`] reads).
pub use crate::police_uk::HEADER;

/// The crime's police.uk Crime ID (see the module documentation).
pub fn crime_id(force: &Force, reference: &str) -> String {
    let mut h = Sha256::new();
    for part in ["peel-police-uk/1", force.slug, reference] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// "B1 1AY" → "B1 1": the outward code and the sector digit.
fn sector(postcode: &str) -> Option<&str> {
    let (outward, inward) = postcode.split_once(' ')?;
    inward.get(..1).map(|_| &postcode[..outward.len() + 2])
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    pub rows: u64,
    /// Rows written with "No location".
    pub unplaced: u64,
}

/// Writes `crimes` (one month of `force`'s) as a police.uk street-level file.
pub fn write_month(
    out: impl Write,
    force: &Force,
    month: YearMonth,
    crimes: &[PublishedCrime],
    gazetteer: &Gazetteer,
) -> std::io::Result<Published> {
    let grid = BritishNationalGrid::new();
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    let mut published = Published::default();
    let month_text = month.to_string();
    for c in crimes {
        // The map point: the postcode's centroid, else the nearest postcode's.
        let point = match (c.postcode.as_deref().and_then(|p| gazetteer.postcode(p)), c.easting, c.northing) {
            (Some(i), _, _) => Some(i),
            (None, Some(e), Some(n)) => gazetteer.nearest(e, n),
            _ => None,
        }
        .map(|i| gazetteer.row(i));
        // The crime's LSOA where it has one (resolved from its place when stored), else the
        // map point's; none for a crime published without a place.
        let placed = point.and_then(|p| {
            let (lon, lat) = grid.unproject(f64::from(p.easting), f64::from(p.northing))?;
            let location = format!("On or near {}", sector(&p.postcode)?);
            let lsoa = c.lsoa_code.clone().unwrap_or_else(|| p.lsoa_code.clone());
            Some((format!("{lon:.6}"), format!("{lat:.6}"), location, lsoa, c.lsoa_name.clone().unwrap_or_default()))
        });
        let (longitude, latitude, location, lsoa_code, lsoa_name) = placed.unwrap_or_else(|| {
            published.unplaced += 1;
            (String::new(), String::new(), "No location".to_string(), String::new(), String::new())
        });
        let category = Category::from_code(c.category).map(Category::name).unwrap_or("Other crime");
        let outcome = outcome::police_uk_wording(c.outcome_type).unwrap_or("Status update unavailable");
        w.write_record([
            crime_id(force, &c.reference).as_str(),
            &month_text,
            force.name,
            force.name,
            &longitude,
            &latitude,
            &location,
            &lsoa_code,
            &lsoa_name,
            category,
            outcome,
            "",
        ])?;
        published.rows += 1;
    }
    w.flush()?;
    Ok(published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crime_ids_are_stable_distinct_and_shaped_as_police_uks() {
        let wm = Force::find("west-midlands").unwrap();
        let wy = Force::find("west-yorkshire").unwrap();
        let a = crime_id(wm, "CRM-2026-000123");
        assert_eq!(a, crime_id(wm, "CRM-2026-000123"));
        assert_ne!(a, crime_id(wm, "CRM-2026-000124"));
        assert_ne!(a, crime_id(wy, "CRM-2026-000123"));
        assert!(a.len() == 64 && a.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{a}");
    }

    #[test]
    fn a_location_names_the_postcode_sector_only() {
        assert_eq!(sector("B1 1AY"), Some("B1 1"));
        assert_eq!(sector("WV10 6QH"), Some("WV10 6"));
        assert_eq!(sector("B11AY"), None);
    }
}
