//! The disclosure-control method leaders' numbers pass through (docs/insights.md explains
//! it and its limits). For one metric, over every closed period at once:
//!
//! 1. **Minimum group size** (`k`): a cell with fewer than `k` contributors is suppressed
//!    (5 by default; 10 for the depression and anxiety screens).
//! 2. **No small differences**: a cell is suppressed when its membership differs from any
//!    set already released or derivable — any cell of any dimension, in this period or an
//!    earlier one, and the remainders below — by 1 to `k − 1` people. So "department minus
//!    specialty" and "this month minus last month" never isolate fewer than `k` people.
//! 3. **Complementary suppression**: every dimension partitions the organization, so the
//!    suppressed cells of a dimension are jointly derivable from the published total; that
//!    remainder must itself hold at least `k` people and pass rule 2, otherwise the
//!    next-smallest sibling is suppressed too, until it does.
//! 4. **Rounding**: released group sizes are rounded to a multiple of `round_to` (never
//!    below `k`), and values to a fixed precision; counts of positives are never released.
//!
//! Periods are decided in order and a decision only looks at its own and earlier periods,
//! so what was released for a month never changes when later months arrive. The outcome is
//! a function of the data alone, never of which queries were asked before: every view
//! (API, CSV, pages) reads the same protected table.

use std::collections::{BTreeMap, HashMap};

use super::{Dimension, Kind, Metric, Period};

/// Configurable thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Minimum group size for burnout, participation, drivers and routing burden.
    pub min_group: usize,
    /// Minimum group size for the depression and anxiety screens.
    pub min_group_sensitive: usize,
    /// Released group sizes are rounded to a multiple of this (1 = exact).
    pub round_to: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            min_group: 5,
            min_group_sensitive: 10,
            round_to: 5,
        }
    }
}

impl Policy {
    pub fn k(&self, metric: Metric) -> usize {
        let k = if metric.sensitive() {
            self.min_group_sensitive.max(self.min_group)
        } else {
            self.min_group
        };
        k.max(2)
    }

    /// A group size as released: nearest multiple of `round_to`, never below `k`.
    pub fn round_n(&self, n: usize, k: usize) -> u64 {
        let base = self.round_to.max(1);
        let rounded = (n + base / 2) / base * base;
        let at_least_k = k.div_ceil(base) * base;
        rounded.max(at_least_k) as u64
    }
}

/// One contributor's value for one metric in one period, with the groups they are in.
#[derive(Debug, Clone)]
pub struct Obs<'a> {
    pub period: Period,
    pub member: i64,
    pub department: &'a str,
    pub specialty: &'a str,
    pub role: &'a str,
    pub value: f64,
}

impl<'a> Obs<'a> {
    fn group(&self, d: Dimension) -> &'a str {
        match d {
            Dimension::Organization => ORGANIZATION,
            Dimension::Department => self.department,
            Dimension::Specialty => self.specialty,
            Dimension::Role => self.role,
        }
    }
}

/// The key of the one organization-wide group.
pub const ORGANIZATION: &str = "all";

/// Why a cell is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Fewer than `k` contributors.
    Small,
    /// Its members differ from an already released or derivable set by fewer than `k`.
    Overlap,
    /// Suppressed so that the sum of the suppressed siblings cannot be recovered.
    Complementary,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Rounded group size and value.
    Published {
        n: u64,
        value: f64,
    },
    Suppressed(Reason),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub period: Period,
    pub dimension: Dimension,
    pub group: String,
    pub outcome: Outcome,
}

impl Cell {
    pub fn published(&self) -> Option<(u64, f64)> {
        match self.outcome {
            Outcome::Published { n, value } => Some((n, value)),
            Outcome::Suppressed(_) => None,
        }
    }
}

/// Every cell of one metric, every closed period, every dimension.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub cells: Vec<Cell>,
}

impl Table {
    pub fn rows(&self, period: Period, dimension: Dimension) -> Vec<&Cell> {
        self.cells
            .iter()
            .filter(|c| c.period == period && c.dimension == dimension)
            .collect()
    }

    pub fn cell(&self, period: Period, dimension: Dimension, group: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.period == period && c.dimension == dimension && c.group == group)
    }

    pub fn periods(&self) -> Vec<Period> {
        let mut p: Vec<Period> = self.cells.iter().map(|c| c.period).collect();
        p.sort();
        p.dedup();
        p
    }

    /// One group's published values over time.
    pub fn series(&self, dimension: Dimension, group: &str) -> Vec<(Period, Option<(u64, f64)>)> {
        let mut s: Vec<(Period, Option<(u64, f64)>)> = self
            .cells
            .iter()
            .filter(|c| c.dimension == dimension && c.group == group)
            .map(|c| (c.period, c.published()))
            .collect();
        s.sort_by_key(|(p, _)| *p);
        s
    }
}

/// Member sets released or derivable so far, with an index from each member to the sets
/// that hold them: two sets that share nobody differ by at least the larger one's size
/// (never fewer than `k` here), so only sets sharing members need comparing.
#[derive(Default)]
struct Released {
    sizes: Vec<usize>,
    index: HashMap<i64, Vec<u32>>,
    /// Scratch: common members per set, and which entries to reset.
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl Released {
    fn add(&mut self, set: &[i64]) {
        if set.is_empty() {
            return;
        }
        let id = self.sizes.len() as u32;
        self.sizes.push(set.len());
        self.counts.push(0);
        for m in set {
            self.index.entry(*m).or_default().push(id);
        }
    }

    /// True when `set` (of at least `k` members) differs from a released set by 1 to
    /// k − 1 people.
    fn too_close(&mut self, set: &[i64], k: usize) -> bool {
        for m in set {
            if let Some(ids) = self.index.get(m) {
                for &id in ids {
                    let c = &mut self.counts[id as usize];
                    if *c == 0 {
                        self.touched.push(id);
                    }
                    *c += 1;
                }
            }
        }
        let mut close = false;
        for &id in &self.touched {
            let common = self.counts[id as usize] as usize;
            let diff = set.len() + self.sizes[id as usize] - 2 * common;
            close |= diff > 0 && diff < k;
            self.counts[id as usize] = 0;
        }
        self.touched.clear();
        close
    }
}

struct Group {
    members: Vec<i64>,
    sum: f64,
    outcome: Option<Reason>,
}

fn round_to(x: f64, step: f64) -> f64 {
    ((x / step).round() * step * 1e6).round() / 1e6
}

fn value_of(metric: Metric, sum: f64, n: usize, released_n: u64, headcount: Option<usize>) -> f64 {
    match (metric, metric.kind()) {
        (Metric::Participation, _) => {
            let hc = headcount.unwrap_or(n).max(n).max(1);
            round_to((released_n as f64 / hc as f64).min(1.0), 0.01)
        }
        (_, Kind::Proportion) => round_to(sum / n.max(1) as f64, 0.01),
        (Metric::FalsePositiveShare, _) => round_to(sum / n.max(1) as f64, 0.01),
        (Metric::TimeToAcknowledge, _) => (sum / n.max(1) as f64).round(),
        _ => round_to(sum / n.max(1) as f64, 0.1),
    }
}

/// Current headcount of each group, for participation.
pub type Headcount = HashMap<(Dimension, String), usize>;

/// Suppression decisions already made, by threshold and membership: metrics with the same
/// `k` and the same contributors in the same groups (burnout and the nine drivers, when
/// everyone answered everything) get the same pattern, decided once.
#[derive(Default)]
pub struct Memo<'a> {
    entries: Vec<(usize, Vec<MemberKey<'a>>, Vec<Option<Reason>>)>,
}

type MemberKey<'a> = (Period, i64, &'a str, &'a str, &'a str);

/// Applies the method to one metric's observations (one per contributor and period).
pub fn protect(metric: Metric, obs: &[Obs<'_>], policy: &Policy, headcount: &Headcount) -> Table {
    protect_with(metric, obs, policy, headcount, &mut Memo::default())
}

/// `protect`, reusing decisions from `memo` when the membership is the same.
pub fn protect_with<'a>(
    metric: Metric,
    obs: &[Obs<'a>],
    policy: &Policy,
    headcount: &Headcount,
    memo: &mut Memo<'a>,
) -> Table {
    let k = policy.k(metric);
    let key: Vec<MemberKey<'a>> = obs
        .iter()
        .map(|o| (o.period, o.member, o.department, o.specialty, o.role))
        .collect();
    let known: Option<Vec<Option<Reason>>> = memo
        .entries
        .iter()
        .find(|(mk, members, _)| *mk == k && *members == key)
        .map(|e| e.2.clone());
    let mut decisions: Vec<Option<Reason>> = Vec::new();
    let mut cursor = 0usize;
    let clamp = |v: f64| match metric.kind() {
        Kind::Proportion => v.clamp(0.0, 1.0),
        Kind::Mean { min, max } => v.clamp(min, max),
    };
    let mut by_period: BTreeMap<Period, Vec<&Obs<'_>>> = BTreeMap::new();
    for o in obs {
        by_period.entry(o.period).or_default().push(o);
    }
    let mut released = Released::default();
    let mut table = Table::default();
    for (period, obs) in by_period {
        let mut dims: Vec<(Dimension, BTreeMap<&str, Group>)> = Vec::new();
        for d in Dimension::ALL {
            let mut groups: BTreeMap<&str, Group> = BTreeMap::new();
            for o in &obs {
                let g = groups.entry(o.group(d)).or_insert(Group {
                    members: Vec::new(),
                    sum: 0.0,
                    outcome: None,
                });
                g.members.push(o.member);
                g.sum += clamp(o.value);
            }
            // Decisions compare member sets, which must be sorted; a known pattern only
            // needs the sizes (one observation per contributor and month).
            if known.is_none() {
                for g in groups.values_mut() {
                    g.members.sort_unstable();
                    g.members.dedup();
                }
            }
            dims.push((d, groups));
        }
        let mut total_published = false;
        for (d, groups) in &mut dims {
            if let Some(known) = &known {
                for g in groups.values_mut() {
                    g.outcome = known.get(cursor).copied().flatten();
                    cursor += 1;
                }
            } else {
                decide(*d, groups, &mut released, total_published, k);
                decisions.extend(groups.values().map(|g| g.outcome));
            }
            for (name, g) in groups.iter() {
                let outcome = match g.outcome {
                    Some(reason) => Outcome::Suppressed(reason),
                    None => {
                        let n = policy.round_n(g.members.len(), k);
                        Outcome::Published {
                            n,
                            value: value_of(
                                metric,
                                g.sum,
                                g.members.len(),
                                n,
                                headcount.get(&(*d, (*name).to_string())).copied(),
                            ),
                        }
                    }
                };
                if *d == Dimension::Organization {
                    total_published = g.outcome.is_none();
                }
                table.cells.push(Cell {
                    period,
                    dimension: *d,
                    group: (*name).to_string(),
                    outcome,
                });
            }
            if known.is_none() {
                for g in groups.values() {
                    if g.outcome.is_none() {
                        released.add(&g.members);
                    }
                }
                if total_published && *d != Dimension::Organization {
                    let mut remainder: Vec<i64> = groups
                        .values()
                        .filter(|g| g.outcome.is_some())
                        .flat_map(|g| g.members.iter().copied())
                        .collect();
                    remainder.sort_unstable();
                    released.add(&remainder);
                }
            }
        }
    }
    if known.is_none() {
        memo.entries.push((k, key, decisions));
    }
    table
}

/// Rules 1 to 3 for the groups of one dimension in one period.
fn decide(
    d: Dimension,
    groups: &mut BTreeMap<&str, Group>,
    released: &mut Released,
    total_published: bool,
    k: usize,
) {
    // Rules 1 and 2.
    for g in groups.values_mut() {
        g.outcome = if g.members.len() < k {
            Some(Reason::Small)
        } else if released.too_close(&g.members, k) {
            Some(Reason::Overlap)
        } else if d != Dimension::Organization && !total_published {
            Some(Reason::Complementary)
        } else {
            None
        };
    }
    // Rule 3: the suppressed siblings together, derivable from the total.
    let mut remainder: Vec<i64>;
    loop {
        remainder = groups
            .values()
            .filter(|g| g.outcome.is_some())
            .flat_map(|g| g.members.iter().copied())
            .collect();
        remainder.sort_unstable();
        if d == Dimension::Organization
            || remainder.is_empty()
            || !total_published
            || (remainder.len() >= k && !released.too_close(&remainder, k))
        {
            break;
        }
        let next = groups
            .values_mut()
            .filter(|g| g.outcome.is_none())
            .min_by_key(|g| g.members.len());
        match next {
            Some(g) => g.outcome = Some(Reason::Complementary),
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    fn person(
        period: &str,
        member: i64,
        dept: &'static str,
        spec: &'static str,
        value: f64,
    ) -> Obs<'static> {
        Obs {
            period: p(period),
            member,
            department: dept,
            specialty: spec,
            role: "physician",
            value,
        }
    }

    fn outcome(t: &Table, period: &str, d: Dimension, g: &str) -> Outcome {
        t.cell(p(period), d, g).unwrap().outcome.clone()
    }

    #[test]
    fn small_groups_are_suppressed_at_their_metric_threshold() {
        let obs: Vec<Obs> = (0..12)
            .map(|i| person("2026-01", i, if i < 7 { "a" } else { "b" }, "x", 1.0))
            .collect();
        let policy = Policy::default();
        let t = protect(Metric::Burnout, &obs, &policy, &Headcount::new());
        assert!(matches!(
            outcome(&t, "2026-01", Dimension::Department, "a"),
            Outcome::Published { n: 5, value } if value == 1.0
        ));
        assert!(matches!(
            outcome(&t, "2026-01", Dimension::Department, "b"),
            Outcome::Published { n: 5, .. }
        ));
        // Depression takes 10: both departments hidden, the total of 12 shown.
        let t = protect(Metric::DepressionPositive, &obs, &policy, &Headcount::new());
        assert_eq!(
            outcome(&t, "2026-01", Dimension::Department, "a"),
            Outcome::Suppressed(Reason::Small)
        );
        assert!(t
            .cell(p("2026-01"), Dimension::Organization, ORGANIZATION)
            .unwrap()
            .published()
            .is_some());
    }

    #[test]
    fn one_small_sibling_takes_the_next_smallest_with_it() {
        // 6 + 7 + 3 = 16: hiding only the 3 would let total − 6 − 7 recover them.
        let mut obs = Vec::new();
        for i in 0..16 {
            let dept = match i {
                0..6 => "a",
                6..13 => "b",
                _ => "c",
            };
            obs.push(person("2026-01", i, dept, "x", (i % 2) as f64));
        }
        let t = protect(Metric::Burnout, &obs, &Policy::default(), &Headcount::new());
        assert_eq!(
            outcome(&t, "2026-01", Dimension::Department, "c"),
            Outcome::Suppressed(Reason::Small)
        );
        assert_eq!(
            outcome(&t, "2026-01", Dimension::Department, "a"),
            Outcome::Suppressed(Reason::Complementary)
        );
        assert!(t
            .cell(p("2026-01"), Dimension::Department, "b")
            .unwrap()
            .published()
            .is_some());
    }

    #[test]
    fn department_minus_specialty_cannot_isolate_one_person() {
        // Department d: 11 people, 10 of them cardiologists; the 11th is the only
        // non-cardiologist there. Other departments make the organization larger.
        let mut obs = Vec::new();
        for i in 0..11 {
            obs.push(person(
                "2026-01",
                i,
                "d",
                if i < 10 { "cardio" } else { "im" },
                0.0,
            ));
        }
        for i in 11..40 {
            obs.push(person("2026-01", i, "e", "im", 1.0));
        }
        let t = protect(Metric::Burnout, &obs, &Policy::default(), &Headcount::new());
        let dept = t.cell(p("2026-01"), Dimension::Department, "d").unwrap();
        let spec = t
            .cell(p("2026-01"), Dimension::Specialty, "cardio")
            .unwrap();
        assert!(
            dept.published().is_none() || spec.published().is_none(),
            "{dept:?} {spec:?}"
        );
    }

    #[test]
    fn a_department_of_eleven_then_ten_does_not_reveal_who_left() {
        let mut obs = Vec::new();
        for i in 0..11 {
            obs.push(person("2026-01", i, "d", "x", 0.0));
        }
        for i in 0..10 {
            obs.push(person("2026-02", i, "d", "x", 0.0));
        }
        // Elsewhere in the organization, a changing crowd.
        for i in 100..130 {
            obs.push(person("2026-01", i, "e", "y", 1.0));
        }
        for i in 120..150 {
            obs.push(person("2026-02", i, "e", "y", 1.0));
        }
        let t = protect(Metric::Burnout, &obs, &Policy::default(), &Headcount::new());
        assert!(t
            .cell(p("2026-01"), Dimension::Department, "d")
            .unwrap()
            .published()
            .is_some());
        assert_eq!(
            outcome(&t, "2026-02", Dimension::Department, "d"),
            Outcome::Suppressed(Reason::Overlap)
        );
        // Released n is rounded: 11 and 10 both read 10.
        assert_eq!(
            t.cell(p("2026-01"), Dimension::Department, "d")
                .unwrap()
                .published()
                .unwrap()
                .0,
            10
        );
    }

    #[test]
    fn decisions_reused_for_the_same_membership_match_fresh_ones() {
        let mut obs = Vec::new();
        for i in 0..40 {
            let dept = ["a", "b", "c"][(i % 3) as usize];
            let spec = ["x", "y"][(i % 7 % 2) as usize];
            obs.push(person("2026-01", i, dept, spec, (i % 2) as f64));
            if i % 4 != 0 {
                obs.push(person("2026-02", i, dept, spec, 3.0));
            }
        }
        let policy = Policy::default();
        let mut memo = Memo::default();
        let hc = Headcount::new();
        let _ = protect_with(Metric::Burnout, &obs, &policy, &hc, &mut memo);
        for m in [
            Metric::Driver(0),
            Metric::Participation,
            Metric::DepressionPositive,
        ] {
            let reused = protect_with(m, &obs, &policy, &hc, &mut memo);
            let fresh = protect(m, &obs, &policy, &hc);
            assert_eq!(reused.cells, fresh.cells, "{m:?}");
        }
        assert_eq!(memo.entries.len(), 2, "k = 5 once, k = 10 once");
    }

    #[test]
    fn rounding_never_goes_below_k() {
        let policy = Policy::default();
        assert_eq!(policy.round_n(5, 5), 5);
        assert_eq!(policy.round_n(7, 5), 5);
        assert_eq!(policy.round_n(8, 5), 10);
        assert_eq!(policy.round_n(11, 10), 10);
        assert_eq!(policy.round_n(10, 10), 10);
        let exact = Policy {
            round_to: 1,
            ..policy
        };
        assert_eq!(exact.round_n(11, 5), 11);
    }

    #[test]
    fn participation_is_released_size_over_headcount() {
        let obs: Vec<Obs> = (0..10)
            .map(|i| person("2026-01", i, "a", "x", 1.0))
            .collect();
        let hc = Headcount::from([((Dimension::Organization, ORGANIZATION.to_string()), 20)]);
        let t = protect(Metric::Participation, &obs, &Policy::default(), &hc);
        assert_eq!(
            t.cell(p("2026-01"), Dimension::Organization, ORGANIZATION)
                .unwrap()
                .published(),
            Some((10, 0.5))
        );
    }

    /// The attacker's view: every released cell's members and, for each dimension of a
    /// period whose total is released, the remainder (total minus released siblings).
    fn derivable(t: &Table, obs: &[Obs<'_>]) -> Vec<(String, BTreeSet<i64>)> {
        let members = |period: Period, d: Dimension, g: &str| -> BTreeSet<i64> {
            obs.iter()
                .filter(|o| o.period == period && o.group(d) == g)
                .map(|o| o.member)
                .collect()
        };
        let mut out = Vec::new();
        for c in &t.cells {
            if c.published().is_some() {
                out.push((
                    format!("{} {:?} {}", c.period, c.dimension, c.group),
                    members(c.period, c.dimension, &c.group),
                ));
            }
        }
        for period in t.periods() {
            if t.cell(period, Dimension::Organization, ORGANIZATION)
                .and_then(Cell::published)
                .is_none()
            {
                continue;
            }
            for d in [Dimension::Department, Dimension::Specialty, Dimension::Role] {
                let hidden: BTreeSet<i64> = t
                    .rows(period, d)
                    .into_iter()
                    .filter(|c| c.published().is_none())
                    .flat_map(|c| members(period, d, &c.group))
                    .collect();
                if !hidden.is_empty() {
                    out.push((format!("{period} {d:?} remainder"), hidden));
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Whatever the population, no released cell is below k and no two released or
        /// derivable sets differ by 1..k-1 people (so no pairwise subtraction isolates
        /// fewer than k), across dimensions and periods.
        #[test]
        fn no_pairwise_difference_isolates_fewer_than_k(
            people in proptest::collection::vec((0u8..4, 0u8..3, 0u8..3, 0u8..3, 0u8..4), 0..60)
        ) {
            const D: [&str; 4] = ["d0", "d1", "d2", "d3"];
            const S: [&str; 3] = ["s0", "s1", "s2"];
            const R: [&str; 3] = ["r0", "r1", "r2"];
            let mut obs = Vec::new();
            for (i, (dept, spec, role, months, v)) in people.iter().enumerate() {
                for m in 0..=*months {
                    obs.push(Obs {
                        period: p("2026-01").plus(i64::from(m)),
                        member: i as i64,
                        department: D[usize::from(*dept)],
                        specialty: S[usize::from(*spec)],
                        role: R[usize::from(*role)],
                        value: f64::from(*v % 2),
                    });
                }
            }
            let policy = Policy::default();
            let t = protect(Metric::Burnout, &obs, &policy, &Headcount::new());
            let sets = derivable(&t, &obs);
            for (name, s) in &sets {
                prop_assert!(s.len() >= 5, "{name} has {}", s.len());
            }
            for (i, (a_name, a)) in sets.iter().enumerate() {
                for (b_name, b) in &sets[i + 1..] {
                    let diff = a.symmetric_difference(b).count();
                    prop_assert!(diff == 0 || diff >= 5, "{a_name} vs {b_name}: {diff}");
                }
            }
        }
    }
}
