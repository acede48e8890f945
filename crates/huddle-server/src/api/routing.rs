//! Alerts, the physician's alert inbox, and the organization's routing policy and shifts.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use huddle_core::clock::format_rfc3339;
use huddle_core::routing::Policy;
use huddle_store::Intake;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath};
use crate::actions::intake::{self, IntegrationRequest, IntegrationView};
use crate::actions::paging::{self, PageRequest, SentPage};
use crate::actions::routing::{self as actions, AlertRequest, AlertView, ShiftRequest};
use crate::auth::{ApiUser, ClientIp, Feed};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// The answer to a retry: the alert's id and nothing else (whoever holds a feed's old
/// id learns nothing from it).
#[derive(Serialize, ToSchema)]
pub struct Duplicate {
    id: i64,
    duplicate: bool,
}

/// Machine intake, for a registered feed's integration credential only. A person's session
/// or token is refused (403) and the attempt audited: people page through `/api/v1/pages`.
#[utoipa::path(post, path = "/api/v1/alerts", tag = "routing", request_body = AlertRequest,
    security(("integration" = [])),
    responses((status = 201, description = "stored and routed before this answer; `conflict_of` is set when this feed used the id before for other content (both are kept)", body = AlertView),
        (status = 200, description = "the same id and content were received before from this feed", body = Duplicate),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn intake(
    State(state): State<AppState>,
    Feed(feed): Feed,
    ClientIp(ip): ClientIp,
    ApiJson(r): ApiJson<AlertRequest>,
) -> Result<Response, ApiError> {
    let (view, intake) = intake::from_feed(&state, &feed, ip, r).await?;
    Ok(match intake {
        Intake::Duplicate => Json(Duplicate {
            id: view.id,
            duplicate: true,
        })
        .into_response(),
        Intake::New | Intake::Conflict { .. } => (StatusCode::CREATED, Json(view)).into_response(),
    })
}

#[utoipa::path(get, path = "/api/v1/alerts/{id}/timeline", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = Timeline), (status = 404, body = Problem)))]
pub async fn timeline(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Timeline>, ApiError> {
    let (alert, lines) = actions::timeline(&state, &p, id).await?;
    Ok(Json(Timeline { alert, lines }))
}

#[derive(Serialize, ToSchema)]
pub struct Timeline {
    alert: AlertView,
    /// Oldest first.
    lines: Vec<actions::TimelineLine>,
}

#[derive(Serialize, ToSchema)]
pub struct PageAnswer {
    page: SentPage,
    /// True when the same client_id and content were sent before: nobody was paged again.
    duplicate: bool,
}

/// A clinician or physician pages a physician (`42`) or a role (`oncall:cardiology`).
#[utoipa::path(post, path = "/api/v1/pages", tag = "routing", request_body = PageRequest,
    responses((status = 201, body = PageAnswer), (status = 200, body = PageAnswer),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn send_page(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<PageRequest>,
) -> Result<(StatusCode, Json<PageAnswer>), ApiError> {
    let (page, intake) = paging::page(&state, &p, r).await?;
    let duplicate = intake == Intake::Duplicate;
    let status = if duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(PageAnswer { page, duplicate })))
}

/// The pages I sent in the last day, newest first, with where each stands.
#[utoipa::path(get, path = "/api/v1/pages", tag = "routing",
    responses((status = 200, body = [SentPage]), (status = 403, body = Problem)))]
pub async fn sent_pages(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<SentPage>>, ApiError> {
    Ok(Json(paging::sent(&state, &p).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Registered {
    integration: IntegrationView,
    /// The integration credential: shown this once, stored only as a hash.
    credential: String,
}

#[utoipa::path(post, path = "/api/v1/organizations/{id}/integrations", tag = "routing", params(("id" = i64, Path)),
    request_body = IntegrationRequest,
    responses((status = 201, body = Registered), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn register_integration(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<IntegrationRequest>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let (integration, credential) = intake::register(&state, &p, id, r).await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            integration,
            credential,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}/integrations", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = [IntegrationView]), (status = 403, body = Problem)))]
pub async fn integrations(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<IntegrationView>>, ApiError> {
    Ok(Json(intake::list(&state, &p, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/organizations/{id}/integrations/{integration_id}", tag = "routing",
    params(("id" = i64, Path), ("integration_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke_integration(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, integration_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    intake::revoke(&state, &p, id, integration_id).await?;
    Ok(StatusCode::NO_CONTENT)
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
/// `email,service,role,start,end`, quoted fields allowed) or as iCalendar (`text/calendar`,
/// one VEVENT a shift, TZID and weekly or daily RRULE understood). Times without an offset
/// are the organization's local time. They replace the organization's shifts in their span.
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
        let zone = crate::actions::organizations::organization_zone(&state, id).await?;
        actions::parse_shift_calendar(text, &zone, state.now())?
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
    security(("integration" = [])),
    responses((status = 201, description = "stored and routed; the CommunicationRequest with its id"),
        (status = 200, description = "already received from this feed with this identifier and content"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn fhir_intake(
    State(state): State<AppState>,
    Feed(feed): Feed,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let request = communication_request(&body)?;
    let (view, intake) = intake::from_feed(&state, &feed, ip, request).await?;
    let mut resource = body;
    resource["id"] = serde_json::json!(view.id.to_string());
    resource["status"] = serde_json::json!("active");
    if intake == Intake::Duplicate {
        return Ok((StatusCode::OK, Json(resource)));
    }
    resource["authoredOn"] = serde_json::json!(format_rfc3339(view.received_at));
    resource["note"] = serde_json::json!([{ "text": view.why }]);
    Ok((StatusCode::CREATED, Json(resource)))
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
