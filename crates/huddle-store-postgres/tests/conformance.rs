//! The shared store contract on PostgreSQL, when `HUDDLE_TEST_DATABASE_URL` names a
//! database. Each test gets its own schema in it, so tests run in parallel.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should panic

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use huddle_store::{IdentityStore, Store};
use huddle_store_postgres::PgStore;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};

/// Connection options for a schema of its own in the test database.
async fn fresh_options() -> Option<PgConnectOptions> {
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
    Some(options)
}

async fn fresh_store() -> Option<Arc<dyn Store>> {
    let options = fresh_options().await?;
    Some(Arc::new(
        PgStore::open_with(options).await.expect("open postgres"),
    ))
}

huddle_store::conformance_suite!(fresh_store);

/// PostgreSQL restarting (or a failover) drops the store's idle connections; the next
/// request must get a working one, not an error. Connections are tested before use only
/// when idle for a second or more, so this waits that long.
#[tokio::test]
async fn connections_dropped_while_idle_are_replaced() {
    let (Some(options), Ok(url)) = (
        fresh_options().await,
        std::env::var("HUDDLE_TEST_DATABASE_URL"),
    ) else {
        return;
    };
    let name = format!("huddle_reconnect_{}", std::process::id());
    let store = PgStore::open_with(options.application_name(&name))
        .await
        .expect("open postgres");
    assert!(store.user(1).await.unwrap().is_none());
    tokio::time::sleep(Duration::from_millis(1_100)).await;

    let mut admin = PgConnection::connect(&url).await.expect("connect");
    let terminated: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    )
    .bind(&name)
    .fetch_all(&mut admin)
    .await
    .expect("terminate");
    assert!(!terminated.is_empty(), "the store had idle connections");
    for _ in 0..100 {
        let left: i64 =
            sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1")
                .bind(&name)
                .fetch_one(&mut admin)
                .await
                .expect("count");
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    assert!(
        store.user(1).await.is_ok(),
        "a connection that died while idle is replaced before the request uses it"
    );
}
