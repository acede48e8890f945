-- Leaving: an account an administrator (or, later, the directory) deactivated. It cannot
-- sign in, and everything it held — sessions, tokens, devices — was ended with it.
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;
