//! Organization administration (departments, members, roles) and, for system admins,
//! organizations and the audit log.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use huddle_core::identity::{assignable_by, InvitationStanding, Role};
use huddle_store::{Department, Organization};
use serde::Deserialize;

use super::{render, FormError, Nav, OrRefused, Refused};
use crate::actions::invitations;
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
    /// The form's name on the page: `member-7`.
    form: String,
    display_name: String,
    email: String,
    department_id: Option<i64>,
    team: String,
    roles: Vec<RoleBox>,
    /// Deactivated: shown so, with a way back.
    deactivated: bool,
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
    /// A refused organization (`"organization"`), time zone (`"zone"`), department
    /// (`"department"`), new member (`"add-member"`) or member (`"member-7"`), beside its form.
    error: FormError,
    /// What the refused form held, as typed.
    draft: Draft,
    system_admin: bool,
    organizations: Vec<Organization>,
    org_id: i64,
    org_name: String,
    departments: Vec<Department>,
    members: Vec<MemberRow>,
    teams: &'static [(&'static str, &'static str)],
    /// Invitations sent, newest first.
    invitations: Vec<InvitationRow>,
    /// The organization's time zone and the names offered for it.
    org_zone: String,
    zones: &'static [&'static str],
}

pub struct InvitationRow {
    id: i64,
    email: String,
    standing: &'static str,
    sent: String,
    pending: bool,
}

/// A refused form's fields, as submitted (only the refused form's are set).
#[derive(Default)]
pub struct Draft {
    organization: String,
    department: String,
    zone: Option<String>,
    /// The member form: its email, and its department, team and roles as chosen.
    email: String,
    member: Option<MemberDraft>,
}

pub struct MemberDraft {
    /// The member whose form it was (none: the add-a-person form).
    id: Option<i64>,
    department_id: String,
    team: String,
    roles: Vec<String>,
}

impl Draft {
    /// Whether the add-a-person form had `role` ticked.
    pub fn has_role(&self, role: &str) -> bool {
        self.member
            .as_ref()
            .is_some_and(|m| m.id.is_none() && m.roles.iter().any(|r| r == role))
    }

    /// The add-a-person form's email, as typed.
    pub fn new_email(&self) -> &str {
        match &self.member {
            Some(m) if m.id.is_none() => &self.email,
            _ => "",
        }
    }
}

/// What one rendering of the page shows beside its forms.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    error: FormError,
    draft: Draft,
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
    shown: Shown,
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
        notice: shown.notice,
        error: shown.error,
        draft: Draft::default(),
        system_admin,
        organizations,
        org_id: 0,
        org_name: String::new(),
        departments: Vec::new(),
        members: Vec::new(),
        invitations: Vec::new(),
        teams: &huddle_core::messaging::TEAMS,
        org_zone: "UTC".into(),
        zones: huddle_core::clock::COMMON_ZONES,
    };
    let draft = shown.draft;
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
        page.org_zone = match &draft.zone {
            Some(typed) => typed.clone(),
            None => actions::organization_zone(state, org_id)
                .await?
                .name()
                .to_string(),
        };
        page.departments = actions::departments(state, p, org_id).await?;
        page.invitations = invitations::invitations(state, p, org_id)
            .await?
            .into_iter()
            .map(|i| InvitationRow {
                id: i.id,
                email: i.email,
                standing: i.standing.in_words(),
                sent: nav.zone.format(i.created_at),
                pending: i.standing == InvitationStanding::Pending,
            })
            .collect();
        page.members = members
            .into_iter()
            .map(|u| {
                // The member's refused form shows what was chosen, not what is saved.
                let typed = draft.member.as_ref().filter(|m| m.id == Some(u.id));
                MemberRow {
                    form: format!("member-{}", u.id),
                    roles: Role::ALL
                        .into_iter()
                        .map(|r| {
                            let manageable = manageable.contains(&r);
                            RoleBox {
                                name: r.as_str(),
                                label: r.label(),
                                held: match typed {
                                    Some(t) if manageable => {
                                        t.roles.iter().any(|n| n == r.as_str())
                                    }
                                    _ => u.roles.has(r),
                                },
                                manageable,
                            }
                        })
                        .collect(),
                    id: u.id,
                    display_name: u.display_name,
                    email: u.email,
                    department_id: match typed {
                        Some(t) => t.department_id.parse().ok(),
                        None => u.department_id,
                    },
                    team: typed.map_or(u.team, |t| t.team.clone()),
                    deactivated: u.deactivated_at.is_some(),
                }
            })
            .collect();
    }
    page.draft = draft;
    // A refusal for a form the page does not show (a member no longer listed) goes on top.
    let shown_forms: Vec<&str> = page.members.iter().map(|m| m.form.as_str()).collect();
    page.error = std::mem::take(&mut page.error).unless_shown(
        |form| {
            ["organization", "zone", "department", "add-member"].contains(&form)
                || shown_forms.contains(&form)
        },
        "page",
    );
    Ok(render(&page))
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
) -> Result<Response, Refused> {
    admin_page(&state, &nav, &p, q.org, Shown::default())
        .await
        .or_refused(&nav)
}

/// After a change: the page again, with a notice, or the error beside `form` and what was
/// typed in it.
async fn after(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    org: Option<i64>,
    outcome: Result<String, ApiError>,
    form: &str,
    draft: Draft,
) -> Result<Response, Refused> {
    let shown = match outcome.or_form_error(&nav)? {
        Ok(notice) => Shown {
            notice: Some(notice),
            ..Shown::default()
        },
        Err(e) => Shown {
            error: FormError::of(form, &e),
            draft,
            ..Shown::default()
        },
    };
    admin_page(state, &nav, p, org, shown)
        .await
        .or_refused(&nav)
}

#[derive(Deserialize)]
pub struct LeavingForm {
    org: Option<i64>,
    /// deactivate, reactivate or remove.
    what: String,
}

/// A member's leaving: deactivate (or reactivate) the account, or remove them from the
/// organization. Either ends at once everything they held.
pub async fn leaving(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(f): Form<LeavingForm>,
) -> Result<Response, Refused> {
    use crate::actions::leaving;
    let org = f.org.or(p.user.organization_id);
    let outcome = match (f.what.as_str(), org) {
        ("deactivate", _) => leaving::deactivate(&state, &p, id).await.map(|()| {
            "Deactivated: every session, token, device and open page of theirs has ended."
                .to_string()
        }),
        ("reactivate", _) => leaving::reactivate(&state, &p, id)
            .await
            .map(|()| "Reactivated: they can sign in again.".to_string()),
        ("remove", Some(org)) => leaving::remove_member(&state, &p, org, id)
            .await
            .map(|()| "Removed from the organization; everything they held has ended.".to_string()),
        _ => Err(ApiError::invalid(
            "what",
            "deactivate, reactivate or remove",
        )),
    };
    let form = format!("member-{id}");
    after(&state, nav, &p, org, outcome, &form, Draft::default()).await
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
        "organization",
        Draft {
            organization: form.name,
            ..Draft::default()
        },
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
        "department",
        Draft {
            department: form.name,
            ..Draft::default()
        },
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
        "zone",
        Draft {
            zone: Some(form.time_zone),
            ..Draft::default()
        },
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
    let email = field("email").unwrap_or_default();
    // A member's own form names them; the add-a-person form does not.
    let member: Option<i64> = field("member").and_then(|m| m.parse().ok());
    let form = member.map_or_else(|| "add-member".to_string(), |id| format!("member-{id}"));
    let draft = Draft {
        email: email.clone(),
        member: Some(MemberDraft {
            id: member,
            department_id: field("department_id").unwrap_or_default(),
            team: field("team").unwrap_or_default(),
            roles: roles.clone(),
        }),
        ..Draft::default()
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
                    &form,
                    draft,
                )
                .await
            }
        },
    };
    if member.is_none() {
        let request = invitations::InvitationRequest {
            email: &email,
            department_id,
            roles: &roles,
        };
        let outcome = invitations::invite(&state, &p, org, request)
            .await
            .map(|i| {
                format!(
                    "Invited {}: the link is on its way to their mailbox and works until {}.",
                    i.email,
                    nav.zone.format(i.expires_at)
                )
            });
        return after(&state, nav, &p, Some(org), outcome, &form, draft).await;
    }
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
        &form,
        draft,
    )
    .await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    org: Option<i64>,
}

/// Withdraws an invitation: its link stops working.
pub async fn revoke_invitation(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(f): Form<RevokeForm>,
) -> Result<Response, Refused> {
    let Some(org) = f.org.or(p.user.organization_id) else {
        return Err(Refused::new(
            &nav,
            ApiError::not_found("choose an organization first"),
        ));
    };
    let outcome = invitations::revoke(&state, &p, org, id)
        .await
        .map(|()| "Withdrawn: the link no longer works.".to_string());
    after(
        &state,
        nav,
        &p,
        Some(org),
        outcome,
        "add-member",
        Draft::default(),
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
