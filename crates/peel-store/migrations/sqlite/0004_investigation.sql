-- 0004: investigation plans and supervisors' reviews on a crime. HMIC (seed 003): "In most
-- cases HMIC found regular use of investigation plans ... and show evidence of reviews by
-- supervisors within appropriate time frames."
CREATE TABLE crime_review (
    id              INTEGER PRIMARY KEY,
    crime           INTEGER NOT NULL REFERENCES crime (id),
    kind            TEXT NOT NULL,          -- plan | review
    text            TEXT NOT NULL,
    author          TEXT NOT NULL,
    at              TEXT NOT NULL,
    next_review_due TEXT                    -- the day the next supervisor review is due
);
CREATE INDEX crime_review_crime ON crime_review (crime, at);
