//! The physician's alert inbox: what interrupted them and what came in digests, why each
//! was routed as it was, and buttons to acknowledge, answer and correct the decision.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use huddle_core::clock::format_utc;
use serde::Deserialize;

use super::{refused, render, Nav};
use crate::actions::routing::{self as actions, AlertView};
use crate::auth::PageUser;
use crate::state::AppState;

pub struct Row {
    /// The kind in words: `critical_lab` → "Critical lab".
    title: String,
    alert: AlertView,
    delivered: String,
    open: bool,
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    nav: Nav,
    rows: Vec<Row>,
    upcoming: usize,
}

pub async fn page(State(state): State<AppState>, PageUser(p): PageUser, nav: Nav) -> Response {
    match actions::inbox(&state, &p).await {
        Ok((alerts, upcoming)) => render(&AlertsPage {
            nav,
            upcoming,
            rows: alerts
                .into_iter()
                .map(|a| Row {
                    title: title(&a.category),
                    delivered: format_utc(a.deliver_at),
                    open: a.state == "open" || a.state == "acknowledged",
                    alert: a,
                })
                .collect(),
        }),
        Err(e) => refused(nav, &e),
    }
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
) -> Response {
    match actions::acknowledge(&state, &p, id).await {
        Ok(_) => Redirect::to("/alerts").into_response(),
        Err(e) => refused(nav, &e),
    }
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
) -> Response {
    match actions::answer(&state, &p, id, &f.outcome, Some(&f.correction)).await {
        Ok(_) => Redirect::to("/alerts").into_response(),
        Err(e) => refused(nav, &e),
    }
}
