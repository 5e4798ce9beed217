//! Concurrent sign-ins cannot grow the server's memory past a stated bound (issue 8, item 5).
//!
//! Password hashes run in a fixed pool of N = cores preallocated Argon2 buffers of 19 MiB
//! (`peel_access::secrets`), so the bound is: the server's resident memory once started,
//! plus N × 19 MiB (the pool, if no password was hashed yet), plus 64 MiB of margin for
//! the connections, the blocking threads' stacks and the allocator's arenas. The test
//! starts the real `peel serve --demo`, fires 64 concurrent wrong-password sign-ins (unknown
//! usernames, so each costs a full hash and is never throttled) for several rounds, and
//! reads the server's peak resident memory (`VmHWM` in /proc/PID/status). Before the pool,
//! the same load took a debug build from 156 MB to 4.9 GB.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};

const MIB: u64 = 1024 * 1024;
const AT_ONCE: usize = 64;
const ROUNDS: usize = 4;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Peak resident memory of a process, in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM in /proc/PID/status");
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

fn sign_in(addr: SocketAddr, username: &str) -> u16 {
    let body = format!("username={username}&password=not+the+password+at+all");
    let mut s = TcpStream::connect(addr).unwrap();
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[test]
fn concurrent_wrong_sign_ins_stay_under_the_memory_bound() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_peel"))
        .arg("--db")
        .arg(dir.path().join("peel.db"))
        .args(["serve", "--demo", "--demo-months", "0", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run peel serve");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let pid = server.0.id();
    let mut lines = BufReader::new(stdout).lines();
    let addr: SocketAddr = loop {
        let line = lines.next().expect("peel serve said where it listens").unwrap();
        if let Some(at) = line.find("http://") {
            break line[at + 7..].split(|c: char| c.is_whitespace() || c == '/').next().unwrap().parse().unwrap();
        }
    };
    // Keep reading what the server prints, so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    let started = peak_rss(pid);
    let bound = started + cores * 19 * MIB + 64 * MIB;
    let mut answers = std::collections::BTreeMap::new();
    for round in 0..ROUNDS {
        let threads: Vec<_> =
            (0..AT_ONCE).map(|i| std::thread::spawn(move || sign_in(addr, &format!("nobody.{round}.{i}")))).collect();
        for t in threads {
            *answers.entry(t.join().unwrap()).or_insert(0) += 1;
        }
    }
    let peak = peak_rss(pid);
    eprintln!(
        "sign-in memory: started {} MiB, peak {} MiB after {ROUNDS} rounds of {AT_ONCE} concurrent sign-ins \
         (bound {} MiB = started + {cores} × 19 MiB + 64 MiB); answers {answers:?}",
        started / MIB,
        peak / MIB,
        bound / MIB
    );
    assert!(
        answers.keys().all(|s| *s == 401 || *s == 503),
        "wrong passwords are refused, or the server is busy: {answers:?}"
    );
    assert!(answers.get(&401).copied().unwrap_or(0) >= AT_ONCE, "most are checked: {answers:?}");
    assert!(peak <= bound, "peak RSS {} MiB is over the bound {} MiB", peak / MIB, bound / MIB);
}
