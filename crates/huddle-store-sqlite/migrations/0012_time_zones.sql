-- Local time: each organization has a time zone and each person may set their own (IANA
-- names such as America/New_York). NULL means UTC for an organization and "my
-- organization's" for a person. Instants stay UTC milliseconds everywhere.

ALTER TABLE organizations ADD COLUMN time_zone TEXT;
ALTER TABLE users ADD COLUMN time_zone TEXT;
