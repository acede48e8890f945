//! The routing engine: one decision per alert, interrupt now or wait in a digest, and to
//! whom. It serves the live path, `huddle route protocol` and `huddle route simulate`.
//!
//! The rules, in order:
//! 1. A critical kind (and anything stat, any kind without a policy) interrupts now: the
//!    named physician if on shift, else whoever covers the service. Learning never enters.
//! 2. Everything else has a static slot: the next digest on the longest cadence the
//!    policy's delay allows, to the named physician while on shift (else at their next
//!    shift, if the policy lets it wait that long, else to the covering physician).
//! 3. Predictive routing may only *join* an existing digest instead: one the recipient
//!    already gets, no later than the static slot. The notification then costs nothing.
//!    When the physician rarely needs this kind, it may wait up to the policy's limit;
//!    when it has no static slot (its limit is shorter than any cadence), it may wait
//!    only as long as the physician's own pace leaves time before the kind's deadline.
//!
//! So no decision is later than policy allows, and none is later than the static slot
//! unless the physician's answers say the alert rarely needs them.

use std::collections::BTreeSet;

use serde::Serialize;

use super::learning::{Belief, Kind, Learner};
use super::policy::{CriticalBecause, Policy, Priority, Time, Urgency, MAX_DELAY_S};
use super::schedule::{Doc, Schedule, Service};
use crate::clock::Zone;

/// Below this chance of needing the physician, an alert may wait to the policy's limit.
pub const RARELY_NEEDED: f64 = 0.1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Physician(Doc),
    /// A role page: whoever covers this service.
    OnCall(Service),
}

#[derive(Debug, Clone, Copy)]
pub struct Alert {
    pub time: Time,
    pub kind: Kind,
    pub priority: Priority,
    /// The service the alert concerns.
    pub service: Service,
    pub recipient: Recipient,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "deliver", rename_all = "lowercase")]
pub enum Delivery {
    Interrupt,
    Queue { at: Time },
}

/// Why the engine decided as it did: recorded with the decision and shown to the physician.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Reason {
    Critical {
        because: CriticalBecause,
    },
    /// Policy lets it wait: the next digest on this cadence.
    Digest {
        cadence_s: i64,
    },
    /// The named physician is off shift: their next shift, within policy.
    NextShift,
    /// The named physician is off shift and it cannot wait for them: the covering physician.
    Covering,
    /// Joined a digest the physician already gets, no later than policy's static slot.
    Joined {
        p_needed: f64,
    },
    /// Rarely needs this physician: waits up to the policy's limit.
    CanWait {
        p_needed: f64,
        max_delay_s: i64,
    },
    /// Too short a limit for any digest, and nothing to join soon enough: now.
    NoDigestSoonEnough {
        max_delay_s: i64,
    },
    /// Nobody of the service is on shift: the named physician, or a physician of the
    /// service, is interrupted so the alert is never lost. Escalation takes over.
    NobodyOnShift,
}

impl Reason {
    /// Plain words for the physician's alert inbox.
    pub fn explain(&self) -> String {
        match *self {
            Reason::Critical { because } => match because {
                CriticalBecause::CriticalKind => {
                    "This kind of alert always interrupts: it is never held back.".into()
                }
                CriticalBecause::Stat => "Sent as stat: it always interrupts.".into(),
                CriticalBecause::TooShortToBatch => {
                    "Policy lets this kind wait too little for a digest.".into()
                }
                CriticalBecause::NoPolicy => {
                    "Your organization has no policy for this kind yet, so it interrupts.".into()
                }
            },
            Reason::Digest { cadence_s } => format!(
                "Policy lets this wait, so it came in your {}-minute digest.",
                cadence_s / 60
            ),
            Reason::NextShift => "You were off shift: it waited for your next shift, as policy allows.".into(),
            Reason::Covering => "You were off shift and it could not wait: it went to the physician covering.".into(),
            Reason::Joined { p_needed } => format!(
                "It joined a digest your team was getting anyway, no later than policy allows. Alerts like this needed you {:.0}% of the time.",
                p_needed * 100.0
            ),
            Reason::CanWait { p_needed, max_delay_s } => format!(
                "Alerts like this needed you {:.0}% of the time, so it waited up to policy's {}-minute limit.",
                p_needed * 100.0,
                max_delay_s / 60
            ),
            Reason::NoDigestSoonEnough { .. } => "It could not wait for a digest, so it interrupted.".into(),
            Reason::NobodyOnShift => "Nobody of the service was on shift: it interrupted so it is not lost.".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Decision {
    #[serde(skip)]
    pub to: Doc,
    #[serde(flatten)]
    pub delivery: Delivery,
    pub reason: Reason,
}

impl Decision {
    pub fn is_interrupt(&self) -> bool {
        self.delivery == Delivery::Interrupt
    }

    /// When the physician is told.
    pub fn delivered_at(&self, alert_time: Time) -> Time {
        match self.delivery {
            Delivery::Interrupt => alert_time,
            Delivery::Queue { at } => at,
        }
    }
}

/// A decision's inputs, for its record (see [`Engine::inputs`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Inputs {
    /// None for kinds that always interrupt.
    pub max_delay_s: Option<i64>,
    /// Where static policy alone would have put it.
    pub static_slot_at: Option<Time>,
    pub p_needed: Option<f64>,
    pub safe_delay_s: Option<i64>,
    pub recently_late: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Static policy only: the baseline predictive routing is measured against.
    Static,
    /// Static policy, then learning within what policy allows.
    Predictive,
}

#[derive(Debug, Clone)]
pub struct Engine {
    pub policy: Policy,
    pub schedule: Schedule,
    pub learner: Learner,
    kinds: Vec<String>,
    mode: Mode,
    /// Digest deliveries already decided, per physician.
    digests: Vec<BTreeSet<Time>>,
    /// The organization's clock: digest slots fall on its hours (UTC unless told).
    zone: Zone,
}

impl Engine {
    pub fn new(policy: Policy, schedule: Schedule, mode: Mode) -> Engine {
        Engine {
            policy,
            schedule,
            learner: Learner::default(),
            kinds: Vec::new(),
            mode,
            digests: Vec::new(),
            zone: Zone::utc(),
        }
    }

    /// Digest slots on this zone's wall clock (e.g. a 4-hour digest at 04:00, 08:00, …
    /// local) rather than on UTC's. For UTC nothing changes.
    pub fn with_zone(mut self, zone: Zone) -> Engine {
        self.zone = zone;
        self
    }

    /// The first slot of a digest cadence after `t`, on the organization's clock: always
    /// within `(t, t + cadence_s]`, so policy's longest wait holds across daylight saving.
    fn next_slot(&self, t: Time, cadence_s: i64) -> Time {
        let offset = if self.zone.is_utc() {
            0
        } else {
            self.zone.offset_s(t.saturating_mul(1000))
        };
        let local = t + offset;
        (local.div_euclid(cadence_s) + 1) * cadence_s - offset
    }

    /// The number for a kind of alert (category name).
    pub fn kind(&mut self, category: &str) -> Kind {
        if let Some(i) = self.kinds.iter().position(|k| k == category) {
            return i as Kind;
        }
        self.kinds.push(category.to_string());
        (self.kinds.len() - 1) as Kind
    }

    pub fn kind_name(&self, kind: Kind) -> &str {
        self.kinds.get(kind as usize).map_or("", String::as_str)
    }

    /// A digest the engine decided elsewhere (e.g. before a restart) still goes out.
    pub fn remember_digest(&mut self, doc: Doc, at: Time) {
        self.digests_of(doc).insert(at);
    }

    fn digests_of(&mut self, doc: Doc) -> &mut BTreeSet<Time> {
        let i = doc as usize;
        if self.digests.len() <= i {
            self.digests.resize_with(i + 1, BTreeSet::new);
        }
        &mut self.digests[i]
    }

    pub fn decide(&mut self, a: &Alert) -> Decision {
        let decision = self.choose(a);
        if let Delivery::Queue { at } = decision.delivery {
            let digests = self.digests_of(decision.to);
            // Digests already delivered are of no more use.
            while digests.first().is_some_and(|&d| d < a.time) {
                digests.pop_first();
            }
            digests.insert(at);
        }
        decision
    }

    fn choose(&self, a: &Alert) -> Decision {
        let t = a.time;
        let max_delay_s = match self.policy.urgency(self.kind_name(a.kind), a.priority) {
            Urgency::Critical(because) => {
                return self.interrupt(a, Reason::Critical { because });
            }
            Urgency::MayWait { max_delay_s } => max_delay_s.min(MAX_DELAY_S),
        };
        let slot = self.static_slot(a, max_delay_s);
        if self.mode == Mode::Static {
            return slot
                .unwrap_or_else(|| self.interrupt(a, Reason::NoDigestSoonEnough { max_delay_s }));
        }
        let subject = match (a.recipient, slot) {
            (Recipient::Physician(d), _) => Some(d),
            (Recipient::OnCall(_), Some(s)) => Some(s.to),
            (Recipient::OnCall(service), None) => self.schedule.covering(service, t),
        };
        let belief = subject.map_or(
            Belief {
                p_needed: 1.0,
                safe_delay_s: 0,
                recently_late: true,
            },
            |d| self.learner.belief(d, a.kind, a.priority, t),
        );
        let rarely_needed = belief.p_needed < RARELY_NEEDED && !belief.recently_late;
        let latest = if rarely_needed {
            t + max_delay_s
        } else {
            match slot {
                Some(s) => s.delivered_at(t),
                None => t + belief.safe_delay_s.min(max_delay_s),
            }
        };
        if let Some((at, to)) = self.digest_to_join(a, latest) {
            return Decision {
                to,
                delivery: Delivery::Queue { at },
                reason: Reason::Joined {
                    p_needed: belief.p_needed,
                },
            };
        }
        match slot {
            Some(s) if rarely_needed => {
                // Wait to the policy's limit, but deliver while the physician is on shift.
                let at = s.delivered_at(t);
                let until = self
                    .schedule
                    .on_duty(s.to, at)
                    .map_or(at, |shift| (t + max_delay_s).min(shift.end - 1));
                Decision {
                    delivery: Delivery::Queue { at: at.max(until) },
                    reason: Reason::CanWait {
                        p_needed: belief.p_needed,
                        max_delay_s,
                    },
                    ..s
                }
            }
            Some(s) => s,
            None => self.interrupt(a, Reason::NoDigestSoonEnough { max_delay_s }),
        }
    }

    /// What a decision about `a` weighed: the policy's limit, the static slot, and what the
    /// learner believes about the physician it concerns. Recorded with each live decision.
    pub fn inputs(&self, a: &Alert) -> Inputs {
        let max_delay_s = match self.policy.urgency(self.kind_name(a.kind), a.priority) {
            Urgency::Critical(_) => None,
            Urgency::MayWait { max_delay_s } => Some(max_delay_s.min(MAX_DELAY_S)),
        };
        let slot = max_delay_s.and_then(|m| self.static_slot(a, m));
        let subject = match (a.recipient, slot) {
            (Recipient::Physician(d), _) => Some(d),
            (Recipient::OnCall(_), Some(s)) => Some(s.to),
            (Recipient::OnCall(service), None) => self.schedule.covering(service, a.time),
        };
        let belief = subject.map(|d| self.learner.belief(d, a.kind, a.priority, a.time));
        Inputs {
            max_delay_s,
            static_slot_at: slot.map(|s| s.delivered_at(a.time)),
            p_needed: belief.map(|b| b.p_needed),
            safe_delay_s: belief.map(|b| b.safe_delay_s),
            recently_late: belief.is_some_and(|b| b.recently_late),
        }
    }

    /// Interrupts now: the named physician if on shift, else the covering physician.
    fn interrupt(&self, a: &Alert, reason: Reason) -> Decision {
        let t = a.time;
        let service = match a.recipient {
            Recipient::Physician(d) if self.schedule.on_duty(d, t).is_some() => {
                return Decision {
                    to: d,
                    delivery: Delivery::Interrupt,
                    reason,
                }
            }
            Recipient::Physician(_) => a.service,
            Recipient::OnCall(s) => s,
        };
        if let Some(to) = self.schedule.covering(service, t) {
            return Decision {
                to,
                delivery: Delivery::Interrupt,
                reason,
            };
        }
        let to = match a.recipient {
            Recipient::Physician(d) => d,
            Recipient::OnCall(s) => self.schedule.docs_of(s).first().copied().unwrap_or(0),
        };
        Decision {
            to,
            delivery: Delivery::Interrupt,
            reason: Reason::NobodyOnShift,
        }
    }

    /// Where static policy puts an alert that may wait, if it has a digest cadence.
    fn static_slot(&self, a: &Alert, max_delay_s: i64) -> Option<Decision> {
        let t = a.time;
        let cadence_s = self.policy.cadence_within(max_delay_s)?;
        let at = self.next_slot(t, cadence_s);
        let queue = |to, at, reason| Decision {
            to,
            delivery: Delivery::Queue { at },
            reason,
        };
        let digest = Reason::Digest { cadence_s };
        match a.recipient {
            Recipient::OnCall(service) => self
                .schedule
                .covering(service, at)
                .map(|to| queue(to, at, digest)),
            Recipient::Physician(d) => {
                if self.schedule.on_duty(d, t).is_some() && self.schedule.on_duty(d, at).is_some() {
                    return Some(queue(d, at, digest));
                }
                if let Some(next) = self.schedule.next_shift_start(d, t) {
                    if next - t <= max_delay_s {
                        return Some(queue(d, next, Reason::NextShift));
                    }
                }
                self.schedule
                    .covering(a.service, at)
                    .map(|to| queue(to, at, Reason::Covering))
            }
        }
    }

    /// The earliest digest in `[alert time, latest]` of a physician who may receive the
    /// alert and is on shift when it goes out: anyone of the service (for a named physician
    /// only them, when the organization turned team digests off).
    fn digest_to_join(&self, a: &Alert, latest: Time) -> Option<(Time, Doc)> {
        let t = a.time;
        let candidates: &[Doc] = match &a.recipient {
            Recipient::Physician(d) if !self.policy.team_digests => std::slice::from_ref(d),
            Recipient::Physician(_) => self.schedule.docs_of(a.service),
            Recipient::OnCall(service) => self.schedule.docs_of(*service),
        };
        let mut best: Option<(Time, Doc)> = None;
        for &doc in candidates {
            let Some(digests) = self.digests.get(doc as usize) else {
                continue;
            };
            let earliest = digests
                .range(t..=latest)
                .find(|&&at| self.schedule.on_duty(doc, at).is_some());
            if let Some(&at) = earliest {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, doc));
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn digest_slots_follow_the_organizations_clock_and_utc_is_unchanged() {
        let engine = || {
            Engine::new(
                Policy::new(HashMap::new()),
                Schedule::default(),
                Mode::Static,
            )
        };
        let ny = Zone::parse("America/New_York").unwrap();
        let at = |text: &str| ny.parse_local(text).unwrap() / 1000;
        // UTC: the epoch grid, as the replay protocol expects.
        let utc = engine();
        for t in [0, 1, 14_399, 14_400, 1_795_372_805] {
            assert_eq!(
                utc.next_slot(t, 14_400),
                (t.div_euclid(14_400) + 1) * 14_400
            );
        }
        // New York: a 4-hour digest at 08:00 and 12:00 local, in summer and in winter.
        let local = engine().with_zone(ny.clone());
        assert_eq!(
            local.next_slot(at("2026-07-01T07:10"), 14_400),
            at("2026-07-01T08:00")
        );
        assert_eq!(
            local.next_slot(at("2026-12-01T08:00"), 14_400),
            at("2026-12-01T12:00")
        );
        // Across the fall-back night a slot is never further than the cadence.
        for minutes in (0..600).step_by(7) {
            let t = at("2026-10-31T22:00") + minutes * 60;
            let slot = local.next_slot(t, 14_400);
            assert!(slot > t && slot <= t + 14_400, "{t} {slot}");
        }
    }
}
