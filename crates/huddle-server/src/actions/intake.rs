//! How machines put alerts in: each feed (a lab system, a monitor gateway, an EHR) is an
//! integration client an administrator registers, with its own credential (shown once,
//! stored hashed, revocable), the sources and kinds it may send, its HL7 identity and the
//! addresses it may connect from. People never post as a machine; they page.

use std::net::IpAddr;

use huddle_core::audit::AuditAction;
use huddle_core::identity::Npi;
use huddle_core::routing::hl7::ResultMessage;
use huddle_core::routing::{Priority, Scope, Sender};
use huddle_store::{Intake, Integration, NewIntegration};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::record;
use super::routing::{parse_recipient, route, AlertRequest, AlertView, Incoming, Target};
use crate::auth::access::OrgAdmin;
use crate::auth::secrets::{hash_secret, new_secret};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// Integration credentials carry their own prefix: a leaked one is recognizable, and it is
/// never mistaken for a person's API token.
pub const CREDENTIAL_PREFIX: &str = "hki_";

/// What an administrator registers.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntegrationRequest {
    /// What the feed is, e.g. "Core lab (Epic Beaker)".
    pub name: String,
    /// The sources it may send as, comma-separated: lab, monitor, ehr …
    pub sources: String,
    /// The kinds of alert it may send, comma-separated: critical_lab, abnormal_lab …
    pub kinds: String,
    /// IPs or CIDR blocks it may connect from, comma-separated; empty for any.
    #[serde(default)]
    pub addresses: String,
    /// For HL7 feeds: MSH-3 (sending application) and MSH-4 (sending facility).
    #[serde(default)]
    pub hl7_application: String,
    #[serde(default)]
    pub hl7_facility: String,
}

/// A registered feed as its administrators see it (never its credential).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IntegrationView {
    pub id: i64,
    pub name: String,
    pub sources: String,
    pub kinds: String,
    pub addresses: String,
    pub hl7_application: String,
    pub hl7_facility: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl From<Integration> for IntegrationView {
    fn from(i: Integration) -> Self {
        IntegrationView {
            id: i.id,
            name: i.name,
            sources: i.sources,
            kinds: i.kinds,
            addresses: i.addresses,
            hl7_application: i.hl7_application,
            hl7_facility: i.hl7_facility,
            created_at: i.created_at,
            last_used_at: i.last_used_at,
            revoked_at: i.revoked_at,
        }
    }
}

fn hl7_part(field: &str, value: &str) -> Result<String, ApiError> {
    let v = value.trim();
    if v.len() > 64 || v.chars().any(|c| c.is_control() || "|^~\\&".contains(c)) {
        return Err(ApiError::invalid(
            field,
            "up to 64 characters, without HL7 separators",
        ));
    }
    Ok(v.to_string())
}

/// Registers a feed. Returns it with its credential, which is shown this once.
pub async fn register(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    r: IntegrationRequest,
) -> Result<(IntegrationView, String), ApiError> {
    OrgAdmin::of(p, organization_id)?;
    let name = r.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid("name", "1 to 100 characters"));
    }
    let scope = Scope::parse(&r.sources, &r.kinds, &r.addresses)
        .map_err(|e| ApiError::invalid(e.field, e.problem))?;
    let hl7_application = hl7_part("hl7_application", &r.hl7_application)?;
    let hl7_facility = hl7_part("hl7_facility", &r.hl7_facility)?;
    if hl7_application.is_empty() && !hl7_facility.is_empty() {
        return Err(ApiError::invalid(
            "hl7_application",
            "name the sending application (MSH-3) with its facility",
        ));
    }
    let secret = format!("{CREDENTIAL_PREFIX}{}", new_secret());
    let (sources, kinds, addresses) = scope.stored();
    let made = state
        .store
        .create_integration(NewIntegration {
            organization_id,
            name: name.to_string(),
            sources,
            kinds,
            addresses,
            hl7_application,
            hl7_facility,
            secret_hash: hash_secret(&secret),
            created_by: Some(p.id()),
            created_at: state.now(),
        })
        .await
        .map_err(|e| match e {
            huddle_store::StoreError::Conflict(_) => ApiError::conflict(
                "a feed with this name, or a live feed with this HL7 sending application and facility, exists",
            ),
            other => other.into(),
        })?;
    record(
        state,
        Some(p.id()),
        AuditAction::IntegrationRegistered,
        format!("integration:{}", made.id),
        json!({ "organization": organization_id, "name": made.name, "sources": made.sources,
            "kinds": made.kinds, "addresses": made.addresses,
            "hl7": [made.hl7_application, made.hl7_facility] }),
    )
    .await?;
    Ok((made.into(), secret))
}

pub async fn list(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
) -> Result<Vec<IntegrationView>, ApiError> {
    OrgAdmin::of(p, organization_id)?;
    Ok(state
        .store
        .integrations(organization_id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn revoke(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    id: i64,
) -> Result<(), ApiError> {
    OrgAdmin::of(p, organization_id)?;
    if !state
        .store
        .revoke_integration(organization_id, id, state.now())
        .await?
    {
        return Err(ApiError::not_found("no live feed with this id here"));
    }
    record(
        state,
        Some(p.id()),
        AuditAction::IntegrationRevoked,
        format!("integration:{id}"),
        json!({ "organization": organization_id }),
    )
    .await
}

fn remember_name(state: &AppState, feed: &Integration) {
    if let Ok(mut names) = state.feed_names.lock() {
        names.insert(feed.id, feed.name.clone());
    }
}

/// A feed's name, for showing an alert's sender (kept in memory: names never change).
pub async fn feed_name(state: &AppState, id: i64) -> Result<String, ApiError> {
    if let Some(name) = state
        .feed_names
        .lock()
        .ok()
        .and_then(|n| n.get(&id).cloned())
    {
        return Ok(name);
    }
    Ok(match state.store.integration(id).await? {
        Some(feed) => {
            remember_name(state, &feed);
            feed.name
        }
        None => format!("feed {id}"),
    })
}

/// The feed behind a presented credential, if it is live.
pub async fn feed_by_credential(
    state: &AppState,
    credential: &str,
) -> Result<Option<Integration>, ApiError> {
    let Some(feed) = state
        .store
        .integration_by_secret(&hash_secret(credential))
        .await?
    else {
        return Ok(None);
    };
    remember_name(state, &feed);
    let now = state.now();
    if feed
        .last_used_at
        .is_none_or(|t| now - t > huddle_core::clock::MINUTE)
    {
        state.store.touch_integration(feed.id, now).await?;
    }
    Ok(Some(feed))
}

fn scope_of(feed: &Integration) -> Result<Scope, ApiError> {
    Scope::parse(&feed.sources, &feed.kinds, &feed.addresses)
        .map_err(|e| ApiError::internal(format!("stored scope of feed {}: {e}", feed.id)))
}

/// Records a refused intake: whoever knocked, and why, so a forged page can be traced.
pub async fn refused(
    state: &AppState,
    actor: Option<i64>,
    target: String,
    why: &str,
) -> Result<(), ApiError> {
    metrics::counter!("huddle_alerts_refused_total").increment(1);
    record(
        state,
        actor,
        AuditAction::AlertRefused,
        target,
        json!({ "why": why }),
    )
    .await
}

/// A person knocked at the machines' door: refused, audited, told where to go.
pub async fn person_at_feed_door(state: &AppState, p: &Principal) -> ApiError {
    let why =
        "alert intake takes an integration credential; to page a physician, use POST /api/v1/pages";
    if let Err(e) = refused(state, Some(p.id()), format!("user:{}", p.id()), why).await {
        return e;
    }
    ApiError::forbidden(why)
}

/// A feed's alert over HTTP (JSON or FHIR): within its scope, from an allowed address.
pub async fn from_feed(
    state: &AppState,
    feed: &Integration,
    from: IpAddr,
    r: AlertRequest,
) -> Result<(AlertView, Intake), ApiError> {
    let scope = scope_of(feed)?;
    let target = format!("integration:{}", feed.id);
    if !scope.allows_address(from) {
        refused(
            state,
            None,
            target,
            &format!("address {from} is not on its list"),
        )
        .await?;
        return Err(ApiError::forbidden(
            "this integration may not connect from this address",
        ));
    }
    let source = r.source.trim().to_ascii_lowercase();
    let kind = r.category.trim().to_ascii_lowercase();
    if let Err(e) = scope.may_send(&source, &kind) {
        refused(state, None, target, &e.to_string()).await?;
        return Err(ApiError::invalid(e.field, e.problem));
    }
    let recipient = parse_recipient(state, feed.organization_id, &r.recipient).await?;
    let incoming = Incoming::from_request(
        feed.organization_id,
        Sender::Integration(feed.id),
        r,
        recipient,
    )?;
    route(state, incoming).await
}

/// Why an HL7 message was not taken: `Rejected` (AR) when the sender may not send it here,
/// `Error` (AE) when the message or Huddle failed.
pub enum Hl7Refusal {
    Rejected(String),
    Error(String),
}

/// An HL7 result from the feed registered for its MSH-3/4, connected from `peer`. It goes
/// to the ordering or attending physician when the message names one by verified NPI,
/// else to the service's on-call.
pub async fn from_hl7(
    state: &AppState,
    peer: IpAddr,
    result: &ResultMessage,
) -> Result<(AlertView, Intake), Hl7Refusal> {
    let (app, facility) = (
        &result.header.sending_application,
        &result.header.sending_facility,
    );
    let who = format!("hl7:{app}^{facility}");
    let reject = |why: String| async move {
        let _ = refused(state, None, who.clone(), &why).await;
        Err(Hl7Refusal::Rejected(why))
    };
    let feed = match state.store.integration_for_hl7(app, facility).await {
        Ok(Some(feed)) => feed,
        Ok(None) => {
            return reject(format!(
                "{app} at {facility} (MSH-3/MSH-4) is not a registered feed"
            ))
            .await
        }
        Err(e) => return Err(Hl7Refusal::Error(ApiError::from(e).detail().to_string())),
    };
    remember_name(state, &feed);
    let scope = scope_of(&feed).map_err(|e| Hl7Refusal::Error(e.detail().to_string()))?;
    if !scope.allows_address(peer) {
        return reject(format!("{app} may not send from {peer}")).await;
    }
    let category = result.category();
    if let Err(e) = scope.may_send("lab", category) {
        return reject(e.to_string()).await;
    }
    let service = if result.service.is_empty() {
        state.config.hl7.default_service.clone()
    } else {
        result.service.clone()
    };
    let error = |e: ApiError| {
        Hl7Refusal::Error(match e.field() {
            Some(field) => format!("{field}: {}", e.detail()),
            None => e.detail().to_string(),
        })
    };
    let mut target = None;
    for id in &result.providers {
        let Ok(npi) = Npi::parse(id) else { continue };
        if let Some(user) = state
            .store
            .physician_by_npi(feed.organization_id, npi.as_str())
            .await
            .map_err(|e| error(e.into()))?
        {
            target = Some(Target::Physician(user));
            break;
        }
    }
    let incoming = Incoming {
        organization_id: feed.organization_id,
        sender: Sender::Integration(feed.id),
        source: "lab".into(),
        source_id: Some(sanitize(&result.header.control_id)),
        category: category.into(),
        priority: if category == "critical_lab" {
            Priority::Urgent
        } else {
            Priority::Routine
        },
        target: target.unwrap_or_else(|| Target::OnCall(service.clone())),
        service,
        patient: result.patient.chars().take(64).collect(),
        text: result.text().chars().take(2000).collect(),
        callback: String::new(),
    };
    route(state, incoming).await.map_err(error)
}

/// A control id as a safe source id: letters, digits and - _ . only.
fn sanitize(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(90)
        .collect();
    if clean.is_empty() {
        "hl7".into()
    } else {
        clean
    }
}
