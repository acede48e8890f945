//! Every metric's protected table for one organization, computed at once from its
//! de-identified rows: the one place leaders' numbers are formed. The server loads the
//! rows and caches the result; everything here is a pure function of them.

use std::collections::{BTreeMap, HashMap};

use super::privacy::{self, Headcount, Obs, Table, ORGANIZATION};
use super::{role_group, BurdenContribution, Contribution, Dimension, Metric, Period, Source};
use crate::identity::Roles;

/// How many closed months the dashboard shows.
pub const HISTORY: i64 = 24;

/// The group key of people without a department or a verified specialty.
const NONE: &str = "none";

/// One current member of the organization, for the groups' headcounts (participation).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub department_id: Option<i64>,
    pub roles: Roles,
    pub team: String,
    /// NUCC code of the approved verification, or empty.
    pub specialty: String,
}

/// A department of the organization, for display names.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentName {
    pub id: i64,
    pub name: String,
}

/// Group key → display name, per dimension.
pub type Names = HashMap<(Dimension, String), String>;

/// Every metric's protected table for one organization, through its last closed month.
#[derive(Debug, Clone)]
pub struct OrgTables {
    pub through: Period,
    pub tables: BTreeMap<Metric, Table>,
    pub names: Names,
}

impl OrgTables {
    pub fn table(&self, metric: Metric) -> Option<&Table> {
        self.tables.get(&metric)
    }

    pub fn name(&self, d: Dimension, key: &str) -> String {
        self.names
            .get(&(d, key.to_string()))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The months shown: the last `HISTORY` closed months.
    pub fn periods(&self) -> Vec<Period> {
        (0..HISTORY).rev().map(|i| self.through.plus(-i)).collect()
    }

    /// The latest published organization-wide burnout rate within the shown months.
    pub fn latest_burnout_rate(&self) -> Option<f64> {
        let table = self.table(Metric::Burnout)?;
        (0..HISTORY).find_map(|back| {
            table
                .cell(
                    self.through.plus(-back),
                    Dimension::Organization,
                    ORGANIZATION,
                )?
                .published()
                .map(|x| x.1)
        })
    }
}

pub fn department_key(department_id: Option<i64>) -> String {
    department_id.map_or_else(|| NONE.to_string(), |d| d.to_string())
}

pub fn specialty_key(specialty: &str) -> &str {
    if specialty.is_empty() {
        NONE
    } else {
        specialty
    }
}

/// Every metric's protected table through `through`, and the groups' display names.
pub fn compute(
    through: Period,
    contributions: &[Contribution],
    burden: &[BurdenContribution],
    members: &[Member],
    departments: &[DepartmentName],
    policy: &privacy::Policy,
) -> OrgTables {
    let headcount = headcount(members);
    let names = names(contributions, burden, departments);
    // Group keys are borrowed, not copied per observation: a few hundred thousand rows
    // times seventeen metrics.
    let mut department_keys: HashMap<Option<i64>, String> = HashMap::new();
    for id in contributions
        .iter()
        .map(|c| c.department_id)
        .chain(burden.iter().map(|b| b.department_id))
    {
        department_keys
            .entry(id)
            .or_insert_with(|| department_key(id));
    }
    let key_of = |id: Option<i64>| department_keys.get(&id).map_or(NONE, String::as_str);
    let mut tables = BTreeMap::new();
    let mut memo = privacy::Memo::default();
    for metric in Metric::all() {
        let obs: Vec<Obs<'_>> = match metric.source() {
            Source::Survey => contributions
                .iter()
                .filter_map(|c| {
                    c.value(metric).map(|value| Obs {
                        period: c.period,
                        member: c.pseudonym,
                        department: key_of(c.department_id),
                        specialty: specialty_key(&c.specialty),
                        role: &c.role,
                        value,
                    })
                })
                .collect(),
            Source::Routing => burden
                .iter()
                .filter_map(|b| {
                    b.value(metric).map(|value| Obs {
                        period: b.period,
                        member: b.pseudonym,
                        department: key_of(b.department_id),
                        specialty: specialty_key(&b.specialty),
                        role: &b.role,
                        value,
                    })
                })
                .collect(),
        };
        tables.insert(
            metric,
            privacy::protect_with(metric, &obs, policy, &headcount, &mut memo),
        );
    }
    OrgTables {
        through,
        tables,
        names,
    }
}

/// Current members per group; people outside the role groups (`other`) are not counted.
fn headcount(members: &[Member]) -> Headcount {
    let mut headcount: Headcount = HashMap::new();
    for m in members {
        let role = role_group(&m.roles, &m.team);
        if role == "other" {
            continue;
        }
        for d in Dimension::ALL {
            let key = match d {
                Dimension::Organization => ORGANIZATION.to_string(),
                Dimension::Department => department_key(m.department_id),
                Dimension::Specialty => specialty_key(&m.specialty).to_string(),
                Dimension::Role => role.clone(),
            };
            *headcount.entry((d, key)).or_default() += 1;
        }
    }
    headcount
}

fn names(
    contributions: &[Contribution],
    burden: &[BurdenContribution],
    departments: &[DepartmentName],
) -> Names {
    let mut names: Names = HashMap::new();
    names.insert(
        (Dimension::Organization, ORGANIZATION.to_string()),
        "Whole organization".to_string(),
    );
    for d in departments {
        names.insert((Dimension::Department, d.id.to_string()), d.name.clone());
    }
    names.insert((Dimension::Department, NONE.into()), "No department".into());
    names.insert(
        (Dimension::Specialty, NONE.into()),
        "No verified specialty".into(),
    );
    let mut specialty_codes: Vec<&str> = contributions
        .iter()
        .map(|c| c.specialty.as_str())
        .chain(burden.iter().map(|b| b.specialty.as_str()))
        .collect();
    specialty_codes.sort_unstable();
    specialty_codes.dedup();
    for code in specialty_codes {
        if let Some(s) = crate::identity::specialty(code) {
            names.insert(
                (Dimension::Specialty, code.to_string()),
                s.display_name.to_string(),
            );
        }
    }
    names
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::identity::Role;

    pub(crate) fn month(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    pub(crate) fn physician(department_id: Option<i64>) -> Member {
        Member {
            department_id,
            roles: Roles::new([Role::Physician]),
            team: String::new(),
            specialty: String::new(),
        }
    }

    pub(crate) fn contribution(
        period: Period,
        pseudonym: i64,
        department_id: Option<i64>,
        burnout: bool,
    ) -> Contribution {
        let mut drivers = [0u8; 9];
        drivers[0] = if burnout { 5 } else { 2 };
        Contribution {
            period,
            pseudonym,
            department_id,
            specialty: String::new(),
            role: "physician".into(),
            burnout: Some(burnout),
            depression: None,
            anxiety: None,
            drivers,
        }
    }

    /// Twelve physicians in department 1 answering every month from 2026-01 to 2026-06,
    /// four of them with burnout.
    pub(crate) fn sample() -> OrgTables {
        let mut rows = Vec::new();
        for m in 0..6 {
            for person in 0..12 {
                rows.push(contribution(
                    month("2026-01").plus(m),
                    person,
                    Some(1),
                    person < 4,
                ));
            }
        }
        let members: Vec<Member> = (0..12).map(|_| physician(Some(1))).collect();
        compute(
            month("2026-06"),
            &rows,
            &[],
            &members,
            &[DepartmentName {
                id: 1,
                name: "Emergency".into(),
            }],
            &privacy::Policy::default(),
        )
    }

    #[test]
    fn every_metric_gets_a_table_and_groups_their_names() {
        let t = sample();
        assert_eq!(t.tables.len(), Metric::all().len());
        assert_eq!(t.name(Dimension::Department, "1"), "Emergency");
        assert_eq!(t.name(Dimension::Department, "none"), "No department");
        assert_eq!(
            t.name(Dimension::Department, "9"),
            "9",
            "unknown keys show as is"
        );
        assert_eq!(t.periods().len() as i64, HISTORY);
        assert_eq!(t.periods().last(), Some(&month("2026-06")));
    }

    #[test]
    fn a_large_enough_group_publishes_its_rate() {
        let t = sample();
        assert_eq!(t.latest_burnout_rate(), Some(0.33), "4 of 12, as released");
        let cell = t
            .table(Metric::Participation)
            .unwrap()
            .cell(month("2026-06"), Dimension::Department, "1")
            .unwrap();
        // Everyone answered; the released figure is the rounded n (10) over the headcount.
        assert_eq!(cell.published(), Some((10, 0.83)));
    }

    #[test]
    fn headcount_skips_people_outside_the_role_groups() {
        let mut other = physician(Some(1));
        other.roles = Roles::default();
        let h = headcount(&[physician(None), other]);
        assert_eq!(h[&(Dimension::Organization, ORGANIZATION.to_string())], 1);
        assert_eq!(h[&(Dimension::Department, "none".to_string())], 1);
        assert!(!h.contains_key(&(Dimension::Department, "1".to_string())));
    }
}
