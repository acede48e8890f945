//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/openapi.json`.
//! Handlers are thin: they parse the request and call an action.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::routing::{delete, get, patch, post, put};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use utoipa::OpenApi;

use crate::auth::csrf;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub mod audit;
pub mod identity;
pub mod insights;
pub mod lounge;
pub mod messaging;
pub mod organizations;
pub mod passkeys;
pub mod push;
pub mod reach;
pub mod resources;
pub mod routing;
pub mod scim;
pub mod scim_admin;
pub mod scim_schema;
pub mod sso;
pub mod verification;
pub mod wellbeing;

/// FHIR R4 resources, at `/fhir`.
pub fn fhir_router() -> Router<AppState> {
    Router::new()
        .route("/Questionnaire", get(wellbeing::questionnaires))
        .route("/Questionnaire/{id}", get(wellbeing::questionnaire))
        .route(
            "/QuestionnaireResponse",
            post(wellbeing::submit).get(wellbeing::mine),
        )
        .route("/QuestionnaireResponse/{id}", get(wellbeing::one))
        .route("/CommunicationRequest", post(routing::fhir_intake))
        .fallback(|| async { ApiError::not_found("no such FHIR resource") })
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(identity::register))
        .route("/auth/login", post(identity::login))
        .route("/auth/logout", post(identity::logout))
        .route(
            "/auth/tokens",
            post(identity::create_token).get(identity::list_tokens),
        )
        .route("/auth/tokens/{id}", delete(identity::revoke_token))
        .route("/me", get(identity::me))
        .route(
            "/me/time-zone",
            get(organizations::my_time_zone).put(organizations::set_my_time_zone),
        )
        .route(
            "/organizations/{id}/time-zone",
            get(organizations::time_zone).put(organizations::set_time_zone),
        )
        .route("/me/password", post(identity::change_password))
        .route("/me/passkeys", get(passkeys::list).post(passkeys::add))
        .route(
            "/me/passkeys/registration",
            post(passkeys::begin_registration),
        )
        .route("/me/passkeys/{id}", delete(passkeys::remove))
        .route("/auth/passkey", post(passkeys::sign_in))
        .route("/auth/passkey/challenge", post(passkeys::begin_sign_in))
        .route("/auth/passkey/second-factor", post(passkeys::second_factor))
        .route(
            "/auth/passkey/second-factor/challenge",
            post(passkeys::begin_second_factor),
        )
        .route("/me/mfa/setup", post(identity::mfa_setup))
        .route(
            "/me/mfa",
            post(identity::mfa_enable).delete(identity::mfa_disable),
        )
        .route(
            "/verification",
            post(verification::submit).get(verification::mine),
        )
        .route("/verification/queue", get(verification::queue))
        .route("/verification/{id}/decision", post(verification::decide))
        .route(
            "/organizations",
            post(organizations::create).get(organizations::list),
        )
        .route(
            "/organizations/{id}/departments",
            post(organizations::create_department).get(organizations::departments),
        )
        .route(
            "/organizations/{id}/members",
            post(organizations::add_member).get(organizations::members),
        )
        .route(
            "/organizations/{id}/invitations",
            post(organizations::invite).get(organizations::invitations),
        )
        .route(
            "/organizations/{id}/invitations/{invitation_id}",
            delete(organizations::revoke_invitation),
        )
        .route("/users/{id}/roles", put(organizations::set_roles))
        .route("/users/{id}/deactivate", post(organizations::deactivate))
        .route("/users/{id}/reactivate", post(organizations::reactivate))
        .route(
            "/organizations/{id}/members/{user_id}",
            delete(organizations::remove_member),
        )
        .route("/audit", get(audit::entries))
        .route(
            "/conversations",
            post(messaging::create).get(messaging::inbox),
        )
        .route("/conversations/{id}", get(messaging::detail))
        .route(
            "/conversations/{id}/messages",
            post(messaging::send).get(messaging::messages),
        )
        .route("/conversations/{id}/read", post(messaging::read))
        .route("/conversations/{id}/members", post(messaging::add_member))
        .route(
            "/conversations/{id}/members/{user_id}",
            delete(messaging::remove_member),
        )
        .route("/channels", get(messaging::channels))
        .route("/channels/{id}/join", post(messaging::join))
        .route("/live", get(messaging::live))
        .route(
            "/messages/{id}",
            patch(messaging::edit).delete(messaging::delete),
        )
        .route("/me/status", put(messaging::status))
        .route("/users/{id}/team", put(messaging::team))
        .route("/organizations/{id}/retention", put(messaging::retention))
        .route("/wellbeing/export", get(wellbeing::export))
        .route("/wellbeing/data", delete(wellbeing::erase))
        .route("/wellbeing/reminder", put(wellbeing::reminder))
        .route("/wellbeing/mbi", post(wellbeing::mbi))
        .route("/resources", get(resources::browse).post(resources::add))
        .route("/resources/{id}", delete(resources::remove))
        .route(
            "/organizations/{id}/urgent-contact",
            put(resources::urgent_contact),
        )
        .route("/alerts", post(routing::intake).get(routing::inbox))
        .route("/alerts/{id}", get(routing::one))
        .route("/alerts/{id}/acknowledge", post(routing::acknowledge))
        .route("/alerts/{id}/answer", post(routing::answer))
        .route("/alerts/{id}/timeline", get(routing::timeline))
        .route("/pages", post(routing::send_page).get(routing::sent_pages))
        .route("/push/key", get(push::key))
        .route(
            "/push/subscriptions",
            post(push::subscribe).get(push::devices),
        )
        .route("/push/subscriptions/{id}", delete(push::unsubscribe))
        .route("/notifications/receipt", post(reach::receipt))
        .route("/notifications/action", post(reach::action))
        .route(
            "/organizations/{id}/gateway",
            get(reach::gateway).put(reach::set_gateway),
        )
        .route(
            "/organizations/{id}/sso",
            get(sso::settings).put(sso::save).delete(sso::remove),
        )
        .route(
            "/organizations/{id}/integrations",
            post(routing::register_integration).get(routing::integrations),
        )
        .route(
            "/organizations/{id}/integrations/{integration_id}",
            delete(routing::revoke_integration),
        )
        .route(
            "/organizations/{id}/routing-policy",
            get(routing::get_policy).put(routing::put_policy),
        )
        .route(
            "/organizations/{id}/shifts",
            get(routing::shifts).post(routing::import_shifts),
        )
        .route("/organizations/{id}/routing-report", get(routing::report))
        .route("/lounge/phi-check", post(lounge::phi_check))
        .route("/lounge/spaces", get(lounge::spaces))
        .route("/lounge/threads", get(lounge::list).post(lounge::create))
        .route("/lounge/threads/{id}", get(lounge::one))
        .route("/lounge/threads/{id}/replies", post(lounge::reply))
        .route("/lounge/threads/{id}/follow", put(lounge::follow))
        .route("/lounge/threads/{id}/bookmark", put(lounge::bookmark))
        .route("/lounge/threads/{id}/poll", post(lounge::vote))
        .route("/lounge/posts/{id}", patch(lounge::edit))
        .route("/lounge/posts/{id}/history", get(lounge::history))
        .route("/lounge/posts/{id}/helpful", post(lounge::helpful))
        .route("/lounge/posts/{id}/accept", post(lounge::accept))
        .route("/lounge/posts/{id}/report", post(lounge::report))
        .route("/lounge/posts/{id}/reveal", post(lounge::reveal))
        .route("/lounge/bookmarks", get(lounge::bookmarks))
        .route("/lounge/search", get(lounge::search))
        .route("/lounge/notifications", get(lounge::notifications))
        .route(
            "/lounge/notifications/read",
            post(lounge::read_notifications),
        )
        .route("/lounge/moderation/reports", get(lounge::reports))
        .route("/lounge/moderation/actions", post(lounge::moderate))
        .route("/lounge/moderation/log", get(lounge::moderation_log))
        .route("/insights/aggregates", get(insights::aggregates))
        .route("/insights/aggregates.csv", get(insights::aggregates_csv))
        .route("/insights/trend", get(insights::trend))
        .route("/insights/drivers", get(insights::drivers))
        .route(
            "/insights/interventions",
            get(insights::interventions).post(insights::add_intervention),
        )
        .route(
            "/insights/interventions/{id}",
            delete(insights::remove_intervention),
        )
        .route("/insights/turnover", get(insights::turnover))
        .route(
            "/organizations/{id}/scim/credentials",
            post(scim_admin::create_credential).get(scim_admin::credentials),
        )
        .route(
            "/organizations/{id}/scim/credentials/{credential_id}",
            delete(scim_admin::revoke_credential),
        )
        .route(
            "/organizations/{id}/scim/groups/{group_id}/mapping",
            put(scim_admin::map_group),
        )
        .fallback(|| async { ApiError::not_found("no such API route") })
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Huddle API", description = "Secure messaging, routing, peer community and well-being for physicians."),
    paths(
        identity::register, identity::login, identity::logout, identity::create_token,
        identity::list_tokens, identity::revoke_token, identity::me, identity::change_password,
        identity::mfa_setup, identity::mfa_enable, identity::mfa_disable,
        passkeys::list, passkeys::begin_registration, passkeys::add, passkeys::remove,
        passkeys::begin_sign_in, passkeys::sign_in, passkeys::begin_second_factor,
        passkeys::second_factor,
        verification::submit, verification::mine, verification::queue, verification::decide,
        organizations::create, organizations::list, organizations::create_department,
        organizations::departments, organizations::add_member, organizations::members,
        organizations::set_roles, organizations::deactivate, organizations::reactivate,
        organizations::remove_member, organizations::invite, organizations::invitations,
        organizations::revoke_invitation, organizations::time_zone, organizations::set_time_zone,
        organizations::my_time_zone, organizations::set_my_time_zone, audit::entries,
        wellbeing::questionnaires, wellbeing::questionnaire, wellbeing::submit, wellbeing::mine,
        wellbeing::one, wellbeing::export, wellbeing::erase, wellbeing::reminder, wellbeing::mbi,
        resources::browse, resources::add, resources::remove, resources::urgent_contact,
        messaging::create, messaging::inbox, messaging::detail, messaging::send, messaging::messages,
        messaging::read, messaging::add_member, messaging::remove_member, messaging::channels,
        messaging::join, messaging::live, messaging::edit, messaging::delete, messaging::status,
        messaging::retention, messaging::team,
        routing::intake, routing::inbox, routing::one, routing::acknowledge, routing::answer,
        routing::get_policy, routing::put_policy, routing::shifts, routing::import_shifts,
        routing::fhir_intake, routing::report, routing::timeline, routing::send_page,
        routing::sent_pages, routing::register_integration, routing::integrations,
        routing::revoke_integration, push::key, push::subscribe, push::devices, push::unsubscribe,
        reach::receipt, reach::action, reach::gateway, reach::set_gateway,
        sso::settings, sso::save, sso::remove,
        lounge::phi_check, lounge::spaces, lounge::list, lounge::create, lounge::one, lounge::reply,
        lounge::follow, lounge::bookmark, lounge::vote, lounge::edit, lounge::history,
        lounge::helpful, lounge::accept, lounge::report, lounge::reveal, lounge::bookmarks,
        lounge::search, lounge::notifications, lounge::read_notifications, lounge::reports,
        lounge::moderate, lounge::moderation_log,
        insights::aggregates, insights::aggregates_csv, insights::trend, insights::drivers,
        insights::interventions, insights::add_intervention, insights::remove_intervention,
        insights::turnover, scim_admin::create_credential, scim_admin::credentials,
        scim_admin::revoke_credential, scim_admin::map_group,
    ),
    components(schemas(Problem)),
    modifiers(&BearerAuth),
    security(("bearer" = []), ("session" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "integration",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("a registered feed's integration credential (hki_…)"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(csrf::SESSION_COOKIE))),
        );
    }
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// JSON request bodies. Unlike axum's `Json`, errors come back as problem+json naming the
/// field: 400 for malformed JSON, 422 for a missing, unknown or mistyped field.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !csrf::is_json(req.headers()) {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large()
            } else {
                ApiError::bad_request(None, e.body_text())
            }
        })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
            let path = err.path().to_string();
            let inner = err.into_inner();
            let message = inner.to_string();
            let field = if path == "." {
                field_in_message(&message)
            } else {
                Some(path)
            };
            if inner.is_data() {
                ApiError::invalid(field.as_deref().unwrap_or("body"), message)
            } else {
                ApiError::bad_request(field, message)
            }
        })?;
        de.end()
            .map_err(|e| ApiError::bad_request(None, e.to_string()))?;
        Ok(ApiJson(value))
    }
}

/// Path parameters; a malformed one (`/tokens/abc`) is a 400 problem naming the path.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|e| ApiError::bad_request(Some("path".into()), e.body_text()))
    }
}

/// Query strings; a malformed one is a 400 problem naming the query.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| ApiError::bad_request(Some("query".into()), e.body_text()))
    }
}

/// serde names missing and unknown fields in its message: "missing field `email`".
fn field_in_message(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_come_from_serde_messages() {
        assert_eq!(
            field_in_message("missing field `email` at line 1"),
            Some("email".into())
        );
        assert_eq!(
            field_in_message("unknown field `role`, expected one of `email`"),
            Some("role".into())
        );
        assert_eq!(field_in_message("expected value"), None);
    }
}
