//! Leaving takes effect at once. An administrator deactivates an account, or removes a
//! person from their organization: every session, API token and push device of theirs ends
//! in one transaction, and their live sockets close on every node (the event goes over the
//! bus like any other). A deactivated account cannot sign in; it answers like a wrong
//! password.

use huddle_core::audit::AuditAction;
use huddle_core::identity::Roles;
use huddle_store::User;
use serde_json::json;

use crate::actions::audit::record;
use crate::auth::access::{Directory, OrgAdmin, SystemAdmin};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::live::ACCESS_ENDED;
use crate::state::AppState;

/// The person, when the actor administers their organization (a system admin reaches
/// everyone); never oneself.
async fn administered(
    state: &AppState,
    principal: &Principal,
    user_id: i64,
) -> Result<User, ApiError> {
    let user = state
        .store
        .user(user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no account with this id"))?;
    match user.organization_id {
        Some(org) => OrgAdmin::of(principal, org).map(|_| ()),
        None => SystemAdmin::of(principal).map(|_| ()),
    }
    .map_err(|_| ApiError::forbidden("you do not administer this person's organization"))?;
    if user.id == principal.id() {
        return Err(ApiError::conflict(
            "you cannot do this to your own account; ask another administrator",
        ));
    }
    Ok(user)
}

/// Ends everything the person holds and closes their live sockets everywhere.
async fn end_access(state: &AppState, user_id: i64) -> Result<u64, ApiError> {
    let ended = state.store.end_access(user_id).await?;
    state
        .bus
        .publish(vec![user_id], std::sync::Arc::from(ACCESS_ENDED))
        .await;
    Ok(ended)
}

pub async fn deactivate(
    state: &AppState,
    principal: &Principal,
    user_id: i64,
) -> Result<(), ApiError> {
    let user = administered(state, principal, user_id).await?;
    let newly = state.store.deactivate_user(user.id, state.now()).await?;
    // Even when it already was: whatever it still held ends now.
    let ended = end_access(state, user.id).await?;
    record(
        state,
        Some(principal.id()),
        AuditAction::AccountDeactivated,
        format!("user:{}", user.id),
        json!({ "already": !newly, "ended": ended }),
    )
    .await
}

pub async fn reactivate(
    state: &AppState,
    principal: &Principal,
    user_id: i64,
) -> Result<(), ApiError> {
    let user = administered(state, principal, user_id).await?;
    state.store.reactivate_user(user.id).await?;
    record(
        state,
        Some(principal.id()),
        AuditAction::AccountReactivated,
        format!("user:{}", user.id),
        json!({}),
    )
    .await
}

/// Removes a person from the organization: no membership, no roles there, nothing held.
pub async fn remove_member(
    state: &AppState,
    principal: &Principal,
    organization_id: i64,
    user_id: i64,
) -> Result<(), ApiError> {
    OrgAdmin::of(principal, organization_id)?;
    let user = administered(state, principal, user_id).await?;
    if user.organization_id != Some(organization_id) {
        return Err(ApiError::not_found(
            "no member of this organization with this id",
        ));
    }
    state.store.set_membership(user.id, None, None).await?;
    state.store.set_roles(user.id, &Roles::default()).await?;
    let ended = end_access(state, user.id).await?;
    record(
        state,
        Some(principal.id()),
        AuditAction::MembershipChanged,
        format!("user:{}", user.id),
        json!({ "removed_from": organization_id, "ended": ended }),
    )
    .await
}

/// A member of the directory's own organization; anyone else is not found (another
/// organization's people do not exist for it).
async fn directory_member(
    state: &AppState,
    directory: &Directory,
    user_id: i64,
) -> Result<User, ApiError> {
    state
        .store
        .user(user_id)
        .await?
        .filter(|u| u.organization_id == Some(directory.organization_id()))
        .ok_or_else(|| ApiError::not_found("no member of this organization with this id"))
}

/// The directory says `active: false`: as an administrator's deactivation.
pub async fn deactivate_by_directory(
    state: &AppState,
    directory: &Directory,
    user_id: i64,
) -> Result<(), ApiError> {
    let user = directory_member(state, directory, user_id).await?;
    let newly = state.store.deactivate_user(user.id, state.now()).await?;
    let ended = end_access(state, user.id).await?;
    record(
        state,
        None,
        AuditAction::AccountDeactivated,
        format!("user:{}", user.id),
        json!({ "already": !newly, "ended": ended, "scim_credential": directory.credential_id() }),
    )
    .await
}

/// The directory says `active: true` again.
pub async fn reactivate_by_directory(
    state: &AppState,
    directory: &Directory,
    user_id: i64,
) -> Result<(), ApiError> {
    let user = directory_member(state, directory, user_id).await?;
    state.store.reactivate_user(user.id).await?;
    record(
        state,
        None,
        AuditAction::AccountReactivated,
        format!("user:{}", user.id),
        json!({ "scim_credential": directory.credential_id() }),
    )
    .await
}

/// The directory deletes the person: they leave the organization (no membership, no roles,
/// nothing held); their account and records stay.
pub async fn remove_by_directory(
    state: &AppState,
    directory: &Directory,
    user_id: i64,
) -> Result<(), ApiError> {
    let user = directory_member(state, directory, user_id).await?;
    state.store.forget_scim_user(user.id).await?;
    state.store.set_membership(user.id, None, None).await?;
    state.store.set_roles(user.id, &Roles::default()).await?;
    let ended = end_access(state, user.id).await?;
    record(
        state,
        None,
        AuditAction::MembershipChanged,
        format!("user:{}", user.id),
        json!({
            "removed_from": directory.organization_id(),
            "ended": ended,
            "scim_credential": directory.credential_id(),
        }),
    )
    .await
}
