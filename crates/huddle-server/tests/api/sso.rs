//! Single sign-on settings and the rules around them that need no identity provider: only
//! the organization's administrators read or change them, the client secret never comes
//! back, bad values are refused by field, passwords are off for an SSO-only organization's
//! members, sessions made by single sign-on end at their maximum age, and a way back from
//! a provider that Huddle never sent anyone to opens nothing. The sign-in itself, against
//! a real OpenID provider, is e2e/tests/sso.test.js.

use huddle_core::clock::{Clock, HOUR, MINUTE};
use huddle_core::identity::Role;
use huddle_server::actions::identity::start_session_until;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

const SECRET: &str = "client-secret-that-must-never-come-back";

struct Orgs {
    riverside: i64,
    lakeside: i64,
    admin: String,
    other_admin: String,
    member: String,
}

async fn orgs(app: &TestApp) -> Orgs {
    let store = &app.state().store;
    let riverside = store.create_organization("Riverside", 0).await.unwrap().id;
    let lakeside = store.create_organization("Lakeside", 0).await.unwrap().id;
    let mut tokens = Vec::new();
    for (email, role, org) in [
        ("admin@riverside.example", Role::OrgAdmin, riverside),
        ("admin@lakeside.example", Role::OrgAdmin, lakeside),
        ("ana@riverside.example", Role::Physician, riverside),
    ] {
        let id = app.user(email, &[role]).await;
        store.set_membership(id, Some(org), None).await.unwrap();
        tokens.push(app.token(email).await);
    }
    let mut t = tokens.into_iter();
    Orgs {
        riverside,
        lakeside,
        admin: t.next().unwrap(),
        other_admin: t.next().unwrap(),
        member: t.next().unwrap(),
    }
}

fn settings(issuer: &str, domains: &[&str]) -> Value {
    json!({
        "issuer": issuer,
        "client_id": "huddle",
        "client_secret": SECRET,
        "domains": domains,
    })
}

#[tokio::test]
async fn only_the_organizations_admins_see_and_change_sso_and_the_secret_never_comes_back() {
    let app = spawn_app().await;
    let o = orgs(&app).await;
    let url = app.url(&format!("/api/v1/organizations/{}/sso", o.riverside));
    let body = settings("https://login.riverside.example", &["riverside.example"]);
    for token in [&o.other_admin, &o.member] {
        let r = bearer(token, Method::PUT, &url, Some(body.clone())).await;
        assert_problem(r, StatusCode::FORBIDDEN, None).await;
        let r = bearer(token, Method::GET, &url, None).await;
        assert_problem(r, StatusCode::FORBIDDEN, None).await;
    }
    let r = bearer(&o.admin, Method::GET, &url, None).await;
    let before: Value = r.json().await.unwrap();
    assert_eq!(before["configured"], false);
    assert_eq!(before["email_claim"], "email");

    let r = bearer(&o.admin, Method::PUT, &url, Some(body)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let saved = r.text().await.unwrap();
    assert!(!saved.contains(SECRET), "{saved}");
    let saved: Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(saved["configured"], true);
    assert_eq!(saved["client_secret_set"], true);
    assert_eq!(saved["domains"], json!(["riverside.example"]));
    assert!(saved["redirect_uri"]
        .as_str()
        .unwrap()
        .ends_with("/auth/sso/callback"));
    let read = bearer(&o.admin, Method::GET, &url, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(!read.contains(SECRET));

    // Saved again without a secret: the sealed one is kept.
    let r = bearer(
        &o.admin,
        Method::PUT,
        &url,
        Some(
            json!({ "issuer": "https://login.riverside.example", "client_id": "huddle-2",
            "domains": ["riverside.example"], "sso_only": true }),
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let stored = app
        .state()
        .store
        .sso_connection(o.riverside)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.sso_only);
    assert!(!stored.client_secret_sealed.is_empty());
    let sealed = String::from_utf8_lossy(&stored.client_secret_sealed);
    assert!(!sealed.contains(SECRET), "the secret is sealed at rest");

    // Audited, without the secret.
    let entries = app.state().store.audit_entries(0, 10_000).await.unwrap();
    let changes: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "sso_changed")
        .collect();
    assert_eq!(changes.len(), 2);
    assert!(entries.iter().all(|e| !e.detail.contains(SECRET)));
}

#[tokio::test]
async fn bad_settings_are_refused_by_field() {
    let app = spawn_app().await;
    let o = orgs(&app).await;
    let url = app.url(&format!("/api/v1/organizations/{}/sso", o.riverside));
    for (issuer, domains, field) in [
        (
            "login.riverside.example",
            vec!["riverside.example"],
            "issuer",
        ),
        (
            "http://login.riverside.example",
            vec!["riverside.example"],
            "issuer",
        ),
        (
            "https://x.example/?q=1",
            vec!["riverside.example"],
            "issuer",
        ),
        ("https://login.riverside.example", vec![], "domains"),
        (
            "https://login.riverside.example",
            vec!["not a domain"],
            "domains",
        ),
        // Lakeside's admin has an account in this domain: not Riverside's alone.
        (
            "https://login.riverside.example",
            vec!["lakeside.example"],
            "domains",
        ),
    ] {
        let r = bearer(
            &o.admin,
            Method::PUT,
            &url,
            Some(settings(issuer, &domains)),
        )
        .await;
        assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some(field)).await;
    }
    let r = bearer(
        &o.admin,
        Method::PUT,
        &url,
        Some(
            json!({ "issuer": "https://login.riverside.example", "client_id": "huddle",
            "domains": ["riverside.example"] }),
        ),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("client_secret")).await;
    let r = bearer(
        &o.admin,
        Method::PUT,
        &url,
        Some(
            json!({ "issuer": "https://login.riverside.example", "client_id": " ",
            "client_secret": SECRET, "domains": ["riverside.example"] }),
        ),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("client_id")).await;
    let r = bearer(&o.admin, Method::PUT, &url, Some(json!({ "issuer": 7 }))).await;
    assert!(r.status().is_client_error());

    // A domain belongs to one organization.
    let r = bearer(
        &o.admin,
        Method::PUT,
        &url,
        Some(settings(
            "https://login.riverside.example",
            &["riverside.example"],
        )),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let theirs = app.url(&format!("/api/v1/organizations/{}/sso", o.lakeside));
    let r = bearer(
        &o.other_admin,
        Method::PUT,
        &theirs,
        Some(settings(
            "https://login.lakeside.example",
            &["riverside.example"],
        )),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("domains")).await;
}

#[tokio::test]
async fn an_sso_only_organization_refuses_passwords_but_only_to_who_knows_the_password() {
    let app = spawn_app().await;
    let o = orgs(&app).await;
    let url = app.url(&format!("/api/v1/organizations/{}/sso", o.riverside));
    let mut body = settings("https://login.riverside.example", &["riverside.example"]);
    body["sso_only"] = json!(true);
    let r = bearer(&o.admin, Method::PUT, &url, Some(body)).await;
    assert_eq!(r.status(), StatusCode::OK);

    let login = |password: &'static str| {
        let url = app.url("/api/v1/auth/login");
        async move {
            reqwest::Client::new()
                .post(url)
                .json(&json!({ "email": "ana@riverside.example", "password": password }))
                .send()
                .await
                .unwrap()
        }
    };
    // A wrong password is told exactly what any wrong password is told.
    let wrong = assert_problem(
        login("not the password").await,
        StatusCode::UNAUTHORIZED,
        None,
    )
    .await;
    assert!(!wrong["detail"].as_str().unwrap().contains("single sign-on"));
    let right = assert_problem(login(PASSWORD).await, StatusCode::UNAUTHORIZED, None).await;
    assert!(
        right["detail"].as_str().unwrap().contains("single sign-on"),
        "{right}"
    );
    // The sign-in page says so beside the form.
    let browser = Browser::new();
    let page = browser.page(&app.url("/signin")).await;
    let r = browser
        .sign_in_form(&app, &page, "ana@riverside.example", "/")
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("single sign-on"));

    // A password cannot be changed either (an existing token still reaches the API).
    let r = bearer(
        &o.member,
        Method::POST,
        &app.url("/api/v1/me/password"),
        Some(
            json!({ "current_password": PASSWORD, "new_password": "a much longer new passphrase" }),
        ),
    )
    .await;
    assert_problem(r, StatusCode::FORBIDDEN, None).await;

    // Lakeside is not SSO-only: its admin still signs in with a password.
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "email": "admin@lakeside.example", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_session_made_by_sso_ends_at_its_maximum_age_however_active() {
    let app = spawn_app().await;
    let id = app.user("ana@riverside.example", &[Role::Physician]).await;
    let until = app.clock.now() + 2 * HOUR;
    let (cookie, _) = start_session_until(app.state(), id, until).await.unwrap();
    let client = reqwest::Client::new();
    let me = || {
        client
            .get(app.url("/api/v1/me"))
            .header("cookie", format!("huddle_session={cookie}"))
            .send()
    };
    // Active every ten minutes (never idle), yet cut off at two hours.
    for _ in 0..11 {
        assert_eq!(me().await.unwrap().status(), StatusCode::OK);
        app.clock.advance(10 * MINUTE);
    }
    app.clock.advance(10 * MINUTE);
    assert_eq!(me().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_way_back_huddle_never_sent_anyone_on_opens_nothing_and_is_audited() {
    let app = spawn_app().await;
    let browser = Browser::new();
    let r = browser
        .client
        .get(app.url("/auth/sso/callback?code=stolen&state=made-up"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r
        .headers()
        .get_all("set-cookie")
        .iter()
        .all(|c| !c.to_str().unwrap().starts_with("huddle_session=")));
    assert!(r.text().await.unwrap().contains("start again"));
    let entries = app.state().store.audit_entries(0, 10_000).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "sso_sign_in_refused"));

    // A real attempt's way back, opened by a browser that did not start it (login CSRF:
    // an attacker's own code and state sent to someone else): refused, and the attempt is
    // not spent by it.
    let org = app
        .state()
        .store
        .create_organization("Riverside", 0)
        .await
        .unwrap()
        .id;
    let state = "state-of-another-browser";
    app.state()
        .store
        .create_sso_attempt(&huddle_store::SsoAttempt {
            state_hash: huddle_server::auth::secrets::hash_secret(state),
            organization_id: org,
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            redirect_uri: app.url("/auth/sso/callback"),
            next: None,
            expires_at: app.clock.now() + 10 * MINUTE,
        })
        .await
        .unwrap();
    let r = browser
        .client
        .get(app.url(&format!("/auth/sso/callback?code=c&state={state}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("another browser"));
    let kept = app
        .state()
        .store
        .take_sso_attempt(
            &huddle_server::auth::secrets::hash_secret(state),
            app.clock.now(),
        )
        .await
        .unwrap();
    assert!(kept.is_some());

    // An address whose domain has no single sign-on is told so beside the form.
    let page = browser.page(&app.url("/signin")).await;
    let r = browser
        .client
        .post(app.url("/auth/sso"))
        .form(&[
            ("csrf_token", hidden(&page, "csrf_token").as_str()),
            ("email", "ana@nowhere.example"),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("no organization signs in"));
}

#[tokio::test]
async fn the_admin_page_is_the_admins_and_shows_a_refusal_beside_the_field_without_the_secret() {
    let app = spawn_app().await;
    let o = orgs(&app).await;
    let member = Browser::login(&app, "ana@riverside.example").await;
    let r = member
        .client
        .get(app.url("/admin/sso"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let admin = Browser::login(&app, "admin@riverside.example").await;
    let page = admin.page(&app.url("/admin/sso")).await;
    assert!(
        page.contains("/auth/sso/callback"),
        "the redirect URI to register"
    );
    let r = admin
        .client
        .post(app.url(&format!("/admin/sso?org={}", o.riverside)))
        .form(&[
            ("csrf_token", hidden(&page, "csrf_token").as_str()),
            ("issuer", "http://login.riverside.example"),
            ("client_id", "huddle"),
            ("client_secret", SECRET),
            ("email_claim", "email"),
            ("domains", "riverside.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let again = r.text().await.unwrap();
    assert!(again.contains("id=\"sso-error\""), "the refusal is shown");
    assert!(
        again.contains("https://"),
        "it says what an issuer looks like"
    );
    assert!(
        again.contains("value=\"http://login.riverside.example\""),
        "kept as typed"
    );
    assert!(!again.contains(SECRET), "the secret is never typed back");
    let issuer_input = again
        .split("<input")
        .find(|i| i.contains("name=\"issuer\""))
        .unwrap();
    assert!(issuer_input.contains("aria-invalid=\"true\""));
    assert!(app
        .state()
        .store
        .sso_connection(o.riverside)
        .await
        .unwrap()
        .is_none());
}
