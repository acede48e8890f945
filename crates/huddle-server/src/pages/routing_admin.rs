//! Routing for an organization's administrators: the interruption report, the delivery
//! policy editor and the shift schedule (paste a CSV or an iCalendar export).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use huddle_core::routing::metrics::Burden;
use huddle_core::routing::policy::CategoryPolicy;
use huddle_core::routing::Policy;
use serde::Deserialize;

use super::{render, FormError, Nav, OrRefused, Refused};
use crate::actions::intake::{self, IntegrationRequest, IntegrationView};
use crate::actions::routing as actions;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::state::AppState;

pub struct KindRow {
    name: String,
    /// Whole minutes, or what was typed when the policy was refused.
    minutes: String,
    always: bool,
}

pub struct BurdenRow {
    who: String,
    burden: Burden,
    median_ack: String,
}

pub struct FeedRow {
    feed: IntegrationView,
    last_used: String,
}

pub struct ShiftRow {
    who: String,
    service: String,
    role: String,
    start: String,
    end: String,
}

#[derive(Template)]
#[template(path = "routing_admin.html")]
struct RoutingPage {
    nav: Nav,
    notice: Option<String>,
    /// A refused policy (`"policy"`), schedule (`"schedule"`) or feed (`"feed"`), beside its
    /// form.
    error: FormError,
    /// A refused feed, as typed.
    feed: FeedDraft,
    org_id: i64,
    version: i64,
    kinds: Vec<KindRow>,
    escalation: String,
    team_digests: bool,
    services: Vec<BurdenRow>,
    physicians: Vec<BurdenRow>,
    shifts: Vec<ShiftRow>,
    integrations: Vec<FeedRow>,
    /// A feed's credential right after registration: shown this once.
    credential: Option<String>,
    /// The organization's time zone, in which pasted schedules are read.
    org_zone: String,
    /// A pasted schedule that was refused, as pasted.
    schedule: String,
}

/// What one rendering shows beside the organization's routing.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    error: FormError,
    /// A feed's credential, right after registration.
    credential: Option<String>,
    /// A refused schedule, to fix and paste again.
    schedule: String,
    /// A refused policy, as typed (else the saved one).
    policy: Option<PolicyDraft>,
    /// A refused feed, as typed.
    feed: FeedDraft,
}

/// The policy editor's fields, as typed.
struct PolicyDraft {
    kinds: Vec<KindRow>,
    escalation: String,
    team_digests: bool,
}

/// The feed form's fields, as typed. (Read here rather than as the API's
/// `IntegrationRequest`, which refuses unknown fields such as the form's `csrf_token`.)
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct FeedDraft {
    name: String,
    sources: String,
    kinds: String,
    addresses: String,
    hl7_application: String,
    hl7_facility: String,
}

#[derive(Deserialize)]
pub struct OrgQuery {
    org: Option<i64>,
}

/// The organization an admin page is about: the one asked for, else the viewer's own.
pub(super) fn organization(p: &Principal, asked: Option<i64>) -> Result<i64, ApiError> {
    asked
        .or(p.user.organization_id)
        .ok_or_else(|| ApiError::forbidden("you belong to no organization"))
}

fn minutes(s: Option<i64>) -> String {
    s.map_or("—".into(), |s| format!("{:.1} min", s as f64 / 60.0))
}

async fn page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    org_id: i64,
    notice: Option<String>,
) -> Result<Response, Refused> {
    let shown = Shown {
        notice,
        ..Shown::default()
    };
    page_with(state, nav, p, org_id, shown).await
}

async fn page_with(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    org_id: i64,
    shown: Shown,
) -> Result<Response, Refused> {
    let for_refusal = nav.clone();
    let page = routing_page(state, nav, p, org_id, shown)
        .await
        .or_refused(&for_refusal)?;
    Ok(render(&page))
}

async fn routing_page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    org_id: i64,
    shown: Shown,
) -> Result<RoutingPage, ApiError> {
    let zone = nav.zone.clone();
    let integrations = intake::list(state, p, org_id).await?;
    let (policy, versions) = actions::policy_versions(state, p, org_id).await?;
    let report = actions::report(state, p, org_id, 14).await?;
    let shifts = actions::shifts(state, p, org_id).await?;
    let org_zone = crate::actions::organizations::organization_zone(state, org_id)
        .await?
        .name()
        .to_string();
    let people: std::collections::HashMap<i64, String> = state
        .store
        .users_in_organization(org_id)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let name = |id: i64| people.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let mut kinds: Vec<(i64, &String, bool)> = policy
        .categories
        .iter()
        .map(|(k, c)| (c.max_delay_s / 60, k, policy.is_critical_kind(k)))
        .collect::<Vec<_>>();
    kinds.sort();
    let kinds = kinds
        .into_iter()
        .map(|(minutes, k, always)| KindRow {
            name: k.clone(),
            minutes: minutes.to_string(),
            always,
        })
        .collect();
    let typed = shown.policy.unwrap_or_else(|| PolicyDraft {
        kinds,
        escalation: policy
            .escalation_s
            .iter()
            .map(|s| (s / 60).to_string())
            .collect::<Vec<_>>()
            .join(", "),
        team_digests: policy.team_digests,
    });
    Ok(RoutingPage {
        org_zone,
        nav,
        notice: shown.notice,
        error: shown.error,
        feed: shown.feed,
        schedule: shown.schedule,
        org_id,
        version: versions.first().map_or(0, |v| v.version),
        kinds: typed.kinds,
        escalation: typed.escalation,
        team_digests: typed.team_digests,
        services: report
            .by_service
            .into_iter()
            .map(|(who, burden)| BurdenRow {
                median_ack: minutes(burden.median_ack_s),
                who,
                burden,
            })
            .collect(),
        physicians: report
            .by_physician
            .into_iter()
            .map(|(id, burden)| BurdenRow {
                median_ack: minutes(burden.median_ack_s),
                who: name(id),
                burden,
            })
            .collect(),
        shifts: shifts
            .into_iter()
            .map(|s| ShiftRow {
                who: name(s.user_id),
                service: s.service,
                role: s.role,
                start: zone.format(s.starts_at),
                end: zone.format(s.ends_at),
            })
            .collect(),
        integrations: integrations
            .into_iter()
            .map(|feed| FeedRow {
                last_used: feed
                    .last_used_at
                    .map_or("never".into(), |at| zone.format(at)),
                feed,
            })
            .collect(),
        credential: shown.credential,
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    page(&state, nav, &p, org, None).await
}

/// The policy form: rows `name_N`, `minutes_N`, `always_N`, then `escalation` (minutes,
/// comma-separated) and `team_digests`.
pub async fn save_policy(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim());
    // What the form does not show (digest cadences, service leads) stays as it was.
    let (current, _) = actions::policy(&state, org).await.or_refused(&nav)?;
    let mut policy = Policy {
        categories: Default::default(),
        ..current
    };
    let mut error = None;
    // The rows as typed, shown again if the policy is refused.
    let mut typed = PolicyDraft {
        kinds: Vec::new(),
        escalation: get("escalation").unwrap_or("").to_string(),
        team_digests: get("team_digests").is_some(),
    };
    for i in 0..200 {
        let Some(name) = get(&format!("name_{i}")) else {
            break;
        };
        if name.is_empty() {
            continue;
        }
        let minutes = get(&format!("minutes_{i}")).unwrap_or("");
        let always = get(&format!("always_{i}")).is_some();
        match minutes.parse::<i64>() {
            Ok(m) if m >= 0 => {
                policy.categories.insert(
                    name.to_ascii_lowercase(),
                    CategoryPolicy {
                        max_delay_s: m * 60,
                        always_interrupt: always,
                    },
                );
            }
            _ => {
                error = Some(FormError::said(
                    "policy",
                    format!("{name}: the longest wait is a whole number of minutes"),
                    Some(&format!("minutes_{}", typed.kinds.len())),
                ))
            }
        }
        typed.kinds.push(KindRow {
            name: name.to_string(),
            minutes: minutes.to_string(),
            always,
        });
    }
    match get("escalation")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<i64>().map(|m| m * 60))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(steps) => policy.escalation_s = steps,
        Err(_) => {
            error = Some(FormError::said(
                "policy",
                "escalation: minutes, separated by commas (e.g. 5, 15, 30)".into(),
                Some("escalation"),
            ))
        }
    }
    policy.team_digests = typed.team_digests;
    let error = match error {
        Some(error) => error,
        None => match actions::save_policy(&state, &p, org, policy)
            .await
            .or_form_error(&nav)?
        {
            Ok(v) => {
                let to = format!("/admin/routing?org={org}&saved={}", v.version);
                return Ok(Redirect::to(&to).into_response());
            }
            Err(e) => FormError::of("policy", &e),
        },
    };
    // The editor again, as typed, with what to fix.
    let shown = Shown {
        error,
        policy: Some(typed),
        ..Shown::default()
    };
    page_with(&state, nav, &p, org, shown).await
}

#[derive(Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    schedule: String,
}

/// A pasted schedule: CSV (`email,service,role,start,end`) or an iCalendar export.
pub async fn import_schedule(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
    Form(f): Form<ScheduleForm>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    match import(&state, &p, org, f.schedule.trim())
        .await
        .or_form_error(&nav)?
    {
        Ok(n) => page(&state, nav, &p, org, Some(format!("{n} shifts imported."))).await,
        // The schedule again, as pasted, with what to fix.
        Err(e) => {
            let shown = Shown {
                error: FormError::of("schedule", &e),
                schedule: f.schedule,
                ..Shown::default()
            };
            page_with(&state, nav, &p, org, shown).await
        }
    }
}

/// Reads a pasted schedule (an iCalendar export in the organization's zone, or CSV) and
/// imports its shifts.
async fn import(state: &AppState, p: &Principal, org: i64, text: &str) -> Result<u64, ApiError> {
    let shifts = if text.starts_with("BEGIN:VCALENDAR") {
        let zone = crate::actions::organizations::organization_zone(state, org).await?;
        actions::parse_shift_calendar(text, &zone, state.now())?
    } else {
        actions::parse_shift_csv(text)?
    };
    actions::import_shifts(state, p, org, shifts).await
}

/// Registers a feed; the page shows its credential once.
pub async fn register_integration(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
    Form(typed): Form<FeedDraft>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    let request = IntegrationRequest {
        name: typed.name.clone(),
        sources: typed.sources.clone(),
        kinds: typed.kinds.clone(),
        addresses: typed.addresses.clone(),
        hl7_application: typed.hl7_application.clone(),
        hl7_facility: typed.hl7_facility.clone(),
    };
    match intake::register(&state, &p, org, request)
        .await
        .or_form_error(&nav)?
    {
        Ok((feed, credential)) => {
            let shown = Shown {
                notice: Some(format!(
                    "{} is registered. Copy its credential now: Huddle keeps only a hash and will not show it again.",
                    feed.name
                )),
                credential: Some(credential),
                ..Shown::default()
            };
            page_with(&state, nav, &p, org, shown).await
        }
        // The feed form again, as typed, with what to fix.
        Err(e) => {
            let shown = Shown {
                error: FormError::of("feed", &e),
                feed: typed,
                ..Shown::default()
            };
            page_with(&state, nav, &p, org, shown).await
        }
    }
}

pub async fn revoke_integration(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Query(q): Query<OrgQuery>,
    Path(id): Path<i64>,
) -> Result<Response, Refused> {
    let org = organization(&p, q.org).or_refused(&nav)?;
    intake::revoke(&state, &p, org, id).await.or_refused(&nav)?;
    let notice = "The feed's credential is revoked.".to_string();
    page(&state, nav, &p, org, Some(notice)).await
}
