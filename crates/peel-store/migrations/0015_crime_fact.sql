-- 0015: the force's crimes as analysis data. One row per crime of the force, whether
-- recorded in Peel ('recorded': crime.id and the crime.version it was projected from) or
-- imported from the force's previous system ('imported': `peel import crimes`), in the
-- column form every analysis reads: what, when, where (with the areas from the postcode
-- gazetteer resolved once, on the way in), to whom, with what outcome, by which team.
-- (Version 14 is another branch's; versions are applied in order, each once.)
--
-- Conventions:
-- - times are text "YYYY-MM-DDTHH:MM", local time, as the casework tables keep them;
-- - force is peel-domain Force::code, category peel-domain Category::code;
-- - harm_days is the Cambridge Crime Harm Index weight of the offence's exact Home Office
--   subgroup (NULL for an offence the index does not weigh: fraud);
-- - flags is an integer bit set: bit i (0-10) is peel-domain flags::FLAGS[i], bit 11+j is
--   hate-crime:<HATE_STRANDS[j]> (peel-domain flags::bit): one integer compares and masks
--   in a scan where a list of words would have to be parsed;
-- - the place: a postcode in the gazetteer gives the grid point and areas of its row; a
--   grid point without a postcode takes the areas of the nearest gazetteer postcode within
--   2 km; a postcode not in the gazetteer is kept as given with its areas NULL (unknown).
-- Clustered on the reference (WITHOUT ROWID on SQLite): re-imports look rows up by it, and
-- an import sorted by reference fills the tree front to back.

CREATE TABLE crime_fact (
    reference      text{C} PRIMARY KEY,  -- CRM-2026-000123, or the source system's reference
    origin         text NOT NULL,        -- recorded | imported
    crime          bigint,               -- crime.id when recorded
    source_version bigint,               -- crime.version projected
    force          integer NOT NULL,
    recorded_at    text{C} NOT NULL,
    occurred_at    text{C},
    offence_code   text NOT NULL,        -- Home Office code, e.g. 28E
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
    victim_sex     text,                 -- F | M | X (other) | U (not known)
    outcome_type   integer,              -- Home Office outcome type 0-22
    outcome_date   text{C},              -- YYYY-MM-DD
    team           text
){without_rowid};
-- What every analysis filters on: a force's crimes between two times.
CREATE INDEX crime_fact_force_recorded ON crime_fact (force, recorded_at);
