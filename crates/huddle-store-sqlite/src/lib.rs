//! The embedded default: one SQLite file in WAL mode. SQLite allows one writer at a time,
//! so writes go through a pool of exactly one connection and multi-statement writes start
//! with `BEGIN IMMEDIATE` (a deferred transaction that later needs the write lock fails
//! at once instead of waiting); reads use their own pool and never wait for writers.

use std::str::FromStr;
use std::time::Duration;

use huddle_store::{Store, StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite, Transaction};

pub struct SqliteStore {
    read: Pool<Sqlite>,
    write: Pool<Sqlite>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at a `sqlite://PATH` URL and brings its
    /// schema up to date.
    pub async fn open(url: &str) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations")
            .run(&write)
            .await
            .map_err(|e| StoreError::Database(e.into()))?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(SqliteStore { read, write })
    }

    fn read_pool(&self) -> &Pool<Sqlite> {
        &self.read
    }

    fn write_pool(&self) -> &Pool<Sqlite> {
        &self.write
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.write.begin_with("BEGIN IMMEDIATE").await
    }
}

huddle_store::sql_store!(SqliteStore, sqlx::Sqlite);

#[huddle_store::sql::async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }
}
