-- Routing: each organization's delivery policy (every version kept), the shift schedule,
-- and alerts with the engine's decision, escalation state and the physician's answer.

CREATE TABLE routing_policies (
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    version INTEGER NOT NULL,
    policy TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (organization_id, version)
);

CREATE TABLE shifts (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    service TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('day', 'night', 'oncall')),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX shifts_by_time ON shifts (organization_id, starts_at);

CREATE TABLE alerts (
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
    UNIQUE (organization_id, source, source_id)
);
CREATE INDEX alerts_inbox ON alerts (delivered_to, deliver_at);
CREATE INDEX alerts_escalation ON alerts (escalate_at) WHERE escalate_at IS NOT NULL;
CREATE INDEX alerts_answered ON alerts (organization_id, answered_at) WHERE answered_at IS NOT NULL;
