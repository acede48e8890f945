//! Huddle as an installable app: the web app manifest, the service worker (served from
//! the root so that its scope is the whole site) and the offline page it falls back to.

use axum::http::header;
use axum::response::{IntoResponse, Response};

pub async fn manifest() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../../web/static/manifest.webmanifest"),
    )
        .into_response()
}

/// Always revalidated, so a new version reaches browsers at their next visit.
pub async fn service_worker() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../../../web/static/sw.js"),
    )
        .into_response()
}

/// The page the service worker shows without a connection: the same for everyone, so it
/// holds nothing personal and can be cached.
pub async fn offline() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../../../web/static/offline.html"),
    )
        .into_response()
}
