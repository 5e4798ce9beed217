-- PostgreSQL roles for Peel: an owner that runs the migrations, and a runtime role that the
-- service (`peel serve`) connects as, which cannot rewrite the audit trail.
--
-- Why two roles. The audit trail (`audit_log`) is append-only by its triggers, and
-- tamper-evident by its hash chain (`peel audit verify`). But the owner of a table, or a
-- superuser, may drop or disable its triggers and then edit the trail. So the service must
-- not connect as the owner: it connects as `peel_app`, which
--   - may SELECT, INSERT, UPDATE and DELETE the casework tables (through default privileges,
--     so tables added by later migrations are covered too);
--   - may only INSERT and SELECT on `audit_log` (no UPDATE, DELETE or TRUNCATE);
--   - may UPDATE the one-row `audit_head` (the chain's last link, which every write moves;
--     its trigger refuses to move the chain's genesis, and a head that does not match the
--     chain fails `peel audit verify`), and draw ids from the tables' identity sequences;
--   - owns nothing, so it cannot ALTER TABLE … DISABLE TRIGGER, DROP TRIGGER or DROP TABLE,
--     and has no CREATE on the schema, so it cannot run migrations either.
-- `peel_owner` owns the schema and everything in it and runs the migrations (upgrades); keep
-- its password with the database administrators, not on the application server.
--
-- How to use it (as a superuser, e.g. `sudo -u postgres psql -d peel -f postgres-roles.sql`
-- runs part 1; part 2 after the first migration). Names: roles `peel_owner`, `peel_app`,
-- schema `peel` in the database you choose; change them throughout if you must.
--
--   1. Part 1 below: the roles, the schema and the default privileges. Then set passwords:
--        \password peel_owner
--        \password peel_app
--   2. Migrate as the owner, once and on every upgrade of Peel:
--        peel --db 'postgres://peel_owner:PASSWORD@HOST/peel?options=-csearch_path%3Dpeel' status
--   3. Part 2 below, after that first migration (the audit trail exists from then on).
--   4. Serve as the runtime role:
--        PEEL_DB='postgres://peel_app:PASSWORD@HOST/peel?options=-csearch_path%3Dpeel' peel serve …
--      A Peel newer than the schema refuses to start as peel_app (it may not migrate): run
--      step 2 with the new Peel first.
--
-- Tested by crates/peel-store/tests/postgres_roles.rs, which runs this file on a fresh
-- schema and checks that peel_app writes casework and the trail but cannot UPDATE, DELETE,
-- TRUNCATE the trail, disable or drop its triggers, or move the chain's genesis.

-- ---- part 1: before the first migration ---------------------------------------------------

CREATE ROLE peel_owner LOGIN;
CREATE ROLE peel_app LOGIN;

CREATE SCHEMA peel AUTHORIZATION peel_owner;
GRANT USAGE ON SCHEMA peel TO peel_app;

-- Every table and sequence the owner creates in the schema (every migration) is the
-- runtime's to read and write; the trail is narrowed in part 2.
ALTER DEFAULT PRIVILEGES FOR ROLE peel_owner IN SCHEMA peel
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO peel_app;
ALTER DEFAULT PRIVILEGES FOR ROLE peel_owner IN SCHEMA peel
    GRANT USAGE, SELECT ON SEQUENCES TO peel_app;
-- The migrations' trigger functions run for whoever writes.
ALTER DEFAULT PRIVILEGES FOR ROLE peel_owner IN SCHEMA peel
    GRANT EXECUTE ON FUNCTIONS TO peel_app;

-- ---- part 2: after the first migration -------------------------------------------------------

-- The trail: append and read only. (A later migration that adds a column keeps these grants.)
REVOKE UPDATE, DELETE, TRUNCATE ON peel.audit_log FROM peel_app;
GRANT SELECT, INSERT ON peel.audit_log TO peel_app;
-- The chain's head: read and moved by every write, never deleted (its trigger refuses that
-- and a move of the genesis in any case).
REVOKE DELETE, TRUNCATE ON peel.audit_head FROM peel_app;
GRANT SELECT, UPDATE ON peel.audit_head TO peel_app;
-- The index of the records that list entries showed (migration 0016): rows added, and
-- their last entry moved forward (its trigger refuses any other change); never deleted. Its
-- cursor read and moved forward (its trigger refuses a move back and a delete).
REVOKE DELETE, TRUNCATE ON peel.audit_shown FROM peel_app;
GRANT SELECT, INSERT, UPDATE ON peel.audit_shown TO peel_app;
REVOKE DELETE, TRUNCATE ON peel.audit_shown_cursor FROM peel_app;
GRANT SELECT, UPDATE ON peel.audit_shown_cursor TO peel_app;
-- The list of migrations run: read only.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON peel.schema_migration FROM peel_app;
