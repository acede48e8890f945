//! The check-in: short by default (single-item burnout, PHQ-2, GAD-2 and the Work
//! Environment Pulse), expanding to PHQ-9 or GAD-7 when a screen is positive.

use super::scoring::Scored;

pub const DEFAULT: [&str; 4] = ["burnout-single-item", "phq-2", "gad-2", "work-pulse"];

/// The instruments still to ask, given what has been answered so far.
pub fn follow_ups(answered: &[Scored]) -> Vec<&'static str> {
    let has = |id: &str| answered.iter().any(|r| r.instrument == id);
    let positive = |score: &str| {
        answered
            .iter()
            .any(|r| r.scores.get(score).is_some_and(|v| *v >= 3.0))
    };
    let mut next = Vec::new();
    if positive("phq2") && !has("phq-9") {
        next.push("phq-9");
    }
    if positive("gad2") && !has("gad-7") {
        next.push("gad-7");
    }
    next
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn screen(instrument: &str, score: &str, value: f64) -> Scored {
        Scored {
            instrument: instrument.into(),
            scores: BTreeMap::from([(score.to_string(), value)]),
            bands: BTreeMap::new(),
            self_harm: false,
        }
    }

    #[test]
    fn positive_screens_expand_to_the_full_questionnaire() {
        assert!(
            follow_ups(&[screen("phq-2", "phq2", 2.0), screen("gad-2", "gad2", 2.0)]).is_empty()
        );
        assert_eq!(follow_ups(&[screen("phq-2", "phq2", 3.0)]), vec!["phq-9"]);
        assert_eq!(
            follow_ups(&[screen("phq-2", "phq2", 6.0), screen("gad-2", "gad2", 3.0)]),
            vec!["phq-9", "gad-7"]
        );
        assert_eq!(
            follow_ups(&[screen("phq-2", "phq2", 3.0), screen("phq-9", "phq9", 8.0)]),
            Vec::<&str>::new(),
            "already answered"
        );
    }
}
