//! Physician verification over the API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use huddle_core::identity::nppes::NppesMatch;
use huddle_store::VerificationRequest;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath};
use crate::actions::verification::{self as actions, Submission};
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    /// 10 digits with a valid check digit.
    npi: String,
    /// Two-letter state code.
    license_state: String,
    license_number: String,
    /// NUCC taxonomy code of a physician specialty, e.g. `207RC0000X`.
    specialty_code: String,
}

#[derive(Serialize, ToSchema)]
pub struct RequestView {
    id: i64,
    status: String,
    npi: String,
    license_state: String,
    license_number: String,
    specialty_code: String,
    submitted_at: i64,
    decided_at: Option<i64>,
    reason: Option<String>,
}

impl From<VerificationRequest> for RequestView {
    fn from(r: VerificationRequest) -> Self {
        RequestView {
            id: r.id,
            status: r.status.as_str().to_string(),
            npi: r.npi,
            license_state: r.license_state,
            license_number: r.license_number,
            specialty_code: r.specialty_code,
            submitted_at: r.submitted_at,
            decided_at: r.decided_at,
            reason: r.reason,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Submitted {
    id: i64,
    status: String,
}

#[utoipa::path(post, path = "/api/v1/verification", tag = "verification", request_body = SubmitRequest,
    responses((status = 202, description = "filed for review", body = Submitted), (status = 422, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(req): ApiJson<SubmitRequest>,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    let request = actions::submit(
        &state,
        &p,
        Submission {
            npi: &req.npi,
            license_state: &req.license_state,
            license_number: &req.license_number,
            specialty_code: &req.specialty_code,
        },
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Submitted {
            id: request.id,
            status: request.status.as_str().to_string(),
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct MyVerification {
    status: String,
    request: Option<RequestView>,
}

#[utoipa::path(get, path = "/api/v1/verification", tag = "verification",
    responses((status = 200, body = MyVerification)))]
pub async fn mine(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<MyVerification>, ApiError> {
    let (status, request) = actions::status(&state, p.id()).await?;
    Ok(Json(MyVerification {
        status: status.as_str().to_string(),
        request: request.map(Into::into),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct NppesView {
    individual: bool,
    name: bool,
    license: bool,
    specialty: bool,
}

impl From<NppesMatch> for NppesView {
    fn from(m: NppesMatch) -> Self {
        NppesView {
            individual: m.individual,
            name: m.name,
            license: m.license,
            specialty: m.specialty,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct QueueEntry {
    request: RequestView,
    user_id: i64,
    display_name: String,
    email: String,
    specialty_name: String,
    /// How the submission compares with the imported NPPES extract; null when the NPI is not in it.
    nppes: Option<NppesView>,
}

#[utoipa::path(get, path = "/api/v1/verification/queue", tag = "verification",
    responses((status = 200, body = [QueueEntry]), (status = 403, body = Problem)))]
pub async fn queue(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<QueueEntry>>, ApiError> {
    let items = actions::queue(&state, &p).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|i| QueueEntry {
                user_id: i.request.user_id,
                request: i.request.into(),
                display_name: i.display_name,
                email: i.email,
                specialty_name: i.specialty_name.to_string(),
                nppes: i.nppes.map(Into::into),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    approve: bool,
    /// Required when rejecting; the physician sees it.
    #[serde(default)]
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/verification/{id}/decision", tag = "verification",
    params(("id" = i64, Path)), request_body = DecisionRequest,
    responses((status = 200, body = RequestView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> Result<Json<RequestView>, ApiError> {
    let decided = actions::decide(&state, &p, id, req.approve, &req.reason).await?;
    Ok(Json(decided.into()))
}
