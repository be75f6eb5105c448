-- Cohort follow-up (issue 18): the dated outcomes of each young person
-- (`lba campaign import-outcomes`, and the changes seen when a newer cohort
-- export is imported), and the indexes the person's timeline reads by.
-- Mirrors postgres/0015.

CREATE TABLE cohort_outcomes (
    person_id TEXT NOT NULL REFERENCES cohort_people (id) ON DELETE CASCADE,
    -- contrat_signe, inscrit_cfa, voeu_accepte, voeu_refuse, abandon.
    event TEXT NOT NULL CHECK (event IN ('contrat_signe', 'inscrit_cfa', 'voeu_accepte', 'voeu_refuse', 'abandon')),
    event_date TEXT NOT NULL,
    -- parcoursup, affelnet, contrats.
    source TEXT NOT NULL,
    -- '' when the file gives none: part of the key, so re-importing a file
    -- changes nothing.
    employer_siret TEXT NOT NULL DEFAULT '',
    course_key TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    PRIMARY KEY (person_id, event, event_date, source, employer_siret, course_key)
);
CREATE INDEX cohort_outcomes_event ON cohort_outcomes (event, event_date);

CREATE INDEX learning_progress_person ON learning_progress (person_id);
CREATE INDEX orientation_views_person ON orientation_views (person_id);
CREATE INDEX appointment_requests_person ON appointment_requests (person_id);
