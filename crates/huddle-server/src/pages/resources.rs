//! The resource hub page: browse and search; admins add and remove their organization's
//! entries and set its urgent contact.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use huddle_core::wellbeing::resources::{DRIVERS, KINDS};
use serde::Deserialize;

use super::{render, Nav, OrRefused, Refused};
use crate::actions::resources::{self as actions, NewResource};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::state::AppState;

pub struct Entry {
    id: i64,
    title: String,
    body: String,
    contact: String,
    url: String,
    level: String,
    drivers: String,
    audience: String,
    local: bool,
}

pub struct Group {
    label: &'static str,
    items: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "resources.html")]
struct HubPage {
    nav: Nav,
    notice: Option<String>,
    error: Option<String>,
    query: String,
    results_empty: bool,
    groups: Vec<Group>,
    manage: bool,
    kinds: &'static [(&'static str, &'static str)],
    drivers: &'static [(&'static str, &'static str)],
    urgent_contact: String,
    /// The resource form as typed, when it was refused (empty otherwise).
    draft: Draft,
}

/// The add-a-resource form's fields, as submitted.
#[derive(Default)]
pub struct Draft {
    title: String,
    body: String,
    contact: String,
    url: String,
    kind: String,
    level: String,
    /// Every field as sent, for the checkboxes (`driver`, `audience`).
    pairs: Vec<(String, String)>,
}

impl Draft {
    fn of(pairs: Vec<(String, String)>) -> Draft {
        let field = |name: &str| super::pair(&pairs, name);
        Draft {
            title: field("title"),
            body: field("body"),
            contact: field("contact"),
            url: field("url"),
            kind: field("kind"),
            level: field("level"),
            pairs,
        }
    }

    /// Whether the checkbox `name` = `value` was ticked.
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.pairs.iter().any(|(k, v)| k == name && v == value)
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// What one rendering of the hub shows beside the catalog.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    error: Option<String>,
    /// A refused resource, to fix and add again.
    draft: Draft,
    /// A refused urgent contact, as typed (else the one saved).
    urgent_contact: Option<String>,
}

impl Shown {
    fn notice(notice: String) -> Shown {
        Shown {
            notice: Some(notice),
            ..Shown::default()
        }
    }
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

async fn hub(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    query: Option<String>,
    shown: Shown,
) -> Result<Response, Refused> {
    let (found, urgent_contact, error) = match found_and_contact(state, p, query.as_deref())
        .await
        .or_form_error(&nav)?
    {
        Ok((found, urgent)) => (found, shown.urgent_contact.unwrap_or(urgent), shown.error),
        // A search that cannot be run: nothing found, and why beside the search box.
        Err(e) => (Vec::new(), String::new(), Some(e.in_words())),
    };
    let label = |code: &str| {
        DRIVERS
            .iter()
            .find(|(d, _)| *d == code)
            .map_or(code.to_string(), |(_, l)| l.to_string())
    };
    let groups: Vec<Group> = KINDS
        .iter()
        .map(|(kind, kind_label)| Group {
            label: kind_label,
            items: found
                .iter()
                .filter(|r| r.kind == *kind)
                .map(|r| Entry {
                    id: r.id,
                    title: r.title.clone(),
                    body: r.body.clone(),
                    contact: r.contact.clone(),
                    url: r.url.clone(),
                    level: r.level.clone(),
                    drivers: r
                        .drivers
                        .split(',')
                        .filter(|d| !d.is_empty())
                        .map(label)
                        .collect::<Vec<_>>()
                        .join(", "),
                    audience: r.audience.replace(',', ", "),
                    local: r.organization_id.is_some(),
                })
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    Ok(render(&HubPage {
        nav,
        notice: shown.notice,
        error,
        draft: shown.draft,
        results_empty: groups.is_empty(),
        query: query.unwrap_or_default(),
        groups,
        manage: actions::can_manage(p) && p.user.organization_id.is_some(),
        kinds: &KINDS,
        drivers: &DRIVERS,
        urgent_contact,
    }))
}

/// What the search finds, and the organization's urgent contact.
async fn found_and_contact(
    state: &AppState,
    p: &Principal,
    query: Option<&str>,
) -> Result<(Vec<huddle_store::Resource>, String), ApiError> {
    let found = actions::browse(state, p, query).await?;
    let urgent = match p.user.organization_id {
        Some(org) => state.store.urgent_contact(org).await?.unwrap_or_default(),
        None => String::new(),
    };
    Ok((found, urgent))
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<SearchQuery>,
) -> Result<Response, Refused> {
    hub(&state, nav, &p, q.q, Shown::default()).await
}

fn admin_org(p: &Principal) -> Result<i64, ApiError> {
    p.user
        .organization_id
        .filter(|_| actions::can_manage(p))
        .ok_or_else(|| ApiError::forbidden("only your organization's admins manage its resources"))
}

pub async fn add(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let org = admin_org(&p).or_refused(&nav)?;
    let draft = Draft::of(pairs);
    let (drivers, audience) = (draft.all("driver"), draft.all("audience"));
    let outcome = actions::add(
        &state,
        &p,
        org,
        NewResource {
            title: &draft.title,
            body: &draft.body,
            contact: &draft.contact,
            url: &draft.url,
            kind: &draft.kind,
            level: &draft.level,
            drivers: &drivers,
            audience: &audience,
        },
    )
    .await;
    let shown = match outcome.or_form_error(&nav)? {
        Ok(r) => Shown::notice(format!("Added {}.", r.title)),
        // The form again, as typed, with what to fix.
        Err(e) => Shown {
            error: Some(e.in_words()),
            draft,
            ..Shown::default()
        },
    };
    hub(&state, nav, &p, None, shown).await
}

pub async fn remove(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    let org = admin_org(&p).or_refused(&nav)?;
    actions::remove(&state, &p, org, id)
        .await
        .or_refused(&nav)?;
    hub(&state, nav, &p, None, Shown::notice("Removed.".into())).await
}

#[derive(Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    contact: String,
}

pub async fn urgent_contact(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(f): Form<ContactForm>,
) -> Result<Response, Refused> {
    let org = admin_org(&p).or_refused(&nav)?;
    let outcome = actions::set_urgent_contact(&state, &p, org, &f.contact).await;
    let shown = match outcome.or_form_error(&nav)? {
        Ok(()) => Shown::notice("Urgent contact saved.".into()),
        Err(e) => Shown {
            error: Some(e.in_words()),
            urgent_contact: Some(f.contact),
            ..Shown::default()
        },
    };
    hub(&state, nav, &p, None, shown).await
}
