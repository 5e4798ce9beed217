-- 0009: the worklists read a page of a queue, not the whole of it (issue 4's page-load
-- budget). Partial indexes hold only what a queue can show, so they stay small however many
-- crimes the force has closed:
-- the daily management meeting reads a team's open crimes (recorded, no outcome);
CREATE INDEX IF NOT EXISTS crime_open_team ON crime (team, recorded_at) WHERE status = 'recorded' AND outcome IS NULL;
-- the whole force's open crimes, when no team is chosen;
CREATE INDEX IF NOT EXISTS crime_open ON crime (recorded_at) WHERE status = 'recorded' AND outcome IS NULL;
-- the Victim Care Unit's fraud triage queue reads unmet referrals by due date.
CREATE INDEX IF NOT EXISTS obligation_unmet_entitlement ON obligation (entitlement, due) WHERE met_at IS NULL;
