-- 0027: police.uk street-level records kept as column chunks (`src/street_chunk.rs` has the
-- format and why): one row per force, month and part of an imported file, in place of one
-- row per record. The records already stored move into chunks here, one chunk per force,
-- month and file, in line order (then key: a file imported again under its name may have left
-- a record of an earlier version on the same line); the ids a chunk holds are 4 bytes each (the stores' LSOA,
-- snap point and outcome ids are small, never near 4 billion).

CREATE TABLE street_chunk (
    id       {id},
    force    integer NOT NULL,
    month    integer NOT NULL,         -- peel-domain YearMonth::index
    file     bigint NOT NULL,          -- source_file.id of the import that wrote it
    rows     integer NOT NULL,         -- records in the chunk
    -- Before `keys`: an analysis reads `columns` only, and SQLite then stops before the
    -- keys' pages.
    columns  {bytes} NOT NULL,
    keys     {bytes} NOT NULL
);

-- [sqlite]
INSERT INTO street_chunk (force, month, file, rows, columns, keys)
SELECT force, month, file, count(*),
       unhex(group_concat(printf('%02X', category), '' ORDER BY line, record_key)
             || group_concat(printf('%04X', reported_by), '' ORDER BY line, record_key)
             || group_concat(printf('%08X', coalesce(lsoa, 0)), '' ORDER BY line, record_key)
             || group_concat(printf('%08X', coalesce(point, 0)), '' ORDER BY line, record_key)
             || group_concat(printf('%08X', coalesce(outcome, 0)), '' ORDER BY line, record_key)
             || group_concat(printf('%08X', line), '' ORDER BY line, record_key)),
       unhex(group_concat(printf('%04X', length(record_key)) || hex(record_key), '' ORDER BY line, record_key))
FROM street_record GROUP BY force, month, file;
-- [end]
-- [postgres]
-- An id past 4 bytes would be cut by lpad, not refused: refused here. (On SQLite it makes a
-- chunk the reader refuses as the wrong length.)
DO $$ BEGIN
    IF (SELECT max(greatest(lsoa, point, outcome)) FROM street_record) >= 4294967296 THEN
        RAISE EXCEPTION 'street_record holds an id past 4,294,967,295, which a street chunk cannot hold';
    END IF;
END $$;
INSERT INTO street_chunk (force, month, file, rows, columns, keys)
SELECT force, month, file, count(*),
       decode(string_agg(lpad(to_hex(category::integer), 2, '0'), '' ORDER BY line, record_key)
              || string_agg(lpad(to_hex(reported_by), 4, '0'), '' ORDER BY line, record_key)
              || string_agg(lpad(to_hex(coalesce(lsoa, 0)), 8, '0'), '' ORDER BY line, record_key)
              || string_agg(lpad(to_hex(coalesce(point, 0)), 8, '0'), '' ORDER BY line, record_key)
              || string_agg(lpad(to_hex(coalesce(outcome, 0)), 8, '0'), '' ORDER BY line, record_key)
              || string_agg(lpad(to_hex(line), 8, '0'), '' ORDER BY line, record_key), 'hex'),
       decode(string_agg(lpad(to_hex(length(record_key)), 4, '0') || encode(record_key, 'hex'), '' ORDER BY line, record_key), 'hex')
FROM street_record GROUP BY force, month, file;
-- [end]

DROP TABLE street_record;

CREATE INDEX street_chunk_month ON street_chunk (force, month);
