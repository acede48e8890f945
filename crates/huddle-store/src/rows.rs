//! Rows as both backends return them, and their conversion into domain types. The
//! `FromRow` derives are generic over the database, so one definition serves both.

use huddle_core::audit::ChainedEntry;
use huddle_core::identity::{Roles, VerificationStatus};

use crate::{
    ApiToken, Department, NppesRecord, Organization, Resource, SealedResponse, Session, StoreError,
    User, VerificationRequest,
};
use crate::{Conversation, Member, StoredMessage};

#[derive(sqlx::FromRow)]
pub struct OrganizationRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

impl From<OrganizationRow> for Organization {
    fn from(r: OrganizationRow) -> Self {
        Organization {
            id: r.id,
            name: r.name,
            created_at: r.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct DepartmentRow {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
}

impl From<DepartmentRow> for Department {
    fn from(r: DepartmentRow) -> Self {
        Department {
            id: r.id,
            organization_id: r.organization_id,
            name: r.name,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub roles: String,
    pub organization_id: Option<i64>,
    pub department_id: Option<i64>,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub created_at: i64,
    pub status: String,
    pub status_message: String,
    pub team: String,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        let roles = Roles::from_stored(&r.roles)
            .map_err(|e| StoreError::Corrupt(format!("user {}: {e}", r.id)))?;
        Ok(User {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            roles,
            organization_id: r.organization_id,
            department_id: r.department_id,
            password_hash: r.password_hash,
            totp_secret: r.totp_secret,
            totp_last_step: r.totp_last_step,
            failed_logins: r.failed_logins,
            locked_until: r.locked_until,
            created_at: r.created_at,
            status: r.status,
            status_message: r.status_message,
            team: r.team,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub mfa_pending: bool,
}

impl From<SessionRow> for Session {
    fn from(r: SessionRow) -> Self {
        Session {
            id_hash: r.id_hash,
            user_id: r.user_id,
            csrf_token: r.csrf_token,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            mfa_pending: r.mfa_pending,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub token_hash: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl From<ApiTokenRow> for ApiToken {
    fn from(r: ApiTokenRow) -> Self {
        ApiToken {
            id: r.id,
            user_id: r.user_id,
            name: r.name,
            token_hash: r.token_hash,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
        }
    }
}

/// A token with its owner's row (`api_token_owner`).
#[derive(sqlx::FromRow)]
pub struct TokenOwnerRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub token_id: i64,
    pub token_name: String,
    pub token_created_at: i64,
    pub token_last_used_at: Option<i64>,
}

impl TokenOwnerRow {
    pub fn into_parts(self, token_hash: &str) -> Result<(ApiToken, User), StoreError> {
        let token = ApiToken {
            id: self.token_id,
            user_id: self.user.id,
            name: self.token_name,
            token_hash: token_hash.to_string(),
            created_at: self.token_created_at,
            last_used_at: self.token_last_used_at,
        };
        Ok((token, self.user.try_into()?))
    }
}

#[derive(sqlx::FromRow)]
pub struct VerificationRow {
    pub id: i64,
    pub user_id: i64,
    pub npi: String,
    pub license_state: String,
    pub license_number: String,
    pub specialty_code: String,
    pub status: String,
    pub submitted_at: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub reason: Option<String>,
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

#[derive(sqlx::FromRow)]
pub struct NppesRow {
    pub npi: String,
    pub entity_type: i64,
    pub last_name: String,
    pub first_name: String,
    pub licenses: String,
    pub taxonomy_codes: String,
}

impl From<NppesRow> for NppesRecord {
    fn from(r: NppesRow) -> Self {
        NppesRecord {
            npi: r.npi,
            entity_type: r.entity_type,
            last_name: r.last_name,
            first_name: r.first_name,
            licenses: r.licenses,
            taxonomy_codes: r.taxonomy_codes,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<AuditRow> for ChainedEntry {
    fn from(r: AuditRow) -> Self {
        ChainedEntry {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            action: r.action,
            target: r.target,
            detail: r.detail,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// Converts every row, failing on the first that does not parse.
pub fn all<R, T>(rows: Vec<R>) -> Result<Vec<T>, StoreError>
where
    T: TryFrom<R, Error = StoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}

#[derive(sqlx::FromRow)]
pub struct SealedResponseRow {
    pub id: i64,
    pub user_id: i64,
    pub checkin_id: String,
    pub submitted_at: i64,
    pub sealed: Vec<u8>,
}

impl From<SealedResponseRow> for SealedResponse {
    fn from(r: SealedResponseRow) -> Self {
        SealedResponse {
            id: r.id,
            user_id: r.user_id,
            checkin_id: r.checkin_id,
            submitted_at: r.submitted_at,
            sealed: r.sealed,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct ResourceRow {
    pub id: i64,
    pub organization_id: Option<i64>,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub contact: String,
    pub url: String,
    pub kind: String,
    pub level: String,
    pub drivers: String,
    pub audience: String,
}

impl From<ResourceRow> for Resource {
    fn from(r: ResourceRow) -> Self {
        Resource {
            id: r.id,
            organization_id: r.organization_id,
            slug: r.slug,
            title: r.title,
            body: r.body,
            contact: r.contact,
            url: r.url,
            kind: r.kind,
            level: r.level,
            drivers: r.drivers,
            audience: r.audience,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct ConversationRow {
    pub id: i64,
    pub organization_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub private: bool,
    pub created_by: i64,
    pub created_at: i64,
    pub last_seq: i64,
    pub last_message_at: Option<i64>,
    pub patient_sealed: Option<Vec<u8>>,
    pub team: String,
}

impl From<ConversationRow> for Conversation {
    fn from(r: ConversationRow) -> Self {
        Conversation {
            id: r.id,
            organization_id: r.organization_id,
            kind: r.kind,
            name: r.name,
            private: r.private,
            created_by: r.created_by,
            created_at: r.created_at,
            last_seq: r.last_seq,
            last_message_at: r.last_message_at,
            patient_sealed: r.patient_sealed,
            team: r.team,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct MemberRow {
    pub conversation_id: i64,
    pub user_id: i64,
    pub last_read_seq: i64,
    pub joined_at: i64,
}

impl From<MemberRow> for Member {
    fn from(r: MemberRow) -> Self {
        Member {
            conversation_id: r.conversation_id,
            user_id: r.user_id,
            last_read_seq: r.last_read_seq,
            joined_at: r.joined_at,
        }
    }
}

/// A conversation joined with one member's read position (the inbox).
#[derive(sqlx::FromRow)]
pub struct InboxRow {
    #[sqlx(flatten)]
    pub conversation: ConversationRow,
    pub member_user_id: i64,
    pub member_last_read_seq: i64,
    pub member_joined_at: i64,
}

#[derive(sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub conversation_id: i64,
    pub seq: i64,
    pub sender_id: i64,
    pub client_msg_id: String,
    pub sealed: Vec<u8>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub purged_at: Option<i64>,
    pub reply_to: Option<i64>,
    pub mentions: String,
}

impl From<MessageRow> for StoredMessage {
    fn from(r: MessageRow) -> Self {
        StoredMessage {
            id: r.id,
            conversation_id: r.conversation_id,
            seq: r.seq,
            sender_id: r.sender_id,
            client_msg_id: r.client_msg_id,
            sealed: r.sealed,
            created_at: r.created_at,
            edited_at: r.edited_at,
            deleted_at: r.deleted_at,
            purged_at: r.purged_at,
            reply_to: r.reply_to,
            mentions: r.mentions,
        }
    }
}
