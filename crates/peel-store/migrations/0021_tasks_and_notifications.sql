-- 0021: tasks, notifications and an outbox (issue 10 §4).
--
-- A task is work set on a crime or a person (an enquiry, an arrest attempt, a visit, a call)
-- with an owner (an account's username), a due day and, when done, its result.
CREATE TABLE task (
    id          {id},
    crime       bigint REFERENCES crime (id),
    person      bigint REFERENCES person (id),
    kind        text NOT NULL,
    description text NOT NULL,
    owner       text NOT NULL,
    due         text{C} NOT NULL,
    set_by      text NOT NULL,
    set_at      text{C} NOT NULL,
    result      text,
    done_by     text,
    done_at     text{C},
    CHECK (crime IS NOT NULL OR person IS NOT NULL)
);
CREATE INDEX task_owner_due ON task (owner, done_at, due);
CREATE INDEX task_crime ON task (crime);
CREATE INDEX task_person ON task (person);

-- What an account is told in the application, once per event: `key` names the event (a
-- crime's allocation at a version, an obligation falling due), so that the job that looks for
-- deadlines may run any number of times and tell each account once.
CREATE TABLE notification (
    id         {id},
    account    text NOT NULL,
    kind       text NOT NULL,
    body       text NOT NULL,
    link       text,
    key        text NOT NULL,
    created_at text{C} NOT NULL,
    read_at    text{C},
    UNIQUE (account, key)
);
CREATE INDEX notification_unread ON notification (account, read_at, id);

-- Each notification waiting to go out by another channel (e-mail, SMS), written in the same
-- transaction: a sender plugged in later reads the pending rows, sends, and marks them. No
-- sender ships with Peel; nothing here leaves the store until one does.
CREATE TABLE outbox (
    id           {id},
    notification bigint NOT NULL REFERENCES notification (id),
    channel      text NOT NULL,
    recipient    text NOT NULL,
    status       text NOT NULL DEFAULT 'pending',   -- pending | sent | failed
    attempts     integer NOT NULL DEFAULT 0,
    created_at   text{C} NOT NULL,
    sent_at      text{C},
    last_error   text
);
CREATE INDEX outbox_pending ON outbox (status, id);
