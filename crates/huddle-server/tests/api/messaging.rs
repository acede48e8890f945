//! Conversations over the API and the live socket.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use huddle_core::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;

struct Team {
    org: i64,
    ids: Vec<i64>,
    tokens: Vec<String>,
}

async fn team(app: &TestApp, n: usize) -> Team {
    let store = &app.state().store;
    let org = store.create_organization("Practice", 0).await.unwrap().id;
    let (mut ids, mut tokens) = (Vec::new(), Vec::new());
    for i in 0..n {
        let email = format!("member{i}@example.org");
        let id = app.user(&email, &[Role::Clinician]).await;
        store.set_membership(id, Some(org), None).await.unwrap();
        ids.push(id);
        tokens.push(app.token(&email).await);
    }
    Team { org, ids, tokens }
}

async fn create(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let r = bearer(
        token,
        Method::POST,
        &app.url("/api/v1/conversations"),
        Some(body),
    )
    .await;
    (r.status(), r.json().await.unwrap())
}

async fn send(
    app: &TestApp,
    token: &str,
    conversation: i64,
    body: &str,
    client: &str,
) -> reqwest::Response {
    bearer(
        token,
        Method::POST,
        &app.url(&format!("/api/v1/conversations/{conversation}/messages")),
        Some(json!({ "body": body, "client_msg_id": client })),
    )
    .await
}

#[tokio::test]
async fn sending_is_idempotent_and_ordered_and_members_only() {
    let app = spawn_app().await;
    let t = team(&app, 3).await;
    let (status, created) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "group", "members": [t.ids[1]], "name": "Rounds" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_i64().unwrap();

    let r = send(&app, &t.tokens[0], id, "Bed 4 labs are back", "c-1").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["seq"], 1);
    let r = send(&app, &t.tokens[0], id, "Bed 4 labs are back", "c-1").await;
    assert_eq!(r.status(), StatusCode::OK, "a retry is not a new message");
    let again: Value = r.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    send(&app, &t.tokens[1], id, "Thanks, on my way", "c-1").await;

    let list: Value = bearer(
        &t.tokens[1],
        Method::GET,
        &app.url(&format!("/api/v1/conversations/{id}/messages?after=0")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let bodies: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, vec!["Bed 4 labs are back", "Thanks, on my way"]);
    assert_eq!(list[1]["seq"], 2);
    let after: Value = bearer(
        &t.tokens[1],
        Method::GET,
        &app.url(&format!("/api/v1/conversations/{id}/messages?after=1")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(after.as_array().unwrap().len(), 1);

    // A non-member gets 403 on every route of the conversation.
    let outsider = &t.tokens[2];
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/conversations/{id}"), None),
        (
            Method::GET,
            format!("/api/v1/conversations/{id}/messages"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/conversations/{id}/messages"),
            Some(json!({ "body": "hi", "client_msg_id": "x" })),
        ),
        (
            Method::POST,
            format!("/api/v1/conversations/{id}/read"),
            Some(json!({ "seq": 1 })),
        ),
        (
            Method::POST,
            format!("/api/v1/conversations/{id}/members"),
            Some(json!({ "user_id": t.ids[2] })),
        ),
        (
            Method::DELETE,
            format!("/api/v1/conversations/{id}/members/{}", t.ids[0]),
            None,
        ),
    ] {
        let r = bearer(outsider, method.clone(), &app.url(&path), body).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method} {path}");
    }
    // Reading is attributable.
    let reads = app
        .state()
        .store
        .audit_entries(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "conversation_read")
        .count();
    assert_eq!(reads, 2);
}

#[tokio::test]
async fn inbox_counts_unread_and_direct_conversations_are_unique() {
    let app = spawn_app().await;
    let t = team(&app, 2).await;
    let (status, dm) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "direct", "members": [t.ids[1]] }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, again) = create(
        &app,
        &t.tokens[1],
        json!({ "kind": "direct", "members": [t.ids[0]] }),
    )
    .await;
    assert_eq!(
        (status, &again["id"]),
        (StatusCode::OK, &dm["id"]),
        "one direct conversation per pair"
    );
    let id = dm["id"].as_i64().unwrap();
    for i in 0..3 {
        send(
            &app,
            &t.tokens[0],
            id,
            &format!("message {i}"),
            &format!("m{i}"),
        )
        .await;
    }
    let inbox: Value = bearer(
        &t.tokens[1],
        Method::GET,
        &app.url("/api/v1/conversations"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(inbox[0]["unread"], 3);
    assert_eq!(inbox[0]["title"], "Dr. member0@example.org");
    let r = bearer(
        &t.tokens[1],
        Method::POST,
        &app.url(&format!("/api/v1/conversations/{id}/read")),
        Some(json!({ "seq": 3 })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let inbox: Value = bearer(
        &t.tokens[1],
        Method::GET,
        &app.url("/api/v1/conversations"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(inbox[0]["unread"], 0);

    let (status, err) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "direct", "members": [] }),
    )
    .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("members"))
    );
    let stranger = app.user("stranger@example.org", &[]).await;
    let (status, err) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "group", "members": [stranger] }),
    )
    .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("members[0]"))
    );
    let (status, _) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "broadcast", "members": [t.ids[1]] }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = send(&app, &t.tokens[0], id, "   ", "blank").await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("body")).await;
    let r = send(&app, &t.tokens[0], id, "ok", "bad id with spaces").await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("client_msg_id")).await;
    let _ = t.org;
}

#[tokio::test]
async fn open_channels_can_be_joined_private_ones_cannot() {
    let app = spawn_app().await;
    let t = team(&app, 2).await;
    let (_, open) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "channel", "name": "Front desk" }),
    )
    .await;
    let (_, closed) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "channel", "name": "Leadership", "private": true }),
    )
    .await;
    let channels: Value = bearer(
        &t.tokens[1],
        Method::GET,
        &app.url("/api/v1/channels"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(channels.as_array().unwrap().len(), 1);
    assert_eq!(channels[0]["title"], "Front desk");
    let join_open = app.url(&format!("/api/v1/channels/{}/join", open["id"]));
    let join_closed = app.url(&format!("/api/v1/channels/{}/join", closed["id"]));
    assert_eq!(
        bearer(&t.tokens[1], Method::POST, &join_open, None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        bearer(&t.tokens[1], Method::POST, &join_closed, None)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let (status, _) = create(&app, &t.tokens[0], json!({ "kind": "channel" })).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "channels need a name"
    );
}

#[tokio::test]
async fn message_bodies_never_reach_the_disk_in_plaintext() {
    let app = spawn_app().await;
    let t = team(&app, 2).await;
    let (_, c) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "group", "members": [t.ids[1]] }),
    )
    .await;
    let secret = "Potassium 6.8 for patient JQ in bed 12";
    send(&app, &t.tokens[0], c["id"].as_i64().unwrap(), secret, "p1").await;
    let db = app
        .state()
        .config
        .database
        .resolved_url()
        .trim_start_matches("sqlite://")
        .to_string();
    let mut bytes = std::fs::read(&db).unwrap();
    bytes.extend(std::fs::read(format!("{db}-wal")).unwrap_or_default());
    assert!(
        !bytes.windows(9).any(|w| w == b"Potassium"),
        "plaintext body on disk"
    );
}

async fn next_event(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    kind: &str,
) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("an event in time")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = message {
            let event: Value = serde_json::from_str(&text).unwrap();
            if event["type"] == kind {
                return event;
            }
        }
    }
}

#[tokio::test]
async fn live_sockets_deliver_and_a_reconnecting_client_misses_nothing() {
    let app = spawn_app().await;
    let t = team(&app, 2).await;
    let (_, c) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "direct", "members": [t.ids[1]] }),
    )
    .await;
    let id = c["id"].as_i64().unwrap();
    let url = format!(
        "{}/api/v1/live?token={}",
        app.base.replace("http://", "ws://"),
        t.tokens[1]
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    next_event(&mut ws, "ready").await;
    send(
        &app,
        &t.tokens[0],
        id,
        "Are you free for a consult?",
        "live-1",
    )
    .await;
    let event = next_event(&mut ws, "message.created").await;
    assert_eq!(event["conversation_id"], id);
    assert_eq!(event["message"]["body"], "Are you free for a consult?");
    assert_eq!(event["message"]["seq"], 1);
    ws.close(None).await.unwrap();

    // While disconnected, two more arrive; resuming from seq 1 replays exactly those.
    send(&app, &t.tokens[0], id, "Second", "live-2").await;
    send(&app, &t.tokens[0], id, "Third", "live-3").await;
    let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    next_event(&mut ws, "ready").await;
    ws.send(Message::Text(
        json!({ "type": "resume", "cursors": { id.to_string(): 1 } })
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let a = next_event(&mut ws, "message.created").await;
    let b = next_event(&mut ws, "message.created").await;
    assert_eq!(
        (a["message"]["seq"].as_i64(), b["message"]["seq"].as_i64()),
        (Some(2), Some(3))
    );
    next_event(&mut ws, "resumed").await;
    // Cursors for conversations the person is not in replay nothing.
    ws.send(Message::Text(
        json!({ "type": "resume", "cursors": { "999999": 0 } })
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    next_event(&mut ws, "resumed").await;

    let bad = tokio_tungstenite::connect_async(format!(
        "{}/api/v1/live?token=hdl_forged",
        app.base.replace("http://", "ws://")
    ))
    .await;
    assert!(bad.is_err(), "a forged token gets no socket");
}

#[tokio::test]
async fn edits_deletions_receipts_and_presence_arrive_live() {
    let app = spawn_app().await;
    let t = team(&app, 2).await;
    let (_, c) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "direct", "members": [t.ids[1]] }),
    )
    .await;
    let id = c["id"].as_i64().unwrap();
    let sent: Value = send(&app, &t.tokens[0], id, "Meet at 3?", "e-1")
        .await
        .json()
        .await
        .unwrap();
    let message_id = sent["id"].as_i64().unwrap();
    let url = format!(
        "{}/api/v1/live?token={}",
        app.base.replace("http://", "ws://"),
        t.tokens[0]
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    next_event(&mut ws, "ready").await;

    let r = bearer(
        &t.tokens[1],
        Method::PATCH,
        &app.url(&format!("/api/v1/messages/{message_id}")),
        Some(json!({ "body": "hijack" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "only the sender edits");
    let r = bearer(
        &t.tokens[0],
        Method::PATCH,
        &app.url(&format!("/api/v1/messages/{message_id}")),
        Some(json!({ "body": "Meet at 4?" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let e = next_event(&mut ws, "message.edited").await;
    assert_eq!(
        (
            e["message"]["body"].as_str(),
            e["message"]["edited"].as_bool()
        ),
        (Some("Meet at 4?"), Some(true))
    );

    let r = bearer(
        &t.tokens[1],
        Method::POST,
        &app.url(&format!("/api/v1/conversations/{id}/read")),
        Some(json!({ "seq": 1 })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let e = next_event(&mut ws, "receipt").await;
    assert_eq!(
        (e["user_id"].as_i64(), e["seq"].as_i64()),
        (Some(t.ids[1]), Some(1))
    );

    let r = bearer(
        &t.tokens[1],
        Method::PUT,
        &app.url("/api/v1/me/status"),
        Some(json!({ "status": "busy", "message": "In a procedure until 4" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let e = next_event(&mut ws, "presence").await;
    assert_eq!(
        (e["status"].as_str(), e["message"].as_str()),
        (Some("busy"), Some("In a procedure until 4"))
    );
    let detail: Value = bearer(
        &t.tokens[0],
        Method::GET,
        &app.url(&format!("/api/v1/conversations/{id}")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let other = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] == t.ids[1])
        .unwrap()
        .clone();
    assert_eq!(
        (other["status"].as_str(), other["last_read_seq"].as_i64()),
        (Some("busy"), Some(1))
    );
    let r = bearer(
        &t.tokens[1],
        Method::PUT,
        &app.url("/api/v1/me/status"),
        Some(json!({ "status": "napping" })),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("status")).await;

    let r = bearer(
        &t.tokens[0],
        Method::DELETE,
        &app.url(&format!("/api/v1/messages/{message_id}")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let e = next_event(&mut ws, "message.deleted").await;
    assert_eq!(
        (
            e["message"]["body"].as_str(),
            e["message"]["deleted"].as_bool()
        ),
        (Some(""), Some(true))
    );
    let r = bearer(
        &t.tokens[0],
        Method::PATCH,
        &app.url(&format!("/api/v1/messages/{message_id}")),
        Some(json!({ "body": "again" })),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "a deleted message stays deleted"
    );
}

#[tokio::test]
async fn retention_empties_old_bodies_once_per_period() {
    let app = spawn_app().await;
    let t = team(&app, 2).await;
    let (_, c) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "group", "members": [t.ids[1]] }),
    )
    .await;
    let id = c["id"].as_i64().unwrap();
    send(&app, &t.tokens[0], id, "Old news", "r-1").await;
    let admin = app.user("orgadmin@example.org", &[Role::OrgAdmin]).await;
    app.state()
        .store
        .set_membership(admin, Some(t.org), None)
        .await
        .unwrap();
    let admin_token = app.token("orgadmin@example.org").await;
    let r = bearer(
        &t.tokens[0],
        Method::PUT,
        &app.url(&format!("/api/v1/organizations/{}/retention", t.org)),
        Some(json!({ "days": 30 })),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "an organization admin's decision"
    );
    let r = bearer(
        &admin_token,
        Method::PUT,
        &app.url(&format!("/api/v1/organizations/{}/retention", t.org)),
        Some(json!({ "days": 30 })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    app.clock.advance(31 * huddle_core::clock::DAY);
    send(&app, &t.tokens[0], id, "Fresh news", "r-2").await;
    let purged = huddle_server::actions::messaging::enforce_retention(app.state())
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(
        huddle_server::actions::messaging::enforce_retention(app.state())
            .await
            .unwrap(),
        0,
        "once per period"
    );
    let list: Value = bearer(
        &t.tokens[1],
        Method::GET,
        &app.url(&format!("/api/v1/conversations/{id}/messages")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        (list[0]["body"].as_str(), list[0]["deleted"].as_bool()),
        (Some(""), Some(true))
    );
    assert_eq!(list[1]["body"], "Fresh news");
}

#[tokio::test]
async fn rotating_the_master_key_keeps_every_secret_readable_under_the_new_one() {
    let app = spawn_app().await;
    let t = team(&app, 2).await;
    let (_, c) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "group", "members": [t.ids[1]] }),
    )
    .await;
    send(
        &app,
        &t.tokens[0],
        c["id"].as_i64().unwrap(),
        "Sealed under the org key",
        "k-1",
    )
    .await;
    let store = &app.state().store;
    let org_wrapped = store
        .wrapped_key(huddle_core::keys::KeyOwner::Organization(t.org))
        .await
        .unwrap()
        .unwrap();
    let new = huddle_server::crypto::Keyring::from_key(&[9u8; 32]);
    assert!(new.unwrap(&format!("org:{}", t.org), &org_wrapped).is_err());
    let n = huddle_server::keys::rotate(app.state(), &new)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let rewrapped = store
        .wrapped_key(huddle_core::keys::KeyOwner::Organization(t.org))
        .await
        .unwrap()
        .unwrap();
    let key = new.unwrap(&format!("org:{}", t.org), &rewrapped).unwrap();
    let stored = store
        .messages(c["id"].as_i64().unwrap(), 0, 10)
        .await
        .unwrap();
    let body = key
        .open(&format!("conversation:{}", c["id"]), &stored[0].sealed)
        .unwrap();
    assert_eq!(body, b"Sealed under the org key");
    let old = huddle_server::crypto::Keyring::from_config(&app.state().config).unwrap();
    assert!(
        old.unwrap(&format!("org:{}", t.org), &rewrapped).is_err(),
        "the old master key no longer opens it"
    );
}

#[tokio::test]
async fn replies_mentions_and_a_sealed_patient_context() {
    let app = spawn_app().await;
    let t = team(&app, 3).await;
    let (status, c) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "group", "members": [t.ids[1]], "name": "Consult", "patient": { "reference": "ZXQ-REF-8842", "initials": "jq" } }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = c["id"].as_i64().unwrap();
    let detail: Value = bearer(
        &t.tokens[1],
        Method::GET,
        &app.url(&format!("/api/v1/conversations/{id}")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        detail["patient"],
        json!({ "reference": "ZXQ-REF-8842", "initials": "JQ" })
    );
    let (status, bad) = create(&app, &t.tokens[0], json!({ "kind": "group", "members": [t.ids[1]], "patient": { "reference": "x", "initials": "J0HN5" } })).await;
    assert_eq!(
        (status, bad["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("patient.initials"))
    );

    let first: Value = send(&app, &t.tokens[0], id, "Can you see JQ today?", "q-1")
        .await
        .json()
        .await
        .unwrap();
    let url = app.url(&format!("/api/v1/conversations/{id}/messages"));
    let reply = json!({ "body": "Yes, after clinic", "client_msg_id": "q-2", "reply_to": first["id"], "mentions": [t.ids[0]] });
    assert_eq!(
        bearer(&t.tokens[1], Method::POST, &url, Some(reply))
            .await
            .status(),
        StatusCode::CREATED
    );
    let list: Value = bearer(&t.tokens[0], Method::GET, &url, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[1]["reply_to"], first["id"]);
    assert_eq!(list[1]["mentions"], json!([t.ids[0]]));
    let outsider = json!({ "body": "hi", "client_msg_id": "q-3", "mentions": [t.ids[2]] });
    assert_problem(
        bearer(&t.tokens[1], Method::POST, &url, Some(outsider)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("mentions[0]"),
    )
    .await;
    let elsewhere = json!({ "body": "hi", "client_msg_id": "q-4", "reply_to": 999_999 });
    assert_problem(
        bearer(&t.tokens[1], Method::POST, &url, Some(elsewhere)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("reply_to"),
    )
    .await;

    let db = app
        .state()
        .config
        .database
        .resolved_url()
        .trim_start_matches("sqlite://")
        .to_string();
    let mut bytes = std::fs::read(&db).unwrap();
    bytes.extend(std::fs::read(format!("{db}-wal")).unwrap_or_default());
    assert!(
        !bytes.windows(12).any(|w| w == b"ZXQ-REF-8842"),
        "the patient reference is sealed"
    );
}

#[tokio::test]
async fn a_team_channel_reaches_whoever_holds_the_team() {
    let app = spawn_app().await;
    let t = team(&app, 3).await;
    let admin = app.user("orgadmin@example.org", &[Role::OrgAdmin]).await;
    app.state()
        .store
        .set_membership(admin, Some(t.org), None)
        .await
        .unwrap();
    let admin_token = app.token("orgadmin@example.org").await;
    let set_team = |user: i64, team: &'static str| {
        let url = app.url(&format!("/api/v1/users/{user}/team"));
        let token = admin_token.clone();
        async move {
            bearer(&token, Method::PUT, &url, Some(json!({ "team": team })))
                .await
                .status()
        }
    };
    assert_eq!(
        set_team(t.ids[1], "front_desk").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        set_team(t.ids[2], "wizardry").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = bearer(
        &t.tokens[0],
        Method::PUT,
        &app.url(&format!("/api/v1/users/{}/team", t.ids[2])),
        Some(json!({ "team": "lab" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "an admin's decision");

    let (status, c) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "channel", "team": "front_desk" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = c["id"].as_i64().unwrap();
    let detail: Value = bearer(
        &t.tokens[1],
        Method::GET,
        &app.url(&format!("/api/v1/conversations/{id}")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(detail["title"], "Front desk");
    send(
        &app,
        &t.tokens[0],
        id,
        "Patient in room 3 needs a ride",
        "t-1",
    )
    .await;

    // Someone joins the front desk later: they are in the channel; someone leaves: out.
    assert_eq!(
        set_team(t.ids[2], "front_desk").await,
        StatusCode::NO_CONTENT
    );
    let inbox: Value = bearer(
        &t.tokens[2],
        Method::GET,
        &app.url("/api/v1/conversations"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(inbox[0]["id"], id);
    assert_eq!(set_team(t.ids[1], "billing").await, StatusCode::NO_CONTENT);
    let r = bearer(
        &t.tokens[1],
        Method::GET,
        &app.url(&format!("/api/v1/conversations/{id}/messages")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (status, _) = create(
        &app,
        &t.tokens[0],
        json!({ "kind": "channel", "team": "astronomy" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
