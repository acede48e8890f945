//! The lounge's pure rules: spaces, threads and their parts, moderation, the markdown
//! that posts render to, and the PHI guard that checks every draft.

pub mod markdown;
pub mod moderation;
pub mod phi;
pub mod space;
pub mod thread;

pub use moderation::{ModAction, ReportReason};
pub use space::Space;
pub use thread::{CaseTemplate, Poll, Sort, Tags, ThreadKind, Title};
