//! Well-being check-ins and the resource hub. A response is stored sealed (AEAD under the
//! clinician's own data key, itself wrapped by the master key): the instrument, answers and
//! scores are all inside `sealed`, so the table shows a database reader only that someone
//! checked in, and when. Deleting a clinician's data deletes their key as well.

use async_trait::async_trait;
use huddle_core::clock::Millis;

use crate::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SealedResponse {
    pub id: i64,
    pub user_id: i64,
    /// Groups the instruments answered in one sitting.
    pub checkin_id: String,
    pub submitted_at: Millis,
    pub sealed: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct NewSealedResponse {
    pub user_id: i64,
    pub organization_id: Option<i64>,
    pub department_id: Option<i64>,
    pub checkin_id: String,
    pub submitted_at: Millis,
    pub sealed: Vec<u8>,
}

/// An entry of the resource hub: curated (no organization) or added by an organization.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Resource {
    pub id: i64,
    pub organization_id: Option<i64>,
    /// Stable key of a curated entry (`988-lifeline`); empty for local entries.
    pub slug: String,
    pub title: String,
    pub body: String,
    pub contact: String,
    pub url: String,
    /// crisis, php, eap, professional, coaching, peer, learning, guide
    pub kind: String,
    /// individual or organizational
    pub level: String,
    /// Comma-separated structural drivers (workload, documentation, …).
    pub drivers: String,
    /// Comma-separated audiences (clinician, physician, leader).
    pub audience: String,
}

#[async_trait]
pub trait WellbeingStore {
    async fn save_response(&self, response: NewSealedResponse) -> StoreResult<SealedResponse>;
    /// The clinician's own responses, oldest first.
    async fn responses(&self, user_id: i64) -> StoreResult<Vec<SealedResponse>>;
    /// One of the clinician's own responses; another person's id finds nothing.
    async fn response(&self, user_id: i64, id: i64) -> StoreResult<Option<SealedResponse>>;
    /// Deletes every response, the data key and the reminder setting; returns how many
    /// responses went.
    async fn erase_wellbeing_data(&self, user_id: i64) -> StoreResult<u64>;
    async fn reminder_days(&self, user_id: i64) -> StoreResult<Option<i64>>;
    async fn set_reminder_days(&self, user_id: i64, days: Option<i64>) -> StoreResult<()>;

    /// Inserts or updates curated entries by slug.
    async fn upsert_curated_resources(&self, resources: &[Resource]) -> StoreResult<()>;
    async fn add_resource(&self, resource: &Resource) -> StoreResult<Resource>;
    /// Curated entries and those of the organization, by kind then title.
    async fn resources(&self, organization_id: Option<i64>) -> StoreResult<Vec<Resource>>;
    /// Only the organization's own entries can be deleted.
    async fn delete_resource(&self, organization_id: i64, id: i64) -> StoreResult<bool>;
    /// Full-text search with the backend's own engine (FTS5, tsvector).
    async fn search_resources(
        &self,
        organization_id: Option<i64>,
        query: &str,
    ) -> StoreResult<Vec<Resource>>;

    /// The organization's urgent contact, shown with crisis help.
    async fn urgent_contact(&self, organization_id: i64) -> StoreResult<Option<String>>;
    async fn set_urgent_contact(
        &self,
        organization_id: i64,
        contact: Option<&str>,
    ) -> StoreResult<()>;
}
