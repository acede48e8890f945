//! The replay protocol (../shared/routing/PROTOCOL.md): JSON lines in, one decision line
//! per alert out. A [`Session`] turns each input line into the engine's calls; the binary
//! only moves lines between it and standard input and output.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::json;

use super::engine::{Alert, Delivery, Engine, Mode, Recipient};
use super::learning::{Kind, Outcome, Response};
use super::policy::{CategoryPolicy, Policy, Priority, Time};
use super::schedule::{Schedule, Shift, ShiftRole};

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Input {
    Scenario {
        #[serde(default)]
        policy: HashMap<String, CategoryPolicy>,
    },
    Physician {
        id: String,
        service: String,
    },
    Shift {
        physician: String,
        service: String,
        role: String,
        start: Time,
        end: Time,
    },
    Alert {
        id: String,
        time: Time,
        category: String,
        sender_priority: String,
        service: String,
        recipient: String,
    },
    Feedback {
        alert: String,
        physician: String,
        time: Time,
        seen: Time,
        outcome: String,
        #[serde(default)]
        late: bool,
    },
    End,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ProtocolError {
    #[error("line {line}: {detail}")]
    Bad { line: usize, detail: String },
}

/// What an alert was, kept until its feedback arrives.
struct Pending {
    kind: Kind,
    priority: Priority,
    time: Time,
}

pub struct Session {
    engine: Engine,
    pending: HashMap<String, Pending>,
    line: usize,
    pub ended: bool,
}

impl Session {
    pub fn new(mode: Mode) -> Session {
        Session {
            engine: Engine::new(Policy::new(HashMap::new()), Schedule::default(), mode),
            pending: HashMap::new(),
            line: 0,
            ended: false,
        }
    }

    /// Handles one input line; returns the line to write back, if any.
    pub fn handle(&mut self, text: &str) -> Result<Option<String>, ProtocolError> {
        self.line += 1;
        if text.trim().is_empty() {
            return Ok(None);
        }
        let input: Input = serde_json::from_str(text).map_err(|e| self.bad(e.to_string()))?;
        match input {
            Input::Scenario { policy } => {
                self.engine.policy = Policy::new(policy);
                Ok(None)
            }
            Input::Physician { id, service } => {
                self.engine.schedule.physician(&id, &service);
                Ok(None)
            }
            Input::Shift {
                physician,
                service,
                role,
                start,
                end,
            } => {
                let role = ShiftRole::parse(&role)
                    .ok_or_else(|| self.bad(format!("unknown shift role {role:?}")))?;
                let schedule = &mut self.engine.schedule;
                let doc = match schedule.doc_named(&physician) {
                    Some(d) => d,
                    None => schedule.physician(&physician, &service),
                };
                let service = schedule.service(&service);
                schedule
                    .add_shift(Shift {
                        doc,
                        service,
                        role,
                        start,
                        end,
                    })
                    .map_err(|e| self.bad(e.into()))?;
                Ok(None)
            }
            Input::Alert {
                id,
                time,
                category,
                sender_priority,
                service,
                recipient,
            } => {
                let priority = Priority::parse(&sender_priority)
                    .ok_or_else(|| self.bad(format!("unknown priority {sender_priority:?}")))?;
                let schedule = &mut self.engine.schedule;
                let service_id = schedule.service(&service);
                let recipient = match recipient.strip_prefix("oncall:") {
                    Some(role_service) => Recipient::OnCall(schedule.service(role_service)),
                    None => Recipient::Physician(match schedule.doc_named(&recipient) {
                        Some(d) => d,
                        None => schedule.physician(&recipient, &service),
                    }),
                };
                let kind = self.engine.kind(&category);
                let decision = self.engine.decide(&Alert {
                    time,
                    kind,
                    priority,
                    service: service_id,
                    recipient,
                });
                self.pending.insert(
                    id.clone(),
                    Pending {
                        kind,
                        priority,
                        time,
                    },
                );
                let to = self.engine.schedule.name(decision.to);
                let reason = decision.reason.explain();
                let line = match decision.delivery {
                    Delivery::Interrupt => json!({
                        "type": "decision", "alert": id, "deliver": "interrupt", "to": to, "reason": reason,
                    }),
                    Delivery::Queue { at } => json!({
                        "type": "decision", "alert": id, "deliver": "queue", "to": to, "at": at, "reason": reason,
                    }),
                };
                Ok(Some(line.to_string()))
            }
            Input::Feedback {
                alert,
                physician,
                time,
                seen,
                outcome,
                late,
            } => {
                let outcome = Outcome::parse(&outcome)
                    .ok_or_else(|| self.bad(format!("unknown outcome {outcome:?}")))?;
                // Feedback on an alert never seen, or from an unknown physician, teaches nothing.
                let (Some(p), Some(doc)) = (
                    self.pending.remove(&alert),
                    self.engine.schedule.doc_named(&physician),
                ) else {
                    return Ok(None);
                };
                self.engine.learner.observe(Response {
                    doc,
                    kind: p.kind,
                    priority: p.priority,
                    arrived: p.time,
                    seen,
                    answered: time,
                    outcome,
                    late,
                });
                Ok(None)
            }
            Input::End => {
                self.ended = true;
                Ok(None)
            }
        }
    }

    fn bad(&self, detail: String) -> ProtocolError {
        ProtocolError::Bad {
            line: self.line,
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[&str]) -> Vec<serde_json::Value> {
        let mut s = Session::new(Mode::Predictive);
        lines
            .iter()
            .filter_map(|l| s.handle(l).unwrap())
            .map(|l| serde_json::from_str(&l).unwrap())
            .collect()
    }

    const PREAMBLE: &[&str] = &[
        r#"{"type":"scenario","name":"t","start":0,"end":100000,"policy":{"critical_lab":{"max_delay_s":210},"abnormal_lab":{"max_delay_s":6300}}}"#,
        r#"{"type":"physician","id":"p1","service":"medicine","joined":0}"#,
        r#"{"type":"physician","id":"p2","service":"medicine","joined":0}"#,
        r#"{"type":"shift","physician":"p1","service":"medicine","role":"day","start":0,"end":43200}"#,
        r#"{"type":"shift","physician":"p2","service":"medicine","role":"oncall","start":43200,"end":86400}"#,
    ];

    #[test]
    fn answers_each_alert_with_one_decision() {
        let mut lines = PREAMBLE.to_vec();
        lines.push(r#"{"type":"alert","id":"a1","time":100,"source":"lab","category":"critical_lab","sender_priority":"urgent","service":"medicine","patient":"pt1","recipient":"p1"}"#);
        lines.push(r#"{"type":"alert","id":"a2","time":200,"source":"lab","category":"abnormal_lab","sender_priority":"routine","service":"medicine","patient":"pt1","recipient":"p1"}"#);
        lines.push(r#"{"type":"alert","id":"a3","time":50000,"source":"lab","category":"critical_lab","sender_priority":"urgent","service":"medicine","patient":"pt1","recipient":"p1"}"#);
        lines.push(r#"{"type":"end"}"#);
        let out = run(&lines);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0]["deliver"], "interrupt");
        assert_eq!(out[0]["to"], "p1");
        assert_eq!(out[1]["deliver"], "queue");
        assert_eq!(out[1]["at"], 3600);
        // p1 is off shift: a critical result goes to the on-call physician at once.
        assert_eq!(out[2]["deliver"], "interrupt");
        assert_eq!(out[2]["to"], "p2");
    }

    #[test]
    fn bad_lines_are_named() {
        let mut s = Session::new(Mode::Predictive);
        assert!(matches!(
            s.handle("{nope"),
            Err(ProtocolError::Bad { line: 1, .. })
        ));
        let err = s
            .handle(r#"{"type":"shift","physician":"p1","service":"m","role":"siesta","start":0,"end":1}"#)
            .unwrap_err();
        assert!(err.to_string().contains("siesta"));
    }
}
