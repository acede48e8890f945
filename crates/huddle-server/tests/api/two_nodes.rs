//! Two server nodes on one PostgreSQL database with NATS between them: a message sent to
//! one node reaches a live client of the other, a pg_dump of the database never shows its
//! body, and deactivating a person on one node closes their socket on the other. Runs when `HUDDLE_TEST_DATABASE_URL` and
//! `HUDDLE_TEST_NATS_URL` are set (CI sets both).

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use huddle_core::clock::{Clock, SystemClock};
use huddle_core::identity::{DisplayName, Email, NewPassword, Role, Roles};
use huddle_server::actions::identity::create_account;
use huddle_server::{serve, Config};
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;

/// Two nodes on a database of their own (`<prefix>_<pid>`), sharing one master key, with
/// NATS between them. `None` (and a note) when the environment does not name PostgreSQL
/// and NATS.
pub struct TwoNodes {
    pub nodes: Vec<serve::Running>,
    /// The test's PostgreSQL URL, and the name of the database the nodes use on it.
    pub pg: String,
    pub name: String,
}

pub async fn two_nodes(prefix: &str) -> Option<TwoNodes> {
    let (Ok(pg), Ok(nats)) = (
        std::env::var("HUDDLE_TEST_DATABASE_URL"),
        std::env::var("HUDDLE_TEST_NATS_URL"),
    ) else {
        eprintln!("skipped: set HUDDLE_TEST_DATABASE_URL and HUDDLE_TEST_NATS_URL");
        return None;
    };
    let name = format!("{prefix}_{}", std::process::id());
    let mut admin = PgConnection::connect(&pg).await.unwrap();
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let url = PgConnectOptions::from_str(&pg)
        .unwrap()
        .database(&name)
        .to_url_lossy()
        .to_string();
    let dir = std::env::temp_dir().join(format!("{name}-key"));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("master.key");
    std::fs::write(&key, "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=\n").unwrap();
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let mut config = Config::default();
        config.server.bind = "127.0.0.1:0".into();
        config.database.url = Some(url.clone());
        config.security.master_key_file = Some(key.clone());
        config.bus.nats_url = Some(nats.clone());
        let store = huddle_server::store::open(&url).await.unwrap();
        nodes.push(
            serve::start(config, store, Arc::new(SystemClock) as Arc<dyn Clock>)
                .await
                .unwrap(),
        );
    }
    Some(TwoNodes { nodes, pg, name })
}

/// Stops the nodes and drops their database.
pub async fn end_two_nodes(nodes: Vec<serve::Running>, pg: &str, name: &str) {
    for node in nodes {
        node.shutdown().await.unwrap();
    }
    let mut admin = PgConnection::connect(pg).await.unwrap();
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_message_sent_to_one_node_reaches_a_client_of_the_other() {
    let Some(TwoNodes { nodes, pg, name }) = two_nodes("huddle_two_nodes").await else {
        return;
    };
    let state = &nodes[0].state;
    let org = state
        .store
        .create_organization("Two Nodes", 0)
        .await
        .unwrap();
    let mut tokens = Vec::new();
    let mut ids = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        let email = format!("node{i}@example.org");
        let user = create_account(
            state,
            Email::parse(&email).unwrap(),
            NewPassword::parse(PASSWORD).unwrap(),
            DisplayName::parse("Dr. Node").unwrap(),
            Roles::new([Role::Clinician]),
            Some(org.id),
            None,
        )
        .await
        .map_err(|e| e.detail().to_string())
        .unwrap();
        ids.push(user.id);
        let r: Value = reqwest::Client::new()
            .post(format!("http://{}/api/v1/auth/tokens", node.addr))
            .json(&json!({ "email": email, "password": PASSWORD, "name": "node" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tokens.push(r["token"].as_str().unwrap().to_string());
    }
    let base = |i: usize| format!("http://{}", nodes[i].addr);
    let c: Value = bearer(
        &tokens[0],
        Method::POST,
        &format!("{}/api/v1/conversations", base(0)),
        Some(json!({ "kind": "direct", "members": [ids[1]] })),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = c["id"].as_i64().unwrap();

    let (mut ws, _) = tokio_tungstenite::connect_async(format!(
        "ws://{}/api/v1/live?token={}",
        nodes[1].addr, tokens[1]
    ))
    .await
    .unwrap();
    let ready = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(matches!(ready, Message::Text(ref t) if t.contains("ready")));
    bearer(
        &tokens[0],
        Method::POST,
        &format!("{}/api/v1/conversations/{id}/messages", base(0)),
        Some(json!({ "body": "From node one", "client_msg_id": "n-1" })),
    )
    .await;
    let event = loop {
        let m = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("the event crosses nodes")
            .unwrap()
            .unwrap();
        if let Message::Text(t) = m {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] == "message.created" {
                break v;
            }
        }
    };
    assert_eq!(event["message"]["body"], "From node one");
    // The second node reads what the first stored, sealed under the shared key.
    let list: Value = bearer(
        &tokens[1],
        Method::GET,
        &format!("{}/api/v1/conversations/{id}/messages", base(1)),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list[0]["body"], "From node one");

    // A dump of every table holds the message only sealed.
    // The test's own URL with this database's name (sqlx's form carries options pg_dump refuses).
    let plain = pg.split('?').next().unwrap_or(&pg);
    let dump_url = format!(
        "{}/{name}",
        plain.rsplit_once('/').map_or(plain, |(base, _)| base)
    );
    let dump = std::process::Command::new("pg_dump")
        .args(["--data-only", "--dbname", &dump_url])
        .output()
        .expect("pg_dump (PostgreSQL's client tools) is installed");
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let dump = String::from_utf8_lossy(&dump.stdout);
    assert!(
        dump.contains("COPY public.messages"),
        "the dump has the messages table"
    );
    assert!(
        !dump.contains("From node one"),
        "a message body in plaintext in pg_dump"
    );

    // Leaving takes effect on every node: an administrator on the first node deactivates
    // the second node's client, whose socket there closes within a second and whose token
    // stops working there.
    create_account(
        state,
        Email::parse("admin@example.org").unwrap(),
        NewPassword::parse(PASSWORD).unwrap(),
        DisplayName::parse("Admin").unwrap(),
        Roles::new([Role::OrgAdmin]),
        Some(org.id),
        None,
    )
    .await
    .map_err(|e| e.detail().to_string())
    .unwrap();
    let admin_token: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/tokens", base(0)))
        .json(&json!({ "email": "admin@example.org", "password": PASSWORD, "name": "admin" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = bearer(
        admin_token["token"].as_str().unwrap(),
        Method::POST,
        &format!("{}/api/v1/users/{}/deactivate", base(0), ids[1]),
        None,
    )
    .await;
    assert_eq!(r.status(), reqwest::StatusCode::NO_CONTENT);
    let closed = tokio::time::timeout(Duration::from_secs(1), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => continue,
            }
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "the other node's socket closes within a second"
    );
    let me = bearer(
        &tokens[1],
        Method::GET,
        &format!("{}/api/v1/me", base(1)),
        None,
    )
    .await;
    assert_eq!(me.status(), reqwest::StatusCode::UNAUTHORIZED);

    end_two_nodes(nodes, &pg, &name).await;
}
