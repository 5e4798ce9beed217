-- 0007: a crime's evidence is read with the crime (see the SQLite migration of the same
-- number).
CREATE INDEX evidence_crime ON evidence (crime);
