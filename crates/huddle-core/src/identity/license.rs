//! A state medical licence: the issuing state and the board's number.

use super::Invalid;

/// US states, DC and the territories whose boards license physicians.
const STATES: [&str; 56] = [
    "AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI", "IA", "ID",
    "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP", "MS", "MT", "NC", "ND",
    "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX",
    "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY",
];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LicenseState(String);

impl LicenseState {
    pub fn parse(input: &str) -> Result<LicenseState, Invalid> {
        let s = input.trim().to_ascii_uppercase();
        if STATES.contains(&s.as_str()) {
            Ok(LicenseState(s))
        } else {
            Err(Invalid::new(
                "use the two-letter code of a US state or territory, e.g. MA",
            ))
        }
    }

    pub fn all() -> &'static [&'static str] {
        &STATES
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LicenseNumber(String);

impl LicenseNumber {
    /// Boards write numbers with letters, digits, dashes and dots (e.g. `MD.123456`, `A-98765`).
    pub fn parse(input: &str) -> Result<LicenseNumber, Invalid> {
        let s = input.trim().to_ascii_uppercase();
        let ok = !s.is_empty()
            && s.len() <= 30
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if ok {
            Ok(LicenseNumber(s))
        } else {
            Err(Invalid::new(
                "a licence number is 1 to 30 letters, digits, dashes or dots",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_normalized() {
        assert_eq!(LicenseState::parse(" ma ").map(|s| s.0), Ok("MA".into()));
        assert!(LicenseState::parse("XX").is_err());
        assert!(LicenseState::parse("Massachusetts").is_err());
        let mut sorted = STATES;
        sorted.sort_unstable();
        assert_eq!(sorted, STATES);
    }

    #[test]
    fn licence_numbers_allow_board_formats_only() {
        assert_eq!(
            LicenseNumber::parse("md.123456").map(|n| n.0),
            Ok("MD.123456".into())
        );
        assert!(LicenseNumber::parse("A-98765").is_ok());
        assert!(LicenseNumber::parse("").is_err());
        assert!(LicenseNumber::parse("12 34").is_err());
        assert!(LicenseNumber::parse("1'; DROP TABLE users;--").is_err());
        assert!(LicenseNumber::parse(&"9".repeat(31)).is_err());
    }
}
