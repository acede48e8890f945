//! Web Push: the application server key, and the person's devices with notifications on.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, ApiPath};
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::push::{self, SubscriptionRequest, SubscriptionView};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct PushKey {
    /// The VAPID public key (base64url, uncompressed P-256): `applicationServerKey`.
    public_key: String,
}

#[utoipa::path(get, path = "/api/v1/push/key", tag = "push", responses((status = 200, body = PushKey)))]
pub async fn key(
    State(state): State<AppState>,
    ApiUser(_signed_in): ApiUser,
) -> Result<Json<PushKey>, ApiError> {
    Ok(Json(PushKey {
        public_key: push::public_key(&state).await?,
    }))
}

/// Turns notifications on for this device: the browser's `PushSubscription.toJSON()`.
#[utoipa::path(post, path = "/api/v1/push/subscriptions", tag = "push", request_body = SubscriptionRequest,
    responses((status = 201, body = SubscriptionView), (status = 422, body = Problem)))]
pub async fn subscribe(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<SubscriptionRequest>,
) -> Result<(StatusCode, Json<SubscriptionView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(push::subscribe(&state, &p, r).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/push/subscriptions", tag = "push",
    responses((status = 200, body = [SubscriptionView])))]
pub async fn devices(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<SubscriptionView>>, ApiError> {
    Ok(Json(push::devices(&state, &p).await?))
}

#[utoipa::path(delete, path = "/api/v1/push/subscriptions/{id}", tag = "push", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    push::unsubscribe(&state, &p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
