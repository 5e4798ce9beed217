//! Accounts and sessions on every store. Each test of `each_store!` runs twice, as
//! `sqlite::NAME` on an in-memory SQLite store and as `postgres::NAME` on a PostgreSQL store
//! in a schema of its own (dropped afterwards) of the database at `PEEL_TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`). PostgreSQL must be running: the
//! tests fail, saying how to start it, rather than skip.

use peel_store::accounts::*;
use peel_store::casework::NewSite;
use peel_store::*;

mod support;
use support::*;

fn site(s: &mut TestStore) -> i64 {
    let site = NewSite {
        organisation: "Heartlands NHS Trust".into(),
        organisation_kind: "hospital".into(),
        name: "Heartlands Hospital".into(),
        address: None,
        place: Default::default(),
    };
    s.add_site(&site, "admin", peel_domain::date::Timestamp::parse("2026-11-23T09:00").unwrap()).unwrap().id
}

fn new_account(username: &str, role: &str, site: Option<i64>, team: Option<&str>) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: format!("Demo {username}"),
        role: peel_domain::role::Role::parse(role).expect("a role word"),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        site,
        team: team.map(str::to_string),
        collar: None,
    }
}

fn t(s: &str) -> peel_domain::date::Timestamp {
    peel_domain::date::Timestamp::parse(s).unwrap()
}

fn actions(s: &TestStore, id: i64) -> Vec<String> {
    s.audit_trail("account", id).unwrap().into_iter().map(|e| e.action).collect()
}

fn new_session(token: &str, account: i64, expires_at: &str) -> NewSession {
    NewSession {
        token: token.into(),
        account,
        csrf: format!("csrf-{token}"),
        created_at: peel_domain::date::Timestamp::parse("2026-11-23T09:00").unwrap(),
        expires_at: peel_domain::date::Timestamp::parse(expires_at).unwrap(),
    }
}

each_store! { sqlite_store, postgres_store;
    fn accounts_are_created_found_and_listed(s) {
        let site = site(&mut s);
        let partner = s.create_account(&new_account("pat", "partner", Some(site), None), "admin", peel_domain::date::Timestamp::parse("2026-11-23T09:01").unwrap()).unwrap();
        let officer = s.create_account(&new_account("olu", "officer", None, Some("CID")), "admin", peel_domain::date::Timestamp::parse("2026-11-23T09:02").unwrap()).unwrap();
        assert_eq!(partner.site, Some(site));
        assert_eq!(partner.created_at, peel_domain::date::Timestamp::parse("2026-11-23T09:01").unwrap());
        assert_eq!(officer.team.as_deref(), Some("CID"));
        assert_eq!(s.account(partner.id).unwrap(), partner);
        assert_eq!(s.find_account("olu").unwrap(), Some(officer.clone()));
        assert_eq!(s.find_account("nobody").unwrap(), None);
        let all: Vec<String> = s.accounts().unwrap().into_iter().map(|a| a.username).collect();
        assert_eq!(all, ["olu", "pat"]);
        assert!(matches!(s.account(9999), Err(StoreError::NotFound { entity: "account", .. })));
        // The audit log has the account, without its password hash.
        let trail = s.audit_trail("account", partner.id).unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].action, "create");
        let after = trail[0].after.as_ref().unwrap();
        assert_eq!(after["username"], "pat");
        assert!(after.get("password_hash").is_none(), "{after}");
    }

    fn a_username_is_taken_once_and_a_site_must_exist(s) {
        s.create_account(&new_account("pat", "partner", None, None), "admin", peel_domain::date::Timestamp::parse("2026-11-23T09:01").unwrap()).unwrap();
        let again = s.create_account(&new_account("pat", "officer", None, None), "admin", peel_domain::date::Timestamp::parse("2026-11-23T09:02").unwrap());
        assert!(matches!(again, Err(StoreError::Refused(ref m)) if m.contains("taken")), "{again:?}");
        let nowhere = s.create_account(&new_account("liz", "liaison", Some(424242), None), "admin", peel_domain::date::Timestamp::parse("2026-11-23T09:02").unwrap());
        assert!(matches!(nowhere, Err(StoreError::NotFound { entity: "site", id: 424242 })), "{nowhere:?}");
        assert_eq!(s.accounts().unwrap().len(), 1);
    }

    fn sessions_live_until_they_expire_or_are_deleted(s) {
        let a = s.create_account(&new_account("reg", "registrar", None, None), "admin", peel_domain::date::Timestamp::parse("2026-11-23T09:01").unwrap()).unwrap();
        let made = s.create_session(&new_session("t1", a.id, "2026-11-23T17:00")).unwrap();
        s.create_session(&new_session("t2", a.id, "2026-11-23T10:00")).unwrap();
        let (found, account) = s.find_session("t1", peel_domain::date::Timestamp::parse("2026-11-23T12:00").unwrap()).unwrap().unwrap();
        assert_eq!(found, made);
        assert_eq!(found.csrf, "csrf-t1");
        assert_eq!((account.id, account.last_sign_in_at), (a.id, Some(made.created_at)), "the sign-in is noted on the account");
        // Expired at its time, not after.
        assert!(s.find_session("t2", peel_domain::date::Timestamp::parse("2026-11-23T09:59").unwrap()).unwrap().is_some());
        assert!(s.find_session("t2", peel_domain::date::Timestamp::parse("2026-11-23T10:00").unwrap()).unwrap().is_none());
        assert!(s.find_session("nope", peel_domain::date::Timestamp::parse("2026-11-23T09:00").unwrap()).unwrap().is_none());
        assert_eq!(s.delete_expired_sessions(peel_domain::date::Timestamp::parse("2026-11-23T12:00").unwrap()).unwrap(), 1);
        assert!(s.find_session("t2", peel_domain::date::Timestamp::parse("2026-11-23T09:30").unwrap()).unwrap().is_none());
        assert!(s.delete_session("t1", "sign-out", t("2026-11-23T12:00")).unwrap());
        assert!(!s.delete_session("t1", "sign-out", t("2026-11-23T12:00")).unwrap());
        assert_eq!(actions(&s, a.id), ["create", "sign-in", "sign-in", "sign-out"], "sign-in and sign-out are audited");
        assert!(s.find_session("t1", peel_domain::date::Timestamp::parse("2026-11-23T12:00").unwrap()).unwrap().is_none());
        let orphan = s.create_session(&new_session("t3", 9999, "2026-11-23T17:00"));
        assert!(matches!(orphan, Err(StoreError::NotFound { entity: "account", id: 9999 })), "{orphan:?}");
    }

    fn sessions_note_their_last_use_and_die_with_a_disabled_account(s) {
        let a = s.create_account(&new_account("reg", "registrar", None, None), "admin", t("2026-11-23T09:01")).unwrap();
        s.create_session(&new_session("t1", a.id, "2026-11-23T19:00")).unwrap();
        let (found, _) = s.find_session("t1", t("2026-11-23T09:10")).unwrap().unwrap();
        assert_eq!(found.last_seen_at, t("2026-11-23T09:00"));
        s.touch_session("t1", t("2026-11-23T09:10")).unwrap();
        assert_eq!(s.find_session("t1", t("2026-11-23T09:11")).unwrap().unwrap().0.last_seen_at, t("2026-11-23T09:10"));
        let signed_in = s.account(a.id).unwrap();
        assert_eq!(signed_in.last_sign_in_at, Some(t("2026-11-23T09:00")));
        // Disabled: the session stops at once (and is deleted), and sign-in state shows.
        let d = s.change_account(a.id, &AccountChange::Disable, "admin", t("2026-11-23T09:20")).unwrap();
        assert_eq!((d.state(), d.disabled_at), ("disabled", Some(t("2026-11-23T09:20"))));
        assert!(s.find_session("t1", t("2026-11-23T09:21")).unwrap().is_none());
        s.create_session(&new_session("t2", a.id, "2026-11-23T19:00")).unwrap();
        assert!(s.find_session("t2", t("2026-11-23T09:21")).unwrap().is_none(), "a disabled account's session is refused");
        let e = s.change_account(a.id, &AccountChange::Enable, "admin", t("2026-11-23T09:22")).unwrap();
        assert!(e.active());
        assert!(s.find_session("t2", t("2026-11-23T09:23")).unwrap().is_some());
        let trail = s.audit_trail("account", a.id).unwrap();
        let disable = trail.iter().find(|e| e.action == "disable").unwrap();
        assert_eq!(disable.actor, "admin");
        assert!(disable.after.as_ref().unwrap()["disabled_at"].is_string());
        for e in &trail {
            let text = format!("{:?}{:?}", e.before, e.after);
            assert!(!text.contains("argon2"), "no password hash in the audit: {text}");
        }
    }

    fn failures_throttle_then_lock_and_an_administrator_unlocks(s) {
        let a = s.create_account(&new_account("olu", "officer", None, Some("CID")), "admin", t("2026-11-23T09:01")).unwrap();
        s.create_session(&new_session("t1", a.id, "2026-11-23T19:00")).unwrap();
        let since = |now: &str| t(now).add_minutes(-15);
        for i in 1..=4 {
            let after = s.record_sign_in_failure(a.id, since("2026-11-23T10:00"), 10, t("2026-11-23T10:00")).unwrap();
            assert_eq!(after.failed_sign_ins, i);
        }
        // A failure after a quiet spell starts a new run.
        let after = s.record_sign_in_failure(a.id, since("2026-11-23T10:20"), 10, t("2026-11-23T10:20")).unwrap();
        assert_eq!(after.failed_sign_ins, 1);
        for _ in 2..=9 {
            s.record_sign_in_failure(a.id, since("2026-11-23T10:21"), 10, t("2026-11-23T10:21")).unwrap();
        }
        assert!(s.account(a.id).unwrap().locked_at.is_none());
        let locked = s.record_sign_in_failure(a.id, since("2026-11-23T10:21"), 10, t("2026-11-23T10:21")).unwrap();
        assert_eq!((locked.failed_sign_ins, locked.state()), (10, "locked"));
        assert!(s.find_session("t1", t("2026-11-23T10:22")).unwrap().is_none(), "locking ends its sessions");
        let unlocked = s.change_account(a.id, &AccountChange::Unlock, "admin", t("2026-11-23T11:00")).unwrap();
        assert_eq!((unlocked.failed_sign_ins, unlocked.state()), (0, "active"));
        let acts = actions(&s, a.id);
        assert_eq!(acts.iter().filter(|a| *a == "sign-in-failed").count(), 14);
        assert_eq!(acts.iter().filter(|a| *a == "lock").count(), 1);
        assert_eq!(acts.last().map(String::as_str), Some("unlock"));
        // A sign-in clears the run.
        s.record_sign_in_failure(a.id, since("2026-11-23T11:01"), 10, t("2026-11-23T11:01")).unwrap();
        s.create_session(&new_session("t9", a.id, "2026-11-23T19:00")).unwrap();
        assert_eq!(s.account(a.id).unwrap().failed_sign_ins, 0);
    }

    fn passwords_roles_and_collars_change_with_an_audit(s) {
        let site = site(&mut s);
        let mut na = new_account("pat", "partner", Some(site), None);
        na.collar = Some("4711".into());
        let a = s.create_account(&na, "admin", t("2026-11-23T09:01")).unwrap();
        assert_eq!((a.collar.as_deref(), a.password_changed_at), (Some("4711"), Some(t("2026-11-23T09:01"))));
        let mut twin = new_account("sam", "officer", None, Some("CID"));
        twin.collar = Some("4711".into());
        let taken = s.create_account(&twin, "admin", t("2026-11-23T09:02"));
        assert!(matches!(taken, Err(StoreError::Refused(ref m)) if m.contains("collar number 4711") && m.contains("pat")), "{taken:?}");
        twin.collar = None;
        let sam = s.create_account(&twin, "admin", t("2026-11-23T09:02")).unwrap();
        assert_eq!(sam.collar, None, "many accounts without a collar number");
        s.create_session(&new_session("keep", a.id, "2026-11-23T19:00")).unwrap();
        s.create_session(&new_session("other", a.id, "2026-11-23T19:00")).unwrap();
        let change = AccountChange::Password { hash: "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA".into(), keep_session: Some("keep".into()) };
        let changed = s.change_account(a.id, &change, "pat", t("2026-11-23T10:00")).unwrap();
        assert_eq!(changed.password_changed_at, Some(t("2026-11-23T10:00")));
        assert!(changed.password_hash.contains("bmV3aGFzaA"));
        assert!(s.find_session("keep", t("2026-11-23T10:01")).unwrap().is_some(), "the session it was changed in stays");
        assert!(s.find_session("other", t("2026-11-23T10:01")).unwrap().is_none(), "every other ends");
        let role = AccountChange::Role { role: peel_domain::role::Role::Officer, site: None, team: Some("Response".into()) };
        let officer = s.change_account(a.id, &role, "admin", t("2026-11-23T10:05")).unwrap();
        assert_eq!((officer.role, officer.site, officer.team.as_deref()), (peel_domain::role::Role::Officer, None, Some("Response")));
        let nowhere = AccountChange::Role { role: peel_domain::role::Role::Partner, site: Some(424242), team: None };
        assert!(matches!(s.change_account(a.id, &nowhere, "admin", t("2026-11-23T10:06")), Err(StoreError::NotFound { entity: "site", .. })));
        assert_eq!(actions(&s, a.id), ["create", "sign-in", "sign-in", "password-change", "change-role"]);
        let trail = s.audit_trail("account", a.id).unwrap();
        assert!(trail.iter().all(|e| !format!("{:?}{:?}", e.before, e.after).contains("bmV3aGFzaA")), "no hash in the audit");
        let reset = AccountChange::Password { hash: "$argon2id$v=19$m=19456,t=2,p=1$eA$eQ".into(), keep_session: None };
        s.change_account(a.id, &reset, "admin", t("2026-11-23T10:07")).unwrap();
        assert!(s.find_session("keep", t("2026-11-23T10:08")).unwrap().is_none(), "a reset ends every session");
        assert_eq!(actions(&s, a.id).last().map(String::as_str), Some("password-reset"));
    }

    fn api_tokens_act_until_revoked_expired_or_the_account_is_stopped(s) {
        let a = s.create_account(&new_account("feed", "analyst", None, None), "admin", t("2026-11-23T09:01")).unwrap();
        let new = |hash: &str, expires: Option<&str>| NewApiToken { account: a.id, token_hash: hash.into(), label: format!("label {hash}"), expires_at: expires.map(t) };
        let forever = s.create_api_token(&new("h1", None), "cli:root", t("2026-11-23T09:02")).unwrap();
        let brief = s.create_api_token(&new("h2", Some("2026-11-24T09:00")), "cli:root", t("2026-11-23T09:02")).unwrap();
        assert!(s.create_api_token(&new("h1", None), "cli:root", t("2026-11-23T09:03")).is_err(), "a hash is unique");
        assert_eq!(s.find_api_token("h1", t("2026-11-23T10:00")).unwrap().map(|a| a.username), Some("feed".into()));
        assert_eq!(s.api_tokens(a.id).unwrap()[1].last_used_at, Some(t("2026-11-23T10:00")));
        s.find_api_token("h1", t("2026-11-23T10:00")).unwrap();
        assert!(s.find_api_token("h2", t("2026-11-24T08:59")).unwrap().is_some());
        assert!(s.find_api_token("h2", t("2026-11-24T09:00")).unwrap().is_none(), "expired at its time");
        assert!(s.find_api_token("nope", t("2026-11-23T10:00")).unwrap().is_none());
        s.change_account(a.id, &AccountChange::Disable, "admin", t("2026-11-23T11:00")).unwrap();
        assert!(s.find_api_token("h1", t("2026-11-23T11:01")).unwrap().is_none(), "disabled: tokens stop at once");
        s.change_account(a.id, &AccountChange::Enable, "admin", t("2026-11-23T11:02")).unwrap();
        assert!(s.find_api_token("h1", t("2026-11-23T11:03")).unwrap().is_some());
        assert_eq!(s.revoke_api_tokens(a.id, Some(brief.id), "cli:root", t("2026-11-23T11:04")).unwrap(), 1);
        assert!(s.find_api_token("h2", t("2026-11-23T11:05")).unwrap().is_none());
        assert!(matches!(s.revoke_api_tokens(a.id, Some(999_999), "cli:root", t("2026-11-23T11:05")), Err(StoreError::NotFound { entity: "api_token", .. })));
        assert_eq!(s.revoke_api_tokens(a.id, None, "cli:root", t("2026-11-23T11:06")).unwrap(), 1, "the one still live");
        assert!(s.find_api_token("h1", t("2026-11-23T11:07")).unwrap().is_none());
        let listed = s.api_tokens(a.id).unwrap();
        assert_eq!(listed.iter().map(|t| t.id).collect::<Vec<_>>(), [brief.id, forever.id], "newest first");
        assert!(listed.iter().all(|t| t.revoked_at.is_some()));
        let trail = s.audit_trail("account", a.id).unwrap();
        assert_eq!(trail.iter().filter(|e| e.action == "token-create").count(), 2);
        assert_eq!(trail.iter().filter(|e| e.action == "token-revoke").count(), 2);
        assert!(trail.iter().all(|e| !format!("{:?}", e.after).contains("\"h1\"")), "no token hash in the audit");
    }
}
