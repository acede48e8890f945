//! The values a person types to open an account, parsed at the edge.

use std::fmt;

use super::Invalid;

/// Passwords shorter than this are refused (NIST SP 800-63B asks for at least 8; we ask more
/// because these accounts reach patient communication).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longer input is refused so that hashing cannot be used to burn CPU.
const PASSWORD_MAX_CHARS: usize = 256;

/// An email address, trimmed and lower-cased, so one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, Invalid> {
        let s = input.trim().to_lowercase();
        let invalid = || Invalid::new("enter an email address like name@example.org");
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name shown beside everything a person writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<DisplayName, Invalid> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Invalid::new("enter the name colleagues know you by"));
        }
        if s.chars().count() > 100 {
            return Err(Invalid::new("keep the name to 100 characters"));
        }
        if s.chars().any(char::is_control) {
            return Err(Invalid::new("the name contains control characters"));
        }
        Ok(DisplayName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password someone chose, checked against the policy. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<NewPassword, Invalid> {
        let n = input.chars().count();
        if n < PASSWORD_MIN_CHARS {
            return Err(Invalid::new(format!(
                "use at least {PASSWORD_MIN_CHARS} characters"
            )));
        }
        if n > PASSWORD_MAX_CHARS {
            return Err(Invalid::new(format!(
                "use at most {PASSWORD_MAX_CHARS} characters"
            )));
        }
        if input.trim().is_empty() {
            return Err(Invalid::new("the password cannot be only spaces"));
        }
        Ok(NewPassword(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized() {
        assert_eq!(
            Email::parse("  Dr.Ada@Example.ORG ").map(|e| e.to_string()),
            Ok("dr.ada@example.org".to_string())
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "@example.org",
            "ada@",
            "ada@example",
            "ada@@example.org",
            "a da@example.org",
            "ada@.example.org",
            "ada@example..org",
            "ada@exa'mple.org",
            "ada@example.org\u{0}",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert!(NewPassword::parse("short-pass1").is_err());
        assert!(NewPassword::parse("long-enough-1").is_ok());
        assert!(NewPassword::parse("            ").is_err());
        assert!(NewPassword::parse(&"x".repeat(257)).is_err());
        // Characters, not bytes: twelve accented letters are enough.
        assert!(NewPassword::parse("éééééééééééé").is_ok());
    }

    #[test]
    fn password_is_not_printed() {
        let p = NewPassword::parse("correct horse battery").ok();
        assert_eq!(format!("{p:?}"), "Some(NewPassword(..))");
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Dr. Ada Lovelace ").map(|n| n.as_str().to_string()),
            Ok("Dr. Ada Lovelace".to_string())
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"a".repeat(101)).is_err());
        assert!(DisplayName::parse("Ada\u{7}").is_err());
    }
}
