-- Mirrors postgres/0016, which announces data-version changes to the other
-- nodes with LISTEN/NOTIFY. SQLite serves one node: nothing to create.
SELECT 1;
