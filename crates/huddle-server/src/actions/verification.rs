//! Physician verification: a physician submits NPI, licence and specialty; a verifier
//! approves or rejects with a reason. Only a verified physician reaches physician-only
//! features, and any new submission (a licence change) sends them back to review.

use huddle_core::audit::AuditAction;
use huddle_core::identity::nppes::{self, NppesMatch, NppesProvider};
use huddle_core::identity::{
    specialty, LicenseNumber, LicenseState, Npi, Role, VerificationStatus,
};
use huddle_store::{Decision, NewVerification, NppesRecord, User, VerificationRequest};
use serde_json::json;

use super::audit::record;
use crate::auth::access::Verifier;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

pub struct Submission<'a> {
    pub npi: &'a str,
    pub license_state: &'a str,
    pub license_number: &'a str,
    pub specialty_code: &'a str,
}

pub async fn submit(
    state: &AppState,
    principal: &Principal,
    s: Submission<'_>,
) -> Result<VerificationRequest, ApiError> {
    let npi = Npi::parse(s.npi).map_err(ApiError::at("npi"))?;
    let license_state =
        LicenseState::parse(s.license_state).map_err(ApiError::at("license_state"))?;
    let license_number =
        LicenseNumber::parse(s.license_number).map_err(ApiError::at("license_number"))?;
    let specialty = specialty(s.specialty_code.trim()).ok_or_else(|| {
        ApiError::invalid(
            "specialty_code",
            "choose a physician specialty from the NUCC taxonomy list",
        )
    })?;
    let previous = state.store.latest_verification(principal.id()).await?;
    let request = state
        .store
        .submit_verification(NewVerification {
            user_id: principal.id(),
            npi,
            license_state,
            license_number,
            specialty,
            submitted_at: state.now(),
        })
        .await?;
    let licence_changed = previous.as_ref().is_some_and(|p| {
        p.license_state != request.license_state || p.license_number != request.license_number
    });
    record(
        state,
        Some(principal.id()),
        AuditAction::VerificationSubmitted,
        format!("verification:{}", request.id),
        json!({
            "was": previous.map(|p| p.status.as_str()),
            "licence_changed": licence_changed,
        }),
    )
    .await?;
    Ok(request)
}

/// A person's verification status and the request behind it.
pub async fn status(
    state: &AppState,
    user_id: i64,
) -> Result<(VerificationStatus, Option<VerificationRequest>), ApiError> {
    let latest = state.store.latest_verification(user_id).await?;
    let status = latest
        .as_ref()
        .map_or(VerificationStatus::Unverified, |r| r.status);
    Ok((status, latest))
}

/// True for a physician whose latest request was approved: the gate of physician-only
/// features.
pub async fn is_verified_physician(state: &AppState, user: &User) -> Result<bool, ApiError> {
    if !user.roles.has(Role::Physician) {
        return Ok(false);
    }
    Ok(status(state, user.id).await?.0 == VerificationStatus::Verified)
}

/// A request as the verifier sees it, with who filed it and how it compares with NPPES.
pub struct QueueItem {
    pub request: VerificationRequest,
    pub display_name: String,
    pub email: String,
    pub specialty_name: &'static str,
    /// `None` when no NPPES extract row exists for the NPI.
    pub nppes: Option<NppesMatch>,
}

pub async fn queue(state: &AppState, verifier: &Principal) -> Result<Vec<QueueItem>, ApiError> {
    Verifier::of(verifier)?;
    let pending = state.store.pending_verifications(200).await?;
    let mut items = Vec::with_capacity(pending.len());
    for request in pending {
        let user = state.store.user(request.user_id).await?;
        let (display_name, email) = user.map(|u| (u.display_name, u.email)).unwrap_or_default();
        let nppes = state.store.nppes_record(&request.npi).await?.map(|r| {
            nppes::compare(
                &provider(r),
                &display_name,
                &request.license_state,
                &request.license_number,
                &request.specialty_code,
            )
        });
        let specialty_name =
            specialty(&request.specialty_code).map_or("Unknown specialty", |s| s.display_name);
        items.push(QueueItem {
            request,
            display_name,
            email,
            specialty_name,
            nppes,
        });
    }
    // Licence numbers and NPIs of every applicant: reading the queue is audited.
    record(
        state,
        Some(verifier.id()),
        AuditAction::SensitiveRead,
        "verification:queue",
        json!({ "requests": items.len() }),
    )
    .await?;
    Ok(items)
}

pub async fn decide(
    state: &AppState,
    verifier: &Principal,
    id: i64,
    approve: bool,
    reason: &str,
) -> Result<VerificationRequest, ApiError> {
    Verifier::of(verifier)?;
    let reason = reason.trim();
    if reason.chars().count() > 500 {
        return Err(ApiError::invalid(
            "reason",
            "keep the reason to 500 characters",
        ));
    }
    if !approve && reason.is_empty() {
        return Err(ApiError::invalid(
            "reason",
            "say why the request is rejected; the physician sees it",
        ));
    }
    let request = state
        .store
        .verification(id)
        .await?
        .ok_or_else(|| ApiError::not_found("no verification request with this id"))?;
    if request.user_id == verifier.id() {
        return Err(ApiError::forbidden(
            "a verifier cannot decide their own request",
        ));
    }
    let reason = if reason.is_empty() {
        "approved"
    } else {
        reason
    };
    let decided = state
        .store
        .decide_verification(
            id,
            &Decision {
                decided_by: verifier.id(),
                approve,
                reason: reason.to_string(),
                at: state.now(),
            },
        )
        .await?;
    // The physician role (which makes someone an alert recipient and a lounge member) is
    // granted by this decision only, never by asking for it.
    if approve {
        if let Some(user) = state.store.user(decided.user_id).await? {
            if !user.roles.has(Role::Physician) {
                let roles = user.roles.with(Role::Physician);
                state.store.set_roles(user.id, &roles).await?;
                record(
                    state,
                    Some(verifier.id()),
                    AuditAction::RolesChanged,
                    format!("user:{}", user.id),
                    json!({ "roles": roles.to_stored(), "by": "verification" }),
                )
                .await?;
            }
        }
    }
    let action = if approve {
        AuditAction::VerificationApproved
    } else {
        AuditAction::VerificationRejected
    };
    record(
        state,
        Some(verifier.id()),
        action,
        format!("verification:{id}"),
        json!({ "user": decided.user_id, "reason": reason }),
    )
    .await?;
    Ok(decided)
}

fn provider(r: NppesRecord) -> NppesProvider {
    let split = |s: &str| {
        s.split(',')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    NppesProvider {
        licenses: split(&r.licenses),
        taxonomy_codes: split(&r.taxonomy_codes),
        npi: r.npi,
        entity_type: r.entity_type,
        last_name: r.last_name,
        first_name: r.first_name,
    }
}

/// The stored form of an extract row.
pub fn nppes_record(p: NppesProvider) -> NppesRecord {
    NppesRecord {
        licenses: p.licenses.join(","),
        taxonomy_codes: p.taxonomy_codes.join(","),
        npi: p.npi,
        entity_type: p.entity_type,
        last_name: p.last_name,
        first_name: p.first_name,
    }
}
