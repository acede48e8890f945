//! The values a person types to open an account, parsed at the edge.

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use super::Invalid;

/// Passwords shorter than this are refused (NIST SP 800-63B asks for at least 8; we ask more
/// because these accounts reach patient communication).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longer input is refused so that hashing cannot be used to burn CPU.
const PASSWORD_MAX_CHARS: usize = 256;

/// Django's 20,000 common passwords, lower-cased (source, checksum and licence in
/// `data/README.md`).
static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
});

/// A password on the common list, compared as Django does (trimmed, lower-cased), or one
/// of them with only digits and punctuation added at the end (`monkey123456`, `dragon!!!!!!`),
/// or one character repeated: the first guesses of anyone trying a stolen email address.
fn is_common(password: &str) -> bool {
    let p = password.trim().to_lowercase();
    let list = &*COMMON_PASSWORDS;
    if list.contains(p.as_str()) {
        return true;
    }
    let stem = p.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    if stem.chars().count() >= 4 && list.contains(stem) {
        return true;
    }
    let mut chars = p.chars();
    chars.next().is_some_and(|first| chars.all(|c| c == first))
}

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
        if is_common(input) {
            return Err(Invalid::new(
                "this password is on a list of commonly used passwords that attackers try \
                 first; choose another (a few unrelated words work well)",
            ));
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
        assert!(NewPassword::parse("éèéèéèéèéèéè").is_ok());
    }

    #[test]
    fn common_passwords_are_refused() {
        assert!(COMMON_PASSWORDS.len() > 19_000, "the list loads");
        for common in [
            "password1234",
            "Password1234",
            "  qwerty123456 ",
            "1q2w3e4r5t6y",
            "monkey123456",
            "dragon!!!!!!",
            "password12345!",
            "aaaaaaaaaaaa",
            "éééééééééééééé",
        ] {
            let e = NewPassword::parse(common).expect_err(common);
            assert!(e.to_string().contains("commonly used"), "{common}: {e}");
        }
        for fine in [
            "correct horse battery staple",
            "long-enough-1",
            "password-manager-made-this",
            "éééééééééééè",
        ] {
            assert!(NewPassword::parse(fine).is_ok(), "{fine}");
        }
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
