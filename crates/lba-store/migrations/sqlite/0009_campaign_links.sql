-- Tracked links of campaign messages. Each link of a rendered message gets
-- a short code (a keyed hash of the message and the target, so rendering
-- twice gives the same code and nobody can forge one); /c/{code} records the
-- click as a message event and redirects to the stored target only, so the
-- redirect cannot be used to send people anywhere else.
-- Mirrors postgres/0009.

CREATE TABLE campaign_links (
    code TEXT PRIMARY KEY NOT NULL,
    message_id INTEGER NOT NULL REFERENCES campaign_messages (id) ON DELETE CASCADE,
    -- Where the link goes (absolute URL on this site or a CFA's site).
    target TEXT NOT NULL,
    -- What the link is for: cfa, formation, entreprise, offre, recherche, autre.
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX campaign_links_message ON campaign_links (message_id);

-- Consecutive send errors of a campaign (reset by a success); the worker
-- pauses the campaign when it reaches the spec's max_consecutive_errors.
ALTER TABLE campaigns ADD COLUMN consecutive_errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN launched_at TEXT;
