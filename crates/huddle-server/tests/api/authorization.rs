//! Walks every route with every role (and anonymous) and checks who gets in.

use huddle_core::identity::Role;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

/// Who may use a route.
#[derive(Clone, Copy, Debug)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in person.
    SignedIn,
    /// Holders of one of these roles.
    Roles(&'static [Role]),
}

const EVERYONE: [Option<Role>; 8] = [
    None,
    Some(Role::Physician),
    Some(Role::Clinician),
    Some(Role::Verifier),
    Some(Role::Moderator),
    Some(Role::OrgAdmin),
    Some(Role::WellbeingLead),
    Some(Role::SystemAdmin),
];

fn api_routes(org: i64, other_user: i64) -> Vec<(Method, String, Option<Value>, Access)> {
    use Access::*;
    const ADMINS: &[Role] = &[Role::OrgAdmin, Role::SystemAdmin];
    vec![
        (
            Method::POST,
            "/api/v1/auth/register".into(),
            Some(json!({ "email": "x", "password": "y", "display_name": "z" })),
            Public,
        ),
        (
            Method::POST,
            "/api/v1/auth/login".into(),
            Some(json!({ "email": "x@example.org", "password": "y" })),
            Public,
        ),
        (Method::GET, "/api/v1/auth/tokens".into(), None, SignedIn),
        (
            Method::DELETE,
            "/api/v1/auth/tokens/999999".into(),
            None,
            SignedIn,
        ),
        (Method::GET, "/api/v1/me".into(), None, SignedIn),
        (
            Method::POST,
            "/api/v1/me/password".into(),
            Some(json!({ "current_password": "x", "new_password": "y" })),
            SignedIn,
        ),
        (Method::POST, "/api/v1/me/mfa/setup".into(), None, SignedIn),
        (
            Method::POST,
            "/api/v1/me/mfa".into(),
            Some(json!({ "secret": "x", "code": "1" })),
            SignedIn,
        ),
        (
            Method::DELETE,
            "/api/v1/me/mfa".into(),
            Some(json!({ "code": "1" })),
            SignedIn,
        ),
        (Method::GET, "/api/v1/verification".into(), None, SignedIn),
        (
            Method::POST,
            "/api/v1/verification".into(),
            Some(
                json!({ "npi": "1", "license_state": "MA", "license_number": "1", "specialty_code": "x" }),
            ),
            SignedIn,
        ),
        (
            Method::GET,
            "/api/v1/verification/queue".into(),
            None,
            Roles(&[Role::Verifier]),
        ),
        (
            Method::POST,
            "/api/v1/verification/999999/decision".into(),
            Some(json!({ "approve": true })),
            Roles(&[Role::Verifier]),
        ),
        (
            Method::GET,
            "/api/v1/organizations".into(),
            None,
            Roles(&[Role::SystemAdmin]),
        ),
        (
            Method::POST,
            "/api/v1/organizations".into(),
            Some(json!({ "name": "" })),
            Roles(&[Role::SystemAdmin]),
        ),
        (
            Method::GET,
            format!("/api/v1/organizations/{org}/departments"),
            None,
            SignedIn,
        ),
        (
            Method::POST,
            format!("/api/v1/organizations/{org}/departments"),
            Some(json!({ "name": "" })),
            Roles(ADMINS),
        ),
        (
            Method::GET,
            format!("/api/v1/organizations/{org}/members"),
            None,
            Roles(ADMINS),
        ),
        (
            Method::POST,
            format!("/api/v1/organizations/{org}/members"),
            Some(json!({ "email": "nobody@example.org" })),
            Roles(ADMINS),
        ),
        (
            Method::GET,
            format!("/api/v1/organizations/{org}/invitations"),
            None,
            Roles(ADMINS),
        ),
        (
            Method::POST,
            format!("/api/v1/organizations/{org}/invitations"),
            Some(json!({ "email": "not an address" })),
            Roles(ADMINS),
        ),
        (
            Method::DELETE,
            format!("/api/v1/organizations/{org}/invitations/999999"),
            None,
            Roles(ADMINS),
        ),
        (
            Method::GET,
            format!("/api/v1/organizations/{org}/sso"),
            None,
            Roles(ADMINS),
        ),
        (
            Method::PUT,
            format!("/api/v1/organizations/{org}/sso"),
            Some(json!({ "issuer": "not a url", "client_id": "", "domains": [] })),
            Roles(ADMINS),
        ),
        (
            Method::GET,
            format!("/api/v1/organizations/{org}/scim/credentials"),
            None,
            Roles(ADMINS),
        ),
        (
            Method::POST,
            format!("/api/v1/organizations/{org}/scim/credentials"),
            Some(json!({ "name": "" })),
            Roles(ADMINS),
        ),
        (Method::GET, "/api/v1/me/passkeys".into(), None, SignedIn),
        (
            Method::POST,
            "/api/v1/auth/passkey/challenge".into(),
            None,
            Public,
        ),
        (
            Method::PUT,
            format!("/api/v1/users/{other_user}/roles"),
            Some(json!({ "roles": [] })),
            Roles(ADMINS),
        ),
        (
            Method::GET,
            "/api/v1/audit".into(),
            None,
            Roles(&[Role::SystemAdmin]),
        ),
    ]
}

#[tokio::test]
async fn every_api_route_answers_every_role_as_designed() {
    let app = spawn_app().await;
    let store = &app.state().store;
    let org = store.create_organization("Walk Clinic", 0).await.unwrap();
    let other = app.user("other@example.org", &[Role::Clinician]).await;
    store
        .set_membership(other, Some(org.id), None)
        .await
        .unwrap();
    let mut tokens = Vec::new();
    for role in EVERYONE {
        let token = match role {
            None => None,
            Some(role) => {
                let email = format!("{}@example.org", role.as_str());
                let id = app.user(&email, &[role]).await;
                store.set_membership(id, Some(org.id), None).await.unwrap();
                Some(app.token(&email).await)
            }
        };
        tokens.push((role, token));
    }
    let mut failures = Vec::new();
    for (method, path, body, access) in api_routes(org.id, other) {
        for (role, token) in &tokens {
            let mut req = Client::new().request(method.clone(), app.url(&path));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            if let Some(b) = &body {
                req = req.json(b);
            }
            let status = req.send().await.unwrap().status();
            let allowed = match access {
                Access::Public => true,
                Access::SignedIn => role.is_some(),
                Access::Roles(roles) => role.is_some_and(|r| roles.contains(&r)),
            };
            let ok = if matches!(access, Access::Public) {
                !status.is_server_error()
            } else if allowed {
                status != StatusCode::UNAUTHORIZED
                    && status != StatusCode::FORBIDDEN
                    && !status.is_server_error()
            } else if role.is_none() {
                status == StatusCode::UNAUTHORIZED
            } else {
                status == StatusCode::FORBIDDEN
            };
            if !ok {
                failures.push(format!("{method} {path} as {role:?}: {status}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "unexpected answers:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn org_admins_reach_only_their_own_organization() {
    let app = spawn_app().await;
    let store = &app.state().store;
    let mine = store.create_organization("Mine", 0).await.unwrap();
    let theirs = store.create_organization("Theirs", 0).await.unwrap();
    let admin = app.user("admin@example.org", &[Role::OrgAdmin]).await;
    store
        .set_membership(admin, Some(mine.id), None)
        .await
        .unwrap();
    let outsider = app.user("outsider@example.org", &[Role::Clinician]).await;
    store
        .set_membership(outsider, Some(theirs.id), None)
        .await
        .unwrap();
    let token = app.token("admin@example.org").await;
    let members = bearer(
        &token,
        Method::GET,
        &app.url(&format!("/api/v1/organizations/{}/members", theirs.id)),
        None,
    )
    .await;
    assert_eq!(members.status(), StatusCode::FORBIDDEN);
    let r = bearer(
        &token,
        Method::PUT,
        &app.url(&format!("/api/v1/users/{outsider}/roles")),
        Some(json!({ "roles": ["org_admin"] })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Within their organization they cannot hand out instance-wide roles.
    let newbie = app.user("newbie@example.org", &[]).await;
    // An account outside the organization cannot be pulled in (tests/api/accounts.rs);
    // a member's roles can be set.
    let r = bearer(
        &token,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{}/members", mine.id)),
        Some(json!({ "email": "newbie@example.org", "roles": ["clinician"] })),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("email")).await;
    store
        .set_membership(newbie, Some(mine.id), None)
        .await
        .unwrap();
    let r = bearer(
        &token,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{}/members", mine.id)),
        Some(json!({ "email": "newbie@example.org", "roles": ["verifier"] })),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("roles")).await;
    let r = bearer(
        &token,
        Method::POST,
        &app.url(&format!("/api/v1/organizations/{}/members", mine.id)),
        Some(json!({ "email": "newbie@example.org", "roles": ["clinician"] })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let member: Value = r.json().await.unwrap();
    assert_eq!(member["roles"], json!(["clinician"]));
    let changes: Vec<String> = store
        .audit_entries(0, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(changes.contains(&"roles_changed".to_string()));
}

#[tokio::test]
async fn pages_redirect_strangers_and_refuse_the_wrong_roles() {
    let app = spawn_app().await;
    app.user("doc@example.org", &[Role::Physician]).await;
    app.user("orgadmin@example.org", &[Role::OrgAdmin]).await;
    let anon = Browser::new();
    for path in [
        "/account",
        "/verification",
        "/verifier",
        "/admin",
        "/admin/audit",
        "/account/mfa",
    ] {
        let r = anon.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/signin?next="));
    }
    let doc = Browser::login(&app, "doc@example.org").await;
    for path in ["/verifier", "/admin", "/admin/audit"] {
        assert_eq!(
            doc.client.get(app.url(path)).send().await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        doc.client
            .get(app.url("/verification"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let admin = Browser::login(&app, "orgadmin@example.org").await;
    assert_eq!(
        admin
            .client
            .get(app.url("/admin/audit"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    // Every page form refuses a post without the CSRF token.
    for path in [
        "/signout",
        "/account/password",
        "/account/mfa",
        "/account/mfa/disable",
        "/account/tokens",
        "/account/tokens/1/revoke",
        "/verification",
        "/verifier/1",
        "/admin/organizations",
        "/admin/departments",
        "/admin/members",
        "/signin",
        "/signup",
    ] {
        let r = doc
            .client
            .post(app.url(path))
            .form(&[("name", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
}
