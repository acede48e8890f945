//! Whose key a sealed value is under. One name for each owner, used by every layer: it is
//! the associated data a key is wrapped under (so a wrapped key moved to another owner
//! does not open) and, for the store, which row holds it.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyOwner {
    /// An organization's data key: message bodies, patient contexts, alerts.
    Organization(i64),
    /// The data key of conversations outside any organization.
    NoOrganization,
    /// A clinician's own key: their well-being answers. Never cached, erased with their data.
    Person(i64),
    /// An organization's secret for leaders' de-identified pseudonyms (keyed hashing).
    Pseudonyms(i64),
    /// The instance's VAPID private key (RFC 8292), which signs every Web Push it sends.
    PushVapid,
    /// An organization's secret that signs (HMAC) every call to its SMS or paging gateway.
    GatewaySigning(i64),
    /// An organization's key for its single sign-on client secret.
    SingleSignOn(i64),
}

impl KeyOwner {
    /// The organization's data key, or the shared one for conversations without one.
    pub fn organization(organization_id: Option<i64>) -> KeyOwner {
        organization_id.map_or(KeyOwner::NoOrganization, KeyOwner::Organization)
    }

    pub fn parse(s: &str) -> Option<KeyOwner> {
        let id = |rest: &str| rest.parse::<i64>().ok();
        match s.split_once(':')? {
            ("org", "none") => Some(KeyOwner::NoOrganization),
            ("org", rest) => id(rest).map(KeyOwner::Organization),
            ("user", rest) => id(rest).map(KeyOwner::Person),
            ("insights-pseudonyms", rest) => id(rest).map(KeyOwner::Pseudonyms),
            ("push", "vapid") => Some(KeyOwner::PushVapid),
            ("gateway", rest) => id(rest).map(KeyOwner::GatewaySigning),
            ("sso", rest) => id(rest).map(KeyOwner::SingleSignOn),
            _ => None,
        }
    }

    /// A person's key is theirs alone: it is not kept in memory between uses, so erasing
    /// their data leaves nothing behind.
    pub fn is_personal(self) -> bool {
        matches!(self, KeyOwner::Person(_))
    }
}

impl fmt::Display for KeyOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyOwner::Organization(id) => write!(f, "org:{id}"),
            KeyOwner::NoOrganization => f.write_str("org:none"),
            KeyOwner::Person(id) => write!(f, "user:{id}"),
            KeyOwner::Pseudonyms(id) => write!(f, "insights-pseudonyms:{id}"),
            KeyOwner::PushVapid => f.write_str("push:vapid"),
            KeyOwner::GatewaySigning(id) => write!(f, "gateway:{id}"),
            KeyOwner::SingleSignOn(id) => write!(f, "sso:{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_keep_the_names_their_keys_were_wrapped_under() {
        for (owner, name) in [
            (KeyOwner::Organization(7), "org:7"),
            (KeyOwner::NoOrganization, "org:none"),
            (KeyOwner::Person(42), "user:42"),
            (KeyOwner::Pseudonyms(7), "insights-pseudonyms:7"),
            (KeyOwner::PushVapid, "push:vapid"),
            (KeyOwner::GatewaySigning(3), "gateway:3"),
            (KeyOwner::SingleSignOn(4), "sso:4"),
        ] {
            assert_eq!(owner.to_string(), name);
            assert_eq!(KeyOwner::parse(name), Some(owner));
        }
        assert_eq!(KeyOwner::organization(None), KeyOwner::NoOrganization);
        assert_eq!(KeyOwner::parse("org:x"), None);
        assert_eq!(KeyOwner::parse("wellbeing:4"), None);
        assert!(KeyOwner::Person(1).is_personal());
        assert!(!KeyOwner::Organization(1).is_personal());
    }
}
