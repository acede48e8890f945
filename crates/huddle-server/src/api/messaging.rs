//! Conversations over the API, and the live WebSocket.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::{SinkExt, StreamExt};
use huddle_store::Conversation;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::actions::messaging::{
    self as actions, Context, MessageView, NewConversationRequest, PatientContext,
};
use crate::auth::access::ConversationMember;
use crate::auth::csrf::same_origin;
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateConversation {
    /// direct, group or channel
    kind: String,
    /// User ids of the other members (people of your organization).
    #[serde(default)]
    members: Vec<i64>,
    name: Option<String>,
    /// Channels only: by invitation instead of open to the organization.
    #[serde(default)]
    private: bool,
    /// The patient the conversation is about, shown in its header (sealed at rest).
    patient: Option<PatientContext>,
    /// Channels only: address a practice team (nursing, front_desk, billing, lab, …); its
    /// members are whoever holds that team, now and later.
    team: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: i64,
}

#[utoipa::path(post, path = "/api/v1/conversations", tag = "messaging", request_body = CreateConversation,
    responses((status = 201, body = Created), (status = 200, description = "the existing direct conversation", body = Created), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<CreateConversation>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let (c, new) = actions::create(
        &state,
        &p,
        NewConversationRequest {
            kind: &r.kind,
            members: &r.members,
            name: r.name.as_deref(),
            private: r.private,
            patient: r
                .patient
                .as_ref()
                .map(|p| (p.reference.as_str(), p.initials.as_str())),
            team: r.team.as_deref(),
        },
    )
    .await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(Created { id: c.id })))
}

#[derive(Serialize, ToSchema)]
pub struct ConversationView {
    id: i64,
    kind: String,
    title: String,
    private: bool,
    last_seq: i64,
    unread: i64,
}

#[utoipa::path(get, path = "/api/v1/conversations", tag = "messaging",
    responses((status = 200, description = "your conversations, most recent first, with unread counts", body = [ConversationView])))]
pub async fn inbox(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<ConversationView>>, ApiError> {
    let lines = actions::inbox(&state, &p).await?;
    Ok(Json(
        lines
            .into_iter()
            .map(|l| ConversationView {
                id: l.conversation.id,
                kind: l.conversation.kind,
                title: l.title,
                private: l.conversation.private,
                last_seq: l.conversation.last_seq,
                unread: l.unread,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ConversationDetail {
    id: i64,
    kind: String,
    title: String,
    private: bool,
    last_seq: i64,
    patient: Option<PatientContext>,
    members: Vec<MemberStatus>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberStatus {
    user_id: i64,
    display_name: String,
    /// available, busy or off_duty (set by hand, or off duty while the schedule has them off shift)
    status: String,
    /// Their automatic reply, when busy or off duty.
    message: String,
    last_read_seq: i64,
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}", tag = "messaging", params(("id" = i64, Path)),
    responses((status = 200, body = ConversationDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn detail(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ConversationDetail>, ApiError> {
    let c: Conversation = ConversationMember::of(&state, &p, id).await?.conversation;
    let mut members = Vec::new();
    let shifts = actions::shifts_around_now(&state, c.organization_id).await?;
    for m in state.store.members(id).await? {
        if let Some(u) = state.store.user(m.user_id).await? {
            let (status, message) = actions::presence(&u, &shifts, state.now());
            members.push(MemberStatus {
                user_id: u.id,
                display_name: u.display_name,
                status,
                message,
                last_read_seq: m.last_read_seq,
            });
        }
    }
    Ok(Json(ConversationDetail {
        patient: actions::patient_of(&state, &c).await?,
        title: actions::title_for(&state, &p, &c).await?,
        id: c.id,
        kind: c.kind,
        private: c.private,
        last_seq: c.last_seq,
        members,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Send {
    body: String,
    /// Chosen by the client; sending again with the same id returns the same message.
    client_msg_id: String,
    /// The message this one answers (same conversation).
    reply_to: Option<i64>,
    /// Members to mention, by user id.
    #[serde(default)]
    mentions: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Sent {
    id: i64,
    seq: i64,
    created_at: String,
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages", tag = "messaging", params(("id" = i64, Path)), request_body = Send,
    responses((status = 201, description = "stored before this answer", body = Sent), (status = 200, description = "already stored under this client_msg_id", body = Sent), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn send(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<Send>,
) -> Result<(StatusCode, Json<Sent>), ApiError> {
    let context = Context {
        reply_to: r.reply_to,
        mentions: &r.mentions,
    };
    let (m, new) = actions::send(&state, &p, id, &r.body, &r.client_msg_id, context).await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(Sent {
            id: m.id,
            seq: m.seq,
            created_at: m.created_at,
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct After {
    /// Messages numbered after this (default 0: from the start).
    #[serde(default)]
    after: i64,
    /// At most this many (1–500, default 100).
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}/messages", tag = "messaging", params(("id" = i64, Path), After),
    responses((status = 200, body = [MessageView]), (status = 403, body = Problem)))]
pub async fn messages(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<After>,
) -> Result<Json<Vec<MessageView>>, ApiError> {
    Ok(Json(
        actions::messages(&state, &p, id, q.after, q.limit.unwrap_or(100)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Read {
    /// The newest message number read.
    seq: i64,
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/read", tag = "messaging", params(("id" = i64, Path)), request_body = Read,
    responses((status = 204), (status = 403, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<Read>,
) -> Result<StatusCode, ApiError> {
    actions::mark_read(&state, &p, id, r.seq).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    user_id: i64,
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/members", tag = "messaging", params(("id" = i64, Path)), request_body = AddMember,
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<AddMember>,
) -> Result<StatusCode, ApiError> {
    actions::add_member(&state, &p, id, r.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/conversations/{id}/members/{user_id}", tag = "messaging", params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_member(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, user_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    actions::remove_member(&state, &p, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/channels", tag = "messaging",
    responses((status = 200, description = "open channels of your organization", body = [ConversationView])))]
pub async fn channels(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<ConversationView>>, ApiError> {
    let Some(org) = p.user.organization_id else {
        return Ok(Json(Vec::new()));
    };
    let open = state.store.open_channels(org).await?;
    Ok(Json(
        open.into_iter()
            .map(|c| ConversationView {
                id: c.id,
                kind: c.kind,
                title: c.name,
                private: c.private,
                last_seq: c.last_seq,
                unread: 0,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/channels/{id}/join", tag = "messaging", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem)))]
pub async fn join(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    actions::join(&state, &p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    body: String,
}

#[utoipa::path(patch, path = "/api/v1/messages/{id}", tag = "messaging", params(("id" = i64, Path)), request_body = Edit,
    responses((status = 200, description = "edited; the previous text stays on record", body = MessageView), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn edit(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(e): ApiJson<Edit>,
) -> Result<Json<MessageView>, ApiError> {
    Ok(Json(actions::edit(&state, &p, id, &e.body).await?))
}

#[utoipa::path(delete, path = "/api/v1/messages/{id}", tag = "messaging", params(("id" = i64, Path)),
    responses((status = 200, description = "deleted from the conversation; the text stays on record", body = MessageView), (status = 403, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MessageView>, ApiError> {
    Ok(Json(actions::delete(&state, &p, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Status {
    /// available, busy (in a procedure) or off_duty
    status: String,
    /// Automatic reply shown to people who message you while busy or off duty.
    #[serde(default)]
    message: String,
}

#[utoipa::path(put, path = "/api/v1/me/status", tag = "messaging", request_body = Status,
    responses((status = 204), (status = 422, body = Problem)))]
pub async fn status(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(s): ApiJson<Status>,
) -> Result<StatusCode, ApiError> {
    actions::set_status(&state, &p, &s.status, &s.message).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// Keep message bodies this many days; null keeps them.
    days: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/organizations/{id}/retention", tag = "messaging", params(("id" = i64, Path)), request_body = Retention,
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn retention(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<Retention>,
) -> Result<StatusCode, ApiError> {
    actions::set_retention(&state, &p, id, r.days).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// nursing, front_desk, billing, lab, app, physicians, pharmacy, or empty.
    team: String,
}

#[utoipa::path(put, path = "/api/v1/users/{id}/team", tag = "messaging", params(("id" = i64, Path)), request_body = Team,
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn team(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(t): ApiJson<Team>,
) -> Result<StatusCode, ApiError> {
    actions::set_team(&state, &p, id, t.team.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a client may send on the socket.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientEvent {
    /// Send me everything after these numbers (conversation id → last seq seen).
    Resume { cursors: HashMap<String, i64> },
    /// An interrupt reached this page (`alert.interrupt`): it counts as delivered.
    Delivered { alert: i64 },
}

#[utoipa::path(get, path = "/api/v1/live", tag = "messaging",
    responses((status = 101, description = "a WebSocket of JSON events: message.created, alert.interrupt, resync; send {type: resume, cursors} or {type: delivered, alert}"), (status = 401, body = Problem),
        (status = 429, description = "the person already holds `security.live_sockets_per_person` sockets on this node", body = Problem)))]
pub async fn live(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    // A cookie-authenticated socket must come from our own pages.
    if p.session.is_some() && !same_origin(&headers, &state.config.server.public_url) {
        return ApiError::forbidden("cross-site WebSocket refused").into_response();
    }
    let user_id = p.id();
    // A place in the hub first (so nothing published meanwhile is missed), within the
    // person's cap: one stolen token cannot hold hundreds of sockets.
    let max = state.config.security.live_sockets_per_person;
    let subscription = match state.hub.try_subscribe(user_id, max) {
        Ok(s) => s,
        Err(open) => {
            return ApiError::too_many(
                format!(
                    "this account already has {open} live connections here (at most {max}); \
                     close another tab or device"
                ),
                30,
            )
            .into_response()
        }
    };
    // Small buffers: tungstenite's defaults (128 KiB to read, 128 KiB to gather writes)
    // would cost a quarter of a megabyte per idle socket; events are a few hundred bytes,
    // and a write buffer of 0 sends each event at once.
    ws.max_message_size(64 * 1024)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .on_upgrade(move |socket| run_socket(state, p, subscription, socket))
}

/// Whether the socket's own sign-in still holds; a failed read keeps it open.
async fn still_signed_in(state: &AppState, p: &crate::auth::Principal) -> bool {
    crate::auth::middleware::still_signed_in(state, p, state.now())
        .await
        .unwrap_or(true)
}

async fn run_socket(
    state: AppState,
    p: crate::auth::Principal,
    mut subscription: crate::live::Subscription,
    socket: WebSocket,
) {
    let user_id = p.id();
    let (mut out, mut incoming) = socket.split();
    // The first ping is a period away: an immediate tick could read an access that just
    // ended and close the socket before the page hears why.
    let period = Duration::from_secs(30);
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    if out
        .send(Message::Text(json!({ "type": "ready" }).to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        // Events first: "access.ended" is told before any check closes the socket.
        tokio::select! {
            biased;
            event = subscription.events.recv() => match event {
                Some(e) if &*e == crate::live::SESSION_CHECK => {
                    if !still_signed_in(&state, &p).await {
                        let _ = out.send(Message::Close(Some(CloseFrame { code: 4001, reason: "signed out".into() }))).await;
                        break;
                    }
                }
                Some(e) if &*e == crate::live::ACCESS_ENDED => {
                    // Deactivated or removed: the page hears why, and the socket closes.
                    let _ = out.send(Message::Text(e.to_string().into())).await;
                    let _ = out.send(Message::Close(Some(CloseFrame { code: 4001, reason: "access ended".into() }))).await;
                    break;
                }
                Some(e) => {
                    if out.send(Message::Text(e.to_string().into())).await.is_err() {
                        break;
                    }
                }
                None => {
                    // The socket fell behind: the client reconnects and resumes from its cursors.
                    let _ = out.send(Message::Text(json!({ "type": "resync" }).to_string().into())).await;
                    let _ = out.send(Message::Close(Some(CloseFrame { code: 4000, reason: "resync".into() }))).await;
                    break;
                }
            },
            message = incoming.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    if resume(&state, user_id, &text, &mut out).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => {
                // A session that timed out closes its socket within a ping.
                if !still_signed_in(&state, &p).await {
                    let _ = out.send(Message::Close(Some(CloseFrame { code: 4001, reason: "session ended".into() }))).await;
                    break;
                }
                if out.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
            }
        }
    }
}

type Out = futures_util::stream::SplitSink<WebSocket, Message>;

/// Replays what the client missed, conversation by conversation, in order.
async fn resume(
    state: &AppState,
    user_id: i64,
    text: &str,
    out: &mut Out,
) -> Result<(), axum::Error> {
    let cursors = match serde_json::from_str::<ClientEvent>(text) {
        Ok(ClientEvent::Resume { cursors }) => cursors,
        Ok(ClientEvent::Delivered { alert }) => {
            let receipt = crate::actions::reach::receipt_from_page(
                state,
                user_id,
                alert,
                huddle_store::ReceiptKind::Delivered,
            );
            if let Err(e) = receipt.await {
                tracing::warn!(alert, error = %e.detail(), "page receipt not recorded");
            }
            return Ok(());
        }
        Err(_) => {
            let error = json!({ "type": "error", "detail": "send {\"type\": \"resume\", \"cursors\": {conversation_id: seq}} or {\"type\": \"delivered\", \"alert\": id}" });
            return out.send(Message::Text(error.to_string().into())).await;
        }
    };
    for (conversation, after) in cursors.into_iter().take(1000) {
        let Ok(conversation_id) = conversation.parse::<i64>() else {
            continue;
        };
        let mut after = after;
        loop {
            let batch = match actions::catch_up(state, user_id, conversation_id, after).await {
                Ok(batch) => batch,
                Err(_) => break,
            };
            let Some(last) = batch.last().map(|m| m.seq) else {
                break;
            };
            for m in &batch {
                let event = json!({ "type": "message.created", "conversation_id": conversation_id, "message": m });
                out.send(Message::Text(event.to_string().into())).await?;
            }
            after = last;
        }
    }
    out.send(Message::Text(
        json!({ "type": "resumed" }).to_string().into(),
    ))
    .await
}
