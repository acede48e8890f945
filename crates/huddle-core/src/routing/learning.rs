//! What routing learns from how physicians respond. Three signals physicians give anyway:
//! whether an alert needed them (they acted or deferred, or they dismissed it), how long
//! they took once they saw it, and whether they were told too late. Evidence fades with a
//! half-life, so the model follows behaviour that drifts, and it starts cold from the
//! category's and the organization's experience.

use std::collections::HashMap;

use super::policy::{Priority, Time};
use super::schedule::Doc;

/// Evidence loses half its weight in this time.
pub const HALF_LIFE_S: f64 = 7.0 * 86_400.0;
/// How many pseudo-observations the level above is worth when the level below is thin.
const PRIOR_WEIGHT: f64 = 4.0;
/// Latencies remembered per physician and kind, and per kind.
const LATENCIES: usize = 48;
/// A physician's own latencies count once there are this many; before, the kind's do.
const OWN_LATENCIES: usize = 5;
const KIND_LATENCIES: usize = 20;

pub type Kind = u32;

/// How a physician answered an alert once they saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Acted,
    Deferred,
    Dismissed,
}

impl Outcome {
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "acted" => Some(Outcome::Acted),
            "deferred" => Some(Outcome::Deferred),
            "dismissed" => Some(Outcome::Dismissed),
            _ => None,
        }
    }

    /// Acting and deferring both say the alert needed the physician.
    pub fn needed_action(self) -> bool {
        self != Outcome::Dismissed
    }
}

/// A physician's correction of a decision, from the alert inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correction {
    ShouldHaveReachedMeSooner,
    CouldHaveWaited,
}

/// A decaying count: `hits` of `total`, both faded to `at`.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    hits: f64,
    total: f64,
    at: Time,
}

impl Tally {
    fn add(&mut self, hit: bool, t: Time) {
        let fade = fade(self.at, t);
        self.hits = self.hits * fade + f64::from(u8::from(hit));
        self.total = self.total * fade + 1.0;
        self.at = self.at.max(t);
    }

    /// The rate, shrunk toward `prior` when there is little evidence.
    fn rate(&self, prior: f64, t: Time) -> f64 {
        let fade = fade(self.at, t);
        (self.hits * fade + PRIOR_WEIGHT * prior) / (self.total * fade + PRIOR_WEIGHT)
    }

    fn weight(&self, t: Time) -> f64 {
        self.hits * fade(self.at, t)
    }
}

fn fade(from: Time, to: Time) -> f64 {
    if to <= from {
        return 1.0;
    }
    (0.5f64).powf((to - from) as f64 / HALF_LIFE_S)
}

/// The most recent latencies, in seconds.
#[derive(Debug, Clone)]
struct Recent {
    values: [u32; LATENCIES],
    len: usize,
    next: usize,
}

impl Default for Recent {
    fn default() -> Recent {
        Recent {
            values: [0; LATENCIES],
            len: 0,
            next: 0,
        }
    }
}

impl Recent {
    fn push(&mut self, v: i64) {
        self.values[self.next] = v.clamp(0, i64::from(u32::MAX)) as u32;
        self.next = (self.next + 1) % LATENCIES;
        self.len = (self.len + 1).min(LATENCIES);
    }

    fn slowest(&self) -> i64 {
        i64::from(self.values[..self.len].iter().copied().max().unwrap_or(0))
    }
}

#[derive(Debug, Default, Clone)]
struct PerKind {
    needed: Tally,
    latencies: Recent,
    /// The longest an alert of this kind waited (from arrival to action) and was still on time.
    on_time_max: i64,
    /// The shortest wait after which an alert of this kind was acted on too late.
    late_min: Option<i64>,
}

#[derive(Debug, Default, Clone)]
struct PerDoc {
    needed: Tally,
    latencies: Recent,
    /// "Too late" feedback and "should have reached me sooner" corrections.
    too_late: Tally,
}

/// One observation: a physician's answer to an alert they saw.
#[derive(Debug, Clone, Copy)]
pub struct Response {
    pub doc: Doc,
    pub kind: Kind,
    pub priority: Priority,
    /// When the alert arrived, when the physician saw it, when they answered.
    pub arrived: Time,
    pub seen: Time,
    pub answered: Time,
    pub outcome: Outcome,
    pub late: bool,
}

/// What the learner believes about one physician and kind of alert, for a decision's record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Belief {
    /// The chance this alert needs the physician.
    pub p_needed: f64,
    /// How long it can wait before the physician's usual pace makes it late; 0 when unknown.
    pub safe_delay_s: i64,
    /// The physician said recently that this kind reached them too late.
    pub recently_late: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Learner {
    organization: Tally,
    kinds: HashMap<Kind, PerKind>,
    docs: HashMap<(Doc, Kind, Priority), PerDoc>,
}

impl Learner {
    pub fn observe(&mut self, r: Response) {
        let needed = r.outcome.needed_action();
        self.organization.add(needed, r.answered);
        let kind = self.kinds.entry(r.kind).or_default();
        kind.needed.add(needed, r.answered);
        let doc = self.docs.entry((r.doc, r.kind, r.priority)).or_default();
        doc.needed.add(needed, r.answered);
        if needed {
            let latency = r.answered - r.seen;
            kind.latencies.push(latency);
            doc.latencies.push(latency);
            let waited = r.answered - r.arrived;
            if r.late {
                kind.late_min = Some(kind.late_min.map_or(waited, |m| m.min(waited)));
            } else {
                kind.on_time_max = kind.on_time_max.max(waited);
            }
        }
        if r.late {
            doc.too_late.add(true, r.answered);
        }
    }

    pub fn correct(
        &mut self,
        doc: Doc,
        kind: Kind,
        priority: Priority,
        correction: Correction,
        t: Time,
    ) {
        let d = self.docs.entry((doc, kind, priority)).or_default();
        match correction {
            Correction::ShouldHaveReachedMeSooner => {
                d.too_late.add(true, t);
                d.needed.add(true, t);
            }
            Correction::CouldHaveWaited => d.needed.add(false, t),
        }
    }

    pub fn belief(&self, doc: Doc, kind: Kind, priority: Priority, t: Time) -> Belief {
        let organization = self.organization.rate(0.5, t);
        let per_kind = self.kinds.get(&kind);
        let kind_rate = per_kind.map_or(organization, |k| k.needed.rate(organization, t));
        let per_doc = self.docs.get(&(doc, kind, priority));
        let p_needed = per_doc.map_or(kind_rate, |d| d.needed.rate(kind_rate, t));
        let recently_late = per_doc.is_some_and(|d| d.too_late.weight(t) >= 0.5);
        let safe_delay_s = match per_kind {
            Some(k) if !recently_late => {
                let slowest = match per_doc {
                    Some(d) if d.latencies.len >= OWN_LATENCIES => Some(d.latencies.slowest()),
                    _ if k.latencies.len >= KIND_LATENCIES => Some(k.latencies.slowest()),
                    _ => None,
                };
                // The deadline is hidden; the longest on-time wait bounds it from below
                // and the shortest late one from above.
                let deadline = k.late_min.map_or(k.on_time_max, |l| l.min(k.on_time_max));
                slowest.map_or(0, |s| (deadline - s).max(0))
            }
            _ => 0,
        };
        Belief {
            p_needed,
            safe_delay_s,
            recently_late,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(doc: Doc, outcome: Outcome, t: Time) -> Response {
        Response {
            doc,
            kind: 1,
            priority: Priority::Routine,
            arrived: t,
            seen: t,
            answered: t + 60,
            outcome,
            late: false,
        }
    }

    #[test]
    fn learns_per_physician_what_needs_them() {
        let mut l = Learner::default();
        for i in 0..30 {
            l.observe(response(1, Outcome::Dismissed, i * 100));
            l.observe(response(2, Outcome::Acted, i * 100));
        }
        let t = 3000;
        assert!(l.belief(1, 1, Priority::Routine, t).p_needed < 0.2);
        assert!(l.belief(2, 1, Priority::Routine, t).p_needed > 0.8);
        // A newcomer starts from the kind's experience, half and half here.
        let newcomer = l.belief(3, 1, Priority::Routine, t).p_needed;
        assert!((0.4..0.6).contains(&newcomer), "{newcomer}");
    }

    #[test]
    fn old_evidence_fades_so_drift_is_followed() {
        let mut l = Learner::default();
        for i in 0..40 {
            l.observe(response(1, Outcome::Dismissed, i * 100));
        }
        let later = 30 * 86_400;
        for i in 0..10 {
            l.observe(response(1, Outcome::Acted, later + i * 100));
        }
        assert!(l.belief(1, 1, Priority::Routine, later + 1000).p_needed > 0.6);
    }

    #[test]
    fn a_late_answer_or_a_sooner_correction_stops_waiting() {
        let mut l = Learner::default();
        for i in 0..30 {
            l.observe(response(1, Outcome::Acted, i * 100));
        }
        let b = l.belief(1, 1, Priority::Routine, 3000);
        assert!(!b.recently_late);
        assert_eq!(b.safe_delay_s, 0, "every on-time wait was its own latency");
        l.correct(
            1,
            1,
            Priority::Routine,
            Correction::ShouldHaveReachedMeSooner,
            3100,
        );
        assert!(l.belief(1, 1, Priority::Routine, 3200).recently_late);
    }

    #[test]
    fn safe_delay_is_the_deadline_seen_so_far_less_the_slowest_answer() {
        let mut l = Learner::default();
        for i in 0..30 {
            // Answered 60 s after being seen, 900 s after arrival, on time.
            l.observe(Response {
                seen: i * 1000 + 840,
                answered: i * 1000 + 900,
                arrived: i * 1000,
                ..response(1, Outcome::Acted, 0)
            });
        }
        assert_eq!(l.belief(1, 1, Priority::Routine, 40_000).safe_delay_s, 840);
    }
}
