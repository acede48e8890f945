//! Sessions and API tokens.

use huddle_core::clock::Millis;
use huddle_store::sql::async_trait;
use huddle_store::{ApiToken, Session, SessionStore, StoreError, StoreResult, User};

use crate::backend::{Db, Store};
use crate::sql::identity::UserRow;

// The statements, in the order the methods below use them.
const CREATE_SESSION: &str =
    "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, \
    mfa_pending, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const SESSION: &str = "SELECT * FROM sessions WHERE id_hash = $1";
const TOUCH_SESSION: &str = "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1";
const DELETE_SESSION: &str = "DELETE FROM sessions WHERE id_hash = $1";
const DELETE_USER_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2";
const DELETE_EXPIRED_SESSIONS: &str =
    "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2";
const CREATE_API_TOKEN: &str = "INSERT INTO api_tokens (user_id, name, token_hash, created_at) \
    VALUES ($1, $2, $3, $4) RETURNING *";
const API_TOKEN_OWNER: &str = "SELECT u.*, t.id AS token_id, t.name AS token_name, \
    t.created_at AS token_created_at, t.last_used_at AS token_last_used_at \
    FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1";
const API_TOKENS: &str = "SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id";
const TOUCH_API_TOKEN: &str = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1";
const REVOKE_API_TOKEN: &str = "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2";

#[async_trait]
impl SessionStore for Store {
    async fn create_session(&self, s: &Session) -> StoreResult<()> {
        sqlx::query(CREATE_SESSION)
            .bind(&s.id_hash)
            .bind(s.user_id)
            .bind(&s.csrf_token)
            .bind(s.created_at)
            .bind(s.last_seen_at)
            .bind(s.mfa_pending)
            .bind(s.expires_at)
            .execute(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("session"))?;
        Ok(())
    }

    async fn session(&self, id_hash: &str) -> StoreResult<Option<Session>> {
        let row = sqlx::query_as::<Db, Session>(SESSION)
            .bind(id_hash)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row)
    }

    async fn touch_session(&self, id_hash: &str, at: Millis) -> StoreResult<()> {
        sqlx::query(TOUCH_SESSION)
            .bind(id_hash)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query(DELETE_SESSION)
            .bind(id_hash)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn delete_user_sessions(&self, user_id: i64, except: Option<&str>) -> StoreResult<u64> {
        let done = sqlx::query(DELETE_USER_SESSIONS)
            .bind(user_id)
            .bind(except.unwrap_or(""))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected())
    }

    async fn delete_expired_sessions(
        &self,
        idle_before: Millis,
        created_before: Millis,
    ) -> StoreResult<u64> {
        let done = sqlx::query(DELETE_EXPIRED_SESSIONS)
            .bind(idle_before)
            .bind(created_before)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected())
    }

    async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        at: Millis,
    ) -> StoreResult<ApiToken> {
        let row = sqlx::query_as::<Db, ApiToken>(CREATE_API_TOKEN)
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(at)
            .fetch_one(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("token name"))?;
        Ok(row)
    }

    async fn api_token_owner(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, User)>> {
        let row = sqlx::query_as::<Db, TokenOwnerRow>(API_TOKEN_OWNER)
            .bind(token_hash)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.map(|r| r.into_parts(token_hash)).transpose()
    }

    async fn api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiToken>> {
        let rows = sqlx::query_as::<Db, ApiToken>(API_TOKENS)
            .bind(user_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn touch_api_token(&self, id: i64, at: Millis) -> StoreResult<()> {
        sqlx::query(TOUCH_API_TOKEN)
            .bind(id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn revoke_api_token(&self, user_id: i64, id: i64) -> StoreResult<bool> {
        let done = sqlx::query(REVOKE_API_TOKEN)
            .bind(id)
            .bind(user_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// A token with its owner's row (`api_token_owner`).
#[derive(sqlx::FromRow)]
pub(crate) struct TokenOwnerRow {
    #[sqlx(flatten)]
    pub(crate) user: UserRow,
    pub(crate) token_id: i64,
    pub(crate) token_name: String,
    pub(crate) token_created_at: i64,
    pub(crate) token_last_used_at: Option<i64>,
}

impl TokenOwnerRow {
    pub(crate) fn into_parts(self, token_hash: &str) -> Result<(ApiToken, User), StoreError> {
        let token = ApiToken {
            id: self.token_id,
            user_id: self.user.id,
            name: self.token_name,
            token_hash: token_hash.to_string(),
            created_at: self.token_created_at,
            last_used_at: self.token_last_used_at,
        };
        Ok((token, self.user.try_into()?))
    }
}
