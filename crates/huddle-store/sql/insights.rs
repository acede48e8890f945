//! Insights: de-identified contributions and interventions.

use huddle_core::identity::Roles;
use huddle_core::insights::{BurdenContribution, Contribution, Period};
use huddle_store::sql::async_trait;
use huddle_store::{
    Headcount, InsightsStore, Intervention, NewIntervention, StoreError, StoreResult,
};

use crate::backend::{Db, Store};

// The statements, in the order the methods below use them.
const SAVE_BURDEN_DELETE_INSIGHTS_BURDEN: &str =
    "DELETE FROM insights_burden WHERE organization_id = $1 AND period = $2";
const SAVE_BURDEN_INSERT_INSIGHTS_BURDEN: &str =
    "INSERT INTO insights_burden (organization_id, period, pseudonym, department_id, \
    specialty, role, shifts, notifications_per_shift, false_positive_share, \
    after_hours, median_ack_s) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
    ON CONFLICT (organization_id, period, pseudonym) DO NOTHING";
const SAVE_BURDEN_INSIGHTS_BURDEN_PERIODS: &str =
    "INSERT INTO insights_burden_periods (organization_id, period) VALUES ($1, $2) \
    ON CONFLICT (organization_id, period) DO NOTHING";
const BURDEN_PERIODS: &str =
    "SELECT period FROM insights_burden_periods WHERE organization_id = $1 ORDER BY period";
const HEADCOUNT: &str = "SELECT u.department_id, u.roles, u.team, \
    (SELECT v.specialty_code FROM verification_requests v \
    WHERE v.user_id = u.id AND v.status = 'verified' ORDER BY v.id DESC LIMIT 1) \
    FROM users u WHERE u.organization_id = $1";
const CREATE_INTERVENTION: &str =
    "INSERT INTO interventions (organization_id, name, level, drivers, units, starts, \
    cost, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *";
const INTERVENTIONS: &str =
    "SELECT * FROM interventions WHERE organization_id = $1 ORDER BY starts DESC, id DESC";
const DELETE_INTERVENTION: &str =
    "DELETE FROM interventions WHERE organization_id = $1 AND id = $2";

#[async_trait]
impl InsightsStore for Store {
    async fn record_contribution(&self, organization_id: i64, c: &Contribution) -> StoreResult<()> {
        sqlx::query::<Db>(UPSERT_CONTRIBUTION)
            .bind(organization_id)
            .bind(c.period.index())
            .bind(c.pseudonym)
            .bind(c.department_id)
            .bind(&c.specialty)
            .bind(&c.role)
            .bind(c.burnout.map(i64::from))
            .bind(c.depression.map(i64::from))
            .bind(c.anxiety.map(i64::from))
            .bind(c.drivers_text())
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn record_contributions(
        &self,
        organization_id: i64,
        cs: &[Contribution],
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        for c in cs {
            sqlx::query::<Db>(UPSERT_CONTRIBUTION)
                .bind(organization_id)
                .bind(c.period.index())
                .bind(c.pseudonym)
                .bind(c.department_id)
                .bind(&c.specialty)
                .bind(&c.role)
                .bind(c.burnout.map(i64::from))
                .bind(c.depression.map(i64::from))
                .bind(c.anxiety.map(i64::from))
                .bind(c.drivers_text())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(cs.len() as u64)
    }

    async fn contributions(
        &self,
        organization_id: i64,
        from: Period,
        until: Period,
    ) -> StoreResult<Vec<Contribution>> {
        // One packed row per month (string_agg exists in both engines): a few hundred
        // thousand rows decoded one by one cost seconds.
        let rows: Vec<(i64, String)> = sqlx::query_as(PACKED_CONTRIBUTIONS)
            .bind(organization_id)
            .bind(from.index())
            .bind(until.index())
            .fetch_all(&mut *self.reader().await?)
            .await?;
        let mut out = Vec::new();
        for (period, packed) in rows {
            unpack_contributions(period, &packed, &mut out)?;
        }
        Ok(out)
    }

    async fn save_burden(
        &self,
        organization_id: i64,
        period: Period,
        rows: &[BurdenContribution],
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query::<Db>(SAVE_BURDEN_DELETE_INSIGHTS_BURDEN)
            .bind(organization_id)
            .bind(period.index())
            .execute(&mut *tx)
            .await?;
        for r in rows {
            sqlx::query::<Db>(SAVE_BURDEN_INSERT_INSIGHTS_BURDEN)
                .bind(organization_id)
                .bind(period.index())
                .bind(r.pseudonym)
                .bind(r.department_id)
                .bind(&r.specialty)
                .bind(&r.role)
                .bind(r.shifts)
                .bind(r.notifications_per_shift)
                .bind(r.false_positive_share)
                .bind(r.after_hours)
                .bind(r.median_ack_s)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query::<Db>(SAVE_BURDEN_INSIGHTS_BURDEN_PERIODS)
            .bind(organization_id)
            .bind(period.index())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn burden_periods(&self, organization_id: i64) -> StoreResult<Vec<Period>> {
        let rows: Vec<(i64,)> = sqlx::query_as(BURDEN_PERIODS)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().map(|r| Period::from_index(r.0)).collect())
    }

    async fn burden(
        &self,
        organization_id: i64,
        from: Period,
        until: Period,
    ) -> StoreResult<Vec<BurdenContribution>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(PACKED_BURDEN)
            .bind(organization_id)
            .bind(from.index())
            .bind(until.index())
            .fetch_all(&mut *self.reader().await?)
            .await?;
        let mut out = Vec::new();
        for (period, packed) in rows {
            unpack_burden(period, &packed, &mut out)?;
        }
        Ok(out)
    }

    async fn headcount(&self, organization_id: i64) -> StoreResult<Vec<Headcount>> {
        let rows: Vec<(Option<i64>, String, String, Option<String>)> = sqlx::query_as(HEADCOUNT)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        rows.into_iter()
            .map(|(department_id, roles, team, specialty)| {
                Ok(Headcount {
                    department_id,
                    roles: Roles::from_stored(&roles)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    team,
                    specialty: specialty.unwrap_or_default(),
                })
            })
            .collect()
    }

    async fn create_intervention(&self, n: NewIntervention) -> StoreResult<Intervention> {
        let row = sqlx::query_as::<Db, InterventionRow>(CREATE_INTERVENTION)
            .bind(n.organization_id)
            .bind(&n.name)
            .bind(&n.level)
            .bind(&n.drivers)
            .bind(&n.units)
            .bind(n.starts.index())
            .bind(n.cost)
            .bind(n.created_by)
            .bind(n.created_at)
            .fetch_one(&mut *self.writer().await?)
            .await?;
        Ok(row.into())
    }

    async fn interventions(&self, organization_id: i64) -> StoreResult<Vec<Intervention>> {
        let rows = sqlx::query_as::<Db, InterventionRow>(INTERVENTIONS)
            .bind(organization_id)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn delete_intervention(&self, organization_id: i64, id: i64) -> StoreResult<bool> {
        let done = sqlx::query::<Db>(DELETE_INTERVENTION)
            .bind(organization_id)
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

const UPSERT_CONTRIBUTION: &str =
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

/// An intervention as stored: `starts` is a month index until it becomes a `Period`.
#[derive(sqlx::FromRow)]
pub(crate) struct InterventionRow {
    id: i64,
    organization_id: i64,
    name: String,
    level: String,
    drivers: String,
    units: String,
    starts: i64,
    cost: i64,
    created_by: Option<i64>,
    created_at: i64,
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

const PACKED_CONTRIBUTIONS: &str = "SELECT period, string_agg(\
     CAST(pseudonym AS TEXT) || '\u{1f}' || COALESCE(CAST(department_id AS TEXT), '') || '\u{1f}' || \
     specialty || '\u{1f}' || role || '\u{1f}' || COALESCE(CAST(burnout AS TEXT), '') || '\u{1f}' || \
     COALESCE(CAST(depression AS TEXT), '') || '\u{1f}' || COALESCE(CAST(anxiety AS TEXT), '') || \
     '\u{1f}' || drivers, '\u{1e}') \
     FROM insights_contributions WHERE organization_id = $1 AND period >= $2 AND period < $3 \
     GROUP BY period ORDER BY period";

const PACKED_BURDEN: &str = "SELECT period, string_agg(\
     CAST(pseudonym AS TEXT) || '\u{1f}' || COALESCE(CAST(department_id AS TEXT), '') || '\u{1f}' || \
     specialty || '\u{1f}' || role || '\u{1f}' || CAST(shifts AS TEXT) || '\u{1f}' || \
     CAST(notifications_per_shift AS TEXT) || '\u{1f}' || CAST(false_positive_share AS TEXT) || \
     '\u{1f}' || CAST(after_hours AS TEXT) || '\u{1f}' || COALESCE(CAST(median_ack_s AS TEXT), ''), '\u{1e}') \
     FROM insights_burden WHERE organization_id = $1 AND period >= $2 AND period < $3 \
     GROUP BY period ORDER BY period";

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("insights row: {what}"))
}

fn int(s: &str) -> Result<i64, StoreError> {
    s.parse().map_err(|_| corrupt(s))
}

fn opt_int(s: &str) -> Result<Option<i64>, StoreError> {
    if s.is_empty() {
        Ok(None)
    } else {
        int(s).map(Some)
    }
}

fn flag(s: &str) -> Result<Option<bool>, StoreError> {
    Ok(opt_int(s)?.map(|v| v != 0))
}

fn unpack_contributions(
    period: i64,
    packed: &str,
    out: &mut Vec<Contribution>,
) -> Result<(), StoreError> {
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

fn unpack_burden(
    period: i64,
    packed: &str,
    out: &mut Vec<BurdenContribution>,
) -> Result<(), StoreError> {
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
