-- 0005: a report's incident is looked up by report (a site's page lists its reports with
-- their incidents); without this index each lookup scanned every incident.
CREATE INDEX incident_report ON incident (report);
