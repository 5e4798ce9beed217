-- 0026: a count of the changes to each force's analysis data (`crime_fact`), raised by every
-- projection of recorded crimes that wrote or removed a row and by every import that stored
-- one. The web application keeps a force's crimes in memory and reloads them when what the
-- store holds differs from what it loaded; the row count and the first and last months it
-- compared before do not move when a crime is given an outcome, reallocated or reclassified,
-- so such a change reached the analyst pages only at the data's fifteen-minute reload. This
-- count moves with every change, and is read with one probe.
CREATE TABLE crime_fact_change (
    force   integer PRIMARY KEY,
    changes bigint NOT NULL
);
