//! Well-being: the instruments (FHIR Questionnaires in `questionnaires/`), their scoring
//! against the published cutoffs, the check-in flow, and triage to the right help.
//! Everything here is pure; answers never leave the clinician's own records.

pub mod checkin;
pub mod instruments;
pub mod resources;
pub mod scoring;
pub mod screening;
pub mod triage;

pub use instruments::{instrument, instruments, AnswerOption, Instrument, InstrumentId, Item};
pub use scoring::{score, score_mbi, Answer, Scored, ScoringError};
pub use screening::ScreenOutcomes;
pub use triage::{triage, Level, Triage};
