//! Bad input of every kind gets a 4xx problem, never a 5xx.

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn malformed_bodies_get_clear_4xx_problems() {
    let app = spawn_app().await;
    let url = app.url("/api/v1/auth/register");
    let raw = |body: &'static str, ct: &'static str| {
        Client::new()
            .post(&url)
            .header("content-type", ct)
            .body(body)
            .send()
    };

    let r = raw("{\"email\": ", "application/json").await.unwrap();
    assert_problem(r, StatusCode::BAD_REQUEST, None).await;
    let r = raw("{\"email\": \"a@example.org\"}", "application/json")
        .await
        .unwrap();
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("password")).await;
    let r = raw(
        "{\"email\": 5, \"password\": \"x\", \"display_name\": \"y\"}",
        "application/json",
    )
    .await
    .unwrap();
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("email")).await;
    let r = raw(
        "{\"email\": \"a@example.org\", \"password\": \"long enough pass\", \"display_name\": \"y\", \"roles\": [\"system_admin\"]}",
        "application/json",
    )
    .await
    .unwrap();
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("roles")).await;
    let r = raw("{}", "text/plain").await.unwrap();
    assert_problem(r, StatusCode::UNSUPPORTED_MEDIA_TYPE, None).await;
    let r = raw("[1,2,3]", "application/json").await.unwrap();
    assert!(r.status().is_client_error());
    let r = raw(
        "{\"email\": \"t@example.org\", \"password\": \"long enough pass\", \"display_name\": \"y\"} trailing",
        "application/json",
    )
    .await
    .unwrap();
    assert_problem(r, StatusCode::BAD_REQUEST, None).await;
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let app = spawn_app_with(|c| c.server.body_limit_bytes = 4096).await;
    let big =
        json!({ "email": "a@example.org", "password": "x".repeat(10_000), "display_name": "y" });
    let r = Client::new()
        .post(app.url("/api/v1/auth/register"))
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn injection_strings_are_data_not_code() {
    let app = spawn_app_with(open_sign_up).await;
    let nasty = [
        "'; DROP TABLE users; --",
        "<script>alert(1)</script>",
        "\u{0}\u{1}\u{2}",
        "{{7*7}}",
        "../../etc/passwd",
        "😀 Dr. ✓",
        "%00%0d%0a",
    ];
    for (i, name) in nasty.iter().enumerate() {
        let r = Client::new()
            .post(app.url("/api/v1/auth/register"))
            .json(&json!({ "email": format!("n{i}@example.org"), "password": PASSWORD, "display_name": name }))
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success() || r.status().is_client_error(),
            "{name:?}: {}",
            r.status()
        );
    }
    // The script name is stored as text and escaped on pages.
    prove_address(&app, "n1@example.org").await;
    let b = Browser::login(&app, "n1@example.org").await;
    let html = b
        .client
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
        "escaped"
    );
    assert!(!html.contains("<script>alert(1)</script>"));
    // The database still works.
    assert_eq!(
        Client::new()
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_ids_and_unknown_routes_are_4xx() {
    let app = spawn_app().await;
    app.user("ids@example.org", &[]).await;
    let token = app.token("ids@example.org").await;
    for (method, path) in [
        (Method::DELETE, "/api/v1/auth/tokens/not-a-number"),
        (
            Method::DELETE,
            "/api/v1/auth/tokens/99999999999999999999999",
        ),
        (Method::GET, "/api/v1/nothing-here"),
        (Method::POST, "/api/v1/verification/-1/decision"),
        (Method::GET, "/api/v1/audit?limit=abc"),
    ] {
        let r = bearer(&token, method.clone(), &app.url(path), Some(json!({}))).await;
        assert!(
            r.status().is_client_error(),
            "{method} {path}: {}",
            r.status()
        );
    }
}

#[tokio::test]
async fn health_metrics_openapi_and_security_headers() {
    let app = spawn_app().await;
    let get = |p: &str| Client::new().get(app.url(p)).send();
    assert_eq!(get("/healthz").await.unwrap().text().await.unwrap(), "ok");
    assert_eq!(
        get("/readyz").await.unwrap().text().await.unwrap(),
        "ready (sqlite)"
    );
    let spec: Value = get("/api/openapi.json")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/tokens",
        "/api/v1/me",
        "/api/v1/verification",
        "/api/v1/verification/queue",
        "/api/v1/verification/{id}/decision",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} is documented");
    }
    // API clients and fuzzers build requests from the document: every `{name}` in a path
    // must be declared as a path parameter of each of its operations.
    let paths = spec["paths"].as_object().unwrap();
    for (path, operations) in paths {
        let names: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        for (method, operation) in operations.as_object().unwrap() {
            for name in &names {
                let declared = operation["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["in"] == "path" && p["name"] == *name));
                assert!(declared, "{method} {path} does not declare {{{name}}}");
            }
        }
    }
    let page = get("/").await.unwrap();
    let h = page.headers();
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h.get("strict-transport-security").is_none(),
        "HSTS only with TLS"
    );
    let metrics = get("/metrics").await.unwrap().text().await.unwrap();
    assert!(metrics.contains("huddle_http_requests_total"), "{metrics}");
}

#[tokio::test]
async fn every_vendored_asset_is_served_with_its_type() {
    let app = spawn_app().await;
    for (file, kind) in [
        ("htmx.min.js", "text/javascript"),
        ("live.js", "text/javascript"),
        ("pico.classless.min.css", "text/css"),
        ("huddle.css", "text/css"),
    ] {
        let r = Client::new()
            .get(app.url(&format!("/static/{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{file}");
        assert_eq!(r.headers()["content-type"], kind, "{file}");
    }
}
