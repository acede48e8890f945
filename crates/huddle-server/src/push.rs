//! Web Push: what reaches a phone when Huddle is not open. A person turns notifications on
//! per device (a subscription, RFC 8030); each message is encrypted for that device
//! (RFC 8291, aes128gcm) and signed with the instance's VAPID key (RFC 8292) by the
//! `web-push` crate, then posted to the device's push service. The VAPID key is generated
//! once and sealed at rest like every key (`keys`). Payloads name no patient: "Critical
//! result for you — open Huddle". A push service that says a device is gone (404, 410)
//! removes its subscription.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use huddle_core::keys::KeyOwner;
use huddle_store::{NewPushSubscription, PushSubscription};
use serde::{Deserialize, Serialize};
use web_push::{
    ContentEncoding, PartialVapidSignatureBuilder, SubscriptionInfo, Urgency,
    VapidSignatureBuilder, WebPushMessageBuilder,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// What a notification says. Shown on a lock screen: never a patient, never the text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
    /// Where tapping it opens Huddle.
    pub url: String,
    /// A later notice with the same tag replaces this one on the device.
    pub tag: String,
    /// Interrupts go out with `Urgency: high`, so a phone in power saving still wakes.
    #[serde(skip)]
    pub urgent: bool,
    /// What the device may do about it without signing in: a capability for this one
    /// notification (see `actions::reach`), and the buttons it offers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<NoticeAction>,
}

/// A button on the notification: `action` is what the service worker sends back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct NoticeAction {
    pub action: String,
    pub title: String,
}

/// What a browser's `PushSubscription.toJSON()` gives, plus a name for the device.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionRequest {
    pub endpoint: String,
    pub keys: SubscriptionKeys,
    /// Null in most browsers.
    #[serde(default, rename = "expirationTime")]
    pub expiration_time: Option<i64>,
    /// What the person calls the device.
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionKeys {
    pub p256dh: String,
    pub auth: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubscriptionView {
    pub id: i64,
    pub label: String,
    /// The push service's host, to tell devices apart.
    pub service: String,
    pub created_at: i64,
    pub last_sent_at: Option<i64>,
}

impl From<PushSubscription> for SubscriptionView {
    fn from(s: PushSubscription) -> Self {
        SubscriptionView {
            service: reqwest::Url::parse(&s.endpoint)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default(),
            id: s.id,
            label: s.label,
            created_at: s.created_at,
            last_sent_at: s.last_sent_at,
        }
    }
}

/// The instance's VAPID signer, from its sealed private key (made on first use).
async fn vapid(state: &AppState) -> Result<PartialVapidSignatureBuilder, ApiError> {
    let raw = state
        .keys
        .secret(state.store.as_ref(), KeyOwner::PushVapid, state.now())
        .await?;
    VapidSignatureBuilder::from_base64_no_sub(&URL_SAFE_NO_PAD.encode(raw))
        .map_err(|e| ApiError::internal(format!("VAPID key: {e}")))
}

/// The contact push services see (RFC 8292 `sub`): a `mailto:` or `https:` URL, which
/// some (Apple's) require. The configured one, else the server's public https URL, else a
/// placeholder that is at least well formed (docs/operations.md says to set it).
fn vapid_subject(config: &crate::config::Config) -> String {
    let usable = |s: &str| s.starts_with("mailto:") || s.starts_with("https://");
    config
        .push
        .subject
        .clone()
        .filter(|s| usable(s))
        .or_else(|| Some(config.server.public_url.clone()).filter(|s| s.starts_with("https://")))
        .unwrap_or_else(|| "mailto:push-contact@huddle.invalid".to_string())
}

/// The application server key browsers subscribe with (base64url, uncompressed P-256).
pub async fn public_key(state: &AppState) -> Result<String, ApiError> {
    Ok(URL_SAFE_NO_PAD.encode(vapid(state).await?.get_public_key()))
}

fn check_key(field: &str, value: &str, bytes: usize) -> Result<String, ApiError> {
    let v = value.trim();
    match URL_SAFE_NO_PAD.decode(v.trim_end_matches('=')) {
        Ok(decoded) if decoded.len() == bytes => Ok(v.trim_end_matches('=').to_string()),
        _ => Err(ApiError::invalid(
            field,
            format!("{bytes} bytes in base64url, as the browser gives it"),
        )),
    }
}

/// Turns notifications on for one of the person's devices.
pub async fn subscribe(
    state: &AppState,
    p: &Principal,
    r: SubscriptionRequest,
) -> Result<SubscriptionView, ApiError> {
    let url = reqwest::Url::parse(r.endpoint.trim())
        .map_err(|_| ApiError::invalid("endpoint", "the push service's URL"))?;
    let secure = url.scheme() == "https"
        || (url.scheme() == "http" && state.config.push.allow_http_endpoints);
    if !secure || url.host_str().is_none() || r.endpoint.len() > 1000 {
        return Err(ApiError::invalid(
            "endpoint",
            "an https:// URL of a push service",
        ));
    }
    let label = r.label.unwrap_or_default();
    let label = label.trim();
    if label.chars().count() > 60 || label.chars().any(char::is_control) {
        return Err(ApiError::invalid("label", "up to 60 characters"));
    }
    let saved = state
        .store
        .save_push_subscription(NewPushSubscription {
            user_id: p.id(),
            endpoint: url.to_string(),
            p256dh: check_key("keys.p256dh", &r.keys.p256dh, 65)?,
            auth: check_key("keys.auth", &r.keys.auth, 16)?,
            label: if label.is_empty() {
                "This device"
            } else {
                label
            }
            .to_string(),
            created_at: state.now(),
        })
        .await?;
    Ok(saved.into())
}

pub async fn devices(state: &AppState, p: &Principal) -> Result<Vec<SubscriptionView>, ApiError> {
    Ok(state
        .store
        .push_subscriptions(p.id())
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn unsubscribe(state: &AppState, p: &Principal, id: i64) -> Result<(), ApiError> {
    if state.store.delete_push_subscription(p.id(), id).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("no device of yours with this id"))
    }
}

/// Sends a notice to every device of the person, in the background: intake never waits
/// for a push service. Failures are logged and counted.
pub fn send(state: &AppState, user_id: i64, notice: Notice) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = send_now(&state, user_id, &notice).await {
            tracing::warn!(user_id, error = %e.detail(), "push not sent");
        }
    });
}

/// Sends a notice to every device of the person; returns how many push services took it.
pub async fn send_now(state: &AppState, user_id: i64, notice: &Notice) -> Result<usize, ApiError> {
    let mut taken = 0;
    for device in state.store.push_subscriptions(user_id).await? {
        if send_to_device(state, &device, notice).await? {
            taken += 1;
        }
    }
    Ok(taken)
}

/// Sends a notice to one device: true when its push service took it. A device the push
/// service says is gone, or whose keys cannot work, is removed.
pub async fn send_to_device(
    state: &AppState,
    device: &PushSubscription,
    notice: &Notice,
) -> Result<bool, ApiError> {
    let signer = vapid(state).await?;
    let subject = vapid_subject(&state.config);
    let payload = serde_json::to_vec(notice).map_err(ApiError::internal)?;
    let info = SubscriptionInfo::new(&device.endpoint, &device.p256dh, &device.auth);
    let mut signature = signer.add_sub_info(&info);
    signature.add_claim("sub", subject.as_str());
    // RFC 8292: the audience is the push resource's origin, port included (the crate
    // leaves the port out, which a push service on a non-default port refuses).
    let audience = reqwest::Url::parse(&device.endpoint)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    signature.add_claim("aud", audience.as_str());
    let message = signature.build().and_then(|vapid| {
        let mut builder = WebPushMessageBuilder::new(&info);
        builder.set_payload(ContentEncoding::Aes128Gcm, &payload);
        builder.set_vapid_signature(vapid);
        builder.set_ttl(if notice.urgent { 300 } else { 4 * 3600 });
        builder.set_urgency(if notice.urgent {
            Urgency::High
        } else {
            Urgency::Normal
        });
        builder.build()
    });
    let message = match message {
        Ok(m) => m,
        Err(e) => {
            // A subscription whose keys do not work can never be sent to.
            tracing::warn!(device = device.id, error = %e, "push subscription unusable; removed");
            state.store.forget_push_endpoint(&device.endpoint).await?;
            return Ok(false);
        }
    };
    let request = web_push::request_builder::build_request::<Vec<u8>>(message);
    let (parts, body) = request.into_parts();
    let mut post = crate::outbox::client().post(&device.endpoint).body(body);
    for (name, value) in &parts.headers {
        post = post.header(name.as_str(), value.as_bytes());
    }
    match post.send().await {
        Ok(r) if r.status().is_success() => {
            metrics::counter!("huddle_push_total", "result" => "sent").increment(1);
            state.store.push_sent(device.id, state.now()).await?;
            Ok(true)
        }
        Ok(r) if r.status().as_u16() == 404 || r.status().as_u16() == 410 => {
            metrics::counter!("huddle_push_total", "result" => "gone").increment(1);
            state.store.forget_push_endpoint(&device.endpoint).await?;
            Ok(false)
        }
        Ok(r) => {
            metrics::counter!("huddle_push_total", "result" => "refused").increment(1);
            tracing::warn!(device = device.id, status = %r.status(), "push service refused");
            Ok(false)
        }
        Err(e) => {
            metrics::counter!("huddle_push_total", "result" => "failed").increment(1);
            tracing::warn!(device = device.id, error = %e, "push service unreachable");
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vapid_contact_is_always_a_mailto_or_https_url() {
        let mut config = crate::config::Config::default();
        assert_eq!(vapid_subject(&config), "mailto:push-contact@huddle.invalid");
        config.server.public_url = "http://10.0.0.5:8080".into();
        assert_eq!(vapid_subject(&config), "mailto:push-contact@huddle.invalid");
        config.server.public_url = "https://huddle.hospital.example".into();
        assert_eq!(vapid_subject(&config), "https://huddle.hospital.example");
        config.push.subject = Some("it-oncall@hospital.example".into());
        assert_eq!(vapid_subject(&config), "https://huddle.hospital.example");
        config.push.subject = Some("mailto:it-oncall@hospital.example".into());
        assert_eq!(vapid_subject(&config), "mailto:it-oncall@hospital.example");
    }
}
