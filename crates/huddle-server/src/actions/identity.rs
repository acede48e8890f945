//! Accounts: registration, sign-in (password, then TOTP when enrolled), sessions, password
//! changes, MFA enrolment and API tokens.

use std::net::IpAddr;
use std::sync::Arc;

use huddle_core::audit::AuditAction;
use huddle_core::identity::{DisplayName, Email, NewPassword, Roles};
use huddle_store::{ApiToken, LinkPurpose, NewUser, Session, StoreError, User};
use serde_json::json;

use super::audit::record;
use crate::auth::secrets::{hash_secret, new_api_token, new_secret};
use crate::auth::{totp, Principal};
use crate::config::SignUpMode;
use crate::error::{ApiError, ErrorKind};
use crate::state::AppState;

const WRONG_CREDENTIALS: &str = "the email or password is incorrect";

/// What a sign-up answers, whether or not the address already had an account: the same
/// words either way, so sign-up cannot be used to learn who has an account.
pub const REGISTRATION_ACCEPTED: &str = "Check your mailbox: we sent a link to confirm the \
    address is yours. Once you follow it, sign in with the password you chose. (If the \
    address already had an account, nothing was changed, and the mail says what to do.)";

/// Whether people may open accounts themselves here, and if not, where to send them.
fn sign_up_allowed(state: &AppState) -> Result<(), ApiError> {
    match state.config.accounts.sign_up {
        SignUpMode::Open => Ok(()),
        SignUpMode::Invitation => Err(ApiError::forbidden(SIGN_UP_BY_INVITATION)),
        SignUpMode::SingleSignOn => Err(ApiError::forbidden(SIGN_UP_BY_SINGLE_SIGN_ON)),
    }
}

pub const SIGN_UP_BY_INVITATION: &str = "Accounts here are by invitation: ask your \
    organization's Huddle administrator to invite your address, then follow the link in \
    the mail.";
pub const SIGN_UP_BY_SINGLE_SIGN_ON: &str = "Accounts here come from your organization's \
    single sign-on: sign in with your organization instead.";

/// Opens an account for anyone (sign-up, when the deployment allows it), throttled per
/// client address. The account cannot sign in until its address is proved with the mailed
/// link. An email that already has an account creates nothing and is answered exactly as
/// a new one is (`Ok`), after the same work (the password is hashed either way); its owner
/// is told by mail, and the audit log records it.
pub async fn register(
    state: &AppState,
    ip: IpAddr,
    email: &str,
    password: &str,
    display_name: &str,
) -> Result<(), ApiError> {
    sign_up_allowed(state)?;
    if !crate::outbox::mail_configured(state) {
        return Err(ApiError::conflict(
            "sign-up needs mail to confirm addresses, and mail is not configured here",
        ));
    }
    if let Err(wait) = state.sign_up_throttle.attempt(ip, state.now()) {
        return Err(ApiError::too_many(
            "too many sign-ups from this address; try again later",
            wait,
        ));
    }
    let email = Email::parse(email).map_err(ApiError::at("email"))?;
    let password = NewPassword::parse(password).map_err(ApiError::at("password"))?;
    let display_name = DisplayName::parse(display_name).map_err(ApiError::at("display_name"))?;
    // Unproved until the mailed link is followed.
    let created = open_account(state, email.clone(), password, display_name, None).await;
    match created {
        Ok(user) => super::mailbox::send_link(state, &user, LinkPurpose::VerifyEmail).await,
        Err(e) if e.kind() == ErrorKind::Conflict => {
            if let Some(owner) = state.store.user_by_email(&email).await? {
                super::mailbox::tell_owner_of_sign_up(state, &owner).await?;
            }
            record(
                state,
                None,
                AuditAction::RegistrationEmailTaken,
                "user:unknown",
                json!({ "ip": ip.to_string() }),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// Creates an account of any shape for an operator (the command line), the demo or a
/// test: its address counts as proved by whoever made it.
pub async fn create_account(
    state: &AppState,
    email: Email,
    password: NewPassword,
    display_name: DisplayName,
    roles: Roles,
    organization_id: Option<i64>,
    created_by: Option<i64>,
) -> Result<User, ApiError> {
    let account = Account {
        email,
        password,
        display_name,
        roles,
        organization_id,
        created_by,
        email_verified_at: Some(state.now()),
    };
    insert_account(state, account).await
}

/// An account someone opens for themselves: no roles, no organization; its address proved
/// (`email_verified_at`) when they came from a mailed link, else not yet.
pub(crate) async fn open_account(
    state: &AppState,
    email: Email,
    password: NewPassword,
    display_name: DisplayName,
    email_verified_at: Option<huddle_core::clock::Millis>,
) -> Result<User, ApiError> {
    let account = Account {
        email,
        password,
        display_name,
        roles: Roles::default(),
        organization_id: None,
        created_by: None,
        email_verified_at,
    };
    insert_account(state, account).await
}

struct Account {
    email: Email,
    password: NewPassword,
    display_name: DisplayName,
    roles: Roles,
    organization_id: Option<i64>,
    created_by: Option<i64>,
    email_verified_at: Option<huddle_core::clock::Millis>,
}

async fn insert_account(state: &AppState, account: Account) -> Result<User, ApiError> {
    let Account {
        email,
        password,
        display_name,
        roles,
        organization_id,
        created_by,
        email_verified_at,
    } = account;
    let password_hash = state
        .passwords
        .hash(password.expose())
        .await
        .map_err(ApiError::internal)?;
    let user = state
        .store
        .create_user(NewUser {
            email,
            display_name,
            password_hash,
            roles,
            organization_id,
            department_id: None,
            created_at: state.now(),
            email_verified_at,
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                ApiError::conflict("an account with this email address already exists")
            }
            other => other.into(),
        })?;
    let action = if created_by.is_some() {
        AuditAction::UserCreated
    } else {
        AuditAction::Registered
    };
    record(
        state,
        created_by.or(Some(user.id)),
        action,
        format!("user:{}", user.id),
        json!({ "roles": user.roles.to_stored() }),
    )
    .await?;
    Ok(user)
}

/// How a password-less account came to be: the organization vouches for the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvisionedBy {
    /// The organization's identity provider (single sign-on, created at first sign-in).
    SingleSignOn,
    /// The organization's directory, over SCIM.
    Directory,
}

impl ProvisionedBy {
    fn as_str(self) -> &'static str {
        match self {
            ProvisionedBy::SingleSignOn => "single_sign_on",
            ProvisionedBy::Directory => "directory",
        }
    }
}

/// What an organization's identity provider or directory says of a new member.
pub struct ProvisionedAccount {
    pub email: Email,
    pub display_name: DisplayName,
    pub organization_id: i64,
    pub department_id: Option<i64>,
    pub roles: Roles,
}

/// Creates a member account without a password, its address verified by the organization
/// that vouches for it (single sign-on or SCIM); `actor`: who asked (a SCIM credential's
/// owner), `None` for the person themselves. Audited as a creation.
pub async fn provision_account(
    state: &AppState,
    account: ProvisionedAccount,
    by: ProvisionedBy,
    actor: Option<i64>,
) -> Result<User, ApiError> {
    let now = state.now();
    let user = state
        .store
        .create_user(NewUser {
            email: account.email,
            display_name: account.display_name,
            password_hash: String::new(),
            roles: account.roles,
            organization_id: Some(account.organization_id),
            department_id: account.department_id,
            created_at: now,
            email_verified_at: Some(now),
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                ApiError::conflict("an account with this email address already exists")
            }
            other => other.into(),
        })?;
    record(
        state,
        actor.or(Some(user.id)),
        AuditAction::UserCreated,
        format!("user:{}", user.id),
        json!({
            "roles": user.roles.to_stored(),
            "organization": account.organization_id,
            "by": by.as_str(),
        }),
    )
    .await?;
    Ok(user)
}

pub enum SignIn {
    Complete(User),
    /// The password was right and the account has a second factor (TOTP, a passkey or
    /// both): ask for the code or the passkey.
    NeedsCode(User),
}

/// Checks the password (and the TOTP code when one is given), counting failures toward the
/// lockout and recording every attempt in the audit log.
pub const ADDRESS_NOT_PROVED: &str = "Confirm your address first: follow the link we \
    mailed to it when you signed up. No mail? Ask for a new link on the sign-in page.";

pub async fn sign_in(
    state: &AppState,
    ip: IpAddr,
    email: &str,
    password: &str,
    totp_code: Option<&str>,
) -> Result<SignIn, ApiError> {
    let now = state.now();
    if let Err(wait) = state.sign_in_throttle.attempt(ip, now) {
        return Err(ApiError::too_many(
            "too many sign-in attempts from this address; wait a minute",
            wait,
        ));
    }
    let user = match Email::parse(email) {
        Ok(email) => state.store.user_by_email(&email).await?,
        Err(_) => None,
    };
    let security = &state.config.security;
    let Some(user) = user else {
        // An address without an account locks as an account does (same count, same
        // answer), so neither the 401s nor the lockout say whether it has one.
        if let Some(until) = state.decoy_lockouts.locked_until(email, now) {
            return Err(refuse_locked(state, None, ip, until).await);
        }
        state.passwords.verify_decoy(password).await;
        state.decoy_lockouts.record_failure(
            email,
            now,
            security.max_failed_logins,
            security.lockout_minutes * huddle_core::clock::MINUTE,
        );
        record(
            state,
            None,
            AuditAction::SignInFailed,
            "user:unknown",
            json!({ "ip": ip.to_string(), "reason": "unknown account" }),
        )
        .await?;
        return Err(ApiError::unauthenticated(WRONG_CREDENTIALS));
    };
    if let Some(until) = user.locked_until.filter(|&u| u > now) {
        return Err(refuse_locked(state, Some(user.id), ip, until).await);
    }
    if !state.passwords.verify(password, &user.password_hash).await {
        count_failure(state, &user, ip, "wrong password").await?;
        return Err(ApiError::unauthenticated(WRONG_CREDENTIALS));
    }
    // A deactivated account answers like a wrong password: nothing to learn from trying.
    if user.deactivated_at.is_some() {
        record(
            state,
            Some(user.id),
            AuditAction::SignInFailed,
            format!("user:{}", user.id),
            json!({ "ip": ip.to_string(), "reason": "deactivated" }),
        )
        .await?;
        return Err(ApiError::unauthenticated(WRONG_CREDENTIALS));
    }
    // Only someone who knows the password learns that the address awaits its proof.
    if user.email_verified_at.is_none() {
        return Err(ApiError::forbidden(ADDRESS_NOT_PROVED));
    }
    // Passwords are off for an SSO-only organization's members; said only to someone who
    // knew the password, so it reveals nothing a wrong password would not.
    if super::sso::sso_only(state, &user).await? {
        record(
            state,
            Some(user.id),
            AuditAction::SignInFailed,
            format!("user:{}", user.id),
            json!({ "ip": ip.to_string(), "reason": "single sign-on only" }),
        )
        .await?;
        return Err(ApiError::unauthenticated(super::sso::PASSWORDS_OFF));
    }
    // A second factor: the authenticator app's code, or one of the person's passkeys.
    let has_passkey = super::passkeys::has_passkey(state, user.id).await?;
    if user.mfa_enabled() || has_passkey {
        match totp_code {
            Some(code) if user.mfa_enabled() => check_code(state, &user, ip, code).await?,
            _ => return Ok(SignIn::NeedsCode(user)),
        }
    }
    complete_sign_in(state, &user, ip).await?;
    Ok(SignIn::Complete(user))
}

/// Records a sign-in refused because the address is locked (`user`: its account, if it has
/// one) and answers the same whether or not it has one.
async fn refuse_locked(
    state: &AppState,
    user: Option<i64>,
    ip: IpAddr,
    until: huddle_core::clock::Millis,
) -> ApiError {
    let target = user.map_or_else(|| "user:unknown".to_string(), |id| format!("user:{id}"));
    let detail = json!({ "ip": ip.to_string(), "reason": "locked" });
    if let Err(e) = record(state, user, AuditAction::SignInFailed, target, detail).await {
        return e;
    }
    let wait = ((until - state.now()).max(0) as u64).div_ceil(1000);
    ApiError::too_many(
        "this email address is locked for a while after repeated failed sign-ins",
        wait,
    )
}

/// The second step: a valid, never-used TOTP code for a user whose password was checked.
pub async fn check_code(
    state: &AppState,
    user: &User,
    ip: IpAddr,
    code: &str,
) -> Result<(), ApiError> {
    let secret = user.totp_secret.as_deref().unwrap_or_default();
    let now_secs = u64::try_from(state.now() / 1000).unwrap_or(0);
    let accepted = match totp::matching_step(secret, code, now_secs) {
        Some(step) => state.store.accept_totp_step(user.id, step).await?,
        None => false,
    };
    if accepted {
        Ok(())
    } else {
        count_failure(state, user, ip, "wrong or reused code").await?;
        Err(ApiError::invalid(
            "totp_code",
            "the code is wrong, expired or already used; wait for the next one",
        ))
    }
}

pub async fn complete_sign_in(state: &AppState, user: &User, ip: IpAddr) -> Result<(), ApiError> {
    state.store.record_login_success(user.id).await?;
    record(
        state,
        Some(user.id),
        AuditAction::SignIn,
        format!("user:{}", user.id),
        json!({ "ip": ip.to_string(), "mfa": user.mfa_enabled() }),
    )
    .await
}

async fn count_failure(
    state: &AppState,
    user: &User,
    ip: IpAddr,
    reason: &str,
) -> Result<(), ApiError> {
    let security = &state.config.security;
    let failure = state
        .store
        .record_login_failure(
            user.id,
            state.now(),
            security.max_failed_logins,
            security.lockout_minutes * huddle_core::clock::MINUTE,
        )
        .await?;
    let target = format!("user:{}", user.id);
    record(
        state,
        Some(user.id),
        AuditAction::SignInFailed,
        target.clone(),
        json!({ "ip": ip.to_string(), "reason": reason }),
    )
    .await?;
    if failure.locked_until.is_some() {
        record(
            state,
            Some(user.id),
            AuditAction::AccountLocked,
            target,
            json!({ "ip": ip.to_string(), "minutes": security.lockout_minutes }),
        )
        .await?;
    }
    Ok(())
}

/// Opens a server-side session; returns the cookie value (only its hash is stored).
pub async fn start_session(
    state: &AppState,
    user_id: i64,
    mfa_pending: bool,
) -> Result<(String, Session), ApiError> {
    open_session(state, user_id, mfa_pending, None).await
}

/// Opens a session that ends at `until` at the latest, however active (single sign-on:
/// the identity provider is asked again then).
pub async fn start_session_until(
    state: &AppState,
    user_id: i64,
    until: huddle_core::clock::Millis,
) -> Result<(String, Session), ApiError> {
    open_session(state, user_id, false, Some(until)).await
}

async fn open_session(
    state: &AppState,
    user_id: i64,
    mfa_pending: bool,
    expires_at: Option<huddle_core::clock::Millis>,
) -> Result<(String, Session), ApiError> {
    let cookie = new_secret();
    let now = state.now();
    let session = Session {
        id_hash: hash_secret(&cookie),
        user_id,
        csrf_token: new_secret(),
        created_at: now,
        last_seen_at: now,
        mfa_pending,
        expires_at,
    };
    state.store.create_session(&session).await?;
    Ok((cookie, session))
}

pub async fn sign_out(state: &AppState, principal: &Principal) -> Result<(), ApiError> {
    if let Some(session) = &principal.session {
        state.store.delete_session(&session.id_hash).await?;
    }
    // Signing out with a token ends that token.
    if let Some(token) = principal.token_id {
        state.store.revoke_api_token(principal.id(), token).await?;
    }
    recheck_sockets(state, principal.id()).await;
    record(
        state,
        Some(principal.id()),
        AuditAction::SignOut,
        format!("user:{}", principal.id()),
        json!({}),
    )
    .await
}

/// Changes the password after checking the current one, and signs out every other session
/// and revokes every API token (minted under the old password).
pub async fn change_password(
    state: &AppState,
    principal: &Principal,
    current: &str,
    new: &str,
) -> Result<(), ApiError> {
    if super::sso::sso_only(state, &principal.user).await? {
        return Err(ApiError::forbidden(
            "your organization signs in through single sign-on: passwords are off",
        ));
    }
    if !state
        .passwords
        .verify(current, &principal.user.password_hash)
        .await
    {
        return Err(ApiError::invalid(
            "current_password",
            "the current password is incorrect",
        ));
    }
    let new = NewPassword::parse(new).map_err(ApiError::at("new_password"))?;
    let hash = state
        .passwords
        .hash(new.expose())
        .await
        .map_err(ApiError::internal)?;
    state.store.set_password_hash(principal.id(), &hash).await?;
    let keep = principal.session.as_ref().map(|s| s.id_hash.as_str());
    let (ended, revoked) = end_credentials(state, principal.id(), keep).await?;
    record(
        state,
        Some(principal.id()),
        AuditAction::PasswordChanged,
        format!("user:{}", principal.id()),
        json!({ "other_sessions_ended": ended, "tokens_revoked": revoked }),
    )
    .await
}

/// After a new password: every session but `keep` ends, every API token is revoked (both
/// were had under the old password), and live sockets re-check what they hold. Returns
/// (sessions ended, tokens revoked).
pub(crate) async fn end_credentials(
    state: &AppState,
    user_id: i64,
    keep: Option<&str>,
) -> Result<(u64, u64), ApiError> {
    let ended = state.store.delete_user_sessions(user_id, keep).await?;
    let mut revoked = 0;
    for token in state.store.api_tokens(user_id).await? {
        if state.store.revoke_api_token(user_id, token.id).await? {
            revoked += 1;
        }
    }
    recheck_sockets(state, user_id).await;
    Ok((ended, revoked))
}

/// The person's live sockets, on every node, check that what they signed in with still
/// holds, and close if not.
pub(crate) async fn recheck_sockets(state: &AppState, user_id: i64) {
    state
        .bus
        .publish(vec![user_id], Arc::from(crate::live::SESSION_CHECK))
        .await;
}

/// A fresh secret to enrol, with the URL an authenticator app imports. Nothing is stored
/// until the person proves their app has it by sending a code.
pub fn mfa_setup(principal: &Principal) -> (String, String) {
    let secret = totp::new_secret();
    let url = totp::provisioning_url(&secret, &principal.user.email).unwrap_or_default();
    (secret, url)
}

pub async fn enable_mfa(
    state: &AppState,
    principal: &Principal,
    secret: &str,
    code: &str,
) -> Result<(), ApiError> {
    if principal.user.mfa_enabled() {
        return Err(ApiError::conflict(
            "two-step sign-in is already on; turn it off first to change apps",
        ));
    }
    let now_secs = u64::try_from(state.now() / 1000).unwrap_or(0);
    let step = totp::matching_step(secret, code, now_secs).ok_or_else(|| {
        ApiError::invalid(
            "code",
            "the code does not match; check the app's clock and try the next code",
        )
    })?;
    state
        .store
        .set_totp_secret(principal.id(), Some(secret))
        .await?;
    state.store.accept_totp_step(principal.id(), step).await?;
    record(
        state,
        Some(principal.id()),
        AuditAction::MfaEnabled,
        format!("user:{}", principal.id()),
        json!({}),
    )
    .await
}

/// Turning MFA off needs a current code, so a stolen session alone cannot do it.
pub async fn disable_mfa(
    state: &AppState,
    principal: &Principal,
    ip: IpAddr,
    code: &str,
) -> Result<(), ApiError> {
    if !principal.user.mfa_enabled() {
        return Err(ApiError::conflict("two-step sign-in is not on"));
    }
    check_code(state, &principal.user, ip, code).await?;
    state.store.set_totp_secret(principal.id(), None).await?;
    record(
        state,
        Some(principal.id()),
        AuditAction::MfaDisabled,
        format!("user:{}", principal.id()),
        json!({}),
    )
    .await
}

/// Issues a personal API token; the plain token is returned once and never stored.
pub async fn create_api_token(
    state: &AppState,
    user: &User,
    name: &str,
) -> Result<(String, ApiToken), ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "name",
            "name the token in 1 to 64 characters, e.g. \"laptop\"",
        ));
    }
    let token = new_api_token();
    let stored = state
        .store
        .create_api_token(user.id, name, &hash_secret(&token), state.now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                ApiError::invalid("name", "you already have a token with this name")
            }
            other => other.into(),
        })?;
    record(
        state,
        Some(user.id),
        AuditAction::ApiTokenCreated,
        format!("api_token:{}", stored.id),
        json!({ "name": name }),
    )
    .await?;
    Ok((token, stored))
}

pub async fn revoke_api_token(
    state: &AppState,
    principal: &Principal,
    id: i64,
) -> Result<(), ApiError> {
    if !state.store.revoke_api_token(principal.id(), id).await? {
        return Err(ApiError::not_found("you have no token with this id"));
    }
    record(
        state,
        Some(principal.id()),
        AuditAction::ApiTokenRevoked,
        format!("api_token:{id}"),
        json!({}),
    )
    .await?;
    recheck_sockets(state, principal.id()).await;
    Ok(())
}
