//! Invitations and mailed links (address proof, password reset).

use huddle_core::clock::Millis;
use huddle_core::identity::Roles;
use huddle_store::sql::{all, async_trait};
use huddle_store::{
    Invitation, InvitationStore, LinkPurpose, NewInvitation, StoreError, StoreResult, UsedLink,
};

use crate::backend::{Db, Store};

const REVOKE_PENDING_FOR: &str = "UPDATE invitations SET revoked_at = $3 \
    WHERE organization_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL";
const CREATE_INVITATION: &str = "INSERT INTO invitations (organization_id, email, \
    department_id, roles, token_hash, invited_by, created_at, expires_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *";
const INVITATION: &str = "SELECT * FROM invitations WHERE id = $1";
const INVITATION_BY_TOKEN: &str = "SELECT * FROM invitations WHERE token_hash = $1";
const INVITATIONS: &str = "SELECT * FROM invitations WHERE organization_id = $1 \
    ORDER BY created_at DESC, id DESC LIMIT $2";
const ACCEPT_INVITATION: &str = "UPDATE invitations SET accepted_at = $3, accepted_by = $2 \
    WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3";
const REVOKE_INVITATION: &str = "UPDATE invitations SET revoked_at = $2 \
    WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL";
const RETIRE_LINKS: &str = "UPDATE email_links SET used_at = $3 \
    WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL";
const CREATE_LINK: &str = "INSERT INTO email_links \
    (token_hash, user_id, purpose, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
const USE_LINK: &str = "UPDATE email_links SET used_at = $3 \
    WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
    RETURNING user_id, email";
const LINK_VALID: &str = "SELECT COUNT(*) FROM email_links \
    WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3";
const SET_EMAIL_VERIFIED: &str =
    "UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL";
const RECLAIM: &str = "UPDATE users SET display_name = $2, password_hash = $3, \
    totp_secret = NULL, totp_last_step = NULL, failed_logins = 0, locked_until = NULL, \
    email_verified_at = $4 WHERE id = $1 AND email_verified_at IS NULL";
const END_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
const END_TOKENS: &str = "DELETE FROM api_tokens WHERE user_id = $1";

#[async_trait]
impl InvitationStore for Store {
    async fn create_invitation(&self, new: NewInvitation<'_>) -> StoreResult<Invitation> {
        let mut tx = self.begin_write().await?;
        sqlx::query(REVOKE_PENDING_FOR)
            .bind(new.organization_id)
            .bind(new.email)
            .bind(new.created_at)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query_as::<Db, InvitationRow>(CREATE_INVITATION)
            .bind(new.organization_id)
            .bind(new.email)
            .bind(new.department_id)
            .bind(new.roles.to_stored())
            .bind(new.token_hash)
            .bind(new.invited_by)
            .bind(new.created_at)
            .bind(new.expires_at)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        row.try_into()
    }

    async fn invitation(&self, id: i64) -> StoreResult<Option<Invitation>> {
        sqlx::query_as::<Db, InvitationRow>(INVITATION)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    async fn invitation_by_token(&self, token_hash: &str) -> StoreResult<Option<Invitation>> {
        sqlx::query_as::<Db, InvitationRow>(INVITATION_BY_TOKEN)
            .bind(token_hash)
            .fetch_optional(&mut *self.reader().await?)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    async fn invitations(&self, organization_id: i64, limit: i64) -> StoreResult<Vec<Invitation>> {
        let rows = sqlx::query_as::<Db, InvitationRow>(INVITATIONS)
            .bind(organization_id)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        all(rows)
    }

    async fn accept_invitation(&self, id: i64, user_id: i64, at: Millis) -> StoreResult<bool> {
        let done = sqlx::query(ACCEPT_INVITATION)
            .bind(id)
            .bind(user_id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn revoke_invitation(&self, id: i64, at: Millis) -> StoreResult<bool> {
        let done = sqlx::query(REVOKE_INVITATION)
            .bind(id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn create_email_link(
        &self,
        token_hash: &str,
        user_id: i64,
        purpose: LinkPurpose,
        email: &str,
        at: Millis,
        expires_at: Millis,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(RETIRE_LINKS)
            .bind(user_id)
            .bind(purpose.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(CREATE_LINK)
            .bind(token_hash)
            .bind(user_id)
            .bind(purpose.as_str())
            .bind(email)
            .bind(at)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn use_email_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        at: Millis,
    ) -> StoreResult<Option<UsedLink>> {
        let row = sqlx::query_as::<Db, UsedLink>(USE_LINK)
            .bind(token_hash)
            .bind(purpose.as_str())
            .bind(at)
            .fetch_optional(&mut *self.writer().await?)
            .await?;
        Ok(row)
    }

    async fn email_link_valid(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        at: Millis,
    ) -> StoreResult<bool> {
        let (n,): (i64,) = sqlx::query_as(LINK_VALID)
            .bind(token_hash)
            .bind(purpose.as_str())
            .bind(at)
            .fetch_one(&mut *self.reader().await?)
            .await?;
        Ok(n > 0)
    }

    async fn set_email_verified(&self, user_id: i64, at: Millis) -> StoreResult<()> {
        sqlx::query(SET_EMAIL_VERIFIED)
            .bind(user_id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn reclaim_unverified_account(
        &self,
        user_id: i64,
        display_name: &str,
        password_hash: &str,
        at: Millis,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(RECLAIM)
            .bind(user_id)
            .bind(display_name)
            .bind(password_hash)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        for statement in [END_SESSIONS, END_TOKENS] {
            sqlx::query(statement)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: i64,
    organization_id: i64,
    email: String,
    department_id: Option<i64>,
    roles: String,
    invited_by: Option<i64>,
    created_at: i64,
    expires_at: i64,
    accepted_at: Option<i64>,
    accepted_by: Option<i64>,
    revoked_at: Option<i64>,
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = StoreError;
    fn try_from(r: InvitationRow) -> Result<Self, StoreError> {
        let roles = Roles::from_stored(&r.roles)
            .map_err(|e| StoreError::Corrupt(format!("invitation {}: {e}", r.id)))?;
        Ok(Invitation {
            id: r.id,
            organization_id: r.organization_id,
            email: r.email,
            department_id: r.department_id,
            roles,
            invited_by: r.invited_by,
            created_at: r.created_at,
            expires_at: r.expires_at,
            accepted_at: r.accepted_at,
            accepted_by: r.accepted_by,
            revoked_at: r.revoked_at,
        })
    }
}
