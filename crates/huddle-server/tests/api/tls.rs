//! TLS straight from Huddle (rustls), with HSTS and Secure cookies.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn serves_https_with_hsts_and_secure_cookies() {
    let dir = std::env::temp_dir().join(format!("huddle-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output();
    if !made.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: openssl could not make a test certificate");
        return;
    }
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
