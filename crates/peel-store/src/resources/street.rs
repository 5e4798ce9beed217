//! The public data Peel analyses: a force's police.uk street records written as column
//! chunks and read back as columns with their geography, what the store holds, Home Office
//! recorded crime. (A police.uk file's dictionaries — LSOAs, snap points, outcomes — and the
//! other imports write through each store's own fastest path, in `sqlite.rs` and
//! `postgres.rs`; the records themselves, and everything read, are here, once.)

use crate::dense::DenseIds;
use crate::records::{ForceHoldings, Holdings, RecordKey, RecordedCrime, StreetBatch, NONE};
use crate::sql::{args, Conn, Param, Row, ToParam};
use crate::street_chunk::{self, id32, id64, ChunkColumns, ColumnsView};
use crate::SaveReport;
use crate::{Result, StoreError};
use peel_analytics::{Geography, Lsoa, StreetColumns};
use peel_domain::YearMonth;
use std::collections::HashMap;

/// A force's street-level records from `from` to `to` inclusive, in column form with their
/// geography (which covers the force's LSOAs whatever the months).
pub(crate) fn load_between(
    c: &mut dyn Conn,
    force: u16,
    from: YearMonth,
    to: YearMonth,
) -> Result<(StreetColumns, Geography)> {
    let mut cols = StreetColumns::default();
    let (mut lsoas, mut points, mut outcomes) = (DenseIds::default(), DenseIds::default(), DenseIds::default());
    c.for_each_row(
        "SELECT month, rows, columns FROM street_chunk WHERE force = $1 AND month BETWEEN $2 AND $3
         ORDER BY month, id",
        args![i64::from(force), from.index(), to.index()],
        &mut |r| {
            let (month, n): (i32, usize) = (r.get(0)?, r.get(1)?);
            let view = ColumnsView::new(r.bytes(2)?, n)?;
            cols.month.extend(std::iter::repeat_n(month, n));
            cols.category.extend_from_slice(view.category);
            cols.lsoa.extend(ColumnsView::u32s(view.lsoa).map(|v| lsoas.dense(id64(v))));
            cols.point.extend(ColumnsView::u32s(view.point).map(|v| points.dense(id64(v))));
            cols.outcome.extend(ColumnsView::u32s(view.outcome).map(|v| outcomes.dense(id64(v))));
            Ok(())
        },
    )?;

    let d = c.dialect();
    let mut names: HashMap<i64, String> = HashMap::new();
    for r in c.query(
        &format!("SELECT id, name FROM outcome_category WHERE id IN (SELECT l.value FROM {})", d.id_list(1, "l")),
        args![outcomes.order],
    )? {
        names.insert(r.get(0)?, r.get(1)?);
    }
    cols.outcome_names = outcomes.order.iter().map(|id| names.remove(id).unwrap_or_default()).collect();

    // LSOAs: those the records use, then the rest of the force's by the ONS lookup (which
    // may have no crime but still have people and area).
    let mut by_id: HashMap<i64, Lsoa> = HashMap::new();
    let mut extra = Vec::new();
    let also = format!("id IN (SELECT l.value FROM {})", d.id_list(2, "l"));
    for (id, lsoa) in force_lsoas_and(c, force, &also, lsoas.order.to_param())? {
        if !lsoas.contains(id) {
            extra.push(id);
        }
        by_id.insert(id, lsoa);
    }
    let mut geo = Geography {
        lsoas: lsoas
            .order
            .iter()
            .chain(extra.iter())
            .map(|id| by_id.remove(id).ok_or_else(|| StoreError::Invalid(format!("lsoa {id} missing"))))
            .collect::<Result<_>>()?,
        ..Geography::default()
    };

    if let (Some(&lo), Some(&hi)) = (points.order.iter().min(), points.order.iter().max()) {
        let mut en = vec![(0.0, 0.0); points.order.len()];
        c.for_each_row(
            "SELECT id, easting, northing FROM point WHERE id BETWEEN $1 AND $2",
            args![lo, hi],
            &mut |r| {
                let i = points.index(r.get(0)?);
                if i != NONE {
                    en[i as usize] = (r.get(1)?, r.get(2)?);
                }
                Ok(())
            },
        )?;
        geo.points = en;
    }
    Ok((cols, geo))
}

/// The force's LSOAs by the ONS lookup and those the condition `also` (over parameter $2,
/// `list`) selects, in id order, with their ids.
pub(crate) fn force_lsoas_and(c: &mut dyn Conn, force: u16, also: &str, list: Param) -> Result<Vec<(i64, Lsoa)>> {
    let sql = format!(
        "SELECT id, code, name, msoa_name, la_name, persons, households, hectares, force FROM lsoa
         WHERE force = $1 OR {also} ORDER BY id"
    );
    c.query(&sql, &[Param::Int(i64::from(force)), list])?
        .iter()
        .map(|r| Ok((r.get(0)?, lsoa_from_row(r, force)?)))
        .collect()
}

/// An LSOA from a row of `id, code, name, msoa_name, la_name, persons, households, hectares,
/// force` of the `lsoa` table, as the analyses of `force` see it.
pub(crate) fn lsoa_from_row(r: &Row, force: u16) -> Result<Lsoa> {
    let in_force = r.get::<Option<u16>>(8)? == Some(force);
    let name: String = r.get::<Option<String>>(2)?.unwrap_or_default();
    let (la_guess, msoa_guess) = Lsoa::areas_from_name(&name);
    Ok(Lsoa {
        code: r.get(1)?,
        msoa_name: r.get::<Option<String>>(3)?.unwrap_or(msoa_guess),
        local_authority: r.get::<Option<String>>(4)?.unwrap_or(la_guess),
        name,
        persons: r.get::<Option<u64>>(5)?.unwrap_or(0),
        households: r.get::<Option<u64>>(6)?.unwrap_or(0),
        hectares: r.get::<Option<f64>>(7)?.unwrap_or(0.0),
        in_force,
    })
}

/// What the store holds, force by force.
pub(crate) fn holdings(c: &mut dyn Conn) -> Result<Holdings> {
    let mut h = Holdings::default();
    for r in c.query(
        "SELECT force, CAST(sum(rows) AS BIGINT), min(month), max(month) FROM street_chunk
         GROUP BY force ORDER BY force",
        args![],
    )? {
        h.street.push(ForceHoldings {
            force: r.get(0)?,
            rows: r.get(1)?,
            first_month: YearMonth::from_index(r.get(2)?),
            last_month: YearMonth::from_index(r.get(3)?),
            changes: 0,
        });
    }
    for r in c.query(
        "SELECT force, count(*), min(recorded_at), max(recorded_at),
                (SELECT x.changes FROM crime_fact_change x WHERE x.force = f.force)
         FROM crime_fact f GROUP BY force ORDER BY force",
        args![],
    )? {
        let month = |t: String| YearMonth::parse(&t[..7]).map_err(|e| StoreError::Invalid(e.to_string()));
        h.crime_facts.push(ForceHoldings {
            force: r.get(0)?,
            rows: r.get(1)?,
            first_month: month(r.get(2)?)?,
            last_month: month(r.get(3)?)?,
            changes: r.get::<Option<u64>>(4)?.unwrap_or(0),
        });
    }
    let r = c.query_one(
        "SELECT (SELECT count(*) FROM recorded_crime), (SELECT count(*) FROM lsoa),
                (SELECT count(*) FROM lsoa WHERE persons IS NOT NULL), (SELECT count(*) FROM source_file)",
        args![],
    )?;
    h.recorded_crime_rows = r.get(0)?;
    h.lsoas = r.get(1)?;
    h.lsoas_with_population = r.get(2)?;
    h.files = r.get(3)?;
    Ok(h)
}

/// Home Office recorded crime of one force.
/// People per force: ONS 2011 usual residents of the LSOAs the ONS lookup places in each
/// (forces with no LSOA with a population are left out).
pub(crate) fn force_populations(c: &mut dyn Conn) -> Result<Vec<(u16, u64)>> {
    let rows = c.query(
        "SELECT force, CAST(sum(persons) AS BIGINT) FROM lsoa WHERE force IS NOT NULL AND persons IS NOT NULL
         GROUP BY force ORDER BY force",
        args![],
    )?;
    rows.iter().map(|r| Ok((r.get::<u16>(0)?, r.get::<i64>(1)?.max(0) as u64))).collect()
}

pub(crate) fn recorded_crime(c: &mut dyn Conn, force: u16) -> Result<Vec<RecordedCrime>> {
    let rows = c.query(
        "SELECT line, force, financial_year, quarter, offence_code, offences FROM recorded_crime
         WHERE force = $1 ORDER BY financial_year, quarter, offence_code",
        args![i64::from(force)],
    )?;
    rows.iter()
        .map(|r| {
            Ok(RecordedCrime {
                line: r.get(0)?,
                force: r.get(1)?,
                financial_year: r.get(2)?,
                quarter: r.get(3)?,
                offence_code: r.get(4)?,
                offences: r.get(5)?,
            })
        })
        .collect()
}

/// What the writing of one police.uk file has done so far, kept across its parts.
#[derive(Default)]
pub(crate) struct StreetFileWrite {
    /// (force, month, reporting force) whose ASB rows stored before this file were taken out.
    asb_taken_out: std::collections::HashSet<(u16, i32, u16)>,
    /// ASB rows taken out in a force and month that the file's ASB rows have not yet stood
    /// for: the file's ASB rows count as replacing them, the rest as new.
    /// By force, month and reporting force. (Those left when the file ends are not reported:
    /// a month's file with fewer ASB rows than before leaves fewer, and says how many it
    /// brought.)
    asb_taken: std::collections::HashMap<(u16, i32, u16), u64>,
}

/// One part of a police.uk file written as column chunks, one per force and month of its
/// records (`crate::street_chunk`), in the caller's transaction. `lsoa_ids`, `point_ids` and
/// `outcome_ids` are the store's ids of the part's dictionaries, by position.
///
/// A record whose key (force, month and [`crate::RecordKey::bytes`]) is stored already, by an
/// earlier import or an earlier part of this file, replaces it: the chunk holding it is
/// written again without it (or deleted, if nothing of it is left). Finding them reads the
/// keys of that force and month only, so a month new to the store — the usual import — reads
/// nothing. A key twice in the part is one record, the later. ASB rows, which have no Crime
/// ID and are keyed by file and line, replace the month's ASB rows of the same reporting
/// force stored by any file before this one (see below); they count as replaced.
pub(crate) fn write_chunks(
    c: &mut dyn Conn,
    state: &mut StreetFileWrite,
    file_id: i64,
    batch: &StreetBatch,
    lsoa_ids: &[i64],
    point_ids: &[i64],
    outcome_ids: &[i64],
) -> Result<SaveReport> {
    type KeySet<'k> = HashMap<&'k [u8], usize, foldhash::fast::RandomState>;
    let pick = |ids: &[i64], i: u32| (i != NONE).then(|| ids[i as usize]);
    // The part's records by force and month, each group in the file's order.
    let mut order: Vec<u32> = (0..batch.rows.len() as u32).collect();
    order.sort_by_key(|&i| {
        let r = &batch.rows[i as usize];
        (r.force, r.month.index())
    });
    let keys: Vec<std::borrow::Cow<[u8]>> = batch.rows.iter().map(|r| r.key.bytes(file_id, r.line)).collect();
    let mut inserted = 0u64;
    for group in order.chunk_by(|&a, &b| {
        let (a, b) = (&batch.rows[a as usize], &batch.rows[b as usize]);
        (a.force, a.month) == (b.force, b.month)
    }) {
        let first = &batch.rows[group[0] as usize];
        let (force, month) = (i64::from(first.force), first.month.index());
        // Each key's last record in the group.
        let mut last: KeySet = HashMap::with_capacity_and_hasher(group.len(), Default::default());
        for (at, &i) in group.iter().enumerate() {
            last.insert(&keys[i as usize], at);
        }
        // PostgreSQL: writers of one force and month queue here, else two files' imports
        // would each find a key not yet stored and both store it, or rewrite one chunk from
        // what each read before the other committed. (A SQLite writer holds the whole store.)
        if c.dialect() == crate::sql::Dialect::Postgres {
            c.execute(
                "SELECT pg_advisory_xact_lock(hashtext('street:' || current_schema() || ':' || $1))",
                args![format!("{force}-{month}")],
            )?;
        }
        // Chunks of this force and month already stored: their records under these keys go.
        // (Those of this file's earlier parts too: a part holding months that earlier parts
        // held reads their keys again, which a file in month order, as police.uk's are, does
        // at most once a month.)
        let stored = c.query(
            "SELECT id, rows, keys FROM street_chunk WHERE force = $1 AND month = $2 ORDER BY id",
            args![force, month],
        )?;
        // ASB rows have no Crime ID: the month's ASB rows of a reporting force come again
        // with the month's file, under whatever name and on whatever lines (police.uk
        // republishes a month; a file is renamed). The first part of this file with ASB rows
        // of this force, month and reporting force takes out those stored before, of any file.
        // The part's ASB rows' reporting forces, one per row, in order.
        let mut new_asb: Vec<u16> = group
            .iter()
            .map(|&i| &batch.rows[i as usize])
            .filter(|r| r.key == RecordKey::Line)
            .map(|r| r.reported_by)
            .collect();
        new_asb.sort_unstable();
        let mut asb_again = new_asb.clone();
        asb_again.dedup();
        asb_again.retain(|&b| state.asb_taken_out.insert((first.force, month, b)));
        // Records this part replaces: those under its keys, and ASB rows taken out (by this
        // part or an earlier one of the file) that its ASB rows stand for.
        let (mut replaced_here, mut matched_asb) = (0u64, 0u64);
        for chunk in &stored {
            let (id, n): (i64, usize) = (chunk.get(0)?, chunk.get(1)?);
            let stored_keys = street_chunk::keys(chunk.bytes(2)?, n)?;
            let asb = |k: &[u8]| k.len() == 13 && k[0] == b'L';
            let may_go_as_asb = !asb_again.is_empty() && stored_keys.iter().any(|k| asb(k));
            let mut decoded = None;
            if may_go_as_asb {
                let columns = c.query_one("SELECT columns FROM street_chunk WHERE id = $1", args![id])?;
                decoded = Some(ChunkColumns::decode(columns.bytes(0)?, n)?);
            }
            let mut kept = Vec::with_capacity(n);
            for (i, key) in stored_keys.iter().enumerate() {
                if last.contains_key(key) {
                    replaced_here += 1;
                    matched_asb += u64::from(asb(key));
                } else if let Some(by) =
                    decoded.as_ref().map(|d| d.reported_by[i]).filter(|b| asb(key) && asb_again.contains(b))
                {
                    *state.asb_taken.entry((first.force, month, by)).or_default() += 1;
                } else {
                    kept.push(i);
                }
            }
            if kept.len() == n {
                continue;
            }
            if kept.is_empty() {
                c.execute("DELETE FROM street_chunk WHERE id = $1", args![id])?;
                continue;
            }
            let columns = match decoded {
                Some(d) => d.keep(&kept),
                None => {
                    let columns = c.query_one("SELECT columns FROM street_chunk WHERE id = $1", args![id])?;
                    ChunkColumns::decode(columns.bytes(0)?, n)?.keep(&kept)
                }
            };
            let mut new_keys = Vec::new();
            for &i in &kept {
                street_chunk::push_key(&mut new_keys, stored_keys[i])?;
            }
            c.execute(
                "UPDATE street_chunk SET rows = $2, columns = $3, keys = $4 WHERE id = $1",
                args![id, kept.len() as i64, columns.encode(), new_keys],
            )?;
        }
        let mut columns = ChunkColumns::with_capacity(last.len());
        let mut chunk_keys = Vec::with_capacity(last.len() * 34);
        for (at, &i) in group.iter().enumerate() {
            let key: &[u8] = &keys[i as usize];
            if last.get(key) != Some(&at) {
                continue;
            }
            let r = &batch.rows[i as usize];
            columns.push(
                r.category.code(),
                r.reported_by,
                id32(pick(lsoa_ids, r.lsoa), "lsoa")?,
                id32(pick(point_ids, r.point), "point")?,
                id32(pick(outcome_ids, r.outcome), "outcome")?,
                r.line,
            );
            street_chunk::push_key(&mut chunk_keys, key)?;
        }
        c.execute(
            "INSERT INTO street_chunk (force, month, file, rows, columns, keys) VALUES ($1, $2, $3, $4, $5, $6)",
            args![force, month, file_id, columns.len() as i64, columns.encode(), chunk_keys],
        )?;
        // The part's ASB rows not already counted as replacing a row under their own key
        // stand for those taken out of their reporting force's month.
        let mut unmatched = matched_asb;
        for run in new_asb.chunk_by(|a, b| a == b) {
            let count = (run.len() as u64).saturating_sub(std::mem::take(&mut unmatched));
            if let Some(taken) = state.asb_taken.get_mut(&(first.force, month, run[0])) {
                let stand_for = (*taken).min(count);
                *taken -= stand_for;
                replaced_here += stand_for;
            }
        }
        inserted += (columns.len() as u64).saturating_sub(replaced_here);
    }
    Ok(SaveReport { inserted, replaced: batch.rows.len() as u64 - inserted })
}
