//! Moderation rules: why a post is reported, what a moderator may do, and how much a new
//! account may post.

use crate::clock::Millis;
use crate::identity::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportReason {
    /// It identifies a patient.
    Phi,
    Harassment,
    Misinformation,
    Spam,
    /// Someone in the post may be at risk.
    Safety,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 6] = [
        ReportReason::Phi,
        ReportReason::Harassment,
        ReportReason::Misinformation,
        ReportReason::Spam,
        ReportReason::Safety,
        ReportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Phi => "phi",
            ReportReason::Harassment => "harassment",
            ReportReason::Misinformation => "misinformation",
            ReportReason::Spam => "spam",
            ReportReason::Safety => "safety",
            ReportReason::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportReason::Phi => "Identifies a patient",
            ReportReason::Harassment => "Harassment or disrespect",
            ReportReason::Misinformation => "Dangerous misinformation",
            ReportReason::Spam => "Spam or advertising",
            ReportReason::Safety => "A colleague may be at risk",
            ReportReason::Other => "Something else",
        }
    }

    pub fn parse(s: &str) -> Result<ReportReason, Invalid> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                Invalid::new("choose phi, harassment, misinformation, spam, safety or other")
            })
    }
}

/// What a moderator does; each one lands in the public moderation log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModAction {
    HidePost,
    RestorePost,
    RemovePost,
    LockThread,
    UnlockThread,
    Warn,
    Suspend,
    Unsuspend,
    /// Closes a report without acting on the post.
    Dismiss,
}

impl ModAction {
    pub const ALL: [ModAction; 9] = [
        ModAction::HidePost,
        ModAction::RestorePost,
        ModAction::RemovePost,
        ModAction::LockThread,
        ModAction::UnlockThread,
        ModAction::Warn,
        ModAction::Suspend,
        ModAction::Unsuspend,
        ModAction::Dismiss,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ModAction::HidePost => "hide_post",
            ModAction::RestorePost => "restore_post",
            ModAction::RemovePost => "remove_post",
            ModAction::LockThread => "lock_thread",
            ModAction::UnlockThread => "unlock_thread",
            ModAction::Warn => "warn",
            ModAction::Suspend => "suspend",
            ModAction::Unsuspend => "unsuspend",
            ModAction::Dismiss => "dismiss",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ModAction::HidePost => "Post hidden",
            ModAction::RestorePost => "Post restored",
            ModAction::RemovePost => "Post removed",
            ModAction::LockThread => "Thread locked",
            ModAction::UnlockThread => "Thread unlocked",
            ModAction::Warn => "Member warned",
            ModAction::Suspend => "Member suspended",
            ModAction::Unsuspend => "Suspension lifted",
            ModAction::Dismiss => "Report dismissed",
        }
    }

    pub fn parse(s: &str) -> Result<ModAction, Invalid> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| Invalid::new(format!("`{s}` is not a moderation action")))
    }

    /// Whether the action acts on a post (the others act on a thread or on the author).
    pub fn targets_post(self) -> bool {
        matches!(
            self,
            ModAction::HidePost
                | ModAction::RestorePost
                | ModAction::RemovePost
                | ModAction::Dismiss
        )
    }

    pub fn targets_thread(self) -> bool {
        matches!(self, ModAction::LockThread | ModAction::UnlockThread)
    }
}

const DAY: Millis = 24 * 60 * 60 * 1000;
/// An account younger than this is "new" and posts under a tighter limit.
pub const NEW_ACCOUNT_AGE: Millis = 7 * DAY;
/// Posts (threads and replies) per rolling day for new accounts and for everyone else.
pub const NEW_ACCOUNT_POSTS_PER_DAY: i64 = 10;
pub const POSTS_PER_DAY: i64 = 100;

/// Whether one more post is allowed, given the account's creation time and how many posts
/// it wrote in the last day. The error says when posting opens again in words.
pub fn may_post(
    account_created_at: Millis,
    posts_last_day: i64,
    now: Millis,
) -> Result<(), Invalid> {
    let new = now - account_created_at < NEW_ACCOUNT_AGE;
    let limit = if new {
        NEW_ACCOUNT_POSTS_PER_DAY
    } else {
        POSTS_PER_DAY
    };
    if posts_last_day < limit {
        return Ok(());
    }
    Err(Invalid::new(if new {
        format!(
            "new accounts post at most {limit} times a day during their first week; try again tomorrow"
        )
    } else {
        format!("you have posted {limit} times today; try again tomorrow")
    }))
}

/// A moderator's reason: required, short, one paragraph.
pub fn parse_reason(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    if s.chars().count() < 3 {
        return Err(Invalid::new("give a reason"));
    }
    if s.chars().count() > 500 {
        return Err(Invalid::new("keep the reason to 500 characters"));
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_accounts_post_under_a_tighter_daily_limit() {
        let now = 100 * DAY;
        let new = now - DAY;
        let old = now - 30 * DAY;
        assert!(may_post(new, NEW_ACCOUNT_POSTS_PER_DAY - 1, now).is_ok());
        assert!(may_post(new, NEW_ACCOUNT_POSTS_PER_DAY, now).is_err());
        assert!(may_post(old, NEW_ACCOUNT_POSTS_PER_DAY, now).is_ok());
        assert!(may_post(old, POSTS_PER_DAY, now).is_err());
    }

    #[test]
    fn actions_and_reasons_round_trip_and_unknown_ones_are_refused() {
        for a in ModAction::ALL {
            assert_eq!(ModAction::parse(a.as_str()), Ok(a));
        }
        for r in ReportReason::ALL {
            assert_eq!(ReportReason::parse(r.as_str()), Ok(r));
        }
        assert!(ModAction::parse("ban_everyone").is_err());
        assert!(ReportReason::parse("").is_err());
        assert!(parse_reason("  ").is_err());
    }
}
