use huddle_core::clock::MINUTE;
use huddle_core::identity::Role;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn weak_passwords_are_422_and_taken_emails_answer_as_new_ones() {
    let app = spawn_app_with(open_sign_up).await;
    let register = |body: Value| {
        Client::new()
            .post(app.url("/api/v1/auth/register"))
            .json(&body)
            .send()
    };
    let r = register(json!({ "email": "a@example.org", "password": "short", "display_name": "A" }))
        .await
        .unwrap();
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("password")).await;
    let ok = json!({ "email": "a@example.org", "password": PASSWORD, "display_name": "A" });
    let first = register(ok.clone()).await.unwrap();
    assert_eq!(first.status(), StatusCode::ACCEPTED);
    let first: Value = first.json().await.unwrap();
    let again = json!({ "email": "A@EXAMPLE.org", "password": "another long password", "display_name": "B" });
    let again = register(again).await.unwrap();
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let bad_email = json!({ "email": "' OR 1=1 --", "password": PASSWORD, "display_name": "A" });
    assert_problem(
        register(bad_email).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("email"),
    )
    .await;
}

#[tokio::test]
async fn wrong_password_is_401_and_repeated_failures_lock_the_account() {
    let app = spawn_app().await;
    app.user("lock@example.org", &[]).await;
    let login = |password: &str| {
        Client::new()
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({ "email": "lock@example.org", "password": password }))
            .send()
    };
    for _ in 0..4 {
        assert_problem(
            login("wrong password!").await.unwrap(),
            StatusCode::UNAUTHORIZED,
            None,
        )
        .await;
    }
    // The fifth failure locks; then even the right password is refused for a while.
    assert_problem(
        login("wrong password!").await.unwrap(),
        StatusCode::UNAUTHORIZED,
        None,
    )
    .await;
    let r = login(PASSWORD).await.unwrap();
    assert!(r.headers().contains_key("retry-after"));
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, None).await;
    app.clock.advance(16 * MINUTE);
    assert_eq!(login(PASSWORD).await.unwrap().status(), StatusCode::OK);
    // Unknown accounts get the same answer as wrong passwords.
    let r = Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "email": "nobody@example.org", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let body = assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
    assert_eq!(body["detail"], "the email or password is incorrect");
}

#[tokio::test]
async fn one_address_is_throttled_across_accounts() {
    let app = spawn_app_with(|c| c.security.login_attempts_per_minute = 3).await;
    let attempt = |i: u32| {
        Client::new()
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({ "email": format!("u{i}@example.org"), "password": PASSWORD }))
            .send()
    };
    for i in 0..3 {
        assert_eq!(attempt(i).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    assert_problem(
        attempt(9).await.unwrap(),
        StatusCode::TOO_MANY_REQUESTS,
        None,
    )
    .await;
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_timeouts_and_on_sign_out() {
    let app = spawn_app().await;
    app.user("idle@example.org", &[]).await;
    let b = Browser::login(&app, "idle@example.org").await;
    let me = app.url("/api/v1/me");
    app.clock.advance(14 * MINUTE);
    assert_eq!(
        b.send(Method::GET, &me, None).await.status(),
        StatusCode::OK
    );
    app.clock.advance(14 * MINUTE);
    assert_eq!(
        b.send(Method::GET, &me, None).await.status(),
        StatusCode::OK,
        "activity keeps it alive"
    );
    app.clock.advance(16 * MINUTE);
    assert_eq!(
        b.send(Method::GET, &me, None).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Absolute: 12 hours however active.
    let b = Browser::login(&app, "idle@example.org").await;
    for _ in 0..(12 * 60 / 10) {
        app.clock.advance(10 * MINUTE);
        let _ = b.send(Method::GET, &me, None).await;
    }
    app.clock.advance(MINUTE);
    assert_eq!(
        b.send(Method::GET, &me, None).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let b = Browser::login(&app, "idle@example.org").await;
    assert_eq!(
        b.send(Method::POST, &app.url("/api/v1/auth/logout"), None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        b.send(Method::GET, &me, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn cookie_requests_need_the_csrf_token_and_same_origin() {
    let app = spawn_app().await;
    app.user("csrf@example.org", &[]).await;
    let mut b = Browser::login(&app, "csrf@example.org").await;
    let token = b.csrf.take();
    let url = app.url("/api/v1/me/mfa/setup");
    let r = b.send(Method::POST, &url, None).await;
    assert_problem(r, StatusCode::FORBIDDEN, None).await;
    b.csrf = Some("not-the-token".into());
    assert_eq!(
        b.send(Method::POST, &url, None).await.status(),
        StatusCode::FORBIDDEN
    );
    b.csrf = token;
    assert_eq!(
        b.send(Method::POST, &url, None).await.status(),
        StatusCode::OK
    );
    let r = b
        .client
        .post(&url)
        .header("x-csrf-token", b.csrf.clone().unwrap())
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn api_tokens_work_as_bearer_and_can_be_revoked() {
    let app = spawn_app().await;
    app.user("tok@example.org", &[Role::Clinician]).await;
    let token = app.token("tok@example.org").await;
    assert!(token.starts_with("hdl_"));
    let me = bearer(&token, Method::GET, &app.url("/api/v1/me"), None).await;
    assert_eq!(me.status(), StatusCode::OK);
    // A Bearer request needs no CSRF token: no cookie is involved.
    assert_eq!(
        bearer(&token, Method::POST, &app.url("/api/v1/me/mfa/setup"), None)
            .await
            .status(),
        StatusCode::OK
    );
    let list: Value = bearer(&token, Method::GET, &app.url("/api/v1/auth/tokens"), None)
        .await
        .json()
        .await
        .unwrap();
    let id = list[0]["id"].as_i64().unwrap();
    assert!(list[0].get("token").is_none(), "the secret is never listed");
    let r = bearer(
        &token,
        Method::DELETE,
        &app.url(&format!("/api/v1/auth/tokens/{id}")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = bearer(&token, Method::GET, &app.url("/api/v1/me"), None).await;
    assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
    let r = bearer("hdl_forged", Method::GET, &app.url("/api/v1/me"), None).await;
    assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
}

#[tokio::test]
async fn totp_enrolment_and_sign_in_never_accept_a_code_twice() {
    let app = spawn_app().await;
    app.user("mfa@example.org", &[]).await;
    let b = Browser::login(&app, "mfa@example.org").await;
    let setup: Value = b
        .send(Method::POST, &app.url("/api/v1/me/mfa/setup"), None)
        .await
        .json()
        .await
        .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    assert!(setup["otpauth_url"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/"));
    let r = b
        .send(
            Method::POST,
            &app.url("/api/v1/me/mfa"),
            Some(json!({ "secret": secret, "code": "000000" })),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("code")).await;
    let code = code_now(&app, &secret);
    let r = b
        .send(
            Method::POST,
            &app.url("/api/v1/me/mfa"),
            Some(json!({ "secret": secret, "code": code })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);

    let login = |code: Option<String>| {
        Client::new()
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({ "email": "mfa@example.org", "password": PASSWORD, "totp_code": code }))
            .send()
    };
    let body = assert_problem(login(None).await.unwrap(), StatusCode::UNAUTHORIZED, None).await;
    assert_eq!(body["type"], "/problems/mfa-required");
    // The enrolment code was used: it cannot sign in.
    assert_problem(
        login(Some(code.clone())).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("totp_code"),
    )
    .await;
    app.clock.advance(30_000);
    let next = code_now(&app, &secret);
    assert_eq!(
        login(Some(next.clone())).await.unwrap().status(),
        StatusCode::OK
    );
    assert_problem(
        login(Some(next)).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("totp_code"),
    )
    .await;
    // Tokens need the code too.
    let r = Client::new()
        .post(app.url("/api/v1/auth/tokens"))
        .json(&json!({ "email": "mfa@example.org", "password": PASSWORD, "name": "cli" }))
        .send()
        .await
        .unwrap();
    assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
}

#[tokio::test]
async fn password_change_checks_the_old_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    app.user("pw@example.org", &[]).await;
    let here = Browser::login(&app, "pw@example.org").await;
    let elsewhere = Browser::login(&app, "pw@example.org").await;
    let url = app.url("/api/v1/me/password");
    let r = here.send(Method::POST, &url, Some(json!({ "current_password": "wrong one here", "new_password": "another long password" }))).await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("current_password"),
    )
    .await;
    let r = here
        .send(
            Method::POST,
            &url,
            Some(json!({ "current_password": PASSWORD, "new_password": "short" })),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("new_password")).await;
    let r = here
        .send(
            Method::POST,
            &url,
            Some(json!({ "current_password": PASSWORD, "new_password": "another long password" })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        here.send(Method::GET, &app.url("/api/v1/me"), None)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        elsewhere
            .send(Method::GET, &app.url("/api/v1/me"), None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn security_events_are_audited_in_an_intact_chain() {
    let app = spawn_app().await;
    app.user("audit@example.org", &[]).await;
    let _ = Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "email": "audit@example.org", "password": "wrong password!" }))
        .send()
        .await
        .unwrap();
    Browser::login(&app, "audit@example.org").await;
    let entries = app.state().store.audit_entries(0, 100).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["registered", "sign_in_failed", "sign_in"]);
    assert!(entries
        .iter()
        .all(|e| !e.detail.contains(PASSWORD) && !e.detail.contains("wrong password!")));
    let (seq, hash) = app.state().store.audit_head().await.unwrap();
    let ok = huddle_core::audit::verify_chain(
        &entries,
        huddle_core::audit::GENESIS_HASH.into(),
        1,
        Some((seq, &hash)),
    );
    assert!(ok.is_ok());
}
