//! The audit log is a hash chain: each entry's hash covers its own fields and the hash of
//! the entry before it, so an edited, deleted or reordered entry breaks the chain from that
//! point on, and `huddle audit verify` can name the first bad one.

use sha2::{Digest, Sha256};

use crate::clock::Millis;

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a security event is about. Stored as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    AccountLocked,
    SignOut,
    Registered,
    /// A sign-up for an email that already has an account: nothing was created, and the
    /// answer was the same as for a new one.
    RegistrationEmailTaken,
    PasswordChanged,
    MfaEnabled,
    MfaDisabled,
    ApiTokenCreated,
    ApiTokenRevoked,
    /// A person registered a passkey (named) on their account.
    PasskeyAdded,
    /// A person removed one of their passkeys.
    PasskeyRemoved,
    /// A passkey signed someone in: passwordless, or as the second factor after a password.
    PasskeyUsed,
    /// A passkey's sign counter went backwards: the credential may have been copied. The
    /// sign-in was refused.
    PasskeyCloneSuspected,
    RolesChanged,
    MembershipChanged,
    /// An administrator deactivated an account: its sessions, tokens, devices and live
    /// sockets ended with it.
    AccountDeactivated,
    AccountReactivated,
    UserCreated,
    OrganizationCreated,
    DepartmentCreated,
    VerificationSubmitted,
    VerificationApproved,
    VerificationRejected,
    NppesImported,
    /// Someone looked at a record that holds sensitive data (a verification file, say).
    SensitiveRead,
    /// A clinician saved, exported or erased their own check-ins. The entry never says
    /// which instrument or what was answered.
    WellbeingSaved,
    WellbeingExported,
    WellbeingErased,
    /// A leader opened de-identified aggregates (which metric, grouping and period).
    InsightsViewed,
    /// A leader downloaded aggregates as CSV.
    InsightsExported,
    InterventionAdded,
    InterventionRemoved,
    ResourceAdded,
    ResourceRemoved,
    UrgentContactChanged,
    /// Someone read a conversation's messages (every read is attributable).
    ConversationRead,
    RetentionChanged,
    RetentionEnforced,
    KeysRotated,
    TeamChanged,
    /// An organization's or a person's time zone was set.
    TimeZoneChanged,
    /// An administrator saved a new version of the routing policy.
    RoutingPolicyChanged,
    /// Shifts were imported or replaced.
    ShiftsImported,
    /// Someone opened an alert (its text may name a patient).
    AlertRead,
    /// An unacknowledged interrupt moved up its escalation ladder.
    AlertEscalated,
    /// A physician's shift ended with an alert unanswered: it went to whoever took over.
    AlertHandedOver,
    /// An alert came in (from a feed or a person's page) and was stored and routed.
    AlertReceived,
    /// A sender reused an alert id for other content: both are kept, this one flagged.
    AlertConflict,
    /// Alert intake was refused: a person at a machine's door, a feed outside its scope,
    /// an HL7 sender not registered or from an address not on its list.
    AlertRefused,
    /// The physician an alert reached acknowledged it.
    AlertAcknowledged,
    /// An administrator registered a feed and its credential was shown once.
    IntegrationRegistered,
    /// An administrator revoked a feed's credential.
    IntegrationRevoked,
    /// An administrator set, changed or removed the organization's SMS or paging gateway,
    /// or read its signing secret.
    GatewayChanged,
    /// A physician published a lounge post the PHI guard flagged, with a reason. The entry
    /// names the identifier types, never the flagged text.
    LoungePhiOverride,
    /// A moderator saw who wrote a pseudonymous post, with a reason.
    LoungeIdentityRevealed,
    /// A moderator acted on a post, a thread or a member.
    LoungeModerated,
    /// An administrator invited an address to the organization (the link went by mail).
    InvitationSent,
    InvitationRevoked,
    /// The invited person joined from the link in their mailbox.
    InvitationAccepted,
    /// A person proved their address with the link mailed to it.
    EmailVerified,
    /// Someone asked for a password-reset link (sent only when the address has an account).
    PasswordResetRequested,
    /// A password was set from a reset link; every session and token ended.
    PasswordReset,
    /// The owner of an address took over an account a stranger had opened with it and
    /// never proved.
    AccountReclaimed,
    /// An org admin created a SCIM directory credential (shown once) or revoked one.
    ScimCredentialCreated,
    ScimCredentialRevoked,
    /// The directory changed a member's attributes or groups over SCIM (creations,
    /// deactivations and removals are recorded under their own actions, with the credential).
    ScimUserChanged,
    /// The directory created, changed or deleted a group, or an org admin mapped one to a
    /// department and roles.
    ScimGroupChanged,
    /// An administrator saved or removed the organization's single sign-on settings.
    SsoChanged,
    /// A sign-in through the organization's identity provider was refused (a bad or
    /// tampered answer, an address outside its domains, an account elsewhere or deactivated).
    SsoSignInRefused,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::AccountLocked => "account_locked",
            Self::SignOut => "sign_out",
            Self::Registered => "registered",
            Self::RegistrationEmailTaken => "registration_email_taken",
            Self::PasswordChanged => "password_changed",
            Self::MfaEnabled => "mfa_enabled",
            Self::MfaDisabled => "mfa_disabled",
            Self::ApiTokenCreated => "api_token_created",
            Self::ApiTokenRevoked => "api_token_revoked",
            Self::PasskeyAdded => "passkey_added",
            Self::PasskeyRemoved => "passkey_removed",
            Self::PasskeyUsed => "passkey_used",
            Self::PasskeyCloneSuspected => "passkey_clone_suspected",
            Self::RolesChanged => "roles_changed",
            Self::AccountDeactivated => "account_deactivated",
            Self::AccountReactivated => "account_reactivated",
            Self::MembershipChanged => "membership_changed",
            Self::UserCreated => "user_created",
            Self::OrganizationCreated => "organization_created",
            Self::DepartmentCreated => "department_created",
            Self::VerificationSubmitted => "verification_submitted",
            Self::VerificationApproved => "verification_approved",
            Self::VerificationRejected => "verification_rejected",
            Self::NppesImported => "nppes_imported",
            Self::SensitiveRead => "sensitive_read",
            Self::WellbeingSaved => "wellbeing_saved",
            Self::WellbeingExported => "wellbeing_exported",
            Self::WellbeingErased => "wellbeing_erased",
            Self::InsightsViewed => "insights_viewed",
            Self::InsightsExported => "insights_exported",
            Self::InterventionAdded => "intervention_added",
            Self::InterventionRemoved => "intervention_removed",
            Self::ResourceAdded => "resource_added",
            Self::ResourceRemoved => "resource_removed",
            Self::UrgentContactChanged => "urgent_contact_changed",
            Self::ConversationRead => "conversation_read",
            Self::RetentionChanged => "retention_changed",
            Self::RetentionEnforced => "retention_enforced",
            Self::KeysRotated => "keys_rotated",
            Self::TeamChanged => "team_changed",
            Self::TimeZoneChanged => "time_zone_changed",
            Self::RoutingPolicyChanged => "routing_policy_changed",
            Self::ShiftsImported => "shifts_imported",
            Self::AlertRead => "alert_read",
            Self::AlertEscalated => "alert_escalated",
            Self::AlertHandedOver => "alert_handed_over",
            Self::AlertReceived => "alert_received",
            Self::AlertConflict => "alert_conflict",
            Self::AlertRefused => "alert_refused",
            Self::AlertAcknowledged => "alert_acknowledged",
            Self::IntegrationRegistered => "integration_registered",
            Self::IntegrationRevoked => "integration_revoked",
            Self::GatewayChanged => "gateway_changed",
            Self::LoungePhiOverride => "lounge_phi_override",
            Self::LoungeIdentityRevealed => "lounge_identity_revealed",
            Self::LoungeModerated => "lounge_moderated",
            Self::InvitationSent => "invitation_sent",
            Self::InvitationRevoked => "invitation_revoked",
            Self::InvitationAccepted => "invitation_accepted",
            Self::EmailVerified => "email_verified",
            Self::PasswordResetRequested => "password_reset_requested",
            Self::PasswordReset => "password_reset",
            Self::AccountReclaimed => "account_reclaimed",
            Self::ScimCredentialCreated => "scim_credential_created",
            Self::ScimCredentialRevoked => "scim_credential_revoked",
            Self::ScimUserChanged => "scim_user_changed",
            Self::ScimGroupChanged => "scim_group_changed",
            Self::SsoChanged => "sso_changed",
            Self::SsoSignInRefused => "sso_sign_in_refused",
        }
    }
}

/// One stored entry, as the chain sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainedEntry {
    pub seq: i64,
    pub at: Millis,
    pub actor_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: SHA-256 over the previous hash and every field, each
/// length-prefixed so that no two different entries can serialize alike.
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at: Millis,
    actor_id: Option<i64>,
    action: &str,
    target: &str,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    let actor = actor_id.map(|a| a.to_string()).unwrap_or_default();
    let seq = seq.to_string();
    let at = at.to_string();
    for field in [prev_hash, &seq, &at, &actor, action, target, detail] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Where a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {seq}: its contents do not match its hash (edited)")]
    Edited { seq: i64 },
    #[error("entry {seq}: expected sequence number {expected} (an entry before it was deleted or moved)")]
    Gap { seq: i64, expected: i64 },
    #[error(
        "entry {seq}: it does not follow the entry before it (reordered or an entry was removed)"
    )]
    Unlinked { seq: i64 },
    #[error("the log ends at entry {last} but the chain head records entry {head}: entries at the end were deleted")]
    Truncated { last: i64, head: i64 },
}

/// Checks entries in stored order, starting from the first. `head` is the last sequence
/// number and hash the store recorded separately, which catches deletion at the end.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = &'a ChainedEntry>,
    mut expected_prev: String,
    mut expected_seq: i64,
    head: Option<(i64, &str)>,
) -> Result<(i64, String), ChainBreak> {
    let mut last = expected_seq - 1;
    for e in entries {
        if e.seq != expected_seq {
            return Err(ChainBreak::Gap {
                seq: e.seq,
                expected: expected_seq,
            });
        }
        let recomputed = entry_hash(
            &e.prev_hash,
            e.seq,
            e.at,
            e.actor_id,
            &e.action,
            &e.target,
            &e.detail,
        );
        if recomputed != e.hash {
            return Err(ChainBreak::Edited { seq: e.seq });
        }
        if e.prev_hash != expected_prev {
            return Err(ChainBreak::Unlinked { seq: e.seq });
        }
        expected_prev = e.hash.clone();
        last = e.seq;
        expected_seq += 1;
    }
    if let Some((head_seq, head_hash)) = head {
        if head_seq != last || (last > 0 && head_hash != expected_prev) {
            return Err(ChainBreak::Truncated {
                last,
                head: head_seq,
            });
        }
    }
    Ok((last, expected_prev))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<ChainedEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let hash = entry_hash(&prev, seq, seq * 10, Some(7), "sign_in", "user:7", "{}");
                let e = ChainedEntry {
                    seq,
                    at: seq * 10,
                    actor_id: Some(7),
                    action: "sign_in".into(),
                    target: "user:7".into(),
                    detail: "{}".into(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[ChainedEntry], head: Option<(i64, &str)>) -> Result<i64, ChainBreak> {
        verify_chain(entries, GENESIS_HASH.to_string(), 1, head).map(|(last, _)| last)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, Some((5, &c[4].hash))), Ok(5));
        assert_eq!(verify(&[], Some((0, GENESIS_HASH))), Ok(0));
    }

    #[test]
    fn edited_entry_is_named() {
        let mut c = chain(5);
        c[2].detail = "{\"ip\":\"elsewhere\"}".into();
        assert_eq!(verify(&c, None), Err(ChainBreak::Edited { seq: 3 }));
    }

    #[test]
    fn edit_with_recomputed_hash_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].action = "sign_out".into();
        c[2].hash = entry_hash(&c[2].prev_hash, 3, 30, Some(7), "sign_out", "user:7", "{}");
        assert_eq!(verify(&c, None), Err(ChainBreak::Unlinked { seq: 4 }));
    }

    #[test]
    fn deleted_entry_is_named() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(
            verify(&c, None),
            Err(ChainBreak::Gap {
                seq: 3,
                expected: 2
            })
        );
    }

    #[test]
    fn reordered_entries_are_named() {
        let mut c = chain(5);
        c.swap(1, 2);
        assert_eq!(
            verify(&c, None),
            Err(ChainBreak::Gap {
                seq: 3,
                expected: 2
            })
        );
        // Renumbered to hide the swap: the hashes no longer match.
        c[1].seq = 2;
        c[2].seq = 3;
        assert_eq!(verify(&c, None), Err(ChainBreak::Edited { seq: 2 }));
    }

    #[test]
    fn truncated_tail_is_caught_by_the_head() {
        let c = chain(5);
        let head = c[4].hash.clone();
        assert_eq!(
            verify(&c[..4], Some((5, &head))),
            Err(ChainBreak::Truncated { last: 4, head: 5 })
        );
    }
}
