//! Alerts over the API: intake, interrupts on the live socket, digests, answers,
//! escalation, and the policy and shifts that drive them.

use std::time::Duration;

use futures_util::StreamExt;
use huddle_core::clock::{format_rfc3339, Clock, HOUR, MINUTE};
use huddle_core::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;

pub struct Ward {
    pub org: i64,
    pub admin: String,
    pub nurse: String,
    /// The integration credential of the ward's registered feed (lab and EHR, HL7 LAB^GENHOSP).
    pub feed: String,
    /// p1 works the day shift, p2 is on call; both on medicine.
    pub p1: (i64, String),
    pub p2: (i64, String),
}

pub async fn ward(app: &TestApp) -> Ward {
    let store = &app.state().store;
    let org = store
        .create_organization("General Hospital", 0)
        .await
        .unwrap()
        .id;
    let mut people = Vec::new();
    for (email, role) in [
        ("admin@example.org", Role::OrgAdmin),
        ("nurse@example.org", Role::Clinician),
        ("p1@example.org", Role::Physician),
        ("p2@example.org", Role::Physician),
    ] {
        let id = app.user(email, &[role]).await;
        store.set_membership(id, Some(org), None).await.unwrap();
        people.push((id, app.token(email).await));
    }
    let now = app.clock.now();
    let (start, end) = (format_rfc3339(now - HOUR), format_rfc3339(now + 11 * HOUR));
    let csv = format!(
        "email,service,role,start,end\np1@example.org,medicine,day,{start},{end}\np2@example.org,medicine,oncall,{start},{end}\n"
    );
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/organizations/{org}/shifts")))
        .bearer_auth(&people[0].1)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["imported"], 2);
    let feed = register_feed(app, org, &people[0].1).await;
    let mut it = people.into_iter();
    let (_, admin) = it.next().unwrap();
    let (_, nurse) = it.next().unwrap();
    Ward {
        org,
        admin,
        nurse,
        feed,
        p1: it.next().unwrap(),
        p2: it.next().unwrap(),
    }
}

/// The organization's admin registers its lab and EHR feed; returns its credential.
pub async fn register_feed(app: &TestApp, org: i64, admin: &str) -> String {
    let r = bearer(
        admin,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{org}/integrations")),
        Some(json!({
            "name": "Core lab and EHR", "sources": "lab, ehr",
            "kinds": "critical_lab, abnormal_lab, inbasket_result, sepsis_alert, consult_request",
            "hl7_application": "LAB", "hl7_facility": "GENHOSP",
        })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["integration"]["name"], "Core lab and EHR");
    body["credential"].as_str().unwrap().to_string()
}

pub fn alert(category: &str, priority: &str, recipient: &str, source_id: &str) -> Value {
    json!({
        "source": "lab", "source_id": source_id, "category": category, "priority": priority,
        "service": "medicine", "recipient": recipient, "patient": "MRN-SYN-0042",
        "text": "Potassium 6.9 mmol/L (synthetic)",
    })
}

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next live event of this type (others are skipped); fails after 5 s of silence.
pub async fn next_event(ws: &mut Socket, kind: &str) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a live event within 5 s");
        let text = match message {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(frame))) => panic!("the socket closed before {kind}: {frame:?}"),
            Some(Ok(_)) => continue,
            Some(Err(e)) => panic!("the socket failed before {kind}: {e}"),
            None => panic!("the socket ended before {kind}"),
        };
        let v: Value = serde_json::from_str(&text).unwrap();
        if v["type"] == kind {
            return v;
        }
    }
}

pub async fn post_alert(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let r = bearer(token, Method::POST, &app.url("/api/v1/alerts"), Some(body)).await;
    (r.status(), r.json().await.unwrap())
}

pub async fn inbox(app: &TestApp, token: &str) -> Value {
    bearer(token, Method::GET, &app.url("/api/v1/alerts"), None)
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_critical_alert_interrupts_at_once_and_a_routine_one_waits_for_its_digest() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let socket = format!(
        "{}/api/v1/live?token={}",
        app.base.replace("http://", "ws://"),
        w.p2.1
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(&socket).await.unwrap();

    // A role page for a critical result goes to the physician on call, now.
    let (status, critical) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "K-1"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{critical}");
    assert_eq!(critical["delivery"], "interrupt");
    assert_eq!(critical["delivered_to"], w.p2.0);
    assert!(critical["why"]
        .as_str()
        .unwrap()
        .contains("always interrupts"));
    let event = next_event(&mut ws, "alert.interrupt").await;
    assert_eq!(event["alert"]["id"], critical["id"]);
    assert_eq!(event["alert"]["text"], "Potassium 6.9 mmol/L (synthetic)");

    // The sender's retry is the same alert.
    let (status, again) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "K-1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], critical["id"]);

    // A routine abnormal result for p1 waits for a digest within policy.
    let (status, routine) = post_alert(
        &app,
        &w.feed,
        alert("abnormal_lab", "routine", &w.p1.0.to_string(), "A-1"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{routine}");
    assert_eq!(routine["delivery"], "queue");
    // The decision records what it weighed.
    let inputs = &routine["reason"]["inputs"];
    assert_eq!(
        inputs["max_delay_s"],
        6 * 3600,
        "the starting policy's limit"
    );
    assert!(inputs["static_slot_at"].as_i64().is_some());
    assert!(inputs["p_needed"].as_f64().is_some());
    assert_eq!(
        critical["reason"]["inputs"]["max_delay_s"],
        Value::Null,
        "critical: no limit to weigh"
    );
    let wait = routine["deliver_at"].as_i64().unwrap() - app.clock.now();
    assert!(wait > 0 && wait <= 6 * HOUR, "waits {wait} ms");
    let before = inbox(&app, &w.p1.1).await;
    assert_eq!(before["alerts"].as_array().unwrap().len(), 0);
    assert_eq!(before["upcoming"], 1);
    let p1_socket = socket.replace(&w.p2.1, &w.p1.1);
    let (mut p1_ws, _) = tokio_tungstenite::connect_async(&p1_socket).await.unwrap();
    let since = app.clock.now();
    app.clock.advance(wait);
    huddle_server::actions::routing::announce_digests(app.state(), since)
        .await
        .unwrap();
    let digest = next_event(&mut p1_ws, "alert.digest").await;
    assert_eq!(digest["alert"]["id"], routine["id"]);
    let after = inbox(&app, &w.p1.1).await;
    assert_eq!(after["alerts"][0]["id"], routine["id"]);
    assert_eq!(after["upcoming"], 0);

    // The alert's text never reaches the database in plaintext.
    let dump = std::fs::read(
        app.state()
            .config
            .database
            .resolved_url()
            .trim_start_matches("sqlite://"),
    )
    .unwrap();
    assert!(!dump
        .windows(b"Potassium 6.9".len())
        .any(|w| w == b"Potassium 6.9"));
}

#[tokio::test]
async fn an_unacknowledged_interrupt_escalates_once_and_an_answer_stops_it() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let (_, a) = post_alert(
        &app,
        &w.feed,
        alert("sepsis_alert", "urgent", "oncall:medicine", "S-1"),
    )
    .await;
    assert_eq!(a["delivered_to"], w.p2.0);
    let id = a["id"].as_i64().unwrap();
    let escalate = || huddle_server::actions::routing::escalate_due(app.state());

    // The background job may get there first: what matters is the alert's state.
    let step = |app: &TestApp| {
        let store = app.state().store.clone();
        async move { store.alert(id).await.unwrap().unwrap().escalation_step }
    };
    escalate().await.unwrap();
    assert_eq!(step(&app).await, 0, "not due before 5 minutes");
    app.clock.advance(5 * MINUTE + 1000);
    escalate().await.unwrap();
    escalate().await.unwrap();
    assert_eq!(step(&app).await, 1, "one escalation per rung");
    let moved: Value = bearer(
        &w.p1.1,
        Method::GET,
        &app.url(&format!("/api/v1/alerts/{id}")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(moved["delivered_to"], w.p1.0, "the backup gets it");
    assert_eq!(moved["escalation_step"], 1);

    // The physician it left can no longer answer it; the one who has it can.
    let r = bearer(
        &w.p2.1,
        Method::POST,
        &app.url(&format!("/api/v1/alerts/{id}/answer")),
        Some(json!({ "outcome": "acted" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = bearer(
        &w.p1.1,
        Method::POST,
        &app.url(&format!("/api/v1/alerts/{id}/answer")),
        Some(json!({ "outcome": "acted", "correction": "sooner" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["state"], "acted");
    app.clock.advance(HOUR);
    assert_eq!(
        escalate().await.unwrap(),
        0,
        "answered alerts never escalate"
    );

    let audit = app.state().store.audit_entries(0, 500).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "alert_escalated"));
}

#[tokio::test]
async fn the_policy_is_versioned_audited_and_edited_by_administrators_only() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let url = app.url(&format!("/api/v1/organizations/{}/routing-policy", w.org));
    let start: Value = bearer(&w.admin, Method::GET, &url, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(start["versions"], json!([]));
    assert_eq!(
        start["policy"]["categories"]["nurse_clinical"]["max_delay_s"],
        600
    );

    let mut policy = start["policy"].clone();
    policy["categories"]["abnormal_lab"]["max_delay_s"] = json!(999_999_999);
    let r = bearer(&w.admin, Method::PUT, &url, Some(policy.clone())).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("policy")).await;

    policy["categories"]["abnormal_lab"]["max_delay_s"] = json!(1800);
    let r = bearer(&w.admin, Method::PUT, &url, Some(policy.clone())).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 1);
    let r = bearer(&w.nurse, Method::PUT, &url, Some(policy.clone())).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = bearer(&w.p1.1, Method::GET, &url, None).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The new limit is in force at once: an abnormal result waits at most 30 minutes.
    let (_, a) = post_alert(
        &app,
        &w.feed,
        alert("abnormal_lab", "routine", &w.p1.0.to_string(), "A-9"),
    )
    .await;
    assert!(
        a["deliver_at"].as_i64().unwrap() - app.clock.now() <= 30 * MINUTE,
        "{a}"
    );
    let audit = app.state().store.audit_entries(0, 500).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "routing_policy_changed"));
}

#[tokio::test]
async fn bad_alerts_and_schedules_are_refused_by_field() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let mut bad = alert("critical_lab", "whenever", "oncall:medicine", "B-1");
    let (status, problem) = post_alert(&app, &w.feed, bad.clone()).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("priority"))
    );
    bad["priority"] = json!("stat");
    bad["recipient"] = json!("nobody");
    let (status, problem) = post_alert(&app, &w.feed, bad.clone()).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("recipient"))
    );
    bad["recipient"] = json!("oncall:dermatology");
    let (status, problem) = post_alert(&app, &w.feed, bad.clone()).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nobody of that service is scheduled: {problem}"
    );
    bad["recipient"] = json!("oncall:medicine");
    bad["text"] = json!("  ");
    let (status, problem) = post_alert(&app, &w.feed, bad.clone()).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("text"))
    );
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/alerts"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let shifts = app.url(&format!("/api/v1/organizations/{}/shifts", w.org));
    let csv = |body: &'static str| {
        reqwest::Client::new()
            .post(&shifts)
            .bearer_auth(&w.admin)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    assert_problem(
        csv("who,when\n").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("csv"),
    )
    .await;
    let r = csv(
        "email,service,role,start,end\np1@example.org,medicine,day,tomorrow,2026-01-01T00:00Z\n",
    )
    .await
    .unwrap();
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("shifts[0].start")).await;
    let r = csv("email,service,role,start,end\nnurse@example.org,medicine,day,2026-01-01T00:00Z,2026-01-01T08:00Z\n").await.unwrap();
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("shifts[0].email")).await;
    let r = bearer(&w.nurse, Method::POST, &shifts, Some(json!([]))).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The schedule survived every refused import.
    let listed: Value = bearer(&w.p1.1, Method::GET, &shifts, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_alert_page_explains_each_alert_and_takes_answers_without_javascript() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let (_, a) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "K-7"),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    let browser = Browser::login(&app, "p2@example.org").await;
    let page = browser
        .client
        .get(app.url("/alerts"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Potassium 6.9 mmol/L (synthetic)"));
    assert!(page.contains("always interrupts"), "the reason is shown");
    assert!(
        page.contains("id=\"alert-banner\""),
        "physicians get the live banner"
    );
    let csrf = browser.csrf.clone().unwrap();
    let r = browser
        .client
        .post(app.url(&format!("/alerts/{id}/answer")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("outcome", "dismissed"),
            ("correction", "later"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let stored = app.state().store.alert(id).await.unwrap().unwrap();
    assert_eq!(
        (stored.state.as_str(), stored.correction.as_deref()),
        ("dismissed", Some("later"))
    );

    // Someone else's alert cannot be answered from their session.
    let nurse = Browser::login(&app, "nurse@example.org").await;
    let r = nurse
        .client
        .post(app.url(&format!("/alerts/{id}/answer")))
        .form(&[
            ("csrf_token", nurse.csrf.clone().unwrap().as_str()),
            ("outcome", "acted"),
            ("correction", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

pub const ORU: &str =
    "MSH|^~\\&|LAB|GENHOSP|HUDDLE|GENHOSP|20261122184000||ORU^R01|MSG00001|P|2.5\r\
PID|1||SYN123456^^^GENHOSP^MR||TEST^PATIENT\r\
PV1|1|I|4W^401^1|||||||MEDICINE\r\
OBX|1|NM|2823-3^Potassium^LN||6.9|mmol/L|3.5-5.1|HH|||F\r";

pub async fn mllp(addr: std::net::SocketAddr, message: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(&huddle_core::routing::hl7::frame(message))
        .await
        .unwrap();
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0, "the listener closed without an ACK");
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(frame) = huddle_core::routing::hl7::take_frames(&mut buffer).pop() {
            return String::from_utf8(frame).unwrap();
        }
    }
}

#[tokio::test]
async fn hl7_results_over_mllp_are_routed_before_the_ack_and_refusals_say_why() {
    let app = spawn_app_with(|c| {
        c.hl7.bind = Some("127.0.0.1:0".into());
    })
    .await;
    let w = ward(&app).await;
    assert_eq!(w.org, 1);
    let addr = app.running.hl7_addr.unwrap();

    let ack = mllp(addr, ORU).await;
    assert!(ack.contains("\rMSA|AA|MSG00001\r"), "{ack}");
    let alerts = inbox(&app, &w.p2.1).await;
    let first = &alerts["alerts"][0];
    assert_eq!(first["category"], "critical_lab");
    assert_eq!(first["delivery"], "interrupt");
    assert_eq!(first["patient"], "SYN123456");
    assert_eq!(first["text"], "Potassium 6.9 mmol/L (HH)");

    // The interface engine resends: acknowledged again, stored once.
    assert!(mllp(addr, ORU).await.contains("MSA|AA|MSG00001"));
    let again = inbox(&app, &w.p2.1).await;
    assert_eq!(again["alerts"].as_array().unwrap().len(), 1);

    let adt = mllp(addr, &ORU.replace("ORU^R01", "ADT^A01")).await;
    assert!(
        adt.contains("MSA|AE|MSG00001|only ORU R01 results are accepted"),
        "{adt}"
    );
    let nobody = mllp(
        addr,
        &ORU.replace("MEDICINE", "DERM").replace("MSG00001", "MSG2"),
    )
    .await;
    assert!(
        nobody.contains("MSA|AE|MSG2|recipient: nobody of this service"),
        "{nobody}"
    );
}

#[tokio::test]
async fn fhir_communication_requests_are_alerts_with_fhir_priorities() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let request = |priority: &str, id: &str, recipient: String| {
        json!({
            "resourceType": "CommunicationRequest",
            "identifier": [{ "system": "urn:example:ehr", "value": id }],
            "status": "active",
            "priority": priority,
            "category": [{ "coding": [{ "code": "consult_request" }] }],
            "subject": { "reference": "Patient/SYN-77" },
            "recipient": [{ "reference": recipient }],
            "payload": [{ "contentString": "Please see bed 12 today (synthetic)" }],
            "extension": [{ "url": "https://huddle.health/fhir/StructureDefinition/service", "valueString": "medicine" }],
        })
    };
    let url = app.url("/fhir/CommunicationRequest");
    let r = bearer(
        &w.feed,
        Method::POST,
        &url,
        Some(request(
            "stat",
            "CR-1",
            "PractitionerRole/oncall-medicine".into(),
        )),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["resourceType"], "CommunicationRequest");
    assert!(created["note"][0]["text"]
        .as_str()
        .unwrap()
        .contains("stat"));
    let id: i64 = created["id"].as_str().unwrap().parse().unwrap();
    let stored = app.state().store.alert(id).await.unwrap().unwrap();
    assert_eq!(
        (stored.delivery.as_str(), stored.delivered_to),
        ("interrupt", w.p2.0),
        "stat interrupts"
    );

    let r = bearer(
        &w.feed,
        Method::POST,
        &url,
        Some(request(
            "routine",
            "CR-2",
            format!("Practitioner/{}", w.p1.0),
        )),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let routine: Value = r.json().await.unwrap();
    let stored = app
        .state()
        .store
        .alert(routine["id"].as_str().unwrap().parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.delivery.as_str(), stored.delivered_to),
        ("queue", w.p1.0)
    );

    let mut bad = request("whenever", "CR-3", "Device/7".into());
    let r = bearer(&w.feed, Method::POST, &url, Some(bad.clone())).await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("recipient[0].reference"),
    )
    .await;
    bad["recipient"][0]["reference"] = json!("PractitionerRole/oncall-medicine");
    let r = bearer(&w.feed, Method::POST, &url, Some(bad)).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("priority")).await;
}

#[tokio::test]
async fn an_icalendar_on_call_export_becomes_the_schedule() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let now = app.clock.now();
    let ical = |t: i64| format_rfc3339(t).replace(['-', ':'], "");
    let calendar = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Cardiology on call\r\nCATEGORIES:Cardiology\r\n\
DTSTART:{}\r\nDTEND:{}\r\nATTENDEE:mailto:p1@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ical(now - HOUR),
        ical(now + 11 * HOUR)
    );
    let post = |body: String| {
        reqwest::Client::new()
            .post(app.url(&format!("/api/v1/organizations/{}/shifts", w.org)))
            .bearer_auth(&w.admin)
            .header("content-type", "text/calendar")
            .body(body)
            .send()
    };
    let r = post(calendar.clone()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // A cardiology page now reaches p1, on call from the calendar.
    let mut page = alert("critical_lab", "urgent", "oncall:cardiology", "C-1");
    page["service"] = json!("cardiology");
    let (status, routed) = post_alert(&app, &w.feed, page).await;
    assert_eq!(status, StatusCode::CREATED, "{routed}");
    assert_eq!(routed["delivered_to"], w.p1.0);
    let (_, medicine) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "C-2"),
    )
    .await;
    assert_eq!(
        medicine["delivered_to"], w.p2.0,
        "the medicine schedule is untouched"
    );

    let r = post(
        calendar
            .replace("DTSTART:", "DTSTART;TZID=Mars/Olympus:")
            .replace("Z\r\nDTEND", "\r\nDTEND"),
    )
    .await
    .unwrap();
    let problem = assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("calendar")).await;
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("event 1: DTSTART: TZID \"Mars/Olympus\" is not a known time zone"));
}

#[tokio::test]
async fn schedules_are_entered_and_shown_in_the_organizations_local_time() {
    use huddle_core::clock::Zone;
    let app = spawn_app().await;
    let w = ward(&app).await;
    let store = &app.state().store;
    let ny = Zone::parse("America/New_York").unwrap();
    let zone_url = app.url(&format!("/api/v1/organizations/{}/time-zone", w.org));
    let r = bearer(
        &w.admin,
        Method::PUT,
        &zone_url,
        Some(json!({ "time_zone": "Mars/Olympus" })),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("time_zone")).await;
    let r = bearer(
        &w.nurse,
        Method::PUT,
        &zone_url,
        Some(json!({ "time_zone": "UTC" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = bearer(
        &w.admin,
        Method::PUT,
        &zone_url,
        Some(json!({ "time_zone": "America/New_York" })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let seen: Value = bearer(&w.p1.1, Method::GET, &zone_url, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["time_zone"], "America/New_York");

    // CSV: quoted fields, columns in another order, local times; the US fall-back night.
    let shifts = app.url(&format!("/api/v1/organizations/{}/shifts", w.org));
    let send = |content_type: &'static str, body: String| {
        reqwest::Client::new()
            .post(&shifts)
            .bearer_auth(&w.admin)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let csv = "start,end,email,service,role\r\n\
\"2026-10-31 19:00\",\"2026-11-01T07:00\",\"p1@example.org\",\"medicine\",night\r\n\
2026-11-01T07:00,2026-11-01T19:00:00-05:00,p2@example.org,medicine,day\r\n";
    let r = send("text/csv", csv.into()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    // Stored shifts from a local date on: local start and length in hours.
    let (zone, org) = (&ny, w.org);
    let spans = |from: &'static str, days: i64| async move {
        let from = zone.parse_local(from).unwrap();
        let stored = store
            .shifts(org, from, from + days * 24 * HOUR)
            .await
            .unwrap();
        stored
            .iter()
            .map(|s| (zone.format(s.starts_at), (s.ends_at - s.starts_at) / HOUR))
            .collect::<Vec<(String, i64)>>()
    };
    assert_eq!(
        spans("2026-10-31T18:00", 2).await,
        [
            ("2026-10-31 19:00 EDT".to_string(), 13),
            ("2026-11-01 07:00 EST".to_string(), 12)
        ]
    );
    // A comma inside quotes stays in its field (and is then refused by name, not misread).
    let r = send(
        "text/csv",
        "email,service,role,start,end\np1@example.org,\"medicine, nights\",night,2026-11-07T19:00,2026-11-08T07:00\n".into(),
    )
    .await
    .unwrap();
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("shifts[0].service"),
    )
    .await;

    // iCalendar: floating times are the organization's; a weekly rule over spring-forward.
    let calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Medicine night\r\n\
CATEGORIES:medicine\r\nDTSTART:20270306T190000\r\nDTEND:20270307T070000\r\n\
RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=SA\r\nATTENDEE:mailto:p1@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let r = send("text/calendar", calendar.into()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    assert_eq!(
        spans("2027-03-06T00:00", 30).await,
        [
            ("2027-03-06 19:00 EST".to_string(), 12),
            // 2027-03-14 springs forward: 19:00 to 07:00 is 11 hours.
            ("2027-03-13 19:00 EST".to_string(), 11),
            ("2027-03-20 19:00 EDT".to_string(), 12),
        ]
    );

    // Pages show the viewer's local time with the zone's abbreviation.
    let now = app.clock.now();
    let admin = Browser::login(&app, "admin@example.org").await;
    let page = admin
        .page(&app.url(&format!("/admin/routing?org={}", w.org)))
        .await;
    assert!(page.contains(&ny.format(now - HOUR)), "{page}");
    // A person's own zone wins over the organization's.
    let me = app.url("/api/v1/me/time-zone");
    let r = bearer(
        &w.admin,
        Method::PUT,
        &me,
        Some(json!({ "time_zone": "Europe/Paris" })),
    )
    .await;
    let mine: Value = r.json().await.unwrap();
    assert_eq!(
        (mine["time_zone"].as_str(), mine["own"].as_str()),
        (Some("Europe/Paris"), Some("Europe/Paris"))
    );
    let paris = Zone::parse("Europe/Paris").unwrap();
    let page = admin
        .page(&app.url(&format!("/admin/routing?org={}", w.org)))
        .await;
    assert!(page.contains(&paris.format(now - HOUR)), "{page}");
    let account = admin.page(&app.url("/account")).await;
    assert!(
        account.contains("Times are shown in Europe/Paris"),
        "{account}"
    );
    let r = bearer(&w.admin, Method::PUT, &me, Some(json!({ "time_zone": "" }))).await;
    let mine: Value = r.json().await.unwrap();
    assert_eq!(mine["time_zone"], "America/New_York");
    assert!(mine.get("own").is_none());
}

#[tokio::test]
async fn administrators_see_the_interruption_burden_and_edit_policy_and_schedule_in_pages() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    for i in 0..3 {
        let (_, a) = post_alert(
            &app,
            &w.feed,
            alert(
                "critical_lab",
                "urgent",
                "oncall:medicine",
                &format!("R-{i}"),
            ),
        )
        .await;
        let id = a["id"].as_i64().unwrap();
        let outcome = if i == 0 { "acted" } else { "dismissed" };
        app.clock.advance(MINUTE);
        bearer(
            &w.p2.1,
            Method::POST,
            &app.url(&format!("/api/v1/alerts/{id}/answer")),
            Some(json!({ "outcome": outcome })),
        )
        .await;
    }
    let url = app.url(&format!(
        "/api/v1/organizations/{}/routing-report?days=7",
        w.org
    ));
    let report: Value = bearer(&w.admin, Method::GET, &url, None)
        .await
        .json()
        .await
        .unwrap();
    let medicine = &report["by_service"]["medicine"];
    assert_eq!(medicine["notifications"], 3);
    assert_eq!(medicine["shifts"], 2);
    assert_eq!(medicine["false_positive_share"], 0.67);
    assert_eq!(medicine["median_ack_s"], 60);
    assert_eq!(
        report["by_physician"][w.p2.0.to_string()]["notifications"],
        3
    );
    assert_eq!(
        bearer(&w.p1.1, Method::GET, &url, None).await.status(),
        StatusCode::FORBIDDEN
    );
    let r = bearer(
        &w.admin,
        Method::GET,
        &url.replace("days=7", "days=900"),
        None,
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("days")).await;

    // The page: the report, then a policy saved through the form.
    let admin = Browser::login(&app, "admin@example.org").await;
    let page = admin
        .client
        .get(app.url("/admin/routing"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Interruption burden"), "{page}");
    assert!(page.contains("0.67"));
    let csrf = admin.csrf.clone().unwrap();
    let r = admin
        .client
        .post(app.url(&format!("/admin/routing/policy?org={}", w.org)))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name_0", "abnormal_lab"),
            ("minutes_0", "45"),
            ("name_1", "code_stroke"),
            ("minutes_1", "10"),
            ("always_1", "on"),
            ("escalation", "5, 10"),
            ("team_digests", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (policy, _) = huddle_server::actions::routing::policy(app.state(), w.org)
        .await
        .unwrap();
    assert_eq!(policy.categories["abnormal_lab"].max_delay_s, 45 * 60);
    assert!(policy.is_critical_kind("code_stroke"));
    assert_eq!(policy.escalation_s, vec![300, 600]);
    let r = admin
        .client
        .post(app.url(&format!("/admin/routing/policy?org={}", w.org)))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name_0", "abnormal_lab"),
            ("minutes_0", "soon"),
            ("escalation", ""),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        r.contains("whole number of minutes"),
        "a bad form is shown again with the reason"
    );

    // A pasted schedule with a mistake is refused with the line's field; nothing changes.
    let r = admin
        .client
        .post(app.url(&format!("/admin/routing/schedule?org={}", w.org)))
        .form(&[
            ("csrf_token", csrf.as_str()),
            (
                "schedule",
                "email,service,role,start,end\np1@example.org,medicine,day,later,never",
            ),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(r.contains("shifts[0].start"), "{r}");
    let nurse = Browser::login(&app, "nurse@example.org").await;
    let r = nurse
        .client
        .get(app.url("/admin/routing"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn presence_follows_the_schedule_unless_set_by_hand() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let (_, c) = {
        let r = bearer(
            &w.nurse,
            Method::POST,
            &app.url("/api/v1/conversations"),
            Some(json!({ "kind": "group", "members": [w.p1.0, w.p2.0], "name": "4 West" })),
        )
        .await;
        (r.status(), r.json::<Value>().await.unwrap())
    };
    let detail = app.url(&format!("/api/v1/conversations/{}", c["id"]));
    let status_of = |v: &Value, id: i64| {
        v["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user_id"] == id)
            .unwrap()
            .clone()
    };
    let on: Value = bearer(&w.nurse, Method::GET, &detail, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status_of(&on, w.p1.0)["status"], "available", "on shift");
    // Twelve hours later both shifts have ended.
    app.clock.advance(12 * HOUR);
    let off: Value = bearer(&w.nurse, Method::GET, &detail, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status_of(&off, w.p1.0)["status"], "off_duty");
    assert!(status_of(&off, w.p1.0)["message"]
        .as_str()
        .unwrap()
        .contains("from the schedule"));
    // A status set by hand wins.
    bearer(
        &w.p1.1,
        Method::PUT,
        &app.url("/api/v1/me/status"),
        Some(json!({ "status": "busy", "message": "In a procedure" })),
    )
    .await;
    let busy: Value = bearer(&w.nurse, Method::GET, &detail, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status_of(&busy, w.p1.0)["status"], "busy");
    assert_eq!(
        status_of(&busy, w.p2.0)["status"],
        "off_duty",
        "p2's shift ended too"
    );
}

#[tokio::test]
async fn the_ladder_ends_with_the_service_lead() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let lead = app.user("lead@example.org", &[Role::Physician]).await;
    let url = app.url(&format!("/api/v1/organizations/{}/routing-policy", w.org));
    let mut policy = bearer(&w.admin, Method::GET, &url, None)
        .await
        .json::<Value>()
        .await
        .unwrap()["policy"]
        .clone();
    policy["service_leads"] = json!({ "medicine": lead });
    let r = bearer(&w.admin, Method::PUT, &url, Some(policy.clone())).await;
    let problem = assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("policy")).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("service_leads.medicine"),
        "not yet of this organization"
    );
    app.state()
        .store
        .set_membership(lead, Some(w.org), None)
        .await
        .unwrap();
    assert_eq!(
        bearer(&w.admin, Method::PUT, &url, Some(policy))
            .await
            .status(),
        StatusCode::OK
    );

    let (_, a) = post_alert(
        &app,
        &w.feed,
        alert("sepsis_alert", "urgent", "oncall:medicine", "L-1"),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    let holder = |app: &TestApp| {
        let store = app.state().store.clone();
        async move { store.alert(id).await.unwrap().unwrap().delivered_to }
    };
    assert_eq!(holder(&app).await, w.p2.0, "primary: on call");
    app.clock.advance(5 * MINUTE + 1000);
    huddle_server::actions::routing::escalate_due(app.state())
        .await
        .unwrap();
    assert_eq!(holder(&app).await, w.p1.0, "5 minutes: the backup on shift");
    app.clock.advance(10 * MINUTE);
    huddle_server::actions::routing::escalate_due(app.state())
        .await
        .unwrap();
    assert_eq!(holder(&app).await, lead, "15 minutes: the service lead");
}

#[tokio::test]
async fn escalation_timers_survive_a_restart() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    let (_, a) = post_alert(
        &app,
        &w.feed,
        alert("critical_lab", "urgent", "oncall:medicine", "T-1"),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    let data = app.state().config.database.data_dir.clone();
    app.running.shutdown().await.unwrap();

    // A new process on the same database, six minutes later: the timer is still there.
    let again = spawn_app_with(|c| c.database.data_dir = data).await;
    again.clock.advance(6 * MINUTE);
    huddle_server::actions::routing::escalate_due(again.state())
        .await
        .unwrap();
    let moved = again.state().store.alert(id).await.unwrap().unwrap();
    assert_eq!((moved.escalation_step, moved.delivered_to), (1, w.p1.0));
}

#[tokio::test]
async fn at_shift_change_unanswered_alerts_go_to_whoever_takes_over() {
    let app = spawn_app().await;
    let w = ward(&app).await;
    // p1 is on a day shift, p2 on call; p1's routine result waits in p1's digest.
    let (_, a) = post_alert(
        &app,
        &w.feed,
        alert("abnormal_lab", "routine", &w.p1.0.to_string(), "H-1"),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    app.clock
        .advance(a["deliver_at"].as_i64().unwrap() - app.clock.now());
    let handover = || huddle_server::actions::routing::hand_over_due(app.state());
    assert_eq!(handover().await.unwrap(), 0, "p1 is still on shift");

    // The night: a new schedule where only p2 works; p1's shift has ended.
    let now = app.clock.now();
    let csv = format!(
        "email,service,role,start,end\np1@example.org,medicine,day,{},{}\np2@example.org,medicine,oncall,{},{}\n",
        format_rfc3339(now - 10 * HOUR), format_rfc3339(now - MINUTE),
        format_rfc3339(now - 10 * HOUR), format_rfc3339(now + 12 * HOUR),
    );
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/organizations/{}/shifts", w.org)))
        .bearer_auth(&w.admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The background job may hand it over first; either way it moves once.
    handover().await.unwrap();
    assert_eq!(handover().await.unwrap(), 0, "handed over once");
    let moved = app.state().store.alert(id).await.unwrap().unwrap();
    assert_eq!(moved.delivered_to, w.p2.0);
    let audit = app.state().store.audit_entries(0, 500).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "alert_handed_over"));
}
