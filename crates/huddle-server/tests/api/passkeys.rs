//! Passkeys without an authenticator: ceremonies are single use, expire and belong to one
//! person and purpose; a passkey is removed only by its owner; a password sign-in asks
//! for it. The ceremonies with a real authenticator (Chromium's virtual one) are in
//! e2e/tests/passkeys.test.js.

use huddle_core::clock::MINUTE;
use huddle_store::NewPasskey;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    assert_problem, code_now, hidden, spawn_app, spawn_app_with, Browser, TestApp,
};

/// WebAuthn refuses IP addresses as relying party ids; tests reach the server by address
/// and name it through the public URL.
async fn app() -> TestApp {
    spawn_app_with(|c| c.server.public_url = "http://localhost".into()).await
}

/// Well-formed, but signed by no authenticator.
fn forged_registration() -> Value {
    json!({
        "id": "AAAA", "rawId": "AAAA", "type": "public-key",
        "response": { "attestationObject": "AAAA", "clientDataJSON": "AAAA" }
    })
}

fn forged_assertion(raw_id: &str) -> Value {
    json!({
        "id": raw_id, "rawId": raw_id, "type": "public-key",
        "response": {
            "authenticatorData": "AAAA", "clientDataJSON": "AAAA", "signature": "AAAA",
            "userHandle": "AAAAAAAAAAAAAAAAAAAAAA"
        }
    })
}

/// A stored passkey (a P-256 key from webauthn-rs's own tests, no attestation).
const CREDENTIAL_ID: &str =
    "uZcVDBVS68E_MtAgeQpElJxldF_6cY9sSvbWqx_qRh8wiu42lyRBRmh5yFeD_r9k130dMbFHBHI9RTFgdJQIzQ";

async fn stored_passkey(app: &TestApp, user_id: i64, name: &str) -> i64 {
    let credential = json!({ "cred": {
        "cred_id": CREDENTIAL_ID,
        "cred": { "type_": "ES256", "key": { "EC_EC2": { "curve": "SECP256R1",
            "x": [194, 126, 127, 109, 252, 23, 131, 21, 252, 6, 223, 99, 44, 254, 140, 27, 230, 17, 94, 5, 133, 28, 104, 41, 144, 69, 171, 149, 161, 26, 200, 243],
            "y": [143, 123, 183, 156, 24, 178, 21, 248, 117, 159, 162, 69, 171, 52, 188, 252, 26, 59, 6, 47, 103, 92, 19, 58, 117, 103, 249, 0, 219, 8, 95, 196] } } },
        "counter": 2, "transports": null, "user_verified": true,
        "backup_eligible": false, "backup_state": false, "registration_policy": "required",
        "extensions": {}, "attestation": { "data": "None", "metadata": "None" },
        "attestation_format": "None"
    }});
    app.state()
        .store
        .add_passkey(NewPasskey {
            user_id,
            credential_id: CREDENTIAL_ID.into(),
            user_handle: "5f8e3a4c-2b1d-4e6f-9a7b-0c1d2e3f4a5b".into(),
            name: name.into(),
            credential: credential.to_string(),
            created_at: 1,
        })
        .await
        .unwrap()
        .id
}

async fn begin(b: &Browser, app: &TestApp, path: &str) -> Value {
    let r = b.send(Method::POST, &app.url(path), None).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

#[tokio::test]
async fn registration_ceremonies_are_single_use_personal_and_expire() {
    let app = app().await;
    app.user("pk-reg@example.org", &[]).await;
    app.user("pk-other@example.org", &[]).await;
    let b = Browser::login(&app, "pk-reg@example.org").await;
    let add = app.url("/api/v1/me/passkeys");

    // The options ask for a discoverable passkey with user verification, for this site.
    let begun = begin(&b, &app, "/api/v1/me/passkeys/registration").await;
    let options = &begun["options"]["publicKey"];
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "required"
    );
    let ceremony = begun["ceremony"].as_str().unwrap();

    // A bad name is refused before the ceremony is spent.
    let named = |name: &str, ceremony: &str| json!({ "ceremony": ceremony, "name": name, "credential": forged_registration() });
    let r = b.send(Method::POST, &add, Some(named(" ", ceremony))).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("name")).await;
    // A forged answer does not verify, and spends the ceremony.
    let r = b
        .send(Method::POST, &add, Some(named("laptop", ceremony)))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("credential")).await;
    let r = b
        .send(Method::POST, &add, Some(named("laptop", ceremony)))
        .await;
    let problem = assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("ceremony")).await;
    assert!(problem["detail"].as_str().unwrap().contains("start again"));

    // Expired after five minutes.
    let begun = begin(&b, &app, "/api/v1/me/passkeys/registration").await;
    app.clock.advance(5 * MINUTE + 1);
    let late = named("laptop", begun["ceremony"].as_str().unwrap());
    let r = b.send(Method::POST, &add, Some(late)).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("ceremony")).await;

    // Someone else's ceremony is not theirs to finish.
    let begun = begin(&b, &app, "/api/v1/me/passkeys/registration").await;
    let other = Browser::login(&app, "pk-other@example.org").await;
    let theirs = named("laptop", begun["ceremony"].as_str().unwrap());
    let r = other.send(Method::POST, &add, Some(theirs)).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("ceremony")).await;

    // Nothing was added; an anonymous caller cannot begin one.
    let r = b.send(Method::GET, &add, None).await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!([]));
    let r = Browser::new()
        .send(
            Method::POST,
            &app.url("/api/v1/me/passkeys/registration"),
            None,
        )
        .await;
    assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
}

#[tokio::test]
async fn sign_in_ceremonies_are_single_use_and_for_sign_in_only() {
    let app = app().await;
    app.user("pk-signin@example.org", &[]).await;
    let anonymous = Browser::new();
    let finish = app.url("/api/v1/auth/passkey");

    // Passwordless: no credentials listed (the authenticator offers its own), verified.
    let begun = begin(&anonymous, &app, "/api/v1/auth/passkey/challenge").await;
    let options = &begun["options"]["publicKey"];
    assert_eq!(options["userVerification"], "required");
    assert!(options["allowCredentials"]
        .as_array()
        .is_none_or(|a| a.is_empty()));
    assert!(begun["options"].get("mediation").is_none_or(Value::is_null));

    // An unknown passkey signs nobody in, and spends the ceremony.
    let answer = json!({ "ceremony": begun["ceremony"], "credential": forged_assertion("AAAA") });
    let r = anonymous
        .send(Method::POST, &finish, Some(answer.clone()))
        .await;
    assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
    let r = anonymous.send(Method::POST, &finish, Some(answer)).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("ceremony")).await;

    // Expired.
    let begun = begin(&anonymous, &app, "/api/v1/auth/passkey/challenge").await;
    app.clock.advance(5 * MINUTE + 1);
    let answer = json!({ "ceremony": begun["ceremony"], "credential": forged_assertion("AAAA") });
    let r = anonymous.send(Method::POST, &finish, Some(answer)).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("ceremony")).await;

    // A registration's ceremony is not a sign-in's.
    let b = Browser::login(&app, "pk-signin@example.org").await;
    let begun = begin(&b, &app, "/api/v1/me/passkeys/registration").await;
    let answer = json!({ "ceremony": begun["ceremony"], "credential": forged_assertion("AAAA") });
    let r = anonymous.send(Method::POST, &finish, Some(answer)).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("ceremony")).await;

    // Malformed answers name what is wrong.
    let r = anonymous
        .send(Method::POST, &finish, Some(json!({ "ceremony": "x" })))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("credential")).await;
}

#[tokio::test]
async fn a_passkey_is_removed_by_its_owner_only() {
    let app = app().await;
    let owner = app.user("pk-owner@example.org", &[]).await;
    app.user("pk-stranger@example.org", &[]).await;
    let stranger = Browser::login(&app, "pk-stranger@example.org").await;
    let b = Browser::login(&app, "pk-owner@example.org").await;
    let id = stored_passkey(&app, owner, "work laptop").await;
    let one = app.url(&format!("/api/v1/me/passkeys/{id}"));

    // Not theirs: not found, over the API and from the account page.
    let r = stranger.send(Method::DELETE, &one, None).await;
    assert_problem(r, StatusCode::NOT_FOUND, None).await;
    let page = stranger.page(&app.url("/account")).await;
    let r = stranger
        .client
        .post(app.url(&format!("/account/passkeys/{id}/remove")))
        .form(&[("csrf_token", hidden(&page, "csrf_token"))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Without the page's script the add form says what it needs, beside the form.
    let r = stranger
        .client
        .post(app.url("/account/passkeys"))
        .form(&[
            ("csrf_token", hidden(&page, "csrf_token")),
            ("name", "laptop".into()),
        ])
        .send()
        .await
        .unwrap();
    let refused = r.text().await.unwrap();
    assert!(refused.contains("id=\"passkey-error\""), "{refused}");
    assert!(refused.contains("needs JavaScript"), "{refused}");

    // The owner sees it on the account page and in the API, and removes it.
    let page = b.page(&app.url("/account")).await;
    assert!(page.contains("work laptop"), "{page}");
    assert!(page.contains("your only second step"), "{page}");
    let listed: Value = b
        .send(Method::GET, &app.url("/api/v1/me/passkeys"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["name"], "work laptop");
    assert_eq!(listed[0]["last_used_at"], Value::Null);
    let r = b.send(Method::DELETE, &one, None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = b.send(Method::DELETE, &one, None).await;
    assert_problem(r, StatusCode::NOT_FOUND, None).await;
    let audit = app.state().store.audit_entries(0, 1000).await.unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "passkey_removed" && e.target == format!("passkey:{id}")));
}

#[tokio::test]
async fn a_password_sign_in_asks_for_the_passkey() {
    let app = app().await;
    let owner = app.user("pk-second@example.org", &[]).await;
    stored_passkey(&app, owner, "phone").await;

    // Over the API, the password alone is not enough.
    let r = Browser::new()
        .send(
            Method::POST,
            &app.url("/api/v1/auth/login"),
            Some(json!({ "email": "pk-second@example.org", "password": crate::helpers::PASSWORD })),
        )
        .await;
    let problem = assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
    assert!(
        problem["type"].as_str().unwrap().contains("mfa"),
        "{problem}"
    );

    // On the page: the second step offers the passkey (no app code: none is set up).
    let b = Browser::new();
    let signin = b.page(&app.url("/signin")).await;
    assert!(signin.contains("Sign in with a passkey"));
    let r = b
        .sign_in_form(&app, &signin, "pk-second@example.org", "/")
        .await;
    assert_eq!(r.headers()["location"], "/signin/mfa?next=/");
    let mfa = b.page(&app.url("/signin/mfa?next=/")).await;
    assert!(mfa.contains("Use my passkey"), "{mfa}");
    assert!(!mfa.contains("name=\"code\""), "{mfa}");

    // The second step's ceremony lists the account's passkey (the page's script sends the
    // session's CSRF token).
    let start = mfa.find("data-csrf=\"").unwrap() + "data-csrf=\"".len();
    let csrf = mfa[start..start + mfa[start..].find('"').unwrap()].to_string();
    let r = b
        .client
        .post(app.url("/api/v1/auth/passkey/second-factor/challenge"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let begun: Value = r.json().await.unwrap();
    assert_eq!(
        begun["options"]["publicKey"]["allowCredentials"][0]["id"],
        CREDENTIAL_ID
    );
    // A forged answer does not complete the sign-in.
    let answer =
        json!({ "ceremony": begun["ceremony"], "credential": forged_assertion(CREDENTIAL_ID) });
    let r = b
        .client
        .post(app.url("/api/v1/auth/passkey/second-factor"))
        .header("x-csrf-token", &csrf)
        .json(&answer)
        .send()
        .await
        .unwrap();
    assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
    let r = b.send(Method::GET, &app.url("/api/v1/me"), None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Without a password first there is no second step to take.
    let r = Browser::new()
        .send(
            Method::POST,
            &app.url("/api/v1/auth/passkey/second-factor/challenge"),
            None,
        )
        .await;
    assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
}

#[tokio::test]
async fn passkeys_need_a_domain_name() {
    // Reached at 127.0.0.1 with no public URL: WebAuthn cannot use an address.
    let app = spawn_app().await;
    let r = Browser::new()
        .send(
            Method::POST,
            &app.url("/api/v1/auth/passkey/challenge"),
            None,
        )
        .await;
    let problem = assert_problem(r, StatusCode::CONFLICT, None).await;
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("server.public_url"));
}

#[tokio::test]
async fn with_an_app_and_a_passkey_either_second_step_is_offered() {
    let app = app().await;
    let owner = app.user("pk-both@example.org", &[]).await;
    stored_passkey(&app, owner, "security key").await;
    let secret = huddle_server::auth::totp::new_secret();
    app.state()
        .store
        .set_totp_secret(owner, Some(&secret))
        .await
        .unwrap();

    let b = Browser::new();
    let signin = b.page(&app.url("/signin")).await;
    let r = b
        .sign_in_form(&app, &signin, "pk-both@example.org", "/")
        .await;
    assert_eq!(r.headers()["location"], "/signin/mfa?next=/");
    let mfa = b.page(&app.url("/signin/mfa?next=/")).await;
    assert!(mfa.contains("Use my passkey"), "{mfa}");
    assert!(mfa.contains("name=\"code\""), "{mfa}");

    // The app's code completes the sign-in as before.
    let r = b
        .client
        .post(app.url("/signin/mfa"))
        .form(&[
            ("csrf_token", hidden(&mfa, "csrf_token")),
            ("code", code_now(&app, &secret)),
            ("next", "/".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/");
    let r = b.send(Method::GET, &app.url("/api/v1/me"), None).await;
    assert_eq!(r.status(), StatusCode::OK);
}
