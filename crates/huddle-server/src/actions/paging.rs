//! Pages from people: a nurse (or any clinician or physician of the organization) pages a
//! physician or a role ("cardiology on call") with patient context, a message, a callback
//! number and an urgency the policy lets their team choose. A page is an alert like any
//! other — the same engine, policy, coverage, escalation and timeline — whose sender is a
//! person, and the sender follows it: delivered, acknowledged, escalated.

use huddle_core::clock::DAY;
use huddle_core::routing::intake::PAGE_SOURCE;
use huddle_core::routing::{PageUrgency, Sender};
use huddle_store::Intake;
use serde::{Deserialize, Serialize};

use super::routing::{self, parse_recipient, route, AlertView, Incoming};
use crate::auth::access::Pager;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// What a person submits.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageRequest {
    /// A physician's user id (`42`) or a role: `oncall:cardiology`.
    pub recipient: String,
    /// routine, urgent or stat, as the organization's policy lets your team choose.
    pub urgency: String,
    pub message: String,
    /// The patient it is about (room, initials, MRN), if any.
    #[serde(default)]
    pub patient: String,
    /// Where to call back: a phone or extension.
    #[serde(default)]
    pub callback: String,
    /// Your own id for this page: sending it again with the same content does not page twice.
    #[serde(default)]
    pub client_id: Option<String>,
}

/// A page as its sender follows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SentPage {
    pub alert: AlertView,
    /// Who holds it now.
    pub holder_name: String,
    /// waiting (for a digest), delivered, acknowledged, escalated or answered.
    pub status: String,
    /// The status in words.
    pub status_text: String,
}

/// The urgencies this person may choose, by their organization's policy.
pub async fn urgencies(state: &AppState, p: &Principal) -> Result<Vec<PageUrgency>, ApiError> {
    let pager = Pager::of(p)?;
    let (policy, _) = routing::policy(state, pager.organization_id()).await?;
    Ok(policy.page_urgencies_for(&pager.team).to_vec())
}

pub async fn page(
    state: &AppState,
    p: &Principal,
    r: PageRequest,
) -> Result<(SentPage, Intake), ApiError> {
    let organization_id = Pager::of(p)?.organization_id();
    let urgency = PageUrgency::parse(&r.urgency)
        .ok_or_else(|| ApiError::invalid("urgency", "routine, urgent or stat"))?;
    let allowed = urgencies(state, p).await?;
    if !allowed.contains(&urgency) {
        let names: Vec<&str> = allowed.iter().map(|u| u.as_str()).collect();
        return Err(ApiError::invalid(
            "urgency",
            format!(
                "your organization's policy lets you choose {}",
                names.join(" or ")
            ),
        ));
    }
    let callback = r.callback.trim();
    if callback.chars().count() > 40
        || !callback
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().xX#*".contains(c))
    {
        return Err(ApiError::invalid(
            "callback",
            "a phone number or extension, up to 40 characters",
        ));
    }
    let target = parse_recipient(state, organization_id, &r.recipient).await?;
    let service = match &target {
        routing::Target::OnCall(s) => s.clone(),
        routing::Target::Physician(_) => PAGE_SOURCE.to_string(),
    };
    let (category, priority) = urgency.routing();
    let (alert, intake) = route(
        state,
        Incoming {
            organization_id,
            sender: Sender::Person(p.id()),
            source: PAGE_SOURCE.into(),
            source_id: r.client_id,
            category: category.into(),
            priority,
            service,
            target,
            patient: r.patient,
            text: r.message,
            callback: callback.to_string(),
        },
    )
    .await
    .map_err(|e| match e.field() {
        // The routing names of the fields, in the words of the page form.
        Some("text") => ApiError::invalid("message", e.detail().to_string()),
        Some("source_id") => ApiError::invalid("client_id", e.detail().to_string()),
        _ => e,
    })?;
    Ok((follow(state, alert).await?, intake))
}

/// The pages this person sent in the last day, newest first, with where each stands.
pub async fn sent(state: &AppState, p: &Principal) -> Result<Vec<SentPage>, ApiError> {
    Pager::of(p)?;
    let since = state.now() - DAY;
    let mut pages = Vec::new();
    for a in state
        .store
        .sent_alerts(&Sender::Person(p.id()).to_string(), since, 50)
        .await?
    {
        pages.push(follow(state, routing::view(state, &a).await?).await?);
    }
    Ok(pages)
}

async fn follow(state: &AppState, alert: AlertView) -> Result<SentPage, ApiError> {
    let holder_name = routing::person_name(state, alert.delivered_to).await?;
    let (status, status_text) = match alert.state.as_str() {
        "acknowledged" => ("acknowledged", format!("Acknowledged by {holder_name}")),
        "acted" | "deferred" | "dismissed" => ("answered", format!("Answered by {holder_name}")),
        _ if alert.escalation_step > 0 => (
            "escalated",
            format!(
                "Escalated to {holder_name} (step {}), not yet acknowledged",
                alert.escalation_step
            ),
        ),
        _ if alert.deliver_at > state.now() => (
            "waiting",
            format!("Waiting for {holder_name}'s next digest"),
        ),
        _ => (
            "delivered",
            format!("Delivered to {holder_name}, not yet acknowledged"),
        ),
    };
    Ok(SentPage {
        alert,
        holder_name,
        status: status.into(),
        status_text,
    })
}
