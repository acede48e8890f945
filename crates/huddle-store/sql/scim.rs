//! SCIM provisioning: directory credentials, members' directory attributes, groups.

use huddle_core::clock::Millis;
use huddle_core::identity::Email;
use huddle_store::sql::async_trait;
use huddle_store::{
    NewScimCredential, NewScimGroup, ScimCredential, ScimGroup, ScimStore, ScimUser, StoreError,
    StoreResult,
};

use crate::backend::{Db, Store};

const CREATE_CREDENTIAL: &str = "INSERT INTO scim_credentials \
    (organization_id, name, secret_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
    RETURNING *";
const CREDENTIALS: &str =
    "SELECT * FROM scim_credentials WHERE organization_id = $1 ORDER BY id DESC";
const CREDENTIAL_BY_SECRET: &str =
    "SELECT * FROM scim_credentials WHERE secret_hash = $1 AND revoked_at IS NULL";
const TOUCH_CREDENTIAL: &str = "UPDATE scim_credentials SET last_used_at = $2 WHERE id = $1";
const REVOKE_CREDENTIAL: &str = "UPDATE scim_credentials SET revoked_at = $3 \
    WHERE organization_id = $1 AND id = $2 AND revoked_at IS NULL";

const USER: &str = "SELECT * FROM scim_users WHERE user_id = $1";
const USERS: &str = "SELECT * FROM scim_users WHERE organization_id = $1 ORDER BY user_id";
const SAVE_USER: &str = "INSERT INTO scim_users \
    (user_id, organization_id, user_name, display_name, external_id, given_name, family_name, \
    created_at, last_modified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
    ON CONFLICT (user_id) DO UPDATE SET \
    organization_id = excluded.organization_id, user_name = excluded.user_name, \
    display_name = excluded.display_name, \
    external_id = excluded.external_id, \
    given_name = excluded.given_name, family_name = excluded.family_name, \
    last_modified = excluded.last_modified";
const FORGET_USER: &str = "DELETE FROM scim_users WHERE user_id = $1";
const FORGET_USER_GROUPS: &str = "DELETE FROM scim_group_members WHERE user_id = $1";
const SET_EMAIL: &str = "UPDATE users SET email = $2, email_verified_at = $3 WHERE id = $1";
const SET_DISPLAY_NAME: &str = "UPDATE users SET display_name = $2 WHERE id = $1";

const CREATE_GROUP: &str = "INSERT INTO scim_groups \
    (organization_id, display_name, external_id, created_at, last_modified) \
    VALUES ($1, $2, $3, $4, $4) RETURNING *";
const GROUP: &str = "SELECT * FROM scim_groups WHERE organization_id = $1 AND id = $2";
const GROUPS: &str = "SELECT * FROM scim_groups WHERE organization_id = $1 ORDER BY id";
const UPDATE_GROUP: &str = "UPDATE scim_groups SET display_name = $3, external_id = $4, \
    last_modified = $5 WHERE organization_id = $1 AND id = $2";
const MAP_GROUP: &str = "UPDATE scim_groups SET department_id = $3, roles = $4 \
    WHERE organization_id = $1 AND id = $2";
const DELETE_GROUP_MEMBERS: &str = "DELETE FROM scim_group_members WHERE group_id = $1";
const DELETE_GROUP: &str = "DELETE FROM scim_groups WHERE organization_id = $1 AND id = $2";
const GROUP_MEMBERS: &str =
    "SELECT user_id FROM scim_group_members WHERE group_id = $1 ORDER BY user_id";
const ADD_GROUP_MEMBER: &str = "INSERT INTO scim_group_members (group_id, user_id) \
    VALUES ($1, $2) ON CONFLICT DO NOTHING";
const GROUPS_OF: &str = "SELECT g.* FROM scim_groups g \
    JOIN scim_group_members m ON m.group_id = g.id WHERE m.user_id = $1 ORDER BY g.id";

#[async_trait]
impl ScimStore for Store {
    async fn create_scim_credential(&self, n: NewScimCredential) -> StoreResult<ScimCredential> {
        sqlx::query_as::<Db, ScimCredential>(CREATE_CREDENTIAL)
            .bind(n.organization_id)
            .bind(&n.name)
            .bind(&n.secret_hash)
            .bind(n.created_by)
            .bind(n.created_at)
            .fetch_one(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("credential"))
    }

    async fn scim_credentials(&self, organization_id: i64) -> StoreResult<Vec<ScimCredential>> {
        Ok(sqlx::query_as::<Db, ScimCredential>(CREDENTIALS)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn scim_credential_by_secret(
        &self,
        secret_hash: &str,
    ) -> StoreResult<Option<ScimCredential>> {
        Ok(sqlx::query_as::<Db, ScimCredential>(CREDENTIAL_BY_SECRET)
            .bind(secret_hash)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn touch_scim_credential(&self, id: i64, at: Millis) -> StoreResult<()> {
        sqlx::query(TOUCH_CREDENTIAL)
            .bind(id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn revoke_scim_credential(
        &self,
        organization_id: i64,
        id: i64,
        at: Millis,
    ) -> StoreResult<bool> {
        let done = sqlx::query(REVOKE_CREDENTIAL)
            .bind(organization_id)
            .bind(id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn scim_user(&self, user_id: i64) -> StoreResult<Option<ScimUser>> {
        Ok(sqlx::query_as::<Db, ScimUser>(USER)
            .bind(user_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn scim_users(&self, organization_id: i64) -> StoreResult<Vec<ScimUser>> {
        Ok(sqlx::query_as::<Db, ScimUser>(USERS)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn save_scim_user(&self, u: &ScimUser) -> StoreResult<()> {
        sqlx::query(SAVE_USER)
            .bind(u.user_id)
            .bind(u.organization_id)
            .bind(&u.user_name)
            .bind(&u.display_name)
            .bind(&u.external_id)
            .bind(&u.given_name)
            .bind(&u.family_name)
            .bind(u.created_at)
            .bind(u.last_modified)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn forget_scim_user(&self, user_id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for statement in [FORGET_USER_GROUPS, FORGET_USER] {
            sqlx::query(statement)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn set_email(&self, user_id: i64, email: &Email, verified_at: Millis) -> StoreResult<()> {
        sqlx::query(SET_EMAIL)
            .bind(user_id)
            .bind(email.as_str())
            .bind(verified_at)
            .execute(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("email"))?;
        Ok(())
    }

    async fn set_display_name(&self, user_id: i64, display_name: &str) -> StoreResult<()> {
        sqlx::query(SET_DISPLAY_NAME)
            .bind(user_id)
            .bind(display_name)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn create_scim_group(&self, n: NewScimGroup) -> StoreResult<ScimGroup> {
        sqlx::query_as::<Db, ScimGroup>(CREATE_GROUP)
            .bind(n.organization_id)
            .bind(&n.display_name)
            .bind(&n.external_id)
            .bind(n.created_at)
            .fetch_one(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("group"))
    }

    async fn scim_group(&self, organization_id: i64, id: i64) -> StoreResult<Option<ScimGroup>> {
        Ok(sqlx::query_as::<Db, ScimGroup>(GROUP)
            .bind(organization_id)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn scim_groups(&self, organization_id: i64) -> StoreResult<Vec<ScimGroup>> {
        Ok(sqlx::query_as::<Db, ScimGroup>(GROUPS)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn update_scim_group(&self, g: &ScimGroup) -> StoreResult<()> {
        sqlx::query(UPDATE_GROUP)
            .bind(g.organization_id)
            .bind(g.id)
            .bind(&g.display_name)
            .bind(&g.external_id)
            .bind(g.last_modified)
            .execute(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("group"))?;
        Ok(())
    }

    async fn map_scim_group(
        &self,
        organization_id: i64,
        id: i64,
        department_id: Option<i64>,
        roles: &str,
    ) -> StoreResult<bool> {
        let done = sqlx::query(MAP_GROUP)
            .bind(organization_id)
            .bind(id)
            .bind(department_id)
            .bind(roles)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_scim_group(&self, organization_id: i64, id: i64) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let Some(_) = sqlx::query_as::<Db, ScimGroup>(GROUP)
            .bind(organization_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(false);
        };
        sqlx::query(DELETE_GROUP_MEMBERS)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(DELETE_GROUP)
            .bind(organization_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn scim_group_members(&self, group_id: i64) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar::<Db, i64>(GROUP_MEMBERS)
            .bind(group_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn set_scim_group_members(&self, group_id: i64, user_ids: &[i64]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(DELETE_GROUP_MEMBERS)
            .bind(group_id)
            .execute(&mut *tx)
            .await?;
        for user_id in user_ids {
            sqlx::query(ADD_GROUP_MEMBER)
                .bind(group_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn scim_groups_of(&self, user_id: i64) -> StoreResult<Vec<ScimGroup>> {
        Ok(sqlx::query_as::<Db, ScimGroup>(GROUPS_OF)
            .bind(user_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }
}
