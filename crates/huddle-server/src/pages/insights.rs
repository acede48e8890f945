//! Insights pages for well-being leads and organization admins: the dashboard (summary,
//! trends, one month by group), drivers framed by the NAM model, interventions and their
//! durability, and the turnover calculator. Every number states its group size or says
//! "suppressed"; everyone else gets 403.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use huddle_core::insights::interventions::Verdict;
use huddle_core::insights::privacy::ORGANIZATION;
use huddle_core::insights::{Dimension, Kind, Metric, Period, DRIVERS};
use serde::Deserialize;

use super::charts::{bars_svg, lines_svg, Unit};
use super::{render, Nav, OrRefused, Refused};
use crate::actions::insights::{
    self as actions, InterventionView, NewInterventionInput, OrgTables,
};
use crate::api::insights::{TurnoverQuery, SOURCES};
use crate::auth::access::Leader;
use crate::auth::PageUser;
use crate::state::AppState;

fn unit_of(metric: Metric) -> Unit {
    match metric.kind() {
        Kind::Proportion => Unit::Percent,
        Kind::Mean { .. } if metric == Metric::FalsePositiveShare => Unit::Percent,
        Kind::Mean { .. } => Unit::Number,
    }
}

fn range_of(metric: Metric, values: &[f64]) -> (f64, f64) {
    match (unit_of(metric), metric.kind()) {
        (Unit::Percent, _) => (0.0, 1.0),
        (_, Kind::Mean { min, max })
            if metric.source() == huddle_core::insights::Source::Survey =>
        {
            (min, max)
        }
        _ => {
            let top = values.iter().copied().fold(0.0, f64::max);
            (0.0, if top <= 0.0 { 1.0 } else { top * 1.15 })
        }
    }
}

/// `54% · n ≈ 40`, or `suppressed`.
pub fn figure(metric: Metric, published: Option<(u64, f64)>) -> String {
    match published {
        Some((n, v)) => format!("{} · n ≈ {n}", unit_of(metric).format(v)),
        None => "suppressed".to_string(),
    }
}

pub struct Card {
    label: String,
    figure: String,
}

pub struct TableRow {
    group: String,
    n: String,
    value: String,
}

pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "insights.html")]
struct Dashboard {
    nav: Nav,
    error: Option<String>,
    through: String,
    period: String,
    cards: Vec<Card>,
    metrics: Vec<Choice>,
    groupings: Vec<Choice>,
    periods: Vec<Choice>,
    metric_label: String,
    grouping_label: String,
    trend_svg: String,
    bars_svg: String,
    rows: Vec<TableRow>,
    csv_href: String,
    k: usize,
    k_sensitive: usize,
    round_to: usize,
}

#[derive(Deserialize)]
pub struct DashboardQuery {
    metric: Option<String>,
    group_by: Option<String>,
    period: Option<String>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    nav: Nav,
    PageUser(p): PageUser,
    axum::extract::Query(q): axum::extract::Query<DashboardQuery>,
) -> Result<Response, Refused> {
    let org = Leader::of(&p).or_refused(&nav)?.organization_id();
    let mut error = None;
    let metric = actions::parse_metric(q.metric.as_deref()).unwrap_or_else(|e| {
        error = Some(e.detail().to_string());
        Metric::Burnout
    });
    let d = actions::parse_group_by(q.group_by.as_deref()).unwrap_or_else(|e| {
        error = Some(e.detail().to_string());
        Dimension::Department
    });
    let period = actions::parse_period(&state, q.period.as_deref()).unwrap_or_else(|e| {
        error = Some(e.detail().to_string());
        actions::closed_through(&state)
    });
    let rows = actions::aggregates(&state, &p, metric, d, period, false)
        .await
        .or_refused(&nav)?;
    let t = actions::tables(&state, org).await.or_refused(&nav)?;
    Ok(render(&dashboard_page(
        &state, nav, error, &t, metric, d, period, rows,
    )))
}

#[allow(clippy::too_many_arguments)]
fn dashboard_page(
    state: &AppState,
    nav: Nav,
    error: Option<String>,
    t: &OrgTables,
    metric: Metric,
    d: Dimension,
    period: Period,
    rows: Vec<actions::Row>,
) -> Dashboard {
    let cell = |m: Metric| {
        t.table(m)
            .and_then(|tb| tb.cell(period, Dimension::Organization, ORGANIZATION))
            .and_then(|c| c.published())
    };
    let cards = [
        Metric::Participation,
        Metric::Burnout,
        Metric::DepressionPositive,
        Metric::AnxietyPositive,
        Metric::NotificationsPerShift,
        Metric::AfterHoursNotifications,
    ]
    .into_iter()
    .map(|m| Card {
        label: m.label(),
        figure: figure(m, cell(m)),
    })
    .collect();
    let periods = t.periods();
    let labels: Vec<String> = periods.iter().map(|p| p.short()).collect();
    let mut series = actions::trend_of(t, metric, d);
    // The largest groups first (by their latest published size), at most eight lines.
    series.sort_by_key(|s| std::cmp::Reverse(s.points.iter().rev().find_map(|p| p.n).unwrap_or(0)));
    series.truncate(8);
    let lines: Vec<super::charts::Series> = series
        .iter()
        .map(|s| {
            (
                s.group.clone(),
                s.points.iter().map(|p| p.value.zip(p.n)).collect(),
            )
        })
        .collect();
    let values: Vec<f64> = lines
        .iter()
        .flat_map(|(_, ps)| ps.iter().flatten().map(|p| p.0))
        .chain(rows.iter().filter_map(|r| r.value))
        .collect();
    let (min, max) = range_of(metric, &values);
    let unit = unit_of(metric);
    let title = format!("{} by {} over 24 months", metric.label(), d.as_str());
    let trend_svg = lines_svg(&title, &labels, &lines, min, max, unit);
    let bar_rows: Vec<(String, Option<(f64, u64)>)> = rows
        .iter()
        .map(|r| (r.group.clone(), r.value.zip(r.n)))
        .collect();
    let bars_svg = bars_svg(
        &format!("{} by {}, {period}", metric.label(), d.as_str()),
        &bar_rows,
        max,
        unit,
    );
    let policy = state.config.insights.policy();
    Dashboard {
        nav,
        error,
        through: t.through.to_string(),
        period: period.to_string(),
        cards,
        metrics: Metric::all()
            .into_iter()
            .map(|m| Choice {
                value: m.key(),
                label: m.label(),
                selected: m == metric,
            })
            .collect(),
        groupings: Dimension::ALL
            .into_iter()
            .map(|g| Choice {
                value: g.as_str().to_string(),
                label: g.as_str().to_string(),
                selected: g == d,
            })
            .collect(),
        periods: periods
            .iter()
            .rev()
            .map(|p| Choice {
                value: p.to_string(),
                label: p.to_string(),
                selected: *p == period,
            })
            .collect(),
        metric_label: metric.label(),
        grouping_label: d.as_str().to_string(),
        trend_svg,
        bars_svg,
        rows: rows
            .iter()
            .map(|r| TableRow {
                group: r.group.clone(),
                n: r.n.map_or("suppressed".to_string(), |n| format!("≈ {n}")),
                value: r.value.map_or("suppressed".to_string(), |v| unit.format(v)),
            })
            .collect(),
        csv_href: format!(
            "/api/v1/insights/aggregates.csv?metric={}&group_by={}&period={period}",
            metric.key(),
            d.as_str()
        ),
        k: policy.min_group,
        k_sensitive: policy.min_group_sensitive,
        round_to: policy.round_to,
    }
}

pub struct DriverRow {
    label: String,
    level: String,
    factor: String,
    figure: String,
    moves: String,
    objective: bool,
    resources: String,
}

pub struct UnitView {
    group: String,
    burnout: String,
    top: String,
    svg: String,
    drivers: Vec<DriverRow>,
}

#[derive(Template)]
#[template(path = "insights_drivers.html")]
struct DriversPage {
    nav: Nav,
    period: String,
    grouping: String,
    groupings: Vec<Choice>,
    units: Vec<UnitView>,
}

pub async fn drivers(
    State(state): State<AppState>,
    nav: Nav,
    PageUser(p): PageUser,
    axum::extract::Query(q): axum::extract::Query<DashboardQuery>,
) -> Result<Response, Refused> {
    Leader::of(&p).or_refused(&nav)?;
    let d = actions::parse_group_by(q.group_by.as_deref()).unwrap_or(Dimension::Department);
    let period = actions::parse_period(&state, q.period.as_deref())
        .unwrap_or_else(|_| actions::closed_through(&state));
    let units = actions::drivers(&state, &p, d, period)
        .await
        .or_refused(&nav)?;
    let units = units
        .into_iter()
        .map(|u| {
            let survey: Vec<(String, Option<(f64, u64)>)> = u
                .drivers
                .iter()
                .filter(|x| !x.objective)
                .map(|x| {
                    (
                        x.label.trim_start_matches("Driver: ").to_string(),
                        x.value.zip(x.n),
                    )
                })
                .collect();
            let top = u.top();
            UnitView {
                burnout: figure(Metric::Burnout, u.burnout_n.zip(u.burnout)),
                top: if top.is_empty() {
                    "suppressed".to_string()
                } else {
                    top.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
                },
                svg: bars_svg(
                    &format!("Pulse drivers of {} (1–5, higher weighs more)", u.group),
                    &survey,
                    5.0,
                    Unit::Number,
                ),
                group: u.group,
                drivers: u
                    .drivers
                    .iter()
                    .map(|x| {
                        let metric = Metric::parse(&x.metric).unwrap_or(Metric::Burnout);
                        DriverRow {
                            label: x.label.clone(),
                            level: x.level.clone(),
                            factor: x.factor.clone(),
                            figure: figure(metric, x.n.zip(x.value)),
                            moves: x
                                .moves_with_burnout
                                .map_or("not enough published months".to_string(), |r| {
                                    format!("r = {r:.2}")
                                }),
                            objective: x.objective,
                            resources: x
                                .metric
                                .strip_prefix("driver:")
                                .unwrap_or("interruptions")
                                .to_string(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(render(&DriversPage {
        nav,
        period: period.to_string(),
        grouping: d.as_str().to_string(),
        groupings: Dimension::ALL
            .into_iter()
            .map(|g| Choice {
                value: g.as_str().to_string(),
                label: g.as_str().to_string(),
                selected: g == d,
            })
            .collect(),
        units,
    }))
}

pub struct ComparisonRow {
    months: i64,
    window: String,
    figure: String,
    difference: String,
    ci: String,
}

pub struct InterventionCard {
    id: i64,
    name: String,
    level: String,
    units: String,
    starts: String,
    cost: String,
    targets: String,
    verdict: String,
    durable: bool,
    before: String,
    comparisons: Vec<ComparisonRow>,
    fit: String,
    top: String,
}

#[derive(Template)]
#[template(path = "insights_interventions.html")]
struct InterventionsPage {
    nav: Nav,
    notice: Option<String>,
    error: Option<String>,
    cards: Vec<InterventionCard>,
    drivers: Vec<String>,
    departments: Vec<(i64, String)>,
    default_start: String,
    /// The registration form as submitted, when it was refused (empty otherwise).
    form: HashMap<String, String>,
}

impl InterventionsPage {
    /// A field as typed, else `default`.
    fn typed<'a>(&'a self, name: &str, default: &'a str) -> &'a str {
        self.form.get(name).map_or(default, String::as_str)
    }

    /// Whether the box `{prefix}{value}` was ticked.
    fn ticked(&self, prefix: &str, value: impl std::fmt::Display) -> bool {
        self.form.contains_key(&format!("{prefix}{value}"))
    }
}

fn dollars(x: f64) -> String {
    let whole = x.round() as i64;
    let digits = whole.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}${out}", if whole < 0 { "−" } else { "" })
}

fn card(v: InterventionView) -> InterventionCard {
    let pct = |x: f64| format!("{:+.0} points", x * 100.0);
    InterventionCard {
        id: v.id,
        durable: v.evaluation.verdict == Verdict::Durable,
        before: v
            .evaluation
            .before
            .map_or("no published months".to_string(), |b| {
                format!(
                    "{:.0}% · n ≈ {} person-months ({} to {})",
                    b.value * 100.0,
                    b.n,
                    b.from,
                    b.to
                )
            }),
        comparisons: v
            .evaluation
            .comparisons
            .iter()
            .map(|c| ComparisonRow {
                months: c.months,
                window: format!("{} to {}", c.after.from, c.after.to),
                figure: format!("{:.0}% · n ≈ {}", c.after.value * 100.0, c.after.n),
                difference: pct(c.difference),
                ci: format!("{} to {}", pct(c.ci_low), pct(c.ci_high)),
            })
            .collect(),
        name: v.name,
        level: v.level,
        units: if v.units.is_empty() {
            "whole organization".to_string()
        } else {
            v.units.join(", ")
        },
        starts: v.starts.to_string(),
        cost: dollars(v.cost as f64),
        targets: v.targets,
        verdict: v.verdict,
        fit: v.fit_label,
        top: if v.unit_top_drivers.is_empty() {
            "suppressed".to_string()
        } else {
            v.unit_top_drivers.join(", ")
        },
    }
}

async fn interventions_page(
    state: &AppState,
    nav: Nav,
    p: &crate::auth::Principal,
    notice: Option<String>,
    error: Option<String>,
    form: HashMap<String, String>,
) -> Result<Response, Refused> {
    let org = Leader::of(p).or_refused(&nav)?.organization_id();
    let list = actions::list_interventions(state, p)
        .await
        .or_refused(&nav)?;
    let departments = state.store.departments(org).await.or_refused(&nav)?;
    Ok(render(&InterventionsPage {
        nav,
        notice,
        error,
        cards: list.into_iter().map(card).collect(),
        drivers: DRIVERS.iter().map(|d| d.to_string()).collect(),
        departments: departments.into_iter().map(|d| (d.id, d.name)).collect(),
        default_start: actions::closed_through(state).plus(1).to_string(),
        form,
    }))
}

pub async fn interventions(
    State(state): State<AppState>,
    nav: Nav,
    PageUser(p): PageUser,
) -> Result<Response, Refused> {
    interventions_page(&state, nav, &p, None, None, HashMap::new()).await
}

/// The form: name, level, starts, cost, `driver_NAME=on`, `unit_ID=on`.
pub async fn add_intervention(
    State(state): State<AppState>,
    nav: Nav,
    PageUser(p): PageUser,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refused> {
    Leader::of(&p).or_refused(&nav)?;
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let drivers: Vec<String> = DRIVERS
        .iter()
        .filter(|d| form.contains_key(&format!("driver_{d}")))
        .map(|d| d.to_string())
        .collect();
    let units: Vec<i64> = form
        .keys()
        .filter_map(|k| k.strip_prefix("unit_")?.parse().ok())
        .collect();
    let cost = field("cost").trim().replace([',', '$'], "");
    let cost: i64 = if cost.is_empty() {
        0
    } else {
        match cost.parse() {
            Ok(c) => c,
            Err(_) => {
                let error = Some("cost: whole dollars, 0 or more".into());
                return interventions_page(&state, nav, &p, None, error, form).await;
            }
        }
    };
    let result = actions::add_intervention(
        &state,
        &p,
        NewInterventionInput {
            name: field("name"),
            level: field("level"),
            drivers: &drivers,
            units: &units,
            starts: field("starts"),
            cost,
        },
    )
    .await;
    match result.or_form_error(&nav)? {
        Ok(_) => Ok(Redirect::to("/insights/interventions").into_response()),
        // The form again, as typed, with what to fix.
        Err(e) => interventions_page(&state, nav, &p, None, Some(e.in_words()), form).await,
    }
}

pub async fn remove_intervention(
    State(state): State<AppState>,
    nav: Nav,
    PageUser(p): PageUser,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    actions::remove_intervention(&state, &p, id)
        .await
        .or_refused(&nav)?;
    Ok(Redirect::to("/insights/interventions").into_response())
}

pub struct Line {
    label: String,
    value: String,
}

#[derive(Template)]
#[template(path = "insights_turnover.html")]
struct TurnoverPage {
    nav: Nav,
    error: Option<String>,
    inputs: Vec<(String, String, String, String)>,
    results: Vec<Line>,
    sources: Vec<&'static str>,
}

pub async fn turnover(
    State(state): State<AppState>,
    nav: Nav,
    PageUser(p): PageUser,
    q: Result<axum::extract::Query<TurnoverQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Refused> {
    Leader::of(&p).or_refused(&nav)?;
    let defaults = actions::turnover_defaults(&state, &p)
        .await
        .or_refused(&nav)?;
    let (inputs, mut error) = match q {
        Ok(axum::extract::Query(q)) => (q.apply(defaults), None),
        Err(_) => (defaults, Some("Each input is a number.".to_string())),
    };
    let (inputs, estimate) = match actions::turnover(&p, &inputs).or_form_error(&nav)? {
        Ok(e) => (inputs, e),
        // The defaults' estimate, and what to fix beside the form.
        Err(e) => {
            error = Some(e.in_words());
            let fallback = actions::turnover(&p, &defaults).or_refused(&nav)?;
            (defaults, fallback)
        }
    };
    let field = |name: &str, label: &str, value: f64, hint: &str| {
        (
            name.to_string(),
            label.to_string(),
            format!("{value}"),
            hint.to_string(),
        )
    };
    let e = estimate;
    let roi = |r: Option<f64>| r.map_or("—".to_string(), |r| format!("{:.0}%", r * 100.0));
    Ok(render(&TurnoverPage {
        nav,
        error,
        inputs: vec![
            field(
                "physicians",
                "Physicians",
                inputs.physicians,
                "your physician headcount",
            ),
            field(
                "burnout_rate",
                "Burnout rate (0–1)",
                inputs.burnout_rate,
                "your latest published rate, else 0.54 (Shanafelt 2017)",
            ),
            field(
                "turnover",
                "Annual turnover (0–1)",
                inputs.turnover,
                "0.07 (Shanafelt 2017)",
            ),
            field(
                "relative_risk",
                "Turnover risk, burned out vs not",
                inputs.relative_risk,
                "2 (Shanafelt 2017)",
            ),
            field(
                "replacement_cost_low",
                "Replacement cost, low ($)",
                inputs.replacement_cost_low,
                "$500,000 (Shanafelt 2017)",
            ),
            field(
                "replacement_cost_high",
                "Replacement cost, high ($)",
                inputs.replacement_cost_high,
                "$1,000,000 (Shanafelt 2017)",
            ),
            field(
                "cost_per_physician",
                "Cost of burnout per employed physician per year ($)",
                inputs.cost_per_physician,
                "$7,600 (Han 2019)",
            ),
            field(
                "burnout_drop",
                "Drop in burnout rate to evaluate (0–1)",
                inputs.burnout_drop,
                "0.05 = five percentage points",
            ),
            field(
                "program_cost",
                "Yearly cost of the program ($)",
                inputs.program_cost,
                "optional, for a return on investment",
            ),
        ],
        results: vec![
            Line {
                label: "Turnover among physicians without burnout".into(),
                value: format!("{:.2}%", e.baseline_turnover * 100.0),
            },
            Line {
                label: "Turnover attributable to burnout (share of all physicians per year)".into(),
                value: format!("{:.2}%", e.attributable_turnover * 100.0),
            },
            Line {
                label: "Departures per year attributable to burnout".into(),
                value: format!("{:.1}", e.departures_per_year),
            },
            Line {
                label: "Their yearly replacement cost".into(),
                value: format!(
                    "{} to {}",
                    dollars(e.annual_cost_low),
                    dollars(e.annual_cost_high)
                ),
            },
            Line {
                label: "Cost of burnout by Han et al. 2019".into(),
                value: dollars(e.han_annual_cost),
            },
            Line {
                label: "Departures avoided per year by the drop".into(),
                value: format!("{:.1}", e.departures_avoided),
            },
            Line {
                label: "Yearly savings (replacement cost)".into(),
                value: format!("{} to {}", dollars(e.savings_low), dollars(e.savings_high)),
            },
            Line {
                label: "Yearly savings (Han et al. 2019)".into(),
                value: dollars(e.han_savings),
            },
            Line {
                label: "Return on the program".into(),
                value: format!("{} to {}", roi(e.roi_low), roi(e.roi_high)),
            },
        ],
        sources: SOURCES.to_vec(),
    }))
}
