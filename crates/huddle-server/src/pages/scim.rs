//! `/admin/scim`: an org admin connects the organization's directory — creates its SCIM
//! credential (shown once), sees when each was last used, revokes them — and maps each
//! directory group to a department and organization roles.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use huddle_core::identity::scim::mappable_roles;
use huddle_core::identity::{Role, Roles};
use serde::Deserialize;

use super::routing_admin::organization;
use super::{render, FormError, Nav, OrRefused, Refused};
use crate::actions::scim::{self as actions, CredentialView};
use crate::actions::scim_groups;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::state::AppState;

pub struct CredentialRow {
    credential: CredentialView,
    created: String,
    last_used: String,
}

pub struct RoleBox {
    name: &'static str,
    label: &'static str,
    checked: bool,
}

pub struct GroupRow {
    id: i64,
    name: String,
    members: usize,
    department_id: Option<i64>,
    roles: Vec<RoleBox>,
}

impl GroupRow {
    fn in_department(&self, id: &i64) -> bool {
        self.department_id == Some(*id)
    }
}

pub struct DepartmentOption {
    id: i64,
    name: String,
}

#[derive(Template)]
#[template(path = "scim_admin.html")]
struct ScimPage {
    nav: Nav,
    org_id: i64,
    notice: Option<String>,
    /// A refused credential (`"credential"`) or group mapping (`"group-{id}"`).
    error: FormError,
    /// The credential's name as typed, when refused.
    name: String,
    /// A new credential's secret: shown this once.
    secret: Option<String>,
    /// Where the directory sends its requests.
    endpoint: String,
    credentials: Vec<CredentialRow>,
    groups: Vec<GroupRow>,
    departments: Vec<DepartmentOption>,
}

#[derive(Default)]
struct Shown {
    notice: Option<String>,
    error: FormError,
    name: String,
    secret: Option<String>,
}

#[derive(Deserialize)]
pub struct OrgQuery {
    org: Option<i64>,
}

async fn scim_page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    org_id: i64,
    shown: Shown,
) -> Result<ScimPage, ApiError> {
    let credentials = actions::credentials(state, p, org_id).await?;
    let groups = scim_groups::admin_groups(state, p, org_id).await?;
    let departments = state.store.departments(org_id).await?;
    let zone = nav.zone.clone();
    let public = state.config.server.public_url.trim_end_matches('/');
    let endpoint = if public.is_empty() {
        "https://<this server>/scim/v2".to_string()
    } else {
        format!("{public}/scim/v2")
    };
    Ok(ScimPage {
        nav,
        org_id,
        notice: shown.notice,
        error: shown.error,
        name: shown.name,
        secret: shown.secret,
        endpoint,
        credentials: credentials
            .into_iter()
            .map(|c| CredentialRow {
                created: zone.format(c.created_at),
                last_used: c.last_used_at.map_or("never".into(), |at| zone.format(at)),
                credential: c,
            })
            .collect(),
        groups: groups
            .into_iter()
            .map(|g| {
                let granted = Roles::from_stored(&g.group.roles).unwrap_or_default();
                GroupRow {
                    id: g.group.id,
                    name: g.group.display_name,
                    members: g.members.len(),
                    department_id: g.group.department_id,
                    roles: mappable_roles()
                        .into_iter()
                        .map(|r| RoleBox {
                            name: r.as_str(),
                            label: r.label(),
                            checked: granted.has(r),
                        })
                        .collect(),
                }
            })
            .collect(),
        departments: departments
            .into_iter()
            .map(|d| DepartmentOption {
                id: d.id,
                name: d.name,
            })
            .collect(),
    })
}

async fn page_with(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    org_id: i64,
    shown: Shown,
) -> Result<Response, Refused> {
    let for_refusal = nav.clone();
    let page = scim_page(state, nav, p, org_id, shown)
        .await
        .or_refused(&for_refusal)?;
    Ok(render(&page))
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    page_with(&state, nav, &p, org, Shown::default()).await
}

#[derive(Deserialize)]
pub struct CredentialForm {
    #[serde(default)]
    name: String,
}

pub async fn create_credential(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
    Form(form): Form<CredentialForm>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    let shown = match actions::create_credential(&state, &p, org, &form.name)
        .await
        .or_form_error(&nav)?
    {
        Ok((credential, secret)) => Shown {
            notice: Some(format!(
                "{} is ready. Copy its secret into the directory now: Huddle keeps only a hash and will not show it again.",
                credential.name
            )),
            secret: Some(secret),
            ..Shown::default()
        },
        Err(e) => Shown {
            error: FormError::of("credential", &e),
            name: form.name,
            ..Shown::default()
        },
    };
    page_with(&state, nav, &p, org, shown).await
}

pub async fn revoke_credential(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    actions::revoke_credential(&state, &p, org, id)
        .await
        .or_refused(&nav)?;
    let shown = Shown {
        notice: Some(
            "The credential is revoked: the directory's requests with it are refused.".into(),
        ),
        ..Shown::default()
    };
    page_with(&state, nav, &p, org, shown).await
}

/// A group's mapping as the form sends it: a department (empty for none) and a checkbox
/// per mappable role.
#[derive(Deserialize)]
pub struct MappingForm {
    #[serde(default)]
    department_id: String,
    physician: Option<String>,
    clinician: Option<String>,
    org_admin: Option<String>,
    wellbeing_lead: Option<String>,
}

pub async fn map_group(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
    Path(id): Path<i64>,
    Form(form): Form<MappingForm>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    let department = match form.department_id.trim() {
        "" => Ok(None),
        d => d
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ApiError::invalid("department_id", "choose a department")),
    };
    let roles = Roles::new(
        [
            (Role::Physician, &form.physician),
            (Role::Clinician, &form.clinician),
            (Role::OrgAdmin, &form.org_admin),
            (Role::WellbeingLead, &form.wellbeing_lead),
        ]
        .into_iter()
        .filter(|(_, checked)| checked.is_some())
        .map(|(role, _)| role),
    );
    let mapped = match department {
        Ok(department) => scim_groups::map_group(&state, &p, org, id, department, roles).await,
        Err(e) => Err(e),
    };
    let shown = match mapped.or_form_error(&nav)? {
        Ok(()) => Shown {
            notice: Some("The group's mapping is saved and applied to its members.".into()),
            ..Shown::default()
        },
        Err(e) => Shown {
            error: FormError::of(format!("group-{id}"), &e),
            ..Shown::default()
        },
    };
    page_with(&state, nav, &p, org, shown).await
}
