//! Reports from the public and from partners, each opening an incident on the 24-hour
//! recording-decision clock; a site's reports for its liaison officer.

use super::people;
use super::{count, json, next_reference, require};
use crate::casework::{NewReport, Place, Report, SiteCounts};
use crate::sql::{args, Conn, Row, Tx};
use crate::{Result, StoreError};

const COLUMNS: &str = "r.id, r.reference, r.channel, r.kind, r.reported_at, r.reporter, r.site, r.location, \
     r.account, r.created_by, (SELECT i.id FROM incident i WHERE i.report = r.id), r.postcode, r.latitude, r.longitude, \
     r.easting, r.northing, r.lsoa_code, r.msoa_code, r.ward_code, r.la_code, r.neighbourhood_unit, r.impact_area, r.occurred_at";

/// A place from the eleven columns from `from` on, in the order of [`Place`]'s fields (postcode,
/// latitude, longitude, easting, northing, lsoa_code, msoa_code, ward_code, la_code,
/// neighbourhood_unit, impact_area): how reports and sites both keep theirs.
pub(crate) fn place_at(r: &Row, from: usize) -> Result<Place> {
    Ok(Place {
        postcode: r.get(from)?,
        latitude: r.get(from + 1)?,
        longitude: r.get(from + 2)?,
        easting: r.get(from + 3)?,
        northing: r.get(from + 4)?,
        lsoa_code: r.get(from + 5)?,
        msoa_code: r.get(from + 6)?,
        ward_code: r.get(from + 7)?,
        la_code: r.get(from + 8)?,
        neighbourhood_unit: r.get(from + 9)?,
        impact_area: r.get(from + 10)?,
    })
}

fn report_row(row: &Row) -> Result<Report> {
    let r = row.record("report", COLUMNS, 0);
    Ok(Report {
        id: r.get(0)?,
        reference: r.get(1)?,
        channel: r.get(2)?,
        kind: r.get(3)?,
        reported_at: r.get(4)?,
        occurred_at: r.get(22)?,
        reporter: r.get(5)?,
        site: r.get(6)?,
        location: r.get(7)?,
        account: r.get(8)?,
        created_by: r.get(9)?,
        incident: r.get(10)?,
        place: place_at(row, 11)?,
    })
}

pub(crate) fn create(tx: &mut Tx, report: &NewReport) -> Result<Report> {
    let at = report.reported_at;
    if let Some(site) = report.site {
        require(tx, "site", site)?;
    }
    let reporter = match &report.reporter {
        Some(p) => Some(people::insert(tx, p, &report.created_by, at)?),
        None => None,
    };
    let reference = next_reference(tx, "RPT", at)?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO report (reference, channel, kind, reported_at, reporter, site, location, account, created_by,
                                 latitude, longitude, lsoa_code, neighbourhood_unit, impact_area,
                                 postcode, easting, northing, msoa_code, ward_code, la_code, occurred_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                     $15, $16, $17, $18, $19, $20, $21) RETURNING id",
            args![
                reference,
                report.channel,
                report.kind,
                report.reported_at,
                reporter,
                report.site,
                report.location,
                report.account,
                report.created_by,
                report.place.latitude,
                report.place.longitude,
                report.place.lsoa_code,
                report.place.neighbourhood_unit,
                report.place.impact_area,
                report.place.postcode,
                report.place.easting,
                report.place.northing,
                report.place.msoa_code,
                report.place.ward_code,
                report.place.la_code,
                report.occurred_at
            ],
        )?
        .get(0)?;
    tx.audit(at, &report.created_by, "report", id, "create", None, Some(json(report)));
    let incident = match &report.decision_due {
        Some(due) => {
            let inc_ref = next_reference(tx, "INC", at)?;
            let inc: i64 = tx
                .query_one(
                    "INSERT INTO incident (reference, report, opened_at, decision_due, status)
                     VALUES ($1, $2, $3, $4, 'open') RETURNING id",
                    args![inc_ref, id, at, due],
                )?
                .get(0)?;
            tx.audit(at, &report.created_by, "incident", inc, "open", None, Some(json(&(&inc_ref, due))));
            Some(inc)
        }
        None => None,
    };
    Ok(Report {
        id,
        reference,
        channel: report.channel.clone(),
        kind: report.kind.clone(),
        reported_at: report.reported_at,
        occurred_at: report.occurred_at,
        reporter,
        site: report.site,
        location: report.location.clone(),
        place: report.place.clone(),
        account: report.account.clone(),
        created_by: report.created_by.clone(),
        incident,
    })
}

pub(crate) fn get(c: &mut dyn Conn, id: i64) -> Result<Report> {
    match c.query_opt(&format!("SELECT {COLUMNS} FROM report r WHERE r.id = $1"), args![id])? {
        Some(row) => report_row(&row),
        None => Err(StoreError::NotFound { entity: "report", id }),
    }
}

pub(crate) fn for_site(c: &mut dyn Conn, site: i64) -> Result<Vec<Report>> {
    let rows = c.query(
        &format!("SELECT {COLUMNS} FROM report r WHERE r.site = $1 ORDER BY r.reported_at, r.id"),
        args![site],
    )?;
    rows.iter().map(report_row).collect()
}

/// A page of a site's reports (or its intelligence), newest first.
pub(crate) fn site_page(
    c: &mut dyn Conn,
    site: i64,
    intelligence: bool,
    limit: usize,
    offset: usize,
) -> Result<Vec<Report>> {
    let kind = if intelligence { "r.kind = 'intelligence'" } else { "r.kind <> 'intelligence'" };
    let rows = c.query(
        &format!(
            "SELECT {COLUMNS} FROM report r WHERE r.site = $1 AND {kind}
             ORDER BY r.reported_at DESC, r.id DESC LIMIT $2 OFFSET $3"
        ),
        args![site, count(limit)?, count(offset)?],
    )?;
    rows.iter().map(report_row).collect()
}

/// A site's reports counted, in one pass over the site's reports (report_site index), each
/// with its incident (incident_report) and crimes (crime_incident); and per month from a
/// month on (`since`, YYYY-MM).
pub(crate) fn site_counts(c: &mut dyn Conn, site: i64, since: &str) -> Result<SiteCounts> {
    let counts = c.query_one(
        "SELECT count(*), CAST(coalesce(sum(CASE WHEN r.kind = 'intelligence' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(coalesce(sum(CASE WHEN i.status = 'open' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(coalesce(sum((SELECT count(*) FROM crime c WHERE c.incident = i.id AND c.status = 'recorded')), 0) AS BIGINT),
                CAST(coalesce(sum(CASE WHEN i.status = 'crime' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(coalesce(sum(CASE WHEN i.status NOT IN ('open', 'crime') THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM report r LEFT JOIN incident i ON i.report = r.id WHERE r.site = $1",
        args![site],
    )?;
    let months = c.query(
        "SELECT substr(r.reported_at, 1, 7), count(*) FROM report r
         WHERE r.site = $1 AND r.reported_at >= $2 GROUP BY 1 ORDER BY 1",
        args![site, since],
    )?;
    Ok(SiteCounts {
        reports: counts.get(0)?,
        intelligence: counts.get(1)?,
        open_incidents: counts.get(2)?,
        crimes: counts.get(3)?,
        decided_crime: counts.get(4)?,
        decided_other: counts.get(5)?,
        per_month: months.iter().map(|r| Ok((r.get(0)?, r.get(1)?))).collect::<Result<_>>()?,
    })
}
