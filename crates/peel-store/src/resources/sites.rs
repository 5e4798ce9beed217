//! Partner sites (a hospital, a shop) and their organisations.

use super::{json, queue_writers_on};
use crate::casework::{NewSite, Site};
use crate::sql::{args, Conn, Row, Tx};
use crate::Result;
use peel_domain::date::Timestamp;

/// Adds a site, and its organisation if new (found by name); returns (organisation, site).
/// Shared with the bulk loader, which adds the demo's hospitals the same way.
pub(crate) fn insert(tx: &mut Tx, site: &NewSite) -> Result<(i64, i64)> {
    // Two writers adding the first site of one organisation at once would both find it
    // missing: they queue on its name instead.
    queue_writers_on(tx, "peel-organisation", &site.organisation)?;
    let known =
        tx.query_opt("SELECT id FROM organisation WHERE name = $1 ORDER BY id LIMIT 1", args![site.organisation])?;
    let org: i64 = match known {
        Some(row) => row.get(0)?,
        None => tx
            .query_one(
                "INSERT INTO organisation (name, kind) VALUES ($1, $2) RETURNING id",
                args![site.organisation, site.organisation_kind],
            )?
            .get(0)?,
    };
    let id: i64 = tx
        .query_one(
            "INSERT INTO site (organisation, name, address, latitude, longitude, lsoa_code, neighbourhood_unit, impact_area,
                               postcode, easting, northing, msoa_code, ward_code, la_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            args![
                org,
                site.name,
                site.address,
                site.place.latitude,
                site.place.longitude,
                site.place.lsoa_code,
                site.place.neighbourhood_unit,
                site.place.impact_area,
                site.place.postcode,
                site.place.easting,
                site.place.northing,
                site.place.msoa_code,
                site.place.ward_code,
                site.place.la_code
            ],
        )?
        .get(0)?;
    Ok((org, id))
}

pub(crate) fn add(tx: &mut Tx, site: &NewSite, actor: &str, at: Timestamp) -> Result<Site> {
    let (org, id) = insert(tx, site)?;
    tx.audit(at, actor, "site", id, "create", None, Some(json(site)));
    Ok(Site { id, organisation_id: org, details: site.clone() })
}

fn site_row(r: &Row) -> Result<Site> {
    Ok(Site {
        id: r.get(0)?,
        organisation_id: r.get(1)?,
        details: NewSite {
            organisation: r.get(2)?,
            organisation_kind: r.get(3)?,
            name: r.get(4)?,
            address: r.get(5)?,
            place: super::reports::place_at(r, 6)?,
        },
    })
}

pub(crate) fn all(c: &mut dyn Conn) -> Result<Vec<Site>> {
    let rows = c.query(
        "SELECT s.id, s.organisation, o.name, o.kind, s.name, s.address, s.postcode, s.latitude, s.longitude,
                s.easting, s.northing, s.lsoa_code, s.msoa_code, s.ward_code, s.la_code, s.neighbourhood_unit,
                s.impact_area
         FROM site s JOIN organisation o ON o.id = s.organisation ORDER BY s.id",
        args![],
    )?;
    rows.iter().map(site_row).collect()
}
