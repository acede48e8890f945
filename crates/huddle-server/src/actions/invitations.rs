//! Invitations: how a person joins an organization, besides its single sign-on and its
//! directory. An administrator invites an address; the link goes only to that mailbox, and
//! whoever follows it proves they hold the address. So nobody joins an organization by
//! having signed up first with someone else's address, and no administrator can pull an
//! existing account into their organization without its owner.

use std::net::IpAddr;

use huddle_core::audit::AuditAction;
use huddle_core::clock::DAY;
use huddle_core::identity::{
    apply_role_change, DisplayName, Email, InvitationStanding, NewPassword, Roles,
};
use huddle_store::{Invitation, NewInvitation, Organization, User};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::audit::record;
use super::identity::open_account;
use super::organizations::{department_of, existing_organization, parse_roles};
use super::sso::sso_only_organization;
use crate::auth::access::OrgAdmin;
use crate::auth::secrets::{hash_secret, new_secret};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::outbox::{self, Mail};
use crate::state::AppState;

/// An invitation as its organization's administrators see it (never its link).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: i64,
    pub email: String,
    pub department_id: Option<i64>,
    pub roles: Vec<String>,
    pub created_at: i64,
    pub expires_at: i64,
    /// `pending`, `accepted`, `revoked` or `expired`.
    #[schema(value_type = String)]
    pub standing: InvitationStanding,
}

fn view(i: &Invitation, now: i64) -> InvitationView {
    InvitationView {
        id: i.id,
        email: i.email.clone(),
        department_id: i.department_id,
        roles: i.roles.iter().map(|r| r.as_str().to_string()).collect(),
        created_at: i.created_at,
        expires_at: i.expires_at,
        standing: InvitationStanding::of(i.accepted_at, i.revoked_at, i.expires_at, now),
    }
}

pub struct InvitationRequest<'a> {
    pub email: &'a str,
    pub department_id: Option<i64>,
    pub roles: &'a [String],
}

/// Invites an address to the organization with a department and roles the inviter may
/// grant; mails the link. A newer invitation to the same address replaces an older one.
pub async fn invite(
    state: &AppState,
    principal: &Principal,
    organization_id: i64,
    req: InvitationRequest<'_>,
) -> Result<InvitationView, ApiError> {
    OrgAdmin::of(principal, organization_id)?;
    let org = existing_organization(state, organization_id).await?;
    let email = Email::parse(req.email).map_err(ApiError::at("email"))?;
    let roles = apply_role_change(
        &principal.user.roles,
        &Roles::default(),
        &parse_roles(req.roles)?,
    )
    .map_err(ApiError::at("roles"))?;
    department_of(state, organization_id, req.department_id).await?;
    if sso_only_organization(state, organization_id).await? {
        return Err(ApiError::conflict(JOIN_BY_SINGLE_SIGN_ON));
    }
    let member = state.store.user_by_email(&email).await?;
    if member.is_some_and(|m| m.organization_id == Some(organization_id)) {
        return Err(ApiError::invalid(
            "email",
            "this person is already a member; change their roles in the member list",
        ));
    }
    if !outbox::mail_configured(state) {
        return Err(ApiError::conflict(
            "mail is not configured ([email] host), so an invitation cannot reach anyone; \
             configure it, or let people join through single sign-on or the directory",
        ));
    }
    let token = new_secret();
    let link = accept_link(state, &token)?;
    let now = state.now();
    let days = state.config.accounts.invitation_days.max(1);
    let invitation = state
        .store
        .create_invitation(NewInvitation {
            organization_id,
            email: email.as_str(),
            department_id: req.department_id,
            roles: &roles,
            token_hash: &hash_secret(&token),
            invited_by: Some(principal.id()),
            created_at: now,
            expires_at: now + days * DAY,
        })
        .await?;
    outbox::queue_email(
        state,
        Mail {
            organization_id: Some(organization_id),
            to: email.as_str(),
            subject: &format!("You are invited to {} on Huddle", org.name),
            text: format!(
                "{inviter} invited you to join {org} on Huddle, where its clinicians \
                 message, get paged and look after one another.\n\n\
                 Accept the invitation (the link works for {days} days, once):\n{link}\n\n\
                 If you did not expect this, ignore this mail: nothing happens unless the \
                 link is followed.\n",
                inviter = principal.user.display_name,
                org = org.name,
            ),
            due_at: now,
            dedupe_key: None,
        },
    )
    .await?;
    record(
        state,
        Some(principal.id()),
        AuditAction::InvitationSent,
        format!("invitation:{}", invitation.id),
        json!({
            "organization": organization_id,
            "email": invitation.email,
            "department": invitation.department_id,
            "roles": invitation.roles.to_stored(),
        }),
    )
    .await?;
    Ok(view(&invitation, now))
}

/// The link in the mail. Only from the configured public URL: a link built from a
/// request's Host header would send the secret wherever the requester pointed it.
fn accept_link(state: &AppState, token: &str) -> Result<String, ApiError> {
    state
        .config
        .server
        .link(&format!("/invitations/accept?token={token}"))
        .ok_or_else(|| {
            ApiError::conflict(
                "[server] public_url is not set, so a mailed link would not know where Huddle is",
            )
        })
}

/// The organization's invitations, newest first.
pub async fn invitations(
    state: &AppState,
    principal: &Principal,
    organization_id: i64,
) -> Result<Vec<InvitationView>, ApiError> {
    OrgAdmin::of(principal, organization_id)?;
    existing_organization(state, organization_id).await?;
    let now = state.now();
    Ok(state
        .store
        .invitations(organization_id, 200)
        .await?
        .iter()
        .map(|i| view(i, now))
        .collect())
}

/// Withdraws a pending invitation: its link stops working.
pub async fn revoke(
    state: &AppState,
    principal: &Principal,
    organization_id: i64,
    id: i64,
) -> Result<(), ApiError> {
    OrgAdmin::of(principal, organization_id)?;
    let invitation = state
        .store
        .invitation(id)
        .await?
        .filter(|i| i.organization_id == organization_id)
        .ok_or_else(|| ApiError::not_found("no invitation with this id in this organization"))?;
    if !state
        .store
        .revoke_invitation(invitation.id, state.now())
        .await?
    {
        return Err(ApiError::conflict(
            "this invitation was already accepted or withdrawn",
        ));
    }
    record(
        state,
        Some(principal.id()),
        AuditAction::InvitationRevoked,
        format!("invitation:{id}"),
        json!({ "organization": organization_id, "email": invitation.email }),
    )
    .await
}

/// What the person following a link sees.
pub enum Opened {
    /// Unknown, used, withdrawn or expired: all look the same.
    NoLongerValid,
    /// No account can sign in with the address yet: choose a name and password.
    NewAccount(Invited),
    /// The address has an account: sign in to it, then accept.
    SignInFirst(Invited),
    /// Signed in as the invited address: one button.
    Join(Invited),
    /// Signed in as someone else.
    OtherAccount(Invited),
}

pub struct Invited {
    pub invitation: Invitation,
    pub organization: Organization,
}

const NO_LONGER_VALID: &str = "this invitation link no longer works (it was used, withdrawn \
    or replaced, or it expired); ask your administrator to invite you again";

async fn pending(state: &AppState, token: &str) -> Result<Option<Invited>, ApiError> {
    let Some(invitation) = state.store.invitation_by_token(&hash_secret(token)).await? else {
        return Ok(None);
    };
    let standing = InvitationStanding::of(
        invitation.accepted_at,
        invitation.revoked_at,
        invitation.expires_at,
        state.now(),
    );
    if standing != InvitationStanding::Pending {
        return Ok(None);
    }
    let organization = existing_organization(state, invitation.organization_id).await?;
    Ok(Some(Invited {
        invitation,
        organization,
    }))
}

/// Reads a link without using it up.
pub async fn open(
    state: &AppState,
    token: &str,
    viewer: Option<&Principal>,
) -> Result<Opened, ApiError> {
    let Some(invited) = pending(state, token).await? else {
        return Ok(Opened::NoLongerValid);
    };
    if let Some(p) = viewer {
        return Ok(if p.user.email == invited.invitation.email {
            Opened::Join(invited)
        } else {
            Opened::OtherAccount(invited)
        });
    }
    let email = Email::parse(&invited.invitation.email).map_err(ApiError::internal)?;
    Ok(match state.store.user_by_email(&email).await? {
        Some(u) if u.email_verified_at.is_some() => Opened::SignInFirst(invited),
        _ => Opened::NewAccount(invited),
    })
}

/// Accepts for someone without a usable account: a new account, or the one a stranger
/// opened with this address and never proved, which the address's owner now takes over.
/// Returns the account, to sign in.
pub async fn accept_as_new(
    state: &AppState,
    ip: IpAddr,
    token: &str,
    display_name: &str,
    password: &str,
) -> Result<User, ApiError> {
    let display_name = DisplayName::parse(display_name).map_err(ApiError::at("display_name"))?;
    let password = NewPassword::parse(password).map_err(ApiError::at("password"))?;
    let invited = pending(state, token)
        .await?
        .ok_or_else(|| ApiError::not_found(NO_LONGER_VALID))?;
    if sso_only_organization(state, invited.invitation.organization_id).await? {
        return Err(ApiError::conflict(JOIN_BY_SINGLE_SIGN_ON));
    }
    let email = Email::parse(&invited.invitation.email).map_err(ApiError::internal)?;
    let now = state.now();
    let user = match state.store.user_by_email(&email).await? {
        // They followed the link in the mail: the address is theirs.
        None => open_account(state, email, password, display_name, Some(now)).await?,
        Some(unproven) if unproven.email_verified_at.is_none() => {
            let hash = state
                .passwords
                .hash(password.expose())
                .await
                .map_err(ApiError::internal)?;
            if !state
                .store
                .reclaim_unverified_account(unproven.id, display_name.as_str(), &hash, now)
                .await?
            {
                return Err(ApiError::conflict(SIGN_IN_FIRST));
            }
            record(
                state,
                Some(unproven.id),
                AuditAction::AccountReclaimed,
                format!("user:{}", unproven.id),
                json!({ "ip": ip.to_string(), "by": "invitation" }),
            )
            .await?;
            super::identity::recheck_sockets(state, unproven.id).await;
            reload(state, unproven.id).await?
        }
        Some(_) => return Err(ApiError::conflict(SIGN_IN_FIRST)),
    };
    join(state, &user, &invited.invitation, ip).await?;
    reload(state, user.id).await
}

/// An invitation would give a password; an SSO-only organization's people have none.
const JOIN_BY_SINGLE_SIGN_ON: &str = "this organization signs in only through single \
    sign-on: people join by signing in there (or through the directory), not by invitation";

const SIGN_IN_FIRST: &str =
    "an account already uses this address: sign in to it, then open the link again";

/// Accepts for the signed-in owner of the invited address.
pub async fn accept_signed_in(
    state: &AppState,
    principal: &Principal,
    ip: IpAddr,
    token: &str,
) -> Result<(), ApiError> {
    let invited = pending(state, token)
        .await?
        .ok_or_else(|| ApiError::not_found(NO_LONGER_VALID))?;
    if principal.user.email != invited.invitation.email {
        return Err(ApiError::forbidden(
            "this invitation is for another address; sign out and open it again",
        ));
    }
    join(state, &principal.user, &invited.invitation, ip).await
}

/// Joins the organization with the invitation's department and roles (kept beside any
/// instance-wide roles the person has), once.
async fn join(
    state: &AppState,
    user: &User,
    invitation: &Invitation,
    ip: IpAddr,
) -> Result<(), ApiError> {
    if user
        .organization_id
        .is_some_and(|o| o != invitation.organization_id)
    {
        return Err(ApiError::conflict(
            "your account belongs to another organization; ask its administrator to remove \
             you from it first",
        ));
    }
    let now = state.now();
    if !state
        .store
        .accept_invitation(invitation.id, user.id, now)
        .await?
    {
        return Err(ApiError::not_found(NO_LONGER_VALID));
    }
    state
        .store
        .set_membership(
            user.id,
            Some(invitation.organization_id),
            invitation.department_id,
        )
        .await?;
    let roles = Roles::new(user.roles.iter().chain(invitation.roles.iter()));
    state.store.set_roles(user.id, &roles).await?;
    state.store.set_email_verified(user.id, now).await?;
    record(
        state,
        Some(user.id),
        AuditAction::InvitationAccepted,
        format!("invitation:{}", invitation.id),
        json!({
            "ip": ip.to_string(),
            "organization": invitation.organization_id,
            "department": invitation.department_id,
            "roles": roles.to_stored(),
        }),
    )
    .await
}

async fn reload(state: &AppState, user_id: i64) -> Result<User, ApiError> {
    state
        .store
        .user(user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("the account disappeared"))
}
