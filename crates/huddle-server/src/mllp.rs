//! The HL7 v2 listener: results arrive over MLLP (optionally over TLS) from hospital
//! interface engines. A message is taken only from a registered feed (MSH-3/MSH-4)
//! connecting from an address on its list; it is stored and routed before its ACK goes
//! back, so `AA` means stored. Anything else gets `AR` (not allowed here) or `AE` (could
//! not be taken) with the reason, and the sender keeps it. Connections are capped in
//! number, size of message and time: an idle one or a frame that never completes is closed.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use huddle_core::clock::format_rfc3339;
use huddle_core::routing::hl7::{self, Refusal};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::{timeout_at, Instant};

use crate::actions::intake::{from_hl7, Hl7Refusal};
use crate::config::Hl7Config;
use crate::state::AppState;

/// Binds the listener; the returned future serves it.
pub async fn bind(
    state: AppState,
    address: &str,
) -> anyhow::Result<(SocketAddr, impl std::future::Future<Output = ()>)> {
    let listener = TcpListener::bind(address)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen for HL7 on {address}: {e}"))?;
    let tls = match (&state.config.hl7.tls_cert, &state.config.hl7.tls_key) {
        (Some(cert), Some(key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .map_err(|e| anyhow::anyhow!("cannot read hl7.tls_cert / hl7.tls_key: {e}"))?;
            Some(tokio_rustls::TlsAcceptor::from(config.get_inner()))
        }
        (None, None) => None,
        _ => anyhow::bail!("set both hl7.tls_cert and hl7.tls_key, or neither"),
    };
    let addr = listener.local_addr()?;
    let slots = Arc::new(Semaphore::new(state.config.hl7.max_connections.max(1)));
    let serve = async move {
        loop {
            let Ok((stream, peer)) = listener.accept().await else {
                continue;
            };
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                metrics::counter!("huddle_hl7_connections_refused_total").increment(1);
                tracing::warn!(%peer, "HL7 connection refused: hl7.max_connections reached");
                drop(stream);
                continue;
            };
            let (state, tls) = (state.clone(), tls.clone());
            tokio::spawn(async move {
                let _slot = slot;
                let ip = peer.ip();
                let closed = match tls {
                    None => connection(&state, stream, ip).await,
                    Some(tls) => {
                        let limit = Duration::from_secs(state.config.hl7.frame_timeout_seconds);
                        match tokio::time::timeout(limit, tls.accept(stream)).await {
                            Ok(Ok(stream)) => connection(&state, stream, ip).await,
                            Ok(Err(e)) => Err(e),
                            Err(_) => Ok(()),
                        }
                    }
                };
                if let Err(e) = closed {
                    tracing::debug!(%peer, error = %e, "HL7 connection closed");
                }
            });
        }
    };
    Ok((addr, serve))
}

/// When a read must have arrived: a started frame has `frame_timeout` from its start, an
/// idle connection `idle_timeout` from its last byte.
fn deadline(config: &Hl7Config, frame_started: Option<Instant>) -> Instant {
    match frame_started {
        Some(at) => at + Duration::from_secs(config.frame_timeout_seconds),
        None => Instant::now() + Duration::from_secs(config.idle_timeout_seconds),
    }
}

async fn connection<S: AsyncRead + AsyncWrite + Unpin>(
    state: &AppState,
    mut stream: S,
    peer: IpAddr,
) -> std::io::Result<()> {
    let config = &state.config.hl7;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut frame_started = None;
    loop {
        let read = timeout_at(deadline(config, frame_started), stream.read(&mut chunk)).await;
        let Ok(n) = read else {
            metrics::counter!("huddle_hl7_timeouts_total").increment(1);
            return Ok(());
        };
        let n = n?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if buffer.len() > config.max_message_bytes + 3 {
            let refusal = Refusal(format!(
                "the message is larger than {} bytes",
                config.max_message_bytes
            ));
            let ack = hl7::ack(None, Some(&refusal), &control_id(state), &timestamp(state));
            stream.write_all(&hl7::frame(&ack)).await?;
            return Ok(());
        }
        for message in hl7::take_frames(&mut buffer) {
            let ack = handle(state, peer, &String::from_utf8_lossy(&message)).await;
            stream.write_all(&hl7::frame(&ack)).await?;
        }
        frame_started = match (buffer.is_empty(), frame_started) {
            (true, _) => None,
            (false, None) => Some(Instant::now()),
            (false, started) => started,
        };
    }
}

/// One message to its ACK.
async fn handle(state: &AppState, peer: IpAddr, text: &str) -> String {
    let (id, ts) = (control_id(state), timestamp(state));
    let header = hl7::header(text).ok();
    let result = match hl7::parse_result(text) {
        Ok(result) => result,
        Err(refusal) => return hl7::ack(header.as_ref(), Some(&refusal), &id, &ts),
    };
    match from_hl7(state, peer, &result).await {
        Ok(_) => hl7::ack(Some(&result.header), None, &id, &ts),
        Err(Hl7Refusal::Rejected(why)) => {
            hl7::reject(Some(&result.header), &Refusal(why), &id, &ts)
        }
        Err(Hl7Refusal::Error(why)) => {
            hl7::ack(Some(&result.header), Some(&Refusal(why)), &id, &ts)
        }
    }
}

fn control_id(state: &AppState) -> String {
    format!("HUDDLE{}", state.now())
}

/// HL7's timestamp form, YYYYMMDDHHMMSS, in UTC.
fn timestamp(state: &AppState) -> String {
    format_rfc3339(state.now()).replace(['-', ':', 'T', 'Z'], "")
}
