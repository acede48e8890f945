//! Routing's safety properties, checked on random schedules, policies, alerts and
//! physician behaviour: a critical kind always interrupts someone on shift at once,
//! nothing queued waits past its policy limit, and a role page always reaches someone of
//! the service on shift. Learning is fed random answers in between, so no history it
//! could learn from breaks these.

use std::collections::HashMap;

use huddle_core::routing::learning::{Correction, Outcome, Response};
use huddle_core::routing::policy::{CategoryPolicy, ALWAYS_INTERRUPT};
use huddle_core::routing::schedule::{Schedule, Shift, ShiftRole};
use huddle_core::routing::{Alert, Delivery, Engine, Mode, Policy, Priority, Recipient};
use proptest::prelude::*;

const DAY: i64 = 86_400;
const SERVICES: u32 = 2;
const DOCS_PER_SERVICE: u32 = 4;

#[derive(Debug, Clone)]
struct AlertSpec {
    offset: i64,
    category: usize,
    urgent: bool,
    stat: bool,
    service: u32,
    to_role: bool,
    doc: u32,
    outcome: u8,
    latency: i64,
    correction: Option<bool>,
}

fn alert_spec() -> impl Strategy<Value = AlertSpec> {
    (
        (
            0i64..600,
            0usize..6,
            any::<bool>(),
            prop::bool::weighted(0.05),
        ),
        (0u32..SERVICES, any::<bool>(), 0u32..DOCS_PER_SERVICE),
        (
            0u8..3,
            0i64..7200,
            prop::option::weighted(0.05, any::<bool>()),
        ),
    )
        .prop_map(
            |(
                (offset, category, urgent, stat),
                (service, to_role, doc),
                (outcome, latency, correction),
            )| AlertSpec {
                offset,
                category,
                urgent,
                stat,
                service,
                to_role,
                doc,
                outcome,
                latency,
                correction,
            },
        )
}

/// Kinds: two critical, four that may wait (one too briefly for any digest cadence).
const KINDS: [&str; 6] = [
    "critical_lab",
    "monitor_arrhythmia",
    "nurse_clinical",
    "abnormal_lab",
    "consult_request",
    "admin_reminder",
];

fn policy(delays: &[i64; 4]) -> Policy {
    let mut categories = HashMap::new();
    for (name, delay) in KINDS[2..].iter().zip(delays) {
        categories.insert(
            name.to_string(),
            CategoryPolicy {
                max_delay_s: *delay,
                always_interrupt: false,
            },
        );
    }
    for name in &KINDS[..2] {
        categories.insert(
            name.to_string(),
            CategoryPolicy {
                max_delay_s: 3600,
                always_interrupt: false,
            },
        );
    }
    Policy::new(categories)
}

/// Shifts: each physician works random 8 to 24 hour blocks with gaps, over three days.
fn schedule(blocks: &[(i64, i64, bool)]) -> Schedule {
    let mut s = Schedule::default();
    for service in 0..SERVICES {
        for d in 0..DOCS_PER_SERVICE {
            s.physician(&format!("p{service}{d}"), &format!("s{service}"));
        }
    }
    for (i, &(gap, length, oncall)) in blocks.iter().enumerate() {
        let doc = (i as u32) % (SERVICES * DOCS_PER_SERVICE);
        let service = doc / DOCS_PER_SERVICE;
        let round = (i as i64) / i64::from(SERVICES * DOCS_PER_SERVICE);
        let start = round * DAY + gap;
        let _ = s.add_shift(Shift {
            doc,
            service,
            role: if oncall {
                ShiftRole::Oncall
            } else {
                ShiftRole::Day
            },
            start,
            end: start + length,
        });
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn routing_never_breaks_policy(
        delays in prop::array::uniform4(prop::sample::select(vec![60i64, 300, 600, 900, 2400, 6300, 40_000])),
        blocks in prop::collection::vec((0i64..DAY / 2, 8 * 3600i64..24 * 3600, any::<bool>()), 24),
        alerts in prop::collection::vec(alert_spec(), 1..300),
        dismissers in prop::array::uniform8(any::<bool>()),
    ) {
        let mut engine = Engine::new(policy(&delays), schedule(&blocks), Mode::Predictive);
        let kinds: Vec<u32> = KINDS.iter().map(|k| engine.kind(k)).collect();
        let mut t = 0;
        for spec in alerts {
            t += spec.offset;
            let service = spec.service;
            let named = service * DOCS_PER_SERVICE + spec.doc;
            let alert = Alert {
                time: t,
                kind: kinds[spec.category],
                priority: if spec.stat { Priority::Stat } else if spec.urgent { Priority::Urgent } else { Priority::Routine },
                service,
                recipient: if spec.to_role { Recipient::OnCall(service) } else { Recipient::Physician(named) },
            };
            let d = engine.decide(&alert);
            let someone_on_shift = engine.schedule.covering(service, t).is_some();
            let category = KINDS[spec.category];
            let critical = ALWAYS_INTERRUPT.contains(&category) || spec.stat;

            if critical && someone_on_shift {
                prop_assert_eq!(d.delivery, Delivery::Interrupt, "{} must interrupt", category);
                prop_assert!(engine.schedule.on_duty(d.to, t).is_some(), "a critical alert went to someone off shift");
            }
            if let Delivery::Queue { at } = d.delivery {
                let limit = engine.policy.categories[category].max_delay_s;
                prop_assert!(at >= t, "a digest before the alert");
                prop_assert!(at - t <= limit, "{} waited {} s, policy allows {}", category, at - t, limit);
            }
            if spec.to_role && someone_on_shift {
                let at = d.delivered_at(t);
                prop_assert_eq!(engine.schedule.service_of(d.to), service, "a role page left its service");
                prop_assert!(engine.schedule.on_duty(d.to, at).is_some(), "a role page reached someone off shift");
            }

            // Random behaviour to learn from: answers, lateness and corrections.
            let seen = d.delivered_at(t);
            // Some physicians dismiss everything, so learning has something to act on.
            let outcome = if dismissers[d.to as usize % 8] {
                Outcome::Dismissed
            } else {
                [Outcome::Acted, Outcome::Deferred, Outcome::Dismissed][usize::from(spec.outcome)]
            };
            engine.learner.observe(Response {
                doc: d.to,
                kind: alert.kind,
                priority: alert.priority,
                arrived: t,
                seen,
                answered: seen + spec.latency,
                outcome,
                late: spec.latency > 3000,
            });
            if let Some(sooner) = spec.correction {
                let c = if sooner { Correction::ShouldHaveReachedMeSooner } else { Correction::CouldHaveWaited };
                engine.learner.correct(d.to, alert.kind, alert.priority, c, seen + spec.latency);
            }
        }
    }
}

#[test]
fn learning_never_holds_back_a_critical_alert_even_when_always_dismissed() {
    let mut s = Schedule::default();
    let doc = s.physician("p1", "cardiology");
    let service = s.service_named("cardiology").unwrap_or(0);
    s.add_shift(Shift {
        doc,
        service,
        role: ShiftRole::Oncall,
        start: 0,
        end: 30 * DAY,
    })
    .unwrap_or(());
    let mut engine = Engine::new(policy(&[600, 6300, 2400, 40_000]), s, Mode::Predictive);
    let monitor = engine.kind("monitor_arrhythmia");
    for i in 0..2000 {
        let t = i * 600;
        let d = engine.decide(&Alert {
            time: t,
            kind: monitor,
            priority: Priority::Urgent,
            service,
            recipient: Recipient::OnCall(service),
        });
        assert_eq!(d.delivery, Delivery::Interrupt, "alert {i} was held back");
        engine.learner.observe(Response {
            doc,
            kind: monitor,
            priority: Priority::Urgent,
            arrived: t,
            seen: t,
            answered: t + 5,
            outcome: Outcome::Dismissed,
            late: false,
        });
    }
}
