//! Single sign-on: connections, their verified domains, sign-ins in flight.

use huddle_core::clock::Millis;
use huddle_store::sql::async_trait;
use huddle_store::{SsoAttempt, SsoConnection, SsoStore, StoreError, StoreResult};

use crate::backend::{Db, Store};

const CONNECTION: &str = "SELECT organization_id, issuer, client_id, client_secret_sealed, \
    email_claim, sso_only, updated_at FROM sso_connections WHERE organization_id = $1";
const DOMAINS: &str = "SELECT domain FROM sso_domains WHERE organization_id = $1 ORDER BY domain";
const DOMAIN_OWNER: &str = "SELECT organization_id FROM sso_domains WHERE domain = $1";
const SAVE_CONNECTION: &str = "INSERT INTO sso_connections (organization_id, issuer, \
    client_id, client_secret_sealed, email_claim, sso_only, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (organization_id) DO UPDATE SET \
    issuer = excluded.issuer, client_id = excluded.client_id, \
    client_secret_sealed = excluded.client_secret_sealed, email_claim = excluded.email_claim, \
    sso_only = excluded.sso_only, updated_at = excluded.updated_at";
const CLEAR_DOMAINS: &str = "DELETE FROM sso_domains WHERE organization_id = $1";
const ADD_DOMAIN: &str = "INSERT INTO sso_domains (domain, organization_id) VALUES ($1, $2)";
// Addresses are stored lowercase; domains hold no LIKE wildcards (letters, digits, '-', '.').
const OUTSIDE_ACCOUNT: &str = "SELECT id FROM users WHERE email LIKE $1 \
    AND organization_id IS NOT NULL AND organization_id <> $2 LIMIT 1";
const REMOVE_CONNECTION: &str = "DELETE FROM sso_connections WHERE organization_id = $1";
const CREATE_ATTEMPT: &str = "INSERT INTO sso_attempts \
    (state_hash, organization_id, nonce, pkce_verifier, redirect_uri, next, expires_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
const TAKE_ATTEMPT: &str = "DELETE FROM sso_attempts WHERE state_hash = $1 RETURNING *";
const DELETE_EXPIRED_ATTEMPTS: &str = "DELETE FROM sso_attempts WHERE expires_at < $1";

#[derive(sqlx::FromRow)]
struct ConnectionRow {
    organization_id: i64,
    issuer: String,
    client_id: String,
    client_secret_sealed: Vec<u8>,
    email_claim: String,
    sso_only: bool,
    updated_at: Millis,
}

impl Store {
    async fn with_domains(&self, row: Option<ConnectionRow>) -> StoreResult<Option<SsoConnection>> {
        let Some(row) = row else {
            return Ok(None);
        };
        let domains = sqlx::query_scalar::<Db, String>(DOMAINS)
            .bind(row.organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(Some(SsoConnection {
            organization_id: row.organization_id,
            issuer: row.issuer,
            client_id: row.client_id,
            client_secret_sealed: row.client_secret_sealed,
            email_claim: row.email_claim,
            domains,
            sso_only: row.sso_only,
            updated_at: row.updated_at,
        }))
    }
}

#[async_trait]
impl SsoStore for Store {
    async fn sso_connection(&self, organization_id: i64) -> StoreResult<Option<SsoConnection>> {
        let row = sqlx::query_as::<Db, ConnectionRow>(CONNECTION)
            .bind(organization_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        self.with_domains(row).await
    }

    async fn sso_connection_for_domain(&self, domain: &str) -> StoreResult<Option<SsoConnection>> {
        let owner = sqlx::query_scalar::<Db, i64>(DOMAIN_OWNER)
            .bind(domain)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        match owner {
            Some(organization_id) => self.sso_connection(organization_id).await,
            None => Ok(None),
        }
    }

    async fn save_sso_connection(&self, c: &SsoConnection) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(SAVE_CONNECTION)
            .bind(c.organization_id)
            .bind(&c.issuer)
            .bind(&c.client_id)
            .bind(&c.client_secret_sealed)
            .bind(&c.email_claim)
            .bind(c.sso_only)
            .bind(c.updated_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(CLEAR_DOMAINS)
            .bind(c.organization_id)
            .execute(&mut *tx)
            .await?;
        for domain in &c.domains {
            sqlx::query(ADD_DOMAIN)
                .bind(domain)
                .bind(c.organization_id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::unique("email domain"))?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn domain_has_outside_accounts(
        &self,
        domain: &str,
        organization_id: i64,
    ) -> StoreResult<bool> {
        let found = sqlx::query_scalar::<Db, i64>(OUTSIDE_ACCOUNT)
            .bind(format!("%@{domain}"))
            .bind(organization_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(found.is_some())
    }

    async fn remove_sso_connection(&self, organization_id: i64) -> StoreResult<bool> {
        let done = sqlx::query(REMOVE_CONNECTION)
            .bind(organization_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn create_sso_attempt(&self, a: &SsoAttempt) -> StoreResult<()> {
        sqlx::query(CREATE_ATTEMPT)
            .bind(&a.state_hash)
            .bind(a.organization_id)
            .bind(&a.nonce)
            .bind(&a.pkce_verifier)
            .bind(&a.redirect_uri)
            .bind(&a.next)
            .bind(a.expires_at)
            .execute(&mut *self.writer().await?)
            .await
            .map_err(StoreError::unique("sign-in attempt"))?;
        Ok(())
    }

    async fn take_sso_attempt(
        &self,
        state_hash: &str,
        now: Millis,
    ) -> StoreResult<Option<SsoAttempt>> {
        let taken = sqlx::query_as::<Db, SsoAttempt>(TAKE_ATTEMPT)
            .bind(state_hash)
            .fetch_optional(&mut *self.writer().await?)
            .await?;
        Ok(taken.filter(|a| a.expires_at >= now))
    }

    async fn delete_expired_sso_attempts(&self, now: Millis) -> StoreResult<u64> {
        let done = sqlx::query(DELETE_EXPIRED_ATTEMPTS)
            .bind(now)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected())
    }
}
