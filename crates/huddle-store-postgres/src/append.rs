//! Appending a message on PostgreSQL: one transaction that takes the next number from the
//! conversation row (locking it, so concurrent senders of several nodes queue there and the
//! numbers stay gapless) and stores the message once per client id.

use huddle_store::rows::MessageRow;
use huddle_store::{NewMessage, StoreError, StoreResult, StoredMessage};

use crate::PgStore;

const EXISTING: &str =
    "SELECT * FROM messages WHERE conversation_id = $1 AND sender_id = $2 AND client_msg_id = $3";

impl PgStore {
    pub(crate) async fn append(&self, m: NewMessage) -> StoreResult<(StoredMessage, bool)> {
        let mut tx = self.begin_write().await?;
        let existing = sqlx::query_as::<_, MessageRow>(EXISTING)
            .bind(m.conversation_id)
            .bind(m.sender_id)
            .bind(&m.client_msg_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = existing {
            tx.commit().await?;
            return Ok((row.into(), false));
        }
        let seq: Option<(i64,)> = sqlx::query_as(
            "UPDATE conversations SET last_seq = last_seq + 1, last_message_at = $2 WHERE id = $1 \
             RETURNING last_seq",
        )
        .bind(m.conversation_id)
        .bind(m.at)
        .fetch_optional(&mut *tx)
        .await?;
        let (seq,) = seq.ok_or(StoreError::NotFound)?;
        let inserted = sqlx::query_as::<_, MessageRow>(
            "INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, sealed, created_at, \
             reply_to, mentions) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
        )
        .bind(m.conversation_id)
        .bind(seq)
        .bind(m.sender_id)
        .bind(&m.client_msg_id)
        .bind(&m.sealed)
        .bind(m.at)
        .bind(m.reply_to)
        .bind(&m.mentions)
        .fetch_one(&mut *tx)
        .await;
        let row = match inserted {
            Ok(row) => row,
            // A concurrent retry with the same client id committed first: return it.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                drop(tx);
                let row = sqlx::query_as::<_, MessageRow>(EXISTING)
                    .bind(m.conversation_id)
                    .bind(m.sender_id)
                    .bind(&m.client_msg_id)
                    .fetch_one(self.write_pool())
                    .await?;
                return Ok((row.into(), false));
            }
            Err(e) => return Err(e.into()),
        };
        sqlx::query(
            "UPDATE conversation_members SET last_read_seq = $3 WHERE conversation_id = $1 AND user_id = $2",
        )
        .bind(m.conversation_id)
        .bind(m.sender_id)
        .bind(seq)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((row.into(), true))
    }
}
