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

#[macro_export]
macro_rules! sql_keys_store {
    ($store:ty, $db:ty) => {
        #[$crate::sql::async_trait]
        impl $crate::KeyStore for $store {
            async fn wrapped_key(
                &self,
                owner: ::huddle_core::keys::KeyOwner,
            ) -> $crate::StoreResult<Option<Vec<u8>>> {
                let row: Option<(Vec<u8>,)> = match owner {
                    ::huddle_core::keys::KeyOwner::Person(user) => {
                        $crate::sql::sqlx::query_as($crate::keys::sql::PERSONAL)
                            .bind(user)
                            .fetch_optional(&mut *self.reader().await?)
                            .await?
                    }
                    _ => {
                        $crate::sql::sqlx::query_as($crate::keys::sql::SHARED)
                            .bind(owner.to_string())
                            .fetch_optional(&mut *self.reader().await?)
                            .await?
                    }
                };
                Ok(row.map(|r| r.0))
            }

            async fn create_wrapped_key(
                &self,
                owner: ::huddle_core::keys::KeyOwner,
                wrapped: &[u8],
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<Vec<u8>> {
                let mut tx = self.begin_write().await?;
                let (stored,): (Vec<u8>,) = match owner {
                    ::huddle_core::keys::KeyOwner::Person(user) => {
                        $crate::sql::sqlx::query($crate::keys::sql::CREATE_PERSONAL)
                            .bind(user)
                            .bind(wrapped)
                            .bind(at)
                            .execute(&mut *tx)
                            .await?;
                        $crate::sql::sqlx::query_as($crate::keys::sql::PERSONAL)
                            .bind(user)
                            .fetch_one(&mut *tx)
                            .await?
                    }
                    _ => {
                        $crate::sql::sqlx::query($crate::keys::sql::CREATE_SHARED)
                            .bind(owner.to_string())
                            .bind(wrapped)
                            .bind(at)
                            .execute(&mut *tx)
                            .await?;
                        $crate::sql::sqlx::query_as($crate::keys::sql::SHARED)
                            .bind(owner.to_string())
                            .fetch_one(&mut *tx)
                            .await?
                    }
                };
                tx.commit().await?;
                Ok(stored)
            }

            async fn wrapped_keys(&self) -> $crate::StoreResult<Vec<$crate::WrappedKey>> {
                let shared: Vec<(String, Vec<u8>)> =
                    $crate::sql::sqlx::query_as($crate::keys::sql::ALL_SHARED)
                        .fetch_all(&mut *self.reader().await?)
                        .await?;
                let personal: Vec<(i64, Vec<u8>)> =
                    $crate::sql::sqlx::query_as($crate::keys::sql::ALL_PERSONAL)
                        .fetch_all(&mut *self.reader().await?)
                        .await?;
                let mut keys = Vec::with_capacity(shared.len() + personal.len());
                for (name, wrapped) in shared {
                    let owner = ::huddle_core::keys::KeyOwner::parse(&name)
                        .ok_or_else(|| $crate::StoreError::Corrupt(format!("key owner {name}")))?;
                    keys.push($crate::WrappedKey { owner, wrapped });
                }
                keys.extend(
                    personal
                        .into_iter()
                        .map(|(user, wrapped)| $crate::WrappedKey {
                            owner: ::huddle_core::keys::KeyOwner::Person(user),
                            wrapped,
                        }),
                );
                Ok(keys)
            }

            async fn replace_wrapped_keys(
                &self,
                keys: &[$crate::WrappedKey],
            ) -> $crate::StoreResult<()> {
                let mut tx = self.begin_write().await?;
                for k in keys {
                    let done = match k.owner {
                        ::huddle_core::keys::KeyOwner::Person(user) => {
                            $crate::sql::sqlx::query($crate::keys::sql::REPLACE_PERSONAL)
                                .bind(user)
                                .bind(&k.wrapped)
                                .execute(&mut *tx)
                                .await?
                        }
                        owner => {
                            $crate::sql::sqlx::query($crate::keys::sql::REPLACE_SHARED)
                                .bind(owner.to_string())
                                .bind(&k.wrapped)
                                .execute(&mut *tx)
                                .await?
                        }
                    };
                    $crate::sql::one_row(done.rows_affected())?;
                }
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

/// The statements, shared by both backends.
#[doc(hidden)]
pub mod sql {
    pub const SHARED: &str = "SELECT wrapped_key FROM data_keys WHERE owner = $1";
    pub const PERSONAL: &str = "SELECT wrapped_key FROM wellbeing_keys WHERE user_id = $1";
    pub const CREATE_SHARED: &str = "INSERT INTO data_keys (owner, wrapped_key, created_at) \
        VALUES ($1, $2, $3) ON CONFLICT (owner) DO NOTHING";
    pub const CREATE_PERSONAL: &str =
        "INSERT INTO wellbeing_keys (user_id, wrapped_key, created_at) \
        VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING";
    pub const ALL_SHARED: &str = "SELECT owner, wrapped_key FROM data_keys ORDER BY owner";
    pub const ALL_PERSONAL: &str =
        "SELECT user_id, wrapped_key FROM wellbeing_keys ORDER BY user_id";
    pub const REPLACE_SHARED: &str = "UPDATE data_keys SET wrapped_key = $2 WHERE owner = $1";
    pub const REPLACE_PERSONAL: &str =
        "UPDATE wellbeing_keys SET wrapped_key = $2 WHERE user_id = $1";
}
