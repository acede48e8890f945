//! The typed forms of what an alert's stored row and timeline keep as text: how it was
//! delivered, and how it changed hands. Parsed once where a row is read, so rules
//! compare variants, never strings.

use serde::Serialize;

use super::engine::Delivery;

/// Whether an alert interrupted its physician or waited for their digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryMode {
    Interrupt,
    Queue,
}

impl DeliveryMode {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMode::Interrupt => "interrupt",
            DeliveryMode::Queue => "queue",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryMode> {
        match s {
            "interrupt" => Some(DeliveryMode::Interrupt),
            "queue" => Some(DeliveryMode::Queue),
            _ => None,
        }
    }

    /// True only for a stored `interrupt`: anything unreadable counts as waiting, which
    /// is what the text comparisons this replaces did.
    pub fn is_interrupt(stored: &str) -> bool {
        DeliveryMode::parse(stored) == Some(DeliveryMode::Interrupt)
    }
}

impl From<Delivery> for DeliveryMode {
    fn from(d: Delivery) -> DeliveryMode {
        match d {
            Delivery::Interrupt => DeliveryMode::Interrupt,
            Delivery::Queue { .. } => DeliveryMode::Queue,
        }
    }
}

/// How an alert moved from one physician to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MoveKind {
    /// Nobody acknowledged it in time: the next step of the escalation chain.
    Escalated,
    /// The holder's shift ended with it unanswered.
    HandedOver,
}

impl MoveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::Escalated => "escalated",
            MoveKind::HandedOver => "handed_over",
        }
    }

    /// For templates, which cannot name a variant.
    pub fn is_escalation(self) -> bool {
        self == MoveKind::Escalated
    }

    /// A timeline event's kind, when it is a move.
    pub fn parse(s: &str) -> Option<MoveKind> {
        match s {
            "escalated" => Some(MoveKind::Escalated),
            "handed_over" => Some(MoveKind::HandedOver),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_round_trips() {
        for m in [DeliveryMode::Interrupt, DeliveryMode::Queue] {
            assert_eq!(DeliveryMode::parse(m.as_str()), Some(m));
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
        }
        for k in [MoveKind::Escalated, MoveKind::HandedOver] {
            assert_eq!(MoveKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(MoveKind::parse("routed"), None);
    }

    #[test]
    fn only_a_stored_interrupt_interrupts() {
        assert!(DeliveryMode::is_interrupt("interrupt"));
        assert!(!DeliveryMode::is_interrupt("queue"));
        assert!(!DeliveryMode::is_interrupt("Interrupt"));
        assert_eq!(
            DeliveryMode::from(Delivery::Queue { at: 5 }),
            DeliveryMode::Queue
        );
    }
}
