-- Mirrors sqlite/0018.
-- A data version for the offers alone: a change made in the pro space (an
-- offer posted, extended, closed; a company validated) bumps it, and each
-- node reloads its offers while keeping the rest of its search index, so
-- that the offer is searchable everywhere within a second or two.
INSERT INTO data_versions (name, version) VALUES ('offers', 0);
