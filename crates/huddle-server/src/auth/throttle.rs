//! Per-address throttling of sign-in attempts: a fixed one-minute window per client
//! address. Account lockout (in the store) stops guessing at one account; this stops one
//! client guessing at many.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use huddle_core::clock::{Millis, MINUTE};

pub struct Throttle {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Millis, u32)>>,
}

impl Throttle {
    pub fn new(per_minute: u32) -> Throttle {
        Throttle {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt; `Err(seconds)` says how long to wait when over the limit.
    pub fn attempt(&self, ip: IpAddr, now: Millis) -> Result<(), u64> {
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now - *start < MINUTE);
        }
        let entry = windows.entry(ip).or_insert((now, 0));
        if now - entry.0 >= MINUTE {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.per_minute {
            let wait_ms = (entry.0 + MINUTE - now).max(1_000);
            Err((wait_ms as u64).div_ceil(1_000))
        } else {
            Ok(())
        }
    }
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
}
