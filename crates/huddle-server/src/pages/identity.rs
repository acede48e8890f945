//! Sign-up, sign-in (with the TOTP step), sign-out and the account page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::{refused, render, Nav};
use crate::actions::identity::{self as actions, SignIn};
use crate::auth::csrf::{set_cookie, SESSION_COOKIE};
use crate::auth::middleware::secure_cookies;
use crate::auth::principal::safe_next;
use crate::auth::{ClientIp, PageUser, PendingMfa, Principal};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    nav: Nav,
    error: Option<String>,
    email: String,
    display_name: String,
}

pub async fn signup_page(nav: Nav) -> Response {
    render(&SignupPage {
        nav,
        error: None,
        email: String::new(),
        display_name: String::new(),
    })
}

#[derive(Deserialize)]
pub struct SignupForm {
    email: String,
    password: String,
    display_name: String,
}

pub async fn signup(
    State(state): State<AppState>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    Form(form): Form<SignupForm>,
) -> Response {
    let result = async {
        actions::register(&state, &form.email, &form.password, &form.display_name).await?;
        actions::sign_in(&state, ip, &form.email, &form.password, None).await
    }
    .await;
    match result {
        Ok(SignIn::Complete(user)) => open_session(&state, user.id, false, "/").await,
        Ok(SignIn::NeedsCode(_)) => Redirect::to("/signin").into_response(),
        Err(e) => render(&SignupPage {
            nav,
            error: Some(e.detail().to_string()),
            email: form.email,
            display_name: form.display_name,
        }),
    }
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    nav: Nav,
    error: Option<String>,
    email: String,
    next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn signin_page(nav: Nav, Query(q): Query<NextQuery>) -> Response {
    render(&SigninPage {
        nav,
        error: None,
        email: String::new(),
        next: safe_next(q.next.as_deref()),
    })
}

#[derive(Deserialize)]
pub struct SigninForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn signin(
    State(state): State<AppState>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    Form(form): Form<SigninForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    match actions::sign_in(&state, ip, &form.email, &form.password, None).await {
        Ok(SignIn::Complete(user)) => open_session(&state, user.id, false, &next).await,
        Ok(SignIn::NeedsCode(user)) => {
            open_session(&state, user.id, true, &format!("/signin/mfa?next={}", next)).await
        }
        Err(e) => {
            let mut page = render(&SigninPage {
                nav,
                error: Some(e.detail().to_string()),
                email: form.email,
                next,
            });
            *page.status_mut() = e.status();
            page
        }
    }
}

/// Starts a session and sends the browser on with its cookie.
async fn open_session(state: &AppState, user_id: i64, mfa_pending: bool, to: &str) -> Response {
    match actions::start_session(state, user_id, mfa_pending).await {
        Ok((cookie, _)) => {
            let cookie = set_cookie(SESSION_COOKIE, &cookie, secure_cookies(state), None);
            ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Template)]
#[template(path = "signin_mfa.html")]
struct MfaPage {
    nav: Nav,
    error: Option<String>,
    next: String,
}

pub async fn mfa_page(_pending: PendingMfa, nav: Nav, Query(q): Query<NextQuery>) -> Response {
    render(&MfaPage {
        nav,
        error: None,
        next: safe_next(q.next.as_deref()),
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
    next: Option<String>,
}

pub async fn mfa_submit(
    State(state): State<AppState>,
    pending: PendingMfa,
    nav: Nav,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let result = async {
        actions::check_code(&state, &pending.user, ip, &form.code).await?;
        actions::complete_sign_in(&state, &pending.user, ip).await?;
        // A new session id once fully signed in: the pending one is never promoted.
        state.store.delete_session(&pending.session.id_hash).await?;
        Ok::<_, crate::error::ApiError>(())
    }
    .await;
    match result {
        Ok(()) => open_session(&state, pending.user.id, false, &next).await,
        Err(e) => {
            let mut page = render(&MfaPage {
                nav,
                error: Some(e.detail().to_string()),
                next,
            });
            *page.status_mut() = e.status();
            page
        }
    }
}

pub async fn signout(
    State(state): State<AppState>,
    principal: Option<axum::Extension<Principal>>,
    pending: Option<axum::Extension<PendingMfa>>,
) -> Response {
    if let Some(axum::Extension(p)) = principal {
        if let Err(e) = actions::sign_out(&state, &p).await {
            return e.into_response();
        }
    }
    if let Some(axum::Extension(p)) = pending {
        let _ = state.store.delete_session(&p.session.id_hash).await;
    }
    let cookie = set_cookie(SESSION_COOKIE, "", secure_cookies(&state), Some(0));
    ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}

pub struct TokenRow {
    id: i64,
    name: String,
    created: String,
    last_used: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Nav,
    notice: Option<String>,
    error: Option<String>,
    display_name: String,
    email: String,
    roles: Vec<&'static str>,
    mfa_enabled: bool,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    /// The person's own zone ("" when they follow their organization's) and the one in use.
    own_zone: String,
    zones: &'static [&'static str],
    /// Devices with notifications on.
    devices: Vec<DeviceRow>,
}

pub struct DeviceRow {
    id: i64,
    label: String,
    service: String,
    last_sent: String,
}

async fn account_page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    notice: Option<String>,
    error: Option<String>,
    new_token: Option<String>,
) -> Response {
    let zone = nav.zone.clone();
    // Re-read: the action may have changed the account (MFA on or off).
    let user = match state.store.user(p.id()).await {
        Ok(Some(u)) => u,
        Ok(None) => return Redirect::to("/signin").into_response(),
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    };
    let tokens = match state.store.api_tokens(p.id()).await {
        Ok(t) => t,
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    };
    let own_zone = match state.store.time_zones(p.id()).await {
        Ok((own, _)) => own.unwrap_or_default(),
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    };
    let devices = match crate::push::devices(state, p).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    render(&AccountPage {
        devices: devices
            .into_iter()
            .map(|d| DeviceRow {
                id: d.id,
                label: d.label,
                service: d.service,
                last_sent: d
                    .last_sent_at
                    .map_or_else(|| "nothing yet".to_string(), |at| zone.format(at)),
            })
            .collect(),
        own_zone,
        zones: huddle_core::clock::COMMON_ZONES,
        nav,
        notice,
        error,
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        roles: user.roles.iter().map(|r| r.label()).collect(),
        mfa_enabled: user.mfa_enabled(),
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name,
                created: zone.format(t.created_at),
                last_used: t
                    .last_used_at
                    .map_or_else(|| "never".to_string(), |at| zone.format(at)),
            })
            .collect(),
        new_token,
    })
}

pub async fn account(State(state): State<AppState>, PageUser(p): PageUser, nav: Nav) -> Response {
    account_page(&state, nav, &p, None, None, None).await
}

/// Turns notifications off for one of the person's devices.
pub async fn remove_device(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    match crate::push::unsubscribe(&state, &p, id).await {
        Ok(()) => {
            let notice = Some("Notifications are off for that device.".to_string());
            account_page(&state, nav, &p, notice, None, None).await
        }
        Err(e) => super::refused(nav, &e),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(form): Form<PasswordForm>,
) -> Response {
    match actions::change_password(&state, &p, &form.current_password, &form.new_password).await {
        Ok(()) => {
            account_page(
                &state,
                nav,
                &p,
                Some("Password changed. Other sessions were signed out.".into()),
                None,
                None,
            )
            .await
        }
        Err(e) => account_page(&state, nav, &p, None, Some(e.detail().to_string()), None).await,
    }
}

#[derive(Template)]
#[template(path = "mfa_setup.html")]
struct MfaSetupPage {
    nav: Nav,
    error: Option<String>,
    secret: String,
    otpauth_url: String,
}

pub async fn mfa_setup(PageUser(p): PageUser, nav: Nav) -> Response {
    let (secret, otpauth_url) = actions::mfa_setup(&p);
    render(&MfaSetupPage {
        nav,
        error: None,
        secret,
        otpauth_url,
    })
}

#[derive(Deserialize)]
pub struct EnableForm {
    secret: String,
    code: String,
}

pub async fn mfa_enable(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(form): Form<EnableForm>,
) -> Response {
    match actions::enable_mfa(&state, &p, &form.secret, &form.code).await {
        Ok(()) => {
            account_page(
                &state,
                nav,
                &p,
                Some("Two-step sign-in is on.".into()),
                None,
                None,
            )
            .await
        }
        Err(e) => {
            let otpauth_url = crate::auth::totp::provisioning_url(&form.secret, &p.user.email)
                .unwrap_or_default();
            render(&MfaSetupPage {
                nav,
                error: Some(e.detail().to_string()),
                secret: form.secret,
                otpauth_url,
            })
        }
    }
}

pub async fn mfa_disable(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Response {
    match actions::disable_mfa(&state, &p, ip, &form.code).await {
        Ok(()) => {
            account_page(
                &state,
                nav,
                &p,
                Some("Two-step sign-in is off.".into()),
                None,
                None,
            )
            .await
        }
        Err(e) => account_page(&state, nav, &p, None, Some(e.detail().to_string()), None).await,
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(form): Form<TokenForm>,
) -> Response {
    match actions::create_api_token(&state, &p.user, &form.name).await {
        Ok((token, _)) => account_page(&state, nav, &p, None, None, Some(token)).await,
        Err(e) => account_page(&state, nav, &p, None, Some(e.detail().to_string()), None).await,
    }
}

#[derive(Deserialize)]
pub struct ZoneForm {
    time_zone: String,
}

/// The person's own time zone; empty follows their organization's.
pub async fn set_time_zone(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(form): Form<ZoneForm>,
) -> Response {
    match crate::actions::organizations::set_my_time_zone(&state, &p, &form.time_zone).await {
        Ok(_) => {
            let nav = nav.rezoned(&state, p.id()).await;
            let notice = format!("Times are now shown in {}.", nav.zone);
            account_page(&state, nav, &p, Some(notice), None, None).await
        }
        Err(e) => account_page(&state, nav, &p, None, Some(e.detail().to_string()), None).await,
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
) -> Response {
    match actions::revoke_api_token(&state, &p, id).await {
        Ok(()) => account_page(&state, nav, &p, Some("Token revoked.".into()), None, None).await,
        Err(e) => refused(nav, &e),
    }
}
