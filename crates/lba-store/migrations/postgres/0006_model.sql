-- The hiring-potential model: the hiring history it learns from, its runs
-- (metrics, published or not), the predicted hirings and score of every
-- establishment per run, and the companies the model wrote into
-- `companies` (so that a later run removes only its own, never those of
-- the "companies likely to hire" file). Mirrors sqlite/0006.

-- Hirings of an establishment in a half-year ("2024-S1", "2024-S2").
CREATE TABLE hirings (
    siret TEXT NOT NULL,
    period TEXT NOT NULL,
    hirings BIGINT NOT NULL CHECK (hirings >= 0),
    apprentice_hirings BIGINT NOT NULL CHECK (apprentice_hirings >= 0),
    PRIMARY KEY (siret, period)
);

CREATE TABLE model_runs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    -- Evaluation, settings and counts, as JSON.
    metrics TEXT NOT NULL,
    published BOOLEAN NOT NULL
);

CREATE TABLE establishment_scores (
    run_id BIGINT NOT NULL REFERENCES model_runs (id) ON DELETE CASCADE,
    siret TEXT NOT NULL,
    predicted_hirings DOUBLE PRECISION NOT NULL,
    score BIGINT NOT NULL CHECK (score BETWEEN 0 AND 100),
    PRIMARY KEY (run_id, siret)
);
CREATE INDEX establishment_scores_siret ON establishment_scores (siret);

-- Companies written by the last published model run.
CREATE TABLE model_companies (
    siret TEXT PRIMARY KEY NOT NULL,
    run_id BIGINT NOT NULL REFERENCES model_runs (id)
);
