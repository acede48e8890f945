//! Confidential check-ins. Answers and scores are sealed under the clinician's own data
//! key and opened only for that clinician: no role, route, export or log line shows them
//! to anyone else, and the audit log records only that a check-in happened.

use std::collections::BTreeMap;

use huddle_core::audit::AuditAction;
use huddle_core::clock::{Millis, DAY};
use huddle_core::keys::KeyOwner;
use huddle_core::wellbeing::checkin::still_to_ask;
use huddle_core::wellbeing::{
    instrument, score, score_mbi, triage, Answer, InstrumentId, Scored, Triage,
};
use huddle_store::{NewSealedResponse, Resource};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::record;
use crate::auth::secrets::new_secret;
use crate::auth::Principal;
use crate::crypto::DataKey;
use crate::error::ApiError;
use crate::state::AppState;

/// What is sealed for one response.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sealed {
    pub instrument: String,
    pub answers: Vec<SealedAnswer>,
    pub scores: BTreeMap<String, f64>,
    pub bands: BTreeMap<String, String>,
    pub self_harm: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SealedAnswer {
    pub link_id: String,
    pub system: String,
    pub code: String,
    pub display: String,
    pub score: f64,
}

/// One of the clinician's responses, opened.
#[derive(Debug, Clone)]
pub struct Opened {
    pub id: i64,
    pub checkin_id: String,
    pub submitted_at: Millis,
    pub content: Sealed,
}

impl Sealed {
    /// The scored result, without the answers.
    pub fn scored(&self) -> Scored {
        Scored {
            instrument: self.instrument.clone(),
            scores: self.scores.clone(),
            bands: self.bands.clone(),
            self_harm: self.self_harm,
        }
    }
}

impl Opened {
    pub fn scored(&self) -> Scored {
        self.content.scored()
    }
}

/// Where a check-in stands after a response.
pub struct Outcome {
    pub results: Vec<Scored>,
    pub triage: Triage,
    /// Instruments still to ask in this check-in.
    pub next: Vec<&'static str>,
}

/// The clinician's own key (see `keys`): created at their first check-in, never kept in
/// memory, erased with their data.
async fn data_key(
    state: &AppState,
    user_id: i64,
    create: bool,
) -> Result<Option<DataKey>, ApiError> {
    let owner = KeyOwner::Person(user_id);
    let store = state.store.as_ref();
    if create {
        return state
            .keys
            .data_key(store, owner, state.now())
            .await
            .map(Some);
    }
    state.keys.existing_data_key(store, owner).await
}

/// A check-in id from the client, or a new one.
fn checkin_id(given: Option<&str>) -> Result<String, ApiError> {
    match given.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(new_secret()),
        Some(id)
            if id.len() <= 64
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Ok(id.to_string())
        }
        Some(_) => Err(ApiError::invalid(
            "identifier",
            "a check-in id is up to 64 letters, digits, - or _",
        )),
    }
}

/// Scores and seals one response, and says what the check-in calls for now.
pub async fn submit(
    state: &AppState,
    p: &Principal,
    instrument_id: &str,
    answers: &[(String, Answer)],
    checkin: Option<&str>,
) -> Result<(Opened, Outcome), ApiError> {
    let inst = instrument(instrument_id).ok_or_else(|| {
        ApiError::invalid(
            "questionnaire",
            "no such instrument; see GET /fhir/Questionnaire",
        )
    })?;
    let scored = score(inst, answers).map_err(|e| ApiError::invalid(&e.link_id, e.message))?;
    let sealed_answers = answers
        .iter()
        .filter_map(|(link_id, answer)| {
            let item = inst.item(link_id)?;
            let option = item.options.iter().find(|o| match answer {
                Answer::Coding { code, .. } => o.code == *code,
                Answer::Integer(n) => o.score == *n as f64,
            })?;
            Some(SealedAnswer {
                link_id: link_id.clone(),
                system: option.system.clone(),
                code: option.code.clone(),
                display: option.display.clone(),
                score: option.score,
            })
        })
        .collect();
    let content = Sealed {
        instrument: inst.id.clone(),
        answers: sealed_answers,
        scores: scored.scores,
        bands: scored.bands,
        self_harm: scored.self_harm,
    };
    save(state, p, content, checkin).await
}

/// Maslach Burnout Inventory subscale totals, for organizations that license the MBI.
pub async fn submit_mbi(
    state: &AppState,
    p: &Principal,
    ee: i64,
    dp: i64,
    pa: i64,
    checkin: Option<&str>,
) -> Result<(Opened, Outcome), ApiError> {
    let scored = score_mbi(ee, dp, pa).map_err(|e| ApiError::invalid(&e.link_id, e.message))?;
    let content = Sealed {
        instrument: InstrumentId::Mbi.as_str().into(),
        answers: Vec::new(),
        scores: scored.scores,
        bands: scored.bands,
        self_harm: false,
    };
    save(state, p, content, checkin).await
}

async fn save(
    state: &AppState,
    p: &Principal,
    content: Sealed,
    checkin: Option<&str>,
) -> Result<(Opened, Outcome), ApiError> {
    let checkin_id = checkin_id(checkin)?;
    let key = data_key(state, p.id(), true)
        .await?
        .ok_or_else(|| ApiError::internal("no data key"))?;
    let plaintext = serde_json::to_vec(&content).map_err(ApiError::internal)?;
    let sealed = key
        .seal(&KeyOwner::Person(p.id()).to_string(), &plaintext)
        .map_err(ApiError::internal)?;
    let stored = state
        .store
        .save_response(NewSealedResponse {
            user_id: p.id(),
            organization_id: p.user.organization_id,
            department_id: p.user.department_id,
            checkin_id: checkin_id.clone(),
            submitted_at: state.now(),
            sealed,
        })
        .await?;
    // The de-identified contribution leaders' aggregates are built from (no answers,
    // no item 9, no user id). The check-in is already stored: a failure here costs one
    // month's aggregate a contribution, never the clinician their check-in.
    if let Err(e) = super::insights::contribute(state, p, &content).await {
        tracing::warn!(error = %e.detail(), "insights contribution not recorded");
    }
    record(
        state,
        Some(p.id()),
        AuditAction::WellbeingSaved,
        format!("user:{}", p.id()),
        json!({}),
    )
    .await?;
    let opened = Opened {
        id: stored.id,
        checkin_id: stored.checkin_id,
        submitted_at: stored.submitted_at,
        content,
    };
    let checkin = checkin_responses(state, p, &checkin_id).await?;
    Ok((opened, outcome(&checkin)))
}

/// Results of a check-in (the latest answer per instrument), triage and what is left.
pub fn outcome(checkin: &[Opened]) -> Outcome {
    let mut latest: BTreeMap<String, Scored> = BTreeMap::new();
    for o in checkin {
        latest.insert(o.content.instrument.clone(), o.scored());
    }
    let results: Vec<Scored> = latest.into_values().collect();
    let next = still_to_ask(&results)
        .into_iter()
        .map(InstrumentId::as_str)
        .collect();
    Outcome {
        triage: triage(&results),
        results,
        next,
    }
}

/// All the clinician's own responses, opened, oldest first.
pub async fn my_responses(state: &AppState, p: &Principal) -> Result<Vec<Opened>, ApiError> {
    let Some(key) = data_key(state, p.id(), false).await? else {
        return Ok(Vec::new());
    };
    let who = KeyOwner::Person(p.id()).to_string();
    state
        .store
        .responses(p.id())
        .await?
        .into_iter()
        .map(|r| {
            let plaintext = key.open(&who, &r.sealed).map_err(ApiError::internal)?;
            let content: Sealed = serde_json::from_slice(&plaintext).map_err(ApiError::internal)?;
            Ok(Opened {
                id: r.id,
                checkin_id: r.checkin_id,
                submitted_at: r.submitted_at,
                content,
            })
        })
        .collect()
}

pub async fn my_response(state: &AppState, p: &Principal, id: i64) -> Result<Opened, ApiError> {
    let not_found = || ApiError::not_found("you have no check-in response with this id");
    let stored = state
        .store
        .response(p.id(), id)
        .await?
        .ok_or_else(not_found)?;
    let key = data_key(state, p.id(), false)
        .await?
        .ok_or_else(not_found)?;
    let plaintext = key
        .open(&KeyOwner::Person(p.id()).to_string(), &stored.sealed)
        .map_err(ApiError::internal)?;
    let content = serde_json::from_slice(&plaintext).map_err(ApiError::internal)?;
    Ok(Opened {
        id: stored.id,
        checkin_id: stored.checkin_id,
        submitted_at: stored.submitted_at,
        content,
    })
}

pub async fn checkin_responses(
    state: &AppState,
    p: &Principal,
    checkin_id: &str,
) -> Result<Vec<Opened>, ApiError> {
    Ok(my_responses(state, p)
        .await?
        .into_iter()
        .filter(|o| o.checkin_id == checkin_id)
        .collect())
}

/// Everything the clinician stored, for the FHIR export; the export itself is audited
/// (without content).
pub async fn export(state: &AppState, p: &Principal) -> Result<Vec<Opened>, ApiError> {
    let all = my_responses(state, p).await?;
    record(
        state,
        Some(p.id()),
        AuditAction::WellbeingExported,
        format!("user:{}", p.id()),
        json!({}),
    )
    .await?;
    Ok(all)
}

/// Deletes every response, the data key and the reminder setting.
pub async fn erase(state: &AppState, p: &Principal) -> Result<u64, ApiError> {
    let n = state.store.erase_wellbeing_data(p.id()).await?;
    record(
        state,
        Some(p.id()),
        AuditAction::WellbeingErased,
        format!("user:{}", p.id()),
        json!({}),
    )
    .await?;
    Ok(n)
}

pub const REMINDER_CHOICES: [i64; 3] = [7, 14, 30];

pub async fn set_reminder(
    state: &AppState,
    p: &Principal,
    days: Option<i64>,
) -> Result<(), ApiError> {
    if days.is_some_and(|d| !REMINDER_CHOICES.contains(&d)) {
        return Err(ApiError::invalid(
            "every_days",
            "choose 7, 14 or 30 days, or none",
        ));
    }
    Ok(state.store.set_reminder_days(p.id(), days).await?)
}

/// True when the clinician asked for reminders and the last check-in is older than that.
pub async fn reminder_due(state: &AppState, p: &Principal) -> Result<bool, ApiError> {
    let Some(days) = state.store.reminder_days(p.id()).await? else {
        return Ok(false);
    };
    let last = state
        .store
        .responses(p.id())
        .await?
        .last()
        .map(|r| r.submitted_at);
    Ok(last.is_none_or(|at| state.now() - at >= days * DAY))
}

/// The help to show for a triage, in order: crisis first when it applies.
pub struct Help {
    pub crisis: Vec<Resource>,
    pub urgent_contact: Option<String>,
    pub professional: Vec<Resource>,
    pub structural: Vec<Resource>,
    pub individual: Vec<Resource>,
    pub self_care: Vec<Resource>,
}

pub async fn help_for(state: &AppState, p: &Principal, t: &Triage) -> Result<Help, ApiError> {
    let all = state.store.resources(p.user.organization_id).await?;
    let of = |kinds: &[&str]| -> Vec<Resource> {
        all.iter()
            .filter(|r| kinds.contains(&r.kind.as_str()))
            .cloned()
            .collect()
    };
    let urgent_contact = match p.user.organization_id {
        Some(org) => state.store.urgent_contact(org).await?,
        None => None,
    };
    Ok(Help {
        crisis: if t.crisis {
            of(&["crisis"])
        } else {
            Vec::new()
        },
        urgent_contact: if t.crisis { urgent_contact } else { None },
        professional: if t.professional_care || t.crisis {
            of(&["eap", "php", "professional"])
        } else {
            Vec::new()
        },
        structural: if t.burnout_support {
            of(&["guide"])
        } else {
            Vec::new()
        },
        individual: if t.burnout_support {
            of(&["coaching", "peer"])
        } else {
            Vec::new()
        },
        self_care: of(&["learning", "peer"]),
    })
}

/// The flat list the FHIR answer carries: `{title, contact, url}` in the order shown.
pub fn help_list(help: &Help) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    if let Some(contact) = &help.urgent_contact {
        out.push((
            "Your organization's urgent contact".to_string(),
            contact.clone(),
            String::new(),
        ));
    }
    for r in help
        .crisis
        .iter()
        .chain(&help.professional)
        .chain(&help.structural)
        .chain(&help.individual)
        .chain(&help.self_care)
    {
        if !out.iter().any(|(t, _, _)| *t == r.title) {
            out.push((r.title.clone(), r.contact.clone(), r.url.clone()));
        }
    }
    out
}
