-- 0013: idempotency keys. An API write may carry an `Idempotency-Key` header, so that a
-- client retrying after a lost answer never makes a second report: the key is claimed in
-- the write's own transaction (so a key is held exactly when its write committed), and the
-- answer is kept beside it once sent, to be replayed to a retry. Keys are per acting user.
-- Rows older than 24 hours may be purged (the API does so as it stores new answers).

CREATE TABLE idempotency_key (
    actor        text{C} NOT NULL,   -- the acting user, as the sign-in gate names it
    key          text{C} NOT NULL,   -- the header's value, 1-255 visible ASCII characters
    route        text NOT NULL,      -- method and path as requested: "POST /api/crimes/7/contacts"
    request_hash text NOT NULL,      -- SHA-256 of the request body, hex
    status       integer,            -- the answer's status; NULL while the answer is not yet kept
    response     text,               -- the answer's body (JSON), as sent
    created_at   text NOT NULL,      -- YYYY-MM-DDTHH:MM, UTC, when the key was claimed
    PRIMARY KEY (actor, key)
){without_rowid};
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
