//! Reach over the API: what a service worker sends back about a notification (with the
//! capability it carried, no session), and an organization's paging gateway.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use huddle_store::ReceiptKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath};
use crate::actions::reach::{self, Act, GatewayRequest, GatewayView};
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRequest {
    /// The `hkn_…` capability the notification carried.
    pub capability: String,
    /// `delivered` (the service worker got it) or `seen` (the person tapped it).
    pub kind: String,
}

/// A device confirms a notification arrived or was seen.
#[utoipa::path(post, path = "/api/v1/notifications/receipt", tag = "push", request_body = ReceiptRequest,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn receipt(
    State(state): State<AppState>,
    ApiJson(r): ApiJson<ReceiptRequest>,
) -> Result<StatusCode, ApiError> {
    let kind = match r.kind.as_str() {
        "delivered" => ReceiptKind::Delivered,
        "seen" => ReceiptKind::Seen,
        _ => return Err(ApiError::invalid("kind", "delivered or seen")),
    };
    reach::receipt_by_capability(&state, &r.capability, kind).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    pub capability: String,
    pub action: Act,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionDone {
    pub alert_id: i64,
    pub state: String,
}

/// A button on a lock screen: acknowledge, or on my way. Once per notification.
#[utoipa::path(post, path = "/api/v1/notifications/action", tag = "push", request_body = ActionRequest,
    responses((status = 200, body = ActionDone), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn action(
    State(state): State<AppState>,
    ApiJson(r): ApiJson<ActionRequest>,
) -> Result<Json<ActionDone>, ApiError> {
    let view = reach::act_by_capability(&state, &r.capability, r.action).await?;
    Ok(Json(ActionDone {
        alert_id: view.id,
        state: view.state,
    }))
}

/// The organization's SMS or paging gateway and its signing secret (reading it is audited).
#[utoipa::path(get, path = "/api/v1/organizations/{id}/gateway", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = GatewayView), (status = 403, body = Problem)))]
pub async fn gateway(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<GatewayView>, ApiError> {
    Ok(Json(reach::gateway(&state, &p, id).await?))
}

#[utoipa::path(put, path = "/api/v1/organizations/{id}/gateway", tag = "routing", params(("id" = i64, Path)),
    request_body = GatewayRequest,
    responses((status = 200, body = GatewayView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_gateway(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<GatewayRequest>,
) -> Result<Json<GatewayView>, ApiError> {
    Ok(Json(reach::set_gateway(&state, &p, id, r).await?))
}
