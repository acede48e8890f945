//! SCIM 2.0 provisioning: each organization's directory credentials, what the directory
//! says of a member beyond the account (external id, name parts), and the directory's
//! groups with their members and their mapping to a department and roles.

use async_trait::async_trait;
use huddle_core::clock::Millis;
use huddle_core::identity::Email;

use crate::StoreResult;

/// A directory's bearer credential (never its secret: only the hash is stored).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScimCredential {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub secret_hash: String,
    pub created_by: Option<i64>,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
}

#[derive(Debug, Clone)]
pub struct NewScimCredential {
    pub organization_id: i64,
    pub name: String,
    pub secret_hash: String,
    pub created_by: Option<i64>,
    pub created_at: Millis,
}

/// What the directory keeps of a member beside the account itself.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScimUser {
    pub user_id: i64,
    pub organization_id: i64,
    /// The directory's `userName`: the address when it is one, else its own identifier.
    pub user_name: String,
    /// The `displayName` the directory sent, if any (the account's own name is never empty).
    pub display_name: Option<String>,
    pub external_id: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub created_at: Millis,
    pub last_modified: Millis,
}

/// A directory group. `department_id` and `roles` are its mapping, set by an org admin:
/// membership places the person in that department and grants those roles.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScimGroup {
    pub id: i64,
    pub organization_id: i64,
    pub display_name: String,
    pub external_id: Option<String>,
    pub department_id: Option<i64>,
    /// Organization roles, stored as `users.roles` is (`Roles::to_stored`).
    pub roles: String,
    pub created_at: Millis,
    pub last_modified: Millis,
}

#[derive(Debug, Clone)]
pub struct NewScimGroup {
    pub organization_id: i64,
    pub display_name: String,
    pub external_id: Option<String>,
    pub created_at: Millis,
}

#[async_trait]
pub trait ScimStore {
    async fn create_scim_credential(&self, new: NewScimCredential) -> StoreResult<ScimCredential>;
    /// Every credential of the organization, revoked ones too (newest first).
    async fn scim_credentials(&self, organization_id: i64) -> StoreResult<Vec<ScimCredential>>;
    /// The live (not revoked) credential with this hash.
    async fn scim_credential_by_secret(
        &self,
        secret_hash: &str,
    ) -> StoreResult<Option<ScimCredential>>;
    async fn touch_scim_credential(&self, id: i64, at: Millis) -> StoreResult<()>;
    /// False when the organization has no live credential with this id.
    async fn revoke_scim_credential(
        &self,
        organization_id: i64,
        id: i64,
        at: Millis,
    ) -> StoreResult<bool>;

    async fn scim_user(&self, user_id: i64) -> StoreResult<Option<ScimUser>>;
    async fn scim_users(&self, organization_id: i64) -> StoreResult<Vec<ScimUser>>;
    /// Creates or replaces the directory's record of a member.
    async fn save_scim_user(&self, user: &ScimUser) -> StoreResult<()>;
    async fn forget_scim_user(&self, user_id: i64) -> StoreResult<()>;
    /// The directory changes a member's address (verified by it); `Conflict("email")` when
    /// another account has it.
    async fn set_email(&self, user_id: i64, email: &Email, verified_at: Millis) -> StoreResult<()>;
    /// The directory renames a member.
    async fn set_display_name(&self, user_id: i64, display_name: &str) -> StoreResult<()>;

    /// `Conflict("group")` when the organization has a group of this name.
    async fn create_scim_group(&self, new: NewScimGroup) -> StoreResult<ScimGroup>;
    async fn scim_group(&self, organization_id: i64, id: i64) -> StoreResult<Option<ScimGroup>>;
    async fn scim_groups(&self, organization_id: i64) -> StoreResult<Vec<ScimGroup>>;
    /// Saves name, external id and last-modified time (not the mapping).
    async fn update_scim_group(&self, group: &ScimGroup) -> StoreResult<()>;
    /// The org admin's mapping of a group to a department and roles.
    async fn map_scim_group(
        &self,
        organization_id: i64,
        id: i64,
        department_id: Option<i64>,
        roles: &str,
    ) -> StoreResult<bool>;
    async fn delete_scim_group(&self, organization_id: i64, id: i64) -> StoreResult<bool>;
    async fn scim_group_members(&self, group_id: i64) -> StoreResult<Vec<i64>>;
    /// Replaces the group's members with these.
    async fn set_scim_group_members(&self, group_id: i64, user_ids: &[i64]) -> StoreResult<()>;
    /// The groups a person is a member of.
    async fn scim_groups_of(&self, user_id: i64) -> StoreResult<Vec<ScimGroup>>;
}
