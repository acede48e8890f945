//! Insights for well-being leads and organization admins: de-identified aggregates (JSON
//! and CSV), trends, drivers, interventions and the turnover calculator. Everyone else
//! gets 403 on every route.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use huddle_core::insights::turnover::{Estimate, Inputs};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath, ApiQuery};
use crate::actions::insights::{
    self as actions, InterventionView, NewInterventionInput, Row, Series, UnitDrivers,
};
use crate::auth::access::Leader;
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AggregatesQuery {
    /// `participation`, `burnout`, `depression_positive`, `anxiety_positive`,
    /// `driver:NAME` (workload, documentation, after-hours, interruptions,
    /// schedule-control, teamwork, values, leadership, isolation),
    /// `notifications_per_shift`, `false_positive_share`, `after_hours_notifications`,
    /// `time_to_acknowledge`. Default `burnout`.
    metric: Option<String>,
    /// `organization`, `department`, `specialty` or `role`. Default `department`.
    group_by: Option<String>,
    /// A closed month, `YYYY-MM`; default the last closed month.
    period: Option<String>,
}

async fn rows(
    state: &AppState,
    p: &crate::auth::Principal,
    q: &AggregatesQuery,
    export: bool,
) -> Result<Vec<Row>, ApiError> {
    Leader::of(p).map(|l| l.organization_id())?;
    let metric = actions::parse_metric(q.metric.as_deref())?;
    let d = actions::parse_group_by(q.group_by.as_deref())?;
    let period = actions::parse_period(state, q.period.as_deref())?;
    actions::aggregates(state, p, metric, d, period, export).await
}

/// Aggregates of one metric by group for one closed month. Each row is
/// `{group, n, value, suppressed}`; `n` (rounded) and `value` are null when suppressed.
#[utoipa::path(get, path = "/api/v1/insights/aggregates", tag = "insights",
    params(AggregatesQuery),
    responses((status = 200, body = [Row]), (status = 422, body = Problem), (status = 403, body = Problem)))]
pub async fn aggregates(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<AggregatesQuery>,
) -> Result<Json<Vec<Row>>, ApiError> {
    Ok(Json(rows(&state, &p, &q, false).await?))
}

/// The same rows as CSV: `group,n,value,suppressed`.
#[utoipa::path(get, path = "/api/v1/insights/aggregates.csv", tag = "insights",
    params(AggregatesQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
pub async fn aggregates_csv(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<AggregatesQuery>,
) -> Result<Response, ApiError> {
    let rows = rows(&state, &p, &q, true).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"huddle-insights.csv\"",
            ),
        ],
        actions::csv(&rows),
    )
        .into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TrendQuery {
    /// As for aggregates; default `burnout`.
    metric: Option<String>,
    /// As for aggregates; default `department`.
    group_by: Option<String>,
}

/// One metric by group over the last 24 closed months.
#[utoipa::path(get, path = "/api/v1/insights/trend", tag = "insights",
    params(TrendQuery),
    responses((status = 200, body = [Series]), (status = 403, body = Problem)))]
pub async fn trend(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<TrendQuery>,
) -> Result<Json<Vec<Series>>, ApiError> {
    Leader::of(&p).map(|l| l.organization_id())?;
    let metric = actions::parse_metric(q.metric.as_deref())?;
    let d = actions::parse_group_by(q.group_by.as_deref())?;
    Ok(Json(actions::trend(&state, &p, metric, d).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DriversQuery {
    group_by: Option<String>,
    period: Option<String>,
}

/// Each unit's drivers, worst first, framed by the NAM model, with routing's objective
/// interruption burden beside the survey drivers.
#[utoipa::path(get, path = "/api/v1/insights/drivers", tag = "insights",
    params(DriversQuery),
    responses((status = 200, body = [UnitDrivers]), (status = 403, body = Problem)))]
pub async fn drivers(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<DriversQuery>,
) -> Result<Json<Vec<UnitDrivers>>, ApiError> {
    Leader::of(&p).map(|l| l.organization_id())?;
    let d = actions::parse_group_by(q.group_by.as_deref())?;
    let period = actions::parse_period(&state, q.period.as_deref())?;
    Ok(Json(actions::drivers(&state, &p, d, period).await?))
}

/// The interventions registry, each with its before/after evaluation.
#[utoipa::path(get, path = "/api/v1/insights/interventions", tag = "insights",
    responses((status = 200, body = [InterventionView]), (status = 403, body = Problem)))]
pub async fn interventions(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<InterventionView>>, ApiError> {
    Ok(Json(actions::list_interventions(&state, &p).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterventionRequest {
    name: String,
    /// `individual` or `structural`.
    level: String,
    /// Targeted pulse drivers.
    #[serde(default)]
    drivers: Vec<String>,
    /// Department ids; empty for the whole organization.
    #[serde(default)]
    units: Vec<i64>,
    /// First month, `YYYY-MM`.
    starts: String,
    /// Yearly cost, whole dollars.
    #[serde(default)]
    cost: i64,
}

#[utoipa::path(post, path = "/api/v1/insights/interventions", tag = "insights",
    request_body = InterventionRequest,
    responses((status = 201, body = InterventionView), (status = 422, body = Problem), (status = 403, body = Problem)))]
pub async fn add_intervention(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<InterventionRequest>,
) -> Result<(StatusCode, Json<InterventionView>), ApiError> {
    let view = actions::add_intervention(
        &state,
        &p,
        NewInterventionInput {
            name: &r.name,
            level: &r.level,
            drivers: &r.drivers,
            units: &r.units,
            starts: &r.starts,
            cost: r.cost,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(delete, path = "/api/v1/insights/interventions/{id}", tag = "insights",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_intervention(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    actions::remove_intervention(&state, &p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Calculator inputs; any left out take the organization's defaults (its physician
/// headcount and latest published burnout rate) or the cited national ones.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TurnoverQuery {
    physicians: Option<f64>,
    burnout_rate: Option<f64>,
    turnover: Option<f64>,
    relative_risk: Option<f64>,
    replacement_cost_low: Option<f64>,
    replacement_cost_high: Option<f64>,
    cost_per_physician: Option<f64>,
    burnout_drop: Option<f64>,
    program_cost: Option<f64>,
}

impl TurnoverQuery {
    pub fn apply(&self, mut i: Inputs) -> Inputs {
        let set = |v: Option<f64>, d: &mut f64| {
            if let Some(v) = v {
                *d = v;
            }
        };
        set(self.physicians, &mut i.physicians);
        set(self.burnout_rate, &mut i.burnout_rate);
        set(self.turnover, &mut i.turnover);
        set(self.relative_risk, &mut i.relative_risk);
        set(self.replacement_cost_low, &mut i.replacement_cost_low);
        set(self.replacement_cost_high, &mut i.replacement_cost_high);
        set(self.cost_per_physician, &mut i.cost_per_physician);
        set(self.burnout_drop, &mut i.burnout_drop);
        set(self.program_cost, &mut i.program_cost);
        i
    }
}

#[derive(Serialize, ToSchema)]
pub struct TurnoverAnswer {
    #[schema(value_type = Object)]
    inputs: Inputs,
    #[schema(value_type = Object)]
    estimate: Estimate,
    sources: Vec<&'static str>,
}

pub const SOURCES: [&str; 2] = [
    "Shanafelt T, Goh J, Sinsky C. The Business Case for Investing in Physician Well-being. JAMA Intern Med. 2017;177(12):1826-1832.",
    "Han S, Shanafelt TD, Sinsky CA, et al. Estimating the Attributable Cost of Physician Burnout in the United States. Ann Intern Med. 2019;170(11):784-790.",
];

/// The cost of burnout-related turnover and the savings of a drop in burnout.
#[utoipa::path(get, path = "/api/v1/insights/turnover", tag = "insights",
    params(TurnoverQuery),
    responses((status = 200, body = TurnoverAnswer), (status = 422, body = Problem), (status = 403, body = Problem)))]
pub async fn turnover(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<TurnoverQuery>,
) -> Result<Json<TurnoverAnswer>, ApiError> {
    let inputs = q.apply(actions::turnover_defaults(&state, &p).await?);
    let estimate = actions::turnover(&p, &inputs)?;
    Ok(Json(TurnoverAnswer {
        inputs,
        estimate,
        sources: SOURCES.to_vec(),
    }))
}
