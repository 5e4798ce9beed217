-- 0005: a report's incident is looked up by report (see the SQLite migration of the same
-- number).
CREATE INDEX incident_report ON incident (report);
