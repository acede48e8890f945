//! Operations endpoints: liveness, readiness and Prometheus metrics, plus the middleware
//! that counts requests.

use std::net::IpAddr;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::secrets::{constant_time_eq, hash_secret};
use crate::auth::ClientIp;
use crate::state::AppState;

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: its database answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, format!("ready ({})", state.store.backend())).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Whether a scrape may read the metrics: with a token configured, only a request bearing
/// it (compared in constant time); without one, only a connection from loopback.
pub fn may_read_metrics(
    token: Option<&str>,
    ip: IpAddr,
    authorization: Option<&str>,
) -> Result<(), (StatusCode, &'static str)> {
    match token {
        Some(token) => {
            let presented = authorization
                .and_then(|h| h.strip_prefix("Bearer "))
                .unwrap_or_default();
            // Digests first, so the comparison's length says nothing about the token's.
            if constant_time_eq(&hash_secret(presented.trim()), &hash_secret(token)) {
                Ok(())
            } else {
                Err((
                    StatusCode::UNAUTHORIZED,
                    "send the metrics token as `Authorization: Bearer <token>`",
                ))
            }
        }
        None => {
            let loopback = match ip {
                IpAddr::V4(v4) => v4.is_loopback(),
                IpAddr::V6(v6) => {
                    v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
                }
            };
            if loopback {
                Ok(())
            } else {
                Err((
                    StatusCode::FORBIDDEN,
                    "metrics are served to this host only; set [metrics] token to scrape from elsewhere",
                ))
            }
        }
    }
}

pub async fn metrics(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Response {
    let token = state.config.metrics.token.as_ref().map(|t| t.expose());
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if let Err((status, why)) = may_read_metrics(token, ip, authorization) {
        let mut response = (status, why).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"metrics\""),
            );
        }
        return response;
    }
    match &state.metrics {
        Some(handle) => (
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            handle.render(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "metrics are not enabled").into_response(),
    }
}

/// Counts requests and their latency by route pattern (never by raw path, which would
/// carry ids) and status.
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("huddle_http_requests_total", &labels).increment(1);
    metrics::histogram!("huddle_http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_need_the_token_or_loopback() {
        let here: IpAddr = [127, 0, 0, 1].into();
        let there: IpAddr = [203, 0, 113, 9].into();
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        assert!(may_read_metrics(None, here, None).is_ok());
        assert!(may_read_metrics(None, mapped, None).is_ok());
        assert!(may_read_metrics(None, "::1".parse().unwrap(), None).is_ok());
        assert_eq!(
            may_read_metrics(None, there, None).map_err(|e| e.0),
            Err(StatusCode::FORBIDDEN)
        );
        let t = Some("s3cret-token");
        assert!(may_read_metrics(t, there, Some("Bearer s3cret-token")).is_ok());
        for wrong in [
            None,
            Some("Bearer s3cret"),
            Some("s3cret-token"),
            Some("Bearer "),
        ] {
            assert_eq!(
                may_read_metrics(t, here, wrong).map_err(|e| e.0),
                Err(StatusCode::UNAUTHORIZED),
                "{wrong:?}"
            );
        }
    }
}
