-- Web Push: each device a person turned notifications on for (RFC 8030 subscription: the
-- push service's endpoint and the browser's public key and auth secret for RFC 8291).
CREATE TABLE push_subscriptions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    -- What the person calls the device ("Pixel 8", "ward PC").
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_sent_at INTEGER
);
CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);
