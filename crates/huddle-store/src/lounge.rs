//! The lounge's records: threads in spaces, posts with their edit history, helpful votes,
//! polls, follows, bookmarks, notifications, reports, sanctions and the public moderation
//! log. Posts are de-identified by the PHI guard before they reach the store, and are kept
//! in plain text so each backend's own full-text engine can search them.

use async_trait::async_trait;
use huddle_core::clock::Millis;

use crate::StoreResult;

// Columns map one to one, so the row types are the domain types.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Thread {
    pub id: i64,
    /// A [`huddle_core::lounge::Space`] slug.
    pub space: String,
    /// `case`, `question` or `discussion`.
    pub kind: String,
    pub title: String,
    /// `,a,b,` (see [`huddle_core::lounge::Tags`]).
    pub tags: String,
    pub author_id: i64,
    pub accepted_post_id: Option<i64>,
    pub locked: bool,
    pub reply_count: i64,
    pub helpful_count: i64,
    pub created_at: Millis,
    pub last_activity_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Post {
    pub id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    /// The author's specialty group slug when they wrote it.
    pub author_group: Option<String>,
    pub body: String,
    pub search_text: String,
    pub pseudonymous: bool,
    /// The thread's first post.
    pub opening: bool,
    /// `visible`, `hidden` (by a moderator, reversible) or `removed`.
    pub state: String,
    pub helpful: i64,
    pub created_at: Millis,
    pub edited_at: Option<Millis>,
}

#[derive(Debug, Clone)]
pub struct NewPost {
    pub thread_id: i64,
    pub author_id: i64,
    pub author_group: Option<String>,
    pub body: String,
    pub pseudonymous: bool,
    pub at: Millis,
}

#[derive(Debug, Clone)]
pub struct NewThread {
    pub space: String,
    pub kind: String,
    pub title: String,
    pub tags: String,
    /// The opening post; its `thread_id` is ignored.
    pub opening: NewPost,
    pub poll: Option<(String, Vec<String>)>,
}

/// A body a post had before an edit.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PostEdit {
    pub body: String,
    pub replaced_at: Millis,
}

/// Which threads a space list shows, and in what order.
#[derive(Debug, Clone, Default)]
pub struct ThreadQuery {
    pub space: Option<String>,
    pub tag: Option<String>,
    pub kind: Option<String>,
    pub sort: huddle_core::lounge::Sort,
    pub limit: i64,
}

/// A full-text search over every space, with optional filters.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub words: String,
    pub space: Option<String>,
    pub tag: Option<String>,
    pub kind: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SearchHit {
    pub post_id: i64,
    pub thread_id: i64,
    pub title: String,
    pub space: String,
    pub kind: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollView {
    pub question: String,
    pub options: Vec<String>,
    /// Votes per option, in the options' order.
    pub counts: Vec<i64>,
    /// The option the asking physician chose.
    pub mine: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    pub thread_id: i64,
    pub post_id: i64,
    /// `reply` (in a followed thread) or `accepted` (your answer was accepted).
    pub kind: String,
    pub created_at: Millis,
    pub read_at: Option<Millis>,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct NewReport {
    pub post_id: i64,
    pub reporter_id: i64,
    pub reason: String,
    pub note: String,
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub post_id: i64,
    pub thread_id: i64,
    pub reporter_id: i64,
    pub reason: String,
    pub note: String,
    pub created_at: Millis,
    pub resolved_at: Option<Millis>,
    pub resolution: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Sanction {
    pub id: i64,
    pub user_id: i64,
    /// `warning` or `suspension`.
    pub kind: String,
    pub reason: String,
    /// End of a suspension; `None` is indefinite.
    pub until_at: Option<Millis>,
    pub lifted_at: Option<Millis>,
    pub by_id: i64,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ModLogEntry {
    pub id: i64,
    pub action: String,
    /// `post 12`, `thread 3` or `member`: never a name.
    pub target: String,
    pub reason: String,
    pub moderator_id: i64,
    pub created_at: Millis,
}

#[async_trait]
pub trait LoungeStore {
    /// The thread with its opening post (and poll); the author follows it.
    async fn create_thread(&self, new: NewThread) -> StoreResult<(Thread, Post)>;
    async fn thread(&self, id: i64) -> StoreResult<Option<Thread>>;
    async fn threads(&self, query: &ThreadQuery) -> StoreResult<Vec<Thread>>;
    /// Every post of a thread, oldest first, whatever its state.
    async fn posts(&self, thread_id: i64) -> StoreResult<Vec<Post>>;
    async fn post(&self, id: i64) -> StoreResult<Option<Post>>;
    /// Adds a reply, makes its author a follower and notifies the other followers.
    /// `InvalidState` when the thread is locked.
    async fn add_reply(&self, new: NewPost) -> StoreResult<Post>;
    /// Replaces a body, keeping the old one in the history.
    async fn edit_post(
        &self,
        id: i64,
        body: &str,
        search_text: &str,
        at: Millis,
    ) -> StoreResult<Post>;
    async fn post_edits(&self, post_id: i64) -> StoreResult<Vec<PostEdit>>;
    /// True when the vote is new; one vote per physician per post.
    async fn vote_helpful(&self, post_id: i64, user_id: i64) -> StoreResult<bool>;
    /// Marks the accepted answer and notifies its author.
    async fn accept_answer(&self, thread_id: i64, post_id: i64, at: Millis) -> StoreResult<()>;
    async fn poll(&self, thread_id: i64, user_id: i64) -> StoreResult<Option<PollView>>;
    /// Records or changes a physician's choice; `NotFound` when the thread has no poll.
    async fn vote_poll(&self, thread_id: i64, user_id: i64, choice: i64) -> StoreResult<()>;
    async fn set_follow(&self, thread_id: i64, user_id: i64, follow: bool) -> StoreResult<()>;
    async fn is_following(&self, thread_id: i64, user_id: i64) -> StoreResult<bool>;
    async fn set_bookmark(
        &self,
        thread_id: i64,
        user_id: i64,
        on: bool,
        at: Millis,
    ) -> StoreResult<()>;
    async fn bookmarks(&self, user_id: i64) -> StoreResult<Vec<Thread>>;
    async fn is_bookmarked(&self, thread_id: i64, user_id: i64) -> StoreResult<bool>;
    /// Newest first.
    async fn notifications(&self, user_id: i64, limit: i64) -> StoreResult<Vec<Notification>>;
    async fn mark_notifications_read(&self, user_id: i64, at: Millis) -> StoreResult<u64>;
    /// Threads and replies written since `since`, for the new-account rate limit.
    async fn posts_since(&self, author_id: i64, since: Millis) -> StoreResult<i64>;
    async fn search(&self, query: &SearchQuery) -> StoreResult<Vec<SearchHit>>;

    async fn report_post(&self, new: NewReport) -> StoreResult<Report>;
    /// Unresolved reports, oldest first.
    async fn open_reports(&self, limit: i64) -> StoreResult<Vec<Report>>;
    /// Closes every open report on a post; returns how many.
    async fn resolve_reports(
        &self,
        post_id: i64,
        by: i64,
        resolution: &str,
        at: Millis,
    ) -> StoreResult<u64>;
    async fn set_post_state(&self, post_id: i64, state: &str) -> StoreResult<()>;
    async fn set_thread_locked(&self, thread_id: i64, locked: bool) -> StoreResult<()>;
    async fn add_sanction(&self, sanction: Sanction) -> StoreResult<Sanction>;
    async fn sanctions(&self, user_id: i64) -> StoreResult<Vec<Sanction>>;
    /// Lifts every active suspension; returns how many.
    async fn lift_suspensions(&self, user_id: i64, at: Millis) -> StoreResult<u64>;
    async fn log_moderation(&self, entry: ModLogEntry) -> StoreResult<ModLogEntry>;
    /// Newest first.
    async fn moderation_log(&self, limit: i64) -> StoreResult<Vec<ModLogEntry>>;
}
