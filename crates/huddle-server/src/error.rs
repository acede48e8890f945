//! API errors as RFC 9457 problem details (`application/problem+json`), naming the field
//! at fault when there is one. Unexpected failures are logged with their cause and answered
//! with a plain 500 that reveals nothing.

use axum::extract::rejection::JsonRejection;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use huddle_core::identity::Invalid;
use huddle_store::StoreError;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem, e.g. `/problems/validation`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The request field at fault, as a JSON path (`license_number`, `roles[1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// What went wrong, in the action's terms. The API maps each kind to a status and a
/// problem type here, once; pages decide by kind whether to keep the form and show the
/// message beside it or to show a page of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A value is not acceptable (the field says which).
    Invalid,
    /// The request is not even the shape this endpoint takes.
    BadRequest,
    Unauthenticated,
    MfaRequired,
    NotAllowed,
    NotFound,
    /// It exists already, or is not in a state that allows this.
    Conflict,
    TooMany,
    UnsupportedMediaType,
    TooLarge,
    /// Our fault: logged, and told in no detail.
    Internal,
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthenticated | ErrorKind::MfaRequired => StatusCode::UNAUTHORIZED,
            ErrorKind::NotAllowed => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::TooMany => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem type's last segment and its title.
    fn problem(self) -> (&'static str, &'static str) {
        match self {
            ErrorKind::Invalid => ("validation", "A value is not acceptable"),
            ErrorKind::BadRequest => ("bad-request", "The request is malformed"),
            ErrorKind::Unauthenticated => ("unauthenticated", "Sign-in required"),
            ErrorKind::MfaRequired => ("mfa-required", "A one-time code is required"),
            ErrorKind::NotAllowed => ("forbidden", "Not allowed"),
            ErrorKind::NotFound => ("not-found", "Not found"),
            ErrorKind::Conflict => ("conflict", "Conflict"),
            ErrorKind::TooMany => ("rate-limited", "Too many attempts"),
            ErrorKind::UnsupportedMediaType => ("unsupported-media-type", "Send JSON"),
            ErrorKind::TooLarge => ("payload-too-large", "The request body is too large"),
            ErrorKind::Internal => ("internal", "Something went wrong on our side"),
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    kind: ErrorKind,
    detail: String,
    field: Option<String>,
    retry_after_secs: Option<u64>,
}

impl ApiError {
    fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        ApiError {
            kind,
            detail: detail.into(),
            field: None,
            retry_after_secs: None,
        }
    }

    /// 422: the request parsed but a value is not acceptable.
    pub fn invalid(field: &str, detail: impl Into<String>) -> Self {
        let mut e = Self::new(ErrorKind::Invalid, detail);
        e.field = Some(field.to_string());
        e
    }

    /// 400: the body is not the JSON this endpoint takes.
    pub fn bad_request(field: Option<String>, detail: impl Into<String>) -> Self {
        let mut e = Self::new(ErrorKind::BadRequest, detail);
        e.field = field;
        e
    }

    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthenticated, detail)
    }

    /// 401 with its own type, so a client knows to ask for the code and retry.
    pub fn mfa_required() -> Self {
        Self::new(
            ErrorKind::MfaRequired,
            "this account uses two-step sign-in: send totp_code with the current code",
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotAllowed, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, detail)
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, detail)
    }

    pub fn too_many(detail: impl Into<String>, retry_after_secs: u64) -> Self {
        let mut e = Self::new(ErrorKind::TooMany, detail);
        e.retry_after_secs = Some(retry_after_secs);
        e
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(
            ErrorKind::UnsupportedMediaType,
            "set Content-Type: application/json",
        )
    }

    pub fn payload_too_large() -> Self {
        Self::new(ErrorKind::TooLarge, "send a smaller body")
    }

    /// 500: logs the cause; the client learns only that it was our fault.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "request failed");
        Self::new(
            ErrorKind::Internal,
            "the error was logged; try again shortly",
        )
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn status(&self) -> StatusCode {
        self.kind.status()
    }

    /// Shown beside the form it came from (the person fixes a value or waits), rather than
    /// on a page of its own.
    pub fn belongs_on_the_form(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::TooMany
        )
    }

    /// The message in words, with the field it concerns: `urgency: routine or urgent`.
    pub fn in_words(&self) -> String {
        match &self.field {
            Some(field) => format!("{field}: {}", self.detail),
            None => self.detail.clone(),
        }
    }

    pub fn detail(&self) -> &str {
        &self.detail
    }

    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    pub fn problem(&self) -> Problem {
        let (kind, title) = self.kind.problem();
        Problem {
            kind: format!("/problems/{kind}"),
            title: title.to_string(),
            status: self.status().as_u16(),
            detail: self.detail.clone(),
            field: self.field.clone(),
        }
    }

    /// Converts a rejected value at `field` (a domain parse failure) into a 422.
    pub fn at(field: &'static str) -> impl Fn(Invalid) -> ApiError {
        move |e| ApiError::invalid(field, e.0)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (
            self.status(),
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
        if let Some(secs) = self.retry_after_secs {
            if let Ok(v) = secs.to_string().parse() {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => ApiError::conflict(format!("this {what} already exists")),
            StoreError::NotFound => ApiError::not_found("no such record"),
            StoreError::InvalidState(why) => ApiError::conflict(why),
            other => ApiError::internal(other),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::unsupported_media_type(),
            JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::payload_too_large()
            }
            other => ApiError::bad_request(None, other.body_text()),
        }
    }
}
