//! Running the server: bind, optional TLS, background jobs, graceful shutdown.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum_server::accept::NoDelayAcceptor;
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use axum_server::Handle;
use huddle_core::clock::Clock;
use huddle_store::Store;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::http::app;
use crate::state::AppState;

/// A server that is listening.
pub struct Running {
    pub addr: SocketAddr,
    /// The HL7 v2 (MLLP) listener's address, when configured.
    pub hl7_addr: Option<SocketAddr>,
    pub state: AppState,
    handle: Handle,
    server: JoinHandle<std::io::Result<()>>,
    jobs: JoinHandle<()>,
}

impl Running {
    /// Finishes in-flight requests (up to 10 s), then stops.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        self.handle.graceful_shutdown(Some(Duration::from_secs(10)));
        self.jobs.abort();
        self.server.await??;
        Ok(())
    }

    /// Serves until the process is asked to stop (Ctrl-C or SIGTERM).
    pub async fn until_signalled(self) -> anyhow::Result<()> {
        shutdown_signal().await;
        tracing::info!("shutting down");
        self.shutdown().await
    }
}

/// The process-wide Prometheus recorder (metrics are global; tests start many servers).
fn metrics_handle() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new().install_recorder().ok()?;
            spawn_metrics_upkeep(handle.clone());
            Some(handle)
        })
        .clone()
}

/// The recorder keeps every histogram sample until it is folded into its summary, which
/// only a scrape or an upkeep does; without one, memory grew by about 1.8 MiB a minute at
/// 2,000 requests a second (bench/RESULTS.md, soak). A thread of its own, because the
/// recorder outlives any one runtime.
#[allow(
    clippy::disallowed_methods,
    reason = "sleeps on its own thread, not a runtime's"
)]
fn spawn_metrics_upkeep(handle: PrometheusHandle) {
    let spawned = std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(5));
            handle.run_upkeep();
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no metrics upkeep thread; histograms grow until scraped");
    }
}

pub async fn start(
    config: Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Running> {
    let listener = std::net::TcpListener::bind(&config.server.bind)
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.server.bind))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let tls = match config.tls() {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            Some(RustlsConfig::from_pem_file(cert, key).await.map_err(|e| {
                anyhow::anyhow!(
                    "cannot load TLS certificate {} and key {}: {e}",
                    cert.display(),
                    key.display()
                )
            })?)
        }
        None => None,
    };
    let mut state = AppState::new(store, clock, config, metrics_handle())?;
    if let Some(url) = &state.config.bus.nats_url {
        state.bus = Arc::new(crate::live::Bus::nats(state.hub.clone(), url).await?);
    }
    crate::actions::resources::seed_curated(&state)
        .await
        .map_err(|e| anyhow::anyhow!("cannot write the resource catalog: {}", e.detail()))?;
    let service = app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let handle = Handle::new();
    // TCP_NODELAY: small answers (a message's 201, a live event) leave at once instead of
    // waiting on Nagle's algorithm and the peer's delayed ACK (about 40 ms).
    let head_timeout = Duration::from_secs(state.config.server.header_read_timeout_secs.max(1));
    let server = match tls {
        Some(tls) => {
            let mut server = axum_server::from_tcp(listener)
                .acceptor(FirstBytesDeadline {
                    inner: RustlsAcceptor::new(tls).acceptor(NoDelayAcceptor::new()),
                    timeout: head_timeout,
                })
                .handle(handle.clone());
            limit_header_reads(server.http_builder(), head_timeout);
            tokio::spawn(server.serve(service))
        }
        None => {
            let mut server = axum_server::from_tcp(listener)
                .acceptor(FirstBytesDeadline {
                    inner: NoDelayAcceptor::new(),
                    timeout: head_timeout,
                })
                .handle(handle.clone());
            limit_header_reads(server.http_builder(), head_timeout);
            tokio::spawn(server.serve(service))
        }
    };

    let (hl7_addr, hl7) = match &state.config.hl7.bind {
        Some(bind) => {
            let (addr, serve) = crate::mllp::bind(state.clone(), bind).await?;
            (Some(addr), Some(serve))
        }
        None => (None, None),
    };
    let jobs = {
        let (a, b, c) = (state.clone(), state.clone(), state.clone());
        tokio::spawn(async move {
            let hl7 = async move {
                if let Some(serve) = hl7 {
                    serve.await;
                }
            };
            tokio::join!(
                periodic_jobs(a),
                escalation_job(b),
                crate::outbox::run(c),
                hl7
            );
        })
    };
    Ok(Running {
        addr,
        hl7_addr,
        state,
        handle,
        server,
        jobs,
    })
}

/// A request's head must arrive within `server.header_read_timeout_secs` of the connection
/// opening or the previous request ending; hyper enforces it only with a timer set.
/// (The connection's first bytes have their own deadline: `FirstBytesDeadline`.)
fn limit_header_reads(
    builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
    timeout: Duration,
) {
    builder
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(timeout);
}

/// Periodic work: timed-out sessions are deleted, message retention is enforced (the
/// retention job claims its period in the database, so one node runs it, after restarts too),
/// and leaders' insights are computed ahead of their first request.
async fn periodic_jobs(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        match crate::actions::messaging::enforce_retention(&state).await {
            Ok(n) if n > 0 => tracing::info!(purged = n, "message retention enforced"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e.detail(), "retention job failed"),
        }
        let now = state.now();
        let idle = state.config.session.idle_ms();
        let absolute = state.config.session.absolute_ms();
        match state
            .store
            .delete_expired_sessions(now - idle, now - absolute)
            .await
        {
            Ok(n) if n > 0 => tracing::debug!(removed = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "session sweep failed"),
        }
        if let Err(e) = crate::actions::insights::warm(&state).await {
            tracing::warn!(error = %e.detail(), "insights warm-up failed");
        }
    }
}

/// Escalation timers live in the database: every few seconds, digests that came due are
/// announced and whatever is due moves up its ladder, so a restart or a crashed node delays an escalation by seconds, never loses it.
async fn escalation_job(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    let mut digests_until = state.now();
    loop {
        tick.tick().await;
        match crate::actions::routing::announce_digests(&state, digests_until).await {
            Ok(until) => digests_until = until,
            Err(e) => tracing::warn!(error = %e.detail(), "digest announcement failed"),
        }
        match crate::actions::routing::hand_over_due(&state).await {
            Ok(n) if n > 0 => tracing::info!(handed_over = n, "alerts handed over at shift change"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e.detail(), "handover failed"),
        }
        match crate::actions::routing::escalate_due(&state).await {
            Ok(n) if n > 0 => tracing::info!(escalated = n, "alerts escalated"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e.detail(), "escalation job failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Wraps an acceptor so that a connection must send its first bytes (the HTTP/2 preface's
/// length, which any request exceeds) within the header-read timeout. hyper's own
/// `header_read_timeout` starts only once it knows the connection speaks HTTP/1, which it
/// learns from those bytes: a client that connects and sends nothing would otherwise hold
/// its connection forever.
#[derive(Clone)]
struct FirstBytesDeadline<A> {
    inner: A,
    timeout: Duration,
}

impl<A, I, S> axum_server::accept::Accept<I, S> for FirstBytesDeadline<A>
where
    A: axum_server::accept::Accept<I, S>,
    A::Future: Send + 'static,
    A::Stream: Unpin,
{
    type Stream = Deadlined<A::Stream>;
    type Service = A::Service;
    type Future =
        futures_util::future::BoxFuture<'static, std::io::Result<(Self::Stream, Self::Service)>>;

    fn accept(&self, stream: I, service: S) -> Self::Future {
        let accepted = self.inner.accept(stream, service);
        let timeout = self.timeout;
        Box::pin(async move {
            let (stream, service) = accepted.await?;
            let deadline = Box::pin(tokio::time::sleep(timeout));
            Ok((
                Deadlined {
                    inner: stream,
                    deadline: Some(deadline),
                    read: 0,
                },
                service,
            ))
        })
    }
}

/// A stream whose reads fail once its deadline passes before its first bytes arrived.
struct Deadlined<S> {
    inner: S,
    deadline: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
    read: usize,
}

/// Bytes after which the deadline is lifted: hyper has decided the protocol by then.
const FIRST_BYTES: usize = 24;

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Deadlined<S> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        use std::future::Future;
        use std::task::Poll;
        let this = &mut *self;
        let before = buf.filled().len();
        match std::pin::Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                this.read += buf.filled().len() - before;
                if this.read >= FIRST_BYTES {
                    this.deadline = None;
                }
                Poll::Ready(result)
            }
            Poll::Pending => {
                let expired = this
                    .deadline
                    .as_mut()
                    .is_some_and(|deadline| deadline.as_mut().poll(cx).is_ready());
                if expired {
                    Poll::Ready(Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "no request arrived in time",
                    )))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Deadlined<S> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
