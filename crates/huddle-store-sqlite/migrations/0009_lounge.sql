-- The lounge: threads in spaces, their posts (with edit history), helpful votes, polls,
-- follows, bookmarks, notifications, reports and the moderation record. Flags are
-- INTEGER 0/1, which sqlx reads as bool, as PostgreSQL's BOOLEAN columns are read.

CREATE TABLE lounge_threads (
    id INTEGER PRIMARY KEY,
    space TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('case', 'question', 'discussion')),
    title TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    author_id INTEGER NOT NULL REFERENCES users(id),
    accepted_post_id INTEGER,
    locked INTEGER NOT NULL DEFAULT 0,
    reply_count INTEGER NOT NULL DEFAULT 0,
    helpful_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL
);
CREATE INDEX lounge_threads_by_space ON lounge_threads (space, last_activity_at);

CREATE TABLE lounge_posts (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES lounge_threads(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    -- The author's specialty group when they wrote it: the badge beside the post.
    author_group TEXT,
    body TEXT NOT NULL,
    -- The thread title on the opening post, so search finds threads by their title.
    search_text TEXT NOT NULL,
    pseudonymous INTEGER NOT NULL DEFAULT 0,
    opening INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'visible' CHECK (state IN ('visible', 'hidden', 'removed')),
    helpful INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    edited_at INTEGER
);
CREATE INDEX lounge_posts_by_thread ON lounge_posts (thread_id, id);
CREATE INDEX lounge_posts_by_author ON lounge_posts (author_id, created_at);

CREATE VIRTUAL TABLE lounge_search USING fts5 (
    search_text, content = 'lounge_posts', content_rowid = 'id', tokenize = 'porter unicode61'
);
CREATE TRIGGER lounge_posts_ai AFTER INSERT ON lounge_posts BEGIN
    INSERT INTO lounge_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER lounge_posts_ad AFTER DELETE ON lounge_posts BEGIN
    INSERT INTO lounge_search (lounge_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER lounge_posts_au AFTER UPDATE OF search_text ON lounge_posts BEGIN
    INSERT INTO lounge_search (lounge_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO lounge_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TABLE lounge_post_edits (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES lounge_posts(id),
    body TEXT NOT NULL,
    replaced_at INTEGER NOT NULL
);
CREATE INDEX lounge_post_edits_by_post ON lounge_post_edits (post_id, id);

CREATE TABLE lounge_votes (
    post_id INTEGER NOT NULL REFERENCES lounge_posts(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (post_id, user_id)
);

CREATE TABLE lounge_polls (
    thread_id INTEGER PRIMARY KEY REFERENCES lounge_threads(id),
    question TEXT NOT NULL,
    -- One option per line.
    options TEXT NOT NULL
);
CREATE TABLE lounge_poll_votes (
    thread_id INTEGER NOT NULL REFERENCES lounge_polls(thread_id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    choice INTEGER NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);

CREATE TABLE lounge_follows (
    thread_id INTEGER NOT NULL REFERENCES lounge_threads(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (thread_id, user_id)
);
CREATE TABLE lounge_bookmarks (
    thread_id INTEGER NOT NULL REFERENCES lounge_threads(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);

CREATE TABLE lounge_notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    thread_id INTEGER NOT NULL REFERENCES lounge_threads(id),
    post_id INTEGER NOT NULL REFERENCES lounge_posts(id),
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'accepted')),
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX lounge_notifications_by_user ON lounge_notifications (user_id, id);

CREATE TABLE lounge_reports (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES lounge_posts(id),
    reporter_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users(id),
    resolution TEXT
);
CREATE INDEX lounge_reports_open ON lounge_reports (resolved_at, id);

CREATE TABLE lounge_sanctions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('warning', 'suspension')),
    reason TEXT NOT NULL,
    until_at INTEGER,
    lifted_at INTEGER,
    by_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX lounge_sanctions_by_user ON lounge_sanctions (user_id);

-- Public: what was done and why, never who wrote the post or what it said.
CREATE TABLE lounge_moderation_log (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL,
    moderator_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
