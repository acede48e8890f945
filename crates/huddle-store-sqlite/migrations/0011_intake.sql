-- Alert intake you can trust: each feed an integration client of its own (credential,
-- scope, HL7 identity and address allow-list), every alert's sender, idempotency per sender
-- with a same-id different-content alert kept and flagged, and each alert's timeline.

CREATE TABLE integrations (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    -- Comma-separated: the sources it may name, the kinds (categories) it may send, and the
    -- addresses (IPs or CIDR blocks) it may connect from; empty addresses: any.
    sources TEXT NOT NULL,
    kinds TEXT NOT NULL,
    addresses TEXT NOT NULL DEFAULT '',
    -- MSH-3 and MSH-4 of its HL7 messages; empty when it does not speak HL7.
    hl7_application TEXT NOT NULL DEFAULT '',
    hl7_facility TEXT NOT NULL DEFAULT '',
    secret_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER,
    UNIQUE (organization_id, name)
);
-- An HL7 sender is known by MSH-3/4 alone: one live integration for each pair.
CREATE UNIQUE INDEX integrations_hl7 ON integrations (hl7_application, hl7_facility)
    WHERE hl7_application <> '' AND revoked_at IS NULL;

-- SQLite cannot drop a table constraint: alerts are rebuilt without UNIQUE (source, source_id).
CREATE TABLE alerts_rebuilt (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    service TEXT NOT NULL,
    recipient TEXT NOT NULL,
    sealed BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    delivered_to INTEGER NOT NULL REFERENCES users(id),
    delivery TEXT NOT NULL CHECK (delivery IN ('interrupt', 'queue')),
    deliver_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'acknowledged', 'acted', 'deferred', 'dismissed')),
    acknowledged_at INTEGER,
    answered_at INTEGER,
    correction TEXT CHECK (correction IN ('sooner', 'later')),
    escalation_step INTEGER NOT NULL DEFAULT 0,
    escalate_at INTEGER,
    sender TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    conflict_of INTEGER
);
INSERT INTO alerts_rebuilt (id, organization_id, source, source_id, category, priority, service,
    recipient, sealed, received_at, delivered_to, delivery, deliver_at, reason, state,
    acknowledged_at, answered_at, correction, escalation_step, escalate_at, sender, content_hash)
SELECT id, organization_id, source, source_id, category, priority, service, recipient, sealed,
    received_at, delivered_to, delivery, deliver_at, reason, state, acknowledged_at,
    answered_at, correction, escalation_step, escalate_at, 'legacy:' || source, 'legacy-' || id
FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_rebuilt RENAME TO alerts;
CREATE INDEX alerts_inbox ON alerts (delivered_to, deliver_at);
CREATE INDEX alerts_escalation ON alerts (escalate_at) WHERE escalate_at IS NOT NULL;
CREATE INDEX alerts_answered ON alerts (organization_id, answered_at) WHERE answered_at IS NOT NULL;
CREATE INDEX alerts_by_sender ON alerts (sender, received_at);
-- One sender, one id, one content: one alert. The same id with other content is another.
CREATE UNIQUE INDEX alerts_idempotency ON alerts (organization_id, sender, source_id, content_hash);

CREATE TABLE alert_events (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts(id),
    at INTEGER NOT NULL,
    -- received, conflict, routed, escalated, handed_over, acknowledged, answered
    kind TEXT NOT NULL,
    -- `user:N`, `integration:N`, or empty for Huddle itself.
    actor TEXT NOT NULL DEFAULT '',
    from_user INTEGER,
    to_user INTEGER,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_events_by_alert ON alert_events (alert_id, id);
CREATE INDEX alert_events_by_holder ON alert_events (from_user) WHERE from_user IS NOT NULL;
