//! Server-side sessions for the browser, and personal API tokens for API clients. Only
//! SHA-256 hashes of the secrets are stored, so a database dump opens no account.

use async_trait::async_trait;
use huddle_core::clock::Millis;

use crate::{StoreResult, User};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Session {
    pub id_hash: String,
    pub user_id: i64,
    /// The synchronizer token every cookie-authenticated state change must carry.
    pub csrf_token: String,
    pub created_at: Millis,
    pub last_seen_at: Millis,
    /// True between the password step and the TOTP step: such a session opens nothing else.
    pub mfa_pending: bool,
    /// When the session ends however active it is, if sooner than the absolute timeout
    /// (single sign-on's maximum age, so the identity provider is asked again).
    pub expires_at: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub token_hash: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
}

#[async_trait]
pub trait SessionStore {
    async fn create_session(&self, session: &Session) -> StoreResult<()>;
    async fn session(&self, id_hash: &str) -> StoreResult<Option<Session>>;
    async fn touch_session(&self, id_hash: &str, at: Millis) -> StoreResult<()>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    /// Signs a person out everywhere but `except` (after a password change, say).
    async fn delete_user_sessions(&self, user_id: i64, except: Option<&str>) -> StoreResult<u64>;
    /// Removes sessions idle since before `idle_before` or created before `created_before`.
    async fn delete_expired_sessions(
        &self,
        idle_before: Millis,
        created_before: Millis,
    ) -> StoreResult<u64>;

    /// `Conflict("token name")` when the person already has a token of that name.
    async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        at: Millis,
    ) -> StoreResult<ApiToken>;
    /// The token with this hash and the person it belongs to, in one read: every API
    /// request asks.
    async fn api_token_owner(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, User)>>;
    async fn api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiToken>>;
    async fn touch_api_token(&self, id: i64, at: Millis) -> StoreResult<()>;
    /// Only the owner's own tokens; false when there was none with that id.
    async fn revoke_api_token(&self, user_id: i64, id: i64) -> StoreResult<bool>;
}
