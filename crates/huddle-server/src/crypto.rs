//! Encryption at rest. A master key (a file the operator provides, or on a single SQLite
//! node one Huddle creates beside the database) wraps per-person data keys; data keys seal
//! what must stay private (well-being answers) with AES-256-GCM. The associated data binds
//! each sealed value to its owner, so a value moved to another row does not open.

use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

use crate::config::Config;

/// Format version of a sealed value: `1 || nonce (12) || ciphertext+tag`.
const VERSION: u8 = 1;

pub struct Keyring {
    master: Aes256Gcm,
    /// A key for keyed digests, derived from the master key (HMAC of a fixed label): a
    /// digest of sealed content reveals nothing to someone who reads only the database.
    digests: [u8; 32],
}

/// A data key, unwrapped.
#[derive(Clone)]
pub struct DataKey(Aes256Gcm);

impl Keyring {
    pub fn from_key(bytes: &[u8; 32]) -> Keyring {
        Keyring {
            master: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(bytes)),
            digests: hmac_sha256(bytes, b"huddle keyed digests v1"),
        }
    }

    /// A keyed digest (HMAC-SHA-256, hex) of `message` for `purpose`: equal inputs give
    /// equal digests under one master key. After a master-key rotation digests differ,
    /// which callers must treat as "not known to be equal".
    pub fn digest(&self, purpose: &str, message: &[u8]) -> String {
        let mut input = Vec::with_capacity(purpose.len() + 1 + message.len());
        input.extend_from_slice(purpose.as_bytes());
        input.push(0);
        input.extend_from_slice(message);
        hex::encode(hmac_sha256(&self.digests, &input))
    }

    /// The configured master key file, or on SQLite a `master.key` beside the database,
    /// created on first start. PostgreSQL deployments (several nodes) must configure one.
    pub fn from_config(config: &Config) -> anyhow::Result<Keyring> {
        let path = match (
            &config.security.master_key_file,
            config.database.resolved_url(),
        ) {
            (Some(path), _) => path.clone(),
            (None, url) if url.starts_with("sqlite://") => {
                let db = PathBuf::from(url.trim_start_matches("sqlite://"));
                let dir = db
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                let path = dir.join("master.key");
                if !path.exists() {
                    create_key_file(&path)?;
                }
                path
            }
            (None, _) => anyhow::bail!(
                "set security.master_key_file: PostgreSQL deployments share one master key \
                 (32 random bytes, base64) across nodes, e.g. `head -c 32 /dev/urandom | base64`"
            ),
        };
        Keyring::from_file(&path)
    }

    /// A new random data key, and its wrapped form for storage.
    pub fn new_data_key(&self, owner: &str) -> anyhow::Result<(DataKey, Vec<u8>)> {
        let mut raw = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let wrapped = seal(&self.master, &aad("key", owner), &raw)?;
        Ok((
            DataKey(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&raw))),
            wrapped,
        ))
    }

    pub fn unwrap(&self, owner: &str, wrapped: &[u8]) -> anyhow::Result<DataKey> {
        let raw = open(&self.master, &aad("key", owner), wrapped)?;
        anyhow::ensure!(raw.len() == 32, "a wrapped key of the wrong size");
        Ok(DataKey(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&raw))))
    }
}

impl Keyring {
    /// A new random 32-byte secret (for keyed hashing rather than sealing), and its
    /// wrapped form; stored like any data key, so key rotation rewraps it.
    pub fn new_secret(&self, owner: &str) -> anyhow::Result<([u8; 32], Vec<u8>)> {
        let mut raw = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let wrapped = seal(&self.master, &aad("key", owner), &raw)?;
        Ok((raw, wrapped))
    }

    pub fn unwrap_secret(&self, owner: &str, wrapped: &[u8]) -> anyhow::Result<[u8; 32]> {
        let raw = open(&self.master, &aad("key", owner), wrapped)?;
        raw.try_into()
            .map_err(|_| anyhow::anyhow!("a wrapped secret of the wrong size"))
    }

    /// Opens a wrapped key with this (old) master key and wraps it with `new`.
    pub fn rewrap(&self, owner: &str, wrapped: &[u8], new: &Keyring) -> anyhow::Result<Vec<u8>> {
        let raw = open(&self.master, &aad("key", owner), wrapped)?;
        seal(&new.master, &aad("key", owner), &raw)
    }

    /// Reads a master key file (base64 of 32 bytes).
    pub fn from_file(path: &Path) -> anyhow::Result<Keyring> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read the master key {}: {e}", path.display()))?;
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| anyhow::anyhow!("{} is not base64", path.display()))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("{} must hold 32 bytes (base64)", path.display()))?;
        Ok(Keyring::from_key(&key))
    }
}

impl DataKey {
    pub fn seal(&self, owner: &str, plaintext: &[u8]) -> anyhow::Result<Vec<u8>> {
        seal(&self.0, &aad("data", owner), plaintext)
    }

    pub fn open(&self, owner: &str, sealed: &[u8]) -> anyhow::Result<Vec<u8>> {
        open(&self.0, &aad("data", owner), sealed)
    }
}

/// HMAC-SHA-256 (RFC 2104) with a 32-byte key.
pub fn hmac_sha256(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut ipad = [0x36u8; 64];
    let mut opad = [0x5cu8; 64];
    for (i, k) in key.iter().enumerate() {
        ipad[i] ^= k;
        opad[i] ^= k;
    }
    let inner = Sha256::new()
        .chain_update(ipad)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(opad)
        .chain_update(inner)
        .finalize()
        .into()
}

fn aad(kind: &str, owner: &str) -> Vec<u8> {
    format!("huddle:{kind}:{owner}").into_bytes()
}

fn seal(cipher: &Aes256Gcm, aad: &[u8], plaintext: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| anyhow::anyhow!("encryption failed"))?;
    let mut out = Vec::with_capacity(1 + 12 + ciphertext.len());
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

fn open(cipher: &Aes256Gcm, aad: &[u8], sealed: &[u8]) -> anyhow::Result<Vec<u8>> {
    anyhow::ensure!(
        sealed.len() > 13 && sealed.first() == Some(&VERSION),
        "not a sealed value"
    );
    let (nonce, ciphertext) = sealed[1..].split_at(12);
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map_err(|_| anyhow::anyhow!("the sealed value does not open with this key"))
}

fn create_key_file(path: &Path) -> anyhow::Result<()> {
    use std::io::Write;
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create the master key {}: {e}", path.display()))?;
    writeln!(file, "{}", STANDARD.encode(raw))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_style_vector() {
        // HMAC-SHA-256 with key 0x0b × 32 over "Hi There" (checked against Python's hmac module).
        let mac = hmac_sha256(&[0x0b; 32], b"Hi There");
        assert_eq!(
            hex::encode(mac),
            "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"
        );
    }

    #[test]
    fn sealed_values_open_only_for_their_owner_and_key() {
        let ring = Keyring::from_key(&[7u8; 32]);
        let (key, wrapped) = ring.new_data_key("user:1").unwrap();
        let sealed = key.seal("user:1", b"phq9-9: several days").unwrap();
        assert!(!sealed.windows(7).any(|w| w == b"several"), "no plaintext");
        assert_eq!(
            key.open("user:1", &sealed).unwrap(),
            b"phq9-9: several days"
        );
        assert!(key.open("user:2", &sealed).is_err(), "bound to its owner");
        let again = ring.unwrap("user:1", &wrapped).unwrap();
        assert_eq!(
            again.open("user:1", &sealed).unwrap(),
            b"phq9-9: several days"
        );
        assert!(ring.unwrap("user:2", &wrapped).is_err());
        let other_ring = Keyring::from_key(&[8u8; 32]);
        assert!(other_ring.unwrap("user:1", &wrapped).is_err());
        let mut tampered = sealed.clone();
        if let Some(b) = tampered.last_mut() {
            *b ^= 1;
        }
        assert!(key.open("user:1", &tampered).is_err());
        assert!(key.open("user:1", b"short").is_err());
    }

    #[test]
    fn sqlite_deployments_get_a_key_file_made_once() {
        let dir = std::env::temp_dir().join(format!("huddle-keyring-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut config = Config::default();
        config.database.data_dir = Some(dir.clone());
        std::fs::create_dir_all(&dir).unwrap();
        let first = Keyring::from_config(&config).unwrap();
        let (key, wrapped) = first.new_data_key("u").unwrap();
        let sealed = key.seal("u", b"x").unwrap();
        let second = Keyring::from_config(&config).unwrap();
        assert_eq!(
            second
                .unwrap("u", &wrapped)
                .unwrap()
                .open("u", &sealed)
                .unwrap(),
            b"x"
        );
        config.database.url = Some("postgres://db/huddle".into());
        assert!(
            Keyring::from_config(&config).is_err(),
            "PostgreSQL needs a configured key"
        );
    }
}
