-- Invitations: how a person joins an organization (besides its single sign-on and its
-- directory). The link goes to the invited address; accepting it proves the mailbox.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    email TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    -- The organization roles granted on joining, checked against the inviter's own.
    roles TEXT NOT NULL DEFAULT '',
    -- SHA-256 of the link's secret: the link itself is only in the mail.
    token_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    accepted_at INTEGER,
    accepted_by INTEGER REFERENCES users(id),
    revoked_at INTEGER
);
CREATE INDEX invitations_organization ON invitations (organization_id, created_at);

-- Links mailed to a person to prove their address or reset their password: single use,
-- short-lived, and valid only for the address they were sent to.
CREATE TABLE email_links (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    email TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX email_links_user ON email_links (user_id, purpose);

-- A sent mail's text is not kept (it may hold a link); failures keep theirs to retry.
UPDATE outbox SET body = '' WHERE sent_at IS NOT NULL;
