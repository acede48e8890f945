use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use huddle_core::clock::{Clock, ManualClock, SystemClock};
use huddle_core::identity::{DisplayName, Email, NewPassword, Role, Roles};
use huddle_server::actions::identity::create_account;
use huddle_server::serve::{self, Running};
use huddle_server::{AppState, Config};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub running: Running,
}

/// A fresh server on a random port with its own SQLite database and a clock tests move.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The public address mailed links point at in tests (never the request's own Host).
pub const PUBLIC_URL: &str = "http://huddle.hospital.test";

/// Sign-up open to anyone, as a deployment may choose. Mail goes to a relay that is not
/// there: these tests read no mail (tests/api/accounts.rs does, from a real SMTP server).
pub fn open_sign_up(c: &mut Config) {
    c.accounts.sign_up = huddle_server::config::SignUpMode::Open;
    c.server.public_url = PUBLIC_URL.into();
    c.email.host = Some("127.0.0.1".into());
    c.email.port = Some(crate::peers::free_port());
}

/// Marks an account's address proved, as following its mailed link does.
pub async fn prove_address(app: &TestApp, email: &str) {
    let store = &app.state().store;
    let user = store
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap();
    store
        .set_email_verified(user.id, app.clock.now())
        .await
        .unwrap();
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "huddle-api-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = Config::default();
    config.server.bind = "127.0.0.1:0".into();
    config.database.data_dir = Some(dir);
    configure(&mut config);
    let store = huddle_server::store::open(&config.database.resolved_url())
        .await
        .expect("store");
    let clock = Arc::new(ManualClock::at(SystemClock.now()));
    let running = serve::start(config, store, clock.clone() as Arc<dyn Clock>)
        .await
        .expect("start");
    TestApp {
        base: format!("http://{}", running.addr),
        clock,
        running,
    }
}

impl TestApp {
    pub fn state(&self) -> &AppState {
        &self.running.state
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// An account created directly, with the given roles.
    pub async fn user(&self, email: &str, roles: &[Role]) -> i64 {
        create_account(
            self.state(),
            Email::parse(email).unwrap(),
            NewPassword::parse(PASSWORD).unwrap(),
            DisplayName::parse(&format!("Dr. {email}")).unwrap(),
            Roles::new(roles.iter().copied()),
            None,
            None,
        )
        .await
        .map_err(|e| e.detail().to_string())
        .unwrap()
        .id
    }

    /// A physician verified in the given NUCC specialty, with any extra roles.
    pub async fn verified_physician(&self, email: &str, nucc: &str, extra: &[Role]) -> i64 {
        use huddle_core::identity::{specialty, LicenseNumber, LicenseState, Npi};
        let mut roles = vec![Role::Physician];
        roles.extend_from_slice(extra);
        let id = self.user(email, &roles).await;
        let store = &self.state().store;
        let request = store
            .submit_verification(huddle_store::NewVerification {
                user_id: id,
                npi: Npi::parse("1234567893").unwrap(),
                license_state: LicenseState::parse("MA").unwrap(),
                license_number: LicenseNumber::parse(&format!("MD-{id}")).unwrap(),
                specialty: specialty(nucc).unwrap(),
                submitted_at: self.clock.now(),
            })
            .await
            .unwrap();
        store
            .decide_verification(
                request.id,
                &huddle_store::Decision {
                    decided_by: id,
                    approve: true,
                    reason: "test".into(),
                    at: self.clock.now(),
                },
            )
            .await
            .unwrap();
        id
    }

    /// A Bearer token for an account.
    pub async fn token(&self, email: &str) -> String {
        let r = reqwest::Client::new()
            .post(self.url("/api/v1/auth/tokens"))
            .json(&json!({ "email": email, "password": PASSWORD, "name": "test" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// A browser-like client: keeps cookies, sends the CSRF token it was given.
pub struct Browser {
    pub client: Client,
    pub csrf: Option<String>,
}

impl Browser {
    pub fn new() -> Browser {
        Browser {
            client: Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            csrf: None,
        }
    }

    /// Signs in through the JSON API and keeps the session cookie and CSRF token.
    pub async fn login(app: &TestApp, email: &str) -> Browser {
        let mut b = Browser::new();
        let r = b
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login of {email}");
        let body: Value = r.json().await.unwrap();
        b.csrf = body["csrf_token"].as_str().map(str::to_string);
        b
    }

    /// A page's HTML.
    pub async fn page(&self, url: &str) -> String {
        self.client
            .get(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Posts the sign-in form of `page` (a page that holds its CSRF token) as a person would.
    pub async fn sign_in_form(
        &self,
        app: &TestApp,
        page: &str,
        email: &str,
        next: &str,
    ) -> Response {
        let csrf = hidden(page, "csrf_token");
        self.client
            .post(app.url("/signin"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("email", email),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap()
    }

    pub async fn send(&self, method: Method, url: &str, body: Option<Value>) -> Response {
        let mut req = self.client.request(method, url);
        if let Some(csrf) = &self.csrf {
            req = req.header("x-csrf-token", csrf);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.unwrap()
    }
}

/// The value of a page's hidden (or any) input named `name`.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no {name} in page"));
    let end = html[start..].find('"').unwrap();
    html[start..start + end].to_string()
}

/// Sends JSON with a Bearer token.
pub async fn bearer(token: &str, method: Method, url: &str, body: Option<Value>) -> Response {
    let mut req = Client::new().request(method, url).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

/// Asserts a problem+json answer with the status and, when given, the field.
pub async fn assert_problem(r: Response, status: StatusCode, field: Option<&str>) -> Value {
    assert_eq!(r.status(), status);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    if let Some(field) = field {
        assert_eq!(body["field"], field, "{body}");
    }
    body
}

/// The current TOTP code for a secret, at the app's clock.
pub fn code_now(app: &TestApp, secret: &str) -> String {
    let secs = (app.clock.now() / 1000) as u64;
    huddle_server::auth::totp::code_at(secret, secs).unwrap()
}

/// A self-signed certificate for localhost made by the openssl command, in a fresh folder:
/// (cert, key), or None when openssl cannot make one here.
pub fn test_certificate(name: &str) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    certificate_with(name, &[])
}

/// A self-signed end-entity certificate for localhost and 127.0.0.1 that rustls clients
/// accept when it is given as their root (names in subjectAltName, not a CA).
pub fn server_certificate(name: &str) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    certificate_with(
        name,
        &[
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
        ],
    )
}

fn certificate_with(
    name: &str,
    extra: &[&str],
) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let dir = std::env::temp_dir().join(format!("huddle-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = std::process::Command::new("openssl")
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
        .args(extra)
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output();
    made.is_ok_and(|o| o.status.success())
        .then_some((cert, key))
}

/// A sign-up through the API, as a person would (`display_name` "Dr. Someone").
pub async fn register(app: &TestApp, email: &str, password: &str) -> Response {
    Client::new()
        .post(app.url("/api/v1/auth/register"))
        .json(&json!({ "email": email, "password": password, "display_name": "Dr. Someone" }))
        .send()
        .await
        .unwrap()
}

/// A sign-in through the API, answered as is.
pub async fn login(app: &TestApp, email: &str, password: &str) -> Response {
    Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}
