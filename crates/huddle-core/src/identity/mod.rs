//! Identity: who someone is, what they may do, and how a physician proves it.

mod account;
mod invitation;
mod license;
mod npi;
pub mod nppes;
mod role;
pub mod scim;
pub mod scim_patch;
pub mod specialty;
pub mod sso;

pub use account::{DisplayName, Email, NewPassword, PASSWORD_MIN_CHARS};
pub use invitation::InvitationStanding;
pub use license::{LicenseNumber, LicenseState};
pub use npi::Npi;
pub use role::{apply_role_change, assignable_by, Role, Roles};
pub use specialty::{specialty, Specialty, SpecialtyGroup, SPECIALTIES};

/// Why a value typed by a person was refused; the message is shown to them as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

impl Invalid {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// Where a physician stands in verification. Only `Verified` opens physician-only features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationStatus {
    /// Never submitted.
    Unverified,
    Pending,
    Verified,
    Rejected,
    /// Replaced by a newer request from the same person before a verifier decided it.
    Superseded,
}

impl VerificationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::Pending => "pending",
            Self::Verified => "verified",
            Self::Rejected => "rejected",
            Self::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unverified" => Some(Self::Unverified),
            "pending" => Some(Self::Pending),
            "verified" => Some(Self::Verified),
            "rejected" => Some(Self::Rejected),
            "superseded" => Some(Self::Superseded),
            _ => None,
        }
    }
}
