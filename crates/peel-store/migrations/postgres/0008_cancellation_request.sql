-- 0008: requests to cancel a recorded crime, for a designated decision maker to decide (see
-- the SQLite migration of the same number for the source). Times as text, as in 0002.
CREATE TABLE cancellation_request (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    crime        bigint NOT NULL REFERENCES crime (id),
    reason       text NOT NULL,
    detail       text NOT NULL,
    requested_by text NOT NULL,
    requested_at text COLLATE "C" NOT NULL,
    status       text NOT NULL DEFAULT 'pending',
    decided_by   text,
    decided_at   text COLLATE "C",
    note         text
);
CREATE UNIQUE INDEX cancellation_request_pending ON cancellation_request (crime) WHERE status = 'pending';
CREATE INDEX cancellation_request_crime ON cancellation_request (crime, id);
