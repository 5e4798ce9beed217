-- 0002: casework — reports, incidents, recorded crimes, the people on them, Victims' Code
-- obligations, contacts, evidence, outcomes, intelligence, and the audit log.
-- Times are text "YYYY-MM-DDTHH:MM" (dates "YYYY-MM-DD"): sortable, exact, and the same in
-- SQLite and PostgreSQL, so both stores answer every query alike.

CREATE TABLE reference_counter (
    prefix TEXT NOT NULL,                   -- 'RPT', 'INC', 'CRM', 'INT'
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE organisation (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL                      -- hospital | business | partner | other
);

-- Partner and other sites (a hospital, a shop) where crime is reported from.
CREATE TABLE site (
    id                 INTEGER PRIMARY KEY,
    organisation       INTEGER NOT NULL REFERENCES organisation (id),
    name               TEXT NOT NULL,
    address            TEXT,
    latitude           REAL,
    longitude          REAL,
    lsoa_code          TEXT,
    neighbourhood_unit TEXT,
    impact_area        TEXT
);

CREATE TABLE person (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    date_of_birth   TEXT,
    sex             TEXT,
    ethnicity       TEXT,                   -- self-defined (16+1 census categories or free text)
    vulnerabilities TEXT NOT NULL DEFAULT '[]',   -- JSON list of markers
    is_business     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE report (
    id          INTEGER PRIMARY KEY,
    reference   TEXT NOT NULL UNIQUE,
    channel     TEXT NOT NULL,              -- 999 | 101 | online | partner-portal | officer
    kind        TEXT NOT NULL,              -- crime | incident | intelligence
    reported_at TEXT NOT NULL,
    reporter    INTEGER REFERENCES person (id),
    site        INTEGER REFERENCES site (id),
    location    TEXT,
    account     TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX report_site ON report (site, reported_at);

CREATE TABLE incident (
    id                INTEGER PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    report            INTEGER NOT NULL REFERENCES report (id),
    opened_at         TEXT NOT NULL,
    decision_due      TEXT NOT NULL,        -- 24 hours after the report (Crime Recording Rules)
    status            TEXT NOT NULL,        -- open | crime | non-crime:<type> | transferred
    decided_at        TEXT,
    decided_by        TEXT,
    thrive            TEXT,                 -- JSON of the THRIVE assessment
    grade             TEXT,
    team              TEXT,
    allocation_reason TEXT,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX incident_open ON incident (status, decision_due);

CREATE TABLE crime (
    id           INTEGER PRIMARY KEY,
    reference    TEXT NOT NULL UNIQUE,
    incident     INTEGER NOT NULL REFERENCES incident (id),
    offence_code TEXT NOT NULL,
    status       TEXT NOT NULL,             -- recorded | cancelled
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    flags        TEXT NOT NULL DEFAULT '[]',
    team         TEXT,
    officer      TEXT,
    outcome      TEXT,
    outcome_at   TEXT,
    cancellation TEXT,                      -- JSON: reason, detail, by, at
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX crime_officer ON crime (officer, status);
CREATE INDEX crime_incident ON crime (incident);
CREATE INDEX crime_recorded ON crime (recorded_at);

CREATE TABLE crime_person (
    crime            INTEGER NOT NULL REFERENCES crime (id),
    person           INTEGER NOT NULL REFERENCES person (id),
    role             TEXT NOT NULL,         -- victim | suspect | witness
    enhanced         INTEGER NOT NULL DEFAULT 0,
    enhanced_reasons TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (crime, person, role)
);
CREATE INDEX crime_person_person ON crime_person (person, role);

-- Every entitlement owed to a victim, dated; met with evidence (a contact) or not.
CREATE TABLE obligation (
    id          INTEGER PRIMARY KEY,
    crime       INTEGER NOT NULL REFERENCES crime (id),
    person      INTEGER NOT NULL REFERENCES person (id),
    entitlement TEXT NOT NULL,              -- peel-domain victims_code key
    right_no    INTEGER NOT NULL,
    description TEXT NOT NULL,
    due         TEXT,                       -- date or time; NULL when the Code sets none
    met_at      TEXT,
    met_by      INTEGER,                    -- contact.id
    created_at  TEXT NOT NULL
);
CREATE INDEX obligation_due ON obligation (met_at, due);
CREATE INDEX obligation_crime ON obligation (crime);

CREATE TABLE contact (
    id      INTEGER PRIMARY KEY,
    crime   INTEGER NOT NULL REFERENCES crime (id),
    person  INTEGER NOT NULL REFERENCES person (id),
    at      TEXT NOT NULL,
    method  TEXT NOT NULL,                  -- phone | visit | letter | email | sms
    by_whom TEXT NOT NULL,
    notes   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contact_crime ON contact (crime);

CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    crime       INTEGER NOT NULL REFERENCES crime (id),
    kind        TEXT NOT NULL,              -- cctv | forensic | statement | digital | other
    description TEXT NOT NULL,
    deadline    TEXT,                       -- e.g. CCTV retention runs out
    secured_at  TEXT,
    added_by    TEXT NOT NULL
);

-- Append-only: who changed what, when, with the record before and after (JSON).
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
