//! Screening outcomes: when a result counts as a positive screen. The thresholds live
//! here, next to the instruments, and nowhere else: the check-in's follow-ups, triage,
//! the score bands and leaders' de-identified aggregates all read them, so a cutoff can
//! never mean one thing to the clinician and another on the leaders' dashboard.

use super::instruments::InstrumentId;
use super::scoring::Scored;

/// PHQ-2 and GAD-2: a total of 3 or more is positive and calls for the full questionnaire.
pub const SHORT_SCREEN_POSITIVE: f64 = 3.0;
/// PHQ-9 and GAD-7: 10 or more is moderate or worse, a positive screen that calls for
/// confidential professional care.
pub const MODERATE_OR_WORSE: f64 = 10.0;
/// The single burnout item: 3 ("I am beginning to burn out…") or more.
pub const SINGLE_ITEM_BURNOUT: f64 = 3.0;
/// Copenhagen Burnout Inventory: a scale mean of 50 or more is high.
pub const CBI_HIGH: f64 = 50.0;
/// The band the single item and the MBI give when burnout symptoms are present.
pub const BURNOUT_SYMPTOMS: &str = "burnout symptoms";

/// What one scored response says about each condition leaders see in aggregate
/// (None: the instrument does not screen for it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScreenOutcomes {
    pub burnout: Option<bool>,
    pub depression: Option<bool>,
    pub anxiety: Option<bool>,
}

/// The named score of a result at or above a threshold (None: no such score).
pub fn reaches(result: &Scored, score: &str, threshold: f64) -> Option<bool> {
    result.scores.get(score).map(|v| *v >= threshold)
}

/// A response's screen outcomes. WHO-5, CBI and the pulse screen none of the three
/// conditions leaders see.
pub fn outcomes(result: &Scored) -> ScreenOutcomes {
    let mut out = ScreenOutcomes::default();
    match result.instrument_id() {
        Some(InstrumentId::BurnoutSingleItem) => {
            out.burnout = reaches(result, "burnout", SINGLE_ITEM_BURNOUT)
        }
        Some(InstrumentId::Mbi) => {
            out.burnout = result
                .bands
                .get("mbi_burnout")
                .map(|b| b == BURNOUT_SYMPTOMS)
        }
        Some(InstrumentId::Phq2) => out.depression = reaches(result, "phq2", SHORT_SCREEN_POSITIVE),
        Some(InstrumentId::Phq9) => out.depression = reaches(result, "phq9", MODERATE_OR_WORSE),
        Some(InstrumentId::Gad2) => out.anxiety = reaches(result, "gad2", SHORT_SCREEN_POSITIVE),
        Some(InstrumentId::Gad7) => out.anxiety = reaches(result, "gad7", MODERATE_OR_WORSE),
        Some(InstrumentId::WorkPulse | InstrumentId::Who5 | InstrumentId::Cbi) | None => {}
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// A result with one score, for the rules' tests.
    pub(crate) fn result(instrument: &str, score: &str, value: f64) -> Scored {
        Scored {
            instrument: instrument.into(),
            scores: BTreeMap::from([(score.to_string(), value)]),
            bands: BTreeMap::new(),
            self_harm: false,
        }
    }

    #[test]
    fn each_instrument_screens_its_own_condition_at_its_cutoff() {
        let o = |i, s, v| outcomes(&result(i, s, v));
        assert_eq!(o("phq-2", "phq2", 2.0).depression, Some(false));
        assert_eq!(o("phq-2", "phq2", 3.0).depression, Some(true));
        assert_eq!(o("phq-9", "phq9", 9.0).depression, Some(false));
        assert_eq!(o("phq-9", "phq9", 10.0).depression, Some(true));
        assert_eq!(o("gad-2", "gad2", 3.0).anxiety, Some(true));
        assert_eq!(o("gad-7", "gad7", 9.0).anxiety, Some(false));
        assert_eq!(o("gad-7", "gad7", 10.0).anxiety, Some(true));
        assert_eq!(
            o("burnout-single-item", "burnout", 3.0),
            ScreenOutcomes {
                burnout: Some(true),
                ..ScreenOutcomes::default()
            }
        );
        assert_eq!(o("who-5", "who5", 3.0), ScreenOutcomes::default());
        assert_eq!(
            o("not-an-instrument", "phq9", 27.0),
            ScreenOutcomes::default()
        );
        assert_eq!(
            o("phq-9", "gad7", 27.0).depression,
            None,
            "the instrument's own score only"
        );
    }

    #[test]
    fn thresholds_agree_with_the_bands_the_clinician_sees() {
        use crate::wellbeing::scoring::{
            burnout_band, cbi_band, gad7_band, phq9_band, screen_band,
        };
        let at = |t: f64| t as i64;
        assert_eq!(phq9_band(at(MODERATE_OR_WORSE) - 1), "mild");
        assert_eq!(phq9_band(at(MODERATE_OR_WORSE)), "moderate");
        assert_eq!(gad7_band(at(MODERATE_OR_WORSE) - 1), "mild");
        assert_eq!(gad7_band(at(MODERATE_OR_WORSE)), "moderate");
        assert_eq!(screen_band(at(SHORT_SCREEN_POSITIVE)), "positive");
        assert_eq!(burnout_band(at(SINGLE_ITEM_BURNOUT)), BURNOUT_SYMPTOMS);
        assert_eq!(
            burnout_band(at(SINGLE_ITEM_BURNOUT) - 1),
            "no burnout symptoms"
        );
        assert_eq!(cbi_band(CBI_HIGH), "high");
    }

    #[test]
    fn the_mbi_screens_burnout_by_its_band() {
        let scored = crate::wellbeing::score_mbi(27, 0, 48).unwrap();
        assert_eq!(outcomes(&scored).burnout, Some(true));
        let scored = crate::wellbeing::score_mbi(26, 9, 48).unwrap();
        assert_eq!(outcomes(&scored).burnout, Some(false));
    }
}
