//! Insights: what leaders may see. De-identified, monthly aggregates of well-being screens,
//! Work Environment Pulse drivers and routing's interruption burden, protected by the
//! method in [`privacy`] (documented in docs/insights.md); the drivers framed by the
//! National Academy of Medicine's model ([`nam`]); interventions and their durability
//! ([`interventions`], planned in [`plan`], read against the tables in [`evaluation`]); and the cost of
//! burnout-related turnover ([`turnover`]). [`tables`] computes every metric's protected
//! table for an organization and [`views`] reads them as rows, trends and drivers.

pub mod burden;
pub mod evaluation;
pub mod interventions;
pub mod nam;
pub mod plan;
pub mod privacy;
pub mod tables;
pub mod turnover;
pub mod views;

use std::fmt;

use crate::clock::{format_rfc3339, parse_rfc3339, Millis};
use crate::wellbeing::{InstrumentId, Scored};

/// A calendar month (UTC), counted as `year * 12 + month - 1` so months subtract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period(i64);

impl Period {
    pub fn new(year: i64, month: i64) -> Option<Period> {
        ((1..=12).contains(&month) && (1970..=9999).contains(&year))
            .then_some(Period(year * 12 + month - 1))
    }

    /// `2026-11`.
    pub fn parse(s: &str) -> Option<Period> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        Period::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn of(at: Millis) -> Period {
        let text = format_rfc3339(at);
        Period::parse(text.get(..7).unwrap_or("1970-01")).unwrap_or(Period(1970 * 12))
    }

    /// The stored form: months since year 0.
    pub fn index(self) -> i64 {
        self.0
    }

    pub fn from_index(i: i64) -> Period {
        Period(i)
    }

    pub fn year(self) -> i64 {
        self.0.div_euclid(12)
    }

    pub fn month(self) -> i64 {
        self.0.rem_euclid(12) + 1
    }

    pub fn plus(self, months: i64) -> Period {
        Period(self.0 + months)
    }

    pub fn months_since(self, earlier: Period) -> i64 {
        self.0 - earlier.0
    }

    pub fn start(self) -> Millis {
        parse_rfc3339(&format!(
            "{:04}-{:02}-01T00:00:00Z",
            self.year(),
            self.month()
        ))
        .unwrap_or(0)
    }

    pub fn end(self) -> Millis {
        self.plus(1).start()
    }

    /// Short label for charts: `Nov 26`.
    pub fn short(self) -> String {
        const M: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!(
            "{} {:02}",
            M[self.0.rem_euclid(12) as usize],
            self.year().rem_euclid(100)
        )
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// How cells are grouped. Every contributor is in exactly one group of each dimension
/// (an unknown department or specialty is a group of its own), so each dimension
/// partitions the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    Organization,
    Department,
    Specialty,
    Role,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Organization,
        Dimension::Department,
        Dimension::Specialty,
        Dimension::Role,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Organization => "organization",
            Dimension::Department => "department",
            Dimension::Specialty => "specialty",
            Dimension::Role => "role",
        }
    }

    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// The Work Environment Pulse drivers (the `work-pulse` instrument's items), in order.
pub const DRIVERS: [&str; 9] = [
    "workload",
    "documentation",
    "after-hours",
    "interruptions",
    "schedule-control",
    "teamwork",
    "values",
    "leadership",
    "isolation",
];

/// Where a metric's numbers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// De-identified check-in contributions.
    Survey,
    /// Routing's per-physician monthly burden.
    Routing,
}

/// How a metric's value is formed from each contributor's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Share of contributors (0–1) for whom the value is 1.
    Proportion,
    /// Mean of the contributors' values, each clamped to `min..=max`.
    Mean { min: f64, max: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    /// Respondents over the group's current headcount.
    Participation,
    Burnout,
    DepressionPositive,
    AnxietyPositive,
    /// Mean Work Environment Pulse score (1–5, higher weighs more) of `DRIVERS[i]`.
    Driver(usize),
    NotificationsPerShift,
    FalsePositiveShare,
    /// Notifications per physician per month that reached them off shift.
    AfterHoursNotifications,
    /// Median seconds to acknowledge an interrupt, averaged over physicians.
    TimeToAcknowledge,
}

impl Metric {
    pub fn all() -> Vec<Metric> {
        let mut all = vec![
            Metric::Participation,
            Metric::Burnout,
            Metric::DepressionPositive,
            Metric::AnxietyPositive,
        ];
        all.extend((0..DRIVERS.len()).map(Metric::Driver));
        all.extend([
            Metric::NotificationsPerShift,
            Metric::FalsePositiveShare,
            Metric::AfterHoursNotifications,
            Metric::TimeToAcknowledge,
        ]);
        all
    }

    pub fn key(self) -> String {
        match self {
            Metric::Participation => "participation".into(),
            Metric::Burnout => "burnout".into(),
            Metric::DepressionPositive => "depression_positive".into(),
            Metric::AnxietyPositive => "anxiety_positive".into(),
            Metric::Driver(i) => format!("driver:{}", DRIVERS.get(i).copied().unwrap_or("?")),
            Metric::NotificationsPerShift => "notifications_per_shift".into(),
            Metric::FalsePositiveShare => "false_positive_share".into(),
            Metric::AfterHoursNotifications => "after_hours_notifications".into(),
            Metric::TimeToAcknowledge => "time_to_acknowledge".into(),
        }
    }

    pub fn parse(s: &str) -> Option<Metric> {
        let s = s.trim();
        if let Some(name) = s.strip_prefix("driver:") {
            return DRIVERS.iter().position(|d| *d == name).map(Metric::Driver);
        }
        Metric::all().into_iter().find(|m| m.key() == s)
    }

    pub fn label(self) -> String {
        match self {
            Metric::Participation => "Participation".into(),
            Metric::Burnout => "Burnout prevalence".into(),
            Metric::DepressionPositive => "Depression screen positive".into(),
            Metric::AnxietyPositive => "Anxiety screen positive".into(),
            Metric::Driver(i) => format!(
                "Driver: {}",
                DRIVERS.get(i).copied().unwrap_or("?").replace('-', " ")
            ),
            Metric::NotificationsPerShift => "Notifications per shift".into(),
            Metric::FalsePositiveShare => "False-positive share".into(),
            Metric::AfterHoursNotifications => "After-hours notifications per month".into(),
            Metric::TimeToAcknowledge => "Time to acknowledge (s)".into(),
        }
    }

    pub fn source(self) -> Source {
        match self {
            Metric::NotificationsPerShift
            | Metric::FalsePositiveShare
            | Metric::AfterHoursNotifications
            | Metric::TimeToAcknowledge => Source::Routing,
            _ => Source::Survey,
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Metric::Participation
            | Metric::Burnout
            | Metric::DepressionPositive
            | Metric::AnxietyPositive => Kind::Proportion,
            Metric::Driver(_) => Kind::Mean { min: 1.0, max: 5.0 },
            Metric::NotificationsPerShift => Kind::Mean {
                min: 0.0,
                max: 50.0,
            },
            Metric::FalsePositiveShare => Kind::Mean { min: 0.0, max: 1.0 },
            Metric::AfterHoursNotifications => Kind::Mean {
                min: 0.0,
                max: 300.0,
            },
            Metric::TimeToAcknowledge => Kind::Mean {
                min: 0.0,
                max: 3600.0,
            },
        }
    }

    /// Depression and anxiety screens take the larger minimum group size.
    pub fn sensitive(self) -> bool {
        matches!(self, Metric::DepressionPositive | Metric::AnxietyPositive)
    }

    /// Higher is worse (burnout, burden); participation is the one where higher is better.
    pub fn higher_is_worse(self) -> bool {
        self != Metric::Participation
    }
}

/// One clinician's de-identified contribution for one month, as stored: no user id, no
/// item 9, no answers; only screen outcomes and driver scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub period: Period,
    /// Keyed hash of the person within the organization (de-duplicates participation and
    /// lets the privacy rules compare group memberships); never shown.
    pub pseudonym: i64,
    pub department_id: Option<i64>,
    /// NUCC code, or empty.
    pub specialty: String,
    /// `physician`, a staff team (`nursing`, …) or `clinician`.
    pub role: String,
    pub burnout: Option<bool>,
    pub depression: Option<bool>,
    pub anxiety: Option<bool>,
    /// Pulse scores in `DRIVERS` order (0 = not answered).
    pub drivers: [u8; 9],
}

impl Contribution {
    /// Drivers as stored: `workload=4,documentation=3,…` (answered ones only).
    pub fn drivers_text(&self) -> String {
        DRIVERS
            .iter()
            .zip(self.drivers)
            .filter(|(_, v)| *v > 0)
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn parse_drivers(text: &str) -> [u8; 9] {
        let mut out = [0u8; 9];
        for part in text.split(',') {
            if let Some((k, v)) = part.split_once('=') {
                if let (Some(i), Ok(v)) = (DRIVERS.iter().position(|d| *d == k), v.parse::<u8>()) {
                    if (1..=5).contains(&v) {
                        out[i] = v;
                    }
                }
            }
        }
        out
    }

    /// This contribution's value for a survey metric (None: not answered).
    pub fn value(&self, metric: Metric) -> Option<f64> {
        let b = |x: Option<bool>| x.map(|v| if v { 1.0 } else { 0.0 });
        match metric {
            Metric::Participation => Some(1.0),
            Metric::Burnout => b(self.burnout),
            Metric::DepressionPositive => b(self.depression),
            Metric::AnxietyPositive => b(self.anxiety),
            Metric::Driver(i) => self
                .drivers
                .get(i)
                .filter(|v| **v > 0)
                .map(|v| f64::from(*v)),
            _ => None,
        }
    }
}

/// A response's Work Environment Pulse scores in `DRIVERS` order (0 = not answered);
/// only the pulse has any. These, with the screen outcomes
/// (`wellbeing::screening::outcomes`), are all a response adds to the month's row.
pub fn pulse_drivers(result: &Scored) -> [u8; 9] {
    let mut drivers = [0u8; 9];
    if result.instrument_id() != Some(InstrumentId::WorkPulse) {
        return drivers;
    }
    for (i, name) in DRIVERS.iter().enumerate() {
        let key = format!("pulse_{}", name.replace('-', "_"));
        if let Some(v) = result.scores.get(&key) {
            drivers[i] = (*v as i64).clamp(0, 5) as u8;
        }
    }
    drivers
}

/// One physician's interruption burden for one month, de-identified like a contribution.
#[derive(Debug, Clone, PartialEq)]
pub struct BurdenContribution {
    pub period: Period,
    pub pseudonym: i64,
    pub department_id: Option<i64>,
    pub specialty: String,
    pub role: String,
    pub shifts: i64,
    pub notifications_per_shift: f64,
    pub false_positive_share: f64,
    pub after_hours: i64,
    pub median_ack_s: Option<i64>,
}

impl BurdenContribution {
    pub fn value(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::NotificationsPerShift => Some(self.notifications_per_shift),
            Metric::FalsePositiveShare => Some(self.false_positive_share),
            Metric::AfterHoursNotifications => Some(self.after_hours as f64),
            Metric::TimeToAcknowledge => self.median_ack_s.map(|s| s as f64),
            _ => None,
        }
    }
}

/// The role group a person counts in: physicians, practice staff by team (`nursing`, …,
/// or `clinician` without one), everyone else as `other`.
pub fn role_group(roles: &crate::identity::Roles, team: &str) -> String {
    use crate::identity::Role;
    if roles.has(Role::Physician) {
        "physician".into()
    } else if !roles.has(Role::Clinician) {
        "other".into()
    } else if team.trim().is_empty() {
        "clinician".into()
    } else {
        team.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_count_and_print() {
        let p = Period::parse("2026-11").unwrap();
        assert_eq!(p.to_string(), "2026-11");
        assert_eq!(p.plus(2).to_string(), "2027-01");
        assert_eq!(p.plus(-11).to_string(), "2025-12");
        assert_eq!(Period::of(p.start()), p);
        assert_eq!(Period::of(p.end() - 1), p);
        assert_eq!(p.short(), "Nov 26");
        for bad in ["2026-13", "2026-1", "26-11", "x", "2026-00"] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn metrics_round_trip_their_keys() {
        for m in Metric::all() {
            assert_eq!(Metric::parse(&m.key()), Some(m));
        }
        assert_eq!(Metric::parse("driver:workload"), Some(Metric::Driver(0)));
        assert!(Metric::parse("driver:nope").is_none());
        assert!(Metric::parse("phq9_item9").is_none());
        assert!(Metric::DepressionPositive.sensitive() && !Metric::Burnout.sensitive());
    }

    #[test]
    fn only_the_pulse_gives_driver_scores() {
        let mut pulse = Scored {
            instrument: "work-pulse".into(),
            scores: [("pulse_workload", 4.0), ("pulse_after_hours", 9.0)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            bands: Default::default(),
            self_harm: false,
        };
        let drivers = pulse_drivers(&pulse);
        assert_eq!((drivers[0], drivers[2], drivers[1]), (4, 5, 0));
        pulse.instrument = "phq-2".into();
        assert_eq!(pulse_drivers(&pulse), [0; 9]);
    }

    #[test]
    fn drivers_are_stored_as_text() {
        let mut c = Contribution {
            period: Period::parse("2026-01").unwrap(),
            pseudonym: 1,
            department_id: None,
            specialty: String::new(),
            role: "physician".into(),
            burnout: Some(true),
            depression: None,
            anxiety: Some(false),
            drivers: [0; 9],
        };
        c.drivers[0] = 4;
        c.drivers[8] = 2;
        assert_eq!(c.drivers_text(), "workload=4,isolation=2");
        assert_eq!(Contribution::parse_drivers(&c.drivers_text()), c.drivers);
        assert_eq!(Contribution::parse_drivers("workload=9,bogus=3"), [0; 9]);
        assert_eq!(c.value(Metric::Burnout), Some(1.0));
        assert_eq!(c.value(Metric::DepressionPositive), None);
        assert_eq!(c.value(Metric::Driver(1)), None);
        assert_eq!(c.value(Metric::Driver(8)), Some(2.0));
    }
}
