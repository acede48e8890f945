//! An organization's delivery policy: how long each kind of alert may wait, which kinds
//! always interrupt, and the digest cadences that batch what can wait.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch.
pub type Time = i64;

/// Kinds that interrupt whatever the delay policy says: critical results, monitor alarms,
/// sepsis alerts. An organization can add its own; it cannot remove these.
pub const ALWAYS_INTERRUPT: &[&str] = &[
    "critical_lab",
    "critical_result",
    "critical_imaging",
    "monitor_alarm",
    "monitor_arrhythmia",
    "sepsis_alert",
    "rapid_response",
    "code_blue",
    "stroke_alert",
    "stemi_alert",
];

/// A digest shorter than this is no batch at all: such kinds are delivered now.
pub const SHORTEST_DIGEST_S: i64 = 120;

/// Digest grids, in seconds: a digest is delivered on a multiple of its cadence, so digests
/// of different kinds for one physician coincide.
pub const DEFAULT_DIGEST_CADENCES_S: &[i64] = &[900, 1800, 3600, 7200, 14400];

/// The priority the sender gave, as FHIR names them. HL7 and the replay protocol use
/// routine and urgent only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Routine,
    Urgent,
    Asap,
    Stat,
}

impl Priority {
    pub fn parse(s: &str) -> Option<Priority> {
        match s.trim().to_ascii_lowercase().as_str() {
            "routine" => Some(Priority::Routine),
            "urgent" => Some(Priority::Urgent),
            "asap" => Some(Priority::Asap),
            "stat" => Some(Priority::Stat),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Routine => "routine",
            Priority::Urgent => "urgent",
            Priority::Asap => "asap",
            Priority::Stat => "stat",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryPolicy {
    /// The longest an alert of this kind may wait before a physician sees it.
    pub max_delay_s: i64,
    /// Interrupts at once, always.
    #[serde(default)]
    pub always_interrupt: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub categories: HashMap<String, CategoryPolicy>,
    #[serde(default = "default_cadences")]
    pub digest_cadences_s: Vec<i64>,
    /// What may wait can join a digest a colleague of the same service, on shift, already
    /// gets: the team covers it, and nobody is buzzed for it alone.
    #[serde(default = "yes")]
    pub team_digests: bool,
    /// The escalation ladder: seconds after an unacknowledged interrupt at which it goes to
    /// the next physician (primary → backup → service lead …).
    #[serde(default = "default_escalation")]
    pub escalation_s: Vec<i64>,
    /// The last rung of the ladder: each service's lead (a physician's user id). Without
    /// one, escalation keeps going to the next physician of the service on shift.
    #[serde(default)]
    pub service_leads: HashMap<String, i64>,
    /// Which urgencies each practice team (`nursing`, `front_desk`, … and `physicians`)
    /// may choose when paging; `default` for a team not listed.
    #[serde(default = "default_page_urgencies")]
    pub page_urgencies: HashMap<String, Vec<PageUrgency>>,
    /// How interrupts reach the physician: channels per rung, the delivery timeout.
    #[serde(default)]
    pub reach: super::Reach,
}

/// How urgent a person says their page is. Each is a kind of alert the policy governs
/// like any other (`page_routine` may wait for a digest, `page_urgent` interrupts unless
/// the organization lets it wait) and stat always interrupts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageUrgency {
    Routine,
    Urgent,
    Stat,
}

impl PageUrgency {
    pub const ALL: [PageUrgency; 3] =
        [PageUrgency::Routine, PageUrgency::Urgent, PageUrgency::Stat];

    pub fn parse(s: &str) -> Option<PageUrgency> {
        PageUrgency::ALL
            .into_iter()
            .find(|u| u.as_str() == s.trim())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PageUrgency::Routine => "routine",
            PageUrgency::Urgent => "urgent",
            PageUrgency::Stat => "stat",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PageUrgency::Routine => "Routine: when they can",
            PageUrgency::Urgent => "Urgent: now",
            PageUrgency::Stat => "Stat: emergency",
        }
    }

    /// The kind of alert and the priority the engine sees.
    pub fn routing(self) -> (&'static str, Priority) {
        match self {
            PageUrgency::Routine => ("page_routine", Priority::Routine),
            PageUrgency::Urgent => ("page_urgent", Priority::Urgent),
            PageUrgency::Stat => ("page_stat", Priority::Stat),
        }
    }
}

fn default_page_urgencies() -> HashMap<String, Vec<PageUrgency>> {
    let all = PageUrgency::ALL.to_vec();
    let no_stat = vec![PageUrgency::Routine, PageUrgency::Urgent];
    HashMap::from([
        ("physicians".to_string(), all.clone()),
        ("app".to_string(), all.clone()),
        ("nursing".to_string(), all),
        ("default".to_string(), no_stat),
    ])
}

fn default_escalation() -> Vec<i64> {
    vec![300, 900, 1800]
}

fn yes() -> bool {
    true
}

fn default_cadences() -> Vec<i64> {
    DEFAULT_DIGEST_CADENCES_S.to_vec()
}

/// What policy says about one alert, before any learning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Must interrupt now; the reason names why.
    Critical(CriticalBecause),
    /// May wait up to this many seconds.
    MayWait { max_delay_s: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriticalBecause {
    CriticalKind,
    Stat,
    TooShortToBatch,
    NoPolicy,
}

impl Policy {
    pub fn new(categories: HashMap<String, CategoryPolicy>) -> Policy {
        Policy {
            categories,
            digest_cadences_s: default_cadences(),
            team_digests: true,
            escalation_s: default_escalation(),
            service_leads: HashMap::new(),
            page_urgencies: default_page_urgencies(),
            reach: super::Reach::default(),
        }
    }

    /// The urgencies a member of `team` may choose for a page.
    pub fn page_urgencies_for(&self, team: &str) -> &[PageUrgency] {
        self.page_urgencies
            .get(team)
            .or_else(|| self.page_urgencies.get("default"))
            .map_or(&[], Vec::as_slice)
    }

    /// Where an organization starts before its administrators edit the policy: the kinds
    /// of a hospital service and how long each may wait, in seconds.
    pub fn starting_point() -> Policy {
        let kinds: &[(&str, i64)] = &[
            ("critical_lab", 0),
            ("monitor_arrhythmia", 0),
            ("sepsis_alert", 0),
            ("page_urgent", 0),
            ("page_routine", 3600),
            ("nurse_clinical", 600),
            ("bed_management", 900),
            ("pharmacy_clarify", 1200),
            ("consult_request", 2400),
            ("nurse_fyi", 3000),
            ("abnormal_lab", 6 * 3600),
            ("inbasket_result", 11 * 3600),
            ("discharge_notice", 11 * 3600),
            ("admin_reminder", 24 * 3600),
        ];
        Policy::new(
            kinds
                .iter()
                .map(|&(name, max_delay_s)| {
                    (
                        name.to_string(),
                        CategoryPolicy {
                            max_delay_s,
                            always_interrupt: false,
                        },
                    )
                })
                .collect(),
        )
    }

    /// When the escalation after `step` rungs is due, counted from the alert, if any.
    pub fn escalation_after(&self, step: usize) -> Option<i64> {
        self.escalation_s.get(step).copied()
    }

    /// Is this kind always an interruption, by the built-in list or the organization's choice?
    pub fn is_critical_kind(&self, category: &str) -> bool {
        ALWAYS_INTERRUPT.contains(&category)
            || self
                .categories
                .get(category)
                .is_some_and(|c| c.always_interrupt)
    }

    /// The rule for one alert. A kind the policy does not name interrupts: an unknown feed
    /// is never silently held back.
    pub fn urgency(&self, category: &str, priority: Priority) -> Urgency {
        if self.is_critical_kind(category) {
            return Urgency::Critical(CriticalBecause::CriticalKind);
        }
        if priority == Priority::Stat {
            return Urgency::Critical(CriticalBecause::Stat);
        }
        match self.categories.get(category) {
            None => Urgency::Critical(CriticalBecause::NoPolicy),
            Some(c) if c.max_delay_s < SHORTEST_DIGEST_S => {
                Urgency::Critical(CriticalBecause::TooShortToBatch)
            }
            Some(c) => Urgency::MayWait {
                max_delay_s: c.max_delay_s,
            },
        }
    }

    /// The longest digest cadence that fits within `max_delay_s`, if any.
    pub fn cadence_within(&self, max_delay_s: i64) -> Option<i64> {
        self.digest_cadences_s
            .iter()
            .copied()
            .filter(|&c| c > 0 && c <= max_delay_s)
            .max()
    }

    /// Checks what an administrator submits: positive delays, at most 72 hours.
    pub fn validate(&self) -> Result<(), String> {
        for (name, c) in &self.categories {
            if name.trim().is_empty() || name.len() > 64 {
                return Err("a category needs a name of 1 to 64 characters".into());
            }
            if !(0..=MAX_DELAY_S).contains(&c.max_delay_s) {
                return Err(format!(
                    "{name}: the longest delay must be between 0 and {} hours",
                    MAX_DELAY_S / 3600
                ));
            }
        }
        if self.digest_cadences_s.iter().any(|&c| c < 60) {
            return Err("digest cadences are at least 60 seconds".into());
        }
        if self.escalation_s.windows(2).any(|w| w[1] <= w[0])
            || self.escalation_s.iter().any(|&s| s < 60)
        {
            return Err(
                "escalation steps are at least 60 seconds apart, in increasing order".into(),
            );
        }
        self.reach.validate()
    }
}

/// Nothing waits longer than three days.
pub const MAX_DELAY_S: i64 = 72 * 3600;

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy::new(HashMap::from([
            (
                "abnormal_lab".to_string(),
                CategoryPolicy {
                    max_delay_s: 6300,
                    always_interrupt: false,
                },
            ),
            (
                "critical_lab".to_string(),
                CategoryPolicy {
                    max_delay_s: 3600,
                    always_interrupt: false,
                },
            ),
            (
                "bed_alarm".to_string(),
                CategoryPolicy {
                    max_delay_s: 60,
                    always_interrupt: false,
                },
            ),
        ]))
    }

    #[test]
    fn critical_kinds_interrupt_whatever_their_delay_says() {
        let p = policy();
        assert_eq!(
            p.urgency("critical_lab", Priority::Routine),
            Urgency::Critical(CriticalBecause::CriticalKind)
        );
        assert_eq!(
            p.urgency("abnormal_lab", Priority::Stat),
            Urgency::Critical(CriticalBecause::Stat)
        );
        assert_eq!(
            p.urgency("bed_alarm", Priority::Routine),
            Urgency::Critical(CriticalBecause::TooShortToBatch)
        );
        assert_eq!(
            p.urgency("unheard_of", Priority::Routine),
            Urgency::Critical(CriticalBecause::NoPolicy)
        );
        assert_eq!(
            p.urgency("abnormal_lab", Priority::Urgent),
            Urgency::MayWait { max_delay_s: 6300 }
        );
    }

    #[test]
    fn the_cadence_is_the_longest_that_fits() {
        let p = policy();
        assert_eq!(p.cadence_within(6300), Some(3600));
        assert_eq!(p.cadence_within(900), Some(900));
        assert_eq!(p.cadence_within(600), None);
    }

    #[test]
    fn validation_names_the_problem() {
        let mut p = policy();
        assert!(p.validate().is_ok());
        p.categories.insert(
            "forever".into(),
            CategoryPolicy {
                max_delay_s: MAX_DELAY_S + 1,
                always_interrupt: false,
            },
        );
        assert!(p.validate().unwrap_err().contains("forever"));
    }

    #[test]
    fn page_urgencies_follow_the_team_and_survive_older_policies() {
        let p = Policy::starting_point();
        assert_eq!(p.page_urgencies_for("nursing"), PageUrgency::ALL);
        assert_eq!(
            p.page_urgencies_for("billing"),
            [PageUrgency::Routine, PageUrgency::Urgent]
        );
        // A policy saved before pages existed reads with the defaults.
        let older: Policy = serde_json::from_str(r#"{"categories":{}}"#).unwrap();
        assert_eq!(older.page_urgencies_for("front_desk").len(), 2);
        assert_eq!(PageUrgency::parse("stat"), Some(PageUrgency::Stat));
        assert_eq!(PageUrgency::Stat.routing().1, Priority::Stat);
        // Stat pages interrupt whatever the policy says; urgent ones by the starting point.
        assert!(matches!(
            p.urgency("page_stat", Priority::Stat),
            Urgency::Critical(_)
        ));
        assert!(matches!(
            p.urgency("page_urgent", Priority::Urgent),
            Urgency::Critical(_)
        ));
        assert!(matches!(
            p.urgency("page_routine", Priority::Routine),
            Urgency::MayWait { .. }
        ));
    }
}
