//! Appending a message on SQLite: one statement. The writer connection is the only writer,
//! so numbering from the conversation row inside the INSERT is atomic; a trigger
//! (migration 0008) moves the conversation's last number and the sender's read position in
//! the same statement. A retry with the same client id inserts nothing and gets the stored
//! message back. One round trip to the writer instead of six: the writer is held for one
//! statement, not for a transaction's worth of scheduling hops.

use huddle_store::{NewMessage, StoreError, StoreResult, StoredMessage};

use crate::SqliteStore;

impl SqliteStore {
    pub(crate) async fn append(&self, m: NewMessage) -> StoreResult<(StoredMessage, bool)> {
        let inserted = sqlx::query_as::<_, StoredMessage>(
            "INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, sealed, created_at, \
             reply_to, mentions) \
             SELECT id, last_seq + 1, $2, $3, $4, $5, $6, $7 FROM conversations WHERE id = $1 \
             ON CONFLICT (conversation_id, sender_id, client_msg_id) DO NOTHING RETURNING *",
        )
        .bind(m.conversation_id)
        .bind(m.sender_id)
        .bind(&m.client_msg_id)
        .bind(&m.sealed)
        .bind(m.at)
        .bind(m.reply_to)
        .bind(&m.mentions)
        .fetch_optional(&mut *self.writer().await?)
        .await?;
        if let Some(row) = inserted {
            return Ok((row, true));
        }
        // Nothing inserted: the same client id was stored before, or no such conversation.
        let existing = sqlx::query_as::<_, StoredMessage>(
            "SELECT * FROM messages WHERE conversation_id = $1 AND sender_id = $2 AND client_msg_id = $3",
        )
        .bind(m.conversation_id)
        .bind(m.sender_id)
        .bind(&m.client_msg_id)
        .fetch_optional(&mut *self.writer().await?)
        .await?;
        existing.map(|row| (row, false)).ok_or(StoreError::NotFound)
    }
}
