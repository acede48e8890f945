//! Per-address throttling: a fixed window per client address. For sign-in (a minute):
//! account lockout (in the store) stops guessing at one account; this stops one client
//! guessing at many. For sign-up (an hour): one client cannot mint accounts by the hundred.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use huddle_core::clock::{Millis, HOUR, MINUTE};

pub struct Throttle {
    limit: u32,
    window: Millis,
    windows: Mutex<HashMap<IpAddr, (Millis, u32)>>,
}

impl Throttle {
    pub fn new(per_minute: u32) -> Throttle {
        Throttle::per_window(per_minute, MINUTE)
    }

    pub fn per_hour(limit: u32) -> Throttle {
        Throttle::per_window(limit, HOUR)
    }

    fn per_window(limit: u32, window: Millis) -> Throttle {
        Throttle {
            limit,
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt; `Err(seconds)` says how long to wait when over the limit.
    pub fn attempt(&self, ip: IpAddr, now: Millis) -> Result<(), u64> {
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        let window = self.window;
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now - *start < window);
        }
        let entry = windows.entry(ip).or_insert((now, 0));
        if now - entry.0 >= window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        if entry.1 > self.limit {
            let wait_ms = (entry.0 + window - now).max(1_000);
            Err((wait_ms as u64).div_ceil(1_000))
        } else {
            Ok(())
        }
    }
}

/// Lockouts of email addresses that have no account, kept in memory with the same rule the
/// store applies to accounts (`threshold` failures in a row lock for `lock_for`), so an
/// unknown address answers a burst of wrong passwords exactly as a known one does: the
/// lockout cannot tell anyone which addresses have accounts.
#[derive(Default)]
pub struct DecoyLockouts {
    /// By lower-cased address: failures since the last lockout, and the lockout's end.
    entries: Mutex<HashMap<String, (i64, Option<Millis>)>>,
}

impl DecoyLockouts {
    /// When the address's lockout ends, while it lasts.
    pub fn locked_until(&self, email: &str, now: Millis) -> Option<Millis> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(&key(email))
            .and_then(|(_, until)| *until)
            .filter(|&until| until > now)
    }

    /// Counts a failed sign-in; the `threshold`-th in a row locks the address.
    pub fn record_failure(&self, email: &str, now: Millis, threshold: i64, lock_for: Millis) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() > 100_000 {
            entries.retain(|_, (_, until)| until.is_some_and(|u| u > now));
        }
        let entry = entries.entry(key(email)).or_insert((0, None));
        if entry.0 + 1 >= threshold {
            *entry = (0, Some(now.saturating_add(lock_for)));
        } else {
            entry.0 += 1;
        }
    }
}

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_each_address_per_minute() {
        let t = Throttle::new(3);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        for _ in 0..3 {
            assert_eq!(t.attempt(a, 0), Ok(()));
        }
        assert_eq!(t.attempt(a, 15_000), Err(45));
        assert_eq!(
            t.attempt(b, 15_000),
            Ok(()),
            "other addresses are unaffected"
        );
        assert_eq!(t.attempt(a, 60_000), Ok(()), "a new window opens");
    }

    #[test]
    fn unknown_addresses_lock_like_accounts() {
        let l = DecoyLockouts::default();
        for _ in 0..4 {
            l.record_failure("Nobody@Example.org", 0, 5, MINUTE);
            assert_eq!(l.locked_until("nobody@example.org", 0), None);
        }
        l.record_failure(" nobody@example.org", 1_000, 5, MINUTE);
        assert_eq!(l.locked_until("nobody@example.org", 2_000), Some(61_000));
        assert_eq!(l.locked_until("nobody@example.org", 61_000), None);
        assert_eq!(l.locked_until("other@example.org", 2_000), None);
    }

    #[test]
    fn hourly_windows_last_an_hour() {
        let t = Throttle::per_hour(2);
        let a: IpAddr = [10, 0, 0, 1].into();
        assert_eq!(t.attempt(a, 0), Ok(()));
        assert_eq!(t.attempt(a, 1_000), Ok(()));
        assert_eq!(t.attempt(a, 60_000), Err(3_540));
        assert_eq!(t.attempt(a, HOUR), Ok(()));
    }
}
