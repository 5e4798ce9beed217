-- 0001: the public data Peel analyses: police.uk street-level records, Home Office recorded
-- crime, ONS LSOA geography. Vocabularies (categories, forces) are codes from peel-domain.
-- One migration set for both stores: `crate::migrations` renders each file for SQLite or
-- PostgreSQL (its docs list the few placeholders in braces). Tables are created in the
-- connection's current schema (PostgreSQL's search_path).

-- Every file imported, so that ASB rows (which have no Crime ID) can be keyed by file and
-- line, and so that an analyst can see what the store holds and from where.
CREATE TABLE source_file (
    id           {id},
    kind         text NOT NULL,           -- police-uk | home-office | ons
    name         text NOT NULL,           -- file name without its folder
    rows_stored  bigint NOT NULL DEFAULT 0,
    rows_refused bigint NOT NULL DEFAULT 0,
    imported_at  {now},
    UNIQUE (kind, name)
);

-- Lower Layer Super Output Areas (2011): police.uk fills code and name; ONS fills the rest.
CREATE TABLE lsoa (
    id          {id},
    code        text NOT NULL UNIQUE,
    name        text,
    msoa_code   text,
    msoa_name   text,
    la_code     text,
    la_name     text,
    region_name text,
    force       integer,                  -- peel-domain Force::code by the ONS lookup
    persons     bigint,
    households  bigint,
    hectares    double precision
);
CREATE INDEX lsoa_force ON lsoa (force);

-- police.uk snap points ("On or near ..."), with their British National Grid position
-- computed once at import so that hotspot grids never re-project.
CREATE TABLE point (
    id        {id},
    longitude double precision NOT NULL,
    latitude  double precision NOT NULL,
    location  text NOT NULL,
    easting   double precision NOT NULL,
    northing  double precision NOT NULL,
    UNIQUE (longitude, latitude, location)
);

CREATE TABLE outcome_category (
    id   {id},
    name text NOT NULL UNIQUE
);

-- One row per police.uk street-level row. A force's months are one range of the primary
-- key; `record_key` is the Crime ID (32 bytes when it is the usual SHA-256 hex) or, for rows
-- without one (ASB), 'L' + source_file id + line number. No foreign keys:
-- the store writes the ids it has just looked up, and checking each of a million rows
-- would cost more than it catches.
CREATE TABLE street_record (
    force       integer NOT NULL,
    month       integer NOT NULL,         -- peel-domain YearMonth::index
    record_key  {bytes} NOT NULL,
    category    smallint NOT NULL,        -- peel-domain Category::code
    lsoa        bigint,                   -- lsoa.id
    point       bigint,                   -- point.id
    outcome     bigint,                   -- outcome_category.id
    reported_by integer NOT NULL,
    file        bigint NOT NULL,          -- source_file.id
    line        integer NOT NULL,
    PRIMARY KEY (force, month, record_key)
){without_rowid};

-- Home Office police recorded crime by force, financial year, quarter and offence code.
-- Counts may be negative: the tables carry later reclassifications as adjustments.
CREATE TABLE recorded_crime (
    force          integer NOT NULL,
    financial_year integer NOT NULL,      -- the year it starts in: 2017 = 2017/18
    quarter        smallint NOT NULL,
    offence_code   text NOT NULL,
    offences       bigint NOT NULL,
    file           bigint NOT NULL,
    line           integer NOT NULL,
    PRIMARY KEY (force, financial_year, quarter, offence_code)
){without_rowid};
