-- 0011: the audit trail records reads as well as writes, and is a hash chain.
--
-- Data Protection Act 2018 Part 3 s.62 requires a log of every consultation and disclosure
-- of personal data, with who, when and what; so a page, an API read, a worklist row, an
-- export or a search is an entry too (action read | list | export | search), with the route
-- it went through (the route's template, "GET /crimes/{id}", never a query string).
--
-- Tamper evidence (see peel-store's `audit` module for the encoding): every entry written
-- from now on carries `seq`, its place in the chain (1, 2, 3 … with no gap), and `hash`, the
-- SHA-256 (hex) of its predecessor's hash followed by the entry's canonical encoding. The
-- one-row `audit_head` holds the last link (seq, hash); every writer of audit entries takes
-- it (SQLite: the write lock already; PostgreSQL: `SELECT … FOR UPDATE`), so the chain
-- never forks. Entries already in the trail when this migration runs are the legacy
-- entries: they stay unchained, and `genesis` (the last legacy entry's id, 0 for a new
-- store) says where the chain starts. The genesis cannot be moved afterwards.

ALTER TABLE audit_log ADD COLUMN route text;
ALTER TABLE audit_log ADD COLUMN seq bigint;
ALTER TABLE audit_log ADD COLUMN hash text;

-- "What did this user open?" (the record's question uses audit_entity, from 0002).
CREATE INDEX audit_actor ON audit_log (actor, id);

CREATE TABLE audit_head (
    one     integer PRIMARY KEY CHECK (one = 1),
    genesis bigint NOT NULL,   -- id of the last entry before the chain; 0 if none
    seq     bigint NOT NULL,   -- the last chained entry's seq; 0 before the first
    hash    text NOT NULL      -- the last chained entry's hash; 64 zeros before the first
);
INSERT INTO audit_head (one, genesis, seq, hash)
SELECT 1, coalesce(max(id), 0), 0, '0000000000000000000000000000000000000000000000000000000000000000'
FROM audit_log;

-- [sqlite]
CREATE TRIGGER audit_head_genesis_fixed BEFORE UPDATE OF genesis ON audit_head
WHEN NEW.genesis <> OLD.genesis
BEGIN SELECT RAISE(ABORT, 'the audit chain''s genesis cannot move'); END;
CREATE TRIGGER audit_head_kept BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit chain''s head cannot be deleted'); END;
-- [postgres]
CREATE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit chain''s head cannot be deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.genesis <> OLD.genesis THEN
        RAISE EXCEPTION 'the audit chain''s genesis cannot move' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_guard();
-- [end]
