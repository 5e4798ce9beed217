-- 0022: crimes linked to one another, and reclassifications with the registrar's decision
-- (issue 10 §3).
--
-- A link joins two crimes (low id first) as one of a series, a duplicate record, or the work
-- of the same offender; removed rather than deleted, so the trail keeps what was thought.
CREATE TABLE crime_link (
    id         {id},
    low        bigint NOT NULL REFERENCES crime (id),
    high       bigint NOT NULL REFERENCES crime (id),
    kind       text NOT NULL,               -- series | duplicate | same-offender
    note       text,
    linked_by  text NOT NULL,
    linked_at  text{C} NOT NULL,
    removed_by text,
    removed_at text{C},
    CHECK (low < high)
);
CREATE INDEX crime_link_low ON crime_link (low);
CREATE INDEX crime_link_high ON crime_link (high);

-- A change of offence asked for with a Counting Rules reason, waiting for the Force Crime
-- Registrar (or made by them at once); the crime's offence changes only when approved.
CREATE TABLE reclassification (
    id           {id},
    crime        bigint NOT NULL REFERENCES crime (id),
    from_code    text NOT NULL,
    to_code      text NOT NULL,
    reason       text NOT NULL,
    detail       text NOT NULL,
    requested_by text NOT NULL,
    requested_at text{C} NOT NULL,
    status       text NOT NULL DEFAULT 'pending',   -- pending | approved | refused
    decided_by   text,
    decided_at   text{C},
    note         text
);
CREATE INDEX reclassification_crime ON reclassification (crime);
CREATE INDEX reclassification_pending ON reclassification (status, requested_at);
