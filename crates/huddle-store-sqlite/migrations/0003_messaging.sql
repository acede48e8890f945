-- Messaging: conversations, members with read positions, sealed messages, data keys.

CREATE TABLE data_keys (
    owner TEXT PRIMARY KEY,
    wrapped_key BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER REFERENCES organizations(id),
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'group', 'channel')),
    name TEXT NOT NULL DEFAULT '',
    private BOOLEAN NOT NULL DEFAULT FALSE,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_message_at INTEGER,
    direct_key TEXT UNIQUE
);
CREATE INDEX conversations_channels ON conversations (organization_id, kind);

CREATE TABLE conversation_members (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    last_read_seq INTEGER NOT NULL DEFAULT 0,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user ON conversation_members (user_id);

-- The body is sealed; only ids, numbers and times are in the clear.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    seq INTEGER NOT NULL,
    sender_id INTEGER NOT NULL REFERENCES users(id),
    client_msg_id TEXT NOT NULL,
    sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, sender_id, client_msg_id)
);
