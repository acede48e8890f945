//! The outbox: mail (SMTP, through `lettre`), calls to an organization's SMS or paging
//! gateway (an HMAC-signed webhook) and push notices due later (digests), kept in the
//! database until sent. A worker on every
//! node takes what is due (a lease keeps two nodes from sending the same one), retries
//! failures with exponential backoff, and gives up after a day; a restart loses nothing.
//!
//! A gateway call carries `Huddle-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
//! "<t>.<body>">` under the organization's gateway secret, and `Huddle-Delivery: <id>`,
//! the same on every retry, so the receiver can drop repeats.

use std::time::Duration;

use huddle_core::clock::{Millis, HOUR, SECOND};
use huddle_core::keys::KeyOwner;
use huddle_store::{NewOutbound, Outbound, Receipt, ReceiptKind};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Notify;

use crate::config::{EmailConfig, EmailSecurity};
use crate::error::ApiError;
use crate::state::AppState;

/// A node sending one holds it this long before another may try.
const LEASE: Millis = 60 * SECOND;
const FIRST_RETRY: Millis = 10 * SECOND;
const LONGEST_WAIT: Millis = HOUR;
/// 10 s, 20 s, … then hourly: about a day of trying.
const MAX_ATTEMPTS: i64 = 30;

static WAKE: Notify = Notify::const_new();

/// Something was queued: send it now rather than at the next tick.
pub fn wake(_state: &AppState) {
    WAKE.notify_waiters();
}

/// A plain-text mail to queue. The outbox keeps it until sent, then keeps only that it was.
pub struct Mail<'a> {
    pub organization_id: Option<i64>,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: String,
    pub due_at: Millis,
    /// Sent once however often it is queued.
    pub dedupe_key: Option<String>,
}

/// Whether an SMTP relay is configured: without one, Huddle sends no mail.
pub fn mail_configured(state: &AppState) -> bool {
    state.config.email.host.is_some()
}

/// Queues a mail; the worker sends it (now, when due now).
pub async fn queue_email(state: &AppState, mail: Mail<'_>) -> Result<(), ApiError> {
    let body = serde_json::json!({ "subject": mail.subject, "text": mail.text });
    state
        .store
        .enqueue_outbound(NewOutbound {
            channel: "email",
            organization_id: mail.organization_id,
            destination: mail.to,
            body: &body.to_string(),
            created_at: state.now(),
            due_at: mail.due_at,
            dedupe_key: mail.dedupe_key.as_deref(),
        })
        .await?;
    if mail.due_at <= state.now() {
        wake(state);
    }
    Ok(())
}

/// Runs for the life of the node.
pub async fn run(state: AppState) {
    loop {
        tokio::select! {
            _ = WAKE.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
        if let Err(e) = send_due(&state).await {
            tracing::warn!(error = %e.detail(), "outbox not sent");
        }
    }
}

/// Sends what is due; returns how many went out.
pub async fn send_due(state: &AppState) -> Result<usize, ApiError> {
    let now = state.now();
    let mut sent = 0;
    for item in state.store.due_outbound(now, 50).await? {
        if !state
            .store
            .claim_outbound(item.id, item.next_attempt_at, now + LEASE)
            .await?
        {
            continue;
        }
        let result = match item.channel.as_str() {
            "email" => send_email(state, &item).await,
            "gateway" => call_gateway(state, &item).await,
            "push" => crate::actions::reach::send_queued_notice(state, &item.body)
                .await
                .map_err(|e| Failure::transient(e.detail().to_string())),
            other => Err(Failure::permanent(format!("unknown channel {other}"))),
        };
        let at = state.now();
        match result {
            Ok(()) => {
                sent += 1;
                metrics::counter!("huddle_outbox_total", "channel" => item.channel.clone(), "result" => "sent").increment(1);
                state.store.outbound_sent(item.id, at).await?;
                note_sent(state, &item).await?;
            }
            Err(f) => {
                metrics::counter!("huddle_outbox_total", "channel" => item.channel.clone(), "result" => "failed").increment(1);
                let retry_at = (!f.permanent && item.attempts + 1 < MAX_ATTEMPTS)
                    .then(|| at + backoff(item.attempts));
                tracing::warn!(outbox = item.id, channel = %item.channel, attempt = item.attempts + 1,
                    will_retry = retry_at.is_some(), error = %f.reason, "outbound not delivered");
                state
                    .store
                    .outbound_failed(item.id, at, retry_at, &f.reason)
                    .await?;
            }
        }
    }
    Ok(sent)
}

/// 10 s doubling to at most an hour.
fn backoff(attempts: i64) -> Millis {
    let doublings = u32::try_from(attempts.clamp(0, 20)).unwrap_or(20);
    FIRST_RETRY
        .saturating_mul(2i64.saturating_pow(doublings))
        .min(LONGEST_WAIT)
}

/// An alert's timeline says which channel carried it.
async fn note_sent(state: &AppState, item: &Outbound) -> Result<(), ApiError> {
    let body: serde_json::Value = serde_json::from_str(&item.body).unwrap_or_default();
    let (Some(alert_id), Some(user_id)) = (body["alert_id"].as_i64(), body["user_id"].as_i64())
    else {
        return Ok(());
    };
    let device = match item.channel.as_str() {
        "email" => "email",
        _ => "paging gateway",
    };
    state
        .store
        .record_receipt(Receipt {
            alert_id,
            user_id,
            kind: ReceiptKind::Sent,
            notification: None,
            device,
            at: state.now(),
        })
        .await?;
    Ok(())
}

struct Failure {
    reason: String,
    /// Trying again cannot help (a refused address, a malformed entry).
    permanent: bool,
}

impl Failure {
    fn permanent(reason: impl Into<String>) -> Failure {
        Failure {
            reason: reason.into(),
            permanent: true,
        }
    }

    fn transient(reason: impl Into<String>) -> Failure {
        Failure {
            reason: reason.into(),
            permanent: false,
        }
    }
}

async fn send_email(state: &AppState, item: &Outbound) -> Result<(), Failure> {
    let config = &state.config.email;
    let body: serde_json::Value =
        serde_json::from_str(&item.body).map_err(|e| Failure::permanent(e.to_string()))?;
    let from = config
        .from
        .as_deref()
        .unwrap_or("Huddle <huddle@localhost>");
    let message = Message::builder()
        .from(
            from.parse()
                .map_err(|e| Failure::permanent(format!("[email] from: {e}")))?,
        )
        .to(item
            .destination
            .parse()
            .map_err(|e| Failure::permanent(format!("address: {e}")))?)
        .subject(body["subject"].as_str().unwrap_or("Huddle"))
        .header(ContentType::TEXT_PLAIN)
        .body(body["text"].as_str().unwrap_or_default().to_string())
        .map_err(|e| Failure::permanent(e.to_string()))?;
    let mailer = mailer(config).map_err(Failure::transient)?;
    match mailer.send(message).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() => Err(Failure::permanent(e.to_string())),
        Err(e) => Err(Failure::transient(e.to_string())),
    }
}

/// The SMTP relay as configured: STARTTLS that must succeed, TLS from the first byte, or
/// (for a relay on the same host) none.
fn mailer(config: &EmailConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let host = config
        .host
        .as_deref()
        .ok_or("no [email] host is configured")?;
    let tls = || -> Result<TlsParameters, String> {
        let mut params = TlsParameters::builder(host.to_string());
        if let Some(ca) = &config.ca_file {
            let pem = std::fs::read(ca).map_err(|e| format!("{}: {e}", ca.display()))?;
            let cert = Certificate::from_pem(&pem).map_err(|e| e.to_string())?;
            params = params.add_root_certificate(cert);
        }
        params.build_rustls().map_err(|e| e.to_string())
    };
    let (tls, default_port) = match config.security {
        EmailSecurity::Starttls => (Tls::Required(tls()?), 587),
        EmailSecurity::Tls => (Tls::Wrapper(tls()?), 465),
        EmailSecurity::None => (Tls::None, 25),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .tls(tls)
        .port(config.port.unwrap_or(default_port))
        .timeout(Some(Duration::from_secs(20)));
    if let (Some(user), Some(password)) = (&config.username, &config.password) {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            password.expose().to_string(),
        ));
    }
    Ok(builder.build())
}

async fn call_gateway(state: &AppState, item: &Outbound) -> Result<(), Failure> {
    let org = item
        .organization_id
        .ok_or_else(|| Failure::permanent("a gateway call without an organization"))?;
    let secret = gateway_secret(state, org)
        .await
        .map_err(|e| Failure::transient(e.detail().to_string()))?;
    let t = state.now().div_euclid(SECOND);
    let signature = sign(&secret, t, &item.body);
    let response = client()
        .post(&item.destination)
        .header("content-type", "application/json")
        .header("huddle-signature", format!("t={t},v1={signature}"))
        .header("huddle-delivery", item.id.to_string())
        .body(item.body.clone())
        .send()
        .await
        .map_err(|e| Failure::transient(format!("gateway unreachable: {e}")))?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
        Err(Failure::permanent(format!("gateway refused: {status}")))
    } else {
        Err(Failure::transient(format!("gateway answered {status}")))
    }
}

/// The organization's gateway signing secret (made on first use, sealed like every key).
pub async fn gateway_secret(state: &AppState, organization_id: i64) -> Result<[u8; 32], ApiError> {
    state
        .keys
        .secret(
            state.store.as_ref(),
            KeyOwner::GatewaySigning(organization_id),
            state.now(),
        )
        .await
}

/// Hex HMAC-SHA256 of `"<t>.<body>"`: what a receiver recomputes to trust a call.
pub fn sign(secret: &[u8; 32], t: i64, body: &str) -> String {
    hex::encode(crate::crypto::hmac_sha256(
        secret,
        format!("{t}.{body}").as_bytes(),
    ))
}

/// The one HTTP client for calls out of Huddle (push services, gateways): short timeouts,
/// and no redirects — a push service or a gateway answers, it never sends Huddle elsewhere.
pub fn client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(backoff(0), 10 * SECOND);
        assert_eq!(backoff(1), 20 * SECOND);
        assert_eq!(backoff(5), 320 * SECOND);
        assert_eq!(backoff(12), HOUR);
        assert_eq!(backoff(1000), HOUR);
    }

    #[test]
    fn a_signature_covers_the_time_and_the_body() {
        let secret = [7u8; 32];
        let s = sign(&secret, 1_700_000_000, "{\"a\":1}");
        assert_eq!(s.len(), 64);
        assert_ne!(s, sign(&secret, 1_700_000_001, "{\"a\":1}"));
        assert_ne!(s, sign(&secret, 1_700_000_000, "{\"a\":2}"));
        assert_ne!(s, sign(&[8u8; 32], 1_700_000_000, "{\"a\":1}"));
    }
}
