//! How people get in: invitations, proving an address, resetting a password, and the
//! deployment's sign-up mode, with every mail read from a real SMTP server (aiosmtpd,
//! STARTTLS required) and every link followed as the person would. Includes the squatting
//! scenario of issue 19: a stranger who signs up first with a future hire's address.

use std::path::PathBuf;

use huddle_core::identity::{Email, Role};
use huddle_server::config::SignUpMode;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::peers::{lines_now, lines_where, smtp_server, Peer};

/// Huddle with a real SMTP relay, links pointing at `PUBLIC_URL`.
struct Mailroom {
    app: TestApp,
    inbox: PathBuf,
    _smtp: Peer,
}

async fn mailroom(name: &str, mode: SignUpMode) -> Mailroom {
    let (smtp, port, cert, inbox) = smtp_server(name);
    let app = spawn_app_with(|c| {
        c.accounts.sign_up = mode;
        c.server.public_url = PUBLIC_URL.into();
        c.email.host = Some("127.0.0.1".into());
        c.email.port = Some(port);
        c.email.ca_file = Some(cert.clone());
        c.security.login_attempts_per_minute = 1000;
    })
    .await;
    Mailroom {
        app,
        inbox,
        _smtp: smtp,
    }
}

impl Mailroom {
    /// The mails to `to`, once at least `n` arrived (waits up to 15 s).
    async fn mails_to(&self, to: &str, n: usize) -> Vec<Value> {
        lines_where(&self.inbox, n, |m| m["to"] == json!([to])).await
    }

    fn mails_now(&self, to: &str) -> Vec<Value> {
        lines_now(&self.inbox, |m| m["to"] == json!([to]))
    }
}

/// The secret of the link to `path` in a mail; the link must be on the public URL.
fn link_token(mail: &Value, path: &str) -> String {
    let text = mail["text"].as_str().unwrap();
    let prefix = format!("{PUBLIC_URL}{path}?token=");
    let start = text
        .find(&prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {text}"))
        + prefix.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Harbor Hospital with a Cardiology department and its administrator's token.
async fn harbor(app: &TestApp) -> (i64, i64, String) {
    let store = &app.state().store;
    let org = store
        .create_organization("Harbor Hospital", 0)
        .await
        .unwrap();
    let dept = store.create_department(org.id, "Cardiology").await.unwrap();
    let admin = app.user("admin@harbor.example", &[Role::OrgAdmin]).await;
    store
        .set_membership(admin, Some(org.id), None)
        .await
        .unwrap();
    (org.id, dept.id, app.token("admin@harbor.example").await)
}

async fn invite(app: &TestApp, token: &str, org: i64, body: Value) -> reqwest::Response {
    bearer(
        token,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{org}/invitations")),
        Some(body),
    )
    .await
}

async fn actions(app: &TestApp) -> Vec<String> {
    app.state()
        .store
        .recent_audit(1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// Posts a form the way the page does, with the page's CSRF token.
async fn submit(
    b: &Browser,
    app: &TestApp,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = hidden(page, "csrf_token");
    let mut form = vec![("csrf_token", csrf.as_str())];
    form.extend_from_slice(fields);
    b.client
        .post(app.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_invitation_reaches_only_the_mailbox_and_joins_whoever_follows_it() {
    let m = mailroom("accounts-invite", SignUpMode::Invitation).await;
    let app = &m.app;
    let (org, dept, admin) = harbor(app).await;
    let hire = "new.hire@harbor.example";

    // Only the organization's administrators invite, and only roles they may grant.
    app.user("colleague@harbor.example", &[Role::Clinician])
        .await;
    let colleague = app.token("colleague@harbor.example").await;
    let r = invite(app, &colleague, org, json!({ "email": hire })).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = invite(
        app,
        &admin,
        org,
        json!({ "email": hire, "roles": ["system_admin"] }),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("roles")).await;
    let r = invite(
        app,
        &admin,
        org,
        json!({ "email": "New.Hire@Harbor.example", "department_id": dept, "roles": ["clinician"] }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["email"], hire);
    assert_eq!(first["standing"], "pending");
    let mail = &m.mails_to(hire, 1).await[0];
    assert!(mail["subject"]
        .as_str()
        .unwrap()
        .contains("Harbor Hospital"));
    let old_link = link_token(mail, "/invitations/accept");
    // A second invitation replaces the first, whose link stops working.
    let r = invite(
        app,
        &admin,
        org,
        json!({ "email": hire, "department_id": dept, "roles": ["clinician"] }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let link = link_token(&m.mails_to(hire, 2).await[1], "/invitations/accept");
    assert_ne!(link, old_link);

    let b = Browser::new();
    let stale = b
        .page(&app.url(&format!("/invitations/accept?token={old_link}")))
        .await;
    assert!(stale.contains("This invitation no longer works"), "{stale}");
    let page = b
        .page(&app.url(&format!("/invitations/accept?token={link}")))
        .await;
    assert!(page.contains("Join Harbor Hospital on Huddle"), "{page}");
    assert!(page.contains(hire), "{page}");
    // A refused password: the form again, the name kept, the link still good.
    let r = submit(
        &b,
        app,
        &page,
        "/invitations/accept",
        &[
            ("token", &link),
            ("display_name", "Dr. New Hire"),
            ("password", "password1234"),
        ],
    )
    .await;
    let again = r.text().await.unwrap();
    assert!(again.contains("password: "), "{again}");
    assert!(again.contains("value=\"Dr. New Hire\""), "{again}");
    let r = submit(
        &b,
        app,
        &page,
        "/invitations/accept",
        &[
            ("token", &link),
            ("display_name", "Dr. New Hire"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers().contains_key("set-cookie"), "signed in");
    let home = b.page(&app.url("/")).await;
    assert!(home.contains("Dr. New Hire"), "{home}");
    let joined = app
        .state()
        .store
        .user_by_email(&Email::parse(hire).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(joined.organization_id, Some(org));
    assert_eq!(joined.department_id, Some(dept));
    assert!(joined.roles.has(Role::Clinician));
    assert!(joined.email_verified_at.is_some());
    // The link works once.
    let used = Browser::new()
        .page(&app.url(&format!("/invitations/accept?token={link}")))
        .await;
    assert!(used.contains("This invitation no longer works"), "{used}");
    // The administrators see what became of each invitation; the audit log has it all.
    let list: Value = bearer(
        &admin,
        Method::GET,
        &app.url(&format!("/api/v1/organizations/{org}/invitations")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let standings: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["standing"].as_str().unwrap())
        .collect();
    assert_eq!(standings, ["accepted", "revoked"]);
    let done = actions(app).await;
    assert!(done.iter().any(|a| a == "invitation_sent"));
    assert!(done.iter().any(|a| a == "invitation_accepted"));
    // Inviting a member again is refused; a withdrawn invitation's link stops working.
    let r = invite(app, &admin, org, json!({ "email": hire })).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("email")).await;
    let r = invite(app, &admin, org, json!({ "email": "later@harbor.example" })).await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let later = link_token(
        &m.mails_to("later@harbor.example", 1).await[0],
        "/invitations/accept",
    );
    let r = bearer(
        &admin,
        Method::DELETE,
        &app.url(&format!("/api/v1/organizations/{org}/invitations/{id}")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let withdrawn = Browser::new()
        .page(&app.url(&format!("/invitations/accept?token={later}")))
        .await;
    assert!(withdrawn.contains("This invitation no longer works"));
}

#[tokio::test]
async fn a_stranger_who_signs_up_first_with_a_hires_address_gets_nothing() {
    let m = mailroom("accounts-squat", SignUpMode::Open).await;
    let app = &m.app;
    let (org, _, admin) = harbor(app).await;
    let hire = "hire@harbor.example";
    let strangers = "the stranger's own password";

    // The stranger signs up first with the hire's address: accepted, but it opens nothing.
    assert_eq!(
        register(app, hire, strangers).await.status(),
        StatusCode::ACCEPTED
    );
    let r = login(app, hire, strangers).await;
    let refused = assert_problem(r, StatusCode::FORBIDDEN, None).await;
    assert!(refused["detail"]
        .as_str()
        .unwrap()
        .contains("Confirm your address first"));
    // The confirmation goes to the hire's mailbox, which the stranger cannot read.
    let mail = &m.mails_to(hire, 1).await[0];
    assert_eq!(mail["subject"], "Confirm your address for Huddle");

    // The administrator cannot pull the account in, and the answer says nothing of it.
    let r = bearer(
        &admin,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{org}/members")),
        Some(json!({ "email": hire, "roles": ["clinician"] })),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("email")).await;
    // They invite the address; the real hire follows the link and the account is theirs.
    let r = invite(
        app,
        &admin,
        org,
        json!({ "email": hire, "roles": ["clinician"] }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let link = link_token(&m.mails_to(hire, 2).await[1], "/invitations/accept");
    let b = Browser::new();
    let page = b
        .page(&app.url(&format!("/invitations/accept?token={link}")))
        .await;
    assert!(
        page.contains("Choose how colleagues see your name"),
        "{page}"
    );
    let r = submit(
        &b,
        app,
        &page,
        "/invitations/accept",
        &[
            ("token", &link),
            ("display_name", "Dr. Real Hire"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        login(app, hire, strangers).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(login(app, hire, PASSWORD).await.status(), StatusCode::OK);
    let user = app
        .state()
        .store
        .user_by_email(&Email::parse(hire).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.display_name, "Dr. Real Hire");
    assert_eq!(user.organization_id, Some(org));
    assert!(actions(app).await.iter().any(|a| a == "account_reclaimed"));

    // Nor can an administrator adopt someone's proved account that belongs to no organization.
    app.user("loner@elsewhere.example", &[]).await;
    let r = bearer(
        &admin,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{org}/members")),
        Some(json!({ "email": "loner@elsewhere.example" })),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("email")).await;
}

#[tokio::test]
async fn sign_up_needs_the_address_proved_from_its_mailbox() {
    let m = mailroom("accounts-verify", SignUpMode::Open).await;
    let app = &m.app;
    let doc = "new.doc@example.org";
    let first = register(app, "New.Doc@Example.org", PASSWORD).await;
    assert_eq!(first.status(), StatusCode::ACCEPTED);
    let first = first.text().await.unwrap();
    assert_eq!(
        login(app, doc, PASSWORD).await.status(),
        StatusCode::FORBIDDEN
    );
    let link = link_token(&m.mails_to(doc, 1).await[0], "/verify-email");

    // Opening the link changes nothing (mail scanners open links); its button does.
    let b = Browser::new();
    let page = b
        .page(&app.url(&format!("/verify-email?token={link}")))
        .await;
    assert!(page.contains("Confirm my address"), "{page}");
    assert_eq!(
        login(app, doc, PASSWORD).await.status(),
        StatusCode::FORBIDDEN
    );
    let r = submit(&b, app, &page, "/verify-email", &[("token", &link)]).await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Your address is confirmed"));
    assert_eq!(login(app, doc, PASSWORD).await.status(), StatusCode::OK);
    let r = submit(&b, app, &page, "/verify-email", &[("token", &link)]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "a link works once");
    assert!(actions(app).await.iter().any(|a| a == "email_verified"));

    // The address taken: the same answer, nothing changed, and its owner is told.
    let taken = register(app, doc, "someone else's long password").await;
    assert_eq!(taken.status(), StatusCode::ACCEPTED);
    assert_eq!(taken.text().await.unwrap(), first);
    let told = &m.mails_to(doc, 2).await[1];
    assert_eq!(
        told["subject"],
        "Someone tried to create a Huddle account with your address"
    );
    assert_eq!(
        login(app, doc, "someone else's long password")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // A lost confirmation can be sent again, with the same answer for any address.
    assert_eq!(
        register(app, "late@example.org", PASSWORD).await.status(),
        StatusCode::ACCEPTED
    );
    m.mails_to("late@example.org", 1).await;
    let form = b.page(&app.url("/verify-email")).await;
    let mut answers = Vec::new();
    for email in ["late@example.org", "nobody@example.org"] {
        let r = submit(&b, app, &form, "/verify-email/resend", &[("email", email)]).await;
        answers.push(r.text().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    let fresh = link_token(&m.mails_to("late@example.org", 2).await[1], "/verify-email");
    let r = submit(&b, app, &form, "/verify-email", &[("token", &fresh)]).await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Your address is confirmed"));
}

#[tokio::test]
async fn a_password_reset_link_works_once_and_ends_every_session_and_token() {
    let m = mailroom("accounts-reset", SignUpMode::Invitation).await;
    let app = &m.app;
    let doc = "doc@harbor.example";
    app.user(doc, &[Role::Physician]).await;
    let old_token = app.token(doc).await;
    let old_session = Browser::login(app, doc).await;

    // Asking answers the same whether or not the address has an account.
    let b = Browser::new();
    let form = b.page(&app.url("/password/forgot")).await;
    let mut answers = Vec::new();
    for email in [doc, "nobody@harbor.example"] {
        let r = submit(&b, app, &form, "/password/forgot", &[("email", email)]).await;
        assert_eq!(r.status(), StatusCode::OK);
        answers.push(r.text().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    assert!(answers[0].contains("If an account uses this address"));
    let link = link_token(&m.mails_to(doc, 1).await[0], "/password/reset");
    assert!(m.mails_now("nobody@harbor.example").is_empty());

    let page = b
        .page(&app.url(&format!("/password/reset?token={link}")))
        .await;
    assert!(page.contains("New password"), "{page}");
    // A refused password leaves the link usable.
    let r = submit(
        &b,
        app,
        &page,
        "/password/reset",
        &[("token", &link), ("password", "password1234")],
    )
    .await;
    let again = r.text().await.unwrap();
    assert!(again.contains("password: "), "{again}");
    assert!(again.contains("name=\"token\""), "{again}");
    let new = "a brand new long passphrase";
    let r = submit(
        &b,
        app,
        &page,
        "/password/reset",
        &[("token", &link), ("password", new)],
    )
    .await;
    assert!(r.text().await.unwrap().contains("Your new password is set"));

    // Whoever held the old password is out: its token, its session.
    let r = bearer(&old_token, Method::GET, &app.url("/api/v1/me"), None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = old_session
        .send(Method::GET, &app.url("/api/v1/me"), None)
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        login(app, doc, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(login(app, doc, new).await.status(), StatusCode::OK);
    // Once only.
    let r = submit(
        &b,
        app,
        &page,
        "/password/reset",
        &[
            ("token", &link),
            ("password", "yet another long passphrase"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(login(app, doc, new).await.status(), StatusCode::OK);
    let done = actions(app).await;
    assert!(done.iter().any(|a| a == "password_reset_requested"));
    assert!(done.iter().any(|a| a == "password_reset"));
}

#[tokio::test]
async fn sign_up_is_by_invitation_unless_the_deployment_opens_it() {
    // The default: invitations (and single sign-on and the directory) only.
    let app = spawn_app().await;
    let page = Browser::new().page(&app.url("/signup")).await;
    assert!(page.contains("Accounts here are by invitation"), "{page}");
    assert!(!page.contains("name=\"password\""), "{page}");
    let r = register(&app, "someone@example.org", PASSWORD).await;
    let body = assert_problem(r, StatusCode::FORBIDDEN, None).await;
    assert!(body["detail"].as_str().unwrap().contains("invitation"));

    let app = spawn_app_with(|c| c.accounts.sign_up = SignUpMode::SingleSignOn).await;
    let page = Browser::new().page(&app.url("/signup")).await;
    assert!(page.contains("single sign-on"), "{page}");
    let r = register(&app, "someone@example.org", PASSWORD).await;
    assert_problem(r, StatusCode::FORBIDDEN, None).await;

    // Open sign-up and invitations need mail: without it, a clear refusal, not accounts
    // nobody can prove or links nobody receives.
    let app = spawn_app_with(|c| c.accounts.sign_up = SignUpMode::Open).await;
    let r = register(&app, "someone@example.org", PASSWORD).await;
    let body = assert_problem(r, StatusCode::CONFLICT, None).await;
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("mail is not configured"));
    let (org, _, admin) = harbor(&app).await;
    let r = invite(&app, &admin, org, json!({ "email": "hire@harbor.example" })).await;
    let body = assert_problem(r, StatusCode::CONFLICT, None).await;
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("mail is not configured"));
}

#[tokio::test]
async fn an_sso_only_organization_takes_no_invitations_and_mails_no_password_reset() {
    let m = mailroom("accounts-sso-only", SignUpMode::Invitation).await;
    let app = &m.app;
    let (org, _, admin) = harbor(app).await;
    let member = app.user("doc@harbor.example", &[Role::Clinician]).await;
    app.state()
        .store
        .set_membership(member, Some(org), None)
        .await
        .unwrap();
    let r = bearer(
        &admin,
        Method::PUT,
        &app.url(&format!("/api/v1/organizations/{org}/sso")),
        Some(
            json!({ "issuer": "https://login.harbor.example", "client_id": "huddle",
            "client_secret": "a-client-secret-of-some-length", "domains": ["harbor.example"],
            "sso_only": true }),
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());

    // An invitation would hand out a password: people join through the provider instead.
    let r = invite(app, &admin, org, json!({ "email": "hire@harbor.example" })).await;
    let body = assert_problem(r, StatusCode::CONFLICT, None).await;
    assert!(body["detail"].as_str().unwrap().contains("single sign-on"));
    // A reset is answered as always, but no link goes out: there is no password to reset.
    let b = Browser::new();
    let form = b.page(&app.url("/password/forgot")).await;
    for email in ["doc@harbor.example", "loner@elsewhere.example"] {
        let r = submit(&b, app, &form, "/password/forgot", &[("email", email)]).await;
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("If an account uses this address"));
    }
    app.user("loner@elsewhere.example", &[]).await;
    let r = submit(
        &b,
        app,
        &form,
        "/password/forgot",
        &[("email", "loner@elsewhere.example")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    // The mail to someone outside arrives; none ever went to the member.
    m.mails_to("loner@elsewhere.example", 1).await;
    assert!(m.mails_now("doc@harbor.example").is_empty());
}
