-- Replies, mentions, and a conversation's patient context (sealed like bodies).
ALTER TABLE messages ADD COLUMN reply_to INTEGER REFERENCES messages(id);
ALTER TABLE messages ADD COLUMN mentions TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN patient_sealed BLOB;
