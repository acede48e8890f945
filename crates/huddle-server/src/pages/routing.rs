//! The physician's alert inbox: what interrupted them and what came in digests, why each
//! was routed as it was, and buttons to acknowledge, answer and correct the decision.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use huddle_core::clock::Zone;
use serde::Deserialize;

use super::{render, Nav, OrRefused, Refused};
use huddle_core::identity::Role;

use crate::actions::paging::{self, PageRequest, SentPage};
use crate::actions::routing::{self as actions, AlertView};
use crate::auth::access::shows;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::state::AppState;

pub struct Row {
    /// The kind in words: `critical_lab` → "Critical lab".
    title: String,
    alert: AlertView,
    delivered: String,
    open: bool,
    /// Held by the viewer now (an escalated one stays listed, without its buttons).
    mine: bool,
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    nav: Nav,
    rows: Vec<Row>,
    upcoming: usize,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    let zone = nav.zone.clone();
    // Alerts reach physicians; a clinician's place is the page they send and follow.
    if !shows::physician(&p) && shows::pager(&p) {
        return Ok(Redirect::to("/page").into_response());
    }
    let (alerts, upcoming) = actions::inbox(&state, &p).await.or_refused(&nav)?;
    Ok(render(&AlertsPage {
        nav,
        upcoming,
        rows: alerts
            .into_iter()
            .map(|a| Row {
                title: title(&a.category),
                delivered: zone.format(a.deliver_at),
                open: a.state == "open" || a.state == "acknowledged",
                mine: a.delivered_to == p.id(),
                alert: a,
            })
            .collect(),
    }))
}

fn title(category: &str) -> String {
    let words = category.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub async fn acknowledge(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    actions::acknowledge(&state, &p, id)
        .await
        .or_refused(&nav)?;
    Ok(Redirect::to("/alerts").into_response())
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    correction: String,
}

pub async fn answer(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, Refused> {
    actions::answer(&state, &p, id, &f.outcome, Some(&f.correction))
        .await
        .or_refused(&nav)?;
    Ok(Redirect::to("/alerts").into_response())
}

pub struct Line {
    at: String,
    text: String,
}

#[derive(Template)]
#[template(path = "alert.html")]
struct AlertPage {
    nav: Nav,
    title: String,
    alert: AlertView,
    lines: Vec<Line>,
    /// The viewer holds it now (and may acknowledge it).
    holder: bool,
}

/// One alert with its timeline: for whoever holds or held it, the person who paged, and
/// the organization's administrators.
pub async fn detail(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    let (alert, lines) = actions::timeline(&state, &p, id).await.or_refused(&nav)?;
    let zone = nav.zone.clone();
    Ok(render(&AlertPage {
        nav,
        title: title(&alert.category),
        holder: alert.delivered_to == p.id(),
        lines: lines
            .into_iter()
            .map(|l| Line {
                at: zone.format(l.at),
                text: l.text,
            })
            .collect(),
        alert,
    }))
}

pub struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "page.html")]
struct PageForm {
    nav: Nav,
    error: Option<String>,
    sent: Option<i64>,
    recipients: Vec<Choice>,
    urgencies: Vec<Choice>,
    pages: Vec<SentRow>,
    /// One per rendered form: the same submission twice is one page.
    client_id: String,
    /// What was typed, when the page was refused (empty on a fresh form).
    typed: PageFormData,
}

#[derive(Template)]
#[template(path = "page_sent.html")]
struct SentList {
    pages: Vec<SentRow>,
}

pub struct SentRow {
    page: SentPage,
    sent_at: String,
}

async fn sent_rows(state: &AppState, p: &Principal, zone: &Zone) -> Result<Vec<SentRow>, ApiError> {
    Ok(paging::sent(state, p)
        .await?
        .into_iter()
        .map(|page| SentRow {
            sent_at: zone.format(page.alert.received_at),
            page,
        })
        .collect())
}

/// Who can be paged: each service with someone on call or on shift, then each physician.
async fn recipients(state: &AppState, p: &Principal) -> Result<Vec<Choice>, ApiError> {
    let shifts =
        crate::actions::messaging::shifts_around_now(state, p.user.organization_id).await?;
    let now = state.now();
    let mut services: Vec<String> = shifts
        .iter()
        .filter(|s| s.starts_at <= now && now < s.ends_at)
        .map(|s| s.service.clone())
        .collect();
    services.sort();
    services.dedup();
    let mut choices: Vec<Choice> = services
        .into_iter()
        .map(|s| Choice {
            label: format!("{} on call", title(&s)),
            value: format!("oncall:{s}"),
        })
        .collect();
    if let Some(org) = p.user.organization_id {
        let mut physicians: Vec<_> = state
            .store
            .users_in_organization(org)
            .await?
            .into_iter()
            .filter(|u| u.roles.has(Role::Physician) && u.id != p.id())
            .collect();
        physicians.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        choices.extend(physicians.into_iter().map(|u| Choice {
            value: u.id.to_string(),
            label: u.display_name,
        }));
    }
    Ok(choices)
}

async fn form(
    state: &AppState,
    p: &Principal,
    nav: Nav,
    error: Option<String>,
    sent: Option<i64>,
    typed: PageFormData,
) -> Result<Response, ApiError> {
    let urgencies = paging::urgencies(state, p)
        .await?
        .into_iter()
        .map(|u| Choice {
            value: u.as_str().into(),
            label: u.label().into(),
        })
        .collect();
    let pages = sent_rows(state, p, &nav.zone).await?;
    Ok(render(&PageForm {
        nav,
        error,
        sent,
        recipients: recipients(state, p).await?,
        urgencies,
        pages,
        client_id: crate::auth::secrets::new_secret(),
        typed,
    }))
}

#[derive(Deserialize)]
pub struct SentQuery {
    sent: Option<i64>,
}

pub async fn page_form(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<SentQuery>,
) -> Result<Response, Refused> {
    form(
        &state,
        &p,
        nav.clone(),
        None,
        q.sent,
        PageFormData::default(),
    )
    .await
    .or_refused(&nav)
}

/// The sender's list, refreshed in place while the page is open.
pub async fn sent_pages(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    let pages = sent_rows(&state, &p, &nav.zone).await.or_refused(&nav)?;
    Ok(render(&SentList { pages }))
}

#[derive(Deserialize, Default, Clone)]
pub struct PageFormData {
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    patient: String,
    #[serde(default)]
    callback: String,
    /// Set once per form: a double submit does not page twice.
    #[serde(default)]
    client_id: String,
}

pub async fn send_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(f): Form<PageFormData>,
) -> Result<Response, Refused> {
    let request = PageRequest {
        recipient: f.recipient.clone(),
        urgency: f.urgency.clone(),
        message: f.message.clone(),
        patient: f.patient.clone(),
        callback: f.callback.clone(),
        client_id: Some(f.client_id.clone()).filter(|c| !c.trim().is_empty()),
    };
    match paging::page(&state, &p, request)
        .await
        .or_form_error(&nav)?
    {
        Ok((sent, _)) => Ok(Redirect::to(&format!("/page?sent={}", sent.alert.id)).into_response()),
        // The form again, as typed, with what to fix.
        Err(e) => form(&state, &p, nav.clone(), Some(e.in_words()), None, f)
            .await
            .or_refused(&nav),
    }
}
