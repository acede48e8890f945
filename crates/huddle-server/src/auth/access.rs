//! Authorization in one place. Each check returns a value that proves it was made — an
//! administrator of organization N, a leader of organization N, a verifier, a pager, a
//! lounge member, a conversation member — and actions take or build these values instead
//! of looking at roles. Their fields are private: nothing outside this module can make one
//! without passing its check. Pages and handlers ask the predicates at the bottom only to
//! decide what to show.

use huddle_core::clock::DAY;
use huddle_core::identity::{specialty, Role, SpecialtyGroup, VerificationStatus};
use huddle_core::lounge::moderation;
use huddle_store::Conversation;

use super::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// A system administrator: organizations, the audit log, instance-wide roles.
#[derive(Debug, Clone, Copy)]
pub struct SystemAdmin {
    pub id: i64,
}

impl SystemAdmin {
    pub fn of(p: &Principal) -> Result<SystemAdmin, ApiError> {
        if p.has(Role::SystemAdmin) {
            Ok(SystemAdmin { id: p.id() })
        } else {
            Err(ApiError::forbidden("this needs the system admin role"))
        }
    }
}

/// An administrator of one organization: its org admin, or a system admin acting in it.
#[derive(Debug, Clone, Copy)]
pub struct OrgAdmin {
    organization_id: i64,
    pub id: i64,
}

impl OrgAdmin {
    pub fn of(p: &Principal, organization_id: i64) -> Result<OrgAdmin, ApiError> {
        if p.has(Role::SystemAdmin)
            || (p.has(Role::OrgAdmin) && p.user.organization_id == Some(organization_id))
        {
            Ok(OrgAdmin {
                organization_id,
                id: p.id(),
            })
        } else {
            Err(ApiError::forbidden(
                "you do not administer this organization",
            ))
        }
    }

    /// An org admin of their own organization, or a system admin (of none in particular).
    pub fn of_any(p: &Principal) -> Result<(), ApiError> {
        if p.has(Role::SystemAdmin) || p.has(Role::OrgAdmin) {
            Ok(())
        } else {
            Err(ApiError::forbidden("your roles do not allow this"))
        }
    }

    pub fn organization_id(&self) -> i64 {
        self.organization_id
    }
}

/// An organization's directory speaking SCIM, proven by its bearer credential (`hks_…`, a
/// live one: revoked credentials are refused). It reaches only its own organization's
/// members and groups; it is never a `Principal`.
#[derive(Debug, Clone, Copy)]
pub struct Directory {
    credential_id: i64,
    organization_id: i64,
    /// The org admin who created the credential.
    owner: Option<i64>,
}

impl Directory {
    pub async fn of_credential(state: &AppState, secret: &str) -> Result<Directory, ApiError> {
        let refused = || {
            ApiError::unauthenticated(
                "the SCIM credential is not valid (revoked or mistyped): send Authorization: Bearer hks_…",
            )
        };
        if !secret.starts_with(crate::actions::scim::CREDENTIAL_PREFIX) {
            return Err(refused());
        }
        let credential = state
            .store
            .scim_credential_by_secret(&super::secrets::hash_secret(secret))
            .await?
            .ok_or_else(refused)?;
        let now = state.now();
        if credential
            .last_used_at
            .is_none_or(|t| now - t > huddle_core::clock::MINUTE)
        {
            state
                .store
                .touch_scim_credential(credential.id, now)
                .await?;
        }
        Ok(Directory {
            credential_id: credential.id,
            organization_id: credential.organization_id,
            owner: credential.created_by,
        })
    }

    pub fn organization_id(&self) -> i64 {
        self.organization_id
    }

    pub fn credential_id(&self) -> i64 {
        self.credential_id
    }

    pub fn owner(&self) -> Option<i64> {
        self.owner
    }
}

/// Someone who may read an organization's schedule: its members and administrators.
#[derive(Debug, Clone, Copy)]
pub struct OrgReader {
    organization_id: i64,
}

impl OrgReader {
    pub fn of(p: &Principal, organization_id: i64) -> Result<OrgReader, ApiError> {
        if p.user.organization_id == Some(organization_id)
            || OrgAdmin::of(p, organization_id).is_ok()
        {
            Ok(OrgReader { organization_id })
        } else {
            Err(ApiError::forbidden("not your organization"))
        }
    }

    pub fn organization_id(&self) -> i64 {
        self.organization_id
    }
}

/// A well-being lead or organization admin: sees their organization's de-identified
/// aggregates, never a person's answers.
#[derive(Debug, Clone, Copy)]
pub struct Leader {
    organization_id: i64,
    pub id: i64,
}

impl Leader {
    pub fn of(p: &Principal) -> Result<Leader, ApiError> {
        if !(p.has(Role::WellbeingLead) || p.has(Role::OrgAdmin)) {
            return Err(ApiError::forbidden("your roles do not allow this"));
        }
        let organization_id = p
            .user
            .organization_id
            .ok_or_else(|| ApiError::forbidden("you belong to no organization"))?;
        Ok(Leader {
            organization_id,
            id: p.id(),
        })
    }

    pub fn organization_id(&self) -> i64 {
        self.organization_id
    }
}

/// A verifier: decides physicians' verification requests.
#[derive(Debug, Clone, Copy)]
pub struct Verifier {
    pub id: i64,
}

impl Verifier {
    pub fn of(p: &Principal) -> Result<Verifier, ApiError> {
        if p.has(Role::Verifier) {
            Ok(Verifier { id: p.id() })
        } else {
            Err(ApiError::forbidden("this needs the verifier role"))
        }
    }
}

/// A physician or clinician of an organization: may page.
#[derive(Debug, Clone)]
pub struct Pager {
    organization_id: i64,
    /// The practice team whose page urgencies apply (`physicians` for physicians).
    pub team: String,
    pub id: i64,
}

impl Pager {
    pub fn of(p: &Principal) -> Result<Pager, ApiError> {
        let organization_id = p
            .user
            .organization_id
            .ok_or_else(|| ApiError::forbidden("join an organization to page"))?;
        if !(p.has(Role::Physician) || p.has(Role::Clinician)) {
            return Err(ApiError::forbidden(
                "paging is for the organization's physicians and clinicians",
            ));
        }
        let team = if p.has(Role::Physician) {
            "physicians".to_string()
        } else {
            p.user.team.clone()
        };
        Ok(Pager {
            organization_id,
            team,
            id: p.id(),
        })
    }

    pub fn organization_id(&self) -> i64 {
        self.organization_id
    }
}

/// A verified physician in the lounge, with their specialty group.
#[derive(Debug, Clone, Copy)]
pub struct LoungeMember {
    pub id: i64,
    pub group: Option<SpecialtyGroup>,
    pub moderator: bool,
}

impl LoungeMember {
    /// The gate of every lounge route: a verified physician, or 403.
    pub async fn of(state: &AppState, p: &Principal) -> Result<LoungeMember, ApiError> {
        let refused = || ApiError::forbidden("the lounge is open to verified physicians only");
        if !p.has(Role::Physician) {
            return Err(refused());
        }
        let request = state.store.latest_verification(p.id()).await?;
        if request.as_ref().map(|r| r.status) != Some(VerificationStatus::Verified) {
            return Err(refused());
        }
        Ok(LoungeMember {
            id: p.id(),
            group: request
                .and_then(|r| specialty(&r.specialty_code))
                .map(|s| s.group),
            moderator: p.has(Role::Moderator),
        })
    }

    /// A member who may write now: not suspended, and within the daily limit.
    pub async fn writer(state: &AppState, p: &Principal) -> Result<LoungeMember, ApiError> {
        let m = LoungeMember::of(state, p).await?;
        let now = state.now();
        let suspended = state.store.sanctions(m.id).await?.into_iter().find(|s| {
            s.kind == "suspension" && s.lifted_at.is_none() && s.until_at.is_none_or(|u| u > now)
        });
        if let Some(s) = suspended {
            return Err(ApiError::forbidden(match s.until_at {
                Some(until) => format!(
                    "your lounge posting is suspended for {} more day(s): {}",
                    (until - now + DAY - 1) / DAY,
                    s.reason
                ),
                None => format!("your lounge posting is suspended: {}", s.reason),
            }));
        }
        let recent = state.store.posts_since(m.id, now - DAY).await?;
        moderation::may_post(p.user.created_at, recent, now)
            .map_err(|e| ApiError::too_many(e.0, 3600))?;
        Ok(m)
    }

    /// A lounge moderator.
    pub fn moderator(self) -> Result<LoungeMember, ApiError> {
        if self.moderator {
            Ok(self)
        } else {
            Err(ApiError::forbidden("only lounge moderators do this"))
        }
    }
}

/// A member of a conversation, with the conversation.
#[derive(Debug, Clone)]
pub struct ConversationMember {
    pub conversation: Conversation,
}

impl ConversationMember {
    /// The conversation, if the person is a member; 404 if it does not exist, 403 if
    /// theirs it is not.
    pub async fn of(
        state: &AppState,
        p: &Principal,
        conversation_id: i64,
    ) -> Result<ConversationMember, ApiError> {
        let conversation = state
            .store
            .conversation(conversation_id)
            .await?
            .ok_or_else(|| ApiError::not_found("no conversation with this id"))?;
        if state.store.member(conversation_id, p.id()).await?.is_none() {
            return Err(ApiError::forbidden(
                "you are not a member of this conversation",
            ));
        }
        Ok(ConversationMember { conversation })
    }
}

/// For pages deciding what to show (never to authorize an action).
pub mod shows {
    use super::*;

    pub fn physician(p: &Principal) -> bool {
        p.has(Role::Physician)
    }

    pub fn verifier(p: &Principal) -> bool {
        Verifier::of(p).is_ok()
    }

    pub fn admin(p: &Principal) -> bool {
        OrgAdmin::of_any(p).is_ok()
    }

    pub fn system_admin(p: &Principal) -> bool {
        SystemAdmin::of(p).is_ok()
    }

    pub fn leader(p: &Principal) -> bool {
        Leader::of(p).is_ok()
    }

    pub fn pager(p: &Principal) -> bool {
        Pager::of(p).is_ok()
    }
}
