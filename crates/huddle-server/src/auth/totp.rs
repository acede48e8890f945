//! TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of clock skew either way),
//! the defaults every authenticator app understands. Which step a code matched is returned
//! so the store can refuse a step at or before the last one accepted: no code works twice.

use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

use super::secrets::constant_time_eq;

const STEP_SECS: u64 = 30;

/// A new 160-bit secret, base32 as authenticator apps expect.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret_b32: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_string()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECS,
        bytes,
        Some("Huddle".to_string()),
        account.to_string(),
    )
    .ok()
}

/// The `otpauth://` URL an authenticator app imports.
pub fn provisioning_url(secret_b32: &str, account: &str) -> Option<String> {
    totp(secret_b32, account).map(|t| t.get_url())
}

/// The time step the code belongs to, if it is valid now (allowing one step of skew).
pub fn matching_step(secret_b32: &str, code: &str, now_secs: u64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret_b32, "check")?;
    let current = now_secs / STEP_SECS;
    [current.saturating_sub(1), current, current + 1]
        .into_iter()
        .find(|step| constant_time_eq(&t.generate(step * STEP_SECS), code))
        .and_then(|step| i64::try_from(step).ok())
}

/// The code for a moment in time; tests and the demo use it.
pub fn code_at(secret_b32: &str, secs: u64) -> Option<String> {
    totp(secret_b32, "check").map(|t| t.generate(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_with_one_step_of_skew() {
        let secret = new_secret();
        let now = 1_700_000_000u64;
        let code = code_at(&secret, now).unwrap();
        let step = (now / 30) as i64;
        assert_eq!(matching_step(&secret, &code, now), Some(step));
        assert_eq!(matching_step(&secret, &code, now + 30), Some(step));
        assert_eq!(matching_step(&secret, &code, now - 30), Some(step));
        assert_eq!(matching_step(&secret, &code, now + 90), None);
    }

    #[test]
    fn malformed_codes_never_match() {
        let secret = new_secret();
        for bad in ["", "12345", "1234567", "12a456", "      "] {
            assert_eq!(matching_step(&secret, bad, 1_700_000_000), None);
        }
        assert_eq!(matching_step("not base32!", "123456", 0), None);
    }

    #[test]
    fn provisioning_url_names_the_issuer() {
        let url = provisioning_url(&new_secret(), "ada@example.org").unwrap();
        assert!(
            url.starts_with("otpauth://totp/Huddle:ada%40example.org?"),
            "{url}"
        );
    }
}
