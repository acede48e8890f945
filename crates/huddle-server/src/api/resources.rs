//! The resource hub over the API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use huddle_store::Resource;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::actions::resources::{self as actions, NewResource};
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ResourceView {
    id: i64,
    /// Null for the curated catalog.
    organization_id: Option<i64>,
    title: String,
    body: String,
    contact: String,
    url: String,
    kind: String,
    level: String,
    drivers: Vec<String>,
    audience: Vec<String>,
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

impl From<Resource> for ResourceView {
    fn from(r: Resource) -> Self {
        ResourceView {
            id: r.id,
            organization_id: r.organization_id,
            drivers: list(&r.drivers),
            audience: list(&r.audience),
            title: r.title,
            body: r.body,
            contact: r.contact,
            url: r.url,
            kind: r.kind,
            level: r.level,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Search {
    /// Full-text search words.
    q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/resources", tag = "resources", params(Search),
    responses((status = 200, body = [ResourceView])))]
pub async fn browse(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(s): ApiQuery<Search>,
) -> Result<Json<Vec<ResourceView>>, ApiError> {
    let found = actions::browse(&state, &p, s.q.as_deref()).await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewResourceRequest {
    /// Defaults to the admin's own organization.
    organization_id: Option<i64>,
    title: String,
    body: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    url: String,
    /// crisis, php, eap, professional, coaching, peer, learning or guide
    kind: String,
    /// individual or organizational
    level: String,
    #[serde(default)]
    drivers: Vec<String>,
    #[serde(default)]
    audience: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/resources", tag = "resources", request_body = NewResourceRequest,
    responses((status = 201, body = ResourceView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<NewResourceRequest>,
) -> Result<(StatusCode, Json<ResourceView>), ApiError> {
    let org = r
        .organization_id
        .or(p.user.organization_id)
        .ok_or_else(|| ApiError::forbidden("you administer no organization"))?;
    let added = actions::add(
        &state,
        &p,
        org,
        NewResource {
            title: &r.title,
            body: &r.body,
            contact: &r.contact,
            url: &r.url,
            kind: &r.kind,
            level: &r.level,
            drivers: &r.drivers,
            audience: &r.audience,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(added.into())))
}

#[utoipa::path(delete, path = "/api/v1/resources/{id}", tag = "resources", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let org = p
        .user
        .organization_id
        .ok_or_else(|| ApiError::forbidden("you administer no organization"))?;
    actions::remove(&state, &p, org, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UrgentContact {
    /// Shown beside 988 and the Physician Support Line when crisis help appears; empty clears it.
    contact: String,
}

#[utoipa::path(put, path = "/api/v1/organizations/{id}/urgent-contact", tag = "resources", params(("id" = i64, Path)),
    request_body = UrgentContact, responses((status = 204), (status = 403, body = Problem)))]
pub async fn urgent_contact(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(c): ApiJson<UrgentContact>,
) -> Result<StatusCode, ApiError> {
    actions::set_urgent_contact(&state, &p, id, &c.contact).await?;
    Ok(StatusCode::NO_CONTENT)
}
