-- Insights: what leaders may see, kept apart from the sealed check-ins.
--
-- One de-identified row per clinician per month: screen outcomes (0/1) and Work Environment
-- Pulse scores, under a keyed pseudonym (never the user id). No timestamps and no rowid, so
-- rows cannot be lined up with the audit log's check-in entries by time or insertion order.
-- PHQ-9 item 9 and individual answers are never copied here.
CREATE TABLE insights_contributions (
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    period INTEGER NOT NULL,
    pseudonym INTEGER NOT NULL,
    department_id INTEGER,
    specialty TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    burnout INTEGER,
    depression INTEGER,
    anxiety INTEGER,
    drivers TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, period, pseudonym)
) WITHOUT ROWID;

-- Routing's interruption burden per physician per closed month, in the same shape.
CREATE TABLE insights_burden (
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    period INTEGER NOT NULL,
    pseudonym INTEGER NOT NULL,
    department_id INTEGER,
    specialty TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    shifts INTEGER NOT NULL,
    notifications_per_shift REAL NOT NULL,
    false_positive_share REAL NOT NULL,
    after_hours INTEGER NOT NULL,
    median_ack_s INTEGER,
    PRIMARY KEY (organization_id, period, pseudonym)
) WITHOUT ROWID;

CREATE TABLE insights_burden_periods (
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    period INTEGER NOT NULL,
    PRIMARY KEY (organization_id, period)
);

CREATE TABLE interventions (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    drivers TEXT NOT NULL DEFAULT '',
    units TEXT NOT NULL DEFAULT '',
    starts INTEGER NOT NULL,
    cost INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX interventions_organization ON interventions (organization_id, starts);
