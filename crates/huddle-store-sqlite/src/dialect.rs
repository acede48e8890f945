//! Where SQLite's SQL differs from the shared SQL (`crates/huddle-store/sql/`), which calls
//! these methods by name: full-text search through FTS5, and folding the write-ahead log
//! after an erasure. Appending a message is in `append.rs`.

use huddle_store::{Resource, SearchHit, SearchQuery, StoreResult};
use sqlx::Sqlite;

use crate::SqliteStore;

impl SqliteStore {
    /// Folds the write-ahead log back into the file, so old page images of erased rows do
    /// not linger in it.
    pub(crate) async fn after_erase(&self) -> Result<(), sqlx::Error> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// FTS5: each word of the query must match (as a prefix), best matches first.
    pub(crate) async fn search_resources_fts(
        &self,
        organization_id: Option<i64>,
        query: &str,
    ) -> StoreResult<Vec<Resource>> {
        let Some(terms) = fts5_query(query) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query_as::<Sqlite, Resource>(
            "SELECT r.* FROM resources_fts JOIN resources r ON r.id = resources_fts.rowid \
             WHERE resources_fts MATCH $1 AND (r.organization_id IS NULL OR r.organization_id = $2) \
             ORDER BY bm25(resources_fts) LIMIT 50",
        )
        .bind(terms)
        .bind(organization_id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// FTS5 over lounge posts (thread titles ride on opening posts), visible posts only,
    /// best matches first.
    pub(crate) async fn search_lounge_fts(&self, q: &SearchQuery) -> StoreResult<Vec<SearchHit>> {
        let Some(terms) = fts5_query(&q.words) else {
            return Ok(Vec::new());
        };
        // Ranking every match of a common word is what makes search slow on a large
        // lounge, so only the most recent matches are ranked: FTS5 walks its index newest
        // first and stops after `CANDIDATES`.
        Ok(sqlx::query_as::<Sqlite, SearchHit>(
            "SELECT p.id AS post_id, p.thread_id, t.title, t.space, t.kind, p.body \
             FROM (SELECT rowid, rank FROM lounge_search WHERE lounge_search MATCH $1 \
                   ORDER BY rowid DESC LIMIT $6) s \
             JOIN lounge_posts p ON p.id = s.rowid \
             JOIN lounge_threads t ON t.id = p.thread_id \
             WHERE p.state = 'visible' \
               AND ($2 IS NULL OR t.space = $2) AND ($3 IS NULL OR t.tags LIKE $3) \
               AND ($4 IS NULL OR t.kind = $4) \
             ORDER BY s.rank LIMIT $5",
        )
        .bind(terms)
        .bind(&q.space)
        .bind(q.tag.as_ref().map(|t| format!("%,{t},%")))
        .bind(&q.kind)
        .bind(q.limit)
        .bind(LOUNGE_SEARCH_CANDIDATES)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }
}

/// How many of the newest matching posts a lounge search ranks (see `search_lounge_fts`).
const LOUNGE_SEARCH_CANDIDATES: i64 = 2_000;

/// An FTS5 query in which each word of what a person typed must match as a prefix; `None`
/// when nothing searchable was typed. Quoting every word keeps FTS5 syntax out of reach.
fn fts5_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(12)
        .map(|t| format!("\"{t}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}
