//! Messaging rules: practice teams, and what a message must be (`message`). Bodies render
//! through [`crate::markup`], as lounge posts do.

pub mod message;

pub use message::{Body, BodyError, ClientMsgId, ConversationKind, MAX_BODY_CHARS};

/// The job functions of a practice. A channel addressed to a team reaches whoever holds
/// that function, as people join or change roles.
pub const TEAMS: [(&str, &str); 7] = [
    ("physicians", "Physicians"),
    ("app", "Advanced practice"),
    ("nursing", "Nursing"),
    ("front_desk", "Front desk"),
    ("billing", "Billing"),
    ("lab", "Lab"),
    ("pharmacy", "Pharmacy"),
];

/// The display name of a team, if it is one.
pub fn team_label(team: &str) -> Option<&'static str> {
    TEAMS
        .iter()
        .find(|(t, _)| *t == team)
        .map(|(_, label)| *label)
}
