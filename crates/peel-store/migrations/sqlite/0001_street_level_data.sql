-- 0001: the public data Peel analyses: police.uk street-level records, Home Office recorded
-- crime, ONS LSOA geography. Vocabularies (categories, forces) are codes from peel-domain.

-- Every file imported, so that ASB rows (which have no Crime ID) can be keyed by file and
-- line, and so that an analyst can see what the store holds and from where.
CREATE TABLE source_file (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,            -- police-uk | home-office | ons
    name        TEXT NOT NULL,            -- file name without its folder
    rows_stored INTEGER NOT NULL DEFAULT 0,
    rows_refused INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (kind, name)
);

-- Lower Layer Super Output Areas (2011): police.uk fills code and name; ONS fills the rest.
CREATE TABLE lsoa (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT,
    msoa_code   TEXT,
    msoa_name   TEXT,
    la_code     TEXT,
    la_name     TEXT,
    region_name TEXT,
    force       INTEGER,                  -- peel-domain Force::code by the ONS lookup
    persons     INTEGER,
    households  INTEGER,
    hectares    REAL
);
CREATE INDEX lsoa_force ON lsoa (force);

-- police.uk snap points ("On or near ..."), with their British National Grid position
-- computed once at import so that hotspot grids never re-project.
CREATE TABLE point (
    id        INTEGER PRIMARY KEY,
    longitude REAL NOT NULL,
    latitude  REAL NOT NULL,
    location  TEXT NOT NULL,
    easting   REAL NOT NULL,
    northing  REAL NOT NULL,
    UNIQUE (longitude, latitude, location)
);

CREATE TABLE outcome_category (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- One row per police.uk street-level row. Clustered by force and month so that a force's
-- history is one range scan; `record_key` is the Crime ID (32 bytes when it is the usual
-- SHA-256 hex) or, for rows without one (ASB), 'L' + source_file id + line number.
CREATE TABLE street_record (
    force       INTEGER NOT NULL,
    month       INTEGER NOT NULL,         -- peel-domain YearMonth::index
    record_key  BLOB NOT NULL,
    category    INTEGER NOT NULL,         -- peel-domain Category::code
    lsoa        INTEGER,                  -- lsoa.id
    point       INTEGER,                  -- point.id
    outcome     INTEGER,                  -- outcome_category.id
    reported_by INTEGER NOT NULL,
    file        INTEGER NOT NULL,         -- source_file.id
    line        INTEGER NOT NULL,
    PRIMARY KEY (force, month, record_key)
) WITHOUT ROWID;

-- Home Office police recorded crime by force, financial year, quarter and offence code.
-- Counts may be negative: the tables carry later reclassifications as adjustments.
CREATE TABLE recorded_crime (
    force          INTEGER NOT NULL,
    financial_year INTEGER NOT NULL,      -- the year it starts in: 2017 = 2017/18
    quarter        INTEGER NOT NULL,
    offence_code   TEXT NOT NULL,
    offences       INTEGER NOT NULL,
    file           INTEGER NOT NULL,
    line           INTEGER NOT NULL,
    PRIMARY KEY (force, financial_year, quarter, offence_code)
) WITHOUT ROWID;
