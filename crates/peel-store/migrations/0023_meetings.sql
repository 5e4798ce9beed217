-- 0023: the daily management meeting's own record (issue 10 §5): when a team's meeting was
-- held (team '' is a supervisor's without a team: the force), so that the next one shows what
-- is new or changed since first; and the decisions or actions recorded against a crime there.
-- `last_audit` and `last_crime` are the trail's and the crimes' highest ids when it was held:
-- what comes after is new to the next meeting, to the entry (times are to the minute).
CREATE TABLE meeting (
    id         {id},
    team       text NOT NULL,
    held_by    text NOT NULL,
    held_at    text{C} NOT NULL,
    last_audit bigint NOT NULL,
    last_crime bigint NOT NULL
);
CREATE INDEX meeting_team ON meeting (team, held_at);

CREATE TABLE meeting_decision (
    id         {id},
    crime      bigint NOT NULL REFERENCES crime (id),
    decision   text NOT NULL,
    decided_by text NOT NULL,
    decided_at text{C} NOT NULL
);
CREATE INDEX meeting_decision_crime ON meeting_decision (crime, decided_at);

-- A person's page lists the reports they made and the contacts with them (issue 10 §1).
CREATE INDEX report_reporter ON report (reporter);
CREATE INDEX contact_person ON contact (person);
