//! Organization administration (departments, members, roles) and, for system admins,
//! organizations and the audit log.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use huddle_core::identity::{assignable_by, Role};
use huddle_store::{Department, Organization};
use serde::Deserialize;

use super::{render, Nav, OrRefused, Refused};
use crate::actions::organizations::{self as actions, Membership};
use crate::auth::access::{shows, OrgAdmin};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::state::AppState;

pub struct RoleBox {
    name: &'static str,
    label: &'static str,
    held: bool,
    manageable: bool,
}

pub struct MemberRow {
    id: i64,
    display_name: String,
    email: String,
    department_id: Option<i64>,
    team: String,
    roles: Vec<RoleBox>,
}

impl MemberRow {
    pub fn in_department(&self, id: &i64) -> bool {
        self.department_id == Some(*id)
    }
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    nav: Nav,
    notice: Option<String>,
    error: Option<String>,
    system_admin: bool,
    organizations: Vec<Organization>,
    org_id: i64,
    org_name: String,
    departments: Vec<Department>,
    members: Vec<MemberRow>,
    teams: &'static [(&'static str, &'static str)],
    /// The organization's time zone and the names offered for it.
    org_zone: String,
    zones: &'static [&'static str],
}

#[derive(Deserialize)]
pub struct OrgQuery {
    org: Option<i64>,
}

async fn admin_page(
    state: &AppState,
    nav: &Nav,
    p: &Principal,
    org: Option<i64>,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, ApiError> {
    OrgAdmin::of_any(p)?;
    let system_admin = shows::system_admin(p);
    let organizations = if system_admin {
        actions::organizations(state, p).await?
    } else {
        Vec::new()
    };
    let org_id = org.or(p.user.organization_id);
    let mut page = AdminPage {
        nav: nav.clone(),
        notice,
        error,
        system_admin,
        organizations,
        org_id: 0,
        org_name: String::new(),
        departments: Vec::new(),
        members: Vec::new(),
        teams: &huddle_core::messaging::TEAMS,
        org_zone: "UTC".into(),
        zones: huddle_core::clock::COMMON_ZONES,
    };
    if let Some(org_id) = org_id {
        let organization = state
            .store
            .organization(org_id)
            .await?
            .ok_or_else(|| ApiError::not_found("no organization with this id"))?;
        let members = actions::members(state, p, org_id).await?;
        let manageable = assignable_by(&p.user.roles);
        page.org_id = org_id;
        page.org_name = organization.name;
        page.org_zone = actions::organization_zone(state, org_id)
            .await?
            .name()
            .to_string();
        page.departments = actions::departments(state, p, org_id).await?;
        page.members = members
            .into_iter()
            .map(|u| MemberRow {
                roles: Role::ALL
                    .into_iter()
                    .map(|r| RoleBox {
                        name: r.as_str(),
                        label: r.label(),
                        held: u.roles.has(r),
                        manageable: manageable.contains(&r),
                    })
                    .collect(),
                id: u.id,
                display_name: u.display_name,
                email: u.email,
                department_id: u.department_id,
                team: u.team,
            })
            .collect();
    }
    Ok(render(&page))
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
) -> Result<Response, Refused> {
    admin_page(&state, &nav, &p, q.org, None, None)
        .await
        .or_refused(&nav)
}

/// After a change: the page again, with a notice or the error.
async fn after(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    org: Option<i64>,
    outcome: Result<String, ApiError>,
) -> Result<Response, Refused> {
    let (notice, error) = match outcome.or_form_error(&nav)? {
        Ok(notice) => (Some(notice), None),
        Err(e) => (None, Some(e.in_words())),
    };
    admin_page(state, &nav, p, org, notice, error)
        .await
        .or_refused(&nav)
}

#[derive(Deserialize)]
pub struct NameForm {
    name: String,
    org: Option<i64>,
}

pub async fn create_organization(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(form): Form<NameForm>,
) -> Result<Response, Refused> {
    let outcome = actions::create_organization(&state, &p, &form.name).await;
    let org = outcome.as_ref().ok().map(|o| o.id);
    after(
        &state,
        nav,
        &p,
        org,
        outcome.map(|o| format!("Created {}.", o.name)),
    )
    .await
}

pub async fn create_department(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(form): Form<NameForm>,
) -> Result<Response, Refused> {
    let Some(org) = form.org.or(p.user.organization_id) else {
        return Err(Refused::new(
            &nav,
            ApiError::not_found("choose an organization first"),
        ));
    };
    let outcome = actions::create_department(&state, &p, org, &form.name).await;
    after(
        &state,
        nav,
        &p,
        Some(org),
        outcome.map(|d| format!("Added {}.", d.name)),
    )
    .await
}

#[derive(Deserialize)]
pub struct ZoneForm {
    time_zone: String,
    org: Option<i64>,
}

/// The organization's time zone: schedules without an offset are read in it, and its
/// people see times in it unless they chose their own.
pub async fn set_time_zone(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(form): Form<ZoneForm>,
) -> Result<Response, Refused> {
    let Some(org) = form.org.or(p.user.organization_id) else {
        return Err(Refused::new(
            &nav,
            ApiError::not_found("choose an organization first"),
        ));
    };
    let outcome = actions::set_organization_time_zone(&state, &p, org, &form.time_zone).await;
    // The page after the change reads times in the new zone.
    let nav = nav.rezoned(&state, p.id()).await;
    after(
        &state,
        nav,
        &p,
        Some(org),
        outcome.map(|z| format!("The organization's time zone is now {z}.")),
    )
    .await
}

/// The member form: repeated `role` fields, so it is read as pairs.
pub async fn save_member(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
    };
    let roles: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "role")
        .map(|(_, v)| v.clone())
        .collect();
    let org = field("org")
        .and_then(|o| o.parse().ok())
        .or(p.user.organization_id);
    let Some(org) = org else {
        return Err(Refused::new(
            &nav,
            ApiError::not_found("choose an organization first"),
        ));
    };
    let department_id = match field("department_id").filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match d.parse() {
            Ok(id) => Some(id),
            Err(_) => {
                return after(
                    &state,
                    nav,
                    &p,
                    Some(org),
                    Err(ApiError::invalid(
                        "department_id",
                        "choose a department from the list",
                    )),
                )
                .await
            }
        },
    };
    let email = field("email").unwrap_or_default();
    let outcome = actions::add_member(
        &state,
        &p,
        org,
        Membership {
            email: &email,
            department_id,
            roles: &roles,
        },
    )
    .await;
    // The team select comes with members already in the organization.
    let outcome = match (outcome, field("team")) {
        (Ok(u), Some(team)) if team != u.team => {
            crate::actions::messaging::set_team(&state, &p, u.id, &team).await
        }
        (outcome, _) => outcome,
    };
    after(
        &state,
        nav,
        &p,
        Some(org),
        outcome.map(|u| format!("Saved {}.", u.display_name)),
    )
    .await
}

pub struct AuditRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    target: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    nav: Nav,
    entries: Vec<AuditRow>,
}

pub async fn audit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    let zone = nav.zone.clone();
    let entries =
        crate::actions::audit::read(&state, &p, crate::actions::audit::Slice::Recent(100))
            .await
            .or_refused(&nav)?;
    Ok(render(&AuditPage {
        nav,
        entries: entries
            .into_iter()
            .map(|e| AuditRow {
                seq: e.seq,
                at: zone.format(e.at),
                actor: e
                    .actor_id
                    .map_or_else(|| "—".into(), |a| format!("user:{a}")),
                action: e.action,
                target: e.target,
                detail: e.detail,
            })
            .collect(),
    }))
}
