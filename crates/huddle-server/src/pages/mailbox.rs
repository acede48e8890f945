//! The pages a mailed link opens, and the forms that ask for one: confirming an address,
//! asking for a password reset and setting the new password. A link only opens a page;
//! a button on it acts, so a mail scanner that follows links changes nothing.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::{render, Nav, OrRefused, Refused};
use crate::actions::mailbox::{self as actions, LINK_SENT_IF_ACCOUNT};
use crate::auth::ClientIp;
use crate::error::ApiError;
use crate::state::AppState;

pub enum MailboxForm {
    /// An address to mail a link to; the form posts to the path.
    AskForLink(&'static str),
    /// Confirm an address with the link's token.
    Confirm(String),
    /// A new password with the link's token.
    NewPassword(String),
    None,
}

#[derive(Template)]
#[template(path = "mailbox.html")]
struct MailboxPage {
    nav: Nav,
    title: &'static str,
    notice: Option<String>,
    error: Option<String>,
    email: String,
    form: MailboxForm,
}

impl MailboxPage {
    fn new(nav: Nav, title: &'static str, form: MailboxForm) -> MailboxPage {
        MailboxPage {
            nav,
            title,
            notice: None,
            error: None,
            email: String::new(),
            form,
        }
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
pub struct EmailForm {
    email: String,
}

const FORGOT: &str = "Forgot your password?";
const CONFIRM: &str = "Confirm your address";
const NEW_PASSWORD: &str = "Set a new password";

pub async fn forgot_page(nav: Nav) -> Response {
    render(&MailboxPage::new(
        nav,
        FORGOT,
        MailboxForm::AskForLink("/password/forgot"),
    ))
}

pub async fn forgot(
    State(state): State<AppState>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    Form(f): Form<EmailForm>,
) -> Result<Response, Refused> {
    let asked = actions::request_password_reset(&state, ip, &f.email).await;
    answer_request(nav, FORGOT, "/password/forgot", f.email, asked)
}

/// The same page whether or not the address has an account.
fn answer_request(
    nav: Nav,
    title: &'static str,
    action: &'static str,
    email: String,
    asked: Result<(), ApiError>,
) -> Result<Response, Refused> {
    let mut page = MailboxPage::new(nav, title, MailboxForm::AskForLink(action));
    match asked.or_form_error(&page.nav)? {
        Ok(()) => {
            page.notice = Some(LINK_SENT_IF_ACCOUNT.into());
            page.form = MailboxForm::None;
        }
        Err(e) => {
            page.error = Some(e.in_words());
            page.email = email;
        }
    }
    Ok(render(&page))
}

pub async fn reset_page(
    State(state): State<AppState>,
    nav: Nav,
    Query(q): Query<TokenQuery>,
) -> Result<Response, Refused> {
    let token = q.token.unwrap_or_default();
    let works = actions::reset_link_works(&state, &token)
        .await
        .or_refused(&nav)?;
    let mut page = MailboxPage::new(nav, NEW_PASSWORD, MailboxForm::None);
    if works {
        page.form = MailboxForm::NewPassword(token);
    } else {
        page.error = Some(
            "This link no longer works (it was used, replaced by a newer one, or expired). \
             Ask for a new one."
                .into(),
        );
        page.form = MailboxForm::AskForLink("/password/forgot");
    }
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct ResetForm {
    token: String,
    password: String,
}

pub async fn reset(
    State(state): State<AppState>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    Form(f): Form<ResetForm>,
) -> Result<Response, Refused> {
    let done = actions::reset_password(&state, ip, &f.token, &f.password).await;
    let mut page = MailboxPage::new(nav, NEW_PASSWORD, MailboxForm::None);
    match done.or_form_error(&page.nav)? {
        Ok(_) => {
            page.notice = Some(
                "Your new password is set, and every device that was signed in is signed out. \
                 Sign in with it now."
                    .into(),
            );
        }
        // A refused password keeps the link usable: the form again.
        Err(e) if e.field() == Some("password") => {
            page.error = Some(e.in_words());
            page.form = MailboxForm::NewPassword(f.token);
        }
        Err(e) => {
            page.error = Some(e.in_words());
            page.form = MailboxForm::AskForLink("/password/forgot");
        }
    }
    Ok(render(&page))
}

/// With a token: the button that confirms. Without: a form that mails a new link.
pub async fn verify_page(nav: Nav, Query(q): Query<TokenQuery>) -> Response {
    let form = match q.token {
        Some(token) => MailboxForm::Confirm(token),
        None => MailboxForm::AskForLink("/verify-email/resend"),
    };
    render(&MailboxPage::new(nav, CONFIRM, form))
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    token: String,
}

pub async fn verify(
    State(state): State<AppState>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    Form(f): Form<ConfirmForm>,
) -> Result<Response, Refused> {
    let done = actions::verify_email(&state, ip, &f.token).await;
    let mut page = MailboxPage::new(nav, CONFIRM, MailboxForm::None);
    match done.or_form_error(&page.nav)? {
        Ok(_) => page.notice = Some("Your address is confirmed. Sign in to Huddle.".into()),
        Err(e) => {
            page.error = Some(e.in_words());
            page.form = MailboxForm::AskForLink("/verify-email/resend");
        }
    }
    Ok(render(&page))
}

pub async fn resend(
    State(state): State<AppState>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    Form(f): Form<EmailForm>,
) -> Result<Response, Refused> {
    let asked = actions::resend_verification(&state, ip, &f.email).await;
    answer_request(nav, CONFIRM, "/verify-email/resend", f.email, asked)
}
