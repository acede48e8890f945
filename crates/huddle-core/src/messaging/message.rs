//! What a message must be before it is sealed and stored, parsed once at the edge: its
//! body, the client's id for it (which makes a retried send land once), and the kind of
//! conversation it goes to.

use std::fmt;

/// The longest body a message may have, in characters.
pub const MAX_BODY_CHARS: usize = 10_000;

/// A message body with something in it and at most `MAX_BODY_CHARS` characters. Kept as
/// written: surrounding blank lines are the writer's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body(String);

/// Why a body cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Nothing but white space.
    Empty,
    /// Over `MAX_BODY_CHARS` characters.
    TooLong,
}

impl Body {
    pub fn parse(text: &str) -> Result<Body, BodyError> {
        if text.trim().is_empty() {
            Err(BodyError::Empty)
        } else if text.chars().count() > MAX_BODY_CHARS {
            Err(BodyError::TooLong)
        } else {
            Ok(Body(text.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The client's own id for a message: 1 to 100 ASCII letters, digits or `- _ : .`. The
/// same id from the same sender is the same message, so a retry never sends twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientMsgId(String);

impl ClientMsgId {
    pub const RULE: &'static str = "1 to 100 letters, digits or - _ : .";

    pub fn parse(id: &str) -> Option<ClientMsgId> {
        let valid = !id.is_empty()
            && id.len() <= 100
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c));
        valid.then(|| ClientMsgId(id.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who a conversation is between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConversationKind {
    /// Exactly two people; exists once per pair.
    Direct,
    /// Chosen people.
    Group,
    /// Named, of an organization; open unless private, or addressed to a team.
    Channel,
}

impl ConversationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationKind::Direct => "direct",
            ConversationKind::Group => "group",
            ConversationKind::Channel => "channel",
        }
    }

    pub fn parse(s: &str) -> Option<ConversationKind> {
        match s {
            "direct" => Some(ConversationKind::Direct),
            "group" => Some(ConversationKind::Group),
            "channel" => Some(ConversationKind::Channel),
            _ => None,
        }
    }
}

impl fmt::Display for ConversationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_needs_something_and_not_too_much() {
        assert_eq!(Body::parse(""), Err(BodyError::Empty));
        assert_eq!(Body::parse(" \n\t "), Err(BodyError::Empty));
        assert_eq!(
            Body::parse("\nhi\n").unwrap().as_str(),
            "\nhi\n",
            "kept as written"
        );
        let longest = "é".repeat(MAX_BODY_CHARS);
        assert!(
            Body::parse(&longest).is_ok(),
            "counted in characters, not bytes"
        );
        assert_eq!(Body::parse(&format!("{longest}x")), Err(BodyError::TooLong));
    }

    #[test]
    fn client_ids_are_short_and_plain() {
        for ok in ["a", "web-1:2.3_4", &"x".repeat(100)] {
            assert_eq!(ClientMsgId::parse(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "has space", "é", "a/b", &"x".repeat(101)] {
            assert!(ClientMsgId::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn conversation_kinds_round_trip() {
        for k in [
            ConversationKind::Direct,
            ConversationKind::Group,
            ConversationKind::Channel,
        ] {
            assert_eq!(ConversationKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ConversationKind::parse("Channel"), None);
    }
}
