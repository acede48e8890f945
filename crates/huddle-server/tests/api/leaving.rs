//! Leaving takes effect at once: a deactivated or removed person's sessions, tokens,
//! devices and live sockets end with it, and a deactivated account cannot sign in.

use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;
use crate::routing::{next_event, ward};

async fn me(app: &TestApp, token: &str) -> StatusCode {
    bearer(token, Method::GET, &app.url("/api/v1/me"), None)
        .await
        .status()
}

async fn sign_in(app: &TestApp, email: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn deactivation_ends_sessions_tokens_devices_and_sockets_at_once() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let browser = Browser::login(&app, "p1@example.org").await;
    assert_eq!(
        browser
            .send(Method::GET, &app.url("/api/v1/me"), None)
            .await
            .status(),
        StatusCode::OK
    );
    let socket = format!(
        "{}/api/v1/live?token={}",
        app.base.replace("http://", "ws://"),
        w.p1.1
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(&socket).await.unwrap();
    next_event(&mut ws, "ready").await;

    // Only an administrator of their organization, and never on themselves.
    let deactivate = |id: i64| app.url(&format!("/api/v1/users/{id}/deactivate"));
    let r = bearer(&w.p2.1, Method::POST, &deactivate(w.p1.0), None).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let admin_id = app
        .state()
        .store
        .user_by_email(&huddle_core::identity::Email::parse("admin@example.org").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let r = bearer(&w.admin, Method::POST, &deactivate(admin_id), None).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    let r = bearer(&w.admin, Method::POST, &deactivate(w.p1.0), None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // The open socket hears why, then closes.
    next_event(&mut ws, "access.ended").await;
    let closed = tokio::time::timeout(std::time::Duration::from_secs(2), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    })
    .await
    .expect("the socket closes within two seconds");
    assert_eq!(closed, Some(4001));
    // The token and the session are dead; a new socket is refused.
    assert_eq!(me(&app, &w.p1.1).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        browser
            .send(Method::GET, &app.url("/api/v1/me"), None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(tokio_tungstenite::connect_async(&socket).await.is_err());
    // Signing in answers exactly as a wrong password does.
    let r = sign_in(&app, "p1@example.org").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let deactivated: Value = r.json().await.unwrap();
    let wrong: Value = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "email": "p2@example.org", "password": "not the password at all" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(deactivated["detail"], wrong["detail"]);
    let entries = app.state().store.audit_entries(0, 10_000).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "account_deactivated"
        && e.actor_id == Some(admin_id)
        && e.target == format!("user:{}", w.p1.0)));

    // Reactivated, they sign in again; what ended stays ended.
    let r = bearer(
        &w.admin,
        Method::POST,
        &app.url(&format!("/api/v1/users/{}/reactivate", w.p1.0)),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        sign_in(&app, "p1@example.org").await.status(),
        StatusCode::OK
    );
    assert_eq!(me(&app, &w.p1.1).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn removal_from_the_organization_ends_what_they_held_there() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let nurse_id = app
        .state()
        .store
        .user_by_email(&huddle_core::identity::Email::parse("nurse@example.org").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let remove = app.url(&format!(
        "/api/v1/organizations/{}/members/{nurse_id}",
        w.org
    ));
    // Another organization's administrator cannot.
    let other = app
        .state()
        .store
        .create_organization("Other Hospital", 0)
        .await
        .unwrap();
    let stranger = app
        .user(
            "admin@other.example",
            &[huddle_core::identity::Role::OrgAdmin],
        )
        .await;
    app.state()
        .store
        .set_membership(stranger, Some(other.id), None)
        .await
        .unwrap();
    let stranger_token = app.token("admin@other.example").await;
    let r = bearer(&stranger_token, Method::DELETE, &remove, None).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let r = bearer(&w.admin, Method::DELETE, &remove, None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &w.nurse).await, StatusCode::UNAUTHORIZED);
    // They can still sign in to their own account, but hold nothing of the organization:
    // no page to the ward's physicians.
    let token = app.token("nurse@example.org").await;
    let r = bearer(
        &token,
        Method::POST,
        &app.url("/api/v1/pages"),
        Some(
            json!({ "recipient": w.p1.0.to_string(), "patient": "Bed 4 (synthetic)",
            "message": "Please come", "callback": "x4412", "urgency": "urgent" }),
        ),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "{}",
        r.text().await.unwrap()
    );
    let user = app.state().store.user(nurse_id).await.unwrap().unwrap();
    assert_eq!(user.organization_id, None);
    assert!(user.roles.is_empty());
}

/// Waits for the socket to close; the close code, if one came.
async fn closes(ws: &mut crate::routing::Socket, within_ms: u64) -> Result<Option<u16>, ()> {
    tokio::time::timeout(std::time::Duration::from_millis(within_ms), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    })
    .await
    .map_err(|_| ())
}

#[tokio::test]
async fn a_token_signing_out_and_a_password_change_end_what_they_should_and_their_sockets() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let laptop = w.p1.1.clone();
    let phone: Value = reqwest::Client::new()
        .post(app.url("/api/v1/auth/tokens"))
        .json(&json!({ "email": "p1@example.org", "password": PASSWORD, "name": "phone" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let phone = phone["token"].as_str().unwrap().to_string();
    let open = |token: &str| {
        format!(
            "{}/api/v1/live?token={token}",
            app.base.replace("http://", "ws://")
        )
    };
    let (mut laptop_ws, _) = tokio_tungstenite::connect_async(open(&laptop))
        .await
        .unwrap();
    let (mut phone_ws, _) = tokio_tungstenite::connect_async(open(&phone))
        .await
        .unwrap();
    next_event(&mut laptop_ws, "ready").await;
    next_event(&mut phone_ws, "ready").await;

    // Signing out with a token ends that token and its socket, not the others.
    let r = bearer(&laptop, Method::POST, &app.url("/api/v1/auth/logout"), None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &laptop).await, StatusCode::UNAUTHORIZED);
    assert_eq!(closes(&mut laptop_ws, 2000).await, Ok(Some(4001)));
    assert_eq!(me(&app, &phone).await, StatusCode::OK);
    assert!(
        closes(&mut phone_ws, 300).await.is_err(),
        "the phone stays connected"
    );

    // A new password revokes every token minted under the old one.
    let r = bearer(
        &phone,
        Method::POST,
        &app.url("/api/v1/me/password"),
        Some(
            json!({ "current_password": PASSWORD, "new_password": "a brand new long passphrase" }),
        ),
    )
    .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    assert_eq!(me(&app, &phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(closes(&mut phone_ws, 2000).await, Ok(Some(4001)));
}

#[tokio::test]
async fn administrators_deactivate_and_remove_from_the_admin_page() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let admin = Browser::login(&app, "admin@example.org").await;
    let leave = |b: &Browser, id: i64, what: &str| {
        b.client
            .post(app.url(&format!("/admin/members/{id}/leaving")))
            .form(&[
                ("csrf_token", b.csrf.clone().unwrap()),
                ("org", w.org.to_string()),
                ("what", what.to_string()),
            ])
            .send()
    };
    let page = admin.page(&app.url(&format!("/admin?org={}", w.org))).await;
    assert!(page.contains("Deactivate account"), "{page}");
    // A physician cannot, from the page either.
    let p2 = Browser::login(&app, "p2@example.org").await;
    let r = leave(&p2, w.p1.0, "deactivate").await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(me(&app, &w.p1.1).await, StatusCode::OK);

    let page = leave(&admin, w.p1.0, "deactivate")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Deactivated: every session"), "{page}");
    assert!(page.contains(">Reactivate</button>"), "{page}");
    assert_eq!(me(&app, &w.p1.1).await, StatusCode::UNAUTHORIZED);
    let page = leave(&admin, w.p2.0, "remove")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Removed from the organization"), "{page}");
    assert!(
        !page.contains("p2@example.org"),
        "no longer a member: {page}"
    );
    assert_eq!(me(&app, &w.p2.1).await, StatusCode::UNAUTHORIZED);
}
