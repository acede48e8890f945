//! The WebAuthn relying party: Huddle as the site passkeys are registered for. Its id and
//! origin come from `server.public_url`, or, when that is unset, from the request's Host
//! (the browser checks that a passkey's relying party id matches the page it is on, and
//! webauthn-rs checks the origin the browser signed, so a Host naming another site can
//! neither use nor register Huddle's passkeys).

use axum::http::{header, HeaderMap};
use webauthn_rs::prelude::Url;
use webauthn_rs::{Webauthn, WebauthnBuilder};

use crate::error::ApiError;
use crate::state::AppState;

/// The relying party for this request.
pub fn relying_party(state: &AppState, headers: &HeaderMap) -> Result<Webauthn, ApiError> {
    let origin = origin(state, headers)?;
    let Some(rp_id) = origin.domain() else {
        return Err(no_passkeys(
            "passkeys need Huddle to be reached by a domain name (not an IP address); \
             set server.public_url",
        ));
    };
    WebauthnBuilder::new(rp_id, &origin)
        .and_then(|b| b.rp_name("Huddle").build())
        .map_err(|e| no_passkeys(&format!("passkeys are not available at {origin}: {e}")))
}

fn origin(state: &AppState, headers: &HeaderMap) -> Result<Url, ApiError> {
    let public = state.config.server.public_url.trim_end_matches('/');
    if !public.is_empty() {
        return Url::parse(public).map_err(|_| no_passkeys("server.public_url is not a URL"));
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::bad_request(Some("Host".into()), "the Host header is missing"))?;
    let scheme = if state.config.tls().is_some() {
        "https"
    } else {
        "http"
    };
    Url::parse(&format!("{scheme}://{host}"))
        .map_err(|_| ApiError::bad_request(Some("Host".into()), "the Host header is not valid"))
}

fn no_passkeys(detail: &str) -> ApiError {
    ApiError::conflict(detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localhost_over_http_is_a_relying_party_and_an_address_is_not() {
        let url = Url::parse("http://localhost:8080").unwrap();
        assert!(WebauthnBuilder::new(url.domain().unwrap(), &url).is_ok());
        let ip = Url::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(ip.domain(), None);
    }
}
