//! The lounge. Full-text search is the backend's own (`search_lounge_fts`).

use huddle_core::clock::Millis;
use huddle_core::lounge::Sort;
use huddle_store::sql::async_trait;
use huddle_store::{
    LoungeStore, ModLogEntry, NewPost, NewReport, NewThread, Notification, PollView, Post,
    PostEdit, Report, Sanction, SearchHit, SearchQuery, StoreError, StoreResult, Thread,
    ThreadQuery,
};

use crate::backend::{Db, Store};

// The statements, in the order the methods below use them.
const CREATE_THREAD_LOUNGE_THREADS: &str =
    "INSERT INTO lounge_threads (space, kind, title, tags, author_id, created_at, \
    last_activity_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *";
const CREATE_THREAD_LOUNGE_POSTS: &str =
    "INSERT INTO lounge_posts (thread_id, author_id, author_group, body, search_text, \
    pseudonymous, opening, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *";
const CREATE_THREAD_LOUNGE_POLLS: &str =
    "INSERT INTO lounge_polls (thread_id, question, options) VALUES ($1, $2, $3)";
const CREATE_THREAD_LOUNGE_FOLLOWS: &str =
    "INSERT INTO lounge_follows (thread_id, user_id) VALUES ($1, $2)";
const THREAD: &str = "SELECT * FROM lounge_threads WHERE id = $1";
const POSTS: &str = "SELECT * FROM lounge_posts WHERE thread_id = $1 ORDER BY id";
const POST: &str = "SELECT * FROM lounge_posts WHERE id = $1";
const ADD_REPLY_LOUNGE_THREADS: &str =
    "UPDATE lounge_threads SET reply_count = reply_count + 1, last_activity_at = $2 \
    WHERE id = $1 AND locked = $3";
const ADD_REPLY_LOUNGE_POSTS: &str =
    "INSERT INTO lounge_posts (thread_id, author_id, author_group, body, search_text, \
    pseudonymous, opening, created_at) VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING *";
const ADD_REPLY_LOUNGE_NOTIFICATIONS: &str =
    "INSERT INTO lounge_notifications (user_id, thread_id, post_id, kind, created_at) \
    SELECT user_id, $1, $2, 'reply', $3 FROM lounge_follows \
    WHERE thread_id = $1 AND user_id <> $4";
const ADD_REPLY_INSERT_LOUNGE_FOLLOWS: &str =
    "INSERT INTO lounge_follows (thread_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
const EDIT_POST_LOUNGE_POST_EDITS: &str =
    "INSERT INTO lounge_post_edits (post_id, body, replaced_at) \
    SELECT id, body, $2 FROM lounge_posts WHERE id = $1";
const EDIT_POST_UPDATE_LOUNGE_POSTS: &str =
    "UPDATE lounge_posts SET body = $2, search_text = $3, edited_at = $4 \
    WHERE id = $1 RETURNING *";
const POST_EDITS: &str =
    "SELECT body, replaced_at FROM lounge_post_edits WHERE post_id = $1 ORDER BY id";
const VOTE_HELPFUL_LOUNGE_VOTES: &str =
    "INSERT INTO lounge_votes (post_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
const VOTE_HELPFUL_UPDATE_LOUNGE_POSTS: &str =
    "UPDATE lounge_posts SET helpful = helpful + 1 WHERE id = $1";
const VOTE_HELPFUL_LOUNGE_THREADS: &str =
    "UPDATE lounge_threads SET helpful_count = helpful_count + 1 \
    WHERE id = (SELECT thread_id FROM lounge_posts WHERE id = $1)";
const ACCEPT_ANSWER_LOUNGE_THREADS: &str =
    "UPDATE lounge_threads SET accepted_post_id = $2, last_activity_at = $3 WHERE id = $1";
const ACCEPT_ANSWER_LOUNGE_NOTIFICATIONS: &str =
    "INSERT INTO lounge_notifications (user_id, thread_id, post_id, kind, created_at) \
    SELECT author_id, thread_id, id, 'accepted', $2 FROM lounge_posts WHERE id = $1";
const POLL: &str = "SELECT choice FROM lounge_poll_votes WHERE thread_id = $1 AND user_id = $2";
const VOTE_POLL: &str = "INSERT INTO lounge_poll_votes (thread_id, user_id, choice) \
    SELECT thread_id, $2, $3 FROM lounge_polls WHERE thread_id = $1 \
    ON CONFLICT (thread_id, user_id) DO UPDATE SET choice = excluded.choice";
const IS_FOLLOWING: &str =
    "SELECT COUNT(*) FROM lounge_follows WHERE thread_id = $1 AND user_id = $2";
const SET_BOOKMARK_INSERT_LOUNGE_BOOKMARKS: &str =
    "INSERT INTO lounge_bookmarks (thread_id, user_id, created_at) VALUES ($1, $2, $3) \
    ON CONFLICT DO NOTHING";
const SET_BOOKMARK_DELETE_LOUNGE_BOOKMARKS: &str =
    "DELETE FROM lounge_bookmarks WHERE thread_id = $1 AND user_id = $2";
const BOOKMARKS: &str =
    "SELECT t.* FROM lounge_bookmarks b JOIN lounge_threads t ON t.id = b.thread_id \
    WHERE b.user_id = $1 ORDER BY b.created_at DESC LIMIT 200";
const IS_BOOKMARKED: &str =
    "SELECT COUNT(*) FROM lounge_bookmarks WHERE thread_id = $1 AND user_id = $2";
const NOTIFICATIONS: &str =
    "SELECT n.id, n.thread_id, n.post_id, n.kind, n.created_at, n.read_at, t.title \
    FROM lounge_notifications n JOIN lounge_threads t ON t.id = n.thread_id \
    WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2";
const MARK_NOTIFICATIONS_READ: &str =
    "UPDATE lounge_notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL";
const POSTS_SINCE: &str =
    "SELECT COUNT(*) FROM lounge_posts WHERE author_id = $1 AND created_at >= $2";
const REPORT_POST_INSERT_LOUNGE_REPORTS: &str =
    "INSERT INTO lounge_reports (post_id, reporter_id, reason, note, created_at) \
    VALUES ($1, $2, $3, $4, $5) RETURNING id";
const REPORT_POST_SELECT_LOUNGE_REPORTS: &str =
    "SELECT r.id, r.post_id, p.thread_id, r.reporter_id, r.reason, r.note, r.created_at, \
    r.resolved_at, r.resolution FROM lounge_reports r JOIN lounge_posts p ON p.id = r.post_id \
    WHERE r.id = $1";
const OPEN_REPORTS: &str =
    "SELECT r.id, r.post_id, p.thread_id, r.reporter_id, r.reason, r.note, r.created_at, \
    r.resolved_at, r.resolution FROM lounge_reports r JOIN lounge_posts p ON p.id = r.post_id \
    WHERE r.resolved_at IS NULL ORDER BY r.id LIMIT $1";
const RESOLVE_REPORTS: &str =
    "UPDATE lounge_reports SET resolved_at = $3, resolved_by = $2, resolution = $4 \
    WHERE post_id = $1 AND resolved_at IS NULL";
const SET_POST_STATE: &str = "UPDATE lounge_posts SET state = $2 WHERE id = $1";
const SET_THREAD_LOCKED: &str = "UPDATE lounge_threads SET locked = $2 WHERE id = $1";
const ADD_SANCTION: &str =
    "INSERT INTO lounge_sanctions (user_id, kind, reason, until_at, by_id, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING *";
const SANCTIONS: &str = "SELECT * FROM lounge_sanctions WHERE user_id = $1 ORDER BY id";
const LIFT_SUSPENSIONS: &str = "UPDATE lounge_sanctions SET lifted_at = $2 WHERE user_id = $1 \
    AND kind = 'suspension' AND lifted_at IS NULL";
const LOG_MODERATION: &str =
    "INSERT INTO lounge_moderation_log (action, target, reason, moderator_id, created_at) \
    VALUES ($1, $2, $3, $4, $5) RETURNING *";
const MODERATION_LOG: &str = "SELECT * FROM lounge_moderation_log ORDER BY id DESC LIMIT $1";

#[async_trait]
impl LoungeStore for Store {
    async fn create_thread(&self, new: NewThread) -> StoreResult<(Thread, Post)> {
        let p = &new.opening;
        let mut tx = self.begin_write().await?;
        let thread = sqlx::query_as::<Db, Thread>(CREATE_THREAD_LOUNGE_THREADS)
            .bind(&new.space)
            .bind(&new.kind)
            .bind(&new.title)
            .bind(&new.tags)
            .bind(p.author_id)
            .bind(p.at)
            .fetch_one(&mut *tx)
            .await?;
        let post = sqlx::query_as::<Db, Post>(CREATE_THREAD_LOUNGE_POSTS)
            .bind(thread.id)
            .bind(p.author_id)
            .bind(&p.author_group)
            .bind(&p.body)
            .bind(format!("{}\n{}", new.title, p.body))
            .bind(p.pseudonymous)
            .bind(true)
            .bind(p.at)
            .fetch_one(&mut *tx)
            .await?;
        if let Some((question, options)) = &new.poll {
            sqlx::query::<Db>(CREATE_THREAD_LOUNGE_POLLS)
                .bind(thread.id)
                .bind(question)
                .bind(options.join("\n"))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query::<Db>(CREATE_THREAD_LOUNGE_FOLLOWS)
            .bind(thread.id)
            .bind(p.author_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((thread, post))
    }

    async fn thread(&self, id: i64) -> StoreResult<Option<Thread>> {
        Ok(sqlx::query_as::<Db, Thread>(THREAD)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn threads(&self, q: &ThreadQuery) -> StoreResult<Vec<Thread>> {
        use Sort;
        let (filter, order) = match q.sort {
            Sort::Active => ("", "last_activity_at DESC, id DESC"),
            Sort::New => ("", "created_at DESC, id DESC"),
            Sort::Top => ("", "helpful_count DESC, last_activity_at DESC, id DESC"),
            Sort::Unanswered => (
                " AND kind <> 'discussion' AND accepted_post_id IS NULL AND reply_count = 0",
                "created_at DESC, id DESC",
            ),
        };
        let sql = format!(
            "SELECT * FROM lounge_threads WHERE ($1 IS NULL OR space = $1) \
             AND ($2 IS NULL OR tags LIKE $2) AND ($3 IS NULL OR kind = $3){filter} \
             AND EXISTS (SELECT 1 FROM lounge_posts p WHERE p.thread_id = lounge_threads.id \
             AND p.opening = $5 AND p.state <> 'removed') \
             ORDER BY {order} LIMIT $4"
        );
        Ok(sqlx::query_as::<Db, Thread>(&sql)
            .bind(&q.space)
            .bind(q.tag.as_ref().map(|t| format!("%,{t},%")))
            .bind(&q.kind)
            .bind(q.limit)
            .bind(true)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn posts(&self, thread_id: i64) -> StoreResult<Vec<Post>> {
        Ok(sqlx::query_as::<Db, Post>(POSTS)
            .bind(thread_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn post(&self, id: i64) -> StoreResult<Option<Post>> {
        Ok(sqlx::query_as::<Db, Post>(POST)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    async fn add_reply(&self, new: NewPost) -> StoreResult<Post> {
        let mut tx = self.begin_write().await?;
        let bumped = sqlx::query::<Db>(ADD_REPLY_LOUNGE_THREADS)
            .bind(new.thread_id)
            .bind(new.at)
            .bind(false)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if bumped == 0 {
            return Err(match self.thread(new.thread_id).await? {
                Some(_) => StoreError::InvalidState("the thread is locked"),
                None => StoreError::NotFound,
            });
        }
        let post = sqlx::query_as::<Db, Post>(ADD_REPLY_LOUNGE_POSTS)
            .bind(new.thread_id)
            .bind(new.author_id)
            .bind(&new.author_group)
            .bind(&new.body)
            .bind(new.pseudonymous)
            .bind(false)
            .bind(new.at)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query::<Db>(ADD_REPLY_LOUNGE_NOTIFICATIONS)
            .bind(new.thread_id)
            .bind(post.id)
            .bind(new.at)
            .bind(new.author_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query::<Db>(ADD_REPLY_INSERT_LOUNGE_FOLLOWS)
            .bind(new.thread_id)
            .bind(new.author_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(post)
    }

    async fn edit_post(
        &self,
        id: i64,
        body: &str,
        search_text: &str,
        at: Millis,
    ) -> StoreResult<Post> {
        let mut tx = self.begin_write().await?;
        let kept = sqlx::query::<Db>(EDIT_POST_LOUNGE_POST_EDITS)
            .bind(id)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if kept == 0 {
            return Err(StoreError::NotFound);
        }
        let post = sqlx::query_as::<Db, Post>(EDIT_POST_UPDATE_LOUNGE_POSTS)
            .bind(id)
            .bind(body)
            .bind(search_text)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(post)
    }

    async fn post_edits(&self, post_id: i64) -> StoreResult<Vec<PostEdit>> {
        Ok(sqlx::query_as::<Db, PostEdit>(POST_EDITS)
            .bind(post_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn vote_helpful(&self, post_id: i64, user_id: i64) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let added = sqlx::query::<Db>(VOTE_HELPFUL_LOUNGE_VOTES)
            .bind(post_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if added > 0 {
            sqlx::query::<Db>(VOTE_HELPFUL_UPDATE_LOUNGE_POSTS)
                .bind(post_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query::<Db>(VOTE_HELPFUL_LOUNGE_THREADS)
                .bind(post_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(added > 0)
    }

    async fn accept_answer(&self, thread_id: i64, post_id: i64, at: Millis) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query::<Db>(ACCEPT_ANSWER_LOUNGE_THREADS)
            .bind(thread_id)
            .bind(post_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        sqlx::query::<Db>(ACCEPT_ANSWER_LOUNGE_NOTIFICATIONS)
            .bind(post_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn poll(&self, thread_id: i64, user_id: i64) -> StoreResult<Option<PollView>> {
        let row: Option<(String, String)> = sqlx::query_as::<Db, (String, String)>(
            "SELECT question, options FROM lounge_polls WHERE thread_id = $1",
        )
        .bind(thread_id)
        .fetch_optional(&mut *self.reader().await?)
        .await?;
        let Some((question, options)) = row else {
            return Ok(None);
        };
        let options: Vec<String> = options.lines().map(str::to_string).collect();
        let votes: Vec<(i64, i64)> = sqlx::query_as::<Db, (i64, i64)>(
            "SELECT choice, COUNT(*) FROM lounge_poll_votes WHERE thread_id = $1 GROUP BY choice",
        )
        .bind(thread_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        let mut counts = vec![0; options.len()];
        for (choice, n) in votes {
            if let Some(c) = usize::try_from(choice).ok().and_then(|i| counts.get_mut(i)) {
                *c = n;
            }
        }
        let mine: Option<i64> = sqlx::query_scalar::<Db, i64>(POLL)
            .bind(thread_id)
            .bind(user_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(Some(PollView {
            question,
            options,
            counts,
            mine,
        }))
    }

    async fn vote_poll(&self, thread_id: i64, user_id: i64, choice: i64) -> StoreResult<()> {
        let written = sqlx::query::<Db>(VOTE_POLL)
            .bind(thread_id)
            .bind(user_id)
            .bind(choice)
            .execute(&mut *self.writer().await?)
            .await?
            .rows_affected();
        if written == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_follow(&self, thread_id: i64, user_id: i64, follow: bool) -> StoreResult<()> {
        let sql = if follow {
            "INSERT INTO lounge_follows (thread_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM lounge_follows WHERE thread_id = $1 AND user_id = $2"
        };
        sqlx::query::<Db>(sql)
            .bind(thread_id)
            .bind(user_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn is_following(&self, thread_id: i64, user_id: i64) -> StoreResult<bool> {
        Ok(sqlx::query_scalar::<Db, i64>(IS_FOLLOWING)
            .bind(thread_id)
            .bind(user_id)
            .fetch_one(&mut *self.reader().await?)
            .await?
            > 0)
    }

    async fn set_bookmark(
        &self,
        thread_id: i64,
        user_id: i64,
        on: bool,
        at: Millis,
    ) -> StoreResult<()> {
        if on {
            sqlx::query::<Db>(SET_BOOKMARK_INSERT_LOUNGE_BOOKMARKS)
                .bind(thread_id)
                .bind(user_id)
                .bind(at)
                .execute(&mut *self.writer().await?)
                .await?;
        } else {
            sqlx::query::<Db>(SET_BOOKMARK_DELETE_LOUNGE_BOOKMARKS)
                .bind(thread_id)
                .bind(user_id)
                .execute(&mut *self.writer().await?)
                .await?;
        }
        Ok(())
    }

    async fn bookmarks(&self, user_id: i64) -> StoreResult<Vec<Thread>> {
        Ok(sqlx::query_as::<Db, Thread>(BOOKMARKS)
            .bind(user_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn is_bookmarked(&self, thread_id: i64, user_id: i64) -> StoreResult<bool> {
        Ok(sqlx::query_scalar::<Db, i64>(IS_BOOKMARKED)
            .bind(thread_id)
            .bind(user_id)
            .fetch_one(&mut *self.reader().await?)
            .await?
            > 0)
    }

    async fn notifications(&self, user_id: i64, limit: i64) -> StoreResult<Vec<Notification>> {
        Ok(sqlx::query_as::<Db, Notification>(NOTIFICATIONS)
            .bind(user_id)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn mark_notifications_read(&self, user_id: i64, at: Millis) -> StoreResult<u64> {
        Ok(sqlx::query::<Db>(MARK_NOTIFICATIONS_READ)
            .bind(user_id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?
            .rows_affected())
    }

    async fn posts_since(&self, author_id: i64, since: Millis) -> StoreResult<i64> {
        Ok(sqlx::query_scalar::<Db, i64>(POSTS_SINCE)
            .bind(author_id)
            .bind(since)
            .fetch_one(&mut *self.reader().await?)
            .await?)
    }

    async fn search(&self, query: &SearchQuery) -> StoreResult<Vec<SearchHit>> {
        self.search_lounge_fts(query).await
    }

    async fn report_post(&self, new: NewReport) -> StoreResult<Report> {
        let id: i64 = sqlx::query_scalar::<Db, i64>(REPORT_POST_INSERT_LOUNGE_REPORTS)
            .bind(new.post_id)
            .bind(new.reporter_id)
            .bind(&new.reason)
            .bind(&new.note)
            .bind(new.at)
            .fetch_one(&mut *self.writer().await?)
            .await?;
        sqlx::query_as::<Db, Report>(REPORT_POST_SELECT_LOUNGE_REPORTS)
            .bind(id)
            .fetch_one(&mut *self.writer().await?)
            .await
            .map_err(Into::into)
    }

    async fn open_reports(&self, limit: i64) -> StoreResult<Vec<Report>> {
        Ok(sqlx::query_as::<Db, Report>(OPEN_REPORTS)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn resolve_reports(
        &self,
        post_id: i64,
        by: i64,
        resolution: &str,
        at: Millis,
    ) -> StoreResult<u64> {
        Ok(sqlx::query::<Db>(RESOLVE_REPORTS)
            .bind(post_id)
            .bind(by)
            .bind(at)
            .bind(resolution)
            .execute(&mut *self.writer().await?)
            .await?
            .rows_affected())
    }

    async fn set_post_state(&self, post_id: i64, state: &str) -> StoreResult<()> {
        let n = sqlx::query::<Db>(SET_POST_STATE)
            .bind(post_id)
            .bind(state)
            .execute(&mut *self.writer().await?)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_thread_locked(&self, thread_id: i64, locked: bool) -> StoreResult<()> {
        let n = sqlx::query::<Db>(SET_THREAD_LOCKED)
            .bind(thread_id)
            .bind(locked)
            .execute(&mut *self.writer().await?)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn add_sanction(&self, s: Sanction) -> StoreResult<Sanction> {
        Ok(sqlx::query_as::<Db, Sanction>(ADD_SANCTION)
            .bind(s.user_id)
            .bind(&s.kind)
            .bind(&s.reason)
            .bind(s.until_at)
            .bind(s.by_id)
            .bind(s.created_at)
            .fetch_one(&mut *self.writer().await?)
            .await?)
    }

    async fn sanctions(&self, user_id: i64) -> StoreResult<Vec<Sanction>> {
        Ok(sqlx::query_as::<Db, Sanction>(SANCTIONS)
            .bind(user_id)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    async fn lift_suspensions(&self, user_id: i64, at: Millis) -> StoreResult<u64> {
        Ok(sqlx::query::<Db>(LIFT_SUSPENSIONS)
            .bind(user_id)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?
            .rows_affected())
    }

    async fn log_moderation(&self, e: ModLogEntry) -> StoreResult<ModLogEntry> {
        Ok(sqlx::query_as::<Db, ModLogEntry>(LOG_MODERATION)
            .bind(&e.action)
            .bind(&e.target)
            .bind(&e.reason)
            .bind(e.moderator_id)
            .bind(e.created_at)
            .fetch_one(&mut *self.writer().await?)
            .await?)
    }

    async fn moderation_log(&self, limit: i64) -> StoreResult<Vec<ModLogEntry>> {
        Ok(sqlx::query_as::<Db, ModLogEntry>(MODERATION_LOG)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }
}
