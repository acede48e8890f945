//! Pages through their forms, as a browser without JavaScript would use them.

use huddle_core::identity::Role;
use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn sign_up_sign_in_with_totp_and_reach_the_account_page() {
    let app = spawn_app_with(open_sign_up).await;
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
    // Sign-up answers with the sign-in form (the same page for a taken address).
    assert_eq!(r.status(), StatusCode::OK);
    let signin = r.text().await.unwrap();
    assert!(signin.contains("Check your mailbox"));
    // Not before the address is proved (tests/api/accounts.rs follows the mailed link).
    let r = b.sign_in_form(&app, &signin, "page@example.org", "/").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    prove_address(&app, "page@example.org").await;
    let r = b.sign_in_form(&app, &signin, "page@example.org", "/").await;
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
    let r = b
        .sign_in_form(&app, &signin, "page@example.org", "/account")
        .await;
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
    // Someone not in the clinic joins only by invitation, and an invitation needs mail.
    let r = b
        .client
        .post(app.url("/admin/members"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "nurse@example.org"),
            ("role", "clinician"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("mail is not configured ([email] host), so an invitation cannot reach anyone"));
    assert_eq!(
        store.user(nurse).await.unwrap().unwrap().organization_id,
        None
    );
    // A member's form sets their department and roles.
    store
        .set_membership(nurse, Some(org.id), None)
        .await
        .unwrap();
    let member = nurse.to_string();
    let r = b
        .client
        .post(app.url("/admin/members"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("member", member.as_str()),
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
            ("member", member.as_str()),
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

/// A person of Lakeside Clinic (created by `clinic_with_admin`), with roles.
async fn colleague(app: &TestApp, org: i64, email: &str, roles: &[Role]) -> i64 {
    let id = app.user(email, roles).await;
    app.state()
        .store
        .set_membership(id, Some(org), None)
        .await
        .unwrap();
    id
}

/// Posts a form with the browser's CSRF token; the page that comes back must be a 200 page
/// (a refused form comes back as the form again, not as a page of its own).
async fn submit_form(b: &Browser, url: &str, fields: &[(&str, &str)]) -> String {
    let csrf = b.csrf.clone().unwrap();
    let mut form = vec![("csrf_token", csrf.as_str())];
    form.extend_from_slice(fields);
    let r = b.client.post(url).form(&form).send().await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "{url}: the form again, not a page of its own"
    );
    r.text().await.unwrap()
}

#[tokio::test]
async fn a_refused_conversation_and_status_come_back_as_typed_beside_their_forms() {
    let app = spawn_app().await;
    let org = clinic_with_admin(&app).await;
    colleague(&app, org.id, "doc@example.org", &[Role::Physician]).await;
    let nurse = colleague(&app, org.id, "nurse@example.org", &[Role::Clinician]).await;
    let b = Browser::login(&app, "doc@example.org").await;
    let long_name = "Night float handoffs and everything else that comes up overnight on 4 West ward and 5 East";
    assert!(long_name.chars().count() > 80);
    let nurse = nurse.to_string();
    let page = submit_form(
        &b,
        &app.url("/messages"),
        &[
            ("kind", "group"),
            ("member", nurse.as_str()),
            ("name", long_name),
            ("team", "nursing"),
            ("patient_initials", "JQ"),
            ("patient_reference", "Bed 12"),
        ],
    )
    .await;
    assert!(
        page.contains("id=\"new-error\">name: use at most 80 characters"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "value=\"{long_name}\" aria-invalid=\"true\" aria-describedby=\"new-error\""
        )),
        "{page}"
    );
    assert!(page.contains("value=\"group\" selected"), "{page}");
    assert!(
        page.contains(&format!("value=\"{nurse}\" checked")),
        "{page}"
    );
    assert!(page.contains("value=\"JQ\""), "{page}");
    assert!(page.contains("value=\"Bed 12\""), "{page}");
    assert!(!page.contains("id=\"status-error\""), "{page}");

    let reply = "In the OR until three. ".repeat(10);
    let page = submit_form(
        &b,
        &app.url("/messages/status"),
        &[("status", "busy"), ("message", reply.as_str())],
    )
    .await;
    assert!(
        page.contains("id=\"status-error\">message: keep the automatic reply to 200 characters"),
        "{page}"
    );
    assert!(
        page.contains("<details open>"),
        "the status form is open: {page}"
    );
    assert!(page.contains("value=\"busy\" selected"), "{page}");
    assert!(
        page.contains(&format!(
            "value=\"{reply}\" aria-invalid=\"true\" aria-describedby=\"status-error\""
        )),
        "{page}"
    );
}

#[tokio::test]
async fn refused_account_forms_keep_what_was_typed_but_never_a_password() {
    let app = spawn_app().await;
    app.user("doc@example.org", &[]).await;
    let b = Browser::login(&app, "doc@example.org").await;
    let page = submit_form(
        &b,
        &app.url("/account/time-zone"),
        &[("time_zone", "Mars/Olympus_Mons")],
    )
    .await;
    assert!(page.contains("id=\"zone-error\">time_zone: "), "{page}");
    assert!(
        page.contains(
            "value=\"Mars/Olympus_Mons\" maxlength=\"64\" autocomplete=\"off\" aria-invalid=\"true\" aria-describedby=\"zone-error\""
        ),
        "{page}"
    );

    let long = "x".repeat(65);
    let page = submit_form(&b, &app.url("/account/tokens"), &[("name", long.as_str())]).await;
    assert!(
        page.contains("id=\"token-error\">name: name the token in 1 to 64 characters"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "value=\"{long}\" aria-invalid=\"true\" aria-describedby=\"token-error\""
        )),
        "{page}"
    );

    let page = submit_form(
        &b,
        &app.url("/account/password"),
        &[
            ("current_password", "not my password at all"),
            ("new_password", "a brand new passphrase"),
        ],
    )
    .await;
    assert!(
        page.contains("id=\"password-error\">current_password: the current password is incorrect"),
        "{page}"
    );
    assert!(
        page.contains("autocomplete=\"current-password\" required aria-invalid=\"true\" aria-describedby=\"password-error\""),
        "{page}"
    );
    assert!(!page.contains("not my password at all"), "{page}");
    assert!(!page.contains("a brand new passphrase"), "{page}");
}

#[tokio::test]
async fn refused_admin_forms_come_back_as_typed_beside_their_forms() {
    let app = spawn_app().await;
    let org = clinic_with_admin(&app).await;
    let nurse = colleague(&app, org.id, "nurse@example.org", &[]).await;
    let b = Browser::login(&app, "admin@example.org").await;
    let org_id = org.id.to_string();

    let long = "Cardiology ".repeat(12);
    let page = submit_form(
        &b,
        &app.url("/admin/departments"),
        &[("org", org_id.as_str()), ("name", long.as_str())],
    )
    .await;
    assert!(
        page.contains("id=\"department-error\">name: use 1 to 120 characters"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "value=\"{long}\" aria-invalid=\"true\" aria-describedby=\"department-error\""
        )),
        "{page}"
    );

    let page = submit_form(
        &b,
        &app.url("/admin/time-zone"),
        &[("org", org_id.as_str()), ("time_zone", "Atlantis/Capital")],
    )
    .await;
    assert!(page.contains("id=\"zone-error\">time_zone: "), "{page}");
    assert!(
        page.contains("value=\"Atlantis/Capital\" maxlength=\"64\" autocomplete=\"off\" aria-invalid=\"true\""),
        "{page}"
    );

    let page = submit_form(
        &b,
        &app.url("/admin/members"),
        &[
            ("org", org_id.as_str()),
            ("email", "not an email"),
            ("role", "physician"),
        ],
    )
    .await;
    assert!(page.contains("id=\"add-member-error\">email: "), "{page}");
    assert!(
        page.contains(
            "value=\"not an email\" aria-invalid=\"true\" aria-describedby=\"add-member-error\""
        ),
        "{page}"
    );
    assert!(page.contains("value=\"physician\" checked"), "{page}");
    assert!(!page.contains("value=\"clinician\" checked"), "{page}");

    // A member's own form: the refusal beside it, with the department as chosen.
    let dept = app
        .state()
        .store
        .create_department(org.id, "Front desk")
        .await
        .unwrap()
        .id
        .to_string();
    let member = nurse.to_string();
    let page = submit_form(
        &b,
        &app.url("/admin/members"),
        &[
            ("org", org_id.as_str()),
            ("member", member.as_str()),
            ("email", "nurse@example.org"),
            ("department_id", dept.as_str()),
            ("team", "front_desk"),
            ("role", "clinician"),
            ("role", "system_admin"),
        ],
    )
    .await;
    assert!(
        page.contains(&format!(
            "id=\"member-{nurse}-error\">roles: you cannot grant the system admin role"
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!("<option value=\"{dept}\" selected>Front desk")),
        "{page}"
    );
}

#[tokio::test]
async fn refused_routing_forms_come_back_as_typed_beside_their_forms() {
    let app = spawn_app().await;
    let org = clinic_with_admin(&app).await;
    let b = Browser::login(&app, "admin@example.org").await;
    let policy = app.url(&format!("/admin/routing/policy?org={}", org.id));
    let page = submit_form(
        &b,
        &policy,
        &[
            ("name_0", "abnormal_lab"),
            ("minutes_0", "45"),
            ("name_1", "code_stroke"),
            ("minutes_1", "soon"),
            ("always_1", "on"),
            ("escalation", "5, 10"),
        ],
    )
    .await;
    assert!(
        page.contains(
            "id=\"policy-error\">code_stroke: the longest wait is a whole number of minutes"
        ),
        "{page}"
    );
    assert!(
        page.contains("name=\"minutes_1\" value=\"soon\" inputmode=\"numeric\" aria-label=\"Longest wait for code_stroke, minutes\" aria-invalid=\"true\" aria-describedby=\"policy-error\""),
        "{page}"
    );
    assert!(page.contains("name=\"minutes_0\" value=\"45\""), "{page}");
    assert!(
        page.contains("aria-label=\"code_stroke always interrupts\" checked"),
        "{page}"
    );
    assert!(page.contains("value=\"5, 10\""), "{page}");
    assert!(
        !page.contains("name=\"team_digests\" checked"),
        "as typed, not as saved: {page}"
    );

    let page = submit_form(
        &b,
        &app.url(&format!("/admin/routing/integrations?org={}", org.id)),
        &[
            ("name", "Core lab (LIS)"),
            ("sources", "lab"),
            ("kinds", "critical_lab"),
            ("addresses", "10.20.0.0/99"),
            ("hl7_application", "BEAKER"),
            ("hl7_facility", "LAKESIDE"),
        ],
    )
    .await;
    assert!(page.contains("id=\"feed-error\">addresses: "), "{page}");
    assert!(
        page.contains(
            "value=\"10.20.0.0/99\" aria-invalid=\"true\" aria-describedby=\"feed-error\""
        ),
        "{page}"
    );
    for typed in [
        "Core lab (LIS)",
        "lab",
        "critical_lab",
        "BEAKER",
        "LAKESIDE",
    ] {
        assert!(
            page.contains(&format!("value=\"{typed}\"")),
            "{typed}: {page}"
        );
    }
    // Fixed, the same form registers the feed (the page reads it with its CSRF token).
    let page = submit_form(
        &b,
        &app.url(&format!("/admin/routing/integrations?org={}", org.id)),
        &[
            ("name", "Core lab (LIS)"),
            ("sources", "lab"),
            ("kinds", "critical_lab"),
            ("addresses", "10.20.0.0/16"),
        ],
    )
    .await;
    assert!(page.contains("Core lab (LIS) is registered"), "{page}");
}

#[tokio::test]
async fn refused_moderation_comes_back_as_typed_beside_the_report() {
    let app = spawn_app().await;
    app.verified_physician("author@example.org", "207RC0000X", &[])
        .await;
    app.verified_physician("mod@example.org", "207R00000X", &[Role::Moderator])
        .await;
    let author = Browser::login(&app, "author@example.org").await;
    let r = author
        .send(
            reqwest::Method::POST,
            &app.url("/api/v1/lounge/threads"),
            Some(serde_json::json!({
                "space": "wellbeing", "kind": "discussion",
                "title": "Buy my course", "body": "Discount code inside.",
            })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let post = r.json::<serde_json::Value>().await.unwrap()["posts"][0]["id"]
        .as_i64()
        .unwrap();
    let moderator = Browser::login(&app, "mod@example.org").await;
    let r = moderator
        .send(
            reqwest::Method::POST,
            &app.url(&format!("/api/v1/lounge/posts/{post}/report")),
            Some(serde_json::json!({ "reason": "spam" })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let page = moderator.page(&app.url("/lounge/moderation")).await;
    let report = hidden(&page, "report_id");
    let (post_id, thread_id) = (hidden(&page, "post_id"), hidden(&page, "thread_id"));
    let form = |action: &'static str, reason: &'static str, days: &'static str| {
        vec![
            ("report_id", report.clone()),
            ("post_id", post_id.clone()),
            ("thread_id", thread_id.clone()),
            ("action", action.to_string()),
            ("reason", reason.to_string()),
            ("days", days.to_string()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let url = app.url("/lounge/moderation");
        let b = &moderator;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            submit_form(b, &url, &fields).await
        }
    };

    let page = send(form("remove_post", "ok", "")).await;
    assert!(
        page.contains(&format!("id=\"mod-{report}-error\">reason: give a reason")),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "value=\"ok\" aria-invalid=\"true\" aria-describedby=\"mod-{report}-error\""
        )),
        "{page}"
    );
    assert!(page.contains("value=\"remove_post\" selected"), "{page}");

    let page = send(form("hide_post", "Advertising is not allowed here", "soon")).await;
    assert!(
        page.contains(&format!(
            "id=\"mod-{report}-error\">days: enter a whole number"
        )),
        "{page}"
    );
    assert!(
        page.contains("value=\"Advertising is not allowed here\""),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "value=\"soon\" aria-invalid=\"true\" aria-describedby=\"mod-{report}-error\""
        )),
        "{page}"
    );
    assert!(page.contains("value=\"hide_post\" selected"), "{page}");

    let page = submit_form(
        &moderator,
        &app.url(&format!("/lounge/posts/{post}/reveal")),
        &[("report_id", report.as_str()), ("reason", "?")],
    )
    .await;
    assert!(
        page.contains(&format!(
            "id=\"reveal-{report}-error\">reason: give a reason"
        )),
        "{page}"
    );
    assert!(page.contains("<details open>"), "{page}");
    assert!(
        page.contains(&format!(
            "value=\"?\" aria-invalid=\"true\" aria-describedby=\"reveal-{report}-error\""
        )),
        "{page}"
    );
}

#[tokio::test]
async fn a_refused_check_in_step_keeps_the_answers_chosen() {
    let app = spawn_app().await;
    app.user("c@example.org", &[Role::Clinician]).await;
    let b = Browser::login(&app, "c@example.org").await;
    let page = submit_form(
        &b,
        &app.url("/wellbeing/checkin/kept-answers-1/gad-7"),
        &[("gad7-1", "LA6568-5"), ("gad7-3", "LA6570-1")],
    )
    .await;
    assert!(
        page.contains(
            "id=\"checkin-error\">Please answer: Not being able to stop or control worrying"
        ),
        "{page}"
    );
    assert!(
        page.contains("name=\"gad7-1\" value=\"LA6568-5\" required checked"),
        "{page}"
    );
    assert!(
        page.contains("name=\"gad7-3\" value=\"LA6570-1\" required checked"),
        "{page}"
    );
    assert!(
        page.contains("name=\"gad7-2\" value=\"LA6568-5\" required aria-invalid=\"true\" aria-describedby=\"checkin-error\""),
        "{page}"
    );
}
