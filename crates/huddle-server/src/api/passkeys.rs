//! Passkeys over the API: the WebAuthn ceremonies the account and sign-in pages' script
//! (`web/static/passkeys.js`) runs, and the person's list. Options and credentials are
//! WebAuthn's JSON forms with binary fields as base64url.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use huddle_store::{StoredPasskey, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential};

use super::identity::{me_view, MeView};
use super::{ApiJson, ApiPath};
use crate::actions::identity as identity_actions;
use crate::actions::passkeys::{self as actions, Begun};
use crate::auth::csrf::{set_cookie, SESSION_COOKIE};
use crate::auth::middleware::secure_cookies;
use crate::auth::webauthn::relying_party;
use crate::auth::{ApiUser, ClientIp, PendingMfa};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct PasskeyView {
    id: i64,
    name: String,
    /// Milliseconds since the Unix epoch.
    created_at: i64,
    last_used_at: Option<i64>,
}

impl From<StoredPasskey> for PasskeyView {
    fn from(k: StoredPasskey) -> Self {
        PasskeyView {
            id: k.id,
            name: k.name,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
        }
    }
}

/// A begun ceremony: send `ceremony` back with the authenticator's answer.
#[derive(Serialize, ToSchema)]
pub struct CeremonyView {
    /// Single use; expires after five minutes.
    ceremony: String,
    /// For `navigator.credentials.create` (registration: `{publicKey: …}`) or `.get`
    /// (sign-in), binary fields as base64url.
    #[schema(value_type = Object)]
    options: serde_json::Value,
}

fn begun<T: Serialize>(b: Begun<T>) -> Result<Json<CeremonyView>, ApiError> {
    Ok(Json(CeremonyView {
        ceremony: b.ceremony,
        options: serde_json::to_value(b.options).map_err(ApiError::internal)?,
    }))
}

#[utoipa::path(get, path = "/api/v1/me/passkeys", tag = "identity",
    responses((status = 200, body = [PasskeyView])))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<PasskeyView>>, ApiError> {
    let keys = actions::list(&state, &p).await?;
    Ok(Json(keys.into_iter().map(PasskeyView::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/me/passkeys/registration", tag = "identity",
    responses((status = 200, description = "a registration begun", body = CeremonyView),
        (status = 409, description = "Huddle is reached by an address passkeys cannot use (set server.public_url)", body = Problem)))]
pub async fn begin_registration(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    headers: HeaderMap,
) -> Result<Json<CeremonyView>, ApiError> {
    let rp = relying_party(&state, &headers)?;
    begun(actions::begin_registration(&state, &rp, &p).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddPasskeyRequest {
    ceremony: String,
    /// What to call it, 1 to 64 characters.
    name: String,
    /// The `PublicKeyCredential` from `navigator.credentials.create`, binary fields as
    /// base64url.
    #[schema(value_type = Object)]
    credential: RegisterPublicKeyCredential,
}

#[utoipa::path(post, path = "/api/v1/me/passkeys", tag = "identity", request_body = AddPasskeyRequest,
    responses((status = 201, body = PasskeyView),
        (status = 409, description = "registered already, or Huddle is reached by an address passkeys cannot use", body = Problem),
        (status = 422, description = "a bad name, an expired or used ceremony, or an answer that did not verify", body = Problem)))]
pub async fn add(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    headers: HeaderMap,
    ApiJson(r): ApiJson<AddPasskeyRequest>,
) -> Result<(StatusCode, Json<PasskeyView>), ApiError> {
    let rp = relying_party(&state, &headers)?;
    let stored =
        actions::finish_registration(&state, &rp, &p, &r.ceremony, &r.name, &r.credential).await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

#[utoipa::path(delete, path = "/api/v1/me/passkeys/{id}", tag = "identity", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    actions::remove(&state, &p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/auth/passkey/challenge", tag = "identity",
    responses((status = 200, description = "a passwordless sign-in begun", body = CeremonyView),
        (status = 429, description = "throttled", body = Problem),
        (status = 409, description = "Huddle is reached by an address passkeys cannot use (set server.public_url)", body = Problem)))]
pub async fn begin_sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Result<Json<CeremonyView>, ApiError> {
    let rp = relying_party(&state, &headers)?;
    begun(actions::begin_sign_in(&state, &rp, ip).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasskeyAnswer {
    ceremony: String,
    /// The `PublicKeyCredential` from `navigator.credentials.get`, binary fields as
    /// base64url.
    #[schema(value_type = Object)]
    credential: PublicKeyCredential,
}

#[derive(Serialize, ToSchema)]
pub struct PasskeySignedIn {
    user: MeView,
    /// Send as `X-CSRF-Token` on state-changing requests made with the session cookie.
    csrf_token: String,
}

/// Opens a full session for the person and answers with its cookie.
async fn signed_in(state: &AppState, user: &User) -> Result<Response, ApiError> {
    let (cookie, session) = identity_actions::start_session(state, user.id, false).await?;
    let body = PasskeySignedIn {
        user: me_view(state, user).await?,
        csrf_token: session.csrf_token,
    };
    let cookie = set_cookie(SESSION_COOKIE, &cookie, secure_cookies(state), None);
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

#[utoipa::path(post, path = "/api/v1/auth/passkey", tag = "identity", request_body = PasskeyAnswer,
    responses((status = 200, description = "signed in; the session cookie is set", body = PasskeySignedIn),
        (status = 401, description = "an unknown or removed passkey, a deactivated account, or an answer that did not verify", body = Problem),
        (status = 409, description = "Huddle is reached by an address passkeys cannot use (set server.public_url)", body = Problem),
        (status = 422, description = "an expired or used ceremony", body = Problem)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(r): ApiJson<PasskeyAnswer>,
) -> Result<Response, ApiError> {
    let rp = relying_party(&state, &headers)?;
    let user = actions::finish_sign_in(&state, &rp, ip, &r.ceremony, &r.credential).await?;
    signed_in(&state, &user).await
}

fn pending(pending: Option<Extension<PendingMfa>>) -> Result<PendingMfa, ApiError> {
    pending.map(|Extension(p)| p).ok_or_else(|| {
        ApiError::unauthenticated("sign in with your password first, then with your passkey")
    })
}

#[utoipa::path(post, path = "/api/v1/auth/passkey/second-factor/challenge", tag = "identity",
    responses((status = 200, description = "the second step begun, after a password sign-in", body = CeremonyView),
        (status = 401, description = "no password sign-in waiting for its second step", body = Problem),
        (status = 409, description = "Huddle is reached by an address passkeys cannot use (set server.public_url)", body = Problem)))]
pub async fn begin_second_factor(
    State(state): State<AppState>,
    waiting: Option<Extension<PendingMfa>>,
    headers: HeaderMap,
) -> Result<Json<CeremonyView>, ApiError> {
    let waiting = pending(waiting)?;
    let rp = relying_party(&state, &headers)?;
    begun(actions::begin_second_factor(&state, &rp, &waiting.user).await?)
}

#[utoipa::path(post, path = "/api/v1/auth/passkey/second-factor", tag = "identity", request_body = PasskeyAnswer,
    responses((status = 200, description = "signed in; a new session cookie is set", body = PasskeySignedIn),
        (status = 401, description = "no password sign-in waiting, or the passkey did not verify", body = Problem),
        (status = 409, description = "Huddle is reached by an address passkeys cannot use (set server.public_url)", body = Problem),
        (status = 422, description = "an expired or used ceremony", body = Problem)))]
pub async fn second_factor(
    State(state): State<AppState>,
    waiting: Option<Extension<PendingMfa>>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(r): ApiJson<PasskeyAnswer>,
) -> Result<Response, ApiError> {
    let waiting = pending(waiting)?;
    let rp = relying_party(&state, &headers)?;
    let user = &waiting.user;
    actions::finish_second_factor(&state, &rp, user, ip, &r.ceremony, &r.credential).await?;
    identity_actions::complete_sign_in(&state, user, ip).await?;
    // A new session id once fully signed in: the pending one is never promoted.
    state.store.delete_session(&waiting.session.id_hash).await?;
    signed_in(&state, user).await
}
