//! SCIM provisioning, what it does (the protocol's JSON is `api/scim.rs`): an org admin's
//! directory credentials, and the directory's view of the organization's members —
//! created only through `identity::provision_account`, deactivated, reactivated and removed
//! only through `leaving.rs`. Every change is audited with the credential that made it.

use huddle_core::audit::AuditAction;
use huddle_core::identity::{DisplayName, Email, Roles};
use huddle_store::{NewScimCredential, ScimGroup, ScimUser, StoreError, User};
use serde::Serialize;
use serde_json::json;

use super::audit::record;
use super::identity::{provision_account, ProvisionedAccount, ProvisionedBy};
use super::leaving;
use crate::auth::access::{Directory, OrgAdmin};
use crate::auth::secrets::{hash_secret, new_secret};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// SCIM credentials carry a prefix of their own, so one is recognizable in logs and
/// scanners and is never mistaken for an API token.
pub const CREDENTIAL_PREFIX: &str = "hks_";

/// A credential as its administrators see it (never its secret).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CredentialView {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub created_by: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl From<huddle_store::ScimCredential> for CredentialView {
    fn from(c: huddle_store::ScimCredential) -> Self {
        CredentialView {
            id: c.id,
            name: c.name,
            created_at: c.created_at,
            created_by: c.created_by,
            last_used_at: c.last_used_at,
            revoked_at: c.revoked_at,
        }
    }
}

/// Creates a credential for the organization's directory. Returns it with its secret,
/// which is shown this once.
pub async fn create_credential(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    name: &str,
) -> Result<(CredentialView, String), ApiError> {
    let admin = OrgAdmin::of(p, organization_id)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid("name", "1 to 100 characters"));
    }
    let secret = format!("{CREDENTIAL_PREFIX}{}", new_secret());
    let made = state
        .store
        .create_scim_credential(NewScimCredential {
            organization_id: admin.organization_id(),
            name: name.to_string(),
            secret_hash: hash_secret(&secret),
            created_by: Some(p.id()),
            created_at: state.now(),
        })
        .await?;
    record(
        state,
        Some(p.id()),
        AuditAction::ScimCredentialCreated,
        format!("scim_credential:{}", made.id),
        json!({ "organization": organization_id, "name": name }),
    )
    .await?;
    Ok((made.into(), secret))
}

pub async fn credentials(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
) -> Result<Vec<CredentialView>, ApiError> {
    OrgAdmin::of(p, organization_id)?;
    Ok(state
        .store
        .scim_credentials(organization_id)
        .await?
        .into_iter()
        .map(CredentialView::from)
        .collect())
}

pub async fn revoke_credential(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    id: i64,
) -> Result<(), ApiError> {
    OrgAdmin::of(p, organization_id)?;
    if !state
        .store
        .revoke_scim_credential(organization_id, id, state.now())
        .await?
    {
        return Err(ApiError::not_found(
            "no live SCIM credential with this id here",
        ));
    }
    record(
        state,
        Some(p.id()),
        AuditAction::ScimCredentialRevoked,
        format!("scim_credential:{id}"),
        json!({ "organization": organization_id }),
    )
    .await
}

/// What the directory says of a person, parsed from a SCIM User (POST or PUT, or a GET
/// with a PATCH applied).
#[derive(Debug, Clone)]
pub struct DirectoryPerson {
    pub user_name: String,
    pub email: Email,
    /// The name colleagues see: `displayName`, else one made from the name or `userName`.
    pub display_name: DisplayName,
    /// Whether the directory sent `displayName` itself (a GET answers with it only then).
    pub sent_display_name: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub external_id: Option<String>,
    pub active: bool,
}

impl DirectoryPerson {
    /// The directory said who the person is (a displayName or name parts): their account's
    /// name follows it. Otherwise the account keeps its name.
    fn names_them(&self) -> bool {
        self.sent_display_name || self.given_name.is_some() || self.family_name.is_some()
    }
}

/// A member as the directory sees them: the account, what the directory keeps beside it
/// (none for members who joined otherwise and were never claimed), and their groups.
#[derive(Debug, Clone)]
pub struct Member {
    pub user: User,
    pub record: Option<ScimUser>,
    pub groups: Vec<ScimGroup>,
}

/// Creates the person's account (password-less, address vouched for by the directory), or
/// claims an existing member of this organization with this address. An address whose
/// account is not a member here is refused: the directory never adopts a stranger's
/// account (it may have been registered by someone else).
pub async fn create_user(
    state: &AppState,
    directory: &Directory,
    person: DirectoryPerson,
) -> Result<Member, ApiError> {
    let org = directory.organization_id();
    user_name_is_free(state, directory, &person.user_name, None).await?;
    let existing = state.store.user_by_email(&person.email).await?;
    let (user, created) = match existing {
        Some(u) if u.organization_id == Some(org) => {
            if state.store.scim_user(u.id).await?.is_some() {
                return Err(ApiError::conflict(
                    "the directory already provisioned a member with this address",
                ));
            }
            if person.names_them() && u.display_name != person.display_name.as_str() {
                state
                    .store
                    .set_display_name(u.id, person.display_name.as_str())
                    .await?;
            }
            (u, false)
        }
        Some(_) => {
            return Err(ApiError::conflict(
                "an account with this address exists outside this organization; it is not \
                 adopted by the directory (invite the person instead)",
            ))
        }
        None => {
            let account = ProvisionedAccount {
                email: person.email.clone(),
                display_name: person.display_name.clone(),
                organization_id: org,
                department_id: None,
                roles: Roles::default(),
            };
            let user =
                provision_account(state, account, ProvisionedBy::Directory, directory.owner())
                    .await?;
            (user, true)
        }
    };
    let now = state.now();
    state
        .store
        .save_scim_user(&ScimUser {
            user_id: user.id,
            organization_id: org,
            user_name: person.user_name.clone(),
            display_name: person
                .sent_display_name
                .then(|| person.display_name.as_str().to_string()),
            external_id: person.external_id.clone(),
            given_name: person.given_name.clone(),
            family_name: person.family_name.clone(),
            created_at: now,
            last_modified: now,
        })
        .await?;
    record(
        state,
        None,
        AuditAction::ScimUserChanged,
        format!("user:{}", user.id),
        json!({ "created": created, "claimed": !created, "scim_credential": directory.credential_id() }),
    )
    .await?;
    set_active(state, directory, &user, person.active).await?;
    member(state, directory, user.id).await
}

/// `userName` is unique among the organization's directory records.
async fn user_name_is_free(
    state: &AppState,
    directory: &Directory,
    user_name: &str,
    except: Option<i64>,
) -> Result<(), ApiError> {
    let taken = state
        .store
        .scim_users(directory.organization_id())
        .await?
        .into_iter()
        .any(|r| Some(r.user_id) != except && r.user_name.eq_ignore_ascii_case(user_name));
    if taken {
        return Err(ApiError::conflict("a member has this userName"));
    }
    Ok(())
}

async fn set_active(
    state: &AppState,
    directory: &Directory,
    user: &User,
    active: bool,
) -> Result<(), ApiError> {
    match (active, user.deactivated_at.is_some()) {
        (false, false) => leaving::deactivate_by_directory(state, directory, user.id).await,
        (true, true) => leaving::reactivate_by_directory(state, directory, user.id).await,
        _ => Ok(()),
    }
}

/// One member of the directory's organization; anyone else is not found.
pub async fn member(
    state: &AppState,
    directory: &Directory,
    user_id: i64,
) -> Result<Member, ApiError> {
    let user = state
        .store
        .user(user_id)
        .await?
        .filter(|u| u.organization_id == Some(directory.organization_id()))
        .ok_or_else(|| ApiError::not_found("no member of this organization with this id"))?;
    let record = state.store.scim_user(user.id).await?;
    let groups = state.store.scim_groups_of(user.id).await?;
    Ok(Member {
        user,
        record,
        groups,
    })
}

/// Every member of the directory's organization, deactivated ones included, by id.
pub async fn members(state: &AppState, directory: &Directory) -> Result<Vec<Member>, ApiError> {
    let org = directory.organization_id();
    let mut records = state.store.scim_users(org).await?;
    let groups = state.store.scim_groups(org).await?;
    let mut memberships: Vec<(i64, ScimGroup)> = Vec::new();
    for group in groups {
        for user_id in state.store.scim_group_members(group.id).await? {
            memberships.push((user_id, group.clone()));
        }
    }
    let mut users = state.store.users_in_organization(org).await?;
    users.sort_by_key(|u| u.id);
    Ok(users
        .into_iter()
        .map(|user| {
            let record = records
                .iter()
                .position(|r| r.user_id == user.id)
                .map(|i| records.swap_remove(i));
            let groups = memberships
                .iter()
                .filter(|(u, _)| *u == user.id)
                .map(|(_, g)| g.clone())
                .collect();
            Member {
                user,
                record,
                groups,
            }
        })
        .collect())
}

/// Replaces what the directory says of a member (PUT, and PATCH after its operations).
pub async fn replace_user(
    state: &AppState,
    directory: &Directory,
    user_id: i64,
    person: DirectoryPerson,
) -> Result<Member, ApiError> {
    let current = member(state, directory, user_id).await?;
    let user = &current.user;
    user_name_is_free(state, directory, &person.user_name, Some(user.id)).await?;
    let mut changed = Vec::new();
    if user.email != person.email.as_str() {
        state
            .store
            .set_email(user.id, &person.email, state.now())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => ApiError::conflict("another account has this address"),
                other => other.into(),
            })?;
        changed.push("email");
    }
    if person.names_them() && user.display_name != person.display_name.as_str() {
        state
            .store
            .set_display_name(user.id, person.display_name.as_str())
            .await?;
        changed.push("displayName");
    }
    let now = state.now();
    let record = ScimUser {
        user_id: user.id,
        organization_id: directory.organization_id(),
        user_name: person.user_name.clone(),
        display_name: person
            .sent_display_name
            .then(|| person.display_name.as_str().to_string()),
        external_id: person.external_id.clone(),
        given_name: person.given_name.clone(),
        family_name: person.family_name.clone(),
        created_at: current.record.as_ref().map_or(now, |r| r.created_at),
        last_modified: now,
    };
    state.store.save_scim_user(&record).await?;
    record_change(state, directory, user.id, json!({ "changed": changed })).await?;
    set_active(state, directory, user, person.active).await?;
    member(state, directory, user.id).await
}

/// The directory deletes a member: they leave the organization; the account stays.
pub async fn delete_user(
    state: &AppState,
    directory: &Directory,
    user_id: i64,
) -> Result<(), ApiError> {
    let current = member(state, directory, user_id).await?;
    // Leaving takes their groups' roles and department with them.
    for group in &current.groups {
        super::scim_groups::leave_group(state, directory, group, user_id).await?;
    }
    leaving::remove_by_directory(state, directory, user_id).await
}

pub(super) async fn record_change(
    state: &AppState,
    directory: &Directory,
    user_id: i64,
    mut detail: serde_json::Value,
) -> Result<(), ApiError> {
    detail["scim_credential"] = json!(directory.credential_id());
    record(
        state,
        None,
        AuditAction::ScimUserChanged,
        format!("user:{user_id}"),
        detail,
    )
    .await
}
