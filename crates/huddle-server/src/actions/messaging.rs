//! Conversations: direct, group and organization channels. Bodies are sealed under the
//! organization's data key before they reach the store; a message is committed before the
//! sender hears back, then fanned out to the members' live sockets.

use std::sync::Arc;

use huddle_core::audit::AuditAction;
use huddle_core::clock::format_rfc3339;
use huddle_core::keys::KeyOwner;
use huddle_core::messaging::{
    team_label, Body, BodyError, ClientMsgId, ConversationKind, MAX_BODY_CHARS,
};
use huddle_store::{Conversation, NewConversation, NewMessage, StoreError, StoredMessage, User};
use serde::Serialize;
use serde_json::json;

use super::audit::record;
use crate::auth::access::{ConversationMember, OrgAdmin};
use crate::auth::Principal;
use crate::crypto::DataKey;
use crate::error::ApiError;
use crate::state::AppState;

const PAGE_MAX: i64 = 500;

/// A message as members see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MessageView {
    pub id: i64,
    pub conversation_id: i64,
    pub seq: i64,
    pub sender_id: i64,
    pub body: String,
    /// The body rendered as markdown (`huddle_core::markup`, as lounge posts are), safe to
    /// embed as HTML.
    pub html: String,
    pub client_msg_id: String,
    /// RFC 3339.
    pub created_at: String,
    pub edited: bool,
    /// Deleted by its sender, or removed by the retention policy: the body is empty.
    pub deleted: bool,
    /// The message this one answers.
    pub reply_to: Option<i64>,
    /// Members mentioned by id.
    pub mentions: Vec<i64>,
}

/// The patient a conversation is about: an opaque reference (a record number in the
/// hospital's system) and initials for the header. Sealed like message bodies.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PatientContext {
    pub reference: String,
    pub initials: String,
}

impl PatientContext {
    fn parse(reference: &str, initials: &str) -> Result<PatientContext, ApiError> {
        let reference = reference.trim();
        if reference.is_empty()
            || reference.chars().count() > 64
            || reference.chars().any(char::is_control)
        {
            return Err(ApiError::invalid("patient.reference", "1 to 64 characters"));
        }
        let initials: String = initials.trim().to_uppercase();
        if !(1..=4).contains(&initials.chars().count())
            || !initials.chars().all(|c| c.is_alphabetic() || c == '.')
        {
            return Err(ApiError::invalid(
                "patient.initials",
                "1 to 4 letters, e.g. JQ",
            ));
        }
        Ok(PatientContext {
            reference: reference.to_string(),
            initials,
        })
    }
}

/// Opens a conversation's patient context, if it has one.
pub async fn patient_of(
    state: &AppState,
    c: &Conversation,
) -> Result<Option<PatientContext>, ApiError> {
    let Some(sealed) = &c.patient_sealed else {
        return Ok(None);
    };
    let key = org_key(state, c.organization_id).await?;
    let bytes = key.open("patient", sealed).map_err(ApiError::internal)?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(ApiError::internal)
}

fn aad(conversation_id: i64) -> String {
    format!("conversation:{conversation_id}")
}

/// The organization's data key (see `keys`).
async fn org_key(state: &AppState, organization_id: Option<i64>) -> Result<DataKey, ApiError> {
    state
        .keys
        .data_key(
            state.store.as_ref(),
            KeyOwner::organization(organization_id),
            state.now(),
        )
        .await
}

fn open(key: &DataKey, m: StoredMessage) -> Result<MessageView, ApiError> {
    let body = if m.sealed.is_empty() {
        String::new()
    } else {
        let bytes = key
            .open(&aad(m.conversation_id), &m.sealed)
            .map_err(ApiError::internal)?;
        String::from_utf8(bytes).map_err(ApiError::internal)?
    };
    Ok(MessageView {
        edited: m.edited_at.is_some(),
        deleted: m.deleted_at.is_some() || m.purged_at.is_some(),
        id: m.id,
        conversation_id: m.conversation_id,
        seq: m.seq,
        sender_id: m.sender_id,
        html: huddle_core::markup::render(&body),
        body,
        reply_to: m.reply_to,
        mentions: m
            .mentions
            .split(',')
            .filter_map(|id| id.parse().ok())
            .collect(),
        client_msg_id: m.client_msg_id,
        created_at: format_rfc3339(m.created_at),
    })
}

pub struct NewConversationRequest<'a> {
    pub kind: &'a str,
    pub members: &'a [i64],
    pub name: Option<&'a str>,
    pub private: bool,
    /// (reference, initials) of the patient the conversation is about.
    pub patient: Option<(&'a str, &'a str)>,
    /// For a channel: the team it addresses (its members follow the team).
    pub team: Option<&'a str>,
}

/// Starts a conversation with people of the creator's own organization. A direct
/// conversation between two people exists once: asking again returns it.
pub async fn create(
    state: &AppState,
    p: &Principal,
    r: NewConversationRequest<'_>,
) -> Result<(Conversation, bool), ApiError> {
    let mut name = r.name.unwrap_or("").trim().to_string();
    if name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid("name", "use at most 80 characters"));
    }
    let mut members: Vec<i64> = r.members.iter().copied().filter(|m| *m != p.id()).collect();
    members.sort_unstable();
    members.dedup();
    for (i, id) in members.iter().enumerate() {
        let user: Option<User> = state.store.user(*id).await?;
        if user.is_none_or(|u| u.organization_id != p.user.organization_id) {
            return Err(ApiError::invalid(
                &format!("members[{i}]"),
                "no such person in your organization",
            ));
        }
    }
    let kind = ConversationKind::parse(r.kind)
        .ok_or_else(|| ApiError::invalid("kind", "direct, group or channel"))?;
    let is_channel = kind == ConversationKind::Channel;
    let direct_key = match kind {
        ConversationKind::Direct => {
            let [other] = members.as_slice() else {
                return Err(ApiError::invalid(
                    "members",
                    "a direct conversation has exactly one other person",
                ));
            };
            let key = format!("{}:{}", p.id().min(*other), p.id().max(*other));
            if let Some(existing) = state.store.direct_conversation(&key).await? {
                return Ok((existing, false));
            }
            Some(key)
        }
        ConversationKind::Group => {
            if members.is_empty() {
                return Err(ApiError::invalid(
                    "members",
                    "add at least one other person",
                ));
            }
            None
        }
        ConversationKind::Channel if r.team.is_some_and(|t| !t.is_empty()) => {
            let team = r.team.unwrap_or_default();
            let label = team_label(team)
                .ok_or_else(|| ApiError::invalid("team", "one of the practice teams"))?;
            let Some(org) = p.user.organization_id else {
                return Err(ApiError::forbidden(
                    "channels belong to an organization; join one first",
                ));
            };
            if name.is_empty() {
                name = label.to_string();
            }
            for u in state.store.users_in_organization(org).await? {
                if u.team == team && u.id != p.id() {
                    members.push(u.id);
                }
            }
            None
        }
        ConversationKind::Channel => {
            if name.is_empty() {
                return Err(ApiError::invalid(
                    "name",
                    "name the channel, e.g. \"Front desk\"",
                ));
            }
            if p.user.organization_id.is_none() {
                return Err(ApiError::forbidden(
                    "channels belong to an organization; join one first",
                ));
            }
            None
        }
    };
    let patient_sealed = match r.patient {
        Some((reference, initials)) => {
            let patient = PatientContext::parse(reference, initials)?;
            let key = org_key(state, p.user.organization_id).await?;
            let json = serde_json::to_vec(&patient).map_err(ApiError::internal)?;
            Some(key.seal("patient", &json).map_err(ApiError::internal)?)
        }
        None => None,
    };
    let mut all = members.clone();
    all.push(p.id());
    let created = state
        .store
        .create_conversation(NewConversation {
            organization_id: p.user.organization_id,
            kind: kind.as_str().to_string(),
            name,
            private: is_channel && r.private,
            created_by: p.id(),
            members: all,
            direct_key: direct_key.clone(),
            patient_sealed,
            team: if is_channel {
                r.team.unwrap_or("").to_string()
            } else {
                String::new()
            },
            at: state.now(),
        })
        .await;
    match (created, direct_key) {
        (Ok(c), _) => Ok((c, true)),
        // Two people opened the same direct conversation at once.
        (Err(StoreError::Conflict(_)), Some(key)) => state
            .store
            .direct_conversation(&key)
            .await?
            .map(|c| (c, false))
            .ok_or_else(|| ApiError::conflict("try again")),
        (Err(e), _) => Err(e.into()),
    }
}

/// Stores the message (once per client id) and, when new, delivers it live.
/// What a message adds to its body: the message it answers and who it mentions.
#[derive(Default)]
pub struct Context<'a> {
    pub reply_to: Option<i64>,
    pub mentions: &'a [i64],
}

pub async fn send(
    state: &AppState,
    p: &Principal,
    conversation_id: i64,
    body: &str,
    client_msg_id: &str,
    context: Context<'_>,
) -> Result<(MessageView, bool), ApiError> {
    // Membership comes from the member list the message is delivered to: one read for both.
    let audience = state
        .store
        .audience(conversation_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no conversation with this id"))?;
    let members = audience.members;
    if !members.contains(&p.id()) {
        return Err(ApiError::forbidden(
            "you are not a member of this conversation",
        ));
    }
    let body = Body::parse(body).map_err(|e| {
        ApiError::invalid(
            "body",
            match e {
                BodyError::Empty => "write something to send".to_string(),
                BodyError::TooLong => format!("keep a message to {MAX_BODY_CHARS} characters"),
            },
        )
    })?;
    let client_msg_id = ClientMsgId::parse(client_msg_id)
        .ok_or_else(|| ApiError::invalid("client_msg_id", ClientMsgId::RULE))?;
    if let Some(reply_to) = context.reply_to {
        let answered = state.store.message(reply_to).await?;
        if answered.is_none_or(|m| m.conversation_id != conversation_id) {
            return Err(ApiError::invalid(
                "reply_to",
                "no such message in this conversation",
            ));
        }
    }
    let mut mentions: Vec<i64> = context.mentions.to_vec();
    mentions.sort_unstable();
    mentions.dedup();
    if let Some(i) = mentions
        .iter()
        .position(|id| members.binary_search(id).is_err())
    {
        return Err(ApiError::invalid(
            &format!("mentions[{i}]"),
            "mention members of this conversation",
        ));
    }
    let key = org_key(state, audience.organization_id).await?;
    let sealed = key
        .seal(&aad(conversation_id), body.as_str().as_bytes())
        .map_err(ApiError::internal)?;
    let (stored, created) = state
        .store
        .append_message(NewMessage {
            conversation_id,
            sender_id: p.id(),
            client_msg_id: client_msg_id.as_str().to_string(),
            sealed,
            reply_to: context.reply_to,
            mentions: mentions
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
            at: state.now(),
        })
        .await?;
    let view = open(&key, stored)?;
    if created {
        metrics::counter!("huddle_messages_total").increment(1);
        // Pages tell a direct message from a channel's chatter by this.
        let direct = state
            .store
            .conversation(conversation_id)
            .await?
            .is_some_and(|c| ConversationKind::parse(&c.kind) == Some(ConversationKind::Direct));
        let event = json!({ "type": "message.created", "conversation_id": conversation_id,
            "direct": direct, "message": &view });
        state
            .bus
            .publish(members.clone(), Arc::from(event.to_string()))
            .await;
        super::reach::notify_message(state, conversation_id, direct, p.id(), members, mentions)
            .await;
    }
    Ok((view, created))
}

/// Sends an event to every member's live sockets.
async fn publish(
    state: &AppState,
    conversation_id: i64,
    event: serde_json::Value,
) -> Result<(), ApiError> {
    let members = state.store.members(conversation_id).await?;
    let event: Arc<str> = Arc::from(event.to_string());
    state
        .bus
        .publish(members.iter().map(|m| m.user_id).collect(), event)
        .await;
    Ok(())
}

/// The sender edits their message; the old text stays on record.
pub async fn edit(
    state: &AppState,
    p: &Principal,
    message_id: i64,
    body: &str,
) -> Result<MessageView, ApiError> {
    let conversation = own_message(state, p, message_id).await?;
    let body = Body::parse(body)
        .map_err(|_| ApiError::invalid("body", format!("1 to {MAX_BODY_CHARS} characters")))?;
    let key = org_key(state, conversation.organization_id).await?;
    let sealed = key
        .seal(&aad(conversation.id), body.as_str().as_bytes())
        .map_err(ApiError::internal)?;
    let stored = state
        .store
        .edit_message(message_id, p.id(), &sealed, state.now())
        .await?;
    let view = open(&key, stored)?;
    let event =
        json!({ "type": "message.edited", "conversation_id": conversation.id, "message": &view });
    publish(state, conversation.id, event).await?;
    Ok(view)
}

/// The sender deletes their message; the text stays on record, out of the conversation.
pub async fn delete(
    state: &AppState,
    p: &Principal,
    message_id: i64,
) -> Result<MessageView, ApiError> {
    let conversation = own_message(state, p, message_id).await?;
    let key = org_key(state, conversation.organization_id).await?;
    let stored = state
        .store
        .delete_message(message_id, p.id(), state.now())
        .await?;
    let view = open(&key, stored)?;
    let event =
        json!({ "type": "message.deleted", "conversation_id": conversation.id, "message": &view });
    publish(state, conversation.id, event).await?;
    Ok(view)
}

/// The conversation of a message the person sent (and may change).
async fn own_message(
    state: &AppState,
    p: &Principal,
    message_id: i64,
) -> Result<Conversation, ApiError> {
    let message = state
        .store
        .message(message_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no message with this id"))?;
    let conversation = ConversationMember::of(state, p, message.conversation_id)
        .await?
        .conversation;
    if message.sender_id != p.id() {
        return Err(ApiError::forbidden("only its sender can change a message"));
    }
    Ok(conversation)
}

/// Messages after a number, in order; the read is recorded in the audit log.
pub async fn messages(
    state: &AppState,
    p: &Principal,
    conversation_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<MessageView>, ApiError> {
    let conversation = ConversationMember::of(state, p, conversation_id)
        .await?
        .conversation;
    if !(1..=PAGE_MAX).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            format!("ask for 1 to {PAGE_MAX} messages"),
        ));
    }
    let stored = state
        .store
        .messages(conversation_id, after.max(0), limit)
        .await?;
    record(
        state,
        Some(p.id()),
        AuditAction::ConversationRead,
        format!("conversation:{conversation_id}"),
        json!({ "after": after, "count": stored.len() }),
    )
    .await?;
    let key = org_key(state, conversation.organization_id).await?;
    stored.into_iter().map(|m| open(&key, m)).collect()
}

/// Messages for a live socket catching up: membership checked, not audited per event.
pub async fn catch_up(
    state: &AppState,
    user_id: i64,
    conversation_id: i64,
    after: i64,
) -> Result<Vec<MessageView>, ApiError> {
    if state
        .store
        .member(conversation_id, user_id)
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let Some(conversation) = state.store.conversation(conversation_id).await? else {
        return Ok(Vec::new());
    };
    let key = org_key(state, conversation.organization_id).await?;
    let stored = state
        .store
        .messages(conversation_id, after.max(0), PAGE_MAX)
        .await?;
    stored.into_iter().map(|m| open(&key, m)).collect()
}

pub async fn mark_read(
    state: &AppState,
    p: &Principal,
    conversation_id: i64,
    seq: i64,
) -> Result<(), ApiError> {
    let conversation = ConversationMember::of(state, p, conversation_id)
        .await?
        .conversation;
    let seq = seq.min(conversation.last_seq);
    state.store.mark_read(conversation_id, p.id(), seq).await?;
    let event = json!({ "type": "receipt", "conversation_id": conversation_id, "user_id": p.id(), "seq": seq });
    publish(state, conversation_id, event).await
}

pub const STATUSES: [&str; 3] = ["available", "busy", "off_duty"];

/// Available, busy (in a procedure) or off duty, with an optional automatic reply; the
/// people they share conversations with see it change live. Routing reads it too.
/// The shifts around now of an organization, read once to show several people's presence.
pub async fn shifts_around_now(
    state: &AppState,
    organization_id: Option<i64>,
) -> Result<Vec<huddle_store::StoredShift>, ApiError> {
    let Some(org) = organization_id else {
        return Ok(Vec::new());
    };
    let now = state.now();
    let day = huddle_core::clock::DAY;
    Ok(state.store.shifts(org, now - day, now + day).await?)
}

/// Someone's presence: what they set by hand, or, while they leave it at available and the
/// schedule has them off shift, off duty from the schedule.
pub fn presence(
    user: &huddle_store::User,
    shifts: &[huddle_store::StoredShift],
    now: huddle_core::clock::Millis,
) -> (String, String) {
    let mine: Vec<_> = shifts.iter().filter(|s| s.user_id == user.id).collect();
    if user.status != "available"
        || mine.is_empty()
        || mine.iter().any(|s| s.starts_at <= now && now < s.ends_at)
    {
        return (user.status.clone(), user.status_message.clone());
    }
    let next = mine.iter().map(|s| s.starts_at).filter(|&t| t > now).min();
    let message = next.map_or_else(
        || "Off shift (from the schedule)".to_string(),
        |t| {
            format!(
                "Off shift until {} (from the schedule)",
                huddle_core::clock::format_utc(t)
            )
        },
    );
    ("off_duty".into(), message)
}

pub async fn set_status(
    state: &AppState,
    p: &Principal,
    status: &str,
    message: &str,
) -> Result<(), ApiError> {
    if !STATUSES.contains(&status) {
        return Err(ApiError::invalid("status", "available, busy or off_duty"));
    }
    let message = message.trim();
    if message.chars().count() > 200 || message.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "message",
            "keep the automatic reply to 200 characters",
        ));
    }
    state.store.set_status(p.id(), status, message).await?;
    let mut people: Vec<i64> = Vec::new();
    for (conversation, _) in state.store.inbox(p.id()).await? {
        for m in state.store.members(conversation.id).await? {
            people.push(m.user_id);
        }
    }
    people.sort_unstable();
    people.dedup();
    let event =
        json!({ "type": "presence", "user_id": p.id(), "status": status, "message": message });
    state
        .bus
        .publish(people, Arc::from(event.to_string()))
        .await;
    Ok(())
}

/// How long messages are kept, per organization (None: forever).
pub async fn set_retention(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    days: Option<i64>,
) -> Result<(), ApiError> {
    OrgAdmin::of(p, organization_id)?;
    if days.is_some_and(|d| !(1..=36_500).contains(&d)) {
        return Err(ApiError::invalid(
            "days",
            "from 1 to 36500 days, or null to keep messages",
        ));
    }
    state
        .store
        .set_retention_days(organization_id, days)
        .await?;
    let target = format!("organization:{organization_id}");
    record(
        state,
        Some(p.id()),
        AuditAction::RetentionChanged,
        target,
        json!({ "days": days }),
    )
    .await
}

/// The retention job: empties bodies older than each organization's policy. Claimed
/// through the job table, so it runs once per period however many nodes run.
pub async fn enforce_retention(state: &AppState) -> Result<u64, ApiError> {
    use huddle_core::clock::{DAY, HOUR, MINUTE};
    let now = state.now();
    if !state
        .store
        .claim_job("retention", now, HOUR, 10 * MINUTE)
        .await?
    {
        return Ok(0);
    }
    let mut purged = 0;
    for (organization_id, days) in state.store.retention_policies().await? {
        purged += state
            .store
            .purge_messages_before(organization_id, now - days * DAY, now)
            .await?;
    }
    if purged > 0 {
        record(
            state,
            None,
            AuditAction::RetentionEnforced,
            "messages",
            json!({ "purged": purged }),
        )
        .await?;
    }
    Ok(purged)
}

/// An inbox line: the conversation, its title for this person, and unread messages.
pub struct InboxLine {
    pub conversation: Conversation,
    pub title: String,
    pub unread: i64,
}

pub async fn inbox(state: &AppState, p: &Principal) -> Result<Vec<InboxLine>, ApiError> {
    let mut lines = Vec::new();
    for (conversation, me) in state.store.inbox(p.id()).await? {
        let title = title_for(state, p, &conversation).await?;
        lines.push(InboxLine {
            unread: (conversation.last_seq - me.last_read_seq).max(0),
            conversation,
            title,
        });
    }
    Ok(lines)
}

/// Unread messages across all the person's conversations.
pub async fn unread_total(state: &AppState, user_id: i64) -> Result<i64, ApiError> {
    Ok(state
        .store
        .inbox(user_id)
        .await?
        .iter()
        .map(|(conversation, me)| (conversation.last_seq - me.last_read_seq).max(0))
        .sum())
}

/// A direct conversation is titled with the other person's name.
pub async fn title_for(
    state: &AppState,
    p: &Principal,
    c: &Conversation,
) -> Result<String, ApiError> {
    if !c.name.is_empty() {
        return Ok(c.name.clone());
    }
    let mut names = Vec::new();
    for m in state.store.members(c.id).await? {
        if m.user_id != p.id() {
            if let Some(u) = state.store.user(m.user_id).await? {
                names.push(u.display_name);
            }
        }
    }
    Ok(if names.is_empty() {
        "Just you".to_string()
    } else {
        names.join(", ")
    })
}

/// Joins an open channel of the person's own organization.
pub async fn join(state: &AppState, p: &Principal, conversation_id: i64) -> Result<(), ApiError> {
    let c = state
        .store
        .conversation(conversation_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no conversation with this id"))?;
    let open_to_me = ConversationKind::parse(&c.kind) == Some(ConversationKind::Channel)
        && !c.private
        && c.organization_id.is_some()
        && c.organization_id == p.user.organization_id;
    if !open_to_me {
        return Err(ApiError::forbidden(
            "this is not an open channel of your organization",
        ));
    }
    Ok(state
        .store
        .add_member(conversation_id, p.id(), state.now())
        .await?)
}

/// A member adds someone from the same organization to a group or channel.
pub async fn add_member(
    state: &AppState,
    p: &Principal,
    conversation_id: i64,
    user_id: i64,
) -> Result<(), ApiError> {
    let c = ConversationMember::of(state, p, conversation_id)
        .await?
        .conversation;
    if ConversationKind::parse(&c.kind) == Some(ConversationKind::Direct) {
        return Err(ApiError::invalid(
            "user_id",
            "start a group to talk with more people",
        ));
    }
    let user = state.store.user(user_id).await?;
    if user.is_none_or(|u| u.organization_id != c.organization_id) {
        return Err(ApiError::invalid(
            "user_id",
            "no such person in this organization",
        ));
    }
    Ok(state
        .store
        .add_member(conversation_id, user_id, state.now())
        .await?)
}

/// Leaving a conversation (or removing someone, for its creator).
pub async fn remove_member(
    state: &AppState,
    p: &Principal,
    conversation_id: i64,
    user_id: i64,
) -> Result<(), ApiError> {
    let c = ConversationMember::of(state, p, conversation_id)
        .await?
        .conversation;
    if user_id != p.id() && c.created_by != p.id() {
        return Err(ApiError::forbidden(
            "only the conversation's creator removes others",
        ));
    }
    if !state.store.remove_member(conversation_id, user_id).await? {
        return Err(ApiError::not_found("not a member"));
    }
    Ok(())
}

/// Sets a person's team (their job function in the practice) and moves them between team
/// channels: out of the old team's, into the new team's.
pub async fn set_team(
    state: &AppState,
    p: &Principal,
    user_id: i64,
    team: &str,
) -> Result<User, ApiError> {
    if !team.is_empty() && team_label(team).is_none() {
        return Err(ApiError::invalid(
            "team",
            "one of the practice teams, or empty",
        ));
    }
    let user = state
        .store
        .user(user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no account with this id"))?;
    let Some(org) = user.organization_id else {
        return Err(ApiError::invalid(
            "team",
            "this person belongs to no organization",
        ));
    };
    OrgAdmin::of(p, org)?;
    if !user.team.is_empty() && user.team != team {
        for c in state.store.team_channels(org, &user.team).await? {
            state.store.remove_member(c.id, user.id).await?;
        }
    }
    state.store.set_team(user.id, team).await?;
    if !team.is_empty() {
        for c in state.store.team_channels(org, team).await? {
            state.store.add_member(c.id, user.id, state.now()).await?;
        }
    }
    record(
        state,
        Some(p.id()),
        AuditAction::TeamChanged,
        format!("user:{}", user.id),
        json!({ "from": user.team, "to": team }),
    )
    .await?;
    state
        .store
        .user(user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("the account disappeared"))
}
