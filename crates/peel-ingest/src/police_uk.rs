//! data.police.uk street-level files ("2017-07-west-yorkshire-street.csv"): one row per
//! crime or ASB report, 12 columns (Crime ID, Month, Reported by, Falls within, Longitude,
//! Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome category, Context).

use crate::csvfile::{CsvFile, Row};
use crate::problem::{FileError, RowProblem};
use crate::Progress;
use foldhash::fast::RandomState;
use peel_domain::bng::BritishNationalGrid;
use peel_domain::{Category, Force, YearMonth};
use peel_store::{RecordKey, SnapPoint, StreetBatch, StreetRecord, NONE};
use std::collections::HashMap;
use std::path::Path;

/// data.police.uk's header, in its order (what `peel export police-uk` writes).
pub const HEADER: [&str; 12] = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
];

/// The columns Peel reads: all but "Context", which is nearly always empty and not needed.
pub const COLUMNS: &[&str] = HEADER.split_at(11).0;

/// police.uk covers England, Wales and Northern Ireland; a point outside this box is a
/// corrupted coordinate (a swapped pair, a lost minus sign), not a real snap point.
const LONGITUDE_RANGE: (f64, f64) = (-8.7, 1.8);
const LATITUDE_RANGE: (f64, f64) = (49.8, 55.9);

pub struct ParsedFile {
    pub batch: StreetBatch,
    pub problems: Vec<RowProblem>,
    pub rows_read: u64,
    pub repeated_keys: u64,
}

/// Keyed by one file's values, looked up once or more a row: foldhash rather than the
/// standard SipHash (which resists keys chosen against a long-running table; these live for
/// one import, a part of a file or the whole file).
#[derive(Default)]
struct Dictionaries {
    /// LSOA code → index in the batch. Lookups borrow the row's text: no allocation per row.
    lsoas: HashMap<String, u32, RandomState>,
    /// Coordinates → the batch's snap points there (almost always one; a different
    /// "Location" text at the same coordinates is kept as its own point).
    points: HashMap<(u64, u64), Vec<u32>, RandomState>,
    outcomes: HashMap<String, u32, RandomState>,
    /// Force names as written → code: a file names one or two forces thousands of times,
    /// and matching a spelling against every force's names is worth doing once.
    forces: HashMap<String, u16, RandomState>,
}

/// Snap points' coordinates (their bits) → their British National Grid position: projecting
/// is the dearest step of a row, and a file's snap points recur part after part (a force's
/// few tens of thousands, month after month), so a reading thread keeps every one it has
/// projected.
type Projected = HashMap<(u64, u64), (f64, f64), RandomState>;

/// Stored rows in one part of a large file (see [`parse_parts`]): about 10 MB of rows and
/// dictionaries, so a file of any size is read in bounded memory.
pub const PART_ROWS: usize = 100_000;

/// What reading a file in parts found, besides the parts themselves.
#[derive(Debug, Default)]
pub struct PartsRead {
    pub problems: Vec<RowProblem>,
    pub rows_read: u64,
    pub repeated_keys: u64,
}

/// Reads the whole file into one batch.
pub fn parse_file(path: &Path, progress: &mut dyn Progress) -> Result<ParsedFile, FileError> {
    let mut whole = None;
    // On one thread: one part, whatever the file's size (stretches would be parts each).
    let read = parse_parts_on(path, usize::MAX, 1, STRETCH_BYTES, progress, &mut |b| {
        whole = Some(b);
        true
    })?;
    Ok(ParsedFile {
        batch: whole.unwrap_or_default(),
        problems: read.problems,
        rows_read: read.rows_read,
        repeated_keys: read.repeated_keys,
    })
}

/// Reads the file in parts of at most `part_rows` stored rows, handing each to `part` as it
/// is complete, so that a writer can store one part while the next is read; a file of no
/// rows is handed on as one empty part. Each part has dictionaries of its own and its `refused` counts
/// the rows of that part refused. A Crime ID repeated within a part is one row, the later
/// (counted in `repeated_keys`); repeated in different parts, the later part's row replaces
/// the earlier as a second import would. `part` returns false to stop reading.
///
/// A large file is parsed on every core ([`read_in_stretches`]); the parts come to `part`
/// in the file's order all the same, on the calling thread.
pub fn parse_parts(
    path: &Path,
    part_rows: usize,
    progress: &mut dyn Progress,
    part: &mut dyn FnMut(StreetBatch) -> bool,
) -> Result<PartsRead, FileError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_PARSERS);
    parse_parts_on(path, part_rows, threads, STRETCH_BYTES, progress, part)
}

/// [`parse_parts`] on `threads` parsing threads taking `stretch_bytes` of the file at a
/// time (one thread: the whole file on the calling thread, as a file under two stretches
/// always is). For tests and benchmarks; [`parse_parts`] chooses for the machine.
pub fn parse_parts_on(
    path: &Path,
    part_rows: usize,
    threads: usize,
    stretch_bytes: usize,
    progress: &mut dyn Progress,
    part: &mut dyn FnMut(StreetBatch) -> bool,
) -> Result<PartsRead, FileError> {
    let mut file = CsvFile::open(path, progress)?;
    let col = file.columns(COLUMNS)?;
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let stretch_bytes = stretch_bytes.max(1);
    if threads < 2 || size < 2 * stretch_bytes as u64 {
        return read_rows(&mut file, &col, part_rows, &mut Projected::default(), progress, part, true);
    }
    read_in_stretches(file, &col, part_rows, threads, stretch_bytes, progress, part)
}

/// Bytes of the file a parsing thread takes at a time: about 37,000 police.uk rows.
const STRETCH_BYTES: usize = 8 << 20;
/// A stretch with no line break in 16 stretches' bytes is no police.uk file (whose rows are
/// a few hundred bytes): the rest is read on one thread, which reports the row.
const LONGEST_STRETCHES: usize = 16;
/// Parsing threads at most: past two the writer, on a thread of its own, is the slower.
const MAX_PARSERS: usize = 4;

/// The rows of `file`, in parts, on the calling thread (see [`parse_parts`]). `last_part`:
/// whether the end of the rows is handed on as a part even when it holds nothing (a file's
/// last part, which a file of no rows still has), or only when it holds rows or refusals
/// (a stretch of a file read on several threads).
fn read_rows(
    file: &mut CsvFile,
    col: &[usize],
    part_rows: usize,
    projected: &mut Projected,
    progress: &mut dyn Progress,
    part: &mut dyn FnMut(StreetBatch) -> bool,
    last_part: bool,
) -> Result<PartsRead, FileError> {
    let bng = BritishNationalGrid::new();
    let file_name = file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let empty = || StreetBatch { file_name: file_name.clone(), ..Default::default() };
    let mut batch = empty();
    let mut dict = Dictionaries::default();
    let mut read = PartsRead::default();
    let mut refused_in_part = 0;
    // Keyed as the store keys a record: a Crime ID in two months is two records.
    let mut seen: HashMap<(u16, i32, RecordKey), usize, RandomState> =
        HashMap::with_capacity_and_hasher(part_rows.min(1 << 16), RandomState::default());
    while let Some(parsed) =
        file.next_row(progress, |row| parse_row(&row, col, &bng, &mut batch, &mut dict, projected))?
    {
        match parsed.and_then(|r| r) {
            Ok(record) => {
                if record.key != RecordKey::Line {
                    let key = (record.force, record.month.index(), record.key.clone());
                    if let Some(&earlier) = seen.get(&key) {
                        // The same Crime ID twice in one file: the later row wins, as it
                        // would on a second import.
                        batch.rows[earlier] = record;
                        read.repeated_keys += 1;
                        continue;
                    }
                    seen.insert(key, batch.rows.len());
                }
                batch.rows.push(record);
                if batch.rows.len() >= part_rows {
                    batch.refused = std::mem::take(&mut refused_in_part);
                    dict = Dictionaries::default();
                    seen.clear();
                    if !part(std::mem::replace(&mut batch, empty())) {
                        read.rows_read = file.rows_read();
                        return Ok(read);
                    }
                }
            }
            Err(p) => {
                refused_in_part += 1;
                read.problems.push(p)
            }
        }
    }
    batch.refused = refused_in_part;
    read.rows_read = file.rows_read();
    if last_part || !batch.rows.is_empty() || batch.refused > 0 {
        part(batch);
    }
    Ok(read)
}

/// One stretch of a file as a parsing thread read it.
struct StretchRead {
    parts: Vec<StreetBatch>,
    read: Result<PartsRead, FileError>,
    /// A row of it has a line break inside a field (a quote left open): it may go on into the
    /// next stretch, and the rows after it are read again from the file.
    broken: bool,
}

/// The rows of a file read on `threads` threads, a stretch of `stretch_bytes` each at a
/// time, cut after a line break; the calling thread reads the stretches from the file and
/// hands the parts on in the file's order, each stretch's parts once those before it are
/// handed on.
///
/// A stretch starts where a row starts only if the row before it ended at the line break
/// it was cut after, which is so unless that row has a line break inside a quoted field.
/// No police.uk row has one; a broken file may (a quote left open). A stretch with a row that
/// has one is not handed on: the file is read from that stretch's start to its end on the
/// calling thread, exactly as one thread reads a file (which reads on from the line after
/// such a row), and the stretches read after it are dropped. What the parts hold, and the problems and their lines, are what one thread
/// reading the whole file finds; only where parts begin and end differs.
fn read_in_stretches(
    file: CsvFile,
    col: &[usize],
    part_rows: usize,
    threads: usize,
    stretch_bytes: usize,
    progress: &mut dyn Progress,
    part: &mut dyn FnMut(StreetBatch) -> bool,
) -> Result<PartsRead, FileError> {
    use std::io::Read;
    let (mut offset, mut lines_before) = file.rows_start();
    let mut raw = std::fs::File::open(&file.path).map_err(|e| FileError::io(&file.path, e))?;
    std::io::Seek::seek(&mut raw, std::io::SeekFrom::Start(offset)).map_err(|e| FileError::io(&file.path, e))?;
    let (path, header) = (file.path.as_path(), file.header.as_slice());
    let mut total = PartsRead::default();
    let mut handed_on = false;
    type Job = (usize, Vec<u8>, u64, u64);
    let (jobs, queue) = std::sync::mpsc::channel::<Job>();
    let queue = std::sync::Mutex::new(queue);
    std::thread::scope(|scope| -> Result<PartsRead, FileError> {
        let (done, results) = std::sync::mpsc::channel::<(usize, StretchRead)>();
        for _ in 0..threads {
            let (queue, done) = (&queue, done.clone());
            scope.spawn(move || {
                let mut projected = Projected::default();
                loop {
                    let job = queue.lock().map_err(|_| ()).and_then(|q| q.recv().map_err(|_| ()));
                    let Ok((seq, bytes, at, lines)) = job else { return };
                    let mut parts = Vec::new();
                    // A panic here is the file's error, not a reader waiting for ever on a
                    // stretch that never comes.
                    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        CsvFile::stretch(path, header, Some(bytes), at, lines).and_then(|mut f| {
                            let read = read_rows(
                                &mut f,
                                col,
                                part_rows,
                                &mut projected,
                                &mut crate::NoProgress,
                                &mut |p| {
                                    parts.push(p);
                                    true
                                },
                                false,
                            );
                            let broken = f.last_row_broken();
                            read.map(|r| (r, broken))
                        })
                    }));
                    let failed = read.is_err();
                    let (read, broken) = match read {
                        Ok(Ok((r, broken))) => (Ok(r), broken),
                        Ok(Err(e)) => (Err(e), false),
                        Err(_) => (
                            Err(FileError::Format {
                                path: path.to_path_buf(),
                                message: format!(
                                    "a reading thread failed at byte {at}: Peel's fault, please report it"
                                ),
                            }),
                            false,
                        ),
                    };
                    if done.send((seq, StretchRead { parts, read, broken })).is_err() || failed {
                        return;
                    }
                }
            });
        }
        drop(done);
        // Where each stretch handed out starts: (byte, lines before it).
        let mut starts = std::collections::VecDeque::new();
        let mut waiting = std::collections::BTreeMap::new();
        let (mut next, mut sent, mut eof) = (0usize, 0usize, false);
        let mut carry: Vec<u8> = Vec::new();
        let mut bytes_read = offset;
        loop {
            // Keep every thread busy, and one stretch more waiting.
            while !eof && sent - next < threads + 1 {
                let mut block = std::mem::take(&mut carry);
                let mut cut = None;
                while cut.is_none() && !eof {
                    let have = block.len();
                    block.resize(have + stretch_bytes, 0);
                    let n = raw.read(&mut block[have..]).map_err(|e| FileError::io(path, e))?;
                    block.truncate(have + n);
                    bytes_read += n as u64;
                    eof = n == 0;
                    cut = memchr::memrchr(b'\n', &block).filter(|_| !eof);
                    if cut.is_none() && block.len() > LONGEST_STRETCHES * stretch_bytes {
                        break;
                    }
                }
                if cut.is_none() && !eof {
                    // No line break in a long stretch: the rest is read on this thread
                    // once the stretches before it are handed on.
                    starts.push_back((offset, lines_before));
                    waiting.insert(sent, None);
                    sent += 1;
                    eof = true;
                    break;
                }
                if let Some(at) = cut {
                    carry = block.split_off(at + 1);
                }
                if block.is_empty() {
                    continue;
                }
                let lines = memchr::memchr_iter(b'\n', &block).count() as u64;
                starts.push_back((offset, lines_before));
                let (at, before) = (offset, lines_before);
                offset += block.len() as u64;
                lines_before += lines;
                if jobs.send((sent, block, at, before)).is_err() {
                    break;
                }
                sent += 1;
            }
            if next == sent {
                break;
            }
            if !waiting.contains_key(&next) {
                let Ok((seq, stretch)) = results.recv() else { break };
                waiting.insert(seq, Some(stretch));
                continue;
            }
            let stretch = waiting.remove(&next).flatten();
            let (at, before) = starts.pop_front().expect("a start for each stretch");
            let stretch = match stretch {
                Some(s) if !s.broken => s,
                // Broken, or not cut: from here on, one thread.
                _ => {
                    drop(jobs);
                    let mut rest = CsvFile::stretch(path, header, None, at, before)?;
                    let nothing_yet = !handed_on;
                    let read =
                        read_rows(&mut rest, col, part_rows, &mut Projected::default(), progress, part, nothing_yet)?;
                    total.problems.extend(read.problems);
                    total.rows_read += read.rows_read;
                    total.repeated_keys += read.repeated_keys;
                    return Ok(total);
                }
            };
            let read = stretch.read?;
            for p in stretch.parts {
                handed_on = true;
                if !part(p) {
                    total.rows_read += read.rows_read;
                    return Ok(total);
                }
            }
            total.problems.extend(read.problems);
            total.rows_read += read.rows_read;
            total.repeated_keys += read.repeated_keys;
            progress.rows_read(total.rows_read, bytes_read);
            next += 1;
        }
        progress.file_finished();
        if !handed_on {
            let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            part(StreetBatch { file_name, ..Default::default() });
        }
        Ok(total)
    })
}

fn parse_row(
    row: &Row<'_>,
    col: &[usize],
    bng: &BritishNationalGrid,
    batch: &mut StreetBatch,
    dict: &mut Dictionaries,
    projected: &mut Projected,
) -> Result<StreetRecord, RowProblem> {
    let text = |i: usize| row.text(col[i]).map(str::trim);
    let crime_id = text(0)?;
    let month_text = text(1)?;
    let month = YearMonth::parse(month_text).map_err(|e| row.problem("Month", e.to_string()))?;
    let mut force_of = |i: usize, name: &str| -> Result<u16, RowProblem> {
        let t = text(i)?;
        if let Some(&code) = dict.forces.get(t) {
            return Ok(code);
        }
        let code = Force::find(t)
            .map(|f| f.code)
            .ok_or_else(|| row.problem(name, format!("'{t}' is not a police force of England and Wales")))?;
        dict.forces.insert(t.to_string(), code);
        Ok(code)
    };
    let reported_by = force_of(2, "Reported by")?;
    let force = force_of(3, "Falls within")?;
    let category_text = text(9)?;
    let category = Category::parse(category_text)
        .ok_or_else(|| row.problem("Crime type", format!("'{category_text}' is not a police.uk crime category")))?;

    let (lon_text, lat_text) = (text(4)?, text(5)?);
    let location = text(6)?;
    let point = match (lon_text.is_empty(), lat_text.is_empty()) {
        (true, true) => NONE,
        (false, true) => return Err(row.problem("Latitude", "missing while Longitude is given")),
        (true, false) => return Err(row.problem("Longitude", "missing while Latitude is given")),
        (false, false) => {
            let lon = coordinate(row, "Longitude", lon_text, LONGITUDE_RANGE)?;
            let lat = coordinate(row, "Latitude", lat_text, LATITUDE_RANGE)?;
            let at = dict.points.entry((lon.to_bits(), lat.to_bits())).or_default();
            match at.iter().find(|&&i| batch.points[i as usize].location == location) {
                Some(&i) => i,
                None => {
                    let (easting, northing) = match at.first() {
                        Some(&i) => (batch.points[i as usize].easting, batch.points[i as usize].northing),
                        None => match projected.get(&(lon.to_bits(), lat.to_bits())) {
                            Some(&en) => en,
                            None => {
                                let en = bng.project(lon, lat).ok_or_else(|| {
                                    row.problem("Longitude", "cannot be projected to the British National Grid")
                                })?;
                                projected.insert((lon.to_bits(), lat.to_bits()), en);
                                en
                            }
                        },
                    };
                    let i = batch.points.len() as u32;
                    batch.points.push(SnapPoint {
                        longitude: lon,
                        latitude: lat,
                        location: location.to_string(),
                        easting,
                        northing,
                    });
                    at.push(i);
                    i
                }
            }
        }
    };

    let lsoa_code = text(7)?;
    let lsoa_name = text(8)?;
    let lsoa = if lsoa_code.is_empty() {
        NONE
    } else {
        if !is_lsoa_code(lsoa_code) {
            return Err(
                row.problem("LSOA code", format!("'{lsoa_code}' is not an LSOA code (E01 or W01 and six digits)"))
            );
        }
        match dict.lsoas.get(lsoa_code) {
            Some(&i) if batch.lsoas[i as usize].1 == lsoa_name => i,
            Some(&i) => {
                return Err(row.problem(
                    "LSOA name",
                    format!(
                        "'{lsoa_name}' differs from '{}' given for {lsoa_code} earlier in the file",
                        batch.lsoas[i as usize].1
                    ),
                ))
            }
            None => {
                let i = batch.lsoas.len() as u32;
                batch.lsoas.push((lsoa_code.to_string(), lsoa_name.to_string()));
                dict.lsoas.insert(lsoa_code.to_string(), i);
                i
            }
        }
    };

    let outcome_text = text(10)?;
    let outcome = if outcome_text.is_empty() {
        NONE
    } else {
        match dict.outcomes.get(outcome_text) {
            Some(&i) => i,
            None => {
                let i = batch.outcomes.len() as u32;
                batch.outcomes.push(outcome_text.to_string());
                dict.outcomes.insert(outcome_text.to_string(), i);
                i
            }
        }
    };

    Ok(StreetRecord {
        line: row.line as u32,
        key: RecordKey::from_crime_id(crime_id),
        month,
        force,
        reported_by,
        category,
        lsoa,
        point,
        outcome,
    })
}

fn coordinate(row: &Row<'_>, field: &str, text: &str, (lo, hi): (f64, f64)) -> Result<f64, RowProblem> {
    let v: f64 = text.parse().map_err(|_| row.problem(field, format!("'{text}' is not a number")))?;
    if !(lo..=hi).contains(&v) {
        return Err(row.problem(field, format!("{v} is outside England, Wales and Northern Ireland ({lo} to {hi})")));
    }
    Ok(v)
}

/// 2011 LSOA codes: E01 (England) or W01 (Wales) and six digits.
pub fn is_lsoa_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9 && (b[0] == b'E' || b[0] == b'W') && &b[1..3] == b"01" && b[3..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lsoa_codes() {
        assert!(is_lsoa_code("E01007359"));
        assert!(is_lsoa_code("W01001658"));
        assert!(!is_lsoa_code("E02004297"));
        assert!(!is_lsoa_code("E0100735"));
        assert!(!is_lsoa_code("e01007359"));
    }
}
