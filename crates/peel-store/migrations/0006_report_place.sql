-- 0006: where a report says the incident happened, when it is not a partner's site:
-- coordinates, LSOA, neighbourhood policing unit and Impact Area (seed 004), so that crime
-- reported by the public is placed as partner reports are through their site.
ALTER TABLE report ADD COLUMN latitude double precision;
ALTER TABLE report ADD COLUMN longitude double precision;
ALTER TABLE report ADD COLUMN lsoa_code text;
ALTER TABLE report ADD COLUMN neighbourhood_unit text;
ALTER TABLE report ADD COLUMN impact_area text;
