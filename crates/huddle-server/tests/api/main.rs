//! API and page tests against the real application on a random port, one binary for all
//! (each extra test binary costs a link). See helpers.rs for `spawn_app`.

mod authorization;
mod helpers;
mod identity;
mod pages;
mod robustness;
mod verification;
