//! Opening the store the database URL names: `sqlite://…` for the embedded default,
//! `postgres://…` for several nodes.

use std::sync::Arc;

use huddle_store::Store;
use huddle_store_postgres::PgStore;
use huddle_store_sqlite::SqliteStore;

pub async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        if let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                anyhow::anyhow!("cannot create the data folder {}: {e}", dir.display())
            })?;
        }
        let store = SqliteStore::open(url)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the SQLite database {path}: {e}"))?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PgStore::open(url)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the PostgreSQL database: {e}"))?;
        Ok(Arc::new(store))
    } else {
        anyhow::bail!("the database URL must start with sqlite:// or postgres://")
    }
}
