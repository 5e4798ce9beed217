-- 0006: where a report says the incident happened (see the SQLite migration of the same
-- number).
ALTER TABLE report ADD COLUMN latitude double precision;
ALTER TABLE report ADD COLUMN longitude double precision;
ALTER TABLE report ADD COLUMN lsoa_code text;
ALTER TABLE report ADD COLUMN neighbourhood_unit text;
ALTER TABLE report ADD COLUMN impact_area text;
