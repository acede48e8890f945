//! The physician's verification form and status, and the verifier's queue.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use axum::Form;
use huddle_core::clock::Zone;
use huddle_core::identity::{specialty, LicenseState, Npi, Specialty, SpecialtyGroup, SPECIALTIES};
use huddle_store::VerificationRequest;
use serde::Deserialize;

use super::{render, Nav, OrRefused, Refused};
use crate::actions::verification::{self as actions, Submission};
use crate::auth::PageUser;
use crate::state::AppState;

pub struct GroupOptions {
    name: &'static str,
    specialties: Vec<&'static Specialty>,
}

fn specialty_groups() -> Vec<GroupOptions> {
    SpecialtyGroup::ALL
        .iter()
        .map(|g| GroupOptions {
            name: g.name(),
            specialties: SPECIALTIES.iter().filter(|s| s.group == *g).collect(),
        })
        .collect()
}

pub struct RequestFacts {
    npi: String,
    license_state: String,
    license_number: String,
    specialty: &'static str,
    submitted: String,
    reason: Option<String>,
}

impl RequestFacts {
    fn of(r: &VerificationRequest, zone: &Zone) -> Self {
        RequestFacts {
            npi: r.npi.clone(),
            license_state: r.license_state.clone(),
            license_number: r.license_number.clone(),
            specialty: specialty(&r.specialty_code).map_or("Unknown", |s| s.display_name),
            submitted: zone.format(r.submitted_at),
            reason: r.reason.clone(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct VerificationForm {
    #[serde(default)]
    npi: String,
    #[serde(default)]
    license_state: String,
    #[serde(default)]
    license_number: String,
    #[serde(default)]
    specialty_code: String,
}

#[derive(Template)]
#[template(path = "verification.html")]
struct VerificationPage {
    nav: Nav,
    status: &'static str,
    request: Option<RequestFacts>,
    error: Option<String>,
    form: VerificationForm,
    states: &'static [&'static str],
    specialty_groups: Vec<GroupOptions>,
}

async fn verification_page(
    state: &AppState,
    nav: Nav,
    user_id: i64,
    error: Option<String>,
    form: Option<VerificationForm>,
) -> Result<Response, Refused> {
    let (status, request) = actions::status(state, user_id).await.or_refused(&nav)?;
    let form = form.unwrap_or_else(|| match &request {
        Some(r) => VerificationForm {
            npi: r.npi.clone(),
            license_state: r.license_state.clone(),
            license_number: r.license_number.clone(),
            specialty_code: r.specialty_code.clone(),
        },
        None => VerificationForm::default(),
    });
    let request = request.as_ref().map(|r| RequestFacts::of(r, &nav.zone));
    Ok(render(&VerificationPage {
        nav,
        status: status.as_str(),
        request,
        error,
        form,
        states: LicenseState::all(),
        specialty_groups: specialty_groups(),
    }))
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    verification_page(&state, nav, p.id(), None, None).await
}

pub async fn submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Form(form): Form<VerificationForm>,
) -> Result<Response, Refused> {
    let submission = Submission {
        npi: &form.npi,
        license_state: &form.license_state,
        license_number: &form.license_number,
        specialty_code: &form.specialty_code,
    };
    match actions::submit(&state, &p, submission)
        .await
        .or_form_error(&nav)?
    {
        Ok(_) => verification_page(&state, nav, p.id(), None, None).await,
        // The form again, as typed, with what to fix.
        Err(e) => verification_page(&state, nav, p.id(), Some(e.in_words()), Some(form)).await,
    }
}

#[derive(Deserialize)]
pub struct NpiForm {
    #[serde(default)]
    npi: String,
}

/// The live hint under the NPI field (htmx): checks the format and check digit as the
/// physician types, before they submit.
pub async fn check_npi(PageUser(_): PageUser, Form(form): Form<NpiForm>) -> Html<String> {
    let text = if form.npi.trim().is_empty() {
        String::new()
    } else {
        match Npi::parse(&form.npi) {
            Ok(_) => "✓ Well-formed NPI".to_string(),
            Err(e) => format!("✗ {e}"),
        }
    };
    Html(huddle_core::markup::escape(&text))
}

pub struct QueueRow {
    id: i64,
    display_name: String,
    email: String,
    npi: String,
    license_state: String,
    license_number: String,
    specialty: &'static str,
    submitted: String,
    nppes: String,
}

#[derive(Template)]
#[template(path = "verifier.html")]
struct VerifierPage {
    nav: Nav,
    notice: Option<String>,
    error: Option<String>,
    items: Vec<QueueRow>,
}

async fn queue_page(
    state: &AppState,
    nav: Nav,
    p: &crate::auth::Principal,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, Refused> {
    let zone = nav.zone.clone();
    let items = actions::queue(state, p).await.or_refused(&nav)?;
    let items = items
        .into_iter()
        .map(|i| QueueRow {
            id: i.request.id,
            display_name: i.display_name,
            email: i.email,
            npi: i.request.npi,
            license_state: i.request.license_state,
            license_number: i.request.license_number,
            specialty: i.specialty_name,
            submitted: zone.format(i.request.submitted_at),
            nppes: match i.nppes {
                None => "NPI not in the imported extract".into(),
                Some(m) => format!(
                    "individual: {} · name: {} · licence: {} · specialty: {}",
                    yes_no(m.individual),
                    yes_no(m.name),
                    yes_no(m.license),
                    yes_no(m.specialty)
                ),
            },
        })
        .collect();
    Ok(render(&VerifierPage {
        nav,
        notice,
        error,
        items,
    }))
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "matches"
    } else {
        "DIFFERS"
    }
}

pub async fn queue(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
) -> Result<Response, Refused> {
    queue_page(&state, nav, &p, None, None).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    nav: Nav,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, Refused> {
    let approve = form.decision == "approve";
    match actions::decide(&state, &p, id, approve, &form.reason)
        .await
        .or_form_error(&nav)?
    {
        Ok(_) => {
            let notice = if approve { "Approved." } else { "Rejected." };
            queue_page(&state, nav, &p, Some(notice.into()), None).await
        }
        Err(e) => queue_page(&state, nav, &p, None, Some(e.in_words())).await,
    }
}
