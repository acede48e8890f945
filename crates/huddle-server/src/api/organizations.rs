//! Organizations, departments, members and roles over the API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use huddle_store::{Department, Organization, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath};
use crate::actions::invitations::{self, InvitationView};
use crate::actions::organizations::{self as actions, Membership};
use crate::auth::access::OrgReader;
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameRequest {
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationView {
    id: i64,
    name: String,
}

impl From<Organization> for OrganizationView {
    fn from(o: Organization) -> Self {
        OrganizationView {
            id: o.id,
            name: o.name,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentView {
    id: i64,
    organization_id: i64,
    name: String,
}

impl From<Department> for DepartmentView {
    fn from(d: Department) -> Self {
        DepartmentView {
            id: d.id,
            organization_id: d.organization_id,
            name: d.name,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    id: i64,
    email: String,
    display_name: String,
    department_id: Option<i64>,
    roles: Vec<String>,
}

impl From<User> for MemberView {
    fn from(u: User) -> Self {
        MemberView {
            id: u.id,
            roles: u.roles.iter().map(|r| r.as_str().to_string()).collect(),
            email: u.email,
            display_name: u.display_name,
            department_id: u.department_id,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/organizations", tag = "organizations", request_body = NameRequest,
    responses((status = 201, body = OrganizationView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(req): ApiJson<NameRequest>,
) -> Result<(StatusCode, Json<OrganizationView>), ApiError> {
    let org = actions::create_organization(&state, &p, &req.name).await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations",
    responses((status = 200, body = [OrganizationView]), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<OrganizationView>>, ApiError> {
    let orgs = actions::organizations(&state, &p).await?;
    Ok(Json(orgs.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/organizations/{id}/departments", tag = "organizations",
    params(("id" = i64, Path)), request_body = NameRequest,
    responses((status = 201, body = DepartmentView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_department(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<NameRequest>,
) -> Result<(StatusCode, Json<DepartmentView>), ApiError> {
    let dept = actions::create_department(&state, &p, id, &req.name).await?;
    Ok((StatusCode::CREATED, Json(dept.into())))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}/departments", tag = "organizations",
    params(("id" = i64, Path)),
    responses((status = 200, body = [DepartmentView]), (status = 403, body = Problem)))]
pub async fn departments(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<DepartmentView>>, ApiError> {
    let depts = actions::departments(&state, &p, id).await?;
    Ok(Json(depts.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    email: String,
    department_id: Option<i64>,
    /// Role names, e.g. `["clinician"]`.
    #[serde(default)]
    roles: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/organizations/{id}/members", tag = "organizations",
    params(("id" = i64, Path)), request_body = MemberRequest,
    responses((status = 200, body = MemberView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<MemberRequest>,
) -> Result<Json<MemberView>, ApiError> {
    let user = actions::add_member(
        &state,
        &p,
        id,
        Membership {
            email: &req.email,
            department_id: req.department_id,
            roles: &req.roles,
        },
    )
    .await?;
    Ok(Json(user.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    email: String,
    department_id: Option<i64>,
    /// Organization role names granted on joining, e.g. `["clinician"]`.
    #[serde(default)]
    roles: Vec<String>,
}

/// Invites an address: the link goes by mail to it alone, and joining needs it.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/invitations", tag = "organizations",
    params(("id" = i64, Path)), request_body = InvitationRequest,
    responses((status = 201, body = InvitationView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<InvitationRequest>,
) -> Result<(StatusCode, Json<InvitationView>), ApiError> {
    let request = invitations::InvitationRequest {
        email: &req.email,
        department_id: req.department_id,
        roles: &req.roles,
    };
    let invitation = invitations::invite(&state, &p, id, request).await?;
    Ok((StatusCode::CREATED, Json(invitation)))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}/invitations", tag = "organizations",
    params(("id" = i64, Path)),
    responses((status = 200, body = [InvitationView]), (status = 403, body = Problem)))]
pub async fn invitations(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<InvitationView>>, ApiError> {
    Ok(Json(invitations::invitations(&state, &p, id).await?))
}

/// Withdraws a pending invitation; its link stops working.
#[utoipa::path(delete, path = "/api/v1/organizations/{id}/invitations/{invitation_id}", tag = "organizations",
    params(("id" = i64, Path), ("invitation_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, invitation_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    invitations::revoke(&state, &p, id, invitation_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}/members", tag = "organizations",
    params(("id" = i64, Path)),
    responses((status = 200, body = [MemberView]), (status = 403, body = Problem)))]
pub async fn members(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<MemberView>>, ApiError> {
    let users = actions::members(&state, &p, id).await?;
    Ok(Json(users.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesRequest {
    roles: Vec<String>,
}

#[utoipa::path(put, path = "/api/v1/users/{id}/roles", tag = "organizations",
    params(("id" = i64, Path)), request_body = RolesRequest,
    responses((status = 200, body = MemberView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_roles(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<RolesRequest>,
) -> Result<Json<MemberView>, ApiError> {
    let user = actions::set_roles(&state, &p, id, &req.roles).await?;
    Ok(Json(user.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeZoneRequest {
    /// An IANA time zone name (America/New_York, Europe/Paris, UTC); empty resets it (an
    /// organization to UTC, a person to their organization's zone).
    time_zone: String,
}

#[derive(Serialize, ToSchema)]
pub struct TimeZoneView {
    /// The zone in effect.
    time_zone: String,
    /// A person's own choice; null when they follow their organization's zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    own: Option<String>,
}

/// The organization's time zone: CSV and JSON schedules without an offset and floating
/// iCalendar times are read in it; digests and pages follow it.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/time-zone", tag = "identity", params(("id" = i64, Path)),
    responses((status = 200, body = TimeZoneView), (status = 403, body = Problem)))]
pub async fn time_zone(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TimeZoneView>, ApiError> {
    OrgReader::of(&p, id)?;
    let zone = actions::organization_zone(&state, id).await?;
    Ok(Json(TimeZoneView {
        time_zone: zone.name().to_string(),
        own: None,
    }))
}

#[utoipa::path(put, path = "/api/v1/organizations/{id}/time-zone", tag = "identity", params(("id" = i64, Path)), request_body = TimeZoneRequest,
    responses((status = 200, body = TimeZoneView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_time_zone(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<TimeZoneRequest>,
) -> Result<Json<TimeZoneView>, ApiError> {
    let zone = actions::set_organization_time_zone(&state, &p, id, &r.time_zone).await?;
    Ok(Json(TimeZoneView {
        time_zone: zone.name().to_string(),
        own: None,
    }))
}

/// The zone your times are shown in: your own, else your organization's, else UTC.
#[utoipa::path(get, path = "/api/v1/me/time-zone", tag = "identity",
    responses((status = 200, body = TimeZoneView), (status = 401, body = Problem)))]
pub async fn my_time_zone(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<TimeZoneView>, ApiError> {
    let (own, _) = state.store.time_zones(p.id()).await?;
    let zone = actions::viewer_zone(&state, p.id()).await?;
    Ok(Json(TimeZoneView {
        time_zone: zone.name().to_string(),
        own,
    }))
}

#[utoipa::path(put, path = "/api/v1/me/time-zone", tag = "identity", request_body = TimeZoneRequest,
    responses((status = 200, body = TimeZoneView), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn set_my_time_zone(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<TimeZoneRequest>,
) -> Result<Json<TimeZoneView>, ApiError> {
    let own = actions::set_my_time_zone(&state, &p, &r.time_zone).await?;
    let zone = actions::viewer_zone(&state, p.id()).await?;
    Ok(Json(TimeZoneView {
        time_zone: zone.name().to_string(),
        own: own.map(|z| z.name().to_string()),
    }))
}

/// Deactivates an account: it cannot sign in, and its sessions, tokens, devices and live
/// sockets end at once, on every node.
#[utoipa::path(post, path = "/api/v1/users/{id}/deactivate", tag = "organizations",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn deactivate(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    crate::actions::leaving::deactivate(&state, &p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/users/{id}/reactivate", tag = "organizations",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn reactivate(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    crate::actions::leaving::reactivate(&state, &p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a person from the organization: membership and roles there, and everything
/// they hold, end at once.
#[utoipa::path(delete, path = "/api/v1/organizations/{id}/members/{user_id}", tag = "organizations",
    params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_member(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, user_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    crate::actions::leaving::remove_member(&state, &p, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
