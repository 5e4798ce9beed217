-- 0004: investigation plans and supervisors' reviews on a crime. HMIC (seed 003): "In most
-- cases HMIC found regular use of investigation plans ... and show evidence of reviews by
-- supervisors within appropriate time frames."
CREATE TABLE crime_review (
    id              {id},
    crime           bigint NOT NULL REFERENCES crime (id),
    kind            text NOT NULL,
    text            text NOT NULL,
    author          text NOT NULL,
    at              text{C} NOT NULL,
    next_review_due text{C}
);
CREATE INDEX crime_review_crime ON crime_review (crime, at);
