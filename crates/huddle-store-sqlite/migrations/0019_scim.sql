-- SCIM 2.0 provisioning (RFC 7643/7644): each organization's directory credentials (stored
-- as SHA-256 hashes, like API tokens), what the directory says of each member beyond the
-- account itself, and the directory's groups with their optional mapping to a department
-- and organization roles (set by an org admin, never by the directory).
CREATE TABLE scim_credentials (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX scim_credentials_by_organization ON scim_credentials (organization_id);

CREATE TABLE scim_users (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    -- The directory's identifier for the person (usually their address, not always).
    user_name TEXT NOT NULL,
    -- The displayName the directory sent, if it sent one (the account always has a name).
    display_name TEXT,
    external_id TEXT,
    given_name TEXT,
    family_name TEXT,
    created_at INTEGER NOT NULL,
    last_modified INTEGER NOT NULL
);
CREATE INDEX scim_users_by_organization ON scim_users (organization_id);

CREATE TABLE scim_groups (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    display_name TEXT NOT NULL,
    external_id TEXT,
    department_id INTEGER REFERENCES departments(id),
    -- Organization roles membership grants, comma-separated (as users.roles).
    roles TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    UNIQUE (organization_id, display_name)
);

CREATE TABLE scim_group_members (
    group_id INTEGER NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX scim_group_members_by_user ON scim_group_members (user_id);
