//! TLS straight from Huddle (rustls), with HSTS and Secure cookies.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn serves_https_with_hsts_and_secure_cookies() {
    let (cert, key) = test_certificate("tls")
        .expect("openssl makes a test certificate (scripts/system-deps.sh installs it)");
    let app = spawn_app_with(|c| {
        c.server.tls_cert = Some(cert.clone());
        c.server.tls_key = Some(key.clone());
    })
    .await;
    app.user("tls@example.org", &[]).await;
    let https = app.base.replace("http://", "https://");
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let r = client.get(format!("{https}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    let r = client
        .post(format!("{https}/api/v1/auth/login"))
        .json(&json!({ "email": "tls@example.org", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .ends_with("; Secure"));
}
