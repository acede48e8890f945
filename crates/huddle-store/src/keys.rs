//! Wrapped data keys, by owner (see [`huddle_core::keys::KeyOwner`]). Organizations' keys
//! and secrets live in `data_keys`; a clinician's own key in `wellbeing_keys`, next to the
//! answers it seals, so erasing their data takes the key with it. The store sees wrapped
//! keys only.

use async_trait::async_trait;
use huddle_core::clock::Millis;
use huddle_core::keys::KeyOwner;

use crate::StoreResult;

/// A key as stored: wrapped by the master key, named by its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey {
    pub owner: KeyOwner,
    pub wrapped: Vec<u8>,
}

#[async_trait]
pub trait KeyStore {
    /// The wrapped key of an owner, or none yet.
    async fn wrapped_key(&self, owner: KeyOwner) -> StoreResult<Option<Vec<u8>>>;
    /// Stores a wrapped key unless one exists; returns the stored one either way, so two
    /// nodes creating it at once agree on one.
    async fn create_wrapped_key(
        &self,
        owner: KeyOwner,
        wrapped: &[u8],
        at: Millis,
    ) -> StoreResult<Vec<u8>>;
    /// Every wrapped key, for master key rotation.
    async fn wrapped_keys(&self) -> StoreResult<Vec<WrappedKey>>;
    /// Replaces wrapped keys in one transaction (all or none).
    async fn replace_wrapped_keys(&self, keys: &[WrappedKey]) -> StoreResult<()>;
}
