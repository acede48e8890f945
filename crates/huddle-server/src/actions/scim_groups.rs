//! SCIM groups. Each is a directory group of the organization with an optional mapping, set
//! by an org admin (never by the directory): a department and a set of organization roles.
//! Joining a mapped group places the person in its department and grants its roles;
//! leaving takes back the roles no other of their groups grants, and the department if it
//! was the group's.

use huddle_core::audit::AuditAction;
use huddle_core::identity::scim::{mappable_roles, roles_on_joining, roles_on_leaving};
use huddle_core::identity::Roles;
use huddle_store::{NewScimGroup, ScimGroup, StoreError, User};
use serde_json::json;

use super::audit::record;
use super::scim::record_change;
use crate::auth::access::{Directory, OrgAdmin};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// What the directory says of a group (POST, PUT, or a GET with a PATCH applied).
#[derive(Debug, Clone)]
pub struct DirectoryGroup {
    pub display_name: String,
    pub external_id: Option<String>,
    /// Member ids, as the directory names them (`members[].value`).
    pub members: Vec<i64>,
}

/// A group with its members' accounts.
#[derive(Debug, Clone)]
pub struct Group {
    pub group: ScimGroup,
    pub members: Vec<User>,
}

fn group_roles(group: &ScimGroup) -> Result<Roles, ApiError> {
    Roles::from_stored(&group.roles).map_err(ApiError::internal)
}

fn valid_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid("displayName", "1 to 200 characters"));
    }
    Ok(name.to_string())
}

/// Every member id is a member of the directory's organization.
async fn members_here(
    state: &AppState,
    directory: &Directory,
    ids: &[i64],
) -> Result<Vec<i64>, ApiError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in &ids {
        let here = state
            .store
            .user(*id)
            .await?
            .is_some_and(|u| u.organization_id == Some(directory.organization_id()));
        if !here {
            return Err(ApiError::invalid(
                "members",
                format!("no member of this organization has the id {id}"),
            ));
        }
    }
    Ok(ids)
}

pub async fn create_group(
    state: &AppState,
    directory: &Directory,
    new: DirectoryGroup,
) -> Result<Group, ApiError> {
    let display_name = valid_name(&new.display_name)?;
    let members = members_here(state, directory, &new.members).await?;
    let group = state
        .store
        .create_scim_group(NewScimGroup {
            organization_id: directory.organization_id(),
            display_name,
            external_id: new.external_id,
            created_at: state.now(),
        })
        .await
        .map_err(conflict)?;
    record_group(state, directory, group.id, json!({ "created": true })).await?;
    set_members(state, directory, &group, &members).await?;
    group_of(state, directory, group.id).await
}

fn conflict(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(_) => ApiError::conflict("a group with this displayName exists"),
        other => other.into(),
    }
}

async fn record_group(
    state: &AppState,
    directory: &Directory,
    group_id: i64,
    mut detail: serde_json::Value,
) -> Result<(), ApiError> {
    detail["scim_credential"] = json!(directory.credential_id());
    record(
        state,
        None,
        AuditAction::ScimGroupChanged,
        format!("scim_group:{group_id}"),
        detail,
    )
    .await
}

/// Makes `wanted` the group's members, applying the mapping to who joins and who leaves.
async fn set_members(
    state: &AppState,
    directory: &Directory,
    group: &ScimGroup,
    wanted: &[i64],
) -> Result<(), ApiError> {
    let current = state.store.scim_group_members(group.id).await?;
    let joining: Vec<i64> = wanted
        .iter()
        .copied()
        .filter(|id| !current.contains(id))
        .collect();
    let leaving: Vec<i64> = current
        .iter()
        .copied()
        .filter(|id| !wanted.contains(id))
        .collect();
    if joining.is_empty() && leaving.is_empty() {
        return Ok(());
    }
    for id in &leaving {
        leave_group(state, directory, group, *id).await?;
    }
    state.store.set_scim_group_members(group.id, wanted).await?;
    for id in &joining {
        join_group(state, directory, group, *id).await?;
    }
    record_group(
        state,
        directory,
        group.id,
        json!({ "joined": joining, "left": leaving }),
    )
    .await
}

async fn join_group(
    state: &AppState,
    directory: &Directory,
    group: &ScimGroup,
    user_id: i64,
) -> Result<(), ApiError> {
    let granted = group_roles(group)?;
    if granted.is_empty() && group.department_id.is_none() {
        return Ok(());
    }
    let Some(user) = state.store.user(user_id).await? else {
        return Ok(());
    };
    let roles = roles_on_joining(&user.roles, &granted);
    state.store.set_roles(user.id, &roles).await?;
    if group.department_id.is_some() {
        state
            .store
            .set_membership(user.id, user.organization_id, group.department_id)
            .await?;
    }
    record_change(
        state,
        directory,
        user.id,
        json!({ "joined_group": group.id, "roles": roles.to_stored(), "department": group.department_id }),
    )
    .await
}

/// Takes back what the group granted (its membership row is the caller's to remove).
pub(super) async fn leave_group(
    state: &AppState,
    directory: &Directory,
    group: &ScimGroup,
    user_id: i64,
) -> Result<(), ApiError> {
    let granted = group_roles(group)?;
    if granted.is_empty() && group.department_id.is_none() {
        return Ok(());
    }
    let Some(user) = state.store.user(user_id).await? else {
        return Ok(());
    };
    let others: Vec<ScimGroup> = state
        .store
        .scim_groups_of(user.id)
        .await?
        .into_iter()
        .filter(|g| g.id != group.id)
        .collect();
    let other_roles = others
        .iter()
        .map(group_roles)
        .collect::<Result<Vec<_>, _>>()?;
    let roles = roles_on_leaving(&user.roles, &granted, &other_roles);
    state.store.set_roles(user.id, &roles).await?;
    if group.department_id.is_some() && user.department_id == group.department_id {
        let department = others.iter().find_map(|g| g.department_id);
        state
            .store
            .set_membership(user.id, user.organization_id, department)
            .await?;
    }
    record_change(
        state,
        directory,
        user.id,
        json!({ "left_group": group.id, "roles": roles.to_stored() }),
    )
    .await
}

pub async fn group_of(state: &AppState, directory: &Directory, id: i64) -> Result<Group, ApiError> {
    let group = state
        .store
        .scim_group(directory.organization_id(), id)
        .await?
        .ok_or_else(|| ApiError::not_found("no group of this organization with this id"))?;
    with_members(state, group).await
}

async fn with_members(state: &AppState, group: ScimGroup) -> Result<Group, ApiError> {
    let mut members = Vec::new();
    for id in state.store.scim_group_members(group.id).await? {
        if let Some(user) = state.store.user(id).await? {
            members.push(user);
        }
    }
    Ok(Group { group, members })
}

pub async fn groups(state: &AppState, directory: &Directory) -> Result<Vec<Group>, ApiError> {
    let mut all = Vec::new();
    for group in state.store.scim_groups(directory.organization_id()).await? {
        all.push(with_members(state, group).await?);
    }
    Ok(all)
}

pub async fn replace_group(
    state: &AppState,
    directory: &Directory,
    id: i64,
    new: DirectoryGroup,
) -> Result<Group, ApiError> {
    let current = group_of(state, directory, id).await?.group;
    let members = members_here(state, directory, &new.members).await?;
    let updated = ScimGroup {
        display_name: valid_name(&new.display_name)?,
        external_id: new.external_id,
        last_modified: state.now(),
        ..current
    };
    state
        .store
        .update_scim_group(&updated)
        .await
        .map_err(conflict)?;
    record_group(state, directory, id, json!({ "replaced": true })).await?;
    set_members(state, directory, &updated, &members).await?;
    group_of(state, directory, id).await
}

pub async fn delete_group(
    state: &AppState,
    directory: &Directory,
    id: i64,
) -> Result<(), ApiError> {
    let current = group_of(state, directory, id).await?.group;
    set_members(state, directory, &current, &[]).await?;
    state
        .store
        .delete_scim_group(directory.organization_id(), id)
        .await?;
    record_group(state, directory, id, json!({ "deleted": true })).await
}

/// The org admin's mapping of a group: a department of the organization (or none) and
/// organization roles (never an instance role). Applies to the group's current members.
pub async fn map_group(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    id: i64,
    department_id: Option<i64>,
    roles: Roles,
) -> Result<(), ApiError> {
    OrgAdmin::of(p, organization_id)?;
    let current = state
        .store
        .scim_group(organization_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("no group of this organization with this id"))?;
    if let Some(role) = roles.iter().find(|r| !mappable_roles().contains(r)) {
        return Err(ApiError::invalid(
            "roles",
            format!(
                "a directory group cannot grant the {} role",
                role.label().to_lowercase()
            ),
        ));
    }
    if let Some(department) = department_id {
        let ours = state
            .store
            .department(department)
            .await?
            .is_some_and(|d| d.organization_id == organization_id);
        if !ours {
            return Err(ApiError::invalid(
                "department_id",
                "no department of this organization",
            ));
        }
    }
    let members = state.store.scim_group_members(id).await?;
    // Take back the old mapping, then apply the new one, member by member.
    let mapped = ScimGroup {
        department_id,
        roles: roles.to_stored(),
        ..current.clone()
    };
    state
        .store
        .map_scim_group(organization_id, id, department_id, &roles.to_stored())
        .await?;
    for user_id in &members {
        remap(state, &current, &mapped, *user_id).await?;
    }
    record(
        state,
        Some(p.id()),
        AuditAction::ScimGroupChanged,
        format!("scim_group:{id}"),
        json!({ "mapped": { "department": department_id, "roles": roles.to_stored() } }),
    )
    .await
}

/// A member of a group whose mapping changed from `old` to `new`.
async fn remap(
    state: &AppState,
    old: &ScimGroup,
    new: &ScimGroup,
    user_id: i64,
) -> Result<(), ApiError> {
    let Some(user) = state.store.user(user_id).await? else {
        return Ok(());
    };
    let others: Vec<Roles> = state
        .store
        .scim_groups_of(user.id)
        .await?
        .iter()
        .filter(|g| g.id != old.id)
        .map(group_roles)
        .collect::<Result<_, _>>()?;
    let without = roles_on_leaving(&user.roles, &group_roles(old)?, &others);
    let roles = roles_on_joining(&without, &group_roles(new)?);
    state.store.set_roles(user.id, &roles).await?;
    if new.department_id.is_some() {
        state
            .store
            .set_membership(user.id, user.organization_id, new.department_id)
            .await?;
    } else if old.department_id.is_some() && user.department_id == old.department_id {
        state
            .store
            .set_membership(user.id, user.organization_id, None)
            .await?;
    }
    Ok(())
}

/// The organization's groups for its admin page.
pub async fn admin_groups(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
) -> Result<Vec<Group>, ApiError> {
    OrgAdmin::of(p, organization_id)?;
    let mut all = Vec::new();
    for group in state.store.scim_groups(organization_id).await? {
        all.push(with_members(state, group).await?);
    }
    Ok(all)
}
