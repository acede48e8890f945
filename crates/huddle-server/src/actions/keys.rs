//! Master key rotation: every data key is unwrapped with the current master key and
//! wrapped with the new one, in one transaction. Sealed data is untouched.

use huddle_core::audit::AuditAction;
use huddle_store::WrappedKey;
use serde_json::json;

use super::audit::record;
use crate::crypto::Keyring;
use crate::error::ApiError;
use crate::state::AppState;

/// The owner a key was wrapped for, from its stored name.
fn wrapped_for(stored_owner: &str) -> Option<String> {
    if let Some(owner) = stored_owner.strip_prefix("data:") {
        Some(owner.to_string())
    } else {
        stored_owner
            .strip_prefix("wellbeing:")
            .map(|user| format!("user:{user}"))
    }
}

/// Rewraps every data key under `new`; returns how many.
pub async fn rotate(state: &AppState, new: &Keyring) -> Result<usize, ApiError> {
    let keys = state.store.wrapped_keys().await?;
    let rewrapped = keys
        .iter()
        .map(|k| {
            let owner = wrapped_for(&k.owner)
                .ok_or_else(|| ApiError::internal(format!("unknown key owner {}", k.owner)))?;
            let wrapped = state
                .keyring
                .rewrap(&owner, &k.wrapped, new)
                .map_err(ApiError::internal)?;
            Ok(WrappedKey {
                owner: k.owner.clone(),
                wrapped,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    state.store.replace_wrapped_keys(&rewrapped).await?;
    record(
        state,
        None,
        AuditAction::KeysRotated,
        "master_key",
        json!({ "keys": rewrapped.len() }),
    )
    .await?;
    Ok(rewrapped.len())
}
