-- 0008: requests to cancel a recorded crime. Only a designated decision maker (or the Force
-- Crime Registrar) may cancel a crime, and only for a reason the rules list (Home Office
-- Counting Rules, General Rules section C); an officer or supervisor who finds such a reason
-- asks one, and the request waits here for the decision.
CREATE TABLE cancellation_request (
    id           {id},
    crime        bigint NOT NULL REFERENCES crime (id),
    reason       text NOT NULL,
    detail       text NOT NULL,
    requested_by text NOT NULL,
    requested_at text{C} NOT NULL,
    status       text NOT NULL DEFAULT 'pending',
    decided_by   text,
    decided_at   text{C},
    note         text
);
CREATE UNIQUE INDEX cancellation_request_pending ON cancellation_request (crime) WHERE status = 'pending';
CREATE INDEX cancellation_request_crime ON cancellation_request (crime, id);
