-- Well-being check-ins (sealed), per-clinician data keys, reminders, and the resource hub.

ALTER TABLE organizations ADD COLUMN urgent_contact TEXT;

CREATE TABLE wellbeing_keys (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    wrapped_key BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

-- Instrument, answers and scores are all inside `sealed`.
CREATE TABLE wellbeing_responses (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    organization_id INTEGER REFERENCES organizations(id),
    department_id INTEGER REFERENCES departments(id),
    checkin_id TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    sealed BLOB NOT NULL
);
CREATE INDEX wellbeing_responses_user ON wellbeing_responses (user_id, submitted_at);

CREATE TABLE wellbeing_settings (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    reminder_days INTEGER
);

CREATE TABLE resources (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER REFERENCES organizations(id),
    slug TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    drivers TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX resources_curated_slug ON resources (slug) WHERE organization_id IS NULL;

-- Full-text search over the hub (FTS5, kept in step by triggers).
CREATE VIRTUAL TABLE resources_fts USING fts5(
    title, body, kind, drivers, content='resources', content_rowid='id'
);
CREATE TRIGGER resources_fts_insert AFTER INSERT ON resources BEGIN
    INSERT INTO resources_fts (rowid, title, body, kind, drivers)
    VALUES (new.id, new.title, new.body, new.kind, new.drivers);
END;
CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN
    INSERT INTO resources_fts (resources_fts, rowid, title, body, kind, drivers)
    VALUES ('delete', old.id, old.title, old.body, old.kind, old.drivers);
END;
CREATE TRIGGER resources_fts_update AFTER UPDATE ON resources BEGIN
    INSERT INTO resources_fts (resources_fts, rowid, title, body, kind, drivers)
    VALUES ('delete', old.id, old.title, old.body, old.kind, old.drivers);
    INSERT INTO resources_fts (rowid, title, body, kind, drivers)
    VALUES (new.id, new.title, new.body, new.kind, new.drivers);
END;
