//! Huddle's domain rules. Pure functions and types, no I/O and no async, so every rule
//! can be tested on its own. One module per capability.

pub mod audit;
pub mod clock;
pub mod csv_input;
pub mod identity;
pub mod insights;
pub mod keys;
pub mod lounge;
pub mod markup;
pub mod messaging;
pub mod routing;
pub mod wellbeing;
