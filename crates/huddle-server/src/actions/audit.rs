//! Recording security events.

use huddle_core::audit::AuditAction;
use huddle_store::NewAuditEvent;
use serde_json::Value;

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
