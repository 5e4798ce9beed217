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
-- "Who looked at this victim?" needs the records of those lists by record: `audit_shown`
-- holds (entity, entity_id, entry) for each, written in batches sorted by record by the
-- server's indexer a few seconds behind the answers (so each batch touches each record's
-- page once, however many answers showed it). `audit_shown_cursor.entry` is the last
-- audit_log id the indexer has covered; a search reads the index up to it and reads the
-- lists after it directly, so what it finds never depends on how far behind the indexer is.
-- The index is derived data: both tables refuse UPDATE of rows already written and DELETE,
-- and the cursor only moves forward.

CREATE TABLE audit_shown (
    entity    text{C} NOT NULL,
    entity_id bigint NOT NULL,
    entry     bigint NOT NULL,   -- audit_log.id of the list entry
    PRIMARY KEY (entity, entity_id, entry)
){without_rowid};

CREATE TABLE audit_shown_cursor (
    one   integer PRIMARY KEY CHECK (one = 1),
    entry bigint NOT NULL
);
INSERT INTO audit_shown_cursor (one, entry) SELECT 1, coalesce(max(id), 0) FROM audit_log;

-- [sqlite]
CREATE TRIGGER audit_shown_append_only_update BEFORE UPDATE ON audit_shown
BEGIN SELECT RAISE(ABORT, 'the audit index is append-only'); END;
CREATE TRIGGER audit_shown_append_only_delete BEFORE DELETE ON audit_shown
BEGIN SELECT RAISE(ABORT, 'the audit index is append-only'); END;
CREATE TRIGGER audit_shown_cursor_forward BEFORE UPDATE ON audit_shown_cursor
WHEN NEW.entry < OLD.entry
BEGIN SELECT RAISE(ABORT, 'the audit index''s cursor only moves forward'); END;
CREATE TRIGGER audit_shown_cursor_kept BEFORE DELETE ON audit_shown_cursor
BEGIN SELECT RAISE(ABORT, 'the audit index''s cursor cannot be deleted'); END;
-- [postgres]
CREATE FUNCTION audit_shown_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit index is append-only' USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER audit_shown_append_only BEFORE UPDATE OR DELETE ON audit_shown
    FOR EACH ROW EXECUTE FUNCTION audit_shown_append_only();
CREATE TRIGGER audit_shown_append_only_truncate BEFORE TRUNCATE ON audit_shown
    FOR EACH STATEMENT EXECUTE FUNCTION audit_shown_append_only();
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
