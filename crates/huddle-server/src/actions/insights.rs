//! Insights for leaders (`wellbeing_lead`, `org_admin`): de-identified aggregates of their
//! own organization only, through the privacy method of `huddle_core::insights::privacy`.
//!
//! Leaders' numbers never touch the sealed answers. When a clinician submits a check-in,
//! `contribute` adds its screen outcomes and driver scores to a de-identified row for the
//! month (keyed pseudonym, no user id, never item 9). Routing's burden is rolled up per
//! physician for each closed month the same way. Only closed months are published, and
//! every view reads one protected table per metric, computed over all months at once and
//! cached until the next month closes or data for past months is added.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use huddle_core::audit::AuditAction;
use huddle_core::identity::Role;
use huddle_core::identity::VerificationStatus;
use huddle_core::insights::interventions::{self, Evaluation, Fit, InterventionLevel};
use huddle_core::insights::nam::{self, Framing};
use huddle_core::insights::privacy::{self, Headcount, Obs, Table, ORGANIZATION};
use huddle_core::insights::turnover::{self, Estimate, Inputs};
use huddle_core::insights::{
    role_group, BurdenContribution, Contribution, Dimension, Metric, Period, Source, DRIVERS,
};
use huddle_core::keys::KeyOwner;
use huddle_store::{Intervention, NewIntervention};
use serde::Serialize;
use serde_json::json;

use super::audit::record;
use super::wellbeing::Sealed;
use crate::auth::access::Leader;
use crate::auth::Principal;
use crate::crypto::hmac_sha256;
use crate::error::ApiError;
use crate::state::AppState;

/// How many closed months the dashboard shows.
pub const HISTORY: i64 = 24;

/// Per-organization protected tables and pseudonym secrets, shared by all requests.
#[derive(Default)]
pub struct Cache {
    tables: Mutex<HashMap<i64, Arc<OrgTables>>>,
    generation: AtomicU64,
    /// One computation at a time: a second request for the same tables waits for the
    /// first instead of doing the work again.
    computing: tokio::sync::Mutex<()>,
}

impl Cache {
    /// Forget computed tables (data for past months was added).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }
}

/// Every metric's protected table for one organization.
pub struct OrgTables {
    pub through: Period,
    generation: u64,
    pub tables: BTreeMap<Metric, Table>,
    /// Group key → display name, per dimension.
    pub names: HashMap<(Dimension, String), String>,
}

impl OrgTables {
    pub fn table(&self, metric: Metric) -> Option<&Table> {
        self.tables.get(&metric)
    }

    pub fn name(&self, d: Dimension, key: &str) -> String {
        self.names
            .get(&(d, key.to_string()))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The months shown: the last `HISTORY` closed months.
    pub fn periods(&self) -> Vec<Period> {
        (0..HISTORY).rev().map(|i| self.through.plus(-i)).collect()
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

/// What one scored response adds to the clinician's de-identified row for the month:
/// screen outcomes and driver scores only. Item 9 and the answers stay sealed.
pub fn contribution_of(content: &Sealed) -> (Option<bool>, Option<bool>, Option<bool>, [u8; 9]) {
    let at_least = |score: &str, t: f64| content.scores.get(score).map(|v| *v >= t);
    let mut drivers = [0u8; 9];
    let (mut burnout, mut depression, mut anxiety) = (None, None, None);
    match content.instrument.as_str() {
        "burnout-single-item" => burnout = at_least("burnout", 3.0),
        "mbi" => {
            burnout = content
                .bands
                .get("mbi_burnout")
                .map(|b| b == "burnout symptoms")
        }
        "phq-2" => depression = at_least("phq2", 3.0),
        "phq-9" => depression = at_least("phq9", 10.0),
        "gad-2" => anxiety = at_least("gad2", 3.0),
        "gad-7" => anxiety = at_least("gad7", 10.0),
        "work-pulse" => {
            for (i, name) in DRIVERS.iter().enumerate() {
                let key = format!("pulse_{}", name.replace('-', "_"));
                if let Some(v) = content.scores.get(&key) {
                    drivers[i] = (*v as i64).clamp(0, 5) as u8;
                }
            }
        }
        _ => {}
    }
    (burnout, depression, anxiety, drivers)
}

/// Called after a response is sealed and stored.
pub async fn contribute(state: &AppState, p: &Principal, content: &Sealed) -> Result<(), ApiError> {
    let Some(org) = p.user.organization_id else {
        return Ok(());
    };
    let (burnout, depression, anxiety, drivers) = contribution_of(content);
    let c = Contribution {
        period: Period::of(state.now()),
        pseudonym: pseudonym(state, org, p.id()).await?,
        department_id: p.user.department_id,
        specialty: specialty_of(state, p.id()).await?,
        role: role_group(&p.user.roles, &p.user.team),
        burnout,
        depression,
        anxiety,
        drivers,
    };
    Ok(state.store.record_contribution(org, &c).await?)
}

fn department_key(department_id: Option<i64>) -> String {
    department_id.map_or_else(|| "none".to_string(), |d| d.to_string())
}

fn specialty_key(specialty: &str) -> &str {
    if specialty.is_empty() {
        "none"
    } else {
        specialty
    }
}

/// Rolls routing's burden up per physician for each closed month not yet computed
/// (the last `HISTORY` months at most).
async fn snapshot_burden(
    state: &AppState,
    organization_id: i64,
    through: Period,
) -> Result<bool, ApiError> {
    use huddle_core::routing::metrics::{report, Delivered, Worked};
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
            let secs = |ms: i64| ms / 1000;
            let delivered: Vec<Delivered> = alerts
                .iter()
                .map(|a| Delivered {
                    physician: a.delivered_to,
                    service: a.service.clone(),
                    interrupt: a.delivery == "interrupt",
                    delivered_at: secs(a.deliver_at),
                    needed: huddle_core::routing::learning::Outcome::parse(&a.state)
                        .map(huddle_core::routing::learning::Outcome::needed_action),
                    acknowledged_at: a.acknowledged_at.map(secs),
                })
                .collect();
            let worked: Vec<Worked> = shifts
                .iter()
                .filter(|s| s.starts_at >= from && s.starts_at < until)
                .map(|s| Worked {
                    physician: s.user_id,
                    service: s.service.clone(),
                    start: secs(s.starts_at),
                    end: secs(s.ends_at),
                })
                .collect();
            let r = report(&delivered, &worked);
            for (user_id, b) in r.by_physician {
                let Some(user) = people.as_ref().and_then(|m| m.get(&user_id)) else {
                    continue;
                };
                if b.shifts == 0 {
                    continue;
                }
                rows.push(BurdenContribution {
                    period,
                    pseudonym: pseudonym(state, organization_id, user_id).await?,
                    department_id: user.department_id,
                    specialty: specialty_of(state, user_id).await?,
                    role: role_group(&user.roles, &user.team),
                    shifts: b.shifts as i64,
                    notifications_per_shift: b.notifications_per_shift,
                    false_positive_share: b.false_positive_share,
                    after_hours: b.after_hours as i64,
                    median_ack_s: b.median_ack_s,
                });
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
            .filter(|t| t.through == through && t.generation == generation)
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
    let members = state.store.headcount(organization_id).await?;
    let departments = state.store.departments(organization_id).await?;
    let policy = state.config.insights.policy();
    let loaded_ms = started.elapsed().as_millis() as u64;
    let (n_contributions, n_burden) = (contributions.len(), burden.len());
    // Seconds of CPU for a large organization: off the async workers.
    let (tables, names) = tokio::task::spawn_blocking(move || {
        compute(&contributions, &burden, &members, &departments, &policy)
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
    let computed = Arc::new(OrgTables {
        through,
        generation,
        tables,
        names,
    });
    if let Ok(mut m) = state.insights.tables.lock() {
        m.insert(organization_id, computed.clone());
    }
    Ok(computed)
}

type Names = HashMap<(Dimension, String), String>;

/// Every metric's protected table, and the groups' display names.
fn compute(
    contributions: &[Contribution],
    burden: &[BurdenContribution],
    members: &[huddle_store::Headcount],
    departments: &[huddle_store::Department],
    policy: &privacy::Policy,
) -> (BTreeMap<Metric, Table>, Names) {
    let mut headcount: Headcount = HashMap::new();
    let mut names: Names = HashMap::new();
    names.insert(
        (Dimension::Organization, ORGANIZATION.to_string()),
        "Whole organization".to_string(),
    );
    for d in departments {
        names.insert((Dimension::Department, d.id.to_string()), d.name.clone());
    }
    names.insert(
        (Dimension::Department, "none".into()),
        "No department".into(),
    );
    names.insert(
        (Dimension::Specialty, "none".into()),
        "No verified specialty".into(),
    );
    for m in members {
        let role = role_group(&m.roles, &m.team);
        if role == "other" {
            continue;
        }
        for d in Dimension::ALL {
            let key = match d {
                Dimension::Organization => ORGANIZATION.to_string(),
                Dimension::Department => department_key(m.department_id),
                Dimension::Specialty => specialty_key(&m.specialty).to_string(),
                Dimension::Role => role.clone(),
            };
            *headcount.entry((d, key)).or_default() += 1;
        }
    }
    let mut specialty_codes: Vec<&str> = contributions
        .iter()
        .map(|c| c.specialty.as_str())
        .chain(burden.iter().map(|b| b.specialty.as_str()))
        .collect();
    specialty_codes.sort_unstable();
    specialty_codes.dedup();
    for code in specialty_codes {
        if let Some(s) = huddle_core::identity::specialty(code) {
            names.insert(
                (Dimension::Specialty, code.to_string()),
                s.display_name.to_string(),
            );
        }
    }

    // Group keys are borrowed, not copied per observation: a few hundred thousand rows
    // times seventeen metrics.
    let mut department_keys: HashMap<Option<i64>, String> = HashMap::new();
    for id in contributions
        .iter()
        .map(|c| c.department_id)
        .chain(burden.iter().map(|b| b.department_id))
    {
        department_keys
            .entry(id)
            .or_insert_with(|| department_key(id));
    }
    let key_of = |id: Option<i64>| department_keys.get(&id).map_or("none", String::as_str);
    let mut tables = BTreeMap::new();
    let mut memo = privacy::Memo::default();
    for metric in Metric::all() {
        let obs: Vec<Obs<'_>> = match metric.source() {
            Source::Survey => contributions
                .iter()
                .filter_map(|c| {
                    c.value(metric).map(|value| Obs {
                        period: c.period,
                        member: c.pseudonym,
                        department: key_of(c.department_id),
                        specialty: specialty_key(&c.specialty),
                        role: &c.role,
                        value,
                    })
                })
                .collect(),
            Source::Routing => burden
                .iter()
                .filter_map(|b| {
                    b.value(metric).map(|value| Obs {
                        period: b.period,
                        member: b.pseudonym,
                        department: key_of(b.department_id),
                        specialty: specialty_key(&b.specialty),
                        role: &b.role,
                        value,
                    })
                })
                .collect(),
        };
        tables.insert(
            metric,
            privacy::protect_with(metric, &obs, policy, &headcount, &mut memo),
        );
    }
    (tables, names)
}

/// Computes every organization's tables ahead of the first leader (at start, and within
/// minutes of a month closing), so nobody waits for the computation.
pub async fn warm(state: &AppState) -> Result<(), ApiError> {
    for org in state.store.organizations().await? {
        tables(state, org.id).await?;
    }
    Ok(())
}

/// One row of the aggregates contract: `n` and `value` are null when suppressed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Row {
    pub group: String,
    pub n: Option<u64>,
    pub value: Option<f64>,
    pub suppressed: bool,
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

pub fn rows_of(t: &OrgTables, metric: Metric, d: Dimension, period: Period) -> Vec<Row> {
    let Some(table) = t.table(metric) else {
        return Vec::new();
    };
    let mut rows: Vec<Row> = table
        .rows(period, d)
        .into_iter()
        .map(|c| {
            let published = c.published();
            Row {
                group: t.name(d, &c.group),
                n: published.map(|p| p.0),
                value: published.map(|p| p.1),
                suppressed: published.is_none(),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.group.cmp(&b.group));
    rows
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

/// RFC 4180 CSV of aggregate rows; group names that a spreadsheet would run as a formula
/// are prefixed with an apostrophe.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from("group,n,value,suppressed\r\n");
    for r in rows {
        let mut g = r.group.clone();
        if g.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            g.insert(0, '\'');
        }
        let g = if g.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", g.replace('"', "\"\""))
        } else {
            g
        };
        out.push_str(&format!(
            "{},{},{},{}\r\n",
            g,
            r.n.map(|n| n.to_string()).unwrap_or_default(),
            r.value.map(|v| v.to_string()).unwrap_or_default(),
            r.suppressed
        ));
    }
    out
}

/// A group's values over the shown months (None: suppressed or no data).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Series {
    pub group: String,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Point {
    #[schema(value_type = String)]
    pub period: Period,
    pub n: Option<u64>,
    pub value: Option<f64>,
    pub suppressed: bool,
}

pub fn trend_of(t: &OrgTables, metric: Metric, d: Dimension) -> Vec<Series> {
    let Some(table) = t.table(metric) else {
        return Vec::new();
    };
    let periods = t.periods();
    let mut groups: Vec<String> = table
        .cells
        .iter()
        .filter(|c| c.dimension == d && periods.contains(&c.period))
        .map(|c| c.group.clone())
        .collect();
    groups.sort();
    groups.dedup();
    let mut out: Vec<Series> = groups
        .into_iter()
        .map(|g| {
            let points = periods
                .iter()
                .map(|p| {
                    let cell = table.cell(*p, d, &g);
                    let published = cell.and_then(|c| c.published());
                    Point {
                        period: *p,
                        n: published.map(|x| x.0),
                        value: published.map(|x| x.1),
                        suppressed: cell.is_some() && published.is_none(),
                    }
                })
                .collect();
            Series {
                group: t.name(d, &g),
                points,
            }
        })
        .collect();
    out.sort_by(|a, b| a.group.cmp(&b.group));
    out
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

/// One driver of one unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DriverView {
    pub metric: String,
    pub label: String,
    /// external, organizational or individual (the NAM model's levels).
    pub level: String,
    pub factor: String,
    /// Measured by routing rather than reported in the pulse survey.
    pub objective: bool,
    pub n: Option<u64>,
    pub value: Option<f64>,
    pub suppressed: bool,
    /// How the driver moved with burnout over the shown months (Pearson r of published
    /// monthly values; null under three months with both published).
    pub moves_with_burnout: Option<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitDrivers {
    pub group: String,
    pub burnout_n: Option<u64>,
    pub burnout: Option<f64>,
    /// Survey drivers, worst (highest mean) first, then routing's objective drivers.
    pub drivers: Vec<DriverView>,
}

impl UnitDrivers {
    /// Names of the survey drivers with a published value, worst first.
    pub fn top(&self) -> Vec<String> {
        self.drivers
            .iter()
            .filter(|d| !d.objective && d.value.is_some())
            .map(|d| d.metric.trim_start_matches("driver:").to_string())
            .collect()
    }
}

fn framing_of(metric: Metric) -> Framing {
    nam::framing(metric).unwrap_or(Framing {
        level: nam::Level::Organizational,
        factor: "",
        objective: false,
    })
}

pub fn drivers_of(t: &OrgTables, d: Dimension, period: Period) -> Vec<UnitDrivers> {
    let Some(burnout) = t.table(Metric::Burnout) else {
        return Vec::new();
    };
    let periods = t.periods();
    let mut groups: Vec<String> = burnout
        .rows(period, d)
        .iter()
        .map(|c| c.group.clone())
        .collect();
    groups.sort();
    let mut out = Vec::new();
    for g in groups {
        let b = burnout.cell(period, d, &g).and_then(|c| c.published());
        let mut drivers: Vec<DriverView> = nam::driver_metrics()
            .into_iter()
            .filter_map(|m| {
                let table = t.table(m)?;
                let cell = table.cell(period, d, &g);
                let published = cell.and_then(|c| c.published());
                let pairs: Vec<(f64, f64)> = periods
                    .iter()
                    .filter_map(|p| {
                        let x = table.cell(*p, d, &g)?.published()?.1;
                        let y = burnout.cell(*p, d, &g)?.published()?.1;
                        Some((x, y))
                    })
                    .collect();
                let f = framing_of(m);
                Some(DriverView {
                    metric: m.key(),
                    label: m.label(),
                    level: f.level.label().to_lowercase(),
                    factor: f.factor.to_string(),
                    objective: f.objective,
                    n: published.map(|x| x.0),
                    value: published.map(|x| x.1),
                    suppressed: published.is_none(),
                    moves_with_burnout: nam::correlation(&pairs),
                })
            })
            .collect();
        drivers.sort_by(|a, b| {
            a.objective.cmp(&b.objective).then(
                b.value
                    .unwrap_or(f64::MIN)
                    .total_cmp(&a.value.unwrap_or(f64::MIN)),
            )
        });
        out.push(UnitDrivers {
            group: t.name(d, &g),
            burnout_n: b.map(|x| x.0),
            burnout: b.map(|x| x.1),
            drivers,
        });
    }
    out
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

/// An intervention with its evaluation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InterventionView {
    pub id: i64,
    pub name: String,
    pub level: String,
    pub drivers: Vec<String>,
    /// Department names; empty for the whole organization.
    pub units: Vec<String>,
    #[schema(value_type = String)]
    pub starts: Period,
    pub cost: i64,
    #[schema(value_type = Object)]
    pub evaluation: Evaluation,
    pub verdict: String,
    /// The unit's survey drivers, worst first (empty when suppressed).
    pub unit_top_drivers: Vec<String>,
    #[schema(value_type = String)]
    pub fit: Fit,
    pub fit_label: String,
    /// The first evaluation question, answered.
    pub targets: String,
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn evaluate(t: &OrgTables, i: &Intervention) -> InterventionView {
    let units = split_list(&i.units);
    let (dim, keys): (Dimension, Vec<String>) = if units.is_empty() {
        (Dimension::Organization, vec![ORGANIZATION.to_string()])
    } else {
        (Dimension::Department, units.clone())
    };
    let mut series = Vec::new();
    if let Some(table) = t.table(Metric::Burnout) {
        for k in &keys {
            for (p, published) in table.series(dim, k) {
                if let Some((n, v)) = published {
                    series.push((p, n, v));
                }
            }
        }
    }
    let evaluation = interventions::evaluate(&series, i.starts, t.through);
    // The unit's worst drivers: n-weighted over its units in the latest month where any
    // driver is published.
    let mut top: Vec<(String, f64)> = Vec::new();
    for back in 0..HISTORY {
        let period = t.through.plus(-back);
        let mut means: Vec<(String, f64)> = Vec::new();
        for (i, name) in DRIVERS.iter().enumerate() {
            let Some(table) = t.table(Metric::Driver(i)) else {
                continue;
            };
            let (mut n, mut sum) = (0u64, 0.0);
            for k in &keys {
                if let Some((cn, v)) = table.cell(period, dim, k).and_then(|c| c.published()) {
                    n += cn;
                    sum += cn as f64 * v;
                }
            }
            if n > 0 {
                means.push((name.to_string(), sum / n as f64));
            }
        }
        if !means.is_empty() {
            means.sort_by(|a, b| b.1.total_cmp(&a.1));
            top = means;
            break;
        }
    }
    let top: Vec<String> = top.into_iter().map(|x| x.0).take(3).collect();
    let drivers = split_list(&i.drivers);
    let fit = interventions::fit(&drivers, &top);
    let level = InterventionLevel::parse(&i.level).unwrap_or(InterventionLevel::Structural);
    let targets = format!(
        "{} ({}): {}",
        match level {
            InterventionLevel::Individual => "individual coping",
            InterventionLevel::Structural => "structural change",
        },
        level.as_str(),
        if drivers.is_empty() {
            "no driver named".to_string()
        } else {
            drivers
                .iter()
                .map(|d| {
                    let f = DRIVERS
                        .iter()
                        .position(|x| x == d)
                        .and_then(|i| nam::framing(Metric::Driver(i)));
                    match f {
                        Some(f) => format!("{d} ({})", f.level.label().to_lowercase()),
                        None => d.clone(),
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    InterventionView {
        id: i.id,
        name: i.name.clone(),
        level: level.as_str().to_string(),
        drivers,
        units: units
            .iter()
            .map(|u| t.name(Dimension::Department, u))
            .collect(),
        starts: i.starts,
        cost: i.cost,
        verdict: evaluation.verdict.label().to_string(),
        evaluation,
        unit_top_drivers: top,
        fit_label: fit.label().to_string(),
        fit,
        targets,
    }
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
    Ok(all.iter().map(|i| evaluate(&t, i)).collect())
}

pub struct NewInterventionInput<'a> {
    pub name: &'a str,
    pub level: &'a str,
    pub drivers: &'a [String],
    pub units: &'a [i64],
    pub starts: &'a str,
    pub cost: i64,
}

pub async fn add_intervention(
    state: &AppState,
    p: &Principal,
    input: NewInterventionInput<'_>,
) -> Result<InterventionView, ApiError> {
    let org = Leader::of(p)?.organization_id();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::invalid("name", "1 to 200 characters"));
    }
    let level = InterventionLevel::parse(input.level)
        .ok_or_else(|| ApiError::invalid("level", "individual or structural"))?;
    for d in input.drivers {
        if !DRIVERS.contains(&d.as_str()) {
            return Err(ApiError::invalid(
                "drivers",
                format!("unknown driver `{d}`; one of {}", DRIVERS.join(", ")),
            ));
        }
    }
    let departments = state.store.departments(org).await?;
    for u in input.units {
        if !departments.iter().any(|d| d.id == *u) {
            return Err(ApiError::invalid(
                "units",
                format!("department {u} is not in your organization"),
            ));
        }
    }
    let starts = Period::parse(input.starts)
        .ok_or_else(|| ApiError::invalid("starts", "a month as YYYY-MM"))?;
    if !(0..=1_000_000_000).contains(&input.cost) {
        return Err(ApiError::invalid("cost", "whole dollars, 0 or more"));
    }
    let mut drivers = input.drivers.to_vec();
    drivers.dedup();
    let made = state
        .store
        .create_intervention(NewIntervention {
            organization_id: org,
            name: name.to_string(),
            level: level.as_str().to_string(),
            drivers: drivers.join(","),
            units: input
                .units
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
            starts,
            cost: input.cost,
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
    Ok(evaluate(&t, &made))
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
    let mut inputs = Inputs::default();
    if physicians > 0 {
        inputs.physicians = physicians as f64;
    }
    if let Some(rate) = t.table(Metric::Burnout).and_then(|table| {
        (0..HISTORY).find_map(|back| {
            table
                .cell(t.through.plus(-back), Dimension::Organization, ORGANIZATION)?
                .published()
                .map(|x| x.1)
        })
    }) {
        inputs.burnout_rate = rate;
        inputs.burnout_drop = inputs.burnout_drop.min(rate);
    }
    Ok(inputs)
}

pub fn turnover(p: &Principal, inputs: &Inputs) -> Result<Estimate, ApiError> {
    Leader::of(p)?;
    turnover::estimate(inputs).map_err(|e| ApiError::invalid(e.field, e.message))
}
