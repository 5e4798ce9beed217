//! Shared by the CLI tests: run the real `peel` binary against a store in a temp folder.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The header of `peel import crimes`, as the issue writes it.
pub const CRIMES_HEADER: &str = "reference,recorded_at,occurred_at,offence_code,postcode,easting,northing,flags,victim_age,victim_sex,outcome_type,outcome_date,team";

/// A small seeded generator, the tests' own (the same seed, the same crimes).
pub struct Lcg(pub u64);
impl Lcg {
    /// A number below `n`.
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The real public data beside the checkout (`../shared/data`), or `PEEL_SHARED_DATA`.
pub fn shared_data() -> PathBuf {
    if let Ok(p) = std::env::var("PEEL_SHARED_DATA") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

pub fn peel(db: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_peel")).arg("--db").arg(db).args(args).output().expect("run peel")
}

pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "peel failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Runs peel with standard output into a pipe that this end closes after reading `read`
/// lines (0: before peel writes anything, as `peel … | true` does), and returns the exit
/// status and standard error.
pub fn close_early(db: &Path, args: &[&str], read: usize) -> (std::process::ExitStatus, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_peel"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run peel");
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    for _ in 0..read {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "peel {args:?} printed fewer than {read} lines");
    }
    drop(reader);
    let out = child.wait_with_output().unwrap();
    (out.status, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The PostgreSQL server the tests use: `PEEL_TEST_DATABASE_URL`, default
/// `postgres://postgres@127.0.0.1:5432/test`.
pub fn pg_url() -> String {
    std::env::var("PEEL_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A store in a schema of its own on the test server, named in the `--db` URL the standard
/// libpq way (`?options=-csearch_path%3DSCHEMA`: Peel creates it on first use), dropped when
/// the test ends, passing or failing.
pub struct PgSchema {
    pub schema: String,
    /// The `--db` URL.
    pub db: String,
}

impl PgSchema {
    pub fn new(prefix: &str) -> PgSchema {
        let url = pg_url();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let schema = format!("{prefix}_{}_{nanos}", std::process::id());
        let sep = if url.contains('?') { '&' } else { '?' };
        PgSchema { db: format!("{url}{sep}options=-csearch_path%3D{schema}"), schema }
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let _ = peel_store::PostgresStore::drop_schema(&pg_url(), &self.schema);
    }
}

/// Runs peel on the store `db` names (a path or a URL).
pub fn peel_db(db: &str, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_peel")).arg("--db").arg(db).args(args).output().expect("run peel")
}

/// `peel serve` running in a child process; killed (SIGKILL) when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `peel --db DB serve ARGS… --addr 127.0.0.1:0` and reads the port it prints.
pub fn serve(db: &str, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_peel"))
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = loop {
        let line = lines.next().expect("the server printed its address").unwrap();
        if let Some(rest) = line.split("://127.0.0.1:").nth(1).filter(|_| line.contains("serving")) {
            break rest.trim().parse::<u16>().unwrap();
        }
    };
    // Keep draining its output so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, port }
}

/// `peel --db DB ARGS…` with `stdin` on its standard input.
pub fn peel_stdin(db: &str, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_peel"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// 1563 → "1,563", as the paper prints counts.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
