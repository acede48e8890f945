//! Routing's SQL, shared by both backends (see [`crate::sql`]).

#[macro_export]
macro_rules! sql_routing_store {
    ($store:ty, $db:ty) => {
        #[$crate::sql::async_trait]
        impl $crate::RoutingStore for $store {
            async fn create_alert(
                &self,
                a: $crate::NewAlert,
            ) -> $crate::StoreResult<($crate::StoredAlert, bool)> {
                const EXISTING: &str =
                    "SELECT * FROM alerts WHERE organization_id = $1 AND source = $2 AND source_id = $3";
                let mut tx = self.begin_write().await?;
                let existing = $crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(EXISTING)
                    .bind(a.organization_id)
                    .bind(&a.source)
                    .bind(&a.source_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = existing {
                    tx.commit().await?;
                    return Ok((row, false));
                }
                let row = $crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(
                    "INSERT INTO alerts (organization_id, source, source_id, category, priority, service, \
                     recipient, sealed, received_at, delivered_to, delivery, deliver_at, reason, escalate_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *",
                )
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
                .fetch_one(&mut *tx)
                .await;
                match row {
                    Ok(row) => {
                        tx.commit().await?;
                        Ok((row, true))
                    }
                    // The same alert arrived twice at once: the first one is the alert.
                    Err($crate::sql::sqlx::Error::Database(e)) if e.is_unique_violation() => {
                        drop(tx);
                        let row = $crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(EXISTING)
                            .bind(a.organization_id)
                            .bind(&a.source)
                            .bind(&a.source_id)
                            .fetch_one(&mut *self.writer().await?)
                            .await?;
                        Ok((row, false))
                    }
                    Err(e) => Err(e.into()),
                }
            }

            async fn alert(&self, id: i64) -> $crate::StoreResult<Option<$crate::StoredAlert>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>("SELECT * FROM alerts WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *self.reader().await?)
                    .await?)
            }

            async fn alert_inbox(
                &self,
                user_id: i64,
                until: ::huddle_core::clock::Millis,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::StoredAlert>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(
                    "SELECT * FROM alerts WHERE delivered_to = $1 AND deliver_at <= $2 \
                     ORDER BY deliver_at DESC, id DESC LIMIT $3",
                )
                .bind(user_id)
                .bind(until)
                .bind(limit)
                .fetch_all(&mut *self.reader().await?)
                .await?)
            }

            async fn upcoming_digests(
                &self,
                user_id: i64,
                after: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<Vec<$crate::StoredAlert>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(
                    "SELECT * FROM alerts WHERE delivered_to = $1 AND deliver_at > $2 ORDER BY deliver_at, id",
                )
                .bind(user_id)
                .bind(after)
                .fetch_all(&mut *self.reader().await?)
                .await?)
            }

            async fn acknowledge_alert(
                &self,
                id: i64,
                user_id: i64,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<$crate::StoredAlert> {
                $crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(
                    "UPDATE alerts SET state = CASE WHEN state = 'open' THEN 'acknowledged' ELSE state END, \
                     acknowledged_at = COALESCE(acknowledged_at, $3), escalate_at = NULL \
                     WHERE id = $1 AND delivered_to = $2 RETURNING *",
                )
                .bind(id)
                .bind(user_id)
                .bind(at)
                .fetch_optional(&mut *self.writer().await?)
                .await?
                .ok_or($crate::StoreError::NotFound)
            }

            async fn answer_alert(
                &self,
                id: i64,
                user_id: i64,
                outcome: &str,
                correction: Option<&str>,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<$crate::StoredAlert> {
                $crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(
                    "UPDATE alerts SET state = $3, correction = COALESCE($4, correction), \
                     acknowledged_at = COALESCE(acknowledged_at, $5), answered_at = $5, escalate_at = NULL \
                     WHERE id = $1 AND delivered_to = $2 RETURNING *",
                )
                .bind(id)
                .bind(user_id)
                .bind(outcome)
                .bind(correction)
                .bind(at)
                .fetch_optional(&mut *self.writer().await?)
                .await?
                .ok_or($crate::StoreError::NotFound)
            }

            async fn answered_alerts(
                &self,
                organization_id: i64,
                since: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<Vec<$crate::StoredAlert>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(
                    "SELECT * FROM alerts WHERE organization_id = $1 AND answered_at >= $2 ORDER BY answered_at, id",
                )
                .bind(organization_id)
                .bind(since)
                .fetch_all(&mut *self.reader().await?)
                .await?)
            }

            async fn pending_digests(
                &self,
                organization_id: i64,
                after: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<Vec<(i64, ::huddle_core::clock::Millis)>> {
                Ok($crate::sql::sqlx::query_as::<$db, (i64, i64)>(
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
                from: ::huddle_core::clock::Millis,
                until: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<Vec<$crate::StoredAlert>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(
                    "SELECT * FROM alerts WHERE organization_id = $1 AND deliver_at >= $2 AND deliver_at < $3 \
                     ORDER BY deliver_at, id",
                )
                .bind(organization_id)
                .bind(from)
                .bind(until)
                .fetch_all(&mut *self.reader().await?)
                .await?)
            }

            async fn due_digests(
                &self,
                after: ::huddle_core::clock::Millis,
                until: ::huddle_core::clock::Millis,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::StoredAlert>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(
                    "SELECT * FROM alerts WHERE delivery = 'queue' AND deliver_at > $1 AND deliver_at <= $2 \
                     ORDER BY deliver_at, id LIMIT $3",
                )
                .bind(after)
                .bind(until)
                .bind(limit)
                .fetch_all(&mut *self.reader().await?)
                .await?)
            }

            async fn unanswered_alerts(
                &self,
                since: ::huddle_core::clock::Millis,
                until: ::huddle_core::clock::Millis,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::StoredAlert>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(
                    "SELECT * FROM alerts WHERE state IN ('open', 'acknowledged') AND deliver_at >= $1 \
                     AND deliver_at <= $2 ORDER BY deliver_at, id LIMIT $3",
                )
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
            ) -> $crate::StoreResult<bool> {
                let done = $crate::sql::sqlx::query(
                    "UPDATE alerts SET delivered_to = $3 WHERE id = $1 AND delivered_to = $2 \
                     AND state IN ('open', 'acknowledged')",
                )
                .bind(id)
                .bind(from_user)
                .bind(to_user)
                .execute(&mut *self.writer().await?)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn due_escalations(
                &self,
                at: ::huddle_core::clock::Millis,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::StoredAlert>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::StoredAlert>(
                    "SELECT * FROM alerts WHERE escalate_at IS NOT NULL AND escalate_at <= $1 \
                     AND state = 'open' ORDER BY escalate_at, id LIMIT $2",
                )
                .bind(at)
                .bind(limit)
                .fetch_all(&mut *self.reader().await?)
                .await?)
            }

            async fn escalate_alert(
                &self,
                id: i64,
                from_step: i64,
                to_user: i64,
                at: ::huddle_core::clock::Millis,
                next_escalate_at: Option<::huddle_core::clock::Millis>,
            ) -> $crate::StoreResult<bool> {
                let done = $crate::sql::sqlx::query(
                    "UPDATE alerts SET escalation_step = escalation_step + 1, delivered_to = $3, \
                     deliver_at = $4, escalate_at = $5 \
                     WHERE id = $1 AND escalation_step = $2 AND state = 'open'",
                )
                .bind(id)
                .bind(from_step)
                .bind(to_user)
                .bind(at)
                .bind(next_escalate_at)
                .execute(&mut *self.writer().await?)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn replace_shifts(
                &self,
                organization_id: i64,
                from: ::huddle_core::clock::Millis,
                until: ::huddle_core::clock::Millis,
                shifts: &[$crate::NewShift],
            ) -> $crate::StoreResult<u64> {
                let mut tx = self.begin_write().await?;
                let mut services: Vec<&str> = shifts.iter().map(|s| s.service.as_str()).collect();
                services.sort_unstable();
                services.dedup();
                for service in services {
                    $crate::sql::sqlx::query(
                        "DELETE FROM shifts WHERE organization_id = $1 AND service = $2 \
                         AND starts_at >= $3 AND starts_at < $4",
                    )
                    .bind(organization_id)
                    .bind(service)
                    .bind(from)
                    .bind(until)
                    .execute(&mut *tx)
                    .await?;
                }
                for s in shifts {
                    $crate::sql::sqlx::query(
                        "INSERT INTO shifts (organization_id, user_id, service, role, starts_at, ends_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
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
                from: ::huddle_core::clock::Millis,
                until: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<Vec<$crate::StoredShift>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::StoredShift>(
                    "SELECT * FROM shifts WHERE organization_id = $1 AND ends_at > $2 AND starts_at < $3 \
                     ORDER BY starts_at, id",
                )
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
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<$crate::PolicyVersion> {
                let mut tx = self.begin_write().await?;
                let (last,): (Option<i64>,) = $crate::sql::sqlx::query_as(
                    "SELECT MAX(version) FROM routing_policies WHERE organization_id = $1",
                )
                .bind(organization_id)
                .fetch_one(&mut *tx)
                .await?;
                let row = $crate::sql::sqlx::query_as::<$db, $crate::PolicyVersion>(
                    "INSERT INTO routing_policies (organization_id, version, policy, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING *",
                )
                .bind(organization_id)
                .bind(last.unwrap_or(0) + 1)
                .bind(policy)
                .bind(by)
                .bind(at)
                .fetch_one(&mut *tx)
                .await
                .map_err($crate::StoreError::unique("policy version"))?;
                tx.commit().await?;
                Ok(row)
            }

            async fn current_policy(
                &self,
                organization_id: i64,
            ) -> $crate::StoreResult<Option<$crate::PolicyVersion>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::PolicyVersion>(
                    "SELECT * FROM routing_policies WHERE organization_id = $1 ORDER BY version DESC LIMIT 1",
                )
                .bind(organization_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?)
            }

            async fn policy_versions(
                &self,
                organization_id: i64,
            ) -> $crate::StoreResult<Vec<$crate::PolicyVersion>> {
                Ok($crate::sql::sqlx::query_as::<$db, $crate::PolicyVersion>(
                    "SELECT * FROM routing_policies WHERE organization_id = $1 ORDER BY version DESC",
                )
                .bind(organization_id)
                .fetch_all(&mut *self.reader().await?)
                .await?)
            }
        }
    };
}
