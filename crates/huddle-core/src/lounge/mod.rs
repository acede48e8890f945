//! The lounge's pure rules: spaces, threads and their parts, moderation, and the PHI guard
//! that checks every draft (posts render through [`crate::markup`], as messages do).

pub mod moderation;
pub mod phi;
pub mod space;
pub mod thread;

pub use moderation::{ModAction, ReportReason};
pub use space::Space;
pub use thread::{CaseTemplate, Poll, Sort, Tags, ThreadKind, Title};
