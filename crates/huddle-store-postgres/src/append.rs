//! Appending a message on PostgreSQL: one statement. Its first part takes the next number
//! from the conversation row (the row lock makes concurrent senders, on any node, queue
//! there, so numbers stay gapless); its second moves the sender's read position; its last
//! stores the message. A retry with a client id already stored violates the unique key, the
//! whole statement rolls back (no number is used up), and the stored message is returned.

use huddle_store::{NewMessage, StoreError, StoreResult, StoredMessage};

use crate::PgStore;

const EXISTING: &str =
    "SELECT * FROM messages WHERE conversation_id = $1 AND sender_id = $2 AND client_msg_id = $3";

impl PgStore {
    pub(crate) async fn append(&self, m: NewMessage) -> StoreResult<(StoredMessage, bool)> {
        let inserted = sqlx::query_as::<_, StoredMessage>(
            "WITH numbered AS ( \
                 UPDATE conversations SET last_seq = last_seq + 1, last_message_at = $5 \
                 WHERE id = $1 RETURNING id, last_seq), \
             read AS ( \
                 UPDATE conversation_members SET last_read_seq = (SELECT last_seq FROM numbered) \
                 WHERE conversation_id = $1 AND user_id = $2) \
             INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, sealed, created_at, \
                 reply_to, mentions) \
             SELECT id, last_seq, $2, $3, $4, $5, $6, $7 FROM numbered RETURNING *",
        )
        .bind(m.conversation_id)
        .bind(m.sender_id)
        .bind(&m.client_msg_id)
        .bind(&m.sealed)
        .bind(m.at)
        .bind(m.reply_to)
        .bind(&m.mentions)
        .fetch_optional(&mut *self.writer().await?)
        .await;
        match inserted {
            Ok(Some(row)) => Ok((row, true)),
            // No conversation row to number from.
            Ok(None) => Err(StoreError::NotFound),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                let row = sqlx::query_as::<_, StoredMessage>(EXISTING)
                    .bind(m.conversation_id)
                    .bind(m.sender_id)
                    .bind(&m.client_msg_id)
                    .fetch_one(&mut *self.writer().await?)
                    .await?;
                Ok((row, false))
            }
            Err(e) => Err(e.into()),
        }
    }
}
