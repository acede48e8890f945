//! What a person can do, written once and called by both the JSON API and the pages: each
//! action parses its input into domain types, checks authorization, changes the store and
//! writes the audit entry.

pub mod audit;
pub mod identity;
pub mod insights;
pub mod intake;
pub mod invitations;
pub mod leaving;
pub mod lounge;
pub mod mailbox;
pub mod messaging;
pub mod organizations;
pub mod paging;
pub mod passkeys;
pub mod reach;
pub mod resources;
pub mod routing;
pub mod scim;
pub mod scim_groups;
pub mod sso;
pub mod verification;
pub mod wellbeing;
