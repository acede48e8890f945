//! Alert intake you can trust, as an attacker, an interface engine and a nurse would try
//! it: people cannot post as machines, a reused or predicted id never drops a result, a
//! retry reveals nothing, MLLP takes only registered senders within its limits, results
//! reach the ordering physician by NPI, people page through the same engine, and
//! escalation is told in the open.

use std::time::Duration;

use huddle_core::clock::{Clock, MINUTE};
use huddle_core::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;
use crate::routing::{alert, inbox, mllp, post_alert, register_feed, ward, ORU};

async fn audit_actions(app: &TestApp) -> Vec<(Option<i64>, String, String)> {
    app.state()
        .store
        .audit_entries(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor_id, e.action, e.target))
        .collect()
}

async fn alert_count(app: &TestApp, org: i64) -> usize {
    app.state()
        .store
        .delivered_alerts(org, 0, i64::MAX)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn people_of_any_role_cannot_post_as_a_machine_and_the_attempt_is_traced() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let store = &app.state().store;
    // Billing staff, and an account whose roles were all removed.
    let billing = app.user("billing@example.org", &[Role::Clinician]).await;
    store
        .set_membership(billing, Some(w.org), None)
        .await
        .unwrap();
    store.set_team(billing, "billing").await.unwrap();
    let nobody = app.user("roleless@example.org", &[]).await;
    store
        .set_membership(nobody, Some(w.org), None)
        .await
        .unwrap();
    let billing_token = app.token("billing@example.org").await;
    let nobody_token = app.token("roleless@example.org").await;

    for token in [&billing_token, &nobody_token, &w.nurse, &w.admin, &w.p1.1] {
        let (status, problem) = post_alert(
            &app,
            token,
            alert("critical_lab", "stat", "oncall:medicine", "FORGED-1"),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
        assert!(problem["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/pages"));
        let r = bearer(
            token,
            Method::POST,
            &app.url("/fhir/CommunicationRequest"),
            Some(json!({ "resourceType": "CommunicationRequest" })),
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    // Nothing was stored, and each attempt names who knocked.
    assert_eq!(alert_count(&app, w.org).await, 0);
    let refused: Vec<_> = audit_actions(&app)
        .await
        .into_iter()
        .filter(|(_, action, _)| action == "alert_refused")
        .collect();
    assert_eq!(refused.len(), 10);
    assert!(refused.contains(&(
        Some(nobody),
        "alert_refused".into(),
        format!("user:{nobody}")
    )));

    // A session in a browser is refused the same way.
    let browser = Browser::login(&app, "billing@example.org").await;
    let r = browser
        .send(
            Method::POST,
            &app.url("/api/v1/alerts"),
            Some(alert("critical_lab", "stat", "oncall:medicine", "FORGED-2")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Without any credential: 401; with a made-up feed credential: 401.
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/alerts"))
        .json(&alert("critical_lab", "stat", "oncall:medicine", "X"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (status, _) = post_alert(
        &app,
        "hki_not-a-real-credential",
        alert("critical_lab", "stat", "oncall:medicine", "X"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_feed_credential_opens_only_intake_within_its_scope_and_is_revocable() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    // It is no person: it reads no inbox and sends no message.
    let r = bearer(&w.feed, Method::GET, &app.url("/api/v1/alerts"), None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = bearer(&w.feed, Method::GET, &app.url("/api/v1/me"), None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Outside its scope: a kind or a source it was not registered for.
    let (status, problem) = post_alert(
        &app,
        &w.feed,
        alert("code_blue", "stat", "oncall:medicine", "S-1"),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("category"))
    );
    let mut monitor = alert("critical_lab", "stat", "oncall:medicine", "S-2");
    monitor["source"] = json!("monitor");
    let (status, problem) = post_alert(&app, &w.feed, monitor).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("source"))
    );

    // A feed allowed only from the interface engine's network is refused from here.
    let r = bearer(
        &w.admin,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{}/integrations", w.org)),
        Some(
            json!({ "name": "Monitors", "sources": "monitor", "kinds": "monitor_alarm",
            "addresses": "10.20.0.0/16" }),
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let monitors: Value = r.json().await.unwrap();
    let mut alarm = alert("monitor_alarm", "stat", "oncall:medicine", "M-1");
    alarm["source"] = json!("monitor");
    let (status, _) = post_alert(&app, monitors["credential"].as_str().unwrap(), alarm).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Only the organization's admin registers or lists feeds; the list never shows a credential.
    let url = app.url(&format!("/api/v1/organizations/{}/integrations", w.org));
    let r = bearer(&w.nurse, Method::GET, &url, None).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let listed: Value = bearer(&w.admin, Method::GET, &url, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(!listed.to_string().contains("hki_"));
    let bad = bearer(
        &w.admin,
        Method::POST,
        &url,
        Some(json!({ "name": "Bad", "sources": "lab", "kinds": "x", "addresses": "not-an-ip" })),
    )
    .await;
    assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, Some("addresses")).await;

    // Revoked, the credential stops at once; the revocation is audited.
    let id = listed[0]["id"].as_i64().unwrap();
    let lab_id = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Core lab and EHR")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = bearer(&w.admin, Method::DELETE, &format!("{url}/{lab_id}"), None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (status, _) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "S-3"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let actions = audit_actions(&app).await;
    assert!(actions
        .iter()
        .any(|(_, a, t)| a == "integration_revoked" && t == &format!("integration:{lab_id}")));
    assert!(actions
        .iter()
        .any(|(_, a, _)| a == "integration_registered"));
    let _ = id;
}

#[tokio::test]
async fn a_predicted_or_reused_id_never_drops_a_critical_result_and_a_retry_reveals_nothing() {
    predicted_and_reused_ids(&spawn_app().await).await;
}

/// The same attacks and retries on PostgreSQL (when `HUDDLE_TEST_DATABASE_URL` is set, as
/// in CI), with escalation told in the open.
#[tokio::test]
async fn on_postgres_too_reused_ids_are_kept_and_escalation_is_told() {
    let Some(app) = spawn_on_postgres("intake").await else {
        eprintln!("skipped: set HUDDLE_TEST_DATABASE_URL");
        return;
    };
    predicted_and_reused_ids(&app).await;
    escalation_in_the_open(&spawn_on_postgres("escalation").await.unwrap()).await;
}

async fn spawn_on_postgres(what: &str) -> Option<TestApp> {
    use sqlx::{ConnectOptions, Connection};
    use std::str::FromStr;
    let pg = std::env::var("HUDDLE_TEST_DATABASE_URL").ok()?;
    let name = format!("huddle_{what}_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&pg).await.unwrap();
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let url = sqlx::postgres::PgConnectOptions::from_str(&pg)
        .unwrap()
        .database(&name)
        .to_url_lossy()
        .to_string();
    let key = std::env::temp_dir().join(format!("huddle-{name}.key"));
    std::fs::write(&key, "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=\n").unwrap();
    Some(
        spawn_app_with(|c| {
            c.database.url = Some(url);
            c.security.master_key_file = Some(key);
        })
        .await,
    )
}

async fn predicted_and_reused_ids(app: &TestApp) {
    let w = ward(app).await;
    // A second feed, even one allowed to send lab results, posts first with the lab's
    // predictable id and a harmless text.
    let other = register_second_lab(app, &w).await;
    let mut harmless = alert("abnormal_lab", "routine", "oncall:medicine", "LAB-MSG00001");
    harmless["text"] = json!("normal, nothing to do");
    let (status, _) = post_alert(app, &other, harmless.clone()).await;
    assert_eq!(status, StatusCode::CREATED);

    // The real critical result, from the lab's own feed, is its own alert and interrupts.
    let real = alert("critical_lab", "urgent", "oncall:medicine", "LAB-MSG00001");
    let (status, critical) = post_alert(app, &w.feed, real.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{critical}");
    assert_eq!(critical["delivery"], "interrupt");
    assert_eq!(critical["conflict_of"], Value::Null);

    // The same feed retrying: the same id, and nothing else — not the patient, not the text.
    let (status, again) = post_alert(app, &w.feed, real.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, json!({ "id": critical["id"], "duplicate": true }));
    // The other feed replaying the lab's id learns nothing about the lab's alert either.
    let (_, replay) = post_alert(app, &other, harmless).await;
    assert_eq!(replay["duplicate"], true);
    assert_ne!(replay["id"], critical["id"]);

    // The lab reusing its id (after a restart) for another result: stored, delivered,
    // flagged and audited — never answered as a duplicate.
    let mut reused = real.clone();
    reused["text"] = json!("Sodium 118 mmol/L (LL) (synthetic)");
    let (status, second) = post_alert(app, &w.feed, reused).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(second["conflict_of"], critical["id"]);
    assert_eq!(second["delivery"], "interrupt");
    assert_ne!(second["id"], critical["id"]);
    let held = inbox(app, &w.p2.1).await;
    assert_eq!(held["alerts"].as_array().unwrap().len(), 2, "{held}");
    let actions = audit_actions(app).await;
    assert!(actions
        .iter()
        .any(|(_, a, t)| a == "alert_conflict" && t == &format!("alert:{}", second["id"])));
    assert_eq!(
        actions
            .iter()
            .filter(|(_, a, _)| a == "alert_received")
            .count(),
        3
    );
    // The physician sees who sent each.
    assert_eq!(held["alerts"][0]["sender_name"], "Core lab and EHR");
}

async fn register_second_lab(app: &TestApp, w: &crate::routing::Ward) -> String {
    let r = bearer(
        &w.admin,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{}/integrations", w.org)),
        Some(json!({ "name": "Reference lab", "sources": "lab", "kinds": "abnormal_lab, critical_lab" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["credential"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn mllp_takes_only_registered_senders_from_their_addresses_and_acks_only_what_is_stored() {
    let app = spawn_app_with(|c| {
        c.hl7.bind = Some("127.0.0.1:0".into());
    })
    .await;
    let w = ward(&app).await;
    let addr = app.running.hl7_addr.unwrap();

    // An unregistered sending application or facility is rejected, and nothing is stored.
    let stranger = mllp(addr, &ORU.replace("|LAB|GENHOSP|", "|EVIL|GENHOSP|")).await;
    assert!(
        stranger
            .contains("\rMSA|AR|MSG00001|EVIL at GENHOSP (MSH-3/MSH-4) is not a registered feed"),
        "{stranger}"
    );
    let annex = mllp(addr, &ORU.replace("|LAB|GENHOSP|", "|LAB|ANNEX|")).await;
    assert!(annex.contains("MSA|AR|"), "{annex}");
    assert_eq!(alert_count(&app, w.org).await, 0);

    // The registered lab: accepted, stored once however often the engine resends it.
    assert!(mllp(addr, ORU).await.contains("\rMSA|AA|MSG00001\r"));
    assert!(mllp(addr, ORU).await.contains("\rMSA|AA|MSG00001\r"));
    assert_eq!(alert_count(&app, w.org).await, 1);
    // A control id reused for another result (an engine restarted): acknowledged because
    // it is stored, as a second alert, flagged.
    let other = ORU.replace("||6.9|", "||7.9|");
    assert!(mllp(addr, &other).await.contains("MSA|AA|MSG00001"));
    let alerts = inbox(&app, &w.p2.1).await;
    assert_eq!(alerts["alerts"].as_array().unwrap().len(), 2);
    assert_eq!(alerts["alerts"][0]["text"], "Potassium 7.9 mmol/L (HH)");
    assert!(alerts["alerts"][0]["conflict_of"].is_i64());

    // Registered for other addresses only: rejected from here.
    let r = bearer(
        &w.admin,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{}/integrations", w.org)),
        Some(
            json!({ "name": "Annex lab", "sources": "lab", "kinds": "critical_lab",
            "hl7_application": "LAB", "hl7_facility": "ANNEX", "addresses": "10.9.0.0/16" }),
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let annex = mllp(addr, &ORU.replace("|LAB|GENHOSP|", "|LAB|ANNEX|")).await;
    assert!(
        annex.contains("MSA|AR|MSG00001|LAB may not send from 127.0.0.1"),
        "{annex}"
    );
    assert_eq!(alert_count(&app, w.org).await, 2);
    let refused = audit_actions(&app)
        .await
        .into_iter()
        .filter(|(_, a, _)| a == "alert_refused")
        .count();
    assert_eq!(refused, 3);
}

#[tokio::test]
async fn hl7_results_reach_the_ordering_physician_by_verified_npi() {
    let app = spawn_app_with(|c| {
        c.hl7.bind = Some("127.0.0.1:0".into());
    })
    .await;
    let w = ward(&app).await;
    let store = &app.state().store;
    // p1 (day shift, not on call) is verified with NPI 1234567893.
    let request = store
        .submit_verification(huddle_store::NewVerification {
            user_id: w.p1.0,
            npi: huddle_core::identity::Npi::parse("1234567893").unwrap(),
            license_state: huddle_core::identity::LicenseState::parse("MA").unwrap(),
            license_number: huddle_core::identity::LicenseNumber::parse("MD-1").unwrap(),
            specialty: huddle_core::identity::specialty("207R00000X").unwrap(),
            submitted_at: app.clock.now(),
        })
        .await
        .unwrap();
    store
        .decide_verification(
            request.id,
            &huddle_store::Decision {
                decided_by: w.p2.0,
                approve: true,
                reason: "test".into(),
                at: app.clock.now(),
            },
        )
        .await
        .unwrap();
    let addr = app.running.hl7_addr.unwrap();
    // OBR-16 names an unknown ordering provider first, then p1 by NPI.
    let ordered = ORU.replace(
        "OBX|1|",
        "OBR|1||LAB555|2823-3^Potassium^LN||||||||||||9999999999^UNKNOWN^UNA~1234567893^ONE^PAT\rOBX|1|",
    );
    assert!(mllp(addr, &ordered).await.contains("MSA|AA|"));
    let mine = inbox(&app, &w.p1.1).await;
    assert_eq!(mine["alerts"][0]["category"], "critical_lab", "{mine}");
    assert_eq!(mine["alerts"][0]["recipient"], format!("user:{}", w.p1.0));
    assert!(inbox(&app, &w.p2.1).await["alerts"]
        .as_array()
        .unwrap()
        .is_empty());
    // Without a known NPI it goes to the service's on-call, as before.
    let unnamed = ORU.replace("MSG00001", "MSG00002");
    assert!(mllp(addr, &unnamed).await.contains("MSA|AA|MSG00002"));
    assert_eq!(
        inbox(&app, &w.p2.1).await["alerts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// Reads until the peer closes or `limit` passes; true when it closed.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> bool {
    let mut chunk = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn mllp_closes_slow_frames_refuses_oversized_ones_and_caps_connections() {
    let app = spawn_app_with(|c| {
        c.hl7.bind = Some("127.0.0.1:0".into());
        c.hl7.frame_timeout_seconds = 1;
        c.hl7.idle_timeout_seconds = 2;
        c.hl7.max_connections = 2;
        c.hl7.max_message_bytes = 4096;
    })
    .await;
    let w = ward(&app).await;
    let addr = app.running.hl7_addr.unwrap();

    // A frame begun and never finished: the connection is closed, nothing acknowledged.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    let framed = huddle_core::routing::hl7::frame(ORU);
    slow.write_all(&framed[..40]).await.unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(5)).await);
    // An idle connection is closed too.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    assert!(closed_within(&mut idle, Duration::from_secs(6)).await);

    // An oversized message gets an error ACK, never AA.
    let big = format!("{ORU}NTE|1||{}\r", "x".repeat(8000));
    let answer = mllp(addr, &big).await;
    assert!(
        answer.contains("MSA|AE||the message is larger than 4096 bytes"),
        "{answer}"
    );

    // Two connections held open: a third is closed on arrival; a slot frees when one ends.
    let held_a = tokio::net::TcpStream::connect(addr).await.unwrap();
    let held_b = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = tokio::net::TcpStream::connect(addr).await.unwrap();
    assert!(closed_within(&mut third, Duration::from_secs(1)).await);
    drop((held_a, held_b));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(mllp(addr, ORU).await.contains("MSA|AA|MSG00001"));
    assert_eq!(alert_count(&app, w.org).await, 1);
}

#[tokio::test]
async fn mllp_over_tls_speaks_to_openssl() {
    use std::process::{Command, Stdio};
    let (cert, key) = test_certificate("mllp-tls")
        .expect("openssl makes a test certificate (scripts/system-deps.sh installs it)");
    let app = spawn_app_with(|c| {
        c.hl7.bind = Some("127.0.0.1:0".into());
        c.hl7.tls_cert = Some(cert.clone());
        c.hl7.tls_key = Some(key.clone());
        c.hl7.idle_timeout_seconds = 5;
    })
    .await;
    let w = ward(&app).await;
    let addr = app.running.hl7_addr.unwrap();
    // Plain MLLP to a TLS listener gets no ACK.
    let mut plain = tokio::net::TcpStream::connect(addr).await.unwrap();
    plain
        .write_all(&huddle_core::routing::hl7::frame(ORU))
        .await
        .unwrap();
    let mut buffer = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(5), plain.read(&mut buffer)).await;
    assert!(!matches!(n, Ok(Ok(n)) if n > 0 && buffer[..n].starts_with(&[0x0B])));

    // OpenSSL's own client carries the framed message and brings back the ACK.
    let port = addr.port();
    let mut child = Command::new("openssl")
        .args([
            "s_client",
            "-quiet",
            "-no_ign_eof",
            "-connect",
            &format!("127.0.0.1:{port}"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    {
        use std::io::Write;
        stdin
            .write_all(&huddle_core::routing::hl7::frame(ORU))
            .unwrap();
        stdin.flush().unwrap();
    }
    // The ACK comes back while the client still holds the connection; then it hangs up.
    tokio::time::sleep(Duration::from_secs(2)).await;
    drop(stdin);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let ack = String::from_utf8_lossy(&output.stdout);
    assert!(ack.contains("MSA|AA|MSG00001"), "{ack}");
    assert_eq!(alert_count(&app, w.org).await, 1);
}

async fn send_page(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let r = bearer(token, Method::POST, &app.url("/api/v1/pages"), Some(body)).await;
    (r.status(), r.json().await.unwrap())
}

async fn my_pages(app: &TestApp, token: &str) -> Value {
    bearer(token, Method::GET, &app.url("/api/v1/pages"), None)
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_nurse_pages_the_on_call_and_follows_it_to_acknowledgement() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let store = &app.state().store;
    store.set_team(w.p1.0, "physicians").await.unwrap();
    let nurse_id = store
        .user_by_email(&huddle_core::identity::Email::parse("nurse@example.org").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    store.set_team(nurse_id, "nursing").await.unwrap();
    let page = json!({ "recipient": "oncall:medicine", "urgency": "stat",
        "message": "Bed 12 rapid AF 160s, BP 85/50 (synthetic)", "patient": "Bed 12",
        "callback": "x4410", "client_id": "nurse-tab-1" });
    let (status, sent) = send_page(&app, &w.nurse, page.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["page"]["alert"]["delivered_to"], w.p2.0);
    assert_eq!(sent["page"]["alert"]["delivery"], "interrupt");
    assert_eq!(sent["page"]["status"], "delivered");
    // A double submit pages nobody twice.
    let (status, again) = send_page(&app, &w.nurse, page).await;
    assert_eq!(
        (status, again["duplicate"].as_bool()),
        (StatusCode::OK, Some(true))
    );

    // The physician sees who paged, the patient and the callback.
    let held = inbox(&app, &w.p2.1).await;
    let alert = &held["alerts"][0];
    assert_eq!(alert["sender_name"], "Dr. nurse@example.org");
    assert_eq!(alert["callback"], "x4410");
    assert_eq!(alert["source"], "page");
    let id = alert["id"].as_i64().unwrap();
    let r = bearer(
        &w.p2.1,
        Method::POST,
        &app.url(&format!("/api/v1/alerts/{id}/acknowledge")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let pages = my_pages(&app, &w.nurse).await;
    assert_eq!(pages[0]["status"], "acknowledged");
    assert_eq!(
        pages[0]["status_text"],
        "Acknowledged by Dr. p2@example.org"
    );
    // The nurse may read the timeline of her own page; another clinician may not.
    let timeline: Value = bearer(
        &w.nurse,
        Method::GET,
        &app.url(&format!("/api/v1/alerts/{id}/timeline")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let kinds: Vec<&str> = timeline["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["received", "routed", "acknowledged"]);
    let other = app.user("other@example.org", &[Role::Clinician]).await;
    store
        .set_membership(other, Some(w.org), None)
        .await
        .unwrap();
    let other_token = app.token("other@example.org").await;
    let r = bearer(
        &other_token,
        Method::GET,
        &app.url(&format!("/api/v1/alerts/{id}/timeline")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The policy decides who may choose stat: billing may not; a role-less account pages nobody.
    store.set_team(other, "billing").await.unwrap();
    let (status, problem) = send_page(
        &app,
        &other_token,
        json!({ "recipient": w.p1.0.to_string(), "urgency": "stat", "message": "Need a signature" }),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("urgency"))
    );
    let (status, routine) = send_page(
        &app,
        &other_token,
        json!({ "recipient": w.p1.0.to_string(), "urgency": "routine", "message": "Need a signature" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{routine}");
    assert_eq!(
        routine["page"]["alert"]["delivery"], "queue",
        "routine pages wait for a digest"
    );
    assert_eq!(routine["page"]["status"], "waiting");
    let bare = app.user("bare@example.org", &[]).await;
    store.set_membership(bare, Some(w.org), None).await.unwrap();
    let bare_token = app.token("bare@example.org").await;
    let (status, _) = send_page(
        &app,
        &bare_token,
        json!({ "recipient": "oncall:medicine", "urgency": "routine", "message": "hello" }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, problem) = send_page(
        &app,
        &w.nurse,
        json!({ "recipient": "oncall:medicine", "urgency": "urgent", "message": " ", "callback": "call me" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "callback");
}

#[tokio::test]
async fn escalation_is_told_in_the_open_and_the_first_physician_keeps_the_alert() {
    escalation_in_the_open(&spawn_app().await).await;
}

async fn escalation_in_the_open(app: &TestApp) {
    let w = ward(app).await;
    // A critical result for the day physician p1, unacknowledged: after 5 minutes it goes on.
    let (_, a) = post_alert(
        app,
        &w.feed,
        alert("critical_lab", "urgent", &w.p1.0.to_string(), "ESC-1"),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    app.clock.advance(6 * MINUTE);
    assert_eq!(
        huddle_server::actions::routing::escalate_due(app.state())
            .await
            .unwrap(),
        1
    );
    // The backup is told it is an escalation, from whom and after how long.
    let backup = inbox(app, &w.p2.1).await;
    let moved = &backup["alerts"][0];
    assert_eq!(moved["id"], id);
    assert_eq!(
        moved["why"],
        "Escalated from Dr. p1@example.org after 6 minutes unacknowledged (step 1)."
    );
    // The first physician still has it, marked as escalated to the backup.
    let first = inbox(app, &w.p1.1).await;
    let kept = first["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(kept["moved"]["to"], w.p2.0);
    assert_eq!(kept["delivered_to"], w.p2.0);
    // Only the holder acknowledges.
    let r = bearer(
        &w.p1.1,
        Method::POST,
        &app.url(&format!("/api/v1/alerts/{id}/acknowledge")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = bearer(
        &w.p2.1,
        Method::POST,
        &app.url(&format!("/api/v1/alerts/{id}/acknowledge")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    // The timeline tells the whole story, to both of them.
    for token in [&w.p1.1, &w.p2.1] {
        let t: Value = bearer(
            token,
            Method::GET,
            &app.url(&format!("/api/v1/alerts/{id}/timeline")),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
        let texts: Vec<&str> = t["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["text"].as_str().unwrap())
            .collect();
        assert!(
            texts[0].starts_with("Received from Core lab and EHR"),
            "{texts:?}"
        );
        assert!(
            texts[1].starts_with("Routed to Dr. p1@example.org as an interrupt"),
            "{texts:?}"
        );
        assert_eq!(
            texts[2],
            "Escalated from Dr. p1@example.org to Dr. p2@example.org after 6 minutes unacknowledged (step 1)."
        );
        assert_eq!(
            texts[3],
            "Acknowledged by Dr. p2@example.org after 6 minutes."
        );
    }
    // The pages show it too.
    let p1 = Browser::login(app, "p1@example.org").await;
    let html = p1
        .send(Method::GET, &app.url("/alerts"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Escalated to Dr. p2@example.org"), "{html}");
    let html = p1
        .send(Method::GET, &app.url(&format!("/alerts/{id}")), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("after 6 minutes unacknowledged"));
}

#[tokio::test]
async fn the_physician_role_comes_only_from_a_verifiers_approval() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let store = &app.state().store;
    let nurse = store
        .user_by_email(&huddle_core::identity::Email::parse("nurse@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    let r = bearer(
        &w.nurse,
        Method::POST,
        &app.url("/api/v1/verification"),
        Some(
            json!({ "npi": "1234567893", "license_state": "MA", "license_number": "RN-1",
            "specialty_code": "207R00000X" }),
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let request: Value = r.json().await.unwrap();
    // Still no physician: not a recipient of alerts or pages.
    assert!(!store
        .user(nurse.id)
        .await
        .unwrap()
        .unwrap()
        .roles
        .has(Role::Physician));
    let (status, problem) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", &nurse.id.to_string(), "V-1"),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("recipient"))
    );
    // A verifier approves: now they are.
    app.user("verifier@example.org", &[Role::Verifier]).await;
    let verifier = app.token("verifier@example.org").await;
    let r = bearer(
        &verifier,
        Method::POST,
        &app.url(&format!("/api/v1/verification/{}/decision", request["id"])),
        Some(json!({ "approve": true })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    assert!(store
        .user(nurse.id)
        .await
        .unwrap()
        .unwrap()
        .roles
        .has(Role::Physician));
}

#[tokio::test]
async fn a_nurse_home_shows_page_first_and_the_page_form_sends() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let _ = register_feed;
    let store = &app.state().store;
    let nurse_id = store
        .user_by_email(&huddle_core::identity::Email::parse("nurse@example.org").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    store.set_team(nurse_id, "nursing").await.unwrap();
    let nurse = Browser::login(&app, "nurse@example.org").await;
    let home = nurse
        .send(Method::GET, &app.url("/"), None)
        .await
        .text()
        .await
        .unwrap();
    let page_at = home.find("id=\"page-card\"").expect("a Page card");
    assert!(page_at < home.find("Messages</header>").unwrap());
    let form = nurse
        .send(Method::GET, &app.url("/page"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("Medicine on call"));
    assert!(form.contains("value=\"stat\""));
    let r = nurse
        .client
        .post(app.url("/page"))
        .form(&[
            ("csrf_token", nurse.csrf.clone().unwrap().as_str()),
            ("recipient", "oncall:medicine"),
            ("urgency", "urgent"),
            ("message", "Please call about bed 4 (synthetic)"),
            ("patient", "Bed 4"),
            ("callback", "4410"),
            ("client_id", "form-1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let list = nurse
        .send(Method::GET, &app.url("/page/sent"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("Delivered to Dr. p2@example.org, not yet acknowledged"),
        "{list}"
    );
    assert_eq!(
        inbox(&app, &w.p2.1).await["alerts"][0]["text"],
        "Please call about bed 4 (synthetic)"
    );
}

#[tokio::test]
async fn an_interface_engine_that_reuses_control_ids_loses_no_result() {
    let app = spawn_app_with(|c| {
        c.hl7.bind = Some("127.0.0.1:0".into());
    })
    .await;
    let w = ward(&app).await;
    let addr = app.running.hl7_addr.unwrap();
    // After two restarts the engine counts from 1 again: three control ids, each used for
    // three different results (other patients, other analytes), all on one connection.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut acks = Vec::new();
    for restart in 0..3 {
        for n in 1..=3 {
            let message = ORU
                .replace("MSG00001", &format!("{n}"))
                .replace("SYN123456", &format!("SYN-{restart}-{n}"))
                .replace("||6.9|", &format!("||{}.{}|", 6 + restart, n));
            stream
                .write_all(&huddle_core::routing::hl7::frame(&message))
                .await
                .unwrap();
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            let ack = loop {
                let got = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk))
                    .await
                    .unwrap()
                    .unwrap();
                assert!(got > 0, "the listener closed without an ACK");
                buffer.extend_from_slice(&chunk[..got]);
                if let Some(frame) = huddle_core::routing::hl7::take_frames(&mut buffer).pop() {
                    break String::from_utf8(frame).unwrap();
                }
            };
            acks.push(ack);
        }
    }
    assert!(acks.iter().all(|a| a.contains("\rMSA|AA|")), "{acks:?}");
    // Every AA is a stored result: nine alerts, six of them flagged as reusing an id.
    let alerts = inbox(&app, &w.p2.1).await;
    let alerts = alerts["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 9);
    assert_eq!(
        alerts.iter().filter(|a| a["conflict_of"].is_i64()).count(),
        6
    );
    let patients: std::collections::HashSet<&str> = alerts
        .iter()
        .map(|a| a["patient"].as_str().unwrap())
        .collect();
    assert_eq!(patients.len(), 9);
}
