//! The CLI behaves (issue 11, item 7): output piped into a reader that stops early (`head`,
//! `less`) ends `peel` quietly; every list starts with a header row and stops at `--limit`,
//! saying how many rows it left out; `peel status` counts the casework; every subcommand and
//! option has help text.
//!
//! The casework is one month of the synthetic force (`peel demo --months 1`), made once for
//! the tests in this file.

mod common;
use common::*;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

struct Demo {
    _dir: tempfile::TempDir,
    db: PathBuf,
    /// What `peel demo` printed: its own counts.
    summary: String,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("demo.db");
        let summary = ok(&peel(&db, &["demo", "--months", "1", "--seed", "3"]));
        Demo { _dir: dir, db, summary }
    })
}

fn lines(out: &str) -> Vec<&str> {
    out.lines().collect()
}

fn json_len(args: &[&str]) -> usize {
    let v: Value = serde_json::from_str(&ok(&peel(&demo().db, args))).unwrap();
    v.as_array().expect("a JSON list").len()
}

/// "1,234" as 1234.
fn number(s: &str) -> u64 {
    s.replace(',', "").parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// The number after `label` on the line that starts with it (after indentation).
fn figure(out: &str, label: &str) -> u64 {
    let line =
        out.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_else(|| panic!("no {label:?} in\n{out}"));
    number(line.trim_start()[label.len()..].split_whitespace().next().unwrap())
}

#[test]
fn a_reader_that_stops_early_ends_peel_quietly() {
    let db = &demo().db;
    // Each of these prints far more than a pipe holds (64 KiB; at least twice that here), so
    // the reader going away leaves peel with lines still to write.
    let cases: [&[&str]; 4] = [
        &["worklist", "obligations", "--json"],
        &["worklist", "meeting", "--json"],
        &["worklist", "obligations", "--limit", "0"],
        &["worklist", "meeting", "--limit", "0"],
    ];
    for args in cases {
        let full = ok(&peel(db, args));
        assert!(full.len() > 128 * 1024, "peel {args:?} printed only {} bytes", full.len());
        for read in [1, 0] {
            let (status, stderr) = close_early(db, args, read);
            assert!(!stderr.contains("panicked"), "peel {args:?}, reader closed after {read} line(s):\n{stderr}");
            assert!(!stderr.contains("Broken pipe"), "peel {args:?}:\n{stderr}");
            assert!(status.success(), "peel {args:?}, reader closed after {read} line(s): {status}\n{stderr}");
        }
    }
    // Small outputs too, the reader gone before the first line (`peel status | true`).
    for args in [
        &["status"][..],
        &["worklist", "decisions"],
        &["victims-code", "due", "--event", "arrest", "--at", "2026-12-24"],
    ] {
        let (status, stderr) = close_early(db, args, 0);
        assert!(!stderr.contains("panicked") && status.success(), "peel {args:?}: {status}\n{stderr}");
    }
}

/// A copy of the demo with three crimes reported in the last hours, awaiting their recording
/// decision, as every force's queue holds some. The demo's own queue depends on the day it
/// is made: its months end with the last full month, so only an incident whose decision
/// came more than the days since then after its report is still open (on some days none).
fn with_reports_awaiting_decision() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.db");
    rusqlite::Connection::open(&demo().db).unwrap().execute("VACUUM INTO ?1", [db.to_str().unwrap()]).unwrap();
    let mut store = peel_store::SqliteStore::open(&db).unwrap();
    let now = peel_casework::now();
    for hours in 1..=3 {
        let report = peel_casework::submit_report(
            &mut store,
            &peel_casework::ReportInput {
                channel: "101".into(),
                kind: "crime".into(),
                account: "Shed broken into overnight, tools taken.".into(),
                ..Default::default()
            },
            "call-handler:test",
            now.add_minutes(-60 * hours),
        )
        .unwrap();
        assert!(report.incident.is_some(), "a crime report opens an incident");
    }
    (dir, db)
}

/// Checks a table printed with `--limit`: its header, `limit` rows, and the line saying how
/// many of `total` were left out.
fn check_table(args: &[&str], header: &[&str], limit: usize, total: usize) {
    check_table_of(&demo().db, args, header, limit, total)
}

fn check_table_of(db: &std::path::Path, args: &[&str], header: &[&str], limit: usize, total: usize) {
    let mut all = args.to_vec();
    let n = limit.to_string();
    all.extend(["--limit", &n]);
    let out = ok(&peel(db, &all));
    let l = lines(&out);
    let words: Vec<&str> = l[0].split_whitespace().collect();
    assert_eq!(words, header, "peel {all:?}: the header row\n{out}");
    assert!(total > limit, "peel {args:?}: the demo has only {total} rows");
    assert_eq!(l.len(), 1 + limit + 1, "peel {all:?}: the header, {limit} rows, the rest counted\n{out}");
    let more = l[l.len() - 1];
    assert!(more.starts_with("… ") && more.contains("more (use --limit"), "peel {all:?}: {more}");
    assert_eq!(number(more.split_whitespace().nth(1).unwrap()), (total - limit) as u64, "{more}");
    // The rows are the first `limit` of the whole list.
    let all_rows = ok(&peel(db, &[args, &["--limit", "0"]].concat()));
    let every = lines(&all_rows);
    assert_eq!(every.len(), 1 + total, "peel {args:?} --limit 0: the header and every row");
    assert_eq!(every[..=limit], l[..=limit]);
}

#[test]
fn lists_have_a_header_row_and_a_limit() {
    let obligations = json_len(&["worklist", "obligations", "--json"]);
    check_table(&["worklist", "obligations"], &["crime", "due", "right", "victim", "description"], 5, obligations);
    let (_dir, queue) = with_reports_awaiting_decision();
    let decisions = serde_json::from_str::<Value>(&ok(&peel(&queue, &["worklist", "decisions", "--json"]))).unwrap();
    let decisions = decisions.as_array().expect("a JSON list").len();
    assert!(decisions >= 3, "the three reports await their decision: {decisions}");
    check_table_of(
        &queue,
        &["worklist", "decisions"],
        &["incident", "decision", "due", "time", "left", "status"],
        2,
        decisions,
    );
    let meeting = json_len(&["worklist", "meeting", "--json"]);
    check_table(&["worklist", "meeting"], &["crime", "offence", "reasons"], 7, meeting);
    let suspects = json_len(&["worklist", "suspects", "--json", "--limit", "0"]);
    check_table(&["worklist", "suspects"], &["crime", "score", "why"], 3, suspects);

    // Without --limit a table stops at 100 rows (suspects at 50) and says so.
    assert!(obligations > 100 && suspects > 50);
    let l = ok(&peel(&demo().db, &["worklist", "obligations"]));
    assert_eq!(lines(&l).len(), 1 + 100 + 1);
    let l = ok(&peel(&demo().db, &["worklist", "suspects"]));
    assert_eq!(lines(&l).len(), 1 + 50 + 1);
    // --top is still the suspects' (and areas') word for it.
    let l = ok(&peel(&demo().db, &["worklist", "suspects", "--top", "4"]));
    assert_eq!(lines(&l).len(), 1 + 4 + 1);

    // JSON is cut only when --limit is given, and stays one valid document.
    assert_eq!(json_len(&["worklist", "obligations", "--json", "--limit", "3"]), 3);
    assert_eq!(json_len(&["worklist", "suspects", "--json"]), 50);
    assert_eq!(json_len(&["worklist", "suspects", "--json", "--limit", "0"]), suspects);
}

#[test]
fn status_counts_the_casework() {
    let d = demo();
    let status = ok(&peel(&d.db, &["status"]));
    // The demo's crimes, and the fraud crimes it disseminates afterwards.
    assert_eq!(figure(&status, "crimes"), figure(&d.summary, "crimes") + figure(&d.summary, "fraud"), "{status}");
    let obligations = figure(&status, "Victims' Code obligations");
    assert!(obligations >= figure(&d.summary, "obligations"), "{status}\n{}", d.summary);
    // "(110,874 met, 88,331 unmet; crimes not cancelled)"
    let line = status.lines().find(|l| l.contains("Victims' Code obligations")).unwrap();
    let counts: Vec<u64> =
        line.split(['(', ';']).nth(1).unwrap().split(", ").map(|p| number(p.split(' ').next().unwrap())).collect();
    let (met, unmet) = (counts[0], counts[1]);
    assert_eq!(met + unmet, obligations, "{line}");
    // The demo's "(110,853 met)": contacts made before the fraud's.
    let demo_line = d.summary.lines().find(|l| l.starts_with("obligations")).unwrap();
    assert!(met >= number(demo_line.split('(').nth(1).unwrap().split(' ').next().unwrap()), "{line}\n{demo_line}");
    assert!(figure(&status, "victims (people, businesses)") > 0, "{status}");
    assert_eq!(
        figure(&status, "incidents awaiting a decision") as usize,
        json_len(&["worklist", "decisions", "--json"])
    );
    assert_eq!(figure(&status, "accounts"), 0, "the demo makes no accounts");
    assert_eq!(figure(&status, "partner sites"), figure(&d.summary, "sites added"));

    // An empty store holds no casework.
    let dir = tempfile::tempdir().unwrap();
    let empty = ok(&peel(&dir.path().join("empty.db"), &["status"]));
    assert_eq!(figure(&empty, "crimes"), 0, "{empty}");
    assert_eq!(figure(&empty, "Victims' Code obligations"), 0, "{empty}");
}

/// The text of an entry of a help section ("  --officer <OFFICER>  Only the ...") without
/// clap's bracketed notes ([default: ...], [possible values: ...], [aliases: ...]).
fn described(entry: &str) -> bool {
    let Some((_, text)) = entry.trim_start().split_once("  ") else { return false };
    let mut rest = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if depth == 0 => rest.push(c),
            _ => {}
        }
    }
    !rest.trim().is_empty()
}

/// Walks `peel … -h` from the top: every subcommand listed and every option or argument of
/// each must come with help text. Returns the entries without it.
fn undocumented(path: &[String], missing: &mut Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<&str> = path.iter().map(String::as_str).chain(["-h"]).collect();
    let help = ok(&peel(&dir.path().join("unused.db"), &args));
    let mut section = "";
    let mut subcommands = Vec::new();
    for line in help.lines() {
        if !line.starts_with(' ') {
            section = line.trim_end_matches(':');
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        match section {
            "Commands" => {
                let name = line.split_whitespace().next().unwrap().to_string();
                if name != "help" {
                    if !described(line) {
                        missing.push(format!("peel {} {name}", path.join(" ")));
                    }
                    subcommands.push(name);
                }
            }
            "Options" | "Arguments" if !described(line) => {
                missing.push(format!("peel {}: {}", path.join(" "), line.trim()))
            }
            _ => {}
        }
    }
    for sub in subcommands {
        let mut p = path.to_vec();
        p.push(sub);
        undocumented(&p, missing);
    }
}

#[test]
fn every_subcommand_and_option_has_help_text() {
    let mut missing = Vec::new();
    undocumented(&[], &mut missing);
    assert!(missing.is_empty(), "no help text:\n{}", missing.join("\n"));
    // The walk reached the leaves.
    let dir = tempfile::tempdir().unwrap();
    let help = ok(&peel(&dir.path().join("unused.db"), &["performance", "dip-sample", "-h"]));
    assert!(help.contains("--seed <SEED>") && help.contains("same sample"), "{help}");
    assert!(described("      --seed <SEED>  The random seed [default: 1]"));
    assert!(!described("      --seed <SEED>  [default: 1]"));
    assert!(!described("      --json"));
}
