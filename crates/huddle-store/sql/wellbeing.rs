//! Well-being: sealed check-in answers, reminders, the resource hub. Full-text search
//! is the backend's own (`search_resources_fts`).

use huddle_store::sql::{async_trait, one_row};
use huddle_store::{NewSealedResponse, Resource, SealedResponse, StoreResult, WellbeingStore};

use crate::backend::{Db, Store};

// The statements, in the order the methods below use them.
const SAVE_RESPONSE: &str =
    "INSERT INTO wellbeing_responses (user_id, organization_id, department_id, checkin_id, \
    submitted_at, sealed) VALUES ($1, $2, $3, $4, $5, $6) \
    RETURNING id, user_id, checkin_id, submitted_at, sealed";
const RESPONSES: &str =
    "SELECT id, user_id, checkin_id, submitted_at, sealed FROM wellbeing_responses \
    WHERE user_id = $1 ORDER BY submitted_at, id";
const RESPONSE: &str =
    "SELECT id, user_id, checkin_id, submitted_at, sealed FROM wellbeing_responses \
    WHERE user_id = $1 AND id = $2";
const ERASE_WELLBEING_DATA: &str = "DELETE FROM wellbeing_responses WHERE user_id = $1";
const REMINDER_DAYS: &str = "SELECT reminder_days FROM wellbeing_settings WHERE user_id = $1";
const SET_REMINDER_DAYS: &str =
    "INSERT INTO wellbeing_settings (user_id, reminder_days) VALUES ($1, $2) \
    ON CONFLICT (user_id) DO UPDATE SET reminder_days = excluded.reminder_days";
const UPSERT_CURATED_RESOURCES: &str =
    "INSERT INTO resources (organization_id, slug, title, body, contact, url, kind, level, \
    drivers, audience) VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, $8, $9) \
    ON CONFLICT (slug) WHERE organization_id IS NULL DO UPDATE SET title = excluded.title, \
    body = excluded.body, contact = excluded.contact, url = excluded.url, kind = excluded.kind, \
    level = excluded.level, drivers = excluded.drivers, audience = excluded.audience";
const ADD_RESOURCE: &str =
    "INSERT INTO resources (organization_id, slug, title, body, contact, url, kind, level, \
    drivers, audience) VALUES ($1, '', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *";
const RESOURCES: &str =
    "SELECT * FROM resources WHERE organization_id IS NULL OR organization_id = $1 \
    ORDER BY kind, title";
const DELETE_RESOURCE: &str = "DELETE FROM resources WHERE id = $1 AND organization_id = $2";
const URGENT_CONTACT: &str = "SELECT urgent_contact FROM organizations WHERE id = $1";
const SET_URGENT_CONTACT: &str = "UPDATE organizations SET urgent_contact = $2 WHERE id = $1";

#[async_trait]
impl WellbeingStore for Store {
    async fn save_response(&self, r: NewSealedResponse) -> StoreResult<SealedResponse> {
        let row = sqlx::query_as::<Db, SealedResponse>(SAVE_RESPONSE)
            .bind(r.user_id)
            .bind(r.organization_id)
            .bind(r.department_id)
            .bind(&r.checkin_id)
            .bind(r.submitted_at)
            .bind(&r.sealed)
            .fetch_one(&mut *self.writer().await?)
            .await?;
        Ok(row)
    }

    async fn responses(&self, user_id: i64) -> StoreResult<Vec<SealedResponse>> {
        let rows = sqlx::query_as::<Db, SealedResponse>(RESPONSES)
            .bind(user_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn response(&self, user_id: i64, id: i64) -> StoreResult<Option<SealedResponse>> {
        let row = sqlx::query_as::<Db, SealedResponse>(RESPONSE)
            .bind(user_id)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row)
    }

    async fn erase_wellbeing_data(&self, user_id: i64) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(ERASE_WELLBEING_DATA)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for table in ["wellbeing_keys", "wellbeing_settings"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.after_erase().await?;
        Ok(done.rows_affected())
    }

    async fn reminder_days(&self, user_id: i64) -> StoreResult<Option<i64>> {
        let row: Option<(Option<i64>,)> = sqlx::query_as(REMINDER_DAYS)
            .bind(user_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row.and_then(|r| r.0))
    }

    async fn set_reminder_days(&self, user_id: i64, days: Option<i64>) -> StoreResult<()> {
        sqlx::query(SET_REMINDER_DAYS)
            .bind(user_id)
            .bind(days)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn upsert_curated_resources(&self, resources: &[Resource]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for r in resources {
            sqlx::query(UPSERT_CURATED_RESOURCES)
                .bind(&r.slug)
                .bind(&r.title)
                .bind(&r.body)
                .bind(&r.contact)
                .bind(&r.url)
                .bind(&r.kind)
                .bind(&r.level)
                .bind(&r.drivers)
                .bind(&r.audience)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn add_resource(&self, r: &Resource) -> StoreResult<Resource> {
        let row = sqlx::query_as::<Db, Resource>(ADD_RESOURCE)
            .bind(r.organization_id)
            .bind(&r.title)
            .bind(&r.body)
            .bind(&r.contact)
            .bind(&r.url)
            .bind(&r.kind)
            .bind(&r.level)
            .bind(&r.drivers)
            .bind(&r.audience)
            .fetch_one(&mut *self.writer().await?)
            .await?;
        Ok(row)
    }

    async fn resources(&self, organization_id: Option<i64>) -> StoreResult<Vec<Resource>> {
        let rows = sqlx::query_as::<Db, Resource>(RESOURCES)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn delete_resource(&self, organization_id: i64, id: i64) -> StoreResult<bool> {
        let done = sqlx::query(DELETE_RESOURCE)
            .bind(id)
            .bind(organization_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn search_resources(
        &self,
        organization_id: Option<i64>,
        query: &str,
    ) -> StoreResult<Vec<Resource>> {
        self.search_resources_fts(organization_id, query).await
    }

    async fn urgent_contact(&self, organization_id: i64) -> StoreResult<Option<String>> {
        let row: Option<(Option<String>,)> = sqlx::query_as(URGENT_CONTACT)
            .bind(organization_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row.and_then(|r| r.0))
    }

    async fn set_urgent_contact(
        &self,
        organization_id: i64,
        contact: Option<&str>,
    ) -> StoreResult<()> {
        let done = sqlx::query(SET_URGENT_CONTACT)
            .bind(organization_id)
            .bind(contact)
            .execute(&mut *self.writer().await?)
            .await?;
        one_row(done.rows_affected())
    }
}
