-- Several nodes on one database (issue 20): every change of the data
-- version (an import, an exclusion, a new offer) is announced on the
-- channel `lba_data_version` when its transaction commits, so that every
-- `lba serve` rebuilds its search index at once instead of at its next poll
-- (the 15-second poll stays as the fallback). SQLite has no such channel
-- (one node only): sqlite/0016 is empty.
CREATE FUNCTION lba_notify_data_version() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('lba_data_version', NEW.name || ':' || NEW.version::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER data_versions_notify AFTER UPDATE ON data_versions
    FOR EACH ROW WHEN (NEW.version IS DISTINCT FROM OLD.version)
    EXECUTE FUNCTION lba_notify_data_version();
