//! Pages through their forms, as a browser without JavaScript would use them.

use huddle_core::identity::Role;
use reqwest::StatusCode;

use crate::helpers::*;

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no {name} in page"));
    let end = html[start..].find('"').unwrap();
    html[start..start + end].to_string()
}

#[tokio::test]
async fn sign_up_sign_in_with_totp_and_reach_the_account_page() {
    let app = spawn_app().await;
    let b = Browser::new();
    let signup = b
        .client
        .get(app.url("/signup"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&signup, "csrf_token");
    let r = b
        .client
        .post(app.url("/signup"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("display_name", "Dr. Page Test"),
            ("email", "page@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let home = b
        .client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Welcome, Dr. Page Test"));

    // Enrol TOTP through the page.
    let setup = b
        .client
        .get(app.url("/account/mfa"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let secret = hidden(&setup, "secret");
    let csrf = hidden(&setup, "csrf_token");
    let code = code_now(&app, &secret);
    let r = b
        .client
        .post(app.url("/account/mfa"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("secret", secret.as_str()),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Two-step sign-in is <strong>on</strong>"));

    // Sign out, then in again: password, then code.
    let account = b
        .client
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&account, "csrf_token");
    b.client
        .post(app.url("/signout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        b.client
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER
    );
    let signin = b
        .client
        .get(app.url("/signin?next=/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&signin, "csrf_token");
    let r = b
        .client
        .post(app.url("/signin"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "page@example.org"),
            ("password", PASSWORD),
            ("next", "/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/signin/mfa?next=/account");
    // A pending session opens nothing but the code step.
    assert_eq!(
        b.client
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER
    );
    let mfa = b
        .client
        .get(app.url("/signin/mfa?next=/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&mfa, "csrf_token");
    app.clock.advance(30_000);
    let code = code_now(&app, &secret);
    let r = b
        .client
        .post(app.url("/signin/mfa"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("code", code.as_str()),
            ("next", "/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/account");
    assert_eq!(
        b.client
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn wrong_sign_in_shows_the_form_again_with_the_reason() {
    let app = spawn_app().await;
    app.user("form@example.org", &[]).await;
    let b = Browser::new();
    let signin = b
        .client
        .get(app.url("/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&signin, "csrf_token");
    let r = b
        .client
        .post(app.url("/signin"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "form@example.org"),
            ("password", "not the password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let html = r.text().await.unwrap();
    assert!(html.contains("the email or password is incorrect"));
    assert!(
        html.contains("value=\"form@example.org\""),
        "the email is kept"
    );
}

#[tokio::test]
async fn verifier_works_the_queue_from_the_page() {
    let app = spawn_app().await;
    app.user("doc@example.org", &[]).await;
    app.user("verifier@example.org", &[Role::Verifier]).await;
    let doc = Browser::login(&app, "doc@example.org").await;
    let page = doc
        .client
        .get(app.url("/verification"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Cardiovascular Disease Physician"),
        "specialties are listed"
    );
    let csrf = hidden(&page, "csrf_token");
    let r = doc
        .client
        .post(app.url("/verification"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("npi", "1234567893"),
            ("license_state", "MA"),
            ("license_number", "MD-77"),
            ("specialty_code", "207RC0000X"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("id=\"verification-status\">pending"));

    let verifier = Browser::login(&app, "verifier@example.org").await;
    let queue = verifier
        .client
        .get(app.url("/verifier"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(queue.contains("doc@example.org"));
    let csrf = hidden(&queue, "csrf_token");
    let id = app.state().store.pending_verifications(10).await.unwrap()[0].id;
    let r = verifier
        .client
        .post(app.url(&format!("/verifier/{id}")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("decision", "approve"),
            ("reason", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Approved."));
    let status = doc
        .client
        .get(app.url("/verification"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains("id=\"verification-status\">verified"));
}

/// Lakeside Clinic with its administrator, admin@example.org.
async fn clinic_with_admin(app: &TestApp) -> huddle_store::Organization {
    let store = &app.state().store;
    let org = store
        .create_organization("Lakeside Clinic", 0)
        .await
        .unwrap();
    let admin = app.user("admin@example.org", &[Role::OrgAdmin]).await;
    store
        .set_membership(admin, Some(org.id), None)
        .await
        .unwrap();
    org
}

#[tokio::test]
async fn org_admin_adds_a_department_and_a_member_with_roles() {
    let app = spawn_app().await;
    let store = &app.state().store;
    let org = clinic_with_admin(&app).await;
    let nurse = app.user("nurse@example.org", &[]).await;
    let b = Browser::login(&app, "admin@example.org").await;
    let page = b
        .client
        .get(app.url("/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Lakeside Clinic: departments"));
    let csrf = hidden(&page, "csrf_token");
    let r = b
        .client
        .post(app.url("/admin/departments"))
        .form(&[("csrf_token", csrf.as_str()), ("name", "Front desk")])
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Added Front desk."));
    let dept = store.departments(org.id).await.unwrap()[0].id.to_string();
    let r = b
        .client
        .post(app.url("/admin/members"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "nurse@example.org"),
            ("department_id", dept.as_str()),
            ("role", "clinician"),
            ("role", "wellbeing_lead"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Saved Dr. nurse@example.org."));
    let nurse = store.user(nurse).await.unwrap().unwrap();
    assert_eq!(nurse.organization_id, Some(org.id));
    assert!(nurse.roles.has(Role::Clinician) && nurse.roles.has(Role::WellbeingLead));
    // An instance-wide role is refused with the reason on the page.
    let r = b
        .client
        .post(app.url("/admin/members"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "nurse@example.org"),
            ("role", "system_admin"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("you cannot grant the system admin role"));
}

#[tokio::test]
async fn a_check_in_through_the_pages_expands_and_shows_crisis_help_first() {
    let app = spawn_app().await;
    app.user("c@example.org", &[Role::Clinician]).await;
    let b = Browser::login(&app, "c@example.org").await;
    let page = b
        .client
        .get(app.url("/wellbeing"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&page, "csrf_token");
    let r = b
        .client
        .post(app.url("/wellbeing/checkin"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let mut next = r.headers()["location"].to_str().unwrap().to_string();
    assert!(next.ends_with("/burnout-single-item"), "{next}");
    // Answer each step with its first option, except a positive PHQ-2 and item 9.
    let mut steps = Vec::new();
    while !next.ends_with("/results") {
        let instrument = next.rsplit('/').next().unwrap().to_string();
        steps.push(instrument.clone());
        let form = b
            .client
            .get(app.url(&next))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let inst = huddle_core::wellbeing::instrument(&instrument).unwrap();
        let mut fields = vec![("csrf_token".to_string(), hidden(&form, "csrf_token"))];
        for item in inst.items.iter().filter(|i| i.required) {
            assert!(
                form.contains(&format!("name=\"{}\"", item.link_id)),
                "{} shown",
                item.link_id
            );
            let pick = match item.link_id.as_str() {
                "phq2-1" | "phq2-2" | "phq9-9" => 2,
                _ => 0,
            };
            fields.push((item.link_id.clone(), item.options[pick].code.clone()));
        }
        let r = b
            .client
            .post(app.url(&next))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{instrument}");
        next = r.headers()["location"].to_str().unwrap().to_string();
    }
    assert_eq!(
        steps,
        vec![
            "burnout-single-item",
            "phq-2",
            "gad-2",
            "work-pulse",
            "phq-9"
        ]
    );
    let results = b
        .client
        .get(app.url(&next))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let crisis = results
        .find("id=\"crisis-help\"")
        .expect("crisis help shown");
    assert!(crisis < results.find("id=\"results-heading\"").unwrap());
    assert!(results.contains("Depression (PHQ-9)"));
    let trend = b
        .client
        .get(app.url("/wellbeing/trend"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(trend.contains("<svg") && trend.contains("Mood screen (PHQ-2)"));
    // An unanswered item brings the form back with the question named.
    let form_url = next.replace("/results", "/gad-7");
    let form = b
        .client
        .get(app.url(&form_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = b
        .client
        .post(app.url(&form_url))
        .form(&[
            ("csrf_token", hidden(&form, "csrf_token").as_str()),
            ("gad7-1", "LA6568-5"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Please answer: Not being able to stop or control worrying"));
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

#[tokio::test]
async fn huddle_is_installable_with_a_manifest_icons_a_service_worker_and_an_offline_page() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let r = http
        .get(app.url("/manifest.webmanifest"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/manifest+json");
    let manifest: serde_json::Value = r.json().await.unwrap();
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");
    let mut sizes = Vec::new();
    for icon in manifest["icons"].as_array().unwrap() {
        let r = http
            .get(app.url(icon["src"].as_str().unwrap()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-type"], "image/png");
        let (w, h) = png_size(&r.bytes().await.unwrap());
        assert_eq!(format!("{w}x{h}"), icon["sizes"], "{icon}");
        sizes.push(w);
    }
    assert!(sizes.contains(&192) && sizes.contains(&512));

    // The worker is served from the root, so it may control every page.
    let r = http.get(app.url("/sw.js")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/javascript");
    let worker = r.text().await.unwrap();
    assert!(worker.contains("\"/offline\""));
    // The offline page is the same for everyone: no CSRF token, no name, crisis help.
    let offline = http
        .get(app.url("/offline"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(offline.contains("You are offline"));
    assert!(offline.contains("tel:988"));
    assert!(!offline.contains("csrf"));
    // Every page links the manifest.
    let home = http
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("rel=\"manifest\" href=\"/manifest.webmanifest\""));
}

#[tokio::test]
async fn a_reply_the_phi_guard_refuses_comes_back_with_its_spans_marked_and_the_text_kept() {
    let app = spawn_app().await;
    app.verified_physician("cardio@example.org", "207RC0000X", &[])
        .await;
    let b = Browser::login(&app, "cardio@example.org").await;
    let r = b
        .send(
            reqwest::Method::POST,
            &app.url("/api/v1/lounge/threads"),
            Some(serde_json::json!({
                "space": "cardiology", "kind": "discussion", "title": "Holter or event monitor",
                "body": "Which do you order first for palpitations?",
            })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let thread = r.json::<serde_json::Value>().await.unwrap()["thread"]["id"]
        .as_i64()
        .unwrap();
    let url = app.url(&format!("/lounge/threads/{thread}"));
    let page = b
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&page, "csrf_token");
    let reply = "We saw this in MRN 48213377 & <b>twice</b>.";
    let r = b
        .client
        .post(format!("{url}/replies"))
        .form(&[("csrf_token", csrf.as_str()), ("body", reply)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the form again, not a page of its own"
    );
    let page = r.text().await.unwrap();
    assert!(page.contains("may identify a patient"), "{page}");
    assert!(
        page.contains("<mark title=\"looks like a medical record number\">48213377</mark>"),
        "the span the guard found is marked: {page}"
    );
    assert!(
        page.contains("&amp; &lt;b&gt;twice&lt;/b&gt;"),
        "the rest of the draft is escaped: {page}"
    );
    assert!(
        page.contains("data-phi>We saw this in MRN 48213377 &#38; &#60;b&#62;twice"),
        "the reply is kept in the composer: {page}"
    );
}

#[tokio::test]
async fn a_refused_resource_comes_back_as_typed_beside_the_form() {
    let app = spawn_app().await;
    clinic_with_admin(&app).await;
    let b = Browser::login(&app, "admin@example.org").await;
    let page = b
        .client
        .get(app.url("/resources"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&page, "csrf_token");
    let r = b
        .client
        .post(app.url("/resources"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("title", "Peer support line"),
            ("body", "Call a trained colleague, day or night."),
            ("url", "ftp://example.org/peer"),
            ("kind", "peer"),
            ("level", "organizational"),
            ("audience", "physician"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the form again, not a page of its own"
    );
    let page = r.text().await.unwrap();
    assert!(
        page.contains("url: a web address starting with https://"),
        "{page}"
    );
    assert!(page.contains("value=\"Peer support line\""), "{page}");
    assert!(
        page.contains(">Call a trained colleague, day or night.</textarea>"),
        "{page}"
    );
    assert!(page.contains("value=\"organizational\" selected"), "{page}");
    assert!(page.contains("value=\"physician\" checked"), "{page}");
    assert!(!page.contains("value=\"leader\" checked"), "{page}");
    assert!(page.contains("value=\"peer\" selected"), "{page}");
}

#[tokio::test]
async fn a_refused_intervention_comes_back_as_typed_beside_the_form() {
    let app = spawn_app().await;
    let org = clinic_with_admin(&app).await;
    let lead = app.user("lead@example.org", &[Role::WellbeingLead]).await;
    app.state()
        .store
        .set_membership(lead, Some(org.id), None)
        .await
        .unwrap();
    let b = Browser::login(&app, "lead@example.org").await;
    let url = app.url("/insights/interventions");
    let page = b
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&page, "csrf_token");
    for (cost, starts, error) in [
        ("12k", "2026-01", "cost: whole dollars"),
        ("1200", "January", "starts"),
    ] {
        let r = b
            .client
            .post(&url)
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("name", "Scribes in clinic"),
                ("level", "individual"),
                ("starts", starts),
                ("cost", cost),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        assert!(page.contains(error), "{error} in {page}");
        assert!(page.contains("value=\"Scribes in clinic\""), "{page}");
        assert!(page.contains("value=\"individual\" selected"), "{page}");
        assert!(page.contains(&format!("value=\"{cost}\"")), "{page}");
        assert!(page.contains(&format!("value=\"{starts}\"")), "{page}");
    }
}
