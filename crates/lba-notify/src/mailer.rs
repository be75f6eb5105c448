//! Where emails go: an SMTP server through `lettre` (plain, STARTTLS or
//! implicit TLS with rustls, optional credentials), or a folder of `.eml`
//! files for a local run without SMTP. Reusable by every feature.
//!
//! SMTP connections are pooled: a message goes over an idle connection of
//! the pool when there is one (checked with a `NOOP` first), else over a new
//! one, which is put back afterwards unless the exchange broke it or the
//! pool already holds its maximum of idle connections; idle connections
//! are closed after [`SMTP_IDLE_TIMEOUT`]. Plain and STARTTLS servers go
//! through [`crate::smtp_pool`] (sockets with `TCP_NODELAY`, see why
//! there), implicit TLS through `lettre`'s own pool (`pool` feature). The
//! worker bounds how many messages are in flight
//! (`WorkerConfig::concurrency`), hence how many connections are open.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::smtp_pool::SmtpPool;

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text (a relay on loopback, a test server).
    None,
    /// STARTTLS required (port 587).
    StartTls,
    /// Implicit TLS (port 465).
    Tls,
}

/// SMTP settings parsed from `smtp://[user[:password]@]host[:port][?tls=none|starttls|tls]`
/// (`smtps://` means `tls=tls`). The password is never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// Server host.
    pub host: String,
    /// Port (default 25, 465 with implicit TLS).
    pub port: u16,
    /// Security.
    pub tls: TlsMode,
    /// User and password.
    pub credentials: Option<(String, String)>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .finish_non_exhaustive()
    }
}

/// A bad SMTP URL (the message never repeats the password).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("LBA_SMTP_URL invalide : {0}")]
pub struct SmtpUrlError(String);

impl SmtpSettings {
    /// Parses an SMTP URL (see the type).
    pub fn parse(url: &str) -> Result<Self, SmtpUrlError> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| SmtpUrlError("attendu smtp://hôte:port".into()))?;
        let mut tls = match scheme {
            "smtp" => TlsMode::None,
            "smtps" => TlsMode::Tls,
            _ => {
                return Err(SmtpUrlError(format!(
                    "schéma « {scheme} » inconnu (smtp ou smtps)"
                )));
            }
        };
        let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = authority.trim_end_matches('/');
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("tls", "none")) => tls = TlsMode::None,
                Some(("tls", "starttls")) => tls = TlsMode::StartTls,
                Some(("tls", "tls")) => tls = TlsMode::Tls,
                _ => {
                    return Err(SmtpUrlError(
                        "paramètre inconnu (attendu tls=none, tls=starttls ou tls=tls)".into(),
                    ));
                }
            }
        }
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let credentials = userinfo.map(|u| {
            let (user, password) = u.split_once(':').unwrap_or((u, ""));
            (percent_decode(user), percent_decode(password))
        });
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| SmtpUrlError("port invalide".into()))?,
            ),
            None => (hostport, if tls == TlsMode::Tls { 465 } else { 25 }),
        };
        if host.is_empty() {
            return Err(SmtpUrlError("hôte manquant".into()));
        }
        Ok(Self {
            host: host.to_owned(),
            port,
            tls,
            credentials,
        })
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a message was not sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth retrying (server down, 4xx, timeout, disk full).
    #[error("échec temporaire : {0}")]
    Transient(String),
    /// Retrying will not help (5xx: unknown recipient, refused content).
    #[error("échec définitif : {0}")]
    Permanent(String),
}

/// An email transport.
#[derive(Clone, Debug)]
pub enum Mailer {
    /// An SMTP server with implicit TLS (`lettre`'s pooled transport).
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// A plain or STARTTLS SMTP server ([`crate::smtp_pool`]).
    SmtpPool(Arc<SmtpPool>),
    /// `.eml` files in a folder, named after the Message-ID: writing the
    /// same message twice replaces the file.
    File(PathBuf),
}

/// How long one SMTP exchange may take (well under the outbox lease).
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);
/// Idle SMTP connections kept by default (the worker's default number of
/// sends in flight).
pub const SMTP_POOL_SIZE: u32 = 16;
/// An idle pooled SMTP connection is closed after this long (servers
/// commonly drop idle clients after a few minutes).
pub const SMTP_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

impl Mailer {
    /// An SMTP mailer keeping up to [`SMTP_POOL_SIZE`] idle connections.
    /// With implicit TLS, must be called inside a Tokio runtime (`lettre`'s
    /// pool starts its clean-up task).
    pub fn smtp(settings: &SmtpSettings) -> Result<Self, SmtpUrlError> {
        Self::smtp_pooled(settings, SMTP_POOL_SIZE)
    }

    /// An SMTP mailer keeping up to `pool_size` idle connections (at least
    /// one); connections are opened when sending.
    pub fn smtp_pooled(settings: &SmtpSettings, pool_size: u32) -> Result<Self, SmtpUrlError> {
        let tls = |host: &str| {
            TlsParameters::new(host.to_owned()).map_err(|e| SmtpUrlError(format!("TLS : {e}")))
        };
        let credentials = settings
            .credentials
            .as_ref()
            .map(|(user, password)| Credentials::new(user.clone(), password.clone()));
        let starttls = match settings.tls {
            TlsMode::None => None,
            TlsMode::StartTls => Some(tls(&settings.host)?),
            TlsMode::Tls => {
                return Ok(Self::lettre_pool(
                    settings,
                    pool_size,
                    tls(&settings.host)?,
                    credentials,
                ));
            }
        };
        let max_idle = usize::try_from(pool_size.max(1)).unwrap_or(1);
        Ok(Self::SmtpPool(Arc::new(SmtpPool::new(
            &settings.host,
            settings.port,
            starttls,
            credentials,
            max_idle,
        ))))
    }

    /// `lettre`'s pooled transport, for implicit TLS.
    fn lettre_pool(
        settings: &SmtpSettings,
        pool_size: u32,
        tls: TlsParameters,
        credentials: Option<Credentials>,
    ) -> Self {
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str())
                .port(settings.port)
                .timeout(Some(SMTP_TIMEOUT))
                .pool_config(
                    PoolConfig::new()
                        .max_size(pool_size.max(1))
                        .idle_timeout(SMTP_IDLE_TIMEOUT),
                );
        builder = builder.tls(Tls::Wrapper(tls));
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        Self::Smtp(builder.build())
    }

    /// A mailer writing `.eml` files to `dir` (created when missing).
    #[must_use]
    pub fn file(dir: impl Into<PathBuf>) -> Self {
        Self::File(dir.into())
    }

    /// Sends one message.
    pub async fn send(&self, message: &Message) -> Result<(), SendError> {
        match self {
            Self::Smtp(transport) => match transport.send(message.clone()).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
                Err(e) => Err(SendError::Transient(e.to_string())),
            },
            Self::SmtpPool(pool) => tokio::time::timeout(SMTP_TIMEOUT, pool.send(message))
                .await
                .unwrap_or_else(|_| {
                    Err(SendError::Transient(format!(
                        "pas de réponse du serveur SMTP en {} s",
                        SMTP_TIMEOUT.as_secs()
                    )))
                }),
            Self::File(dir) => {
                let id = message
                    .headers()
                    .get_raw("Message-ID")
                    .unwrap_or("message")
                    .trim_matches(['<', '>'])
                    .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_");
                let path = dir.join(format!("{id}.eml"));
                let bytes = message.formatted();
                let write = async {
                    tokio::fs::create_dir_all(dir).await?;
                    // Write then rename: a reader never sees half a file.
                    let tmp = dir.join(format!(".{id}.tmp"));
                    tokio::fs::write(&tmp, &bytes).await?;
                    tokio::fs::rename(&tmp, &path).await
                };
                write
                    .await
                    .map_err(|e| SendError::Transient(format!("{}: {e}", dir.display())))
            }
        }
    }
}
