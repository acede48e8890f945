//! The page an invitation's link opens: join with a new account, sign in first, or join
//! with the account signed in. Opening the link changes nothing; the form does.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::{render, Nav, OrRefused, Refused};
use crate::actions::invitations::{self as actions, Opened};
use crate::auth::principal::encode_next;
use crate::auth::{ClientIp, Principal};
use crate::state::AppState;

pub enum Shown {
    NoLongerValid,
    NewAccount { org: String, email: String },
    SignInFirst { org: String, email: String },
    Join { org: String, email: String },
    OtherAccount { org: String, email: String },
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    nav: Nav,
    opened: Shown,
    token: String,
    /// Where signing in comes back to (this page, encoded).
    next: String,
    error: Option<String>,
    error_field: String,
    display_name: String,
}

fn shown(opened: Opened) -> Shown {
    let names = |i: actions::Invited| (i.organization.name, i.invitation.email);
    match opened {
        Opened::NoLongerValid => Shown::NoLongerValid,
        Opened::NewAccount(i) => {
            let (org, email) = names(i);
            Shown::NewAccount { org, email }
        }
        Opened::SignInFirst(i) => {
            let (org, email) = names(i);
            Shown::SignInFirst { org, email }
        }
        Opened::Join(i) => {
            let (org, email) = names(i);
            Shown::Join { org, email }
        }
        Opened::OtherAccount(i) => {
            let (org, email) = names(i);
            Shown::OtherAccount { org, email }
        }
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

async fn page(
    state: &AppState,
    nav: Nav,
    viewer: Option<&Principal>,
    token: String,
    error: Option<crate::error::ApiError>,
    display_name: String,
) -> Result<Response, Refused> {
    let opened = actions::open(state, &token, viewer)
        .await
        .or_refused(&nav)?;
    let next = encode_next(&format!("/invitations/accept?token={token}"));
    Ok(render(&InvitationPage {
        nav,
        opened: shown(opened),
        next,
        error_field: error
            .as_ref()
            .and_then(|e| e.field())
            .unwrap_or_default()
            .to_string(),
        error: error.map(|e| e.in_words()),
        token,
        display_name,
    }))
}

pub async fn open(
    State(state): State<AppState>,
    nav: Nav,
    principal: Option<Extension<Principal>>,
    Query(q): Query<TokenQuery>,
) -> Result<Response, Refused> {
    let viewer = principal.as_ref().map(|Extension(p)| p);
    page(
        &state,
        nav,
        viewer,
        q.token.unwrap_or_default(),
        None,
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct AcceptForm {
    token: String,
    display_name: Option<String>,
    password: Option<String>,
}

pub async fn accept(
    State(state): State<AppState>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    principal: Option<Extension<Principal>>,
    Form(f): Form<AcceptForm>,
) -> Result<Response, Refused> {
    if let Some(Extension(p)) = &principal {
        return match actions::accept_signed_in(&state, p, ip, &f.token)
            .await
            .or_form_error(&nav)?
        {
            Ok(()) => Ok(Redirect::to("/").into_response()),
            Err(e) => page(&state, nav, Some(p), f.token, Some(e), String::new()).await,
        };
    }
    let display_name = f.display_name.unwrap_or_default();
    let password = f.password.unwrap_or_default();
    match actions::accept_as_new(&state, ip, &f.token, &display_name, &password)
        .await
        .or_form_error(&nav)?
    {
        Ok(user) => super::identity::open_session(&state, &nav, user.id, false, "/").await,
        Err(e) => page(&state, nav, None, f.token, Some(e), display_name).await,
    }
}
