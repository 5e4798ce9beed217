-- 0003: accounts and sessions for the web application.
-- An account has one role; partners and hospital liaison officers are scoped to a site,
-- officers and supervisors to a team. Passwords are kept only as an Argon2id PHC string
-- (hashed by the web application). A session is looked up by the hash of its cookie's token
-- (the token itself is never stored), carries its CSRF token, and ends at `expires_at`.
-- Times are text "YYYY-MM-DDTHH:MM", compared bytewise (as in 0002).

CREATE TABLE account (
    id            {id},
    username      text{C} NOT NULL UNIQUE,   -- lower case, as the web application normalises it
    display_name  text NOT NULL,
    role          text NOT NULL,             -- partner | liaison | registrar | officer | supervisor | victim-care | analyst | admin
    password_hash text NOT NULL,             -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    site          bigint REFERENCES site (id),
    team          text,
    created_at    text{C} NOT NULL
);

CREATE TABLE account_session (
    token      text{C} PRIMARY KEY, -- hash of the cookie's token
    account    bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    csrf       text NOT NULL,
    created_at text{C} NOT NULL,
    expires_at text{C} NOT NULL
);
CREATE INDEX account_session_account ON account_session (account);
CREATE INDEX account_session_expires ON account_session (expires_at);
