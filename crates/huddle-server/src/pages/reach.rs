//! A person's notification settings: whether new direct messages and mentions reach their
//! phone, and their quiet hours. Alerts, pages and escalations always reach them.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::{render, Nav, OrRefused, Refused};
use crate::actions::reach;
use crate::auth::PageUser;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "notifications.html")]
struct Settings {
    nav: Nav,
    push_messages: bool,
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
    match reach::set_preferences(&state, &p, push_messages, &f.quiet_start, &f.quiet_end).await {
        Ok(_) => Ok(Redirect::to("/account/notifications?saved=1").into_response()),
        // Shown beside the form, with what was typed kept.
        Err(e) if e.belongs_on_the_form() => Ok(render(&Settings {
            nav,
            push_messages,
            quiet_start: f.quiet_start,
            quiet_end: f.quiet_end,
            error: Some(e.in_words()),
            saved: false,
        })),
        Err(e) => Err(e).or_refused(&nav),
    }
}
