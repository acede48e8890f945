//! What every request handler shares.

use std::sync::Arc;

use huddle_core::clock::Clock;
use huddle_store::Store;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::auth::password::PasswordHasher;
use crate::auth::throttle::{DecoyLockouts, Throttle};
use crate::config::Config;
use crate::crypto::Keyring;
use crate::keys::Keys;
use crate::live::{Bus, Hub};

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    pub passwords: PasswordHasher,
    pub sign_in_throttle: Arc<Throttle>,
    /// Sign-ups per client address per hour.
    pub sign_up_throttle: Arc<Throttle>,
    /// Lockouts of addresses without an account, so they answer as accounts do.
    pub decoy_lockouts: Arc<DecoyLockouts>,
    pub metrics: Option<PrometheusHandle>,
    /// Registered feeds' names by id (a name never changes), so showing an alert's sender
    /// reads nothing.
    pub feed_names: Arc<std::sync::Mutex<std::collections::HashMap<i64, String>>>,
    /// Appends audit entries, many per transaction under load.
    pub audit: Arc<crate::actions::audit::AuditWriter>,
    /// Every data key and secret, by owner (see `keys`).
    pub keys: Arc<Keys>,
    pub hub: Arc<Hub>,
    pub bus: Arc<Bus>,
    /// Each organization's routing engine.
    pub routing: Arc<crate::actions::routing::Engines>,
    /// Leaders' protected tables and pseudonym secrets, per organization.
    pub insights: Arc<crate::actions::insights::Cache>,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        config: Config,
        metrics: Option<PrometheusHandle>,
    ) -> anyhow::Result<AppState> {
        let per_minute = config.security.login_attempts_per_minute;
        let sign_ups_per_hour = config.security.sign_ups_per_hour;
        let keys = Arc::new(Keys::new(Keyring::from_config(&config)?));
        let hub = Arc::new(Hub::default());
        Ok(AppState {
            store,
            clock,
            config: Arc::new(config),
            passwords: PasswordHasher::new(),
            sign_in_throttle: Arc::new(Throttle::new(per_minute)),
            sign_up_throttle: Arc::new(Throttle::per_hour(sign_ups_per_hour)),
            decoy_lockouts: Arc::default(),
            metrics,
            keys,
            audit: Arc::default(),
            feed_names: Arc::default(),
            bus: Arc::new(Bus::local(hub.clone())),
            routing: Arc::default(),
            insights: Arc::default(),
            hub,
        })
    }

    pub fn now(&self) -> huddle_core::clock::Millis {
        self.clock.now()
    }
}
