//! Single sign-on: each organization's connection to its OpenID provider, the email
//! domains it has verified, and sign-ins on their way through the provider.

use async_trait::async_trait;
use huddle_core::clock::Millis;

use crate::StoreResult;

/// An organization's OpenID Connect client at its identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoConnection {
    pub organization_id: i64,
    pub issuer: String,
    pub client_id: String,
    /// Sealed under `KeyOwner::SingleSignOn(organization_id)`.
    pub client_secret_sealed: Vec<u8>,
    /// The ID-token claim read as the person's address.
    pub email_claim: String,
    /// Sorted; each belongs to this organization alone.
    pub domains: Vec<String>,
    /// Passwords are off for the organization's members.
    pub sso_only: bool,
    pub updated_at: Millis,
}

/// A sign-in sent to the provider and not yet back: what the callback needs to finish it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SsoAttempt {
    pub state_hash: String,
    pub organization_id: i64,
    pub nonce: String,
    pub pkce_verifier: String,
    /// The callback address the provider was given; the code exchange repeats it.
    pub redirect_uri: String,
    /// Where to go after signing in (already checked to be a local path).
    pub next: Option<String>,
    pub expires_at: Millis,
}

#[async_trait]
pub trait SsoStore {
    async fn sso_connection(&self, organization_id: i64) -> StoreResult<Option<SsoConnection>>;
    /// The connection of the organization that verified this email domain.
    async fn sso_connection_for_domain(&self, domain: &str) -> StoreResult<Option<SsoConnection>>;
    /// Creates or replaces the organization's connection and its domains, in one
    /// transaction. `Conflict("email domain")` when another organization has one of them.
    async fn save_sso_connection(&self, connection: &SsoConnection) -> StoreResult<()>;
    /// Whether an account of another organization (or of none) has an address in this
    /// domain: such a domain is not the organization's alone to claim.
    async fn domain_has_outside_accounts(
        &self,
        domain: &str,
        organization_id: i64,
    ) -> StoreResult<bool>;
    /// Removes the connection and its domains; false when there was none.
    async fn remove_sso_connection(&self, organization_id: i64) -> StoreResult<bool>;

    async fn create_sso_attempt(&self, attempt: &SsoAttempt) -> StoreResult<()>;
    /// The attempt with this state, removed in the same step so it works once; `None` when
    /// there is none or it expired before `now`.
    async fn take_sso_attempt(
        &self,
        state_hash: &str,
        now: Millis,
    ) -> StoreResult<Option<SsoAttempt>>;
    /// Forgets attempts that expired before `now`; returns how many.
    async fn delete_expired_sso_attempts(&self, now: Millis) -> StoreResult<u64>;
}
