//! Conversations and their messages. Bodies are stored sealed (AEAD under the
//! organization's data key); the store sees ciphertext only. Each conversation numbers its
//! messages 1, 2, 3…: a client that reconnects asks for everything after the last number it
//! saw, so nothing is lost.

use async_trait::async_trait;
use huddle_core::clock::Millis;

use crate::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Conversation {
    pub id: i64,
    pub organization_id: Option<i64>,
    /// `direct`, `group` or `channel`.
    pub kind: String,
    pub name: String,
    /// A channel open to its organization's members, or by invitation only.
    pub private: bool,
    pub created_by: i64,
    pub created_at: Millis,
    /// The number of the newest message (0 when empty).
    pub last_seq: i64,
    pub last_message_at: Option<Millis>,
    /// The patient the conversation is about (reference and initials), sealed.
    pub patient_sealed: Option<Vec<u8>>,
    /// For a team channel, the team it addresses; empty otherwise.
    pub team: String,
}

#[derive(Debug, Clone)]
pub struct NewConversation {
    pub organization_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub private: bool,
    pub created_by: i64,
    pub members: Vec<i64>,
    /// For direct conversations, `low:high` user ids: at most one per pair.
    pub direct_key: Option<String>,
    pub patient_sealed: Option<Vec<u8>>,
    pub team: String,
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    pub conversation_id: i64,
    pub user_id: i64,
    pub last_read_seq: i64,
    pub joined_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    pub organization_id: Option<i64>,
    pub members: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredMessage {
    pub id: i64,
    pub conversation_id: i64,
    pub seq: i64,
    pub sender_id: i64,
    pub client_msg_id: String,
    /// Empty once deleted or purged by retention.
    pub sealed: Vec<u8>,
    pub created_at: Millis,
    pub edited_at: Option<Millis>,
    pub deleted_at: Option<Millis>,
    pub purged_at: Option<Millis>,
    /// The message this one answers, in the same conversation.
    pub reply_to: Option<i64>,
    /// Mentioned members' ids, comma-separated.
    pub mentions: String,
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub conversation_id: i64,
    pub sender_id: i64,
    pub client_msg_id: String,
    pub sealed: Vec<u8>,
    pub reply_to: Option<i64>,
    pub mentions: String,
    pub at: Millis,
}

#[async_trait]
pub trait MessagingStore {
    /// Creates the conversation and its memberships in one transaction.
    /// `Conflict("direct conversation")` when the pair already has one.
    async fn create_conversation(&self, new: NewConversation) -> StoreResult<Conversation>;
    async fn direct_conversation(&self, direct_key: &str) -> StoreResult<Option<Conversation>>;
    async fn conversation(&self, id: i64) -> StoreResult<Option<Conversation>>;
    async fn member(&self, conversation_id: i64, user_id: i64) -> StoreResult<Option<Member>>;
    async fn members(&self, conversation_id: i64) -> StoreResult<Vec<Member>>;
    /// Who a message goes to, in one read: the conversation's organization and its members'
    /// ids in order; None when there is no such conversation.
    async fn audience(&self, conversation_id: i64) -> StoreResult<Option<Audience>>;
    /// Adds a member (no-op when already one).
    async fn add_member(&self, conversation_id: i64, user_id: i64, at: Millis) -> StoreResult<()>;
    async fn remove_member(&self, conversation_id: i64, user_id: i64) -> StoreResult<bool>;
    /// The person's conversations with their read position, most recent activity first.
    async fn inbox(&self, user_id: i64) -> StoreResult<Vec<(Conversation, Member)>>;
    /// Channels of an organization that its members may join.
    async fn open_channels(&self, organization_id: i64) -> StoreResult<Vec<Conversation>>;
    /// The organization's channels addressed to a team.
    async fn team_channels(
        &self,
        organization_id: i64,
        team: &str,
    ) -> StoreResult<Vec<Conversation>>;
    /// Appends a message with the next number, or returns the one already stored under the
    /// same (conversation, sender, client_msg_id): true when it was new.
    async fn append_message(&self, new: NewMessage) -> StoreResult<(StoredMessage, bool)>;
    /// Messages numbered after `after_seq`, in order, at most `limit`.
    async fn messages(
        &self,
        conversation_id: i64,
        after_seq: i64,
        limit: i64,
    ) -> StoreResult<Vec<StoredMessage>>;
    /// Moves the person's read position forward (never back, never past the newest).
    async fn mark_read(&self, conversation_id: i64, user_id: i64, seq: i64) -> StoreResult<()>;

    async fn message(&self, id: i64) -> StoreResult<Option<StoredMessage>>;
    /// Replaces the body of the sender's own message, keeping the old one on record.
    /// `InvalidState` once deleted or purged; `NotFound` when not theirs.
    async fn edit_message(
        &self,
        id: i64,
        sender_id: i64,
        sealed: &[u8],
        at: Millis,
    ) -> StoreResult<StoredMessage>;
    /// Removes the body of the sender's own message, keeping it on record.
    async fn delete_message(
        &self,
        id: i64,
        sender_id: i64,
        at: Millis,
    ) -> StoreResult<StoredMessage>;
    /// Retention: empties bodies (and their recorded versions) of the organization's
    /// messages older than `before`; returns how many messages were purged.
    async fn purge_messages_before(
        &self,
        organization_id: i64,
        before: Millis,
        at: Millis,
    ) -> StoreResult<u64>;
    async fn set_retention_days(&self, organization_id: i64, days: Option<i64>) -> StoreResult<()>;
    /// (organization, days) for every organization with a retention policy.
    async fn retention_policies(&self) -> StoreResult<Vec<(i64, i64)>>;
    /// Claims a periodic job for this node: true when it was due (not run within `every`)
    /// and nobody holds it; the claim lasts `lease`. Safe across restarts and nodes.
    async fn claim_job(
        &self,
        name: &str,
        at: Millis,
        every: Millis,
        lease: Millis,
    ) -> StoreResult<bool>;
}
