-- 0025: on SQLite, the force's crimes as analysis data kept in the order they are read.
-- Every analysis reads a force's crimes between two times through crime_fact_force_recorded.
-- Clustered on the reference (0015, WITHOUT ROWID), each row the index found was then looked
-- up by its reference, a descent of the tree comparing text at every level: a fifth of the
-- board paper's time on the million-crime demo force. Here the table keeps SQLite's integer
-- row number, the rows are copied in (force, recorded time) order, and the index leads to
-- each by that number; the reference is kept unique by an index of its own (what an import's
-- upsert and a recorded crime's projection look rows up by). Measured on the demo force's
-- 1,042,943 crimes with the sqlite3 shell: the paper's 48 months read in 0.67 s rather than
-- 0.81 s; the same rows inserted into an empty table in reference order, with the secondary
-- index built after, in 2.26 s rather than 2.61 s (the index's entries carry an 8-byte row
-- number rather than the reference). The reference's index is declared on the column
-- (UNIQUE), so an import that drops and rebuilds the table's declared indexes never drops it.
-- Rows written later land in the order they are written: a crime recorded in Peel as it
-- is recorded, an import in reference order (a records system numbers crimes as recorded,
-- so that is time order too), a backup restored in reference order. The upgrade rewrites the
-- table in one transaction (about 5 s for a million crimes; the log grows by the table's
-- size until the next checkpoint, and the old pages are reused, the file does not shrink).
-- PostgreSQL keeps its heap and indexes as 0015 made them: nothing to do there.
-- [sqlite]
CREATE TABLE crime_fact_by_time (
    reference      text NOT NULL UNIQUE,
    origin         text NOT NULL,
    crime          bigint,
    source_version bigint,
    force          integer NOT NULL,
    recorded_at    text NOT NULL,
    occurred_at    text,
    offence_code   text NOT NULL,
    category       integer NOT NULL,
    harm_days      double precision,
    flags          bigint NOT NULL DEFAULT 0,
    postcode       text,
    easting        integer,
    northing       integer,
    lsoa_code      text,
    msoa_code      text,
    ward_code      text,
    la_code        text,
    victim_age     integer,
    victim_sex     text,
    outcome_type   integer,
    outcome_date   text,
    team           text
);
INSERT INTO crime_fact_by_time
    (reference, origin, crime, source_version, force, recorded_at, occurred_at, offence_code, category,
     harm_days, flags, postcode, easting, northing, lsoa_code, msoa_code, ward_code, la_code,
     victim_age, victim_sex, outcome_type, outcome_date, team)
SELECT reference, origin, crime, source_version, force, recorded_at, occurred_at, offence_code, category,
       harm_days, flags, postcode, easting, northing, lsoa_code, msoa_code, ward_code, la_code,
       victim_age, victim_sex, outcome_type, outcome_date, team
FROM crime_fact ORDER BY force, recorded_at, reference;
DROP TABLE crime_fact;
ALTER TABLE crime_fact_by_time RENAME TO crime_fact;
CREATE INDEX crime_fact_force_recorded ON crime_fact (force, recorded_at);
-- [end]
