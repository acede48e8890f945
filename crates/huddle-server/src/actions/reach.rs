//! Reach: an interrupt leaves Huddle for its holder's pocket and comes back confirmed.
//!
//! Before the live event goes out, the holder is given the policy's delivery timeout to
//! confirm it arrived; an open page confirms over its socket, a phone's service worker with
//! the capability its notification carries. Nothing confirmed in time, the alert escalates
//! as an unacknowledged one does (`routing::escalate_due`). Each device gets its own
//! capability: it confirms receipt and does one thing — acknowledge, or "on my way" — to
//! this alert only, for its holder only, and expires. The policy's other channels for the
//! rung (email, the organization's gateway) go through the outbox.

use huddle_core::audit::AuditAction;
use huddle_core::clock::{Millis, HOUR, SECOND};
use huddle_core::routing::intake::PAGE_SOURCE;
use huddle_core::routing::{Channel, MoveKind, Preferences, QuietHours, Reach};
use huddle_store::{NewNotification, NewOutbound, Receipt, ReceiptKind};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::actions::audit::record;
use crate::actions::routing::{self, AlertView};
use crate::auth::secrets::{hash_secret, new_secret};
use crate::error::ApiError;
use crate::push::{Notice, NoticeAction};
use crate::state::AppState;

/// Notification capabilities say what they are, like every Huddle credential.
pub const CAPABILITY_PREFIX: &str = "hkn_";
/// Long enough for a night shift's notification to still work in the morning.
const CAPABILITY_LIFETIME: Millis = 12 * HOUR;
/// What an open page is called in the timeline.
pub const OPEN_PAGE: &str = "open Huddle page";

/// Gives the holder of an interrupt the policy's delivery timeout to confirm it arrived.
/// Called before the live event, so a page's quick receipt always finds the deadline.
pub async fn expect_delivery(
    state: &AppState,
    view: &AlertView,
    reach: &Reach,
) -> Result<(), ApiError> {
    let by = state.now() + reach.delivery_timeout_s * SECOND;
    Ok(state
        .store
        .expect_delivery(view.id, view.delivered_to, by)
        .await?)
}

/// Sends an interrupt beyond the live page, in the background: to every device with its
/// own capability, and through the rung's other channels.
pub fn send_out(state: &AppState, organization_id: i64, view: AlertView, reach: Reach) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = push_to_devices(&state, &view, &reach).await {
            tracing::warn!(alert = view.id, error = %e.detail(), "push not sent");
        }
        let step = usize::try_from(view.escalation_step).unwrap_or(0);
        for &channel in reach.channels_at(step) {
            if let Err(e) = queue(&state, organization_id, &view, &reach, channel).await {
                tracing::warn!(alert = view.id, channel = channel.as_str(), error = %e.detail(), "not queued");
            }
        }
    });
}

async fn push_to_devices(
    state: &AppState,
    view: &AlertView,
    reach: &Reach,
) -> Result<(), ApiError> {
    let now = state.now();
    for device in state.store.push_subscriptions(view.delivered_to).await? {
        let capability = format!("{CAPABILITY_PREFIX}{}", new_secret());
        state
            .store
            .issue_notification(NewNotification {
                capability_hash: &hash_secret(&capability),
                alert_id: view.id,
                user_id: view.delivered_to,
                device: &device.label,
                sent_at: now,
                expires_at: now + CAPABILITY_LIFETIME,
            })
            .await?;
        let mut notice = lock_screen_notice(view, reach);
        notice.capability = Some(capability);
        if crate::push::send_to_device(state, &device, &notice).await? {
            state
                .store
                .record_receipt(Receipt {
                    alert_id: view.id,
                    user_id: view.delivered_to,
                    kind: ReceiptKind::Sent,
                    notification: None,
                    device: &device.label,
                    at: state.now(),
                })
                .await?;
        }
    }
    Ok(())
}

/// What an interrupt says on a lock screen: the kind of thing and who sent it, never the
/// patient or the text. An organization may allow the category and service too.
pub fn lock_screen_notice(view: &AlertView, reach: &Reach) -> Notice {
    let title = match (&view.moved, view.source.as_str()) {
        (Some(m), _) if m.kind == MoveKind::Escalated => "Escalated to you".to_string(),
        (Some(_), _) => "Handed over to you".to_string(),
        (None, PAGE_SOURCE) => format!("Page from {}", view.sender_name),
        (None, _) if view.category.starts_with("critical") => "Critical result for you".into(),
        (None, _) => "Alert for you".into(),
    };
    let body = if reach.lock_screen_details {
        format!(
            "{} for {} — open Huddle to see it.",
            view.category.replace('_', " "),
            view.service
        )
    } else {
        "Open Huddle to see it.".into()
    };
    let mut actions = vec![NoticeAction {
        action: Act::Acknowledge.as_str().into(),
        title: "Acknowledge".into(),
    }];
    if view.source == PAGE_SOURCE {
        actions.push(NoticeAction {
            action: Act::OnMyWay.as_str().into(),
            title: "On my way".into(),
        });
    }
    Notice {
        title,
        body,
        url: format!("/alerts/{}", view.id),
        tag: format!("alert-{}", view.id),
        urgent: true,
        capability: None,
        actions,
    }
}

/// A mail or a gateway call for this rung, kept in the outbox until sent.
async fn queue(
    state: &AppState,
    organization_id: i64,
    view: &AlertView,
    reach: &Reach,
    channel: Channel,
) -> Result<(), ApiError> {
    let holder = state
        .store
        .user(view.delivered_to)
        .await?
        .ok_or_else(|| ApiError::not_found("no such physician"))?;
    let notice = lock_screen_notice(view, reach);
    let link = format!(
        "{}{}",
        state.config.server.public_url.trim_end_matches('/'),
        notice.url
    );
    let (destination, body) = match channel {
        Channel::Email => {
            if state.config.email.host.is_none() {
                tracing::warn!(
                    alert = view.id,
                    "the policy asks for email but no [email] relay is configured"
                );
                return Ok(());
            }
            let body = json!({
                "alert_id": view.id,
                "user_id": holder.id,
                "subject": format!("Huddle: {}", notice.title),
                "text": format!("{}\n\n{}\n{link}\n", notice.title, notice.body),
            });
            (holder.email.clone(), body)
        }
        Channel::Gateway => {
            let Some(url) = state.store.gateway(organization_id).await? else {
                tracing::warn!(
                    alert = view.id,
                    "the policy asks for the gateway but the organization has none"
                );
                return Ok(());
            };
            let body = json!({
                "type": "alert.interrupt",
                "alert_id": view.id,
                "user_id": holder.id,
                "step": view.escalation_step,
                "title": notice.title,
                "url": link,
                "recipient": { "id": holder.id, "name": holder.display_name, "email": holder.email },
            });
            (url, body)
        }
    };
    state
        .store
        .enqueue_outbound(NewOutbound {
            channel: channel.as_str(),
            organization_id: Some(organization_id),
            destination: &destination,
            body: &body.to_string(),
            created_at: state.now(),
            due_at: state.now(),
            dedupe_key: None,
        })
        .await?;
    crate::outbox::wake(state);
    Ok(())
}

/// A digest comes due later: one push notice per physician and digest time, sent by the
/// outbox then (once, whichever node takes it), within the physician's quiet hours not at all.
pub fn queue_digest_notice(state: &AppState, organization_id: i64, user_id: i64, due_at: Millis) {
    let state = state.clone();
    tokio::spawn(async move {
        let notice = Notice {
            title: "Your digest is ready".into(),
            body: "Alerts that could wait are together in Huddle.".into(),
            url: "/alerts".into(),
            tag: "digest".into(),
            urgent: false,
            capability: None,
            actions: Vec::new(),
        };
        if let Err(e) = queue_digest_mail(&state, organization_id, user_id, due_at).await {
            tracing::warn!(user_id, error = %e.detail(), "digest mail not queued");
        }
        let body = json!({ "user_id": user_id, "notice": notice }).to_string();
        let queued = state
            .store
            .enqueue_outbound(NewOutbound {
                channel: "push",
                organization_id: Some(organization_id),
                destination: &format!("user:{user_id}"),
                body: &body,
                created_at: state.now(),
                due_at,
                dedupe_key: Some(&format!("digest:{user_id}:{due_at}")),
            })
            .await;
        if let Err(e) = queued {
            tracing::warn!(user_id, error = %e, "digest notice not queued");
        }
    });
}

/// A mail for a digest, to those who asked for one (and when mail is configured): like the
/// push, once per physician and digest time, and nothing about the patients in it.
async fn queue_digest_mail(
    state: &AppState,
    organization_id: i64,
    user_id: i64,
    due_at: Millis,
) -> Result<(), ApiError> {
    if !crate::outbox::mail_configured(state)
        || !state.store.preferences(user_id).await?.email_digests
    {
        return Ok(());
    }
    let Some(person) = state.store.user(user_id).await? else {
        return Ok(());
    };
    let link = state.config.server.link("/alerts").unwrap_or_default();
    crate::outbox::queue_email(
        state,
        crate::outbox::Mail {
            organization_id: Some(organization_id),
            to: &person.email,
            subject: "Huddle: your digest is ready",
            text: format!("Alerts that could wait are together in Huddle.\n\n{link}\n"),
            due_at,
            dedupe_key: Some(format!("digest-mail:{user_id}:{due_at}")),
        },
    )
    .await
}

/// Sends a queued push notice (a digest's), unless it is within the person's quiet hours.
pub async fn send_queued_notice(state: &AppState, body: &str) -> Result<(), ApiError> {
    #[derive(Deserialize)]
    struct Queued {
        user_id: i64,
        notice: Notice,
    }
    let q: Queued = serde_json::from_str(body).map_err(ApiError::internal)?;
    if may_push_message(state, q.user_id).await? {
        crate::push::send_now(state, q.user_id, &q.notice).await?;
    }
    Ok(())
}

/// What a notification's capability may do besides confirming receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    Acknowledge,
    /// Acknowledge and tell whoever paged that the physician is coming.
    OnMyWay,
}

impl Act {
    pub fn as_str(self) -> &'static str {
        match self {
            Act::Acknowledge => "acknowledge",
            Act::OnMyWay => "on_my_way",
        }
    }
}

/// The notification a capability belongs to, while it is valid.
async fn notification(
    state: &AppState,
    capability: &str,
) -> Result<huddle_store::AlertNotification, ApiError> {
    let unknown = || ApiError::not_found("this notification is no longer valid: open Huddle");
    if !capability.starts_with(CAPABILITY_PREFIX) || capability.len() > 100 {
        return Err(unknown());
    }
    let n = state
        .store
        .notification_by_capability(&hash_secret(capability))
        .await?
        .ok_or_else(unknown)?;
    if n.expires_at <= state.now() {
        return Err(unknown());
    }
    Ok(n)
}

/// A service worker says the notification arrived (`delivered`) or was tapped (`seen`).
pub async fn receipt_by_capability(
    state: &AppState,
    capability: &str,
    kind: ReceiptKind,
) -> Result<(), ApiError> {
    if kind == ReceiptKind::Sent {
        return Err(ApiError::invalid("kind", "delivered or seen"));
    }
    let n = notification(state, capability).await?;
    state
        .store
        .record_receipt(Receipt {
            alert_id: n.alert_id,
            user_id: n.user_id,
            kind,
            notification: Some(n.id),
            device: &n.device,
            at: state.now(),
        })
        .await?;
    Ok(())
}

/// An open page says the interrupt reached it (over its live socket) or its person opened
/// the alert.
pub async fn receipt_from_page(
    state: &AppState,
    user_id: i64,
    alert_id: i64,
    kind: ReceiptKind,
) -> Result<(), ApiError> {
    let held = state
        .store
        .alert(alert_id)
        .await?
        .is_some_and(|a| a.delivered_to == user_id);
    if held {
        state
            .store
            .record_receipt(Receipt {
                alert_id,
                user_id,
                kind,
                notification: None,
                device: OPEN_PAGE,
                at: state.now(),
            })
            .await?;
    }
    Ok(())
}

/// A button on a lock screen: acknowledges the alert as the notification's person, once.
pub async fn act_by_capability(
    state: &AppState,
    capability: &str,
    act: Act,
) -> Result<AlertView, ApiError> {
    let n = notification(state, capability).await?;
    if !state.store.use_notification(n.id, state.now()).await? {
        return Err(ApiError::conflict(
            "this notification's button was used already: open Huddle",
        ));
    }
    // Pressing a button means it arrived and was seen.
    state
        .store
        .record_receipt(Receipt {
            alert_id: n.alert_id,
            user_id: n.user_id,
            kind: ReceiptKind::Seen,
            notification: Some(n.id),
            device: &n.device,
            at: state.now(),
        })
        .await?;
    let view = routing::acknowledge_as(state, n.user_id, n.alert_id, Some(&n.device)).await?;
    if act == Act::OnMyWay {
        state
            .store
            .note_alert_event(n.alert_id, state.now(), "on_my_way", n.user_id, &n.device)
            .await?;
        record(
            state,
            Some(n.user_id),
            AuditAction::AlertAcknowledged,
            format!("alert:{}", n.alert_id),
            json!({ "on_my_way": true, "device": n.device }),
        )
        .await?;
        routing::tell_sender_on_my_way(state, n.alert_id, n.user_id).await?;
    }
    Ok(view)
}

/// An organization's SMS or paging gateway, for its administrators: where Huddle posts
/// and the secret its calls are signed with (hex), which the gateway's owner needs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GatewayView {
    pub url: Option<String>,
    pub signing_secret: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayRequest {
    /// `https://…`; plain HTTP only to this host (a relay beside Huddle). Null removes it.
    pub url: Option<String>,
}

/// Where the organization's gateway is, without its secret: for the admin page.
pub async fn gateway_url(
    state: &AppState,
    p: &crate::auth::Principal,
    organization_id: i64,
) -> Result<Option<String>, ApiError> {
    crate::auth::access::OrgAdmin::of(p, organization_id)?;
    Ok(state.store.gateway(organization_id).await?)
}

/// The gateway and its signing secret; reading the secret is audited.
pub async fn gateway(
    state: &AppState,
    p: &crate::auth::Principal,
    organization_id: i64,
) -> Result<GatewayView, ApiError> {
    crate::auth::access::OrgAdmin::of(p, organization_id)?;
    record(
        state,
        Some(p.id()),
        AuditAction::GatewayChanged,
        format!("organization:{organization_id}"),
        json!({ "read_secret": true }),
    )
    .await?;
    Ok(GatewayView {
        url: state.store.gateway(organization_id).await?,
        signing_secret: hex::encode(crate::outbox::gateway_secret(state, organization_id).await?),
    })
}

pub async fn set_gateway(
    state: &AppState,
    p: &crate::auth::Principal,
    organization_id: i64,
    r: GatewayRequest,
) -> Result<GatewayView, ApiError> {
    crate::auth::access::OrgAdmin::of(p, organization_id)?;
    let url = match r.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(u) => Some(parse_gateway_url(u)?),
    };
    state
        .store
        .set_gateway(organization_id, url.as_deref(), state.now())
        .await?;
    record(
        state,
        Some(p.id()),
        AuditAction::GatewayChanged,
        format!("organization:{organization_id}"),
        json!({ "url": url }),
    )
    .await?;
    gateway(state, p, organization_id).await
}

/// Replaces the reach part of the organization's policy (a new policy version).
pub async fn set_reach(
    state: &AppState,
    p: &crate::auth::Principal,
    organization_id: i64,
    reach: Reach,
) -> Result<i64, ApiError> {
    let (current, _) = routing::policy(state, organization_id).await?;
    let policy = huddle_core::routing::Policy { reach, ..current };
    Ok(routing::save_policy(state, p, organization_id, policy)
        .await?
        .version)
}

/// HTTPS anywhere, plain HTTP only to a relay on this host.
fn parse_gateway_url(u: &str) -> Result<String, ApiError> {
    let bad = || ApiError::invalid("url", "an https:// URL (http:// only to localhost)");
    let url = reqwest::Url::parse(u).map_err(|_| bad())?;
    let host = url.host_str().unwrap_or_default();
    let loopback = host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let allowed = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    if !allowed || u.len() > 500 || !url.username().is_empty() {
        return Err(bad());
    }
    Ok(url.to_string())
}

/// A new message, for members away from Huddle: a push to each recipient of a direct
/// message and each member it mentions, unless they turned message pushes off or it is
/// within their quiet hours. It names the sender, never the text.
///
/// Who is pushed is decided now, with each member's choice as it stands when the message
/// is sent; only the sending waits in the background, so changing a setting a moment
/// later neither wakes someone nor loses a push.
pub async fn notify_message(
    state: &AppState,
    conversation_id: i64,
    direct: bool,
    sender_id: i64,
    members: Vec<i64>,
    mentions: Vec<i64>,
) {
    let mut recipients = Vec::new();
    for member in members.into_iter().filter(|&m| m != sender_id) {
        let mentioned = mentions.contains(&member);
        if !(direct || mentioned) {
            continue;
        }
        match may_push_message(state, member).await {
            Ok(true) => recipients.push((member, mentioned)),
            Ok(false) => {}
            Err(e) => tracing::warn!(conversation_id, error = %e.detail(), "message push not sent"),
        }
    }
    if recipients.is_empty() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = push_message(&state, conversation_id, sender_id, &recipients).await {
            tracing::warn!(conversation_id, error = %e.detail(), "message push not sent");
        }
    });
}

async fn push_message(
    state: &AppState,
    conversation_id: i64,
    sender_id: i64,
    recipients: &[(i64, bool)],
) -> Result<(), ApiError> {
    let sender = routing::person_name(state, sender_id).await?;
    for &(member, mentioned) in recipients {
        let notice = Notice {
            title: if mentioned {
                format!("{sender} mentioned you")
            } else {
                format!("Message from {sender}")
            },
            body: "Open Huddle to read it.".into(),
            url: format!("/messages/{conversation_id}"),
            tag: format!("conversation-{conversation_id}"),
            urgent: false,
            capability: None,
            actions: Vec::new(),
        };
        crate::push::send_now(state, member, &notice).await?;
    }
    Ok(())
}

/// The person's own choice, read in their local time.
async fn may_push_message(state: &AppState, user_id: i64) -> Result<bool, ApiError> {
    let preferences = state.store.preferences(user_id).await?;
    let zone = crate::actions::organizations::viewer_zone(state, user_id).await?;
    let minute = zone.civil(state.now()).map_or(0, |t| {
        u16::try_from(t.hour()).unwrap_or(0) * 60 + u16::try_from(t.minute()).unwrap_or(0)
    });
    Ok(preferences.allows_message_push(minute))
}

pub async fn preferences(
    state: &AppState,
    p: &crate::auth::Principal,
) -> Result<Preferences, ApiError> {
    Ok(state.store.preferences(p.id()).await?)
}

/// The settings form as sent: message pushes and digest mails on or off, and quiet hours
/// (both times, or neither).
pub struct PreferencesForm<'a> {
    pub push_messages: bool,
    pub email_digests: bool,
    pub quiet_start: &'a str,
    pub quiet_end: &'a str,
}

pub async fn set_preferences(
    state: &AppState,
    p: &crate::auth::Principal,
    form: PreferencesForm<'_>,
) -> Result<Preferences, ApiError> {
    let PreferencesForm {
        push_messages,
        email_digests,
        quiet_start,
        quiet_end,
    } = form;
    let quiet = match (quiet_start.trim(), quiet_end.trim()) {
        ("", "") => None,
        (start, end) => {
            Some(QuietHours::parse(start, end).map_err(|e| ApiError::invalid("quiet_start", e))?)
        }
    };
    let preferences = Preferences {
        push_messages,
        quiet,
        email_digests,
    };
    state.store.set_preferences(p.id(), preferences).await?;
    Ok(preferences)
}
