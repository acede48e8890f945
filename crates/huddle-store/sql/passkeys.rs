//! Passkeys and their ceremonies.

use huddle_core::clock::Millis;
use huddle_store::sql::async_trait;
use huddle_store::{
    NewPasskey, PasskeyCeremony, PasskeyStore, StoreError, StoreResult, StoredPasskey,
};

use crate::backend::{Db, Store};

const DROP_EXPIRED_CEREMONIES: &str = "DELETE FROM passkey_ceremonies WHERE expires_at <= $1";
const BEGIN_CEREMONY: &str =
    "INSERT INTO passkey_ceremonies (id_hash, kind, user_id, state, expires_at) \
    VALUES ($1, $2, $3, $4, $5)";
// Deleting and returning in one statement: two takers of one ceremony cannot both get it.
const TAKE_CEREMONY: &str = "DELETE FROM passkey_ceremonies WHERE id_hash = $1 RETURNING *";
const ADD: &str =
    "INSERT INTO passkeys (user_id, credential_id, user_handle, name, credential, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING *";
const OF_USER: &str = "SELECT * FROM passkeys WHERE user_id = $1 ORDER BY id";
const BY_CREDENTIAL: &str = "SELECT * FROM passkeys WHERE credential_id = $1";
const USED: &str = "UPDATE passkeys SET credential = $2, last_used_at = $3 WHERE id = $1";
const REMOVE: &str = "DELETE FROM passkeys WHERE user_id = $1 AND id = $2";

#[async_trait]
impl PasskeyStore for Store {
    async fn begin_passkey_ceremony(&self, c: &PasskeyCeremony, now: Millis) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(DROP_EXPIRED_CEREMONIES)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(BEGIN_CEREMONY)
            .bind(&c.id_hash)
            .bind(&c.kind)
            .bind(c.user_id)
            .bind(&c.state)
            .bind(c.expires_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique("ceremony"))?;
        tx.commit().await?;
        Ok(())
    }

    async fn take_passkey_ceremony(
        &self,
        id_hash: &str,
        now: Millis,
    ) -> StoreResult<Option<PasskeyCeremony>> {
        let taken = sqlx::query_as::<Db, PasskeyCeremony>(TAKE_CEREMONY)
            .bind(id_hash)
            .fetch_optional(&mut *self.writer().await?)
            .await?;
        Ok(taken.filter(|c| c.expires_at > now))
    }

    async fn add_passkey(&self, n: NewPasskey) -> StoreResult<StoredPasskey> {
        sqlx::query_as::<Db, StoredPasskey>(ADD)
            .bind(n.user_id)
            .bind(&n.credential_id)
            .bind(&n.user_handle)
            .bind(&n.name)
            .bind(&n.credential)
            .bind(n.created_at)
            .fetch_one(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("passkey"))
    }

    async fn passkeys(&self, user_id: i64) -> StoreResult<Vec<StoredPasskey>> {
        Ok(sqlx::query_as::<Db, StoredPasskey>(OF_USER)
            .bind(user_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn passkey_by_credential(
        &self,
        credential_id: &str,
    ) -> StoreResult<Option<StoredPasskey>> {
        Ok(sqlx::query_as::<Db, StoredPasskey>(BY_CREDENTIAL)
            .bind(credential_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn passkey_used(&self, id: i64, credential: &str, at: Millis) -> StoreResult<()> {
        sqlx::query(USED)
            .bind(id)
            .bind(credential)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn remove_passkey(&self, user_id: i64, id: i64) -> StoreResult<bool> {
        let done = sqlx::query(REMOVE)
            .bind(user_id)
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
