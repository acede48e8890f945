//! Messaging rules: the safe markdown subset messages are written in.

pub mod markdown;
