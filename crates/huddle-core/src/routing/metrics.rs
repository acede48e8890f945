//! Interruption burden, per physician and per service: notifications per shift, the share
//! that needed nothing, notifications off shift, and time to acknowledge. The routing report
//! shows them; insights will show them to leaders as an objective driver.

use std::collections::BTreeMap;

use serde::Serialize;

use super::policy::Time;

/// One delivered alert, as the burden is counted from it.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub physician: i64,
    pub service: String,
    pub interrupt: bool,
    pub delivered_at: Time,
    /// Acted or deferred (true), dismissed (false), not answered yet (None).
    pub needed: Option<bool>,
    pub acknowledged_at: Option<Time>,
}

/// One worked shift.
#[derive(Debug, Clone)]
pub struct Worked {
    pub physician: i64,
    pub service: String,
    pub start: Time,
    pub end: Time,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Burden {
    pub shifts: u64,
    /// Interrupts, plus digests (all alerts delivered to one physician at one moment).
    pub notifications: u64,
    pub notifications_per_shift: f64,
    /// Notifications in which every answered alert was dismissed, over notifications with
    /// an answer.
    pub false_positive_share: f64,
    /// Notifications that reached the physician while off shift.
    pub after_hours: u64,
    /// Median seconds from an interrupt to its acknowledgement.
    pub median_ack_s: Option<i64>,
}

/// Burden per physician and per service.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub by_physician: BTreeMap<i64, Burden>,
    pub by_service: BTreeMap<String, Burden>,
}

#[derive(Default)]
struct Tally {
    shifts: u64,
    notifications: u64,
    answered: u64,
    false_positive: u64,
    after_hours: u64,
    acks: Vec<i64>,
}

impl Tally {
    fn burden(mut self) -> Burden {
        self.acks.sort_unstable();
        Burden {
            shifts: self.shifts,
            notifications: self.notifications,
            notifications_per_shift: round2(self.notifications as f64 / self.shifts.max(1) as f64),
            false_positive_share: round2(self.false_positive as f64 / self.answered.max(1) as f64),
            after_hours: self.after_hours,
            median_ack_s: self.acks.get(self.acks.len() / 2).copied(),
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn report(delivered: &[Delivered], worked: &[Worked]) -> Report {
    let mut docs: BTreeMap<i64, Tally> = BTreeMap::new();
    let mut services: BTreeMap<String, Tally> = BTreeMap::new();
    for w in worked {
        docs.entry(w.physician).or_default().shifts += 1;
        services.entry(w.service.clone()).or_default().shifts += 1;
    }
    let on_shift = |physician: i64, at: Time| {
        worked
            .iter()
            .any(|w| w.physician == physician && w.start <= at && at < w.end)
    };
    // A notification: each interrupt alone, each digest (physician, moment) once.
    let mut notifications: BTreeMap<(i64, Time, usize), Vec<&Delivered>> = BTreeMap::new();
    for (i, d) in delivered.iter().enumerate() {
        let key = if d.interrupt {
            (d.physician, d.delivered_at, i + 1)
        } else {
            (d.physician, d.delivered_at, 0)
        };
        notifications.entry(key).or_default().push(d);
    }
    for ((physician, at, _), items) in notifications {
        let service = items[0].service.clone();
        let answered: Vec<bool> = items.iter().filter_map(|d| d.needed).collect();
        let off = !on_shift(physician, at);
        for tally in [
            docs.entry(physician).or_default(),
            services.entry(service).or_default(),
        ] {
            tally.notifications += 1;
            if !answered.is_empty() {
                tally.answered += 1;
                tally.false_positive += u64::from(answered.iter().all(|n| !n));
            }
            tally.after_hours += u64::from(off);
            for d in &items {
                if let (true, Some(ack)) = (d.interrupt, d.acknowledged_at) {
                    tally.acks.push(ack - d.delivered_at);
                }
            }
        }
    }
    Report {
        by_physician: docs.into_iter().map(|(k, t)| (k, t.burden())).collect(),
        by_service: services.into_iter().map(|(k, t)| (k, t.burden())).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(
        physician: i64,
        interrupt: bool,
        at: Time,
        needed: Option<bool>,
        ack: Option<Time>,
    ) -> Delivered {
        Delivered {
            physician,
            service: "medicine".into(),
            interrupt,
            delivered_at: at,
            needed,
            acknowledged_at: ack,
        }
    }

    #[test]
    fn counts_notifications_false_positives_after_hours_and_acks() {
        let worked = vec![
            Worked {
                physician: 1,
                service: "medicine".into(),
                start: 0,
                end: 1000,
            },
            Worked {
                physician: 1,
                service: "medicine".into(),
                start: 2000,
                end: 3000,
            },
        ];
        let delivered = vec![
            // Two interrupts: one needed (acknowledged after 30 s), one dismissed.
            d(1, true, 100, Some(true), Some(130)),
            d(1, true, 200, Some(false), Some(290)),
            // One digest of three alerts, one needed: not a false positive.
            d(1, false, 500, Some(false), None),
            d(1, false, 500, Some(true), None),
            d(1, false, 500, None, None),
            // A digest off shift, all dismissed.
            d(1, false, 1500, Some(false), None),
        ];
        let r = report(&delivered, &worked);
        let b = &r.by_physician[&1];
        assert_eq!(b.shifts, 2);
        assert_eq!(b.notifications, 4);
        assert_eq!(b.notifications_per_shift, 2.0);
        assert_eq!(b.false_positive_share, 0.5);
        assert_eq!(b.after_hours, 1);
        assert_eq!(b.median_ack_s, Some(90));
        assert_eq!(r.by_service["medicine"].notifications, 4);
    }

    /// A night shift entered as 19:00 to 07:00 local over the US fall-back night lasts 13
    /// hours: a page at 06:30 EST is during the shift, not after hours.
    #[test]
    fn after_hours_follow_the_local_clock_across_daylight_saving() {
        let ny = crate::clock::Zone::parse("America/New_York").unwrap_or_default();
        let at = |text: &str| ny.parse_local(text).unwrap_or_default() / 1000;
        let worked = vec![Worked {
            physician: 1,
            service: "medicine".into(),
            start: at("2026-10-31T19:00"),
            end: at("2026-11-01T07:00"),
        }];
        assert_eq!(worked[0].end - worked[0].start, 13 * 3600);
        let delivered = vec![
            d(1, true, at("2026-11-01T06:30"), Some(true), None),
            d(1, true, at("2026-11-01T07:30"), Some(true), None),
        ];
        let r = report(&delivered, &worked);
        assert_eq!(r.by_physician[&1].notifications, 2);
        assert_eq!(r.by_physician[&1].after_hours, 1);
    }
}
