//! Recording security events, and reading them back (system admins only, audited).

use std::sync::{Arc, OnceLock};

use huddle_core::audit::{AuditAction, ChainedEntry};
use huddle_store::{NewAuditEvent, Store};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use crate::auth::access::SystemAdmin;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// Appends one entry to the audit chain. A failure fails the request: an action whose
/// record cannot be written must not look successful. The caller waits until its entry is
/// committed; under load many callers' entries share one transaction (see [`AuditWriter`]).
pub async fn record(
    state: &AppState,
    actor_id: Option<i64>,
    action: AuditAction,
    target: impl Into<String>,
    detail: Value,
) -> Result<(), ApiError> {
    let event = NewAuditEvent {
        at: state.now(),
        actor_id,
        action,
        target: target.into(),
        detail,
    };
    let (done, committed) = oneshot::channel();
    state
        .audit
        .queue(&state.store)
        .send((event, done))
        .await
        .map_err(|_| ApiError::internal("the audit writer stopped"))?;
    committed
        .await
        .map_err(|_| ApiError::internal("the audit writer stopped"))?
        .map_err(ApiError::internal)
}

type Pending = (NewAuditEvent, oneshot::Sender<Result<(), String>>);

/// Group commit for the audit chain: one task per node appends the entries that are waiting,
/// up to 256 in one transaction, so the chain's lock and commit are taken once for many
/// (every alert's intake writes an entry). Each caller still waits for its own commit.
#[derive(Default)]
pub struct AuditWriter {
    queue: OnceLock<mpsc::Sender<Pending>>,
}

impl AuditWriter {
    /// The queue, with its writer started on first use (inside the server's runtime).
    fn queue(&self, store: &Arc<dyn Store>) -> &mpsc::Sender<Pending> {
        self.queue.get_or_init(|| {
            let (queue, waiting) = mpsc::channel(4096);
            tokio::spawn(write(store.clone(), waiting));
            queue
        })
    }
}

async fn write(store: Arc<dyn Store>, mut waiting: mpsc::Receiver<Pending>) {
    while let Some(first) = waiting.recv().await {
        let mut batch = vec![first];
        while batch.len() < 256 {
            match waiting.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let (events, callers): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
        let outcome = store
            .append_audit_batch(events)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string());
        for caller in callers {
            let _ = caller.send(outcome.clone());
        }
    }
}

/// Which entries a system admin reads.
pub enum Slice {
    /// Up to `limit` (1–500) entries after sequence number `after`, oldest first.
    After { after: i64, limit: i64 },
    /// The latest `limit` entries, newest first.
    Recent(i64),
}

/// The audit log, for system admins; the read itself is audited.
pub async fn read(
    state: &AppState,
    p: &Principal,
    slice: Slice,
) -> Result<Vec<ChainedEntry>, ApiError> {
    SystemAdmin::of(p)?;
    let entries = match slice {
        Slice::After { after, limit } => {
            if !(1..=500).contains(&limit) {
                return Err(ApiError::invalid("limit", "ask for 1 to 500 entries"));
            }
            state.store.audit_entries(after.max(0), limit).await?
        }
        Slice::Recent(limit) => state.store.recent_audit(limit.clamp(1, 500)).await?,
    };
    record(
        state,
        Some(p.id()),
        AuditAction::SensitiveRead,
        "audit:log",
        serde_json::json!({ "count": entries.len(), "first": entries.first().map(|e| e.seq) }),
    )
    .await?;
    Ok(entries)
}
