//! The National Provider Identifier: 10 digits, the first 1 or 2, the last a Luhn check
//! digit computed as if the card-issuer prefix 80840 stood in front (CMS, "Requirements for
//! NPI Check Digit").

use std::fmt;

use super::Invalid;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Npi(String);

impl Npi {
    pub fn parse(input: &str) -> Result<Npi, Invalid> {
        let s = input.trim();
        if s.len() != 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Invalid::new("an NPI is exactly 10 digits"));
        }
        if !(s.starts_with('1') || s.starts_with('2')) {
            return Err(Invalid::new("an NPI starts with 1 or 2"));
        }
        if !luhn_valid(&format!("80840{s}")) {
            return Err(Invalid::new(
                "this NPI's check digit does not match; check for a typo",
            ));
        }
        Ok(Npi(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Npi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Luhn (ISO/IEC 7812) over a string of ASCII digits, the check digit last.
fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cms_example_and_published_vectors_are_valid() {
        for good in ["1234567893", "1993999998", "1558598797", " 1234567893 "] {
            assert!(Npi::parse(good).is_ok(), "{good} should be valid");
        }
    }

    #[test]
    fn wrong_check_digit_is_refused() {
        assert_eq!(
            Npi::parse("1234567898"),
            Err(Invalid::new(
                "this NPI's check digit does not match; check for a typo"
            ))
        );
    }

    #[test]
    fn shape_errors_are_named() {
        assert!(Npi::parse("123456789").is_err());
        assert!(Npi::parse("12345678933").is_err());
        assert!(Npi::parse("12345a7893").is_err());
        assert!(Npi::parse("").is_err());
        // Passes Luhn with the prefix but starts with 3.
        let three = (0..10)
            .map(|d| format!("323456789{d}"))
            .find(|s| luhn_valid(&format!("80840{s}")));
        if let Some(s) = three {
            assert_eq!(
                Npi::parse(&s),
                Err(Invalid::new("an NPI starts with 1 or 2"))
            );
        }
    }

    #[test]
    fn every_base_has_exactly_one_check_digit() {
        let valid = (0..10)
            .filter(|d| Npi::parse(&format!("123456789{d}")).is_ok())
            .collect::<Vec<_>>();
        assert_eq!(valid, vec![3]);
    }
}
