//! Links Huddle mails to a person's own address: one that proves the address is theirs
//! (after sign-up), and one that sets a new password. Each works once, for a short while,
//! and only while the account still has the address it was sent to. Asking for either
//! answers the same whether or not the address has an account.

use std::net::IpAddr;

use huddle_core::audit::AuditAction;
use huddle_core::clock::{HOUR, MINUTE};
use huddle_core::identity::{Email, NewPassword};
use huddle_store::{LinkPurpose, User};
use serde_json::json;

use super::audit::record;
use crate::auth::secrets::{hash_secret, new_secret};
use crate::error::ApiError;
use crate::outbox::{self, Mail};
use crate::state::AppState;

/// What asking for a link answers, always.
pub const LINK_SENT_IF_ACCOUNT: &str = "If an account uses this address, a link is on its \
    way to it. It works once, for a short while; check the spam folder too.";

const LINK_NO_LONGER_WORKS: &str =
    "this link no longer works (it was used, replaced by a newer one, or expired); ask for a new one";

/// The page a link of `purpose` opens.
fn page(purpose: LinkPurpose) -> &'static str {
    match purpose {
        LinkPurpose::VerifyEmail => "/verify-email",
        LinkPurpose::ResetPassword => "/password/reset",
    }
}

/// Mails a link of `purpose` to the person's address. The secret is only in the mail.
pub async fn send_link(
    state: &AppState,
    user: &User,
    purpose: LinkPurpose,
) -> Result<(), ApiError> {
    let token = new_secret();
    let link = state
        .config
        .server
        .link(&format!("{}?token={token}", page(purpose)))
        .ok_or_else(|| {
            ApiError::conflict(
                "[server] public_url is not set, so a mailed link would not know where Huddle is",
            )
        })?;
    let now = state.now();
    let (lasts, subject, text) = match purpose {
        LinkPurpose::VerifyEmail => {
            let hours = state.config.accounts.verification_hours.max(1);
            (
                hours * HOUR,
                "Confirm your address for Huddle",
                format!(
                    "Someone, hopefully you, created a Huddle account with this address.\n\n\
                     Confirm it is yours (the link works once, for {hours} hours):\n{link}\n\n\
                     If it was not you, ignore this mail: the account cannot be used without \
                     this link.\n"
                ),
            )
        }
        LinkPurpose::ResetPassword => {
            let minutes = state.config.accounts.reset_minutes.max(5);
            (
                minutes * MINUTE,
                "Set a new Huddle password",
                format!(
                    "Someone, hopefully you, asked to set a new password for the Huddle \
                     account at this address.\n\n\
                     Set it here (the link works once, for {minutes} minutes):\n{link}\n\n\
                     Setting it signs out every device and ends every API token. If you did \
                     not ask, ignore this mail: your password stays as it is.\n"
                ),
            )
        }
    };
    state
        .store
        .create_email_link(
            &hash_secret(&token),
            user.id,
            purpose,
            &user.email,
            now,
            now + lasts,
        )
        .await?;
    outbox::queue_email(
        state,
        Mail {
            organization_id: user.organization_id,
            to: &user.email,
            subject,
            text,
            due_at: now,
            dedupe_key: None,
        },
    )
    .await
}

/// A sign-up for an address that already has an account tells the address's owner, who
/// can reset the password if it was them (and take the account over, if a stranger opened
/// it with their address and never proved it).
pub async fn tell_owner_of_sign_up(state: &AppState, user: &User) -> Result<(), ApiError> {
    let link = state
        .config
        .server
        .link("/password/forgot")
        .unwrap_or_default();
    outbox::queue_email(
        state,
        Mail {
            organization_id: user.organization_id,
            to: &user.email,
            subject: "Someone tried to create a Huddle account with your address",
            text: format!(
                "Someone tried to create a Huddle account with this address, which already \
                 has one. Nothing was changed.\n\n\
                 If it was you and you have forgotten your password, set a new one:\n{link}\n"
            ),
            due_at: state.now(),
            dedupe_key: None,
        },
    )
    .await
}

/// The account an address belongs to, if a link may be mailed to it.
async fn mailable(state: &AppState, email: &str) -> Result<Option<User>, ApiError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(None);
    };
    Ok(state
        .store
        .user_by_email(&email)
        .await?
        .filter(|u| u.deactivated_at.is_none()))
}

fn throttled(state: &AppState, ip: IpAddr) -> Result<(), ApiError> {
    state
        .sign_up_throttle
        .attempt(ip, state.now())
        .map_err(|wait| {
            ApiError::too_many("too many requests from this address; try again later", wait)
        })
}

/// Asks for a new address-proof link (the first one expired or went astray).
pub async fn resend_verification(
    state: &AppState,
    ip: IpAddr,
    email: &str,
) -> Result<(), ApiError> {
    throttled(state, ip)?;
    if let Some(user) = mailable(state, email).await? {
        if user.email_verified_at.is_none() {
            send_link(state, &user, LinkPurpose::VerifyEmail).await?;
        }
    }
    Ok(())
}

/// Uses a link up and answers whose it is: only while that account is active and still has
/// the address the link was sent to.
async fn use_link(state: &AppState, token: &str, purpose: LinkPurpose) -> Result<User, ApiError> {
    let used = state
        .store
        .use_email_link(&hash_secret(token), purpose, state.now())
        .await?
        .ok_or_else(|| ApiError::not_found(LINK_NO_LONGER_WORKS))?;
    state
        .store
        .user(used.user_id)
        .await?
        .filter(|u| u.email == used.email && u.deactivated_at.is_none())
        .ok_or_else(|| ApiError::not_found(LINK_NO_LONGER_WORKS))
}

/// Proves the address with a link from the mailbox.
pub async fn verify_email(state: &AppState, ip: IpAddr, token: &str) -> Result<User, ApiError> {
    let user = use_link(state, token, LinkPurpose::VerifyEmail).await?;
    state.store.set_email_verified(user.id, state.now()).await?;
    record(
        state,
        Some(user.id),
        AuditAction::EmailVerified,
        format!("user:{}", user.id),
        json!({ "ip": ip.to_string() }),
    )
    .await?;
    Ok(user)
}

/// Asks for a password-reset link; answers `Ok` either way.
pub async fn request_password_reset(
    state: &AppState,
    ip: IpAddr,
    email: &str,
) -> Result<(), ApiError> {
    throttled(state, ip)?;
    let user = mailable(state, email).await?;
    if let Some(user) = &user {
        // An SSO-only organization's people have no password to reset.
        if !super::sso::sso_only(state, user).await? {
            send_link(state, user, LinkPurpose::ResetPassword).await?;
        }
    }
    let target = user
        .as_ref()
        .map_or_else(|| "user:unknown".to_string(), |u| format!("user:{}", u.id));
    record(
        state,
        user.as_ref().map(|u| u.id),
        AuditAction::PasswordResetRequested,
        target,
        json!({ "ip": ip.to_string() }),
    )
    .await
}

/// Whether a reset link would work now (to show its form rather than a dead end).
pub async fn reset_link_works(state: &AppState, token: &str) -> Result<bool, ApiError> {
    Ok(state
        .store
        .email_link_valid(&hash_secret(token), LinkPurpose::ResetPassword, state.now())
        .await?)
}

/// Sets a new password from a reset link. Every session and API token of the account ends
/// and its live sockets close: whoever knew the old password is out. The link also proves
/// the address, so an account a stranger opened with it passes to its owner.
pub async fn reset_password(
    state: &AppState,
    ip: IpAddr,
    token: &str,
    new_password: &str,
) -> Result<User, ApiError> {
    // A refused password leaves the link usable.
    let password = NewPassword::parse(new_password).map_err(ApiError::at("password"))?;
    let user = use_link(state, token, LinkPurpose::ResetPassword).await?;
    if super::sso::sso_only(state, &user).await? {
        return Err(ApiError::forbidden(super::sso::PASSWORDS_OFF));
    }
    let hash = state
        .passwords
        .hash(password.expose())
        .await
        .map_err(ApiError::internal)?;
    let now = state.now();
    if user.email_verified_at.is_none() {
        state
            .store
            .reclaim_unverified_account(user.id, &user.display_name, &hash, now)
            .await?;
        record(
            state,
            Some(user.id),
            AuditAction::AccountReclaimed,
            format!("user:{}", user.id),
            json!({ "ip": ip.to_string(), "by": "password_reset" }),
        )
        .await?;
    } else {
        state.store.set_password_hash(user.id, &hash).await?;
    }
    state.store.record_login_success(user.id).await?;
    let (sessions, tokens) = super::identity::end_credentials(state, user.id, None).await?;
    record(
        state,
        Some(user.id),
        AuditAction::PasswordReset,
        format!("user:{}", user.id),
        json!({ "ip": ip.to_string(), "sessions_ended": sessions, "tokens_revoked": tokens }),
    )
    .await?;
    Ok(user)
}
