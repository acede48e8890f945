//! Argon2id password hashing. Hashing is slow on purpose, so it runs on the blocking pool
//! and at most one hash per core runs at once: a burst of sign-ins queues here instead of
//! starving every other request of CPU and memory.

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::{OnceCell, Semaphore};

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// A real hash to verify against when the account does not exist, so that a wrong
    /// email takes as long as a wrong password.
    decoy: Arc<OnceCell<String>>,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl PasswordHasher {
    pub fn new() -> PasswordHasher {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PasswordHasher {
            permits: Arc::new(Semaphore::new(cores)),
            decoy: Arc::new(OnceCell::new()),
        }
    }

    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let password = password.to_string();
        let _permit = self.permits.acquire().await?;
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
        })
        .await?
    }

    /// True when `password` matches the stored PHC string.
    pub async fn verify(&self, password: &str, stored: &str) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let password = password.to_string();
        let stored = stored.to_string();
        tokio::task::spawn_blocking(move || {
            PasswordHash::new(&stored)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false)
    }

    /// Spends the time a real verification would, for accounts that do not exist.
    pub async fn verify_decoy(&self, password: &str) {
        let decoy = self
            .decoy
            .get_or_try_init(|| self.hash("decoy password that matches nothing"))
            .await;
        if let Ok(decoy) = decoy {
            let _ = self.verify(password, decoy).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_salted() {
        let h = PasswordHasher::new();
        let a = h.hash("correct horse battery").await.unwrap();
        let b = h.hash("correct horse battery").await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert!(h.verify("correct horse battery", &a).await);
        assert!(!h.verify("correct horse batterz", &a).await);
        assert!(!h.verify("anything", "not a phc string").await);
    }
}
