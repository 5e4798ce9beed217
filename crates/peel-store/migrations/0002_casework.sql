-- 0002: casework — reports, incidents, recorded crimes, the people on them, Victims' Code
-- obligations, contacts, evidence, outcomes, intelligence, and the audit log.
-- Times are text "YYYY-MM-DDTHH:MM" (dates "YYYY-MM-DD"): sortable, exact, and the same in
-- both stores, so both answer every query alike. Columns that are sorted or compared by
-- range are collated bytewise on PostgreSQL (COLLATE "C"), as SQLite compares text, whatever
-- the database's default collation (a linguistic one would order '-', ':' and 'T'
-- differently). JSON (lists, THRIVE, cancellation, audit before/after) is kept as text: the
-- stored string is exactly what was written. Both stores enforce the foreign keys (SQLite
-- with PRAGMA foreign_keys).

CREATE TABLE reference_counter (
    prefix text NOT NULL,                   -- 'RPT', 'INC', 'CRM', 'INT'
    year   integer NOT NULL,
    last   bigint NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE organisation (
    id   {id},
    name text NOT NULL,
    kind text NOT NULL                      -- hospital | business | partner | other
);

-- Partner and other sites (a hospital, a shop) where crime is reported from.
CREATE TABLE site (
    id                 {id},
    organisation       bigint NOT NULL REFERENCES organisation (id),
    name               text NOT NULL,
    address            text,
    latitude           double precision,
    longitude          double precision,
    lsoa_code          text,
    neighbourhood_unit text,
    impact_area        text
);

CREATE TABLE person (
    id              {id},
    name            text NOT NULL,
    date_of_birth   text{C},
    sex             text,
    ethnicity       text,                   -- self-defined (16+1 census categories or free text)
    vulnerabilities text NOT NULL DEFAULT '[]',   -- JSON list of markers
    is_business     boolean NOT NULL DEFAULT false
);

CREATE TABLE report (
    id          {id},
    reference   text NOT NULL UNIQUE,
    channel     text NOT NULL,              -- 999 | 101 | online | partner-portal | officer
    kind        text NOT NULL,              -- crime | incident | intelligence
    reported_at text{C} NOT NULL,
    reporter    bigint REFERENCES person (id),
    site        bigint REFERENCES site (id),
    location    text,
    account     text NOT NULL,
    created_by  text NOT NULL
);
CREATE INDEX report_site ON report (site, reported_at);

CREATE TABLE incident (
    id                {id},
    reference         text NOT NULL UNIQUE,
    report            bigint NOT NULL REFERENCES report (id),
    opened_at         text{C} NOT NULL,
    decision_due      text{C} NOT NULL,  -- 24 hours after the report (Crime Recording Rules)
    status            text NOT NULL,        -- open | crime | non-crime:<type> | transferred
    decided_at        text{C},
    decided_by        text,
    thrive            text,                 -- JSON of the THRIVE assessment
    grade             text,
    team              text,
    allocation_reason text,
    version           bigint NOT NULL DEFAULT 1
);
CREATE INDEX incident_open ON incident (status, decision_due);

CREATE TABLE crime (
    id           {id},
    reference    text NOT NULL UNIQUE,
    incident     bigint NOT NULL REFERENCES incident (id),
    offence_code text NOT NULL,
    status       text NOT NULL,             -- recorded | cancelled
    recorded_at  text{C} NOT NULL,
    recorded_by  text NOT NULL,
    flags        text NOT NULL DEFAULT '[]',
    team         text,
    officer      text,
    outcome      text,
    outcome_at   text{C},
    cancellation text,                      -- JSON: reason, detail, by, at
    version      bigint NOT NULL DEFAULT 1
);
CREATE INDEX crime_officer ON crime (officer, status);
CREATE INDEX crime_incident ON crime (incident);
CREATE INDEX crime_recorded ON crime (recorded_at);

CREATE TABLE crime_person (
    crime            bigint NOT NULL REFERENCES crime (id),
    person           bigint NOT NULL REFERENCES person (id),
    role             text{C} NOT NULL,   -- victim | suspect | witness
    enhanced         boolean NOT NULL DEFAULT false,
    enhanced_reasons text NOT NULL DEFAULT '[]',
    PRIMARY KEY (crime, person, role)
);
CREATE INDEX crime_person_person ON crime_person (person, role);

-- Every entitlement owed to a victim, dated; met with evidence (a contact) or not.
CREATE TABLE obligation (
    id          {id},
    crime       bigint NOT NULL REFERENCES crime (id),
    person      bigint NOT NULL REFERENCES person (id),
    entitlement text NOT NULL,              -- peel-domain victims_code key
    right_no    integer NOT NULL,
    description text NOT NULL,
    due         text{C},           -- date or time; NULL when the Code sets none
    met_at      text{C},
    met_by      bigint,                     -- contact.id
    created_at  text{C} NOT NULL
);
CREATE INDEX obligation_due ON obligation (met_at, due);
CREATE INDEX obligation_crime ON obligation (crime);

CREATE TABLE contact (
    id      {id},
    crime   bigint NOT NULL REFERENCES crime (id),
    person  bigint NOT NULL REFERENCES person (id),
    at      text{C} NOT NULL,
    method  text NOT NULL,                  -- phone | visit | letter | email | sms
    by_whom text NOT NULL,
    notes   text NOT NULL DEFAULT ''
);
CREATE INDEX contact_crime ON contact (crime);

CREATE TABLE evidence (
    id          {id},
    crime       bigint NOT NULL REFERENCES crime (id),
    kind        text NOT NULL,              -- cctv | forensic | statement | digital | other
    description text NOT NULL,
    deadline    text{C},           -- e.g. CCTV retention runs out
    secured_at  text{C},
    added_by    text NOT NULL
);

-- Append-only: who changed what, when, with the record before and after (JSON).
CREATE TABLE audit_log (
    id        {id},
    at        text{C} NOT NULL,
    actor     text NOT NULL,
    entity    text NOT NULL,
    entity_id bigint NOT NULL,
    action    text NOT NULL,
    before    text,
    after     text
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);

-- The audit log is append-only: UPDATE and DELETE fail, whoever asks (and TRUNCATE on
-- PostgreSQL, which has it), with the same message on both stores.
-- [sqlite]
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- [postgres]
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER audit_log_append_only_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_append_only_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- [end]
