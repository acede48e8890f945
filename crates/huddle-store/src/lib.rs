//! Storage for Huddle: one trait per capability, gathered in [`Store`]. Two backends
//! implement it, `huddle-store-sqlite` (the embedded default) and `huddle-store-postgres`;
//! both run the same SQL (`crates/huddle-store/sql/`, one file per capability, compiled into
//! each backend; see [`sql`]) against their own migrations, and both must pass the same
//! [`conformance`] suite.
//!
//! Rows, one convention: a query reads into a type that derives `sqlx::FromRow`. When a
//! stored type's fields are its columns (most of them), it derives it itself and is its own
//! row type. Only when reading does something (a column to parse, a join of two rows, a
//! huddle-core type) is there a separate `…Row` type, private to the SQL file that reads it
//! and converted with `From`/`TryFrom`.

pub mod audit;
pub mod conformance;
pub mod identity;
pub mod insights;
pub mod invitations;
pub mod keys;
pub mod lounge;
pub mod messaging;
pub mod passkeys;
pub mod push;
pub mod reach;
pub mod routing;
pub mod scim;
pub mod session;
pub mod sql;
pub mod sso;
pub mod verification;
pub mod wellbeing;

pub use audit::{AuditStore, NewAuditEvent};
pub use identity::{Department, IdentityStore, LoginFailure, NewUser, Organization, User};
pub use insights::{Headcount, InsightsStore, Intervention, NewIntervention};
pub use invitations::{Invitation, InvitationStore, LinkPurpose, NewInvitation, UsedLink};
pub use keys::{KeyStore, WrappedKey};
pub use lounge::{
    LoungeStore, ModLogEntry, NewPost, NewReport, NewThread, Notification, PollView, Post,
    PostEdit, Report, Sanction, SearchHit, SearchQuery, Thread, ThreadQuery,
};
pub use messaging::{
    Audience, Conversation, Member, MessagingStore, NewConversation, NewMessage, StoredMessage,
};
pub use passkeys::{NewPasskey, PasskeyCeremony, PasskeyStore, StoredPasskey};
pub use push::{NewPushSubscription, PushStore, PushSubscription};
pub use reach::{
    AlertNotification, NewNotification, NewOutbound, Outbound, ReachStore, Receipt, ReceiptKind,
};
pub use routing::{
    AlertEvent, Intake, Integration, NewAlert, NewIntegration, NewShift, PolicyVersion,
    RoutingStore, StoredAlert, StoredShift,
};
pub use scim::{NewScimCredential, NewScimGroup, ScimCredential, ScimGroup, ScimStore, ScimUser};
pub use session::{ApiToken, Session, SessionStore};
pub use sso::{SsoAttempt, SsoConnection, SsoStore};
pub use verification::{
    Decision, NewVerification, NppesRecord, VerificationRequest, VerificationStore,
};
pub use wellbeing::{NewSealedResponse, Resource, SealedResponse, WellbeingStore};

/// What can go wrong in storage, in terms the caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value is taken (an email address, a department name).
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    /// The row exists but is not in a state that allows the change (a decided request).
    #[error("{0}")]
    InvalidState(&'static str),
    /// A stored value no longer parses: a bug or a hand-edited database.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl StoreError {
    /// Maps a unique-constraint violation to `Conflict(what)`, anything else to `Database`.
    pub fn unique(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
        move |e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what),
            _ => StoreError::Database(e),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(e)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything Huddle stores, behind one object the server holds as `Arc<dyn Store>`.
#[async_trait::async_trait]
pub trait Store:
    IdentityStore
    + SessionStore
    + VerificationStore
    + AuditStore
    + WellbeingStore
    + MessagingStore
    + KeyStore
    + PushStore
    + PasskeyStore
    + ReachStore
    + InvitationStore
    + RoutingStore
    + LoungeStore
    + InsightsStore
    + ScimStore
    + SsoStore
    + Send
    + Sync
{
    /// `sqlite` or `postgres`, for logs and /readyz.
    fn backend(&self) -> &'static str;
    /// Answers when the database does; /readyz calls it.
    async fn ping(&self) -> StoreResult<()>;
}
