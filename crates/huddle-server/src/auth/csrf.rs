//! CSRF defence for cookie-authenticated requests, in three layers: cookies are
//! `SameSite=Lax`; a state-changing request whose `Origin` is another site is refused; and
//! every state-changing request that a browser could send with ambient credentials must
//! carry the session's synchronizer token, in the `X-CSRF-Token` header or a `csrf_token`
//! form field. Anonymous forms (sign-in, sign-up) use a double-submit cookie instead.

use axum::http::{header, HeaderMap, Method};

pub const SESSION_COOKIE: &str = "huddle_session";
pub const ANON_CSRF_COOKIE: &str = "huddle_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf_token";

pub fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses a request whose `Origin` (or `Sec-Fetch-Site`) shows it came from another site.
/// `public_origin` is the configured origin; empty means "the request's own Host".
pub fn same_origin(headers: &HeaderMap, public_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "cross-site" {
            return false;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Non-browser clients send no Origin; the token check still applies to cookies.
        return true;
    };
    if !public_origin.is_empty() {
        return origin.trim_end_matches('/') == public_origin.trim_end_matches('/');
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin.split_once("://"), host) {
        (Some((_, origin_host)), Some(host)) => origin_host == host,
        _ => false,
    }
}

/// The value of one cookie from the `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value for Huddle's cookies: never readable by scripts.
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age_secs: Option<i64>) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// The `csrf_token` field of a URL-encoded form body. Tokens are URL-safe base64, which
/// browsers send unencoded.
pub fn form_token(body: &[u8]) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == CSRF_FIELD)
        .map(|(_, v)| v.to_string())
}

pub fn is_form(headers: &HeaderMap) -> bool {
    content_type(headers).starts_with("application/x-www-form-urlencoded")
}

pub fn is_json(headers: &HeaderMap) -> bool {
    let ct = content_type(headers);
    ct.starts_with("application/json") || ct.starts_with("application/fhir+json")
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_must_match_host_or_configured_origin() {
        assert!(same_origin(
            &headers(&[("host", "huddle.test"), ("origin", "https://huddle.test")]),
            ""
        ));
        assert!(!same_origin(
            &headers(&[("host", "huddle.test"), ("origin", "https://evil.test")]),
            ""
        ));
        assert!(
            same_origin(&headers(&[("host", "huddle.test")]), ""),
            "no Origin: not a browser"
        );
        assert!(!same_origin(
            &headers(&[("host", "h"), ("sec-fetch-site", "cross-site")]),
            ""
        ));
        assert!(same_origin(
            &headers(&[("origin", "https://huddle.example.org")]),
            "https://huddle.example.org/"
        ));
        assert!(!same_origin(
            &headers(&[("origin", "http://huddle.example.org")]),
            "https://huddle.example.org"
        ));
    }

    #[test]
    fn cookies_and_form_tokens_are_found() {
        let h = headers(&[("cookie", "a=1; huddle_session=abc; b=2")]);
        assert_eq!(cookie(&h, "huddle_session"), Some("abc"));
        assert_eq!(cookie(&h, "missing"), None);
        assert_eq!(
            form_token(b"email=a%40b.org&csrf_token=tok-_1&x=y"),
            Some("tok-_1".into())
        );
        assert_eq!(form_token(b"email=a"), None);
    }

    #[test]
    fn cookies_are_http_only_and_lax() {
        let c = set_cookie("huddle_session", "v", true, None);
        assert_eq!(
            c,
            "huddle_session=v; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
    }
}
