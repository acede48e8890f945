//! Routing: alerts, their timelines, integrations, shifts and policies.

use huddle_core::clock::Millis;
use huddle_store::routing::NewAlertEvent;
use huddle_store::sql::async_trait;
use huddle_store::{
    AlertEvent, Intake, Integration, NewAlert, NewIntegration, NewShift, PolicyVersion,
    RoutingStore, StoreError, StoreResult, StoredAlert, StoredShift,
};

use crate::backend::{Db, Store};

// The statements, in the order the methods below use them.
const SAME_ID: &str = "SELECT * FROM alerts WHERE organization_id = $1 AND sender = $2 \
    AND source_id = $3 ORDER BY id";
const INSERT_ALERT_EVENTS: &str =
    "INSERT INTO alert_events (alert_id, at, kind, actor, from_user, to_user, detail) ";
const CREATE_ALERT_INSERT_ALERTS: &str =
    "INSERT INTO alerts (organization_id, source, source_id, category, priority, service, \
    recipient, sealed, received_at, delivered_to, delivery, deliver_at, reason, escalate_at, \
    sender, content_hash, conflict_of, confirm_by) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
    RETURNING *";
const CREATE_ALERT_SELECT_ALERTS: &str =
    "SELECT * FROM alerts WHERE organization_id = $1 AND sender = $2 \
    AND source_id = $3 AND content_hash = $4";
const ALERT_EVENTS: &str = "SELECT * FROM alert_events WHERE alert_id = $1 ORDER BY at, id";
const SENT_ALERTS: &str = "SELECT * FROM alerts WHERE sender = $1 AND received_at >= $2 \
    ORDER BY received_at DESC, id DESC LIMIT $3";
const PHYSICIAN_BY_NPI: &str =
    "SELECT u.id FROM users u JOIN verification_requests v ON v.user_id = u.id \
    WHERE u.organization_id = $1 AND v.npi = $2 AND v.status = 'verified' \
    AND v.id = (SELECT MAX(id) FROM verification_requests WHERE user_id = u.id) \
    ORDER BY u.id LIMIT 1";
const ALERT: &str = "SELECT * FROM alerts WHERE id = $1";
const ALERT_INBOX: &str = "SELECT * FROM alerts WHERE (delivered_to = $1 OR id IN \
    (SELECT alert_id FROM alert_events WHERE from_user = $1)) AND deliver_at <= $2 \
    ORDER BY deliver_at DESC, id DESC LIMIT $3";
const UPCOMING_DIGESTS: &str =
    "SELECT * FROM alerts WHERE delivered_to = $1 AND deliver_at > $2 ORDER BY deliver_at, id";
const ACKNOWLEDGE_ALERT_SELECT_ALERTS: &str =
    "SELECT acknowledged_at FROM alerts WHERE id = $1 AND delivered_to = $2";
const ACKNOWLEDGE_ALERT_UPDATE_ALERTS: &str =
    "UPDATE alerts SET state = CASE WHEN state = 'open' THEN 'acknowledged' ELSE state END, \
    acknowledged_at = COALESCE(acknowledged_at, $3), escalate_at = NULL \
    WHERE id = $1 AND delivered_to = $2 RETURNING *";
const ANSWER_ALERT: &str = "UPDATE alerts SET state = $3, correction = COALESCE($4, correction), \
    acknowledged_at = COALESCE(acknowledged_at, $5), answered_at = $5, escalate_at = NULL \
    WHERE id = $1 AND delivered_to = $2 RETURNING *";
const ANSWERED_ALERTS: &str = "SELECT * FROM alerts WHERE organization_id = $1 AND answered_at >= $2 ORDER BY answered_at, id";
const DELIVERED_ALERTS: &str =
    "SELECT * FROM alerts WHERE organization_id = $1 AND deliver_at >= $2 AND deliver_at < $3 \
    ORDER BY deliver_at, id";
const DUE_DIGESTS: &str =
    "SELECT * FROM alerts WHERE delivery = 'queue' AND deliver_at > $1 AND deliver_at <= $2 \
    ORDER BY deliver_at, id LIMIT $3";
const UNANSWERED_ALERTS: &str =
    "SELECT * FROM alerts WHERE state IN ('open', 'acknowledged') AND deliver_at >= $1 \
    AND deliver_at <= $2 ORDER BY deliver_at, id LIMIT $3";
const HAND_OVER_ALERT: &str =
    "UPDATE alerts SET delivered_to = $3, confirm_by = NULL WHERE id = $1 AND delivered_to = $2 \
    AND state IN ('open', 'acknowledged')";
const DUE_ESCALATIONS: &str =
    "SELECT * FROM alerts WHERE state = 'open' AND ((escalate_at IS NOT NULL \
    AND escalate_at <= $1) OR (confirm_by IS NOT NULL AND confirm_by <= $1)) \
    ORDER BY COALESCE(confirm_by, escalate_at), id LIMIT $2";
const ESCALATE_ALERT: &str =
    "UPDATE alerts SET escalation_step = escalation_step + 1, delivered_to = $3, \
    deliver_at = $4, escalate_at = $5, confirm_by = NULL \
    WHERE id = $1 AND escalation_step = $2 AND state = 'open'";
const REPLACE_SHIFTS_DELETE_SHIFTS: &str =
    "DELETE FROM shifts WHERE organization_id = $1 AND service = $2 \
    AND starts_at >= $3 AND starts_at < $4";
const REPLACE_SHIFTS_INSERT_SHIFTS: &str =
    "INSERT INTO shifts (organization_id, user_id, service, role, starts_at, ends_at) \
    VALUES ($1, $2, $3, $4, $5, $6)";
const SHIFTS: &str =
    "SELECT * FROM shifts WHERE organization_id = $1 AND ends_at > $2 AND starts_at < $3 \
    ORDER BY starts_at, id";
const SAVE_POLICY_SELECT_ROUTING_POLICIES: &str =
    "SELECT MAX(version) FROM routing_policies WHERE organization_id = $1";
const SAVE_POLICY_INSERT_ROUTING_POLICIES: &str =
    "INSERT INTO routing_policies (organization_id, version, policy, created_by, created_at) \
    VALUES ($1, $2, $3, $4, $5) RETURNING *";
const CURRENT_POLICY: &str =
    "SELECT * FROM routing_policies WHERE organization_id = $1 ORDER BY version DESC LIMIT 1";
const POLICY_VERSIONS: &str =
    "SELECT * FROM routing_policies WHERE organization_id = $1 ORDER BY version DESC";
const CREATE_INTEGRATION: &str =
    "INSERT INTO integrations (organization_id, name, sources, kinds, addresses, \
    hl7_application, hl7_facility, secret_hash, created_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *";
const INTEGRATIONS: &str = "SELECT * FROM integrations WHERE organization_id = $1 ORDER BY revoked_at IS NOT NULL, name, id";
const INTEGRATION: &str = "SELECT * FROM integrations WHERE id = $1";
const INTEGRATION_BY_SECRET: &str =
    "SELECT * FROM integrations WHERE secret_hash = $1 AND revoked_at IS NULL";
const INTEGRATION_FOR_HL7: &str =
    "SELECT * FROM integrations WHERE hl7_application = $1 AND hl7_facility = $2 \
    AND hl7_application <> '' AND revoked_at IS NULL";
const REVOKE_INTEGRATION: &str =
    "UPDATE integrations SET revoked_at = $3 WHERE id = $2 AND organization_id = $1 \
    AND revoked_at IS NULL";
const TOUCH_INTEGRATION: &str = "UPDATE integrations SET last_used_at = $2 WHERE id = $1";

/// Appends one line to an alert's timeline, inside the caller's transaction.
async fn insert_alert_event(
    conn: &mut <Db as sqlx::Database>::Connection,
    e: NewAlertEvent<'_>,
) -> Result<(), sqlx::Error> {
    insert_alert_events(conn, &[e]).await
}

/// Appends lines to alerts' timelines in one statement, inside the caller's
/// transaction.
async fn insert_alert_events(
    conn: &mut <Db as sqlx::Database>::Connection,
    events: &[NewAlertEvent<'_>],
) -> Result<(), sqlx::Error> {
    let mut insert = sqlx::QueryBuilder::<Db>::new(INSERT_ALERT_EVENTS);
    insert.push_values(events, |mut row, e| {
        row.push_bind(e.alert_id)
            .push_bind(e.at)
            .push_bind(e.kind)
            .push_bind(e.actor)
            .push_bind(e.from_user)
            .push_bind(e.to_user)
            .push_bind(e.detail);
    });
    insert.build().execute(conn).await?;
    Ok(())
}

#[async_trait]
impl RoutingStore for Store {
    async fn create_alert(&self, a: NewAlert) -> StoreResult<(StoredAlert, Intake)> {
        let mut tx = self.begin_write().await?;
        let earlier = sqlx::query_as::<Db, StoredAlert>(SAME_ID)
            .bind(a.organization_id)
            .bind(&a.sender)
            .bind(&a.source_id)
            .fetch_all(&mut *tx)
            .await?;
        if let Some(same) = earlier.iter().find(|e| e.content_hash == a.content_hash) {
            tx.commit().await?;
            return Ok((same.clone(), Intake::Duplicate));
        }
        let conflict_of = earlier.first().map(|e| e.id);
        let row = sqlx::query_as::<Db, StoredAlert>(CREATE_ALERT_INSERT_ALERTS)
            .bind(a.organization_id)
            .bind(&a.source)
            .bind(&a.source_id)
            .bind(&a.category)
            .bind(&a.priority)
            .bind(&a.service)
            .bind(&a.recipient)
            .bind(&a.sealed)
            .bind(a.received_at)
            .bind(a.delivered_to)
            .bind(&a.delivery)
            .bind(a.deliver_at)
            .bind(&a.reason)
            .bind(a.escalate_at)
            .bind(&a.sender)
            .bind(&a.content_hash)
            .bind(conflict_of)
            .bind(a.confirm_by)
            .fetch_one(&mut *tx)
            .await;
        let row = match row {
            Ok(row) => row,
            // The same alert arrived twice at once: the first one is the alert.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                drop(tx);
                let row = sqlx::query_as::<Db, StoredAlert>(CREATE_ALERT_SELECT_ALERTS)
                    .bind(a.organization_id)
                    .bind(&a.sender)
                    .bind(&a.source_id)
                    .bind(&a.content_hash)
                    .fetch_one(&mut *self.writer().await?)
                    .await?;
                return Ok((row, Intake::Duplicate));
            }
            Err(e) => return Err(e.into()),
        };
        let mut events = vec![NewAlertEvent {
            alert_id: row.id,
            at: a.received_at,
            kind: "received",
            actor: &a.sender,
            from_user: None,
            to_user: None,
            detail: "",
        }];
        let of = conflict_of.map(|id| id.to_string()).unwrap_or_default();
        if conflict_of.is_some() {
            events.push(NewAlertEvent {
                kind: "conflict",
                detail: &of,
                ..events[0]
            });
        }
        events.push(NewAlertEvent {
            kind: "routed",
            actor: "",
            to_user: Some(a.delivered_to),
            detail: &a.delivery,
            ..events[0]
        });
        insert_alert_events(&mut tx, &events).await?;
        tx.commit().await?;
        let intake = match conflict_of {
            Some(of) => Intake::Conflict { of },
            None => Intake::New,
        };
        Ok((row, intake))
    }

    async fn alert_events(&self, alert_id: i64) -> StoreResult<Vec<AlertEvent>> {
        Ok(sqlx::query_as::<Db, AlertEvent>(ALERT_EVENTS)
            .bind(alert_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn sent_alerts(
        &self,
        sender: &str,
        since: Millis,
        limit: i64,
    ) -> StoreResult<Vec<StoredAlert>> {
        Ok(sqlx::query_as::<Db, StoredAlert>(SENT_ALERTS)
            .bind(sender)
            .bind(since)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn physician_by_npi(&self, organization_id: i64, npi: &str) -> StoreResult<Option<i64>> {
        // Only a physician's latest request counts: a superseded or rejected one
        // does not name them.
        let row: Option<(i64,)> = sqlx::query_as(PHYSICIAN_BY_NPI)
            .bind(organization_id)
            .bind(npi)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row.map(|r| r.0))
    }

    async fn alert(&self, id: i64) -> StoreResult<Option<StoredAlert>> {
        Ok(sqlx::query_as::<Db, StoredAlert>(ALERT)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn alert_inbox(
        &self,
        user_id: i64,
        until: Millis,
        limit: i64,
    ) -> StoreResult<Vec<StoredAlert>> {
        Ok(sqlx::query_as::<Db, StoredAlert>(ALERT_INBOX)
            .bind(user_id)
            .bind(until)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn upcoming_digests(&self, user_id: i64, after: Millis) -> StoreResult<Vec<StoredAlert>> {
        Ok(sqlx::query_as::<Db, StoredAlert>(UPCOMING_DIGESTS)
            .bind(user_id)
            .bind(after)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn acknowledge_alert(
        &self,
        id: i64,
        user_id: i64,
        at: Millis,
    ) -> StoreResult<StoredAlert> {
        let mut tx = self.begin_write().await?;
        let before: Option<(Option<i64>,)> = sqlx::query_as(ACKNOWLEDGE_ALERT_SELECT_ALERTS)
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((acknowledged_before,)) = before else {
            return Err(StoreError::NotFound);
        };
        let row = sqlx::query_as::<Db, StoredAlert>(ACKNOWLEDGE_ALERT_UPDATE_ALERTS)
            .bind(id)
            .bind(user_id)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
        if acknowledged_before.is_none() {
            let actor = format!("user:{user_id}");
            insert_alert_event(
                &mut tx,
                NewAlertEvent {
                    alert_id: id,
                    at,
                    kind: "acknowledged",
                    actor: &actor,
                    from_user: None,
                    to_user: None,
                    detail: "",
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(row)
    }

    async fn answer_alert(
        &self,
        id: i64,
        user_id: i64,
        outcome: &str,
        correction: Option<&str>,
        at: Millis,
    ) -> StoreResult<StoredAlert> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query_as::<Db, StoredAlert>(ANSWER_ALERT)
            .bind(id)
            .bind(user_id)
            .bind(outcome)
            .bind(correction)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let actor = format!("user:{user_id}");
        insert_alert_event(
            &mut tx,
            NewAlertEvent {
                alert_id: id,
                at,
                kind: "answered",
                actor: &actor,
                from_user: None,
                to_user: None,
                detail: outcome,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    async fn answered_alerts(
        &self,
        organization_id: i64,
        since: Millis,
    ) -> StoreResult<Vec<StoredAlert>> {
        Ok(sqlx::query_as::<Db, StoredAlert>(ANSWERED_ALERTS)
            .bind(organization_id)
            .bind(since)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn pending_digests(
        &self,
        organization_id: i64,
        after: Millis,
    ) -> StoreResult<Vec<(i64, Millis)>> {
        Ok(sqlx::query_as::<Db, (i64, i64)>(
            "SELECT DISTINCT delivered_to, deliver_at FROM alerts \
             WHERE organization_id = $1 AND delivery = 'queue' AND deliver_at > $2",
        )
        .bind(organization_id)
        .bind(after)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn delivered_alerts(
        &self,
        organization_id: i64,
        from: Millis,
        until: Millis,
    ) -> StoreResult<Vec<StoredAlert>> {
        Ok(sqlx::query_as::<Db, StoredAlert>(DELIVERED_ALERTS)
            .bind(organization_id)
            .bind(from)
            .bind(until)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn due_digests(
        &self,
        after: Millis,
        until: Millis,
        limit: i64,
    ) -> StoreResult<Vec<StoredAlert>> {
        Ok(sqlx::query_as::<Db, StoredAlert>(DUE_DIGESTS)
            .bind(after)
            .bind(until)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn unanswered_alerts(
        &self,
        since: Millis,
        until: Millis,
        limit: i64,
    ) -> StoreResult<Vec<StoredAlert>> {
        Ok(sqlx::query_as::<Db, StoredAlert>(UNANSWERED_ALERTS)
            .bind(since)
            .bind(until)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn hand_over_alert(
        &self,
        id: i64,
        from_user: i64,
        to_user: i64,
        at: Millis,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(HAND_OVER_ALERT)
            .bind(id)
            .bind(from_user)
            .bind(to_user)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        insert_alert_event(
            &mut tx,
            NewAlertEvent {
                alert_id: id,
                at,
                kind: "handed_over",
                actor: "",
                from_user: Some(from_user),
                to_user: Some(to_user),
                detail: "",
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn due_escalations(&self, at: Millis, limit: i64) -> StoreResult<Vec<StoredAlert>> {
        Ok(sqlx::query_as::<Db, StoredAlert>(DUE_ESCALATIONS)
            .bind(at)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn escalate_alert(
        &self,
        id: i64,
        from_step: i64,
        from_user: i64,
        to_user: i64,
        at: Millis,
        next_escalate_at: Option<Millis>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(ESCALATE_ALERT)
            .bind(id)
            .bind(from_step)
            .bind(to_user)
            .bind(at)
            .bind(next_escalate_at)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        let step = (from_step + 1).to_string();
        insert_alert_event(
            &mut tx,
            NewAlertEvent {
                alert_id: id,
                at,
                kind: "escalated",
                actor: "",
                from_user: Some(from_user),
                to_user: Some(to_user),
                detail: &step,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn replace_shifts(
        &self,
        organization_id: i64,
        from: Millis,
        until: Millis,
        shifts: &[NewShift],
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let mut services: Vec<&str> = shifts.iter().map(|s| s.service.as_str()).collect();
        services.sort_unstable();
        services.dedup();
        for service in services {
            sqlx::query(REPLACE_SHIFTS_DELETE_SHIFTS)
                .bind(organization_id)
                .bind(service)
                .bind(from)
                .bind(until)
                .execute(&mut *tx)
                .await?;
        }
        for s in shifts {
            sqlx::query(REPLACE_SHIFTS_INSERT_SHIFTS)
                .bind(organization_id)
                .bind(s.user_id)
                .bind(&s.service)
                .bind(&s.role)
                .bind(s.starts_at)
                .bind(s.ends_at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(shifts.len() as u64)
    }

    async fn shifts(
        &self,
        organization_id: i64,
        from: Millis,
        until: Millis,
    ) -> StoreResult<Vec<StoredShift>> {
        Ok(sqlx::query_as::<Db, StoredShift>(SHIFTS)
            .bind(organization_id)
            .bind(from)
            .bind(until)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn save_policy(
        &self,
        organization_id: i64,
        policy: &str,
        by: Option<i64>,
        at: Millis,
    ) -> StoreResult<PolicyVersion> {
        let mut tx = self.begin_write().await?;
        let (last,): (Option<i64>,) = sqlx::query_as(SAVE_POLICY_SELECT_ROUTING_POLICIES)
            .bind(organization_id)
            .fetch_one(&mut *tx)
            .await?;
        let row = sqlx::query_as::<Db, PolicyVersion>(SAVE_POLICY_INSERT_ROUTING_POLICIES)
            .bind(organization_id)
            .bind(last.unwrap_or(0) + 1)
            .bind(policy)
            .bind(by)
            .bind(at)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique("policy version"))?;
        tx.commit().await?;
        Ok(row)
    }

    async fn current_policy(&self, organization_id: i64) -> StoreResult<Option<PolicyVersion>> {
        Ok(sqlx::query_as::<Db, PolicyVersion>(CURRENT_POLICY)
            .bind(organization_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn policy_versions(&self, organization_id: i64) -> StoreResult<Vec<PolicyVersion>> {
        Ok(sqlx::query_as::<Db, PolicyVersion>(POLICY_VERSIONS)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn create_integration(&self, n: NewIntegration) -> StoreResult<Integration> {
        Ok(sqlx::query_as::<Db, Integration>(CREATE_INTEGRATION)
            .bind(n.organization_id)
            .bind(&n.name)
            .bind(&n.sources)
            .bind(&n.kinds)
            .bind(&n.addresses)
            .bind(&n.hl7_application)
            .bind(&n.hl7_facility)
            .bind(&n.secret_hash)
            .bind(n.created_by)
            .bind(n.created_at)
            .fetch_one(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique(
                "an integration with this name or HL7 sender",
            ))?)
    }

    async fn integrations(&self, organization_id: i64) -> StoreResult<Vec<Integration>> {
        Ok(sqlx::query_as::<Db, Integration>(INTEGRATIONS)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn integration(&self, id: i64) -> StoreResult<Option<Integration>> {
        Ok(sqlx::query_as::<Db, Integration>(INTEGRATION)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn integration_by_secret(&self, secret_hash: &str) -> StoreResult<Option<Integration>> {
        Ok(sqlx::query_as::<Db, Integration>(INTEGRATION_BY_SECRET)
            .bind(secret_hash)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn integration_for_hl7(
        &self,
        application: &str,
        facility: &str,
    ) -> StoreResult<Option<Integration>> {
        Ok(sqlx::query_as::<Db, Integration>(INTEGRATION_FOR_HL7)
            .bind(application)
            .bind(facility)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn revoke_integration(
        &self,
        organization_id: i64,
        id: i64,
        at: Millis,
    ) -> StoreResult<bool> {
        let done = sqlx::query(REVOKE_INTEGRATION)
            .bind(organization_id)
            .bind(id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn touch_integration(&self, id: i64, at: Millis) -> StoreResult<()> {
        sqlx::query(TOUCH_INTEGRATION)
            .bind(id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }
}
