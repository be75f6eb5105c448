-- Campaigns to the cohort of young people with apprenticeship wishes:
-- people and wishes imported from Parcoursup/Affelnet exports, campaigns
-- with their arms, the arm of each person (stored before anything is
-- sent), one message per (campaign, person, channel, recipient) recorded
-- before sending, delivery events, and suppressed contacts.
-- Mirrors postgres/0008.

CREATE TABLE cohort_people (
    -- "{source}:{candidate id}": re-importing a newer export updates in place.
    id TEXT PRIMARY KEY NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('parcoursup', 'affelnet')),
    candidate_id TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    birth_date TEXT,
    email TEXT,
    mobile TEXT,
    parent_email TEXT,
    parent_mobile TEXT,
    postal_code TEXT,
    commune_insee TEXT,
    departement TEXT,
    region TEXT,
    -- Home, from the commune of residence (WGS84).
    lat REAL,
    lon REAL,
    school_uai TEXT,
    class TEXT,
    -- No student-status wish at all.
    apprenticeship_only INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cohort_people_departement ON cohort_people (departement);

CREATE TABLE cohort_wishes (
    person_id TEXT NOT NULL REFERENCES cohort_people (id) ON DELETE CASCADE,
    -- Course key, Parcoursup id or CFA + CFD (see lba_data::cohort).
    wish_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    course_key TEXT,
    parcoursup_id TEXT,
    cfa_uai TEXT,
    cfa_siret TEXT,
    cfd TEXT,
    -- The stored course and CFA the wish was linked to, when found.
    formation_id TEXT,
    linked_cfa_uai TEXT,
    level INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('apprentissage', 'scolaire')),
    status TEXT NOT NULL,
    contract_signed INTEGER NOT NULL,
    PRIMARY KEY (person_id, wish_key)
);

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'assigned', 'launched', 'paused', 'done')),
    -- The full specification (segment, channels, audience, templates,
    -- schedule, settings) as validated JSON.
    spec TEXT NOT NULL,
    -- Why the campaign was paused (operator, or N consecutive errors).
    pause_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE campaign_arms (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    arm TEXT NOT NULL,
    -- Share in percent.
    share INTEGER NOT NULL,
    is_control INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, arm)
);

CREATE TABLE campaign_assignments (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES cohort_people (id) ON DELETE CASCADE,
    arm TEXT NOT NULL,
    -- "département|level" stratum the assignment was balanced in.
    stratum TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, person_id)
);
CREATE INDEX campaign_assignments_arm ON campaign_assignments (campaign_id, arm);

CREATE TABLE campaign_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES cohort_people (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    -- Who the message is for: the young person or a parent.
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('young', 'parent')),
    arm TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT,
    body_text TEXT NOT NULL,
    body_html TEXT,
    -- pending → sending → sent | failed; suppressed/skipped never leave.
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'suppressed', 'skipped')),
    attempts INTEGER NOT NULL,
    last_error TEXT,
    provider_id TEXT,
    created_at TEXT NOT NULL,
    sending_at TEXT,
    sent_at TEXT,
    UNIQUE (campaign_id, person_id, channel, recipient_kind)
);
CREATE INDEX campaign_messages_status ON campaign_messages (campaign_id, status);
CREATE INDEX campaign_messages_person ON campaign_messages (person_id, sent_at);

CREATE TABLE message_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL REFERENCES campaign_messages (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('delivered', 'bounced', 'complained', 'stop', 'clicked', 'unsubscribed')),
    detail TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX message_events_message ON message_events (message_id, kind);

-- Contacts that never receive anything again, whatever the campaign.
CREATE TABLE suppressions (
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    -- E-mail address or E.164 number.
    address TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('opt_out', 'hard_bounce', 'blocklist', 'stop', 'complaint')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (channel, address)
);
