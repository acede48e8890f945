//! The store's SQLite connections, held here rather than in sqlx's pool. sqlx's pool tests
//! every connection it gets back with a ping, a round trip to the connection's thread; with
//! each statement already a round trip of its own, those hand-offs between threads were
//! the largest share of the server's CPU under load (bench/RESULTS.md). Connections to a
//! file in this process cannot go stale, so nothing needs the ping.

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteTransactionManager};
use sqlx::{ConnectOptions, SqliteConnection, TransactionManager};
use tokio::sync::{Semaphore, SemaphorePermit};

/// How long a caller waits for a connection before giving up (sqlx's pool default).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// A fixed set of open connections; a caller leases one and the lease gives it back.
pub(crate) struct Connections {
    idle: Mutex<Vec<SqliteConnection>>,
    /// One permit per idle connection, so waiting callers queue fairly.
    permits: Semaphore,
}

impl Connections {
    pub(crate) async fn open(
        options: &SqliteConnectOptions,
        count: usize,
    ) -> Result<Connections, sqlx::Error> {
        let mut idle = Vec::with_capacity(count);
        for _ in 0..count {
            idle.push(options.connect().await?);
        }
        Ok(Connections {
            idle: Mutex::new(idle),
            permits: Semaphore::new(count),
        })
    }

    pub(crate) async fn lease(&self) -> Result<Lease<'_>, sqlx::Error> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.permits.acquire())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        // A permit stands for an idle connection, so there is one to take.
        let conn = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .ok_or(sqlx::Error::PoolClosed)?;
        Ok(Lease {
            conn: Some(conn),
            from: self,
            _permit: permit,
        })
    }

    /// Leases the connection and opens a write transaction on it: `BEGIN IMMEDIATE` takes
    /// the write lock at once, so a transaction never fails later for want of it.
    pub(crate) async fn begin_immediate(&self) -> Result<WriteTx<'_>, sqlx::Error> {
        // Open from the start: if the caller goes away before `BEGIN` is acknowledged, the
        // drop still queues the rollback (a no-op when no transaction began).
        let mut tx = WriteTx {
            lease: self.lease().await?,
            open: true,
        };
        SqliteTransactionManager::begin(&mut tx.lease, Some(Cow::Borrowed("BEGIN IMMEDIATE")))
            .await?;
        Ok(tx)
    }
}

/// One leased connection; dropping it returns the connection (before the permit, so the
/// next caller finds it).
pub(crate) struct Lease<'a> {
    conn: Option<SqliteConnection>,
    from: &'a Connections,
    _permit: SemaphorePermit<'a>,
}

impl Deref for Lease<'_> {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        // Present from creation until drop.
        self.conn.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl DerefMut for Lease<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn.as_mut().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        // A statement whose caller went away finishes on the connection's own thread
        // before the next one starts, so the connection is fit to reuse as it is.
        if let Some(conn) = self.conn.take() {
            self.from
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(conn);
        }
    }
}

/// A write transaction on a leased connection: `commit` ends it; dropping it uncommitted
/// (an error, a caller gone) rolls it back before the connection is used again.
pub(crate) struct WriteTx<'a> {
    lease: Lease<'a>,
    open: bool,
}

impl WriteTx<'_> {
    pub(crate) async fn commit(mut self) -> Result<(), sqlx::Error> {
        SqliteTransactionManager::commit(&mut self.lease).await?;
        self.open = false;
        Ok(())
    }
}

impl Deref for WriteTx<'_> {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.lease
    }
}

impl DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.lease
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        if self.open {
            // Queued on the connection's thread ahead of anything the next lease sends.
            SqliteTransactionManager::start_rollback(&mut self.lease);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use sqlx::sqlite::SqliteJournalMode;

    use super::*;

    async fn database(name: &str) -> (Connections, Connections) {
        let dir = std::env::temp_dir().join(format!("huddle-conns-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let options =
            SqliteConnectOptions::from_str(&format!("sqlite://{}", dir.join("c.db").display()))
                .unwrap()
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal);
        let write = Connections::open(&options, 1).await.unwrap();
        sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
            .execute(&mut *write.lease().await.unwrap())
            .await
            .unwrap();
        let read = Connections::open(&options.read_only(true), 2)
            .await
            .unwrap();
        (write, read)
    }

    async fn notes(read: &Connections) -> Vec<String> {
        sqlx::query_scalar("SELECT note FROM t ORDER BY id")
            .fetch_all(&mut *read.lease().await.unwrap())
            .await
            .unwrap()
    }

    async fn insert(conn: &mut SqliteConnection, note: &str) {
        sqlx::query("INSERT INTO t (note) VALUES ($1)")
            .bind(note)
            .execute(conn)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_transaction_dropped_uncommitted_leaves_nothing_and_the_writer_fit_to_use() {
        let (write, read) = database("dropped").await;
        {
            let mut tx = write.begin_immediate().await.unwrap();
            insert(&mut tx, "abandoned").await;
        }
        let mut tx = write.begin_immediate().await.unwrap();
        insert(&mut tx, "kept").await;
        tx.commit().await.unwrap();
        assert_eq!(notes(&read).await, vec!["kept"]);
    }

    /// A request whose client goes away is dropped wherever it is waiting; the next
    /// caller must get a connection outside any transaction, not inside the abandoned one.
    #[tokio::test]
    async fn a_caller_cancelled_inside_a_transaction_does_not_leak_it() {
        let (write, read) = database("cancelled").await;
        let write = std::sync::Arc::new(write);
        for round in 0..20 {
            let w = write.clone();
            let (inserted, waiting) = tokio::sync::oneshot::channel();
            let task = tokio::spawn(async move {
                let mut tx = w.begin_immediate().await.unwrap();
                insert(&mut tx, "never").await;
                let _ = inserted.send(());
                std::future::pending::<()>().await;
            });
            // Cancel at a different point each round: before, during or after the BEGIN,
            // and in the last round once a row is written.
            if round == 19 {
                waiting.await.unwrap();
            }
            for _ in 0..round {
                tokio::task::yield_now().await;
            }
            task.abort();
            let _ = task.await;
        }
        let mut tx = write.begin_immediate().await.unwrap();
        insert(&mut tx, "after").await;
        tx.commit().await.unwrap();
        let mut conn = write.lease().await.unwrap();
        insert(&mut conn, "outside a transaction").await;
        drop(conn);
        assert_eq!(notes(&read).await, vec!["after", "outside a transaction"]);
    }

    #[tokio::test]
    async fn callers_wait_their_turn_for_the_single_writer() {
        let (write, read) = database("turns").await;
        let write = std::sync::Arc::new(write);
        let first = write.begin_immediate().await.unwrap();
        let w = write.clone();
        let second = tokio::spawn(async move {
            let mut conn = w.lease().await.unwrap();
            insert(&mut conn, "second").await;
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!second.is_finished(), "the writer was leased twice at once");
        let mut first = first;
        insert(&mut first, "first").await;
        first.commit().await.unwrap();
        second.await.unwrap();
        assert_eq!(notes(&read).await, vec!["first", "second"]);
    }
}
