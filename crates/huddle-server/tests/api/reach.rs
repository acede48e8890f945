//! Reach: an interrupt is confirmed or escalated. A device's notification carries a
//! capability that confirms receipt and does one thing to one alert; an interrupt no device
//! confirms within the policy's delivery timeout moves on; mail goes to a real SMTP server
//! and gateway calls to a receiver that checks their signature.

use std::time::Duration;

use huddle_core::clock::{Clock, HOUR, MINUTE, SECOND};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::peers::{free_port, lines_of, smtp_server, Peer};
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
    // One file per call: tests run side by side in this process.
    static CALLS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let file = std::env::temp_dir().join(format!("huddle-reach-{}-{call}.bin", std::process::id()));
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

#[tokio::test]
async fn an_escalation_is_mailed_over_starttls_to_a_real_smtp_server_without_the_patient() {
    let (_smtp, port, cert, inbox) = smtp_server("smtp");
    let app = spawn_app_with(|c| {
        c.email.host = Some("127.0.0.1".into());
        c.email.port = Some(port);
        c.email.from = Some("Huddle <huddle@hospital.example>".into());
        c.email.ca_file = Some(cert.clone());
    })
    .await;
    let w = ward(&app).await;
    let (_, a) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "MAIL-1"),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    // The first delivery is by push alone; the escalation to p1 is mailed too (the default).
    app.clock.advance(6 * MINUTE);
    assert_eq!(escalate(&app).await, 1);
    let mail = &lines_of(&inbox, 1).await[0];
    assert_eq!(mail["to"], json!(["p1@example.org"]));
    assert_eq!(mail["from"], "huddle@hospital.example");
    let data = mail["data"].as_str().unwrap();
    assert!(data.contains("Subject: Huddle: Escalated to you"), "{data}");
    assert!(data.contains(&format!("/alerts/{id}")), "{data}");
    assert!(
        !data.contains("MRN-SYN-0042") && !data.contains("Potassium"),
        "{data}"
    );
    // The alert's timeline says it went by mail.
    for _ in 0..50 {
        if timeline(&app, &w.p1.1, id)
            .await
            .iter()
            .any(|l| l == "Sent to Dr. p1@example.org's email (its push service took it).")
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{:?}", timeline(&app, &w.p1.1, id).await);
}

#[tokio::test]
async fn gateway_calls_are_signed_retried_while_it_is_down_and_survive_a_restart() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    // The organization pages through its own gateway at the first rung already.
    let url = app.url(&format!("/api/v1/organizations/{}/routing-policy", w.org));
    let mut policy = bearer(&w.admin, Method::GET, &url, None)
        .await
        .json::<Value>()
        .await
        .unwrap()["policy"]
        .clone();
    policy["reach"]["rung_channels"] = json!([["gateway"]]);
    let r = bearer(&w.admin, Method::PUT, &url, Some(policy)).await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let port = free_port();
    let gateway_url = app.url(&format!("/api/v1/organizations/{}/gateway", w.org));
    // Only the organization's administrators, and only https (or http to this host).
    let r = bearer(
        &w.p1.1,
        Method::PUT,
        &gateway_url,
        Some(json!({ "url": "https://sms.example/x" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = bearer(
        &w.admin,
        Method::PUT,
        &gateway_url,
        Some(json!({ "url": "http://10.1.2.3/page" })),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("url")).await;
    let gateway: Value = bearer(
        &w.admin,
        Method::PUT,
        &gateway_url,
        Some(json!({ "url": format!("http://127.0.0.1:{port}/page") })),
    )
    .await
    .json()
    .await
    .unwrap();
    let secret = gateway["signing_secret"].as_str().unwrap().to_string();
    assert_eq!(secret.len(), 64);

    // The gateway is down: the call waits in the outbox with its error, retried later.
    let (_, a) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "GW-1"),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    let store = app.state().store.clone();
    let mut pending = Vec::new();
    for _ in 0..100 {
        pending = store.due_outbound(i64::MAX, 10).await.unwrap();
        if pending.first().is_some_and(|o| o.attempts > 0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let call = pending.first().expect("the call is kept").clone();
    assert_eq!(call.channel, "gateway");
    assert!(
        call.attempts >= 1 && !call.last_error.is_empty(),
        "{call:?}"
    );
    assert!(call.sent_at.is_none() && call.failed_at.is_none());

    // Huddle restarts; then the gateway comes up and the call arrives, signed, once.
    let data_dir = app.state().config.database.data_dir.clone();
    let TestApp { running, .. } = app;
    running.shutdown().await.unwrap();
    let app = spawn_app_with(|c| c.database.data_dir = data_dir).await;
    let received =
        std::env::temp_dir().join(format!("huddle-gateway-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&received);
    let _gateway = Peer::start(
        "tests/peers/gateway.py",
        &[&port.to_string(), &secret, received.to_str().unwrap()],
    );
    app.clock.advance(MINUTE);
    huddle_server::outbox::wake(app.state());
    let calls = lines_of(&received, 1).await;
    assert_eq!(calls[0]["delivery"], call.id.to_string());
    let body = &calls[0]["body"];
    assert_eq!(body["type"], "alert.interrupt");
    assert_eq!(body["alert_id"], id);
    assert_eq!(body["recipient"]["email"], "p2@example.org");
    assert!(!body.to_string().contains("MRN-SYN-0042"), "{body}");
    // Marked sent once the gateway answered (just after it wrote its line).
    let mut sent = None;
    for _ in 0..50 {
        let now = app.state().store.outbound(call.id).await.unwrap().unwrap();
        if now.sent_at.is_some() {
            sent = Some(now);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sent = sent.expect("the call is marked sent");
    assert!(sent.attempts >= 2, "{sent:?}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(lines_of(&received, 1).await.len(), 1, "sent once");

    // The receiver really checks: a call with a wrong signature is refused.
    let r = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/page"))
        .header("huddle-signature", "t=1,v1=00")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

/// p1 writes to p2 in a conversation; returns its id.
async fn conversation(app: &TestApp, w: &Ward, kind: &str) -> i64 {
    let r = bearer(
        &w.p1.1,
        Method::POST,
        &app.url("/api/v1/conversations"),
        Some(json!({ "kind": kind, "members": [w.p2.0], "name": if kind == "direct" { "" } else { "Night team" } })),
    )
    .await;
    assert!(r.status().is_success());
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn say(app: &TestApp, w: &Ward, conversation: i64, client: &str, mentions: &[i64]) {
    let r = bearer(
        &w.p1.1,
        Method::POST,
        &app.url(&format!("/api/v1/conversations/{conversation}/messages")),
        Some(json!({ "body": "Synthetic: can you look at bed 4?", "client_msg_id": client, "mentions": mentions })),
    )
    .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn direct_messages_and_mentions_reach_the_phone_and_the_menu_unless_quiet() {
    let (service, received) = push_service().await;
    let app = spawn_app_with(|c| c.push.allow_http_endpoints = true).await;
    let w = ward(&app).await;
    let device = phone_of_p2(&app, &w, &service).await;
    let direct = conversation(&app, &w, "direct").await;
    let group = conversation(&app, &w, "group").await;

    say(&app, &w, direct, "dm-1", &[]).await;
    let notice = nth_notice(&received, 1, &device).await;
    assert_eq!(notice["title"], "Message from Dr. p1@example.org");
    assert_eq!(notice["url"], format!("/messages/{direct}"));
    assert!(!notice.to_string().contains("bed 4"), "{notice}");
    // The menu and the home page count it.
    let p2 = Browser::login(&app, "p2@example.org").await;
    let home = p2.page(&app.url("/")).await;
    assert!(home.contains(r#"aria-label="1 unread""#), "{home}");
    assert!(home.contains("1 unread</strong>"), "{home}");

    // Group chatter without a mention stays off the phone.
    say(&app, &w, group, "group-1", &[]).await;

    // Quiet hours around now (p2's local time is UTC here): a typo is shown beside the
    // form with what was typed; then messages and mentions wait silently.
    let settings = app.url("/account/notifications");
    let form = |start: &str, end: &str| {
        vec![
            ("csrf_token", p2.csrf.clone().unwrap()),
            ("push_messages", "on".to_string()),
            ("quiet_start", start.to_string()),
            ("quiet_end", end.to_string()),
        ]
    };
    let page = p2
        .client
        .post(&settings)
        .form(&form("25:00", "07:00"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("HH:MM") && page.contains(r#"value="25:00""#),
        "{page}"
    );
    let hhmm = |at: i64| {
        let m = (at.div_euclid(MINUTE)).rem_euclid(24 * 60);
        format!("{:02}:{:02}", m / 60, m % 60)
    };
    let now = app.clock.now();
    let r = p2
        .client
        .post(&settings)
        .form(&form(&hhmm(now - HOUR), &hhmm(now + HOUR)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    say(&app, &w, direct, "dm-2", &[]).await;
    say(&app, &w, group, "group-2", &[w.p2.0]).await;

    // Quiet hours off again: the mention reaches the phone.
    let r = p2
        .client
        .post(&settings)
        .form(&form("", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    say(&app, &w, group, "group-3", &[w.p2.0]).await;
    let notice = nth_notice(&received, 2, &device).await;
    assert_eq!(notice["title"], "Dr. p1@example.org mentioned you");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        received.lock().unwrap().len(),
        2,
        "nothing else was pushed: not the group chatter, not during quiet hours"
    );
    let home = p2.page(&app.url("/")).await;
    assert!(home.contains(r#"aria-label="5 unread""#), "{home}");
}

#[tokio::test]
async fn administrators_set_reach_on_its_page_and_no_one_else_can() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let admin = Browser::login(&app, "admin@example.org").await;
    let page = admin
        .page(&app.url(&format!("/admin/reach?org={}", w.org)))
        .await;
    assert!(
        page.contains(r#"name="timeout_s""#) && page.contains(r#"value="120""#),
        "{page}"
    );
    let post = |b: &Browser, path: &str, fields: Vec<(&str, &str)>| {
        let mut form: Vec<(String, String)> = fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        form.push(("csrf_token".into(), b.csrf.clone().unwrap()));
        b.client
            .post(app.url(&format!("{path}?org={}", w.org)))
            .form(&form)
            .send()
    };
    // Out of range: said beside the form, nothing saved.
    let r = post(&admin, "/admin/reach/policy", vec![("timeout_s", "5")])
        .await
        .unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("between 30 seconds and one hour"));
    let r = post(
        &admin,
        "/admin/reach/policy",
        vec![
            ("timeout_s", "90"),
            ("gateway_0", "on"),
            ("email_1", "on"),
            ("gateway_1", "on"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (policy, _) = huddle_server::actions::routing::policy(app.state(), w.org)
        .await
        .unwrap();
    assert_eq!(policy.reach.delivery_timeout_s, 90);
    assert_eq!(
        serde_json::to_value(&policy.reach.rung_channels).unwrap(),
        json!([["gateway"], ["email", "gateway"], []])
    );
    // A physician of the same organization can neither see nor change it.
    let p1 = Browser::login(&app, "p1@example.org").await;
    let r = post(&p1, "/admin/reach/policy", vec![("timeout_s", "3600")])
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post(&p1, "/admin/reach/secret", vec![]).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The secret is shown on request, and that is on record.
    let page = post(&admin, "/admin/reach/secret", vec![])
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Signing secret (hex)"), "{page}");
    let entries = app.state().store.audit_entries(0, 10_000).await.unwrap();
    assert!(entries
        .iter()
        .any(|e| e.action == "gateway_changed" && e.detail.contains("read_secret")));
}

#[tokio::test]
async fn a_digest_is_pushed_once_when_it_comes_due_not_before() {
    let (service, received) = push_service().await;
    let app = spawn_app_with(|c| c.push.allow_http_endpoints = true).await;
    let w = ward(&app).await;
    let device = phone_of_p2(&app, &w, &service).await;
    let mut due = 0;
    for id in ["D-1", "D-2"] {
        let (_, a) = post_alert(
            &app,
            &w.feed,
            alert("abnormal_lab", "routine", &w.p2.0.to_string(), id),
        )
        .await;
        assert_eq!(a["delivery"], "queue", "{a}");
        due = a["deliver_at"].as_i64().unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    huddle_server::outbox::send_due(app.state()).await.unwrap();
    assert!(received.lock().unwrap().is_empty(), "not before the digest");
    app.clock.advance(due - app.clock.now() + SECOND);
    huddle_server::outbox::send_due(app.state()).await.unwrap();
    let notice = nth_notice(&received, 1, &device).await;
    assert_eq!(notice["title"], "Your digest is ready");
    assert_eq!(notice["url"], "/alerts");
    tokio::time::sleep(Duration::from_millis(300)).await;
    huddle_server::outbox::send_due(app.state()).await.unwrap();
    assert_eq!(
        received.lock().unwrap().len(),
        1,
        "one notice for the digest"
    );
}

#[tokio::test]
async fn a_digest_is_mailed_when_due_to_those_who_asked_for_it() {
    let (_smtp, port, cert, inbox) = smtp_server("smtp-digest");
    let app = spawn_app_with(|c| {
        c.email.host = Some("127.0.0.1".into());
        c.email.port = Some(port);
        c.email.ca_file = Some(cert.clone());
    })
    .await;
    let w = ward(&app).await;
    // p2 asks for digest mails on the settings page; p1 does not.
    let p2 = Browser::login(&app, "p2@example.org").await;
    let r = p2
        .client
        .post(app.url("/account/notifications"))
        .form(&[
            ("csrf_token", p2.csrf.clone().unwrap()),
            ("push_messages", "on".into()),
            ("email_digests", "on".into()),
            ("quiet_start", String::new()),
            ("quiet_end", String::new()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mut due = 0;
    for (to, id) in [(w.p2.0, "DM-1"), (w.p2.0, "DM-2"), (w.p1.0, "DM-3")] {
        let (_, a) = post_alert(
            &app,
            &w.feed,
            alert("abnormal_lab", "routine", &to.to_string(), id),
        )
        .await;
        assert_eq!(a["delivery"], "queue", "{a}");
        due = due.max(a["deliver_at"].as_i64().unwrap());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.clock.advance(due - app.clock.now() + SECOND);
    huddle_server::outbox::send_due(app.state()).await.unwrap();
    let mails = lines_of(&inbox, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(lines_of(&inbox, 1).await.len(), 1, "one mail, to p2 only");
    assert_eq!(mails[0]["to"], json!(["p2@example.org"]));
    let data = mails[0]["data"].as_str().unwrap();
    assert!(
        data.contains("Subject: Huddle: your digest is ready"),
        "{data}"
    );
    assert!(
        !data.contains("MRN-SYN-0042") && !data.contains("Potassium"),
        "{data}"
    );
}
