//! The check-in, its results with triage (crisis first), the private history, and the
//! clinician's data (export, delete).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use huddle_core::wellbeing::checkin::DEFAULT;
use huddle_core::wellbeing::{instrument, Answer, Item, Scored};
use huddle_store::Resource;
use serde::Deserialize;

use super::charts::{chart_spec, trend_svg};
use super::{render, FormError, Nav, OrRefused, Refused};
use crate::actions::wellbeing::{self as actions, Help};
use crate::auth::secrets::new_secret;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "wellbeing.html")]
struct WellbeingPage {
    nav: Nav,
    notice: Option<String>,
    error: Option<String>,
    reminder_due: bool,
    reminder_days: i64,
    last_checkin: Option<String>,
}

async fn wellbeing_page(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, Refused> {
    let last_checkin = state
        .store
        .responses(p.id())
        .await
        .or_refused(&nav)?
        .last()
        .map(|r| nav.local(r.submitted_at));
    let reminder_due = actions::reminder_due(state, p).await.or_refused(&nav)?;
    let reminder_days = state
        .store
        .reminder_days(p.id())
        .await
        .or_refused(&nav)?
        .unwrap_or(0);
    Ok(render(&WellbeingPage {
        nav,
        notice,
        error,
        reminder_due,
        reminder_days,
        last_checkin,
    }))
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    wellbeing_page(&state, nav, &p, None, None).await
}

#[derive(Deserialize)]
pub struct ReminderForm {
    #[serde(default)]
    every_days: String,
}

pub async fn reminder(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(f): Form<ReminderForm>,
) -> Result<Response, Refused> {
    let days = match f.every_days.trim() {
        "" => Ok(None),
        d => d
            .parse()
            .map(Some)
            .map_err(|_| ApiError::invalid("every_days", "choose from the list")),
    };
    let outcome = match days {
        Ok(days) => actions::set_reminder(&state, &p, days).await,
        Err(e) => Err(e),
    };
    match outcome.or_form_error(&nav)? {
        Ok(()) => wellbeing_page(&state, nav, &p, Some("Reminder saved.".into()), None).await,
        Err(e) => wellbeing_page(&state, nav, &p, None, Some(e.in_words())).await,
    }
}

/// Starts a check-in: a fresh id groups its instruments.
pub async fn start(PageUser(_p): PageUser) -> Response {
    let id: String = new_secret().chars().take(22).collect();
    Redirect::to(&format!("/wellbeing/checkin/{id}/{}", DEFAULT[0].as_str())).into_response()
}

#[derive(Template)]
#[template(path = "checkin.html")]
struct CheckinPage<'a> {
    nav: Nav,
    /// A refused step (`"checkin"`), naming the item left unanswered.
    error: FormError,
    /// The answers chosen, when the step was refused: (item, code).
    answers: Vec<(String, String)>,
    checkin: String,
    instrument: String,
    title: String,
    stem: String,
    step: usize,
    items: &'a [Item],
}

impl CheckinPage<'_> {
    /// Whether option `code` of `item` was chosen.
    pub fn chosen(&self, item: &str, code: &str) -> bool {
        self.answers.iter().any(|(i, c)| i == item && c == code)
    }
}

/// What a step shows again after a refusal: why, and the answers chosen.
#[derive(Default)]
struct Refusal {
    error: FormError,
    answers: Vec<(String, String)>,
}

fn valid_checkin(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

async fn checkin_form(
    state: &AppState,
    nav: Nav,
    p: &Principal,
    checkin: &str,
    instrument_id: &str,
    refusal: Refusal,
) -> Result<Response, Refused> {
    let Some(inst) = instrument(instrument_id).filter(|_| valid_checkin(checkin)) else {
        return Err(Refused::new(
            &nav,
            ApiError::not_found("no such check-in step"),
        ));
    };
    let answered = actions::checkin_responses(state, p, checkin)
        .await
        .or_refused(&nav)?
        .len();
    Ok(render(&CheckinPage {
        nav,
        error: refusal.error,
        answers: refusal.answers,
        checkin: checkin.to_string(),
        instrument: inst.id.clone(),
        title: inst.title.clone(),
        stem: inst.stem.clone(),
        step: answered + 1,
        items: &inst.items,
    }))
}

pub async fn form(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path((checkin, id)): Path<(String, String)>,
) -> Result<Response, Refused> {
    checkin_form(&state, nav, &p, &checkin, &id, Refusal::default()).await
}

pub async fn answer(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path((checkin, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let chosen: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| k != "csrf_token")
        .collect();
    let answers: Vec<(String, Answer)> = chosen
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                Answer::Coding {
                    system: None,
                    code: v.clone(),
                },
            )
        })
        .collect();
    if !valid_checkin(&checkin) {
        return Err(Refused::new(&nav, ApiError::not_found("no such check-in")));
    }
    match actions::submit(&state, &p, &id, &answers, Some(&checkin))
        .await
        .or_form_error(&nav)?
    {
        // Crisis help first, at once: the rest of the check-in can wait.
        Ok((_, outcome)) if outcome.triage.crisis || outcome.next.is_empty() => {
            Ok(Redirect::to(&format!("/wellbeing/checkin/{checkin}/results")).into_response())
        }
        Ok((_, outcome)) => {
            let next = outcome.next.first().copied().unwrap_or(DEFAULT[0].as_str());
            Ok(Redirect::to(&format!("/wellbeing/checkin/{checkin}/{next}")).into_response())
        }
        Err(e) => {
            let message = match instrument(&id).and_then(|i| i.item(field_of(&e))) {
                Some(item) => format!("Please answer: {}", item.text),
                None => e.detail().to_string(),
            };
            // The step again, with the answers chosen and the question to answer.
            let refusal = Refusal {
                error: FormError::said("checkin", message, e.field()),
                answers: chosen,
            };
            checkin_form(&state, nav, &p, &checkin, &id, refusal).await
        }
    }
}

fn field_of(e: &ApiError) -> &str {
    e.field().unwrap_or_default()
}

pub struct ResultView {
    title: String,
    lines: Vec<String>,
}

pub struct HelpView {
    crisis_shown: bool,
    crisis: Vec<Resource>,
    urgent_contact: Option<String>,
    professional_shown: bool,
    professional: Vec<Resource>,
    burnout_shown: bool,
    structural: Vec<Resource>,
    individual: Vec<Resource>,
    self_care: Vec<Resource>,
}

impl From<Help> for HelpView {
    fn from(h: Help) -> Self {
        HelpView {
            crisis_shown: !h.crisis.is_empty(),
            professional_shown: !h.professional.is_empty(),
            burnout_shown: !h.structural.is_empty() || !h.individual.is_empty(),
            crisis: h.crisis,
            urgent_contact: h.urgent_contact,
            professional: h.professional,
            structural: h.structural,
            individual: h.individual,
            self_care: h.self_care,
        }
    }
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    nav: Nav,
    checkin: String,
    results: Vec<ResultView>,
    next: Vec<&'static str>,
    help: HelpView,
}

fn result_view(r: &Scored) -> ResultView {
    let title = instrument(&r.instrument).map_or_else(
        || "Maslach Burnout Inventory (entered scores)".to_string(),
        |i| i.title.clone(),
    );
    let lines = r
        .scores
        .iter()
        .map(|(name, value)| {
            let band = r.bands.get(name).map(String::as_str).unwrap_or("");
            let label = match name.strip_prefix("pulse_") {
                Some(driver) => driver.replace('_', " "),
                None => chart_spec(name).map_or(name.clone(), |(t, ..)| t.to_string()),
            };
            format!("{label}: {value} — {band}")
        })
        .collect();
    ResultView { title, lines }
}

pub async fn results(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(checkin): Path<String>,
) -> Result<Response, Refused> {
    let responses = actions::checkin_responses(&state, &p, &checkin)
        .await
        .or_refused(&nav)?;
    if responses.is_empty() {
        return Err(Refused::new(
            &nav,
            ApiError::not_found("no check-in with this id"),
        ));
    }
    let outcome = actions::outcome(&responses);
    let help = actions::help_for(&state, &p, &outcome.triage)
        .await
        .or_refused(&nav)?;
    Ok(render(&ResultsPage {
        nav,
        checkin,
        results: outcome.results.iter().map(result_view).collect(),
        next: outcome.next,
        help: help.into(),
    }))
}

pub struct ChartView {
    title: &'static str,
    latest: String,
    svg: String,
}

#[derive(Template)]
#[template(path = "trend.html")]
struct TrendPage {
    nav: Nav,
    charts: Vec<ChartView>,
}

pub async fn trend(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    let zone = nav.zone.clone();
    let all = actions::my_responses(&state, &p).await.or_refused(&nav)?;
    let names = [
        "burnout",
        "phq2",
        "gad2",
        "phq9",
        "gad7",
        "who5",
        "cbi_personal",
        "cbi_work",
        "cbi_patient",
    ];
    let charts = names
        .iter()
        .filter_map(|name| {
            let points: Vec<(i64, f64)> = all
                .iter()
                .filter_map(|o| o.content.scores.get(*name).map(|v| (o.submitted_at, *v)))
                .collect();
            let (title, min, max, bands) = chart_spec(name)?;
            let last = points.last()?;
            Some(ChartView {
                title,
                latest: format!("{} on {}", last.1, zone.format(last.0)),
                svg: trend_svg(title, &points, min, max, &bands),
            })
        })
        .collect();
    Ok(render(&TrendPage { nav, charts }))
}

#[derive(Template)]
#[template(path = "mydata.html")]
struct DataPage {
    nav: Nav,
    notice: Option<String>,
    error: Option<String>,
    count: usize,
}

pub async fn data(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    let count = state.store.responses(p.id()).await.or_refused(&nav)?.len();
    Ok(render(&DataPage {
        nav,
        notice: None,
        error: None,
        count,
    }))
}

/// The same FHIR Bundle as the API export, as a download for the signed-in browser.
pub async fn export(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    let bundle = crate::api::wellbeing::export_for(&state, &p)
        .await
        .or_refused(&nav)?;
    Ok(bundle.into_response())
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

pub async fn erase(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(f): Form<ConfirmForm>,
) -> Result<Response, Refused> {
    if f.confirm != "yes" {
        return Ok(render(&DataPage {
            nav,
            notice: None,
            error: Some("Tick the box to confirm.".into()),
            count: 0,
        }));
    }
    let n = actions::erase(&state, &p).await.or_refused(&nav)?;
    Ok(render(&DataPage {
        nav,
        notice: Some(format!("Deleted {n} response(s) and your data key.")),
        error: None,
        count: 0,
    }))
}
