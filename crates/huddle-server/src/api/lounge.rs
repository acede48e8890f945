//! The lounge over the API: verified physicians only (403 for everyone else on every route).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use huddle_core::lounge::phi::PhiSpan;
use huddle_core::lounge::{CaseTemplate, Space, Tags};
use huddle_store::{ModLogEntry, Notification, PollView, PostEdit, Report, SearchHit, Thread};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::actions::lounge::{self as actions, Draft, Moderation, PostView, ThreadDetail};
use crate::auth::access::LoungeMember;
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhiCheckRequest {
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct PhiSpanView {
    /// UTF-8 byte offset, inclusive.
    start: usize,
    /// UTF-8 byte offset, exclusive.
    end: usize,
    /// NAME, DATE, AGE, PHONE, EMAIL, SSN, MRN, ACCOUNT, LICENSE, ID, URL, IP, ADDRESS,
    /// LOCATION, ZIP or OTHER.
    #[serde(rename = "type")]
    kind: String,
    /// The type in words, for the composer.
    label: &'static str,
    /// Why it was flagged, in plain words ("looks like a patient's or relative's name").
    explanation: &'static str,
}

impl From<PhiSpan> for PhiSpanView {
    fn from(s: PhiSpan) -> Self {
        PhiSpanView {
            start: s.start,
            end: s.end,
            kind: serde_json::to_value(s.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            label: s.kind.label(),
            explanation: s.kind.explanation(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PhiCheckResponse {
    spans: Vec<PhiSpanView>,
}

#[utoipa::path(post, path = "/api/v1/lounge/phi-check", tag = "lounge", request_body = PhiCheckRequest,
    responses((status = 200, body = PhiCheckResponse), (status = 403, body = Problem)))]
pub async fn phi_check(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<PhiCheckRequest>,
) -> Result<Json<PhiCheckResponse>, ApiError> {
    let spans = actions::phi_check(&state, &p, &r.text).await?;
    Ok(Json(PhiCheckResponse {
        spans: spans.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct SpaceView {
    slug: &'static str,
    name: &'static str,
    cross_specialty: bool,
    pseudonymous_by_default: bool,
}

#[utoipa::path(get, path = "/api/v1/lounge/spaces", tag = "lounge",
    responses((status = 200, body = [SpaceView]), (status = 403, body = Problem)))]
pub async fn spaces(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<SpaceView>>, ApiError> {
    LoungeMember::of(&state, &p).await?;
    Ok(Json(
        Space::all()
            .map(|s| SpaceView {
                slug: s.slug(),
                name: s.name(),
                cross_specialty: s.is_cross_specialty(),
                pseudonymous_by_default: s.pseudonymous_by_default(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ThreadView {
    id: i64,
    space: String,
    kind: String,
    title: String,
    tags: Vec<String>,
    accepted_post_id: Option<i64>,
    locked: bool,
    reply_count: i64,
    helpful_count: i64,
    created_at: i64,
    last_activity_at: i64,
}

impl From<Thread> for ThreadView {
    fn from(t: Thread) -> Self {
        ThreadView {
            tags: Tags::from_stored(&t.tags).as_slice().to_vec(),
            id: t.id,
            space: t.space,
            kind: t.kind,
            title: t.title,
            accepted_post_id: t.accepted_post_id,
            locked: t.locked,
            reply_count: t.reply_count,
            helpful_count: t.helpful_count,
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// A space slug; all spaces when absent.
    space: Option<String>,
    /// active (default), new, top or unanswered.
    sort: Option<String>,
    tag: Option<String>,
    /// case, question or discussion.
    kind: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/lounge/threads", tag = "lounge", params(ListQuery),
    responses((status = 200, body = [ThreadView]), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<ThreadView>>, ApiError> {
    let threads = actions::threads(
        &state,
        &p,
        q.space.as_deref(),
        q.sort.as_deref(),
        q.tag.as_deref(),
        q.kind.as_deref(),
    )
    .await?;
    Ok(Json(threads.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseRequest {
    context: String,
    question: String,
    #[serde(default)]
    tried: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PollRequest {
    question: String,
    options: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewThreadRequest {
    space: String,
    /// case, question or discussion.
    kind: String,
    title: String,
    /// Markdown. For a case, send `case` instead.
    #[serde(default)]
    body: String,
    case: Option<CaseRequest>,
    /// Comma- or space-separated.
    #[serde(default)]
    tags: String,
    /// Show "Verified <specialty>" instead of your name; defaults to the space's rule.
    pseudonymous: Option<bool>,
    poll: Option<PollRequest>,
    /// Publish although the PHI guard flagged something, with the reason it is not PHI.
    phi_override: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PostOut {
    id: i64,
    thread_id: i64,
    /// The author's name, or "Verified cardiologist" for a pseudonymous post.
    author: String,
    /// The author's specialty group.
    badge: &'static str,
    pseudonymous: bool,
    /// Markdown source; empty when a moderator hid or removed the post.
    body: String,
    /// Sanitized HTML.
    html: String,
    state: String,
    helpful: i64,
    accepted: bool,
    mine: bool,
    created_at: i64,
    edited_at: Option<i64>,
    edits: usize,
}

impl From<PostView> for PostOut {
    fn from(v: PostView) -> Self {
        let shown = !v.html.is_empty();
        PostOut {
            id: v.post.id,
            thread_id: v.post.thread_id,
            author: v.author,
            badge: v.badge,
            pseudonymous: v.post.pseudonymous,
            body: if shown { v.post.body } else { String::new() },
            html: v.html,
            state: v.post.state,
            helpful: v.post.helpful,
            accepted: v.accepted,
            mine: v.mine,
            created_at: v.post.created_at,
            edited_at: v.post.edited_at,
            edits: v.edits,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PollOut {
    question: String,
    options: Vec<String>,
    counts: Vec<i64>,
    mine: Option<i64>,
}

impl From<PollView> for PollOut {
    fn from(p: PollView) -> Self {
        PollOut {
            question: p.question,
            options: p.options,
            counts: p.counts,
            mine: p.mine,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ThreadOut {
    thread: ThreadView,
    posts: Vec<PostOut>,
    poll: Option<PollOut>,
    following: bool,
    bookmarked: bool,
}

impl From<ThreadDetail> for ThreadOut {
    fn from(d: ThreadDetail) -> Self {
        ThreadOut {
            thread: d.thread.into(),
            posts: d.posts.into_iter().map(Into::into).collect(),
            poll: d.poll.map(Into::into),
            following: d.following,
            bookmarked: d.bookmarked,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/lounge/threads", tag = "lounge", request_body = NewThreadRequest,
    responses((status = 201, body = ThreadOut), (status = 403, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<NewThreadRequest>,
) -> Result<(StatusCode, Json<ThreadOut>), ApiError> {
    let (thread, _) = actions::start_thread(
        &state,
        &p,
        Draft {
            space: &r.space,
            kind: &r.kind,
            title: &r.title,
            body: &r.body,
            case: r.case.as_ref().map(|c| CaseTemplate {
                context: &c.context,
                question: &c.question,
                tried: &c.tried,
            }),
            tags: &r.tags,
            pseudonymous: r.pseudonymous,
            poll: r
                .poll
                .as_ref()
                .map(|p| (p.question.as_str(), p.options.clone())),
            phi_override: r.phi_override.as_deref(),
        },
    )
    .await?;
    let detail = actions::open_thread(&state, &p, thread.id).await?;
    Ok((StatusCode::CREATED, Json(detail.into())))
}

#[utoipa::path(get, path = "/api/v1/lounge/threads/{id}", tag = "lounge", params(("id" = i64, Path)),
    responses((status = 200, body = ThreadOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn one(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ThreadOut>, ApiError> {
    Ok(Json(actions::open_thread(&state, &p, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    body: String,
    pseudonymous: Option<bool>,
    phi_override: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/lounge/threads/{id}/replies", tag = "lounge", params(("id" = i64, Path)), request_body = ReplyRequest,
    responses((status = 201, body = PostOut), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reply(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<ReplyRequest>,
) -> Result<(StatusCode, Json<PostOut>), ApiError> {
    let post = actions::reply(
        &state,
        &p,
        id,
        &r.body,
        r.pseudonymous,
        r.phi_override.as_deref(),
    )
    .await?;
    let mut views = actions::replies_after(&state, &p, id, post.id - 1).await?;
    let view = views
        .drain(..)
        .find(|v| v.post.id == post.id)
        .ok_or_else(|| ApiError::not_found("the reply was not found after saving"))?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    body: String,
    phi_override: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Done {
    ok: bool,
}

#[utoipa::path(patch, path = "/api/v1/lounge/posts/{id}", tag = "lounge", params(("id" = i64, Path)), request_body = EditRequest,
    responses((status = 200, body = Done), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn edit(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<EditRequest>,
) -> Result<Json<Done>, ApiError> {
    actions::edit(&state, &p, id, &r.body, r.phi_override.as_deref()).await?;
    Ok(Json(Done { ok: true }))
}

#[derive(Serialize, ToSchema)]
pub struct EditOut {
    body: String,
    replaced_at: i64,
}

impl From<PostEdit> for EditOut {
    fn from(e: PostEdit) -> Self {
        EditOut {
            body: e.body,
            replaced_at: e.replaced_at,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/lounge/posts/{id}/history", tag = "lounge", params(("id" = i64, Path)),
    responses((status = 200, body = [EditOut]), (status = 403, body = Problem)))]
pub async fn history(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<EditOut>>, ApiError> {
    let edits = actions::history(&state, &p, id).await?;
    Ok(Json(edits.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/lounge/posts/{id}/helpful", tag = "lounge", params(("id" = i64, Path)),
    responses((status = 200, body = Done), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn helpful(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Done>, ApiError> {
    let new = actions::helpful(&state, &p, id).await?;
    Ok(Json(Done { ok: new }))
}

#[utoipa::path(post, path = "/api/v1/lounge/posts/{id}/accept", tag = "lounge", params(("id" = i64, Path)),
    responses((status = 200, body = Done), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Done>, ApiError> {
    actions::accept(&state, &p, id).await?;
    Ok(Json(Done { ok: true }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ToggleRequest {
    on: bool,
}

#[utoipa::path(put, path = "/api/v1/lounge/threads/{id}/follow", tag = "lounge", params(("id" = i64, Path)), request_body = ToggleRequest,
    responses((status = 200, body = Done), (status = 403, body = Problem)))]
pub async fn follow(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<ToggleRequest>,
) -> Result<Json<Done>, ApiError> {
    actions::follow(&state, &p, id, r.on).await?;
    Ok(Json(Done { ok: true }))
}

#[utoipa::path(put, path = "/api/v1/lounge/threads/{id}/bookmark", tag = "lounge", params(("id" = i64, Path)), request_body = ToggleRequest,
    responses((status = 200, body = Done), (status = 403, body = Problem)))]
pub async fn bookmark(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<ToggleRequest>,
) -> Result<Json<Done>, ApiError> {
    actions::bookmark(&state, &p, id, r.on).await?;
    Ok(Json(Done { ok: true }))
}

#[utoipa::path(get, path = "/api/v1/lounge/bookmarks", tag = "lounge",
    responses((status = 200, body = [ThreadView]), (status = 403, body = Problem)))]
pub async fn bookmarks(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<ThreadView>>, ApiError> {
    let threads = actions::bookmarks(&state, &p).await?;
    Ok(Json(threads.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PollVote {
    /// The option's index, from 0.
    choice: i64,
}

#[utoipa::path(post, path = "/api/v1/lounge/threads/{id}/poll", tag = "lounge", params(("id" = i64, Path)), request_body = PollVote,
    responses((status = 200, body = PollOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn vote(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<PollVote>,
) -> Result<Json<PollOut>, ApiError> {
    Ok(Json(
        actions::vote_poll(&state, &p, id, r.choice).await?.into(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words; each must match (prefixes count).
    q: String,
    space: Option<String>,
    tag: Option<String>,
    kind: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HitOut {
    post_id: i64,
    thread_id: i64,
    title: String,
    space: String,
    kind: String,
    excerpt: String,
}

impl From<SearchHit> for HitOut {
    fn from(h: SearchHit) -> Self {
        HitOut {
            excerpt: excerpt(&h.body),
            post_id: h.post_id,
            thread_id: h.thread_id,
            title: h.title,
            space: h.space,
            kind: h.kind,
        }
    }
}

/// The first 200 characters of a post, on one line.
pub fn excerpt(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(200).collect();
    if flat.chars().count() > 200 {
        out.push('…');
    }
    out
}

#[utoipa::path(get, path = "/api/v1/lounge/search", tag = "lounge", params(SearchParams),
    responses((status = 200, body = [HitOut]), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> Result<Json<Vec<HitOut>>, ApiError> {
    let hits = actions::search(
        &state,
        &p,
        &q.q,
        q.space.as_deref(),
        q.tag.as_deref(),
        q.kind.as_deref(),
    )
    .await?;
    Ok(Json(hits.into_iter().map(Into::into).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct NotificationOut {
    id: i64,
    thread_id: i64,
    post_id: i64,
    /// reply or accepted.
    kind: String,
    title: String,
    created_at: i64,
    read: bool,
}

impl From<Notification> for NotificationOut {
    fn from(n: Notification) -> Self {
        NotificationOut {
            id: n.id,
            thread_id: n.thread_id,
            post_id: n.post_id,
            kind: n.kind,
            title: n.title,
            created_at: n.created_at,
            read: n.read_at.is_some(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/lounge/notifications", tag = "lounge",
    responses((status = 200, body = [NotificationOut]), (status = 403, body = Problem)))]
pub async fn notifications(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<NotificationOut>>, ApiError> {
    let all = actions::notifications(&state, &p).await?;
    Ok(Json(all.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/lounge/notifications/read", tag = "lounge",
    responses((status = 200, body = Done), (status = 403, body = Problem)))]
pub async fn read_notifications(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Done>, ApiError> {
    actions::mark_read(&state, &p).await?;
    Ok(Json(Done { ok: true }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// phi, harassment, misinformation, spam, safety or other.
    reason: String,
    #[serde(default)]
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    id: i64,
    post_id: i64,
    thread_id: i64,
    reason: String,
    note: String,
    created_at: i64,
}

impl From<Report> for ReportOut {
    fn from(r: Report) -> Self {
        ReportOut {
            id: r.id,
            post_id: r.post_id,
            thread_id: r.thread_id,
            reason: r.reason,
            note: r.note,
            created_at: r.created_at,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/lounge/posts/{id}/report", tag = "lounge", params(("id" = i64, Path)), request_body = ReportRequest,
    responses((status = 201, body = ReportOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<ReportRequest>,
) -> Result<(StatusCode, Json<ReportOut>), ApiError> {
    let report = actions::report(&state, &p, id, &r.reason, &r.note).await?;
    Ok((StatusCode::CREATED, Json(report.into())))
}

#[utoipa::path(get, path = "/api/v1/lounge/moderation/reports", tag = "lounge",
    responses((status = 200, body = [ReportOut]), (status = 403, body = Problem)))]
pub async fn reports(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<ReportOut>>, ApiError> {
    let items = actions::queue(&state, &p).await?;
    Ok(Json(items.into_iter().map(|i| i.report.into()).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationRequest {
    /// hide_post, restore_post, remove_post, lock_thread, unlock_thread, warn, suspend,
    /// unsuspend or dismiss.
    action: String,
    /// The post acted on (or whose author is warned or suspended).
    post_id: Option<i64>,
    /// The thread locked or unlocked.
    thread_id: Option<i64>,
    reason: String,
    /// Length of a suspension in days; until lifted when absent.
    days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct LogOut {
    id: i64,
    action: String,
    label: &'static str,
    target: String,
    reason: String,
    created_at: i64,
}

impl From<ModLogEntry> for LogOut {
    fn from(e: ModLogEntry) -> Self {
        LogOut {
            label: actions::action_label(&e.action),
            id: e.id,
            action: e.action,
            target: e.target,
            reason: e.reason,
            created_at: e.created_at,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/lounge/moderation/actions", tag = "lounge", request_body = ModerationRequest,
    responses((status = 201, body = LogOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn moderate(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<ModerationRequest>,
) -> Result<(StatusCode, Json<LogOut>), ApiError> {
    let entry = actions::moderate(
        &state,
        &p,
        Moderation {
            action: &r.action,
            post_id: r.post_id,
            thread_id: r.thread_id,
            reason: &r.reason,
            days: r.days,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

#[utoipa::path(get, path = "/api/v1/lounge/moderation/log", tag = "lounge",
    responses((status = 200, body = [LogOut]), (status = 403, body = Problem)))]
pub async fn moderation_log(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> Result<Json<Vec<LogOut>>, ApiError> {
    let log = actions::moderation_log(&state, &p).await?;
    Ok(Json(log.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealRequest {
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct RevealOut {
    display_name: String,
    email: String,
}

#[utoipa::path(post, path = "/api/v1/lounge/posts/{id}/reveal", tag = "lounge", params(("id" = i64, Path)), request_body = RevealRequest,
    responses((status = 200, body = RevealOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn reveal(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<RevealRequest>,
) -> Result<Json<RevealOut>, ApiError> {
    let (display_name, email) = actions::reveal(&state, &p, id, &r.reason).await?;
    Ok(Json(RevealOut {
        display_name,
        email,
    }))
}
