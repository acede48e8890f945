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
