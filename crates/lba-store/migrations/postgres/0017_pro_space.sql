-- Mirrors sqlite/0017.
-- The pro space (issue 19): accounts signed in by magic link, their
-- server-side sessions, the companies recruiters act for, the offers they
-- post and the audit log of administrative actions. Times are epoch
-- milliseconds (integers compare the same way on both backends).

CREATE TABLE pro_users (
    id TEXT PRIMARY KEY NOT NULL,
    -- Lowercased and trimmed: one account per address.
    email TEXT NOT NULL UNIQUE,
    -- `recruteur`, `cfa`, `opco` or `admin`.
    role TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    phone TEXT,
    -- The company of a recruiter, the CFA of a `cfa` account (its UAI),
    -- the OPCO of an `opco` account (its name).
    company_siret TEXT,
    cfa_uai TEXT,
    opco TEXT,
    -- `active` or `disabled` (a disabled account cannot sign in).
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_sign_in_at BIGINT
);
CREATE INDEX pro_users_company ON pro_users (company_siret);
CREATE UNIQUE INDEX pro_users_cfa ON pro_users (cfa_uai);

-- One row per sign-in link sent. The link signs the id with the site's
-- key (not stored), so reading this table does not give a way in.
CREATE TABLE pro_sign_in_links (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    -- Keyed hash of the requesting address (rate limit), never the address.
    client_hash TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX pro_sign_in_links_email ON pro_sign_in_links (email, created_at);
CREATE INDEX pro_sign_in_links_client ON pro_sign_in_links (client_hash, created_at);

-- Sessions: the cookie holds a random id, the table its SHA-256.
CREATE TABLE pro_sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES pro_users (id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- Sliding: pushed 30 days ahead when used.
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX pro_sessions_user ON pro_sessions (user_id);

CREATE TABLE pro_companies (
    siret TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    postal_code TEXT,
    commune_insee TEXT,
    city TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    naf_code TEXT,
    -- The OPCO the company belongs to, set by an administrator.
    opco TEXT,
    -- `pending`, `validated`, `refused`, `disabled`.
    status TEXT NOT NULL,
    -- `auto`, or the id of the user who decided.
    decided_by TEXT,
    decided_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX pro_companies_status ON pro_companies (status, opco);

-- What a recruiter or a CFA posted; the published part lives in `offers`
-- (origin `platform`), so search and applications need no change.
CREATE TABLE pro_offers (
    offer_id TEXT PRIMARY KEY NOT NULL,
    company_siret TEXT NOT NULL,
    created_by TEXT NOT NULL,
    -- A CFA posting on behalf of the company: its UAI.
    on_behalf_of_cfa TEXT,
    rhythm TEXT NOT NULL,
    positions BIGINT NOT NULL,
    profile TEXT NOT NULL,
    -- JSON array of up to three questions.
    questions TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX pro_offers_company ON pro_offers (company_siret);
CREATE INDEX pro_offers_cfa ON pro_offers (on_behalf_of_cfa);

CREATE TABLE pro_offer_history (
    id TEXT PRIMARY KEY NOT NULL,
    offer_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    -- The offer's status after the change.
    status TEXT NOT NULL,
    -- Who: a user id, `system` or `lien` (a signed link in an email).
    actor TEXT NOT NULL,
    -- `pourvue:lba`, `prolongee`, `80_candidatures`…
    note TEXT
);
CREATE INDEX pro_offer_history_offer ON pro_offer_history (offer_id, at);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    -- What the action was about (a SIRET, an offer id, a user id…).
    subject TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Offers a recruiter handed to CFAs (each CFA gets a signed link to the
-- company's details and the offer).
CREATE TABLE pro_delegations (
    offer_id TEXT NOT NULL,
    cfa_uai TEXT NOT NULL,
    cfa_name TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (offer_id, cfa_uai)
);
