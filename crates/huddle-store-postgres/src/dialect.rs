//! Where PostgreSQL's SQL differs from the shared SQL (`crates/huddle-store/sql/`), which
//! calls these methods by name: full-text search through tsvector, and vacuuming after an
//! erasure. Appending a message is in `append.rs`.

use huddle_store::{Resource, SearchHit, SearchQuery, StoreResult};
use sqlx::Postgres;

use crate::PgStore;

impl PgStore {
    /// Reclaims the dead tuples of erased rows now rather than at the next autovacuum.
    pub(crate) async fn after_erase(&self) -> Result<(), sqlx::Error> {
        sqlx::raw_sql("VACUUM wellbeing_responses, wellbeing_keys")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// tsvector search with the English configuration, best matches first.
    pub(crate) async fn search_resources_fts(
        &self,
        organization_id: Option<i64>,
        query: &str,
    ) -> StoreResult<Vec<Resource>> {
        let rows = sqlx::query_as::<Postgres, Resource>(
            "SELECT * FROM resources \
             WHERE to_tsvector('english', title || ' ' || body || ' ' || kind || ' ' || drivers) \
                   @@ plainto_tsquery('english', $1) \
               AND (organization_id IS NULL OR organization_id = $2) \
             ORDER BY ts_rank(to_tsvector('english', title || ' ' || body || ' ' || kind || ' ' || drivers), \
                              plainto_tsquery('english', $1)) DESC \
             LIMIT 50",
        )
        .bind(query)
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// tsvector search over lounge posts (thread titles ride on opening posts), visible
    /// posts only, best matches first.
    pub(crate) async fn search_lounge_fts(&self, q: &SearchQuery) -> StoreResult<Vec<SearchHit>> {
        Ok(sqlx::query_as::<Postgres, SearchHit>(
            "SELECT p.id AS post_id, p.thread_id, t.title, t.space, t.kind, p.body \
             FROM lounge_posts p JOIN lounge_threads t ON t.id = p.thread_id \
             WHERE to_tsvector('english', p.search_text) @@ plainto_tsquery('english', $1) \
               AND p.state = 'visible' \
               AND ($2::text IS NULL OR t.space = $2) AND ($3::text IS NULL OR t.tags LIKE $3) \
               AND ($4::text IS NULL OR t.kind = $4) \
             ORDER BY ts_rank(to_tsvector('english', p.search_text), plainto_tsquery('english', $1)) DESC \
             LIMIT $5",
        )
        .bind(&q.words)
        .bind(&q.space)
        .bind(q.tag.as_ref().map(|t| format!("%,{t},%")))
        .bind(&q.kind)
        .bind(q.limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
