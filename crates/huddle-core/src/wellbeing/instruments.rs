//! The shipped instruments. Each is a FHIR R4 Questionnaire file, the one source of truth
//! for items, answer options and the score each option carries (the `ordinalValue`
//! extension); `docs/instruments.md` cites each source and licence.

use std::sync::OnceLock;

use serde::Deserialize;

const ORDINAL_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
const SCALE: &str = "https://huddle.example/fhir/StructureDefinition/scale";
const STEM: &str = "https://huddle.example/fhir/StructureDefinition/stem";

/// The instruments Huddle scores, by the id their Questionnaire and every stored result
/// carry. Rules compare these rather than strings, so a misspelt id cannot silently never
/// match; the text form lives only at the edges (files, stored results, URLs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstrumentId {
    BurnoutSingleItem,
    Phq2,
    Gad2,
    WorkPulse,
    Phq9,
    Gad7,
    Who5,
    Cbi,
    /// Maslach Burnout Inventory: licensed, so entered as subscale totals, not shipped.
    Mbi,
}

impl InstrumentId {
    pub const ALL: [InstrumentId; 9] = [
        InstrumentId::BurnoutSingleItem,
        InstrumentId::Phq2,
        InstrumentId::Gad2,
        InstrumentId::WorkPulse,
        InstrumentId::Phq9,
        InstrumentId::Gad7,
        InstrumentId::Who5,
        InstrumentId::Cbi,
        InstrumentId::Mbi,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InstrumentId::BurnoutSingleItem => "burnout-single-item",
            InstrumentId::Phq2 => "phq-2",
            InstrumentId::Gad2 => "gad-2",
            InstrumentId::WorkPulse => "work-pulse",
            InstrumentId::Phq9 => "phq-9",
            InstrumentId::Gad7 => "gad-7",
            InstrumentId::Who5 => "who-5",
            InstrumentId::Cbi => "cbi",
            InstrumentId::Mbi => "mbi",
        }
    }

    pub fn parse(s: &str) -> Option<InstrumentId> {
        InstrumentId::ALL.into_iter().find(|i| i.as_str() == s)
    }
}

impl std::fmt::Display for InstrumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The files, in the order a check-in presents them.
const FILES: [(InstrumentId, &str); 8] = [
    (
        InstrumentId::BurnoutSingleItem,
        include_str!("questionnaires/burnout-single-item.json"),
    ),
    (
        InstrumentId::Phq2,
        include_str!("questionnaires/phq-2.json"),
    ),
    (
        InstrumentId::Gad2,
        include_str!("questionnaires/gad-2.json"),
    ),
    (
        InstrumentId::WorkPulse,
        include_str!("questionnaires/work-pulse.json"),
    ),
    (
        InstrumentId::Phq9,
        include_str!("questionnaires/phq-9.json"),
    ),
    (
        InstrumentId::Gad7,
        include_str!("questionnaires/gad-7.json"),
    ),
    (
        InstrumentId::Who5,
        include_str!("questionnaires/who-5.json"),
    ),
    (InstrumentId::Cbi, include_str!("questionnaires/cbi.json")),
];

#[derive(Debug, Clone, PartialEq)]
pub struct AnswerOption {
    pub system: String,
    pub code: String,
    pub display: String,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub link_id: String,
    pub text: String,
    pub required: bool,
    /// The CBI scale an item belongs to (`personal`, `work`, `patient`).
    pub scale: Option<String>,
    pub options: Vec<AnswerOption>,
}

#[derive(Debug, Clone)]
pub struct Instrument {
    pub id: String,
    pub title: String,
    pub description: String,
    /// The instruction above the items ("Over the last 2 weeks, how often…").
    pub stem: String,
    pub items: Vec<Item>,
    /// The Questionnaire as shipped, served at /fhir/Questionnaire/{id}.
    pub questionnaire: serde_json::Value,
}

impl Instrument {
    /// The typed id (every shipped file's id parses; the tests check it).
    pub fn kind(&self) -> Option<InstrumentId> {
        InstrumentId::parse(&self.id)
    }

    pub fn item(&self, link_id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.link_id == link_id)
    }
}

#[derive(Deserialize)]
struct Q {
    id: String,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    extension: Vec<Extension>,
    item: Vec<QItem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QItem {
    link_id: String,
    text: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    extension: Vec<Extension>,
    #[serde(default)]
    answer_option: Vec<QOption>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QOption {
    value_coding: Coding,
    #[serde(default)]
    extension: Vec<Extension>,
}

#[derive(Deserialize)]
struct Coding {
    #[serde(default)]
    system: String,
    code: String,
    #[serde(default)]
    display: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Extension {
    url: String,
    value_decimal: Option<f64>,
    value_code: Option<String>,
    value_string: Option<String>,
}

fn parse(id: &str, text: &str) -> Result<Instrument, String> {
    let questionnaire: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{id}: {e}"))?;
    let q: Q = serde_json::from_value(questionnaire.clone()).map_err(|e| format!("{id}: {e}"))?;
    if q.id != id {
        return Err(format!("{id}: the file's id is {}", q.id));
    }
    let items = q
        .item
        .into_iter()
        .map(|i| {
            let options = i
                .answer_option
                .into_iter()
                .map(|o| {
                    let score = o
                        .extension
                        .iter()
                        .find(|e| e.url == ORDINAL_VALUE)
                        .and_then(|e| e.value_decimal)
                        .ok_or_else(|| {
                            format!("{id}/{}: an option has no ordinalValue", i.link_id)
                        })?;
                    Ok(AnswerOption {
                        system: o.value_coding.system,
                        code: o.value_coding.code,
                        display: o.value_coding.display,
                        score,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            let scale = i
                .extension
                .iter()
                .find(|e| e.url == SCALE)
                .and_then(|e| e.value_code.clone());
            Ok(Item {
                link_id: i.link_id,
                text: i.text,
                required: i.required,
                scale,
                options,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let stem = q
        .extension
        .iter()
        .find(|e| e.url == STEM)
        .and_then(|e| e.value_string.clone())
        .unwrap_or_default();
    Ok(Instrument {
        id: q.id,
        title: q.title,
        description: q.description,
        stem,
        items,
        questionnaire,
    })
}

/// Every shipped instrument, parsed once. An error means a broken file in the build,
/// which the tests catch; callers report it rather than panic.
pub fn instruments() -> Result<&'static [Instrument], &'static str> {
    static CATALOG: OnceLock<Result<Vec<Instrument>, String>> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            FILES
                .iter()
                .map(|(id, text)| parse(id.as_str(), text))
                .collect()
        })
        .as_deref()
        .map_err(String::as_str)
}

pub fn instrument(id: &str) -> Option<&'static Instrument> {
    instruments().ok()?.iter().find(|i| i.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_with_scored_options() {
        let all = instruments().unwrap();
        assert_eq!(all.len(), FILES.len());
        for inst in all {
            assert_eq!(
                inst.kind().map(InstrumentId::as_str),
                Some(inst.id.as_str())
            );
            assert!(!inst.items.is_empty(), "{}", inst.id);
            for item in &inst.items {
                assert!(item.options.len() >= 2, "{}/{}", inst.id, item.link_id);
            }
        }
    }

    #[test]
    fn instrument_ids_round_trip_their_text() {
        for id in InstrumentId::ALL {
            assert_eq!(InstrumentId::parse(id.as_str()), Some(id));
        }
        assert_eq!(InstrumentId::parse("PHQ-9"), None);
    }

    #[test]
    fn item_counts_match_the_published_instruments() {
        let scored = |id: &str| {
            instrument(id)
                .unwrap()
                .items
                .iter()
                .filter(|i| i.required)
                .count()
        };
        assert_eq!(scored("phq-9"), 9);
        assert_eq!(
            instrument("phq-9").unwrap().items.len(),
            10,
            "plus the difficulty item"
        );
        assert_eq!(scored("phq-2"), 2);
        assert_eq!(scored("gad-7"), 7);
        assert_eq!(scored("gad-2"), 2);
        assert_eq!(scored("burnout-single-item"), 1);
        assert_eq!(scored("who-5"), 5);
        assert_eq!(scored("cbi"), 19);
        assert_eq!(scored("work-pulse"), 9);
        let cbi = instrument("cbi").unwrap();
        let scale = |s: &str| {
            cbi.items
                .iter()
                .filter(|i| i.scale.as_deref() == Some(s))
                .count()
        };
        assert_eq!(
            (scale("personal"), scale("work"), scale("patient")),
            (6, 7, 6)
        );
    }

    #[test]
    fn phq_options_carry_loinc_answer_codes_and_scores() {
        let item9 = instrument("phq-9").unwrap().item("phq9-9").unwrap();
        let codes: Vec<(&str, f64)> = item9
            .options
            .iter()
            .map(|o| (o.code.as_str(), o.score))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("LA6568-5", 0.0),
                ("LA6569-3", 1.0),
                ("LA6570-1", 2.0),
                ("LA6571-9", 3.0)
            ]
        );
    }
}
