-- 0020: the nominal index (issue 10 §1): what a person's record holds beyond their name,
-- possible duplicates found for review, and merges that can be undone.
--
-- A merge does not move anyone's records: the merged person keeps their row, crimes, reports
-- and obligations, and points at the person kept (merged_into); pages and searches read the
-- two as one. Undoing a merge clears the pointer, so nothing a merge did is ever lost, and
-- every merge and undo is in the audit trail.
ALTER TABLE person ADD COLUMN phone text;
-- Checked at commit: a restored backup may write a merged person before the one kept.
ALTER TABLE person ADD COLUMN merged_into bigint REFERENCES person (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX person_merged_into ON person (merged_into);

CREATE TABLE person_merge (
    id          {id},
    kept        bigint NOT NULL REFERENCES person (id),
    merged      bigint NOT NULL REFERENCES person (id),
    reason      text NOT NULL,
    merged_by   text NOT NULL,
    merged_at   text{C} NOT NULL,
    undone_by   text,
    undone_at   text{C},
    undo_reason text
);
CREATE INDEX person_merge_kept ON person_merge (kept);
CREATE INDEX person_merge_merged ON person_merge (merged);

-- Other names a person is known by: entered, or the name of someone merged into them (then
-- `merge` says which merge, and undoing it takes the alias away).
CREATE TABLE person_alias (
    id       {id},
    person   bigint NOT NULL REFERENCES person (id),
    name     text NOT NULL,
    merge    bigint REFERENCES person_merge (id),
    added_by text NOT NULL,
    added_at text{C} NOT NULL
);
CREATE INDEX person_alias_person ON person_alias (person);

-- Addresses, placed by postcode (normalised, "B9 5SS").
CREATE TABLE person_address (
    id       {id},
    person   bigint NOT NULL REFERENCES person (id),
    postcode text NOT NULL,
    line     text,
    added_by text NOT NULL,
    added_at text{C} NOT NULL
);
CREATE INDEX person_address_person ON person_address (person);
CREATE INDEX person_address_postcode ON person_address (postcode);

-- Warning markers (peel-domain `nominal::WARNING_MARKERS`), each dated and reviewed; ended
-- rather than deleted.
CREATE TABLE person_marker (
    id         {id},
    person     bigint NOT NULL REFERENCES person (id),
    kind       text NOT NULL,
    noted_on   text{C} NOT NULL,
    review_due text{C} NOT NULL,
    note       text,
    added_by   text NOT NULL,
    added_at   text{C} NOT NULL,
    ended_at   text{C}
);
CREATE INDEX person_marker_person ON person_marker (person);

-- Pairs of people who may be one (low id first), with the score and its reasons
-- (peel-domain `nominal::likeness`), until a records officer merges them or says they are
-- two people.
CREATE TABLE person_duplicate (
    id         {id},
    low        bigint NOT NULL REFERENCES person (id),
    high       bigint NOT NULL REFERENCES person (id),
    score      integer NOT NULL,
    reasons    text NOT NULL,
    found_at   text{C} NOT NULL,
    status     text NOT NULL DEFAULT 'open',   -- open | merged | distinct
    decided_by text,
    decided_at text{C},
    UNIQUE (low, high)
);
CREATE INDEX person_duplicate_open ON person_duplicate (status, score);
