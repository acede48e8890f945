//! Insights: de-identified monthly contributions (one row per clinician per month: screen
//! outcomes and driver scores under a keyed pseudonym, never a user id, never an answer,
//! never PHQ-9 item 9), routing's monthly burden per physician in the same shape, the
//! current headcount per group, and the interventions registry.

use async_trait::async_trait;
use huddle_core::clock::Millis;
use huddle_core::insights::{BurdenContribution, Contribution, Period};

use crate::StoreResult;

/// A current member of an organization, as headcounts see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headcount {
    pub department_id: Option<i64>,
    pub roles: huddle_core::identity::Roles,
    pub team: String,
    /// NUCC code of the approved verification, or empty.
    pub specialty: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewIntervention {
    pub organization_id: i64,
    pub name: String,
    /// `individual` or `structural`.
    pub level: String,
    /// Targeted drivers, comma-separated (`workload,documentation`).
    pub drivers: String,
    /// Department ids, comma-separated; empty for the whole organization.
    pub units: String,
    pub starts: Period,
    /// Yearly cost in whole dollars.
    pub cost: i64,
    pub created_by: Option<i64>,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Intervention {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub level: String,
    pub drivers: String,
    pub units: String,
    pub starts: Period,
    pub cost: i64,
    pub created_by: Option<i64>,
    pub created_at: Millis,
}

#[async_trait]
pub trait InsightsStore {
    /// Adds a check-in's outcomes to the person's row for the month: fields this check-in
    /// did not answer keep their earlier value; the groups are replaced by the current ones.
    async fn record_contribution(
        &self,
        organization_id: i64,
        contribution: &Contribution,
    ) -> StoreResult<()>;
    /// Many at once, in one transaction (demo data and benchmarks).
    async fn record_contributions(
        &self,
        organization_id: i64,
        contributions: &[Contribution],
    ) -> StoreResult<u64>;
    /// Contributions of the months `from..until` (until excluded), by period.
    async fn contributions(
        &self,
        organization_id: i64,
        from: Period,
        until: Period,
    ) -> StoreResult<Vec<Contribution>>;

    /// Replaces the burden rows of one month and marks the month as computed.
    async fn save_burden(
        &self,
        organization_id: i64,
        period: Period,
        rows: &[BurdenContribution],
    ) -> StoreResult<()>;
    /// The months whose burden has been computed.
    async fn burden_periods(&self, organization_id: i64) -> StoreResult<Vec<Period>>;
    async fn burden(
        &self,
        organization_id: i64,
        from: Period,
        until: Period,
    ) -> StoreResult<Vec<BurdenContribution>>;

    /// Everyone currently in the organization, with the groups they count in.
    async fn headcount(&self, organization_id: i64) -> StoreResult<Vec<Headcount>>;

    async fn create_intervention(&self, new: NewIntervention) -> StoreResult<Intervention>;
    /// The organization's interventions, newest start first.
    async fn interventions(&self, organization_id: i64) -> StoreResult<Vec<Intervention>>;
    async fn delete_intervention(&self, organization_id: i64, id: i64) -> StoreResult<bool>;
}
