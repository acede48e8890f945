//! An intervention as leaders see it: its plan, read against the protected tables. The
//! burnout series of its units, the durability verdict, the unit's worst drivers and
//! whether it targets them (the three questions of `interventions`).

use serde::Serialize;

use super::interventions::{self, Evaluation, Fit, InterventionLevel};
use super::nam;
use super::plan::Plan;
use super::privacy::ORGANIZATION;
use super::tables::{OrgTables, HISTORY};
use super::{Dimension, Metric, Period, DRIVERS};

/// An intervention with its evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterventionView {
    pub id: i64,
    pub name: String,
    pub level: String,
    pub drivers: Vec<String>,
    /// Department names; empty for the whole organization.
    pub units: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub starts: Period,
    pub cost: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub evaluation: Evaluation,
    pub verdict: String,
    /// The unit's survey drivers, worst first (empty when suppressed).
    pub unit_top_drivers: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub fit: Fit,
    pub fit_label: String,
    /// The first evaluation question, answered.
    pub targets: String,
}

/// The groups an intervention covers: its departments, or the whole organization.
fn scope(plan: &Plan) -> (Dimension, Vec<String>) {
    if plan.units.is_empty() {
        (Dimension::Organization, vec![ORGANIZATION.to_string()])
    } else {
        (Dimension::Department, plan.units.clone())
    }
}

/// The units' three worst survey drivers: n-weighted over the units in the latest month
/// where any driver is published.
fn top_drivers(t: &OrgTables, dim: Dimension, keys: &[String]) -> Vec<String> {
    for back in 0..HISTORY {
        let period = t.through.plus(-back);
        let mut means: Vec<(String, f64)> = Vec::new();
        for (i, name) in DRIVERS.iter().enumerate() {
            let Some(table) = t.table(Metric::Driver(i)) else {
                continue;
            };
            let (mut n, mut sum) = (0u64, 0.0);
            for k in keys {
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
            return means.into_iter().map(|x| x.0).take(3).collect();
        }
    }
    Vec::new()
}

/// "structural change (structural): workload (organizational), …"
fn targets(level: InterventionLevel, drivers: &[String]) -> String {
    let named = if drivers.is_empty() {
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
    };
    let kind = match level {
        InterventionLevel::Individual => "individual coping",
        InterventionLevel::Structural => "structural change",
    };
    format!("{kind} ({}): {named}", level.as_str())
}

pub fn evaluate(t: &OrgTables, plan: &Plan) -> InterventionView {
    let (dim, keys) = scope(plan);
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
    let evaluation = interventions::evaluate(&series, plan.starts, t.through);
    let top = top_drivers(t, dim, &keys);
    let fit = interventions::fit(&plan.drivers, &top);
    InterventionView {
        id: plan.id,
        name: plan.name.clone(),
        level: plan.level.as_str().to_string(),
        drivers: plan.drivers.clone(),
        units: plan
            .units
            .iter()
            .map(|u| t.name(Dimension::Department, u))
            .collect(),
        starts: plan.starts,
        cost: plan.cost,
        verdict: evaluation.verdict.label().to_string(),
        evaluation,
        unit_top_drivers: top,
        fit_label: fit.label().to_string(),
        fit,
        targets: targets(plan.level, &plan.drivers),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::tables::tests::{month, sample};

    fn plan(drivers: &[&str], units: &[&str]) -> Plan {
        Plan {
            id: 7,
            name: "Scribes".into(),
            level: InterventionLevel::Structural,
            drivers: drivers.iter().map(|d| d.to_string()).collect(),
            units: units.iter().map(|u| u.to_string()).collect(),
            starts: month("2026-04"),
            cost: 1000,
        }
    }

    #[test]
    fn an_intervention_targeting_the_worst_driver_fits() {
        let view = evaluate(&sample(), &plan(&["workload"], &["1"]));
        assert_eq!(view.units, vec!["Emergency".to_string()]);
        assert_eq!(view.unit_top_drivers, vec!["workload".to_string()]);
        assert_eq!(view.fit, Fit::Fits);
        assert_eq!(view.level, "structural");
        assert!(
            view.targets
                .starts_with("structural change (structural): workload ("),
            "{}",
            view.targets
        );
    }

    #[test]
    fn no_driver_named_is_said_so() {
        let view = evaluate(&sample(), &plan(&[], &[]));
        assert!(view.units.is_empty(), "the whole organization");
        assert_eq!(view.fit, Fit::DoesNotFit);
        assert!(
            view.targets.ends_with(": no driver named"),
            "{}",
            view.targets
        );
    }
}
