//! Routing's records: each organization's delivery policy (every version kept), the shift
//! schedule, and alerts with the engine's decision, escalation state and the physician's
//! answer. An alert's text and patient reference are stored sealed; the store sees
//! ciphertext only.

use async_trait::async_trait;
use huddle_core::clock::Millis;

use crate::StoreResult;

#[derive(Debug, Clone)]
pub struct NewAlert {
    pub organization_id: i64,
    /// Who sent it: `integration:N` (a registered feed) or `user:N` (a person's page).
    pub sender: String,
    /// The kind of system it speaks for (`lab`, `monitor`, `ehr`, `page`) and the sender's
    /// own id for the alert.
    pub source: String,
    pub source_id: String,
    /// A keyed digest of what the alert says: the same sender, id and content twice is one
    /// alert (a retry never pages twice); the same id with other content is another.
    pub content_hash: String,
    pub category: String,
    /// `routine`, `urgent`, `asap` or `stat`.
    pub priority: String,
    pub service: String,
    /// `user:ID` or `oncall:SERVICE`.
    pub recipient: String,
    /// Text and patient reference, sealed.
    pub sealed: Vec<u8>,
    pub received_at: Millis,
    /// The decision: who, how and when.
    pub delivered_to: i64,
    /// `interrupt` or `queue`.
    pub delivery: String,
    pub deliver_at: Millis,
    /// The engine's reason and inputs, JSON.
    pub reason: String,
    /// When an unacknowledged interrupt escalates.
    pub escalate_at: Option<Millis>,
    /// When an interrupt escalates unless its holder confirms it arrived (reach).
    pub confirm_by: Option<Millis>,
}

// Columns map one to one, so the row type is the domain type.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredAlert {
    pub id: i64,
    pub organization_id: i64,
    pub source: String,
    pub source_id: String,
    pub category: String,
    pub priority: String,
    pub service: String,
    pub recipient: String,
    pub sealed: Vec<u8>,
    pub received_at: Millis,
    pub delivered_to: i64,
    pub delivery: String,
    pub deliver_at: Millis,
    pub reason: String,
    /// `open`, `acknowledged`, `acted`, `deferred` or `dismissed`.
    pub state: String,
    pub acknowledged_at: Option<Millis>,
    pub answered_at: Option<Millis>,
    /// `sooner` or `later`: the physician's correction of the decision.
    pub correction: Option<String>,
    pub escalation_step: i64,
    pub escalate_at: Option<Millis>,
    pub sender: String,
    pub content_hash: String,
    /// The earlier alert of the same sender and id that said something else.
    pub conflict_of: Option<i64>,
}

/// What became of an alert handed to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intake {
    /// Stored now.
    New,
    /// The same sender sent the same id and content before: that alert is the answer.
    Duplicate,
    /// The same sender used this id before for something else: stored now, and flagged.
    Conflict { of: i64 },
}

/// One line of an alert's timeline.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AlertEvent {
    pub id: i64,
    pub alert_id: i64,
    pub at: Millis,
    /// `received`, `conflict`, `routed`, `escalated`, `handed_over`, `acknowledged`, `answered`.
    pub kind: String,
    /// `user:N`, `integration:N`, or empty for Huddle itself.
    pub actor: String,
    pub from_user: Option<i64>,
    pub to_user: Option<i64>,
    pub detail: String,
}

/// A line for the timeline, as the SQL writes it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct NewAlertEvent<'a> {
    pub alert_id: i64,
    pub at: Millis,
    pub kind: &'a str,
    pub actor: &'a str,
    pub from_user: Option<i64>,
    pub to_user: Option<i64>,
    pub detail: &'a str,
}

/// A feed an organization registered: a lab system, a monitor gateway, an EHR.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Integration {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    /// Comma-separated lists: sources it may name, kinds it may send, addresses (IPs or
    /// CIDR blocks) it may connect from (empty: any).
    pub sources: String,
    pub kinds: String,
    pub addresses: String,
    /// MSH-3 and MSH-4 of its HL7 messages (empty when it does not speak HL7).
    pub hl7_application: String,
    pub hl7_facility: String,
    pub secret_hash: String,
    pub created_by: Option<i64>,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
}

#[derive(Debug, Clone)]
pub struct NewIntegration {
    pub organization_id: i64,
    pub name: String,
    pub sources: String,
    pub kinds: String,
    pub addresses: String,
    pub hl7_application: String,
    pub hl7_facility: String,
    pub secret_hash: String,
    pub created_by: Option<i64>,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShift {
    pub user_id: i64,
    pub service: String,
    /// `day`, `night` or `oncall`.
    pub role: String,
    pub starts_at: Millis,
    pub ends_at: Millis,
}

// Columns map one to one, so the row type is the domain type.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredShift {
    pub id: i64,
    pub organization_id: i64,
    pub user_id: i64,
    pub service: String,
    pub role: String,
    pub starts_at: Millis,
    pub ends_at: Millis,
}

// Columns map one to one, so the row type is the domain type.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PolicyVersion {
    pub organization_id: i64,
    pub version: i64,
    /// The policy, JSON.
    pub policy: String,
    pub created_by: Option<i64>,
    pub created_at: Millis,
}

#[async_trait]
pub trait RoutingStore {
    /// Stores an alert with its decision and the first lines of its timeline (received,
    /// routed, and a conflict when there is one), committed before the sender hears back.
    async fn create_alert(&self, alert: NewAlert) -> StoreResult<(StoredAlert, Intake)>;
    async fn alert(&self, id: i64) -> StoreResult<Option<StoredAlert>>;
    /// An alert's timeline, oldest first.
    async fn alert_events(&self, alert_id: i64) -> StoreResult<Vec<AlertEvent>>;
    /// Alerts a sender (`user:N`) sent since `since`, newest first.
    async fn sent_alerts(
        &self,
        sender: &str,
        since: Millis,
        limit: i64,
    ) -> StoreResult<Vec<StoredAlert>>;
    /// The physician of an organization whose approved verification carries this NPI.
    async fn physician_by_npi(&self, organization_id: i64, npi: &str) -> StoreResult<Option<i64>>;
    /// A physician's alerts delivered by `until` (interrupts, and digests that went out),
    /// and those that left them by escalation or handover, newest first.
    async fn alert_inbox(
        &self,
        user_id: i64,
        until: Millis,
        limit: i64,
    ) -> StoreResult<Vec<StoredAlert>>;
    /// Digests still to go out for this physician, soonest first.
    async fn upcoming_digests(&self, user_id: i64, after: Millis) -> StoreResult<Vec<StoredAlert>>;
    /// The physician the alert reached acknowledges it: escalation stops (the timeline
    /// records the first acknowledgement).
    async fn acknowledge_alert(
        &self,
        id: i64,
        user_id: i64,
        at: Millis,
    ) -> StoreResult<StoredAlert>;
    /// The physician answers: `acted`, `deferred` or `dismissed`, with an optional correction.
    async fn answer_alert(
        &self,
        id: i64,
        user_id: i64,
        outcome: &str,
        correction: Option<&str>,
        at: Millis,
    ) -> StoreResult<StoredAlert>;
    /// Answered alerts of an organization since `since`: what the learner is rebuilt from.
    async fn answered_alerts(
        &self,
        organization_id: i64,
        since: Millis,
    ) -> StoreResult<Vec<StoredAlert>>;
    /// Digests decided but not yet delivered, so a restarted engine joins them.
    async fn pending_digests(
        &self,
        organization_id: i64,
        after: Millis,
    ) -> StoreResult<Vec<(i64, Millis)>>;
    /// An organization's alerts delivered in `[from, until)`, for the routing report.
    async fn delivered_alerts(
        &self,
        organization_id: i64,
        from: Millis,
        until: Millis,
    ) -> StoreResult<Vec<StoredAlert>>;
    /// Alerts in digests that come due in `(after, until]`, by time.
    async fn due_digests(
        &self,
        after: Millis,
        until: Millis,
        limit: i64,
    ) -> StoreResult<Vec<StoredAlert>>;
    /// Alerts delivered since `since` that nobody has answered yet: what a shift hands over.
    async fn unanswered_alerts(
        &self,
        since: Millis,
        until: Millis,
        limit: i64,
    ) -> StoreResult<Vec<StoredAlert>>;
    /// Gives an unanswered alert to another physician, only if `from_user` still holds it:
    /// of several nodes, exactly one hands it over.
    async fn hand_over_alert(
        &self,
        id: i64,
        from_user: i64,
        to_user: i64,
        at: Millis,
    ) -> StoreResult<bool>;
    /// Unacknowledged interrupts whose escalation time has come.
    async fn due_escalations(&self, at: Millis, limit: i64) -> StoreResult<Vec<StoredAlert>>;
    /// Moves an alert one rung up its ladder, only if it is still on `from_step` and
    /// unacknowledged: of several nodes, exactly one escalates it.
    async fn escalate_alert(
        &self,
        id: i64,
        from_step: i64,
        from_user: i64,
        to_user: i64,
        at: Millis,
        next_escalate_at: Option<Millis>,
    ) -> StoreResult<bool>;

    /// Replaces the shifts of the services in `shifts` that start in `[from, until)`:
    /// importing one service's schedule leaves the others alone.
    async fn replace_shifts(
        &self,
        organization_id: i64,
        from: Millis,
        until: Millis,
        shifts: &[NewShift],
    ) -> StoreResult<u64>;
    /// Shifts that overlap `[from, until)`, by start.
    async fn shifts(
        &self,
        organization_id: i64,
        from: Millis,
        until: Millis,
    ) -> StoreResult<Vec<StoredShift>>;

    /// Saves a new version of the policy; versions count up from 1.
    async fn save_policy(
        &self,
        organization_id: i64,
        policy: &str,
        by: Option<i64>,
        at: Millis,
    ) -> StoreResult<PolicyVersion>;
    async fn current_policy(&self, organization_id: i64) -> StoreResult<Option<PolicyVersion>>;
    async fn policy_versions(&self, organization_id: i64) -> StoreResult<Vec<PolicyVersion>>;

    /// Registers a feed. Names are unique in an organization, and a live HL7 identity
    /// (MSH-3/4) in the whole instance.
    async fn create_integration(&self, new: NewIntegration) -> StoreResult<Integration>;
    async fn integrations(&self, organization_id: i64) -> StoreResult<Vec<Integration>>;
    async fn integration(&self, id: i64) -> StoreResult<Option<Integration>>;
    /// A live (unrevoked) integration by its credential's hash.
    async fn integration_by_secret(&self, secret_hash: &str) -> StoreResult<Option<Integration>>;
    /// The live integration that sends HL7 as this MSH-3/4.
    async fn integration_for_hl7(
        &self,
        application: &str,
        facility: &str,
    ) -> StoreResult<Option<Integration>>;
    /// Revokes a live integration of the organization; false when there is none.
    async fn revoke_integration(
        &self,
        organization_id: i64,
        id: i64,
        at: Millis,
    ) -> StoreResult<bool>;
    async fn touch_integration(&self, id: i64, at: Millis) -> StoreResult<()>;
}
