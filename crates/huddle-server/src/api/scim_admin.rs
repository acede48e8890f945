//! An org admin's side of SCIM: the directory's credentials and each group's mapping to a
//! department and roles. (The protocol itself is `api/scim.rs`, at `/scim/v2`.)

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use huddle_core::identity::{Role, Roles};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath};
use crate::actions::scim::{self as actions, CredentialView};
use crate::actions::scim_groups;
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialRequest {
    /// What the credential is for, e.g. "Entra ID provisioning".
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedCredential {
    credential: CredentialView,
    /// The bearer secret for the directory (`hks_…`): shown this once, stored only as a hash.
    secret: String,
}

#[utoipa::path(post, path = "/api/v1/organizations/{id}/scim/credentials", tag = "identity", params(("id" = i64, Path)),
    request_body = CredentialRequest,
    responses((status = 201, body = CreatedCredential), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_credential(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<CredentialRequest>,
) -> Result<(StatusCode, Json<CreatedCredential>), ApiError> {
    let (credential, secret) = actions::create_credential(&state, &p, id, &r.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedCredential { credential, secret }),
    ))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}/scim/credentials", tag = "identity", params(("id" = i64, Path)),
    responses((status = 200, body = [CredentialView]), (status = 403, body = Problem)))]
pub async fn credentials(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<CredentialView>>, ApiError> {
    Ok(Json(actions::credentials(&state, &p, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/organizations/{id}/scim/credentials/{credential_id}", tag = "identity",
    params(("id" = i64, Path), ("credential_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke_credential(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, credential_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    actions::revoke_credential(&state, &p, id, credential_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupMapping {
    /// The department membership places people in; none to leave departments alone.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// Organization roles membership grants (`physician`, `clinician`, `org_admin`,
    /// `wellbeing_lead`); never an instance role.
    #[serde(default)]
    pub roles: Vec<String>,
}

#[utoipa::path(put, path = "/api/v1/organizations/{id}/scim/groups/{group_id}/mapping", tag = "identity",
    params(("id" = i64, Path), ("group_id" = i64, Path)), request_body = GroupMapping,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn map_group(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, group_id)): ApiPath<(i64, i64)>,
    ApiJson(r): ApiJson<GroupMapping>,
) -> Result<StatusCode, ApiError> {
    let roles = r
        .roles
        .iter()
        .enumerate()
        .map(|(i, name)| {
            Role::parse(name).map_err(|e| ApiError::invalid(&format!("roles[{i}]"), e.0))
        })
        .collect::<Result<Vec<_>, _>>()?;
    scim_groups::map_group(&state, &p, id, group_id, r.department_id, Roles::new(roles)).await?;
    Ok(StatusCode::NO_CONTENT)
}
