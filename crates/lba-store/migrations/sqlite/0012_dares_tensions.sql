-- DARES labour-market tensions (2019) per FAP family and area, their national
-- trend 2011–2019, and FAP 225 → ROME v3 links: what the orientation toward
-- métiers d'avenir reads (issue 16). Replaced as a whole by each
-- `lba import referentials`. Mirrors the other backend's 0012.

CREATE TABLE dares_tensions (
    fap_code TEXT NOT NULL,
    -- 'nat', 'reg' or 'dep'; area_code is '' for 'nat', the INSEE région code
    -- on two digits for 'reg', the département code for 'dep'.
    area_kind TEXT NOT NULL,
    area_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    employment INTEGER NOT NULL,
    indicator REAL,
    category INTEGER,
    hiring_intensity INTEGER,
    training_link INTEGER,
    lack_of_workforce INTEGER,
    non_durable INTEGER,
    working_conditions INTEGER,
    geographic_mismatch INTEGER,
    PRIMARY KEY (fap_code, area_kind, area_code)
);

CREATE TABLE dares_tension_trends (
    fap_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    indicator REAL NOT NULL,
    PRIMARY KEY (fap_code, year)
);

CREATE TABLE fap_romes (
    fap_code TEXT NOT NULL,
    rome_v3_code TEXT NOT NULL,
    PRIMARY KEY (fap_code, rome_v3_code)
);
CREATE INDEX fap_romes_rome ON fap_romes (rome_v3_code);
