-- 0008: requests to cancel a recorded crime. Only a designated decision maker (or the Force
-- Crime Registrar) may cancel a crime, and only for a reason the rules list (Home Office
-- Counting Rules, General Rules section C); an officer or supervisor who finds such a reason
-- asks one, and the request waits here for the decision.
CREATE TABLE cancellation_request (
    id           INTEGER PRIMARY KEY,
    crime        INTEGER NOT NULL REFERENCES crime (id),
    reason       TEXT NOT NULL,                    -- a reason of recording::CANCELLATION_REASONS
    detail       TEXT NOT NULL,                    -- what the reason rests on
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',  -- pending | cancelled | refused
    decided_by   TEXT,
    decided_at   TEXT,
    note         TEXT                              -- the decision maker's: why refused, or on what cancelled
);
-- One request per crime waits for a decision at a time: a second would ask the same question.
CREATE UNIQUE INDEX cancellation_request_pending ON cancellation_request (crime) WHERE status = 'pending';
CREATE INDEX cancellation_request_crime ON cancellation_request (crime, id);
