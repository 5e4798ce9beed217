//! Bad input: every malformed file or row is a clear error naming file, line and field, and
//! nothing is stored half. Fixtures are written by the tests themselves, in police.uk's
//! real format (header and rows copied in shape from the July 2017 West Yorkshire file).

use peel_domain::YearMonth;
use peel_ingest::{import_crimes, import_police_uk, FileError, ImportError, ImportOptions, NoProgress};
use peel_store::{SqliteStore, Store};
use std::path::{Path, PathBuf};

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";
const ROW_1: &str = "dc49a93f22f277264513f4bd9861b273ae99a571e7909de80f343bbc2dfd62bf,2017-07,West Yorkshire Police,West Yorkshire Police,-1.706334,53.549364,On or near Brown'S Edge Road,E01007426,Barnsley 027D,Burglary,Investigation complete; no suspect identified,";
const ROW_2: &str = "e3f824bdf749192c3fdcc80d3099b03bc8d8d9436a9c1c25d900d130739390fb,2017-07,West Yorkshire Police,West Yorkshire Police,-1.670108,53.553629,On or near Huddersfield Road,E01007426,Barnsley 027D,Theft from the person,Investigation complete; no suspect identified,";
const ASB: &str = ",2017-07,West Yorkshire Police,West Yorkshire Police,-1.550626,53.597400,On or near Swithen Hill,E01007359,Barnsley 005C,Anti-social behaviour,,";

struct Fixture {
    dir: tempfile::TempDir,
    store: SqliteStore,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("peel.db")).unwrap();
        Fixture { dir, store }
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn import(&mut self, path: &Path, strict: bool) -> Result<peel_ingest::FileReport, ImportError> {
        import_police_uk(&mut self.store, path, &ImportOptions { strict, ..Default::default() }, &mut NoProgress)
    }

    fn rows(&self) -> usize {
        self.store.load_street(42).unwrap().0.len()
    }
}

fn csv(lines: &[&str]) -> Vec<u8> {
    let mut s = lines.join("\n");
    s.push('\n');
    s.into_bytes()
}

#[test]
fn good_file_stores_every_row() {
    let mut f = Fixture::new();
    let p = f.file("good.csv", &csv(&[HEADER, ROW_1, ROW_2, ASB]));
    let r = f.import(&p, true).unwrap();
    assert_eq!(r.rows_read, 3);
    assert!(r.problems.is_empty());
    assert_eq!(r.saved.unwrap().inserted, 3);
    assert_eq!(f.rows(), 3);
}

#[test]
fn importing_the_same_file_twice_stores_it_once() {
    let mut f = Fixture::new();
    let p = f.file("good.csv", &csv(&[HEADER, ROW_1, ROW_2, ASB]));
    f.import(&p, false).unwrap();
    let again = f.import(&p, false).unwrap().saved.unwrap();
    assert_eq!((again.inserted, again.replaced), (0, 3));
    assert_eq!(f.rows(), 3);
}

#[test]
fn an_updated_outcome_replaces_the_old_one() {
    let mut f = Fixture::new();
    let p = f.file("m.csv", &csv(&[HEADER, ROW_1]));
    f.import(&p, false).unwrap();
    let updated = ROW_1.replace("Investigation complete; no suspect identified", "Offender given a caution");
    let p2 = f.file("m-republished.csv", &csv(&[HEADER, &updated]));
    f.import(&p2, false).unwrap();
    let (cols, _) = f.store.load_street(42).unwrap();
    assert_eq!(cols.len(), 1);
    assert_eq!(cols.outcome_names[cols.outcome[0] as usize], "Offender given a caution");
}

#[test]
fn wrong_header_is_refused_naming_the_missing_columns() {
    let mut f = Fixture::new();
    let bad = HEADER.replace("Month", "Mnth").replace("Crime type", "Type");
    let p = f.file("bad-header.csv", &csv(&[&bad, ROW_1]));
    let err = f.import(&p, false).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ImportError::File(FileError::Header { line: 1, .. })), "{msg}");
    assert!(msg.contains("bad-header.csv:1: header"), "{msg}");
    assert!(msg.contains("'Month'") && msg.contains("'Crime type'"), "{msg}");
    assert_eq!(f.rows(), 0);
}

#[test]
fn missing_column_is_refused() {
    let mut f = Fixture::new();
    let header: Vec<&str> = HEADER.split(',').filter(|c| *c != "LSOA code").collect();
    let row: Vec<&str> = ROW_1.split(',').enumerate().filter(|(i, _)| *i != 7).map(|(_, v)| v).collect();
    let p = f.file("no-lsoa.csv", &csv(&[&header.join(","), &row.join(",")]));
    let msg = f.import(&p, false).unwrap_err().to_string();
    assert!(msg.contains("missing column 'LSOA code'"), "{msg}");
    assert_eq!(f.rows(), 0);
}

#[test]
fn empty_file_is_refused() {
    let mut f = Fixture::new();
    let p = f.file("empty.csv", b"");
    assert!(f.import(&p, false).unwrap_err().to_string().contains("empty"));
}

#[test]
fn bad_coordinates_name_line_and_field() {
    let mut f = Fixture::new();
    let not_a_number = ROW_2.replace("-1.670108", "-1.67o108");
    let swapped = ROW_2.replace("-1.670108,53.553629", "53.553629,-1.670108");
    let half = ROW_2.replace("53.553629", "");
    let p = f.file("coords.csv", &csv(&[HEADER, ROW_1, &not_a_number, &swapped, &half]));
    let r = f.import(&p, false).unwrap();
    let found: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(found, vec![(3, "Longitude"), (4, "Longitude"), (5, "Latitude")]);
    assert!(r.problems[0].to_string().contains("coords.csv:3: field 'Longitude': '-1.67o108' is not a number"));
    // Without --strict the good row is stored and the bad ones are not.
    assert_eq!(r.saved.unwrap().inserted, 1);
    assert_eq!(f.rows(), 1);
}

#[test]
fn strict_refuses_the_whole_file_and_keeps_what_was_stored() {
    let mut f = Fixture::new();
    let good = f.file("good.csv", &csv(&[HEADER, ROW_1, ASB]));
    f.import(&good, true).unwrap();
    let bad_month = ROW_2.replace("2017-07", "2017-13");
    let p = f.file("bad-month.csv", &csv(&[HEADER, ROW_2, &bad_month]));
    let r = f.import(&p, true).unwrap();
    assert!(r.refused());
    assert_eq!(r.problems.len(), 1);
    assert_eq!((r.problems[0].line, r.problems[0].field.as_str()), (3, "Month"));
    assert!(r.problems[0].message.contains("2017-13"));
    assert_eq!(f.rows(), 2, "the earlier file is intact and nothing of the refused one stored");
}

/// `import_files`, as `peel import` runs it, with parts of two rows: a file of seven rows is
/// read in four parts and stored whole; refused whole (strict) by a bad row in its last part,
/// nothing of it is stored though its first parts were written.
#[test]
fn a_file_read_in_parts_is_stored_or_refused_whole() {
    let mut f = Fixture::new();
    let id = |k: u32| format!("{k:064x}");
    let rows: Vec<String> = (1..=7).map(|k| ROW_1.replacen(&ROW_1[..64], &id(k), 1)).collect();
    let mut lines: Vec<&str> = vec![HEADER];
    lines.extend(rows.iter().map(String::as_str));
    let p = f.file("parts.csv", &csv(&lines));
    let options = ImportOptions { strict: true, part_rows: 2 };
    let mut reports = vec![];
    let files = [(p.clone(), peel_ingest::FileKind::PoliceUk)];
    peel_ingest::import_files(&mut f.store, &files, &options, &mut NoProgress, |r| reports.push(r)).unwrap();
    let r = reports.pop().unwrap().unwrap();
    assert_eq!((r.rows_read, r.saved.map(|s| s.inserted)), (7, Some(7)));
    assert_eq!(f.rows(), 7);
    // Again: every row replaced, none added.
    peel_ingest::import_files(&mut f.store, &files, &options, &mut NoProgress, |r| reports.push(r)).unwrap();
    let r = reports.pop().unwrap().unwrap();
    assert_eq!(r.saved.map(|s| (s.inserted, s.replaced)), Some((0, 7)));
    // Seven new rows and a bad month on the last line: strict refuses the file whole.
    let more: Vec<String> = (8..=14).map(|k| ROW_2.replacen(&ROW_2[..64], &id(k), 1)).collect();
    let bad = ROW_2.replacen(&ROW_2[..64], &id(15), 1).replace("2017-07", "2017-13");
    let mut lines: Vec<&str> = vec![HEADER];
    lines.extend(more.iter().map(String::as_str));
    lines.push(&bad);
    let p = f.file("parts-bad.csv", &csv(&lines));
    let files = [(p, peel_ingest::FileKind::PoliceUk)];
    peel_ingest::import_files(&mut f.store, &files, &options, &mut NoProgress, |r| reports.push(r)).unwrap();
    let r = reports.pop().unwrap().unwrap();
    assert!(r.refused());
    assert_eq!((r.problems.len(), r.problems[0].line, r.problems[0].field.as_str()), (1, 9, "Month"));
    assert_eq!(f.rows(), 7, "nothing of the refused file, though three of its parts were written");
    // Not strict: the good rows of every part stored, the bad one reported.
    let lenient = ImportOptions { strict: false, part_rows: 2 };
    peel_ingest::import_files(&mut f.store, &files, &lenient, &mut NoProgress, |r| reports.push(r)).unwrap();
    let r = reports.pop().unwrap().unwrap();
    assert_eq!((r.saved.map(|s| s.inserted), r.problems.len()), (Some(7), 1));
    assert_eq!(f.rows(), 14);
    // A Crime ID repeated in a later part: stored once, the later row (its outcome), counted
    // as a replacement rather than a repeat (the parts do not remember each other's IDs, so
    // that memory stays bounded; police_uk::parse_parts says so).
    let x = ROW_1.replacen(&ROW_1[..64], &id(99), 1);
    let later = x.replace("Investigation complete; no suspect identified", "Local resolution");
    let y = ROW_2.replacen(&ROW_2[..64], &id(98), 1);
    let p = f.file("repeat.csv", &csv(&[HEADER, &x, &y, &later]));
    let files = [(p, peel_ingest::FileKind::PoliceUk)];
    peel_ingest::import_files(&mut f.store, &files, &options, &mut NoProgress, |r| reports.push(r)).unwrap();
    let r = reports.pop().unwrap().unwrap();
    assert_eq!(r.saved.map(|s| (s.inserted, s.replaced)), Some((2, 1)));
    assert_eq!(f.rows(), 16);
    let (cols, _) = f.store.load_street(42).unwrap();
    let resolved = cols.outcome_names.iter().position(|o| o == "Local resolution").unwrap() as u32;
    assert_eq!(cols.outcome.iter().filter(|&&o| o == resolved).count(), 1, "the later row's outcome");
}

#[test]
fn byte_order_mark_is_not_part_of_the_first_column() {
    let mut f = Fixture::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(csv(&[HEADER, ROW_1, ASB]));
    let p = f.file("bom.csv", &bytes);
    let r = f.import(&p, true).unwrap();
    assert_eq!(r.saved.unwrap().inserted, 2);
}

#[test]
fn crlf_line_endings() {
    let mut f = Fixture::new();
    let text = [HEADER, ROW_1, ROW_2, ASB].join("\r\n") + "\r\n";
    let p = f.file("crlf.csv", text.as_bytes());
    let r = f.import(&p, true).unwrap();
    assert_eq!(r.saved.unwrap().inserted, 3);
    let (cols, _) = f.store.load_street(42).unwrap();
    assert!(cols.outcome_names.iter().all(|o| !o.ends_with('\r')), "{:?}", cols.outcome_names);
    assert!(cols.outcome_names.contains(&"Investigation complete; no suspect identified".to_string()));
}

#[test]
fn quoted_commas_stay_in_their_field() {
    let mut f = Fixture::new();
    let row = ROW_1.replace("On or near Brown'S Edge Road", "\"On or near Brown'S Edge Road, Penistone\"");
    let p = f.file("quoted.csv", &csv(&[HEADER, &row]));
    let r = f.import(&p, true).unwrap();
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.saved.unwrap().inserted, 1);
}

#[test]
fn truncated_last_line_is_reported() {
    let mut f = Fixture::new();
    let mut text = csv(&[HEADER, ROW_1]);
    text.extend_from_slice(&ROW_2.as_bytes()[..90]); // cut mid-row, no newline
    let p = f.file("truncated.csv", &text);
    let r = f.import(&p, false).unwrap();
    assert_eq!(r.problems.len(), 1);
    assert_eq!((r.problems[0].line, r.problems[0].field.as_str()), (3, "row"));
    assert!(r.problems[0].message.contains("expected 12 fields"), "{}", r.problems[0]);
    assert_eq!(f.rows(), 1);
    assert!(f.import(&p, true).unwrap().refused());
}

#[test]
fn non_utf8_bytes_name_the_field() {
    let mut f = Fixture::new();
    let mut text = csv(&[HEADER, ROW_1]);
    // "On or near Caf\xE9 Lane" in Latin-1, as a spreadsheet might save it.
    text.extend(ROW_2.replace("On or near Huddersfield Road", "On or near Caf\u{1}").into_bytes());
    let at = text.iter().rposition(|&b| b == 1).unwrap();
    text[at] = 0xE9;
    text.push(b'\n');
    let p = f.file("latin1.csv", &text);
    let r = f.import(&p, false).unwrap();
    assert_eq!(r.problems.len(), 1);
    let p0 = &r.problems[0];
    assert_eq!((p0.line, p0.field.as_str()), (3, "Location"));
    assert!(p0.message.contains("not valid UTF-8") && p0.message.contains("0xE9"), "{p0}");
}

#[test]
fn unknown_force_and_category_and_lsoa() {
    let mut f = Fixture::new();
    let force = ROW_1.replace("West Yorkshire Police,-1.706334", "Gotham City Police,-1.706334");
    let category = ROW_2.replace("Theft from the person", "Jaywalking");
    let lsoa = ROW_2.replace("E01007426", "E0100742X").replace("e3f8", "aaaa");
    let p = f.file("words.csv", &csv(&[HEADER, &force, &category, &lsoa]));
    let r = f.import(&p, false).unwrap();
    let found: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(found, vec![(2, "Falls within"), (3, "Crime type"), (4, "LSOA code")]);
    assert_eq!(f.rows(), 0);
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let mut f = Fixture::new();
    let p = f.dir.path().join("nope.csv");
    let msg = f.import(&p, false).unwrap_err().to_string();
    assert!(msg.contains("nope.csv"), "{msg}");
}

// ---- numbers that overflow or make no sense, sizes, unterminated quotes (issue 8) ----------

const ONS_HEADER: &str = "Region code,Region name,Local authority code,Local authority name,MSOA Code,MSOA Name,LSOA Code,LSOA Name,,Persons,Persons,Persons,Hectares,Persons per hectare,Households,Persons per household";

fn ons_row(lsoa: &str, persons: &str, hectares: &str, households: &str) -> String {
    format!(
        "E12000003,YORKSHIRE AND THE HUMBER,E08000035,Leeds,E02002330,Leeds 001,{lsoa},Leeds 001A,,{persons},{persons},0,{hectares},2.4,{households},2.3"
    )
}

fn import_kind(f: &mut Fixture, kind: peel_ingest::FileKind, path: &Path) -> peel_ingest::FileReport {
    peel_ingest::import_file(&mut f.store, kind, path, &ImportOptions::default(), &mut NoProgress).unwrap()
}

#[test]
fn population_numbers_that_overflow_or_make_no_sense_are_refused_by_line_and_field() {
    let mut f = Fixture::new();
    let good = ons_row("E01011111", "\"1,563\"", "650", "666");
    let rows = [
        ons_row("E01011112", "1e300", "650", "666"),
        ons_row("E01011113", "\"1,5,6,3\"", "650", "666"),
        ons_row("E01011114", "9223372036854775808", "650", "666"),
        ons_row("E01011115", "1563", "0", "666"),
        ons_row("E01011116", "1563", "NaN", "666"),
        ons_row("E01011117", "1563", "650", "-4"),
        ons_row("E01011118", "250000", "650", "666"),
    ];
    let mut lines = vec![ONS_HEADER, good.as_str()];
    lines.extend(rows.iter().map(String::as_str));
    let p = f.file("pop.csv", &csv(&lines));
    let r = import_kind(&mut f, peel_ingest::FileKind::Ons, &p);
    let said: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(said.len(), 7, "{said:#?}");
    for (i, field) in
        ["Persons", "Persons", "Persons", "Hectares", "Hectares", "Households", "Persons"].iter().enumerate()
    {
        let expected = format!("pop.csv:{}: field '{field}'", i + 3);
        assert!(said[i].contains(&expected), "{} does not name {expected}", said[i]);
    }
    assert!(said[1].contains("commas only between thousands"), "{}", said[1]);
    assert!(said[6].contains("more than an LSOA can hold"), "{}", said[6]);
    // The good row is stored with its thousands separator read.
    assert_eq!(r.saved.unwrap().inserted, 1);
}

#[test]
fn a_count_of_offences_past_any_force_is_refused() {
    let mut f = Fixture::new();
    let header = ",Financial_Year,Financial_Quarter,Force_Name,Offence_Description,Offence_Group,Offence_Subgroup,Offence_Code,Number_of_Offences,Policeuk_Cat";
    let row = |n: &str| format!("0,2017/18,1,West Yorkshire,Burglary,Theft offences,Burglary,28E,{n},Burglary");
    let (big, huge, fine) = (row("9223372036854775807"), row("10000001"), row("-12"));
    let p = f.file("prc.csv", &csv(&[header, &big, &huge, &fine]));
    let r = import_kind(&mut f, peel_ingest::FileKind::HomeOffice, &p);
    let said: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(said.len(), 2, "{said:#?}");
    assert!(said[0].contains("prc.csv:2: field 'Number_of_Offences'"), "{}", said[0]);
    assert!(said[1].contains("prc.csv:3: field 'Number_of_Offences'"), "{}", said[1]);
    assert_eq!(r.saved.unwrap().inserted, 1, "the negative adjustment is a real count");
}

#[test]
fn an_unterminated_quote_is_reported_at_its_line_not_swallowed() {
    let mut f = Fixture::new();
    let broken = ROW_2.replace("On or near Huddersfield Road", "\"On or near Huddersfield Road");
    let p = f.file("quote.csv", &csv(&[HEADER, ROW_1, &broken, ASB, ROW_1]));
    let r = f.import(&p, false).unwrap();
    let said: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].contains("quote.csv:3: field 'Location'"), "{}", said[0]);
    assert!(said[0].contains("unterminated"), "{}", said[0]);
    // The lines after it are rows: the ASB row stored, the repeated crime merged.
    assert_eq!(f.rows(), 2, "the lines after the open quote are read");
    // After a blank line, the row is named by its own line, and so are those after it.
    let mut f = Fixture::new();
    let bad_month = ROW_2.replace(",2017-07,", ",2017-13,");
    let p = f.file("blank.csv", &csv(&[HEADER, ROW_1, "", &broken, ASB, &bad_month]));
    let r = f.import(&p, false).unwrap();
    let said: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(said.len(), 2, "{said:#?}");
    assert!(said[0].contains("blank.csv:4: field 'Location'"), "{}", said[0]);
    assert!(said[1].contains("blank.csv:6: field 'Month'"), "{}", said[1]);
    // Strict: the whole file is refused, nothing of it stored.
    let mut f = Fixture::new();
    let p = f.file("quote.csv", &csv(&[HEADER, ROW_1, &broken, ASB]));
    assert!(f.import(&p, true).unwrap().refused());
    assert_eq!(f.rows(), 0);
}

#[test]
fn a_field_over_the_size_limit_is_refused_by_name() {
    let mut f = Fixture::new();
    let long = ROW_2.replace("On or near Huddersfield Road", &"x".repeat(peel_ingest::csvfile::MAX_FIELD_BYTES + 1));
    let p = f.file("long.csv", &csv(&[HEADER, ROW_1, &long]));
    let r = f.import(&p, false).unwrap();
    let said: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].contains("long.csv:3: field 'Location'") && said[0].contains("over the 4096"), "{}", said[0]);
    assert_eq!(f.rows(), 1);
}

/// `import_crimes` with parts of two lines, as a large file is read: a reference on a line
/// of a later part is one crime with the later line's values, counted as a repeat; strict, a
/// bad line in the third part stores nothing though two parts were written, and every bad
/// line is reported, those after the first too; lenient, the good lines of every part.
#[test]
fn a_crimes_file_read_in_parts_is_stored_or_refused_whole() {
    let mut f = Fixture::new();
    let header = peel_ingest::crimes::COLUMNS.join(",");
    let line = |reference: &str, day: u32, code: &str| format!("{reference},2025-03-{day:02}T10:00,,{code},,,,,,,,,");
    let held = |f: &Fixture| {
        let mut days: Vec<i64> = f
            .store
            .load_crime_facts(41, YearMonth { year: 2025, month: 3 }, YearMonth { year: 2025, month: 3 })
            .unwrap()
            .recorded
            .iter()
            .map(|m| {
                (m - peel_domain::date::Timestamp::parse("2025-03-01T10:00").unwrap().minutes_since_epoch()) / 1440 + 1
            })
            .collect();
        days.sort();
        days
    };
    let strict = ImportOptions { strict: true, part_rows: 2 };
    let lines = [
        header.clone(),
        line("H/1", 1, "8N"),
        line("H/2", 2, "8N"),
        line("H/3", 3, "8N"),
        line("H/4", 4, "8N"),
        line("H/5", 5, "8N"),
        line("H/2", 20, "8N"),
    ];
    let p = f.file("history.csv", lines.join("\n").as_bytes());
    let r = import_crimes(&mut f.store, &p, 41, &strict, &mut NoProgress).unwrap();
    assert_eq!((r.rows_read, r.repeated_keys, r.problems.len()), (6, 1, 0));
    assert_eq!((r.saved.inserted, r.saved.replaced, r.saved.stored), (5, 0, true));
    assert_eq!(held(&f), vec![1, 3, 4, 5, 20], "H/2 as its later line says");

    let lines = [
        header,
        line("H/6", 6, "8N"),
        line("H/7", 7, "8N"),
        line("H/8", 8, "8N"),
        line("H/9", 9, "8N"),
        line("H/10", 10, "ZZ"),
        line("H/11", 11, "8N"),
        line("H/12", 12, "QQ"),
    ];
    let p = f.file("history-bad.csv", lines.join("\n").as_bytes());
    let r = import_crimes(&mut f.store, &p, 41, &strict, &mut NoProgress).unwrap();
    let bad: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(bad, vec![(6, "offence_code"), (8, "offence_code")]);
    assert!(!r.saved.stored);
    assert_eq!(held(&f), vec![1, 3, 4, 5, 20], "nothing of the refused file, though two of its parts were written");
    let lenient = ImportOptions { strict: false, part_rows: 2 };
    let r = import_crimes(&mut f.store, &p, 41, &lenient, &mut NoProgress).unwrap();
    assert_eq!((r.saved.inserted, r.problems.len()), (5, 2));
    assert_eq!(held(&f), vec![1, 3, 4, 5, 6, 7, 8, 9, 11, 20]);
}

#[test]
fn a_crime_id_in_two_months_is_two_records_however_the_file_is_read() {
    // The store keys a record by force, month and Crime ID: in one part of a file as in two.
    let mut f = Fixture::new();
    let august = ROW_1.replace(",2017-07,", ",2017-08,");
    let p = f.file("two-months.csv", &csv(&[HEADER, ROW_1, &august]));
    let r = f.import(&p, false).unwrap();
    assert_eq!(r.repeated_keys, 0);
    assert_eq!(f.rows(), 2, "one record in each month");
    // In the same month, the later line is the record.
    let mut f = Fixture::new();
    let again = ROW_1.replace("Burglary", "Robbery");
    let p = f.file("same-month.csv", &csv(&[HEADER, ROW_1, &again]));
    let r = f.import(&p, false).unwrap();
    assert_eq!((r.repeated_keys, f.rows()), (1, 1));
}
