//! A force's crimes from its previous system (`peel import crimes FILE.csv`), one crime per
//! line:
//!
//! `reference,recorded_at,occurred_at,offence_code,postcode,easting,northing,flags,victim_age,victim_sex,outcome_type,outcome_date,team`
//!
//! Times "YYYY-MM-DDTHH:MM" (local), the outcome date "YYYY-MM-DD"; the offence as the Home
//! Office code; the place as a postcode or an Ordnance Survey grid point (or both); flags in
//! Peel's words separated by ';'. Only reference, recorded_at and offence_code are required.
//!
//! Each line is checked and resolved here, in memory: the offence to its police.uk category
//! and the Cambridge Crime Harm Index weight of its exact subgroup, the flags to their bit
//! set, the place to its areas through the postcode gazetteer ([`Gazetteer`], loaded from the
//! store once per import):
//! - a postcode the gazetteer holds gives its row's areas, and its grid point when the line
//!   gives none;
//! - a grid point with no postcode the gazetteer holds takes the areas of the nearest
//!   gazetteer postcode within [`NEAREST_WITHIN_M`] metres (the gazetteer's postcodes are
//!   its only places: the nearest one lies, nearly always, in the same LSOA);
//! - a well-formed postcode the gazetteer lacks (a new or retired one, or one outside the
//!   forces imported) is no error: it is kept, and the place's areas are unknown, counted in
//!   the summary.
//!
//! A reference appearing on two lines keeps the later line (a correction later in an
//! export), as police.uk's Crime IDs do.

use crate::csvfile::{CsvFile, Row};
use crate::problem::{FileError, RowProblem};
use crate::Progress;
use foldhash::fast::RandomState;
use peel_domain::date::{Date, Timestamp};
use peel_domain::{flags, harm, offence, outcome};
use peel_store::{
    keep_last_by, normalise_postcode_inline, CompactString, CrimeFactBatch, ImportedCrime, PlaceAreas, PostcodeRecord,
    NONE,
};
use std::collections::HashMap;
use std::path::Path;

pub const COLUMNS: [&str; 13] = [
    "reference",
    "recorded_at",
    "occurred_at",
    "offence_code",
    "postcode",
    "easting",
    "northing",
    "flags",
    "victim_age",
    "victim_sex",
    "outcome_type",
    "outcome_date",
    "team",
];

/// How far a grid point may be from the nearest gazetteer postcode for it to take that
/// postcode's areas: postcodes are at most a few hundred metres apart where people live;
/// farther than this, the point is moorland or an error, and its areas are left unknown.
pub const NEAREST_WITHIN_M: i64 = 2_000;

/// The grid square the gazetteer is bucketed by: small, so that in a city centre (hundreds of
/// postcodes a square kilometre) the search looks at a few squares' postcodes, not thousands.
const CELL_M: i32 = 250;

/// Great Britain's extent on the National Grid, metres: a point outside is a typing error
/// (swapped or truncated figures, latitude and longitude given instead).
pub const GB_EASTING: std::ops::RangeInclusive<i32> = 0..=700_000;
pub const GB_NORTHING: std::ops::RangeInclusive<i32> = 0..=1_300_000;

/// The oldest victim age accepted.
pub const MAX_AGE: u8 = 120;

/// The postcode gazetteer in memory: postcode → row, and rows by 250 m grid square. Both
/// are looked up once per line of an import, so both hold their keys inline (a postcode
/// packed in a `u64`, each square's points beside their rows' numbers): no pointer to follow
/// into the records, whose strings lie all over memory.
pub struct Gazetteer {
    rows: Vec<PostcodeRecord>,
    by_postcode: HashMap<u64, u32, RandomState>,
    cells: Squares,
}

/// (easting, northing, row) of the postcodes in each grid square.
type Squares = HashMap<(i32, i32), Vec<(i32, i32, u32)>, RandomState>;

/// A normalised postcode ("WV14 7PB": at most 8 ASCII characters) as one number; `None` for
/// anything longer, which no gazetteer row holds.
fn packed(postcode: &str) -> Option<u64> {
    let b = postcode.as_bytes();
    (b.len() <= 8).then(|| b.iter().fold(0u64, |k, &c| (k << 8) | u64::from(c)))
}

impl Gazetteer {
    pub fn new(rows: Vec<PostcodeRecord>) -> Gazetteer {
        let mut by_postcode = HashMap::with_capacity_and_hasher(rows.len(), RandomState::default());
        let mut cells = Squares::default();
        for (i, r) in rows.iter().enumerate() {
            if let Some(k) = packed(&r.postcode) {
                by_postcode.insert(k, i as u32);
            }
            let (e, n) = (r.easting as i32, r.northing as i32);
            cells.entry(cell(e, n)).or_default().push((e, n, i as u32));
        }
        Gazetteer { rows, by_postcode, cells }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn row(&self, i: u32) -> &PostcodeRecord {
        &self.rows[i as usize]
    }

    /// The row of a normalised postcode.
    pub fn postcode(&self, postcode: &str) -> Option<u32> {
        self.by_postcode.get(&packed(postcode)?).copied()
    }

    /// The gazetteer postcode nearest the grid point, if one is within
    /// [`NEAREST_WITHIN_M`]; of two as near, the first in the gazetteer.
    ///
    /// Squares are searched in rings outwards from the point's: after ring r, every square not
    /// yet searched is at least r squares' width away, so once the best found is nearer than
    /// that, no other can beat or tie it.
    pub fn nearest(&self, easting: i32, northing: i32) -> Option<u32> {
        let (cx, cy) = cell(easting, northing);
        let cell_m = i64::from(CELL_M);
        let mut best: Option<(i64, u32)> = None;
        for r in 0..=(NEAREST_WITHIN_M / cell_m) as i32 + 1 {
            for dx in -r..=r {
                for dy in -r..=r {
                    if dx.abs().max(dy.abs()) != r {
                        continue;
                    }
                    for &(e, n, i) in self.cells.get(&(cx + dx, cy + dy)).into_iter().flatten() {
                        let (ex, ny) = (i64::from(e) - i64::from(easting), i64::from(n) - i64::from(northing));
                        let d2 = ex * ex + ny * ny;
                        if d2 <= NEAREST_WITHIN_M * NEAREST_WITHIN_M && best.is_none_or(|b| (d2, i) < b) {
                            best = Some((d2, i));
                        }
                    }
                }
            }
            let searched = i64::from(r) * cell_m;
            if best.is_some_and(|(d2, _)| d2 < searched * searched) {
                break;
            }
        }
        best.map(|b| b.1)
    }
}

fn cell(easting: i32, northing: i32) -> (i32, i32) {
    (easting.div_euclid(CELL_M), northing.div_euclid(CELL_M))
}

/// A crimes file parsed whole ([`parse_file`]).
pub struct ParsedCrimes {
    pub batch: CrimeFactBatch,
    pub read: CrimesRead,
}

/// What reading a crimes file found, besides its crimes.
#[derive(Debug, Default)]
pub struct CrimesRead {
    pub problems: Vec<RowProblem>,
    pub rows_read: u64,
    /// Lines whose reference a later line of the file repeats (the later line is kept), in
    /// one part or across parts.
    pub repeated_keys: u64,
    /// Crimes with a postcode the gazetteer does not hold (kept as given).
    pub unknown_postcodes: u64,
    /// Crimes with a postcode or grid point whose areas are nonetheless unknown: a postcode
    /// the gazetteer lacks and no grid point, or no gazetteer postcode within reach.
    pub unplaced: u64,
    /// Crimes with neither postcode nor grid point.
    pub no_place: u64,
}

/// The crimes of `path` for `force` (peel-domain `Force::code`), each line checked and its
/// place resolved through `gazetteer`, as one batch.
pub fn parse_file(
    path: &Path,
    force: u16,
    gazetteer: &Gazetteer,
    progress: &mut dyn Progress,
) -> Result<ParsedCrimes, FileError> {
    let mut parts = Vec::new();
    let read = parse_parts(path, force, gazetteer, usize::MAX, progress, &mut |part| {
        parts.push(part);
        true
    })?;
    Ok(ParsedCrimes { batch: CrimeFactBatch::gather(parts), read })
}

/// The crimes of `path` in parts of `part_rows` lines, each handed to `part` as soon as it is
/// read (rows sorted by reference, each reference once in the part, places of its own; its
/// `refused` the part's bad lines, its `repeated_before` its rows whose reference an earlier
/// part had). The last part, possibly empty, is always handed over for a file read to its
/// end. Reading stops early when `part` returns false.
pub fn parse_parts(
    path: &Path,
    force: u16,
    gazetteer: &Gazetteer,
    part_rows: usize,
    progress: &mut dyn Progress,
    part: &mut dyn FnMut(CrimeFactBatch) -> bool,
) -> Result<CrimesRead, FileError> {
    let mut file = CsvFile::open(path, progress)?;
    // Exactly this header: a file of another shape is another export, not this one misread.
    if !file.header.iter().map(String::as_str).eq(COLUMNS.iter().copied()) {
        return Err(FileError::Header {
            path: path.to_path_buf(),
            line: 1,
            message: format!("expected exactly the columns {}, found {}", COLUMNS.join(","), file.header.join(",")),
        });
    }
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut read = CrimesRead::default();
    // References of the parts handed over: a later part's line for one of them replaces it.
    let mut seen = References::default();
    let mut finish =
        |rows: &mut Vec<ImportedCrime>, places: &mut Vec<PlaceAreas>, refused: &mut u64, read: &mut CrimesRead| {
            // Sorted by reference, the order of the store's reference index (stable: a repeated reference's lines stay in
            // file order), each reference once, its last line kept.
            let mut rows = std::mem::take(rows);
            let before = rows.len();
            keep_last_by(&mut rows, |a: &ImportedCrime, b| a.reference.cmp(&b.reference));
            read.repeated_keys += (before - rows.len()) as u64;
            let repeated_before = rows.iter().filter(|r| !seen.insert(&r.reference)).count() as u64;
            read.repeated_keys += repeated_before;
            CrimeFactBatch {
                file_name: file_name.clone(),
                force,
                refused: std::mem::take(refused),
                repeated_before,
                all_or_nothing: false,
                places: std::mem::take(places),
                rows,
            }
        };
    // Gazetteer row → index into the part's places.
    // Room for a part at once rather than grown by doubling (address space only until used;
    // bounded for a caller asking for parts of any size, whose rows grow as they come).
    let room = part_rows.min(1 << 17);
    let mut place_of: HashMap<u32, u32, RandomState> =
        HashMap::with_capacity_and_hasher(room.min(gazetteer.len()), RandomState::default());
    let (mut rows, mut places, mut refused) = (Vec::with_capacity(room), Vec::new(), 0u64);
    let mut offences = Offences::default();
    while let Some(line) = file.next_row(progress, |row| crime(&row, gazetteer, &mut offences))? {
        match line.and_then(|r| r) {
            Ok((mut crime, place, postcode_known)) => {
                match place {
                    Place::Gazetteer(g) => {
                        crime.place = *place_of.entry(g).or_insert_with(|| {
                            let r = gazetteer.row(g);
                            places.push(PlaceAreas {
                                lsoa_code: r.lsoa_code.as_str().into(),
                                msoa_code: r.msoa_code.as_deref().map(CompactString::from),
                                ward_code: r.ward_code.as_deref().map(CompactString::from),
                                la_code: r.la_code.as_deref().map(CompactString::from),
                            });
                            places.len() as u32 - 1
                        });
                    }
                    Place::Unknown => read.unplaced += 1,
                    Place::None => read.no_place += 1,
                }
                if crime.postcode.is_some() && !postcode_known {
                    read.unknown_postcodes += 1;
                }
                rows.push(crime);
                if rows.len() >= part_rows {
                    place_of.clear();
                    let batch = finish(&mut rows, &mut places, &mut refused, &mut read);
                    // The next part's room at once, as the first's.
                    rows.reserve(room);
                    if !part(batch) {
                        read.rows_read = file.rows_read();
                        return Ok(read);
                    }
                }
            }
            Err(p) => {
                refused += 1;
                read.problems.push(p)
            }
        }
    }
    let batch = finish(&mut rows, &mut places, &mut refused, &mut read);
    read.rows_read = file.rows_read();
    part(batch);
    Ok(read)
}

/// A set of references kept in one string (a million references would otherwise be a
/// million allocations, a tenth of the reading of a million-line file).
#[derive(Default)]
struct References {
    text: String,
    /// (start, end) in `text`.
    table: hashbrown::HashTable<(usize, usize)>,
    hasher: RandomState,
}

impl References {
    /// Adds `reference`; false if it was already there.
    fn insert(&mut self, reference: &str) -> bool {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one(reference);
        let text = &self.text;
        if self.table.find(hash, |&(a, b)| &text[a..b] == reference).is_some() {
            return false;
        }
        let start = self.text.len();
        self.text.push_str(reference);
        let (text, hasher) = (&self.text, &self.hasher);
        self.table.insert_unique(hash, (start, text.len()), |&(a, b)| hasher.hash_one(&text[a..b]));
        true
    }
}

/// Offence codes as written in the file → the offence and its harm weight: the lookups
/// search tables by name, and a million lines use a few dozen codes.
#[derive(Default)]
struct Offences(HashMap<String, Option<(offence::Offence, Option<f64>)>, RandomState>);

impl Offences {
    fn get(&mut self, code: &str) -> Option<(offence::Offence, Option<f64>)> {
        if let Some(o) = self.0.get(code) {
            return *o;
        }
        let o = offence::by_code(code).map(|o| (o, harm::subgroup_weight(o.subgroup)));
        self.0.insert(code.to_string(), o);
        o
    }
}

/// Where a line's crime is, as far as the gazetteer says.
enum Place {
    Gazetteer(u32),
    /// A postcode or point given, its areas not found.
    Unknown,
    None,
}

/// A line's crime, where it is, and whether the gazetteer holds its postcode.
fn crime(
    row: &Row,
    gazetteer: &Gazetteer,
    offences: &mut Offences,
) -> Result<(ImportedCrime, Place, bool), RowProblem> {
    let text = |i: usize| row.text(i).map(str::trim);
    let optional = |i: usize| text(i).map(|t| (!t.is_empty()).then_some(t));
    let required = |i: usize| -> Result<&str, RowProblem> {
        let t = text(i)?;
        if t.is_empty() {
            return Err(row.problem(COLUMNS[i], "required, and blank"));
        }
        Ok(t)
    };

    let reference = required(0)?;
    if reference.len() > 64 {
        return Err(row.problem("reference", format!("{} characters, over the 64 a reference may be", reference.len())));
    }
    let time = |i: usize, t: &str| Timestamp::parse(t).map_err(|e| row.problem(COLUMNS[i], e.0));
    let recorded_text = required(1)?;
    let recorded = time(1, recorded_text)?;
    let occurred_text = optional(2)?;
    if let Some(t) = occurred_text {
        if time(2, t)? > recorded {
            return Err(row.problem("occurred_at", format!("'{t}' is after the crime was recorded ({recorded_text})")));
        }
    }
    let code = required(3)?;
    let (offence, harm_days) = offences
        .get(code)
        .ok_or_else(|| row.problem("offence_code", format!("'{code}' is not a Home Office offence code")))?;

    let postcode = match optional(4)? {
        Some(t) => Some(
            normalise_postcode_inline(t)
                .ok_or_else(|| row.problem("postcode", format!("'{t}' is not the shape of a UK postcode")))?,
        ),
        None => None,
    };
    let grid = |i: usize, range: &std::ops::RangeInclusive<i32>| -> Result<Option<i32>, RowProblem> {
        let Some(t) = optional(i)? else { return Ok(None) };
        let v: i32 = t.parse().map_err(|_| row.problem(COLUMNS[i], format!("'{t}' is not whole metres")))?;
        if !range.contains(&v) {
            return Err(row.problem(
                COLUMNS[i],
                format!("{v} is outside Great Britain ({}-{} metres)", range.start(), range.end()),
            ));
        }
        Ok(Some(v))
    };
    let (easting, northing) = match (grid(5, &GB_EASTING)?, grid(6, &GB_NORTHING)?) {
        (Some(e), Some(n)) => (Some(e), Some(n)),
        (None, None) => (None, None),
        (Some(_), None) => return Err(row.problem("northing", "blank, but easting is given: a point needs both")),
        (None, Some(_)) => return Err(row.problem("easting", "blank, but northing is given: a point needs both")),
    };

    let mut flag_bits = 0;
    for word in optional(7)?.unwrap_or("").split(';').map(str::trim).filter(|w| !w.is_empty()) {
        flag_bits |= flags::bit(word).map_err(|e| row.problem("flags", e.message))?;
    }

    let victim_age = match optional(8)? {
        Some(t) => Some(
            t.parse::<u8>()
                .ok()
                .filter(|a| *a <= MAX_AGE)
                .ok_or_else(|| row.problem("victim_age", format!("'{t}' is not an age 0-{MAX_AGE}")))?,
        ),
        None => None,
    };
    let victim_sex = match optional(9)? {
        Some(t) => Some(match t.to_ascii_lowercase().as_str() {
            "f" | "female" => "F",
            "m" | "male" => "M",
            "x" | "other" => "X",
            "u" | "unknown" | "not known" => "U",
            _ => {
                return Err(row.problem(
                    "victim_sex",
                    format!("'{t}' is not one of F (female), M (male), X (other), U (not known)"),
                ))
            }
        }),
        None => None,
    };

    let outcome_type = match optional(10)? {
        Some(t) => Some(
            t.parse::<u8>()
                .ok()
                .filter(|n| outcome::police_uk_wording(Some(*n)).is_some())
                .ok_or_else(|| row.problem("outcome_type", format!("'{t}' is not a Home Office outcome type 0-22")))?,
        ),
        None => None,
    };
    let outcome_date = match optional(11)? {
        Some(t) => {
            let d = Date::parse(t).map_err(|e| row.problem("outcome_date", e.0))?;
            if d < recorded.date() {
                return Err(
                    row.problem("outcome_date", format!("'{t}' is before the crime was recorded ({recorded_text})"))
                );
            }
            Some(CompactString::from(t))
        }
        None => None,
    };
    match (outcome_type, &outcome_date) {
        // Type 0 is "not yet assigned": no outcome, so no date.
        (Some(n), None) if n > 0 => {
            return Err(row.problem("outcome_date", format!("blank, but outcome type {n} is given: when was it?")))
        }
        (None | Some(0), Some(_)) => {
            return Err(row.problem("outcome_type", "blank or 0, but an outcome date is given: which outcome?"))
        }
        _ => {}
    }

    let known = postcode.as_deref().and_then(|p| gazetteer.postcode(p));
    let (place, easting, northing) = match (known, easting.zip(northing)) {
        (Some(g), point) => {
            let r = gazetteer.row(g);
            let (e, n) = point.unwrap_or((r.easting as i32, r.northing as i32));
            (Place::Gazetteer(g), Some(e), Some(n))
        }
        (None, Some((e, n))) => match gazetteer.nearest(e, n) {
            Some(g) => (Place::Gazetteer(g), Some(e), Some(n)),
            None => (Place::Unknown, Some(e), Some(n)),
        },
        (None, None) if postcode.is_some() => (Place::Unknown, None, None),
        (None, None) => (Place::None, None, None),
    };

    Ok((
        ImportedCrime {
            line: row.line as u32,
            reference: reference.into(),
            recorded_at: recorded_text.into(),
            occurred_at: occurred_text.map(CompactString::from),
            offence_code: offence.code,
            category: offence.category.code(),
            harm_days,
            flags: flag_bits,
            postcode,
            easting,
            northing,
            place: NONE,
            victim_age,
            victim_sex,
            outcome_type,
            outcome_date,
            team: optional(12)?.map(CompactString::from),
        },
        place,
        known.is_some(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NoProgress;

    fn pc(postcode: &str, easting: u32, northing: u32, lsoa: &str) -> PostcodeRecord {
        PostcodeRecord {
            postcode: postcode.into(),
            easting,
            northing,
            quality: 10,
            lsoa_code: lsoa.into(),
            msoa_code: None,
            msoa_name: None,
            la_code: Some("E08000025".into()),
            la_name: None,
            ward_code: None,
            ward_name: None,
            force: None,
        }
    }

    fn gazetteer() -> Gazetteer {
        Gazetteer::new(vec![
            pc("B1 1AY", 406_523, 286_448, "E01033625"),
            pc("B1 1BA", 406_875, 286_393, "E01033615"),
            pc("B1 1ZZ", 407_999, 286_000, "E01000009"),
        ])
    }

    #[test]
    fn the_nearest_postcode_within_two_kilometres_across_grid_squares() {
        let g = gazetteer();
        assert_eq!(g.nearest(406_880, 286_390), Some(1));
        assert_eq!(g.nearest(406_600, 286_448), Some(0));
        // Over a square's edge (408 000 is the next square) the nearest is still found.
        assert_eq!(g.nearest(408_001, 286_000), Some(2));
        // 2 km away exactly is in reach; a metre more is not.
        assert_eq!(g.nearest(409_999, 286_000), Some(2));
        assert_eq!(g.nearest(410_000, 286_000), None);
        assert_eq!(g.postcode("B1 1BA"), Some(1));
        assert_eq!(g.postcode("B1 1XX"), None);
    }

    #[test]
    fn the_ring_search_finds_what_looking_at_every_postcode_finds() {
        // A dense, irregular scatter: 2,000 postcodes over 6 km square, some at one point.
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let rows: Vec<PostcodeRecord> = (0..2_000)
            .map(|i| pc(&format!("B{i}"), 400_000 + next(6_000) as u32, 280_000 + next(6_000) as u32, "E0"))
            .collect();
        let g = Gazetteer::new(rows.clone());
        for _ in 0..2_000 {
            let (e, n) = (398_000 + next(10_000) as i32, 278_000 + next(10_000) as i32);
            let brute = rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    (
                        (i64::from(r.easting) - i64::from(e)).pow(2) + (i64::from(r.northing) - i64::from(n)).pow(2),
                        i as u32,
                    )
                })
                .filter(|(d2, _)| *d2 <= NEAREST_WITHIN_M * NEAREST_WITHIN_M)
                .min()
                .map(|b| b.1);
            assert_eq!(g.nearest(e, n), brute, "at {e}, {n}");
        }
    }

    #[test]
    fn a_repeated_reference_keeps_its_later_line_and_rows_come_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.csv");
        std::fs::write(
            &path,
            format!(
                "{}\nB,2025-03-01T10:00,,8N,B1 1AY,,,,,,,,\nA,2025-03-01T10:00,,8N,,406880,286390,,,,,,\n\
                 B,2025-03-02T10:00,,28E,B1 9ZZ,,,,,,,,\nC,2025-03-01T10:00,,AF,,,,,,,,,\n",
                COLUMNS.join(",")
            ),
        )
        .unwrap();
        let p = parse_file(&path, 20, &gazetteer(), &mut NoProgress).unwrap();
        assert!(p.read.problems.is_empty(), "{:?}", p.read.problems);
        let refs: Vec<(&str, u32)> = p.batch.rows.iter().map(|r| (r.reference.as_str(), r.line)).collect();
        assert_eq!(refs, [("A", 3), ("B", 4), ("C", 5)]);
        assert_eq!(p.read.repeated_keys, 1);
        // B's later line: burglary at a postcode the gazetteer lacks (kept, place unknown).
        let b = &p.batch.rows[1];
        assert_eq!(
            (b.offence_code, b.harm_days, b.postcode.as_deref(), b.place),
            ("28E", Some(273.5), Some("B1 9ZZ"), NONE)
        );
        assert_eq!((p.read.unknown_postcodes, p.read.unplaced, p.read.no_place), (1, 1, 1));
        // A's grid point takes B1 1BA's LSOA; C (fraud) has no harm weight.
        assert_eq!(p.batch.places[p.batch.rows[0].place as usize].lsoa_code, "E01033615");
        assert_eq!(p.batch.rows[2].harm_days, None);
    }

    #[test]
    fn a_file_of_another_shape_is_refused_at_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.csv");
        std::fs::write(&path, "reference,recorded_at\nA,2025-03-01T10:00\n").unwrap();
        let e = parse_file(&path, 20, &gazetteer(), &mut NoProgress).err().unwrap();
        assert!(
            e.to_string().contains(":1: header: expected exactly the columns reference,recorded_at,occurred_at"),
            "{e}"
        );
    }
}
