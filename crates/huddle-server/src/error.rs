//! API errors as RFC 9457 problem details (`application/problem+json`), naming the field
//! at fault when there is one. Unexpected failures are logged with their cause and answered
//! with a plain 500 that reveals nothing.

use axum::extract::rejection::JsonRejection;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use huddle_core::identity::Invalid;
use huddle_core::lounge::phi::{PhiKind, PhiSpan};
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
    /// When the PHI guard refused a draft: where it found possible patient identifiers
    /// (kinds and offsets only, never the text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phi: Option<Vec<PhiFlag>>,
}

/// One span the PHI guard flagged, as the API tells it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PhiFlag {
    /// The field the span is in (`title`, `body`, `poll`).
    pub field: String,
    /// UTF-8 byte offset of the span's first byte in that field's text as the guard read
    /// it (trimmed; a case's parts composed into its body).
    pub start: usize,
    /// UTF-8 byte offset just past the span.
    pub end: usize,
    /// The kind of identifier: `NAME`, `DATE`, `MRN`, `PHONE`, …
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub kind: PhiKind,
}

/// What the PHI guard found in a refused draft: each field's text as the guard read it,
/// with the spans it flagged there. The text is for the page that marks the spans (it is
/// the author's own draft); the API answers with kinds and offsets only, and `Debug` never
/// prints the text.
#[derive(Clone, Default)]
pub struct PhiFound {
    pub fields: Vec<FlaggedField>,
}

#[derive(Clone)]
pub struct FlaggedField {
    pub field: String,
    pub text: String,
    /// Sorted, non-overlapping, on char boundaries of `text` (as `phi::scan` returns them).
    pub spans: Vec<PhiSpan>,
}

impl PhiFound {
    /// The kinds found, each once, as words ("patient name, medical record number").
    pub fn kinds(&self) -> Vec<PhiKind> {
        let mut kinds: Vec<PhiKind> = Vec::new();
        for span in self.fields.iter().flat_map(|f| &f.spans) {
            if !kinds.contains(&span.kind) {
                kinds.push(span.kind);
            }
        }
        kinds
    }

    /// The first field with a span.
    pub fn first_field(&self) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| !f.spans.is_empty())
            .map(|f| f.field.as_str())
    }

    fn flags(&self) -> Vec<PhiFlag> {
        self.fields
            .iter()
            .flat_map(|f| {
                f.spans.iter().map(|s| PhiFlag {
                    field: f.field.clone(),
                    start: s.start,
                    end: s.end,
                    kind: s.kind,
                })
            })
            .collect()
    }
}

impl std::fmt::Debug for PhiFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.flags()).finish()
    }
}

/// What went wrong, in the action's terms. The API maps each kind to a status and a
/// problem type here, once; pages decide by kind whether to keep the form and show the
/// message beside it or to show a page of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A value is not acceptable (the field says which).
    Invalid,
    /// The PHI guard found possible patient identifiers in a draft ([`ApiError::phi`] says
    /// where). On the wire it is a validation problem, with the spans' kinds and offsets.
    PhiFound,
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
    /// A service Huddle depends on for this (an organization's identity provider) did not
    /// answer as it should.
    Upstream,
    /// Our fault: logged, and told in no detail.
    Internal,
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::Invalid | ErrorKind::PhiFound => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthenticated | ErrorKind::MfaRequired => StatusCode::UNAUTHORIZED,
            ErrorKind::NotAllowed => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::TooMany => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Upstream => StatusCode::BAD_GATEWAY,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem type's last segment and its title.
    fn problem(self) -> (&'static str, &'static str) {
        match self {
            ErrorKind::Invalid | ErrorKind::PhiFound => ("validation", "A value is not acceptable"),
            ErrorKind::BadRequest => ("bad-request", "The request is malformed"),
            ErrorKind::Unauthenticated => ("unauthenticated", "Sign-in required"),
            ErrorKind::MfaRequired => ("mfa-required", "A one-time code is required"),
            ErrorKind::NotAllowed => ("forbidden", "Not allowed"),
            ErrorKind::NotFound => ("not-found", "Not found"),
            ErrorKind::Conflict => ("conflict", "Conflict"),
            ErrorKind::TooMany => ("rate-limited", "Too many attempts"),
            ErrorKind::UnsupportedMediaType => ("unsupported-media-type", "Send JSON"),
            ErrorKind::TooLarge => ("payload-too-large", "The request body is too large"),
            ErrorKind::Upstream => ("bad-gateway", "Another service did not answer as expected"),
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
    phi: Option<Box<PhiFound>>,
    /// RFC 7644 §3.12 `scimType`, when a SCIM rule names a more precise one.
    scim_type: Option<&'static str>,
}

impl ApiError {
    fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        ApiError {
            kind,
            detail: detail.into(),
            field: None,
            retry_after_secs: None,
            phi: None,
            scim_type: None,
        }
    }

    /// Names the RFC 7644 `scimType` (`invalidFilter`, `invalidPath`, `noTarget`, …).
    pub fn with_scim_type(mut self, scim_type: &'static str) -> Self {
        self.scim_type = Some(scim_type);
        self
    }

    /// How SCIM (RFC 7644 §3.12) answers this error: its status and `scimType`. SCIM has
    /// no 422: a value it cannot take is a 400 (`invalidValue` unless a rule named another),
    /// and a conflict is `uniqueness`.
    pub fn scim(&self) -> (StatusCode, Option<&'static str>) {
        match self.kind {
            ErrorKind::Invalid | ErrorKind::PhiFound => (
                StatusCode::BAD_REQUEST,
                Some(self.scim_type.unwrap_or("invalidValue")),
            ),
            ErrorKind::BadRequest => (
                StatusCode::BAD_REQUEST,
                Some(self.scim_type.unwrap_or("invalidSyntax")),
            ),
            ErrorKind::Conflict => (
                StatusCode::CONFLICT,
                Some(self.scim_type.unwrap_or("uniqueness")),
            ),
            other => (other.status(), self.scim_type),
        }
    }

    /// 422: the request parsed but a value is not acceptable.
    pub fn invalid(field: &str, detail: impl Into<String>) -> Self {
        let mut e = Self::new(ErrorKind::Invalid, detail);
        e.field = Some(field.to_string());
        e
    }

    /// 422: the PHI guard flagged the draft; `field` is the first field with a span.
    pub fn phi_found(detail: impl Into<String>, found: PhiFound) -> Self {
        let mut e = Self::new(ErrorKind::PhiFound, detail);
        e.field = found.first_field().map(str::to_string);
        e.phi = Some(Box::new(found));
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
            "this account uses two-step sign-in: send totp_code with the current code from its app, \
             or sign in with its passkey (/api/v1/auth/passkey)",
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

    /// 502: a service this depends on failed; `detail` says which, never its secrets.
    pub fn upstream(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Upstream, detail)
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

    /// Shown beside the form it came from (the person fixes a value, retypes a password or
    /// a code, or waits), rather than on a page of its own. Pages never meet
    /// `Unauthenticated` otherwise: a page that needs a session sends the visitor to sign in.
    pub fn belongs_on_the_form(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Invalid
                | ErrorKind::PhiFound
                | ErrorKind::Conflict
                | ErrorKind::TooMany
                | ErrorKind::Unauthenticated
                | ErrorKind::Upstream
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

    /// What the PHI guard found, when it refused the draft.
    pub fn phi(&self) -> Option<&PhiFound> {
        self.phi.as_deref()
    }

    pub fn problem(&self) -> Problem {
        let (kind, title) = self.kind.problem();
        Problem {
            kind: format!("/problems/{kind}"),
            title: title.to_string(),
            status: self.status().as_u16(),
            detail: self.detail.clone(),
            field: self.field.clone(),
            phi: self.phi.as_ref().map(|found| found.flags()),
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
