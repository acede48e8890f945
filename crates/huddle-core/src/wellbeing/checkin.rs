//! The check-in: short by default (single-item burnout, PHQ-2, GAD-2 and the Work
//! Environment Pulse), expanding to PHQ-9 or GAD-7 when a screen is positive.

use super::instruments::InstrumentId;
use super::scoring::Scored;
use super::screening::{reaches, SHORT_SCREEN_POSITIVE};

pub const DEFAULT: [InstrumentId; 4] = [
    InstrumentId::BurnoutSingleItem,
    InstrumentId::Phq2,
    InstrumentId::Gad2,
    InstrumentId::WorkPulse,
];

fn answered(results: &[Scored], id: InstrumentId) -> bool {
    results.iter().any(|r| r.instrument_id() == Some(id))
}

/// The instruments still to ask, given what has been answered so far.
pub fn follow_ups(answered_so_far: &[Scored]) -> Vec<InstrumentId> {
    let positive = |score: &str| {
        answered_so_far
            .iter()
            .any(|r| reaches(r, score, SHORT_SCREEN_POSITIVE) == Some(true))
    };
    let mut next = Vec::new();
    if positive("phq2") && !answered(answered_so_far, InstrumentId::Phq9) {
        next.push(InstrumentId::Phq9);
    }
    if positive("gad2") && !answered(answered_so_far, InstrumentId::Gad7) {
        next.push(InstrumentId::Gad7);
    }
    next
}

/// Everything left in this check-in: the default instruments not yet answered, then the
/// follow-ups the answers call for.
pub fn still_to_ask(results: &[Scored]) -> Vec<InstrumentId> {
    let mut next: Vec<InstrumentId> = DEFAULT
        .into_iter()
        .filter(|id| !answered(results, *id))
        .collect();
    next.extend(follow_ups(results));
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wellbeing::screening::tests::result as screen;
    use InstrumentId::{Gad7, Phq9};

    #[test]
    fn positive_screens_expand_to_the_full_questionnaire() {
        assert!(
            follow_ups(&[screen("phq-2", "phq2", 2.0), screen("gad-2", "gad2", 2.0)]).is_empty()
        );
        assert_eq!(follow_ups(&[screen("phq-2", "phq2", 3.0)]), vec![Phq9]);
        assert_eq!(
            follow_ups(&[screen("phq-2", "phq2", 6.0), screen("gad-2", "gad2", 3.0)]),
            vec![Phq9, Gad7]
        );
        assert_eq!(
            follow_ups(&[screen("phq-2", "phq2", 3.0), screen("phq-9", "phq9", 8.0)]),
            Vec::<InstrumentId>::new(),
            "already answered"
        );
    }

    #[test]
    fn what_is_left_is_the_unanswered_defaults_then_follow_ups() {
        assert_eq!(still_to_ask(&[]), DEFAULT.to_vec());
        let answered = [
            screen("burnout-single-item", "burnout", 1.0),
            screen("phq-2", "phq2", 4.0),
            screen("gad-2", "gad2", 0.0),
        ];
        assert_eq!(still_to_ask(&answered), vec![InstrumentId::WorkPulse, Phq9]);
    }
}
