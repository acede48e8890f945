-- Single sign-on (OpenID Connect): each organization's connection to its identity provider,
-- the email domains it has verified (one organization per domain), sign-ins on their way
-- through the provider (single-use, minutes long), and when a session made by it must end.
CREATE TABLE sso_connections (
    organization_id BIGINT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    -- Sealed under the organization's `sso:N` key; never shown again after saving.
    client_secret_sealed BYTEA NOT NULL,
    email_claim TEXT NOT NULL,
    sso_only BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sso_domains (
    domain TEXT PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES sso_connections(organization_id) ON DELETE CASCADE
);
CREATE INDEX sso_domains_organization ON sso_domains (organization_id);

CREATE TABLE sso_attempts (
    -- SHA-256 of the `state` the browser carries; the row is taken (deleted) once.
    state_hash TEXT PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    -- The callback address the provider was given, sent again with the code.
    redirect_uri TEXT NOT NULL,
    next TEXT,
    expires_at BIGINT NOT NULL
);

ALTER TABLE sessions ADD COLUMN expires_at BIGINT;
