-- Mirrors postgres/0019.
-- The worker's throttle counts a campaign's messages handed to a provider in
-- the current second (`sending_at`) before each send: without this index the
-- count walks every message of the campaign.
CREATE INDEX campaign_messages_sending ON campaign_messages (campaign_id, sending_at);
