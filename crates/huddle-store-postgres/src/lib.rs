//! PostgreSQL, for deployments that outgrow one machine: several `huddle serve` nodes share
//! one database. Row locks serialize what must not interleave (the audit chain head).

mod append;
mod dialect;

use std::str::FromStr;
use std::time::Duration;

use huddle_store::{Store, StoreError, StoreResult};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};

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
            // sqlx tests every connection it hands out with a round trip to PostgreSQL, on
            // top of the one it makes when the connection comes back: under load, one more
            // wake-up of a PostgreSQL backend per statement. A connection idle for a second
            // or more (long enough for the server to have gone away) is still tested first.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= Duration::from_secs(1) {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Database(e.into()))?;
        Ok(PgStore { pool })
    }

    async fn reader(&self) -> Result<PoolConnection<Postgres>, sqlx::Error> {
        self.pool.acquire().await
    }

    async fn writer(&self) -> Result<PoolConnection<Postgres>, sqlx::Error> {
        self.pool.acquire().await
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.pool.begin().await
    }
}

/// The SQL both backends share, one file per capability (see its `mod.rs`), compiled here
/// for this store.
#[path = "../../huddle-store/sql/mod.rs"]
mod sql;

/// What the shared SQL is written against.
mod backend {
    pub(crate) type Store = super::PgStore;
    pub(crate) type Db = sqlx::Postgres;
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
