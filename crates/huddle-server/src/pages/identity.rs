//! Sign-up, sign-in (with the TOTP step), sign-out and the account page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::{render, FormError, Nav, OrRefused, Refused};
use crate::actions::identity::{self as actions, SignIn};
use crate::auth::csrf::{set_cookie, SESSION_COOKIE};
use crate::auth::middleware::secure_cookies;
use crate::auth::principal::{encode_next, safe_next};
use crate::auth::{ClientIp, PageUser, PendingMfa, Principal};
use crate::config::SignUpMode;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    nav: Nav,
    /// Why people cannot sign up here (invitations or single sign-on only), instead of the form.
    closed: Option<&'static str>,
    error: Option<String>,
    email: String,
    display_name: String,
}

/// The words instead of the form, when people cannot sign up themselves here.
fn closed(state: &AppState) -> Option<&'static str> {
    match state.config.accounts.sign_up {
        SignUpMode::Open => None,
        SignUpMode::Invitation => Some(actions::SIGN_UP_BY_INVITATION),
        SignUpMode::SingleSignOn => Some(actions::SIGN_UP_BY_SINGLE_SIGN_ON),
    }
}

pub async fn signup_page(State(state): State<AppState>, nav: Nav) -> Response {
    render(&SignupPage {
        nav,
        closed: closed(&state),
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
) -> Result<Response, Refused> {
    let registered =
        actions::register(&state, ip, &form.email, &form.password, &form.display_name).await;
    match registered.or_form_error(&nav)? {
        // The same page whether the address was new or already had an account: sign in.
        Ok(()) => Ok(render(&SigninPage {
            nav,
            error: None,
            notice: Some(actions::REGISTRATION_ACCEPTED.to_string()),
            email: form.email.trim().to_string(),
            next: "/".to_string(),
            sso_error: None,
            sso_email: String::new(),
        })),
        // The form again, as typed (but the password), with what to fix.
        Err(e) => Ok(with_status(
            render(&SignupPage {
                nav,
                closed: closed(&state),
                error: Some(e.in_words()),
                email: form.email,
                display_name: form.display_name,
            }),
            &e,
        )),
    }
}

/// A form shown again after a refusal answers with the refusal's status.
fn with_status(mut page: Response, e: &ApiError) -> Response {
    if page.status().is_success() {
        *page.status_mut() = e.status();
    }
    page
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    nav: Nav,
    error: Option<String>,
    /// Said above the form (after a sign-up).
    notice: Option<String>,
    email: String,
    next: String,
    /// A refused "Sign in with your organization", beside its form, and the address typed.
    sso_error: Option<String>,
    sso_email: String,
}

/// The sign-in page again with "Sign in with your organization" refused beside its form.
pub(super) fn signin_with_sso_error(
    nav: Nav,
    sso_email: String,
    next: String,
    e: &ApiError,
) -> Response {
    with_status(
        render(&SigninPage {
            nav,
            error: None,
            notice: None,
            email: String::new(),
            next,
            sso_error: Some(e.in_words()),
            sso_email,
        }),
        e,
    )
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn signin_page(nav: Nav, Query(q): Query<NextQuery>) -> Response {
    render(&SigninPage {
        nav,
        error: None,
        notice: None,
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        sso_error: None,
        sso_email: String::new(),
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
) -> Result<Response, Refused> {
    let next = safe_next(form.next.as_deref());
    match actions::sign_in(&state, ip, &form.email, &form.password, None)
        .await
        .or_form_error(&nav)?
    {
        Ok(SignIn::Complete(user)) => open_session(&state, &nav, user.id, false, &next).await,
        Ok(SignIn::NeedsCode(user)) => {
            let to = format!("/signin/mfa?next={}", encode_next(&next));
            open_session(&state, &nav, user.id, true, &to).await
        }
        Err(e) => Ok(with_status(
            render(&SigninPage {
                nav,
                error: Some(e.in_words()),
                notice: None,
                email: form.email,
                next,
                sso_error: None,
                sso_email: String::new(),
            }),
            &e,
        )),
    }
}

/// Starts a session and sends the browser on with its cookie.
pub(super) async fn open_session(
    state: &AppState,
    nav: &Nav,
    user_id: i64,
    mfa_pending: bool,
    to: &str,
) -> Result<Response, Refused> {
    let (cookie, _) = actions::start_session(state, user_id, mfa_pending)
        .await
        .or_refused(nav)?;
    let cookie = set_cookie(SESSION_COOKIE, &cookie, secure_cookies(state), None);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response())
}

#[derive(Template)]
#[template(path = "signin_mfa.html")]
struct MfaPage {
    nav: Nav,
    error: Option<String>,
    next: String,
    /// Which second steps the account has: an authenticator app, a passkey, or both.
    totp: bool,
    passkey: bool,
}

impl MfaPage {
    async fn of(
        state: &AppState,
        nav: Nav,
        pending: &PendingMfa,
        error: Option<String>,
        next: String,
    ) -> Result<MfaPage, Refused> {
        let passkey = crate::actions::passkeys::has_passkey(state, pending.user.id)
            .await
            .or_refused(&nav)?;
        Ok(MfaPage {
            totp: pending.user.mfa_enabled(),
            passkey,
            nav,
            error,
            next,
        })
    }
}

pub async fn mfa_page(
    State(state): State<AppState>,
    pending: PendingMfa,
    nav: Nav,
    Query(q): Query<NextQuery>,
) -> Result<Response, Refused> {
    let next = safe_next(q.next.as_deref());
    Ok(render(
        &MfaPage::of(&state, nav, &pending, None, next).await?,
    ))
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
) -> Result<Response, Refused> {
    let next = safe_next(form.next.as_deref());
    let checked = actions::check_code(&state, &pending.user, ip, &form.code).await;
    if let Err(e) = checked.or_form_error(&nav)? {
        let page = MfaPage::of(&state, nav, &pending, Some(e.in_words()), next).await?;
        return Ok(with_status(render(&page), &e));
    }
    actions::complete_sign_in(&state, &pending.user, ip)
        .await
        .or_refused(&nav)?;
    // A new session id once fully signed in: the pending one is never promoted.
    state
        .store
        .delete_session(&pending.session.id_hash)
        .await
        .or_refused(&nav)?;
    open_session(&state, &nav, pending.user.id, false, &next).await
}

pub async fn signout(
    State(state): State<AppState>,
    nav: Nav,
    principal: Option<axum::Extension<Principal>>,
    pending: Option<axum::Extension<PendingMfa>>,
) -> Result<Response, Refused> {
    if let Some(axum::Extension(p)) = principal {
        actions::sign_out(&state, &p).await.or_refused(&nav)?;
    }
    if let Some(axum::Extension(p)) = pending {
        let _ = state.store.delete_session(&p.session.id_hash).await;
    }
    let cookie = set_cookie(SESSION_COOKIE, "", secure_cookies(&state), Some(0));
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response())
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
    /// A refused time zone (`"zone"`), password (`"password"`), code (`"mfa"`) or token
    /// name (`"token"`), beside its form.
    error: FormError,
    /// A refused token name, as typed.
    token_name: String,
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
    passkeys: Vec<PasskeyRow>,
}

pub struct PasskeyRow {
    id: i64,
    name: String,
    created: String,
    last_used: String,
}

pub struct DeviceRow {
    id: i64,
    label: String,
    service: String,
    last_sent: String,
}

/// What one rendering of the account page shows beside its sections.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    error: FormError,
    new_token: Option<String>,
    /// A refused time zone, as typed (else the person's own).
    zone: Option<String>,
    /// A refused token name, as typed. Passwords and codes are never shown again.
    token_name: String,
}

impl Shown {
    fn notice(notice: String) -> Shown {
        Shown {
            notice: Some(notice),
            ..Shown::default()
        }
    }

    fn error(form: &str, e: &ApiError) -> Shown {
        Shown {
            error: FormError::of(form, e),
            ..Shown::default()
        }
    }
}

async fn account_page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    shown: Shown,
) -> Result<Response, Refused> {
    let zone = nav.zone.clone();
    // Re-read: the action may have changed the account (MFA on or off).
    let Some(user) = state.store.user(p.id()).await.or_refused(&nav)? else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let tokens = state.store.api_tokens(p.id()).await.or_refused(&nav)?;
    let (own_zone, _) = state.store.time_zones(p.id()).await.or_refused(&nav)?;
    let own_zone = shown.zone.unwrap_or_else(|| own_zone.unwrap_or_default());
    let devices = crate::push::devices(state, p).await.or_refused(&nav)?;
    let passkeys = crate::actions::passkeys::list(state, p)
        .await
        .or_refused(&nav)?;
    Ok(render(&AccountPage {
        passkeys: passkeys
            .into_iter()
            .map(|k| PasskeyRow {
                id: k.id,
                name: k.name,
                created: zone.format(k.created_at),
                last_used: k
                    .last_used_at
                    .map_or_else(|| "never".to_string(), |at| zone.format(at)),
            })
            .collect(),
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
        notice: shown.notice,
        error: shown.error,
        token_name: shown.token_name,
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
        new_token: shown.new_token,
    }))
}

pub async fn account(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    account_page(&state, nav, &p, Shown::default()).await
}

/// Turns notifications off for one of the person's devices.
pub async fn remove_device(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, Refused> {
    crate::push::unsubscribe(&state, &p, id)
        .await
        .or_refused(&nav)?;
    let notice = "Notifications are off for that device.".to_string();
    account_page(&state, nav, &p, Shown::notice(notice)).await
}

/// Where the account page's passkey form lands without its script: adding a passkey runs
/// in the browser (WebAuthn), so say what it needs.
pub async fn add_passkey_without_script(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    let e = ApiError::invalid(
        "name",
        "adding a passkey needs JavaScript and a browser that supports passkeys (WebAuthn)",
    );
    account_page(&state, nav, &p, Shown::error("passkey", &e)).await
}

/// Removes one of the person's passkeys, and says so when it was their last second step.
pub async fn remove_passkey(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    let removed = crate::actions::passkeys::remove(&state, &p, id)
        .await
        .or_refused(&nav)?;
    let notice = if removed.was_last_second_factor {
        "Passkey removed. It was your only second step: your password alone signs you in now."
    } else {
        "Passkey removed."
    };
    account_page(&state, nav, &p, Shown::notice(notice.into())).await
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
) -> Result<Response, Refused> {
    match actions::change_password(&state, &p, &form.current_password, &form.new_password)
        .await
        .or_form_error(&nav)?
    {
        Ok(()) => {
            let notice = "Password changed. Other sessions were signed out.".to_string();
            account_page(&state, nav, &p, Shown::notice(notice)).await
        }
        // Beside the form, which is never filled in again.
        Err(e) => account_page(&state, nav, &p, Shown::error("password", &e)).await,
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
) -> Result<Response, Refused> {
    match actions::enable_mfa(&state, &p, &form.secret, &form.code)
        .await
        .or_form_error(&nav)?
    {
        Ok(()) => {
            let notice = "Two-step sign-in is on.".to_string();
            account_page(&state, nav, &p, Shown::notice(notice)).await
        }
        Err(e) => {
            let otpauth_url = crate::auth::totp::provisioning_url(&form.secret, &p.user.email)
                .unwrap_or_default();
            Ok(render(&MfaSetupPage {
                nav,
                error: Some(e.in_words()),
                secret: form.secret,
                otpauth_url,
            }))
        }
    }
}

pub async fn mfa_disable(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Result<Response, Refused> {
    match actions::disable_mfa(&state, &p, ip, &form.code)
        .await
        .or_form_error(&nav)?
    {
        Ok(()) => {
            let notice = "Two-step sign-in is off.".to_string();
            account_page(&state, nav, &p, Shown::notice(notice)).await
        }
        Err(e) => account_page(&state, nav, &p, Shown::error("mfa", &e)).await,
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
) -> Result<Response, Refused> {
    match actions::create_api_token(&state, &p.user, &form.name)
        .await
        .or_form_error(&nav)?
    {
        Ok((token, _)) => {
            let shown = Shown {
                new_token: Some(token),
                ..Shown::default()
            };
            account_page(&state, nav, &p, shown).await
        }
        // The name again, as typed, with what to fix.
        Err(e) => {
            let shown = Shown {
                token_name: form.name,
                ..Shown::error("token", &e)
            };
            account_page(&state, nav, &p, shown).await
        }
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
) -> Result<Response, Refused> {
    match crate::actions::organizations::set_my_time_zone(&state, &p, &form.time_zone)
        .await
        .or_form_error(&nav)?
    {
        Ok(_) => {
            let nav = nav.rezoned(&state, p.id()).await;
            let notice = format!("Times are now shown in {}.", nav.zone);
            account_page(&state, nav, &p, Shown::notice(notice)).await
        }
        // The zone again, as typed, with what to fix.
        Err(e) => {
            let shown = Shown {
                zone: Some(form.time_zone),
                ..Shown::error("zone", &e)
            };
            account_page(&state, nav, &p, shown).await
        }
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    actions::revoke_api_token(&state, &p, id)
        .await
        .or_refused(&nav)?;
    account_page(&state, nav, &p, Shown::notice("Token revoked.".into())).await
}
