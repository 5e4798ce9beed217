//! police.uk street-level records as the store keeps them: column chunks, one row of
//! `street_chunk` per force, month and part of an imported file (migration 27).
//!
//! Why chunks rather than a row per record. police.uk publishes a force's month at a time, an
//! import writes a file's months whole, and every analysis reads a force's months whole:
//! nothing reads one police.uk record by its Crime ID except the import, to replace a record
//! imported before. A row per record made SQLite seek its 32-byte key through the table's
//! B-tree for every record (about 0.9 µs each: 1.5 million rows took 2.5 s, issue 12 asks
//! for 1,000,000 a second), and PostgreSQL keep an index entry per record besides. A chunk is
//! one row holding thousands of records as columns, written with one statement; for a month
//! new to the store (the usual import) the look for records stored before finds nothing, and
//! a record imported again is found by reading the keys of that one force and month.
//!
//! The format, written and read only here. Integers are big-endian, so that migration 27 can
//! build chunks from the old table in SQL (hexadecimal text, then bytes) on both databases.
//!
//! `columns`, for `n` records: `n` bytes of category (`Category::code`), then `n` × u16
//! reporting force (`Force::code`), then `n` × u32 each of the LSOA, snap point and outcome
//! ids (0 where the record has none: ids start at 1 on both databases), then `n` × u32 line.
//!
//! `keys`: for each record in the same order, a u16 length and the key's bytes
//! ([`crate::RecordKey::bytes`]: a hash Crime ID's 32 bytes, 'C' and any other Crime ID,
//! 'L' and the file id and line for a record without one).

use crate::{Result, StoreError};

/// One chunk's records as columns: the store's ids, 0 for none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ChunkColumns {
    pub(crate) category: Vec<u8>,
    pub(crate) reported_by: Vec<u16>,
    pub(crate) lsoa: Vec<u32>,
    pub(crate) point: Vec<u32>,
    pub(crate) outcome: Vec<u32>,
    pub(crate) line: Vec<u32>,
}

/// Bytes of `columns` per record.
const COLUMN_BYTES: usize = 1 + 2 + 4 + 4 + 4 + 4;

impl ChunkColumns {
    pub(crate) fn with_capacity(n: usize) -> ChunkColumns {
        ChunkColumns {
            category: Vec::with_capacity(n),
            reported_by: Vec::with_capacity(n),
            lsoa: Vec::with_capacity(n),
            point: Vec::with_capacity(n),
            outcome: Vec::with_capacity(n),
            line: Vec::with_capacity(n),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.category.len()
    }

    pub(crate) fn push(&mut self, category: u8, reported_by: u16, lsoa: u32, point: u32, outcome: u32, line: u32) {
        self.category.push(category);
        self.reported_by.push(reported_by);
        self.lsoa.push(lsoa);
        self.point.push(point);
        self.outcome.push(outcome);
        self.line.push(line);
    }

    /// The records at `keep` (positions in order), the rest left out.
    pub(crate) fn keep(&self, keep: &[usize]) -> ChunkColumns {
        let mut out = ChunkColumns::with_capacity(keep.len());
        for &i in keep {
            out.push(self.category[i], self.reported_by[i], self.lsoa[i], self.point[i], self.outcome[i], self.line[i]);
        }
        out
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len() * COLUMN_BYTES);
        out.extend_from_slice(&self.category);
        out.extend(self.reported_by.iter().flat_map(|v| v.to_be_bytes()));
        for column in [&self.lsoa, &self.point, &self.outcome, &self.line] {
            out.extend(column.iter().flat_map(|v| v.to_be_bytes()));
        }
        out
    }

    pub(crate) fn decode(bytes: &[u8], n: usize) -> Result<ChunkColumns> {
        let view = ColumnsView::new(bytes, n)?;
        let u16s = |b: &[u8]| b.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        let u32s = |b: &[u8]| b.chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]])).collect();
        Ok(ChunkColumns {
            category: view.category.to_vec(),
            reported_by: u16s(view.reported_by),
            lsoa: u32s(view.lsoa),
            point: u32s(view.point),
            outcome: u32s(view.outcome),
            line: u32s(view.line),
        })
    }
}

/// The columns of a stored chunk where they lie, for a read that wants only some of them.
pub(crate) struct ColumnsView<'a> {
    pub(crate) category: &'a [u8],
    pub(crate) reported_by: &'a [u8],
    pub(crate) lsoa: &'a [u8],
    pub(crate) point: &'a [u8],
    pub(crate) outcome: &'a [u8],
    pub(crate) line: &'a [u8],
}

impl<'a> ColumnsView<'a> {
    /// `bytes` as `n` records' columns; an error if it is not that long (a damaged store).
    pub(crate) fn new(bytes: &'a [u8], n: usize) -> Result<ColumnsView<'a>> {
        if n.checked_mul(COLUMN_BYTES) != Some(bytes.len()) {
            return Err(StoreError::Invalid(format!(
                "a street_chunk holds {} bytes of columns for {n} records, not {} as the format says",
                bytes.len(),
                n.saturating_mul(COLUMN_BYTES)
            )));
        }
        let (category, rest) = bytes.split_at(n);
        let (reported_by, rest) = rest.split_at(2 * n);
        let (lsoa, rest) = rest.split_at(4 * n);
        let (point, rest) = rest.split_at(4 * n);
        let (outcome, line) = rest.split_at(4 * n);
        Ok(ColumnsView { category, reported_by, lsoa, point, outcome, line })
    }

    /// A u32 column's values.
    pub(crate) fn u32s(column: &'a [u8]) -> impl Iterator<Item = u32> + 'a {
        column.chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
    }
}

/// Appends `key` to an encoded keys column.
pub(crate) fn push_key(keys: &mut Vec<u8>, key: &[u8]) -> Result<()> {
    let len = u16::try_from(key.len()).map_err(|_| {
        StoreError::Invalid(format!("a police.uk record key of {} bytes is longer than 65,535", key.len()))
    })?;
    keys.extend_from_slice(&len.to_be_bytes());
    keys.extend_from_slice(key);
    Ok(())
}

/// The keys of an encoded keys column, in order; an error if it does not hold `n` whole keys.
pub(crate) fn keys(bytes: &[u8], n: usize) -> Result<Vec<&[u8]>> {
    let mut out = Vec::with_capacity(n);
    let mut rest = bytes;
    while !rest.is_empty() {
        let damaged = || StoreError::Invalid("a street_chunk's keys are cut short (a damaged store)".into());
        let (len, after) = rest.split_first_chunk::<2>().ok_or_else(damaged)?;
        let len = usize::from(u16::from_be_bytes(*len));
        if after.len() < len {
            return Err(damaged());
        }
        let (key, after) = after.split_at(len);
        out.push(key);
        rest = after;
    }
    if out.len() != n {
        return Err(StoreError::Invalid(format!("a street_chunk holds {} keys for {n} records", out.len())));
    }
    Ok(out)
}

/// A store id as a chunk holds it; ids past u32 are refused rather than cut.
pub(crate) fn id32(id: Option<i64>, what: &str) -> Result<u32> {
    match id {
        None => Ok(0),
        Some(id) => u32::try_from(id).ok().filter(|&v| v != 0).ok_or_else(|| {
            StoreError::Invalid(format!("{what} id {id} is outside 1 to 4,294,967,295, which a street chunk holds"))
        }),
    }
}

/// A chunk's id back as the store's: 0 is none.
pub(crate) fn id64(v: u32) -> Option<i64> {
    (v != 0).then_some(i64::from(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_round_trip_and_a_short_chunk_is_refused() {
        let mut c = ChunkColumns::default();
        c.push(3, 13, 7, 0, u32::MAX, 2);
        c.push(255, 0xBEEF, 0, 1, 2, 1_000_000);
        let bytes = c.encode();
        assert_eq!(bytes.len(), 2 * COLUMN_BYTES);
        assert_eq!(ChunkColumns::decode(&bytes, 2).unwrap(), c);
        assert!(ChunkColumns::decode(&bytes[1..], 2).is_err());
        assert!(ChunkColumns::decode(&bytes, 3).is_err());
        assert_eq!(c.keep(&[1]).line, vec![1_000_000]);
        // Big-endian, as migration 27 writes them in SQL: category bytes first, then u16s.
        assert_eq!(&bytes[..4], &[3, 255, 0, 13]);
    }

    #[test]
    fn keys_round_trip_and_cut_keys_are_refused() {
        let mut k = Vec::new();
        push_key(&mut k, &[7u8; 32]).unwrap();
        push_key(&mut k, b"CABC").unwrap();
        push_key(&mut k, b"").unwrap();
        assert_eq!(keys(&k, 3).unwrap(), vec![&[7u8; 32][..], b"CABC", b""]);
        assert!(keys(&k, 2).is_err());
        assert!(keys(&k[..k.len() - 3], 3).is_err());
        assert!(push_key(&mut k, &vec![0u8; 70_000]).is_err());
    }

    #[test]
    fn ids_past_u32_are_refused_not_cut() {
        assert_eq!(id32(None, "lsoa").unwrap(), 0);
        assert_eq!(id32(Some(5), "lsoa").unwrap(), 5);
        assert!(id32(Some(1 << 32), "point").is_err());
        assert!(id32(Some(0), "point").is_err());
        assert_eq!(id64(0), None);
        assert_eq!(id64(9), Some(9));
    }
}
