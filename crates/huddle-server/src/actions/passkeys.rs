//! Passkeys (WebAuthn): registering one on the account, removing it, and signing in with
//! one, passwordless (a discoverable credential) or as the second factor after a password.
//!
//! Every ceremony's state stays on the server (`passkey_ceremonies`): the browser holds
//! only a random ceremony id, which is taken once and expires after
//! [`CEREMONY_MINUTES`]. webauthn-rs checks the signature, the origin, user verification
//! and the sign counter; a counter that goes backwards is refused and audited as a
//! possible copy of the credential.

use std::net::IpAddr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use huddle_core::audit::AuditAction;
use huddle_core::clock::MINUTE;
use huddle_store::{NewPasskey, PasskeyCeremony, StoreError, StoredPasskey, User};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::json;
use webauthn_rs::prelude::{
    CreationChallengeResponse, DiscoverableAuthentication, Passkey, PasskeyAuthentication,
    PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Uuid, WebauthnError,
};
use webauthn_rs::Webauthn;
use webauthn_rs_proto::ResidentKeyRequirement;

use super::audit::record;
use crate::auth::secrets::{hash_secret, new_secret};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// How long a begun ceremony may wait for the browser's answer.
pub const CEREMONY_MINUTES: i64 = 5;

/// What a ceremony is for; a ceremony begun for one is refused for another.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Register,
    SecondFactor,
    SignIn,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Register => "register",
            Kind::SecondFactor => "second_factor",
            Kind::SignIn => "sign_in",
        }
    }
}

/// What the browser gets to begin a ceremony: the id to send back, and the options for
/// `navigator.credentials.create` or `.get`.
pub struct Begun<T> {
    pub ceremony: String,
    pub options: T,
}

/// What a registration keeps between its two halves.
#[derive(Serialize, Deserialize)]
struct Registering {
    handle: Uuid,
    registration: PasskeyRegistration,
}

const STALE_CEREMONY: &str =
    "this passkey request expired or was already used; start again (it lasts five minutes)";
const NOT_SIGNED_IN: &str = "this passkey cannot sign in here (it may have been removed)";

/// Begins adding a passkey to the person's account. The passkey is discoverable (kept on
/// the authenticator with the account's handle) so it can sign in without an email.
pub async fn begin_registration(
    state: &AppState,
    rp: &Webauthn,
    p: &Principal,
) -> Result<Begun<CreationChallengeResponse>, ApiError> {
    let existing = state.store.passkeys(p.id()).await?;
    let handle = match existing.first() {
        Some(first) => Uuid::parse_str(&first.user_handle)
            .map_err(|_| StoreError::Corrupt(format!("passkey {} user handle", first.id)))?,
        None => Uuid::new_v4(),
    };
    let exclude = existing
        .iter()
        .map(|k| URL_SAFE_NO_PAD.decode(&k.credential_id))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| StoreError::Corrupt("passkey credential id".into()))?;
    let (mut options, registration) = rp
        .start_passkey_registration(handle, &p.user.email, &p.user.display_name, Some(exclude))
        .map_err(ApiError::internal)?;
    // A resident (discoverable) credential, so the passkey alone can sign in.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    let ceremony = keep(
        state,
        Kind::Register,
        Some(p.id()),
        &Registering {
            handle,
            registration,
        },
    )
    .await?;
    Ok(Begun { ceremony, options })
}

/// A passkey's name: what the person will recognise it by in the list.
pub fn parse_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "name",
            "name the passkey in 1 to 64 characters, e.g. \"work laptop\"",
        ));
    }
    Ok(name.to_string())
}

/// Finishes adding a passkey: the authenticator's answer to the ceremony begun by
/// [`begin_registration`] for this same person.
pub async fn finish_registration(
    state: &AppState,
    rp: &Webauthn,
    p: &Principal,
    ceremony: &str,
    name: &str,
    credential: &RegisterPublicKeyCredential,
) -> Result<StoredPasskey, ApiError> {
    let name = parse_name(name)?;
    let kept: Registering = take(state, ceremony, Kind::Register, Some(p.id())).await?;
    let passkey = rp
        .finish_passkey_registration(credential, &kept.registration)
        .map_err(|e| {
            ApiError::invalid(
                "credential",
                format!("the authenticator's answer did not verify ({e})"),
            )
        })?;
    let stored = state
        .store
        .add_passkey(NewPasskey {
            user_id: p.id(),
            credential_id: URL_SAFE_NO_PAD.encode(passkey.cred_id()),
            user_handle: kept.handle.to_string(),
            name: name.clone(),
            credential: serde_json::to_string(&passkey).map_err(ApiError::internal)?,
            created_at: state.now(),
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::conflict("this passkey is registered already"),
            other => other.into(),
        })?;
    record(
        state,
        Some(p.id()),
        AuditAction::PasskeyAdded,
        format!("passkey:{}", stored.id),
        json!({ "name": name }),
    )
    .await?;
    Ok(stored)
}

/// The person's passkeys, oldest first.
pub async fn list(state: &AppState, p: &Principal) -> Result<Vec<StoredPasskey>, ApiError> {
    Ok(state.store.passkeys(p.id()).await?)
}

/// What is left to the person after removing a passkey.
pub struct Removed {
    /// No passkey and no authenticator app remain: a password alone signs in now.
    pub was_last_second_factor: bool,
}

/// Removes one of the person's passkeys (404 for anyone else's). It stops signing in at
/// once: every ceremony looks the credential up again.
pub async fn remove(state: &AppState, p: &Principal, id: i64) -> Result<Removed, ApiError> {
    if !state.store.remove_passkey(p.id(), id).await? {
        return Err(ApiError::not_found("you have no passkey with this id"));
    }
    let left = state.store.passkeys(p.id()).await?.len();
    let was_last_second_factor = left == 0 && !p.user.mfa_enabled();
    record(
        state,
        Some(p.id()),
        AuditAction::PasskeyRemoved,
        format!("passkey:{id}"),
        json!({ "passkeys_left": left, "second_factor_left": !was_last_second_factor }),
    )
    .await?;
    Ok(Removed {
        was_last_second_factor,
    })
}

/// Does the account have a passkey (so a password sign-in asks for it)?
pub async fn has_passkey(state: &AppState, user_id: i64) -> Result<bool, ApiError> {
    Ok(!state.store.passkeys(user_id).await?.is_empty())
}

/// Begins the second step for someone whose password was right: any of their passkeys.
pub async fn begin_second_factor(
    state: &AppState,
    rp: &Webauthn,
    user: &User,
) -> Result<Begun<RequestChallengeResponse>, ApiError> {
    let passkeys = state
        .store
        .passkeys(user.id)
        .await?
        .iter()
        .map(parse_passkey)
        .collect::<Result<Vec<_>, _>>()?;
    if passkeys.is_empty() {
        return Err(ApiError::conflict("this account has no passkey"));
    }
    let (options, authentication) = rp
        .start_passkey_authentication(&passkeys)
        .map_err(ApiError::internal)?;
    let ceremony = keep(state, Kind::SecondFactor, Some(user.id), &authentication).await?;
    Ok(Begun { ceremony, options })
}

/// Finishes the second step with one of the person's own passkeys.
pub async fn finish_second_factor(
    state: &AppState,
    rp: &Webauthn,
    user: &User,
    ip: IpAddr,
    ceremony: &str,
    credential: &PublicKeyCredential,
) -> Result<(), ApiError> {
    let kept: PasskeyAuthentication =
        take(state, ceremony, Kind::SecondFactor, Some(user.id)).await?;
    let stored = stored_passkey(state, credential)
        .await?
        .filter(|k| k.user_id == user.id);
    let Some(stored) = stored else {
        refused(
            state,
            Some(user.id),
            ip,
            "passkey of another account or removed",
        )
        .await?;
        return Err(ApiError::unauthenticated(NOT_SIGNED_IN));
    };
    let result = rp.finish_passkey_authentication(credential, &kept);
    verified(state, &stored, ip, result, "second_factor").await
}

/// Begins a passwordless sign-in: the authenticator offers whichever passkey the person
/// picks. Counted by the sign-in throttle, like a password attempt from this address.
pub async fn begin_sign_in(
    state: &AppState,
    rp: &Webauthn,
    ip: IpAddr,
) -> Result<Begun<RequestChallengeResponse>, ApiError> {
    if let Err(wait) = state.sign_in_throttle.attempt(ip, state.now()) {
        return Err(ApiError::too_many(
            "too many sign-in attempts from this address; wait a minute",
            wait,
        ));
    }
    let (mut options, authentication) = rp
        .start_discoverable_authentication()
        .map_err(ApiError::internal)?;
    // A button the person pressed, not the autofill prompt: the browser asks at once.
    options.mediation = None;
    let ceremony = keep(state, Kind::SignIn, None, &authentication).await?;
    Ok(Begun { ceremony, options })
}

/// Finishes a passwordless sign-in: the account the passkey belongs to, if it may sign
/// in. A deactivated account never does, nor one whose address is not proved. Neither resets nor counts toward the password
/// lockout: the password was not tried.
pub async fn finish_sign_in(
    state: &AppState,
    rp: &Webauthn,
    ip: IpAddr,
    ceremony: &str,
    credential: &PublicKeyCredential,
) -> Result<User, ApiError> {
    let kept: DiscoverableAuthentication = take(state, ceremony, Kind::SignIn, None).await?;
    let handle = rp
        .identify_discoverable_authentication(credential)
        .ok()
        .map(|(handle, _)| handle.to_string());
    let stored = stored_passkey(state, credential)
        .await?
        .filter(|k| Some(&k.user_handle) == handle.as_ref());
    let Some(stored) = stored else {
        refused(state, None, ip, "unknown passkey").await?;
        return Err(ApiError::unauthenticated(NOT_SIGNED_IN));
    };
    // Deactivated, or (never the case for an account that could add a passkey) an address
    // not proved: the same answer as an unknown passkey, nothing to learn from trying.
    let user = match state.store.user(stored.user_id).await? {
        Some(u) if u.deactivated_at.is_some() => Err("deactivated"),
        Some(u) if u.email_verified_at.is_none() => Err("address not proved"),
        Some(u) => Ok(u),
        None => Err("unknown account"),
    };
    let user = match user {
        Ok(user) => user,
        Err(reason) => {
            refused(state, Some(stored.user_id), ip, reason).await?;
            return Err(ApiError::unauthenticated(NOT_SIGNED_IN));
        }
    };
    let passkey = parse_passkey(&stored)?;
    let result = rp.finish_discoverable_authentication_v2(credential, kept, &passkey);
    verified(state, &stored, ip, result, "passwordless").await?;
    // An SSO-only organization's people sign in through its provider alone.
    if super::sso::sso_only(state, &user).await? {
        refused(state, Some(user.id), ip, "single sign-on only").await?;
        return Err(ApiError::unauthenticated(super::sso::PASSWORDS_OFF));
    }
    Ok(user)
}

/// After webauthn-rs checked an assertion: keeps the new sign counter, or refuses (and
/// audits a counter that went backwards as a possible clone).
async fn verified(
    state: &AppState,
    stored: &StoredPasskey,
    ip: IpAddr,
    result: Result<webauthn_rs::prelude::AuthenticationResult, WebauthnError>,
    how: &str,
) -> Result<(), ApiError> {
    let target = format!("passkey:{}", stored.id);
    let result = match result {
        Ok(result) => result,
        Err(WebauthnError::CredentialPossibleCompromise) => {
            let detail = json!({ "ip": ip.to_string(), "as": how });
            record(
                state,
                Some(stored.user_id),
                AuditAction::PasskeyCloneSuspected,
                target,
                detail,
            )
            .await?;
            return Err(ApiError::unauthenticated(
                "this passkey's signature counter went backwards, so it may have been copied; \
                 it was refused. Remove it and add it again, or sign in another way",
            ));
        }
        Err(e) => {
            refused(state, Some(stored.user_id), ip, "passkey did not verify").await?;
            return Err(ApiError::unauthenticated(format!(
                "the passkey's answer did not verify ({e})"
            )));
        }
    };
    let mut passkey = parse_passkey(stored)?;
    passkey.update_credential(&result);
    let credential = serde_json::to_string(&passkey).map_err(ApiError::internal)?;
    state
        .store
        .passkey_used(stored.id, &credential, state.now())
        .await?;
    record(
        state,
        Some(stored.user_id),
        AuditAction::PasskeyUsed,
        target,
        json!({ "ip": ip.to_string(), "as": how }),
    )
    .await
}

async fn refused(
    state: &AppState,
    user: Option<i64>,
    ip: IpAddr,
    reason: &str,
) -> Result<(), ApiError> {
    let target = user.map_or_else(|| "user:unknown".to_string(), |id| format!("user:{id}"));
    record(
        state,
        user,
        AuditAction::SignInFailed,
        target,
        json!({ "ip": ip.to_string(), "reason": reason }),
    )
    .await
}

async fn stored_passkey(
    state: &AppState,
    credential: &PublicKeyCredential,
) -> Result<Option<StoredPasskey>, ApiError> {
    let id = URL_SAFE_NO_PAD.encode(credential.get_credential_id());
    Ok(state.store.passkey_by_credential(&id).await?)
}

fn parse_passkey(stored: &StoredPasskey) -> Result<Passkey, ApiError> {
    serde_json::from_str(&stored.credential)
        .map_err(|_| StoreError::Corrupt(format!("passkey {}", stored.id)).into())
}

/// Keeps a ceremony's state; returns the id the browser sends back.
async fn keep(
    state: &AppState,
    kind: Kind,
    user_id: Option<i64>,
    kept: &impl Serialize,
) -> Result<String, ApiError> {
    let id = new_secret();
    let now = state.now();
    let ceremony = PasskeyCeremony {
        id_hash: hash_secret(&id),
        kind: kind.as_str().to_string(),
        user_id,
        state: serde_json::to_string(kept).map_err(ApiError::internal)?,
        expires_at: now + CEREMONY_MINUTES * MINUTE,
    };
    state.store.begin_passkey_ceremony(&ceremony, now).await?;
    Ok(id)
}

/// Takes a ceremony once, if it is of this kind and this person's (or nobody's).
async fn take<T: DeserializeOwned>(
    state: &AppState,
    id: &str,
    kind: Kind,
    user_id: Option<i64>,
) -> Result<T, ApiError> {
    let taken = state
        .store
        .take_passkey_ceremony(&hash_secret(id), state.now())
        .await?
        .filter(|c| c.kind == kind.as_str() && c.user_id == user_id);
    let Some(ceremony) = taken else {
        return Err(ApiError::invalid("ceremony", STALE_CEREMONY));
    };
    serde_json::from_str(&ceremony.state)
        .map_err(|_| StoreError::Corrupt("passkey ceremony".into()).into())
}
