-- Edits and deletions (recorded), retention, presence and status, and the job table that
-- keeps periodic work (retention) safe across restarts and nodes.

ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
ALTER TABLE messages ADD COLUMN purged_at INTEGER;

-- Every replaced or removed body, sealed as it was: edits and deletions stay on record.
CREATE TABLE message_versions (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    sealed BLOB NOT NULL,
    replaced_at INTEGER NOT NULL,
    replaced_by INTEGER NOT NULL REFERENCES users(id),
    change TEXT NOT NULL CHECK (change IN ('edit', 'delete'))
);
CREATE INDEX message_versions_message ON message_versions (message_id);

ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'available';
ALTER TABLE users ADD COLUMN status_message TEXT NOT NULL DEFAULT '';

ALTER TABLE organizations ADD COLUMN message_retention_days INTEGER;

CREATE TABLE jobs (
    name TEXT PRIMARY KEY,
    last_run_at INTEGER,
    locked_until INTEGER NOT NULL DEFAULT 0
);
