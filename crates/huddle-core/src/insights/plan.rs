//! An intervention as planned: checked when a leader adds one, and read back from the
//! comma-separated form it is stored in.

use super::interventions::InterventionLevel;
use super::{Period, DRIVERS};

/// An intervention as planned (parsed from its stored form at the store's edge).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: i64,
    pub name: String,
    pub level: InterventionLevel,
    /// Driver names it targets.
    pub drivers: Vec<String>,
    /// Department keys (ids as text); empty for the whole organization.
    pub units: Vec<String>,
    pub starts: Period,
    pub cost: i64,
}

/// A comma-separated list as stored (drivers, department ids): blanks dropped.
pub fn stored_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a leader asks for, as sent.
pub struct NewInterventionInput<'a> {
    pub name: &'a str,
    pub level: &'a str,
    pub drivers: &'a [String],
    pub units: &'a [i64],
    pub starts: &'a str,
    pub cost: i64,
}

/// A new intervention that passed every check, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlan {
    pub name: String,
    pub level: InterventionLevel,
    pub drivers: Vec<String>,
    pub units: Vec<i64>,
    pub starts: Period,
    pub cost: i64,
}

impl NewPlan {
    /// Drivers as stored: `workload,teamwork`.
    pub fn drivers_text(&self) -> String {
        self.drivers.join(",")
    }

    /// Department ids as stored: `3,7`.
    pub fn units_text(&self) -> String {
        self.units
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The field at fault and what it should be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InvalidPlan {
    pub field: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> InvalidPlan {
    InvalidPlan {
        field,
        message: message.into(),
    }
}

/// Checks a new intervention field by field; `departments` are the organization's.
pub fn check(
    input: &NewInterventionInput<'_>,
    departments: &[i64],
) -> Result<NewPlan, InvalidPlan> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid("name", "1 to 200 characters"));
    }
    let level = InterventionLevel::parse(input.level)
        .ok_or_else(|| invalid("level", "individual or structural"))?;
    if let Some(d) = input
        .drivers
        .iter()
        .find(|d| !DRIVERS.contains(&d.as_str()))
    {
        return Err(invalid(
            "drivers",
            format!("unknown driver `{d}`; one of {}", DRIVERS.join(", ")),
        ));
    }
    if let Some(u) = input.units.iter().find(|u| !departments.contains(u)) {
        return Err(invalid(
            "units",
            format!("department {u} is not in your organization"),
        ));
    }
    let starts =
        Period::parse(input.starts).ok_or_else(|| invalid("starts", "a month as YYYY-MM"))?;
    if !(0..=1_000_000_000).contains(&input.cost) {
        return Err(invalid("cost", "whole dollars, 0 or more"));
    }
    let mut drivers = input.drivers.to_vec();
    drivers.dedup();
    Ok(NewPlan {
        name: name.to_string(),
        level,
        drivers,
        units: input.units.to_vec(),
        starts,
        cost: input.cost,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(drivers: &'a [String], units: &'a [i64]) -> NewInterventionInput<'a> {
        NewInterventionInput {
            name: "  Scribes  ",
            level: "structural",
            drivers,
            units,
            starts: "2026-04",
            cost: 1000,
        }
    }

    #[test]
    fn stored_lists_drop_blanks() {
        assert_eq!(
            stored_list(" workload, ,teamwork,"),
            vec!["workload", "teamwork"]
        );
        assert!(stored_list("").is_empty());
    }

    #[test]
    fn a_good_plan_is_trimmed_and_stored_as_lists() {
        let drivers = ["workload".to_string(), "workload".into(), "teamwork".into()];
        let plan = check(&input(&drivers, &[3, 7]), &[3, 7, 9]).unwrap();
        assert_eq!(plan.name, "Scribes");
        assert_eq!(plan.drivers_text(), "workload,teamwork");
        assert_eq!(plan.units_text(), "3,7");
        assert_eq!(plan.starts.to_string(), "2026-04");
    }

    #[test]
    fn each_bad_field_is_named() {
        let field = |i: NewInterventionInput<'_>| check(&i, &[3]).unwrap_err().field;
        let none: &[String] = &[];
        assert_eq!(
            field(NewInterventionInput {
                name: " ",
                ..input(none, &[])
            }),
            "name"
        );
        assert_eq!(
            field(NewInterventionInput {
                level: "both",
                ..input(none, &[])
            }),
            "level"
        );
        assert_eq!(field(input(&["sleep".to_string()], &[])), "drivers");
        assert_eq!(field(input(none, &[4])), "units");
        assert_eq!(
            field(NewInterventionInput {
                starts: "April",
                ..input(none, &[])
            }),
            "starts"
        );
        assert_eq!(
            field(NewInterventionInput {
                cost: -1,
                ..input(none, &[])
            }),
            "cost"
        );
    }
}
