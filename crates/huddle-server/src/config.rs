//! Configuration: a TOML file, then `HUDDLE_SECTION__KEY` environment overrides, then the
//! command line. Unknown keys are refused with a message that names them, so a typo never
//! silently leaves a default in place.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub session: SessionConfig,
    pub security: SecurityConfig,
    pub log: LogConfig,
    pub bus: BusConfig,
    pub hl7: Hl7Config,
    pub insights: InsightsConfig,
    pub push: PushConfig,
    pub email: EmailConfig,
    pub metrics: MetricsConfig,
    pub accounts: AccountsConfig,
    pub sso: SsoConfig,
}

/// How people get accounts (docs/identity.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountsConfig {
    pub sign_up: SignUpMode,
    /// How long an invitation's link works.
    pub invitation_days: i64,
    /// How long a link that proves an address works.
    pub verification_hours: i64,
    /// How long a password-reset link works.
    pub reset_minutes: i64,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        AccountsConfig {
            sign_up: SignUpMode::Invitation,
            invitation_days: 7,
            verification_hours: 48,
            reset_minutes: 60,
        }
    }
}

/// Who may open an account themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignUpMode {
    /// Anyone, with an address they prove from their mailbox before they can sign in.
    Open,
    /// Nobody: people join by an organization's invitation, its single sign-on or its
    /// directory (SCIM).
    #[default]
    Invitation,
    /// Nobody, and the sign-up page sends people to their organization's single sign-on.
    SingleSignOn,
}

/// Single sign-on with each organization's OpenID provider (docs/identity.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SsoConfig {
    /// A session made by single sign-on ends after this many hours however active, so a
    /// person the provider has disabled is cut off at their next sign-in at the latest.
    pub session_hours: i64,
    /// Accept `http://` issuers. For tests against a provider on this machine only; off,
    /// discovery, keys and tokens are fetched over HTTPS alone.
    pub allow_http_issuers: bool,
}

impl SsoConfig {
    pub fn session_ms(&self) -> huddle_core::clock::Millis {
        self.session_hours.saturating_mul(huddle_core::clock::HOUR)
    }
}

impl Default for SsoConfig {
    fn default() -> Self {
        SsoConfig {
            session_hours: 12,
            allow_http_issuers: false,
        }
    }
}

/// Who may read `/metrics` (docs/operations.md).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// A scraper sends `Authorization: Bearer <token>`. Unset: only connections from this
    /// host's loopback address may read the metrics.
    pub token: Option<Redacted>,
}

/// Web Push (docs/operations.md).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PushConfig {
    /// The contact push services see in each VAPID signature: `mailto:it@hospital.example`.
    /// Unset: the server's public URL.
    pub subject: Option<String>,
    /// Accept `http://` push endpoints. Browsers' push services are all HTTPS; this is for
    /// tests against a local push service. Off, Huddle never posts to plain HTTP.
    pub allow_http_endpoints: bool,
}

/// Mail over SMTP (docs/operations.md): escalation fallback, digests, account mail. Without
/// a `host`, Huddle sends no mail and says so where mail would have gone.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmailConfig {
    /// The SMTP relay.
    pub host: Option<String>,
    /// Default: 587 for STARTTLS, 465 for TLS, 25 without.
    pub port: Option<u16>,
    pub security: EmailSecurity,
    pub username: Option<String>,
    pub password: Option<Redacted>,
    /// The sender: `Huddle <huddle@hospital.example>`.
    pub from: Option<String>,
    /// A PEM file of the CA that signed the relay's certificate, when it is a private one.
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed.
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
    /// No encryption: only for a relay on the same host.
    None,
}

/// A secret from the configuration: usable, never printed.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Redacted(String);

impl Redacted {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The privacy thresholds of leaders' aggregates (docs/insights.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InsightsConfig {
    /// Minimum group size for burnout, participation, drivers and routing burden.
    pub min_group: usize,
    /// Minimum group size for the depression and anxiety screens.
    pub min_group_sensitive: usize,
    /// Released group sizes are rounded to a multiple of this.
    pub round_to: usize,
}

impl Default for InsightsConfig {
    fn default() -> Self {
        let p = huddle_core::insights::privacy::Policy::default();
        InsightsConfig {
            min_group: p.min_group,
            min_group_sensitive: p.min_group_sensitive,
            round_to: p.round_to,
        }
    }
}

impl InsightsConfig {
    /// The policy, with thresholds below the floor of 3 raised to it.
    pub fn policy(&self) -> huddle_core::insights::privacy::Policy {
        huddle_core::insights::privacy::Policy {
            min_group: self.min_group.max(3),
            min_group_sensitive: self.min_group_sensitive.max(3),
            round_to: self.round_to.max(1),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Hl7Config {
    /// Where to listen for HL7 v2 over MLLP, e.g. `0.0.0.0:2575`. Unset: no listener.
    /// Each message is taken only from a registered feed (by MSH-3/MSH-4) connecting from
    /// an address on that feed's list; see docs/operations.md.
    pub bind: Option<String>,
    /// The service a result is routed to when its PV1-10 is empty.
    pub default_service: String,
    /// Connections beyond this many at once are closed on arrival.
    pub max_connections: usize,
    /// A connection that sends nothing for this long is closed.
    pub idle_timeout_seconds: u64,
    /// A message whose frame is not complete this long after it began is dropped with the
    /// connection (the sender resends it: nothing was acknowledged).
    pub frame_timeout_seconds: u64,
    /// Larger messages are refused with an error ACK rather than buffered.
    pub max_message_bytes: usize,
    /// MLLP over TLS: both set, the listener speaks TLS only.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

impl Default for Hl7Config {
    fn default() -> Self {
        Hl7Config {
            bind: None,
            default_service: "medicine".into(),
            max_connections: 32,
            idle_timeout_seconds: 300,
            frame_timeout_seconds: 15,
            max_message_bytes: 1 << 20,
            tls_cert: None,
            tls_key: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BusConfig {
    /// `nats://host:4222`: set it when several nodes serve one PostgreSQL database, so
    /// live events reach clients on every node. Unset: events stay in this process.
    pub nats_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub bind: String,
    /// The origin browsers use (e.g. `https://huddle.example.org`); state-changing requests
    /// from any other origin are refused. Empty: the request's own Host.
    pub public_url: String,
    /// Request bodies over this size get 413.
    pub body_limit_bytes: usize,
    pub request_timeout_secs: u64,
    /// A client must send a request's whole head (request line and headers) within this
    /// many seconds of starting it or of connecting, else the connection is closed: a
    /// client trickling bytes (slowloris) cannot hold connections open.
    pub header_read_timeout_secs: u64,
    /// PEM certificate chain and private key; both set turns TLS on.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

impl ServerConfig {
    /// An absolute link to a page of Huddle's, for mail and push: only from the configured
    /// public URL, never from a request's Host header (which its sender chooses).
    pub fn link(&self, path_and_query: &str) -> Option<String> {
        let base = self.public_url.trim_end_matches('/');
        (!base.is_empty()).then(|| format!("{base}{path_and_query}"))
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: "127.0.0.1:8080".into(),
            public_url: String::new(),
            body_limit_bytes: 1024 * 1024,
            request_timeout_secs: 30,
            header_read_timeout_secs: 10,
            tls_cert: None,
            tls_key: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` or `postgres://…`; wins over `data_dir`.
    pub url: Option<String>,
    /// The folder of the embedded SQLite database (default `./huddle-data`).
    pub data_dir: Option<PathBuf>,
}

impl DatabaseConfig {
    /// The URL the store opens: the explicit URL, or the SQLite file in the data folder.
    pub fn resolved_url(&self) -> String {
        match &self.url {
            Some(url) => url.clone(),
            None => {
                let dir = self
                    .data_dir
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("huddle-data"));
                format!("sqlite://{}", dir.join("huddle.db").display())
            }
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionConfig {
    pub idle_timeout_minutes: i64,
    pub absolute_timeout_hours: i64,
    /// Send cookies with `Secure` (on automatically with TLS; set it behind a TLS proxy).
    pub secure_cookies: bool,
}

impl SessionConfig {
    /// How long a session may sit unused, in milliseconds.
    pub fn idle_ms(&self) -> huddle_core::clock::Millis {
        self.idle_timeout_minutes
            .saturating_mul(huddle_core::clock::MINUTE)
    }

    /// How long a session may last however active, in milliseconds.
    pub fn absolute_ms(&self) -> huddle_core::clock::Millis {
        self.absolute_timeout_hours
            .saturating_mul(huddle_core::clock::HOUR)
    }
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            idle_timeout_minutes: 15,
            absolute_timeout_hours: 12,
            secure_cookies: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityConfig {
    /// Consecutive failed sign-ins that lock an account.
    pub max_failed_logins: i64,
    pub lockout_minutes: i64,
    /// Sign-in attempts allowed per client address per minute.
    pub login_attempts_per_minute: u32,
    /// Accounts that may be created per client address per hour (sign-up).
    pub sign_ups_per_hour: u32,
    /// Live sockets one person may hold open on one node (tabs, phones, API clients).
    pub live_sockets_per_person: usize,
    /// File holding the master key (32 bytes, base64) that wraps the data keys. Required
    /// on PostgreSQL; on SQLite, `master.key` beside the database is created if unset.
    pub master_key_file: Option<PathBuf>,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        SecurityConfig {
            max_failed_logins: 5,
            lockout_minutes: 15,
            login_attempts_per_minute: 20,
            sign_ups_per_hour: 20,
            live_sockets_per_person: 20,
            master_key_file: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `text` or `json`.
    pub format: String,
    /// A tracing filter, e.g. `info` or `huddle_server=debug,info`.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: "text".into(),
            level: "info".into(),
        }
    }
}

/// Environment variables with the `HUDDLE_` prefix that are not configuration keys (the
/// test suite's `HUDDLE_TEST_*` are not either).
const NOT_CONFIG: [&str; 2] = ["HUDDLE_CONFIG", "HUDDLE_BIN"];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

impl Config {
    /// Reads the file (if any) and applies the environment overrides given.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let (text, origin) = match file {
            Some(path) => (
                std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })?,
                path.display().to_string(),
            ),
            None => (String::new(), "configuration".to_string()),
        };
        Self::parse(&text, &origin, env)
    }

    pub fn parse(
        text: &str,
        origin: &str,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let invalid = |origin: &str, message: String| ConfigError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let mut table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| invalid(origin, e.message().to_string()))?;
        // Check the file alone first, so its errors name the file.
        Config::deserialize(toml::Value::Table(table.clone()))
            .map_err(|e| invalid(origin, e.message().to_string()))?;

        let mut overridden = Vec::new();
        for (name, value) in env {
            if !name.starts_with("HUDDLE_")
                || name.starts_with("HUDDLE_TEST_")
                || NOT_CONFIG.contains(&name.as_str())
            {
                continue;
            }
            let key = name.trim_start_matches("HUDDLE_").to_ascii_lowercase();
            let Some((section, field)) = key.split_once("__") else {
                return Err(invalid(
                    &name,
                    "environment overrides are named HUDDLE_SECTION__KEY, e.g. HUDDLE_SERVER__BIND"
                        .into(),
                ));
            };
            let section_table = table
                .entry(section.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            let toml::Value::Table(section_table) = section_table else {
                return Err(invalid(&name, format!("`{section}` is not a section")));
            };
            section_table.insert(field.to_string(), env_value(&value));
            overridden.push(name);
        }
        Config::deserialize(toml::Value::Table(table)).map_err(|e| {
            let origin = if overridden.is_empty() {
                origin.to_string()
            } else {
                format!("{origin} with {}", overridden.join(", "))
            };
            invalid(&origin, e.message().to_string())
        })
    }

    pub fn tls(&self) -> Option<(&Path, &Path)> {
        match (&self.server.tls_cert, &self.server.tls_key) {
            (Some(cert), Some(key)) => Some((cert.as_path(), key.as_path())),
            _ => None,
        }
    }
}

/// Environment values are text; numbers and booleans are read as such so that
/// `HUDDLE_SESSION__IDLE_TIMEOUT_MINUTES=30` works.
fn env_value(value: &str) -> toml::Value {
    if let Ok(i) = value.parse::<i64>() {
        toml::Value::Integer(i)
    } else if let Ok(b) = value.parse::<bool>() {
        toml::Value::Boolean(b)
    } else {
        toml::Value::String(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_without_file_or_environment() {
        let c = Config::parse("", "x", env(&[])).unwrap();
        assert_eq!(c.server.bind, "127.0.0.1:8080");
        assert_eq!(c.session.idle_timeout_minutes, 15);
        assert_eq!(c.session.absolute_timeout_hours, 12);
        assert_eq!(c.database.resolved_url(), "sqlite://huddle-data/huddle.db");
        assert!(c.tls().is_none());
    }

    #[test]
    fn file_values_and_environment_overrides() {
        let text = "[server]\nbind = \"0.0.0.0:9000\"\n[session]\nidle_timeout_minutes = 20\n";
        let c = Config::parse(
            text,
            "huddle.toml",
            env(&[
                ("HUDDLE_SESSION__IDLE_TIMEOUT_MINUTES", "30"),
                ("HUDDLE_DATABASE__URL", "postgres://db/huddle"),
                ("HUDDLE_TEST_DATABASE_URL", "ignored"),
                ("PATH", "/usr/bin"),
            ]),
        )
        .unwrap();
        assert_eq!(c.server.bind, "0.0.0.0:9000");
        assert_eq!(c.session.idle_timeout_minutes, 30);
        assert_eq!(c.database.resolved_url(), "postgres://db/huddle");
    }

    #[test]
    fn unknown_keys_in_the_file_are_named() {
        let err = Config::parse("[server]\nprot = 9000\n", "huddle.toml", env(&[]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("huddle.toml: "), "{err}");
        assert!(err.contains("unknown field `prot`"), "{err}");
        let err = Config::parse("[sever]\n", "huddle.toml", env(&[]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `sever`"), "{err}");
    }

    #[test]
    fn unknown_environment_keys_are_named() {
        let err = Config::parse("", "x", env(&[("HUDDLE_SERVER__PROT", "1")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("HUDDLE_SERVER__PROT"), "{err}");
        assert!(err.contains("unknown field `prot`"), "{err}");
        let err = Config::parse("", "x", env(&[("HUDDLE_PORT", "1")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("HUDDLE_SECTION__KEY"), "{err}");
    }

    #[test]
    fn wrong_types_and_bad_toml_are_explained() {
        let err = Config::parse(
            "[session]\nidle_timeout_minutes = \"soon\"\n",
            "f",
            env(&[]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("invalid type"), "{err}");
        assert!(Config::parse("[server\n", "f", env(&[])).is_err());
    }

    #[test]
    fn data_dir_picks_the_sqlite_file() {
        let c = Config::parse(
            "[database]\ndata_dir = \"/var/lib/huddle\"\n",
            "f",
            env(&[]),
        )
        .unwrap();
        assert_eq!(
            c.database.resolved_url(),
            "sqlite:///var/lib/huddle/huddle.db"
        );
    }
}
