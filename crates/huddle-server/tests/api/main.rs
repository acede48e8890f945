//! API and page tests against the real application on a random port, one binary for all
//! (each extra test binary costs a link). See helpers.rs for `spawn_app`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should panic

mod accounts;
mod attacks;
mod authorization;
mod helpers;
mod identity;
mod insights;
mod intake;
mod leaving;
mod lounge;
mod markup;
mod messaging;
mod pages;
mod passkeys;
mod peers;
mod push;
mod reach;
mod robustness;
mod routing;
mod scim;
mod sso;
mod tls;
mod two_nodes;
mod verification;
mod wellbeing;
