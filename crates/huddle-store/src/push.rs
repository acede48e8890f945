//! Web Push subscriptions: the devices each person turned notifications on for. A push
//! service that says a subscription is gone removes it.

use async_trait::async_trait;
use huddle_core::clock::Millis;

use crate::StoreResult;

// Columns map one to one, so the row type is the domain type.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PushSubscription {
    pub id: i64,
    pub user_id: i64,
    /// The push service's URL for this device.
    pub endpoint: String,
    /// The browser's P-256 public key and auth secret (base64url), for RFC 8291.
    pub p256dh: String,
    pub auth: String,
    pub label: String,
    pub created_at: Millis,
    pub last_sent_at: Option<Millis>,
}

#[derive(Debug, Clone)]
pub struct NewPushSubscription {
    pub user_id: i64,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub label: String,
    pub created_at: Millis,
}

#[async_trait]
pub trait PushStore {
    /// Saves a device's subscription; the same endpoint again (a renewed subscription, or
    /// the device now signed in as someone else) replaces the old one.
    async fn save_push_subscription(
        &self,
        new: NewPushSubscription,
    ) -> StoreResult<PushSubscription>;
    async fn push_subscriptions(&self, user_id: i64) -> StoreResult<Vec<PushSubscription>>;
    /// Removes one of the person's subscriptions; false when they have none with this id.
    async fn delete_push_subscription(&self, user_id: i64, id: i64) -> StoreResult<bool>;
    /// Removes a subscription the push service refused as gone or expired.
    async fn forget_push_endpoint(&self, endpoint: &str) -> StoreResult<()>;
    async fn push_sent(&self, id: i64, at: Millis) -> StoreResult<()>;
}

#[macro_export]
macro_rules! sql_push_store {
    ($store:ty, $db:ty) => {
        #[$crate::sql::async_trait]
        impl $crate::PushStore for $store {
            async fn save_push_subscription(
                &self,
                n: $crate::NewPushSubscription,
            ) -> $crate::StoreResult<$crate::PushSubscription> {
                Ok(
                    $crate::sql::sqlx::query_as::<$db, $crate::PushSubscription>(
                        $crate::push::sql::SAVE,
                    )
                    .bind(n.user_id)
                    .bind(&n.endpoint)
                    .bind(&n.p256dh)
                    .bind(&n.auth)
                    .bind(&n.label)
                    .bind(n.created_at)
                    .fetch_one(&mut *self.writer().await?)
                    .await?,
                )
            }

            async fn push_subscriptions(
                &self,
                user_id: i64,
            ) -> $crate::StoreResult<Vec<$crate::PushSubscription>> {
                Ok(
                    $crate::sql::sqlx::query_as::<$db, $crate::PushSubscription>(
                        $crate::push::sql::OF_USER,
                    )
                    .bind(user_id)
                    .fetch_all(&mut *self.reader().await?)
                    .await?,
                )
            }

            async fn delete_push_subscription(
                &self,
                user_id: i64,
                id: i64,
            ) -> $crate::StoreResult<bool> {
                let done = $crate::sql::sqlx::query($crate::push::sql::DELETE)
                    .bind(user_id)
                    .bind(id)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn forget_push_endpoint(&self, endpoint: &str) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query($crate::push::sql::FORGET)
                    .bind(endpoint)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(())
            }

            async fn push_sent(
                &self,
                id: i64,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query($crate::push::sql::SENT)
                    .bind(id)
                    .bind(at)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(())
            }
        }
    };
}

/// The statements, shared by both backends.
#[doc(hidden)]
pub mod sql {
    pub const SAVE: &str = "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, label, created_at) \
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, \
        p256dh = excluded.p256dh, auth = excluded.auth, label = excluded.label, \
        created_at = excluded.created_at, last_sent_at = NULL RETURNING *";
    pub const OF_USER: &str = "SELECT * FROM push_subscriptions WHERE user_id = $1 ORDER BY id";
    pub const DELETE: &str = "DELETE FROM push_subscriptions WHERE user_id = $1 AND id = $2";
    pub const FORGET: &str = "DELETE FROM push_subscriptions WHERE endpoint = $1";
    pub const SENT: &str = "UPDATE push_subscriptions SET last_sent_at = $2 WHERE id = $1";
}
