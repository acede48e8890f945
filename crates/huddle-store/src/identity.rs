//! Organizations, departments and the people in them.

use async_trait::async_trait;
use huddle_core::clock::Millis;
use huddle_core::identity::{DisplayName, Email, Roles};

use crate::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Department {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
}

/// A stored account. Holds secrets (password hash, TOTP secret), so it is never serialized
/// as is: the API and pages build their own views of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub roles: Roles,
    pub organization_id: Option<i64>,
    pub department_id: Option<i64>,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub failed_logins: i64,
    pub locked_until: Option<Millis>,
    pub created_at: Millis,
    /// `available`, `busy` (in a procedure) or `off_duty`.
    pub status: String,
    /// The automatic reply shown to people who message them while busy or off duty.
    pub status_message: String,
    /// Job function in the practice (`nursing`, `front_desk`, …); empty when unset.
    pub team: String,
    /// Deactivated by an administrator: cannot sign in, holds nothing.
    pub deactivated_at: Option<Millis>,
    /// When the address was shown to be the person's; `None`: not yet.
    pub email_verified_at: Option<Millis>,
}

impl User {
    pub fn mfa_enabled(&self) -> bool {
        self.totp_secret.is_some()
    }

    /// Accounts made by single sign-on or by the directory have no password (an empty
    /// hash, which no password matches) until the person sets one.
    pub fn has_password(&self) -> bool {
        !self.password_hash.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub display_name: DisplayName,
    pub password_hash: String,
    pub roles: Roles,
    pub organization_id: Option<i64>,
    pub department_id: Option<i64>,
    pub created_at: Millis,
    pub email_verified_at: Option<Millis>,
}

/// The account's state after a failed sign-in was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailure {
    pub failed_logins: i64,
    /// Set when this failure locked the account.
    pub locked_until: Option<Millis>,
}

#[async_trait]
pub trait IdentityStore {
    async fn create_organization(&self, name: &str, at: Millis) -> StoreResult<Organization>;
    async fn organizations(&self) -> StoreResult<Vec<Organization>>;
    async fn organization(&self, id: i64) -> StoreResult<Option<Organization>>;

    /// Department names are unique within an organization.
    async fn create_department(&self, organization_id: i64, name: &str) -> StoreResult<Department>;
    async fn departments(&self, organization_id: i64) -> StoreResult<Vec<Department>>;
    async fn department(&self, id: i64) -> StoreResult<Option<Department>>;

    /// `Conflict("email")` when the address is taken.
    async fn create_user(&self, user: NewUser) -> StoreResult<User>;
    async fn user(&self, id: i64) -> StoreResult<Option<User>>;
    async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>>;
    async fn users_in_organization(&self, organization_id: i64) -> StoreResult<Vec<User>>;
    async fn set_roles(&self, user_id: i64, roles: &Roles) -> StoreResult<()>;
    async fn set_membership(
        &self,
        user_id: i64,
        organization_id: Option<i64>,
        department_id: Option<i64>,
    ) -> StoreResult<()>;
    async fn set_password_hash(&self, user_id: i64, hash: &str) -> StoreResult<()>;

    /// Counts a failed sign-in; the `threshold`-th consecutive failure locks the account
    /// until `at + lock_for`. Atomic, so parallel guesses cannot slip past the count.
    async fn record_login_failure(
        &self,
        user_id: i64,
        at: Millis,
        threshold: i64,
        lock_for: Millis,
    ) -> StoreResult<LoginFailure>;
    /// Clears the failure count and any lock.
    async fn record_login_success(&self, user_id: i64) -> StoreResult<()>;

    /// Sets (enrols) or clears (disables) the TOTP secret; either way the replay guard resets.
    async fn set_totp_secret(&self, user_id: i64, secret: Option<&str>) -> StoreResult<()>;
    /// Accepts a TOTP time step only if it is later than every step accepted before, so a
    /// code is never accepted twice. Atomic compare-and-set: true when accepted.
    async fn accept_totp_step(&self, user_id: i64, step: i64) -> StoreResult<bool>;
    async fn set_status(&self, user_id: i64, status: &str, message: &str) -> StoreResult<()>;
    /// Marks the account deactivated; false when it already was.
    async fn deactivate_user(&self, user_id: i64, at: Millis) -> StoreResult<bool>;
    async fn reactivate_user(&self, user_id: i64) -> StoreResult<()>;
    /// Ends everything the person holds, in one transaction: sessions, API tokens and
    /// push devices. Returns how many.
    async fn end_access(&self, user_id: i64) -> StoreResult<u64>;
    async fn set_team(&self, user_id: i64, team: &str) -> StoreResult<()>;

    /// An organization's time zone (an IANA name, checked by the caller); `None`: UTC.
    async fn set_organization_time_zone(
        &self,
        organization_id: i64,
        zone: Option<&str>,
    ) -> StoreResult<()>;
    async fn organization_time_zone(&self, organization_id: i64) -> StoreResult<Option<String>>;
    /// A person's own time zone; `None`: their organization's.
    async fn set_user_time_zone(&self, user_id: i64, zone: Option<&str>) -> StoreResult<()>;
    /// The zones that apply to a person, in one read: (their own, their organization's).
    async fn time_zones(&self, user_id: i64) -> StoreResult<(Option<String>, Option<String>)>;
}
