//! Wrapped data keys (see `huddle_core::keys::KeyOwner`).

use huddle_core::clock::Millis;
use huddle_core::keys::KeyOwner;
use huddle_store::sql::{async_trait, one_row};
use huddle_store::{KeyStore, StoreError, StoreResult, WrappedKey};

use crate::backend::Store;

const SHARED: &str = "SELECT wrapped_key FROM data_keys WHERE owner = $1";
const PERSONAL: &str = "SELECT wrapped_key FROM wellbeing_keys WHERE user_id = $1";
const CREATE_SHARED: &str = "INSERT INTO data_keys (owner, wrapped_key, created_at) \
    VALUES ($1, $2, $3) ON CONFLICT (owner) DO NOTHING";
const CREATE_PERSONAL: &str = "INSERT INTO wellbeing_keys (user_id, wrapped_key, created_at) \
    VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING";
const ALL_SHARED: &str = "SELECT owner, wrapped_key FROM data_keys ORDER BY owner";
const ALL_PERSONAL: &str = "SELECT user_id, wrapped_key FROM wellbeing_keys ORDER BY user_id";
const REPLACE_SHARED: &str = "UPDATE data_keys SET wrapped_key = $2 WHERE owner = $1";
const REPLACE_PERSONAL: &str = "UPDATE wellbeing_keys SET wrapped_key = $2 WHERE user_id = $1";

#[async_trait]
impl KeyStore for Store {
    async fn wrapped_key(&self, owner: KeyOwner) -> StoreResult<Option<Vec<u8>>> {
        let row: Option<(Vec<u8>,)> = match owner {
            KeyOwner::Person(user) => {
                sqlx::query_as(PERSONAL)
                    .bind(user)
                    .fetch_optional(&mut *self.reader().await?)
                    .await?
            }
            _ => {
                sqlx::query_as(SHARED)
                    .bind(owner.to_string())
                    .fetch_optional(&mut *self.reader().await?)
                    .await?
            }
        };
        Ok(row.map(|r| r.0))
    }

    async fn create_wrapped_key(
        &self,
        owner: KeyOwner,
        wrapped: &[u8],
        at: Millis,
    ) -> StoreResult<Vec<u8>> {
        let mut tx = self.begin_write().await?;
        let (stored,): (Vec<u8>,) = match owner {
            KeyOwner::Person(user) => {
                sqlx::query(CREATE_PERSONAL)
                    .bind(user)
                    .bind(wrapped)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query_as(PERSONAL)
                    .bind(user)
                    .fetch_one(&mut *tx)
                    .await?
            }
            _ => {
                sqlx::query(CREATE_SHARED)
                    .bind(owner.to_string())
                    .bind(wrapped)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query_as(SHARED)
                    .bind(owner.to_string())
                    .fetch_one(&mut *tx)
                    .await?
            }
        };
        tx.commit().await?;
        Ok(stored)
    }

    async fn wrapped_keys(&self) -> StoreResult<Vec<WrappedKey>> {
        let shared: Vec<(String, Vec<u8>)> = sqlx::query_as(ALL_SHARED)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        let personal: Vec<(i64, Vec<u8>)> = sqlx::query_as(ALL_PERSONAL)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        let mut keys = Vec::with_capacity(shared.len() + personal.len());
        for (name, wrapped) in shared {
            let owner = KeyOwner::parse(&name)
                .ok_or_else(|| StoreError::Corrupt(format!("key owner {name}")))?;
            keys.push(WrappedKey { owner, wrapped });
        }
        keys.extend(personal.into_iter().map(|(user, wrapped)| WrappedKey {
            owner: KeyOwner::Person(user),
            wrapped,
        }));
        Ok(keys)
    }

    async fn replace_wrapped_keys(&self, keys: &[WrappedKey]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for k in keys {
            let done = match k.owner {
                KeyOwner::Person(user) => {
                    sqlx::query(REPLACE_PERSONAL)
                        .bind(user)
                        .bind(&k.wrapped)
                        .execute(&mut *tx)
                        .await?
                }
                owner => {
                    sqlx::query(REPLACE_SHARED)
                        .bind(owner.to_string())
                        .bind(&k.wrapped)
                        .execute(&mut *tx)
                        .await?
                }
            };
            one_row(done.rows_affected())?;
        }
        tx.commit().await?;
        Ok(())
    }
}
