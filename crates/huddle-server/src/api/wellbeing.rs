//! Well-being over FHIR R4 (Questionnaire, QuestionnaireResponse) and JSON: check-ins,
//! the clinician's own history, export, erasure and reminders. Every response read here is
//! the caller's own; another person's id answers 404.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use huddle_core::clock::format_rfc3339;
use huddle_core::wellbeing::{instrument, instruments, Answer};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath};
use crate::actions::wellbeing::{self as actions, Opened, Outcome};
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

const QUESTIONNAIRE_BASE: &str = "https://huddle.example/fhir/Questionnaire/";

fn fhir(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/fhir+json")],
        Json(body),
    )
        .into_response()
}

fn bundle(kind: &str, resources: Vec<Value>) -> Value {
    json!({
        "resourceType": "Bundle",
        "type": kind,
        "total": resources.len(),
        "entry": resources.into_iter().map(|r| json!({ "resource": r })).collect::<Vec<_>>(),
    })
}

#[utoipa::path(get, path = "/fhir/Questionnaire", tag = "wellbeing",
    responses((status = 200, description = "a FHIR Bundle of the instruments", content_type = "application/fhir+json")))]
pub async fn questionnaires(ApiUser(_caller): ApiUser) -> Result<Response, ApiError> {
    let all = instruments().map_err(ApiError::internal)?;
    Ok(fhir(
        StatusCode::OK,
        bundle(
            "searchset",
            all.iter().map(|i| i.questionnaire.clone()).collect(),
        ),
    ))
}

#[utoipa::path(get, path = "/fhir/Questionnaire/{id}", tag = "wellbeing", params(("id" = String, Path)),
    responses((status = 200, description = "a FHIR Questionnaire", content_type = "application/fhir+json"), (status = 404, body = Problem)))]
pub async fn questionnaire(
    ApiUser(_caller): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let inst = instrument(&id).ok_or_else(|| ApiError::not_found("no such instrument"))?;
    Ok(fhir(StatusCode::OK, inst.questionnaire.clone()))
}

/// A QuestionnaireResponse as Huddle returns it: the answers as coded by the instrument.
fn response_resource(o: &Opened) -> Value {
    json!({
        "resourceType": "QuestionnaireResponse",
        "id": o.id.to_string(),
        "questionnaire": format!("{QUESTIONNAIRE_BASE}{}", o.content.instrument),
        "status": "completed",
        "authored": format_rfc3339(o.submitted_at),
        "identifier": { "system": "https://huddle.example/fhir/checkin", "value": o.checkin_id },
        "item": o.content.answers.iter().map(|a| json!({
            "linkId": a.link_id,
            "answer": [{ "valueCoding": { "system": a.system, "code": a.code, "display": a.display } }],
        })).collect::<Vec<_>>(),
        "extension": [{
            "url": "https://huddle.example/fhir/StructureDefinition/scores",
            "valueString": serde_json::to_string(&json!({ "scores": o.content.scores, "bands": o.content.bands })).unwrap_or_default(),
        }],
    })
}

/// The parts of a QuestionnaireResponse Huddle scores.
struct ParsedResponse {
    instrument: String,
    answers: Vec<(String, Answer)>,
    checkin: Option<String>,
}

/// Reads a QuestionnaireResponse, naming what is wrong.
fn parse_response(v: &Value) -> Result<ParsedResponse, ApiError> {
    if v.get("resourceType").and_then(Value::as_str) != Some("QuestionnaireResponse") {
        return Err(ApiError::invalid(
            "resourceType",
            "send a FHIR QuestionnaireResponse",
        ));
    }
    let questionnaire = v
        .get("questionnaire")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ApiError::invalid(
                "questionnaire",
                "name the instrument, e.g. \"Questionnaire/phq-9\"",
            )
        })?;
    let id = questionnaire
        .split('|')
        .next()
        .and_then(|s| s.trim_end_matches('/').rsplit('/').next())
        .unwrap_or_default()
        .to_string();
    if let Some(status) = v.get("status") {
        if status.as_str() != Some("completed") {
            return Err(ApiError::invalid(
                "status",
                "only completed responses are scored",
            ));
        }
    }
    let checkin = v
        .pointer("/identifier/value")
        .and_then(Value::as_str)
        .map(str::to_string);
    let items = v
        .get("item")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::invalid("item", "the response has no items"))?;
    let mut answers = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let link_id = item.get("linkId").and_then(Value::as_str).ok_or_else(|| {
            ApiError::invalid(&format!("item[{i}].linkId"), "each item needs its linkId")
        })?;
        let answer = match item
            .get("answer")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([one]) => one,
            _ => return Err(ApiError::invalid(link_id, "give exactly one answer")),
        };
        let parsed = if let Some(coding) = answer.get("valueCoding") {
            let code = coding
                .get("code")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiError::invalid(link_id, "valueCoding needs a code"))?;
            Answer::Coding {
                system: coding
                    .get("system")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                code: code.to_string(),
            }
        } else if let Some(n) = answer.get("valueInteger").and_then(Value::as_i64) {
            Answer::Integer(n)
        } else {
            return Err(ApiError::invalid(
                link_id,
                "answer with a valueCoding or a valueInteger",
            ));
        };
        answers.push((link_id.to_string(), parsed));
    }
    Ok(ParsedResponse {
        instrument: id,
        answers,
        checkin,
    })
}

#[derive(Serialize, ToSchema)]
pub struct HelpItem {
    title: String,
    contact: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TriageView {
    /// crisis, professional-care, burnout-support or self-care
    level: String,
    resources: Vec<HelpItem>,
}

#[derive(Serialize, ToSchema)]
pub struct Scored {
    id: i64,
    /// This response's scores, by name (phq9, gad7, burnout, …).
    scores: std::collections::BTreeMap<String, f64>,
    bands: std::collections::BTreeMap<String, String>,
    /// Triage over the whole check-in so far.
    triage: TriageView,
    /// Instruments still to answer in this check-in (PHQ-9 / GAD-7 after a positive screen).
    next: Vec<String>,
    /// Send as `identifier.value` with the next responses of the same check-in.
    checkin: String,
}

async fn scored_view(
    state: &AppState,
    p: &Principal,
    opened: Opened,
    outcome: Outcome,
) -> Result<Scored, ApiError> {
    let help = actions::help_for(state, p, &outcome.triage).await?;
    Ok(Scored {
        id: opened.id,
        scores: opened.content.scores,
        bands: opened.content.bands,
        triage: TriageView {
            level: outcome.triage.level.as_str().to_string(),
            resources: actions::help_list(&help)
                .into_iter()
                .map(|(title, contact, url)| HelpItem {
                    title,
                    contact,
                    url: (!url.is_empty()).then_some(url),
                })
                .collect(),
        },
        next: outcome.next.iter().map(|s| s.to_string()).collect(),
        checkin: opened.checkin_id,
    })
}

#[utoipa::path(post, path = "/fhir/QuestionnaireResponse", tag = "wellbeing",
    request_body(content = Object, description = "a FHIR R4 QuestionnaireResponse", content_type = "application/fhir+json"),
    responses((status = 201, body = Scored), (status = 422, description = "incomplete or malformed; `field` names the item", body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Json<Scored>), ApiError> {
    let r = parse_response(&body)?;
    let (opened, outcome) =
        actions::submit(&state, &p, &r.instrument, &r.answers, r.checkin.as_deref()).await?;
    Ok((
        StatusCode::CREATED,
        Json(scored_view(&state, &p, opened, outcome).await?),
    ))
}

#[utoipa::path(get, path = "/fhir/QuestionnaireResponse", tag = "wellbeing",
    responses((status = 200, description = "the caller's own responses as a FHIR Bundle", content_type = "application/fhir+json")))]
pub async fn mine(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Response, ApiError> {
    let all = actions::my_responses(&state, &p).await?;
    Ok(fhir(
        StatusCode::OK,
        bundle("searchset", all.iter().map(response_resource).collect()),
    ))
}

#[utoipa::path(get, path = "/fhir/QuestionnaireResponse/{id}", tag = "wellbeing", params(("id" = i64, Path)),
    responses((status = 200, description = "one of the caller's own responses", content_type = "application/fhir+json"), (status = 404, body = Problem)))]
pub async fn one(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let opened = actions::my_response(&state, &p, id).await?;
    Ok(fhir(StatusCode::OK, response_resource(&opened)))
}

#[utoipa::path(get, path = "/api/v1/wellbeing/export", tag = "wellbeing",
    responses((status = 200, description = "all the caller's responses as a FHIR Bundle (collection), as a download", content_type = "application/fhir+json")))]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Response, ApiError> {
    export_for(&state, &p).await
}

/// The export download, shared by the API and the "your data" page.
pub async fn export_for(state: &AppState, p: &Principal) -> Result<Response, ApiError> {
    let all = actions::export(state, p).await?;
    let body = bundle("collection", all.iter().map(response_resource).collect());
    Ok((
        [
            (header::CONTENT_TYPE, "application/fhir+json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"huddle-checkins.json\"",
            ),
        ],
        Json(body),
    )
        .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct Erased {
    deleted: u64,
}

#[utoipa::path(delete, path = "/api/v1/wellbeing/data", tag = "wellbeing",
    responses((status = 200, description = "every response, the data key and reminders are gone", body = Erased)))]
pub async fn erase(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Erased>, ApiError> {
    Ok(Json(Erased {
        deleted: actions::erase(&state, &p).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reminder {
    /// 7, 14 or 30; null turns reminders off.
    every_days: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/wellbeing/reminder", tag = "wellbeing", request_body = Reminder,
    responses((status = 204), (status = 422, body = Problem)))]
pub async fn reminder(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<Reminder>,
) -> Result<StatusCode, ApiError> {
    actions::set_reminder(&state, &p, r.every_days).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MbiScores {
    emotional_exhaustion: i64,
    depersonalization: i64,
    personal_accomplishment: i64,
    /// The check-in this belongs to, if any.
    checkin: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/wellbeing/mbi", tag = "wellbeing", request_body = MbiScores,
    responses((status = 201, body = Scored), (status = 422, body = Problem)))]
pub async fn mbi(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(m): ApiJson<MbiScores>,
) -> Result<(StatusCode, Json<Scored>), ApiError> {
    let (opened, outcome) = actions::submit_mbi(
        &state,
        &p,
        m.emotional_exhaustion,
        m.depersonalization,
        m.personal_accomplishment,
        m.checkin.as_deref(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(scored_view(&state, &p, opened, outcome).await?),
    ))
}
