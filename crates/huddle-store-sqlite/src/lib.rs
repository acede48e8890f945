//! The embedded default: one SQLite file in WAL mode. SQLite allows one writer at a time,
//! so writes go through exactly one connection (conns.rs) and multi-statement writes start
//! with `BEGIN IMMEDIATE` (a deferred transaction that later needs the write lock fails
//! at once instead of waiting); reads use their own connections and never wait for writers.

mod append;
pub mod backup;
mod conns;
mod wal;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use huddle_store::{Resource, SearchHit, SearchQuery, Store, StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::Sqlite;

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

    /// Folds the write-ahead log back into the file, so old page images of erased rows do
    /// not linger in it.
    async fn after_erase(&self) -> Result<(), sqlx::Error> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// FTS5: each word of the query must match (as a prefix), best matches first.
    async fn search_resources_fts(
        &self,
        organization_id: Option<i64>,
        query: &str,
    ) -> StoreResult<Vec<Resource>> {
        let Some(terms) = fts5_query(query) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query_as::<Sqlite, Resource>(
            "SELECT r.* FROM resources_fts JOIN resources r ON r.id = resources_fts.rowid \
             WHERE resources_fts MATCH $1 AND (r.organization_id IS NULL OR r.organization_id = $2) \
             ORDER BY bm25(resources_fts) LIMIT 50",
        )
        .bind(terms)
        .bind(organization_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// FTS5 over lounge posts (thread titles ride on opening posts), visible posts only,
    /// best matches first.
    async fn search_lounge_fts(&self, q: &SearchQuery) -> StoreResult<Vec<SearchHit>> {
        let Some(terms) = fts5_query(&q.words) else {
            return Ok(Vec::new());
        };
        // Ranking every match of a common word is what makes search slow on a large
        // lounge, so only the most recent matches are ranked: FTS5 walks its index newest
        // first and stops after `CANDIDATES`.
        Ok(sqlx::query_as::<Sqlite, SearchHit>(
            "SELECT p.id AS post_id, p.thread_id, t.title, t.space, t.kind, p.body \
             FROM (SELECT rowid, rank FROM lounge_search WHERE lounge_search MATCH $1 \
                   ORDER BY rowid DESC LIMIT $6) s \
             JOIN lounge_posts p ON p.id = s.rowid \
             JOIN lounge_threads t ON t.id = p.thread_id \
             WHERE p.state = 'visible' \
               AND ($2 IS NULL OR t.space = $2) AND ($3 IS NULL OR t.tags LIKE $3) \
               AND ($4 IS NULL OR t.kind = $4) \
             ORDER BY s.rank LIMIT $5",
        )
        .bind(terms)
        .bind(&q.space)
        .bind(q.tag.as_ref().map(|t| format!("%,{t},%")))
        .bind(&q.kind)
        .bind(q.limit)
        .bind(LOUNGE_SEARCH_CANDIDATES)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }
}

/// How many of the newest matching posts a lounge search ranks (see `search_lounge_fts`).
const LOUNGE_SEARCH_CANDIDATES: i64 = 2_000;

/// An FTS5 query in which each word of what a person typed must match as a prefix; `None`
/// when nothing searchable was typed. Quoting every word keeps FTS5 syntax out of reach.
fn fts5_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(12)
        .map(|t| format!("\"{t}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
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
