//! Scoring on the server against the published cutoffs: PHQ-9 5/10/15/20, GAD-7 5/10/15,
//! PHQ-2 and GAD-2 ≥3 positive, the single burnout item ≥3, WHO-5 raw <13, CBI scale ≥50,
//! MBI EE ≥27 / DP ≥10 / PA ≤33. Band names are written to be read by the clinician.

use std::collections::{BTreeMap, HashSet};

use super::instruments::{Instrument, InstrumentId, Item};
use super::screening::{BURNOUT_SYMPTOMS, CBI_HIGH, SHORT_SCREEN_POSITIVE, SINGLE_ITEM_BURNOUT};

/// One answer as a QuestionnaireResponse gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// `valueCoding`: the option's code (and system, when sent).
    Coding {
        system: Option<String>,
        code: String,
    },
    /// `valueInteger`: the option's score.
    Integer(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub instrument: String,
    pub scores: BTreeMap<String, f64>,
    pub bands: BTreeMap<String, String>,
    /// PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered above
    /// "Not at all": crisis help is shown first.
    pub self_harm: bool,
}

impl Scored {
    /// The typed instrument (None for an id this build does not know).
    pub fn instrument_id(&self) -> Option<InstrumentId> {
        InstrumentId::parse(&self.instrument)
    }
}

/// Why a response cannot be scored, naming the item (`linkId`) at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{link_id}: {message}")]
pub struct ScoringError {
    pub link_id: String,
    pub message: String,
}

fn err(link_id: &str, message: impl Into<String>) -> ScoringError {
    ScoringError {
        link_id: link_id.to_string(),
        message: message.into(),
    }
}

pub fn phq9_band(total: i64) -> &'static str {
    match total {
        ..=4 => "minimal",
        5..=9 => "mild",
        10..=14 => "moderate",
        15..=19 => "moderately severe",
        _ => "severe",
    }
}

pub fn gad7_band(total: i64) -> &'static str {
    match total {
        ..=4 => "minimal",
        5..=9 => "mild",
        10..=14 => "moderate",
        _ => "severe",
    }
}

/// PHQ-2 and GAD-2: 3 or more suggests the full questionnaire.
pub fn screen_band(total: i64) -> &'static str {
    if total as f64 >= SHORT_SCREEN_POSITIVE {
        "positive"
    } else {
        "negative"
    }
}

pub fn burnout_band(score: i64) -> &'static str {
    if score as f64 >= SINGLE_ITEM_BURNOUT {
        BURNOUT_SYMPTOMS
    } else {
        "no burnout symptoms"
    }
}

pub fn who5_band(raw: i64) -> &'static str {
    if raw < 13 {
        "low well-being"
    } else {
        "good well-being"
    }
}

pub fn cbi_band(mean: f64) -> &'static str {
    if mean >= CBI_HIGH {
        "high"
    } else {
        "low"
    }
}

/// Pulse items are worded so that agreeing means the driver weighs on you.
pub fn pulse_band(score: i64) -> &'static str {
    match score {
        ..=2 => "going well",
        3 => "mixed",
        _ => "a concern",
    }
}

/// Matches each answer to its option and checks every required item is answered once.
fn resolve<'a>(
    inst: &'a Instrument,
    answers: &[(String, Answer)],
) -> Result<BTreeMap<&'a str, f64>, ScoringError> {
    let mut seen = HashSet::new();
    let mut values = BTreeMap::new();
    for (link_id, answer) in answers {
        let item: &Item = inst
            .item(link_id)
            .ok_or_else(|| err(link_id, format!("{} has no item with this linkId", inst.id)))?;
        if !seen.insert(link_id.as_str()) {
            return Err(err(link_id, "answered more than once"));
        }
        let option = match answer {
            Answer::Coding { system, code } => item
                .options
                .iter()
                .find(|o| o.code == *code && system.as_deref().is_none_or(|s| s == o.system)),
            Answer::Integer(n) => item.options.iter().find(|o| o.score == *n as f64),
        };
        let option =
            option.ok_or_else(|| err(link_id, "the answer is not one of the item's options"))?;
        values.insert(item.link_id.as_str(), option.score);
    }
    if let Some(missing) = inst
        .items
        .iter()
        .find(|i| i.required && !values.contains_key(i.link_id.as_str()))
    {
        return Err(err(&missing.link_id, "this item needs an answer"));
    }
    Ok(values)
}

/// Scores a complete response to one instrument.
pub fn score(inst: &Instrument, answers: &[(String, Answer)]) -> Result<Scored, ScoringError> {
    let values = resolve(inst, answers)?;
    let scored_items = || inst.items.iter().filter(|i| i.required);
    let total = scored_items()
        .filter_map(|i| values.get(i.link_id.as_str()))
        .sum::<f64>()
        .round() as i64;
    let mut scores = BTreeMap::new();
    let mut bands = BTreeMap::new();
    let mut put = |name: &str, value: f64, band: &str| {
        scores.insert(name.to_string(), value);
        bands.insert(name.to_string(), band.to_string());
    };
    let mut self_harm = false;
    match inst.kind() {
        Some(InstrumentId::Phq9) => {
            put("phq9", total as f64, phq9_band(total));
            self_harm = values.get("phq9-9").is_some_and(|v| *v >= 1.0);
        }
        Some(InstrumentId::Phq2) => put("phq2", total as f64, screen_band(total)),
        Some(InstrumentId::Gad7) => put("gad7", total as f64, gad7_band(total)),
        Some(InstrumentId::Gad2) => put("gad2", total as f64, screen_band(total)),
        Some(InstrumentId::BurnoutSingleItem) => put("burnout", total as f64, burnout_band(total)),
        Some(InstrumentId::Who5) => {
            put("who5", total as f64, who5_band(total));
            put("who5_percent", (total * 4) as f64, who5_band(total));
        }
        Some(InstrumentId::Cbi) => {
            for scale in ["personal", "work", "patient"] {
                let items: Vec<f64> = scored_items()
                    .filter(|i| i.scale.as_deref() == Some(scale))
                    .filter_map(|i| values.get(i.link_id.as_str()).copied())
                    .collect();
                let mean = if items.is_empty() {
                    0.0
                } else {
                    items.iter().sum::<f64>() / items.len() as f64
                };
                let mean = (mean * 10.0).round() / 10.0;
                put(&format!("cbi_{scale}"), mean, cbi_band(mean));
            }
        }
        Some(InstrumentId::WorkPulse) => {
            for item in scored_items() {
                let v = values.get(item.link_id.as_str()).copied().unwrap_or(0.0);
                put(
                    &format!("pulse_{}", item.link_id.replace('-', "_")),
                    v,
                    pulse_band(v as i64),
                );
            }
        }
        // The MBI is entered as subscale totals (`score_mbi`), never as items.
        Some(InstrumentId::Mbi) | None => {
            return Err(err(
                "questionnaire",
                format!("no scoring rule for {}", inst.id),
            ))
        }
    }
    Ok(Scored {
        instrument: inst.id.clone(),
        scores,
        bands,
        self_harm,
    })
}

/// Maslach Burnout Inventory subscale totals, entered by organizations that license it
/// (no MBI items ship with Huddle). Cutoffs from the physician literature.
pub fn score_mbi(ee: i64, dp: i64, pa: i64) -> Result<Scored, ScoringError> {
    let check = |name: &str, v: i64, max: i64| {
        if (0..=max).contains(&v) {
            Ok(())
        } else {
            Err(err(name, format!("a total from 0 to {max}")))
        }
    };
    check("emotional_exhaustion", ee, 54)?;
    check("depersonalization", dp, 30)?;
    check("personal_accomplishment", pa, 48)?;
    let mut scores = BTreeMap::new();
    let mut bands = BTreeMap::new();
    for (name, v, band) in [
        ("mbi_ee", ee, if ee >= 27 { "high" } else { "not high" }),
        ("mbi_dp", dp, if dp >= 10 { "high" } else { "not high" }),
        ("mbi_pa", pa, if pa <= 33 { "low" } else { "not low" }),
    ] {
        scores.insert(name.to_string(), v as f64);
        bands.insert(name.to_string(), band.to_string());
    }
    let burnout = if ee >= 27 || dp >= 10 {
        BURNOUT_SYMPTOMS
    } else {
        "no burnout symptoms"
    };
    bands.insert("mbi_burnout".into(), burnout.into());
    Ok(Scored {
        instrument: InstrumentId::Mbi.as_str().into(),
        scores,
        bands,
        self_harm: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wellbeing::instrument;

    #[test]
    fn phq9_bands_at_every_boundary() {
        let table = [
            (0, "minimal"),
            (4, "minimal"),
            (5, "mild"),
            (9, "mild"),
            (10, "moderate"),
            (14, "moderate"),
            (15, "moderately severe"),
            (19, "moderately severe"),
            (20, "severe"),
            (27, "severe"),
        ];
        for (total, band) in table {
            assert_eq!(phq9_band(total), band, "PHQ-9 {total}");
        }
    }

    #[test]
    fn gad7_bands_at_every_boundary() {
        let table = [
            (0, "minimal"),
            (4, "minimal"),
            (5, "mild"),
            (9, "mild"),
            (10, "moderate"),
            (14, "moderate"),
            (15, "severe"),
            (21, "severe"),
        ];
        for (total, band) in table {
            assert_eq!(gad7_band(total), band, "GAD-7 {total}");
        }
    }

    #[test]
    fn screens_single_item_who5_and_cbi_at_their_cutoffs() {
        assert_eq!(
            (screen_band(2), screen_band(3), screen_band(6)),
            ("negative", "positive", "positive")
        );
        assert_eq!(
            (burnout_band(2), burnout_band(3)),
            ("no burnout symptoms", "burnout symptoms")
        );
        assert_eq!(
            (who5_band(12), who5_band(13)),
            ("low well-being", "good well-being")
        );
        assert_eq!((cbi_band(49.9), cbi_band(50.0)), ("low", "high"));
        assert_eq!(
            (pulse_band(2), pulse_band(3), pulse_band(4)),
            ("going well", "mixed", "a concern")
        );
    }

    fn all_with(inst: &str, value: i64) -> Vec<(String, Answer)> {
        instrument(inst)
            .unwrap()
            .items
            .iter()
            .filter(|i| i.required)
            .map(|i| (i.link_id.clone(), Answer::Integer(value)))
            .collect()
    }

    #[test]
    fn phq9_totals_and_item_nine() {
        let phq9 = instrument("phq-9").unwrap();
        let mut answers = all_with("phq-9", 1);
        let scored = score(phq9, &answers).unwrap();
        assert_eq!(scored.scores["phq9"], 9.0);
        assert_eq!(scored.bands["phq9"], "mild");
        assert!(scored.self_harm, "item 9 answered 'several days'");
        answers.retain(|(l, _)| l != "phq9-9");
        answers.push((
            "phq9-9".into(),
            Answer::Coding {
                system: Some("http://loinc.org".into()),
                code: "LA6568-5".into(),
            },
        ));
        let scored = score(phq9, &answers).unwrap();
        assert_eq!(scored.scores["phq9"], 8.0);
        assert!(!scored.self_harm);
    }

    #[test]
    fn incomplete_or_foreign_answers_name_the_item() {
        let phq9 = instrument("phq-9").unwrap();
        let mut answers = all_with("phq-9", 0);
        answers.retain(|(l, _)| l != "phq9-4");
        assert_eq!(score(phq9, &answers).unwrap_err().link_id, "phq9-4");
        let mut answers = all_with("phq-9", 0);
        answers.push(("phq9-99".into(), Answer::Integer(0)));
        assert_eq!(score(phq9, &answers).unwrap_err().link_id, "phq9-99");
        let mut answers = all_with("phq-9", 0);
        answers[0].1 = Answer::Integer(4);
        assert_eq!(score(phq9, &answers).unwrap_err().link_id, answers[0].0);
        let mut answers = all_with("phq-9", 0);
        answers.push(answers[0].clone());
        assert!(score(phq9, &answers)
            .unwrap_err()
            .message
            .contains("more than once"));
        let mut answers = all_with("phq-9", 0);
        answers[1].1 = Answer::Coding {
            system: Some("http://snomed.info/sct".into()),
            code: "LA6568-5".into(),
        };
        assert!(score(phq9, &answers).is_err(), "right code, wrong system");
    }

    #[test]
    fn other_instruments_score_by_their_rules() {
        let s = score(instrument("gad-7").unwrap(), &all_with("gad-7", 2)).unwrap();
        assert_eq!(
            (s.scores["gad7"], s.bands["gad7"].as_str()),
            (14.0, "moderate")
        );
        let s = score(instrument("phq-2").unwrap(), &all_with("phq-2", 2)).unwrap();
        assert_eq!(s.bands["phq2"], "positive");
        let s = score(instrument("gad-2").unwrap(), &all_with("gad-2", 1)).unwrap();
        assert_eq!(s.bands["gad2"], "negative");
        let s = score(
            instrument("burnout-single-item").unwrap(),
            &all_with("burnout-single-item", 3),
        )
        .unwrap();
        assert_eq!(s.bands["burnout"], "burnout symptoms");
        let s = score(instrument("who-5").unwrap(), &all_with("who-5", 2)).unwrap();
        assert_eq!(
            (
                s.scores["who5"],
                s.scores["who5_percent"],
                s.bands["who5"].as_str()
            ),
            (10.0, 40.0, "low well-being")
        );
        let s = score(
            instrument("work-pulse").unwrap(),
            &all_with("work-pulse", 4),
        )
        .unwrap();
        assert_eq!(s.bands["pulse_after_hours"], "a concern");
        assert_eq!(s.scores.len(), 9);
    }

    #[test]
    fn cbi_scales_are_means_of_their_items() {
        let cbi = instrument("cbi").unwrap();
        // Every item answered with the option worth 50, then one work item at 100.
        let mut answers: Vec<(String, Answer)> = cbi
            .items
            .iter()
            .map(|i| (i.link_id.clone(), Answer::Integer(50)))
            .collect();
        let s = score(cbi, &answers).unwrap();
        assert_eq!(
            (s.scores["cbi_personal"], s.bands["cbi_personal"].as_str()),
            (50.0, "high")
        );
        let work = cbi
            .items
            .iter()
            .find(|i| i.scale.as_deref() == Some("work"))
            .unwrap();
        for a in answers.iter_mut().filter(|(l, _)| *l == work.link_id) {
            a.1 = Answer::Integer(100);
        }
        let s = score(cbi, &answers).unwrap();
        assert_eq!(s.scores["cbi_work"], 57.1);
    }

    #[test]
    fn mbi_subscale_entry_uses_physician_cutoffs() {
        let s = score_mbi(27, 9, 34).unwrap();
        assert_eq!(s.bands["mbi_ee"], "high");
        assert_eq!(s.bands["mbi_dp"], "not high");
        assert_eq!(s.bands["mbi_pa"], "not low");
        assert_eq!(s.bands["mbi_burnout"], "burnout symptoms");
        assert_eq!(score_mbi(26, 10, 33).unwrap().bands["mbi_pa"], "low");
        assert_eq!(
            score_mbi(26, 9, 40).unwrap().bands["mbi_burnout"],
            "no burnout symptoms"
        );
        assert_eq!(
            score_mbi(55, 0, 0).unwrap_err().link_id,
            "emotional_exhaustion"
        );
        assert_eq!(
            score_mbi(0, -1, 0).unwrap_err().link_id,
            "depersonalization"
        );
    }
}
