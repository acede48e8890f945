//! The cost of burnout-related physician turnover, and what a drop in burnout saves.
//!
//! Shanafelt, Goh & Sinsky, "The Business Case for Investing in Physician Well-being",
//! JAMA Intern Med 2017;177(12):1826–1832: attributable turnover = burnout rate ×
//! (relative risk − 1) × baseline turnover among physicians without burnout; replacing a
//! physician costs $500k–$1M. National defaults: burnout 54%, turnover 7%/yr, relative
//! risk 2. Han et al., "Estimating the Attributable Cost of Physician Burnout in the United
//! States", Ann Intern Med 2019;170(11):784–790: about $7,600 per employed physician per
//! year (turnover plus reduced clinical hours).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    pub physicians: f64,
    /// Share of physicians with burnout (0–1).
    pub burnout_rate: f64,
    /// Annual turnover of all physicians (0–1).
    pub turnover: f64,
    /// Turnover of burned-out physicians relative to those without burnout.
    pub relative_risk: f64,
    pub replacement_cost_low: f64,
    pub replacement_cost_high: f64,
    /// Han et al. 2019, in 2019 US dollars.
    pub cost_per_physician: f64,
    /// The burnout prevalence behind Han's figure is the national one (≈ the default
    /// burnout rate), so the organization's cost is scaled by its own rate over this.
    pub national_burnout_rate: f64,
    /// Absolute drop in burnout rate to evaluate (0.05 = five percentage points).
    pub burnout_drop: f64,
    /// Yearly cost of the program expected to bring the drop (0 = none given).
    pub program_cost: f64,
}

impl Default for Inputs {
    fn default() -> Self {
        Inputs {
            physicians: 100.0,
            burnout_rate: 0.54,
            turnover: 0.07,
            relative_risk: 2.0,
            replacement_cost_low: 500_000.0,
            replacement_cost_high: 1_000_000.0,
            cost_per_physician: 7_600.0,
            national_burnout_rate: 0.54,
            burnout_drop: 0.05,
            program_cost: 0.0,
        }
    }
}

impl Inputs {
    /// The calculator's defaults for one organization: its physician headcount and its
    /// latest published burnout rate, where known (else the national figures).
    pub fn for_organization(physicians: usize, burnout_rate: Option<f64>) -> Inputs {
        let mut inputs = Inputs::default();
        if physicians > 0 {
            inputs.physicians = physicians as f64;
        }
        if let Some(rate) = burnout_rate {
            inputs.burnout_rate = rate;
            // The drop to evaluate cannot exceed the rate it drops from.
            inputs.burnout_drop = inputs.burnout_drop.min(rate);
        }
        inputs
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Turnover among physicians without burnout.
    pub baseline_turnover: f64,
    /// Share of all physicians leaving each year because of burnout.
    pub attributable_turnover: f64,
    pub departures_per_year: f64,
    pub annual_cost_low: f64,
    pub annual_cost_high: f64,
    /// Han et al. 2019 estimate for this organization.
    pub han_annual_cost: f64,
    pub departures_avoided: f64,
    pub savings_low: f64,
    pub savings_high: f64,
    pub han_savings: f64,
    /// (savings − program cost) / program cost at the low replacement cost, when a
    /// program cost is given.
    pub roi_low: Option<f64>,
    pub roi_high: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InvalidInput {
    pub field: &'static str,
    pub message: &'static str,
}

fn check(ok: bool, field: &'static str, message: &'static str) -> Result<(), InvalidInput> {
    if ok {
        Ok(())
    } else {
        Err(InvalidInput { field, message })
    }
}

pub fn estimate(i: &Inputs) -> Result<Estimate, InvalidInput> {
    let finite = |x: f64| x.is_finite();
    check(
        finite(i.physicians) && (0.0..=1_000_000.0).contains(&i.physicians),
        "physicians",
        "0 to 1,000,000",
    )?;
    for (v, f) in [
        (i.burnout_rate, "burnout_rate"),
        (i.turnover, "turnover"),
        (i.national_burnout_rate, "national_burnout_rate"),
    ] {
        check(
            finite(v) && (0.0..=1.0).contains(&v),
            f,
            "a share from 0 to 1",
        )?;
    }
    check(
        finite(i.relative_risk) && (1.0..=10.0).contains(&i.relative_risk),
        "relative_risk",
        "1 to 10",
    )?;
    check(
        finite(i.burnout_drop) && (0.0..=i.burnout_rate).contains(&i.burnout_drop),
        "burnout_drop",
        "from 0 to the burnout rate",
    )?;
    for (v, f) in [
        (i.replacement_cost_low, "replacement_cost_low"),
        (i.replacement_cost_high, "replacement_cost_high"),
        (i.cost_per_physician, "cost_per_physician"),
        (i.program_cost, "program_cost"),
    ] {
        check(
            finite(v) && (0.0..=1e12).contains(&v),
            f,
            "0 or more dollars",
        )?;
    }
    check(
        i.replacement_cost_low <= i.replacement_cost_high,
        "replacement_cost_low",
        "no more than the high replacement cost",
    )?;
    let attributable = |bo: f64, t_nb: f64| bo * (i.relative_risk - 1.0) * t_nb;
    // T = BO·T_b + (1 − BO)·T_nb with T_b = RR·T_nb.
    let baseline = i.turnover / (1.0 + i.burnout_rate * (i.relative_risk - 1.0));
    let now = attributable(i.burnout_rate, baseline);
    let after = attributable(i.burnout_rate - i.burnout_drop, baseline);
    let departures = i.physicians * now;
    let avoided = i.physicians * (now - after);
    let han_scale = if i.national_burnout_rate > 0.0 {
        i.burnout_rate / i.national_burnout_rate
    } else {
        0.0
    };
    let han = i.physicians * i.cost_per_physician * han_scale;
    let han_savings = if i.burnout_rate > 0.0 {
        han * i.burnout_drop / i.burnout_rate
    } else {
        0.0
    };
    let roi =
        |savings: f64| (i.program_cost > 0.0).then(|| (savings - i.program_cost) / i.program_cost);
    Ok(Estimate {
        baseline_turnover: baseline,
        attributable_turnover: now,
        departures_per_year: departures,
        annual_cost_low: departures * i.replacement_cost_low,
        annual_cost_high: departures * i.replacement_cost_high,
        han_annual_cost: han,
        departures_avoided: avoided,
        savings_low: avoided * i.replacement_cost_low,
        savings_high: avoided * i.replacement_cost_high,
        han_savings,
        roi_low: roi(avoided * i.replacement_cost_low),
        roi_high: roi(avoided * i.replacement_cost_high),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organization_s_defaults_use_its_headcount_and_rate() {
        assert_eq!(Inputs::for_organization(0, None), Inputs::default());
        let i = Inputs::for_organization(40, Some(0.03));
        assert_eq!(
            (i.physicians, i.burnout_rate, i.burnout_drop),
            (40.0, 0.03, 0.03)
        );
        let i = Inputs::for_organization(40, Some(0.4));
        assert_eq!(i.burnout_drop, Inputs::default().burnout_drop);
    }

    #[test]
    fn national_defaults_give_about_two_and_a_half_percent() {
        let e = estimate(&Inputs::default()).unwrap();
        // 0.07 / 1.54 = 4.55% without burnout; 0.54 × 1 × 4.55% = 2.45%.
        assert!((e.baseline_turnover - 0.04545).abs() < 1e-4);
        assert!((e.attributable_turnover - 0.02455).abs() < 1e-4);
        assert!((e.departures_per_year - 2.455).abs() < 1e-2);
        assert!((e.annual_cost_low - 1_227_272.7).abs() < 1.0);
        assert!((e.han_annual_cost - 760_000.0).abs() < 1e-6);
    }

    #[test]
    fn the_business_case_worked_example() {
        // Shanafelt 2017: ~450 physicians, a $1M program cutting burnout-attributable
        // turnover by a fifth (0.5 of 2.5 points) saves about $1.1M a year at $500k.
        let base = Inputs {
            physicians: 450.0,
            program_cost: 1_000_000.0,
            ..Inputs::default()
        };
        let drop = base.burnout_rate * 0.2;
        let e = estimate(&Inputs {
            burnout_drop: drop,
            ..base
        })
        .unwrap();
        assert!(
            (e.savings_low - 1_104_545.0).abs() < 10.0,
            "{}",
            e.savings_low
        );
        assert!(e.roi_low.unwrap() > 0.0 && e.roi_low.unwrap() < 0.2);
        assert!((e.han_savings - 450.0 * 7_600.0 * 0.2).abs() < 1e-6);
    }

    #[test]
    fn no_burnout_means_no_attributable_turnover_and_bad_inputs_are_named() {
        let e = estimate(&Inputs {
            burnout_rate: 0.0,
            burnout_drop: 0.0,
            ..Inputs::default()
        })
        .unwrap();
        assert_eq!(e.attributable_turnover, 0.0);
        assert_eq!(e.baseline_turnover, 0.07);
        assert_eq!(e.roi_low, None);
        let bad = |i: Inputs| estimate(&i).unwrap_err().field;
        assert_eq!(
            bad(Inputs {
                burnout_rate: 1.5,
                ..Inputs::default()
            }),
            "burnout_rate"
        );
        assert_eq!(
            bad(Inputs {
                relative_risk: 0.5,
                ..Inputs::default()
            }),
            "relative_risk"
        );
        assert_eq!(
            bad(Inputs {
                burnout_drop: 0.9,
                ..Inputs::default()
            }),
            "burnout_drop"
        );
        assert_eq!(
            bad(Inputs {
                physicians: f64::NAN,
                ..Inputs::default()
            }),
            "physicians"
        );
    }
}
