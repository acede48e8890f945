//! The one home for keys: every sealed thing (message bodies and patient contexts, alerts,
//! well-being answers) and every keyed secret (leaders' pseudonyms) gets its key here, by
//! owner. A key is created and wrapped under the master key on first use, stored through
//! [`KeyStore`], and kept unwrapped in memory unless it is personal (erasing a person's
//! data must leave nothing behind). Master key rotation rewraps every key in one
//! transaction; sealed data is untouched.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use huddle_core::audit::AuditAction;
use huddle_core::keys::KeyOwner;
use huddle_store::{Store, WrappedKey};
use serde_json::json;

use crate::crypto::{DataKey, Keyring};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Clone)]
enum Unwrapped {
    Data(Arc<DataKey>),
    Secret([u8; 32]),
}

/// What an owner's key is for.
#[derive(Clone, Copy)]
enum Kind {
    Sealing,
    Hashing,
}

pub struct Keys {
    keyring: Keyring,
    /// Keys already unwrapped, by owner. They never change (rotation rewraps them under a
    /// new master key, which means a restart).
    cache: Mutex<HashMap<KeyOwner, Unwrapped>>,
}

impl Keys {
    pub fn new(keyring: Keyring) -> Keys {
        Keys {
            keyring,
            cache: Mutex::default(),
        }
    }

    fn cached(&self, owner: KeyOwner) -> Option<Unwrapped> {
        self.cache.lock().ok()?.get(&owner).cloned()
    }

    fn keep(&self, owner: KeyOwner, key: Unwrapped) {
        if owner.is_personal() {
            return;
        }
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(owner, key);
        }
    }

    /// The owner's wrapped key, created and stored on first use.
    async fn wrapped(
        &self,
        store: &dyn Store,
        owner: KeyOwner,
        kind: Kind,
        now: i64,
    ) -> Result<Vec<u8>, ApiError> {
        if let Some(wrapped) = store.wrapped_key(owner).await? {
            return Ok(wrapped);
        }
        let name = owner.to_string();
        let made = match kind {
            Kind::Sealing => self.keyring.new_data_key(&name).map(|(_, w)| w),
            Kind::Hashing => self.keyring.new_secret(&name).map(|(_, w)| w),
        };
        let wrapped = made.map_err(ApiError::internal)?;
        Ok(store.create_wrapped_key(owner, &wrapped, now).await?)
    }

    fn open_data_key(&self, owner: KeyOwner, wrapped: &[u8]) -> Result<DataKey, ApiError> {
        let key = self
            .keyring
            .unwrap(&owner.to_string(), wrapped)
            .map_err(ApiError::internal)?;
        self.keep(owner, Unwrapped::Data(Arc::new(key.clone())));
        Ok(key)
    }

    /// The owner's data key, created on first use.
    pub async fn data_key(
        &self,
        store: &dyn Store,
        owner: KeyOwner,
        now: i64,
    ) -> Result<DataKey, ApiError> {
        if let Some(Unwrapped::Data(key)) = self.cached(owner) {
            return Ok((*key).clone());
        }
        let wrapped = self.wrapped(store, owner, Kind::Sealing, now).await?;
        self.open_data_key(owner, &wrapped)
    }

    /// The owner's data key if it exists; never creates one (reading what was never
    /// written needs no key).
    pub async fn existing_data_key(
        &self,
        store: &dyn Store,
        owner: KeyOwner,
    ) -> Result<Option<DataKey>, ApiError> {
        if let Some(Unwrapped::Data(key)) = self.cached(owner) {
            return Ok(Some((*key).clone()));
        }
        match store.wrapped_key(owner).await? {
            Some(wrapped) => self.open_data_key(owner, &wrapped).map(Some),
            None => Ok(None),
        }
    }

    /// The owner's 32-byte secret for keyed hashing, created on first use.
    pub async fn secret(
        &self,
        store: &dyn Store,
        owner: KeyOwner,
        now: i64,
    ) -> Result<[u8; 32], ApiError> {
        if let Some(Unwrapped::Secret(secret)) = self.cached(owner) {
            return Ok(secret);
        }
        let wrapped = self.wrapped(store, owner, Kind::Hashing, now).await?;
        let secret = self
            .keyring
            .unwrap_secret(&owner.to_string(), &wrapped)
            .map_err(ApiError::internal)?;
        self.keep(owner, Unwrapped::Secret(secret));
        Ok(secret)
    }

    /// A keyed digest under the master key (see [`Keyring::digest`]).
    pub fn digest(&self, purpose: &str, message: &[u8]) -> String {
        self.keyring.digest(purpose, message)
    }
}

/// Rewraps every key under `new` in one transaction and audits it; returns how many. The
/// nodes then restart with the new master key.
pub async fn rotate(state: &AppState, new: &Keyring) -> Result<usize, ApiError> {
    let keys = state.store.wrapped_keys().await?;
    let rewrapped = keys
        .iter()
        .map(|k| {
            let wrapped = state
                .keys
                .keyring
                .rewrap(&k.owner.to_string(), &k.wrapped, new)
                .map_err(ApiError::internal)?;
            Ok(WrappedKey {
                owner: k.owner,
                wrapped,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    state.store.replace_wrapped_keys(&rewrapped).await?;
    crate::actions::audit::record(
        state,
        None,
        AuditAction::KeysRotated,
        "master_key",
        json!({ "keys": rewrapped.len() }),
    )
    .await?;
    Ok(rewrapped.len())
}
