//! Invitations to join an organization, and the single-use links mailed to a person to
//! prove their address or reset their password. Only hashes of the links' secrets are kept.

use async_trait::async_trait;
use huddle_core::clock::Millis;
use huddle_core::identity::Roles;

use crate::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub organization_id: i64,
    pub email: String,
    pub department_id: Option<i64>,
    pub roles: Roles,
    pub invited_by: Option<i64>,
    pub created_at: Millis,
    pub expires_at: Millis,
    pub accepted_at: Option<Millis>,
    pub accepted_by: Option<i64>,
    pub revoked_at: Option<Millis>,
}

#[derive(Debug, Clone)]
pub struct NewInvitation<'a> {
    pub organization_id: i64,
    /// Already checked (`Email::parse`), lower-cased.
    pub email: &'a str,
    pub department_id: Option<i64>,
    pub roles: &'a Roles,
    pub token_hash: &'a str,
    pub invited_by: Option<i64>,
    pub created_at: Millis,
    pub expires_at: Millis,
}

/// What a mailed link lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    VerifyEmail,
    ResetPassword,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::VerifyEmail => "verify_email",
            LinkPurpose::ResetPassword => "reset_password",
        }
    }
}

/// A link that was valid and is now used up.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UsedLink {
    pub user_id: i64,
    /// The address it was sent to: the link proves that one only.
    pub email: String,
}

#[async_trait]
pub trait InvitationStore {
    /// Creating an invitation replaces (revokes) any pending one for the same address and
    /// organization, so only the newest link works.
    async fn create_invitation(&self, invitation: NewInvitation<'_>) -> StoreResult<Invitation>;
    async fn invitation(&self, id: i64) -> StoreResult<Option<Invitation>>;
    async fn invitation_by_token(&self, token_hash: &str) -> StoreResult<Option<Invitation>>;
    /// The organization's invitations, newest first (pending, accepted, revoked, expired).
    async fn invitations(&self, organization_id: i64, limit: i64) -> StoreResult<Vec<Invitation>>;
    /// Marks a pending invitation accepted by `user_id`: false when it was no longer
    /// pending (accepted, revoked or expired at `at`). Atomic, so a link works once.
    async fn accept_invitation(&self, id: i64, user_id: i64, at: Millis) -> StoreResult<bool>;
    /// False when it was not pending.
    async fn revoke_invitation(&self, id: i64, at: Millis) -> StoreResult<bool>;

    /// Stores a link for `user_id` at `email`; earlier unused links of the same purpose for
    /// that person stop working.
    async fn create_email_link(
        &self,
        token_hash: &str,
        user_id: i64,
        purpose: LinkPurpose,
        email: &str,
        at: Millis,
        expires_at: Millis,
    ) -> StoreResult<()>;
    /// Uses a link up: `Some` only the first time, before it expires, for its purpose.
    async fn use_email_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        at: Millis,
    ) -> StoreResult<Option<UsedLink>>;
    /// Whether the link would be accepted now (to show its form), without using it.
    async fn email_link_valid(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        at: Millis,
    ) -> StoreResult<bool>;
    async fn set_email_verified(&self, user_id: i64, at: Millis) -> StoreResult<()>;
    /// Takes over an account nobody could ever use (its address never proved): new name
    /// and password, no second factor, no sessions. For the address's real owner, who
    /// proved their mailbox, when a stranger had signed up with it first.
    async fn reclaim_unverified_account(
        &self,
        user_id: i64,
        display_name: &str,
        password_hash: &str,
        at: Millis,
    ) -> StoreResult<bool>;
}
