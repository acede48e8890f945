//! Authentication and the request-level security layers: passwords, sessions, API tokens,
//! TOTP, CSRF, sign-in throttling, and the extractors handlers use to learn who is asking.

pub mod access;
pub mod csrf;
pub mod middleware;
pub mod password;
pub mod principal;
pub mod secrets;
pub mod throttle;
pub mod totp;
pub mod webauthn;

pub use principal::{ApiUser, ClientIp, CsrfToken, Feed, PageUser, PendingMfa, Principal};
