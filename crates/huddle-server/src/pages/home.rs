use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{render, Nav, OrRefused, Refused};
use crate::actions::verification;
use crate::auth::access::shows;
use crate::auth::Principal;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    nav: Nav,
    verification_status: &'static str,
    pending_verifications: usize,
    mfa_enabled: bool,
    reminder_due: bool,
    unread: i64,
}

/// The landing page for visitors; for a signed-in person, what exists for their roles.
pub async fn home(
    State(state): State<AppState>,
    nav: Nav,
    principal: Option<axum::Extension<Principal>>,
) -> Result<Response, Refused> {
    let mut page = Home {
        nav,
        verification_status: "unverified",
        pending_verifications: 0,
        mfa_enabled: false,
        reminder_due: false,
        unread: 0,
    };
    if let Some(axum::Extension(p)) = principal {
        page.mfa_enabled = p.user.mfa_enabled();
        page.unread = page.nav.user.as_ref().map_or(0, |u| u.unread);
        page.reminder_due = crate::actions::wellbeing::reminder_due(&state, &p)
            .await
            .unwrap_or(false);
        let (status, _) = verification::status(&state, p.id())
            .await
            .or_refused(&page.nav)?;
        page.verification_status = status.as_str();
        if shows::verifier(&p) {
            page.pending_verifications = state
                .store
                .pending_verifications(200)
                .await
                .map(|v| v.len())
                .unwrap_or(0);
        }
    }
    Ok(render(&page))
}
