//! The lounge's pure rules: what a physician's post may carry before it is published.

pub mod phi;
