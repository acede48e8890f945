//! PostgreSQL, for deployments that outgrow one machine: several `huddle serve` nodes share
//! one database. Row locks serialize what must not interleave (the audit chain head).

use std::str::FromStr;
use std::time::Duration;

use huddle_store::{Store, StoreError, StoreResult};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Pool, Postgres, Transaction};

pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to a `postgres://` URL and brings the schema up to date.
    pub async fn open(url: &str) -> StoreResult<PgStore> {
        Self::open_with(PgConnectOptions::from_str(url)?).await
    }

    /// Connects with explicit options (tests use them to pick a schema).
    pub async fn open_with(options: PgConnectOptions) -> StoreResult<PgStore> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Database(e.into()))?;
        Ok(PgStore { pool })
    }

    fn read_pool(&self) -> &Pool<Postgres> {
        &self.pool
    }

    fn write_pool(&self) -> &Pool<Postgres> {
        &self.pool
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.pool.begin().await
    }
}

huddle_store::sql_store!(PgStore, sqlx::Postgres);

#[huddle_store::sql::async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}
