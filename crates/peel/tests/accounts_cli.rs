//! `peel accounts …` on the real binary: errors name the field, passwords come from standard
//! input under the one password rule, tokens are printed once and kept hashed, and every
//! change is audited as `cli:USER`.

mod common;
use common::*;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn with_stdin(db: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_peel"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("USER", "sgt.tester")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run peel");
    // A command refused for its arguments may end before it reads its input: the pipe is
    // then closed, which is no failure of the test (its output says what happened).
    match child.stdin.take().unwrap().write_all(input.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.unwrap(),
    }
    child.wait_with_output().unwrap()
}

/// Runs peel as the operating-system user "sgt.tester", with nothing on standard input.
fn cli(db: &Path, args: &[&str]) -> Output {
    with_stdin(db, args, "")
}

fn refused(out: &Output) -> String {
    assert!(!out.status.success(), "expected a refusal: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const PASSWORD: &str = "harbour violet tramline\n";

#[test]
fn bad_input_is_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let e = refused(&with_stdin(&db, &["accounts", "add", "jo", "--role", "boss", "--password-stdin"], PASSWORD));
    assert!(e.contains("--role: 'boss' is not a role; roles are partner, liaison, registrar, officer"), "{e}");
    let e = refused(&with_stdin(&db, &["accounts", "add", "jo", "--role", "officer", "--password-stdin"], PASSWORD));
    assert!(e.contains("--team: an investigating officer needs a team") || e.contains("--team:"), "{e}");
    let e = refused(&with_stdin(&db, &["accounts", "add", "jo", "--role", "partner", "--password-stdin"], PASSWORD));
    assert!(e.contains("--site:"), "{e}");
    let e = refused(&with_stdin(
        &db,
        &["accounts", "add", "jo", "--role", "partner", "--site", "99", "--password-stdin"],
        PASSWORD,
    ));
    assert!(e.contains("--site: there is no site 99"), "{e}");
    let e = refused(&with_stdin(&db, &["accounts", "add", "jo", "--role", "admin"], PASSWORD));
    assert!(e.contains("--password-stdin"), "{e}");
    let e = refused(&with_stdin(&db, &["accounts", "add", "jo", "--role", "admin", "--password-stdin"], "too short\n"));
    assert!(e.contains("--password-stdin: the password needs at least 12 characters"), "{e}");
    let e =
        refused(&with_stdin(&db, &["accounts", "add", "jo", "--role", "admin", "--password-stdin"], "1qaz2wsx3edc\n"));
    assert!(e.contains("commonest"), "{e}");
    let e =
        refused(&with_stdin(&db, &["accounts", "add", "Jo Smith", "--role", "admin", "--password-stdin"], PASSWORD));
    assert!(e.contains("USERNAME: 'jo smith' is not a username"), "{e}");
    let e = refused(&cli(&db, &["accounts", "disable", "nobody"]));
    assert!(e.contains("there is no account 'nobody'"), "{e}");
    assert!(peel_store::open(db.to_str().unwrap()).unwrap().accounts().unwrap().is_empty(), "nothing was added");
}

#[test]
fn accounts_are_added_listed_disabled_unlocked_and_reset_with_an_audit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let out = with_stdin(
        &db,
        &[
            "accounts",
            "add",
            "Chief.Admin",
            "--role",
            "admin",
            "--name",
            "Alex Admin",
            "--collar",
            "9001",
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert!(ok(&out).contains("added chief.admin"));
    let out = with_stdin(
        &db,
        &["accounts", "add", "pc.jones", "--role", "officer", "--team", "CID", "--collar", "9001", "--password-stdin"],
        PASSWORD,
    );
    assert!(refused(&out).contains("--collar: the collar number 9001 is already chief.admin's"));
    ok(&with_stdin(
        &db,
        &["accounts", "add", "pc.jones", "--role", "officer", "--team", "CID", "--password-stdin"],
        PASSWORD,
    ));
    let table = ok(&cli(&db, &["accounts", "list"]));
    assert!(table.lines().next().unwrap().starts_with("username"), "a header row: {table}");
    assert!(table.contains("chief.admin") && table.contains("9001") && table.contains("Alex Admin"), "{table}");
    ok(&cli(&db, &["accounts", "disable", "pc.jones"]));
    let list: serde_json::Value = serde_json::from_str(&ok(&cli(&db, &["accounts", "list", "--json"]))).unwrap();
    let jones = list.as_array().unwrap().iter().find(|a| a["username"] == "pc.jones").unwrap().clone();
    assert_eq!((jones["state"].as_str(), jones["team"].as_str()), (Some("disabled"), Some("CID")));
    assert!(jones.get("password_hash").is_none());
    ok(&cli(&db, &["accounts", "enable", "pc.jones"]));
    ok(&cli(&db, &["accounts", "unlock", "pc.jones"]));
    ok(&with_stdin(&db, &["accounts", "reset-password", "pc.jones", "--password-stdin"], "lantern gravel bicycle\n"));
    let store = peel_store::open(db.to_str().unwrap()).unwrap();
    let a = store.find_account("pc.jones").unwrap().unwrap();
    assert!(peel_access::secrets::verify_password("lantern gravel bicycle", &a.password_hash));
    assert!(!peel_access::secrets::verify_password("harbour violet tramline", &a.password_hash));
    let trail = store.audit_trail("account", a.id).unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "disable", "enable", "unlock", "password-reset"]);
    assert!(trail.iter().all(|e| e.actor == "cli:sgt.tester"), "{trail:?}");
}

#[test]
fn a_token_is_printed_once_kept_hashed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    ok(&with_stdin(&db, &["accounts", "add", "feed", "--role", "analyst", "--password-stdin"], PASSWORD));
    let token = ok(&cli(&db, &["accounts", "token", "feed", "--expires-days", "30", "--label", "nightly export"]));
    let token = token.trim();
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    let second = ok(&cli(&db, &["accounts", "token", "feed"]));
    let store = peel_store::open(db.to_str().unwrap()).unwrap();
    let now = peel_casework::now();
    let hash = peel_access::secrets::hash_token(token);
    assert_eq!(store.find_api_token(&hash, now).unwrap().map(|a| a.username), Some("feed".into()));
    assert!(store.find_api_token(token, now).unwrap().is_none(), "the token itself is not what is kept");
    let listed = ok(&cli(&db, &["accounts", "tokens", "feed"]));
    assert!(listed.contains("nightly export") && listed.contains("live") && !listed.contains(token), "{listed}");
    let e = refused(&cli(&db, &["accounts", "token", "feed", "--expires-days", "0"]));
    assert!(e.contains("--expires-days: 0"), "{e}");
    let e = refused(&cli(&db, &["accounts", "revoke-token", "feed"]));
    assert!(e.contains("ID:") && e.contains("--all"), "{e}");
    let e = refused(&cli(&db, &["accounts", "revoke-token", "feed", "77"]));
    assert!(e.contains("feed has no token 77"), "{e}");
    let first = store.api_tokens(store.find_account("feed").unwrap().unwrap().id).unwrap().last().unwrap().id;
    assert!(ok(&cli(&db, &["accounts", "revoke-token", "feed", &first.to_string()])).contains("revoked 1 token"));
    assert!(store.find_api_token(&hash, now).unwrap().is_none());
    let other = peel_access::secrets::hash_token(second.trim());
    assert!(store.find_api_token(&other, now).unwrap().is_some());
    assert!(ok(&cli(&db, &["accounts", "revoke-token", "feed", "--all"])).contains("revoked 1 token"));
    assert!(store.find_api_token(&other, now).unwrap().is_none());
    let trail = store.audit_trail("account", store.find_account("feed").unwrap().unwrap().id).unwrap();
    assert!(trail.iter().all(|e| !format!("{:?}", e.after).contains(token)), "no token in the audit");
}
