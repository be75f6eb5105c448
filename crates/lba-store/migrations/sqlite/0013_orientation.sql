-- Orientation experiment (issue 16): every results page shown to a visitor
-- (method and presentation of their arm, the questionnaire, the place's
-- commune and département), the métiers it proposed, and what followed
-- (a click to the fiche, a search started from a suggestion, an
-- application). The visitor is `v:<uuid>` (first-party cookie) or
-- `p:<person id>` (a cohort person who came through a campaign's tracked
-- link), as in the learning modules; module starts are read from
-- `learning_progress` with the same key. No personal data here beyond the
-- person id. Mirrors postgres/0013.

CREATE TABLE orientation_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    visitor_key TEXT NOT NULL,
    person_id TEXT,
    campaign_id TEXT,
    arm TEXT,
    -- `interets` or `avenir`.
    method TEXT NOT NULL,
    -- `avec_tension` or `sans_tension`.
    presentation TEXT NOT NULL,
    -- The questionnaire as a canonical string: a reload within 30 minutes
    -- reuses the view instead of counting it twice.
    query_key TEXT NOT NULL,
    -- Chosen centres, in order ("14,27,1").
    interests TEXT NOT NULL,
    ordered INTEGER NOT NULL,
    level INTEGER,
    commune_insee TEXT,
    departement TEXT,
    shown_at TEXT NOT NULL
);
CREATE INDEX orientation_views_visitor ON orientation_views (visitor_key, shown_at);
CREATE INDEX orientation_views_method ON orientation_views (method, presentation);

CREATE TABLE orientation_suggestions (
    view_id INTEGER NOT NULL REFERENCES orientation_views (id),
    -- 1 for the first métier.
    rank INTEGER NOT NULL,
    rome TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (view_id, rank)
);

CREATE TABLE orientation_follow_ups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    view_id INTEGER NOT NULL REFERENCES orientation_views (id),
    -- `fiche`, `recherche` or `candidature`.
    kind TEXT NOT NULL,
    -- The suggestion followed (NULL for an application).
    rank INTEGER,
    rome TEXT,
    at TEXT NOT NULL
);
CREATE INDEX orientation_follow_ups_view ON orientation_follow_ups (view_id, kind);
