//! SCIM 2.0 provisioning: an independent conformance checker (scim2-tester, installed by
//! scripts/test-peers.sh) against the live server, and the behaviour an IT administrator
//! relies on — credentials that reach one organization and stop at revocation, filtering
//! and paging, deactivation that ends sessions, tokens and sockets at once, no adoption of
//! strangers' accounts, and groups that grant a department and roles.

use std::process::Command;

use futures_util::StreamExt;
use huddle_core::identity::Email;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;
use crate::push::PYTHON;
use crate::routing::{next_event, ward};

const CHECKER: &str = "tests/peers/scim_check.py";

/// A SCIM credential for the organization, made by its admin through the API.
pub async fn credential(app: &TestApp, admin_token: &str, org: i64) -> (i64, String) {
    let r = bearer(
        admin_token,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{org}/scim/credentials")),
        Some(json!({ "name": "Directory" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    (
        v["credential"]["id"].as_i64().unwrap(),
        v["secret"].as_str().unwrap().to_string(),
    )
}

/// A SCIM request with the directory's credential.
pub async fn scim(
    app: &TestApp,
    secret: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .request(method, app.url(&format!("/scim/v2{path}")))
        .bearer_auth(secret);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/scim+json")
            .body(body.to_string());
    }
    let r = request.send().await.unwrap();
    let status = r.status();
    if status != StatusCode::NO_CONTENT {
        assert_eq!(
            r.headers()["content-type"],
            "application/scim+json",
            "{path}"
        );
    }
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn new_user(email: &str, external_id: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "externalId": external_id,
        "name": { "givenName": "Ada", "familyName": "Okafor" },
        "emails": [{ "value": email, "type": "work", "primary": true }],
        "active": true
    })
}

fn install_peers() {
    if !std::path::Path::new(PYTHON).exists()
        || !Command::new(PYTHON)
            .args(["-c", "import scim2_tester"])
            .status()
            .is_ok_and(|s| s.success())
    {
        let made = Command::new("bash")
            .arg("../../scripts/test-peers.sh")
            .status()
            .expect("bash");
        assert!(made.success(), "scripts/test-peers.sh failed");
    }
}

#[tokio::test]
async fn an_independent_checker_finds_the_service_provider_conformant() {
    install_peers();
    let app = spawn_app().await;
    let w = ward(&app).await;
    let (_, secret) = credential(&app, &w.admin, w.org).await;
    let base = app.url("/scim/v2");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(PYTHON)
            .args([CHECKER, &base, &secret])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Two checks Huddle answers differently on purpose: every account has a name and is
    // active or not, so removing `displayName` keeps the name Huddle shows (the account's)
    // and removing `active` leaves the account as it was.
    let expected_to_differ = |r: &Value| {
        r["title"] == "check_remove_attribute"
            && ["'displayName'", "'active'"]
                .iter()
                .any(|a| r["reason"].as_str().unwrap_or("").contains(a))
    };
    // Skipped: searching Users and Groups in one request (`POST /.search`), which Huddle
    // answers with 501 as RFC 7644 §3.4.3 allows.
    let failed: Vec<&Value> = results
        .iter()
        .filter(|r| r["status"] != "SUCCESS" && r["status"] != "SKIPPED")
        .filter(|r| !expected_to_differ(r))
        .collect();
    let passed = results.iter().filter(|r| r["status"] == "SUCCESS").count();
    assert!(passed > 40, "the checker ran its checks: {results:#?}");
    assert!(failed.is_empty(), "checks that failed: {failed:#?}");
}
