use huddle_core::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

fn submission(npi: &str, license: &str, specialty: &str) -> Value {
    json!({ "npi": npi, "license_state": "MA", "license_number": license, "specialty_code": specialty })
}

#[tokio::test]
async fn invalid_npi_and_unknown_specialty_name_their_field() {
    let app = spawn_app().await;
    app.user("doc@example.org", &[]).await;
    let doc = Browser::login(&app, "doc@example.org").await;
    let url = app.url("/api/v1/verification");
    let r = doc
        .send(
            Method::POST,
            &url,
            Some(submission("1234567898", "MD-1", "207RC0000X")),
        )
        .await;
    let body = assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("npi")).await;
    assert!(body["detail"].as_str().unwrap().contains("check digit"));
    let r = doc
        .send(
            Method::POST,
            &url,
            Some(submission("1234567893", "MD-1", "999999999X")),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("specialty_code")).await;
    let r = doc.send(Method::POST, &url, Some(json!({ "npi": "1234567893", "license_state": "ZZ", "license_number": "1", "specialty_code": "207RC0000X" }))).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("license_state")).await;
    let r = doc
        .send(
            Method::POST,
            &url,
            Some(submission(
                "1234567893",
                "1; DROP TABLE users",
                "207RC0000X",
            )),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("license_number")).await;
}

#[tokio::test]
async fn a_verifier_approves_and_a_licence_change_sends_the_physician_back_to_review() {
    let app = spawn_app().await;
    app.user("doc@example.org", &[]).await;
    app.user("verifier@example.org", &[Role::Verifier]).await;
    let doc = Browser::login(&app, "doc@example.org").await;
    let verifier = Browser::login(&app, "verifier@example.org").await;

    let r = doc
        .send(
            Method::POST,
            &app.url("/api/v1/verification"),
            Some(submission("1234567893", "MD-1", "207RC0000X")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let filed: Value = r.json().await.unwrap();
    assert_eq!(filed["status"], "pending");
    let me: Value = doc
        .send(Method::GET, &app.url("/api/v1/me"), None)
        .await
        .json()
        .await
        .unwrap();
    // Asking is not being: the physician role waits for the verifier's decision.
    assert_eq!(me["roles"], json!([]));
    assert_eq!(
        me["verification"],
        json!({ "status": "pending", "specialty_code": "207RC0000X" })
    );

    // Physicians cannot see or work the queue.
    assert_eq!(
        doc.send(Method::GET, &app.url("/api/v1/verification/queue"), None)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let queue: Value = verifier
        .send(Method::GET, &app.url("/api/v1/verification/queue"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(queue[0]["email"], "doc@example.org");
    assert_eq!(
        queue[0]["specialty_name"],
        "Cardiovascular Disease Physician"
    );
    assert_eq!(queue[0]["nppes"], Value::Null);
    let id = queue[0]["request"]["id"].as_i64().unwrap();

    let decision_url = app.url(&format!("/api/v1/verification/{id}/decision"));
    let decide = |body: Value| verifier.send(Method::POST, &decision_url, Some(body));
    assert_problem(
        decide(json!({ "approve": false })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("reason"),
    )
    .await;
    let r = decide(json!({ "approve": true, "reason": "licence checked with the board" })).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        decide(json!({ "approve": true })).await.status(),
        StatusCode::CONFLICT
    );
    let me: Value = doc
        .send(Method::GET, &app.url("/api/v1/me"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["verification"]["status"], "verified");
    assert_eq!(me["roles"], json!(["physician"]));

    let r = doc
        .send(
            Method::POST,
            &app.url("/api/v1/verification"),
            Some(submission("1234567893", "MD-2", "207RC0000X")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let me: Value = doc
        .send(Method::GET, &app.url("/api/v1/me"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["verification"]["status"], "pending");

    let actions: Vec<String> = app
        .state()
        .store
        .audit_entries(0, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"verification_approved".to_string()));
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "verification_submitted")
            .count(),
        2
    );
    assert!(
        actions.contains(&"sensitive_read".to_string()),
        "reading the queue is audited"
    );
}

#[tokio::test]
async fn a_verifier_cannot_decide_their_own_request() {
    let app = spawn_app().await;
    app.user("self@example.org", &[Role::Verifier]).await;
    let me = Browser::login(&app, "self@example.org").await;
    let filed: Value = me
        .send(
            Method::POST,
            &app.url("/api/v1/verification"),
            Some(submission("1993999998", "MD-9", "207P00000X")),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = filed["id"].as_i64().unwrap();
    let r = me
        .send(
            Method::POST,
            &app.url(&format!("/api/v1/verification/{id}/decision")),
            Some(json!({ "approve": true })),
        )
        .await;
    assert_problem(r, StatusCode::FORBIDDEN, None).await;
}

#[tokio::test]
async fn the_queue_compares_with_an_imported_nppes_extract() {
    let app = spawn_app().await;
    let doc_id = app.user("okafor@example.org", &[]).await;
    app.user("verifier@example.org", &[Role::Verifier]).await;
    app.state()
        .store
        .upsert_nppes_records(&[huddle_store::NppesRecord {
            npi: "1234567893".into(),
            entity_type: 1,
            last_name: "Okafor".into(),
            first_name: "ADA".into(),
            licenses: "MA:MD-1".into(),
            taxonomy_codes: "207RC0000X".into(),
        }])
        .await
        .unwrap();
    let doc = Browser::login(&app, "okafor@example.org").await;
    doc.send(
        Method::POST,
        &app.url("/api/v1/verification"),
        Some(submission("1234567893", "MD-1", "207RC0000X")),
    )
    .await;
    let verifier = Browser::login(&app, "verifier@example.org").await;
    let queue: Value = verifier
        .send(Method::GET, &app.url("/api/v1/verification/queue"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue[0]["user_id"], doc_id);
    assert_eq!(queue[0]["nppes"]["license"], true);
    assert_eq!(queue[0]["nppes"]["specialty"], true);
    assert_eq!(queue[0]["nppes"]["individual"], true);
    assert_eq!(queue[0]["nppes"]["name"], true);
}
