-- Applications sent by candidates to an offer or a company, the outbox of
-- outgoing emails, the contact email of offers and the service's settings.
-- Mirrors postgres/0007.
--
-- Scheduling columns of the outbox (next_attempt_at, lease_until) are
-- epoch milliseconds (INTEGER) rather than timestamps: the claim query
-- compares them with a bound parameter, and integers compare the same way
-- on both backends (SQLite stores timestamps as text).

CREATE TABLE applications (
    id TEXT PRIMARY KEY NOT NULL,
    -- 'offer' or 'company'; the id is the offer id or the SIRET.
    target_kind TEXT NOT NULL CHECK (target_kind IN ('offer', 'company')),
    target_id TEXT NOT NULL,
    -- Snapshots taken when applying: the offer may change or disappear.
    target_title TEXT NOT NULL,
    company_name TEXT NOT NULL,
    recruiter_email TEXT,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    message TEXT,
    cv_name TEXT NOT NULL,
    cv_mime TEXT NOT NULL,
    -- Deleted once the recruiter's email is sent (or after 30 days).
    cv_bytes BLOB,
    -- received → delivered | failed | infected; anonymised after 2 years.
    status TEXT NOT NULL,
    caller TEXT,
    -- SHA-256 of the client IP with the link secret: lets abuse be traced
    -- without keeping the address.
    ip_hash TEXT,
    -- The recruiter's answer: 'interview' or 'refusal'.
    answer TEXT CHECK (answer IN ('interview', 'refusal')),
    answer_message TEXT,
    -- JSON array of reasons from the fixed list.
    answer_reasons TEXT,
    answered_at TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT,
    cv_deleted_at TEXT,
    anonymised_at TEXT
);
CREATE INDEX applications_candidate_target ON applications (email, target_kind, target_id);
CREATE INDEX applications_candidate_day ON applications (email, created_at);
CREATE INDEX applications_target ON applications (target_kind, target_id);
CREATE INDEX applications_created ON applications (created_at);

-- One row per email to send. A worker claims a row by setting status
-- 'sending' with a lease; an expired lease makes it claimable again.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- The application the email is about (jobs are cancelled with it).
    subject TEXT NOT NULL,
    -- pending → sending → sent | failed; cancelled.
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    claimed_by TEXT,
    last_error TEXT,
    -- At most one row per (kind, subject): enqueueing twice is a no-op.
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_subject ON outbox (subject);

-- Where applications to an offer posted on the platform go (imported
-- offers carry an apply_url instead). Apart from `offers` so that offer
-- upserts of other importers do not need to know about it.
CREATE TABLE offer_contacts (
    offer_id TEXT PRIMARY KEY NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    email TEXT NOT NULL
);

-- Settings the service generates once and shares between nodes (the
-- signing key of links when none is configured).
CREATE TABLE service_settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
