-- Passkeys (WebAuthn): each credential a person registered, for passwordless sign-in and
-- as a second factor. The credential (public key, sign counter) is stored as the server
-- serialised it; it is not a secret. Deactivation keeps them (an authenticator belongs to
-- the person), but a deactivated account never signs in with one.
CREATE TABLE passkeys (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    -- base64url, as the authenticator chose it; one account per credential.
    credential_id TEXT NOT NULL UNIQUE,
    -- The WebAuthn user handle of the account (the same on all of its passkeys).
    user_handle TEXT NOT NULL,
    name TEXT NOT NULL,
    credential TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);

-- A registration or sign-in begun and not yet finished: single use, minutes long. Keyed by
-- the hash of the id the browser holds.
CREATE TABLE passkey_ceremonies (
    id_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    state TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX passkey_ceremonies_by_expiry ON passkey_ceremonies (expires_at);
