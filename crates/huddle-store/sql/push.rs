//! Web Push subscriptions.

use huddle_core::clock::Millis;
use huddle_store::sql::async_trait;
use huddle_store::{NewPushSubscription, PushStore, PushSubscription, StoreResult};

use crate::backend::{Db, Store};

const SAVE: &str = "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, label, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, \
    p256dh = excluded.p256dh, auth = excluded.auth, label = excluded.label, \
    created_at = excluded.created_at, last_sent_at = NULL RETURNING *";
const OF_USER: &str = "SELECT * FROM push_subscriptions WHERE user_id = $1 ORDER BY id";
const DELETE: &str = "DELETE FROM push_subscriptions WHERE user_id = $1 AND id = $2";
const FORGET: &str = "DELETE FROM push_subscriptions WHERE endpoint = $1";
const SENT: &str = "UPDATE push_subscriptions SET last_sent_at = $2 WHERE id = $1";

#[async_trait]
impl PushStore for Store {
    async fn save_push_subscription(
        &self,
        n: NewPushSubscription,
    ) -> StoreResult<PushSubscription> {
        Ok(sqlx::query_as::<Db, PushSubscription>(SAVE)
            .bind(n.user_id)
            .bind(&n.endpoint)
            .bind(&n.p256dh)
            .bind(&n.auth)
            .bind(&n.label)
            .bind(n.created_at)
            .fetch_one(&mut *self.writer().await?)
            .await?)
    }

    async fn push_subscriptions(&self, user_id: i64) -> StoreResult<Vec<PushSubscription>> {
        Ok(sqlx::query_as::<Db, PushSubscription>(OF_USER)
            .bind(user_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn delete_push_subscription(&self, user_id: i64, id: i64) -> StoreResult<bool> {
        let done = sqlx::query(DELETE)
            .bind(user_id)
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn forget_push_endpoint(&self, endpoint: &str) -> StoreResult<()> {
        sqlx::query(FORGET)
            .bind(endpoint)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn push_sent(&self, id: i64, at: Millis) -> StoreResult<()> {
        sqlx::query(SENT)
            .bind(id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }
}
