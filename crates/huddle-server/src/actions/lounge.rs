//! The lounge: a physician-only, specialty-organized peer community. Only verified
//! physicians enter (org admins and moderators without verification included: 403).
//! Every draft passes the PHI guard before it is stored; an override needs a reason and is
//! audited. Moderators act through recorded actions, and seeing who wrote a pseudonymous
//! post is itself an audited action with a reason.

use std::collections::HashMap;

use huddle_core::audit::AuditAction;
use huddle_core::clock::{Millis, SECOND};
use huddle_core::identity::SpecialtyGroup;
use huddle_core::lounge::phi::{self, PhiSpan};
use huddle_core::lounge::space::pseudonym;
use huddle_core::lounge::{
    moderation, thread, CaseTemplate, ModAction, Poll, ReportReason, Sort, Space, Tags, ThreadKind,
    Title,
};
use huddle_store::{
    ModLogEntry, NewPost, NewReport, NewThread, Notification, PollView, Post, Report, Sanction,
    SearchHit, SearchQuery, Thread, ThreadQuery,
};
use serde_json::json;

use super::audit::record;
use crate::auth::access::LoungeMember;
use crate::auth::Principal;
use crate::error::{ApiError, FlaggedField, PhiFound};
use crate::state::AppState;

const DAY: Millis = 24 * 60 * 60 * SECOND;

/// What the PHI guard finds in a draft, for the composer's live highlighting.
pub async fn phi_check(
    state: &AppState,
    p: &Principal,
    text: &str,
) -> Result<Vec<PhiSpan>, ApiError> {
    LoungeMember::of(state, p).await?;
    if text.len() > thread::BODY_MAX_BYTES * 2 {
        return Err(ApiError::invalid("text", "the text is too long to check"));
    }
    Ok(phi::scan(text))
}

/// Blocks a draft the guard flags unless the author overrides with a reason; an override
/// is audited with the identifier types, never the text. A refusal carries what was found
/// (each field's text as read and its spans), so a page can mark them without scanning again.
async fn guard(
    state: &AppState,
    m: &LoungeMember,
    parts: &[(&str, &str)],
    phi_override: Option<&str>,
    target: &str,
) -> Result<(), ApiError> {
    let found = PhiFound {
        fields: parts
            .iter()
            .map(|(field, text)| FlaggedField {
                field: (*field).to_string(),
                text: (*text).to_string(),
                spans: phi::scan(text),
            })
            .collect(),
    };
    let spans = found.fields.iter().map(|f| f.spans.len()).sum::<usize>();
    if spans == 0 {
        return Ok(());
    }
    let mut kinds: Vec<&str> = found.kinds().into_iter().map(|k| k.label()).collect();
    kinds.sort_unstable();
    match phi_override.map(str::trim).filter(|r| !r.is_empty()) {
        None => Err(ApiError::phi_found(
            format!(
                "this may identify a patient ({}): remove the highlighted text, or publish \
                 anyway with a reason if it is not patient information",
                kinds.join(", ")
            ),
            found,
        )),
        Some(reason) => {
            let reason = moderation::parse_reason(reason)
                .map_err(|e| ApiError::invalid("phi_override", e.0))?;
            record(
                state,
                Some(m.id),
                AuditAction::LoungePhiOverride,
                target,
                json!({ "types": kinds, "spans": spans, "reason": reason }),
            )
            .await
        }
    }
}

pub struct Draft<'a> {
    pub space: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    /// Ignored for a case written with the template.
    pub body: &'a str,
    pub case: Option<CaseTemplate<'a>>,
    pub tags: &'a str,
    /// `None` takes the space's default (pseudonymous in the well-being space).
    pub pseudonymous: Option<bool>,
    pub poll: Option<(&'a str, Vec<String>)>,
    pub phi_override: Option<&'a str>,
}

pub async fn start_thread(
    state: &AppState,
    p: &Principal,
    d: Draft<'_>,
) -> Result<(Thread, Post), ApiError> {
    let m = LoungeMember::writer(state, p).await?;
    let space = Space::parse(d.space).map_err(|e| ApiError::invalid("space", e.0))?;
    let kind = ThreadKind::parse(d.kind).map_err(|e| ApiError::invalid("kind", e.0))?;
    let title = Title::parse(d.title).map_err(|e| ApiError::invalid("title", e.0))?;
    let body = match (&d.case, kind) {
        (Some(case), ThreadKind::Case) => case.compose(),
        _ => thread::parse_body(d.body),
    }
    .map_err(|e| ApiError::invalid("body", e.0))?;
    let tags = Tags::parse(d.tags).map_err(|e| ApiError::invalid("tags", e.0))?;
    let poll = match &d.poll {
        Some((question, options)) => {
            Some(Poll::parse(question, options).map_err(|e| ApiError::invalid("poll", e.0))?)
        }
        None => None,
    };
    let poll_text = poll
        .as_ref()
        .map(|p| format!("{}\n{}", p.question, p.options.join("\n")))
        .unwrap_or_default();
    guard(
        state,
        &m,
        &[
            ("title", title.as_str()),
            ("body", &body),
            ("poll", &poll_text),
        ],
        d.phi_override,
        "lounge:new-thread",
    )
    .await?;
    let (thread, post) = state
        .store
        .create_thread(NewThread {
            space: space.slug().into(),
            kind: kind.as_str().into(),
            title: title.as_str().into(),
            tags: tags.to_stored(),
            opening: NewPost {
                thread_id: 0,
                author_id: m.id,
                author_group: m.group.map(|g| g.slug().to_string()),
                body,
                pseudonymous: d.pseudonymous.unwrap_or(space.pseudonymous_by_default()),
                at: state.now(),
            },
            poll: poll.map(|p| (p.question, p.options)),
        })
        .await?;
    Ok((thread, post))
}

async fn visible_thread(state: &AppState, m: &LoungeMember, id: i64) -> Result<Thread, ApiError> {
    let thread = state
        .store
        .thread(id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such thread"))?;
    let opening = state.store.posts(id).await?.into_iter().find(|p| p.opening);
    if opening.is_some_and(|p| p.state == "removed") && !m.moderator {
        return Err(ApiError::not_found("this thread was removed"));
    }
    Ok(thread)
}

pub async fn reply(
    state: &AppState,
    p: &Principal,
    thread_id: i64,
    body: &str,
    pseudonymous: Option<bool>,
    phi_override: Option<&str>,
) -> Result<Post, ApiError> {
    let m = LoungeMember::writer(state, p).await?;
    let thread = visible_thread(state, &m, thread_id).await?;
    let body = thread::parse_body(body).map_err(|e| ApiError::invalid("body", e.0))?;
    guard(
        state,
        &m,
        &[("body", &body)],
        phi_override,
        &format!("lounge:thread:{thread_id}"),
    )
    .await?;
    let default = Space::parse(&thread.space).is_ok_and(|s| s.pseudonymous_by_default());
    Ok(state
        .store
        .add_reply(NewPost {
            thread_id,
            author_id: m.id,
            author_group: m.group.map(|g| g.slug().to_string()),
            body,
            pseudonymous: pseudonymous.unwrap_or(default),
            at: state.now(),
        })
        .await?)
}

async fn own_post(state: &AppState, m: &LoungeMember, post_id: i64) -> Result<Post, ApiError> {
    let post = state
        .store
        .post(post_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such post"))?;
    if post.author_id != m.id {
        return Err(ApiError::forbidden("only its author edits a post"));
    }
    Ok(post)
}

pub async fn edit(
    state: &AppState,
    p: &Principal,
    post_id: i64,
    body: &str,
    phi_override: Option<&str>,
) -> Result<Post, ApiError> {
    let m = LoungeMember::writer(state, p).await?;
    let post = own_post(state, &m, post_id).await?;
    if post.state == "removed" {
        return Err(ApiError::conflict("a removed post cannot be edited"));
    }
    let body = thread::parse_body(body).map_err(|e| ApiError::invalid("body", e.0))?;
    guard(
        state,
        &m,
        &[("body", &body)],
        phi_override,
        &format!("lounge:post:{post_id}"),
    )
    .await?;
    let search_text = if post.opening {
        let thread = visible_thread(state, &m, post.thread_id).await?;
        format!("{}\n{}", thread.title, body)
    } else {
        body.clone()
    };
    Ok(state
        .store
        .edit_post(post_id, &body, &search_text, state.now())
        .await?)
}

pub async fn helpful(state: &AppState, p: &Principal, post_id: i64) -> Result<bool, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    let post = state
        .store
        .post(post_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such post"))?;
    if post.author_id == m.id {
        return Err(ApiError::conflict("you cannot vote for your own post"));
    }
    Ok(state.store.vote_helpful(post_id, m.id).await?)
}

/// The thread's author marks a reply as the accepted answer of a question or case.
pub async fn accept(state: &AppState, p: &Principal, post_id: i64) -> Result<(), ApiError> {
    let m = LoungeMember::of(state, p).await?;
    let post = state
        .store
        .post(post_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such post"))?;
    let thread = visible_thread(state, &m, post.thread_id).await?;
    if thread.author_id != m.id {
        return Err(ApiError::forbidden(
            "only the thread's author accepts an answer",
        ));
    }
    if post.opening || post.state != "visible" {
        return Err(ApiError::conflict("accept a visible reply"));
    }
    let takes = ThreadKind::parse(&thread.kind).is_ok_and(|k| k.takes_an_answer());
    if !takes {
        return Err(ApiError::conflict("a discussion has no accepted answer"));
    }
    Ok(state
        .store
        .accept_answer(thread.id, post_id, state.now())
        .await?)
}

pub async fn vote_poll(
    state: &AppState,
    p: &Principal,
    thread_id: i64,
    choice: i64,
) -> Result<PollView, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    visible_thread(state, &m, thread_id).await?;
    let poll = state
        .store
        .poll(thread_id, m.id)
        .await?
        .ok_or_else(|| ApiError::not_found("this thread has no poll"))?;
    if usize::try_from(choice).map_or(true, |c| c >= poll.options.len()) {
        return Err(ApiError::invalid(
            "choice",
            "choose one of the poll's options",
        ));
    }
    state.store.vote_poll(thread_id, m.id, choice).await?;
    Ok(state.store.poll(thread_id, m.id).await?.unwrap_or(poll))
}

pub async fn follow(
    state: &AppState,
    p: &Principal,
    thread_id: i64,
    on: bool,
) -> Result<(), ApiError> {
    let m = LoungeMember::of(state, p).await?;
    visible_thread(state, &m, thread_id).await?;
    Ok(state.store.set_follow(thread_id, m.id, on).await?)
}

pub async fn bookmark(
    state: &AppState,
    p: &Principal,
    thread_id: i64,
    on: bool,
) -> Result<(), ApiError> {
    let m = LoungeMember::of(state, p).await?;
    visible_thread(state, &m, thread_id).await?;
    Ok(state
        .store
        .set_bookmark(thread_id, m.id, on, state.now())
        .await?)
}

pub async fn bookmarks(state: &AppState, p: &Principal) -> Result<Vec<Thread>, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    Ok(state.store.bookmarks(m.id).await?)
}

/// A thread list of a space (or all spaces), filtered and sorted.
pub async fn threads(
    state: &AppState,
    p: &Principal,
    space: Option<&str>,
    sort: Option<&str>,
    tag: Option<&str>,
    kind: Option<&str>,
) -> Result<Vec<Thread>, ApiError> {
    LoungeMember::of(state, p).await?;
    let q = filters(space, tag, kind)?;
    let sort = match sort.filter(|s| !s.is_empty()) {
        Some(s) => Sort::parse(s).map_err(|e| ApiError::invalid("sort", e.0))?,
        None => Sort::default(),
    };
    Ok(state
        .store
        .threads(&ThreadQuery {
            space: q.space,
            tag: q.tag,
            kind: q.kind,
            sort,
            limit: 50,
        })
        .await?)
}

/// Space, tag and kind filters, parsed; empty strings mean "any".
fn filters(
    space: Option<&str>,
    tag: Option<&str>,
    kind: Option<&str>,
) -> Result<SearchQuery, ApiError> {
    fn some(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    let space = some(space)
        .map(|s| Space::parse(s).map_err(|e| ApiError::invalid("space", e.0)))
        .transpose()?;
    let tag = some(tag)
        .map(|t| {
            let tags = Tags::parse(t).map_err(|e| ApiError::invalid("tag", e.0))?;
            match tags.as_slice() {
                [one] => Ok(one.clone()),
                _ => Err(ApiError::invalid("tag", "filter by one tag")),
            }
        })
        .transpose()?;
    let kind = some(kind)
        .map(|k| ThreadKind::parse(k).map_err(|e| ApiError::invalid("kind", e.0)))
        .transpose()?;
    Ok(SearchQuery {
        words: String::new(),
        space: space.map(|s| s.slug().into()),
        tag,
        kind: kind.map(|k| k.as_str().into()),
        limit: 50,
    })
}

pub async fn search(
    state: &AppState,
    p: &Principal,
    words: &str,
    space: Option<&str>,
    tag: Option<&str>,
    kind: Option<&str>,
) -> Result<Vec<SearchHit>, ApiError> {
    LoungeMember::of(state, p).await?;
    if words.len() > 200 {
        return Err(ApiError::invalid("q", "search with at most 200 characters"));
    }
    let mut q = filters(space, tag, kind)?;
    q.words = words.trim().to_string();
    Ok(state.store.search(&q).await?)
}

/// A post as a member sees it: the name or the pseudonym, the specialty badge, and the
/// rendered body unless a moderator hid or removed it.
pub struct PostView {
    pub post: Post,
    pub author: String,
    pub badge: &'static str,
    /// Safe HTML; empty when hidden or removed (for members who are not moderators).
    pub html: String,
    pub accepted: bool,
    pub mine: bool,
    pub edits: usize,
}

pub struct ThreadDetail {
    pub thread: Thread,
    pub space: Space,
    pub kind: ThreadKind,
    pub posts: Vec<PostView>,
    pub poll: Option<PollView>,
    pub following: bool,
    pub bookmarked: bool,
    pub mine: bool,
    pub moderator: bool,
}

fn group_of(post: &Post) -> Option<SpecialtyGroup> {
    post.author_group
        .as_deref()
        .and_then(SpecialtyGroup::from_slug)
}

/// Renders posts for a member; `names` caches display names across calls.
async fn views(
    state: &AppState,
    m: &LoungeMember,
    thread: &Thread,
    posts: Vec<Post>,
) -> Result<Vec<PostView>, ApiError> {
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut out = Vec::with_capacity(posts.len());
    for post in posts {
        let group = group_of(&post);
        let author = if post.pseudonymous {
            pseudonym(group)
        } else if let Some(name) = names.get(&post.author_id) {
            name.clone()
        } else {
            let name = state
                .store
                .user(post.author_id)
                .await?
                .map_or_else(|| "A former member".to_string(), |u| u.display_name);
            names.insert(post.author_id, name.clone());
            name
        };
        let shown = post.state == "visible" || m.moderator;
        let edits = if post.edited_at.is_some() {
            state.store.post_edits(post.id).await?.len()
        } else {
            0
        };
        out.push(PostView {
            author,
            badge: group.map_or("Physician", |g| g.name()),
            html: if shown {
                huddle_core::markup::render(&post.body)
            } else {
                String::new()
            },
            accepted: thread.accepted_post_id == Some(post.id),
            mine: post.author_id == m.id,
            edits,
            post,
        });
    }
    Ok(out)
}

pub async fn open_thread(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> Result<ThreadDetail, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    let thread = visible_thread(state, &m, id).await?;
    let posts = state.store.posts(id).await?;
    let posts = views(state, &m, &thread, posts).await?;
    Ok(ThreadDetail {
        space: Space::parse(&thread.space)
            .map_err(|e| ApiError::internal(format!("stored thread space: {}", e.0)))?,
        kind: ThreadKind::parse(&thread.kind)
            .map_err(|e| ApiError::internal(format!("stored thread kind: {}", e.0)))?,
        poll: state.store.poll(id, m.id).await?,
        following: state.store.is_following(id, m.id).await?,
        bookmarked: state.store.is_bookmarked(id, m.id).await?,
        mine: thread.author_id == m.id,
        moderator: m.moderator,
        posts,
        thread,
    })
}

/// Replies after `after` (a post id), for the thread page's live updates.
pub async fn replies_after(
    state: &AppState,
    p: &Principal,
    thread_id: i64,
    after: i64,
) -> Result<Vec<PostView>, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    let thread = visible_thread(state, &m, thread_id).await?;
    let posts: Vec<Post> = state
        .store
        .posts(thread_id)
        .await?
        .into_iter()
        .filter(|post| post.id > after)
        .collect();
    views(state, &m, &thread, posts).await
}

pub async fn history(
    state: &AppState,
    p: &Principal,
    post_id: i64,
) -> Result<Vec<huddle_store::PostEdit>, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    let post = state
        .store
        .post(post_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such post"))?;
    visible_thread(state, &m, post.thread_id).await?;
    if post.state != "visible" && !m.moderator {
        return Err(ApiError::not_found("this post was taken down"));
    }
    Ok(state.store.post_edits(post_id).await?)
}

pub async fn notifications(state: &AppState, p: &Principal) -> Result<Vec<Notification>, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    Ok(state.store.notifications(m.id, 100).await?)
}

pub async fn unread_count(state: &AppState, p: &Principal) -> Result<usize, ApiError> {
    Ok(notifications(state, p)
        .await?
        .iter()
        .filter(|n| n.read_at.is_none())
        .count())
}

pub async fn mark_read(state: &AppState, p: &Principal) -> Result<u64, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    Ok(state
        .store
        .mark_notifications_read(m.id, state.now())
        .await?)
}

/// The digest of unread notifications: per thread, how many new replies and whether an
/// answer of yours was accepted, busiest first.
pub fn digest(notifications: &[Notification]) -> Vec<(i64, String, usize, bool)> {
    let mut by_thread: Vec<(i64, String, usize, bool)> = Vec::new();
    for n in notifications.iter().filter(|n| n.read_at.is_none()) {
        let entry = match by_thread.iter_mut().find(|(id, ..)| *id == n.thread_id) {
            Some(e) => e,
            None => {
                by_thread.push((n.thread_id, n.title.clone(), 0, false));
                let last = by_thread.len() - 1;
                &mut by_thread[last]
            }
        };
        match n.kind.as_str() {
            "accepted" => entry.3 = true,
            _ => entry.2 += 1,
        }
    }
    by_thread.sort_by_key(|d| std::cmp::Reverse(d.2));
    by_thread
}

pub async fn report(
    state: &AppState,
    p: &Principal,
    post_id: i64,
    reason: &str,
    note: &str,
) -> Result<Report, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    let reason = ReportReason::parse(reason).map_err(|e| ApiError::invalid("reason", e.0))?;
    if note.chars().count() > 500 {
        return Err(ApiError::invalid("note", "keep the note to 500 characters"));
    }
    let post = state
        .store
        .post(post_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such post"))?;
    visible_thread(state, &m, post.thread_id).await?;
    Ok(state
        .store
        .report_post(NewReport {
            post_id,
            reporter_id: m.id,
            reason: reason.as_str().into(),
            note: note.trim().into(),
            at: state.now(),
        })
        .await?)
}

/// A report as the moderator queue shows it: the post's text and where it is.
pub struct QueueItem {
    pub report: Report,
    pub reason_label: &'static str,
    pub excerpt: String,
    pub post_state: String,
    pub thread_title: String,
}

pub async fn queue(state: &AppState, p: &Principal) -> Result<Vec<QueueItem>, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    m.moderator()?;
    let mut items = Vec::new();
    for report in state.store.open_reports(200).await? {
        let post = state.store.post(report.post_id).await?;
        let thread = state.store.thread(report.thread_id).await?;
        items.push(QueueItem {
            reason_label: ReportReason::parse(&report.reason).map_or("Other", |r| r.label()),
            excerpt: post
                .as_ref()
                .map(|p| p.body.chars().take(400).collect())
                .unwrap_or_default(),
            post_state: post.map(|p| p.state).unwrap_or_default(),
            thread_title: thread.map(|t| t.title).unwrap_or_default(),
            report,
        });
    }
    Ok(items)
}

pub struct Moderation<'a> {
    pub action: &'a str,
    /// The post acted on, or whose author is warned or suspended.
    pub post_id: Option<i64>,
    /// The thread locked or unlocked.
    pub thread_id: Option<i64>,
    pub reason: &'a str,
    /// Length of a suspension; `None` is until lifted.
    pub days: Option<i64>,
}

/// One moderation action: applied, written to the public log (what and why, never who
/// wrote the post or what it said) and to the audit chain.
pub async fn moderate(
    state: &AppState,
    p: &Principal,
    req: Moderation<'_>,
) -> Result<ModLogEntry, ApiError> {
    let m = LoungeMember::of(state, p).await?;
    m.moderator()?;
    let action = ModAction::parse(req.action).map_err(|e| ApiError::invalid("action", e.0))?;
    let reason =
        moderation::parse_reason(req.reason).map_err(|e| ApiError::invalid("reason", e.0))?;
    if !phi::scan(&reason).is_empty() {
        return Err(ApiError::invalid(
            "reason",
            "the moderation log is public: write the reason without identifying anyone",
        ));
    }
    let now = state.now();
    let target = if action.targets_thread() {
        let thread_id = req
            .thread_id
            .ok_or_else(|| ApiError::invalid("thread_id", "name the thread"))?;
        state
            .store
            .set_thread_locked(thread_id, action == ModAction::LockThread)
            .await?;
        format!("thread {thread_id}")
    } else {
        let post_id = req
            .post_id
            .ok_or_else(|| ApiError::invalid("post_id", "name the post"))?;
        let post = state
            .store
            .post(post_id)
            .await?
            .ok_or_else(|| ApiError::not_found("no such post"))?;
        match action {
            ModAction::HidePost => state.store.set_post_state(post_id, "hidden").await?,
            ModAction::RestorePost => state.store.set_post_state(post_id, "visible").await?,
            ModAction::RemovePost => state.store.set_post_state(post_id, "removed").await?,
            ModAction::Warn | ModAction::Suspend => {
                if post.author_id == m.id {
                    return Err(ApiError::conflict(
                        "ask another moderator to act on your own posts",
                    ));
                }
                let days = req.days.filter(|d| *d > 0);
                if req.days.is_some_and(|d| !(1..=365).contains(&d)) {
                    return Err(ApiError::invalid("days", "suspend for 1 to 365 days"));
                }
                state
                    .store
                    .add_sanction(Sanction {
                        id: 0,
                        user_id: post.author_id,
                        kind: if action == ModAction::Warn {
                            "warning"
                        } else {
                            "suspension"
                        }
                        .into(),
                        reason: reason.clone(),
                        until_at: days.map(|d| now + d * DAY),
                        lifted_at: None,
                        by_id: m.id,
                        created_at: now,
                    })
                    .await?;
            }
            ModAction::Unsuspend => {
                state.store.lift_suspensions(post.author_id, now).await?;
            }
            ModAction::Dismiss | ModAction::LockThread | ModAction::UnlockThread => {}
        }
        state
            .store
            .resolve_reports(post_id, m.id, action.as_str(), now)
            .await?;
        match action {
            ModAction::Warn | ModAction::Suspend | ModAction::Unsuspend => {
                format!("author of post {post_id}")
            }
            _ => format!("post {post_id}"),
        }
    };
    record(
        state,
        Some(m.id),
        AuditAction::LoungeModerated,
        format!("lounge:{target}"),
        json!({ "action": action.as_str(), "reason": reason }),
    )
    .await?;
    Ok(state
        .store
        .log_moderation(ModLogEntry {
            id: 0,
            action: action.as_str().into(),
            target,
            reason,
            moderator_id: m.id,
            created_at: now,
        })
        .await?)
}

/// Who wrote a post: for moderators only, with a reason, audited and noted in the public log.
pub async fn reveal(
    state: &AppState,
    p: &Principal,
    post_id: i64,
    reason: &str,
) -> Result<(String, String), ApiError> {
    let m = LoungeMember::of(state, p).await?;
    m.moderator()?;
    let reason = moderation::parse_reason(reason).map_err(|e| ApiError::invalid("reason", e.0))?;
    let post = state
        .store
        .post(post_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such post"))?;
    let author = state
        .store
        .user(post.author_id)
        .await?
        .ok_or_else(|| ApiError::not_found("the author's account no longer exists"))?;
    record(
        state,
        Some(m.id),
        AuditAction::LoungeIdentityRevealed,
        format!("lounge:post:{post_id}"),
        json!({ "reason": reason, "author": author.id }),
    )
    .await?;
    state
        .store
        .log_moderation(ModLogEntry {
            id: 0,
            action: "reveal_author".into(),
            target: format!("post {post_id}"),
            reason: "author identity shown to a moderator (reason in the audit log)".into(),
            moderator_id: m.id,
            created_at: state.now(),
        })
        .await?;
    Ok((author.display_name, author.email))
}

/// The public moderation log, for every member.
pub async fn moderation_log(state: &AppState, p: &Principal) -> Result<Vec<ModLogEntry>, ApiError> {
    LoungeMember::of(state, p).await?;
    Ok(state.store.moderation_log(200).await?)
}

/// Human words for a logged action.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "reveal_author" => "Author identity shown to a moderator",
        other => ModAction::parse(other).map_or("Moderation", |a| a.label()),
    }
}
