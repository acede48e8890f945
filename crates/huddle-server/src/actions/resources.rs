//! The resource hub: the curated catalog every deployment shows, plus entries an
//! organization adds for its own people (its EAP, coaching, peer support, contacts).

use huddle_core::audit::AuditAction;
use huddle_core::wellbeing::resources::{CURATED, DRIVERS, KINDS};
use huddle_store::Resource;
use serde_json::json;

use super::audit::record;
use crate::auth::access::OrgAdmin;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// Writes the curated catalog into the store (by slug), so search covers it too.
pub async fn seed_curated(state: &AppState) -> Result<(), ApiError> {
    let curated: Vec<Resource> = CURATED
        .iter()
        .map(|c| Resource {
            id: 0,
            organization_id: None,
            slug: c.slug.into(),
            title: c.title.into(),
            body: c.body.into(),
            contact: c.contact.into(),
            url: c.url.into(),
            kind: c.kind.into(),
            level: c.level.into(),
            drivers: c.drivers.into(),
            audience: c.audience.into(),
        })
        .collect();
    Ok(state.store.upsert_curated_resources(&curated).await?)
}

pub struct NewResource<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub contact: &'a str,
    pub url: &'a str,
    pub kind: &'a str,
    pub level: &'a str,
    pub drivers: &'a [String],
    pub audience: &'a [String],
}

fn text(field: &str, value: &str, max: usize, required: bool) -> Result<String, ApiError> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(ApiError::invalid(field, "this cannot be empty"));
    }
    if v.chars().count() > max || v.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::invalid(
            field,
            format!("use at most {max} characters, without control characters"),
        ));
    }
    Ok(v.to_string())
}

fn one_of(field: &str, values: &[String], allowed: &[&str]) -> Result<String, ApiError> {
    for (i, v) in values.iter().enumerate() {
        if !allowed.contains(&v.as_str()) {
            return Err(ApiError::invalid(
                &format!("{field}[{i}]"),
                format!("one of: {}", allowed.join(", ")),
            ));
        }
    }
    Ok(values.join(","))
}

/// Adds an entry for the admin's organization.
pub async fn add(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    r: NewResource<'_>,
) -> Result<Resource, ApiError> {
    OrgAdmin::of(p, organization_id)?;
    let url = text("url", r.url, 500, false)?;
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        return Err(ApiError::invalid(
            "url",
            "a web address starting with https://",
        ));
    }
    let kinds: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
    if !kinds.contains(&r.kind) {
        return Err(ApiError::invalid(
            "kind",
            format!("one of: {}", kinds.join(", ")),
        ));
    }
    if !["individual", "organizational"].contains(&r.level) {
        return Err(ApiError::invalid("level", "individual or organizational"));
    }
    let drivers: Vec<&str> = DRIVERS.iter().map(|(d, _)| *d).collect();
    let resource = Resource {
        id: 0,
        organization_id: Some(organization_id),
        slug: String::new(),
        title: text("title", r.title, 120, true)?,
        body: text("body", r.body, 2000, true)?,
        contact: text("contact", r.contact, 200, false)?,
        url,
        kind: r.kind.into(),
        level: r.level.into(),
        drivers: one_of("drivers", r.drivers, &drivers)?,
        audience: one_of(
            "audience",
            r.audience,
            &["clinician", "physician", "leader"],
        )?,
    };
    let added = state.store.add_resource(&resource).await?;
    record(
        state,
        Some(p.id()),
        AuditAction::ResourceAdded,
        format!("resource:{}", added.id),
        json!({ "title": added.title }),
    )
    .await?;
    Ok(added)
}

pub async fn remove(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    id: i64,
) -> Result<(), ApiError> {
    OrgAdmin::of(p, organization_id)?;
    if !state.store.delete_resource(organization_id, id).await? {
        return Err(ApiError::not_found(
            "your organization has no resource with this id",
        ));
    }
    record(
        state,
        Some(p.id()),
        AuditAction::ResourceRemoved,
        format!("resource:{id}"),
        json!({}),
    )
    .await
}

/// The hub as the person sees it: curated entries and their organization's, optionally
/// narrowed by a full-text query.
pub async fn browse(
    state: &AppState,
    p: &Principal,
    query: Option<&str>,
) -> Result<Vec<Resource>, ApiError> {
    let org = p.user.organization_id;
    match query.map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) if q.chars().count() > 200 => {
            Err(ApiError::invalid("q", "keep the search to 200 characters"))
        }
        Some(q) => Ok(state.store.search_resources(org, q).await?),
        None => Ok(state.store.resources(org).await?),
    }
}

/// The organization's urgent contact, shown with crisis help.
pub async fn set_urgent_contact(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    contact: &str,
) -> Result<(), ApiError> {
    OrgAdmin::of(p, organization_id)?;
    let contact = text("urgent_contact", contact, 200, false)?;
    let value = (!contact.is_empty()).then_some(contact.as_str());
    state
        .store
        .set_urgent_contact(organization_id, value)
        .await?;
    record(
        state,
        Some(p.id()),
        AuditAction::UrgentContactChanged,
        format!("organization:{organization_id}"),
        json!({}),
    )
    .await
}

/// Who may manage hub entries: organization and system admins.
pub fn can_manage(p: &Principal) -> bool {
    crate::auth::access::shows::admin(p)
}
