//! The authentication layer: resolves who is asking and enforces CSRF before any handler
//! runs, so no route can forget either.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use huddle_core::clock::{Millis, MINUTE};
use huddle_store::{Session, StoreResult};

use super::csrf::{self, ANON_CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE};
use super::principal::{CsrfToken, Feed, PendingMfa, Principal};
use super::secrets::{constant_time_eq, hash_secret, new_secret};
use crate::error::ApiError;
use crate::state::AppState;

/// Sessions are touched at most once a minute, to keep writes off the hot path.
const TOUCH_EVERY: Millis = MINUTE;

pub async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match authenticate_inner(&state, req, next).await {
        Ok(response) => response,
        Err(response) => response,
    }
}

async fn authenticate_inner(
    state: &AppState,
    mut req: Request,
    next: Next,
) -> Result<Response, Response> {
    let now = state.now();
    let is_api = req.uri().path().starts_with("/api/") || req.uri().path().starts_with("/fhir/");
    let changing = csrf::is_state_changing(req.method());

    if changing && !csrf::same_origin(req.headers(), &state.config.server.public_url) {
        return Err(refuse(
            is_api,
            StatusCode::FORBIDDEN,
            "cross-site requests are refused",
        ));
    }

    // API clients: a Bearer token (or, for the WebSocket, which browsers open without
    // headers, a `token` query parameter). No cookie is involved, so no CSRF token is needed.
    if let Some(token) = bearer(req.headers()).or_else(|| live_token(&req)) {
        // A feed's credential opens machine intake only: it never becomes a Principal.
        if token.starts_with(crate::actions::intake::CREDENTIAL_PREFIX) {
            let feed = crate::actions::intake::feed_by_credential(state, token)
                .await
                .map_err(IntoResponse::into_response)?
                .ok_or_else(|| {
                    refuse(
                        true,
                        StatusCode::UNAUTHORIZED,
                        "the integration credential is not valid (revoked or mistyped)",
                    )
                })?;
            req.extensions_mut().insert(Feed(Arc::new(feed)));
            return Ok(next.run(req).await);
        }
        let principal = token_principal(state, token, now)
            .await
            .map_err(|e| ApiError::from(e).into_response())?
            .ok_or_else(|| refuse(true, StatusCode::UNAUTHORIZED, "the API token is not valid"))?;
        req.extensions_mut().insert(principal);
        return Ok(next.run(req).await);
    }

    let session = match csrf::cookie(req.headers(), SESSION_COOKIE) {
        Some(cookie) => live_session(state, cookie, now)
            .await
            .map_err(|e| ApiError::from(e).into_response())?,
        None => None,
    };
    let anon_cookie = csrf::cookie(req.headers(), ANON_CSRF_COOKIE)
        .filter(|v| v.len() == 43)
        .map(str::to_string);
    let (expected, new_anon_cookie) = match (&session, anon_cookie) {
        (Some((s, _)), _) => (s.csrf_token.clone(), None),
        (None, Some(c)) => (c, None),
        // Pages get a double-submit cookie for their anonymous forms; API clients need none.
        (None, None) if is_api => (new_secret(), None),
        (None, None) => {
            let t = new_secret();
            (t.clone(), Some(t))
        }
    };

    if changing {
        // Without a session there are no ambient credentials to abuse. Anonymous pages still
        // need the token (login CSRF); the anonymous API takes JSON only, which browsers
        // cannot send cross-site without a CORS preflight that Huddle never grants.
        let needs_token = session.is_some() || (!is_api && !csrf::is_json(req.headers()));
        if needs_token {
            let (presented, rebuilt) = presented_token(req, state.config.server.body_limit_bytes)
                .await
                .map_err(|status| refuse(is_api, status, "the request body is too large"))?;
            req = rebuilt;
            if !presented.is_some_and(|p| constant_time_eq(&p, &expected)) {
                return Err(refuse(
                    is_api,
                    StatusCode::FORBIDDEN,
                    "the form or request is missing its CSRF token, or it expired: reload the page and try again",
                ));
            }
        }
    }

    req.extensions_mut().insert(CsrfToken(expected));
    let mut touch = None;
    if let Some((session, user)) = session {
        if now - session.last_seen_at > TOUCH_EVERY {
            touch = Some(session.id_hash.clone());
        }
        if session.mfa_pending {
            req.extensions_mut().insert(PendingMfa { user, session });
        } else {
            req.extensions_mut().insert(Principal {
                user,
                session: Some(session),
                token_id: None,
            });
        }
    }
    if let Some(id_hash) = touch {
        state
            .store
            .touch_session(&id_hash, now)
            .await
            .map_err(|e| ApiError::from(e).into_response())?;
    }

    let mut response = next.run(req).await;
    if let Some(token) = new_anon_cookie {
        let cookie = csrf::set_cookie(ANON_CSRF_COOKIE, &token, secure_cookies(state), None);
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(response)
}

pub fn secure_cookies(state: &AppState) -> bool {
    state.config.session.secure_cookies || state.config.tls().is_some()
}

fn live_token(req: &Request) -> Option<&str> {
    if req.uri().path() != "/api/v1/live" {
        return None;
    }
    req.uri()
        .query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
}

fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

async fn token_principal(
    state: &AppState,
    token: &str,
    now: Millis,
) -> StoreResult<Option<Principal>> {
    let Some((api_token, user)) = state.store.api_token_owner(&hash_secret(token)).await? else {
        return Ok(None);
    };
    // Deactivation deletes the tokens too; this holds even for a read racing it.
    if user.deactivated_at.is_some() {
        return Ok(None);
    }
    if api_token.last_used_at.is_none_or(|t| now - t > TOUCH_EVERY) {
        state.store.touch_api_token(api_token.id, now).await?;
    }
    Ok(Some(Principal {
        user: Arc::new(user),
        session: None,
        token_id: Some(api_token.id),
    }))
}

/// Does what this principal signed in with still hold (a live socket asks now and then)?
/// A session not timed out, a token not revoked, an account not deactivated. Reads only:
/// an open socket does not keep a session alive.
pub async fn still_signed_in(state: &AppState, p: &Principal, now: Millis) -> StoreResult<bool> {
    let active = state
        .store
        .user(p.id())
        .await?
        .is_some_and(|u| u.deactivated_at.is_none());
    if !active {
        return Ok(false);
    }
    if let Some(session) = &p.session {
        return Ok(match state.store.session(&session.id_hash).await? {
            Some(s) => !timed_out(state, &s, now),
            None => false,
        });
    }
    match p.token_id {
        Some(id) => Ok(state
            .store
            .api_tokens(p.id())
            .await?
            .iter()
            .any(|t| t.id == id)),
        None => Ok(false),
    }
}

fn timed_out(state: &AppState, session: &Session, now: Millis) -> bool {
    now - session.last_seen_at > state.config.session.idle_ms()
        || now - session.created_at > state.config.session.absolute_ms()
        || session.expires_at.is_some_and(|end| now >= end)
}

/// The session behind a cookie, if it exists and has not timed out (idle or absolute).
async fn live_session(
    state: &AppState,
    cookie: &str,
    now: Millis,
) -> StoreResult<Option<(Arc<Session>, Arc<huddle_store::User>)>> {
    let id_hash = hash_secret(cookie);
    let Some(session) = state.store.session(&id_hash).await? else {
        return Ok(None);
    };
    if timed_out(state, &session, now) {
        state.store.delete_session(&id_hash).await?;
        return Ok(None);
    }
    let Some(user) = state
        .store
        .user(session.user_id)
        .await?
        .filter(|u| u.deactivated_at.is_none())
    else {
        return Ok(None);
    };
    Ok(Some((Arc::new(session), Arc::new(user))))
}

/// The token from the header, or else from a form body (which is read and put back).
async fn presented_token(
    req: Request,
    limit: usize,
) -> Result<(Option<String>, Request), StatusCode> {
    if let Some(v) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        let v = v.to_string();
        return Ok((Some(v), req));
    }
    if !csrf::is_form(req.headers()) {
        return Ok((None, req));
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, limit)
        .await
        .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE)?;
    let token = csrf::form_token(&bytes);
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

fn refuse(is_api: bool, status: StatusCode, detail: &str) -> Response {
    if is_api {
        let error = match status {
            StatusCode::UNAUTHORIZED => ApiError::unauthenticated(detail),
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::payload_too_large(),
            _ => ApiError::forbidden(detail),
        };
        error.into_response()
    } else {
        let page = format!(
            "<!doctype html><meta charset=utf-8><title>Huddle</title><p>{}</p><p><a href=\"/\">Back to Huddle</a></p>",
            huddle_core::markup::escape(detail)
        );
        (status, Html(page)).into_response()
    }
}
