//! kill -9 during sign-ins, on SQLite and PostgreSQL: `peel serve` is killed at random moments
//! while four clients sign in (wrong, wrong, right, over and over), then started again. What a
//! client was told must have happened (a session it was handed still works) and the store must
//! agree with itself: the audit chain verifies, and each account's count of failed sign-ins is
//! exactly the failures its audit trail shows since its last sign-in — a failure counted but
//! not audited, or audited but not counted, breaks it.

mod common;

use common::{peel_stdin, serve};
use peel_store::audit::AuditQuery;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const OFFICERS: usize = 4;
const PASSWORD: &str = "correct horse battery staple 7";

fn pg_url() -> String {
    std::env::var("PEEL_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// One request on a connection of its own: (status, the session cookie if one was set).
fn request(port: u16, raw: &str) -> std::io::Result<(u16, Option<String>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    s.write_all(raw.as_bytes())?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer)?;
    let text = String::from_utf8_lossy(&answer);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
    let Some(status) = status else {
        return Err(std::io::Error::other("no answer"));
    };
    let cookie = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().split(';').next().unwrap_or("").to_string());
    Ok((status, cookie))
}

fn sign_in(port: u16, username: &str, password: &str) -> std::io::Result<(u16, Option<String>)> {
    let body = format!("username={username}&password={}", password.replace(' ', "+"));
    request(
        port,
        &format!(
            "POST /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn kill_9_during_sign_ins(db: &str) {
    let mut accounts = vec![("admin".to_string(), "admin")];
    accounts.extend((0..OFFICERS).map(|k| (format!("pc-{k}"), "officer")));
    for (user, role) in &accounts {
        let mut args = vec!["accounts", "add", user, "--role", role, "--name", "Test Account", "--password-stdin"];
        if *role == "officer" {
            args.extend(["--team", "Birmingham East"]);
        }
        let out = peel_stdin(db, &args, PASSWORD);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // A client whose attempts were throttled (a right password lost to a kill leaves more
    // failures in a row) stops for good: attempts under the throttle count on towards the
    // lock, and a lock would end the sessions this test checks.
    let throttled: Arc<Vec<AtomicBool>> = Arc::new((0..OFFICERS).map(|_| AtomicBool::new(false)).collect());
    let sessions = Arc::new(Mutex::new(Vec::<String>::new()));
    let (mut killed, mut answered) = (0, 0usize);
    for round in 0..8u64 {
        let mut server = serve(db, &[]);
        let port = server.port;
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..OFFICERS)
            .map(|k| {
                let (stop, sessions, throttled) = (stop.clone(), sessions.clone(), throttled.clone());
                std::thread::spawn(move || {
                    let user = format!("pc-{k}");
                    let mut n = 0usize;
                    let mut told = 0usize;
                    while !stop.load(Ordering::Relaxed) && !throttled[k].load(Ordering::Relaxed) {
                        let right = n % 3 == 2;
                        let password = if right { PASSWORD } else { "not the password at all" };
                        match sign_in(port, &user, password) {
                            Ok((303, Some(cookie))) if right => {
                                sessions.lock().unwrap().push(cookie);
                                told += 1;
                            }
                            Ok((429, _)) => throttled[k].store(true, Ordering::Relaxed),
                            Ok((401 | 200, _)) if !right => told += 1,
                            Ok((status, _)) => panic!("{user}: sign-in answered {status} (right password: {right})"),
                            Err(_) => break, // the server is gone
                        }
                        n += 1;
                    }
                    told
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300 + (round * 211) % 900));
        server.child.kill().unwrap(); // SIGKILL
        server.child.wait().unwrap();
        killed += 1;
        stop.store(true, Ordering::Relaxed);
        answered += clients.into_iter().map(|c| c.join().unwrap()).sum::<usize>();
    }
    assert!(killed == 8 && answered > 0, "{answered} sign-ins answered");

    // Every session a client was handed survived the kills.
    let server = serve(db, &[]);
    let sessions = sessions.lock().unwrap().clone();
    assert!(!sessions.is_empty(), "no sign-in succeeded before the kills");
    for cookie in &sessions {
        let (status, _) = request(
            server.port,
            &format!(
                "GET /account/password HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
            ),
        )
        .unwrap();
        assert_eq!(status, 200, "a session handed out before a kill no longer works");
    }
    let mut server = server;
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    // The store agrees with itself.
    let verify = peel_stdin(db, &["audit", "verify", "--json"], "");
    let report: serde_json::Value = serde_json::from_str(&common::ok(&verify)).unwrap();
    assert!(report["failure"].is_null(), "{report}");
    let store = peel_store::open(db).unwrap();
    let mut signed_in = 0;
    for k in 0..OFFICERS {
        let user = format!("pc-{k}");
        let account = store.find_account(&user).unwrap().unwrap();
        let trail = store
            .audit_search(&AuditQuery { actor: Some(user.clone()), limit: 1_000_000, ..AuditQuery::default() })
            .unwrap();
        let mut entries: Vec<_> = trail.iter().filter(|e| e.entity == "account").collect();
        entries.sort_by_key(|e| e.id);
        let since_last = entries.iter().rev().take_while(|e| e.action != "sign-in").collect::<Vec<_>>();
        let failures = since_last.iter().filter(|e| e.action == "sign-in-failed").count() as i64;
        assert_eq!(account.failed_sign_ins, failures, "{user}: counter and trail disagree");
        assert!(account.locked_at.is_none(), "{user} was locked: the pattern never fails five times running");
        signed_in += entries.iter().filter(|e| e.action == "sign-in").count();
    }
    assert!(signed_in >= sessions.len(), "{signed_in} sign-ins audited, {} sessions handed out", sessions.len());
}

#[test]
fn kill_9_during_sign_ins_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    kill_9_during_sign_ins(dir.path().join("peel.db").to_str().unwrap());
}

#[test]
fn kill_9_during_sign_ins_on_postgres() {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let schema = format!("peel_kill_sign_in_{}_{nanos}", std::process::id());
    struct DropSchema(String);
    impl Drop for DropSchema {
        fn drop(&mut self) {
            let _ = peel_store::PostgresStore::drop_schema(&pg_url(), &self.0);
        }
    }
    let _drop = DropSchema(schema.clone());
    let url = pg_url();
    let sep = if url.contains('?') { '&' } else { '?' };
    kill_9_during_sign_ins(&format!("{url}{sep}options=-csearch_path%3D{schema}"));
}
