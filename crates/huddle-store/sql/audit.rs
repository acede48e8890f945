//! The append-only, hash-chained audit log.

use huddle_core::audit::{entry_hash, ChainedEntry};
use huddle_store::sql::async_trait;
use huddle_store::{AuditStore, NewAuditEvent, StoreError, StoreResult};

use crate::backend::{Db, Store};

// The statements, in the order the methods below use them.
const APPEND_AUDIT_BATCH_UPDATE_AUDIT_HEAD: &str =
    "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash";
const APPEND_AUDIT_BATCH_AUDIT_LOG: &str =
    "INSERT INTO audit_log (seq, at, actor_id, action, target, detail, prev_hash, hash) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const APPEND_AUDIT_BATCH_UPDATE_AUDIT_HEAD_2: &str =
    "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
const AUDIT_ENTRIES: &str = "SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2";
const RECENT_AUDIT: &str = "SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1";
const AUDIT_HEAD: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";

#[async_trait]
impl AuditStore for Store {
    async fn append_audit(&self, event: NewAuditEvent) -> StoreResult<ChainedEntry> {
        self.append_audit_batch(vec![event])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn append_audit_batch(
        &self,
        events: Vec<NewAuditEvent>,
    ) -> StoreResult<Vec<ChainedEntry>> {
        let mut tx = self.begin_write().await?;
        // Taking the head row's lock serializes appends (PostgreSQL row lock; SQLite's
        // single writer), so the chain never forks. A batch takes it once.
        let (mut seq, mut prev_hash): (i64, String) =
            sqlx::query_as(APPEND_AUDIT_BATCH_UPDATE_AUDIT_HEAD)
                .fetch_one(&mut *tx)
                .await?;
        let mut entries = Vec::with_capacity(events.len());
        for event in events {
            seq += 1;
            let detail = event.detail.to_string();
            let action = event.action.as_str();
            let hash = entry_hash(
                &prev_hash,
                seq,
                event.at,
                event.actor_id,
                action,
                &event.target,
                &detail,
            );
            sqlx::query(APPEND_AUDIT_BATCH_AUDIT_LOG)
                .bind(seq)
                .bind(event.at)
                .bind(event.actor_id)
                .bind(action)
                .bind(&event.target)
                .bind(&detail)
                .bind(&prev_hash)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            entries.push(ChainedEntry {
                seq,
                at: event.at,
                actor_id: event.actor_id,
                action: action.to_string(),
                target: event.target,
                detail,
                prev_hash: std::mem::replace(&mut prev_hash, hash.clone()),
                hash,
            });
        }
        sqlx::query(APPEND_AUDIT_BATCH_UPDATE_AUDIT_HEAD_2)
            .bind(seq)
            .bind(&prev_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(entries)
    }

    async fn audit_entries(&self, after: i64, limit: i64) -> StoreResult<Vec<ChainedEntry>> {
        let rows = sqlx::query_as::<Db, AuditRow>(AUDIT_ENTRIES)
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn recent_audit(&self, limit: i64) -> StoreResult<Vec<ChainedEntry>> {
        let rows = sqlx::query_as::<Db, AuditRow>(RECENT_AUDIT)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        let head: (i64, String) = sqlx::query_as(AUDIT_HEAD)
            .fetch_one(&mut *self.reader().await?)
            .await?;
        Ok(head)
    }
}

/// An audit row; the entry it becomes is huddle-core's, which knows nothing of rows.
#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub(crate) seq: i64,
    pub(crate) at: i64,
    pub(crate) actor_id: Option<i64>,
    pub(crate) action: String,
    pub(crate) target: String,
    pub(crate) detail: String,
    pub(crate) prev_hash: String,
    pub(crate) hash: String,
}

impl From<AuditRow> for ChainedEntry {
    fn from(r: AuditRow) -> Self {
        ChainedEntry {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            action: r.action,
            target: r.target,
            detail: r.detail,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}
