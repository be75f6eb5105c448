-- Establishments (SIRENE stock: open establishments only) used to look a
-- company up by SIRET and as the population scored by the hiring-potential
-- model; companies kept out of the search whatever the imported files say.
-- Mirrors sqlite/0004.

CREATE TABLE establishments (
    siret TEXT PRIMARY KEY NOT NULL,
    siren TEXT NOT NULL,
    is_demo BOOLEAN NOT NULL,
    name TEXT NOT NULL,
    -- NAF rév. 2 code as stored elsewhere ("1071C").
    naf_code TEXT,
    -- INSEE headcount bracket code ("NN", "00", "01", "02", "03", "11", …).
    headcount TEXT,
    address TEXT NOT NULL,
    postal_code TEXT,
    commune_insee TEXT,
    city TEXT NOT NULL,
    -- WGS84, when the file gives usable coordinates (else the commune's).
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX establishments_commune ON establishments (commune_insee);
CREATE INDEX establishments_demo ON establishments (is_demo);

-- Companies that asked to leave the search (opt_out) or were removed by the
-- team (blacklist): no import brings them back.
CREATE TABLE company_exclusions (
    siret TEXT PRIMARY KEY NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('opt_out', 'blacklist')),
    created_at TIMESTAMPTZ NOT NULL
);
