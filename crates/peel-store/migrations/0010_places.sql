-- 0010: places. Every postcode of the forces Peel serves with its Ordnance Survey grid
-- position and the areas it lies in (Code-Point Open joined with the ONS postcode lookup:
-- see ../shared/data/README.md), so that a report's postcode gives its grid point, LSOA,
-- MSOA, ward, local authority and force; and each LSOA's boundary, for maps and for the
-- force's own areas (neighbourhood units, Impact Areas) built from LSOAs.

CREATE TABLE postcode (
    postcode   text{C} PRIMARY KEY,     -- as Royal Mail writes it, one space: "B1 1AY"
    easting    integer NOT NULL,        -- British National Grid, metres
    northing   integer NOT NULL,
    quality    integer NOT NULL,        -- Code-Point positional quality: 10 = within the building
    lsoa_code  text NOT NULL,
    msoa_code  text,
    msoa_name  text,
    la_code    text,
    la_name    text,
    ward_code  text,
    ward_name  text,
    force      integer                  -- peel-domain Force::code
);
CREATE INDEX postcode_lsoa ON postcode (lsoa_code);
CREATE INDEX postcode_ward ON postcode (ward_code);

CREATE TABLE lsoa_boundary (
    code              text{C} PRIMARY KEY,
    name              text NOT NULL,
    force             integer,
    centroid_easting  double precision NOT NULL,   -- population-weighted centroid
    centroid_northing double precision NOT NULL,
    area_m2           double precision NOT NULL,
    polygon           text NOT NULL                -- GeoJSON coordinates (WGS84 lon/lat rings), as imported
);
CREATE INDEX lsoa_boundary_force ON lsoa_boundary (force);
