//! The shared store contract on PostgreSQL, when `HUDDLE_TEST_DATABASE_URL` names a
//! database. Each test gets its own schema in it, so tests run in parallel.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should panic

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use huddle_store::Store;
use huddle_store_postgres::PgStore;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};

async fn fresh_store() -> Option<Arc<dyn Store>> {
    static N: AtomicU32 = AtomicU32::new(0);
    let url = std::env::var("HUDDLE_TEST_DATABASE_URL").ok()?;
    let schema = format!(
        "conformance_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = PgConnection::connect(&url).await.expect("connect");
    let ddl = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}");
    sqlx::raw_sql(&ddl)
        .execute(&mut admin)
        .await
        .expect("create schema");
    let options = PgConnectOptions::from_str(&url)
        .expect("url")
        .options([("search_path", schema.as_str())]);
    Some(Arc::new(
        PgStore::open_with(options).await.expect("open postgres"),
    ))
}

huddle_store::conformance_suite!(fresh_store);
