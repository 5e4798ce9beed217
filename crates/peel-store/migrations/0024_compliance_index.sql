-- 0024: Victims' Code compliance counted where the obligations are kept (the board paper's
-- year of a large force, `obligation_compliance`): the crime's obligations found by this
-- index hold every column compliance reads (right, due, met), so the count never visits the
-- table's rows. It replaces the index on the crime alone, which any query using that one
-- uses in the same way (the crime is its first column). On the million-crime demo force
-- (13.9 million obligations) the count over eight months went from 0.99 s to 0.69 s. The
-- rebuild takes a while on a large store (13 s for those 13.9 million on SQLite) and on
-- PostgreSQL holds the table against reads meanwhile: upgrade out of hours (DEPLOYMENT.md §9).
DROP INDEX IF EXISTS obligation_crime;
CREATE INDEX obligation_crime ON obligation (crime, right_no, due, met_at);
