//! The weak spots an attacker tried (issue 19), each tried again: a common password, a burst
//! of sign-ups, answers that tell which emails have accounts, a `next` with a line break, a
//! GET that writes, hundreds of sockets on one token, a request head sent a byte at a time,
//! and metrics open to anyone.

use std::time::Duration;

use futures_util::StreamExt;
use huddle_core::clock::MINUTE;
use huddle_core::identity::Role;
use huddle_server::Config;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

#[tokio::test]
async fn common_passwords_are_refused_with_a_clear_message() {
    let app = spawn_app_with(open_sign_up).await;
    for common in ["password1234", "Qwerty123456", "monkey123456!"] {
        let r = register(&app, "new@example.org", common).await;
        let body = assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("password")).await;
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("list of commonly used passwords"),
            "{body}"
        );
    }
    // Nor can an account change to one.
    app.user("doc@example.org", &[]).await;
    let b = Browser::login(&app, "doc@example.org").await;
    let r = b
        .send(
            Method::POST,
            &app.url("/api/v1/me/password"),
            Some(json!({ "current_password": PASSWORD, "new_password": "password1234" })),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("new_password")).await;
}

#[tokio::test]
async fn sign_up_is_throttled_per_address() {
    let app = spawn_app_with(|c| {
        open_sign_up(c);
        c.security.sign_ups_per_hour = 3;
    })
    .await;
    for i in 0..3 {
        let r = register(&app, &format!("burst{i}@example.org"), PASSWORD).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    let r = register(&app, "burst3@example.org", PASSWORD).await;
    assert!(r.headers().contains_key("retry-after"));
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, None).await;
    assert_eq!(
        login(&app, "burst3@example.org", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED,
        "the refused sign-up created nothing"
    );
    app.clock.advance(61 * MINUTE);
    let r = register(&app, "burst3@example.org", PASSWORD).await;
    assert_eq!(
        r.status(),
        StatusCode::ACCEPTED,
        "a new hour, a new allowance"
    );
}

#[tokio::test]
async fn sign_up_answers_the_same_for_a_taken_email_and_changes_nothing() {
    let app = spawn_app_with(open_sign_up).await;
    app.user("taken@example.org", &[]).await;
    let taken = register(&app, "Taken@Example.org", "an attacker's long password").await;
    let new = register(&app, "fresh@example.org", "an attacker's long password").await;
    assert_eq!(taken.status(), StatusCode::ACCEPTED);
    assert_eq!(new.status(), StatusCode::ACCEPTED);
    assert_eq!(
        taken.text().await.unwrap(),
        new.text().await.unwrap(),
        "the same bytes either way"
    );
    // The owner's account is untouched; the attacker's password opens nothing.
    assert_eq!(
        login(&app, "taken@example.org", PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        login(&app, "taken@example.org", "an attacker's long password")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let audit = app.state().store.recent_audit(1000).await.unwrap();
    assert!(
        audit.iter().any(|e| e.action == "registration_email_taken"),
        "the attempt is audited"
    );

    // The page too: the same page for both, but for the address typed.
    let b = Browser::new();
    let form = b.page(&app.url("/signup")).await;
    let csrf = hidden(&form, "csrf_token");
    let mut pages = Vec::new();
    for email in ["taken@example.org", "other.fresh@example.org"] {
        let r = b
            .client
            .post(app.url("/signup"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("display_name", "Dr. Someone"),
                ("email", email),
                ("password", "an attacker's long password"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers().get("set-cookie").is_none(),
            "no session either way"
        );
        pages.push(r.text().await.unwrap().replace(email, "EMAIL"));
    }
    assert!(pages[0].contains("Check your mailbox"), "{}", pages[0]);
    assert_eq!(pages[0], pages[1]);
}

#[tokio::test]
async fn lockout_answers_the_same_for_unknown_and_known_emails() {
    let app = spawn_app_with(|c| c.security.login_attempts_per_minute = 1000).await;
    app.user("known@example.org", &[]).await;
    let mut answers = Vec::new();
    for email in ["known@example.org", "unknown@example.org"] {
        let mut seen = Vec::new();
        for _ in 0..7 {
            let r = login(&app, email, "a wrong password!").await;
            let status = r.status();
            let retry = r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string());
            let body: Value = r.json().await.unwrap();
            seen.push((status, retry, body));
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1]);
    let statuses: Vec<StatusCode> = answers[0].iter().map(|a| a.0).collect();
    assert_eq!(
        statuses,
        [
            [StatusCode::UNAUTHORIZED; 5].as_slice(),
            &[StatusCode::TOO_MANY_REQUESTS; 2]
        ]
        .concat(),
        "five failures lock, for both"
    );
    app.clock.advance(16 * MINUTE);
    assert_eq!(
        login(&app, "known@example.org", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn next_accepts_only_a_same_site_path() {
    let app = spawn_app_with(|c| c.security.login_attempts_per_minute = 1000).await;
    app.user("next@example.org", &[]).await;
    for (next, to) in [
        ("/\n/evil.example", "/"),
        ("/\r\nSet-Cookie: x=y", "/"),
        ("/\t/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("evil", "/"),
        ("/account", "/account"),
    ] {
        // The sign-in form carries `next` through a hidden field: what a crafted link sets.
        let b = Browser::new();
        let page = b.page(&app.url("/signin")).await;
        let r = b.sign_in_form(&app, &page, "next@example.org", next).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(r.headers()["location"], to, "{next:?}");
    }
    // A crafted link to the form itself is rendered with `next` gone home.
    let page = Browser::new()
        .page(&app.url("/signin?next=/%0A/evil.example"))
        .await;
    assert_eq!(hidden(&page, "next"), "/");
}

#[tokio::test]
async fn opening_a_conversation_marks_nothing_read_until_a_post() {
    let app = spawn_app().await;
    let store = &app.state().store;
    let org = store.create_organization("Practice", 0).await.unwrap().id;
    let mut ids = Vec::new();
    for email in ["writer@example.org", "reader@example.org"] {
        let id = app.user(email, &[Role::Clinician]).await;
        store.set_membership(id, Some(org), None).await.unwrap();
        ids.push(id);
    }
    let writer = app.token("writer@example.org").await;
    let c: Value = bearer(
        &writer,
        Method::POST,
        &app.url("/api/v1/conversations"),
        Some(json!({ "kind": "direct", "members": [ids[1]] })),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = c["id"].as_i64().unwrap();
    for (i, body) in ["First", "Second"].iter().enumerate() {
        let r = bearer(
            &writer,
            Method::POST,
            &app.url(&format!("/api/v1/conversations/{id}/messages")),
            Some(json!({ "body": body, "client_msg_id": format!("m{i}") })),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let reader = Browser::login(&app, "reader@example.org").await;
    let unread = || async {
        let inbox: Value = reader
            .send(Method::GET, &app.url("/api/v1/conversations"), None)
            .await
            .json()
            .await
            .unwrap();
        inbox[0]["unread"].as_i64().unwrap()
    };
    // A GET (a prefetch, a crawler, an image tag pointing here) writes nothing.
    let page = reader.page(&app.url(&format!("/messages/{id}"))).await;
    assert!(page.contains("Second"));
    assert_eq!(unread().await, 2, "the GET marked nothing read");
    // The page's form (live.js posts the same to the API) marks what it showed.
    assert_eq!(hidden(&page, "seq"), "2");
    let r = reader
        .client
        .post(app.url(&format!("/messages/{id}/read")))
        .form(&[
            ("csrf_token", hidden(&page, "csrf_token").as_str()),
            ("seq", "2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(unread().await, 0);
    // The form needs the CSRF token, as every state change does.
    let r = reader
        .client
        .post(app.url(&format!("/messages/{id}/read")))
        .form(&[("seq", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn one_person_holds_at_most_the_cap_of_live_sockets() {
    let app = spawn_app_with(|c| c.security.live_sockets_per_person = 3).await;
    app.user("sockets@example.org", &[]).await;
    app.user("other@example.org", &[]).await;
    let token = app.token("sockets@example.org").await;
    let url = |token: &str| {
        format!(
            "{}/api/v1/live?token={token}",
            app.base.replace("http://", "ws://")
        )
    };
    let mut open = Vec::new();
    for _ in 0..3 {
        let (ws, _) = tokio_tungstenite::connect_async(url(&token)).await.unwrap();
        open.push(ws);
    }
    match tokio_tungstenite::connect_async(url(&token)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => {
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS.as_u16());
            let body = String::from_utf8(r.body().clone().unwrap_or_default()).unwrap();
            assert!(body.contains("at most 3"), "{body}");
        }
        other => panic!(
            "a fourth socket should get 429, got {:?}",
            other.map(|_| ())
        ),
    }
    // Someone else is not affected.
    let other = app.token("other@example.org").await;
    assert!(tokio_tungstenite::connect_async(url(&other)).await.is_ok());
    // Closing one frees its place.
    let mut closed = open.pop().unwrap();
    closed.close(None).await.unwrap();
    while closed.next().await.is_some() {}
    let mut reopened = None;
    for _ in 0..100 {
        if let Ok((ws, _)) = tokio_tungstenite::connect_async(url(&token)).await {
            reopened = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reopened.is_some(), "a closed socket frees its place");
}

#[tokio::test]
async fn a_request_head_sent_too_slowly_is_cut_off() {
    let app = spawn_app_with(|c| c.server.header_read_timeout_secs = 1).await;
    let addr = app.running.addr;
    // Half a request line, then nothing (slowloris): the server hangs up.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTT").await.unwrap();
    // A connection that says nothing at all is cut off too.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    for stream in [&mut slow, &mut silent] {
        let mut buf = Vec::new();
        // Generous: the point is that it ends, not how fast.
        let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut buf))
            .await
            .expect("the server should close a connection whose head never arrives");
        // Closed (EOF or reset), perhaps after a 408; never a served request.
        assert!(
            read.is_err() || !String::from_utf8_lossy(&buf).contains("200 OK"),
            "{}",
            String::from_utf8_lossy(&buf)
        );
    }
    // A whole request in time is served as ever.
    let r = Client::new().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_need_the_configured_token() {
    let app = spawn_app_with(|c| {
        c.metrics = Config::parse(
            "[metrics]\ntoken = \"scrape-me-with-this-long-token\"",
            "test",
            std::iter::empty(),
        )
        .unwrap()
        .metrics;
    })
    .await;
    let get = |auth: Option<&'static str>| {
        let mut req = Client::new().get(app.url("/metrics"));
        if let Some(auth) = auth {
            req = req.header("authorization", auth);
        }
        req.send()
    };
    for wrong in [
        None,
        Some("Bearer scrape-me"),
        Some("Bearer scrape-me-with-this-long-token-and-more"),
        Some("Basic c2NyYXBlLW1lOg=="),
    ] {
        let r = get(wrong).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{wrong:?}");
        assert!(r.headers().contains_key("www-authenticate"));
        assert!(!r.text().await.unwrap().contains("huddle_"), "{wrong:?}");
    }
    let r = get(Some("Bearer scrape-me-with-this-long-token"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("huddle_http_requests_total"));
}
