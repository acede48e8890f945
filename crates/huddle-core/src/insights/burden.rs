//! Routing's interruption burden as insights keeps it: per physician for one closed
//! month, counting only physicians who worked a shift starting in that month, then
//! de-identified like a check-in contribution.

use super::{BurdenContribution, Period};
use crate::routing::metrics::{report, Burden, Delivered, Worked};

/// Who a row belongs to, de-identified: a keyed pseudonym and the groups they count in.
#[derive(Debug, Clone, PartialEq)]
pub struct Deidentified {
    pub pseudonym: i64,
    pub department_id: Option<i64>,
    pub specialty: String,
    pub role: String,
}

/// Each physician's burden in `period` (by user id): the shifts that start in the month,
/// and what was delivered to them. Physicians without such a shift have no row.
pub fn month_burden(
    period: Period,
    delivered: &[Delivered],
    worked: &[Worked],
) -> Vec<(i64, Burden)> {
    // Shift and delivery times are in seconds; a month's bounds are whole seconds.
    let (from, until) = (period.start() / 1000, period.end() / 1000);
    let in_month: Vec<Worked> = worked
        .iter()
        .filter(|w| w.start >= from && w.start < until)
        .cloned()
        .collect();
    report(delivered, &in_month)
        .by_physician
        .into_iter()
        .filter(|(_, b)| b.shifts > 0)
        .collect()
}

impl BurdenContribution {
    pub fn of(period: Period, who: Deidentified, b: &Burden) -> BurdenContribution {
        BurdenContribution {
            period,
            pseudonym: who.pseudonym,
            department_id: who.department_id,
            specialty: who.specialty,
            role: who.role,
            shifts: b.shifts as i64,
            notifications_per_shift: b.notifications_per_shift,
            false_positive_share: b.false_positive_share,
            after_hours: b.after_hours as i64,
            median_ack_s: b.median_ack_s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(physician: i64, start: i64) -> Worked {
        Worked {
            physician,
            service: "cardiology".into(),
            start,
            end: start + 12 * 3600,
        }
    }

    #[test]
    fn only_physicians_with_a_shift_starting_in_the_month_count() {
        let march = Period::parse("2026-03").unwrap();
        let (start, end) = (march.start() / 1000, march.end() / 1000);
        let worked = [
            shift(1, start),
            shift(2, start - 3600),
            shift(3, end),
            shift(1, end - 3600),
        ];
        let delivered = [Delivered {
            physician: 1,
            service: "cardiology".into(),
            interrupt: true,
            delivered_at: start + 60,
            needed: Some(true),
            acknowledged_at: Some(start + 120),
        }];
        let rows = month_burden(march, &delivered, &worked);
        assert_eq!(
            rows.iter()
                .map(|(id, b)| (*id, b.shifts))
                .collect::<Vec<_>>(),
            vec![(1, 2)],
            "the shift before and the one after the month do not count"
        );
        let who = Deidentified {
            pseudonym: 42,
            department_id: Some(3),
            specialty: String::new(),
            role: "physician".into(),
        };
        let row = BurdenContribution::of(march, who, &rows[0].1);
        assert_eq!(
            (row.pseudonym, row.shifts, row.median_ack_s),
            (42, 2, Some(60))
        );
    }
}
