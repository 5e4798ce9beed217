//! deploy/postgres-roles.sql, run as written on a fresh schema with roles of its own: the
//! owner migrates; the runtime role writes casework and the audit trail, and cannot UPDATE,
//! DELETE or TRUNCATE the trail, disable or drop its triggers, drop it, or move the chain's
//! genesis.

mod support;

use peel_domain::date::Timestamp;
use peel_store::audit::{Access, AuditTrail};
use peel_store::casework::{Casework, NewSite};
use peel_store::PostgresStore;
use support::*;

/// The file with its role and schema names made unique to this run, split at part 2.
fn roles_sql(owner: &str, app: &str, schema: &str) -> (String, String) {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/postgres-roles.sql")).unwrap();
    let sql: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replace("peel_owner", "@OWNER@")
        .replace("peel_app", "@APP@")
        .replace("SCHEMA peel ", &format!("SCHEMA {schema} "))
        .replace("SCHEMA peel\n", &format!("SCHEMA {schema}\n"))
        .replace(" peel.", &format!(" {schema}."))
        .replace("@OWNER@", owner)
        .replace("@APP@", app);
    let part2 = text.find("-- ---- part 2").unwrap();
    let first_of_part2 = text[part2..].lines().find(|l| !l.trim().is_empty() && !l.starts_with("--")).unwrap().trim();
    let first_of_part2 = first_of_part2.replace(" peel.", &format!(" {schema}.")).replace("peel_app", app);
    let at = sql.find(&first_of_part2).expect("part 2 found");
    (sql[..at].to_string(), sql[at..].to_string())
}

fn url_as(user: &str, schema: &str) -> String {
    let base = pg_url();
    let rest = base.split_once("://").unwrap().1;
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    format!("postgres://{user}@{host}?options=-csearch_path%3D{schema}")
}

struct Cleanup {
    schema: String,
    roles: [String; 2],
}
impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Ok(mut c) = ::postgres::Client::connect(&pg_url(), ::postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
            for r in &self.roles {
                let _ = c.batch_execute(&format!("DROP OWNED BY {r} CASCADE; DROP ROLE IF EXISTS {r}"));
            }
        }
    }
}

#[test]
fn the_runtime_role_appends_to_the_trail_and_cannot_rewrite_it() {
    let n = unique_schema();
    let (owner, app, schema) = (format!("{n}_owner"), format!("{n}_app"), n.clone());
    let _cleanup = Cleanup { schema: schema.clone(), roles: [app.clone(), owner.clone()] };
    let (part1, part2) = roles_sql(&owner, &app, &schema);
    let mut admin =
        ::postgres::Client::connect(&pg_url(), ::postgres::NoTls).unwrap_or_else(|e| pg_failed(&pg_url(), e));
    admin.batch_execute(&part1).unwrap_or_else(|e| panic!("part 1: {e:?}\n{part1}"));

    // The owner migrates (as `peel status` would on first use).
    drop(PostgresStore::open(&url_as(&owner, &schema)).unwrap_or_else(|e| panic!("migrating as the owner: {e}")));
    admin.batch_execute(&part2).unwrap_or_else(|e| panic!("part 2: {e:?}\n{part2}"));

    // The service as the runtime role: opens without migrating, writes casework and the trail.
    let mut s = PostgresStore::open(&url_as(&app, &schema)).unwrap_or_else(|e| panic!("opening as the runtime: {e}"));
    let at = Timestamp::parse("2026-12-01T09:00").unwrap();
    let site = NewSite {
        organisation: "Heartlands Hospital Trust".into(),
        organisation_kind: "hospital".into(),
        name: "Heartlands Hospital".into(),
        address: None,
        place: Default::default(),
    };
    let id = s.add_site(&site, "admin", at).unwrap().id;
    s.log_access(at, "liaison", Access::Read, "GET /sites/{id}", &[("site", id)]).unwrap();
    // A list entry, indexed by the runtime role as the server's indexer does.
    s.log_access(at, "liaison", Access::List, "GET /sites", &[("site", id), ("site", id)]).unwrap();
    assert_eq!(s.index_shown(100).unwrap(), 1);
    let r = s.verify_audit(None).unwrap();
    assert!(r.ok() && r.entries == 3, "{r:?}");

    // What it cannot do to the trail, whatever it tries.
    let mut raw = ::postgres::Client::connect(&url_as(&app, &schema), ::postgres::NoTls).unwrap();
    for sql in [
        "UPDATE audit_log SET actor = 'someone-else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_log_append_only_update_delete ON audit_log",
        "DROP TABLE audit_log",
        "UPDATE audit_head SET genesis = genesis + 1",
        "DELETE FROM audit_head",
        "CREATE TABLE audit_log_copy (id bigint)",
        "DELETE FROM audit_shown",
        "UPDATE audit_shown SET entity_id = 0",
        "TRUNCATE audit_shown",
        "UPDATE audit_shown_cursor SET entry = 0",
        "DELETE FROM audit_shown_cursor",
    ] {
        let err = raw.batch_execute(sql).err().unwrap_or_else(|| panic!("the runtime role may: {sql}"));
        let db = err.as_db_error().unwrap_or_else(|| panic!("{sql}: {err}"));
        assert!(
            db.message().contains("permission denied")
                || db.message().contains("must be owner")
                || db.message().contains("cannot move")
                || db.message().contains("cannot be deleted")
                || db.message().contains("only moves forward")
                || db.message().contains("only grows"),
            "{sql}: {}",
            db.message()
        );
    }
    // And the trail is as it was.
    let r = s.verify_audit(None).unwrap();
    assert!(r.ok() && r.entries == 3, "{r:?}");
}
