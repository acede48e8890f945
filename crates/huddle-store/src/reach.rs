//! Reach: how Huddle knows an interrupt arrived, and what leaves Huddle by other channels.
//! Each notification pushed to a device carries a capability (stored hashed) that can
//! confirm receipt and do one thing to its alert; an interrupt's holder must confirm it by
//! `confirm_by` or it escalates. Mail and gateway calls wait in the outbox until sent, so
//! a restart loses none.

use async_trait::async_trait;
use huddle_core::clock::Millis;
use huddle_core::routing::{Preferences, QuietHours};

use crate::StoreResult;

#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    pub capability_hash: &'a str,
    pub alert_id: i64,
    pub user_id: i64,
    pub device: &'a str,
    pub sent_at: Millis,
    pub expires_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AlertNotification {
    pub id: i64,
    pub alert_id: i64,
    pub user_id: i64,
    pub device: String,
    pub sent_at: Millis,
    pub expires_at: Millis,
    pub delivered_at: Option<Millis>,
    pub seen_at: Option<Millis>,
    pub acted_at: Option<Millis>,
}

/// What a device or a page says about an alert it was shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptKind {
    /// The device's push service took it (201): on its way, not yet arrived.
    Sent,
    /// It arrived (a service worker got the push, an open page got the event).
    Delivered,
    /// The person looked at it (tapped the notification, opened the alert).
    Seen,
}

impl ReceiptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptKind::Sent => "sent",
            ReceiptKind::Delivered => "delivered",
            ReceiptKind::Seen => "seen",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Receipt<'a> {
    pub alert_id: i64,
    pub user_id: i64,
    pub kind: ReceiptKind,
    /// The notification it came through, if it came through one.
    pub notification: Option<i64>,
    /// The device's name, or "open page".
    pub device: &'a str,
    pub at: Millis,
}

#[derive(Debug, Clone)]
pub struct NewOutbound<'a> {
    /// `email`, `gateway` or `push`.
    pub channel: &'a str,
    pub organization_id: Option<i64>,
    pub destination: &'a str,
    pub body: &'a str,
    pub created_at: Millis,
    /// Not before this moment (a digest's notice waits for the digest).
    pub due_at: Millis,
    /// Queued once only under this key.
    pub dedupe_key: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Outbound {
    pub id: i64,
    pub channel: String,
    pub organization_id: Option<i64>,
    pub destination: String,
    pub dedupe_key: Option<String>,
    pub body: String,
    pub created_at: Millis,
    pub attempts: i64,
    pub next_attempt_at: Millis,
    pub sent_at: Option<Millis>,
    pub failed_at: Option<Millis>,
    pub last_error: String,
}

#[async_trait]
pub trait ReachStore {
    /// The holder of an open alert must confirm it arrived by `by`, or it escalates.
    async fn expect_delivery(&self, alert_id: i64, user_id: i64, by: Millis) -> StoreResult<()>;
    /// Records a receipt: the alert's timeline gets one line per device and kind (the
    /// first), and a holder's receipt clears the delivery deadline. True when it was new.
    async fn record_receipt(&self, receipt: Receipt<'_>) -> StoreResult<bool>;
    /// One more line in an alert's timeline, by a person.
    async fn note_alert_event(
        &self,
        alert_id: i64,
        at: Millis,
        kind: &str,
        user_id: i64,
        detail: &str,
    ) -> StoreResult<()>;
    async fn issue_notification(&self, new: NewNotification<'_>) -> StoreResult<i64>;
    async fn notification_by_capability(
        &self,
        capability_hash: &str,
    ) -> StoreResult<Option<AlertNotification>>;
    /// Uses a notification's one action: true the first time, before it expires.
    async fn use_notification(&self, id: i64, at: Millis) -> StoreResult<bool>;

    /// Queues it; `None` when something with the same dedupe key is queued already.
    async fn enqueue_outbound(&self, new: NewOutbound<'_>) -> StoreResult<Option<i64>>;
    /// Unsent, not given up, due by `at`.
    async fn due_outbound(&self, at: Millis, limit: i64) -> StoreResult<Vec<Outbound>>;
    /// Takes one for sending until `lease_until` (another node then skips it); false when
    /// another node took it first.
    async fn claim_outbound(
        &self,
        id: i64,
        seen_next_attempt_at: Millis,
        lease_until: Millis,
    ) -> StoreResult<bool>;
    async fn outbound_sent(&self, id: i64, at: Millis) -> StoreResult<()>;
    /// A failed attempt: tried again at `retry_at`, or given up at `at` when none.
    async fn outbound_failed(
        &self,
        id: i64,
        at: Millis,
        retry_at: Option<Millis>,
        error: &str,
    ) -> StoreResult<()>;
    async fn outbound(&self, id: i64) -> StoreResult<Option<Outbound>>;

    /// Sets (or with `None` removes) the organization's gateway URL.
    async fn set_gateway(
        &self,
        organization_id: i64,
        url: Option<&str>,
        at: Millis,
    ) -> StoreResult<()>;
    async fn gateway(&self, organization_id: i64) -> StoreResult<Option<String>>;

    /// The person's notification preferences (the defaults when never set).
    async fn preferences(&self, user_id: i64) -> StoreResult<Preferences>;
    async fn set_preferences(&self, user_id: i64, preferences: Preferences) -> StoreResult<()>;
}

#[doc(hidden)]
pub fn preferences_from_row(
    (push_messages, start, end, email_digests): (bool, Option<i32>, Option<i32>, bool),
) -> Preferences {
    let minute = |m: Option<i32>| m.and_then(|m| u16::try_from(m).ok()).filter(|&m| m < 1440);
    Preferences {
        push_messages,
        email_digests,
        quiet: match (minute(start), minute(end)) {
            (Some(start_min), Some(end_min)) => Some(QuietHours { start_min, end_min }),
            _ => None,
        },
    }
}
