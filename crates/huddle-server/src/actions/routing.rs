//! Alerts from hospital systems: intake, the engine's decision, delivery (a live interrupt
//! or a digest), answers that teach the engine, escalation of unacknowledged interrupts,
//! and the organization's policy and shift schedule.
//!
//! Each organization's engine lives in memory, rebuilt from the database when policy or
//! shifts change and at least every minute, so several nodes converge on the same view.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use huddle_core::audit::AuditAction;
use huddle_core::clock::{Millis, Zone, DAY, HOUR, MINUTE, SECOND};
use huddle_core::identity::Role;
use huddle_core::keys::KeyOwner;
use huddle_core::routing::intake::{self, Sender};
use huddle_core::routing::learning::{Correction, Outcome, Response};
use huddle_core::routing::schedule::{Schedule, Shift, ShiftRole};
use huddle_core::routing::{
    Alert, Delivery, DeliveryMode, Engine, Mode, MoveKind, Policy, Priority, Reach, Reason,
    Recipient,
};
use huddle_store::{Intake, NewAlert, NewShift, PolicyVersion, StoredAlert, StoredShift};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::actions::audit::record;
use crate::auth::access::{OrgAdmin, OrgReader};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// How far back answers teach a rebuilt engine, and how far around now shifts are loaded.
const LEARN_FROM: Millis = 28 * DAY;
const SHIFTS_BEFORE: Millis = 2 * DAY;
const SHIFTS_AFTER: Millis = 4 * DAY;
/// An engine older than this is rebuilt: other nodes' answers and edits arrive this way.
const FRESH_FOR: Millis = MINUTE;
const MAX_TEXT_CHARS: usize = 2000;

struct Cached {
    engine: Engine,
    built_at: Millis,
}

/// Each organization's engine, by organization id.
#[derive(Default)]
pub struct Engines(Mutex<HashMap<i64, Cached>>);

impl Engines {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<i64, Cached>>, ApiError> {
        self.0
            .lock()
            .map_err(|_| ApiError::internal("routing engines poisoned"))
    }

    pub(crate) fn forget(&self, organization_id: i64) {
        if let Ok(mut engines) = self.lock() {
            engines.remove(&organization_id);
        }
    }
}

/// What a sending system submits.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AlertRequest {
    /// The kind of system: lab, monitor, ehr, pharmacy, cds … (one of the sources the
    /// integration was registered for).
    pub source: String,
    /// The sender's own id for this alert: the same id and content again is the same alert.
    pub source_id: Option<String>,
    /// The kind of alert, as the policy names it (critical_lab, abnormal_lab, …).
    pub category: String,
    /// routine, urgent, asap or stat.
    pub priority: String,
    /// The service the patient is under.
    pub service: String,
    /// A physician's user id (`"42"` or `"user:42"`) or a role page (`"oncall:cardiology"`).
    pub recipient: String,
    pub patient: Option<String>,
    pub text: String,
}

/// An alert as its physician sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertView {
    pub id: i64,
    pub source: String,
    /// Who sent it: `integration:N` or `user:N`.
    pub sender: String,
    /// The sending feed's or person's name.
    pub sender_name: String,
    pub category: String,
    pub priority: String,
    pub service: String,
    pub recipient: String,
    pub patient: String,
    pub text: String,
    /// A number to call back (pages from people).
    pub callback: String,
    pub received_at: Millis,
    /// Who holds it now.
    pub delivered_to: i64,
    /// interrupt or queue.
    pub delivery: String,
    pub deliver_at: Millis,
    /// Why it interrupted or waited, in plain words; for an escalation, from whom and after
    /// how long.
    pub why: String,
    /// The engine's rule and what it weighed: the policy's limit, the static slot, the
    /// learned chance the alert needs this physician.
    #[schema(value_type = Object)]
    pub reason: serde_json::Value,
    /// open, acknowledged, acted, deferred or dismissed.
    pub state: String,
    pub escalation_step: i64,
    pub correction: Option<String>,
    /// The earlier alert of the same sender and id that said something else: this one was
    /// kept and delivered, and flagged.
    pub conflict_of: Option<i64>,
    /// The last move, when the alert was escalated or handed over.
    pub moved: Option<Moved>,
}

/// An escalation or handover, in the words both physicians see.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Moved {
    pub kind: MoveKind,
    pub from: i64,
    pub from_name: String,
    pub to: i64,
    pub to_name: String,
    /// Minutes from receipt to the move.
    pub after_minutes: i64,
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    text: String,
    patient: String,
    #[serde(default)]
    callback: String,
}

fn aad(organization_id: i64, source: &str, source_id: &str) -> String {
    format!("alert:{organization_id}:{source}:{source_id}")
}

fn doc_name(user_id: i64) -> String {
    user_id.to_string()
}

fn user_of(schedule: &Schedule, doc: u32) -> Option<i64> {
    schedule.name(doc).parse().ok()
}

fn secs(at: Millis) -> i64 {
    at.div_euclid(SECOND)
}

/// The organization's current policy, or the starting point when none was saved.
pub async fn policy(state: &AppState, organization_id: i64) -> Result<(Policy, i64), ApiError> {
    match state.store.current_policy(organization_id).await? {
        Some(v) => {
            let policy = serde_json::from_str(&v.policy)
                .map_err(|e| ApiError::internal(format!("stored policy: {e}")))?;
            Ok((policy, v.version))
        }
        None => Ok((Policy::starting_point(), 0)),
    }
}

/// Builds an engine from what the database holds: policy, shifts around now, answers of
/// the last weeks (so learning survives restarts), and digests already promised.
async fn build(state: &AppState, organization_id: i64) -> Result<Engine, ApiError> {
    let now = state.now();
    let (policy, _) = policy(state, organization_id).await?;
    let shifts = state
        .store
        .shifts(organization_id, now - SHIFTS_BEFORE, now + SHIFTS_AFTER)
        .await?;
    let mut schedule = Schedule::default();
    for s in &shifts {
        let doc = schedule.physician(&doc_name(s.user_id), &s.service);
        let service = schedule.service(&s.service);
        let role = ShiftRole::parse(&s.role).unwrap_or(ShiftRole::Day);
        let _ = schedule.add_shift(Shift {
            doc,
            service,
            role,
            start: secs(s.starts_at),
            end: secs(s.ends_at),
        });
    }
    let zone = super::organizations::organization_zone(state, organization_id).await?;
    let mut engine = Engine::new(policy, schedule, Mode::Predictive).with_zone(zone);
    for a in state
        .store
        .answered_alerts(organization_id, now - LEARN_FROM)
        .await?
    {
        learn(&mut engine, &a);
    }
    for (user_id, at) in state.store.pending_digests(organization_id, now).await? {
        if let Some(doc) = engine.schedule.doc_named(&doc_name(user_id)) {
            engine.remember_digest(doc, secs(at));
        }
    }
    Ok(engine)
}

/// Feeds one answered alert to the learner.
fn learn(engine: &mut Engine, a: &StoredAlert) {
    let (Some(answered), Some(outcome)) = (a.answered_at, Outcome::parse(&a.state)) else {
        return;
    };
    let doc = match engine.schedule.doc_named(&doc_name(a.delivered_to)) {
        Some(d) => d,
        None => engine
            .schedule
            .physician(&doc_name(a.delivered_to), &a.service),
    };
    let kind = engine.kind(&a.category);
    let priority = Priority::parse(&a.priority).unwrap_or(Priority::Routine);
    let seen = secs(a.deliver_at.max(a.received_at));
    engine.learner.observe(Response {
        doc,
        kind,
        priority,
        arrived: secs(a.received_at),
        seen,
        answered: secs(answered).max(seen),
        outcome,
        late: false,
    });
    let correction = match a.correction.as_deref() {
        Some("sooner") => Some(Correction::ShouldHaveReachedMeSooner),
        Some("later") => Some(Correction::CouldHaveWaited),
        _ => None,
    };
    if let Some(c) = correction {
        engine
            .learner
            .correct(doc, kind, priority, c, secs(answered));
    }
}

/// Runs `f` on the organization's engine, building it first when missing or stale.
async fn with_engine<T>(
    state: &AppState,
    organization_id: i64,
    f: impl FnOnce(&mut Engine) -> T,
) -> Result<T, ApiError> {
    let now = state.now();
    let fresh = state
        .routing
        .lock()?
        .get(&organization_id)
        .is_some_and(|c| now - c.built_at < FRESH_FOR);
    if !fresh {
        // Built outside the lock: it reads the database.
        let engine = build(state, organization_id).await?;
        let cached = Cached {
            engine,
            built_at: now,
        };
        state.routing.lock()?.insert(organization_id, cached);
    }
    let mut engines = state.routing.lock()?;
    let cached = engines
        .get_mut(&organization_id)
        .ok_or_else(|| ApiError::internal("routing engine missing"))?;
    Ok(f(&mut cached.engine))
}

fn check_name(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    intake::name(value, max)
        .ok_or_else(|| ApiError::invalid(field, format!("1 to {max} letters, digits or _ - . :")))
}

/// Who an alert is for.
pub enum Target {
    Physician(i64),
    OnCall(String),
}

impl Target {
    fn stored(&self) -> String {
        match self {
            Target::Physician(id) => format!("user:{id}"),
            Target::OnCall(s) => format!("oncall:{s}"),
        }
    }
}

/// Reads `42`, `user:42` (a physician of the organization) or `oncall:SERVICE`.
pub async fn parse_recipient(
    state: &AppState,
    organization_id: i64,
    recipient: &str,
) -> Result<Target, ApiError> {
    let r = recipient.trim();
    if let Some(service) = r.strip_prefix("oncall:") {
        return Ok(Target::OnCall(check_name("recipient", service, 64)?));
    }
    let id: i64 =
        r.strip_prefix("user:").unwrap_or(r).parse().map_err(|_| {
            ApiError::invalid("recipient", "a physician's user id or oncall:SERVICE")
        })?;
    match state.store.user(id).await? {
        Some(u) if u.organization_id == Some(organization_id) && u.roles.has(Role::Physician) => {
            Ok(Target::Physician(id))
        }
        _ => Err(ApiError::invalid(
            "recipient",
            "no physician with this id in your organization",
        )),
    }
}

/// An alert on its way in, checked and attributed: from a feed or from a person's page.
pub struct Incoming {
    pub organization_id: i64,
    pub sender: Sender,
    pub source: String,
    pub source_id: Option<String>,
    pub category: String,
    pub priority: Priority,
    pub service: String,
    pub target: Target,
    pub patient: String,
    pub text: String,
    pub callback: String,
}

impl Incoming {
    /// Checks a feed's request field by field (the recipient is resolved separately).
    pub fn from_request(
        organization_id: i64,
        sender: Sender,
        r: AlertRequest,
        target: Target,
    ) -> Result<Incoming, ApiError> {
        Ok(Incoming {
            organization_id,
            sender,
            source: check_name("source", &r.source, 32)?,
            source_id: r.source_id,
            category: check_name("category", &r.category, 64)?,
            priority: Priority::parse(&r.priority)
                .ok_or_else(|| ApiError::invalid("priority", "routine, urgent, asap or stat"))?,
            service: check_name("service", &r.service, 64)?,
            target,
            patient: r.patient.unwrap_or_default(),
            text: r.text,
            callback: String::new(),
        })
    }
}

/// Takes an alert in: decides, stores (committed before the answer) with its sender and
/// the start of its timeline, audits it, and delivers an interrupt live at once. A
/// duplicate (same sender, id and content) changes nothing; the same id with other
/// content is stored and delivered like any alert, flagged as a conflict.
pub async fn route(state: &AppState, a: Incoming) -> Result<(AlertView, Intake), ApiError> {
    let organization_id = a.organization_id;
    let text = a.text.trim().to_string();
    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::invalid(
            "text",
            format!("1 to {MAX_TEXT_CHARS} characters"),
        ));
    }
    let patient = a.patient.trim().to_string();
    if patient.chars().count() > 64 {
        return Err(ApiError::invalid(
            "patient",
            "a reference of up to 64 characters",
        ));
    }
    let source_id = match &a.source_id {
        Some(id) => check_name("source_id", id, 100)?,
        None => format!("huddle-{}", uuid_like()),
    };
    let recipient = a.target.stored();
    let content_hash = state.keys.digest(
        "alert-content",
        &intake::Content {
            source: &a.source,
            category: &a.category,
            priority: a.priority,
            service: &a.service,
            recipient: &recipient,
            patient: &patient,
            text: &text,
            callback: &a.callback,
        }
        .canonical(),
    );
    let now = state.now();
    let (service, category, priority, target) = (&a.service, &a.category, a.priority, &a.target);
    let decision = with_engine(state, organization_id, |engine| {
        let service_id = engine.schedule.service(service);
        let recipient = match target {
            Target::OnCall(s) => Recipient::OnCall(engine.schedule.service(s)),
            Target::Physician(id) => {
                Recipient::Physician(match engine.schedule.doc_named(&doc_name(*id)) {
                    Some(d) => d,
                    None => engine.schedule.physician(&doc_name(*id), service),
                })
            }
        };
        let kind = engine.kind(category);
        let alert = Alert {
            time: secs(now),
            kind,
            priority,
            service: service_id,
            recipient,
        };
        let inputs = engine.inputs(&alert);
        let d = engine.decide(&alert);
        let escalate_after = engine.policy.escalation_after(0);
        // With nobody of the service on the schedule at all there is no one to page.
        let reachable = match recipient {
            _ if d.reason != Reason::NobodyOnShift => true,
            Recipient::Physician(_) => true,
            Recipient::OnCall(s) => engine.schedule.service_of(d.to) == s,
        };
        let to_user = user_of(&engine.schedule, d.to).filter(|_| reachable);
        (
            d,
            to_user,
            escalate_after,
            inputs,
            engine.policy.reach.clone(),
        )
    })
    .await?;
    let (d, to_user, escalate_after, inputs, reach) = decision;
    let Some(to_user) = to_user else {
        return Err(ApiError::invalid(
            "recipient",
            "nobody of this service is on the schedule: import shifts first",
        ));
    };
    let key = state
        .keys
        .data_key(
            state.store.as_ref(),
            KeyOwner::Organization(organization_id),
            now,
        )
        .await?;
    let sealed = key
        .seal(
            &aad(organization_id, &a.source, &source_id),
            &serde_json::to_vec(&Sealed {
                text,
                patient,
                callback: a.callback.clone(),
            })
            .map_err(ApiError::internal)?,
        )
        .map_err(ApiError::internal)?;
    let delivery = DeliveryMode::from(d.delivery);
    let deliver_at = match d.delivery {
        Delivery::Interrupt => now,
        Delivery::Queue { at } => at * SECOND,
    };
    let reason = json!({ "rule": d.reason, "why": d.reason.explain(), "inputs": inputs });
    let (stored, intake) = state
        .store
        .create_alert(NewAlert {
            organization_id,
            sender: a.sender.to_string(),
            source: a.source,
            source_id,
            content_hash,
            category: a.category,
            priority: priority.as_str().to_string(),
            service: a.service,
            recipient,
            sealed,
            received_at: now,
            delivered_to: to_user,
            delivery: delivery.as_str().to_string(),
            deliver_at,
            reason: reason.to_string(),
            escalate_at: (delivery == DeliveryMode::Interrupt)
                .then(|| escalate_after.map(|s| now + s * SECOND))
                .flatten(),
            // Stored with the alert, so no write stands between it and the physician.
            confirm_by: (delivery == DeliveryMode::Interrupt)
                .then(|| now + reach.delivery_timeout_s * SECOND),
        })
        .await?;
    if intake == Intake::Duplicate {
        return Ok((view(state, &stored).await?, intake));
    }
    // The physician first: a critical alert never waits on bookkeeping. It is already
    // stored; the audit entries follow before the sender hears back.
    let view = view(state, &stored).await?;
    metrics::counter!("huddle_alerts_total", "delivery" => delivery.as_str()).increment(1);
    if DeliveryMode::is_interrupt(&stored.delivery) {
        let out = Some((stored.organization_id, reach));
        notify(state, &view, "alert.interrupt", out).await;
    } else {
        super::reach::queue_digest_notice(
            state,
            stored.organization_id,
            stored.delivered_to,
            stored.deliver_at,
        );
    }
    let person = match a.sender {
        Sender::Person(id) => Some(id),
        Sender::Integration(_) => None,
    };
    let detail = json!({
        "sender": stored.sender, "source": stored.source, "category": stored.category,
        "priority": stored.priority, "to": stored.delivered_to, "delivery": stored.delivery,
    });
    record(
        state,
        person,
        AuditAction::AlertReceived,
        format!("alert:{}", stored.id),
        detail,
    )
    .await?;
    if let Intake::Conflict { of } = intake {
        record(
            state,
            person,
            AuditAction::AlertConflict,
            format!("alert:{}", stored.id),
            json!({ "sender": stored.sender, "source_id": stored.source_id, "conflict_of": of }),
        )
        .await?;
    }
    Ok((view, intake))
}

fn uuid_like() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Publishes to the holder's live sockets; an interrupt also goes out by push and the
/// rung's other channels. Its delivery deadline is set before (stored with a new alert,
/// `expect_delivery` after a move), so that an open page's receipt always finds it.
async fn notify(state: &AppState, view: &AlertView, kind: &str, out: Option<(i64, Reach)>) {
    let event = json!({ "type": kind, "alert": view });
    state
        .bus
        .publish(vec![view.delivered_to], Arc::from(event.to_string()))
        .await;
    if let Some((organization_id, reach)) = out {
        super::reach::send_out(state, organization_id, view.clone(), reach);
    }
}

/// Tells a person who paged that their page moved on (acknowledged, escalated, answered).
async fn notify_sender(state: &AppState, a: &StoredAlert) {
    if let Some(Sender::Person(id)) = Sender::parse(&a.sender) {
        let event = json!({ "type": "page.update", "id": a.id, "state": a.state,
            "delivered_to": a.delivered_to, "escalation_step": a.escalation_step });
        state
            .bus
            .publish(vec![id], Arc::from(event.to_string()))
            .await;
    }
}

/// The display name of a sender or a person, for views.
pub async fn name_of(state: &AppState, who: &str) -> Result<String, ApiError> {
    Ok(match Sender::parse(who) {
        Some(Sender::Person(id)) => person_name(state, id).await?,
        Some(Sender::Integration(id)) => super::intake::feed_name(state, id).await?,
        None if who.is_empty() => "Huddle".to_string(),
        None => who.trim_start_matches("legacy:").to_string(),
    })
}

pub async fn person_name(state: &AppState, id: i64) -> Result<String, ApiError> {
    Ok(state
        .store
        .user(id)
        .await?
        .map_or_else(|| format!("user {id}"), |u| u.display_name))
}

/// An alert opened for display: its sealed text and patient, its sender's name, and the
/// last move in words.
pub async fn view(state: &AppState, a: &StoredAlert) -> Result<AlertView, ApiError> {
    let key = state
        .keys
        .data_key(
            state.store.as_ref(),
            KeyOwner::Organization(a.organization_id),
            state.now(),
        )
        .await?;
    let bytes = key
        .open(&aad(a.organization_id, &a.source, &a.source_id), &a.sealed)
        .map_err(ApiError::internal)?;
    let sealed: Sealed = serde_json::from_slice(&bytes).map_err(ApiError::internal)?;
    let reason: serde_json::Value = serde_json::from_str(&a.reason).unwrap_or_default();
    let moved = if a.escalation_step > 0 || a.delivered_to != first_holder(a) {
        last_move(state, a).await?
    } else {
        None
    };
    let why = match &moved {
        Some(m) if m.kind == MoveKind::Escalated => format!(
            "Escalated from {} after {} minutes unacknowledged (step {}).",
            m.from_name, m.after_minutes, a.escalation_step
        ),
        Some(m) => format!(
            "Handed over from {} when their shift ended ({} minutes after it came in).",
            m.from_name, m.after_minutes
        ),
        None => reason["why"].as_str().unwrap_or_default().to_string(),
    };
    Ok(AlertView {
        id: a.id,
        source: a.source.clone(),
        sender: a.sender.clone(),
        sender_name: name_of(state, &a.sender).await?,
        category: a.category.clone(),
        priority: a.priority.clone(),
        service: a.service.clone(),
        recipient: a.recipient.clone(),
        patient: sealed.patient,
        text: sealed.text,
        callback: sealed.callback,
        received_at: a.received_at,
        delivered_to: a.delivered_to,
        delivery: a.delivery.clone(),
        deliver_at: a.deliver_at,
        why,
        reason: json!({ "rule": reason["rule"], "why": reason["why"], "inputs": reason["inputs"] }),
        state: a.state.clone(),
        escalation_step: a.escalation_step,
        correction: a.correction.clone(),
        conflict_of: a.conflict_of,
        moved,
    })
}

/// Who the engine first gave the alert to, from the stored recipient when it was a
/// physician (an on-call page's first holder is in the timeline).
fn first_holder(a: &StoredAlert) -> i64 {
    a.recipient
        .strip_prefix("user:")
        .and_then(|id| id.parse().ok())
        .unwrap_or(a.delivered_to)
}

async fn last_move(state: &AppState, a: &StoredAlert) -> Result<Option<Moved>, ApiError> {
    let events = state.store.alert_events(a.id).await?;
    let Some((kind, e)) = events
        .iter()
        .rev()
        .find_map(|e| Some((MoveKind::parse(&e.kind)?, e)))
    else {
        return Ok(None);
    };
    let (Some(from), Some(to)) = (e.from_user, e.to_user) else {
        return Ok(None);
    };
    Ok(Some(Moved {
        kind,
        from,
        from_name: person_name(state, from).await?,
        to,
        to_name: person_name(state, to).await?,
        after_minutes: (e.at - a.received_at).max(0) / MINUTE,
    }))
}

/// One line of an alert's timeline, in words.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TimelineLine {
    pub at: Millis,
    /// received, conflict, routed, sent, delivered, seen, escalated, handed_over,
    /// acknowledged, on_my_way, answered
    pub kind: String,
    pub text: String,
}

/// The alert's story: received from whom, routed to whom and why, escalated from A to B
/// after N minutes, acknowledged by whom. For whoever may see the alert.
pub async fn timeline(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> Result<(AlertView, Vec<TimelineLine>), ApiError> {
    let view = one(state, p, id).await?;
    let events = state.store.alert_events(id).await?;
    let unconfirmed_at: Vec<Millis> = events
        .iter()
        .filter(|e| e.kind == "unconfirmed")
        .map(|e| e.at)
        .collect();
    let mut lines = Vec::new();
    for e in events {
        let name = |id: Option<i64>| async move {
            match id {
                Some(id) => person_name(state, id).await,
                None => Ok(String::new()),
            }
        };
        let minutes = (e.at - view.received_at).max(0) / MINUTE;
        let text = match e.kind.as_str() {
            "received" => format!(
                "Received from {} ({}).",
                name_of(state, &e.actor).await?,
                view.source
            ),
            "conflict" => format!(
                "The sender used this id before for alert {} with other content: both were kept.",
                e.detail
            ),
            "routed" => format!(
                "Routed to {} as {}: {}",
                name(e.to_user).await?,
                if DeliveryMode::is_interrupt(&e.detail) {
                    "an interrupt"
                } else {
                    "a digest"
                },
                view.reason["why"].as_str().unwrap_or_default()
            ),
            "escalated" if unconfirmed_at.contains(&e.at) => format!(
                "Escalated from {} to {} after {minutes} minutes: no device confirmed it arrived (step {}).",
                name(e.from_user).await?,
                name(e.to_user).await?,
                e.detail
            ),
            "escalated" => format!(
                "Escalated from {} to {} after {minutes} minutes unacknowledged (step {}).",
                name(e.from_user).await?,
                name(e.to_user).await?,
                e.detail
            ),
            // Said by the escalation line above.
            "unconfirmed" => continue,
            "sent" => format!(
                "Sent to {}'s {} (its push service took it).",
                name_of(state, &e.actor).await?,
                e.detail
            ),
            "delivered" => format!(
                "Arrived on {}'s {}.",
                name_of(state, &e.actor).await?,
                e.detail
            ),
            "seen" => format!(
                "Seen by {} on {}.",
                name_of(state, &e.actor).await?,
                e.detail
            ),
            "on_my_way" => format!(
                "{} is on the way (from {}).",
                name_of(state, &e.actor).await?,
                e.detail
            ),
            "handed_over" => format!(
                "Handed over from {} to {} at the end of their shift.",
                name(e.from_user).await?,
                name(e.to_user).await?
            ),
            "acknowledged" => format!(
                "Acknowledged by {} after {minutes} minutes.",
                name_of(state, &e.actor).await?
            ),
            "answered" => format!(
                "Answered by {}: {}.",
                name_of(state, &e.actor).await?,
                e.detail
            ),
            other => other.to_string(),
        };
        lines.push(TimelineLine {
            at: e.at,
            kind: e.kind,
            text,
        });
    }
    Ok((view, lines))
}

/// The physician's alert inbox: what reached them (newest first) and how many digests are
/// still to come. Opening it is an attributable read.
pub async fn inbox(state: &AppState, p: &Principal) -> Result<(Vec<AlertView>, usize), ApiError> {
    let now = state.now();
    let delivered = state.store.alert_inbox(p.id(), now, 200).await?;
    let upcoming = state.store.upcoming_digests(p.id(), now).await?.len();
    let mut views = Vec::with_capacity(delivered.len());
    for a in &delivered {
        views.push(view(state, a).await?);
    }
    record(
        state,
        Some(p.id()),
        AuditAction::AlertRead,
        format!("alerts:user:{}", p.id()),
        json!({ "count": views.len() }),
    )
    .await?;
    Ok((views, upcoming))
}

/// One alert, for the physician who holds it or held it, the person who paged, or an
/// administrator of its organization. Every read is audited.
pub async fn one(state: &AppState, p: &Principal, id: i64) -> Result<AlertView, ApiError> {
    let a = state
        .store
        .alert(id)
        .await?
        .ok_or_else(|| ApiError::not_found("no alert with this id"))?;
    let mine = a.delivered_to == p.id()
        || a.sender == Sender::Person(p.id()).to_string()
        || OrgAdmin::of(p, a.organization_id).is_ok()
        || state
            .store
            .alert_events(id)
            .await?
            .iter()
            .any(|e| e.from_user == Some(p.id()));
    if !mine {
        return Err(ApiError::not_found("no alert with this id"));
    }
    record(
        state,
        Some(p.id()),
        AuditAction::AlertRead,
        format!("alert:{id}"),
        json!({}),
    )
    .await?;
    if a.delivered_to == p.id() {
        super::reach::receipt_from_page(state, p.id(), id, huddle_store::ReceiptKind::Seen).await?;
    }
    view(state, &a).await
}

pub async fn acknowledge(state: &AppState, p: &Principal, id: i64) -> Result<AlertView, ApiError> {
    acknowledge_as(state, p.id(), id, None).await
}

/// Acknowledges for a physician: signed in, or from a notification on `device`.
pub(crate) async fn acknowledge_as(
    state: &AppState,
    user_id: i64,
    id: i64,
    device: Option<&str>,
) -> Result<AlertView, ApiError> {
    let a = state
        .store
        .acknowledge_alert(id, user_id, state.now())
        .await
        .map_err(|_| ApiError::not_found("no open alert of yours with this id"))?;
    record(
        state,
        Some(user_id),
        AuditAction::AlertAcknowledged,
        format!("alert:{id}"),
        json!({ "step": a.escalation_step, "device": device }),
    )
    .await?;
    notify_sender(state, &a).await;
    view(state, &a).await
}

/// Tells whoever paged that the physician is on their way.
pub(crate) async fn tell_sender_on_my_way(
    state: &AppState,
    id: i64,
    user_id: i64,
) -> Result<(), ApiError> {
    let Some(a) = state.store.alert(id).await? else {
        return Ok(());
    };
    if let Some(Sender::Person(sender)) = Sender::parse(&a.sender) {
        let event = json!({ "type": "page.update", "id": a.id, "state": a.state,
            "delivered_to": a.delivered_to, "escalation_step": a.escalation_step,
            "on_my_way": person_name(state, user_id).await? });
        state
            .bus
            .publish(vec![sender], Arc::from(event.to_string()))
            .await;
    }
    Ok(())
}

/// The physician answers an alert: acted, deferred or dismissed, and may say it should have
/// reached them sooner, or could have waited. The engine learns from it at once.
pub async fn answer(
    state: &AppState,
    p: &Principal,
    id: i64,
    outcome: &str,
    correction: Option<&str>,
) -> Result<AlertView, ApiError> {
    if Outcome::parse(outcome).is_none() {
        return Err(ApiError::invalid("outcome", "acted, deferred or dismissed"));
    }
    let correction = match correction.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c @ ("sooner" | "later")) => Some(c),
        Some(_) => return Err(ApiError::invalid("correction", "sooner or later")),
    };
    let a = state
        .store
        .answer_alert(id, p.id(), outcome, correction, state.now())
        .await
        .map_err(|_| ApiError::not_found("no alert of yours with this id"))?;
    let _ = with_engine(state, a.organization_id, |engine| learn(engine, &a)).await;
    notify_sender(state, &a).await;
    view(state, &a).await
}

/// Announces digests that came due in `(after, until]` on this node's live sockets (each
/// node announces to the sockets it holds, so nobody hears a digest twice). Returns the
/// moment it covered up to, which the caller passes back next time.
pub async fn announce_digests(state: &AppState, after: Millis) -> Result<Millis, ApiError> {
    let until = state.now();
    let due = state.store.due_digests(after, until, 1000).await?;
    let covered = if due.len() == 1000 {
        due.last().map_or(until, |a| a.deliver_at)
    } else {
        until
    };
    for a in due.iter().filter(|a| a.deliver_at <= covered) {
        let view = view(state, a).await?;
        let event: Arc<str> =
            Arc::from(json!({ "type": "alert.digest", "alert": view }).to_string());
        state.hub.publish([a.delivered_to], &event);
    }
    Ok(covered)
}

/// After an alert moved to another physician (handover or escalation): the audit entry, and
/// the alert on the new holder's live sockets, as an interrupt or a digest as it came.
async fn announce_move(
    state: &AppState,
    id: i64,
    action: AuditAction,
    detail: serde_json::Value,
) -> Result<(), ApiError> {
    record(state, None, action, format!("alert:{id}"), detail).await?;
    if let Some(moved) = state.store.alert(id).await? {
        let view = view(state, &moved).await?;
        if DeliveryMode::is_interrupt(&moved.delivery) {
            let org = moved.organization_id;
            let reach = with_engine(state, org, |e| e.policy.reach.clone())
                .await
                .unwrap_or_default();
            super::reach::expect_delivery(state, &view, &reach).await?;
            notify(state, &view, "alert.interrupt", Some((org, reach))).await;
        } else {
            notify(state, &view, "alert.digest", None).await;
        }
    }
    Ok(())
}

/// Handovers: when a physician's shift ends with alerts of theirs unanswered (from the last
/// day), each goes to whoever covers its service now, with a live notice. A physician still
/// on shift, or a service nobody covers, keeps what it has.
pub async fn hand_over_due(state: &AppState) -> Result<usize, ApiError> {
    let now = state.now();
    let mut moved = 0;
    for a in state.store.unanswered_alerts(now - DAY, now, 500).await? {
        let to = with_engine(state, a.organization_id, |engine| {
            let holder = engine.schedule.doc_named(&doc_name(a.delivered_to))?;
            if engine.schedule.on_duty(holder, secs(now)).is_some() {
                return None;
            }
            let service = engine.schedule.service_named(&a.service)?;
            let cover = engine.schedule.covering(service, secs(now))?;
            user_of(&engine.schedule, cover).filter(|&u| u != a.delivered_to)
        })
        .await?;
        let Some(to) = to else { continue };
        if state
            .store
            .hand_over_alert(a.id, a.delivered_to, to, now)
            .await?
        {
            moved += 1;
            announce_move(
                state,
                a.id,
                AuditAction::AlertHandedOver,
                json!({ "from": a.delivered_to, "to": to }),
            )
            .await?;
        }
    }
    Ok(moved)
}

/// Moves unacknowledged interrupts up their ladder: to the next physician of the service on
/// shift (else the same one again), and on the last rung to the service's lead when the
/// policy names one. Several nodes may run this at
/// once; the store lets exactly one move each alert.
pub async fn escalate_due(state: &AppState) -> Result<usize, ApiError> {
    let now = state.now();
    let mut moved = 0;
    for a in state.store.due_escalations(now, 100).await? {
        let step = a.escalation_step;
        let plan = with_engine(state, a.organization_id, |engine| {
            let service = engine.schedule.service_named(&a.service);
            let current = engine.schedule.doc_named(&doc_name(a.delivered_to));
            let next = service.and_then(|s| {
                engine
                    .schedule
                    .docs_of(s)
                    .iter()
                    .copied()
                    .filter(|&d| Some(d) != current)
                    .find(|&d| engine.schedule.on_duty(d, secs(now)).is_some())
            });
            let backup = next
                .and_then(|d| user_of(&engine.schedule, d))
                .unwrap_or(a.delivered_to);
            let rungs = engine.policy.escalation_s.len() as i64;
            // Primary → backup → … → on the last rung, the service lead when there is one.
            let lead = engine.policy.service_leads.get(&a.service).copied();
            let to = match lead {
                Some(lead) if step + 1 >= rungs.max(2) - 1 && lead != a.delivered_to => lead,
                _ => backup,
            };
            let after = usize::try_from(step + 1)
                .ok()
                .and_then(|s| engine.policy.escalation_after(s));
            (to, after)
        })
        .await?;
        let (to, after) = plan;
        let next_at = after
            .map(|s| a.received_at + s * SECOND)
            .map(|t| t.max(now + MINUTE));
        // Due before its ladder says: its holder never confirmed it arrived.
        let unconfirmed = a.escalate_at.is_none_or(|t| t > now);
        if state
            .store
            .escalate_alert(a.id, step, a.delivered_to, to, now, next_at)
            .await?
        {
            moved += 1;
            if unconfirmed {
                state
                    .store
                    .note_alert_event(a.id, now, "unconfirmed", a.delivered_to, "")
                    .await?;
            }
            let detail = json!({ "step": step + 1, "from": a.delivered_to, "to": to });
            announce_move(state, a.id, AuditAction::AlertEscalated, detail).await?;
            if let Some(moved) = state.store.alert(a.id).await? {
                notify_sender(state, &moved).await;
            }
        }
    }
    Ok(moved)
}

/// The policy, for its editors: current version and history.
pub async fn policy_versions(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
) -> Result<(Policy, Vec<PolicyVersion>), ApiError> {
    OrgAdmin::of(p, organization_id)?;
    let (current, _) = policy(state, organization_id).await?;
    Ok((current, state.store.policy_versions(organization_id).await?))
}

pub async fn save_policy(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    policy: Policy,
) -> Result<PolicyVersion, ApiError> {
    OrgAdmin::of(p, organization_id)?;
    policy
        .validate()
        .map_err(|e| ApiError::invalid("policy", e))?;
    for (service, lead) in &policy.service_leads {
        let is_physician_here = state.store.user(*lead).await?.is_some_and(|u| {
            u.organization_id == Some(organization_id) && u.roles.has(Role::Physician)
        });
        if !is_physician_here {
            return Err(ApiError::invalid(
                "policy",
                format!(
                    "service_leads.{service}: no physician of this organization with id {lead}"
                ),
            ));
        }
    }
    let text = serde_json::to_string(&policy).map_err(ApiError::internal)?;
    let saved = state
        .store
        .save_policy(organization_id, &text, Some(p.id()), state.now())
        .await?;
    record(
        state,
        Some(p.id()),
        AuditAction::RoutingPolicyChanged,
        format!("organization:{organization_id}"),
        json!({ "version": saved.version }),
    )
    .await?;
    state.routing.forget(organization_id);
    Ok(saved)
}

/// One shift as an administrator submits it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ShiftRequest {
    /// The physician, by email.
    pub email: String,
    pub service: String,
    /// day, night or oncall.
    pub role: String,
    /// RFC 3339 (2026-11-23T07:00:00Z, 2026-11-23T07:00-05:00), or without an offset
    /// (2026-11-23T07:00) for the organization's local time.
    pub start: String,
    pub end: String,
}

/// How far ahead a recurring event without COUNT or UNTIL is expanded.
pub const RECURRENCE_HORIZON: Millis = 180 * DAY;

/// Parses an iCalendar on-call export: one VEVENT a shift, or one per occurrence of its
/// RRULE (see `huddle_core::routing::ical`). Floating times are the organization's `zone`.
pub fn parse_shift_calendar(
    text: &str,
    zone: &Zone,
    now: Millis,
) -> Result<Vec<ShiftRequest>, ApiError> {
    Ok(
        huddle_core::routing::ical::parse(text, zone, now + RECURRENCE_HORIZON)
            .map_err(|e| ApiError::invalid("calendar", e))?
            .into_iter()
            .map(|s| ShiftRequest {
                email: s.email,
                service: s.service,
                role: s.role.to_string(),
                start: huddle_core::clock::format_rfc3339(s.start),
                end: huddle_core::clock::format_rfc3339(s.end),
            })
            .collect(),
    )
}

/// Parses a CSV schedule: a header line `email,service,role,start,end` (in any order, any
/// case), then one shift a row; fields may be quoted (RFC 4180). Times without an offset
/// are the organization's local time (read in `import_shifts`).
pub fn parse_shift_csv(text: &str) -> Result<Vec<ShiftRequest>, ApiError> {
    const COLUMNS: [&str; 5] = ["email", "service", "role", "start", "end"];
    let (header, rows) =
        huddle_core::csv_input::read(text).map_err(|e| ApiError::invalid("csv", e))?;
    let header: Vec<String> = header.iter().map(str::to_ascii_lowercase).collect();
    let mut sorted = header.clone();
    sorted.sort();
    let mut wanted = COLUMNS.map(str::to_string).to_vec();
    wanted.sort();
    if sorted != wanted {
        return Err(ApiError::invalid(
            "csv",
            "the first line must be: email,service,role,start,end",
        ));
    }
    let at = |name: &str| header.iter().position(|h| h == name).unwrap_or_default();
    let [email, service, role, start, end] = COLUMNS.map(at);
    rows.into_iter()
        .map(|(line, f)| {
            if f.len() != COLUMNS.len() {
                return Err(ApiError::invalid(
                    &format!("csv line {line}"),
                    "five fields: email,service,role,start,end",
                ));
            }
            let get = |i: usize| f.get(i).unwrap_or_default().to_string();
            Ok(ShiftRequest {
                email: get(email),
                service: get(service),
                role: get(role),
                start: get(start),
                end: get(end),
            })
        })
        .collect()
}

/// Replaces the organization's shifts in the submitted span with the submitted ones.
pub async fn import_shifts(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    shifts: Vec<ShiftRequest>,
) -> Result<u64, ApiError> {
    OrgAdmin::of(p, organization_id)?;
    if shifts.is_empty() || shifts.len() > 10_000 {
        return Err(ApiError::invalid("shifts", "1 to 10,000 shifts"));
    }
    let zone = super::organizations::organization_zone(state, organization_id).await?;
    let example = |time: &str| {
        format!(
            "a time like 2026-11-23T{time} (the organization's time, {zone}) or 2026-11-23T{time}:00Z"
        )
    };
    let mut parsed = Vec::with_capacity(shifts.len());
    for (i, s) in shifts.iter().enumerate() {
        let field = |name: &str| format!("shifts[{i}].{name}");
        let email = huddle_core::identity::Email::parse(&s.email)
            .map_err(|_| ApiError::invalid(&field("email"), "an email address"))?;
        let user = state
            .store
            .user_by_email(&email)
            .await?
            .filter(|u| u.organization_id == Some(organization_id) && u.roles.has(Role::Physician))
            .ok_or_else(|| {
                ApiError::invalid(
                    &field("email"),
                    "no physician of this organization with this email",
                )
            })?;
        let role = ShiftRole::parse(&s.role)
            .ok_or_else(|| ApiError::invalid(&field("role"), "day, night or oncall"))?;
        let start = zone
            .parse_local(&s.start)
            .ok_or_else(|| ApiError::invalid(&field("start"), example("07:00")))?;
        let end = zone
            .parse_local(&s.end)
            .ok_or_else(|| ApiError::invalid(&field("end"), example("19:00")))?;
        if end <= start || end - start > 48 * HOUR {
            return Err(ApiError::invalid(
                &field("end"),
                "a shift ends after it starts, within 48 hours",
            ));
        }
        parsed.push(NewShift {
            user_id: user.id,
            service: check_name(&field("service"), &s.service, 64)?,
            role: role.as_str().to_string(),
            starts_at: start,
            ends_at: end,
        });
    }
    let from = parsed.iter().map(|s| s.starts_at).min().unwrap_or_default();
    // The span the import covers: from its first start to its last end.
    let until = parsed.iter().map(|s| s.ends_at).max().unwrap_or_default();
    let count = state
        .store
        .replace_shifts(organization_id, from, until, &parsed)
        .await?;
    record(
        state,
        Some(p.id()),
        AuditAction::ShiftsImported,
        format!("organization:{organization_id}"),
        json!({ "count": count, "from": from, "until": until }),
    )
    .await?;
    state.routing.forget(organization_id);
    Ok(count)
}

pub async fn shifts(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
) -> Result<Vec<StoredShift>, ApiError> {
    OrgReader::of(p, organization_id)?;
    let now = state.now();
    Ok(state
        .store
        .shifts(organization_id, now - SHIFTS_BEFORE, now + SHIFTS_AFTER)
        .await?)
}

/// The interruption burden of an organization over the last `days` days, per physician and
/// per service. For its administrators.
pub async fn report(
    state: &AppState,
    p: &Principal,
    organization_id: i64,
    days: i64,
) -> Result<huddle_core::routing::metrics::Report, ApiError> {
    use huddle_core::routing::metrics::{report, Delivered, Worked};
    OrgAdmin::of(p, organization_id)?;
    if !(1..=90).contains(&days) {
        return Err(ApiError::invalid("days", "1 to 90"));
    }
    let until = state.now();
    let from = until - days * DAY;
    let alerts = state
        .store
        .delivered_alerts(organization_id, from, until)
        .await?;
    let shifts = state.store.shifts(organization_id, from, until).await?;
    let delivered: Vec<Delivered> = alerts.iter().map(delivered).collect();
    let worked: Vec<Worked> = shifts
        .iter()
        .filter(|s| s.starts_at < until)
        .map(worked)
        .collect();
    Ok(report(&delivered, &worked))
}

/// A delivered alert as the burden report counts it (also rolled up for insights).
pub fn delivered(a: &StoredAlert) -> huddle_core::routing::metrics::Delivered {
    huddle_core::routing::metrics::Delivered {
        physician: a.delivered_to,
        service: a.service.clone(),
        interrupt: DeliveryMode::is_interrupt(&a.delivery),
        delivered_at: secs(a.deliver_at),
        needed: Outcome::parse(&a.state).map(Outcome::needed_action),
        acknowledged_at: a.acknowledged_at.map(secs),
    }
}

/// A stored shift as the burden report counts it.
pub fn worked(s: &StoredShift) -> huddle_core::routing::metrics::Worked {
    huddle_core::routing::metrics::Worked {
        physician: s.user_id,
        service: s.service.clone(),
        start: secs(s.starts_at),
        end: secs(s.ends_at),
    }
}
