-- Practice teams: a person's job function in their organization, and channels addressed to
-- a team, whose members are whoever holds that function.
ALTER TABLE users ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN team TEXT NOT NULL DEFAULT '';
