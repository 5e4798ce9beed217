//! Sign-in that cannot be abused, sessions that end, and accounts an administrator keeps:
//! the lockout rules (peel_access::lockout) through the real sign-in form, idle and absolute
//! session limits by the application's clock, the change-password page and the admin's
//! account page.

mod support;
use support::*;

fn wrong(c: &mut Client, username: &str) -> Response {
    c.post("/login", &[("username", username), ("password", "not the password at all")])
}

fn right(c: &mut Client, username: &str) -> Response {
    c.post("/login", &[("username", username), ("password", &format!("peel-demo-{username}"))])
}

fn audit_actions(s: &Server, username: &str) -> Vec<String> {
    let store = s.case_store();
    let a = store.find_account(username).unwrap().unwrap();
    store.audit_trail("account", a.id).unwrap().into_iter().map(|e| e.action).collect()
}

fn brute_force_meets_429_within_6_attempts_and_locks_at_10(s: &Server) {
    let mut c = s.client();
    for i in 1..=5 {
        assert_eq!(wrong(&mut c, "officer").status, 401, "attempt {i}");
    }
    let sixth = wrong(&mut c, "officer");
    assert_eq!(sixth.status, 429, "the 6th attempt is throttled: {}", sixth.body);
    assert_eq!(sixth.header("retry-after"), Some("120"), "counted, so 6 failures: 2 minutes");
    assert!(sixth.body.contains("too many failed sign-ins"), "{}", sixth.body);
    // Throttled, the right password is not even checked.
    assert_eq!(right(&mut c, "officer").status, 429);
    for _ in 8..=9 {
        assert_eq!(wrong(&mut c, "officer").status, 429);
    }
    let tenth = wrong(&mut c, "officer");
    assert_eq!(tenth.status, 423, "locked at the 10th: {}", tenth.body);
    assert!(tenth.body.contains("ask an administrator to unlock it"));
    s.advance(24 * 60);
    assert_eq!(right(&mut c, "officer").status, 423, "locked until an administrator unlocks it, however long");
    let store = s.case_store();
    let account = store.find_account("officer").unwrap().unwrap();
    assert_eq!((account.state(), account.failed_sign_ins), ("locked", 10));
    // The administrator unlocks it from the account's page; the unlock is audited.
    let mut admin = s.client();
    admin.login("admin");
    let page = admin.get("/admin/accounts/officer");
    assert!(page.body.contains("Unlock the account"), "{}", page.body);
    let r = admin.post("/admin/accounts/officer", &[("_csrf", &page.csrf()), ("action", "unlock")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(right(&mut c, "officer").status, 303, "unlocked, the right password works");
    let actions = audit_actions(s, "officer");
    assert_eq!(actions.iter().filter(|a| *a == "sign-in-failed").count(), 10);
    assert_eq!(actions.iter().filter(|a| *a == "lock").count(), 1);
    let unlock = actions.iter().position(|a| a == "unlock").expect("the unlock is audited");
    assert_eq!(actions[unlock + 1..], ["sign-in"]);
    let trail = store.audit_trail("account", account.id).unwrap();
    assert_eq!(trail.iter().find(|e| e.action == "unlock").unwrap().actor, "admin");
    assert!(trail.iter().all(|e| !format!("{:?}{:?}", e.before, e.after).contains("not the password")));
}

#[test]
fn brute_force_meets_429_within_6_attempts_and_locks_at_10_on_sqlite() {
    brute_force_meets_429_within_6_attempts_and_locks_at_10(&Server::start());
}

#[test]
fn brute_force_meets_429_within_6_attempts_and_locks_at_10_on_postgres() {
    brute_force_meets_429_within_6_attempts_and_locks_at_10(&Server::start_postgres());
}

#[test]
fn the_delay_grows_and_an_attempt_after_it_is_checked() {
    let s = Server::start();
    let mut c = s.client();
    for _ in 1..=5 {
        assert_eq!(wrong(&mut c, "partner").status, 401);
    }
    // Inside the delay: not checked, but counted (6 failures), so the wait is now 2 minutes.
    let r = right(&mut c, "partner");
    assert_eq!((r.status, r.header("retry-after")), (429, Some("120")));
    s.advance(1);
    let r = right(&mut c, "partner");
    assert_eq!((r.status, r.header("retry-after")), (429, Some("240")), "7 failures: 4 minutes, and growing");
    s.advance(4);
    assert_eq!(right(&mut c, "partner").status, 303, "after the delay the password is checked");
    assert_eq!(s.case_store().find_account("partner").unwrap().unwrap().failed_sign_ins, 0, "a sign-in ends the run");
}

#[test]
fn a_quiet_spell_ends_a_run_of_failures() {
    let s = Server::start();
    let mut c = s.client();
    for _ in 1..=4 {
        assert_eq!(wrong(&mut c, "analyst").status, 401);
    }
    s.advance(16);
    for _ in 1..=4 {
        assert_eq!(wrong(&mut c, "analyst").status, 401, "a new run: 4 failures, not 8");
    }
    assert_eq!(right(&mut c, "analyst").status, 303);
}

#[test]
fn unknown_usernames_cost_a_hash_and_write_nothing() {
    let s = Server::start();
    let mut c = s.client();
    let before = s.case_store().accounts().unwrap().len();
    for _ in 0..12 {
        assert_eq!(wrong(&mut c, "nobody.here").status, 401, "never throttled, never locked: there is nothing to lock");
    }
    assert_eq!(s.case_store().accounts().unwrap().len(), before);
    let trail = s.case_store().audit_trail("account", 0).unwrap();
    assert!(trail.is_empty());
}

#[test]
fn a_disabled_account_cannot_sign_in_and_its_session_ends_at_once() {
    let s = Server::start();
    let mut officer = s.client();
    officer.login("officer");
    assert_eq!(officer.get("/officer").status, 200);
    let mut admin = s.client();
    admin.login("admin");
    let page = admin.get("/admin/accounts/officer");
    let r = admin.post("/admin/accounts/officer", &[("_csrf", &page.csrf()), ("action", "disable")]);
    assert_eq!((r.status, r.header("location")), (303, Some("/admin/accounts/officer?done=account-changed")));
    let r = officer.get("/officer");
    assert_eq!((r.status, r.header("location")), (303, Some("/login")), "the session ended at once");
    let r = right(&mut s.client(), "officer");
    assert_eq!(r.status, 401, "refused as a wrong password is");
    let list = admin.get("/admin");
    assert!(list.body.contains("disabled"), "the list shows the state");
    // The list filters by state and role, and downloads as the page shows it.
    let disabled = admin.get("/admin?state=disabled").body;
    assert!(
        disabled.contains("href=\"/admin/accounts/officer\"")
            && !disabled.contains("href=\"/admin/accounts/supervisor\""),
        "{disabled}"
    );
    let csv = admin.get("/admin/accounts.csv?state=disabled");
    assert_eq!(csv.status, 200, "{}", csv.body);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "username,name,collar,role,site,team,state,last_signed_in");
    assert_eq!(lines.len(), 2, "{}", csv.body);
    assert!(
        lines[1].starts_with("officer,Demo Investigating Officer,")
            && lines[1].contains(",officer,")
            && lines[1].contains(",disabled,"),
        "{}",
        csv.body
    );
    let officers = admin.get("/admin/accounts.csv?role=supervisor").body;
    assert_eq!(officers.lines().count(), 2, "{officers}");
    assert!(!csv.body.contains("argon2") && !officers.contains("argon2"), "no password hashes");
    let logged = s
        .case_store()
        .audit_search(&peel_store::audit::AuditQuery { actor: Some("admin".into()), limit: 1000, ..Default::default() })
        .unwrap();
    assert!(
        logged.iter().any(|e| e.route.as_deref() == Some("GET /admin/accounts.csv") && e.entity == "account"),
        "the accounts download is in the access log: {logged:?}"
    );
    assert_eq!(officer.get("/admin/accounts.csv").status, 303, "signed out: to the sign-in page");
    let page = admin.get("/admin/accounts/officer");
    admin.post("/admin/accounts/officer", &[("_csrf", &page.csrf()), ("action", "enable")]);
    assert_eq!(right(&mut s.client(), "officer").status, 303);
    // An administrator cannot disable themselves (and so lock everyone out).
    let page = admin.get("/admin/accounts/admin");
    let r = admin.post("/admin/accounts/admin", &[("_csrf", &page.csrf()), ("action", "disable")]);
    assert_eq!(r.status, 422);
    assert!(s.case_store().find_account("admin").unwrap().unwrap().active());
}

#[test]
fn the_admin_resets_passwords_and_changes_roles_under_the_password_rule() {
    let s = Server::start();
    let mut admin = s.client();
    admin.login("admin");
    let page = admin.get("/admin/accounts/partner");
    let csrf = page.csrf();
    let r = admin
        .post("/admin/accounts/partner", &[("_csrf", &csrf), ("action", "password"), ("password", "1qaz2wsx3edc")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("commonest passwords"), "{}", r.body);
    let r = admin.post("/admin/accounts/partner", &[("_csrf", &csrf), ("action", "password"), ("password", "short")]);
    assert!(r.body.contains("at least 12 characters"));
    let r = admin.post(
        "/admin/accounts/partner",
        &[("_csrf", &csrf), ("action", "password"), ("password", "kettle lamppost orchard")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(right(&mut s.client(), "partner").status, 401, "the old password no longer works");
    let r = s.client().post("/login", &[("username", "partner"), ("password", "kettle lamppost orchard")]);
    assert_eq!(r.status, 303);
    // Role and scope: an officer needs a team.
    let r = admin.post("/admin/accounts/partner", &[("_csrf", &csrf), ("action", "role"), ("role", "officer")]);
    assert!(r.status == 422 && r.body.contains("needs a team"), "{}", r.body);
    let r = admin.post(
        "/admin/accounts/partner",
        &[("_csrf", &csrf), ("action", "role"), ("role", "officer"), ("team", "Response")],
    );
    assert_eq!(r.status, 303);
    let a = s.case_store().find_account("partner").unwrap().unwrap();
    assert_eq!((a.role.word(), a.site, a.team.as_deref()), ("officer", None, Some("Response")));
    let actions = audit_actions(&s, "partner");
    assert!(
        actions.contains(&"password-reset".to_string()) && actions.contains(&"change-role".to_string()),
        "{actions:?}"
    );
    // Only an administrator.
    let mut officer = s.client();
    officer.login("officer");
    assert_eq!(officer.get("/admin/accounts/partner").status, 403);
    let page = officer.get("/officer");
    let r = officer.post("/admin/accounts/partner", &[("_csrf", &page.csrf()), ("action", "unlock")]);
    assert_eq!(r.status, 403);
    assert_eq!(admin.get("/admin/accounts/nobody").status, 404);
}

#[test]
fn everyone_changes_their_own_password() {
    let s = Server::start();
    let mut c = s.client();
    c.login("registrar");
    let mut elsewhere = s.client();
    elsewhere.login("registrar");
    let page = c.get("/registrar");
    assert!(page.body.contains("href=\"/account/password\""), "the header links to it");
    let form = c.get("/account/password");
    let csrf = form.csrf();
    let send = |c: &mut Client, current: &str, new: &str, confirm: &str| {
        c.post("/account/password", &[("_csrf", &csrf), ("current", current), ("new", new), ("confirm", confirm)])
    };
    let r = send(&mut c, "peel-demo-registrar", "short", "short");
    assert!(r.status == 422 && r.body.contains("at least 12 characters"), "{}", r.body);
    let r = send(&mut c, "peel-demo-registrar", "registrar", "registrar");
    assert_eq!(r.status, 422);
    let r = send(&mut c, "peel-demo-registrar", "qazwsxedcrfv", "qazwsxedcrfv");
    assert!(r.body.contains("commonest"));
    let r = send(&mut c, "peel-demo-registrar", "granite heron teacup", "granite heron teacap");
    assert!(r.body.contains("not the same"));
    let r = send(&mut c, "wrong current password", "granite heron teacup", "granite heron teacup");
    assert!(r.status == 422 && r.body.contains("current password is not right"), "{}", r.body);
    let r = send(&mut c, "peel-demo-registrar", "granite heron teacup", "granite heron teacup");
    assert_eq!((r.status, r.header("location")), (303, Some("/account/password?done=password")));
    assert!(c.get("/account/password?done=password").body.contains("Your password is changed"));
    assert_eq!(c.get("/registrar").status, 200, "this session goes on");
    assert_eq!(elsewhere.get("/registrar").status, 303, "the other session ended");
    assert_eq!(right(&mut s.client(), "registrar").status, 401);
    let r = s.client().post("/login", &[("username", "registrar"), ("password", "granite heron teacup")]);
    assert_eq!(r.status, 303);
    let actions = audit_actions(&s, "registrar");
    assert!(actions.contains(&"password-change".to_string()), "{actions:?}");
}

#[test]
fn a_session_ends_after_30_idle_minutes_and_10_hours_at_most() {
    let s = Server::start();
    let mut c = s.client();
    c.login("supervisor");
    s.advance(29);
    assert_eq!(c.get("/supervisor").status, 200, "29 minutes idle");
    s.advance(29);
    assert_eq!(c.get("/supervisor").status, 200, "each use starts the idle time again");
    s.advance(30);
    let r = c.get("/supervisor");
    assert_eq!((r.status, r.header("location")), (303, Some("/login")), "30 minutes idle ends it");
    assert_eq!(audit_actions(&s, "supervisor").last().map(String::as_str), Some("idle"));
    // Busy all shift: still ends 10 hours after sign-in.
    c.login("supervisor");
    for _ in 0..(10 * 60 / 20 - 1) {
        s.advance(20);
        assert_eq!(c.get("/supervisor").status, 200);
    }
    s.advance(20);
    assert_eq!(c.get("/supervisor").status, 303, "10 hours after sign-in");
}

#[test]
fn sign_out_ends_the_session_on_the_server_and_is_audited() {
    let s = Server::start();
    let mut c = s.client();
    c.login("analyst");
    let stolen = c.cookie.clone();
    let page = c.get("/analyst");
    assert_eq!(c.post("/logout", &[("_csrf", &page.csrf())]).status, 303);
    let mut thief = s.client();
    thief.cookie = stolen;
    assert_eq!(thief.get("/analyst").status, 303, "the old cookie signs nobody in");
    assert_eq!(audit_actions(&s, "analyst"), ["create", "sign-in", "sign-out"]);
}

#[test]
fn the_admin_sees_and_revokes_an_accounts_api_tokens() {
    let s = Server::start();
    let mut store = s.case_store();
    let analyst = store.find_account("analyst").unwrap().unwrap();
    let now = peel_domain::date::Timestamp::parse(NOW).unwrap();
    for hash in ["hash-one", "hash-two"] {
        let new = peel_store::accounts::NewApiToken {
            account: analyst.id,
            token_hash: hash.into(),
            label: format!("feed {hash}"),
            expires_at: None,
        };
        store.create_api_token(&new, "cli:root", now).unwrap();
    }
    let mut admin = s.client();
    admin.login("admin");
    let page = admin.get("/admin/accounts/analyst");
    assert!(page.body.contains("feed hash-one") && !page.body.contains(">hash-one"), "labels, never hashes");
    let one = store.api_tokens(analyst.id).unwrap().iter().find(|t| t.token_hash == "hash-one").unwrap().id;
    let r = admin.post(
        "/admin/accounts/analyst",
        &[("_csrf", &page.csrf()), ("action", "revoke-token"), ("token", &one.to_string())],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(store.find_api_token("hash-one", now).unwrap().is_none());
    assert!(store.find_api_token("hash-two", now).unwrap().is_some(), "only the one named");
    let r = admin.post("/admin/accounts/analyst", &[("_csrf", &page.csrf()), ("action", "revoke-tokens")]);
    assert_eq!(r.status, 303);
    assert!(store.find_api_token("hash-two", now).unwrap().is_none());
    let audit = audit_actions(&s, "analyst");
    assert_eq!(audit.iter().filter(|a| *a == "token-revoke").count(), 2);
}
