//! How an interrupt reaches the physician and how Huddle knows it did: which channels carry
//! it at each rung of the escalation ladder, how long a device has to confirm it arrived
//! before the alert moves on, and what a lock screen may say.

use serde::{Deserialize, Serialize};

/// A way out of Huddle besides the live page and Web Push, which carry every interrupt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A mail to the physician's address (no patient in it).
    Email,
    /// The organization's SMS or paging gateway, through its signed webhook.
    Gateway,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Gateway => "gateway",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        [Channel::Email, Channel::Gateway]
            .into_iter()
            .find(|c| c.as_str() == s.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    /// An interrupt that no device of its holder confirms within this many seconds (a
    /// phone that never got it, a closed tab) is escalated as an unacknowledged one is.
    #[serde(default = "default_delivery_timeout")]
    pub delivery_timeout_s: i64,
    /// The channels besides push at each rung: index 0 is the first delivery, 1 the
    /// first escalation …; the last entry holds for every rung after it.
    #[serde(default = "default_rung_channels")]
    pub rung_channels: Vec<Vec<Channel>>,
    /// Lock screens show only the kind of thing ("Critical result for you") unless the
    /// organization allows the alert's category and service too. Never the patient.
    #[serde(default)]
    pub lock_screen_details: bool,
}

impl Default for Reach {
    fn default() -> Reach {
        Reach {
            delivery_timeout_s: default_delivery_timeout(),
            rung_channels: default_rung_channels(),
            lock_screen_details: false,
        }
    }
}

/// The products hospitals use repeat an undelivered push after about two minutes.
pub const DEFAULT_DELIVERY_TIMEOUT_S: i64 = 120;

fn default_delivery_timeout() -> i64 {
    DEFAULT_DELIVERY_TIMEOUT_S
}

/// First delivery by push alone; every escalation by email too.
fn default_rung_channels() -> Vec<Vec<Channel>> {
    vec![vec![], vec![Channel::Email]]
}

impl Reach {
    /// The channels besides push for the delivery at `step` (0 = first delivery).
    pub fn channels_at(&self, step: usize) -> &[Channel] {
        self.rung_channels
            .get(step)
            .or(self.rung_channels.last())
            .map_or(&[], Vec::as_slice)
    }

    pub fn validate(&self) -> Result<(), String> {
        if !(30..=3600).contains(&self.delivery_timeout_s) {
            return Err("the delivery timeout is between 30 seconds and one hour".into());
        }
        if self.rung_channels.len() > 10 {
            return Err("channels are set for at most 10 rungs".into());
        }
        Ok(())
    }
}

/// A person's own quiet hours, in their local time: new messages, mentions and digests
/// wait silently in Huddle; critical alerts and escalations reach them regardless.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// Minutes after local midnight.
    pub start_min: u16,
    pub end_min: u16,
}

impl QuietHours {
    /// From "HH:MM" to "HH:MM"; the hours may wrap past midnight (22:00 to 07:00).
    pub fn parse(start: &str, end: &str) -> Result<QuietHours, String> {
        let minutes = |s: &str| -> Option<u16> {
            let (h, m) = s.trim().split_once(':')?;
            let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
            (h < 24 && m < 60 && s.trim().len() == 5).then_some(h * 60 + m)
        };
        match (minutes(start), minutes(end)) {
            (Some(a), Some(b)) if a != b => Ok(QuietHours {
                start_min: a,
                end_min: b,
            }),
            (Some(_), Some(_)) => Err("quiet hours start and end at different times".into()),
            _ => Err("times as HH:MM, e.g. 22:00".into()),
        }
    }

    /// Is this local minute of the day inside the quiet hours?
    pub fn contains(self, minute_of_day: u16) -> bool {
        if self.start_min < self.end_min {
            (self.start_min..self.end_min).contains(&minute_of_day)
        } else {
            minute_of_day >= self.start_min || minute_of_day < self.end_min
        }
    }

    pub fn start(self) -> String {
        hh_mm(self.start_min)
    }

    pub fn end(self) -> String {
        hh_mm(self.end_min)
    }
}

fn hh_mm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// What a person lets reach their phone besides alerts, which always do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// Direct messages and mentions pushed to their devices.
    pub push_messages: bool,
    pub quiet: Option<QuietHours>,
    /// A mail when a digest comes due, besides the push.
    pub email_digests: bool,
}

impl Default for Preferences {
    fn default() -> Preferences {
        Preferences {
            push_messages: true,
            quiet: None,
            email_digests: false,
        }
    }
}

impl Preferences {
    /// May a message notice be pushed at this local minute of the day? (Critical things
    /// never ask.)
    pub fn allows_message_push(&self, minute_of_day: u16) -> bool {
        self.push_messages && !self.quiet.is_some_and(|q| q.contains(minute_of_day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_wrap_past_midnight_and_silence_messages_only_inside() {
        let night = QuietHours::parse("22:00", "07:00").unwrap();
        assert!(night.contains(22 * 60) && night.contains(3 * 60) && night.contains(6 * 60 + 59));
        assert!(
            !night.contains(7 * 60) && !night.contains(12 * 60) && !night.contains(21 * 60 + 59)
        );
        let lunch = QuietHours::parse("12:00", "13:30").unwrap();
        assert!(lunch.contains(12 * 60 + 15) && !lunch.contains(13 * 60 + 30));
        assert_eq!(
            (night.start(), night.end()),
            ("22:00".into(), "07:00".into())
        );
        for (a, b) in [
            ("25:00", "07:00"),
            ("7", "8:00"),
            ("22:00", "22:00"),
            ("", "07:00"),
        ] {
            assert!(QuietHours::parse(a, b).is_err(), "{a}-{b}");
        }
        let p = Preferences {
            push_messages: true,
            quiet: Some(night),
            email_digests: false,
        };
        assert!(!p.allows_message_push(23 * 60));
        assert!(p.allows_message_push(9 * 60));
        let off = Preferences {
            push_messages: false,
            quiet: None,
            email_digests: false,
        };
        assert!(!off.allows_message_push(9 * 60));
        assert!(Preferences::default().allows_message_push(3 * 60));
    }

    #[test]
    fn the_last_rung_holds_for_every_later_step() {
        let reach = Reach::default();
        assert_eq!(reach.channels_at(0), &[] as &[Channel]);
        assert_eq!(reach.channels_at(1), &[Channel::Email]);
        assert_eq!(reach.channels_at(5), &[Channel::Email]);
        let none = Reach {
            rung_channels: vec![],
            ..Reach::default()
        };
        assert!(none.channels_at(3).is_empty());
    }

    #[test]
    fn a_policy_without_reach_gets_the_defaults_and_bad_timeouts_are_refused() {
        let reach: Reach = serde_json::from_str("{}").unwrap();
        assert_eq!(reach, Reach::default());
        let parsed: Reach =
            serde_json::from_str(r#"{"rung_channels": [["gateway"], ["email", "gateway"]]}"#)
                .unwrap();
        assert_eq!(parsed.channels_at(0), &[Channel::Gateway]);
        assert!(serde_json::from_str::<Reach>(r#"{"rung_channels": [["fax"]]}"#).is_err());
        for bad in [0, 29, 3601] {
            let r = Reach {
                delivery_timeout_s: bad,
                ..Reach::default()
            };
            assert!(r.validate().is_err(), "{bad}");
        }
        assert!(Reach::default().validate().is_ok());
    }
}
