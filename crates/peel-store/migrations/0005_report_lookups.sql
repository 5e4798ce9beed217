-- 0005: a report's incident is looked up by report (a site's page lists its reports with
-- their incidents); without this index each lookup scanned every incident.
CREATE INDEX incident_report ON incident (report);
-- An officer's and a team's crimes over a period (their worklist pages, the supervisor's
-- meeting list) are read through these rather than through every crime of the period.
CREATE INDEX crime_officer_recorded ON crime (officer, recorded_at);
CREATE INDEX crime_team_recorded ON crime (team, recorded_at);
