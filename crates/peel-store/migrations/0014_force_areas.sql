-- 0014: the force's own areas — neighbourhood policing units and Impact Areas — as data.
-- Each area is a set of members: codes of the postcode gazetteer (0010) at one of three
-- levels (local authority, ward, LSOA), so that any place with a postcode or an LSOA is
-- placed in its NPU and Impact Area (peel-domain force_area). Replaced a kind at a time, whole,
-- by `peel import areas`; the default West Midlands definition is peel-domain's
-- force_area::west_midlands.

CREATE TABLE force_area (
    id     {id},
    kind   text NOT NULL CHECK (kind IN ('npu', 'impact_area')),
    code   text{C} NOT NULL,
    name   text NOT NULL,
    npu    text{C},                     -- an Impact Area's NPU code; NULL for an NPU
    source text NOT NULL,               -- where the definition came from and how it was drawn
    UNIQUE (kind, code)
);

CREATE TABLE force_area_member (
    area        bigint NOT NULL REFERENCES force_area (id),
    -- The area's kind again, so that the key below holds a member to one area of a kind:
    -- the area map must have one answer.
    kind        text NOT NULL CHECK (kind IN ('npu', 'impact_area')),
    member_kind text NOT NULL CHECK (member_kind IN ('la', 'ward', 'lsoa')),
    member_code text{C} NOT NULL,
    PRIMARY KEY (kind, member_kind, member_code)
);
CREATE INDEX force_area_member_area ON force_area_member (area);

-- place_of_grid: the nearest postcode, found in a box around the point.
CREATE INDEX postcode_grid ON postcode (easting, northing);
