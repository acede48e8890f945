-- Reach: an interrupt's holder must confirm it arrived (a device's receipt, or an open page)
-- by `confirm_by`, or it escalates; each notification pushed to a device, with the
-- capability it carries (hashed) and what became of it; and the outbox of mail and
-- gateway calls, kept until sent so that a restart loses none.
ALTER TABLE alerts ADD COLUMN confirm_by INTEGER;
CREATE INDEX alerts_unconfirmed ON alerts (confirm_by) WHERE confirm_by IS NOT NULL;

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    -- SHA-256 of the capability the notification carries (acknowledge, on my way, receipt).
    capability_hash TEXT NOT NULL UNIQUE,
    alert_id INTEGER NOT NULL REFERENCES alerts(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    -- The device's name as its owner gave it.
    device TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    delivered_at INTEGER,
    seen_at INTEGER,
    -- When its one action (acknowledge or on my way) was used; it does nothing after.
    acted_at INTEGER
);
CREATE INDEX notifications_by_alert ON notifications (alert_id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    -- email, gateway, or push (a notice due later: a digest's).
    channel TEXT NOT NULL CHECK (channel IN ('email', 'gateway', 'push')),
    organization_id INTEGER REFERENCES organizations(id),
    -- An email address, the gateway's URL, or `user:N` for a push.
    destination TEXT NOT NULL,
    -- Something that must go out once however often it is queued (one digest notice per
    -- physician and time).
    dedupe_key TEXT UNIQUE,
    -- JSON: the mail's subject and text, or the gateway's event. Never a patient.
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    -- Given up after the last retry.
    failed_at INTEGER,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Each organization's SMS or paging gateway; the signing secret is a key (`gateway:N`).
CREATE TABLE gateways (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations(id),
    url TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- What each person lets reach their phone besides alerts: messages pushed or not, and quiet
-- hours (minutes after local midnight) for messages. No row: the defaults.
CREATE TABLE notification_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    push_messages INTEGER NOT NULL,
    -- A mail when a digest comes due, besides the push.
    email_digests INTEGER NOT NULL DEFAULT 0,
    quiet_start INTEGER,
    quiet_end INTEGER
);
