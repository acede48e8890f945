//! Recording security events, and reading them back (system admins only, audited).

use huddle_core::audit::{AuditAction, ChainedEntry};
use huddle_store::NewAuditEvent;
use serde_json::Value;

use crate::auth::access::SystemAdmin;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// Appends one entry to the audit chain. A failure fails the request: an action whose
/// record cannot be written must not look successful.
pub async fn record(
    state: &AppState,
    actor_id: Option<i64>,
    action: AuditAction,
    target: impl Into<String>,
    detail: Value,
) -> Result<(), ApiError> {
    state
        .store
        .append_audit(NewAuditEvent {
            at: state.now(),
            actor_id,
            action,
            target: target.into(),
            detail,
        })
        .await?;
    Ok(())
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
