//! Insights for leaders (`wellbeing_lead`, `org_admin`): de-identified aggregates of their
//! own organization only, through the privacy method of `huddle_core::insights::privacy`.
//!
//! Leaders' numbers never touch the sealed answers. When a clinician submits a check-in,
//! `contribute` adds its screen outcomes and driver scores to a de-identified row for the
//! month (keyed pseudonym, no user id, never item 9). Routing's burden is rolled up per
//! physician for each closed month the same way. Only closed months are published, and
//! every view reads one protected table per metric, computed over all months at once and
//! cached until the next month closes or data for past months is added.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use huddle_core::audit::AuditAction;
use huddle_core::identity::Role;
use huddle_core::identity::VerificationStatus;
use huddle_core::insights::burden::{month_burden, Deidentified};
use huddle_core::insights::evaluation;
use huddle_core::insights::interventions::InterventionLevel;
use huddle_core::insights::plan::{self, stored_list, Plan};
use huddle_core::insights::tables::{self, DepartmentName, Member};
use huddle_core::insights::turnover::{self, Estimate, Inputs};
use huddle_core::insights::{
    pulse_drivers, role_group, BurdenContribution, Contribution, Dimension, Metric, Period,
};
use huddle_core::keys::KeyOwner;
use huddle_core::wellbeing::screening;
use huddle_store::{Intervention, NewIntervention};
use serde_json::json;

use super::audit::record;
use super::wellbeing::Sealed;
use crate::auth::access::Leader;
use crate::auth::Principal;
use crate::crypto::hmac_sha256;
use crate::error::ApiError;
use crate::state::AppState;

// The views are computed in huddle-core; pages and the API name them through here.
pub use huddle_core::insights::evaluation::InterventionView;
pub use huddle_core::insights::plan::NewInterventionInput;
pub use huddle_core::insights::tables::{OrgTables, HISTORY};
pub use huddle_core::insights::views::{
    csv, drivers_of, rows_of, trend_of, DriverView, Point, Row, Series, UnitDrivers,
};

/// Per-organization protected tables, shared by all requests.
#[derive(Default)]
pub struct Cache {
    tables: Mutex<HashMap<i64, Cached>>,
    generation: AtomicU64,
    /// One computation at a time: a second request for the same tables waits for the
    /// first instead of doing the work again.
    computing: tokio::sync::Mutex<()>,
}

/// Tables as computed, and the cache generation they were computed in.
#[derive(Clone)]
struct Cached {
    generation: u64,
    tables: Arc<OrgTables>,
}

impl Cache {
    /// Forget computed tables (data for past months was added).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }
}

/// The last closed month: only closed months are published, so a leader cannot watch
/// the current month change as each person checks in.
pub fn closed_through(state: &AppState) -> Period {
    Period::of(state.now()).plus(-1)
}

async fn secret(state: &AppState, organization_id: i64) -> Result<[u8; 32], ApiError> {
    state
        .keys
        .secret(
            state.store.as_ref(),
            KeyOwner::Pseudonyms(organization_id),
            state.now(),
        )
        .await
}

/// The person's keyed pseudonym within the organization (HMAC-SHA-256 under a secret of
/// the organization, wrapped by the master key): stable across months so the privacy
/// rules can compare memberships, meaningless without the secret.
pub async fn pseudonym(
    state: &AppState,
    organization_id: i64,
    user_id: i64,
) -> Result<i64, ApiError> {
    let key = secret(state, organization_id).await?;
    let mac = hmac_sha256(&key, format!("user:{user_id}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&mac[..8]);
    Ok(i64::from_be_bytes(first))
}

async fn specialty_of(state: &AppState, user_id: i64) -> Result<String, ApiError> {
    Ok(state
        .store
        .latest_verification(user_id)
        .await?
        .filter(|v| v.status == VerificationStatus::Verified)
        .map(|v| v.specialty_code)
        .unwrap_or_default())
}

/// Called after a response is sealed and stored.
pub async fn contribute(state: &AppState, p: &Principal, content: &Sealed) -> Result<(), ApiError> {
    let Some(org) = p.user.organization_id else {
        return Ok(());
    };
    // Screen outcomes and driver scores only: item 9 and the answers stay sealed.
    let scored = content.scored();
    let outcomes = screening::outcomes(&scored);
    let c = Contribution {
        period: Period::of(state.now()),
        pseudonym: pseudonym(state, org, p.id()).await?,
        department_id: p.user.department_id,
        specialty: specialty_of(state, p.id()).await?,
        role: role_group(&p.user.roles, &p.user.team),
        burnout: outcomes.burnout,
        depression: outcomes.depression,
        anxiety: outcomes.anxiety,
        drivers: pulse_drivers(&scored),
    };
    Ok(state.store.record_contribution(org, &c).await?)
}

/// Rolls routing's burden up per physician for each closed month not yet computed
/// (the last `HISTORY` months at most).
async fn snapshot_burden(
    state: &AppState,
    organization_id: i64,
    through: Period,
) -> Result<bool, ApiError> {
    use huddle_core::routing::metrics::{Delivered, Worked};
    let done = state.store.burden_periods(organization_id).await?;
    let mut added = false;
    let mut people: Option<HashMap<i64, huddle_store::User>> = None;
    for i in (0..HISTORY).rev() {
        let period = through.plus(-i);
        if done.contains(&period) {
            continue;
        }
        let (from, until) = (period.start(), period.end());
        let shifts = state.store.shifts(organization_id, from, until).await?;
        let alerts = state
            .store
            .delivered_alerts(organization_id, from, until)
            .await?;
        let mut rows = Vec::new();
        if !shifts.is_empty() {
            if people.is_none() {
                people = Some(
                    state
                        .store
                        .users_in_organization(organization_id)
                        .await?
                        .into_iter()
                        .map(|u| (u.id, u))
                        .collect(),
                );
            }
            let delivered: Vec<Delivered> = alerts.iter().map(super::routing::delivered).collect();
            let worked: Vec<Worked> = shifts.iter().map(super::routing::worked).collect();
            for (user_id, b) in month_burden(period, &delivered, &worked) {
                let Some(user) = people.as_ref().and_then(|m| m.get(&user_id)) else {
                    continue;
                };
                let who = Deidentified {
                    pseudonym: pseudonym(state, organization_id, user_id).await?,
                    department_id: user.department_id,
                    specialty: specialty_of(state, user_id).await?,
                    role: role_group(&user.roles, &user.team),
                };
                rows.push(BurdenContribution::of(period, who, &b));
            }
        }
        state
            .store
            .save_burden(organization_id, period, &rows)
            .await?;
        added |= !rows.is_empty();
    }
    Ok(added)
}

/// The protected tables of the organization, computed at most once per closed month.
pub async fn tables(state: &AppState, organization_id: i64) -> Result<Arc<OrgTables>, ApiError> {
    let through = closed_through(state);
    let cached = || {
        let generation = state.insights.generation.load(Ordering::SeqCst);
        state
            .insights
            .tables
            .lock()
            .ok()
            .and_then(|m| m.get(&organization_id).cloned())
            .filter(|c| c.tables.through == through && c.generation == generation)
            .map(|c| c.tables)
    };
    if let Some(t) = cached() {
        return Ok(t);
    }
    let _one_at_a_time = state.insights.computing.lock().await;
    if let Some(t) = cached() {
        return Ok(t);
    }
    let generation = state.insights.generation.load(Ordering::SeqCst);
    let started = std::time::Instant::now();
    snapshot_burden(state, organization_id, through).await?;
    let first = Period::new(1970, 1).unwrap_or(through);
    let contributions = state
        .store
        .contributions(organization_id, first, through.plus(1))
        .await?;
    let burden = state
        .store
        .burden(organization_id, first, through.plus(1))
        .await?;
    let members: Vec<Member> = state
        .store
        .headcount(organization_id)
        .await?
        .into_iter()
        .map(|m| Member {
            department_id: m.department_id,
            roles: m.roles,
            team: m.team,
            specialty: m.specialty,
        })
        .collect();
    let departments: Vec<DepartmentName> = state
        .store
        .departments(organization_id)
        .await?
        .into_iter()
        .map(|d| DepartmentName {
            id: d.id,
            name: d.name,
        })
        .collect();
    let policy = state.config.insights.policy();
    let loaded_ms = started.elapsed().as_millis() as u64;
    let (n_contributions, n_burden) = (contributions.len(), burden.len());
    // Seconds of CPU for a large organization: off the async workers.
    let computed = tokio::task::spawn_blocking(move || {
        tables::compute(
            through,
            &contributions,
            &burden,
            &members,
            &departments,
            &policy,
        )
    })
    .await
    .map_err(ApiError::internal)?;
    tracing::info!(
        organization_id,
        contributions = n_contributions,
        burden = n_burden,
        loaded_ms,
        ms = started.elapsed().as_millis() as u64,
        "insights tables computed"
    );
    let computed = Arc::new(computed);
    if let Ok(mut m) = state.insights.tables.lock() {
        m.insert(
            organization_id,
            Cached {
                generation,
                tables: computed.clone(),
            },
        );
    }
    Ok(computed)
}

/// Computes every organization's tables ahead of the first leader (at start, and within
/// minutes of a month closing), so nobody waits for the computation.
pub async fn warm(state: &AppState) -> Result<(), ApiError> {
    for org in state.store.organizations().await? {
        tables(state, org.id).await?;
    }
    Ok(())
}

pub fn parse_metric(s: Option<&str>) -> Result<Metric, ApiError> {
    let s = s.unwrap_or("burnout");
    Metric::parse(s).ok_or_else(|| {
        ApiError::invalid(
            "metric",
            format!(
                "one of {}",
                Metric::all()
                    .iter()
                    .map(|m| m.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

pub fn parse_group_by(s: Option<&str>) -> Result<Dimension, ApiError> {
    Dimension::parse(s.unwrap_or("department")).ok_or_else(|| {
        ApiError::invalid(
            "group_by",
            "one of organization, department, specialty, role",
        )
    })
}

/// A month to show: given (`YYYY-MM`, closed) or the last closed one.
pub fn parse_period(state: &AppState, s: Option<&str>) -> Result<Period, ApiError> {
    let through = closed_through(state);
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(through),
        Some(s) => {
            let p = Period::parse(s)
                .ok_or_else(|| ApiError::invalid("period", "a month as YYYY-MM"))?;
            if p > through {
                return Err(ApiError::invalid(
                    "period",
                    format!("only closed months are published; the latest is {through}"),
                ));
            }
            Ok(p)
        }
    }
}

/// The aggregates of one metric, grouping and month; audited.
pub async fn aggregates(
    state: &AppState,
    p: &Principal,
    metric: Metric,
    d: Dimension,
    period: Period,
    export: bool,
) -> Result<Vec<Row>, ApiError> {
    let org = Leader::of(p)?.organization_id();
    let t = tables(state, org).await?;
    record(
        state,
        Some(p.id()),
        if export {
            AuditAction::InsightsExported
        } else {
            AuditAction::InsightsViewed
        },
        format!("organization:{org}"),
        json!({ "metric": metric.key(), "group_by": d.as_str(), "period": period.to_string() }),
    )
    .await?;
    Ok(rows_of(&t, metric, d, period))
}

pub async fn trend(
    state: &AppState,
    p: &Principal,
    metric: Metric,
    d: Dimension,
) -> Result<Vec<Series>, ApiError> {
    let org = Leader::of(p)?.organization_id();
    let t = tables(state, org).await?;
    record(
        state,
        Some(p.id()),
        AuditAction::InsightsViewed,
        format!("organization:{org}"),
        json!({ "metric": metric.key(), "group_by": d.as_str(), "trend": true }),
    )
    .await?;
    Ok(trend_of(&t, metric, d))
}

pub async fn drivers(
    state: &AppState,
    p: &Principal,
    d: Dimension,
    period: Period,
) -> Result<Vec<UnitDrivers>, ApiError> {
    let org = Leader::of(p)?.organization_id();
    let t = tables(state, org).await?;
    record(
        state,
        Some(p.id()),
        AuditAction::InsightsViewed,
        format!("organization:{org}"),
        json!({ "drivers": d.as_str(), "period": period.to_string() }),
    )
    .await?;
    Ok(drivers_of(&t, d, period))
}

pub async fn list_interventions(
    state: &AppState,
    p: &Principal,
) -> Result<Vec<InterventionView>, ApiError> {
    let org = Leader::of(p)?.organization_id();
    let t = tables(state, org).await?;
    let all = state.store.interventions(org).await?;
    record(
        state,
        Some(p.id()),
        AuditAction::InsightsViewed,
        format!("organization:{org}"),
        json!({ "interventions": all.len() }),
    )
    .await?;
    Ok(all
        .iter()
        .map(|i| evaluation::evaluate(&t, &plan_of(i)))
        .collect())
}

pub async fn add_intervention(
    state: &AppState,
    p: &Principal,
    input: NewInterventionInput<'_>,
) -> Result<InterventionView, ApiError> {
    let org = Leader::of(p)?.organization_id();
    let departments: Vec<i64> = state
        .store
        .departments(org)
        .await?
        .iter()
        .map(|d| d.id)
        .collect();
    let plan =
        plan::check(&input, &departments).map_err(|e| ApiError::invalid(e.field, e.message))?;
    let made = state
        .store
        .create_intervention(NewIntervention {
            organization_id: org,
            level: plan.level.as_str().to_string(),
            drivers: plan.drivers_text(),
            units: plan.units_text(),
            name: plan.name,
            starts: plan.starts,
            cost: plan.cost,
            created_by: Some(p.id()),
            created_at: state.now(),
        })
        .await?;
    record(
        state,
        Some(p.id()),
        AuditAction::InterventionAdded,
        format!("intervention:{}", made.id),
        json!({ "name": made.name }),
    )
    .await?;
    let t = tables(state, org).await?;
    Ok(evaluation::evaluate(&t, &plan_of(&made)))
}

/// An intervention as stored, read as a plan: lists split, the level typed (a level this
/// build does not know reads as structural).
fn plan_of(i: &Intervention) -> Plan {
    Plan {
        id: i.id,
        name: i.name.clone(),
        level: InterventionLevel::parse(&i.level).unwrap_or(InterventionLevel::Structural),
        drivers: stored_list(&i.drivers),
        units: stored_list(&i.units),
        starts: i.starts,
        cost: i.cost,
    }
}

pub async fn remove_intervention(state: &AppState, p: &Principal, id: i64) -> Result<(), ApiError> {
    let org = Leader::of(p)?.organization_id();
    if !state.store.delete_intervention(org, id).await? {
        return Err(ApiError::not_found(
            "no such intervention in your organization",
        ));
    }
    record(
        state,
        Some(p.id()),
        AuditAction::InterventionRemoved,
        format!("intervention:{id}"),
        json!({}),
    )
    .await
}

/// The calculator's defaults for this organization: its physician headcount and its
/// latest published burnout rate (the national 54% when none is published).
pub async fn turnover_defaults(state: &AppState, p: &Principal) -> Result<Inputs, ApiError> {
    let org = Leader::of(p)?.organization_id();
    let t = tables(state, org).await?;
    let physicians = state
        .store
        .headcount(org)
        .await?
        .iter()
        .filter(|m| m.roles.has(Role::Physician))
        .count();
    Ok(Inputs::for_organization(
        physicians,
        t.latest_burnout_rate(),
    ))
}

pub fn turnover(p: &Principal, inputs: &Inputs) -> Result<Estimate, ApiError> {
    Leader::of(p)?;
    turnover::estimate(inputs).map_err(|e| ApiError::invalid(e.field, e.message))
}
