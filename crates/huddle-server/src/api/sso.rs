//! An organization's single sign-on settings over the API (its administrators only). The
//! client secret goes in and never comes back out.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::{ApiJson, ApiPath};
use crate::actions::sso::{self, SsoSettings, SsoSettingsRequest};
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// The organization's OpenID Connect settings, without the client secret.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/sso", tag = "identity", params(("id" = i64, Path)),
    responses((status = 200, body = SsoSettings), (status = 403, body = Problem)))]
pub async fn settings(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<Json<SsoSettings>, ApiError> {
    let origin = sso::origin(&state, &headers);
    Ok(Json(sso::settings(&state, &p, id, &origin).await?))
}

/// Saves the organization's issuer, client, email claim, domains and whether passwords are
/// off for its members. Audited (without the secret).
#[utoipa::path(put, path = "/api/v1/organizations/{id}/sso", tag = "identity", params(("id" = i64, Path)),
    request_body = SsoSettingsRequest,
    responses((status = 200, body = SsoSettings), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn save(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(r): ApiJson<SsoSettingsRequest>,
) -> Result<Json<SsoSettings>, ApiError> {
    let origin = sso::origin(&state, &headers);
    Ok(Json(sso::save_settings(&state, &p, id, &origin, r).await?))
}

/// Removes single sign-on: members with a password sign in with it again.
#[utoipa::path(delete, path = "/api/v1/organizations/{id}/sso", tag = "identity", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    sso::remove_settings(&state, &p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
