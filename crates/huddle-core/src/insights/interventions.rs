//! Interventions and their evaluation: burnout before and after at 3, 6 and 12 months,
//! with 95% confidence intervals, a durability verdict, and the three questions — which
//! drivers it targets (individual coping or structural change), whether the effect lasts,
//! and whether it fits the unit's top drivers.
//!
//! Evaluation reads only values the privacy method already published (monthly cells of
//! the unit), pooled over three-month windows: it releases nothing new about anyone.

use serde::Serialize;

use super::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionLevel {
    Individual,
    Structural,
}

impl InterventionLevel {
    pub fn parse(s: &str) -> Option<InterventionLevel> {
        match s.trim() {
            "individual" => Some(InterventionLevel::Individual),
            "structural" => Some(InterventionLevel::Structural),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InterventionLevel::Individual => "individual",
            InterventionLevel::Structural => "structural",
        }
    }
}

/// A published monthly value of the unit: (period, released n, value).
pub type Published = (Period, u64, f64);

/// Pooled value of a three-month window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Window {
    pub from: Period,
    pub to: Period,
    /// Sum of the released group sizes of the published months (person-months).
    pub n: u64,
    pub value: f64,
}

fn window(series: &[Published], from: Period, to: Period) -> Option<Window> {
    let months: Vec<&Published> = series
        .iter()
        .filter(|(p, _, _)| *p >= from && *p <= to)
        .collect();
    let n: u64 = months.iter().map(|m| m.1).sum();
    if n == 0 {
        return None;
    }
    let value = months.iter().map(|m| m.1 as f64 * m.2).sum::<f64>() / n as f64;
    Some(Window { from, to, n, value })
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Comparison {
    pub months: i64,
    pub after: Window,
    /// After minus before (negative: burnout fell).
    pub difference: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Comparison {
    pub fn improved(&self) -> bool {
        self.ci_high < 0.0
    }

    pub fn worsened(&self) -> bool {
        self.ci_low > 0.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No follow-up window has data yet.
    TooEarly,
    /// Better at 3 months; 6 and 12 still to come.
    EarlyEffect,
    /// Better at 6 months; 12 still to come.
    Holding,
    /// Better at 12 months.
    Durable,
    /// Better at 3 months but not at 6; 12 still to come.
    Fading,
    /// Better at 3 or 6 months but not at 12.
    Faded,
    NoEffect,
    Worse,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::TooEarly => "too early to tell",
            Verdict::EarlyEffect => "early effect (6- and 12-month checks pending)",
            Verdict::Holding => "holding at 6 months (12-month check pending)",
            Verdict::Durable => "durable: still better at 12 months",
            Verdict::Fading => "fading: better at 3 months, not at 6",
            Verdict::Faded => "faded: the early effect did not last to 12 months",
            Verdict::NoEffect => "no measurable effect",
            Verdict::Worse => "worse than before",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub before: Option<Window>,
    pub comparisons: Vec<Comparison>,
    pub verdict: Verdict,
}

pub const HORIZONS: [i64; 3] = [3, 6, 12];

/// Before/after for a proportion (burnout): the baseline is the three months before the
/// start; the window at `h` months is the three months ending `h` months after the start.
/// Only windows wholly closed by `latest` count. The interval is Wald's on the difference
/// of two proportions, treating person-months as independent (see docs/insights.md).
pub fn evaluate(series: &[Published], start: Period, latest: Period) -> Evaluation {
    let before = window(series, start.plus(-3), start.plus(-1));
    let mut comparisons = Vec::new();
    if let Some(b) = before {
        for h in HORIZONS {
            let (from, to) = (start.plus(h - 2), start.plus(h));
            if to > latest {
                continue;
            }
            if let Some(a) = window(series, from, to) {
                let var = |w: &Window| w.value * (1.0 - w.value) / w.n as f64;
                let se = (var(&b) + var(&a)).sqrt();
                let d = a.value - b.value;
                comparisons.push(Comparison {
                    months: h,
                    after: a,
                    difference: d,
                    ci_low: d - 1.96 * se,
                    ci_high: d + 1.96 * se,
                });
            }
        }
    }
    let at = |h: i64| comparisons.iter().find(|c| c.months == h);
    let better = |h: i64| at(h).is_some_and(Comparison::improved);
    let verdict = if comparisons.is_empty() {
        Verdict::TooEarly
    } else if comparisons.last().is_some_and(Comparison::worsened) {
        Verdict::Worse
    } else if at(12).is_some() {
        if better(12) {
            Verdict::Durable
        } else if better(3) || better(6) {
            Verdict::Faded
        } else {
            Verdict::NoEffect
        }
    } else if at(6).is_some() {
        if better(6) {
            Verdict::Holding
        } else if better(3) {
            Verdict::Fading
        } else {
            Verdict::NoEffect
        }
    } else if better(3) {
        Verdict::EarlyEffect
    } else {
        Verdict::NoEffect
    };
    Evaluation {
        before,
        comparisons,
        verdict,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// It targets the unit's worst driver.
    Fits,
    /// It targets one of the unit's three worst drivers, not the worst.
    Partly,
    DoesNotFit,
    /// The unit's drivers are not published (too few respondents).
    Unknown,
}

impl Fit {
    pub fn label(self) -> &'static str {
        match self {
            Fit::Fits => "yes: it targets the unit's worst driver",
            Fit::Partly => "partly: it targets one of the unit's three worst drivers",
            Fit::DoesNotFit => "no: it targets none of the unit's three worst drivers",
            Fit::Unknown => "unknown: the unit's drivers are suppressed",
        }
    }
}

/// `top` is the unit's drivers, worst first.
pub fn fit(targeted: &[String], top: &[String]) -> Fit {
    match top.first() {
        None => Fit::Unknown,
        Some(worst) if targeted.contains(worst) => Fit::Fits,
        Some(_) if top.iter().take(3).any(|d| targeted.contains(d)) => Fit::Partly,
        Some(_) => Fit::DoesNotFit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(start: &str, values: &[f64], n: u64) -> Vec<Published> {
        let s = Period::parse(start).unwrap();
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (s.plus(i as i64), n, *v))
            .collect()
    }

    #[test]
    fn a_lasting_drop_is_durable() {
        // Three months at 60%, then 35% for a year.
        let mut v = vec![0.6; 3];
        v.extend([0.35; 13]);
        let s = series("2025-01", &v, 100);
        let start = Period::parse("2025-04").unwrap();
        let e = evaluate(&s, start, Period::parse("2026-04").unwrap());
        assert_eq!(e.comparisons.len(), 3);
        assert!(e.comparisons.iter().all(Comparison::improved));
        assert_eq!(e.verdict, Verdict::Durable);
        let c = &e.comparisons[0];
        assert!((c.difference + 0.25).abs() < 1e-9);
        assert!(c.ci_low < c.difference && c.difference < c.ci_high);
    }

    #[test]
    fn an_early_drop_that_returns_has_faded() {
        let mut v = vec![0.6; 3];
        v.extend([0.35; 4]);
        v.extend([0.6; 9]);
        let s = series("2025-01", &v, 100);
        let e = evaluate(
            &s,
            Period::parse("2025-04").unwrap(),
            Period::parse("2026-04").unwrap(),
        );
        assert_eq!(e.verdict, Verdict::Faded);
    }

    #[test]
    fn small_noisy_units_and_missing_follow_up_say_so() {
        let mut v = vec![0.6; 3];
        v.extend([0.5; 3]);
        let s = series("2025-01", &v, 5);
        let start = Period::parse("2025-04").unwrap();
        let e = evaluate(&s, start, Period::parse("2025-07").unwrap());
        assert_eq!(e.verdict, Verdict::NoEffect);
        let e = evaluate(&s, start, Period::parse("2025-06").unwrap());
        assert_eq!(e.verdict, Verdict::TooEarly);
        let e = evaluate(&[], start, Period::parse("2026-06").unwrap());
        assert_eq!(e.verdict, Verdict::TooEarly);
        assert!(e.before.is_none());
    }

    #[test]
    fn fit_against_the_units_worst_drivers() {
        let top: Vec<String> = ["documentation", "workload", "after-hours"]
            .map(String::from)
            .to_vec();
        assert_eq!(fit(&["documentation".into()], &top), Fit::Fits);
        assert_eq!(fit(&["after-hours".into()], &top), Fit::Partly);
        assert_eq!(fit(&["isolation".into()], &top), Fit::DoesNotFit);
        assert_eq!(fit(&["isolation".into()], &[]), Fit::Unknown);
    }
}
