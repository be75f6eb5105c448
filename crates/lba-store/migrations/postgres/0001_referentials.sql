-- Referential data read from the data directory (ROME 4.0, geography, NAF,
-- diplomas, CFAs). Mirrors sqlite/0001_referentials.sql.

CREATE TABLE rome_fiches (
    code TEXT PRIMARY KEY NOT NULL,
    fiche_number TEXT NOT NULL,
    ogr BIGINT NOT NULL,
    label TEXT NOT NULL,
    label_normalized TEXT NOT NULL,
    transition_eco TEXT,
    transition_num BOOLEAN,
    transition_demo BOOLEAN,
    regulated BOOLEAN,
    executive BOOLEAN,
    parent_code TEXT NOT NULL
);
CREATE INDEX rome_fiches_parent ON rome_fiches (parent_code);

CREATE TABLE rome_appellations (
    ogr BIGINT PRIMARY KEY NOT NULL,
    rome_code TEXT NOT NULL REFERENCES rome_fiches (code),
    label TEXT NOT NULL,
    short_label TEXT NOT NULL,
    label_normalized TEXT NOT NULL,
    transition_eco TEXT,
    transition_num BOOLEAN,
    transition_demo BOOLEAN,
    regulated BOOLEAN,
    executive BOOLEAN,
    principal BOOLEAN NOT NULL,
    rare BOOLEAN NOT NULL
);
CREATE INDEX rome_appellations_rome ON rome_appellations (rome_code);

CREATE TABLE rome_texts (
    rome_code TEXT NOT NULL REFERENCES rome_fiches (code),
    kind TEXT NOT NULL,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (rome_code, kind, position)
);

CREATE TABLE rome_mobility (
    rome_code TEXT NOT NULL REFERENCES rome_fiches (code),
    target_code TEXT NOT NULL REFERENCES rome_fiches (code),
    rank BIGINT NOT NULL,
    PRIMARY KEY (rome_code, target_code)
);

CREATE TABLE interest_centres (
    code BIGINT PRIMARY KEY NOT NULL,
    label TEXT NOT NULL,
    definition TEXT NOT NULL
);

CREATE TABLE interest_centre_romes (
    centre_code BIGINT NOT NULL REFERENCES interest_centres (code),
    rome_code TEXT NOT NULL REFERENCES rome_fiches (code),
    principal BOOLEAN NOT NULL,
    PRIMARY KEY (centre_code, rome_code)
);

CREATE TABLE rome_subdomains (
    rome_code TEXT NOT NULL REFERENCES rome_fiches (code),
    appellation_label TEXT NOT NULL,
    subdomain TEXT NOT NULL,
    appellation_ogr BIGINT REFERENCES rome_appellations (ogr),
    PRIMARY KEY (rome_code, appellation_label, subdomain)
);

CREATE TABLE regions (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    chef_lieu TEXT
);

CREATE TABLE departements (
    code TEXT PRIMARY KEY NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    chef_lieu TEXT
);

CREATE TABLE communes (
    insee TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('COM', 'ARM')),
    name TEXT NOT NULL,
    name_with_article TEXT NOT NULL,
    name_normalized TEXT NOT NULL,
    parent_insee TEXT REFERENCES communes (insee),
    departement_code TEXT NOT NULL REFERENCES departements (code),
    region_code TEXT NOT NULL REFERENCES regions (code),
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    point_approximated BOOLEAN NOT NULL,
    area_km2 DOUBLE PRECISION,
    population BIGINT NOT NULL,
    from_arrondissements BOOLEAN NOT NULL
);
CREATE INDEX communes_name ON communes (name_normalized);
CREATE INDEX communes_departement ON communes (departement_code);

CREATE TABLE commune_postal_codes (
    insee TEXT NOT NULL REFERENCES communes (insee),
    postal_code TEXT NOT NULL,
    PRIMARY KEY (insee, postal_code)
);
CREATE INDEX commune_postal_codes_code ON commune_postal_codes (postal_code);

CREATE TABLE commune_aliases (
    insee TEXT NOT NULL REFERENCES communes (insee),
    name TEXT NOT NULL,
    name_normalized TEXT NOT NULL,
    PRIMARY KEY (insee, name)
);
CREATE INDEX commune_aliases_name ON commune_aliases (name_normalized);

CREATE TABLE naf_sections (
    code TEXT PRIMARY KEY NOT NULL,
    label TEXT NOT NULL
);

CREATE TABLE naf_codes (
    code TEXT PRIMARY KEY NOT NULL,
    label TEXT NOT NULL
);

-- ROME v3 codes: join with rome_fiches.parent_code.
CREATE TABLE rome_naf_hirings (
    rome_v3_code TEXT NOT NULL,
    naf_code TEXT NOT NULL,
    hirings BIGINT NOT NULL,
    PRIMARY KEY (rome_v3_code, naf_code)
);
CREATE INDEX rome_naf_hirings_naf ON rome_naf_hirings (naf_code);

CREATE TABLE rome_tension (
    fap_code TEXT NOT NULL,
    rome_v3_code TEXT NOT NULL,
    fap_label TEXT NOT NULL,
    tension_pct DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (fap_code, rome_v3_code)
);
CREATE INDEX rome_tension_rome ON rome_tension (rome_v3_code);

CREATE TABLE contact_modes (
    naf_prefix TEXT NOT NULL,
    rome_v3_code TEXT NOT NULL,
    mode TEXT,
    PRIMARY KEY (naf_prefix, rome_v3_code)
);

CREATE TABLE headcount_brackets (
    code TEXT PRIMARY KEY NOT NULL,
    label TEXT NOT NULL
);

-- One row per (CFD, RNCP code); rncp_code is '' when the kit says NR.
CREATE TABLE diplomas (
    cfd TEXT NOT NULL,
    rncp_code TEXT NOT NULL,
    title TEXT NOT NULL,
    title_normalized TEXT NOT NULL,
    level BIGINT CHECK (level BETWEEN 3 AND 8),
    kind TEXT,
    last_update TEXT,
    apprenticeship BOOLEAN,
    valid_until DATE,
    active BOOLEAN NOT NULL,
    PRIMARY KEY (cfd, rncp_code)
);
CREATE INDEX diplomas_rncp ON diplomas (rncp_code);

CREATE TABLE diploma_synonyms (
    group_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    term TEXT NOT NULL,
    term_normalized TEXT NOT NULL,
    PRIMARY KEY (group_id, position)
);
CREATE INDEX diploma_synonyms_term ON diploma_synonyms (term_normalized);

CREATE TABLE cfas (
    uai TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    denomination TEXT NOT NULL,
    siret TEXT,
    nature TEXT NOT NULL,
    sector TEXT,
    commune_code TEXT NOT NULL,
    commune_insee TEXT REFERENCES communes (insee),
    commune_name TEXT NOT NULL,
    address TEXT,
    po_box TEXT,
    postal_code TEXT,
    city TEXT,
    opened_on DATE,
    closed_on DATE,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    location_issue TEXT
);
CREATE INDEX cfas_siret ON cfas (siret);

CREATE TABLE import_runs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    report TEXT NOT NULL
);
