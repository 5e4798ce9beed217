//! Places: the postcode gazetteer and the LSOA boundaries, written in batches (upserted by
//! their key, so a newer file replaces what an older one said) and read back.

use crate::records::{BoundaryBatch, LsoaBoundary, PostcodeBatch, PostcodeRecord};
use crate::sql::{args, values, Conn, Dialect, Param, Row, ToParam, Tx};
use crate::{Result, SaveReport, StoreError};

/// Writes `rows` of `columns` into `table` through multi-row `INSERT … ON CONFLICT (key) DO
/// UPDATE`, so that each row replaces the one with its key; how many rows were new.
fn upsert<T>(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    key: &str,
    rows: &[T],
    params: impl Fn(&T) -> Vec<Param<'_>>,
) -> Result<u64> {
    let before: u64 = tx.query_one(&format!("SELECT count(*) FROM {table}"), args![])?.get(0)?;
    // SQLite takes up to 32,766 parameters a statement and PostgreSQL 65,535.
    let per = match tx.dialect() {
        Dialect::Sqlite => 500,
        Dialect::Postgres => 1_000,
    }
    .min(30_000 / columns.len());
    let set =
        columns.iter().filter(|c| **c != key).map(|c| format!("{c} = excluded.{c}")).collect::<Vec<_>>().join(", ");
    for chunk in rows.chunks(per) {
        let values = values(tx.dialect(), chunk.len(), columns.len());
        let all: Vec<Param> = chunk.iter().flat_map(&params).collect();
        tx.execute(
            &format!(
                "INSERT INTO {table} ({}) VALUES {values} ON CONFLICT ({key}) DO UPDATE SET {set}",
                columns.join(", ")
            ),
            &all,
        )?;
    }
    let after: u64 = tx.query_one(&format!("SELECT count(*) FROM {table}"), args![])?.get(0)?;
    Ok(after - before)
}

pub(crate) const POSTCODE_FIELDS: [&str; 12] = [
    "postcode",
    "easting",
    "northing",
    "quality",
    "lsoa_code",
    "msoa_code",
    "msoa_name",
    "la_code",
    "la_name",
    "ward_code",
    "ward_name",
    "force",
];

pub(crate) fn save_postcodes(tx: &mut Tx, batch: &PostcodeBatch) -> Result<SaveReport> {
    let inserted = upsert(tx, "postcode", &POSTCODE_FIELDS, "postcode", &batch.rows, |p| {
        vec![
            p.postcode.to_param(),
            Param::Int(i64::from(p.easting)),
            Param::Int(i64::from(p.northing)),
            p.quality.to_param(),
            p.lsoa_code.to_param(),
            p.msoa_code.to_param(),
            p.msoa_name.to_param(),
            p.la_code.to_param(),
            p.la_name.to_param(),
            p.ward_code.to_param(),
            p.ward_name.to_param(),
            match p.force {
                Some(f) => Param::Int(i64::from(f)),
                None => Option::<i64>::None.to_param(),
            },
        ]
    })?;
    Ok(SaveReport { inserted, replaced: batch.rows.len() as u64 - inserted.min(batch.rows.len() as u64) })
}

pub(crate) fn postcode_row(r: &Row) -> Result<PostcodeRecord> {
    Ok(PostcodeRecord {
        postcode: r.get(0)?,
        easting: r.get(1)?,
        northing: r.get(2)?,
        quality: r.get(3)?,
        lsoa_code: r.get(4)?,
        msoa_code: r.get(5)?,
        msoa_name: r.get(6)?,
        la_code: r.get(7)?,
        la_name: r.get(8)?,
        ward_code: r.get(9)?,
        ward_name: r.get(10)?,
        force: r.get(11)?,
    })
}

/// The postcode as written by anyone ("b11ay", " B1  1AY "), normalised; `None` if it is not
/// the shape of a UK postcode (outward code of 2–4 characters, inward code digit + two
/// letters).
pub fn normalise_postcode(text: &str) -> Option<String> {
    normalise_postcode_inline(text).map(String::from)
}

/// [`normalise_postcode`] kept inline (at most 8 bytes), for an import that normalises one
/// per line and would otherwise allocate each.
pub fn normalise_postcode_inline(text: &str) -> Option<compact_str::CompactString> {
    let mut compact = [0u8; 7];
    let mut len = 0;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if !c.is_ascii() || len == compact.len() {
            return None;
        }
        compact[len] = c.to_ascii_uppercase() as u8;
        len += 1;
    }
    if len < 5 {
        return None;
    }
    let (outward, inward) = compact[..len].split_at(len - 3);
    let inward_ok = inward[0].is_ascii_digit() && inward[1].is_ascii_alphabetic() && inward[2].is_ascii_alphabetic();
    let outward_ok = outward[0].is_ascii_alphabetic() && outward.iter().all(|c| c.is_ascii_alphanumeric());
    if !(inward_ok && outward_ok) {
        return None;
    }
    let mut normal = compact_str::CompactString::default();
    // ASCII alphanumerics, checked above.
    normal.extend(outward.iter().map(|&b| b as char));
    normal.push(' ');
    normal.extend(inward.iter().map(|&b| b as char));
    Some(normal)
}

pub(crate) fn postcode(c: &mut dyn Conn, text: &str) -> Result<Option<PostcodeRecord>> {
    let Some(pc) = normalise_postcode(text) else {
        return Err(StoreError::Invalid(format!("'{text}' is not a postcode")));
    };
    let sql = format!("SELECT {} FROM postcode WHERE postcode = $1", POSTCODE_FIELDS.join(", "));
    c.query_opt(&sql, args![pc])?.map(|r| postcode_row(&r)).transpose()
}

const BOUNDARY_FIELDS: [&str; 7] =
    ["code", "name", "force", "centroid_easting", "centroid_northing", "area_m2", "polygon"];

pub(crate) fn save_boundaries(tx: &mut Tx, batch: &BoundaryBatch) -> Result<SaveReport> {
    let inserted = upsert(tx, "lsoa_boundary", &BOUNDARY_FIELDS, "code", &batch.rows, |b| {
        vec![
            b.code.to_param(),
            b.name.to_param(),
            match b.force {
                Some(f) => Param::Int(i64::from(f)),
                None => Option::<i64>::None.to_param(),
            },
            b.centroid_easting.to_param(),
            b.centroid_northing.to_param(),
            b.area_m2.to_param(),
            b.polygon.to_param(),
        ]
    })?;
    Ok(SaveReport { inserted, replaced: batch.rows.len() as u64 - inserted.min(batch.rows.len() as u64) })
}

/// A force's LSOA boundaries, by code.
pub(crate) fn boundaries(c: &mut dyn Conn, force: u16) -> Result<Vec<LsoaBoundary>> {
    let sql = format!("SELECT {} FROM lsoa_boundary WHERE force = $1 ORDER BY code", BOUNDARY_FIELDS.join(", "));
    c.query(&sql, args![i64::from(force)])?
        .iter()
        .map(|r| {
            Ok(LsoaBoundary {
                code: r.get(0)?,
                name: r.get(1)?,
                force: r.get(2)?,
                centroid_easting: r.get(3)?,
                centroid_northing: r.get(4)?,
                area_m2: r.get(5)?,
                polygon: r.get(6)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::normalise_postcode;

    #[test]
    fn postcodes_are_read_however_they_are_written() {
        assert_eq!(normalise_postcode("b11ay").as_deref(), Some("B1 1AY"));
        assert_eq!(normalise_postcode(" B1  1AY ").as_deref(), Some("B1 1AY"));
        assert_eq!(normalise_postcode("WS10 0AA").as_deref(), Some("WS10 0AA"));
        assert_eq!(normalise_postcode("LS1 1UR").as_deref(), Some("LS1 1UR"));
        for bad in ["", "B1", "11AAY", "B1 AAY", "B1 1A1", "TOOLONG 1AA", "B1 1ÁY"] {
            assert_eq!(normalise_postcode(bad), None, "{bad}");
        }
    }
}
