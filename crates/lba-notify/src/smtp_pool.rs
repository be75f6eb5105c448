//! Pooled SMTP connections with `TCP_NODELAY`, for plain and STARTTLS
//! servers.
//!
//! `lettre` writes a message's content and the final `.` in two writes
//! before reading the answer, on a socket without `TCP_NODELAY`: Nagle's
//! algorithm holds the final `.` until the server acknowledges the content,
//! and the server delays that acknowledgement (40 ms on Linux) because it
//! has nothing to answer yet. On a reused connection that costs ~40 ms per
//! message (about 22 messages/s per connection instead of 400+ on loopback).
//! `lettre` does not let its transport set socket options, so this pool
//! opens the TCP connection itself (`TCP_NODELAY` set) and hands it to
//! `AsyncSmtpConnection::connect_with_transport` (greeting, EHLO), then
//! STARTTLS and AUTH as `lettre`'s transport does.
//!
//! A message takes an idle connection (checked with `NOOP`; closed when
//! idle longer than [`SMTP_IDLE_TIMEOUT`]) or opens a new one, and puts it
//! back afterwards unless the exchange broke it (`lettre` closes a
//! connection on any error) or `max_idle` connections are already idle.

use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use lettre::Message;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::net::TcpStream;

use crate::mailer::{SMTP_IDLE_TIMEOUT, SendError};

struct Parked {
    conn: AsyncSmtpConnection,
    since: Instant,
}

/// The pool of one SMTP server.
pub struct SmtpPool {
    host: String,
    port: u16,
    starttls: Option<TlsParameters>,
    credentials: Option<Credentials>,
    hello: ClientId,
    max_idle: usize,
    idle: Mutex<Vec<Parked>>,
}

impl std::fmt::Debug for SmtpPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpPool")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("starttls", &self.starttls.is_some())
            .field("max_idle", &self.max_idle)
            .finish_non_exhaustive()
    }
}

fn smtp_error(e: &lettre::transport::smtp::Error) -> SendError {
    if e.is_permanent() {
        SendError::Permanent(e.to_string())
    } else {
        SendError::Transient(e.to_string())
    }
}

impl SmtpPool {
    /// A pool for `host:port`, STARTTLS required with `starttls`, keeping
    /// at most `max_idle` idle connections.
    pub(crate) fn new(
        host: &str,
        port: u16,
        starttls: Option<TlsParameters>,
        credentials: Option<Credentials>,
        max_idle: usize,
    ) -> Self {
        Self {
            host: host.to_owned(),
            port,
            starttls,
            credentials,
            hello: ClientId::default(),
            max_idle,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Sends `message` over a pooled connection (the caller bounds the
    /// time).
    pub(crate) async fn send(&self, message: &Message) -> Result<(), SendError> {
        let mut conn = self.connection().await?;
        let sent = conn.send(message.envelope(), &message.formatted()).await;
        self.recycle(conn).await;
        sent.map(|_| ()).map_err(|e| smtp_error(&e))
    }

    fn pop_idle(&self) -> Option<Parked> {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
    }

    async fn connection(&self) -> Result<AsyncSmtpConnection, SendError> {
        while let Some(Parked { mut conn, since }) = self.pop_idle() {
            if since.elapsed() <= SMTP_IDLE_TIMEOUT && conn.test_connected().await {
                return Ok(conn);
            }
            conn.abort().await;
        }
        self.connect().await
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| SendError::Transient(format!("connexion SMTP : {e}")))?;
        tcp.set_nodelay(true)
            .map_err(|e| SendError::Transient(format!("connexion SMTP : {e}")))?;
        let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
            .await
            .map_err(|e| smtp_error(&e))?;
        if let Some(tls) = &self.starttls {
            conn.starttls(tls.clone(), &self.hello)
                .await
                .map_err(|e| smtp_error(&e))?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(|e| smtp_error(&e))?;
        }
        Ok(conn)
    }

    async fn recycle(&self, conn: AsyncSmtpConnection) {
        if conn.has_broken() {
            return;
        }
        let surplus = {
            let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
            if idle.len() < self.max_idle {
                idle.push(Parked {
                    conn,
                    since: Instant::now(),
                });
                None
            } else {
                Some(conn)
            }
        };
        if let Some(mut conn) = surplus {
            conn.abort().await;
        }
    }
}
