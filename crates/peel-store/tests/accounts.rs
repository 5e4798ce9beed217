//! Accounts and sessions on every store. Each test of `account_tests!` runs twice, as
//! `sqlite::NAME` on an in-memory SQLite store and as `postgres::NAME` on a PostgreSQL store
//! in a schema of its own (dropped afterwards) of the database at `PEEL_TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`). PostgreSQL must be running: the
//! tests fail, saying how to start it, rather than skip.

use peel_store::accounts::*;
use peel_store::casework::NewSite;
use peel_store::*;

mod support;
use support::*;

macro_rules! account_tests {
    ($(fn $name:ident($s:ident) $body:block)*) => {
        mod sqlite {
            use super::*;
            $(#[test]
            fn $name() {
                #[allow(unused_mut)]
                let mut $s = sqlite_store();
                $body
            })*
        }
        mod postgres {
            use super::*;
            $(#[test]
            fn $name() {
                #[allow(unused_mut)]
                let mut $s = postgres_store();
                $body
            })*
        }
    };
}

fn site(s: &mut TestStore) -> i64 {
    let site = NewSite {
        organisation: "Heartlands NHS Trust".into(),
        organisation_kind: "hospital".into(),
        name: "Heartlands Hospital".into(),
        address: None,
        latitude: None,
        longitude: None,
        lsoa_code: None,
        neighbourhood_unit: None,
        impact_area: None,
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
    }
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

account_tests! {
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
        assert_eq!(account, a);
        // Expired at its time, not after.
        assert!(s.find_session("t2", peel_domain::date::Timestamp::parse("2026-11-23T09:59").unwrap()).unwrap().is_some());
        assert!(s.find_session("t2", peel_domain::date::Timestamp::parse("2026-11-23T10:00").unwrap()).unwrap().is_none());
        assert!(s.find_session("nope", peel_domain::date::Timestamp::parse("2026-11-23T09:00").unwrap()).unwrap().is_none());
        assert_eq!(s.delete_expired_sessions(peel_domain::date::Timestamp::parse("2026-11-23T12:00").unwrap()).unwrap(), 1);
        assert!(s.find_session("t2", peel_domain::date::Timestamp::parse("2026-11-23T09:30").unwrap()).unwrap().is_none());
        assert!(s.delete_session("t1").unwrap());
        assert!(!s.delete_session("t1").unwrap());
        assert!(s.find_session("t1", peel_domain::date::Timestamp::parse("2026-11-23T12:00").unwrap()).unwrap().is_none());
        let orphan = s.create_session(&new_session("t3", 9999, "2026-11-23T17:00"));
        assert!(matches!(orphan, Err(StoreError::NotFound { entity: "account", id: 9999 })), "{orphan:?}");
    }
}
