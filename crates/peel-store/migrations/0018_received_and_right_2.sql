-- 0018: two corrections to the Victims' Code clocks (issue 10 §7).
--
-- A report keeps when it was received (reported_at, which starts the 24-hour recording
-- clock: Home Office Crime Recording Rules, General Rules section A) apart from when the
-- incident happened (occurred_at, NULL where unknown or "just now"). Before this, the partner
-- form's "When did it happen?" was stored as reported_at, so a report of last week's
-- incident made today was shown as already overdue.
ALTER TABLE report ADD COLUMN occurred_at text{C};

-- Right 2 ("details of the crime recorded without unjustified delay") is met by the
-- recording decision itself, not by a contact: every right-2 obligation still open on a crime
-- is met at the moment that crime was recorded (on time within the 24 hours, late after).
-- New crimes are written so by peel-casework (victims_code::MET_BY_THE_RECORDING_DECISION).
UPDATE obligation SET met_at = (SELECT c.recorded_at FROM crime c WHERE c.id = obligation.crime)
 WHERE entitlement = '2-recording' AND met_at IS NULL;
