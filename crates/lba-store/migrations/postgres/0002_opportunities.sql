-- The three kinds of opportunities searched by candidates. Only their
-- identity, place and demo flag exist yet: the search issue adds the rest.
-- Mirrors sqlite/0002_opportunities.sql.

CREATE TABLE formations (
    id TEXT PRIMARY KEY NOT NULL,
    cfa_uai TEXT REFERENCES cfas (uai),
    cfd TEXT,
    rncp_code TEXT,
    title TEXT NOT NULL,
    level BIGINT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    origin TEXT NOT NULL,
    title TEXT NOT NULL,
    siret TEXT,
    status TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE companies (
    siret TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    naf_code TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);
