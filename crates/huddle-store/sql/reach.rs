//! Reach: notifications and their receipts, the outbox, gateways, notification preferences.

use huddle_core::clock::Millis;
use huddle_core::routing::Preferences;
use huddle_store::reach::preferences_from_row;
use huddle_store::sql::async_trait;
use huddle_store::{
    AlertNotification, NewNotification, NewOutbound, Outbound, ReachStore, Receipt, ReceiptKind,
    StoreResult,
};

use crate::backend::{Db, Store};

const EXPECT: &str = "UPDATE alerts SET confirm_by = $3 \
    WHERE id = $1 AND delivered_to = $2 AND state = 'open'";
const CONFIRM: &str = "UPDATE alerts SET confirm_by = NULL \
    WHERE id = $1 AND delivered_to = $2 AND confirm_by IS NOT NULL";
const MARK_DELIVERED: &str =
    "UPDATE notifications SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL";
// Seeing a notification means it arrived, too.
const MARK_SEEN: &str = "UPDATE notifications SET seen_at = $2, \
    delivered_at = COALESCE(delivered_at, $2) WHERE id = $1 AND seen_at IS NULL";
/// One timeline line per alert, kind, person and device: the first.
const LOG_RECEIPT: &str = "INSERT INTO alert_events (alert_id, at, kind, actor, detail) \
    SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM alert_events \
    WHERE alert_id = $1 AND kind = $3 AND actor = $4 AND detail = $5)";
const NOTE: &str = "INSERT INTO alert_events (alert_id, at, kind, actor, detail) \
    VALUES ($1, $2, $3, $4, $5)";
const ISSUE: &str = "INSERT INTO notifications \
    (capability_hash, alert_id, user_id, device, sent_at, expires_at) \
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
const BY_CAPABILITY: &str = "SELECT id, alert_id, user_id, device, sent_at, expires_at, \
    delivered_at, seen_at, acted_at FROM notifications WHERE capability_hash = $1";
const USE: &str = "UPDATE notifications SET acted_at = $2 \
    WHERE id = $1 AND acted_at IS NULL AND expires_at > $2";
const ENQUEUE: &str = "INSERT INTO outbox \
    (channel, organization_id, destination, body, created_at, next_attempt_at, dedupe_key) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id";
const DUE: &str = "SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
    AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2";
const CLAIM: &str = "UPDATE outbox SET next_attempt_at = $3 \
    WHERE id = $1 AND next_attempt_at = $2 AND sent_at IS NULL AND failed_at IS NULL";
// A sent item's body is not kept: a mail may hold a single-use link.
const SENT: &str = "UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = '', \
    body = '' WHERE id = $1";
const FAILED: &str = "UPDATE outbox SET attempts = attempts + 1, \
    next_attempt_at = COALESCE($2, next_attempt_at), failed_at = $3, last_error = $4 \
    WHERE id = $1";
const ONE: &str = "SELECT * FROM outbox WHERE id = $1";
const SET_GATEWAY: &str = "INSERT INTO gateways (organization_id, url, created_at) \
    VALUES ($1, $2, $3) ON CONFLICT (organization_id) DO UPDATE SET url = excluded.url, \
    created_at = excluded.created_at";
const REMOVE_GATEWAY: &str = "DELETE FROM gateways WHERE organization_id = $1";
const PREFERENCES: &str = "SELECT push_messages, quiet_start, quiet_end, email_digests \
    FROM notification_preferences WHERE user_id = $1";
const SET_PREFERENCES: &str = "INSERT INTO notification_preferences \
    (user_id, push_messages, quiet_start, quiet_end, email_digests) VALUES ($1, $2, $3, $4, $5) \
    ON CONFLICT (user_id) DO UPDATE SET push_messages = excluded.push_messages, \
    email_digests = excluded.email_digests, \
    quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end";
const GATEWAY: &str = "SELECT url FROM gateways WHERE organization_id = $1";

#[async_trait]
impl ReachStore for Store {
    async fn expect_delivery(&self, alert_id: i64, user_id: i64, by: Millis) -> StoreResult<()> {
        sqlx::query(EXPECT)
            .bind(alert_id)
            .bind(user_id)
            .bind(by)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn record_receipt(&self, r: Receipt<'_>) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let mark = match r.kind {
            ReceiptKind::Sent => None,
            ReceiptKind::Delivered => Some(MARK_DELIVERED),
            ReceiptKind::Seen => Some(MARK_SEEN),
        };
        if let Some(mark) = mark {
            if let Some(n) = r.notification {
                sqlx::query(mark)
                    .bind(n)
                    .bind(r.at)
                    .execute(&mut *tx)
                    .await?;
            }
            // Arrived at the holder: the delivery deadline is met.
            sqlx::query(CONFIRM)
                .bind(r.alert_id)
                .bind(r.user_id)
                .execute(&mut *tx)
                .await?;
        }
        let logged = sqlx::query(LOG_RECEIPT)
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
        at: Millis,
        kind: &str,
        user_id: i64,
        detail: &str,
    ) -> StoreResult<()> {
        sqlx::query(NOTE)
            .bind(alert_id)
            .bind(at)
            .bind(kind)
            .bind(format!("user:{user_id}"))
            .bind(detail)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn issue_notification(&self, n: NewNotification<'_>) -> StoreResult<i64> {
        let (id,): (i64,) = sqlx::query_as(ISSUE)
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
    ) -> StoreResult<Option<AlertNotification>> {
        Ok(sqlx::query_as::<Db, AlertNotification>(BY_CAPABILITY)
            .bind(capability_hash)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn use_notification(&self, id: i64, at: Millis) -> StoreResult<bool> {
        let done = sqlx::query(USE)
            .bind(id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn enqueue_outbound(&self, n: NewOutbound<'_>) -> StoreResult<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(ENQUEUE)
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

    async fn due_outbound(&self, at: Millis, limit: i64) -> StoreResult<Vec<Outbound>> {
        Ok(sqlx::query_as::<Db, Outbound>(DUE)
            .bind(at)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn claim_outbound(
        &self,
        id: i64,
        seen_next_attempt_at: Millis,
        lease_until: Millis,
    ) -> StoreResult<bool> {
        let done = sqlx::query(CLAIM)
            .bind(id)
            .bind(seen_next_attempt_at)
            .bind(lease_until)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn outbound_sent(&self, id: i64, at: Millis) -> StoreResult<()> {
        sqlx::query(SENT)
            .bind(id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn outbound_failed(
        &self,
        id: i64,
        at: Millis,
        retry_at: Option<Millis>,
        error: &str,
    ) -> StoreResult<()> {
        let (next, failed) = match retry_at {
            Some(t) => (Some(t), None),
            None => (None, Some(at)),
        };
        sqlx::query(FAILED)
            .bind(id)
            .bind(next)
            .bind(failed)
            .bind(error)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn outbound(&self, id: i64) -> StoreResult<Option<Outbound>> {
        Ok(sqlx::query_as::<Db, Outbound>(ONE)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn set_gateway(
        &self,
        organization_id: i64,
        url: Option<&str>,
        at: Millis,
    ) -> StoreResult<()> {
        let q = match url {
            Some(url) => sqlx::query(SET_GATEWAY)
                .bind(organization_id)
                .bind(url.to_string())
                .bind(at),
            None => sqlx::query(REMOVE_GATEWAY).bind(organization_id),
        };
        q.execute(&mut *self.writer().await?).await?;
        Ok(())
    }

    async fn preferences(&self, user_id: i64) -> StoreResult<Preferences> {
        let row: Option<(bool, Option<i32>, Option<i32>, bool)> = sqlx::query_as(PREFERENCES)
            .bind(user_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row.map_or_else(Default::default, preferences_from_row))
    }

    async fn set_preferences(&self, user_id: i64, p: Preferences) -> StoreResult<()> {
        sqlx::query(SET_PREFERENCES)
            .bind(user_id)
            .bind(p.push_messages)
            .bind(p.quiet.map(|q| i32::from(q.start_min)))
            .bind(p.quiet.map(|q| i32::from(q.end_min)))
            .bind(p.email_digests)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn gateway(&self, organization_id: i64) -> StoreResult<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(GATEWAY)
            .bind(organization_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row.map(|r| r.0))
    }
}
