-- 0019: search (issue 10 §2). People are found by the words of their name, each word's
-- phonetic keys and their date of birth (peel-domain `name_search::index_words`), indexed
-- with each database's own full-text machinery: SQLite's FTS5 (contentless, rowid = the
-- person's id, no positions: the queries are AND/OR of words and prefixes) and PostgreSQL's
-- tsvector under a GIN index (the 'simple' configuration: the words are already folded, and
-- must not be stemmed). The index is derived data: rebuilt from `person` when missing
-- (`resources::search::catch_up` on open), and left out of backups.
--
-- PostgreSQL's pg_trgm is not used: an extension is the whole database's, and creating it
-- needs a privilege the service's runtime role should not have; the phonetic keys give both
-- stores the same tolerance of misspelling.
-- [sqlite]
CREATE VIRTUAL TABLE person_words USING fts5(words, content='', contentless_delete=1, detail=none);
-- [end]
-- [postgres]
CREATE TABLE person_words (
    person bigint PRIMARY KEY REFERENCES person (id),
    words  text NOT NULL,
    tsv    tsvector GENERATED ALWAYS AS (to_tsvector('simple', words)) STORED
);
CREATE INDEX person_words_tsv ON person_words USING gin (tsv);
-- [end]

-- The searches by postcode and by offence read their newest crimes first (by officer and by
-- person have their indexes already: crime_officer_recorded, crime_person_person).
CREATE INDEX report_postcode ON report (postcode);
CREATE INDEX crime_offence_recorded ON crime (offence_code, recorded_at);
