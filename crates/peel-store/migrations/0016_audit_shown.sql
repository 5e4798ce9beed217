-- 0016: one access entry per answer, and the records it showed indexed behind it.
--
-- Until now an answer that showed a list (a worklist of 80 victims) wrote 80 chained
-- entries, each with its own place in two indexes; under load that was most of what the
-- server wrote (about 275 KB of SQLite WAL per request at 200 requests/s: BENCHMARKS.md,
-- issue 8). From this version an answer showing more than one record writes ONE entry:
-- entity = the records' kind ('person', …; 'records' when kinds are mixed), entity_id = 0
-- (no record has id 0) and the records themselves in `after` as JSON,
-- {"shown":{"person":[12,13],"crime":[7]}}. `after` is part of the chain's encoding, so the
-- list is as tamper-evident as any entry. An answer showing one record writes the entry it
-- always did (entity, entity_id).
--
-- "Who looked at this victim?" needs the lists that showed a record, by record:
-- `audit_shown` holds, for each record, each user and each day, the first and last list
-- entries of that user that day showing it. The server's indexer writes it a few seconds
-- behind the answers (so however often an officer reloads a worklist, each of its records
-- costs the index one row a day, and a pass rewrites only the rows whose last entry moved);
-- a search reads the user's entries between the two ids (the `audit_actor` index) and keeps
-- the lists that name the record. `audit_shown_cursor.entry` is the last audit_log id the
-- indexer has covered; a search reads the lists after it directly, so what it finds never
-- depends on how far behind the indexer is. The index is derived data: its rows can only
-- be added or have their last entry moved forward, and the cursor only moves forward.

CREATE TABLE audit_shown (
    entity      text{C} NOT NULL,
    entity_id   bigint NOT NULL,
    actor       text{C} NOT NULL,
    day         text{C} NOT NULL,    -- YYYY-MM-DD of the entries' `at`
    first_entry bigint NOT NULL,     -- audit_log.id of the first list entry showing it
    last_entry  bigint NOT NULL,     -- and of the last
    PRIMARY KEY (entity, entity_id, actor, day)
){without_rowid};

CREATE TABLE audit_shown_cursor (
    one   integer PRIMARY KEY CHECK (one = 1),
    entry bigint NOT NULL
);
INSERT INTO audit_shown_cursor (one, entry) SELECT 1, coalesce(max(id), 0) FROM audit_log;

-- [sqlite]
CREATE TRIGGER audit_shown_only_grows BEFORE UPDATE ON audit_shown
WHEN NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id OR NEW.actor IS NOT OLD.actor
  OR NEW.day IS NOT OLD.day OR NEW.first_entry IS NOT OLD.first_entry OR NEW.last_entry < OLD.last_entry
BEGIN SELECT RAISE(ABORT, 'the audit index only grows'); END;
CREATE TRIGGER audit_shown_kept BEFORE DELETE ON audit_shown
BEGIN SELECT RAISE(ABORT, 'the audit index only grows'); END;
CREATE TRIGGER audit_shown_cursor_forward BEFORE UPDATE ON audit_shown_cursor
WHEN NEW.entry < OLD.entry
BEGIN SELECT RAISE(ABORT, 'the audit index''s cursor only moves forward'); END;
CREATE TRIGGER audit_shown_cursor_kept BEFORE DELETE ON audit_shown_cursor
BEGIN SELECT RAISE(ABORT, 'the audit index''s cursor cannot be deleted'); END;
-- [postgres]
CREATE FUNCTION audit_shown_only_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id
       AND NEW.actor = OLD.actor AND NEW.day = OLD.day AND NEW.first_entry = OLD.first_entry
       AND NEW.last_entry >= OLD.last_entry THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit index only grows' USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER audit_shown_only_grows BEFORE UPDATE OR DELETE ON audit_shown
    FOR EACH ROW EXECUTE FUNCTION audit_shown_only_grows();
CREATE TRIGGER audit_shown_only_grows_truncate BEFORE TRUNCATE ON audit_shown
    FOR EACH STATEMENT EXECUTE FUNCTION audit_shown_only_grows();
CREATE FUNCTION audit_shown_cursor_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit index''s cursor cannot be deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.entry < OLD.entry THEN
        RAISE EXCEPTION 'the audit index''s cursor only moves forward' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_shown_cursor_guard BEFORE UPDATE OR DELETE ON audit_shown_cursor
    FOR EACH ROW EXECUTE FUNCTION audit_shown_cursor_guard();
-- [end]
