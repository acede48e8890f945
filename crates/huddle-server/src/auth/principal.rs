//! Who is asking. The authentication middleware resolves a session cookie or a Bearer
//! token into a `Principal` in the request's extensions; handlers take `ApiUser` (401 as
//! problem+json when absent) or `PageUser` (a redirect to sign-in when absent).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use huddle_core::identity::Role;
use huddle_store::{Session, User};

use crate::error::ApiError;

#[derive(Clone)]
pub struct Principal {
    pub user: Arc<User>,
    /// The browser session, when signed in with a cookie (absent for API tokens).
    pub session: Option<Arc<Session>>,
    /// The API token, when signed in with one.
    pub token_id: Option<i64>,
}

impl Principal {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    pub fn has(&self, role: Role) -> bool {
        self.user.roles.has(role)
    }
}

/// A session that passed the password step and waits for the TOTP code.
#[derive(Clone)]
pub struct PendingMfa {
    pub user: Arc<User>,
    pub session: Arc<Session>,
}

/// The CSRF token of this request's session (or of the anonymous visitor), for forms.
#[derive(Clone)]
pub struct CsrfToken(pub String);

pub struct ApiUser(pub Principal);

/// A registered feed (integration client), resolved from its credential. Machine intake
/// takes only this: a person's session or token is refused there, and audited.
#[derive(Clone)]
pub struct Feed(pub Arc<huddle_store::Integration>);

impl FromRequestParts<crate::state::AppState> for Feed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::state::AppState,
    ) -> Result<Self, ApiError> {
        if let Some(feed) = parts.extensions.get::<Feed>() {
            return Ok(feed.clone());
        }
        match parts.extensions.get::<Principal>() {
            Some(p) => Err(crate::actions::intake::person_at_feed_door(state, p).await),
            None => Err(ApiError::unauthenticated(
                "send Authorization: Bearer with the integration credential of a registered feed",
            )),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .map(ApiUser)
            .ok_or_else(|| {
                ApiError::unauthenticated(
                    "sign in, or send Authorization: Bearer with an API token",
                )
            })
    }
}

pub struct PageUser(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        match parts.extensions.get::<Principal>() {
            Some(p) => Ok(PageUser(p.clone())),
            None => {
                let next = parts.uri.path();
                Err(Redirect::to(&format!("/signin?next={}", encode_next(next))).into_response())
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PendingMfa {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        parts
            .extensions
            .get::<PendingMfa>()
            .cloned()
            .ok_or_else(|| Redirect::to("/signin").into_response())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .unwrap_or(CsrfToken(String::new())))
    }
}

/// Only a same-site path survives as a `next` target, so sign-in cannot redirect off-site
/// and a redirect's `Location` never carries a control character: it starts with exactly
/// one `/` (not `//` or `/\`), has no backslash, no whitespace or control character, and
/// is at most 2,000 bytes. Anything else goes home.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 2000
                && !n
                    .chars()
                    .any(|c| c == '\\' || c.is_control() || c.is_whitespace()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// A path percent-encoded to travel as the `next` query parameter.
pub fn encode_next(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/account")), "/account");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/\r\nSet-Cookie: a=b")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/a\u{7f}")), "/");
        assert_eq!(safe_next(Some("/a\u{85}b")), "/");
        assert_eq!(safe_next(Some("")), "/");
        assert_eq!(safe_next(Some("account")), "/");
        assert_eq!(safe_next(Some(&format!("/{}", "a".repeat(2000)))), "/");
        assert_eq!(safe_next(Some("/messages/4?x=1#y")), "/messages/4?x=1#y");
        assert_eq!(safe_next(None), "/");
    }
}

/// The client's address, for throttling and the audit log. Behind a reverse proxy this is
/// the proxy's address; see docs/deployment.md.
#[derive(Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        Ok(ClientIp(ip))
    }
}
