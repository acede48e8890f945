-- A message is stored in one statement (see src/append.rs); this trigger moves the
-- conversation's last number and the sender's read position with it.
CREATE TRIGGER messages_appended AFTER INSERT ON messages
BEGIN
    UPDATE conversations SET last_seq = NEW.seq, last_message_at = NEW.created_at
        WHERE id = NEW.conversation_id;
    UPDATE conversation_members SET last_read_seq = NEW.seq
        WHERE conversation_id = NEW.conversation_id AND user_id = NEW.sender_id;
END;
