//! Triage: which help a check-in's results call for. Crisis help comes first whenever
//! PHQ-9 item 9 is above "Not at all"; moderate or severe depression or anxiety leads to
//! confidential professional care; burnout to structural and individual support; every
//! result to self-care and peer resources.

use super::scoring::Scored;
use super::screening::{
    reaches, BURNOUT_SYMPTOMS, CBI_HIGH, MODERATE_OR_WORSE, SINGLE_ITEM_BURNOUT,
};

/// The most urgent kind of help the results call for, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Crisis,
    ProfessionalCare,
    BurnoutSupport,
    SelfCare,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Crisis => "crisis",
            Level::ProfessionalCare => "professional-care",
            Level::BurnoutSupport => "burnout-support",
            Level::SelfCare => "self-care",
        }
    }
}

/// Which sections of help to show, in this order; `level` is the first that applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Triage {
    pub level: Level,
    pub crisis: bool,
    pub professional_care: bool,
    pub burnout_support: bool,
}

fn at_least(results: &[Scored], score: &str, threshold: f64) -> bool {
    results
        .iter()
        .any(|r| reaches(r, score, threshold) == Some(true))
}

fn band_is(results: &[Scored], name: &str, band: &str) -> bool {
    results
        .iter()
        .any(|r| r.bands.get(name).is_some_and(|b| b == band))
}

pub fn triage(results: &[Scored]) -> Triage {
    let crisis = results.iter().any(|r| r.self_harm);
    let professional_care = at_least(results, "phq9", MODERATE_OR_WORSE)
        || at_least(results, "gad7", MODERATE_OR_WORSE);
    let burnout_support = at_least(results, "burnout", SINGLE_ITEM_BURNOUT)
        || at_least(results, "cbi_personal", CBI_HIGH)
        || at_least(results, "cbi_work", CBI_HIGH)
        || at_least(results, "cbi_patient", CBI_HIGH)
        || band_is(results, "mbi_burnout", BURNOUT_SYMPTOMS);
    let level = if crisis {
        Level::Crisis
    } else if professional_care {
        Level::ProfessionalCare
    } else if burnout_support {
        Level::BurnoutSupport
    } else {
        Level::SelfCare
    };
    Triage {
        level,
        crisis,
        professional_care,
        burnout_support,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn result(pairs: &[(&str, f64)], self_harm: bool) -> Scored {
        Scored {
            instrument: "test".into(),
            scores: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            bands: BTreeMap::new(),
            self_harm,
        }
    }

    #[test]
    fn triage_table() {
        use Level::*;
        let table: Vec<(Vec<Scored>, Level, bool, bool, bool)> = vec![
            (vec![], SelfCare, false, false, false),
            (
                vec![result(&[("phq9", 4.0)], false)],
                SelfCare,
                false,
                false,
                false,
            ),
            (
                vec![result(&[("phq9", 9.0)], false)],
                SelfCare,
                false,
                false,
                false,
            ),
            (
                vec![result(&[("phq9", 10.0)], false)],
                ProfessionalCare,
                false,
                true,
                false,
            ),
            (
                vec![result(&[("gad7", 9.0)], false)],
                SelfCare,
                false,
                false,
                false,
            ),
            (
                vec![result(&[("gad7", 10.0)], false)],
                ProfessionalCare,
                false,
                true,
                false,
            ),
            (
                vec![result(&[("burnout", 2.0)], false)],
                SelfCare,
                false,
                false,
                false,
            ),
            (
                vec![result(&[("burnout", 3.0)], false)],
                BurnoutSupport,
                false,
                false,
                true,
            ),
            (
                vec![result(&[("cbi_work", 49.9)], false)],
                SelfCare,
                false,
                false,
                false,
            ),
            (
                vec![result(&[("cbi_work", 50.0)], false)],
                BurnoutSupport,
                false,
                false,
                true,
            ),
            // Item 9 wins whatever the total, and the other sections still show below it.
            (
                vec![result(&[("phq9", 1.0)], true)],
                Crisis,
                true,
                false,
                false,
            ),
            (
                vec![
                    result(&[("phq9", 22.0)], true),
                    result(&[("burnout", 5.0)], false),
                ],
                Crisis,
                true,
                true,
                true,
            ),
            (
                vec![
                    result(&[("gad7", 15.0)], false),
                    result(&[("burnout", 4.0)], false),
                ],
                ProfessionalCare,
                false,
                true,
                true,
            ),
        ];
        for (results, level, crisis, care, burnout) in table {
            let t = triage(&results);
            assert_eq!(
                (t.level, t.crisis, t.professional_care, t.burnout_support),
                (level, crisis, care, burnout),
                "{results:?}"
            );
        }
    }

    #[test]
    fn mbi_burnout_counts_as_burnout() {
        let mbi = crate::wellbeing::score_mbi(30, 5, 40).unwrap();
        assert_eq!(triage(&[mbi]).level, Level::BurnoutSupport);
    }
}
