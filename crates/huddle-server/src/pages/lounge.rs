//! The lounge's pages: spaces, a space's threads, a thread with live replies, the composer
//! with PHI highlighting (live in the browser, and from the server when publishing is
//! blocked), search, notifications with their digest and bookmarks, moderation.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use huddle_core::lounge::phi::PhiSpan;
use huddle_core::lounge::{CaseTemplate, ModAction, ReportReason, Sort, Space, Tags, ThreadKind};
use huddle_core::markup::escape_into;
use huddle_store::{ModLogEntry, Thread};
use serde::Deserialize;

use super::{render, FormError, Nav, OrRefused, Refused};
use crate::actions::lounge::{
    self as actions, Draft, Moderation, PostView, QueueItem, ThreadDetail,
};
use crate::api::lounge::excerpt;
use crate::auth::access::LoungeMember;
use crate::auth::{PageUser, Principal};
use crate::error::{ApiError, ErrorKind};
use crate::state::AppState;

/// A thread as a list row.
pub struct Row {
    id: i64,
    title: String,
    kind: &'static str,
    space: &'static str,
    tags: Vec<String>,
    replies: i64,
    helpful: i64,
    answered: bool,
    locked: bool,
}

fn row(t: Thread) -> Row {
    Row {
        kind: ThreadKind::parse(&t.kind).map_or("Thread", |k| k.label()),
        space: Space::parse(&t.space).map_or("", |s| s.name()),
        tags: Tags::from_stored(&t.tags).as_slice().to_vec(),
        id: t.id,
        title: t.title,
        replies: t.reply_count,
        helpful: t.helpful_count,
        answered: t.accepted_post_id.is_some(),
        locked: t.locked,
    }
}

pub struct SpaceLink {
    slug: &'static str,
    name: &'static str,
    mine: bool,
}

pub struct Hit {
    thread_id: i64,
    title: String,
    space: &'static str,
    excerpt: String,
}

#[derive(Template)]
#[template(path = "lounge.html")]
struct HomePage {
    nav: Nav,
    cross: Vec<SpaceLink>,
    specialties: Vec<SpaceLink>,
    recent: Vec<Row>,
    unread: usize,
    moderator: bool,
    query: String,
    hits: Option<Vec<Hit>>,
    kinds: [ThreadKind; 3],
    filter_space: String,
    filter_tag: String,
    filter_kind: String,
    spaces: Vec<SpaceLink>,
}

#[derive(Deserialize)]
pub struct HomeQuery {
    q: Option<String>,
    space: Option<String>,
    tag: Option<String>,
    kind: Option<String>,
}

fn links(group: Option<huddle_core::identity::SpecialtyGroup>, cross: bool) -> Vec<SpaceLink> {
    Space::all()
        .filter(|s| s.is_cross_specialty() == cross)
        .map(|s| SpaceLink {
            slug: s.slug(),
            name: s.name(),
            mine: group.is_some_and(|g| s == Space::Specialty(g)),
        })
        .collect()
}

pub async fn home(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<HomeQuery>,
) -> Result<Response, Refused> {
    let m = LoungeMember::of(&state, &p).await.or_refused(&nav)?;
    let recent = actions::threads(&state, &p, None, None, None, None)
        .await
        .or_refused(&nav)?;
    let unread = actions::unread_count(&state, &p).await.or_refused(&nav)?;
    let words = q.q.clone().unwrap_or_default();
    let hits = if words.trim().is_empty() {
        None
    } else {
        Some(
            actions::search(
                &state,
                &p,
                &words,
                q.space.as_deref(),
                q.tag.as_deref(),
                q.kind.as_deref(),
            )
            .await
            .or_refused(&nav)?,
        )
    };
    let mut spaces = links(m.group, true);
    spaces.extend(links(m.group, false));
    Ok(render(&HomePage {
        nav,
        cross: links(m.group, true),
        specialties: links(m.group, false),
        recent: recent.into_iter().take(10).map(row).collect(),
        unread,
        moderator: m.moderator,
        query: q.q.unwrap_or_default(),
        hits: hits.map(|hits| {
            hits.into_iter()
                .map(|h| Hit {
                    thread_id: h.thread_id,
                    space: Space::parse(&h.space).map_or("", |s| s.name()),
                    excerpt: excerpt(&h.body),
                    title: h.title,
                })
                .collect()
        }),
        kinds: ThreadKind::ALL,
        filter_space: q.space.unwrap_or_default(),
        filter_tag: q.tag.unwrap_or_default(),
        filter_kind: q.kind.unwrap_or_default(),
        spaces,
    }))
}

#[derive(Template)]
#[template(path = "lounge_space.html")]
struct SpacePage {
    nav: Nav,
    slug: &'static str,
    name: &'static str,
    sort: &'static str,
    sorts: [Sort; 4],
    tag: String,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
pub struct SpaceQuery {
    sort: Option<String>,
    tag: Option<String>,
}

pub async fn space(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(slug): Path<String>,
    Query(q): Query<SpaceQuery>,
) -> Result<Response, Refused> {
    LoungeMember::of(&state, &p).await.or_refused(&nav)?;
    let space = Space::parse(&slug)
        .map_err(|e| ApiError::not_found(e.0))
        .or_refused(&nav)?;
    let sort = match q.sort.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Sort::parse(s)
            .map_err(|e| ApiError::invalid("sort", e.0))
            .or_refused(&nav)?,
        None => Sort::default(),
    };
    let threads = actions::threads(
        &state,
        &p,
        Some(space.slug()),
        Some(sort.as_str()),
        q.tag.as_deref(),
        None,
    )
    .await
    .or_refused(&nav)?;
    Ok(render(&SpacePage {
        nav,
        slug: space.slug(),
        name: space.name(),
        sort: sort.as_str(),
        sorts: Sort::ALL,
        tag: q.tag.unwrap_or_default(),
        rows: threads.into_iter().map(row).collect(),
    }))
}

/// A post as the thread page shows it.
pub struct PostItem {
    id: i64,
    author: String,
    badge: &'static str,
    html: String,
    state: String,
    helpful: i64,
    accepted: bool,
    mine: bool,
    opening: bool,
    edits: usize,
    created: String,
}

fn when(ms: i64, zone: &huddle_core::clock::Zone) -> String {
    zone.format(ms)
}

fn item(v: PostView, zone: &huddle_core::clock::Zone) -> PostItem {
    PostItem {
        id: v.post.id,
        author: v.author,
        badge: v.badge,
        html: v.html,
        state: v.post.state,
        helpful: v.post.helpful,
        accepted: v.accepted,
        mine: v.mine,
        opening: v.post.opening,
        edits: v.edits,
        created: when(v.post.created_at, zone),
    }
}

pub struct PollItem {
    question: String,
    options: Vec<(usize, String, i64, bool)>,
    voted: bool,
}

#[derive(Template)]
#[template(path = "lounge_thread.html")]
struct ThreadPage {
    nav: Nav,
    t: Row,
    thread_id: i64,
    space_slug: &'static str,
    posts: Vec<PostItem>,
    poll: Option<PollItem>,
    following: bool,
    bookmarked: bool,
    can_accept: bool,
    moderator: bool,
    pseudonymous_default: bool,
    reasons: [ReportReason; 6],
    composer: Composer,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "lounge_posts.html")]
struct PostsFragment {
    nav: Nav,
    posts: Vec<PostItem>,
    can_accept: bool,
    moderator: bool,
    reasons: [ReportReason; 6],
    thread_id: i64,
}

/// What the composer shows again after a refused submission.
#[derive(Default)]
pub struct Composer {
    body: String,
    error: Option<String>,
    /// The draft with flagged spans marked, when the PHI guard blocked it.
    flagged: Option<String>,
}

/// The text with each flagged span in a `<mark>`, escaped, for the composer.
pub fn highlight(text: &str, spans: &[PhiSpan]) -> String {
    let mut out = String::with_capacity(text.len() + spans.len() * 40);
    let mut at = 0;
    for s in spans {
        let (Some(before), Some(flagged)) = (text.get(at..s.start), text.get(s.start..s.end))
        else {
            continue;
        };
        escape_into(before, &mut out);
        out.push_str("<mark title=\"");
        escape_into(s.kind.explanation(), &mut out);
        out.push_str("\">");
        escape_into(flagged, &mut out);
        out.push_str("</mark>");
        at = s.end;
    }
    escape_into(text.get(at..).unwrap_or(""), &mut out);
    out
}

/// What the composer shows beside a refused draft: the error in words and, when the PHI
/// guard refused it, the text it read with the spans it found marked (from the error: the
/// draft is not scanned again).
fn beside_the_form(e: &ApiError) -> (Option<String>, Option<String>) {
    match e.phi() {
        Some(found) if e.kind() == ErrorKind::PhiFound => {
            let marked: Vec<String> = found
                .fields
                .iter()
                .filter(|f| !f.text.trim().is_empty())
                .map(|f| highlight(&f.text, &f.spans))
                .collect();
            (Some(e.detail().to_string()), Some(marked.join("\n\n")))
        }
        _ => (Some(e.in_words()), None),
    }
}

/// The thread's composer again after a refused reply, with the reply as typed.
fn blocked(e: &ApiError, body: &str) -> Composer {
    let (error, flagged) = beside_the_form(e);
    Composer {
        body: body.to_string(),
        error,
        flagged,
    }
}

async fn thread_page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    id: i64,
    composer: Composer,
    notice: Option<String>,
) -> Result<Response, Refused> {
    let zone = nav.zone.clone();
    let d: ThreadDetail = actions::open_thread(state, p, id).await.or_refused(&nav)?;
    let can_accept = d.mine && d.kind.takes_an_answer() && d.thread.accepted_post_id.is_none();
    let poll = d.poll.map(|poll| PollItem {
        voted: poll.mine.is_some(),
        question: poll.question,
        options: poll
            .options
            .into_iter()
            .zip(poll.counts)
            .enumerate()
            .map(|(i, (o, n))| (i, o, n, poll.mine == Some(i as i64)))
            .collect(),
    });
    Ok(render(&ThreadPage {
        space_slug: d.space.slug(),
        pseudonymous_default: d.space.pseudonymous_by_default(),
        posts: d.posts.into_iter().map(|v| item(v, &zone)).collect(),
        thread_id: d.thread.id,
        t: row(d.thread),
        nav,
        poll,
        following: d.following,
        bookmarked: d.bookmarked,
        can_accept,
        moderator: d.moderator,
        reasons: ReportReason::ALL,
        composer,
        notice,
    }))
}

pub async fn thread(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    thread_page(&state, nav, &p, id, Composer::default(), None).await
}

/// New replies after a post id, as HTML for htmx to append (204 when there are none).
pub async fn replies_after(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path((id, after)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let zone = nav.zone.clone();
    // A fragment for htmx: a refusal is a problem, not a page.
    let views = actions::replies_after(&state, &p, id, after).await?;
    if views.is_empty() {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let moderator = p.has(huddle_core::identity::Role::Moderator);
    Ok(render(&PostsFragment {
        nav,
        posts: views.into_iter().map(|v| item(v, &zone)).collect(),
        can_accept: false,
        moderator,
        reasons: ReportReason::ALL,
        thread_id: id,
    }))
}

#[derive(Deserialize)]
pub struct ReplyForm {
    body: String,
    #[serde(default)]
    pseudonymous: Option<String>,
    #[serde(default)]
    phi_override: Option<String>,
}

pub async fn reply(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
    Form(f): Form<ReplyForm>,
) -> Result<Response, Refused> {
    let pseudonymous = Some(f.pseudonymous.is_some());
    let outcome = actions::reply(
        &state,
        &p,
        id,
        &f.body,
        pseudonymous,
        f.phi_override.as_deref(),
    )
    .await;
    match outcome.or_form_error(&nav)? {
        Ok(post) => {
            Ok(Redirect::to(&format!("/lounge/threads/{id}#post-{}", post.id)).into_response())
        }
        Err(e) => thread_page(&state, nav, &p, id, blocked(&e, &f.body), None).await,
    }
}

/// A small form action on a thread or post, then back to the thread.
async fn back_to_thread(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    thread_id: i64,
    outcome: Result<(), ApiError>,
    notice: &str,
) -> Result<Response, Refused> {
    outcome.or_refused(&nav)?;
    thread_page(
        state,
        nav,
        p,
        thread_id,
        Composer::default(),
        Some(notice.into()),
    )
    .await
}

async fn thread_of(state: &AppState, post_id: i64) -> Result<i64, ApiError> {
    state
        .store
        .post(post_id)
        .await?
        .map(|p| p.thread_id)
        .ok_or_else(|| ApiError::not_found("no such post"))
}

/// A form action on a post, then back to the post's thread. The action runs first, so a
/// person outside the lounge learns nothing about the post.
async fn after_post_action(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    post_id: i64,
    outcome: Result<(), ApiError>,
    notice: &str,
) -> Result<Response, Refused> {
    outcome.or_refused(&nav)?;
    let thread = thread_of(state, post_id).await.or_refused(&nav)?;
    back_to_thread(state, nav, p, thread, Ok(()), notice).await
}

pub async fn helpful(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(post_id): Path<i64>,
) -> Result<Response, Refused> {
    let outcome = actions::helpful(&state, &p, post_id).await.map(|_| ());
    after_post_action(&state, nav, &p, post_id, outcome, "Marked as helpful.").await
}

pub async fn accept(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(post_id): Path<i64>,
) -> Result<Response, Refused> {
    let outcome = actions::accept(&state, &p, post_id).await;
    after_post_action(&state, nav, &p, post_id, outcome, "Answer accepted.").await
}

#[derive(Deserialize)]
pub struct ToggleForm {
    on: String,
}

pub async fn follow(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
    Form(f): Form<ToggleForm>,
) -> Result<Response, Refused> {
    let on = f.on == "1";
    let outcome = actions::follow(&state, &p, id, on).await;
    let notice = if on {
        "Following: replies will notify you."
    } else {
        "No longer following."
    };
    back_to_thread(&state, nav, &p, id, outcome, notice).await
}

pub async fn bookmark(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
    Form(f): Form<ToggleForm>,
) -> Result<Response, Refused> {
    let on = f.on == "1";
    let outcome = actions::bookmark(&state, &p, id, on).await;
    back_to_thread(
        &state,
        nav,
        &p,
        id,
        outcome,
        if on {
            "Bookmarked."
        } else {
            "Bookmark removed."
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct VoteForm {
    choice: i64,
}

pub async fn vote(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
    Form(f): Form<VoteForm>,
) -> Result<Response, Refused> {
    let outcome = actions::vote_poll(&state, &p, id, f.choice)
        .await
        .map(|_| ());
    back_to_thread(&state, nav, &p, id, outcome, "Vote counted.").await
}

#[derive(Deserialize)]
pub struct ReportForm {
    reason: String,
    #[serde(default)]
    note: String,
}

pub async fn report(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(post_id): Path<i64>,
    Form(f): Form<ReportForm>,
) -> Result<Response, Refused> {
    let outcome = actions::report(&state, &p, post_id, &f.reason, &f.note)
        .await
        .map(|_| ());
    let notice = "Reported. A moderator will look at it.";
    after_post_action(&state, nav, &p, post_id, outcome, notice).await
}

#[derive(Template)]
#[template(path = "lounge_compose.html")]
struct ComposePage {
    nav: Nav,
    spaces: Vec<SpaceLink>,
    kinds: [ThreadKind; 3],
    f: ComposeForm,
    error: Option<String>,
    flagged: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ComposeForm {
    #[serde(default)]
    space: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    tried: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    pseudonymous: Option<String>,
    #[serde(default)]
    poll_question: String,
    #[serde(default)]
    poll_options: String,
    #[serde(default)]
    phi_override: Option<String>,
}

impl ComposeForm {
    fn is_case(&self) -> bool {
        self.kind == "case"
    }
}

fn compose_page(
    nav: Nav,
    group: Option<huddle_core::identity::SpecialtyGroup>,
    f: ComposeForm,
    error: Option<String>,
    flagged: Option<String>,
) -> Response {
    let mut spaces = links(group, true);
    spaces.extend(links(group, false));
    render(&ComposePage {
        nav,
        spaces,
        kinds: ThreadKind::ALL,
        f,
        error,
        flagged,
    })
}

#[derive(Deserialize)]
pub struct NewQuery {
    space: Option<String>,
}

pub async fn new_thread(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<NewQuery>,
) -> Result<Response, Refused> {
    let m = LoungeMember::of(&state, &p).await.or_refused(&nav)?;
    let space = q
        .space
        .or_else(|| m.group.map(|g| g.slug().to_string()))
        .unwrap_or_default();
    let form = ComposeForm {
        kind: "case".into(),
        pseudonymous: Space::parse(&space)
            .is_ok_and(|s| s.pseudonymous_by_default())
            .then(|| "on".into()),
        space,
        ..Default::default()
    };
    Ok(compose_page(nav, m.group, form, None, None))
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(f): Form<ComposeForm>,
) -> Result<Response, Refused> {
    let m = LoungeMember::of(&state, &p).await.or_refused(&nav)?;
    let options: Vec<String> = f.poll_options.lines().map(str::to_string).collect();
    let poll = (!f.poll_question.trim().is_empty()).then_some((f.poll_question.as_str(), options));
    let outcome = actions::start_thread(
        &state,
        &p,
        Draft {
            space: &f.space,
            kind: &f.kind,
            title: &f.title,
            body: &f.body,
            case: f.is_case().then(|| CaseTemplate {
                context: &f.context,
                question: &f.question,
                tried: &f.tried,
            }),
            tags: &f.tags,
            pseudonymous: Some(f.pseudonymous.is_some()),
            poll,
            phi_override: f.phi_override.as_deref().filter(|r| !r.trim().is_empty()),
        },
    )
    .await;
    match outcome.or_form_error(&nav)? {
        Ok((thread, _)) => {
            Ok(Redirect::to(&format!("/lounge/threads/{}", thread.id)).into_response())
        }
        // The form again, as typed, with what to fix (and the guard's marks).
        Err(e) => {
            let (error, flagged) = beside_the_form(&e);
            Ok(compose_page(nav, m.group, f, error, flagged))
        }
    }
}

pub struct NoteItem {
    thread_id: i64,
    post_id: i64,
    title: String,
    accepted: bool,
    unread: bool,
    when: String,
}

#[derive(Template)]
#[template(path = "lounge_me.html")]
struct MePage {
    nav: Nav,
    digest: Vec<(i64, String, usize, bool)>,
    notes: Vec<NoteItem>,
    bookmarks: Vec<Row>,
    notice: Option<String>,
}

async fn me_page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    notice: Option<String>,
) -> Result<Response, Refused> {
    let zone = nav.zone.clone();
    let notes = actions::notifications(state, p).await.or_refused(&nav)?;
    let bookmarks = actions::bookmarks(state, p).await.or_refused(&nav)?;
    Ok(render(&MePage {
        nav,
        digest: actions::digest(&notes),
        notes: notes
            .into_iter()
            .map(|n| NoteItem {
                thread_id: n.thread_id,
                post_id: n.post_id,
                accepted: n.kind == "accepted",
                unread: n.read_at.is_none(),
                when: when(n.created_at, &zone),
                title: n.title,
            })
            .collect(),
        bookmarks: bookmarks.into_iter().map(row).collect(),
        notice,
    }))
}

pub async fn me(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    me_page(&state, nav, &p, None).await
}

pub async fn mark_read(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    actions::mark_read(&state, &p).await.or_refused(&nav)?;
    me_page(&state, nav, &p, Some("All caught up.".into())).await
}

pub struct LogItem {
    label: &'static str,
    target: String,
    reason: String,
    when: String,
}

fn log_item(e: ModLogEntry, zone: &huddle_core::clock::Zone) -> LogItem {
    LogItem {
        label: actions::action_label(&e.action),
        target: e.target,
        reason: e.reason,
        when: when(e.created_at, zone),
    }
}

#[derive(Template)]
#[template(path = "lounge_moderation.html")]
struct ModerationPage {
    nav: Nav,
    moderator: bool,
    queue: Vec<QueueItem>,
    actions: [ModAction; 9],
    log: Vec<LogItem>,
    notice: Option<String>,
    /// A refused action (`"mod-{report}"`) or reveal (`"reveal-{report}"`) beside its
    /// report's form; `"moderation"` when the form named no report.
    error: FormError,
    /// What the refused form held, as typed.
    typed: ModDraft,
}

/// A refused moderation form's fields, as submitted.
#[derive(Default)]
pub struct ModDraft {
    /// `mod-{report}` or `reveal-{report}`.
    form: String,
    action: String,
    reason: String,
    days: String,
}

impl ModDraft {
    fn is(&self, form: &str, report: &i64) -> bool {
        self.form == format!("{form}-{report}")
    }

    /// The reason typed in the report's `form` (`mod` or `reveal`), when it was refused.
    pub fn reason(&self, form: &str, report: &i64) -> &str {
        if self.is(form, report) {
            &self.reason
        } else {
            ""
        }
    }

    /// The suspension days typed for the report, when its action was refused.
    pub fn days(&self, report: &i64) -> &str {
        if self.is("mod", report) {
            &self.days
        } else {
            ""
        }
    }

    /// Whether the action `a` was chosen for the report.
    pub fn chose(&self, report: &i64, a: &ModAction) -> bool {
        self.is("mod", report) && self.action == a.as_str()
    }
}

/// What one rendering of the moderation page shows beside the queue.
#[derive(Default)]
struct ModShown {
    notice: Option<String>,
    error: FormError,
    typed: ModDraft,
}

impl ModShown {
    fn notice(notice: String) -> ModShown {
        ModShown {
            notice: Some(notice),
            ..ModShown::default()
        }
    }

    /// The report's form again, as typed, with `error` beside it.
    fn refused(typed: ModDraft, error: impl FnOnce(&str) -> FormError) -> ModShown {
        let form = if typed.form.is_empty() {
            "moderation"
        } else {
            typed.form.as_str()
        };
        ModShown {
            notice: None,
            error: error(form),
            typed,
        }
    }
}

async fn moderation_page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    shown: ModShown,
) -> Result<Response, Refused> {
    let zone = nav.zone.clone();
    let m = LoungeMember::of(state, p).await.or_refused(&nav)?;
    let queue = if m.moderator {
        actions::queue(state, p).await.or_refused(&nav)?
    } else {
        Vec::new()
    };
    let log = actions::moderation_log(state, p).await.or_refused(&nav)?;
    Ok(render(&ModerationPage {
        nav,
        moderator: m.moderator,
        actions: ModAction::ALL,
        log: log.into_iter().map(|e| log_item(e, &zone)).collect(),
        notice: shown.notice,
        error: shown
            .error
            .unless_shown(|form| on_the_queue(form, &queue), "moderation"),
        typed: shown.typed,
        queue,
    }))
}

/// Whether `form` (`mod-{report}`, `reveal-{report}`) is one of the queue's forms.
fn on_the_queue(form: &str, queue: &[QueueItem]) -> bool {
    let report = form
        .strip_prefix("mod-")
        .or_else(|| form.strip_prefix("reveal-"));
    queue
        .iter()
        .any(|q| report == Some(q.report.id.to_string().as_str()))
}

pub async fn moderation(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    moderation_page(&state, nav, &p, ModShown::default()).await
}

#[derive(Deserialize)]
pub struct ModerateForm {
    action: String,
    #[serde(default)]
    post_id: Option<i64>,
    #[serde(default)]
    thread_id: Option<i64>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    days: Option<String>,
    /// The report whose form this was, so a refusal comes back beside it.
    #[serde(default)]
    report_id: Option<i64>,
}

pub async fn moderate(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(f): Form<ModerateForm>,
) -> Result<Response, Refused> {
    let typed = ModDraft {
        form: f.report_id.map(|r| format!("mod-{r}")).unwrap_or_default(),
        action: f.action.clone(),
        reason: f.reason.clone(),
        days: f.days.clone().unwrap_or_default(),
    };
    let days = match f.days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => match d.parse::<i64>() {
            Ok(d) => Some(d),
            Err(_) => {
                let shown = ModShown::refused(typed, |form| {
                    FormError::said(form, "days: enter a whole number".into(), Some("days"))
                });
                return moderation_page(&state, nav, &p, shown).await;
            }
        },
        None => None,
    };
    let outcome = actions::moderate(
        &state,
        &p,
        Moderation {
            action: &f.action,
            post_id: f.post_id,
            thread_id: f.thread_id,
            reason: &f.reason,
            days,
        },
    )
    .await;
    match outcome.or_form_error(&nav)? {
        Ok(entry) => {
            let label = actions::action_label(&entry.action);
            let notice = format!("{label}: {}.", entry.target);
            moderation_page(&state, nav, &p, ModShown::notice(notice)).await
        }
        // The report's form again, as typed, with what to fix.
        Err(e) => {
            let shown = ModShown::refused(typed, |form| FormError::of(form, &e));
            moderation_page(&state, nav, &p, shown).await
        }
    }
}

#[derive(Deserialize)]
pub struct RevealForm {
    #[serde(default)]
    reason: String,
    /// The report whose form this was, so a refusal comes back beside it.
    #[serde(default)]
    report_id: Option<i64>,
}

pub async fn reveal(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(post_id): Path<i64>,
    Form(f): Form<RevealForm>,
) -> Result<Response, Refused> {
    match actions::reveal(&state, &p, post_id, &f.reason)
        .await
        .or_form_error(&nav)?
    {
        Ok((name, email)) => {
            let notice = format!("Post {post_id} was written by {name} ({email}). This was recorded in the audit log.");
            moderation_page(&state, nav, &p, ModShown::notice(notice)).await
        }
        // The reveal form again, open, with the reason as typed.
        Err(e) => {
            let typed = ModDraft {
                form: f
                    .report_id
                    .map(|r| format!("reveal-{r}"))
                    .unwrap_or_default(),
                reason: f.reason,
                ..ModDraft::default()
            };
            let shown = ModShown::refused(typed, |form| FormError::of(form, &e));
            moderation_page(&state, nav, &p, shown).await
        }
    }
}
