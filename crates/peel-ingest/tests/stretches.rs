//! A police.uk file read on several threads, a stretch each (`police_uk::parse_parts_on`),
//! gives what one thread reading it whole gives: the same records (a Crime ID repeated in two
//! stretches is one record, the later, as the store keeps it), the same problems on the same
//! lines, the same rows read; also when a quote is left open across stretches, where reading
//! falls back to one thread.

use peel_ingest::police_uk::{parse_parts_on, HEADER};
use peel_ingest::NoProgress;
use peel_store::{RecordKey, StreetBatch, NONE};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// A record as the store is given it: its dictionary values resolved.
type Fact = (u32, RecordKey, i32, u16, u16, u8, Option<String>, Option<(u64, u64, String, u64, u64)>, Option<String>);

/// Every part's records, a key repeated later replacing the earlier (the store's upsert;
/// records without a Crime ID are keyed by line), in line order.
fn records(parts: &[StreetBatch]) -> Vec<Fact> {
    let mut by_key: HashMap<(RecordKey, u32), Fact> = HashMap::new();
    for b in parts {
        for r in &b.rows {
            let lsoa = (r.lsoa != NONE).then(|| b.lsoas[r.lsoa as usize].0.clone());
            let point = (r.point != NONE).then(|| {
                let p = &b.points[r.point as usize];
                (
                    p.longitude.to_bits(),
                    p.latitude.to_bits(),
                    p.location.clone(),
                    p.easting.to_bits(),
                    p.northing.to_bits(),
                )
            });
            let outcome = (r.outcome != NONE).then(|| b.outcomes[r.outcome as usize].clone());
            let fact = (
                r.line,
                r.key.clone(),
                r.month.index(),
                r.force,
                r.reported_by,
                r.category.code(),
                lsoa,
                point,
                outcome,
            );
            let line_key = if r.key == RecordKey::Line { r.line } else { 0 };
            by_key.insert((r.key.clone(), line_key), fact);
        }
    }
    let mut out: Vec<Fact> = by_key.into_values().collect();
    out.sort_by_key(|f| f.0);
    out
}

struct Read {
    records: Vec<Fact>,
    problems: Vec<(u64, String, String)>,
    rows_read: u64,
    refused: u64,
    parts: usize,
}

fn read(path: &Path, threads: usize, stretch: usize) -> Read {
    let mut parts = Vec::new();
    let r = parse_parts_on(path, 500, threads, stretch, &mut NoProgress, &mut |p| {
        parts.push(p);
        true
    })
    .unwrap();
    Read {
        records: records(&parts),
        problems: r.problems.iter().map(|p| (p.line, p.field.clone(), p.message.clone())).collect(),
        rows_read: r.rows_read,
        refused: parts.iter().map(|p| p.refused).sum(),
        parts: parts.len(),
    }
}

/// A file of `n` rows: crimes with hash Crime IDs (every 37th repeating the ID of the row 200
/// before it, in another stretch), ASB rows without one, quoted locations with commas and
/// quotes, and every 101st row bad in a way of its own.
fn lines(n: usize) -> Vec<Vec<u8>> {
    let places =
        [("-1.706334", "53.549364", "E01007426", "Barnsley 027D"), ("-1.543", "53.801", "E01011111", "Leeds 001A")];
    let mut out = vec![HEADER.join(",").into_bytes()];
    for i in 0..n {
        let id_of = |i: usize| format!("{:064x}", i as u128 * 0x9E37_79B9_7F4A_7C15);
        let id = if i % 37 == 36 && i >= 200 { id_of(i - 200) } else { id_of(i) };
        let (lon, lat, lsoa, name) = places[i % 2];
        let month = format!("2017-{:02}", i % 12 + 1);
        let row = match i % 101 {
            50 => format!("{id},2017-13,West Yorkshire Police,West Yorkshire Police,{lon},{lat},On or near X,{lsoa},{name},Burglary,,"),
            51 => format!("{id},{month},West Yorkshire Police,West Yorkshire Police,{lon},{lat},On or near X,{lsoa},{name},Burglary"),
            52 => format!("{id},{month},West Yorkshire Police,West Yorkshire Police,{lon},{lat},On or near X,{lsoa},{name},Not a crime,,"),
            _ if i % 7 == 3 => format!(
                ",{month},West Yorkshire Police,West Yorkshire Police,{lon},{lat},\"On or near \"\"The Bull, Inn\"\"\",{lsoa},{name},Anti-social behaviour,,"
            ),
            _ => format!(
                "{id},{month},West Yorkshire Police,West Yorkshire Police,{lon},{lat},On or near Road {},{lsoa},{name},Burglary,Under investigation,",
                i % 13
            ),
        };
        let mut bytes = row.into_bytes();
        if i % 101 == 53 {
            // Not UTF-8 in the Location.
            let at = bytes.iter().position(|&b| b == b'O').unwrap();
            bytes[at] = 0xFF;
        }
        out.push(bytes);
    }
    out
}

fn write(dir: &Path, name: &str, lines: &[Vec<u8>]) -> std::path::PathBuf {
    write_ending(dir, name, lines, b"\n")
}

fn write_ending(dir: &Path, name: &str, lines: &[Vec<u8>], end: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for l in lines {
        f.write_all(l).unwrap();
        f.write_all(end).unwrap();
    }
    f.flush().unwrap();
    path
}

fn same(path: &Path) {
    let one = read(path, 1, 1 << 20);
    assert!(one.records.len() > 1000, "{} records", one.records.len());
    assert!(one.parts > 1);
    for (threads, stretch) in [(2, 4096), (3, 5000), (4, 20_000)] {
        let many = read(path, threads, stretch);
        assert!(many.parts > one.parts, "{threads} threads, {stretch} bytes: read in stretches");
        assert_eq!(many.rows_read, one.rows_read, "{threads} threads, {stretch} bytes");
        assert_eq!(many.refused, one.refused, "{threads} threads, {stretch} bytes");
        assert_eq!(many.problems, one.problems, "{threads} threads, {stretch} bytes");
        assert_eq!(many.records, one.records, "{threads} threads, {stretch} bytes");
    }
}

#[test]
fn a_file_read_in_stretches_on_several_threads_is_read_as_on_one() {
    let dir = tempfile::tempdir().unwrap();
    let rows = lines(3000);
    let path = write(dir.path(), "2017-west-yorkshire-street.csv", &rows);
    same(&path);
    let one = read(&path, 1, 1 << 20);
    // Every 101st row bad in three ways and one more not UTF-8: the problems are found.
    assert_eq!(one.problems.len(), 4 * 30, "{:?}", &one.problems[..5]);
    assert!(one.problems.iter().any(|p| p.1 == "Month"));
    assert!(one.problems.iter().any(|p| p.1 == "Location" && p.2.contains("UTF-8")));
    assert_eq!(one.rows_read, 3000);
}

#[test]
fn a_quote_left_open_across_stretches_is_read_as_on_one_thread() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = lines(3000);
    // A quote opened in the Location of line 1502 and closed three lines on, which puts line
    // breaks inside one field that may span a stretch's end.
    for (at, tail) in [(1501usize, &b"\"On or near"[..]), (1504, b"Road\"")] {
        let row = &mut rows[at];
        let cut = row.windows(11).position(|w| w == b"On or near ").unwrap();
        row.splice(cut..cut + 10, tail.iter().copied());
    }
    same(&write(dir.path(), "closed-later.csv", &rows));
    // And a quote opened where no quote closes it but the next quoted location's, rows later.
    let mut rows = lines(3000);
    let row = &mut rows[2001];
    let cut = row.windows(11).position(|w| w == b"On or near ").unwrap();
    row.insert(cut, b'"');
    let path = write(dir.path(), "never-closed.csv", &rows);
    same(&path);
    let one = read(&path, 1, 1 << 20);
    assert!(one.records.iter().any(|r| r.0 == 2003), "the line after the open quote is read");
    assert!(
        one.problems.iter().any(|p| p.0 == 2002 && p.2.contains("line break")),
        "{:?}",
        one.problems.iter().filter(|p| p.0 > 1990 && p.0 < 2020).collect::<Vec<_>>()
    );
}

#[test]
fn a_file_with_windows_line_ends_reads_as_the_same_file_with_unix_ones() {
    // Excel and Windows end lines "\r\n": the rows, their problems and the lines those name
    // are the same as the file's with "\n", on one thread and on several; a blank line is
    // counted in both (the row after it, bad, is named by its own line).
    let dir = tempfile::tempdir().unwrap();
    let mut rows = lines(3000);
    rows.insert(1200, Vec::new());
    let bad = &mut rows[1201];
    let at = bad.windows(6).position(|w| w == b"2017-0" || w == b"2017-1").unwrap();
    bad.splice(at..at + 7, b"2017-00".iter().copied());
    let unix = read(&write(dir.path(), "unix.csv", &rows), 1, 1 << 20);
    let windows = write_ending(dir.path(), "windows.csv", &rows, b"\r\n");
    let one = read(&windows, 1, 1 << 20);
    assert_eq!(one.problems, unix.problems);
    let differ = one.records.iter().zip(&unix.records).find(|(a, b)| a != b);
    assert_eq!(differ, None, "the first record read differently");
    assert_eq!(one.records, unix.records);
    assert_eq!(one.rows_read, unix.rows_read);
    assert!(one.problems.iter().any(|p| p.0 == 52 && p.1 == "Month"), "{:?}", &one.problems[..2]);
    assert!(unix.problems.iter().any(|p| p.0 == 1202 && p.1 == "Month"), "the row after the blank line");
    same(&windows);
}

#[test]
fn a_file_read_whole_is_all_of_it_however_large() {
    // Over two stretches of 8 MB: `parse_file` gives every row in its one batch.
    let dir = tempfile::tempdir().unwrap();
    let rows = lines(90_000);
    let path = write(dir.path(), "large.csv", &rows);
    assert!(std::fs::metadata(&path).unwrap().len() > 16 << 20);
    let whole = peel_ingest::police_uk::parse_file(&path, &mut NoProgress).unwrap();
    assert_eq!(whole.rows_read, 90_000);
    assert_eq!(whole.batch.rows.len() as u64 + whole.problems.len() as u64 + whole.repeated_keys, 90_000);
}
