//! Online backup and restore of the SQLite database. `VACUUM INTO` writes a consistent copy
//! from one read transaction while the server keeps serving; a restore checks the copy
//! before it replaces anything.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

/// Writes a consistent copy of the database at `url` (`sqlite://PATH`) to `out`, which must
/// not exist yet. Safe while `huddle serve` runs.
pub async fn backup(url: &str, out: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        !out.exists(),
        "{} exists already: a backup never overwrites",
        out.display()
    );
    let mut conn = SqliteConnectOptions::from_str(url)?
        .read_only(true)
        .connect()
        .await?;
    let target = out
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the backup path must be UTF-8"))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    check(out).await
}

/// Checks that `file` is an intact Huddle database: SQLite's integrity check passes and
/// its schema is Huddle's.
pub async fn check(file: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(file.is_file(), "{} is not a file", file.display());
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| anyhow::anyhow!("{} is not a SQLite database: {e}", file.display()))?;
    let (verdict,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| anyhow::anyhow!("{} is not a SQLite database: {e}", file.display()))?;
    anyhow::ensure!(verdict == "ok", "{} is damaged: {verdict}", file.display());
    let (tables,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('_sqlx_migrations', 'users', 'audit_log')",
    )
    .fetch_one(&mut conn)
    .await?;
    anyhow::ensure!(tables == 3, "{} is not a Huddle database", file.display());
    conn.close().await?;
    Ok(())
}

/// Puts a checked backup in place of the database at `db`. The server must be stopped:
/// a restore under a running server is refused by SQLite's lock. The previous database,
/// if any, is kept beside it as `*.before-restore`.
pub async fn restore(backup: &Path, db: &Path) -> anyhow::Result<()> {
    check(backup).await?;
    if db.exists() {
        // An exclusive lock fails while another process has the database open.
        let mut conn = SqliteConnectOptions::new()
            .filename(db)
            .locking_mode(sqlx::sqlite::SqliteLockingMode::Exclusive)
            .connect()
            .await?;
        sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut conn)
            .await
            .map_err(|_| anyhow::anyhow!("the database is in use: stop huddle serve first"))?;
        sqlx::query("ROLLBACK").execute(&mut conn).await?;
        conn.close().await?;
        let kept = db.with_extension("before-restore");
        std::fs::rename(db, &kept)?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        if side.exists() {
            std::fs::remove_file(side)?;
        }
    }
    if let Some(dir) = db.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::copy(backup, db)?;
    Ok(())
}
