//! Reach: an interrupt is confirmed or escalated. A device's notification carries a
//! capability that confirms receipt and does one thing to one alert; an interrupt no device
//! confirms within the policy's delivery timeout moves on; mail goes to a real SMTP server
//! and gateway calls to a receiver that checks their signature.

use std::time::Duration;

use huddle_core::clock::{HOUR, MINUTE, SECOND};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::push::{peer, push_service, Received};
use crate::routing::{alert, post_alert, ward, Ward};

/// Subscribes p2's phone with the independent device's keys; returns the device's keys.
async fn phone_of_p2(app: &TestApp, w: &Ward, service: &str) -> Value {
    let device: Value = serde_json::from_str(&peer(&["keys"])).unwrap();
    let r = bearer(
        &w.p2.1,
        Method::POST,
        &app.url("/api/v1/push/subscriptions"),
        Some(
            json!({ "endpoint": format!("{service}/ok/phone"), "label": "phone",
            "keys": { "p256dh": device["p256dh"], "auth": device["auth"] } }),
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    device
}

/// Waits for the `n`th message the push service got and opens it as the device would.
async fn nth_notice(received: &Received, n: usize, device: &Value) -> Value {
    let mut waited = 0;
    while received.lock().unwrap().len() < n && waited < 200 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
    }
    let body = received.lock().unwrap()[n - 1].2.clone();
    let file = std::env::temp_dir().join(format!("huddle-reach-{}-{n}.bin", std::process::id()));
    std::fs::write(&file, &body).unwrap();
    let plain = peer(&[
        "open",
        device["private"].as_str().unwrap(),
        device["auth"].as_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    serde_json::from_str(&plain).unwrap()
}

/// What a service worker sends: JSON, no cookie, no token.
async fn from_device(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn timeline(app: &TestApp, token: &str, id: i64) -> Vec<String> {
    let t: Value = bearer(
        token,
        Method::GET,
        &app.url(&format!("/api/v1/alerts/{id}/timeline")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    t["lines"]
        .as_array()
        .unwrap_or_else(|| panic!("{t}"))
        .iter()
        .map(|l| l["text"].as_str().unwrap().to_string())
        .collect()
}

async fn escalate(app: &TestApp) -> usize {
    huddle_server::actions::routing::escalate_due(app.state())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_notification_confirms_delivery_and_its_button_acknowledges_only_its_own_alert() {
    let (service, received) = push_service().await;
    let app = spawn_app_with(|c| c.push.allow_http_endpoints = true).await;
    let w = ward(&app).await;
    let device = phone_of_p2(&app, &w, &service).await;

    let (_, first) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "CAP-1"),
    )
    .await;
    let first_id = first["id"].as_i64().unwrap();
    let notice = nth_notice(&received, 1, &device).await;
    let capability = notice["capability"].as_str().unwrap().to_string();
    assert!(capability.starts_with("hkn_"), "{notice}");
    assert_eq!(notice["actions"][0]["action"], "acknowledge");
    // A lab result offers no "on my way"; that is for pages from people.
    assert_eq!(notice["actions"].as_array().unwrap().len(), 1);

    // The service worker says it arrived: the timeline shows it, and nothing escalates.
    let r = from_device(
        &app,
        "/api/v1/notifications/receipt",
        json!({ "capability": capability, "kind": "delivered" }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    app.clock.advance(3 * MINUTE);
    assert_eq!(escalate(&app).await, 0);
    let lines = timeline(&app, &w.p2.1, first_id).await;
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Sent to Dr. p2@example.org's phone")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "Arrived on Dr. p2@example.org's phone."),
        "{lines:?}"
    );

    let (_, second) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "CAP-2"),
    )
    .await;
    let second_id = second["id"].as_i64().unwrap();
    let later = nth_notice(&received, 2, &device).await;
    let later_capability = later["capability"].as_str().unwrap().to_string();
    assert_ne!(later_capability, capability);

    // The first notification's button acknowledges the first alert, and nothing else.
    let r = from_device(
        &app,
        "/api/v1/notifications/action",
        json!({ "capability": capability, "action": "acknowledge" }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let done: Value = r.json().await.unwrap();
    assert_eq!(
        done,
        json!({ "alert_id": first_id, "state": "acknowledged" })
    );
    let state_of = |id: i64| {
        let app = &app;
        async move { app.state().store.alert(id).await.unwrap().unwrap().state }
    };
    assert_eq!(state_of(second_id).await, "open");
    // Once only; a made-up or mangled capability does nothing.
    let r = from_device(
        &app,
        "/api/v1/notifications/action",
        json!({ "capability": capability, "action": "acknowledge" }),
    )
    .await;
    assert_problem(r, StatusCode::CONFLICT, None).await;
    for forged in ["hkn_not-a-real-one", "hdl_token", &capability[..20]] {
        let r = from_device(
            &app,
            "/api/v1/notifications/action",
            json!({ "capability": forged, "action": "acknowledge" }),
        )
        .await;
        assert_problem(r, StatusCode::NOT_FOUND, None).await;
    }
    let r = from_device(
        &app,
        "/api/v1/notifications/action",
        json!({ "capability": later_capability, "action": "delete_everything" }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A capability expires: twelve hours on, the second notification's button is dead.
    app.clock.advance(13 * HOUR);
    let r = from_device(
        &app,
        "/api/v1/notifications/action",
        json!({ "capability": later_capability, "action": "acknowledge" }),
    )
    .await;
    assert_problem(r, StatusCode::NOT_FOUND, None).await;
    assert_eq!(state_of(second_id).await, "open");

    // The acknowledgement is the physician's, audited with the device it came from.
    let entries = app.state().store.audit_entries(0, 10_000).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "alert_acknowledged"
        && e.actor_id == Some(w.p2.0)
        && e.target == format!("alert:{first_id}")
        && e.detail.contains("phone")));
}

#[tokio::test]
async fn an_interrupt_nobody_confirms_escalates_after_the_delivery_timeout() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    // p2 has no device and no page open.
    let (_, a) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "UNCONF-1"),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    app.clock.advance(MINUTE);
    assert_eq!(escalate(&app).await, 0, "within the two minutes");
    app.clock.advance(MINUTE + SECOND);
    assert_eq!(escalate(&app).await, 1);
    let lines = timeline(&app, &w.p2.1, id).await;
    assert!(
        lines
            .iter()
            .any(|l| l.contains("no device confirmed it arrived")),
        "{lines:?}"
    );
    let moved = app.state().store.alert(id).await.unwrap().unwrap();
    assert_eq!(moved.delivered_to, w.p1.0);

    // Opened on a page by its new holder, the next one is confirmed and stays.
    let (_, b) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "UNCONF-2"),
    )
    .await;
    let b = b["id"].as_i64().unwrap();
    let r = bearer(
        &w.p2.1,
        Method::GET,
        &app.url(&format!("/api/v1/alerts/{b}")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    app.clock.advance(3 * MINUTE);
    escalate(&app).await;
    assert_eq!(
        app.state()
            .store
            .alert(b)
            .await
            .unwrap()
            .unwrap()
            .delivered_to,
        w.p2.0
    );
}
