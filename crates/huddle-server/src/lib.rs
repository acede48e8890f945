//! Huddle's server: the JSON API, the pages, and the layers that authenticate, protect and
//! observe every request. `serve` runs it; `http::app` builds it for tests.

pub mod actions;
pub mod api;
pub mod auth;
pub mod config;
pub mod crypto;
pub mod demo;
pub mod error;
pub mod http;
pub mod keys;
pub mod live;
pub mod mllp;
pub mod ops;
pub mod outbox;
pub mod pages;
pub mod push;
pub mod serve;
pub mod state;
pub mod store;

pub use config::Config;
pub use state::AppState;
