//! The append-only, hash-chained security log.

use async_trait::async_trait;
use huddle_core::audit::{AuditAction, ChainedEntry};
use huddle_core::clock::Millis;

use crate::StoreResult;

#[derive(Debug, Clone)]
pub struct NewAuditEvent {
    pub at: Millis,
    pub actor_id: Option<i64>,
    pub action: AuditAction,
    /// What the event is about, e.g. `user:42`, `verification:7`.
    pub target: String,
    /// A small JSON object with the details (never a secret, never well-being answers).
    pub detail: serde_json::Value,
}

#[async_trait]
pub trait AuditStore {
    /// Appends one entry at the head of the chain; appends are serialized so the chain
    /// never forks, even across server nodes.
    async fn append_audit(&self, event: NewAuditEvent) -> StoreResult<ChainedEntry>;
    /// Appends entries in order in one transaction: a busy server takes the chain's lock
    /// (and commits) once for many entries.
    async fn append_audit_batch(
        &self,
        events: Vec<NewAuditEvent>,
    ) -> StoreResult<Vec<ChainedEntry>>;
    /// Entries with `seq > after`, in order, at most `limit`.
    async fn audit_entries(&self, after: i64, limit: i64) -> StoreResult<Vec<ChainedEntry>>;
    /// The newest entries first, for the admin pages.
    async fn recent_audit(&self, limit: i64) -> StoreResult<Vec<ChainedEntry>>;
    /// The sequence number and hash of the last entry, recorded apart from the entries.
    async fn audit_head(&self) -> StoreResult<(i64, String)>;
}
