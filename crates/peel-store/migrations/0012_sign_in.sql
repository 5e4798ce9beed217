-- 0012: accounts a force can run: a collar number, disabling, lockout, password age,
-- sessions that end when idle, and API tokens for machine clients.
--
-- Lockout is two counters on the account (failed sign-ins in the current run and when the
-- last was), not a row per failure: the count is what the rules need, and a failure for a
-- username that has no account writes nothing, so guesses at unknown names cannot grow the
-- database. Times are text "YYYY-MM-DDTHH:MM", compared bytewise (as in 0002).

ALTER TABLE account ADD COLUMN collar text;                 -- collar number, when the person has one
ALTER TABLE account ADD COLUMN disabled_at text{C};         -- set: cannot sign in, sessions and tokens refused
ALTER TABLE account ADD COLUMN locked_at text{C};           -- set by too many failed sign-ins; an administrator clears it
ALTER TABLE account ADD COLUMN password_changed_at text{C};
ALTER TABLE account ADD COLUMN last_sign_in_at text{C};
ALTER TABLE account ADD COLUMN failed_sign_ins bigint NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN last_failed_at text{C};
CREATE UNIQUE INDEX account_collar ON account (collar) WHERE collar IS NOT NULL;

-- When the session was last used (at most once a minute): it ends after the idle limit.
ALTER TABLE account_session ADD COLUMN last_seen_at text{C};

-- A token acts as its account for `Authorization: Bearer`; kept only as its BLAKE2b hash.
CREATE TABLE api_token (
    id           {id},
    account      bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    token_hash   text{C} NOT NULL UNIQUE,
    label        text NOT NULL DEFAULT '',
    created_at   text{C} NOT NULL,
    expires_at   text{C},
    revoked_at   text{C},
    last_used_at text{C}
);
CREATE INDEX api_token_account ON api_token (account);
