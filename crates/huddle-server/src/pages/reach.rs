//! Reach in pages: a person's notification settings (whether new direct messages and
//! mentions reach their phone, and their quiet hours — alerts always reach them), and for an
//! organization's administrators, how interrupts reach physicians: the delivery timeout,
//! the channels at each rung of the escalation ladder, and the paging gateway.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use huddle_core::routing::{Channel, Reach};

use super::routing_admin::organization;
use super::{render, Nav, OrRefused, Refused};
use crate::actions::reach::{self, GatewayRequest};
use crate::auth::PageUser;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "notifications.html")]
struct Settings {
    nav: Nav,
    push_messages: bool,
    email_digests: bool,
    quiet_start: String,
    quiet_end: String,
    error: Option<String>,
    saved: bool,
}

#[derive(Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn settings(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, Refused> {
    let preferences = reach::preferences(&state, &p).await.or_refused(&nav)?;
    Ok(render(&Settings {
        nav,
        push_messages: preferences.push_messages,
        email_digests: preferences.email_digests,
        quiet_start: preferences.quiet.map(|q| q.start()).unwrap_or_default(),
        quiet_end: preferences.quiet.map(|q| q.end()).unwrap_or_default(),
        error: None,
        saved: q.saved.is_some(),
    }))
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    push_messages: Option<String>,
    #[serde(default)]
    email_digests: Option<String>,
    #[serde(default)]
    quiet_start: String,
    #[serde(default)]
    quiet_end: String,
}

pub async fn save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(f): Form<SettingsForm>,
) -> Result<Response, Refused> {
    let push_messages = f.push_messages.is_some();
    let email_digests = f.email_digests.is_some();
    let form = reach::PreferencesForm {
        push_messages,
        email_digests,
        quiet_start: &f.quiet_start,
        quiet_end: &f.quiet_end,
    };
    match reach::set_preferences(&state, &p, form)
        .await
        .or_form_error(&nav)?
    {
        Ok(_) => Ok(Redirect::to("/account/notifications?saved=1").into_response()),
        // Shown beside the form, with what was typed kept.
        Err(e) => Ok(render(&Settings {
            nav,
            push_messages,
            email_digests,
            quiet_start: f.quiet_start,
            quiet_end: f.quiet_end,
            error: Some(e.in_words()),
            saved: false,
        })),
    }
}

/// One rung of the escalation ladder as the admin form shows it.
pub struct RungRow {
    pub label: &'static str,
    pub email: bool,
    pub gateway: bool,
}

#[derive(Template)]
#[template(path = "reach_admin.html")]
struct ReachAdmin {
    nav: Nav,
    org_id: i64,
    delivery_timeout_s: i64,
    lock_screen_details: bool,
    rungs: Vec<RungRow>,
    gateway_url: String,
    /// Shown once, when the administrator asked for it.
    secret: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

const RUNGS: [&str; 3] = [
    "First delivery",
    "First escalation",
    "Second escalation and later",
];

#[derive(Deserialize)]
pub struct OrgQuery {
    org: Option<i64>,
    saved: Option<String>,
}

async fn admin_page(
    state: &AppState,
    nav: Nav,
    p: &crate::auth::Principal,
    org_id: i64,
    secret: Option<String>,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, Refused> {
    let gateway_url = reach::gateway_url(state, p, org_id)
        .await
        .or_refused(&nav)?
        .unwrap_or_default();
    let (policy, _) = crate::actions::routing::policy(state, org_id)
        .await
        .or_refused(&nav)?;
    let r = policy.reach;
    let rungs = RUNGS
        .iter()
        .enumerate()
        .map(|(i, label)| RungRow {
            label,
            email: r.channels_at(i).contains(&Channel::Email),
            gateway: r.channels_at(i).contains(&Channel::Gateway),
        })
        .collect();
    Ok(render(&ReachAdmin {
        nav,
        org_id,
        delivery_timeout_s: r.delivery_timeout_s,
        lock_screen_details: r.lock_screen_details,
        rungs,
        gateway_url,
        secret,
        notice,
        error,
    }))
}

pub async fn admin(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    axum::extract::Query(q): axum::extract::Query<OrgQuery>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    let notice = q.saved.map(|what| format!("Saved: {what}."));
    admin_page(&state, nav, &p, org, None, notice, None).await
}

/// The reach form: `timeout_s`, `email_N` / `gateway_N` per rung, `details`.
pub async fn save_reach(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    axum::extract::Query(q): axum::extract::Query<OrgQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    let has = |key: &str| fields.iter().any(|(k, _)| k == key);
    let timeout = fields
        .iter()
        .find(|(k, _)| k == "timeout_s")
        .and_then(|(_, v)| v.trim().parse::<i64>().ok());
    let Some(delivery_timeout_s) = timeout else {
        let error = Some("delivery timeout: a whole number of seconds".to_string());
        return admin_page(&state, nav, &p, org, None, None, error).await;
    };
    let rung_channels = (0..RUNGS.len())
        .map(|i| {
            [
                (has(&format!("email_{i}")), Channel::Email),
                (has(&format!("gateway_{i}")), Channel::Gateway),
            ]
            .into_iter()
            .filter_map(|(on, c)| on.then_some(c))
            .collect()
        })
        .collect();
    let wanted = Reach {
        delivery_timeout_s,
        rung_channels,
        lock_screen_details: has("details"),
    };
    match reach::set_reach(&state, &p, org, wanted)
        .await
        .or_form_error(&nav)?
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/reach?org={org}&saved=delivery")).into_response())
        }
        Err(e) => admin_page(&state, nav, &p, org, None, None, Some(e.in_words())).await,
    }
}

#[derive(Deserialize)]
pub struct GatewayForm {
    #[serde(default)]
    url: String,
}

pub async fn save_gateway(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    axum::extract::Query(q): axum::extract::Query<OrgQuery>,
    Form(f): Form<GatewayForm>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    let request = GatewayRequest { url: Some(f.url) };
    match reach::set_gateway(&state, &p, org, request)
        .await
        .or_form_error(&nav)?
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/reach?org={org}&saved=gateway")).into_response()),
        Err(e) => admin_page(&state, nav, &p, org, None, None, Some(e.in_words())).await,
    }
}

/// Shows the gateway's signing secret, for its owner to configure the receiver. Audited.
pub async fn reveal_secret(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    axum::extract::Query(q): axum::extract::Query<OrgQuery>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    let view = reach::gateway(&state, &p, org).await.or_refused(&nav)?;
    admin_page(&state, nav, &p, org, Some(view.signing_secret), None, None).await
}
