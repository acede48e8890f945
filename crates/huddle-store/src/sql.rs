//! The SQL both backends share. SQLite and PostgreSQL agree on everything Huddle needs here
//! (`$n` parameters, `RETURNING`, `ON CONFLICT`, BIGINT milliseconds for time), so the
//! statements are written once and `sql_store!` implements the traits for a backend. Each
//! backend supplies a connection to read on, one to write on, and a write transaction, each
//! dereferencing to its `sqlx` connection (and the transaction with a `commit`):
//!
//! ```ignore
//! impl SqliteStore {
//!     async fn reader(&self) -> Result<impl DerefMut<Target = SqliteConnection>, sqlx::Error>;
//!     async fn writer(&self) -> Result<impl DerefMut<Target = SqliteConnection>, sqlx::Error>;
//!     async fn begin_write(&self) -> Result<impl DerefMut<Target = SqliteConnection>, sqlx::Error>;
//! }
//! huddle_store::sql_store!(SqliteStore, sqlx::Sqlite);
//! ```
//!
//! Where the dialects differ (job queues, full-text search) the backend crates write their
//! own statements.

#[doc(hidden)]
pub use async_trait::async_trait;
#[doc(hidden)]
pub use sqlx;

#[macro_export]
macro_rules! sql_store {
    ($store:ty, $db:ty) => {
        #[$crate::sql::async_trait]
        impl $crate::IdentityStore for $store {
            async fn create_organization(
                &self,
                name: &str,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<$crate::Organization> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::OrganizationRow>(
                    "INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING *",
                )
                .bind(name)
                .bind(at)
                .fetch_one(&mut *self.writer().await?)
                .await
                .map_err($crate::StoreError::unique("organization"))?;
                Ok(row.into())
            }

            async fn organizations(&self) -> $crate::StoreResult<Vec<$crate::Organization>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::OrganizationRow>(
                    "SELECT * FROM organizations ORDER BY name",
                )
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn organization(
                &self,
                id: i64,
            ) -> $crate::StoreResult<Option<$crate::Organization>> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::OrganizationRow>(
                    "SELECT * FROM organizations WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn create_department(
                &self,
                organization_id: i64,
                name: &str,
            ) -> $crate::StoreResult<$crate::Department> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::DepartmentRow>(
                    "INSERT INTO departments (organization_id, name) VALUES ($1, $2) RETURNING *",
                )
                .bind(organization_id)
                .bind(name)
                .fetch_one(&mut *self.writer().await?)
                .await
                .map_err($crate::StoreError::unique("department"))?;
                Ok(row.into())
            }

            async fn departments(
                &self,
                organization_id: i64,
            ) -> $crate::StoreResult<Vec<$crate::Department>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::DepartmentRow>(
                    "SELECT * FROM departments WHERE organization_id = $1 ORDER BY name",
                )
                .bind(organization_id)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn department(&self, id: i64) -> $crate::StoreResult<Option<$crate::Department>> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::DepartmentRow>(
                    "SELECT * FROM departments WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn create_user(&self, user: $crate::NewUser) -> $crate::StoreResult<$crate::User> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::UserRow>(
                    "INSERT INTO users (email, display_name, roles, organization_id, department_id, \
                     password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
                )
                .bind(user.email.as_str())
                .bind(user.display_name.as_str())
                .bind(user.roles.to_stored())
                .bind(user.organization_id)
                .bind(user.department_id)
                .bind(&user.password_hash)
                .bind(user.created_at)
                .fetch_one(&mut *self.writer().await?)
                .await
                .map_err($crate::StoreError::unique("email"))?;
                row.try_into()
            }

            async fn user(&self, id: i64) -> $crate::StoreResult<Option<$crate::User>> {
                $crate::sql::sqlx::query_as::<$db, $crate::rows::UserRow>(
                    "SELECT * FROM users WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?
                .map(TryInto::try_into)
                .transpose()
            }

            async fn user_by_email(
                &self,
                email: &::huddle_core::identity::Email,
            ) -> $crate::StoreResult<Option<$crate::User>> {
                $crate::sql::sqlx::query_as::<$db, $crate::rows::UserRow>(
                    "SELECT * FROM users WHERE email = $1",
                )
                .bind(email.as_str())
                .fetch_optional(&mut *self.reader().await?)
                .await?
                .map(TryInto::try_into)
                .transpose()
            }

            async fn users_in_organization(
                &self,
                organization_id: i64,
            ) -> $crate::StoreResult<Vec<$crate::User>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::UserRow>(
                    "SELECT * FROM users WHERE organization_id = $1 ORDER BY display_name, id",
                )
                .bind(organization_id)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                $crate::rows::all(rows)
            }

            async fn set_roles(
                &self,
                user_id: i64,
                roles: &::huddle_core::identity::Roles,
            ) -> $crate::StoreResult<()> {
                let done = $crate::sql::sqlx::query("UPDATE users SET roles = $2 WHERE id = $1")
                    .bind(user_id)
                    .bind(roles.to_stored())
                    .execute(&mut *self.writer().await?)
                    .await?;
                $crate::sql::one_row(done.rows_affected())
            }

            async fn set_membership(
                &self,
                user_id: i64,
                organization_id: Option<i64>,
                department_id: Option<i64>,
            ) -> $crate::StoreResult<()> {
                let done = $crate::sql::sqlx::query(
                    "UPDATE users SET organization_id = $2, department_id = $3 WHERE id = $1",
                )
                .bind(user_id)
                .bind(organization_id)
                .bind(department_id)
                .execute(&mut *self.writer().await?)
                .await?;
                $crate::sql::one_row(done.rows_affected())
            }

            async fn set_password_hash(&self, user_id: i64, hash: &str) -> $crate::StoreResult<()> {
                let done =
                    $crate::sql::sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
                        .bind(user_id)
                        .bind(hash)
                        .execute(&mut *self.writer().await?)
                        .await?;
                $crate::sql::one_row(done.rows_affected())
            }

            async fn record_login_failure(
                &self,
                user_id: i64,
                at: ::huddle_core::clock::Millis,
                threshold: i64,
                lock_for: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<$crate::LoginFailure> {
                let until = at.saturating_add(lock_for);
                let row: Option<(i64, Option<i64>)> = $crate::sql::sqlx::query_as(
                    "UPDATE users SET \
                       failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END, \
                       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END \
                     WHERE id = $1 RETURNING failed_logins, locked_until",
                )
                .bind(user_id)
                .bind(threshold)
                .bind(until)
                .fetch_optional(&mut *self.writer().await?)
                .await?;
                let (failed_logins, locked_until) = row.ok_or($crate::StoreError::NotFound)?;
                Ok($crate::LoginFailure {
                    failed_logins,
                    locked_until: locked_until.filter(|&u| u == until),
                })
            }

            async fn record_login_success(&self, user_id: i64) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query(
                    "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
                )
                .bind(user_id)
                .execute(&mut *self.writer().await?)
                .await?;
                Ok(())
            }

            async fn set_totp_secret(
                &self,
                user_id: i64,
                secret: Option<&str>,
            ) -> $crate::StoreResult<()> {
                let done = $crate::sql::sqlx::query(
                    "UPDATE users SET totp_secret = $2, totp_last_step = NULL WHERE id = $1",
                )
                .bind(user_id)
                .bind(secret)
                .execute(&mut *self.writer().await?)
                .await?;
                $crate::sql::one_row(done.rows_affected())
            }

            async fn accept_totp_step(&self, user_id: i64, step: i64) -> $crate::StoreResult<bool> {
                let done = $crate::sql::sqlx::query(
                    "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_secret IS NOT NULL \
                     AND (totp_last_step IS NULL OR totp_last_step < $2)",
                )
                .bind(user_id)
                .bind(step)
                .execute(&mut *self.writer().await?)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_team(&self, user_id: i64, team: &str) -> $crate::StoreResult<()> {
                let done = $crate::sql::sqlx::query("UPDATE users SET team = $2 WHERE id = $1")
                    .bind(user_id)
                    .bind(team)
                    .execute(&mut *self.writer().await?)
                    .await?;
                $crate::sql::one_row(done.rows_affected())
            }

            async fn set_status(&self, user_id: i64, status: &str, message: &str) -> $crate::StoreResult<()> {
                let done = $crate::sql::sqlx::query(
                    "UPDATE users SET status = $2, status_message = $3 WHERE id = $1",
                )
                .bind(user_id)
                .bind(status)
                .bind(message)
                .execute(&mut *self.writer().await?)
                .await?;
                $crate::sql::one_row(done.rows_affected())
            }

            async fn set_organization_time_zone(
                &self,
                organization_id: i64,
                zone: Option<&str>,
            ) -> $crate::StoreResult<()> {
                let done =
                    $crate::sql::sqlx::query("UPDATE organizations SET time_zone = $2 WHERE id = $1")
                        .bind(organization_id)
                        .bind(zone)
                        .execute(&mut *self.writer().await?)
                        .await?;
                $crate::sql::one_row(done.rows_affected())
            }

            async fn organization_time_zone(
                &self,
                organization_id: i64,
            ) -> $crate::StoreResult<Option<String>> {
                let zone: Option<Option<String>> = $crate::sql::sqlx::query_scalar(
                    "SELECT time_zone FROM organizations WHERE id = $1",
                )
                .bind(organization_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(zone.flatten())
            }

            async fn set_user_time_zone(&self, user_id: i64, zone: Option<&str>) -> $crate::StoreResult<()> {
                let done = $crate::sql::sqlx::query("UPDATE users SET time_zone = $2 WHERE id = $1")
                    .bind(user_id)
                    .bind(zone)
                    .execute(&mut *self.writer().await?)
                    .await?;
                $crate::sql::one_row(done.rows_affected())
            }

            async fn time_zones(
                &self,
                user_id: i64,
            ) -> $crate::StoreResult<(Option<String>, Option<String>)> {
                let zones: Option<(Option<String>, Option<String>)> = $crate::sql::sqlx::query_as(
                    "SELECT u.time_zone, o.time_zone FROM users u \
                     LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id = $1",
                )
                .bind(user_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(zones.unwrap_or_default())
            }
        }

        #[$crate::sql::async_trait]
        impl $crate::SessionStore for $store {
            async fn create_session(&self, s: &$crate::Session) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query(
                    "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, \
                     mfa_pending) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&s.id_hash)
                .bind(s.user_id)
                .bind(&s.csrf_token)
                .bind(s.created_at)
                .bind(s.last_seen_at)
                .bind(s.mfa_pending)
                .execute(&mut *self.writer().await?)
                .await
                .map_err($crate::StoreError::unique("session"))?;
                Ok(())
            }

            async fn session(&self, id_hash: &str) -> $crate::StoreResult<Option<$crate::Session>> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::SessionRow>(
                    "SELECT * FROM sessions WHERE id_hash = $1",
                )
                .bind(id_hash)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn touch_session(
                &self,
                id_hash: &str,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
                    .bind(id_hash)
                    .bind(at)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(())
            }

            async fn delete_session(&self, id_hash: &str) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                    .bind(id_hash)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(())
            }

            async fn delete_user_sessions(
                &self,
                user_id: i64,
                except: Option<&str>,
            ) -> $crate::StoreResult<u64> {
                let done = $crate::sql::sqlx::query(
                    "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2",
                )
                .bind(user_id)
                .bind(except.unwrap_or(""))
                .execute(&mut *self.writer().await?)
                .await?;
                Ok(done.rows_affected())
            }

            async fn delete_expired_sessions(
                &self,
                idle_before: ::huddle_core::clock::Millis,
                created_before: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<u64> {
                let done = $crate::sql::sqlx::query(
                    "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2",
                )
                .bind(idle_before)
                .bind(created_before)
                .execute(&mut *self.writer().await?)
                .await?;
                Ok(done.rows_affected())
            }

            async fn create_api_token(
                &self,
                user_id: i64,
                name: &str,
                token_hash: &str,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<$crate::ApiToken> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::ApiTokenRow>(
                    "INSERT INTO api_tokens (user_id, name, token_hash, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING *",
                )
                .bind(user_id)
                .bind(name)
                .bind(token_hash)
                .bind(at)
                .fetch_one(&mut *self.writer().await?)
                .await
                .map_err($crate::StoreError::unique("token name"))?;
                Ok(row.into())
            }

            async fn api_token_owner(
                &self,
                token_hash: &str,
            ) -> $crate::StoreResult<Option<($crate::ApiToken, $crate::User)>> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::TokenOwnerRow>(
                    "SELECT u.*, t.id AS token_id, t.name AS token_name, \
                     t.created_at AS token_created_at, t.last_used_at AS token_last_used_at \
                     FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                row.map(|r| r.into_parts(token_hash)).transpose()
            }

            async fn api_tokens(&self, user_id: i64) -> $crate::StoreResult<Vec<$crate::ApiToken>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::ApiTokenRow>(
                    "SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id",
                )
                .bind(user_id)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn touch_api_token(
                &self,
                id: i64,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(at)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(())
            }

            async fn revoke_api_token(&self, user_id: i64, id: i64) -> $crate::StoreResult<bool> {
                let done =
                    $crate::sql::sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
                        .bind(id)
                        .bind(user_id)
                        .execute(&mut *self.writer().await?)
                        .await?;
                Ok(done.rows_affected() == 1)
            }
        }

        #[$crate::sql::async_trait]
        impl $crate::VerificationStore for $store {
            async fn submit_verification(
                &self,
                new: $crate::NewVerification,
            ) -> $crate::StoreResult<$crate::VerificationRequest> {
                let mut tx = self.begin_write().await?;
                $crate::sql::sqlx::query(
                    "UPDATE verification_requests SET status = 'superseded' \
                     WHERE user_id = $1 AND status = 'pending'",
                )
                .bind(new.user_id)
                .execute(&mut *tx)
                .await?;
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::VerificationRow>(
                    "INSERT INTO verification_requests (user_id, npi, license_state, license_number, \
                     specialty_code, status, submitted_at) \
                     VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING *",
                )
                .bind(new.user_id)
                .bind(new.npi.as_str())
                .bind(new.license_state.as_str())
                .bind(new.license_number.as_str())
                .bind(new.specialty.code)
                .bind(new.submitted_at)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                row.try_into()
            }

            async fn latest_verification(
                &self,
                user_id: i64,
            ) -> $crate::StoreResult<Option<$crate::VerificationRequest>> {
                $crate::sql::sqlx::query_as::<$db, $crate::rows::VerificationRow>(
                    "SELECT * FROM verification_requests WHERE user_id = $1 ORDER BY id DESC LIMIT 1",
                )
                .bind(user_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?
                .map(TryInto::try_into)
                .transpose()
            }

            async fn verification(
                &self,
                id: i64,
            ) -> $crate::StoreResult<Option<$crate::VerificationRequest>> {
                $crate::sql::sqlx::query_as::<$db, $crate::rows::VerificationRow>(
                    "SELECT * FROM verification_requests WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?
                .map(TryInto::try_into)
                .transpose()
            }

            async fn pending_verifications(
                &self,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::VerificationRequest>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::VerificationRow>(
                    "SELECT * FROM verification_requests WHERE status = 'pending' \
                     ORDER BY submitted_at, id LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                $crate::rows::all(rows)
            }

            async fn decide_verification(
                &self,
                id: i64,
                d: &$crate::Decision,
            ) -> $crate::StoreResult<$crate::VerificationRequest> {
                let status = if d.approve { "verified" } else { "rejected" };
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::VerificationRow>(
                    "UPDATE verification_requests SET status = $2, decided_by = $3, decided_at = $4, \
                     reason = $5 WHERE id = $1 AND status = 'pending' RETURNING *",
                )
                .bind(id)
                .bind(status)
                .bind(d.decided_by)
                .bind(d.at)
                .bind(&d.reason)
                .fetch_optional(&mut *self.writer().await?)
                .await?;
                match row {
                    Some(row) => row.try_into(),
                    None => match $crate::VerificationStore::verification(self, id).await? {
                        Some(_) => Err($crate::StoreError::InvalidState(
                            "this request was already decided or replaced",
                        )),
                        None => Err($crate::StoreError::NotFound),
                    },
                }
            }

            async fn upsert_nppes_records(
                &self,
                records: &[$crate::NppesRecord],
            ) -> $crate::StoreResult<u64> {
                let mut tx = self.begin_write().await?;
                for r in records {
                    $crate::sql::sqlx::query(
                        "INSERT INTO nppes_records (npi, entity_type, last_name, first_name, licenses, \
                         taxonomy_codes) VALUES ($1, $2, $3, $4, $5, $6) \
                         ON CONFLICT (npi) DO UPDATE SET entity_type = excluded.entity_type, \
                         last_name = excluded.last_name, first_name = excluded.first_name, \
                         licenses = excluded.licenses, taxonomy_codes = excluded.taxonomy_codes",
                    )
                    .bind(&r.npi)
                    .bind(r.entity_type)
                    .bind(&r.last_name)
                    .bind(&r.first_name)
                    .bind(&r.licenses)
                    .bind(&r.taxonomy_codes)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(records.len() as u64)
            }

            async fn nppes_record(
                &self,
                npi: &str,
            ) -> $crate::StoreResult<Option<$crate::NppesRecord>> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::NppesRow>(
                    "SELECT * FROM nppes_records WHERE npi = $1",
                )
                .bind(npi)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(row.map(Into::into))
            }
        }

        #[$crate::sql::async_trait]
        impl $crate::AuditStore for $store {
            async fn append_audit(
                &self,
                event: $crate::NewAuditEvent,
            ) -> $crate::StoreResult<::huddle_core::audit::ChainedEntry> {
                self.append_audit_batch(vec![event])
                    .await?
                    .pop()
                    .ok_or($crate::StoreError::NotFound)
            }

            async fn append_audit_batch(
                &self,
                events: Vec<$crate::NewAuditEvent>,
            ) -> $crate::StoreResult<Vec<::huddle_core::audit::ChainedEntry>> {
                let mut tx = self.begin_write().await?;
                // Taking the head row's lock serializes appends (PostgreSQL row lock; SQLite's
                // single writer), so the chain never forks. A batch takes it once.
                let (mut seq, mut prev_hash): (i64, String) = $crate::sql::sqlx::query_as(
                    "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash",
                )
                .fetch_one(&mut *tx)
                .await?;
                let mut entries = Vec::with_capacity(events.len());
                for event in events {
                    seq += 1;
                    let detail = event.detail.to_string();
                    let action = event.action.as_str();
                    let hash = ::huddle_core::audit::entry_hash(
                        &prev_hash,
                        seq,
                        event.at,
                        event.actor_id,
                        action,
                        &event.target,
                        &detail,
                    );
                    $crate::sql::sqlx::query(
                        "INSERT INTO audit_log (seq, at, actor_id, action, target, detail, prev_hash, hash) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(seq)
                    .bind(event.at)
                    .bind(event.actor_id)
                    .bind(action)
                    .bind(&event.target)
                    .bind(&detail)
                    .bind(&prev_hash)
                    .bind(&hash)
                    .execute(&mut *tx)
                    .await?;
                    entries.push(::huddle_core::audit::ChainedEntry {
                        seq,
                        at: event.at,
                        actor_id: event.actor_id,
                        action: action.to_string(),
                        target: event.target,
                        detail,
                        prev_hash: std::mem::replace(&mut prev_hash, hash.clone()),
                        hash,
                    });
                }
                $crate::sql::sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                    .bind(seq)
                    .bind(&prev_hash)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(entries)
            }

            async fn audit_entries(
                &self,
                after: i64,
                limit: i64,
            ) -> $crate::StoreResult<Vec<::huddle_core::audit::ChainedEntry>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::AuditRow>(
                    "SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                )
                .bind(after)
                .bind(limit)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn recent_audit(
                &self,
                limit: i64,
            ) -> $crate::StoreResult<Vec<::huddle_core::audit::ChainedEntry>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::AuditRow>(
                    "SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn audit_head(&self) -> $crate::StoreResult<(i64, String)> {
                let head: (i64, String) =
                    $crate::sql::sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                        .fetch_one(&mut *self.reader().await?)
                        .await?;
                Ok(head)
            }
        }

        #[$crate::sql::async_trait]
        impl $crate::WellbeingStore for $store {
            async fn save_response(
                &self,
                r: $crate::NewSealedResponse,
            ) -> $crate::StoreResult<$crate::SealedResponse> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::SealedResponseRow>(
                    "INSERT INTO wellbeing_responses (user_id, organization_id, department_id, checkin_id, \
                     submitted_at, sealed) VALUES ($1, $2, $3, $4, $5, $6) \
                     RETURNING id, user_id, checkin_id, submitted_at, sealed",
                )
                .bind(r.user_id)
                .bind(r.organization_id)
                .bind(r.department_id)
                .bind(&r.checkin_id)
                .bind(r.submitted_at)
                .bind(&r.sealed)
                .fetch_one(&mut *self.writer().await?)
                .await?;
                Ok(row.into())
            }

            async fn responses(&self, user_id: i64) -> $crate::StoreResult<Vec<$crate::SealedResponse>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::SealedResponseRow>(
                    "SELECT id, user_id, checkin_id, submitted_at, sealed FROM wellbeing_responses \
                     WHERE user_id = $1 ORDER BY submitted_at, id",
                )
                .bind(user_id)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn response(
                &self,
                user_id: i64,
                id: i64,
            ) -> $crate::StoreResult<Option<$crate::SealedResponse>> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::SealedResponseRow>(
                    "SELECT id, user_id, checkin_id, submitted_at, sealed FROM wellbeing_responses \
                     WHERE user_id = $1 AND id = $2",
                )
                .bind(user_id)
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn erase_wellbeing_data(&self, user_id: i64) -> $crate::StoreResult<u64> {
                let mut tx = self.begin_write().await?;
                let done = $crate::sql::sqlx::query("DELETE FROM wellbeing_responses WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                for table in ["wellbeing_keys", "wellbeing_settings"] {
                    $crate::sql::sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                self.after_erase().await?;
                Ok(done.rows_affected())
            }

            async fn reminder_days(&self, user_id: i64) -> $crate::StoreResult<Option<i64>> {
                let row: Option<(Option<i64>,)> = $crate::sql::sqlx::query_as(
                    "SELECT reminder_days FROM wellbeing_settings WHERE user_id = $1",
                )
                .bind(user_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(row.and_then(|r| r.0))
            }

            async fn set_reminder_days(&self, user_id: i64, days: Option<i64>) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query(
                    "INSERT INTO wellbeing_settings (user_id, reminder_days) VALUES ($1, $2) \
                     ON CONFLICT (user_id) DO UPDATE SET reminder_days = excluded.reminder_days",
                )
                .bind(user_id)
                .bind(days)
                .execute(&mut *self.writer().await?)
                .await?;
                Ok(())
            }

            async fn upsert_curated_resources(&self, resources: &[$crate::Resource]) -> $crate::StoreResult<()> {
                let mut tx = self.begin_write().await?;
                for r in resources {
                    $crate::sql::sqlx::query(
                        "INSERT INTO resources (organization_id, slug, title, body, contact, url, kind, level, \
                         drivers, audience) VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, $8, $9) \
                         ON CONFLICT (slug) WHERE organization_id IS NULL DO UPDATE SET title = excluded.title, \
                         body = excluded.body, contact = excluded.contact, url = excluded.url, kind = excluded.kind, \
                         level = excluded.level, drivers = excluded.drivers, audience = excluded.audience",
                    )
                    .bind(&r.slug)
                    .bind(&r.title)
                    .bind(&r.body)
                    .bind(&r.contact)
                    .bind(&r.url)
                    .bind(&r.kind)
                    .bind(&r.level)
                    .bind(&r.drivers)
                    .bind(&r.audience)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn add_resource(&self, r: &$crate::Resource) -> $crate::StoreResult<$crate::Resource> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::ResourceRow>(
                    "INSERT INTO resources (organization_id, slug, title, body, contact, url, kind, level, \
                     drivers, audience) VALUES ($1, '', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *",
                )
                .bind(r.organization_id)
                .bind(&r.title)
                .bind(&r.body)
                .bind(&r.contact)
                .bind(&r.url)
                .bind(&r.kind)
                .bind(&r.level)
                .bind(&r.drivers)
                .bind(&r.audience)
                .fetch_one(&mut *self.writer().await?)
                .await?;
                Ok(row.into())
            }

            async fn resources(&self, organization_id: Option<i64>) -> $crate::StoreResult<Vec<$crate::Resource>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::ResourceRow>(
                    "SELECT * FROM resources WHERE organization_id IS NULL OR organization_id = $1 \
                     ORDER BY kind, title",
                )
                .bind(organization_id)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn delete_resource(&self, organization_id: i64, id: i64) -> $crate::StoreResult<bool> {
                let done = $crate::sql::sqlx::query("DELETE FROM resources WHERE id = $1 AND organization_id = $2")
                    .bind(id)
                    .bind(organization_id)
                    .execute(&mut *self.writer().await?)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn search_resources(
                &self,
                organization_id: Option<i64>,
                query: &str,
            ) -> $crate::StoreResult<Vec<$crate::Resource>> {
                self.search_resources_fts(organization_id, query).await
            }

            async fn urgent_contact(&self, organization_id: i64) -> $crate::StoreResult<Option<String>> {
                let row: Option<(Option<String>,)> =
                    $crate::sql::sqlx::query_as("SELECT urgent_contact FROM organizations WHERE id = $1")
                        .bind(organization_id)
                        .fetch_optional(&mut *self.reader().await?)
                        .await?;
                Ok(row.and_then(|r| r.0))
            }

            async fn set_urgent_contact(&self, organization_id: i64, contact: Option<&str>) -> $crate::StoreResult<()> {
                let done = $crate::sql::sqlx::query("UPDATE organizations SET urgent_contact = $2 WHERE id = $1")
                    .bind(organization_id)
                    .bind(contact)
                    .execute(&mut *self.writer().await?)
                    .await?;
                $crate::sql::one_row(done.rows_affected())
            }
        }

        #[$crate::sql::async_trait]
        impl $crate::MessagingStore for $store {
            async fn create_conversation(
                &self,
                c: $crate::NewConversation,
            ) -> $crate::StoreResult<$crate::Conversation> {
                let mut tx = self.begin_write().await?;
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::ConversationRow>(
                    "INSERT INTO conversations (organization_id, kind, name, private, created_by, created_at, \
                     direct_key, patient_sealed, team) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, \
                     organization_id, kind, name, private, created_by, created_at, last_seq, last_message_at, \
                     patient_sealed, team",
                )
                .bind(c.organization_id)
                .bind(&c.kind)
                .bind(&c.name)
                .bind(c.private)
                .bind(c.created_by)
                .bind(c.at)
                .bind(&c.direct_key)
                .bind(&c.patient_sealed)
                .bind(&c.team)
                .fetch_one(&mut *tx)
                .await
                .map_err($crate::StoreError::unique("direct conversation"))?;
                for user_id in &c.members {
                    $crate::sql::sqlx::query(
                        "INSERT INTO conversation_members (conversation_id, user_id, last_read_seq, joined_at) \
                         VALUES ($1, $2, 0, $3) ON CONFLICT (conversation_id, user_id) DO NOTHING",
                    )
                    .bind(row.id)
                    .bind(user_id)
                    .bind(c.at)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(row.into())
            }

            async fn direct_conversation(
                &self,
                direct_key: &str,
            ) -> $crate::StoreResult<Option<$crate::Conversation>> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::ConversationRow>(
                    "SELECT * FROM conversations WHERE direct_key = $1",
                )
                .bind(direct_key)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn conversation(&self, id: i64) -> $crate::StoreResult<Option<$crate::Conversation>> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::ConversationRow>(
                    "SELECT * FROM conversations WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn member(
                &self,
                conversation_id: i64,
                user_id: i64,
            ) -> $crate::StoreResult<Option<$crate::Member>> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::MemberRow>(
                    "SELECT * FROM conversation_members WHERE conversation_id = $1 AND user_id = $2",
                )
                .bind(conversation_id)
                .bind(user_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn members(&self, conversation_id: i64) -> $crate::StoreResult<Vec<$crate::Member>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::MemberRow>(
                    "SELECT * FROM conversation_members WHERE conversation_id = $1 ORDER BY user_id",
                )
                .bind(conversation_id)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn audience(
                &self,
                conversation_id: i64,
            ) -> $crate::StoreResult<Option<$crate::Audience>> {
                let rows = $crate::sql::sqlx::query_as::<$db, (Option<i64>, Option<i64>)>(
                    "SELECT c.organization_id, m.user_id FROM conversations c \
                     LEFT JOIN conversation_members m ON m.conversation_id = c.id \
                     WHERE c.id = $1 ORDER BY m.user_id",
                )
                .bind(conversation_id)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                let Some(&(organization_id, _)) = rows.first() else {
                    return Ok(None);
                };
                Ok(Some($crate::Audience {
                    organization_id,
                    members: rows.into_iter().filter_map(|(_, user)| user).collect(),
                }))
            }

            async fn add_member(
                &self,
                conversation_id: i64,
                user_id: i64,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query(
                    "INSERT INTO conversation_members (conversation_id, user_id, last_read_seq, joined_at) \
                     VALUES ($1, $2, 0, $3) ON CONFLICT (conversation_id, user_id) DO NOTHING",
                )
                .bind(conversation_id)
                .bind(user_id)
                .bind(at)
                .execute(&mut *self.writer().await?)
                .await?;
                Ok(())
            }

            async fn remove_member(&self, conversation_id: i64, user_id: i64) -> $crate::StoreResult<bool> {
                let done = $crate::sql::sqlx::query(
                    "DELETE FROM conversation_members WHERE conversation_id = $1 AND user_id = $2",
                )
                .bind(conversation_id)
                .bind(user_id)
                .execute(&mut *self.writer().await?)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn inbox(
                &self,
                user_id: i64,
            ) -> $crate::StoreResult<Vec<($crate::Conversation, $crate::Member)>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::InboxRow>(
                    "SELECT c.*, m.user_id AS member_user_id, m.last_read_seq AS member_last_read_seq, \
                     m.joined_at AS member_joined_at \
                     FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id \
                     WHERE m.user_id = $1 ORDER BY COALESCE(c.last_message_at, c.created_at) DESC, c.id DESC",
                )
                .bind(user_id)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| {
                        let member = $crate::Member {
                            conversation_id: r.conversation.id,
                            user_id: r.member_user_id,
                            last_read_seq: r.member_last_read_seq,
                            joined_at: r.member_joined_at,
                        };
                        (r.conversation.into(), member)
                    })
                    .collect())
            }

            async fn open_channels(&self, organization_id: i64) -> $crate::StoreResult<Vec<$crate::Conversation>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::ConversationRow>(
                    "SELECT * FROM conversations WHERE organization_id = $1 AND kind = 'channel' \
                     AND private = FALSE ORDER BY name",
                )
                .bind(organization_id)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn team_channels(
                &self,
                organization_id: i64,
                team: &str,
            ) -> $crate::StoreResult<Vec<$crate::Conversation>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::ConversationRow>(
                    "SELECT * FROM conversations WHERE organization_id = $1 AND kind = 'channel' AND team = $2 \
                     ORDER BY id",
                )
                .bind(organization_id)
                .bind(team)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn append_message(
                &self,
                m: $crate::NewMessage,
            ) -> $crate::StoreResult<($crate::StoredMessage, bool)> {
                // The dialects differ here: each backend numbers and stores a message its own way.
                self.append(m).await
            }

            async fn messages(
                &self,
                conversation_id: i64,
                after_seq: i64,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::StoredMessage>> {
                let rows = $crate::sql::sqlx::query_as::<$db, $crate::rows::MessageRow>(
                    "SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                )
                .bind(conversation_id)
                .bind(after_seq)
                .bind(limit)
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn mark_read(&self, conversation_id: i64, user_id: i64, seq: i64) -> $crate::StoreResult<()> {
                $crate::sql::sqlx::query(
                    "UPDATE conversation_members SET last_read_seq = $3 \
                     WHERE conversation_id = $1 AND user_id = $2 AND last_read_seq < $3 \
                       AND $3 <= (SELECT c.last_seq FROM conversations c WHERE c.id = $1)",
                )
                .bind(conversation_id)
                .bind(user_id)
                .bind(seq)
                .execute(&mut *self.writer().await?)
                .await?;
                Ok(())
            }

            async fn message(&self, id: i64) -> $crate::StoreResult<Option<$crate::StoredMessage>> {
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::MessageRow>(
                    "SELECT * FROM messages WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn edit_message(
                &self,
                id: i64,
                sender_id: i64,
                sealed: &[u8],
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<$crate::StoredMessage> {
                self.replace_body(id, sender_id, sealed, at, "edit").await
            }

            async fn delete_message(
                &self,
                id: i64,
                sender_id: i64,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<$crate::StoredMessage> {
                self.replace_body(id, sender_id, &[], at, "delete").await
            }

            async fn purge_messages_before(
                &self,
                organization_id: i64,
                before: ::huddle_core::clock::Millis,
                at: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<u64> {
                let mut tx = self.begin_write().await?;
                $crate::sql::sqlx::query(
                    "DELETE FROM message_versions WHERE message_id IN (SELECT m.id FROM messages m \
                     JOIN conversations c ON c.id = m.conversation_id \
                     WHERE c.organization_id = $1 AND m.created_at < $2)",
                )
                .bind(organization_id)
                .bind(before)
                .execute(&mut *tx)
                .await?;
                let done = $crate::sql::sqlx::query(
                    "UPDATE messages SET sealed = $3, purged_at = $4 WHERE purged_at IS NULL AND created_at < $2 \
                     AND conversation_id IN (SELECT id FROM conversations WHERE organization_id = $1)",
                )
                .bind(organization_id)
                .bind(before)
                .bind(Vec::<u8>::new())
                .bind(at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(done.rows_affected())
            }

            async fn set_retention_days(&self, organization_id: i64, days: Option<i64>) -> $crate::StoreResult<()> {
                let done = $crate::sql::sqlx::query(
                    "UPDATE organizations SET message_retention_days = $2 WHERE id = $1",
                )
                .bind(organization_id)
                .bind(days)
                .execute(&mut *self.writer().await?)
                .await?;
                $crate::sql::one_row(done.rows_affected())
            }

            async fn retention_policies(&self) -> $crate::StoreResult<Vec<(i64, i64)>> {
                let rows: Vec<(i64, i64)> = $crate::sql::sqlx::query_as(
                    "SELECT id, message_retention_days FROM organizations \
                     WHERE message_retention_days IS NOT NULL ORDER BY id",
                )
                .fetch_all(&mut *self.reader().await?)
                .await?;
                Ok(rows)
            }

            async fn claim_job(
                &self,
                name: &str,
                at: ::huddle_core::clock::Millis,
                every: ::huddle_core::clock::Millis,
                lease: ::huddle_core::clock::Millis,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.begin_write().await?;
                $crate::sql::sqlx::query(
                    "INSERT INTO jobs (name, last_run_at, locked_until) VALUES ($1, NULL, 0) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(name)
                .execute(&mut *tx)
                .await?;
                let done = $crate::sql::sqlx::query(
                    "UPDATE jobs SET last_run_at = $2, locked_until = $4 WHERE name = $1 AND locked_until <= $2 \
                     AND (last_run_at IS NULL OR last_run_at <= $3)",
                )
                .bind(name)
                .bind(at)
                .bind(at.saturating_sub(every))
                .bind(at.saturating_add(lease))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

        }

        impl $store {
            /// Edit or delete: records the old body, then replaces it.
            async fn replace_body(
                &self,
                id: i64,
                sender_id: i64,
                sealed: &[u8],
                at: ::huddle_core::clock::Millis,
                change: &str,
            ) -> $crate::StoreResult<$crate::StoredMessage> {
                let mut tx = self.begin_write().await?;
                let current = $crate::sql::sqlx::query_as::<$db, $crate::rows::MessageRow>(
                    "SELECT * FROM messages WHERE id = $1 AND sender_id = $2",
                )
                .bind(id)
                .bind(sender_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or($crate::StoreError::NotFound)?;
                if current.deleted_at.is_some() || current.purged_at.is_some() {
                    return Err($crate::StoreError::InvalidState("this message was deleted"));
                }
                $crate::sql::sqlx::query(
                    "INSERT INTO message_versions (message_id, sealed, replaced_at, replaced_by, change) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(&current.sealed)
                .bind(at)
                .bind(sender_id)
                .bind(change)
                .execute(&mut *tx)
                .await?;
                let sql = if change == "delete" {
                    "UPDATE messages SET sealed = $2, deleted_at = $3 WHERE id = $1 RETURNING *"
                } else {
                    "UPDATE messages SET sealed = $2, edited_at = $3 WHERE id = $1 RETURNING *"
                };
                let row = $crate::sql::sqlx::query_as::<$db, $crate::rows::MessageRow>(sql)
                    .bind(id)
                    .bind(sealed)
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(row.into())
            }
        }
        $crate::sql_keys_store!($store, $db);
        $crate::sql_push_store!($store, $db);
        $crate::sql_reach_store!($store, $db);
        $crate::sql_routing_store!($store, $db);
        $crate::sql_lounge_store!($store, $db);
        $crate::sql_insights_store!($store, $db);
    };
}

/// An update meant for one row that found none means the row does not exist.
pub fn one_row(rows_affected: u64) -> crate::StoreResult<()> {
    if rows_affected == 0 {
        Err(crate::StoreError::NotFound)
    } else {
        Ok(())
    }
}
