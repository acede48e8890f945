//! Replays an organization's notification history (the replay protocol's format, with each
//! alert's `truth`: whether it needed action, by when, and how fast it was answered) through
//! the engine, and counts what the decisions cost. `huddle route simulate` prints it for
//! static policy beside predictive routing. The engine sees each alert without its truth;
//! a physician's answer is revealed only once that physician would have seen the alert.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::engine::Mode;
use super::policy::{Time, MAX_DELAY_S};
use super::protocol::Session;
use super::schedule::{Schedule, Shift, ShiftRole};

/// An alert whose deadline is this short or shorter is critical.
const CRITICAL_DEADLINE_S: i64 = 900;

#[derive(Debug, Deserialize)]
struct Truth {
    actionable: bool,
    deadline_s: i64,
    latency_s: i64,
    outcome: String,
}

#[derive(Debug, Deserialize)]
struct HistoryAlert {
    id: String,
    time: Time,
    category: String,
    service: String,
    recipient: String,
    truth: Truth,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq)]
pub struct Metrics {
    pub alerts: u64,
    pub invalid: u64,
    pub interrupts: u64,
    pub fp_interrupts: u64,
    pub digests: u64,
    pub fp_digests: u64,
    pub notifications: u64,
    pub fp_notifications: u64,
    pub offduty_notifications: u64,
    pub actionable: u64,
    pub late_actionable: u64,
    pub critical: u64,
    pub late_critical: u64,
    pub policy_violations: u64,
    pub shifts: u64,
    pub notifications_per_shift: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("line {0}: {1}")]
    Line(usize, String),
    #[error("the history has no scenario line")]
    NoScenario,
    #[error("the engine did not answer alert {0}")]
    NoDecision(String),
}

/// Replays `lines` (a whole history) through the engine in `mode`.
pub fn replay(lines: &[String], mode: Mode) -> Result<Metrics, ReplayError> {
    let mut session = Session::new(mode);
    let mut schedule = Schedule::default();
    let mut policy: HashMap<String, i64> = HashMap::new();
    let mut known = HashSet::new();
    let mut alerts = Vec::new();
    let mut shifts = 0u64;
    let mut scenario = false;
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value =
            serde_json::from_str(line).map_err(|e| ReplayError::Line(i + 1, e.to_string()))?;
        match value["type"].as_str() {
            Some("alert") => {
                let alert: HistoryAlert = serde_json::from_value(value)
                    .map_err(|e| ReplayError::Line(i + 1, e.to_string()))?;
                alerts.push((line, alert));
                continue;
            }
            Some("scenario") => {
                scenario = true;
                if let Some(p) = value["policy"].as_object() {
                    for (k, v) in p {
                        policy.insert(k.clone(), v["max_delay_s"].as_i64().unwrap_or(MAX_DELAY_S));
                    }
                }
            }
            Some("physician") => {
                let (Some(id), Some(service)) = (value["id"].as_str(), value["service"].as_str())
                else {
                    return Err(ReplayError::Line(
                        i + 1,
                        "a physician needs id and service".into(),
                    ));
                };
                schedule.physician(id, service);
                known.insert(id.to_string());
            }
            Some("shift") => {
                shifts += 1;
                let (Some(doc), Some(service), Some(start), Some(end)) = (
                    value["physician"].as_str(),
                    value["service"].as_str(),
                    value["start"].as_i64(),
                    value["end"].as_i64(),
                ) else {
                    return Err(ReplayError::Line(
                        i + 1,
                        "a shift needs physician, service, start and end".into(),
                    ));
                };
                let doc = match schedule.doc_named(doc) {
                    Some(d) => d,
                    None => schedule.physician(doc, service),
                };
                let service = schedule.service(service);
                let _ = schedule.add_shift(Shift {
                    doc,
                    service,
                    role: ShiftRole::Day,
                    start,
                    end,
                });
            }
            _ => {}
        }
        session
            .handle(line)
            .map_err(|e| ReplayError::Line(i + 1, e.to_string()))?;
    }
    if !scenario {
        return Err(ReplayError::NoScenario);
    }
    let mut m = Metrics {
        shifts,
        ..Metrics::default()
    };
    // Feedback waiting for its time: (time, order, line).
    let mut pending: BinaryHeap<Reverse<(Time, u64, String)>> = BinaryHeap::new();
    // Digest deliveries: (physician, at) → anything in it needed action.
    let mut digests: HashMap<(String, Time), bool> = HashMap::new();
    for (n, (line, a)) in alerts.into_iter().enumerate() {
        let t = a.time;
        while pending.peek().is_some_and(|Reverse((at, _, _))| *at <= t) {
            if let Some(Reverse((_, _, fb))) = pending.pop() {
                let _ = session.handle(&fb);
            }
        }
        let answer = session
            .handle(line)
            .map_err(|e| ReplayError::Line(0, e.to_string()))?
            .ok_or_else(|| ReplayError::NoDecision(a.id.clone()))?;
        let d: Value =
            serde_json::from_str(&answer).map_err(|e| ReplayError::Line(0, e.to_string()))?;
        let interrupt = d["deliver"] == "interrupt";
        let mut to = d["to"].as_str().unwrap_or_default().to_string();
        let mut when = if interrupt {
            t
        } else {
            d["at"].as_i64().unwrap_or(Time::MIN)
        };
        let on_shift_of = |doc: &str, service: &str, at: Time| {
            schedule.doc_named(doc).is_some_and(|d| {
                schedule.service_name(schedule.service_of(d)) == service
                    && schedule.on_duty(d, at).is_some()
            })
        };
        let mut valid = (interrupt || d["deliver"] == "queue") && known.contains(&to);
        valid &= interrupt || (t..=t + MAX_DELAY_S).contains(&when);
        if valid {
            if let Some(service) = a.recipient.strip_prefix("oncall:") {
                valid = on_shift_of(&to, service, when);
            } else if to != a.recipient {
                valid = on_shift_of(&to, &a.service, when);
            }
        }
        let mut interrupt = interrupt;
        if !valid {
            m.invalid += 1;
            interrupt = true;
            when = t;
            to = a.recipient.clone();
        }
        let max_delay = policy.get(&a.category).copied().unwrap_or(MAX_DELAY_S);
        m.policy_violations += u64::from(when - t > max_delay);
        let truth = &a.truth;
        let acted = when + truth.latency_s;
        let late = truth.actionable && acted > t + truth.deadline_s;
        let critical = truth.actionable && truth.deadline_s <= CRITICAL_DEADLINE_S;
        let on_duty = |doc: &str, at: Time| {
            schedule
                .doc_named(doc)
                .is_some_and(|d| schedule.on_duty(d, at).is_some())
        };
        m.alerts += 1;
        if interrupt {
            m.interrupts += 1;
            m.fp_interrupts += u64::from(!truth.actionable);
            m.offduty_notifications += u64::from(!on_duty(&to, t));
        } else {
            *digests.entry((to.clone(), when)).or_insert(false) |= truth.actionable;
        }
        m.actionable += u64::from(truth.actionable);
        m.late_actionable += u64::from(late);
        m.critical += u64::from(critical);
        m.late_critical += u64::from(late && critical);
        let feedback = json!({
            "type": "feedback", "alert": a.id, "physician": to, "time": acted, "seen": when,
            "outcome": truth.outcome, "late": late,
        });
        pending.push(Reverse((acted, n as u64, feedback.to_string())));
    }
    while let Some(Reverse((_, _, fb))) = pending.pop() {
        let _ = session.handle(&fb);
    }
    m.digests = digests.len() as u64;
    m.fp_digests = digests.values().filter(|needed| !**needed).count() as u64;
    m.offduty_notifications += digests
        .keys()
        .filter(|(doc, at)| {
            schedule
                .doc_named(doc)
                .is_none_or(|d| schedule.on_duty(d, *at).is_none())
        })
        .count() as u64;
    m.notifications = m.interrupts + m.digests;
    m.fp_notifications = m.fp_interrupts + m.fp_digests;
    m.notifications_per_shift = if shifts == 0 {
        0.0
    } else {
        (m.notifications as f64 / shifts as f64 * 100.0).round() / 100.0
    };
    Ok(m)
}
