//! Identity: organizations, departments, people, sign-in throttling, MFA, time zones.

use huddle_core::clock::Millis;
use huddle_core::identity::{Email, Roles};
use huddle_store::sql::{all, async_trait, one_row};
use huddle_store::{
    Department, IdentityStore, LoginFailure, NewUser, Organization, StoreError, StoreResult, User,
};

use crate::backend::{Db, Store};

// The statements, in the order the methods below use them.
const CREATE_ORGANIZATION: &str =
    "INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING *";
const ORGANIZATIONS: &str = "SELECT * FROM organizations ORDER BY name";
const ORGANIZATION: &str = "SELECT * FROM organizations WHERE id = $1";
const CREATE_DEPARTMENT: &str =
    "INSERT INTO departments (organization_id, name) VALUES ($1, $2) RETURNING *";
const DEPARTMENTS: &str = "SELECT * FROM departments WHERE organization_id = $1 ORDER BY name";
const DEPARTMENT: &str = "SELECT * FROM departments WHERE id = $1";
const CREATE_USER: &str =
    "INSERT INTO users (email, display_name, roles, organization_id, department_id, \
    password_hash, created_at, email_verified_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
    RETURNING *";
const USER: &str = "SELECT * FROM users WHERE id = $1";
const USER_BY_EMAIL: &str = "SELECT * FROM users WHERE email = $1";
const USERS_IN_ORGANIZATION: &str =
    "SELECT * FROM users WHERE organization_id = $1 ORDER BY display_name, id";
const SET_ROLES: &str = "UPDATE users SET roles = $2 WHERE id = $1";
const SET_MEMBERSHIP: &str =
    "UPDATE users SET organization_id = $2, department_id = $3 WHERE id = $1";
const SET_PASSWORD_HASH: &str = "UPDATE users SET password_hash = $2 WHERE id = $1";
const RECORD_LOGIN_FAILURE: &str = "UPDATE users SET \
    failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END, \
    locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END \
    WHERE id = $1 RETURNING failed_logins, locked_until";
const RECORD_LOGIN_SUCCESS: &str =
    "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1";
const SET_TOTP_SECRET: &str =
    "UPDATE users SET totp_secret = $2, totp_last_step = NULL WHERE id = $1";
const ACCEPT_TOTP_STEP: &str =
    "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_secret IS NOT NULL \
    AND (totp_last_step IS NULL OR totp_last_step < $2)";
const DEACTIVATE_USER: &str =
    "UPDATE users SET deactivated_at = $2 WHERE id = $1 AND deactivated_at IS NULL";
const REACTIVATE_USER: &str = "UPDATE users SET deactivated_at = NULL WHERE id = $1";
const END_ACCESS_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
const END_ACCESS_TOKENS: &str = "DELETE FROM api_tokens WHERE user_id = $1";
const END_ACCESS_DEVICES: &str = "DELETE FROM push_subscriptions WHERE user_id = $1";
const SET_TEAM: &str = "UPDATE users SET team = $2 WHERE id = $1";
const SET_STATUS: &str = "UPDATE users SET status = $2, status_message = $3 WHERE id = $1";
const SET_ORGANIZATION_TIME_ZONE: &str = "UPDATE organizations SET time_zone = $2 WHERE id = $1";
const ORGANIZATION_TIME_ZONE: &str = "SELECT time_zone FROM organizations WHERE id = $1";
const SET_USER_TIME_ZONE: &str = "UPDATE users SET time_zone = $2 WHERE id = $1";
const TIME_ZONES: &str = "SELECT u.time_zone, o.time_zone FROM users u \
    LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id = $1";

#[async_trait]
impl IdentityStore for Store {
    async fn create_organization(&self, name: &str, at: Millis) -> StoreResult<Organization> {
        let row = sqlx::query_as::<Db, Organization>(CREATE_ORGANIZATION)
            .bind(name)
            .bind(at)
            .fetch_one(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("organization"))?;
        Ok(row)
    }

    async fn organizations(&self) -> StoreResult<Vec<Organization>> {
        let rows = sqlx::query_as::<Db, Organization>(ORGANIZATIONS)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn organization(&self, id: i64) -> StoreResult<Option<Organization>> {
        let row = sqlx::query_as::<Db, Organization>(ORGANIZATION)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row)
    }

    async fn create_department(&self, organization_id: i64, name: &str) -> StoreResult<Department> {
        let row = sqlx::query_as::<Db, Department>(CREATE_DEPARTMENT)
            .bind(organization_id)
            .bind(name)
            .fetch_one(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("department"))?;
        Ok(row)
    }

    async fn departments(&self, organization_id: i64) -> StoreResult<Vec<Department>> {
        let rows = sqlx::query_as::<Db, Department>(DEPARTMENTS)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn department(&self, id: i64) -> StoreResult<Option<Department>> {
        let row = sqlx::query_as::<Db, Department>(DEPARTMENT)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row)
    }

    async fn create_user(&self, user: NewUser) -> StoreResult<User> {
        let row = sqlx::query_as::<Db, UserRow>(CREATE_USER)
            .bind(user.email.as_str())
            .bind(user.display_name.as_str())
            .bind(user.roles.to_stored())
            .bind(user.organization_id)
            .bind(user.department_id)
            .bind(&user.password_hash)
            .bind(user.created_at)
            .bind(user.email_verified_at)
            .fetch_one(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("email"))?;
        row.try_into()
    }

    async fn user(&self, id: i64) -> StoreResult<Option<User>> {
        sqlx::query_as::<Db, UserRow>(USER)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        sqlx::query_as::<Db, UserRow>(USER_BY_EMAIL)
            .bind(email.as_str())
            .fetch_optional(&mut *self.reader().await?)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    async fn users_in_organization(&self, organization_id: i64) -> StoreResult<Vec<User>> {
        let rows = sqlx::query_as::<Db, UserRow>(USERS_IN_ORGANIZATION)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        all(rows)
    }

    async fn set_roles(&self, user_id: i64, roles: &Roles) -> StoreResult<()> {
        let done = sqlx::query(SET_ROLES)
            .bind(user_id)
            .bind(roles.to_stored())
            .execute(&mut *self.writer().await?)
            .await?;
        one_row(done.rows_affected())
    }

    async fn set_membership(
        &self,
        user_id: i64,
        organization_id: Option<i64>,
        department_id: Option<i64>,
    ) -> StoreResult<()> {
        let done = sqlx::query(SET_MEMBERSHIP)
            .bind(user_id)
            .bind(organization_id)
            .bind(department_id)
            .execute(&mut *self.writer().await?)
            .await?;
        one_row(done.rows_affected())
    }

    async fn set_password_hash(&self, user_id: i64, hash: &str) -> StoreResult<()> {
        let done = sqlx::query(SET_PASSWORD_HASH)
            .bind(user_id)
            .bind(hash)
            .execute(&mut *self.writer().await?)
            .await?;
        one_row(done.rows_affected())
    }

    async fn record_login_failure(
        &self,
        user_id: i64,
        at: Millis,
        threshold: i64,
        lock_for: Millis,
    ) -> StoreResult<LoginFailure> {
        let until = at.saturating_add(lock_for);
        let row: Option<(i64, Option<i64>)> = sqlx::query_as(RECORD_LOGIN_FAILURE)
            .bind(user_id)
            .bind(threshold)
            .bind(until)
            .fetch_optional(&mut *self.writer().await?)
            .await?;
        let (failed_logins, locked_until) = row.ok_or(StoreError::NotFound)?;
        Ok(LoginFailure {
            failed_logins,
            locked_until: locked_until.filter(|&u| u == until),
        })
    }

    async fn record_login_success(&self, user_id: i64) -> StoreResult<()> {
        sqlx::query(RECORD_LOGIN_SUCCESS)
            .bind(user_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn set_totp_secret(&self, user_id: i64, secret: Option<&str>) -> StoreResult<()> {
        let done = sqlx::query(SET_TOTP_SECRET)
            .bind(user_id)
            .bind(secret)
            .execute(&mut *self.writer().await?)
            .await?;
        one_row(done.rows_affected())
    }

    async fn accept_totp_step(&self, user_id: i64, step: i64) -> StoreResult<bool> {
        let done = sqlx::query(ACCEPT_TOTP_STEP)
            .bind(user_id)
            .bind(step)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn deactivate_user(&self, user_id: i64, at: Millis) -> StoreResult<bool> {
        let done = sqlx::query(DEACTIVATE_USER)
            .bind(user_id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn reactivate_user(&self, user_id: i64) -> StoreResult<()> {
        sqlx::query(REACTIVATE_USER)
            .bind(user_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn end_access(&self, user_id: i64) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let mut ended = 0;
        for statement in [END_ACCESS_SESSIONS, END_ACCESS_TOKENS, END_ACCESS_DEVICES] {
            ended += sqlx::query(statement)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(ended)
    }

    async fn set_team(&self, user_id: i64, team: &str) -> StoreResult<()> {
        let done = sqlx::query(SET_TEAM)
            .bind(user_id)
            .bind(team)
            .execute(&mut *self.writer().await?)
            .await?;
        one_row(done.rows_affected())
    }

    async fn set_status(&self, user_id: i64, status: &str, message: &str) -> StoreResult<()> {
        let done = sqlx::query(SET_STATUS)
            .bind(user_id)
            .bind(status)
            .bind(message)
            .execute(&mut *self.writer().await?)
            .await?;
        one_row(done.rows_affected())
    }

    async fn set_organization_time_zone(
        &self,
        organization_id: i64,
        zone: Option<&str>,
    ) -> StoreResult<()> {
        let done = sqlx::query(SET_ORGANIZATION_TIME_ZONE)
            .bind(organization_id)
            .bind(zone)
            .execute(&mut *self.writer().await?)
            .await?;
        one_row(done.rows_affected())
    }

    async fn organization_time_zone(&self, organization_id: i64) -> StoreResult<Option<String>> {
        let zone: Option<Option<String>> = sqlx::query_scalar(ORGANIZATION_TIME_ZONE)
            .bind(organization_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(zone.flatten())
    }

    async fn set_user_time_zone(&self, user_id: i64, zone: Option<&str>) -> StoreResult<()> {
        let done = sqlx::query(SET_USER_TIME_ZONE)
            .bind(user_id)
            .bind(zone)
            .execute(&mut *self.writer().await?)
            .await?;
        one_row(done.rows_affected())
    }

    async fn time_zones(&self, user_id: i64) -> StoreResult<(Option<String>, Option<String>)> {
        let zones: Option<(Option<String>, Option<String>)> = sqlx::query_as(TIME_ZONES)
            .bind(user_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(zones.unwrap_or_default())
    }
}

/// A user as stored: `roles` is text until it parses.
#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub(crate) id: i64,
    pub(crate) email: String,
    pub(crate) display_name: String,
    pub(crate) roles: String,
    pub(crate) organization_id: Option<i64>,
    pub(crate) department_id: Option<i64>,
    pub(crate) password_hash: String,
    pub(crate) totp_secret: Option<String>,
    pub(crate) totp_last_step: Option<i64>,
    pub(crate) failed_logins: i64,
    pub(crate) locked_until: Option<i64>,
    pub(crate) created_at: i64,
    pub(crate) status: String,
    pub(crate) status_message: String,
    pub(crate) team: String,
    pub(crate) deactivated_at: Option<i64>,
    pub(crate) email_verified_at: Option<i64>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        let roles = Roles::from_stored(&r.roles)
            .map_err(|e| StoreError::Corrupt(format!("user {}: {e}", r.id)))?;
        Ok(User {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            roles,
            organization_id: r.organization_id,
            department_id: r.department_id,
            password_hash: r.password_hash,
            totp_secret: r.totp_secret,
            totp_last_step: r.totp_last_step,
            failed_logins: r.failed_logins,
            locked_until: r.locked_until,
            created_at: r.created_at,
            status: r.status,
            status_message: r.status_message,
            team: r.team,
            deactivated_at: r.deactivated_at,
            email_verified_at: r.email_verified_at,
        })
    }
}
