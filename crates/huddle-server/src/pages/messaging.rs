//! The inbox, conversations with live updates and a composer, and the channel browser.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use huddle_store::Conversation;
use serde::Deserialize;

use super::{render, FormError, Nav, OrRefused, Refused};
use crate::actions::messaging::{self as actions, NewConversationRequest};
use crate::auth::access::ConversationMember;
use crate::auth::secrets::new_secret;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::state::AppState;

pub struct Line {
    id: i64,
    title: String,
    kind: String,
    unread: i64,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct InboxPage {
    nav: Nav,
    /// A refused new conversation (`"new"`) or status (`"status"`), beside its form.
    error: FormError,
    /// The new-conversation form as typed, when it was refused (empty otherwise).
    draft: NewDraft,
    lines: Vec<Line>,
    channels: Vec<Conversation>,
    people: Vec<(i64, String)>,
    status: String,
    status_label: &'static str,
    status_message: String,
    teams: &'static [(&'static str, &'static str)],
}

/// The new-conversation form's fields, as submitted.
#[derive(Default)]
pub struct NewDraft {
    kind: String,
    members: Vec<String>,
    name: String,
    private: bool,
    team: String,
    patient_initials: String,
    patient_reference: String,
}

impl NewDraft {
    fn of(pairs: &[(String, String)]) -> NewDraft {
        let field = |name: &str| super::pair(pairs, name);
        NewDraft {
            kind: field("kind"),
            members: pairs
                .iter()
                .filter(|(k, _)| k == "member")
                .map(|(_, v)| v.clone())
                .collect(),
            name: field("name"),
            private: field("private") == "yes",
            team: field("team"),
            patient_initials: field("patient_initials"),
            patient_reference: field("patient_reference"),
        }
    }

    /// Whether the person `id` was ticked.
    pub fn has_member(&self, id: &i64) -> bool {
        self.members.iter().any(|m| m.trim() == id.to_string())
    }
}

/// What one rendering of the inbox shows beside its forms.
#[derive(Default)]
struct InboxShown {
    error: FormError,
    draft: NewDraft,
    /// A refused status, as chosen and typed (else the person's own).
    status: Option<(String, String)>,
}

fn status_label(status: &str) -> &'static str {
    match status {
        "busy" => "Busy (in a procedure)",
        "off_duty" => "Off duty",
        _ => "Available",
    }
}

async fn inbox_page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    shown: InboxShown,
) -> Result<Response, Refused> {
    let (lines, channels, people) = inbox_rows(state, p).await.or_refused(&nav)?;
    let (status, status_message) = shown
        .status
        .unwrap_or_else(|| (p.user.status.clone(), p.user.status_message.clone()));
    Ok(render(&InboxPage {
        nav,
        error: shown.error,
        draft: shown.draft,
        lines,
        channels,
        people,
        status_label: status_label(&p.user.status),
        status,
        status_message,
        teams: &huddle_core::messaging::TEAMS,
    }))
}

type InboxRows = (Vec<Line>, Vec<Conversation>, Vec<(i64, String)>);

/// The person's conversations, the channels they could join and the people they could write to.
async fn inbox_rows(state: &AppState, p: &Principal) -> Result<InboxRows, ApiError> {
    let lines = actions::inbox(state, p).await?;
    let mine: Vec<i64> = lines.iter().map(|l| l.conversation.id).collect();
    let (channels, people) = match p.user.organization_id {
        Some(org) => (
            state
                .store
                .open_channels(org)
                .await?
                .into_iter()
                .filter(|c| !mine.contains(&c.id))
                .collect(),
            state
                .store
                .users_in_organization(org)
                .await?
                .into_iter()
                .filter(|u| u.id != p.id())
                .map(|u| (u.id, u.display_name))
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let lines = lines
        .into_iter()
        .map(|l| Line {
            id: l.conversation.id,
            kind: l.conversation.kind,
            title: l.title,
            unread: l.unread,
        })
        .collect();
    Ok((lines, channels, people))
}

pub async fn inbox(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    inbox_page(&state, nav, &p, InboxShown::default()).await
}

/// The new-conversation form: repeated `member` fields, so it is read as pairs.
pub async fn create(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let members: Result<Vec<i64>, _> = pairs
        .iter()
        .filter(|(k, _)| k == "member")
        .map(|(_, v)| v.parse::<i64>())
        .collect();
    let Ok(members) = members else {
        let shown = InboxShown {
            error: FormError::said(
                "new",
                "Choose people from the list.".into(),
                Some("members"),
            ),
            draft: NewDraft::of(&pairs),
            status: None,
        };
        return inbox_page(&state, nav, &p, shown).await;
    };
    let request = NewConversationRequest {
        kind: field("kind").unwrap_or("direct"),
        members: &members,
        name: field("name"),
        private: field("private") == Some("yes"),
        team: field("team"),
        patient: match (field("patient_reference"), field("patient_initials")) {
            (Some(r), Some(i)) if !r.trim().is_empty() || !i.trim().is_empty() => Some((r, i)),
            _ => None,
        },
    };
    match actions::create(&state, &p, request)
        .await
        .or_form_error(&nav)?
    {
        Ok((c, _)) => Ok(Redirect::to(&format!("/messages/{}", c.id)).into_response()),
        // The form again, as typed, with what to fix.
        Err(e) => {
            let shown = InboxShown {
                error: FormError::of("new", &e),
                draft: NewDraft::of(&pairs),
                status: None,
            };
            inbox_page(&state, nav, &p, shown).await
        }
    }
}

pub struct Shown {
    id: i64,
    seq: i64,
    mine: bool,
    edited: bool,
    deleted: bool,
    sender: String,
    at: String,
    html: String,
}

#[derive(Template)]
#[template(path = "conversation.html")]
struct ConversationPage {
    nav: Nav,
    error: Option<String>,
    id: i64,
    title: String,
    last_seq: i64,
    members_json: String,
    messages: Vec<Shown>,
    /// Members who are busy or off duty, with their automatic replies.
    away: Vec<String>,
    patient: Option<actions::PatientContext>,
    /// A fresh id per rendered form: submitting twice stores the message once.
    client_msg_id: String,
    /// What the person had typed, when the message was refused.
    draft: String,
}

/// What the composer shows again after a refused message.
#[derive(Default)]
struct Refusal {
    error: Option<String>,
    draft: String,
}

/// The members' names by id, and a line for each other member who is busy or off duty.
async fn members(
    state: &AppState,
    p: &Principal,
    c: &Conversation,
) -> Result<(std::collections::BTreeMap<String, String>, Vec<String>), ApiError> {
    let mut names = std::collections::BTreeMap::new();
    let mut away = Vec::new();
    let shifts = actions::shifts_around_now(state, c.organization_id).await?;
    for m in state.store.members(c.id).await? {
        if let Some(u) = state.store.user(m.user_id).await? {
            let (status, message) = actions::presence(&u, &shifts, state.now());
            if u.id != p.id() && status != "available" {
                let reply = if message.is_empty() {
                    String::new()
                } else {
                    format!(": {message}")
                };
                away.push(format!(
                    "{} is {}{reply}",
                    u.display_name,
                    status_label(&status).to_lowercase()
                ));
            }
            names.insert(u.id.to_string(), u.display_name);
        }
    }
    Ok((names, away))
}

async fn conversation_page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    id: i64,
    refusal: Refusal,
) -> Result<Response, Refused> {
    let zone = nav.zone.clone();
    let c = ConversationMember::of(state, p, id)
        .await
        .or_refused(&nav)?
        .conversation;
    let after = (c.last_seq - 100).max(0);
    let messages = actions::messages(state, p, id, after, 100)
        .await
        .or_refused(&nav)?;
    // Reading writes nothing: the page marks what it showed as read by a POST (live.js at
    // once, or the "Mark as read" form without JavaScript).
    let (names, away) = members(state, p, &c).await.or_refused(&nav)?;
    let title = actions::title_for(state, p, &c).await.or_refused(&nav)?;
    let patient = actions::patient_of(state, &c).await.or_refused(&nav)?;
    Ok(render(&ConversationPage {
        away,
        patient,
        nav,
        error: refusal.error,
        draft: refusal.draft,
        id: c.id,
        title,
        last_seq: messages.last().map_or(0, |m| m.seq),
        messages: messages
            .into_iter()
            .map(|m| Shown {
                id: m.id,
                mine: m.sender_id == p.id(),
                edited: m.edited,
                deleted: m.deleted,
                seq: m.seq,
                sender: names
                    .get(&m.sender_id.to_string())
                    .cloned()
                    .unwrap_or_else(|| format!("Member {}", m.sender_id)),
                at: huddle_core::clock::parse_rfc3339(&m.created_at)
                    .map_or_else(|| m.created_at.clone(), |at| zone.format(at)),
                html: m.html,
            })
            .collect(),
        members_json: serde_json::to_string(&names).unwrap_or_default(),
        client_msg_id: new_secret(),
    }))
}

pub async fn view(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    conversation_page(&state, nav, &p, id, Refusal::default()).await
}

#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    client_msg_id: String,
}

pub async fn send(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
    Form(f): Form<SendForm>,
) -> Result<Response, Refused> {
    let sent = actions::send(
        &state,
        &p,
        id,
        &f.body,
        &f.client_msg_id,
        actions::Context::default(),
    )
    .await;
    match sent.or_form_error(&nav)? {
        Ok((message, _)) => {
            // Writing in a conversation reads it up to one's own message.
            actions::mark_read(&state, &p, id, message.seq)
                .await
                .or_refused(&nav)?;
            Ok(Redirect::to(&format!("/messages/{id}")).into_response())
        }
        // The conversation again, with the message as typed and what to fix.
        Err(e) => {
            let refusal = Refusal {
                error: Some(e.in_words()),
                draft: f.body,
            };
            conversation_page(&state, nav, &p, id, refusal).await
        }
    }
}

#[derive(Deserialize)]
pub struct ReadForm {
    /// The last message number the page showed.
    seq: i64,
}

/// "Mark as read": what the page showed, up to `seq`, counts as read.
pub async fn read(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
    Form(f): Form<ReadForm>,
) -> Result<Response, Refused> {
    actions::mark_read(&state, &p, id, f.seq)
        .await
        .or_refused(&nav)?;
    Ok(Redirect::to(&format!("/messages/{id}")).into_response())
}

pub async fn join(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    actions::join(&state, &p, id).await.or_refused(&nav)?;
    Ok(Redirect::to(&format!("/messages/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    message: String,
}

pub async fn status(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(f): Form<StatusForm>,
) -> Result<Response, Refused> {
    match actions::set_status(&state, &p, &f.status, &f.message)
        .await
        .or_form_error(&nav)?
    {
        Ok(()) => Ok(Redirect::to("/messages").into_response()),
        // The status form again, open, as chosen and typed.
        Err(e) => {
            let shown = InboxShown {
                error: FormError::of("status", &e),
                status: Some((f.status, f.message)),
                ..InboxShown::default()
            };
            inbox_page(&state, nav, &p, shown).await
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path((id, message_id)): Path<(i64, i64)>,
) -> Result<Response, Refused> {
    actions::delete(&state, &p, message_id)
        .await
        .or_refused(&nav)?;
    Ok(Redirect::to(&format!("/messages/{id}")).into_response())
}
