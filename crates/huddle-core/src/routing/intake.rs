//! Who may put an alert in, and what makes two alerts the same: an alert's sender (a
//! registered feed or a person), a feed's scope (the sources and kinds it may send, the
//! addresses it may connect from), and the canonical content a retry is compared by.

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use super::policy::Priority;

/// Who sent an alert. Stored as `integration:N` or `user:N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sender {
    /// A feed an organization registered: a lab system, a monitor gateway, an EHR.
    Integration(i64),
    /// A person paging from Huddle.
    Person(i64),
}

impl Sender {
    pub fn parse(s: &str) -> Option<Sender> {
        if let Some(id) = s.strip_prefix("integration:") {
            return id.parse().ok().map(Sender::Integration);
        }
        s.strip_prefix("user:")?.parse().ok().map(Sender::Person)
    }
}

impl fmt::Display for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sender::Integration(id) => write!(f, "integration:{id}"),
            Sender::Person(id) => write!(f, "user:{id}"),
        }
    }
}

/// The source every page from a person carries: machines may not name it.
pub const PAGE_SOURCE: &str = "page";

/// A name as routing stores it: lower case, 1 to `max` of letters, digits and `_ - . :`.
pub fn name(value: &str, max: usize) -> Option<String> {
    let v = value.trim();
    let ok = !v.is_empty()
        && v.len() <= max
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c));
    ok.then(|| v.to_ascii_lowercase())
}

/// Why a feed's registration was refused, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct Invalid {
    pub field: &'static str,
    pub problem: String,
}

fn invalid(field: &'static str, problem: impl Into<String>) -> Invalid {
    Invalid {
        field,
        problem: problem.into(),
    }
}

/// What a feed may do: the sources it may name, the kinds of alert it may send, and the
/// addresses it may connect from (none listed: any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub sources: Vec<String>,
    pub kinds: Vec<String>,
    pub addresses: Vec<IpNet>,
}

impl Scope {
    /// Parses comma- or whitespace-separated lists as an administrator types them.
    pub fn parse(sources: &str, kinds: &str, addresses: &str) -> Result<Scope, Invalid> {
        let names = |field: &'static str, text: &str| -> Result<Vec<String>, Invalid> {
            let mut out = Vec::new();
            for item in split(text) {
                let n = name(item, 64)
                    .ok_or_else(|| invalid(field, format!("`{item}` is not a name")))?;
                if n == PAGE_SOURCE && field == "sources" {
                    return Err(invalid(field, "`page` is for people paging from Huddle"));
                }
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            if out.is_empty() {
                return Err(invalid(field, "name at least one"));
            }
            Ok(out)
        };
        let mut parsed = Vec::new();
        for item in split(addresses) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    invalid(
                        "addresses",
                        format!("`{item}` is not an IP address or CIDR block"),
                    )
                })?;
            parsed.push(net.trunc());
        }
        Ok(Scope {
            sources: names("sources", sources)?,
            kinds: names("kinds", kinds)?,
            addresses: parsed,
        })
    }

    pub fn may_send(&self, source: &str, kind: &str) -> Result<(), Invalid> {
        if !self.sources.iter().any(|s| s == source) {
            return Err(invalid(
                "source",
                format!("this integration may send as {}", self.sources.join(", ")),
            ));
        }
        if !self.kinds.iter().any(|k| k == kind) {
            return Err(invalid(
                "category",
                format!("this integration may send {}", self.kinds.join(", ")),
            ));
        }
        Ok(())
    }

    /// Whether a connection from `ip` is allowed (IPv4-mapped IPv6 counts as IPv4).
    pub fn allows_address(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        self.addresses.is_empty() || self.addresses.iter().any(|net| net.contains(&ip))
    }

    /// The lists in their stored form.
    pub fn stored(&self) -> (String, String, String) {
        let nets: Vec<String> = self.addresses.iter().map(IpNet::to_string).collect();
        (self.sources.join(","), self.kinds.join(","), nets.join(","))
    }
}

fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
}

/// What an alert says, in the one form retries are compared by: a retry says the same
/// thing; a reused id with something else in it is another alert.
#[derive(Debug, Serialize)]
pub struct Content<'a> {
    pub source: &'a str,
    pub category: &'a str,
    pub priority: Priority,
    pub service: &'a str,
    pub recipient: &'a str,
    pub patient: &'a str,
    pub text: &'a str,
    pub callback: &'a str,
}

impl Content<'_> {
    pub fn canonical(&self) -> Vec<u8> {
        // Field order is fixed by the struct; serde_json escapes every separator.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn senders_round_trip() {
        for s in [Sender::Integration(4), Sender::Person(17)] {
            assert_eq!(Sender::parse(&s.to_string()), Some(s));
        }
        assert_eq!(Sender::parse("lab"), None);
        assert_eq!(Sender::parse("user:x"), None);
    }

    #[test]
    fn a_scope_allows_only_what_it_lists() {
        let scope =
            Scope::parse("lab", "critical_lab, abnormal_lab", "10.1.0.0/16 192.0.2.7").unwrap();
        assert!(scope.may_send("lab", "critical_lab").is_ok());
        assert_eq!(
            scope.may_send("monitor", "critical_lab").unwrap_err().field,
            "source"
        );
        assert_eq!(
            scope.may_send("lab", "code_blue").unwrap_err().field,
            "category"
        );
        assert!(scope.allows_address("10.1.200.3".parse().unwrap()));
        assert!(scope.allows_address("::ffff:192.0.2.7".parse().unwrap()));
        assert!(!scope.allows_address("192.0.2.8".parse().unwrap()));
        assert!(!scope.allows_address("10.2.0.1".parse().unwrap()));
        let (sources, kinds, nets) = scope.stored();
        assert_eq!(
            (sources.as_str(), kinds.as_str()),
            ("lab", "critical_lab,abnormal_lab")
        );
        assert_eq!(nets, "10.1.0.0/16,192.0.2.7/32");
        assert_eq!(Scope::parse(&sources, &kinds, &nets).unwrap(), scope);
    }

    #[test]
    fn no_addresses_means_any_and_bad_lists_name_their_field() {
        let any = Scope::parse("monitor", "monitor_alarm", "").unwrap();
        assert!(any.allows_address("203.0.113.9".parse().unwrap()));
        assert_eq!(Scope::parse("", "x", "").unwrap_err().field, "sources");
        assert_eq!(
            Scope::parse("lab", "bad kind!", "").unwrap_err().field,
            "kinds"
        );
        assert_eq!(Scope::parse("page", "x", "").unwrap_err().field, "sources");
        assert_eq!(
            Scope::parse("lab", "x", "10.0.0.0/33").unwrap_err().field,
            "addresses"
        );
        assert_eq!(
            Scope::parse("lab", "x", "lab.example").unwrap_err().field,
            "addresses"
        );
    }

    #[test]
    fn content_differs_when_any_field_does() {
        let base = Content {
            source: "lab",
            category: "critical_lab",
            priority: Priority::Urgent,
            service: "medicine",
            recipient: "oncall:medicine",
            patient: "SYN-1",
            text: "Potassium 7.9 (HH)",
            callback: "",
        };
        let other = Content {
            text: "normal, nothing to do",
            ..base
        };
        assert_eq!(base.canonical(), Content { ..base }.canonical());
        assert_ne!(base.canonical(), other.canonical());
        // A separator inside a field cannot make two different alerts alike.
        let a = Content {
            patient: "A\",\"text\":\"B",
            text: "",
            ..base
        };
        let b = Content {
            patient: "A",
            text: "B",
            ..base
        };
        assert_ne!(a.canonical(), b.canonical());
    }
}
