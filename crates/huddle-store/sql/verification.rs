//! Physician verification requests and the NPPES registry copy.

use huddle_store::sql::{all, async_trait};
use huddle_store::{
    Decision, NewVerification, NppesRecord, StoreError, StoreResult, VerificationRequest,
    VerificationStore,
};

use huddle_core::identity::VerificationStatus;

use crate::backend::{Db, Store};

// The statements, in the order the methods below use them.
const SUBMIT_VERIFICATION_UPDATE_VERIFICATION_REQUESTS: &str =
    "UPDATE verification_requests SET status = 'superseded' \
    WHERE user_id = $1 AND status = 'pending'";
const SUBMIT_VERIFICATION_INSERT_VERIFICATION_REQUESTS: &str =
    "INSERT INTO verification_requests (user_id, npi, license_state, license_number, \
    specialty_code, status, submitted_at) \
    VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING *";
const LATEST_VERIFICATION: &str =
    "SELECT * FROM verification_requests WHERE user_id = $1 ORDER BY id DESC LIMIT 1";
const VERIFICATION: &str = "SELECT * FROM verification_requests WHERE id = $1";
const PENDING_VERIFICATIONS: &str = "SELECT * FROM verification_requests WHERE status = 'pending' \
    ORDER BY submitted_at, id LIMIT $1";
const DECIDE_VERIFICATION: &str =
    "UPDATE verification_requests SET status = $2, decided_by = $3, decided_at = $4, \
    reason = $5 WHERE id = $1 AND status = 'pending' RETURNING *";
const UPSERT_NPPES_RECORDS: &str =
    "INSERT INTO nppes_records (npi, entity_type, last_name, first_name, licenses, \
    taxonomy_codes) VALUES ($1, $2, $3, $4, $5, $6) \
    ON CONFLICT (npi) DO UPDATE SET entity_type = excluded.entity_type, \
    last_name = excluded.last_name, first_name = excluded.first_name, \
    licenses = excluded.licenses, taxonomy_codes = excluded.taxonomy_codes";
const NPPES_RECORD: &str = "SELECT * FROM nppes_records WHERE npi = $1";

#[async_trait]
impl VerificationStore for Store {
    async fn submit_verification(&self, new: NewVerification) -> StoreResult<VerificationRequest> {
        let mut tx = self.begin_write().await?;
        sqlx::query(SUBMIT_VERIFICATION_UPDATE_VERIFICATION_REQUESTS)
            .bind(new.user_id)
            .execute(&mut *tx)
            .await?;
        let row =
            sqlx::query_as::<Db, VerificationRow>(SUBMIT_VERIFICATION_INSERT_VERIFICATION_REQUESTS)
                .bind(new.user_id)
                .bind(new.npi.as_str())
                .bind(new.license_state.as_str())
                .bind(new.license_number.as_str())
                .bind(new.specialty.code)
                .bind(new.submitted_at)
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        row.try_into()
    }

    async fn latest_verification(&self, user_id: i64) -> StoreResult<Option<VerificationRequest>> {
        sqlx::query_as::<Db, VerificationRow>(LATEST_VERIFICATION)
            .bind(user_id)
            .fetch_optional(&mut *self.reader().await?)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    async fn verification(&self, id: i64) -> StoreResult<Option<VerificationRequest>> {
        sqlx::query_as::<Db, VerificationRow>(VERIFICATION)
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    async fn pending_verifications(&self, limit: i64) -> StoreResult<Vec<VerificationRequest>> {
        let rows = sqlx::query_as::<Db, VerificationRow>(PENDING_VERIFICATIONS)
            .bind(limit)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        all(rows)
    }

    async fn decide_verification(&self, id: i64, d: &Decision) -> StoreResult<VerificationRequest> {
        let status = if d.approve { "verified" } else { "rejected" };
        let row = sqlx::query_as::<Db, VerificationRow>(DECIDE_VERIFICATION)
            .bind(id)
            .bind(status)
            .bind(d.decided_by)
            .bind(d.at)
            .bind(&d.reason)
            .fetch_optional(&mut *self.writer().await?)
            .await?;
        match row {
            Some(row) => row.try_into(),
            None => match VerificationStore::verification(self, id).await? {
                Some(_) => Err(StoreError::InvalidState(
                    "this request was already decided or replaced",
                )),
                None => Err(StoreError::NotFound),
            },
        }
    }

    async fn upsert_nppes_records(&self, records: &[NppesRecord]) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        for r in records {
            sqlx::query(UPSERT_NPPES_RECORDS)
                .bind(&r.npi)
                .bind(r.entity_type)
                .bind(&r.last_name)
                .bind(&r.first_name)
                .bind(&r.licenses)
                .bind(&r.taxonomy_codes)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(records.len() as u64)
    }

    async fn nppes_record(&self, npi: &str) -> StoreResult<Option<NppesRecord>> {
        let row = sqlx::query_as::<Db, NppesRecord>(NPPES_RECORD)
            .bind(npi)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row)
    }
}

/// A verification request as stored: `status` is text until it parses.
#[derive(sqlx::FromRow)]
pub(crate) struct VerificationRow {
    pub(crate) id: i64,
    pub(crate) user_id: i64,
    pub(crate) npi: String,
    pub(crate) license_state: String,
    pub(crate) license_number: String,
    pub(crate) specialty_code: String,
    pub(crate) status: String,
    pub(crate) submitted_at: i64,
    pub(crate) decided_by: Option<i64>,
    pub(crate) decided_at: Option<i64>,
    pub(crate) reason: Option<String>,
}

impl TryFrom<VerificationRow> for VerificationRequest {
    type Error = StoreError;
    fn try_from(r: VerificationRow) -> Result<Self, StoreError> {
        let status = VerificationStatus::parse(&r.status).ok_or_else(|| {
            StoreError::Corrupt(format!("verification {}: status {}", r.id, r.status))
        })?;
        Ok(VerificationRequest {
            id: r.id,
            user_id: r.user_id,
            npi: r.npi,
            license_state: r.license_state,
            license_number: r.license_number,
            specialty_code: r.specialty_code,
            status,
            submitted_at: r.submitted_at,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            reason: r.reason,
        })
    }
}
