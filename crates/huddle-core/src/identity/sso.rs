//! Single sign-on rules: what an organization's connection to its identity provider may
//! say (issuer, claim, verified email domains) and what a verified ID token must say before
//! it opens an account in that organization. Pure: the protocol itself (discovery, PKCE,
//! signatures) is the server's, through the `openidconnect` crate.

use std::fmt;

use serde_json::Value;

use super::{Email, Invalid};

/// The claim read as the person's address when the organization names none.
pub const DEFAULT_EMAIL_CLAIM: &str = "email";

/// How many email domains one organization may declare.
pub const MAX_DOMAINS: usize = 20;

/// A DNS name an organization's addresses end in (`riverside.example`), lowercase.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EmailDomain(String);

impl EmailDomain {
    pub fn parse(input: &str) -> Result<EmailDomain, Invalid> {
        let s = input.trim().trim_start_matches('@').to_lowercase();
        let invalid = || {
            Invalid::new(format!(
                "\"{}\" is not an email domain; write it like riverside.example",
                input.trim()
            ))
        };
        if s.is_empty() || s.len() > 253 {
            return Err(invalid());
        }
        let labels: Vec<&str> = s.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(invalid());
        }
        Ok(EmailDomain(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A list of domains as an administrator types it (commas, spaces or lines between them):
/// at least one, at most [`MAX_DOMAINS`], sorted, without repeats.
pub fn parse_domains<'a>(
    items: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<EmailDomain>, Invalid> {
    let mut domains = items
        .into_iter()
        .flat_map(|item| item.split(|c: char| c == ',' || c.is_whitespace()))
        .filter(|s| !s.trim().is_empty())
        .map(EmailDomain::parse)
        .collect::<Result<Vec<_>, _>>()?;
    domains.sort();
    domains.dedup();
    if domains.is_empty() {
        return Err(Invalid::new(
            "name at least one email domain your organization's addresses end in",
        ));
    }
    if domains.len() > MAX_DOMAINS {
        return Err(Invalid::new(format!(
            "at most {MAX_DOMAINS} email domains per organization"
        )));
    }
    Ok(domains)
}

/// The part of an address after the `@`.
pub fn email_domain(email: &Email) -> &str {
    email
        .as_str()
        .rsplit_once('@')
        .map_or("", |(_, domain)| domain)
}

/// Whether the address is in one of the domains exactly (a subdomain is another domain).
pub fn in_domains(email: &Email, domains: &[EmailDomain]) -> bool {
    let domain = email_domain(email);
    domains.iter().any(|d| d.as_str() == domain)
}

/// An identity provider's issuer: an absolute `https://` URL without query or fragment
/// (OpenID Connect Discovery 1.0, §2). `http://` only where the deployment allows it
/// (tests against a provider on this machine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer(String);

impl Issuer {
    pub fn parse(input: &str, allow_http: bool) -> Result<Issuer, Invalid> {
        let s = input.trim();
        let rest = if let Some(rest) = s.strip_prefix("https://") {
            rest
        } else if let Some(rest) = s.strip_prefix("http://") {
            if !allow_http {
                return Err(Invalid::new(
                    "the issuer must be an https:// address (plain http is not allowed)",
                ));
            }
            rest
        } else {
            return Err(Invalid::new(
                "the issuer must be an https:// address, e.g. https://login.riverside.example",
            ));
        };
        let host = rest.split('/').next().unwrap_or_default();
        let ok = s.len() <= 500
            && !host.is_empty()
            && !host.contains('@')
            && !s.contains(['?', '#'])
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            return Err(Invalid::new(
                "the issuer must be an address without spaces, user, query or fragment, \
                 e.g. https://login.riverside.example",
            ));
        }
        Ok(Issuer(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name of the ID-token claim that holds the person's address (`email`, `upn`,
/// `preferred_username`, or a URI some providers use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimName(String);

impl ClaimName {
    pub fn parse(input: &str) -> Result<ClaimName, Invalid> {
        let s = input.trim();
        if s.is_empty() {
            return Ok(ClaimName(DEFAULT_EMAIL_CLAIM.to_string()));
        }
        if s.len() > 200 || !s.chars().all(|c| c.is_ascii_graphic()) {
            return Err(Invalid::new(
                "a claim name is 1 to 200 visible characters without spaces, e.g. email",
            ));
        }
        Ok(ClaimName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a verified ID token still opens nothing. Each says what the person can do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimRefusal {
    #[error("your organization's sign-in did not say your email address (claim \"{0}\")")]
    Missing(String),
    #[error("your organization's sign-in gave an address Huddle cannot read")]
    NotAnEmail,
    #[error("your organization has not verified this email address; verify it there first")]
    Unverified,
    #[error("{0} is not one of your organization's email domains")]
    OtherDomain(String),
}

/// The address a verified ID token's claims vouch for: the mapped claim, which must be an
/// address in one of the organization's domains, and not one the provider itself says is
/// unverified (`email_verified: false`; absent counts as vouched for by the organization).
pub fn email_from_claims(
    claims: &Value,
    claim: &ClaimName,
    domains: &[EmailDomain],
) -> Result<Email, ClaimRefusal> {
    let raw = claims
        .get(claim.as_str())
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ClaimRefusal::Missing(claim.as_str().to_string()))?;
    let email = Email::parse(raw).map_err(|_| ClaimRefusal::NotAnEmail)?;
    let unverified = match claims.get("email_verified") {
        Some(Value::Bool(verified)) => !verified,
        // Some providers send the boolean as a string.
        Some(Value::String(s)) => s.eq_ignore_ascii_case("false"),
        _ => false,
    };
    if unverified {
        return Err(ClaimRefusal::Unverified);
    }
    if !in_domains(&email, domains) {
        return Err(ClaimRefusal::OtherDomain(email_domain(&email).to_string()));
    }
    Ok(email)
}

/// A display name from the standard claims, else the address's local part.
pub fn name_from_claims(claims: &Value, email: &Email) -> String {
    let text = |key: &str| {
        claims
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    text("name")
        .or_else(|| match (text("given_name"), text("family_name")) {
            (Some(g), Some(f)) => Some(format!("{g} {f}")),
            (g, f) => g.or(f),
        })
        .unwrap_or_else(|| {
            email
                .as_str()
                .split('@')
                .next()
                .unwrap_or_default()
                .to_string()
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn domains(list: &[&str]) -> Vec<EmailDomain> {
        parse_domains(list.iter().copied()).unwrap()
    }

    #[test]
    fn domains_are_read_as_typed_and_kept_once() {
        let d = parse_domains(["Riverside.Example, @clinic.riverside.example\nriverside.example"])
            .unwrap();
        let names: Vec<&str> = d.iter().map(EmailDomain::as_str).collect();
        assert_eq!(names, ["clinic.riverside.example", "riverside.example"]);
        for bad in [
            "localhost",
            "riverside..example",
            "-a.example",
            "a b.example",
            "x@y.z",
        ] {
            assert!(EmailDomain::parse(bad).is_err(), "{bad}");
        }
        assert!(parse_domains([" , "]).is_err());
        let many: Vec<String> = (0..=MAX_DOMAINS).map(|i| format!("d{i}.example")).collect();
        assert!(parse_domains(many.iter().map(String::as_str)).is_err());
    }

    #[test]
    fn an_address_belongs_to_its_exact_domain_only() {
        let d = domains(&["riverside.example"]);
        let email = |s: &str| Email::parse(s).unwrap();
        assert!(in_domains(&email("Ana@Riverside.Example"), &d));
        assert!(!in_domains(&email("ana@evil.riverside.example"), &d));
        assert!(!in_domains(&email("ana@riverside.example.evil"), &d));
        assert!(!in_domains(&email("ana@notriverside.example"), &d));
    }

    #[test]
    fn issuers_are_https_unless_the_deployment_allows_http() {
        assert!(Issuer::parse("https://login.riverside.example/realms/x", false).is_ok());
        assert!(Issuer::parse("http://127.0.0.1:9000", false).is_err());
        assert!(Issuer::parse("http://127.0.0.1:9000", true).is_ok());
        for bad in [
            "",
            "login.riverside.example",
            "ftp://x.example",
            "https://",
            "https://x.example/?a=1",
            "https://x.example/#f",
            "https://user@x.example",
            "https://x .example",
        ] {
            assert!(Issuer::parse(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_claim_defaults_to_email() {
        assert_eq!(ClaimName::parse(" ").unwrap().as_str(), "email");
        assert_eq!(ClaimName::parse("upn").unwrap().as_str(), "upn");
        assert!(ClaimName::parse("two words").is_err());
    }

    #[test]
    fn a_token_opens_only_a_verified_address_of_the_organization() {
        let d = domains(&["riverside.example"]);
        let email = ClaimName::parse("email").unwrap();
        let ok = json!({"email": "Ana@riverside.example", "email_verified": true});
        assert_eq!(
            email_from_claims(&ok, &email, &d).unwrap().as_str(),
            "ana@riverside.example"
        );
        // Absent email_verified: the organization's provider vouches for it.
        assert!(email_from_claims(&json!({"email": "ana@riverside.example"}), &email, &d).is_ok());
        let refused = |claims| email_from_claims(&claims, &email, &d).unwrap_err();
        assert_eq!(
            refused(json!({"email": "ana@riverside.example", "email_verified": false})),
            ClaimRefusal::Unverified
        );
        assert_eq!(
            refused(json!({"email": "ana@riverside.example", "email_verified": "false"})),
            ClaimRefusal::Unverified
        );
        assert_eq!(
            refused(json!({"email": "ana@elsewhere.example"})),
            ClaimRefusal::OtherDomain("elsewhere.example".into())
        );
        assert_eq!(
            refused(json!({"sub": "1"})),
            ClaimRefusal::Missing("email".into())
        );
        assert_eq!(refused(json!({"email": "ana"})), ClaimRefusal::NotAnEmail);
        let upn = ClaimName::parse("upn").unwrap();
        let claims = json!({"email": "x@elsewhere.example", "upn": "ana@riverside.example"});
        assert!(email_from_claims(&claims, &upn, &d).is_ok());
    }

    #[test]
    fn names_come_from_the_standard_claims() {
        let email = Email::parse("ana.lopez@riverside.example").unwrap();
        assert_eq!(
            name_from_claims(&json!({"name": "Ana López"}), &email),
            "Ana López"
        );
        assert_eq!(
            name_from_claims(
                &json!({"given_name": "Ana", "family_name": "López"}),
                &email
            ),
            "Ana López"
        );
        assert_eq!(name_from_claims(&json!({}), &email), "ana.lopez");
    }
}
