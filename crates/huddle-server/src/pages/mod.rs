//! Server-rendered pages (askama templates in web/templates, htmx for small live parts).
//! Every page works on a phone and with a keyboard; every form carries the CSRF token.

use askama::Template;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use huddle_core::clock::{Millis, Zone};

use crate::auth::access::shows;
use crate::auth::{CsrfToken, Principal};
use crate::error::{ApiError, ErrorKind};
use crate::state::AppState;

mod admin;
mod app;
mod charts;
mod home;
mod identity;
mod insights;
mod invitations;
mod lounge;
mod mailbox;
mod messaging;
mod reach;
mod resources;
mod routing;
mod routing_admin;
mod scim;
mod sso;
mod verification;
mod wellbeing;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/signup", get(identity::signup_page).post(identity::signup))
        .route("/signin", get(identity::signin_page).post(identity::signin))
        .route(
            "/signin/mfa",
            get(identity::mfa_page).post(identity::mfa_submit),
        )
        .route("/signout", post(identity::signout))
        .route(
            "/password/forgot",
            get(mailbox::forgot_page).post(mailbox::forgot),
        )
        .route(
            "/password/reset",
            get(mailbox::reset_page).post(mailbox::reset),
        )
        .route(
            "/verify-email",
            get(mailbox::verify_page).post(mailbox::verify),
        )
        .route("/verify-email/resend", post(mailbox::resend))
        .route(
            "/invitations/accept",
            get(invitations::open).post(invitations::accept),
        )
        .route("/account", get(identity::account))
        .route(
            "/account/notifications",
            get(reach::settings).post(reach::save),
        )
        .route("/account/password", post(identity::change_password))
        .route("/account/time-zone", post(identity::set_time_zone))
        .route(
            "/account/mfa",
            get(identity::mfa_setup).post(identity::mfa_enable),
        )
        .route("/account/mfa/disable", post(identity::mfa_disable))
        .route("/account/tokens", post(identity::create_token))
        .route(
            "/account/passkeys",
            post(identity::add_passkey_without_script),
        )
        .route(
            "/account/passkeys/{id}/remove",
            post(identity::remove_passkey),
        )
        .route(
            "/account/devices/{id}/remove",
            post(identity::remove_device),
        )
        .route("/account/tokens/{id}/revoke", post(identity::revoke_token))
        .route(
            "/verification",
            get(verification::page).post(verification::submit),
        )
        .route("/verification/check-npi", post(verification::check_npi))
        .route("/verifier", get(verification::queue))
        .route("/verifier/{id}", post(verification::decide))
        .route("/admin", get(admin::page))
        .route("/admin/organizations", post(admin::create_organization))
        .route("/admin/departments", post(admin::create_department))
        .route("/admin/time-zone", post(admin::set_time_zone))
        .route("/admin/members", post(admin::save_member))
        .route("/admin/members/{id}/leaving", post(admin::leaving))
        .route(
            "/admin/invitations/{id}/revoke",
            post(admin::revoke_invitation),
        )
        .route("/admin/audit", get(admin::audit))
        .route("/messages", get(messaging::inbox).post(messaging::create))
        .route("/messages/{id}", get(messaging::view).post(messaging::send))
        .route("/messages/{id}/read", post(messaging::read))
        .route("/messages/channels/{id}/join", post(messaging::join))
        .route("/messages/status", post(messaging::status))
        .route(
            "/messages/{id}/delete/{message_id}",
            post(messaging::delete),
        )
        .route("/wellbeing", get(wellbeing::page))
        .route("/wellbeing/reminder", post(wellbeing::reminder))
        .route("/wellbeing/checkin", post(wellbeing::start))
        .route(
            "/wellbeing/checkin/{checkin}/results",
            get(wellbeing::results),
        )
        .route(
            "/wellbeing/checkin/{checkin}/{instrument}",
            get(wellbeing::form).post(wellbeing::answer),
        )
        .route("/wellbeing/trend", get(wellbeing::trend))
        .route("/wellbeing/data", get(wellbeing::data))
        .route("/wellbeing/data/export", get(wellbeing::export))
        .route("/wellbeing/data/delete", post(wellbeing::erase))
        .route("/resources", get(resources::page).post(resources::add))
        .route("/resources/urgent-contact", post(resources::urgent_contact))
        .route("/resources/{id}/delete", post(resources::remove))
        .route("/alerts", get(routing::page))
        .route("/admin/routing", get(routing_admin::show))
        .route("/admin/scim", get(scim::show))
        .route("/admin/scim/credentials", post(scim::create_credential))
        .route(
            "/admin/scim/credentials/{id}/revoke",
            post(scim::revoke_credential),
        )
        .route("/admin/scim/groups/{id}/mapping", post(scim::map_group))
        .route("/admin/reach", get(reach::admin))
        .route("/admin/sso", get(sso::admin).post(sso::save))
        .route("/auth/sso", post(sso::start))
        .route("/auth/sso/callback", get(sso::callback))
        .route("/admin/reach/policy", post(reach::save_reach))
        .route("/admin/reach/gateway", post(reach::save_gateway))
        .route("/admin/reach/secret", post(reach::reveal_secret))
        .route("/admin/routing/policy", post(routing_admin::save_policy))
        .route(
            "/admin/routing/schedule",
            post(routing_admin::import_schedule),
        )
        .route("/alerts/{id}", get(routing::detail))
        .route("/page", get(routing::page_form).post(routing::send_page))
        .route("/page/sent", get(routing::sent_pages))
        .route(
            "/admin/routing/integrations",
            post(routing_admin::register_integration),
        )
        .route(
            "/admin/routing/integrations/{id}/revoke",
            post(routing_admin::revoke_integration),
        )
        .route("/alerts/{id}/acknowledge", post(routing::acknowledge))
        .route("/alerts/{id}/answer", post(routing::answer))
        .route("/lounge", get(lounge::home))
        .route("/lounge/spaces/{slug}", get(lounge::space))
        .route("/lounge/new", get(lounge::new_thread))
        .route("/lounge/threads", post(lounge::create))
        .route("/lounge/threads/{id}", get(lounge::thread))
        .route(
            "/lounge/threads/{id}/after/{post_id}",
            get(lounge::replies_after),
        )
        .route("/lounge/threads/{id}/replies", post(lounge::reply))
        .route("/lounge/threads/{id}/follow", post(lounge::follow))
        .route("/lounge/threads/{id}/bookmark", post(lounge::bookmark))
        .route("/lounge/threads/{id}/poll", post(lounge::vote))
        .route("/lounge/posts/{id}/helpful", post(lounge::helpful))
        .route("/lounge/posts/{id}/accept", post(lounge::accept))
        .route("/lounge/posts/{id}/report", post(lounge::report))
        .route("/lounge/posts/{id}/reveal", post(lounge::reveal))
        .route("/lounge/me", get(lounge::me))
        .route("/lounge/me/read", post(lounge::mark_read))
        .route(
            "/lounge/moderation",
            get(lounge::moderation).post(lounge::moderate),
        )
        .route("/insights", get(insights::dashboard))
        .route("/insights/drivers", get(insights::drivers))
        .route(
            "/insights/interventions",
            get(insights::interventions).post(insights::add_intervention),
        )
        .route(
            "/insights/interventions/{id}/delete",
            post(insights::remove_intervention),
        )
        .route("/insights/turnover", get(insights::turnover))
        .route("/static/{file}", get(static_file))
        .route("/manifest.webmanifest", get(app::manifest))
        .route("/sw.js", get(app::service_worker))
        .route("/offline", get(app::offline))
        .fallback(|nav: Nav| async move {
            error_page(
                nav,
                StatusCode::NOT_FOUND,
                "Not found",
                "There is no page here.",
            )
        })
}

/// What the layout needs on every page: who is signed in, the CSRF token for forms, and
/// the time zone the viewer reads times in (their own, else their organization's, else UTC).
#[derive(Clone)]
pub struct Nav {
    pub csrf: String,
    pub user: Option<NavUser>,
    pub zone: Zone,
}

#[derive(Clone)]
pub struct NavUser {
    pub name: String,
    pub physician: bool,
    pub verifier: bool,
    pub admin: bool,
    pub system_admin: bool,
    /// Well-being leads and organization admins see Insights.
    pub insights: bool,
    /// Physicians and clinicians of an organization page; for clinicians it comes first.
    pub pager: bool,
    pub id: i64,
    /// Unread messages in all their conversations: the menu's badge and the app's.
    pub unread: i64,
}

impl Nav {
    pub fn new(csrf: &CsrfToken, principal: Option<&Principal>) -> Nav {
        Nav {
            csrf: csrf.0.clone(),
            user: principal.map(|p| NavUser {
                name: p.user.display_name.clone(),
                physician: shows::physician(p),
                verifier: shows::verifier(p),
                admin: shows::admin(p),
                system_admin: shows::system_admin(p),
                insights: shows::leader(p),
                pager: shows::pager(p),
                id: p.id(),
                unread: 0,
            }),
            zone: Zone::utc(),
        }
    }

    pub fn with_zone(mut self, zone: Zone) -> Nav {
        self.zone = zone;
        self
    }

    /// The viewer's zone read again (after they or their administrator changed it).
    pub async fn rezoned(self, state: &AppState, user_id: i64) -> Nav {
        match crate::actions::organizations::viewer_zone(state, user_id).await {
            Ok(zone) => self.with_zone(zone),
            Err(_) => self,
        }
    }

    /// A moment on the viewer's wall clock: `2026-11-22 13:40 EST`.
    pub fn local(&self, at: Millis) -> String {
        self.zone.format(at)
    }
}

impl axum::extract::FromRequestParts<AppState> for Nav {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let csrf = CsrfToken::from_request_parts(parts, state).await?;
        let principal = parts.extensions.get::<Principal>();
        let zone = match principal {
            // A page still renders if the zone cannot be read: in UTC.
            Some(p) => crate::actions::organizations::viewer_zone(state, p.id())
                .await
                .unwrap_or_default(),
            None => Zone::utc(),
        };
        let mut nav = Nav::new(&csrf, principal).with_zone(zone);
        if let (Some(user), Some(p)) = (nav.user.as_mut(), principal) {
            // A page still renders if the count cannot be read: without a badge.
            user.unread = crate::actions::messaging::unread_total(state, p.id())
                .await
                .unwrap_or(0);
        }
        Ok(nav)
    }
}

pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    nav: Nav,
    title: &'a str,
    message: &'a str,
}

pub fn error_page(nav: Nav, status: StatusCode, title: &str, message: &str) -> Response {
    let mut response = render(&ErrorPage {
        nav,
        title,
        message,
    });
    *response.status_mut() = status;
    response
}

/// An action's failure as a page of its own (forms show theirs beside the form: see
/// [`ApiError::belongs_on_the_form`]).
fn refused(nav: Nav, e: &ApiError) -> Response {
    let title = match e.kind() {
        ErrorKind::NotAllowed => "Not allowed",
        ErrorKind::NotFound => "Not found",
        _ => "That did not work",
    };
    error_page(nav, e.status(), title, e.detail())
}

/// An action's failure on its way to a page: handlers return `Result<Response, Refused>`
/// and write `action(…).await.or_refused(&nav)?`.
pub struct Refused(Box<(Nav, ApiError)>);

impl Refused {
    pub fn new(nav: &Nav, error: ApiError) -> Refused {
        Refused(Box::new((nav.clone(), error)))
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let (nav, error) = *self.0;
        refused(nav, &error)
    }
}

pub trait OrRefused<T> {
    /// Any error becomes a page of its own.
    fn or_refused(self, nav: &Nav) -> Result<T, Refused>;

    /// For an action a form submitted: an error that belongs on the form comes back as
    /// `Ok(Err(e))` (the handler shows the form again, with what was typed and `e` beside
    /// it); any other becomes a page of its own. Written
    /// `match action(…).await.or_form_error(&nav)? { Ok(v) => …, Err(e) => form(…, e) }`.
    fn or_form_error(self, nav: &Nav) -> Result<Result<T, ApiError>, Refused>;
}

/// For an action's `ApiError` and for a store error read directly (`StoreError`).
impl<T, E: Into<ApiError>> OrRefused<T> for Result<T, E> {
    fn or_refused(self, nav: &Nav) -> Result<T, Refused> {
        self.map_err(|e| Refused::new(nav, e.into()))
    }

    fn or_form_error(self, nav: &Nav) -> Result<Result<T, ApiError>, Refused> {
        match self.map_err(Into::into) {
            Ok(value) => Ok(Ok(value)),
            Err(e) if e.belongs_on_the_form() => Ok(Err(e)),
            Err(e) => Err(Refused::new(nav, e)),
        }
    }
}

/// The first value of `name` in a form read as pairs (one with repeated fields), or "".
pub fn pair(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// A refusal shown beside the form it came from, on a page with several forms: which
/// form (`"status"`, `"member-7"`), the message in words, and the field it names, so the
/// template puts the message under that form (`role="alert"`, `id="{form}-error"`) and marks
/// the field (`aria-invalid`, `aria-describedby`). Empty on a page shown fresh.
#[derive(Default)]
pub struct FormError(Option<Beside>);

struct Beside {
    form: String,
    message: String,
    /// The field's name without an index: `members[1]` is `members`.
    field: Option<String>,
}

impl FormError {
    /// An action's refusal of `form`, in words, naming its field.
    pub fn of(form: impl Into<String>, e: &ApiError) -> FormError {
        FormError::said(form, e.in_words(), e.field())
    }

    /// A refusal the page itself made (a value it could not read), or one put in other words.
    pub fn said(form: impl Into<String>, message: String, field: Option<&str>) -> FormError {
        FormError(Some(Beside {
            form: form.into(),
            message,
            field: field.map(|f| f.split('[').next().unwrap_or(f).to_string()),
        }))
    }

    /// The message, when it belongs to `form`.
    pub fn on(&self, form: &str) -> Option<&str> {
        self.0
            .as_ref()
            .filter(|b| b.form == form)
            .map(|b| b.message.as_str())
    }

    /// Whether the refusal names `field` of `form` (the template marks it invalid).
    pub fn names(&self, form: &str, field: &str) -> bool {
        self.0
            .as_ref()
            .is_some_and(|b| b.form == form && b.field.as_deref() == Some(field))
    }

    /// The message, when it belongs to the form `{form}-{id}` (one of a list's forms).
    pub fn on_at(&self, form: &str, id: &i64) -> Option<&str> {
        self.on(&format!("{form}-{id}"))
    }

    /// Whether the refusal names `field` of the form `{form}-{id}`.
    pub fn names_in(&self, form: &str, id: &i64, field: &str) -> bool {
        self.names(&format!("{form}-{id}"), field)
    }

    /// The same refusal beside `fallback` when its own form is not on the page (`shown` says
    /// which forms are), so it is never lost.
    pub fn unless_shown(self, shown: impl Fn(&str) -> bool, fallback: &str) -> FormError {
        match self.0 {
            Some(b) if !shown(&b.form) => FormError(Some(Beside {
                form: fallback.to_string(),
                ..b
            })),
            other => FormError(other),
        }
    }

    /// Whether the refusal names row `index` of a table's `field` (`minutes_3`).
    pub fn names_at(&self, form: &str, field: &str, index: &usize) -> bool {
        self.names(form, &format!("{field}_{index}"))
    }

    /// Whether `form` was refused (the template opens it, keeps what was typed).
    pub fn is_on(&self, form: &str) -> bool {
        self.on(form).is_some()
    }
}

/// The vendored assets, embedded in the binary.
async fn static_file(Path(file): Path<String>) -> Response {
    let (body, kind): (&'static [u8], &str) = match file.as_str() {
        "htmx.min.js" => (
            include_bytes!("../../../../web/static/htmx.min.js"),
            "text/javascript",
        ),
        "pico.classless.min.css" => (
            include_bytes!("../../../../web/static/pico.classless.min.css"),
            "text/css",
        ),
        "huddle.css" => (
            include_bytes!("../../../../web/static/huddle.css"),
            "text/css",
        ),
        "live.js" => (
            include_bytes!("../../../../web/static/live.js"),
            "text/javascript",
        ),
        "lounge.js" => (
            include_bytes!("../../../../web/static/lounge.js"),
            "text/javascript",
        ),
        "notices.js" => (
            include_bytes!("../../../../web/static/notices.js"),
            "text/javascript",
        ),
        "notifications.js" => (
            include_bytes!("../../../../web/static/notifications.js"),
            "text/javascript",
        ),
        "app.js" => (
            include_bytes!("../../../../web/static/app.js"),
            "text/javascript",
        ),
        "passkeys.js" => (
            include_bytes!("../../../../web/static/passkeys.js"),
            "text/javascript",
        ),
        "icon-192.png" => (
            include_bytes!("../../../../web/static/icon-192.png"),
            "image/png",
        ),
        "icon-512.png" => (
            include_bytes!("../../../../web/static/icon-512.png"),
            "image/png",
        ),
        "icon-maskable-512.png" => (
            include_bytes!("../../../../web/static/icon-maskable-512.png"),
            "image/png",
        ),
        _ => return (StatusCode::NOT_FOUND, "no such file").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::FormError;
    use crate::error::ApiError;

    #[test]
    fn a_form_error_belongs_to_its_form_and_names_its_field_without_an_index() {
        let e = FormError::of("new", &ApiError::invalid("members[1]", "no such person"));
        assert_eq!(e.on("new"), Some("members[1]: no such person"));
        assert_eq!(e.on("status"), None);
        assert!(e.names("new", "members"));
        assert!(!e.names("status", "members"));
        assert!(!FormError::default().is_on("new"));

        let row = FormError::said("policy", "soon".into(), Some("minutes_3"));
        assert!(row.names_at("policy", "minutes", &3));
        assert!(!row.names_at("policy", "minutes", &2));
        let report = FormError::of("mod-7", &ApiError::invalid("reason", "give a reason"));
        assert!(report.on_at("mod", &7).is_some() && report.names_in("mod", &7, "reason"));
    }

    #[test]
    fn a_form_error_for_a_form_not_on_the_page_moves_rather_than_vanishes() {
        let gone = FormError::of("member-9", &ApiError::conflict("taken"));
        let moved = gone.unless_shown(|form| form == "member-7", "page");
        assert_eq!(moved.on("page"), Some("taken"));
        let kept = FormError::of("member-7", &ApiError::conflict("taken"))
            .unless_shown(|form| form == "member-7", "page");
        assert_eq!(kept.on("member-7"), Some("taken"));
    }
}
