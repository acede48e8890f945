//! Argon2id password hashing. Hashing is slow and memory-hungry on purpose (19 MiB per
//! hash), so it runs on a small pool of dedicated threads, one per core: a burst of
//! sign-ins queues here instead of starving every other request of CPU, and the memory
//! Argon2 uses stays with those few threads instead of spreading over the runtime's
//! blocking pool (where each new thread's allocator arena would keep its own 19 MiB).

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use std::cell::RefCell;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::{oneshot, OnceCell};

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct PasswordHasher {
    jobs: SyncSender<Job>,
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
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (jobs, queue) = sync_channel::<Job>(4096);
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..workers {
            let queue = queue.clone();
            let _ = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || work(&queue));
        }
        PasswordHasher {
            jobs,
            decoy: Arc::new(OnceCell::new()),
        }
    }

    /// Runs `f` on a hashing thread and waits for its answer without blocking the runtime.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (tx, rx) = oneshot::channel();
        let jobs = self.jobs.clone();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        // The queue is bounded; a full queue waits off the async threads.
        tokio::task::spawn_blocking(move || jobs.send(job))
            .await?
            .map_err(|_| anyhow::anyhow!("the password hashing threads stopped"))?;
        Ok(rx.await?)
    }

    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let password = password.to_string();
        self.run(move || hash_on_this_thread(&password)).await?
    }

    /// True when `password` matches the stored PHC string.
    pub async fn verify(&self, password: &str, stored: &str) -> bool {
        let password = password.to_string();
        let stored = stored.to_string();
        self.run(move || verify_on_this_thread(&password, &stored).unwrap_or(false))
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

thread_local! {
    /// Argon2's working memory, kept by each hashing thread and reused, so the process
    /// holds a fixed 19 MiB per thread instead of the allocator keeping freed copies.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

fn argon2_into(
    argon: &Argon2<'_>,
    params: &Params,
    pwd: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> anyhow::Result<()> {
    BLOCKS.with(|cell| {
        let mut blocks = cell.borrow_mut();
        blocks.resize(params.block_count(), Block::default());
        argon
            .hash_password_into_with_memory(pwd, salt, out, &mut blocks[..])
            .map_err(|e| anyhow::anyhow!("argon2: {e}"))
    })
}

/// Argon2id with the crate's defaults (m = 19 MiB, t = 2, p = 1), as a PHC string.
fn hash_on_this_thread(password: &str) -> anyhow::Result<String> {
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(&argon, &params, password.as_bytes(), salt_bytes, &mut out)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("{e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("{e}"))?),
    };
    Ok(phc.to_string())
}

/// Checks a password against a stored PHC string, with the parameters it records (so
/// hashes made with older parameters still verify).
fn verify_on_this_thread(password: &str, stored: &str) -> anyhow::Result<bool> {
    let err = |e: argon2::password_hash::Error| anyhow::anyhow!("{e}");
    let parsed = PasswordHash::new(stored).map_err(err)?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(err)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(err)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Ok(false);
    };
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(err)?;
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params.clone());
    argon2_into(&argon, &params, password.as_bytes(), salt_bytes, &mut out)?;
    // `Output` compares in constant time.
    Ok(Output::new(&out).map_err(err)? == expected)
}

fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        let job = match queue.lock() {
            Ok(q) => q.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
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
        // Hashes from the standard API (and its parameters) verify too.
        use argon2::password_hash::PasswordHasher as _;
        let salt = SaltString::generate(&mut OsRng);
        let standard = Argon2::default()
            .hash_password(b"older hash", &salt)
            .unwrap()
            .to_string();
        assert!(h.verify("older hash", &standard).await);
        assert!(!h.verify("older hasH", &standard).await);
    }
}
