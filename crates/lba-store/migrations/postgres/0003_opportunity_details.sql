-- Full records of the three kinds of opportunities. The tables of 0002 held
-- only a few columns and no rows were ever written to them, so they are
-- recreated. ROME codes are kept as space-separated lists (and company
-- scores as "ROME:score" pairs): searching by ROME goes through the
-- in-memory index, never through SQL. Mirrors sqlite/0003.

DROP TABLE formations;
DROP TABLE offers;
DROP TABLE companies;

CREATE TABLE formations (
    id TEXT PRIMARY KEY NOT NULL,
    is_demo BOOLEAN NOT NULL,
    title TEXT NOT NULL,
    diploma_title TEXT NOT NULL,
    cfd TEXT,
    rncp_code TEXT,
    level BIGINT,
    rome_codes TEXT NOT NULL,
    cfa_uai TEXT,
    cfa_siret TEXT,
    cfa_name TEXT NOT NULL,
    address TEXT NOT NULL,
    postal_code TEXT,
    commune_insee TEXT,
    city TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    sessions TEXT NOT NULL,
    duration_months BIGINT,
    capacity BIGINT,
    distance_learning BOOLEAN NOT NULL,
    email TEXT,
    phone TEXT,
    onisep_url TEXT,
    published BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX formations_demo ON formations (is_demo);

CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    is_demo BOOLEAN NOT NULL,
    origin TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    appellation_ogr BIGINT,
    rome_code TEXT NOT NULL,
    description TEXT NOT NULL,
    contract_types TEXT NOT NULL,
    level BIGINT,
    start_date DATE,
    duration_months BIGINT,
    company_siret TEXT,
    company_name TEXT NOT NULL,
    company_naf TEXT,
    company_headcount TEXT,
    address TEXT NOT NULL,
    postal_code TEXT,
    commune_insee TEXT,
    city TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    apply_url TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX offers_demo ON offers (is_demo);
CREATE INDEX offers_company ON offers (company_siret);

CREATE TABLE companies (
    siret TEXT PRIMARY KEY NOT NULL,
    is_demo BOOLEAN NOT NULL,
    name TEXT NOT NULL,
    naf_code TEXT,
    headcount TEXT,
    address TEXT NOT NULL,
    postal_code TEXT,
    commune_insee TEXT,
    city TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    rome_scores TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    website TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX companies_demo ON companies (is_demo);

-- Bumped whenever opportunities change, so that every `lba serve` node
-- knows when to rebuild its in-memory index.
CREATE TABLE data_versions (
    name TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO data_versions (name, version) VALUES ('opportunities', 0);
