//! The shared store contract, on a fresh SQLite file per test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should panic

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use huddle_store::Store;
use huddle_store_sqlite::SqliteStore;

async fn fresh_store() -> Option<Arc<dyn Store>> {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "huddle-conformance-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}", dir.join("huddle.db").display());
    Some(Arc::new(
        SqliteStore::open(&url).await.expect("open sqlite"),
    ))
}

huddle_store::conformance_suite!(fresh_store);
