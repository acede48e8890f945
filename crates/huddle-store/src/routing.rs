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
    /// The sending system (`lab`, `monitor`, `ehr`, …) and its own id for the alert: the
    /// same pair twice is one alert, so a sender's retry never pages twice.
    pub source: String,
    pub source_id: String,
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
    /// Stores an alert with its decision, committed before the sender hears back. The
    /// second time a (source, source id) pair arrives, the first alert is returned and
    /// `false` says nothing new was stored.
    async fn create_alert(&self, alert: NewAlert) -> StoreResult<(StoredAlert, bool)>;
    async fn alert(&self, id: i64) -> StoreResult<Option<StoredAlert>>;
    /// A physician's alerts delivered by `until` (interrupts, and digests that went out),
    /// newest first.
    async fn alert_inbox(
        &self,
        user_id: i64,
        until: Millis,
        limit: i64,
    ) -> StoreResult<Vec<StoredAlert>>;
    /// Digests still to go out for this physician, soonest first.
    async fn upcoming_digests(&self, user_id: i64, after: Millis) -> StoreResult<Vec<StoredAlert>>;
    /// The physician the alert reached acknowledges it: escalation stops.
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
    async fn hand_over_alert(&self, id: i64, from_user: i64, to_user: i64) -> StoreResult<bool>;
    /// Unacknowledged interrupts whose escalation time has come.
    async fn due_escalations(&self, at: Millis, limit: i64) -> StoreResult<Vec<StoredAlert>>;
    /// Moves an alert one rung up its ladder, only if it is still on `from_step` and
    /// unacknowledged: of several nodes, exactly one escalates it.
    async fn escalate_alert(
        &self,
        id: i64,
        from_step: i64,
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
}
