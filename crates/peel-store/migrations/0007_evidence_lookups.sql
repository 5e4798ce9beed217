-- 0007: a crime's evidence is read with the crime (every crime page, the liaison officer's
-- site page); without this index each read scanned all evidence.
CREATE INDEX evidence_crime ON evidence (crime);
