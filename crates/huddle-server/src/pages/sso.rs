//! Single sign-on in pages: "Sign in with your organization" (the address decides which
//! provider), the way back from the provider, and the organization administrators' settings.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::routing_admin::organization;
use super::{render, FormError, Nav, OrRefused, Refused};
use crate::actions::identity::start_session_until;
use crate::actions::sso::{self, Callback, SsoSettings, SsoSettingsRequest};
use crate::auth::csrf::{set_cookie, SESSION_COOKIE};
use crate::auth::middleware::secure_cookies;
use crate::auth::principal::safe_next;
use crate::auth::{ClientIp, PageUser};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct StartForm {
    email: String,
    next: Option<String>,
}

/// On the way to the provider. A page rather than a redirect: the sign-in page's
/// `form-action 'self'` would stop a form's redirect to another origin.
#[derive(Template)]
#[template(path = "sso_continue.html")]
struct Continue {
    url: String,
}

pub async fn start(
    State(state): State<AppState>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<StartForm>,
) -> Result<Response, Refused> {
    let next = safe_next(form.next.as_deref());
    let origin = sso::origin(&state, &headers);
    match sso::begin(&state, ip, &form.email, &next, &origin)
        .await
        .or_form_error(&nav)?
    {
        Ok(started) => {
            let cookie = set_cookie(
                sso::ATTEMPT_COOKIE,
                &started.state,
                secure_cookies(&state),
                Some(sso::ATTEMPT_MINUTES * 60),
            );
            let page = render(&Continue { url: started.url });
            Ok(([(header::SET_COOKIE, cookie)], page).into_response())
        }
        Err(e) => Ok(super::identity::signin_with_sso_error(
            nav, form.email, next, &e,
        )),
    }
}

/// The provider sends the browser back here; any refusal is a page of its own, with no
/// session.
pub async fn callback(
    State(state): State<AppState>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(back): Query<Callback>,
) -> Result<Response, Refused> {
    let browser_state = crate::auth::csrf::cookie(&headers, sso::ATTEMPT_COOKIE);
    let signed_in = sso::finish(&state, ip, browser_state, back)
        .await
        .or_refused(&nav)?;
    let until = state.now()
        + state
            .config
            .sso
            .session_ms()
            .max(huddle_core::clock::MINUTE);
    let (cookie, _) = start_session_until(&state, signed_in.user.id, until)
        .await
        .or_refused(&nav)?;
    let secure = secure_cookies(&state);
    let session = set_cookie(SESSION_COOKIE, &cookie, secure, None);
    // The attempt is used: its cookie goes too.
    let used = set_cookie(sso::ATTEMPT_COOKIE, "", secure, Some(0));
    let to = safe_next(Some(&signed_in.next));
    let cookies = AppendHeaders([(header::SET_COOKIE, session), (header::SET_COOKIE, used)]);
    Ok((cookies, Redirect::to(&to)).into_response())
}

#[derive(Template)]
#[template(path = "sso_admin.html")]
struct Admin {
    nav: Nav,
    org_id: i64,
    settings: SsoSettings,
    /// The domains as one text, one per line.
    domains: String,
    notice: Option<String>,
    error: FormError,
}

#[derive(Deserialize)]
pub struct OrgQuery {
    org: Option<i64>,
    saved: Option<String>,
}

pub async fn admin(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    headers: HeaderMap,
    Query(q): Query<OrgQuery>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    let origin = sso::origin(&state, &headers);
    let settings = sso::settings(&state, &p, org, &origin)
        .await
        .or_refused(&nav)?;
    let domains = settings.domains.join("\n");
    let notice = q.saved.map(|_| "Saved.".to_string());
    Ok(render(&Admin {
        nav,
        org_id: org,
        settings,
        domains,
        notice,
        error: FormError::default(),
    }))
}

#[derive(Deserialize)]
pub struct SettingsForm {
    issuer: String,
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    email_claim: String,
    #[serde(default)]
    domains: String,
    /// A checkbox: present when ticked.
    sso_only: Option<String>,
}

pub async fn save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    headers: HeaderMap,
    Query(q): Query<OrgQuery>,
    Form(f): Form<SettingsForm>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    let origin = sso::origin(&state, &headers);
    let request = SsoSettingsRequest {
        issuer: f.issuer.clone(),
        client_id: f.client_id.clone(),
        client_secret: Some(f.client_secret),
        email_claim: Some(f.email_claim.clone()),
        domains: vec![f.domains.clone()],
        sso_only: f.sso_only.is_some(),
    };
    match sso::save_settings(&state, &p, org, &origin, request)
        .await
        .or_form_error(&nav)?
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/sso?org={org}&saved=1")).into_response()),
        Err(e) => {
            // The form again as typed (never the secret), with what to fix.
            let mut settings = sso::settings(&state, &p, org, &origin)
                .await
                .or_refused(&nav)?;
            settings.issuer = f.issuer;
            settings.client_id = f.client_id;
            settings.email_claim = f.email_claim;
            settings.sso_only = f.sso_only.is_some();
            Ok(render(&Admin {
                nav,
                org_id: org,
                settings,
                domains: f.domains,
                notice: None,
                error: FormError::of("sso", &e),
            }))
        }
    }
}
