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

#[macro_export]
macro_rules! sql_reach_store {
    ($store:ty, $db:ty) => {
        #[$crate::sql::async_trait]
        impl $crate::ReachStore for $store {
            async fn expect_delivery(
                &self,
                alert_id: i64,
                user_id: i64,
                by: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query($crate::reach::sql::EXPECT)
                    .bind(alert_id)
                    .bind(user_id)
                    .bind(by)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(())
            }

            async fn record_receipt(
                &self,
                r: $crate::reach::Receipt<'_>,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.begin_write().await?;
                let mark = match r.kind {
                    $crate::reach::ReceiptKind::Sent => None,
                    $crate::reach::ReceiptKind::Delivered => {
                        Some($crate::reach::sql::MARK_DELIVERED)
                    }
                    $crate::reach::ReceiptKind::Seen => Some($crate::reach::sql::MARK_SEEN),
                };
                if let Some(mark) = mark {
                    if let Some(n) = r.notification {
                        $crate::sql::sqlx::query(mark)
                            .bind(n)
                            .bind(r.at)
                            .execute(&mut *tx)
                            .await?;
                    }
                    // Arrived at the holder: the delivery deadline is met.
                    $crate::sql::sqlx::query($crate::reach::sql::CONFIRM)
                        .bind(r.alert_id)
                        .bind(r.user_id)
                        .execute(&mut *tx)
                        .await?;
                }
                let logged = $crate::sql::sqlx::query($crate::reach::sql::LOG_RECEIPT)
                    .bind(r.alert_id)
                    .bind(r.at)
                    .bind(r.kind.as_str())
                    .bind(format!("user:{}", r.user_id))
                    .bind(r.device)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(logged.rows_affected() == 1)
            }

            async fn note_alert_event(
                &self,
                alert_id: i64,
                at: ::huddle_core::clock::Millis,
                kind: &str,
                user_id: i64,
                detail: &str,
            ) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query($crate::reach::sql::NOTE)
                    .bind(alert_id)
                    .bind(at)
                    .bind(kind)
                    .bind(format!("user:{user_id}"))
                    .bind(detail)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(())
            }

            async fn issue_notification(
                &self,
                n: $crate::reach::NewNotification<'_>,
            ) -> $crate::StoreResult<i64> {
                let (id,): (i64,) = $crate::sql::sqlx::query_as($crate::reach::sql::ISSUE)
                    .bind(n.capability_hash)
                    .bind(n.alert_id)
                    .bind(n.user_id)
                    .bind(n.device)
                    .bind(n.sent_at)
                    .bind(n.expires_at)
                    .fetch_one(&mut *self.writer().await?)
                    .await?;
                Ok(id)
            }

            async fn notification_by_capability(
                &self,
                capability_hash: &str,
            ) -> $crate::StoreResult<Option<$crate::reach::AlertNotification>> {
                Ok(
                    $crate::sql::sqlx::query_as::<$db, $crate::reach::AlertNotification>(
                        $crate::reach::sql::BY_CAPABILITY,
                    )
                    .bind(capability_hash)
                    .fetch_optional(&mut *self.reader().await?)
                    .await?,
                )
            }

            async fn use_notification(
                &self,
                id: i64,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<bool> {
                let done = $crate::sql::sqlx::query($crate::reach::sql::USE)
                    .bind(id)
                    .bind(at)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn enqueue_outbound(
                &self,
                n: $crate::reach::NewOutbound<'_>,
            ) -> $crate::StoreResult<Option<i64>> {
                let row: Option<(i64,)> = $crate::sql::sqlx::query_as($crate::reach::sql::ENQUEUE)
                    .bind(n.channel)
                    .bind(n.organization_id)
                    .bind(n.destination)
                    .bind(n.body)
                    .bind(n.created_at)
                    .bind(n.due_at)
                    .bind(n.dedupe_key)
                    .fetch_optional(&mut *self.writer().await?)
                    .await?;
                Ok(row.map(|r| r.0))
            }

            async fn due_outbound(
                &self,
                at: ::huddle_core::clock::Millis,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::reach::Outbound>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::reach::Outbound>(
                    $crate::reach::sql::DUE,
                )
                .bind(at)
                .bind(limit)
                .fetch_all(&mut *self.reader().await?)
                .await?)
            }

            async fn claim_outbound(
                &self,
                id: i64,
                seen_next_attempt_at: ::huddle_core::clock::Millis,
                lease_until: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<bool> {
                let done = $crate::sql::sqlx::query($crate::reach::sql::CLAIM)
                    .bind(id)
                    .bind(seen_next_attempt_at)
                    .bind(lease_until)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn outbound_sent(
                &self,
                id: i64,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query($crate::reach::sql::SENT)
                    .bind(id)
                    .bind(at)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(())
            }

            async fn outbound_failed(
                &self,
                id: i64,
                at: ::huddle_core::clock::Millis,
                retry_at: Option<::huddle_core::clock::Millis>,
                error: &str,
            ) -> $crate::StoreResult<()> {
                let (next, failed) = match retry_at {
                    Some(t) => (Some(t), None),
                    None => (None, Some(at)),
                };
                $crate::sql::sqlx::query($crate::reach::sql::FAILED)
                    .bind(id)
                    .bind(next)
                    .bind(failed)
                    .bind(error)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(())
            }

            async fn outbound(
                &self,
                id: i64,
            ) -> $crate::StoreResult<Option<$crate::reach::Outbound>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::reach::Outbound>(
                    $crate::reach::sql::ONE,
                )
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?)
            }

            async fn set_gateway(
                &self,
                organization_id: i64,
                url: Option<&str>,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<()> {
                let q = match url {
                    Some(url) => $crate::sql::sqlx::query($crate::reach::sql::SET_GATEWAY)
                        .bind(organization_id)
                        .bind(url.to_string())
                        .bind(at),
                    None => $crate::sql::sqlx::query($crate::reach::sql::REMOVE_GATEWAY)
                        .bind(organization_id),
                };
                q.execute(&mut *self.writer().await?).await?;
                Ok(())
            }

            async fn preferences(
                &self,
                user_id: i64,
            ) -> $crate::StoreResult<::huddle_core::routing::Preferences> {
                let row: Option<(bool, Option<i32>, Option<i32>)> =
                    $crate::sql::sqlx::query_as($crate::reach::sql::PREFERENCES)
                        .bind(user_id)
                        .fetch_optional(&mut *self.reader().await?)
                        .await?;
                Ok(row.map_or_else(Default::default, $crate::reach::preferences_from_row))
            }

            async fn set_preferences(
                &self,
                user_id: i64,
                p: ::huddle_core::routing::Preferences,
            ) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query($crate::reach::sql::SET_PREFERENCES)
                    .bind(user_id)
                    .bind(p.push_messages)
                    .bind(p.quiet.map(|q| i32::from(q.start_min)))
                    .bind(p.quiet.map(|q| i32::from(q.end_min)))
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(())
            }

            async fn gateway(&self, organization_id: i64) -> $crate::StoreResult<Option<String>> {
                let row: Option<(String,)> =
                    $crate::sql::sqlx::query_as($crate::reach::sql::GATEWAY)
                        .bind(organization_id)
                        .fetch_optional(&mut *self.reader().await?)
                        .await?;
                Ok(row.map(|r| r.0))
            }
        }
    };
}

#[doc(hidden)]
pub fn preferences_from_row(
    (push_messages, start, end): (bool, Option<i32>, Option<i32>),
) -> Preferences {
    let minute = |m: Option<i32>| m.and_then(|m| u16::try_from(m).ok()).filter(|&m| m < 1440);
    Preferences {
        push_messages,
        quiet: match (minute(start), minute(end)) {
            (Some(start_min), Some(end_min)) => Some(QuietHours { start_min, end_min }),
            _ => None,
        },
    }
}

/// The statements, shared by both backends.
#[doc(hidden)]
pub mod sql {
    pub const EXPECT: &str = "UPDATE alerts SET confirm_by = $3 \
        WHERE id = $1 AND delivered_to = $2 AND state = 'open'";
    pub const CONFIRM: &str = "UPDATE alerts SET confirm_by = NULL \
        WHERE id = $1 AND delivered_to = $2 AND confirm_by IS NOT NULL";
    pub const MARK_DELIVERED: &str =
        "UPDATE notifications SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL";
    // Seeing a notification means it arrived, too.
    pub const MARK_SEEN: &str = "UPDATE notifications SET seen_at = $2, \
        delivered_at = COALESCE(delivered_at, $2) WHERE id = $1 AND seen_at IS NULL";
    /// One timeline line per alert, kind, person and device: the first.
    pub const LOG_RECEIPT: &str = "INSERT INTO alert_events (alert_id, at, kind, actor, detail) \
        SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM alert_events \
        WHERE alert_id = $1 AND kind = $3 AND actor = $4 AND detail = $5)";
    pub const NOTE: &str = "INSERT INTO alert_events (alert_id, at, kind, actor, detail) \
        VALUES ($1, $2, $3, $4, $5)";
    pub const ISSUE: &str = "INSERT INTO notifications \
        (capability_hash, alert_id, user_id, device, sent_at, expires_at) \
        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    pub const BY_CAPABILITY: &str = "SELECT id, alert_id, user_id, device, sent_at, expires_at, \
        delivered_at, seen_at, acted_at FROM notifications WHERE capability_hash = $1";
    pub const USE: &str = "UPDATE notifications SET acted_at = $2 \
        WHERE id = $1 AND acted_at IS NULL AND expires_at > $2";
    pub const ENQUEUE: &str = "INSERT INTO outbox \
        (channel, organization_id, destination, body, created_at, next_attempt_at, dedupe_key) \
        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id";
    pub const DUE: &str = "SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
        AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2";
    pub const CLAIM: &str = "UPDATE outbox SET next_attempt_at = $3 \
        WHERE id = $1 AND next_attempt_at = $2 AND sent_at IS NULL AND failed_at IS NULL";
    pub const SENT: &str =
        "UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = '' WHERE id = $1";
    pub const FAILED: &str = "UPDATE outbox SET attempts = attempts + 1, \
        next_attempt_at = COALESCE($2, next_attempt_at), failed_at = $3, last_error = $4 \
        WHERE id = $1";
    pub const ONE: &str = "SELECT * FROM outbox WHERE id = $1";
    pub const SET_GATEWAY: &str = "INSERT INTO gateways (organization_id, url, created_at) \
        VALUES ($1, $2, $3) ON CONFLICT (organization_id) DO UPDATE SET url = excluded.url, \
        created_at = excluded.created_at";
    pub const REMOVE_GATEWAY: &str = "DELETE FROM gateways WHERE organization_id = $1";
    pub const PREFERENCES: &str = "SELECT push_messages, quiet_start, quiet_end \
        FROM notification_preferences WHERE user_id = $1";
    pub const SET_PREFERENCES: &str = "INSERT INTO notification_preferences \
        (user_id, push_messages, quiet_start, quiet_end) VALUES ($1, $2, $3, $4) \
        ON CONFLICT (user_id) DO UPDATE SET push_messages = excluded.push_messages, \
        quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end";
    pub const GATEWAY: &str = "SELECT url FROM gateways WHERE organization_id = $1";
}
