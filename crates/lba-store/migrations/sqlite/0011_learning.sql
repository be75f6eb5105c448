-- Learning modules ("parcours", issue 15): progress per learner, module and
-- attempt, and every answer, each tied to the content version so that the
-- statistics of a revised module start afresh.
-- The learner is `v:<uuid>` (first-party visitor cookie) or `p:<person id>`
-- (a cohort person who came through a campaign's tracked link); campaign and
-- arm come from that link. No personal data here beyond the person id.
-- Mirrors postgres/0011.

CREATE TABLE learning_progress (
    learner_key TEXT NOT NULL,
    module_id TEXT NOT NULL,
    -- 1 for the first attempt, +1 on each restart (old attempts are kept).
    attempt INTEGER NOT NULL,
    person_id TEXT,
    campaign_id TEXT,
    arm TEXT,
    -- Content version the attempt started on.
    version INTEGER NOT NULL,
    -- The situation shown (or whose feedback is shown).
    current_situation TEXT NOT NULL,
    -- The answer whose feedback is shown, until "Continuer".
    pending_answer TEXT,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT,
    PRIMARY KEY (learner_key, module_id, attempt)
);
CREATE INDEX learning_progress_module ON learning_progress (module_id, version);
CREATE INDEX learning_progress_campaign ON learning_progress (campaign_id, arm);

CREATE TABLE learning_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    learner_key TEXT NOT NULL,
    person_id TEXT,
    campaign_id TEXT,
    arm TEXT,
    module_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    situation_id TEXT NOT NULL,
    answer_id TEXT NOT NULL,
    correct INTEGER NOT NULL,
    -- The learner's first answer ever to this situation of this version.
    first_try INTEGER NOT NULL,
    answered_at TEXT NOT NULL
);
CREATE INDEX learning_answers_module ON learning_answers (module_id, version, situation_id);
CREATE INDEX learning_answers_learner ON learning_answers (learner_key, module_id, version, situation_id);
