//! The HL7 v2 listener: results arrive over MLLP from the hospital's interface engine. Each
//! message is stored and routed before its ACK goes back, so an acknowledged result is never
//! lost; a message that cannot be taken gets an error ACK saying why, and the sender keeps it.

use std::net::SocketAddr;

use huddle_core::clock::format_rfc3339;
use huddle_core::routing::hl7::{self, Refusal};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::actions::routing::{intake_for, AlertRequest};
use crate::state::AppState;

/// Binds the listener; the returned future serves it.
pub async fn bind(
    state: AppState,
    address: &str,
    organization_id: i64,
) -> anyhow::Result<(SocketAddr, impl std::future::Future<Output = ()>)> {
    let listener = TcpListener::bind(address)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen for HL7 on {address}: {e}"))?;
    let addr = listener.local_addr()?;
    let serve = async move {
        loop {
            let Ok((stream, peer)) = listener.accept().await else {
                continue;
            };
            let state = state.clone();
            tokio::spawn(async move {
                if let Err(e) = connection(state, stream, organization_id).await {
                    tracing::debug!(%peer, error = %e, "HL7 connection closed");
                }
            });
        }
    };
    Ok((addr, serve))
}

async fn connection(
    state: AppState,
    mut stream: TcpStream,
    organization_id: i64,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if buffer.len() > hl7::MAX_MESSAGE_BYTES {
            let refusal = Refusal("the message is larger than 1 MiB".into());
            let ack = hl7::ack(
                None,
                Some(&refusal),
                &control_id(&state),
                &timestamp(&state),
            );
            stream.write_all(&hl7::frame(&ack)).await?;
            return Ok(());
        }
        for message in hl7::take_frames(&mut buffer) {
            let ack = handle(&state, organization_id, &String::from_utf8_lossy(&message)).await;
            stream.write_all(&hl7::frame(&ack)).await?;
        }
    }
}

/// One message to its ACK.
async fn handle(state: &AppState, organization_id: i64, text: &str) -> String {
    let (id, ts) = (control_id(state), timestamp(state));
    let header = hl7::header(text).ok();
    let result = match hl7::parse_result(text) {
        Ok(result) => result,
        Err(refusal) => return hl7::ack(header.as_ref(), Some(&refusal), &id, &ts),
    };
    let service = if result.service.is_empty() {
        state.config.hl7.default_service.clone()
    } else {
        result.service.clone()
    };
    let category = result.category();
    let request = AlertRequest {
        source: "lab".into(),
        source_id: Some(format!(
            "{}-{}",
            sanitize(&result.header.sending_application),
            sanitize(&result.header.control_id)
        )),
        category: category.into(),
        priority: if category == "critical_lab" {
            "urgent"
        } else {
            "routine"
        }
        .into(),
        service: service.clone(),
        recipient: format!("oncall:{service}"),
        patient: Some(result.patient.chars().take(64).collect()),
        text: result.text().chars().take(2000).collect(),
    };
    match intake_for(state, organization_id, request).await {
        Ok(_) => hl7::ack(Some(&result.header), None, &id, &ts),
        Err(e) => {
            let refusal = Refusal(match e.field() {
                Some(field) => format!("{field}: {}", e.detail()),
                None => e.detail().to_string(),
            });
            hl7::ack(Some(&result.header), Some(&refusal), &id, &ts)
        }
    }
}

/// Ids and names become safe source ids: letters, digits and - _ . only.
fn sanitize(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(45)
        .collect();
    if clean.is_empty() {
        "hl7".into()
    } else {
        clean
    }
}

fn control_id(state: &AppState) -> String {
    format!("HUDDLE{}", state.now())
}

/// HL7's timestamp form, YYYYMMDDHHMMSS, in UTC.
fn timestamp(state: &AppState) -> String {
    format_rfc3339(state.now()).replace(['-', ':', 'T', 'Z'], "")
}
