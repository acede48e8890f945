//! Accounts over the API: register, sign in, tokens, the current person, password and MFA.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use huddle_store::{ApiToken, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath};
use crate::actions::identity::{self as actions, SignIn};
use crate::actions::verification;
use crate::auth::csrf::{set_cookie, SESSION_COOKIE};
use crate::auth::middleware::secure_cookies;
use crate::auth::{ApiUser, ClientIp};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    email: String,
    /// At least 12 characters.
    password: String,
    display_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct VerificationView {
    /// `unverified`, `pending`, `verified` or `rejected`.
    status: String,
    specialty_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MeView {
    id: i64,
    email: String,
    display_name: String,
    roles: Vec<String>,
    organization_id: Option<i64>,
    department_id: Option<i64>,
    mfa_enabled: bool,
    verification: VerificationView,
}

pub async fn me_view(state: &AppState, user: &User) -> Result<MeView, ApiError> {
    let (status, latest) = verification::status(state, user.id).await?;
    Ok(MeView {
        id: user.id,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        roles: user.roles.iter().map(|r| r.as_str().to_string()).collect(),
        organization_id: user.organization_id,
        department_id: user.department_id,
        mfa_enabled: user.mfa_enabled(),
        verification: VerificationView {
            status: status.as_str().to_string(),
            specialty_code: latest.map(|r| r.specialty_code),
        },
    })
}

/// The answer to every accepted sign-up, whether the address was new or already had an
/// account: nothing in it tells the two apart.
#[derive(Serialize, ToSchema)]
pub struct RegistrationView {
    /// Always `accepted`.
    status: &'static str,
    /// What to do next, in words.
    detail: &'static str,
}

#[utoipa::path(post, path = "/api/v1/auth/register", tag = "identity", request_body = RegisterRequest,
    responses((status = 202, description = "accepted: the account exists now (new, or already there and unchanged); sign in to use it", body = RegistrationView),
        (status = 422, description = "weak or common password, or a malformed value", body = Problem),
        (status = 429, description = "too many sign-ups from this address", body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<RegistrationView>), ApiError> {
    actions::register(&state, ip, &req.email, &req.password, &req.display_name).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(RegistrationView {
            status: "accepted",
            detail: actions::REGISTRATION_ACCEPTED,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    email: String,
    password: String,
    /// The current six-digit code, for accounts with two-step sign-in.
    totp_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    user: MeView,
    /// Send as `X-CSRF-Token` on state-changing requests made with the session cookie.
    csrf_token: String,
}

/// API clients send the code with the password: one step, or `mfa-required`.
async fn api_sign_in(
    state: &AppState,
    ip: std::net::IpAddr,
    email: &str,
    password: &str,
    totp_code: Option<&str>,
) -> Result<User, ApiError> {
    match actions::sign_in(state, ip, email, password, totp_code).await? {
        SignIn::Complete(user) => Ok(user),
        SignIn::NeedsCode(_) => Err(ApiError::mfa_required()),
    }
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "identity", request_body = LoginRequest,
    responses((status = 200, description = "signed in; the session cookie is set", body = LoginResponse),
        (status = 401, description = "wrong credentials, or `mfa-required`", body = Problem),
        (status = 429, description = "throttled or locked", body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let user = api_sign_in(
        &state,
        ip,
        &req.email,
        &req.password,
        req.totp_code.as_deref(),
    )
    .await?;
    let (cookie, session) = actions::start_session(&state, user.id, false).await?;
    let body = LoginResponse {
        user: me_view(&state, &user).await?,
        csrf_token: session.csrf_token,
    };
    let cookie = set_cookie(SESSION_COOKIE, &cookie, secure_cookies(&state), None);
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "identity",
    responses((status = 204, description = "the session ended")))]
pub async fn logout(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Response, ApiError> {
    actions::sign_out(&state, &p).await?;
    let cookie = set_cookie(SESSION_COOKIE, "", secure_cookies(&state), Some(0));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    email: String,
    password: String,
    totp_code: Option<String>,
    /// What the token is for, e.g. "laptop".
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct NewTokenView {
    id: i64,
    name: String,
    /// Shown once: store it now.
    token: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    id: i64,
    name: String,
    created_at: i64,
    last_used_at: Option<i64>,
}

impl From<ApiToken> for TokenView {
    fn from(t: ApiToken) -> Self {
        TokenView {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "identity", request_body = TokenRequest,
    responses((status = 201, body = NewTokenView), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn create_token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<NewTokenView>), ApiError> {
    let user = api_sign_in(
        &state,
        ip,
        &req.email,
        &req.password,
        req.totp_code.as_deref(),
    )
    .await?;
    let (token, stored) = actions::create_api_token(&state, &user, &req.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewTokenView {
            id: stored.id,
            name: stored.name,
            token,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "identity",
    responses((status = 200, body = [TokenView]), (status = 401, body = Problem)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<TokenView>>, ApiError> {
    let tokens = state.store.api_tokens(p.id()).await?;
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", tag = "identity",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    actions::revoke_api_token(&state, &p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "identity",
    responses((status = 200, body = MeView), (status = 401, body = Problem)))]
pub async fn me(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<MeView>, ApiError> {
    Ok(Json(me_view(&state, &p.user).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
}

#[utoipa::path(post, path = "/api/v1/me/password", tag = "identity", request_body = PasswordChange,
    responses((status = 204, description = "changed; other sessions were signed out"), (status = 422, body = Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    actions::change_password(&state, &p, &req.current_password, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct MfaSetup {
    /// Base32 secret to type into an authenticator app.
    secret: String,
    otpauth_url: String,
}

#[utoipa::path(post, path = "/api/v1/me/mfa/setup", tag = "identity",
    responses((status = 200, description = "a new secret; nothing is stored until confirmed", body = MfaSetup)))]
pub async fn mfa_setup(ApiUser(p): ApiUser) -> Json<MfaSetup> {
    let (secret, otpauth_url) = actions::mfa_setup(&p);
    Json(MfaSetup {
        secret,
        otpauth_url,
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaEnable {
    secret: String,
    /// A current code from the app, proving it holds the secret.
    code: String,
}

#[utoipa::path(post, path = "/api/v1/me/mfa", tag = "identity", request_body = MfaEnable,
    responses((status = 204, description = "two-step sign-in is on"), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn mfa_enable(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(req): ApiJson<MfaEnable>,
) -> Result<StatusCode, ApiError> {
    actions::enable_mfa(&state, &p, &req.secret, &req.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaDisable {
    code: String,
}

#[utoipa::path(delete, path = "/api/v1/me/mfa", tag = "identity", request_body = MfaDisable,
    responses((status = 204, description = "two-step sign-in is off"), (status = 422, body = Problem)))]
pub async fn mfa_disable(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<MfaDisable>,
) -> Result<StatusCode, ApiError> {
    actions::disable_mfa(&state, &p, ip, &req.code).await?;
    Ok(StatusCode::NO_CONTENT)
}
