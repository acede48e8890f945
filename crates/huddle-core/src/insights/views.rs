//! What leaders are shown, read from the protected tables: one month's rows (and their
//! CSV), a metric's trend over the shown months, and each unit's drivers. A suppressed
//! cell shows as suppressed, never as a number.

use serde::Serialize;

use super::nam::{self, Framing};
use super::tables::OrgTables;
use super::{Dimension, Metric, Period};

/// One row of the aggregates contract: `n` and `value` are null when suppressed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    pub group: String,
    pub n: Option<u64>,
    pub value: Option<f64>,
    pub suppressed: bool,
}

/// A metric's rows for one grouping and month, by group name.
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
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Series {
    pub group: String,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Point {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub period: Period,
    pub n: Option<u64>,
    pub value: Option<f64>,
    pub suppressed: bool,
}

/// Every group's series of one metric over the shown months, by group name.
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

/// One driver of one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Each unit's burnout and drivers in one month, with how each driver moved with burnout.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::tables::tests::{month, sample};

    #[test]
    fn rows_name_their_groups_and_publish_large_ones() {
        let t = sample();
        let rows = rows_of(&t, Metric::Burnout, Dimension::Department, month("2026-06"));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].group, "Emergency");
        assert_eq!(rows[0].n, Some(10), "12 rounded to a multiple of 5");
        assert!(!rows[0].suppressed);
        assert!(rows_of(&t, Metric::Burnout, Dimension::Department, month("2027-01")).is_empty());
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let rows = [
            Row {
                group: "=SUM(A1)".into(),
                n: None,
                value: None,
                suppressed: true,
            },
            Row {
                group: "Cardiology, \"North\"".into(),
                n: Some(10),
                value: Some(0.5),
                suppressed: false,
            },
        ];
        assert_eq!(
            csv(&rows),
            "group,n,value,suppressed\r\n'=SUM(A1),,,true\r\n\"Cardiology, \"\"North\"\"\",10,0.5,false\r\n"
        );
    }

    #[test]
    fn a_trend_has_a_point_for_every_shown_month() {
        let t = sample();
        let trend = trend_of(&t, Metric::Burnout, Dimension::Department);
        assert_eq!(trend.len(), 1);
        let points = &trend[0].points;
        assert_eq!(points.len() as i64, crate::insights::tables::HISTORY);
        let published = points.iter().filter(|p| p.value.is_some()).count();
        assert_eq!(published, 6, "January to June");
        assert!(
            points.iter().all(|p| !p.suppressed),
            "no data is not suppressed"
        );
    }

    #[test]
    fn drivers_come_worst_first_then_objective_ones() {
        let t = sample();
        let units = drivers_of(&t, Dimension::Department, month("2026-06"));
        assert_eq!(units.len(), 1);
        let unit = &units[0];
        assert_eq!(unit.group, "Emergency");
        assert_eq!(unit.top(), vec!["workload".to_string()]);
        let first_objective = unit.drivers.iter().position(|d| d.objective).unwrap();
        assert!(unit.drivers[..first_objective].iter().all(|d| !d.objective));
        assert!(unit.drivers[first_objective..].iter().all(|d| d.objective));
    }
}
