//! Where an invitation stands, from its dates.

use crate::clock::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStanding {
    /// The link works.
    Pending,
    Accepted,
    /// An administrator withdrew it, or a newer invitation to the same address replaced it.
    Revoked,
    Expired,
}

impl InvitationStanding {
    pub fn of(
        accepted_at: Option<Millis>,
        revoked_at: Option<Millis>,
        expires_at: Millis,
        now: Millis,
    ) -> InvitationStanding {
        match (accepted_at, revoked_at) {
            (Some(_), _) => InvitationStanding::Accepted,
            (None, Some(_)) => InvitationStanding::Revoked,
            (None, None) if now >= expires_at => InvitationStanding::Expired,
            (None, None) => InvitationStanding::Pending,
        }
    }

    pub fn in_words(self) -> &'static str {
        match self {
            InvitationStanding::Pending => "waiting",
            InvitationStanding::Accepted => "accepted",
            InvitationStanding::Revoked => "withdrawn",
            InvitationStanding::Expired => "expired",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::InvitationStanding::*;
    use super::*;

    #[test]
    fn acceptance_wins_then_withdrawal_then_the_clock() {
        assert_eq!(InvitationStanding::of(None, None, 100, 99), Pending);
        assert_eq!(InvitationStanding::of(None, None, 100, 100), Expired);
        assert_eq!(InvitationStanding::of(None, Some(50), 100, 99), Revoked);
        assert_eq!(InvitationStanding::of(Some(60), None, 100, 500), Accepted);
        assert_eq!(
            InvitationStanding::of(Some(60), Some(70), 100, 500),
            Accepted
        );
    }
}
