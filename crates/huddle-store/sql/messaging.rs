//! Messaging: conversations, members, messages, retention, and the job table. Appending
//! a message is the backend's own (`append`).

use huddle_core::clock::Millis;
use huddle_store::sql::{async_trait, one_row};
use huddle_store::{
    Audience, Conversation, Member, MessagingStore, NewConversation, NewMessage, StoreError,
    StoreResult, StoredMessage,
};

use crate::backend::{Db, Store};

// The statements, in the order the methods below use them.
const CREATE_CONVERSATION_CONVERSATIONS: &str =
    "INSERT INTO conversations (organization_id, kind, name, private, created_by, created_at, \
    direct_key, patient_sealed, team) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, \
    organization_id, kind, name, private, created_by, created_at, last_seq, last_message_at, \
    patient_sealed, team";
const DIRECT_CONVERSATION: &str = "SELECT * FROM conversations WHERE direct_key = $1";
const CONVERSATION: &str = "SELECT * FROM conversations WHERE id = $1";
const MEMBER: &str =
    "SELECT * FROM conversation_members WHERE conversation_id = $1 AND user_id = $2";
const MEMBERS: &str =
    "SELECT * FROM conversation_members WHERE conversation_id = $1 ORDER BY user_id";
const ADD_MEMBER: &str =
    "INSERT INTO conversation_members (conversation_id, user_id, last_read_seq, joined_at) \
    VALUES ($1, $2, 0, $3) ON CONFLICT (conversation_id, user_id) DO NOTHING";
const REMOVE_MEMBER: &str =
    "DELETE FROM conversation_members WHERE conversation_id = $1 AND user_id = $2";
const INBOX: &str =
    "SELECT c.*, m.user_id AS member_user_id, m.last_read_seq AS member_last_read_seq, \
    m.joined_at AS member_joined_at \
    FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id \
    WHERE m.user_id = $1 ORDER BY COALESCE(c.last_message_at, c.created_at) DESC, c.id DESC";
const OPEN_CHANNELS: &str =
    "SELECT * FROM conversations WHERE organization_id = $1 AND kind = 'channel' \
    AND private = FALSE ORDER BY name";
const TEAM_CHANNELS: &str =
    "SELECT * FROM conversations WHERE organization_id = $1 AND kind = 'channel' AND team = $2 \
    ORDER BY id";
const MESSAGES: &str =
    "SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";
const MARK_READ: &str = "UPDATE conversation_members SET last_read_seq = $3 \
    WHERE conversation_id = $1 AND user_id = $2 AND last_read_seq < $3 \
    AND $3 <= (SELECT c.last_seq FROM conversations c WHERE c.id = $1)";
const MESSAGE: &str = "SELECT * FROM messages WHERE id = $1";
const PURGE_MESSAGES_BEFORE_MESSAGE_VERSIONS: &str =
    "DELETE FROM message_versions WHERE message_id IN (SELECT m.id FROM messages m \
    JOIN conversations c ON c.id = m.conversation_id \
    WHERE c.organization_id = $1 AND m.created_at < $2)";
const PURGE_MESSAGES_BEFORE_UPDATE_MESSAGES: &str =
    "UPDATE messages SET sealed = $3, purged_at = $4 WHERE purged_at IS NULL AND created_at < $2 \
    AND conversation_id IN (SELECT id FROM conversations WHERE organization_id = $1)";
const SET_RETENTION_DAYS: &str =
    "UPDATE organizations SET message_retention_days = $2 WHERE id = $1";
const RETENTION_POLICIES: &str = "SELECT id, message_retention_days FROM organizations \
    WHERE message_retention_days IS NOT NULL ORDER BY id";
const CLAIM_JOB_INSERT_JOBS: &str =
    "INSERT INTO jobs (name, last_run_at, locked_until) VALUES ($1, NULL, 0) \
    ON CONFLICT (name) DO NOTHING";
const CLAIM_JOB_UPDATE_JOBS: &str =
    "UPDATE jobs SET last_run_at = $2, locked_until = $4 WHERE name = $1 AND locked_until <= $2 \
    AND (last_run_at IS NULL OR last_run_at <= $3)";
const REPLACE_BODY_MESSAGES: &str = "SELECT * FROM messages WHERE id = $1 AND sender_id = $2";
const REPLACE_BODY_MESSAGE_VERSIONS: &str =
    "INSERT INTO message_versions (message_id, sealed, replaced_at, replaced_by, change) \
    VALUES ($1, $2, $3, $4, $5)";

#[async_trait]
impl MessagingStore for Store {
    async fn create_conversation(&self, c: NewConversation) -> StoreResult<Conversation> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query_as::<Db, Conversation>(CREATE_CONVERSATION_CONVERSATIONS)
            .bind(c.organization_id)
            .bind(&c.kind)
            .bind(&c.name)
            .bind(c.private)
            .bind(c.created_by)
            .bind(c.at)
            .bind(&c.direct_key)
            .bind(&c.patient_sealed)
            .bind(&c.team)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique("direct conversation"))?;
        for user_id in &c.members {
            sqlx::query(ADD_MEMBER)
                .bind(row.id)
                .bind(user_id)
                .bind(c.at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(row)
    }

    async fn direct_conversation(&self, direct_key: &str) -> StoreResult<Option<Conversation>> {
        let row = sqlx::query_as::<Db, Conversation>(DIRECT_CONVERSATION)
            .bind(direct_key)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row)
    }

    async fn conversation(&self, id: i64) -> StoreResult<Option<Conversation>> {
        let row = sqlx::query_as::<Db, Conversation>(CONVERSATION)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row)
    }

    async fn member(&self, conversation_id: i64, user_id: i64) -> StoreResult<Option<Member>> {
        let row = sqlx::query_as::<Db, Member>(MEMBER)
            .bind(conversation_id)
            .bind(user_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row)
    }

    async fn members(&self, conversation_id: i64) -> StoreResult<Vec<Member>> {
        let rows = sqlx::query_as::<Db, Member>(MEMBERS)
            .bind(conversation_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn audience(&self, conversation_id: i64) -> StoreResult<Option<Audience>> {
        let rows = sqlx::query_as::<Db, (Option<i64>, Option<i64>)>(
            "SELECT c.organization_id, m.user_id FROM conversations c \
             LEFT JOIN conversation_members m ON m.conversation_id = c.id \
             WHERE c.id = $1 ORDER BY m.user_id",
        )
        .bind(conversation_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        let Some(&(organization_id, _)) = rows.first() else {
            return Ok(None);
        };
        Ok(Some(Audience {
            organization_id,
            members: rows.into_iter().filter_map(|(_, user)| user).collect(),
        }))
    }

    async fn add_member(&self, conversation_id: i64, user_id: i64, at: Millis) -> StoreResult<()> {
        sqlx::query(ADD_MEMBER)
            .bind(conversation_id)
            .bind(user_id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn remove_member(&self, conversation_id: i64, user_id: i64) -> StoreResult<bool> {
        let done = sqlx::query(REMOVE_MEMBER)
            .bind(conversation_id)
            .bind(user_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn inbox(&self, user_id: i64) -> StoreResult<Vec<(Conversation, Member)>> {
        let rows = sqlx::query_as::<Db, InboxRow>(INBOX)
            .bind(user_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let member = Member {
                    conversation_id: r.conversation.id,
                    user_id: r.member_user_id,
                    last_read_seq: r.member_last_read_seq,
                    joined_at: r.member_joined_at,
                };
                (r.conversation, member)
            })
            .collect())
    }

    async fn open_channels(&self, organization_id: i64) -> StoreResult<Vec<Conversation>> {
        let rows = sqlx::query_as::<Db, Conversation>(OPEN_CHANNELS)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn team_channels(
        &self,
        organization_id: i64,
        team: &str,
    ) -> StoreResult<Vec<Conversation>> {
        let rows = sqlx::query_as::<Db, Conversation>(TEAM_CHANNELS)
            .bind(organization_id)
            .bind(team)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn append_message(&self, m: NewMessage) -> StoreResult<(StoredMessage, bool)> {
        // The dialects differ here: each backend numbers and stores a message its own way.
        self.append(m).await
    }

    async fn messages(
        &self,
        conversation_id: i64,
        after_seq: i64,
        limit: i64,
    ) -> StoreResult<Vec<StoredMessage>> {
        let rows = sqlx::query_as::<Db, StoredMessage>(MESSAGES)
            .bind(conversation_id)
            .bind(after_seq)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn mark_read(&self, conversation_id: i64, user_id: i64, seq: i64) -> StoreResult<()> {
        sqlx::query(MARK_READ)
            .bind(conversation_id)
            .bind(user_id)
            .bind(seq)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn message(&self, id: i64) -> StoreResult<Option<StoredMessage>> {
        let row = sqlx::query_as::<Db, StoredMessage>(MESSAGE)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row)
    }

    async fn edit_message(
        &self,
        id: i64,
        sender_id: i64,
        sealed: &[u8],
        at: Millis,
    ) -> StoreResult<StoredMessage> {
        self.replace_body(id, sender_id, sealed, at, "edit").await
    }

    async fn delete_message(
        &self,
        id: i64,
        sender_id: i64,
        at: Millis,
    ) -> StoreResult<StoredMessage> {
        self.replace_body(id, sender_id, &[], at, "delete").await
    }

    async fn purge_messages_before(
        &self,
        organization_id: i64,
        before: Millis,
        at: Millis,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        sqlx::query(PURGE_MESSAGES_BEFORE_MESSAGE_VERSIONS)
            .bind(organization_id)
            .bind(before)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query(PURGE_MESSAGES_BEFORE_UPDATE_MESSAGES)
            .bind(organization_id)
            .bind(before)
            .bind(Vec::<u8>::new())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    async fn set_retention_days(&self, organization_id: i64, days: Option<i64>) -> StoreResult<()> {
        let done = sqlx::query(SET_RETENTION_DAYS)
            .bind(organization_id)
            .bind(days)
            .execute(&mut *self.writer().await?)
            .await?;
        one_row(done.rows_affected())
    }

    async fn retention_policies(&self) -> StoreResult<Vec<(i64, i64)>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(RETENTION_POLICIES)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows)
    }

    async fn claim_job(
        &self,
        name: &str,
        at: Millis,
        every: Millis,
        lease: Millis,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        sqlx::query(CLAIM_JOB_INSERT_JOBS)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query(CLAIM_JOB_UPDATE_JOBS)
            .bind(name)
            .bind(at)
            .bind(at.saturating_sub(every))
            .bind(at.saturating_add(lease))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Store {
    /// Edit or delete: records the old body, then replaces it.
    async fn replace_body(
        &self,
        id: i64,
        sender_id: i64,
        sealed: &[u8],
        at: Millis,
        change: &str,
    ) -> StoreResult<StoredMessage> {
        let mut tx = self.begin_write().await?;
        let current = sqlx::query_as::<Db, StoredMessage>(REPLACE_BODY_MESSAGES)
            .bind(id)
            .bind(sender_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if current.deleted_at.is_some() || current.purged_at.is_some() {
            return Err(StoreError::InvalidState("this message was deleted"));
        }
        sqlx::query(REPLACE_BODY_MESSAGE_VERSIONS)
            .bind(id)
            .bind(&current.sealed)
            .bind(at)
            .bind(sender_id)
            .bind(change)
            .execute(&mut *tx)
            .await?;
        let sql = if change == "delete" {
            "UPDATE messages SET sealed = $2, deleted_at = $3 WHERE id = $1 RETURNING *"
        } else {
            "UPDATE messages SET sealed = $2, edited_at = $3 WHERE id = $1 RETURNING *"
        };
        let row = sqlx::query_as::<Db, StoredMessage>(sql)
            .bind(id)
            .bind(sealed)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(row)
    }
}

/// A conversation joined with one member's read position (the inbox).
#[derive(sqlx::FromRow)]
pub(crate) struct InboxRow {
    #[sqlx(flatten)]
    pub(crate) conversation: Conversation,
    pub(crate) member_user_id: i64,
    pub(crate) member_last_read_seq: i64,
    pub(crate) member_joined_at: i64,
}
