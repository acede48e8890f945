-- Accounts: when the address was shown to be the person's (a link from their mailbox, the
-- organization's identity provider, or its directory). Accounts made before this was
-- recorded keep working: they count as verified from their creation.
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
UPDATE users SET email_verified_at = created_at;
