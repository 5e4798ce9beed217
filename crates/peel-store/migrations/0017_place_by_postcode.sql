-- 0017: a report's and a partner site's place from a postcode (issue 9 §1). The postcode as
-- given (normalised when the gazetteer holds it), its grid point and its gazetteer areas,
-- kept on the record so that a later change of the gazetteer or of the force's areas does
-- not move a recorded crime. A report given only coordinates is placed at the point, with
-- the areas of the nearest gazetteer postcode (ForceAreas::place_of_grid). All NULL where
-- the place is unknown: the crime is then counted as "place unknown", never dropped.
ALTER TABLE report ADD COLUMN postcode text;
ALTER TABLE report ADD COLUMN easting double precision;
ALTER TABLE report ADD COLUMN northing double precision;
ALTER TABLE report ADD COLUMN msoa_code text;
ALTER TABLE report ADD COLUMN ward_code text;
ALTER TABLE report ADD COLUMN la_code text;
ALTER TABLE site ADD COLUMN postcode text;
ALTER TABLE site ADD COLUMN easting double precision;
ALTER TABLE site ADD COLUMN northing double precision;
ALTER TABLE site ADD COLUMN msoa_code text;
ALTER TABLE site ADD COLUMN ward_code text;
ALTER TABLE site ADD COLUMN la_code text;
