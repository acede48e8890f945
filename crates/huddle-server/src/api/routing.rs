//! Alerts, the physician's alert inbox, and the organization's routing policy and shifts.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use huddle_core::clock::format_rfc3339;
use huddle_core::routing::Policy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath};
use crate::actions::routing::{self as actions, AlertRequest, AlertView, ShiftRequest};
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/alerts", tag = "routing", request_body = AlertRequest,
    responses((status = 201, description = "stored and routed before this answer", body = AlertView),
        (status = 200, description = "already received under this source_id", body = AlertView),
        (status = 422, body = Problem)))]
pub async fn intake(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<AlertRequest>,
) -> Result<(StatusCode, Json<AlertView>), ApiError> {
    let (view, created) = actions::intake(&state, &p, r).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(view)))
}

#[derive(Serialize, ToSchema)]
pub struct Inbox {
    /// Interrupts and digests that reached me, newest first.
    alerts: Vec<AlertView>,
    /// Alerts waiting in digests still to come.
    upcoming: usize,
}

#[utoipa::path(get, path = "/api/v1/alerts", tag = "routing", responses((status = 200, body = Inbox)))]
pub async fn inbox(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Inbox>, ApiError> {
    let (alerts, upcoming) = actions::inbox(&state, &p).await?;
    Ok(Json(Inbox { alerts, upcoming }))
}

#[utoipa::path(get, path = "/api/v1/alerts/{id}", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = AlertView), (status = 404, body = Problem)))]
pub async fn one(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AlertView>, ApiError> {
    Ok(Json(actions::one(&state, &p, id).await?))
}

#[utoipa::path(post, path = "/api/v1/alerts/{id}/acknowledge", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = AlertView), (status = 404, body = Problem)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AlertView>, ApiError> {
    Ok(Json(actions::acknowledge(&state, &p, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// acted, deferred or dismissed
    outcome: String,
    /// sooner (this should have reached me sooner) or later (this could have waited)
    correction: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/alerts/{id}/answer", tag = "routing", params(("id" = i64, Path)), request_body = Answer,
    responses((status = 200, body = AlertView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<Answer>,
) -> Result<Json<AlertView>, ApiError> {
    Ok(Json(
        actions::answer(&state, &p, id, &r.outcome, r.correction.as_deref()).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct PolicyDoc {
    #[schema(value_type = Object)]
    policy: Policy,
    /// Saved versions, newest first (empty while the starting point is in force).
    versions: Vec<PolicyVersionDoc>,
}

#[derive(Serialize, ToSchema)]
pub struct PolicyVersionDoc {
    version: i64,
    created_by: Option<i64>,
    created_at: String,
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}/routing-policy", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = PolicyDoc), (status = 403, body = Problem)))]
pub async fn get_policy(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PolicyDoc>, ApiError> {
    let (policy, versions) = actions::policy_versions(&state, &p, id).await?;
    Ok(Json(PolicyDoc {
        policy,
        versions: versions
            .into_iter()
            .map(|v| PolicyVersionDoc {
                version: v.version,
                created_by: v.created_by,
                created_at: format_rfc3339(v.created_at),
            })
            .collect(),
    }))
}

#[utoipa::path(put, path = "/api/v1/organizations/{id}/routing-policy", tag = "routing", params(("id" = i64, Path)),
    request_body(content = Object, description = "categories {name: {max_delay_s, always_interrupt}}, digest_cadences_s, team_digests, escalation_s"),
    responses((status = 200, body = PolicyVersionDoc), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_policy(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(policy): ApiJson<Policy>,
) -> Result<Json<PolicyVersionDoc>, ApiError> {
    let v = actions::save_policy(&state, &p, id, policy).await?;
    Ok(Json(PolicyVersionDoc {
        version: v.version,
        created_by: v.created_by,
        created_at: format_rfc3339(v.created_at),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ShiftDoc {
    user_id: i64,
    service: String,
    role: String,
    start: String,
    end: String,
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}/shifts", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = [ShiftDoc]), (status = 403, body = Problem)))]
pub async fn shifts(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ShiftDoc>>, ApiError> {
    Ok(Json(
        actions::shifts(&state, &p, id)
            .await?
            .into_iter()
            .map(|s| ShiftDoc {
                user_id: s.user_id,
                service: s.service,
                role: s.role,
                start: format_rfc3339(s.starts_at),
                end: format_rfc3339(s.ends_at),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct Imported {
    imported: u64,
}

/// Shifts as JSON (`[{email, service, role, start, end}]`), as CSV (`text/csv`, header
/// `email,service,role,start,end`) or as iCalendar (`text/calendar`, one VEVENT a shift).
/// They replace the organization's shifts in their span.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/shifts", tag = "routing", params(("id" = i64, Path)),
    request_body(content = [ShiftRequest], description = "JSON, text/csv with header email,service,role,start,end, or text/calendar"),
    responses((status = 200, body = Imported), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn import_shifts(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Imported>, ApiError> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let shifts = if content_type.starts_with("text/csv") {
        let text =
            std::str::from_utf8(&body).map_err(|_| ApiError::invalid("csv", "UTF-8 text"))?;
        actions::parse_shift_csv(text)?
    } else if content_type.starts_with("text/calendar") {
        let text =
            std::str::from_utf8(&body).map_err(|_| ApiError::invalid("calendar", "UTF-8 text"))?;
        actions::parse_shift_calendar(text)?
    } else if content_type.starts_with("application/json") {
        serde_json::from_slice::<Vec<ShiftRequest>>(&body)
            .map_err(|e| ApiError::invalid("shifts", e.to_string()))?
    } else {
        return Err(ApiError::unsupported_media_type());
    };
    let imported = actions::import_shifts(&state, &p, id, shifts).await?;
    Ok(Json(Imported { imported }))
}

/// The extension that names the service a CommunicationRequest concerns.
pub const SERVICE_EXTENSION: &str = "https://huddle.health/fhir/StructureDefinition/service";

/// Reads a FHIR R4 CommunicationRequest into an alert request. Recipients are
/// `Practitioner/{user id}` or `PractitionerRole/oncall-{service}`; the kind of alert is the
/// first category coding's code (or its text); priority maps routine|urgent|asap|stat.
pub fn communication_request(body: &serde_json::Value) -> Result<AlertRequest, ApiError> {
    let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
    if body["resourceType"] != "CommunicationRequest" {
        return Err(ApiError::invalid(
            "resourceType",
            "must be CommunicationRequest",
        ));
    }
    let recipient = s(&body["recipient"][0]["reference"]).ok_or_else(|| {
        ApiError::invalid(
            "recipient[0].reference",
            "Practitioner/ID or PractitionerRole/oncall-SERVICE",
        )
    })?;
    let (recipient, role_service) = if let Some(id) = recipient.strip_prefix("Practitioner/") {
        (id.to_string(), None)
    } else if let Some(service) = recipient.strip_prefix("PractitionerRole/oncall-") {
        (format!("oncall:{service}"), Some(service.to_string()))
    } else {
        return Err(ApiError::invalid(
            "recipient[0].reference",
            "Practitioner/ID or PractitionerRole/oncall-SERVICE",
        ));
    };
    let service = body["extension"]
        .as_array()
        .and_then(|list| list.iter().find(|e| e["url"] == SERVICE_EXTENSION))
        .and_then(|e| s(&e["valueString"]))
        .or(role_service)
        .ok_or_else(|| {
            ApiError::invalid(
                "extension",
                format!("name the service with {SERVICE_EXTENSION}"),
            )
        })?;
    let category = s(&body["category"][0]["coding"][0]["code"])
        .or_else(|| s(&body["category"][0]["text"]))
        .ok_or_else(|| ApiError::invalid("category[0]", "a coding with the kind of alert"))?;
    let text = s(&body["payload"][0]["contentString"])
        .ok_or_else(|| ApiError::invalid("payload[0].contentString", "the alert's text"))?;
    let patient =
        s(&body["subject"]["reference"]).map(|r| r.trim_start_matches("Patient/").to_string());
    Ok(AlertRequest {
        source: s(&body["sender"]["display"])
            .map(|d| d.to_ascii_lowercase().replace(' ', "_"))
            .unwrap_or_else(|| "ehr".into()),
        source_id: s(&body["identifier"][0]["value"]),
        category,
        priority: s(&body["priority"]).unwrap_or_else(|| "routine".into()),
        service,
        recipient,
        patient,
        text,
    })
}

/// FHIR R4 `CommunicationRequest`: an EHR or clinical system asks Huddle to reach a physician.
#[utoipa::path(post, path = "/fhir/CommunicationRequest", tag = "routing",
    request_body(content = Object, description = "a FHIR R4 CommunicationRequest"),
    responses((status = 201, description = "stored and routed; the CommunicationRequest with its id"),
        (status = 200, description = "already received under this identifier"), (status = 422, body = Problem)))]
pub async fn fhir_intake(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let request = communication_request(&body)?;
    let (view, created) = actions::intake(&state, &p, request).await?;
    let mut resource = body;
    resource["id"] = serde_json::json!(view.id.to_string());
    resource["status"] = serde_json::json!("active");
    resource["authoredOn"] = serde_json::json!(format_rfc3339(view.received_at));
    resource["note"] = serde_json::json!([{ "text": view.why }]);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(resource)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// How many days back (1 to 90; 14 when absent).
    days: Option<i64>,
}

/// Interruption burden per physician and per service: notifications per shift, the share
/// that needed nothing, notifications off shift, and median time to acknowledge.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/routing-report", tag = "routing",
    params(("id" = i64, Path), ReportQuery),
    responses((status = 200, description = "by_physician (user id → burden) and by_service"), (status = 403, body = Problem)))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::ApiQuery(q): super::ApiQuery<ReportQuery>,
) -> Result<Json<huddle_core::routing::metrics::Report>, ApiError> {
    Ok(Json(
        actions::report(&state, &p, id, q.days.unwrap_or(14)).await?,
    ))
}
