//! Check-ins over FHIR, triage, privacy, export and erasure, and the resource hub.

use huddle_core::clock::DAY;
use huddle_core::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

/// A QuestionnaireResponse answering every scored item of `instrument` with the option
/// worth `score`, except the overrides.
fn response(
    instrument: &str,
    score: i64,
    overrides: &[(&str, i64)],
    checkin: Option<&str>,
) -> Value {
    let inst = huddle_core::wellbeing::instrument(instrument).unwrap();
    let items: Vec<Value> = inst
        .items
        .iter()
        .filter(|i| i.required)
        .map(|i| {
            let v = overrides
                .iter()
                .find(|(l, _)| *l == i.link_id)
                .map_or(score, |(_, v)| *v);
            json!({ "linkId": i.link_id, "answer": [{ "valueInteger": v }] })
        })
        .collect();
    let mut r = json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": format!("Questionnaire/{instrument}"),
        "status": "completed",
        "item": items,
    });
    if let Some(c) = checkin {
        r["identifier"] = json!({ "value": c });
    }
    r
}

async fn submit(b: &Browser, app: &TestApp, body: Value) -> reqwest::Response {
    b.send(
        Method::POST,
        &app.url("/fhir/QuestionnaireResponse"),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn instruments_are_served_as_fhir_questionnaires() {
    let app = spawn_app().await;
    app.user("c@example.org", &[Role::Clinician]).await;
    let b = Browser::login(&app, "c@example.org").await;
    let r = b
        .send(Method::GET, &app.url("/fhir/Questionnaire"), None)
        .await;
    assert_eq!(r.headers()["content-type"], "application/fhir+json");
    let bundle: Value = r.json().await.unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["total"], 8);
    let phq9: Value = b
        .send(Method::GET, &app.url("/fhir/Questionnaire/phq-9"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(phq9["code"][0]["code"], "44249-1");
    assert_eq!(phq9["item"][8]["linkId"], "phq9-9");
    assert_eq!(
        phq9["item"][8]["answerOption"][3]["valueCoding"]["code"],
        "LA6571-9"
    );
    assert_eq!(
        b.send(Method::GET, &app.url("/fhir/Questionnaire/mbi"), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_positive_screen_expands_and_item_nine_puts_crisis_help_first() {
    let app = spawn_app().await;
    let store = &app.state().store;
    let org = store.create_organization("Harbor", 0).await.unwrap();
    let c = app.user("c@example.org", &[Role::Clinician]).await;
    store.set_membership(c, Some(org.id), None).await.unwrap();
    store
        .set_urgent_contact(org.id, Some("Employee health 24/7: 555-0100"))
        .await
        .unwrap();
    let b = Browser::login(&app, "c@example.org").await;

    let r = submit(&b, &app, response("phq-2", 2, &[], None)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["scores"]["phq2"], 4.0);
    assert_eq!(first["bands"]["phq2"], "positive");
    assert_eq!(first["triage"]["level"], "self-care");
    let next: Vec<&str> = first["next"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        next.contains(&"phq-9")
            && next.contains(&"burnout-single-item")
            && !next.contains(&"gad-7"),
        "{next:?}"
    );
    let checkin = first["checkin"].as_str().unwrap().to_string();

    // Low total, but item 9 answered "several days".
    let r = submit(
        &b,
        &app,
        response("phq-9", 0, &[("phq9-9", 1)], Some(&checkin)),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let second: Value = r.json().await.unwrap();
    assert_eq!(second["scores"]["phq9"], 1.0);
    assert_eq!(second["bands"]["phq9"], "minimal");
    assert_eq!(second["triage"]["level"], "crisis");
    let titles: Vec<&str> = second["triage"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    let contacts: Vec<&str> = second["triage"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["contact"].as_str().unwrap())
        .collect();
    assert_eq!(titles[0], "Your organization's urgent contact");
    assert_eq!(contacts[0], "Employee health 24/7: 555-0100");
    assert!(
        titles[1..3].contains(&"988 Suicide & Crisis Lifeline"),
        "{titles:?}"
    );
    assert!(contacts.contains(&"1-888-409-0141"));

    // The results page shows crisis help above everything else.
    let page = b
        .client
        .get(app.url(&format!("/wellbeing/checkin/{checkin}/results")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let crisis = page.find("id=\"crisis-help\"").expect("crisis section");
    let results = page.find("id=\"results-heading\"").unwrap();
    assert!(crisis < results);
    assert!(
        page.contains("1-888-409-0141")
            && page.contains("Call or text 988")
            && page.contains("555-0100")
    );
}

#[tokio::test]
async fn moderate_depression_and_burnout_lead_to_their_help() {
    let app = spawn_app().await;
    app.user("c@example.org", &[Role::Physician]).await;
    let b = Browser::login(&app, "c@example.org").await;
    let r: Value = submit(&b, &app, response("gad-7", 2, &[], Some("visit-1")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (r["bands"]["gad7"].as_str(), r["triage"]["level"].as_str()),
        (Some("moderate"), Some("professional-care"))
    );
    let r: Value = submit(
        &b,
        &app,
        response("burnout-single-item", 3, &[], Some("visit-2")),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["triage"]["level"], "burnout-support");
    let titles = r["triage"]["resources"].to_string();
    assert!(
        titles.contains("Guide: cut documentation burden")
            && titles.contains("Professional coaching"),
        "{titles}"
    );
    let r = b
        .send(Method::POST, &app.url("/api/v1/wellbeing/mbi"), Some(json!({ "emotional_exhaustion": 30, "depersonalization": 4, "personal_accomplishment": 40 })))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r: Value = r.json().await.unwrap();
    assert_eq!(r["bands"]["mbi_burnout"], "burnout symptoms");
    let r = b
        .send(Method::POST, &app.url("/api/v1/wellbeing/mbi"), Some(json!({ "emotional_exhaustion": 60, "depersonalization": 4, "personal_accomplishment": 40 })))
        .await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("emotional_exhaustion"),
    )
    .await;
}

#[tokio::test]
async fn malformed_or_incomplete_responses_name_the_item() {
    let app = spawn_app().await;
    app.user("c@example.org", &[Role::Clinician]).await;
    let b = Browser::login(&app, "c@example.org").await;
    let mut missing = response("phq-9", 0, &[], None);
    missing["item"].as_array_mut().unwrap().remove(3);
    assert_problem(
        submit(&b, &app, missing).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("phq9-4"),
    )
    .await;
    let bad_value = response("gad-2", 0, &[("gad2-2", 7)], None);
    assert_problem(
        submit(&b, &app, bad_value).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("gad2-2"),
    )
    .await;
    let mut wrong_kind = response("gad-2", 0, &[], None);
    wrong_kind["resourceType"] = json!("Observation");
    assert_problem(
        submit(&b, &app, wrong_kind).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("resourceType"),
    )
    .await;
    let unknown = json!({ "resourceType": "QuestionnaireResponse", "questionnaire": "Questionnaire/mbi-items", "item": [] });
    assert_problem(
        submit(&b, &app, unknown).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("questionnaire"),
    )
    .await;
    let mut draft = response("gad-2", 0, &[], None);
    draft["status"] = json!("in-progress");
    assert_problem(
        submit(&b, &app, draft).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("status"),
    )
    .await;
    let mut two = response("gad-2", 0, &[], None);
    two["item"][0]["answer"] = json!([{ "valueInteger": 0 }, { "valueInteger": 1 }]);
    assert_problem(
        submit(&b, &app, two).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("gad2-1"),
    )
    .await;
    let r = b
        .client
        .post(app.url("/fhir/QuestionnaireResponse"))
        .header("x-csrf-token", b.csrf.clone().unwrap())
        .header("content-type", "application/fhir+json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_problem(r, StatusCode::BAD_REQUEST, None).await;
}

#[tokio::test]
async fn answers_are_the_clinicians_alone() {
    let app = spawn_app().await;
    let store = &app.state().store;
    let org = store.create_organization("Harbor", 0).await.unwrap();
    let c = app.user("c@example.org", &[Role::Clinician]).await;
    store.set_membership(c, Some(org.id), None).await.unwrap();
    let clinician = Browser::login(&app, "c@example.org").await;
    let marker = "privatemarker7f3a";
    let saved: Value = submit(&clinician, &app, response("phq-9", 3, &[], Some(marker)))
        .await
        .json()
        .await
        .unwrap();
    let id = saved["id"].as_i64().unwrap();
    let own: Value = clinician
        .send(
            Method::GET,
            &app.url(&format!("/fhir/QuestionnaireResponse/{id}")),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["identifier"]["value"], marker);

    for role in [Role::OrgAdmin, Role::WellbeingLead, Role::SystemAdmin] {
        let email = format!("{}@example.org", role.as_str());
        let uid = app.user(&email, &[role]).await;
        store.set_membership(uid, Some(org.id), None).await.unwrap();
        let b = Browser::login(&app, &email).await;
        let paths = [
            format!("/fhir/QuestionnaireResponse/{id}"),
            "/fhir/QuestionnaireResponse".to_string(),
            "/api/v1/wellbeing/export".to_string(),
            "/api/v1/audit?limit=500".to_string(),
            format!("/api/v1/organizations/{}/members", org.id),
            "/api/v1/me".to_string(),
            "/wellbeing".to_string(),
            "/wellbeing/trend".to_string(),
            "/wellbeing/data".to_string(),
            "/wellbeing/data/export".to_string(),
            format!("/wellbeing/checkin/{marker}/results"),
            "/admin".to_string(),
            "/admin/audit".to_string(),
            "/resources".to_string(),
            "/".to_string(),
            "/api/v1/auth/tokens".to_string(),
            "/api/v1/verification".to_string(),
            "/api/v1/verification/queue".to_string(),
            "/api/v1/organizations".to_string(),
            format!("/api/v1/organizations/{}/departments", org.id),
            "/api/v1/resources".to_string(),
            "/fhir/Questionnaire".to_string(),
            "/account".to_string(),
            "/verification".to_string(),
            "/verifier".to_string(),
            format!("/admin?org={}", org.id),
            "/metrics".to_string(),
        ];
        for path in &paths {
            let r = b.send(Method::GET, &app.url(path), None).await;
            let status = r.status();
            let body = r.text().await.unwrap();
            assert!(
                !body.contains(marker),
                "{role:?} saw the clinician's check-in at {path}"
            );
            assert!(!body.contains("\"phq9\""), "{role:?} saw a score at {path}");
            assert!(!status.is_server_error(), "{path}: {status}");
        }
        let r = b
            .send(
                Method::GET,
                &app.url(&format!("/fhir/QuestionnaireResponse/{id}")),
                None,
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{role:?}");
    }
    // The audit log knows a check-in happened, never what it said.
    for e in store.audit_entries(0, 1000).await.unwrap() {
        assert!(
            !e.detail.contains("phq") && !e.detail.contains(marker) && !e.detail.contains("LA65"),
            "{e:?}"
        );
    }
}

#[tokio::test]
async fn export_then_erase_leaves_no_trace() {
    let app = spawn_app().await;
    app.user("c@example.org", &[Role::Clinician]).await;
    let b = Browser::login(&app, "c@example.org").await;
    submit(&b, &app, response("phq-2", 1, &[], None)).await;
    submit(&b, &app, response("who-5", 2, &[], None)).await;
    let db = app
        .state()
        .config
        .database
        .resolved_url()
        .trim_start_matches("sqlite://")
        .to_string();
    let files = |db: &str| {
        let mut bytes = std::fs::read(db).unwrap();
        bytes.extend(std::fs::read(format!("{db}-wal")).unwrap_or_default());
        bytes
    };
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    let on_disk = files(&db);
    for plaintext in [
        &b"LA6569-3"[..],
        b"\"who5\"",
        b"phq9",
        b"good well-being",
        b"low well-being",
    ] {
        assert!(
            !contains(&on_disk, plaintext),
            "plaintext {:?} on disk",
            String::from_utf8_lossy(plaintext)
        );
    }
    let c = app
        .state()
        .store
        .user_by_email(&huddle_core::identity::Email::parse("c@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    let sealed: Vec<Vec<u8>> = app
        .state()
        .store
        .responses(c.id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.sealed)
        .collect();

    let r = b
        .send(Method::GET, &app.url("/api/v1/wellbeing/export"), None)
        .await;
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let bundle: Value = r.json().await.unwrap();
    assert_eq!(
        (bundle["type"].as_str(), bundle["total"].as_u64()),
        (Some("collection"), Some(2))
    );
    assert_eq!(
        bundle["entry"][0]["resource"]["resourceType"],
        "QuestionnaireResponse"
    );
    assert_eq!(
        bundle["entry"][1]["resource"]["questionnaire"],
        "https://huddle.example/fhir/Questionnaire/who-5"
    );

    let r: Value = b
        .send(Method::DELETE, &app.url("/api/v1/wellbeing/data"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["deleted"], 2);
    let list: Value = b
        .send(Method::GET, &app.url("/fhir/QuestionnaireResponse"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
    assert_eq!(
        app.state()
            .store
            .wrapped_key(huddle_core::keys::KeyOwner::Person(c.id))
            .await
            .unwrap(),
        None
    );
    let on_disk = files(&db);
    for s in &sealed {
        assert!(
            !contains(&on_disk, &s[13..45]),
            "ciphertext left on disk after erasure"
        );
    }
}

async fn due(app: &TestApp, b: &Browser) -> bool {
    let page = b
        .client
        .get(app.url("/wellbeing"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    page.contains("id=\"reminder-due\"")
}

#[tokio::test]
async fn reminders_come_due_at_the_chosen_cadence() {
    let app = spawn_app().await;
    app.user("c@example.org", &[Role::Clinician]).await;
    let b = Browser::login(&app, "c@example.org").await;
    assert!(!due(&app, &b).await, "no reminders unless asked");
    let r = b
        .send(
            Method::PUT,
            &app.url("/api/v1/wellbeing/reminder"),
            Some(json!({ "every_days": 7 })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(due(&app, &b).await, "never checked in");
    submit(&b, &app, response("phq-2", 0, &[], None)).await;
    assert!(!due(&app, &b).await);
    app.clock.advance(6 * DAY);
    let b = Browser::login(&app, "c@example.org").await;
    assert!(!due(&app, &b).await);
    app.clock.advance(DAY);
    let b = Browser::login(&app, "c@example.org").await;
    assert!(due(&app, &b).await);
    let r = b
        .send(
            Method::PUT,
            &app.url("/api/v1/wellbeing/reminder"),
            Some(json!({ "every_days": 3 })),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("every_days")).await;
}

#[tokio::test]
async fn the_hub_searches_and_organizations_add_their_own() {
    let app = spawn_app().await;
    let store = &app.state().store;
    let mine = store.create_organization("Mine", 0).await.unwrap();
    let theirs = store.create_organization("Theirs", 0).await.unwrap();
    for (email, role, org) in [
        ("admin@example.org", Role::OrgAdmin, mine.id),
        ("c@example.org", Role::Clinician, mine.id),
        ("other@example.org", Role::Clinician, theirs.id),
    ] {
        let id = app.user(email, &[role]).await;
        store.set_membership(id, Some(org), None).await.unwrap();
    }
    let admin = app.token("admin@example.org").await;
    let clinician = app.token("c@example.org").await;
    let other = app.token("other@example.org").await;
    let eap = json!({ "title": "Harbor EAP", "body": "Confidential counselling for all staff", "contact": "555-0199", "kind": "eap", "level": "individual", "audience": ["clinician"] });
    let r = bearer(
        &clinician,
        Method::POST,
        &app.url("/api/v1/resources"),
        Some(eap.clone()),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = bearer(
        &admin,
        Method::POST,
        &app.url("/api/v1/resources"),
        Some(eap),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let bad = json!({ "title": "x", "body": "y", "kind": "spa", "level": "individual" });
    assert_problem(
        bearer(
            &admin,
            Method::POST,
            &app.url("/api/v1/resources"),
            Some(bad),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("kind"),
    )
    .await;

    let found: Value = bearer(
        &clinician,
        Method::GET,
        &app.url("/api/v1/resources?q=counselling"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(found
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["title"] == "Harbor EAP"));
    let found: Value = bearer(
        &other,
        Method::GET,
        &app.url("/api/v1/resources?q=counselling"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(
        !found
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["title"] == "Harbor EAP"),
        "another organization's entry"
    );
    let found: Value = bearer(
        &other,
        Method::GET,
        &app.url("/api/v1/resources?q=988"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(found[0]["title"], "988 Suicide & Crisis Lifeline");
    let all: Value = bearer(&other, Method::GET, &app.url("/api/v1/resources"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        all.as_array().unwrap().len(),
        huddle_core::wellbeing::resources::CURATED.len()
    );
    let page = Browser::new()
        .client
        .get(app.url("/resources?q=documentation"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.status(),
        StatusCode::SEE_OTHER,
        "the hub is for signed-in people"
    );
}
