-- E-mail addresses compared whatever their case: `Case@example.org` and
-- `case@example.org` are one mailbox, so the application quotas (per
-- candidate and target, per candidate and day) and the look-up of the last
-- message sent to an address (a provider event naming only the address)
-- compare a normalised copy (trimmed, lowercased; lba_core::contact::
-- normalized_address) kept beside the address as typed, which is still what
-- mail is sent to. Suppressions already store their address normalised.
-- Mirrors postgres/0010.

ALTER TABLE applications ADD COLUMN email_norm TEXT;
-- Stored addresses are ASCII (lba_core::contact::Email), so LOWER gives the
-- same result on both backends and in Rust.
UPDATE applications SET email_norm = LOWER(TRIM(email)) WHERE email IS NOT NULL;
DROP INDEX applications_candidate_target;
DROP INDEX applications_candidate_day;
CREATE INDEX applications_candidate_target ON applications (email_norm, target_kind, target_id);
CREATE INDEX applications_candidate_day ON applications (email_norm, created_at);

ALTER TABLE campaign_messages ADD COLUMN recipient_norm TEXT NOT NULL DEFAULT '';
UPDATE campaign_messages SET recipient_norm = LOWER(TRIM(recipient));
CREATE INDEX campaign_messages_recipient ON campaign_messages (channel, recipient_norm, sent_at);
