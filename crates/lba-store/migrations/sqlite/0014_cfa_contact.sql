-- Contacting a CFA about a course (issue 17). `cfa_contacts`: what an
-- administrator set for a CFA (a contact address that overrides the
-- catalogue's, an opt-out) and the suspension of an address that bounced.
-- `appointment_requests`: each request, its answer and its reminders.
-- Personal data (names, contact) is kept for the follow-up only; nothing
-- of it goes to the logs. Mirrors postgres/0014.

CREATE TABLE cfa_contacts (
    uai TEXT PRIMARY KEY,
    email TEXT,
    opted_out INTEGER NOT NULL DEFAULT 0,
    suspended_at TEXT,
    suspended_email TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE appointment_requests (
    id TEXT PRIMARY KEY,
    formation_id TEXT NOT NULL,
    -- The course and CFA as they were named when asked.
    course_title TEXT NOT NULL,
    cfa_name TEXT NOT NULL,
    cfa_uai TEXT,
    cfa_email TEXT NOT NULL,
    -- `lba`, `campagne`, `parcoursup`, `affelnet`.
    referrer TEXT NOT NULL,
    -- `jeune` or `parent`.
    requester TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    -- Lowercased, for the 4-day rule.
    email_key TEXT NOT NULL,
    phone TEXT NOT NULL,
    -- Reason codes, comma-separated.
    reasons TEXT NOT NULL,
    message TEXT,
    person_id TEXT,
    campaign_id TEXT,
    arm TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT,
    answered_at TEXT,
    -- `telephone`, `email` or `impossible`.
    answer TEXT,
    -- For `impossible`: `complet`, `mauvaise_formation`, `autre`.
    answer_reason TEXT,
    answer_message TEXT,
    reminded_at TEXT,
    young_told_at TEXT
);
CREATE INDEX appointment_requests_same ON appointment_requests (email_key, formation_id, created_at);
CREATE INDEX appointment_requests_cfa ON appointment_requests (cfa_uai, created_at);
CREATE INDEX appointment_requests_campaign ON appointment_requests (campaign_id, arm);
