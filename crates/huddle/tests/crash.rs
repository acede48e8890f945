//! Crash safety: `kill -9` a serving node while messages and alerts are flowing. Every
//! message and alert that got its 2xx is there after the restart, exactly once, and the
//! senders' retries of the rest never duplicate anything.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should panic

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use huddle_core::clock::{format_rfc3339, Clock, SystemClock, HOUR};
use serde_json::{json, Value};

const PASSWORD: &str = "a long enough password";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Where the node keeps its data: `--data DIR` or `--database-url URL`, and the environment
/// it needs (a master key file on PostgreSQL).
#[derive(Clone)]
struct Deployment {
    target: Vec<String>,
    env: Vec<(String, String)>,
}

fn create_user(d: &Deployment, email: &str, role: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_huddle"))
        .arg("admin")
        .args(&d.target)
        .args([
            "create-user",
            "--email",
            email,
            "--name",
            "Crash Test",
            "--role",
            role,
            "--organization",
            "Crash Hospital",
            "--password-stdin",
        ])
        .envs(d.env.iter().cloned())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "create {email}");
}

/// A running node; dropped (also when a test fails), it is killed, so no server outlives
/// its test.
struct Node(Child);

impl Node {
    /// SIGKILL: no shutdown, no flush.
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn serve(d: &Deployment, port: u16) -> Node {
    let mut child = Command::new(env!("CARGO_BIN_EXE_huddle"))
        .arg("serve")
        .args(&d.target)
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .env_remove("HUDDLE_CONFIG")
        .envs(d.env.iter().cloned())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/healthz");
    for _ in 0..200 {
        if reqwest::get(&url)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Node(child);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("huddle serve did not start");
}

async fn token(http: &reqwest::Client, base: &str, email: &str) -> String {
    let v: Value = http
        .post(format!("{base}/api/v1/auth/tokens"))
        .json(&json!({ "email": email, "password": PASSWORD, "name": "crash" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["token"].as_str().unwrap().to_string()
}

async fn me(http: &reqwest::Client, base: &str, token: &str) -> Value {
    http.get(format!("{base}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_sqlite_a_killed_node_loses_no_acknowledged_message_or_alert() {
    let dir = std::env::temp_dir().join(format!("huddle-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = Deployment {
        target: vec!["--data".into(), dir.to_str().unwrap().to_string()],
        env: Vec::new(),
    };
    crash_and_recover(&d).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_postgres_a_killed_node_loses_no_acknowledged_message_or_alert() {
    use sqlx::{ConnectOptions, Connection};
    let Ok(pg) = std::env::var("HUDDLE_TEST_DATABASE_URL") else {
        eprintln!("skipped: HUDDLE_TEST_DATABASE_URL is not set");
        return;
    };
    let name = format!("huddle_crash_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&pg).await.unwrap();
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let url = <sqlx::postgres::PgConnectOptions as std::str::FromStr>::from_str(&pg)
        .unwrap()
        .database(&name)
        .to_url_lossy()
        .to_string();
    let dir = std::env::temp_dir().join(format!("huddle-crash-pg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("master.key");
    std::fs::write(&key, "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=\n").unwrap();
    let d = Deployment {
        target: vec!["--database-url".into(), url],
        env: vec![(
            "HUDDLE_SECURITY__MASTER_KEY_FILE".into(),
            key.to_str().unwrap().to_string(),
        )],
    };
    crash_and_recover(&d).await;
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

async fn crash_and_recover(d: &Deployment) {
    create_user(d, "admin@example.org", "org_admin");
    create_user(d, "doc@example.org", "physician");
    create_user(d, "nurse@example.org", "clinician");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut node = serve(d, port).await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();

    let admin = token(&http, &base, "admin@example.org").await;
    let nurse = token(&http, &base, "nurse@example.org").await;
    let doc = token(&http, &base, "doc@example.org").await;
    let doc_id = me(&http, &base, &doc).await["id"].as_i64().unwrap();
    let org = me(&http, &base, &admin).await["organization_id"]
        .as_i64()
        .unwrap();
    let now = SystemClock.now();
    let csv = format!(
        "email,service,role,start,end\ndoc@example.org,medicine,oncall,{},{}\n",
        format_rfc3339(now - HOUR),
        format_rfc3339(now + 11 * HOUR)
    );
    let r = http
        .post(format!("{base}/api/v1/organizations/{org}/shifts"))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    // Alerts come from the lab's registered feed, with its own credential.
    let registered: Value = http
        .post(format!("{base}/api/v1/organizations/{org}/integrations"))
        .bearer_auth(&admin)
        .json(&json!({ "name": "Core lab", "sources": "lab", "kinds": "critical_lab" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let feed = registered["credential"].as_str().unwrap().to_string();
    let conversation: Value = http
        .post(format!("{base}/api/v1/conversations"))
        .bearer_auth(&nurse)
        .json(&json!({ "kind": "direct", "members": [doc_id] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let conversation = conversation["id"].as_i64().unwrap();

    // Four senders of messages and two of alerts, until the node dies under them.
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut senders = Vec::new();
    for s in 0..6 {
        let (http, base, acked) = (http.clone(), base.clone(), acked.clone());
        let sender = if s < 4 { nurse.clone() } else { feed.clone() };
        senders.push(tokio::spawn(async move {
            for n in 0.. {
                let (url, body, key) = if s < 4 {
                    let key = format!("m{s}-{n}");
                    (
                        format!("{base}/api/v1/conversations/{conversation}/messages"),
                        json!({ "body": format!("message {key}"), "client_msg_id": key }),
                        key,
                    )
                } else {
                    let key = format!("a{s}-{n}");
                    (
                        format!("{base}/api/v1/alerts"),
                        json!({ "source": "lab", "source_id": key, "category": "critical_lab",
                                "priority": "urgent", "service": "medicine", "recipient": "oncall:medicine",
                                "text": format!("alert {key}") }),
                        key,
                    )
                };
                match http.post(&url).bearer_auth(&sender).json(&body).send().await {
                    Ok(r) if r.status().is_success() => {
                        acked.lock().unwrap().insert(key);
                    }
                    _ => return n,
                }
            }
            0
        }));
    }
    // Let them run, then kill -9.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if acked.lock().unwrap().len() >= 150 {
            break;
        }
        assert!(
            senders.iter().any(|s| !s.is_finished()),
            "every sender stopped before 150 were acknowledged"
        );
        assert!(
            tokio::time::Instant::now() < deadline,
            "150 acknowledgements within two minutes"
        );
    }
    node.kill();
    let mut attempted = HashMap::new();
    for (s, t) in senders.into_iter().enumerate() {
        attempted.insert(s, t.await.unwrap());
    }
    let acked = acked.lock().unwrap().clone();

    let mut node = serve(d, port).await;
    // The senders retry everything they sent, acknowledged or not: nothing doubles.
    for (s, last) in &attempted {
        for n in 0..=*last {
            if *s < 4 {
                let key = format!("m{s}-{n}");
                let r = http
                    .post(format!(
                        "{base}/api/v1/conversations/{conversation}/messages"
                    ))
                    .bearer_auth(&nurse)
                    .json(&json!({ "body": format!("message {key}"), "client_msg_id": key }))
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_success());
                if acked.contains(&key) {
                    assert_eq!(
                        r.status(),
                        200,
                        "{key} was acknowledged, so it is already stored"
                    );
                }
            } else {
                let key = format!("a{s}-{n}");
                let r = http
                    .post(format!("{base}/api/v1/alerts"))
                    .bearer_auth(&feed)
                    .json(&json!({ "source": "lab", "source_id": key, "category": "critical_lab",
                                   "priority": "urgent", "service": "medicine", "recipient": "oncall:medicine",
                                   "text": format!("alert {key}") }))
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_success());
                if acked.contains(&key) {
                    assert_eq!(
                        r.status(),
                        200,
                        "{key} was acknowledged, so it is already stored"
                    );
                }
            }
        }
    }
    let mut messages: Vec<Value> = Vec::new();
    loop {
        let after = messages.last().map_or(0, |m| m["seq"].as_i64().unwrap());
        let page: Value = http
            .get(format!(
                "{base}/api/v1/conversations/{conversation}/messages?after={after}&limit=200"
            ))
            .bearer_auth(&doc)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let page = page.as_array().unwrap_or_else(|| panic!("{page}")).clone();
        if page.is_empty() {
            break;
        }
        messages.extend(page);
    }
    let ids: Vec<&str> = messages
        .iter()
        .map(|m| m["client_msg_id"].as_str().unwrap())
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no message twice");
    for (i, m) in messages.iter().enumerate() {
        assert_eq!(m["seq"], i as i64 + 1, "numbers without gaps");
    }
    let alerts: Value = http
        .get(format!("{base}/api/v1/alerts"))
        .bearer_auth(&doc)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let texts: Vec<&str> = alerts["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["text"].as_str().unwrap())
        .collect();
    let unique_alerts: HashSet<&str> = texts.iter().copied().collect();
    assert_eq!(unique_alerts.len(), texts.len(), "no alert twice");
    for key in &acked {
        if key.starts_with('m') {
            assert!(
                unique.contains(key.as_str()),
                "acknowledged message {key} survived"
            );
        } else {
            assert!(
                unique_alerts.contains(format!("alert {key}").as_str()),
                "acknowledged alert {key} survived"
            );
        }
    }
    node.kill();
}
