use std::fmt;

use super::Invalid;

/// The roles of Huddle. A person may hold several (a physician who is also a verifier).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Physician,
    /// Practice and hospital staff: nurse, APP, front desk, billing, lab. They message but
    /// never enter the physician lounge.
    Clinician,
    Verifier,
    Moderator,
    OrgAdmin,
    WellbeingLead,
    SystemAdmin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Physician,
        Role::Clinician,
        Role::Verifier,
        Role::Moderator,
        Role::OrgAdmin,
        Role::WellbeingLead,
        Role::SystemAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Physician => "physician",
            Role::Clinician => "clinician",
            Role::Verifier => "verifier",
            Role::Moderator => "moderator",
            Role::OrgAdmin => "org_admin",
            Role::WellbeingLead => "wellbeing_lead",
            Role::SystemAdmin => "system_admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Physician => "Physician",
            Role::Clinician => "Clinician",
            Role::Verifier => "Verifier",
            Role::Moderator => "Moderator",
            Role::OrgAdmin => "Organization admin",
            Role::WellbeingLead => "Well-being lead",
            Role::SystemAdmin => "System admin",
        }
    }

    /// Roles that act across the whole instance (the lounge and verification span every
    /// organization), so only a system admin grants them.
    pub fn is_instance_role(self) -> bool {
        matches!(self, Role::Verifier | Role::Moderator | Role::SystemAdmin)
    }

    pub fn parse(s: &str) -> Result<Role, Invalid> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| Invalid::new(format!("unknown role `{s}`")))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of roles, kept sorted and without repeats; stored as comma-separated names.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Roles(Vec<Role>);

impl Roles {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut v: Vec<Role> = roles.into_iter().collect();
        v.sort();
        v.dedup();
        Roles(v)
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn with(&self, role: Role) -> Roles {
        Roles::new(self.0.iter().copied().chain([role]))
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The stored form: `physician,verifier`.
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn from_stored(s: &str) -> Result<Roles, Invalid> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(Role::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(Roles::new)
    }
}

/// The roles `actor` may grant or take away: a system admin any; an organization admin the
/// roles of their own organization; anyone else none.
pub fn assignable_by(actor: &Roles) -> Vec<Role> {
    if actor.has(Role::SystemAdmin) {
        Role::ALL.to_vec()
    } else if actor.has(Role::OrgAdmin) {
        Role::ALL
            .into_iter()
            .filter(|r| !r.is_instance_role())
            .collect()
    } else {
        Vec::new()
    }
}

/// The roles a person ends up with when `actor` asks for `requested`: roles the actor may
/// not manage stay exactly as they were, and asking to grant one is refused.
pub fn apply_role_change(
    actor: &Roles,
    current: &Roles,
    requested: &Roles,
) -> Result<Roles, Invalid> {
    let manageable = assignable_by(actor);
    if let Some(role) = requested
        .iter()
        .find(|r| !manageable.contains(r) && !current.has(*r))
    {
        return Err(Invalid::new(format!(
            "you cannot grant the {} role",
            role.label().to_lowercase()
        )));
    }
    let kept = current.iter().filter(|r| !manageable.contains(r));
    let granted = requested.iter().filter(|r| manageable.contains(r));
    Ok(Roles::new(kept.chain(granted)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("admin").is_err());
    }

    #[test]
    fn roles_are_sorted_and_deduplicated() {
        let roles = Roles::new([Role::Verifier, Role::Physician, Role::Verifier]);
        assert_eq!(roles.to_stored(), "physician,verifier");
        assert_eq!(Roles::from_stored("physician,verifier"), Ok(roles));
        assert_eq!(Roles::from_stored(""), Ok(Roles::default()));
        assert!(Roles::from_stored("physician,wizard").is_err());
    }

    #[test]
    fn org_admins_manage_organization_roles_only() {
        let org_admin = Roles::new([Role::OrgAdmin]);
        let current = Roles::new([Role::Physician, Role::Verifier]);
        let requested = Roles::new([Role::Clinician, Role::WellbeingLead]);
        // The verifier role is outside the org admin's reach, so it stays.
        assert_eq!(
            apply_role_change(&org_admin, &current, &requested),
            Ok(Roles::new([
                Role::Clinician,
                Role::Verifier,
                Role::WellbeingLead
            ]))
        );
        assert!(apply_role_change(&org_admin, &current, &Roles::new([Role::SystemAdmin])).is_err());
        // Keeping an instance role the person already has is not a grant.
        assert!(apply_role_change(&org_admin, &current, &current).is_ok());
    }

    #[test]
    fn system_admins_manage_every_role_and_others_none() {
        let sys = Roles::new([Role::SystemAdmin]);
        let current = Roles::new([Role::Physician, Role::Verifier]);
        assert_eq!(
            apply_role_change(&sys, &current, &Roles::new([Role::Moderator])),
            Ok(Roles::new([Role::Moderator]))
        );
        let physician = Roles::new([Role::Physician]);
        assert!(assignable_by(&physician).is_empty());
        assert!(apply_role_change(
            &physician,
            &Roles::default(),
            &Roles::new([Role::Clinician])
        )
        .is_err());
    }
}
