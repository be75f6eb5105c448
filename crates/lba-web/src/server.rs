//! The HTTP/1.1 server loop: our own accept loop over hyper instead of
//! `axum::serve`, because `axum::serve` sets no timer, so hyper's
//! header-read timeout never fires and a connection that sends nothing (or
//! half a request, or nothing more after a response) is held forever.
//!
//! What this loop guarantees:
//! - a connection must deliver complete request headers within
//!   [`ServerLimits::header_timeout`], counted from its opening and again
//!   from the end of each response (so it is also the keep-alive idle
//!   timeout); otherwise it is closed;
//! - at most [`ServerLimits::max_connections`] connections are open at once;
//!   past that, new ones wait in the kernel's backlog until one closes;
//! - an accept error (for example "too many open files") is logged and
//!   retried after a growing pause (10 ms doubling up to 1 s) instead of
//!   spinning;
//! - on shutdown, accepting stops, idle connections close, requests in
//!   flight get [`ServerLimits::shutdown_grace`] to finish.
//!
//! Request bodies and handlers are bounded separately: the router's 30 s
//! request timeout and the body limits of each route.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

/// Connection limits of [`serve_router`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerLimits {
    /// Time a connection has to send complete request headers, from its
    /// opening and after each response (idle keep-alive timeout).
    pub header_timeout: Duration,
    /// Connections open at once; more wait in the backlog.
    pub max_connections: usize,
    /// Time requests in flight get to finish after shutdown starts.
    pub shutdown_grace: Duration,
}

impl ServerLimits {
    /// Default header-read and idle timeout.
    pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default cap on open connections (well under the usual 20,000 open
    /// files, leaving room for the database pool and files).
    pub const DEFAULT_MAX_CONNECTIONS: usize = 4_096;
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_timeout: Self::DEFAULT_HEADER_TIMEOUT,
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// First pause after an accept error, doubled on each error in a row.
const ACCEPT_BACKOFF_START: Duration = Duration::from_millis(10);
/// Longest pause after accept errors.
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_secs(1);

/// Errors of `accept` that concern one connection only (the client went
/// away before we took it): retried at once.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Serves `router` on `listener` within `limits` until `shutdown` resolves,
/// then lets requests in flight finish (see the module documentation).
///
/// # Errors
/// Never in practice: accept errors are retried; the `Result` keeps the
/// signature of `axum::serve`.
pub async fn serve_router(
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let slots = Arc::new(Semaphore::new(max));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let builder = Arc::new(builder);
    let mut backoff = ACCEPT_BACKOFF_START;
    tokio::pin!(shutdown);

    loop {
        let slot = tokio::select! {
            biased;
            () = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let (stream, addr) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => {
                    backoff = ACCEPT_BACKOFF_START;
                    accepted
                }
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, pause_ms = backoff.as_millis() as u64, "accept error");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(ACCEPT_BACKOFF_MAX);
                    continue;
                }
            },
        };
        // Small responses go out at once rather than waiting for Nagle.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let builder = Arc::clone(&builder);
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                    // The client address for the rate limiters, as
                    // `into_make_service_with_connect_info` gives it.
                    request.extensions_mut().insert(ConnectInfo(addr));
                    router.clone().oneshot(request)
                });
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            let stopping = async move {
                let _ = stop.wait_for(|stopping| *stopping).await;
            };
            tokio::select! {
                // Timeouts and client resets end here too; not worth a log line.
                _ = connection.as_mut() => {}
                () = stopping => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(limits.shutdown_grace, connection).await;
                }
            }
            drop(slot);
        });
    }

    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a slot: having them all back means all closed.
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(
        limits.shutdown_grace + Duration::from_secs(1),
        slots.acquire_many(all),
    )
    .await;
    Ok(())
}
