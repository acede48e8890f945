//! Real-time delivery: one bounded queue per WebSocket. Publishing never waits for a
//! client: a queue that is full means the client lags, so it is dropped, and the socket
//! tells the client to resynchronize from its cursors (the database has everything).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

/// Sent to a person's sockets when their access ended (deactivated, removed): each socket
/// passes it on and closes.
pub const ACCESS_ENDED: &str = r#"{"type":"access.ended"}"#;

/// Sent to a person's sockets when something they signed in with may have ended (signed
/// out, password changed, token revoked): each socket checks its own and closes if it ended.
pub const SESSION_CHECK: &str = r#"{"type":"session.check"}"#;

/// Events a socket may hold before its client counts as lagging.
pub const BUFFER: usize = 256;

/// One socket's queue, by socket id.
type Queue = (u64, mpsc::Sender<Arc<str>>);

/// The in-process bus: who is connected, and their queues.
#[derive(Default)]
pub struct Hub {
    sockets: Mutex<HashMap<i64, Vec<Queue>>>,
    next_id: AtomicU64,
}

/// A socket's place in the hub; leaving it (drop) unsubscribes.
pub struct Subscription {
    hub: Arc<Hub>,
    user_id: i64,
    id: u64,
    pub events: mpsc::Receiver<Arc<str>>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub.remove(self.user_id, self.id);
    }
}

impl Hub {
    pub fn subscribe(self: &Arc<Self>, user_id: i64) -> Subscription {
        let (tx, events) = mpsc::channel(BUFFER);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut sockets) = self.sockets.lock() {
            sockets.entry(user_id).or_default().push((id, tx));
        }
        metrics::gauge!("huddle_live_sockets").increment(1.0);
        Subscription {
            hub: self.clone(),
            user_id,
            id,
            events,
        }
    }

    /// Subscribes unless this person already has `max` sockets on this node: `Err` holds
    /// how many they have. Checked and added under one lock, so a burst cannot overshoot.
    pub fn try_subscribe(
        self: &Arc<Self>,
        user_id: i64,
        max: usize,
    ) -> Result<Subscription, usize> {
        let (tx, events) = mpsc::channel(BUFFER);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut sockets) = self.sockets.lock() {
            let list = sockets.entry(user_id).or_default();
            if list.len() >= max {
                let open = list.len();
                if open == 0 {
                    sockets.remove(&user_id);
                }
                return Err(open);
            }
            list.push((id, tx));
        }
        metrics::gauge!("huddle_live_sockets").increment(1.0);
        Ok(Subscription {
            hub: self.clone(),
            user_id,
            id,
            events,
        })
    }

    fn remove(&self, user_id: i64, id: u64) {
        if let Ok(mut sockets) = self.sockets.lock() {
            if let Some(list) = sockets.get_mut(&user_id) {
                let before = list.len();
                list.retain(|(sid, _)| *sid != id);
                if list.len() < before {
                    metrics::gauge!("huddle_live_sockets").decrement(1.0);
                }
                if list.is_empty() {
                    sockets.remove(&user_id);
                }
            }
        }
    }

    /// Queues the event for every socket of these people. A full queue drops that socket's
    /// queue (it will resynchronize); nobody else waits for it.
    pub fn publish(&self, user_ids: impl IntoIterator<Item = i64>, event: &Arc<str>) {
        let Ok(mut sockets) = self.sockets.lock() else {
            return;
        };
        for user_id in user_ids {
            if let Some(list) = sockets.get_mut(&user_id) {
                list.retain(|(_, tx)| match tx.try_send(event.clone()) {
                    Ok(()) => true,
                    Err(_) => {
                        metrics::counter!("huddle_live_lagging_total").increment(1);
                        metrics::gauge!("huddle_live_sockets").decrement(1.0);
                        false
                    }
                });
            }
        }
    }

    /// Sockets connected now.
    pub fn connected(&self) -> usize {
        self.sockets
            .lock()
            .map(|s| s.values().map(Vec::len).sum())
            .unwrap_or(0)
    }
}

/// How events leave the node that produced them: straight to this node's sockets, or,
/// with several nodes, through NATS to every node's sockets (this one included). Events
/// are transport only: the database stays the source of truth, and a client that missed
/// something resumes from its cursors.
pub struct Bus {
    hub: Arc<Hub>,
    nats: Option<async_nats::Client>,
}

const SUBJECT: &str = "huddle.live";

#[derive(serde::Serialize, serde::Deserialize)]
struct Envelope {
    to: Vec<i64>,
    event: String,
}

impl Bus {
    pub fn local(hub: Arc<Hub>) -> Bus {
        Bus { hub, nats: None }
    }

    /// Connects to NATS and relays what every node publishes to this node's sockets.
    pub async fn nats(hub: Arc<Hub>, url: &str) -> anyhow::Result<Bus> {
        let client =
            tokio::time::timeout(std::time::Duration::from_secs(10), async_nats::connect(url))
                .await
                .map_err(|_| anyhow::anyhow!("NATS at {url} did not answer within 10 s"))?
                .map_err(|e| anyhow::anyhow!("cannot connect to NATS at {url}: {e}"))?;
        let mut subscription = client
            .subscribe(SUBJECT)
            .await
            .map_err(|e| anyhow::anyhow!("cannot subscribe to {SUBJECT}: {e}"))?;
        let relay = hub.clone();
        tokio::spawn(async move {
            use futures_util::StreamExt;
            while let Some(message) = subscription.next().await {
                match serde_json::from_slice::<Envelope>(&message.payload) {
                    Ok(envelope) => relay.publish(envelope.to, &Arc::from(envelope.event)),
                    Err(e) => tracing::warn!(error = %e, "an unreadable event on the bus"),
                }
            }
            tracing::warn!("the NATS subscription ended");
        });
        Ok(Bus {
            hub,
            nats: Some(client),
        })
    }

    pub async fn publish(&self, to: Vec<i64>, event: Arc<str>) {
        let Some(client) = &self.nats else {
            self.hub.publish(to, &event);
            return;
        };
        let envelope = Envelope {
            to: to.clone(),
            event: event.to_string(),
        };
        let sent = match serde_json::to_vec(&envelope) {
            Ok(bytes) => client
                .publish(SUBJECT, bytes.into())
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = sent {
            // Deliver here at least; other nodes' clients catch up when they resume.
            tracing::warn!(error = %e, "NATS publish failed; delivering on this node only");
            self.hub.publish(to, &event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn events_reach_every_socket_of_the_recipients_only() {
        let hub = Arc::new(Hub::default());
        let mut a1 = hub.subscribe(1);
        let mut a2 = hub.subscribe(1);
        let mut b = hub.subscribe(2);
        let event: Arc<str> = Arc::from("{\"type\":\"x\"}");
        hub.publish([1], &event);
        assert_eq!(a1.events.recv().await.as_deref(), Some("{\"type\":\"x\"}"));
        assert_eq!(a2.events.recv().await.as_deref(), Some("{\"type\":\"x\"}"));
        assert!(b.events.try_recv().is_err());
        assert_eq!(hub.connected(), 3);
        drop(a2);
        assert_eq!(hub.connected(), 2);
    }

    #[tokio::test]
    async fn a_person_holds_at_most_the_cap_of_sockets() {
        let hub = Arc::new(Hub::default());
        let mut held: Vec<_> = (0..3).map(|_| hub.try_subscribe(1, 3).unwrap()).collect();
        assert_eq!(hub.try_subscribe(1, 3).err(), Some(3));
        let other = hub.try_subscribe(2, 3);
        assert!(other.is_ok(), "others are unaffected");
        held.pop();
        let again = hub.try_subscribe(1, 3);
        assert!(again.is_ok(), "a closed socket frees its place");
        assert!(hub.try_subscribe(3, 0).is_err());
        assert_eq!(
            hub.connected(),
            4,
            "a refused subscription leaves nothing behind"
        );
    }

    #[tokio::test]
    async fn a_lagging_socket_is_cut_loose_without_holding_up_others() {
        let hub = Arc::new(Hub::default());
        let mut slow = hub.subscribe(1);
        let mut fast = hub.subscribe(2);
        let event: Arc<str> = Arc::from("e");
        for _ in 0..BUFFER + 10 {
            hub.publish([1, 2], &event);
            let _ = fast.events.try_recv();
        }
        // The slow socket got what fit, then its queue closed: it must resynchronize.
        let mut received = 0;
        while let Some(_e) = slow.events.recv().await {
            received += 1;
        }
        assert_eq!(received, BUFFER);
        assert_eq!(hub.connected(), 1, "only the fast socket remains");
        hub.publish([2], &event);
        assert!(fast.events.recv().await.is_some());
    }
}
