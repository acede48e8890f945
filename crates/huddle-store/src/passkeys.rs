//! Passkeys (WebAuthn credentials) and the state of their ceremonies. The store keeps the
//! credential and the ceremony state as the server serialised them (JSON); it never reads
//! inside. A passkey's public key is not a secret, so nothing here is sealed.

use async_trait::async_trait;
use huddle_core::clock::Millis;

use crate::StoreResult;

// Columns map one to one, so the row type is the domain type.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredPasskey {
    pub id: i64,
    pub user_id: i64,
    /// The credential id the authenticator chose (base64url), unique across all accounts.
    pub credential_id: String,
    /// The WebAuthn user handle this account registered with (the same for all of its
    /// passkeys); a discoverable credential gives it back at sign-in.
    pub user_handle: String,
    /// What the person calls it ("work laptop", "phone").
    pub name: String,
    /// The credential as the server serialised it (public key, sign counter, flags).
    pub credential: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
}

#[derive(Debug, Clone)]
pub struct NewPasskey {
    pub user_id: i64,
    pub credential_id: String,
    pub user_handle: String,
    pub name: String,
    pub credential: String,
    pub created_at: Millis,
}

/// A ceremony begun and not yet finished: single use, expiring.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PasskeyCeremony {
    /// The hash of the ceremony id the browser holds (the id itself is never stored).
    pub id_hash: String,
    /// `register`, `second_factor` or `sign_in`.
    pub kind: String,
    /// Whose ceremony it is; none for a passwordless sign-in (the passkey says who).
    pub user_id: Option<i64>,
    /// The server's ceremony state (challenge, expected credentials), serialised.
    pub state: String,
    pub expires_at: Millis,
}

#[async_trait]
pub trait PasskeyStore {
    /// Keeps a ceremony's state until it is taken or expires; ceremonies already expired
    /// are dropped on the way.
    async fn begin_passkey_ceremony(
        &self,
        ceremony: &PasskeyCeremony,
        now: Millis,
    ) -> StoreResult<()>;
    /// Takes a ceremony once: it is deleted in the same statement, and an expired one is
    /// never returned.
    async fn take_passkey_ceremony(
        &self,
        id_hash: &str,
        now: Millis,
    ) -> StoreResult<Option<PasskeyCeremony>>;
    /// Adds a passkey; `Conflict` when its credential id is registered already (to anyone).
    async fn add_passkey(&self, new: NewPasskey) -> StoreResult<StoredPasskey>;
    /// The person's passkeys, oldest first.
    async fn passkeys(&self, user_id: i64) -> StoreResult<Vec<StoredPasskey>>;
    async fn passkey_by_credential(
        &self,
        credential_id: &str,
    ) -> StoreResult<Option<StoredPasskey>>;
    /// After a sign-in with it: its updated credential (counter) and when.
    async fn passkey_used(&self, id: i64, credential: &str, at: Millis) -> StoreResult<()>;
    /// Removes one of the person's passkeys; false when they have none with this id.
    async fn remove_passkey(&self, user_id: i64, id: i64) -> StoreResult<bool>;
}
