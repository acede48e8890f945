//! Routing: hospital alerts reach the right physician at the right moment. Policy says
//! how long each kind may wait; the schedule says who is on shift; the learner says, per
//! physician, what tends to need them; the engine decides, within policy.

pub mod delivery;
pub mod engine;
pub mod hl7;
pub mod ical;
pub mod intake;
pub mod learning;
pub mod metrics;
pub mod policy;
pub mod protocol;
pub mod reach;
pub mod replay;
pub mod schedule;

pub use delivery::{DeliveryMode, MoveKind};
pub use engine::{Alert, Decision, Delivery, Engine, Mode, Reason, Recipient};
pub use intake::{Scope, Sender};
pub use policy::{PageUrgency, Policy, Priority, Time};
pub use reach::{Channel, Preferences, QuietHours, Reach};
