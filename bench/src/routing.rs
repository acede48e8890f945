//! `huddle-bench routing HISTORY.jsonl[.gz] [ROUNDS]`: the routing engine's throughput
//! through its Rust API, without JSON or pipes: every alert of a replay-protocol history
//! is decided, and each answer (from the history's truth) is fed back to the learner.

use std::io::{BufRead, BufReader, Read};
use std::time::Instant;

use huddle_core::routing::learning::{Outcome, Response};
use huddle_core::routing::policy::CategoryPolicy;
use huddle_core::routing::schedule::{Schedule, Shift, ShiftRole};
use huddle_core::routing::{Alert, Engine, Mode, Policy, Priority, Recipient};
use serde_json::Value;

struct Case {
    alert: Alert,
    latency: i64,
    outcome: Outcome,
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let Some(path) = args.first() else {
        anyhow::bail!("usage: huddle-bench routing HISTORY.jsonl[.gz] [ROUNDS]");
    };
    let rounds: usize = args.get(1).map_or(Ok(5), |s| s.parse())?;
    let file = std::fs::File::open(path)?;
    let reader: Box<dyn Read> = if path.ends_with(".gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut policy = Policy::new(Default::default());
    let mut schedule = Schedule::default();
    let mut raw_alerts = Vec::new();
    for line in BufReader::new(reader).lines() {
        let v: Value = serde_json::from_str(&line?)?;
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        match v["type"].as_str() {
            Some("scenario") => {
                policy = Policy::new(serde_json::from_value::<
                    std::collections::HashMap<String, CategoryPolicy>,
                >(v["policy"].clone())?)
            }
            Some("physician") => {
                schedule.physician(&s("id"), &s("service"));
            }
            Some("shift") => {
                let doc = schedule.physician(&s("physician"), &s("service"));
                let service = schedule.service(&s("service"));
                let role = ShiftRole::parse(&s("role")).unwrap_or(ShiftRole::Day);
                let (start, end) = (
                    v["start"].as_i64().unwrap_or(0),
                    v["end"].as_i64().unwrap_or(0),
                );
                let _ = schedule.add_shift(Shift {
                    doc,
                    service,
                    role,
                    start,
                    end,
                });
            }
            Some("alert") => raw_alerts.push(v),
            _ => {}
        }
    }
    let mut engine = Engine::new(policy, schedule, Mode::Predictive);
    let mut cases = Vec::with_capacity(raw_alerts.len());
    for v in &raw_alerts {
        let s = |k: &str| v[k].as_str().unwrap_or_default();
        let service = engine.schedule.service(s("service"));
        let recipient = match s("recipient").strip_prefix("oncall:") {
            Some(role) => Recipient::OnCall(engine.schedule.service(role)),
            None => Recipient::Physician(engine.schedule.physician(s("recipient"), s("service"))),
        };
        cases.push(Case {
            alert: Alert {
                time: v["time"].as_i64().unwrap_or(0),
                kind: engine.kind(s("category")),
                priority: Priority::parse(s("sender_priority")).unwrap_or(Priority::Routine),
                service,
                recipient,
            },
            latency: v["truth"]["latency_s"].as_i64().unwrap_or(0),
            outcome: Outcome::parse(v["truth"]["outcome"].as_str().unwrap_or(""))
                .unwrap_or(Outcome::Dismissed),
        });
    }
    let fresh = engine.clone();
    let mut best = f64::MAX;
    for round in 0..rounds {
        let mut engine = fresh.clone();
        let started = Instant::now();
        let mut interrupts = 0u64;
        for c in &cases {
            let d = engine.decide(&c.alert);
            interrupts += u64::from(d.is_interrupt());
            let seen = d.delivered_at(c.alert.time);
            engine.learner.observe(Response {
                doc: d.to,
                kind: c.alert.kind,
                priority: c.alert.priority,
                arrived: c.alert.time,
                seen,
                answered: seen + c.latency,
                outcome: c.outcome,
                late: false,
            });
        }
        let secs = started.elapsed().as_secs_f64();
        best = best.min(secs);
        println!(
            "round {}: {} decisions (+ as many observations) in {:.1} ms: {:.0} decisions/s ({} interrupts)",
            round + 1,
            cases.len(),
            secs * 1000.0,
            cases.len() as f64 / secs,
            interrupts
        );
    }
    println!("best: {:.0} decisions/s", cases.len() as f64 / best);
    Ok(())
}
