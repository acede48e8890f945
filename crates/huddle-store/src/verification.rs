//! Physician verification: requests, decisions, and an optional NPPES extract to check
//! them against.

use async_trait::async_trait;
use huddle_core::clock::Millis;
use huddle_core::identity::{LicenseNumber, LicenseState, Npi, Specialty, VerificationStatus};

use crate::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationRequest {
    pub id: i64,
    pub user_id: i64,
    pub npi: String,
    pub license_state: String,
    pub license_number: String,
    pub specialty_code: String,
    pub status: VerificationStatus,
    pub submitted_at: Millis,
    pub decided_by: Option<i64>,
    pub decided_at: Option<Millis>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewVerification {
    pub user_id: i64,
    pub npi: Npi,
    pub license_state: LicenseState,
    pub license_number: LicenseNumber,
    pub specialty: &'static Specialty,
    pub submitted_at: Millis,
}

#[derive(Debug, Clone)]
pub struct Decision {
    pub decided_by: i64,
    pub approve: bool,
    pub reason: String,
    pub at: Millis,
}

/// The columns of an NPPES data dissemination row that verification compares.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NppesRecord {
    pub npi: String,
    /// 1 = individual, 2 = organization.
    pub entity_type: i64,
    pub last_name: String,
    pub first_name: String,
    /// `STATE:NUMBER` pairs, comma-separated, upper-case.
    pub licenses: String,
    /// NUCC codes, comma-separated.
    pub taxonomy_codes: String,
}

#[async_trait]
pub trait VerificationStore {
    /// Files a request as `pending`. Any earlier pending request of the same person is
    /// superseded, and a verified person goes back to review until this one is decided.
    async fn submit_verification(&self, new: NewVerification) -> StoreResult<VerificationRequest>;
    /// The request that decides the person's status now.
    async fn latest_verification(&self, user_id: i64) -> StoreResult<Option<VerificationRequest>>;
    async fn verification(&self, id: i64) -> StoreResult<Option<VerificationRequest>>;
    /// Oldest first, as a verifier works them.
    async fn pending_verifications(&self, limit: i64) -> StoreResult<Vec<VerificationRequest>>;
    /// `InvalidState` when the request is not pending any more; `NotFound` when absent.
    async fn decide_verification(
        &self,
        id: i64,
        decision: &Decision,
    ) -> StoreResult<VerificationRequest>;

    /// Inserts or replaces rows by NPI; returns how many were written.
    async fn upsert_nppes_records(&self, records: &[NppesRecord]) -> StoreResult<u64>;
    async fn nppes_record(&self, npi: &str) -> StoreResult<Option<NppesRecord>>;
}
