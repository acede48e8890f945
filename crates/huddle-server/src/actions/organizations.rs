//! Organizations, departments and membership. A system admin creates organizations; an
//! organization admin runs their own: departments, members and the roles of the
//! organization. Instance-wide roles (verifier, moderator, system admin) stay with system
//! admins.

use huddle_core::audit::AuditAction;
use huddle_core::clock::Zone;
use huddle_core::identity::{apply_role_change, Email, Role, Roles};
use huddle_store::{Department, Organization, User};
use serde_json::json;

use super::audit::record;
use crate::auth::access::{OrgAdmin, SystemAdmin};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

fn name(field: &'static str, input: &str) -> Result<String, ApiError> {
    let s = input.trim();
    if s.is_empty() || s.chars().count() > 120 || s.chars().any(char::is_control) {
        return Err(ApiError::invalid(field, "use 1 to 120 characters"));
    }
    Ok(s.to_string())
}

/// 403 unless the person administers this organization (or the whole instance).
pub(crate) async fn existing_organization(
    state: &AppState,
    id: i64,
) -> Result<Organization, ApiError> {
    state
        .store
        .organization(id)
        .await?
        .ok_or_else(|| ApiError::not_found("no organization with this id"))
}

pub async fn create_organization(
    state: &AppState,
    principal: &Principal,
    input: &str,
) -> Result<Organization, ApiError> {
    SystemAdmin::of(principal)?;
    let org = state
        .store
        .create_organization(&name("name", input)?, state.now())
        .await
        .map_err(|e| match e {
            huddle_store::StoreError::Conflict(_) => {
                ApiError::invalid("name", "an organization with this name exists")
            }
            other => other.into(),
        })?;
    record(
        state,
        Some(principal.id()),
        AuditAction::OrganizationCreated,
        format!("organization:{}", org.id),
        json!({ "name": org.name }),
    )
    .await?;
    Ok(org)
}

pub async fn organizations(
    state: &AppState,
    principal: &Principal,
) -> Result<Vec<Organization>, ApiError> {
    SystemAdmin::of(principal)?;
    Ok(state.store.organizations().await?)
}

pub async fn create_department(
    state: &AppState,
    principal: &Principal,
    organization_id: i64,
    input: &str,
) -> Result<Department, ApiError> {
    OrgAdmin::of(principal, organization_id)?;
    existing_organization(state, organization_id).await?;
    let dept = state
        .store
        .create_department(organization_id, &name("name", input)?)
        .await
        .map_err(|e| match e {
            huddle_store::StoreError::Conflict(_) => ApiError::invalid(
                "name",
                "this organization already has a department with this name",
            ),
            other => other.into(),
        })?;
    record(
        state,
        Some(principal.id()),
        AuditAction::DepartmentCreated,
        format!("department:{}", dept.id),
        json!({ "organization": organization_id, "name": dept.name }),
    )
    .await?;
    Ok(dept)
}

/// Members see their organization's departments; admins see any they administer.
pub async fn departments(
    state: &AppState,
    principal: &Principal,
    organization_id: i64,
) -> Result<Vec<Department>, ApiError> {
    if principal.user.organization_id != Some(organization_id) {
        OrgAdmin::of(principal, organization_id)?;
    }
    existing_organization(state, organization_id).await?;
    Ok(state.store.departments(organization_id).await?)
}

pub async fn members(
    state: &AppState,
    principal: &Principal,
    organization_id: i64,
) -> Result<Vec<User>, ApiError> {
    OrgAdmin::of(principal, organization_id)?;
    existing_organization(state, organization_id).await?;
    Ok(state.store.users_in_organization(organization_id).await?)
}

pub struct Membership<'a> {
    pub email: &'a str,
    pub department_id: Option<i64>,
    pub roles: &'a [String],
}

/// Changes a member's department and organization roles. Only people already in the
/// organization: others join by invitation, single sign-on or the directory, so that an
/// administrator can never pull in an account whose owner did not agree (nor learn from
/// the answer whether an address has an account).
pub async fn add_member(
    state: &AppState,
    principal: &Principal,
    organization_id: i64,
    m: Membership<'_>,
) -> Result<User, ApiError> {
    OrgAdmin::of(principal, organization_id)?;
    existing_organization(state, organization_id).await?;
    let email = Email::parse(m.email).map_err(ApiError::at("email"))?;
    let roles = parse_roles(m.roles)?;
    let user = state
        .store
        .user_by_email(&email)
        .await?
        .filter(|u| u.organization_id == Some(organization_id))
        .ok_or_else(|| {
            ApiError::invalid(
                "email",
                "no member of this organization uses this address; invite them instead",
            )
        })?;
    department_of(state, organization_id, m.department_id).await?;
    let new_roles = apply_role_change(&principal.user.roles, &user.roles, &roles)
        .map_err(ApiError::at("roles"))?;
    state
        .store
        .set_membership(user.id, Some(organization_id), m.department_id)
        .await?;
    state.store.set_roles(user.id, &new_roles).await?;
    record(
        state,
        Some(principal.id()),
        AuditAction::MembershipChanged,
        format!("user:{}", user.id),
        json!({ "organization": organization_id, "department": m.department_id }),
    )
    .await?;
    audit_roles(state, principal, &user, &new_roles).await?;
    reload(state, user.id).await
}

/// Replaces the roles of a person the actor administers.
pub async fn set_roles(
    state: &AppState,
    principal: &Principal,
    user_id: i64,
    roles: &[String],
) -> Result<User, ApiError> {
    let requested = parse_roles(roles)?;
    let user = state
        .store
        .user(user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no account with this id"))?;
    // An administrator of the person's organization (a system admin reaches everyone).
    match user.organization_id {
        Some(org) => OrgAdmin::of(principal, org).map(|_| ()),
        None => SystemAdmin::of(principal).map(|_| ()),
    }
    .map_err(|_| ApiError::forbidden("you do not administer this person's organization"))?;
    let new_roles = apply_role_change(&principal.user.roles, &user.roles, &requested)
        .map_err(ApiError::at("roles"))?;
    state.store.set_roles(user.id, &new_roles).await?;
    audit_roles(state, principal, &user, &new_roles).await?;
    reload(state, user.id).await
}

/// Refuses a department (by id) that is not the organization's.
pub(crate) async fn department_of(
    state: &AppState,
    organization_id: i64,
    department_id: Option<i64>,
) -> Result<(), ApiError> {
    let Some(id) = department_id else {
        return Ok(());
    };
    match state.store.department(id).await? {
        Some(d) if d.organization_id == organization_id => Ok(()),
        _ => Err(ApiError::invalid(
            "department_id",
            "no such department in this organization",
        )),
    }
}

async fn reload(state: &AppState, user_id: i64) -> Result<User, ApiError> {
    state
        .store
        .user(user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("the account disappeared"))
}

pub(crate) fn parse_roles(names: &[String]) -> Result<Roles, ApiError> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            Role::parse(n.trim()).map_err(|e| ApiError::invalid(&format!("roles[{i}]"), e.0))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Roles::new)
}

async fn audit_roles(
    state: &AppState,
    principal: &Principal,
    user: &User,
    new_roles: &Roles,
) -> Result<(), ApiError> {
    if &user.roles == new_roles {
        return Ok(());
    }
    record(
        state,
        Some(principal.id()),
        AuditAction::RolesChanged,
        format!("user:{}", user.id),
        json!({ "from": user.roles.to_stored(), "to": new_roles.to_stored() }),
    )
    .await
}

/// The organization's time zone (UTC when none is set): schedules without an offset are
/// read in it, digests and shifts follow its clock.
pub async fn organization_zone(state: &AppState, organization_id: i64) -> Result<Zone, ApiError> {
    let name = state.store.organization_time_zone(organization_id).await?;
    Ok(Zone::or_utc(name.as_deref()))
}

/// The zone a person reads times in: their own, else their organization's, else UTC.
pub async fn viewer_zone(state: &AppState, user_id: i64) -> Result<Zone, ApiError> {
    let (own, organization) = state.store.time_zones(user_id).await?;
    Ok(Zone::or_utc(own.as_deref().or(organization.as_deref())))
}

/// Checks a submitted zone name: empty clears it (`None`).
fn zone_field(field: &str, name: &str) -> Result<Option<Zone>, ApiError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    Zone::parse(name)
        .map(Some)
        .map_err(|e| ApiError::invalid(field, e))
}

/// Sets an organization's time zone (an IANA name; empty: UTC). Its administrators only.
pub async fn set_organization_time_zone(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    name: &str,
) -> Result<Zone, ApiError> {
    OrgAdmin::of(p, organization_id)?;
    let zone = zone_field("time_zone", name)?;
    state
        .store
        .set_organization_time_zone(organization_id, zone.as_ref().map(Zone::name))
        .await?;
    record(
        state,
        Some(p.id()),
        AuditAction::TimeZoneChanged,
        format!("organization:{organization_id}"),
        json!({ "time_zone": zone.as_ref().map(Zone::name) }),
    )
    .await?;
    state.routing.forget(organization_id);
    Ok(zone.unwrap_or_default())
}

/// Sets the signed-in person's own time zone (empty: their organization's).
pub async fn set_my_time_zone(
    state: &AppState,
    p: &Principal,
    name: &str,
) -> Result<Option<Zone>, ApiError> {
    let zone = zone_field("time_zone", name)?;
    state
        .store
        .set_user_time_zone(p.id(), zone.as_ref().map(Zone::name))
        .await?;
    record(
        state,
        Some(p.id()),
        AuditAction::TimeZoneChanged,
        format!("user:{}", p.id()),
        json!({ "time_zone": zone.as_ref().map(Zone::name) }),
    )
    .await?;
    Ok(zone)
}
