-- 0003: accounts and sessions for the web application.
-- An account has one role; partners and hospital liaison officers are scoped to a site,
-- officers and supervisors to a team. Passwords are kept only as an Argon2id PHC string
-- (hashed by the web application). A session is looked up by the hash of its cookie's token
-- (the token itself is never stored), carries its CSRF token, and ends at `expires_at`.
-- Times are text "YYYY-MM-DDTHH:MM", as in 0002.

CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,      -- lower case, as the web application normalises it
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,             -- partner | liaison | registrar | officer | supervisor | victim-care | analyst | admin
    password_hash TEXT NOT NULL,             -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    site          INTEGER REFERENCES site (id),
    team          TEXT,
    created_at    TEXT NOT NULL
);

CREATE TABLE account_session (
    token      TEXT PRIMARY KEY,             -- hash of the cookie's token
    account    INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX account_session_account ON account_session (account);
CREATE INDEX account_session_expires ON account_session (expires_at);
