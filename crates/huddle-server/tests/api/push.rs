//! Web Push against an independent implementation: a local push service receives what
//! Huddle posts, and a device written with Python's `http_ece` and `cryptography`
//! (scripts/test-peers.sh) makes the subscription keys, decrypts the message and checks the
//! VAPID signature. A lock screen never learns the patient or the text.

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode as Status};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::routing::{alert, post_alert, ward};

const DEVICE: &str = "tests/peers/push_device.py";
pub const PYTHON: &str = "../../target/peers-venv/bin/python";

pub fn peer(args: &[&str]) -> String {
    if !std::path::Path::new(PYTHON).exists() {
        let made = Command::new("bash")
            .arg("../../scripts/test-peers.sh")
            .status()
            .expect("bash");
        assert!(
            made.success(),
            "scripts/test-peers.sh could not install the push peer"
        );
    }
    let out = Command::new(PYTHON)
        .arg(DEVICE)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub type Received = Arc<Mutex<Vec<(String, HeaderMap, Bytes)>>>;

/// A push service on a free port: `/ok/…` takes messages (201), `/gone/…` answers 410.
pub async fn push_service() -> (String, Received) {
    let received: Received = Arc::default();
    let keep = received.clone();
    let app = axum::Router::new().fallback(
        move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
            let keep = keep.clone();
            async move {
                let path = uri.path().to_string();
                let gone = path.starts_with("/gone");
                keep.lock().unwrap().push((path, headers, body));
                if gone {
                    Status::GONE
                } else {
                    Status::CREATED
                }
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, received)
}

#[tokio::test]
async fn an_interrupt_reaches_each_device_encrypted_signed_and_without_the_patient() {
    let (service, received) = push_service().await;
    let app = spawn_app_with(|c| c.push.allow_http_endpoints = true).await;
    let w = ward(&app).await;
    let device: Value = serde_json::from_str(&peer(&["keys"])).unwrap();
    let subscribe = |endpoint: String, label: &str| {
        json!({ "endpoint": endpoint, "expirationTime": null, "label": label,
            "keys": { "p256dh": device["p256dh"], "auth": device["auth"] } })
    };
    let url = app.url("/api/v1/push/subscriptions");
    let r = bearer(
        &w.p2.1,
        Method::POST,
        &url,
        Some(subscribe(format!("{service}/ok/phone"), "phone")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = bearer(
        &w.p2.1,
        Method::POST,
        &url,
        Some(subscribe(
            format!("{service}/gone/old-tablet"),
            "old tablet",
        )),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let (status, critical) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "PUSH-1"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let mut waited = 0;
    while received.lock().unwrap().len() < 2 && waited < 100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
    }
    let (path, headers, body) = received
        .lock()
        .unwrap()
        .iter()
        .find(|(p, _, _)| p == "/ok/phone")
        .cloned()
        .expect("the phone's push service got the message");
    assert_eq!(path, "/ok/phone");
    assert_eq!(headers["content-encoding"], "aes128gcm");
    assert_eq!(headers["urgency"], "high");
    assert!(headers["ttl"].to_str().unwrap().parse::<u32>().unwrap() > 0);

    // The device opens it: the kind of thing and where to look, nothing about the patient.
    let file = std::env::temp_dir().join(format!("huddle-push-{}.bin", std::process::id()));
    std::fs::write(&file, &body).unwrap();
    let plain = peer(&[
        "open",
        device["private"].as_str().unwrap(),
        device["auth"].as_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    let notice: Value = serde_json::from_str(&plain).unwrap();
    assert_eq!(notice["title"], "Critical result for you");
    assert_eq!(notice["url"], format!("/alerts/{}", critical["id"]));
    assert!(
        !plain.contains("Potassium") && !plain.contains("MRN-SYN-0042"),
        "{plain}"
    );

    // Signed with the key browsers subscribe with, for this push service.
    let claims: Value = serde_json::from_str(&peer(&[
        "vapid",
        headers["authorization"].to_str().unwrap(),
    ]))
    .unwrap();
    let key: Value = bearer(&w.p2.1, Method::GET, &app.url("/api/v1/push/key"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(claims["k"], key["public_key"]);
    assert_eq!(claims["claims"]["aud"], service);
    assert!(claims["claims"]["exp"].as_i64().unwrap() > 0);

    // The push service said the tablet is gone: it is no longer a device of theirs.
    let devices: Value = bearer(&w.p2.1, Method::GET, &url, None)
        .await
        .json()
        .await
        .unwrap();
    let labels: Vec<&str> = devices
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["phone"]);
    // Removed by its owner only.
    let id = devices[0]["id"].as_i64().unwrap();
    let r = bearer(&w.p1.1, Method::DELETE, &format!("{url}/{id}"), None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = bearer(&w.p2.1, Method::DELETE, &format!("{url}/{id}"), None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn subscriptions_take_only_https_push_services_and_real_keys() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let url = app.url("/api/v1/push/subscriptions");
    let good_keys =
        json!({ "p256dh": format!("B{}", "A".repeat(86)), "auth": "AAAAAAAAAAAAAAAAAAAAAA" });
    let r = bearer(
        &w.p1.1,
        Method::POST,
        &url,
        Some(json!({ "endpoint": "http://10.0.0.5/admin", "keys": good_keys })),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("endpoint")).await;
    let r = bearer(&w.p1.1, Method::POST, &url, Some(json!({ "endpoint": "https://push.example/x", "keys": { "p256dh": "short", "auth": "AAAAAAAAAAAAAAAAAAAAAA" } }))).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("keys.p256dh")).await;
    let r = bearer(
        &w.p1.1,
        Method::POST,
        &url,
        Some(json!({ "endpoint": "https://push.example/x", "keys": good_keys })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}
