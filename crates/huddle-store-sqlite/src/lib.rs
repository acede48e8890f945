//! The embedded default: one SQLite file in WAL mode. SQLite allows one writer at a time,
//! so writes go through exactly one connection (conns.rs) and multi-statement writes start
//! with `BEGIN IMMEDIATE` (a deferred transaction that later needs the write lock fails
//! at once instead of waiting); reads use their own connections and never wait for writers.

mod append;
pub mod backup;
mod conns;
mod dialect;
mod wal;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use huddle_store::{Store, StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

use conns::{Connections, Lease, WriteTx};

pub struct SqliteStore {
    read: Connections,
    write: Connections,
    /// The log keeper (`wal::keep_short`) runs while this lives.
    _alive: Arc<()>,
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
            .foreign_keys(true)
            // Deleted rows are overwritten, so erased well-being data leaves no trace.
            .pragma("secure_delete", "ON")
            // After a restart (wal.rs) the log file shrinks back to this size.
            .pragma(
                "journal_size_limit",
                wal::Keeper::DEFAULT.bytes().to_string(),
            );
        let write = Connections::open(&options, 1).await?;
        sqlx::migrate!("./migrations")
            .run(&mut *write.lease().await?)
            .await
            .map_err(|e| StoreError::Database(e.into()))?;
        let read = Connections::open(&options.clone().read_only(true), 4).await?;
        let alive = Arc::new(());
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(wal::keep_short(
                options,
                wal::Keeper::DEFAULT,
                Arc::downgrade(&alive),
            ));
        }
        Ok(SqliteStore {
            read,
            write,
            _alive: alive,
        })
    }

    async fn reader(&self) -> Result<Lease<'_>, sqlx::Error> {
        self.read.lease().await
    }

    async fn writer(&self) -> Result<Lease<'_>, sqlx::Error> {
        self.write.lease().await
    }

    async fn begin_write(&self) -> Result<WriteTx<'_>, sqlx::Error> {
        self.write.begin_immediate().await
    }
}

/// The SQL both backends share, one file per capability (see its `mod.rs`), compiled here
/// for this store.
#[path = "../../huddle-store/sql/mod.rs"]
mod sql;

/// What the shared SQL is written against.
mod backend {
    pub(crate) type Store = super::SqliteStore;
    pub(crate) type Db = sqlx::Sqlite;
}

huddle_store::sql_store!(SqliteStore, sqlx::Sqlite);

#[huddle_store::sql::async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&mut *self.reader().await?)
            .await?;
        Ok(())
    }
}
