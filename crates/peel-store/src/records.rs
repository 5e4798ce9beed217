//! What importers hand the store: batches already parsed and validated, with strings
//! dictionary-encoded once per file so that the store writes each distinct LSOA, snap point
//! and outcome once rather than once per row.

pub use compact_str::CompactString;
use peel_domain::{Category, YearMonth};

pub use peel_analytics::NONE;

/// Sorts `rows` by `order` and keeps one row of each run of equal rows: the last of the run
/// in the order `rows` had (a file's later line for a key repeated in it, as every import
/// counts a repeated key). The sort is stable, so "last" is well defined.
///
/// The rows' positions are sorted, not the rows: an import's row is a couple of hundred
/// bytes, and a sort moves each many times. The rows not kept are taken out and the rest put
/// in order in place, a swap at most per row, with no second copy of the rows.
pub fn keep_last_by<T>(rows: &mut Vec<T>, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    // Already in order with each key once (a file numbered as it was written): nothing to do.
    if rows.windows(2).all(|w| order(&w[0], &w[1]).is_lt()) {
        return;
    }
    let n = rows.len();
    let mut at: Vec<usize> = (0..n).collect();
    at.sort_by(|&a, &b| order(&rows[a], &rows[b]));
    // The last of each run of equal rows (stable: the run is in the rows' first order), in
    // the order they are to end in.
    let kept: Vec<usize> =
        (0..n).filter(|&k| k + 1 == n || !order(&rows[at[k]], &rows[at[k + 1]]).is_eq()).map(|k| at[k]).collect();
    drop(at);
    let mut is_kept = vec![false; n];
    for &i in &kept {
        is_kept[i] = true;
    }
    // Where each kept row stands once the others are taken out.
    let mut rank = vec![0usize; n];
    let mut r = 0;
    for i in 0..n {
        rank[i] = r;
        r += usize::from(is_kept[i]);
    }
    let mut flag = is_kept.iter();
    rows.retain(|_| *flag.next().expect("one flag a row"));
    // Row k of the result is the row now at from[k]: each cycle of that permutation followed
    // with swaps, a place marked done by pointing at itself.
    let mut from: Vec<usize> = kept.iter().map(|&i| rank[i]).collect();
    for start in 0..from.len() {
        let mut k = start;
        while from[k] != k {
            let src = from[k];
            from[k] = k;
            if src == start {
                break;
            }
            rows.swap(k, src);
            k = src;
        }
    }
}

/// How a street-level row is keyed for idempotent import.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RecordKey {
    /// A Crime ID that is 64 hex digits (police.uk's usual SHA-256), as its 32 bytes.
    Hash([u8; 32]),
    /// Any other Crime ID, as written.
    Text(String),
    /// No Crime ID (ASB rows): keyed by the file's name and this row's line.
    Line,
}

impl RecordKey {
    pub fn from_crime_id(id: &str) -> RecordKey {
        let id = id.trim();
        if id.is_empty() {
            return RecordKey::Line;
        }
        if id.len() == 64 {
            let mut out = [0u8; 32];
            let ok = id.as_bytes().chunks(2).zip(out.iter_mut()).all(|(pair, o)| {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(pair[0]), hex(pair[1])) {
                    (Some(h), Some(l)) => {
                        *o = (h * 16 + l) as u8;
                        true
                    }
                    _ => false,
                }
            });
            if ok {
                return RecordKey::Hash(out);
            }
        }
        RecordKey::Text(id.to_string())
    }

    /// The stored key. `Text` keys start with 'C' and line keys with 'L', and neither is 32
    /// bytes long unless a non-hex Crime ID is exactly 31 characters, which police.uk has
    /// never published.
    ///
    /// A hash key is the record's own 32 bytes, borrowed: nothing allocated for the rows
    /// that nearly every police.uk file is made of.
    pub fn bytes(&self, file_id: i64, line: u32) -> std::borrow::Cow<'_, [u8]> {
        match self {
            RecordKey::Hash(h) => std::borrow::Cow::Borrowed(&h[..]),
            RecordKey::Text(t) => {
                let mut v = Vec::with_capacity(t.len() + 1);
                v.push(b'C');
                v.extend_from_slice(t.as_bytes());
                v.into()
            }
            RecordKey::Line => {
                let mut v = Vec::with_capacity(13);
                v.push(b'L');
                v.extend_from_slice(&file_id.to_be_bytes());
                v.extend_from_slice(&line.to_be_bytes());
                v.into()
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StreetRecord {
    /// Line in the source file (1 = header).
    pub line: u32,
    pub key: RecordKey,
    pub month: YearMonth,
    /// Force whose area the crime falls within (`Force::code`).
    pub force: u16,
    pub reported_by: u16,
    pub category: Category,
    /// Index into `StreetBatch::lsoas`, or `NONE`.
    pub lsoa: u32,
    /// Index into `StreetBatch::points`, or `NONE`.
    pub point: u32,
    /// Index into `StreetBatch::outcomes`, or `NONE`.
    pub outcome: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SnapPoint {
    pub longitude: f64,
    pub latitude: f64,
    pub location: String,
    pub easting: f64,
    pub northing: f64,
}

/// One police.uk street-level file, parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreetBatch {
    /// The file's name without its folder: identifies the file across imports.
    pub file_name: String,
    /// Rows of the file that were refused (reported to the user, not stored).
    pub refused: u64,
    pub lsoas: Vec<(String, String)>,
    pub points: Vec<SnapPoint>,
    pub outcomes: Vec<String>,
    pub rows: Vec<StreetRecord>,
}

/// One part of a police.uk file as it is read: its rows (each part with dictionaries of its
/// own, its `refused` the rows of that part refused, its `file_name` the file's), or word that
/// the file could not be read to its end or is refused whole, so nothing of it is stored.
#[derive(Debug, Clone)]
pub enum StreetPart<'a> {
    /// Borrowed when a caller has the whole file as one batch ([`crate::Store::save_street_batch`]).
    Rows(std::borrow::Cow<'a, StreetBatch>),
    Abandon,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCrime {
    pub line: u32,
    pub force: u16,
    /// Year the financial year starts in.
    pub financial_year: i32,
    pub quarter: u8,
    pub offence_code: String,
    pub offences: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordedCrimeBatch {
    pub file_name: String,
    pub refused: u64,
    pub rows: Vec<RecordedCrime>,
}

/// One LSOA as an ONS file describes it; `None` fields are ones the file does not carry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LsoaRecord {
    pub code: String,
    pub name: Option<String>,
    pub msoa_code: Option<String>,
    pub msoa_name: Option<String>,
    pub la_code: Option<String>,
    pub la_name: Option<String>,
    pub region_name: Option<String>,
    pub force: Option<u16>,
    pub persons: Option<u64>,
    pub households: Option<u64>,
    pub hectares: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LsoaBatch {
    pub file_name: String,
    pub refused: u64,
    pub rows: Vec<LsoaRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForceHoldings {
    pub force: u16,
    pub rows: u64,
    pub first_month: YearMonth,
    pub last_month: YearMonth,
    /// Changes counted to the force's own crimes (`crime_fact_change`: an outcome, a
    /// reallocation, an import): moves when the rows and months do not. 0 for police.uk data.
    pub changes: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holdings {
    pub street: Vec<ForceHoldings>,
    /// The force's own crimes (`crime_fact`), by the month recorded.
    pub crime_facts: Vec<ForceHoldings>,
    pub recorded_crime_rows: u64,
    pub lsoas: u64,
    pub lsoas_with_population: u64,
    pub files: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_crime_ids_pack_to_32_bytes() {
        let id = "dc49a93f22f277264513f4bd9861b273ae99a571e7909de80f343bbc2dfd62bf";
        let RecordKey::Hash(h) = RecordKey::from_crime_id(id) else { panic!() };
        assert_eq!(h[0], 0xdc);
        assert_eq!(h[31], 0xbf);
        assert_eq!(RecordKey::from_crime_id(id).bytes(1, 2).len(), 32);
    }

    #[test]
    fn keep_last_by_keeps_each_keys_last_row_in_key_order() {
        // (key, line): the later line of a repeated key is the one kept.
        let mut seed = 11u64;
        for len in [0usize, 1, 2, 7, 300] {
            let rows: Vec<(u8, usize)> = (0..len)
                .map(|line| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 40) as u8, line)
                })
                .collect();
            // Written out: for each key in order, the greatest line holding it.
            let mut keys: Vec<u8> = rows.iter().map(|r| r.0).collect();
            keys.sort();
            keys.dedup();
            let expected: Vec<(u8, usize)> =
                keys.iter().map(|&k| (k, rows.iter().filter(|r| r.0 == k).map(|r| r.1).max().unwrap())).collect();
            let mut kept = rows.clone();
            keep_last_by(&mut kept, |a, b| a.0.cmp(&b.0));
            assert_eq!(kept, expected, "{len} rows");
        }
        // In order already, each key once: left as it was.
        let mut sorted = vec![(1u8, 5usize), (2, 1), (9, 0)];
        keep_last_by(&mut sorted, |a, b| a.0.cmp(&b.0));
        assert_eq!(sorted, [(1, 5), (2, 1), (9, 0)]);
    }

    #[test]
    fn other_ids_and_blank_ids() {
        assert_eq!(RecordKey::from_crime_id(""), RecordKey::Line);
        assert_eq!(RecordKey::from_crime_id("  "), RecordKey::Line);
        let odd = "zz49a93f22f277264513f4bd9861b273ae99a571e7909de80f343bbc2dfd62bf";
        assert_eq!(RecordKey::from_crime_id(odd), RecordKey::Text(odd.into()));
        assert_eq!(RecordKey::Text("AB".into()).bytes(0, 0), b"CAB".to_vec());
        let line = RecordKey::Line.bytes(7, 300);
        assert_eq!(line.len(), 13);
        assert_ne!(line, RecordKey::Line.bytes(7, 301));
        assert_ne!(line, RecordKey::Line.bytes(8, 300));
    }
}

/// One of the force's own crimes as police.uk publishes it (`peel export police-uk`).
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedCrime {
    pub reference: String,
    /// peel-domain `Category::code`.
    pub category: u8,
    pub postcode: Option<String>,
    /// British National Grid metres: the postcode's, or the point recorded.
    pub easting: Option<i32>,
    pub northing: Option<i32>,
    pub lsoa_code: Option<String>,
    /// The LSOA's name ("Birmingham 138A") from the boundaries or the ONS lookup imported.
    pub lsoa_name: Option<String>,
    /// Home Office outcome type 0-22; `None` while there is none.
    pub outcome_type: Option<u8>,
}

/// A postcode with its grid position and the areas it lies in (one row of the gazetteer).
#[derive(Debug, Clone, PartialEq)]
pub struct PostcodeRecord {
    /// Normalised: upper case, one space before the inward code ("B1 1AY").
    pub postcode: String,
    pub easting: u32,
    pub northing: u32,
    /// Code-Point positional quality (10 = within the building's footprint).
    pub quality: u8,
    pub lsoa_code: String,
    pub msoa_code: Option<String>,
    pub msoa_name: Option<String>,
    pub la_code: Option<String>,
    pub la_name: Option<String>,
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    /// peel-domain `Force::code`.
    pub force: Option<u16>,
}

/// The postcodes of one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostcodeBatch {
    pub file_name: String,
    pub refused: u64,
    pub rows: Vec<PostcodeRecord>,
}

/// An LSOA's boundary and the figures that come with it.
#[derive(Debug, Clone, PartialEq)]
pub struct LsoaBoundary {
    pub code: String,
    pub name: String,
    pub force: Option<u16>,
    pub centroid_easting: f64,
    pub centroid_northing: f64,
    pub area_m2: f64,
    /// The polygon's GeoJSON coordinates (rings of WGS84 `[lon, lat]`), as a JSON text.
    pub polygon: String,
}

impl LsoaBoundary {
    /// The boundary on the National Grid, for the study area and the maps. The text was checked
    /// as a Polygon or MultiPolygon when it was imported; a ring that no longer reads (or a
    /// point that does not project) is left out rather than failing a whole map.
    pub fn shape(&self, bng: &peel_domain::bng::BritishNationalGrid) -> peel_analytics::boundary::Shape {
        let value: serde_json::Value = serde_json::from_str(&self.polygon).unwrap_or_default();
        let ring = |r: &serde_json::Value| -> peel_analytics::boundary::Ring {
            r.as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| bng.project(p.get(0)?.as_f64()?, p.get(1)?.as_f64()?))
                .collect()
        };
        let polygon = |p: &serde_json::Value| -> peel_analytics::boundary::Polygon {
            p.as_array().into_iter().flatten().map(ring).filter(|r| r.len() >= 3).collect()
        };
        let coordinates = &value["coordinates"];
        let polygons = match value["type"].as_str() {
            Some("Polygon") => vec![polygon(coordinates)],
            Some("MultiPolygon") => coordinates.as_array().into_iter().flatten().map(polygon).collect(),
            _ => Vec::new(),
        };
        peel_analytics::boundary::Shape {
            code: self.code.clone(),
            polygons: polygons.into_iter().filter(|p| !p.is_empty()).collect(),
        }
    }
}

/// The boundaries of one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoundaryBatch {
    pub file_name: String,
    pub refused: u64,
    pub rows: Vec<LsoaBoundary>,
}

/// The areas a place lies in, from the postcode gazetteer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceAreas {
    pub lsoa_code: CompactString,
    pub msoa_code: Option<CompactString>,
    pub ward_code: Option<CompactString>,
    pub la_code: Option<CompactString>,
}

/// One crime of a force's history (a line of `peel import crimes`), checked and resolved:
/// offence to category and harm, flags to their bit set, place to its areas. Its texts are
/// [`CompactString`]s, kept inline when as short as these are: a million lines would
/// otherwise allocate (on the reading thread) and free (on the writing one) six million
/// strings, a tenth of the import's time.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCrime {
    /// Line in the source file (1 = header).
    pub line: u32,
    pub reference: CompactString,
    /// "YYYY-MM-DDTHH:MM", local time.
    pub recorded_at: CompactString,
    pub occurred_at: Option<CompactString>,
    /// Home Office code as the lookup writes it, e.g. "28E".
    pub offence_code: &'static str,
    /// `Category::code()`.
    pub category: u8,
    pub harm_days: Option<f64>,
    /// peel-domain `flags::bit` set.
    pub flags: u64,
    /// Normalised ("B1 1AY"), whether or not the gazetteer knows it.
    pub postcode: Option<CompactString>,
    pub easting: Option<i32>,
    pub northing: Option<i32>,
    /// Index into `CrimeFactBatch::places`, or `NONE` when the place is unknown.
    pub place: u32,
    pub victim_age: Option<u8>,
    /// "F", "M", "X" or "U".
    pub victim_sex: Option<&'static str>,
    pub outcome_type: Option<u8>,
    /// "YYYY-MM-DD".
    pub outcome_date: Option<CompactString>,
    pub team: Option<CompactString>,
}

/// One file of a force's crimes, or one part of it as it is read, parsed: rows sorted by
/// reference, each reference once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CrimeFactBatch {
    pub file_name: String,
    /// peel-domain `Force::code` of the force whose crimes these are.
    pub force: u16,
    /// Lines of the file (or of this part) that were refused by the parser.
    pub refused: u64,
    /// Rows of this part whose reference an earlier part of the same file also had: the
    /// store writes them over the earlier part's (the file's later line wins) and does not
    /// count them twice. Zero for a whole file.
    pub repeated_before: u64,
    /// Store nothing if any row is refused by the store (a reference of a recorded crime).
    pub all_or_nothing: bool,
    pub places: Vec<PlaceAreas>,
    pub rows: Vec<ImportedCrime>,
}

impl CrimeFactBatch {
    /// The parts of one file as one batch: places renumbered, rows sorted by reference
    /// (stably: a reference's lines stay in file order) and each reference once, its file's
    /// last line kept. For a store that writes a file at once, and for a reader that wants
    /// the whole file. Each part is as a reader hands it over, already sorted with each
    /// reference once, so a file read as one part is not sorted again.
    pub fn gather(parts: impl IntoIterator<Item = CrimeFactBatch>) -> CrimeFactBatch {
        let mut whole = CrimeFactBatch::default();
        for part in parts {
            let offset = whole.places.len() as u32;
            whole.file_name = part.file_name;
            whole.force = part.force;
            whole.all_or_nothing = part.all_or_nothing;
            whole.refused += part.refused;
            whole.places.extend(part.places);
            whole.rows.extend(part.rows.into_iter().map(|mut r| {
                if r.place != NONE {
                    r.place += offset;
                }
                r
            }));
        }
        // One part is sorted already unless a caller broke the rule: checked, not trusted
        // (PostgreSQL refuses to update a row twice in one statement); keep_last_by leaves
        // rows already in order as they are.
        keep_last_by(&mut whole.rows, |a, b| a.reference.cmp(&b.reference));
        whole
    }
}

/// One part of a force's crimes file as it is read (each part with places of its own), or
/// word that the file is refused whole (`--strict` and a bad line), so nothing is stored.
#[derive(Debug, Clone)]
pub enum CrimeFactPart<'a> {
    Rows(std::borrow::Cow<'a, CrimeFactBatch>),
    Abandon,
}

/// What saving a force's crimes did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrimeFactReport {
    /// Crimes new to the store.
    pub inserted: u64,
    /// Imported crimes replaced by the same reference imported again.
    pub replaced: u64,
    /// (line, reference) of the rows refused because the reference is a crime recorded in
    /// Peel: an import never overwrites the force's own record. One per reference, its
    /// file's last line (the line an import would have kept).
    pub refused: Vec<(u32, String)>,
    /// False when `all_or_nothing` and something was refused: nothing was written.
    pub stored: bool,
}
