//! Drivers framed by the National Academy of Medicine's conceptual model, "Factors
//! Affecting Clinician Well-Being and Resilience" (Brigham et al., NAM 2018): external
//! factors (society and culture, rules and regulations), organizational factors (the
//! organization, the learning/practice environment, health care responsibilities) and
//! individual factors (personal factors, skills and abilities). The mapping of each
//! Huddle driver to a factor is ours; see docs/insights.md.

use super::{Metric, DRIVERS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    External,
    Organizational,
    Individual,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::External => "External",
            Level::Organizational => "Organizational",
            Level::Individual => "Individual",
        }
    }
}

/// A driver as the dashboard frames it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framing {
    pub level: Level,
    /// The NAM model factor it sits under.
    pub factor: &'static str,
    /// Measured by routing (objective) rather than by the pulse survey.
    pub objective: bool,
}

pub fn framing(metric: Metric) -> Option<Framing> {
    let f = |level, factor, objective| {
        Some(Framing {
            level,
            factor,
            objective,
        })
    };
    match metric {
        Metric::Driver(i) => match DRIVERS.get(i).copied()? {
            "workload" => f(
                Level::Organizational,
                "Organizational factors: workload",
                false,
            ),
            "documentation" => f(
                Level::External,
                "Rules and regulations: documentation and reporting requirements",
                false,
            ),
            "after-hours" => f(
                Level::Organizational,
                "Health care responsibilities: work schedules and after-hours work",
                false,
            ),
            "interruptions" => f(
                Level::Organizational,
                "Learning/practice environment: interruptions and workflow",
                false,
            ),
            "schedule-control" => f(
                Level::Organizational,
                "Learning/practice environment: autonomy and control",
                false,
            ),
            "teamwork" => f(
                Level::Organizational,
                "Learning/practice environment: team structures",
                false,
            ),
            "values" => f(
                Level::Organizational,
                "Organizational factors: culture and values alignment",
                false,
            ),
            "leadership" => f(
                Level::Organizational,
                "Organizational factors: leadership",
                false,
            ),
            "isolation" => f(
                Level::Individual,
                "Personal factors: support system and connection",
                false,
            ),
            _ => None,
        },
        Metric::NotificationsPerShift
        | Metric::FalsePositiveShare
        | Metric::AfterHoursNotifications
        | Metric::TimeToAcknowledge => f(
            Level::Organizational,
            "Learning/practice environment: interruption burden (measured by routing)",
            true,
        ),
        _ => None,
    }
}

/// Every driver metric: the nine pulse drivers, then routing's objective ones.
pub fn driver_metrics() -> Vec<Metric> {
    Metric::all()
        .into_iter()
        .filter(|m| framing(*m).is_some())
        .collect()
}

/// Pearson correlation of two equally long series (None under 3 points or no variance).
/// Used on published values only, to say how a driver moves with burnout over time.
pub fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    if sxx <= f64::EPSILON || syy <= f64::EPSILON {
        return None;
    }
    Some(((sxy / (sxx * syy).sqrt()) * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_driver_has_a_nam_factor_and_routing_is_objective() {
        assert_eq!(driver_metrics().len(), DRIVERS.len() + 4);
        assert!(framing(Metric::NotificationsPerShift).unwrap().objective);
        assert_eq!(framing(Metric::Driver(8)).unwrap().level, Level::Individual);
        assert!(framing(Metric::Burnout).is_none());
    }

    #[test]
    fn correlation_of_series() {
        assert_eq!(
            correlation(&[(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]),
            Some(1.0)
        );
        assert_eq!(
            correlation(&[(1.0, 6.0), (2.0, 4.0), (3.0, 2.0)]),
            Some(-1.0)
        );
        assert_eq!(correlation(&[(1.0, 1.0), (2.0, 1.0), (3.0, 1.0)]), None);
        assert_eq!(correlation(&[(1.0, 1.0)]), None);
    }
}
