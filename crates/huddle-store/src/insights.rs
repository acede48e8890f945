//! Insights: de-identified monthly contributions (one row per clinician per month: screen
//! outcomes and driver scores under a keyed pseudonym, never a user id, never an answer,
//! never PHQ-9 item 9), routing's monthly burden per physician in the same shape, the
//! current headcount per group, and the interventions registry.

use async_trait::async_trait;
use huddle_core::clock::Millis;
use huddle_core::insights::{BurdenContribution, Contribution, Period};

use crate::StoreResult;

/// A current member of an organization, as headcounts see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headcount {
    pub department_id: Option<i64>,
    pub roles: huddle_core::identity::Roles,
    pub team: String,
    /// NUCC code of the approved verification, or empty.
    pub specialty: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewIntervention {
    pub organization_id: i64,
    pub name: String,
    /// `individual` or `structural`.
    pub level: String,
    /// Targeted drivers, comma-separated (`workload,documentation`).
    pub drivers: String,
    /// Department ids, comma-separated; empty for the whole organization.
    pub units: String,
    pub starts: Period,
    /// Yearly cost in whole dollars.
    pub cost: i64,
    pub created_by: Option<i64>,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Intervention {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub level: String,
    pub drivers: String,
    pub units: String,
    pub starts: Period,
    pub cost: i64,
    pub created_by: Option<i64>,
    pub created_at: Millis,
}

#[async_trait]
pub trait InsightsStore {
    /// Adds a check-in's outcomes to the person's row for the month: fields this check-in
    /// did not answer keep their earlier value; the groups are replaced by the current ones.
    async fn record_contribution(
        &self,
        organization_id: i64,
        contribution: &Contribution,
    ) -> StoreResult<()>;
    /// Many at once, in one transaction (demo data and benchmarks).
    async fn record_contributions(
        &self,
        organization_id: i64,
        contributions: &[Contribution],
    ) -> StoreResult<u64>;
    /// Contributions of the months `from..until` (until excluded), by period.
    async fn contributions(
        &self,
        organization_id: i64,
        from: Period,
        until: Period,
    ) -> StoreResult<Vec<Contribution>>;

    /// Replaces the burden rows of one month and marks the month as computed.
    async fn save_burden(
        &self,
        organization_id: i64,
        period: Period,
        rows: &[BurdenContribution],
    ) -> StoreResult<()>;
    /// The months whose burden has been computed.
    async fn burden_periods(&self, organization_id: i64) -> StoreResult<Vec<Period>>;
    async fn burden(
        &self,
        organization_id: i64,
        from: Period,
        until: Period,
    ) -> StoreResult<Vec<BurdenContribution>>;

    /// Everyone currently in the organization, with the groups they count in.
    async fn headcount(&self, organization_id: i64) -> StoreResult<Vec<Headcount>>;

    async fn create_intervention(&self, new: NewIntervention) -> StoreResult<Intervention>;
    /// The organization's interventions, newest start first.
    async fn interventions(&self, organization_id: i64) -> StoreResult<Vec<Intervention>>;
    async fn delete_intervention(&self, organization_id: i64, id: i64) -> StoreResult<bool>;
}

#[doc(hidden)]
pub const UPSERT_CONTRIBUTION: &str =
    "INSERT INTO insights_contributions (organization_id, period, pseudonym, department_id, \
     specialty, role, burnout, depression, anxiety, drivers) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (organization_id, period, pseudonym) DO UPDATE SET \
     department_id = excluded.department_id, specialty = excluded.specialty, role = excluded.role, \
     burnout = COALESCE(excluded.burnout, insights_contributions.burnout), \
     depression = COALESCE(excluded.depression, insights_contributions.depression), \
     anxiety = COALESCE(excluded.anxiety, insights_contributions.anxiety), \
     drivers = CASE WHEN excluded.drivers = '' THEN insights_contributions.drivers \
     ELSE excluded.drivers END";

#[doc(hidden)]
#[derive(sqlx::FromRow)]
pub struct InterventionRow {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub level: String,
    pub drivers: String,
    pub units: String,
    pub starts: i64,
    pub cost: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

impl From<InterventionRow> for Intervention {
    fn from(r: InterventionRow) -> Self {
        Intervention {
            id: r.id,
            organization_id: r.organization_id,
            name: r.name,
            level: r.level,
            drivers: r.drivers,
            units: r.units,
            starts: Period::from_index(r.starts),
            cost: r.cost,
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

/// Field and record separators of the packed monthly rows (ASCII US and RS, which no
/// stored value contains: codes, team names, numbers and `name=score` lists).
const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';

#[doc(hidden)]
pub const PACKED_CONTRIBUTIONS: &str = "SELECT period, string_agg(\
     CAST(pseudonym AS TEXT) || '\u{1f}' || COALESCE(CAST(department_id AS TEXT), '') || '\u{1f}' || \
     specialty || '\u{1f}' || role || '\u{1f}' || COALESCE(CAST(burnout AS TEXT), '') || '\u{1f}' || \
     COALESCE(CAST(depression AS TEXT), '') || '\u{1f}' || COALESCE(CAST(anxiety AS TEXT), '') || \
     '\u{1f}' || drivers, '\u{1e}') \
     FROM insights_contributions WHERE organization_id = $1 AND period >= $2 AND period < $3 \
     GROUP BY period ORDER BY period";

#[doc(hidden)]
pub const PACKED_BURDEN: &str = "SELECT period, string_agg(\
     CAST(pseudonym AS TEXT) || '\u{1f}' || COALESCE(CAST(department_id AS TEXT), '') || '\u{1f}' || \
     specialty || '\u{1f}' || role || '\u{1f}' || CAST(shifts AS TEXT) || '\u{1f}' || \
     CAST(notifications_per_shift AS TEXT) || '\u{1f}' || CAST(false_positive_share AS TEXT) || \
     '\u{1f}' || CAST(after_hours AS TEXT) || '\u{1f}' || COALESCE(CAST(median_ack_s AS TEXT), ''), '\u{1e}') \
     FROM insights_burden WHERE organization_id = $1 AND period >= $2 AND period < $3 \
     GROUP BY period ORDER BY period";

fn corrupt(what: &str) -> crate::StoreError {
    crate::StoreError::Corrupt(format!("insights row: {what}"))
}

fn int(s: &str) -> Result<i64, crate::StoreError> {
    s.parse().map_err(|_| corrupt(s))
}

fn opt_int(s: &str) -> Result<Option<i64>, crate::StoreError> {
    if s.is_empty() {
        Ok(None)
    } else {
        int(s).map(Some)
    }
}

fn flag(s: &str) -> Result<Option<bool>, crate::StoreError> {
    Ok(opt_int(s)?.map(|v| v != 0))
}

#[doc(hidden)]
pub fn unpack_contributions(
    period: i64,
    packed: &str,
    out: &mut Vec<Contribution>,
) -> Result<(), crate::StoreError> {
    for record in packed.split(RECORD).filter(|r| !r.is_empty()) {
        let f: Vec<&str> = record.split(FIELD).collect();
        let [pseudonym, department, specialty, role, burnout, depression, anxiety, drivers] =
            f.as_slice()
        else {
            return Err(corrupt("field count"));
        };
        out.push(Contribution {
            period: Period::from_index(period),
            pseudonym: int(pseudonym)?,
            department_id: opt_int(department)?,
            specialty: (*specialty).to_string(),
            role: (*role).to_string(),
            burnout: flag(burnout)?,
            depression: flag(depression)?,
            anxiety: flag(anxiety)?,
            drivers: Contribution::parse_drivers(drivers),
        });
    }
    Ok(())
}

#[doc(hidden)]
pub fn unpack_burden(
    period: i64,
    packed: &str,
    out: &mut Vec<BurdenContribution>,
) -> Result<(), crate::StoreError> {
    for record in packed.split(RECORD).filter(|r| !r.is_empty()) {
        let f: Vec<&str> = record.split(FIELD).collect();
        let [pseudonym, department, specialty, role, shifts, per_shift, fp, after_hours, ack] =
            f.as_slice()
        else {
            return Err(corrupt("field count"));
        };
        let float = |s: &str| s.parse::<f64>().map_err(|_| corrupt(s));
        out.push(BurdenContribution {
            period: Period::from_index(period),
            pseudonym: int(pseudonym)?,
            department_id: opt_int(department)?,
            specialty: (*specialty).to_string(),
            role: (*role).to_string(),
            shifts: int(shifts)?,
            notifications_per_shift: float(per_shift)?,
            false_positive_share: float(fp)?,
            after_hours: int(after_hours)?,
            median_ack_s: opt_int(ack)?,
        });
    }
    Ok(())
}
