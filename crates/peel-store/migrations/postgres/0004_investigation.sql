-- 0004: investigation plans and supervisors' reviews on a crime (see the SQLite migration
-- of the same number for the source). Times as text, as in 0002.
CREATE TABLE crime_review (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    crime           bigint NOT NULL REFERENCES crime (id),
    kind            text NOT NULL,
    text            text NOT NULL,
    author          text NOT NULL,
    at              text COLLATE "C" NOT NULL,
    next_review_due text COLLATE "C"
);
CREATE INDEX crime_review_crime ON crime_review (crime, at);
