//! Single sign-on with each organization's OpenID provider: its settings (org admins),
//! sending a person to the provider (authorization code flow with PKCE, `state` and
//! `nonce`), and the way back (the code exchanged, the ID token verified by the
//! `openidconnect` crate, the address checked against the organization's domains, the
//! member signed in or their account made just in time).

use std::net::IpAddr;

use huddle_core::audit::AuditAction;
use huddle_core::identity::sso::{
    email_domain, email_from_claims, name_from_claims, parse_domains, ClaimName, Issuer,
};
use huddle_core::identity::{DisplayName, Email, Roles};
use huddle_core::keys::KeyOwner;
use huddle_store::{SsoAttempt, SsoConnection, StoreError, User};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::audit::record;
use super::identity::{provision_account, ProvisionedAccount, ProvisionedBy};
use crate::auth::access::OrgAdmin;
use crate::auth::secrets::{hash_secret, new_secret};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// Where the provider sends the browser back.
pub const CALLBACK_PATH: &str = "/auth/sso/callback";
/// How long a person has at their provider before the attempt is forgotten.
pub const ATTEMPT_MINUTES: i64 = 10;
/// The cookie that ties an attempt to the browser that started it, so a way back made for
/// someone else's browser (login CSRF: an attacker's own code and state) opens nothing.
pub const ATTEMPT_COOKIE: &str = "huddle_sso";

/// Where browsers reach Huddle: `server.public_url`, else the request's own host (the
/// redirect URI registered at a provider must match exactly, so set `public_url`).
pub fn origin(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    let public = state.config.server.public_url.trim_end_matches('/');
    if !public.is_empty() {
        return public.to_string();
    }
    let scheme = if state.config.server.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

// ------------------------------------------------------------------ settings

/// An organization's single sign-on settings as its administrators see them: never the
/// client secret, only whether one is saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct SsoSettings {
    pub organization_id: i64,
    /// Whether the organization has a connection at all.
    pub configured: bool,
    pub issuer: String,
    pub client_id: String,
    pub client_secret_set: bool,
    pub email_claim: String,
    pub domains: Vec<String>,
    pub sso_only: bool,
    /// The redirect URI to register at the provider.
    pub redirect_uri: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoSettingsRequest {
    /// `https://…`, the provider's issuer (discovery at `/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    /// Required the first time; omit or leave empty to keep the saved one.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// The ID-token claim holding the address (default `email`).
    #[serde(default)]
    pub email_claim: Option<String>,
    /// The organization's email domains (`riverside.example`); at least one.
    pub domains: Vec<String>,
    /// Passwords off for the organization's members.
    #[serde(default)]
    pub sso_only: bool,
}

fn view(organization_id: i64, origin: &str, c: Option<SsoConnection>) -> SsoSettings {
    let redirect_uri = format!("{}{CALLBACK_PATH}", origin.trim_end_matches('/'));
    match c {
        Some(c) => SsoSettings {
            organization_id,
            configured: true,
            issuer: c.issuer,
            client_id: c.client_id,
            client_secret_set: !c.client_secret_sealed.is_empty(),
            email_claim: c.email_claim,
            domains: c.domains,
            sso_only: c.sso_only,
            redirect_uri,
        },
        None => SsoSettings {
            organization_id,
            configured: false,
            issuer: String::new(),
            client_id: String::new(),
            client_secret_set: false,
            email_claim: huddle_core::identity::sso::DEFAULT_EMAIL_CLAIM.to_string(),
            domains: Vec::new(),
            sso_only: false,
            redirect_uri,
        },
    }
}

/// The organization's settings; `origin` is where browsers reach Huddle.
pub async fn settings(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    origin: &str,
) -> Result<SsoSettings, ApiError> {
    OrgAdmin::of(p, organization_id)?;
    let connection = state.store.sso_connection(organization_id).await?;
    Ok(view(organization_id, origin, connection))
}

/// Saves the organization's connection (the secret sealed, kept when none is sent);
/// audited without the secret.
pub async fn save_settings(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    origin: &str,
    r: SsoSettingsRequest,
) -> Result<SsoSettings, ApiError> {
    let admin = OrgAdmin::of(p, organization_id)?;
    let issuer = Issuer::parse(&r.issuer, state.config.sso.allow_http_issuers)
        .map_err(ApiError::at("issuer"))?;
    let client_id = r.client_id.trim();
    if client_id.is_empty() || client_id.len() > 255 || client_id.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "client_id",
            "the client id your provider gave Huddle, 1 to 255 characters",
        ));
    }
    let email_claim = ClaimName::parse(r.email_claim.as_deref().unwrap_or_default())
        .map_err(ApiError::at("email_claim"))?;
    let domains =
        parse_domains(r.domains.iter().map(String::as_str)).map_err(ApiError::at("domains"))?;
    for domain in &domains {
        if state
            .store
            .domain_has_outside_accounts(domain.as_str(), organization_id)
            .await?
        {
            return Err(ApiError::invalid(
                "domains",
                format!("{domain} has accounts in another organization; it is not yours alone"),
            ));
        }
    }
    let existing = state.store.sso_connection(organization_id).await?;
    let secret = r
        .client_secret
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let client_secret_sealed = match (secret, existing) {
        (Some(secret), _) => {
            if secret.len() > 1000 || secret.chars().any(char::is_control) {
                return Err(ApiError::invalid(
                    "client_secret",
                    "the client secret is at most 1000 characters without control characters",
                ));
            }
            seal_secret(state, organization_id, secret).await?
        }
        (None, Some(existing)) => existing.client_secret_sealed,
        (None, None) => {
            return Err(ApiError::invalid(
                "client_secret",
                "enter the client secret your provider gave Huddle",
            ))
        }
    };
    let connection = SsoConnection {
        organization_id,
        issuer: issuer.as_str().to_string(),
        client_id: client_id.to_string(),
        client_secret_sealed,
        email_claim: email_claim.as_str().to_string(),
        domains: domains.iter().map(|d| d.as_str().to_string()).collect(),
        sso_only: r.sso_only,
        updated_at: state.now(),
    };
    state
        .store
        .save_sso_connection(&connection)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::invalid(
                "domains",
                "another organization signs in with one of these domains",
            ),
            other => other.into(),
        })?;
    record(
        state,
        Some(admin.id),
        AuditAction::SsoChanged,
        format!("organization:{organization_id}"),
        json!({
            "issuer": connection.issuer,
            "client_id": connection.client_id,
            "secret_replaced": secret.is_some(),
            "email_claim": connection.email_claim,
            "domains": connection.domains,
            "sso_only": connection.sso_only,
        }),
    )
    .await?;
    Ok(view(organization_id, origin, Some(connection)))
}

/// Removes the connection: members sign in with passwords again (those who have one).
pub async fn remove_settings(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
) -> Result<(), ApiError> {
    let admin = OrgAdmin::of(p, organization_id)?;
    if !state.store.remove_sso_connection(organization_id).await? {
        return Err(ApiError::not_found(
            "this organization has no single sign-on settings",
        ));
    }
    record(
        state,
        Some(admin.id),
        AuditAction::SsoChanged,
        format!("organization:{organization_id}"),
        json!({ "removed": true }),
    )
    .await
}

async fn seal_secret(
    state: &AppState,
    organization_id: i64,
    secret: &str,
) -> Result<Vec<u8>, ApiError> {
    let owner = KeyOwner::SingleSignOn(organization_id);
    let key = state
        .keys
        .data_key(state.store.as_ref(), owner, state.now())
        .await?;
    key.seal(&owner.to_string(), secret.as_bytes())
        .map_err(ApiError::internal)
}

async fn open_secret(state: &AppState, c: &SsoConnection) -> Result<String, ApiError> {
    let owner = KeyOwner::SingleSignOn(c.organization_id);
    let key = state
        .keys
        .data_key(state.store.as_ref(), owner, state.now())
        .await?;
    let plain = key
        .open(&owner.to_string(), &c.client_secret_sealed)
        .map_err(ApiError::internal)?;
    String::from_utf8(plain).map_err(ApiError::internal)
}

// ------------------------------------------------------------------ passwords off

/// Whether the person's organization signs in only through its provider.
pub async fn sso_only(state: &AppState, user: &User) -> Result<bool, ApiError> {
    match user.organization_id {
        Some(organization_id) => sso_only_organization(state, organization_id).await,
        None => Ok(false),
    }
}

/// Whether the organization's people sign in only through its identity provider.
pub async fn sso_only_organization(
    state: &AppState,
    organization_id: i64,
) -> Result<bool, ApiError> {
    Ok(state
        .store
        .sso_connection(organization_id)
        .await?
        .is_some_and(|c| c.sso_only))
}

/// What a password sign-in or change of an SSO-only organization's member is told.
pub const PASSWORDS_OFF: &str = "your organization signs in through single sign-on: \
    use \"Sign in with your organization\"";

// ------------------------------------------------------------------ sign-in

/// Where to send the browser, and the `state` it must bring back (kept in
/// [`ATTEMPT_COOKIE`]).
pub struct Started {
    pub url: String,
    pub state: String,
}

/// Sends a person to their organization's provider: finds the organization by the
/// address's domain, remembers the attempt (single-use, minutes long) and returns the
/// provider's authorization URL.
pub async fn begin(
    state: &AppState,
    ip: IpAddr,
    email: &str,
    next: &str,
    origin: &str,
) -> Result<Started, ApiError> {
    let now = state.now();
    if let Err(wait) = state.sign_in_throttle.attempt(ip, now) {
        return Err(ApiError::too_many(
            "too many sign-in attempts from this address; wait a minute",
            wait,
        ));
    }
    let email = Email::parse(email).map_err(ApiError::at("email"))?;
    let connection = state
        .store
        .sso_connection_for_domain(email_domain(&email))
        .await?
        .ok_or_else(|| {
            ApiError::invalid(
                "email",
                "no organization signs in with this address's domain; sign in with your password",
            )
        })?;
    let redirect_uri = format!("{}{CALLBACK_PATH}", origin.trim_end_matches('/'));
    let client = client(state, &connection, &redirect_uri).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            || CsrfToken::new(new_secret()),
            || Nonce::new(new_secret()),
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .add_extra_param("login_hint", email.as_str())
        .set_pkce_challenge(challenge)
        .url();
    state.store.delete_expired_sso_attempts(now).await?;
    state
        .store
        .create_sso_attempt(&SsoAttempt {
            state_hash: hash_secret(csrf.secret()),
            organization_id: connection.organization_id,
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            redirect_uri,
            next: Some(next.to_string()),
            expires_at: now + ATTEMPT_MINUTES * huddle_core::clock::MINUTE,
        })
        .await?;
    Ok(Started {
        url: url.to_string(),
        state: csrf.secret().clone(),
    })
}

/// What the provider sent the browser back with.
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// A person signed in through their organization's provider.
pub struct SignedIn {
    pub user: User,
    pub next: String,
}

/// Finishes a sign-in: the attempt taken once (only by the browser that started it:
/// `browser_state` is its [`ATTEMPT_COOKIE`]), the code exchanged (with the PKCE
/// verifier), the ID token verified (signature, issuer, audience, expiry, nonce), the
/// address checked, then the member found or made. Every refusal is audited.
pub async fn finish(
    state: &AppState,
    ip: IpAddr,
    browser_state: Option<&str>,
    back: Callback,
) -> Result<SignedIn, ApiError> {
    let attempt = take_attempt(state, ip, browser_state, back.state.as_deref()).await?;
    let org = attempt.organization_id;
    if let Some(error) = back.error.as_deref() {
        // The provider's own words, shortened: they come in through the address bar.
        let detail: String = back
            .error_description
            .as_deref()
            .unwrap_or(error)
            .chars()
            .take(200)
            .collect();
        let why = format!("provider: {}", error.chars().take(100).collect::<String>());
        let words = format!("your organization's sign-in did not complete: {detail}");
        return Err(refuse(state, Some(org), ip, &why, &words).await);
    }
    let Some(code) = back.code.filter(|c| !c.is_empty()) else {
        return Err(refuse(state, Some(org), ip, "no code", "the provider sent no code").await);
    };
    let Some(connection) = state.store.sso_connection(org).await? else {
        let words = "your organization no longer signs in through single sign-on";
        return Err(refuse(state, Some(org), ip, "connection removed", words).await);
    };
    let claims = verified_claims(state, ip, &attempt, &connection, code).await?;
    let user = account(state, ip, &connection, &claims).await?;
    state.store.record_login_success(user.id).await?;
    // The provider authenticated the person (its own second factor included): Huddle's
    // TOTP is not asked again.
    record(
        state,
        Some(user.id),
        AuditAction::SignIn,
        format!("user:{}", user.id),
        json!({ "ip": ip.to_string(), "method": "single_sign_on", "organization": org }),
    )
    .await?;
    Ok(SignedIn {
        user,
        next: attempt.next.unwrap_or_else(|| "/".into()),
    })
}

/// The attempt the way back names, taken (it works once), if this browser started it.
async fn take_attempt(
    state: &AppState,
    ip: IpAddr,
    browser_state: Option<&str>,
    back_state: Option<&str>,
) -> Result<SsoAttempt, ApiError> {
    let Some(back_state) = back_state.filter(|s| Some(*s) == browser_state) else {
        let words =
            "this sign-in was started in another browser, already used or expired; start again";
        return Err(refuse(state, None, ip, "state not from this browser", words).await);
    };
    let taken = state
        .store
        .take_sso_attempt(&hash_secret(back_state), state.now())
        .await?;
    match taken {
        Some(attempt) => Ok(attempt),
        None => {
            let words = "this sign-in was already used or has expired; start again";
            Err(refuse(state, None, ip, "unknown or used state", words).await)
        }
    }
}

/// The code exchanged for tokens and the ID token verified by the crate (signature,
/// issuer, audience, expiry, nonce); its claims as JSON.
async fn verified_claims(
    state: &AppState,
    ip: IpAddr,
    attempt: &SsoAttempt,
    connection: &SsoConnection,
    code: String,
) -> Result<serde_json::Value, ApiError> {
    use openidconnect::TokenResponse as _;
    let org = connection.organization_id;
    let client = client(state, connection, &attempt.redirect_uri).await?;
    let exchange = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| ApiError::upstream(format!("the provider has no token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(attempt.pkce_verifier.clone()));
    let tokens = match exchange.request_async(crate::outbox::client()).await {
        Ok(tokens) => tokens,
        Err(e) => {
            let why = format!("token exchange: {e}");
            let words = "your organization's provider refused the sign-in; start again";
            return Err(refuse(state, Some(org), ip, &why, words).await);
        }
    };
    let Some(id_token) = tokens.id_token() else {
        let words = "the provider sent no ID token";
        return Err(refuse(state, Some(org), ip, "no ID token", words).await);
    };
    let nonce = Nonce::new(attempt.nonce.clone());
    if let Err(e) = id_token.claims(&client.id_token_verifier(), &nonce) {
        let why = format!("ID token: {e}");
        let words = "the answer from your organization's provider could not be verified; \
            nothing was signed in";
        return Err(refuse(state, Some(org), ip, &why, words).await);
    }
    verified_payload(id_token)
}

/// The account the verified claims open: the mapped address, in the organization's
/// domains; its member, or a new member made just in time.
async fn account(
    state: &AppState,
    ip: IpAddr,
    connection: &SsoConnection,
    claims: &serde_json::Value,
) -> Result<User, ApiError> {
    let org = connection.organization_id;
    let claim = ClaimName::parse(&connection.email_claim).map_err(ApiError::internal)?;
    let domains =
        parse_domains(connection.domains.iter().map(String::as_str)).map_err(ApiError::internal)?;
    let email = match email_from_claims(claims, &claim, &domains) {
        Ok(email) => email,
        Err(refusal) => {
            let why = format!("{refusal:?}");
            return Err(refuse(state, Some(org), ip, &why, &refusal.to_string()).await);
        }
    };
    if let Some(user) = state.store.user_by_email(&email).await? {
        return member(state, ip, org, user).await;
    }
    let name = name_from_claims(claims, &email);
    let display_name = DisplayName::parse(&name)
        .or_else(|_| DisplayName::parse(email.as_str()))
        .map_err(ApiError::at("name"))?;
    let account = ProvisionedAccount {
        email,
        display_name,
        organization_id: org,
        department_id: None,
        roles: Roles::default(),
    };
    provision_account(state, account, ProvisionedBy::SingleSignOn, None).await
}

/// An existing account may sign in through its own organization's provider only, and not
/// when deactivated.
async fn member(state: &AppState, ip: IpAddr, org: i64, user: User) -> Result<User, ApiError> {
    if user.deactivated_at.is_some() {
        return Err(refuse_user(
            state,
            &user,
            ip,
            "deactivated",
            "this account is deactivated; ask your organization's administrator",
        )
        .await);
    }
    if user.organization_id != Some(org) {
        return Err(refuse_user(
            state,
            &user,
            ip,
            "account outside the organization",
            "this address has a Huddle account outside your organization; \
             ask your organization's administrator to add it",
        )
        .await);
    }
    Ok(user)
}

/// The ID token's claims as JSON, read only after `claims()` verified its signature: the
/// mapped claim may be any claim, not only the standard ones the crate types.
fn verified_payload(id_token: &CoreIdToken) -> Result<serde_json::Value, ApiError> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    let compact = id_token.to_string();
    let payload = compact
        .split('.')
        .nth(1)
        .and_then(|p| URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    payload.ok_or_else(|| ApiError::upstream("the ID token's claims are not JSON"))
}

/// The organization's client, from the provider's discovery document (fetched with the
/// shared HTTP client: timeouts, no redirects). Every endpoint must be HTTPS unless the
/// deployment allows plain HTTP.
async fn client(
    state: &AppState,
    c: &SsoConnection,
    redirect_uri: &str,
) -> Result<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
    ApiError,
> {
    let issuer = IssuerUrl::new(c.issuer.clone())
        .map_err(|_| ApiError::upstream("the organization's issuer is not a URL"))?;
    let metadata = CoreProviderMetadata::discover_async(issuer, crate::outbox::client())
        .await
        .map_err(|e| {
            tracing::warn!(organization = c.organization_id, error = %e, "OpenID discovery failed");
            ApiError::upstream(
                "your organization's identity provider did not answer; try again shortly",
            )
        })?;
    let allow_http = state.config.sso.allow_http_issuers;
    let endpoints = [
        Some(metadata.authorization_endpoint().url().as_str()),
        metadata.token_endpoint().map(|u| u.url().as_str()),
        Some(metadata.jwks_uri().url().as_str()),
    ];
    if endpoints
        .iter()
        .flatten()
        .any(|u| !(u.starts_with("https://") || allow_http && u.starts_with("http://")))
    {
        return Err(ApiError::upstream(
            "your organization's identity provider offers endpoints without HTTPS",
        ));
    }
    let secret = open_secret(state, c).await?;
    let redirect = RedirectUrl::new(redirect_uri.to_string())
        .map_err(|_| ApiError::internal("the callback address is not a URL"))?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(c.client_id.clone()),
        Some(ClientSecret::new(secret)),
    )
    .set_redirect_uri(redirect))
}

/// Records a refused sign-in (`why`: for the log, never a token) and answers `words`.
async fn refuse(
    state: &AppState,
    organization_id: Option<i64>,
    ip: IpAddr,
    why: &str,
    words: &str,
) -> ApiError {
    let target = organization_id.map_or_else(
        || "organization:unknown".to_string(),
        |id| format!("organization:{id}"),
    );
    let detail = json!({ "ip": ip.to_string(), "reason": why });
    if let Err(e) = record(state, None, AuditAction::SsoSignInRefused, target, detail).await {
        return e;
    }
    ApiError::forbidden(words)
}

async fn refuse_user(
    state: &AppState,
    user: &User,
    ip: IpAddr,
    why: &str,
    words: &str,
) -> ApiError {
    let detail = json!({ "ip": ip.to_string(), "reason": why });
    let target = format!("user:{}", user.id);
    if let Err(e) = record(
        state,
        Some(user.id),
        AuditAction::SsoSignInRefused,
        target,
        detail,
    )
    .await
    {
        return e;
    }
    ApiError::forbidden(words)
}
