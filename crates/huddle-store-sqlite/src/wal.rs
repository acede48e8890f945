//! Keeps the write-ahead log short under constant load. SQLite's automatic checkpoints are
//! passive: while some read is always in progress the log is never restarted, so it grows
//! (to 2 GB within a minute at 2,000 messages a second, in bench/RESULTS.md) and every page
//! lookup walks it. When the log passes a limit, a RESTART checkpoint on its own connection
//! waits briefly for the reads in progress (writers wait meanwhile), so the next write
//! starts the log from the beginning; if a long read outlasts the wait, it gives up and
//! tries again at the next check.

use std::sync::Weak;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

#[derive(Clone, Copy)]
pub struct Keeper {
    /// How often the log's length is checked.
    pub every: Duration,
    /// A log longer than this many pages is restarted.
    pub restart_frames: i64,
    /// How long a restart may hold writers back while reads finish.
    pub wait: Duration,
}

impl Keeper {
    pub const DEFAULT: Keeper = Keeper {
        every: Duration::from_secs(1),
        restart_frames: 16_384,
        wait: Duration::from_millis(50),
    };

    /// The log's length limit in bytes (4 KiB pages).
    pub fn bytes(&self) -> i64 {
        self.restart_frames * 4096
    }
}

/// Runs until `alive` is dropped (the store with it).
pub async fn keep_short(options: SqliteConnectOptions, keeper: Keeper, alive: Weak<()>) {
    let Ok(mut conn) = options
        .busy_timeout(keeper.wait)
        .connect()
        .await
        .inspect_err(|e| tracing::warn!(error = %e, "no connection to keep the log short"))
    else {
        return;
    };
    let mut tick = tokio::time::interval(keeper.every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if alive.upgrade().is_none() {
            return;
        }
        // (busy, pages in the log, pages checkpointed)
        let passive = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&mut conn)
            .await;
        if matches!(passive, Ok((_, frames, _)) if frames > keeper.restart_frames) {
            // SQLITE_BUSY when reads outlast the wait: the next check tries again.
            let _ = sqlx::query("PRAGMA wal_checkpoint(RESTART)")
                .execute(&mut conn)
                .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;
    use std::sync::Arc;

    use sqlx::sqlite::{SqliteJournalMode, SqlitePoolOptions};

    use super::*;

    /// Two readers take turns so that a read transaction is always open (which starves
    /// SQLite's own checkpoints) while a writer commits 2,000 rows of 8 KB, about 32 MiB of
    /// pages (without the keeper the log reaches all of it); the log file must stay far
    /// below that.
    #[tokio::test]
    async fn the_log_stays_short_while_reads_never_pause() {
        let dir = std::env::temp_dir().join(format!("huddle-wal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("wal.db");
        let keeper = Keeper {
            every: Duration::from_millis(20),
            restart_frames: 256,
            wait: Duration::from_millis(50),
        };
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .unwrap()
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(10))
            .pragma("journal_size_limit", keeper.bytes().to_string());
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)")
            .execute(&write)
            .await
            .unwrap();
        let alive = Arc::new(());
        tokio::spawn(keep_short(options.clone(), keeper, Arc::downgrade(&alive)));

        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut readers = Vec::new();
        for offset in [0u64, 5] {
            let (options, done) = (options.clone(), done.clone());
            readers.push(tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(offset)).await;
                let mut conn = options.connect().await.unwrap();
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    sqlx::query("BEGIN").execute(&mut conn).await.unwrap();
                    sqlx::query("SELECT count(*) FROM t")
                        .execute(&mut conn)
                        .await
                        .unwrap();
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
                }
            }));
        }
        let wal = dir.join("wal.db-wal");
        let mut largest = 0;
        for _ in 0..2_000 {
            sqlx::query("INSERT INTO t (data) VALUES (zeroblob(8000))")
                .execute(&write)
                .await
                .unwrap();
            largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        for r in readers {
            r.await.unwrap();
        }
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            largest < 8 << 20,
            "the log reached {largest} bytes for about 32 MiB of pages written"
        );
    }
}
